/* diagnose.c: the diagnosis catalogue and the rules that need no trust
 * store: alerts and who sent them, what the capture could not show, and the
 * checks of each presented certificate (DOMAIN.md, "Rules from the field").
 *
 * Templates name their variables in braces: {sender}, {subject}, ...; the
 * renderer fills them from the variables each rule passes.
 */
#include "diagnose.h"

#include "cache.h"
#include "certificate.h"
#include "chain.h"
#include "names.h"
#include "truststore.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct catalogue_entry {
	const char *code;
	enum severity severity;
	const char *message;
	const char *advice;
};

static const struct catalogue_entry catalogue[DIAG_COUNT] = {
    [DIAG_ALERT] = {"alert-", SEV_ERROR,
                    "The {sender} sent a {level} {alert} alert: {meaning}.{attribution}",
                    "{alert_advice}"},
    [DIAG_ISSUER_NOT_FOUND] =
        {"issuer-not-found", SEV_ERROR,
         "The issuer of {subject} ({issuer}{aki}) is neither sent by the {side} nor in "
         "the trust store {store}, so the {peer} cannot complete the chain.",
         "{issuer_advice}"},
    [DIAG_UNTRUSTED_ROOT] = {"untrusted-root", SEV_ERROR,
                             "The {side}'s chain ends at the root {subject}, which is "
                             "not in the trust store {store}.",
                             "Upload the root {subject} (SHA-256 {sha256}) to "
                             "{store_name} on the {peer} ({peer_addr})."},
    [DIAG_SELF_SIGNED_LEAF] =
        {"self-signed-leaf", SEV_ERROR,
         "The {side}'s certificate {subject} is self-signed and not in the trust store "
         "{store}.",
         "Upload {subject} (SHA-256 {sha256}) itself to {store_name} on the {peer} "
         "({peer_addr}), or give the {side} a CA-signed certificate."},
    [DIAG_EXPIRED] = {"expired", SEV_ERROR,
                      "The certificate {subject} {origin} expired on {date}, before the "
                      "handshake ({when}).",
                      "{expired_advice}"},
    [DIAG_NOT_YET_VALID] = {"not-yet-valid", SEV_ERROR,
                            "The certificate {subject} {origin} is valid only from "
                            "{date}, after the handshake ({when}).",
                            "{notyet_advice}"},
    [DIAG_EXPIRING_SOON] = {"expiring-soon", SEV_WARNING,
                            "The certificate {subject} sent by the {side} expires on "
                            "{date}, {days} days after the handshake.",
                            "Renew {subject} on the {side} ({addr}) before {date}."},
    [DIAG_EKU_MISSING_CLIENT_AUTH] =
        {"eku-missing-client-auth", SEV_ERROR,
         "The {side}'s certificate {subject} lacks TLS Web Client Authentication "
         "(clientAuth) in its extended key usage{why}.",
         "Reissue {subject} from a template with both TLS Web Server and TLS Web Client "
         "Authentication and install it on the {side} ({addr})."},
    [DIAG_EKU_MISSING_SERVER_AUTH] =
        {"eku-missing-server-auth", SEV_ERROR,
         "The {side}'s certificate {subject} lacks TLS Web Server Authentication "
         "(serverAuth) in its extended key usage{why}.",
         "Reissue {subject} from a template with both TLS Web Server and TLS Web Client "
         "Authentication and install it on the {side} ({addr})."},
    [DIAG_NAME_MISMATCH] =
        {"name-mismatch", SEV_ERROR,
         "The name {name} ({source}) is not among the names of the server's certificate "
         "{subject} ({names}).",
         "Reissue the server's certificate with {name} in its subject alternative names, "
         "or configure the {peer} to verify a name the certificate holds."},
    [DIAG_WILDCARD_NAME] =
        {"wildcard-name", SEV_WARNING,
         "The {side}'s certificate {subject} holds the wildcard name {name}; Expressway "
         "and VCS do not support wildcard certificates.",
         "Where this certificate is used on an Expressway or VCS, reissue it with each "
         "host name listed in the subject alternative names."},
    [DIAG_KEY_TOO_LARGE] = {"key-too-large", SEV_WARNING,
                            "The certificate {subject} has a {bits}-bit RSA key; "
                            "Expressway supports keys up to 4096 bits.",
                            "Reissue {subject} with a 2048, 3072 or 4096-bit key."},
    [DIAG_WEAK_KEY] = {"weak-key", SEV_WARNING,
                       "The certificate {subject} has a {bits}-bit {keytype} key, weaker "
                       "than current peers accept.",
                       "Reissue {subject} with an RSA key of at least 2048 bits or an EC "
                       "key of at least 256 bits."},
    [DIAG_WEAK_SIGNATURE] = {"weak-signature", SEV_WARNING,
                             "The certificate {subject} is signed with {algorithm}, "
                             "which current peers refuse.",
                             "Have the CA reissue {subject} with a SHA-256 signature."},
    [DIAG_SAN_TOO_LONG] =
        {"san-too-long", SEV_WARNING,
         "The subject alternative names of {subject} hold {chars} characters; Expressway "
         "ignores everything past 999.",
         "Reissue {subject} with fewer names, or split the names across certificates."},
    [DIAG_UNUSUAL_SUBJECT_ATTRIBUTE] =
        {"unusual-subject-attribute", SEV_WARNING,
         "The subject of {subject} holds the unusual attribute {attr}, which breaks "
         "services on Expressway and CUCM.",
         "Reissue {subject} with a subject made of the common attributes only (CN, O, "
         "OU, L, ST, C)."},
    [DIAG_CHAIN_ORDER] =
        {"chain-order", SEV_WARNING,
         "The {side}'s certificates are not in issuing order, or include an unrelated "
         "certificate.",
         "Configure the {side} to send its leaf first, then each issuer in turn."},
    [DIAG_TRUST_STORE_DUPLICATE_SUBJECT] =
        {"trust-store-duplicate-subject", SEV_WARNING,
         "The trust store {store} holds two different CA certificates with the subject "
         "{subject} (SHA-256 {sha256} and {other_sha256}); Expressway stops at the first "
         "it finds, so the feature that needs the other fails.",
         "Keep one certificate per subject in {store_name}: remove the one not needed, "
         "or reissue one of them with a distinct subject."},
    [DIAG_NO_CLIENT_CERTIFICATE] =
        {"no-client-certificate", SEV_WARNING,
         "The server asked for a client certificate and the client sent none.",
         "If the server requires mutual TLS (an Expressway traversal zone, SIP over TLS "
         "to CUCM), install a certificate with clientAuth on the client ({addr})."},
    [DIAG_ABORTED_AFTER_CERTIFICATE] =
        {"aborted-after-certificate", SEV_ERROR,
         "The {closer} closed the connection ({how}) without an alert right after the "
         "{side} sent its certificate {subject}: the {closer} most likely refused it "
         "silently.",
         "Check that the trust store of the {closer} ({closer_addr}) holds the CA that "
         "issued {subject}, and read the {closer}'s logs for the reason."},
    [DIAG_TLS13_ENCRYPTED_CERTIFICATE] =
        {"tls13-encrypted-certificate", SEV_INFO,
         "TLS 1.3 was negotiated and {why}.{inference}",
         "To see them, capture again with a key log of this very capture (set "
         "SSLKEYLOGFILE on the client and pass the file with --keylog, or embed it in "
         "the pcapng with editcap --inject-secrets), or hold a lab peer to TLS 1.2."},
    [DIAG_TRUST_STORE_MISMATCH] =
        {"trust-store-mismatch", SEV_WARNING,
         "The {sender} refused the {side}'s chain with {alert}, yet the trust store "
         "{store} given for the {sender} accepts that chain and nothing else on it "
         "explains the refusal.",
         "The {sender} ({sender_addr}) does not use {store}: export its current trust "
         "list ({store_name}) again, from the very peer that refused (a stale export or "
         "another cluster peer), and look there for {anchor} (SHA-256 {anchor_sha256})."},
    [DIAG_CLIENT_CA_NOT_ACCEPTED] =
        {"client-ca-not-accepted", SEV_ERROR,
         "The server accepts client certificates from {cas} only, and no certificate of "
         "the client's chain is one of them or issued by one.",
         "Install on the client ({addr}) a certificate issued by a CA the server trusts, "
         "or upload the client's issuing CA to the server's trust store."},
    [DIAG_CAPTURE_ONE_SIDED] =
        {"capture-one-sided", SEV_INFO,
         "Only the {seen}'s packets are in the capture; what the {unseen} sent (its "
         "certificate, its alerts) cannot be seen.",
         "Capture where both directions pass: on one of the two hosts, or a SPAN session "
         "that mirrors both directions."},
    [DIAG_CAPTURE_GAP] =
        {"capture-gap", SEV_WARNING,
         "Bytes the {side} sent during the handshake are missing from the capture, so a "
         "message could not be read.",
         "Capture with -s 0 and a larger buffer, and check the SPAN port for drops."},
};

