/* chain.c: chain building and verification with OpenSSL's X509_STORE
 * (RFC 5280 section 6), as of the capture's time, and as of today. */
#include "chain.h"

#include "certificate.h"
#include "truststore.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <stdlib.h>
#include <string.h>

struct run {
	struct chain_error errors[CHAIN_MAX_ERRORS];
	size_t n;
};

static int app_index = -1;

/* Record the error and carry on, so every problem of every certificate is
 * seen, not only the first. */
static int keep_going(int ok, X509_STORE_CTX *ctx)
{
	struct run *r = X509_STORE_CTX_get_ex_data(ctx, app_index);
	if (!ok && r && r->n < CHAIN_MAX_ERRORS) {
		int code = X509_STORE_CTX_get_error(ctx);
		int depth = X509_STORE_CTX_get_error_depth(ctx);
		for (size_t i = 0; i < r->n; i++)
			if (r->errors[i].code == code && r->errors[i].depth == depth)
				return 1;
		r->errors[r->n++] = (struct chain_error){depth, code, NULL};
	}
	return 1;
}

/* Builds and verifies; returns the chain OpenSSL built (owned), or NULL. */
static STACK_OF(X509) * verify(const struct trust_store *store,
                               const struct chain *presented, int purpose, time_t at,
                               struct run *r)
{
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *built = NULL;
	X509 *leaf = presented->certs[0]->x509;
	memset(r, 0, sizeof(*r));
	if (!untrusted || !ctx || !leaf)
		goto out;
	for (size_t i = 1; i < presented->n; i++)
		if (presented->certs[i]->x509)
			sk_X509_push(untrusted, presented->certs[i]->x509);
	trust_store_prepare(store, leaf, untrusted);
	if (app_index < 0)
		app_index = X509_STORE_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if (!X509_STORE_CTX_init(ctx, store->store, leaf, untrusted))
		goto out;
	X509_STORE_CTX_set_ex_data(ctx, app_index, r);
	X509_STORE_CTX_set_verify_cb(ctx, keep_going);
	X509_STORE_CTX_set_purpose(ctx, purpose);
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), at);
	X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(ctx),
	                                 CHAIN_SECURITY_LEVEL);
	if (X509_verify_cert(ctx) <= 0 && r->n == 0 && r->n < CHAIN_MAX_ERRORS)
		r->errors[r->n++] =
		    (struct chain_error){0, X509_STORE_CTX_get_error(ctx), NULL};
	built = X509_STORE_CTX_get1_chain(ctx);
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	ERR_clear_error();
	return built;
}

static bool presented_has(const struct chain *presented, X509 *x)
{
	for (size_t i = 0; i < presented->n; i++)
		if (presented->certs[i]->x509 &&
		    X509_cmp(presented->certs[i]->x509, x) == 0)
			return true;
	return false;
}

static struct chain_links *links_new(STACK_OF(X509) * completed)
{
	int n = sk_X509_num(completed);
	if (n < 0)
		n = 0;
	struct chain_links *l = calloc(1, sizeof(*l) + (size_t)n * sizeof(l->v[0]));
	if (!l)
		return NULL;
	l->refs = 1;
	l->n = n;
	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(completed, i);
		cert_sha256_hex(x, l->v[i].sha256);
		l->v[i].subject = name_string(X509_get_subject_name(x));
		l->v[i].issuer = name_string(X509_get_issuer_name(x));
		int len = i2d_X509(x, &l->v[i].der);
		l->v[i].der_len = len > 0 ? (size_t)len : 0;
		asn1_time(X509_get0_notAfter(x), &l->v[i].not_after);
	}
	return l;
}

static void links_free(struct chain_links *l)
{
	if (!l || --l->refs > 0)
		return;
	for (int i = 0; i < l->n; i++) {
		free(l->v[i].subject);
		free(l->v[i].issuer);
		OPENSSL_free(l->v[i].der);
	}
	free(l);
}

const struct chain_link *chain_link_at(const struct chain_check *cc, int depth)
{
	return cc->links && depth >= 0 && depth < cc->links->n ? &cc->links->v[depth]
	                                                       : NULL;
}

bool chain_error_is_level(int code)
{
	return code == X509_V_ERR_CA_MD_TOO_WEAK || code == X509_V_ERR_EE_KEY_TOO_SMALL ||
	       code == X509_V_ERR_CA_KEY_TOO_SMALL;
}

bool chain_check_has(const struct chain_check *cc, int code, int *depth)
{
	for (size_t i = 0; i < cc->n_errors; i++) {
		if (cc->errors[i].code == code) {
			if (depth)
				*depth = cc->errors[i].depth;
			return true;
		}
	}
	return false;
}

