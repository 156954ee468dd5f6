/* test_rules.c: the rules of the diagnosis catalogue (judge/rules_*.c), run
 * through judge_new() and judge_run() on handshakes built by hand: no
 * capture, no trust folder.
 *
 * The certificates are made in memory with OpenSSL, a small PKI (a root, an
 * issuing CA, leaves with one knob each), as are the trust stores
 * (trust_store_add_x509).  One row a case, one comment a row, as OpenBSD's
 * verifytest.c: the shape of the handshake, then every diagnosis it must
 * give (code, severity, the certificate it names, words of its message and
 * advice) and nothing else, the codes it must not give, the stores that
 * judged each side and whether the chain verified.  Every certificate of a
 * verdict is held to what was built (fingerprint, key size, CA, self-signed,
 * validity), and every code of enum diag_code is expected by some row.
 */
#include "check.h"

#include "common/config.h"
#include "dissect/tls.h"
#include "judge/catalogue.h"
#include "judge/judge.h"
#include "judge/truststore.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400L
/* 2026-11-23T19:23:18Z: every handshake's first packet, and "today" */
#define T0 1795461798L

#define CLIENT_ADDR "192.0.2.10"
#define SERVER_ADDR "198.51.100.20"
#define RDN         ",O=certscope tests"
/* the same sides over IPv6, for rows that say .v6 */
#define CLIENT_ADDR6 "2001:db8::10"
#define SERVER_ADDR6 "2001:db8::20"

/* ---- keys ------------------------------------------------------------- */

enum key_kind { KEY_EC, KEY_RSA, KEY_RSA_PUBLIC };

struct key_spec {
	enum key_kind kind;
	int bits; /* what the verdict must say of it */
	const char *curve;
};

enum key_id {
	K_LEAF, /* the leaves' key unless a row says otherwise */
	K_CLIENT,
	K_ROOT,
	K_INTER,
	K_OTHER,
	K_TWIN,
	K_OLD,
	K_SHA1_ROOT,
	K_SELF,
	K_RSA1024,
	K_RSA2047,
	K_RSA2048,
	K_RSA4096,
	K_RSA4097,
	K_RSA8192,
	K_P224,
	K_P192,
	K_BAD, /* the badly made CAs' */
	K_COUNT
};

/* Each key is made once and shared by the certificates that name it.  The
 * keys past 4096 bits only need their public half (their certificates are
 * signed by the issuer's key, and the rules read the modulus's length):
 * generating a private RSA key of 4097 bits takes seconds, of 8192 bits a
 * minute. */
static const struct key_spec key_specs[K_COUNT] = {
    [K_LEAF] = {KEY_EC, 256, "P-256"},
    [K_CLIENT] = {KEY_EC, 256, "P-256"},
    [K_ROOT] = {KEY_EC, 256, "P-256"},
    [K_INTER] = {KEY_EC, 256, "P-256"},
    [K_OTHER] = {KEY_EC, 256, "P-256"},
    [K_TWIN] = {KEY_EC, 256, "P-256"},
    [K_OLD] = {KEY_EC, 256, "P-256"},
    [K_SHA1_ROOT] = {KEY_EC, 256, "P-256"},
    [K_SELF] = {KEY_EC, 256, "P-256"},
    [K_RSA1024] = {KEY_RSA, 1024, NULL},
    [K_RSA2047] = {KEY_RSA, 2047, NULL},
    [K_RSA2048] = {KEY_RSA, 2048, NULL},
    [K_RSA4096] = {KEY_RSA_PUBLIC, 4096, NULL},
    [K_RSA4097] = {KEY_RSA_PUBLIC, 4097, NULL},
    [K_RSA8192] = {KEY_RSA_PUBLIC, 8192, NULL},
    [K_P224] = {KEY_EC, 224, "P-224"},
    [K_P192] = {KEY_EC, 192, "prime192v1"},
    [K_BAD] = {KEY_EC, 256, "P-256"},
};

static EVP_PKEY *keys[K_COUNT];

/* An RSA public key whose modulus, 2^(bits-1) + 2^(bits/2) + 1, is exactly
 * bits long. */
static EVP_PKEY *rsa_public(int bits)
{
	EVP_PKEY *pk = NULL;
	BIGNUM *n = BN_new(), *e = BN_new();
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (n && e && bld && ctx && BN_set_bit(n, bits - 1) && BN_set_bit(n, bits / 2) &&
	    BN_set_bit(n, 0) && BN_set_word(e, 65537) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) && EVP_PKEY_fromdata_init(ctx) > 0 &&
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pk = NULL;
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(n);
	BN_free(e);
	return pk;
}

static bool make_keys(void)
{
	for (int k = 0; k < K_COUNT; k++) {
		const struct key_spec *s = &key_specs[k];
		keys[k] = s->kind == KEY_EC    ? EVP_EC_gen(s->curve)
		          : s->kind == KEY_RSA ? EVP_RSA_gen((unsigned)s->bits)
		                               : rsa_public(s->bits);
		if (!keys[k] || EVP_PKEY_get_bits(keys[k]) != s->bits) {
			printf("key %d: not made\n", k);
			return false;
		}
	}
	return true;
}

/* ---- certificates ----------------------------------------------------- */

enum cert_id {
	C_NONE,
	/* CAs, each before what it issues */
	C_ROOT,
	C_INTER,
	C_OTHER_ROOT,
	C_ROOT_TWIN,
	C_OLD_ROOT,
	C_SHA1_ROOT,
	C_RSA_CA,
	C_FUTURE_ROOT,
	C_BAD_CA_FALSE,
	C_BAD_NO_CERTSIGN,
	C_BAD_PATHLEN0,
	C_BAD_BELOW_PATHLEN0,
	C_BAD_CONSTRAINED,
	C_BAD_CLIENT_PURPOSE,
	C_SHA1_INTER,
	/* leaves */
	C_LEAF,
	C_CLIENT,
	C_LEAF_OTHER,
	C_CLIENT_OTHER,
	C_LEAF_OLD,
	C_LEAF_SHA1_ROOT,
	C_LEAF_SHA1,
	C_LEAF_MD5,
	C_LEAF_PSS_SHA1,
	C_LEAF_PSS_SHA256,
	C_SELF_LEAF,
	C_LEAF_WEB,
	C_CLIENT_WEB,
	C_CLIENT_ONLY,
	C_LEAF_NOEKU,
	C_LEAF_WILD,
	C_LEAF_WILD2,
	C_LEAF_WILD_MID,
	C_LEAF_CN_ONLY,
	C_LEAF_IP,
	C_LEAF_IP6,
	C_LEAF_RSA1024,
	C_LEAF_RSA2047,
	C_LEAF_RSA2048,
	C_LEAF_RSA4096,
	C_LEAF_RSA4097,
	C_LEAF_RSA8192,
	C_LEAF_P224,
	C_LEAF_P192,
	C_LEAF_SAN999,
	C_LEAF_SAN1000,
	C_LEAF_ODD,
	C_LEAF_EXPIRED,
	C_LEAF_NOTYET,
	C_LEAF_29D,
	C_LEAF_31D,
	C_LEAF_EMAIL,
	C_LEAF_FUTURE,
	C_LEAF_BROKEN,
	C_LEAF_UNDER_CA_FALSE,
	C_LEAF_UNDER_NO_CERTSIGN,
	C_LEAF_UNDER_PATHLEN,
	C_LEAF_UNDER_CONSTRAINTS,
	C_LEAF_UNDER_CLIENT_PURPOSE,
	C_LEAF_UNDER_SHA1_INTER,
	C_LEAF_RSA1024_SHA1,
	C_LEAF_NO_AKI,
	C_LEAF_RSA1024_UNDER_SHA1_INTER,
	C_COUNT
};

enum digest { MD_SHA256, MD_SHA1, MD_MD5, MD_PSS_SHA1, MD_PSS_SHA256 };

struct cert_spec {
	const char *cn; /* the subject is CN=cn,O=certscope tests */
	enum key_id key;
	enum cert_id issuer; /* C_NONE: self-signed */
	bool ca;
	const char *san;    /* NULL: DNS:cn on a leaf; "": none */
	size_t san_chars;   /* instead: DNS names of this many characters in all */
	const char *eku;    /* NULL: serverAuth,clientAuth on a leaf; "": none */
	long nb, na;        /* validity from T0; 0: a year (a leaf), ten (a CA) */
	enum digest md;     /* of the issuer's signature */
	bool odd_attribute; /* 1.3.6.1.4.1.6449.1.2.1.5.1 in the subject */
	bool broken;        /* its DER cut 8 bytes short: not valid DER */
	const char *bc;     /* basic constraints instead of the default */
	const char *ku;     /* a CA's key usage instead of keyCertSign,cRLSign */
	const char *nc;     /* a CA's name constraints */
	const char *ca_eku; /* a CA's extended key usage */
	bool no_aki;        /* no authority key identifier */
};

static const struct cert_spec cert_specs[C_COUNT] = {
    [C_ROOT] = {.cn = "Test Root CA", .key = K_ROOT, .ca = true},
    [C_INTER] = {.cn = "Test Issuing CA", .key = K_INTER, .issuer = C_ROOT, .ca = true},
    [C_OTHER_ROOT] = {.cn = "Other Root CA", .key = K_OTHER, .ca = true},
    /* CUCM's self-signed tomcat and CallManager certificates: one subject */
    [C_ROOT_TWIN] = {.cn = "Test Root CA", .key = K_TWIN, .ca = true},
    [C_OLD_ROOT] =
        {.cn = "Old Root CA", .key = K_OLD, .ca = true, .nb = -3650 * DAY, .na = -DAY},
    [C_SHA1_ROOT] = {.cn = "SHA-1 Root CA",
                     .key = K_SHA1_ROOT,
                     .ca = true,
                     .md = MD_SHA1},
    [C_RSA_CA] = {.cn = "RSA Issuing CA", .key = K_RSA2048, .issuer = C_ROOT, .ca = true},
    /* a root valid from tomorrow */
    [C_FUTURE_ROOT] =
        {.cn = "Future Root CA", .key = K_OTHER, .ca = true, .nb = DAY, .na = 3650 * DAY},

    [C_LEAF] = {.cn = "vcse.example.com", .issuer = C_INTER},
    [C_CLIENT] = {.cn = "vcsc.example.com", .key = K_CLIENT, .issuer = C_INTER},
    [C_LEAF_OTHER] = {.cn = "vcse-other.example.com",
                      .issuer = C_OTHER_ROOT,
                      .san = "DNS:vcse.example.com"},
    [C_CLIENT_OTHER] = {.cn = "phone-lsc.example.com",
                        .key = K_CLIENT,
                        .issuer = C_OTHER_ROOT},
    [C_LEAF_OLD] = {.cn = "ldap.example.com", .issuer = C_OLD_ROOT},
    [C_LEAF_SHA1_ROOT] = {.cn = "legacy.example.com", .issuer = C_SHA1_ROOT},
    [C_LEAF_SHA1] = {.cn = "sha1.example.com", .issuer = C_INTER, .md = MD_SHA1},
    [C_LEAF_MD5] = {.cn = "md5.example.com", .issuer = C_RSA_CA, .md = MD_MD5},
    /* RSASSA-PSS, whose hash is in the signature's parameters */
    [C_LEAF_PSS_SHA1] = {.cn = "pss.example.com", .issuer = C_RSA_CA, .md = MD_PSS_SHA1},
    [C_LEAF_PSS_SHA256] = {.cn = "pss256.example.com",
                           .issuer = C_RSA_CA,
                           .md = MD_PSS_SHA256},
    /* TVS's own certificate is self-signed by default */
    [C_SELF_LEAF] = {.cn = "tvs.example.com", .key = K_SELF},
    /* made from a "web server" template */
    [C_LEAF_WEB] = {.cn = "vcse-web.example.com",
                    .issuer = C_INTER,
                    .san = "DNS:vcse.example.com",
                    .eku = "serverAuth"},
    [C_CLIENT_WEB] = {.cn = "vcsc-web.example.com",
                      .key = K_CLIENT,
                      .issuer = C_INTER,
                      .eku = "serverAuth"},
    [C_CLIENT_ONLY] = {.cn = "phone.example.com",
                       .key = K_CLIENT,
                       .issuer = C_INTER,
                       .eku = "clientAuth"},
    [C_LEAF_NOEKU] = {.cn = "any.example.com", .issuer = C_INTER, .eku = ""},
    [C_LEAF_WILD] = {.cn = "*.example.com", .issuer = C_INTER},
    [C_LEAF_WILD2] = {.cn = "*.*.example.com", .issuer = C_INTER},
    /* a wildcard not in the leftmost label */
    [C_LEAF_WILD_MID] = {.cn = "vcse.*.example.com", .issuer = C_INTER},
    [C_LEAF_CN_ONLY] = {.cn = "cucm.example.com", .issuer = C_INTER, .san = ""},
    [C_LEAF_IP] = {.cn = "vcse-ip.example.com",
                   .issuer = C_INTER,
                   .san = "DNS:vcse.example.com,IP:" SERVER_ADDR},
    [C_LEAF_IP6] = {.cn = "vcse-ip6.example.com",
                    .issuer = C_INTER,
                    .san = "DNS:vcse.example.com,IP:" SERVER_ADDR6},
    [C_LEAF_RSA1024] = {.cn = "rsa1024.example.com", .key = K_RSA1024, .issuer = C_INTER},
    [C_LEAF_RSA2047] = {.cn = "rsa2047.example.com", .key = K_RSA2047, .issuer = C_INTER},
    /* the RSA CA's key: another 2048-bit key would cost another keygen */
    [C_LEAF_RSA2048] = {.cn = "rsa2048.example.com", .key = K_RSA2048, .issuer = C_INTER},
    [C_LEAF_RSA4096] = {.cn = "rsa4096.example.com", .key = K_RSA4096, .issuer = C_INTER},
    [C_LEAF_RSA4097] = {.cn = "rsa4097.example.com", .key = K_RSA4097, .issuer = C_INTER},
    [C_LEAF_RSA8192] = {.cn = "rsa8192.example.com", .key = K_RSA8192, .issuer = C_INTER},
    [C_LEAF_P224] = {.cn = "p224.example.com", .key = K_P224, .issuer = C_INTER},
    [C_LEAF_P192] = {.cn = "p192.example.com", .key = K_P192, .issuer = C_INTER},
    [C_LEAF_SAN999] = {.cn = "san999.example.com", .issuer = C_INTER, .san_chars = 999},
    [C_LEAF_SAN1000] = {.cn = "san1000.example.com",
                        .issuer = C_INTER,
                        .san_chars = 1000},
    [C_LEAF_ODD] = {.cn = "odd.example.com", .issuer = C_INTER, .odd_attribute = true},
    [C_LEAF_BROKEN] = {.cn = "broken.example.com", .issuer = C_INTER, .broken = true},
    [C_LEAF_EXPIRED] = {.cn = "expired.example.com", .issuer = C_INTER, .na = -DAY},
    [C_LEAF_NOTYET] = {.cn = "notyet.example.com", .issuer = C_INTER, .nb = DAY},
    [C_LEAF_29D] = {.cn = "soon.example.com", .issuer = C_INTER, .na = 29 * DAY},
    [C_LEAF_31D] = {.cn = "later.example.com", .issuer = C_INTER, .na = 31 * DAY},
    /* an EKU of neither TLS purpose */
    [C_LEAF_EMAIL] = {.cn = "mail.example.com",
                      .issuer = C_INTER,
                      .eku = "emailProtection"},
    [C_LEAF_FUTURE] = {.cn = "ldap-new.example.com", .issuer = C_FUTURE_ROOT},

    /* badly made CAs, each below the test root, and a leaf of each */
    [C_BAD_CA_FALSE] = {.cn = "Leaf-as-CA", .key = K_BAD, .issuer = C_ROOT},
    [C_BAD_NO_CERTSIGN] = {.cn = "No-CertSign CA",
                           .key = K_BAD,
                           .issuer = C_ROOT,
                           .ca = true,
                           .ku = "critical,digitalSignature,cRLSign"},
    [C_BAD_PATHLEN0] = {.cn = "Pathlen-0 CA",
                        .key = K_BAD,
                        .issuer = C_ROOT,
                        .ca = true,
                        .bc = "critical,CA:TRUE,pathlen:0"},
    [C_BAD_BELOW_PATHLEN0] = {.cn = "Sub CA",
                              .key = K_INTER,
                              .issuer = C_BAD_PATHLEN0,
                              .ca = true},
    [C_BAD_CONSTRAINED] = {.cn = "Corp-only CA",
                           .key = K_BAD,
                           .issuer = C_ROOT,
                           .ca = true,
                           .nc = "critical,permitted;DNS:.corp.example.com"},
    [C_BAD_CLIENT_PURPOSE] = {.cn = "Client-only CA",
                              .key = K_BAD,
                              .issuer = C_ROOT,
                              .ca = true,
                              .ca_eku = "clientAuth"},
    /* an issuing CA the root signed with SHA-1 */
    [C_SHA1_INTER] = {.cn = "SHA-1 Issuing CA",
                      .key = K_BAD,
                      .issuer = C_ROOT,
                      .ca = true,
                      .md = MD_SHA1},
    [C_LEAF_UNDER_SHA1_INTER] = {.cn = "f.example.com", .issuer = C_SHA1_INTER},
    [C_LEAF_UNDER_CA_FALSE] = {.cn = "a.example.com", .issuer = C_BAD_CA_FALSE},
    [C_LEAF_UNDER_NO_CERTSIGN] = {.cn = "b.example.com", .issuer = C_BAD_NO_CERTSIGN},
    [C_LEAF_UNDER_PATHLEN] = {.cn = "c.example.com", .issuer = C_BAD_BELOW_PATHLEN0},
    /* expiring too: a diagnosis on it before its invalid-issuer */
    [C_LEAF_UNDER_CONSTRAINTS] = {.cn = "d.example.com",
                                  .issuer = C_BAD_CONSTRAINED,
                                  .na = 10 * DAY},
    [C_LEAF_NO_AKI] = {.cn = "no-aki.example.com", .issuer = C_INTER, .no_aki = true},
    [C_LEAF_RSA1024_SHA1] = {.cn = "capf-sha1.example.com",
                             .key = K_RSA1024,
                             .issuer = C_INTER,
                             .md = MD_SHA1},
    [C_LEAF_RSA1024_UNDER_SHA1_INTER] = {.cn = "g.example.com",
                                         .key = K_RSA1024,
                                         .issuer = C_SHA1_INTER},
    [C_LEAF_UNDER_CLIENT_PURPOSE] = {.cn = "e.example.com",
                                     .issuer = C_BAD_CLIENT_PURPOSE},
};

