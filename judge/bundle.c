/* bundle.c: the system's PEM bundle of CA certificates (RFC 7468 section
 * 5: CERTIFICATE blocks of RFC 5280 DER), decoded to DER and walked, each
 * certificate decoded by OpenSSL only when a chain or an output needs it
 * (bundle.h). */
#include "bundle.h"

#include "certificate.h"
#include "truststore.h"

#include "../common/alloc.h"
#include "../common/bytes.h"
#include "../common/cursor.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A trust file larger than this is not a list of CA certificates (as
 * truststore.c's cap). */
#define BUNDLE_MAX_FILE (16u << 20)
/* The longest base64 line read here; PEM writers fold at 64. */
#define BUNDLE_MAX_LINE 76

struct bundle_cert {
	struct cursor der;
	struct cursor subject, issuer;    /* Names, tag and length included */
	uint64_t hash;                    /* der_hash of der: repeats */
	uint64_t subject_key, issuer_key; /* name_key(); the issuer's once in_store */
	ASN1_TIME *not_after;
	time_t from, to; /* the validity, as asn1_time() reads it, when times_ok */
	bool times_ok;
	bool shared;   /* another certificate's subject has the same key */
	bool decoded;  /* x is OpenSSL's reading of der (NULL: it refused it) */
	bool in_store; /* added to the X509_STORE */
	X509 *x;
	char sha256[65]; /* "" until worked out */
};

struct bundle {
	uint8_t *der; /* every certificate's DER, one after another */
	struct bundle_cert *v;
	size_t n;
	bool have_fingerprint, have_findings, have_shared;
	char fingerprint[17];
	/* the subjects of the certificates marked shared, decoded when first
	 * asked (NULL where OpenSSL refuses one: it decodes no certificate) */
	X509_NAME **shared;
	size_t n_shared;
	struct store_finding *findings;
	size_t n_findings;
};

/* ---- DER ---------------------------------------------------------------- */

/* One TLV off c: a low tag number and a definite length in its shortest
 * form (what OpenSSL writes back when it encodes a certificate again), the
 * value within c.  tlv, when given, is the whole TLV. */
static bool der_next(struct cursor *c, uint8_t *tag, struct cursor *value,
                     struct cursor *tlv)
{
	struct cursor in = *c;
	uint8_t t, l;
	if (!cur_get_u8(&in, &t) || (t & 0x1f) == 0x1f || !cur_get_u8(&in, &l))
		return false;
	size_t len = l;
	if (l & 0x80) {
		size_t k = l & 0x7f;
		/* indefinite, or longer than any bundle holds */
		if (k == 0 || k > 3)
			return false;
		len = 0;
		for (size_t i = 0; i < k; i++) {
			uint8_t b;
			/* a leading zero octet is not the shortest form */
			if (!cur_get_u8(&in, &b) || (i == 0 && b == 0))
				return false;
			len = len << 8 | b;
		}
		if (len < 0x80)
			return false;
	}
	if (!cur_get_bytes(&in, len, value))
		return false;
	if (tlv)
		*tlv = cur_make(c->p, c->len - in.len);
	*tag = t;
	*c = in;
	return true;
}

static bool der_expect(struct cursor *c, uint8_t tag, struct cursor *value,
                       struct cursor *tlv)
{
	uint8_t t;
	return der_next(c, &t, value, tlv) && t == tag;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebu;
	return h ^ h >> 31;
}

/* The code points of a string OpenSSL canonicalises (x509_name_canon: to
 * UTF-8, white space dropped at the ends and folded, ASCII lower-cased),
 * hashed with white space dropped and ASCII lower-cased: names OpenSSL
 * finds equal hash alike.  False for bytes that are no string of the type. */
