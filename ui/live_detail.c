/* live_detail.c: the live view's detail screens: a handshake (its ladder,
 * then its text report) and a finding (the report's account of it, then
 * the handshakes it covers, one of which Enter opens).  Long lines wrap at
 * spaces under their own indentation, so a value is shown whole. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "live_rows.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Handshakes listed under a finding, at most. */
#define FINDING_ROWS_MAX 2000

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

/* One line of the report without its UTF-8 tree: ASCII in buf. */
static void ascii_line(const char *p, size_t len, char *buf, size_t size)
{
	size_t k = 0;
	for (size_t i = 0; i < len && k + 1 < size; i++) {
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
		ascii_line(p, len, buf, sizeof(buf));
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
			if (q[cut] != ' ') {
				/* a long word (a fingerprint) goes whole to the next
				 * line when it fits there, rather than in pieces */
				size_t sp = cut, lead_q = strspn(q, " ");
				while (sp > lead_q && q[sp] != ' ')
					sp--;
				size_t word = strcspn(q + sp + 1, " ");
				if (q[sp] == ' ' && word + indent > room &&
				    word + 2 <= room)
					indent = room - word; /* less indented, whole */
				cut = q[sp] == ' ' && sp > lead_q && word + indent <= room
				          ? sp
				          : avail;
			}
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

/* A screen of text, then items (one line each, one selected; may be
 * none).  Returns the seq of the item Enter chose, UINT64_MAX for back,
 * UINT64_MAX - 1 for quit. */
struct items {
	uint64_t *seq;
	char **label;
	size_t n;
};

#define BACK UINT64_MAX
#define QUIT (UINT64_MAX - 1)

static int screen_key(struct live *lv)
{
	for (;;) {
		int ch = getch();
		if (ch != ERR || (lv->quit_flag && *lv->quit_flag))
			return ch;
	}
}

static uint64_t screen(struct live *lv, const char *text, const struct items *it,
                       size_t *pick, const char *help)
{
	size_t top = 0;
	bool picking = *pick > 0; /* the text first, until an item is picked */
	for (;;) {
		int h = LINES, w = COLS;
		struct lines ls = {0};
		layout(text, w, &ls);
		size_t first_item = ls.n;
		for (size_t i = 0; i < it->n; i++)
			lines_push(&ls, it->label[i], strlen(it->label[i]), 0);
		size_t page = h > 2 ? (size_t)(h - 2) : 1;
		if (it->n && picking) { /* the selected item stays on the screen */
			size_t y = first_item + *pick;
			if (y < top)
				top = y;
			if (y >= top + page)
				top = y - page + 1;
		}
		if (top + page > ls.n)
			top = ls.n > page ? ls.n - page : 0;
		erase();
		for (size_t i = 0; i + 1 < (size_t)h && top + i < ls.n; i++) {
			bool sel = it->n && top + i == first_item + *pick;
			if (sel)
				attron(A_REVERSE);
			put((int)i, 0, ls.v[top + i], w);
			if (sel)
				attroff(A_REVERSE);
		}
		lines_free(&ls);
		attron(A_REVERSE);
		mvhline(h - 1, 0, ' ', w);
		put(h - 1, 0, help, w);
		attroff(A_REVERSE);
		refresh();
		int ch = screen_key(lv);
		if (lv->quit_flag && *lv->quit_flag)
			return QUIT;
		picking =
		    picking || ch == KEY_DOWN || ch == KEY_UP || ch == 'j' || ch == 'k';
		switch (ch) {
		case 'q':
		case 27:
		case KEY_LEFT:
			return BACK;
		case KEY_F(10):
			return QUIT;
		case '\n':
		case KEY_ENTER:
			if (it->n)
				return it->seq[*pick];
			break;
		case KEY_DOWN:
		case 'j':
			if (it->n && *pick + 1 < it->n && top + page > first_item + *pick)
				(*pick)++;
			else if (!it->n)
				top++;
			break;
		case KEY_UP:
		case 'k':
			if (it->n && *pick)
				(*pick)--;
			else if (!it->n && top)
				top--;
			break;
		case KEY_NPAGE:
		case ' ':
			top += page;
			if (it->n)
				*pick = *pick + page < it->n ? *pick + page : it->n - 1;
			break;
		case KEY_PPAGE:
			top = top > page ? top - page : 0;
			if (it->n)
				*pick = *pick > page ? *pick - page : 0;
			break;
		case KEY_HOME:
		case 'g':
			top = 0;
			*pick = 0;
			break;
		case KEY_END:
		case 'G':
			top = (size_t)-1 / 2;
			if (it->n)
				*pick = it->n - 1;
			break;
		default:
			break;
		}
	}
}

static const char handshake_help[] =
    " handshake: Up/Down j/k scroll, PgUp/PgDn, Home/End, Esc or q back, F10 quit";

bool show_text(struct live *lv, const char *text)
{
	struct items none = {0};
	size_t pick = 0;
	return screen(lv, text, &none, &pick, handshake_help) == QUIT;
}

/* The first line of the report (time and flow), the ladder, the rest. */
static char *handshake_text(const struct row *r)
{
	const char *d = r->detail ? r->detail : "";
	const char *nl = strchr(d, '\n');
	size_t head = nl ? (size_t)(nl - d) + 1 : strlen(d);
	char *text = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&text, &size);
	if (!m)
		return NULL;
	fwrite(d, 1, head, m);
	if (r->ladder && r->ladder[0])
		fprintf(m, "%s\n", r->ladder);
	fputs(d + head, m);
	fclose(m);
	return text;
}

bool show_handshake(struct live *lv, uint64_t seq)
{
	if (seq == BACK)
		return false;
	pthread_mutex_lock(&lv->mu);
	const struct row *r = find_row(lv, seq);
	char *text = r ? handshake_text(r) : NULL;
	pthread_mutex_unlock(&lv->mu);
	bool quit = show_text(lv, text ? text : "this handshake is no longer kept");
	free(text);
	return quit;
}

static void items_free(struct items *it)
{
	for (size_t i = 0; i < it->n; i++)
		free(it->label[i]);
	free(it->label);
	free(it->seq);
}

/* The rows that name the finding id; the caller holds mu. */
static void finding_rows(struct live *lv, const char *id, struct items *it)
{
	it->seq = calloc(FINDING_ROWS_MAX, sizeof(*it->seq));
	it->label = calloc(FINDING_ROWS_MAX, sizeof(*it->label));
	if (!it->seq || !it->label)
		return;
	for (size_t i = 0; i < lv->n && it->n < FINDING_ROWS_MAX; i++) {
		const struct row *r = lv->rows[i];
		bool named = false;
		for (size_t k = 0; k < r->n_findings && !named; k++)
			named = strcmp(r->findings[k], id) == 0;
		if (!named)
			continue;
		char line[512];
		snprintf(line, sizeof(line), "  %s %s > %s %s%s%s", r->when, r->client,
		         r->server, r->outcome, r->refused[0] ? ", refused by the " : "",
		         r->refused);
		if (!(it->label[it->n] = strdup(line)))
			break;
		it->seq[it->n++] = r->seq;
	}
}

static char *finding_text(struct live *lv, const char *id, struct items *it)
{
	char *text = NULL;
	size_t size = 0, n = 0;
	pthread_mutex_lock(&lv->mu);
	const struct finding *const *v =
	    lv->findings ? findings_sorted(lv->findings, &n) : NULL;
	const struct finding *x = NULL;
	for (size_t i = 0; i < n && !x; i++)
		if (strcmp(v[i]->id, id) == 0)
			x = v[i];
	FILE *m = x ? open_memstream(&text, &size) : NULL;
	if (m) {
		report_finding(m, x, false, COLS, false);
		finding_rows(lv, id, it);
		fprintf(m, "handshakes it covers (%zu%s; Enter opens one):\n", it->n,
		        x->count > it->n ? ", the others no longer kept" : "");
		fclose(m);
	}
	pthread_mutex_unlock(&lv->mu);
	return text;
}

bool show_finding(struct live *lv, const char *id)
{
	size_t pick = 0;
	for (;;) {
		struct items it = {0};
		char *text = finding_text(lv, id, &it);
		uint64_t seq =
		    screen(lv, text ? text : "this finding is no longer kept", &it, &pick,
		           " finding: Up/Down pick a handshake, Enter opens it, "
		           "Esc or q back, F10 quit");
		free(text);
		items_free(&it);
		if (seq == QUIT)
			return true;
		if (seq == BACK)
			return false;
		if (show_handshake(lv, seq))
			return true;
	}
}

const struct row *find_row(const struct live *lv, uint64_t seq)
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
