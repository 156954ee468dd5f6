/* reassembly.c: TCP stream reassembly (RFC 9293 sequence space, with
 * serial-number arithmetic so sequence numbers may wrap).
 *
 * Each direction keeps the next sequence number it expects and a sorted list
 * of out-of-order pieces that never overlap one another.  A hole is given up
 * on (reported as a gap, and delivery goes on after it) when the peer has
 * acknowledged bytes past it, so the capture missed them; when the
 * out-of-order buffer reaches its cap; or when the flow ends.
 */
#include "reassembly.h"

#include "../common/slab.h"

#include <stdlib.h>
#include <string.h>

/* A segment starting further ahead than this is not the same byte stream
 * (port reuse, garbage); the stream is resynchronised on it. */
#define MAX_AHEAD (64u << 20)

struct piece {
	struct piece *next;
	uint32_t seq;
	uint32_t len;
	uint8_t data[];
};

struct half {
	bool seq_known;
	uint32_t next_seq;
	bool acked_known; /* the peer acknowledged up to acked */
	uint32_t acked;
	struct piece *ooo;
	size_t ooo_bytes;
};

struct flow {
	struct flow_view v;
	struct half h[2];
	bool stopped;   /* the consumer wants no more payload */
	bool forgotten; /* nor the close: app is gone */
	bool opened;    /* the consumer's open() was called */
	void *app;
	struct flow *hnext;               /* hash chain */
	struct flow *lru_prev, *lru_next; /* least recently active first */
};

struct reassembly {
	const struct config *cfg;
	const struct stream_ops *ops;
	void *ctx;
	struct flow **buckets;
	size_t nbuckets, max_buckets;
	struct slab flows_slab; /* the struct flow of every open flow */
	size_t nflows;
	struct flow *lru_head, *lru_tail;
	struct timeval now;
	uint64_t next_id;
	struct reassembly_stats st;
};

static int32_t seq_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* The address and port in two words, mixed: one multiply chain a packet
 * instead of a loop a byte. */
static uint64_t hash_ep(const struct endpoint *e)
{
	if (e->family == 4) {
		uint32_t a;
		memcpy(&a, e->addr, 4);
		return mix64((uint64_t)a << 16 | e->port);
	}
	uint64_t w0, w1;
	memcpy(&w0, e->addr, 8);
	memcpy(&w1, e->addr + 8, 8);
	return mix64(w0 ^ mix64(w1 ^ ((uint64_t)e->port << 48 | 6)));
}

/* The same for both directions of a connection. */
static size_t bucket_of(const struct reassembly *r, const struct endpoint *a,
                        const struct endpoint *b)
{
	uint64_t h = hash_ep(a) ^ hash_ep(b);
	h ^= h >> 29;
	return (size_t)(h & (r->nbuckets - 1));
}

struct reassembly *reassembly_new(const struct config *cfg, const struct stream_ops *ops,
                                  void *ctx)
{
	struct reassembly *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->cfg = cfg;
	r->ops = ops;
	slab_init(&r->flows_slab, sizeof(struct flow));
	r->ctx = ctx;
	/* the table grows with the flows (grow_buckets()), up to one bucket a
	 * flow of the cap */
	r->nbuckets = 1024;
	r->max_buckets = 1024;
	while (r->max_buckets < cfg->max_flows && r->max_buckets < (1u << 22))
		r->max_buckets <<= 1;
	r->buckets = calloc(r->nbuckets, sizeof(*r->buckets));
	if (!r->buckets) {
		free(r);
		return NULL;
	}
	return r;
}

const struct reassembly_stats *reassembly_stats(const struct reassembly *r)
{
	return &r->st;
}

static void lru_unlink(struct reassembly *r, struct flow *f)
{
	if (f->lru_prev)
		f->lru_prev->lru_next = f->lru_next;
	else
		r->lru_head = f->lru_next;
	if (f->lru_next)
		f->lru_next->lru_prev = f->lru_prev;
	else
		r->lru_tail = f->lru_prev;
	f->lru_prev = f->lru_next = NULL;
}

static void lru_append(struct reassembly *r, struct flow *f)
{
	f->lru_prev = r->lru_tail;
	f->lru_next = NULL;
	if (r->lru_tail)
		r->lru_tail->lru_next = f;
	else
		r->lru_head = f;
	r->lru_tail = f;
}

