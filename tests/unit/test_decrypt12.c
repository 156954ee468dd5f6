/* test_decrypt12.c: dissect/decrypt.h for TLS 1.0 to 1.2 (decrypt12.c):
 * the suites read from their IANA names, the key block against a P_hash
 * written here from RFC 5246 5 (and RFC 2246 5's MD5 and SHA-1 halves for
 * TLS 1.0), and records sealed here as RFC 5246 6.2.3, RFC 5288, RFC 7905
 * and RFC 7366 lay them out, opened by tls12_open(): each content back,
 * every damaged byte refused, sequence numbers and TLS 1.0's chained IV
 * kept across records passed over. */
#include "dissect/decrypt.h"

#include "check.h"

#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <stdlib.h>

/* ---- the PRF, from RFC 5246 5 --------------------------------------------- */

/* P_hash(secret, seed): A(0) = seed, A(i) = HMAC(secret, A(i-1)),
 * output HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ... */
static void p_hash(const EVP_MD *md, const uint8_t *secret, size_t slen,
                   const uint8_t *seed, size_t seedlen, uint8_t *out, size_t n)
{
	uint8_t a[64], buf[64 + 128], block[64];
	unsigned int alen = 0, blen = 0;
	HMAC(md, secret, (int)slen, seed, seedlen, a, &alen);
	for (size_t done = 0; done < n;) {
		memcpy(buf, a, alen);
		memcpy(buf + alen, seed, seedlen);
		HMAC(md, secret, (int)slen, buf, alen + seedlen, block, &blen);
		for (size_t i = 0; i < blen && done < n; i++)
			out[done++] = block[i];
		HMAC(md, secret, (int)slen, a, alen, a, &alen);
	}
}

/* The TLS 1.2 PRF, or TLS 1.0's: P_MD5 of the secret's first half XOR
 * P_SHA-1 of its second. */
static void prf(const EVP_MD *md, bool tls10, const uint8_t *secret, size_t slen,
                const uint8_t *seed, size_t seedlen, uint8_t *out, size_t n)
{
	if (!tls10) {
		p_hash(md, secret, slen, seed, seedlen, out, n);
		return;
	}
	uint8_t x[256];
	size_t half = (slen + 1) / 2;
	p_hash(EVP_md5(), secret, half, seed, seedlen, out, n);
	p_hash(EVP_sha1(), secret + slen - half, half, seed, seedlen, x, n);
	for (size_t i = 0; i < n; i++)
		out[i] ^= x[i];
}

static uint8_t master[48], crand[32], srand_[32];

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

/* The key block as RFC 5246 6.3 lays it out, checked against the keys of
 * both directions. */
static bool key_block(uint16_t version, uint16_t suite, size_t mac, size_t key, size_t iv,
                      const EVP_MD *md)
{
	uint8_t seed[13 + 64], kb[256];
	memcpy(seed, "key expansion", 13);
	memcpy(seed + 13, srand_, 32);
	memcpy(seed + 45, crand, 32);
	size_t n = 2 * (mac + key + iv);
	prf(md, version < 0x0303, master, 48, seed, sizeof(seed), kb, n);
	for (int client = 1; client >= 0; client--) {
		struct tls12_keys k;
		size_t side = client ? 0 : 1;
		CHECK(tls12_keys_init(&k, version, suite, false, client, master, 48,
		                      crand, srand_));
		CHECK_EQ(k.s.mac_len, mac);
		CHECK_EQ(k.s.key_len, key);
		CHECK(memcmp(k.mac_key, kb + side * mac, mac) == 0);
		CHECK(memcmp(k.key, kb + 2 * mac + side * key, key) == 0);
		CHECK(memcmp(k.iv, kb + 2 * mac + 2 * key + side * iv, iv) == 0);
		tls12_keys_fini(&k);
	}
	return true;
}

static bool keys_tls12_gcm(void)
{
	return key_block(0x0303, 0xc02f, 0, 16, 4, EVP_sha256());
}

static bool keys_tls12_gcm_sha384(void)
{
	return key_block(0x0303, 0xc030, 0, 32, 4, EVP_sha384());
}

