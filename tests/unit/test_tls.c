/* test_tls.c: the TLS dissector (dissect/record.c, handshake.c, hello.c)
 * driven through dissector_ops() with a fake flow and hand-built records; the
 * emit callback copies what the tests look at, since the handshake is freed
 * after emit returns.  The certificates and CA names the dissector keeps as
 * DER are decoded here with judge/'s helpers, to name them. */
#include "judge/certificate.h"
#include "judge/judge.h"
#include "judge/sites.h"
#include "dissect/decrypt.h"
#include "dissect/dissect.h"
#include "dissect/keylog.h"
#include "dissect/names.h"

#include "check.h"

#include <openssl/evp.h>
#include <stdlib.h>

/* A self-signed P-256 certificate for CN=unit.test, made once with
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
 *     -subj /CN=unit.test -days 3650 -outform DER
 * Its SHA-256 (openssl x509 -inform DER -outform DER | sha256sum) is
 * UNIT_DER_SHA256. */
static const uint8_t unit_der[] = {
    0x30, 0x82, 0x01, 0x7e, 0x30, 0x82, 0x01, 0x23, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02,
    0x14, 0x7e, 0x4e, 0x30, 0xd2, 0x12, 0xfb, 0x25, 0xeb, 0x35, 0x91, 0x66, 0x41, 0x3c,
    0x1a, 0x7f, 0x6a, 0x28, 0x5e, 0x1a, 0x5c, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x04, 0x03, 0x02, 0x30, 0x14, 0x31, 0x12, 0x30, 0x10, 0x06, 0x03, 0x55,
    0x04, 0x03, 0x0c, 0x09, 0x75, 0x6e, 0x69, 0x74, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x30,
    0x1e, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x31, 0x32, 0x33, 0x31, 0x39, 0x32, 0x30, 0x33,
    0x34, 0x5a, 0x17, 0x0d, 0x33, 0x36, 0x31, 0x31, 0x32, 0x30, 0x31, 0x39, 0x32, 0x30,
    0x33, 0x34, 0x5a, 0x30, 0x14, 0x31, 0x12, 0x30, 0x10, 0x06, 0x03, 0x55, 0x04, 0x03,
    0x0c, 0x09, 0x75, 0x6e, 0x69, 0x74, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x30, 0x59, 0x30,
    0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86,
    0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0x7a, 0x0a, 0xab, 0x30,
    0x66, 0x6d, 0x4c, 0x7c, 0x49, 0x7f, 0x72, 0x97, 0x92, 0xf2, 0x0c, 0xbd, 0x46, 0x26,
    0xfd, 0xe4, 0xe5, 0x7e, 0xa8, 0x3b, 0x77, 0x6b, 0x2c, 0x87, 0x17, 0x63, 0xb8, 0x71,
    0x0d, 0x8f, 0xce, 0x17, 0x13, 0xfa, 0x3f, 0x20, 0xa7, 0x35, 0x6b, 0xef, 0xa9, 0x47,
    0x9e, 0x9b, 0xe0, 0x7c, 0x1d, 0x86, 0xb4, 0xf2, 0xf8, 0x63, 0x48, 0xaa, 0x59, 0x3c,
    0x02, 0x3b, 0x8f, 0x60, 0xa3, 0x53, 0x30, 0x51, 0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d,
    0x0e, 0x04, 0x16, 0x04, 0x14, 0xae, 0xed, 0xad, 0xf0, 0xf0, 0x1f, 0xdf, 0xac, 0x00,
    0x5e, 0x8c, 0xf4, 0xb8, 0xcf, 0xe1, 0xd0, 0xf1, 0xb5, 0x09, 0x3e, 0x30, 0x1f, 0x06,
    0x03, 0x55, 0x1d, 0x23, 0x04, 0x18, 0x30, 0x16, 0x80, 0x14, 0xae, 0xed, 0xad, 0xf0,
    0xf0, 0x1f, 0xdf, 0xac, 0x00, 0x5e, 0x8c, 0xf4, 0xb8, 0xcf, 0xe1, 0xd0, 0xf1, 0xb5,
    0x09, 0x3e, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x05,
    0x30, 0x03, 0x01, 0x01, 0xff, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
    0x04, 0x03, 0x02, 0x03, 0x49, 0x00, 0x30, 0x46, 0x02, 0x21, 0x00, 0xc0, 0x3a, 0xe3,
    0xe3, 0x18, 0xf7, 0xb0, 0xc6, 0xde, 0x34, 0x29, 0x79, 0x01, 0xf9, 0x23, 0xb1, 0xa1,
    0x90, 0xaa, 0x94, 0xf1, 0xe0, 0x26, 0xb8, 0x8c, 0x9d, 0x2b, 0xd4, 0x0a, 0x2b, 0x71,
    0xab, 0x02, 0x21, 0x00, 0x82, 0xcf, 0x63, 0x81, 0xa9, 0x88, 0x39, 0x2f, 0x8d, 0xf3,
    0x7f, 0x57, 0xb6, 0xe5, 0x7b, 0x4b, 0x26, 0x22, 0x88, 0x3c, 0x1b, 0x9f, 0x4a, 0xd8,
    0x14, 0x38, 0x42, 0xe1, 0xd2, 0x12, 0xfe, 0xd8,
};
#define UNIT_DER_SHA256 "bd8eb71b1e6da285ad115459763e6b5d46b207248dcc8e2c4b42411ac944197f"

/* The DER of the Name CN=unit.test (UTF8String), as in the certificate. */
static const uint8_t unit_dn[] = {
    0x30, 0x14, 0x31, 0x12, 0x30, 0x10, 0x06, 0x03, 0x55, 0x04, 0x03,
    0x0c, 0x09, 'u',  'n',  'i',  't',  '.',  't',  'e',  's',  't',
};

/* ---- building records --------------------------------------------------- */