static bool canon_hash(uint8_t tag, struct cursor v, uint64_t *out)
{
	uint64_t h = 0xcbf29ce484222325u;
	while (!cur_empty(&v)) {
		uint32_t cp = 0;
		uint8_t b;
		if (tag == 30) { /* BMPString: UCS-2 */
			uint16_t u;
			if (!cur_get_u16(&v, &u))
				return false;
			cp = u;
		} else if (tag == 28) { /* UniversalString: UCS-4 */
			if (!cur_get_u32(&v, &cp))
				return false;
		} else if (tag == 12) { /* UTF8String */
			cur_get_u8(&v, &b);
			size_t more = b < 0x80 ? 0 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
			cp = more == 0 ? b : (uint32_t)(b & (0x3f >> more));
			/* a continuation first, or a form longer than four bytes */
			if ((b >= 0x80 && b < 0xc0) || b >= 0xf8)
				return false;
			for (size_t i = 0; i < more; i++) {
				if (!cur_get_u8(&v, &b) || (b & 0xc0) != 0x80)
					return false;
				cp = cp << 6 | (b & 0x3f);
			}
		} else { /* a byte a character */
			cur_get_u8(&v, &b);
			cp = b;
		}
		if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
			continue;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		h = (h ^ cp) * 0x100000001b3u;
	}
	*out = h;
	return true;
}

/* A key of a Name (RFC 5280 section 4.1.2.4) that two names X509_NAME_cmp
 * finds equal share: the sum over its attributes of a hash of the type and
 * of the value as canon_hash() reads it (any order, any grouping into
 * RDNs), for the string types OpenSSL canonicalises; the type alone for
 * the others.  Names that share a key may still differ. */
static bool name_key(struct cursor der, uint64_t *key)
{
	struct cursor name, rdn, atv, oid, value;
	uint64_t sum = 0;
	size_t n = 0;
	if (!der_expect(&der, 0x30, &name, NULL) || !cur_empty(&der))
		return false;
	while (!cur_empty(&name)) {
		if (!der_expect(&name, 0x31, &rdn, NULL))
			return false;
		while (!cur_empty(&rdn)) {
			uint8_t tag;
			/* a value of a universal primitive type: OpenSSL also
			 * reads a string constructed of pieces, which would need
			 * joining first */
			if (!der_expect(&rdn, 0x30, &atv, NULL) ||
			    !der_expect(&atv, 0x06, &oid, NULL) ||
			    !der_next(&atv, &tag, &value, NULL) || !cur_empty(&atv) ||
			    (tag & 0xe0) != 0)
				return false;
			uint64_t h = der_hash(oid.p, oid.len), v = 0;
			static const uint8_t canon[] = {12, 19, 20, 22, 26, 28, 30};
			if (memchr(canon, tag, sizeof(canon))) {
				if (!canon_hash(tag, value, &v))
					return false;
				h = mix(h ^ mix(v + 1));
			} else {
				h = mix(h ^ 0x5bd1e995u);
			}
			sum += h;
			n++;
		}
	}
	*key = mix(sum + n * 0x9e3779b97f4a7c15u);
	return true;
}

static bool x509_name_key(const X509_NAME *name, uint64_t *key)
{
	const unsigned char *der = NULL;
	size_t len = 0;
	if (!name || !X509_NAME_get0_der(name, &der, &len))
		return false;
	return name_key(cur_make(der, len), key);
}

static ASN1_TIME *read_time(struct cursor t)
{
	const unsigned char *p = t.p;
	ASN1_TIME *a = d2i_ASN1_TIME(NULL, &p, (long)t.len);
	if (a && p != t.p + t.len) {
		ASN1_TIME_free(a);
		a = NULL;
	}
	return a;
}

/* Walks one certificate: false when OpenSSL, hashing it, would not write
 * back the very bytes (a length not in its shortest form, signature
 * parameters other than NULL or a SEQUENCE, unused bits in the signature)
 * or would read a field otherwise than here. */
