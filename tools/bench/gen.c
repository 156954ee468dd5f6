/* gen.c: benchmark captures for certscope, deterministic from a seed.
 *
 * Takes the TCP payloads of a few real handshakes (the bundled samples, read
 * with libpcap) and replays them as many connections with distinct
 * addresses, ports and initial sequence numbers, interleaved, with bulk
 * TLS application data (random bytes in type-23 records) after the
 * handshakes that complete, and plain non-TLS TCP flows beside them.  A
 * xorshift PRNG seeded with --seed drives every choice, so the same
 * arguments and samples always give the same file.
 *
 * Profiles:
 *   mix    connections of every kind until the file reaches --size bytes;
 *          bulk per connection log-uniform from 512 bytes to --bulk-max
 *   short  --conns connections with little or no bulk; some end with RST,
 *          some never end (as when a SPAN port drops the FIN)
 *   long   --conns connections, all open at once, each with --bulk bytes
 *
 * usage: gen --samples DIR --profile mix|short|long [--size BYTES]
 *            [--conns N] [--bulk BYTES] [--bulk-max BYTES] [--seed N] -o FILE
 *
 * On standard output, one line of key=value: what was written, with the
 * number of connections of each kind, so the caller can work out how many
 * certificates a faithful dissector must find.
 */
#include <getopt.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSS         1448
#define REC_PAYLOAD 16408 /* 16384 of plaintext in AES-GCM */
#define POOL        (1u << 20)

static void die(const char *a, const char *b)
{
	fprintf(stderr, "gen: %s%s%s\n", a, b ? ": " : "", b ? b : "");
	exit(1);
}

/* ---- randomness ----------------------------------------------------------- */

static uint64_t rs;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 2685821657736338717ull;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? (rnd() >> 11) % n : 0;
}

static double rnd_unit(void)
{
	return (double)(rnd() >> 11) / (double)(1ull << 53);
}

/* log-uniform in [lo, hi] */
static uint64_t rnd_log(uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return lo;
	double l = log((double)lo), h = log((double)hi);
	return (uint64_t)exp(l + (h - l) * rnd_unit());
}

/* ---- transcripts ---------------------------------------------------------- */

struct chunk {
	int dir; /* 0 client -> server */
	size_t off, len;
};

struct transcript {
	const char *file;
	uint8_t *data;
	size_t len, cap;
	struct chunk *chunks;
	int n, cap_chunks;
	int closer; /* who sent the first FIN or RST */
	bool rst;
	int bulk_at; /* bulk goes before this chunk; -1: the handshake failed */
	struct timeval first_ts;
};

static int client_port;
static bool have_client;

static void on_sample(u_char *user, const struct pcap_pkthdr *h, const u_char *p)
{
	struct transcript *t = (struct transcript *)user;
	size_t n = h->caplen, off = 12;
	if (!t->first_ts.tv_sec && !t->first_ts.tv_usec)
		t->first_ts = h->ts;
	if (n < 14)
		return;
	uint16_t type = (uint16_t)(p[12] << 8 | p[13]);
	off = 14;
	while (type == 0x8100 || type == 0x88a8) {
		if (n < off + 4)
			return;
		type = (uint16_t)(p[off + 2] << 8 | p[off + 3]);
		off += 4;
	}
	if (type != 0x0800 || n < off + 20 || p[off + 9] != 6)
		return;
	size_t ihl = (size_t)(p[off] & 15) * 4,
	       total = (size_t)(p[off + 2] << 8 | p[off + 3]);
	const uint8_t *tcp = p + off + ihl;
	if (n < off + ihl + 20)
		return;
	size_t doff = (size_t)(tcp[12] >> 4) * 4;
	uint16_t sport = (uint16_t)(tcp[0] << 8 | tcp[1]);
	uint8_t flags = tcp[13];
	if (!have_client) {
		have_client = true;
		client_port = (flags & 0x12) == 0x12 ? (tcp[2] << 8 | tcp[3]) : sport;
	}
	int dir = sport == client_port ? 0 : 1;
	size_t plen = total - ihl - doff;
	if (off + ihl + doff + plen > n)
		die(t->file, "truncated packet in a sample");
	if ((flags & 0x05) && t->closer < 0)
		t->closer = dir;
	if (flags & 0x04)
		t->rst = true;
	if (!plen)
		return;
	if (t->len + plen > t->cap) {
		t->cap = (t->len + plen) * 2;
		t->data = realloc(t->data, t->cap);
		if (!t->data)
			die("out of memory", NULL);
	}
	memcpy(t->data + t->len, tcp + doff, plen);
	if (t->n && t->chunks[t->n - 1].dir == dir) {
		t->chunks[t->n - 1].len += plen;
	} else {
		if (t->n == t->cap_chunks) {
			t->cap_chunks = t->cap_chunks ? t->cap_chunks * 2 : 16;
			t->chunks = realloc(t->chunks,
			                    (size_t)t->cap_chunks * sizeof(*t->chunks));
			if (!t->chunks)
				die("out of memory", NULL);
		}
		t->chunks[t->n++] = (struct chunk){dir, t->len, plen};
	}
	t->len += plen;
}

