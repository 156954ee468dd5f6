/* live_draw.c: the live view's two panes (handshakes, findings) and its
 * status bar.  Columns are as wide as what they hold, the ones that matter
 * most first: a column that does not fit is left out, a value too long for
 * its column is cut with "...", never in the middle of a word without one.
 *
 * Everything shown comes from strings the dissector escaped already; put()
 * draws only printable ASCII and replaces any other byte with '?', so no
 * certificate or SNI text can reach the terminal as a control sequence.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "live_rows.h"

#include <ctype.h>
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_ERR = 1, C_WARN, C_OK, C_BAR };

static const char *const sort_names[] = {"arrival", "severity", "server"};

void put(int y, int x, const char *s, int w)
{
	for (int i = 0; s && s[i] && i < w; i++) {
		unsigned char c = (unsigned char)s[i];
		mvaddch(y, x + i, c >= 0x20 && c < 0x7f ? c : '?');
	}
}

void fit(char *out, size_t len, const char *s, int w)
{
	size_t n = strlen(s);
	if (w < 0)
		w = 0;
	if (n <= (size_t)w) {
		snprintf(out, len, "%s", s);
		return;
	}
	if (w <= 3) {
		snprintf(out, len, "%.*s", w, "...");
		return;
	}
	snprintf(out, len, "%.*s...", w - 3, s);
}

static bool visible(const struct live *lv, const struct row *r)
{
	if (lv->failures_only && !(r->has_diag && r->worst == SEV_ERROR))
		return false;
	return !lv->filter_text[0] || row_matches(r, lv->filter_text);
}

static int compare(const void *a, const void *b, void *key)
{
	const struct row *x = *(struct row *const *)a, *y = *(struct row *const *)b;
	enum sort_key sort_by = *(const enum sort_key *)key;
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

struct row **view_rows(struct live *lv, size_t *n)
{
	struct row **v = malloc((lv->n ? lv->n : 1) * sizeof(*v));
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < lv->n; i++)
		if (visible(lv, lv->rows[i]))
			v[(*n)++] = lv->rows[i];
	if (lv->sort != SORT_ARRIVAL)
		qsort_r(v, *n, sizeof(*v), compare, &lv->sort);
	return v;
}

static int severity_color(enum severity s)
{
	return s == SEV_ERROR ? C_ERR : s == SEV_WARNING ? C_WARN : C_OK;
}

static int row_color(const struct row *r)
{
	if (!r->has_diag)
		return strcmp(r->outcome, "completed") == 0 ? C_OK : 0;
	return severity_color(r->worst);
}

/* One line in the colour of its severity (none: 0), reversed when selected. */
static void put_line(struct live *lv, int y, const char *line, int w, int color, bool sel)
{
	int attr =
	    (color && lv->has_color ? COLOR_PAIR(color) : 0) | (sel ? A_REVERSE : 0);
	move(y, 0);
	clrtoeol();
	attron(attr);
	put(y, 0, line, w);
	if (sel)
		for (int x = (int)strlen(line); x < w; x++)
			mvaddch(y, x, ' ');
	attroff(attr);
}

static void scroll_to(size_t *sel, size_t *top, size_t n, int rows)
{
	if (*sel >= n)
		*sel = n ? n - 1 : 0;
	if (*sel < *top)
		*top = *sel;
	if (*sel >= *top + (size_t)rows)
		*top = *sel - (size_t)rows + 1;
}

/* The handshakes table's columns, in the order drawn. */
enum col {
	COL_TIME,
	COL_CLIENT,
	COL_SERVER,
	COL_SERVICE,
	COL_SNI,
	COL_TLS,
	COL_OUTCOME,
	COL_REFUSED,
	COL_CODE,
	NCOL
};

static const char *cell(const struct row *r, enum col c, bool short_service)
{
	switch (c) {
	case COL_TIME:
		return r->when;
	case COL_CLIENT:
		return r->client;
	case COL_SERVER:
		return r->server;
	case COL_SERVICE:
		return short_service ? r->service_short : r->service;
	case COL_SNI:
		return r->sni;
	case COL_TLS:
		return r->version;
	case COL_OUTCOME:
		return r->outcome;
	case COL_REFUSED:
		return r->refused;
	default:
		return r->has_diag ? r->worst_code : "";
	}
}

static const char *const titles[NCOL] = {"time",    "client",  "server",
                                         "service", "sni",     "tls",
                                         "outcome", "refused", "worst finding"};

