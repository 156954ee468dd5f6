/* main.c: certscope's command line (CONTRACT.md), and the wiring of
 * capture -> reassembly -> dissector -> writers. */
#include "../capture/reassembly.h"
#include "../capture/source.h"
#include "../common/alloc.h"
#include "../common/config.h"
#include "../dissect/dissect.h"
#include "../dissect/keylog.h"
#include "../judge/judge.h"
#include "../judge/truststore.h"
#include "args.h"
#include "faults.h"
#include "live.h"
#include "output.h"
#include "setup.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <errno.h>
#include <pwd.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef CERTSCOPE_VERSION
#define CERTSCOPE_VERSION "0"
#endif

#define EXIT_FINDINGS 1
#define EXIT_INPUT    2

static const char usage_text[] =
    "usage: certscope -r FILE [-r FILE ...] [options] [BPF filter]\n"
    "       certscope -i IFACE [options] [BPF filter]\n"
    "Shows each TLS handshake's certificates and alerts, why it failed, what to fix.\n"
    "\n"
    "  -r FILE                   read a pcap or pcapng file (- is stdin); repeatable\n"
    "  -i IFACE, -D              capture live (a SPAN port); -D: list the interfaces\n"
    "  -s SNAPLEN, -B KiB, -p    live: bytes kept, kernel buffer, not promiscuous\n"
    "  -w FILE, -Z USER          live: also write the packets to FILE; run as USER\n"
    "  --trust-dir [ADDR[:PORT]=]DIR  trusted CAs: a folder (of ADDR's service)\n"
    "  --trust-file [ADDR[:PORT]=]FILE  trusted CAs: a PEM/DER/PKCS#7 file\n"
    "  --expect-name [ADDR[:PORT]=]NAME  the name peers verify (no SNI); repeatable\n"
    "  --at TIME                 verify as of TIME (RFC 3339, now); default: capture\n"
    "  --json                    NDJSON on standard output instead of the report\n"
    "  --export-pem DIR, --ca-pool PATH  chains and fix kits to DIR; CAs for kits\n"
    "  --keylog FILE             NSS key log (SSLKEYLOGFILE) to decrypt TLS 1.3\n"
    "  --ui, --no-ui             live view, on for -i on a tty (Tab: findings; ?)\n"
    "  -q, -v, --cap NAME=N      quiet; every handshake in full; raise a cap\n"
    "  -h, --help, --version     this help; versions of certscope, libpcap, OpenSSL\n"
    "examples (more in certscope(1)):\n"
    "  certscope -r customer.pcapng --trust-dir cucm-trust/   a capture, one store\n"
    "  certscope -i eth1 port 7001 or port 5061               a SPAN port, live\n"
    "  certscope -r trace.pcap --json | jq .diagnoses         the same as NDJSON\n"
    "  certscope -r trace.pcap --export-pem chains/           save every chain\n"
    "exit status: 0 no error found, 1 an error finding, 2 a usage or input error\n";

enum {
	OPT_JSON = 256,
	OPT_EXPORT,
	OPT_AT,
	OPT_EXPECT,
	OPT_TRUST_DIR,
	OPT_TRUST_FILE,
	OPT_KEYLOG,
	OPT_UI,
	OPT_NO_UI,
	OPT_VERSION,
	OPT_CAP,
	OPT_CA_POOL,
};

static const struct option long_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"export-pem", required_argument, NULL, OPT_EXPORT},
    {"at", required_argument, NULL, OPT_AT},
    {"expect-name", required_argument, NULL, OPT_EXPECT},
    {"trust-dir", required_argument, NULL, OPT_TRUST_DIR},
    {"trust-file", required_argument, NULL, OPT_TRUST_FILE},
    {"keylog", required_argument, NULL, OPT_KEYLOG},
    {"ui", no_argument, NULL, OPT_UI},
    {"no-ui", no_argument, NULL, OPT_NO_UI},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"cap", required_argument, NULL, OPT_CAP},
    {"ca-pool", required_argument, NULL, OPT_CA_POOL},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("certscope: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'certscope --help' for more information.\n", stderr);
	return EXIT_INPUT;
}

