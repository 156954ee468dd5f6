/* keylog.c: key logs in the NSS format (RFC 9850, SSLKEYLOGFILE: one
 * secret a line, LABEL, the ClientHello random in hex, the secret in hex)
 * and pcapng Decryption Secrets Blocks (pcapng specification, section 4.7:
 * block type 0x0A, secrets type 0x544c534b "TLSK", the key log text as
 * data). */
#include "keylog.h"

#include "../common/cursor.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A key log larger than this is not a key log. */
#define MAX_KEYLOG_FILE (64u << 20)
#define DSB_TYPE        0x0000000a
#define SHB_TYPE        0x0a0d0d0a
#define TLSK            0x544c534b

/* An entry and the line it came from (lines read, counted across calls):
 * the order keylog_finish() merges them in. */
struct slot {
	struct keylog_entry e;
	size_t line;
};

struct keylog {
	struct slot *v;
	size_t n, cap;
	size_t secrets;
	size_t other; /* key log lines of labels certscope does not use */
	size_t max_lines, lines, dropped;
	bool sorted;
};

/* The labels certscope uses and the lengths their secrets may have: a TLS
 * 1.3 traffic secret is as long as the suite's hash, SHA-256 or SHA-384 (RFC
 * 8446 7.1), a master secret 48 bytes (RFC 5246 8.1).  Any other label
 * (EXPORTER_SECRET, CLIENT_EARLY_TRAFFIC_SECRET, EARLY_EXPORTER_SECRET, ...)
 * is read and ignored. */
static const struct {
	const char *name;
	enum keylog_label label;
	size_t len[2];
} labels[] = {
    {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", KL_CLIENT_HANDSHAKE, {32, 48}},
    {"SERVER_HANDSHAKE_TRAFFIC_SECRET", KL_SERVER_HANDSHAKE, {32, 48}},
    {"CLIENT_TRAFFIC_SECRET_0", KL_CLIENT_TRAFFIC_0, {32, 48}},
    {"SERVER_TRAFFIC_SECRET_0", KL_SERVER_TRAFFIC_0, {32, 48}},
    {"CLIENT_RANDOM", KL_MASTER, {48, 48}},
};

/* What a line of a key log is. */
enum line_kind {
	LINE_SECRET, /* a secret certscope uses */
	LINE_OTHER,  /* a key log line of a label certscope does not use */
	LINE_BAD,    /* not a key log line */
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

/* n hex digits, n even and not 0. */
static bool is_hex(const char *s, size_t n)
{
	if (n == 0 || n % 2)
		return false;
	for (size_t i = 0; i < n; i++)
		if (hexval(s[i]) < 0)
			return false;
	return true;
}

/* An NSS label: [A-Z0-9_]+. */
static bool is_label(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_'))
			return false;
	return true;
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
		struct slot *v = realloc(kl->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		kl->v = v;
		kl->cap = cap;
	}
	struct slot *e = &kl->v[kl->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->e.client_random, random, 32);
	e->line = kl->lines;
	kl->sorted = false;
	return &e->e;
}

static int by_random(const void *a, const void *b)
{
	return memcmp(((const struct slot *)a)->e.client_random,
	              ((const struct slot *)b)->e.client_random, 32);
}

/* By random, then by line: qsort() is not stable, the line makes the order
 * of one random's entries the file's. */
static int by_random_line(const void *a, const void *b)
{
	int c = by_random(a, b);
	size_t la = ((const struct slot *)a)->line, lb = ((const struct slot *)b)->line;
	return c ? c : (la > lb) - (la < lb);
}

void keylog_finish(struct keylog *kl)
{
	if (!kl || kl->sorted)
		return;
	/* An empty log has no array: qsort may not be given its NULL. */
	if (kl->n > 1)
		qsort(kl->v, kl->n, sizeof(*kl->v), by_random_line);
	/* one entry a random, each secret from the first line that gave it (as
	 * Wireshark does); a merged entry keeps its first line, earlier than
	 * any added after it */
	size_t o = 0;
	for (size_t i = 0; i < kl->n; i++) {
		if (o && by_random(&kl->v[o - 1], &kl->v[i]) == 0) {
			struct keylog_entry *to = &kl->v[o - 1].e;
			for (int k = 0; k < KL_COUNT; k++)
				if (!to->s[k].len)
					to->s[k] = kl->v[i].e.s[k];
			continue;
		}
		kl->v[o++] = kl->v[i];
	}
	kl->n = o;
	kl->sorted = true;
}

/* One line: LABEL <64 hex> <hex>, spaces and CRs after it aside; the
 * random, label and secret of a secret certscope uses. */
static enum line_kind parse_line(const char *line, size_t len, uint8_t random[32],
                                 enum keylog_label *label, struct keylog_secret *secret)
{
	const char *end = line + len;
	const char *sp1 = memchr(line, ' ', len);
	if (!sp1)
		return LINE_BAD;
	const char *r = sp1 + 1;
	const char *sp2 = memchr(r, ' ', (size_t)(end - r));
	if (!sp2)
		return LINE_BAD;
	const char *sec = sp2 + 1;
	size_t llen = (size_t)(sp1 - line), slen = (size_t)(end - sec);
	while (slen && (sec[slen - 1] == '\r' || sec[slen - 1] == ' '))
		slen--;
	if (!is_label(line, llen) || (size_t)(sp2 - r) != 64 ||
	    !unhex(r, 64, random, 32) || !is_hex(sec, slen))
		return LINE_BAD;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strlen(labels[i].name) != llen ||
		    memcmp(labels[i].name, line, llen) != 0)
			continue;
		if (slen / 2 != labels[i].len[0] && slen / 2 != labels[i].len[1])
			return LINE_BAD;
		*label = labels[i].label;
		secret->len = slen / 2;
		return unhex(sec, slen, secret->v, KEYLOG_MAX_SECRET) ? LINE_SECRET
		                                                      : LINE_BAD;
	}
	return LINE_OTHER;
}