static bool walk(struct bundle_cert *e)
{
	struct cursor der = e->der, cert, tbs, alg, sig, x, val, nb, na;
	uint8_t t, unused;
	if (!der_expect(&der, 0x30, &cert, NULL) || !cur_empty(&der) ||
	    !der_expect(&cert, 0x30, &tbs, NULL) ||
	    !der_expect(&cert, 0x30, &alg, NULL) ||
	    !der_expect(&cert, 0x03, &sig, NULL) || !cur_empty(&cert) ||
	    !der_expect(&alg, 0x06, &x, NULL) || !cur_peek_u8(&sig, 0, &unused) ||
	    unused != 0)
		return false;
	if (!cur_empty(&alg) && (!der_next(&alg, &t, &x, NULL) || !cur_empty(&alg) ||
	                         !(t == 0x30 || (t == 0x05 && x.len == 0))))
		return false;
	/* TBSCertificate: [0] version, serial, signature, issuer, validity,
	 * subject, and the rest, each a whole TLV */
	if (cur_peek_u8(&tbs, 0, &t) && t == 0xa0 && !der_next(&tbs, &t, &x, NULL))
		return false;
	if (!der_expect(&tbs, 0x02, &x, NULL) || !der_expect(&tbs, 0x30, &x, NULL) ||
	    !der_expect(&tbs, 0x30, &x, &e->issuer) ||
	    !der_expect(&tbs, 0x30, &val, NULL) ||
	    !der_expect(&tbs, 0x30, &x, &e->subject))
		return false;
	while (!cur_empty(&tbs))
		if (!der_next(&tbs, &t, &x, NULL))
			return false;
	if (!der_next(&val, &t, &x, &nb) || !der_next(&val, &t, &x, &na) ||
	    !cur_empty(&val))
		return false;
	ASN1_TIME *from = read_time(nb);
	e->not_after = read_time(na);
	e->times_ok = asn1_time(from, &e->from) && asn1_time(e->not_after, &e->to);
	ERR_clear_error();
	bool ok = from && e->not_after && name_key(e->subject, &e->subject_key);
	ASN1_TIME_free(from);
	return ok;
}

/* ---- PEM ---------------------------------------------------------------- */

/* Each byte's base64 value; 64 for '=', 0xff for a byte outside the
 * alphabet. */
static void b64_table(uint8_t t[256])
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	memset(t, 0xff, 256);
	for (int i = 0; i < 64; i++)
		t[(uint8_t)alphabet[i]] = (uint8_t)i;
	t['='] = 64;
}

/* The next line of c without its end (LF or CR LF). */
static struct cursor next_line(struct cursor *c)
{
	size_t n = cur_find(c, "\n", 1);
	struct cursor line = cur_make(c->p, n);
	cur_skip(c, n < c->len ? n + 1 : n);
	if (line.len && line.p[line.len - 1] == '\r')
		line.len--;
	return line;
}

static bool line_is(struct cursor line, const char *s)
{
	return line.len == strlen(s) && memcmp(line.p, s, line.len) == 0;
}

/* Decodes the base64 lines of one block up to its END line into out; the
 * DER's length, or 0 when the block is not plain base64 (a header, a blank
 * line, a character outside the alphabet, padding but at its end). */
static size_t decode_block(struct cursor *c, uint8_t *out, const uint8_t t[256])
{
	uint32_t quad = 0;
	size_t n = 0, chars = 0, pad = 0;
	for (;;) {
		if (cur_empty(c))
			return 0;
		struct cursor line = next_line(c);
		if (line_is(line, "-----END CERTIFICATE-----"))
			break;
		if (line.len == 0 || line.len > BUNDLE_MAX_LINE || pad)
			return 0;
		size_t i = 0;
		/* whole quads of the alphabet, four characters at a time */
		if (chars % 4 == 0)
			for (; i + 4 <= line.len; i += 4) {
				const uint8_t *q = line.p + i;
				uint8_t a = t[q[0]], b = t[q[1]], d = t[q[2]],
				        e = t[q[3]];
				if ((a | b | d | e) & 0xc0)
					break;
				out[n++] = (uint8_t)(a << 2 | b >> 4);
				out[n++] = (uint8_t)(b << 4 | d >> 2);
				out[n++] = (uint8_t)(d << 6 | e);
				chars += 4;
			}
		for (; i < line.len; i++) {
			uint8_t v = t[line.p[i]];
			if (v == 0xff || (pad && v != 64))
				return 0;
			pad += v == 64;
			quad = quad << 6 | (v & 63);
			if (++chars % 4 == 0) {
				out[n++] = (uint8_t)(quad >> 16);
				out[n++] = (uint8_t)(quad >> 8);
				out[n++] = (uint8_t)quad;
			}
		}
	}
	if (chars % 4 || pad > 2)
		return 0;
	return n - pad;
}

