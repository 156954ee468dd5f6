/* handshake.c: handshake messages across records (RFC 8446 section 4,
 * RFC 5246 section 7.4), alerts and ChangeCipherSpec, and the life of one
 * flow from the dissector's side: open, bytes, gaps, close.
 *
 *   Handshake: msg_type(1) length(3) body
 *
 * A message may span records and a record may hold several messages; the
 * bytes of an incomplete message are kept per direction, up to the cap on
 * a message's size.
 */
#include "session.h"

#include "hello.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

static void add_alert(struct session *s, int dir, uint8_t level, uint8_t code,
                      const struct timeval *ts)
{
	struct handshake *hs = s->hs;
	/* a side repeating alerts is capped, like everything hostile traffic grows */
	if (hs->n_alerts >= 64) {
		handshake_anomaly(hs, dir, ANOMALY_ALERTS_CAP, false, 0);
		return;
	}
	struct alert_event *v = realloc(hs->alerts, (hs->n_alerts + 1) * sizeof(*v));
	if (!v)
		return;
	hs->alerts = v;
	if (!hs->frames.alert || (level == 2 && !handshake_fatal_alert(hs)))
		hs->frames.alert = s->flow->frame;
	v[hs->n_alerts].from = dir; /* a direction until the flow ends */
	v[hs->n_alerts].level = level;
	v[hs->n_alerts].code = code;
	v[hs->n_alerts].ts = *ts;
	hs->n_alerts++;
	session_step(s, dir, STEP_ALERT, code, level, 0, ts);
	hs->had_handshake = true;
}

/* Encrypted TLS 1.3 records traced without keys before a flow is let go. */
#define ENCRYPTED_TRACE_MAX 32

/* The key log opens the records of one side only. */
static bool one_side_secret(const struct handshake *hs)
{
	return hs->decryption == DECRYPT_NO_CLIENT_SECRET ||
	       hs->decryption == DECRYPT_NO_SERVER_SECRET;
}

/* Whether TLS 1.2 keys open a direction's records. */
static bool tls12_ready(const struct dir_state *ds)
{
	return ds->k12 && ds->k12->ready;
}

/* When no more bytes of the flow are needed. */
static void check_done(struct session *s)
{
	struct handshake *hs = s->hs;
	size_t traced = hs->enc[0].records + hs->enc[1].records;
	if (!hs->tls13) {
		/* with keys, or under a NULL cipher, the flow is read to its end
		 * for renegotiations and alerts; else the handshake's end is */
		bool over = hs->ccs[0] && hs->ccs[1];
		bool read_on = tls12_ready(&s->rd->dir[0]) ||
		               tls12_ready(&s->rd->dir[1]) || s->rd->dir[0].null_mac ||
		               s->rd->dir[1].null_mac;
		hs->after_handshake = over && read_on;
		hs->done = over && !read_on;
		return;
	}
	if (hs->decryption == DECRYPT_PENDING || hs->decryption == DECRYPT_OK ||
	    one_side_secret(hs)) {
		/* read to the end while keys open a side (alerts after the
		 * application data, a refused client certificate answered after
		 * the client's Finished); with one side's secret only, the other's
		 * records are never opened: bounded as without keys */
		bool keys = keys13_ready(&s->rd->dir[0]) || keys13_ready(&s->rd->dir[1]);
		hs->after_handshake = hs->finished[0] && hs->finished[1] && keys;
		/* no keys left (the key log lacks the next secrets): bounded as
		 * without keys, up to a fatal alert in the clear */
		bool bounded = traced >= ENCRYPTED_TRACE_MAX;
		hs->done = (!keys && (bounded || handshake_fatal_alert(hs))) ||
		           (one_side_secret(hs) && bounded);
		return;
	}
	/* without keys: the first records of each side, for what their sizes and
	 * the close let infer; bounded */
	hs->done = traced >= ENCRYPTED_TRACE_MAX;
}

/* TLS 1.3: the handshake traffic keys of each side whose secret the key log
 * has.  An OpenSSL client that refuses the server's certificate logs only
 * SERVER_HANDSHAKE_TRAFFIC_SECRET (it never switches its own write keys):
 * that still opens the whole server flight, the certificate included. */