/* Widths of the columns for a screen w wide: 0 for a column left out. */
static void layout_columns(struct row **v, size_t n, int w, int *cw, bool *short_service)
{
	static const int cap[NCOL] = {8, 47, 47, 20, 40, 4, 10, 6, 24};
	int full[NCOL], brief = 0;
	for (int c = 0; c < NCOL; c++)
		full[c] = (int)strlen(titles[c]);
	full[COL_REFUSED] = 7;
	for (size_t i = 0; i < n; i++) {
		for (int c = 0; c < NCOL; c++) {
			int len = (int)strlen(cell(v[i], (enum col)c, false));
			if (len > full[c])
				full[c] = len < cap[c] ? len : cap[c];
		}
		int b = (int)strlen(v[i]->service_short);
		brief = b > brief ? b : brief;
	}
	/* what tells rows apart first: the flow, its end, who refused, why */
	static const enum col essential[] = {COL_CLIENT, COL_SERVER, COL_OUTCOME,
	                                     COL_REFUSED, COL_CODE};
	int used = 1; /* " > " takes 2 more than a space, the last column none */
	memset(cw, 0, NCOL * sizeof(*cw));
	for (size_t i = 0; i < sizeof(essential) / sizeof(essential[0]); i++) {
		cw[essential[i]] = full[essential[i]];
		used += full[essential[i]] + 1;
	}
	/* too wide: the finding's code gives way first, then the addresses */
	for (enum col c = COL_CODE; used > w && c != NCOL;) {
		int floor = c == COL_CODE ? 12 : 15;
		if (cw[c] > floor) {
			int take = used - w < cw[c] - floor ? used - w : cw[c] - floor;
			cw[c] -= take;
			used -= take;
		}
		c = c == COL_CODE ? COL_SERVER : c == COL_SERVER ? COL_CLIENT : NCOL;
	}
	/* then what fits, the service in full when it can */
	*short_service = used + full[COL_SERVICE] + 1 > w;
	if (brief < 7)
		brief = 7;
	int svc = *short_service ? brief : full[COL_SERVICE];
	if (used + svc + 1 <= w) {
		cw[COL_SERVICE] = svc;
		used += svc + 1;
	}
	static const enum col optional[] = {COL_TLS, COL_TIME};
	for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
		if (used + full[optional[i]] + 1 <= w) {
			cw[optional[i]] = full[optional[i]];
			used += full[optional[i]] + 1;
		}
	if (w - used - 1 >= 8) {
		cw[COL_SNI] = w - used - 1 < full[COL_SNI] ? w - used - 1 : full[COL_SNI];
		used += cw[COL_SNI] + 1;
	}
	if (w - used >= 3 && cw[COL_REFUSED] < 10)
		cw[COL_REFUSED] = 10; /* room for "refused by" */
}

/* A line of the table from the cells (titles when r is NULL). */
static void table_line(char *line, size_t len, const struct row *r, const int *cw,
                       bool short_service)
{
	size_t k = 0;
	line[0] = '\0';
	for (int c = 0; c < NCOL; c++) {
		if (!cw[c])
			continue;
		char text[128];
		const char *s = r ? cell(r, (enum col)c, short_service) : titles[c];
		if (!r && c == COL_REFUSED && cw[c] >= 10)
			s = "refused by";
		fit(text, sizeof(text), s, cw[c]);
		const char *sep = k == 0 ? "" : c == COL_SERVER ? " > " : " ";
		if (!r && c == COL_SERVER)
			sep = "   ";
		int wrote = snprintf(line + k, len - k, "%s%-*s", sep, cw[c], text);
		if (wrote < 0 || (size_t)wrote >= len - k)
			break;
		k += (size_t)wrote;
	}
	while (k > 0 && line[k - 1] == ' ')
		line[--k] = '\0';
}

void draw_table(struct live *lv, struct row **v, size_t n, int h, int w)
{
	int rows = h - 3 > 1 ? h - 3 : 1;
	if (lv->follow && n)
		lv->sel = n - 1;
	scroll_to(&lv->sel, &lv->top, n, rows);
	int cw[NCOL];
	bool short_service;
	layout_columns(v, n, w, cw, &short_service);
	char line[1024];
	table_line(line, sizeof(line), NULL, cw, short_service);
	attron(A_BOLD);
	mvhline(0, 0, ' ', w);
	put(0, 0, line, w);
	attroff(A_BOLD);
	for (int i = 0; i < rows; i++) {
		size_t k = lv->top + (size_t)i;
		move(1 + i, 0);
		clrtoeol();
		if (k >= n)
			continue;
		table_line(line, sizeof(line), v[k], cw, short_service);
		put_line(lv, 1 + i, line, w, row_color(v[k]), k == lv->sel);
	}
	if (n)
		return;
	/* an empty table says why */
	char why[300];
	if (lv->n && lv->filter_text[0])
		snprintf(why, sizeof(why),
		         "no handshake matches the filter \"%s\" (& to change it, Esc to "
		         "clear it)",
		         lv->filter_text);
	else if (lv->n)
		snprintf(why, sizeof(why), "no failed handshake yet (f shows them all)");
	else
		snprintf(why, sizeof(why), "no handshake yet%s",
		         lv->capture_done ? " (the capture has ended)" : ": waiting");
	put(2, 2, why, w - 2);
}

/* "10.0.0.1, 10.0.0.2 (+3)" */
static void device_text(const struct finding *f, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < f->devices.n && k + 1 < len; i++) {
		int wrote =
		    snprintf(buf + k, len - k, "%s%s", i ? ", " : "", f->devices.v[i]);
		if (wrote < 0)
			break;
		k += (size_t)wrote;
	}
	if (f->device_set.n > f->devices.n && k < len)
		snprintf(buf + k, len - k, " (+%zu)", f->device_set.n - f->devices.n);
	if (!buf[0])
		snprintf(buf, len, "-");
}