const char *diag_code_name(enum diag_code code)
{
	return code < DIAG_COUNT ? catalogue[code].code : "?";
}

/* Advice for the alerts a side sends when it refuses the peer's
 * certificate; {sender} refused what {receiver} sent. */
static const char *alert_advice(uint8_t code, bool receiver_sent_chain)
{
	switch (code) {
	case 48: /* unknown_ca */
	case 46: /* certificate_unknown */
		if (!receiver_sent_chain)
			return "The {sender} could not verify the {receiver}: check that "
			       "the {receiver} ({receiver_addr}) sends a certificate and "
			       "its chain.";
		return "Add the CA that issued {receiver_subject} (its intermediate and "
		       "root) to {store_name} on the {sender} ({sender_addr}), or have "
		       "the {receiver} send its full chain. The alert does not mean the "
		       "{receiver} lacks a CA.";
	case 45:
		return "Renew the {receiver}'s certificate {receiver_subject}, or "
		       "correct the clock of the {sender} ({sender_addr}).";
	case 43:
		return "Reissue the {receiver}'s certificate {receiver_subject} with the "
		       "key usage the {sender} needs (TLS Web Server and Client "
		       "Authentication).";
	case 42:
		return "Check the {receiver}'s certificate {receiver_subject} and its "
		       "signature algorithm; reissue it if the {sender} cannot parse or "
		       "verify it.";
	case 44:
		return "The {receiver}'s certificate {receiver_subject} was revoked: "
		       "issue and install a new one.";
	case 116:
		return "Install a client certificate on the {receiver} "
		       "({receiver_addr}).";
	case 40:
		return "Compare the TLS versions and cipher suites both sides allow; if "
		       "the server asked for a client certificate, check that the client "
		       "({client_addr}) has one.";
	case 70:
		return "Enable a TLS version both sides support.";
	case 71:
		return "Allow stronger cipher suites on the {receiver}.";
	case 112:
		return "Configure the server with a certificate or virtual host for the "
		       "name the client sent.";
	default:
		return "Read the {sender}'s logs ({sender_addr}) for the reason it ended "
		       "the handshake.";
	}
}

/* The trust store that judges what the validator receives, by product
 * where the port tells (DOMAIN.md, "Trust stores on CUCM"). */
static const char *store_name(uint16_t port, int validator)
{
	switch (port) {
	case 7001:
		return validator == SIDE_SERVER
		           ? "the Trusted CA list of the Expressway-E"
		           : "the Trusted CA list of the Expressway-C";
	case 5061:
		return "CallManager-trust on CUCM (the Trusted CA list, if the {peer} is "
		       "an Expressway)";
	case 2445:
		return "tvs-trust on CUCM (the phone's ITL)";
	case 2444:
		return "CallManager-trust on CUCM (the phone's CTL)";
	case 3804:
		return "capf-trust on CUCM";
	case 443:
	case 8443:
		return validator == SIDE_SERVER ? "tomcat-trust on CUCM (the Trusted CA "
		                                  "list, if the server is an Expressway)"
		                                : "the trusted root store of the client "
		                                  "(browser, Jabber or phone)";
	case 636:
	case 3269:
		return "tomcat-trust on CUCM (directory over TLS)";
	case 5222:
	case 5223:
	case 5269:
		return "cup-xmpp-trust on IM and Presence";
	default:
		return "the trust store of the {peer}";
	}
}

/* What the trust store given says of a chain the sender refused. */
static const char attribution_verifies[] =
    " Against the trust store {store} the {receiver}'s chain verifies, so the {sender}'s "
    "own trust store lacks {anchor} (SHA-256 {anchor_sha256}).";
static const char attribution_issuer[] =
    " The {receiver}'s chain does not verify against {store} either: its issuer "
    "{missing} is missing.";
static const char attribution_root[] =
    " The {receiver}'s chain does not verify against {store} either: its root {anchor} "
    "is not trusted there.";
static const char attribution_other[] =
    " The {receiver}'s chain does not verify against {store} either ({reason}).";
