/* live.c: the live view: a table of handshakes as they end, a detail
 * screen per handshake, filters, sorting, export, and a status bar.
 *
 * Everything shown comes from strings the dissector escaped already; the
 * view draws only printable ASCII and replaces any other byte with '?', so
 * no certificate or SNI text can reach the terminal as a control sequence.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "live.h"

#include "../judge/certificate.h"
#include "../judge/chain.h"
#include "../dissect/names.h"
#include "output.h"

#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Rows kept; past this the oldest are let go (the text report of
 * everything can still be written with --json or without --ui). */
#define LIVE_MAX_ROWS 100000

struct der_chain {
	unsigned char **der;
	size_t *len;
	size_t n;
};

struct row {
	uint64_t seq;
	char when[16];
	char client[ENDPOINT_ADDRSTRLEN + 8];
	char server[ENDPOINT_ADDRSTRLEN + 8];
	char service[24];
	char sni[96];
	char version[12];
	char outcome[12];
	enum severity worst;
	bool has_diag;
	char worst_code[48];
	char *detail;   /* the text report of this handshake */
	char *haystack; /* lower case: addresses, SNI, subjects, codes */
	struct der_chain sent[2], completed[2];
	char base[160]; /* export file name: time, flow, no certificate text */
};

enum sort_key { SORT_ARRIVAL, SORT_SEVERITY, SORT_SERVER, SORT_COUNT };
static const char *const sort_names[] = {"arrival", "severity", "server"};

struct live {
	const struct config *cfg;
	pthread_mutex_t mu;
	struct row **rows;
	size_t n, cap;
	uint64_t seq;
	uint64_t dropped_rows;
	uint64_t failed_rows; /* handshakes with an error */
	struct live_counters counters;
	bool capture_done;
	char done_msg[256];
	char source[256], filter[256];
	bool changed;

	/* the view's own state, main thread only */
	bool utf8;
	size_t sel;  /* index into the visible list */
	size_t top;  /* first visible row on screen */
	bool follow; /* keep the newest row selected */
	bool failures_only;
	enum sort_key sort;
	char search[128];
	char message[256];
	volatile sig_atomic_t *quit_flag;
};

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

static void row_free(struct row *r)
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