void draw_findings(struct live *lv, const struct finding *const *f, size_t n, int h,
                   int w)
{
	int rows = h - 3 > 1 ? h - 3 : 1;
	scroll_to(&lv->fsel, &lv->ftop, n, rows);
	int wcode = 4;
	for (size_t i = 0; i < n; i++) {
		int len = (int)strlen(f[i]->code);
		wcode = len > wcode ? len : wcode;
	}
	if (wcode > 30)
		wcode = 30;
	char line[1024];
	snprintf(line, sizeof(line), "%-7s %6s %-10s %-*s %s", "sev", "count",
	         "refused by", wcode, "code", "devices to change");
	attron(A_BOLD);
	mvhline(0, 0, ' ', w);
	put(0, 0, line, w);
	attroff(A_BOLD);
	int fixed = 7 + 1 + 6 + 1 + 10 + 1 + wcode + 1;
	for (int i = 0; i < rows; i++) {
		size_t k = lv->ftop + (size_t)i;
		move(1 + i, 0);
		clrtoeol();
		if (k >= n)
			continue;
		char dev[512], devfit[512], code[64];
		device_text(f[k], dev, sizeof(dev));
		fit(devfit, sizeof(devfit), dev, w - fixed);
		fit(code, sizeof(code), f[k]->code, wcode);
		snprintf(line, sizeof(line), "%-7s %6" PRIu64 " %-10s %-*s %s",
		         severity_name(f[k]->severity), f[k]->count,
		         f[k]->refused_by == SIDE_CLIENT   ? "client"
		         : f[k]->refused_by == SIDE_SERVER ? "server"
		                                           : "-",
		         wcode, code, devfit);
		put_line(lv, 1 + i, line, w, severity_color(f[k]->severity),
		         k == lv->fsel);
	}
	if (!n)
		put(2, 2,
		    lv->n ? "no finding: every handshake so far is well"
		          : "no finding yet: no handshake seen",
		    w - 2);
}

void draw_status(struct live *lv, size_t n, int h, int w)
{
	char bar[1024];
	const struct live_totals *c = &lv->totals;
	size_t sel = lv->pane == PANE_FINDINGS ? lv->fsel : lv->sel;
	/* what matters most first: an 80-column bar is cut at its end */
	snprintf(bar, sizeof(bar),
	         " %s %zu/%zu | pkts %" PRIu64 " flows %" PRIu64 " hs %" PRIu64
	         " fail %" PRIu64 " drop %" PRIu64 "%s%s%s%s%s%s | Tab %s ? help | %s%s",
	         lv->pane == PANE_FINDINGS ? "finding" : "row", n ? sel + 1 : 0, n,
	         c->src.packets, c->tcp.flows, c->tls.handshakes, c->failed,
	         c->src.dropped, lv->capture_done ? " done" : "",
	         lv->failures_only ? " | failures only" : "",
	         lv->filter_text[0] ? " | filter: " : "", lv->filter_text,
	         lv->sort != SORT_ARRIVAL ? " | by " : "",
	         lv->sort != SORT_ARRIVAL ? sort_names[lv->sort] : "",
	         lv->pane == PANE_FINDINGS ? "handshakes" : "findings", lv->source,
	         lv->filter[0] ? " " : "");
	strncat(bar, lv->filter, sizeof(bar) - strlen(bar) - 1);
	attron(COLOR_PAIR(C_BAR) | A_REVERSE);
	mvhline(h - 1, 0, ' ', w);
	put(h - 1, 0, bar, w);
	attroff(COLOR_PAIR(C_BAR) | A_REVERSE);
	move(h - 2, 0);
	clrtoeol();
	/* a message longer than the screen (a path written) takes up to three
	 * lines above the bar, cut at the screen's edge: shown whole */
	size_t len = strlen(lv->message), cols = w > 0 ? (size_t)w : 1;
	int lines = len ? (int)((len + cols - 1) / cols) : 0;
	if (lines > 3)
		lines = 3;
	if (lines > h - 2)
		lines = h - 2 > 0 ? h - 2 : 0;
	attron(A_BOLD);
	for (int i = 0; i < lines; i++) {
		int y = h - 1 - lines + i;
		move(y, 0);
		clrtoeol();
		put(y, 0, lv->message + (size_t)i * cols, w);
	}
	attroff(A_BOLD);
}

const char *sort_name(enum sort_key k)
{
	return sort_names[k];
}

bool start_colors(void)
{
	if (!has_colors())
		return false;
	start_color();
	use_default_colors();
	init_pair(C_ERR, COLOR_RED, -1);
	init_pair(C_WARN, COLOR_YELLOW, -1);
	init_pair(C_OK, COLOR_GREEN, -1);
	init_pair(C_BAR, COLOR_CYAN, -1);
	return true;
}
