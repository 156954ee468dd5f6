/* test_source.c: capture/source.c reads a file on a reader thread in
 * batches; every packet must reach the reassembler once, in order, however
 * the batches fall (the last one filling the ring, a packet a batch cannot
 * hold, a file cut in the middle of a packet).
 *
 * Each capture is written here: raw IPv4 (DLT_RAW) TCP segments of one
 * connection, each carrying its index as payload, so the consumer can
 * check that it got every byte in order. */
#include "capture/source.h"

#include "check.h"

#include <pcap/pcap.h>
#include <stdlib.h>
#include <unistd.h>

struct got {
	uint64_t bytes;  /* payload bytes delivered */
	uint64_t errors; /* a byte out of place */
	uint64_t next;   /* the payload byte expected next */
	uint64_t opens, closes;
};

static struct got got;

static void *t_open(void *ctx, const struct flow_view *f)
{
	(void)ctx;
	(void)f;
	got.opens++;
	return &got;
}

static enum stream_verdict t_data(void *app, int dir, const uint8_t *p, size_t n,
                                  const struct timeval *ts)
{
	(void)app;
	(void)ts;
	for (size_t i = 0; i < n && dir == 0; i++, got.next++)
		if (p[i] != (uint8_t)(got.next * 7 + 3))
			got.errors++;
	got.bytes += n;
	return STREAM_MORE;
}

static void t_gap(void *app, int dir, uint64_t bytes, const struct timeval *ts)
{
	(void)app;
	(void)dir;
	(void)bytes;
	(void)ts;
	got.errors++;
}

static void t_close(void *app, const struct flow_view *f, enum close_reason why)
{
	(void)app;
	(void)f;
	(void)why;
	got.closes++;
}

static const struct stream_ops ops = {t_open, t_data, t_gap, t_close};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* A capture of n segments of len payload bytes each (one SYN first);
 * the last packet cut short by cut bytes of its record when cut > 0. */
static bool write_capture(const char *path, size_t n, size_t len, size_t cut)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	uint32_t hdr[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 262144, DLT_RAW};
	fwrite(hdr, sizeof(hdr), 1, f);
	static uint8_t pkt[40 + 70000];
	uint64_t off = 0;
	for (size_t i = 0; i <= n; i++) {
		size_t plen = i == 0 ? 0 : len;
		memset(pkt, 0, 40);
		pkt[0] = 0x45;
		put16(pkt + 2, (unsigned)(40 + plen));
		pkt[8] = 64;
		pkt[9] = 6;
		put32(pkt + 12, 0xc000020a); /* 192.0.2.10 */
		put32(pkt + 16, 0xc6336414); /* 198.51.100.20 */
		put16(pkt + 20, 40000);
		put16(pkt + 22, 443);
		put32(pkt + 24, (uint32_t)(1000 + (i ? 1 + off : 0)));
		pkt[32] = 0x50;
		pkt[33] = i == 0 ? 0x02 : 0x18; /* SYN, then PSH ACK */
		for (size_t k = 0; k < plen; k++)
			pkt[40 + k] = (uint8_t)((off + k) * 7 + 3);
		off += plen;
		uint32_t rec[4] = {(uint32_t)(1700000000 + i / 1000),
		                   (uint32_t)(i % 1000), (uint32_t)(40 + plen),
		                   (uint32_t)(40 + plen)};
		fwrite(rec, sizeof(rec), 1, f);
		size_t body = 40 + plen;
		if (i == n && cut)
			body = body > cut ? body - cut : 0;
		fwrite(pkt, 1, body, f);
	}
	return fclose(f) == 0;
}

static bool read_back(size_t n, size_t len, size_t cut)
{
	char path[] = "/tmp/certscope-test-source-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	CHECK(write_capture(path, n, len, cut));
	struct config cfg;
	config_defaults(&cfg);
	memset(&got, 0, sizeof(got));
	struct reassembly *r = reassembly_new(&cfg, &ops, NULL);
	CHECK(r);
	struct source_stats st = {0};
	char err[512] = "";
	int rc = source_read_file(path, &cfg, NULL, r, &st, err, sizeof(err));
	reassembly_free(r);
	unlink(path);
	if (cut) {
		/* the cut packet is lost, every one before it delivered */
		CHECK_EQ(rc, -1);
		CHECK(strstr(err, path) != NULL);
		CHECK_EQ(st.packets, n);
		CHECK_EQ(got.bytes, (uint64_t)(n - 1) * len);
	} else {
		CHECK_EQ(rc, 0);
		CHECK_EQ(st.packets, n + 1);
		CHECK_EQ(got.bytes, (uint64_t)n * len);
	}
	CHECK_EQ(got.errors, 0);
	CHECK_EQ(got.opens, 1);
	CHECK_EQ(got.closes, 1);
	return true;
}

int main(void)
{
	/* A batch holds 1 MiB: 10 bytes of payload make 80-byte records
	 * (13,107 a batch), 1,400 bytes 1,464-byte ones (716 a batch).
	 * Counts around multiples of the ring (4 batches) end it full, empty
	 * and in between. */
	static const struct {
		size_t n, len, cut;
	} cases[] = {
	    {1, 10, 0},
	    {13106, 10, 0},
	    {13107, 10, 0},
	    {13108, 10, 0},
	    {4 * 13107 - 1, 10, 0},
	    {4 * 13107, 10, 0},
	    {4 * 13107 + 1, 10, 0},
	    {200000, 10, 0},
	    {716 * 4, 1400, 0},
	    {716 * 9 + 3, 1400, 0},
	    {3, 65000, 0},
	    {50000, 10, 5},
	    {716 * 4, 1400, 100},
	};
	char name[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "read %zu x %zu bytes%s", cases[i].n,
		         cases[i].len, cases[i].cut ? ", cut" : "");
		/* several times: the two threads meet differently each run */
		bool ok = true;
		for (int k = 0; k < 3 && ok; k++)
			ok = read_back(cases[i].n, cases[i].len, cases[i].cut);
		check_case(name, ok);
	}
	return check_summary();
}
