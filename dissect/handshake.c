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

#include "cache.h"
#include "certificate.h"
#include "chain.h"
#include "diagnose.h"
#include "hello.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

static void add_alert(struct session *s, int dir, uint8_t level, uint8_t code,
                      const struct timeval *ts)
{
	struct handshake *hs = s->hs;
	/* a side repeating alerts is capped, like everything hostile traffic grows */
	if (hs->n_alerts >= 64)
		return;
	struct alert_event *v = realloc(hs->alerts, (hs->n_alerts + 1) * sizeof(*v));
	if (!v)
		return;
	hs->alerts = v;
	v[hs->n_alerts].from = dir; /* a direction until the flow ends */
	v[hs->n_alerts].level = level;
	v[hs->n_alerts].code = code;
	v[hs->n_alerts].ts = *ts;
	hs->n_alerts++;
	hs->had_handshake = true;
}

/* Encrypted TLS 1.3 records traced without keys before a flow is let go. */
#define ENCRYPTED_TRACE_MAX 32

static bool fatal_alert(const struct handshake *hs)
{
	for (size_t i = 0; i < hs->n_alerts; i++)
		if (hs->alerts[i].level == 2)
			return true;
	return false;
}

/* The key log opens the records of one side only. */
static bool one_side_secret(const struct handshake *hs)
{
	return hs->decryption == DECRYPT_NO_CLIENT_SECRET ||
	       hs->decryption == DECRYPT_NO_SERVER_SECRET;
}

/* When no more bytes of the flow are needed. */
static void check_done(struct session *s)
{
	struct handshake *hs = s->hs;
	size_t traced = hs->enc[0].records + hs->enc[1].records;
	if (!hs->tls13) {
		hs->done = hs->ccs[0] && hs->ccs[1];
		return;
	}
	if (hs->decryption == DECRYPT_PENDING || hs->decryption == DECRYPT_OK ||
	    one_side_secret(hs)) {
		/* read on until application data flows both ways (a refused client
		 * certificate is answered after the client's Finished); with one
		 * side's secret only, the other's application data is never seen:
		 * bounded as without keys */
		hs->done = fatal_alert(hs) ||
		           (s->dir[0].app_data && s->dir[1].app_data) ||
		           (one_side_secret(hs) && traced >= ENCRYPTED_TRACE_MAX);
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
	     !tls13_keys_init(&s->dir[!server_dir].keys, hs->cipher, cs->v, cs->len)) ||
	    (have_s &&
	     !tls13_keys_init(&s->dir[server_dir].keys, hs->cipher, ss->v, ss->len))) {
		tls13_keys_fini(&s->dir[0].keys);
		tls13_keys_fini(&s->dir[1].keys);
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
	tls13_keys_fini(&s->dir[dir].keys);
	if (t && t->len)
		tls13_keys_init(&s->dir[dir].keys, hs->cipher, t->v, t->len);
}

/* A HelloRetryRequest was read, and not yet the ServerHello that follows:
 * parse_server_hello kept the version the retry's supported_versions chose
 * (TLS 1.3, the only version with a retry) and its cipher. */
static bool after_hello_retry(const struct handshake *hs)
{
	return hs->server_hello_seen && hs->version == 0x0304 && !hs->tls13;
}

/* The ClientHello that answers a HelloRetryRequest (RFC 8446 4.1.2): the
 * first one's offer is kept (only the key shares, cookie, early data and
 * padding may change), but its random, which must be the same, is taken
 * from here: it is the ClientHello the handshake goes on with, the one an
 * OpenSSL server logs its secrets under and tshark looks secrets up by.
 *
 *   legacy_version(2) random(32) ...
 */
static bool retried_client_hello(struct handshake *hs, struct cursor body)
{
	uint16_t version;
	struct cursor random;
	if (!cur_get_u16(&body, &version) || !cur_get_bytes(&body, 32, &random))
		return false;
	memcpy(hs->client_random, random.p, 32);
	hs->have_random = true;
	return true;
}