static void endpoint_text(const struct endpoint *e, bool port, char *buf, size_t len)
{
	char a[ENDPOINT_ADDRSTRLEN];
	endpoint_addr_str(e, a, sizeof(a));
	if (port)
		snprintf(buf, len, e->family == 6 ? "[%s]:%u" : "%s:%u", a, e->port);
	else
		snprintf(buf, len, "%s", a);
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
	if (r->has_diag && r->worst == SEV_ERROR)
		lv->failed_rows++;
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

/* ---- the view (main thread) --------------------------------------------- */

enum { C_ERR = 1, C_WARN, C_OK, C_BAR };

/* Draw at most w columns of s; a byte that is not printable ASCII is shown
 * as '?' (the dissector escaped wire text already: this is a last guard). */
static void put(int y, int x, const char *s, int w)
{
	for (int i = 0; s && s[i] && i < w; i++) {
		unsigned char c = (unsigned char)s[i];
		mvaddch(y, x + i, c >= 0x20 && c < 0x7f ? c : '?');
	}
}

static bool visible(const struct live *lv, const struct row *r)
{
	if (lv->failures_only && !(r->has_diag && r->worst == SEV_ERROR))
		return false;
	if (lv->search[0]) {
		char needle[128];
		size_t i;
		for (i = 0; lv->search[i] && i + 1 < sizeof(needle); i++)
			needle[i] = (char)tolower((unsigned char)lv->search[i]);
		needle[i] = '\0';
		return r->haystack && strstr(r->haystack, needle);
	}
	return true;
}

static enum sort_key sort_by;

static int compare(const void *a, const void *b)
{
	const struct row *x = *(struct row *const *)a, *y = *(struct row *const *)b;
	int c = 0;
	if (sort_by == SORT_SEVERITY) {
		int sx = x->has_diag ? (int)x->worst + 1 : 0,
		    sy = y->has_diag ? (int)y->worst + 1 : 0;
		c = sy - sx;
	} else if (sort_by == SORT_SERVER) {
		c = strcmp(x->server, y->server);
	}
	if (c == 0)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

/* The visible rows in display order; the caller holds the lock. */
static struct row **view_rows(struct live *lv, size_t *n)
{
	struct row **v = malloc((lv->n ? lv->n : 1) * sizeof(*v));
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < lv->n; i++)
		if (visible(lv, lv->rows[i]))
			v[(*n)++] = lv->rows[i];
	sort_by = lv->sort;
	if (lv->sort != SORT_ARRIVAL)
		qsort(v, *n, sizeof(*v), compare);
	return v;
}

/* Rows are kept in seq order; the caller holds the lock. */
static const struct row *find_row(const struct live *lv, uint64_t seq)
{
	size_t lo = 0, hi = lv->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lv->rows[mid]->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < lv->n && lv->rows[lo]->seq == seq ? lv->rows[lo] : NULL;
}

static int row_color(const struct row *r)
{
	if (!r->has_diag)
		return strcmp(r->outcome, "completed") == 0 ? C_OK : 0;
	return r->worst == SEV_ERROR ? C_ERR : r->worst == SEV_WARNING ? C_WARN : C_OK;
}

static void draw_status(struct live *lv, int h, int w)
{
	char bar[1024];
	struct live_counters c = lv->counters;
	snprintf(bar, sizeof(bar),
	         " pkts %llu  flows %llu  hs %llu  fail %llu  drop %llu%s | %s%s%s%s%s | "
	         "? help  %s%s",
	         (unsigned long long)c.packets, (unsigned long long)c.flows,
	         (unsigned long long)c.handshakes, (unsigned long long)lv->failed_rows,
	         (unsigned long long)c.dropped, lv->capture_done ? "  done" : "",
	         lv->failures_only ? "failures only | " : "",
	         lv->search[0] ? "filter: " : "", lv->search, lv->search[0] ? " | " : "",
	         sort_names[lv->sort], lv->source, lv->filter[0] ? " " : "");
	strncat(bar, lv->filter, sizeof(bar) - strlen(bar) - 1);
	attron(COLOR_PAIR(C_BAR) | A_REVERSE);
	mvhline(h - 1, 0, ' ', w);
	put(h - 1, 0, bar, w);
	attroff(COLOR_PAIR(C_BAR) | A_REVERSE);
	if (lv->message[0]) {
		move(h - 2, 0);
		clrtoeol();
		attron(A_BOLD);
		put(h - 2, 0, lv->message, w);
		attroff(A_BOLD);
	}
}

static void draw_table(struct live *lv, struct row **v, size_t n, int h, int w)
{
	int rows = h - 3 - (lv->message[0] ? 1 : 0);
	if (rows < 1)
		rows = 1;
	if (lv->follow && n)
		lv->sel = n - 1;
	if (lv->sel >= n)
		lv->sel = n ? n - 1 : 0;
	if (lv->sel < lv->top)
		lv->top = lv->sel;
	if (lv->sel >= lv->top + (size_t)rows)
		lv->top = lv->sel - (size_t)rows + 1;
	/* columns: the essential ones always; service and SNI where there is
	 * room (80 columns hold time, flow, version, outcome, worst diagnosis) */
	int wc = 15, ws = 20, wv = 4, wo = 10;
	int rest = w - (8 + 1 + wc + 3 + ws + 1 + wv + 1 + wo + 1);
	int wsv = rest >= 16 + 12 ? 11 : 0;
	rest -= wsv ? wsv + 1 : 0;
	int wsni = rest >= 16 + 18 ? (rest - 16 > 40 ? 40 : rest - 17) : 0;
	rest -= wsni ? wsni + 1 : 0;
	int wd = rest > 0 ? rest : 0;
	char title[512];
	snprintf(title, sizeof(title), "%-8s %-*s   %-*s %-*s%s%-*s%s%-*s %-*s %s",
	         "time", wc, "client", ws, "server", wsv, wsv ? "service" : "",
	         wsv ? " " : "", wsni, wsni ? "sni" : "", wsni ? " " : "", wv, "tls", wo,
	         "outcome", "worst diagnosis");
	attron(A_BOLD);
	mvhline(0, 0, ' ', w);
	put(0, 0, title, w);
	attroff(A_BOLD);
	for (int i = 0; i < rows; i++) {
		size_t k = lv->top + (size_t)i;
		move(1 + i, 0);
		clrtoeol();
		if (k >= n)
			continue;
		const struct row *r = v[k];
		char line[1024];
		snprintf(line, sizeof(line),
		         "%-8s %-*.*s > %-*.*s %-*.*s%s%-*.*s%s%-*.*s %-*.*s %.*s",
		         r->when, wc, wc, r->client, ws, ws, r->server, wsv, wsv,
		         r->service, wsv ? " " : "", wsni, wsni, r->sni, wsni ? " " : "",
		         wv, wv, r->version, wo, wo, r->outcome, wd,
		         r->has_diag ? r->worst_code : "");
		int color = row_color(r);
		int attr =
		    (color ? COLOR_PAIR(color) : 0) | (k == lv->sel ? A_REVERSE : 0);
		attron(attr);
		put(1 + i, 0, line, w);
		if (k == lv->sel)
			for (int x = (int)strlen(line); x < w; x++)
				mvaddch(1 + i, x, ' ');
		attroff(attr);
	}
	for (int i = rows; i < h - 2; i++) {
		move(1 + i, 0);
		clrtoeol();
	}
}

/* A one-line prompt at the bottom; returns false on Esc. */
static bool prompt(const char *question, char *buf, size_t len)
{
	int h = LINES, w = COLS;
	size_t n = strlen(buf);
	timeout(-1);
	for (;;) {
		move(h - 2, 0);
		clrtoeol();
		attron(A_BOLD);
		put(h - 2, 0, question, w);
		attroff(A_BOLD);
		put(h - 2, (int)strlen(question), buf, w - (int)strlen(question));
		refresh();
		int ch = getch();
		if (ch == 27) {
			timeout(200);
			return false;
		}
		if (ch == '\n' || ch == KEY_ENTER)
			break;
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n > 0)
			buf[--n] = '\0';
		else if (ch >= 0x20 && ch < 0x7f && n + 1 < len) {
			buf[n++] = (char)ch;
			buf[n] = '\0';
		}
	}
	timeout(200);
	return true;
}

