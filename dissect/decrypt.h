/* decrypt.h: TLS 1.3 record protection (RFC 8446 sections 5.2-5.3 and
 * 7.1-7.3) with OpenSSL's EVP API, for reading a handshake whose secrets
 * are in a key log.  A tls13_keys is caller storage: tls13_keys_init()
 * fills it, tls13_keys_fini() frees what it holds. */
#ifndef CERTSCOPE_DECRYPT_H
#define CERTSCOPE_DECRYPT_H

#include <openssl/evp.h>
#include <openssl/types.h>
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
	uint16_t suite;
	uint8_t *secret; /* the traffic secret, for a KeyUpdate (owned) */
	size_t secret_len;
};

/* ---- TLS 1.0 to 1.2 (decrypt12.c) ---- */

enum tls12_mode { T12_GCM, T12_CHACHA, T12_CBC, T12_NULL };

/* What a cipher suite's records take, from its IANA name. */
struct tls12_suite {
	enum tls12_mode mode;
	const EVP_CIPHER *cipher; /* NULL for NULL */
	size_t key_len, fixed_iv, block;
	const EVP_MD *mac; /* CBC and NULL; NULL for an AEAD */
	size_t mac_len;
	const EVP_MD *prf; /* TLS 1.2's PRF hash */
};

/* The keys of one direction. */
struct tls12_keys {
	struct tls12_suite s;
	EVP_CIPHER_CTX *ctx;
	EVP_MAC *mac;
	EVP_MAC_CTX *mctx;
	uint8_t key[32], iv[16], mac_key[48];
	uint16_t version;
	bool etm; /* encrypt_then_mac (RFC 7366), a CBC suite */
	uint64_t seq;
	bool ready;
};

/* A suite certscope can open (AES-GCM, ChaCha20-Poly1305, AES, Camellia
 * and 3DES CBC with HMAC SHA-1, SHA-256 or SHA-384, NULL); false for the
 * rest. */
bool tls12_suite_of(uint16_t suite, struct tls12_suite *out);
/* The MAC length of a NULL suite (TLS_*_WITH_NULL_*), 0 for any other. */
size_t tls12_null_mac_len(uint16_t suite);
/* Keys of the client's (client) or the server's writes from the master
 * secret and the hellos' randoms; false for a version or suite certscope
 * cannot open. */
bool tls12_keys_init(struct tls12_keys *k, uint16_t version, uint16_t suite, bool etm,
                     bool client, const uint8_t *master, size_t master_len,
                     const uint8_t client_random[32], const uint8_t server_random[32]);
void tls12_keys_fini(struct tls12_keys *k);
/* Opens one record of outer type type: its content into out (len bytes
 * room), *out_len its length; false when it fails its MAC, tag or padding. */
bool tls12_open(struct tls12_keys *k, uint8_t type, const uint8_t *in, size_t len,
                uint8_t *out, size_t *out_len);
/* A record passed over unopened (application data): counted. */
void tls12_skip(struct tls12_keys *k, const uint8_t *in, size_t len);

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

/* A TLS 1.3 KeyUpdate (RFC 8446 7.2): the next traffic secret and keys. */
bool tls13_key_update(struct tls13_keys *k);

/* HKDF-Expand-Label (RFC 8446 7.1), exposed for the tests. */
bool hkdf_expand_label(const EVP_MD *md, const uint8_t *secret, size_t secret_len,
                       const char *label, uint8_t *out, size_t out_len);

#endif
