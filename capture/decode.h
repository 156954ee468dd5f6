/* decode.h: from a captured frame to one TCP segment.
 *
 * linktype.c strips the link layer, ip.c the IPv4/IPv6 header and its
 * extension headers, tcp.c the TCP header.  Each step narrows one cursor; the
 * payload cursor of the result points into the captured frame (borrowed).
 */
#ifndef CERTSCOPE_DECODE_H
#define CERTSCOPE_DECODE_H

#include "../common/cursor.h"
#include "../common/endpoint.h"

#include <sys/time.h>

enum decode_result {
	DECODE_OK,
	DECODE_NOT_TCP,     /* a valid packet of something else (ARP, UDP, ...) */
	DECODE_FRAGMENT,    /* an IP fragment: certscope does not reassemble IP */
	DECODE_TRUNCATED,   /* the capture cut the headers short (snaplen) */
	DECODE_MALFORMED,   /* the headers say something impossible */
	DECODE_UNSUPPORTED, /* a link type certscope cannot decode */
};

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

struct tcp_segment {
	struct endpoint src, dst;
	uint32_t seq, ack;
	uint8_t flags;
	struct cursor payload; /* the captured payload bytes */
	uint32_t wire_len;     /* payload length on the wire; > payload.len when cut */
	struct timeval ts;
	uint64_t frame; /* the packet's number in its file, 1-based, as Wireshark's */
};

/* Network-layer protocol found under the link layer. */
enum l3_proto { L3_NONE, L3_IPV4, L3_IPV6 };

/* linktype.c: strips the link header of DLT dlt; leaves the cursor on the
 * network header. */
enum decode_result link_decode(int dlt, struct cursor *c, enum l3_proto *proto);
/* true when link_decode knows the DLT */
bool link_supported(int dlt);
/* What link_decode takes the DLT for ("Ethernet", "Linux cooked v2", ...);
 * NULL for a DLT it does not know. */
const char *link_name(int dlt);

/* ip.c: parses the IP header(s); on DECODE_OK the cursor holds the TCP header
 * and payload, bounded by the IP length (so Ethernet padding is gone), and
 * *wire_len is how many bytes of it the packet really had. */
enum decode_result ip_decode(enum l3_proto proto, struct cursor *c,
                             struct tcp_segment *seg, uint32_t *wire_len);

/* tcp.c: parses the TCP header; fills ports, numbers, flags and payload. */
enum decode_result tcp_decode(struct cursor *c, uint32_t wire_len,
                              struct tcp_segment *seg);

/* The three above in a row. */
enum decode_result packet_decode(int dlt, const uint8_t *frame, size_t caplen,
                                 struct tcp_segment *seg);

#endif
