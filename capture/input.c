/* input.c: what -r reads (CONTRACT.md, "Inputs"): pcap and pcapng files,
 * the same compressed with gzip (RFC 1952, through zlib) or zstd (RFC 8878,
 * through libzstd), known by their first bytes and not by their names, tar
 * archives of captures through libarchive, folders, and captures one after
 * another on standard input.  Everything is streamed: memory is a few
 * fixed buffers whatever the size of a file, a member or what it inflates
 * to. */
#include "input.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define IN_CHUNK       (256u << 10) /* compressed bytes read at a time */
#define FEED_BYTES     (1u << 20)   /* bytes kept ahead of libpcap */
#define SNIFF          512          /* enough to see a tar header's "ustar" */
#define MAX_DEPTH      8            /* folders within folders */
#define MAX_RECORD     (256u << 20) /* a record longer than this is not split on */
#define NAME_MAX_SHOWN 240          /* of a member's name, as shown */

/* ---- layers: a stream of bytes, each read from the one below ---------- */

struct layer {
	/* n bytes at most into buf: the count, 0 at the end, -1 with err set */
	ssize_t (*read)(struct layer *l, uint8_t *buf, size_t n);
	struct layer *below;
	int fd;             /* a file: read(2) */
	struct archive *ar; /* a tar member: archive_read_data() */
	z_stream z;         /* gzip */
	bool z_live, z_ended;
	ZSTD_DStream *zs; /* zstd */
	size_t zs_last;   /* what ZSTD_decompressStream() last returned */
	uint8_t *in;      /* compressed bytes read from below */
	size_t in_len, in_pos;
	bool in_eof;
	uint8_t back[4]; /* the first bytes, read to tell what is below */
	size_t back_len, back_pos;
	char err[256];
};

static ssize_t layer_read(struct layer *l, uint8_t *buf, size_t n)
{
	if (l->back_pos < l->back_len) {
		size_t k = l->back_len - l->back_pos;
		if (k > n)
			k = n;
		memcpy(buf, l->back + l->back_pos, k);
		l->back_pos += k;
		return (ssize_t)k;
	}
	ssize_t k = l->read(l, buf, n);
	if (k < 0 && !l->err[0] && l->below)
		snprintf(l->err, sizeof(l->err), "%s", l->below->err);
	return k;
}

static ssize_t fd_read(struct layer *l, uint8_t *buf, size_t n)
{
	for (;;) {
		ssize_t k = read(l->fd, buf, n);
		if (k >= 0)
			return k;
		if (errno != EINTR) {
			snprintf(l->err, sizeof(l->err), "%s", strerror(errno));
			return -1;
		}
	}
}

static ssize_t member_read(struct layer *l, uint8_t *buf, size_t n)
{
	la_ssize_t k = archive_read_data(l->ar, buf, n);
	if (k < 0) {
		const char *why = archive_error_string(l->ar);
		snprintf(l->err, sizeof(l->err), "the archive is damaged here: %s",
		         why ? why : "read error");
		return -1;
	}
	return (ssize_t)k;
}

/* The compressed bytes of the layer below, read as they are used up. */
static int refill(struct layer *l)
{
	if (l->in_pos < l->in_len || l->in_eof)
		return 0;
	ssize_t k = layer_read(l->below, l->in, IN_CHUNK);
	if (k < 0)
		return -1;
	l->in_len = (size_t)k;
	l->in_pos = 0;
	l->in_eof = k == 0;
	return 0;
}

