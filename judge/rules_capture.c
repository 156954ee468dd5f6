/* rules_capture.c: the rules of the handshake as a whole: a client
 * certificate asked for and not sent or not from a listed CA, a silent close
 * after a certificate, TLS 1.3 without keys, and what the capture could not
 * show or parse. */
#include "rules.h"

#include "../dissect/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool chain_has_ca(const struct judging *j, const struct chain *ch)
{
	const STACK_OF(X509_NAME) *names = j->ca_names;
	for (size_t i = 0; i < ch->n; i++) {
		X509 *x = ch->certs[i]->x509;
		if (!x)
			continue;
		for (int k = 0; k < sk_X509_NAME_num(names); k++) {
			const X509_NAME *n = sk_X509_NAME_value(names, k);
			if (X509_NAME_cmp(n, X509_get_subject_name(x)) == 0 ||
			    X509_NAME_cmp(n, X509_get_issuer_name(x)) == 0)
				return true;
		}
	}
	return false;
}

static void client_certificate(struct judging *j)
{
	const struct handshake *hs = j->hs;
	const struct chain *cc = &j->v->chains[SIDE_CLIENT];
	char addr[64];
	struct vars vs = {0};
	side_addr(j, SIDE_CLIENT, addr, sizeof(addr));
	var_set(&vs, "addr", addr);
	if (!hs->certificate_requested)
		return;
	/* the client answers a CertificateRequest in its next flight: only
	 * judge when that flight was seen */
	bool client_flight = cc->seen || hs->ccs[SIDE_CLIENT] ||
	                     (hs->last_msg_side == SIDE_CLIENT && hs->server_hello_seen);
	char cas[512] = "";
	for (size_t i = 0; i < j->v->ca_names.n && strlen(cas) < 400; i++) {
		if (i)
			strncat(cas, "; ", sizeof(cas) - strlen(cas) - 1);
		strncat(cas, j->v->ca_names.v[i], sizeof(cas) - strlen(cas) - 1);
	}
	var_set(&vs, "cas", cas);
	/* a client that has no certificate from a CA the server lists sends
	 * none (JSSE's key manager): the list, not the client, is the lead */
	bool listed = j->v->ca_names.n > 0;
	var_set(&vs, "listed", listed ? phrase(PH_NOCERT_LISTED) : "");
	var_set(&vs, "nocert_advice",
	        phrase(listed ? PH_NOCERT_ADVICE_LISTED : PH_NOCERT_ADVICE));
	if (client_flight && cc->n == 0)
		diag_add(j->v, SIDE_CLIENT, DIAG_NO_CLIENT_CERTIFICATE, NULL,
		         diag_severity(DIAG_NO_CLIENT_CERTIFICATE), NULL, &vs);
	if (cc->n == 0 || !listed || chain_has_ca(j, cc))
		return;
	/* a server that went on anyway did not hold to its own list */
	enum severity sev = hs->outcome == OUTCOME_COMPLETED ? SEV_WARNING : SEV_ERROR;
	diag_add(j->v, SIDE_CLIENT, DIAG_CLIENT_CA_NOT_ACCEPTED, NULL, sev,
	         cc->certs[0]->sha256, &vs);
}

static void silent_close(struct judging *j)
{
	const struct handshake *hs = j->hs;
	if (hs->outcome != OUTCOME_ABORTED || hs->cert_flight_side < 0 ||
	    hs->closed_by < 0 || hs->closed_by == hs->cert_flight_side)
		return;
	int side = hs->cert_flight_side;
	const struct cert *c = leaf(j, side);
	char closer_addr[64];
	side_addr(j, hs->closed_by, closer_addr, sizeof(closer_addr));
	struct vars a = {0};
	var_set(&a, "closer", side_word(hs->closed_by));
	var_set(&a, "closer_addr", closer_addr);
	var_set(&a, "side", side_word(side));
	var_set(&a, "subject", subject_of(c));
	var_set(&a, "how", hs->reset ? "TCP reset" : "TCP FIN");
	diag_add(j->v, side, DIAG_ABORTED_AFTER_CERTIFICATE, NULL,
	         diag_severity(DIAG_ABORTED_AFTER_CERTIFICATE), c ? c->sha256 : NULL, &a);
}

/* RFC 8446 section 5.2: a protected record is its content, a byte of
 * content type, any zeros of padding and the AEAD tag (8 bytes for
 * TLS_AES_128_CCM_8_SHA256, 16 for the others).  An alert's content is 2
 * bytes; the smallest record a side sends in the handshake, its Finished,
 * holds 4 bytes of header and the hash (48 bytes for
 * TLS_AES_256_GCM_SHA384, 32 for the others).  A record from an alert's
 * size up to below that is an alert, however padded (JSSE pads its alerts
 * to 35 bytes); with the suite unknown, the smallest tag and hash. */
static bool alert_sized(const struct handshake *hs, uint32_t len)
{
	uint32_t tag = hs->cipher_known && hs->cipher != 0x1305 ? 16 : 8;
	uint32_t hash = hs->cipher_known && hs->cipher == 0x1302 ? 48 : 32;
	return len >= 2 + 1 + tag && len < 4 + hash + 1 + tag;
}