struct app {
	const struct config *cfg;
	FILE *out;
	struct exporter *exporter; /* with --export-pem */
	struct fixkit *fixkit;     /* likewise */
	struct live *live;         /* the live view, or NULL */
	struct reassembly *r;
	struct dissector *d;
	struct judge *judge;
	struct findings *findings;
	struct json_writer *json; /* with --json */
	const char *file;         /* the capture being read; NULL live */
	/* every capture's name, kept to the end: the NDJSON writer knows a
	 * file by its pointer, so no name's storage is used twice */
	char **names;
	size_t n_names;
	uint64_t failed; /* handshakes refused (alert) or cut off (aborted) */
	uint64_t lost;   /* handshakes left out: judging them ran out of memory */
	struct source_stats st;
	struct source_hooks hooks;
	bool input_failed;
	bool *expect_used; /* for each --expect-name: a server it names was seen */
	const struct trust_set *trust_set;
	bool header;    /* the text report's header is due at the first capture */
	bool out_tty;   /* out is a terminal */
	bool unflushed; /* live: out holds what the next tick flushes */
	bool begun;     /* a capture was opened: the run has a summary */
};

static void publish(struct app *a, const struct source_stats *st)
{
	struct run_totals t = {.src = st,
	                       .tcp = reassembly_stats(a->r),
	                       .tls = dissector_stats(a->d),
	                       .judged = judge_stats(a->judge),
	                       .failed = a->failed,
	                       .exported =
	                           a->exporter ? exporter_stats(a->exporter) : NULL};
	live_publish(a->live, &t);
}

static void on_tick(void *ctx, const struct source_stats *st)
{
	struct app *a = ctx;
	if (a->live)
		publish(a, st);
	if (a->unflushed) {
		a->unflushed = false;
		fflush(a->out);
		faults_check_output(a->out);
	}
}

/* A capture begins: a file, a folder's file or an archive's member. */
static void on_begin(void *ctx, const char *name)
{
	struct app *a = ctx;
	a->begun = true;
	if (a->live && a->cfg->interface && geteuid() != 0) {
		const struct passwd *pw = getpwuid(geteuid());
		char note[256];
		snprintf(note, sizeof(note), "capturing on %s as user %s", name,
		         pw ? pw->pw_name : "?");
		live_note(a->live, note);
	}
	if (a->header) {
		report_header(stdout, a->cfg, a->trust_set);
		a->header = false;
	}
	if (a->cfg->interface || (a->file && strcmp(a->file, name) == 0))
		return;
	char **v = realloc(a->names, (a->n_names + 1) * sizeof(*v));
	if (!v)
		return; /* the last name stands */
	a->names = v;
	if (!(v[a->n_names] = strdup(name)))
		return;
	a->file = v[a->n_names++];
}

/* An --expect-name that names this handshake's server was of use. */
static void mark_expect_used(struct app *a, const struct handshake *hs)
{
	for (size_t i = 0; a->expect_used && i < a->cfg->n_expect; i++) {
		const struct expect_name *e = &a->cfg->expect[i];
		struct endpoint ep = {0};
		if (e->port && e->port != hs->server.port)
			continue;
		if (e->addr &&
		    (!endpoint_parse_addr(e->addr, &ep) ||
		     ep.family != hs->server.family ||
		     memcmp(ep.addr, hs->server.addr, ep.family == 4 ? 4 : 16)))
			continue;
		a->expect_used[i] = true;
	}
}

/* The pipeline's last stage: a finished handshake is judged, then each
 * writer renders it with its verdict. */
