/* catalogue.h: every diagnosis certscope can make, and every sentence it
 * says about one.
 *
 * catalogue.c holds one entry per code (its stable name, its severity, the
 * templates of its message and advice) and the phrases the rules put into
 * them (what an alert means and what to do about it, what a trust store
 * says of a refused chain, ...).  The report, the NDJSON and the live view
 * render only what the rules made from these; no wording lives elsewhere.
 */
#ifndef CERTSCOPE_CATALOGUE_H
#define CERTSCOPE_CATALOGUE_H

#include "verdict.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum diag_code {
	DIAG_ALERT,
	DIAG_ISSUER_NOT_FOUND,
	DIAG_UNTRUSTED_ROOT,
	DIAG_SELF_SIGNED_LEAF,
	DIAG_EXPIRED,
	DIAG_NOT_YET_VALID,
	DIAG_EXPIRING_SOON,
	DIAG_EKU_MISSING_CLIENT_AUTH,
	DIAG_EKU_MISSING_SERVER_AUTH,
	DIAG_NAME_MISMATCH,
	DIAG_WILDCARD_NAME,
	DIAG_KEY_TOO_LARGE,
	DIAG_WEAK_KEY,
	DIAG_WEAK_SIGNATURE,
	DIAG_SAN_TOO_LONG,
	DIAG_UNUSUAL_SUBJECT_ATTRIBUTE,
	DIAG_CHAIN_ORDER,
	DIAG_INVALID_ISSUER,
	DIAG_TRUST_STORE_DUPLICATE_SUBJECT,
	DIAG_NO_CLIENT_CERTIFICATE,
	DIAG_ABORTED_AFTER_CERTIFICATE,
	DIAG_TLS13_ENCRYPTED_CERTIFICATE,
	DIAG_TRUST_STORE_MISMATCH,
	DIAG_CLIENT_CA_NOT_ACCEPTED,
	DIAG_CAPTURE_ONE_SIDED,
	DIAG_CAPTURE_GAP,
	DIAG_MALFORMED_HANDSHAKE,
	DIAG_CERTIFICATE_UNDECODABLE,
	DIAG_COUNT
};

/* The phrases rules choose between and put into a template. */
enum phrase {
	PH_ATTRIBUTION_VERIFIES, /* the store given accepts the refused chain */
	PH_ATTRIBUTION_ISSUER,   /* ... it lacks the chain's issuer too */
	PH_ATTRIBUTION_ROOT,     /* ... it does not trust the chain's root either */
	PH_ATTRIBUTION_OTHER,    /* ... it rejects the chain for another reason */
	PH_ADVICE_UPLOAD_ANCHOR,
	PH_ADVICE_SEND_INTERMEDIATE,
	PH_ADVICE_UPLOAD_ISSUER,
	PH_ADVICE_NOTYET_SENT,
	PH_ADVICE_NOTYET_ANCHOR,
	PH_ADVICE_RENEW_SENT,
	PH_ADVICE_RENEW_ANCHOR,
	PH_ORIGIN_SENT,
	PH_ORIGIN_STORE,
	PH_INFERENCE_ALERT,
	PH_INFERENCE_WENT_ON,
	PH_INFERENCE_CLOSE,
	PH_EKU_WHY_DUAL,
	PH_EKU_WHY_SERVER,
	PH_EKU_WHY_CLIENT,
	PH_NAME_FROM_EXPECT,
	PH_NAME_FROM_SNI,
	PH_NO_SAN,
	PH_MISMATCH_REFUSED,
	PH_MISMATCH_REFUSED_ADVICE,
	PH_MISMATCH_COMPLETED,
	PH_MISMATCH_COMPLETED_ADVICE,
	PH_STORE_SAYS_ISSUER,
	PH_STORE_SAYS_ROOT,
	PH_STORE_SAYS_SELF_SIGNED,
	PH_STORE_SAYS_EXPIRED,
	PH_STORE_SAYS_NOTYET,
	PH_MISMATCH_ITL_ADVICE,
	PH_ATTRIBUTION_EXPLAINED,
	PH_ADVICE_ITL,
	PH_ANOMALY_SHORT,
	PH_ANOMALY_TRAILING,
	PH_ANOMALY_INVALID,
	PH_ANOMALY_UNKNOWN,
	PH_ANOMALY_OVERSIZED,
	PH_ANOMALY_ALERTS_CAP,
	PH_ANOMALY_RESYNC,
	PH_KIT_SEND_STORE,        /* the "store" of a sender's fix kit */
	PH_KIT_SEND_UPLOAD,       /* where the intermediates it should send go */
	PH_KIT_ADVICE,            /* a finding's advice, naming its kits' folders */
	PH_ATTRIBUTION_HOLDS,     /* the store given for the refusing side accepts */
	PH_ATTRIBUTION_NOT_STORE, /* ... and the alert is not about a missing CA */
	PH_ADVICE_STORE_HOLDS,
	PH_INVALID_CA_FALSE, /* invalid-issuer: its message, by RFC 5280 reason */
	PH_INVALID_NO_BASIC_CONSTRAINTS,
	PH_INVALID_NO_CERTSIGN,
	PH_INVALID_PATH_LENGTH,
	PH_INVALID_NAMES,
	PH_INVALID_PURPOSE,
	PH_INVALID_ADVICE_CA, /* ... and its advice */
	PH_INVALID_ADVICE_PATH_LENGTH,
	PH_INVALID_ADVICE_NAMES,
	PH_INVALID_ADVICE_PURPOSE,
	PH_LEVEL_REFUSES,    /* the security level of chain.h refused a certificate */
	PH_ADVICE_EXPLAINED, /* unknown_ca or certificate_unknown a finding explains */
	PH_LEVEL_REASON,     /* a verification error of the security level */
	PH_MEANING_REFUSED,  /* an alert's meaning where a finding says why */
	PH_ADVICE_FOLLOW,    /* handshake_failure or certificate_required explained */
	PH_NOCERT_ADVICE,    /* no-client-certificate, no CA list on the wire */
	PH_NOCERT_LISTED,    /* ... the server listed the CAs it takes */
	PH_NOCERT_ADVICE_LISTED,
	PH_GAP_HELLO_CUT,
	PH_COUNT
};

