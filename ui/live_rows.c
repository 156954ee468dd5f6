/* live_rows.c: the live view's rows, made from each handshake and its
 * verdict on the capture thread: what the table shows, the text report of
 * the detail screen, the words a filter searches, and the chains to export
 * (copies: the handshake is gone once live_add() returns). */
#include "live_rows.h"

#include "../dissect/names.h"
#include "../judge/sites.h"
#include "output.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	free(r->ladder);
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

bool row_matches(const struct row *r, const char *text)
{
	char needle[128];
	size_t i;
	for (i = 0; text[i] && i + 1 < sizeof(needle); i++)
		needle[i] = (char)tolower((unsigned char)text[i]);
	needle[i] = '\0';
	return r->haystack && strstr(r->haystack, needle);
}

/* The worst finding of the verdict (the cause's code), who refused, and
 * the findings it names. */
static void row_findings(struct row *r, const struct handshake *hs,
                         const struct verdict *v)
{
	int refused = -1;
	r->worst = SEV_INFO;
	for (size_t i = 0; i < v->n_diags; i++) {
		const struct diagnosis *d = &v->diags[i];
		const struct diagnosis *cause = &v->diags[d->cause];
		if (!r->has_diag || d->severity > r->worst) {
			r->worst = d->severity;
			snprintf(r->worst_code, sizeof(r->worst_code), "%s", cause->name);
		}
		r->has_diag = true;
		if (refused < 0)
			refused = cause->refused_by;
		bool known = false;
		for (size_t k = 0; k < r->n_findings && !known; k++)
			known = strcmp(r->findings[k], d->finding) == 0;
		if (!known && r->n_findings < ROW_MAX_FINDINGS)
			memcpy(r->findings[r->n_findings++], d->finding, 17);
	}
	/* no finding names who refused: the sender of the first fatal alert */
	for (size_t i = 0; refused < 0 && i < hs->n_alerts; i++)
		if (hs->alerts[i].level == 2)
			refused = hs->alerts[i].from;
	snprintf(r->refused, sizeof(r->refused), "%s",
	         refused == SIDE_CLIENT   ? "client"
	         : refused == SIDE_SERVER ? "server"
	                                  : "");
}

/* The text report of the handshake and its ladder, for the detail. */
static void row_texts(struct row *r, const struct handshake *hs, const struct verdict *v)
{
	size_t size = 0;
	FILE *m = open_memstream(&r->detail, &size);
	if (m) {
		report_handshake(m, hs, v, false);
		fclose(m);
	}
	m = open_memstream(&r->ladder, &size);
	if (m) {
		report_ladder(m, &hs->ladder, 2, ladder_width(80, 2), false);
		fclose(m);
	}
}

void live_add(struct live *lv, const struct handshake *hs, const struct verdict *v,
              const char *file)
{
	struct row *r = calloc(1, sizeof(*r));
	if (!r)
		return;
	struct tm tm;
	time_t t = hs->ts.tv_sec;
	localtime_r(&t, &tm);
	strftime(r->when, sizeof(r->when), "%H:%M:%S", &tm);
	endpoint_text(&hs->client, true, r->client, sizeof(r->client));
	endpoint_text(&hs->server, true, r->server, sizeof(r->server));
	snprintf(r->service, sizeof(r->service), "%s", v->service ? v->service : "");
	const char *abbrev = service_short(hs->server.port);
	snprintf(r->service_short, sizeof(r->service_short), "%s",
	         v->service && abbrev ? abbrev : r->service);
	snprintf(r->sni, sizeof(r->sni), "%s", hs->sni ? hs->sni : "");
	const char *ver = hs->server_hello_seen ? version_name(hs->version) : NULL;
	/* "TLS 1.2" -> "1.2", "SSL 3.0" -> "SSL3": the column is narrow */
	snprintf(r->version, sizeof(r->version), "%s",
	         !ver                           ? "?"
	         : strncmp(ver, "TLS ", 4) == 0 ? ver + 4
	         : strcmp(ver, "SSL 3.0") == 0  ? "SSL3"
	                                        : ver);
	snprintf(r->outcome, sizeof(r->outcome), "%s", outcome_name(hs->outcome));
	row_findings(r, hs, v);
	row_texts(r, hs, v);
	size_t hlen = 0;
	append_lower(&r->haystack, &hlen, r->client);
	append_lower(&r->haystack, &hlen, r->server);
	append_lower(&r->haystack, &hlen, hs->sni);
	append_lower(&r->haystack, &hlen, v->service);
	append_lower(&r->haystack, &hlen, r->outcome);
	if (r->refused[0]) {
		char by[24];
		snprintf(by, sizeof(by), "refused by %s", r->refused);
		append_lower(&r->haystack, &hlen, by);
	}
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
	endpoint_file_token(&hs->client, cl, sizeof(cl));
	endpoint_file_token(&hs->server, sv, sizeof(sv));
	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%S", &tm);
	snprintf(r->base, sizeof(r->base), "%s.%06ld_%s_%u-%s_%u", ts,
	         (long)hs->ts.tv_usec, cl, hs->client.port, sv, hs->server.port);

	pthread_mutex_lock(&lv->mu);
	if (lv->findings)
		findings_add(lv->findings, hs, v, file);
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

void live_publish(struct live *lv, const struct run_totals *t)
{
	pthread_mutex_lock(&lv->mu);
	struct live_totals *c = &lv->totals;
	c->src = *t->src;
	c->tcp = *t->tcp;
	c->tls = *t->tls;
	c->judged = *t->judged;
	c->failed = t->failed;
	c->have_export = t->exported != NULL;
	if (t->exported)
		c->exported = *t->exported;
	lv->changed = true;
	pthread_mutex_unlock(&lv->mu);
}

void live_note(struct live *lv, const char *msg)
{
	pthread_mutex_lock(&lv->mu);
	snprintf(lv->note, sizeof(lv->note), "%s", msg);
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

struct live *live_new(const struct config *cfg, const struct trust_set *trust,
                      struct findings *findings, const char *source, const char *filter)
{
	struct live *lv = calloc(1, sizeof(*lv));
	if (!lv)
		return NULL;
	lv->cfg = cfg;
	lv->trust = trust;
	lv->findings = findings;
	lv->out_fd = -1;
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
	if (lv->out_fd >= 0)
		close(lv->out_fd);
	pthread_mutex_destroy(&lv->mu);
	free(lv);
}
