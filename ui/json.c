/* json.c: NDJSON as CONTRACT.md fixes it: one object per handshake, then a
 * summary. */
#include "output.h"

#include "../judge/certificate.h"
#include "../judge/chain.h"
#include "../dissect/names.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Written as they are: printable ASCII but the quote and the backslash. */
static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void json_string(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		/* runs of plain characters in one write */
		size_t run = 0;
		while (json_plain(p[run]))
			run++;
		if (run) {
			fwrite(p, 1, run, out);
			p += run - 1;
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				putc(*p, out);
		}
	}
	putc('"', out);
}

static void json_strings(FILE *out, const struct string_list *l)
{
	putc('[', out);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			putc(',', out);
		json_string(out, l->v[i]);
	}
	putc(']', out);
}

static void json_endpoint(FILE *out, const struct endpoint *e)
{
	char a[ENDPOINT_ADDRSTRLEN];
	endpoint_addr_str(e, a, sizeof(a));
	fputs("{\"ip\":", out);
	json_string(out, a);
	fprintf(out, ",\"port\":%u}", e->port);
}

static void json_time(FILE *out, time_t t, bool have)
{
	char buf[32];
	if (!have) {
		fputs("null", out);
		return;
	}
	time_format(t, buf, sizeof(buf));
	json_string(out, buf);
}

static void json_cert(FILE *out, const struct cert *c)
{
	fputs("{\"sha256\":", out);
	json_string(out, c->sha256);
	fputs(",\"subject\":", out);
	json_string(out, c->subject);
	fputs(",\"issuer\":", out);
	json_string(out, c->issuer);
	fputs(",\"serial\":", out);
	json_string(out, c->serial);
	fputs(",\"not_before\":", out);
	json_time(out, c->not_before, c->have_validity);
	fputs(",\"not_after\":", out);
	json_time(out, c->not_after, c->have_validity);
	fputs(",\"san\":", out);
	json_strings(out, &c->san);
	fputs(",\"key_type\":", out);
	json_string(out, c->key_type);
	if (c->x509)
		fprintf(out, ",\"key_bits\":%d", c->key_bits);
	else
		fputs(",\"key_bits\":null", out);
	fputs(",\"signature_algorithm\":", out);
	json_string(out, c->signature_algorithm);
	fputs(",\"eku\":", out);
	json_strings(out, &c->eku);
	fprintf(out, ",\"is_ca\":%s,\"self_signed\":%s", c->is_ca ? "true" : "false",
	        c->self_signed ? "true" : "false");
	if (c->parse_error) {
		fputs(",\"parse_error\":", out);
		json_string(out, c->parse_error);
	}
	putc('}', out);
}

/* A certificate's object depends on its DER only, and a busy server sends
 * the same chain on every connection: objects already written are kept by
 * fingerprint in a direct-mapped table of fixed size (one thread: the one
 * that writes). */
#define JSON_CERT_SLOTS 256
#define JSON_CERT_MAX   (16u << 10)

struct json_writer {
	FILE *out;
	const char *file; /* the last input named, and its JSON string */
	char *file_json;
	size_t file_len;
	struct {
		char sha256[65];
		char *text;
		size_t len;
	} certs[JSON_CERT_SLOTS];
};

struct json_writer *json_writer_new(FILE *out)
{
	struct json_writer *w = calloc(1, sizeof(*w));
	if (w)
		w->out = out;
	return w;
}

void json_writer_free(struct json_writer *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < JSON_CERT_SLOTS; i++)
		free(w->certs[i].text);
	free(w->file_json);
	free(w);
}

static void json_cert_cached(struct json_writer *w, const struct cert *c)
{
	FILE *out = w->out;
	if (strlen(c->sha256) != 64) {
		json_cert(out, c);
		return;
	}
	size_t slot = (size_t)(c->der_hash % JSON_CERT_SLOTS);
	if (w->certs[slot].text && strcmp(w->certs[slot].sha256, c->sha256) == 0) {
		fwrite(w->certs[slot].text, 1, w->certs[slot].len, out);
		return;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m) {
		json_cert(out, c);
		return;
	}
	json_cert(m, c);
	if (fclose(m) != 0 || !text) {
		free(text);
		json_cert(out, c);
		return;
	}
	fwrite(text, 1, len, out);
	if (len > JSON_CERT_MAX) {
		free(text);
		return;
	}
	free(w->certs[slot].text);
	w->certs[slot].text = text;
	w->certs[slot].len = len;
	memcpy(w->certs[slot].sha256, c->sha256, sizeof(w->certs[slot].sha256));
}

