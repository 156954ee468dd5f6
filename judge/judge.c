/* judge.c: from the wire facts of a handshake to its verdict (judge.h). */
#include "judge.h"

#include "cache.h"
#include "rules.h"
#include "sites.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

struct judge {
	const struct config *cfg;
	const struct trust_set *trust;
	struct cache *cache; /* owned; NULL when out of memory (nothing is cached) */
	time_t today;
	struct judge_stats stats;
};

struct judge *judge_new(const struct config *cfg, const struct trust_set *trust,
                        time_t today)
{
	struct judge *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->cfg = cfg;
	j->trust = trust;
	j->today = today;
	j->cache = cache_new();
	return j;
}

void judge_free(struct judge *j)
{
	if (!j)
		return;
	cache_free(j->cache);
	free(j);
}

const struct judge_stats *judge_stats(const struct judge *j)
{
	return &j->stats;
}

time_t judge_today(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (e && *e) {
		char *end;
		errno = 0;
		long long v = strtoll(e, &end, 10);
		if (!*end && !errno && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

/* The certificates one side sent, each decoded once (the cache) unless it
 * is over the size cap: a DER this large is no real certificate, and
 * OpenSSL is not asked. */
static int decode_chain(struct judge *j, const struct wire_chain *w, struct chain *ch)
{
	ch->seen = w->seen;
	ch->dropped = w->dropped;
	if (!w->n)
		return 0;
	ch->certs = calloc(w->n, sizeof(*ch->certs));
	if (!ch->certs)
		return -1;
	size_t cap = j->cfg->max_cert_size;
	for (size_t i = 0; i < w->n; i++) {
		const struct wire_cert *wc = &w->certs[i];
		bool over = cap && wc->len > cap;
		struct cert *c =
		    over ? cert_new_undecoded(wc->der, wc->len,
		                              "larger than the certificate size cap")
		         : cache_cert(j->cache, wc->blob);
		if (!c)
			return -1;
		ch->certs[ch->n++] = c;
		ch->oversized += over;
	}
	j->stats.certs_oversized += ch->oversized;
	return 0;
}

/* CertificateRequest's CA names: decoded for matching, RFC 2253 for the
 * writers.  A name that is no X.509 Name is counted and left out. */
static STACK_OF(X509_NAME) *
    decode_ca_names(struct judge *j, const struct blob_list *l, struct string_list *out)
{
	if (!l->n)
		return NULL;
	STACK_OF(X509_NAME) *sk = sk_X509_NAME_new_null();
	for (size_t i = 0; sk && i < l->n; i++) {
		const unsigned char *p = l->v[i].p;
		X509_NAME *n = d2i_X509_NAME(NULL, &p, (long)l->v[i].len);
		if (!n || p != l->v[i].p + l->v[i].len) {
			X509_NAME_free(n);
			j->stats.malformed_ca_names++;
			continue;
		}
		char *name = name_string(n);
		if (name)
			string_list_add(out, name);
		free(name);
		if (!sk_X509_NAME_push(sk, n))
			X509_NAME_free(n);
	}
	ERR_clear_error();
	return sk;
}

/* The report reads best with the alerts first: they are rotated to the
 * front, in order (the diagnoses before them keep theirs). */
static void alerts_first(struct verdict *v, size_t from)
{
	size_t n = 0;
	for (size_t i = from; i < v->n_diags && v->diags[i].code == DIAG_ALERT; i++)
		n++;
	if (!n || !from)
		return;
	struct diagnosis *tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return;
	memcpy(tmp, v->diags + from, n * sizeof(*tmp));
	memmove(v->diags + n, v->diags, from * sizeof(*tmp));
	memcpy(v->diags, tmp, n * sizeof(*tmp));
	free(tmp);
}

/* The refusal of side's chain: the fatal alert the other side sent about a
 * certificate, or its silent close right after side's certificate; the
 * index of its diagnosis, and the alert code (0 for a close), or false. */
static bool refusal_of(const struct verdict *v, int side, size_t *at, uint8_t *alert)
{
	for (size_t i = 0; i < v->n_diags; i++) {
		const struct diagnosis *d = &v->diags[i];
		if (d->side != side)
			continue;
		if (d->code == DIAG_ALERT && d->severity == SEV_ERROR && d->alert_code &&
		    (alert_is_certificate(d->alert_code) || d->alert_code == 40)) {
			*at = i;
			*alert = d->alert_code;
			return true;
		}
		if (d->code == DIAG_ABORTED_AFTER_CERTIFICATE) {
			*at = i;
			*alert = 0;
			return true;
		}
	}
	return false;
}

/* A finding's id: 16 hex digits of der_hash() (a fixed function of its
 * bytes) over "code|refused_by|certificate|store", so the same problem has
 * the same id in every run, file and sensor.  A SHA-256 here cost a tenth
 * of a short connection's whole budget; 64 bits are plenty to tell the
 * problems of one capture apart. */
static void finding_id(const struct diagnosis *d, int refused_by, const char *store,
                       char out[17])
{
	static const char hex[] = "0123456789abcdef";
	char key[512];
	size_t n = 0;
	const char *who = refused_by < 0              ? ""
	                  : refused_by == SIDE_CLIENT ? "client"
	                                              : "server";
	key[0] = '\0';
	text_append(key, sizeof(key), &n, d->name, strlen(d->name));
	text_append(key, sizeof(key), &n, "|", 1);
	text_append(key, sizeof(key), &n, who, strlen(who));
	text_append(key, sizeof(key), &n, "|", 1);
	text_append(key, sizeof(key), &n, d->cert_sha256, strlen(d->cert_sha256));
	text_append(key, sizeof(key), &n, "|", 1);
	if (store)
		text_append(key, sizeof(key), &n, store, strlen(store));
	uint64_t h = der_hash((const uint8_t *)key, n);
	for (int i = 0; i < 16; i++)
		out[i] = hex[(h >> (60 - 4 * i)) & 15];
	out[16] = '\0';
}

/* Diagnoses of one handshake that share a cause become one finding: the
 * refusal of a chain (the alert, or the silent close) and the weaker
 * causes of the same family join the strongest cause on that chain, and
 * client-ca-not-accepted joins the missing issuer it follows from. */
static void group(struct judging *jg)
{
	struct verdict *v = jg->v;
	int refused_by[2] = {-1, -1};
	for (size_t i = 0; i < v->n_diags; i++)
		v->diags[i].cause = i;
	for (int side = 0; side < 2; side++) {
		size_t at = 0, best = SIZE_MAX;
		uint8_t alert = 0;
		bool refused = refusal_of(v, side, &at, &alert);
		if (refused)
			refused_by[side] = !side;
		best = strongest_cause(v, side, refused ? alert : 0);
		if (best == SIZE_MAX)
			continue;
		/* every refusing alert of that side (GnuTLS sends access_denied,
		 * then bad_certificate), from the first on */
		for (size_t i = at; refused && i < v->n_diags; i++)
			if (i == at ||
			    (v->diags[i].side == side && v->diags[i].code == DIAG_ALERT &&
			     v->diags[i].severity == SEV_ERROR &&
			     alert_is_certificate(v->diags[i].alert_code)))
				v->diags[i].cause = best;
		for (size_t i = 0; i < v->n_diags; i++)
			if (v->diags[i].side == side &&
			    v->diags[i].code == DIAG_CLIENT_CA_NOT_ACCEPTED &&
			    (v->diags[best].code == DIAG_ISSUER_NOT_FOUND ||
			     v->diags[best].code == DIAG_UNTRUSTED_ROOT))
				v->diags[i].cause = best;
	}
	for (size_t i = 0; i < v->n_diags; i++) {
		struct diagnosis *d = &v->diags[i];
		if (d->cause != i)
			continue;
		int side = d->side;
		const char *store =
		    side >= 0 && v->check[side] && diag_names_store(d->code)
		        ? trust_store_fingerprint(v->check[side]->store)
		        : NULL;
		d->refused_by = side >= 0 ? refused_by[side] : -1;
		finding_id(d, d->refused_by, store, d->finding);
	}
	for (size_t i = 0; i < v->n_diags; i++) {
		const struct diagnosis *c = &v->diags[v->diags[i].cause];
		memcpy(v->diags[i].finding, c->finding, 17);
		v->diags[i].refused_by = c->refused_by;
	}
}

int judge_run(struct judge *j, const struct handshake *hs, struct verdict *v)
{
	int rc = -1;
	memset(v, 0, sizeof(*v));
	struct judging jg = {
	    .hs = hs,
	    .v = v,
	    .cfg = j->cfg,
	    .trust = j->trust,
	    .cache = j->cache,
	    .at = j->cfg->have_at ? j->cfg->at : hs->ts.tv_sec,
	    .today = j->today,
	};
	v->service = service_name(hs->server.port);
	if (decode_chain(j, &hs->chains[SIDE_SERVER], &v->chains[SIDE_SERVER]) < 0 ||
	    decode_chain(j, &hs->chains[SIDE_CLIENT], &v->chains[SIDE_CLIENT]) < 0)
		goto out;
	jg.ca_names = decode_ca_names(
	    j, &hs->ca_names, &v->ca_names); /* what the chains show first: an alert is
	                                        worded from what explains it */
	rules_check_chains(&jg);
	rules_handshake(&jg);
	rules_certificates(&jg);
	for (int side = SIDE_SERVER; side >= SIDE_CLIENT; side--) {
		rules_chain_order(&jg, side);
		if (v->check[side])
			rules_trust_side(&jg, side);
	}
	size_t before_alerts = v->n_diags;
	rules_alerts(&jg);
	rules_store_mismatch(&jg);
	alerts_first(v, before_alerts);
	group(&jg);
	rc = 0;
out:
	for (size_t i = 0; i < v->n_diags; i++) {
		if (v->diags[i].severity == SEV_ERROR)
			j->stats.errors++;
		else if (v->diags[i].severity == SEV_WARNING)
			j->stats.warnings++;
	}
	sk_X509_NAME_pop_free(jg.ca_names, X509_NAME_free);
	ERR_clear_error();
	return rc;
}

void verdict_fini(struct verdict *v)
{
	for (int side = 0; side < 2; side++) {
		for (size_t i = 0; i < v->chains[side].n; i++)
			cert_free(v->chains[side].certs[i]);
		free(v->chains[side].certs);
		chain_check_free(v->check[side]);
	}
	string_list_fini(&v->ca_names);
	for (size_t i = 0; i < v->n_diags; i++) {
		free(v->diags[i].name);
		free(v->diags[i].message);
		free(v->diags[i].advice);
	}
	free(v->diags);
	memset(v, 0, sizeof(*v));
}

enum severity verdict_worst(const struct verdict *v)
{
	enum severity worst = SEV_INFO;
	for (size_t i = 0; i < v->n_diags; i++)
		if (v->diags[i].severity > worst)
			worst = v->diags[i].severity;
	return worst;
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}
