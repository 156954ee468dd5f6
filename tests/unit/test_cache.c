/* test_cache.c: the certificate and chain-verdict cache (dissect/cache.c)
 * against fresh decoding and verification, on the sample PKI.
 *
 * Every verdict the cache returns must equal the one chain_check_new()
 * makes for the same chain, store and time; a verdict is never lent to a
 * chain that differs by one certificate. */
#include "check.h"

#include "judge/cache.h"
#include "judge/truststore.h"

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#ifndef CERTSCOPE_SAMPLES
#error CERTSCOPE_SAMPLES must name the samples folder
#endif

/* The DER of the first certificate of a PEM file of the sample PKI. */
/* cache_cert() of a fresh blob of these bytes, as a new connection's
 * certificate (the cache must find it by its bytes). */
static struct cert *cache_blob(struct cache *cache, const uint8_t *der, size_t len)
{
	struct der_blob *b = der_blob_new(der, len);
	struct cert *c = b ? cache_cert(cache, b) : NULL;
	der_blob_unref(b);
	return c;
}

static unsigned char *pem_der(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/pki/%s", CERTSCOPE_SAMPLES, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	unsigned char *der = NULL;
	int n = x ? i2d_X509(x, &der) : -1;
	X509_free(x);
	if (n <= 0)
		return NULL;
	*len = (size_t)n;
	return der;
}

static struct trust_store *store_of(const char *name, time_t at)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/pki/%s", CERTSCOPE_SAMPLES, name);
	struct trust_store *s = trust_store_new(path, NULL);
	if (!s)
		return NULL;
	if (trust_store_add_path(s, path, stderr) < 0) {
		trust_store_free(s);
		return NULL;
	}
	trust_store_scan(s, at);
	return s;
}

/* A chain of the named sample certificates, decoded through cache. */
static bool chain_of(struct cache *cache, struct chain *ch, const char *const *names,
                     size_t n)
{
	memset(ch, 0, sizeof(*ch));
	ch->certs = calloc(n, sizeof(*ch->certs));
	if (!ch->certs)
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		unsigned char *der = pem_der(names[i], &len);
		if (!der)
			return false;
		ch->certs[ch->n++] = cache_blob(cache, der, len);
		OPENSSL_free(der);
		if (!ch->certs[i])
			return false;
	}
	return true;
}

static void chain_fini(struct chain *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		cert_free(ch->certs[i]);
	free(ch->certs);
}

/* The verdicts are the same finding for finding. */
static bool same_verdict(const struct chain_check *a, const struct chain_check *b)
{
	CHECK(a && b);
	CHECK_EQ(a->verified, b->verified);
	CHECK_EQ(a->at, b->at);
	CHECK_EQ(a->n_errors, b->n_errors);
	for (size_t i = 0; i < a->n_errors; i++) {
		CHECK_EQ(a->errors[i].code, b->errors[i].code);
		CHECK_EQ(a->errors[i].depth, b->errors[i].depth);
	}
	CHECK_EQ(sk_X509_num(a->completed), sk_X509_num(b->completed));
	for (int i = 0; i < sk_X509_num(a->completed); i++) {
		CHECK(X509_cmp(sk_X509_value(a->completed, i),
		               sk_X509_value(b->completed, i)) == 0);
		CHECK_EQ(a->from_store[i], b->from_store[i]);
	}
	CHECK_EQ(a->today_checked, b->today_checked);
	CHECK_EQ(a->today_verified, b->today_verified);
	CHECK_STR(a->status, b->status);
	return true;
}