static void load(struct transcript *t, const char *dir, const char *name)
{
	char path[4096], err[PCAP_ERRBUF_SIZE];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	memset(t, 0, sizeof(*t));
	t->file = name;
	t->closer = -1;
	t->bulk_at = -1;
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		die(path, err);
	if (pcap_datalink(p) != DLT_EN10MB)
		die(path, "not Ethernet");
	have_client = false;
	if (pcap_loop(p, -1, on_sample, (u_char *)t) < 0)
		die(path, pcap_geterr(p));
	pcap_close(p);
	if (!t->n)
		die(path, "no payload");
	if (t->closer < 0)
		t->closer = 0;
	/* the handshake completed when application data followed: bulk goes
	 * after the last chunk of it, before the close_notify */
	for (int i = 0; i < t->n; i++)
		if (t->data[t->chunks[i].off] == 23)
			t->bulk_at = i + 1;
}

/* ---- pcap output ---------------------------------------------------------- */

static FILE *out;
static uint64_t now_us; /* since base */
static struct timeval base;
static uint64_t out_bytes = 24, out_packets, dt_min = 5, dt_range = 30;

static uint16_t csum(const uint8_t *p, size_t n, uint32_t sum)
{
	uint64_t s = sum;
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		s += (uint32_t)p[i] << 8 | p[i + 1] |
		     ((uint32_t)p[i + 2] << 8 | p[i + 3]) << 16;
	for (; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	s = (s & 0xffff) + ((s >> 16) & 0xffff) + ((s >> 32) & 0xffff) + (s >> 48);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

struct conn {
	int kind;
	const struct transcript *t;
	uint8_t ip[2][4];
	uint16_t port[2];
	uint32_t seq[2]; /* next sequence number each side sends */
	uint32_t tsval[2];
	int phase;
	int item; /* next transcript chunk */
	bool bulk_done;
	uint64_t bulk_left; /* application bytes still to send */
	uint64_t xchg_left; /* of the current exchange's response */
	int bdir;
	const uint8_t *bp;
	size_t blen, boff;
	int unacked;
	bool ack_due;
	int close_mode; /* 0 FIN, 1 RST, 2 never closed */
	int closer;
	int close_step;
	bool plain_sent_header;
	uint8_t buf[REC_PAYLOAD + 256];
};

static void emit(struct conn *c, int dir, uint8_t flags, uint32_t seq, uint32_t ack,
                 const uint8_t *data, size_t n)
{
	static uint8_t pkt[16 + 14 + 20 + 32 + MSS + 64];
	uint8_t *e = pkt + 16, *ip = e + 14, *tcp = ip + 20;
	size_t tcplen = 32 + n, caplen = 14 + 20 + tcplen;
	uint64_t t = (uint64_t)base.tv_sec * 1000000 + (uint64_t)base.tv_usec + now_us;
	uint32_t ph[4] = {(uint32_t)(t / 1000000), (uint32_t)(t % 1000000),
	                  (uint32_t)caplen, (uint32_t)caplen};
	now_us += dt_min + rnd_below(dt_range);
	memcpy(pkt, ph, 16);
	/* Ethernet: MACs from the addresses */
	e[0] = 0x02;
	memcpy(e + 1, c->ip[!dir], 4);
	e[5] = 1;
	e[6] = 0x02;
	memcpy(e + 7, c->ip[dir], 4);
	e[11] = 1;
	put16(e + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint32_t)(20 + tcplen));
	put16(ip + 4, (uint32_t)out_packets);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, c->ip[dir], 4);
	memcpy(ip + 16, c->ip[!dir], 4);
	put16(ip + 10, csum(ip, 20, 0));
	put16(tcp, c->port[dir]);
	put16(tcp + 2, c->port[!dir]);
	put32(tcp + 4, seq);
	put32(tcp + 8, (flags & F_ACK) ? ack : 0);
	tcp[12] = 8 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 502);
	put16(tcp + 16, 0);
	put16(tcp + 18, 0);
	/* NOP NOP timestamps, as Linux sends */
	tcp[20] = 1;
	tcp[21] = 1;
	tcp[22] = 8;
	tcp[23] = 10;
	c->tsval[dir] += 1;
	put32(tcp + 24, c->tsval[dir]);
	put32(tcp + 28, c->tsval[!dir]);
	if (n)
		memcpy(tcp + 32, data, n);
	uint32_t pseudo = 0;
	for (int i = 0; i < 8; i += 2)
		pseudo += (uint32_t)(ip[12 + i] << 8 | ip[13 + i]);
	pseudo += 6 + (uint32_t)tcplen;
	put16(tcp + 16, csum(tcp, tcplen, pseudo));
	if (fwrite(pkt, 16 + caplen, 1, out) != 1)
		die("write failed", NULL);
	out_bytes += 16 + caplen;
	out_packets++;
}