static void emit(void *ctx, const struct handshake *hs)
{
	struct app *a = ctx;
	struct verdict v;
	/* a verdict made short of memory may be wrong: it is left out */
	uint64_t failures = alloc_failures();
	if (judge_run(a->judge, hs, &v) < 0 || alloc_failures() != failures) {
		a->lost++;
		verdict_fini(&v);
		return;
	}
	if (!a->live) /* the view adds it to the findings under its lock */
		findings_add(a->findings, hs, &v, a->file);
	if (hs->outcome == OUTCOME_ALERT || hs->outcome == OUTCOME_ABORTED)
		a->failed++;
	mark_expect_used(a, hs);
	if (a->live) {
		live_add(a->live, hs, &v, a->file);
		publish(a, &a->st);
	} else if (a->json)
		json_handshake(a->json, hs, &v, a->file);
	else if (a->cfg->verbose || a->cfg->interface)
		report_handshake(a->out, hs, &v, a->cfg->color);
	/* live, a handshake reaches a terminal at once and a pipe or file at
	 * the next tick (200 ms at most): a write for each handshake cost the
	 * capture as much as judging it */
	if (a->cfg->interface && a->out_tty)
		fflush(a->out);
	else if (a->cfg->interface)
		a->unflushed = true;
	faults_check_output(a->out);
	if (a->exporter) {
		export_handshake(a->exporter, hs, &v);
		fixkit_add(a->fixkit, hs, &v);
	}
	verdict_fini(&v);
}

/* Every source in turn; what was read before a fault is still analysed. */
static void capture(struct app *a)
{
	char err[1024];
	const struct config *cfg = a->cfg;
	if (cfg->interface &&
	    source_live(cfg, &a->hooks, a->r, &a->st, err, sizeof(err)) < 0) {
		fprintf(stderr, "certscope: %s\n", err);
		a->input_failed = true;
	}
	for (size_t i = 0; i < cfg->n_read_files; i++) {
		if (source_read_file(cfg->read_files[i], cfg, &a->hooks, a->r, &a->st,
		                     err, sizeof(err)) < 0) {
			fprintf(stderr, "certscope: %s\n", err);
			a->input_failed = true;
		}
	}
	/* the flows still open end with the input */
	reassembly_finish(a->r);
}

static void *capture_thread(void *arg)
{
	struct app *a = arg;
	capture(a);
	publish(a, &a->st);
	live_capture_done(a->live,
	                  a->input_failed ? "input error: see after quitting" : NULL);
	return NULL;
}

/* The view owns the terminal: notes for standard error wait in a file and
 * are shown after it closes. */
static int hold_stderr(void)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	if (!tmp || saved < 0 || dup2(fileno(tmp), STDERR_FILENO) < 0)
		return -1;
	return saved;
}

