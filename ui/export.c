/* export.c: presented chains as PEM files.  A file's name is built from the
 * handshake's time, addresses, ports and side only, never from certificate
 * text; an existing file is never overwritten, and no symbolic link is
 * followed: not the folder, not its completed/ folder, not a file. */
#include "output.h"

#include "../judge/certificate.h"
#include "../judge/chain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Addresses with ':' (IPv6) get '-' instead, so names work on any disk. */
static void addr_token(const struct endpoint *e, char *buf, size_t len)
{
	endpoint_addr_str(e, buf, len);
	for (char *p = buf; *p; p++)
		if (*p == ':')
			*p = '-';
}

/* A new file in the folder dirfd; O_EXCL and O_NOFOLLOW: never an existing
 * file, never through a link planted under the name. */
static FILE *create_at(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	                0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f && fd >= 0)
		close(fd);
	return f;
}

static FILE *create_unique(int dirfd, const char *dir, const char *base, char *path,
                           size_t len)
{
	for (int i = 0; i < 1000; i++) {
		if (i == 0)
			snprintf(path, len, "%s/%s.pem", dir, base);
		else
			snprintf(path, len, "%s/%s.%d.pem", dir, base, i);
		FILE *f = create_at(dirfd, strrchr(path, '/') + 1);
		if (f)
			return f;
		if (errno != EEXIST)
			return NULL;
	}
	errno = EEXIST;
	return NULL;
}

/* Makes the folder name in dirfd (AT_FDCWD: a path) when it is missing and
 * opens it; a symbolic link in its place is refused (ELOOP or ENOTDIR). */
static int open_dir_at(int dirfd, const char *name)
{
	if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return -1;
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* The bytes as sent, even when OpenSSL cannot decode them. */
static bool write_der(FILE *f, const struct cert *c)
{
	return pem_write_der(f, c->der, c->der_len);
}

/* The completed chain (what was sent plus what the store supplied) under
 * the name the presented chain got, in dir/completed. */
static int export_completed(int dirfd, const char *dir, const char *name,
                            const struct chain_check *cc)
{
	char sub[4096], path[8192];
	snprintf(sub, sizeof(sub), "%s/completed", dir);
	int subfd = open_dir_at(dirfd, "completed");
	if (subfd < 0) {
		fprintf(stderr, "certscope: %s: %s\n", sub, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", sub, name);
	FILE *f = create_at(subfd, name);
	int err = errno;
	close(subfd);
	if (!f) {
		fprintf(stderr, "certscope: cannot write %s: %s\n", path, strerror(err));
		return -1;
	}
	bool ok = true;
	for (int i = 0; i < chain_check_length(cc); i++) {
		const struct chain_link *l = chain_link_at(cc, i);
		ok = ok && l && pem_write_der(f, l->der, l->der_len);
	}
	if (fclose(f) != 0 || !ok) {
		fprintf(stderr, "certscope: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static void dir_error(const char *dir)
{
	fprintf(stderr, "certscope: --export-pem %s: %s%s\n", dir, strerror(errno),
	        errno == ELOOP || errno == ENOTDIR ? " (a symbolic link is not followed)"
	                                           : "");
}

int export_check_dir(const char *dir)
{
	int dirfd = open_dir_at(AT_FDCWD, dir);
	if (dirfd < 0 || faccessat(dirfd, ".", W_OK | X_OK, AT_EACCESS) < 0) {
		dir_error(dir);
		if (dirfd >= 0)
			close(dirfd);
		return -1;
	}
	close(dirfd);
	return 0;
}

int export_handshake(const char *dir, const struct handshake *hs, const struct verdict *v)
{
	char cl[ENDPOINT_ADDRSTRLEN], sv[ENDPOINT_ADDRSTRLEN], when[32], base[256],
	    path[4096];
	struct tm tm;
	time_t t = hs->ts.tv_sec;
	int written = -1;
	addr_token(&hs->client, cl, sizeof(cl));
	addr_token(&hs->server, sv, sizeof(sv));
	/* a capture's time may be beyond what gmtime can represent */
	if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y%m%dT%H%M%S", &tm))
		snprintf(when, sizeof(when), "%lld", (long long)t);
	int dirfd = open_dir_at(AT_FDCWD, dir);
	if (dirfd < 0) {
		dir_error(dir);
		return -1;
	}
	written = 0;
	for (int side = SIDE_SERVER; side >= SIDE_CLIENT; side--) {
		const struct chain *ch = &v->chains[side];
		if (ch->n == 0)
			continue;
		snprintf(base, sizeof(base), "%s.%06ld_%s_%u-%s_%u_%s", when,
		         (long)hs->ts.tv_usec, cl, hs->client.port, sv, hs->server.port,
		         side == SIDE_SERVER ? "server" : "client");
		FILE *f = create_unique(dirfd, dir, base, path, sizeof(path));
		if (!f) {
			fprintf(stderr, "certscope: cannot write %s: %s\n", path,
			        strerror(errno));
			written = -1;
			break;
		}
		bool ok = true;
		for (size_t i = 0; i < ch->n; i++)
			ok = ok && write_der(f, ch->certs[i]);
		if (fclose(f) != 0 || !ok) {
			fprintf(stderr, "certscope: cannot write %s\n", path);
			written = -1;
			break;
		}
		written++;
		if (v->check[side] && export_completed(dirfd, dir, strrchr(path, '/') + 1,
		                                       v->check[side]) < 0) {
			written = -1;
			break;
		}
	}
	close(dirfd);
	return written;
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
	close(dfd);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	bool ok = true;
	for (size_t i = 0; i < n; i++)
		/* as write_der(): an empty certificate writes 0 bytes and is no error */
		ok = ok && pem_write_der(f, der[i], len[i]);
	if (fclose(f) != 0 || !ok)
		return -1;
	if (path)
		snprintf(path, pathlen, "%s/%s", dir, file);
	return 0;
}