static ssize_t gzip_read(struct layer *l, uint8_t *buf, size_t n)
{
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	l->z.next_out = buf;
	l->z.avail_out = (uInt)n;
	while (l->z.avail_out > 0) {
		if (refill(l) < 0)
			return -1;
		l->z.next_in = l->in + l->in_pos;
		l->z.avail_in = (uInt)(l->in_len - l->in_pos);
		if (l->z_ended) {
			/* gzip members may follow one another (cat a.gz b.gz) */
			if (l->in_eof)
				break;
			inflateReset(&l->z);
			l->z_ended = false;
		}
		if (l->in_eof) {
			snprintf(l->err, sizeof(l->err),
			         "the gzip data ends early (the file was cut short); "
			         "zcat keeps what can be read");
			return -1;
		}
		int zr = inflate(&l->z, Z_NO_FLUSH);
		l->in_pos = l->in_len - l->z.avail_in;
		if (zr == Z_STREAM_END) {
			l->z_ended = true;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			snprintf(l->err, sizeof(l->err),
			         "the gzip data is damaged (%s); zcat keeps what can "
			         "be read",
			         l->z.msg ? l->z.msg : "inflate failed");
			return -1;
		}
	}
	return (ssize_t)(n - l->z.avail_out);
}

static ssize_t zstd_read(struct layer *l, uint8_t *buf, size_t n)
{
	ZSTD_outBuffer out = {buf, n, 0};
	while (out.pos < out.size) {
		if (refill(l) < 0)
			return -1;
		if (l->in_eof) {
			if (l->zs_last != 0) {
				snprintf(l->err, sizeof(l->err),
				         "the zstd data ends early (the file was cut "
				         "short); zstdcat keeps what can be read");
				return -1;
			}
			break;
		}
		ZSTD_inBuffer in = {l->in, l->in_len, l->in_pos};
		size_t zr = ZSTD_decompressStream(l->zs, &out, &in);
		l->in_pos = in.pos;
		if (ZSTD_isError(zr)) {
			snprintf(l->err, sizeof(l->err),
			         "the zstd data is damaged (%s); zstdcat keeps what "
			         "can be read",
			         ZSTD_getErrorName(zr));
			return -1;
		}
		l->zs_last = zr;
	}
	return (ssize_t)out.pos;
}

static void layer_fini(struct layer *l)
{
	if (l->z_live)
		inflateEnd(&l->z);
	ZSTD_freeDStream(l->zs);
	free(l->in);
}

enum kind {
	K_OTHER,
	K_PCAP,
	K_PCAPNG,
	K_TAR,
	K_GZIP,
	K_ZSTD,
	K_XZ,
	K_BZIP2,
	K_ZIP,
	K_EMPTY,
};

static const char *const kind_name[] = {
    [K_OTHER] = "not a capture",
    [K_PCAP] = "pcap",
    [K_PCAPNG] = "pcapng",
    [K_TAR] = "tar",
    [K_GZIP] = "gzip",
    [K_ZSTD] = "zstd",
    [K_XZ] = "xz-compressed: xzcat FILE | certscope -r -",
    [K_BZIP2] = "bzip2-compressed: bzcat FILE | certscope -r -",
    [K_ZIP] = "a zip archive: unzip it and give the folder",
    [K_EMPTY] = "empty",
};

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	             (uint32_t)p[3] << 24;
	return swap ? __builtin_bswap32(v) : v;
}

/* What the first n bytes say the stream is. */
static enum kind sniff(const uint8_t *h, size_t n)
{
	if (n == 0)
		return K_EMPTY;
	if (n >= 4) {
		uint32_t m = rd32(h, false);
		if (m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d ||
		    m == 0x4d3cb2a1)
			return K_PCAP;
		if (m == 0x0a0d0d0a)
			return K_PCAPNG;
		if (m == 0xfd2fb528)
			return K_ZSTD;
		if (m == 0x04034b50)
			return K_ZIP;
	}
	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return K_GZIP;
	if (n >= 6 && memcmp(h,
	                     "\xfd"
	                     "7zXZ\0",
	                     6) == 0)
		return K_XZ;
	if (n >= 3 && memcmp(h, "BZh", 3) == 0)
		return K_BZIP2;
	if (n >= 262 && memcmp(h + 257, "ustar", 5) == 0)
		return K_TAR;
	return K_OTHER;
}