static void free_pieces(struct reassembly *r, struct half *h)
{
	struct piece *p = h->ooo;
	while (p) {
		struct piece *next = p->next;
		free(p);
		p = next;
	}
	r->st.ooo_bytes -= h->ooo_bytes;
	h->ooo = NULL;
	h->ooo_bytes = 0;
}

/* The consumer hears of a flow at its first payload byte or hole, or when
 * it closes: a SYN flood of flows that never carry a byte costs the table
 * entries only. */
static void *app_of(struct reassembly *r, struct flow *f)
{
	if (!f->opened) {
		f->opened = true;
		f->app = r->ops->open(r->ctx, &f->v);
	}
	return f->app;
}

/* Hand in-order bytes to the consumer and move the expected number on. */
static void deliver(struct reassembly *r, struct flow *f, int dir, const uint8_t *p,
                    size_t n)
{
	f->h[dir].next_seq += (uint32_t)n;
	if (f->stopped || n == 0)
		return;
	enum stream_verdict v = r->ops->data(app_of(r, f), dir, p, n, &r->now);
	if (v != STREAM_MORE) {
		f->stopped = true;
		if (v == STREAM_FORGET) {
			f->app = NULL;
			f->forgotten = true;
		}
		free_pieces(r, &f->h[0]);
		free_pieces(r, &f->h[1]);
	}
}

/* Deliver the buffered pieces that are now in order. */
static void drain(struct reassembly *r, struct flow *f, int dir)
{
	struct half *h = &f->h[dir];
	while (h->ooo && seq_diff(h->ooo->seq, h->next_seq) <= 0) {
		struct piece *p = h->ooo;
		int32_t behind = seq_diff(h->next_seq, p->seq);
		h->ooo = p->next;
		h->ooo_bytes -= p->len;
		r->st.ooo_bytes -= p->len;
		if ((uint32_t)behind < p->len)
			deliver(r, f, dir, p->data + behind, p->len - (uint32_t)behind);
		free(p);
		if (f->stopped)
			return;
	}
}

/* Deliver p, which starts at next_seq, where buffered pieces do not
 * already hold its bytes: a buffered byte was captured first, so it wins. */
static void deliver_new(struct reassembly *r, struct flow *f, int dir, const uint8_t *p,
                        size_t n)
{
	struct half *h = &f->h[dir];
	while (n > 0 && !f->stopped) {
		if (!h->ooo) {
			deliver(r, f, dir, p, n);
			return;
		}
		int32_t room = seq_diff(h->ooo->seq, h->next_seq);
		if (room > 0) {
			size_t k = (size_t)room < n ? (size_t)room : n;
			deliver(r, f, dir, p, k);
			p += k;
			n -= k;
			continue;
		}
		uint32_t before = h->next_seq;
		drain(r, f, dir);
		size_t covered = (size_t)seq_diff(h->next_seq, before);
		if (covered >= n) {
			r->st.dup_bytes += n;
			return;
		}
		r->st.dup_bytes += covered;
		p += covered;
		n -= covered;
	}
}

/* Give up on the hole before the first buffered piece (or before seq when
 * nothing is buffered): report it and carry on after it. */
static void skip_hole(struct reassembly *r, struct flow *f, int dir, uint32_t to)
{
	struct half *h = &f->h[dir];
	if (h->ooo && seq_diff(h->ooo->seq, to) < 0)
		to = h->ooo->seq;
	int32_t missing = seq_diff(to, h->next_seq);
	if (missing <= 0) {
		/* no hole: the first piece is already in order (a SYN moved
		 * next_seq past it); deliver what it holds beyond next_seq, or the
		 * callers that skip holes until the buffer is empty never end */
		drain(r, f, dir);
		return;
	}
	r->st.gaps++;
	r->st.gap_bytes += (uint64_t)missing;
	if (!f->stopped)
		r->ops->gap(app_of(r, f), dir, (uint64_t)missing, &r->now);
	h->next_seq = to;
	drain(r, f, dir);
}

