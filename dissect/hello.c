/* hello.c: ClientHello and ServerHello (RFC 8446 4.1.2-4.1.3, RFC 5246
 * 7.4.1), Certificate (RFC 8446 4.4.2, RFC 5246 7.4.2), CertificateRequest
 * (RFC 8446 4.3.2, RFC 5246 7.4.4) and the SSL 2.0 CLIENT-HELLO (RFC 6101
 * appendix E.2).
 *
 *   ClientHello: legacy_version(2) random(32) session_id<0..32>
 *                cipher_suites<2..2^16-2> compression<1..2^8-1>
 *                extensions<0..2^16-1>
 */
#include "hello.h"

#include "../judge/cache.h"
#include "../judge/certificate.h"
#include "names.h"

#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXT_SERVER_NAME             0
#define EXT_ALPN                    16
#define EXT_SUPPORTED_VERSIONS      43
#define EXT_CERTIFICATE_AUTHORITIES 47

/* The random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest". */
static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
    0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
    0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

bool hs_type_known(uint8_t t)
{
	switch (t) {
	case HS_HELLO_REQUEST:
	case HS_CLIENT_HELLO:
	case HS_SERVER_HELLO:
	case HS_NEW_SESSION_TICKET:
	case HS_END_OF_EARLY_DATA:
	case HS_ENCRYPTED_EXTENSIONS:
	case HS_CERTIFICATE:
	case HS_SERVER_KEY_EXCHANGE:
	case HS_CERTIFICATE_REQUEST:
	case HS_SERVER_HELLO_DONE:
	case HS_CERTIFICATE_VERIFY:
	case HS_CLIENT_KEY_EXCHANGE:
	case HS_FINISHED:
	case HS_CERTIFICATE_STATUS:
	case HS_KEY_UPDATE:
	case HS_COMPRESSED_CERTIFICATE:
		return true;
	default:
		return false;
	}
}

static void add_version(struct handshake *hs, uint16_t v)
{
	char buf[16];
	const char *name = version_name(v);
	/* GREASE values (RFC 8701) say nothing about the client */
	if ((v & 0x0f0f) == 0x0a0a)
		return;
	if (!name) {
		snprintf(buf, sizeof(buf), "0x%04x", v);
		name = buf;
	}
	string_list_add(&hs->offered_versions, name);
}

static bool parse_sni(struct handshake *hs, struct cursor ext)
{
	struct cursor list, name;
	if (!cur_get_u16_prefixed(&ext, &list) || !cur_empty(&ext))
		return false;
	while (!cur_empty(&list)) {
		uint8_t type;
		if (!cur_get_u8(&list, &type) || !cur_get_u16_prefixed(&list, &name))
			return false;
		if (type == 0 && !hs->sni)
			hs->sni = escape_text(name.p, name.len);
	}
	return true;
}

static bool parse_alpn(struct handshake *hs, struct cursor ext)
{
	struct cursor list, proto;
	if (!cur_get_u16_prefixed(&ext, &list) || !cur_empty(&ext))
		return false;
	while (!cur_empty(&list)) {
		if (!cur_get_u8_prefixed(&list, &proto))
			return false;
		char *s = escape_text(proto.p, proto.len);
		if (s) {
			string_list_add(&hs->alpn, s);
			free(s);
		}
	}
	return true;
}

static bool parse_client_versions(struct handshake *hs, struct cursor ext)
{
	struct cursor list;
	if (!cur_get_u8_prefixed(&ext, &list) || !cur_empty(&ext) || list.len % 2)
		return false;
	while (!cur_empty(&list)) {
		uint16_t v;
		if (!cur_get_u16(&list, &v))
			return false;
		add_version(hs, v);
	}
	return true;
}

bool parse_client_hello(struct handshake *hs, struct cursor body)
{
	struct cursor sid, suites, comp, exts;
	uint16_t version;
	if (hs->client_hello_seen)
		return true; /* the second ClientHello after a HelloRetryRequest */
	hs->client_hello_seen = true;
	if (!cur_get_u16(&body, &version) || !cur_copy(&body, hs->client_random, 32) ||
	    !cur_get_u8_prefixed(&body, &sid) || !cur_get_u16_prefixed(&body, &suites) ||
	    !cur_get_u8_prefixed(&body, &comp))
		return false;
	hs->hello_version = version;
	hs->have_random = true;
	hs->n_cipher_suites_offered = suites.len / 2;
	if (cur_empty(&body)) {
		/* no extensions: the legacy version is the offer */
		add_version(hs, version);
		return true;
	}
	if (!cur_get_u16_prefixed(&body, &exts) || !cur_empty(&body))
		return false;
	bool have_versions = false, ok = true;
	while (!cur_empty(&exts) && ok) {
		uint16_t type;
		struct cursor ext;
		if (!cur_get_u16(&exts, &type) || !cur_get_u16_prefixed(&exts, &ext))
			return false;
		switch (type) {
		case EXT_SERVER_NAME:
			ok = parse_sni(hs, ext);
			break;
		case EXT_ALPN:
			ok = parse_alpn(hs, ext);
			break;
		case EXT_SUPPORTED_VERSIONS:
			have_versions = true;
			ok = parse_client_versions(hs, ext);
			break;
		}
	}
	if (!have_versions)
		add_version(hs, version);
	return ok;
}

