/* session.h: the dissector's state for one TCP flow, shared by record.c
 * (the record layer) and handshake.c (handshake messages and the flow's
 * life).  Everything here is indexed by direction (0 = the flow's ep[0]);
 * handshake.c maps directions to client and server when the flow ends. */
#ifndef CERTSCOPE_SESSION_H
#define CERTSCOPE_SESSION_H

#include "../capture/reassembly.h"
#include "../common/cursor.h"
#include "../common/slab.h"
#include "decrypt.h"
#include "derpool.h"
#include "dissect.h"
#include "keylog.h"
#include "starttls.h"
#include "tls.h"

/* A TLSCiphertext is at most 2^14 + 2048 bytes (RFC 5246 6.2.3). */
#define RECORD_MAX    (16384 + 2048)
#define RECORD_HEADER 5
/* Bytes examined for a first record header before a flow with no SYN is
 * taken for something other than TLS. */
#define HUNT_LIMIT (256 * 1024)

enum content_type {
	CT_CHANGE_CIPHER_SPEC = 20,
	CT_ALERT = 21,
	CT_HANDSHAKE = 22,
	CT_APPLICATION_DATA = 23,
	CT_HEARTBEAT = 24,
};

struct dir_state {
	uint8_t *rec; /* a record not yet complete */
	size_t rec_len, rec_cap;
	bool started; /* this direction's first bytes were seen */
	bool synced;  /* rec starts at a record boundary */
	bool not_tls;
	bool plain;    /* the plaintext phase of a STARTTLS protocol */
	size_t hunted; /* bytes skipped looking for a record header */
	bool encrypted;
	uint8_t *msg; /* a handshake message not yet complete */
	size_t msg_len, msg_cap;
	bool msg_broken; /* a message was too large: the rest of this flight is skipped */
	uint64_t encrypted_alerts;
	struct tls13_keys *keys; /* TLS 1.3 with a key log; NULL until */
	struct tls12_keys *k12;  /* TLS 1.2 and before with a key log; NULL until */
	size_t null_mac;         /* a NULL cipher: the MAC after each plaintext */
	bool app_data;           /* decrypted application data was seen */
};

struct dissector {
	const struct config *cfg;
	const struct keylog *keylog;
	handshake_emit emit;
	void *ctx;
	struct dissect_stats stats;
	struct der_pool *pool; /* owned; NULL when out of memory (nothing shared) */
	/* every open flow's struct session, struct handshake, struct reading */
	struct slab sessions, handshakes, readings;
	uint8_t plain[RECORD_MAX]; /* one decrypted TLS 1.3 record at a time */
};

/* What reading a flow's bytes takes: freed once the handshake is done, so
 * that a connection left open after it costs only what is kept for the
 * close (struct session and the handshake). */
struct reading {
	struct dir_state dir[2];
	struct starttls st;
	struct timeval now; /* the time of the record being read */
	/* what the next ChangeCipherSpec's keys come from (TLS 1.2 and before):
	 * the latest hellos, those of a renegotiation included */
	struct randoms {
		uint8_t client[32], server[32];
	} * randoms; /* with a key log only */
	uint16_t suite;
	size_t null_mac; /* tls12_null_mac_len(suite) */
};

struct session {
	struct dissector *d;
	struct handshake *hs;         /* chains[] by direction until the flow ends */
	struct reading *rd;           /* NULL once no more bytes are read */
	const struct flow_view *flow; /* the reassembler's, alive as long as the flow */
	int client_dir;               /* -1 while unknown */
	int st_client_dir;            /* the direction towards the STARTTLS port */
	uint16_t port[2];             /* source port of each direction */
};

/* record.c */
void record_feed(struct session *s, int dir, const uint8_t *p, size_t n,
                 const struct timeval *ts);
void record_gap(struct session *s, int dir);
void dir_state_fini(struct session *s, int dir);
/* Frees the record and message buffers of a direction whose bytes are no
 * longer read (its handshake is over, or it is not TLS): a connection that
 * stays open then costs only its state. */
void dir_state_release(struct session *s, int dir);
/* A direction's TLS 1.3 keys, allocated with the first secret. */
bool keys13_init(struct dir_state *ds, uint16_t suite, const uint8_t *secret, size_t len);
void keys13_fini(struct dir_state *ds);
static inline bool keys13_ready(const struct dir_state *ds)
{
	return ds->keys && ds->keys->ready;
}
/* Grows a buffer of a direction (its record or message buffer, of *cap
 * bytes) to hold want bytes, doubling from first and at most to max, within
 * what the buffers of all flows may hold together (cfg->max_tls_buffered).
 * False when it cannot: the caller gives up on those bytes. */
bool tls_buffer_grow(struct session *s, uint8_t **buf, size_t *cap, size_t want,
                     size_t first, size_t max);
void tls_buffer_drop(struct session *s, uint8_t **buf, size_t *cap);

/* handshake.c: one whole record of content type type. */
void session_record(struct session *s, int dir, uint8_t type, struct cursor body,
                    const struct timeval *ts);
void session_sslv2_hello(struct session *s, int dir, struct cursor body);
/* Microseconds from first to ts, 0 when ts is before, saturating. */
static inline uint32_t step_usec(const struct timeval *ts, const struct timeval *first)
{
	struct timeval d;
	timersub(ts, first, &d);
	uint64_t us =
	    d.tv_sec < 0 ? 0 : (uint64_t)d.tv_sec * 1000000 + (uint64_t)d.tv_usec;
	return us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* A step of the ladder at time ts, in the frame being read. */
void session_step(struct session *s, int dir, enum step_kind kind, uint8_t type,
                  uint8_t level, uint16_t count, const struct timeval *ts);
void session_sslv2_server_hello(struct session *s, int dir, struct cursor body);
/* The captured start of a ClientHello whose rest is missing. */
void session_cut_client_hello(struct session *s, int dir, struct cursor body);

#endif