/* The days before expiry at which expiring-soon is reported. */
#define EXPIRING_SOON_DAYS 30

/* Whose configuration a diagnosis asks to change: the side that sent the
 * certificate (reissue, renew, send the chain), the side that judged it
 * (its trust store), or no device (what the capture could not show). */
enum fixer { FIX_NONE, FIX_OWNER, FIX_VALIDATOR };
enum fixer diag_fixer(enum diag_code code);
/* Whether a finding of code names the store that judged (its id and its
 * "store"): where the store is what is to change, or what lacks a
 * self-signed certificate. */
bool diag_names_store(enum diag_code code);

/* How strongly a code explains the refusal of a chain with alert (an alert
 * code; 0 for a silent close): the lower the stronger; -1 for a code that
 * explains no refusal. */
int diag_cause_rank(enum diag_code code, uint8_t alert);

/* The stable code string of an entry ("alert-" for DIAG_ALERT). */
const char *diag_code_name(enum diag_code code);
/* The entry's severity, which a rule overrides only where it says why. */
enum severity diag_severity(enum diag_code code);
const char *phrase(enum phrase p);

/* What an alert means, one sentence with {sender} and {receiver}; and the
 * advice for it, given whether the receiver sent a chain. */
const char *alert_meaning(uint8_t code);
const char *alert_advice(uint8_t code, bool receiver_sent_chain, bool sent_intermediates,
                         bool sent_root);
/* The alerts a side sends when it refuses the peer's certificate. */
bool alert_is_certificate(uint8_t code);
/* Why a TLS 1.3 handshake could not be read (enum decryption). */
const char *decryption_why(int decryption);

/* ---- rendering -------------------------------------------------------- */

struct var {
	const char *name;
	const char *value;
};

#define MAX_VARS 32

/* The variables a rule passes to a template: {name} is replaced by value. */
struct vars {
	struct var v[MAX_VARS];
	size_t n;
};

/* Sets {name} (a NULL value leaves it unset); the rules set a dozen a
 * diagnosis, so these are inline. */
static inline void var_set(struct vars *vs, const char *name, const char *value)
{
	if (vs->n < MAX_VARS && value)
		vs->v[vs->n++] = (struct var){name, value};
}

static inline void var_replace(struct vars *vs, const char *name, const char *value)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i].name, name) == 0)
			vs->v[i].value = value;
}
/* A template with its variables filled in (a new string), or NULL. */
char *render(const char *tmpl, const struct vars *vs);

/* Appends a diagnosis of code to v at severity sev, concerning side's
 * chain (-1: none) and the certificate with fingerprint sha256 (NULL for
 * none); alert names the alert of DIAG_ALERT. */
void diag_add(struct verdict *v, int side, enum diag_code code, const char *alert,
              enum severity sev, const char *sha256, const struct vars *vs);

#endif
