/* source.h: packets from capture files or a live interface, decoded down to
 * TCP and handed to the reassembler. */
#ifndef CERTSCOPE_SOURCE_H
#define CERTSCOPE_SOURCE_H

#include "../common/config.h"
#include "reassembly.h"

#include <stdint.h>
#include <stdio.h>

struct source_stats {
	uint64_t packets;
	uint64_t bytes; /* bytes on the wire (original lengths) */
	uint64_t tcp;   /* TCP segments decoded */
	uint64_t
	    truncated; /* packets cut by the snaplen before their TCP payload ended */
	uint64_t malformed;   /* headers that made no sense */
	uint64_t fragments;   /* IP fragments (not reassembled) */
	uint64_t unsupported; /* packets of a link type certscope cannot decode */
	uint64_t dropped;     /* live capture: dropped by the kernel or the interface */
};

/* What the caller hears while a source is read (borrowed; may be NULL). */
struct source_hooks {
	/* tick(ctx, st) every few thousand packets, and every 200 ms while a
	 * live capture is idle: a place to publish counters; may be NULL */
	void (*tick)(void *ctx, const struct source_stats *st);
	void *ctx;
	/* the progress line (cfg->progress) shows *count followed by
	 * count_label ("17 handshakes"), read between packets; NULL leaves it
	 * out */
	const uint64_t *count;
	const char *count_label;
	/* begin(ctx, name) as each capture starts, once it is open and its
	 * filter set: the file, "DIR/FILE" in a folder, "ARCHIVE:MEMBER" in a
	 * tar archive, the interface live; name is borrowed for the call only;
	 * may be NULL */
	void (*begin)(void *ctx, const char *name);
};

/* Reads one input ("-" is standard input) to its end: a pcap or pcapng
 * file, one compressed with gzip or zstd (known by its first bytes), a tar
 * archive of captures (plain or compressed: each capture member in order,
 * others skipped with a note), a folder (every capture inside, in name
 * order), or captures one after another on standard input.  Frame numbers
 * start at 1 in each capture.  Returns 0, or -1 when an input could not be
 * opened or read to its end; then err says why (the file's name and what
 * to do included) and everything before the fault was delivered. */
int source_read_file(const char *path, const struct config *cfg,
                     const struct source_hooks *hooks, struct reassembly *r,
                     struct source_stats *st, char *err, size_t errlen);

/* Captures on cfg->interface until source_stop() (from a signal handler or
 * another thread), with -p, -B, -w and -Z as cfg says; root is dropped
 * once the device is open. */
int source_live(const struct config *cfg, const struct source_hooks *hooks,
                struct reassembly *r, struct source_stats *st, char *err, size_t errlen);
/* The user source_live() will run as once the device is open (-Z, else
 * tcpdump, else nobody), or NULL when it will not drop (not root, or no
 * such user: source_live() then fails).  getpwnam()'s storage. */
struct passwd;
const struct passwd *source_drop_user(const struct config *cfg);
/* Lists the interfaces -i can capture on to out, as tcpdump -D does.
 * Returns 0, or -1 with err set. */
int source_list_interfaces(FILE *out, char *err, size_t errlen);

/* Ends the capture, or the file being read, and any file after it.  Safe in
 * a signal handler: the one state source.c keeps outside its callers'
 * objects is the handle being read and this request. */
void source_stop(void);

#endif