bool parse_server_hello(struct handshake *hs, struct cursor body, bool *hrr)
{
	struct cursor sid, exts;
	uint16_t version, suite;
	uint8_t comp;
	struct cursor random;
	*hrr = false;
	if (!cur_get_u16(&body, &version) || !cur_get_bytes(&body, 32, &random) ||
	    !cur_get_u8_prefixed(&body, &sid) || !cur_get_u16(&body, &suite) ||
	    !cur_get_u8(&body, &comp))
		return false;
	*hrr = memcmp(random.p, hrr_random, 32) == 0;
	hs->server_hello_seen = true;
	hs->version = version;
	hs->cipher = suite;
	hs->cipher_known = true;
	if (cur_empty(&body))
		return true;
	if (!cur_get_u16_prefixed(&body, &exts) || !cur_empty(&body))
		return false;
	while (!cur_empty(&exts)) {
		uint16_t type, v;
		struct cursor ext;
		if (!cur_get_u16(&exts, &type) || !cur_get_u16_prefixed(&exts, &ext))
			return false;
		if (type == EXT_SUPPORTED_VERSIONS) {
			if (!cur_get_u16(&ext, &v) || !cur_empty(&ext))
				return false;
			hs->version = v;
		}
	}
	return true;
}

bool parse_certificate(struct chain *chain, struct cursor body, bool tls13,
                       const struct config *cfg, struct cache *cache)
{
	struct cursor ctx, list, der, exts;
	if (chain->seen)
		return true; /* a second Certificate (renegotiation): keep the first */
	chain->seen = true;
	if (tls13 && !cur_get_u8_prefixed(&body, &ctx))
		return false;
	if (!cur_get_u24_prefixed(&body, &list) || !cur_empty(&body))
		return false;
	while (!cur_empty(&list)) {
		if (!cur_get_u24_prefixed(&list, &der))
			return false;
		if (tls13 && !cur_get_u16_prefixed(&list, &exts))
			return false;
		if (chain->n >= cfg->max_chain_certs) {
			chain->dropped++;
			continue;
		}
		/* a DER this large is no real certificate: OpenSSL is not asked */
		bool over = cfg->max_cert_size && der.len > cfg->max_cert_size;
		struct cert *c =
		    over ? cert_new_undecoded(der.p, der.len,
		                              "larger than the certificate size cap")
		         : cache_cert(cache, der.p, der.len);
		chain->oversized += over;
		if (!c)
			return false;
		struct cert **v = realloc(chain->certs, (chain->n + 1) * sizeof(*v));
		if (!v) {
			cert_free(c);
			return false;
		}
		chain->certs = v;
		chain->certs[chain->n++] = c;
	}
	return true;
}

/* DistinguishedName certificate_authorities<3..2^16-1>, each <1..2^16-1> */
static bool parse_ca_names(struct handshake *hs, struct cursor names)
{
	STACK_OF(X509_NAME) *sk = hs->ca_names_der;
	if (!sk) {
		sk = sk_X509_NAME_new_null();
		if (!sk)
			return false;
		hs->ca_names_der = sk;
	}
	while (!cur_empty(&names)) {
		struct cursor dn;
		if (!cur_get_u16_prefixed(&names, &dn))
			return false;
		const unsigned char *p = dn.p;
		X509_NAME *n = d2i_X509_NAME(NULL, &p, (long)dn.len);
		if (!n)
			return false;
		char *name = name_string(n);
		if (name)
			string_list_add(&hs->ca_names, name);
		free(name);
		if (!sk_X509_NAME_push(sk, n)) {
			X509_NAME_free(n);
			return false;
		}
	}
	return true;
}

bool parse_certificate_request(struct handshake *hs, struct cursor body)
{
	struct cursor types, sigalgs, names, ctx, exts;
	hs->certificate_requested = true;
	if (hs->version == 0x0304) {
		if (!cur_get_u8_prefixed(&body, &ctx) ||
		    !cur_get_u16_prefixed(&body, &exts) || !cur_empty(&body))
			return false;
		while (!cur_empty(&exts)) {
			uint16_t type;
			struct cursor ext;
			if (!cur_get_u16(&exts, &type) ||
			    !cur_get_u16_prefixed(&exts, &ext))
				return false;
			if (type == EXT_CERTIFICATE_AUTHORITIES &&
			    (!cur_get_u16_prefixed(&ext, &names) ||
			     !parse_ca_names(hs, names)))
				return false;
		}
		return true;
	}
	if (!cur_get_u8_prefixed(&body, &types))
		return false;
	/* signature algorithms exist from TLS 1.2 on */
	if (hs->version >= 0x0303 && !cur_get_u16_prefixed(&body, &sigalgs))
		return false;
	if (!cur_get_u16_prefixed(&body, &names) || !cur_empty(&body))
		return false;
	return parse_ca_names(hs, names);
}

bool parse_sslv2_client_hello(struct handshake *hs, struct cursor body)
{
	uint8_t msg;
	uint16_t version, spec_len, sid_len, chal_len;
	if (!cur_get_u8(&body, &msg) || msg != 1 || !cur_get_u16(&body, &version) ||
	    !cur_get_u16(&body, &spec_len) || !cur_get_u16(&body, &sid_len) ||
	    !cur_get_u16(&body, &chal_len))
		return false;
	hs->client_hello_seen = true;
	hs->sslv2_hello = true;
	hs->hello_version = version;
	hs->n_cipher_suites_offered = spec_len / 3;
	add_version(hs, version);
	/* cipher specs, session id and challenge must fill the record exactly */
	return spec_len % 3 == 0 && body.len == (size_t)spec_len + sid_len + chal_len;
}
