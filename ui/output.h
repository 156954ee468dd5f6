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
#include "../judge/judge.h"
#include "../judge/truststore.h"

#include <stdio.h>

struct run_totals {
	const struct source_stats *src;
	const struct reassembly_stats *tcp;
	const struct dissect_stats *tls;
	const struct judge_stats *judged;
	struct findings *findings;     /* may be NULL */
	uint64_t failed;               /* handshakes that ended in an alert or aborted */
	const struct trust_set *trust; /* the stores used, for the summary */
	uint64_t exported;
	uint64_t export_failed;
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

/* Makes dir when it is missing and checks that files can be made in it,
 * before any input is read; 0, or -1 with the reason on stderr. */
int export_check_dir(const char *dir);

/* Writes each presented chain of hs to dir; returns the number of files
 * written, -1 on an error (reported on stderr). */
int export_handshake(const char *dir, const struct handshake *hs,
                     const struct verdict *v);

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
