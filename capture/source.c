/* source.c: libpcap capture files (pcap and pcapng) and live interfaces. */
#include "source.h"

#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static pcap_t *volatile live_handle;

struct loop_ctx {
	int dlt;
	struct reassembly *r;
	struct source_stats *st;
};

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct loop_ctx *lc = (struct loop_ctx *)user;
	struct tcp_segment seg;
	lc->st->packets++;
	lc->st->bytes += h->len;
	memset(&seg, 0, sizeof(seg));
	seg.ts = h->ts;
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
}

static int apply_filter(pcap_t *p, const struct config *cfg, const char *what, char *err,
			size_t errlen)
{
	struct bpf_program prog;
	if (!cfg->filter)
		return 0;
	if (pcap_compile(p, &prog, cfg->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s: bad filter \"%s\": %s", what, cfg->filter, pcap_geterr(p));
		return -1;
	}
	int rc = pcap_setfilter(p, &prog);
	if (rc < 0)
		snprintf(err, errlen, "%s: cannot set the filter: %s", what, pcap_geterr(p));
	pcap_freecode(&prog);
	return rc < 0 ? -1 : 0;
}

static void report_link(pcap_t *p, const char *what, struct loop_ctx *lc)
{
	lc->dlt = pcap_datalink(p);
	if (!link_supported(lc->dlt)) {
		const char *name = pcap_datalink_val_to_name(lc->dlt);
		fprintf(stderr, "certscope: %s: link type %s (%d) is not supported; its packets are skipped\n",
			what, name ? name : "unknown", lc->dlt);
	}
}

int source_read_file(const char *path, const struct config *cfg, struct reassembly *r,
		     struct source_stats *st, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	const char *what = strcmp(path, "-") == 0 ? "standard input" : path;
	int rc = -1;
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (!p) {
		snprintf(err, errlen, "%s: %s", what, perr);
		return -1;
	}
	struct loop_ctx lc = {0, r, st};
	report_link(p, what, &lc);
	if (apply_filter(p, cfg, what, err, errlen) < 0)
		goto out;
	int n = pcap_loop(p, -1, on_packet, (u_char *)&lc);
	if (n == PCAP_ERROR) {
		snprintf(err, errlen, "%s: %s", what, pcap_geterr(p));
		goto out;
	}
	rc = 0;
out:
	pcap_close(p);
	return rc;
}

void source_stop(void)
{
	pcap_t *p = live_handle;
	if (p)
		pcap_breakloop(p);
}

int source_live(const struct config *cfg, struct reassembly *r, struct source_stats *st,
		char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	int rc = -1;
	pcap_t *p = pcap_create(cfg->interface, perr);
	if (!p) {
		snprintf(err, errlen, "%s: %s", cfg->interface, perr);
		return -1;
	}
	pcap_set_snaplen(p, cfg->snaplen > 0 ? cfg->snaplen : 262144);
	pcap_set_promisc(p, 1);
	pcap_set_immediate_mode(p, 1);
	pcap_set_timeout(p, 250);
	int act = pcap_activate(p);
	if (act < 0) {
		snprintf(err, errlen, "%s: %s", cfg->interface, pcap_geterr(p));
		goto out;
	}
	struct loop_ctx lc = {0, r, st};
	report_link(p, cfg->interface, &lc);
	if (apply_filter(p, cfg, cfg->interface, err, errlen) < 0)
		goto out;
	live_handle = p;
	int n = pcap_loop(p, -1, on_packet, (u_char *)&lc);
	live_handle = NULL;
	struct pcap_stat ps;
	if (pcap_stats(p, &ps) == 0)
		st->dropped += (uint64_t)ps.ps_drop + ps.ps_ifdrop;
	if (n == PCAP_ERROR) {
		snprintf(err, errlen, "%s: %s", cfg->interface, pcap_geterr(p));
		goto out;
	}
	rc = 0;
out:
	pcap_close(p);
	return rc;
}
