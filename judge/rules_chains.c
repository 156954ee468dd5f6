/* rules_chains.c: each presented chain built and verified against the
 * store of the device that validates it, and what that verification found:
 * a missing issuer, an untrusted root, a self-signed leaf, an expired or
 * not yet valid anchor, two anchors with one subject. */
#include "rules.h"

#include "sites.h"

#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static X509 *completed_at(const struct chain_check *cc, int depth)
{
	return depth >= 0 && depth < sk_X509_num(cc->completed)
	           ? sk_X509_value(cc->completed, depth)
	           : NULL;
}

/* The authority key identifier of x, as " (key id ab:cd:...)", or "". */
static void aki_text(X509 *x, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const ASN1_OCTET_STRING *id = X509_get0_authority_key_id(x);
	buf[0] = '\0';
	if (!id)
		return;
	size_t o = (size_t)snprintf(buf, len, ", key id ");
	const unsigned char *d = ASN1_STRING_get0_data(id);
	for (int i = 0; i < ASN1_STRING_length(id) && o + 4 < len; i++) {
		if (i)
			buf[o++] = ':';
		buf[o++] = hex[d[i] >> 4];
		buf[o++] = hex[d[i] & 15];
	}
	buf[o] = '\0';
}

/* What one error of the chain's verification says. */
/* The phone judging TVS (and any validator that trusts through an ITL): the
 * advice is about its trust list, not an upload. */
static bool itl_validator(const struct judging *j, int side)
{
	const struct site *s = site_for(j->hs->server.port);
	return s && s->client_itl && side == SIDE_SERVER;
}

/* What the store says of a chain the validator accepted anyway: the store
 * given is not the one the validator judges with (CONTRACT.md, "Judgement
 * rules": a completed handshake carries no error from a store's verdict). */
static void store_mismatch(struct judging *j, int side, enum diag_code code,
                           const char *sha256, struct vars *vs)
{
	enum phrase says = code == DIAG_ISSUER_NOT_FOUND   ? PH_STORE_SAYS_ISSUER
	                   : code == DIAG_UNTRUSTED_ROOT   ? PH_STORE_SAYS_ROOT
	                   : code == DIAG_SELF_SIGNED_LEAF ? PH_STORE_SAYS_SELF_SIGNED
	                   : code == DIAG_EXPIRED          ? PH_STORE_SAYS_EXPIRED
	                                                   : PH_STORE_SAYS_NOTYET;
	char *text = render(phrase(says), vs);
	var_set(vs, "store_says", text ? text : "");
	var_set(vs, "mismatch_message", phrase(PH_MISMATCH_COMPLETED));
	var_set(vs, "mismatch_advice",
	        phrase(itl_validator(j, side) ? PH_MISMATCH_ITL_ADVICE
	                                      : PH_MISMATCH_COMPLETED_ADVICE));
	/* the device went on: a warning about the store, not about it */
	diag_add(j->v, side, DIAG_TRUST_STORE_MISMATCH, NULL, SEV_WARNING, sha256, vs);
	free(text);
}

/* The CA above depth whose name constraints the certificate at depth
 * breaks: the nearest that has the extension. */
static const struct chain_link *constrainer(const struct chain_check *cc, int depth)
{
	for (int d = depth + 1; d < sk_X509_num(cc->completed); d++)
		if (X509_get_ext_by_NID(completed_at(cc, d), NID_name_constraints, -1) >=
		    0)
			return chain_link_at(cc, d);
	return NULL;
}

/* Which RFC 5280 rule on issuers an error of the chain's verification
 * breaks: the message and advice of its invalid-issuer, or false when the
 * error is none of those rules. */
static bool issuer_rule(const struct chain_check *cc, const struct chain_error *e,
                        enum phrase *msg, enum phrase *advice)
{
	X509 *x = completed_at(cc, e->depth);
	uint32_t flags = X509_get_extension_flags(x);
	*advice = PH_INVALID_ADVICE_CA;
	switch (e->code) {
	case X509_V_ERR_INVALID_CA:
	case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
		*msg = !(flags & EXFLAG_BCONS) ? PH_INVALID_NO_BASIC_CONSTRAINTS
		       : !(flags & EXFLAG_CA)  ? PH_INVALID_CA_FALSE
		                               : PH_INVALID_NO_CERTSIGN;
		return e->depth > 0; /* a CA's, as OpenSSL reports them */
	case X509_V_ERR_PATH_LENGTH_EXCEEDED:
		*msg = PH_INVALID_PATH_LENGTH;
		*advice = PH_INVALID_ADVICE_PATH_LENGTH;
		return true;
	case X509_V_ERR_PERMITTED_VIOLATION:
	case X509_V_ERR_EXCLUDED_VIOLATION:
	case X509_V_ERR_SUBTREE_MINMAX:
	case X509_V_ERR_UNSUPPORTED_NAME_SYNTAX:
		*msg = PH_INVALID_NAMES;
		*advice = PH_INVALID_ADVICE_NAMES;
		return constrainer(cc, e->depth) != NULL;
	case X509_V_ERR_INVALID_PURPOSE:
		/* a leaf's own purpose is the EKU rules' */
		*msg = PH_INVALID_PURPOSE;
		*advice = PH_INVALID_ADVICE_PURPOSE;
		return e->depth > 0;
	default:
		return false;
	}
}