static void json_chain(struct json_writer *w, const struct chain *ch)
{
	FILE *out = w->out;
	putc('[', out);
	for (size_t i = 0; i < ch->n; i++) {
		if (i)
			putc(',', out);
		json_cert_cached(w, ch->certs[i]);
	}
	putc(']', out);
}

static void json_check(FILE *out, const struct chain_check *cc)
{
	if (!cc) {
		fputs("null", out);
		return;
	}
	fputs("{\"store\":", out);
	json_string(out, cc->store->label);
	fprintf(out, ",\"verified\":%s,\"status\":", cc->verified ? "true" : "false");
	json_string(out, cc->status[0] ? cc->status : NULL);
	fputs(",\"errors\":[", out);
	for (size_t i = 0; i < cc->n_errors; i++) {
		if (i)
			putc(',', out);
		fprintf(out, "{\"depth\":%d,\"error\":", cc->errors[i].depth);
		json_string(out, cc->errors[i].text);
		putc('}', out);
	}
	fputs("],\"completed\":[", out);
	for (int i = 0; i < chain_check_length(cc); i++) {
		const struct chain_link *l = chain_link_at(cc, i);
		if (i)
			putc(',', out);
		fputs("{\"sha256\":", out);
		json_string(out, l ? l->sha256 : NULL);
		fputs(",\"subject\":", out);
		json_string(out, l ? l->subject : NULL);
		fprintf(out, ",\"source\":\"%s\"}", cc->from_store[i] ? "store" : "wire");
	}
	fputs("]}", out);
}

/* The input's name: the same for every handshake of a file, so its JSON
 * string is made once. */
static void json_file(struct json_writer *w, const char *file)
{
	if (!file || file != w->file || !w->file_json) {
		free(w->file_json);
		w->file_json = NULL;
		w->file = file;
		FILE *m = open_memstream(&w->file_json, &w->file_len);
		if (m) {
			json_string(m, file);
			if (fclose(m) != 0) {
				free(w->file_json);
				w->file_json = NULL;
			}
		}
	}
	if (w->file_json)
		fwrite(w->file_json, 1, w->file_len, w->out);
	else
		json_string(w->out, file);
}

/* The frames object, built in one buffer and written at once. */
static void json_frames(FILE *out, const struct frames *f)
{
	const struct {
		const char *key; /* with its quotes, colon and leading separator */
		uint64_t v;
	} keys[] = {
	    {"{\"first\":", f->first},
	    {",\"client_hello\":", f->client_hello},
	    {",\"server_hello\":", f->server_hello},
	    {",\"server_certificate\":", f->certificate[SIDE_SERVER]},
	    {",\"client_certificate\":", f->certificate[SIDE_CLIENT]},
	    {",\"alert\":", f->alert},
	};
	char buf[256], d[20];
	size_t o = 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		text_append(buf, sizeof(buf), &o, keys[i].key, strlen(keys[i].key));
		if (keys[i].v)
			text_append(buf, sizeof(buf), &o, d, u64_digits(keys[i].v, d));
		else
			text_append(buf, sizeof(buf), &o, "null", 4);
	}
	text_append(buf, sizeof(buf), &o, "}", 1);
	fwrite(buf, 1, o, out);
}

