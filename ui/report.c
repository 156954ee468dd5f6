/* report.c: the text report: one block per handshake, then a summary.
 * Everything that came off the wire was escaped when it was decoded; the
 * report adds colour only when writing to a terminal. */
#include "output.h"

#include "../judge/certificate.h"
#include "../judge/chain.h"
#include "../dissect/names.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define C_RESET  "\033[0m"
#define C_BOLD   "\033[1m"
#define C_RED    "\033[31m"
#define C_YELLOW "\033[33m"
#define C_GREEN  "\033[32m"
#define C_DIM    "\033[2m"

static const char *col(bool color, const char *code)
{
	return color ? code : "";
}

static const char *sev_color(enum severity s)
{
	return s == SEV_ERROR ? C_RED : s == SEV_WARNING ? C_YELLOW : C_DIM;
}

static void report_cert(FILE *out, const struct cert *c, size_t i, size_t n, bool color)
{
	char nb[32] = "?", na[32] = "?";
	const char *branch = i + 1 < n ? "├─" : "└─";
	const char *stem = i + 1 < n ? "│ " : "  ";
	fprintf(out, "    %s [%zu] %s%s%s\n", branch, i, col(color, C_BOLD),
	        c->subject ? c->subject : "(undecodable certificate)",
	        col(color, C_RESET));
	if (c->parse_error) {
		fprintf(out, "    %s     %s\n", stem, c->parse_error);
	} else {
		if (c->have_validity) {
			time_format(c->not_before, nb, sizeof(nb));
			time_format(c->not_after, na, sizeof(na));
		}
		fprintf(out, "    %s     issuer   %s\n", stem,
		        c->issuer ? c->issuer : "?");
		fprintf(out, "    %s     valid    %s .. %s\n", stem, nb, na);
		fprintf(out, "    %s     key      %s %d, %s%s%s\n", stem, c->key_type,
		        c->key_bits, c->signature_algorithm, c->is_ca ? ", CA" : "",
		        c->self_signed ? ", self-signed" : "");
		if (c->san.n) {
			fprintf(out, "    %s     san      ", stem);
			for (size_t k = 0; k < c->san.n && k < 8; k++)
				fprintf(out, "%s%s", k ? ", " : "", c->san.v[k]);
			if (c->san.n > 8)
				fprintf(out, ", ... (%zu in all)", c->san.n);
			fputc('\n', out);
		}
		if (c->eku.n) {
			fprintf(out, "    %s     eku      ", stem);
			for (size_t k = 0; k < c->eku.n; k++)
				fprintf(out, "%s%s", k ? ", " : "", c->eku.v[k]);
			fputc('\n', out);
		}
	}
	fprintf(out, "    %s     sha256   %s\n", stem, c->sha256);
}

static void report_check(FILE *out, const char *who, const struct chain_check *cc,
                         bool color)
{
	if (!cc)
		return;
	fprintf(out, "  %s chain against %s: %s%s%s%s%s\n", who, cc->store->label,
	        col(color, cc->verified ? C_GREEN : C_RED),
	        cc->verified ? "verifies" : "does not verify", col(color, C_RESET),
	        cc->status[0] ? "; " : "", cc->status);
	for (size_t i = 0; i < cc->n_errors; i++)
		fprintf(out, "    depth %d: %s\n", cc->errors[i].depth,
		        cc->errors[i].text);
	int n = chain_check_length(cc);
	bool any_store = false;
	for (int i = 0; i < n; i++)
		any_store = any_store || cc->from_store[i];
	if (!any_store)
		return;
	fprintf(out, "    completed chain:\n");
	for (int i = 0; i < n; i++) {
		const struct chain_link *l = chain_link_at(cc, i);
		fprintf(out, "      [%d] %-5s %s  sha256 %s\n", i,
		        cc->from_store[i] ? "store" : "wire",
		        l && l->subject ? l->subject : "?", l ? l->sha256 : "?");
	}
}

static void report_chain(FILE *out, const char *who, const struct chain *ch, bool color)
{
	if (!ch->seen)
		return;
	if (ch->n == 0) {
		fprintf(out, "  %s certificate: none (empty Certificate message)\n", who);
		return;
	}
	fprintf(out, "  %s chain (%zu sent%s):\n", who, ch->n,
	        ch->dropped ? ", more dropped at the cap" : "");
	for (size_t i = 0; i < ch->n; i++)
		report_cert(out, ch->certs[i], i, ch->n, color);
}

