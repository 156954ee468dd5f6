/* fuzz_truststore.c: the trust-store loader (dissect/truststore.c) on one
 * file, PEM, DER or PKCS#7 alike; then the store's own findings, a chain of
 * the samples judged against it (dissect/chain.c) and the summary written
 * both ways.
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
	close(fd);
	trust_store_scan(s, FUZZ_NOW);

	struct chain_check *cc =
	    chain_check_new(s, &presented, X509_PURPOSE_SSL_SERVER, FUZZ_NOW, FUZZ_NOW);
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