static const char advice_upload_anchor[] =
    "Upload {anchor} (SHA-256 {anchor_sha256}) to {store_name} on the {sender} "
    "({sender_addr}).";
static const char advice_send_intermediate[] =
    "Configure the {side} ({addr}) to send its intermediate {issuer} with its "
    "certificate, or upload {issuer} and its root to {store_name} on the {peer} "
    "({peer_addr}).";
static const char advice_upload_issuer[] = "Upload the CA {issuer} (and any CA above it) "
                                           "to {store_name} on the {peer} ({peer_addr}).";
static const char advice_notyet_sent[] =
    "Check the clocks of the {side} and the {peer} (NTP), or reissue {subject} with a "
    "correct start date.";
static const char advice_notyet_anchor[] =
    "Check the clock of the device that judged the chain (NTP), or replace {subject} in "
    "the trust store {store} with a certificate valid at {when}.";
static const char advice_renew_sent[] = "Renew {subject} on the {side} ({addr}) and "
                                        "install the new certificate with its chain.";
static const char advice_renew_anchor[] =
    "Replace the expired CA {subject} (SHA-256 {sha256}) in {store_name}: Expressway "
    "refuses a trust list that holds an expired certificate.";

/* ---- rendering ---------------------------------------------------------- */

struct var {
	const char *name;
	const char *value;
};

#define MAX_VARS 32

struct vars {
	struct var v[MAX_VARS];
	size_t n;
};

static void var_set(struct vars *vs, const char *name, const char *value)
{
	if (vs->n < MAX_VARS && value)
		vs->v[vs->n++] = (struct var){name, value};
}

static void var_replace(struct vars *vs, const char *name, const char *value)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i].name, name) == 0)
			vs->v[i].value = value;
}

static const char *var_get(const struct vars *vs, const char *name, size_t len)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strlen(vs->v[i].name) == len && memcmp(vs->v[i].name, name, len) == 0)
			return vs->v[i].value;
	return NULL;
}

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* The variables whose values are templates of this file.  Every other value
 * (a subject, a SAN, the SNI, a path) is text from outside, copied as it is:
 * expanded, a subject holding "{subject}" would repeat itself at each level
 * (k names make k^3 copies) and could make a sentence say anything. */
