/* hello.c: ClientHello and ServerHello (RFC 8446 4.1.2-4.1.3, RFC 5246
 * 7.4.1), Certificate (RFC 8446 4.4.2, RFC 5246 7.4.2), CertificateRequest
 * (RFC 8446 4.3.2, RFC 5246 7.4.4) and the SSL 2.0 CLIENT-HELLO (RFC 6101
 * appendix E.2).
 *
 *   ClientHello: legacy_version(2) random(32) session_id<0..32>
 *                cipher_suites<2..2^16-2> compression<1..2^8-1>
 *                extensions<0..2^16-1>
 *
 * Certificates and CA names are kept as the DER that was sent: decoding
 * them is judge/'s work.
 */
#include "hello.h"

#include "names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXT_SERVER_NAME             0
#define EXT_ENCRYPT_THEN_MAC        22
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

/* ---- extensions (RFC 8446 4.2) ------------------------------------------ */

/* The messages an extension block belongs to. */
enum ext_where {
	IN_CH = 1 << 0,  /* ClientHello */
	IN_SH = 1 << 1,  /* ServerHello (TLS 1.2 servers echo server_name and ALPN) */
	IN_HRR = 1 << 2, /* HelloRetryRequest */
	IN_CR = 1 << 3,  /* TLS 1.3 CertificateRequest */
};

/* What an extension parser fills: the handshake, and for a ServerHello the
 * version it selects. */
struct ext_ctx {
	struct handshake *hs;
	enum ext_where where;
	bool have_versions;
};

static enum anomaly_kind parse_sni(struct ext_ctx *x, struct cursor ext)
{
	struct cursor list, name;
	if (x->where != IN_CH)
		return cur_empty(&ext) ? ANOMALY_NONE
		                       : ANOMALY_TRAILING; /* an empty echo */
	if (!cur_get_u16_prefixed(&ext, &list))
		return ANOMALY_SHORT;
	if (!cur_empty(&ext))
		return ANOMALY_TRAILING;
	while (!cur_empty(&list)) {
		uint8_t type;
		if (!cur_get_u8(&list, &type) || !cur_get_u16_prefixed(&list, &name))
			return ANOMALY_SHORT;
		if (type == 0 && !x->hs->sni)
			x->hs->sni = escape_text(name.p, name.len);
	}
	return ANOMALY_NONE;
}

static enum anomaly_kind parse_alpn(struct ext_ctx *x, struct cursor ext)
{
	struct cursor list, proto;
	if (!cur_get_u16_prefixed(&ext, &list))
		return ANOMALY_SHORT;
	if (!cur_empty(&ext))
		return ANOMALY_TRAILING;
	while (!cur_empty(&list)) {
		if (!cur_get_u8_prefixed(&list, &proto))
			return ANOMALY_SHORT;
		/* the ServerHello's choice is not an offer */
		if (x->where != IN_CH)
			continue;
		char *s = escape_text(proto.p, proto.len);
		if (s) {
			string_list_add(&x->hs->alpn, s);
			free(s);
		}
	}
	return ANOMALY_NONE;
}

static enum anomaly_kind parse_versions(struct ext_ctx *x, struct cursor ext)
{
	x->have_versions = true;
	if (x->where != IN_CH) {
		/* ServerHello and HelloRetryRequest: the one version selected */
		uint16_t v;
		if (!cur_get_u16(&ext, &v))
			return ANOMALY_SHORT;
		if (!cur_empty(&ext))
			return ANOMALY_TRAILING;
		x->hs->version = v;
		return ANOMALY_NONE;
	}
	struct cursor list;
	if (!cur_get_u8_prefixed(&ext, &list))
		return ANOMALY_SHORT;
	if (!cur_empty(&ext))
		return ANOMALY_TRAILING;
	if (list.len % 2)
		return ANOMALY_INVALID;
	uint16_t v;
	while (cur_get_u16(&list, &v))
		add_version(x->hs, v);
	return ANOMALY_NONE;
}

static enum anomaly_kind parse_ca_names(struct handshake *hs, struct cursor names);

/* encrypt_then_mac (RFC 7366): empty; the ServerHello's takes it */
static enum anomaly_kind parse_etm(struct ext_ctx *x, struct cursor ext)
{
	if (x->where == IN_SH)
		x->hs->encrypt_then_mac = true;
	return cur_empty(&ext) ? ANOMALY_NONE : ANOMALY_TRAILING;
}

static enum anomaly_kind parse_authorities(struct ext_ctx *x, struct cursor ext)
{
	struct cursor names;
	if (!cur_get_u16_prefixed(&ext, &names))
		return ANOMALY_SHORT;
	if (!cur_empty(&ext))
		return ANOMALY_TRAILING;
	/* a ClientHello's list names the CAs the client trusts: not kept */
	return x->where == IN_CR ? parse_ca_names(x->hs, names) : ANOMALY_NONE;
}