static void release_stderr(int saved)
{
	char buf[4096];
	ssize_t n;
	if (saved < 0)
		return;
	fflush(stderr);
	off_t end = lseek(STDERR_FILENO, 0, SEEK_CUR);
	lseek(STDERR_FILENO, 0, SEEK_SET);
	while (end > 0 && (n = read(STDERR_FILENO, buf, sizeof(buf))) > 0) {
		if (write(saved, buf, (size_t)n) < 0)
			break;
		end -= n;
	}
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* What the command line gave, owned until args_fini(). */
struct args {
	struct config cfg;
	const char **files;
	const char **pool;
	struct expect_name *expect;
	struct trust_spec *trust;
	bool ui;
};

static void args_fini(struct args *a)
{
	free(a->files);
	free(a->pool);
	for (size_t i = 0; i < a->cfg.n_expect; i++) {
		free(a->expect[i].addr);
		free(a->expect[i].name);
	}
	free(a->expect);
	for (size_t i = 0; i < a->cfg.n_trust; i++) {
		free(a->trust[i].addr);
		free(a->trust[i].path);
	}
	free(a->trust);
	free(a->cfg.filter);
}

/* Each grows a list of the arguments by one; -1 with a usage error's exit
 * status written, or -2 when out of memory. */
static int add_file(struct args *a, const char *path)
{
	const char **v = realloc(a->files, (a->cfg.n_read_files + 1) * sizeof(*v));
	if (!v)
		return -2;
	a->files = v;
	a->files[a->cfg.n_read_files++] = path;
	return 0;
}

static int add_pool(struct args *a, const char *path)
{
	const char **v = realloc(a->pool, (a->cfg.n_ca_pool + 1) * sizeof(*v));
	if (!v)
		return -2;
	a->pool = v;
	a->pool[a->cfg.n_ca_pool++] = path;
	return 0;
}

static int add_expect(struct args *a, const char *arg)
{
	struct expect_name *v = realloc(a->expect, (a->cfg.n_expect + 1) * sizeof(*v));
	if (!v)
		return -2;
	a->expect = v;
	if (!parse_expect(arg, &a->expect[a->cfg.n_expect]))
		return usage_error("--expect-name: expected [ADDR[:PORT]=]NAME, got %s",
		                   arg),
		       -1;
	a->cfg.n_expect++;
	return 0;
}

static int add_trust(struct args *a, const char *arg, bool is_dir)
{
	struct trust_spec *v = realloc(a->trust, (a->cfg.n_trust + 1) * sizeof(*v));
	if (!v)
		return -2;
	a->trust = v;
	int pr = parse_trust(arg, is_dir, &a->trust[a->cfg.n_trust]);
	if (pr == -2) {
		free(a->trust[a->cfg.n_trust].addr);
		return usage_error("--trust-dir/--trust-file %s: the part before '=' is "
		                   "not an IP address (ADDR=, ADDR:PORT= or "
		                   "[IPv6]:PORT=), and no such file exists",
		                   arg),
		       -1;
	}
	if (pr < 0) {
		free(a->trust[a->cfg.n_trust].addr);
		free(a->trust[a->cfg.n_trust].path);
		return usage_error("--trust-dir/--trust-file: expected "
		                   "[ADDR[:PORT]=]PATH, got %s",
		                   arg),
		       -1;
	}
	a->cfg.n_trust++;
	return 0;
}

/* One option of getopt's; 0 to go on, else the exit status (-1 for "out of
 * memory": EXIT_INPUT). */
static int take_option(struct args *a, int opt)
{
	struct config *cfg = &a->cfg;
	char why[256];
	int r = 0;
	switch (opt) {
	case 'r':
		r = add_file(a, optarg);
		break;
	case 'i':
		cfg->interface = optarg;
		break;
	case 's':
		if (!number_arg(optarg, 0, 262144, &cfg->snaplen))
			return usage_error("-s: not a snapshot length: %s", optarg);
		break;
	case 'q':
		cfg->quiet = true;
		break;
	case 'v':
		cfg->verbose = true;
		break;
	case 'p':
		cfg->no_promisc = true;
		break;
	case 'B':
		if (!number_arg(optarg, 1, 4 * 1024 * 1024, &cfg->buffer_kib))
			return usage_error("-B: not a buffer size in KiB: %s", optarg);
		break;
	case 'w':
		cfg->write_file = optarg;
		break;
	case 'Z':
		cfg->drop_user = optarg;
		break;
	case OPT_JSON:
		cfg->json = true;
		break;
	case OPT_EXPORT:
		cfg->export_dir = optarg;
		break;
	case OPT_AT:
		if (!parse_time(optarg, &cfg->at))
			return usage_error(
			    "--at: not an RFC 3339 time, a date or 'now': %s", optarg);
		cfg->have_at = true;
		break;
	case OPT_EXPECT:
		r = add_expect(a, optarg);
		break;
	case OPT_TRUST_DIR:
	case OPT_TRUST_FILE:
		r = add_trust(a, optarg, opt == OPT_TRUST_DIR);
		break;
	case OPT_KEYLOG:
		cfg->keylog = optarg;
		break;
	case OPT_CA_POOL:
		r = add_pool(a, optarg);
		break;
	case OPT_CAP:
		if (!config_set_cap(cfg, optarg, why, sizeof(why)))
			return usage_error("%s", why);
		break;
	case OPT_UI:
	case OPT_NO_UI:
		cfg->ui = opt == OPT_UI;
		break;
	default:
		fputs("Try 'certscope --help' for more information.\n", stderr);
		return EXIT_INPUT;
	}
	return r == 0 ? 0 : EXIT_INPUT;
}

/* True when every word names a file or folder that exists. */
static bool all_files(char **words, int n)
{
	for (int i = 0; i < n; i++)
		if (access(words[i], F_OK) != 0)
			return false;
	return n > 0;
}

/* What the options say together; 0, or a usage error's exit status. */
static int settle(struct args *a, int argc, char **argv)
{
	struct config *cfg = &a->cfg;
	cfg->read_files = a->files;
	cfg->ca_pool = a->pool;
	cfg->expect = a->expect;
	cfg->trust = a->trust;
	/* "-r a.pcap b.pcap c.pcap": words that all name files are captures,
	 * not a filter (tcpdump would fail to compile them) */
	if (optind < argc && !cfg->interface && all_files(argv + optind, argc - optind)) {
		for (int i = optind; i < argc; i++)
			if (add_file(a, argv[i]) < 0)
				return EXIT_INPUT;
		cfg->read_files = a->files;
		if (!cfg->quiet)
			fprintf(stderr,
			        "certscope: reading %s%s as capture%s, not as a BPF "
			        "filter (each file may have its own -r)\n",
			        argv[optind],
			        argc - optind > 1 ? " and the words after it" : "",
			        argc - optind > 1 ? "s" : "");
		optind = argc;
	}
	if (optind < argc) {
		cfg->filter = join_words(argv + optind, argc - optind);
		if (!cfg->filter)
			return EXIT_INPUT;
	}
	if (!cfg->n_read_files && !cfg->interface)
		return usage_error("%s", "nothing to read: give -r FILE or -i IFACE");
	if (cfg->n_read_files && cfg->interface)
		return usage_error("%s", "-r and -i cannot be combined");
	if (cfg->write_file && !cfg->interface)
		return usage_error("%s", "-w writes what a live capture (-i) sees");
	/* the live view: asked for, or by default for -i on a terminal */
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	a->ui = cfg->ui == 1 || (cfg->ui == -1 && cfg->interface && !cfg->json && tty);
	if (a->ui && !tty)
		return usage_error("%s", "--ui needs a terminal");
	cfg->color = !cfg->json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	cfg->utf8 = isatty(STDOUT_FILENO) && setlocale(LC_CTYPE, "") &&
	            strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	cfg->progress =
	    cfg->n_read_files && !cfg->quiet && isatty(STDERR_FILENO) && !a->ui;
	return 0;
}

/* The command line into a; 0 to run, else the exit status (--help and
 * --version exit 0). */
static int parse_args(struct args *a, int argc, char **argv, bool *done)
{
	int opt;
	config_defaults(&a->cfg);
	*done = false;
	while ((opt = getopt_long(argc, argv, "+r:i:s:B:w:Z:pqvhD", long_options,
	                          NULL)) != -1) {
		if (opt == 'D') {
			char err[512];
			*done = true;
			if (source_list_interfaces(stdout, err, sizeof(err)) == 0)
				return 0;
			fprintf(stderr, "certscope: %s\n", err);
			return EXIT_INPUT;
		}
		if (opt == 'h' || opt == OPT_VERSION) {
			if (opt == 'h')
				fputs(usage_text, stdout);
			else
				printf("certscope %s\n%s\n%s\n", CERTSCOPE_VERSION,
				       pcap_lib_version(), crypto_version());
			*done = true;
			return 0;
		}
		int rc = take_option(a, opt);
		if (rc)
			return rc;
	}
	return settle(a, argc, argv);
}

/* The capture in the live view: read on a thread of its own while the view
 * owns the terminal.  False when the view could not start. */
static bool run_live(struct app *a)
{
	const struct config *cfg = a->cfg;
	char source[512];
	snprintf(source, sizeof(source), "%s%s%s",
	         cfg->interface ? cfg->interface : cfg->read_files[0],
	         cfg->n_read_files > 1 ? " (+ more files)" : "",
	         cfg->interface ? " live" : "");
	a->live = live_new(cfg, a->trust_set, a->findings, source, cfg->filter);
	if (a->live) {
		live_quit_on(a->live, faults_interrupted());
		/* still root: the folder e and w write to is opened now */
		const struct passwd *pw = cfg->interface ? source_drop_user(cfg) : NULL;
		live_output(a->live, pw ? pw->pw_name : NULL, pw ? pw->pw_uid : 0,
		            pw ? pw->pw_gid : 0);
	}
	pthread_t t;
	int saved = a->live ? hold_stderr() : -1;
	a->hooks.tick = on_tick;
	a->hooks.ctx = a;
	if (!a->live || pthread_create(&t, NULL, capture_thread, a) != 0) {
		release_stderr(saved);
		fputs("certscope: cannot start the live view\n", stderr);
		return false;
	}
	int ui_rc = live_run(a->live);
	/* quitting the view ends the capture; the summary follows */
	source_stop();
	pthread_join(t, NULL);
	release_stderr(saved);
	if (ui_rc < 0)
		fputs("certscope: cannot set up the terminal for the live view\n",
		      stderr);
	return true;
}

/* The columns of the terminal standard output is, or 0 (a file, a pipe):
 * the findings' sentences wrap there, as less and htop fit their screen. */
static int terminal_width(void)
{
	struct winsize ws;
	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0)
		return 0;
	return ws.ws_col;
}