static bool template_var(const char *name, size_t len)
{
	static const char *const names[] = {
	    "meaning", "alert_advice",   "attribution",   "store_name",
	    "origin",  "expired_advice", "issuer_advice", "notyet_advice",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return true;
	return false;
}

/* A value may itself hold {names} (the alert advice holds {store_name},
 * which may hold {peer}), so template values are expanded again, a few
 * levels deep. */
static char *render(const char *tmpl, const struct vars *vs, int depth)
{
	struct sbuf b = {0};
	sb_add(&b, "", 0);
	for (const char *p = tmpl; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const char *val =
		    close ? var_get(vs, p + 1, (size_t)(close - p - 1)) : NULL;
		if (val) {
			if (depth > 0 && template_var(p + 1, (size_t)(close - p - 1)) &&
			    strchr(val, '{')) {
				char *inner = render(val, vs, depth - 1);
				if (inner)
					sb_add(&b, inner, strlen(inner));
				free(inner);
			} else {
				sb_add(&b, val, strlen(val));
			}
			p = close + 1;
		} else {
			/* literal text up to the next brace, in one piece */
			size_t n = 1;
			while (p[n] && p[n] != '{')
				n++;
			sb_add(&b, p, n);
			p += n;
		}
	}
	return b.p;
}

static void add(struct handshake *hs, enum diag_code code, const char *alert_name_,
                enum severity sev, const struct cert *c, const struct vars *vs)
{
	struct diagnosis *v = realloc(hs->diags, (hs->n_diags + 1) * sizeof(*v));
	if (!v)
		return;
	hs->diags = v;
	struct diagnosis *d = &v[hs->n_diags];
	memset(d, 0, sizeof(*d));
	d->code = code;
	if (code == DIAG_ALERT) {
		size_t n = strlen("alert-") + strlen(alert_name_) + 1;
		d->name = malloc(n);
		if (d->name) {
			snprintf(d->name, n, "alert-%s", alert_name_);
			for (char *q = d->name; *q; q++)
				if (*q == '_')
					*q = '-';
		}
	} else {
		d->name = strdup(catalogue[code].code);
	}
	d->severity = sev;
	if (c)
		memcpy(d->cert_sha256, c->sha256, sizeof(d->cert_sha256));
	d->message = render(catalogue[code].message, vs, 3);
	d->advice = render(catalogue[code].advice, vs, 3);
	if (!d->name || !d->message || !d->advice) {
		free(d->name);
		free(d->message);
		free(d->advice);
		return;
	}
	hs->n_diags++;
}

/* ---- the rules ---------------------------------------------------------- */

static const char *side_word(int side)
{
	return side == SIDE_CLIENT ? "client" : "server";
}

static void side_addr(const struct handshake *hs, int side, char *buf, size_t len)
{
	const struct endpoint *e = side == SIDE_CLIENT ? &hs->client : &hs->server;
	char a[ENDPOINT_ADDRSTRLEN];
	endpoint_addr_str(e, a, sizeof(a));
	/* by hand: every rule names the sides, most of them only in case */
	size_t n = strlen(a), o = 0;
	if (len < n + 10)
		return (void)snprintf(buf, len, "?");
	bool v6 = side == SIDE_SERVER && e->family == 6;
	if (v6)
		buf[o++] = '[';
	memcpy(buf + o, a, n);
	o += n;
	if (v6)
		buf[o++] = ']';
	if (side == SIDE_SERVER) {
		char digits[8];
		size_t k = 0;
		unsigned p = e->port;
		do
			digits[k++] = (char)('0' + p % 10);
		while ((p /= 10) && k < sizeof(digits));
		buf[o++] = ':';
		while (k)
			buf[o++] = digits[--k];
	}
	buf[o] = '\0';
}

static const char *subject_of(const struct cert *c)
{
	if (c && c->subject && *c->subject)
		return c->subject;
	return c ? c->sha256 : "(none)";
}

static const struct cert *leaf(const struct handshake *hs, int side)
{
	return hs->chains[side].n ? hs->chains[side].certs[0] : NULL;
}

/* ---- the trust store's view ------------------------------------------- */

static int validator_of(int side)
{
	return !side;
}

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

struct attribution {
	const char *sentence; /* a template */
	bool verifies;
	const char *store, *store_name;
	char *anchor, *missing;
	char anchor_sha[65];
	const char *reason;
};

static void attribution_fini(struct attribution *a)
{
	free(a->anchor);
	free(a->missing);
}

/* What the store given for the side that refused says of the chain of side
 * `chain_side`. */
static void attribute(const struct handshake *hs, int chain_side, struct attribution *at)
{
	const struct chain_check *cc = hs->check[chain_side];
	int depth;
	if (!cc)
		return;
	at->store = cc->store->label;
	at->store_name = store_name(hs->server.port, validator_of(chain_side));
	const struct chain_link *top = chain_link_at(cc, sk_X509_num(cc->completed) - 1);
	if (top) {
		at->anchor = top->subject ? strdup(top->subject) : NULL;
		memcpy(at->anchor_sha, top->sha256, sizeof(at->anchor_sha));
	}
	if (cc->verified) {
		at->verifies = true;
		at->sentence = attribution_verifies;
	} else if (chain_check_has(cc, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	                           &depth) ||
	           chain_check_has(cc, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, &depth)) {
		const struct chain_link *x = chain_link_at(cc, depth);
		at->missing = x && x->issuer ? strdup(x->issuer) : NULL;
		at->sentence = attribution_issuer;
	} else if (chain_check_has(cc, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, NULL) ||
	           chain_check_has(cc, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, NULL)) {
		at->sentence = attribution_root;
	} else {
		at->reason = X509_verify_cert_error_string(cc->errors[0].code);
		at->sentence = attribution_other;
	}
}

static void alerts(struct handshake *hs)
{
	for (size_t i = 0; i < hs->n_alerts; i++) {
		const struct alert_event *a = &hs->alerts[i];
		if (a->code == 0)
			continue; /* close_notify ends a connection normally */
		int recv = !a->from;
		char sender_addr[64], receiver_addr[64], client_addr[64], codebuf[32];
		side_addr(hs, a->from, sender_addr, sizeof(sender_addr));
		side_addr(hs, recv, receiver_addr, sizeof(receiver_addr));
		side_addr(hs, SIDE_CLIENT, client_addr, sizeof(client_addr));
		const char *name = alert_name(a->code);
		if (!name) {
			snprintf(codebuf, sizeof(codebuf), "unknown-%u", a->code);
			name = codebuf;
		}
		const struct cert *refused = leaf(hs, recv);
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
		var_set(&vs, "alert_advice", alert_advice(a->code, refused != NULL));
		struct attribution at = {0};
		if (alert_is_certificate(a->code))
			attribute(hs, recv, &at);
		var_set(&vs, "attribution", at.sentence ? at.sentence : "");
		var_set(&vs, "store", at.store);
		var_set(&vs, "store_name",
		        at.store_name ? at.store_name
		                      : store_name(hs->server.port, a->from));
		var_set(&vs, "peer", side_word(a->from));
		var_set(&vs, "anchor", at.anchor);
		var_set(&vs, "anchor_sha256", at.anchor_sha);
		var_set(&vs, "missing", at.missing);
		var_set(&vs, "reason", at.reason);
		if (at.verifies && (a->code == 48 || a->code == 46))
			var_replace(&vs, "alert_advice", advice_upload_anchor);
		enum severity sev = a->level == 2 ? SEV_ERROR : SEV_WARNING;
		add(hs, DIAG_ALERT, name, sev,
		    alert_is_certificate(a->code) ? refused : NULL, &vs);
		attribution_fini(&at);
	}
}

static bool chain_has_ca(const struct handshake *hs, const struct chain *ch)
{
	const STACK_OF(X509_NAME) *names = hs->ca_names_der;
	for (size_t i = 0; i < ch->n; i++) {
		X509 *x = ch->certs[i]->x509;
		if (!x)
			continue;
		for (int j = 0; j < sk_X509_NAME_num(names); j++) {
			const X509_NAME *n = sk_X509_NAME_value(names, j);
			if (X509_NAME_cmp(n, X509_get_subject_name(x)) == 0 ||
			    X509_NAME_cmp(n, X509_get_issuer_name(x)) == 0)
				return true;
		}
	}
	return false;
}

/* Why a TLS 1.3 handshake could not be read, and what of it was not. */
#define UNREAD                                                                           \
	", so the certificates and any later alerts are encrypted and were not checked"
static const char *const decryption_why[] = {
    [DECRYPT_NONE] = "no key log was given" UNREAD,
    [DECRYPT_NO_KEYLOG] = "no key log was given" UNREAD,
    [DECRYPT_NO_SECRETS] =
        "the key log holds no secrets for this connection's ClientHello" UNREAD,
    [DECRYPT_PENDING] =
        "no encrypted record followed the ServerHello in the capture" UNREAD,
    [DECRYPT_OK] = "",
    [DECRYPT_FAILED] =
        "the key log's secrets for this connection did not decrypt it (a record failed "
        "authentication: the key log belongs to another session, or is damaged)" UNREAD,
    [DECRYPT_NO_CLIENT_SECRET] =
        "the key log holds SERVER_HANDSHAKE_TRAFFIC_SECRET but not "
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET for this connection, so the server's flight "
        "was read and its certificates checked, but not the client's encrypted records "
        "(its certificate, its Finished, any alert it sent encrypted; the server's own "
        "key log holds both secrets)",
    [DECRYPT_NO_SERVER_SECRET] =
        "the key log holds CLIENT_HANDSHAKE_TRAFFIC_SECRET but not "
        "SERVER_HANDSHAKE_TRAFFIC_SECRET for this connection, so the client's records "
        "were read but not the server's flight: its certificates and any alert it sent "
        "encrypted were not checked",
};
#undef UNREAD

static const char inference_alert[] =
    " Inferred from the encrypted records: the %s sent a %u-byte record, the size of an "
    "encrypted alert, %ld ms after the %s's last record, then closed the connection "
    "(%s); the %s most likely refused the %s's certificate.";
static const char inference_went_on[] =
    " Inferred from the encrypted records: both sides went on to exchange encrypted "
    "records, so the handshake most likely completed.";
static const char inference_close[] =
    " Inferred from the encrypted records: the %s closed the connection first (%s), "
    "after %u encrypted records from the client and %u from the server.";

/* Encrypted alert: 2 bytes, the content type, a 16-byte tag (8 for CCM_8),
 * and perhaps a little padding. */
static bool alert_sized(uint32_t len)
{
	return len >= 11 && len <= 24;
}

static void infer_tls13(const struct handshake *hs, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!hs->closed || hs->closed_by < 0) {
		if (hs->done)
			snprintf(buf, len, "%s", inference_went_on);
		return;
	}
	int a = hs->closed_by, b = !a;
	const struct encrypted_trace *ea = &hs->enc[a], *eb = &hs->enc[b];
	const char *how = hs->reset ? "TCP reset" : "TCP FIN";
	/* one alert-sized record answering the other side's flight: a client
	 * that sent nothing else, or a server answering the client's
	 * Certificate, CertificateVerify and Finished without application data */
	bool answer = a == SIDE_CLIENT ? ea->records == 1 : eb->records <= 3;
	if (ea->since_other == 1 && alert_sized(ea->last_len) && eb->records && answer) {
		struct timeval d;
		timersub(&ea->last_ts, &eb->last_ts, &d);
		snprintf(buf, len, inference_alert, side_word(a), ea->last_len,
		         (long)(d.tv_sec * 1000 + d.tv_usec / 1000), side_word(b), how,
		         side_word(a), side_word(b));
		return;
	}
	snprintf(buf, len, inference_close, side_word(a), how,
	         hs->enc[SIDE_CLIENT].records, hs->enc[SIDE_SERVER].records);
}

