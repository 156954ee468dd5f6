/* tls.c: struct handshake's own helpers (tls.h). */
#include "tls.h"

#include <stdlib.h>
#include <string.h>

/* ---- struct handshake --------------------------------------------------- */

void handshake_free(struct handshake *hs)
{
	handshake_fini(hs);
	free(hs);
}

void handshake_fini(struct handshake *hs)
{
	if (!hs)
		return;
	free(hs->sni);
	string_list_fini(&hs->offered_versions);
	string_list_fini(&hs->alpn);
	for (int side = 0; side < 2; side++)
		wire_chain_fini(&hs->chains[side]);
	blob_list_fini(&hs->ca_names);
	free(hs->alerts);
	free(hs->anomalies);
	ladder_fini(&hs->ladder);
}

void ladder_add(struct ladder *l, struct step st)
{
	struct step *last = l->n ? &l->v[l->n - 1] : NULL;
	if (last && st.kind == STEP_ENCRYPTED && last->kind == STEP_ENCRYPTED &&
	    last->side == st.side && last->type == st.type) {
		if (last->count < UINT16_MAX)
			last->count++;
		return;
	}
	/* the last slot is kept for what ended the handshake */
	bool final = st.kind == STEP_ALERT || st.kind == STEP_CLOSE;
	if (l->n >= HANDSHAKE_MAX_STEPS - 1 && !final) {
		l->dropped++;
		return;
	}
	if (l->n >= HANDSHAKE_MAX_STEPS) {
		struct step *t = &l->v[l->n - 1];
		l->dropped++;
		if (!(t->kind == STEP_ALERT && t->level == 2))
			*t = st; /* a fatal alert there stays: it is the refusal */
		return;
	}
	if (l->n == l->cap) {
		uint8_t cap = l->cap ? (uint8_t)(l->cap * 2) : 8;
		if (cap > HANDSHAKE_MAX_STEPS)
			cap = HANDSHAKE_MAX_STEPS;
		struct step *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->dropped++;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = st;
}

void ladder_copy(struct ladder *dst, const struct ladder *src)
{
	*dst = (struct ladder){0};
	if (!src->n || !(dst->v = malloc(src->n * sizeof(*dst->v))))
		return;
	memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	dst->n = dst->cap = src->n;
	dst->dropped = src->dropped;
	dst->base = src->base;
}

void ladder_trim(struct ladder *l)
{
	if (l->n == 0 || l->n == l->cap)
		return;
	struct step *v = realloc(l->v, l->n * sizeof(*v));
	if (v) {
		l->v = v;
		l->cap = l->n;
	}
}

void ladder_fini(struct ladder *l)
{
	free(l->v);
	*l = (struct ladder){0};
}

void wire_chain_fini(struct wire_chain *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		der_blob_unref(ch->certs[i].blob);
	free(ch->certs);
	memset(ch, 0, sizeof(*ch));
}

bool handshake_fatal_alert(const struct handshake *hs)
{
	for (size_t i = 0; i < hs->n_alerts; i++)
		if (hs->alerts[i].level == 2)
			return true;
	return false;
}

void handshake_anomaly(struct handshake *hs, int side, enum anomaly_kind kind,
                       bool message, uint8_t msg_type)
{
	/* the same fault repeated (a peer sending garbage all along) is one */
	for (size_t i = 0; i < hs->n_anomalies; i++) {
		const struct anomaly *a = &hs->anomalies[i];
		if (a->side == side && a->kind == kind && a->message == message &&
		    a->msg_type == msg_type)
			return;
	}
	if (hs->n_anomalies >= HANDSHAKE_MAX_ANOMALIES ||
	    (!hs->anomalies && !(hs->anomalies = malloc(HANDSHAKE_MAX_ANOMALIES *
	                                                sizeof(*hs->anomalies))))) {
		if (hs->anomalies_dropped < UINT32_MAX)
			hs->anomalies_dropped++;
		return;
	}
	hs->anomalies[hs->n_anomalies++] =
	    (struct anomaly){(uint8_t)kind, msg_type, message, side};
}

int blob_list_add(struct blob_list *l, const uint8_t *p, size_t n)
{
	struct blob *v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	l->v = v;
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy)
		return -1;
	memcpy(copy, p, n);
	l->v[l->n++] = (struct blob){copy, n};
	return 0;
}

void blob_list_fini(struct blob_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].p);
	free(l->v);
	l->v = NULL;
	l->n = 0;
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