static void start_decryption(struct session *s, int server_dir)
{
	struct handshake *hs = s->hs;
	const struct keylog_entry *e =
	    hs->have_random ? keylog_find(s->d->keylog, hs->client_random) : NULL;
	if (!s->d->keylog) {
		hs->decryption = DECRYPT_NO_KEYLOG;
		return;
	}
	const struct keylog_secret *cs = e ? &e->s[KL_CLIENT_HANDSHAKE] : NULL,
	                           *ss = e ? &e->s[KL_SERVER_HANDSHAKE] : NULL;
	bool have_c = cs && cs->len, have_s = ss && ss->len;
	if (!have_c && !have_s) {
		hs->decryption = DECRYPT_NO_SECRETS;
		return;
	}
	if ((have_c &&
	     !keys13_init(&s->rd->dir[!server_dir], hs->cipher, cs->v, cs->len)) ||
	    (have_s &&
	     !keys13_init(&s->rd->dir[server_dir], hs->cipher, ss->v, ss->len))) {
		keys13_fini(&s->rd->dir[0]);
		keys13_fini(&s->rd->dir[1]);
		hs->decryption = DECRYPT_FAILED;
		return;
	}
	hs->decryption = have_c && have_s ? DECRYPT_PENDING
	                 : have_s         ? DECRYPT_NO_CLIENT_SECRET
	                                  : DECRYPT_NO_SERVER_SECRET;
}

/* After a side's Finished, its records use the application traffic keys. */
static void next_keys(struct session *s, int dir)
{
	struct handshake *hs = s->hs;
	const struct keylog_entry *e = keylog_find(s->d->keylog, hs->client_random);
	bool client = dir == s->client_dir;
	const struct keylog_secret *t =
	    e ? &e->s[client ? KL_CLIENT_TRAFFIC_0 : KL_SERVER_TRAFFIC_0] : NULL;
	keys13_fini(&s->rd->dir[dir]);
	if (t && t->len)
		keys13_init(&s->rd->dir[dir], hs->cipher, t->v, t->len);
}

/* A HelloRetryRequest was read, and not yet the ServerHello that follows:
 * parse_server_hello kept the version the retry's supported_versions chose
 * (TLS 1.3, the only version with a retry) and its cipher. */
static bool after_hello_retry(const struct handshake *hs)
{
	return hs->server_hello_seen && version_tls13(hs->version) && !hs->tls13;
}

/* The ClientHello that answers a HelloRetryRequest (RFC 8446 4.1.2): the
 * first one's offer is kept (only the key shares, cookie, early data and
 * padding may change), but its random, which must be the same, is taken
 * from here: it is the ClientHello the handshake goes on with, the one an
 * OpenSSL server logs its secrets under and tshark looks secrets up by.
 *
 *   legacy_version(2) random(32) ...
 */
static enum anomaly_kind retried_client_hello(struct handshake *hs, struct cursor body)
{
	uint16_t version;
	if (!cur_get_u16(&body, &version) || !cur_copy(&body, hs->client_random, 32))
		return ANOMALY_SHORT;
	hs->have_random = true;
	return ANOMALY_NONE;
}

/* What the keys of the next ChangeCipherSpecs (TLS 1.2 and before) come
 * from: the random of each hello and the ServerHello's suite, the first
 * handshake's or a renegotiation's (RFC 5746: a hello after a
 * ChangeCipherSpec, read with the keys of the handshake before it, whose
 * other facts stay those of the first).
 *
 *   version(2) random(32) session_id<0..32> cipher_suite(2) (ServerHello) */
static void hello_for_keys(struct session *s, uint8_t type, struct cursor body)
{
	struct cursor sid, random;
	uint16_t suite;
	/* the randoms are kept only where a key log may open the records */
	if (s->d->keylog && !s->rd->randoms)
		s->rd->randoms = calloc(1, sizeof(*s->rd->randoms));
	if (!cur_skip(&body, 2) || !cur_get_bytes(&body, 32, &random))
		return;
	if (type == HS_CLIENT_HELLO) {
		if (s->rd->randoms)
			memcpy(s->rd->randoms->client, random.p, 32);
		return;
	}
	if (s->rd->randoms)
		memcpy(s->rd->randoms->server, random.p, 32);
	if (cur_get_u8_prefixed(&body, &sid) && cur_get_u16(&body, &suite) &&
	    suite != s->rd->suite) {
		s->rd->suite = suite;
		s->rd->null_mac = tls12_null_mac_len(suite);
	}
}