/* The summary, and the exit status of the whole run. */
static int finish(struct app *a, const struct trust_set *trust_set)
{
	const struct config *cfg = a->cfg;
	struct run_totals totals = {
	    .src = &a->st,
	    .tcp = reassembly_stats(a->r),
	    .tls = dissector_stats(a->d),
	    .judged = judge_stats(a->judge),
	    .findings = a->findings,
	    .failed = a->failed,
	    .trust = trust_set,
	    .exported = a->exporter ? exporter_stats(a->exporter) : NULL,
	};
	if (a->exporter) {
		size_t n;
		const struct fix_kit *kits = fixkit_build(a->fixkit, &n);
		if (fixkit_dropped(a->fixkit))
			fprintf(
			    stderr,
			    "certscope: fix kits: %llu refused chains or presented CAs "
			    "past the caps of %d and %d were left out of them\n",
			    (unsigned long long)fixkit_dropped(a->fixkit),
			    FIXKIT_MAX_CASES, FIXKIT_MAX_CERTS);
		for (size_t i = 0; i < n; i++) {
			char name[FIXKIT_NAME_MAX];
			export_kit_folder(a->exporter, kits[i].name, name);
			fixkit_rename(a->fixkit, i, name);
		}
		bool *written = calloc(n ? n : 1, sizeof(*written));
		export_kits(a->exporter, kits, n, written);
		/* the advice names only kits that are on the disk */
		if (written)
			fixkit_advise(a->fixkit, a->findings, exporter_dir(a->exporter),
			              written);
		free(written);

		if (export_report(a->exporter) < 0)
			a->input_failed = true;
	}
	for (size_t i = 0; i < trust_set->n && !cfg->quiet; i++)
		if (trust_set->stores[i]->device && !trust_set->stores[i]->uses)
			fprintf(stderr,
			        "certscope: the trust store %s of %s judged no chain: no "
			        "handshake involved that address\n",
			        trust_set->stores[i]->label,
			        trust_set->stores[i]->device);
	for (size_t i = 0; a->expect_used && i < cfg->n_expect && !cfg->quiet; i++)
		if (!a->expect_used[i])
			fprintf(stderr,
			        "certscope: --expect-name %s%s%.0d%s%s checked no "
			        "certificate: "
			        "no handshake involved that server\n",
			        cfg->expect[i].addr ? cfg->expect[i].addr : "",
			        cfg->expect[i].port ? ":" : "", cfg->expect[i].port,
			        cfg->expect[i].addr ? "=" : "", cfg->expect[i].name);
	if (faults_pipe_closed()) {
		/* the reader has gone: nothing more to say */
	} else if (cfg->json) {
		json_findings(stdout, a->findings);
		json_summary(stdout, &totals);
	} else {
		report_findings(stdout, a->findings, cfg->color, terminal_width(),
		                cfg->utf8);
		report_summary(stdout, &totals, cfg->color);
	}
	fflush(stdout);
	if (a->input_failed)
		return EXIT_INPUT;
	return findings_stats(a->findings).errors || judge_stats(a->judge)->errors
	           ? EXIT_FINDINGS
	           : 0;
}

