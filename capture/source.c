/* source.c: libpcap capture files (pcap and pcapng), and the loop that
 * decodes every packet, read from a file or live (live.c). */
#include "source.h"
#include "input.h"
#include "read.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pcap_t *volatile live_handle;
static volatile sig_atomic_t stop_requested;

/* hooks->tick is called every TICK_EVERY packets (and live, every
 * LIVE_TICK_MS). */
#define TICK_EVERY 4096

/* The progress line (cfg->progress): one line on standard error, redrawn in
 * place, erased when the file ends.  The clock is read only every
 * PROGRESS_EVERY packets, so a packet costs no system call. */
#define PROGRESS_EVERY     256
#define PROGRESS_FIRST_MS  500 /* a file read faster than this shows nothing */
#define PROGRESS_REDRAW_MS 250

struct progress {
	const char *what; /* the file's name */
	FILE *f;          /* pcap_file(): its position is how far libpcap read */
	long long size;   /* bytes, or -1 when unknown (a pipe) */
	uint64_t packets0;
	struct timespec start, last;
	unsigned tick;
	unsigned width; /* the terminal's columns */
	bool drawn;
	bool stdout_tty;       /* the report shares the terminal */
	const uint64_t *count; /* shown after the rate, or NULL */
	const char *count_label;
	uint64_t count_seen;
};

long long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000LL + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static void progress_init(struct progress *pg, pcap_t *p, const char *what)
{
	struct stat sb;
	struct winsize ws;
	memset(pg, 0, sizeof(*pg));
	pg->what = what;
	pg->f = pcap_file(p);
	pg->size = -1;
	/* a pipe has no size and no position: then no percent */
	if (pg->f && fstat(fileno(pg->f), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size > 0)
		pg->size = (long long)sb.st_size;
	pg->width = 80;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		pg->width = ws.ws_col < 300 ? ws.ws_col : 300;
	pg->stdout_tty = isatty(STDOUT_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &pg->start);
	pg->last = pg->start;
}

/* "big.pcap  42%  183012 packets/s  17 handshakes", shortened from the
 * left of the name to fit one row: a wrapped line could not be erased. */
static void progress_draw(struct progress *pg, const struct timespec *now,
                          uint64_t packets)
{
	char rest[160], line[512];
	int n = 0;
	long long ms = ms_between(&pg->start, now);
	uint64_t rate = ms > 0 ? (packets - pg->packets0) * 1000 / (uint64_t)ms : 0;
	if (pg->size > 0) {
		off_t pos = ftello(pg->f);
		if (pos >= 0) {
			long long pct = (long long)pos * 100 / pg->size;
			n += snprintf(rest + n, sizeof(rest) - (size_t)n, "  %3lld%%",
			              pct > 100 ? 100 : pct);
		}
	}
	n += snprintf(rest + n, sizeof(rest) - (size_t)n, "  %llu packets/s",
	              (unsigned long long)rate);
	if (pg->count && n < (int)sizeof(rest))
		snprintf(rest + n, sizeof(rest) - (size_t)n, "  %llu %s",
		         (unsigned long long)*pg->count,
		         pg->count_label ? pg->count_label : "so far");
	size_t room = pg->width - 1, rlen = strlen(rest), wlen = strlen(pg->what);
	if (rlen + 4 > room) {
		rlen = room > 4 ? room - 4 : 0;
		rest[rlen] = '\0';
	}
	const char *name = pg->what;
	const char *dots = "";
	if (wlen + rlen > room) {
		size_t keep = room - rlen > 3 ? room - rlen - 3 : 0;
		name = pg->what + wlen - keep;
		dots = "...";
	}
	/* erase, draw, and leave the cursor at the start of the row, so that
	 * whatever else is written over it starts there */
	snprintf(line, sizeof(line), "\r\033[K%s%s%s\r", dots, name, rest);
	fputs(line, stderr);
	pg->drawn = true;
}

static void progress_tick(struct progress *pg, uint64_t packets)
{
	struct timespec now;
	/* a handshake was just written to the report: when the report goes to
	 * the same terminal, lift the line off, show the report, draw again */
	if (pg->count && *pg->count != pg->count_seen) {
		pg->count_seen = *pg->count;
		if (pg->drawn && pg->stdout_tty) {
			fputs("\r\033[K", stderr);
			fflush(stdout);
			clock_gettime(CLOCK_MONOTONIC, &now);
			progress_draw(pg, &now, packets);
		}
	}
	if (++pg->tick < PROGRESS_EVERY)
		return;
	pg->tick = 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (ms_between(pg->drawn ? &pg->last : &pg->start, &now) <
	    (pg->drawn ? PROGRESS_REDRAW_MS : PROGRESS_FIRST_MS))
		return;
	pg->last = now;
	if (pg->stdout_tty)
		fflush(stdout);
	progress_draw(pg, &now, packets);
}

static void progress_fini(struct progress *pg)
{
	if (pg->drawn)
		fputs("\r\033[K", stderr);
	pg->drawn = false;
}

void loop_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct loop_ctx *lc = (struct loop_ctx *)user;
	struct tcp_segment seg;
	if (lc->dump) {
		pcap_dump((u_char *)lc->dump, h, bytes);
		lc->dumped++;
		if (!lc->dump_errno && ferror(pcap_dump_file(lc->dump)))
			lc->dump_errno = errno ? errno : EIO;
	}
	lc->st->packets++;
	lc->st->bytes += h->len;
	memset(&seg, 0, sizeof(seg));
	seg.ts = h->ts;
	seg.frame = ++lc->frame; /* every packet counts, as in Wireshark */
	/* never read past what was captured, whatever the headers claim */
	enum decode_result res = packet_decode(lc->dlt, bytes, h->caplen, &seg);
	switch (res) {
	case DECODE_OK:
		lc->st->tcp++;
		if (seg.payload.len < seg.wire_len)
			lc->st->truncated++;
		reassembly_segment(lc->r, &seg);
		break;
	case DECODE_TRUNCATED:
		lc->st->truncated++;
		break;
	case DECODE_MALFORMED:
		lc->st->malformed++;
		break;
	case DECODE_FRAGMENT:
		lc->st->fragments++;
		break;
	case DECODE_UNSUPPORTED:
		lc->st->unsupported++;
		break;
	case DECODE_NOT_TCP:
		break;
	}
	if (lc->pg)
		progress_tick(lc->pg, lc->st->packets);
	if (lc->hooks && lc->hooks->tick && lc->st->packets % TICK_EVERY == 0)
		lc->hooks->tick(lc->hooks->ctx, lc->st);
}

