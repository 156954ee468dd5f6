/* endpoint.c: address helpers and timestamp formatting. */
#include "endpoint.h"

#include "text.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Writes v (0..255) at p; returns the characters written. */
static size_t put_octet(char *p, unsigned v)
{
	size_t n = 0;
	if (v >= 100)
		p[n++] = (char)('0' + v / 100);
	if (v >= 10)
		p[n++] = (char)('0' + v / 10 % 10);
	p[n++] = (char)('0' + v % 10);
	return n;
}

void endpoint_addr_str(const struct endpoint *e, char *buf, size_t len)
{
	/* IPv4 by hand: inet_ntop formats through sprintf, and every
	 * handshake's report and diagnoses name its addresses many times */
	if (e->family == 4 && len >= 16) {
		size_t n = 0;
		for (int i = 0; i < 4; i++) {
			if (i)
				buf[n++] = '.';
			n += put_octet(buf + n, e->addr[i]);
		}
		buf[n] = '\0';
		return;
	}
	if (!inet_ntop(e->family == 4 ? AF_INET : AF_INET6, e->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

bool endpoint_parse_addr(const char *s, struct endpoint *e)
{
	memset(e->addr, 0, sizeof(e->addr));
	if (inet_pton(AF_INET, s, e->addr) == 1) {
		e->family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, s, e->addr) == 1) {
		e->family = 6;
		return true;
	}
	return false;
}

static void put_digits(char *p, int v, int width)
{
	for (int k = width - 1; k >= 0; k--, v /= 10)
		p[k] = (char)('0' + v % 10);
}

void rfc3339_digits(const struct tm *tm, char *p)
{
	put_digits(p, tm->tm_year + 1900, 4);
	p[4] = '-';
	put_digits(p + 5, tm->tm_mon + 1, 2);
	p[7] = '-';
	put_digits(p + 8, tm->tm_mday, 2);
	p[10] = 'T';
	put_digits(p + 11, tm->tm_hour, 2);
	p[13] = ':';
	put_digits(p + 14, tm->tm_min, 2);
	p[16] = ':';
	put_digits(p + 17, tm->tm_sec, 2);
}

void ts_format(const struct timeval *tv, char *buf, size_t len)
{
	struct tm tm;
	time_t t = tv->tv_sec;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	long us = (long)tv->tv_usec;
	if (len >= 28 && tm.tm_year >= -1900 && tm.tm_year <= 9999 - 1900 && us >= 0 &&
	    us < 1000000) {
		rfc3339_digits(&tm, buf);
		buf[19] = '.';
		for (int i = 25; i >= 20; i--, us /= 10)
			buf[i] = (char)('0' + us % 10);
		buf[26] = 'Z';
		buf[27] = '\0';
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         (long)tv->tv_usec);
}

void wireshark_filter(const struct endpoint *a, const struct endpoint *b, char *buf,
                      size_t len)
{
	char x[ENDPOINT_ADDRSTRLEN], y[ENDPOINT_ADDRSTRLEN], d[20];
	const char *ip = a->family == 6 ? "ipv6.addr==" : "ip.addr==";
	size_t o = 0;
	endpoint_addr_str(a, x, sizeof(x));
	endpoint_addr_str(b, y, sizeof(y));
	if (len)
		buf[0] = '\0';
	text_append(buf, len, &o, ip, strlen(ip));
	text_append(buf, len, &o, x, strlen(x));
	text_append(buf, len, &o, " && ", 4);
	text_append(buf, len, &o, ip, strlen(ip));
	text_append(buf, len, &o, y, strlen(y));
	text_append(buf, len, &o, " && tcp.port==", 14);
	text_append(buf, len, &o, d, u64_digits(a->port, d));
	text_append(buf, len, &o, " && tcp.port==", 14);
	text_append(buf, len, &o, d, u64_digits(b->port, d));
}

void endpoint_text(const struct endpoint *e, bool port, char *buf, size_t len)
{
	char a[ENDPOINT_ADDRSTRLEN];
	endpoint_addr_str(e, a, sizeof(a));
	if (port)
		snprintf(buf, len, e->family == 6 ? "[%s]:%u" : "%s:%u", a, e->port);
	else
		snprintf(buf, len, "%s", a);
}

void endpoint_file_token(const struct endpoint *e, char *buf, size_t len)
{
	endpoint_addr_str(e, buf, len);
	for (char *p = buf; *p; p++)
		if (*p == ':')
			*p = '-';
}