void json_handshake(struct json_writer *w, const struct handshake *hs,
                    const struct verdict *v, const char *file)
{
	FILE *out = w->out;
	char ts[TS_STRLEN], cipher[16];
	ts_format(&hs->ts, ts, sizeof(ts));
	fputs("{\"type\":\"handshake\",\"ts\":", out);
	json_string(out, ts);
	fputs(",\"client\":", out);
	json_endpoint(out, &hs->client);
	fputs(",\"server\":", out);
	json_endpoint(out, &hs->server);
	fputs(",\"service\":", out);
	json_string(out, v->service);
	fputs(",\"sni\":", out);
	json_string(out, hs->sni);
	fputs(",\"starttls\":", out);
	json_string(out, hs->starttls);
	fputs(",\"version\":", out);
	json_string(out, hs->server_hello_seen ? version_name(hs->version) : NULL);
	fputs(",\"cipher\":", out);
	const char *cn = hs->cipher_known ? cipher_name(hs->cipher) : NULL;
	if (hs->cipher_known && !cn) {
		snprintf(cipher, sizeof(cipher), "0x%04X", hs->cipher);
		cn = cipher;
	}
	json_string(out, cn);
	fputs(",\"server_certificates\":", out);
	json_chain(w, &v->chains[SIDE_SERVER]);
	fputs(",\"client_certificates\":", out);
	json_chain(w, &v->chains[SIDE_CLIENT]);
	fprintf(out, ",\"certificate_requested\":%s",
	        hs->certificate_requested ? "true" : "false");
	fputs(",\"alerts\":[", out);
	for (size_t i = 0; i < hs->n_alerts; i++) {
		const struct alert_event *a = &hs->alerts[i];
		char ats[TS_STRLEN];
		ts_format(&a->ts, ats, sizeof(ats));
		if (i)
			putc(',', out);
		fprintf(out,
		        "{\"from\":\"%s\",\"level\":\"%s\",\"code\":%u,\"description\":",
		        a->from == SIDE_CLIENT ? "client" : "server",
		        a->level == 2 ? "fatal" : "warning", a->code);
		json_string(out, alert_name(a->code));
		fputs(",\"ts\":", out);
		json_string(out, ats);
		putc('}', out);
	}
	fputs("],\"outcome\":", out);
	json_string(out, outcome_name(hs->outcome));
	fputs(",\"diagnoses\":[", out);
	for (size_t i = 0; i < v->n_diags; i++) {
		const struct diagnosis *d = &v->diags[i];
		if (i)
			putc(',', out);
		fputs("{\"code\":", out);
		json_string(out, d->name);
		fputs(",\"severity\":", out);
		json_string(out, severity_name(d->severity));
		fputs(",\"certificate\":", out);
		json_string(out, d->cert_sha256[0] ? d->cert_sha256 : NULL);
		fputs(",\"message\":", out);
		json_string(out, d->message);
		fputs(",\"advice\":", out);
		json_string(out, d->advice);
		fputs(",\"finding\":", out);
		json_string(out, d->finding[0] ? d->finding : NULL);
		putc('}', out);
	}
	fputs("],\"server_chain_store\":", out);
	json_string(out, v->chain_store[SIDE_SERVER]);
	fputs(",\"client_chain_store\":", out);
	json_string(out, v->chain_store[SIDE_CLIENT]);
	fputs(",\"server_chain_check\":", out);
	json_check(out, v->check[SIDE_SERVER]);
	fputs(",\"client_chain_check\":", out);
	json_check(out, v->check[SIDE_CLIENT]);
	fputs(",\"offered_versions\":", out);
	json_strings(out, &hs->offered_versions);
	fputs(",\"alpn\":", out);
	json_strings(out, &hs->alpn);
	char filter[256];
	wireshark_filter(&hs->client, &hs->server, filter, sizeof(filter));
	fputs(",\"file\":", out);
	json_file(w, file);
	fputs(",\"frames\":", out);
	json_frames(out, &hs->frames);
	/* addresses, ports and operators only: nothing to escape */
	fputs(",\"wireshark_filter\":\"", out);
	fputs(filter, out);
	fputs("\"}\n", out);
}

