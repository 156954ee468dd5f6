/* decrypt12.c: TLS 1.0 to 1.2 record protection (RFC 5246 6.2.3, 6.3; RFC
 * 2246 and 4346 for the IVs of 1.0 and 1.1), with the master secret of a key
 * log (CLIENT_RANDOM) and OpenSSL's EVP API.
 *
 *   key_block = PRF(master_secret, "key expansion",
 *                   server_random + client_random)
 *             = client MAC key, server MAC key, client key, server key,
 *               client IV, server IV
 *   AEAD (RFC 5288, RFC 7905): additional data = seq_num(8) type(1)
 *               version(2) length(2) of the plaintext
 *     AES-GCM: nonce = the IV's 4 bytes + the record's explicit 8
 *     ChaCha20-Poly1305: nonce = IV XOR the sequence number
 *   CBC: MAC-then-encrypt (padding, then the MAC, inside the encryption),
 *     or encrypt-then-MAC (RFC 7366): the MAC over the IV and ciphertext
 *   NULL: the plaintext, then its MAC
 *   MAC = HMAC(MAC key, seq_num type version length content)
 */
#include "decrypt.h"

#include "names.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <string.h>

/* The bulk ciphers certscope opens, by the part of the IANA suite name
 * after "_WITH_". */
static const struct bulk {
	const char *prefix;
	enum tls12_mode mode;
	const EVP_CIPHER *(*cipher)(void);
	size_t key_len, fixed_iv;
} bulks[] = {
    {"AES_128_GCM_", T12_GCM, EVP_aes_128_gcm, 16, 4},
    {"AES_256_GCM_", T12_GCM, EVP_aes_256_gcm, 32, 4},
    {"CHACHA20_POLY1305_", T12_CHACHA, EVP_chacha20_poly1305, 32, 12},
    {"AES_128_CBC_", T12_CBC, EVP_aes_128_cbc, 16, 16},
    {"AES_256_CBC_", T12_CBC, EVP_aes_256_cbc, 32, 16},
    {"CAMELLIA_128_CBC_", T12_CBC, EVP_camellia_128_cbc, 16, 16},
    {"CAMELLIA_256_CBC_", T12_CBC, EVP_camellia_256_cbc, 32, 16},
    {"3DES_EDE_CBC_", T12_CBC, EVP_des_ede3_cbc, 24, 8},
    {"NULL_", T12_NULL, NULL, 0, 0},
};

/* The hash after the bulk cipher: the MAC's (CBC, NULL) or the PRF's. */
static const EVP_MD *hash_named(const char *s)
{
	if (!strcmp(s, "SHA"))
		return EVP_sha1();
	if (!strcmp(s, "SHA256"))
		return EVP_sha256();
	if (!strcmp(s, "SHA384"))
		return EVP_sha384();
	if (!strcmp(s, "MD5"))
		return EVP_md5();
	return NULL;
}

bool tls12_suite_of(uint16_t suite, struct tls12_suite *out)
{
	const char *name = cipher_name(suite);
	const char *with = name ? strstr(name, "_WITH_") : NULL;
	memset(out, 0, sizeof(*out));
	if (!with)
		return false;
	with += strlen("_WITH_");
	for (size_t i = 0; i < sizeof(bulks) / sizeof(bulks[0]); i++) {
		const struct bulk *b = &bulks[i];
		size_t n = strlen(b->prefix);
		if (strncmp(with, b->prefix, n) != 0)
			continue;
		const EVP_MD *h = hash_named(with + n);
		if (!h)
			return false;
		out->mode = b->mode;
		out->cipher = b->cipher ? b->cipher() : NULL;
		out->key_len = b->key_len;
		out->fixed_iv = b->fixed_iv;
		out->block = b->mode == T12_CBC
		                 ? (size_t)EVP_CIPHER_get_block_size(out->cipher)
		                 : 0;
		bool aead = b->mode == T12_GCM || b->mode == T12_CHACHA;
		out->mac = aead ? NULL : h;
		out->mac_len = aead ? 0 : (size_t)EVP_MD_get_size(h);
		/* RFC 5246 5: SHA-256 unless the suite names SHA-384 */
		out->prf = h == EVP_sha384() ? EVP_sha384() : EVP_sha256();
		return true;
	}
	return false;
}

size_t tls12_null_mac_len(uint16_t suite)
{
	struct tls12_suite s;
	return tls12_suite_of(suite, &s) && s.mode == T12_NULL ? s.mac_len : 0;
}