struct buf {
	uint8_t b[16384];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void u8(struct buf *b, uint8_t v)
{
	b->b[b->n++] = v;
}

static void u16(struct buf *b, uint16_t v)
{
	u8(b, (uint8_t)(v >> 8));
	u8(b, (uint8_t)v);
}

static void u24(struct buf *b, uint32_t v)
{
	u8(b, (uint8_t)(v >> 16));
	u16(b, (uint16_t)v);
}

static void fill(struct buf *b, uint8_t v, size_t n)
{
	memset(b->b + b->n, v, n);
	b->n += n;
}

/* Reserve a length field of width bytes; len_close() writes it. */
static size_t len_open(struct buf *b, int width)
{
	size_t at = b->n;
	fill(b, 0, (size_t)width);
	return at;
}

static void len_close(struct buf *b, size_t at, int width, int extra)
{
	size_t n = b->n - at - (size_t)width + (size_t)extra;
	for (int i = width - 1; i >= 0; i--) {
		b->b[at + (size_t)i] = (uint8_t)n;
		n >>= 8;
	}
}

static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
    0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
    0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

enum ch_fault {
	CH_OK,
	CH_EXTS_PAST_END, /* the extensions length says 10 bytes more than there are */
	CH_SNI_PAST_END,  /* the host name length runs past the SNI extension */
};

struct ch {
	const char *sni;
	const char *alpn[3];
	uint16_t versions[4];
	int n_suites;
	bool no_ext;
	size_t pad; /* bytes of a padding extension (21) */
	enum ch_fault fault;
	uint8_t random; /* the byte the random is made of; 0 for 0x11 */
};

static void client_hello(struct buf *b, const struct ch *c)
{
	u8(b, 1);
	size_t msg = len_open(b, 3);
	u16(b, 0x0303);
	fill(b, c->random ? c->random : 0x11, 32);
	u8(b, 32);
	fill(b, 0x22, 32);
	u16(b, (uint16_t)(2 * c->n_suites));
	for (int i = 0; i < c->n_suites; i++)
		u16(b, (uint16_t)(0x1301 + i));
	u8(b, 1);
	u8(b, 0);
	if (!c->no_ext) {
		size_t exts = len_open(b, 2);
		if (c->sni) {
			u16(b, 0);
			size_t ext = len_open(b, 2);
			size_t list = len_open(b, 2);
			u8(b, 0);
			size_t name = len_open(b, 2);
			put(b, c->sni, strlen(c->sni));
			len_close(b, name, 2, c->fault == CH_SNI_PAST_END ? 7 : 0);
			len_close(b, list, 2, 0);
			len_close(b, ext, 2, 0);
		}
		if (c->alpn[0]) {
			u16(b, 16);
			size_t ext = len_open(b, 2);
			size_t list = len_open(b, 2);
			for (int i = 0; i < 3 && c->alpn[i]; i++) {
				u8(b, (uint8_t)strlen(c->alpn[i]));
				put(b, c->alpn[i], strlen(c->alpn[i]));
			}
			len_close(b, list, 2, 0);
			len_close(b, ext, 2, 0);
		}
		if (c->versions[0]) {
			u16(b, 43);
			size_t ext = len_open(b, 2);
			size_t list = len_open(b, 1);
			for (int i = 0; i < 4 && c->versions[i]; i++)
				u16(b, c->versions[i]);
			len_close(b, list, 1, 0);
			len_close(b, ext, 2, 0);
		}
		if (c->pad) {
			u16(b, 21);
			u16(b, (uint16_t)c->pad);
			fill(b, 0, c->pad);
		}
		len_close(b, exts, 2, c->fault == CH_EXTS_PAST_END ? 10 : 0);
	}
	len_close(b, msg, 3, 0);
}

/* supported_version 0 for none */
static void server_hello(struct buf *b, uint16_t legacy, uint16_t supported_version,
                         bool hrr, uint16_t suite)
{
	u8(b, 2);
	size_t msg = len_open(b, 3);
	u16(b, legacy);
	if (hrr)
		put(b, hrr_random, 32);
	else
		fill(b, 0x33, 32);
	u8(b, 32);
	fill(b, 0x22, 32);
	u16(b, suite);
	u8(b, 0);
	if (supported_version) {
		size_t exts = len_open(b, 2);
		u16(b, 43);
		u16(b, 2);
		u16(b, supported_version);
		len_close(b, exts, 2, 0);
	}
	len_close(b, msg, 3, 0);
}

/* TLS 1.2 Certificate with n copies of the unit certificate */
static void certificate12(struct buf *b, int n)
{
	u8(b, 11);
	size_t msg = len_open(b, 3);
	size_t list = len_open(b, 3);
	for (int i = 0; i < n; i++) {
		u24(b, sizeof(unit_der));
		put(b, unit_der, sizeof(unit_der));
	}
	len_close(b, list, 3, 0);
	len_close(b, msg, 3, 0);
}

/* TLS 1.2 CertificateRequest naming CN=unit.test */
static void cert_request12(struct buf *b)
{
	u8(b, 13);
	size_t msg = len_open(b, 3);
	u8(b, 2);
	u8(b, 1);  /* rsa_sign */
	u8(b, 64); /* ecdsa_sign */
	u16(b, 4);
	u16(b, 0x0403);
	u16(b, 0x0804);
	size_t names = len_open(b, 2);
	u16(b, sizeof(unit_dn));
	put(b, unit_dn, sizeof(unit_dn));
	len_close(b, names, 2, 0);
	len_close(b, msg, 3, 0);
}

/* TLS 1.3 Certificate with the unit certificate: an empty request context,
 * and no extensions on the entry */
static void certificate13(struct buf *b)
{
	u8(b, 11);
	size_t msg = len_open(b, 3);
	u8(b, 0);
	size_t list = len_open(b, 3);
	u24(b, sizeof(unit_der));
	put(b, unit_der, sizeof(unit_der));
	u16(b, 0);
	len_close(b, list, 3, 0);
	len_close(b, msg, 3, 0);
}

static void empty_message(struct buf *b, uint8_t type)
{
	u8(b, type);
	u24(b, 0);
}

static void client_key_exchange(struct buf *b)
{
	u8(b, 16);
	u24(b, 33);
	u8(b, 32);
	fill(b, 0x44, 32);
}

/* Wrap body in records of type, at most max bytes each. */
static void records(struct buf *out, uint8_t type, const struct buf *body, size_t max)
{
	size_t off = 0;
	do {
		size_t n = body->n - off < max ? body->n - off : max;
		u8(out, type);
		u16(out, 0x0303);
		u16(out, (uint16_t)n);
		put(out, body->b + off, n);
		off += n;
	} while (off < body->n);
}

static void record(struct buf *out, uint8_t type, const struct buf *body)
{
	records(out, type, body, 16384);
}

static void alert(struct buf *out, uint8_t level, uint8_t code)
{
	struct buf a = {.n = 0};
	u8(&a, level);
	u8(&a, code);
	record(out, 21, &a);
}

static void ccs(struct buf *out)
{
	struct buf a = {.n = 0};
	u8(&a, 1);
	record(out, 20, &a);
}

/* A TLS 1.3 record of TLS_AES_128_GCM_SHA256 (RFC 8446 5.2): body and its
 * inner content type sealed with the traffic keys of secret (32 bytes), as
 * record number seq. */
static bool sealed(struct buf *out, const uint8_t secret[32], uint64_t seq, uint8_t type,
                   const struct buf *body)
{
	uint8_t key[16], iv[12], in[4096], tag[16];
	int n = 0, fin = 0;
	size_t len = body->n + 1;
	if (len > sizeof(in) ||
	    !hkdf_expand_label(EVP_sha256(), secret, 32, "key", key, sizeof(key)) ||
	    !hkdf_expand_label(EVP_sha256(), secret, 32, "iv", iv, sizeof(iv)))
		return false;
	for (int i = 0; i < 8; i++)
		iv[11 - i] ^= (uint8_t)(seq >> (8 * i));
	memcpy(in, body->b, body->n);
	in[body->n] = type;
	uint8_t header[5] = {23, 3, 3, (uint8_t)((len + 16) >> 8), (uint8_t)(len + 16)};
	put(out, header, 5);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	bool ok = c && EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, key, iv) &&
	          EVP_EncryptUpdate(c, NULL, &n, header, 5) &&
	          EVP_EncryptUpdate(c, out->b + out->n, &n, in, (int)len) &&
	          EVP_EncryptFinal_ex(c, out->b + out->n + n, &fin) &&
	          EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, tag);
	EVP_CIPHER_CTX_free(c);
	out->n += len;
	put(out, tag, 16);
	return ok;
}