/* The same DER is decoded once and shared; other DER is not confused with it. */
static bool certificates_are_shared(void)
{
	struct cache *cache = cache_new();
	size_t l1 = 0, l2 = 0;
	unsigned char *d1 = pem_der("vcse.pem", &l1), *d2 = pem_der("inter.pem", &l2);
	CHECK(cache && d1 && d2);
	struct cert *a = cache_blob(cache, d1, l1);
	struct cert *b = cache_blob(cache, d1, l1);
	struct cert *c = cache_blob(cache, d2, l2);
	CHECK(a && b && c);
	CHECK(a == b);
	CHECK(a != c);
	CHECK_EQ(a->refs, 3); /* two handshakes and the cache */
	CHECK_STR(a->subject, "CN=vcse.example.com,O=certscope samples");
	CHECK_STR(c->subject, "CN=Example Issuing CA,O=certscope samples");
	CHECK_EQ(cache_stats(cache)->cert_hits, 1);
	CHECK_EQ(cache_stats(cache)->cert_misses, 2);
	cert_free(a);
	cert_free(b);
	cert_free(c);
	cache_free(cache); /* drops the last references: ASan sees a leak otherwise */
	OPENSSL_free(d1);
	OPENSSL_free(d2);
	return true;
}

/* 2015 to 2017 (old-ldap.pem, issued by old-root.pem): every time around
 * the leaf's validity gives the verdict a fresh verification gives, cached
 * or not, and a verdict made in 2016 is not reused in 2018. */
static bool verdicts_follow_validity(void)
{
	const time_t nb = 1420070400;    /* 2015-01-01T00:00:00Z */
	const time_t na = 1483228800;    /* 2017-01-01T00:00:00Z */
	const time_t today = 1796083200; /* 2026-12-01 */
	const time_t times[] = {
	    nb - 86400,       nb - 1, nb,     nb + 1, nb + 86400 * 200, nb + 86400 * 201,
	    na - 1,           na,     na + 1, na + 2, na + 86400 * 365, na - 86400 * 10,
	    nb + 86400 * 300, na + 1, nb,
	};
	const char *names[] = {"old-ldap.pem"};
	struct cache *cache = cache_new();
	struct trust_store *store = store_of("old-root.pem", nb);
	struct chain ch;
	CHECK(cache && store);
	CHECK(store->times_known);
	CHECK(chain_of(cache, &ch, names, 1));
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		struct chain_check *fresh =
		    chain_check_new(store, &ch, X509_PURPOSE_SSL_SERVER, times[i], today);
		struct chain_check *cached = cache_chain_check(
		    cache, store, &ch, X509_PURPOSE_SSL_SERVER, times[i], today);
		bool ok = same_verdict(fresh, cached);
		/* OpenSSL: expired from notAfter on (X509_cmp_time counts equal as
		 * earlier) */
		bool valid = times[i] >= nb && times[i] < na;
		if (ok && fresh->verified != valid) {
			check_failf(__LINE__, "at %lld: verified is %d",
			            (long long)times[i], fresh->verified);
			ok = false;
		}
		chain_check_free(fresh);
		chain_check_free(cached);
		if (!ok)
			return false;
	}
	/* several of those times fell in a span already verified */
	CHECK(cache_stats(cache)->chain_hits >= 4);
	CHECK(cache_stats(cache)->chain_misses >= 5);
	chain_fini(&ch);
	trust_store_free(store);
	cache_free(cache);
	return true;
}

/* The leaf with its intermediate verifies; the same leaf alone, asked next,
 * must not borrow that verdict (the intermediate was on another
 * connection). */
