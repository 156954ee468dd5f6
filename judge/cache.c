/* cache.c: certificates interned by their DER, and chain verdicts kept
 * with the span of time over which they hold (cache.h). */
#include "cache.h"

#include "truststore.h"

#include <stdlib.h>
#include <string.h>

/* Table sizes (powers of two) and what one entry may hold: a hostile
 * capture of huge or ever-new certificates cannot grow the cache, it only
 * misses it. */
#define CERT_SLOTS   512
#define CERT_MAX_DER (16u << 10)
#define CERT_BUDGET  (8u << 20)
/* chain verdicts: sets of two, so two hot chains whose keys meet (the key
 * holds the store's address, which changes from run to run) do not evict
 * each other on every handshake */
#define CHAIN_SETS      64
#define CHAIN_WAYS      2
#define CHAIN_MAX_DER   (32u << 10)
#define CHAIN_MAX_CERTS 16

struct cached_verdict {
	const struct trust_store *store; /* NULL: the slot is empty */
	int purpose;
	struct cert *certs[CHAIN_MAX_CERTS]; /* references: the key */
	size_t n;
	time_t lo, hi;             /* the verdict holds for lo <= at < hi */
	time_t today_lo, today_hi; /* and so does its look at today */
	bool today_checked;
	struct chain_check *cc;
};

struct cache {
	struct cert *certs[CERT_SLOTS];
	struct cached_verdict chains[CHAIN_SETS][CHAIN_WAYS];
	uint8_t last[CHAIN_SETS]; /* the way of each set found or filled last */
	struct cache_stats stats;
};

struct cache *cache_new(void)
{
	return calloc(1, sizeof(struct cache));
}

static void cached_verdict_clear(struct cached_verdict *v)
{
	for (size_t i = 0; i < v->n; i++)
		cert_free(v->certs[i]);
	chain_check_free(v->cc);
	memset(v, 0, sizeof(*v));
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < CERT_SLOTS; i++)
		cert_free(c->certs[i]);
	for (size_t i = 0; i < CHAIN_SETS; i++)
		for (size_t w = 0; w < CHAIN_WAYS; w++)
			cached_verdict_clear(&c->chains[i][w]);
	free(c);
}

const struct cache_stats *cache_stats(const struct cache *c)
{
	return &c->stats;
}

static bool same_der(const struct cert *a, const uint8_t *der, size_t len, uint64_t h)
{
	return a->der_hash == h && a->der_len == len && memcmp(a->der, der, len) == 0;
}

struct cert *cache_cert(struct cache *c, struct der_blob *b)
{
	const uint8_t *der = b->der;
	size_t len = b->len;
	uint64_t h = b->hash;
	if (!c || len > CERT_MAX_DER)
		return cert_new_blob(b);
	struct cert **slot =
	    &c->certs[h & (CERT_SLOTS - 1)]; /* the dissector hands the very blob of a
	                                        certificate it saw lately */
	if (*slot && ((*slot)->blob == b || same_der(*slot, der, len, h))) {
		c->stats.cert_hits++;
		return cert_ref(*slot);
	}
	c->stats.cert_misses++;
	struct cert *x = cert_new_blob(b);
	if (!x)
		return NULL;
	if (*slot) {
		c->stats.cert_bytes -= (*slot)->der_len;
		cert_free(*slot);
		*slot = NULL;
	}
	if (c->stats.cert_bytes + len <= CERT_BUDGET) {
		*slot = cert_ref(x);
		c->stats.cert_bytes += len;
	}
	return x;
}

/* Narrows [lo, hi) around at to exclude every time in b[0..n). */
static void narrow(const time_t *b, size_t n, time_t at, time_t *lo, time_t *hi)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i] <= at && b[i] > *lo)
			*lo = b[i];
		if (b[i] > at && b[i] < *hi)
			*hi = b[i];
	}
}

/* The same, over a sorted array: the last time <= at and the first > at. */
static void narrow_sorted(const time_t *b, size_t n, time_t at, time_t *lo, time_t *hi)
{
	size_t l = 0, r = n; /* the first index whose time is > at */
	while (l < r) {
		size_t m = l + (r - l) / 2;
		if (b[m] <= at)
			l = m + 1;
		else
			r = m;
	}
	if (l > 0 && b[l - 1] > *lo)
		*lo = b[l - 1];
	if (l < n && b[l] < *hi)
		*hi = b[l];
}

