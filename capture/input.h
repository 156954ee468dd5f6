/* input.h: inside capture/ only: what input.c, which opens and unpacks
 * inputs, asks of source.c, which reads captures with libpcap. */
#ifndef CERTSCOPE_INPUT_H
#define CERTSCOPE_INPUT_H

#include "source.h"

#include <stdbool.h>
#include <stdio.h>

/* Reads the pcap or pcapng stream f to its end under the name what, and
 * closes f (pcap_close(), or fclose() when libpcap refused it).  Returns 0,
 * or -1 with err set ("what: why"). */
int source_read_pcap(FILE *f, const char *what, const struct config *cfg,
                     const struct source_hooks *hooks, struct reassembly *r,
                     struct source_stats *st, char *err, size_t errlen);

/* True once source_stop() was called: no further capture is begun. */
bool source_stopped(void);

#endif
