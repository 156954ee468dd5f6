/* report_findings.c: the text report's answer: a header (inputs, stores,
 * verification time), the findings in full, worst first, and what was
 * healthy.  Every text from the wire was escaped when it was decoded. */
#include "output.h"

#include <inttypes.h>
#include <string.h>

/* "1 handshake", "2 handshakes". */
static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void report_header(FILE *out, const struct config *cfg, const struct trust_set *trust)
{
	fputs("certscope " CERTSCOPE_VERSION ": ", out);
	if (cfg->interface)
		fprintf(out, "live on %s", cfg->interface);
	for (size_t i = 0; i < cfg->n_read_files; i++)
		fprintf(out, "%s%s", i ? ", " : "", cfg->read_files[i]);
	if (cfg->filter)
		fprintf(out, " (filter: %s)", cfg->filter);
	fputc('\n', out);
	if (!cfg->n_trust) {
		fputs(
		    "No trust store given: chains are checked against the system's "
		    "default "
		    "store for information only\n(UC devices keep their own lists; give "
		    "each one with --trust-dir ADDR=DIR): its verdicts are at most "
		    "warnings.\n",
		    out);
	} else {
		for (size_t i = 0; trust && i < trust->n; i++) {
			const struct trust_store *s = trust->stores[i];
			fprintf(out, "trust store %s: %s\n", s->label,
			        s->device ? s->device
			                  : "every device without one of its own");
		}
	}
	if (cfg->have_at) {
		char at[32];
		time_format(cfg->at, at, sizeof(at));
		fprintf(out, "chains verified as of %s (--at)\n", at);
	} else {
		fputs("chains verified as of each handshake's time\n", out);
	}
	fputc('\n', out);
}

static void report_example(FILE *out, const struct finding *x, int width, bool utf8)
{
	char ts[TS_STRLEN], cl[ENDPOINT_ADDRSTRLEN + 8], sv[ENDPOINT_ADDRSTRLEN + 8],
	    filter[256];
	const struct frames *fr = &x->example.frames;
	ts_format(&x->example.ts, ts, sizeof(ts));
	endpoint_text(&x->example.client, true, cl, sizeof(cl));
	endpoint_text(&x->example.server, true, sv, sizeof(sv));
	fprintf(out, "  example: %s  %s -> %s", ts, cl, sv);
	if (x->example.file)
		fprintf(out, "  in %s", x->example.file);
	fputc('\n', out);
	static const struct {
		const char *name;
		size_t off;
	} frames[] = {
	    {"ClientHello", offsetof(struct frames, client_hello)},
	    {"ServerHello", offsetof(struct frames, server_hello)},
	    {"server Certificate", offsetof(struct frames, certificate[SIDE_SERVER])},
	    {"client Certificate", offsetof(struct frames, certificate[SIDE_CLIENT])},
	    {"alert", offsetof(struct frames, alert)},
	};
	fprintf(out, "           frames: first %" PRIu64, fr->first);
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		uint64_t n;
		memcpy(&n, (const char *)fr + frames[i].off, sizeof(n));
		if (n)
			fprintf(out, ", %s %" PRIu64, frames[i].name, n);
	}
	wireshark_filter(&x->example.client, &x->example.server, filter, sizeof(filter));
	fprintf(out, "\n           wireshark: %s\n", filter);
	report_ladder(out, &x->example.ladder, 4, ladder_width(width, 4), utf8);
}

static void report_list(FILE *out, const char *what, const struct string_list *l,
                        size_t total)
{
	if (!l->n)
		return;
	fprintf(out, "  %s:", what);
	for (size_t i = 0; i < l->n; i++)
		fprintf(out, "%s %s", i ? "," : "", l->v[i]);
	if (total > l->n)
		fprintf(out, " ... (%zu in all)", total);
	fputc('\n', out);
}

void put_wrapped(FILE *out, const char *lead, const char *text, int width, int indent)
{
	size_t col = strlen(lead), ind = indent > 0 ? (size_t)indent : 0;
	fputs(lead, out);
	if (width <= 0 || (size_t)width <= ind + 20) {
		fprintf(out, "%s\n", text);
		return;
	}
	const char *p = text;
	bool space = false; /* a space is owed before the next word */
	while (*p) {
		size_t word = strcspn(p, " ");
		if (col > ind && col + space + word >= (size_t)width) {
			fprintf(out, "\n%*s", indent, "");
			col = ind;
		} else if (space) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, word, out);
		col += word;
		p += word;
		size_t spaces = strspn(p, " ");
		space = spaces > 0;
		p += spaces;
	}
	fputc('\n', out);
}

