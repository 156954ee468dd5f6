/* rules.h: the rules of the catalogue, split by subject, and what they
 * share.  Only judge.c calls them (judge_run), in the order the report
 * lists diagnoses: alerts, the handshake and the capture, each presented
 * certificate, chain order and the trust store's view, then a store given
 * for a side that disagrees with what that side did.
 */
#ifndef CERTSCOPE_RULES_H
#define CERTSCOPE_RULES_H

#include "../common/config.h"
#include "../dissect/tls.h"
#include "cache.h"
#include "catalogue.h"
#include "truststore.h"
#include "verdict.h"

#include <openssl/x509.h>

/* One handshake being judged. */
struct judging {
	const struct handshake *hs;
	struct verdict *v;
	const struct config *cfg;
	const struct trust_set *trust;  /* may be NULL */
	struct cache *cache;            /* may be NULL */
	STACK_OF(X509_NAME) * ca_names; /* CertificateRequest's, decoded; may be NULL */
	time_t at;    /* the verification time: --at, else the capture's */
	time_t today; /* judge_new()'s */
};

/* "client" or "server". */
const char *side_word(int side);
/* The address of a side as advice names it ("192.0.2.10", "[2001:db8::1]:7001"). */
void side_addr(const struct judging *j, int side, char *buf, size_t len);
/* A certificate's subject, else its fingerprint. */
const char *subject_of(const struct cert *c);
/* The first certificate a side sent, or NULL. */
const struct cert *leaf(const struct judging *j, int side);
/* The side whose store judges side's chain. */
int validator_of(int side);
/* The index of the diagnosis of side's chain that most strongly explains
 * its refusal with alert (diag_cause_rank: the first of equals), or
 * SIZE_MAX when none does. */
size_t strongest_cause(const struct verdict *v, int side, uint8_t alert);

/* rules_alerts.c */
void rules_alerts(struct judging *j);
void rules_store_mismatch(struct judging *j);
/* rules_capture.c */
void rules_handshake(struct judging *j);
/* rules_certs.c */
void rules_certificates(struct judging *j);
void rules_chain_order(struct judging *j, int side);
/* rules_chains.c */
void rules_check_chains(struct judging *j);
void rules_trust_side(struct judging *j, int side);

#endif