/* ---- connections ---------------------------------------------------------- */

enum kind { K_GOOD, K_UNKNOWN_CA, K_MISSING_INTER, K_MTLS, K_PLAIN, NKINDS };
static const char *kind_name[NKINDS] = {"good", "unknown_ca", "missing_intermediate",
                                        "mtls_no_clientauth", "plain"};
static const char *kind_file[NKINDS - 1] = {"good-7001.pcap", "unknown-ca-5061.pcap",
                                            "missing-intermediate-443.pcap",
                                            "mtls-no-clientauth-7001.pcap"};
/* out of 100 */
static const int kind_weight[NKINDS] = {45, 10, 10, 5, 30};

static struct transcript tr[NKINDS - 1];
static uint8_t *pool;
static uint64_t kind_count[NKINDS], n_rst, n_open, conns_started, bulk_total;

enum profile { PR_MIX, PR_SHORT, PR_LONG };
static enum profile profile = PR_MIX;
static uint64_t bulk_fixed = 4u << 20, bulk_max = 1u << 20;

enum { P_SYN, P_SYNACK, P_ACK, P_DATA, P_CLOSE, P_DONE };

static void conn_init(struct conn *c, uint64_t index)
{
	memset(c, 0, offsetof(struct conn, buf));
	int w = (int)rnd_below(100), k = 0;
	if (profile == PR_LONG) {
		k = K_GOOD;
	} else {
		while (w >= kind_weight[k])
			w -= kind_weight[k++];
	}
	c->kind = k;
	kind_count[k]++;
	c->t = k == K_PLAIN ? NULL : &tr[k];
	/* a distinct client address for every connection: 10.x.y.z */
	uint32_t a = 0x0a000000u | (uint32_t)((index + 1) & 0xffffff);
	put32(c->ip[0], a);
	static const uint16_t good_ports[] = {7001, 443, 5061, 2445};
	static const uint16_t plain_ports[] = {80, 8080, 3306};
	uint16_t sp;
	switch (k) {
	case K_GOOD:
		sp = good_ports[rnd_below(4)];
		break;
	case K_UNKNOWN_CA:
		sp = 5061;
		break;
	case K_MISSING_INTER:
		sp = 443;
		break;
	case K_MTLS:
		sp = 7001;
		break;
	default:
		sp = plain_ports[rnd_below(3)];
		break;
	}
	/* a few servers per service */
	put32(c->ip[1],
	      0xac100000u | (uint32_t)(sp & 0xff) << 8 | (uint32_t)(1 + rnd_below(8)));
	c->port[0] = (uint16_t)(32768 + rnd_below(28232));
	c->port[1] = sp;
	c->seq[0] = (uint32_t)rnd() + 1;
	c->seq[1] = (uint32_t)rnd() + 1;
	c->tsval[0] = (uint32_t)rnd();
	c->tsval[1] = (uint32_t)rnd();
	c->phase = P_SYN;
	c->bdir = 0;
	switch (profile) {
	case PR_MIX:
		c->bulk_left = rnd_log(512, bulk_max);
		c->close_mode = rnd_below(100) < 5 ? 1 : rnd_below(100) < 1 ? 2 : 0;
		break;
	case PR_SHORT:
		c->bulk_left = rnd_log(100, 8000);
		c->close_mode = rnd_below(100) < 10 ? 1 : rnd_below(100) < 10 ? 2 : 0;
		break;
	case PR_LONG:
		c->bulk_left = bulk_fixed;
		c->close_mode = 0;
		break;
	}
	if (c->t && c->t->bulk_at < 0)
		c->bulk_left = 0; /* a refused handshake carries nothing after it */
	bulk_total += c->bulk_left;
	c->closer = c->t ? c->t->closer : (int)rnd_below(2);
	if (c->close_mode == 1)
		n_rst++;
	else if (c->close_mode == 2)
		n_open++;
}

