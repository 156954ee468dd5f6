/* fuzz_dissect.c: dissect/ alone, linked without judge/ or ui/ (so without
 * OpenSSL's X.509): one TCP connection (segments.h) through reassembly and
 * the TLS dissector, and the struct handshake it emits held to what
 * dissect/tls.h promises of wire facts:
 *
 * - directions mapped to sides: every alert, anomaly and "last word" names
 *   SIDE_CLIENT or SIDE_SERVER (or -1 where tls.h allows it);
 * - caps held: certificates per chain, alerts, anomalies, a certificate no
 *   larger than a handshake message;
 * - text escaped: SNI, ALPN and offered versions are printable ASCII;
 * - the outcome is one of enum outcome, and "completed" only with the
 *   handshake done (TLS 1.2: both ChangeCipherSpec; 1.3: both Finished).
 *
 * A violation aborts, short of memory or not (failures.h).  The seeds are
 * the flow target's (corpus/flow).
 */
#include "failures.h"
#include "segments.h"

#include "dissect/dissect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	config_defaults(&cfg);
	cfg.max_flows = 4;
	cfg.max_ooo_per_dir = 8192;
	cfg.max_ooo_total = 12288;
	cfg.max_handshake_msg = 65536;
	cfg.max_chain_certs = 4;
	return 0;
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_dissect: %s\n", what);
	abort();
}

static bool side_or_none(int side)
{
	return side == -1 || side == SIDE_CLIENT || side == SIDE_SERVER;
}

static void printable(const char *s)
{
	for (; s && *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			fail("wire text is not escaped");
}

static void printable_list(const struct string_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		printable(l->v[i]);
}

/* What the allocation-failure sweep compares (failures.h): a few wire
 * facts, and each certificate as it was sent. */
static void written(const struct handshake *hs)
{
	uint32_t facts[6] = {hs->outcome,
	                     hs->version,
	                     hs->cipher,
	                     (uint32_t)hs->n_alerts,
	                     (uint32_t)hs->chains[0].n,
	                     (uint32_t)hs->chains[1].n};
	fuzz_written(facts, sizeof(facts), false);
	if (hs->sni)
		fuzz_written(hs->sni, strlen(hs->sni) + 1, false);
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < hs->chains[side].n; i++) {
			const struct wire_cert *c = &hs->chains[side].certs[i];
			fuzz_written(c->der, c->len, false);
			fuzz_written_cert(FUZZ_CERT_DER, c->der, c->len);
		}
}

static void emit(void *ctx, const struct handshake *hs)
{
	(void)ctx;
	for (int side = 0; side < 2; side++) {
		const struct wire_chain *ch = &hs->chains[side];
		if (ch->n > cfg.max_chain_certs)
			fail("more certificates kept than the cap");
		for (size_t i = 0; i < ch->n; i++)
			if (ch->certs[i].len > cfg.max_handshake_msg)
				fail("a certificate larger than its message");
	}
	if (hs->n_alerts > 64)
		fail("more alerts kept than the cap");
	for (size_t i = 0; i < hs->n_alerts; i++)
		if (hs->alerts[i].from != SIDE_CLIENT &&
		    hs->alerts[i].from != SIDE_SERVER)
			fail("an alert not mapped to a side");
	if (hs->n_anomalies > HANDSHAKE_MAX_ANOMALIES)
		fail("more anomalies kept than the cap");
	for (size_t i = 0; i < hs->n_anomalies; i++)
		if (hs->anomalies[i].side != SIDE_CLIENT &&
		    hs->anomalies[i].side != SIDE_SERVER)
			fail("an anomaly not mapped to a side");
	if (!side_or_none(hs->closed_by) || !side_or_none(hs->last_msg_side) ||
	    !side_or_none(hs->cert_flight_side))
		fail("a side out of range");
	printable(hs->sni);
	printable_list(&hs->alpn);
	printable_list(&hs->offered_versions);
	if (hs->outcome > OUTCOME_ENCRYPTED)
		fail("an outcome out of range");
	/* TLS 1.2 read on past its handshake (a key log, a NULL cipher) is
	 * after_handshake rather than done */
	if (hs->outcome == OUTCOME_COMPLETED &&
	    (hs->tls13 ? !(hs->finished[0] && hs->finished[1])
	               : !(hs->done || hs->after_handshake)))
		fail("completed without the handshake done");
	written(hs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dissector *d = dissector_new(&cfg, emit, NULL);
	struct reassembly *r = d ? reassembly_new(&cfg, dissector_ops(), d) : NULL;
	if (r)
		fuzz_segments(r, data, size);
	else if (!fuzz_failed())
		fail("the pipeline could not be made");
	reassembly_free(r);
	dissector_free(d);
	return 0;
}