static void message(struct session *s, int dir, uint8_t type, struct cursor body)
{
	struct handshake *hs = s->hs;
	struct dir_state *ds = &s->dir[dir];
	bool ok = true, hrr = false;
	hs->had_handshake = true;
	hs->last_msg_side = dir;
	hs->last_msg_type = type;
	if (type == HS_CERTIFICATE)
		hs->cert_flight_side = dir;
	else if (hs->cert_flight_side != dir)
		hs->cert_flight_side = -1;
	switch (type) {
	case HS_CLIENT_HELLO:
		if (s->client_dir < 0)
			s->client_dir = dir;
		ok = hs->client_hello_seen && after_hello_retry(hs)
		         ? retried_client_hello(hs, body)
		         : parse_client_hello(hs, body);
		break;
	case HS_SERVER_HELLO:
		if (s->client_dir < 0)
			s->client_dir = !dir;
		ok = parse_server_hello(hs, body, &hrr);
		if (ok && !hrr && hs->version == 0x0304 && !hs->tls13) {
			/* everything after a TLS 1.3 ServerHello is encrypted */
			hs->tls13 = true;
			s->dir[0].encrypted = s->dir[1].encrypted = true;
			start_decryption(s, dir);
			check_done(s);
		}
		break;
	case HS_FINISHED:
		if (hs->tls13) {
			hs->finished[dir] = true;
			next_keys(s, dir);
		}
		break;
	case HS_CERTIFICATE:
		ok = parse_certificate(&ds->chain, body, hs->tls13, s->d->cfg,
		                       s->d->cache);
		break;
	case HS_CERTIFICATE_REQUEST:
		ok = parse_certificate_request(hs, body);
		break;
	default:
		ok = hs_type_known(type);
		break;
	}
	if (!ok)
		s->d->stats.malformed++;
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
	struct dir_state *ds = &s->dir[dir];
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
		size_t blen =
		    (size_t)ds->msg[1] << 16 | (size_t)ds->msg[2] << 8 | ds->msg[3];
		/* a length field drives this allocation: cap it, and take room
		 * only for the bytes that are here (the buffer grows as more
		 * come), so a declared 16 MiB costs nothing until it arrives */
		size_t here = ds->msg_len + body.len;
		if (blen > max ||
		    !msg_reserve(s, ds, here < 4 + blen ? here : 4 + blen)) {
			s->d->stats.oversized++;
			ds->msg_broken = true; /* the rest of this flight is skipped */
			ds->msg_len = 0;
			return;
		}
		msg_take(ds, &body, 4 + blen);
		if (ds->msg_len < 4 + blen)
			return;
		ds->msg_len = 0;
		message(s, dir, ds->msg[0], cur_make(ds->msg + 4, blen));
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
	if (!cur_empty(&body))
		s->d->stats.malformed++;
}

/* A TLS 1.3 record after the ServerHello: traced, and opened when the key
 * log allows. */
