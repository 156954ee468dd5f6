/* output.h: the writers of what certscope found: the text report, NDJSON
 * and PEM files.  They borrow the handshake and its verdict, render plain
 * data and call nothing of OpenSSL. */
#ifndef CERTSCOPE_OUTPUT_H
#define CERTSCOPE_OUTPUT_H

#include "../capture/reassembly.h"
#include "../capture/source.h"
#include "../common/config.h"
#include "../dissect/dissect.h"
#include "../dissect/tls.h"
#include "../judge/findings.h"
#include "../judge/fixkit.h"
#include "../judge/judge.h"
#include "../judge/truststore.h"

#include <stdio.h>
#include <sys/types.h>

struct run_totals {
	const struct source_stats *src;
	const struct reassembly_stats *tcp;
	const struct dissect_stats *tls;
	const struct judge_stats *judged;
	struct findings *findings;     /* may be NULL */
	uint64_t failed;               /* handshakes that ended in an alert or aborted */
	const struct trust_set *trust; /* the stores used, for the summary */
	const struct export_stats *exported; /* NULL without --export-pem */
};

/* The NDJSON writer: it keeps the objects of certificates it wrote, by
 * fingerprint, for the next handshake that sends them. */
struct json_writer;
struct json_writer *json_writer_new(FILE *out);
void json_writer_free(struct json_writer *w);
void json_handshake(struct json_writer *w, const struct handshake *hs,
                    const struct verdict *v, const char *file);
/* One "finding" object a line, worst first. */
void json_findings(FILE *out, struct findings *f);
void json_summary(FILE *out, const struct run_totals *t);

void report_handshake(FILE *out, const struct handshake *hs, const struct verdict *v,
                      bool color);
void report_summary(FILE *out, const struct run_totals *t, bool color);
/* The report's first lines: inputs, the stores and whose each is, the
 * verification time (and that the system's store only informs). */
void report_header(FILE *out, const struct config *cfg, const struct trust_set *trust);
/* The findings in full, worst first, then the servers that were healthy;
 * their sentences wrapped to width columns (0: not wrapped). */
void report_findings(FILE *out, struct findings *f, bool color, int width, bool utf8);
/* One finding in full, as report_findings() writes each. */
void report_finding(FILE *out, const struct finding *x, bool color, int width, bool utf8);

/* A connection's ladder (ladder.c): a header line and one line a step,
 * each indent spaces in, the arrows width columns wide (ladder_width()
 * for a screen of columns, 0: not a terminal); UTF-8 box drawing when
 * utf8, else ASCII. */
int ladder_width(int columns, size_t indent);
void report_ladder(FILE *out, const struct ladder *l, size_t indent, int width,
                   bool utf8);

/* The export folder (--export-pem): what was written to it so far. */
struct export_stats {
	uint64_t chains, completed, kits;
	uint64_t failed; /* files that could not be written (said on stderr) */
};
struct exporter;
/* Makes dir when it is missing, opens it and checks that files can be made
 * in it, before any input is read; NULL with the reason on stderr. */
struct exporter *exporter_new(const char *dir);
void exporter_free(struct exporter *x);
/* Before a drop of privileges to uid: a folder this run made becomes that
 * user's; -1 with errno set when one it did not make is not theirs to
 * write (the files and folders made in it later are made as that user). */
int exporter_hand_over(struct exporter *x, uid_t uid, gid_t gid);
const struct export_stats *exporter_stats(const struct exporter *x);
const char *exporter_dir(const struct exporter *x);
void exporter_kits_written(struct exporter *x, uint64_t n);
/* Writes each chain of hs not written before to chains/, and to completed/
 * when it verified; the files written, or -1 on an error (said on
 * stderr). */
int export_handshake(struct exporter *x, const struct handshake *hs,
                     const struct verdict *v);
/* A new file name in the folder sub ("fixes/KIT") of the export folder,
 * written by put; 1, 0 for a chain an earlier run wrote, -1 on an error. */
int export_file(struct exporter *x, const char *sub, const char *name,
                bool (*put)(FILE *, const void *), const void *arg);
/* The comment lines before a PEM block: position (of n), subject, issuer,
 * not after (0: unknown), SHA-256 and a note (may be NULL). */
void pem_comment(FILE *f, size_t pos, size_t n, const char *subject, const char *issuer,
                 time_t not_after, const char *sha256, const char *note);
/* At the end: the files that could not be written, said in one line on
 * stderr (with the disk's error that stopped the export); 0 when none, else
 * -1 (the run's exit status is 2). */
int export_report(const struct exporter *x);
/* The folder under fixes/ a kit named name is to be written to: name, or
 * when an earlier run's kit took it, name.1, name.2 ... */
void export_kit_folder(struct exporter *x, const char *name, char out[FIXKIT_NAME_MAX]);
/* Writes fixes/<kit>/ for each kit; the kits written, and which in written
 * (n of them; may be NULL). */
int export_kits(struct exporter *x, const struct fix_kit *kits, size_t n, bool *written);
/* Whether the path (relative to the export folder) exists, links
 * included. */
bool export_exists(struct exporter *x, const char *path);

/* text after lead, wrapped at spaces to width columns (0: one line), the
 * lines after the first indented by indent. */
void put_wrapped(FILE *out, const char *lead, const char *text, int width, int indent);

/* Writes n DER certificates as PEM to dir/name.pem (name.N.pem when that
 * exists), dir relative to the folder dirfd (AT_FDCWD: the current one),
 * never overwriting a file nor following a link; the path written (dir/...)
 * goes to path (may be NULL).  Returns 0, or -1 with errno set. */
int export_der_chain(int dirfd, const char *dir, const char *name,
                     const unsigned char *const *der, const size_t *len, size_t n,
                     char *path, size_t pathlen);

/* JSON string literal, quotes included. */
void json_string(FILE *out, const char *s);

#endif
