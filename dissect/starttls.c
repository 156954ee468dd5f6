/* starttls.c: STARTTLS in SMTP (RFC 3207), IMAP (RFC 9051 6.2.1), POP3
 * (RFC 2595 4), FTP (RFC 4217 AUTH TLS), XMPP (RFC 6120 5.4), LDAP (RFC 4511
 * 4.14, the StartTLS extended operation) and PostgreSQL (SSLRequest); and
 * TLS after any other preamble (SOCKS, HTTP CONNECT, RDP, MySQL, IRC or one
 * not known), found by a bounded scan for the hello and named by its first
 * bytes or its port.
 *
 * One row of protos[] a protocol: the ports it upgrades on, its name and its
 * feeder, which reads the plaintext of one direction through a cursor. */
#include "starttls.h"

#include "../common/cursor.h"

#include <string.h>

/* BER tags (X.690 8.1.2) of what an LDAP StartTLS reader walks */
#define LDAP_STARTTLS_OID      "1.3.6.1.4.1.1466.20037"
#define BER_INTEGER            0x02
#define BER_ENUMERATED         0x0a
#define BER_SEQUENCE           0x30
#define LDAP_EXTENDED_REQUEST  0x77 /* [APPLICATION 23], constructed */
#define LDAP_EXTENDED_RESPONSE 0x78 /* [APPLICATION 24], constructed */
#define LDAP_REQUEST_NAME      0x80 /* [0], primitive */

/* The PostgreSQL SSLRequest: length 8, code 80877103. */
#define PG_SSL_REQUEST_LEN  8
#define PG_SSL_REQUEST_CODE 0x04d2162fu

/* A feeder: the bytes of c it consumed as plaintext; *upgraded when TLS
 * starts right after them. */
typedef size_t feed_fn(struct starttls *st, bool from_client, struct cursor c,
                       bool *upgraded);
/* One command or reply line of a line protocol, its line end included. */
typedef void line_fn(struct starttls *st, bool from_client, struct cursor l,
                     bool *upgraded);

/* ---- reading through the cursor -------------------------------------------------- */

static uint8_t lower(uint8_t b)
{
	return b >= 'A' && b <= 'Z' ? (uint8_t)(b - 'A' + 'a') : b;
}

/* Whether the bytes of c at off begin with word: exactly, or in any case. */
static bool match_at(struct cursor c, size_t off, const char *word, bool any_case)
{
	for (size_t i = 0; word[i]; i++) {
		uint8_t b;
		if (!cur_peek_u8(&c, off + i, &b))
			return false;
		if (any_case ? lower(b) != lower((uint8_t)word[i])
		             : b != (uint8_t)word[i])
			return false;
	}
	return true;
}

static bool starts(struct cursor c, const char *word)
{
	return match_at(c, 0, word, true);
}

/* The offset of the first byte b in c, or c.len when there is none. */
static size_t find_byte(struct cursor c, uint8_t b)
{
	return cur_find(&c, &b, 1);
}

/* The offset of the first s in c, or c.len when there is none. */
static size_t find_str(struct cursor c, const char *s)
{
	return cur_find(&c, s, strlen(s));
}

/* The client asked; its next bytes are its ClientHello. */
static void request(struct starttls *st, bool *upgraded)
{
	st->requested = true;
	*upgraded = true;
}

/* ---- line protocols ---------------------------------------------------------------- */

/* Each whole line of c to fn, until TLS starts; a line not yet ended is left
 * for the next call. */
static size_t lines(struct starttls *st, bool from_client, struct cursor c,
                    bool *upgraded, line_fn *fn)
{
	size_t used = 0;
	while (!*upgraded) {
		size_t n = find_byte(c, '\n');
		struct cursor l;
		if (n == c.len || !cur_get_bytes(&c, n + 1, &l))
			break;
		fn(st, from_client, l, upgraded);
		used += n + 1;
	}
	return used;
}

