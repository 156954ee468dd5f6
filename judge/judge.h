/* judge.h: turns the wire facts of a handshake into a verdict.
 *
 * A judge holds the configuration, the trust stores (borrowed) and the
 * cache of decoded certificates and chain verdicts (owned), for one thread.
 * judge_run() decodes the certificates the handshake carries, builds and
 * verifies its chains against the store of each validating device, and
 * applies every rule of the catalogue; it is the only caller of the rules.
 * `today` is the time for every statement about now ("expired since"):
 * main.c takes it from SOURCE_DATE_EPOCH when set, so output is a function
 * of the inputs alone.
 */
#ifndef CERTSCOPE_JUDGE_H
#define CERTSCOPE_JUDGE_H

#include "../common/config.h"
#include "../dissect/tls.h"
#include "truststore.h"
#include "verdict.h"

#include <time.h>

struct judge_stats {
	uint64_t errors, warnings;   /* diagnoses made */
	uint64_t certs_oversized;    /* certificates over the size cap, not decoded */
	uint64_t malformed_ca_names; /* CertificateRequest names that are no X.509 name */
};

struct judge;

/* trust may be NULL: chains are then not judged against any store. */
struct judge *judge_new(const struct config *cfg, const struct trust_set *trust,
                        time_t today);
void judge_free(struct judge *j);
/* Fills v (caller storage, zeroed here) with the verdict on hs; 0, or -1
 * when out of memory (v then holds what could be judged). */
int judge_run(struct judge *j, const struct handshake *hs, struct verdict *v);
const struct judge_stats *judge_stats(const struct judge *j);

/* "today": SOURCE_DATE_EPOCH when it is set to a number, else the clock. */
time_t judge_today(void);

#endif