void json_summary(FILE *out, const struct run_totals *t)
{
	struct findings_stats fs = {0};
	if (t->findings)
		fs = findings_stats(t->findings);
	fprintf(out,
	        "{\"type\":\"summary\",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64
	        ",\"tcp_flows\":%" PRIu64 ",\"handshakes\":%" PRIu64
	        ",\"failed_handshakes\":%" PRIu64 ",\"findings\":%" PRIu64
	        ",\"errors\":%" PRIu64 ",\"warnings\":%" PRIu64 ",\"dropped\":%" PRIu64
	        ",\"diagnoses_errors\":%" PRIu64 ",\"diagnoses_warnings\":%" PRIu64
	        ",\"findings_over_cap\":%" PRIu64,
	        t->src->packets, t->src->bytes, t->tcp->flows, t->tls->handshakes,
	        t->failed, fs.findings, fs.errors, fs.warnings, t->src->dropped,
	        t->judged->errors, t->judged->warnings, fs.dropped);
	fprintf(out,
	        ",\"truncated_packets\":%" PRIu64 ",\"malformed_packets\":%" PRIu64
	        ",\"ip_fragments\":%" PRIu64 ",\"unsupported_link_packets\":%" PRIu64
	        ",\"capture_gaps\":%" PRIu64 ",\"gap_bytes\":%" PRIu64
	        ",\"retransmitted_bytes\":%" PRIu64 ",\"flows_evicted\":%" PRIu64
	        ",\"flows_expired\":%" PRIu64 ",\"reassembly_cap_hits\":%" PRIu64
	        ",\"malformed_messages\":%" PRIu64 ",\"oversized_messages\":%" PRIu64
	        ",\"tls_buffer_cap_hits\":%" PRIu64 ",\"certificates_over_cap\":%" PRIu64
	        ",\"certificates_over_size_cap\":%" PRIu64,
	        t->src->truncated, t->src->malformed, t->src->fragments,
	        t->src->unsupported, t->tcp->gaps, t->tcp->gap_bytes, t->tcp->dup_bytes,
	        t->tcp->flows_evicted, t->tcp->flows_idle, t->tcp->ooo_cap_hits,
	        t->tls->malformed, t->tls->oversized, t->tls->buffer_cap_hits,
	        t->tls->certs_dropped, t->judged->certs_oversized);
	fputs(",\"trust_stores\":[", out);
	for (size_t i = 0; t->trust && i < t->trust->n; i++) {
		const struct trust_store *s = t->trust->stores[i];
		if (i)
			putc(',', out);
		fputs("{\"path\":", out);
		json_string(out, s->label);
		fputs(",\"device\":", out);
		json_string(out, s->device);
		fprintf(out,
		        ",\"anchors\":%d,\"files\":%zu,\"rejected_files\":%zu,\"files_"
		        "over_cap\":%zu,\"used\":%s,\"findings\":[",
		        trust_store_count(s), s->files, s->rejected_files,
		        s->files_over_cap, s->uses ? "true" : "false");
		const struct store_finding *fs;
		size_t nf = trust_store_findings(s, &fs);
		for (size_t k = 0; k < nf; k++) {
			const struct store_finding *f = &fs[k];
			if (k)
				putc(',', out);
			fprintf(out, "{\"code\":\"%s\",\"certificate\":",
			        store_finding_code(f->kind));
			json_string(out, f->sha256);
			fputs(",\"subject\":", out);
			json_string(out, f->subject);
			putc('}', out);
		}
		fputs("]}", out);
	}
	fputs("]}\n", out);
}

static void json_finding(FILE *out, const struct finding *x)
{
	char first[TS_STRLEN], last[TS_STRLEN], ts[TS_STRLEN];
	ts_format(&x->first_ts, first, sizeof(first));
	ts_format(&x->last_ts, last, sizeof(last));
	ts_format(&x->example.ts, ts, sizeof(ts));
	fputs("{\"type\":\"finding\",\"id\":", out);
	json_string(out, x->id);
	fputs(",\"code\":", out);
	json_string(out, x->code);
	fputs(",\"severity\":", out);
	json_string(out, severity_name(x->severity));
	fputs(",\"evidence\":", out);
	json_strings(out, &x->evidence);
	fputs(",\"refused_by\":", out);
	json_string(out, x->refused_by < 0              ? NULL
	                 : x->refused_by == SIDE_CLIENT ? "client"
	                                                : "server");
	fprintf(out, ",\"count\":%" PRIu64 ",\"first_ts\":", x->count);
	json_string(out, first);
	fputs(",\"last_ts\":", out);
	json_string(out, last);
	fputs(",\"devices\":", out);
	json_strings(out, &x->devices);
	fprintf(out, ",\"devices_total\":%zu,\"peers\":", x->device_set.n);
	json_strings(out, &x->peers);
	fprintf(out, ",\"peers_total\":%zu,\"certificate\":", x->peer_set.n);
	json_string(out, x->certificate[0] ? x->certificate : NULL);
	fputs(",\"chain\":", out);
	json_strings(out, &x->chain);
	fputs(",\"store\":", out);
	json_string(out, x->store);
	fputs(",\"message\":", out);
	json_string(out, x->message);
	fputs(",\"advice\":", out);
	json_string(out, x->advice);
	fputs(",\"example\":{\"ts\":", out);
	json_string(out, ts);
	fputs(",\"client\":", out);
	json_endpoint(out, &x->example.client);
	fputs(",\"server\":", out);
	json_endpoint(out, &x->example.server);
	fputs(",\"file\":", out);
	json_string(out, x->example.file);
	fputs(",\"frames\":", out);
	json_frames(out, &x->example.frames);
	fputs("}}\n", out);
}

void json_findings(FILE *out, struct findings *f)
{
	size_t n = 0;
	const struct finding *const *v = findings_sorted(f, &n);
	for (size_t i = 0; i < n; i++)
		json_finding(out, v[i]);
}
