/* live.c: the live view: its keys, its prompts, its help, and the loop
 * that draws it.  Two panes share the screen: the handshakes as they end
 * (live_draw.c) and the findings they add up to, one row per problem with
 * its count; Tab switches, Enter opens a detail (live_detail.c), e and w
 * write files (live_files.c).  The keys are those of htop, less and
 * sngrep: F10 or q quits, Esc closes, / or F3 searches and n goes on.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "live_rows.h"

#include <ctype.h>
#include <curses.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTRL_U 21

bool prompt(const char *question, char *buf, size_t len)
{
	int h = LINES, w = COLS;
	size_t n = strlen(buf);
	bool ok = false;
	curs_set(1);
	timeout(-1);
	for (;;) {
		int q = (int)strlen(question);
		move(h - 2, 0);
		clrtoeol();
		attron(A_BOLD);
		put(h - 2, 0, question, w);
		attroff(A_BOLD);
		/* the end of a long answer stays in sight */
		size_t room = w - q > 1 ? (size_t)(w - q - 1) : 1;
		const char *shown = n > room ? buf + (n - room) : buf;
		put(h - 2, q, shown, w - q);
		move(h - 2, q + (int)strlen(shown));
		refresh();
		int ch = getch();
		if (ch == 27)
			break;
		if (ch == '\n' || ch == KEY_ENTER) {
			ok = true;
			break;
		}
		if (ch == CTRL_U) {
			n = 0;
			buf[0] = '\0';
		} else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n > 0) {
			buf[--n] = '\0';
		} else if (ch >= 0x20 && ch < 0x7f && n + 1 < len) {
			buf[n++] = (char)ch;
			buf[n] = '\0';
		}
	}
	curs_set(0);
	timeout(200);
	return ok;
}

static const char help_text[] =
    "certscope live view: the handshakes as they end, and the findings they make\n"
    "\n"
    "  Tab              handshakes / findings (one row a problem, its count live)\n"
    "  Up/Down, j/k     move            PgUp/PgDn, Home/End, g/G   page, first, last\n"
    "  Enter            a handshake: its ladder, chains, alerts, diagnoses, advice;\n"
    "                   a finding: message, advice, chain, the handshakes it covers\n"
    "  / or F3          search (address, port, SNI, subject, code)   n/N next/prev\n"
    "  & or F4          filter: only the rows that match; empty shows all again\n"
    "  Esc              close a detail or a prompt; in a pane, clear the filter\n"
    "  Ctrl-U           clear what a prompt holds\n"
    "  f                all handshakes / failures only\n"
    "  s                sort by arrival, worst severity, server\n"
    "  e                export the handshake's chains to PEM (numbered names)\n"
    "  w                write the report so far: findings, summary (numbered)\n"
    "  ? or F1          this help\n"
    "  q or F10         quit (the report follows on the terminal)\n"
    "\n"
    "Red: an error, yellow: a warning, green: all is well.\n"
    "Press any key.\n";

static bool start_curses(struct live *lv)
{
	setlocale(LC_ALL, "");
	if (!initscr())
		return false;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	timeout(200);
	lv->has_color = start_colors();
	return true;
}

static void show_help(struct live *lv)
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
	char where[600];
	snprintf(where, sizeof(where), "e and w write to: %.500s",
	         lv->out_path[0] ? lv->out_path : "(nowhere: see the message line)");
	put(y, 1, where, COLS - 1);
	refresh();
	timeout(-1);
	getch();
	timeout(200);
}

/* Moving a selection over n rows, page of them on the screen: true when
 * ch was such a key. */