/* The ClientHello most cases send. */
static const struct ch basic_ch = {
    .sni = "unit.test",
    .alpn = {"h2", "http/1.1"},
    .versions = {0x0a0a, 0x0304, 0x0303},
    .n_suites = 3,
};

/* ---- the fake flow -------------------------------------------------------- */

struct result {
	int emitted;
	bool sni_set;
	char sni[128];
	char alpn[128], versions[128], ca_names[128];
	uint16_t hello_version, version, cipher;
	bool sslv2_hello, client_hello_seen, server_hello_seen, tls13, done;
	bool certificate_requested, had_records;
	size_t n_suites;
	enum outcome outcome;
	size_t n_alerts;
	struct alert_event alerts[4];
	size_t n_certs[2];
	bool chain_seen[2];
	char leaf_sha256[2][65];
	char leaf_subject[2][128];
	struct endpoint client, server;
	enum decryption decryption;
	bool gap;
	int gap_side;
	uint32_t hello_cut_len, hello_cut_captured;
	char diags[256]; /* the codes, comma separated */
};

static void join(char *dst, size_t len, const struct string_list *l)
{
	dst[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			strncat(dst, ",", len - strlen(dst) - 1);
		strncat(dst, l->v[i], len - strlen(dst) - 1);
	}
}

static void emit(void *ctx, const struct handshake *hs)
{
	struct result *r = ctx;
	r->emitted++;
	r->sni_set = hs->sni != NULL;
	snprintf(r->sni, sizeof(r->sni), "%s", hs->sni ? hs->sni : "");
	join(r->alpn, sizeof(r->alpn), &hs->alpn);
	join(r->versions, sizeof(r->versions), &hs->offered_versions);
	struct string_list names = {0};
	for (size_t i = 0; i < hs->ca_names.n; i++) {
		const unsigned char *p = hs->ca_names.v[i].p;
		X509_NAME *n = d2i_X509_NAME(NULL, &p, (long)hs->ca_names.v[i].len);
		char *text = n ? name_string(n) : NULL;
		if (text)
			string_list_add(&names, text);
		free(text);
		X509_NAME_free(n);
	}
	join(r->ca_names, sizeof(r->ca_names), &names);
	string_list_fini(&names);
	r->hello_version = hs->hello_version;
	r->version = hs->version;
	r->cipher = hs->cipher;
	r->sslv2_hello = hs->sslv2_hello;
	r->client_hello_seen = hs->client_hello_seen;
	r->server_hello_seen = hs->server_hello_seen;
	r->tls13 = hs->tls13;
	r->done = hs->done;
	r->certificate_requested = hs->certificate_requested;
	r->had_records = hs->had_records;
	r->n_suites = hs->n_cipher_suites_offered;
	r->outcome = hs->outcome;
	r->n_alerts = hs->n_alerts;
	for (size_t i = 0; i < hs->n_alerts && i < 4; i++)
		r->alerts[i] = hs->alerts[i];
	for (int side = 0; side < 2; side++) {
		r->n_certs[side] = hs->chains[side].n;
		r->chain_seen[side] = hs->chains[side].seen;
		if (hs->chains[side].n) {
			const struct wire_cert *w = &hs->chains[side].certs[0];
			struct cert *c = cert_new(w->der, w->len);
			if (c) {
				snprintf(r->leaf_sha256[side],
				         sizeof(r->leaf_sha256[side]), "%s", c->sha256);
				snprintf(r->leaf_subject[side],
				         sizeof(r->leaf_subject[side]), "%s",
				         c->subject ? c->subject : "");
			}
			cert_free(c);
		}
	}
	r->client = hs->client;
	r->server = hs->server;
	r->decryption = hs->decryption;
	r->gap = hs->gap;
	r->gap_side = hs->gap_side;
	r->hello_cut_len = hs->hello_cut_len;
	r->hello_cut_captured = hs->hello_cut_captured;
	/* the codes a judge without trust stores gives it */
	struct config cfg;
	config_defaults(&cfg);
	struct judge *j = judge_new(&cfg, NULL, 0);
	struct verdict v = {0};
	if (j)
		judge_run(j, hs, &v);
	r->diags[0] = '\0';
	for (size_t i = 0; i < v.n_diags; i++) {
		if (i)
			strncat(r->diags, ",", sizeof(r->diags) - strlen(r->diags) - 1);
		strncat(r->diags, v.diags[i].name,
		        sizeof(r->diags) - strlen(r->diags) - 1);
	}
	verdict_fini(&v);
	judge_free(j);
}

#define CLIENT_PORT 50000
#define SERVER_PORT 443

struct run {
	struct config cfg;
	struct dissector *d;
	const struct stream_ops *ops;
	void *app;
	struct flow_view fv;
	struct timeval ts;
	struct result res;
	struct dissect_stats stats;
	struct keylog *keylog;       /* set before run_open; freed by run_close */
	enum stream_verdict verdict; /* the last feed's, as the reassembler keeps it */
};

/* ep[0] is the client unless server_first; syn says whether a SYN was seen. */
static void run_init(struct run *r, bool syn, bool server_first)
{
	struct endpoint cl = {.family = 4, .addr = {192, 0, 2, 10}, .port = CLIENT_PORT};
	struct endpoint sv = {.family = 4, .addr = {192, 0, 2, 20}, .port = SERVER_PORT};
	memset(r, 0, sizeof(*r));
	config_defaults(&r->cfg);
	r->fv.ep[0] = server_first ? sv : cl;
	r->fv.ep[1] = server_first ? cl : sv;
	r->fv.syn[0] = r->fv.syn[1] = syn;
	r->fv.packets[0] = r->fv.packets[1] = 1;
	r->fv.first_ts.tv_sec = 1800000000;
	r->ts = r->fv.first_ts;
}

/* After run_init and any change to cfg. */
static bool run_open(struct run *r)
{
	r->d = dissector_new(&r->cfg, emit, &r->res);
	if (!r->d)
		return false;
	if (r->keylog) {
		keylog_finish(r->keylog);
		dissector_set_keylog(r->d, r->keylog);
	}
	r->ops = dissector_ops();
	r->app = r->ops->open(r->d, &r->fv);
	return r->app != NULL;
}

/* As the reassembler does: once the dissector stops reading, it is given
 * no more bytes, and a flow it forgot is not closed. */
static enum stream_verdict feed(struct run *r, int dir, const void *p, size_t n)
{
	if (r->verdict == STREAM_MORE)
		r->verdict = r->ops->data(r->app, dir, p, n, &r->ts);
	return r->verdict;
}

static enum stream_verdict feed_buf(struct run *r, int dir, const struct buf *b)
{
	return feed(r, dir, b->b, b->n);
}

static void run_close(struct run *r)
{
	if (r->verdict != STREAM_FORGET)
		r->ops->close(r->app, &r->fv, CLOSE_END);
	r->stats = *dissector_stats(r->d);
	dissector_free(r->d);
	keylog_free(r->keylog);
}

#define OPEN(r, syn, server_first)                                                       \
	do {                                                                             \
		run_init((r), (syn), (server_first));                                    \
		CHECK(run_open(r));                                                      \
	} while (0)

/* ---- cases ---------------------------------------------------------------- */

