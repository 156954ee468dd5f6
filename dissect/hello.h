/* hello.h: parsers of the handshake messages certscope reads, each filling
 * the struct handshake from the message body, given as a cursor. */
#ifndef CERTSCOPE_HELLO_H
#define CERTSCOPE_HELLO_H

#include "../common/cursor.h"
#include "derpool.h"
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

/* Each parser returns ANOMALY_NONE, or what was wrong with the message (a
 * length that does not fit, trailing bytes, an impossible value); what was
 * read before the fault is kept. */
enum anomaly_kind parse_client_hello(struct handshake *hs, struct cursor body);
/* The start of a ClientHello whose rest was never captured: its fields up
 * to the cut are read (an extension cut through is not). */
enum anomaly_kind parse_client_hello_cut(struct handshake *hs, struct cursor body);
/* *hrr is set when the ServerHello is a HelloRetryRequest. */
enum anomaly_kind parse_server_hello(struct handshake *hs, struct cursor body, bool *hrr);
/* TLS 1.2 and 1.3 layouts (tls13 selects); each certificate's DER is
 * kept (shared through pool, which may be NULL), those past max_certs are
 * counted in chain->dropped. */
enum anomaly_kind parse_certificate(struct wire_chain *chain, struct cursor body,
                                    bool tls13, size_t max_certs, struct der_pool *pool);
enum anomaly_kind parse_certificate_request(struct handshake *hs, struct cursor body);
/* An SSL 2.0 format CLIENT-HELLO record body (after the 2-byte header). */
enum anomaly_kind parse_sslv2_client_hello(struct handshake *hs, struct cursor body);
/* An SSL 2.0 SERVER-HELLO record body: its certificate into chain. */
enum anomaly_kind parse_sslv2_server_hello(struct handshake *hs, struct wire_chain *chain,
                                           struct cursor body, struct der_pool *pool);

#endif
