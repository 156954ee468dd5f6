/* diagnose.h: the catalogue of findings and the rules that make them.
 *
 * Every diagnosis certscope can make has one entry in diagnose.c: its code,
 * its usual severity, and the templates of its message and advice.  The
 * report, the NDJSON and the live view only render what diagnose() stored.
 */
#ifndef CERTSCOPE_DIAGNOSE_H
#define CERTSCOPE_DIAGNOSE_H

#include "../common/config.h"
#include "../dissect/tls.h"

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
	DIAG_TRUST_STORE_DUPLICATE_SUBJECT,
	DIAG_NO_CLIENT_CERTIFICATE,
	DIAG_ABORTED_AFTER_CERTIFICATE,
	DIAG_TLS13_ENCRYPTED_CERTIFICATE,
	DIAG_TRUST_STORE_MISMATCH,
	DIAG_CLIENT_CA_NOT_ACCEPTED,
	DIAG_CAPTURE_ONE_SIDED,
	DIAG_CAPTURE_GAP,
	DIAG_COUNT
};

/* The stable code string of a catalogue entry ("alert-" for DIAG_ALERT). */
const char *diag_code_name(enum diag_code code);

struct trust_set;

struct cache; /* cache.h */

/* Judge a finished handshake: builds its chains against the trust stores
 * (when trust is not NULL; verdicts come from cache when it holds them, and
 * cache may be NULL) and appends to hs->diags. */
void diagnose(struct handshake *hs, const struct config *cfg,
              const struct trust_set *trust, struct cache *cache);

/* The days before expiry at which expiring-soon is reported. */
#define EXPIRING_SOON_DAYS 30

#endif