/* Puts a decompressing layer on l when its first bytes say gzip or zstd:
 * returns the top layer, NULL with l->err set. */
static struct layer *unwrap(struct layer *l, struct layer *dec)
{
	ssize_t k = 0;
	size_t got = 0;
	while (got < sizeof(l->back) &&
	       (k = l->read(l, l->back + got, sizeof(l->back) - got)) > 0)
		got += (size_t)k;
	if (k < 0)
		return NULL;
	l->back_len = got;
	l->back_pos = 0;
	enum kind kd = sniff(l->back, got);
	if (kd != K_GZIP && kd != K_ZSTD)
		return l;
	memset(dec, 0, sizeof(*dec));
	dec->below = l;
	dec->in = malloc(IN_CHUNK);
	if (!dec->in)
		goto oom;
	if (kd == K_GZIP) {
		dec->read = gzip_read;
		/* 15 + 16: a gzip header and trailer around the deflate data */
		if (inflateInit2(&dec->z, 15 + 16) != Z_OK)
			goto oom;
		dec->z_live = true;
	} else {
		dec->read = zstd_read;
		/* libzstd's default cap on the window (128 MiB) stands: a
		 * frame asking for more is refused, not allocated */
		if (!(dec->zs = ZSTD_createDStream()) ||
		    ZSTD_isError(ZSTD_initDStream(dec->zs)))
			goto oom;
	}
	return dec;
oom:
	snprintf(l->err, sizeof(l->err), "out of memory");
	layer_fini(dec);
	memset(dec, 0, sizeof(*dec));
	return NULL;
}

/* ---- the feed: bytes kept ahead, so a stream can be looked into ------- */

struct feed {
	struct layer *top;
	uint8_t *buf;
	size_t pos, len;
	bool eof, failed;
	/* captures one after another: the next file header is where libpcap
	 * must see the end of this one */
	enum kind fmt;
	bool swap, started, split, passthrough;
	uint64_t skip; /* bytes to hand over before the next record header */
};

/* At least want bytes ahead, unless the stream ends first; -1 on a read
 * error. */
static int feed_fill(struct feed *fd, size_t want)
{
	if (fd->len - fd->pos >= want || fd->eof)
		return 0;
	memmove(fd->buf, fd->buf + fd->pos, fd->len - fd->pos);
	fd->len -= fd->pos;
	fd->pos = 0;
	while (fd->len < want && !fd->eof) {
		ssize_t k = layer_read(fd->top, fd->buf + fd->len, FEED_BYTES - fd->len);
		if (k < 0) {
			fd->failed = true;
			return -1;
		}
		fd->eof = k == 0;
		fd->len += (size_t)k;
	}
	return 0;
}

static void feed_restart(struct feed *fd)
{
	fd->fmt = sniff(fd->buf + fd->pos, fd->len - fd->pos);
	fd->started = fd->split = fd->passthrough = false;
	fd->skip = 0;
}

/* The length of the record (pcap) or block (pcapng) at h, 0 when it makes
 * no sense: then the rest is handed over as it is, for libpcap to judge. */
static uint64_t record_length(struct feed *fd, const uint8_t *h, size_t avail)
{
	if (fd->fmt == K_PCAP) {
		if (!fd->started) {
			uint32_t m = rd32(h, false);
			fd->swap = m == 0xd4c3b2a1 || m == 0x4d3cb2a1;
			return 24;
		}
		if (avail < 16)
			return 0;
		uint32_t caplen = rd32(h + 8, fd->swap);
		return caplen > MAX_RECORD ? 0 : 16 + (uint64_t)caplen;
	}
	if (avail < 12)
		return 0;
	if (rd32(h, false) == 0x0a0d0d0a)
		fd->swap = rd32(h + 8, false) != 0x1a2b3c4d;
	uint32_t total = rd32(h + 4, fd->swap);
	return total < 12 || total % 4 || total > MAX_RECORD ? 0 : total;
}