/* Splits the file into its certificates' DER in b->der; false when
 * anything in it is not plain: a line with "-----" but a CERTIFICATE
 * block's, a block that is not plain base64. */
static bool split(struct bundle *b, struct cursor file)
{
	uint8_t *at = b->der, table[256];
	b64_table(table);
	while (!cur_empty(&file)) {
		struct cursor line = next_line(&file);
		if (cur_find(&line, "-----", 5) == line.len)
			continue; /* text between blocks, as PEM readers skip it */
		if (!line_is(line, "-----BEGIN CERTIFICATE-----"))
			return false;
		size_t len = decode_block(&file, at, table);
		if (!len)
			return false;
		struct bundle_cert *v = realloc(b->v, (b->n + 1) * sizeof(*v));
		if (!v)
			return false;
		b->v = v;
		struct bundle_cert *e = memset(&v[b->n], 0, sizeof(*v));
		e->der = cur_make(at, len);
		e->hash = der_hash(at, len);
		bool repeat = false;
		for (size_t i = 0; i < b->n && !repeat; i++)
			repeat = v[i].hash == e->hash && v[i].der.len == len &&
			         memcmp(v[i].der.p, at, len) == 0;
		if (repeat)
			continue; /* a certificate seen twice is kept once */
		b->n++;
		if (!walk(e))
			return false;
		at += len;
	}
	return b->n > 0;
}

static bool read_file(const char *path, uint8_t **data, size_t *size)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	bool ok = false;
	*data = NULL;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size <= (off_t)BUNDLE_MAX_FILE &&
	    (*data = malloc((size_t)st.st_size))) {
		size_t got = 0;
		ssize_t r = 0;
		while (got < (size_t)st.st_size &&
		       ((r = read(fd, *data + got, (size_t)st.st_size - got)) > 0 ||
		        (r < 0 && errno == EINTR)))
			got += r > 0 ? (size_t)r : 0;
		*size = got;
		ok = got == (size_t)st.st_size;
	}
	close(fd);
	return ok;
}

static int by_key(const void *a, const void *b)
{
	const struct bundle_cert *x = *(const struct bundle_cert *const *)a;
	const struct bundle_cert *y = *(const struct bundle_cert *const *)b;
	return x->subject_key < y->subject_key ? -1 : x->subject_key > y->subject_key;
}

/* Marks the certificates whose subject key another shares. */
static bool mark_shared(struct bundle *b)
{
	struct bundle_cert **order = malloc(b->n * sizeof(*order));
	if (!order)
		return false;
	for (size_t i = 0; i < b->n; i++)
		order[i] = &b->v[i];
	qsort(order, b->n, sizeof(*order), by_key);
	for (size_t i = 1; i < b->n; i++)
		if (order[i]->subject_key == order[i - 1]->subject_key)
			order[i]->shared = order[i - 1]->shared = true;
	free(order);
	return true;
}

struct bundle *bundle_read(const char *path)
{
	uint8_t *data = NULL;
	size_t size = 0;
	struct bundle *b = calloc(1, sizeof(*b));
	if (!b || !read_file(path, &data, &size) || !(b->der = malloc(size)) ||
	    !split(b, cur_make(data, size)) || !mark_shared(b)) {
		bundle_free(b);
		b = NULL;
	}
	free(data);
	return b;
}

void bundle_free(struct bundle *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		X509_free(b->v[i].x);
		ASN1_TIME_free(b->v[i].not_after);
	}
	for (size_t i = 0; i < b->n_findings; i++)
		free(b->findings[i].subject);
	for (size_t i = 0; i < b->n_shared; i++)
		X509_NAME_free(b->shared[i]);
	free(b->shared);
	free(b->findings);
	free(b->v);
	free(b->der);
	free(b);
}

/* ---- use ---------------------------------------------------------------- */

size_t bundle_count(const struct bundle *b)
{
	return b->n;
}

bool bundle_times(const struct bundle *b, size_t i, time_t *not_before, time_t *not_after)
{
	*not_before = b->v[i].from;
	*not_after = b->v[i].to;
	return b->v[i].times_ok;
}