struct built {
	X509 *x;
	unsigned char *der;
	size_t len;
	char sha256[65];         /* of der, worked out here */
	unsigned char *name_der; /* the subject, as CertificateRequest lists it */
	size_t name_len;
	time_t nb, na;
};

static struct built certs[C_COUNT];

static bool add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	bool ok = e && X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return ok;
}

/* DNS names of `total` characters in all (not counting "DNS:" and commas),
 * 100 to a name but the last: "h1-aaa...a.aaa...a.example.com". */
static void long_names(size_t total, char *buf, size_t len)
{
	size_t o = 0, done = 0;
	for (int i = 1; done < total && o + 120 < len; i++) {
		size_t n = total - done > 100 ? 100 : total - done;
		o += (size_t)snprintf(buf + o, len - o, "%sDNS:", o ? "," : "");
		size_t start = o;
		o += (size_t)snprintf(buf + o, len - o, "h%d-", i);
		for (; o - start < n - 12; o++)
			buf[o] = (o - start) % 40 == 39 ? '.' : 'a';
		o += (size_t)snprintf(buf + o, len - o, ".example.com");
		done += n;
	}
	buf[o] = '\0';
}

static const EVP_MD *digest_of(enum digest d)
{
	return d == MD_SHA1 || d == MD_PSS_SHA1 ? EVP_sha1()
	       : d == MD_MD5                    ? EVP_md5()
	                                        : EVP_sha256();
}

/* The issuer's signature: RSASSA-PSS (salt as long as the hash) or the
 * key's own scheme. */
static bool sign_cert(X509 *x, EVP_PKEY *signer, enum digest d)
{
	if (d != MD_PSS_SHA1 && d != MD_PSS_SHA256)
		return X509_sign(x, signer, digest_of(d)) > 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	bool ok = ctx && EVP_DigestSignInit(ctx, &pctx, digest_of(d), NULL, signer) > 0 &&
	          EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
	          EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
	          X509_sign_ctx(x, ctx) > 0;
	EVP_MD_CTX_free(ctx);
	return ok;
}

static bool make_cert(enum cert_id id)
{
	const struct cert_spec *s = &cert_specs[id];
	struct built *b = &certs[id];
	X509 *x = X509_new();
	X509 *issuer = s->issuer ? certs[s->issuer].x : x;
	EVP_PKEY *signer = keys[s->issuer ? cert_specs[s->issuer].key : s->key];
	char san[1400];
	bool ok = x && issuer;
	long year = s->ca ? 3650 * DAY : 365 * DAY;
	b->nb = T0 + (s->nb ? s->nb : -year);
	b->na = T0 + (s->na ? s->na : year);
	X509_NAME *name = x ? X509_get_subject_name(x) : NULL;
	ok = ok && X509_set_version(x, 2) &&
	     ASN1_INTEGER_set(X509_get_serialNumber(x), 1000 + id) &&
	     ASN1_TIME_set(X509_getm_notBefore(x), b->nb) &&
	     ASN1_TIME_set(X509_getm_notAfter(x), b->na) &&
	     X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	                                (const unsigned char *)"certscope tests", -1, -1,
	                                0) &&
	     (!s->odd_attribute ||
	      X509_NAME_add_entry_by_txt(name, "1.3.6.1.4.1.6449.1.2.1.5.1", MBSTRING_ASC,
	                                 (const unsigned char *)"unusual", -1, -1, 0)) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	                                (const unsigned char *)s->cn, -1, -1, 0) &&
	     X509_set_issuer_name(x, X509_get_subject_name(issuer)) &&
	     X509_set_pubkey(x, keys[s->key]);
	/* a CA's name constraints first: an extension at index 0 */
	ok = ok && (!s->nc || add_ext(x, issuer, NID_name_constraints, s->nc));
	ok = ok && add_ext(x, issuer, NID_basic_constraints,
	                   s->bc   ? s->bc
	                   : s->ca ? "critical,CA:TRUE"
	                           : "CA:FALSE");
	ok = ok && (!s->ca || add_ext(x, issuer, NID_key_usage,
	                              s->ku ? s->ku : "critical,keyCertSign,cRLSign"));
	ok = ok && (!s->ca_eku || add_ext(x, issuer, NID_ext_key_usage, s->ca_eku));
	ok = ok && add_ext(x, issuer, NID_subject_key_identifier, "hash");
	ok = ok && (!s->issuer || s->no_aki ||
	            add_ext(x, issuer, NID_authority_key_identifier, "keyid:always"));
	if (s->san_chars)
		long_names(s->san_chars, san, sizeof(san));
	else
		snprintf(san, sizeof(san), "%s%s",
		         s->san ? "" : "DNS:", s->san ? s->san : s->cn);
	ok = ok && (s->ca || !san[0] || add_ext(x, issuer, NID_subject_alt_name, san));
	const char *eku = s->eku ? s->eku : "serverAuth,clientAuth";
	ok = ok && (s->ca || !eku[0] || add_ext(x, issuer, NID_ext_key_usage, eku));
	ok = ok && sign_cert(x, signer, s->md);
	int n = ok ? i2d_X509(x, &b->der) : -1;
	int m = ok ? i2d_X509_NAME(X509_get_subject_name(x), &b->name_der) : -1;
	if (s->broken && n > 8)
		n -= 8; /* the outer SEQUENCE's length now runs past the end */
	unsigned char md[32];
	unsigned int mdlen = 0;
	ok = ok && n > 0 && m > 0 &&
	     EVP_Digest(b->der, (size_t)n, md, &mdlen, EVP_sha256(), NULL) && mdlen == 32;
	if (!ok) {
		printf("certificate %d (%s): not made\n", id, s->cn);
		ERR_print_errors_fp(stdout);
		X509_free(x);
		return false;
	}
	b->x = x;
	b->len = (size_t)n;
	b->name_len = (size_t)m;
	for (int i = 0; i < 32; i++)
		snprintf(b->sha256 + 2 * i, 3, "%02x", md[i]);
	return true;
}

/* ---- trust stores ----------------------------------------------------- */

enum store_id {
	S_NONE,
	S_ROOT,
	S_ROOT_INTER,
	S_OTHER,
	S_EXPC,
	S_EXPE,
	S_TOMCAT,
	S_DUP,
	S_OLD,
	S_SHA1,
	S_ITL,
	S_FUTURE,
	S_SHA1_INTER,
	S_COUNT
};

struct store_spec {
	const char *label;
	const char *device; /* NULL: every device's */
	enum cert_id certs[3];
};

static const struct store_spec store_specs[S_COUNT] = {
    [S_ROOT] = {"root.pem", NULL, {C_ROOT}},
    [S_ROOT_INTER] = {"root-and-issuing.pem", NULL, {C_ROOT, C_INTER}},
    [S_OTHER] = {"other-root.pem", NULL, {C_OTHER_ROOT}},
    /* the Expressway-C's Trusted CA list, the client of 7001 */
    [S_EXPC] = {"expc-trust.pem", CLIENT_ADDR, {C_ROOT}},
    /* the Expressway-E's, the server, holding the wrong root */
    [S_EXPE] = {"expe-trust.pem", SERVER_ADDR, {C_OTHER_ROOT}},
    [S_TOMCAT] = {"tomcat-trust.pem", SERVER_ADDR, {C_ROOT}},
    [S_DUP] = {"duplicate-root.pem", NULL, {C_ROOT, C_ROOT_TWIN}},
    [S_OLD] = {"old-root.pem", NULL, {C_OLD_ROOT}},
    [S_SHA1] = {"sha1-root.pem", NULL, {C_SHA1_ROOT}},
    /* a phone's ITL holds TVS's self-signed certificate itself */
    [S_ITL] = {"itl.pem", NULL, {C_SELF_LEAF}},
    [S_FUTURE] = {"future-root.pem", NULL, {C_FUTURE_ROOT}},
    [S_SHA1_INTER] = {"sha1-issuing.pem", NULL, {C_ROOT, C_SHA1_INTER}},
};

static struct trust_store *stores[S_COUNT];

static bool make_store(enum store_id id)
{
	const struct store_spec *s = &store_specs[id];
	stores[id] = trust_store_new(s->label, s->device);
	if (!stores[id])
		return false;
	for (size_t i = 0; i < 3 && s->certs[i]; i++)
		if (trust_store_add_x509(stores[id], certs[s->certs[i]].x) < 0)
			return false;
	/* a repeat is kept once, as from a hashed folder */
	if (trust_store_add_x509(stores[id], certs[s->certs[0]].x) < 0)
		return false;
	trust_store_scan(stores[id], T0);
	return true;
}

/* ---- the table -------------------------------------------------------- */

#define SEV_ANY -1

struct want {
	const char *code;
	int severity;            /* enum severity, or SEV_ANY */
	enum cert_id cert;       /* the certificate named; C_NONE: none */
	const char *msg;         /* words of the message, or NULL */
	const char *advice;      /* words of the advice, or NULL */
	enum cert_id msg_sha[2]; /* certificates whose SHA-256 the message gives */
	enum cert_id advice_sha; /* ... and the advice */
	const char *joins;       /* the code of the diagnosis whose finding it is
	                          * in (its own for a cause); NULL: not held */
	int refused;             /* REFUSED_*: the finding's refused_by */
	bool whole;              /* msg is the whole message, not words of it */
	int fixer;               /* enum fixer plus one: whose to change; 0: not held */
	enum cert_id joins_cert; /* the certificate the cause it joins names */
};

/* Who refused, as a finding says: not held, nobody, or a side. */
enum { REFUSED_ANY, REFUSED_NONE, REFUSED_BY_CLIENT, REFUSED_BY_SERVER };

struct expect {
	const char *addr;
	int port;
	const char *name;
};

struct wire_alert {
	int from, level, code; /* level 0 ends the list */
};

/* Who closed, whose Certificate was the last word, whose message was last:
 * a side plus one, 0 for nobody. */
enum { NOBODY, BY_CLIENT, BY_SERVER };
enum { UNJUDGED, VERIFIED, REJECTED };

struct row {
	const char *name;
	uint16_t port;
	bool v6; /* the sides at CLIENT_ADDR6 and SERVER_ADDR6 */
	const char *sni;
	struct expect expect[2]; /* --expect-name */
	bool have_at;            /* --at T0 + at */
	long at;
	enum outcome outcome;
	struct wire_alert alerts[3];
	enum cert_id server[4], client[4]; /* as sent */
	bool client_empty;                 /* an empty Certificate from the client */
	bool requested;                    /* CertificateRequest */
	enum cert_id ca_names[3];          /* its CA names, by subject */
	enum store_id trust[3];            /* the trust set, device stores first */
	bool system; /* the set is the system's default: no store given */
	bool one_sided;
	int seen_side;
	bool gap;
	int gap_side;
	bool tls13, done, reset, client_ccs;
	uint16_t cipher; /* the suite negotiated; 0: unknown */
	enum decryption decryption;
	int closer, flight, last;
	/* by SIDE_: encrypted records, those since the other side's last, the
	 * last one's length and time */
	struct encrypted_trace enc[2];
	struct anomaly anomalies[2]; /* kind 0 ends the list */

	struct want want[6];
	const char *absent[6];
	const char *store[2]; /* chain_store, by SIDE_ */
	int verified[2];      /* by SIDE_ */
	const char *service;
	const char *ca_text; /* the first CA name as the verdict holds it */
	/* every diagnosis is one finding, named by this cause, refused by
	 * one_refused_by ("client", "server" or NULL) */
	const char *one_finding;
	const char *one_refused_by;
};

/* One expected diagnosis: its code, severity and the certificate it names,
 * then words of its message and of its advice, and .msg_sha, .advice_sha. */
#define DIAG(...)                                                                        \
	{                                                                                \
		.code = __VA_ARGS__                                                      \
	}

