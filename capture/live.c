/* live.c: live capture on an interface: the device opened with -B, -p, -s,
 * -w and -Z as the options say, read on a thread of its own (read.h), the
 * kernel's drop counter; and the interfaces -D lists. */
#include "source.h"
#include "input.h"
#include "read.h"

#include <errno.h>
#include <grp.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The kernel's ring when -B does not say (libpcap's default is 2 MiB, a few
 * milliseconds of a busy gigabit port) */
#define LIVE_BUFFER_KIB 65536

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
/* What a live capture keeps while it runs. */
struct live_run {
	struct loop_ctx lc;
	struct dump_state ds;
	uint64_t base; /* drops counted before this capture */
	/* the kernel's drops as the reader thread last read them; libpcap
	 * reads two files of /sys for them on every call (the interface's
	 * missed and FIFO errors), so that is every LIVE_TICK_MS, not after
	 * every wake-up */
	_Atomic uint64_t drops;
};

static void kernel_drops(pcap_t *p, struct live_run *lv)
{
	struct pcap_stat ps;
	if (pcap_stats(p, &ps) == 0)
		atomic_store(&lv->drops, (uint64_t)ps.ps_drop + ps.ps_ifdrop);
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

/* On the decoding thread, every LIVE_TICK_MS and when it has caught up. */
static void live_tick(struct loop_ctx *lc, void *arg)
{
	struct live_run *lv = arg;
	lc->st->dropped = lv->base + atomic_load(&lv->drops);
	dump_flush(lc, &lv->ds);
	if (lc->hooks && lc->hooks->tick)
		lc->hooks->tick(lc->hooks->ctx, lc->st);
}

/* The reader thread: only waits for the kernel, copies what it hands over
 * into batches, and reads the drop counter.  While a handshake is judged
 * the ring goes on being emptied. */
static int live_body(pcap_t *p, struct reader *rd, void *arg)
{
	struct live_run *lv = arg;
	struct pollfd pfd = {pcap_get_selectable_fd(p), POLLIN, 0};
	struct timespec last;
	clock_gettime(CLOCK_MONOTONIC, &last);
	int n = 0;
	while (!source_stopped()) {
		/* wait a quarter of a tick at most: a stop (which a signal to the
		 * other thread does not interrupt here) and the drop counter are
		 * never late */
		if (pfd.fd >= 0 && poll(&pfd, 1, LIVE_TICK_MS / 4) < 0 && errno != EINTR)
			break;
		n = pcap_dispatch(p, -1, reader_packet, (u_char *)rd);
		if (n == PCAP_ERROR || n == PCAP_ERROR_BREAK)
			break;
		reader_hand_over(rd);
		if (n == 0 || tick_due(&last))
			kernel_drops(p, lv);
	}
	return n;
}

/* No second thread: the same on this one. */
static int live_loop(pcap_t *p, struct live_run *lv, char *perr, size_t perrlen)
{
	struct pollfd pfd = {pcap_get_selectable_fd(p), POLLIN, 0};
	struct timespec last;
	clock_gettime(CLOCK_MONOTONIC, &last);
	int n = 0;
	while (!source_stopped()) {
		if (pfd.fd >= 0 && poll(&pfd, 1, LIVE_TICK_MS / 4) < 0 && errno != EINTR)
			break;
		n = pcap_dispatch(p, -1, loop_packet, (u_char *)&lv->lc);
		if (n == PCAP_ERROR || n == PCAP_ERROR_BREAK)
			break;
		if (n == 0 || tick_due(&last)) {
			kernel_drops(p, lv);
			live_tick(&lv->lc, lv);
		}
	}
	if (n == PCAP_ERROR)
		snprintf(perr, perrlen, "%s", pcap_geterr(p));
	return n;
}

/* Opens cfg->interface: 0, or -1 with err set. */
static int live_open(pcap_t *p, const struct config *cfg, struct live_run *lv, char *err,
                     size_t errlen)
{
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
		return -1;
	}
	if (act > 0 && !cfg->quiet)
		fprintf(stderr, "certscope: %s: %s\n", cfg->interface, pcap_geterr(p));
	if (cfg->write_file) {
		lv->lc.dump = pcap_dump_open(p, cfg->write_file);
		if (!lv->lc.dump) {
			snprintf(err, errlen, "-w %s: %s", cfg->write_file,
			         pcap_geterr(p));
			return -1;
		}
		lv->ds.good = pcap_dump_ftell64(lv->lc.dump);
	}
	if (drop_privileges(cfg, err, errlen) < 0)
		return -1;
	loop_link(p, cfg->interface, &lv->lc);
	if (loop_filter(p, cfg, cfg->interface, err, errlen) < 0)
		return -1;
	char perr[PCAP_ERRBUF_SIZE] = "";
	if (pcap_setnonblock(p, 1, perr) < 0) {
		snprintf(err, errlen, "%s: %s", cfg->interface, perr);
		return -1;
	}
	return 0;
}

int source_live(const struct config *cfg, const struct source_hooks *hooks,
                struct reassembly *r, struct source_stats *st, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	int rc = -1;
	struct live_run *lv = calloc(1, sizeof(*lv));
	pcap_t *p = lv ? pcap_create(cfg->interface, perr) : NULL;
	if (!p) {
		snprintf(err, errlen, "%s: %s", cfg->interface,
		         lv ? perr : "out of memory");
		free(lv);
		return -1;
	}
	lv->lc = (struct loop_ctx){0, r, st, NULL, NULL, hooks, 0, 0, 0};
	lv->ds = (struct dump_state){cfg->write_file, 0, 0, 0, 0};
	lv->base = st->dropped;
	if (live_open(p, cfg, lv, err, errlen) < 0)
		goto out;
	if (hooks && hooks->begin)
		hooks->begin(hooks->ctx, cfg->interface);
	source_reading(p);
	int n = source_stopped() ? 0
	                         : read_threaded(p, &lv->lc, live_body, live_tick, lv,
	                                         perr, sizeof(perr));
	if (n == NO_READER)
		n = live_loop(p, lv, perr, sizeof(perr));
	source_reading(NULL);
	kernel_drops(p, lv);
	st->dropped = lv->base + atomic_load(&lv->drops);
	dump_flush(&lv->lc, &lv->ds);
	if (n == PCAP_ERROR) {
		snprintf(err, errlen, "%s: %s", cfg->interface, perr);
		goto out;
	}
	rc = 0;
	if (lv->ds.err) {
		snprintf(err, errlen,
		         "-w %s: %s: %llu packets were not written to it (they are in "
		         "the analysis); free space on its disk, or write elsewhere",
		         cfg->write_file, strerror(lv->ds.err),
		         (unsigned long long)lv->ds.lost);
		rc = -1;
	}
out:
	if (lv->lc.dump)
		pcap_dump_close(lv->lc.dump);
	pcap_close(p);
	free(lv);
	return rc;
}