/* Roughly what a connection puts in the file, for the size target. */
static uint64_t conn_estimate(const struct conn *c)
{
	uint64_t payload = c->bulk_left + (c->t ? c->t->len : 200);
	return payload + (payload / MSS + 1) * 82 * 3 / 2 + 8 * 98;
}

/* A TLS record of random bytes, or plain bytes, of at most max. */
static void bulk_burst(struct conn *c, int dir, uint64_t max)
{
	size_t n = max < REC_PAYLOAD ? (size_t)max : REC_PAYLOAD;
	size_t at = (size_t)rnd_below(POOL - n);
	if (c->t) {
		c->buf[0] = 23;
		c->buf[1] = 3;
		c->buf[2] = 3;
		put16(c->buf + 3, (uint32_t)n);
		memcpy(c->buf + 5, pool + at, n);
		c->blen = n + 5;
	} else if (dir == 0) {
		c->blen = (size_t)snprintf(
		    (char *)c->buf, sizeof(c->buf),
		    "GET /api/v1/item/%llu HTTP/1.1\r\nHost: svc%d.example.net\r\n"
		    "User-Agent: bench/1.0\r\nAccept: */*\r\n\r\n",
		    (unsigned long long)rnd_below(1000000), (int)rnd_below(50));
		n = c->blen;
	} else if (!c->plain_sent_header) {
		c->plain_sent_header = true;
		int h = snprintf(
		    (char *)c->buf, 200,
		    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
		    "Content-Length: %llu\r\n\r\n",
		    (unsigned long long)c->xchg_left);
		if (n > REC_PAYLOAD - 200)
			n = REC_PAYLOAD - 200;
		memcpy(c->buf + h, pool + at, n);
		c->blen = (size_t)h + n;
	} else {
		memcpy(c->buf, pool + at, n);
		c->blen = n;
	}
	c->bp = c->buf;
	c->boff = 0;
	c->bdir = dir;
	if (dir == 1)
		c->xchg_left -= n < c->xchg_left ? n : c->xchg_left;
	c->bulk_left -= n < c->bulk_left ? n : c->bulk_left;
}