void report_finding(FILE *out, const struct finding *x, bool color, int width, bool utf8)
{
	char first[32], last[32];
	const char *sev = x->severity == SEV_ERROR     ? "\033[31m"
	                  : x->severity == SEV_WARNING ? "\033[33m"
	                                               : "\033[2m";
	fprintf(out, "%s%-7s%s %s%s%s  %" PRIu64 " %s", color ? sev : "",
	        severity_name(x->severity), color ? "\033[0m" : "",
	        color ? "\033[1m" : "", x->code, color ? "\033[0m" : "", x->count,
	        plural(x->count, "handshake", "handshakes"));
	if (x->refused_by >= 0)
		fprintf(out, ", refused by the %s",
		        x->refused_by == SIDE_CLIENT ? "client" : "server");
	fprintf(out, "  [%s]\n", x->id);
	for (size_t i = 0; i < x->chain_subjects.n; i++)
		fprintf(out, "  %s [%zu] %s%s\n",
		        i + 1 < x->chain_subjects.n ? "|-" : "`-", i,
		        x->chain_subjects.v[i],
		        strcmp(x->chain.v[i], x->certificate) == 0 ? "  <-" : "");
	put_wrapped(out, "  ", x->message, width, 4);
	put_wrapped(out, "  advice: ", x->advice, width, 4);
	report_list(out, "devices to change", &x->devices, x->device_set.n);
	report_list(out, "peers", &x->peers, x->peer_set.n);
	report_list(out, "also seen", &x->evidence, x->evidence.n);
	time_format(x->first_ts.tv_sec, first, sizeof(first));
	time_format(x->last_ts.tv_sec, last, sizeof(last));
	if (x->count > 1)
		fprintf(out, "  first %s, last %s\n", first, last);
	report_example(out, x, width, utf8);
	fputc('\n', out);
}

/* What went right, by server port: how many servers, how many of their
 * handshakes completed, and the servers themselves when they are few. */
static void report_healthy(FILE *out, struct findings *f)
{
	size_t ns = 0;
	const struct server_tally *s = findings_servers(f, &ns);
	bool any = false;
	for (size_t i = 0; i < ns; i++) {
		bool first = true;
		for (size_t k = 0; k < i && first; k++)
			first = s[k].server.port != s[i].server.port;
		if (!first)
			continue;
		uint64_t servers = 0, hs = 0, done = 0, bad = 0;
		for (size_t k = i; k < ns; k++) {
			if (s[k].server.port != s[i].server.port)
				continue;
			servers++;
			hs += s[k].handshakes;
			done += s[k].completed;
			bad += s[k].with_errors;
		}
		if (!done)
			continue;
		if (!any)
			fputs("Completed handshakes, by server port:\n", out);
		any = true;
		fprintf(out, "  port %u", s[i].server.port);
		if (s[i].service)
			fprintf(out, " (%s)", s[i].service);
		fprintf(out,
		        ": %" PRIu64 " of %" PRIu64 " %s completed on %" PRIu64 " %s",
		        done, hs, plural(hs, "handshake", "handshakes"), servers,
		        plural(servers, "server", "servers"));
		if (bad)
			fprintf(out, "; %" PRIu64 " with an error above", bad);
		fputc('\n', out);
	}
	if (any)
		fputc('\n', out);
}

void report_findings(FILE *out, struct findings *f, bool color, int width, bool utf8)
{
	size_t n = 0;
	const struct finding *const *v = findings_sorted(f, &n);
	struct findings_stats stats = findings_stats(f);
	const struct findings_stats *st = &stats;
	if (!n) {
		fputs("No findings: nothing to fix was seen.\n\n", out);
	} else {
		fprintf(out,
		        "%" PRIu64 " %s (%" PRIu64 " %s, %" PRIu64 " %s, %" PRIu64
		        " info), worst first:\n\n",
		        st->findings, plural(st->findings, "finding", "findings"),
		        st->errors, plural(st->errors, "error", "errors"), st->warnings,
		        plural(st->warnings, "warning", "warnings"), st->infos);
		for (size_t i = 0; i < n; i++)
			report_finding(out, v[i], color, width, utf8);
	}
	report_healthy(out, f);
}
