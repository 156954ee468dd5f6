/* live_rows.h: what the live view holds, shared by live_rows.c (the rows,
 * filled from the capture thread under the lock) and live.c (the view,
 * drawn on the main thread). */
#ifndef CERTSCOPE_LIVE_ROWS_H
#define CERTSCOPE_LIVE_ROWS_H

#include "live.h"
#include "output.h"

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

/* Findings a row names (the causes of its diagnoses), at most. */
#define ROW_MAX_FINDINGS 8

struct row {
	uint64_t seq;
	char when[16];
	char client[ENDPOINT_ADDRSTRLEN + 8]; /* with its port */
	char server[ENDPOINT_ADDRSTRLEN + 8];
	char service[24];       /* the sites table's label */
	char service_short[24]; /* the same, at most 9 columns */
	char sni[96];
	char version[12];
	char outcome[12];
	char refused[8]; /* "client", "server" or "" */
	enum severity worst;
	bool has_diag;
	char worst_code[48]; /* the code of its worst finding (the cause) */
	char findings[ROW_MAX_FINDINGS][17];
	size_t n_findings;
	char *detail;   /* the text report of this handshake */
	char *ladder;   /* its ladder, in ASCII */
	char *haystack; /* lower case: addresses, ports, SNI, subjects, codes */
	struct der_chain sent[2], completed[2];
	char base[160]; /* export file name: time, flow, no certificate text */
};

enum sort_key { SORT_ARRIVAL, SORT_SEVERITY, SORT_SERVER, SORT_COUNT };

/* What the run has counted so far, copied from the capture thread. */
struct live_totals {
	struct source_stats src;
	struct reassembly_stats tcp;
	struct dissect_stats tls;
	struct judge_stats judged;
	uint64_t failed;
	struct export_stats exported; /* with --export-pem (have_export) */
	bool have_export;
};

enum pane { PANE_HANDSHAKES, PANE_FINDINGS };

struct live {
	const struct config *cfg;
	const struct trust_set *trust;
	pthread_mutex_t mu;
	struct row **rows;
	size_t n, cap;
	uint64_t seq;
	uint64_t dropped_rows;
	struct findings
	    *findings; /* borrowed: filled here, under mu, while the view runs */
	struct live_totals totals;
	bool capture_done;
	char done_msg[256];
	char note[256]; /* from the capture thread, for the message line */
	char source[256], filter[256];
	bool changed;

	/* where e and w write: a folder opened before root was dropped */
	int out_fd;
	char out_path[4096];

	/* the view's own state, main thread only */
	enum pane pane;
	size_t sel;        /* index into the visible list */
	size_t top;        /* first visible row on screen */
	bool follow;       /* keep the newest row selected */
	size_t fsel, ftop; /* the findings pane's */
	bool failures_only;
	enum sort_key sort;
	char filter_text[128]; /* rows shown: those that match */
	char search[128];      /* / and n: the row to go to */
	char message[512];
	bool has_color;
	volatile sig_atomic_t *quit_flag;
};

void row_free(struct row *r);
/* Whether r's lower-case haystack holds text, in any case. */
bool row_matches(const struct row *r, const char *text);

/* live_draw.c: the two panes and the status bar; the caller holds mu. */
struct row **view_rows(struct live *lv, size_t *n);
void draw_table(struct live *lv, struct row **v, size_t n, int h, int w);
void draw_findings(struct live *lv, const struct finding *const *f, size_t n, int h,
                   int w);
void draw_status(struct live *lv, size_t n, int h, int w);
const char *sort_name(enum sort_key k);
/* Colour pairs, where the terminal has colours. */
bool start_colors(void);
/* Draws at most w columns of s at y, x: printable ASCII only ('?' else). */
void put(int y, int x, const char *s, int w);
/* s in at most w columns: cut with "..." when longer. */
void fit(char *out, size_t len, const char *s, int w);

/* live_detail.c: the detail screens; they take the lock themselves. */
/* Each returns true when the user asked to quit the view (F10). */
bool show_text(struct live *lv, const char *text);
bool show_handshake(struct live *lv, uint64_t seq);
bool show_finding(struct live *lv, const char *id);
/* Rows are kept in seq order; the caller holds mu. */
const struct row *find_row(const struct live *lv, uint64_t seq);

/* live_files.c: e and w. */
void export_key(struct live *lv, uint64_t seq);
void report_key(struct live *lv);
/* A one-line prompt at the bottom, starting empty; false on Esc. */
bool prompt(const char *question, char *buf, size_t len);

#endif
