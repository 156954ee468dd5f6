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
		return NULL;
	}
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
	bool certificate; /* sent by a side that refused the peer's certificate */
	const char *name;
	const char *meaning;
};

/* RFC 8446 section 6, plus the codes earlier versions defined. */
static const struct alert_entry alerts[] = {
    {0, false, "close_notify", "the {sender} is closing the connection normally"},
    {10, false, "unexpected_message",
     "the {sender} received a message it did not expect at this point"},
    {20, false, "bad_record_mac", "a record failed its integrity check"},
    {21, false, "decryption_failed", "a record could not be decrypted"},
    {22, false, "record_overflow", "a record was longer than allowed"},
    {30, false, "decompression_failure", "a record could not be decompressed"},
    {40, false, "handshake_failure",
     "the {sender} found no acceptable set of parameters (versions, cipher suites, "
     "signature algorithms or a required client certificate)"},
    {41, true, "no_certificate", "the {sender} has no certificate to send (SSL 3.0)"},
    {42, true, "bad_certificate",
     "the {sender} refused the {receiver}'s certificate as corrupt or with a signature "
     "that does not verify"},
    {43, true, "unsupported_certificate",
     "the {sender} refused the {receiver}'s certificate as of an unsupported type or "
     "purpose (often a missing extended key usage)"},
    {44, true, "certificate_revoked",
     "the {sender} refused the {receiver}'s certificate because its issuer revoked it"},
    {45, true, "certificate_expired",
     "the {sender} refused the {receiver}'s certificate because it has expired or is not "
     "yet valid by the {sender}'s clock"},
    {46, true, "certificate_unknown",
     "the {sender} refused the {receiver}'s certificate (Java stacks such as CUCM tomcat "
     "say this when the chain does not reach a CA in their trust store)"},
    {47, false, "illegal_parameter",
     "a field of a message was out of range or inconsistent"},
    {48, true, "unknown_ca",
     "the {sender} could not tie the {receiver}'s certificate chain to a CA in its own "
     "trust store"},
    {49, true, "access_denied",
     "the {sender} accepted the {receiver}'s certificate but its policy denies access"},
    {50, false, "decode_error", "a message could not be decoded"},
    {51, false, "decrypt_error",
     "a handshake signature or the Finished message did not verify"},
    {60, false, "export_restriction", "an export-restricted parameter was refused"},
    {70, false, "protocol_version",
     "the {sender} does not support the protocol version the {receiver} offered"},
    {71, false, "insufficient_security",
     "the {receiver} offered only parameters weaker than the {sender} requires"},
    {80, false, "internal_error", "the {sender} failed for an internal reason"},
    {86, false, "inappropriate_fallback",
     "the {receiver} retried with a lower version than both support"},
    {90, false, "user_canceled", "the {sender}'s user cancelled the handshake"},
    {100, false, "no_renegotiation", "the {sender} refuses to renegotiate"},
    {109, false, "missing_extension", "a required extension was missing"},
    {110, false, "unsupported_extension",
     "the {receiver} sent an extension it may not send here"},
    {111, true, "certificate_unobtainable",
     "the {sender} could not fetch a certificate from a URL"},
    {112, false, "unrecognized_name",
     "the {sender} has no service for the name in the SNI"},
    {113, true, "bad_certificate_status_response",
     "the {sender} refused the OCSP status the {receiver} stapled"},
    {114, false, "bad_certificate_hash_value", "a certificate hash did not match"},
    {115, false, "unknown_psk_identity",
     "the {sender} does not know the offered PSK identity"},
    {116, true, "certificate_required",
     "the {sender} requires a client certificate and none was sent"},
    {120, false, "no_application_protocol",
     "no ALPN protocol offered is supported by the {sender}"},
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

bool alert_is_certificate(uint8_t code)
{
	const struct alert_entry *e = alert_find(code);
	return e && e->certificate;
}

const char *alert_meaning(uint8_t code)
{
	const struct alert_entry *e = alert_find(code);
	return e ? e->meaning : "the alert code is not one certscope knows";
}

const char *service_name(uint16_t port)
{
	switch (port) {
	case 443:
		return "https";
	case 8443:
		return "https-alt";
	case 7001:
		return "expressway-traversal";
	case 5061:
		return "sip-tls";
	case 2445:
		return "cucm-tvs";
	case 2444:
		return "cucm-ctl";
	case 3804:
		return "cucm-capf";
	case 636:
		return "ldaps";
	case 3269:
		return "ldaps-gc";
	case 5223:
		return "xmpp-tls";
	case 5222:
		return "xmpp-client";
	case 5269:
		return "xmpp-server";
	case 993:
		return "imaps";
	case 995:
		return "pop3s";
	case 465:
		return "smtps";
	case 853:
		return "dns-over-tls";
	case 6514:
		return "syslog-tls";
	case 8883:
		return "mqtt-tls";
	default:
		return NULL;
	}
}
