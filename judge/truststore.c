/* truststore.c: trust stores from folders and files of certificates in PEM
 * (one or many per file), DER, PKCS#7 (DER or PEM, as CUCM exports chains)
 * and OpenSSL hashed folders (whose <hash>.0 links repeat other files: a
 * certificate seen twice is kept once). */
#include "truststore.h"

#include "bundle.h"
#include "certificate.h"

#include "../common/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A trust file larger than this is not a list of CA certificates. */
#define MAX_TRUST_FILE (16u << 20)
/* Files read of one folder when the configuration does not say. */
#define TRUST_MAX_FILES 10000

void cert_sha256_hex(X509 *x, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;
	out[0] = '\0';
	if (!X509_digest(x, EVP_sha256(), md, &n) || n != 32)
		return;
	sha256_hex(md, out);
}

struct trust_store *trust_store_new(const char *label, const char *device)
{
	struct trust_store *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->label = strdup(label);
	s->device = device ? strdup(device) : NULL;
	s->max_files = TRUST_MAX_FILES;
	s->store = X509_STORE_new();
	s->certs = sk_X509_new_null();
	if (!s->label || (device && !s->device) || !s->store || !s->certs ||
	    (device && !endpoint_parse_addr(device, &s->device_ep))) {
		trust_store_free(s);
		return NULL;
	}
	return s;
}

void trust_store_free(struct trust_store *s)
{
	if (!s)
		return;
	free(s->label);
	free(s->device);
	X509_STORE_free(s->store);
	sk_X509_pop_free(s->certs, X509_free);
	bundle_free(s->bundle);
	for (size_t i = 0; i < s->n_findings; i++)
		free(s->findings[i].subject);
	free(s->findings);
	free(s->bounds);
	free(s);
}

/* Takes ownership of x. */
static void add_cert(struct trust_store *s, X509 *x)
{
	for (int i = 0; i < sk_X509_num(s->certs); i++) {
		if (X509_cmp(sk_X509_value(s->certs, i), x) == 0) {
			X509_free(x);
			return;
		}
	}
	if (!sk_X509_push(s->certs, x)) {
		X509_free(x);
		return;
	}
	X509_STORE_add_cert(s->store, x);
	ERR_clear_error();
}

int trust_store_add_x509(struct trust_store *s, X509 *x)
{
	if (!X509_up_ref(x))
		return -1;
	add_cert(s, x);
	return 0;
}

static int add_pkcs7(struct trust_store *s, PKCS7 *p7)
{
	STACK_OF(X509) *certs = NULL;
	int n = 0;
	if (p7 && PKCS7_type_is_signed(p7) && p7->d.sign)
		certs = p7->d.sign->cert;
	for (int i = 0; i < sk_X509_num(certs); i++) {
		X509 *x = sk_X509_value(certs, i);
		if (X509_up_ref(x)) {
			add_cert(s, x);
			n++;
		}
	}
	return n;
}