static enum line_kind add_line(struct keylog *kl, const char *line, size_t len)
{
	uint8_t random[32];
	enum keylog_label label = KL_MASTER;
	struct keylog_secret secret = {{0}, 0};
	enum line_kind k = parse_line(line, len, random, &label, &secret);
	if (k == LINE_OTHER)
		kl->other++;
	if (k != LINE_SECRET)
		return k;
	struct keylog_entry *e = entry_new(kl, random);
	if (!e)
		return LINE_BAD;
	e->s[label] = secret;
	kl->secrets++;
	return k;
}

size_t keylog_add_text(struct keylog *kl, const char *text, size_t len, size_t *bad_lines)
{
	size_t before = kl->secrets;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *line = p, *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* the line without its end, LF or CRLF: "\r\n" is as blank as "\n" */
		size_t m = n && line[n - 1] == '\r' ? n - 1 : n;
		p = nl ? nl + 1 : end;
		if (m == 0 || line[0] == '#')
			continue; /* blank lines and comments: not lines read */
		/* the cap on lines: a huge file costs a counter, not memory; what
		 * it drops is the key log lines past it, nothing else */
		if (kl->lines >= kl->max_lines) {
			uint8_t random[32];
			enum keylog_label label;
			struct keylog_secret secret;
			if (parse_line(line, m, random, &label, &secret) != LINE_BAD)
				kl->dropped++;
			continue;
		}
		kl->lines++;
		if (add_line(kl, line, m) == LINE_BAD && bad_lines)
			(*bad_lines)++;
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
	size_t bad = 0, other = kl->other;
	/* a file of only labels certscope does not use is still a key log */
	if (keylog_add_text(kl, data, (size_t)st.st_size, &bad) == 0 &&
	    kl->other == other && st.st_size > 0) {
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

/* 32 bits at offset off of a block's 16-byte head, in the section's order. */
static uint32_t rd32(const uint8_t h[16], size_t off, bool swap)
{
	struct cursor c = cur_make(h, 16);
	uint32_t v = 0;
	if (cur_skip(&c, off))
		cur_get_u32le(&c, &v);
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
		uint32_t type = rd32(h, 0, false);
		if (type == SHB_TYPE) {
			/* each section states its byte order */
			if (rd32(h, 8, false) == 0x1a2b3c4d)
				swap = false;
			else if (rd32(h, 8, true) == 0x1a2b3c4d)
				swap = true;
			else
				break;
		} else if (at == 0) {
			break; /* not pcapng */
		}
		uint32_t total = rd32(h, 4, swap);
		if (total < 12 || total % 4)
			break;
		if (rd32(h, 0, swap) == DSB_TYPE && total >= 20 &&
		    rd32(h, 8, swap) == TLSK) {
			uint32_t slen = rd32(h, 12, swap);
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
	struct slot key;
	memcpy(key.e.client_random, client_random, 32);
	const struct slot *found = bsearch(&key, kl->v, kl->n, sizeof(*kl->v), by_random);
	return found ? &found->e : NULL;
}

size_t keylog_count(const struct keylog *kl)
{
	return kl ? kl->secrets : 0;
}

size_t keylog_dropped(const struct keylog *kl)
{
	return kl ? kl->dropped : 0;
}