void report_handshake(FILE *out, const struct handshake *hs, const struct verdict *v,
                      bool color)
{
	char ts[TS_STRLEN], cl[64], sv[64];
	ts_format(&hs->ts, ts, sizeof(ts));
	endpoint_text(&hs->client, true, cl, sizeof(cl));
	endpoint_text(&hs->server, true, sv, sizeof(sv));
	enum severity worst = verdict_worst(v);
	const char *oc = hs->outcome == OUTCOME_COMPLETED ? C_GREEN
	                 : worst == SEV_ERROR             ? C_RED
	                                                  : C_YELLOW;
	fprintf(out, "%s%s  %s -> %s%s", col(color, C_BOLD), ts, cl, sv,
	        col(color, C_RESET));
	if (v->service)
		fprintf(out, "  (%s)", v->service);
	fprintf(out, "  %s%s%s\n", col(color, oc), outcome_name(hs->outcome),
	        col(color, C_RESET));

	const char *ver = hs->server_hello_seen ? version_name(hs->version) : NULL;
	const char *cn = hs->cipher_known ? cipher_name(hs->cipher) : NULL;
	fprintf(out, "  sni %s, version %s, cipher ", hs->sni ? hs->sni : "(none)",
	        ver ? ver : "(unknown)");
	if (cn)
		fputs(cn, out);
	else if (hs->cipher_known)
		fprintf(out, "0x%04X", hs->cipher);
	else
		fputs("(unknown)", out);
	fputc('\n', out);
	if (hs->offered_versions.n) {
		fputs("  client offered", out);
		for (size_t i = 0; i < hs->offered_versions.n; i++)
			fprintf(out, "%s %s", i ? "," : "", hs->offered_versions.v[i]);
		if (hs->sslv2_hello)
			fputs(" (SSL 2.0 format ClientHello)", out);
		fputc('\n', out);
	}
	report_chain(out, "server", &v->chains[SIDE_SERVER], color);
	report_check(out, "server", v->check[SIDE_SERVER], color);
	if (hs->certificate_requested) {
		fputs("  server requested a client certificate", out);
		if (v->ca_names.n)
			fprintf(out, " from %zu CA%s", v->ca_names.n,
			        v->ca_names.n > 1 ? "s" : "");
		fputc('\n', out);
		for (size_t i = 0; i < v->ca_names.n && i < 10; i++)
			fprintf(out, "    accepts %s\n", v->ca_names.v[i]);
	}
	report_chain(out, "client", &v->chains[SIDE_CLIENT], color);
	report_check(out, "client", v->check[SIDE_CLIENT], color);
	for (size_t i = 0; i < hs->n_alerts; i++) {
		const struct alert_event *a = &hs->alerts[i];
		char ats[TS_STRLEN];
		const char *name = alert_name(a->code);
		ts_format(&a->ts, ats, sizeof(ats));
		fprintf(out, "  alert: %s -> %s  %s %s (%u)  at %s\n",
		        a->from == SIDE_CLIENT ? "client" : "server",
		        a->from == SIDE_CLIENT ? "server" : "client",
		        a->level == 2 ? "fatal" : "warning", name ? name : "unknown",
		        a->code, ats);
	}
	for (size_t i = 0; i < v->n_diags; i++) {
		const struct diagnosis *d = &v->diags[i];
		fprintf(out, "  %s%-7s%s %s: %s\n", col(color, sev_color(d->severity)),
		        severity_name(d->severity), col(color, C_RESET), d->name,
		        d->message);
		fprintf(out, "          advice: %s\n", d->advice);
	}
	fputc('\n', out);
}

/* Each store given: what it held, whether it judged, its own findings. */
static void report_stores(FILE *out, const struct trust_set *trust)
{
	for (size_t i = 0; trust && i < trust->n; i++) {
		const struct trust_store *s = trust->stores[i];
		/* the system's bundle only informs: its own housekeeping is not ours */
		if (strcmp(s->label, "system") == 0)
			continue;
		int n = trust_store_count(s);
		fprintf(out, "  trust store %s%s%s: %d %s from %zu %s", s->label,
		        s->device ? " of " : "", s->device ? s->device : "", n,
		        n == 1 ? "certificate" : "certificates", s->files,
		        s->files == 1 ? "file" : "files");
		if (s->rejected_files)
			fprintf(out, " (%zu skipped: not readable certificate files)",
			        s->rejected_files);
		if (s->files_over_cap)
			fprintf(
			    out,
			    " (%zu more not read: over the cap of %zu files a folder)",
			    s->files_over_cap, s->max_files);
		if (!s->uses)
			fprintf(out, "; unused: no handshake %s",
			        s->device ? "involved that address"
			                  : "had a chain to judge");
		fputc('\n', out);
		const struct store_finding *f;
		size_t nf = trust_store_findings(s, &f);
		for (size_t k = 0; k < nf; k++)
			fprintf(out, "    %s: %s\n", store_finding_text(f[k].kind),
			        f[k].subject ? f[k].subject : "?");
	}
}