/* SNI, ALPN and supported_versions (GREASE left out) come from the
 * ClientHello; the client is the side that sent it */
static bool client_hello_fields(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	CHECK_EQ(feed_buf(&r, 0, &rec), STREAM_MORE);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(r.res.client_hello_seen);
	CHECK(r.res.sni_set);
	CHECK_STR(r.res.sni, "unit.test");
	CHECK_STR(r.res.alpn, "h2,http/1.1");
	CHECK_STR(r.res.versions, "TLS 1.3,TLS 1.2");
	CHECK_EQ(r.res.hello_version, 0x0303);
	CHECK_EQ(r.res.n_suites, 3);
	CHECK(!r.res.server_hello_seen);
	CHECK_EQ(r.res.outcome, OUTCOME_INCOMPLETE);
	CHECK_EQ(r.res.client.port, CLIENT_PORT);
	CHECK_EQ(r.res.server.port, SERVER_PORT);
	CHECK_EQ(r.stats.records, 1);
	CHECK_EQ(r.stats.malformed, 0);
	CHECK_EQ(r.stats.handshakes, 1);
	return true;
}

/* a ClientHello the snaplen cut inside its ALPN extension: the fields up
 * to the cut are read (the SNI), the capture gap says how much of it was
 * captured, and the ServerHello after it is read */
static bool client_hello_cut(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	CHECK(rec.n > 110);
	CHECK_EQ(feed(&r, 0, rec.b, 110), STREAM_MORE);
	r.ops->gap(r.app, 0, rec.n - 110, &r.ts);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0, false, 0xc02f);
	record(&rec, 22, &m);
	CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(r.res.client_hello_seen);
	CHECK_STR(r.res.sni, "unit.test");
	CHECK_STR(r.res.alpn, "");
	CHECK(r.res.gap);
	CHECK_EQ(r.res.gap_side, SIDE_CLIENT);
	CHECK_EQ(r.res.hello_cut_captured, 110 - 9);
	CHECK(r.res.hello_cut_len > 110);
	CHECK(r.res.server_hello_seen);
	CHECK_EQ(r.res.client.port, CLIENT_PORT);
	CHECK(strstr(r.res.diags, "capture-gap") != NULL);
	CHECK(strstr(r.res.diags, "malformed-handshake") == NULL);
	return true;
}

/* a ClientHello with no extensions offers its legacy version */
static bool client_hello_no_extensions(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	struct ch c = {.n_suites = 1, .no_ext = true};
	OPEN(&r, true, false);
	client_hello(&m, &c);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(!r.res.sni_set);
	CHECK_STR(r.res.versions, "TLS 1.2");
	CHECK_STR(r.res.alpn, "");
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

/* a ServerHello choosing 0x0304 in supported_versions is TLS 1.3: the rest
 * is encrypted; without a key log the dissector still reads the first
 * encrypted records (for what their sizes let infer), outcome "encrypted" */
static bool tls13_server_hello(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	CHECK_EQ(feed_buf(&r, 0, &rec), STREAM_MORE);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0x0304, false, 0x1301);
	record(&rec, 22, &m);
	CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(r.res.server_hello_seen);
	CHECK(r.res.tls13);
	CHECK_EQ(r.res.version, 0x0304);
	CHECK_EQ(r.res.cipher, 0x1301);
	CHECK_EQ(r.res.outcome, OUTCOME_ENCRYPTED);
	CHECK_STR(outcome_name(r.res.outcome), "encrypted");
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

/* TLS 1.3 drafts: draft 28 in supported_versions (draft 22 and after), and
 * draft 18 in the version field of the older layout (no session id, no
 * compression): each named and read as TLS 1.3 */
static bool tls13_drafts(void)
{
	for (int k = 0; k < 2; k++) {
		struct run r;
		struct buf m = {.n = 0}, rec = {.n = 0};
		OPEN(&r, true, false);
		client_hello(&m, &basic_ch);
		record(&rec, 22, &m);
		CHECK_EQ(feed_buf(&r, 0, &rec), STREAM_MORE);
		m.n = rec.n = 0;
		if (k == 0) {
			server_hello(&m, 0x0303, 0x7f1c, false, 0x1301);
		} else {
			u8(&m, 2);
			size_t msg = len_open(&m, 3);
			u16(&m, 0x7f12);
			fill(&m, 0x33, 32);
			u16(&m, 0x1301);
			size_t exts = len_open(&m, 2);
			u16(&m, 51); /* key_share: not read */
			u16(&m, 4);
			fill(&m, 0x44, 4);
			len_close(&m, exts, 2, 0);
			len_close(&m, msg, 3, 0);
		}
		record(&rec, 22, &m);
		CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
		run_close(&r);
		CHECK_EQ(r.res.emitted, 1);
		CHECK(r.res.tls13);
		CHECK_EQ(r.res.version, k == 0 ? 0x7f1c : 0x7f12);
		CHECK_STR(version_name(r.res.version),
		          k == 0 ? "TLS 1.3 draft 28" : "TLS 1.3 draft 18");
		CHECK_EQ(r.res.cipher, 0x1301);
		CHECK_EQ(r.res.outcome, OUTCOME_ENCRYPTED);
		CHECK_EQ(r.stats.malformed, 0);
	}
	CHECK_STR(version_name(0x7f00), NULL);
	CHECK_STR(version_name(0x7f1d), NULL);
	CHECK(!version_tls13(0x0303));
	return true;
}

/* a HelloRetryRequest (the special random) carries supported_versions
 * 0x0304 but is not the negotiation: not TLS 1.3, not encrypted, and the
 * dissector keeps reading */
static bool hrr_not_tls13(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0x0304, true, 0x1301);
	record(&rec, 22, &m);
	CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(r.res.server_hello_seen);
	CHECK(!r.res.tls13);
	CHECK(!r.res.done);
	CHECK(r.res.outcome != OUTCOME_ENCRYPTED);
	CHECK_EQ(r.res.outcome, OUTCOME_INCOMPLETE);
	return true;
}

/* after a HelloRetryRequest, the second ClientHello is still plaintext and
 * the real ServerHello then negotiates TLS 1.3; the first ClientHello's
 * fields are kept */
static bool hrr_then_server_hello(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	struct ch second = basic_ch;
	second.sni = "second.test";
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0x0304, true, 0x1301);
	record(&rec, 22, &m);
	CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
	m.n = rec.n = 0;
	client_hello(&m, &second);
	record(&rec, 22, &m);
	CHECK_EQ(feed_buf(&r, 0, &rec), STREAM_MORE);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0x0304, false, 0x1302);
	record(&rec, 22, &m);
	CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
	run_close(&r);
	CHECK(r.res.tls13);
	CHECK_EQ(r.res.cipher, 0x1302);
	CHECK_STR(r.res.sni, "unit.test");
	CHECK_EQ(r.res.outcome, OUTCOME_ENCRYPTED);
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

/* The opening of a TLS 1.3 handshake with a retry, as OpenSSL writes it: the
 * HelloRetryRequest and the server's compatibility ChangeCipherSpec (RFC
 * 8446 D.4), the client's ChangeCipherSpec and second ClientHello (its
 * random made of the byte random2), then, unless hrr_only, the ServerHello
 * choosing suite. */