struct lines {
	char **v;
	size_t n;
};

static void lines_push(struct lines *ls, const char *p, size_t len, size_t indent)
{
	char **v = realloc(ls->v, (ls->n + 1) * sizeof(*v));
	char *l = malloc(indent + len + 1);
	if (!v || !l) {
		free(l);
		if (v)
			ls->v = v;
		return;
	}
	memset(l, ' ', indent);
	memcpy(l + indent, p, len);
	l[indent + len] = '\0';
	ls->v = v;
	ls->v[ls->n++] = l;
}

static void lines_free(struct lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		free(ls->v[i]);
	free(ls->v);
	ls->v = NULL;
	ls->n = 0;
}

/* The report's lines for a screen w columns wide: the UTF-8 tree drawn in
 * ASCII, long sentences wrapped at spaces under their own indentation. */
static void layout(const char *text, int w, struct lines *out)
{
	const char *p = text ? text : "";
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char buf[4096];
		size_t k = 0;
		for (size_t i = 0; i < len && k + 1 < sizeof(buf); i++) {
			unsigned char c = (unsigned char)p[i];
			if (c == 0xe2 && i + 2 < len) {
				unsigned char c2 = (unsigned char)p[i + 2];
				buf[k++] = c2 == 0x94                 ? '`'
				           : c2 == 0x9c || c2 == 0x82 ? '|'
				                                      : '-';
				i += 2;
			} else {
				buf[k++] = (char)c;
			}
		}
		buf[k] = '\0';
		size_t lead = strspn(buf, " ");
		size_t indent = lead + 8 < 20 ? lead + 8 : 20;
		const char *q = buf;
		size_t room = w > 1 ? (size_t)w : 1, first = 1;
		while (strlen(q) + (first ? 0 : indent) > room) {
			size_t avail = room - (first ? 0 : indent);
			if (avail < 10)
				break;
			size_t cut = avail;
			while (cut > avail / 2 && q[cut] != ' ')
				cut--;
			if (q[cut] != ' ')
				cut = avail;
			lines_push(out, q, cut, first ? 0 : indent);
			q += cut;
			while (*q == ' ')
				q++;
			first = 0;
		}
		lines_push(out, q, strlen(q), first ? 0 : indent);
		p = nl ? nl + 1 : p + len;
	}
}

