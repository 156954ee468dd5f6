/* cache.h: certificates and chain verdicts computed once, not once a
 * handshake.
 *
 * A busy server presents the same chain on every connection; decoding it
 * with OpenSSL and verifying it again each time is most of what a capture
 * costs.  The cache keeps, in two tables of fixed size:
 *
 * - certificates by their DER: a handshake gets a reference to the struct
 *   cert decoded the first time the same bytes were seen (certificate.h: a
 *   cert is never changed once made);
 * - chain verdicts by (trust store, purpose, the exact certificates
 *   presented, in order), each with the span of verification times over
 *   which it holds: no certificate of the chain or of the store enters or
 *   leaves its validity inside that span, so OpenSSL would answer the same.
 *   Certificates are direct-mapped; verdicts in sets of two, the one used
 *   less lately making room.
 *
 * A verdict is only ever reused for the very same presented chain: no
 * intermediate seen on one connection vouches for another (chain.h).  A
 * slot that is taken is overwritten; memory is bounded by the table sizes
 * and the byte budget for certificates.  The cache belongs to one
 * dissector and one thread.
 */
#ifndef CERTSCOPE_CACHE_H
#define CERTSCOPE_CACHE_H

#include "certificate.h"
#include "chain.h"

#include <stdint.h>
#include <time.h>

struct cache_stats {
	uint64_t cert_hits, cert_misses;
	uint64_t chain_hits, chain_misses;
	size_t cert_bytes; /* DER held now */
};

struct cache;

struct cache *cache_new(void);
void cache_free(struct cache *c);

/* A reference to the certificate with the DER of b (cert_free() drops it),
 * or NULL when out of memory.  cache may be NULL: the DER is then
 * decoded. */
struct cert *cache_cert(struct cache *c, struct der_blob *b);

/* The verdict on presented against store as of at, as chain_check_new()
 * would make it (the caller owns it).  cache may be NULL. */
struct chain_check *cache_chain_check(struct cache *c, const struct trust_store *store,
                                      const struct chain *presented, int purpose,
                                      time_t at, time_t today);

const struct cache_stats *cache_stats(const struct cache *c);

#endif