static void hrr_opening(struct run *r, uint8_t random2, bool hrr_only, uint16_t suite)
{
	struct buf m = {.n = 0}, rec = {.n = 0};
	struct ch second = basic_ch;
	second.random = random2;
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	feed_buf(r, 0, &rec);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0x0304, true, suite);
	record(&rec, 22, &m);
	ccs(&rec);
	feed_buf(r, 1, &rec);
	m.n = rec.n = 0;
	ccs(&rec);
	client_hello(&m, &second);
	record(&rec, 22, &m);
	feed_buf(r, 0, &rec);
	if (hrr_only)
		return;
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0x0304, false, suite);
	record(&rec, 22, &m);
	feed_buf(r, 1, &rec);
}

/* the ChangeCipherSpecs around a HelloRetryRequest are the compatibility
 * ones: the second ClientHello and the ServerHello are read, and a client
 * that refuses the (encrypted) server flight with a plaintext unknown_ca
 * ends in "alert", never "completed" as two TLS 1.2 ChangeCipherSpecs would */
static bool hrr_compat_ccs_then_alert(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	hrr_opening(&r, 0, false, 0x1302);
	fill(&m, 0x5a, 600);
	records(&rec, 23, &m, 300); /* the server flight, without keys */
	CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
	rec.n = 0;
	alert(&rec, 2, 48);
	feed_buf(&r, 0, &rec);
	run_close(&r);
	CHECK(r.res.tls13);
	CHECK_EQ(r.res.version, 0x0304);
	CHECK_EQ(r.res.cipher, 0x1302);
	CHECK_STR(r.res.sni, "unit.test");
	CHECK_EQ(r.res.n_alerts, 1);
	CHECK_EQ(r.res.alerts[0].from, SIDE_CLIENT);
	CHECK_EQ(r.res.alerts[0].code, 48);
	CHECK_EQ(r.res.outcome, OUTCOME_ALERT);
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

/* a retry answered by ChangeCipherSpec and a second ClientHello, then
 * nothing: not a finished TLS 1.2 handshake */
static bool hrr_compat_ccs_only(void)
{
	struct run r;
	OPEN(&r, true, false);
	hrr_opening(&r, 0, true, 0x1301);
	run_close(&r);
	CHECK(!r.res.tls13);
	CHECK(!r.res.done);
	CHECK_EQ(r.res.version, 0x0304);
	CHECK_EQ(r.res.outcome, OUTCOME_INCOMPLETE);
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

/* the key log is looked up by the random of the ClientHello the handshake
 * went on with, the second: a log with only the server's handshake secret
 * for it opens the server's side (nothing followed: reported as such) */
static bool hrr_second_random_keys(void)
{
	static const char log[] =
	    "SERVER_HANDSHAKE_TRAFFIC_SECRET "
	    "5555555555555555555555555555555555555555555555555555555555555555 "
	    "0101010101010101010101010101010101010101010101010101010101010101\n";
	struct run r;
	run_init(&r, true, false);
	r.keylog = keylog_new(100);
	CHECK(r.keylog && keylog_add_text(r.keylog, log, sizeof(log) - 1, NULL) == 1);
	CHECK(run_open(&r));
	hrr_opening(&r, 0x55, false, 0x1301);
	run_close(&r);
	CHECK(r.res.tls13);
	CHECK_EQ(r.res.decryption, DECRYPT_NO_CLIENT_SECRET);
	CHECK_EQ(r.res.outcome, OUTCOME_ENCRYPTED);
	CHECK_STR(r.res.diags, "tls13-encrypted-certificate");
	return true;
}

/* A TLS 1.3 handshake (no retry) whose key log holds only
 * SERVER_HANDSHAKE_TRAFFIC_SECRET, as a client that refuses the server's
 * certificate writes it: the server's encrypted Certificate is read; the
 * client answers with a plaintext unknown_ca (client_encrypted: an
 * encrypted record first, which nothing can open). */
static bool server_secret_only(bool client_encrypted)
{
	static const char log[] =
	    "SERVER_HANDSHAKE_TRAFFIC_SECRET "
	    "1111111111111111111111111111111111111111111111111111111111111111 "
	    "0202020202020202020202020202020202020202020202020202020202020202\n";
	uint8_t secret[32];
	memset(secret, 0x02, sizeof(secret));
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	run_init(&r, true, false);
	r.keylog = keylog_new(100);
	CHECK(r.keylog && keylog_add_text(r.keylog, log, sizeof(log) - 1, NULL) == 1);
	CHECK(run_open(&r));
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0x0304, false, 0x1301);
	record(&rec, 22, &m);
	ccs(&rec);
	m.n = 0;
	empty_message(&m, 8); /* EncryptedExtensions */
	CHECK(sealed(&rec, secret, 0, 22, &m));
	m.n = 0;
	certificate13(&m);
	CHECK(sealed(&rec, secret, 1, 22, &m));
	CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
	rec.n = m.n = 0;
	if (client_encrypted) {
		fill(&m, 0x77, 40);
		record(&rec, 23, &m);
	}
	alert(&rec, 2, 48);
	feed_buf(&r, 0, &rec);
	run_close(&r);
	CHECK(r.res.tls13);
	CHECK_EQ(r.res.n_certs[SIDE_SERVER], 1);
	CHECK_STR(r.res.leaf_sha256[SIDE_SERVER], UNIT_DER_SHA256);
	CHECK_EQ(r.res.n_alerts, 1);
	CHECK_EQ(r.res.alerts[0].from, SIDE_CLIENT);
	CHECK_EQ(r.res.outcome, OUTCOME_ALERT);
	if (client_encrypted) {
		/* the client's record is said to be unread, and why */
		CHECK_EQ(r.res.decryption, DECRYPT_NO_CLIENT_SECRET);
		CHECK(strstr(r.res.diags, "tls13-encrypted-certificate") != NULL);
	} else {
		/* the client sent nothing encrypted: all of it was read */
		CHECK_EQ(r.res.decryption, DECRYPT_OK);
		CHECK(strstr(r.res.diags, "tls13-encrypted-certificate") == NULL);
	}
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

static bool server_secret_only_plain_alert(void)
{
	return server_secret_only(false);
}

static bool server_secret_only_client_encrypted(void)
{
	return server_secret_only(true);
}

/* a TLS 1.2 handshake: four server messages in one record (ServerHello,
 * Certificate, CertificateRequest, ServerHelloDone), the client's empty
 * Certificate and key exchange, ChangeCipherSpec both ways: completed, with
 * the server certificate (its SHA-256 checked) and the requested CA name */
static bool tls12_full(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0, false, 0xc02f);
	certificate12(&m, 1);
	cert_request12(&m);
	empty_message(&m, 14);
	record(&rec, 22, &m);
	CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
	m.n = rec.n = 0;
	certificate12(&m, 0);
	client_key_exchange(&m);
	record(&rec, 22, &m);
	ccs(&rec);
	CHECK_EQ(feed_buf(&r, 0, &rec), STREAM_MORE);
	rec.n = 0;
	ccs(&rec);
	CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_DONE);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK_EQ(r.res.version, 0x0303);
	CHECK_EQ(r.res.cipher, 0xc02f);
	CHECK(!r.res.tls13);
	CHECK(r.res.done);
	CHECK_EQ(r.res.outcome, OUTCOME_COMPLETED);
	CHECK_EQ(r.res.n_certs[SIDE_SERVER], 1);
	CHECK_STR(r.res.leaf_sha256[SIDE_SERVER], UNIT_DER_SHA256);
	CHECK_STR(r.res.leaf_subject[SIDE_SERVER], "CN=unit.test");
	CHECK(r.res.chain_seen[SIDE_CLIENT]);
	CHECK_EQ(r.res.n_certs[SIDE_CLIENT], 0);
	CHECK(r.res.certificate_requested);
	CHECK_STR(r.res.ca_names, "CN=unit.test");
	CHECK_EQ(r.stats.malformed, 0);
	CHECK_EQ(r.stats.records, 5);
	return true;
}

