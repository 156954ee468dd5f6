/* source.h: packets from capture files or a live interface, decoded down to
 * TCP and handed to the reassembler. */
#ifndef CERTSCOPE_SOURCE_H
#define CERTSCOPE_SOURCE_H

#include "../common/config.h"
#include "reassembly.h"

#include <stdint.h>

struct source_stats {
	uint64_t packets;
	uint64_t bytes;     /* bytes on the wire (original lengths) */
	uint64_t tcp;       /* TCP segments decoded */
	uint64_t truncated; /* packets cut by the snaplen before their TCP payload ended */
	uint64_t malformed; /* headers that made no sense */
	uint64_t fragments; /* IP fragments (not reassembled) */
	uint64_t unsupported; /* packets of a link type certscope cannot decode */
	uint64_t dropped;     /* live capture: dropped by the kernel or the interface */
};

/* Reads one file ("-" is standard input) to its end.  Returns 0, or -1 when
 * the file could not be opened or read to its end; then err says why (the
 * file's name included) and everything before the fault was delivered. */
int source_read_file(const char *path, const struct config *cfg, struct reassembly *r,
		     struct source_stats *st, char *err, size_t errlen);

/* The progress line that source_read_file() draws when cfg->progress is set
 * shows *count followed by label ("17 handshakes"); count is borrowed, read
 * between packets, and must outlive the reading.  NULL leaves it out. */
void source_set_progress_counter(const uint64_t *count, const char *label);

/* Captures on cfg->interface until source_stop() (from a signal handler). */
int source_live(const struct config *cfg, struct reassembly *r, struct source_stats *st,
		char *err, size_t errlen);
void source_stop(void);

#endif
