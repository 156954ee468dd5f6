/* keylog.c: the NSS key log format (one secret a line: LABEL, the
 * ClientHello random in hex, the secret in hex) and pcapng Decryption
 * Secrets Blocks (pcapng specification, section 4.7: block type 0x0A,
 * secrets type 0x544c534b "TLSK", the key log text as data). */
#include "keylog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A key log larger than this is not a key log. */
#define MAX_KEYLOG_FILE (64u << 20)
#define DSB_TYPE        0x0000000a
#define SHB_TYPE        0x0a0d0d0a
#define TLSK            0x544c534b

struct keylog {
	struct keylog_entry *v;
	size_t n, cap;
	size_t secrets;
	size_t max_lines, lines, dropped;
	bool sorted;
};

static const struct {
	const char *name;
	enum keylog_label label;
} labels[] = {
    {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", KL_CLIENT_HANDSHAKE},
    {"SERVER_HANDSHAKE_TRAFFIC_SECRET", KL_SERVER_HANDSHAKE},
    {"CLIENT_TRAFFIC_SECRET_0", KL_CLIENT_TRAFFIC_0},
    {"SERVER_TRAFFIC_SECRET_0", KL_SERVER_TRAFFIC_0},
    {"CLIENT_RANDOM", KL_MASTER},
};

struct keylog *keylog_new(size_t max_lines)
{
	struct keylog *kl = calloc(1, sizeof(*kl));
	if (kl)
		kl->max_lines = max_lines;
	return kl;
}

void keylog_free(struct keylog *kl)
{
	if (!kl)
		return;
	free(kl->v);
	free(kl);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex of exactly n characters into out; false on anything else. */
static bool unhex(const char *s, size_t n, uint8_t *out, size_t max)
{
	if (n % 2 || n / 2 > max)
		return false;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* Lines are appended as they come, one entry each; keylog_finish() sorts
 * them by random and merges the entries of one handshake. */
static struct keylog_entry *entry_new(struct keylog *kl, const uint8_t random[32])
{
	if (kl->n == kl->cap) {
		size_t cap = kl->cap ? kl->cap * 2 : 64;
		struct keylog_entry *v = realloc(kl->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		kl->v = v;
		kl->cap = cap;
	}
	struct keylog_entry *e = &kl->v[kl->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->client_random, random, 32);
	kl->sorted = false;
	return e;
}

static int by_random(const void *a, const void *b)
{
	return memcmp(((const struct keylog_entry *)a)->client_random,
	              ((const struct keylog_entry *)b)->client_random, 32);
}

void keylog_finish(struct keylog *kl)
{
	if (!kl || kl->sorted)
		return;
	/* An empty log has no array: qsort may not be given its NULL. */
	if (kl->n > 1)
		qsort(kl->v, kl->n, sizeof(*kl->v), by_random);
	size_t o = 0;
	for (size_t i = 0; i < kl->n; i++) {
		if (o &&
		    memcmp(kl->v[o - 1].client_random, kl->v[i].client_random, 32) == 0) {
			for (int k = 0; k < KL_COUNT; k++)
				if (kl->v[i].s[k].len)
					kl->v[o - 1].s[k] = kl->v[i].s[k];
			continue;
		}
		kl->v[o++] = kl->v[i];
	}
	kl->n = o;
	kl->sorted = true;
}

/* One line: LABEL <64 hex> <hex>. */
static bool add_line(struct keylog *kl, const char *line, size_t len)
{
	const char *end = line + len;
	const char *sp1 = memchr(line, ' ', len);
	if (!sp1)
		return false;
	const char *r = sp1 + 1;
	const char *sp2 = memchr(r, ' ', (size_t)(end - r));
	if (!sp2)
		return false;
	const char *sec = sp2 + 1;
	size_t slen = (size_t)(end - sec);
	while (slen && (sec[slen - 1] == '\r' || sec[slen - 1] == ' '))
		slen--;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strlen(labels[i].name) != (size_t)(sp1 - line) ||
		    memcmp(labels[i].name, line, (size_t)(sp1 - line)) != 0)
			continue;
		uint8_t random[32];
		struct keylog_secret secret = {{0}, slen / 2};
		if (!unhex(r, (size_t)(sp2 - r), random, 32) || (size_t)(sp2 - r) != 64 ||
		    !unhex(sec, slen, secret.v, KEYLOG_MAX_SECRET) || slen == 0)
			return false;
		struct keylog_entry *e = entry_new(kl, random);
		if (!e)
			return false;
		e->s[labels[i].label] = secret;
		kl->secrets++;
		return true;
	}
	return false;
}

size_t keylog_add_text(struct keylog *kl, const char *text, size_t len, size_t *bad_lines)
{
	size_t before = kl->secrets;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* the line without its end, LF or CRLF: "\r\n" is as blank as "\n" */
		size_t m = n && p[n - 1] == '\r' ? n - 1 : n;
		/* the cap on lines: a huge file costs a counter, not memory */
		if (kl->lines >= kl->max_lines) {
			kl->dropped++;
		} else if (m && p[0] != '#') {
			kl->lines++;
			if (!add_line(kl, p, m) && bad_lines)
				(*bad_lines)++;
		}
		p += n + 1;
	}
	return kl->secrets - before;
}

int keylog_add_file(struct keylog *kl, const char *path, char *err, size_t errlen)
{
	int rc = -1;
	char *data = NULL;
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (off_t)MAX_KEYLOG_FILE) {
		snprintf(err, errlen,
		         "%s: not a key log file (not a regular file, or over %u MiB)",
		         path, MAX_KEYLOG_FILE >> 20);
		goto out;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data || fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: cannot read it", path);
		goto out;
	}
	size_t bad = 0;
	if (keylog_add_text(kl, data, (size_t)st.st_size, &bad) == 0 && st.st_size > 0) {
		snprintf(err, errlen,
		         "%s: no key log line in it (%zu lines not understood)", path,
		         bad);
		goto out;
	}
	rc = 0;
out:
	free(data);
	fclose(f);
	return rc;
}

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	             (uint32_t)p[3] << 24;
	return swap ? __builtin_bswap32(v) : v;
}