/* A certificate of the chain that may not issue what it issued (RFC 5280
 * section 6: basic constraints, key usage, path length, name constraints,
 * the purpose): a structural fault no trust store mends, an error even
 * where the peer went on.  One a certificate. */
static void invalid_issuer(struct judging *j, int side, const struct chain_check *cc,
                           const struct chain_error *e, enum phrase msg,
                           enum phrase advice, struct vars *vs)
{
	const struct chain_link *l = chain_link_at(cc, e->depth);
	for (size_t i = 0; i < j->v->n_diags; i++)
		if (j->v->diags[i].code == DIAG_INVALID_ISSUER &&
		    strcmp(j->v->diags[i].cert_sha256, l->sha256) == 0)
			return;
	const struct chain_link *child = chain_link_at(cc, e->depth - 1),
	                        *above = constrainer(cc, e->depth);
	char pathlen[24], below[24];
	snprintf(pathlen, sizeof(pathlen), "%ld",
	         X509_get_pathlen(completed_at(cc, e->depth)));
	/* a path length is exceeded at depth 2 or more: the CAs below it */
	snprintf(below, sizeof(below), "%d", e->depth - 1);
	var_set(vs, "origin",
	        phrase(cc->from_store[e->depth] ? PH_ORIGIN_STORE : PH_ORIGIN_SENT));
	var_set(vs, "child", child ? child->subject : NULL);
	var_set(vs, "constrainer", above ? above->subject : NULL);
	var_set(vs, "why", e->text);
	var_set(vs, "pathlen", pathlen);
	var_set(vs, "below", below);
	var_set(vs, "purpose", side == SIDE_SERVER ? "serverAuth" : "clientAuth");
	var_set(vs, "invalid_message", phrase(msg));
	var_set(vs, "invalid_advice", phrase(advice));
	diag_add(j->v, side, DIAG_INVALID_ISSUER, NULL,
	         diag_severity(DIAG_INVALID_ISSUER), l->sha256, vs);
}

static void chain_error(struct judging *j, int side, const struct chain_check *cc,
                        const struct chain_error *e, struct vars *vs, bool *mismatch_said)
{
	char aki[128], date[32];
	X509 *x = completed_at(cc, e->depth);
	const struct chain_link *l = chain_link_at(cc, e->depth);
	if (!x || !l)
		return;
	bool from_store = cc->from_store[e->depth];
	var_set(vs, "subject", l->subject);
	var_set(vs, "issuer", l->issuer);
	var_set(vs, "sha256", l->sha256);
	enum phrase msg, advice;
	if (issuer_rule(cc, e, &msg, &advice)) {
		invalid_issuer(j, side, cc, e, msg, advice, vs);
		return;
	}
	enum diag_code code;
	switch (e->code) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		aki_text(x, aki, sizeof(aki));
		var_set(vs, "aki", aki);
		/* a leaf's missing issuer is an intermediate its owner should send */
		var_set(vs, "issuer_advice",
		        phrase(!from_store && e->depth == 0 && !X509_check_ca(x)
		                   ? PH_ADVICE_SEND_INTERMEDIATE
		                   : PH_ADVICE_UPLOAD_ISSUER));
		code = DIAG_ISSUER_NOT_FOUND;
		break;
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		code = DIAG_UNTRUSTED_ROOT;
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		code = DIAG_SELF_SIGNED_LEAF;
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID: {
		/* certificates that came off the wire were judged already */
		if (!from_store)
			return;
		bool expired = e->code == X509_V_ERR_CERT_HAS_EXPIRED;
		time_t t = 0;
		asn1_time(expired ? X509_get0_notAfter(x) : X509_get0_notBefore(x), &t);
		time_format(t, date, sizeof(date));
		var_set(vs, "date", date);
		var_set(vs, "origin", phrase(PH_ORIGIN_STORE));
		var_set(vs, "expired_advice", phrase(PH_ADVICE_RENEW_ANCHOR));
		var_set(vs, "notyet_advice", phrase(PH_ADVICE_NOTYET_ANCHOR));
		code = expired ? DIAG_EXPIRED : DIAG_NOT_YET_VALID;
		break;
	}
	default:
		return;
	}
	bool accepted = j->hs->outcome == OUTCOME_COMPLETED;
	if (accepted && j->cfg->n_trust) {
		if (!*mismatch_said)
			store_mismatch(j, side, code, l->sha256, vs);
		*mismatch_said = true;
		return;
	} /* the system's store judges for information only (UC devices keep their
	   * own lists): at most a warning, and none where the device went on */
	enum severity sev = diag_severity(code);
	if (!j->cfg->n_trust)
		sev = accepted ? SEV_INFO : SEV_WARNING;
	size_t n = j->v->n_diags;
	diag_add(j->v, side, code, NULL, sev, l->sha256, vs);
	/* a leaf sent without its intermediate: the sender's to fix */
	if (j->v->n_diags > n && code == DIAG_ISSUER_NOT_FOUND && !from_store &&
	    e->depth == 0 && !X509_check_ca(x))
		j->v->diags[n].fixer = FIX_OWNER;
	if (itl_validator(j, side) && j->v->n_diags > n && code != DIAG_EXPIRED &&
	    code != DIAG_NOT_YET_VALID) {
		/* a phone is not uploaded to: its ITL is reset */
		char *itl = render(phrase(PH_ADVICE_ITL), vs);
		if (itl) {
			free(j->v->diags[n].advice);
			j->v->diags[n].advice = itl;
		}
	}
}

