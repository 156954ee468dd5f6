/* fixkit_walk.c: a refused chain rebuilt up to its root from every source
 * a fix kit may take a CA from, each issuer checked by its signature. */
#include "fixkit_walk.h"

#include "certificate.h"

#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building --------------------------------------------------------- */

/* x issued y: names and key identifiers agree and y's signature verifies
 * with x's key. */
static bool issued(X509 *x, X509 *y)
{
	EVP_PKEY *key = X509_get0_pubkey(x);
	return X509_check_issued(x, y) == X509_V_OK && key && X509_verify(y, key) == 1;
}

static bool self_signed(X509 *x)
{
	return issued(x, x);
}

static bool usable_today(X509 *x, time_t today)
{
	time_t t = today;
	/* X509_cmp_time(): -1 earlier, 1 later, 0 a time it cannot read */
	return X509_cmp_time(X509_get0_notBefore(x), &t) < 0 &&
	       X509_cmp_time(X509_get0_notAfter(x), &t) > 0;
}

/* The issuer of x among n candidates: one usable today first, else one
 * that is not (*stale).  NULL when none issued it. */
static X509 *issuer_among(X509 *x, const struct source_cert *c, size_t n, time_t today,
                          const char **source, X509 **stale)
{
	for (size_t i = 0; i < n; i++) {
		if (c[i].x == x || X509_check_ca(c[i].x) < 1 || !issued(c[i].x, x))
			continue;
		if (usable_today(c[i].x, today)) {
			*source = c[i].source;
			return c[i].x;
		}
		if (!*stale)
			*stale = c[i].x;
	}
	return NULL;
}

static X509 *issuer_in_store(X509 *x, const struct trust_store *s, time_t today,
                             X509 **stale)
{
	/* an issuer's subject is x's issuer name (X509_check_issued) */
	STACK_OF(X509) *certs = s ? trust_store_named(s, X509_get_issuer_name(x)) : NULL;
	X509 *found = NULL;
	for (int i = 0; !found && i < sk_X509_num(certs); i++) {
		X509 *c = sk_X509_value(certs, i);
		if (c == x || X509_check_ca(c) < 1 || !issued(c, x))
			continue;
		if (usable_today(c, today))
			found = c;
		else if (!*stale)
			*stale = c;
	}
	sk_X509_free(certs);
	return found;
}

/* The issuer of x from every source, in the order the capture, the store
 * given for the device, the other stores given, --ca-pool. */
static X509 *find_issuer(const struct fixkit *k, const struct refusal *r, X509 *x,
                         const char **source, X509 **stale)
{
	X509 *found =
	    issuer_among(x, k->presented, k->n_presented, k->today, source, stale);
	if (found)
		return found;
	if (r->store && (found = issuer_in_store(x, r->store, k->today, stale))) {
		*source = r->store->label;
		return found;
	}
	for (size_t i = 0; k->trust && i < k->trust->n; i++) {
		const struct trust_store *s = k->trust->stores[i];
		if (s != r->store && (found = issuer_in_store(x, s, k->today, stale))) {
			*source = s->label;
			return found;
		}
	}
	if (k->pool && (found = issuer_in_store(x, k->pool, k->today, stale)))
		*source = k->pool->label;
	return found;
}

static bool store_holds(const struct trust_store *s, X509 *x)
{
	STACK_OF(X509) *certs = s ? trust_store_named(s, X509_get_subject_name(x)) : NULL;
	bool held = false;
	for (int i = 0; !held && i < sk_X509_num(certs); i++)
		held = X509_cmp(sk_X509_value(certs, i), x) == 0;
	sk_X509_free(certs);
	return held;
}

static void sha256_of(X509 *x, char out[65])
{
	cert_sha256_hex(x, out);
}

static bool kit_has(const struct fix_kit *kit, const char *sha256)
{
	for (size_t i = 0; i < kit->n_certs; i++)
		if (!strcmp(kit->certs[i].sha256, sha256))
			return true;
	return false;
}