void report_summary(FILE *out, const struct run_totals *t, bool color)
{
	struct findings_stats fs = {0};
	if (t->findings)
		fs = findings_stats(t->findings);
	uint64_t hs = t->tls->handshakes;
	fprintf(out,
	        "%ssummary%s: %" PRIu64 " %s, %" PRIu64 " bytes, %" PRIu64
	        " TCP %s, %" PRIu64 " TLS %s (%" PRIu64 " failed), %" PRIu64
	        " %s: %s%" PRIu64 " %s%s, %" PRIu64 " %s\n",
	        col(color, C_BOLD), col(color, C_RESET), t->src->packets,
	        t->src->packets == 1 ? "packet" : "packets", t->src->bytes, t->tcp->flows,
	        t->tcp->flows == 1 ? "flow" : "flows", hs,
	        hs == 1 ? "handshake" : "handshakes", t->failed, fs.findings,
	        fs.findings == 1 ? "finding" : "findings",
	        col(color, fs.errors ? C_RED : ""), fs.errors,
	        fs.errors == 1 ? "error" : "errors", col(color, fs.errors ? C_RESET : ""),
	        fs.warnings, fs.warnings == 1 ? "warning" : "warnings");
	report_stores(out, t->trust);
	if (t->src->dropped)
		fprintf(out, "  %" PRIu64 " packets dropped by the capture\n",
		        t->src->dropped);
	if (t->src->truncated)
		fprintf(out,
		        "  %" PRIu64
		        " packets cut short by the snaplen (capture with -s 0)\n",
		        t->src->truncated);
	if (t->src->malformed)
		fprintf(out, "  %" PRIu64 " packets with malformed headers\n",
		        t->src->malformed);
	if (t->src->fragments)
		fprintf(out, "  %" PRIu64 " IP fragments skipped (not reassembled)\n",
		        t->src->fragments);
	if (t->src->unsupported)
		fprintf(out,
		        "  %" PRIu64 " packets of an unsupported link type skipped\n",
		        t->src->unsupported);
	if (t->tcp->gaps)
		fprintf(out,
		        "  %" PRIu64 " gaps in TCP streams (%" PRIu64
		        " bytes never captured)\n",
		        t->tcp->gaps, t->tcp->gap_bytes);
	if (t->tcp->flows_evicted)
		fprintf(out,
		        "  %" PRIu64 " flows closed early: the flow table was full\n",
		        t->tcp->flows_evicted);
	if (t->tcp->ooo_cap_hits)
		fprintf(out, "  %" PRIu64 " times the out-of-order buffer was full\n",
		        t->tcp->ooo_cap_hits);
	if (t->tls->malformed)
		fprintf(out, "  %" PRIu64 " malformed TLS messages\n", t->tls->malformed);
	if (t->tls->oversized)
		fprintf(out,
		        "  %" PRIu64 " handshake messages over the size cap skipped\n",
		        t->tls->oversized);
	if (t->tls->buffer_cap_hits)
		fprintf(out,
		        "  %" PRIu64
		        " times the TLS buffers of all flows were full: bytes skipped\n",
		        t->tls->buffer_cap_hits);
	if (t->tls->certs_dropped)
		fprintf(out,
		        "  %" PRIu64 " certificates past the per-chain cap skipped\n",
		        t->tls->certs_dropped);
	if (t->judged->certs_oversized)
		fprintf(out,
		        "  %" PRIu64 " certificates over the size cap kept undecoded\n",
		        t->judged->certs_oversized);
	if (t->exported)
		fprintf(out,
		        "  exported: %" PRIu64 " distinct %s to chains/, %" PRIu64
		        " verified to completed/, %" PRIu64 " fix %s to fixes/%s\n",
		        t->exported->chains,
		        t->exported->chains == 1 ? "chain" : "chains",
		        t->exported->completed, t->exported->kits,
		        t->exported->kits == 1 ? "kit" : "kits",
		        t->exported->failed ? " (some files failed, see above)" : "");
}
