/* rules_alerts.c: each alert and who sent it, explained by what the trust
 * store given for the sender says of the chain it refused; and a store
 * given for a side that contradicts what that side did (trust-store-mismatch). */
#include "rules.h"

#include "../dissect/names.h"
#include "sites.h"

#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct attribution {
	const char *sentence; /* a template */
	bool verifies;
	const char *store, *store_name;
	char *anchor, *missing;
	char anchor_sha[65];
	const char *reason;
	char *reason_text; /* reason, when it is the security level's */
};

static void attribution_fini(struct attribution *a)
{
	free(a->anchor);
	free(a->missing);
	free(a->reason_text);
}

/* What the store given for the side that refused with alert says of the
 * chain of side `chain_side`.  A store that accepts the chain holds its
 * root: it is said to lack it only where it is the system's, not the
 * sender's own, and only for an alert that says "no CA of mine". */
static void attribute(const struct judging *j, int chain_side, uint8_t alert,
                      struct attribution *at)
{
	const struct chain_check *cc = j->v->check[chain_side];
	int depth;
	if (!cc)
		return;
	at->store = cc->store->label;
	at->store_name = store_name(j->hs->server.port, validator_of(chain_side));
	const struct chain_link *top = chain_link_at(cc, chain_check_length(cc) - 1);
	if (top) {
		at->anchor = top->subject ? strdup(top->subject) : NULL;
		memcpy(at->anchor_sha, top->sha256, sizeof(at->anchor_sha));
	}
	if (cc->verified) {
		at->verifies = true;
		at->sentence =
		    phrase(alert != 48 && alert != 46 ? PH_ATTRIBUTION_NOT_STORE
		           : j->cfg->n_trust          ? PH_ATTRIBUTION_HOLDS
		                                      : PH_ATTRIBUTION_VERIFIES);
	} else if (chain_check_has(cc, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	                           &depth) ||
	           chain_check_has(cc, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, &depth)) {
		const struct chain_link *x = chain_link_at(cc, depth);
		at->missing = x && x->issuer ? strdup(x->issuer) : NULL;
		at->sentence = phrase(PH_ATTRIBUTION_ISSUER);
	} else if (chain_check_has(cc, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, NULL) ||
	           chain_check_has(cc, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, NULL)) {
		at->sentence = phrase(PH_ATTRIBUTION_ROOT);
	} else {
		at->reason = cc->errors[0].text;
		if (chain_error_is_level(cc->errors[0].code)) {
			char level[8];
			struct vars vs = {0};
			snprintf(level, sizeof(level), "%d", CHAIN_SECURITY_LEVEL);
			var_set(&vs, "why", at->reason);
			var_set(&vs, "level", level);
			at->reason_text = render(phrase(PH_LEVEL_REASON), &vs);
			if (at->reason_text)
				at->reason = at->reason_text;
		}
		at->sentence = phrase(PH_ATTRIBUTION_OTHER);
	}
}

/* A cause that a store's verdict makes: a CA missing, or one of the
 * store's own anchors out of its validity (a certificate that was not
 * sent). */
static bool store_cause(const struct judging *j, const struct diagnosis *d)
{
	if (d->code == DIAG_ISSUER_NOT_FOUND || d->code == DIAG_UNTRUSTED_ROOT ||
	    d->code == DIAG_SELF_SIGNED_LEAF || d->code == DIAG_CLIENT_CA_NOT_ACCEPTED)
		return true;
	if (d->code != DIAG_EXPIRED && d->code != DIAG_NOT_YET_VALID)
		return false;
	const struct chain *ch = &j->v->chains[d->side];
	for (size_t i = 0; i < ch->n; i++)
		if (strcmp(ch->certs[i]->sha256, d->cert_sha256) == 0)
			return false;
	return true;
}