static bool add_piece(struct reassembly *r, struct half *h, struct piece **at,
                      uint32_t seq, const uint8_t *p, size_t n)
{
	struct piece *np = malloc(sizeof(*np) + n);
	if (!np)
		return false;
	np->seq = seq;
	np->len = (uint32_t)n;
	memcpy(np->data, p, n);
	np->next = *at;
	*at = np;
	h->ooo_bytes += n;
	r->st.ooo_bytes += n;
	if (r->st.ooo_bytes > r->st.ooo_peak)
		r->st.ooo_peak = r->st.ooo_bytes;
	return true;
}

static bool over_cap(const struct reassembly *r, const struct half *h, size_t n)
{
	return h->ooo_bytes + n > r->cfg->max_ooo_per_dir ||
	       r->st.ooo_bytes + n > r->cfg->max_ooo_total;
}

/* Buffer [seq, seq+n) ahead of next_seq, keeping only bytes no piece holds
 * yet (first copy wins).  When the buffer is full, holes are given up on,
 * oldest first, until the piece fits or is in order. */
static void buffer_ahead(struct reassembly *r, struct flow *f, int dir, uint32_t seq,
                         const uint8_t *p, size_t n)
{
	struct half *h = &f->h[dir];
	while (over_cap(r, h, n) && h->ooo && !f->stopped) {
		r->st.ooo_cap_hits++;
		skip_hole(r, f, dir, h->ooo->seq);
	}
	if (f->stopped)
		return;
	if (seq_diff(seq, h->next_seq) > 0 && over_cap(r, h, n)) {
		r->st.ooo_cap_hits++;
		skip_hole(r, f, dir, seq);
	}
	int32_t behind = seq_diff(h->next_seq, seq);
	if (behind >= 0) {
		/* in order now */
		if ((size_t)behind < n)
			deliver_new(r, f, dir, p + behind, n - (size_t)behind);
		drain(r, f, dir);
		return;
	}
	int64_t s0 = -(int64_t)behind, s = s0, e = s0 + (int64_t)n;
	struct piece **at = &h->ooo;
	while (s < e) {
		struct piece *cur = *at;
		int64_t a = cur ? seq_diff(cur->seq, h->next_seq) : e;
		int64_t b = cur ? a + cur->len : e;
		if (s < a) {
			int64_t upto = e < a ? e : a;
			if (!add_piece(r, h, at, h->next_seq + (uint32_t)s, p + (s - s0),
			               (size_t)(upto - s)))
				return;
			at = &(*at)->next;
			s = upto;
		}
		if (!cur)
			break;
		if (s < b) {
			r->st.dup_bytes += (uint64_t)((e < b ? e : b) - s);
			s = b;
		}
		at = &cur->next;
	}
}

static void half_data(struct reassembly *r, struct flow *f, int dir,
                      const struct tcp_segment *seg)
{
	struct half *h = &f->h[dir];
	uint32_t seq = seg->seq + ((seg->flags & TCP_SYN) ? 1 : 0);
	const uint8_t *p = seg->payload.p;
	size_t n = seg->payload.len;
	size_t missing_tail = seg->wire_len > n ? seg->wire_len - n : 0;

	if (!h->seq_known) {
		/* a connection whose start was not captured: begin here */
		h->seq_known = true;
		h->next_seq = seq;
	}
	if (seg->wire_len == 0 || f->stopped)
		return;
	int32_t rel = seq_diff(seq, h->next_seq);
	if (rel < 0) {
		/* bytes already delivered: a retransmission or a duplicate */
		size_t old = (size_t) - (int64_t)rel;
		if (old >= seg->wire_len) {
			r->st.dup_bytes += seg->wire_len;
			return;
		}
		r->st.dup_bytes += old;
		if (old >= n) {
			missing_tail -= old - n;
			n = 0;
		} else {
			p += old;
			n -= old;
		}
		seq += (uint32_t)old;
		rel = 0;
	}
	if ((uint32_t)rel > MAX_AHEAD) {
		skip_hole(r, f, dir, seq);
		rel = 0;
	} else if (rel > 0 && h->acked_known && seq_diff(seq, h->acked) <= 0) {
		/* the peer already has the bytes before this one: the capture lost them
		 */
		skip_hole(r, f, dir, seq);
		rel = seq_diff(seq, h->next_seq);
	}
	if (f->stopped)
		return;
	if (rel > 0) {
		if (n)
			buffer_ahead(r, f, dir, seq, p, n);
		return;
	}
	deliver_new(r, f, dir, p, n);
	if (missing_tail && !f->stopped &&
	    seq_diff(seq + (uint32_t)(n + missing_tail), h->next_seq) > 0) {
		/* the snaplen cut the tail: a hole, up to what is buffered already */
		size_t missing =
		    (size_t)seq_diff(seq + (uint32_t)(n + missing_tail), h->next_seq);
		if (h->ooo && seq_diff(h->ooo->seq, h->next_seq) < (int32_t)missing)
			missing = (size_t)seq_diff(h->ooo->seq, h->next_seq);
		if (missing > 0) {
			r->st.gaps++;
			r->st.gap_bytes += missing;
			r->ops->gap(app_of(r, f), dir, missing, &r->now);
			h->next_seq += (uint32_t)missing;
		}
	}
	drain(r, f, dir);
}

