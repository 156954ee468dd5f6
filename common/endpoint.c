/* endpoint.c: address helpers and timestamp formatting. */
#include "endpoint.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
	size_t n = a->family == 4 ? 4 : 16;
	return a->family == b->family && a->port == b->port && memcmp(a->addr, b->addr, n) == 0;
}

void endpoint_addr_str(const struct endpoint *e, char *buf, size_t len)
{
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

void ts_format(const struct timeval *tv, char *buf, size_t len)
{
	struct tm tm;
	time_t t = tv->tv_sec;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (long)tv->tv_usec);
}
