/* live_rows.h: what the live view holds, shared by live_rows.c (the rows,
 * filled from the capture thread under the lock) and live.c (the view,
 * drawn on the main thread). */
#ifndef CERTSCOPE_LIVE_ROWS_H
#define CERTSCOPE_LIVE_ROWS_H

#include "live.h"

#include <pthread.h>
#include <stdint.h>

/* Rows kept; past this the oldest are let go (the text report of
 * everything can still be written with --json or without --ui). */
#define LIVE_MAX_ROWS 100000

struct der_chain {
	unsigned char **der;
	size_t *len;
	size_t n;
};

struct row {
	uint64_t seq;
	char when[16];
	char client[ENDPOINT_ADDRSTRLEN + 8];
	char server[ENDPOINT_ADDRSTRLEN + 8];
	char service[24];
	char sni[96];
	char version[12];
	char outcome[12];
	enum severity worst;
	bool has_diag;
	char worst_code[48];
	char *detail;   /* the text report of this handshake */
	char *haystack; /* lower case: addresses, SNI, subjects, codes */
	struct der_chain sent[2], completed[2];
	char base[160]; /* export file name: time, flow, no certificate text */
};

enum sort_key { SORT_ARRIVAL, SORT_SEVERITY, SORT_SERVER, SORT_COUNT };

struct live {
	const struct config *cfg;
	pthread_mutex_t mu;
	struct row **rows;
	size_t n, cap;
	uint64_t seq;
	uint64_t dropped_rows;
	struct live_counters counters;
	bool capture_done;
	char done_msg[256];
	char source[256], filter[256];
	bool changed;

	/* the view's own state, main thread only */
	bool utf8;
	size_t sel;  /* index into the visible list */
	size_t top;  /* first visible row on screen */
	bool follow; /* keep the newest row selected */
	bool failures_only;
	enum sort_key sort;
	char search[128];
	char message[256];
	volatile sig_atomic_t *quit_flag;
};

void row_free(struct row *r);

#endif