static void message(struct session *s, int dir, uint8_t type, struct cursor body)
{
	struct handshake *hs = s->hs;
	struct dir_state *ds = &s->rd->dir[dir];
	enum anomaly_kind bad = ANOMALY_NONE;
	bool hrr = false;
	hs->had_handshake = true;
	hs->last_msg_side = dir;
	uint64_t frame = s->flow->frame;
	if (type == HS_CLIENT_HELLO && !hs->frames.client_hello)
		hs->frames.client_hello = frame;
	else if (type == HS_SERVER_HELLO && !hs->frames.server_hello)
		hs->frames.server_hello = frame;
	else if (type == HS_CERTIFICATE && !hs->frames.certificate[dir])
		hs->frames.certificate[dir] = frame; /* a direction until the flow ends */
	if (type == HS_CERTIFICATE)
		hs->cert_flight_side = dir;
	else if (hs->cert_flight_side != dir)
		hs->cert_flight_side = -1;
	if ((type == HS_CLIENT_HELLO || type == HS_SERVER_HELLO) && !hs->tls13 &&
	    (hs->ccs[0] || hs->ccs[1])) {
		hello_for_keys(s, type, body);
		return;
	}
	switch (type) {
	case HS_CLIENT_HELLO:
		if (s->client_dir < 0)
			s->client_dir = dir;
		bad = hs->client_hello_seen && after_hello_retry(hs)
		          ? retried_client_hello(hs, body)
		          : parse_client_hello(hs, body);
		hello_for_keys(s, type, body); /* its random */
		break;
	case HS_SERVER_HELLO:
		if (s->client_dir < 0)
			s->client_dir = !dir;
		bad = parse_server_hello(hs, body, &hrr);
		hello_for_keys(s, type, body); /* its random and suite */
		if (bad == ANOMALY_NONE && !hrr && version_tls13(hs->version) &&
		    !hs->tls13) {
			/* everything after a TLS 1.3 ServerHello is encrypted */
			hs->tls13 = true;
			s->rd->dir[0].encrypted = s->rd->dir[1].encrypted = true;
			start_decryption(s, dir);
			check_done(s);
		}
		break;
	case HS_FINISHED:
		hs->finished[dir] = true;
		if (hs->tls13)
			next_keys(s, dir);
		break;
	case HS_KEY_UPDATE:
		/* TLS 1.3: the sender's next records are under its next secret */
		if (hs->tls13 && keys13_ready(ds) && !tls13_key_update(ds->keys))
			keys13_fini(ds);
		break;
	case HS_CERTIFICATE:
		bad = parse_certificate(&hs->chains[dir], body, hs->tls13,
		                        s->d->cfg->max_chain_certs, s->d->pool);
		break;
	case HS_CERTIFICATE_REQUEST:
		bad = parse_certificate_request(hs, body);
		break;
	default:
		bad = hs_type_known(type) ? ANOMALY_NONE : ANOMALY_UNKNOWN;
		break;
	}
	session_step(s, dir, STEP_MESSAGE, type, 0,
	             type == HS_CERTIFICATE && hs->chains[dir].n < UINT16_MAX
	                 ? (uint16_t)hs->chains[dir].n
	                 : 0,
	             &s->rd->now);
	if (bad != ANOMALY_NONE) {
		s->d->stats.malformed++;
		handshake_anomaly(hs, dir, bad, true, type);
	}
}

static bool msg_reserve(struct session *s, struct dir_state *ds, size_t want)
{
	return tls_buffer_grow(s, &ds->msg, &ds->msg_cap, want, 4096,
	                       4 + s->d->cfg->max_handshake_msg);
}

/* Move up to want - msg_len bytes of the record into the message buffer. */
static void msg_take(struct dir_state *ds, struct cursor *body, size_t want)
{
	size_t take = want - ds->msg_len;
	if (take > body->len)
		take = body->len;
	cur_copy(body, ds->msg + ds->msg_len, take);
	ds->msg_len += take;
}

