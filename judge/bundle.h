/* bundle.h: the system's bundle of CA certificates, read without decoding
 * its certificates.
 *
 * OpenSSL 3 spends over a million instructions decoding one certificate
 * (most of it on the public key), some 200 million on a bundle of 150 CAs,
 * of which a run of certscope on a private PKI uses none.  So the bundle's
 * PEM is only base64-decoded and each certificate's DER walked for what
 * every run needs (its validity, its names' lookup keys); a certificate is
 * decoded and added to the X509_STORE when a chain judged against it could
 * reach it (bundle_prepare), and what only some output needs (the SHA-256
 * fingerprint, the store's own findings, the whole list) is worked out when
 * first asked for.  Every answer is the one decoding the whole bundle up
 * front gave: a file this reader cannot vouch for (anything but plain
 * CERTIFICATE blocks of DER, a certificate whose framing or times OpenSSL
 * would read otherwise) is not read here, and the caller reads it the
 * ordinary way.
 *
 * A bundle owns its DER and the certificates it decoded (the X509_STORE and
 * the stack of bundle_certs hold references of their own).  One thread.
 */
#ifndef CERTSCOPE_BUNDLE_H
#define CERTSCOPE_BUNDLE_H

#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct store_finding;

struct bundle;

/* Reads the PEM bundle at path; NULL when it cannot be read this way (not
 * a regular file, over the size cap, anything but CERTIFICATE blocks of
 * DER, out of memory): the caller then reads it as any trust file. */
struct bundle *bundle_read(const char *path);
void bundle_free(struct bundle *b);

/* Certificates it holds, repeats counted once. */
size_t bundle_count(const struct bundle *b);
/* The validity of certificate i, as asn1_time() reads OpenSSL's reading of
 * it; false when it cannot. */
bool bundle_times(const struct bundle *b, size_t i, time_t *not_before,
                  time_t *not_after);

/* Adds to store every certificate of the bundle that a chain of leaf and
 * untrusted could be built through: those whose subject is the subject or
 * the issuer of one of them, and so on up.  OpenSSL looks a store up only
 * by the issuer names of the chain it builds, so it finds in store all it
 * would find had the whole bundle been added. */
void bundle_prepare(struct bundle *b, X509_STORE *store, X509 *leaf,
                    STACK_OF(X509) * untrusted);

/* Whether a certificate of the bundle may share x's subject with another
 * (false: no duplicate-subject finding can name it). */
bool bundle_subject_shared(struct bundle *b, X509 *x);

/* What the bundle holds as one value (trust_store's fingerprint), worked
 * out on the first call. */
const char *bundle_fingerprint(struct bundle *b);

/* The store's own findings as of at (trust_store_scan's, in its order),
 * worked out on the first call; *out borrowed.  An expired anchor's cert
 * may be NULL: it is not decoded for a finding that names it by subject. */
size_t bundle_findings(struct bundle *b, time_t at, const struct store_finding **out);

/* The certificates that may have subject name (more may come than have
 * it), decoded, in the bundle's order: a new stack of borrowed references
 * (sk_X509_free), or NULL. */
STACK_OF(X509) * bundle_named(struct bundle *b, const X509_NAME *name);

#endif
