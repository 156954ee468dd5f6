/* test_bundle.c: the system's bundle read without decoding it
 * (judge/bundle.c) against the same file read whole (trust_store_add_path):
 * the same count, fingerprint, validity index and store findings, and the
 * same verdict on every chain, for bundles made here (two hops through the
 * bundle, an issuer named in another case, spacing and string type, two
 * roots of one subject, an expired root, a repeat, CR LF) and for the
 * system's own bundle; and the files it must leave to the whole reading. */
#include "check.h"

#include "judge/chain.h"
#include "judge/truststore.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define AT  1796083200 /* 2026-12-01T00:00:00Z */
#define DAY 86400

static char tmpdir[] = "/tmp/certscope-bundle-XXXXXX";

static EVP_PKEY *new_key(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/* O=certscope tests,CN=cn, both of the string type given. */
static X509_NAME *name_of(const char *cn, int type)
{
	X509_NAME *n = X509_NAME_new();
	if (n &&
	    (!X509_NAME_add_entry_by_txt(
	         n, "O", type, (const unsigned char *)"certscope tests", -1, -1, 0) ||
	     !X509_NAME_add_entry_by_txt(n, "CN", type, (const unsigned char *)cn, -1, -1,
	                                 0))) {
		X509_NAME_free(n);
		n = NULL;
	}
	return n;
}

static bool add_ext(X509 *x, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, NULL, nid, value);
	bool ok = e && X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return ok;
}

/* A certificate of key named subject, issued under the name issuer by
 * issuer_key, valid from nb to na; a CA when ca. */
