/* certificate.h: one certificate as certscope reports it.
 *
 * cert_new() decodes DER with OpenSSL and owns the resulting X509.  A cert
 * is shared and never changed once made, but for one memo (below):
 * cert_ref() takes another reference, cert_free() drops one and frees the
 * cert with the last (the dissector's cache, cache.h, holds one so a
 * certificate seen again is not decoded again).  A certificate OpenSSL cannot decode is
 * still kept, with its fingerprint and parse_error set, so the chain stays complete.  All
 * strings are escaped: control characters and bytes outside printable ASCII appear as
 * \xHH, so they are safe for a terminal and a file name is never built from them.
 */
#ifndef CERTSCOPE_CERTIFICATE_H
#define CERTSCOPE_CERTIFICATE_H

#include "../common/bytes.h"
#include "../common/endpoint.h"
#include "../common/text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>
#include <stdio.h>
#include <time.h>

struct cert {
	X509 *x509;               /* NULL when the DER did not decode */
	const unsigned char *der; /* the bytes of blob */
	size_t der_len;
	struct der_blob *blob; /* a reference: the DER as the dissector kept it */
	char sha256[65];
	uint64_t der_hash;      /* der_hash() of der, for the cache */
	char *subject, *issuer; /* RFC 2253 */
	char *serial;           /* upper-case hex */
	time_t not_before, not_after;
	bool have_validity;
	struct string_list san; /* "DNS:a.example", "IP:192.0.2.1", ... */
	size_t san_chars;       /* characters of all SAN names */
	char *key_type;         /* "RSA", "EC", "Ed25519", ... */
	int key_bits;
	char *signature_algorithm;
	struct string_list eku;
	bool has_eku; /* the extension is present (absent means any use) */
	bool is_ca;
	bool self_signed;
	char *parse_error;
	unsigned refs; /* one thread only: the dissector's */
	/* The one thing learnt after a cert is made, by the dissector's thread:
	 * whether the certificate with this fingerprint issued it (chain order
	 * is checked on every handshake of a server that sends the same chain). */
	char issuer_memo[65];
	bool issuer_memo_ok;
};

/* A presented chain, decoded: the certificates one side sent, in order. */
struct chain {
	struct cert **certs;
	size_t n;
	bool seen;        /* a Certificate message came from this side */
	size_t dropped;   /* certificates past the cap */
	size_t oversized; /* certificates over the size cap, kept undecoded */
};

struct cert *cert_new(const uint8_t *der, size_t len);
/* The same, from DER already held in a blob (a reference is taken, nothing
 * copied). */
struct cert *cert_new_blob(struct der_blob *b);
/* The fingerprint only, with why as its parse_error. */
struct cert *cert_new_undecoded(const uint8_t *der, size_t len, const char *why);
struct cert *cert_ref(struct cert *c);
void cert_free(struct cert *c);

/* An X.509 name in RFC 2253, escaped as above.  Returns a new string. */
char *name_string(const X509_NAME *name);

/* An X.509 time as seconds since the epoch; false when it does not parse. */
bool asn1_time(const ASN1_TIME *t, time_t *out);

/* Lower-case hex of 32 bytes (a SHA-256) into out, terminated. */
void sha256_hex(const unsigned char md[32], char out[65]);

/* One PEM block of the DER as it was sent (even one OpenSSL cannot decode);
 * false on a write error. */
bool pem_write_der(FILE *f, const uint8_t *der, size_t len);

/* The name and version of the crypto library, for --version. */
const char *crypto_version(void);

#endif