static bool keys_tls12_cbc_sha(void)
{
	/* TLS 1.1 and 1.2 CBC: no IV in the key block */
	return key_block(0x0303, 0x002f, 20, 16, 0, EVP_sha256());
}

static bool keys_tls12_chacha(void)
{
	return key_block(0x0303, 0xcca8, 0, 32, 12, EVP_sha256());
}

static bool keys_tls10_cbc(void)
{
	/* TLS 1.0: MD5 and SHA-1, and the CBC IVs from the key block */
	return key_block(0x0301, 0x0035, 20, 32, 16, NULL);
}

/* ---- suites ------------------------------------------------------------------- */

static bool suites(void)
{
	struct tls12_suite s;
	CHECK(tls12_suite_of(0xc02f, &s)); /* ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
	CHECK_EQ(s.mode, T12_GCM);
	CHECK(s.prf == EVP_sha256() && s.mac == NULL);
	CHECK(tls12_suite_of(0xc028, &s)); /* ECDHE_RSA_WITH_AES_256_CBC_SHA384 */
	CHECK_EQ(s.mode, T12_CBC);
	CHECK_EQ(s.mac_len, 48);
	CHECK(s.prf == EVP_sha384());
	CHECK(tls12_suite_of(0x000a, &s)); /* RSA_WITH_3DES_EDE_CBC_SHA */
	CHECK_EQ(s.block, 8);
	CHECK_EQ(s.key_len, 24);
	CHECK(tls12_suite_of(0x003b, &s)); /* RSA_WITH_NULL_SHA256 */
	CHECK_EQ(s.mode, T12_NULL);
	CHECK_EQ(tls12_null_mac_len(0x003b), 32);
	CHECK_EQ(tls12_null_mac_len(0x0002), 20); /* RSA_WITH_NULL_SHA */
	CHECK_EQ(tls12_null_mac_len(0xc02f), 0);
	CHECK(!tls12_suite_of(0x0005, &s)); /* RC4: not opened */
	CHECK(!tls12_suite_of(0x1301, &s)); /* TLS 1.3's */
	struct tls12_keys k;
	CHECK(
	    !tls12_keys_init(&k, 0x0300, 0x002f, false, true, master, 48, crand, srand_));
	CHECK(
	    !tls12_keys_init(&k, 0x0304, 0xc02f, false, true, master, 48, crand, srand_));
	return true;
}

/* ---- records sealed here ------------------------------------------------------ */

static void header(uint64_t seq, uint8_t type, uint16_t version, size_t len,
                   uint8_t h[13])
{
	for (int i = 0; i < 8; i++)
		h[i] = (uint8_t)(seq >> (56 - 8 * i));
	h[8] = type;
	h[9] = (uint8_t)(version >> 8);
	h[10] = (uint8_t)version;
	h[11] = (uint8_t)(len >> 8);
	h[12] = (uint8_t)len;
}

static size_t hmac(const struct tls12_keys *k, const uint8_t h[13], const uint8_t *p,
                   size_t n, uint8_t *out)
{
	uint8_t buf[2048];
	unsigned int len = 0;
	memcpy(buf, h, 13);
	memcpy(buf + 13, p, n);
	HMAC(k->s.mac, k->mac_key, (int)k->s.mac_len, buf, 13 + n, out, &len);
	return len;
}

/* A record of content p as the sender of k writes it at sequence number
 * seq; iv: TLS 1.0's chained CBC IV, updated. */