static void protected_record(struct session *s, int dir, struct cursor body,
                             const struct timeval *ts)
{
	struct handshake *hs = s->hs;
	struct dir_state *ds = &s->dir[dir];
	static uint8_t plain[RECORD_MAX];
	hs->enc[dir].records++;
	hs->enc[dir].since_other++;
	hs->enc[!dir].since_other = 0;
	hs->enc[dir].last_len = (uint32_t)body.len;
	hs->enc[dir].last_ts = *ts;
	if (ds->keys.ready && body.len <= sizeof(plain)) {
		uint8_t header[5] = {CT_APPLICATION_DATA, 3, 3, (uint8_t)(body.len >> 8),
		                     (uint8_t)body.len};
		size_t n = 0;
		uint8_t type = 0;
		if (!tls13_open(&ds->keys, header, body.p, body.len, plain, &n, &type)) {
			/* a key log that does not fit is reported, not guessed around */
			hs->decryption = DECRYPT_FAILED;
			tls13_keys_fini(&s->dir[0].keys);
			tls13_keys_fini(&s->dir[1].keys);
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

void session_record(struct session *s, int dir, uint8_t type, struct cursor body,
                    const struct timeval *ts)
{
	struct handshake *hs = s->hs;
	struct dir_state *ds = &s->dir[dir];
	hs->had_records = true;
	switch (type) {
	case CT_CHANGE_CIPHER_SPEC:
		/* in TLS 1.3, middlebox compatibility only (RFC 8446 D.4): after the
		 * ServerHello, and after a HelloRetryRequest, whose
		 * supported_versions has already chosen TLS 1.3 (both sides send
		 * one there; what follows is still the second ClientHello and the
		 * ServerHello in the clear) */
		if (hs->tls13 || hs->version == 0x0304)
			return;
		hs->ccs[dir] = true;
		ds->encrypted = true;
		hs->had_handshake = true;
		check_done(s);
		return;
	case CT_ALERT:
		/* after ChangeCipherSpec an alert of TLS 1.2 and before is protected;
		 * in TLS 1.3 protected alerts travel as application data */
		if (ds->encrypted && !hs->tls13) {
			ds->encrypted_alerts++;
			return;
		}
		alert_bytes(s, dir, body, ts);
		if (hs->tls13)
			check_done(s);
		return;
	case CT_HANDSHAKE:
		if (ds->encrypted)
			return; /* an encrypted Finished */
		handshake_bytes(s, dir, body, false);
		return;
	case CT_APPLICATION_DATA:
		if (hs->tls13)
			protected_record(s, dir, body, ts);
		return;
	default:
		return;
	}
}

void session_sslv2_hello(struct session *s, int dir, struct cursor body)
{
	s->hs->had_records = s->hs->had_handshake = true;
	if (s->client_dir < 0)
		s->client_dir = dir;
	if (!parse_sslv2_client_hello(s->hs, body))
		s->d->stats.malformed++;
}

/* ---- the flow's life ---------------------------------------------------- */

static void *on_open(void *ctx, const struct flow_view *f)
{
	struct dissector *d = ctx;
	struct session *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->hs = calloc(1, sizeof(*s->hs));
	if (!s->hs) {
		free(s);
		return NULL;
	}
	s->d = d;
	s->client_dir = -1;
	s->flow = f;
	s->port[0] = f->ep[0].port;
	s->port[1] = f->ep[1].port;
	s->hs->last_msg_side = -1;
	s->hs->closed_by = -1;
	s->hs->cert_flight_side = -1;
	s->hs->id = f->id;
	return s;
}

static enum stream_verdict on_data(void *app, int dir, const uint8_t *p, size_t n,
                                   const struct timeval *ts)
{
	struct session *s = app;
	if (!s)
		return STREAM_DONE;
	struct dir_state *ds = &s->dir[dir];
	if (ds->not_tls)
		return s->hs->had_records ? STREAM_MORE : STREAM_DONE;
	record_feed(s, dir, p, n, ts);
	if (s->hs->done) {
		dir_state_release(s, 0);
		dir_state_release(s, 1);
		return STREAM_DONE;
	}
	if (ds->not_tls) {
		dir_state_release(s, dir);
		if (!s->hs->had_records)
			return STREAM_DONE;
	}
	return STREAM_MORE;
}

static void on_gap(void *app, int dir, uint64_t bytes, const struct timeval *ts)
{
	struct session *s = app;
	(void)bytes;
	(void)ts;
	if (!s)
		return;
	/* a gap before any record says nothing about TLS */
	if (s->hs->had_records && !s->hs->done && !s->hs->gap) {
		s->hs->gap = true;
		s->hs->gap_side = dir;
	}
	record_gap(s, dir);
}

static int side_of(const struct session *s, int dir)
{
	return dir == s->client_dir ? SIDE_CLIENT : SIDE_SERVER;
}

/* Who is the client when no hello said so: the SYN's sender, else the side
 * with the higher port (as tshark guesses). */
static int guess_client_dir(const struct flow_view *f)
{
	if (f->syn[0] || f->syn[1])
		return 0;
	return f->ep[1].port > f->ep[0].port ? 1 : 0;
}

static enum outcome decide_outcome(const struct handshake *hs)
{
	if (fatal_alert(hs))
		return OUTCOME_ALERT;
	if (hs->tls13 && hs->decryption != DECRYPT_OK)
		return OUTCOME_ENCRYPTED;
	if (hs->tls13 ? hs->finished[0] && hs->finished[1] : hs->done)
		return OUTCOME_COMPLETED;
	/* with one direction missing, an unfinished handshake proves nothing */
	if (hs->closed && !hs->one_sided)
		return OUTCOME_ABORTED;
	return OUTCOME_INCOMPLETE;
}

static void finish(struct session *s, const struct flow_view *f)
{
	struct handshake *hs = s->hs;
	if (s->client_dir < 0)
		s->client_dir = guess_client_dir(f);
	int cd = s->client_dir;
	hs->client = f->ep[cd];
	hs->server = f->ep[!cd];
	hs->ts = f->first_ts;
	hs->service = service_name(hs->server.port);

	/* from directions to sides */
	for (int d = 0; d < 2; d++) {
		hs->chains[side_of(s, d)] = s->dir[d].chain;
		memset(&s->dir[d].chain, 0, sizeof(s->dir[d].chain));
	}
	bool ccs[2] = {hs->ccs[0], hs->ccs[1]},
	     fin[2] = {hs->finished[0], hs->finished[1]};
	struct encrypted_trace enc[2] = {hs->enc[0], hs->enc[1]};
	for (int d = 0; d < 2; d++) {
		hs->ccs[side_of(s, d)] = ccs[d];
		hs->finished[side_of(s, d)] = fin[d];
		hs->enc[side_of(s, d)] = enc[d];
	}
	for (size_t i = 0; i < hs->n_alerts; i++)
		hs->alerts[i].from = side_of(s, hs->alerts[i].from);
	if (hs->last_msg_side >= 0)
		hs->last_msg_side = side_of(s, hs->last_msg_side);
	if (hs->cert_flight_side >= 0)
		hs->cert_flight_side = side_of(s, hs->cert_flight_side);
	if (hs->gap)
		hs->gap_side = side_of(s, hs->gap_side);

	hs->one_sided = f->packets[0] == 0 || f->packets[1] == 0;
	if (hs->one_sided)
		hs->seen_side = side_of(s, f->packets[0] ? 0 : 1);
	hs->reset = f->rst[0] || f->rst[1];
	hs->closed = hs->reset || f->fin[0] || f->fin[1];
	if (hs->closed) {
		struct timeval t[2];
		bool c[2];
		for (int d = 0; d < 2; d++) {
			c[d] = f->fin[d] || f->rst[d];
			t[d] = f->fin[d] ? f->fin_ts[d] : f->rst_ts[d];
			if (f->fin[d] && f->rst[d] && timercmp(&f->rst_ts[d], &t[d], <))
				t[d] = f->rst_ts[d];
		}
		int first = !c[0] ? 1 : !c[1] ? 0 : timercmp(&t[1], &t[0], <) ? 1 : 0;
		hs->closed_by = side_of(s, first);
	}
	/* a side whose handshake secret the key log lacks, but that sent no
	 * encrypted record, hid nothing: everything encrypted was read (a
	 * client that refused the server's certificate in the clear) */
	if ((hs->decryption == DECRYPT_NO_CLIENT_SECRET &&
	     !hs->enc[SIDE_CLIENT].records && hs->enc[SIDE_SERVER].records) ||
	    (hs->decryption == DECRYPT_NO_SERVER_SECRET &&
	     !hs->enc[SIDE_SERVER].records && hs->enc[SIDE_CLIENT].records))
		hs->decryption = DECRYPT_OK;
	hs->outcome = decide_outcome(hs);
	for (int d = 0; d < 2; d++) {
		s->d->stats.certs_dropped += hs->chains[side_of(s, d)].dropped;
		s->d->stats.certs_oversized += hs->chains[side_of(s, d)].oversized;
	}
}

static void on_close(void *app, const struct flow_view *f, enum close_reason why)
{
	struct session *s = app;
	(void)why;
	if (!s)
		return;
	struct dissector *d = s->d;
	if (s->hs->had_handshake) {
		finish(s, f);
		diagnose(s->hs, d->cfg, d->trust, d->cache);
		for (size_t i = 0; i < s->hs->n_diags; i++) {
			if (s->hs->diags[i].severity == SEV_ERROR)
				d->stats.errors++;
			else if (s->hs->diags[i].severity == SEV_WARNING)
				d->stats.warnings++;
		}
		d->stats.handshakes++;
		d->emit(d->ctx, s->hs);
	}
	dir_state_fini(s, 0);
	dir_state_fini(s, 1);
	handshake_free(s->hs);
	free(s);
}

static const struct stream_ops ops = {
    .open = on_open,
    .data = on_data,
    .gap = on_gap,
    .close = on_close,
};

const struct stream_ops *dissector_ops(void)
{
	return &ops;
}

struct dissector *dissector_new(const struct config *cfg, const struct trust_set *trust,
                                handshake_emit emit, void *ctx)
{
	struct dissector *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->cfg = cfg;
	d->trust = trust;
	d->emit = emit;
	d->ctx = ctx;
	d->cache = cache_new();
	return d;
}

void dissector_free(struct dissector *d)
{
	if (!d)
		return;
	cache_free(d->cache);
	free(d);
}

void dissector_set_keylog(struct dissector *d, const struct keylog *kl)
{
	d->keylog = kl;
}

struct dissect_stats *dissector_stats(struct dissector *d)
{
	return &d->stats;
}

/* ---- struct handshake --------------------------------------------------- */

int string_list_add(struct string_list *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	l->v = v;
	v[l->n] = strdup(s);
	if (!v[l->n])
		return -1;
	l->n++;
	return 0;
}

void string_list_fini(struct string_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void handshake_free(struct handshake *hs)
{
	if (!hs)
		return;
	free(hs->sni);
	string_list_fini(&hs->offered_versions);
	string_list_fini(&hs->alpn);
	for (int side = 0; side < 2; side++) {
		for (size_t i = 0; i < hs->chains[side].n; i++)
			cert_free(hs->chains[side].certs[i]);
		free(hs->chains[side].certs);
	}
	string_list_fini(&hs->ca_names);
	sk_X509_NAME_pop_free(hs->ca_names_der, X509_NAME_free);
	free(hs->alerts);
	chain_check_free(hs->check[0]);
	chain_check_free(hs->check[1]);
	for (size_t i = 0; i < hs->n_diags; i++) {
		free(hs->diags[i].name);
		free(hs->diags[i].message);
		free(hs->diags[i].advice);
	}
	free(hs->diags);
	free(hs);
}

const char *outcome_name(enum outcome o)
{
	switch (o) {
	case OUTCOME_COMPLETED:
		return "completed";
	case OUTCOME_ALERT:
		return "alert";
	case OUTCOME_ABORTED:
		return "aborted";
	case OUTCOME_ENCRYPTED:
		return "encrypted";
	default:
		return "incomplete";
	}
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}
