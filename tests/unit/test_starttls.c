/* test_starttls.c: dissect/starttls.h, the plaintext phase of SMTP, IMAP,
 * POP3, FTP, XMPP, LDAP and PostgreSQL followed through starttls_feed() up to
 * the point where TLS starts.
 *
 * Each script case is a conversation of steps in the order they happen; the
 * driver feeds them the way dissect/record.c does (a direction's unconsumed
 * bytes stay buffered and are offered again with the next ones, and a
 * direction is no longer fed once it upgraded), and delivers every step
 * whole, byte by byte, and split in two at every position.  However the bytes
 * come, each direction must upgrade exactly at the end of its marked step
 * (the client's command, the server's go-ahead) and consume nothing of the
 * TLS bytes after it. */
#include "dissect/starttls.h"

#include "check.h"

#include <stdlib.h>

/* The first bytes of a ClientHello and of a ServerHello record: what follows
 * a go-ahead, never to be consumed as plaintext. */
#define CLIENT_HELLO "\x16\x03\x01\x00\x04\x01\x00\x00\x00"
#define SERVER_HELLO "\x16\x03\x03\x00\x04\x02\x00\x00\x00"

struct step {
	bool client;
	const char *plain;
	size_t plain_len;
	const char *tls; /* bytes after the plaintext in the same step */
	size_t tls_len;
	bool up; /* the direction upgrades at the end of plain */
};

#define C(s)    true, s, sizeof(s) - 1, NULL, 0, false
#define S(s)    false, s, sizeof(s) - 1, NULL, 0, false
#define C_UP(s) true, s, sizeof(s) - 1, CLIENT_HELLO, sizeof(CLIENT_HELLO) - 1, true
#define S_UP(s) false, s, sizeof(s) - 1, SERVER_HELLO, sizeof(SERVER_HELLO) - 1, true
/* a command the server then refuses: the client's plaintext ends there as far
 * as the reader can tell, and no TLS follows */
#define C_END(s) true, s, sizeof(s) - 1, NULL, 0, true

/* A ClientHello and a ServerHello whose first eleven bytes are as TLS sends
 * them: what the scan after a preamble looks for. */
#define REAL_CLIENT_HELLO "\x16\x03\x01\x00\xc8\x01\x00\x00\xc4\x03\x03\x11\x22"
#define REAL_SERVER_HELLO "\x16\x03\x03\x00\x5a\x02\x00\x00\x56\x03\x03\x33\x44"
#define C_HELLO(s)                                                                       \
	true, s, sizeof(s) - 1, REAL_CLIENT_HELLO, sizeof(REAL_CLIENT_HELLO) - 1, true
#define S_HELLO(s)                                                                       \
	false, s, sizeof(s) - 1, REAL_SERVER_HELLO, sizeof(REAL_SERVER_HELLO) - 1, true

/* SOCKS 5 (RFC 1928): greeting, method, CONNECT www.example.com:443, reply */
#define SOCKS5_GREETING "\x05\x01\x00"
#define SOCKS5_METHOD   "\x05\x00"
#define SOCKS5_CONNECT  "\x05\x01\x00\x03\x0fwww.example.com\x01\xbb"
#define SOCKS5_REPLY    "\x05\x00\x00\x01\xc6\x33\x64\x14\x01\xbb"
/* RDP: X.224 Connection Request and Confirm with RDP_NEG_REQ/RSP (SSL) */
#define RDP_CR                                                                           \
	"\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x01\x00\x00\x00"
#define RDP_CC                                                                           \
	"\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00\x02\x00\x08\x00\x01\x00\x00\x00"
/* MySQL: the start of a HandshakeV10 greeting, and an SSLRequest */
#define MYSQL_GREETING                                                                   \
	"\x4a\x00\x00\x00\x0a"                                                           \
	"8.0.36\x00\x2a\x00\x00\x00"
#define MYSQL_SSL_REQUEST                                                                \
	"\x20\x00\x00\x01\x05\xae\xff\x01\x00\x00\x00\x01\xff\x00\x00\x00\x00\x00\x00"   \
	"\x00"                                                                           \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

#define MAX_STEPS 8

struct scase {
	const char *name;
	enum starttls_proto proto;
	struct step steps[MAX_STEPS];
	bool requested, refused;
	const char *tag; /* IMAP: the tag kept; NULL: not checked */
};

/* ---- conversations ----------------------------------------------------------- */

/* RFC 5321 and RFC 3207 */
#define SMTP_GREETING S("220 mail.example.com ESMTP ready\r\n")
#define SMTP_EHLO     C("EHLO client.example.org\r\n")
#define SMTP_EHLO_REPLY                                                                  \
	S("250-mail.example.com Hello\r\n250-PIPELINING\r\n250-STARTTLS\r\n"             \
	  "250 8BITMIME\r\n")

/* RFC 4511 section 4.14: an ExtendedRequest with requestName
 * 1.3.6.1.4.1.1466.20037 and its ExtendedResponse, both messageID 2, after
 * an anonymous BindRequest and BindResponse (messageID 1) */
#define LDAP_OID          "1.3.6.1.4.1.1466.20037"
#define LDAP_BIND_REQ     C("\x30\x0c\x02\x01\x01\x60\x07\x02\x01\x03\x04\x00\x80\x00")
#define LDAP_BIND_RESP    S("\x30\x0c\x02\x01\x01\x61\x07\x0a\x01\x00\x04\x00\x04\x00")
#define LDAP_STARTTLS_REQ "\x30\x1d\x02\x01\x02\x77\x18\x80\x16" LDAP_OID
/* resultCode success, matchedDN "", diagnosticMessage "", responseName the
 * StartTLS OID */