/* fopencookie()'s read: the bytes of one capture, and the end where the
 * next capture's file header begins. */
static ssize_t feed_cookie_read(void *cookie, char *out, size_t n)
{
	struct feed *fd = cookie;
	size_t done = 0;
	while (done < n && !fd->split) {
		if (fd->skip == 0 && !fd->passthrough) {
			if (feed_fill(fd, 16) < 0)
				return done ? (ssize_t)done : -1;
			size_t avail = fd->len - fd->pos;
			const uint8_t *h = fd->buf + fd->pos;
			if (avail == 0)
				break;
			/* a file header where a record would start: the
			 * next capture (a pcapng section is taken for one) */
			enum kind next = sniff(h, avail < 4 ? avail : 4);
			if (fd->started && (next == K_PCAP || next == K_PCAPNG)) {
				fd->split = true;
				break;
			}
			fd->skip = record_length(fd, h, avail);
			fd->passthrough = fd->skip == 0;
			fd->started = true;
		}
		if (feed_fill(fd, 1) < 0)
			return done ? (ssize_t)done : -1;
		size_t k = fd->len - fd->pos;
		if (k == 0)
			break;
		if (k > n - done)
			k = n - done;
		if (!fd->passthrough && k > fd->skip)
			k = (size_t)fd->skip;
		memcpy(out + done, fd->buf + fd->pos, k);
		fd->pos += k;
		done += k;
		if (!fd->passthrough)
			fd->skip -= k;
	}
	return (ssize_t)done;
}

static int feed_cookie_close(void *cookie)
{
	(void)cookie; /* the feed is its reader's */
	return 0;
}

/* ---- reading ----------------------------------------------------------- */

struct reading {
	const struct config *cfg;
	const struct source_hooks *hooks;
	struct reassembly *r;
	struct source_stats *st;
	char *err;
	size_t errlen;
	unsigned failures; /* of captures inside a folder or archive */
};

static void note(const struct reading *rd, const char *name, const char *what)
{
	if (!rd->cfg->quiet)
		fprintf(stderr, "certscope: %s: %s; skipped\n", name, what);
}

/* Each capture in the feed, one after another, named name. */
static int read_feed(struct reading *rd, struct feed *fd, const char *name)
{
	int rc = 0;
	for (;;) {
		feed_restart(fd);
		if (fd->fmt != K_PCAP && fd->fmt != K_PCAPNG)
			break;
		cookie_io_functions_t io = {feed_cookie_read, NULL, NULL,
		                            feed_cookie_close};
		FILE *f = fopencookie(fd, "r", io);
		if (!f) {
			snprintf(rd->err, rd->errlen, "%s: out of memory", name);
			return -1;
		}
		rc = source_read_pcap(f, name, rd->cfg, rd->hooks, rd->r, rd->st, rd->err,
		                      rd->errlen);
		if (fd->failed) {
			snprintf(rd->err, rd->errlen, "%s: %s", name, fd->top->err);
			return -1;
		}
		if (rc < 0 && strstr(rd->err, "bad") && strstr(rd->err, "length"))
			snprintf(rd->err + strlen(rd->err), rd->errlen - strlen(rd->err),
			         " (two captures joined? give each with -r, or join "
			         "them with mergecap)");
		if (rc < 0 || !fd->split || source_stopped())
			return rc;
	}
	return rc;
}

static int read_archive(struct reading *rd, struct feed *fd, const char *name);

/* A stream below which there may be gzip or zstd: the captures it holds.
 * in_bundle: a capture inside a folder or an archive, skipped with a note
 * when it is none. */
