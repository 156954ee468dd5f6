/* chain.h: one presented chain built and verified against one trust store.
 *
 * The chain is built by OpenSSL from what that handshake presented plus the
 * store, nothing else: no intermediate seen on another connection may vouch
 * for it.  A verify callback that never stops collects every error of every
 * certificate.  A chain_check owns its completed chain (chain_check_free).
 */
#ifndef CERTSCOPE_CHAIN_H
#define CERTSCOPE_CHAIN_H

#include "certificate.h"
#include "truststore.h"

#include <openssl/x509.h>
#include <time.h>

#define CHAIN_MAX_ERRORS 32

/* The security level chains are verified at: OpenSSL 3's default, the level
 * a peer built on OpenSSL with no configuration of its own refuses below
 * (a signature with SHA-1 or MD5, an RSA key under 1024 bits: "ca md too
 * weak", "ee key too small"). */
#define CHAIN_SECURITY_LEVEL 1
/* Whether an error of the chain is the security level's. */
bool chain_error_is_level(int code);

struct chain_error {
	int depth;        /* in the completed chain; 0 is the leaf */
	int code;         /* X509_V_ERR_* */
	const char *text; /* OpenSSL's sentence for code (static) */
};

/* What is said of each certificate of the completed chain, worked out once
 * a verdict and shared by its copies (chain_check_dup). */
struct chain_link {
	char sha256[65];
	char *subject, *issuer; /* RFC 2253, escaped (name_string) */
	unsigned char *der;     /* the certificate, for export */
	size_t der_len;
	time_t not_after; /* 0 when unreadable */
};

struct chain_links {
	unsigned refs;
	int n;
	struct chain_link v[];
};

struct chain_check {
	const struct trust_store *store; /* borrowed */
	time_t at;
	bool verified; /* no error at all at time at */
	STACK_OF(X509) * completed;
	bool *from_store;          /* per certificate of completed */
	struct chain_links *links; /* per certificate of completed; shared */
	struct chain_error errors[CHAIN_MAX_ERRORS];
	size_t n_errors;
	/* how the chain stands today, when that differs from at */
	bool today_checked, today_verified;
	char status[256]; /* one sentence, e.g. "valid when captured; expired since
	                     2019-08-05" */
};

/* Whether a verdict made at `at` also says how the chain stands today:
 * when today is another day than at. */
bool chain_checks_today(time_t at, time_t today);

/* purpose: X509_PURPOSE_SSL_SERVER or X509_PURPOSE_SSL_CLIENT */
struct chain_check *chain_check_new(const struct trust_store *store,
                                    const struct chain *presented, int purpose, time_t at,
                                    time_t today);
/* A copy of cc that owns its own completed chain, as if made at time at
 * (the cache's: only a result known to hold at at may be copied). */
struct chain_check *chain_check_dup(const struct chain_check *cc, time_t at);
void chain_check_free(struct chain_check *cc);
bool chain_check_has(const struct chain_check *cc, int code, int *depth);
/* The number of certificates of the completed chain. */
static inline int chain_check_length(const struct chain_check *cc)
{
	return cc->links ? cc->links->n : 0;
}
/* The certificate at depth of the completed chain, or NULL. */
const struct chain_link *chain_link_at(const struct chain_check *cc, int depth);

#endif