/* The pipeline: source -> reassembly -> dissector -> judge -> writers. */
static int run(struct app *a, bool ui, const struct trust_set *trust_set,
               const struct keylog *keylog, time_t today)
{
	const struct config *cfg = a->cfg;
	int rc = EXIT_INPUT;
	a->judge = judge_new(cfg, trust_set, today);
	a->findings = findings_new(cfg->max_findings);
	a->json = cfg->json ? json_writer_new(stdout) : NULL;
	a->expect_used = cfg->n_expect ? calloc(cfg->n_expect, sizeof(bool)) : NULL;
	a->d = dissector_new(cfg, emit, a);
	if (a->d && (cfg->keylog || keylog_count(keylog)))
		dissector_set_keylog(a->d, keylog);
	a->r = a->d ? reassembly_new(cfg, dissector_ops(), a->d) : NULL;
	if (!a->r || !a->judge || !a->findings || (cfg->json && !a->json)) {
		fputs("certscope: out of memory\n", stderr);
		goto out;
	}
	a->hooks.count = &dissector_stats(a->d)->handshakes;
	a->hooks.count_label = "handshakes";
	a->hooks.begin = on_begin;
	a->hooks.ctx = a;
	if (cfg->interface)
		a->hooks.tick = on_tick;
	a->out_tty = isatty(fileno(a->out));
	faults_catch_signals();
	/* the header waits for the first capture that opens: a run that
	 * could open none is its messages alone */
	a->trust_set = trust_set;
	a->header = !ui && !cfg->json;
	if (ui && !run_live(a))
		goto out;
	if (!ui) {
		/* without the live view only this thread writes the output: stdio
		 * need not lock the stream for every putc and fwrite (it would,
		 * the file reader being a second thread) */
		__fsetlocking(a->out, FSETLOCKING_BYCALLER);
		capture(a);
	}
	if (!ui && !a->begun && a->input_failed)
		goto out;
	rc = finish(a, trust_set);
out:
	reassembly_free(a->r);
	dissector_free(a->d);
	judge_free(a->judge);
	findings_free(a->findings);
	json_writer_free(a->json);
	live_free(a->live);
	for (size_t i = 0; i < a->n_names; i++)
		free(a->names[i]);
	free(a->names);
	free(a->expect_used);
	return rc;
}