/* True when a word of the filter names a file: a capture given without -r
 * among words that are not all files. */
static bool names_a_file(const char *filter)
{
	char word[4096];
	for (const char *p = filter; *p;) {
		size_t n = strcspn(p, " ");
		if (n > 0 && n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			if (access(word, F_OK) == 0)
				return true;
		}
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

int loop_filter(pcap_t *p, const struct config *cfg, const char *what, char *err,
                size_t errlen)
{
	struct bpf_program prog;
	if (!cfg->filter)
		return 0;
	if (pcap_compile(p, &prog, cfg->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s: bad filter \"%s\": %s%s", what, cfg->filter,
		         pcap_geterr(p),
		         names_a_file(cfg->filter)
		             ? " (some of its words are files: put -r before each file "
		               "to read it)"
		             : "");
		return -1;
	}
	int rc = pcap_setfilter(p, &prog);
	if (rc < 0)
		snprintf(err, errlen, "%s: cannot set the filter: %s", what,
		         pcap_geterr(p));
	pcap_freecode(&prog);
	return rc < 0 ? -1 : 0;
}

void loop_link(pcap_t *p, const char *what, struct loop_ctx *lc)
{
	lc->dlt = pcap_datalink(p);
	if (!link_supported(lc->dlt)) {
		const char *name = pcap_datalink_val_to_name(lc->dlt);
		fprintf(stderr,
		        "certscope: %s: link type %s (%d) is not supported; its packets "
		        "are skipped\n",
		        what, name ? name : "unknown", lc->dlt);
	}
}

/* libpcap's stdio buffer for a file (see source_read_pcap()) */
#define READ_BUFFER (1u << 20)

static int read_file_body(pcap_t *p, struct reader *rd, void *arg)
{
	(void)arg;
	return pcap_loop(p, -1, reader_packet, (u_char *)rd);
}

/* Where the record libpcap could not read whole began: the file's position
 * less what libpcap's message says it got of that record ("tried to read 16
 * header bytes, only got 1"; "... 1454 captured bytes, only got 986", after
 * the 16-byte header; pcapng: "... 80 bytes, only got 20", after the
 * 8-byte block header unless that was what it tried to read); -1 when the
 * message or the stream does not say. */
static long cut_record_at(pcap_t *p, const char *msg)
{
	const char *t = strstr(msg, "tried to read "), *g = strstr(msg, "only got ");
	unsigned long want, got;
	FILE *f = pcap_file(p);
	long pos = f ? ftell(f) : -1;
	if (!t || !g || pos < 0 || sscanf(t, "tried to read %lu", &want) != 1 ||
	    sscanf(g, "only got %lu", &got) != 1)
		return -1;
	unsigned long before = strstr(msg, "captured bytes")        ? 16
	                       : strstr(msg, "pcapng") && want != 8 ? 8
	                                                            : 0;
	return (unsigned long)pos >= got + before ? pos - (long)(got + before) : -1;
}

/* A FILE that is a pcap or pcapng stream: read to its end (see input.h). */
int source_read_pcap(FILE *f, const char *what, const struct config *cfg,
                     const struct source_hooks *hooks, struct reassembly *r,
                     struct source_stats *st, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	int rc = -1;
	/* libpcap reads through stdio: with its default buffer (a block, 4 KiB)
	 * that is a read() every few packets, as much time as the copying;
	 * given a 1 MiB buffer before the first read it is one a megabyte.
	 * glibc sizes a buffer it allocates itself by the block, whatever the
	 * size asked: so the buffer is ours, freed after pcap_close() closed
	 * the file */
	char *iobuf = malloc(READ_BUFFER);
	if (iobuf)
		setvbuf(f, iobuf, _IOFBF, READ_BUFFER);
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(
	    f, PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (!p) {
		/* on failure the file is still ours to close */
		fclose(f);
		free(iobuf);
		snprintf(err, errlen, "%s: %s", what, perr);
		return -1;
	}
	struct progress pg;
	struct loop_ctx lc = {0, r, st, NULL, NULL, hooks, 0, 0, 0};
	if (cfg->progress) {
		progress_init(&pg, p, what);
		pg.packets0 = st->packets;
		pg.count = hooks ? hooks->count : NULL;
		pg.count_label = hooks ? hooks->count_label : NULL;
		pg.count_seen = pg.count ? *pg.count : 0;
		lc.pg = &pg;
	}
	loop_link(p, what, &lc);
	if (loop_filter(p, cfg, what, err, errlen) < 0)
		goto out;
	if (hooks && hooks->begin)
		hooks->begin(hooks->ctx, what);
	live_handle = p;
	uint64_t packets_before = st->packets;
	char lerr[PCAP_ERRBUF_SIZE] = "";
	int n = stop_requested ? 0
	                       : read_threaded(p, &lc, read_file_body, NULL, NULL, lerr,
	                                       sizeof(lerr));
	if (n == NO_READER) {
		/* no second thread: read on this one */
		n = pcap_loop(p, -1, loop_packet, (u_char *)&lc);
		if (n == PCAP_ERROR)
			snprintf(lerr, sizeof(lerr), "%s", pcap_geterr(p));
	}
	live_handle = NULL;
	if (n == PCAP_ERROR) {
		/* a file cut short, or a stray byte after its last packet: what
		 * came before is whole, and reported */
		long at = strstr(lerr, "truncated") ? cut_record_at(p, lerr) : -1;
		if (at >= 0)
			snprintf(
			    err, errlen,
			    "%s: %s; the file is read up to byte %ld, where that record "
			    "begins: the %llu packets before it are reported",
			    what, lerr, at,
			    (unsigned long long)(st->packets - packets_before));
		else
			snprintf(err, errlen, "%s: %s", what, lerr);
		goto out;
	}
	rc = 0;
out:
	if (lc.pg)
		progress_fini(lc.pg);
	pcap_close(p);
	free(iobuf);
	return rc;
}

bool source_stopped(void)
{
	return stop_requested != 0;
}

void source_reading(pcap_t *p)
{
	live_handle = p;
}

void source_stop(void)
{
	stop_requested = 1;
	pcap_t *p = live_handle;
	if (p)
		pcap_breakloop(p);
}