/* What the sizes and order of encrypted records say; a new string or NULL. */
static char *infer_tls13(const struct judging *j)
{
	const struct handshake *hs = j->hs;
	struct vars vs = {0};
	if (!hs->closed || hs->closed_by < 0)
		return hs->done ? render(phrase(PH_INFERENCE_WENT_ON), &vs) : NULL;
	int a = hs->closed_by, b = !a;
	const struct encrypted_trace *ea = &hs->enc[a], *eb = &hs->enc[b];
	char len[16], ms[24], crec[16], srec[16];
	var_set(&vs, "closer", side_word(a));
	var_set(&vs, "other", side_word(b));
	var_set(&vs, "how", hs->reset ? "TCP reset" : "TCP FIN");
	/* one alert-sized record answering the other side's flight: a client
	 * that sent nothing else, or a server answering the client's
	 * Certificate, CertificateVerify and Finished without application data */
	bool answer = a == SIDE_CLIENT ? ea->records == 1 : eb->records <= 3;
	if (ea->since_other == 1 && alert_sized(hs, ea->last_len) && eb->records &&
	    answer) {
		struct timeval d;
		timersub(&ea->last_ts, &eb->last_ts, &d);
		snprintf(len, sizeof(len), "%u", ea->last_len);
		snprintf(ms, sizeof(ms), "%ld",
		         (long)(d.tv_sec * 1000 + d.tv_usec / 1000));
		var_set(&vs, "len", len);
		var_set(&vs, "ms", ms);
		return render(phrase(PH_INFERENCE_ALERT), &vs);
	}
	snprintf(crec, sizeof(crec), "%u", hs->enc[SIDE_CLIENT].records);
	snprintf(srec, sizeof(srec), "%u", hs->enc[SIDE_SERVER].records);
	var_set(&vs, "client_records", crec);
	var_set(&vs, "server_records", srec);
	return render(phrase(PH_INFERENCE_CLOSE), &vs);
}

static void tls13_hidden(struct judging *j)
{
	if (!j->hs->tls13 || j->hs->decryption == DECRYPT_OK)
		return;
	char *inference = infer_tls13(j);
	struct vars e = {0};
	var_set(&e, "why", decryption_why(j->hs->decryption));
	var_set(&e, "inference", inference ? inference : "");
	diag_add(j->v, -1, DIAG_TLS13_ENCRYPTED_CERTIFICATE, NULL,
	         diag_severity(DIAG_TLS13_ENCRYPTED_CERTIFICATE), NULL, &e);
	free(inference);
}

static void capture_quality(struct judging *j)
{
	const struct handshake *hs = j->hs;
	if (hs->one_sided) {
		struct vars o = {0};
		var_set(&o, "seen", side_word(hs->seen_side));
		var_set(&o, "unseen", side_word(!hs->seen_side));
		diag_add(j->v, -1, DIAG_CAPTURE_ONE_SIDED, NULL,
		         diag_severity(DIAG_CAPTURE_ONE_SIDED), NULL, &o);
	}
	if (hs->gap) {
		struct vars g = {0};
		char captured[16], total[16];
		var_set(&g, "side", side_word(hs->gap_side));
		if (hs->hello_cut_len) {
			snprintf(captured, sizeof(captured), "%u",
			         hs->hello_cut_captured);
			snprintf(total, sizeof(total), "%u", hs->hello_cut_len);
			var_set(&g, "captured", captured);
			var_set(&g, "total", total);
			var_set(&g, "cut", phrase(PH_GAP_HELLO_CUT));
		} else {
			var_set(&g, "cut", "");
		}
		diag_add(j->v, -1, DIAG_CAPTURE_GAP, NULL,
		         diag_severity(DIAG_CAPTURE_GAP), NULL, &g);
	}
}

/* Each anomaly the dissector recorded: which message, what was wrong. */
static void malformed(struct judging *j)
{
	for (size_t i = 0; i < j->hs->n_anomalies; i++) {
		const struct anomaly *a = &j->hs->anomalies[i];
		char what[64], addr[64];
		if (a->message) {
			const char *t = handshake_type_name(a->msg_type);
			if (t)
				snprintf(what, sizeof(what), "%s message", t);
			else
				snprintf(what, sizeof(what),
				         "handshake message of type %u", a->msg_type);
		} else {
			snprintf(what, sizeof(what), "%s",
			         a->kind == ANOMALY_RESYNC ? "record stream"
			                                   : "alert record");
		}
		side_addr(j, a->side, addr, sizeof(addr));
		struct vars vs = {0};
		var_set(&vs, "side", side_word(a->side));
		var_set(&vs, "addr", addr);
		var_set(&vs, "what", what);
		var_set(&vs, "problem",
		        phrase(PH_ANOMALY_SHORT + (a->kind - ANOMALY_SHORT)));
		diag_add(j->v, a->side, DIAG_MALFORMED_HANDSHAKE, NULL,
		         diag_severity(DIAG_MALFORMED_HANDSHAKE), NULL, &vs);
	}
}

void rules_handshake(struct judging *j)
{
	client_certificate(j);
	silent_close(j);
	tls13_hidden(j);
	capture_quality(j);
	malformed(j);
}
