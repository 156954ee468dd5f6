/* starttls.h: the plaintext phase of protocols that upgrade to TLS in the
 * middle of a connection, followed until the TLS handshake begins. */
#ifndef CERTSCOPE_STARTTLS_H
#define CERTSCOPE_STARTTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum starttls_proto {
	ST_NONE,
	ST_SMTP,
	ST_IMAP,
	ST_POP3,
	ST_FTP,
	ST_XMPP,
	ST_LDAP,
	ST_POSTGRESQL,
	/* a preamble of another protocol, before TLS on the same connection: a
	 * proxy's or the application's own negotiation, read past by a bounded
	 * scan for the hello */
	ST_SOCKS4,
	ST_SOCKS5,
	ST_HTTP_CONNECT,
	ST_RDP,
	ST_MYSQL,
	ST_IRC,
	ST_UNKNOWN,
};

/* Bytes of plaintext followed per direction before giving up. */
#define STARTTLS_MAX_PLAINTEXT (64 * 1024)
/* Bytes of a preamble (ST_SOCKS4 and after) scanned per direction for a
 * ClientHello or ServerHello before the flow is taken for something else. */
#define PREAMBLE_MAX (4 * 1024)

struct starttls {
	enum starttls_proto proto;
	bool requested; /* the client asked to start TLS */
	bool refused;   /* the server said no */
	bool named;     /* a preamble named by its first bytes */
	char tag[32];   /* IMAP: the tag of the STARTTLS command */
	size_t seen[2]; /* plaintext bytes per direction */
};

/* The protocol that may upgrade on a server port, or ST_NONE. */
enum starttls_proto starttls_for_port(uint16_t port);
/* "smtp", "xmpp", ... as CONTRACT.md's starttls key. */
const char *starttls_name(enum starttls_proto p);
/* The preamble protocol the first bytes p of a direction that is not TLS
 * look like (SOCKS, HTTP CONNECT, RDP's X.224, MySQL, IRC), or ST_NONE. */
enum starttls_proto starttls_sniff(const uint8_t *p, size_t n);
/* Whether the first bytes p of a direction are those of a protocol that
 * does not go on to TLS on the same connection (an HTTP request other than
 * CONNECT, SSH's banner): its flow is let go at once. */
bool starttls_never(const uint8_t *p, size_t n);
/* How many plaintext bytes a direction may hold before it is given up. */
size_t starttls_max(enum starttls_proto p);

/* Reads plaintext sent by the client (from_client) or the server.  Returns
 * how many bytes of p are plaintext and consumed; *upgraded is set when TLS
 * starts right after them in this direction.  Bytes of an incomplete line
 * or message are left for the next call. */
size_t starttls_feed(struct starttls *st, bool from_client, const uint8_t *p, size_t n,
                     bool *upgraded);

#endif
