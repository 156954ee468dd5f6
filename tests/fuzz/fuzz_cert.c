/* fuzz_cert.c: certificate DER through judge/: certificate.c (decoding,
 * names, SANs, keys), chain.c and the rules (chains built against
 * samples/pki's roots, every rule), then NDJSON, the report and PEM
 * export.
 *
 * Input: the DER of one certificate.  It is sent as the server's leaf,
 * followed by the samples' intermediate, on a traversal zone (7001) where
 * the client refused it with unknown_ca; and as the client's only
 * certificate, which the server refused with bad_certificate after asking
 * for one from the CA that issued it.
 */
#include "failures.h"
#include "fuzz.h"

#include "judge/certificate.h"
#include "judge/judge.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

static struct config cfg;
static struct trust_spec trust_spec[2];
static struct trust_set trust;
static struct expect_name expect;
static unsigned char *inter_der;
static size_t inter_len;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	config_defaults(&cfg);
	trust_spec[0].path = (char *)CERTSCOPE_SAMPLES "/pki/root.pem";
	trust_spec[1].path = (char *)CERTSCOPE_SAMPLES "/pki/other-root.pem";
	trust_spec[1].addr = (char *)"198.51.100.20";
	cfg.trust = trust_spec;
	cfg.n_trust = 2;
	expect.name = (char *)"vcse.example.com";
	cfg.expect = &expect;
	cfg.n_expect = 1;
	if (trust_set_load(&trust, &cfg, FUZZ_NOW, fuzz_devnull()) < 0)
		abort();
	FILE *f = fopen(CERTSCOPE_SAMPLES "/pki/inter.pem", "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	int n = x ? i2d_X509(x, &inter_der) : -1;
	if (n <= 0)
		abort();
	inter_len = (size_t)n;
	X509_free(x);
	fclose(f);
	return 0;
}

static void add_cert(struct wire_chain *ch, const uint8_t *der, size_t len)
{
	struct wire_cert *v = realloc(ch->certs, (ch->n + 1) * sizeof(*v));
	struct der_blob *b = v ? der_blob_new(der, len) : NULL;
	if (v)
		ch->certs = v;
	if (!b)
		return;
	ch->certs[ch->n++] = (struct wire_cert){b->der, b->len, b};
	ch->seen = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct handshake *hs = calloc(1, sizeof(*hs));
	if (!hs) {
		if (!fuzz_failed())
			fuzz_fail("calloc failed", NULL, 0);
		return 0;
	}
	hs->client = (struct endpoint){4, {192, 0, 2, 10}, 51000};
	hs->server = (struct endpoint){4, {198, 51, 100, 20}, 7001};
	hs->ts.tv_sec = FUZZ_NOW;
	hs->sni = strdup("vcse.example.com");
	hs->client_hello_seen = hs->server_hello_seen = true;
	hs->version = 0x0303;
	hs->cipher = 0xc030;
	hs->cipher_known = true;
	hs->certificate_requested = true;
	hs->last_msg_side = hs->closed_by = hs->cert_flight_side = -1;
	add_cert(&hs->chains[SIDE_SERVER], data, size);
	add_cert(&hs->chains[SIDE_SERVER], inter_der, inter_len);
	add_cert(&hs->chains[SIDE_CLIENT], data, size);
	hs->outcome = OUTCOME_ALERT;

	/* the server asked for a client certificate from the leaf's issuer */
	const unsigned char *p = data;
	X509 *x = d2i_X509(NULL, &p, (long)size);
	unsigned char *name = NULL;
	int n = x ? i2d_X509_NAME(X509_get_issuer_name(x), &name) : -1;
	if (n > 0)
		blob_list_add(&hs->ca_names, name, (size_t)n);
	OPENSSL_free(name);
	X509_free(x);
	ERR_clear_error();

	hs->alerts = calloc(2, sizeof(*hs->alerts));
	if (hs->alerts) {
		hs->alerts[0] = (struct alert_event){SIDE_CLIENT, 2, 48, hs->ts};
		hs->alerts[1] = (struct alert_event){SIDE_SERVER, 2, 42, hs->ts};
		hs->n_alerts = 2;
	}
	/* a fresh judge: no cache carries one input's certificates to the next */
	struct judge *j = judge_new(&cfg, &trust, FUZZ_NOW);
	if (j)
		fuzz_judge_render(j, hs, true);
	else if (!fuzz_failed())
		fuzz_fail("judge_new failed", NULL, 0);
	judge_free(j);
	handshake_free(hs);
	return 0;
}