static void handshake_level(struct handshake *hs)
{
	char addr[64];
	struct vars vs = {0};
	const struct chain *cc = &hs->chains[SIDE_CLIENT];
	side_addr(hs, SIDE_CLIENT, addr, sizeof(addr));
	var_set(&vs, "addr", addr);

	/* the client answers a CertificateRequest in its next flight: only
	 * judge when that flight was seen */
	bool client_flight = cc->seen || hs->ccs[SIDE_CLIENT] ||
	                     (hs->last_msg_side == SIDE_CLIENT && hs->server_hello_seen);
	if (hs->certificate_requested && client_flight && cc->n == 0)
		add(hs, DIAG_NO_CLIENT_CERTIFICATE, NULL,
		    catalogue[DIAG_NO_CLIENT_CERTIFICATE].severity, NULL, &vs);

	if (hs->certificate_requested && cc->n > 0 && hs->ca_names.n > 0 &&
	    !chain_has_ca(hs, cc)) {
		char cas[512] = "";
		for (size_t i = 0; i < hs->ca_names.n && strlen(cas) < 400; i++) {
			if (i)
				strncat(cas, "; ", sizeof(cas) - strlen(cas) - 1);
			strncat(cas, hs->ca_names.v[i], sizeof(cas) - strlen(cas) - 1);
		}
		var_set(&vs, "cas", cas);
		/* a server that went on anyway did not hold to its own list */
		enum severity sev =
		    hs->outcome == OUTCOME_COMPLETED ? SEV_WARNING : SEV_ERROR;
		add(hs, DIAG_CLIENT_CA_NOT_ACCEPTED, NULL, sev, cc->certs[0], &vs);
	}

	if (hs->outcome == OUTCOME_ABORTED && hs->cert_flight_side >= 0 &&
	    hs->closed_by >= 0 && hs->closed_by != hs->cert_flight_side) {
		int side = hs->cert_flight_side;
		const struct cert *c = leaf(hs, side);
		char closer_addr[64];
		side_addr(hs, hs->closed_by, closer_addr, sizeof(closer_addr));
		struct vars a = {0};
		var_set(&a, "closer", side_word(hs->closed_by));
		var_set(&a, "closer_addr", closer_addr);
		var_set(&a, "side", side_word(side));
		var_set(&a, "subject", subject_of(c));
		var_set(&a, "how", hs->reset ? "TCP reset" : "TCP FIN");
		add(hs, DIAG_ABORTED_AFTER_CERTIFICATE, NULL,
		    catalogue[DIAG_ABORTED_AFTER_CERTIFICATE].severity, c, &a);
	}

	if (hs->tls13 && hs->decryption != DECRYPT_OK) {
		char inference[512];
		struct vars e = {0};
		infer_tls13(hs, inference, sizeof(inference));
		var_set(&e, "why", decryption_why[hs->decryption]);
		var_set(&e, "inference", inference);
		add(hs, DIAG_TLS13_ENCRYPTED_CERTIFICATE, NULL,
		    catalogue[DIAG_TLS13_ENCRYPTED_CERTIFICATE].severity, NULL, &e);
	}

	if (hs->one_sided) {
		struct vars o = {0};
		var_set(&o, "seen", side_word(hs->seen_side));
		var_set(&o, "unseen", side_word(!hs->seen_side));
		add(hs, DIAG_CAPTURE_ONE_SIDED, NULL,
		    catalogue[DIAG_CAPTURE_ONE_SIDED].severity, NULL, &o);
	}
	if (hs->gap) {
		struct vars g = {0};
		var_set(&g, "side", side_word(hs->gap_side));
		add(hs, DIAG_CAPTURE_GAP, NULL, catalogue[DIAG_CAPTURE_GAP].severity,
		    NULL, &g);
	}
}

/* Ports where a certificate serves both as server and as client, so it
 * needs both purposes: the traversal zone, and SIP over TLS where CUCM
 * connects back (DOMAIN.md). */
static bool dual_use(uint16_t port)
{
	return port == 7001 || port == 5061;
}

/* Collaboration services where Expressway/VCS rules hold. */
static bool collaboration_port(uint16_t port)
{
	switch (port) {
	case 7001:
	case 5061:
	case 2445:
	case 2444:
	case 3804:
	case 5222:
	case 5269:
	case 8443:
		return true;
	default:
		return false;
	}
}

static bool has_eku(const struct cert *c, const char *name)
{
	for (size_t i = 0; i < c->eku.n; i++)
		if (strcmp(c->eku.v[i], name) == 0)
			return true;
	return false;
}

/* The subject attributes seen on ordinary certificates. */
static bool common_attribute(int nid)
{
	static const int common[] = {
	    NID_commonName,
	    NID_countryName,
	    NID_localityName,
	    NID_stateOrProvinceName,
	    NID_organizationName,
	    NID_organizationalUnitName,
	    NID_pkcs9_emailAddress,
	    NID_serialNumber,
	    NID_domainComponent,
	    NID_userId,
	    NID_streetAddress,
	    NID_postalCode,
	    NID_title,
	    NID_givenName,
	    NID_surname,
	    NID_initials,
	    NID_dnQualifier,
	    NID_pseudonym,
	    NID_generationQualifier,
	    NID_businessCategory,
	    NID_jurisdictionCountryName,
	    NID_jurisdictionStateOrProvinceName,
	    NID_jurisdictionLocalityName,
	    NID_organizationIdentifier,
	    NID_name,
	    NID_description,
	};
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (common[i] == nid)
			return true;
	return false;
}

