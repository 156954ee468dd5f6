/* export.c: the chains as PEM files (CONTRACT.md, "Export"): each distinct
 * presented chain once in chains/, the completed chain of each one that
 * verified in completed/.  A file's name is built from the server's address
 * and port, the side and a hash of the chain only, never from certificate
 * text; an existing file is never overwritten, and no symbolic link is
 * followed: not the folder, not a folder in it, not a file. */
#include "output.h"

#include "../common/alloc.h"
#include "../common/bytes.h"
#include "../common/text.h"
#include "../judge/certificate.h"
#include "../judge/chain.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A new file in the folder dirfd; O_EXCL and O_NOFOLLOW: never an existing
 * file, never through a link planted under the name. */
static FILE *create_at(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	                0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f && fd >= 0) {
		/* an empty file left would pass for one an earlier run wrote */
		int err = errno;
		unlinkat(dirfd, name, 0);
		close(fd);
		errno = err;
	}
	return f;
}

/* Makes the folder name in dirfd (AT_FDCWD: a path) when it is missing and
 * opens it; a symbolic link in its place is refused (ELOOP or ENOTDIR). */
static int open_dir_at(int dirfd, const char *name)
{
	if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return -1;
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static void dir_error(const char *dir)
{
	fprintf(stderr, "certscope: --export-pem %s: %s%s\n", dir, strerror(errno),
	        errno == ELOOP || errno == ENOTDIR ? " (a symbolic link is not followed)"
	                                           : "");
}

/* The chains already written, by a hash of their certificates in order. */
struct chain_set {
	uint64_t *v;
	size_t cap, n;
};

/* True when h was not in the set (it is now); false when it was, or when
 * the set cannot grow (then nothing more is written). */
static bool chain_set_put(struct chain_set *s, uint64_t h)
{
	h = h ? h : 1;
	if (s->n * 2 >= s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		uint64_t *nv = calloc(cap, sizeof(*nv));
		if (!nv)
			return false;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->v[i])
				continue;
			size_t k = s->v[i] & (cap - 1);
			while (nv[k])
				k = (k + 1) & (cap - 1);
			nv[k] = s->v[i];
		}
		free(s->v);
		s->v = nv;
		s->cap = cap;
	}
	size_t k = h & (s->cap - 1);
	while (s->v[k]) {
		if (s->v[k] == h)
			return false;
		k = (k + 1) & (s->cap - 1);
	}
	s->v[k] = h;
	s->n++;
	return true;
}

struct exporter {
	char *dir;
	int dirfd;
	bool created;   /* made by this run, so it may be handed over */
	int disk_errno; /* the disk's error that stopped the export, or 0 */
	struct chain_set sent, completed;
	struct export_stats st;
};

struct exporter *exporter_new(const char *dir)
{
	struct exporter *x = calloc(1, sizeof(*x));
	if (!x || !(x->dir = strdup(dir))) {
		free(x);
		return NULL;
	}
	x->created = mkdir(dir, 0755) == 0;
	if ((x->dirfd = open_dir_at(AT_FDCWD, dir)) < 0 ||
	    faccessat(x->dirfd, ".", W_OK | X_OK, AT_EACCESS) < 0) {
		dir_error(dir);
		if (x->dirfd >= 0)
			close(x->dirfd);
		free(x->dir);
		free(x);
		return NULL;
	}
	return x;
}

int exporter_hand_over(struct exporter *x, uid_t uid, gid_t gid)
{
	struct stat st;
	if (x->created)
		return fchown(x->dirfd, uid, gid);
	if (fstat(x->dirfd, &st) < 0)
		return -1;
	mode_t bit = st.st_uid == uid ? S_IWUSR : st.st_gid == gid ? S_IWGRP : S_IWOTH;
	if (st.st_mode & bit)
		return 0;
	errno = EACCES;
	return -1;
}

void exporter_free(struct exporter *x)
{
	if (!x)
		return;
	close(x->dirfd);
	free(x->sent.v);
	free(x->completed.v);
	free(x->dir);
	free(x);
}

const struct export_stats *exporter_stats(const struct exporter *x)
{
	return &x->st;
}