static const struct row rows[] = {
    /* ---- chains and trust stores ---- */

    /* 7001, Expressway-E sends leaf and issuing CA, the shared store holds
     * the root, completed: nothing to say.  The server's chain is judged by
     * root.pem and verifies; the client sent none, so none is judged. */
    {.name = "verified-7001",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .trust = {S_ROOT},
     .absent = {"trust-store-mismatch", "chain-order", "issuer-not-found"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED},
     .service = "expressway-traversal"},

    /* 8443 mutual TLS completed; the server 198.51.100.20 has a store of its
     * own (tomcat-trust.pem) beside the shared root.pem: the client's chain
     * is judged by the server's store, the server's by the shared one, and
     * both verify. */
    {.name = "device-store-judges-client-chain",
     .port = 8443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT, C_INTER},
     .requested = true,
     .trust = {S_TOMCAT, S_ROOT},
     .store = {"tomcat-trust.pem", "root.pem"},
     .verified = {VERIFIED, VERIFIED},
     .service = "https-alt"},

    /* 5061, the server sends its leaf without the issuing CA, the client
     * (store root.pem) answers fatal unknown_ca: alert-unknown-ca names the
     * leaf and says the store lacks the issuer too; issuer-not-found names
     * the leaf, its issuer and key id, and tells the server to send its
     * intermediate.  The store rejects the chain: no trust-store-mismatch. */
    {.name = "issuer-not-found-leaf-alone",
     .one_finding = "issuer-not-found",
     .one_refused_by = "client",
     .port = 5061,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF},
     .trust = {S_ROOT},
     .want = {DIAG(
                  "alert-unknown-ca", SEV_ERROR, C_LEAF,
                  "The client sent a fatal unknown_ca alert: the client could not tie "
                  "the server's certificate chain to a CA in its own trust store. The "
                  "server's chain does not verify against root.pem either: its issuer "
                  "CN=Test Issuing CA" RDN " is missing.",
                  "(its intermediate and root) to CallManager-trust on CUCM (the Trusted "
                  "CA list, if the client is an Expressway) on the client (" CLIENT_ADDR
                  "), or have the server send its full chain.",
                  .joins = "issuer-not-found", .refused = REFUSED_BY_CLIENT),
              DIAG("issuer-not-found", SEV_ERROR, C_LEAF,
                   "The issuer of CN=vcse.example.com" RDN " (CN=Test Issuing CA" RDN
                   ", key id ",
                   "Configure the server (" SERVER_ADDR ":5061) to send its intermediate "
                   "CN=Test Issuing CA" RDN " with its certificate, or upload CN=Test "
                   "Issuing CA" RDN " and its root to CallManager-trust on CUCM (the "
                   "Trusted CA list, if the client is an Expressway) on the client "
                   "(" CLIENT_ADDR ")",
                   .fixer = FIX_OWNER + 1)},
     .absent = {"trust-store-mismatch", "untrusted-root"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},

    /* The same over IPv6: the server's address in brackets before its
     * port, the client's bare */
    {.name = "issuer-not-found-leaf-alone-ipv6",
     .port = 5061,
     .v6 = true,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF},
     .trust = {S_ROOT},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF, NULL,
                   "on the client (" CLIENT_ADDR6 "), or have the server send"),
              DIAG("issuer-not-found", SEV_ERROR, C_LEAF, NULL,
                   "Configure the server ([" SERVER_ADDR6 "]:5061) to send its "
                   "intermediate")},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},

    /* The same leaf alone, completed, with the issuing CA in the store
     * (root-and-issuing.pem): the store completes the chain, nothing to
     * say. */
    {.name = "issuer-supplied-by-store",
     .port = 5061,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF},
     .trust = {S_ROOT_INTER},
     .absent = {"issuer-not-found"},
     .store = {[SIDE_SERVER] = "root-and-issuing.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* 7001 mutual TLS, the Expressway-E's own store (expe-trust.pem) holds
     * another root; it refuses the client's chain with fatal unknown_ca.
     * The server's chain verifies against the shared root.pem; the client's
     * does not against expe-trust.pem: its issuing CA's issuer, the root,
     * is missing, to be uploaded to the Expressway-E's Trusted CA list. */
    {.name = "issuer-not-found-above-intermediate",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 48}},
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT, C_INTER},
     .requested = true,
     .trust = {S_EXPE, S_ROOT},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_CLIENT,
                   "The server sent a fatal unknown_ca alert",
                   "to the Trusted CA list of "
                   "the Expressway-E on the server (" SERVER_ADDR ":7001)"),
              DIAG("issuer-not-found", SEV_ERROR, C_INTER,
                   "neither sent by the client nor in the trust store expe-trust.pem",
                   "Upload the CA CN=Test Root CA" RDN " (and any CA above it) to the "
                   "Trusted CA list of the Expressway-E on the server (" SERVER_ADDR
                   ":7001).",
                   .fixer = FIX_VALIDATOR + 1)},
     .absent = {"trust-store-mismatch"},
     .store = {"expe-trust.pem", "root.pem"},
     .verified = {REJECTED, VERIFIED}},

    /* 7001, the server sends a leaf and the root of another PKI; the
     * client's store trusts only the test root and refuses with unknown_ca:
     * untrusted-root names that root, and the advice gives its fingerprint
     * and the Expressway-C's Trusted CA list. */
    {.name = "untrusted-root",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF_OTHER, C_OTHER_ROOT},
     .trust = {S_ROOT},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF_OTHER,
                   "its root CN=Other Root CA" RDN " is not trusted there",
                   "Add the root CN=Other Root CA" RDN " that the server sent to "
                   "the Trusted CA list of the Expressway-C on the client (" CLIENT_ADDR
                   "), if the client is to trust it."),
              DIAG("untrusted-root", SEV_ERROR, C_OTHER_ROOT,
                   "The server's chain ends at the root CN=Other Root CA" RDN
                   ", which is not in the trust store root.pem.",
                   "Upload the root CN=Other Root CA" RDN " (SHA-256 ",
                   .advice_sha = C_OTHER_ROOT)},
     .absent = {"issuer-not-found", "self-signed-leaf"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] =
                      REJECTED}}, /* 2445, TVS sends its self-signed certificate, the
                                   * phone's store does not hold it and refuses:
                                   * self-signed-leaf names it, and the advice is the
                                   * phone's ITL (reset its trust list), not an upload. */
    {.name = "self-signed-leaf",
     .port = 2445,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_SELF_LEAF},
     .trust = {S_ROOT},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_SELF_LEAF,
                   "The server's chain does not verify against root.pem either: its "
                   "root CN=tvs.example.com" RDN " is not trusted there."),
              DIAG("self-signed-leaf", SEV_ERROR, C_SELF_LEAF,
                   "The server's certificate CN=tvs.example.com" RDN
                   " is self-signed and not in the trust store root.pem.",
                   "The phone (" CLIENT_ADDR ") trusts CN=tvs.example.com" RDN
                   " through the ITL file it downloads from TFTP")},
     .absent = {"untrusted-root", "issuer-not-found", "weak-signature"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED},
     .service = "cucm-tvs"},

    /* The same self-signed certificate, completed, against a store that
     * holds it: trusted, nothing to say. */
    {.name = "self-signed-leaf-trusted",
     .port = 2445,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_SELF_LEAF},
     .trust = {S_ITL},
     .absent = {"self-signed-leaf"},
     .store = {[SIDE_SERVER] = "itl.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* 7001 completed, the store holds the root and a second CA with the
     * same subject: trust-store-duplicate-subject (warning) names the root
     * of the chain and gives both fingerprints, and the advice the
     * Expressway-C's list. */
    {.name = "trust-store-duplicate-subject",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .trust = {S_DUP},
     .want = {DIAG("trust-store-duplicate-subject", SEV_WARNING, C_ROOT,
                   "The trust store duplicate-root.pem holds two different CA "
                   "certificates with the subject CN=Test Root CA" RDN,
                   "Keep one certificate per subject in the Trusted CA list of the "
                   "Expressway-C",
                   {C_ROOT, C_ROOT_TWIN})},
     .store = {[SIDE_SERVER] = "duplicate-root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* 636, the directory's leaf is issued by a root that expired the day
     * before, in the store: expired names the root, "in the trust store",
     * and says to replace it; the alert's store view gives OpenSSL's
     * reason.  The leaf itself is valid. */
    {.name = "expired-anchor-in-store",
     .port = 636,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 46}},
     .server = {C_LEAF_OLD},
     .trust = {S_OLD},
     .want = {DIAG("alert-certificate-unknown", SEV_ERROR, C_LEAF_OLD,
                   "does not verify against old-root.pem either (certificate has "
                   "expired)"),
              DIAG("expired", SEV_ERROR, C_OLD_ROOT,
                   "The certificate CN=Old Root CA" RDN
                   " in the trust store old-root.pem "
                   "expired on 2026-11-22T19:23:18Z, before the handshake "
                   "(2026-11-23T19:23:18Z).",
                   "Replace the expired CA CN=Old Root CA" RDN " (SHA-256 ",
                   .advice_sha = C_OLD_ROOT)},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "old-root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED},
     .service = "ldaps"},

    /* 636, the directory's leaf is issued by a root in the store that is
     * valid only from tomorrow: not-yet-valid names the root, and the alert
     * is worded from the store's view, not from the root as a cause the
     * chain shows */
    {.name = "not-yet-valid-anchor-in-store",
     .port = 636,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 46}},
     .server = {C_LEAF_FUTURE},
     .trust = {S_FUTURE},
     .want = {DIAG("alert-certificate-unknown", SEV_ERROR, C_LEAF_FUTURE,
                   "does not verify against future-root.pem either (certificate is not "
                   "yet valid)"),
              DIAG("not-yet-valid", SEV_ERROR, C_FUTURE_ROOT, "in the trust store")},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "future-root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED},
     .service = "ldaps"},

    /* ---- trust-store-mismatch ---- */

    /* 7001, the Expressway-C refuses a chain with fatal unknown_ca that its
     * store as given (expc-trust.pem, the client's own) accepts, and nothing
     * else explains it: the alert says that store holds the root
     * (fingerprint), never that it lacks it, and advises comparing the
     * device's list before any upload; trust-store-mismatch names the leaf, the
     * device and the Expressway-C's Trusted CA list; an error (the refused
     * case, CONTRACT.md), the finding the alert joins. */
    {.name = "trust-store-mismatch-unknown-ca",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF, C_INTER},
     .trust = {S_EXPC},
     .want = {DIAG(
                  "alert-unknown-ca", SEV_ERROR, C_LEAF,
                  "The trust store expc-trust.pem given for the client holds CN=Test "
                  "Root CA" RDN " (SHA-256 ",
                  "Compare the trust list the client (" CLIENT_ADDR ") uses (the "
                  "Trusted CA list of the Expressway-C) with expc-trust.pem, which holds "
                  "CN=Test Root CA" RDN,
                  {C_ROOT}, C_ROOT, .joins = "trust-store-mismatch",
                  .refused = REFUSED_BY_CLIENT),
              DIAG("trust-store-mismatch", SEV_ERROR, C_LEAF,
                   "The client refused the server's chain with unknown_ca, yet the trust "
                   "store expc-trust.pem given for the client accepts that chain",
                   "The client (" CLIENT_ADDR ") does not use expc-trust.pem: export its "
                   "current trust list (the Trusted CA list of the Expressway-C) again",
                   .advice_sha = C_ROOT)},
     .store = {[SIDE_SERVER] = "expc-trust.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* 8443, CUCM tomcat (Java) refuses the client's chain with fatal
     * certificate_unknown that the server's store as given accepts:
     * trust-store-mismatch names the client's leaf and tomcat-trust.  No
     * store is given for the client, so the server's chain is not judged. */
    {.name = "trust-store-mismatch-certificate-unknown",
     .port = 8443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 46}},
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT, C_INTER},
     .requested = true,
     .trust = {S_TOMCAT},
     .want = {DIAG("alert-certificate-unknown", SEV_ERROR, C_CLIENT,
                   "and accepts the client's chain, so the server judged with another "
                   "list than the one given",
                   "if that list lacks CN=Test Root CA" RDN ", upload it there"),
              DIAG("trust-store-mismatch", SEV_ERROR, C_CLIENT,
                   "The server refused the client's chain with certificate_unknown",
                   "The server (" SERVER_ADDR ":8443) does not use tomcat-trust.pem: "
                   "export its current trust list (tomcat-trust on CUCM")},
     .store = {[SIDE_CLIENT] = "tomcat-trust.pem"},
     .verified = {[SIDE_CLIENT] = VERIFIED}},

    /* As trust-store-mismatch-unknown-ca, but the store is the system's
     * default (no --trust option): only a store the user gave can be the
     * wrong one, so no trust-store-mismatch. */
    {.name = "no-mismatch-with-system-store",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF, C_INTER},
     .trust = {S_ROOT},
     .system = true,
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF,
                   "Against the trust store root.pem the server's chain verifies, so the "
                   "client's own trust store lacks CN=Test Root CA" RDN,
                   "Upload CN=Test Root CA" RDN " (SHA-256 ")},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* As trust-store-mismatch-unknown-ca with bad_certificate: only
     * unknown_ca and certificate_unknown say "no CA of mine", so no
     * trust-store-mismatch. */
    {.name = "no-mismatch-for-bad-certificate",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 42}},
     .server = {C_LEAF, C_INTER},
     .trust = {S_EXPC},
     .want = {DIAG("alert-bad-certificate", SEV_ERROR, C_LEAF,
                   "The server's chain verifies against expc-trust.pem, which holds its "
                   "root CN=Test Root CA" RDN ", so a missing CA is not the reason.")},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "expc-trust.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* 5061, the client refuses with certificate_revoked a chain its store
     * as given accepts (certscope checks no revocation): the alert says the
     * store holds the root and that a missing CA is not the reason; the
     * advice is a new certificate, not an upload. */
    {.name = "revoked-not-the-store",
     .port = 5061,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 44}},
     .server = {C_LEAF, C_INTER},
     .trust = {S_EXPC},
     .want = {DIAG("alert-certificate-revoked", SEV_ERROR, C_LEAF,
                   "because its issuer revoked it. The server's chain verifies against "
                   "expc-trust.pem, which holds its root CN=Test Root CA" RDN
                   ", so a missing CA is not the reason.",
                   "was revoked: issue and install a new one.")},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "expc-trust.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* 5061 without SNI, the client verifies cucm.example.com
     * (--expect-name), the certificate holds vcse.example.com, the client
     * refuses with unknown_ca although its store accepts the chain: the
     * name-mismatch explains it, no trust-store-mismatch. */
    {.name = "no-mismatch-when-name-explains",
     .port = 5061,
     .expect = {{NULL, 0, "cucm.example.com"}},
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF, C_INTER},
     .trust = {S_EXPC},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF,
                   "The likely reason is name-mismatch (see that diagnosis), not the "
                   "client's trust store."),
              DIAG("name-mismatch", SEV_ERROR, C_LEAF,
                   "The name cucm.example.com (the name given with --expect-name)")},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "expc-trust.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* 7001, the Expressway-E's certificate has serverAuth only and the
     * client refuses with certificate_unknown; its store accepts the chain
     * (verified for a server), but the missing clientAuth explains it: no
     * trust-store-mismatch. */
    {.name = "no-mismatch-when-eku-explains",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 46}},
     .server = {C_LEAF_WEB, C_INTER},
     .trust = {S_EXPC},
     .want = {DIAG("alert-certificate-unknown", SEV_ERROR, C_LEAF_WEB),
              DIAG("eku-missing-client-auth", SEV_ERROR, C_LEAF_WEB)},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "expc-trust.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* 7001, the server's leaf expired the day before and the client refuses
     * with unknown_ca: expired explains it (and the store rejects the chain
     * anyway), no trust-store-mismatch. */
    {.name = "no-mismatch-when-expired-explains",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF_EXPIRED, C_INTER},
     .trust = {S_EXPC},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF_EXPIRED,
                   "The likely reason is expired (see that diagnosis), not the client's "
                   "trust store."),
              DIAG("expired", SEV_ERROR, C_LEAF_EXPIRED,
                   "sent by the server expired on")},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "expc-trust.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},

    /* ---- alerts ---- */

    /* 7001, no store given, the client refuses the server's chain with
     * fatal unknown_ca: an error naming the leaf, the advice the
     * Expressway-C's Trusted CA list and the client's address. */
    {.name = "alert-fatal-is-error",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF,
                   "The client sent a fatal unknown_ca alert",
                   /* the server sent its intermediate: only the root is missing */
                   "Add the root CA above the chain the server sent to the Trusted CA "
                   "list of the Expressway-C on the client (" CLIENT_ADDR ")")}},

    /* 443, the client sends bad_certificate at level warning: a warning,
     * still naming the certificate it refused. */
    {.name = "alert-warning-is-warning",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 1, 42}},
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("alert-bad-certificate", SEV_WARNING, C_LEAF,
                   "The client sent a warning bad_certificate alert",
                   .refused = REFUSED_NONE)}},

    /* 443, the client cancels (user_canceled, warning) and closes
     * (close_notify): a warning that names no certificate, and nothing for
     * close_notify. */
    {.name = "alert-user-canceled-then-close-notify",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 1, 90}, {SIDE_CLIENT, 1, 0}},
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("alert-user-canceled", SEV_WARNING, C_NONE,
                   "the client's user cancelled the handshake")},
     .absent = {"alert-close-notify"}},
    /* the same with a store that accepts the server's chain: an alert that
     * does not refuse a certificate is not worded from a store */
    {.name = "alert-user-canceled-not-attributed",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 1, 90}},
     .server = {C_LEAF, C_INTER},
     .trust = {S_ROOT},
     .want = {DIAG("alert-user-canceled", SEV_WARNING, C_NONE,
                   "The client sent a warning user_canceled alert: the client's user "
                   "cancelled the handshake.",
                   .whole = true)},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* 443 completed, both sides end with close_notify: nothing at all. */
    {.name = "close-notify-gives-nothing",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .alerts = {{SIDE_CLIENT, 1, 0}, {SIDE_SERVER, 1, 0}},
     .server = {C_LEAF, C_INTER},
     .absent = {"alert-close-notify"},
     .service = "https"},

    /* An alert code no registry names (200, fatal, from the server): its
     * code is written alert-unknown-200. */
    {.name = "alert-unknown-code",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 200}},
     .want = {DIAG("alert-unknown-200", SEV_ERROR, C_NONE,
                   "the alert code is not one certscope knows",
                   .refused = REFUSED_NONE)}},

    /* 5061, the client refuses the expired leaf with certificate_expired:
     * the alert and expired both name it. */
    {.name = "alert-certificate-expired",
     .port = 5061,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 45}},
     .server = {C_LEAF_EXPIRED, C_INTER},
     .want = {DIAG("alert-certificate-expired", SEV_ERROR, C_LEAF_EXPIRED,
                   "The likely reason is expired (see that diagnosis)",
                   "Renew the server's certificate CN=expired.example.com" RDN),
              DIAG("expired", SEV_ERROR, C_LEAF_EXPIRED)}},

    /* 7001 (README's excerpt), the client's certificate is from a web
     * server template and the server answers unsupported_certificate: both
     * name the client's certificate, the EKU advice its address. */
    {.name = "alert-unsupported-certificate",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 43}},
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT_WEB, C_INTER},
     .requested = true,
     .want = {DIAG("alert-unsupported-certificate", SEV_ERROR, C_CLIENT_WEB,
                   "The server sent a fatal unsupported_certificate alert"),
              DIAG("eku-missing-client-auth", SEV_ERROR, C_CLIENT_WEB,
                   "The client's certificate CN=vcsc-web.example.com" RDN
                   " lacks TLS Web Client Authentication",
                   "install it on the client (" CLIENT_ADDR ")")}},

    /* ---- extended key usage ---- */

    /* 7001 completed, the Expressway-E's certificate has serverAuth only:
     * eku-missing-client-auth, an error, "which expressway-traversal needs
     * on both sides". */
    {.name = "eku-dual-use-server-lacks-client-auth",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WEB, C_INTER},
     .want = {DIAG("eku-missing-client-auth", SEV_ERROR, C_LEAF_WEB,
                   "which expressway-traversal needs on both sides",
                   "install it on the server (" SERVER_ADDR ":7001)")},
     .absent = {"eku-missing-server-auth"}},

    /* 5061 completed, the client's certificate has serverAuth only: an
     * error (CUCM connects back as the client). */
    {.name = "eku-dual-use-client-lacks-client-auth",
     .port = 5061,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT_WEB, C_INTER},
     .requested = true,
     .want = {DIAG("eku-missing-client-auth", SEV_ERROR, C_CLIENT_WEB,
                   "which sip-tls needs on both sides")}},

    /* 7001 completed, the client's certificate has clientAuth only: it
     * lacks serverAuth, an error on a dual-use port. */
    {.name = "eku-dual-use-client-lacks-server-auth",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT_ONLY, C_INTER},
     .requested = true,
     .want = {DIAG("eku-missing-server-auth", SEV_ERROR, C_CLIENT_ONLY,
                   "The client's certificate CN=phone.example.com" RDN
                   " lacks TLS Web Server Authentication")},
     .absent = {"eku-missing-client-auth"}},

    /* 443 completed, a client certificate with serverAuth only: a warning
     * (some servers do not check a client's EKU). */
    {.name = "eku-client-elsewhere-is-warning",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT_WEB, C_INTER},
     .requested = true,
     .want = {DIAG("eku-missing-client-auth", SEV_WARNING, C_CLIENT_WEB,
                   "so servers that check it refuse it as a client certificate")}},

    /* 443 completed, the server's certificate has serverAuth only: nothing
     * (clientAuth is needed only on dual-use ports). */
    {.name = "eku-server-elsewhere-needs-server-auth-only",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WEB, C_INTER},
     .absent = {"eku-missing-client-auth", "eku-missing-server-auth"}},

    /* 443 completed, the server's certificate has clientAuth only:
     * eku-missing-server-auth, an error, "so clients refuse it". */
    {.name = "eku-server-lacks-server-auth",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_CLIENT_ONLY, C_INTER},
     .want = {DIAG("eku-missing-server-auth", SEV_ERROR, C_CLIENT_ONLY,
                   "so clients refuse it as a server certificate")},
     .absent = {"eku-missing-client-auth"}},

    /* 443 completed, a client certificate with clientAuth only: nothing. */
    {.name = "eku-client-elsewhere-client-auth-only",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT_ONLY, C_INTER},
     .requested = true,
     .absent = {"eku-missing-server-auth", "eku-missing-client-auth"}},

    /* 7001 completed, a certificate without the EKU extension (any
     * purpose): nothing. */
    {.name = "eku-absent-means-any",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_NOEKU, C_INTER},
     .absent = {"eku-missing-server-auth", "eku-missing-client-auth"}},

    /* ---- wildcards: a warning on the collaboration ports, info elsewhere ---- */

    /* 7001: DNS:*.example.com on the Expressway-E's certificate, a warning */
    {.name = "wildcard-7001",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD,
                   "holds the wildcard name *.example.com; Expressway and VCS do not "
                   "support wildcard certificates")}},
    /* 5061: a warning */
    {.name = "wildcard-5061",
     .port = 5061,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD)}},
    /* 2445 (TVS): a warning */
    {.name = "wildcard-2445",
     .port = 2445,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD)}},
    /* 2444 (CTL provider): a warning */
    {.name = "wildcard-2444",
     .port = 2444,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD)}},
    /* 3804 (CAPF): a warning */
    {.name = "wildcard-3804",
     .port = 3804,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD)}},
    /* 5222 (XMPP client): a warning */
    {.name = "wildcard-5222",
     .port = 5222,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD)}},
    /* 5269 (XMPP federation): a warning */
    {.name = "wildcard-5269",
     .port = 5269,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD)}},
    /* 8443 (CUCM tomcat, UDS): a warning */
    {.name = "wildcard-8443",
     .port = 8443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD)}},
    /* 443: info only */
    {.name = "wildcard-443-is-info",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_INFO, C_LEAF_WILD)}},
    /* a port no site names (9443): info only */
    {.name = "wildcard-other-port-is-info",
     .port = 9443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_INFO, C_LEAF_WILD)}},
    /* 7001, DNS:*.*.example.com: a wildcard of two labels is still one */
    {.name = "wildcard-multi-label",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD2, C_INTER},
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD2,
                   "holds the wildcard name *.*.example.com")}},
    /* 7001 mutual TLS, the client's certificate is the wildcard one: named
     * too, as the client's */
    {.name = "wildcard-on-client-certificate",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_LEAF_WILD, C_INTER},
     .requested = true,
     .want = {DIAG("wildcard-name", SEV_WARNING, C_LEAF_WILD,
                   "The client's certificate CN=*.example.com" RDN)}},

    /* ---- DER ---- */

    /* 443, the server's leaf cut 8 bytes short: certificate-undecodable
     * (error) with its position, hash and size; the client's bad_certificate
     * is explained by it */
    {.name = "certificate-undecodable",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 42}},
     .server = {C_LEAF_BROKEN, C_INTER},
     .trust = {S_ROOT},
     .want = {DIAG("certificate-undecodable", SEV_ERROR, C_LEAF_BROKEN,
                   "Certificate 1 of the server's chain (SHA-256 ",
                   "Install on the server (" SERVER_ADDR ":443) the certificate exactly",
                   .msg_sha = {C_LEAF_BROKEN}, .joins = "certificate-undecodable"),
              DIAG("alert-bad-certificate", SEV_ERROR, C_LEAF_BROKEN, NULL, NULL,
                   .joins = "certificate-undecodable")}},

    /* ---- keys ---- */

    /* 443, an RSA 1024 leaf: weak-key (warning) */
    {.name = "weak-key-rsa-1024",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_RSA1024, C_INTER},
     .want = {DIAG("weak-key", SEV_WARNING, C_LEAF_RSA1024,
                   "The certificate CN=rsa1024.example.com" RDN
                   " has a 1024-bit RSA key")}},
    /* RSA 2047, one bit short: weak-key */
    {.name = "weak-key-rsa-2047",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_RSA2047, C_INTER},
     .want = {DIAG("weak-key", SEV_WARNING, C_LEAF_RSA2047, "has a 2047-bit RSA key")}},
    /* RSA 2048: nothing */
    {.name = "rsa-2048-is-not-weak",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_RSA2048, C_INTER},
     .absent = {"weak-key", "key-too-large"}},
    /* EC P-224: 224 bits, nothing */
    {.name = "ec-p224-is-not-weak",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_P224, C_INTER},
     .absent = {"weak-key"}},
    /* EC secp192r1: under 224 bits, weak-key */
    {.name = "weak-key-ec-192",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_P192, C_INTER},
     .want = {DIAG("weak-key", SEV_WARNING, C_LEAF_P192, "has a 192-bit EC key")}},
    /* RSA 4096: the largest Expressway takes, nothing */
    {.name = "rsa-4096-is-not-too-large",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_RSA4096, C_INTER},
     .absent = {"key-too-large", "weak-key"}},
    /* RSA 4097: over 4096, key-too-large (warning) */
    {.name = "key-too-large-4097",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_RSA4097, C_INTER},
     .want = {DIAG("key-too-large", SEV_WARNING, C_LEAF_RSA4097,
                   "has a 4097-bit RSA key; Expressway supports keys up to 4096 bits")}},
    /* RSA 8192 (what fails in the field): key-too-large */
    {.name = "key-too-large-8192",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_RSA8192, C_INTER},
     .want = {DIAG("key-too-large", SEV_WARNING, C_LEAF_RSA8192,
                   "has a 8192-bit RSA key")}},

    /* ---- signatures ---- */

    /* 443, a leaf its issuing CA signed with SHA-1: weak-signature names the
     * leaf, not the issuer */
    {.name = "weak-signature-sha1",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_SHA1, C_INTER},
     .want = {DIAG("weak-signature", SEV_WARNING, C_LEAF_SHA1,
                   "The certificate CN=sha1.example.com" RDN
                   " is signed with ecdsa-with-SHA1")}},
    /* 443, a leaf signed with MD5 by an RSA CA: weak-signature */
    {.name = "weak-signature-md5",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_MD5, C_RSA_CA},
     .want = {DIAG("weak-signature", SEV_WARNING, C_LEAF_MD5,
                   "is signed with md5WithRSAEncryption")}},
    /* 443, a leaf its RSA CA signed with RSASSA-PSS over SHA-1: the hash is
     * read from the signature's parameters, and a default OpenSSL peer
     * refuses it */
    {.name = "weak-signature-rsa-pss-sha1",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_PSS_SHA1, C_RSA_CA},
     .trust = {S_ROOT},
     .want = {DIAG(
         "weak-signature", SEV_WARNING, C_LEAF_PSS_SHA1,
         "The certificate CN=pss.example.com" RDN " is signed with RSASSA-PSS "
         "with SHA1, which current peers refuse. A peer on OpenSSL at its default "
         "security level (1) refuses it (CA signature digest algorithm too weak).",
         .whole = true)},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* 443, the server sends its leaf alone; the issuing CA the store
     * supplies was signed with SHA-1, which OpenSSL's default security
     * level refuses: the client's unknown_ca says the chain does not verify
     * against the store either, and that the level decided */
    {.name = "security-level-refuses-store-ca",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF_UNDER_SHA1_INTER},
     .trust = {S_SHA1_INTER},
     .want = {DIAG(
         "alert-unknown-ca", SEV_ERROR, C_LEAF_UNDER_SHA1_INTER,
         "The server's chain does not verify against sha1-issuing.pem either "
         "(CA signature digest algorithm too weak, at OpenSSL's default security "
         "level 1).")},
     .absent = {"trust-store-mismatch", "weak-signature"},
     .store = {[SIDE_SERVER] = "sha1-issuing.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* a 1024-bit RSA leaf signed with SHA-1: the default level refuses
     * its signature, not its key (1024 bits pass level 1), and each
     * diagnosis says only its own */
    {.name = "security-level-signature-not-key",
     .port = 3804,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_RSA1024_SHA1, C_INTER},
     .trust = {S_ROOT},
     .want = {DIAG("weak-key", SEV_WARNING, C_LEAF_RSA1024_SHA1,
                   "The certificate CN=capf-sha1.example.com" RDN " has a 1024-bit RSA "
                   "key, weaker than current peers accept.",
                   .whole = true),
              DIAG("weak-signature", SEV_WARNING, C_LEAF_RSA1024_SHA1,
                   "refuses it (CA signature digest algorithm too weak).")},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* a 1024-bit RSA leaf whose store-supplied issuer the level refuses:
     * the leaf's weak-key says nothing of another certificate's refusal */
    {.name = "security-level-other-certificate",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_RSA1024_UNDER_SHA1_INTER},
     .trust = {S_SHA1_INTER},
     .want = {DIAG("weak-key", SEV_WARNING, C_LEAF_RSA1024_UNDER_SHA1_INTER,
                   "The certificate CN=g.example.com" RDN " has a 1024-bit RSA key, "
                   "weaker than current peers accept.",
                   .whole = true)},
     .store = {[SIDE_SERVER] = "sha1-issuing.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* RSASSA-PSS over SHA-256: nothing weak, and the chain verifies */
    {.name = "rsa-pss-sha256-is-not-weak",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_PSS_SHA256, C_RSA_CA},
     .trust = {S_ROOT},
     .absent = {"weak-signature"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},
    /* 443 completed, a SHA-256 leaf sent with its self-signed root, which
     * signed itself with SHA-1, the store trusting it: nobody checks a
     * root's own signature, so no weak-signature */
    {.name = "sha1-self-signed-root-is-not-weak",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_SHA1_ROOT, C_SHA1_ROOT},
     .trust = {S_SHA1},
     .absent = {"weak-signature"},
     .store = {[SIDE_SERVER] = "sha1-root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* ---- subject alternative names and subject ---- */

    /* 7001, 999 characters of DNS names: Expressway reads them all, nothing */
    {.name = "san-999-characters",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_SAN999, C_INTER},
     .absent = {"san-too-long"}},
    /* 1000 characters: san-too-long (warning) */
    {.name = "san-too-long-1000",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_SAN1000, C_INTER},
     .want = {DIAG("san-too-long", SEV_WARNING, C_LEAF_SAN1000,
                   "hold 1000 characters; Expressway ignores everything past 999")}},
    /* 5061, OID 1.3.6.1.4.1.6449.1.2.1.5.1 in the subject:
     * unusual-subject-attribute (warning) gives the OID */
    {.name = "unusual-subject-attribute",
     .port = 5061,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_ODD, C_INTER},
     .want = {DIAG("unusual-subject-attribute", SEV_WARNING, C_LEAF_ODD,
                   "holds the unusual attribute 1.3.6.1.4.1.6449.1.2.1.5.1")}},

    /* ---- validity, as of the handshake or --at ---- */

    /* 443, the leaf expired the day before the handshake: expired (error) */
    {.name = "expired",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_EXPIRED, C_INTER},
     .want = {DIAG("expired", SEV_ERROR, C_LEAF_EXPIRED,
                   "The certificate CN=expired.example.com" RDN " sent by the server "
                   "expired on 2026-11-22T19:23:18Z, before the handshake "
                   "(2026-11-23T19:23:18Z).",
                   "Renew CN=expired.example.com" RDN " on the server (" SERVER_ADDR
                   ":443)")},
     .absent = {"expiring-soon"}},
    /* 443, the leaf is valid from the day after: not-yet-valid (error) */
    {.name = "not-yet-valid",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_NOTYET, C_INTER},
     .want = {DIAG("not-yet-valid", SEV_ERROR, C_LEAF_NOTYET,
                   "is valid only from 2026-11-24T19:23:18Z, after the handshake",
                   "Check the clocks of the server and the client (NTP)")}},
    /* 443, the leaf expires 29 days after the handshake: expiring-soon */
    {.name = "expiring-soon-29-days",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_29D, C_INTER},
     .want = {DIAG("expiring-soon", SEV_WARNING, C_LEAF_29D,
                   "expires on 2026-12-22T19:23:18Z, 29 days after the handshake",
                   "before 2026-12-22T19:23:18Z")}},
    /* 31 days: nothing */
    {.name = "not-expiring-soon-31-days",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_31D, C_INTER},
     .absent = {"expiring-soon", "expired"}},
    /* the leaf valid at the handshake, judged --at 400 days later, when it
     * has expired (its CA has not) */
    {.name = "expired-at",
     .port = 443,
     .have_at = true,
     .at = 400 * DAY,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("expired", SEV_ERROR, C_LEAF,
                   "expired on 2027-11-23T19:23:18Z, before the handshake "
                   "(2027-12-28T19:23:18Z)")}},
    /* the expired leaf judged --at 100 days before the handshake, when it
     * was valid: nothing */
    {.name = "valid-at",
     .port = 443,
     .have_at = true,
     .at = -100 * DAY,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_EXPIRED, C_INTER},
     .absent = {"expired", "expiring-soon", "not-yet-valid"}},
    /* the 29-day leaf judged --at 2 days later: expiring in 27 */
    {.name = "expiring-soon-at",
     .port = 443,
     .have_at = true,
     .at = 2 * DAY,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_29D, C_INTER},
     .want = {DIAG("expiring-soon", SEV_WARNING, C_LEAF_29D, "27 days after")}},

    /* the leaf judged --at its notAfter itself: not yet expired (it expires
     * after that second), expiring in 0 days */
    {.name = "not-expired-at-not-after",
     .port = 443,
     .have_at = true,
     .at = 365 * DAY,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("expiring-soon", SEV_WARNING, C_LEAF, "0 days after")},
     .absent = {"expired"}},
    /* the leaf judged --at its notBefore itself: valid from that second */
    {.name = "valid-at-not-before",
     .port = 443,
     .have_at = true,
     .at = -365 * DAY,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .absent = {"not-yet-valid", "expiring-soon"}},
    /* the leaf judged --at exactly 30 days before its notAfter: not yet
     * expiring soon (fewer than 30 days is) */
    {.name = "not-expiring-soon-at-30-days",
     .port = 443,
     .have_at = true,
     .at = 335 * DAY,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .absent = {"expiring-soon"}},
    /* ... and a second later, it is (29 days left, rounded down) */
    {.name = "expiring-soon-at-30-days-less-a-second",
     .port = 443,
     .have_at = true,
     .at = 335 * DAY + 1,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("expiring-soon", SEV_WARNING, C_LEAF, "29 days after")}},

    /* ---- names: SNI, --expect-name ---- */

    /* 443, SNI cucm.example.com, the certificate holds vcse.example.com:
     * name-mismatch (error) gives the name, its source and the names held */
    {.name = "name-mismatch-sni",
     .port = 443,
     .sni = "cucm.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .want = {DIAG(
         "name-mismatch", SEV_ERROR, C_LEAF,
         "The name cucm.example.com (the SNI the client sent) is not among the "
         "names of the server's certificate CN=vcse.example.com" RDN
         " (DNS:vcse.example.com).",
         "Reissue the server's certificate with cucm.example.com in its subject "
         "alternative names, or configure the client to verify a name the "
         "certificate holds.",
         .joins = "name-mismatch", .refused = REFUSED_NONE)}},
    /* 443, the same mismatch, and the client refuses with bad_certificate
     * although the store given for it accepts the chain: the alert points
     * at the name, not at the client's trust store (CONTRACT.md,
     * "Judgement rules"), and no trust-store-mismatch is claimed. */
    {.name = "bad-certificate-after-name-mismatch",
     .one_finding = "name-mismatch",
     .one_refused_by = "client",
     .port = 443,
     .sni = "cucm.example.com",
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 42}},
     .server = {C_LEAF, C_INTER},
     .trust = {S_ROOT},
     .want = {DIAG("alert-bad-certificate", SEV_ERROR, C_LEAF,
                   "The likely reason is name-mismatch (see that diagnosis), not the "
                   "client's trust store."),
              DIAG("name-mismatch", SEV_ERROR, C_LEAF,
                   "The name cucm.example.com (the SNI the client sent) is not among the "
                   "names of the server's certificate")},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},
    /* SNI vcse.example.com: matched, nothing */
    {.name = "name-match-sni",
     .port = 443,
     .sni = "vcse.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .absent = {"name-mismatch"}},
    /* SNI meet.example.com, DNS:*.example.com: matched, the wildcard info */
    {.name = "name-match-wildcard",
     .port = 443,
     .sni = "meet.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_INFO, C_LEAF_WILD)},
     .absent = {"name-mismatch"}},
    /* SNI a.b.example.com: a wildcard covers one label only, mismatch */
    {.name = "name-mismatch-wildcard-two-labels",
     .port = 443,
     .sni = "a.b.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD, C_INTER},
     .want = {DIAG("wildcard-name", SEV_INFO, C_LEAF_WILD),
              DIAG("name-mismatch", SEV_ERROR, C_LEAF_WILD, "The name a.b.example.com")}},
    /* SNI a.b.example.com, DNS:*.*.example.com: one wildcard a name, so
     * two match nothing */
    {.name = "name-mismatch-two-wildcards",
     .port = 443,
     .sni = "a.b.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD2, C_INTER},
     .want = {DIAG("wildcard-name", SEV_INFO, C_LEAF_WILD2, "*.*.example.com"),
              DIAG("name-mismatch", SEV_ERROR, C_LEAF_WILD2,
                   "The name a.b.example.com")}},
    /* SNI vcse.a.example.com, DNS:vcse.*.example.com: a wildcard only
     * stands for the leftmost label, so this one matches nothing; it is
     * still named a wildcard */
    {.name = "name-mismatch-wildcard-not-leftmost",
     .port = 443,
     .sni = "vcse.a.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_WILD_MID, C_INTER},
     .want = {DIAG("wildcard-name", SEV_INFO, C_LEAF_WILD_MID,
                   "holds the wildcard name vcse.*.example.com"),
              DIAG("name-mismatch", SEV_ERROR, C_LEAF_WILD_MID,
                   "The name vcse.a.example.com")}},
    /* no SAN, CN=cucm.example.com, SNI cucm.example.com: the CN matches */
    {.name = "name-match-cn-without-san",
     .port = 443,
     .sni = "cucm.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_CN_ONLY, C_INTER},
     .absent = {"name-mismatch"}},
    /* no SAN, SNI vcse.example.com: mismatch, "no subject alternative names" */
    {.name = "name-mismatch-cn-without-san",
     .port = 443,
     .sni = "vcse.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_CN_ONLY, C_INTER},
     .want = {DIAG("name-mismatch", SEV_ERROR, C_LEAF_CN_ONLY,
                   "(no subject alternative names; subject CN=cucm.example.com" RDN
                   ")")}},
    /* 7001 without SNI, --expect-name 198.51.100.20=vcse2.example.com: the
     * name given for this server, mismatch */
    {.name = "expect-name-by-address",
     .port = 7001,
     .expect = {{SERVER_ADDR, 0, "vcse2.example.com"}},
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("name-mismatch", SEV_ERROR, C_LEAF,
                   "The name vcse2.example.com (the name given with --expect-name)")}},
    /* --expect-name 198.51.100.20:7001=vcse.example.com: matched */
    {.name = "expect-name-by-address-and-port-matches",
     .port = 7001,
     .expect = {{SERVER_ADDR, 7001, "vcse.example.com"}},
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .absent = {"name-mismatch"}},
    /* --expect-name 198.51.100.20:5061=vcse2.example.com on 7001: not this
     * connection's, nothing checked */
    {.name = "expect-name-other-port",
     .port = 7001,
     .expect = {{SERVER_ADDR, 5061, "vcse2.example.com"}},
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .absent = {"name-mismatch"}},
    /* --expect-name 203.0.113.5=vcse2.example.com: another server's */
    {.name = "expect-name-other-address",
     .port = 7001,
     .expect = {{"203.0.113.5", 0, "vcse2.example.com"}},
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .absent = {"name-mismatch"}},
    /* --expect-name vcse2.example.com (every server): mismatch */
    {.name = "expect-name-all-servers",
     .port = 7001,
     .expect = {{NULL, 0, "vcse2.example.com"}},
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("name-mismatch", SEV_ERROR, C_LEAF,
                   "The name vcse2.example.com (the name given with --expect-name)")}},
    /* every server's vcse2.example.com, this server's vcse.example.com: the
     * name given for the address wins, matched */
    {.name = "expect-name-address-beats-all",
     .port = 7001,
     .expect = {{NULL, 0, "vcse2.example.com"}, {SERVER_ADDR, 0, "vcse.example.com"}},
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .absent = {"name-mismatch"}},
    /* 5061, the trunk verifies the server by its address 198.51.100.20,
     * which is an IP SAN of the certificate: matched */
    {.name = "expect-name-ip-in-san",
     .port = 5061,
     .expect = {{NULL, 0, SERVER_ADDR}},
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_IP, C_INTER},
     .absent = {"name-mismatch"}},
    /* the same address against a certificate without IP SAN: mismatch */
    {.name = "expect-name-ip-not-in-san",
     .port = 5061,
     .expect = {{NULL, 0, SERVER_ADDR}},
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("name-mismatch", SEV_ERROR, C_LEAF,
                   "The name " SERVER_ADDR " (the name "
                   "given with --expect-name)")}},

    /* SNI cucm.example.com, a certificate of a DNS and an IP name: both
     * listed, the address as written */
    {.name = "name-mismatch-lists-ip-names",
     .port = 5061,
     .sni = "cucm.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_IP, C_INTER},
     .want = {DIAG("name-mismatch", SEV_ERROR, C_LEAF_IP,
                   "(DNS:vcse.example.com, IP:" SERVER_ADDR ")")}},
    /* ... and an IPv6 name, as written */
    {.name = "name-mismatch-lists-ipv6-names",
     .port = 5061,
     .sni = "cucm.example.com",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_IP6, C_INTER},
     .want = {DIAG("name-mismatch", SEV_ERROR, C_LEAF_IP6,
                   "(DNS:vcse.example.com, IP:" SERVER_ADDR6 ")")}},
    /* an empty SNI names nothing to match */
    {.name = "empty-sni-is-no-name",
     .port = 443,
     .sni = "",
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .absent = {"name-mismatch"}},

    /* ---- the system's store: for information only ---- */

    /* no store given, the system's does not hold the other root, the
     * client went on: info */
    {.name = "system-store-informs-when-completed",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_OTHER, C_OTHER_ROOT},
     .trust = {S_ROOT},
     .system = true,
     .want = {DIAG("untrusted-root", SEV_INFO, C_OTHER_ROOT)},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* ... and refused: a warning, the alert the error */
    {.name = "system-store-warns-when-refused",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF_OTHER, C_OTHER_ROOT},
     .trust = {S_ROOT},
     .system = true,
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF_OTHER,
                   .joins = "untrusted-root"),
              DIAG("untrusted-root", SEV_WARNING, C_OTHER_ROOT)},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},

    /* ---- chain order ---- */

    /* 7001 completed, leaf, root, issuing CA: chain-order (warning) names
     * the root, the first certificate that did not issue the one before;
     * the store still builds the chain */
    {.name = "chain-order-leaf-root-intermediate",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_ROOT, C_INTER},
     .trust = {S_ROOT},
     .want = {DIAG("chain-order", SEV_WARNING, C_ROOT,
                   "The server's certificates are not in issuing order",
                   "Configure the server to send its leaf first")},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},
    /* leaf, issuing CA, root: in order, nothing */
    {.name = "chain-in-order",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER, C_ROOT},
     .trust = {S_ROOT},
     .absent = {"chain-order"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},
    /* a leaf without an authority key identifier, then its issuing CA:
     * in order by name alone */
    {.name = "chain-in-order-without-aki",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_NO_AKI, C_INTER},
     .trust = {S_ROOT},
     .absent = {"chain-order"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},
    /* leaf, issuing CA, an unrelated root: chain-order names the stranger */
    {.name = "chain-order-unrelated",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER, C_OTHER_ROOT},
     .want = {DIAG("chain-order", SEV_WARNING, C_OTHER_ROOT)}},
    /* the client's chain out of order: "The client's certificates" */
    {.name = "chain-order-client",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT, C_ROOT, C_INTER},
     .requested = true,
     .want = {DIAG("chain-order", SEV_WARNING, C_ROOT, "The client's certificates")}},

    /* leaf, issuing CA, and a root with the issuing CA's issuer name but
     * another key (CUCM's two self-signed certificates of one subject):
     * order is names and key ids, so chain-order names the twin */
    {.name = "chain-order-twin-root",
     .port = 7001,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER, C_ROOT_TWIN},
     .trust = {S_ROOT},
     .want = {DIAG("chain-order", SEV_WARNING, C_ROOT_TWIN)},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* ---- alerts by stack ---- */

    /* 5061, a GnuTLS client answers a leaf sent without its issuing CA
     * with bad_certificate: the alert is read from the chain (the issuer
     * missing), not as a corrupt certificate, and advises the CA */
    {.name = "gnutls-bad-certificate-unknown-issuer",
     .port = 5061,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 42}},
     .server = {C_LEAF},
     .trust = {S_ROOT},
     .want = {DIAG(
                  "alert-bad-certificate", SEV_ERROR, C_LEAF,
                  "The client sent a fatal bad_certificate alert: the client refused the "
                  "server's certificate. The server's chain does not verify against "
                  "root.pem either: its issuer CN=Test Issuing CA" RDN " is missing.",
                  "Add the CA that issued CN=vcse.example.com" RDN, .whole = true,
                  .joins = "issuer-not-found"),
              DIAG("issuer-not-found", SEV_ERROR, C_LEAF)},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* 7001, a GnuTLS server refuses a client chain from Other Root CA with
     * access_denied, then bad_certificate: both read as the issuer its
     * store lacks, not as policy, and both join its finding */
    {.name = "gnutls-access-denied-client-chain",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 49}, {SIDE_SERVER, 2, 42}},
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT_OTHER},
     .requested = true,
     .trust = {S_ROOT},
     .want = {DIAG("alert-access-denied", SEV_ERROR, C_CLIENT_OTHER,
                   "The server sent a fatal access_denied alert: the server refused the "
                   "client's certificate. The client's chain does not verify against "
                   "root.pem either: its issuer CN=Other Root CA" RDN " is missing.",
                   "Add the CA that issued CN=phone-lsc.example.com" RDN, .whole = true,
                   .joins = "issuer-not-found"),
              DIAG(
                  "alert-bad-certificate", SEV_ERROR, C_CLIENT_OTHER,
                  "The server sent a fatal bad_certificate alert: the server refused the "
                  "client's certificate. The client's chain does not verify",
                  .joins = "issuer-not-found", .refused = REFUSED_BY_SERVER),
              DIAG("issuer-not-found", SEV_ERROR, C_CLIENT_OTHER)},
     .store = {"root.pem", "root.pem"},
     .verified = {REJECTED, VERIFIED}},
    /* bad_certificate with nothing on the chain to explain it: the
     * stacks' readings of the code */
    {.name = "bad-certificate-unexplained",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 42}},
     .server = {C_LEAF, C_INTER},
     .trust = {S_ROOT},
     .want = {DIAG("alert-bad-certificate", SEV_ERROR, C_LEAF,
                   "the client refused the server's certificate (OpenSSL: as corrupt or "
                   "with a signature that does not verify; GnuTLS also for an issuer it "
                   "cannot find or a CA's constraints broken).")},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = VERIFIED}},

    /* ---- invalid-issuer ---- */

    /* 443 completed: the server's chain runs through a certificate with
     * CA:FALSE.  The client went on, but a verifier that follows RFC 5280
     * refuses the chain: invalid-issuer (an error) names that certificate,
     * what it issued and the section, the advice its reissue, no store. */
    {.name = "invalid-issuer-ca-false",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_UNDER_CA_FALSE, C_BAD_CA_FALSE},
     .trust = {S_ROOT},
     .want = {DIAG(
         "invalid-issuer", SEV_ERROR, C_BAD_CA_FALSE,
         "The certificate CN=Leaf-as-CA" RDN " sent by the server issued "
         "CN=a.example.com" RDN ", but its basic constraints say CA:FALSE, so "
         "it may not issue certificates (RFC 5280, section 4.2.1.9).",
         "Have the PKI reissue CN=Leaf-as-CA" RDN " as a CA certificate (basic "
         "constraints CA:TRUE, key usage keyCertSign), reissue CN=a.example.com" RDN
         " from it and install the new chain on the server (" SERVER_ADDR
         ":443); no trust store change fixes this.",
         .whole = true, .fixer = FIX_OWNER + 1)},
     .absent = {"trust-store-mismatch", "chain-order", "issuer-not-found"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* 5061, an issuing CA whose key usage lacks keyCertSign, refused with
     * unknown_ca (what OpenSSL sends): the alert is explained by
     * invalid-issuer, not by the store, and joins it; in issuing order, so
     * no chain-order (OpenSSL's X509_check_issued() would say otherwise) */
    {.name = "invalid-issuer-no-keycertsign",
     .port = 5061,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF_UNDER_NO_CERTSIGN, C_BAD_NO_CERTSIGN},
     .trust = {S_ROOT},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF_UNDER_NO_CERTSIGN,
                   "The likely reason is invalid-issuer (see that diagnosis), not the "
                   "client's trust store.",
                   .joins = "invalid-issuer", .refused = REFUSED_BY_CLIENT,
                   .joins_cert = C_BAD_NO_CERTSIGN),
              DIAG("invalid-issuer", SEV_ERROR, C_BAD_NO_CERTSIGN,
                   "The CA certificate CN=No-CertSign CA" RDN
                   " sent by the server issued "
                   "CN=b.example.com" RDN
                   ", but its key usage lacks keyCertSign, so it may "
                   "not sign certificates (RFC 5280, section 4.2.1.3).",
                   "Have the PKI reissue CN=No-CertSign CA" RDN)},
     .absent = {"trust-store-mismatch", "chain-order", "issuer-not-found"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* 443 completed, root > CA with pathlen:0 > a CA below it > leaf: the
     * path length is the constraining CA's; the advice never adds a CA */
    {.name = "invalid-issuer-path-length",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF_UNDER_PATHLEN, C_BAD_BELOW_PATHLEN0, C_BAD_PATHLEN0},
     .trust = {S_ROOT},
     .want = {DIAG(
         "invalid-issuer", SEV_ERROR, C_BAD_PATHLEN0,
         "The CA certificate CN=Pathlen-0 CA" RDN " sent by the server allows at "
         "most 0 CA certificates below it (pathLenConstraint, RFC 5280, section "
         "4.2.1.9), and the chain has 1 between it and the server's certificate.",
         "Have the PKI reissue CN=Pathlen-0 CA" RDN " with a path length "
         "constraint that allows the CAs below it",
         .whole = true)},
     .absent = {"trust-store-mismatch", "chain-order"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* 5061, a leaf outside its CA's permitted names, refused with
     * certificate_unknown (what OpenSSL sends for it): invalid-issuer
     * names the leaf, its constraining CA and the reissue of the leaf */
    {.name = "invalid-issuer-name-constraints",
     .port = 5061,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 46}},
     .server = {C_LEAF_UNDER_CONSTRAINTS, C_BAD_CONSTRAINED},
     .trust = {S_ROOT},
     .want = {DIAG(
                  "alert-certificate-unknown", SEV_ERROR, C_LEAF_UNDER_CONSTRAINTS,
                  "The client sent a fatal certificate_unknown alert: the client refused "
                  "the server's certificate. The likely reason is invalid-issuer (see "
                  "that diagnosis), not the client's trust store.",
                  "Do what the invalid-issuer diagnosis advises: that, not a CA missing "
                  "from the client's trust store, is the likely reason for the alert.",
                  .joins = "invalid-issuer", .whole = true),
              DIAG("expiring-soon", SEV_WARNING, C_LEAF_UNDER_CONSTRAINTS),
              DIAG("invalid-issuer", SEV_ERROR, C_LEAF_UNDER_CONSTRAINTS,
                   "The certificate CN=d.example.com" RDN " sent by the server holds a "
                   "name outside the name constraints of CN=Corp-only CA" RDN
                   " (permitted subtree violation; RFC 5280, section 4.2.1.10).",
                   "Reissue CN=d.example.com" RDN " with names inside what CN=Corp-only "
                   "CA" RDN " permits and install it on the server (" SERVER_ADDR
                   ":5061), or have the PKI reissue CN=Corp-only CA" RDN,
                   .whole = true)},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* 7001, an issuing CA whose extended key usage is clientAuth only
     * issued the server's certificate; the client refuses with
     * unsupported_certificate: the CA lacks the purpose (the leaf has it) */
    {.name = "invalid-issuer-purpose",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 43}},
     .server = {C_LEAF_UNDER_CLIENT_PURPOSE, C_BAD_CLIENT_PURPOSE},
     .trust = {S_ROOT},
     .want = {DIAG("alert-unsupported-certificate", SEV_ERROR,
                   C_LEAF_UNDER_CLIENT_PURPOSE, "The likely reason is invalid-issuer",
                   .joins = "invalid-issuer"),
              DIAG("invalid-issuer", SEV_ERROR, C_BAD_CLIENT_PURPOSE,
                   "The CA certificate CN=Client-only CA" RDN
                   " sent by the server has an "
                   "extended key usage without serverAuth, so it may not issue the "
                   "server's TLS certificate",
                   "Have the PKI reissue CN=Client-only CA" RDN " with serverAuth in its "
                   "extended key usage")},
     .absent = {"trust-store-mismatch", "eku-missing-server-auth"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},

    /* a CA without keyCertSign whose root the store does not hold: both
     * invalid-issuer and issuer-not-found; unknown_ca joins what the chain
     * shows, invalid-issuer */
    {.name = "invalid-issuer-before-issuer-not-found",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF_UNDER_NO_CERTSIGN, C_BAD_NO_CERTSIGN},
     .trust = {S_OTHER},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF_UNDER_NO_CERTSIGN,
                   "The likely reason is invalid-issuer", .joins = "invalid-issuer"),
              DIAG("invalid-issuer", SEV_ERROR, C_BAD_NO_CERTSIGN),
              DIAG("issuer-not-found", SEV_ERROR, C_BAD_NO_CERTSIGN)},
     .store = {[SIDE_SERVER] = "other-root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* a leaf without serverAuth judged against a store: its purpose is
     * eku-missing-server-auth's, no CA's */
    {.name = "leaf-purpose-is-no-invalid-issuer",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_CLIENT_ONLY, C_INTER},
     .trust = {S_ROOT},
     .want = {DIAG("eku-missing-server-auth", SEV_ERROR, C_CLIENT_ONLY)},
     .absent = {"invalid-issuer"},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* after the refusing unknown_ca, a warning bad_certificate and a fatal
     * internal_error: neither joins the missing issuer's finding */
    {.name = "later-alerts-that-are-no-refusal",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}, {SIDE_CLIENT, 1, 42}, {SIDE_CLIENT, 2, 80}},
     .server = {C_LEAF},
     .trust = {S_ROOT},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF, .joins = "issuer-not-found"),
              DIAG("alert-bad-certificate", SEV_WARNING, C_LEAF,
                   .joins = "alert-bad-certificate"),
              DIAG("alert-internal-error", SEV_ERROR, C_NONE,
                   .joins = "alert-internal-error"),
              DIAG("issuer-not-found", SEV_ERROR, C_LEAF)},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},

    /* ---- client certificates ---- */

    /* 7001, the server asks for a certificate, the client sends an empty
     * Certificate, the server answers fatal handshake_failure:
     * no-client-certificate (warning) with the client's address, and the
     * alert, which names no certificate. */
    {.name = "no-client-certificate",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 40}},
     .server = {C_LEAF, C_INTER},
     .client_empty = true,
     .requested = true,
     .want = {DIAG("no-client-certificate", SEV_WARNING, C_NONE,
                   "The server asked for a client certificate and the client sent none.",
                   "install a certificate with clientAuth on the client (" CLIENT_ADDR
                   ")"),
              DIAG("alert-handshake-failure", SEV_ERROR, C_NONE, NULL,
                   "Do what the no-client-certificate diagnosis advises: it is the "
                   "likely reason for the alert.")}},
    /* 8443, a Java client withholds its certificate: the server's
     * CertificateRequest lists only Test Root CA, and the client has none
     * from it.  no-client-certificate names the list and advises a
     * certificate from it, not "install a certificate" */
    {.name = "no-client-certificate-none-listed",
     .port = 8443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 40}},
     .server = {C_LEAF, C_INTER},
     .client_empty = true,
     .requested = true,
     .ca_names = {C_ROOT},
     .want = {DIAG("no-client-certificate", SEV_WARNING, C_NONE,
                   "The server asked for a client certificate and the client sent none. "
                   "Its CertificateRequest lists the CAs CN=Test Root CA" RDN
                   ": a client with no certificate from one of them sends none (Java "
                   "does), even when it has one from another CA.",
                   "Install on the client (" CLIENT_ADDR
                   ") a certificate with clientAuth "
                   "issued by one of CN=Test Root CA" RDN
                   ", or add the CA of the client's "
                   "certificate to the server's trust store",
                   .whole = true),
              DIAG("alert-handshake-failure", SEV_ERROR, C_NONE, NULL,
                   "Do what the no-client-certificate diagnosis advises",
                   .joins = "no-client-certificate")},
     .absent = {"client-ca-not-accepted"}},
    /* the client's answering flight is its ChangeCipherSpec, no
     * Certificate: no-client-certificate */
    {.name = "no-client-certificate-ccs",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .requested = true,
     .client_ccs = true,
     .want = {DIAG("no-client-certificate", SEV_WARNING, C_NONE)}},
    /* the last message seen is the client's, after the ServerHello: it
     * answered, with no Certificate */
    {.name = "no-client-certificate-last-message",
     .port = 443,
     .outcome = OUTCOME_INCOMPLETE,
     .server = {C_LEAF, C_INTER},
     .requested = true,
     .last = BY_CLIENT,
     .want = {DIAG("no-client-certificate", SEV_WARNING, C_NONE)}},
    /* the capture ends with the server's flight: the client's answer was
     * never seen, nothing said of it */
    {.name = "client-flight-not-seen",
     .port = 7001,
     .outcome = OUTCOME_INCOMPLETE,
     .server = {C_LEAF, C_INTER},
     .requested = true,
     .last = BY_SERVER,
     .absent = {"no-client-certificate"}},

    /* 5061, the server accepts client certificates from the test root only,
     * the phone's LSC is from another root, the server refuses with
     * unknown_ca: client-ca-not-accepted, an error, names the client's
     * leaf and lists the CA. */
    {.name = "client-ca-not-accepted",
     .port = 5061,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 48}},
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT_OTHER},
     .requested = true,
     .ca_names = {C_ROOT},
     .want = {DIAG("client-ca-not-accepted", SEV_ERROR, C_CLIENT_OTHER,
                   "The server accepts client certificates from CN=Test Root CA" RDN
                   " only",
                   "Install on the client (" CLIENT_ADDR
                   ") a certificate issued by a CA"),
              DIAG("alert-unknown-ca", SEV_ERROR, C_CLIENT_OTHER,
                   "The server sent a fatal unknown_ca alert: the server could not tie "
                   "the client's certificate chain to a CA in its own trust store.",
                   .whole = true, .joins = "client-ca-not-accepted",
                   .refused = REFUSED_BY_SERVER)},
     .ca_text = "CN=Test Root CA" RDN},
    /* the same, but the server went on and completed: a warning */
    {.name = "client-ca-not-accepted-completed",
     .port = 5061,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT_OTHER},
     .requested = true,
     .ca_names = {C_ROOT, C_INTER},
     .want = {DIAG("client-ca-not-accepted", SEV_WARNING, C_CLIENT_OTHER,
                   "CN=Test Root CA" RDN "; CN=Test Issuing CA" RDN)},
     .ca_text = "CN=Test Root CA" RDN},
    /* the list names the issuing CA, which issued the client's leaf */
    {.name = "client-ca-accepted-issuer",
     .port = 5061,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT, C_INTER},
     .requested = true,
     .ca_names = {C_INTER},
     .absent = {"client-ca-not-accepted"},
     .ca_text = "CN=Test Issuing CA" RDN},
    /* the list names the root, which issued the client's issuing CA */
    {.name = "client-ca-accepted-above",
     .port = 5061,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT, C_INTER},
     .requested = true,
     .ca_names = {C_ROOT},
     .absent = {"client-ca-not-accepted"},
     .ca_text = "CN=Test Root CA" RDN},

    /* ---- findings: the cause a refusal joins, by its alert or in order ---- */

    /* 443, an expired leaf sent with an unrelated certificate not yet
     * valid, refused with certificate_expired: the alert joins expired */
    {.name = "certificate-expired-joins-expired",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 45}},
     .server = {C_LEAF_EXPIRED, C_LEAF_NOTYET},
     .want = {DIAG("alert-certificate-expired", SEV_ERROR, C_LEAF_EXPIRED,
                   "The likely reason is expired (see that diagnosis)",
                   .joins = "expired", .refused = REFUSED_BY_CLIENT),
              DIAG("expired", SEV_ERROR, C_LEAF_EXPIRED, .joins = "expired",
                   .refused = REFUSED_BY_CLIENT),
              DIAG("not-yet-valid", SEV_ERROR, C_LEAF_NOTYET, .joins = "not-yet-valid",
                   .refused = REFUSED_BY_CLIENT),
              DIAG("chain-order", SEV_WARNING, C_LEAF_NOTYET)}},
    /* two expired certificates, refused with certificate_expired: the
     * alert joins the first one's expired */
    {.name = "certificate-expired-joins-the-first-expired",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 45}},
     .server = {C_LEAF_EXPIRED, C_OLD_ROOT},
     .want = {DIAG("alert-certificate-expired", SEV_ERROR, C_LEAF_EXPIRED,
                   .joins = "expired", .joins_cert = C_LEAF_EXPIRED),
              DIAG("expired", SEV_ERROR, C_LEAF_EXPIRED),
              DIAG("expired", SEV_ERROR, C_OLD_ROOT, .joins = "expired",
                   .joins_cert = C_OLD_ROOT),
              DIAG("chain-order", SEV_WARNING, C_OLD_ROOT)}},
    /* the chain the other way round: the expired certificate, sent second,
     * still explains certificate_expired */
    {.name = "certificate-expired-explained-by-the-second",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 45}},
     .server = {C_LEAF_NOTYET, C_LEAF_EXPIRED},
     .want = {DIAG("alert-certificate-expired", SEV_ERROR, C_LEAF_NOTYET,
                   "The likely reason is expired (see that diagnosis)",
                   .joins = "expired"),
              DIAG("expired", SEV_ERROR, C_LEAF_EXPIRED),
              DIAG("not-yet-valid", SEV_ERROR, C_LEAF_NOTYET),
              DIAG("chain-order", SEV_WARNING, C_LEAF_EXPIRED)}},
    /* 8443 mutual TLS, the server's own leaf misses the SNI, the server
     * refuses the client's chain its store accepts with certificate_unknown:
     * a name-mismatch of the other chain explains nothing of this one */
    {.name = "trust-store-mismatch-despite-other-side-name",
     .port = 8443,
     .sni = "cucm.example.com",
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 46}},
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT, C_INTER},
     .requested = true,
     .trust = {S_TOMCAT},
     .want = {DIAG("alert-certificate-unknown", SEV_ERROR, C_CLIENT),
              DIAG("trust-store-mismatch", SEV_ERROR, C_CLIENT),
              DIAG("name-mismatch", SEV_ERROR, C_LEAF, .refused = REFUSED_NONE)},
     .store = {[SIDE_CLIENT] = "tomcat-trust.pem"},
     .verified = {[SIDE_CLIENT] = VERIFIED}},
    /* the same chain closed silently after it: the close joins expired,
     * the first of the catalogue's order */
    {.name = "silent-close-joins-expired-before-not-yet-valid",
     .port = 443,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF_EXPIRED, C_LEAF_NOTYET},
     .flight = BY_SERVER,
     .closer = BY_CLIENT,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_LEAF_EXPIRED,
                   .joins = "expired", .refused = REFUSED_BY_CLIENT),
              DIAG("expired", SEV_ERROR, C_LEAF_EXPIRED),
              DIAG("not-yet-valid", SEV_ERROR, C_LEAF_NOTYET),
              DIAG("chain-order", SEV_WARNING, C_LEAF_NOTYET)}},
    /* a leaf not yet valid whose names miss the SNI, closed silently:
     * not-yet-valid comes before name-mismatch */
    {.name = "silent-close-joins-not-yet-valid-before-name",
     .port = 443,
     .sni = "cucm.example.com",
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF_NOTYET, C_INTER},
     .flight = BY_SERVER,
     .closer = BY_CLIENT,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_LEAF_NOTYET,
                   .joins = "not-yet-valid"),
              DIAG("not-yet-valid", SEV_ERROR, C_LEAF_NOTYET),
              DIAG("name-mismatch", SEV_ERROR, C_LEAF_NOTYET, .joins = "name-mismatch")}},
    /* a client-only certificate on a server, its names missing the SNI:
     * name-mismatch comes before eku-missing-server-auth */
    {.name = "silent-close-joins-name-before-eku",
     .port = 443,
     .sni = "cucm.example.com",
     .outcome = OUTCOME_ABORTED,
     .server = {C_CLIENT_ONLY, C_INTER},
     .flight = BY_SERVER,
     .closer = BY_CLIENT,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_CLIENT_ONLY,
                   .joins = "name-mismatch"),
              DIAG("name-mismatch", SEV_ERROR, C_CLIENT_ONLY),
              DIAG("eku-missing-server-auth", SEV_ERROR, C_CLIENT_ONLY)}},
    /* 7001, a leaf of neither TLS purpose: eku-missing-server-auth comes
     * before eku-missing-client-auth, for unsupported_certificate ... */
    {.name = "unsupported-certificate-joins-server-auth-first",
     .port = 7001,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 43}},
     .server = {C_LEAF_EMAIL, C_INTER},
     .want = {DIAG("alert-unsupported-certificate", SEV_ERROR, C_LEAF_EMAIL,
                   .joins = "eku-missing-server-auth"),
              DIAG("eku-missing-server-auth", SEV_ERROR, C_LEAF_EMAIL),
              DIAG("eku-missing-client-auth", SEV_ERROR, C_LEAF_EMAIL,
                   .joins = "eku-missing-client-auth")}},
    /* ... and for a silent close */
    {.name = "silent-close-joins-server-auth-before-client-auth",
     .port = 7001,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF_EMAIL, C_INTER},
     .flight = BY_SERVER,
     .closer = BY_CLIENT,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_LEAF_EMAIL,
                   .joins = "eku-missing-server-auth"),
              DIAG("eku-missing-server-auth", SEV_ERROR, C_LEAF_EMAIL),
              DIAG("eku-missing-client-auth", SEV_ERROR, C_LEAF_EMAIL)}},
    /* 7001, a web-server leaf sent alone, closed silently: what the chain
     * shows (eku-missing-client-auth) before what the store says */
    {.name = "silent-close-joins-eku-before-issuer",
     .port = 7001,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF_WEB},
     .trust = {S_ROOT},
     .flight = BY_SERVER,
     .closer = BY_CLIENT,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_LEAF_WEB,
                   .joins = "eku-missing-client-auth"),
              DIAG("eku-missing-client-auth", SEV_ERROR, C_LEAF_WEB),
              DIAG("issuer-not-found", SEV_ERROR, C_LEAF_WEB,
                   .joins = "issuer-not-found")},
     .store = {[SIDE_SERVER] = "root.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* unknown_ca of a SHA-1 leaf the client's store holds the root of: at
     * OpenSSL's default security level the chain does not verify, so no
     * trust-store-mismatch; the alert joins weak-signature, which says
     * which level refused it, and advises no CA */
    {.name = "unknown-ca-joins-mismatch-before-weak-signature",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF_SHA1, C_INTER},
     .trust = {S_EXPC},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF_SHA1,
                   "The likely reason is weak-signature (see that diagnosis), not the "
                   "client's trust store.",
                   "Do what the weak-signature diagnosis advises: that, not a CA missing "
                   "from the client's trust store, is the likely reason for the alert.",
                   .joins = "weak-signature"),
              DIAG(
                  "weak-signature", SEV_WARNING, C_LEAF_SHA1,
                  "The certificate CN=sha1.example.com" RDN " is signed with "
                  "ecdsa-with-SHA1, which current peers refuse. A peer on OpenSSL at its "
                  "default security level (1) refuses it (CA signature digest algorithm "
                  "too weak).",
                  .joins = "weak-signature", .whole = true)},
     .absent = {"trust-store-mismatch"},
     .store = {[SIDE_SERVER] = "expc-trust.pem"},
     .verified = {[SIDE_SERVER] = REJECTED}},
    /* a SHA-1 leaf sent with an unrelated RSA 1024 certificate, closed
     * silently: weak-signature before weak-key */
    {.name = "silent-close-joins-weak-signature-before-weak-key",
     .port = 443,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF_SHA1, C_LEAF_RSA1024},
     .flight = BY_SERVER,
     .closer = BY_CLIENT,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_LEAF_SHA1,
                   .joins = "weak-signature"),
              DIAG("weak-signature", SEV_WARNING, C_LEAF_SHA1),
              DIAG("weak-key", SEV_WARNING, C_LEAF_RSA1024),
              DIAG("chain-order", SEV_WARNING, C_LEAF_RSA1024)}},
    /* ... and for bad_certificate */
    {.name = "bad-certificate-joins-weak-signature-before-weak-key",
     .port = 443,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 42}},
     .server = {C_LEAF_SHA1, C_LEAF_RSA1024},
     .want = {DIAG("alert-bad-certificate", SEV_ERROR, C_LEAF_SHA1,
                   .joins = "weak-signature"),
              DIAG("weak-signature", SEV_WARNING, C_LEAF_SHA1),
              DIAG("weak-key", SEV_WARNING, C_LEAF_RSA1024),
              DIAG("chain-order", SEV_WARNING, C_LEAF_RSA1024)}},
    /* bad_certificate with the SNI missed too: name-mismatch first */
    {.name = "bad-certificate-joins-name-before-weak-signature",
     .port = 443,
     .sni = "cucm.example.com",
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_CLIENT, 2, 42}},
     .server = {C_LEAF_SHA1, C_LEAF_RSA1024},
     .want = {DIAG("alert-bad-certificate", SEV_ERROR, C_LEAF_SHA1,
                   .joins = "name-mismatch"),
              DIAG("name-mismatch", SEV_ERROR, C_LEAF_SHA1),
              DIAG("weak-signature", SEV_WARNING, C_LEAF_SHA1),
              DIAG("weak-key", SEV_WARNING, C_LEAF_RSA1024),
              DIAG("chain-order", SEV_WARNING, C_LEAF_RSA1024)}},
    /* an RSA 1024 leaf sent with an unrelated RSA 8192 certificate, closed
     * silently: weak-key before key-too-large */
    {.name = "silent-close-joins-weak-key-before-too-large",
     .port = 443,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF_RSA1024, C_LEAF_RSA8192},
     .flight = BY_SERVER,
     .closer = BY_CLIENT,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_LEAF_RSA1024,
                   .joins = "weak-key"),
              DIAG("weak-key", SEV_WARNING, C_LEAF_RSA1024),
              DIAG("key-too-large", SEV_WARNING, C_LEAF_RSA8192),
              DIAG("chain-order", SEV_WARNING, C_LEAF_RSA8192)}},
    /* 5061, the phone sends its LSC with the other root, the server lists
     * the test root and refuses with unknown_ca: client-ca-not-accepted and
     * the alert join untrusted-root */
    {.name = "client-ca-not-accepted-joins-untrusted-root",
     .port = 5061,
     .outcome = OUTCOME_ALERT,
     .alerts = {{SIDE_SERVER, 2, 48}},
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT_OTHER, C_OTHER_ROOT},
     .requested = true,
     .ca_names = {C_ROOT},
     .trust = {S_ROOT},
     .want = {DIAG("alert-unknown-ca", SEV_ERROR, C_CLIENT_OTHER,
                   .joins = "untrusted-root", .refused = REFUSED_BY_SERVER),
              DIAG("untrusted-root", SEV_ERROR, C_OTHER_ROOT, .joins = "untrusted-root"),
              DIAG("client-ca-not-accepted", SEV_ERROR, C_CLIENT_OTHER,
                   .joins = "untrusted-root", .refused = REFUSED_BY_SERVER)},
     .store = {"root.pem", "root.pem"},
     .verified = {REJECTED, VERIFIED}},

    /* ---- silent ends ---- */

    /* 5061, the server's Certificate is the last word, the client resets
     * the connection without an alert: aborted-after-certificate (error)
     * names the server's leaf and the client to look at */
    {.name = "aborted-after-certificate",
     .port = 5061,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF, C_INTER},
     .flight = BY_SERVER,
     .closer = BY_CLIENT,
     .reset = true,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_LEAF,
                   "The client closed the connection (TCP reset) without an alert right "
                   "after the server sent its certificate CN=vcse.example.com" RDN,
                   "Check that the trust store of the client (" CLIENT_ADDR ")")}},
    /* the client's Certificate is the last word, the server closes (FIN):
     * the client's leaf, the server to look at */
    {.name = "aborted-after-client-certificate",
     .port = 5061,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF, C_INTER},
     .client = {C_CLIENT, C_INTER},
     .requested = true,
     .flight = BY_CLIENT,
     .closer = BY_SERVER,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_CLIENT,
                   "The server closed the connection (TCP FIN)",
                   "the server (" SERVER_ADDR ":5061)")}},
    /* completed, then closed by the client: nothing refused */
    {.name = "completed-then-closed",
     .port = 5061,
     .outcome = OUTCOME_COMPLETED,
     .server = {C_LEAF, C_INTER},
     .flight = BY_SERVER,
     .closer = BY_CLIENT,
     .absent = {"aborted-after-certificate"}},
    /* aborted, nobody seen closing: nothing said of a close */
    {.name = "aborted-closer-unseen",
     .port = 5061,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF, C_INTER},
     .flight = BY_SERVER,
     .absent = {"aborted-after-certificate"}},
    /* the client sends a self-signed certificate from no listed CA and the
     * server closes: self-signed-leaf comes before client-ca-not-accepted */
    {.name = "silent-close-joins-self-signed-before-client-ca",
     .port = 5061,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF, C_INTER},
     .client = {C_SELF_LEAF},
     .requested = true,
     .ca_names = {C_ROOT},
     .trust = {S_ROOT},
     .flight = BY_CLIENT,
     .closer = BY_SERVER,
     .want = {DIAG("aborted-after-certificate", SEV_ERROR, C_SELF_LEAF,
                   .joins = "self-signed-leaf", .refused = REFUSED_BY_SERVER),
              DIAG("self-signed-leaf", SEV_ERROR, C_SELF_LEAF),
              DIAG("client-ca-not-accepted", SEV_ERROR, C_SELF_LEAF,
                   .joins = "client-ca-not-accepted")},
     .store = {"root.pem", "root.pem"},
     .verified = {REJECTED, VERIFIED}},
    /* the server closes after its own Certificate: nothing refused */
    {.name = "closed-by-the-sender",
     .port = 5061,
     .outcome = OUTCOME_ABORTED,
     .server = {C_LEAF, C_INTER},
     .flight = BY_SERVER,
     .closer = BY_SERVER,
     .absent = {"aborted-after-certificate"}},

    /* ---- TLS 1.3 ---- */

    /* 5061 TLS 1.3 without a key log: after the server's four encrypted
     * records the client sends one of 19 bytes 5 ms later and closes:
     * tls13-encrypted-certificate (info) infers a refusal */
    {.name = "tls13-inferred-alert",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 19, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG(
         "tls13-encrypted-certificate", SEV_INFO, C_NONE,
         "TLS 1.3 was negotiated and no key log was given, so the "
         "certificates and any later alerts are encrypted and were not checked. "
         "Inferred from the encrypted records: the client sent a 19-byte "
         "record, the size of an encrypted alert, 5 ms after the server's last "
         "record, then closed the connection (TCP FIN); the client most likely "
         "refused the server's certificate.",
         "--keylog")}},
    /* the suite unknown, a last record of 11 bytes: an alert under the smallest tag
       (CCM_8's) */
    {.name = "tls13-last-record-11-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 11, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "the client sent a 11-byte record, the size of an encrypted alert")}},
    /* the suite unknown, 10 bytes: smaller than any alert */
    {.name = "tls13-last-record-10-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 10, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG(
         "tls13-encrypted-certificate", SEV_INFO, C_NONE,
         "the client closed the connection first (TCP FIN), after 1 encrypted records "
         "from the client and 4 from the server")}},
    /* the suite unknown, 44 bytes: below the smallest Finished (45 bytes with CCM_8) */
    {.name = "tls13-last-record-44-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 44, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "the client sent a 44-byte record, the size of an encrypted alert")}},
    /* the suite unknown, 45 bytes: a Finished's size, no alert */
    {.name = "tls13-last-record-45-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 45, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG(
         "tls13-encrypted-certificate", SEV_INFO, C_NONE,
         "the client closed the connection first (TCP FIN), after 1 encrypted records "
         "from the client and 4 from the server")}},
    /* TLS_AES_128_GCM_SHA256, 18 bytes: shorter than an alert with a 16-byte tag */
    {.name = "tls13-gcm-18-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .cipher = 0x1301,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 18, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG(
         "tls13-encrypted-certificate", SEV_INFO, C_NONE,
         "the client closed the connection first (TCP FIN), after 1 encrypted records "
         "from the client and 4 from the server")}},
    /* TLS_AES_128_GCM_SHA256, 19 bytes: an unpadded alert (OpenSSL's) */
    {.name = "tls13-gcm-19-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .cipher = 0x1301,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 19, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "the client sent a 19-byte record, the size of an encrypted alert")}},
    /* TLS_AES_128_GCM_SHA256, 35 bytes: an alert JSSE padded */
    {.name = "tls13-jsse-35-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .cipher = 0x1301,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 35, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "the client sent a 35-byte record, the size of an encrypted alert")}},
    /* TLS_AES_128_GCM_SHA256, 52 bytes: still below its Finished */
    {.name = "tls13-gcm-52-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .cipher = 0x1301,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 52, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "the client sent a 52-byte record, the size of an encrypted alert")}},
    /* TLS_AES_128_GCM_SHA256, 53 bytes: its Finished's size, no alert */
    {.name = "tls13-gcm-53-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .cipher = 0x1301,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 53, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG(
         "tls13-encrypted-certificate", SEV_INFO, C_NONE,
         "the client closed the connection first (TCP FIN), after 1 encrypted records "
         "from the client and 4 from the server")}},
    /* TLS_AES_256_GCM_SHA384, 68 bytes: below its 69-byte Finished */
    {.name = "tls13-sha384-68-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .cipher = 0x1302,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 68, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "the client sent a 68-byte record, the size of an encrypted alert")}},
    /* TLS_AES_256_GCM_SHA384, 69 bytes: its Finished's size */
    {.name = "tls13-sha384-69-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .cipher = 0x1302,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 69, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG(
         "tls13-encrypted-certificate", SEV_INFO, C_NONE,
         "the client closed the connection first (TCP FIN), after 1 encrypted records "
         "from the client and 4 from the server")}},
    /* TLS_AES_128_CCM_8_SHA256, 11 bytes: an alert with an 8-byte tag */
    {.name = "tls13-ccm8-11-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .cipher = 0x1305,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 11, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "the client sent a 11-byte record, the size of an encrypted alert")}},
    /* TLS_AES_128_CCM_8_SHA256, 45 bytes: its Finished's size */
    {.name = "tls13-ccm8-45-bytes",
     .port = 5061,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .cipher = 0x1305,
     .decryption = DECRYPT_NO_KEYLOG,
     .closer = BY_CLIENT,
     .enc = {{1, 1, 45, {T0, 12000}}, {4, 4, 80, {T0, 7000}}},
     .want = {DIAG(
         "tls13-encrypted-certificate", SEV_INFO, C_NONE,
         "the client closed the connection first (TCP FIN), after 1 encrypted records "
         "from the client and 4 from the server")}},
    /* both sides went on, nobody closed: it most likely completed */
    {.name = "tls13-went-on",
     .port = 443,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .done = true,
     .decryption = DECRYPT_NO_KEYLOG,
     .enc = {{3, 1, 400, {T0, 20000}}, {6, 2, 900, {T0, 18000}}},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "both sides went on to exchange encrypted records, so the handshake "
                   "most likely completed")}},
    /* the server resets after records that look like no alert: counted */
    {.name = "tls13-closed",
     .port = 443,
     .outcome = OUTCOME_ENCRYPTED,
     .tls13 = true,
     .decryption = DECRYPT_NO_SECRETS,
     .closer = BY_SERVER,
     .reset = true,
     .enc = {{2, 2, 300, {T0, 9000}}, {5, 3, 600, {T0, 10000}}},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "the key log holds no secrets for this connection's ClientHello",
                   NULL)}},
    /* the key log holds the server's handshake secret only: the server's
     * chain was read, the client's records were not */
    {.name = "tls13-no-client-secret",
     .port = 5061,
     .outcome = OUTCOME_ALERT,
     .tls13 = true,
     .decryption = DECRYPT_NO_CLIENT_SECRET,
     .alerts = {{SIDE_CLIENT, 2, 48}},
     .server = {C_LEAF, C_INTER},
     .want = {DIAG("tls13-encrypted-certificate", SEV_INFO, C_NONE,
                   "holds SERVER_HANDSHAKE_TRAFFIC_SECRET but not "
                   "CLIENT_HANDSHAKE_TRAFFIC_SECRET"),
              DIAG("alert-unknown-ca", SEV_ERROR, C_LEAF)}},
    /* decrypted with the key log: nothing hidden */
    {.name = "tls13-decrypted",
     .port = 443,
     .outcome = OUTCOME_COMPLETED,
     .tls13 = true,
     .done = true,
     .decryption = DECRYPT_OK,
     .server = {C_LEAF, C_INTER},
     .absent = {"tls13-encrypted-certificate"}},

    /* ---- the capture ---- */

    /* only the server's direction was captured: capture-one-sided (info) */
    {.name = "capture-one-sided",
     .port = 7001,
     .outcome = OUTCOME_INCOMPLETE,
     .server = {C_LEAF, C_INTER},
     .one_sided = true,
     .seen_side = SIDE_SERVER,
     .want = {DIAG(
         "capture-one-sided", SEV_INFO, C_NONE,
         "Only the server's packets are in the capture; what the client sent")}},
    /* bytes the server sent were never captured: capture-gap (warning) */
    {.name = "capture-gap",
     .port = 7001,
     .outcome = OUTCOME_INCOMPLETE,
     .gap = true,
     .gap_side = SIDE_SERVER,
     .want = {DIAG("capture-gap", SEV_WARNING, C_NONE,
                   "Bytes the server sent during the handshake are missing",
                   "Capture with -s 0")}},

    /* ---- malformed-handshake (warning), one row a kind of anomaly ---- */

    /* a length field of the client's ClientHello runs past its end */
    {.name = "malformed-short",
     .port = 443,
     .anomalies = {{ANOMALY_SHORT, 1, true, SIDE_CLIENT}},
     .want = {DIAG("malformed-handshake", SEV_WARNING, C_NONE,
                   "The client's ClientHello message could not be parsed: a length field "
                   "runs past the end of the message",
                   "report the client (" CLIENT_ADDR ") to its vendor")}},
    /* bytes after the last field of the server's ServerHello */
    {.name = "malformed-trailing",
     .port = 443,
     .anomalies = {{ANOMALY_TRAILING, 2, true, SIDE_SERVER}},
     .want = {DIAG("malformed-handshake", SEV_WARNING, C_NONE,
                   "The server's ServerHello message could not be parsed: bytes are left "
                   "over after its last field",
                   "report the server (" SERVER_ADDR ":443) to its vendor")}},
    /* a value the specification does not allow, in the server's Certificate */
    {.name = "malformed-invalid",
     .port = 443,
     .anomalies = {{ANOMALY_INVALID, 11, true, SIDE_SERVER}},
     .want = {DIAG("malformed-handshake", SEV_WARNING, C_NONE,
                   "The server's Certificate message could not be parsed: it holds a "
                   "value the TLS specification does not allow")}},
    /* a handshake message of type 99, which TLS does not define */
    {.name = "malformed-unknown-type",
     .port = 443,
     .anomalies = {{ANOMALY_UNKNOWN, 99, true, SIDE_CLIENT}},
     .want = {DIAG("malformed-handshake", SEV_WARNING, C_NONE,
                   "The client's handshake message of type 99 could not be parsed: its "
                   "message type is not one TLS defines")}},
    /* the server's Certificate over the message cap */
    {.name = "malformed-oversized",
     .port = 443,
     .anomalies = {{ANOMALY_OVERSIZED, 11, true, SIDE_SERVER}},
     .want = {DIAG("malformed-handshake", SEV_WARNING, C_NONE,
                   "The server's Certificate message could not be parsed: it is larger "
                   "than the cap on one handshake message")}},
    /* more alerts than are kept, from the client: an alert record */
    {.name = "malformed-alerts-cap",
     .port = 443,
     .anomalies = {{ANOMALY_ALERTS_CAP, 0, false, SIDE_CLIENT}},
     .want = {DIAG("malformed-handshake", SEV_WARNING, C_NONE,
                   "The client's alert record could not be parsed: it sent more alerts "
                   "than certscope keeps (64)")}},
    /* the server's record stream lost its place, twice: one each */
    {.name = "malformed-resync",
     .port = 443,
     .anomalies = {{ANOMALY_RESYNC, 0, false, SIDE_SERVER},
                   {ANOMALY_RESYNC, 0, false, SIDE_SERVER}},
     .want = {DIAG("malformed-handshake", SEV_WARNING, C_NONE,
                   "The server's record stream could not be parsed: its bytes stopped "
                   "lining up with TLS records"),
              DIAG("malformed-handshake", SEV_WARNING, C_NONE, "record stream")}},
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