static size_t seal(const struct tls12_keys *k, uint64_t seq, uint8_t type,
                   const uint8_t *p, size_t n, uint8_t *iv, uint8_t *out)
{
	uint8_t h[13], nonce[12], plain[2048];
	int m = 0, f = 0;
	size_t bs = k->s.block, mac = k->s.mac_len, o = 0;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	switch (k->s.mode) {
	case T12_GCM:
	case T12_CHACHA:
		header(seq, type, k->version, n, h);
		if (k->s.mode == T12_GCM) {
			memcpy(nonce, k->iv, 4);
			for (int i = 0; i < 8; i++)
				out[i] = nonce[4 + i] = (uint8_t)(0xe0 + i + seq);
			o = 8;
		} else {
			memcpy(nonce, k->iv, 12);
			for (int i = 0; i < 8; i++)
				nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
		}
		EVP_EncryptInit_ex(c, k->s.cipher, NULL, NULL, NULL);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL);
		EVP_EncryptInit_ex(c, NULL, NULL, k->key, nonce);
		EVP_EncryptUpdate(c, NULL, &m, h, 13);
		EVP_EncryptUpdate(c, out + o, &m, p, (int)n);
		EVP_EncryptFinal_ex(c, out + o + m, &f);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, out + o + n);
		o += n + 16;
		break;
	case T12_NULL:
		header(seq, type, k->version, n, h);
		memcpy(out, p, n);
		o = n + hmac(k, h, p, n, out + n);
		break;
	case T12_CBC: {
		/* MAC-then-encrypt, or encrypt-then-MAC: content, [MAC], padding */
		size_t q = n;
		memcpy(plain, p, n);
		if (!k->etm) {
			header(seq, type, k->version, n, h);
			q += hmac(k, h, p, n, plain + q);
		}
		size_t pad = bs - 1 - q % bs + bs; /* one block more than needed */
		memset(plain + q, (int)pad, pad + 1);
		q += pad + 1;
		bool explicit_iv = k->version >= 0x0302;
		uint8_t ivb[16];
		if (explicit_iv)
			for (size_t i = 0; i < bs; i++)
				out[o++] = ivb[i] = (uint8_t)(0x90 + i + seq);
		else
			memcpy(ivb, iv, bs);
		EVP_EncryptInit_ex(c, k->s.cipher, NULL, k->key, ivb);
		EVP_CIPHER_CTX_set_padding(c, 0);
		EVP_EncryptUpdate(c, out + o, &m, plain, (int)q);
		o += q;
		if (!explicit_iv)
			memcpy(iv, out + o - bs, bs);
		if (k->etm) {
			header(seq, type, k->version, o, h);
			o += hmac(k, h, out, o, out + o);
		}
		(void)mac;
		break;
	}
	}
	EVP_CIPHER_CTX_free(c);
	return o;
}

/* Three records from one sender: the first opened, the second passed over
 * (application data), the third opened; then the third again, damaged at
 * each byte: never opened. */
static bool round_trip(uint16_t version, uint16_t suite, bool etm)
{
	struct tls12_keys tx, rx;
	uint8_t rec[3][2048], out[2048], iv[16];
	size_t len[3], n = 0;
	static const uint8_t finished[] = {20, 0, 0, 12, 1, 2,  3,  4,
	                                   5,  6, 7, 8,  9, 10, 11, 12};
	static const uint8_t alert[] = {2, 48};
	uint8_t data[300];
	fill(data, sizeof(data), 0x41);
	CHECK(tls12_keys_init(&tx, version, suite, etm, true, master, 48, crand, srand_));
	CHECK(tls12_keys_init(&rx, version, suite, etm, true, master, 48, crand, srand_));
	memcpy(iv, tx.iv, sizeof(iv));
	len[0] = seal(&tx, 0, 22, finished, sizeof(finished), iv, rec[0]);
	len[1] = seal(&tx, 1, 23, data, sizeof(data), iv, rec[1]);
	len[2] = seal(&tx, 2, 21, alert, sizeof(alert), iv, rec[2]);
	CHECK(tls12_open(&rx, 22, rec[0], len[0], out, &n));
	CHECK_EQ(n, sizeof(finished));
	CHECK(memcmp(out, finished, n) == 0);
	tls12_skip(&rx, rec[1], len[1]);
	struct tls12_keys saved = rx;
	for (size_t i = 0; i < len[2]; i++) {
		rec[2][i] ^= 0x01;
		rx.seq = saved.seq;
		memcpy(rx.iv, saved.iv, sizeof(rx.iv));
		CHECK(!tls12_open(&rx, 21, rec[2], len[2], out, &n));
		rec[2][i] ^= 0x01;
	}
	rx.seq = saved.seq;
	memcpy(rx.iv, saved.iv, sizeof(rx.iv));
	/* the outer type is authenticated too */
	CHECK(!tls12_open(&rx, 22, rec[2], len[2], out, &n));
	rx.seq = saved.seq;
	memcpy(rx.iv, saved.iv, sizeof(rx.iv));
	CHECK(tls12_open(&rx, 21, rec[2], len[2], out, &n));
	CHECK_EQ(n, 2);
	CHECK(out[0] == 2 && out[1] == 48);
	CHECK_EQ(rx.seq, 3);
	tls12_keys_fini(&tx);
	tls12_keys_fini(&rx);
	return true;
}

