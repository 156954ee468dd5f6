/* test_format.c: the hand-written address and time formatters
 * (common/endpoint.c, dissect/certificate.c) against the libc functions
 * they stand in for: fixed cases, then a sweep of pseudo-random values. */
#include "check.h"
#include "common/text.h"

#include "common/endpoint.h"
#include "judge/certificate.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <time.h>

static struct endpoint v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct endpoint e = {.family = 4, .addr = {a, b, c, d}};
	return e;
}

static bool addresses(void)
{
	static const struct {
		uint8_t a[4];
		const char *want;
	} cases[] = {
	    {{0, 0, 0, 0}, "0.0.0.0"},         {{255, 255, 255, 255}, "255.255.255.255"},
	    {{10, 48, 80, 47}, "10.48.80.47"}, {{192, 0, 2, 10}, "192.0.2.10"},
	    {{1, 20, 100, 9}, "1.20.100.9"},
	};
	char buf[ENDPOINT_ADDRSTRLEN];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct endpoint e =
		    v4(cases[i].a[0], cases[i].a[1], cases[i].a[2], cases[i].a[3]);
		endpoint_addr_str(&e, buf, sizeof(buf));
		CHECK_STR(buf, cases[i].want);
	}
	struct endpoint e6 = {.family = 6};
	CHECK(inet_pton(AF_INET6, "2001:db8::1", e6.addr) == 1);
	endpoint_addr_str(&e6, buf, sizeof(buf));
	CHECK_STR(buf, "2001:db8::1");
	/* every IPv4 address of a sweep reads as inet_ntop writes it */
	uint32_t x = 12345;
	for (int i = 0; i < 100000; i++) {
		x = x * 1103515245u + 12345u;
		struct endpoint e = v4((uint8_t)(x >> 24), (uint8_t)(x >> 16),
		                       (uint8_t)(x >> 8), (uint8_t)x);
		char want[INET_ADDRSTRLEN];
		CHECK(inet_ntop(AF_INET, e.addr, want, sizeof(want)));
		endpoint_addr_str(&e, buf, sizeof(buf));
		CHECK_STR(buf, want);
	}
	return true;
}

static bool times(void)
{
	char buf[TS_STRLEN];
	struct timeval tv = {0, 0};
	ts_format(&tv, buf, sizeof(buf));
	CHECK_STR(buf, "1970-01-01T00:00:00.000000Z");
	tv = (struct timeval){1796083200, 123456};
	ts_format(&tv, buf, sizeof(buf));
	CHECK_STR(buf, "2026-12-01T00:00:00.123456Z");
	time_format(1483228799, buf, sizeof(buf));
	CHECK_STR(buf, "2016-12-31T23:59:59Z");
	/* past the four-digit years: the libc path */
	time_format((time_t)253402300800, buf, sizeof(buf));
	CHECK_STR(buf, "10000-01-01T00:00:00Z");
	/* a sweep from 1950 to 2150 against strftime and snprintf */
	uint64_t x = 99;
	for (int i = 0; i < 100000; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		time_t t = (time_t)(x >> 33) % (200LL * 365 * 86400) - 20LL * 365 * 86400;
		struct tm tm;
		CHECK(gmtime_r(&t, &tm));
		char want[64];
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		time_format(t, buf, sizeof(buf));
		CHECK_STR(buf, want);
		long us = (long)(x % 1000000);
		tv = (struct timeval){t, us};
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
		         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		         tm.tm_min, tm.tm_sec, us);
		ts_format(&tv, buf, sizeof(buf));
		CHECK_STR(buf, want);
	}
	return true;
}

/* u64_digits() against snprintf: the edges, every power of ten and its
 * neighbours, and 100,000 values spread over the whole range. */
static bool numbers(void)
{
	char got[21], want[24];
	uint64_t edges[] = {0,   1,   9,     10,          11,        99,
	                    100, 101, 65535, 4294967295u, UINT64_MAX};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		got[u64_digits(edges[i], got)] = '\0';
		snprintf(want, sizeof(want), "%llu", (unsigned long long)edges[i]);
		CHECK_STR(got, want);
	}
	for (uint64_t p = 1; p && p <= UINT64_MAX / 10; p *= 10)
		for (uint64_t v = p - 1; v <= p + 1; v++) {
			got[u64_digits(v, got)] = '\0';
			snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
			CHECK_STR(got, want);
		}
	uint64_t x = 7;
	for (int i = 0; i < 100000; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		uint64_t v = x >> (x & 63);
		got[u64_digits(v, got)] = '\0';
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
		CHECK_STR(got, want);
	}
	/* a Wireshark filter: the same text snprintf would make */
	struct endpoint a = {4, {192, 0, 2, 10}, 51000},
	                b = {4, {198, 51, 100, 20}, 7001};
	char f[256];
	wireshark_filter(&a, &b, f, sizeof(f));
	CHECK_STR(f,
	          "ip.addr==192.0.2.10 && ip.addr==198.51.100.20 && tcp.port==51000 && "
	          "tcp.port==7001");
	wireshark_filter(&a, &b, f, 20);
	CHECK_STR(f, "ip.addr==192.0.2.10");
	return true;
}

int main(void)
{
	check_case("addresses", addresses());
	check_case("times", times());
	check_case("numbers", numbers());
	return check_summary();
}
