/* test_decode.c: packet_decode() over hand-built frames, from the link layer
 * down to the TCP payload. */
#include "capture/decode.h"

#include "check.h"

#include <pcap/dlt.h>

#define LINKTYPE_RAW 101

/* ---- frame building ------------------------------------------------------ */

struct frame {
	uint8_t b[2048];
	size_t n;
};

static void put(struct frame *f, const void *p, size_t n)
{
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void u8(struct frame *f, uint8_t v)
{
	f->b[f->n++] = v;
}

static void u16(struct frame *f, uint16_t v)
{
	u8(f, (uint8_t)(v >> 8));
	u8(f, (uint8_t)v);
}

static void u32(struct frame *f, uint32_t v)
{
	u16(f, (uint16_t)(v >> 16));
	u16(f, (uint16_t)v);
}

static void zeros(struct frame *f, size_t n)
{
	memset(f->b + f->n, 0, n);
	f->n += n;
}

/* Put hdr in front of f. */
static void prepend(struct frame *f, const struct frame *hdr)
{
	memmove(f->b + hdr->n, f->b, f->n);
	memcpy(f->b, hdr->b, hdr->n);
	f->n += hdr->n;
}

static const uint8_t SRC4[4] = {192, 0, 2, 1}, DST4[4] = {198, 51, 100, 2};
static const uint8_t SRC6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t DST6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
#define SPORT 49152
#define DPORT 443
#define SEQ   0x01020304u
#define ACK   0x0a0b0c0du
#define FLAGS (TCP_PSH | TCP_ACK)

/* The payload every frame carries, of any length up to its size. */
static const char PAYLOAD[] = "hello, this is the tcp payload of a hand built frame "
                              "and it goes on for a while so that cuts can be made";

/* How a test frame differs from the plain one. */
struct spec {
	size_t payload;    /* payload bytes */
	int tcp_opt_words; /* 32-bit words of TCP options */
	int tcp_doff;      /* TCP data offset to write; 0 = the right one */
	int ip4_opt_words; /* 32-bit words of IPv4 options */
	int ip4_ihl;       /* IHL to write; 0 = the right one */
	int ip4_version;   /* 0 = 4 */
	int ip_len_delta;  /* added to the IPv4 total / IPv6 payload length */
	bool ip_len_set;   /* write ip_len instead */
	uint16_t ip_len;
	uint16_t ip4_frag; /* flags and fragment offset field */
	uint8_t proto;     /* 0 = TCP */
	/* IPv6 extension headers before TCP: type and length in 8-byte units
	 * (the hdr ext len field + 1) */
	uint8_t ext_type[4];
	uint8_t ext_units[4];
	uint16_t frag6_off; /* for an ext_type of 44: offset/flags field */
	int n_ext;
};

static void tcp(struct frame *f, const struct spec *s)
{
	int doff = s->tcp_doff ? s->tcp_doff : 5 + s->tcp_opt_words;
	u16(f, SPORT);
	u16(f, DPORT);
	u32(f, SEQ);
	u32(f, ACK);
	u8(f, (uint8_t)(doff << 4));
	u8(f, FLAGS);
	u16(f, 0xffff); /* window */
	u16(f, 0);      /* checksum */
	u16(f, 0);      /* urgent */
	for (int i = 0; i < s->tcp_opt_words; i++)
		u32(f, 0x01010101); /* NOPs */
	put(f, PAYLOAD, s->payload);
}

static void ip4(struct frame *f, const struct spec *s)
{
	struct frame h = {.n = 0};
	int ihl = s->ip4_ihl ? s->ip4_ihl : 5 + s->ip4_opt_words;
	size_t total = 20 + 4 * (size_t)s->ip4_opt_words + f->n;
	u8(&h, (uint8_t)((s->ip4_version ? s->ip4_version : 4) << 4 | ihl));
	u8(&h, 0);
	u16(&h, s->ip_len_set ? s->ip_len : (uint16_t)(total + (size_t)s->ip_len_delta));
	u16(&h, 0x1234); /* id */
	u16(&h, s->ip4_frag);
	u8(&h, 64);
	u8(&h, s->proto ? s->proto : 6);
	u16(&h, 0);
	put(&h, SRC4, 4);
	put(&h, DST4, 4);
	for (int i = 0; i < s->ip4_opt_words; i++)
		u32(&h, 0x01010101);
	prepend(f, &h);
}

static void ip6(struct frame *f, const struct spec *s)
{
	struct frame h = {.n = 0}, ext = {.n = 0};
	uint8_t first = s->n_ext ? s->ext_type[0] : (s->proto ? s->proto : 6);
	for (int i = 0; i < s->n_ext; i++) {
		uint8_t next =
		    i + 1 < s->n_ext ? s->ext_type[i + 1] : (s->proto ? s->proto : 6);
		u8(&ext, next);
		if (s->ext_type[i] == 44) {
			u8(&ext, 0);
			u16(&ext, s->frag6_off);
			u32(&ext, 0xcafe);
		} else {
			u8(&ext, (uint8_t)(s->ext_units[i] - 1));
			/* PadN filling the rest of the header */
			size_t pad = (size_t)s->ext_units[i] * 8 - 2;
			u8(&ext, 1);
			u8(&ext, (uint8_t)(pad - 2));
			zeros(&ext, pad - 2);
		}
	}
	prepend(f, &ext);
	size_t plen = f->n;
	u32(&h, 0x60000000);
	u16(&h, s->ip_len_set ? s->ip_len : (uint16_t)(plen + (size_t)s->ip_len_delta));
	u8(&h, first);
	u8(&h, 64);
	put(&h, SRC6, 16);
	put(&h, DST6, 16);
	prepend(f, &h);
}

/* Link layers, each put in front of an IP packet. */
enum link {
	L_ETH,      /* Ethernet II */
	L_VLAN,     /* one 802.1Q tag */
	L_QINQ,     /* 802.1ad outer tag, 802.1Q inner */
	L_QINQ_OLD, /* 0x9100 outer tag */
	L_VLAN9,    /* nine stacked tags */
	L_SLL,      /* Linux cooked v1 */
	L_SLL2,     /* Linux cooked v2 */
	L_RAW,      /* no link header */
	L_NULL_LE,  /* BSD loopback, little-endian family */
	L_NULL_BE,  /* BSD loopback written on a big-endian host */
	L_LOOP,     /* OpenBSD loopback, network order */
	L_ETH_ARP,  /* Ethernet carrying ARP */
};

static void add_link(struct frame *f, enum link l, bool v6)
{
	struct frame h = {.n = 0};
	uint16_t type = v6 ? 0x86dd : 0x0800;
	static const uint8_t dmac[6] = {0x02, 0, 0, 0, 0, 1},
	                     smac[6] = {0x02, 0, 0, 0, 0, 2};
	switch (l) {
	case L_ETH:
	case L_VLAN:
	case L_QINQ:
	case L_QINQ_OLD:
	case L_VLAN9:
	case L_ETH_ARP:
		put(&h, dmac, 6);
		put(&h, smac, 6);
		if (l == L_VLAN) {
			u16(&h, 0x8100);
			u16(&h, 100);
		} else if (l == L_QINQ || l == L_QINQ_OLD) {
			u16(&h, l == L_QINQ ? 0x88a8 : 0x9100);
			u16(&h, 200);
			u16(&h, 0x8100);
			u16(&h, 100);
		} else if (l == L_VLAN9) {
			for (int i = 0; i < 9; i++) {
				u16(&h, 0x8100);
				u16(&h, (uint16_t)i);
			}
		}
		u16(&h, l == L_ETH_ARP ? 0x0806 : type);
		break;
	case L_SLL:
		u16(&h, 0); /* packet type: to us */
		u16(&h, 1); /* ARPHRD_ETHER */
		u16(&h, 6); /* address length */
		put(&h, smac, 6);
		zeros(&h, 2); /* address padding to 8 */
		u16(&h, type);
		break;
	case L_SLL2:
		u16(&h, type);
		u16(&h, 0); /* reserved */
		u32(&h, 3); /* interface index */
		u16(&h, 1); /* ARPHRD_ETHER */
		u8(&h, 4);  /* packet type: outgoing */
		u8(&h, 6);  /* address length */
		put(&h, smac, 6);
		zeros(&h, 2);
		break;
	case L_RAW:
		break;
	case L_NULL_LE:
		u32(&h, v6 ? 0x1e000000 : 0x02000000); /* 30 or 2, little-endian */
		break;
	case L_NULL_BE:
		u32(&h, v6 ? 30 : 2); /* the writer's big-endian order */
		break;
	case L_LOOP:
		u32(&h, v6 ? 24 : 2);
		break;
	}
	prepend(f, &h);
}

/* ---- the table ------------------------------------------------------------ */

struct dcase {
	const char *name;
	int dlt;
	enum link link;
	bool v6;
	struct spec s;
	size_t pad;           /* bytes appended after the IP packet (link padding) */
	size_t cut;           /* bytes the snaplen took off the end */
	size_t caplen;        /* when nonzero: keep only this many bytes */
	const uint8_t *bytes; /* when set: these bytes instead of a built frame */
	size_t nbytes;
	enum decode_result want;
	size_t want_payload; /* payload.len, on DECODE_OK */
	uint32_t want_wire;  /* wire_len, on DECODE_OK */
};

#define P5 .s = {.payload = 5}

static const uint8_t one_byte[1] = {0x45};

static const struct dcase cases[] = {
    /* Ethernet II, IPv4, TCP with 5 payload bytes */
    {"eth_ipv4", DLT_EN10MB, L_ETH, false, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* Ethernet II, IPv6 */
    {"eth_ipv6", DLT_EN10MB, L_ETH, true, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* one 802.1Q tag before the IPv4 ethertype */
    {"vlan_8021q", DLT_EN10MB, L_VLAN, false, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* QinQ: 802.1ad (0x88a8) outer tag, 802.1Q inner tag, IPv6 */
    {"qinq_88a8_8100", DLT_EN10MB, L_QINQ, true, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* QinQ with the pre-standard 0x9100 outer tag */
    {"qinq_9100", DLT_EN10MB, L_QINQ_OLD, false, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* nine stacked tags is past the limit of eight: malformed, not a loop */
    {"vlan_too_deep", DLT_EN10MB, L_VLAN9, false, P5, .want = DECODE_MALFORMED},
    /* Ethernet carrying ARP is a valid packet, just not TCP */
    {"eth_arp", DLT_EN10MB, L_ETH_ARP, false, P5, .want = DECODE_NOT_TCP},
    /* Linux cooked capture v1 (16-byte header, protocol last) */
    {"sll_ipv4", DLT_LINUX_SLL, L_SLL, false, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* Linux cooked capture v1, IPv6 */
    {"sll_ipv6", DLT_LINUX_SLL, L_SLL, true, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* Linux cooked capture v2 (20-byte header, protocol first) */
    {"sll2_ipv4", DLT_LINUX_SLL2, L_SLL2, false, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* Linux cooked capture v2, IPv6 */
    {"sll2_ipv6", DLT_LINUX_SLL2, L_SLL2, true, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* DLT_RAW: the version nibble says IPv4 */
    {"raw_ipv4", DLT_RAW, L_RAW, false, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* DLT_RAW: the version nibble says IPv6 */
    {"raw_ipv6", DLT_RAW, L_RAW, true, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* LINKTYPE_RAW (101), the value pcap files carry */
    {"linktype_raw_101", LINKTYPE_RAW, L_RAW, false, P5, .want = DECODE_OK,
     .want_payload = 5, .want_wire = 5},
    /* DLT_IPV4 (228): raw IP by its version nibble, as DLT_RAW */
    {"linktype_ipv4_228", DLT_IPV4, L_RAW, false, P5, .want = DECODE_OK,
     .want_payload = 5, .want_wire = 5},
    /* DLT_IPV6 (229): the same, IPv6 */
    {"linktype_ipv6_229", DLT_IPV6, L_RAW, true, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* DLT_RAW with version 7 in the first nibble */
    {"raw_bad_version",
     DLT_RAW,
     L_RAW,
     false,
     {.payload = 5, .ip4_version = 7},
     .want = DECODE_MALFORMED},
    /* DLT_RAW with no bytes at all */
    {"raw_empty", DLT_RAW, L_RAW, false, P5, .caplen = 0, .bytes = one_byte, .nbytes = 0,
     .want = DECODE_TRUNCATED},
    /* DLT_NULL written on a little-endian host, AF_INET = 2 */
    {"null_le_ipv4", DLT_NULL, L_NULL_LE, false, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* DLT_NULL little-endian, AF_INET6 of macOS = 30 */
    {"null_le_ipv6", DLT_NULL, L_NULL_LE, true, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* DLT_NULL written on a big-endian host: family in the other byte order */
    {"null_be_ipv4", DLT_NULL, L_NULL_BE, false, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* DLT_NULL big-endian, AF_INET6 = 30 */
    {"null_be_ipv6", DLT_NULL, L_NULL_BE, true, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* DLT_LOOP: network byte order always, AF_INET6 of OpenBSD = 24 */
    {"loop_ipv6", DLT_LOOP, L_LOOP, true, P5, .want = DECODE_OK, .want_payload = 5,
     .want_wire = 5},
    /* DLT_NULL with only three bytes of family */
    {"null_truncated", DLT_NULL, L_NULL_LE, false, P5, .caplen = 3,
     .want = DECODE_TRUNCATED},
    /* IPv4 with 12 bytes of options before TCP (IHL 8) */
    {"ipv4_options",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .ip4_opt_words = 3},
     .want = DECODE_OK,
     .want_payload = 5,
     .want_wire = 5},
    /* TCP with 12 bytes of options (data offset 8) */
    {"tcp_options",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .tcp_opt_words = 3},
     .want = DECODE_OK,
     .want_payload = 5,
     .want_wire = 5},
    /* IPv6 with a hop-by-hop (8 bytes) then a destination options header
     * (16 bytes) before TCP */
    {"ipv6_hbh_dstopts",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 5, .n_ext = 2, .ext_type = {0, 60}, .ext_units = {1, 2}},
     .want = DECODE_OK,
     .want_payload = 5,
     .want_wire = 5},
    /* IPv6 routing header (24 bytes) is skipped like the options */
    {"ipv6_routing",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 5, .n_ext = 1, .ext_type = {43}, .ext_units = {3}},
     .want = DECODE_OK,
     .want_payload = 5,
     .want_wire = 5},
    /* an IPv6 atomic fragment (offset 0, no more fragments) is a whole packet */
    {"ipv6_atomic_fragment",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 5, .n_ext = 1, .ext_type = {44}, .frag6_off = 0},
     .want = DECODE_OK,
     .want_payload = 5,
     .want_wire = 5},
    /* an empty TCP segment padded to the 60-byte Ethernet minimum: the 6
     * padding bytes are not payload */
    {"eth_padding_empty",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 0},
     .pad = 6,
     .want = DECODE_OK,
     .want_payload = 0,
     .want_wire = 0},
    /* one padding byte after a 5-byte payload: the payload stays 5 */
    {"eth_padding_payload", DLT_EN10MB, L_ETH, false, P5, .pad = 1, .want = DECODE_OK,
     .want_payload = 5, .want_wire = 5},
    /* IPv6 with padding after it: the payload length bounds it */
    {"eth_padding_ipv6",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 2},
     .pad = 4,
     .want = DECODE_OK,
     .want_payload = 2,
     .want_wire = 2},
    /* the snaplen cut 60 of 100 payload bytes: 40 captured, 100 on the wire */
    {"snaplen_cut_payload",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 100},
     .cut = 60,
     .want = DECODE_OK,
     .want_payload = 40,
     .want_wire = 100},
    /* the snaplen cut the whole payload of an IPv6 segment */
    {"snaplen_cut_all_ipv6",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 30},
     .cut = 30,
     .want = DECODE_OK,
     .want_payload = 0,
     .want_wire = 30},
    /* the Ethernet header cut short */
    {"trunc_ethernet", DLT_EN10MB, L_ETH, false, P5, .caplen = 13,
     .want = DECODE_TRUNCATED},
    /* a VLAN tag cut short */
    {"trunc_vlan", DLT_EN10MB, L_VLAN, false, P5, .caplen = 16, .want = DECODE_TRUNCATED},
    /* the cooked v1 header cut short */
    {"trunc_sll", DLT_LINUX_SLL, L_SLL, false, P5, .caplen = 15,
     .want = DECODE_TRUNCATED},
    /* the cooked v2 header cut short */
    {"trunc_sll2", DLT_LINUX_SLL2, L_SLL2, false, P5, .caplen = 19,
     .want = DECODE_TRUNCATED},
    /* the IPv4 header cut after 12 bytes */
    {"trunc_ipv4", DLT_EN10MB, L_ETH, false, P5, .caplen = 14 + 12,
     .want = DECODE_TRUNCATED},
    /* the IPv4 header cut inside its addresses */
    {"trunc_ipv4_addr", DLT_EN10MB, L_ETH, false, P5, .caplen = 14 + 18,
     .want = DECODE_TRUNCATED},
    /* the IPv4 options cut short */
    {"trunc_ipv4_options",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .ip4_opt_words = 3},
     .caplen = 14 + 24,
     .want = DECODE_TRUNCATED},
    /* the IPv6 header cut inside the destination address */
    {"trunc_ipv6", DLT_EN10MB, L_ETH, true, P5, .caplen = 14 + 30,
     .want = DECODE_TRUNCATED},
    /* an IPv6 destination options header cut short */
    {"trunc_ipv6_ext",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 5, .n_ext = 1, .ext_type = {60}, .ext_units = {2}},
     .caplen = 14 + 40 + 10,
     .want = DECODE_TRUNCATED},
    /* the TCP header cut after 10 bytes */
    {"trunc_tcp", DLT_EN10MB, L_ETH, false, P5, .caplen = 14 + 20 + 10,
     .want = DECODE_TRUNCATED},
    /* the TCP options cut short */
    {"trunc_tcp_options",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .tcp_opt_words = 3},
     .caplen = 14 + 20 + 24,
     .want = DECODE_TRUNCATED},
    /* IHL 4 (16 bytes) is shorter than any IPv4 header */
    {"ipv4_ihl_too_small",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .ip4_ihl = 4},
     .want = DECODE_MALFORMED},
    /* a total length of 16, shorter than the 20-byte header */
    {"ipv4_total_below_ihl",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .ip_len_set = true, .ip_len = 16},
     .want = DECODE_MALFORMED},
    /* version 5 under the IPv4 ethertype */
    {"ipv4_bad_version",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .ip4_version = 5},
     .want = DECODE_MALFORMED},
    /* a total length of 30 leaves 10 bytes for a 20-byte TCP header: the
     * frame holds every byte (nothing was cut), so the IP header says
     * something impossible */
    {"ipv4_total_too_short_for_tcp",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .ip_len_set = true, .ip_len = 30},
     .want = DECODE_MALFORMED},
    /* an IPv6 payload length of 4 with an 8-byte hop-by-hop header and the
     * whole frame captured: impossible, not cut */
    {"ipv6_plen_too_short_for_ext",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 5,
      .n_ext = 1,
      .ext_type = {0},
      .ext_units = {1},
      .ip_len_set = true,
      .ip_len = 4},
     .want = DECODE_MALFORMED},
    /* TCP data offset 4 (16 bytes) is shorter than any TCP header */
    {"tcp_doff_too_small",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .tcp_doff = 4},
     .want = DECODE_MALFORMED},
    /* TCP data offset 7 (28 bytes) past the 25 bytes the IP length gives */
    {"tcp_doff_past_ip",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .tcp_doff = 7},
     .want = DECODE_MALFORMED},
    /* the more-fragments flag: the first piece of a fragmented packet */
    {"ipv4_more_fragments",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .ip4_frag = 0x2000},
     .want = DECODE_FRAGMENT},
    /* a nonzero fragment offset: a later piece */
    {"ipv4_fragment_offset",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .ip4_frag = 0x0010},
     .want = DECODE_FRAGMENT},
    /* don't-fragment alone is an ordinary packet */
    {"ipv4_dont_fragment",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .ip4_frag = 0x4000},
     .want = DECODE_OK,
     .want_payload = 5,
     .want_wire = 5},
    /* an IPv6 fragment header with the more-fragments bit */
    {"ipv6_fragment_more",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 5, .n_ext = 1, .ext_type = {44}, .frag6_off = 0x0001},
     .want = DECODE_FRAGMENT},
    /* an IPv6 fragment header with an offset (185 * 8) */
    {"ipv6_fragment_offset",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 5, .n_ext = 1, .ext_type = {44}, .frag6_off = 185 << 3},
     .want = DECODE_FRAGMENT},
    /* IPv4 UDP is not TCP */
    {"ipv4_udp",
     DLT_EN10MB,
     L_ETH,
     false,
     {.payload = 5, .proto = 17},
     .want = DECODE_NOT_TCP},
    /* IPv6 UDP after a hop-by-hop header is not TCP */
    {"ipv6_udp_after_hbh",
     DLT_EN10MB,
     L_ETH,
     true,
     {.payload = 5, .proto = 17, .n_ext = 1, .ext_type = {0}, .ext_units = {1}},
     .want = DECODE_NOT_TCP},
    /* DLT_USER0 (147) is a link type certscope cannot decode */
    {"unsupported_link", 147, L_RAW, false, P5, .want = DECODE_UNSUPPORTED},
};