static int load_pem(struct trust_store *s, const unsigned char *data, size_t len)
{
	int n = 0;
	BIO *b = BIO_new_mem_buf(data, (int)len);
	STACK_OF(X509_INFO) *infos =
	    b ? PEM_X509_INFO_read_bio(b, NULL, NULL, NULL) : NULL;
	for (int i = 0; i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *info = sk_X509_INFO_value(infos, i);
		if (info->x509) {
			add_cert(s, info->x509);
			info->x509 = NULL;
			n++;
		}
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	BIO_free(b);
	ERR_clear_error();
	/* PKCS#7 in PEM: -----BEGIN PKCS7----- */
	b = BIO_new_mem_buf(data, (int)len);
	PKCS7 *p7;
	while (b && (p7 = PEM_read_bio_PKCS7(b, NULL, NULL, NULL))) {
		n += add_pkcs7(s, p7);
		PKCS7_free(p7);
	}
	BIO_free(b);
	ERR_clear_error();
	return n;
}

static int load_der(struct trust_store *s, const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (x && p == data + len) {
		add_cert(s, x);
		return 1;
	}
	X509_free(x);
	p = data;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
	int n = p7 ? add_pkcs7(s, p7) : 0;
	PKCS7_free(p7);
	ERR_clear_error();
	return n;
}

/* What a file that holds no certificate holds, in words: a trust list
 * given a key, a request or a revocation list says so. */
static const char *what_it_holds(const unsigned char *data, size_t len, bool pem)
{
	static const struct {
		const char *label, *what;
	} pem_labels[] = {
	    {"-----BEGIN CERTIFICATE REQUEST", "a certificate signing request (CSR)"},
	    {"-----BEGIN NEW CERTIFICATE REQUEST", "a certificate signing request (CSR)"},
	    {"-----BEGIN X509 CRL", "a certificate revocation list (CRL)"},
	    {"PRIVATE KEY-----", "a private key"},
	    {"-----BEGIN PUBLIC KEY", "a public key"},
	    {"-----BEGIN RSA PUBLIC KEY", "a public key"},
	};
	if (pem) {
		for (size_t i = 0; i < sizeof(pem_labels) / sizeof(pem_labels[0]); i++)
			if (memmem(data, len, pem_labels[i].label,
			           strlen(pem_labels[i].label)))
				return pem_labels[i].what;
		return "PEM without a certificate or PKCS#7 block";
	}
	const unsigned char *p = data;
	X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)len);
	X509_CRL_free(crl);
	p = data;
	X509_REQ *req = crl ? NULL : d2i_X509_REQ(NULL, &p, (long)len);
	X509_REQ_free(req);
	p = data;
	EVP_PKEY *key = crl || req ? NULL : d2i_AutoPrivateKey(NULL, &p, (long)len);
	EVP_PKEY_free(key);
	ERR_clear_error();
	if (crl)
		return "a certificate revocation list (CRL) in DER";
	if (req)
		return "a certificate signing request (CSR) in DER";
	if (key)
		return "a private key in DER";
	if (len == 0)
		return "an empty file";
	size_t text = 0;
	for (size_t i = 0; i < len; i++)
		text += data[i] == '\n' || data[i] == '\r' || data[i] == '\t' ||
		        (data[i] >= 0x20 && data[i] < 0x7f) || data[i] >= 0x80;
	return text == len ? "text, neither PEM, DER nor PKCS#7"
	                   : "neither PEM, DER nor PKCS#7";
}

/* Memory ran out while path was read (common/alloc.h): what was read is not
 * the store, and saying "not a certificate" would mislead. */
static int out_of_memory(struct trust_store *s, const char *path, FILE *err)
{
	fprintf(err,
	        "certscope: trust store %s: out of memory while reading it; free "
	        "memory and run again\n",
	        path);
	s->rejected_files++;
	return -1;
}

static int load_file(struct trust_store *s, const char *path, bool in_folder, FILE *err)
{
	int rc = -1;
	unsigned char *data = NULL;
	FILE *f = NULL;
	uint64_t failures = alloc_failures();
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fprintf(err, "certscope: trust store %s: %s\n", path, strerror(errno));
		s->rejected_files++;
		return -1;
	}
	struct stat st;
	/* a FIFO, a device or a socket is no list of certificates, and reading
	 * one may never end */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(err, "certscope: trust store %s: not a regular file; skipped\n",
		        path);
		s->rejected_files++;
		close(fd);
		return -1;
	}
	f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return out_of_memory(s, path, err);
	}
	if (st.st_size > (off_t)MAX_TRUST_FILE) {
		fprintf(err,
		        "certscope: trust store %s: too large for a list of CA "
		        "certificates; skipped\n",
		        path);
		s->rejected_files++;
		goto out;
	}
	size_t size = (size_t)st.st_size;
	data = malloc(size ? size : 1);
	if (!data) {
		rc = out_of_memory(s, path, err);
		goto out;
	}
	if (fread(data, 1, size, f) != size) {
		fprintf(err, "certscope: trust store %s: cannot read it\n", path);
		s->rejected_files++;
		goto out;
	}
	s->files++;
	bool pem = size >= 11 && memmem(data, size, "-----BEGIN ", 11);
	int n = pem ? load_pem(s, data, size) : load_der(s, data, size);
	if (alloc_failures() != failures) {
		rc = out_of_memory(s, path, err);
		goto out;
	}
	if (n == 0) {
		fprintf(err, "certscope: trust store %s: not a certificate (%s)%s\n",
		        path, what_it_holds(data, size, pem),
		        in_folder ? "; skipped"
		                  : ": give the file of the CA certificates the device "
		                    "trusts");
		s->rejected_files++;
		goto out;
	}
	rc = 0;
