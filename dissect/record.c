/* record.c: the TLS record layer (RFC 8446 section 5.1, RFC 5246 section
 * 6.2) over one direction of a reassembled stream.
 *
 *   TLSPlaintext: type(1) legacy_record_version(2) length(2) fragment
 *
 * The layer keeps at most one incomplete record per direction.  Where the
 * start of a stream was not captured, or bytes went missing, it hunts for
 * the next plausible handshake, alert or ChangeCipherSpec header and takes
 * up from there.
 */
#include "session.h"

#include "hello.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

/* Room for one whole record and a little more, so bytes can be taken in
 * chunks. */
#define REC_BUF (RECORD_HEADER + RECORD_MAX + 4096)

enum header_check { HDR_NO, HDR_YES, HDR_MORE };

static bool plausible_version(uint8_t major, uint8_t minor)
{
	return major == 3 && minor <= 4;
}

/* Is there a record header at the start of c?  A header is checked loosely
 * at a known record boundary; while hunting, only handshake, alert and
 * ChangeCipherSpec headers whose first body bytes make sense are taken. */
static enum header_check check_header(struct cursor c, bool hunting, size_t max_msg)
{
	uint8_t type, major, minor, b5, b6;
	uint16_t len;
	uint32_t msg_len;
	if (!cur_peek_u8(&c, 0, &type) || !cur_peek_u8(&c, 1, &major) ||
	    !cur_peek_u8(&c, 2, &minor) || !cur_peek_u16(&c, 3, &len))
		return HDR_MORE;
	if (!plausible_version(major, minor) || len == 0 || len > RECORD_MAX)
		return HDR_NO;
	if (!hunting)
		return type >= CT_CHANGE_CIPHER_SPEC && type <= CT_HEARTBEAT ? HDR_YES
		                                                             : HDR_NO;
	switch (type) {
	case CT_CHANGE_CIPHER_SPEC:
		if (len != 1)
			return HDR_NO;
		if (!cur_peek_u8(&c, 5, &b5))
			return HDR_MORE;
		return b5 == 1 ? HDR_YES : HDR_NO;
	case CT_ALERT:
		if (len != 2)
			return HDR_NO;
		if (!cur_peek_u8(&c, 5, &b5) || !cur_peek_u8(&c, 6, &b6))
			return HDR_MORE;
		return (b5 == 1 || b5 == 2) && alert_name(b6) ? HDR_YES : HDR_NO;
	case CT_HANDSHAKE:
		if (len < 4)
			return HDR_NO;
		if (!cur_peek_u8(&c, 5, &b5) || !cur_peek_u24(&c, 6, &msg_len))
			return HDR_MORE;
		return hs_type_known(b5) && msg_len <= max_msg ? HDR_YES : HDR_NO;
	default:
		return HDR_NO;
	}
}

/* SSL 2.0 CLIENT-HELLO: a two-byte header with the top bit set, then
 * msg_type 1 and a version (RFC 6101 appendix E.2).  *body_len is the
 * length after the two header bytes. */
static enum header_check check_sslv2(struct cursor c, size_t *body_len)
{
	uint16_t head, v;
	uint8_t msg;
	if (!cur_peek_u16(&c, 0, &head) || !cur_peek_u8(&c, 2, &msg) ||
	    !cur_peek_u16(&c, 3, &v))
		return HDR_MORE;
	*body_len = head & 0x7fff;
	if (!(head & 0x8000) || msg != 1 || *body_len < 9)
		return HDR_NO;
	return v == 0x0002 || (v >= 0x0300 && v <= 0x0303) ? HDR_YES : HDR_NO;
}

/* SSL 2.0 SERVER-HELLO, answering an SSL 2.0 CLIENT-HELLO: msg_type 4,
 * session_id_hit, certificate_type, then server_version 0x0002. */
static enum header_check check_sslv2_server(struct cursor c, size_t *body_len)
{
	uint16_t head, v;
	uint8_t msg, hit;
	if (!cur_peek_u16(&c, 0, &head) || !cur_peek_u8(&c, 2, &msg) ||
	    !cur_peek_u8(&c, 3, &hit) || !cur_peek_u16(&c, 5, &v))
		return HDR_MORE;
	*body_len = head & 0x7fff;
	return head & 0x8000 && msg == 4 && hit <= 1 && v == 0x0002 && *body_len >= 11
	           ? HDR_YES
	           : HDR_NO;
}

static void consume(struct dir_state *ds, size_t n)
{
	memmove(ds->rec, ds->rec + n, ds->rec_len - n);
	ds->rec_len -= n;
}

/* Find a plausible header in the buffer; drop what comes before it. */
static void hunt(struct session *s, struct dir_state *ds)
{
	size_t max_msg = s->d->cfg->max_handshake_msg;
	size_t i;
	for (i = 0; i < ds->rec_len; i++) {
		enum header_check h =
		    check_header(cur_make(ds->rec + i, ds->rec_len - i), true, max_msg);
		if (h == HDR_YES) {
			ds->synced = true;
			break;
		}
		if (h == HDR_MORE)
			break;
	}
	ds->hunted += i;
	consume(ds, i);
}