static bool run(const struct dcase *t)
{
	struct frame f = {.n = 0};
	struct tcp_segment seg;
	size_t caplen;
	memset(&seg, 0xee, sizeof(seg));
	if (t->bytes) {
		put(&f, t->bytes, t->nbytes);
	} else {
		tcp(&f, &t->s);
		if (t->v6)
			ip6(&f, &t->s);
		else
			ip4(&f, &t->s);
		/* padding and link headers are never longer than the IP packet here */
		for (size_t i = 0; i < t->pad; i++)
			u8(&f, 0xaa);
		add_link(&f, t->link, t->v6);
	}
	caplen = t->caplen ? t->caplen : f.n - t->cut;

	enum decode_result r = packet_decode(t->dlt, f.b, caplen, &seg);
	CHECK_EQ(r, t->want);
	if (r != DECODE_OK)
		return true;

	CHECK_EQ(seg.src.family, t->v6 ? 6 : 4);
	CHECK_EQ(seg.dst.family, t->v6 ? 6 : 4);
	CHECK_MEM(seg.src.addr, t->v6 ? 16u : 4u, t->v6 ? SRC6 : SRC4, t->v6 ? 16u : 4u);
	CHECK_MEM(seg.dst.addr, t->v6 ? 16u : 4u, t->v6 ? DST6 : DST4, t->v6 ? 16u : 4u);
	CHECK_EQ(seg.src.port, SPORT);
	CHECK_EQ(seg.dst.port, DPORT);
	CHECK_EQ(seg.seq, SEQ);
	CHECK_EQ(seg.ack, ACK);
	CHECK_EQ(seg.flags, FLAGS);
	CHECK_EQ(seg.wire_len, t->want_wire);
	CHECK_MEM(seg.payload.p, seg.payload.len, PAYLOAD, t->want_payload);
	/* the payload is a view into the frame, ending inside what was captured */
	if (seg.payload.len) {
		CHECK(seg.payload.p >= f.b &&
		      seg.payload.p + seg.payload.len <= f.b + caplen);
	}
	return true;
}

