/* fuzz_truststore.c: the trust-store loader (dissect/truststore.c) on one
 * file, PEM, DER or PKCS#7 alike; then the store's own findings, a chain of
 * the samples judged against it (dissect/chain.c) and the summary written
 * both ways.  The same file read as the system's bundle is (judge/bundle.c,
 * without decoding it), when that reader takes it, must hold what the
 * whole reading holds and judge the chain alike.
 *
 * Input: the bytes of one file given to --trust-file.
 */
#include "failures.h"
#include "fuzz.h"

#include "judge/certificate.h"
#include "judge/chain.h"
#include "ui/output.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct chain presented;

static void load_chain(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x;
	if (!f)
		abort();
	while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
		unsigned char *der = NULL;
		int n = i2d_X509(x, &der);
		struct cert **v =
		    realloc(presented.certs, (presented.n + 1) * sizeof(*v));
		if (n <= 0 || !v)
			abort();
		presented.certs = v;
		presented.certs[presented.n++] = cert_new(der, (size_t)n);
		OPENSSL_free(der);
		X509_free(x);
	}
	fclose(f);
	if (!presented.n || !presented.certs[0])
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	load_chain(CERTSCOPE_SAMPLES "/pki/vcse-chain3.pem");
	fuzz_devnull(); /* opened before any allocation may fail */
	return 0;
}

/* The lazy reading of the file at path, when it takes it, against s, the
 * whole reading: one store, or a file OpenSSL refused as a whole (a
 * certificate it cannot decode, which the lazy reading finds out only when
 * a chain needs it). */
static void same_as_whole(const char *path, const struct trust_store *s,
                          const struct chain_check *whole)
{
	/* short of memory either reading may have lost a part: nothing to
	 * compare */
	if (fuzz_failed())
		return;
	struct trust_store *lazy = trust_store_new("fuzz", NULL);
	if (!lazy) {
		if (!fuzz_failed())
			fuzz_fail("trust_store_new failed", NULL, 0);
		return;
	}
	if (trust_store_add_bundle(lazy, path) < 0 ||
	    (trust_store_count(s) == 0 && s->rejected_files == 1)) {
		trust_store_free(lazy);
		return;
	}
	trust_store_scan(lazy, FUZZ_NOW);
	/* what is computed when asked for (the fingerprints, the findings) is
	 * asked for before anything is compared, so that an allocation failing
	 * there is known first */
	const struct store_finding *a, *b;
	size_t na = trust_store_findings(lazy, &a), nb = trust_store_findings(s, &b);
	const char *fa = trust_store_fingerprint(lazy), *fb = trust_store_fingerprint(s);
	if (fuzz_failed()) {
		trust_store_free(lazy);
		return;
	}
	if (trust_store_count(lazy) != trust_store_count(s) || strcmp(fa, fb) != 0 ||
	    lazy->times_known != s->times_known || lazy->n_bounds != s->n_bounds ||
	    (lazy->n_bounds &&
	     memcmp(lazy->bounds, s->bounds, lazy->n_bounds * sizeof(*s->bounds))) ||
	    na != nb)
		abort();
	for (size_t i = 0; i < na; i++)
		if (a[i].kind != b[i].kind || strcmp(a[i].sha256, b[i].sha256) ||
		    strcmp(a[i].other_sha256, b[i].other_sha256) ||
		    strcmp(a[i].subject ? a[i].subject : "",
		           b[i].subject ? b[i].subject : ""))
			abort();
	struct chain_check *cc = chain_check_new(
	    lazy, &presented, X509_PURPOSE_SSL_SERVER, FUZZ_NOW, FUZZ_NOW);
	if (fuzz_failed()) {
		chain_check_free(cc);
		trust_store_free(lazy);
		return;
	}
	if (!cc != !whole ||
	    (cc && (cc->verified != whole->verified || cc->n_errors != whole->n_errors ||
	            sk_X509_num(cc->completed) != sk_X509_num(whole->completed))))
		abort();
	for (size_t i = 0; cc && i < cc->n_errors; i++)
		if (cc->errors[i].code != whole->errors[i].code ||
		    cc->errors[i].depth != whole->errors[i].depth)
			abort();
	for (int i = 0; cc && i < sk_X509_num(cc->completed); i++)
		if (X509_cmp(sk_X509_value(cc->completed, i),
		             sk_X509_value(whole->completed, i)) != 0)
			abort();
	chain_check_free(cc);
	trust_store_free(lazy);
}

/* The summary written to memory by write, then checked by check. */
static void summary(const struct run_totals *t,
                    void (*write)(FILE *, const struct run_totals *),
                    void (*check)(const char *, size_t))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		if (!fuzz_failed())
			fuzz_fail("open_memstream failed", NULL, 0);
		return;
	}
	write(m, t);
	fclose(m);
	check(buf, len);
	free(buf);
}

static void json_summary_of(FILE *out, const struct run_totals *t)
{
	json_summary(out, t);
}

static void report_summary_of(FILE *out, const struct run_totals *t)
{
	report_summary(out, t, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_memfile(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	struct trust_store *s = trust_store_new("fuzz", NULL);
	if (!s) {
		if (!fuzz_failed())
			fuzz_fail("trust_store_new failed", NULL, 0);
		close(fd);
		return 0;
	}
	trust_store_add_path(s, path, fuzz_devnull());
	trust_store_scan(s, FUZZ_NOW);

	struct chain_check *cc =
	    chain_check_new(s, &presented, X509_PURPOSE_SSL_SERVER, FUZZ_NOW, FUZZ_NOW);
	same_as_whole(path, s, cc);
	close(fd);
	chain_check_free(cc);

	struct trust_store *stores[1] = {s};
	struct trust_set ts = {stores, 1};
	struct source_stats src = {0};
	struct reassembly_stats tcp = {0};
	struct dissect_stats tls = {0};
	struct judge_stats judged = {0};
	struct run_totals totals = {
	    .src = &src, .tcp = &tcp, .tls = &tls, .judged = &judged, .trust = &ts};
	summary(&totals, json_summary_of, fuzz_check_json);
	summary(&totals, report_summary_of, fuzz_check_report);
	trust_store_free(s);
	return 0;
}