#define LDAP_STARTTLS_OK                                                                 \
	"\x30\x24\x02\x01\x02\x78\x1f\x0a\x01\x00\x04\x00\x04\x00\x8a\x16" LDAP_OID

/* the PostgreSQL frontend/backend protocol: SSLRequest is length 8 and code
 * 80877103 (0x04d2162f); GSSENCRequest is code 80877104 */
#define PG_SSL_REQUEST "\x00\x00\x00\x08\x04\xd2\x16\x2f"
#define PG_GSS_REQUEST "\x00\x00\x00\x08\x04\xd2\x16\x30"

/* RFC 6120 section 5.4 (the client stream header, the server's with its
 * features, starttls and proceed) */
#define XMPP_CLIENT_STREAM                                                               \
	C("<?xml version='1.0'?><stream:stream from='juliet@im.example.com' "            \
	  "to='im.example.com' version='1.0' xml:lang='en' xmlns='jabber:client' "       \
	  "xmlns:stream='http://etherx.jabber.org/streams'>")
#define XMPP_SERVER_STREAM                                                               \
	S("<?xml version='1.0'?><stream:stream from='im.example.com' "                   \
	  "id='t7AMCin9zjMNwQKDnplntZPIDEI=' to='juliet@im.example.com' version='1.0' "  \
	  "xml:lang='en' xmlns='jabber:client' "                                         \
	  "xmlns:stream='http://etherx.jabber.org/streams'>")
#define XMPP_FEATURES                                                                    \
	S("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"          \
	  "<required/></starttls></stream:features>")
#define XMPP_STARTTLS "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"

