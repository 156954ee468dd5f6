/* fuzz_flow.c: one TCP connection, both directions, through reassembly, the
 * TLS dissector, the judge and the writers, so the state kept across
 * segments (out-of-order buffers, holes, records and messages split
 * anywhere, the caps) is fuzzed.  Input: segments.h.  The caps are set low,
 * so hitting them is fuzzed too.
 */
#include "failures.h"
#include "fuzz.h"
#include "segments.h"

#include "dissect/dissect.h"
#include "judge/judge.h"

#include <stdlib.h>

static struct config cfg;
static struct trust_spec trust_spec;
static struct trust_set trust;

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
	trust_spec.path = (char *)CERTSCOPE_SAMPLES "/pki/root.pem";
	cfg.trust = &trust_spec;
	cfg.n_trust = 1;
	if (trust_set_load(&trust, &cfg, FUZZ_NOW, fuzz_devnull()) < 0)
		abort();
	return 0;
}

static void emit(void *ctx, const struct handshake *hs)
{
	fuzz_judge_render(ctx, hs, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct judge *j = judge_new(&cfg, &trust, FUZZ_NOW);
	struct dissector *d = j ? dissector_new(&cfg, emit, j) : NULL;
	struct reassembly *r = d ? reassembly_new(&cfg, dissector_ops(), d) : NULL;
	if (r)
		fuzz_segments(r, data, size);
	else if (!fuzz_failed())
		fuzz_fail("the pipeline could not be made", NULL, 0);
	reassembly_free(r);
	dissector_free(d);
	judge_free(j);
	return 0;
}
