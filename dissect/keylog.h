/* keylog.h: TLS secrets from NSS key log files (SSLKEYLOGFILE) and from
 * pcapng Decryption Secrets Blocks, looked up by the ClientHello's random.
 *
 * A keylog owns its entries; lookups return borrowed pointers valid until
 * keylog_free().
 */
#ifndef CERTSCOPE_KEYLOG_H
#define CERTSCOPE_KEYLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KEYLOG_MAX_SECRET 64

enum keylog_label {
	KL_CLIENT_HANDSHAKE, /* CLIENT_HANDSHAKE_TRAFFIC_SECRET */
	KL_SERVER_HANDSHAKE, /* SERVER_HANDSHAKE_TRAFFIC_SECRET */
	KL_CLIENT_TRAFFIC_0, /* CLIENT_TRAFFIC_SECRET_0 */
	KL_SERVER_TRAFFIC_0, /* SERVER_TRAFFIC_SECRET_0 */
	KL_MASTER,           /* CLIENT_RANDOM (TLS 1.2 and before) */
	KL_COUNT
};

struct keylog_secret {
	uint8_t v[KEYLOG_MAX_SECRET];
	size_t len; /* 0: not in the log */
};

struct keylog_entry {
	uint8_t client_random[32];
	struct keylog_secret s[KL_COUNT];
};

struct keylog;

struct keylog *keylog_new(size_t max_lines);
void keylog_free(struct keylog *kl);
/* Adds the lines of a key log held in memory; returns the number of
 * secrets taken.  A key log line is LABEL <64 hex> <hex>, LABEL of
 * [A-Z0-9_]; those of labels certscope does not use (EXPORTER_SECRET,
 * CLIENT_EARLY_TRAFFIC_SECRET, ...) are read and ignored.  Lines that are
 * not key log lines, among them a secret of a length its label cannot have
 * (CLIENT_RANDOM: 48 bytes; a TLS 1.3 traffic secret: 32 or 48), are counted
 * in *bad_lines (may be NULL). */
size_t keylog_add_text(struct keylog *kl, const char *text, size_t len,
                       size_t *bad_lines);
/* Reads a key log file; -1 when it cannot be read or holds no key log line
 * (err says why). */
int keylog_add_file(struct keylog *kl, const char *path, char *err, size_t errlen);
/* The Decryption Secrets Blocks of a pcapng file (secrets type TLSK);
 * returns the number of secrets taken, 0 for a pcap file. */
size_t keylog_add_pcapng(struct keylog *kl, const char *path);
/* Sorts what was added so keylog_find() works; call after adding. */
void keylog_finish(struct keylog *kl);
const struct keylog_entry *keylog_find(const struct keylog *kl,
                                       const uint8_t client_random[32]);
size_t keylog_count(const struct keylog *kl);
/* Key log lines past the cap, not read (blank lines, comments and lines
 * that are not key log lines past it are not counted). */
size_t keylog_dropped(const struct keylog *kl);

#endif