bool export_exists(struct exporter *x, const char *path)
{
	struct stat st;
	return fstatat(x->dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

void exporter_kits_written(struct exporter *x, uint64_t n)
{
	x->st.kits += n;
}

const char *exporter_dir(const struct exporter *x)
{
	return x->dir;
}

/* The comment lines before one PEM block: position, subject, issuer,
 * expiry and fingerprint, certificate text escaped. */
void pem_comment(FILE *f, size_t pos, size_t n, const char *subject, const char *issuer,
                 time_t not_after, const char *sha256, const char *note)
{
	char when[32];
	char *s = subject ? escape_text((const uint8_t *)subject, strlen(subject)) : NULL;
	char *i = issuer ? escape_text((const uint8_t *)issuer, strlen(issuer)) : NULL;
	/* a note may quote a path given on the command line */
	char *e = note ? escape_text((const uint8_t *)note, strlen(note)) : NULL;
	if (not_after)
		time_format(not_after, when, sizeof(when));
	fprintf(f, "# %zu of %zu%s%s\n", pos + 1, n, e ? ": " : "", e ? e : "");
	free(e);
	fprintf(f, "#   subject:   %s\n", s ? s : "(not decodable)");
	fprintf(f, "#   issuer:    %s\n", i ? i : "(not decodable)");
	fprintf(f, "#   not after: %s\n", not_after ? when : "(unknown)");
	fprintf(f, "#   SHA-256:   %s\n", sha256);
	free(s);
	free(i);
}

/* A chain's name: the server's address and port, the side whose chain it
 * is and a short hash of its certificates in order. */
static uint64_t chain_name(const struct handshake *hs, const struct chain *ch, int side,
                           char *name, size_t len)
{
	uint64_t h = 0;
	for (size_t i = 0; i < ch->n; i++) {
		uint8_t step[8 + 64];
		for (int b = 0; b < 8; b++)
			step[b] = (uint8_t)(h >> (8 * b));
		memcpy(step + 8, ch->certs[i]->sha256, 64);
		h = der_hash(step, sizeof(step));
	}
	char sv[ENDPOINT_ADDRSTRLEN];
	endpoint_file_token(&hs->server, sv, sizeof(sv));
	snprintf(name, len, "%s_%u_%s_%012llx.pem", sv, hs->server.port,
	         side == SIDE_SERVER ? "server" : "client",
	         (unsigned long long)(h & 0xffffffffffffULL));
	return h;
}

static const char *position(size_t i, size_t n, bool self_signed)
{
	return i == 0        ? "the leaf"
	       : self_signed ? "a root"
	       : i + 1 == n  ? "the top"
	                     : NULL;
}

/* The folder sub ("a" or "a/b", each made when missing) of the export
 * folder, opened; -1 with errno set. */
static int open_sub(struct exporter *x, const char *sub)
{
	char first[256];
	const char *slash = strchr(sub, '/');
	if (!slash)
		return open_dir_at(x->dirfd, sub);
	snprintf(first, sizeof(first), "%.*s", (int)(slash - sub), sub);
	int fd = open_dir_at(x->dirfd, first);
	if (fd < 0)
		return -1;
	int sfd = open_dir_at(fd, slash + 1);
	int err = errno;
	close(fd);
	errno = err;
	return sfd;
}

/* Writes f with put and closes it; 0, or the error.  A file not written
 * whole is removed: a partial PEM file must never look like a whole one.
 * Nor one written short of memory, whose texts put left out or wrote as
 * unknown ("(not decodable)", "?"). */
static int write_whole(int dirfd, const char *name, FILE *f,
                       bool (*put)(FILE *, const void *), const void *arg)
{
	uint64_t failures = alloc_failures();
	errno = 0;
	bool ok = put(f, arg) && fflush(f) == 0 && !ferror(f);
	int err = ok ? 0 : errno ? errno : EIO;
	if (!err && alloc_failures() != failures)
		err = ENOMEM;
	if (fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	if (err)
		unlinkat(dirfd, name, 0);
	return err;
}

/* A disk that filled (or failed) takes no more files: one message, then
 * each file is counted (export_report()). */
static bool disk_failed(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EIO || err == EROFS;
}

int export_file(struct exporter *x, const char *sub, const char *name,
                bool (*put)(FILE *, const void *), const void *arg)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s/%s", x->dir, sub, name);
	if (x->disk_errno) {
		x->st.failed++;
		return -1;
	}
	int subfd = open_sub(x, sub);
	FILE *f = subfd >= 0 ? create_at(subfd, name) : NULL;
	int err = errno;
	struct stat st;
	if (!f && err == EEXIST &&
	    (!strcmp(sub, "chains") || !strcmp(sub, "completed")) && subfd >= 0 &&
	    fstatat(subfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
		close(subfd);
		return 0; /* the same chain, written by an earlier run */
	}
	if (f)
		err = write_whole(subfd, name, f, put, arg);
	if (subfd >= 0)
		close(subfd);
	if (err) {
		fprintf(stderr, "certscope: cannot write %s: %s%s\n", path, strerror(err),
		        f               ? "; the part written was removed"
		        : err == EEXIST ? " (not a file certscope wrote: left as it is)"
		                        : "");
		x->st.failed++;
		if (disk_failed(err))
			x->disk_errno = err;
		return -1;
	}
	return 1;
}

int export_report(const struct exporter *x)
{
	if (!x->st.failed)
		return 0;
	fprintf(stderr,
	        "certscope: --export-pem %s: %" PRIu64 " file%s not written%s%s%s\n",
	        x->dir, x->st.failed, x->st.failed == 1 ? "" : "s",
	        x->disk_errno ? " (" : "", x->disk_errno ? strerror(x->disk_errno) : "",
	        x->disk_errno == ENOSPC || x->disk_errno == EDQUOT
	            ? "): free space on its disk, or export elsewhere"
	        : x->disk_errno ? ")"
	                        : "");
	return -1;
}

struct sent_chain {
	const struct handshake *hs;
	const struct chain *ch;
	int side;
};

static bool put_sent(FILE *f, const void *arg)
{
	const struct sent_chain *s = arg;
	char cl[ENDPOINT_ADDRSTRLEN + 8], sv[ENDPOINT_ADDRSTRLEN + 8], when[32];
	endpoint_text(&s->hs->client, true, cl, sizeof(cl));
	endpoint_text(&s->hs->server, true, sv, sizeof(sv));
	time_format(s->hs->ts.tv_sec, when, sizeof(when));
	fprintf(f,
	        "# certscope: the chain the %s sent, as sent (first seen %s, %s -> %s)\n",
	        s->side == SIDE_SERVER ? "server" : "client", when, cl, sv);
	bool ok = true;
	for (size_t i = 0; i < s->ch->n && ok; i++) {
		const struct cert *c = s->ch->certs[i];
		pem_comment(f, i, s->ch->n, c->subject, c->issuer,
		            c->have_validity ? c->not_after : 0, c->sha256,
		            position(i, s->ch->n, c->self_signed));
		/* the bytes as sent, even when OpenSSL cannot decode them */
		ok = pem_write_der(f, c->der, c->der_len);
	}
	return ok;
}

static bool put_completed(FILE *f, const void *arg)
{
	const struct chain_check *cc = arg;
	int n = chain_check_length(cc);
	const char *label = cc->store ? cc->store->label : "the store";
	char *e = escape_text((const uint8_t *)label, strlen(label));
	fprintf(f, "# certscope: the chain completed from %s, verified\n",
	        e ? e : "the store");
	free(e);
	bool ok = true;
	for (int i = 0; i < n && ok; i++) {
		const struct chain_link *l = chain_link_at(cc, i);
		ok = l != NULL;
		if (!ok)
			break;
		pem_comment(f, (size_t)i, (size_t)n, l->subject, l->issuer, l->not_after,
		            l->sha256,
		            cc->from_store && cc->from_store[i] ? "from the store"
		                                                : "sent");
		ok = pem_write_der(f, l->der, l->der_len);
	}
	return ok;
}

int export_handshake(struct exporter *x, const struct handshake *hs,
                     const struct verdict *v)
{
	int written = 0;
	bool failed = false; /* the other files are still written */
	for (int side = SIDE_SERVER; side >= SIDE_CLIENT; side--) {
		const struct chain *ch = &v->chains[side];
		char name[256];
		if (ch->n == 0)
			continue;
		uint64_t h = chain_name(hs, ch, side, name, sizeof(name));
		if (chain_set_put(&x->sent, h)) {
			struct sent_chain s = {hs, ch, side};
			int r = export_file(x, "chains", name, put_sent, &s);
			failed |= r < 0;
			x->st.chains += r > 0;
			written += r > 0;
		}
		const struct chain_check *cc = v->check[side];
		if (cc && cc->verified && chain_set_put(&x->completed, h)) {
			int r = export_file(x, "completed", name, put_completed, cc);
			failed |= r < 0;
			x->st.completed += r > 0;
			written += r > 0;
		}
	}
	return failed ? -1 : written;
}

struct der_list {
	const unsigned char *const *der;
	const size_t *len;
	size_t n;
};

static bool put_der_list(FILE *f, const void *arg)
{
	const struct der_list *l = arg;
	bool ok = true;
	for (size_t i = 0; i < l->n; i++)
		/* as write_der(): an empty certificate writes 0 bytes and is no error */
		ok = ok && pem_write_der(f, l->der[i], l->len[i]);
	return ok;
}

int export_der_chain(int dirfd, const char *dir, const char *name,
                     const unsigned char *const *der, const size_t *len, size_t n,
                     char *path, size_t pathlen)
{
	char file[512];
	if (mkdirat(dirfd, dir, 0755) < 0 && errno != EEXIST)
		return -1;
	int dfd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int fd = -1;
	for (int i = 0; i < 1000 && fd < 0; i++) {
		if (i == 0)
			snprintf(file, sizeof(file), "%s.pem", name);
		else
			snprintf(file, sizeof(file), "%s.%d.pem", name, i);
		fd = openat(dfd, file,
		            O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0) {
			close(fd);
			unlinkat(dfd, file, 0);
		}
		close(dfd);
		return -1;
	}
	struct der_list l = {der, len, n};
	int err = write_whole(dfd, file, f, put_der_list, &l);
	close(dfd);
	if (err) {
		errno = err;
		return -1;
	}
	if (path)
		snprintf(path, pathlen, "%s/%s", dir, file);
	return 0;
}
