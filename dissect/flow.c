/* flow.c: the life of one TCP flow from the dissector's side (open, bytes,
 * gaps, close), and the dissector itself: when a flow that carried TLS
 * ends, its directions become client and server, its outcome is decided,
 * and the struct handshake goes to the emit callback.
 */
#include "session.h"

#include <stdlib.h>
#include <string.h>

/* ---- the flow's life ---------------------------------------------------- */

static void *on_open(void *ctx, const struct flow_view *f)
{
	struct dissector *d = ctx;
	struct session *s = slab_zalloc(&d->sessions);
	if (!s)
		return NULL;
	s->hs = slab_zalloc(&d->handshakes);
	s->rd = slab_zalloc(&d->readings);
	if (!s->hs || !s->rd) {
		slab_free(&d->handshakes, s->hs);
		slab_free(&d->readings, s->rd);
		slab_free(&d->sessions, s);
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

static void reading_free(struct session *s)
{
	if (!s->rd)
		return;
	dir_state_fini(s, 0);
	dir_state_fini(s, 1);
	free(s->rd->randoms);
	slab_free(&s->d->readings, s->rd);
	s->rd = NULL;
}

static void session_free(struct session *s)
{
	reading_free(s);
	handshake_fini(s->hs);
	slab_free(&s->d->handshakes, s->hs);
	slab_free(&s->d->sessions, s);
}

/* No more bytes of the flow are read.  What the close can still add (who
 * closed, how, when) is kept with the handshake; the reading state goes,
 * and a flow that carried nothing to report goes whole: the reassembler
 * forgets it. */
static enum stream_verdict stop_reading(struct session *s)
{
	if (!s->hs->had_handshake) {
		session_free(s);
		return STREAM_FORGET;
	}
	reading_free(s);
	ladder_trim(&s->hs->ladder);
	return STREAM_DONE;
}

static enum stream_verdict on_data(void *app, int dir, const uint8_t *p, size_t n,
                                   const struct timeval *ts)
{
	struct session *s = app;
	if (!s || !s->rd)
		return STREAM_DONE;
	struct dir_state *ds = &s->rd->dir[dir];
	if (ds->not_tls)
		return s->hs->had_records ? STREAM_MORE : stop_reading(s);
	record_feed(s, dir, p, n, ts);
	if (s->hs->done)
		return stop_reading(s);
	if (ds->not_tls) {
		dir_state_release(s, dir);
		if (!s->hs->had_records)
			return stop_reading(s);
	}
	return STREAM_MORE;
}

static void on_gap(void *app, int dir, uint64_t bytes, const struct timeval *ts)
{
	struct session *s = app;
	(void)bytes;
	(void)ts;
	if (!s || !s->rd)
		return;
	/* a gap before any record says nothing about TLS */
	if (s->hs->had_records && !s->hs->done && !s->hs->after_handshake &&
	    !s->hs->gap) {
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
	if (handshake_fatal_alert(hs))
		return OUTCOME_ALERT;
	if ((hs->tls13 && hs->decryption != DECRYPT_OK) || hs->sslv2_server_hello)
		return OUTCOME_ENCRYPTED;
	if (hs->tls13 ? hs->finished[0] && hs->finished[1] : hs->ccs[0] && hs->ccs[1])
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

	/* from directions to sides */
	if (side_of(s, 0) != 0) {
		struct wire_chain c = hs->chains[0];
		hs->chains[0] = hs->chains[1];
		hs->chains[1] = c;
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
	for (size_t i = 0; i < hs->ladder.n; i++)
		hs->ladder.v[i].side = (int8_t)side_of(s, hs->ladder.v[i].side);
	if (hs->last_msg_side >= 0)
		hs->last_msg_side = side_of(s, hs->last_msg_side);
	if (hs->cert_flight_side >= 0)
		hs->cert_flight_side = side_of(s, hs->cert_flight_side);
	if (hs->gap)
		hs->gap_side = side_of(s, hs->gap_side);
	for (size_t i = 0; i < hs->n_anomalies; i++)
		hs->anomalies[i].side = side_of(s, hs->anomalies[i].side);
	uint64_t cert_frame[2] = {hs->frames.certificate[0], hs->frames.certificate[1]};
	for (int d = 0; d < 2; d++)
		hs->frames.certificate[side_of(s, d)] = cert_frame[d];
	hs->frames.first = f->first_frame;

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
		bool rst =
		    f->rst[first] &&
		    (!f->fin[first] || timercmp(&f->rst_ts[first], &f->fin_ts[first], <));
		struct step st = {.kind = STEP_CLOSE,
		                  .type = rst,
		                  .side = (int8_t)hs->closed_by,
		                  .usec = step_usec(&t[first], &f->first_ts)};
		ladder_add(&hs->ladder, st); /* no frame: the reassembler keeps none */
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
	for (int d = 0; d < 2; d++)
		s->d->stats.certs_dropped += hs->chains[d].dropped;
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
		d->stats.handshakes++;
		d->emit(d->ctx, s->hs);
	}
	session_free(s);
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

struct dissector *dissector_new(const struct config *cfg, handshake_emit emit, void *ctx)
{
	struct dissector *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->cfg = cfg;
	d->emit = emit;
	d->ctx = ctx;
	d->pool = der_pool_new();
	slab_init(&d->sessions, sizeof(struct session));
	slab_init(&d->handshakes, sizeof(struct handshake));
	slab_init(&d->readings, sizeof(struct reading));
	return d;
}

void dissector_free(struct dissector *d)
{
	if (!d)
		return;
	der_pool_free(d->pool);
	slab_fini(&d->sessions);
	slab_fini(&d->handshakes);
	slab_fini(&d->readings);
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