out:
	free(data);
	fclose(f);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct trust_store *s, const char *path, FILE *err)
{
	DIR *d = opendir(path);
	if (!d) {
		fprintf(err, "certscope: trust store %s: %s\n", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		/* a folder of more files than any trust list holds: the rest is
		 * counted, not read */
		if (n >= s->max_files) {
			s->files_over_cap++;
			continue;
		}
		char **v = realloc(names, (n + 1) * sizeof(*v));
		if (!v)
			break;
		names = v;
		names[n] = strdup(e->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	/* a fixed order, so the first of two certificates with one subject is
	 * always the same (qsort may not be given the NULL of an empty folder) */
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char full[4096];
		struct stat st;
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		/* a subfolder is not searched; anything else that is not a regular
		 * file (a FIFO, a link to nowhere or a loop) is named and skipped */
		if (stat(full, &st) < 0 || !S_ISDIR(st.st_mode))
			load_file(s, full, true, err);
		free(names[i]);
	}
	free(names);
	/* a store of nothing would judge every chain untrusted */
	if (n == 0) {
		fprintf(err,
		        "certscope: trust store %s: the folder is empty; give the "
		        "folder the device's CA certificates are in\n",
		        path);
		return -1;
	}
	return 0;
}

int trust_store_add_bundle(struct trust_store *s, const char *path)
{
	if (s->bundle || sk_X509_num(s->certs) > 0 || !(s->bundle = bundle_read(path)))
		return -1;
	s->files++;
	return 0;
}

int trust_store_add_path(struct trust_store *s, const char *path, FILE *err)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		fprintf(err, "certscope: trust store %s: %s\n", path, strerror(errno));
		return -1;
	}
	return S_ISDIR(st.st_mode) ? load_dir(s, path, err)
	                           : load_file(s, path, false, err);
}

static void add_finding(struct trust_store *s, enum store_finding_kind kind, X509 *x,
                        X509 *other)
{
	struct store_finding *v = realloc(s->findings, (s->n_findings + 1) * sizeof(*v));
	if (!v)
		return;
	s->findings = v;
	struct store_finding *f = &v[s->n_findings++];
	*f = (struct store_finding){kind, x, other, name_string(X509_get_subject_name(x)),
	                            "",   ""};
	cert_sha256_hex(x, f->sha256);
	if (other)
		cert_sha256_hex(other, f->other_sha256);
}

void validity_bounds(time_t nb, time_t na, time_t out[4])
{
	out[0] = nb;
	out[1] = nb + 1;
	out[2] = na;
	out[3] = na + 1;
}

static int by_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;
	return x < y ? -1 : x > y;
}

static void index_times(struct trust_store *s)
{
	int n = trust_store_count(s);
	free(s->bounds);
	s->bounds = NULL;
	s->n_bounds = 0;
	s->times_known = false;
	if (s->lazy)
		return;
	s->bounds = malloc((n > 0 ? (size_t)n : 1) * 4 * sizeof(time_t));
	if (!s->bounds)
		return;
	for (int i = 0; i < n; i++) {
		X509 *x = s->bundle ? NULL : sk_X509_value(s->certs, i);
		time_t nb, na;
		if (s->bundle ? !bundle_times(s->bundle, (size_t)i, &nb, &na)
		              : !asn1_time(X509_get0_notBefore(x), &nb) ||
		                    !asn1_time(X509_get0_notAfter(x), &na)) {
			ERR_clear_error();
			return; /* a time OpenSSL may read otherwise: no index */
		}
		validity_bounds(nb, na, s->bounds + s->n_bounds);
		s->n_bounds += 4;
	}
	if (s->n_bounds > 1)
		qsort(s->bounds, s->n_bounds, sizeof(time_t), by_time);
	s->times_known = true;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void trust_fingerprint(const char **shas, size_t n, char out[17])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char digest[32];
	unsigned int len = 0;
	out[0] = '\0';
	if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		/* qsort may not be given the NULL of an empty store */
		if (n)
			qsort(shas, n, sizeof(*shas), by_string);
		for (size_t i = 0; i < n; i++)
			EVP_DigestUpdate(md, shas[i], 64);
		char hex[65];
		if (EVP_DigestFinal_ex(md, digest, &len) && len == 32) {
			sha256_hex(digest, hex);
			memcpy(out, hex, 16);
			out[16] = '\0';
		}
	}
	EVP_MD_CTX_free(md);
}

