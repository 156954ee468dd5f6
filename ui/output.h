/* output.h: the writers of what certscope found: the text report, NDJSON
 * and PEM files.  They borrow the handshake they are given. */
#ifndef CERTSCOPE_OUTPUT_H
#define CERTSCOPE_OUTPUT_H

#include "../capture/reassembly.h"
#include "../capture/source.h"
#include "../common/config.h"
#include "../dissect/dissect.h"
#include "../dissect/tls.h"
#include "../judge/truststore.h"

#include <stdio.h>

struct run_totals {
	const struct source_stats *src;
	const struct reassembly_stats *tcp;
	const struct dissect_stats *tls;
	const struct trust_set *trust; /* the stores used, for the summary */
	uint64_t exported;
	uint64_t export_failed;
};

void json_handshake(FILE *out, const struct handshake *hs);
void json_summary(FILE *out, const struct run_totals *t);
/* Frees the certificate objects json_handshake() keeps for reuse. */
void json_cache_free(void);

void report_handshake(FILE *out, const struct handshake *hs, bool color);
void report_summary(FILE *out, const struct run_totals *t, bool color);

/* Writes each presented chain of hs to dir; returns the number of files
 * written, -1 on an error (reported on stderr). */
int export_handshake(const char *dir, const struct handshake *hs);

/* Writes n DER certificates as PEM to dir/name.pem (name.N.pem when that
 * exists), never overwriting a file nor following a link; the path written
 * goes to path (may be NULL).  Returns 0, or -1 with errno set. */
int export_der_chain(const char *dir, const char *name, const unsigned char *const *der,
                     const size_t *len, size_t n, char *path, size_t pathlen);

/* JSON string literal, quotes included. */
void json_string(FILE *out, const char *s);

#endif