static const struct scase cases[] = {
    /* SMTP: greeting, EHLO and its reply offering STARTTLS, STARTTLS, 220:
     * the greeting's 220 comes before the command and starts nothing */
    {"smtp",
     ST_SMTP,
     {{SMTP_GREETING},
      {SMTP_EHLO},
      {SMTP_EHLO_REPLY},
      {C_UP("STARTTLS\r\n")},
      {S_UP("220 2.0.0 Ready to start TLS\r\n")}},
     true,
     false,
     NULL},
    /* SMTP commands are case-insensitive: starttls */
    {"smtp_lower_case",
     ST_SMTP,
     {{SMTP_GREETING},
      {SMTP_EHLO},
      {SMTP_EHLO_REPLY},
      {C_UP("starttls\r\n")},
      {S_UP("220 go ahead\r\n")}},
     true,
     false,
     NULL},
    /* SMTP with bare LF line ends */
    {"smtp_lf",
     ST_SMTP,
     {{S("220 mx ESMTP\n")},
      {C("EHLO c\n")},
      {S("250 STARTTLS\n")},
      {C_UP("STARTTLS\n")},
      {S_UP("220 ready\n")}},
     true,
     false,
     NULL},
    /* SMTP pipelining (RFC 2920): RSET and STARTTLS in one segment, the 250
     * for RSET comes first and is not the go-ahead */
    {"smtp_pipelined",
     ST_SMTP,
     {{SMTP_GREETING},
      {SMTP_EHLO},
      {SMTP_EHLO_REPLY},
      {C_UP("RSET\r\nSTARTTLS\r\n")},
      {S_UP("250 2.0.0 Ok\r\n220 2.0.0 Ready to start TLS\r\n")}},
     true,
     false,
     NULL},
    /* SMTP refused with 454: the server never upgrades and the refusal is
     * kept (the client's command still ends its plaintext as far as the
     * feeder knows) */
    {"smtp_refused_454",
     ST_SMTP,
     {{SMTP_GREETING},
      {SMTP_EHLO},
      {SMTP_EHLO_REPLY},
      {C_END("STARTTLS\r\n")},
      {S("454 4.7.0 TLS not available due to temporary reason\r\n")}},
     true,
     true,
     NULL},
    /* SMTP refused with a 5xx */
    {"smtp_refused_502",
     ST_SMTP,
     {{SMTP_GREETING},
      {SMTP_EHLO},
      {C_END("STARTTLS\r\n")},
      {S("502 5.5.1 Command not implemented\r\n")}},
     true,
     true,
     NULL},
    /* SMTP go-ahead in two lines (RFC 5321 4.2.1): "220-" continues the
     * reply, only the last line, "220 ", ends it and starts TLS */
    {"smtp_multiline_go_ahead",
     ST_SMTP,
     {{SMTP_GREETING},
      {SMTP_EHLO},
      {SMTP_EHLO_REPLY},
      {C_UP("STARTTLS\r\n")},
      {S_UP("220-TLS go ahead\r\n220 ready\r\n")}},
     true,
     false,
     NULL},
    /* SMTP go-ahead of three lines, the last of the code alone */
    {"smtp_multiline_code_alone",
     ST_SMTP,
     {{SMTP_GREETING},
      {C_UP("STARTTLS\r\n")},
      {S_UP("220-2.0.0 Ready\r\n220-to start\r\n220\r\n")}},
     true,
     false,
     NULL},
    /* SMTP refusal in two lines: kept as a refusal, nothing upgrades */
    {"smtp_multiline_refused",
     ST_SMTP,
     {{SMTP_GREETING},
      {C_END("STARTTLS\r\n")},
      {S("454-4.7.0 TLS not available\r\n454 4.7.0 try later\r\n")}},
     true,
     true,
     NULL},
    /* SMTP offering STARTTLS to a client that never asks: nothing upgrades */
    {"smtp_never_asked",
     ST_SMTP,
     {{SMTP_GREETING},
      {SMTP_EHLO},
      {SMTP_EHLO_REPLY},
      {C("MAIL FROM:<a@example.org>\r\n")},
      {S("250 2.1.0 Ok\r\n")}},
     false,
     false,
     NULL},

    /* IMAP: a CAPABILITY answered by a tagged OK before STARTTLS (not a
     * go-ahead), then a002 STARTTLS and a002 OK */
    {"imap",
     ST_IMAP,
     {{S("* OK [CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED] IMAP4rev2 ready\r\n")},
      {C("a001 CAPABILITY\r\n")},
      {S("* CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED\r\na001 OK CAPABILITY done\r\n")},
      {C_UP("a002 STARTTLS\r\n")},
      {S_UP("a002 OK Begin TLS negotiation now\r\n")}},
     true,
     false,
     "a002"},
    /* IMAP: after STARTTLS, an untagged OK, another tag's OK and a tag that
     * only starts with the STARTTLS tag are not the go-ahead */
    {"imap_other_tags",
     ST_IMAP,
     {{S("* OK IMAP4rev2 ready\r\n")},
      {C_UP("a1 STARTTLS\r\n")},
      {S("* OK still here\r\na0 OK late answer\r\na10 OK not this one\r\n")},
      {S_UP("a1 OK Begin TLS negotiation now\r\n")}},
     true,
     false,
     "a1"},
    /* IMAP command and status are case-insensitive */
    {"imap_lower_case",
     ST_IMAP,
     {{S("* OK ready\r\n")}, {C_UP("x starttls\r\n")}, {S_UP("x ok begin\r\n")}},
     true,
     false,
     "x"},
    /* IMAP refused with BAD */
    {"imap_refused_bad",
     ST_IMAP,
     {{S("* OK ready\r\n")},
      {C_END("a002 STARTTLS\r\n")},
      {S("a002 BAD STARTTLS not available\r\n")}},
     true,
     true,
     "a002"},
    /* IMAP refused with NO */
    {"imap_refused_no",
     ST_IMAP,
     {{S("* OK ready\r\n")},
      {C_END("t STARTTLS\r\n")},
      {S("t NO TLS is not configured\r\n")}},
     true,
     true,
     "t"},

    /* POP3: greeting +OK and a CAPA listing STLS come before STLS and start
     * nothing; the +OK after STLS does */
    {"pop3",
     ST_POP3,
     {{S("+OK POP3 server ready\r\n")},
      {C("CAPA\r\n")},
      {S("+OK Capability list follows\r\nUSER\r\nSTLS\r\n.\r\n")},
      {C_UP("STLS\r\n")},
      {S_UP("+OK Begin TLS negotiation\r\n")}},
     true,
     false,
     NULL},
    /* POP3 refused with -ERR */
    {"pop3_refused",
     ST_POP3,
     {{S("+OK POP3 server ready\r\n")},
      {C_END("STLS\r\n")},
      {S("-ERR Command not permitted\r\n")}},
     true,
     true,
     NULL},
    /* POP3 without STLS: the greeting's +OK and USER's +OK start nothing */
    {"pop3_never_asked",
     ST_POP3,
     {{S("+OK POP3 server ready\r\n")}, {C("USER alice\r\n")}, {S("+OK\r\n")}},
     false,
     false,
     NULL},

    /* FTP: greeting 220, AUTH TLS, 234 (RFC 4217) */
    {"ftp",
     ST_FTP,
     {{S("220 FTP server ready\r\n")},
      {C_UP("AUTH TLS\r\n")},
      {S_UP("234 AUTH TLS successful\r\n")}},
     true,
     false,
     NULL},
    /* FTP AUTH SSL, lower case */
    {"ftp_auth_ssl",
     ST_FTP,
     {{S("220 FTP server ready\r\n")},
      {C("FEAT\r\n")},
      {S("211-Features:\r\n AUTH TLS\r\n211 End\r\n")},
      {C_UP("auth ssl\r\n")},
      {S_UP("234 Proceed\r\n")}},
     true,
     false,
     NULL},
    /* FTP go-ahead in two lines (RFC 959 4.2): "234-" continues the reply,
     * "234 " ends it */
    {"ftp_multiline_go_ahead",
     ST_FTP,
     {{S("220 FTP server ready\r\n")},
      {C_UP("AUTH TLS\r\n")},
      {S_UP("234-AUTH TLS successful\r\n234 OK\r\n")}},
     true,
     false,
     NULL},
    /* FTP multi-line reply with text lines between its first and last,
     * one of them padded because it starts with digits */
    {"ftp_multiline_text",
     ST_FTP,
     {{S("220 FTP server ready\r\n")},
      {C_UP("AUTH TLS\r\n")},
      {S_UP("234-Security data exchange\r\nproceed with TLS\r\n 234 padded\r\n"
            "234 OK\r\n")}},
     true,
     false,
     NULL},
    /* FTP refused with 534 */
    {"ftp_refused",
     ST_FTP,
     {{S("220 FTP server ready\r\n")},
      {C_END("AUTH TLS\r\n")},
      {S("534 Request denied for policy reasons\r\n")}},
     true,
     true,
     NULL},
    /* FTP without AUTH: USER and its 331 start nothing */
    {"ftp_never_asked",
     ST_FTP,
     {{S("220 FTP server ready\r\n")},
      {C("USER anonymous\r\n")},
      {S("331 Password required\r\n")}},
     false,
     false,
     NULL},

    /* XMPP: stream headers, features offering starttls (whose <starttls is
     * the server's and starts nothing), the client's starttls, proceed */
    {"xmpp",
     ST_XMPP,
     {{XMPP_CLIENT_STREAM},
      {XMPP_SERVER_STREAM},
      {XMPP_FEATURES},
      {C_UP(XMPP_STARTTLS)},
      {S_UP("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")}},
     true,
     false,
     NULL},
    /* XMPP with whitespace between elements and inside the empty element,
     * and the server's stream header and features in one step */
    {"xmpp_whitespace",
     ST_XMPP,
     {{XMPP_CLIENT_STREAM},
      {S("<?xml version='1.0'?>\n<stream:stream xmlns='jabber:server' "
         "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>\n"
         "<stream:features>\n<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>\n"
         "</stream:features>\n")},
      {C_UP("\n  <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls' />")},
      {S_UP("\n<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")}},
     true,
     false,
     NULL},
    /* XMPP: starttls written with an end tag: the client's plaintext ends
     * after </starttls>, not after the start tag */
    {"xmpp_starttls_end_tag",
     ST_XMPP,
     {{XMPP_CLIENT_STREAM},
      {XMPP_SERVER_STREAM},
      {XMPP_FEATURES},
      {C_UP("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'></starttls>")},
      {S_UP("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")}},
     true,
     false,
     NULL},
    /* XMPP: proceed written with an end tag, whitespace before its '>' */
    {"xmpp_proceed_end_tag",
     ST_XMPP,
     {{XMPP_CLIENT_STREAM},
      {XMPP_SERVER_STREAM},
      {XMPP_FEATURES},
      {C_UP(XMPP_STARTTLS)},
      {S_UP("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'></proceed >")}},
     true,
     false,
     NULL},
    /* XMPP: an element whose name only starts with starttls or proceed is
     * neither */
    {"xmpp_longer_names",
     ST_XMPP,
     {{XMPP_CLIENT_STREAM},
      {XMPP_SERVER_STREAM},
      {XMPP_FEATURES},
      {C("<starttls-not xmlns='x'/>")},
      {C_UP(XMPP_STARTTLS)},
      {S("<proceeding xmlns='x'/>")},
      {S_UP("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")}},
     true,
     false,
     NULL},
    /* XMPP refused with failure */
    {"xmpp_refused",
     ST_XMPP,
     {{XMPP_CLIENT_STREAM},
      {XMPP_SERVER_STREAM},
      {XMPP_FEATURES},
      {C_END(XMPP_STARTTLS)},
      {S("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>")}},
     true,
     true,
     NULL},

    /* LDAP: a bind and its response, then the StartTLS ExtendedRequest and
     * a success ExtendedResponse naming the OID */
    {"ldap",
     ST_LDAP,
     {{LDAP_BIND_REQ},
      {LDAP_BIND_RESP},
      {C_UP(LDAP_STARTTLS_REQ)},
      {S_UP(LDAP_STARTTLS_OK)}},
     true,
     false,
     NULL},
    /* LDAP: StartTLS as the first operation, the response without
     * responseName */
    {"ldap_short_response",
     ST_LDAP,
     {{C_UP("\x30\x1d\x02\x01\x01\x77\x18\x80\x16" LDAP_OID)},
      {S_UP("\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00")}},
     true,
     false,
     NULL},
    /* LDAP: a request whose lengths are in long form (0x84: four length
     * bytes) is still one message */
    {"ldap_long_form_request",
     ST_LDAP,
     {{C_UP("\x30\x84\x00\x00\x00\x21\x02\x01\x01\x77\x84\x00\x00\x00\x18\x80"
            "\x16" LDAP_OID)},
      {S_UP("\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00")}},
     true,
     false,
     NULL},
    /* LDAP: a success response whose lengths are in long form */
    {"ldap_long_form_response",
     ST_LDAP,
     {{C_UP(LDAP_STARTTLS_REQ)},
      {S_UP("\x30\x84\x00\x00\x00\x10\x02\x01\x02\x78\x84\x00\x00\x00\x07\x0a"
            "\x01\x00\x04\x00\x04\x00")}},
     true,
     false,
     NULL},
    /* LDAP: messageID 0x78, the tag of an ExtendedResponse, in the request
     * and the response: the response's tag is found where BER puts it, not
     * in the messageID */
    {"ldap_message_id_0x78",
     ST_LDAP,
     {{C_UP("\x30\x1d\x02\x01\x78\x77\x18\x80\x16" LDAP_OID)},
      {S_UP("\x30\x0c\x02\x01\x78\x78\x07\x0a\x01\x00\x04\x00\x04\x00")}},
     true,
     false,
     NULL},
    /* LDAP: a refusal with messageID 0x78 is a refusal */
    {"ldap_message_id_0x78_refused",
     ST_LDAP,
     {{C_END("\x30\x1d\x02\x01\x78\x77\x18\x80\x16" LDAP_OID)},
      {S("\x30\x0c\x02\x01\x78\x78\x07\x0a\x01\x34\x04\x00\x04\x00")}},
     true,
     true,
     NULL},
    /* LDAP: a two-byte messageID (300), and a response with controls after
     * it ([0] of one empty Control) */
    {"ldap_long_message_id_controls",
     ST_LDAP,
     {{C_UP("\x30\x1e\x02\x02\x01\x2c\x77\x18\x80\x16" LDAP_OID)},
      {S_UP("\x30\x11\x02\x02\x01\x2c\x78\x07\x0a\x01\x00\x04\x00\x04\x00"
            "\xa0\x02\x30\x00")}},
     true,
     false,
     NULL},
    /* LDAP: a SearchResultDone (noSuchObject) answering an older search
     * comes before the ExtendedResponse and is neither the go-ahead nor a
     * refusal, though its matchedDN holds 78 00 0a 01 00 */
    {"ldap_other_response_first",
     ST_LDAP,
     {{C_UP(LDAP_STARTTLS_REQ)},
      {S("\x30\x11\x02\x01\x01\x65\x0c\x0a\x01\x20\x04\x05\x78\x00\x0a\x01\x00"
         "\x04\x00")},
      {S_UP(LDAP_STARTTLS_OK)}},
     true,
     false,
     NULL},
    /* LDAP: an ExtendedResponse whose resultCode is not ENUMERATED, or
     * whose length runs past its message, upgrades and refuses nothing */
    {"ldap_malformed_response",
     ST_LDAP,
     {{C_END(LDAP_STARTTLS_REQ)},
      {S("\x30\x0c\x02\x01\x02\x78\x07\x02\x01\x00\x04\x00\x04\x00")},
      {S("\x30\x0c\x02\x01\x02\x78\x08\x0a\x01\x00\x04\x00\x04\x00")}},
     true,
     false,
     NULL},
    /* LDAP: a request for another extended operation (Who am I?, RFC 4532)
     * is not StartTLS */
    {"ldap_other_extended_request",
     ST_LDAP,
     {{C("\x30\x1e\x02\x01\x02\x77\x19\x80\x17"
         "1.3.6.1.4.1.4203.1.11.3")},
      {S("\x30\x0c\x02\x01\x02\x78\x07\x0a\x01\x00\x04\x00\x04\x00")}},
     false,
     false,
     NULL},
    /* LDAP: a SearchRequest whose filter holds the StartTLS OID as a value
     * is not StartTLS (description=1.3.6.1.4.1.1466.20037) */
    {"ldap_oid_in_search",
     ST_LDAP,
     {{C("\x30\x3f\x02\x01\x03\x63\x3a\x04\x00\x0a\x01\x00\x0a\x01\x00\x02\x01"
         "\x00\x02\x01\x00\x01\x01\x00\xa3\x25\x04\x0b"
         "description"
         "\x04\x16" LDAP_OID "\x30\x00")},
      {S("\x30\x0c\x02\x01\x03\x65\x07\x0a\x01\x00\x04\x00\x04\x00")}},
     false,
     false,
     NULL},
    /* LDAP refused: resultCode unavailable (52) */
    {"ldap_refused",
     ST_LDAP,
     {{LDAP_BIND_REQ},
      {LDAP_BIND_RESP},
      {C_END(LDAP_STARTTLS_REQ)},
      {S("\x30\x0c\x02\x01\x02\x78\x07\x0a\x01\x34\x04\x00\x04\x00")}},
     true,
     true,
     NULL},
    /* LDAP: a bind with no StartTLS starts nothing */
    {"ldap_never_asked",
     ST_LDAP,
     {{LDAP_BIND_REQ}, {LDAP_BIND_RESP}},
     false,
     false,
     NULL},

    /* PostgreSQL: SSLRequest, 'S' */
    {"postgresql",
     ST_POSTGRESQL,
     {{C_UP(PG_SSL_REQUEST)}, {S_UP("S")}},
     true,
     false,
     NULL},
    /* PostgreSQL: a GSSENCRequest refused with 'N' is not an SSLRequest; the
     * SSLRequest after it is */
    {"postgresql_after_gssenc",
     ST_POSTGRESQL,
     {{C(PG_GSS_REQUEST)}, {S("N")}, {C_UP(PG_SSL_REQUEST)}, {S_UP("S")}},
     true,
     false,
     NULL},
    /* PostgreSQL refused with 'N': the client goes on with its
     * StartupMessage in the clear */
    {"postgresql_refused",
     ST_POSTGRESQL,
     {{C_END(PG_SSL_REQUEST)}, {S("N")}},
     true,
     true,
     NULL},
    /* preambles: everything up to the hello is plaintext, whatever it
     * says; a stray 22 in it that does not start a hello is passed over */
    {"socks5_preamble",
     ST_SOCKS5,
     {{C(SOCKS5_GREETING)},
      {S(SOCKS5_METHOD)},
      {C_HELLO(SOCKS5_CONNECT)},
      {S_HELLO(SOCKS5_REPLY)}},
     false,
     false,
     NULL},
    {"http_connect_preamble",
     ST_HTTP_CONNECT,
     {{C_HELLO("CONNECT www.example.com:443 HTTP/1.1\r\nHost: www.example.com\r\n\r\n")},
      {S_HELLO("HTTP/1.1 200 Connection established\r\n\r\n")}},
     false,
     false,
     NULL},
    {"rdp_preamble", ST_RDP, {{C_HELLO(RDP_CR)}, {S_HELLO(RDP_CC)}}, false, false, NULL},
    {"mysql_preamble",
     ST_MYSQL,
     {{S(MYSQL_GREETING)}, {C_HELLO(MYSQL_SSL_REQUEST)}, {S_HELLO("")}},
     false,
     false,
     NULL},
    {"unknown_preamble_stray_22",
     ST_UNKNOWN,
     {{C_HELLO("HELLO x\x16\x03\x01\x00\x05\x01\x00\x00\x01\x03\x03 y\r\n")},
      {S_HELLO("READY \x16\x16\x03\r\n")}},
     false,
     false,
     NULL},
};