/* The TLS PRF (RFC 5246 5; RFC 2246 5 for MD5 and SHA-1 before 1.2). */
static bool prf(const EVP_MD *md, bool tls12, const uint8_t *secret, size_t secret_len,
                const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len)
{
	bool ok = false;
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
	EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	if (kctx) {
		OSSL_PARAM params[] = {
		    OSSL_PARAM_construct_utf8_string(
		        OSSL_KDF_PARAM_DIGEST,
		        tls12 ? (char *)EVP_MD_get0_name(md) : (char *)"MD5-SHA1", 0),
		    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
		                                      (void *)secret, secret_len),
		    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, (void *)seed,
		                                      seed_len),
		    OSSL_PARAM_construct_end(),
		};
		ok = EVP_KDF_derive(kctx, out, out_len, params) == 1;
	}
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	ERR_clear_error();
	return ok;
}

bool tls12_keys_init(struct tls12_keys *k, uint16_t version, uint16_t suite, bool etm,
                     bool client, const uint8_t *master, size_t master_len,
                     const uint8_t client_random[32], const uint8_t server_random[32])
{
	memset(k, 0, sizeof(*k));
	if (version < 0x0301 || version > 0x0303 || !tls12_suite_of(suite, &k->s))
		return false;
	struct tls12_suite *s = &k->s;
	/* IVs from the key block: the AEAD's fixed part, CBC's in TLS 1.0 only
	 * (1.1 and 1.2 send one with every record) */
	size_t iv_len =
	    s->mode == T12_CBC ? (version == 0x0301 ? s->block : 0) : s->fixed_iv;
	uint8_t seed[13 + 64], block[2 * (48 + 32 + 16)];
	size_t need = 2 * (s->mac_len + s->key_len + iv_len);
	memcpy(seed, "key expansion", 13);
	memcpy(seed + 13, server_random, 32);
	memcpy(seed + 45, client_random, 32);
	if (need > sizeof(block) || !prf(s->prf, version == 0x0303, master, master_len,
	                                 seed, sizeof(seed), block, need))
		return false;
	size_t m = s->mac_len, kl = s->key_len, side = client ? 0 : 1;
	memcpy(k->mac_key, block + side * m, m);
	memcpy(k->key, block + 2 * m + side * kl, kl);
	memcpy(k->iv, block + 2 * m + 2 * kl + side * iv_len, iv_len);
	OPENSSL_cleanse(block, sizeof(block));
	k->version = version;
	k->etm = etm && s->mode == T12_CBC;
	if (s->mac) {
		k->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		k->mctx = k->mac ? EVP_MAC_CTX_new(k->mac) : NULL;
		if (!k->mctx) {
			tls12_keys_fini(k);
			return false;
		}
	}
	if (s->cipher && !(k->ctx = EVP_CIPHER_CTX_new())) {
		tls12_keys_fini(k);
		return false;
	}
	k->ready = true;
	return true;
}

void tls12_keys_fini(struct tls12_keys *k)
{
	if (!k->ready && !k->ctx && !k->mctx && !k->mac)
		return; /* never made (most flows): nothing to free or wipe */
	EVP_CIPHER_CTX_free(k->ctx);
	EVP_MAC_CTX_free(k->mctx);
	EVP_MAC_free(k->mac);
	OPENSSL_cleanse(k, sizeof(*k));
}

/* seq_num(8) type(1) version(2) length(2) */
static void pseudo_header(const struct tls12_keys *k, uint8_t type, size_t len,
                          uint8_t h[13])
{
	for (int i = 0; i < 8; i++)
		h[i] = (uint8_t)(k->seq >> (56 - 8 * i));
	h[8] = type;
	h[9] = (uint8_t)(k->version >> 8);
	h[10] = (uint8_t)k->version;
	h[11] = (uint8_t)(len >> 8);
	h[12] = (uint8_t)len;
}

/* Whether the MAC of content (of this type, at this sequence number) is
 * the one at mac. */
static bool mac_ok(struct tls12_keys *k, uint8_t type, const uint8_t *content, size_t len,
                   const uint8_t *mac)
{
	uint8_t h[13], out[EVP_MAX_MD_SIZE];
	size_t n = 0;
	pseudo_header(k, type, len, h);
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	                                     (char *)EVP_MD_get0_name(k->s.mac), 0),
	    OSSL_PARAM_construct_end(),
	};
	bool ok = EVP_MAC_init(k->mctx, k->mac_key, k->s.mac_len, params) == 1 &&
	          EVP_MAC_update(k->mctx, h, sizeof(h)) == 1 &&
	          EVP_MAC_update(k->mctx, content, len) == 1 &&
	          EVP_MAC_final(k->mctx, out, &n, sizeof(out)) == 1 &&
	          n == k->s.mac_len && CRYPTO_memcmp(out, mac, n) == 0;
	ERR_clear_error();
	return ok;
}

