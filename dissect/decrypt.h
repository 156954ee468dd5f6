/* decrypt.h: TLS 1.3 record protection (RFC 8446 sections 5.2-5.3 and
 * 7.1-7.3) with OpenSSL's EVP API, for reading a handshake whose secrets
 * are in a key log.  A tls13_keys is caller storage: tls13_keys_init()
 * fills it, tls13_keys_fini() frees what it holds. */
#ifndef CERTSCOPE_DECRYPT_H
#define CERTSCOPE_DECRYPT_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tls13_keys {
	EVP_CIPHER_CTX *ctx;
	const EVP_CIPHER *cipher;
	uint8_t key[32];
	size_t key_len;
	uint8_t iv[12];
	size_t tag_len;
	bool ccm;
	uint64_t seq;
	bool ready;
};

/* The hash of a TLS 1.3 cipher suite, or NULL for a suite certscope
 * cannot decrypt. */
const EVP_MD *tls13_suite_md(uint16_t suite);

/* Traffic keys from a traffic secret (RFC 8446 7.3). */
bool tls13_keys_init(struct tls13_keys *k, uint16_t suite, const uint8_t *secret,
                     size_t len);
void tls13_keys_fini(struct tls13_keys *k);

/* Opens one TLSCiphertext (header: the 5 record header bytes, the AAD).
 * On success out holds the content, *out_len its length and *type the inner
 * content type; false when the record fails authentication or has no
 * content type. out must hold len bytes. */
bool tls13_open(struct tls13_keys *k, const uint8_t header[5], const uint8_t *in,
                size_t len, uint8_t *out, size_t *out_len, uint8_t *type);

/* HKDF-Expand-Label (RFC 8446 7.1), exposed for the tests. */
bool hkdf_expand_label(const EVP_MD *md, const uint8_t *secret, size_t secret_len,
                       const char *label, uint8_t *out, size_t out_len);

#endif