static void half_ack(struct reassembly *r, struct flow *f, int dir, uint32_t ack)
{
	/* an ACK from dir speaks of the bytes the other side sent */
	struct half *h = &f->h[!dir];
	if (!h->seq_known)
		return;
	if (!h->acked_known || seq_diff(ack, h->acked) > 0) {
		h->acked_known = true;
		h->acked = ack;
	}
	if (h->ooo && seq_diff(h->ooo->seq, h->acked) <= 0 && !f->stopped)
		skip_hole(r, f, !dir, h->ooo->seq);
}

static struct flow *lookup(struct reassembly *r, const struct tcp_segment *seg, int *dir)
{
	size_t b = bucket_of(r, &seg->src, &seg->dst);
	for (struct flow *f = r->buckets[b]; f; f = f->hnext) {
		if (endpoint_equal(&f->v.ep[0], &seg->src) &&
		    endpoint_equal(&f->v.ep[1], &seg->dst)) {
			*dir = 0;
			return f;
		}
		if (endpoint_equal(&f->v.ep[1], &seg->src) &&
		    endpoint_equal(&f->v.ep[0], &seg->dst)) {
			*dir = 1;
			return f;
		}
	}
	return NULL;
}

static void flow_close(struct reassembly *r, struct flow *f, enum close_reason why)
{
	/* whatever is still buffered follows a hole that will never be filled */
	for (int d = 0; d < 2; d++)
		while (f->h[d].ooo && !f->stopped)
			skip_hole(r, f, d, f->h[d].ooo->seq);
	free_pieces(r, &f->h[0]);
	free_pieces(r, &f->h[1]);
	size_t b = bucket_of(r, &f->v.ep[0], &f->v.ep[1]);
	for (struct flow **pp = &r->buckets[b]; *pp; pp = &(*pp)->hnext) {
		if (*pp == f) {
			*pp = f->hnext;
			break;
		}
	}
	lru_unlink(r, f);
	r->nflows--;
	if (!f->forgotten)
		r->ops->close(app_of(r, f), &f->v, why);
	slab_free(&r->flows_slab, f);
}

/* Twice the buckets once there are more flows than buckets; where that
 * memory is not to be had, the chains only grow longer. */
static void grow_buckets(struct reassembly *r)
{
	size_t n = r->nbuckets * 2;
	struct flow **b = calloc(n, sizeof(*b));
	if (!b)
		return;
	struct flow **old = r->buckets;
	size_t old_n = r->nbuckets;
	r->buckets = b;
	r->nbuckets = n;
	for (size_t i = 0; i < old_n; i++) {
		for (struct flow *f = old[i], *next; f; f = next) {
			next = f->hnext;
			size_t k = bucket_of(r, &f->v.ep[0], &f->v.ep[1]);
			f->hnext = b[k];
			b[k] = f;
		}
	}
	free(old);
}

static struct flow *flow_new(struct reassembly *r, const struct tcp_segment *seg,
                             int *dir)
{
	if (r->nflows >= r->cfg->max_flows && r->lru_head) {
		r->st.flows_evicted++;
		flow_close(r, r->lru_head, CLOSE_EVICTED);
	}
	struct flow *f = slab_zalloc(&r->flows_slab);
	if (!f)
		return NULL;
	/* a SYN-ACK names the initiator as its destination */
	bool synack = (seg->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK);
	f->v.ep[0] = synack ? seg->dst : seg->src;
	f->v.ep[1] = synack ? seg->src : seg->dst;
	*dir = synack ? 1 : 0;
	f->v.first_ts = seg->ts;
	f->v.first_frame = seg->frame;
	f->v.id = r->next_id++;
	size_t b = bucket_of(r, &seg->src, &seg->dst);
	f->hnext = r->buckets[b];
	r->buckets[b] = f;
	lru_append(r, f);
	r->nflows++;
	r->st.flows++;
	if (r->nflows > r->nbuckets && r->nbuckets < r->max_buckets)
		grow_buckets(r);
	if (r->nflows > r->st.flows_peak)
		r->st.flows_peak = r->nflows;
	return f;
}

