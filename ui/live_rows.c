/* live_rows.c: the live view's rows, made from each handshake and its
 * verdict on the capture thread: what the table shows, the text report of
 * the detail screen, the words a filter searches, and the chains to export
 * (copies: the handshake is gone once live_add() returns). */
#include "live_rows.h"

#include "../dissect/names.h"
#include "output.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void live_quit_on(struct live *lv, volatile sig_atomic_t *flag)
{
	lv->quit_flag = flag;
}

/* ---- from the capture thread -------------------------------------------- */

static bool der_chain_alloc(struct der_chain *dc, size_t n)
{
	dc->der = calloc(n ? n : 1, sizeof(*dc->der));
	dc->len = calloc(n ? n : 1, sizeof(*dc->len));
	return dc->der && dc->len;
}

static bool der_chain_push(struct der_chain *dc, const unsigned char *der, size_t len)
{
	dc->der[dc->n] = malloc(len ? len : 1);
	if (!dc->der[dc->n])
		return false;
	memcpy(dc->der[dc->n], der, len);
	dc->len[dc->n++] = len;
	return true;
}

static void copy_chain(struct der_chain *dc, const struct chain *ch)
{
	if (!der_chain_alloc(dc, ch->n))
		return;
	for (size_t i = 0; i < ch->n; i++)
		if (!der_chain_push(dc, ch->certs[i]->der, ch->certs[i]->der_len))
			return;
}

static void copy_completed(struct der_chain *dc, const struct chain_check *cc)
{
	int n = cc ? chain_check_length(cc) : 0;
	if (n <= 0 || !der_chain_alloc(dc, (size_t)n))
		return;
	for (int i = 0; i < n; i++) {
		const struct chain_link *l = chain_link_at(cc, i);
		if (!l || !der_chain_push(dc, l->der, l->der_len))
			return;
	}
}

static void free_chain(struct der_chain *dc)
{
	for (size_t i = 0; i < dc->n; i++)
		free(dc->der[i]);
	free(dc->der);
	free(dc->len);
}

void row_free(struct row *r)
{
	if (!r)
		return;
	free(r->detail);
	free(r->haystack);
	for (int s = 0; s < 2; s++) {
		free_chain(&r->sent[s]);
		free_chain(&r->completed[s]);
	}
	free(r);
}

static void append_lower(char **h, size_t *len, const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s);
	char *v = realloc(*h, *len + n + 2);
	if (!v)
		return;
	*h = v;
	for (size_t i = 0; i < n; i++)
		v[*len + i] = (char)tolower((unsigned char)s[i]);
	v[*len + n] = '\n';
	*len += n + 1;
	v[*len] = '\0';
}