/* The server's answer once the client asked: ok starts TLS, no refuses it. */
static void answer(struct starttls *st, bool ok, bool no, bool *upgraded)
{
	if (ok)
		*upgraded = true;
	if (no)
		st->refused = true;
}

/* SMTP and FTP replies (RFC 5321 4.2, RFC 959 4.2): three digits, then
 * "-" on each line of a reply but its last, a space or the line end on the
 * last.  The code of the last line of a reply; -1 for a line that continues
 * one, or any other line (FTP's text lines inside a reply). */
static int reply_end(struct cursor l)
{
	int code = 0;
	uint8_t b;
	for (size_t i = 0; i < 3; i++) {
		if (!cur_peek_u8(&l, i, &b) || b < '0' || b > '9')
			return -1;
		code = code * 10 + (b - '0');
	}
	if (cur_peek_u8(&l, 3, &b) && b != ' ' && b != '\r' && b != '\n')
		return -1;
	return code;
}

/* The end of the server's reply to the command: go_ahead starts TLS, a
 * 4xx or 5xx refuses it. */
static void reply(struct starttls *st, struct cursor l, int go_ahead, bool *upgraded)
{
	int code = reply_end(l);
	if (code >= 0)
		answer(st, code == go_ahead, code >= 400 && code < 600, upgraded);
}

static void smtp_line(struct starttls *st, bool from_client, struct cursor l,
                      bool *upgraded)
{
	if (from_client) {
		if (starts(l, "STARTTLS"))
			request(st, upgraded);
		return;
	}
	if (st->requested) /* not the greeting and capabilities */
		reply(st, l, 220, upgraded);
}

static void pop3_line(struct starttls *st, bool from_client, struct cursor l,
                      bool *upgraded)
{
	if (from_client) {
		if (starts(l, "STLS"))
			request(st, upgraded);
		return;
	}
	if (st->requested)
		answer(st, starts(l, "+OK"), starts(l, "-ERR"), upgraded);
}

static void ftp_line(struct starttls *st, bool from_client, struct cursor l,
                     bool *upgraded)
{
	if (from_client) {
		if (starts(l, "AUTH TLS") || starts(l, "AUTH SSL"))
			request(st, upgraded);
		return;
	}
	if (st->requested)
		reply(st, l, 234, upgraded);
}

/* IMAP: "tag STARTTLS", answered by "tag OK" (or BAD, NO) of the same tag. */
static void imap_line(struct starttls *st, bool from_client, struct cursor l,
                      bool *upgraded)
{
	if (from_client) {
		size_t taglen = find_byte(l, ' ');
		if (taglen < l.len && taglen < sizeof(st->tag) &&
		    match_at(l, taglen + 1, "STARTTLS", true) &&
		    cur_copy(&l, st->tag, taglen)) {
			st->tag[taglen] = '\0';
			request(st, upgraded);
		}
		return;
	}
	size_t t = strlen(st->tag);
	if (!st->requested || !match_at(l, 0, st->tag, false) ||
	    !match_at(l, t, " ", false))
		return; /* untagged, or another command's */
	bool ok = match_at(l, t + 1, "OK", true);
	answer(st, ok, !ok, upgraded);
}

static size_t smtp(struct starttls *st, bool from_client, struct cursor c, bool *upgraded)
{
	return lines(st, from_client, c, upgraded, smtp_line);
}

static size_t imap(struct starttls *st, bool from_client, struct cursor c, bool *upgraded)
{
	return lines(st, from_client, c, upgraded, imap_line);
}

static size_t pop3(struct starttls *st, bool from_client, struct cursor c, bool *upgraded)
{
	return lines(st, from_client, c, upgraded, pop3_line);
}

static size_t ftp(struct starttls *st, bool from_client, struct cursor c, bool *upgraded)
{
	return lines(st, from_client, c, upgraded, ftp_line);
}

/* ---- XMPP -------------------------------------------------------------------------- */