/* After both ChangeCipherSpecs: under TLS_RSA_WITH_NULL_SHA256 an alert
 * record is the alert and its 32-byte MAC, read without keys, and the flow
 * is read on after the handshake; under an AES-GCM suite the same record is
 * an encrypted alert, counted and not read, and the flow let go at the
 * handshake's end */
static bool null_cipher_alerts(void)
{
	for (int null = 1; null >= 0; null--) {
		struct run r;
		struct buf m = {.n = 0}, rec = {.n = 0};
		OPEN(&r, true, false);
		client_hello(&m, &basic_ch);
		record(&rec, 22, &m);
		feed_buf(&r, 0, &rec);
		m.n = rec.n = 0;
		server_hello(&m, 0x0303, 0, false, null ? 0x003b : 0xc02f);
		record(&rec, 22, &m);
		feed_buf(&r, 1, &rec);
		rec.n = 0;
		ccs(&rec);
		feed_buf(&r, 0, &rec);
		rec.n = 0;
		ccs(&rec);
		CHECK_EQ(feed_buf(&r, 1, &rec), null ? STREAM_MORE : STREAM_DONE);
		/* the server's Finished, then its fatal handshake_failure */
		m.n = rec.n = 0;
		u8(&m, 20);
		u24(&m, 12);
		fill(&m, 0x12, 12);
		fill(&m, 0xee, 32); /* the MAC */
		record(&rec, 22, &m);
		m.n = 0;
		u8(&m, 2);
		u8(&m, 40);
		fill(&m, 0xee, 32);
		record(&rec, 21, &m);
		if (null)
			CHECK_EQ(feed_buf(&r, 1, &rec), STREAM_MORE);
		run_close(&r);
		CHECK_EQ(r.res.emitted, 1);
		CHECK_EQ(r.res.n_alerts, null ? 1 : 0);
		if (null) {
			CHECK_EQ(r.res.alerts[0].from, SIDE_SERVER);
			CHECK_EQ(r.res.alerts[0].level, 2);
			CHECK_EQ(r.res.alerts[0].code, 40);
			CHECK_EQ(r.res.outcome, OUTCOME_ALERT);
		} else {
			CHECK_EQ(r.res.outcome, OUTCOME_COMPLETED);
		}
		CHECK_EQ(r.stats.malformed, 0);
	}
	return true;
}

/* two messages in one record: ServerHello and Certificate both parsed */
static bool two_messages_one_record(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0, false, 0xc02f);
	certificate12(&m, 1);
	record(&rec, 22, &m);
	feed_buf(&r, 1, &rec);
	run_close(&r);
	CHECK(r.res.server_hello_seen);
	CHECK_EQ(r.res.n_certs[SIDE_SERVER], 1);
	CHECK_STR(r.res.leaf_sha256[SIDE_SERVER], UNIT_DER_SHA256);
	CHECK_EQ(r.stats.records, 2);
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

/* one Certificate message split across three records, the first holding
 * only two bytes of the message header */
static bool message_across_three_records(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0}, part = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0, false, 0xc02f);
	record(&rec, 22, &m);
	m.n = 0;
	certificate12(&m, 1);
	size_t cut[4] = {0, 2, 200, m.n};
	for (int i = 0; i < 3; i++) {
		part.n = 0;
		put(&part, m.b + cut[i], cut[i + 1] - cut[i]);
		record(&rec, 22, &part);
	}
	feed_buf(&r, 1, &rec);
	run_close(&r);
	CHECK_EQ(r.stats.records, 5);
	CHECK_EQ(r.stats.malformed, 0);
	CHECK_EQ(r.res.n_certs[SIDE_SERVER], 1);
	CHECK_STR(r.res.leaf_sha256[SIDE_SERVER], UNIT_DER_SHA256);
	return true;
}

/* a ClientHello split across three records at odd places */
static bool client_hello_across_three_records(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	records(&rec, 22, &m, m.n / 3 + 1);
	feed_buf(&r, 0, &rec);
	run_close(&r);
	CHECK_EQ(r.stats.records, 3);
	CHECK_EQ(r.stats.malformed, 0);
	CHECK_STR(r.res.sni, "unit.test");
	CHECK_STR(r.res.alpn, "h2,http/1.1");
	return true;
}

/* each record of a ClientHello/ServerHello exchange split into two data()
 * calls at byte k of its 5-byte header (k = 5: header whole, body not) */
static bool split_header(int k, bool syn)
{
	struct run r;
	struct buf m = {.n = 0}, ch = {.n = 0}, sh = {.n = 0};
	OPEN(&r, syn, false);
	client_hello(&m, &basic_ch);
	record(&ch, 22, &m);
	m.n = 0;
	server_hello(&m, 0x0303, 0, false, 0xc02f);
	record(&sh, 22, &m);
	CHECK_EQ(feed(&r, 0, ch.b, (size_t)k), STREAM_MORE);
	CHECK_EQ(feed(&r, 0, ch.b + k, ch.n - (size_t)k), STREAM_MORE);
	CHECK_EQ(feed(&r, 1, sh.b, (size_t)k), STREAM_MORE);
	CHECK_EQ(feed(&r, 1, sh.b + k, sh.n - (size_t)k), STREAM_MORE);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(r.res.client_hello_seen);
	CHECK_STR(r.res.sni, "unit.test");
	CHECK(r.res.server_hello_seen);
	CHECK_EQ(r.res.version, 0x0303);
	CHECK_EQ(r.stats.records, 2);
	CHECK_EQ(r.stats.malformed, 0);
	CHECK_EQ(r.stats.resyncs, 0);
	return true;
}

/* the extensions length of a ClientHello runs 10 bytes past the message:
 * counted as malformed, what came before is kept, nothing crashes */
static bool malformed_extensions_length(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	struct ch c = basic_ch;
	c.fault = CH_EXTS_PAST_END;
	OPEN(&r, true, false);
	client_hello(&m, &c);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	run_close(&r);
	CHECK_EQ(r.stats.malformed, 1);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(r.res.client_hello_seen);
	CHECK_EQ(r.res.n_suites, 3);
	CHECK_EQ(r.res.hello_version, 0x0303);
	return true;
}

/* the host name length inside the SNI extension runs past it: malformed,
 * and no SNI is invented from the bytes after it */
static bool malformed_sni_length(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	struct ch c = basic_ch;
	c.fault = CH_SNI_PAST_END;
	OPEN(&r, true, false);
	client_hello(&m, &c);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	run_close(&r);
	CHECK_EQ(r.stats.malformed, 1);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(!r.res.sni_set);
	return true;
}

