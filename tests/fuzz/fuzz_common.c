/* fuzz_common.c: output checks and file helpers shared by the fuzz targets. */
#include "fuzz.h"
#include "failures.h"

#include "common/alloc.h"
#include "judge/certificate.h"
#include "judge/judge.h"
#include "ui/output.h"

#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void fuzz_fail(const char *what, const char *buf, size_t len)
{
	fprintf(stderr, "fuzz check failed: %s\n", what);
	if (buf) {
		fputs("--- output ---\n", stderr);
		fwrite(buf, 1, len > 8192 ? 8192 : len, stderr);
		fputs("\n--- end ---\n", stderr);
	}
	abort();
}

/* ---- a strict JSON checker (RFC 8259), enough to judge certscope's lines -- */

struct jp {
	const char *p, *end;
	int depth;
	int certs_at; /* the depth of a certificate list being read, or 0 */
};

/* True when the key just read (its quotes included) names a list of
 * certificates, whose objects the allocation-failure sweep compares. */
static bool j_cert_key(const char *key, size_t n)
{
	static const char *const keys[] = {"\"server_certificates\"",
	                                   "\"client_certificates\""};
	for (size_t i = 0; i < 2; i++)
		if (n == strlen(keys[i]) && memcmp(key, keys[i], n) == 0)
			return true;
	return false;
}

static bool j_value(struct jp *j);

static void j_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static bool j_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

static bool j_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool j_string(struct jp *j)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;
		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (j->p >= j->end)
			return false;
		c = (unsigned char)*j->p++;
		switch (c) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			break;
		case 'u':
			for (int i = 0; i < 4; i++)
				if (j->p >= j->end || !j_hex(*j->p++))
					return false;
			break;
		default:
			return false;
		}
	}
	return false;
}

static bool j_number(struct jp *j)
{
	const char *s = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end)
		return false;
	if (*j->p == '0') {
		j->p++;
	} else if (*j->p >= '1' && *j->p <= '9') {
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	} else {
		return false;
	}
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > s;
}

static bool j_container(struct jp *j, char open, char close, bool object)
{
	if (j->p >= j->end || *j->p != open || ++j->depth > 64)
		return false;
	j->p++;
	j_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		bool certs = false;
		j_ws(j);
		if (object) {
			const char *key = j->p;
			if (!j_string(j))
				return false;
			certs = j->depth == 1 && j_cert_key(key, (size_t)(j->p - key));
			j_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return false;
			j_ws(j);
		}
		const char *value = j->p;
		if (certs)
			j->certs_at = 2;
		if (!j_value(j))
			return false;
		if (certs)
			j->certs_at = 0;
		if (!object && j->depth == j->certs_at)
			fuzz_written_cert(FUZZ_CERT_JSON, value, (size_t)(j->p - value));
		j_ws(j);
		if (j->p >= j->end)
			return false;
		char c = *j->p++;
		if (c == close)
			break;
		if (c != ',')
			return false;
	}
	j->depth--;
	return true;
}

static bool j_value(struct jp *j)
{
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
		return j_container(j, '{', '}', true);
	case '[':
		return j_container(j, '[', ']', false);
	case '"':
		return j_string(j);
	case 't':
		return j_lit(j, "true");
	case 'f':
		return j_lit(j, "false");
	case 'n':
		return j_lit(j, "null");
	default:
		return j_number(j);
	}
}

void fuzz_check_json(const char *buf, size_t len)
{
	const char *line = buf, *end = buf + len;
	fuzz_written(buf, len, false);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if ((c < 0x20 && c != '\n') || c >= 0x7f)
			fuzz_fail("NDJSON holds a byte outside printable ASCII", buf,
			          len);
	}
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			fuzz_fail("NDJSON does not end with a newline", buf, len);
		struct jp j = {line, nl, 0, 0};
		if (j.p >= j.end || *j.p != '{' || !j_value(&j) ||
		    (j_ws(&j), j.p != j.end))
			fuzz_fail("an NDJSON line is not one JSON object", line,
			          (size_t)(nl - line));
		line = nl + 1;
	}
}

void fuzz_check_report(const char *buf, size_t len)
{
	fuzz_written(buf, len, false);
	/* the tree: U+251C, U+2500, U+2502, U+2514 (E2 94 9C/80/82/94) */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\n' || (c >= 0x20 && c < 0x7f))
			continue;
		if (c == 0xe2 && i + 2 < len && (unsigned char)buf[i + 1] == 0x94) {
			unsigned char d = (unsigned char)buf[i + 2];
			if (d == 0x9c || d == 0x80 || d == 0x82 || d == 0x94) {
				i += 2;
				continue;
			}
		}
		fuzz_fail("the report holds a control character or a byte outside ASCII",
		          buf, len);
	}
}

