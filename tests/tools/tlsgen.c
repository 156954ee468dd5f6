/* tlsgen.c: real TLS handshakes between two OpenSSL endpoints in memory,
 * written out as pcap frames, with what OpenSSL itself says happened.
 *
 * The client and the server are ordinary OpenSSL SSL objects joined by
 * memory BIOs.  Every burst one side writes is kept; the bursts are then
 * framed as a TCP connection (SYN, data segments, ACKs, FIN or RST) under a
 * chosen link layer, once per --variant, so one handshake can be written
 * clean, reordered, one-sided, over IPv6 and so on.  Beside each capture an
 * .expect.json records the truth from OpenSSL's side: the certificates each
 * endpoint was configured to send (and did send a Certificate message), the
 * alerts each wrote in the clear, the negotiated version and cipher, plus
 * the outcome and diagnoses the scenario's author expects.
 *
 * usage: tlsgen [options] --variant 'FILE.pcap;key=value;...' [--variant ...]
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CHUNKS 256
#define MAX_ALERTS 16

struct chunk {
	int dir; /* 0 client -> server, 1 server -> client */
	uint8_t *data;
	size_t len;
	bool certificate; /* holds this side's Certificate message */
};

struct alert {
	int from;
	int level, code;
	bool plaintext;
	bool shutdown; /* the close_notify of SSL_shutdown, after the data */
};

struct side {
	SSL *ssl;
	BIO *rbio, *wbio;
	bool done, failed, sent_cert, ccs;
	bool cert_protected; /* its Certificate was sent after its ChangeCipherSpec */
	int record_type;     /* outer content type of the last record header written */
};

struct transcript {
	struct chunk chunks[MAX_CHUNKS];
	int n;
	struct alert alerts[MAX_ALERTS];
	int n_alerts;
	int closer; /* side that closes first */
	int first_failed;
	bool failed;
	bool tls13;
};

static struct transcript tr;
static struct side sides[2];
static bool shutting_down;
static char keylog_text[8192];

static void on_keylog(const SSL *ssl, const char *line)
{
	(void)ssl;
	/* both ends log the same secrets: keep the client's */
	if (SSL_is_server(ssl))
		return;
	strncat(keylog_text, line, sizeof(keylog_text) - strlen(keylog_text) - 2);
	strcat(keylog_text, "\n");
}

/* Whether the client's key log opens what side s protected in TLS 1.3: its
 * handshake traffic secret is there (a client that refuses the server's
 * certificate never switches its own write keys, and logs only the
 * server's). */
static bool keylog_opens(int s)
{
	return strstr(keylog_text, s ? "SERVER_HANDSHAKE_TRAFFIC_SECRET "
	                             : "CLIENT_HANDSHAKE_TRAFFIC_SECRET ") != NULL;
}