/* link_supported() and link_name() agree with link_decode() on which DLTs
 * are known; the names are libpcap's descriptions of them. */
static bool supported(void)
{
	static const struct {
		int dlt;
		const char *name; /* NULL: not decoded */
	} t[] = {
	    {DLT_EN10MB, "Ethernet"},
	    {DLT_LINUX_SLL, "Linux cooked v1"},
	    {DLT_LINUX_SLL2, "Linux cooked v2"},
	    {DLT_RAW, "Raw IP"},
	    {LINKTYPE_RAW, "Raw IP"},
	    {DLT_IPV4, "Raw IPv4"},
	    {DLT_IPV6, "Raw IPv6"},
	    {DLT_NULL, "BSD loopback"},
	    {DLT_LOOP, "OpenBSD loopback"},
	    {147, NULL},
	    {DLT_IEEE802_11, NULL},
	    {-1, NULL},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cursor c = cur_make(NULL, 0);
		enum l3_proto p;
		bool known = link_decode(t[i].dlt, &c, &p) != DECODE_UNSUPPORTED;
		CHECK_EQ(known, t[i].name != NULL);
		CHECK_EQ(link_supported(t[i].dlt), known);
		CHECK_STR(link_name(t[i].dlt), t[i].name);
	}
	return true;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(cases[i].name, run(&cases[i]));
	check_case("link_supported", supported());
	return check_summary();
}