/* ---- the driver ----------------------------------------------------------------- */

#define BUF 4096

struct dir {
	uint8_t buf[BUF];
	size_t n, consumed, fed;
	bool up;
	size_t up_at;
};

enum mode { WHOLE, BYTEWISE, SPLIT };

/* Offers chunk to the direction's reader as record.c does. */
static bool offer(struct starttls *st, struct dir *d, bool client, const uint8_t *p,
                  size_t n)
{
	d->fed += n;
	if (d->up)
		return true; /* TLS now: the plaintext reader sees no more */
	CHECK(d->n + n <= BUF);
	memcpy(d->buf + d->n, p, n);
	d->n += n;
	bool up = true; /* starttls_feed() must clear it */
	size_t used = starttls_feed(st, client, d->buf, d->n, &up);
	CHECK(used <= d->n);
	memmove(d->buf, d->buf + used, d->n - used);
	d->n -= used;
	d->consumed += used;
	if (up) {
		d->up = true;
		d->up_at = d->consumed;
	}
	return true;
}

static bool run_mode(const struct scase *t, enum mode m, size_t k)
{
	struct starttls st;
	static struct dir dirs[2]; /* [0] client, [1] server */
	size_t want_up[2] = {0, 0}, total[2] = {0, 0};
	bool want[2] = {false, false};
	memset(&st, 0, sizeof(st));
	memset(dirs, 0, sizeof(dirs));
	st.proto = t->proto;
	for (size_t i = 0; i < MAX_STEPS && t->steps[i].plain; i++) {
		const struct step *s = &t->steps[i];
		int di = s->client ? 0 : 1;
		uint8_t bytes[BUF];
		size_t n = s->plain_len + s->tls_len;
		CHECK(n <= sizeof(bytes));
		memcpy(bytes, s->plain, s->plain_len);
		if (s->tls_len)
			memcpy(bytes + s->plain_len, s->tls, s->tls_len);
		if (s->up && !want[di]) {
			want[di] = true;
			want_up[di] = total[di] + s->plain_len;
		}
		total[di] += n;
		switch (m) {
		case WHOLE:
			CHECK(offer(&st, &dirs[di], s->client, bytes, n));
			break;
		case BYTEWISE:
			for (size_t j = 0; j < n; j++)
				CHECK(offer(&st, &dirs[di], s->client, bytes + j, 1));
			break;
		case SPLIT: {
			size_t a = k < n ? k : n;
			CHECK(offer(&st, &dirs[di], s->client, bytes, a));
			if (a < n)
				CHECK(offer(&st, &dirs[di], s->client, bytes + a, n - a));
			break;
		}
		}
	}
	for (int di = 0; di < 2; di++) {
		struct dir *d = &dirs[di];
		CHECK_EQ(d->fed, total[di]);
		CHECK_EQ(d->up, want[di]);
		if (want[di]) {
			/* exactly at the end of the marked step, nothing of the TLS
			 * bytes after it taken */
			CHECK_EQ(d->up_at, want_up[di]);
			CHECK_EQ(d->consumed, want_up[di]);
		}
		/* seen counts what was consumed, per direction */
		CHECK_EQ(st.seen[di], d->consumed);
	}
	CHECK_EQ(st.requested, t->requested);
	CHECK_EQ(st.refused, t->refused);
	CHECK_EQ(st.proto, t->proto);
	if (t->tag)
		CHECK_STR(st.tag, t->tag);
	return true;
}

