/* failures.h: the fuzz targets under allocation failures.
 *
 * In a build with -Dfail_alloc=true (tests/faults/failalloc.c) the replay
 * (replay.c) can fail the Nth allocation of each input.  A target then does
 * what the command line does: what could not be made is left out (a
 * verdict made while an allocation failed is not written, as in main.c),
 * what was made is freed, and it returns; none of that is a finding.  Its
 * checks of what was written stay as strict (fuzz.h), and its sweep
 * (CERTSCOPE_FAIL_SWEEP, replay.c) holds each run to the input's run
 * without failures, the reference:
 *
 *  - a run in which no allocation failed writes exactly what the reference
 *    wrote (the NDJSON, the report, the files exported);
 *  - any run writes only certificates the reference wrote, each whole and
 *    alike (a certificate's NDJSON object, a PEM block exported, the DER of
 *    an emitted handshake), and a chain file the reference wrote, when it
 *    writes it, alike.  Short of memory a chain may lose a certificate,
 *    and its file then has another name.
 *
 * A check that cannot hold once an allocation failed (an export written
 * whole) is made only while fuzz_failed() is false.  Outside the sweep
 * (plain replay, libFuzzer) nothing is recorded and nothing compared. */
#ifndef CERTSCOPE_FUZZ_FAILURES_H
#define CERTSCOPE_FUZZ_FAILURES_H

#include <stdbool.h>
#include <stddef.h>

enum fuzz_pass {
	FUZZ_PLAIN,     /* no sweep */
	FUZZ_REFERENCE, /* the sweep's first run of an input: recorded */
	FUZZ_COMPARED,  /* the sweep's other runs: compared with it */
};

/* What a certificate was written as, for fuzz_written_cert(). */
enum fuzz_cert_form {
	FUZZ_CERT_JSON, /* an object of an NDJSON certificate list */
	FUZZ_CERT_FILE, /* a chain file exported (fuzz_written_file) */
	FUZZ_CERT_PEM,  /* one PEM block of any file exported */
	FUZZ_CERT_DER,  /* a certificate of an emitted struct handshake */
};

/* replay.c, before each run of an input and after it.  fuzz_input_end()
 * returns false (and says why on standard error) when a compared run in
 * which no allocation failed wrote something other than the reference. */
void fuzz_input_begin(enum fuzz_pass pass);
bool fuzz_input_end(void);

/* True when an allocation failed since the input began. */
bool fuzz_failed(void);

/* Bytes written (NDJSON, report, an exported file), for the comparison of
 * a run without failures; order_free: compared as a set (files, whose
 * order on disk is not certscope's). */
void fuzz_written(const void *p, size_t n, bool order_free);

/* A certificate written: recorded by the reference; in a compared run one
 * the reference did not write is a failure (the process aborts). */
void fuzz_written_cert(enum fuzz_cert_form form, const void *p, size_t n);

/* A file exported, named by its path in the export folder: written (as a
 * set), and for a chain file (chains/, completed/) held to the reference's
 * file of that name, if any. */
void fuzz_written_file(const char *name, const char *text, size_t len);

#endif