/* ---- running a row ---------------------------------------------------- */

static size_t count_certs(const enum cert_id *ids)
{
	size_t n = 0;
	while (n < 4 && ids[n])
		n++;
	return n;
}

static bool wire_chain_of(struct wire_chain *w, const enum cert_id *ids, bool empty)
{
	size_t n = count_certs(ids);
	w->seen = n > 0 || empty;
	if (!n)
		return true;
	w->certs = calloc(n, sizeof(*w->certs));
	if (!w->certs)
		return false;
	for (size_t i = 0; i < n; i++) {
		/* a blob of its own, as a new connection's certificate */
		struct der_blob *b = der_blob_new(certs[ids[i]].der, certs[ids[i]].len);
		if (!b)
			return false;
		w->certs[w->n++] = (struct wire_cert){b->der, b->len, b};
	}
	return true;
}

/* The handshake a row describes; its arrays borrow the built DER. */
static bool handshake_of(const struct row *r, struct handshake *hs,
                         struct alert_event *alerts)
{
	memset(hs, 0, sizeof(*hs));
	if (!endpoint_parse_addr(r->v6 ? CLIENT_ADDR6 : CLIENT_ADDR, &hs->client) ||
	    !endpoint_parse_addr(r->v6 ? SERVER_ADDR6 : SERVER_ADDR, &hs->server))
		return false;
	hs->client.port = 51000;
	hs->server.port = r->port;
	hs->ts.tv_sec = T0;
	hs->sni = (char *)r->sni;
	hs->client_hello_seen = hs->server_hello_seen = true;
	hs->version = r->tls13 ? 0x0304 : 0x0303;
	hs->outcome = r->outcome;
	for (size_t i = 0; i < 3 && r->alerts[i].level; i++) {
		alerts[i] = (struct alert_event){r->alerts[i].from,
		                                 (uint8_t)r->alerts[i].level,
		                                 (uint8_t)r->alerts[i].code,
		                                 {T0, 4000 + 1000 * (long)i}};
		hs->n_alerts++;
	}
	hs->alerts = hs->n_alerts ? alerts : NULL;
	hs->certificate_requested = r->requested;
	for (size_t i = 0; i < 3 && r->ca_names[i]; i++) {
		const struct built *b = &certs[r->ca_names[i]];
		if (blob_list_add(&hs->ca_names, b->name_der, b->name_len) < 0)
			return false;
	}
	hs->one_sided = r->one_sided;
	hs->seen_side = r->seen_side;
	hs->gap = r->gap;
	hs->gap_side = r->gap_side;
	hs->ccs[SIDE_CLIENT] = r->client_ccs;
	hs->tls13 = r->tls13;
	hs->cipher = r->cipher;
	hs->cipher_known = r->cipher != 0;
	hs->decryption = r->tls13 ? r->decryption : DECRYPT_NONE;
	hs->done = r->done;
	hs->closed = r->closer != NOBODY;
	hs->reset = r->reset;
	hs->closed_by = r->closer - 1;
	hs->cert_flight_side = r->flight - 1;
	hs->last_msg_side = r->last - 1;
	hs->enc[0] = r->enc[0];
	hs->enc[1] = r->enc[1];
	hs->had_records = hs->had_handshake = true;
	/* as given, not deduplicated as handshake_anomaly() would */
	if (r->anomalies[0].kind && !(hs->anomalies = calloc(2, sizeof(*hs->anomalies))))
		return false;
	for (size_t i = 0; i < 2 && r->anomalies[i].kind; i++)
		hs->anomalies[hs->n_anomalies++] = r->anomalies[i];
	return wire_chain_of(&hs->chains[SIDE_SERVER], r->server, false) &&
	       wire_chain_of(&hs->chains[SIDE_CLIENT], r->client, r->client_empty);
}