static bool xml_space(uint8_t b)
{
	return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

/* The length of the element at the start of c: up to the "/>" of an empty
 * element, or up to the '>' of its end tag (close, white space, '>'): XML
 * writes an element with no content either way.  0 while its end has not
 * come. */
static size_t element_end(struct cursor c, const char *close)
{
	size_t gt = find_byte(c, '>'), skip = gt + 1;
	uint8_t b;
	if (gt == c.len)
		return 0;
	if (gt > 0 && cur_peek_u8(&c, gt - 1, &b) && b == '/')
		return gt + 1;
	for (struct cursor rest = c; cur_skip(&rest, skip);) {
		size_t at = find_str(rest, close), k = at + strlen(close);
		if (at == rest.len)
			return 0;
		while (cur_peek_u8(&rest, k, &b) && xml_space(b))
			k++;
		if (!cur_peek_u8(&rest, k, &b))
			return 0;
		if (b == '>')
			return c.len - rest.len + k + 1;
		skip = at + 1; /* </starttlsx>: not this element's end */
	}
	return 0;
}

/* XMPP: the client's <starttls/> element, the server's <proceed/>, each
 * with or without an end tag; TLS starts after the element ends. */
static size_t xmpp(struct starttls *st, bool from_client, struct cursor c, bool *upgraded)
{
	const char *open = from_client ? "<starttls" : "<proceed";
	const char *close = from_client ? "</starttls" : "</proceed";
	if (!from_client && !st->requested)
		return c.len; /* the stream header and features */
	for (struct cursor rest = c;;) {
		size_t at = find_str(rest, open);
		struct cursor el = rest;
		uint8_t b;
		if (at == rest.len || !cur_skip(&el, at))
			break;
		size_t start = c.len - el.len; /* of the element, in c */
		/* the name ends at white space, '/' or '>': <starttls-x> is another */
		if (!cur_peek_u8(&el, strlen(open), &b))
			return start;
		if (!xml_space(b) && b != '/' && b != '>') {
			if (!cur_skip(&rest, at + 1))
				break;
			continue;
		}
		size_t end = element_end(el, close);
		if (end == 0)
			return start;
		if (from_client)
			st->requested = true;
		*upgraded = true;
		return start + end;
	}
	if (!from_client && find_str(c, "<failure") < c.len)
		st->refused = true;
	/* keep a tail that may hold the start of the element */
	return c.len > 16 ? c.len - 16 : 0;
}

/* ---- LDAP -------------------------------------------------------------------------- */

enum ber { BER_OK, BER_MORE, BER_BAD };

/* The header of one BER element (X.690 8.1): its tag and the length of its
 * contents, in short or long form (RFC 4511 5.1: definite lengths only; an
 * LDAP message longer than 2^32 is not one).  BER_MORE, c unchanged, when c
 * ends inside the header. */
static enum ber ber_header(struct cursor *c, uint8_t *tag, size_t *len)
{
	struct cursor save = *c;
	uint8_t l, b;
	if (!cur_get_u8(c, tag) || !cur_get_u8(c, &l)) {
		*c = save;
		return BER_MORE;
	}
	*len = l;
	if (!(l & 0x80))
		return BER_OK;
	/* the indefinite form, or a length of over four bytes: no LDAP message */
	if ((l & 0x7f) == 0 || (l & 0x7f) > 4)
		return BER_BAD;
	*len = 0;
	for (int k = l & 0x7f; k > 0; k--) {
		if (!cur_get_u8(c, &b)) {
			*c = save;
			return BER_MORE;
		}
		*len = *len << 8 | b;
	}
	return BER_OK;
}

/* The next element of c if its tag is want, its contents in *in; false, c
 * unchanged, when it is another or runs past the end of c. */
static bool ber_get(struct cursor *c, uint8_t want, struct cursor *in)
{
	struct cursor save = *c;
	uint8_t tag;
	size_t len;
	if (ber_header(c, &tag, &len) != BER_OK || tag != want ||
	    !cur_get_bytes(c, len, in)) {
		*c = save;
		return false;
	}
	return true;
}

/* An INTEGER or ENUMERATED of one to four bytes, as unsigned. */
static bool ber_small(struct cursor in, uint32_t *v)
{
	uint8_t b;
	if (in.len < 1 || in.len > 4)
		return false;
	for (*v = 0; cur_get_u8(&in, &b);)
		*v = *v << 8 | b;
	return true;
}

/* One LDAPMessage (RFC 4511 4.1.1, 4.14):
 *
 *   LDAPMessage ::= SEQUENCE { messageID INTEGER, protocolOp, controls [0] }
 *   ExtendedRequest ::= [APPLICATION 23] SEQUENCE {
 *           requestName [0] LDAPOID, requestValue [1] OPTIONAL }
 *   ExtendedResponse ::= [APPLICATION 24] SEQUENCE {
 *           resultCode ENUMERATED, matchedDN, diagnosticMessage, ... } */
static void ldap_message(struct starttls *st, bool from_client, struct cursor msg,
                         bool *upgraded)
{
	struct cursor id, op, field;
	uint32_t v;
	if (!ber_get(&msg, BER_INTEGER, &id) || !ber_small(id, &v))
		return;
	if (from_client) {
		if (ber_get(&msg, LDAP_EXTENDED_REQUEST, &op) &&
		    ber_get(&op, LDAP_REQUEST_NAME, &field) &&
		    field.len == strlen(LDAP_STARTTLS_OID) &&
		    match_at(field, 0, LDAP_STARTTLS_OID, false))
			request(st, upgraded);
		return;
	}
	if (st->requested && ber_get(&msg, LDAP_EXTENDED_RESPONSE, &op) &&
	    ber_get(&op, BER_ENUMERATED, &field) && ber_small(field, &v))
		answer(st, v == 0, v != 0, upgraded);
}

/* LDAP messages one by one, each whole before it is read. */
static size_t ldap(struct starttls *st, bool from_client, struct cursor c, bool *upgraded)
{
	size_t used = 0;
	while (!cur_empty(&c) && !*upgraded) {
		struct cursor rest = c, msg;
		uint8_t tag;
		size_t len;
		if (!cur_peek_u8(&c, 0, &tag) || tag != BER_SEQUENCE)
			return used + c.len; /* not LDAP: let it go */
		enum ber h = ber_header(&rest, &tag, &len);
		if (h == BER_BAD)
			return used + c.len;
		if (h == BER_MORE || !cur_get_bytes(&rest, len, &msg))
			break; /* the rest of the message is to come */
		size_t m = c.len - rest.len;
		ldap_message(st, from_client, msg, upgraded);
		used += m;
		c = rest;
	}
	return used;
}

/* ---- PostgreSQL -------------------------------------------------------------------- */

/* The frontend's SSLRequest, the backend's one-byte answer: 'S' or 'N'. */
static size_t postgresql(struct starttls *st, bool from_client, struct cursor c,
                         bool *upgraded)
{
	if (from_client) {
		uint32_t len, code;
		if (!cur_get_u32(&c, &len) || !cur_get_u32(&c, &code))
			return 0;
		if (len == PG_SSL_REQUEST_LEN && code == PG_SSL_REQUEST_CODE)
			request(st, upgraded);
		return PG_SSL_REQUEST_LEN;
	}
	uint8_t b;
	if (!st->requested || !cur_peek_u8(&c, 0, &b))
		return c.len;
	answer(st, b == 'S', b != 'S', upgraded);
	return 1;
}

/* ---- preambles: any plaintext, then a hello --------------------------------------- */

/* The smallest hello body: version, random, a session id length, a suite
 * (ServerHello) or suites (ClientHello) and compression. */
#define HELLO_MIN 38
/* A ClientHello or ServerHello at the start of c (RFC 8446 5.1, 4.1.2):
 *
 *   22  3 minor(<=4)  length(2)  type(1: ClientHello, 2: ServerHello)
 *   length(3)  legacy_version: 3 minor(<=4)
 *
 * ten bytes each constrained: plaintext of another protocol does not look
 * like this by chance. */
static enum ber hello_at(struct cursor c)
{
	uint8_t b[11];
	if (!cur_copy(&c, b, sizeof(b)))
		return BER_MORE;
	uint16_t rec = (uint16_t)(b[3] << 8 | b[4]);
	uint32_t len = (uint32_t)b[6] << 16 | (uint32_t)b[7] << 8 | b[8];
	bool ok = b[0] == 22 && b[1] == 3 && b[2] <= 4 && rec >= 6 &&
	          rec <= 16384 + 2048 && (b[5] == 1 || b[5] == 2) && len >= HELLO_MIN &&
	          len <= 0xffff && b[9] == 3 && b[10] <= 4;
	return ok ? BER_OK : BER_BAD;
}

/* Plaintext up to the first hello; a tail that may begin one is left for
 * the next call. */
static size_t hello_scan(struct starttls *st, bool from_client, struct cursor c,
                         bool *upgraded)
{
	(void)st;
	(void)from_client;
	size_t at = 0;
	for (;;) {
		struct cursor rest = c;
		if (!cur_skip(&rest, at))
			return c.len;
		size_t k = find_byte(rest, 22);
		if (k == rest.len)
			return c.len;
		at += k;
		cur_skip(&rest, k);
		enum ber h = hello_at(rest);
		if (h == BER_MORE)
			return at;
		if (h == BER_OK) {
			*upgraded = true;
			return at;
		}
		at++;
	}
}

static size_t u24le(const uint8_t *b)
{
	return (size_t)b[0] | (size_t)b[1] << 8 | (size_t)b[2] << 16;
}

/* SOCKS 4 CONNECT or BIND: version 4, command 1 or 2, port, address. */
static bool sniff_socks4(struct cursor c)
{
	uint8_t b[2];
	return c.len >= 9 && cur_copy(&c, b, 2) && b[0] == 4 && (b[1] == 1 || b[1] == 2);
}

/* SOCKS 5 (RFC 1928 3): version 5, the number of methods, the methods;
 * the proxy's answer: version 5 and the method chosen. */
static bool sniff_socks5(struct cursor c)
{
	uint8_t v, n;
	if (!cur_get_u8(&c, &v) || !cur_get_u8(&c, &n) || v != 5)
		return false;
	return (c.len == 0 && n <= 3) || (n > 0 && c.len == n);
}

static bool sniff_http_connect(struct cursor c)
{
	return match_at(c, 0, "CONNECT ", false);
}

/* RDP (MS-RDPBCGR 2.2.1.1): a TPKT header (version 3, 0, length), then an
 * X.224 Connection Request (0xe0) or Confirm (0xd0). */
static bool sniff_rdp(struct cursor c)
{
	uint8_t b[6];
	if (!cur_copy(&c, b, sizeof(b)) || b[0] != 3 || b[1] != 0)
		return false;
	return (b[2] << 8 | b[3]) >= 11 &&
	       ((b[5] & 0xf0) == 0xe0 || (b[5] & 0xf0) == 0xd0);
}

/* MySQL (Client/Server protocol): the server's greeting, a packet of
 * sequence 0 with protocol version 10; the client's SSLRequest, 32 bytes
 * of sequence 1. */
static bool sniff_mysql(struct cursor c)
{
	uint8_t b[5];
	if (!cur_copy(&c, b, sizeof(b)))
		return false;
	size_t len = u24le(b);
	return (b[3] == 0 && b[4] == 10 && len >= 20 && len < 1024) ||
	       (b[3] == 1 && len == 32);
}

/* IRC (RFC 2812, IRCv3 STARTTLS): a client's first command, or a server's
 * first line, a prefix and a NOTICE. */
static bool sniff_irc(struct cursor c)
{
	static const char *const first[] = {"STARTTLS\r\n", "CAP ", "NICK ", "PASS ",
	                                    "USER "};
	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++)
		if (match_at(c, 0, first[i], false))
			return true;
	size_t sp = find_byte(c, ' ');
	return match_at(c, 0, ":", false) && sp < 64 &&
	       match_at(c, sp + 1, "NOTICE ", false);
}