static bool run(const struct scase *t)
{
	size_t longest = 0;
	for (size_t i = 0; i < MAX_STEPS && t->steps[i].plain; i++)
		if (t->steps[i].plain_len + t->steps[i].tls_len > longest)
			longest = t->steps[i].plain_len + t->steps[i].tls_len;
	if (!run_mode(t, WHOLE, 0)) {
		strncat(check_why, " (each step whole)",
		        sizeof(check_why) - strlen(check_why) - 1);
		return false;
	}
	if (!run_mode(t, BYTEWISE, 0)) {
		strncat(check_why, " (byte by byte)",
		        sizeof(check_why) - strlen(check_why) - 1);
		return false;
	}
	for (size_t k = 1; k < longest; k++)
		if (!run_mode(t, SPLIT, k)) {
			char at[48];
			snprintf(at, sizeof(at), " (each step split at %zu)", k);
			strncat(check_why, at, sizeof(check_why) - strlen(check_why) - 1);
			return false;
		}
	return true;
}

/* ---- ports and names --------------------------------------------------------------- */

/* starttls_for_port(): the ports that upgrade, and some that do not (among
 * them the implicit-TLS ports of the same protocols) */
static bool ports(void)
{
	static const struct {
		uint16_t port;
		enum starttls_proto proto;
	} t[] = {
	    {25, ST_SMTP},    {587, ST_SMTP},  {143, ST_IMAP},
	    {110, ST_POP3},   {21, ST_FTP},    {5222, ST_XMPP},
	    {5269, ST_XMPP},  {389, ST_LDAP},  {5432, ST_POSTGRESQL},
	    {0, ST_NONE},     {22, ST_NONE},   {80, ST_NONE},
	    {443, ST_NONE},   {465, ST_NONE},  {993, ST_NONE},
	    {995, ST_NONE},   {990, ST_NONE},  {636, ST_NONE},
	    {5223, ST_NONE},  {2525, ST_NONE}, {26, ST_NONE},
	    {65535, ST_NONE}, {3389, ST_RDP},  {1080, ST_SOCKS5},
	    {3306, ST_MYSQL}, {6667, ST_IRC},  {8080, ST_HTTP_CONNECT},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (starttls_for_port(t[i].port) != t[i].proto) {
			check_failf(__LINE__, "port %u is %d, expected %d", t[i].port,
			            (int)starttls_for_port(t[i].port), (int)t[i].proto);
			return false;
		}
	}
	return true;
}

