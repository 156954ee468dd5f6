/* faults.h: what the machine does to a run, and how certscope answers
 * (certscope(1), "SIGNALS" and "EXIT STATUS"): SIGINT, SIGTERM and SIGHUP
 * end the capture and the run finishes as at the end of its input; a
 * standard output that closes (a pipe whose reader left) ends the run at
 * once and quietly; a standard output that cannot be written (a full disk)
 * is named with its error; allocations that failed are said at the end.
 * Each of the last three makes the exit status 2, or the run's end by
 * SIGPIPE for the closed pipe. */
#ifndef CERTSCOPE_FAULTS_H
#define CERTSCOPE_FAULTS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Installs the handlers; the flag becomes non-zero on SIGINT, SIGTERM or
 * SIGHUP (the live view quits on it). */
void faults_catch_signals(void);
volatile sig_atomic_t *faults_interrupted(void);
/* True once a write found standard output closed (EPIPE). */
bool faults_pipe_closed(void);
/* After each write to out: the first error is kept for faults_finish(). */
void faults_check_output(FILE *out);
/* At the end of the run: flushes standard output, says what was lost
 * (output not written, allocations that failed, the signal that ended the
 * capture) and returns the exit status from rc. */
int faults_finish(int rc, uint64_t handshakes_lost);
/* After everything is freed: a run cut short by a closed pipe ends as one
 * killed by SIGPIPE (the shell's 141), as cat and grep do. */
void faults_exit(void);

#endif