/* What the store holds, as one value independent of where it was read
 * from: the SHA-256 of its certificates' fingerprints, sorted (a finding's
 * id names its store so; the same list exported on two sensors is one). */
static void fingerprint(struct trust_store *s)
{
	int n = sk_X509_num(s->certs);
	char(*shas)[65] = calloc(n > 0 ? (size_t)n : 1, sizeof(*shas));
	const char **order = calloc(n > 0 ? (size_t)n : 1, sizeof(*order));
	snprintf(s->fingerprint, sizeof(s->fingerprint), "%s", s->lazy ? "system" : "");
	if (!s->lazy && shas && order) {
		for (int i = 0; i < n; i++) {
			cert_sha256_hex(sk_X509_value(s->certs, i), shas[i]);
			order[i] = shas[i];
		}
		trust_fingerprint(order, (size_t)n, s->fingerprint);
	}
	free(order);
	free(shas);
}

void trust_store_scan(struct trust_store *s, time_t at)
{
	s->at = at;
	index_times(s);
	if (s->bundle)
		return; /* the rest when asked (bundle.h) */
	fingerprint(s);
	int n = sk_X509_num(s->certs);
	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(s->certs, i);
		if (X509_cmp_time(X509_get0_notAfter(x), &at) < 0)
			add_finding(s, STORE_EXPIRED_ANCHOR, x, NULL);
		if (X509_check_ca(x) <= 0)
			continue;
		for (int j = 0; j < i; j++) {
			X509 *y = sk_X509_value(s->certs, j);
			if (X509_check_ca(y) > 0 &&
			    X509_NAME_cmp(X509_get_subject_name(x),
			                  X509_get_subject_name(y)) == 0) {
				add_finding(s, STORE_DUPLICATE_SUBJECT, x, y);
				break;
			}
		}
	}
}

/* The store belongs to the device written as device (an address). */
static bool same_device(const struct trust_store *s, const char *device)
{
	struct endpoint ep = {0};
	if (!endpoint_parse_addr(device, &ep) || ep.family != s->device_ep.family)
		return false;
	return memcmp(ep.addr, s->device_ep.addr, ep.family == 4 ? 4 : 16) == 0;
}

/* A port-bound store is named "ADDR:PORT" ("[ADDR]:PORT" for IPv6). */
static void bind_port(struct trust_store *s, int port)
{
	char name[ENDPOINT_ADDRSTRLEN + 10];
	bool v6 = s->device_ep.family == 6;
	snprintf(name, sizeof(name), "%s%s%s:%d", v6 ? "[" : "", s->device, v6 ? "]" : "",
	         port);
	char *d = strdup(name);
	if (!d)
		return;
	free(s->device);
	s->device = d;
	s->device_port = port;
}

static struct trust_store *store_for_device(struct trust_set *ts, const char *device,
                                            int port)
{
	for (size_t i = 0; i < ts->n; i++) {
		const struct trust_store *st = ts->stores[i];
		const char *d = st->device;
		if (st->device_port != port)
			continue;
		if ((!d && !device) || (d && device && same_device(st, device)))
			return ts->stores[i];
	}
	return NULL;
}

static struct trust_store *store_add(struct trust_set *ts, const char *label,
                                     const char *device)
{
	struct trust_store *s = trust_store_new(label, device);
	struct trust_store **v = s ? realloc(ts->stores, (ts->n + 1) * sizeof(*v)) : NULL;
	if (!v) {
		trust_store_free(s);
		return NULL;
	}
	ts->stores = v;
	ts->stores[ts->n++] = s;
	return s;
}

/* "a, b": the label of a store made of several paths. */
static void label_append(struct trust_store *s, const char *path)
{
	size_t n = strlen(s->label) + strlen(path) + 3;
	char *l = malloc(n);
	if (!l)
		return;
	snprintf(l, n, "%s, %s", s->label, path);
	free(s->label);
	s->label = l;
}