int main(int argc, char **argv)
{
	struct args args = {0};
	struct trust_set trust_set = {0};
	struct trust_store *pool = NULL;
	struct keylog *keylog = NULL;
	struct app app = {.cfg = &args.cfg, .out = stdout};
	bool done;
	int rc = parse_args(&args, argc, argv, &done);
	if (rc || done)
		goto out;
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	/* a store that cannot be read at all is a usage error: judging against
	 * half a store would mislead */
	time_t today = judge_today();
	rc = EXIT_INPUT;
	/* a folder that cannot take the chains is known before a byte is read,
	 * and is held open before any drop of privileges */
	if (args.cfg.export_dir && !(app.exporter = exporter_new(args.cfg.export_dir)))
		goto out;
	const struct passwd *pw =
	    args.cfg.interface && geteuid() == 0 ? source_drop_user(&args.cfg) : NULL;
	if (app.exporter && pw &&
	    exporter_hand_over(app.exporter, pw->pw_uid, pw->pw_gid) < 0) {
		fprintf(stderr,
		        "certscope: --export-pem %s: %s for the user %s, whom certscope "
		        "runs as "
		        "once the capture is open: give %s write access to it, or choose "
		        "another folder\n",
		        args.cfg.export_dir, strerror(errno), pw->pw_name, pw->pw_name);
		goto out;
	}
	if (trust_set_load(&trust_set, &args.cfg, args.cfg.have_at ? args.cfg.at : today,
	                   stderr) < 0 ||
	    load_pool(&args.cfg, &pool) < 0)
		goto out;
	if (app.exporter && !(app.fixkit = fixkit_new(&trust_set, pool, today))) {
		fputs("certscope: out of memory\n", stderr);
		goto out;
	}
	keylog = load_keylog(&args.cfg, &rc);
	if (!keylog)
		goto out;
	rc = run(&app, args.ui, &trust_set, keylog, today);
out:
	rc = faults_finish(rc, app.lost);
	fixkit_free(app.fixkit);
	exporter_free(app.exporter);
	args_fini(&args);
	trust_set_fini(&trust_set);
	trust_store_free(pool);
	keylog_free(keylog);
	faults_exit();
	return rc;
}
