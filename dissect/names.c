/* names.c: registries of versions, cipher suites, alerts and services. */
#include "names.h"

#include <stddef.h>
#include <stdlib.h>

const char *version_name(uint16_t v)
{
	switch (v) {
	case 0x0002:
		return "SSL 2.0";
	case 0x0300:
		return "SSL 3.0";
	case 0x0301:
		return "TLS 1.0";
	case 0x0302:
		return "TLS 1.1";
	case 0x0303:
		return "TLS 1.2";
	case 0x0304:
		return "TLS 1.3";
	default:
		break;
	}
	/* the drafts of TLS 1.3 (0x7f00 + draft number), as deployed before RFC
	 * 8446 and still met in old captures and stacks */
	static const char *const drafts[] = {
	    "TLS 1.3 draft 0",  "TLS 1.3 draft 1",  "TLS 1.3 draft 2",
	    "TLS 1.3 draft 3",  "TLS 1.3 draft 4",  "TLS 1.3 draft 5",
	    "TLS 1.3 draft 6",  "TLS 1.3 draft 7",  "TLS 1.3 draft 8",
	    "TLS 1.3 draft 9",  "TLS 1.3 draft 10", "TLS 1.3 draft 11",
	    "TLS 1.3 draft 12", "TLS 1.3 draft 13", "TLS 1.3 draft 14",
	    "TLS 1.3 draft 15", "TLS 1.3 draft 16", "TLS 1.3 draft 17",
	    "TLS 1.3 draft 18", "TLS 1.3 draft 19", "TLS 1.3 draft 20",
	    "TLS 1.3 draft 21", "TLS 1.3 draft 22", "TLS 1.3 draft 23",
	    "TLS 1.3 draft 24", "TLS 1.3 draft 25", "TLS 1.3 draft 26",
	    "TLS 1.3 draft 27", "TLS 1.3 draft 28"};
	if (tls13_draft(v) > 0 &&
	    (size_t)tls13_draft(v) < sizeof(drafts) / sizeof(drafts[0]))
		return drafts[tls13_draft(v)];
	return NULL;
}

int tls13_draft(uint16_t v)
{
	return v >> 8 == 0x7f ? v & 0xff : 0;
}

bool version_tls13(uint16_t v)
{
	return v == 0x0304 || tls13_draft(v) > 0;
}

struct cipher_entry {
	uint16_t code;
	const char *name;
};

static const struct cipher_entry ciphers[] = {
#include "ciphers.inc"
};

static int cipher_cmp(const void *key, const void *elem)
{
	uint16_t k = *(const uint16_t *)key;
	const struct cipher_entry *e = elem;
	return k < e->code ? -1 : k > e->code;
}

const char *cipher_name(uint16_t suite)
{
	const struct cipher_entry *e =
	    bsearch(&suite, ciphers, sizeof(ciphers) / sizeof(ciphers[0]),
	            sizeof(ciphers[0]), cipher_cmp);
	return e ? e->name : NULL;
}

struct alert_entry {
	uint8_t code;
	const char *name;
};

/* RFC 8446 section 6, plus the codes earlier versions defined. */
static const struct alert_entry alerts[] = {
    {0, "close_notify"},
    {10, "unexpected_message"},
    {20, "bad_record_mac"},
    {21, "decryption_failed"},
    {22, "record_overflow"},
    {30, "decompression_failure"},
    {40, "handshake_failure"},
    {41, "no_certificate"},
    {42, "bad_certificate"},
    {43, "unsupported_certificate"},
    {44, "certificate_revoked"},
    {45, "certificate_expired"},
    {46, "certificate_unknown"},
    {47, "illegal_parameter"},
    {48, "unknown_ca"},
    {49, "access_denied"},
    {50, "decode_error"},
    {51, "decrypt_error"},
    {60, "export_restriction"},
    {70, "protocol_version"},
    {71, "insufficient_security"},
    {80, "internal_error"},
    {86, "inappropriate_fallback"},
    {90, "user_canceled"},
    {100, "no_renegotiation"},
    {109, "missing_extension"},
    {110, "unsupported_extension"},
    {111, "certificate_unobtainable"},
    {112, "unrecognized_name"},
    {113, "bad_certificate_status_response"},
    {114, "bad_certificate_hash_value"},
    {115, "unknown_psk_identity"},
    {116, "certificate_required"},
    {120, "no_application_protocol"},
};

static const struct alert_entry *alert_find(uint8_t code)
{
	for (size_t i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
		if (alerts[i].code == code)
			return &alerts[i];
	return NULL;
}

const char *alert_name(uint8_t code)
{
	const struct alert_entry *e = alert_find(code);
	return e ? e->name : NULL;
}

const char *handshake_type_name(uint8_t type)
{
	static const char *const names[] = {
	    [0] = "HelloRequest",        [1] = "ClientHello",
	    [2] = "ServerHello",         [4] = "NewSessionTicket",
	    [5] = "EndOfEarlyData",      [8] = "EncryptedExtensions",
	    [11] = "Certificate",        [12] = "ServerKeyExchange",
	    [13] = "CertificateRequest", [14] = "ServerHelloDone",
	    [15] = "CertificateVerify",  [16] = "ClientKeyExchange",
	    [20] = "Finished",           [22] = "CertificateStatus",
	    [24] = "KeyUpdate",          [25] = "CompressedCertificate",
	};
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}