/* Why the receiver's chain was refused with alert a, from what the chain
 * shows first: a finding that explains it (no store blamed), else what the
 * store given for the sender says.  The alert's meaning and advice follow
 * that, not one stack's reading of the code: GnuTLS answers an issuer it
 * cannot find with bad_certificate (a server also with access_denied),
 * OpenSSL a broken name constraint with certificate_unknown. */
static void explain(const struct judging *j, const struct alert_event *a, int recv,
                    const char *ca_advice, struct vars *vs, struct attribution *at)
{
	size_t why = strongest_cause(j->v, recv, a->code);
	const struct diagnosis *cause = why == SIZE_MAX ? NULL : &j->v->diags[why];
	bool refusal = alert_is_certificate(a->code);
	bool stack_words = a->code == 42 || a->code == 46 || a->code == 49;
	if (refusal && (!cause || store_cause(j, cause))) {
		attribute(j, recv, a->code, at);
		if (cause && (a->code == 42 || a->code == 49)) {
			var_replace(vs, "meaning", phrase(PH_MEANING_REFUSED));
			var_replace(vs, "alert_advice", ca_advice);
		}
	} else if (cause) {
		at->sentence = phrase(PH_ATTRIBUTION_EXPLAINED);
		var_set(vs, "cause", cause->name);
		if (stack_words)
			var_replace(vs, "meaning", phrase(PH_MEANING_REFUSED));
		if (refusal && (stack_words || a->code == 48))
			var_replace(vs, "alert_advice", phrase(PH_ADVICE_EXPLAINED));
		else if (a->code == 40 || a->code == 116)
			var_replace(vs, "alert_advice", phrase(PH_ADVICE_FOLLOW));
	}
}

/* The subject of the root side sent last (a self-signed certificate), or
 * NULL. */
static const char *sent_root(const struct judging *j, int side)
{
	const struct chain *ch = &j->v->chains[side];
	const struct cert *top = ch->n ? ch->certs[ch->n - 1] : NULL;
	return top && top->x509 && top->self_signed ? subject_of(top) : NULL;
}

void rules_alerts(struct judging *j)
{
	for (size_t i = 0; i < j->hs->n_alerts; i++) {
		const struct alert_event *a = &j->hs->alerts[i];
		if (a->code == 0)
			continue; /* close_notify ends a connection normally */
		int recv = !a->from;
		char sender_addr[64], receiver_addr[64], client_addr[64], codebuf[32];
		side_addr(j, a->from, sender_addr, sizeof(sender_addr));
		side_addr(j, recv, receiver_addr, sizeof(receiver_addr));
		side_addr(j, SIDE_CLIENT, client_addr, sizeof(client_addr));
		const char *name = alert_name(a->code);
		if (!name) {
			snprintf(codebuf, sizeof(codebuf), "unknown-%u", a->code);
			name = codebuf;
		}
		const struct cert *refused = leaf(j, recv);
		char meaning[512];
		snprintf(meaning, sizeof(meaning), "%s", alert_meaning(a->code));
		struct vars vs = {0};
		var_set(&vs, "sender", side_word(a->from));
		var_set(&vs, "receiver", side_word(recv));
		var_set(&vs, "level", a->level == 2 ? "fatal" : "warning");
		var_set(&vs, "alert", name);
		var_set(&vs, "meaning", meaning);
		var_set(&vs, "sender_addr", sender_addr);
		var_set(&vs, "receiver_addr", receiver_addr);
		var_set(&vs, "client_addr", client_addr);
		var_set(&vs, "receiver_subject", subject_of(refused));
		const char *root = sent_root(j, recv);
		var_set(&vs, "sent_root", root);
		bool more = j->v->chains[recv].n > 1;
		var_set(&vs, "alert_advice",
		        alert_advice(a->code, refused != NULL, more, root != NULL));
		struct attribution at = {0};
		explain(j, a, recv, alert_advice(48, refused != NULL, more, root != NULL),
		        &vs, &at);
		var_set(&vs, "attribution", at.sentence ? at.sentence : "");
		var_set(&vs, "store", at.store);
		var_set(&vs, "store_name",
		        at.store_name ? at.store_name
		                      : store_name(j->hs->server.port, a->from));
		var_set(&vs, "peer", side_word(a->from));
		var_set(&vs, "anchor", at.anchor);
		var_set(&vs, "anchor_sha256", at.anchor_sha);
		var_set(&vs, "missing", at.missing);
		var_set(&vs, "reason", at.reason);
		if (at.verifies && (a->code == 48 || a->code == 46))
			var_replace(&vs, "alert_advice",
			            phrase(j->cfg->n_trust ? PH_ADVICE_STORE_HOLDS
			                                   : PH_ADVICE_UPLOAD_ANCHOR));
		enum severity sev = a->level == 2 ? SEV_ERROR : SEV_WARNING;
		struct verdict *v = j->v;
		size_t n = v->n_diags;
		diag_add(v, recv, DIAG_ALERT, name, sev,
		         alert_is_certificate(a->code) && refused ? refused->sha256
		                                                  : NULL,
		         &vs);
		if (v->n_diags > n)
			v->diags[n].alert_code = a->code;
		attribution_fini(&at);
	}
}

