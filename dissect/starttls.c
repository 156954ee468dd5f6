/* starttls.c: STARTTLS in SMTP (RFC 3207), IMAP (RFC 9051 6.2.1), POP3
 * (RFC 2595 4), FTP (RFC 4217 AUTH TLS), XMPP (RFC 6120 5.4), LDAP (RFC 4511
 * 4.14, the StartTLS extended operation) and PostgreSQL (SSLRequest). */
#include "starttls.h"

#include "../common/cursor.h"

#include <string.h>
#include <strings.h>

#define LDAP_STARTTLS_OID      "1.3.6.1.4.1.1466.20037"
#define BER_SEQUENCE           0x30
#define LDAP_EXTENDED_RESPONSE 0x78
#define BER_ENUMERATED         0x0a

enum starttls_proto starttls_for_port(uint16_t port)
{
	switch (port) {
	case 25:
	case 587:
		return ST_SMTP;
	case 143:
		return ST_IMAP;
	case 110:
		return ST_POP3;
	case 21:
		return ST_FTP;
	case 5222:
	case 5269:
		return ST_XMPP;
	case 389:
		return ST_LDAP;
	case 5432:
		return ST_POSTGRESQL;
	default:
		return ST_NONE;
	}
}

const char *starttls_name(enum starttls_proto p)
{
	static const char *const names[] = {
	    [ST_NONE] = NULL,   [ST_SMTP] = "smtp",
	    [ST_IMAP] = "imap", [ST_POP3] = "pop3",
	    [ST_FTP] = "ftp",   [ST_XMPP] = "xmpp",
	    [ST_LDAP] = "ldap", [ST_POSTGRESQL] = "postgresql",
	};
	return names[p];
}

static bool starts(const uint8_t *line, size_t len, const char *word)
{
	size_t n = strlen(word);
	return len >= n && strncasecmp((const char *)line, word, n) == 0;
}

/* One command or reply line of a line protocol. */
static void line(struct starttls *st, bool from_client, const uint8_t *l, size_t len,
                 bool *upgraded)
{
	if (from_client) {
		bool cmd = false;
		switch (st->proto) {
		case ST_SMTP:
			cmd = starts(l, len, "STARTTLS");
			break;
		case ST_POP3:
			cmd = starts(l, len, "STLS");
			break;
		case ST_FTP:
			cmd = starts(l, len, "AUTH TLS") || starts(l, len, "AUTH SSL");
			break;
		case ST_IMAP: {
			const uint8_t *sp = memchr(l, ' ', len);
			size_t taglen = sp ? (size_t)(sp - l) : 0;
			if (sp && taglen < sizeof(st->tag) &&
			    starts(sp + 1, len - taglen - 1, "STARTTLS")) {
				memcpy(st->tag, l, taglen);
				st->tag[taglen] = '\0';
				cmd = true;
			}
			break;
		}
		default:
			break;
		}
		if (cmd) {
			st->requested = true;
			*upgraded =
			    true; /* the client's next bytes are its ClientHello */
		}
		return;
	}
	if (!st->requested)
		return; /* greetings and capabilities */
	bool ok = false, no = false;
	switch (st->proto) {
	case ST_SMTP:
		ok = starts(l, len, "220");
		no = !ok && len >= 1 && (l[0] == '4' || l[0] == '5');
		break;
	case ST_POP3:
		ok = starts(l, len, "+OK");
		no = starts(l, len, "-ERR");
		break;
	case ST_FTP:
		ok = starts(l, len, "234");
		no = len >= 1 && (l[0] == '4' || l[0] == '5');
		break;
	case ST_IMAP: {
		size_t t = strlen(st->tag);
		if (len > t && memcmp(l, st->tag, t) == 0 && l[t] == ' ') {
			ok = starts(l + t + 1, len - t - 1, "OK");
			no = !ok;
		}
		break;
	}
	default:
		break;
	}
	if (ok)
		*upgraded = true;
	if (no)
		st->refused = true;
}

static size_t lines(struct starttls *st, bool from_client, const uint8_t *p, size_t n,
                    bool *upgraded)
{
	size_t used = 0;
	while (used < n && !*upgraded) {
		const uint8_t *nl = memchr(p + used, '\n', n - used);
		if (!nl)
			break;
		size_t len = (size_t)(nl - (p + used)) + 1;
		line(st, from_client, p + used, len, upgraded);
		used += len;
	}
	return used;
}

