/* fuzz_flow.c: one TCP connection, both directions, through reassembly and
 * the TLS dissector, so the state kept across segments (out-of-order
 * buffers, holes, records and messages split anywhere, the caps) is fuzzed.
 *
 * Input: one byte choosing the server's port, then segments, each
 *
 *   flags(1) seq_offset(2, signed) ack_offset(1, signed) length(2) payload
 *
 *   flags: 0x01 from the server (else from the client), 0x02 SYN, 0x04 ACK,
 *          0x08 FIN, 0x10 RST, 0x20 the snaplen cut 100 bytes off the end,
 *          0x40 400 seconds pass before it (past the idle timeout)
 *
 * Each direction has a natural position: where its next segment would start
 * if everything were sent once and in order (a SYN or FIN takes one).  A
 * segment starts at its direction's initial sequence number + natural
 * position + seq_offset, and acknowledges the other direction's natural
 * position + ack_offset.  Offsets of 0 make a clean stream; others make
 * holes, overlaps (with the bytes of this segment, which may differ from
 * the first copy) and retransmissions.  The client's sequence numbers cross
 * 2^32.  tests/fuzz/make-seeds.py writes the samples in this format.
 *
 * The caps are set low, so hitting them is fuzzed too.
 */
#include "fuzz.h"

#include "capture/reassembly.h"
#include "dissect/dissect.h"
#include "judge/judge.h"

#include <stdlib.h>
#include <string.h>

static struct config cfg;
static struct trust_spec trust_spec;
static struct trust_set trust;

static const uint16_t ports[8] = {443, 7001, 5061, 2445, 3804, 8443, 636, 40443};

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
	struct verdict v;
	judge_run(ctx, hs, &v);
	fuzz_render(hs, &v, false);
	verdict_fini(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor in = cur_make(data, size);
	uint8_t port;
	if (!cur_get_u8(&in, &port))
		return 0;
	struct judge *j = judge_new(&cfg, &trust, FUZZ_NOW);
	struct dissector *d = j ? dissector_new(&cfg, emit, j) : NULL;
	struct reassembly *r = d ? reassembly_new(&cfg, dissector_ops(), d) : NULL;
	if (!r)
		abort();

	struct endpoint ep[2] = {{4, {192, 0, 2, 10}, 51000}, {4, {198, 51, 100, 20}, 0}};
	ep[1].port = ports[port & 7];
	const uint32_t isn[2] = {0xffffff00u, 0x7fffff00u};
	uint32_t natural[2] = {0, 0};
	struct timeval ts = {1795460000, 0};

	for (;;) {
		uint8_t flags, ack_off;
		uint16_t seq_off, len;
		struct cursor payload;
		if (!cur_get_u8(&in, &flags) || !cur_get_u16(&in, &seq_off) ||
		    !cur_get_u8(&in, &ack_off) || !cur_get_u16(&in, &len))
			break;
		if (len > in.len)
			len = (uint16_t)in.len;
		cur_get_bytes(&in, len, &payload);
		int dir = flags & 1;
		struct tcp_segment seg;
		memset(&seg, 0, sizeof(seg));
		seg.src = ep[dir];
		seg.dst = ep[!dir];
		seg.flags = (uint8_t)(((flags & 0x02) ? TCP_SYN : 0) |
		                      ((flags & 0x04) ? TCP_ACK : 0) |
		                      ((flags & 0x08) ? TCP_FIN : 0) |
		                      ((flags & 0x10) ? TCP_RST : 0));
		seg.seq = isn[dir] + natural[dir] + (uint32_t)(int32_t)(int16_t)seq_off;
		seg.ack = isn[!dir] + natural[!dir] + (uint32_t)(int32_t)(int8_t)ack_off;
		seg.payload = payload;
		seg.wire_len = len + ((flags & 0x20) ? 100u : 0u);
		ts.tv_usec += 1000;
		if (ts.tv_usec >= 1000000) {
			ts.tv_sec++;
			ts.tv_usec -= 1000000;
		}
		if (flags & 0x40)
			ts.tv_sec += 400;
		seg.ts = ts;
		natural[dir] +=
		    seg.wire_len + ((flags & 0x02) ? 1 : 0) + ((flags & 0x08) ? 1 : 0);
		reassembly_segment(r, &seg);
	}
	reassembly_free(r);
	dissector_free(d);
	judge_free(j);
	return 0;
}