static void cert_vars(struct vars *vs, const struct handshake *hs, int side,
                      const struct cert *c, char *addr, size_t addrlen)
{
	side_addr(hs, side, addr, addrlen);
	var_set(vs, "side", side_word(side));
	var_set(vs, "peer", side_word(!side));
	var_set(vs, "addr", addr);
	var_set(vs, "subject", subject_of(c));
}

static void validity(struct handshake *hs, int side, const struct cert *c, time_t at)
{
	char addr[64], date[32], when[32], days[24];
	if (!c->have_validity)
		return;
	struct vars vs = {0};
	cert_vars(&vs, hs, side, c, addr, sizeof(addr));
	time_format(at, when, sizeof(when));
	var_set(&vs, "when", when);
	if (c->not_after < at) {
		time_format(c->not_after, date, sizeof(date));
		var_set(&vs, "date", date);
		var_set(&vs, "origin", "sent by the {side}");
		var_set(&vs, "expired_advice", advice_renew_sent);
		add(hs, DIAG_EXPIRED, NULL, SEV_ERROR, c, &vs);
	} else if (c->not_before > at) {
		time_format(c->not_before, date, sizeof(date));
		var_set(&vs, "date", date);
		var_set(&vs, "origin", "sent by the {side}");
		var_set(&vs, "notyet_advice", advice_notyet_sent);
		add(hs, DIAG_NOT_YET_VALID, NULL, SEV_ERROR, c, &vs);
	} else if (c->not_after - at < (time_t)EXPIRING_SOON_DAYS * 86400) {
		time_format(c->not_after, date, sizeof(date));
		snprintf(days, sizeof(days), "%lld",
		         (long long)((c->not_after - at) / 86400));
		var_set(&vs, "date", date);
		var_set(&vs, "days", days);
		add(hs, DIAG_EXPIRING_SOON, NULL, SEV_WARNING, c, &vs);
	}
}

static void key_and_signature(struct handshake *hs, int side, const struct cert *c)
{
	char addr[64], bits[16];
	struct vars vs = {0};
	cert_vars(&vs, hs, side, c, addr, sizeof(addr));
	snprintf(bits, sizeof(bits), "%d", c->key_bits);
	var_set(&vs, "bits", bits);
	var_set(&vs, "keytype", c->key_type);
	var_set(&vs, "algorithm", c->signature_algorithm);
	bool rsa = c->key_type &&
	           (strcmp(c->key_type, "RSA") == 0 || strcmp(c->key_type, "DSA") == 0);
	bool ec = c->key_type && strcmp(c->key_type, "EC") == 0;
	if (c->key_type && strcmp(c->key_type, "RSA") == 0 && c->key_bits > 4096)
		add(hs, DIAG_KEY_TOO_LARGE, NULL, SEV_WARNING, c, &vs);
	if ((rsa && c->key_bits < 2048) || (ec && c->key_bits < 224))
		add(hs, DIAG_WEAK_KEY, NULL, SEV_WARNING, c, &vs);
	int md = NID_undef, pk = NID_undef;
	if (!c->self_signed &&
	    OBJ_find_sigid_algs(X509_get_signature_nid(c->x509), &md, &pk) &&
	    (md == NID_sha1 || md == NID_md5 || md == NID_md2 || md == NID_md4))
		add(hs, DIAG_WEAK_SIGNATURE, NULL, SEV_WARNING, c, &vs);
}

static void subject_attributes(struct handshake *hs, int side, const struct cert *c)
{
	const X509_NAME *name = X509_get_subject_name(c->x509);
	for (int i = 0; i < X509_NAME_entry_count(name); i++) {
		const ASN1_OBJECT *o =
		    X509_NAME_ENTRY_get_object(X509_NAME_get_entry(name, i));
		int nid = OBJ_obj2nid(o);
		if (common_attribute(nid))
			continue;
		char oid[128], addr[64];
		if (OBJ_obj2txt(oid, sizeof(oid), o, 1) <= 0)
			snprintf(oid, sizeof(oid), "?");
		struct vars vs = {0};
		cert_vars(&vs, hs, side, c, addr, sizeof(addr));
		var_set(&vs, "attr", oid);
		add(hs, DIAG_UNUSUAL_SUBJECT_ATTRIBUTE, NULL, SEV_WARNING, c, &vs);
		return; /* one finding per certificate */
	}
}

static void purpose(struct handshake *hs, int side, const struct cert *c)
{
	char addr[64], why[160];
	if (!c->has_eku)
		return; /* no extension: any purpose */
	struct vars vs = {0};
	cert_vars(&vs, hs, side, c, addr, sizeof(addr));
	bool dual = dual_use(hs->server.port);
	const char *svc = hs->service ? hs->service : "this service";
	bool server_auth = has_eku(c, "serverAuth"),
	     client_auth = has_eku(c, "clientAuth");
	/* a server certificate without serverAuth is refused everywhere; on a
	 * dual-use port every certificate needs both purposes; elsewhere a
	 * client certificate without clientAuth is a warning (some servers
	 * do not check) */
	if (dual ? !server_auth : side == SIDE_SERVER && !server_auth) {
		snprintf(why, sizeof(why),
		         dual ? ", which %s needs on both sides"
		              : ", so clients refuse it as a server certificate",
		         svc);
		var_set(&vs, "why", why);
		add(hs, DIAG_EKU_MISSING_SERVER_AUTH, NULL, SEV_ERROR, c, &vs);
		vs.n--;
	}
	if (dual ? !client_auth : side == SIDE_CLIENT && !client_auth) {
		snprintf(
		    why, sizeof(why),
		    dual ? ", which %s needs on both sides"
		         : ", so servers that check it refuse it as a client certificate",
		    svc);
		var_set(&vs, "why", why);
		add(hs, DIAG_EKU_MISSING_CLIENT_AUTH, NULL,
		    dual ? SEV_ERROR : SEV_WARNING, c, &vs);
	}
}

static void names_of(const struct cert *c, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < c->san.n; i++) {
		if (strlen(buf) + strlen(c->san.v[i]) + 3 >= len)
			break;
		if (i)
			strcat(buf, ", ");
		strcat(buf, c->san.v[i]);
	}
	if (!c->san.n)
		snprintf(buf, len, "no subject alternative names; subject %s",
		         subject_of(c));
}