static int read_stream(struct reading *rd, struct layer *raw, const char *name,
                       bool in_bundle, bool tar_ok)
{
	struct layer dec = {0};
	struct feed fd = {0};
	int rc = -1;
	struct layer *top = unwrap(raw, &dec);
	if (!top) {
		snprintf(rd->err, rd->errlen, "%s: %s", name, raw->err);
		goto out;
	}
	fd.top = top;
	if (!(fd.buf = malloc(FEED_BYTES))) {
		snprintf(rd->err, rd->errlen, "%s: out of memory", name);
		goto out;
	}
	if (feed_fill(&fd, SNIFF) < 0) {
		snprintf(rd->err, rd->errlen, "%s: %s", name, top->err);
		goto out;
	}
	enum kind kd = sniff(fd.buf, fd.len);
	if (kd == K_TAR && tar_ok) {
		rc = read_archive(rd, &fd, name);
	} else if (kd == K_PCAP || kd == K_PCAPNG) {
		rc = read_feed(rd, &fd, name);
	} else if (in_bundle) {
		note(rd, name,
		     kd == K_TAR ? "a tar archive inside an archive" : kind_name[kd]);
		rc = 0;
	} else {
		snprintf(rd->err, rd->errlen,
		         "%s: %s%s: not a format certscope reads (pcap or pcapng, "
		         "plain or gzip- or zstd-compressed, tar archives of them, "
		         "folders)",
		         name, top == &dec ? "decompressed, " : "", kind_name[kd]);
	}
out:
	layer_fini(&dec);
	free(fd.buf);
	return rc;
}

/* libarchive's read callback: the feed's bytes as they come. */
static la_ssize_t archive_feed_read(struct archive *a, void *ctx, const void **buf)
{
	struct feed *fd = ctx;
	if (feed_fill(fd, 1) < 0) {
		archive_set_error(a, EIO, "%s", fd->top->err);
		return -1;
	}
	*buf = fd->buf + fd->pos;
	size_t k = fd->len - fd->pos;
	fd->pos = fd->len;
	return (la_ssize_t)k;
}

/* A member's name as shown: control bytes become '?' and it is cut short;
 * it names nothing on disk. */