/* A CA of this chain whose subject two certificates of the store share: the
 * device looks anchors up by subject. */
static void duplicate_subjects(struct judging *j, int side, const struct chain_check *cc)
{
	for (int d = 0; d < sk_X509_num(cc->completed); d++) {
		X509 *x = completed_at(cc, d);
		/* the system's findings are worked out only where one may apply */
		const struct store_finding *fs = NULL;
		size_t nf = x && trust_store_subject_shared(cc->store, x)
		                ? trust_store_findings(cc->store, &fs)
		                : 0;
		for (size_t k = 0; k < nf; k++) {
			const struct store_finding *f = &fs[k];
			if (f->kind != STORE_DUPLICATE_SUBJECT ||
			    X509_NAME_cmp(X509_get_subject_name(f->cert),
			                  X509_get_subject_name(x)))
				continue;
			const struct chain_link *l = chain_link_at(cc, d);
			struct vars vs = {0};
			var_set(&vs, "store", cc->store->label);
			var_set(&vs, "store_name",
			        store_name(j->hs->server.port, validator_of(side)));
			var_set(&vs, "peer", side_word(!side));
			var_set(&vs, "subject", l ? l->subject : NULL);
			var_set(&vs, "sha256", f->other_sha256);
			var_set(&vs, "other_sha256", f->sha256);
			diag_add(j->v, side, DIAG_TRUST_STORE_DUPLICATE_SUBJECT, NULL,
			         diag_severity(DIAG_TRUST_STORE_DUPLICATE_SUBJECT),
			         l ? l->sha256 : "", &vs);
			break;
		}
	}
}

void rules_trust_side(struct judging *j, int side)
{
	const struct chain_check *cc = j->v->check[side];
	char addr[64], peer_addr[64], when[32];
	side_addr(j, side, addr, sizeof(addr));
	side_addr(j, !side, peer_addr, sizeof(peer_addr));
	time_format(cc->at, when, sizeof(when));
	bool mismatch_said = false;
	for (size_t i = 0; i < cc->n_errors; i++) {
		struct vars vs = {0};
		var_set(&vs, "side", side_word(side));
		var_set(&vs, "peer", side_word(!side));
		var_set(&vs, "addr", addr);
		var_set(&vs, "peer_addr", peer_addr);
		var_set(&vs, "store", cc->store->label);
		var_set(&vs, "store_name",
		        store_name(j->hs->server.port, validator_of(side)));
		var_set(&vs, "when", when);
		chain_error(j, side, cc, &cc->errors[i], &vs, &mismatch_said);
	}
	duplicate_subjects(j, side, cc);
}

void rules_check_chains(struct judging *j)
{
	for (int side = SIDE_SERVER; side >= SIDE_CLIENT && j->trust; side--) {
		/* the device that validates, on this service: a store bound to
		 * ADDR:PORT judges connections to server port PORT, whichever
		 * side ADDR is (CUCM's CallManager-trust on 5061, its own LDAPS
		 * client connections to 636) */
		struct endpoint validator =
		    side == SIDE_SERVER ? j->hs->client : j->hs->server;
		validator.port = j->hs->server.port;
		struct trust_store *store = trust_for(j->trust, &validator);
		int purpose = side == SIDE_SERVER ? X509_PURPOSE_SSL_SERVER
		                                  : X509_PURPOSE_SSL_CLIENT;
		j->v->check[side] = cache_chain_check(
		    j->cache, store, &j->v->chains[side], purpose, j->at, j->today);
		if (!j->v->check[side])
			continue;
		store->uses++;
		j->v->chain_store[side] = store->label;
	}
}
