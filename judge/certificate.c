/* certificate.c: X.509 certificates (RFC 5280) decoded with OpenSSL into the
 * fields of CONTRACT.md. */
#include "certificate.h"

#include "../common/alloc.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OpenSSL's RFC 2253 output (XN_FLAG_RFC2253 escapes control characters
 * and every byte over 0x7f as \XX) is printable ASCII already, its own
 * backslashes included: only a byte that is not is escaped here, as a
 * guard, so a name reads as OpenSSL writes it. */
static char *bio_string(BIO *b)
{
	char *data = NULL;
	long n = BIO_get_mem_data(b, &data);
	if (n < 0)
		return NULL;
	char *out = malloc((size_t)n * 4 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (long i = 0; i < n; i++) {
		uint8_t c = (uint8_t)data[i];
		if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
	}
	out[o] = '\0';
	return out;
}

char *name_string(const X509_NAME *name)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = NULL;
	if (!b)
		return NULL;
	/* RFC 2253 with every byte outside ASCII escaped by OpenSSL itself */
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0)
		s = bio_string(b);
	BIO_free(b);
	return s;
}

bool asn1_time(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return false;
	*out = timegm(&tm);
	return true;
}

static void add_general_name(struct cert *c, const GENERAL_NAME *gn)
{
	char buf[64];
	const char *prefix = NULL;
	const ASN1_STRING *s = NULL;
	switch (gn->type) {
	case GEN_DNS:
		prefix = "DNS:";
		s = gn->d.dNSName;
		break;
	case GEN_EMAIL:
		prefix = "email:";
		s = gn->d.rfc822Name;
		break;
	case GEN_URI:
		prefix = "URI:";
		s = gn->d.uniformResourceIdentifier;
		break;
	case GEN_IPADD: {
		const ASN1_OCTET_STRING *ip = gn->d.iPAddress;
		struct endpoint e = {0};
		if (ip->length == 4 || ip->length == 16) {
			e.family = ip->length == 4 ? 4 : 6;
			memcpy(e.addr, ip->data, (size_t)ip->length);
			char a[ENDPOINT_ADDRSTRLEN];
			endpoint_addr_str(&e, a, sizeof(a));
			snprintf(buf, sizeof(buf), "IP:%s", a);
		} else {
			snprintf(buf, sizeof(buf), "IP:<%d bytes>", ip->length);
		}
		string_list_add(&c->san, buf);
		c->san_chars += strlen(buf) - 3;
		return;
	}
	default:
		snprintf(buf, sizeof(buf), "othername:<type %d>", gn->type);
		string_list_add(&c->san, buf);
		return;
	}
	char *v = escape_text(ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
	if (!v)
		return;
	size_t n = strlen(prefix) + strlen(v) + 1;
	char *full = malloc(n);
	if (full) {
		snprintf(full, n, "%s%s", prefix, v);
		string_list_add(&c->san, full);
		free(full);
	}
	c->san_chars += (size_t)ASN1_STRING_length(s);
	free(v);
}

static void read_san(struct cert *c)
{
	GENERAL_NAMES *names =
	    X509_get_ext_d2i(c->x509, NID_subject_alt_name, NULL, NULL);
	if (!names)
		return;
	for (int i = 0; i < sk_GENERAL_NAME_num(names); i++)
		add_general_name(c, sk_GENERAL_NAME_value(names, i));
	GENERAL_NAMES_free(names);
}

static void read_eku(struct cert *c)
{
	int crit = 0;
	EXTENDED_KEY_USAGE *eku =
	    X509_get_ext_d2i(c->x509, NID_ext_key_usage, &crit, NULL);
	if (!eku)
		return;
	c->has_eku = true;
	for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
		char buf[128];
		int nid = OBJ_obj2nid(o);
		if (nid != NID_undef)
			snprintf(buf, sizeof(buf), "%s", OBJ_nid2sn(nid));
		else if (OBJ_obj2txt(buf, sizeof(buf), o, 1) <= 0)
			snprintf(buf, sizeof(buf), "?");
		string_list_add(&c->eku, buf);
	}
	EXTENDED_KEY_USAGE_free(eku);
}

static void read_key(struct cert *c)
{
	EVP_PKEY *pk = X509_get0_pubkey(c->x509);
	if (!pk) {
		c->key_type = strdup("unknown");
		return;
	}
	const char *t;
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		t = "RSA";
		break;
	case EVP_PKEY_EC:
		t = "EC";
		break;
	case EVP_PKEY_DSA:
		t = "DSA";
		break;
	case EVP_PKEY_ED25519:
		t = "Ed25519";
		break;
	case EVP_PKEY_ED448:
		t = "Ed448";
		break;
	default:
		t = EVP_PKEY_get0_type_name(pk);
		if (!t)
			t = "unknown";
	}
	c->key_type = strdup(t);
	c->key_bits = EVP_PKEY_get_bits(pk);
}