static void die(const char *what)
{
	fprintf(stderr, "tlsgen: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static int side_of(const SSL *ssl)
{
	return ssl == sides[0].ssl ? 0 : 1;
}

/* What each side writes, as OpenSSL reports it before encryption. */
static void on_msg(int write_p, int version, int content_type, const void *buf,
                   size_t len, SSL *ssl, void *arg)
{
	(void)version;
	(void)arg;
	int s = side_of(ssl);
	const uint8_t *p = buf;
	if (!write_p)
		return;
	/* OpenSSL reports a record's header as it writes it, before the
	 * message the record carries */
	if (content_type == SSL3_RT_HEADER && len == SSL3_RT_HEADER_LENGTH)
		sides[s].record_type = p[0];
	if (content_type == SSL3_RT_CHANGE_CIPHER_SPEC)
		sides[s].ccs = true;
	if (content_type == SSL3_RT_HANDSHAKE && len > 0 && p[0] == SSL3_MT_CERTIFICATE) {
		/* a renegotiation's Certificate is protected (TLS 1.2) */
		if (!sides[s].sent_cert)
			sides[s].cert_protected = sides[s].ccs;
		sides[s].sent_cert = true;
	}
	if (content_type == SSL3_RT_ALERT && len == 2 && tr.n_alerts < MAX_ALERTS) {
		/* the version is settled by the time an alert is written.  TLS 1.3
		 * protects a record once the sender has switched its write keys
		 * and then gives it the outer type application_data: a client that
		 * refuses the server's certificate has not (its alert is in the
		 * clear, after the encrypted server flight).  TLS 1.2 and before
		 * protect everything after the sender's ChangeCipherSpec and keep
		 * the alert type. */
		bool tls13 = SSL_version(ssl) == TLS1_3_VERSION;
		struct alert *a = &tr.alerts[tr.n_alerts++];
		a->from = s;
		a->level = p[0];
		a->code = p[1];
		a->plaintext =
		    tls13 ? sides[s].record_type == SSL3_RT_ALERT : !sides[s].ccs;
		a->shutdown = shutting_down;
	}
}

/* --break-server-cert: the server's leaf is damaged on its way, so the
 * client receives (and the capture holds) a certificate that is not valid
 * DER: its tbsCertificate's SEQUENCE tag becomes a SET's, every length as
 * sent.  broken_sha256 is the fingerprint of what was sent. */
static bool break_cert;
static char broken_sha256[65];

static void damage_leaf(uint8_t *buf, size_t n)
{
	uint8_t *der = NULL;
	int len = i2d_X509(SSL_get_certificate(sides[1].ssl), &der);
	for (size_t i = 0; len > 8 && i + (size_t)len <= n; i++) {
		if (memcmp(buf + i, der, (size_t)len) != 0)
			continue;
		buf[i + 4] = 0x31; /* 30 82 LL LL | 30 82 ...: the inner SEQUENCE */
		unsigned char md[32];
		unsigned int mdlen = 0;
		EVP_Digest(buf + i, (size_t)len, md, &mdlen, EVP_sha256(), NULL);
		for (unsigned k = 0; k < mdlen; k++)
			snprintf(broken_sha256 + 2 * k, 3, "%02x", md[k]);
		break_cert = false; /* once */
		break;
	}
	OPENSSL_free(der);
}

static void move(int from)
{
	struct side *src = &sides[from], *dst = &sides[!from];
	uint8_t buf[1 << 16];
	int n;
	while ((n = BIO_read(src->wbio, buf, sizeof(buf))) > 0) {
		if (from == 1 && break_cert)
			damage_leaf(buf, (size_t)n);
		if (tr.n == MAX_CHUNKS)
			die("too many chunks");
		struct chunk *c = &tr.chunks[tr.n++];
		c->dir = from;
		c->data = malloc((size_t)n);
		memcpy(c->data, buf, (size_t)n);
		c->len = (size_t)n;
		if (src->sent_cert && !c->certificate) {
			/* the first chunk after the Certificate message was written holds
			 * it */
			bool earlier = false;
			for (int i = 0; i < tr.n - 1; i++)
				earlier = earlier || (tr.chunks[i].dir == from &&
				                      tr.chunks[i].certificate);
			c->certificate = !earlier;
		}
		BIO_write(dst->rbio, buf, n);
	}
}

static void step(int s)
{
	struct side *x = &sides[s];
	if (x->done || x->failed)
		return;
	int rc = SSL_do_handshake(x->ssl);
	if (rc == 1) {
		x->done = true;
		return;
	}
	int e = SSL_get_error(x->ssl, rc);
	if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
		x->failed = true;
		if (tr.first_failed < 0)
			tr.first_failed = s;
	}
}

/* ---- the plaintext before STARTTLS --------------------------------------- */

static void plain(int dir, const void *p, size_t n)
{
	struct chunk *c = &tr.chunks[tr.n++];
	c->dir = dir;
	c->data = malloc(n);
	memcpy(c->data, p, n);
	c->len = n;
}

#define PLAIN(dir, s) plain(dir, s, sizeof(s) - 1)

/* MySQL's greeting (Protocol::HandshakeV10) and the client's SSLRequest
 * (Protocol::SSLRequest, CLIENT_SSL set), each with its packet header:
 * length(3, little-endian) sequence(1). */
static void mysql_preamble(void)
{
	static const uint8_t greeting_body[] = {
	    10,   '8',  '.',  '0',  '.',  '3',  '6',  0,      /* protocol 10, version */
	    0x2a, 0,    0,    0,                              /* connection id */
	    'a',  'b',  'c',  'd',  'e',  'f',  'g',  'h', 0, /* auth data 1, filler */
	    0xff, 0xff, 0xff, 0x02, 0x00, 0xff, 0xdf, /* caps, charset, status, caps */
	    21,   0,    0,    0,    0,    0,    0,    0,   0,   0,   0, /* auth data
	                                                                   length,
	                                                                   reserved */
	    'i',  'j',  'k',  'l',  'm',  'n',  'o',  'p', 'q', 'r', 's', 't',
	    0,    'm',  'y',  's',  'q',  'l',  '_',  'n', 'a', 't', 'i', 'v',
	    'e',  '_',  'p',  'a',  's',  's',  'w',  'o', 'r', 'd', 0};
	uint8_t pkt[4 + sizeof(greeting_body)];
	pkt[0] = sizeof(greeting_body);
	pkt[1] = pkt[2] = pkt[3] = 0;
	memcpy(pkt + 4, greeting_body, sizeof(greeting_body));
	plain(1, pkt, sizeof(pkt));
	uint8_t req[4 + 32] = {32, 0, 0, 1, 0x05, 0xae, 0xff, 0x01, 0, 0, 0, 1, 0xff};
	plain(0, req, sizeof(req));
}

/* Preambles of other protocols before the ClientHello: a proxy's
 * negotiation (SOCKS 5, RFC 1928; HTTP CONNECT, RFC 9110 9.3.6), RDP's
 * X.224 negotiation of PROTOCOL_SSL (MS-RDPBCGR 2.2.1.1-2), MySQL's
 * SSLRequest, and one of a protocol nobody knows. */
static bool preamble(const char *proto)
{
	if (!strcmp(proto, "socks5")) {
		/* the greeting (no authentication), then CONNECT by name */
		static const uint8_t req[] = {5,   1,   0,   0x03, 15,   'w', 'w', 'w',
		                              '.', 'e', 'x', 'a',  'm',  'p', 'l', 'e',
		                              '.', 'c', 'o', 'm',  0x01, 0xbb};
		static const uint8_t rep[] = {5, 0, 0, 1, 198, 51, 100, 20, 0x01, 0xbb};
		plain(0, "\x05\x01\x00", 3);
		plain(1, "\x05\x00", 2);
		plain(0, req, sizeof(req));
		plain(1, rep, sizeof(rep));
	} else if (!strcmp(proto, "http-connect")) {
		PLAIN(0, "CONNECT www.example.com:443 HTTP/1.1\r\nHost: "
		         "www.example.com:443\r\n"
		         "User-Agent: Jabber/14.2\r\n\r\n");
		PLAIN(1, "HTTP/1.1 200 Connection established\r\n\r\n");
	} else if (!strcmp(proto, "rdp")) {
		static const uint8_t cr[] = {3, 0, 0, 19, 14, 0xe0, 0, 0, 0, 0,
		                             0, 1, 0, 8,  0,  1,    0, 0, 0};
		static const uint8_t cc[] = {3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34,
		                             0, 2, 0, 8,  0,  1,    0, 0, 0};
		plain(0, cr, sizeof(cr));
		plain(1, cc, sizeof(cc));
	} else if (!strcmp(proto, "mysql")) {
		mysql_preamble();
	} else if (!strcmp(proto, "unknown")) {
		PLAIN(0, "HELLO relay/2 tunnel=7 mode=tls\r\n");
		PLAIN(1, "READY 7\r\n");
	} else {
		return false;
	}
	return true;
}

/* What a client and a server say before TLS starts, as each protocol's RFC
 * shows it. */
static void starttls_preamble(const char *proto)
{
	if (!strcmp(proto, "smtp")) {
		PLAIN(1, "220 mail.example.com ESMTP ready\r\n");
		PLAIN(0, "EHLO client.example.com\r\n");
		PLAIN(1, "250-mail.example.com\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
		PLAIN(0, "STARTTLS\r\n");
		PLAIN(1, "220 2.0.0 Ready to start TLS\r\n");
	} else if (!strcmp(proto, "imap")) {
		PLAIN(1, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
		PLAIN(0, "a1 STARTTLS\r\n");
		PLAIN(1, "a1 OK Begin TLS negotiation now\r\n");
	} else if (!strcmp(proto, "pop3")) {
		PLAIN(1, "+OK POP3 ready\r\n");
		PLAIN(0, "STLS\r\n");
		PLAIN(1, "+OK Begin TLS negotiation\r\n");
	} else if (!strcmp(proto, "ftp")) {
		PLAIN(1, "220 FTP ready\r\n");
		PLAIN(0, "AUTH TLS\r\n");
		PLAIN(1, "234 AUTH TLS successful\r\n");
	} else if (!strcmp(proto, "xmpp")) {
		PLAIN(0,
		      "<?xml version='1.0'?><stream:stream to='example.com' "
		      "xmlns='jabber:client' "
		      "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
		PLAIN(1,
		      "<?xml version='1.0'?><stream:stream from='example.com' id='c2s-1' "
		      "xmlns='jabber:client' "
		      "xmlns:stream='http://etherx.jabber.org/streams' "
		      "version='1.0'><stream:features><starttls "
		      "xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
		      "<required/></starttls></stream:features>");
		PLAIN(0, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
		PLAIN(1, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
	} else if (!strcmp(proto, "ldap")) {
		/* ExtendedRequest 1.3.6.1.4.1.1466.20037, ExtendedResponse success */
		static const uint8_t req[] = {
		    0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16, '1', '.',
		    '3',  '.',  '6',  '.',  '1',  '.',  '4',  '.',  '1',  '.', '1',
		    '4',  '6',  '6',  '.',  '2',  '0',  '0',  '3',  '7'};
		static const uint8_t resp[] = {0x30, 0x0c, 0x02, 0x01, 0x01, 0x78, 0x07,
		                               0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00};
		plain(0, req, sizeof(req));
		plain(1, resp, sizeof(resp));
	} else if (!strcmp(proto, "postgresql")) {
		static const uint8_t req[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};
		plain(0, req, sizeof(req));
		PLAIN(1, "S");
	} else if (!preamble(proto)) {
		die("unknown --starttls protocol");
	}
}

/* ---- TLS 1.3 drafts ------------------------------------------------------- */

static int draft; /* --tls13-draft: the draft number the hellos are given */

/* The first pattern of n bytes in the chunk, or NULL. */
static uint8_t *find_in(struct chunk *c, const uint8_t *pat, size_t n)
{
	for (size_t i = 0; i + n <= c->len; i++)
		if (!memcmp(c->data + i, pat, n))
			return c->data + i;
	return NULL;
}

/* A TLS 1.3 handshake as a stack of draft N writes it (draft-ietf-tls-tls13
 * 22 and after: the draft version 0x7f00 + N in supported_versions, the
 * legacy fields as in RFC 8446): OpenSSL no longer speaks a draft, so its
 * hellos are rewritten in place, the client offering 0x7f00 + N where it
 * offered 0x0304 and the server selecting it.  Every record after them is
 * as OpenSSL protected it. */
static void make_draft(void)
{
	bool done[2] = {false, false};
	for (int i = 0; i < tr.n; i++) {
		struct chunk *c = &tr.chunks[i];
		if (done[c->dir])
			continue;
		uint8_t *p;
		if (c->dir == 1) {
			static const uint8_t sv[] = {0x00, 0x2b, 0x00, 0x02, 0x03, 0x04};
			p = find_in(c, sv, sizeof(sv));
			if (p)
				p += 4;
		} else {
			/* supported_versions: type, length, list length, the list */
			static const uint8_t type[] = {0x00, 0x2b, 0x00};
			p = find_in(c, type, sizeof(type));
			for (size_t k = 5; p && k + 1 < (size_t)p[3] + 4; k += 2)
				if (p[k] == 3 && p[k + 1] == 4) {
					p += k;
					break;
				}
		}
		if (!p)
			die("--tls13-draft: no supported_versions to rewrite");
		p[0] = 0x7f;
		p[1] = (uint8_t)draft;
		done[c->dir] = true;
	}
}

/* ---- SSL 2.0 -------------------------------------------------------------- */

static bool sslv2; /* --sslv2: the exchange is framed as SSL 2.0 */

/* An SSL 2.0 record: the two-byte header (top bit set, the length), then
 * the message. */
static void sslv2_record(int dir, const uint8_t *msg, size_t n)
{
	uint8_t rec[4096];
	if (n + 2 > sizeof(rec))
		die("SSL 2.0 record too long");
	rec[0] = (uint8_t)(0x80 | n >> 8);
	rec[1] = (uint8_t)n;
	memcpy(rec + 2, msg, n);
	plain(dir, rec, n + 2);
}

/* No stack in Debian still speaks SSL 2.0, so the exchange is framed here
 * as its specification lays it out (the SSL 2.0 draft, appendix B): the
 * client's CLIENT-HELLO, the server's SERVER-HELLO with its certificate
 * (the leaf OpenSSL was configured with, as DER), and the client's
 * CLIENT-MASTER-KEY, whose encrypted key is the master key encrypted to
 * the server's RSA key.  What follows in SSL 2.0 is encrypted; the
 * connection is closed there. */
static void make_sslv2(void)
{
	static const uint8_t specs[] = {0x07, 0x00, 0xc0, 0x01, 0x00, 0x80};
	uint8_t m[2048], *der = NULL;
	size_t n = 0;
	tr.n = tr.n_alerts = 0;
	/* CLIENT-HELLO: msg 1, version 2, specs, no session id, a challenge */
	m[n++] = 1;
	m[n++] = 0, m[n++] = 2;
	m[n++] = 0, m[n++] = sizeof(specs);
	m[n++] = 0, m[n++] = 0;
	m[n++] = 0, m[n++] = 16;
	memcpy(m + n, specs, sizeof(specs));
	n += sizeof(specs);
	RAND_bytes(m + n, 16);
	sslv2_record(0, m, n + 16);
	/* SERVER-HELLO: msg 4, no session hit, X.509, version 2, certificate,
	 * the specs, a connection id */
	int len = i2d_X509(SSL_get_certificate(sides[1].ssl), &der);
	if (len <= 0 || (size_t)len + 64 > sizeof(m))
		die("the server certificate for SSL 2.0");
	n = 0;
	m[n++] = 4, m[n++] = 0, m[n++] = 1;
	m[n++] = 0, m[n++] = 2;
	m[n++] = (uint8_t)(len >> 8), m[n++] = (uint8_t)len;
	m[n++] = 0, m[n++] = sizeof(specs);
	m[n++] = 0, m[n++] = 16;
	memcpy(m + n, der, (size_t)len);
	n += (size_t)len;
	memcpy(m + n, specs, sizeof(specs));
	n += sizeof(specs);
	RAND_bytes(m + n, 16);
	sslv2_record(1, m, n + 16);
	/* CLIENT-MASTER-KEY: msg 2, the cipher kind, no clear key, the master
	 * key encrypted to the server's key, an 8-byte key argument */
	EVP_PKEY *pub = X509_get0_pubkey(SSL_get_certificate(sides[1].ssl));
	EVP_PKEY_CTX *pc = pub ? EVP_PKEY_CTX_new(pub, NULL) : NULL;
	uint8_t key[24], enc[512];
	size_t enc_len = sizeof(enc);
	RAND_bytes(key, sizeof(key));
	if (!pc || EVP_PKEY_encrypt_init(pc) <= 0 ||
	    EVP_PKEY_encrypt(pc, enc, &enc_len, key, sizeof(key)) <= 0)
		die("the SSL 2.0 master key");
	EVP_PKEY_CTX_free(pc);
	n = 0;
	m[n++] = 2;
	memcpy(m + n, specs, 3);
	n += 3;
	m[n++] = 0, m[n++] = 0;
	m[n++] = (uint8_t)(enc_len >> 8), m[n++] = (uint8_t)enc_len;
	m[n++] = 0, m[n++] = 8;
	memcpy(m + n, enc, enc_len);
	n += enc_len;
	RAND_bytes(m + n, 8);
	sslv2_record(0, m, n + 8);
	OPENSSL_free(der);
	tr.closer = 0;
}

/* ---- options ------------------------------------------------------------ */

struct opts {
	const char *server_cert, *server_key, *client_cert, *client_key;
	const char *client_ca, *server_ca, *ca_names;
	bool request, require;
	const char *tls_max;
	const char *sni;
	time_t when;
	int port, client_port;
	const char *client_ip, *server_ip, *client_ip6, *server_ip6;
	const char *silent_close; /* "client" or "server": the refusing side closes
	                             without alert */
	bool rst;
	bool verify_hostname;
	const char *ciphersuites; /* TLS 1.3 suites */
	const char *starttls;
	const char *server_groups; /* the server's groups: one the client sends
	                              no key share for makes a HelloRetryRequest */
	const char *cipher_list;   /* TLS 1.2 suites, in OpenSSL's notation */
	bool renegotiate;          /* the server asks for a client certificate in a
	                              renegotiation (TLS 1.2) */
	bool both_close;           /* the server answers the close_notify with its own */
};

static SSL_CTX *make_ctx(const struct opts *o, bool server)
{
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	if (!ctx)
		die("SSL_CTX_new");
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
	if (o->tls_max)
		SSL_CTX_set_max_proto_version(
		    ctx, strcmp(o->tls_max, "1.3") == 0   ? TLS1_3_VERSION
		         : strcmp(o->tls_max, "1.1") == 0 ? TLS1_1_VERSION
		                                          : TLS1_2_VERSION);
	/* send exactly the chain in the file, never one built from the store */
	SSL_CTX_set_mode(ctx, SSL_MODE_NO_AUTO_CHAIN);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_msg_callback(ctx, on_msg);
	SSL_CTX_set_keylog_callback(ctx, on_keylog);
	if (o->ciphersuites && SSL_CTX_set_ciphersuites(ctx, o->ciphersuites) != 1)
		die(o->ciphersuites);
	if (o->cipher_list && SSL_CTX_set_cipher_list(ctx, o->cipher_list) != 1)
		die(o->cipher_list);
	if (server && o->server_groups &&
	    SSL_CTX_set1_groups_list(ctx, o->server_groups) != 1)
		die(o->server_groups);
	const char *cert = server ? o->server_cert : o->client_cert;
	const char *key = server ? o->server_key : o->client_key;
	if (cert && (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	             SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1))
		die(cert);
	const char *ca = server ? o->server_ca : o->client_ca;
	X509_VERIFY_PARAM *vp = SSL_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(vp, o->when);
	if (ca && SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
		die(ca);
	if (server) {
		if (o->request)
			SSL_CTX_set_verify(
			    ctx,
			    SSL_VERIFY_PEER |
			        (o->require ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
			    NULL);
		if (o->ca_names) {
			STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(o->ca_names);
			if (!names)
				die(o->ca_names);
			SSL_CTX_set_client_CA_list(ctx, names);
		}
	} else if (ca) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	return ctx;
}

/* A request and its answer, as application data. */
static void exchange(void)
{
	const char msg[] = "OPTIONS sip:traversal SIP/2.0\r\n\r\n";
	char buf[256];
	SSL_write(sides[0].ssl, msg, sizeof(msg) - 1);
	move(0);
	SSL_read(sides[1].ssl, buf, sizeof(buf));
	SSL_write(sides[1].ssl, "SIP/2.0 200 OK\r\n\r\n", 18);
	move(1);
	SSL_read(sides[0].ssl, buf, sizeof(buf));
}

/* TLS 1.2: the server asks for the client's certificate in a
 * renegotiation (as IIS and older Java servers do for a protected path):
 * its HelloRequest, the client's new ClientHello, the whole handshake
 * under the first one's keys.  False when a side refused. */
static bool renegotiate(const struct opts *o)
{
	SSL *srv = sides[1].ssl, *cli = sides[0].ssl;
	char buf[64];
	SSL_set_verify(
	    srv, SSL_VERIFY_PEER | (o->require ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
	    NULL);
	if (SSL_renegotiate(srv) != 1 || SSL_do_handshake(srv) != 1)
		die("SSL_renegotiate");
	move(1);
	for (int round = 0; round < 16 && SSL_renegotiate_pending(srv); round++) {
		/* each reads what the other wrote and answers */
		int rc = SSL_read(cli, buf, sizeof(buf));
		move(0);
		int e = rc > 0 ? SSL_ERROR_NONE : SSL_get_error(cli, rc);
		if (e != SSL_ERROR_NONE && e != SSL_ERROR_WANT_READ &&
		    e != SSL_ERROR_WANT_WRITE)
			return false;
		rc = SSL_read(srv, buf, sizeof(buf));
		move(1);
		e = rc > 0 ? SSL_ERROR_NONE : SSL_get_error(srv, rc);
		if (e != SSL_ERROR_NONE && e != SSL_ERROR_WANT_READ &&
		    e != SSL_ERROR_WANT_WRITE) {
			/* the client reads the server's alert */
			SSL_read(cli, buf, sizeof(buf));
			move(0);
			return false;
		}
	}
	return !SSL_renegotiate_pending(srv);
}

static void run_handshake(const struct opts *o)
{
	SSL_CTX *cctx = make_ctx(o, false), *sctx = make_ctx(o, true);
	for (int s = 0; s < 2; s++) {
		struct side *x = &sides[s];
		x->ssl = SSL_new(s ? sctx : cctx);
		x->rbio = BIO_new(BIO_s_mem());
		x->wbio = BIO_new(BIO_s_mem());
		SSL_set_bio(x->ssl, x->rbio, x->wbio);
	}
	SSL_set_connect_state(sides[0].ssl);
	SSL_set_accept_state(sides[1].ssl);
	if (o->sni)
		SSL_set_tlsext_host_name(sides[0].ssl, o->sni);
	if (o->sni && o->verify_hostname)
		SSL_set1_host(sides[0].ssl, o->sni);
	int silent =
	    o->silent_close ? (strcmp(o->silent_close, "client") == 0 ? 0 : 1) : -1;
	for (int round = 0; round < 32; round++) {
		for (int s = 0; s < 2; s++) {
			step(s);
			if (sides[s].failed && s == silent) {
				/* a stack that refuses without a word: drop the alert,
				 * close */
				(void)BIO_reset(sides[s].wbio);
				tr.n_alerts = 0;
			}
			move(s);
		}
		if ((sides[0].done && sides[1].done) || sides[0].failed ||
		    sides[1].failed)
			break;
	}
	/* let the peer read the last flight (and any alert) */
	for (int s = 0; s < 2; s++)
		if (!sides[s].failed)
			step(s);
	for (int s = 0; s < 2; s++)
		move(s);
	tr.failed = !(sides[0].done && sides[1].done);
	tr.tls13 = SSL_version(sides[1].ssl) == TLS1_3_VERSION;
	if (!tr.failed) {
		exchange();
		if (o->renegotiate && !renegotiate(o)) {
			tr.failed = true;
			tr.closer = 1;
			return;
		}
		if (o->renegotiate)
			exchange();
		shutting_down = true;
		SSL_shutdown(sides[0].ssl);
		move(0);
		tr.closer = 0;
		if (o->both_close) {
			/* the server reads the close_notify and answers with its own */
			char buf[64];
			SSL_read(sides[1].ssl, buf, sizeof(buf));
			SSL_shutdown(sides[1].ssl);
			move(1);
		}
	} else {
		tr.closer = tr.first_failed >= 0 ? tr.first_failed : 0;
	}
}

/* ---- framing ------------------------------------------------------------ */

struct variant {
	const char *file;
	const char *link; /* eth vlan qinq sll sll2 raw null */
	bool ipv6;
	size_t mss;
	bool mangle; /* reorder, retransmit, overlap and duplicate segments */
	int drop; /* drop this data segment of the server's certificate chunk (1-based) */
	int one_sided; /* -1 both, else the only direction kept */
	bool no_syn;
	const char *outcome;
	const char *diags;   /* '+' separated */
	const char *args;    /* '+' separated extra certscope arguments */
	const char *same_as; /* another capture that must give the same NDJSON */
	int exit_code;
	const char *note;
	const char *expect; /* name of the expectation file, when not the capture's */
	bool keylog;        /* write FILE.keylog: the handshake can be read */
};

struct pkt {
	uint8_t buf[70000];
	size_t len;
};

static FILE *out;
static int dlt;
static struct timeval now;

static void write_pcap_header(FILE *f, int linktype)
{
	uint32_t h[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 262144, (uint32_t)linktype};
	fwrite(h, sizeof(h), 1, f);
}

static void emit(const uint8_t *p, size_t n)
{
	uint32_t h[4] = {(uint32_t)now.tv_sec, (uint32_t)now.tv_usec, (uint32_t)n,
	                 (uint32_t)n};
	fwrite(h, sizeof(h), 1, out);
	fwrite(p, n, 1, out);
}

static uint16_t csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

struct conn {
	uint8_t ip[2][16];
	uint16_t port[2];
	uint32_t seq[2];
	bool v6;
	const struct variant *v;
};

static void frame(const struct conn *c, int dir, uint32_t seq, uint32_t ack,
                  uint8_t flags, const uint8_t *data, size_t n)
{
	static struct pkt pk;
	const struct variant *v = c->v;
	if (v->one_sided >= 0 && dir != v->one_sided)
		return;
	uint8_t *p = pk.buf;
	size_t l2 = 0;
	uint16_t ethertype = c->v6 ? 0x86dd : 0x0800;
	static const uint8_t mac[2][6] = {{0x02, 0, 0, 0, 0, 1}, {0x02, 0, 0, 0, 0, 2}};
	if (!strcmp(v->link, "eth") || !strcmp(v->link, "vlan") ||
	    !strcmp(v->link, "qinq")) {
		memcpy(p, mac[!dir], 6);
		memcpy(p + 6, mac[dir], 6);
		l2 = 12;
		if (!strcmp(v->link, "qinq")) {
			put16(p + l2, 0x88a8);
			put16(p + l2 + 2, 100);
			l2 += 4;
		}
		if (strcmp(v->link, "eth")) {
			put16(p + l2, 0x8100);
			put16(p + l2 + 2, 42);
			l2 += 4;
		}
		put16(p + l2, ethertype);
		l2 += 2;
	} else if (!strcmp(v->link, "sll")) {
		memset(p, 0, 16);
		put16(p, dir ? 0 : 4); /* to us / outgoing */
		put16(p + 2, 1);
		put16(p + 4, 6);
		memcpy(p + 6, mac[dir], 6);
		put16(p + 14, ethertype);
		l2 = 16;
	} else if (!strcmp(v->link, "sll2")) {
		memset(p, 0, 20);
		put16(p, ethertype);
		put32(p + 4, 2);
		put16(p + 8, 1);
		p[10] = dir ? 0 : 4;
		p[11] = 6;
		memcpy(p + 12, mac[dir], 6);
		l2 = 20;
	} else if (!strcmp(v->link, "null")) {
		uint32_t fam = c->v6 ? 30 : 2;
		memcpy(p, &fam, 4); /* host order, as BSD writes it */
		l2 = 4;
	}
	uint8_t *ip = p + l2;
	size_t iphl = c->v6 ? 40 : 20;
	uint8_t *tcp = ip + iphl;
	memset(tcp, 0, 20);
	put16(tcp, c->port[dir]);
	put16(tcp + 2, c->port[!dir]);
	put32(tcp + 4, seq);
	put32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 65535);
	memcpy(tcp + 20, data, n);
	size_t tcplen = 20 + n;
	uint32_t pseudo = 0;
	if (c->v6) {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)tcplen);
		ip[6] = 6;
		ip[7] = 64;
		memcpy(ip + 8, c->ip[dir], 16);
		memcpy(ip + 24, c->ip[!dir], 16);
		for (int i = 0; i < 32; i += 2)
			pseudo += (uint32_t)(ip[8 + i] << 8 | ip[9 + i]);
	} else {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + tcplen));
		ip[6] = 0x40;
		ip[8] = 64;
		ip[9] = 6;
		memcpy(ip + 12, c->ip[dir], 4);
		memcpy(ip + 16, c->ip[!dir], 4);
		put16(ip + 10, csum(ip, 20, 0));
		for (int i = 0; i < 8; i += 2)
			pseudo += (uint32_t)(ip[12 + i] << 8 | ip[13 + i]);
	}
	pseudo += 6 + (uint32_t)tcplen;
	put16(tcp + 16, csum(tcp, tcplen, pseudo));
	emit(p, l2 + iphl + tcplen);
}

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

static void tick(long usec)
{
	now.tv_usec += usec;
	while (now.tv_usec >= 1000000) {
		now.tv_usec -= 1000000;
		now.tv_sec++;
	}
}

/* One chunk as segments.  Every packet of a chunk carries the chunk's time,
 * so a mangled variant has the same timestamps as the clean one. */
static void send_chunk(struct conn *c, const struct chunk *ch, bool is_cert_chunk)
{
	const struct variant *v = c->v;
	int dir = ch->dir;
	size_t nseg = (ch->len + v->mss - 1) / v->mss;
	uint32_t base = c->seq[dir];
	uint32_t ack = c->seq[!dir];
	int order[1024];
	int n = 0;
	for (size_t i = 0; i < nseg && n < 1000; i++)
		order[n++] = (int)i;
	if (v->mangle && n >= 3) {
		/* second before first, last before the middle ones */
		int t = order[0];
		order[0] = order[1];
		order[1] = t;
		t = order[n - 1];
		for (int i = n - 1; i > 2; i--)
			order[i] = order[i - 1];
		order[2] = t;
	}
	for (int k = 0; k < n; k++) {
		size_t i = (size_t)order[k];
		if (is_cert_chunk && v->drop > 0 && (int)i == v->drop - 1)
			continue;
		size_t off = i * v->mss,
		       len = ch->len - off < v->mss ? ch->len - off : v->mss;
		frame(c, dir, base + (uint32_t)off, ack, F_ACK | F_PSH, ch->data + off,
		      len);
		if (v->mangle && k == 1) {
			/* the same packet captured twice, as a SPAN port does */
			frame(c, dir, base + (uint32_t)off, ack, F_ACK | F_PSH,
			      ch->data + off, len);
		}
		if (v->mangle && k == 3 && n > 4) {
			/* a retransmission overlapping two segments already sent */
			size_t o2 = (size_t)order[0] * v->mss + v->mss / 2;
			size_t l2 = o2 + v->mss <= ch->len ? v->mss : ch->len - o2;
			frame(c, dir, base + (uint32_t)o2, ack, F_ACK | F_PSH,
			      ch->data + o2, l2);
		}
	}
	c->seq[dir] += (uint32_t)ch->len;
	tick(300);
	frame(c, !dir, c->seq[!dir], c->seq[dir], F_ACK, NULL, 0);
	tick(700);
}

static void write_variant(const struct opts *o, const struct variant *v)
{
	struct conn c = {0};
	c.v = v;
	c.v6 = v->ipv6;
	c.port[0] = (uint16_t)o->client_port;
	c.port[1] = (uint16_t)o->port;
	/* the client's ISN sits just below the wrap of the sequence space */
	c.seq[0] = 0xfffffc00u;
	c.seq[1] = 0x10000000u;
	if (c.v6) {
		inet_pton(AF_INET6, o->client_ip6, c.ip[0]);
		inet_pton(AF_INET6, o->server_ip6, c.ip[1]);
	} else {
		inet_pton(AF_INET, o->client_ip, c.ip[0]);
		inet_pton(AF_INET, o->server_ip, c.ip[1]);
	}
	out = fopen(v->file, "wb");
	if (!out)
		die(v->file);
	dlt = !strcmp(v->link, "sll")    ? 113
	      : !strcmp(v->link, "sll2") ? 276
	      : !strcmp(v->link, "raw")  ? 101
	      : !strcmp(v->link, "null") ? 0
	                                 : 1;
	write_pcap_header(out, dlt);
	now.tv_sec = o->when;
	now.tv_usec = 0;
	if (!v->no_syn) {
		frame(&c, 0, c.seq[0] - 1, 0, F_SYN, NULL, 0);
		tick(200);
		frame(&c, 1, c.seq[1] - 1, c.seq[0], F_SYN | F_ACK, NULL, 0);
		tick(200);
		frame(&c, 0, c.seq[0], c.seq[1], F_ACK, NULL, 0);
		tick(600);
	}
	bool cert_seen = false;
	for (int i = 0; i < tr.n; i++) {
		bool is_cert =
		    tr.chunks[i].dir == 1 && tr.chunks[i].certificate && !cert_seen;
		cert_seen = cert_seen || is_cert;
		send_chunk(&c, &tr.chunks[i], is_cert);
	}
	int a = tr.closer, b = !a;
	if (o->rst) {
		frame(&c, a, c.seq[a], c.seq[b], F_RST | F_ACK, NULL, 0);
	} else {
		frame(&c, a, c.seq[a], c.seq[b], F_FIN | F_ACK, NULL, 0);
		tick(200);
		frame(&c, b, c.seq[b], c.seq[a] + 1, F_FIN | F_ACK, NULL, 0);
		tick(200);
		frame(&c, a, c.seq[a] + 1, c.seq[b] + 1, F_ACK, NULL, 0);
	}
	fclose(out);
}

/* ---- the truth ---------------------------------------------------------- */

static void json_list(FILE *f, const char *plus_list)
{
	fputc('[', f);
	if (plus_list && *plus_list) {
		char *dup = strdup(plus_list), *save = NULL;
		int i = 0;
		for (char *t = strtok_r(dup, "+", &save); t;
		     t = strtok_r(NULL, "+", &save))
			fprintf(f, "%s\"%s\"", i++ ? "," : "", t);
		free(dup);
	}
	fputc(']', f);
}

static void json_chain(FILE *f, int s)
{
	SSL *ssl = sides[s].ssl;
	X509 *leaf = SSL_get_certificate(ssl);
	STACK_OF(X509) *chain = NULL;
	fputc('[', f);
	if (leaf && sides[s].sent_cert) {
		unsigned char md[32];
		unsigned int mdlen;
		SSL_get0_chain_certs(ssl, &chain);
		/* SSL 2.0 sends the leaf alone */
		int n = chain && !sslv2 ? sk_X509_num(chain) : 0;
		for (int i = -1; i < n; i++) {
			X509 *x = i < 0 ? leaf : sk_X509_value(chain, i);
			X509_digest(x, EVP_sha256(), md, &mdlen);
			fprintf(f, "%s\"", i < 0 ? "" : ",");
			if (i < 0 && s == 1 && broken_sha256[0]) {
				fprintf(f, "%s\"", broken_sha256);
				continue;
			}
			for (unsigned k = 0; k < mdlen; k++)
				fprintf(f, "%02x", md[k]);
			fputc('"', f);
		}
	}
	fputc(']', f);
}

/* A NULL cipher: what is protected is readable without keys. */
static bool null_cipher(void)
{
	const SSL_CIPHER *c = SSL_get_current_cipher(sides[1].ssl);
	return c && !tr.tls13 && SSL_CIPHER_get_cipher_nid(c) == NID_undef;
}

/* Whether the capture (with its key log, for a keylog variant) shows an
 * alert: one in the clear, one under a NULL cipher, one TLS 1.2 protected
 * when the key log has the master secret, one TLS 1.3 protected when it
 * has the sender's secret of the keys it was sent under (the handshake's,
 * or the application's for the close_notify after the data). */
static bool alert_readable(const struct alert *a, const struct variant *v)
{
	if (a->plaintext || null_cipher())
		return true;
	if (!v->keylog)
		return false;
	if (!tr.tls13)
		return strstr(keylog_text, "CLIENT_RANDOM ") != NULL;
	if (a->shutdown)
		return strstr(keylog_text, a->from ? "SERVER_TRAFFIC_SECRET_0 "
		                                   : "CLIENT_TRAFFIC_SECRET_0 ") != NULL;
	return keylog_opens(a->from);
}

static void write_expect(const struct opts *o, const struct variant *v)
{
	char path[4096];
	if (v->expect) {
		/* another judgement of the same capture, beside it */
		const char *slash = strrchr(v->file, '/');
		snprintf(path, sizeof(path), "%.*s%s.expect.json",
		         slash ? (int)(slash - v->file + 1) : 0, v->file, v->expect);
	} else {
		snprintf(path, sizeof(path), "%s", v->file);
		char *dot = strrchr(path, '.');
		if (dot)
			*dot = '\0';
		strncat(path, ".expect.json", sizeof(path) - strlen(path) - 1);
	}
	FILE *f = fopen(path, "w");
	if (!f)
		die(path);
	const SSL_CIPHER *cipher = SSL_get_current_cipher(sides[1].ssl);
	if (!cipher)
		cipher = SSL_get_pending_cipher(sides[1].ssl);
	bool hello_done = SSL_get_state(sides[1].ssl) != TLS_ST_BEFORE;
	fprintf(f, "{\n  \"capture\": \"%s\",\n",
	        strrchr(v->file, '/') ? strrchr(v->file, '/') + 1 : v->file);
	fprintf(f, "  \"note\": \"%s\",\n", v->note ? v->note : "");
	fprintf(f, "  \"args\": ");
	json_list(f, v->args);
	if (sslv2)
		fprintf(f, ",\n  \"version\": \"SSL 2.0\",\n");
	else if (draft)
		fprintf(f, ",\n  \"version\": \"TLS 1.3 draft %d\",\n", draft);
	else
		fprintf(f, ",\n  \"version\": \"%s\",\n", SSL_get_version(sides[1].ssl));
	if (o->starttls)
		fprintf(f, "  \"starttls\": \"%s\",\n", o->starttls);
	fprintf(f, "  \"cipher\": \"%s\",\n",
	        cipher && hello_done && !sslv2 ? SSL_CIPHER_standard_name(cipher) : "");
	/* encrypted certificates (TLS 1.3, unless the key log opens the
	 * sender's records) and a one-sided or broken capture show less than
	 * was sent */
	for (int s = 1; s >= 0; s--) {
		fprintf(f, "  \"%s_certificates\": ", s ? "server" : "client");
		if (v->drop > 0 && s == 1)
			fputs("null", f);
		else if ((tr.tls13 && !(v->keylog && keylog_opens(s))) ||
		         (!tr.tls13 && sides[s].cert_protected && !v->keylog &&
		          !null_cipher()) ||
		         (v->one_sided >= 0 && v->one_sided != s))
			fputs("[]", f);
		else
			json_chain(f, s);
		fputs(",\n", f);
	}
	fputs("  \"alerts\": [", f);
	int k = 0;
	for (int i = 0; i < tr.n_alerts; i++) {
		const struct alert *a = &tr.alerts[i];
		if (!alert_readable(a, v) ||
		    (v->one_sided >= 0 && v->one_sided != a->from))
			continue;
		fprintf(f, "%s{\"from\": \"%s\", \"level\": \"%s\", \"code\": %d}",
		        k++ ? ", " : "", a->from ? "server" : "client",
		        a->level == 2 ? "fatal" : "warning", a->code);
	}
	fputs("],\n", f);
	fprintf(
	    f, "  \"outcome\": \"%s\",\n  \"diagnoses\": ", v->outcome ? v->outcome : "");
	json_list(f, v->diags);
	fprintf(f, ",\n  \"exit\": %d", v->exit_code);
	if (v->same_as)
		fprintf(f, ",\n  \"same_as\": \"%s\"", v->same_as);
	fputs("\n}\n", f);
	fclose(f);
}

static void parse_variant(char *spec, struct variant *v)
{
	memset(v, 0, sizeof(*v));
	v->link = "eth";
	v->mss = 1400;
	v->one_sided = -1;
	char *save = NULL;
	v->file = strtok_r(spec, ";", &save);
	for (char *kv = strtok_r(NULL, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
		char *val = strchr(kv, '=');
		if (val)
			*val++ = '\0';
		if (!strcmp(kv, "link"))
			v->link = val;
		else if (!strcmp(kv, "ipv6"))
			v->ipv6 = true;
		else if (!strcmp(kv, "mss"))
			v->mss = (size_t)atoi(val);
		else if (!strcmp(kv, "mangle"))
			v->mangle = true;
		else if (!strcmp(kv, "drop"))
			v->drop = atoi(val);
		else if (!strcmp(kv, "one-sided"))
			v->one_sided = !strcmp(val, "server") ? 1 : 0;
		else if (!strcmp(kv, "no-syn"))
			v->no_syn = true;
		else if (!strcmp(kv, "outcome"))
			v->outcome = val;
		else if (!strcmp(kv, "diags"))
			v->diags = val;
		else if (!strcmp(kv, "args"))
			v->args = val;
		else if (!strcmp(kv, "same-as"))
			v->same_as = val;
		else if (!strcmp(kv, "exit"))
			v->exit_code = atoi(val);
		else if (!strcmp(kv, "note"))
			v->note = val;
		else if (!strcmp(kv, "expect"))
			v->expect = val;
		else if (!strcmp(kv, "keylog"))
			v->keylog = true;
		else
			die(kv);
	}
	if (!v->file || v->mss == 0)
		die("bad --variant");
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct variant vars[16];
	int nv = 0;
	o.port = 443;
	o.client_port = 51000;
	o.client_ip = "192.0.2.10";
	o.server_ip = "198.51.100.20";
	o.client_ip6 = "2001:db8::10";
	o.server_ip6 = "2001:db8::20";
	o.when = time(NULL);
	static const struct option lo[] = {
	    {"server-cert", 1, 0, 1},
	    {"server-key", 1, 0, 2},
	    {"client-cert", 1, 0, 3},
	    {"client-key", 1, 0, 4},
	    {"client-ca", 1, 0, 5},
	    {"server-ca", 1, 0, 6},
	    {"request-client-cert", 0, 0, 7},
	    {"require-client-cert", 0, 0, 8},
	    {"ca-names", 1, 0, 9},
	    {"tls-max", 1, 0, 10},
	    {"sni", 1, 0, 11},
	    {"time", 1, 0, 12},
	    {"port", 1, 0, 13},
	    {"client-port", 1, 0, 14},
	    {"silent-close", 1, 0, 15},
	    {"rst", 0, 0, 16},
	    {"variant", 1, 0, 17},
	    {"client-ip", 1, 0, 18},
	    {"server-ip", 1, 0, 19},
	    {"verify-hostname", 0, 0, 20},
	    {"ciphersuites", 1, 0, 21},
	    {"starttls", 1, 0, 22},
	    {"server-groups", 1, 0, 23},
	    {"tls13-draft", 1, 0, 24},
	    {"break-server-cert", 0, 0, 25},
	    {"sslv2", 0, 0, 26},
	    {"cipher-list", 1, 0, 27},
	    {"renegotiate", 0, 0, 28},
	    {"both-close", 0, 0, 29},
	    {0, 0, 0, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 1:
			o.server_cert = optarg;
			break;
		case 2:
			o.server_key = optarg;
			break;
		case 3:
			o.client_cert = optarg;
			break;
		case 4:
			o.client_key = optarg;
			break;
		case 5:
			o.client_ca = optarg;
			break;
		case 6:
			o.server_ca = optarg;
			break;
		case 7:
			o.request = true;
			break;
		case 8:
			o.request = o.require = true;
			break;
		case 9:
			o.ca_names = optarg;
			break;
		case 10:
			o.tls_max = optarg;
			break;
		case 11:
			o.sni = optarg;
			break;
		case 12:
			o.when = (time_t)atoll(optarg);
			break;
		case 13:
			o.port = atoi(optarg);
			break;
		case 14:
			o.client_port = atoi(optarg);
			break;
		case 15:
			o.silent_close = optarg;
			break;
		case 16:
			o.rst = true;
			break;
		case 17:
			if (nv == 16)
				die("too many variants");
			parse_variant(optarg, &vars[nv++]);
			break;
		case 18:
			o.client_ip = optarg;
			break;
		case 19:
			o.server_ip = optarg;
			break;
		case 20:
			o.verify_hostname = true;
			break;
		case 21:
			o.ciphersuites = optarg;
			break;
		case 22:
			o.starttls = optarg;
			break;
		case 23:
			o.server_groups = optarg;
			break;
		case 24:
			draft = atoi(optarg);
			break;
		case 25:
			break_cert = true;
			break;
		case 26:
			sslv2 = true;
			break;
		case 27:
			o.cipher_list = optarg;
			break;
		case 28:
			o.renegotiate = true;
			break;
		case 29:
			o.both_close = true;
			break;
		default:
			die("bad option");
		}
	}
	if (!o.server_cert || !nv)
		die("need --server-cert and at least one --variant");
	tr.first_failed = -1;
	if (o.starttls)
		starttls_preamble(o.starttls);
	run_handshake(&o);
	if (draft)
		make_draft();
	if (sslv2)
		make_sslv2();
	for (int i = 0; i < nv; i++) {
		write_variant(&o, &vars[i]);
		write_expect(&o, &vars[i]);
		if (vars[i].keylog) {
			char path[4096];
			snprintf(path, sizeof(path), "%s.keylog", vars[i].file);
			FILE *f = fopen(path, "w");
			if (!f || fputs(keylog_text, f) < 0 || fclose(f) != 0)
				die(path);
		}
	}
	return 0;
}
