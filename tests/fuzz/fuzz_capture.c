/* fuzz_capture.c: a whole capture file (pcap or pcapng) through the real
 * pipeline: the secrets of its pcapng Decryption Secrets Blocks (the key
 * log), libpcap, link layers, IP, TCP, reassembly, the TLS dissector and
 * TLS 1.3 decryption, chains judged against samples/trust-mixed, then the
 * NDJSON writer, the text report and PEM export, as
 * `certscope -r FILE --json --export-pem` does.  Every line written is
 * checked (fuzz.h). */
#include "failures.h"
#include "fuzz.h"

#include "capture/reassembly.h"
#include "capture/source.h"
#include "common/alloc.h"
#include "dissect/dissect.h"
#include "dissect/keylog.h"
#include "judge/judge.h"
#include "ui/output.h"

#include <stdlib.h>
#include <unistd.h>

static struct config cfg;
static struct trust_spec trust_spec;
static struct trust_set trust;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	config_defaults(&cfg);
	cfg.json = true;
	trust_spec.path = (char *)CERTSCOPE_SAMPLES "/trust-mixed";
	trust_spec.is_dir = true;
	cfg.trust = &trust_spec;
	cfg.n_trust = 1;
	cfg.export_dir = fuzz_export_dir();
	if (trust_set_load(&trust, &cfg, FUZZ_NOW, fuzz_devnull()) < 0) {
		fprintf(stderr, "cannot load %s\n", trust_spec.path);
		abort();
	}
	return 0;
}

struct out {
	FILE *json;
	FILE *report;
	struct json_writer *w;
	struct judge *judge;
	struct exporter *exporter;
	struct fixkit *fixkit;
};

static void emit(void *ctx, const struct handshake *hs)
{
	struct out *o = ctx;
	struct verdict v;
	/* as main.c does: a verdict made short of memory is left out */
	uint64_t failures = alloc_failures();
	int rc = judge_run(o->judge, hs, &v);
	if (rc < 0 && !fuzz_failed())
		fuzz_fail("judge_run failed with no allocation failing", NULL, 0);
	if (rc < 0 || alloc_failures() != failures) {
		verdict_fini(&v);
		return;
	}
	json_handshake(o->w, hs, &v, "fuzz.pcap");
	report_handshake(o->report, hs, &v, false);
	if (export_handshake(o->exporter, hs, &v) < 0 && !fuzz_failed())
		fuzz_fail("export failed", NULL, 0);
	fixkit_add(o->fixkit, hs, &v);
	verdict_fini(&v);
}

/* What the run read, written as main.c's end does: the fix kits, then the
 * summary both ways. */
static void finish(struct out *o, struct reassembly *r, struct dissector *d,
                   const struct source_stats *st)
{
	reassembly_finish(r);
	struct run_totals totals = {
	    .src = st,
	    .tcp = reassembly_stats(r),
	    .tls = dissector_stats(d),
	    .judged = judge_stats(o->judge),
	    .trust = &trust,
	};
	size_t n_kits;
	const struct fix_kit *kits = fixkit_build(o->fixkit, &n_kits);
	export_kits(o->exporter, kits, n_kits, NULL);
	totals.exported = exporter_stats(o->exporter);
	json_summary(o->json, &totals);
	report_summary(o->report, &totals, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	char *jbuf = NULL, *rbuf = NULL;
	size_t jlen = 0, rlen = 0;
	int fd = fuzz_memfile(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	struct out o = {open_memstream(&jbuf, &jlen),
	                open_memstream(&rbuf, &rlen),
	                NULL,
	                judge_new(&cfg, &trust, FUZZ_NOW),
	                exporter_new(cfg.export_dir),
	                fixkit_new(&trust, NULL, FUZZ_NOW)};
	o.w = o.json ? json_writer_new(o.json) : NULL;
	struct dissector *d = dissector_new(&cfg, emit, &o);
	struct reassembly *r = d ? reassembly_new(&cfg, dissector_ops(), d) : NULL;
	struct keylog *kl = keylog_new(cfg.max_keylog_lines);
	if (o.report && o.w && o.judge && o.exporter && o.fixkit && r && kl) {
		/* as main.c does: secrets from the file's own blocks */
		keylog_add_pcapng(kl, path);
		keylog_finish(kl);
		if (keylog_count(kl))
			dissector_set_keylog(d, kl);
		struct source_stats st = {0};
		source_read_file(path, &cfg, NULL, r, &st, err, sizeof(err));
		finish(&o, r, d, &st);
	} else if (!fuzz_failed()) {
		fuzz_fail("the pipeline could not be made", NULL, 0);
	}
	reassembly_free(r);
	dissector_free(d);
	judge_free(o.judge);
	fixkit_free(o.fixkit);
	exporter_free(o.exporter);
	json_writer_free(o.w);
	keylog_free(kl);
	if (o.json)
		fclose(o.json);
	if (o.report)
		fclose(o.report);
	close(fd);
	/* what was written, however short of memory, is checked */
	fuzz_check_json(jbuf, jlen);
	fuzz_check_report(rbuf, rlen);
	free(jbuf);
	free(rbuf);
	fuzz_export_clean();
	return 0;
}
