/* fuzz_handshake.c: the handshake-message parsers (dissect/hello.c) and
 * the reassembly of handshake messages across records (dissect/handshake.c).
 *
 * Input: a mode byte, then
 *   mode 0..5: one message body for one parser: 0 ClientHello,
 *     1 ServerHello, 2 Certificate (TLS 1.2), 3 Certificate (TLS 1.3),
 *     4 CertificateRequest (the next two bytes are the negotiated version),
 *     5 an SSL 2.0 CLIENT-HELLO record body;
 *   mode 6..255: records of one flow, each dir_and_type(1) length(2) body:
 *     bit 7 of the first byte is the direction, the rest the content type
 *     (20 ChangeCipherSpec, 21 alert, 22 handshake, ...).
 * The handshake built is then judged and rendered like any other.
 */
#include "failures.h"
#include "fuzz.h"

#include "judge/judge.h"
#include "dissect/hello.h"
#include "dissect/session.h"

#include <stdlib.h>
#include <string.h>

static struct config cfg;
static struct trust_spec trust_spec;
static struct trust_set trust;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	config_defaults(&cfg);
	cfg.max_handshake_msg = 65536;
	cfg.max_chain_certs = 8;
	trust_spec.path = (char *)CERTSCOPE_SAMPLES "/pki/root.pem";
	cfg.trust = &trust_spec;
	cfg.n_trust = 1;
	if (trust_set_load(&trust, &cfg, FUZZ_NOW, fuzz_devnull()) < 0)
		abort();
	return 0;
}

/* Judged by a fresh judge each input: no cache carries one input's
 * certificates to the next. */
static void judge_and_render(const struct handshake *hs)
{
	struct judge *j = judge_new(&cfg, &trust, FUZZ_NOW);
	if (j)
		fuzz_judge_render(j, hs, false);
	else if (!fuzz_failed())
		fuzz_fail("judge_new failed", NULL, 0);
	judge_free(j);
}

static void emit(void *ctx, const struct handshake *hs)
{
	(void)ctx;
	judge_and_render(hs);
}

static void one_parser(uint8_t mode, struct cursor body)
{
	struct handshake *hs = calloc(1, sizeof(*hs));
	bool hrr;
	uint16_t version;
	if (!hs) {
		if (!fuzz_failed())
			fuzz_fail("calloc failed", NULL, 0);
		return;
	}
	hs->client.family = hs->server.family = 4;
	hs->server.port = 443;
	hs->ts.tv_sec = FUZZ_NOW;
	hs->last_msg_side = hs->closed_by = hs->cert_flight_side = -1;
	switch (mode) {
	case 0:
		parse_client_hello(hs, body);
		break;
	case 1:
		parse_server_hello(hs, body, &hrr);
		break;
	case 2:
	case 3:
		parse_certificate(&hs->chains[SIDE_SERVER], body, mode == 3,
		                  cfg.max_chain_certs, NULL);
		break;
	case 4:
		if (!cur_get_u16(&body, &version))
			break;
		hs->version = version;
		parse_certificate_request(hs, body);
		break;
	default:
		parse_sslv2_client_hello(hs, body);
		break;
	}
	judge_and_render(hs);
	handshake_free(hs);
}

static void records(struct cursor in)
{
	struct dissector *d = dissector_new(&cfg, emit, NULL);
	if (!d) {
		if (!fuzz_failed())
			fuzz_fail("dissector_new failed", NULL, 0);
		return;
	}
	const struct stream_ops *ops = dissector_ops();
	struct flow_view fv;
	memset(&fv, 0, sizeof(fv));
	fv.ep[0] = (struct endpoint){4, {192, 0, 2, 10}, 51000};
	fv.ep[1] = (struct endpoint){4, {198, 51, 100, 20}, 7001};
	fv.first_ts = fv.last_ts = (struct timeval){FUZZ_NOW, 0};
	fv.syn[0] = fv.syn[1] = true;
	struct session *s = ops->open(d, &fv);
	if (!s) {
		if (!fuzz_failed())
			fuzz_fail("the session could not be opened", NULL, 0);
		dissector_free(d);
		return;
	}
	struct timeval ts = fv.first_ts;
	for (;;) {
		uint8_t b;
		struct cursor body;
		if (!cur_get_u8(&in, &b) || !cur_get_u16_prefixed(&in, &body))
			break;
		int dir = b >> 7;
		fv.packets[dir]++;
		ts.tv_usec++;
		session_record(s, dir, b & 0x7f, body, &ts);
		if (s->hs->done)
			break;
	}
	fv.last_ts = ts;
	ops->close(s, &fv, CLOSE_END);
	dissector_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor in = cur_make(data, size);
	uint8_t mode;
	if (!cur_get_u8(&in, &mode))
		return 0;
	if (mode <= 5)
		one_parser(mode, in);
	else
		records(in);
	return 0;
}