/* a ClientHello of about 300 bytes with max_handshake_msg 100: counted as
 * oversized (not malformed); the other direction is still read */
static bool oversized_message(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	struct ch c = basic_ch;
	c.pad = 200;
	run_init(&r, true, false);
	r.cfg.max_handshake_msg = 100;
	CHECK(run_open(&r));
	client_hello(&m, &c);
	CHECK(m.n - 4 > 100);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0, false, 0xc02f);
	CHECK(m.n - 4 <= 100);
	record(&rec, 22, &m);
	feed_buf(&r, 1, &rec);
	run_close(&r);
	CHECK_EQ(r.stats.oversized, 1);
	CHECK_EQ(r.stats.malformed, 0);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(!r.res.client_hello_seen);
	CHECK(r.res.server_hello_seen);
	return true;
}

/* a fatal handshake_failure alert from the server: one alert, from the
 * server side, outcome "alert" */
static bool server_alert(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	rec.n = 0;
	alert(&rec, 2, 40);
	feed_buf(&r, 1, &rec);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK_EQ(r.res.n_alerts, 1);
	CHECK_EQ(r.res.alerts[0].from, SIDE_SERVER);
	CHECK_EQ(r.res.alerts[0].level, 2);
	CHECK_EQ(r.res.alerts[0].code, 40);
	CHECK_EQ(r.res.outcome, OUTCOME_ALERT);
	CHECK_STR(outcome_name(r.res.outcome), "alert");
	return true;
}

/* a client refusing the server's certificate (unknown_ca) after the server
 * flight: the alert is from the client side */
static bool client_alert(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	client_hello(&m, &basic_ch);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	m.n = rec.n = 0;
	server_hello(&m, 0x0303, 0, false, 0xc02f);
	certificate12(&m, 1);
	empty_message(&m, 14);
	record(&rec, 22, &m);
	feed_buf(&r, 1, &rec);
	rec.n = 0;
	alert(&rec, 2, 48);
	feed_buf(&r, 0, &rec);
	run_close(&r);
	CHECK_EQ(r.res.n_alerts, 1);
	CHECK_EQ(r.res.alerts[0].from, SIDE_CLIENT);
	CHECK_EQ(r.res.alerts[0].code, 48);
	CHECK_EQ(r.res.outcome, OUTCOME_ALERT);
	CHECK_EQ(r.res.n_certs[SIDE_SERVER], 1);
	return true;
}

/* an SSL 2.0 format CLIENT-HELLO offering TLS 1.0 with three cipher specs,
 * then a TLS 1.0 ServerHello: recognised as a ClientHello in SSLv2 format */
static bool sslv2_client_hello(void)
{
	static const uint8_t v2[] = {
	    0x80, 0x22, /* two-byte header, length 34 */
	    0x01,       /* CLIENT-HELLO */
	    0x03, 0x01, /* TLS 1.0 */
	    0x00, 0x09, /* cipher specs length */
	    0x00, 0x00, /* session id length */
	    0x00, 0x10, /* challenge length */
	    0x00, 0x00, 0x04, 0x01, 0x00, 0x80, 0x00, 0x00, 0x2f, 0xa0, 0xa1, 0xa2, 0xa3,
	    0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	};
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, true, false);
	CHECK_EQ(feed(&r, 0, v2, sizeof(v2)), STREAM_MORE);
	server_hello(&m, 0x0301, 0, false, 0x002f);
	record(&rec, 22, &m);
	feed_buf(&r, 1, &rec);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(r.res.sslv2_hello);
	CHECK(r.res.client_hello_seen);
	CHECK_EQ(r.res.hello_version, 0x0301);
	CHECK_EQ(r.res.n_suites, 3);
	CHECK_STR(r.res.versions, "TLS 1.0");
	CHECK(r.res.server_hello_seen);
	CHECK_EQ(r.res.version, 0x0301);
	CHECK_EQ(r.res.client.port, CLIENT_PORT);
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

/* an SSL 2.0 CLIENT-HELLO answered by an SSL 2.0 SERVER-HELLO: the
 * server's certificate is read from it, and what follows is encrypted */
static bool sslv2_server_hello(void)
{
	static const uint8_t v2[] = {
	    0x80, 0x22, 0x01, 0x00, 0x02, 0x00, 0x09, 0x00, 0x00, 0x00, 0x10, 0x07,
	    0x00, 0xc0, 0x01, 0x00, 0x80, 0x06, 0x00, 0x40, 0xa0, 0xa1, 0xa2, 0xa3,
	    0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	};
	struct run r;
	struct buf m = {.n = 0};
	OPEN(&r, true, false);
	CHECK_EQ(feed(&r, 0, v2, sizeof(v2)), STREAM_MORE);
	/* header, msg 4, no hit, X.509, version 2, lengths, cert, spec, id */
	size_t body = 11 + sizeof(unit_der) + 3 + 16;
	u8(&m, (uint8_t)(0x80 | body >> 8));
	u8(&m, (uint8_t)body);
	u8(&m, 4);
	u8(&m, 0);
	u8(&m, 1);
	u16(&m, 0x0002);
	u16(&m, sizeof(unit_der));
	u16(&m, 3);
	u16(&m, 16);
	put(&m, unit_der, sizeof(unit_der));
	put(&m, "\x07\x00\xc0", 3);
	fill(&m, 0x5a, 16);
	/* the server's encrypted SERVER-VERIFY after it: not read */
	fill(&m, 0x80, 1);
	fill(&m, 0x20, 1);
	fill(&m, 0x77, 32);
	feed_buf(&r, 1, &m);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(r.res.sslv2_hello);
	CHECK(r.res.server_hello_seen);
	CHECK_EQ(r.res.version, 0x0002);
	CHECK_EQ(r.res.n_certs[SIDE_SERVER], 1);
	CHECK_STR(r.res.leaf_sha256[SIDE_SERVER], UNIT_DER_SHA256);
	CHECK_EQ(r.res.outcome, OUTCOME_ENCRYPTED);
	CHECK_EQ(r.res.server.port, SERVER_PORT);
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

/* Bytes that look a little like records but are not: a handshake header
 * with an unknown message type, an alert of level 7, a ChangeCipherSpec
 * whose byte is 2, then text. */
static const char garbage[] = "tail of an earlier record "
                              "\x16\x03\x01\x00\x05\x63\x00\x00\x01\x00"
                              "\x15\x03\x03\x00\x02\x07\x28"
                              "\x14\x03\x03\x00\x01\x02"
                              " more text";

/* no SYN captured and the stream starts inside something else: the record
 * layer hunts past the garbage (and a header split across two calls) and
 * finds the ClientHello and the ServerHello */
static bool midstream_hunt(void)
{
	struct run r;
	struct buf m = {.n = 0}, c = {.n = 0}, s = {.n = 0};
	OPEN(&r, false, false);
	put(&c, garbage, sizeof(garbage) - 1);
	size_t hdr = c.n;
	client_hello(&m, &basic_ch);
	record(&c, 22, &m);
	m.n = 0;
	put(&s, garbage, sizeof(garbage) - 1);
	server_hello(&m, 0x0303, 0, false, 0xc02f);
	record(&s, 22, &m);
	CHECK_EQ(feed(&r, 0, c.b, hdr + 3), STREAM_MORE);
	CHECK_EQ(feed(&r, 0, c.b + hdr + 3, c.n - hdr - 3), STREAM_MORE);
	CHECK_EQ(feed_buf(&r, 1, &s), STREAM_MORE);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK(r.res.client_hello_seen);
	CHECK_STR(r.res.sni, "unit.test");
	CHECK(r.res.server_hello_seen);
	CHECK_EQ(r.res.client.port, CLIENT_PORT);
	CHECK_EQ(r.stats.records, 2);
	CHECK_EQ(r.stats.malformed, 0);
	return true;
}

/* no SYN and the server's packet seen first (ep[0] is the server): the
 * ServerHello settles who is the client, so the client's alert is from
 * the client side and the certificate on the server side */
static bool midstream_server_first(void)
{
	struct run r;
	struct buf m = {.n = 0}, rec = {.n = 0};
	OPEN(&r, false, true);
	server_hello(&m, 0x0303, 0, false, 0xc02f);
	certificate12(&m, 1);
	record(&rec, 22, &m);
	feed_buf(&r, 0, &rec);
	rec.n = 0;
	alert(&rec, 2, 42);
	feed_buf(&r, 1, &rec);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 1);
	CHECK_EQ(r.res.client.port, CLIENT_PORT);
	CHECK_EQ(r.res.server.port, SERVER_PORT);
	CHECK_EQ(r.res.n_alerts, 1);
	CHECK_EQ(r.res.alerts[0].from, SIDE_CLIENT);
	CHECK_EQ(r.res.n_certs[SIDE_SERVER], 1);
	CHECK_EQ(r.res.n_certs[SIDE_CLIENT], 0);
	return true;
}

