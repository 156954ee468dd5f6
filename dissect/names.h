/* names.h: the registries certscope prints from: protocol versions, cipher
 * suites (IANA) and alerts (RFC 8446 section 6 and earlier RFCs): wire
 * facts only (what they mean to a user is judge/'s catalogue). */
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

/* "ClientHello", ...; NULL for a type TLS does not define. */
const char *handshake_type_name(uint8_t type);

#endif
