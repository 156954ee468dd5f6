/* decrypt.c: TLS 1.3 traffic keys and record decryption (RFC 8446).
 *
 *   HkdfLabel: length(2) label<7..255> = "tls13 " + Label, context<0..255>
 *   nonce = iv XOR (64-bit record sequence number, left-padded to 12 bytes)
 *   additional data = the record header; the tag ends the record
 *   TLSInnerPlaintext: content, content type(1), zeros
 */
#include "decrypt.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <string.h>

const EVP_MD *tls13_suite_md(uint16_t suite)
{
	switch (suite) {
	case 0x1301:
	case 0x1303:
	case 0x1304:
	case 0x1305:
		return EVP_sha256();
	case 0x1302:
		return EVP_sha384();
	default:
		return NULL;
	}
}

bool hkdf_expand_label(const EVP_MD *md, const uint8_t *secret, size_t secret_len,
                       const char *label, uint8_t *out, size_t out_len)
{
	uint8_t info[2 + 1 + 255 + 1];
	size_t llen = 6 + strlen(label);
	if (llen > 255 || out_len > 0xffff)
		return false;
	info[0] = (uint8_t)(out_len >> 8);
	info[1] = (uint8_t)out_len;
	info[2] = (uint8_t)llen;
	memcpy(info + 3, "tls13 ", 6);
	memcpy(info + 9, label, strlen(label));
	info[3 + llen] = 0; /* empty context */
	bool ok = false;
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	if (kctx) {
		int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
		OSSL_PARAM params[] = {
		    OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
		    OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
		                                     (char *)EVP_MD_get0_name(md), 0),
		    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)secret,
		                                      secret_len),
		    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info,
		                                      4 + llen),
		    OSSL_PARAM_construct_end(),
		};
		ok = EVP_KDF_derive(kctx, out, out_len, params) == 1;
	}
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	ERR_clear_error();
	return ok;
}

bool tls13_keys_init(struct tls13_keys *k, uint16_t suite, const uint8_t *secret,
                     size_t len)
{
	const EVP_MD *md = tls13_suite_md(suite);
	memset(k, 0, sizeof(*k));
	if (!md || len != (size_t)EVP_MD_get_size(md))
		return false;
	k->tag_len = 16;
	switch (suite) {
	case 0x1301:
		k->cipher = EVP_aes_128_gcm();
		break;
	case 0x1302:
		k->cipher = EVP_aes_256_gcm();
		break;
	case 0x1303:
		k->cipher = EVP_chacha20_poly1305();
		break;
	case 0x1304:
	case 0x1305:
		k->cipher = EVP_aes_128_ccm();
		k->ccm = true;
		k->tag_len = suite == 0x1305 ? 8 : 16;
		break;
	}
	k->key_len = (size_t)EVP_CIPHER_get_key_length(k->cipher);
	k->suite = suite;
	k->secret = OPENSSL_memdup(secret, len);
	k->secret_len = len;
	k->ctx = EVP_CIPHER_CTX_new();
	if (!k->ctx || !k->secret ||
	    !hkdf_expand_label(md, secret, len, "key", k->key, k->key_len) ||
	    !hkdf_expand_label(md, secret, len, "iv", k->iv, sizeof(k->iv))) {
		tls13_keys_fini(k);
		return false;
	}
	k->ready = true;
	return true;
}

void tls13_keys_fini(struct tls13_keys *k)
{
	if (!k->ready && !k->ctx && !k->secret)
		return; /* never made (most flows): nothing to free or wipe */
	EVP_CIPHER_CTX_free(k->ctx);
	OPENSSL_clear_free(k->secret, k->secret_len);
	OPENSSL_cleanse(k, sizeof(*k));
}

bool tls13_key_update(struct tls13_keys *k)
{
	uint8_t next[48];
	const EVP_MD *md = tls13_suite_md(k->suite);
	uint16_t suite = k->suite;
	size_t n = k->secret_len;
	bool ok =
	    k->ready && md && hkdf_expand_label(md, k->secret, n, "traffic upd", next, n);
	tls13_keys_fini(k);
	ok = ok && tls13_keys_init(k, suite, next, n);
	OPENSSL_cleanse(next, sizeof(next));
	return ok;
}

bool tls13_open(struct tls13_keys *k, const uint8_t header[5], const uint8_t *in,
                size_t len, uint8_t *out, size_t *out_len, uint8_t *type)
{
	uint8_t nonce[12];
	int n = 0, fin = 0;
	if (!k->ready || len < k->tag_len + 1)
		return false;
	size_t ct_len = len - k->tag_len;
	memcpy(nonce, k->iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(k->seq >> (8 * i));
	EVP_CIPHER_CTX *c = k->ctx;
	bool ok = EVP_CIPHER_CTX_reset(c) &&
	          EVP_DecryptInit_ex(c, k->cipher, NULL, NULL, NULL) &&
	          EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL);
	if (ok && k->ccm)
		/* CCM takes the tag and the length before anything else */
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)k->tag_len,
		                         (void *)(in + ct_len)) &&
		     EVP_DecryptInit_ex(c, NULL, NULL, k->key, nonce) &&
		     EVP_DecryptUpdate(c, NULL, &n, NULL, (int)ct_len) &&
		     EVP_DecryptUpdate(c, NULL, &n, header, 5) &&
		     EVP_DecryptUpdate(c, out, &n, in, (int)ct_len) == 1;
	else if (ok)
		ok = EVP_DecryptInit_ex(c, NULL, NULL, k->key, nonce) &&
		     EVP_DecryptUpdate(c, NULL, &n, header, 5) &&
		     EVP_DecryptUpdate(c, out, &n, in, (int)ct_len) &&
		     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)k->tag_len,
		                         (void *)(in + ct_len)) &&
		     EVP_DecryptFinal_ex(c, out + n, &fin) == 1;
	ERR_clear_error();
	if (!ok)
		return false;
	k->seq++;
	/* the content type is the last byte that is not zero padding */
	size_t m = ct_len;
	while (m > 0 && out[m - 1] == 0)
		m--;
	if (m == 0)
		return false;
	*type = out[m - 1];
	*out_len = m - 1;
	return true;
}