/* The extensions certscope reads, and where each may appear (RFC 8446
 * 4.2's table, with the TLS 1.2 ServerHello's echoes).  Adding a row is the
 * whole change for a new one. */
static const struct extension {
	uint16_t type;
	unsigned allowed_in;
	enum anomaly_kind (*parse)(struct ext_ctx *x, struct cursor ext);
} extensions[] = {
    {EXT_SERVER_NAME, IN_CH | IN_SH, parse_sni},
    {EXT_ALPN, IN_CH | IN_SH, parse_alpn},
    {EXT_SUPPORTED_VERSIONS, IN_CH | IN_SH | IN_HRR, parse_versions},
    {EXT_CERTIFICATE_AUTHORITIES, IN_CH | IN_CR, parse_authorities},
    {EXT_ENCRYPT_THEN_MAC, IN_CH | IN_SH, parse_etm},
};

/* Extension types remembered for the duplicate check: those under 64 (most
 * of them) in a bitmap, up to EXT_SEEN_MAX others in a list; a block with
 * more is checked over its first ones only. */
#define EXT_SEEN_MAX 32

struct ext_seen {
	uint64_t low;
	uint16_t other[EXT_SEEN_MAX];
	size_t n;
};

/* Records type; true when it was seen already. */
static bool ext_repeated(struct ext_seen *s, uint16_t type)
{
	if (type < 64) {
		uint64_t bit = (uint64_t)1 << type;
		bool seen = s->low & bit;
		s->low |= bit;
		return seen;
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->other[i] == type)
			return true;
	if (s->n < EXT_SEEN_MAX)
		s->other[s->n++] = type;
	return false;
}

/* Reads an extensions block to its end: every extension's length must fit,
 * no type twice (RFC 8446 4.2), a known one only where it may appear. */
static enum anomaly_kind parse_extensions(struct ext_ctx *x, struct cursor exts)
{
	struct ext_seen seen;
	seen.low = 0;
	seen.n = 0;
	enum anomaly_kind worst = ANOMALY_NONE;
	while (!cur_empty(&exts)) {
		uint16_t type;
		struct cursor ext;
		if (!cur_get_u16(&exts, &type) || !cur_get_u16_prefixed(&exts, &ext))
			return ANOMALY_SHORT;
		if (ext_repeated(&seen, type))
			worst = ANOMALY_INVALID;
		for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
			const struct extension *e = &extensions[i];
			if (e->type != type)
				continue;
			enum anomaly_kind k =
			    e->allowed_in & x->where ? e->parse(x, ext) : ANOMALY_INVALID;
			if (k != ANOMALY_NONE && worst == ANOMALY_NONE)
				worst = k;
			break;
		}
	}
	return worst;
}

/* ---- the hellos --------------------------------------------------------- */

static enum anomaly_kind client_hello(struct handshake *hs, struct cursor body, bool cut);

enum anomaly_kind parse_client_hello(struct handshake *hs, struct cursor body)
{
	return client_hello(hs, body, false);
}

enum anomaly_kind parse_client_hello_cut(struct handshake *hs, struct cursor body)
{
	return client_hello(hs, body, true);
}

static enum anomaly_kind client_hello(struct handshake *hs, struct cursor body, bool cut)
{
	struct cursor sid, suites, comp, exts;
	uint16_t version;
	if (hs->client_hello_seen)
		return ANOMALY_NONE; /* the second ClientHello after a HelloRetryRequest
		                      */
	hs->client_hello_seen = true;
	if (!cur_get_u16(&body, &version) || !cur_copy(&body, hs->client_random, 32) ||
	    !cur_get_u8_prefixed(&body, &sid) || !cur_get_u16_prefixed(&body, &suites) ||
	    !cur_get_u8_prefixed(&body, &comp))
		return ANOMALY_SHORT;
	hs->hello_version = version;
	hs->have_random = true;
	hs->n_cipher_suites_offered = suites.len / 2;
	if (cur_empty(&body)) {
		/* no extensions: the legacy version is the offer */
		add_version(hs, version);
		return ANOMALY_NONE;
	}
	uint16_t exts_len;
	if (cut && cur_peek_u16(&body, 0, &exts_len) && exts_len > body.len - 2) {
		/* the extensions the capture holds, up to the cut */
		cur_skip(&body, 2);
		exts = body;
		cur_skip(&body, body.len);
	} else if (!cur_get_u16_prefixed(&body, &exts)) {
		return ANOMALY_SHORT;
	}
	struct ext_ctx x = {hs, IN_CH, false};
	enum anomaly_kind k = parse_extensions(&x, exts);
	if (!x.have_versions)
		add_version(hs, version);
	if (k == ANOMALY_NONE && !cur_empty(&body))
		k = ANOMALY_TRAILING;
	return k;
}