static bool aes_gcm(void)
{
	return round_trip(0x0303, 0xc02f, false) && round_trip(0x0303, 0xc030, false);
}

static bool chacha20_poly1305(void)
{
	return round_trip(0x0303, 0xcca8, false);
}

static bool cbc_mac_then_encrypt(void)
{
	/* AES-128 SHA-1, AES-256 SHA-256, AES-256 SHA-384, 3DES SHA-1 */
	return round_trip(0x0303, 0x002f, false) && round_trip(0x0303, 0x003d, false) &&
	       round_trip(0x0303, 0xc028, false) && round_trip(0x0303, 0x000a, false);
}

static bool cbc_encrypt_then_mac(void)
{
	return round_trip(0x0303, 0x002f, true) && round_trip(0x0303, 0xc028, true);
}

static bool cbc_tls10_chained_iv(void)
{
	/* TLS 1.0: the IV of each record is the last block of the one before,
	 * a record passed over included; TLS 1.1: explicit */
	return round_trip(0x0301, 0x002f, false) && round_trip(0x0302, 0x0035, false);
}

static bool null_cipher(void)
{
	return round_trip(0x0303, 0x003b, false) && round_trip(0x0301, 0x0002, false);
}

/* Keys of the server's writes do not open the client's. */
static bool wrong_direction(void)
{
	struct tls12_keys tx, rx;
	uint8_t rec[128], out[128], iv[16] = {0};
	size_t n = 0;
	static const uint8_t alert[] = {1, 0};
	CHECK(
	    tls12_keys_init(&tx, 0x0303, 0xc02f, false, true, master, 48, crand, srand_));
	CHECK(tls12_keys_init(&rx, 0x0303, 0xc02f, false, false, master, 48, crand,
	                      srand_));
	size_t len = seal(&tx, 0, 21, alert, 2, iv, rec);
	CHECK(!tls12_open(&rx, 21, rec, len, out, &n));
	CHECK(!tls12_open(&rx, 21, rec, 7, out, &n)); /* shorter than its tag */
	tls12_keys_fini(&tx);
	tls12_keys_fini(&rx);
	CHECK(!tls12_open(&rx, 21, rec, len, out, &n)); /* no keys */
	return true;
}

static const struct {
	const char *name;
	bool (*fn)(void);
} cases[] = {
    {"keys_tls12_gcm", keys_tls12_gcm},
    {"keys_tls12_gcm_sha384", keys_tls12_gcm_sha384},
    {"keys_tls12_cbc_sha", keys_tls12_cbc_sha},
    {"keys_tls12_chacha", keys_tls12_chacha},
    {"keys_tls10_cbc", keys_tls10_cbc},
    {"suites", suites},
    {"aes_gcm", aes_gcm},
    {"chacha20_poly1305", chacha20_poly1305},
    {"cbc_mac_then_encrypt", cbc_mac_then_encrypt},
    {"cbc_encrypt_then_mac", cbc_encrypt_then_mac},
    {"cbc_tls10_chained_iv", cbc_tls10_chained_iv},
    {"null_cipher", null_cipher},
    {"wrong_direction", wrong_direction},
};

int main(void)
{
	fill(master, sizeof(master), 0x10);
	fill(crand, sizeof(crand), 0x20);
	fill(srand_, sizeof(srand_), 0x30);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(cases[i].name, cases[i].fn());
	return check_summary();
}