static void shown_name(char *out, size_t outlen, const char *archive, const char *member)
{
	int n = snprintf(out, outlen, "%s:", archive);
	size_t at = n < 0 ? 0 : (size_t)n < outlen ? (size_t)n : outlen - 1;
	for (size_t i = 0; member && member[i] && i < NAME_MAX_SHOWN && at + 1 < outlen;
	     i++) {
		unsigned char c = (unsigned char)member[i];
		out[at++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[at] = '\0';
}

static int read_archive(struct reading *rd, struct feed *fd, const char *name)
{
	int rc = 0;
	unsigned failures = 0;
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char member[1024];
	if (!a || archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_open(a, fd, NULL, archive_feed_read, NULL) != ARCHIVE_OK) {
		snprintf(rd->err, rd->errlen,
		         "%s: not a tar archive certscope can read: %s", name,
		         a && archive_error_string(a) ? archive_error_string(a) : "");
		rc = -1;
		goto out;
	}
	int ar;
	while (!source_stopped() &&
	       (ar = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		shown_name(member, sizeof(member), name, archive_entry_pathname(e));
		struct layer m = {.read = member_read, .ar = a};
		if (read_stream(rd, &m, member, true, false) < 0) {
			fprintf(stderr, "certscope: %s\n", rd->err);
			failures++;
			if (m.err[0] || fd->failed)
				break; /* the archive itself is damaged */
		}
	}
	if (!source_stopped() && ar != ARCHIVE_EOF && ar != ARCHIVE_OK) {
		const char *why = archive_error_string(a);
		snprintf(rd->err, rd->errlen,
		         "%s: the archive is damaged or cut short (%s); tar -tvf lists "
		         "what can be read",
		         name, why ? why : "read error");
		rc = -1;
	} else if (failures) {
		snprintf(rd->err, rd->errlen,
		         "%s: %u capture%s in it could not be read to "
		         "the end",
		         name, failures, failures == 1 ? "" : "s");
		rc = -1;
	}
out:
	archive_read_free(a);
	return rc;
}

static int read_path(struct reading *rd, const char *path, bool in_bundle, int depth);

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

/* Every capture in the folder, in name order, and in the folders inside. */
static int read_folder(struct reading *rd, const char *path, int depth)
{
	struct dirent **ents = NULL;
	int n = scandir(path, &ents, skip_dots, by_name);
	int rc = 0;
	if (n < 0) {
		snprintf(rd->err, rd->errlen, "%s: %s%s", path, strerror(errno),
		         errno == EACCES ? ": read it as a user who may (sudo)" : "");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(ents[i]->d_name) + 2;
		char *sub = malloc(len);
		if (sub && !source_stopped()) {
			bool slash = path[0] && path[strlen(path) - 1] == '/';
			snprintf(sub, len, "%s%s%s", path, slash ? "" : "/",
			         ents[i]->d_name);
			if (read_path(rd, sub, true, depth + 1) < 0) {
				fprintf(stderr, "certscope: %s\n", rd->err);
				rd->failures++;
			}
		}
		free(sub);
		free(ents[i]);
	}
	free(ents);
	if (rd->failures && depth == 0) {
		snprintf(rd->err, rd->errlen,
		         "%s: %u input%s in it could not be read to "
		         "the end",
		         path, rd->failures, rd->failures == 1 ? "" : "s");
		rc = -1;
	}
	return rc;
}

static int read_path(struct reading *rd, const char *path, bool in_bundle, int depth)
{
	struct stat sb;
	bool known = stat(path, &sb) == 0;
	if (known && S_ISDIR(sb.st_mode)) {
		if (depth >= MAX_DEPTH) {
			note(rd, path, "folders nested too deep");
			return 0;
		}
		return read_folder(rd, path, depth);
	}
	if (in_bundle && known && !S_ISREG(sb.st_mode)) {
		note(rd, path, "not a regular file");
		return 0;
	}
	int fdn = open(path, O_RDONLY | O_CLOEXEC);
	if (fdn < 0) {
		int e = errno;
		snprintf(rd->err, rd->errlen, "%s: %s%s", path, strerror(e),
		         e == EACCES   ? ": read it as a user who may (sudo)"
		         : e == ENOENT ? " (a BPF filter goes after the options; "
		                         "each file needs -r)"
		                       : "");
		return -1;
	}
	/* a plain capture is handed to libpcap as it is: no copy */
	uint8_t h[4];
	ssize_t k = pread(fdn, h, sizeof(h), 0);
	enum kind kd = k > 0 ? sniff(h, (size_t)k) : K_EMPTY;
	if ((kd == K_PCAP || kd == K_PCAPNG) && known && S_ISREG(sb.st_mode)) {
		FILE *f = fdopen(fdn, "rb");
		if (!f) {
			close(fdn);
			snprintf(rd->err, rd->errlen, "%s: out of memory", path);
			return -1;
		}
		return source_read_pcap(f, path, rd->cfg, rd->hooks, rd->r, rd->st,
		                        rd->err, rd->errlen);
	}
	struct layer raw = {.read = fd_read, .fd = fdn};
	int rc = read_stream(rd, &raw, path, in_bundle, true);
	close(fdn);
	return rc;
}

int source_read_file(const char *path, const struct config *cfg,
                     const struct source_hooks *hooks, struct reassembly *r,
                     struct source_stats *st, char *err, size_t errlen)
{
	struct reading rd = {cfg, hooks, r, st, err, errlen, 0};
	if (strcmp(path, "-") == 0) {
		struct layer raw = {.read = fd_read, .fd = STDIN_FILENO};
		int rc = read_stream(&rd, &raw, "-", false, true);
		/* "-: ..." reads badly: name standard input in errors */
		if (rc < 0 && strncmp(err, "-: ", 3) == 0) {
			char tmp[1024];
			snprintf(tmp, sizeof(tmp), "standard input: %s", err + 3);
			snprintf(err, errlen, "%s", tmp);
		}
		return rc;
	}
	return read_path(&rd, path, false, 0);
}
