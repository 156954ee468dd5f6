/* faults.c: signals, a standard output that fails or closes, and memory
 * that ran out (faults.h). */
#include "faults.h"

#include "../capture/source.h"
#include "../common/alloc.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted, pipe_closed;
static int output_errno; /* the first error writing standard output */

static void on_signal(int sig)
{
	interrupted = sig;
	source_stop();
}

/* The reader left: nothing more is worth reading, nor saying. */
static void on_pipe(int sig)
{
	(void)sig;
	pipe_closed = 1;
	source_stop();
}

void faults_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* whatever the parent left (a shell may ignore it): a write to a
	 * closed pipe fails with EPIPE after on_pipe() has run */
	sa.sa_handler = on_pipe;
	sigaction(SIGPIPE, &sa, NULL);
}

volatile sig_atomic_t *faults_interrupted(void)
{
	return &interrupted;
}

bool faults_pipe_closed(void)
{
	return pipe_closed != 0;
}

void faults_check_output(FILE *out)
{
	if (!output_errno && ferror(out))
		output_errno = errno ? errno : EIO;
}

int faults_finish(int rc, uint64_t handshakes_lost)
{
	if (fflush(stdout) != 0 && !output_errno)
		output_errno = errno;
	faults_check_output(stdout);
	if (pipe_closed || output_errno == EPIPE)
		return rc; /* quietly: faults_exit() ends the run */
	if (output_errno) {
		fprintf(stderr,
		        "certscope: standard output: %s: the report written there is "
		        "incomplete%s\n",
		        strerror(output_errno),
		        output_errno == ENOSPC || output_errno == EDQUOT
		            ? "; free space on its disk, or write it elsewhere"
		            : "");
		rc = 2;
	}
	if (interrupted == SIGHUP)
		fprintf(stderr, "certscope: SIGHUP: the capture ended there; the "
		                "findings and summary cover what came before\n");
	if (alloc_failures()) {
		fprintf(stderr,
		        "certscope: out of memory: %" PRIu64
		        " allocations failed and %" PRIu64
		        " handshakes were left out, so this run is incomplete; free "
		        "memory, or read the capture in parts (editcap -c)\n",
		        alloc_failures(), handshakes_lost);
		rc = 2;
	}
	return rc;
}

void faults_exit(void)
{
	if (!pipe_closed && output_errno != EPIPE)
		return;
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
}
