/* config.h: everything the command line decides, passed down read-only. */
#ifndef CERTSCOPE_CONFIG_H
#define CERTSCOPE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct expect_name {
	char *addr; /* textual address, or NULL for every server */
	int port;   /* 0 for any port */
	char *name;
};

struct trust_spec {
	char *addr; /* the device this store belongs to, or NULL for every device */
	char *path;
	bool is_dir;
	int port; /* only where addr judges on this server port; 0: any */
};

struct config {
	const char **read_files; /* -r, in order; "-" is standard input */
	size_t n_read_files;
	const char *interface; /* -i */
	char *filter;          /* trailing words joined, or NULL */
	bool json;
	const char *export_dir;
	const char *keylog;
	bool have_at; /* --at given: verify as of at, not as of the capture */
	time_t at;
	struct expect_name *expect;
	size_t n_expect;
	struct trust_spec *trust;
	size_t n_trust;
	const char **ca_pool; /* --ca-pool: CAs for fix kits, never to judge */
	size_t n_ca_pool;
	int ui; /* -1 default, 0 off, 1 on */
	bool color;
	bool utf8; /* standard output is a terminal of a UTF-8 locale */
	bool quiet;
	bool verbose;  /* -v: every handshake in the text report */
	bool progress; /* a progress line on standard error (a terminal, -r, not -q) */
	int snaplen;
	bool no_promisc;        /* -p */
	int buffer_kib;         /* -B */
	const char *write_file; /* -w */
	const char *drop_user;  /* -Z */

	/* Caps on what hostile or huge traffic can grow. */
	size_t max_flows;
	size_t max_ooo_per_dir;   /* out-of-order bytes buffered per direction */
	size_t max_ooo_total;     /* out-of-order bytes buffered in all */
	size_t max_handshake_msg; /* one handshake message */
	size_t max_tls_buffered;  /* record and message buffers of all flows together */
	size_t max_chain_certs;
	size_t max_cert_size; /* one certificate's DER: larger ones are kept undecoded */
	size_t max_trust_files; /* files read of one trust folder */
	size_t max_keylog_lines;
	size_t max_findings;   /* distinct findings kept */
	uint32_t idle_timeout; /* seconds of capture time */
};

void config_defaults(struct config *cfg);
/* --cap NAME=VALUE: sets one cap; false with a one-line reason in err. */
bool config_set_cap(struct config *cfg, const char *arg, char *err, size_t errlen);

#endif