size_t keylog_add_pcapng(struct keylog *kl, const char *path)
{
	size_t taken = 0;
	uint8_t h[16];
	bool swap = false;
	long at = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	/* walk the blocks: type, total length, body, total length */
	while (fseek(f, at, SEEK_SET) == 0 && fread(h, 1, 16, f) == 16) {
		uint32_t type = rd32(h, false);
		if (type == SHB_TYPE) {
			/* each section states its byte order */
			if (rd32(h + 8, false) == 0x1a2b3c4d)
				swap = false;
			else if (rd32(h + 8, true) == 0x1a2b3c4d)
				swap = true;
			else
				break;
		} else if (at == 0) {
			break; /* not pcapng */
		}
		uint32_t total = rd32(h + 4, swap);
		if (total < 12 || total % 4)
			break;
		if (rd32(h, swap) == DSB_TYPE && total >= 20 &&
		    rd32(h + 8, swap) == TLSK) {
			uint32_t slen = rd32(h + 12, swap);
			/* the secrets must fit inside the block */
			if (slen <= total - 20 && slen <= MAX_KEYLOG_FILE) {
				char *text = malloc(slen ? slen : 1);
				if (text && fread(text, 1, slen, f) == slen)
					taken += keylog_add_text(kl, text, slen, NULL);
				free(text);
			}
		}
		at += (long)total;
	}
	fclose(f);
	return taken;
}

const struct keylog_entry *keylog_find(const struct keylog *kl,
                                       const uint8_t client_random[32])
{
	/* An empty log has no array: bsearch may not be given its NULL. */
	if (!kl || !kl->sorted || kl->n == 0)
		return NULL;
	struct keylog_entry key;
	memcpy(key.client_random, client_random, 32);
	return bsearch(&key, kl->v, kl->n, sizeof(*kl->v), by_random);
}

size_t keylog_count(const struct keylog *kl)
{
	return kl ? kl->secrets : 0;
}

size_t keylog_dropped(const struct keylog *kl)
{
	return kl ? kl->dropped : 0;
}