static bool time_error(int code)
{
	return code == X509_V_ERR_CERT_HAS_EXPIRED ||
	       code == X509_V_ERR_CERT_NOT_YET_VALID;
}

/* Only the validity of the chain changes between two times. */
static bool only_time_errors(const struct run *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (!time_error(r->errors[i].code))
			return false;
	return true;
}

static void describe_today(struct chain_check *cc, const struct run *now, time_t today)
{
	char date[32];
	bool then_ok = !chain_check_has(cc, X509_V_ERR_CERT_HAS_EXPIRED, NULL) &&
	               !chain_check_has(cc, X509_V_ERR_CERT_NOT_YET_VALID, NULL);
	bool now_ok = true;
	time_t first_expiry = 0;
	for (size_t i = 0; i < now->n; i++)
		if (time_error(now->errors[i].code))
			now_ok = false;
	for (int i = 0; i < sk_X509_num(cc->completed); i++) {
		struct tm tm;
		const ASN1_TIME *na = X509_get0_notAfter(sk_X509_value(cc->completed, i));
		if (ASN1_TIME_to_tm(na, &tm)) {
			time_t t = timegm(&tm);
			if (t < today && (!first_expiry || t < first_expiry))
				first_expiry = t;
		}
	}
	if (then_ok == now_ok)
		return;
	if (then_ok && first_expiry) {
		time_format(first_expiry, date, sizeof(date));
		date[10] = '\0';
		snprintf(cc->status, sizeof(cc->status),
		         "valid when captured; expired since %s", date);
	} else if (then_ok) {
		snprintf(cc->status, sizeof(cc->status),
		         "valid when captured; not valid today");
	} else if (chain_check_has(cc, X509_V_ERR_CERT_NOT_YET_VALID, NULL)) {
		snprintf(
		    cc->status, sizeof(cc->status),
		    "not yet valid when captured, valid today: check the device's clock");
	} else {
		snprintf(cc->status, sizeof(cc->status),
		         "expired when captured; a renewed chain would be valid today");
	}
}

bool chain_checks_today(time_t at, time_t today)
{
	return today - at > 86400 || at - today > 86400;
}

struct chain_check *chain_check_new(const struct trust_store *store,
                                    const struct chain *presented, int purpose, time_t at,
                                    time_t today)
{
	if (!store || presented->n == 0 || !presented->certs[0]->x509)
		return NULL;
	struct chain_check *cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	struct run r;
	cc->store = store;
	cc->at = at;
	cc->completed = verify(store, presented, purpose, at, &r);
	memcpy(cc->errors, r.errors, sizeof(r.errors));
	cc->n_errors = r.n;
	for (size_t i = 0; i < r.n; i++)
		cc->errors[i].text = X509_verify_cert_error_string(cc->errors[i].code);
	cc->verified = r.n == 0;
	int n = sk_X509_num(cc->completed);
	cc->from_store = calloc(n > 0 ? (size_t)n : 1, sizeof(bool));
	cc->links = links_new(cc->completed);
	if (!cc->from_store || !cc->links) {
		chain_check_free(cc);
		return NULL;
	}
	for (int i = 0; i < n; i++)
		cc->from_store[i] =
		    !presented_has(presented, sk_X509_value(cc->completed, i));
	/* the same chain today, when today is another day than the capture's */
	if (chain_checks_today(at, today)) {
		struct run now;
		STACK_OF(X509) *again = verify(store, presented, purpose, today, &now);
		sk_X509_pop_free(again, X509_free);
		cc->today_checked = true;
		cc->today_verified = now.n == 0;
		if (only_time_errors(&r) && only_time_errors(&now))
			describe_today(cc, &now, today);
	}
	return cc;
}

struct chain_check *chain_check_dup(const struct chain_check *cc, time_t at)
{
	struct chain_check *d = malloc(sizeof(*d));
	if (!d)
		return NULL;
	*d = *cc;
	d->at = at;
	d->completed = NULL;
	int n = sk_X509_num(cc->completed);
	d->from_store = malloc(n > 0 ? (size_t)n * sizeof(bool) : 1);
	d->links = NULL;
	if (cc->completed)
		d->completed = X509_chain_up_ref(cc->completed);
	if (!d->from_store || (cc->completed && !d->completed)) {
		chain_check_free(d);
		return NULL;
	}
	if (n > 0)
		memcpy(d->from_store, cc->from_store, (size_t)n * sizeof(bool));
	d->links = cc->links;
	d->links->refs++;
	return d;
}

void chain_check_free(struct chain_check *cc)
{
	if (!cc)
		return;
	sk_X509_pop_free(cc->completed, X509_free);
	free(cc->from_store);
	links_free(cc->links);
	free(cc);
}