static X509 *decode(struct bundle_cert *e)
{
	if (!e->decoded) {
		const unsigned char *p = e->der.p;
		uint64_t failures = alloc_failures();
		e->x = d2i_X509(NULL, &p, (long)e->der.len);
		/* memory that ran out says nothing of the certificate: it is
		 * decoded again when next needed */
		e->decoded = e->x || alloc_failures() == failures;
		ERR_clear_error();
	}
	return e->x;
}

enum added { ADDED, ADDED_NAME_UNREAD, NOT_ADDED };

/* Adds e to store.  ADDED_NAME_UNREAD: its issuer's name is not one
 * name_key() reads; NOT_ADDED: memory ran out, and it is tried again when
 * next needed. */
static enum added add_to_store(struct bundle_cert *e, X509_STORE *store)
{
	if (e->in_store)
		return ADDED;
	uint64_t failures = alloc_failures();
	if (decode(e))
		X509_STORE_add_cert(store, e->x);
	ERR_clear_error();
	if (alloc_failures() != failures)
		return NOT_ADDED;
	e->in_store = true;
	return name_key(e->issuer, &e->issuer_key) ? ADDED : ADDED_NAME_UNREAD;
}

void bundle_prepare(struct bundle *b, X509_STORE *store, X509 *leaf,
                    STACK_OF(X509) * untrusted)
{
	int n = sk_X509_num(untrusted);
	n = n > 0 ? n : 0;
	/* each certificate added pushes one name: the stack never grows */
	uint64_t *keys = malloc((2 * (size_t)n + 2 + b->n) * sizeof(*keys));
	size_t k = 0;
	bool all = !keys;
	for (int i = -1; i < n && !all; i++) {
		X509 *x = i < 0 ? leaf : sk_X509_value(untrusted, i);
		if (x)
			all = !x509_name_key(X509_get_subject_name(x), &keys[k++]) ||
			      !x509_name_key(X509_get_issuer_name(x), &keys[k++]);
	}
	bool short_of_memory = false;
	while (!all && !short_of_memory && k > 0) {
		uint64_t key = keys[--k];
		for (size_t i = 0; i < b->n && !all && !short_of_memory; i++) {
			struct bundle_cert *e = &b->v[i];
			if (e->in_store || e->subject_key != key)
				continue;
			enum added a = add_to_store(e, store);
			all = a == ADDED_NAME_UNREAD;
			short_of_memory = a == NOT_ADDED;
			keys[k++] = e->issuer_key;
		}
	}
	/* a name read otherwise than here: every certificate may be its */
	for (size_t i = 0; all && i < b->n; i++)
		add_to_store(&b->v[i], store);
	free(keys);
}

static X509_NAME *subject_of(const struct bundle_cert *e)
{
	const unsigned char *p = e->subject.p;
	X509_NAME *name = d2i_X509_NAME(NULL, &p, (long)e->subject.len);
	ERR_clear_error();
	return name;
}

bool bundle_subject_shared(struct bundle *b, X509 *x)
{
	if (!b->have_shared) {
		size_t n = 0;
		for (size_t i = 0; i < b->n; i++)
			n += b->v[i].shared;
		uint64_t failures = alloc_failures();
		b->shared = calloc(n ? n : 1, sizeof(*b->shared));
		for (size_t i = 0; b->shared && i < b->n; i++)
			if (b->v[i].shared)
				b->shared[b->n_shared++] = subject_of(&b->v[i]);
		b->have_shared = b->shared && alloc_failures() == failures;
		if (!b->have_shared) {
			/* short of memory: made again when next asked */
			for (size_t i = 0; i < b->n_shared; i++)
				X509_NAME_free(b->shared[i]);
			free(b->shared);
			b->shared = NULL;
			b->n_shared = 0;
			return true;
		}
	}
	/* a name compared as OpenSSL compares it, where a key may merely meet */
	for (size_t i = 0; i < b->n_shared; i++)
		if (b->shared[i] &&
		    X509_NAME_cmp(X509_get_subject_name(x), b->shared[i]) == 0)
			return true;
	return false;
}

