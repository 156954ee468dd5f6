/* source.c: libpcap capture files (pcap and pcapng) and live interfaces. */
#include "source.h"
#include "input.h"

#include <grp.h>
#include <poll.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

static pcap_t *volatile live_handle;
static volatile sig_atomic_t stop_requested;

/* hooks->tick is called every TICK_EVERY packets, and when a live capture
 * is idle. */
#define TICK_EVERY 4096

/* Live: the longest a packet waits in the kernel's ring, and how often the
 * drop counter is read and -w flushed. */
#define LIVE_TICK_MS 200
/* Live: the kernel's ring when -B does not say (libpcap's default is 2 MiB,
 * a few milliseconds of a busy gigabit port) */
#define LIVE_BUFFER_KIB 65536

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

struct loop_ctx {
	int dlt;
	struct reassembly *r;
	struct source_stats *st;
	struct progress *pg;              /* NULL: no progress line */
	pcap_dumper_t *dump;              /* -w: every packet is written here too */
	const struct source_hooks *hooks; /* may be NULL */
	uint64_t frame;                   /* packets read of this file (or live) */
	uint64_t dumped;                  /* packets handed to dump */
	/* the error of a write to dump as it happened: stdio may have emptied
	 * its buffer by then, so a later flush alone would not see it */
	int dump_errno;
};

static long long ms_between(const struct timespec *a, const struct timespec *b)
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

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
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

static int apply_filter(pcap_t *p, const struct config *cfg, const char *what, char *err,
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

static void report_link(pcap_t *p, const char *what, struct loop_ctx *lc)
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

/* ---- reading a file on two threads ------------------------------------
 *
 * libpcap reads a file with a system call and a copy for every few
 * packets: as much time as certscope spends on them.  So a reader thread
 * runs pcap_loop() and copies each packet into one of a few fixed batches,
 * and the caller's thread decodes and reassembles them in order, as they
 * fill: the two costs overlap instead of adding up.  Memory is the batches
 * only; the output is the same, packet for packet. */
#define BATCH_BYTES (1u << 20)
#define READ_BUFFER (1u << 20)
#define BATCHES     4
/* read_threaded() could not start its reader: nothing was read (pcap_loop()
 * itself returns 0, PCAP_ERROR or PCAP_ERROR_BREAK only) */
#define NO_READER (-100)

struct batch_rec { /* then caplen bytes, then padding to 8 */
	struct timeval ts;
	uint32_t caplen, len;
};

struct reader {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint8_t *data[BATCHES];
	size_t used[BATCHES];
	size_t head, count; /* filled batches: head .. head + count - 1 */
	size_t fill;        /* the batch the reader writes, never one counted */
	bool done;          /* the reader has published its last batch */
	int n;              /* what pcap_loop() returned */
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p;
};

/* The reader's batch is full: hand it over and wait for a free one. */
static void reader_publish(struct reader *rd, bool last)
{
	pthread_mutex_lock(&rd->mu);
	if (rd->used[rd->fill])
		rd->count++;
	if (last)
		rd->done = true;
	pthread_cond_broadcast(&rd->cv);
	if (!last) {
		while (rd->count == BATCHES)
			pthread_cond_wait(&rd->cv, &rd->mu);
		/* the last batch published may fill the ring: only a next batch
		 * to write may be taken, and it is free now */
		rd->fill = (rd->head + rd->count) % BATCHES;
		rd->used[rd->fill] = 0;
	}
	pthread_mutex_unlock(&rd->mu);
}

static void reader_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct reader *rd = (struct reader *)user;
	/* a packet no batch could hold keeps what fits: it reads as cut by
	 * the snaplen, and is counted so */
	size_t cap = h->caplen;
	if (cap > BATCH_BYTES - sizeof(struct batch_rec))
		cap = BATCH_BYTES - sizeof(struct batch_rec);
	size_t need = (sizeof(struct batch_rec) + cap + 7) & ~(size_t)7;
	if (rd->used[rd->fill] + need > BATCH_BYTES)
		reader_publish(rd, false);
	uint8_t *at = rd->data[rd->fill] + rd->used[rd->fill];
	struct batch_rec rec = {h->ts, (uint32_t)cap, h->len};
	memcpy(at, &rec, sizeof(rec));
	memcpy(at + sizeof(rec), bytes, cap);
	rd->used[rd->fill] += need;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	rd->n = pcap_loop(rd->p, -1, reader_packet, (u_char *)rd);
	if (rd->n == PCAP_ERROR)
		snprintf(rd->err, sizeof(rd->err), "%s", pcap_geterr(rd->p));
	reader_publish(rd, true);
	return NULL;
}