/* The first bytes of a direction whose start was captured decide whether it
 * is TLS at all. */
static void first_bytes(struct session *s, int dir, struct dir_state *ds)
{
	size_t max_msg = s->d->cfg->max_handshake_msg;
	size_t len = 0;
	if (check_sslv2(cur_make(ds->rec, ds->rec_len), &len) == HDR_YES) {
		if (ds->rec_len < 2 + len)
			return; /* wait for the whole record */
		session_sslv2_hello(s, dir, cur_make(ds->rec + 2, len));
		consume(ds, 2 + len);
		ds->started = true;
		ds->synced = true;
		return;
	}
	if (s->hs->sslv2_hello && s->client_dir != dir &&
	    check_sslv2_server(cur_make(ds->rec, ds->rec_len), &len) == HDR_YES) {
		if (ds->rec_len < 2 + len)
			return; /* wait for the whole record */
		session_sslv2_server_hello(s, dir, cur_make(ds->rec + 2, len));
		consume(ds, 2 + len);
		/* all SSL 2.0 says after it is encrypted */
		ds->started = ds->not_tls = true;
		s->rd->dir[!dir].not_tls = true;
		return;
	}
	enum header_check h =
	    check_header(cur_make(ds->rec, ds->rec_len), false, max_msg);
	if (h == HDR_MORE)
		return;
	ds->started = true;
	if (h == HDR_YES) {
		ds->synced = true;
		return;
	}
	/* not TLS yet: a protocol that upgrades on this port may get there, or
	 * a preamble of another protocol precede a hello */
	if (s->rd->st.proto == ST_NONE && !s->hs->had_records) {
		for (int d = 0; d < 2 && s->rd->st.proto == ST_NONE; d++) {
			s->rd->st.proto = starttls_for_port(s->port[!d]);
			s->st_client_dir = d;
		}
		if (s->rd->st.proto == ST_NONE)
			s->st_client_dir = 0; /* the SYN's sender */
	}
	if ((s->rd->st.proto == ST_NONE || s->rd->st.proto >= ST_SOCKS4) &&
	    starttls_never(ds->rec, ds->rec_len)) {
		/* HTTP, SSH: neither direction will be TLS */
		ds->not_tls = s->rd->dir[!dir].not_tls = true;
		return;
	}
	/* a preamble is named by its first bytes, else by its port */
	if (!s->hs->had_records &&
	    (s->rd->st.proto == ST_NONE || s->rd->st.proto >= ST_SOCKS4) &&
	    !s->rd->st.named) {
		enum starttls_proto p = starttls_sniff(ds->rec, ds->rec_len);
		s->rd->st.named = p != ST_NONE;
		s->rd->st.proto = p != ST_NONE                 ? p
		                  : s->rd->st.proto != ST_NONE ? s->rd->st.proto
		                                               : ST_UNKNOWN;
	}
	if (s->rd->st.proto != ST_NONE && !s->rd->st.refused)
		ds->plain = true;
	else
		ds->not_tls = true;
}

/* The plaintext phase: consumed until the protocol says TLS starts. */
static bool plaintext(struct session *s, int dir, struct dir_state *ds)
{
	bool up = false;
	size_t used =
	    starttls_feed(&s->rd->st, dir == s->st_client_dir, ds->rec, ds->rec_len, &up);
	consume(ds, used);
	if (up) {
		ds->plain = false;
		ds->started = false; /* the next bytes must be a TLS record */
		s->hs->starttls = starttls_name(s->rd->st.proto);
		return true;
	}
	size_t max = starttls_max(s->rd->st.proto);
	if (s->rd->st.refused || s->rd->st.seen[dir == s->st_client_dir ? 0 : 1] > max ||
	    ds->rec_len > max) {
		ds->plain = false;
		ds->not_tls = true;
	}
	return false;
}

static void process(struct session *s, int dir, const struct timeval *ts)
{
	struct dir_state *ds = &s->rd->dir[dir];
	for (;;) {
		if (ds->plain && !plaintext(s, dir, ds))
			return;
		/* a SYN seen means the stream's first bytes are here: they decide */
		if (!ds->started && (s->flow->syn[0] || s->flow->syn[1])) {
			first_bytes(s, dir, ds);
			if (!ds->started || ds->not_tls)
				return;
			if (ds->plain)
				continue;
		}
		ds->started = true;
		if (!ds->synced) {
			hunt(s, ds);
			if (!ds->synced) {
				if (ds->hunted > HUNT_LIMIT && !s->hs->had_records)
					ds->not_tls = true;
				return;
			}
		}
		if (ds->rec_len < RECORD_HEADER)
			return;
		struct cursor rec = cur_make(ds->rec, ds->rec_len), body;
		if (check_header(rec, false, 0) != HDR_YES) {
			/* the stream no longer lines up with records */
			s->d->stats.resyncs++;
			handshake_anomaly(s->hs, dir, ANOMALY_RESYNC, false, 0);
			ds->synced = false;
			consume(ds, 1);
			continue;
		}
		uint8_t type;
		uint16_t len;
		if (!cur_get_u8(&rec, &type) || !cur_skip(&rec, 2) ||
		    !cur_get_u16(&rec, &len) || !cur_get_bytes(&rec, len, &body))
			return; /* the rest of the record is still to come */
		s->d->stats.records++;
		session_record(s, dir, type, body, ts);
		consume(ds, RECORD_HEADER + (size_t)len);
		if (s->hs->done)
			return;
	}
}

