/* findings.h: one answer per problem.
 *
 * Every diagnosis belongs to a finding (judge_run() names it: verdict.h);
 * a findings table gathers the findings of every handshake it is given:
 * how many handshakes each was seen in and when, the devices whose
 * configuration must change and the peers they talked to (at most
 * FINDING_LIST_MAX of each kept, with totals), one message and one advice,
 * the other codes merged into it, and its first handshake as an example.
 * The number of findings is capped (cfg->max_findings); the diagnoses of a
 * finding past the cap are counted, not kept.  One thread.
 */
#ifndef CERTSCOPE_FINDINGS_H
#define CERTSCOPE_FINDINGS_H

#include "../dissect/tls.h"
#include "verdict.h"

#define FINDING_LIST_MAX 20

/* Distinct addresses, counted by hash up to a bound (then totals are at
 * least what they say). */
struct addr_set {
	uint64_t *slots;
	size_t cap, n;
	bool full;
};

struct finding {
	char id[17];
	char *code; /* the cause */
	enum severity severity;
	int refused_by; /* SIDE_, or -1 */
	uint64_t count;
	struct timeval first_ts, last_ts;
	struct string_list devices, peers; /* the first FINDING_LIST_MAX */
	struct addr_set device_set, peer_set;
	char certificate[65];              /* empty for none */
	struct string_list chain;          /* the sha256s of that side's chain as sent */
	struct string_list chain_subjects; /* and their subjects */
	char *store;
	struct string_list evidence; /* the other codes merged into it */
	char *message, *advice;
	struct {
		struct timeval ts;
		struct endpoint client, server;
		char *file;
		struct frames frames;
		struct ladder ladder;
	} example;
	uint64_t last_seen; /* the handshake that counted it last */
	bool kits_named;    /* its advice names its fix kits (fixkit_advise) */
};

struct findings_stats {
	uint64_t findings, errors, warnings, infos; /* by severity: findings_stats() */
	uint64_t dropped; /* diagnoses of findings past the cap */
	uint64_t servers_over_cap;
};

/* What each server (address and port) did, for the report's account of
 * what was healthy. */
struct server_tally {
	struct endpoint server;
	const char *service;
	uint64_t handshakes, completed, with_errors;
};

struct findings;

struct findings *findings_new(size_t max);
void findings_free(struct findings *f);
/* Gathers the findings of hs and its verdict, read from file (NULL live). */
void findings_add(struct findings *f, const struct handshake *hs, const struct verdict *v,
                  const char *file);
/* The findings, worst first, then by count, then by id (borrowed). */
const struct finding *const *findings_sorted(struct findings *f, size_t *n);
/* The finding with that id, or NULL. */
struct finding *findings_lookup(const struct findings *f, const char *id);
/* The counts, the findings by severity among them (worked out each call). */
struct findings_stats findings_stats(const struct findings *f);
/* The servers seen, in the order first seen (borrowed; at most
 * FINDINGS_MAX_SERVERS, the others counted in stats.servers_over_cap). */
const struct server_tally *findings_servers(const struct findings *f, size_t *n);

#define FINDINGS_MAX_SERVERS 4096

#endif
