/* linktype.c: link-layer headers: Ethernet II with 802.1Q/802.1ad tags,
 * Linux cooked capture v1 and v2, raw IP, BSD null/loopback.
 * specification: https://www.tcpdump.org/linktypes.html
 */
#include "decode.h"

#include <pcap/dlt.h>

#define ETH_IPV4     0x0800
#define ETH_IPV6     0x86dd
#define ETH_VLAN     0x8100
#define ETH_QINQ     0x88a8
#define ETH_QINQ_OLD 0x9100

#define LINKTYPE_RAW  101
#define LINKTYPE_IPV4 228
#define LINKTYPE_IPV6 229

/* VLAN tags stacked deeper than this are treated as malformed. */
#define MAX_VLAN_TAGS 8

static enum decode_result from_ethertype(uint16_t type, enum l3_proto *proto)
{
	switch (type) {
	case ETH_IPV4:
		*proto = L3_IPV4;
		return DECODE_OK;
	case ETH_IPV6:
		*proto = L3_IPV6;
		return DECODE_OK;
	default:
		return DECODE_NOT_TCP;
	}
}

static enum decode_result ethernet(struct cursor *c, enum l3_proto *proto)
{
	uint16_t type;
	if (!cur_skip(c, 12) || !cur_get_u16(c, &type))
		return DECODE_TRUNCATED;
	for (int tags = 0; type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD;
	     tags++) {
		if (tags == MAX_VLAN_TAGS)
			return DECODE_MALFORMED;
		/* tag control information, then the next type */
		if (!cur_skip(c, 2) || !cur_get_u16(c, &type))
			return DECODE_TRUNCATED;
	}
	return from_ethertype(type, proto);
}

static enum decode_result raw_ip(struct cursor *c, enum l3_proto *proto)
{
	uint8_t v;
	if (!cur_peek_u8(c, 0, &v))
		return DECODE_TRUNCATED;
	switch (v >> 4) {
	case 4:
		*proto = L3_IPV4;
		return DECODE_OK;
	case 6:
		*proto = L3_IPV6;
		return DECODE_OK;
	default:
		return DECODE_MALFORMED;
	}
}

/* BSD loopback: a 4-byte address family in the byte order of the host that
 * wrote the file (DLT_NULL) or in network order (DLT_LOOP). */
static enum decode_result null_loop(struct cursor *c, bool network_order,
                                    enum l3_proto *proto)
{
	uint32_t fam;
	bool ok = network_order ? cur_get_u32(c, &fam) : cur_get_u32le(c, &fam);
	if (!ok)
		return DECODE_TRUNCATED;
	/* A file written on a big-endian host: the family sits in the top bytes. */
	if (fam > 0xffff)
		fam = (fam >> 24) | ((fam >> 8) & 0xff00);
	switch (fam) {
	case 2:
		*proto = L3_IPV4;
		return DECODE_OK;
	case 10: /* Linux */
	case 24: /* NetBSD, OpenBSD */
	case 28: /* FreeBSD */
	case 30: /* macOS */
		*proto = L3_IPV6;
		return DECODE_OK;
	default:
		return DECODE_NOT_TCP;
	}
}

enum decode_result link_decode(int dlt, struct cursor *c, enum l3_proto *proto)
{
	uint16_t type;
	*proto = L3_NONE;
	switch (dlt) {
	case DLT_EN10MB:
		return ethernet(c, proto);
	case DLT_LINUX_SLL:
		/* packet type, ARPHRD type, address length, 8 address bytes */
		if (!cur_skip(c, 14) || !cur_get_u16(c, &type))
			return DECODE_TRUNCATED;
		return from_ethertype(type, proto);
	case DLT_LINUX_SLL2:
		/* protocol first, then 18 bytes of interface and address */
		if (!cur_get_u16(c, &type) || !cur_skip(c, 18))
			return DECODE_TRUNCATED;
		return from_ethertype(type, proto);
	case DLT_RAW:
	case LINKTYPE_RAW:
	case LINKTYPE_IPV4:
	case LINKTYPE_IPV6:
		return raw_ip(c, proto);
	case DLT_NULL:
		return null_loop(c, false, proto);
	case DLT_LOOP:
		return null_loop(c, true, proto);
	default:
		return DECODE_UNSUPPORTED;
	}
}

bool link_supported(int dlt)
{
	struct cursor c = cur_make(NULL, 0);
	enum l3_proto p;
	return link_decode(dlt, &c, &p) != DECODE_UNSUPPORTED;
}