static bool move_key(size_t *sel, bool *follow, int ch, size_t n, size_t page)
{
	bool end = false;
	switch (ch) {
	case KEY_DOWN:
	case 'j':
		if (*sel + 1 < n)
			(*sel)++;
		end = *sel + 1 >= n;
		break;
	case KEY_UP:
	case 'k':
		if (*sel)
			(*sel)--;
		break;
	case KEY_NPAGE:
		*sel = *sel + page < n ? *sel + page : (n ? n - 1 : 0);
		end = *sel + 1 >= n;
		break;
	case KEY_PPAGE:
		*sel = *sel > page ? *sel - page : 0;
		break;
	case KEY_HOME:
	case 'g':
		*sel = 0;
		break;
	case KEY_END:
	case 'G':
		*sel = n ? n - 1 : 0;
		end = true;
		break;
	default:
		return false;
	}
	if (follow)
		*follow = end;
	return true;
}

/* What the screen shows now, taken under the lock. */
struct snapshot {
	struct row **v;
	size_t n;
	const struct finding *const *f;
	size_t nf;
};

static bool finding_matches(const struct finding *f, const char *text)
{
	const char *fields[] = {f->code, f->message,
	                        f->refused_by == SIDE_CLIENT   ? "client"
	                        : f->refused_by == SIDE_SERVER ? "server"
	                                                       : ""};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i] && strcasestr(fields[i], text))
			return true;
	for (size_t i = 0; i < f->devices.n; i++)
		if (strcasestr(f->devices.v[i], text))
			return true;
	return false;
}

/* The next row (dir 1) or the previous (-1) after the selection that
 * matches the search, wrapping; a new search (dir 2) may stay on the
 * selection.  The caller holds the lock. */
static void search_next(struct live *lv, const struct snapshot *sn, int dir)
{
	bool findings = lv->pane == PANE_FINDINGS;
	size_t n = findings ? sn->nf : sn->n, *sel = findings ? &lv->fsel : &lv->sel;
	if (!lv->search[0]) {
		snprintf(lv->message, sizeof(lv->message),
		         "no search yet: / or F3 starts one");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t step = (dir == 2 ? i : i + 1) % n;
		size_t k = dir < 0 ? (*sel % n + n - step) % n : (*sel + step) % n;
		if (findings ? finding_matches(sn->f[k], lv->search)
		             : row_matches(sn->v[k], lv->search)) {
			*sel = k;
			lv->follow = false;
			return;
		}
	}
	snprintf(lv->message, sizeof(lv->message), "no match for \"%s\"", lv->search);
}

static bool search_key(struct live *lv)
{
	char buf[128] = "";
	if (!prompt("search (address, port, SNI, subject, code): ", buf, sizeof(buf)) ||
	    !buf[0])
		return false;
	snprintf(lv->search, sizeof(lv->search), "%s", buf);
	return true;
}

static void filter_key(struct live *lv)
{
	char buf[128] = "";
	if (!prompt("filter (address, port, SNI, subject, code; empty: all): ", buf,
	            sizeof(buf)))
		return;
	snprintf(lv->filter_text, sizeof(lv->filter_text), "%s", buf);
	lv->sel = 0;
	lv->top = 0;
	lv->follow = true;
	lv->pane = PANE_HANDSHAKES;
}

/* The handshake e exports in the findings pane: the latest it covers. */
static uint64_t finding_row(struct live *lv, const struct finding *f)
{
	for (size_t i = lv->n; i-- > 0;)
		for (size_t k = 0; k < lv->rows[i]->n_findings; k++)
			if (strcmp(lv->rows[i]->findings[k], f->id) == 0)
				return lv->rows[i]->seq;
	return UINT64_MAX;
}

/* What Enter and e act on, noted under the lock before it is let go (rows
 * may go past the cap, findings move as they are counted). */
struct target {
	uint64_t seq; /* UINT64_MAX: none */
	char finding[17];
};

/* One key; true when it asks to quit.  *pending asks the next draw to
 * search, under the lock (2: a new search, 1: next, -1: previous). */