static void handshake_release(struct handshake *hs)
{
	wire_chain_fini(&hs->chains[SIDE_SERVER]);
	wire_chain_fini(&hs->chains[SIDE_CLIENT]);
	blob_list_fini(&hs->ca_names);
	free(hs->anomalies);
}

static void dump(const struct verdict *v)
{
	for (size_t i = 0; i < v->n_diags; i++) {
		const struct diagnosis *d = &v->diags[i];
		const char *who = "-";
		for (int c = 1; c < C_COUNT; c++)
			if (d->cert_sha256[0] &&
			    strcmp(d->cert_sha256, certs[c].sha256) == 0)
				who = cert_specs[c].cn;
		printf("  got %s %s [%s]\n    message: %s\n    advice: %s\n", d->name,
		       severity_name(d->severity), who, d->message, d->advice);
	}
}

static bool contains(const char *text, const char *words)
{
	return !words || (text && strstr(text, words));
}

static bool matches(const struct want *w, const struct diagnosis *d)
{
	const char *sha = w->cert ? certs[w->cert].sha256 : "";
	if (strcmp(d->name, w->code) != 0 || strcmp(d->cert_sha256, sha) != 0 ||
	    (w->severity != SEV_ANY && (int)d->severity != w->severity) ||
	    !contains(d->message, w->msg) || !contains(d->advice, w->advice) ||
	    (w->whole && (!d->message || strcmp(d->message, w->msg) != 0)))
		return false;
	for (int k = 0; k < 2; k++)
		if (w->msg_sha[k] && !contains(d->message, certs[w->msg_sha[k]].sha256))
			return false;
	return !w->advice_sha || contains(d->advice, certs[w->advice_sha].sha256);
}

