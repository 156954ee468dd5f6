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

static enum decode_result null_host(struct cursor *c, enum l3_proto *proto)
{
	return null_loop(c, false, proto);
}

static enum decode_result loop_net(struct cursor *c, enum l3_proto *proto)
{
	return null_loop(c, true, proto);
}

/* Linux cooked capture v1: packet type, ARPHRD type, address length, 8
 * address bytes, then the protocol. */
static enum decode_result sll(struct cursor *c, enum l3_proto *proto)
{
	uint16_t type;
	if (!cur_skip(c, 14) || !cur_get_u16(c, &type))
		return DECODE_TRUNCATED;
	return from_ethertype(type, proto);
}

/* Linux cooked capture v2: the protocol first, then 18 bytes of interface
 * and address. */
static enum decode_result sll2(struct cursor *c, enum l3_proto *proto)
{
	uint16_t type;
	if (!cur_get_u16(c, &type) || !cur_skip(c, 18))
		return DECODE_TRUNCATED;
	return from_ethertype(type, proto);
}

/* The link types certscope decodes, one row each (as tcpdump's
 * ndo_printers): adding one is adding a row.  The names are libpcap's
 * descriptions (pcap_datalink_val_to_description). */
static const struct link_type {
	int dlt;
	enum decode_result (*decode)(struct cursor *c, enum l3_proto *proto);
	const char *name;
} link_types[] = {
    {DLT_EN10MB, ethernet, "Ethernet"}, /* with 802.1Q and 802.1ad tags */
    {DLT_LINUX_SLL, sll, "Linux cooked v1"},
    {DLT_LINUX_SLL2, sll2, "Linux cooked v2"}, /* tcpdump -i any */
    {DLT_RAW, raw_ip, "Raw IP"},
    {LINKTYPE_RAW, raw_ip, "Raw IP"}, /* the value pcap files carry */
    {LINKTYPE_IPV4, raw_ip, "Raw IPv4"},
    {LINKTYPE_IPV6, raw_ip, "Raw IPv6"},
    {DLT_NULL, null_host, "BSD loopback"},    /* the writer's byte order */
    {DLT_LOOP, loop_net, "OpenBSD loopback"}, /* network byte order */
};

static const struct link_type *link_type(int dlt)
{
	for (size_t i = 0; i < sizeof(link_types) / sizeof(link_types[0]); i++)
		if (link_types[i].dlt == dlt)
			return &link_types[i];
	return NULL;
}

enum decode_result link_decode(int dlt, struct cursor *c, enum l3_proto *proto)
{
	const struct link_type *t = link_type(dlt);
	*proto = L3_NONE;
	return t ? t->decode(c, proto) : DECODE_UNSUPPORTED;
}

bool link_supported(int dlt)
{
	return link_type(dlt) != NULL;
}

const char *link_name(int dlt)
{
	const struct link_type *t = link_type(dlt);
	return t ? t->name : NULL;
}