/* A ServerHello of the TLS 1.3 drafts before 22, whose version field held
 * the draft (draft-ietf-tls-tls13-21 4.1.3):
 *
 *   version(2) random(32) cipher_suite(2) extensions<6..2^16-1> */
static enum anomaly_kind parse_draft_server_hello(struct handshake *hs,
                                                  struct cursor body)
{
	struct cursor exts;
	uint16_t version, suite;
	if (!cur_get_u16(&body, &version) || !cur_skip(&body, 32) ||
	    !cur_get_u16(&body, &suite))
		return ANOMALY_SHORT;
	hs->server_hello_seen = true;
	hs->version = version;
	hs->cipher = suite;
	hs->cipher_known = true;
	if (cur_empty(&body))
		return ANOMALY_NONE;
	if (!cur_get_u16_prefixed(&body, &exts))
		return ANOMALY_SHORT;
	struct ext_ctx x = {hs, IN_SH, false};
	enum anomaly_kind k = parse_extensions(&x, exts);
	hs->version = version; /* the field, not an extension, says it */
	return k == ANOMALY_NONE && !cur_empty(&body) ? ANOMALY_TRAILING : k;
}

enum anomaly_kind parse_server_hello(struct handshake *hs, struct cursor body, bool *hrr)
{
	struct cursor sid, exts;
	uint16_t version, suite;
	uint8_t comp;
	struct cursor random;
	*hrr = false;
	if (cur_peek_u16(&body, 0, &version) && tls13_draft(version) > 0)
		return parse_draft_server_hello(hs, body);
	if (!cur_get_u16(&body, &version) || !cur_get_bytes(&body, 32, &random) ||
	    !cur_get_u8_prefixed(&body, &sid) || !cur_get_u16(&body, &suite) ||
	    !cur_get_u8(&body, &comp))
		return ANOMALY_SHORT;
	*hrr = memcmp(random.p, hrr_random, 32) == 0;
	hs->server_hello_seen = true;
	hs->version = version;
	hs->cipher = suite;
	hs->cipher_known = true;
	if (cur_empty(&body))
		return ANOMALY_NONE;
	if (!cur_get_u16_prefixed(&body, &exts))
		return ANOMALY_SHORT;
	struct ext_ctx x = {hs, *hrr ? IN_HRR : IN_SH, false};
	enum anomaly_kind k = parse_extensions(&x, exts);
	if (k == ANOMALY_NONE && !cur_empty(&body))
		k = ANOMALY_TRAILING;
	return k;
}

/* ---- certificates ------------------------------------------------------- */

static bool chain_add(struct wire_chain *chain, struct cursor der, struct der_pool *pool)
{
	struct wire_cert *v = realloc(chain->certs, (chain->n + 1) * sizeof(*v));
	if (!v)
		return false;
	chain->certs = v;
	struct der_blob *b = der_pool_get(pool, der.p, der.len);
	if (!b)
		return false;
	chain->certs[chain->n++] = (struct wire_cert){b->der, b->len, b};
	return true;
}

enum anomaly_kind parse_certificate(struct wire_chain *chain, struct cursor body,
                                    bool tls13, size_t max_certs, struct der_pool *pool)
{
	struct cursor ctx, list, der, exts;
	if (chain->seen)
		return ANOMALY_NONE; /* a second Certificate (renegotiation): keep the
		                        first */
	chain->seen = true;
	if (tls13 && !cur_get_u8_prefixed(&body, &ctx))
		return ANOMALY_SHORT;
	if (!cur_get_u24_prefixed(&body, &list))
		return ANOMALY_SHORT;
	while (!cur_empty(&list)) {
		if (!cur_get_u24_prefixed(&list, &der))
			return ANOMALY_SHORT;
		if (tls13 && !cur_get_u16_prefixed(&list, &exts))
			return ANOMALY_SHORT;
		if (chain->n >= max_certs) {
			if (chain->dropped < UINT32_MAX)
				chain->dropped++;
			continue;
		}
		/* out of memory: the certificates kept so far stay */
		if (!chain_add(chain, der, pool))
			return ANOMALY_NONE;
	}
	return cur_empty(&body) ? ANOMALY_NONE : ANOMALY_TRAILING;
}

