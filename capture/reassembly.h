/* reassembly.h: TCP connections, each direction put back in order.
 *
 * The reassembler owns a table of flows.  For each flow it calls the
 * stream_ops of its consumer: open before the flow's first payload byte or
 * hole (or, for a flow that carried none, just before it closes), data for
 * each run of in-order bytes, gap where bytes were never captured, and close
 * once when the flow ends (FIN both ways, RST, idle, table full, end of
 * input).  It knows nothing of what the bytes mean.
 *
 * Overlap policy: the first copy of a byte wins.  Bytes already delivered
 * are never delivered again; a retransmission or a duplicated packet that
 * overlaps buffered out-of-order data only contributes the bytes that were
 * not yet buffered.  This is the policy of most end hosts and the one that
 * makes a packet captured twice harmless.
 */
#ifndef CERTSCOPE_REASSEMBLY_H
#define CERTSCOPE_REASSEMBLY_H

#include "../common/config.h"
#include "../common/endpoint.h"
#include "decode.h"

#include <stdint.h>
#include <sys/time.h>

enum close_reason {
	CLOSE_FIN,     /* both sides sent FIN */
	CLOSE_RST,     /* a side reset the connection */
	CLOSE_IDLE,    /* nothing seen for the idle timeout */
	CLOSE_END,     /* the input ended */
	CLOSE_EVICTED, /* the flow table was full and this flow was the oldest */
	CLOSE_REUSED,  /* a new SYN reused the four-tuple */
};

enum stream_verdict {
	STREAM_MORE, /* keep delivering payload */
	STREAM_DONE, /* the consumer needs no more bytes of this flow */
	/* nor its close: the consumer has freed its state, and hears nothing
	 * more of the flow (close is not called) */
	STREAM_FORGET,
};

/* What the consumer may read of a flow.  ep[0] is the side that sent the
 * SYN, or when no SYN was seen, the sender of the first packet. */
struct flow_view {
	struct endpoint ep[2];
	struct timeval first_ts, last_ts;
	uint64_t id; /* creation order, for deterministic output */
	bool syn[2]; /* a SYN came from this side */
	bool fin[2];
	bool rst[2];
	uint64_t packets[2];
	uint64_t payload_bytes[2];
	struct timeval fin_ts[2], rst_ts[2];
	/* frame numbers (tcp_segment.frame): the flow's first packet, and the
	 * segment whose bytes are being delivered now */
	uint64_t first_frame, frame;
};

struct stream_ops {
	void *(*open)(void *ctx, const struct flow_view *f);
	enum stream_verdict (*data)(void *app, int dir, const uint8_t *p, size_t n,
	                            const struct timeval *ts);
	void (*gap)(void *app, int dir, uint64_t bytes, const struct timeval *ts);
	/* The flow ends; the consumer frees app here (unless it was forgotten). */
	void (*close)(void *app, const struct flow_view *f, enum close_reason why);
};

struct reassembly_stats {
	uint64_t flows;         /* TCP flows seen */
	uint64_t flows_evicted; /* closed early because the table was full */
	uint64_t flows_idle;    /* closed after the idle timeout */
	uint64_t ooo_cap_hits;  /* out-of-order buffer full: a hole was skipped */
	uint64_t gaps;          /* holes skipped */
	uint64_t gap_bytes;     /* bytes never captured */
	uint64_t dup_bytes;     /* bytes seen again (retransmission, duplicate) */
	uint64_t truncated;     /* segments cut by the snaplen */
	size_t ooo_bytes;       /* buffered now */
	size_t ooo_peak;        /* most ever buffered at once */
	size_t flows_peak;      /* most flows tracked at once */
};

struct reassembly;

struct reassembly *reassembly_new(const struct config *cfg, const struct stream_ops *ops,
                                  void *ctx);
/* Closes every flow still open (CLOSE_END), in creation order. */
void reassembly_finish(struct reassembly *r);
/* reassembly_finish(), then frees. */
void reassembly_free(struct reassembly *r);
void reassembly_segment(struct reassembly *r, const struct tcp_segment *seg);
const struct reassembly_stats *reassembly_stats(const struct reassembly *r);

#endif