static void wildcard_and_san(struct handshake *hs, int side, const struct cert *c)
{
	char addr[64], chars[24];
	struct vars vs = {0};
	cert_vars(&vs, hs, side, c, addr, sizeof(addr));
	for (size_t i = 0; i < c->san.n; i++) {
		if (strncmp(c->san.v[i], "DNS:", 4) == 0 &&
		    strchr(c->san.v[i] + 4, '*')) {
			var_set(&vs, "name", c->san.v[i] + 4);
			enum severity sev =
			    collaboration_port(hs->server.port) ? SEV_WARNING : SEV_INFO;
			add(hs, DIAG_WILDCARD_NAME, NULL, sev, c, &vs);
			vs.n--;
			break;
		}
	}
	if (c->san_chars > 999) {
		snprintf(chars, sizeof(chars), "%zu", c->san_chars);
		var_set(&vs, "chars", chars);
		add(hs, DIAG_SAN_TOO_LONG, NULL, SEV_WARNING, c, &vs);
	}
}

/* The name the client expects of the server: --expect-name for this
 * server, else the SNI. */
static const char *expected_name(const struct handshake *hs, const struct config *cfg,
                                 const char **source)
{
	const char *any = NULL;
	for (size_t i = 0; i < cfg->n_expect; i++) {
		const struct expect_name *e = &cfg->expect[i];
		if (!e->addr) {
			any = e->name;
			continue;
		}
		struct endpoint ep;
		if (endpoint_parse_addr(e->addr, &ep) && ep.family == hs->server.family &&
		    memcmp(ep.addr, hs->server.addr, ep.family == 4 ? 4 : 16) == 0 &&
		    (e->port == 0 || e->port == hs->server.port)) {
			*source = "the name given with --expect-name";
			return e->name;
		}
	}
	if (any) {
		*source = "the name given with --expect-name";
		return any;
	}
	*source = "the SNI the client sent";
	return hs->sni;
}

static void name_match(struct handshake *hs, const struct config *cfg,
                       const struct cert *c)
{
	const char *source;
	const char *name = expected_name(hs, cfg, &source);
	if (!name || !*name || !c->x509)
		return;
	int ok;
	struct endpoint ip;
	if (endpoint_parse_addr(name, &ip))
		ok = X509_check_ip_asc(c->x509, name, 0);
	else
		ok = X509_check_host(c->x509, name, strlen(name), 0, NULL);
	if (ok == 1)
		return;
	char addr[64], names[600];
	struct vars vs = {0};
	cert_vars(&vs, hs, SIDE_SERVER, c, addr, sizeof(addr));
	names_of(c, names, sizeof(names));
	var_set(&vs, "name", name);
	var_set(&vs, "source", source);
	var_set(&vs, "names", names);
	add(hs, DIAG_NAME_MISMATCH, NULL, SEV_ERROR, c, &vs);
}

static void certificates(struct handshake *hs, const struct config *cfg)
{
	time_t at = cfg->have_at ? cfg->at : hs->ts.tv_sec;
	for (int side = SIDE_SERVER; side >= SIDE_CLIENT; side--) {
		const struct chain *ch = &hs->chains[side];
		for (size_t i = 0; i < ch->n; i++) {
			const struct cert *c = ch->certs[i];
			if (!c->x509)
				continue;
			if (i == 0) {
				purpose(hs, side, c);
				wildcard_and_san(hs, side, c);
				if (side == SIDE_SERVER)
					name_match(hs, cfg, c);
			}
			validity(hs, side, c, at);
			key_and_signature(hs, side, c);
			subject_attributes(hs, side, c);
		}
	}
}

/* A diagnosis about a certificate that may have come from the store. */
static void add_x509(struct handshake *hs, enum diag_code code, enum severity sev,
                     const char *sha256, struct vars *vs)
{
	struct cert stub;
	memset(&stub, 0, sizeof(stub));
	snprintf(stub.sha256, sizeof(stub.sha256), "%s", sha256);
	add(hs, code, NULL, sev, &stub, vs);
}

static void trust_rules_side(struct handshake *hs, int side)
{
	const struct chain_check *cc = hs->check[side];
	char addr[64], peer_addr[64], other_sha[65], aki[128], date[32], when[32];
	side_addr(hs, side, addr, sizeof(addr));
	side_addr(hs, !side, peer_addr, sizeof(peer_addr));
	time_format(cc->at, when, sizeof(when));
	for (size_t i = 0; i < cc->n_errors; i++) {
		const struct chain_error *e = &cc->errors[i];
		X509 *x = completed_at(cc, e->depth);
		const struct chain_link *l = chain_link_at(cc, e->depth);
		if (!x || !l)
			continue;
		bool from_store = cc->from_store[e->depth];
		const char *subject = l->subject, *issuer = l->issuer, *sha = l->sha256;
		struct vars vs = {0};
		var_set(&vs, "side", side_word(side));
		var_set(&vs, "peer", side_word(!side));
		var_set(&vs, "addr", addr);
		var_set(&vs, "peer_addr", peer_addr);
		var_set(&vs, "store", cc->store->label);
		var_set(&vs, "store_name",
		        store_name(hs->server.port, validator_of(side)));
		var_set(&vs, "subject", subject);
		var_set(&vs, "issuer", issuer);
		var_set(&vs, "sha256", sha);
		var_set(&vs, "when", when);
		switch (e->code) {
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
			aki_text(x, aki, sizeof(aki));
			var_set(&vs, "aki", aki);
			/* a leaf's missing issuer is an intermediate its owner should
			 * send */
			var_set(&vs, "issuer_advice",
			        !from_store && e->depth == 0 && !X509_check_ca(x)
			            ? advice_send_intermediate
			            : advice_upload_issuer);
			add_x509(hs, DIAG_ISSUER_NOT_FOUND, SEV_ERROR, sha, &vs);
			break;
		case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
			add_x509(hs, DIAG_UNTRUSTED_ROOT, SEV_ERROR, sha, &vs);
			break;
		case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
			add_x509(hs, DIAG_SELF_SIGNED_LEAF, SEV_ERROR, sha, &vs);
			break;
		case X509_V_ERR_CERT_HAS_EXPIRED:
		case X509_V_ERR_CERT_NOT_YET_VALID: {
			/* certificates that came off the wire were judged already */
			if (!from_store)
				break;
			bool expired = e->code == X509_V_ERR_CERT_HAS_EXPIRED;
			struct tm tm;
			ASN1_TIME_to_tm(expired ? X509_get0_notAfter(x)
			                        : X509_get0_notBefore(x),
			                &tm);
			time_format(timegm(&tm), date, sizeof(date));
			var_set(&vs, "date", date);
			var_set(&vs, "origin", "in the trust store {store}");
			var_set(&vs, "expired_advice", advice_renew_anchor);
			var_set(&vs, "notyet_advice", advice_notyet_anchor);
			add_x509(hs, expired ? DIAG_EXPIRED : DIAG_NOT_YET_VALID,
			         SEV_ERROR, sha, &vs);
			break;
		}
		default:
			break;
		}
	}
	/* a CA of this chain whose subject two certificates of the store share:
	 * the device looks anchors up by subject */
	for (int d = 0; d < sk_X509_num(cc->completed); d++) {
		X509 *x = completed_at(cc, d);
		for (size_t k = 0; k < cc->store->n_findings; k++) {
			const struct store_finding *f = &cc->store->findings[k];
			if (f->kind != STORE_DUPLICATE_SUBJECT ||
			    X509_NAME_cmp(X509_get_subject_name(f->cert),
			                  X509_get_subject_name(x)))
				continue;
			const struct chain_link *l = chain_link_at(cc, d);
			char sha[65];
			struct vars vs = {0};
			cert_sha256_hex(f->other, sha);
			cert_sha256_hex(f->cert, other_sha);
			var_set(&vs, "store", cc->store->label);
			var_set(&vs, "store_name",
			        store_name(hs->server.port, validator_of(side)));
			var_set(&vs, "peer", side_word(!side));
			var_set(&vs, "subject", l ? l->subject : NULL);
			var_set(&vs, "sha256", sha);
			var_set(&vs, "other_sha256", other_sha);
			add_x509(hs, DIAG_TRUST_STORE_DUPLICATE_SUBJECT, SEV_WARNING,
			         l ? l->sha256 : "", &vs);
			break;
		}
	}
}