static bool pane_key(struct live *lv, int ch, size_t n, size_t page,
                     const struct target *t, int *pending)
{
	bool findings = lv->pane == PANE_FINDINGS;
	if (move_key(findings ? &lv->fsel : &lv->sel, findings ? NULL : &lv->follow, ch,
	             n, page))
		return false;
	switch (ch) {
	case 'q':
	case KEY_F(10):
		return true;
	case '\t':
		lv->pane = findings ? PANE_HANDSHAKES : PANE_FINDINGS;
		break;
	case '\n':
	case KEY_ENTER:
		if (findings && t->finding[0])
			return show_finding(lv, t->finding);
		return show_handshake(lv, t->seq);
	case '/':
	case KEY_F(3):
		*pending = search_key(lv) ? 2 : 0;
		break;
	case 'n':
		*pending = 1;
		break;
	case 'N':
		*pending = -1;
		break;
	case '&':
	case KEY_F(4):
		filter_key(lv);
		break;
	case 27:
		if (lv->filter_text[0])
			snprintf(lv->message, sizeof(lv->message), "filter cleared");
		lv->filter_text[0] = '\0';
		lv->search[0] = '\0';
		break;
	case 'f':
		lv->failures_only = !lv->failures_only;
		lv->follow = true;
		break;
	case 's':
		lv->sort = (lv->sort + 1) % SORT_COUNT;
		snprintf(lv->message, sizeof(lv->message), "sorted by %s",
		         sort_name(lv->sort));
		break;
	case 'e':
		export_key(lv, t->seq);
		break;
	case 'w':
		report_key(lv);
		break;
	case '?':
	case KEY_F(1):
		show_help(lv);
		break;
	case KEY_RESIZE:
		erase();
		break;
	default:
		break;
	}
	return false;
}

/* Draws the pane on show under the lock; notes what Enter and e act on. */
static void draw(struct live *lv, struct snapshot *sn, struct target *t, int pending)
{
	int h = LINES, w = COLS;
	pthread_mutex_lock(&lv->mu);
	sn->v = view_rows(lv, &sn->n);
	sn->f = lv->findings ? findings_sorted(lv->findings, &sn->nf) : NULL;
	if (!sn->f)
		sn->nf = 0;
	if (pending)
		search_next(lv, sn, pending);
	if (lv->note[0]) { /* before what the message says already */
		char was[sizeof(lv->message)];
		snprintf(was, sizeof(was), "%s", lv->message);
		snprintf(lv->message, sizeof(lv->message), "%.200s%s%.300s", lv->note,
		         was[0] ? "; " : "", was);
	}
	lv->note[0] = '\0';
	bool findings = lv->pane == PANE_FINDINGS;
	if (findings)
		draw_findings(lv, sn->f, sn->nf, h, w);
	else
		draw_table(lv, sn->v, sn->n, h, w);
	draw_status(lv, findings ? sn->nf : sn->n, h, w);
	t->seq = UINT64_MAX;
	t->finding[0] = '\0';
	if (findings && sn->nf) {
		memcpy(t->finding, sn->f[lv->fsel]->id, sizeof(t->finding));
		t->seq = finding_row(lv, sn->f[lv->fsel]);
	} else if (!findings && sn->n) {
		t->seq = sn->v[lv->sel]->seq;
	}
	lv->changed = false;
	pthread_mutex_unlock(&lv->mu);
	refresh();
}

int live_run(struct live *lv)
{
	if (!start_curses(lv))
		return -1;
	bool quit = false;
	int pending = 0;
	while (!quit && !(lv->quit_flag && *lv->quit_flag)) {
		struct snapshot sn = {0};
		struct target t;
		draw(lv, &sn, &t, pending);
		pending = 0;
		int ch = getch();
		if (ch != ERR)
			lv->message[0] = '\0';
		size_t n = lv->pane == PANE_FINDINGS ? sn.nf : sn.n;
		quit = pane_key(lv, ch, n, LINES > 4 ? (size_t)(LINES - 4) : 1, &t,
		                &pending);
		free(sn.v);
	}
	endwin();
	return 0;
}