static void read_fields(struct cert *c)
{
	X509 *x = c->x509;
	c->subject = name_string(X509_get_subject_name(x));
	c->issuer = name_string(X509_get_issuer_name(x));
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	if (bn) {
		char *hex = BN_bn2hex(bn);
		c->serial = hex ? strdup(hex) : NULL;
		OPENSSL_free(hex);
		BN_free(bn);
	}
	c->have_validity = asn1_time(X509_get0_notBefore(x), &c->not_before) &&
	                   asn1_time(X509_get0_notAfter(x), &c->not_after);
	read_san(c);
	read_eku(c);
	read_key(c);
	int nid = X509_get_signature_nid(x);
	c->signature_algorithm = strdup(nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
	c->is_ca = X509_check_ca(x) > 0;
	c->self_signed = X509_self_signed(x, 1) == 1;
	ERR_clear_error();
}

void sha256_hex(const unsigned char md[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

/* libcrypto allocates through common/alloc.c, which counts what fails:
 * OpenSSL 3.0 does not always say so in its error queue (a public key
 * that could not be decoded for want of memory reads as an unknown one).
 * Before main(), before libcrypto's first allocation. */
static void *crypto_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return alloc_foreign(n);
}

static void *crypto_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return realloc_foreign(p, n);
}

static void crypto_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

__attribute__((constructor)) static void crypto_count_allocations(void)
{
	CRYPTO_set_mem_functions(crypto_malloc, crypto_realloc, crypto_free);
}

/* The DER and its fingerprint, nothing decoded. */
/* A cert holding blob (a new reference), or a new blob of der when blob is
 * NULL; its fingerprint worked out. */
static struct cert *cert_alloc(const uint8_t *der, size_t len, struct der_blob *blob)
{
	struct cert *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->refs = 1;
	c->blob = blob ? der_blob_ref(blob) : der_blob_new(der, len);
	if (!c->blob) {
		free(c);
		return NULL;
	}
	c->der = c->blob->der;
	c->der_len = len = c->blob->len;
	c->der_hash = c->blob->hash;
	unsigned char md[32];
	unsigned int mdlen = 0;
	if (EVP_Digest(c->der, len, md, &mdlen, EVP_sha256(), NULL) && mdlen == 32)
		sha256_hex(md, c->sha256);
	else {
		/* no fingerprint: OpenSSL ran out of memory (SHA-256 takes any
		 * bytes), and a certificate without one is none to report */
		ERR_clear_error();
		cert_free(c);
		return NULL;
	}
	return c;
}

struct cert *cert_new_undecoded(const uint8_t *der, size_t len, const char *why)
{
	struct cert *c = cert_alloc(der, len, NULL);
	if (!c)
		return NULL;
	c->parse_error = strdup(why);
	if (!c->parse_error) {
		cert_free(c);
		return NULL;
	}
	return c;
}

static struct cert *decode(struct cert *c);

struct cert *cert_new(const uint8_t *der, size_t len)
{
	return decode(cert_alloc(der, len, NULL));
}

struct cert *cert_new_blob(struct der_blob *b)
{
	return decode(cert_alloc(NULL, 0, b));
}

/* Decodes c's DER with OpenSSL; c is kept, with parse_error set, when it
 * does not decode. */
static struct cert *decode(struct cert *c)
{
	if (!c)
		return NULL;
	const unsigned char *der = c->der, *p = der;
	size_t len = c->der_len;
	uint64_t failures = alloc_failures();
	c->x509 = d2i_X509(NULL, &p, (long)len);
	/* memory that ran out is no undecodable certificate (below) */
	if (alloc_failures() == failures && (!c->x509 || p != der + len)) {
		unsigned long e = ERR_get_error();
		char buf[256];
		snprintf(buf, sizeof(buf), "not a valid X.509 certificate (%s)",
		         e ? ERR_reason_error_string(e) ? ERR_reason_error_string(e)
		                                        : "unknown"
		           : "trailing bytes");
		c->parse_error = strdup(buf);
		ERR_clear_error();
		if (!c->x509 && c->parse_error)
			return c;
	}
	if (c->x509)
		read_fields(c);
	/* a field left out for want of memory would make a wrong certificate:
	 * none is made */
	if (alloc_failures() != failures) {
		cert_free(c);
		return NULL;
	}
	return c;
}

struct cert *cert_ref(struct cert *c)
{
	c->refs++;
	return c;
}

void cert_free(struct cert *c)
{
	if (!c || --c->refs > 0)
		return;
	X509_free(c->x509);
	der_blob_unref(c->blob);
	free(c->subject);
	free(c->issuer);
	free(c->serial);
	string_list_fini(&c->san);
	free(c->key_type);
	free(c->signature_algorithm);
	string_list_fini(&c->eku);
	free(c->parse_error);
	free(c);
}

bool pem_write_der(FILE *f, const uint8_t *der, size_t len)
{
	/* PEM_write counts the bytes it wrote: none for an empty DER */
	return PEM_write(f, "CERTIFICATE", "", der, (long)len) > 0 || len == 0;
}

const char *crypto_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}