/* The code a diagnosis name stands for; DIAG_COUNT for none. */
static int code_of(const char *name)
{
	if (strncmp(name, "alert-", 6) == 0)
		return DIAG_ALERT;
	for (int c = 0; c < DIAG_COUNT; c++)
		if (c != DIAG_ALERT && strcmp(diag_code_name(c), name) == 0)
			return c;
	return DIAG_COUNT;
}

/* Every certificate of a decoded chain is the one built, as its spec says. */
static bool chain_holds(const struct chain *ch, const enum cert_id *ids)
{
	CHECK_EQ(ch->n, count_certs(ids));
	for (size_t i = 0; i < ch->n; i++) {
		const struct cert *c = ch->certs[i];
		const struct built *b = &certs[ids[i]];
		const struct cert_spec *s = &cert_specs[ids[i]];
		const struct key_spec *k = &key_specs[s->key];
		CHECK_STR(c->sha256, b->sha256);
		if (s->broken) {
			/* kept with its fingerprint, nothing decoded */
			CHECK(!c->x509 && c->parse_error);
			CHECK_EQ(c->der_len, b->len);
			continue;
		}
		CHECK(c->x509 && !c->parse_error);
		CHECK_EQ(c->key_bits, k->bits);
		CHECK_STR(c->key_type, k->kind == KEY_EC ? "EC" : "RSA");
		/* OpenSSL's X509_check_ca() takes no CA without keyCertSign */
		CHECK_EQ(c->is_ca, s->ca && !s->ku);
		CHECK_EQ(c->self_signed, s->issuer == C_NONE);
		CHECK(c->have_validity);
		CHECK_EQ(c->not_before, b->nb);
		CHECK_EQ(c->not_after, b->na);
		CHECK(strncmp(c->subject, "CN=", 3) == 0 &&
		      strncmp(c->subject + 3, s->cn, strlen(s->cn)) == 0);
		CHECK_EQ(c->has_eku, s->ca ? s->ca_eku != NULL : !(s->eku && !s->eku[0]));
	}
	return true;
}