/* XMPP: the client's <starttls/> element, the server's <proceed/>. */
static size_t xmpp(struct starttls *st, bool from_client, const uint8_t *p, size_t n,
                   bool *upgraded)
{
	const char *want = from_client ? "<starttls" : "<proceed";
	if (!from_client && !st->requested)
		return n; /* the stream header and features */
	const uint8_t *at = memmem(p, n, want, strlen(want));
	if (!at) {
		if (!from_client && memmem(p, n, "<failure", 8))
			st->refused = true;
		/* keep a tail that may hold the start of the element */
		return n > 16 ? n - 16 : 0;
	}
	const uint8_t *end = memchr(at, '>', n - (size_t)(at - p));
	if (!end)
		return (size_t)(at - p);
	if (from_client)
		st->requested = true;
	*upgraded = true;
	return (size_t)(end - p) + 1;
}

/* The length of one BER element at c (tag, length, contents), or 0 when
 * more bytes are needed or the length is impossible. */
static size_t ber_len(const uint8_t *p, size_t n)
{
	struct cursor c = cur_make(p, n);
	uint8_t tag, l;
	if (!cur_get_u8(&c, &tag) || !cur_get_u8(&c, &l))
		return 0;
	size_t len = l, hdr = 2;
	if (l & 0x80) {
		size_t k = l & 0x7f;
		/* an LDAP message longer than 2^32 is not one */
		if (k == 0 || k > 4)
			return (size_t)-1;
		len = 0;
		for (size_t i = 0; i < k; i++) {
			uint8_t b;
			if (!cur_get_u8(&c, &b))
				return 0;
			len = len << 8 | b;
		}
		hdr += k;
	}
	return hdr + len <= n ? hdr + len : 0;
}

static size_t ldap(struct starttls *st, bool from_client, const uint8_t *p, size_t n,
                   bool *upgraded)
{
	size_t used = 0;
	while (used < n && !*upgraded) {
		if (p[used] != BER_SEQUENCE)
			return n; /* not LDAP: let it go */
		size_t m = ber_len(p + used, n - used);
		if (m == (size_t)-1)
			return n;
		if (m == 0)
			break;
		const uint8_t *msg = p + used;
		if (from_client &&
		    memmem(msg, m, LDAP_STARTTLS_OID, strlen(LDAP_STARTTLS_OID))) {
			st->requested = true;
			*upgraded = true;
		} else if (!from_client && st->requested) {
			/* ExtendedResponse: [APPLICATION 24] { resultCode ENUMERATED, ...
			 * } */
			const uint8_t *r = memchr(msg, LDAP_EXTENDED_RESPONSE, m);
			size_t off = r ? (size_t)(r - msg) : m;
			if (r && off + 5 <= m && msg[off + 2] == BER_ENUMERATED &&
			    msg[off + 3] == 1) {
				if (msg[off + 4] == 0)
					*upgraded = true;
				else
					st->refused = true;
			}
		}
		used += m;
	}
	return used;
}

static size_t postgresql(struct starttls *st, bool from_client, const uint8_t *p,
                         size_t n, bool *upgraded)
{
	static const uint8_t ssl_request[8] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};
	if (from_client) {
		if (n < 8)
			return 0;
		if (memcmp(p, ssl_request, 8) == 0) {
			st->requested = true;
			*upgraded = true;
		}
		return 8;
	}
	if (!st->requested || n < 1)
		return n;
	if (p[0] == 'S')
		*upgraded = true;
	else
		st->refused = true;
	return 1;
}

size_t starttls_feed(struct starttls *st, bool from_client, const uint8_t *p, size_t n,
                     bool *upgraded)
{
	size_t used;
	*upgraded = false;
	switch (st->proto) {
	case ST_SMTP:
	case ST_IMAP:
	case ST_POP3:
	case ST_FTP:
		used = lines(st, from_client, p, n, upgraded);
		break;
	case ST_XMPP:
		used = xmpp(st, from_client, p, n, upgraded);
		break;
	case ST_LDAP:
		used = ldap(st, from_client, p, n, upgraded);
		break;
	case ST_POSTGRESQL:
		used = postgresql(st, from_client, p, n, upgraded);
		break;
	default:
		return n;
	}
	st->seen[from_client ? 0 : 1] += used;
	return used;
}