static X509 *make_cert(X509_NAME *subject, X509_NAME *issuer, EVP_PKEY *key,
                       EVP_PKEY *issuer_key, bool ca, time_t nb, time_t na, long serial)
{
	X509 *x = X509_new();
	bool ok = x && X509_set_version(x, 2) &&
	          ASN1_INTEGER_set(X509_get_serialNumber(x), serial) &&
	          X509_set_subject_name(x, subject) && X509_set_issuer_name(x, issuer) &&
	          ASN1_TIME_set(X509_getm_notBefore(x), nb) &&
	          ASN1_TIME_set(X509_getm_notAfter(x), na) && X509_set_pubkey(x, key);
	if (ok && ca)
		ok = add_ext(x, NID_basic_constraints, "critical,CA:TRUE") &&
		     add_ext(x, NID_key_usage, "critical,keyCertSign,cRLSign");
	if (!ok || !X509_sign(x, issuer_key, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* The PEM of DER under label, as PEM writers fold it. */
static char *pem_of(const char *label, const unsigned char *der, long len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL, *out = NULL;
	long n =
	    b && PEM_write_bio(b, label, "", der, len) ? BIO_get_mem_data(b, &data) : 0;
	if (n > 0 && (out = malloc((size_t)n + 1))) {
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
	}
	BIO_free(b);
	return out;
}

static char *pem_x509(X509 *x)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	char *pem = n > 0 ? pem_of("CERTIFICATE", der, n) : NULL;
	OPENSSL_free(der);
	return pem;
}

/* Writes text to a file of the scratch folder; its path in path. */
static bool write_file(const char *name, const char *text, size_t len, char *path,
                       size_t size)
{
	snprintf(path, size, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(text, 1, len, f) == len;
	return f && fclose(f) == 0 && ok;
}

static struct trust_store *store_read(const char *path, bool lazily)
{
	struct trust_store *s = trust_store_new(path, NULL);
	if (s && (lazily ? trust_store_add_bundle(s, path)
	                 : trust_store_add_path(s, path, stderr)) < 0) {
		trust_store_free(s);
		return NULL;
	}
	if (s)
		trust_store_scan(s, AT);
	return s;
}

/* Count, fingerprint, validity index and findings agree. */
static bool same_store(const struct trust_store *lazy, const struct trust_store *whole)
{
	CHECK(lazy->bundle != NULL);
	CHECK(whole->bundle == NULL);
	CHECK_EQ(trust_store_count(lazy), trust_store_count(whole));
	CHECK_EQ(lazy->files, whole->files);
	CHECK_EQ(lazy->rejected_files, whole->rejected_files);
	CHECK_STR(trust_store_fingerprint(lazy), trust_store_fingerprint(whole));
	CHECK_EQ(strlen(trust_store_fingerprint(lazy)), 16);
	CHECK_EQ(lazy->times_known, whole->times_known);
	CHECK_EQ(lazy->n_bounds, whole->n_bounds);
	for (size_t i = 0; i < lazy->n_bounds; i++)
		CHECK_EQ(lazy->bounds[i], whole->bounds[i]);
	const struct store_finding *a, *b;
	size_t na = trust_store_findings(lazy, &a), nb = trust_store_findings(whole, &b);
	CHECK_EQ(na, nb);
	for (size_t i = 0; i < na; i++) {
		CHECK_EQ(a[i].kind, b[i].kind);
		CHECK_STR(a[i].sha256, b[i].sha256);
		CHECK_STR(a[i].other_sha256, b[i].other_sha256);
		CHECK_STR(a[i].subject ? a[i].subject : "-",
		          b[i].subject ? b[i].subject : "-");
		if (a[i].kind == STORE_DUPLICATE_SUBJECT)
			CHECK(X509_cmp(a[i].cert, b[i].cert) == 0 &&
			      X509_cmp(a[i].other, b[i].other) == 0);
	}
	return true;
}

/* The verdicts are the same finding for finding (as test_cache.c's). */
static bool same_verdict(const struct chain_check *a, const struct chain_check *b)
{
	CHECK(a && b);
	CHECK_EQ(a->verified, b->verified);
	CHECK_EQ(a->n_errors, b->n_errors);
	for (size_t i = 0; i < a->n_errors; i++) {
		CHECK_EQ(a->errors[i].code, b->errors[i].code);
		CHECK_EQ(a->errors[i].depth, b->errors[i].depth);
	}
	CHECK_EQ(sk_X509_num(a->completed), sk_X509_num(b->completed));
	for (int i = 0; i < sk_X509_num(a->completed); i++) {
		CHECK(X509_cmp(sk_X509_value(a->completed, i),
		               sk_X509_value(b->completed, i)) == 0);
		CHECK_EQ(a->from_store[i], b->from_store[i]);
	}
	CHECK_STR(a->status, b->status);
	return true;
}

/* A chain of certificates as a handshake would present them. */
static bool chain_make(struct chain *ch, X509 *const *xs, size_t n)
{
	memset(ch, 0, sizeof(*ch));
	ch->certs = calloc(n, sizeof(*ch->certs));
	for (size_t i = 0; ch->certs && i < n; i++) {
		unsigned char *der = NULL;
		int len = i2d_X509(xs[i], &der);
		ch->certs[ch->n] = len > 0 ? cert_new(der, (size_t)len) : NULL;
		OPENSSL_free(der);
		if (!ch->certs[ch->n])
			return false;
		ch->n++;
	}
	return ch->certs != NULL;
}

static void chain_fini(struct chain *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		cert_free(ch->certs[i]);
	free(ch->certs);
}

/* The chain of xs verifies alike against both stores, lazy first (so the
 * lazy store has loaded nothing for it beforehand); *verified says how. */
static bool same_chain_verdict(const struct trust_store *lazy,
                               const struct trust_store *whole, X509 *const *xs, size_t n,
                               bool *verified)
{
	struct chain ch;
	CHECK(chain_make(&ch, xs, n));
	struct chain_check *a =
	    chain_check_new(lazy, &ch, X509_PURPOSE_SSL_SERVER, AT, AT);
	struct chain_check *b =
	    chain_check_new(whole, &ch, X509_PURPOSE_SSL_SERVER, AT, AT);
	bool ok = same_verdict(a, b);
	if (verified && a)
		*verified = a->verified;
	chain_check_free(a);
	chain_check_free(b);
	chain_fini(&ch);
	return ok;
}

/* The PKI the made bundle comes from. */
enum { K_ROOT, K_ROOT2, K_INTER, K_OLD, K_OTHER, K_OTHER2, K_LEAF, K_STRAY, K_N };
enum {
	C_ROOT,    /* in the bundle */
	C_ROOT2,   /* in the bundle after it: another key, the same subject */
	C_INTER,   /* in the bundle, issued by C_ROOT */
	C_OLD,     /* in the bundle, expired */
	C_OTHER,   /* in the bundle: "Other Root" */
	C_OTHER2,  /* in the bundle: "other   ROOT" as a PrintableString */
	C_LEAF,    /* issued by C_INTER: two hops through the bundle */
	C_INTER_B, /* issued by C_ROOT, its issuer written "example  ROOT ca" */
	C_LEAF_B,  /* issued by C_INTER_B */
	C_STRAY,   /* issued by a CA the bundle does not hold */
	C_N
};
static EVP_PKEY *keys[K_N];
static X509 *certs[C_N];

static bool make_pki(void)
{
	for (int i = 0; i < K_N; i++)
		CHECK((keys[i] = new_key()) != NULL);
	X509_NAME *root = name_of("Example Root CA", MBSTRING_UTF8);
	X509_NAME *root_b = name_of("example  ROOT ca ", V_ASN1_PRINTABLESTRING);
	X509_NAME *inter = name_of("Example Inter CA", MBSTRING_UTF8);
	X509_NAME *inter_b = name_of("Example Inter B", MBSTRING_UTF8);
	X509_NAME *old = name_of("Example Old Root", MBSTRING_UTF8);
	X509_NAME *other = name_of("Other Root", MBSTRING_UTF8);
	X509_NAME *other2 = name_of("other   ROOT", V_ASN1_PRINTABLESTRING);
	X509_NAME *leaf = name_of("www.example.test", MBSTRING_UTF8);
	X509_NAME *stray = name_of("Stray CA", MBSTRING_UTF8);
	CHECK(root && root_b && inter && inter_b && old && other && other2 && leaf &&
	      stray);
	const time_t nb = AT - 365 * DAY, na = AT + 3650 * DAY;
	certs[C_ROOT] =
	    make_cert(root, root, keys[K_ROOT], keys[K_ROOT], true, nb, na, 1);
	certs[C_ROOT2] =
	    make_cert(root, root, keys[K_ROOT2], keys[K_ROOT2], true, nb, na, 2);
	certs[C_INTER] =
	    make_cert(inter, root, keys[K_INTER], keys[K_ROOT], true, nb, na - DAY, 3);
	certs[C_OLD] = make_cert(old, old, keys[K_OLD], keys[K_OLD], true,
	                         nb - 3650 * DAY, AT - 30 * DAY, 4);
	certs[C_OTHER] =
	    make_cert(other, other, keys[K_OTHER], keys[K_OTHER], true, nb, na, 5);
	certs[C_OTHER2] =
	    make_cert(other2, other2, keys[K_OTHER2], keys[K_OTHER2], true, nb, na, 6);
	certs[C_LEAF] = make_cert(leaf, inter, keys[K_LEAF], keys[K_INTER], false, nb,
	                          AT + 90 * DAY, 7);
	certs[C_INTER_B] =
	    make_cert(inter_b, root_b, keys[K_INTER], keys[K_ROOT], true, nb, na, 8);
	certs[C_LEAF_B] = make_cert(leaf, inter_b, keys[K_LEAF], keys[K_INTER], false, nb,
	                            AT + 90 * DAY, 9);
	certs[C_STRAY] =
	    make_cert(leaf, stray, keys[K_LEAF], keys[K_STRAY], false, nb, AT + DAY, 10);
	X509_NAME_free(root);
	X509_NAME_free(root_b);
	X509_NAME_free(inter);
	X509_NAME_free(inter_b);
	X509_NAME_free(old);
	X509_NAME_free(other);
	X509_NAME_free(other2);
	X509_NAME_free(leaf);
	X509_NAME_free(stray);
	for (int i = 0; i < C_N; i++)
		CHECK(certs[i] != NULL);
	/* the names differ as bytes and agree as OpenSSL compares them */
	CHECK(X509_NAME_cmp(X509_get_issuer_name(certs[C_INTER_B]),
	                    X509_get_subject_name(certs[C_ROOT])) == 0);
	CHECK(X509_NAME_cmp(X509_get_subject_name(certs[C_OTHER]),
	                    X509_get_subject_name(certs[C_OTHER2])) == 0);
	return true;
}

/* The made bundle: text between blocks, one block in CR LF, a repeat. */
static bool write_bundle(char *path, size_t size)
{
	static const int order[] = {C_ROOT,  C_INTER, C_OLD,    C_ROOT2,
	                            C_OTHER, C_ROOT,  C_OTHER2, C_OTHER};
	char text[32768];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char *pem = pem_x509(certs[order[i]]);
		CHECK(pem != NULL);
		n += (size_t)snprintf(text + n, sizeof(text) - n, "# certificate %zu\n",
		                      i);
		for (char *p = pem; *p && n + 2 < sizeof(text); p++) {
			if (*p == '\n' && i == 1)
				text[n++] = '\r';
			text[n++] = *p;
		}
		free(pem);
		CHECK(n + 64 < sizeof(text));
	}
	return write_file("bundle.pem", text, n, path, size);
}

/* The made bundle read lazily holds what it holds read whole, and judges
 * every chain alike: two hops through it, an issuer whose name differs in
 * case, spacing and string type, the first of two roots of one subject, a
 * root presented itself, a chain whose CA it lacks. */
static bool made_bundle_lazy_as_whole(void)
{
	char path[512];
	CHECK(write_bundle(path, sizeof(path)));
	struct trust_store *lazy = store_read(path, true),
	                   *whole = store_read(path, false);
	CHECK(lazy && whole);
	CHECK(same_store(lazy, whole));
	CHECK_EQ(trust_store_count(lazy), 6);
	const struct store_finding *f;
	CHECK_EQ(trust_store_findings(lazy, &f), 3);
	CHECK_EQ(f[0].kind, STORE_EXPIRED_ANCHOR);
	CHECK_STR(f[0].subject, "CN=Example Old Root,O=certscope tests");
	CHECK_EQ(f[1].kind, STORE_DUPLICATE_SUBJECT);
	CHECK(X509_cmp(f[1].cert, certs[C_ROOT2]) == 0);
	CHECK_EQ(f[2].kind, STORE_DUPLICATE_SUBJECT);
	CHECK(X509_cmp(f[2].cert, certs[C_OTHER2]) == 0);
	CHECK_STR(f[2].subject, "CN=other   ROOT,O=certscope tests");
	CHECK(trust_store_subject_shared(lazy, certs[C_ROOT2]));
	CHECK(trust_store_subject_shared(lazy, certs[C_OTHER]));
	CHECK(!trust_store_subject_shared(lazy, certs[C_INTER]));
	bool verified = false;
	X509 *leaf[] = {certs[C_LEAF]};
	CHECK(same_chain_verdict(lazy, whole, leaf, 1, &verified));
	CHECK(verified);
	X509 *crossed[] = {certs[C_LEAF_B], certs[C_INTER_B]};
	CHECK(same_chain_verdict(lazy, whole, crossed, 2, &verified));
	CHECK(verified);
	X509 *root[] = {certs[C_ROOT]};
	CHECK(same_chain_verdict(lazy, whole, root, 1, &verified));
	X509 *stray[] = {certs[C_STRAY]};
	CHECK(same_chain_verdict(lazy, whole, stray, 1, &verified));
	CHECK(!verified);
	X509 *old[] = {certs[C_OLD]};
	CHECK(same_chain_verdict(lazy, whole, old, 1, &verified));
	CHECK(!verified);
	/* the fix kits' look-up: the certificates of a subject, in order */
	STACK_OF(X509) *named =
	    trust_store_named(lazy, X509_get_subject_name(certs[C_ROOT]));
	CHECK(named && sk_X509_num(named) >= 2);
	CHECK(X509_cmp(sk_X509_value(named, 0), certs[C_ROOT]) == 0);
	CHECK(X509_cmp(sk_X509_value(named, 1), certs[C_ROOT2]) == 0);
	sk_X509_free(named);
	trust_store_free(lazy);
	trust_store_free(whole);
	return true;
}

/* A chain judged before any other loads all its chain needs: the bundle's
 * intermediate and root for a leaf alone (each store fresh). */
static bool first_chain_loads_two_hops(void)
{
	char path[512];
	CHECK(write_bundle(path, sizeof(path)));
	struct trust_store *lazy = store_read(path, true);
	CHECK(lazy);
	struct chain ch;
	X509 *leaf[] = {certs[C_LEAF]};
	CHECK(chain_make(&ch, leaf, 1));
	struct chain_check *cc =
	    chain_check_new(lazy, &ch, X509_PURPOSE_SSL_SERVER, AT, AT);
	CHECK(cc && cc->verified);
	CHECK_EQ(sk_X509_num(cc->completed), 3);
	CHECK(X509_cmp(sk_X509_value(cc->completed, 1), certs[C_INTER]) == 0);
	CHECK(X509_cmp(sk_X509_value(cc->completed, 2), certs[C_ROOT]) == 0);
	CHECK(cc->from_store[1] && cc->from_store[2]);
	/* and only what that chain could reach: the two roots of the subject
	 * (the first verifies), the intermediate */
	CHECK_EQ(sk_X509_OBJECT_num(X509_STORE_get0_objects(lazy->store)), 3);
	chain_check_free(cc);
	chain_fini(&ch);
	trust_store_free(lazy);
	return true;
}

/* Files the lazy reading leaves to the whole one, untouched: a trusted
 * certificate (OpenSSL's AUX form), a PEM header, a PKCS#7 block, DER, a
 * length not in its shortest form (OpenSSL would hash other bytes), a
 * stray "-----", an empty file, none. */
static bool declines_what_it_cannot_vouch_for(void)
{
	unsigned char *der = NULL;
	int len = i2d_X509(certs[C_ROOT], &der);
	CHECK(len > 256 && der[1] == 0x82);
	/* the same certificate, its outer length in four octets */
	unsigned char *ber = malloc((size_t)len + 1);
	CHECK(ber);
	ber[0] = 0x30;
	ber[1] = 0x83;
	ber[2] = 0;
	memcpy(ber + 3, der + 2, (size_t)len - 2);
	char *plain = pem_of("CERTIFICATE", der, len);
	char *trusted = pem_of("TRUSTED CERTIFICATE", der, len);
	char *pkcs7 = pem_of("PKCS7", der, len);
	char *long_len = pem_of("CERTIFICATE", ber, len + 1);
	CHECK(plain && trusted && pkcs7 && long_len);
	char header[8192], dashes[8192];
	const char *nl = strchr(plain, '\n');
	CHECK(nl);
	snprintf(header, sizeof(header),
	         "-----BEGIN CERTIFICATE-----\nProc-Type: 4,CRL\n%s", nl + 1);
	snprintf(dashes, sizeof(dashes), "%s# ----- end of the list -----\n", plain);
	const struct {
		const char *name, *text;
		size_t len;
		bool whole_reads;
	} files[] = {
	    {"trusted.pem", trusted, strlen(trusted), true},
	    {"header.pem", header, strlen(header), false},
	    {"pkcs7.pem", pkcs7, strlen(pkcs7), false},
	    {"cert.der", (const char *)der, (size_t)len, true},
	    {"long.pem", long_len, strlen(long_len), true},
	    {"dashes.pem", dashes, strlen(dashes), true},
	    {"empty.pem", "", 0, false},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		CHECK(write_file(files[i].name, files[i].text, files[i].len, path,
		                 sizeof(path)));
		struct trust_store *s = trust_store_new(path, NULL);
		CHECK(s);
		if (trust_store_add_bundle(s, path) == 0) {
			check_failf(__LINE__, "%s read lazily", files[i].name);
			trust_store_free(s);
			return false;
		}
		CHECK(s->bundle == NULL && s->files == 0 && trust_store_count(s) == 0);
		FILE *devnull = fopen("/dev/null", "w");
		CHECK(devnull);
		int rc = trust_store_add_path(s, path, devnull);
		fclose(devnull);
		if ((rc == 0 && trust_store_count(s) == 1) != files[i].whole_reads) {
			check_failf(__LINE__, "%s: read whole %d, %d certificates",
			            files[i].name, rc, trust_store_count(s));
			trust_store_free(s);
			return false;
		}
		trust_store_free(s);
	}
	struct trust_store *s = trust_store_new("none", NULL);
	CHECK(s && trust_store_add_bundle(s, "/nonexistent/bundle.pem") < 0);
	trust_store_free(s);
	/* a bundle is read into a new store only */
	char path[512];
	CHECK(write_file("plain.pem", plain, strlen(plain), path, sizeof(path)));
	s = trust_store_new(path, NULL);
	CHECK(s && trust_store_add_path(s, path, stderr) == 0);
	CHECK(trust_store_add_bundle(s, path) < 0);
	trust_store_free(s);
	free(plain);
	free(trusted);
	free(pkcs7);
	free(long_len);
	free(ber);
	OPENSSL_free(der);
	return true;
}

/* The system's bundle, as the default run reads it: lazily, holding what
 * it holds read whole, and every certificate of it judged alike presented
 * alone, and found by its subject. */
static bool system_bundle_lazy_as_whole(void)
{
	const char *path = X509_get_default_cert_file();
	if (access(path, R_OK) != 0) {
		printf("skip system_bundle_lazy_as_whole: no %s\n", path);
		return true;
	}
	struct config cfg = {0};
	struct trust_set ts;
	CHECK(trust_set_load(&ts, &cfg, AT, stderr) == 0);
	CHECK_EQ(ts.n, 1);
	CHECK_STR(ts.stores[0]->label, "system");
	CHECK(ts.stores[0]->bundle != NULL);
	struct trust_store *whole = store_read(path, false);
	CHECK(whole);
	CHECK(same_store(ts.stores[0], whole));
	CHECK(trust_store_count(whole) > 0);
	for (int i = 0; i < sk_X509_num(whole->certs); i++) {
		X509 *x = sk_X509_value(whole->certs, i);
		bool verified = false;
		if (!same_chain_verdict(ts.stores[0], whole, &x, 1, &verified)) {
			check_failf(__LINE__, "certificate %d judged otherwise", i);
			return false;
		}
		STACK_OF(X509) *named =
		    trust_store_named(ts.stores[0], X509_get_subject_name(x));
		bool found = false;
		for (int k = 0; named && k < sk_X509_num(named); k++)
			found |= X509_cmp(sk_X509_value(named, k), x) == 0;
		sk_X509_free(named);
		CHECK(found);
	}
	trust_store_free(whole);
	trust_set_fini(&ts);
	return true;
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	check_case("make_pki", make_pki());
	check_case("made_bundle_lazy_as_whole", made_bundle_lazy_as_whole());
	check_case("first_chain_loads_two_hops", first_chain_loads_two_hops());
	check_case("declines_what_it_cannot_vouch_for",
	           declines_what_it_cannot_vouch_for());
	check_case("system_bundle_lazy_as_whole", system_bundle_lazy_as_whole());
	for (int i = 0; i < C_N; i++)
		X509_free(certs[i]);
	for (int i = 0; i < K_N; i++)
		EVP_PKEY_free(keys[i]);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return check_summary();
}