int trust_set_load(struct trust_set *ts, const struct config *cfg, time_t at, FILE *err)
{
	int rc = 0;
	uint64_t failures = alloc_failures();
	memset(ts, 0, sizeof(*ts));
	for (size_t i = 0; i < cfg->n_trust; i++) {
		const struct trust_spec *t = &cfg->trust[i];
		struct trust_store *s = store_for_device(ts, t->addr, t->port);
		if (s) {
			label_append(s, t->path);
		} else {
			s = store_add(ts, t->path, t->addr);
			if (s && t->port)
				bind_port(s, t->port);
		}
		if (s && cfg->max_trust_files)
			s->max_files = cfg->max_trust_files;
		if (!s || trust_store_add_path(s, t->path, err) < 0)
			rc = -1;
	}
	if (cfg->n_trust == 0) {
		struct trust_store *s = store_add(ts, "system", NULL);
		const char *bundle = X509_get_default_cert_file();
		if (!s)
			return -1;
		/* read whole only when it cannot be read lazily */
		if (trust_store_add_bundle(s, bundle) < 0 &&
		    trust_store_add_path(s, bundle, err) < 0) {
			/* no bundle: let OpenSSL look in its default folder */
			X509_STORE_set_default_paths(s->store);
			s->lazy = true;
			ERR_clear_error();
		}
	}
	/* the shared store goes last, so a device's own store is found first */
	for (size_t i = 0; i + 1 < ts->n; i++) {
		if (!ts->stores[i]->device) {
			struct trust_store *shared = ts->stores[i];
			memmove(ts->stores + i, ts->stores + i + 1,
			        (ts->n - i - 1) * sizeof(*ts->stores));
			ts->stores[ts->n - 1] = shared;
			break;
		}
	}
	for (size_t i = 0; i < ts->n; i++)
		trust_store_scan(ts->stores[i], at);
	/* a store short of what memory could not hold would misjudge */
	if (alloc_failures() != failures && rc == 0) {
		fprintf(err, "certscope: out of memory while loading the trust "
		             "stores; free memory and run again\n");
		rc = -1;
	}
	return rc;
}

void trust_set_fini(struct trust_set *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		trust_store_free(ts->stores[i]);
	free(ts->stores);
	memset(ts, 0, sizeof(*ts));
}

struct trust_store *trust_for(const struct trust_set *ts, const struct endpoint *addr)
{
	struct trust_store *shared = NULL, *device = NULL;
	for (size_t i = 0; i < ts->n; i++) {
		struct trust_store *s = ts->stores[i];
		if (!s->device) {
			shared = s;
			continue;
		}
		if (s->device_ep.family != addr->family ||
		    memcmp(s->device_ep.addr, addr->addr, addr->family == 4 ? 4 : 16) !=
		        0)
			continue;
		/* the device's store for this service first, then its own */
		if (s->device_port && s->device_port == addr->port)
			return s;
		if (!s->device_port && !device)
			device = s;
	}
	return device ? device : shared;
}

int trust_store_count(const struct trust_store *s)
{
	return s->bundle ? (int)bundle_count(s->bundle) : sk_X509_num(s->certs);
}

const char *trust_store_fingerprint(const struct trust_store *s)
{
	return s->bundle ? bundle_fingerprint(s->bundle) : s->fingerprint;
}

size_t trust_store_findings(const struct trust_store *s, const struct store_finding **out)
{
	if (s->bundle)
		return bundle_findings(s->bundle, s->at, out);
	*out = s->findings;
	return s->n_findings;
}

bool trust_store_subject_shared(const struct trust_store *s, X509 *x)
{
	return s->bundle ? bundle_subject_shared(s->bundle, x) : s->n_findings > 0;
}

void trust_store_prepare(const struct trust_store *s, X509 *leaf,
                         STACK_OF(X509) * untrusted)
{
	if (s->bundle)
		bundle_prepare(s->bundle, s->store, leaf, untrusted);
}

STACK_OF(X509) * trust_store_named(const struct trust_store *s, const X509_NAME *name)
{
	return s->bundle ? bundle_named(s->bundle, name) : sk_X509_dup(s->certs);
}
