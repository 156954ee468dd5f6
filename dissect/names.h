/* names.h: the registries certscope prints from: protocol versions, cipher
 * suites (IANA) and alerts (RFC 8446 section 6 and earlier RFCs): wire
 * facts only (what they mean to a user is judge/'s catalogue). */
#ifndef CERTSCOPE_NAMES_H
#define CERTSCOPE_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* "TLS 1.2", "SSL 3.0", ...; NULL for an unknown value. */
const char *version_name(uint16_t v);
/* The draft number of a TLS 1.3 draft version (0x7f1c: 28), else 0. */
int tls13_draft(uint16_t v);
/* TLS 1.3 or one of its drafts: read as TLS 1.3. */
bool version_tls13(uint16_t v);
/* IANA name, or NULL for a suite certscope does not know. */
const char *cipher_name(uint16_t suite);
/* "unknown_ca"; NULL for an unassigned code. */
const char *alert_name(uint8_t code);

/* "ClientHello", ...; NULL for a type TLS does not define. */
const char *handshake_type_name(uint8_t type);

#endif
