/* tls.h: what certscope reads off the wire of one TLS connection attempt.
 *
 * A struct handshake holds wire facts only: the hellos, the certificates as
 * the DER that was sent, CertificateRequest's CA names as DER, alerts, what
 * the capture showed of the connection, and what could not be parsed.  The
 * dissector fills it while the flow lives, maps directions to client and
 * server once when it ends, hands it to its emit callback (borrowed), and
 * frees it with handshake_free().  Judging it is judge/'s work.
 */
#ifndef CERTSCOPE_TLS_H
#define CERTSCOPE_TLS_H

#include "../common/bytes.h"
#include "../common/endpoint.h"
#include "../common/text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#define SIDE_CLIENT 0
#define SIDE_SERVER 1

enum outcome {
	OUTCOME_INCOMPLETE,
	OUTCOME_COMPLETED,
	OUTCOME_ALERT,
	OUTCOME_ABORTED,
	OUTCOME_ENCRYPTED,
};

/* One certificate as sent: its DER (the bytes of blob, which the
 * handshake holds a reference to; blob->hash is der_hash() of them). */
struct wire_cert {
	const uint8_t *der;
	size_t len;
	struct der_blob *blob;
};

/* The certificates one side sent, in the order sent. */
struct wire_chain {
	struct wire_cert *certs;
	uint32_t n;       /* at most cfg->max_chain_certs */
	uint32_t dropped; /* certificates past that cap (saturates) */
	bool seen;        /* a Certificate message came from this side */
};

/* A length-delimited run of bytes from the wire, owned by its list. */
struct blob {
	uint8_t *p;
	size_t len;
};

struct blob_list {
	struct blob *v;
	size_t n;
};

struct alert_event {
	int from; /* SIDE_CLIENT or SIDE_SERVER */
	uint8_t level;
	uint8_t code;
	struct timeval ts;
};

/* Whether a TLS 1.3 handshake could be read with a key log. */
enum decryption {
	DECRYPT_NONE,       /* not TLS 1.3 */
	DECRYPT_NO_KEYLOG,  /* no key log given */
	DECRYPT_NO_SECRETS, /* the key log holds nothing for this ClientHello */
	DECRYPT_PENDING,    /* keys ready, no record decrypted yet */
	DECRYPT_OK,
	DECRYPT_FAILED, /* a record failed authentication, or the suite is unknown */
	/* the key log holds one side's handshake secret only: that side's
	 * records are read, the other's encrypted ones are not (a client that
	 * refuses the server's certificate logs only the server's) */
	DECRYPT_NO_CLIENT_SECRET,
	DECRYPT_NO_SERVER_SECRET,
};

/* The encrypted records one side sent after a TLS 1.3 ServerHello. */
struct encrypted_trace {
	uint32_t records;
	uint32_t since_other; /* records since the other side's last one */
	uint32_t last_len;
	struct timeval last_ts;
};

/* What went wrong reading a message or record (malformed-handshake). */
enum anomaly_kind {
	ANOMALY_NONE,       /* nothing wrong: what a parser returns when all is well */
	ANOMALY_SHORT,      /* a length field runs past the end of its message */
	ANOMALY_TRAILING,   /* bytes left over after the last field */
	ANOMALY_INVALID,    /* a value the specification does not allow */
	ANOMALY_UNKNOWN,    /* a handshake message type that does not exist */
	ANOMALY_OVERSIZED,  /* a message over the size cap: the rest of the flight skipped
	                     */
	ANOMALY_ALERTS_CAP, /* more alerts than are kept */
	ANOMALY_RESYNC,     /* the record layer lost its place and found it again */
};

#define HANDSHAKE_MAX_ANOMALIES 8

struct anomaly {
	uint8_t kind;     /* enum anomaly_kind */
	uint8_t msg_type; /* the handshake message type; 0 with no message */
	bool message;     /* it concerns a handshake message (else a record) */
	int side;         /* SIDE_ once the flow ends */
};

/* Where each message was, as frame numbers of the capture file (1-based,
 * Wireshark's frame.number: the frame whose bytes completed the message);
 * 0 where there was no such message. */
struct frames {
	uint64_t first;        /* the connection's first packet */
	uint64_t client_hello; /* the first ClientHello */
	uint64_t server_hello; /* the first ServerHello (a HelloRetryRequest too) */
	uint64_t
	    certificate[2]; /* each side's Certificate, by SIDE_ once the flow ends */
	uint64_t alert;     /* the first fatal alert read, else the first alert */
};

/* One message of the connection as it crossed the wire, for the ladder
 * (a sequence diagram of who sent what, when, in which frame). */
enum step_kind {
	STEP_MESSAGE,   /* a handshake message read: type is its msg_type */
	STEP_ALERT,     /* an alert read: type is its description, level its level */
	STEP_CCS,       /* ChangeCipherSpec (TLS 1.2 and before) */
	STEP_ENCRYPTED, /* records not read: type is their content type */
	STEP_CLOSE,     /* FIN (type 0) or RST (type 1); frame 0 */
};