static void show_detail(const char *text)
{
	size_t top = 0;
	for (;;) {
		int h = LINES, w = COLS;
		struct lines ls = {0};
		layout(text, w, &ls);
		size_t page = h > 2 ? (size_t)(h - 2) : 1;
		if (top + page > ls.n)
			top = ls.n > page ? ls.n - page : 0;
		erase();
		for (size_t i = 0; i + 1 < (size_t)h && top + i < ls.n; i++)
			put((int)i, 0, ls.v[top + i], w);
		lines_free(&ls);
		attron(A_REVERSE);
		mvhline(h - 1, 0, ' ', w);
		put(h - 1, 0,
		    " detail: Up/Down j/k scroll, PgUp/PgDn, Home/End, Esc or q back", w);
		attroff(A_REVERSE);
		refresh();
		timeout(-1);
		int ch = getch();
		timeout(200);
		switch (ch) {
		case 'q':
		case 27:
		case KEY_LEFT:
			return;
		case KEY_DOWN:
		case 'j':
			top++;
			break;
		case KEY_UP:
		case 'k':
			if (top)
				top--;
			break;
		case KEY_NPAGE:
		case ' ':
			top += page;
			break;
		case KEY_PPAGE:
			top = top > page ? top - page : 0;
			break;
		case KEY_HOME:
		case 'g':
			top = 0;
			break;
		case KEY_END:
		case 'G':
			top = (size_t)-1 / 2;
			break;
		default:
			break;
		}
	}
}

static const char help_text[] =
    "certscope live view\n"
    "\n"
    "  Up/Down, j/k     move            PgUp/PgDn, Home/End   page, first, last\n"
    "  Enter            details: chain, certificates, alerts, diagnoses, advice\n"
    "  /                filter by address, SNI, subject or diagnosis code\n"
    "  f                all handshakes / failures only\n"
    "  s                sort by arrival, worst severity, server\n"
    "  e                export the selected handshake's chains to PEM\n"
    "  w                write the text report of every handshake so far\n"
    "  ?                this help\n"
    "  q                quit\n"
    "\n"
    "Rows are red for an error, yellow for a warning, green when all is well.\n"
    "Press any key.\n";

/* Writes the selected row's chains as PEM under dir. */
static void export_row(struct live *lv, const struct row *r, const char *dir)
{
	int written = 0;
	char path[4096] = "";
	for (int s = SIDE_SERVER; s >= SIDE_CLIENT; s--) {
		char name[200];
		if (!r->sent[s].n)
			continue;
		snprintf(name, sizeof(name), "%s_%s", r->base,
		         s == SIDE_SERVER ? "server" : "client");
		if (export_der_chain(
		        dir, name, (const unsigned char *const *)r->sent[s].der,
		        r->sent[s].len, r->sent[s].n, path, sizeof(path)) < 0) {
			snprintf(lv->message, sizeof(lv->message),
			         "export to %s failed: %s", dir, strerror(errno));
			return;
		}
		written++;
		if (r->completed[s].n) {
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/completed", dir);
			const char *base = strrchr(path, '/');
			char cname[256];
			snprintf(cname, sizeof(cname), "%.*s", (int)strlen(base + 1) - 4,
			         base + 1);
			export_der_chain(
			    sub, cname, (const unsigned char *const *)r->completed[s].der,
			    r->completed[s].len, r->completed[s].n, NULL, 0);
		}
	}
	if (written)
		snprintf(lv->message, sizeof(lv->message),
		         "wrote %d chain%s to %s (last: %s)", written,
		         written > 1 ? "s" : "", dir, path);
	else
		snprintf(lv->message, sizeof(lv->message),
		         "this handshake carried no certificate");
}

static void write_report(struct live *lv, const char *path)
{
	FILE *f = fopen(path, "wx");
	if (!f) {
		snprintf(lv->message, sizeof(lv->message), "cannot write %s: %s", path,
		         errno == EEXIST ? "it exists" : strerror(errno));
		return;
	}
	pthread_mutex_lock(&lv->mu);
	size_t n = lv->n;
	for (size_t i = 0; i < n; i++)
		fputs(lv->rows[i]->detail ? lv->rows[i]->detail : "", f);
	pthread_mutex_unlock(&lv->mu);
	bool ok = fclose(f) == 0;
	snprintf(lv->message, sizeof(lv->message),
	         ok ? "wrote %zu handshakes to %s"
	            : "writing %zu handshakes to %s failed",
	         n, path);
}

