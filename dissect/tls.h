/* tls.h: what certscope learns of one TLS connection attempt.
 *
 * A struct handshake is filled by the dissector while the flow lives, judged
 * by diagnose.c when it ends, handed to the writers in ui/, then freed with
 * handshake_free(), which frees every certificate, alert and diagnosis it
 * holds.
 */
#ifndef CERTSCOPE_TLS_H
#define CERTSCOPE_TLS_H

#include "../common/endpoint.h"

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

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

struct cert;        /* certificate.h */
struct chain_check; /* chain.h */

struct chain {
	struct cert **certs;
	size_t n;
	bool seen;        /* a Certificate message came from this side */
	size_t dropped;   /* certificates past the cap */
	size_t oversized; /* certificates over the size cap, kept undecoded */
};

struct alert_event {
	int from; /* SIDE_CLIENT or SIDE_SERVER */
	uint8_t level;
	uint8_t code;
	struct timeval ts;
};

struct diagnosis {
	int code;   /* enum diag_code, see diagnose.h */
	char *name; /* the stable code string, e.g. "alert-unknown-ca" */
	enum severity severity;
	char cert_sha256[65]; /* empty when it concerns no certificate */
	char *message;
	char *advice;
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

struct string_list {
	char **v;
	size_t n;
};

struct handshake {
	struct endpoint client, server;
	bool client_known; /* the ClientHello (or the SYN) settled who is who */
	struct timeval ts;
	const char *service; /* static label, or NULL */
	char *sni;           /* escaped for display, or NULL */
	const char *starttls;

	uint16_t hello_version; /* legacy_version of the ClientHello */
	uint8_t client_random[32];
	bool have_random;
	bool sslv2_hello;
	struct string_list offered_versions;
	struct string_list alpn;
	size_t n_cipher_suites_offered;
	bool client_hello_seen, server_hello_seen;
	uint16_t version; /* negotiated; 0 when unknown */
	uint16_t cipher;
	bool cipher_known;
	bool resumed; /* ServerHello echoed the session id: no certificates */

	struct chain chains[2]; /* indexed by SIDE_ */
	bool certificate_requested;
	struct string_list ca_names; /* RFC 2253, from CertificateRequest */
	void *ca_names_der;          /* STACK_OF(X509_NAME) *, for matching */

	struct alert_event *alerts;
	size_t n_alerts;

	enum outcome outcome;
	struct diagnosis *diags;
	size_t n_diags;

	const char *server_chain_store;
	const char *client_chain_store;
	struct chain_check *check[2]; /* indexed by SIDE_; NULL where not judged */

	/* What the capture showed of the connection. */
	bool one_sided;
	int seen_side; /* with one_sided: the only side seen */
	bool gap;      /* bytes of the handshake were never captured */
	int gap_side;
	bool ccs[2];
	bool done; /* the handshake ended (both ChangeCipherSpec, or 1.3) */
	bool tls13;
	enum decryption decryption;
	bool finished[2]; /* a Finished message was read (TLS 1.3 decrypted) */
	struct encrypted_trace enc[2]; /* by side after the flow ends */
	bool closed;                   /* FIN or RST seen */
	bool reset;
	int closed_by;     /* side that closed first, -1 unknown */
	int last_msg_side; /* side of the last handshake message, -1 none */
	int last_msg_type;
	int cert_flight_side; /* side whose Certificate was the last word, -1 none */
	bool had_records;     /* at least one TLS record was parsed */
	bool had_handshake;   /* a handshake message or alert was read */
	uint64_t id;
};

void handshake_free(struct handshake *hs);
const char *outcome_name(enum outcome o);
const char *severity_name(enum severity s);
int string_list_add(struct string_list *l, const char *s);
void string_list_fini(struct string_list *l);

#endif