struct step {
	uint8_t kind; /* enum step_kind */
	uint8_t type;
	uint8_t level;
	int8_t side;    /* a direction until the flow ends, then SIDE_ */
	uint16_t count; /* Certificate: certificates in it; ENCRYPTED: records */
	uint32_t usec;  /* since the connection's first packet (saturates at ~71 min) */
	/* the frame that completed it, as frames after the ladder's base plus
	 * one (step_frame()); 0 where not known or too far */
	uint32_t frame;
};

/* Steps kept per connection: the first ones, then one more slot that the
 * latest alert or close takes (the refusal is what a ladder is read for). */
#define HANDSHAKE_MAX_STEPS 24

struct ladder {
	struct step *v; /* NULL until the first step: a flow that carries no TLS costs
	                   nothing */
	uint8_t n, cap;
	uint32_t dropped; /* steps past the cap */
	uint64_t base;    /* the frame the steps' frame numbers count from */
};

/* The frame number of a step, 0 where not known. */
static inline uint64_t step_frame(const struct ladder *l, const struct step *st)
{
	return st->frame ? l->base + st->frame - 1 : 0;
}

struct handshake {
	/* (by size, largest first: one is held for every open connection) */
	struct endpoint client, server;
	struct timeval ts;
	uint64_t id;
	struct frames frames;
	struct ladder ladder;
	char *sni; /* escaped for display, or NULL */
	const char *starttls;
	struct string_list offered_versions;
	struct string_list alpn;
	struct wire_chain chains[2]; /* indexed by SIDE_ */
	struct blob_list ca_names;   /* DER DistinguishedNames of CertificateRequest */
	struct alert_event *alerts;
	/* up to HANDSHAKE_MAX_ANOMALIES, allocated with the first: most
	 * handshakes have none */
	struct anomaly *anomalies;
	struct encrypted_trace enc[2]; /* by side after the flow ends */

	enum outcome outcome;
	enum decryption decryption;
	/* the ClientHello was cut (the snaplen): what was captured of it was
	 * read; its length and the bytes of it captured */
	uint32_t hello_cut_len, hello_cut_captured;
	uint32_t anomalies_dropped; /* past HANDSHAKE_MAX_ANOMALIES (saturates) */

	uint16_t hello_version;           /* legacy_version of the ClientHello */
	uint16_t n_cipher_suites_offered; /* a ClientHello holds at most 32767 */
	uint16_t version;                 /* negotiated; 0 when unknown */
	uint16_t cipher;

	uint8_t client_random[32];
	uint8_t n_alerts; /* at most 64 are kept */
	uint8_t n_anomalies;
	bool have_random;
	bool sslv2_hello;
	bool sslv2_server_hello; /* an SSL 2.0 SERVER-HELLO: the rest is encrypted */
	bool client_hello_seen, server_hello_seen;
	bool cipher_known;
	bool certificate_requested;

	/* What the capture showed of the connection. */
	bool one_sided;
	int8_t seen_side; /* with one_sided: the only side seen */
	bool gap;         /* bytes of the handshake were never captured */
	int8_t gap_side;
	bool ccs[2];
	bool done; /* no more of the flow is read (the handshake ended: both
	            * ChangeCipherSpec, or 1.3's bounds) */
	/* the handshake is over and the flow is read on for what comes later
	 * (renegotiations, alerts): with keys from a key log, or under a NULL
	 * cipher */
	bool after_handshake;
	bool encrypt_then_mac; /* the ServerHello's encrypt_then_mac (RFC 7366) */
	bool tls13;
	bool finished[2]; /* a Finished message was read (TLS 1.3 decrypted) */
	bool closed;      /* FIN or RST seen */
	bool reset;
	int8_t closed_by;        /* side that closed first, -1 unknown */
	int8_t last_msg_side;    /* side of the last handshake message, -1 none */
	int8_t cert_flight_side; /* side whose Certificate was the last word, -1 none */
	bool had_records;        /* at least one TLS record was parsed */
	bool had_handshake;      /* a handshake message or alert was read */
};

void handshake_free(struct handshake *hs);
/* What the handshake holds, not the struct itself. */
void handshake_fini(struct handshake *hs);
const char *outcome_name(enum outcome o);
/* Whether either side sent a fatal alert. */
bool handshake_fatal_alert(const struct handshake *hs);
void wire_chain_fini(struct wire_chain *ch);
/* Records an anomaly of direction or side `side` (mapped when the flow ends). */
void handshake_anomaly(struct handshake *hs, int side, enum anomaly_kind kind,
                       bool message, uint8_t msg_type);
/* Appends a step to the ladder (consecutive encrypted records of one side
 * are one step, counted); past the cap an alert or a close replaces the
 * last step and anything else is counted only. */
void ladder_add(struct ladder *l, struct step st);
/* A deep copy into dst (empty when out of memory); ladder_fini() frees it. */
void ladder_copy(struct ladder *dst, const struct ladder *src);
/* Gives back the room the ladder reserved for steps to come. */
void ladder_trim(struct ladder *l);
void ladder_fini(struct ladder *l);
/* Adds a copy of n bytes to a list; -1 when out of memory. */
int blob_list_add(struct blob_list *l, const uint8_t *p, size_t n);
void blob_list_fini(struct blob_list *l);

#endif
