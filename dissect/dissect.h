/* dissect.h: the TLS dissector as a consumer of reassembled TCP streams.
 *
 * dissector_new() returns the stream_ops the reassembler calls.  For every
 * flow that carried a TLS handshake message or alert, the dissector builds a
 * struct handshake of wire facts and passes it to emit() when the flow ends;
 * emit() borrows it (judging it is the caller's business), and the
 * dissector frees it afterwards.
 */
#ifndef CERTSCOPE_DISSECT_H
#define CERTSCOPE_DISSECT_H

#include "../capture/reassembly.h"
#include "../common/config.h"
#include "tls.h"

struct dissect_stats {
	uint64_t handshakes;
	uint64_t records;
	uint64_t malformed;       /* handshake messages or records that made no sense */
	uint64_t oversized;       /* handshake messages over the size cap */
	uint64_t buffer_cap_hits; /* flows not followed: all flows' buffers were full */
	size_t buffered;          /* bytes of record and message buffers now */
	uint64_t certs_dropped;   /* certificates past the per-chain cap */
	uint64_t resyncs;         /* times the record layer lost and found its place */
};

typedef void (*handshake_emit)(void *ctx, const struct handshake *hs);

struct dissector;

struct keylog; /* keylog.h */

struct dissector *dissector_new(const struct config *cfg, handshake_emit emit, void *ctx);
void dissector_free(struct dissector *d);
/* Secrets for TLS 1.3 handshakes (borrowed; may stay NULL). */
void dissector_set_keylog(struct dissector *d, const struct keylog *kl);
const struct stream_ops *dissector_ops(void);
struct dissect_stats *dissector_stats(struct dissector *d);

#endif
