/* read.h: inside capture/ only: what source.c (capture files) and live.c
 * (interfaces) share: the loop that decodes each packet, the filter, and
 * the reader thread that copies packets into batches for it. */
#ifndef CERTSCOPE_READ_H
#define CERTSCOPE_READ_H

#include "source.h"

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct progress;

struct loop_ctx {
	int dlt;
	struct reassembly *r;
	struct source_stats *st;
	struct progress *pg;              /* NULL: no progress line */
	pcap_dumper_t *dump;              /* -w: every packet is written here too */
	const struct source_hooks *hooks; /* may be NULL */
	uint64_t frame;                   /* packets read of this file (or live) */
	uint64_t dumped;                  /* packets handed to dump */
	/* the error of a write to dump as it happened: stdio may have emptied
	 * its buffer by then, so a later flush alone would not see it */
	int dump_errno;
};

/* Live: the longest a packet waits in the kernel's ring, and how often the
 * drop counter is read, -w flushed and hooks->tick called. */
#define LIVE_TICK_MS 200

long long ms_between(const struct timespec *a, const struct timespec *b);

/* The pcap_handler that decodes a packet and hands it to lc->r; user is
 * the struct loop_ctx. */
void loop_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes);
/* Sets cfg->filter on p; -1 with err set ("what: why") when it is bad. */
int loop_filter(pcap_t *p, const struct config *cfg, const char *what, char *err,
                size_t errlen);
/* lc->dlt from p, with a note when certscope cannot decode it. */
void loop_link(pcap_t *p, const char *what, struct loop_ctx *lc);
/* The handle source_stop() breaks out of, or NULL. */
void source_reading(pcap_t *p);

/* ---- the reader thread ----
 *
 * read_threaded() runs body(p, rd, arg) on a thread of its own; body reads
 * p with reader_packet() as its pcap_handler and user rd, which copies each
 * packet into a batch, and returns what libpcap returned.  The calling
 * thread decodes the batches with loop_packet() as they are handed over,
 * in order.  With tick, it waits for one at most LIVE_TICK_MS / 4 and calls
 * tick(lc, arg) when it has caught up with the reader, or LIVE_TICK_MS
 * after the last call. */
struct reader;
void reader_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes);
/* Hands over the batch being filled, however full (live: after each
 * dispatch, so no packet waits for the next). */
void reader_hand_over(struct reader *rd);
/* read_threaded() could not start its reader: nothing was read */
#define NO_READER (-100)
int read_threaded(pcap_t *p, struct loop_ctx *lc,
                  int (*body)(pcap_t *p, struct reader *rd, void *arg),
                  void (*tick)(struct loop_ctx *lc, void *arg), void *arg, char *perr,
                  size_t perrlen);

#endif
