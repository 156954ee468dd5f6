/* names.h: the registries certscope prints from: protocol versions, cipher
 * suites (IANA), alerts (RFC 8446 section 6 and earlier RFCs), services on
 * well-known ports. */
#ifndef CERTSCOPE_NAMES_H
#define CERTSCOPE_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* "TLS 1.2", "SSL 3.0", ...; NULL for an unknown value. */
const char *version_name(uint16_t v);
/* IANA name, or NULL for a suite certscope does not know. */
const char *cipher_name(uint16_t suite);
/* "unknown_ca"; NULL for an unassigned code. */
const char *alert_name(uint8_t code);
/* true for the alerts a side sends when it refuses the peer's certificate */
bool alert_is_certificate(uint8_t code);
/* One sentence: what the sender of the alert objects to; {sender} and
 * {receiver} stand for the two sides. */
const char *alert_meaning(uint8_t code);
/* Service label of a well-known TLS port, or NULL. */
const char *service_name(uint16_t port);

#endif