/* ---- the protocols ----------------------------------------------------------------- */

#define MAX_PORTS 2

static const struct proto {
	enum starttls_proto proto;
	const char *name;          /* CONTRACT.md's starttls value */
	uint16_t ports[MAX_PORTS]; /* the server ports it upgrades on; 0: none */
	feed_fn *feed;
	bool (*sniff)(struct cursor c); /* a preamble: its first bytes; else NULL */
} protos[] = {
    {ST_SMTP, "smtp", {25, 587}, smtp, NULL},
    {ST_IMAP, "imap", {143}, imap, NULL},
    {ST_POP3, "pop3", {110}, pop3, NULL},
    {ST_FTP, "ftp", {21}, ftp, NULL},
    {ST_XMPP, "xmpp", {5222, 5269}, xmpp, NULL},
    {ST_LDAP, "ldap", {389}, ldap, NULL},
    {ST_POSTGRESQL, "postgresql", {5432}, postgresql, NULL},
    {ST_SOCKS4, "socks4", {0}, hello_scan, sniff_socks4},
    {ST_SOCKS5, "socks5", {1080}, hello_scan, sniff_socks5},
    {ST_HTTP_CONNECT, "http-connect", {3128, 8080}, hello_scan, sniff_http_connect},
    {ST_RDP, "rdp", {3389}, hello_scan, sniff_rdp},
    {ST_MYSQL, "mysql", {3306}, hello_scan, sniff_mysql},
    {ST_IRC, "irc", {6667}, hello_scan, sniff_irc},
    {ST_UNKNOWN, "unknown", {0}, hello_scan, NULL},
};