/* The next burst of bytes: a transcript chunk, or bulk in exchanges of a
 * small request and a larger response.  False when there is none. */
static bool next_burst(struct conn *c)
{
	const struct transcript *t = c->t;
	bool bulk_now = t ? (c->item == t->bulk_at && !c->bulk_done) : !c->bulk_done;
	if (bulk_now) {
		if (c->xchg_left == 0 && c->bulk_left > 0) {
			/* a new exchange: the client asks, the server answers */
			c->xchg_left = rnd_log(2000, 512 * 1024);
			if (c->xchg_left > c->bulk_left)
				c->xchg_left = c->bulk_left;
			c->plain_sent_header = false;
			bulk_burst(c, 0, t ? 80 + rnd_below(1200) : 0);
			return true;
		}
		if (c->xchg_left > 0) {
			bulk_burst(c, 1, c->xchg_left);
			return true;
		}
		c->bulk_done = true;
	}
	if (!t || c->item >= t->n)
		return false;
	const struct chunk *ch = &t->chunks[c->item++];
	c->bdir = ch->dir;
	c->bp = t->data + ch->off;
	c->blen = ch->len;
	c->boff = 0;
	return true;
}

/* Writes the connection's next packet; true when it has no more. */
static bool conn_step(struct conn *c)
{
	for (;;) {
		switch (c->phase) {
		case P_SYN:
			emit(c, 0, F_SYN, c->seq[0] - 1, 0, NULL, 0);
			c->phase = P_SYNACK;
			return false;
		case P_SYNACK:
			emit(c, 1, F_SYN | F_ACK, c->seq[1] - 1, c->seq[0], NULL, 0);
			c->phase = P_ACK;
			return false;
		case P_ACK:
			emit(c, 0, F_ACK, c->seq[0], c->seq[1], NULL, 0);
			c->phase = P_DATA;
			return false;
		case P_DATA:
			if (c->ack_due) {
				int r = !c->bdir;
				emit(c, r, F_ACK, c->seq[r], c->seq[!r], NULL, 0);
				c->ack_due = false;
				c->unacked = 0;
				return false;
			}
			if (c->boff < c->blen) {
				int d = c->bdir;
				size_t n =
				    c->blen - c->boff < MSS ? c->blen - c->boff : MSS;
				bool last = c->boff + n == c->blen;
				emit(c, d, F_ACK | (last ? F_PSH : 0), c->seq[d],
				     c->seq[!d], c->bp + c->boff, n);
				if (rnd_below(2000) == 0) /* a retransmission */
					emit(c, d, F_ACK | (last ? F_PSH : 0), c->seq[d],
					     c->seq[!d], c->bp + c->boff, n);
				c->seq[d] += (uint32_t)n;
				c->boff += n;
				if (++c->unacked >= 2 || last)
					c->ack_due = true;
				return false;
			}
			if (!next_burst(c))
				c->phase = P_CLOSE;
			continue;
		case P_CLOSE: {
			int a = c->closer, b = !a;
			if (c->close_mode == 2) {
				c->phase = P_DONE;
				return true;
			}
			if (c->close_mode == 1) {
				emit(c, a, F_RST | F_ACK, c->seq[a], c->seq[b], NULL, 0);
				c->phase = P_DONE;
				return true;
			}
			switch (c->close_step++) {
			case 0:
				emit(c, a, F_FIN | F_ACK, c->seq[a], c->seq[b], NULL, 0);
				return false;
			case 1:
				emit(c, b, F_FIN | F_ACK, c->seq[b], c->seq[a] + 1, NULL,
				     0);
				return false;
			default:
				emit(c, a, F_ACK, c->seq[a] + 1, c->seq[b] + 1, NULL, 0);
				c->phase = P_DONE;
				return true;
			}
		}
		default:
			return true;
		}
	}
}

