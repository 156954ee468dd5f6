/* tcp.c: the TCP header (RFC 9293 section 3.1), options skipped. */
#include "decode.h"

enum decode_result tcp_decode(struct cursor *c, uint32_t wire_len,
                              struct tcp_segment *seg)
{
	uint8_t off, flags;
	/* an IP length that leaves no room for a TCP header is impossible */
	if (wire_len < 20)
		return DECODE_MALFORMED;
	if (!cur_get_u16(c, &seg->src.port) || !cur_get_u16(c, &seg->dst.port) ||
	    !cur_get_u32(c, &seg->seq) || !cur_get_u32(c, &seg->ack) ||
	    !cur_get_u8(c, &off) || !cur_get_u8(c, &flags) || !cur_skip(c, 6))
		return DECODE_TRUNCATED;
	size_t hlen = (size_t)(off >> 4) * 4;
	/* a data offset under 20 bytes or past the IP payload is impossible */
	if (hlen < 20 || hlen > wire_len)
		return DECODE_MALFORMED;
	if (!cur_skip(c, hlen - 20))
		return DECODE_TRUNCATED;
	seg->flags = flags;
	seg->payload = *c;
	seg->wire_len = wire_len - (uint32_t)hlen;
	return DECODE_OK;
}

enum decode_result packet_decode(int dlt, const uint8_t *frame, size_t caplen,
                                 struct tcp_segment *seg)
{
	struct cursor c = cur_make(frame, caplen);
	enum l3_proto proto;
	uint32_t wire_len = 0;
	enum decode_result r = link_decode(dlt, &c, &proto);
	if (r != DECODE_OK)
		return r;
	r = ip_decode(proto, &c, seg, &wire_len);
	if (r != DECODE_OK)
		return r;
	return tcp_decode(&c, wire_len, seg);
}