int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t pathlen)
{
	int fd = memfd_create("certscope-fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

static char export_dir[256];

static void export_dir_remove(void)
{
	fuzz_export_clean();
	rmdir(export_dir);
}

const char *fuzz_export_dir(void)
{
	if (!export_dir[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(export_dir, sizeof(export_dir), "%s/certscope-fuzz-XXXXXX",
		         tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(export_dir)) {
			perror("mkdtemp");
			abort();
		}
		atexit(export_dir_remove);
	}
	return export_dir;
}

/* Each PEM block of text, for the sweep. */
static void pem_blocks(const char *text, size_t len)
{
	static const char begin[] = "-----BEGIN ", end[] = "-----END ";
	const char *p = text, *stop = text + len;
	while ((p = memmem(p, (size_t)(stop - p), begin, sizeof(begin) - 1))) {
		const char *e = memmem(p, (size_t)(stop - p), end, sizeof(end) - 1);
		const char *nl = e ? memchr(e, '\n', (size_t)(stop - e)) : NULL;
		if (!nl)
			return;
		fuzz_written_cert(FUZZ_CERT_PEM, p, (size_t)(nl + 1 - p));
		p = nl + 1;
	}
}

/* An exported file: its name and text, for the sweep (failures.h); mapped,
 * so that no allocation of the target's own is made for it. */
static void written_file(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || st.st_size == 0) {
		close(fd);
		fuzz_written_file(name, "", 0);
		return;
	}
	size_t len = (size_t)st.st_size;
	char *text = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (text == MAP_FAILED)
		return;
	fuzz_written_file(name, text, len);
	pem_blocks(text, len);
	munmap(text, len);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (ftw->level == 0)
		return 0;
	if (flag == FTW_F)
		written_file(path, path + strlen(export_dir) + 1);
	remove(path);
	return 0;
}

void fuzz_export_clean(void)
{
	if (export_dir[0])
		nftw(export_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

FILE *fuzz_devnull(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

static size_t longest(size_t n, const char *s)
{
	size_t k = s ? strlen(s) : 0;
	return k > n ? k : n;
}

/* A diagnosis fills a template with a few texts of the handshake (names of
 * certificates, SNI, lists capped at a few hundred characters); one far
 * longer than sixteen of the longest means a text was expanded as a
 * template itself. */
static void check_diagnosis_sizes(const struct handshake *hs, const struct verdict *v)
{
	size_t text = longest(0, hs->sni);
	for (int side = 0; side < 2; side++) {
		for (size_t i = 0; i < v->chains[side].n; i++) {
			const struct cert *c = v->chains[side].certs[i];
			text = longest(text, c->subject);
			text = longest(text, c->issuer);
			for (size_t k = 0; k < c->san.n; k++)
				text = longest(text, c->san.v[k]);
		}
	}
	size_t limit = 16 * (text + 1024);
	for (size_t i = 0; i < v->n_diags; i++)
		if (longest(0, v->diags[i].message) > limit ||
		    longest(0, v->diags[i].advice) > limit)
			fuzz_fail("a diagnosis is far longer than the texts it quotes",
			          v->diags[i].message, strlen(v->diags[i].message));
}

/* Writes with one writer to memory and checks what it wrote; an
 * allocation that fails leaves it out (nothing else may, failures.h). */
static void render_json(const struct handshake *hs, const struct verdict *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		if (!fuzz_failed())
			fuzz_fail("open_memstream failed", NULL, 0);
		return;
	}
	struct json_writer *w = json_writer_new(m);
	if (w)
		json_handshake(w, hs, v, "fuzz.pcap");
	else if (!fuzz_failed())
		fuzz_fail("json_writer_new failed", NULL, 0);
	json_writer_free(w);
	fclose(m);
	fuzz_check_json(buf, len);
	free(buf);
}

static void render_report(const struct handshake *hs, const struct verdict *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		if (!fuzz_failed())
			fuzz_fail("open_memstream failed", NULL, 0);
		return;
	}
	report_handshake(m, hs, v, false);
	fclose(m);
	fuzz_check_report(buf, len);
	free(buf);
}

void fuzz_render(const struct handshake *hs, const struct verdict *v, bool export)
{
	check_diagnosis_sizes(hs, v);
	render_json(hs, v);
	render_report(hs, v);
	if (export) {
		/* file names come from addresses only: nothing may land elsewhere */
		struct exporter *x = exporter_new(fuzz_export_dir());
		if ((!x || export_handshake(x, hs, v) < 0) && !fuzz_failed())
			fuzz_fail("export failed", NULL, 0);
		exporter_free(x);
		fuzz_export_clean();
	}
}

void fuzz_judge_render(struct judge *j, const struct handshake *hs, bool export)
{
	struct verdict v;
	uint64_t failures = alloc_failures();
	if (judge_run(j, hs, &v) == 0 && alloc_failures() == failures)
		fuzz_render(hs, &v, export);
	else if (!fuzz_failed())
		fuzz_fail("judge_run failed with no allocation failing", NULL, 0);
	verdict_fini(&v);
}