/* a SYN was seen and the first bytes are HTTP: not TLS, the dissector asks
 * for no more bytes and forgets the flow: it emits nothing */
static bool non_tls_with_syn(void)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: unit.test\r\n\r\n";
	static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	struct run r;
	OPEN(&r, true, false);
	CHECK_EQ(feed(&r, 0, req, sizeof(req) - 1), STREAM_FORGET);
	CHECK_EQ(feed(&r, 1, resp, sizeof(resp) - 1), STREAM_FORGET);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 0);
	CHECK_EQ(r.stats.records, 0);
	CHECK_EQ(r.stats.handshakes, 0);
	return true;
}

/* without a SYN, garbage and nothing else emits nothing */
static bool garbage_without_syn(void)
{
	struct run r;
	OPEN(&r, false, false);
	CHECK_EQ(feed(&r, 0, garbage, sizeof(garbage) - 1), STREAM_MORE);
	CHECK_EQ(feed(&r, 1, garbage, sizeof(garbage) - 1), STREAM_MORE);
	run_close(&r);
	CHECK_EQ(r.res.emitted, 0);
	CHECK_EQ(r.stats.records, 0);
	return true;
}

/* The ladder keeps its first steps and, past the cap, what ended the
 * handshake: a fatal alert stays in the last slot, a close after it does
 * not take it; consecutive encrypted records of a side are one step. */
static bool ladder_cap(void)
{
	struct ladder l = {0};
	struct step enc = {.kind = STEP_ENCRYPTED, .type = 23, .side = 1, .count = 1};
	ladder_add(&l, enc);
	ladder_add(&l, enc);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.v[0].count, 2);
	for (int i = 0; i < 30; i++)
		ladder_add(
		    &l, (struct step){.kind = STEP_MESSAGE, .type = 11, .frame = 2 + i});
	CHECK_EQ(l.n, HANDSHAKE_MAX_STEPS - 1);
	ladder_add(
	    &l, (struct step){.kind = STEP_ALERT, .type = 48, .level = 2, .frame = 99});
	ladder_add(&l, (struct step){.kind = STEP_CLOSE, .side = 0});
	CHECK_EQ(l.n, HANDSHAKE_MAX_STEPS);
	CHECK_EQ(l.v[l.n - 1].kind, STEP_ALERT);
	CHECK_EQ(l.v[l.n - 1].frame, 99);
	CHECK_EQ(l.dropped, 30 - (HANDSHAKE_MAX_STEPS - 2) + 1);
	struct ladder copy;
	ladder_copy(&copy, &l);
	CHECK_EQ(copy.n, l.n);
	CHECK_EQ(copy.v[3].frame, l.v[3].frame);
	ladder_fini(&copy);
	ladder_fini(&l);
	CHECK(l.v == NULL && l.n == 0);
	return true;
}

/* The live view's service column: every label in nine columns. */
static bool service_labels_short(void)
{
	for (unsigned port = 1; port < 65536; port++) {
		const char *s = service_short((uint16_t)port);
		CHECK(!s || strlen(s) <= 9);
	}
	CHECK_STR(service_short(7001), "traversal");
	CHECK_STR(service_short(5061), "sip-tls");
	CHECK_STR(service_short(8443), "https-alt");
	return true;
}

static const struct {
	const char *name;
	bool (*fn)(void);
} cases[] = {
    {"client_hello_fields", client_hello_fields},
    {"client_hello_no_extensions", client_hello_no_extensions},
    {"client_hello_cut", client_hello_cut},
    {"tls13_server_hello", tls13_server_hello},
    {"tls13_drafts", tls13_drafts},
    {"hrr_not_tls13", hrr_not_tls13},
    {"hrr_then_server_hello", hrr_then_server_hello},
    {"hrr_compat_ccs_then_alert", hrr_compat_ccs_then_alert},
    {"hrr_compat_ccs_only", hrr_compat_ccs_only},
    {"hrr_second_random_keys", hrr_second_random_keys},
    {"server_secret_only_plain_alert", server_secret_only_plain_alert},
    {"server_secret_only_client_encrypted", server_secret_only_client_encrypted},
    {"tls12_full", tls12_full},
    {"null_cipher_alerts", null_cipher_alerts},
    {"two_messages_one_record", two_messages_one_record},
    {"message_across_three_records", message_across_three_records},
    {"client_hello_across_three_records", client_hello_across_three_records},
    {"malformed_extensions_length", malformed_extensions_length},
    {"malformed_sni_length", malformed_sni_length},
    {"oversized_message", oversized_message},
    {"server_alert", server_alert},
    {"client_alert", client_alert},
    {"sslv2_client_hello", sslv2_client_hello},
    {"sslv2_server_hello", sslv2_server_hello},
    {"midstream_hunt", midstream_hunt},
    {"midstream_server_first", midstream_server_first},
    {"non_tls_with_syn", non_tls_with_syn},
    {"garbage_without_syn", garbage_without_syn},
    {"ladder_cap", ladder_cap},
    {"service_labels_short", service_labels_short},
};

int main(void)
{
	char name[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(cases[i].name, cases[i].fn());
	/* the split cases, with the start of the stream seen (SYN) and hunted */
	for (int syn = 1; syn >= 0; syn--) {
		for (int k = 1; k <= 5; k++) {
			snprintf(name, sizeof(name), "split_header_at_%d_%s", k,
			         syn ? "syn" : "nosyn");
			check_case(name, split_header(k, syn));
		}
	}
	return check_summary();
}