void live_add(struct live *lv, const struct handshake *hs, const struct verdict *v)
{
	struct row *r = calloc(1, sizeof(*r));
	if (!r)
		return;
	struct tm tm;
	time_t t = hs->ts.tv_sec;
	localtime_r(&t, &tm);
	strftime(r->when, sizeof(r->when), "%H:%M:%S", &tm);
	endpoint_text(&hs->client, false, r->client, sizeof(r->client));
	endpoint_text(&hs->server, true, r->server, sizeof(r->server));
	snprintf(r->service, sizeof(r->service), "%s", v->service ? v->service : "");
	snprintf(r->sni, sizeof(r->sni), "%s", hs->sni ? hs->sni : "");
	const char *ver = hs->server_hello_seen ? version_name(hs->version) : NULL;
	/* "TLS 1.2" -> "1.2", "SSL 3.0" -> "SSL3": the column is narrow */
	snprintf(r->version, sizeof(r->version), "%s",
	         !ver                           ? "?"
	         : strncmp(ver, "TLS ", 4) == 0 ? ver + 4
	         : strcmp(ver, "SSL 3.0") == 0  ? "SSL3"
	                                        : ver);
	snprintf(r->outcome, sizeof(r->outcome), "%s", outcome_name(hs->outcome));
	r->worst = SEV_INFO;
	for (size_t i = 0; i < v->n_diags; i++) {
		if (!r->has_diag || v->diags[i].severity > r->worst) {
			r->worst = v->diags[i].severity;
			snprintf(r->worst_code, sizeof(r->worst_code), "%s",
			         v->diags[i].name);
		}
		r->has_diag = true;
	}
	/* the detail screen: the text report, without colour */
	size_t size = 0;
	FILE *m = open_memstream(&r->detail, &size);
	if (m) {
		report_handshake(m, hs, v, false);
		fclose(m);
	}
	size_t hlen = 0;
	char srv[ENDPOINT_ADDRSTRLEN + 8];
	endpoint_text(&hs->server, true, srv, sizeof(srv));
	append_lower(&r->haystack, &hlen, r->client);
	append_lower(&r->haystack, &hlen, srv);
	append_lower(&r->haystack, &hlen, hs->sni);
	append_lower(&r->haystack, &hlen, v->service);
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < v->chains[s].n; i++)
			append_lower(&r->haystack, &hlen, v->chains[s].certs[i]->subject);
	for (size_t i = 0; i < v->n_diags; i++)
		append_lower(&r->haystack, &hlen, v->diags[i].name);
	for (int s = 0; s < 2; s++) {
		copy_chain(&r->sent[s], &v->chains[s]);
		copy_completed(&r->completed[s], v->check[s]);
	}
	/* the export name comes from time and flow only */
	char cl[ENDPOINT_ADDRSTRLEN], sv[ENDPOINT_ADDRSTRLEN], ts[32];
	endpoint_addr_str(&hs->client, cl, sizeof(cl));
	endpoint_addr_str(&hs->server, sv, sizeof(sv));
	for (char *p = cl; *p; p++)
		if (*p == ':')
			*p = '-';
	for (char *p = sv; *p; p++)
		if (*p == ':')
			*p = '-';
	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%S", &tm);
	snprintf(r->base, sizeof(r->base), "%s.%06ld_%s_%u-%s_%u", ts,
	         (long)hs->ts.tv_usec, cl, hs->client.port, sv, hs->server.port);

	pthread_mutex_lock(&lv->mu);
	if (lv->n == LIVE_MAX_ROWS) {
		row_free(lv->rows[0]);
		memmove(lv->rows, lv->rows + 1, (lv->n - 1) * sizeof(*lv->rows));
		lv->n--;
		lv->dropped_rows++;
	}
	if (lv->n == lv->cap) {
		size_t cap = lv->cap ? lv->cap * 2 : 256;
		struct row **nv = realloc(lv->rows, cap * sizeof(*nv));
		if (!nv) {
			pthread_mutex_unlock(&lv->mu);
			row_free(r);
			return;
		}
		lv->rows = nv;
		lv->cap = cap;
	}
	r->seq = lv->seq++;
	lv->rows[lv->n++] = r;
	lv->changed = true;
	pthread_mutex_unlock(&lv->mu);
}

void live_publish(struct live *lv, const struct live_counters *c)
{
	pthread_mutex_lock(&lv->mu);
	lv->counters = *c;
	lv->changed = true;
	pthread_mutex_unlock(&lv->mu);
}

void live_capture_done(struct live *lv, const char *msg)
{
	pthread_mutex_lock(&lv->mu);
	lv->capture_done = true;
	snprintf(lv->done_msg, sizeof(lv->done_msg), "%s", msg ? msg : "");
	lv->changed = true;
	pthread_mutex_unlock(&lv->mu);
}

struct live *live_new(const struct config *cfg, const char *source, const char *filter)
{
	struct live *lv = calloc(1, sizeof(*lv));
	if (!lv)
		return NULL;
	lv->cfg = cfg;
	pthread_mutex_init(&lv->mu, NULL);
	snprintf(lv->source, sizeof(lv->source), "%s", source ? source : "");
	snprintf(lv->filter, sizeof(lv->filter), "%s", filter ? filter : "");
	lv->follow = true;
	return lv;
}

void live_free(struct live *lv)
{
	if (!lv)
		return;
	for (size_t i = 0; i < lv->n; i++)
		row_free(lv->rows[i]);
	free(lv->rows);
	pthread_mutex_destroy(&lv->mu);
	free(lv);
}