static bool verdict_holds(const struct row *r, const struct verdict *v,
                          const struct judge_stats *st)
{
	bool used[64] = {false};
	size_t n_want = 0;
	CHECK(v->n_diags < 64);
	for (size_t w = 0; w < 6 && r->want[w].code; w++, n_want++) {
		size_t i = 0;
		while (i < v->n_diags && (used[i] || !matches(&r->want[w], &v->diags[i])))
			i++;
		if (i == v->n_diags) {
			check_failf(__LINE__, "no %s (want %zu) as expected",
			            r->want[w].code, w);
			return false;
		}
		used[i] = true;
		CHECK_EQ(v->diags[i].code, code_of(r->want[w].code));
		const struct diagnosis *d = &v->diags[i], *cause = &v->diags[d->cause];
		CHECK(d->cause < v->n_diags);
		if (r->want[w].joins && strcmp(cause->name, r->want[w].joins) != 0) {
			check_failf(__LINE__, "%s joins %s, not %s", d->name, cause->name,
			            r->want[w].joins);
			return false;
		}
		CHECK_STR(d->finding, cause->finding);
		if (r->want[w].joins_cert)
			CHECK_STR(cause->cert_sha256,
			          certs[r->want[w].joins_cert].sha256);
		if (r->want[w].refused)
			CHECK_EQ(d->refused_by, r->want[w].refused - REFUSED_BY_CLIENT);
		if (r->want[w].fixer)
			CHECK_EQ(d->fixer, r->want[w].fixer - 1);
	}
	/* the alerts come first, and the worst severity is the worst of all */
	enum severity worst = SEV_INFO;
	for (size_t i = 0; i < v->n_diags; i++) {
		if (v->diags[i].code == DIAG_ALERT)
			CHECK(i == 0 || v->diags[i - 1].code == DIAG_ALERT);
		if (v->diags[i].severity > worst)
			worst = v->diags[i].severity;
	}
	CHECK_EQ(verdict_worst(v), worst);
	/* a missing issuer's key id is the 20 bytes of the AKI, no more */
	for (size_t i = 0; i < v->n_diags; i++) {
		const char *k = v->diags[i].code == DIAG_ISSUER_NOT_FOUND
		                    ? strstr(v->diags[i].message, ", key id ")
		                    : NULL;
		if (k)
			CHECK_EQ(strcspn(k + 9, ")"), 20 * 3 - 1);
	}
	/* nothing but what the row expects */
	CHECK_EQ(v->n_diags, n_want);
	for (size_t a = 0; a < 6 && r->absent[a]; a++)
		for (size_t i = 0; i < v->n_diags; i++)
			CHECK(strcmp(v->diags[i].name, r->absent[a]) != 0);
	uint64_t errors = 0, warnings = 0;
	for (size_t i = 0; i < v->n_diags; i++) {
		errors += v->diags[i].severity == SEV_ERROR;
		warnings += v->diags[i].severity == SEV_WARNING;
	}
	CHECK_EQ(st->errors, errors);
	CHECK_EQ(st->warnings, warnings);

	for (int side = 0; side < 2; side++) {
		CHECK_STR(v->chain_store[side], r->store[side]);
		if (r->verified[side] == UNJUDGED) {
			CHECK(v->check[side] == NULL);
		} else {
			CHECK(v->check[side] != NULL);
			CHECK_EQ(v->check[side]->verified, r->verified[side] == VERIFIED);
		}
	}
	if (!chain_holds(&v->chains[SIDE_SERVER], r->server) ||
	    !chain_holds(&v->chains[SIDE_CLIENT], r->client))
		return false;
	CHECK_EQ(v->chains[SIDE_CLIENT].seen, count_certs(r->client) || r->client_empty);
	if (r->service)
		CHECK_STR(v->service, r->service);
	CHECK_EQ(v->ca_names.n, count_certs(r->ca_names));
	if (r->ca_text)
		CHECK_STR(v->ca_names.v[0], r->ca_text);
	return true;
}

