/* fuzz.h: what the fuzz targets of tests/fuzz share.
 *
 * Each target defines LLVMFuzzerInitialize and LLVMFuzzerTestOneInput.  It
 * is linked with libFuzzer when meson is set up with -Dfuzz=true (clang),
 * and always with replay.c, whose main() runs every file it is given once,
 * so the seed corpora and the regression inputs are replayed by `meson test`
 * in every build, sanitized or not.
 *
 * Besides not crashing, the targets check a property of what certscope
 * writes: NDJSON lines are valid JSON made of printable ASCII, and the text
 * report holds no control character and no byte outside ASCII but the tree
 * drawing.  A violation calls fuzz_fail(), which aborts.
 *
 * An allocation that fails (a -Dfail_alloc=true build, failures.h) is no
 * violation: the target leaves out what it was for, frees the rest and
 * returns.
 */
#ifndef CERTSCOPE_FUZZ_H
#define CERTSCOPE_FUZZ_H

#include "common/config.h"
#include "dissect/tls.h"
#include "judge/truststore.h"
#include "judge/verdict.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The folder of the samples (certscope's samples/), for trust stores. */
#ifndef CERTSCOPE_SAMPLES
#define CERTSCOPE_SAMPLES "samples"
#endif

/* A fixed verification time (2026-11-23), so a run does not depend on the
 * day it is made. */
#define FUZZ_NOW ((time_t)1795460000)

__attribute__((noreturn)) void fuzz_fail(const char *what, const char *buf, size_t len);

/* Checks NDJSON: every line one JSON object, printable ASCII only. */
void fuzz_check_json(const char *buf, size_t len);
/* Checks the text report: no control character but newline, nothing outside
 * ASCII but the tree drawing characters. */
void fuzz_check_report(const char *buf, size_t len);

/* The bytes as an anonymous file; returns its descriptor and writes a path
 * that opens it (/proc/self/fd/N) into path.  -1 on failure. */
int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t pathlen);

/* A temporary folder for --export-pem, made once; fuzz_export_clean()
 * empties it (and its completed/ folder) between inputs. */
const char *fuzz_export_dir(void);
void fuzz_export_clean(void);

/* /dev/null as a FILE, for the notes certscope writes on standard error. */
FILE *fuzz_devnull(void);

/* Writes hs and its verdict as NDJSON and as a report to memory, checks
 * both, and exports its chains when export is true.  An allocation that
 * fails leaves out what it was for (failures.h). */
void fuzz_render(const struct handshake *hs, const struct verdict *v, bool export);

/* Judges hs with j and renders it (fuzz_render), unless an allocation
 * failed while it was judged: main.c leaves such a verdict out. */
struct judge;
void fuzz_judge_render(struct judge *j, const struct handshake *hs, bool export);

#endif
