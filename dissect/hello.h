/* hello.h: parsers of the handshake messages certscope reads, each filling
 * the struct handshake.  Every parser takes the message body as a cursor and
 * returns false when the body is malformed (a length that does not fit, or
 * trailing bytes); what was read before the fault is kept. */
#ifndef CERTSCOPE_HELLO_H
#define CERTSCOPE_HELLO_H

#include "../common/cursor.h"
#include "tls.h"

/* Handshake message types (RFC 8446 section 4, RFC 5246 section 7.4). */
enum hs_type {
	HS_HELLO_REQUEST = 0,
	HS_CLIENT_HELLO = 1,
	HS_SERVER_HELLO = 2,
	HS_NEW_SESSION_TICKET = 4,
	HS_END_OF_EARLY_DATA = 5,
	HS_ENCRYPTED_EXTENSIONS = 8,
	HS_CERTIFICATE = 11,
	HS_SERVER_KEY_EXCHANGE = 12,
	HS_CERTIFICATE_REQUEST = 13,
	HS_SERVER_HELLO_DONE = 14,
	HS_CERTIFICATE_VERIFY = 15,
	HS_CLIENT_KEY_EXCHANGE = 16,
	HS_FINISHED = 20,
	HS_CERTIFICATE_STATUS = 22,
	HS_KEY_UPDATE = 24,
	HS_COMPRESSED_CERTIFICATE = 25,
	HS_MESSAGE_HASH = 254,
};

bool hs_type_known(uint8_t t);

bool parse_client_hello(struct handshake *hs, struct cursor body);
/* *hrr is set when the ServerHello is a HelloRetryRequest. */
bool parse_server_hello(struct handshake *hs, struct cursor body, bool *hrr);
/* TLS 1.2 and 1.3 layouts (tls13 selects); certificates past max are
 * counted in chain->dropped. */
struct cache;  /* cache.h */
struct config; /* config.h */
/* Certificates past cfg->max_chain_certs are counted, not kept; those over
 * cfg->max_cert_size are kept undecoded (fingerprint and parse_error).
 * cache may be NULL: every certificate is then decoded anew. */
bool parse_certificate(struct chain *chain, struct cursor body, bool tls13,
                       const struct config *cfg, struct cache *cache);
bool parse_certificate_request(struct handshake *hs, struct cursor body);
/* An SSL 2.0 format CLIENT-HELLO record body (after the 2-byte header). */
bool parse_sslv2_client_hello(struct handshake *hs, struct cursor body);

#endif