static bool no_chain_vouches_for_another(void)
{
	const time_t now = 1796083200;
	const char *full[] = {"vcse.pem", "inter.pem"};
	const char *alone[] = {"vcse.pem"};
	struct cache *cache = cache_new();
	struct trust_store *store = store_of("root.pem", now);
	struct chain a, b;
	CHECK(cache && store);
	CHECK(chain_of(cache, &a, full, 2));
	CHECK(chain_of(cache, &b, alone, 1));
	CHECK(a.certs[0] == b.certs[0]);
	struct chain_check *ca =
	    cache_chain_check(cache, store, &a, X509_PURPOSE_SSL_SERVER, now, now);
	struct chain_check *cb =
	    cache_chain_check(cache, store, &b, X509_PURPOSE_SSL_SERVER, now, now);
	struct chain_check *ca2 =
	    cache_chain_check(cache, store, &a, X509_PURPOSE_SSL_SERVER, now + 60, now);
	struct chain_check *cb2 =
	    cache_chain_check(cache, store, &b, X509_PURPOSE_SSL_CLIENT, now, now);
	CHECK(ca && cb && ca2 && cb2);
	CHECK(ca->verified);
	CHECK(!cb->verified);
	CHECK(chain_check_has(cb, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, NULL));
	CHECK(ca2->verified);
	CHECK_EQ(ca2->at, now + 60);
	CHECK(!cb2->verified);
	CHECK_EQ(cache_stats(cache)->chain_hits, 1);
	CHECK_EQ(cache_stats(cache)->chain_misses, 3);
	chain_check_free(ca);
	chain_check_free(cb);
	chain_check_free(ca2);
	chain_check_free(cb2);
	chain_fini(&a);
	chain_fini(&b);
	trust_store_free(store);
	cache_free(cache);
	return true;
}

/* Two chains judged in turn are each verified once, whichever two: no two
 * chains evict each other on every handshake (50 chain and purpose pairs
 * give over a thousand pairs, some of which share a set of the table). */
static bool two_chains_in_turn_stay(void)
{
	static const char *const names[] = {
	    "capf.pem",       "cms.pem",         "cucm-pub.pem",   "cucm.pem",
	    "fake-root.pem",  "hostile.pem",     "inter.pem",      "old-ldap.pem",
	    "old-root.pem",   "other-inter.pem", "other-root.pem", "root.pem",
	    "short-root.pem", "sipclient.pem",   "tvs.pem",        "vcsc-other.pem",
	    "vcsc.pem",       "vcse.pem",        "vcse2.pem",      "web.pem",
	    "wild.pem",       "www.pem",
	};
	enum { N = sizeof(names) / sizeof(names[0]) };
	const time_t now = 1796083200;
	struct trust_store *store = store_of("root.pem", now);
	struct cache *keep = cache_new();
	struct chain ch[N];
	CHECK(store && keep);
	for (size_t i = 0; i < N; i++)
		CHECK(chain_of(keep, &ch[i], &names[i], 1));
	size_t pairs = 0;
	for (size_t a = 0; a < 2 * N; a++)
		for (size_t b = a + 1; b < 2 * N; b++) {
			struct cache *cache = cache_new();
			CHECK(cache);
			for (int round = 0; round < 3; round++)
				for (size_t k = 0; k < 2; k++) {
					size_t x = k ? b : a;
					int purpose = x < N ? X509_PURPOSE_SSL_SERVER
					                    : X509_PURPOSE_SSL_CLIENT;
					chain_check_free(cache_chain_check(
					    cache, store, &ch[x % N], purpose, now, now));
				}
			if (cache_stats(cache)->chain_misses != 2) {
				check_failf(
				    __LINE__, "%s and %s (%s, %s): %llu misses",
				    names[a % N], names[b % N],
				    a < N ? "server" : "client",
				    b < N ? "server" : "client",
				    (unsigned long long)cache_stats(cache)->chain_misses);
				return false;
			}
			CHECK_EQ(cache_stats(cache)->chain_hits, 4);
			cache_free(cache);
			pairs++;
		}
	CHECK_EQ(pairs, N * (2 * N - 1));
	for (size_t i = 0; i < N; i++)
		chain_fini(&ch[i]);
	trust_store_free(store);
	cache_free(keep);
	return true;
}

int main(void)
{
	check_case("certificates_are_shared", certificates_are_shared());
	check_case("verdicts_follow_validity", verdicts_follow_validity());
	check_case("no_chain_vouches_for_another", no_chain_vouches_for_another());
	check_case("two_chains_in_turn_stay", two_chains_in_turn_stay());
	return check_summary();
}