static void handshake_bytes(struct session *s, int dir, struct cursor body,
                            bool decrypted)
{
	struct dir_state *ds = &s->rd->dir[dir];
	size_t max = s->d->cfg->max_handshake_msg;
	while (!cur_empty(&body) && !ds->msg_broken) {
		/* a whole message inside the record is read where it lies */
		struct cursor peek = body, whole;
		uint8_t type;
		uint32_t len;
		if (ds->msg_len == 0 && cur_get_u8(&peek, &type) &&
		    cur_get_u24(&peek, &len) && len <= max &&
		    cur_get_bytes(&peek, len, &whole)) {
			body = peek;
			message(s, dir, type, whole);
			if (ds->encrypted && !decrypted)
				return;
			continue;
		}
		if (!msg_reserve(s, ds, 4)) {
			ds->msg_broken = true;
			return;
		}
		if (ds->msg_len < 4) {
			msg_take(ds, &body, 4);
			if (ds->msg_len < 4)
				return;
		}
		struct cursor head = cur_make(ds->msg, ds->msg_len);
		uint32_t blen = 0;
		type = 0;
		cur_peek_u8(&head, 0, &type);
		cur_peek_u24(&head, 1, &blen);
		/* a length field drives this allocation: cap it, and take room
		 * only for the bytes that are here (the buffer grows as more
		 * come), so a declared 16 MiB costs nothing until it arrives */
		size_t here = ds->msg_len + body.len;
		if (blen > max ||
		    !msg_reserve(s, ds, here < 4 + blen ? here : 4 + blen)) {
			s->d->stats.oversized++;
			handshake_anomaly(s->hs, dir, ANOMALY_OVERSIZED, true, type);
			ds->msg_broken = true; /* the rest of this flight is skipped */
			ds->msg_len = 0;
			return;
		}
		msg_take(ds, &body, 4 + blen);
		if (ds->msg_len < 4 + blen)
			return;
		ds->msg_len = 0;
		message(s, dir, type, cur_make(ds->msg + 4, blen));
		/* the message is read: its buffer is not kept for the next */
		tls_buffer_drop(s, &ds->msg, &ds->msg_cap);
		if (ds->encrypted && !decrypted)
			return; /* the rest of the record is protected */
	}
}

static void alert_bytes(struct session *s, int dir, struct cursor body,
                        const struct timeval *ts)
{
	while (body.len >= 2) {
		uint8_t level, code;
		cur_get_u8(&body, &level);
		cur_get_u8(&body, &code);
		add_alert(s, dir, level, code, ts);
	}
	if (!cur_empty(&body)) {
		s->d->stats.malformed++;
		handshake_anomaly(s->hs, dir, ANOMALY_TRAILING, false, 0);
	}
}

/* A TLS 1.3 record after the ServerHello: traced, and opened when the key
 * log allows. */
static void protected_record(struct session *s, int dir, struct cursor body,
                             const struct timeval *ts)
{
	struct handshake *hs = s->hs;
	struct dir_state *ds = &s->rd->dir[dir];
	uint8_t *plain = s->d->plain; /* the dissector's, one record at a time */
	hs->enc[dir].records++;
	hs->enc[dir].since_other++;
	hs->enc[!dir].since_other = 0;
	hs->enc[dir].last_len = (uint32_t)body.len;
	hs->enc[dir].last_ts = *ts;
	if (!keys13_ready(ds) || body.len > sizeof(s->d->plain))
		session_step(s, dir, STEP_ENCRYPTED, CT_APPLICATION_DATA, 0, 1, ts);
	if (keys13_ready(ds) && body.len <= sizeof(s->d->plain)) {
		uint8_t header[5] = {CT_APPLICATION_DATA, 3, 3, (uint8_t)(body.len >> 8),
		                     (uint8_t)body.len};
		size_t n = 0;
		uint8_t type = 0;
		if (!tls13_open(ds->keys, header, body.p, body.len, plain, &n, &type)) {
			if (hs->decryption == DECRYPT_OK && hs->finished[0] &&
			    hs->finished[1]) {
				/* the handshake was read: this side is no longer */
				keys13_fini(ds);
			} else {
				/* a key log that does not fit is reported, not
				 * guessed around */
				hs->decryption = DECRYPT_FAILED;
				keys13_fini(&s->rd->dir[0]);
				keys13_fini(&s->rd->dir[1]);
			}
		} else {
			/* with one side's secret only, the other's records stay unread */
			if (hs->decryption == DECRYPT_PENDING)
				hs->decryption = DECRYPT_OK;
			if (type == CT_HANDSHAKE)
				handshake_bytes(s, dir, cur_make(plain, n), true);
			else if (type == CT_ALERT)
				alert_bytes(s, dir, cur_make(plain, n), ts);
			else if (type == CT_APPLICATION_DATA)
				ds->app_data = true;
		}
	}
	check_done(s);
}