static void expire_idle(struct reassembly *r)
{
	while (r->lru_head && r->now.tv_sec - r->lru_head->v.last_ts.tv_sec >
	                          (time_t)r->cfg->idle_timeout) {
		r->st.flows_idle++;
		flow_close(r, r->lru_head, CLOSE_IDLE);
	}
}

void reassembly_segment(struct reassembly *r, const struct tcp_segment *seg)
{
	if (timercmp(&seg->ts, &r->now, >))
		r->now = seg->ts;
	if (seg->payload.len < seg->wire_len)
		r->st.truncated++;

	int dir;
	struct flow *f = lookup(r, seg, &dir);
	bool syn_only = (seg->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
	if (f && syn_only && f->h[dir].seq_known && f->h[dir].next_seq != seg->seq + 1 &&
	    (f->v.payload_bytes[0] || f->v.payload_bytes[1] || f->v.fin[0] ||
	     f->v.fin[1] || f->v.rst[0] || f->v.rst[1])) {
		/* a new connection on the same four-tuple */
		flow_close(r, f, CLOSE_REUSED);
		f = NULL;
	}
	if (!f) {
		/* a lone ACK, FIN or RST of an unknown flow says nothing */
		if (!(seg->flags & TCP_SYN) && seg->wire_len == 0) {
			expire_idle(r);
			return;
		}
		f = flow_new(r, seg, &dir);
		if (!f)
			return;
	}
	f->v.last_ts = seg->ts;
	f->v.frame = seg->frame;
	f->v.packets[dir]++;
	f->v.payload_bytes[dir] += seg->wire_len;
	lru_unlink(r, f);
	lru_append(r, f);

	struct half *h = &f->h[dir];
	if (seg->flags & TCP_SYN) {
		f->v.syn[dir] = true;
		if (!h->seq_known || seq_diff(seg->seq + 1, h->next_seq) > 0 ||
		    !f->v.payload_bytes[dir]) {
			h->seq_known = true;
			h->next_seq = seg->seq + 1;
		}
	}
	half_data(r, f, dir, seg);
	if (seg->flags & TCP_ACK)
		half_ack(r, f, dir, seg->ack);
	if ((seg->flags & TCP_FIN) && !f->v.fin[dir]) {
		f->v.fin[dir] = true;
		f->v.fin_ts[dir] = seg->ts;
	}
	if (seg->flags & TCP_RST) {
		f->v.rst[dir] = true;
		f->v.rst_ts[dir] = seg->ts;
		flow_close(r, f, CLOSE_RST);
	} else if (f->v.fin[0] && f->v.fin[1]) {
		flow_close(r, f, CLOSE_FIN);
	}
	expire_idle(r);
}

static int by_id(const void *a, const void *b)
{
	const struct flow *fa = *(struct flow *const *)a, *fb = *(struct flow *const *)b;
	return fa->v.id < fb->v.id ? -1 : fa->v.id > fb->v.id;
}

void reassembly_finish(struct reassembly *r)
{
	struct flow **all = r->nflows ? calloc(r->nflows, sizeof(*all)) : NULL;
	size_t n = 0;
	if (all) {
		for (struct flow *f = r->lru_head; f; f = f->lru_next)
			all[n++] = f;
		qsort(all, n, sizeof(*all), by_id);
		for (size_t i = 0; i < n; i++)
			flow_close(r, all[i], CLOSE_END);
		free(all);
	}
	while (r->lru_head) /* only when the array could not be had */
		flow_close(r, r->lru_head, CLOSE_END);
}

void reassembly_free(struct reassembly *r)
{
	if (!r)
		return;
	reassembly_finish(r);
	free(r->buckets);
	slab_fini(&r->flows_slab);
	free(r);
}