int main(int argc, char **argv)
{
	const char *samples = "samples", *path = NULL;
	uint64_t seed = 1, size = 200u << 20, conns = 0;
	size_t concurrency = 256;
	static const struct option lo[] = {
	    {"samples", 1, 0, 's'}, {"profile", 1, 0, 'p'},     {"size", 1, 0, 'z'},
	    {"conns", 1, 0, 'n'},   {"bulk", 1, 0, 'b'},        {"bulk-max", 1, 0, 'm'},
	    {"seed", 1, 0, 'S'},    {"concurrency", 1, 0, 'c'}, {0, 0, 0, 0},
	};
	int o;
	while ((o = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
		switch (o) {
		case 's':
			samples = optarg;
			break;
		case 'p':
			profile = !strcmp(optarg, "mix")     ? PR_MIX
			          : !strcmp(optarg, "short") ? PR_SHORT
			          : !strcmp(optarg, "long")
			              ? PR_LONG
			              : (die("bad profile", optarg), PR_MIX);
			break;
		case 'z':
			size = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			conns = strtoull(optarg, NULL, 0);
			break;
		case 'b':
			bulk_fixed = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			bulk_max = strtoull(optarg, NULL, 0);
			break;
		case 'S':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'c':
			concurrency = (size_t)strtoull(optarg, NULL, 0);
			break;
		case 'o':
			path = optarg;
			break;
		default:
			die("usage: gen --samples DIR --profile mix|short|long [--size "
			    "B] [--conns N] [--bulk B] [--bulk-max B] [--seed N] "
			    "[--concurrency K] -o FILE",
			    NULL);
		}
	}
	if (!path)
		die("no -o FILE", NULL);
	if (profile != PR_MIX && !conns)
		die("--conns is needed with this profile", NULL);
	if (profile == PR_LONG)
		concurrency = (size_t)conns;
	if (!concurrency)
		concurrency = 1;
	rs = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	if (!rs)
		rs = 1;
	for (int k = 0; k < NKINDS - 1; k++)
		load(&tr[k], samples, kind_file[k]);
	base = tr[K_GOOD].first_ts;
	if (profile == PR_SHORT)
		dt_min = 10, dt_range = 40;
	pool = malloc(POOL);
	if (!pool)
		die("out of memory", NULL);
	for (size_t i = 0; i < POOL; i += 8) {
		uint64_t v = rnd();
		memcpy(pool + i, &v, 8);
	}

	out = fopen(path, "wb");
	if (!out)
		die(path, "cannot create");
	static char obuf[4 << 20];
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	uint32_t gh[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 262144, 1};
	fwrite(gh, sizeof(gh), 1, out);

	struct conn **active = calloc(concurrency, sizeof(*active));
	if (!active)
		die("out of memory", NULL);
	size_t n_active = 0;
	uint64_t planned = 24;
	for (;;) {
		while (n_active < concurrency &&
		       (profile == PR_MIX ? planned < size : conns_started < conns)) {
			struct conn *c = malloc(sizeof(*c));
			if (!c)
				die("out of memory", NULL);
			conn_init(c, conns_started++);
			planned += conn_estimate(c);
			active[n_active++] = c;
		}
		if (!n_active)
			break;
		size_t i = (size_t)rnd_below(n_active);
		if (conn_step(active[i])) {
			free(active[i]);
			active[i] = active[--n_active];
		}
	}
	free(active);
	if (fclose(out) != 0)
		die(path, "write failed");
	printf("file=%s bytes=%llu packets=%llu connections=%llu", path,
	       (unsigned long long)out_bytes, (unsigned long long)out_packets,
	       (unsigned long long)conns_started);
	for (int k = 0; k < NKINDS; k++)
		printf(" %s=%llu", kind_name[k], (unsigned long long)kind_count[k]);
	printf(" rst=%llu never_closed=%llu bulk_bytes=%llu capture_seconds=%.1f\n",
	       (unsigned long long)n_rst, (unsigned long long)n_open,
	       (unsigned long long)bulk_total, (double)now_us / 1e6);
	return 0;
}