bool tls_buffer_grow(struct session *s, uint8_t **buf, size_t *cap, size_t want,
                     size_t first, size_t max)
{
	if (*cap >= want)
		return true;
	size_t n = *cap ? *cap : first;
	while (n < want)
		n *= 2;
	if (n > max)
		n = max;
	struct dissect_stats *st = &s->d->stats;
	/* every flow's buffers together stay within their cap */
	if (n < want || st->buffered - *cap + n > s->d->cfg->max_tls_buffered) {
		st->buffer_cap_hits++;
		return false;
	}
	uint8_t *p = realloc(*buf, n);
	if (!p)
		return false;
	st->buffered = st->buffered - *cap + n;
	*buf = p;
	*cap = n;
	return true;
}

void tls_buffer_drop(struct session *s, uint8_t **buf, size_t *cap)
{
	s->d->stats.buffered -= *cap;
	free(*buf);
	*buf = NULL;
	*cap = 0;
}

void record_feed(struct session *s, int dir, const uint8_t *p, size_t n,
                 const struct timeval *ts)
{
	struct dir_state *ds = &s->rd->dir[dir];
	while (n > 0 && !ds->not_tls && !s->hs->done) {
		size_t take = REC_BUF - ds->rec_len;
		if (take > n)
			take = n;
		/* the buffer grows with what the stream needs: most flows never
		 * hold more than a packet or two of handshake at once */
		if (!tls_buffer_grow(s, &ds->rec, &ds->rec_cap, ds->rec_len + take, 512,
		                     REC_BUF)) {
			ds->not_tls = true;
			return;
		}
		memcpy(ds->rec + ds->rec_len, p, take);
		ds->rec_len += take;
		p += take;
		n -= take;
		process(s, dir, ts);
		if (ds->rec_len == REC_BUF) {
			/* cannot happen at a record boundary: only while hunting */
			ds->hunted += ds->rec_len;
			ds->rec_len = 0;
		}
	}
	/* nothing left over: a flow waiting for its peer holds no buffer */
	if (ds->rec_len == 0 && ds->rec)
		tls_buffer_drop(s, &ds->rec, &ds->rec_cap);
}

/* A ClientHello record the capture cut (the snaplen, a lost segment):
 * what it holds up to the cut is read before its bytes are let go.
 *
 *   22 3 minor length(2) | 1 length(3) | body */
static void cut_client_hello(struct session *s, int dir, struct dir_state *ds)
{
	struct cursor c = cur_make(ds->rec, ds->rec_len), body;
	uint8_t type, msg;
	uint16_t rec_len;
	uint32_t len;
	if (!ds->synced || s->hs->client_hello_seen || !cur_get_u8(&c, &type) ||
	    type != CT_HANDSHAKE || !cur_skip(&c, 2) || !cur_get_u16(&c, &rec_len) ||
	    !cur_get_u8(&c, &msg) || msg != 1 || !cur_get_u24(&c, &len) || c.len >= len ||
	    c.len < 34)
		return;
	body = c;
	s->hs->hello_cut_len = len;
	s->hs->hello_cut_captured = (uint32_t)body.len;
	session_cut_client_hello(s, dir, body);
}

void record_gap(struct session *s, int dir)
{
	struct dir_state *ds = &s->rd->dir[dir];
	cut_client_hello(s, dir, ds);
	ds->rec_len = 0;
	ds->synced = false;
	ds->started = true;
	ds->msg_len = 0;
	ds->msg_broken = false;
}

void dir_state_release(struct session *s, int dir)
{
	struct dir_state *ds = &s->rd->dir[dir];
	tls_buffer_drop(s, &ds->rec, &ds->rec_cap);
	tls_buffer_drop(s, &ds->msg, &ds->msg_cap);
	ds->rec_len = ds->msg_len = 0;
}

bool keys13_init(struct dir_state *ds, uint16_t suite, const uint8_t *secret, size_t len)
{
	if (!ds->keys && !(ds->keys = calloc(1, sizeof(*ds->keys))))
		return false;
	return tls13_keys_init(ds->keys, suite, secret, len);
}

void keys13_fini(struct dir_state *ds)
{
	if (!ds->keys)
		return;
	tls13_keys_fini(ds->keys);
	free(ds->keys);
	ds->keys = NULL;
}

void dir_state_fini(struct session *s, int dir)
{
	struct dir_state *ds = &s->rd->dir[dir];
	dir_state_release(s, dir);
	keys13_fini(ds);
	if (ds->k12)
		tls12_keys_fini(ds->k12);
	free(ds->k12);
	memset(ds, 0, sizeof(*ds));
}