/* DistinguishedName certificate_authorities<3..2^16-1>, each <1..2^16-1> */
static enum anomaly_kind parse_ca_names(struct handshake *hs, struct cursor names)
{
	while (!cur_empty(&names)) {
		struct cursor dn;
		if (!cur_get_u16_prefixed(&names, &dn))
			return ANOMALY_SHORT;
		if (dn.len == 0)
			return ANOMALY_INVALID;
		if (blob_list_add(&hs->ca_names, dn.p, dn.len) < 0)
			return ANOMALY_NONE;
	}
	return ANOMALY_NONE;
}

enum anomaly_kind parse_certificate_request(struct handshake *hs, struct cursor body)
{
	struct cursor types, sigalgs, names, ctx, exts;
	hs->certificate_requested = true;
	if (version_tls13(hs->version)) {
		if (!cur_get_u8_prefixed(&body, &ctx) ||
		    !cur_get_u16_prefixed(&body, &exts))
			return ANOMALY_SHORT;
		struct ext_ctx x = {hs, IN_CR, false};
		enum anomaly_kind k = parse_extensions(&x, exts);
		if (k == ANOMALY_NONE && !cur_empty(&body))
			k = ANOMALY_TRAILING;
		return k;
	}
	if (!cur_get_u8_prefixed(&body, &types))
		return ANOMALY_SHORT;
	/* signature algorithms exist from TLS 1.2 on */
	if (hs->version >= 0x0303 && !cur_get_u16_prefixed(&body, &sigalgs))
		return ANOMALY_SHORT;
	if (!cur_get_u16_prefixed(&body, &names))
		return ANOMALY_SHORT;
	enum anomaly_kind k = parse_ca_names(hs, names);
	if (k == ANOMALY_NONE && !cur_empty(&body))
		k = ANOMALY_TRAILING;
	return k;
}

enum anomaly_kind parse_sslv2_client_hello(struct handshake *hs, struct cursor body)
{
	uint8_t msg;
	uint16_t version, spec_len, sid_len, chal_len;
	if (!cur_get_u8(&body, &msg) || !cur_get_u16(&body, &version) ||
	    !cur_get_u16(&body, &spec_len) || !cur_get_u16(&body, &sid_len) ||
	    !cur_get_u16(&body, &chal_len))
		return ANOMALY_SHORT;
	if (msg != 1)
		return ANOMALY_INVALID;
	hs->client_hello_seen = true;
	hs->sslv2_hello = true;
	hs->hello_version = version;
	hs->n_cipher_suites_offered = spec_len / 3;
	add_version(hs, version);
	/* cipher specs, session id and challenge must fill the record exactly */
	if (spec_len % 3)
		return ANOMALY_INVALID;
	size_t want = (size_t)spec_len + sid_len + chal_len;
	return body.len < want   ? ANOMALY_SHORT
	       : body.len > want ? ANOMALY_TRAILING
	                         : ANOMALY_NONE;
}

/* SSL 2.0 SERVER-HELLO (the SSL 2.0 draft, appendix B):
 *
 *   msg_type(1) = 4, session_id_hit(1), certificate_type(1) = 1 (X.509),
 *   server_version(2), certificate_length(2), cipher_specs_length(2),
 *   connection_id_length(2), certificate, cipher specs, connection id */
enum anomaly_kind parse_sslv2_server_hello(struct handshake *hs, struct wire_chain *chain,
                                           struct cursor body, struct der_pool *pool)
{
	uint8_t msg, hit, type;
	uint16_t version, cert_len, spec_len, cid_len;
	struct cursor der, specs, cid;
	if (!cur_get_u8(&body, &msg) || !cur_get_u8(&body, &hit) ||
	    !cur_get_u8(&body, &type) || !cur_get_u16(&body, &version) ||
	    !cur_get_u16(&body, &cert_len) || !cur_get_u16(&body, &spec_len) ||
	    !cur_get_u16(&body, &cid_len))
		return ANOMALY_SHORT;
	if (msg != 4)
		return ANOMALY_INVALID;
	hs->server_hello_seen = true;
	hs->sslv2_server_hello = true;
	hs->version = version;
	if (!cur_get_bytes(&body, cert_len, &der))
		return ANOMALY_SHORT;
	/* a session resumed (hit) sends no certificate */
	if (cert_len && !chain->seen) {
		chain->seen = true;
		if (type != 1)
			return ANOMALY_INVALID;
		if (!chain_add(chain, der, pool))
			return ANOMALY_NONE;
	}
	if (spec_len % 3 || !cur_get_bytes(&body, spec_len, &specs) ||
	    !cur_get_bytes(&body, cid_len, &cid))
		return spec_len % 3 ? ANOMALY_INVALID : ANOMALY_SHORT;
	return cur_empty(&body) ? ANOMALY_NONE : ANOMALY_TRAILING;
}
