/* endpoint.h: an IP address and port, and how certscope prints them. */
#ifndef CERTSCOPE_ENDPOINT_H
#define CERTSCOPE_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>

struct endpoint {
	uint8_t family; /* 4 or 6 */
	uint8_t addr[16];
	uint16_t port;
};

#define ENDPOINT_ADDRSTRLEN 46

/* Inline: the flow table compares endpoints on every packet. */
static inline bool endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
	if (a->port != b->port || a->family != b->family)
		return false;
	if (a->family == 4) {
		uint32_t x, y;
		memcpy(&x, a->addr, 4);
		memcpy(&y, b->addr, 4);
		return x == y;
	}
	return memcmp(a->addr, b->addr, 16) == 0;
}
/* Writes the address only ("10.0.0.1", "2001:db8::1"). */
void endpoint_addr_str(const struct endpoint *e, char *buf, size_t len);
/* The address as a part of a file name, on any disk: ':' written '-'
 * ("2001-db8--1"). */
void endpoint_file_token(const struct endpoint *e, char *buf, size_t len);
/* The address, with port: "192.0.2.1:443", "[2001:db8::1]:443"; or the
 * address alone. */
void endpoint_text(const struct endpoint *e, bool port, char *buf, size_t len);
/* A Wireshark display filter that selects the packets of the TCP
 * connection between a and b, both directions:
 * "ip.addr==A && ip.addr==B && tcp.port==P && tcp.port==Q". */
void wireshark_filter(const struct endpoint *a, const struct endpoint *b, char *buf,
                      size_t len);
/* Parses a textual address into e (port untouched); false if not an address. */
bool endpoint_parse_addr(const char *s, struct endpoint *e);

/* RFC 3339 UTC with microseconds: 2026-11-23T19:06:24.123456Z */
#define TS_STRLEN 32
void ts_format(const struct timeval *tv, char *buf, size_t len);
struct tm;
/* "YYYY-MM-DDTHH:MM:SS" into p (19 characters, no terminator); only for
 * years 0 to 9999. */
void rfc3339_digits(const struct tm *tm, char *p);

#endif
