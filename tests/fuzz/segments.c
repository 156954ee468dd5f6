/* segments.c: the input format of the flow and dissect targets (segments.h)
 * fed to a reassembler as TCP segments of one connection. */
#include "segments.h"

#include <string.h>

static const uint16_t ports[8] = {443, 7001, 5061, 2445, 3804, 8443, 636, 40443};

void fuzz_segments(struct reassembly *r, const uint8_t *data, size_t size)
{
	struct cursor in = cur_make(data, size);
	uint8_t port;
	if (!cur_get_u8(&in, &port))
		return;
	struct endpoint ep[2] = {{4, {192, 0, 2, 10}, 51000}, {4, {198, 51, 100, 20}, 0}};
	ep[1].port = ports[port & 7];
	const uint32_t isn[2] = {0xffffff00u, 0x7fffff00u};
	uint32_t natural[2] = {0, 0};
	struct timeval ts = {1795460000, 0};

	for (;;) {
		uint8_t flags, ack_off;
		uint16_t seq_off, len;
		struct cursor payload;
		if (!cur_get_u8(&in, &flags) || !cur_get_u16(&in, &seq_off) ||
		    !cur_get_u8(&in, &ack_off) || !cur_get_u16(&in, &len))
			break;
		if (len > in.len)
			len = (uint16_t)in.len;
		cur_get_bytes(&in, len, &payload);
		int dir = flags & 1;
		struct tcp_segment seg;
		memset(&seg, 0, sizeof(seg));
		seg.src = ep[dir];
		seg.dst = ep[!dir];
		seg.flags = (uint8_t)(((flags & 0x02) ? TCP_SYN : 0) |
		                      ((flags & 0x04) ? TCP_ACK : 0) |
		                      ((flags & 0x08) ? TCP_FIN : 0) |
		                      ((flags & 0x10) ? TCP_RST : 0));
		seg.seq = isn[dir] + natural[dir] + (uint32_t)(int32_t)(int16_t)seq_off;
		seg.ack = isn[!dir] + natural[!dir] + (uint32_t)(int32_t)(int8_t)ack_off;
		seg.payload = payload;
		seg.wire_len = len + ((flags & 0x20) ? 100u : 0u);
		ts.tv_usec += 1000;
		if (ts.tv_usec >= 1000000) {
			ts.tv_sec++;
			ts.tv_usec -= 1000000;
		}
		if (flags & 0x40)
			ts.tv_sec += 400;
		seg.ts = ts;
		natural[dir] +=
		    seg.wire_len + ((flags & 0x02) ? 1 : 0) + ((flags & 0x08) ? 1 : 0);
		reassembly_segment(r, &seg);
	}
}
