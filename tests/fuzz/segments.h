/* segments.h: one TCP connection, both directions, as the flow and dissect
 * fuzz targets read it.
 *
 * Input: one byte choosing the server's port, then segments, each
 *
 *   flags(1) seq_offset(2, signed) ack_offset(1, signed) length(2) payload
 *
 *   flags: 0x01 from the server (else from the client), 0x02 SYN, 0x04 ACK,
 *          0x08 FIN, 0x10 RST, 0x20 the snaplen cut 100 bytes off the end,
 *          0x40 400 seconds pass before it (past the idle timeout)
 *
 * Each direction has a natural position: where its next segment would start
 * if everything were sent once and in order (a SYN or FIN takes one).  A
 * segment starts at its direction's initial sequence number + natural
 * position + seq_offset, and acknowledges the other direction's natural
 * position + ack_offset.  Offsets of 0 make a clean stream; others make
 * holes, overlaps (with the bytes of this segment, which may differ from
 * the first copy) and retransmissions.  The client's sequence numbers cross
 * 2^32.  tests/fuzz/make-seeds.py writes the samples in this format.
 */
#ifndef CERTSCOPE_FUZZ_SEGMENTS_H
#define CERTSCOPE_FUZZ_SEGMENTS_H

#include "capture/reassembly.h"
#include "common/cursor.h"

#include <stddef.h>
#include <stdint.h>

/* Feeds the segments of data to r (the flows stay open: the caller ends
 * them with reassembly_free or reassembly_finish). */
void fuzz_segments(struct reassembly *r, const uint8_t *data, size_t size);

#endif