void session_step(struct session *s, int dir, enum step_kind kind, uint8_t type,
                  uint8_t level, uint16_t count, const struct timeval *ts)
{
	struct ladder *l = &s->hs->ladder;
	uint64_t frame = s->flow->frame;
	l->base = s->flow->first_frame;
	struct step st = {
	    .kind = (uint8_t)kind,
	    .type = type,
	    .level = level,
	    .side = (int8_t)dir,
	    .count = count,
	    .usec = step_usec(ts, &s->flow->first_ts),
	    .frame = frame >= l->base && frame - l->base < UINT32_MAX
	                 ? (uint32_t)(frame - l->base + 1)
	                 : 0,
	};
	ladder_add(l, st);
}

/* TLS 1.2 and before, a ChangeCipherSpec from dir: its next records are
 * protected under the latest hellos' keys, which a key log's master secret
 * opens; a NULL cipher leaves them readable without. */
static void tls12_start(struct session *s, int dir)
{
	struct handshake *hs = s->hs;
	struct dir_state *ds = &s->rd->dir[dir];
	ds->null_mac = s->rd->null_mac;
	if (ds->k12)
		tls12_keys_fini(ds->k12);
	if (!s->d->keylog)
		return; /* nothing more to do without a key log */
	if (!s->rd->randoms)
		return; /* no hello seen: nothing to make keys from */
	const struct keylog_entry *e = keylog_find(s->d->keylog, s->rd->randoms->client);
	const struct keylog_secret *m = e ? &e->s[KL_MASTER] : NULL;
	enum decryption now = DECRYPT_PENDING;
	/* the keys' room is taken only by a flow the key log opens */
	if (m && m->len && !ds->k12)
		ds->k12 = calloc(1, sizeof(*ds->k12));
	if (!m || !m->len)
		now = DECRYPT_NO_SECRETS;
	else if (!ds->k12 ||
	         !tls12_keys_init(ds->k12, hs->version, s->rd->suite,
	                          hs->encrypt_then_mac, dir == s->client_dir, m->v,
	                          m->len, s->rd->randoms->client, s->rd->randoms->server))
		now = DECRYPT_FAILED; /* a suite or version certscope cannot open */
	/* what a renegotiation's keys do not undo: records already read */
	if (hs->decryption != DECRYPT_OK)
		hs->decryption = now;
}

/* A record of TLS 1.2 and before after its sender's ChangeCipherSpec:
 * opened with the key log's keys, read as is under a NULL cipher, else
 * only counted (an encrypted alert).  Application data is counted, never
 * opened: only the sequence numbers it takes matter. */
static void tls12_record(struct session *s, int dir, uint8_t type, struct cursor body,
                         const struct timeval *ts)
{
	struct handshake *hs = s->hs;
	struct dir_state *ds = &s->rd->dir[dir];
	struct cursor content;
	size_t n = 0;
	if (tls12_ready(ds)) {
		if (type == CT_APPLICATION_DATA) {
			tls12_skip(ds->k12, body.p, body.len);
			return;
		}
		if (body.len > sizeof(s->d->plain) ||
		    !tls12_open(ds->k12, type, body.p, body.len, s->d->plain, &n)) {
			/* keys that do not fit are reported before the first record
			 * opened; after it, that side is no longer read */
			if (hs->decryption != DECRYPT_OK)
				hs->decryption = DECRYPT_FAILED;
			tls12_keys_fini(ds->k12);
			ds->encrypted_alerts += type == CT_ALERT;
			session_step(s, dir, STEP_ENCRYPTED, type, 0, 1, ts);
			check_done(s);
			return;
		}
		if (hs->decryption == DECRYPT_PENDING)
			hs->decryption = DECRYPT_OK;
		content = cur_make(s->d->plain, n);
	} else if (ds->null_mac && type != CT_APPLICATION_DATA &&
	           body.len >= ds->null_mac) {
		content = cur_make(body.p, body.len - ds->null_mac);
	} else {
		ds->encrypted_alerts += type == CT_ALERT;
		if (type != CT_APPLICATION_DATA)
			session_step(s, dir, STEP_ENCRYPTED, type, 0, 1, ts);
		return;
	}
	if (type == CT_ALERT)
		alert_bytes(s, dir, content, ts);
	else if (type == CT_HANDSHAKE)
		handshake_bytes(s, dir, content, true);
}