#define N_PROTOS (sizeof(protos) / sizeof(protos[0]))

static const struct proto *proto_row(enum starttls_proto p)
{
	for (size_t i = 0; i < N_PROTOS; i++)
		if (protos[i].proto == p)
			return &protos[i];
	return NULL;
}

enum starttls_proto starttls_for_port(uint16_t port)
{
	for (size_t i = 0; i < N_PROTOS; i++)
		for (size_t k = 0; k < MAX_PORTS; k++)
			if (protos[i].ports[k] && protos[i].ports[k] == port)
				return protos[i].proto;
	return ST_NONE;
}

enum starttls_proto starttls_sniff(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < N_PROTOS; i++)
		if (protos[i].sniff && protos[i].sniff(cur_make(p, n)))
			return protos[i].proto;
	return ST_NONE;
}

bool starttls_never(const uint8_t *p, size_t n)
{
	static const char *const never[] = {"GET ",    "POST ",  "HEAD ",    "PUT ",
	                                    "DELETE ", "PATCH ", "OPTIONS ", "SSH-"};
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (match_at(cur_make(p, n), 0, never[i], false))
			return true;
	return false;
}

size_t starttls_max(enum starttls_proto p)
{
	return p >= ST_SOCKS4 ? PREAMBLE_MAX : STARTTLS_MAX_PLAINTEXT;
}

const char *starttls_name(enum starttls_proto p)
{
	const struct proto *r = proto_row(p);
	return r ? r->name : NULL;
}

size_t starttls_feed(struct starttls *st, bool from_client, const uint8_t *p, size_t n,
                     bool *upgraded)
{
	const struct proto *r = proto_row(st->proto);
	*upgraded = false;
	if (!r)
		return n;
	size_t used = r->feed(st, from_client, cur_make(p, n), upgraded);
	st->seen[from_client ? 0 : 1] += used;
	return used;
}
