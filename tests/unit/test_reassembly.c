/* test_reassembly.c: capture/reassembly.c driven with scripted segments and a
 * fake consumer that writes everything it is told into one event log:
 *
 *   O<id>:<ep0 port>><ep1 port>   open, ep[0] first
 *   D<id>.<dir>:<bytes>           data (adjacent data of one direction merged,
 *                                 so the log does not depend on chunking)
 *   G<id>.<dir>:<n>               gap of n bytes
 *   C<id>:<reason>                close
 *   |                             a mark the script put between two segments,
 *                                 to show what had happened by then
 */
#include "capture/reassembly.h"

#include "check.h"

#include <stdlib.h>

/* ---- the fake consumer --------------------------------------------------- */

#define MAX_APPS 16

struct app {
	struct ctx *ctx;
	uint64_t id;
	size_t delivered;
	bool closed;
	struct flow_view open_view, close_view;
	enum close_reason why;
};

struct ctx {
	char log[8192];
	size_t len;
	int last_kind; /* 'D' when the log ends with data */
	uint64_t last_id;
	int last_dir;
	size_t stop_after; /* STREAM_DONE once a flow delivered this much; 0 never */
	struct app apps[MAX_APPS];
	int napps;
	int late; /* callbacks after close */
};

static void logf_(struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void logf_(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	if (c->len >= sizeof(c->log) - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(c->log + c->len, sizeof(c->log) - c->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->len += (size_t)n;
	if (c->len >= sizeof(c->log))
		c->len = sizeof(c->log) - 1;
}

static void token(struct ctx *c)
{
	if (c->len)
		logf_(c, " ");
	c->last_kind = 0;
}

static void *fake_open(void *ctxp, const struct flow_view *f)
{
	struct ctx *c = ctxp;
	if (c->napps >= MAX_APPS)
		return NULL;
	struct app *a = &c->apps[c->napps++];
	a->ctx = c;
	a->id = f->id;
	a->open_view = *f;
	token(c);
	logf_(c, "O%llu:%u>%u", (unsigned long long)f->id, f->ep[0].port, f->ep[1].port);
	return a;
}

static enum stream_verdict fake_data(void *app, int dir, const uint8_t *p, size_t n,
                                     const struct timeval *ts)
{
	struct app *a = app;
	struct ctx *c = a->ctx;
	(void)ts;
	if (a->closed)
		c->late++;
	if (!(c->last_kind == 'D' && c->last_id == a->id && c->last_dir == dir)) {
		token(c);
		logf_(c, "D%llu.%d:", (unsigned long long)a->id, dir);
	}
	logf_(c, "%.*s", (int)n, (const char *)p);
	c->last_kind = 'D';
	c->last_id = a->id;
	c->last_dir = dir;
	a->delivered += n;
	return c->stop_after && a->delivered >= c->stop_after ? STREAM_DONE : STREAM_MORE;
}

static void fake_gap(void *app, int dir, uint64_t bytes, const struct timeval *ts)
{
	struct app *a = app;
	(void)ts;
	if (a->closed)
		a->ctx->late++;
	token(a->ctx);
	logf_(a->ctx, "G%llu.%d:%llu", (unsigned long long)a->id, dir,
	      (unsigned long long)bytes);
}

static const char *reason_name(enum close_reason why)
{
	switch (why) {
	case CLOSE_FIN:
		return "fin";
	case CLOSE_RST:
		return "rst";
	case CLOSE_IDLE:
		return "idle";
	case CLOSE_END:
		return "end";
	case CLOSE_EVICTED:
		return "evicted";
	case CLOSE_REUSED:
		return "reused";
	}
	return "?";
}

static void fake_close(void *app, const struct flow_view *f, enum close_reason why)
{
	struct app *a = app;
	if (a->closed)
		a->ctx->late++;
	a->closed = true;
	a->close_view = *f;
	a->why = why;
	token(a->ctx);
	logf_(a->ctx, "C%llu:%s", (unsigned long long)a->id, reason_name(why));
}

static const struct stream_ops fake_ops = {
    .open = fake_open,
    .data = fake_data,
    .gap = fake_gap,
    .close = fake_close,
};

/* ---- scripted segments ---------------------------------------------------- */

#define S  TCP_SYN
#define A  TCP_ACK
#define F  TCP_FIN
#define R  TCP_RST
#define SA (TCP_SYN | TCP_ACK)
#define PA (TCP_PSH | TCP_ACK)
#define FA (TCP_FIN | TCP_ACK)

#define CLIENT_PORT 40000
#define SERVER_PORT 443

struct step {
	uint16_t cport; /* client port; 0 for CLIENT_PORT */
	int from;       /* 0 client to server, 1 server to client, 2 a mark */
	uint8_t flags;
	uint32_t seq, ack;
	const char *data; /* captured payload, or NULL */
	uint32_t wire;    /* payload length on the wire; 0 for strlen(data) */
	int t;            /* seconds of capture time */
};

/* the three-way handshake: client ISN 1000, server ISN 5000 */
#define SYN3                                                                             \
	{0, 0, S, 1000, 0, NULL, 0, 0}, {0, 1, SA, 5000, 1001, NULL, 0, 0},              \
	{                                                                                \
		0, 0, A, 1001, 5001, NULL, 0, 0                                          \
	}

/* a mark in the log */
#define MARK                                                                             \
	{                                                                                \
		0, 2, 0, 0, 0, NULL, 0, 0                                                \
	}

/* client data at seq, acking the server's ISN + 1 */
#define CD(seq, s)                                                                       \
	{                                                                                \
		0, 0, PA, seq, 5001, s, 0, 0                                             \
	}

struct want {
	uint64_t flows, gaps, gap_bytes, dup_bytes, ooo_cap_hits, flows_evicted,
	    flows_idle, truncated;
	size_t ooo_peak;
	bool any_dup; /* dup_bytes not checked */
};

struct rcase {
	const char *name;
	size_t max_flows; /* 0 for the default */
	size_t max_ooo;   /* per direction; 0 for the default */
	uint32_t idle;    /* 0 for the default */
	size_t stop_after;
	struct step steps[24]; /* ends at a step with no flags, no data, no mark */
	const char *log;
	struct want st;
	bool (*extra)(const struct ctx *c);
};

static const uint8_t CLIENT_ADDR[4] = {10, 0, 0, 1}, SERVER_ADDR[4] = {10, 0, 0, 2};

static void make_segment(const struct step *s, struct tcp_segment *seg)
{
	struct endpoint cl = {.family = 4, .port = s->cport ? s->cport : CLIENT_PORT};
	struct endpoint sv = {.family = 4, .port = SERVER_PORT};
	memcpy(cl.addr, CLIENT_ADDR, 4);
	memcpy(sv.addr, SERVER_ADDR, 4);
	memset(seg, 0, sizeof(*seg));
	seg->src = s->from ? sv : cl;
	seg->dst = s->from ? cl : sv;
	seg->seq = s->seq;
	seg->ack = s->ack;
	seg->flags = s->flags;
	size_t n = s->data ? strlen(s->data) : 0;
	seg->payload = cur_make((const uint8_t *)s->data, n);
	seg->wire_len = s->wire ? s->wire : (uint32_t)n;
	seg->ts.tv_sec = s->t;
}

/* ---- extra checks on what the consumer saw -------------------------------- */

/* the in-order flow: both FINs and the byte counts are in the view */
static bool extra_in_order(const struct ctx *c)
{
	const struct flow_view *v = &c->apps[0].close_view;
	CHECK(v->syn[0] && v->syn[1]);
	CHECK(v->fin[0] && v->fin[1]);
	CHECK(!v->rst[0] && !v->rst[1]);
	CHECK_EQ(v->payload_bytes[0], 7);
	CHECK_EQ(v->payload_bytes[1], 5);
	CHECK_EQ(v->packets[0], 5);
	CHECK_EQ(v->packets[1], 3);
	return true;
}

/* with the SYN-ACK first, ep[0] is still the client (the SYN's sender) */
static bool extra_synack_first(const struct ctx *c)
{
	const struct flow_view *o = &c->apps[0].open_view, *v = &c->apps[0].close_view;
	CHECK_MEM(o->ep[0].addr, 4, CLIENT_ADDR, 4);
	CHECK_EQ(o->ep[0].port, CLIENT_PORT);
	CHECK_MEM(o->ep[1].addr, 4, SERVER_ADDR, 4);
	CHECK(v->syn[0] && v->syn[1]);
	CHECK_EQ(v->packets[0], 3);
	CHECK_EQ(v->packets[1], 2);
	return true;
}

/* no SYN at all: ep[0] is the sender of the first packet, here the server */
static bool extra_no_syn(const struct ctx *c)
{
	const struct flow_view *v = &c->apps[0].close_view;
	CHECK(!v->syn[0] && !v->syn[1]);
	CHECK_MEM(v->ep[0].addr, 4, SERVER_ADDR, 4);
	CHECK_EQ(v->ep[0].port, SERVER_PORT);
	/* the lone ACK before the flow counts nowhere */
	CHECK_EQ(v->packets[0], 3);
	CHECK_EQ(v->packets[1], 1);
	return true;
}

/* the RST is recorded on the side that sent it */
static bool extra_rst(const struct ctx *c)
{
	const struct flow_view *v = &c->apps[0].close_view;
	CHECK(!v->rst[0] && v->rst[1]);
	return true;
}

/* ids are creation order */
static bool extra_ids(const struct ctx *c)
{
	for (int i = 0; i < c->napps; i++)
		CHECK_EQ(c->apps[i].id, (uint64_t)i);
	return true;
}

/* ---- the table ------------------------------------------------------------ */

static const struct rcase cases[] = {
    /* handshake, data both ways in order, FIN both ways: delivered as sent,
     * closed once with CLOSE_FIN */
    {"in_order",
     .steps = {SYN3,
               CD(1001, "hello"),
               {0, 1, PA, 5001, 1006, "world", 0, 0},
               CD(1006, "!!"),
               {0, 0, FA, 1008, 5006, NULL, 0, 0},
               {0, 1, FA, 5006, 1009, NULL, 0, 0}},
     .log = "O0:40000>443 D0.0:hello D0.1:world D0.0:!! C0:fin", .st = {.flows = 1},
     .extra = extra_in_order},

    /* three segments arriving in reverse order are buffered and delivered
     * in sequence once the first arrives */
    {"out_of_order",
     .steps = {SYN3, CD(1011, "ccc"), CD(1006, "bbbbb"), CD(1001, "aaaaa")},
     .log = "O0:40000>443 D0.0:aaaaabbbbbccc C0:end", .st = {.flows = 1, .ooo_peak = 8}},

    /* a retransmission of delivered bytes is dropped; one that carries
     * delivered bytes and one new byte delivers only the new byte */
    {"retransmission",
     .steps = {SYN3, CD(1001, "hello"), CD(1006, "world"), CD(1004, "lowor"),
               CD(1004, "loworld!")},
     .log = "O0:40000>443 D0.0:helloworld! C0:end", .st = {.flows = 1, .dup_bytes = 12}},

    /* overlap among buffered pieces, first copy wins: "yyyyyZZ" overlaps
     * the buffered "XXXXX" by two bytes; those two must not replace the X's,
     * only the five new bytes "yyyZZ" are kept */
    {"overlap_buffered_first_wins",
     .steps = {SYN3, CD(1006, "XXXXX"), CD(1009, "yyyyyZZ"), CD(1001, "abcde")},
     .log = "O0:40000>443 D0.0:abcdeXXXXXyyyZZ C0:end",
     .st = {.flows = 1, .dup_bytes = 2, .ooo_peak = 10}},

    /* a later segment spanning a buffered piece on both sides, first copy
     * wins: only the bytes before and after "XXXXX" are taken from it */
    {"overlap_spanning_first_wins",
     .steps = {SYN3, CD(1006, "XXXXX"), CD(1004, "123456789012"), CD(1001, "abc")},
     .log = "O0:40000>443 D0.0:abc12XXXXX89012 C0:end",
     .st = {.flows = 1, .dup_bytes = 5, .ooo_peak = 12}},

    /* an in-order segment overlapping a buffered piece with different
     * bytes, first copy wins: "XXXXX" was captured first for 1006..1010, so
     * the later "fghij" for the same bytes must not change the output */
    {"overlap_inorder_over_buffered",
     .steps = {SYN3, CD(1006, "XXXXX"), CD(1001, "abcdefghij")},
     .log = "O0:40000>443 D0.0:abcdeXXXXX C0:end",
     .st = {.flows = 1, .dup_bytes = 5, .ooo_peak = 5}},

    /* the same through a retransmission that starts in delivered bytes:
     * "abc" delivered, "XXXXX" buffered at 1006, then "abcdefghij" at 1001;
     * first copy wins, so only "de" is new */
    {"overlap_retransmit_over_buffered",
     .steps = {SYN3, CD(1001, "abc"), CD(1006, "XXXXX"), CD(1001, "abcdefghij")},
     .log = "O0:40000>443 D0.0:abcdeXXXXX C0:end",
     .st = {.flows = 1, .dup_bytes = 8, .ooo_peak = 5}},

    /* every packet captured twice (an in-order one and an out-of-order
     * one): each byte delivered once */
    {"duplicate_packet",
     .steps = {SYN3, CD(1001, "hello"), CD(1001, "hello"), CD(1011, "world"),
               CD(1011, "world"), CD(1006, "12345")},
     .log = "O0:40000>443 D0.0:hello12345world C0:end",
     .st = {.flows = 1, .dup_bytes = 10, .ooo_peak = 5}},

    /* ISN 0xfffffff8: the data wraps through zero, with an out-of-order
     * piece just past the wrap */
    {"seq_wraparound",
     .steps = {{0, 0, S, 0xfffffff8u, 0, NULL, 0, 0},
               {0, 1, SA, 0x7ffffff0u, 0xfffffff9u, NULL, 0, 0},
               {0, 0, A, 0xfffffff9u, 0x7ffffff1u, NULL, 0, 0},
               {0, 0, PA, 0x00000003u, 0x7ffffff1u, "klmno", 0, 0},
               {0, 0, PA, 0xfffffff9u, 0x7ffffff1u, "abcdefghij", 0, 0},
               {0, 0, PA, 0x00000008u, 0x7ffffff1u, "pq", 0, 0},
               {0, 1, PA, 0x7ffffff1u, 0x0000000au, "srv", 0, 0}},
     .log = "O0:40000>443 D0.0:abcdefghijklmnopq D0.1:srv C0:end",
     .st = {.flows = 1, .ooo_peak = 5}},

    /* no SYN captured: a lone ACK opens nothing, the first packet with
     * payload (from the server) starts the flow and its sender is ep[0];
     * bytes from before that start are old */
    {"no_syn_midstream",
     .steps = {{0, 0, A, 2000, 7000, NULL, 0, 0},
               {0, 1, PA, 7000, 2000, "late", 0, 0},
               {0, 0, PA, 2000, 7004, "req", 0, 0},
               {0, 1, PA, 6990, 2003, "0123456789", 0, 0},
               {0, 1, PA, 7004, 2003, "er", 0, 0}},
     .log = "O0:443>40000 D0.0:late D0.1:req D0.0:er C0:end",
     .st = {.flows = 1, .dup_bytes = 10}, .extra = extra_no_syn},

    /* the server ACKs past a hole the capture never saw: the hole is
     * reported as a gap at that ACK (before the mark) and delivery
     * continues after it */
    {"ack_proves_hole",
     .steps = {SYN3,
               CD(1001, "hello"),
               CD(1011, "world"),
               {0, 1, A, 5001, 1016, NULL, 0, 0},
               MARK,
               CD(1016, "!")},
     .log = "O0:40000>443 D0.0:hello G0.0:5 D0.0:world | D0.0:! C0:end",
     .st = {.flows = 1, .gaps = 1, .gap_bytes = 5, .ooo_peak = 5}},

    /* the ACK past the hole comes before the data after it */
    {"ack_before_data_proves_hole",
     .steps =
         {SYN3, CD(1001, "hello"), {0, 1, A, 5001, 1016, NULL, 0, 0}, CD(1011, "world")},
     .log = "O0:40000>443 D0.0:hello G0.0:5 D0.0:world C0:end",
     .st = {.flows = 1, .gaps = 1, .gap_bytes = 5}},

    /* an ACK that stops short of the hole proves nothing: the hole waits
     * and is filled by the late segment */
    {"ack_short_of_hole_waits",
     .steps = {SYN3,
               CD(1001, "hello"),
               CD(1011, "world"),
               {0, 1, A, 5001, 1006, NULL, 0, 0},
               MARK,
               CD(1006, "12345")},
     .log = "O0:40000>443 D0.0:hello | D0.0:12345world C0:end",
     .st = {.flows = 1, .ooo_peak = 5}},

    /* a hole still open when both FINs are seen is given up at close (not
     * before the mark): gap, then the buffered bytes, then the close */
    {"hole_given_up_at_fin",
     .steps = {SYN3,
               CD(1001, "hello"),
               CD(1011, "world"),
               MARK,
               {0, 0, F, 1016, 0, NULL, 0, 0},
               {0, 1, F, 5001, 0, NULL, 0, 0}},
     .log = "O0:40000>443 D0.0:hello | G0.0:5 D0.0:world C0:fin",
     .st = {.flows = 1, .gaps = 1, .gap_bytes = 5, .ooo_peak = 5}},

    /* the same at a RST from the server */
    {"hole_given_up_at_rst",
     .steps = {SYN3,
               CD(1001, "hello"),
               CD(1011, "world"),
               MARK,
               {0, 1, R, 5001, 0, NULL, 0, 0}},
     .log = "O0:40000>443 D0.0:hello | G0.0:5 D0.0:world C0:rst",
     .st = {.flows = 1, .gaps = 1, .gap_bytes = 5, .ooo_peak = 5}, .extra = extra_rst},

    /* the same at the end of the input */
    {"hole_given_up_at_end", .steps = {SYN3, CD(1001, "hello"), CD(1011, "world"), MARK},
     .log = "O0:40000>443 D0.0:hello | G0.0:5 D0.0:world C0:end",
     .st = {.flows = 1, .gaps = 1, .gap_bytes = 5, .ooo_peak = 5}},

    /* out-of-order cap of 8 bytes: the third piece does not fit, so the
     * oldest hole is given up right then (counted, reported as a gap); the
     * buffer never holds more than 8 bytes */
    {"ooo_cap_hit", .max_ooo = 8,
     .steps = {SYN3, CD(1001, "ab"), CD(1005, "cdef"), CD(1011, "ghij"), MARK,
               CD(1017, "klmn"), MARK},
     .log = "O0:40000>443 D0.0:ab | G0.0:2 D0.0:cdef | G0.0:2 D0.0:ghij G0.0:2 D0.0:klmn "
            "C0:end",
     .st = {.flows = 1, .gaps = 3, .gap_bytes = 6, .ooo_cap_hits = 1, .ooo_peak = 8}},

    /* a single out-of-order segment larger than the cap is never buffered:
     * the hole before it is given up and it is delivered */
    {"ooo_cap_big_segment", .max_ooo = 8,
     .steps = {SYN3, CD(1001, "ab"), CD(1005, "0123456789")},
     .log = "O0:40000>443 D0.0:ab G0.0:2 D0.0:0123456789 C0:end",
     .st = {.flows = 1, .gaps = 1, .gap_bytes = 2, .ooo_cap_hits = 1}},

    /* the consumer returns STREAM_DONE after 5 bytes: nothing more of
     * either direction is delivered or buffered, no gap is reported, and
     * the flow still closes once */
    {"consumer_done_stops", .stop_after = 5,
     .steps = {SYN3,
               CD(1001, "hello"),
               {0, 1, PA, 5001, 1006, "world", 0, 0},
               CD(1006, "again"),
               CD(1020, "later"),
               {0, 0, FA, 1011, 5006, NULL, 0, 0},
               {0, 1, FA, 5006, 1012, NULL, 0, 0}},
     .log = "O0:40000>443 D0.0:hello C0:fin", .st = {.flows = 1}},

    /* idle timeout 10 s: a flow quiet for exactly 10 s stays, one quiet
     * for 11 s is closed with CLOSE_IDLE */
    {"idle_expiry", .idle = 10,
     .steps = {{40000, 0, PA, 1, 0, "a", 0, 0},
               {40001, 0, PA, 1, 0, "b", 0, 10},
               {40001, 0, PA, 2, 0, "c", 0, 11}},
     .log = "O0:40000>443 D0.0:a O1:40001>443 D1.0:bc C0:idle C1:end",
     .st = {.flows = 2, .flows_idle = 1}},

    /* activity restarts the idle clock: last seen at 8 s, still open at
     * 15 s, closed at 19 s */
    {"idle_clock_restarts", .idle = 10,
     .steps = {{40000, 0, PA, 1, 0, "a", 0, 0},
               {40000, 0, PA, 2, 0, "a", 0, 8},
               {40001, 0, PA, 1, 0, "b", 0, 15},
               {40001, 0, PA, 2, 0, "b", 0, 19}},
     .log = "O0:40000>443 D0.0:aa O1:40001>443 D1.0:bb C0:idle C1:end",
     .st = {.flows = 2, .flows_idle = 1}},

    /* a table of two flows: the third evicts the oldest, before it opens */
    {"max_flows_evicts_oldest", .max_flows = 2,
     .steps = {{40000, 0, PA, 1, 0, "a", 0, 0},
               {40001, 0, PA, 1, 0, "b", 0, 1},
               {40002, 0, PA, 1, 0, "c", 0, 2}},
     .log = "O0:40000>443 D0.0:a O1:40001>443 D1.0:b C0:evicted O2:40002>443 D2.0:c "
            "C1:end C2:end",
     .st = {.flows = 3, .flows_evicted = 1}, .extra = extra_ids},

    /* "oldest" is the least recently active: flow 0 was active after flow
     * 1, so flow 1 goes */
    {"max_flows_evicts_least_recent", .max_flows = 2,
     .steps = {{40000, 0, PA, 1, 0, "a", 0, 0},
               {40001, 0, PA, 1, 0, "b", 0, 1},
               {40000, 0, PA, 2, 0, "a", 0, 2},
               {40002, 0, PA, 1, 0, "c", 0, 3}},
     .log = "O0:40000>443 D0.0:a O1:40001>443 D1.0:b D0.0:a C1:evicted O2:40002>443 "
            "D2.0:c C0:end C2:end",
     .st = {.flows = 3, .flows_evicted = 1}},

    /* the SYN-ACK is captured before the SYN: ep[0] is still the SYN's
     * sender (the SYN-ACK's destination), as reassembly.h documents */
    {"synack_before_syn",
     .steps = {{0, 1, SA, 5000, 1001, NULL, 0, 0},
               {0, 0, S, 1000, 0, NULL, 0, 0},
               {0, 0, A, 1001, 5001, NULL, 0, 0},
               CD(1001, "hi"),
               {0, 1, PA, 5001, 1003, "yo", 0, 0}},
     .log = "O0:40000>443 D0.0:hi D0.1:yo C0:end", .st = {.flows = 1},
     .extra = extra_synack_first},

    /* a retransmitted SYN (same ISN) is the same connection */
    {"syn_retransmit", .steps = {{0, 0, S, 1000, 0, NULL, 0, 0}, SYN3, CD(1001, "x")},
     .log = "O0:40000>443 D0.0:x C0:end", .st = {.flows = 1}},

    /* port reuse after a finished connection: a new SYN with another ISN
     * opens a new flow whose bytes start at its own ISN */
    {"port_reuse_after_fin",
     .steps = {SYN3,
               CD(1001, "old"),
               {0, 0, FA, 1004, 5001, NULL, 0, 0},
               {0, 1, FA, 5001, 1005, NULL, 0, 0},
               {0, 0, S, 90000, 0, NULL, 0, 5},
               {0, 1, SA, 60000, 90001, NULL, 0, 5},
               {0, 0, A, 90001, 60001, NULL, 0, 5},
               {0, 0, PA, 90001, 60001, "new", 0, 5}},
     .log = "O0:40000>443 D0.0:old C0:fin O1:40000>443 D1.0:new C1:end",
     .st = {.flows = 2}, .extra = extra_ids},

    /* port reuse when the old connection's end was only half seen: the new
     * SYN closes the old flow (CLOSE_REUSED) and opens a new one */
    {"port_reuse_unfinished",
     .steps = {SYN3,
               CD(1001, "old"),
               {0, 0, FA, 1004, 5001, NULL, 0, 0},
               {0, 0, S, 90000, 0, NULL, 0, 5},
               {0, 1, SA, 60000, 90001, NULL, 0, 5},
               {0, 0, PA, 90001, 60001, "new", 0, 5}},
     .log = "O0:40000>443 D0.0:old C0:reused O1:40000>443 D1.0:new C1:end",
     .st = {.flows = 2}, .extra = extra_ids},

    /* a segment the snaplen cut (5 of 10 bytes captured): the captured
     * bytes are delivered, the rest is a gap, and the stream goes on */
    {"snaplen_cut_segment",
     .steps = {SYN3, {0, 0, PA, 1001, 5001, "hello", 10, 0}, CD(1011, "world")},
     .log = "O0:40000>443 D0.0:hello G0.0:5 D0.0:world C0:end",
     .st = {.flows = 1, .gaps = 1, .gap_bytes = 5, .truncated = 1}},

    /* a snaplen-cut segment whose missing tail (1006..1010) was already
     * captured out of order: first copy wins, so the buffered "XXXXX" is
     * delivered and nothing is reported as never captured (whether the
     * uncaptured tail counts as duplicate bytes is left open) */
    {"snaplen_cut_tail_already_buffered",
     .steps = {SYN3, CD(1006, "XXXXX"), {0, 0, PA, 1001, 5001, "hello", 10, 0}},
     .log = "O0:40000>443 D0.0:helloXXXXX C0:end",
     .st = {.flows = 1, .any_dup = true, .truncated = 1, .ooo_peak = 5}},
};

static bool verify(const struct rcase *t, const struct ctx *c,
                   const struct reassembly_stats *st, const struct config *cfg)
{
	CHECK_STR(c->log, t->log);
	CHECK_EQ(c->late, 0);
	for (int i = 0; i < c->napps; i++)
		CHECK(c->apps[i].closed);
	CHECK_EQ(st->flows, t->st.flows);
	CHECK_EQ(st->gaps, t->st.gaps);
	CHECK_EQ(st->gap_bytes, t->st.gap_bytes);
	if (!t->st.any_dup)
		CHECK_EQ(st->dup_bytes, t->st.dup_bytes);
	CHECK_EQ(st->ooo_cap_hits, t->st.ooo_cap_hits);
	CHECK_EQ(st->flows_evicted, t->st.flows_evicted);
	CHECK_EQ(st->flows_idle, t->st.flows_idle);
	CHECK_EQ(st->truncated, t->st.truncated);
	CHECK_EQ(st->ooo_peak, t->st.ooo_peak);
	CHECK(st->ooo_peak <= cfg->max_ooo_per_dir);
	/* every buffered byte was let go */
	CHECK_EQ(st->ooo_bytes, 0);
	return !t->extra || t->extra(c);
}

static bool run(const struct rcase *t)
{
	struct config cfg;
	struct ctx *c = calloc(1, sizeof(*c));
	struct reassembly *r = NULL;
	struct reassembly_stats st;
	bool ok = false;
	config_defaults(&cfg);
	if (t->max_flows)
		cfg.max_flows = t->max_flows;
	if (t->max_ooo)
		cfg.max_ooo_per_dir = t->max_ooo;
	if (t->idle)
		cfg.idle_timeout = t->idle;
	if (!c || !(r = reassembly_new(&cfg, &fake_ops, c))) {
		check_failf(__LINE__, "out of memory");
		goto out;
	}
	c->stop_after = t->stop_after;
	for (const struct step *s = t->steps; s->flags || s->data || s->from == 2; s++) {
		struct tcp_segment seg;
		if (s->from == 2) {
			token(c);
			logf_(c, "|");
			continue;
		}
		make_segment(s, &seg);
		reassembly_segment(r, &seg);
	}
	reassembly_finish(r);
	st = *reassembly_stats(r);
	reassembly_free(r);
	ok = verify(t, c, &st, &cfg);
out:
	free(c);
	return ok;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(cases[i].name, run(&cases[i]));
	return check_summary();
}
