/* live.c: the live view: a table of handshakes as they end, a detail
 * screen per handshake, filters, sorting, export, and a status bar.
 *
 * Everything shown comes from strings the dissector escaped already; the
 * view draws only printable ASCII and replaces any other byte with '?', so
 * no certificate or SNI text can reach the terminal as a control sequence.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "live_rows.h"

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

static const char *const sort_names[] = {"arrival", "severity", "server"};

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
	if (lv->sort != SORT_ARRIVAL)
		qsort_r(v, *n, sizeof(*v), compare, &lv->sort);
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
	         (unsigned long long)c.handshakes, (unsigned long long)c.failures,
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

static bool start_curses(struct live *lv)
{
	setlocale(LC_ALL, "");
	lv->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!initscr())
		return false;
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
	return true;
}

static void show_help(void)
{
	int y = 0;
	erase();
	for (const char *p = help_text, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		char line[128];
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		put(y++, 1, line, COLS - 1);
	}
	refresh();
	timeout(-1);
	getch();
	timeout(200);
}

/* Moving the selection: true when ch was such a key.  n rows are visible,
 * page of them fit on the screen. */
static bool move_key(struct live *lv, int ch, size_t n, size_t page)
{
	switch (ch) {
	case KEY_DOWN:
	case 'j':
		if (lv->sel + 1 < n)
			lv->sel++;
		lv->follow = lv->sel + 1 >= n;
		return true;
	case KEY_UP:
	case 'k':
		if (lv->sel)
			lv->sel--;
		lv->follow = false;
		return true;
	case KEY_NPAGE:
		lv->sel = lv->sel + page < n ? lv->sel + page : (n ? n - 1 : 0);
		lv->follow = lv->sel + 1 >= n;
		return true;
	case KEY_PPAGE:
		lv->sel = lv->sel > page ? lv->sel - page : 0;
		lv->follow = false;
		return true;
	case KEY_HOME:
	case 'g':
		lv->sel = 0;
		lv->follow = false;
		return true;
	case KEY_END:
	case 'G':
		lv->follow = true;
		return true;
	default:
		return false;
	}
}

static void detail_key(struct live *lv, uint64_t sel_seq)
{
	if (sel_seq == UINT64_MAX)
		return;
	pthread_mutex_lock(&lv->mu);
	const struct row *r = find_row(lv, sel_seq);
	char *text = r && r->detail ? strdup(r->detail) : NULL;
	pthread_mutex_unlock(&lv->mu);
	show_detail(text);
	free(text);
}

static void filter_key(struct live *lv)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", lv->search);
	if (prompt("filter (address, SNI, subject, code): ", buf, sizeof(buf)))
		snprintf(lv->search, sizeof(lv->search), "%s", buf);
	lv->sel = 0;
	lv->top = 0;
	lv->follow = true;
}

static void export_key(struct live *lv, uint64_t sel_seq)
{
	char dir[256] = "certscope-export";
	if (sel_seq == UINT64_MAX ||
	    !prompt("export chains to folder: ", dir, sizeof(dir)) || !dir[0])
		return;
	pthread_mutex_lock(&lv->mu);
	const struct row *r = find_row(lv, sel_seq);
	if (r)
		export_row(lv, r, dir);
	pthread_mutex_unlock(&lv->mu);
}

/* One key of the table view; true when it asks to quit. */
static bool table_key(struct live *lv, int ch, size_t n, size_t page, uint64_t sel_seq)
{
	char path[256] = "certscope-report.txt";
	if (move_key(lv, ch, n, page))
		return false;
	switch (ch) {
	case 'q':
		return true;
	case '\n':
	case KEY_ENTER:
		detail_key(lv, sel_seq);
		break;
	case '/':
		filter_key(lv);
		break;
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
		export_key(lv, sel_seq);
		break;
	case 'w':
		if (prompt("write the report to file: ", path, sizeof(path)) && path[0])
			write_report(lv, path);
		break;
	case '?':
		show_help();
		break;
	case KEY_RESIZE:
		erase();
		break;
	default:
		break;
	}
	return false;
}

int live_run(struct live *lv)
{
	if (!start_curses(lv))
		return -1;
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
		if (ch != ERR)
			lv->message[0] = '\0';
		quit = table_key(lv, ch, n, h > 4 ? (size_t)(h - 4) : 1, sel_seq);
		free(v);
	}
	endwin();
	return 0;
}