static bool aead_open(struct tls12_keys *k, uint8_t type, const uint8_t *in, size_t len,
                      uint8_t *out, size_t *out_len)
{
	uint8_t nonce[12], h[13];
	int n = 0, fin = 0;
	size_t skip = k->s.mode == T12_GCM ? 8 : 0;
	if (len < skip + 16)
		return false;
	size_t pt = len - skip - 16;
	if (k->s.mode == T12_GCM) {
		memcpy(nonce, k->iv, 4);
		memcpy(nonce + 4, in, 8);
	} else {
		memcpy(nonce, k->iv, 12);
		for (int i = 0; i < 8; i++)
			nonce[11 - i] ^= (uint8_t)(k->seq >> (8 * i));
	}
	pseudo_header(k, type, pt, h);
	EVP_CIPHER_CTX *c = k->ctx;
	bool ok =
	    EVP_CIPHER_CTX_reset(c) &&
	    EVP_DecryptInit_ex(c, k->s.cipher, NULL, NULL, NULL) &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) &&
	    EVP_DecryptInit_ex(c, NULL, NULL, k->key, nonce) &&
	    EVP_DecryptUpdate(c, NULL, &n, h, sizeof(h)) &&
	    EVP_DecryptUpdate(c, out, &n, in + skip, (int)pt) &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, (void *)(in + skip + pt)) &&
	    EVP_DecryptFinal_ex(c, out + n, &fin) == 1;
	ERR_clear_error();
	*out_len = pt;
	return ok;
}

/* CBC decryption of n bytes (a whole number of blocks) with iv; the
 * padding is left for the caller. */
static bool cbc_decrypt(struct tls12_keys *k, const uint8_t *iv, const uint8_t *in,
                        size_t n, uint8_t *out)
{
	int m = 0;
	EVP_CIPHER_CTX *c = k->ctx;
	bool ok = EVP_CIPHER_CTX_reset(c) &&
	          EVP_DecryptInit_ex(c, k->s.cipher, NULL, k->key, iv) &&
	          EVP_CIPHER_CTX_set_padding(c, 0) &&
	          EVP_DecryptUpdate(c, out, &m, in, (int)n) && (size_t)m == n;
	ERR_clear_error();
	return ok;
}

/* The block cipher's part of a record: the explicit IV (TLS 1.1 and 1.2)
 * or the last block of the previous record (TLS 1.0), then the data. */
static bool cbc_open(struct tls12_keys *k, uint8_t type, const uint8_t *in, size_t len,
                     uint8_t *out, size_t *out_len)
{
	size_t bs = k->s.block, m = k->s.mac_len;
	size_t enc = k->etm ? len - m : len; /* the encrypted bytes */
	if (len < m + bs || (k->etm && !mac_ok(k, type, in, enc, in + enc)))
		return false;
	bool explicit_iv = k->version >= 0x0302;
	const uint8_t *iv = explicit_iv ? in : k->iv, *data = explicit_iv ? in + bs : in;
	size_t n = explicit_iv ? enc - bs : enc;
	if (n == 0 || n % bs || !cbc_decrypt(k, iv, data, n, out))
		return false;
	if (!explicit_iv)
		memcpy(k->iv, in + enc - bs, bs);
	/* padding: pad + 1 bytes, each pad */
	size_t pad = out[n - 1];
	if (pad + 1 > n)
		return false;
	for (size_t i = n - pad - 1; i < n; i++)
		if (out[i] != pad)
			return false;
	n -= pad + 1;
	if (!k->etm) {
		if (n < m || !mac_ok(k, type, out, n - m, out + n - m))
			return false;
		n -= m;
	}
	*out_len = n;
	return true;
}

bool tls12_open(struct tls12_keys *k, uint8_t type, const uint8_t *in, size_t len,
                uint8_t *out, size_t *out_len)
{
	bool ok = false;
	if (!k->ready)
		return false;
	switch (k->s.mode) {
	case T12_GCM:
	case T12_CHACHA:
		ok = aead_open(k, type, in, len, out, out_len);
		break;
	case T12_CBC:
		ok = cbc_open(k, type, in, len, out, out_len);
		break;
	case T12_NULL:
		ok = len >= k->s.mac_len &&
		     mac_ok(k, type, in, len - k->s.mac_len, in + len - k->s.mac_len);
		if (ok) {
			memcpy(out, in, len - k->s.mac_len);
			*out_len = len - k->s.mac_len;
		}
		break;
	}
	if (ok)
		k->seq++;
	return ok;
}

void tls12_skip(struct tls12_keys *k, const uint8_t *in, size_t len)
{
	if (!k->ready)
		return;
	/* TLS 1.0 CBC chains the IV across records: the last ciphertext block */
	size_t enc = k->etm ? len - k->s.mac_len : len;
	if (k->s.mode == T12_CBC && k->version == 0x0301 && len >= k->s.mac_len &&
	    enc >= k->s.block)
		memcpy(k->iv, in + enc - k->s.block, k->s.block);
	k->seq++;
}
