/* ip.c: IPv4 (RFC 791, options skipped) and IPv6 (RFC 8200, extension
 * headers skipped) down to the TCP header. */
#include "decode.h"

#define IPPROTO_TCP_ 6
#define IP6_HOPOPTS  0
#define IP6_ROUTING  43
#define IP6_FRAGMENT 44
#define IP6_ESP      50
#define IP6_AH       51
#define IP6_NONE     59
#define IP6_DSTOPTS  60

/* Extension headers followed before giving up on a packet. */
#define MAX_IP6_EXT 16

/* Bound the cursor to the length the IP header claims: what follows is
 * link-layer padding.  A shorter capture than claimed is a snaplen cut. */
static void bound(struct cursor *c, uint32_t claimed, uint32_t *wire_len)
{
	*wire_len = claimed;
	if (c->len > claimed)
		c->len = claimed;
}

static enum decode_result ipv4(struct cursor *c, struct tcp_segment *seg,
                               uint32_t *wire_len)
{
	uint8_t vihl, proto;
	uint16_t total, frag;
	struct cursor hdr = *c;
	if (!cur_get_u8(c, &vihl) || !cur_skip(c, 1) || !cur_get_u16(c, &total) ||
	    !cur_skip(c, 2) || !cur_get_u16(c, &frag) || !cur_skip(c, 1) ||
	    !cur_get_u8(c, &proto) || !cur_skip(c, 2))
		return DECODE_TRUNCATED;
	size_t ihl = (size_t)(vihl & 0x0f) * 4;
	/* a header shorter than 20 bytes or longer than the packet is impossible */
	if (vihl >> 4 != 4 || ihl < 20 || total < ihl)
		return DECODE_MALFORMED;
	seg->src.family = seg->dst.family = 4;
	if (!cur_copy(c, seg->src.addr, 4) || !cur_copy(c, seg->dst.addr, 4))
		return DECODE_TRUNCATED;
	*c = hdr;
	bound(c, total, wire_len);
	if (!cur_skip(c, ihl))
		return DECODE_TRUNCATED;
	*wire_len -= (uint32_t)ihl;
	if (proto != IPPROTO_TCP_)
		return DECODE_NOT_TCP;
	/* more-fragments flag or a fragment offset */
	if (frag & 0x3fff)
		return DECODE_FRAGMENT;
	return DECODE_OK;
}

static enum decode_result ipv6(struct cursor *c, struct tcp_segment *seg,
                               uint32_t *wire_len)
{
	uint8_t v, next;
	uint16_t plen;
	if (!cur_peek_u8(c, 0, &v) || !cur_skip(c, 4) || !cur_get_u16(c, &plen) ||
	    !cur_get_u8(c, &next) || !cur_skip(c, 1))
		return DECODE_TRUNCATED;
	if (v >> 4 != 6)
		return DECODE_MALFORMED;
	seg->src.family = seg->dst.family = 6;
	if (!cur_copy(c, seg->src.addr, 16) || !cur_copy(c, seg->dst.addr, 16))
		return DECODE_TRUNCATED;
	/* A zero payload length means a jumbogram; take what was captured. */
	bound(c, plen ? plen : (uint32_t)c->len, wire_len);
	for (int i = 0; i < MAX_IP6_EXT; i++) {
		uint8_t nh, hlen;
		uint16_t off;
		size_t skip;
		switch (next) {
		case IPPROTO_TCP_:
			return DECODE_OK;
		case IP6_HOPOPTS:
		case IP6_ROUTING:
		case IP6_DSTOPTS:
		case IP6_AH:
			/* an extension header past the payload length is impossible */
			if (*wire_len < 2)
				return DECODE_MALFORMED;
			if (!cur_get_u8(c, &nh) || !cur_get_u8(c, &hlen))
				return DECODE_TRUNCATED;
			skip = next == IP6_AH ? ((size_t)hlen + 2) * 4
			                      : ((size_t)hlen + 1) * 8;
			break;
		case IP6_FRAGMENT:
			if (*wire_len < 8)
				return DECODE_MALFORMED;
			if (!cur_get_u8(c, &nh) || !cur_skip(c, 1) ||
			    !cur_get_u16(c, &off))
				return DECODE_TRUNCATED;
			/* offset or more-fragments: a piece of a larger packet */
			if (off & 0xfff9)
				return DECODE_FRAGMENT;
			skip = 8;
			break;
		default:
			return DECODE_NOT_TCP;
		}
		/* the two bytes (four for a fragment header) already read count */
		size_t done = next == IP6_FRAGMENT ? 4 : 2;
		if (*wire_len < skip)
			return DECODE_MALFORMED;
		if (!cur_skip(c, skip - done))
			return DECODE_TRUNCATED;
		*wire_len -= (uint32_t)skip;
		next = nh;
	}
	return DECODE_MALFORMED;
}

enum decode_result ip_decode(enum l3_proto proto, struct cursor *c,
                             struct tcp_segment *seg, uint32_t *wire_len)
{
	switch (proto) {
	case L3_IPV4:
		return ipv4(c, seg, wire_len);
	case L3_IPV6:
		return ipv6(c, seg, wire_len);
	default:
		return DECODE_NOT_TCP;
	}
}