int live_run(struct live *lv)
{
	setlocale(LC_ALL, "");
	lv->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!initscr())
		return -1;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	timeout(200);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(C_ERR, COLOR_RED, -1);
		init_pair(C_WARN, COLOR_YELLOW, -1);
		init_pair(C_OK, COLOR_GREEN, -1);
		init_pair(C_BAR, COLOR_CYAN, -1);
	}
	bool quit = false;
	while (!quit && !(lv->quit_flag && *lv->quit_flag)) {
		int h = LINES, w = COLS;
		size_t n = 0;
		pthread_mutex_lock(&lv->mu);
		struct row **v = view_rows(lv, &n);
		draw_table(lv, v, n, h, w);
		draw_status(lv, h, w);
		/* rows may go (past the cap) once the lock is let go: keep the seq */
		uint64_t sel_seq = n ? v[lv->sel]->seq : UINT64_MAX;
		lv->changed = false;
		pthread_mutex_unlock(&lv->mu);
		refresh();
		int ch = getch();
		size_t page = h > 4 ? (size_t)(h - 4) : 1;
		if (ch != ERR)
			lv->message[0] = '\0';
		switch (ch) {
		case 'q':
			quit = true;
			break;
		case KEY_DOWN:
		case 'j':
			if (lv->sel + 1 < n)
				lv->sel++;
			lv->follow = lv->sel + 1 >= n;
			break;
		case KEY_UP:
		case 'k':
			if (lv->sel)
				lv->sel--;
			lv->follow = false;
			break;
		case KEY_NPAGE:
			lv->sel = lv->sel + page < n ? lv->sel + page : (n ? n - 1 : 0);
			lv->follow = lv->sel + 1 >= n;
			break;
		case KEY_PPAGE:
			lv->sel = lv->sel > page ? lv->sel - page : 0;
			lv->follow = false;
			break;
		case KEY_HOME:
		case 'g':
			lv->sel = 0;
			lv->follow = false;
			break;
		case KEY_END:
		case 'G':
			lv->follow = true;
			break;
		case '\n':
		case KEY_ENTER:
			if (sel_seq != UINT64_MAX) {
				char *text = NULL;
				pthread_mutex_lock(&lv->mu);
				const struct row *r = find_row(lv, sel_seq);
				text = r && r->detail ? strdup(r->detail) : NULL;
				pthread_mutex_unlock(&lv->mu);
				show_detail(text);
				free(text);
			}
			break;
		case '/': {
			char buf[128];
			snprintf(buf, sizeof(buf), "%s", lv->search);
			if (prompt("filter (address, SNI, subject, code): ", buf,
			           sizeof(buf)))
				snprintf(lv->search, sizeof(lv->search), "%s", buf);
			lv->sel = 0;
			lv->top = 0;
			lv->follow = true;
			break;
		}
		case 'f':
			lv->failures_only = !lv->failures_only;
			lv->follow = true;
			break;
		case 's':
			lv->sort = (lv->sort + 1) % SORT_COUNT;
			snprintf(lv->message, sizeof(lv->message), "sorted by %s",
			         sort_names[lv->sort]);
			break;
		case 'e':
			if (sel_seq != UINT64_MAX) {
				char dir[256] = "certscope-export";
				if (prompt("export chains to folder: ", dir,
				           sizeof(dir)) &&
				    dir[0]) {
					pthread_mutex_lock(&lv->mu);
					const struct row *r = find_row(lv, sel_seq);
					if (r)
						export_row(lv, r, dir);
					pthread_mutex_unlock(&lv->mu);
				}
			}
			break;
		case 'w': {
			char path[256] = "certscope-report.txt";
			if (prompt("write the report to file: ", path, sizeof(path)) &&
			    path[0])
				write_report(lv, path);
			break;
		}
		case '?':
			erase();
			for (const char *p = help_text, *nl; *p; p = nl + 1) {
				static int y;
				if (p == help_text)
					y = 0;
				nl = strchr(p, '\n');
				char line[128];
				snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
				put(y++, 1, line, COLS - 1);
			}
			refresh();
			timeout(-1);
			getch();
			timeout(200);
			break;
		case KEY_RESIZE:
			erase();
			break;
		default:
			break;
		}
		free(v);
	}
	endwin();
	return 0;
}