/* Presented certificates should run leaf first, each followed by its
 * issuer; anything else is out of order or unrelated. */
/* X509_check_issued(), remembered on the child for the last parent asked. */
static bool issued_by(struct cert *child, const struct cert *parent)
{
	if (child->issuer_memo[0] && strcmp(child->issuer_memo, parent->sha256) == 0)
		return child->issuer_memo_ok;
	bool ok = X509_check_issued(parent->x509, child->x509) == X509_V_OK;
	memcpy(child->issuer_memo, parent->sha256, sizeof(child->issuer_memo));
	child->issuer_memo_ok = ok;
	return ok;
}

static void chain_order(struct handshake *hs, int side)
{
	const struct chain *ch = &hs->chains[side];
	for (size_t i = 1; i < ch->n; i++) {
		X509 *child = ch->certs[i - 1]->x509, *parent = ch->certs[i]->x509;
		if (!child || !parent || issued_by(ch->certs[i - 1], ch->certs[i]))
			continue;
		char addr[64];
		struct vars vs = {0};
		cert_vars(&vs, hs, side, ch->certs[i], addr, sizeof(addr));
		add(hs, DIAG_CHAIN_ORDER, NULL, SEV_WARNING, ch->certs[i], &vs);
		ERR_clear_error();
		return;
	}
	ERR_clear_error();
}

static bool chain_explained(const struct handshake *hs, int side)
{
	const struct chain *ch = &hs->chains[side];
	for (size_t i = 0; i < hs->n_diags; i++) {
		const struct diagnosis *d = &hs->diags[i];
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
static void mismatch(struct handshake *hs, const struct config *cfg)
{
	if (!cfg->n_trust)
		return; /* only a store the user gave can be the wrong one */
	for (size_t i = 0; i < hs->n_alerts; i++) {
		const struct alert_event *a = &hs->alerts[i];
		int chain_side = !a->from;
		if ((a->code != 48 && a->code != 46) || !hs->check[chain_side] ||
		    !hs->check[chain_side]->verified || chain_explained(hs, chain_side))
			continue;
		struct attribution at = {0};
		char sender_addr[64];
		attribute(hs, chain_side, &at);
		side_addr(hs, a->from, sender_addr, sizeof(sender_addr));
		struct vars vs = {0};
		var_set(&vs, "sender", side_word(a->from));
		var_set(&vs, "sender_addr", sender_addr);
		var_set(&vs, "side", side_word(chain_side));
		var_set(&vs, "peer", side_word(a->from));
		var_set(&vs, "alert", alert_name(a->code));
		var_set(&vs, "store", at.store);
		var_set(&vs, "store_name",
		        at.store_name ? at.store_name
		                      : store_name(hs->server.port, a->from));
		var_set(&vs, "peer", side_word(a->from));
		var_set(&vs, "anchor", at.anchor);
		var_set(&vs, "anchor_sha256", at.anchor_sha);
		add(hs, DIAG_TRUST_STORE_MISMATCH, NULL, SEV_WARNING,
		    leaf(hs, chain_side), &vs);
		attribution_fini(&at);
		return;
	}
}

static void check_chains(struct handshake *hs, const struct trust_set *trust,
                         struct cache *cache, time_t at)
{
	time_t today = time(NULL);
	for (int side = SIDE_SERVER; side >= SIDE_CLIENT && trust; side--) {
		const struct endpoint *validator =
		    side == SIDE_SERVER ? &hs->client : &hs->server;
		struct trust_store *store = trust_for(trust, validator);
		int purpose = side == SIDE_SERVER ? X509_PURPOSE_SSL_SERVER
		                                  : X509_PURPOSE_SSL_CLIENT;
		hs->check[side] = cache_chain_check(cache, store, &hs->chains[side],
		                                    purpose, at, today);
		if (!hs->check[side])
			continue;
		store->uses++;
		if (side == SIDE_SERVER)
			hs->server_chain_store = store->label;
		else
			hs->client_chain_store = store->label;
	}
}

void diagnose(struct handshake *hs, const struct config *cfg,
              const struct trust_set *trust, struct cache *cache)
{
	time_t at = cfg->have_at ? cfg->at : hs->ts.tv_sec;
	check_chains(hs, trust, cache, at);
	alerts(hs);
	handshake_level(hs);
	certificates(hs, cfg);
	for (int side = SIDE_SERVER; side >= SIDE_CLIENT; side--) {
		chain_order(hs, side);
		if (hs->check[side])
			trust_rules_side(hs, side);
	}
	mismatch(hs, cfg);
	ERR_clear_error();
}