/* The SHA-256 of e's DER in hex ("" when OpenSSL cannot say it), with ctx
 * when given (one context for many certificates spares OpenSSL looking
 * the digest up for each). */
static const char *sha256_of(struct bundle_cert *e, EVP_MD_CTX *ctx)
{
	unsigned char md[32];
	unsigned int n = 0;
	if (e->sha256[0])
		return e->sha256;
	if (ctx ? EVP_DigestInit_ex(ctx, NULL, NULL) &&
	              EVP_DigestUpdate(ctx, e->der.p, e->der.len) &&
	              EVP_DigestFinal_ex(ctx, md, &n)
	        : EVP_Digest(e->der.p, e->der.len, md, &n, EVP_sha256(), NULL))
		if (n == 32)
			sha256_hex(md, e->sha256);
	return e->sha256;
}

const char *bundle_fingerprint(struct bundle *b)
{
	if (b->have_fingerprint)
		return b->fingerprint;
	b->have_fingerprint = true;
	const char **shas = malloc(b->n * sizeof(*shas));
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (ctx && !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	for (size_t i = 0; shas && i < b->n; i++)
		shas[i] = sha256_of(&b->v[i], ctx);
	EVP_MD_CTX_free(ctx);
	trust_fingerprint(shas, shas ? b->n : 0, b->fingerprint);
	free(shas);
	return b->fingerprint;
}

static void add_finding(struct bundle *b, enum store_finding_kind kind,
                        struct bundle_cert *e, struct bundle_cert *other)
{
	struct store_finding *v = realloc(b->findings, (b->n_findings + 1) * sizeof(*v));
	if (!v)
		return;
	b->findings = v;
	struct store_finding *f = &v[b->n_findings++];
	*f = (struct store_finding){kind, e->x, other ? other->x : NULL, NULL, "", ""};
	if (e->x) {
		f->subject = name_string(X509_get_subject_name(e->x));
	} else {
		X509_NAME *name = subject_of(e);
		f->subject = name ? name_string(name) : NULL;
		X509_NAME_free(name);
	}
	memcpy(f->sha256, sha256_of(e, NULL), sizeof(f->sha256));
	if (other)
		memcpy(f->other_sha256, sha256_of(other, NULL), sizeof(f->other_sha256));
}

size_t bundle_findings(struct bundle *b, time_t at, const struct store_finding **out)
{
	/* trust_store_scan's loop, over the certificates that may share a
	 * subject only: no other can be the second of two */
	for (size_t i = 0; !b->have_findings && i < b->n; i++) {
		struct bundle_cert *e = &b->v[i];
		/* X509_cmp_time() reads the time as asn1_time() does: one that
		 * ends a day after at has not ended by at */
		if ((!e->times_ok || e->to <= at + 86400) &&
		    X509_cmp_time(e->not_after, &at) < 0)
			add_finding(b, STORE_EXPIRED_ANCHOR, e, NULL);
		if (!e->shared || !decode(e) || X509_check_ca(e->x) <= 0)
			continue;
		for (size_t j = 0; j < i; j++) {
			struct bundle_cert *y = &b->v[j];
			if (y->shared && y->subject_key == e->subject_key && decode(y) &&
			    X509_check_ca(y->x) > 0 &&
			    X509_NAME_cmp(X509_get_subject_name(e->x),
			                  X509_get_subject_name(y->x)) == 0) {
				add_finding(b, STORE_DUPLICATE_SUBJECT, e, y);
				break;
			}
		}
	}
	b->have_findings = true;
	ERR_clear_error();
	*out = b->findings;
	return b->n_findings;
}

STACK_OF(X509) * bundle_named(struct bundle *b, const X509_NAME *name)
{
	STACK_OF(X509) *out = sk_X509_new_null();
	uint64_t key = 0;
	bool any = !x509_name_key(name, &key);
	for (size_t i = 0; out && i < b->n; i++) {
		struct bundle_cert *e = &b->v[i];
		if ((any || e->subject_key == key) && decode(e) &&
		    !sk_X509_push(out, e->x)) {
			sk_X509_free(out);
			return NULL;
		}
	}
	return out;
}
