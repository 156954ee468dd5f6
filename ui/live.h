/* live.h: the ncurses live view.
 *
 * The capture runs in its own thread and hands each finished handshake to
 * live_add(), which copies what the view needs (the row, the text of the
 * detail screen, the chains for export) under a lock; the view runs in the
 * main thread in live_run() and never waits on the capture.
 */
#ifndef CERTSCOPE_LIVE_H
#define CERTSCOPE_LIVE_H

#include "../common/config.h"
#include "../dissect/tls.h"
#include "../judge/verdict.h"

#include <stdint.h>

struct live;
struct run_totals;
struct findings;
struct trust_set;

/* findings is borrowed: the view fills it (findings_add()) under its lock
 * while it runs, and the caller reads it once live_run() has returned and
 * the capture thread has ended. */
struct live *live_new(const struct config *cfg, const struct trust_set *trust,
                      struct findings *findings, const char *source, const char *filter);
void live_free(struct live *lv);

/* Where e and w write: the current folder, opened now (call it before
 * root is dropped); when the user who captures from then on (user, uid,
 * gid; NULL when nobody is dropped to) cannot write there, a folder
 * certscope-live in it made theirs.  What was chosen is said in the view. */
void live_output(struct live *lv, const char *user, unsigned uid, unsigned gid);

/* From the capture thread. */
void live_add(struct live *lv, const struct handshake *hs, const struct verdict *v,
              const char *file);
/* The counters so far (copied). */
void live_publish(struct live *lv, const struct run_totals *t);
/* A note for the view's message line (copied). */
void live_note(struct live *lv, const char *msg);
/* The capture ended (end of the files, or an error: msg, may be NULL). */
void live_capture_done(struct live *lv, const char *msg);

#include <signal.h>

/* The view also quits when *flag becomes non-zero (SIGINT, SIGTERM). */
void live_quit_on(struct live *lv, volatile sig_atomic_t *flag);

/* Runs the view until the user quits; returns 0, or -1 when the terminal
 * could not be set up. */
int live_run(struct live *lv);

#endif