/* starttls_name(): CONTRACT.md's starttls values; none for ST_NONE */
static bool names(void)
{
	CHECK_STR(starttls_name(ST_NONE), NULL);
	CHECK_STR(starttls_name(ST_SMTP), "smtp");
	CHECK_STR(starttls_name(ST_IMAP), "imap");
	CHECK_STR(starttls_name(ST_POP3), "pop3");
	CHECK_STR(starttls_name(ST_FTP), "ftp");
	CHECK_STR(starttls_name(ST_XMPP), "xmpp");
	CHECK_STR(starttls_name(ST_LDAP), "ldap");
	CHECK_STR(starttls_name(ST_POSTGRESQL), "postgresql");
	return true;
}

/* starttls_sniff(): a preamble named by its first bytes; other protocols'
 * first bytes, and TLS's, name none */
static bool sniff(void)
{
	static const struct {
		const char *p;
		size_t n;
		enum starttls_proto proto;
	} t[] = {
#define T(s, p) {s, sizeof(s) - 1, p}
	    T(SOCKS5_GREETING, ST_SOCKS5),
	    T(SOCKS5_METHOD, ST_SOCKS5),
	    T("\x04\x01\x01\xbb\xc6\x33\x64\x14user\x00", ST_SOCKS4),
	    T("CONNECT www.example.com:443 HTTP/1.1\r\n", ST_HTTP_CONNECT),
	    T(RDP_CR, ST_RDP),
	    T(RDP_CC, ST_RDP),
	    T(MYSQL_GREETING, ST_MYSQL),
	    T(MYSQL_SSL_REQUEST, ST_MYSQL),
	    T("STARTTLS\r\n", ST_IRC),
	    T("CAP LS 302\r\n", ST_IRC),
	    T(":irc.example.net NOTICE * :*** Looking up your hostname\r\n", ST_IRC),
	    T("GET / HTTP/1.1\r\n", ST_NONE),
	    T("SSH-2.0-OpenSSH_9.2\r\n", ST_NONE),
	    T(REAL_CLIENT_HELLO, ST_NONE),
	    T("\x05", ST_NONE),
	    T("", ST_NONE),
#undef T
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (starttls_sniff((const uint8_t *)t[i].p, t[i].n) != t[i].proto) {
			check_failf(__LINE__, "case %zu is %d, expected %d", i,
			            (int)starttls_sniff((const uint8_t *)t[i].p, t[i].n),
			            (int)t[i].proto);
			return false;
		}
	CHECK_STR(starttls_name(ST_SOCKS5), "socks5");
	CHECK_STR(starttls_name(ST_HTTP_CONNECT), "http-connect");
	CHECK_STR(starttls_name(ST_UNKNOWN), "unknown");
	/* HTTP requests but CONNECT, and SSH, never go on to TLS */
	CHECK(starttls_never((const uint8_t *)"GET / HTTP/1.1\r\n", 16));
	CHECK(starttls_never((const uint8_t *)"SSH-2.0-x\r\n", 11));
	CHECK(!starttls_never((const uint8_t *)"CONNECT a:443 HTTP/1.1\r\n", 24));
	CHECK(!starttls_never((const uint8_t *)REAL_CLIENT_HELLO, 11));
	CHECK(!starttls_never((const uint8_t *)"GE", 2));
	CHECK_EQ(starttls_max(ST_RDP), PREAMBLE_MAX);
	CHECK_EQ(starttls_max(ST_SMTP), STARTTLS_MAX_PLAINTEXT);
	return true;
}

/* ST_NONE: everything is consumed and nothing upgrades */
static bool proto_none(void)
{
	struct starttls st = {.proto = ST_NONE};
	static const char text[] = "STARTTLS\r\n220 go\r\n";
	bool up = true;
	CHECK_EQ(starttls_feed(&st, true, (const uint8_t *)text, sizeof(text) - 1, &up),
	         sizeof(text) - 1);
	CHECK(!up);
	up = true;
	CHECK_EQ(starttls_feed(&st, false, (const uint8_t *)text, sizeof(text) - 1, &up),
	         sizeof(text) - 1);
	CHECK(!up);
	CHECK(!st.requested);
	return true;
}

/* An incomplete line is left for the next call: nothing consumed, nothing
 * counted in seen, however long it grows. */
static bool incomplete_line(void)
{
	static uint8_t line[STARTTLS_MAX_PLAINTEXT + 100];
	struct starttls st = {.proto = ST_SMTP};
	bool up = true;
	memset(line, 'A', sizeof(line));
	memcpy(line, "STARTTLS", 8);
	CHECK_EQ(starttls_feed(&st, true, line, 8, &up), 0);
	CHECK(!up);
	CHECK_EQ(starttls_feed(&st, true, line, sizeof(line), &up), 0);
	CHECK(!up);
	CHECK(!st.requested);
	CHECK_EQ(st.seen[0], 0);
	return true;
}

/* ---- the 64 KiB cap ------------------------------------------------------------------
 *
 * starttls_feed() only counts plaintext in seen[]; the caller gives up on a
 * direction once it has followed more than STARTTLS_MAX_PLAINTEXT bytes of
 * it, or holds more than that unconsumed (dissect/record.c).  cap_run()
 * applies that rule to chatter of n bytes before the command. */

enum cap_result { CAP_UPGRADED, CAP_GAVE_UP, CAP_NEITHER };

static enum cap_result cap_run(enum starttls_proto proto, bool chatter_client,
                               const char *unit, size_t n, const char *cmd,
                               const char *go_ahead, size_t *seen_client,
                               size_t *seen_server)
{
	static uint8_t buf[2][STARTTLS_MAX_PLAINTEXT * 2];
	size_t have[2] = {0, 0};
	struct starttls st;
	bool up_client = false, up_server = false;
	memset(&st, 0, sizeof(st));
	st.proto = proto;
	size_t ul = strlen(unit);
	/* the chatter, one unit at a time, then the command, then the go-ahead */
	for (size_t sent = 0; sent <= n; sent += ul) {
		bool last = sent + ul > n;
		bool client = last ? true : chatter_client;
		const char *p = last ? cmd : unit;
		size_t pl = strlen(p);
		int di = client ? 0 : 1;
		bool up = false;
		if (have[di] + pl > sizeof(buf[di]))
			return CAP_NEITHER;
		memcpy(buf[di] + have[di], p, pl);
		have[di] += pl;
		size_t used = starttls_feed(&st, client, buf[di], have[di], &up);
		memmove(buf[di], buf[di] + used, have[di] - used);
		have[di] -= used;
		if (!up && (st.seen[di] > STARTTLS_MAX_PLAINTEXT ||
		            have[di] > STARTTLS_MAX_PLAINTEXT)) {
			*seen_client = st.seen[0];
			*seen_server = st.seen[1];
			return CAP_GAVE_UP;
		}
		if (up && client)
			up_client = true;
	}
	bool up = false;
	size_t gl = strlen(go_ahead);
	memcpy(buf[1] + have[1], go_ahead, gl);
	have[1] += gl;
	starttls_feed(&st, false, buf[1], have[1], &up);
	up_server = up;
	*seen_client = st.seen[0];
	*seen_server = st.seen[1];
	return up_client && up_server ? CAP_UPGRADED : CAP_NEITHER;
}

/* 10,922 NOOPs (65,532 bytes, under the cap) and STARTTLS still upgrade;
 * one more NOOP (65,538 bytes, over it) and the caller gives up before the
 * command; the server's bytes are counted apart from the client's. */
static bool cap_client_chatter(void)
{
	size_t sc = 0, ss = 0;
	CHECK_EQ(cap_run(ST_SMTP, true, "NOOP\r\n", 10922 * 6, "STARTTLS\r\n",
	                 "220 go\r\n", &sc, &ss),
	         CAP_UPGRADED);
	CHECK_EQ(sc, 10922 * 6 + 10);
	CHECK_EQ(ss, 8);
	CHECK_EQ(cap_run(ST_SMTP, true, "NOOP\r\n", 10923 * 6, "STARTTLS\r\n",
	                 "220 go\r\n", &sc, &ss),
	         CAP_GAVE_UP);
	CHECK_EQ(sc, 10923 * 6);
	CHECK_EQ(ss, 0);
	return true;
}

/* The same on the server's side: 64 KiB of continuation lines before the
 * client asks stop the server's direction, whatever the client does. */
static bool cap_server_chatter(void)
{
	size_t sc = 0, ss = 0;
	/* "250-x\r\n" is 7 bytes: 9,362 lines are 65,534 bytes, 9,363 are
	 * 65,541 */
	CHECK_EQ(cap_run(ST_SMTP, false, "250-x\r\n", 9362 * 7, "STARTTLS\r\n",
	                 "220 go\r\n", &sc, &ss),
	         CAP_UPGRADED);
	CHECK_EQ(ss, 9362 * 7 + 8);
	CHECK_EQ(cap_run(ST_SMTP, false, "250-x\r\n", 9363 * 7, "STARTTLS\r\n",
	                 "220 go\r\n", &sc, &ss),
	         CAP_GAVE_UP);
	CHECK_EQ(ss, 9363 * 7);
	CHECK_EQ(sc, 0);
	return true;
}

/* XMPP: a 64 KiB stream of client elements without <starttls is followed
 * (all but a short tail consumed) until the cap stops it. */
static bool cap_xmpp(void)
{
	size_t sc = 0, ss = 0;
	CHECK_EQ(cap_run(ST_XMPP, true, "<presence/>", 11 * 7000, XMPP_STARTTLS,
	                 "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", &sc, &ss),
	         CAP_GAVE_UP);
	CHECK(sc > STARTTLS_MAX_PLAINTEXT);
	CHECK_EQ(cap_run(ST_XMPP, true, "<presence/>", 11 * 5000, XMPP_STARTTLS,
	                 "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", &sc, &ss),
	         CAP_UPGRADED);
	return true;
}

/* A line longer than the cap is never consumed, so the caller gives up on
 * what it holds. */
static bool cap_long_line(void)
{
	size_t sc = 0, ss = 0;
	CHECK_EQ(cap_run(ST_SMTP, true, "x", STARTTLS_MAX_PLAINTEXT + 10, "\r\n",
	                 "220 go\r\n", &sc, &ss),
	         CAP_GAVE_UP);
	CHECK_EQ(sc, 0);
	return true;
}

static const struct {
	const char *name;
	bool (*fn)(void);
} seqs[] = {
    {"ports", ports},
    {"names", names},
    {"sniff", sniff},
    {"proto_none", proto_none},
    {"incomplete_line", incomplete_line},
    {"cap_client_chatter", cap_client_chatter},
    {"cap_server_chatter", cap_server_chatter},
    {"cap_xmpp", cap_xmpp},
    {"cap_long_line", cap_long_line},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(cases[i].name, run(&cases[i]));
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		check_case(seqs[i].name, seqs[i].fn());
	return check_summary();
}