static bool chain_explained(const struct judging *j, int side)
{
	const struct chain *ch = &j->v->chains[side];
	for (size_t i = 0; i < j->v->n_diags; i++) {
		const struct diagnosis *d = &j->v->diags[i];
		bool on_chain = false;
		for (size_t k = 0; k < ch->n; k++)
			on_chain =
			    on_chain || strcmp(d->cert_sha256, ch->certs[k]->sha256) == 0;
		if (!on_chain)
			continue;
		switch (d->code) {
		case DIAG_EXPIRED:
		case DIAG_NOT_YET_VALID:
		case DIAG_EKU_MISSING_CLIENT_AUTH:
		case DIAG_EKU_MISSING_SERVER_AUTH:
		case DIAG_NAME_MISMATCH:
			return true;
		default:
			break;
		}
	}
	return false;
}

/* A side refused a chain that the store given for it accepts. */
void rules_store_mismatch(struct judging *j)
{
	if (!j->cfg->n_trust)
		return; /* only a store the user gave can be the wrong one */
	for (size_t i = 0; i < j->hs->n_alerts; i++) {
		const struct alert_event *a = &j->hs->alerts[i];
		int chain_side = !a->from;
		if ((a->code != 48 && a->code != 46) || !j->v->check[chain_side] ||
		    !j->v->check[chain_side]->verified || chain_explained(j, chain_side))
			continue;
		struct attribution at = {0};
		char sender_addr[64];
		attribute(j, chain_side, a->code, &at);
		side_addr(j, a->from, sender_addr, sizeof(sender_addr));
		struct vars vs = {0};
		var_set(&vs, "sender", side_word(a->from));
		var_set(&vs, "sender_addr", sender_addr);
		var_set(&vs, "side", side_word(chain_side));
		var_set(&vs, "peer", side_word(a->from));
		var_set(&vs, "alert", alert_name(a->code));
		var_set(&vs, "store", at.store);
		var_set(&vs, "store_name",
		        at.store_name ? at.store_name
		                      : store_name(j->hs->server.port, a->from));
		var_set(&vs, "peer", side_word(a->from));
		var_set(&vs, "anchor", at.anchor);
		var_set(&vs, "anchor_sha256", at.anchor_sha);
		var_set(&vs, "mismatch_message", phrase(PH_MISMATCH_REFUSED));
		var_set(&vs, "mismatch_advice", phrase(PH_MISMATCH_REFUSED_ADVICE));
		const struct cert *refused = leaf(j, chain_side);
		diag_add(j->v, chain_side, DIAG_TRUST_STORE_MISMATCH, NULL,
		         diag_severity(DIAG_TRUST_STORE_MISMATCH),
		         refused ? refused->sha256 : NULL, &vs);
		attribution_fini(&at);
		return;
	}
}