/* The span around at over which no certificate of the chain or the store
 * changes its standing; [at, at + 1) when that cannot be known. */
static void span(const struct trust_store *store, const struct chain *presented,
                 time_t at, time_t *lo, time_t *hi)
{
	*lo = INT64_MIN;
	*hi = INT64_MAX;
	if (!store->times_known) {
		*lo = at;
		*hi = at + 1;
		return;
	}
	narrow_sorted(store->bounds, store->n_bounds, at, lo, hi);
	for (size_t i = 0; i < presented->n; i++) {
		const struct cert *x = presented->certs[i];
		if (!x->x509)
			continue; /* OpenSSL never sees it */
		if (!x->have_validity) {
			*lo = at;
			*hi = at + 1;
			return;
		}
		time_t b[4];
		validity_bounds(x->not_before, x->not_after, b);
		narrow(b, 4, at, lo, hi);
	}
}

static uint64_t chain_key(const struct trust_store *store, const struct chain *presented,
                          int purpose)
{
	uint64_t h = (uint64_t)(uintptr_t)store * 0x9e3779b97f4a7c15u ^ (uint64_t)purpose;
	for (size_t i = 0; i < presented->n; i++)
		h = (h ^ presented->certs[i]->der_hash) * 0x100000001b3u;
	return h ^ h >> 31;
}

static bool same_chain(const struct cached_verdict *v, const struct trust_store *store,
                       const struct chain *presented, int purpose)
{
	if (v->store != store || v->purpose != purpose || v->n != presented->n)
		return false;
	for (size_t i = 0; i < v->n; i++) {
		const struct cert *a = v->certs[i], *b = presented->certs[i];
		if (a != b && !same_der(a, b->der, b->der_len, b->der_hash))
			return false;
	}
	return true;
}

struct chain_check *cache_chain_check(struct cache *c, const struct trust_store *store,
                                      const struct chain *presented, int purpose,
                                      time_t at, time_t today)
{
	if (!c || !store || presented->n == 0 || presented->n > CHAIN_MAX_CERTS)
		return chain_check_new(store, presented, purpose, at, today);
	size_t der = 0;
	for (size_t i = 0; i < presented->n; i++)
		der += presented->certs[i]->der_len;
	if (der > CHAIN_MAX_DER)
		return chain_check_new(store, presented, purpose, at, today);
	size_t set = chain_key(store, presented, purpose) & (CHAIN_SETS - 1);
	struct cached_verdict *ways = c->chains[set];
	bool today_checked = chain_checks_today(at, today);
	size_t way = CHAIN_WAYS;
	for (size_t w = 0; w < CHAIN_WAYS; w++) {
		struct cached_verdict *x = &ways[w];
		if (!x->store || !same_chain(x, store, presented, purpose))
			continue;
		way = w; /* the chain's own way, refilled when its span is past */
		if (x->lo <= at && at < x->hi && x->today_checked == today_checked &&
		    (!today_checked || (x->today_lo <= today && today < x->today_hi))) {
			c->stats.chain_hits++;
			c->last[set] = (uint8_t)w;
			return chain_check_dup(x->cc, at);
		}
	}
	/* else an empty way, else the one not used last (of two) */
	for (size_t w = 0; way == CHAIN_WAYS && w < CHAIN_WAYS; w++)
		if (!ways[w].store)
			way = w;
	if (way == CHAIN_WAYS)
		way = !c->last[set];
	c->last[set] = (uint8_t)way;
	struct cached_verdict *v = &ways[way];
	c->stats.chain_misses++;
	struct chain_check *cc = chain_check_new(store, presented, purpose, at, today);
	if (!cc)
		return NULL;
	cached_verdict_clear(v);
	v->cc = chain_check_dup(cc, at);
	if (!v->cc)
		return cc;
	v->store = store;
	v->purpose = purpose;
	v->n = presented->n;
	for (size_t i = 0; i < presented->n; i++)
		v->certs[i] = cert_ref(presented->certs[i]);
	span(store, presented, at, &v->lo, &v->hi);
	v->today_checked = today_checked;
	if (today_checked)
		span(store, presented, today, &v->today_lo, &v->today_hi);
	return cc;
}