/* The diagnoses of one handshake that share a cause are one finding: the
 * same id on each, named by the cause, refused by the side that refused. */
static bool one_finding(const struct row *r, const struct verdict *v)
{
	if (!r->one_finding)
		return true;
	bool ok = v->n_diags > 0;
	for (size_t i = 0; i < v->n_diags && ok; i++) {
		const struct diagnosis *d = &v->diags[i];
		const struct diagnosis *c = &v->diags[d->cause];
		int want = !r->one_refused_by                         ? -1
		           : strcmp(r->one_refused_by, "client") == 0 ? SIDE_CLIENT
		                                                      : SIDE_SERVER;
		ok = strcmp(d->finding, v->diags[0].finding) == 0 &&
		     strlen(d->finding) == 16 && strcmp(c->name, r->one_finding) == 0 &&
		     d->refused_by == want;
	}
	if (!ok)
		check_failf(__LINE__, "%s: not one finding named %s", r->name,
		            r->one_finding);
	return ok;
}

static bool run_row(const struct row *r)
{
	struct handshake hs;
	struct alert_event alerts[3];
	struct config cfg;
	struct expect_name expect[2];
	struct trust_spec spec[3];
	struct trust_store *set[3];
	struct trust_set ts = {set, 0};
	struct verdict v;
	bool ok = false;

	memset(&hs, 0, sizeof(hs));
	memset(&v, 0, sizeof(v));
	config_defaults(&cfg);
	for (size_t i = 0; i < 2 && r->expect[i].name; i++)
		expect[cfg.n_expect++] =
		    (struct expect_name){(char *)r->expect[i].addr, r->expect[i].port,
		                         (char *)r->expect[i].name};
	cfg.expect = cfg.n_expect ? expect : NULL;
	cfg.have_at = r->have_at;
	cfg.at = T0 + r->at;
	for (size_t i = 0; i < 3 && r->trust[i]; i++) {
		const struct store_spec *s = &store_specs[r->trust[i]];
		set[ts.n++] = stores[r->trust[i]];
		spec[i] =
		    (struct trust_spec){(char *)s->device, (char *)s->label, false, 0};
	}
	cfg.trust = r->system || !ts.n ? NULL : spec;
	cfg.n_trust = r->system ? 0 : ts.n;

	struct judge *j = judge_new(&cfg, ts.n ? &ts : NULL, T0);
	if (!j || !handshake_of(r, &hs, alerts)) {
		check_failf(__LINE__, "could not build the case");
	} else if (judge_run(j, &hs, &v) < 0) {
		check_failf(__LINE__, "judge_run failed");
	} else {
		ok = verdict_holds(r, &v, judge_stats(j)) && one_finding(r, &v);
		if (!ok)
			dump(&v);
	}
	verdict_fini(&v);
	judge_free(j);
	handshake_release(&hs);
	return ok;
}

/* Every code of the catalogue is expected by some row, and every row
 * expects only codes the catalogue has. */
static bool every_code_covered(void)
{
	bool seen[DIAG_COUNT] = {false};
	for (size_t i = 0; i < N_ROWS; i++) {
		for (size_t w = 0; w < 6 && rows[i].want[w].code; w++) {
			int c = code_of(rows[i].want[w].code);
			if (c == DIAG_COUNT) {
				check_failf(__LINE__, "%s: no code %s", rows[i].name,
				            rows[i].want[w].code);
				return false;
			}
			seen[c] = true;
		}
		for (size_t a = 0; a < 6 && rows[i].absent[a]; a++)
			CHECK(code_of(rows[i].absent[a]) != DIAG_COUNT);
	}
	for (int c = 0; c < DIAG_COUNT; c++) {
		if (!seen[c]) {
			check_failf(__LINE__, "no row expects %s", diag_code_name(c));
			return false;
		}
	}
	return true;
}

/* trust_store_add_x509() keeps a certificate given twice once, as the file
 * loader does, and the scan finds the duplicate subject and the expired
 * anchor. */
static bool stores_as_loaded(void)
{
	CHECK_EQ(trust_store_count(stores[S_ROOT]), 1);
	CHECK_EQ(trust_store_count(stores[S_ROOT_INTER]), 2);
	CHECK_EQ(trust_store_count(stores[S_DUP]), 2);
	CHECK_EQ(stores[S_DUP]->n_findings, 1);
	CHECK_EQ(stores[S_DUP]->findings[0].kind, STORE_DUPLICATE_SUBJECT);
	CHECK_EQ(stores[S_OLD]->n_findings, 1);
	CHECK_EQ(stores[S_OLD]->findings[0].kind, STORE_EXPIRED_ANCHOR);
	CHECK_STR(stores[S_EXPC]->device, CLIENT_ADDR);
	CHECK(stores[S_ROOT]->times_known);
	return true;
}

int main(void)
{
	bool made = make_keys();
	for (int c = 1; made && c < C_COUNT; c++)
		made = make_cert(c);
	for (int s = 1; made && s < S_COUNT; s++)
		made = make_store(s);
	check_case("pki", made);
	if (made) {
		check_case("stores_as_loaded", stores_as_loaded());
		for (size_t i = 0; i < N_ROWS; i++)
			check_case(rows[i].name, run_row(&rows[i]));
		check_case("every_code_covered", every_code_covered());
	}
	for (int s = 1; s < S_COUNT; s++)
		trust_store_free(stores[s]);
	for (int c = 1; c < C_COUNT; c++) {
		X509_free(certs[c].x);
		OPENSSL_free(certs[c].der);
		OPENSSL_free(certs[c].name_der);
	}
	for (int k = 0; k < K_COUNT; k++)
		EVP_PKEY_free(keys[k]);
	return check_summary();
}
