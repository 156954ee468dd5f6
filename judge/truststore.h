/* truststore.h: the trust stores certscope judges chains against.
 *
 * Each --trust-dir / --trust-file names a store; those given with ADDR=
 * belong to the device at ADDR and judge the chains sent to it (with
 * ADDR:PORT=, only where that device judges on port PORT), the others
 * are merged into one store that judges every other chain.  With none, the
 * system's default bundle is the store.  A trust_set owns its stores and
 * their certificates; chains borrow them.
 */
#ifndef CERTSCOPE_TRUSTSTORE_H
#define CERTSCOPE_TRUSTSTORE_H

#include "../common/config.h"
#include "../common/endpoint.h"

#include <openssl/x509.h>
#include <stdio.h>

enum store_finding_kind { STORE_EXPIRED_ANCHOR, STORE_DUPLICATE_SUBJECT };

struct store_finding {
	enum store_finding_kind kind;
	/* the expired anchor (NULL where the system's bundle did not decode
	 * it), or the second certificate of a subject */
	X509 *cert;
	X509 *other; /* the first certificate of that subject */
	/* worked out once, for the writers */
	char *subject; /* of cert, RFC 2253 escaped; may be NULL */
	char sha256[65], other_sha256[65];
};

struct bundle;

struct trust_store {
	char *label;  /* the path(s) given, or "system" */
	char *device; /* the address it belongs to, or NULL for every device */
	struct endpoint device_ep;
	/* the device's service it belongs to (ADDR:PORT=): chains judged by
	 * the device at that port; 0 for all of the device's */
	int device_port;
	X509_STORE *store;
	STACK_OF(X509) * certs; /* every certificate loaded, without repeats */
	/* the system's bundle, read without decoding it (bundle.h): store
	 * holds of it what chains judged so far could need, and certs,
	 * findings and fingerprint are empty (the trust_store_ functions below
	 * answer for it) */
	struct bundle *bundle;
	time_t at; /* of trust_store_scan */
	size_t files, rejected_files;
	size_t max_files;      /* files read of one folder (cfg->max_trust_files) */
	size_t files_over_cap; /* files of a folder past max_files, not read */
	size_t uses;           /* chains it judged */
	struct store_finding *findings;
	size_t n_findings;
	/* Every time at which a certificate of the store enters or leaves its
	 * validity, sorted (trust_store_scan): between two of them, and with
	 * one presented chain, verification gives one answer.  times_known is
	 * false when OpenSSL reads the store's folder itself as it verifies. */
	time_t *bounds;
	size_t n_bounds;
	bool times_known;
	bool lazy; /* X509_STORE_set_default_paths: certs does not hold the store */
	/* what it holds, independent of its path (trust_store_scan): "system"
	 * for OpenSSL's default paths; trust_store_fingerprint() */
	char fingerprint[17];
};

struct trust_set {
	struct trust_store **stores; /* per-device stores first, the shared one last */
	size_t n;
};

/* Loads every store the configuration names (or the system's).  Files that
 * hold no certificate are reported on err with the reason and skipped.
 * Returns 0, or -1 when a store could not be read at all (a missing folder). */
int trust_set_load(struct trust_set *ts, const struct config *cfg, time_t at, FILE *err);
void trust_set_fini(struct trust_set *ts);

/* The store that judges chains sent to the device at addr: the one of its
 * service at addr->port, else the device's own, else the shared one; NULL
 * when there is none. */
/* addr->port is the server port of the connection judged (a store bound to
 * ADDR:PORT judges only connections to server port PORT). */
struct trust_store *trust_for(const struct trust_set *ts, const struct endpoint *addr);

/* Loads one file or folder into a store (exposed for the tests). */
int trust_store_add_path(struct trust_store *s, const char *path, FILE *err);
/* Reads a PEM bundle into a new store without decoding it (bundle.h), as
 * the system's is read; -1, nothing done nor said, when it cannot be read
 * so: trust_store_add_path() then reads it. */
int trust_store_add_bundle(struct trust_store *s, const char *path);
/* Adds one certificate as a file holding it would (a repeat is kept once);
 * the store takes a reference of its own (exposed for the tests). */
int trust_store_add_x509(struct trust_store *s, X509 *x);
struct trust_store *trust_store_new(const char *label, const char *device);
void trust_store_free(struct trust_store *s);
/* Finds expired anchors (as of at) and subjects held by two certificates,
 * and indexes the validity times of the store's certificates. */
void trust_store_scan(struct trust_store *s, time_t at);

/* Adds the times at which a certificate valid from nb to na (inclusive)
 * may change a verification's answer: OpenSSL compares with <= and <. */
void validity_bounds(time_t nb, time_t na, time_t out[4]);

/* Lower-case hex SHA-256 of a certificate's DER. */
void cert_sha256_hex(X509 *x, char out[65]);

/* What a store finding is called in NDJSON, and one line for the report. */
const char *store_finding_code(enum store_finding_kind kind);
const char *store_finding_text(enum store_finding_kind kind);

/* The number of certificates a store holds. */
int trust_store_count(const struct trust_store *s);

/* What a store holds as one value, independent of its path: 16 hex digits
 * of the SHA-256 of its certificates' SHA-256s in hex, sorted; "system" for
 * OpenSSL's default paths. */
const char *trust_store_fingerprint(const struct trust_store *s);
/* n hex SHA-256s (sorted here) as trust_store_fingerprint() says them;
 * "" when memory runs out. */
void trust_fingerprint(const char **shas, size_t n, char out[17]);
/* The store's own findings (trust_store_scan), borrowed. */
size_t trust_store_findings(const struct trust_store *s,
                            const struct store_finding **out);
/* Whether two certificates of s may share x's subject (false: no
 * duplicate-subject finding of s names it). */
bool trust_store_subject_shared(const struct trust_store *s, X509 *x);
/* Readies s to judge the chain of leaf and untrusted: with a bundle, adds
 * to its X509_STORE what a chain of them could reach. */
void trust_store_prepare(const struct trust_store *s, X509 *leaf,
                         STACK_OF(X509) * untrusted);
/* The certificates of s whose subject may be name, in the store's order (a
 * store read whole: all of them): a new stack of borrowed references to
 * free with sk_X509_free, or NULL. */
STACK_OF(X509) * trust_store_named(const struct trust_store *s, const X509_NAME *name);

#endif