/* Adds x to the kit once, keeping its roots last. */
static void kit_add_cert(struct fix_kit *kit, X509 *x, const char *source,
                         const struct trust_store *given)
{
	char sha[65];
	sha256_of(x, sha);
	if (kit_has(kit, sha))
		return;
	struct fixkit_cert c = {.source = source};
	int len = i2d_X509(x, &c.der);
	if (len <= 0)
		return;
	struct fixkit_cert *nv = realloc(kit->certs, (kit->n_certs + 1) * sizeof(*nv));
	if (!nv) {
		OPENSSL_free(c.der);
		return;
	}
	kit->certs = nv;
	/* the DER is the kit's: copied out of OpenSSL's allocator */
	unsigned char *der = malloc((size_t)len);
	if (der)
		memcpy(der, c.der, (size_t)len);
	OPENSSL_free(c.der);
	c.der = der;
	c.der_len = (size_t)len;
	memcpy(c.sha256, sha, sizeof(sha));
	c.subject = name_string(X509_get_subject_name(x));
	c.issuer = name_string(X509_get_issuer_name(x));
	asn1_time(X509_get0_notAfter(x), &c.not_after);
	c.root = self_signed(x);
	c.in_device_store = store_holds(given, x);
	if (!c.der) {
		free(c.subject);
		free(c.issuer);
		return;
	}
	size_t at = kit->n_certs;
	if (!c.root)
		while (at > 0 && kit->certs[at - 1].root)
			at--;
	memmove(kit->certs + at + 1, kit->certs + at, (kit->n_certs - at) * sizeof(*nv));
	kit->certs[at] = c;
	kit->n_certs++;
}

static char *key_id_hex(X509 *x)
{
	const ASN1_OCTET_STRING *id = X509_get0_authority_key_id(x);
	int n = id ? ASN1_STRING_length(id) : 0;
	const unsigned char *p = id ? ASN1_STRING_get0_data(id) : NULL;
	char *s = malloc((size_t)n * 3 + 1);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0, o = 0; i < n; i++)
		o += snprintf(s + o, 4, i ? ":%02x" : "%02x", p[i]);
	return s;
}

static void kit_add_missing(struct fix_kit *kit, X509 *needs, X509 *stale, time_t today)
{
	char sha[65];
	sha256_of(needs, sha);
	for (size_t i = 0; i < kit->n_missing; i++)
		if (!strcmp(kit->missing[i].needed_sha256, sha))
			return;
	struct fixkit_missing *nv =
	    realloc(kit->missing, (kit->n_missing + 1) * sizeof(*nv));
	if (!nv)
		return;
	kit->missing = nv;
	struct fixkit_missing *m = &kit->missing[kit->n_missing++];
	*m = (struct fixkit_missing){0};
	m->subject = name_string(X509_get_issuer_name(needs));
	m->key_id = key_id_hex(needs);
	m->needed_by = name_string(X509_get_subject_name(needs));
	memcpy(m->needed_sha256, sha, sizeof(sha));
	if (stale) {
		char ssha[65], line[256];
		sha256_of(stale, ssha);
		snprintf(line, sizeof(line),
		         "a copy (SHA-256 %s) was found but is %s today", ssha,
		         X509_cmp_time(X509_get0_notAfter(stale), &today) < 0
		             ? "expired"
		             : "not yet valid");
		m->unusable = strdup(line);
	}
}

/* The presented certificate that issued x, or NULL. */
static X509 *issuer_presented(const struct refusal *r, X509 *x)
{
	for (size_t i = 0; i < r->n_chain; i++)
		if (r->chain[i] != x && issued(r->chain[i], x))
			return r->chain[i];
	return NULL;
}

/* Walks r's chain from its leaf to a root: what the device must add to its
 * store goes to kit, the intermediates its sender should send to sender
 * (may be NULL). */
bool fixkit_walk(const struct fixkit *k, const struct refusal *r, struct fix_kit *kit,
                 struct fix_kit *sender)
{
	X509 *x = r->n_chain ? r->chain[0] : NULL;
	bool unsent = false;
	for (int depth = 0; x && depth < 16; depth++) {
		if (self_signed(x)) {
			if (X509_check_ca(x) >= 1 && depth > 0 &&
			    usable_today(x, k->today))
				kit_add_cert(kit, x, "the capture", r->store);
			else if (depth > 0)
				kit_add_missing(kit, x, x, k->today);
			return unsent;
		}
		X509 *next = issuer_presented(r, x);
		if (next) {
			x = next;
			continue;
		}
		const char *source = NULL;
		X509 *stale = NULL;
		next = find_issuer(k, r, x, &source, &stale);
		if (!next) {
			kit_add_missing(kit, x, stale, k->today);
			return unsent;
		}
		kit_add_cert(kit, next, source, r->store);
		if (sender && !self_signed(next)) {
			kit_add_cert(sender, next, source, NULL);
			unsent = true;
		}
		x = next;
	}
	return unsent;
}