/* Decodes the batches as the reader fills them; returns pcap_loop()'s
 * result, or NO_READER. */
static int read_threaded(pcap_t *p, struct loop_ctx *lc, char *perr, size_t perrlen)
{
	struct reader *rd = calloc(1, sizeof(*rd));
	int n = NO_READER;
	if (!rd)
		return n;
	rd->p = p;
	for (int i = 0; i < BATCHES; i++)
		if (!(rd->data[i] = malloc(BATCH_BYTES)))
			goto out;
	pthread_t t;
	pthread_mutex_init(&rd->mu, NULL);
	pthread_cond_init(&rd->cv, NULL);
	if (pthread_create(&t, NULL, reader_main, rd) != 0)
		goto out_sync;
	for (;;) {
		pthread_mutex_lock(&rd->mu);
		while (rd->count == 0 && !rd->done)
			pthread_cond_wait(&rd->cv, &rd->mu);
		if (rd->count == 0) {
			pthread_mutex_unlock(&rd->mu);
			break;
		}
		size_t b = rd->head, used = rd->used[b];
		pthread_mutex_unlock(&rd->mu);
		const uint8_t *d = rd->data[b];
		for (size_t off = 0; off < used;) {
			struct batch_rec rec;
			memcpy(&rec, d + off, sizeof(rec));
			struct pcap_pkthdr h = {rec.ts, rec.caplen, rec.len};
			on_packet((u_char *)lc, &h, d + off + sizeof(rec));
			off += (sizeof(rec) + rec.caplen + 7) & ~(size_t)7;
		}
		pthread_mutex_lock(&rd->mu);
		rd->head = (rd->head + 1) % BATCHES;
		rd->count--;
		pthread_cond_broadcast(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
	}
	pthread_join(t, NULL);
	n = rd->n;
	snprintf(perr, perrlen, "%s", rd->err);
out_sync:
	pthread_cond_destroy(&rd->cv);
	pthread_mutex_destroy(&rd->mu);
out:
	for (int i = 0; i < BATCHES; i++)
		free(rd->data[i]);
	free(rd);
	return n;
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
	report_link(p, what, &lc);
	if (apply_filter(p, cfg, what, err, errlen) < 0)
		goto out;
	if (hooks && hooks->begin)
		hooks->begin(hooks->ctx, what);
	live_handle = p;
	uint64_t packets_before = st->packets;
	char lerr[PCAP_ERRBUF_SIZE] = "";
	int n = stop_requested ? 0 : read_threaded(p, &lc, lerr, sizeof(lerr));
	if (n == NO_READER) {
		/* no second thread: read on this one */
		n = pcap_loop(p, -1, on_packet, (u_char *)&lc);
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

void source_stop(void)
{
	stop_requested = 1;
	pcap_t *p = live_handle;
	if (p)
		pcap_breakloop(p);
}

/* tcpdump -D's lines: "1.eth0 [Up, Running, Connected]", the description
 * in parentheses where libpcap has one. */
int source_list_interfaces(FILE *out, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_if_t *all = NULL;
	if (pcap_findalldevs(&all, perr) < 0) {
		snprintf(err, errlen, "-D: %s", perr);
		return -1;
	}
	if (!all) {
		snprintf(err, errlen,
		         "-D: no interface can be captured on by this user: try sudo");
		return -1;
	}
	static const struct {
		bpf_u_int32 flag;
		const char *name;
	} flags[] = {
	    {PCAP_IF_UP, "Up"},
	    {PCAP_IF_RUNNING, "Running"},
	    {PCAP_IF_WIRELESS, "Wireless"},
	    {PCAP_IF_LOOPBACK, "Loopback"},
	};
	int i = 0;
	for (pcap_if_t *d = all; d; d = d->next) {
		fprintf(out, "%d.%s", ++i, d->name);
		if (d->description)
			fprintf(out, " (%s)", d->description);
		const char *sep = " [";
		for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
			if (d->flags & flags[k].flag) {
				fprintf(out, "%s%s", sep, flags[k].name);
				sep = ", ";
			}
		if (!(d->flags & PCAP_IF_LOOPBACK)) {
			bpf_u_int32 st = d->flags & PCAP_IF_CONNECTION_STATUS;
			const char *c =
			    st == PCAP_IF_CONNECTION_STATUS_CONNECTED ? "Connected"
			    : st == PCAP_IF_CONNECTION_STATUS_DISCONNECTED
			        ? "Disconnected"
			    : st == PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE ? NULL
			                                                     : "Unknown";
			if (c) {
				fprintf(out, "%s%s", sep, c);
				sep = ", ";
			}
		}
		fputs(sep[0] == ',' ? "]\n" : "\n", out);
	}
	pcap_freealldevs(all);
	return 0;
}

const struct passwd *source_drop_user(const struct config *cfg)
{
	if (geteuid() != 0)
		return NULL;
	struct passwd *pw = getpwnam(cfg->drop_user ? cfg->drop_user : "tcpdump");
	return pw || cfg->drop_user ? pw : getpwnam("nobody");
}

/* After the device is open, root is no longer needed (tcpdump's -Z). */
static int drop_privileges(const struct config *cfg, char *err, size_t errlen)
{
	if (geteuid() != 0)
		return 0;
	const char *user = cfg->drop_user;
	const struct passwd *pw = source_drop_user(cfg);
	if (!pw) {
		snprintf(err, errlen, "-Z %s: no such user", user ? user : "nobody");
		return -1;
	}
	if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0 ||
	    setuid(0) == 0) {
		snprintf(err, errlen, "cannot drop root privileges to %s", pw->pw_name);
		return -1;
	}
	if (!cfg->quiet)
		fprintf(stderr,
		        "certscope: capture open; running as user %s from now on\n",
		        pw->pw_name);
	return 0;
}

/* -w as the capture goes: what lc->dump holds whole so far, and the packets
 * not written once its disk failed. */
struct dump_state {
	const char *path;
	int64_t good;    /* the file's length after the last flush that worked */
	uint64_t good_n; /* packets in it then */
	uint64_t lost;   /* packets not written since */
	int err;         /* the error that stopped it, or 0 */
};

/* Flushes -w.  A file that can take no more (a full disk) is cut back to
 * its last whole packet and closed, so what it holds is a valid capture,
 * and the capture goes on without it. */
static void dump_flush(struct loop_ctx *lc, struct dump_state *ds)
{
	if (!lc->dump) {
		ds->lost = lc->dumped - ds->good_n;
		return;
	}
	errno = 0;
	if (pcap_dump_flush(lc->dump) == 0 && !lc->dump_errno &&
	    !ferror(pcap_dump_file(lc->dump))) {
		ds->good = pcap_dump_ftell64(lc->dump);
		ds->good_n = lc->dumped;
		return;
	}
	ds->err = lc->dump_errno ? lc->dump_errno : errno ? errno : EIO;
	FILE *f = pcap_dump_file(lc->dump);
	__fpurge(f); /* what is left in the buffer would cut a packet */
	if (ds->good >= 0 && ftruncate(fileno(f), ds->good) < 0)
		ds->good = -1;
	pcap_dump_close(lc->dump);
	lc->dump = NULL;
	ds->lost = lc->dumped - ds->good_n;
	fprintf(stderr,
	        "certscope: -w %s: %s: it holds the %llu packets before, whole; the "
	        "capture and its analysis go on without it\n",
	        ds->path, strerror(ds->err), (unsigned long long)ds->good_n);
}

/* The kernel's drop counter.  libpcap reads two files of /sys for it on
 * every call (the interface's missed and FIFO errors): so it is read every
 * LIVE_TICK_MS, not after every wake-up. */
static void live_stats(pcap_t *p, struct source_stats *st, uint64_t base)
{
	struct pcap_stat ps;
	if (pcap_stats(p, &ps) == 0)
		st->dropped = base + (uint64_t)ps.ps_drop + ps.ps_ifdrop;
}

static bool tick_due(struct timespec *last)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (ms_between(last, &now) < LIVE_TICK_MS)
		return false;
	*last = now;
	return true;
}

int source_live(const struct config *cfg, const struct source_hooks *hooks,
                struct reassembly *r, struct source_stats *st, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	int rc = -1;
	uint64_t base = st->dropped;
	pcap_t *p = pcap_create(cfg->interface, perr);
	if (!p) {
		snprintf(err, errlen, "%s: %s", cfg->interface, perr);
		return -1;
	}
	struct loop_ctx lc = {0, r, st, NULL, NULL, hooks, 0, 0, 0};
	struct dump_state ds = {cfg->write_file, 0, 0, 0, 0};
	pcap_set_snaplen(p, cfg->snaplen > 0 ? cfg->snaplen : 262144);
	pcap_set_promisc(p, !cfg->no_promisc);
	/* Not immediate mode: libpcap would then use TPACKET_V2, whose ring is
	 * of fixed frames as large as the snaplen (512 KiB blocks for 262144:
	 * 64 MiB held 255 packets, a few milliseconds at 1 Gbit/s).  TPACKET_V3
	 * packs packets into the ring's blocks, and hands over a block when it
	 * is full or LIVE_TICK_MS after its first packet: verdicts are that
	 * late at most. */
	pcap_set_timeout(p, LIVE_TICK_MS);
	pcap_set_buffer_size(
	    p, (cfg->buffer_kib > 0 ? cfg->buffer_kib : LIVE_BUFFER_KIB) * 1024);
	int act = pcap_activate(p);
	if (act < 0) {
		const char *next = "";
		if (act == PCAP_ERROR_PERM_DENIED)
			next = "; capture as root (sudo), or let certscope capture: sudo "
			       "setcap cap_net_raw,cap_net_admin=eip $(command -v "
			       "certscope)";
		else if (act == PCAP_ERROR_NO_SUCH_DEVICE)
			next = "; certscope -D lists the interfaces";
		snprintf(err, errlen, "%s: %s%s", cfg->interface, pcap_geterr(p), next);
		goto out;
	}
	if (act > 0 && !cfg->quiet)
		fprintf(stderr, "certscope: %s: %s\n", cfg->interface, pcap_geterr(p));
	if (cfg->write_file) {
		lc.dump = pcap_dump_open(p, cfg->write_file);
		if (!lc.dump) {
			snprintf(err, errlen, "-w %s: %s", cfg->write_file,
			         pcap_geterr(p));
			goto out;
		}
		ds.good = pcap_dump_ftell64(lc.dump);
	}
	if (drop_privileges(cfg, err, errlen) < 0)
		goto out;
	report_link(p, cfg->interface, &lc);
	if (apply_filter(p, cfg, cfg->interface, err, errlen) < 0)
		goto out;
	if (pcap_setnonblock(p, 1, perr) < 0) {
		snprintf(err, errlen, "%s: %s", cfg->interface, perr);
		goto out;
	}
	if (hooks && hooks->begin)
		hooks->begin(hooks->ctx, cfg->interface);
	live_handle = p;
	struct pollfd pfd = {pcap_get_selectable_fd(p), POLLIN, 0};
	struct timespec last;
	clock_gettime(CLOCK_MONOTONIC, &last);
	int n = 0;
	while (!stop_requested) {
		/* wait at most a tick, so a stop and the drop counter are never late */
		if (pfd.fd >= 0 && poll(&pfd, 1, LIVE_TICK_MS) < 0 && errno != EINTR)
			break;
		n = pcap_dispatch(p, -1, on_packet, (u_char *)&lc);
		if (n == PCAP_ERROR || n == PCAP_ERROR_BREAK)
			break;
		if (n == 0 || tick_due(&last)) {
			live_stats(p, st, base);
			dump_flush(&lc, &ds);
		}
		if (hooks && hooks->tick)
			hooks->tick(hooks->ctx, st);
	}
	live_handle = NULL;
	live_stats(p, st, base);
	dump_flush(&lc, &ds);
	if (n == PCAP_ERROR) {
		snprintf(err, errlen, "%s: %s", cfg->interface, pcap_geterr(p));
		goto out;
	}
	rc = 0;
	if (ds.err) {
		snprintf(err, errlen,
		         "-w %s: %s: %llu packets were not written to it (they are in "
		         "the analysis); free space on its disk, or write elsewhere",
		         cfg->write_file, strerror(ds.err), (unsigned long long)ds.lost);
		rc = -1;
	}
out:
	if (lc.dump)
		pcap_dump_close(lc.dump);
	pcap_close(p);
	return rc;
}
