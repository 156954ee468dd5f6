/* ladder.c: a connection's messages as a sequence diagram, as sngrep draws
 * a SIP call flow: the client's column on the left, the server's on the
 * right, one arrow a message with its time since the connection's first
 * packet and its frame number, the refusal marked.
 *
 *   time (s)    frame  client                                       server
 *   +0.000212       4  |---------------- ClientHello --------------->|
 *   +0.000871       6  |<------------- Certificate (2) --------------|
 *   +0.001302       8  |------------ Alert fatal unknown_ca -------->|  refusal
 *   +0.001544       -  |               FIN from the client              |
 */
#include "output.h"

#include "../dissect/names.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Dashes between the two columns, the arrowhead and the label's spaces
 * included, at most and at least. */
#define LADDER_WIDE   46
#define LADDER_NARROW 24

static void step_label(const struct step *st, char *buf, size_t len)
{
	const char *name;
	switch (st->kind) {
	case STEP_MESSAGE:
		name = handshake_type_name(st->type);
		if (st->type == 11 && st->count)
			snprintf(buf, len, "Certificate (%u)", st->count);
		else if (st->type == 11)
			snprintf(buf, len, "Certificate (empty)");
		else if (name)
			snprintf(buf, len, "%s", name);
		else
			snprintf(buf, len, "handshake type %u", st->type);
		return;
	case STEP_ALERT:
		name = alert_name(st->type);
		const char *level = st->level == 2   ? "fatal"
		                    : st->level == 1 ? "warning"
		                                     : "level?";
		if (name)
			snprintf(buf, len, "Alert %s %s", level, name);
		else
			snprintf(buf, len, "Alert %s %u", level, st->type);
		return;
	case STEP_CCS:
		snprintf(buf, len, "ChangeCipherSpec");
		return;
	case STEP_ENCRYPTED:
		snprintf(buf, len, "%s%s",
		         st->type == 22   ? "encrypted handshake"
		         : st->type == 21 ? "encrypted alert"
		                          : "encrypted record",
		         st->count > 1 ? "s" : "");
		if (st->count > 1)
			snprintf(buf + strlen(buf), len - strlen(buf), " (%u)",
			         st->count);
		return;
	default:
		snprintf(buf, len, "%s", st->type ? "RST" : "FIN");
		return;
	}
}

/* n times the dash, ASCII or U+2500. */
static void dashes(FILE *out, int n, bool utf8)
{
	for (int i = 0; i < n; i++)
		fputs(utf8 ? "\u2500" : "-", out);
}

static void arrow(FILE *out, const char *label, int width, bool to_server, bool utf8)
{
	const char *bar = utf8 ? "\u2502" : "|";
	int len = (int)strlen(label);
	if (len > width - 6)
		len = width - 6 > 0 ? width - 6 : 0;
	int run = width - 1 - (len + 2); /* the arrowhead, the label and its spaces */
	int left = run / 2, right = run - left;
	fputs(bar, out);
	if (!to_server)
		fputs(utf8 ? "\u25c0" : "<", out);
	dashes(out, left, utf8);
	fprintf(out, " %.*s ", len, label);
	dashes(out, right, utf8);
	if (to_server)
		fputs(utf8 ? "\u25b6" : ">", out);
	fputs(bar, out);
}

/* A close is no message: a line between the columns, not an arrow. */
static void closing(FILE *out, const struct step *st, int width, bool utf8)
{
	const char *bar = utf8 ? "\u2502" : "|";
	char text[64];
	snprintf(text, sizeof(text), "%s from the %s", st->type ? "RST" : "FIN",
	         st->side == SIDE_CLIENT ? "client" : "server");
	int len = (int)strlen(text), left = (width - len) / 2;
	fprintf(out, "%s%*s%s%*s%s", bar, left, "", text, width - len - left, "", bar);
}

int ladder_width(int columns, size_t indent)
{
	/* time, frame, the bars and the mark take 30 columns, one is spare */
	int w = columns > 0 ? columns - (int)indent - 31 : LADDER_WIDE;
	return w > LADDER_WIDE ? LADDER_WIDE : w < LADDER_NARROW ? LADDER_NARROW : w;
}

void report_ladder(FILE *out, const struct ladder *l, size_t indent, int width, bool utf8)
{
	if (!l->n)
		return;
	fprintf(out, "%*s%-10s  %5s  %-*s%s\n", (int)indent, "", "time (s)", "frame",
	        width - 4, "client", "server");
	bool refused = false;
	for (size_t i = 0; i < l->n; i++) {
		const struct step *st = &l->v[i];
		char label[64], when[24], frame[24] = "-";
		step_label(st, label, sizeof(label));
		snprintf(when, sizeof(when), "+%" PRIu32 ".%06" PRIu32,
		         st->usec / 1000000, st->usec % 1000000);
		if (st->frame)
			snprintf(frame, sizeof(frame), "%" PRIu64, step_frame(l, st));
		fprintf(out, "%*s%-10s  %5s  ", (int)indent, "", when, frame);
		if (st->kind == STEP_CLOSE)
			closing(out, st, width, utf8);
		else
			arrow(out, label, width, st->side == SIDE_CLIENT, utf8);
		/* the first fatal alert is the refusal: its sender stopped there */
		if (st->kind == STEP_ALERT && st->level == 2 && !refused) {
			fputs("  refusal", out);
			refused = true;
		}
		fputc('\n', out);
	}
	if (l->dropped)
		fprintf(out, "%*s(%" PRIu32 " more not kept)\n", (int)indent, "",
		        l->dropped);
}
