/* live_files.c: what e and w write from the live view, and where.
 *
 * A live capture started as root drops to another user once the device is
 * open (tcpdump's -Z), and that user may not write the folder certscope was
 * started in.  So the folder is opened before the drop (live_output()) and
 * every file is made with openat() in it; when the user that captures
 * cannot write it, a folder certscope-live in it is made theirs first.
 * Names are numbered rather than overwritten, and each outcome, with the
 * full path, is said on the view's message line.
 */
#include "live_rows.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LIVE_DIR "certscope-live"

/* Whether the mode bits of st let uid (of group gid) make files in it. */
static bool writable_by(const struct stat *st, unsigned uid, unsigned gid)
{
	if (st->st_uid == uid)
		return (st->st_mode & S_IWUSR) && (st->st_mode & S_IXUSR);
	if (st->st_gid == gid)
		return (st->st_mode & S_IWGRP) && (st->st_mode & S_IXGRP);
	return (st->st_mode & S_IWOTH) && (st->st_mode & S_IXOTH);
}

void live_output(struct live *lv, const char *user, unsigned uid, unsigned gid)
{
	struct stat st;
	int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || !getcwd(lv->out_path, sizeof(lv->out_path))) {
		snprintf(
		    lv->message, sizeof(lv->message),
		    "e and w write nowhere: the current folder cannot be opened (%s)",
		    strerror(errno));
		if (cwd >= 0)
			close(cwd);
		return;
	}
	lv->out_fd = cwd;
	if (!user || fstat(cwd, &st) < 0 || writable_by(&st, uid, gid))
		return;
	/* the user who captures from now on cannot write here: a folder of
	 * theirs in it, never through a link planted under its name */
	int fd = -1;
	if (mkdirat(cwd, LIVE_DIR, 0755) == 0 || errno == EEXIST)
		fd = openat(cwd, LIVE_DIR,
		            O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchown(fd, uid, gid) < 0) {
		snprintf(
		    lv->message, sizeof(lv->message),
		    "user %s cannot write %.300s, nor a folder %s in it (%s): e and w "
		    "will fail unless given a folder they can write",
		    user, lv->out_path, LIVE_DIR, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(cwd);
	lv->out_fd = fd;
	size_t k = strlen(lv->out_path);
	snprintf(lv->out_path + k, sizeof(lv->out_path) - k, "%s%s",
	         k && lv->out_path[k - 1] == '/' ? "" : "/", LIVE_DIR);
	snprintf(
	    lv->message, sizeof(lv->message),
	    "e and w write to %.300s (user %s, who captures, cannot write the folder "
	    "above)",
	    lv->out_path, user);
}

/* Where name (relative to the output folder, or absolute) is, in full. */
static void full_path(const struct live *lv, const char *name, char *buf, size_t len)
{
	if (name[0] == '/' || !lv->out_path[0])
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s/%s", lv->out_path, name);
}

static int out_dir(const struct live *lv)
{
	return lv->out_fd >= 0 ? lv->out_fd : AT_FDCWD;
}

/* Writes the row's chains as PEM under dir. */
static void export_row(struct live *lv, const struct row *r, const char *dir)
{
	int written = 0;
	char path[4096] = "", full[8192];
	for (int s = SIDE_SERVER; s >= SIDE_CLIENT; s--) {
		char name[200];
		if (!r->sent[s].n)
			continue;
		snprintf(name, sizeof(name), "%s_%s", r->base,
		         s == SIDE_SERVER ? "server" : "client");
		if (export_der_chain(out_dir(lv), dir, name,
		                     (const unsigned char *const *)r->sent[s].der,
		                     r->sent[s].len, r->sent[s].n, path,
		                     sizeof(path)) < 0) {
			full_path(lv, dir, full, sizeof(full));
			snprintf(lv->message, sizeof(lv->message),
			         "export to %.400s failed: %s", full, strerror(errno));
			return;
		}
		written++;
		if (r->completed[s].n) {
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/completed", dir);
			const char *base = strrchr(path, '/');
			char cname[256];
			snprintf(cname, sizeof(cname), "%.*s", (int)strlen(base + 1) - 4,
			         base + 1);
			export_der_chain(
			    out_dir(lv), sub, cname,
			    (const unsigned char *const *)r->completed[s].der,
			    r->completed[s].len, r->completed[s].n, NULL, 0);
		}
	}
	full_path(lv, path, full, sizeof(full));
	if (written)
		snprintf(lv->message, sizeof(lv->message),
		         "wrote %d chain%s; the last: %.420s", written,
		         written > 1 ? "s" : "", full);
	else
		snprintf(lv->message, sizeof(lv->message),
		         "this handshake carried no certificate: nothing to export");
}

void export_key(struct live *lv, uint64_t seq)
{
	char dir[256] = "certscope-export";
	if (seq == UINT64_MAX) {
		snprintf(lv->message, sizeof(lv->message), "no handshake to export");
		return;
	}
	if (!prompt("export chains to folder: ", dir, sizeof(dir)) || !dir[0])
		return;
	pthread_mutex_lock(&lv->mu);
	const struct row *r = find_row(lv, seq);
	if (r)
		export_row(lv, r, dir);
	else
		snprintf(lv->message, sizeof(lv->message),
		         "that handshake is no longer kept");
	pthread_mutex_unlock(&lv->mu);
}

/* name, or name with .1, .2 ... before its extension: the first that does
 * not exist, made with O_EXCL and without following a link. */
static FILE *create_numbered(int dirfd, const char *name, char *used, size_t len)
{
	const char *dot = strrchr(name, '.');
	const char *slash = strrchr(name, '/');
	if (!dot || (slash && dot < slash) || dot == name)
		dot = name + strlen(name);
	for (int i = 0; i < 1000; i++) {
		if (i == 0)
			snprintf(used, len, "%s", name);
		else
			snprintf(used, len, "%.*s.%d%s", (int)(dot - name), name, i, dot);
		int fd =
		    openat(dirfd, used,
		           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0) {
			FILE *f = fdopen(fd, "w");
			if (!f)
				close(fd);
			return f;
		}
		if (errno != EEXIST)
			return NULL;
	}
	errno = EEXIST;
	return NULL;
}

/* The report as certscope writes it when the run ends: the header, every
 * handshake with -v, the findings, the summary; the caller holds mu. */
static void write_report(struct live *lv, FILE *f)
{
	const struct live_totals *c = &lv->totals;
	struct run_totals t = {
	    .src = &c->src,
	    .tcp = &c->tcp,
	    .tls = &c->tls,
	    .judged = &c->judged,
	    .findings = lv->findings,
	    .failed = c->failed,
	    .trust = lv->trust,
	    .exported = c->have_export ? &c->exported : NULL,
	};
	report_header(f, lv->cfg, lv->trust);
	for (size_t i = 0; lv->cfg->verbose && i < lv->n; i++)
		fputs(lv->rows[i]->detail ? lv->rows[i]->detail : "", f);
	if (lv->findings) {
		report_findings(f, lv->findings, false, 0, false);
		report_summary(f, &t, false);
	}
}

void report_key(struct live *lv)
{
	char name[256] = "certscope-report.txt", used[512], full[8192];
	if (!prompt("write the report to file: ", name, sizeof(name)) || !name[0])
		return;
	FILE *f = create_numbered(out_dir(lv), name, used, sizeof(used));
	full_path(lv, f ? used : name, full, sizeof(full));
	if (!f) {
		snprintf(lv->message, sizeof(lv->message), "cannot write %.400s: %s",
		         full, strerror(errno));
		return;
	}
	pthread_mutex_lock(&lv->mu);
	write_report(lv, f);
	uint64_t hs = lv->totals.tls.handshakes;
	uint64_t nf = lv->findings ? findings_stats(lv->findings).findings : 0;
	pthread_mutex_unlock(&lv->mu);
	bool ok = fclose(f) == 0;
	snprintf(lv->message, sizeof(lv->message),
	         "%s the report (%" PRIu64 " finding%s, %" PRIu64
	         " handshake%s) to %.400s",
	         ok ? "wrote" : "failed writing", nf, nf == 1 ? "" : "s", hs,
	         hs == 1 ? "" : "s", full);
}
