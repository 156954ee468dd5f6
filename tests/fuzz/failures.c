/* failures.c: what the fuzz targets' allocation-failure sweep records of
 * an input's reference run and holds its other runs to (failures.h). */
#include "failures.h"

#include "common/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct written {
	enum fuzz_cert_form form;
	size_t len;
	unsigned char *bytes;
};

static enum fuzz_pass pass;
static uint64_t failures_at_begin;

/* The reference's certificates, and a digest of all it wrote. */
static struct written *certs;
static size_t n_certs, cap_certs;
static bool certs_lost; /* the reference could not keep one: no comparison */

struct digest {
	uint64_t ordered, set, len;
};
static struct digest reference, run;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static void forget(void)
{
	for (size_t i = 0; i < n_certs; i++)
		free(certs[i].bytes);
	free(certs);
	certs = NULL;
	n_certs = cap_certs = 0;
	certs_lost = false;
}

void fuzz_input_begin(enum fuzz_pass p)
{
	pass = p;
	failures_at_begin = alloc_failures();
	memset(&run, 0, sizeof(run));
	run.ordered = 0xcbf29ce484222325ull;
	if (p == FUZZ_REFERENCE || p == FUZZ_PLAIN)
		forget();
}

bool fuzz_failed(void)
{
	return alloc_failures() != failures_at_begin;
}

bool fuzz_input_end(void)
{
	if (pass == FUZZ_REFERENCE) {
		reference = run;
		if (fuzz_failed()) {
			fprintf(stderr, "fuzz sweep: an allocation failed in the "
			                "reference run, which fails none\n");
			return false;
		}
		return true;
	}
	if (pass != FUZZ_COMPARED || fuzz_failed())
		return true;
	if (memcmp(&run, &reference, sizeof(run)) != 0) {
		fprintf(stderr,
		        "fuzz sweep: no allocation failed, yet the run wrote other "
		        "than the reference (%llu bytes, the reference %llu)\n",
		        (unsigned long long)run.len, (unsigned long long)reference.len);
		return false;
	}
	return true;
}

void fuzz_written(const void *p, size_t n, bool order_free)
{
	if (pass == FUZZ_PLAIN)
		return;
	if (order_free)
		run.set += fnv(0xcbf29ce484222325ull, p, n);
	else
		run.ordered = fnv(run.ordered, p, n);
	run.len += n;
}

/* Whether the reference wrote a followed by b as form. */
static bool known(enum fuzz_cert_form form, const void *a, size_t na, const void *b,
                  size_t nb)
{
	for (size_t i = 0; i < n_certs; i++)
		if (certs[i].form == form && certs[i].len == na + nb &&
		    memcmp(certs[i].bytes, a, na) == 0 &&
		    memcmp(certs[i].bytes + na, b, nb) == 0)
			return true;
	return false;
}

/* Whether the reference wrote a chain file of this name (with its NUL). */
static bool named(const char *name, size_t n)
{
	for (size_t i = 0; i < n_certs; i++)
		if (certs[i].form == FUZZ_CERT_FILE && certs[i].len >= n &&
		    memcmp(certs[i].bytes, name, n) == 0)
			return true;
	return false;
}

static const char *const form_names[] = {
    "an NDJSON certificate",
    "an exported chain file",
    "an exported PEM block",
    "an emitted certificate",
};

static void written_cert(enum fuzz_cert_form form, const char *a, size_t na,
                         const void *b, size_t nb)
{
	if (pass == FUZZ_PLAIN)
		return;
	if (pass == FUZZ_COMPARED) {
		if (certs_lost || known(form, a, na, b, nb))
			return;
		/* a chain the reference did not see (a certificate of it lost to
		 * memory) is no other file of the same name */
		if (form == FUZZ_CERT_FILE && !named(a, na))
			return;
		fprintf(stderr,
		        "fuzz sweep: %s the run without failures did not write "
		        "(%s an allocation failed)\n--- written ---\n%.*s%.*s\n--- end "
		        "---\n",
		        form_names[form], fuzz_failed() ? "after" : "before",
		        form == FUZZ_CERT_DER ? 0 : (int)(na > 4096 ? 4096 : na),
		        (const char *)a,
		        form == FUZZ_CERT_DER ? 0 : (int)(nb > 4096 ? 4096 : nb),
		        (const char *)b);
		abort();
	}
	if (known(form, a, na, b, nb))
		return;
	if (n_certs == cap_certs) {
		size_t cap = cap_certs ? 2 * cap_certs : 16;
		struct written *v = realloc(certs, cap * sizeof(*v));
		if (!v) {
			certs_lost = true;
			return;
		}
		certs = v;
		cap_certs = cap;
	}
	unsigned char *bytes = malloc(na + nb + 1);
	if (!bytes) {
		certs_lost = true;
		return;
	}
	memcpy(bytes, a, na);
	memcpy(bytes + na, b, nb);
	certs[n_certs++] = (struct written){form, na + nb, bytes};
}

void fuzz_written_cert(enum fuzz_cert_form form, const void *p, size_t n)
{
	written_cert(form, p, n, "", 0);
}

void fuzz_written_file(const char *name, const char *text, size_t len)
{
	if (pass == FUZZ_PLAIN)
		return;
	/* the name with its NUL, then the text: hashed as one */
	uint64_t h = fnv(0xcbf29ce484222325ull, name, strlen(name) + 1);
	run.set += fnv(h, text, len);
	run.len += strlen(name) + 1 + len;
	if (strncmp(name, "chains/", 7) == 0 || strncmp(name, "completed/", 10) == 0)
		written_cert(FUZZ_CERT_FILE, name, strlen(name) + 1, text, len);
}