void session_record(struct session *s, int dir, uint8_t type, struct cursor body,
                    const struct timeval *ts)
{
	struct handshake *hs = s->hs;
	struct dir_state *ds = &s->rd->dir[dir];
	hs->had_records = true;
	s->rd->now = *ts;
	switch (type) {
	case CT_CHANGE_CIPHER_SPEC:
		/* in TLS 1.3, middlebox compatibility only (RFC 8446 D.4): after the
		 * ServerHello, and after a HelloRetryRequest, whose
		 * supported_versions has already chosen TLS 1.3 (both sides send
		 * one there; what follows is still the second ClientHello and the
		 * ServerHello in the clear) */
		if (hs->tls13 || version_tls13(hs->version))
			return;
		hs->ccs[dir] = true;
		session_step(s, dir, STEP_CCS, 0, 0, 0, ts);
		ds->encrypted = true;
		hs->had_handshake = true;
		tls12_start(s, dir);
		check_done(s);
		return;
	case CT_ALERT:
		/* after ChangeCipherSpec an alert of TLS 1.2 and before is protected;
		 * in TLS 1.3 protected alerts travel as application data */
		if (ds->encrypted && !hs->tls13) {
			tls12_record(s, dir, type, body, ts);
			return;
		}
		alert_bytes(s, dir, body, ts);
		if (hs->tls13)
			check_done(s);
		return;
	case CT_HANDSHAKE:
		if (ds->encrypted && !hs->tls13)
			tls12_record(s, dir, type, body,
			             ts); /* Finished, renegotiation */
		else if (!ds->encrypted)
			handshake_bytes(s, dir, body, false);
		return;
	case CT_APPLICATION_DATA:
		if (hs->tls13)
			protected_record(s, dir, body, ts);
		else if (ds->encrypted)
			tls12_record(s, dir, type, body, ts);
		return;
	default:
		return;
	}
}

void session_cut_client_hello(struct session *s, int dir, struct cursor body)
{
	struct handshake *hs = s->hs;
	hs->had_records = hs->had_handshake = true;
	hs->last_msg_side = dir;
	if (!hs->frames.client_hello)
		hs->frames.client_hello = s->flow->frame;
	if (s->client_dir < 0)
		s->client_dir = dir;
	/* what was cut is said by the capture gap, not as a fault of the
	 * message */
	parse_client_hello_cut(hs, body);
	if (!hs->gap) {
		hs->gap = true;
		hs->gap_side = dir;
	}
}

void session_sslv2_server_hello(struct session *s, int dir, struct cursor body)
{
	struct handshake *hs = s->hs;
	hs->had_records = hs->had_handshake = true;
	hs->last_msg_side = dir;
	if (!hs->frames.server_hello)
		hs->frames.server_hello = s->flow->frame;
	if (!hs->frames.certificate[dir])
		hs->frames.certificate[dir] = s->flow->frame;
	enum anomaly_kind bad =
	    parse_sslv2_server_hello(hs, &hs->chains[dir], body, s->d->pool);
	if (bad != ANOMALY_NONE) {
		s->d->stats.malformed++;
		handshake_anomaly(hs, dir, bad, true, 4);
	}
}

void session_sslv2_hello(struct session *s, int dir, struct cursor body)
{
	s->hs->had_records = s->hs->had_handshake = true;
	if (!s->hs->frames.client_hello)
		s->hs->frames.client_hello = s->flow->frame;
	if (s->client_dir < 0)
		s->client_dir = dir;
	enum anomaly_kind bad = parse_sslv2_client_hello(s->hs, body);
	if (bad != ANOMALY_NONE) {
		s->d->stats.malformed++;
		handshake_anomaly(s->hs, dir, bad, true, 1);
	}
}
