/* test_keylog.c: dissect/keylog.h on key logs held in memory (the NSS key
 * log format: LABEL, the ClientHello random in hex, the secret in hex, one
 * secret a line), then looked up by random after keylog_finish().
 *
 * R_A and the four TLS 1.3 secrets are RFC 8448 section 3's ClientHello
 * random and traffic secrets (the lines a key log of that trace would hold);
 * the other randoms and secrets are made up. */
#include "dissect/keylog.h"

#include "check.h"

#include <stdlib.h>
#include <unistd.h>

/* RFC 8448 section 3: the random of {client} construct a ClientHello */
#define R_A "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7"
/* RFC 8448 section 3: derive secret "tls13 c hs traffic", "tls13 s hs
 * traffic", "tls13 c ap traffic", "tls13 s ap traffic" */
#define C_HS "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"
#define S_HS "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"
#define C_AP "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"
#define S_AP "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643"

/* made up: a random, another, one never in a log, one a byte off R_B */
#define R_B      "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
#define R_C      "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
#define R_B_NEAR "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebe"
/* made up: a 48-byte TLS 1.2 master secret, a 48-byte (SHA-384) TLS 1.3
 * secret */
#define M48                                                                              \
	"101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"               \
	"303132333435363738393a3b3c3d3e3f"
#define S48                                                                              \
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"               \
	"606162636465666768696a6b6c6d6e6f"

/* made up: secrets of 16 and 64 bytes, lengths no secret certscope uses
 * has */
#define S16 "707172737475767778797a7b7c7d7e7f"
#define S64 S48 "808182838485868788898a8b8c8d8e8f"

#define CHTS "CLIENT_HANDSHAKE_TRAFFIC_SECRET "
#define SHTS "SERVER_HANDSHAKE_TRAFFIC_SECRET "
#define CTS0 "CLIENT_TRAFFIC_SECRET_0 "
#define STS0 "SERVER_TRAFFIC_SECRET_0 "
#define CR   "CLIENT_RANDOM "

/* The four lines of R_A's TLS 1.3 handshake, as OpenSSL writes them. */
#define R_A_LOG                                                                          \
	CHTS R_A " " C_HS "\n" SHTS R_A " " S_HS "\n" CTS0 R_A " " C_AP "\n" STS0 R_A    \
	         " " S_AP "\n"

/* A good line put after each bad one: the bad line does not stop the
 * parser, and the log is not left empty. */
#define GOOD_A CHTS R_A " " C_HS "\n"

#define ABSENT KL_COUNT /* want: keylog_find() gives NULL for the random */
#define NONE   NULL     /* want: the entry has no secret under the label */

struct want {
	const char *random;
	enum keylog_label label;
	const char *secret;
};

#define MAX_WANTS 6

struct lcase {
	const char *name;
	size_t max_lines;
	const char *text;
	size_t len;
	size_t taken, bad, dropped;
	struct want want[MAX_WANTS];
};

#define IN(s) s, sizeof(s) - 1

static const struct lcase cases[] = {
    /* one CLIENT_HANDSHAKE_TRAFFIC_SECRET line: taken, found under its label
     * and no other */
    {"client_handshake",
     10,
     IN(CHTS R_A " " C_HS "\n"),
     1,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS},
      {R_A, KL_SERVER_HANDSHAKE, NONE},
      {R_A, KL_MASTER, NONE}}},
    /* one SERVER_HANDSHAKE_TRAFFIC_SECRET line */
    {"server_handshake",
     10,
     IN(SHTS R_A " " S_HS "\n"),
     1,
     0,
     0,
     {{R_A, KL_SERVER_HANDSHAKE, S_HS}, {R_A, KL_CLIENT_HANDSHAKE, NONE}}},
    /* one CLIENT_TRAFFIC_SECRET_0 line */
    {"client_traffic_0",
     10,
     IN(CTS0 R_A " " C_AP "\n"),
     1,
     0,
     0,
     {{R_A, KL_CLIENT_TRAFFIC_0, C_AP}, {R_A, KL_SERVER_TRAFFIC_0, NONE}}},
    /* one SERVER_TRAFFIC_SECRET_0 line */
    {"server_traffic_0",
     10,
     IN(STS0 R_A " " S_AP "\n"),
     1,
     0,
     0,
     {{R_A, KL_SERVER_TRAFFIC_0, S_AP}, {R_A, KL_CLIENT_TRAFFIC_0, NONE}}},
    /* the four lines of one TLS 1.3 handshake make one entry holding all
     * four secrets */
    {"tls13_handshake_merged",
     10,
     IN(R_A_LOG),
     4,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS},
      {R_A, KL_SERVER_HANDSHAKE, S_HS},
      {R_A, KL_CLIENT_TRAFFIC_0, C_AP},
      {R_A, KL_SERVER_TRAFFIC_0, S_AP},
      {R_A, KL_MASTER, NONE}}},
    /* CLIENT_RANDOM with a 48-byte master secret (TLS 1.2) */
    {"client_random_master",
     10,
     IN(CR R_B " " M48 "\n"),
     1,
     0,
     0,
     {{R_B, KL_MASTER, M48}, {R_B, KL_CLIENT_HANDSHAKE, NONE}}},
    /* a 48-byte TLS 1.3 secret (a SHA-384 suite) is taken whole */
    {"sha384_secret",
     10,
     IN(SHTS R_B " " S48 "\n"),
     1,
     0,
     0,
     {{R_B, KL_SERVER_HANDSHAKE, S48}}},
    /* two handshakes interleaved: each random gets its own secrets */
    {"two_handshakes",
     10,
     IN(CHTS R_B " " S48 "\n" CHTS R_A " " C_HS "\n" CR R_B " " M48 "\n"),
     3,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS},
      {R_A, KL_MASTER, NONE},
      {R_B, KL_CLIENT_HANDSHAKE, S48},
      {R_B, KL_MASTER, M48},
      {R_C, ABSENT, NONE}}},

    /* upper-case hex in the random and the secret reads as the same bytes */
    {"upper_case_hex",
     10,
     IN(CHTS "A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"
             " B3EDDB126E067F35A780B3ABF45E2D8F3B1A950738F52E9600746A0E27A55A21\n"),
     1,
     0,
     0,
     {{R_B, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* and so does hex of both cases mixed */
    {"mixed_case_hex",
     10,
     IN(CHTS "A0a1a2A3a4a5A6a7a8A9aAabAcaDaeAfb0b1B2b3b4B5b6b7B8b9baBbbCbdBebF"
             " b3EDdb126E067f35A780b3abF45e2d8f3B1a950738f52e9600746a0E27a55A21\n"),
     1,
     0,
     0,
     {{R_B, KL_CLIENT_HANDSHAKE, C_HS}}},

    /* comment lines (the header NSS writes) are skipped, not bad */
    {"comments",
     10,
     IN("# SSL/TLS secrets log file, generated by NSS\n" CHTS R_A " " C_HS
        "\n# CLIENT_RANDOM " R_B " " M48 "\n"),
     1,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}, {R_B, ABSENT, NONE}}},
    /* blank lines before, between and after are skipped, not bad */
    {"blank_lines",
     10,
     IN("\n\n" CHTS R_A " " C_HS "\n\n\n" SHTS R_A " " S_HS "\n\n"),
     2,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}, {R_A, KL_SERVER_HANDSHAKE, S_HS}}},
    /* CRLF line endings: the CR is not part of the secret */
    {"crlf",
     10,
     IN(CHTS R_A " " C_HS "\r\n" CR R_B " " M48 "\r\n"),
     2,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}, {R_B, KL_MASTER, M48}}},
    /* blank lines with CRLF endings are blank lines, as with LF: skipped, not
     * bad */
    {"crlf_blank_lines",
     10,
     IN("\r\n" CHTS R_A " " C_HS "\r\n\r\n\r\n" SHTS R_A " " S_HS "\r\n\r\n"),
     2,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}, {R_A, KL_SERVER_HANDSHAKE, S_HS}}},
    /* a comment with a CRLF ending is still a comment */
    {"crlf_comment",
     10,
     IN("# written on Windows\r\n" CHTS R_A " " C_HS "\r\n"),
     1,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* the last line without a newline is read */
    {"no_trailing_newline",
     10,
     IN(CHTS R_A " " C_HS "\n" SHTS R_A " " S_HS),
     2,
     0,
     0,
     {{R_A, KL_SERVER_HANDSHAKE, S_HS}}},
    /* a whole log of one line without a newline */
    {"single_line_no_newline", 10, IN(CR R_B " " M48), 1, 0, 0, {{R_B, KL_MASTER, M48}}},
    /* spaces after the secret are not part of it */
    {"trailing_spaces",
     10,
     IN(CHTS R_A " " C_HS "  \n"),
     1,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}}},

    /* a random of 31 bytes (62 hex digits) is not a key log line */
    {"random_short",
     10,
     IN(CHTS "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbe"
             " " C_HS "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor one of 33 bytes */
    {"random_long",
     10,
     IN(CHTS "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0"
             " " C_HS "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor one of 63 hex digits */
    {"random_odd_digits",
     10,
     IN(CHTS "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbeb"
             " " C_HS "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor a random with a character that is not hex */
    {"random_not_hex",
     10,
     IN(CHTS "a0a1a2a3a4g5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
             " " C_HS "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor a secret with a character that is not hex */
    {"secret_not_hex",
     10,
     IN(CHTS R_B
        " b3eddb126e067f35a780z3abf45e2d8f3b1a950738f52e9600746a0e27a55a21\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor a secret of an odd number of hex digits */
    {"secret_odd_digits",
     10,
     IN(CHTS R_B
        " b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a2\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor a secret longer than KEYLOG_MAX_SECRET (65 bytes) */
    {"secret_too_long",
     10,
     IN(CHTS R_B " " S48 "abababababababababababababababab"
                 "ab\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor a line whose secret is empty */
    {"secret_empty",
     10,
     IN(CR R_B " \n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor a line with no secret at all */
    {"secret_missing",
     10,
     IN(CR R_B "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor a label alone */
    {"label_alone",
     10,
     IN("CLIENT_RANDOM\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor words that are not a key log at all */
    {"not_a_key_log",
     10,
     IN("hello world\nGET / HTTP/1.1\r\n" GOOD_A),
     1,
     2,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* a well-formed line of a label certscope does not know is a key log
     * line it ignores: not taken, not bad */
    {"unknown_label",
     10,
     IN("SERVER_RANDOM " R_B " " M48 "\n" GOOD_A),
     1,
     0,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* labels are upper case: client_random is not CLIENT_RANDOM */
    {"lower_case_label",
     10,
     IN("client_random " R_B " " M48 "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* a label with a known label as its prefix is not that label: another
     * label, ignored */
    {"label_prefix",
     10,
     IN("CLIENT_RANDOMX " R_B " " M48 "\n" GOOD_A),
     1,
     0,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* something after the secret makes the line bad (not a secret cut short) */
    {"trailing_garbage",
     10,
     IN(CR R_B " " M48 " extra\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* bad lines do not stop the good ones around them */
    {"bad_among_good",
     10,
     IN(CHTS R_A " " C_HS "\nnonsense\n" SHTS R_A " " S_HS "\n"),
     2,
     1,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}, {R_A, KL_SERVER_HANDSHAKE, S_HS}}},

    /* CLIENT_RANDOM's master secret is 48 bytes (RFC 5246 8.1): one of 32 is
     * not a key log line */
    {"master_32_bytes",
     10,
     IN(CR R_B " " C_HS "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor one of 64 */
    {"master_64_bytes",
     10,
     IN(CR R_B " " S64 "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* a TLS 1.3 traffic secret is as long as the suite's hash, 32 or 48
     * bytes: one of 16 is not a key log line */
    {"traffic_secret_16_bytes",
     10,
     IN(SHTS R_B " " S16 "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor one of 64 (KEYLOG_MAX_SECRET, but no hash of a TLS 1.3 suite) */
    {"traffic_secret_64_bytes",
     10,
     IN(STS0 R_B " " S64 "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* 48-byte (SHA-384) secrets under each of the four TLS 1.3 labels */
    {"traffic_secrets_48_bytes",
     10,
     IN(CHTS R_B " " S48 "\n" SHTS R_B " " S48 "\n" CTS0 R_B " " S48 "\n" STS0 R_B " " S48
                 "\n"),
     4,
     0,
     0,
     {{R_B, KL_CLIENT_HANDSHAKE, S48},
      {R_B, KL_SERVER_HANDSHAKE, S48},
      {R_B, KL_CLIENT_TRAFFIC_0, S48},
      {R_B, KL_SERVER_TRAFFIC_0, S48}}},
    /* the whole TLS 1.3 log OpenSSL writes: the early and exporter secrets
     * certscope does not use are key log lines it ignores, not bad lines */
    {"openssl_tls13_log",
     10,
     IN("CLIENT_EARLY_TRAFFIC_SECRET " R_A " " S48 "\nEARLY_EXPORTER_SECRET " R_A " " S48
        "\n" R_A_LOG "EXPORTER_SECRET " R_A " " C_HS "\n"),
     4,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS},
      {R_A, KL_SERVER_TRAFFIC_0, S_AP},
      {R_A, KL_MASTER, NONE}}},
    /* a label of digits and underscores, and a secret of any length, are
     * still the NSS format: ignored */
    {"other_label_any_length",
     10,
     IN("SECRET_2 " R_B " " S64 "ab\n" GOOD_A),
     1,
     0,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* a label certscope does not use with a random of 31 bytes is not a key
     * log line */
    {"other_label_short_random",
     10,
     IN("EXPORTER_SECRET "
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbe " C_HS
        "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor with a secret of an odd number of hex digits */
    {"other_label_odd_secret",
     10,
     IN("EXPORTER_SECRET " R_B " abc\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* nor a label with a character outside [A-Z0-9_] */
    {"other_label_dash",
     10,
     IN("EXPORTER-SECRET " R_B " " C_HS "\n" GOOD_A),
     1,
     1,
     0,
     {{R_B, ABSENT, NONE}, {R_A, KL_CLIENT_HANDSHAKE, C_HS}}},

    /* the cap: keylog_new(2) reads two lines of four and drops the rest */
    {"cap_drops_the_rest",
     2,
     IN(R_A_LOG),
     2,
     0,
     2,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS},
      {R_A, KL_SERVER_HANDSHAKE, S_HS},
      {R_A, KL_CLIENT_TRAFFIC_0, NONE},
      {R_A, KL_SERVER_TRAFFIC_0, NONE}}},
    /* a bad line is a line read, so it counts toward the cap */
    {"cap_counts_bad_lines",
     2,
     IN("nonsense\n" CHTS R_A " " C_HS "\n" SHTS R_A " " S_HS "\n"),
     1,
     1,
     1,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}, {R_A, KL_SERVER_HANDSHAKE, NONE}}},
    /* a line of a label certscope ignores is a line read: it counts toward
     * the cap */
    {"cap_counts_other_labels",
     1,
     IN("EXPORTER_SECRET " R_A " " C_HS "\n" CR R_B " " M48 "\n"),
     0,
     0,
     1,
     {{R_B, ABSENT, NONE}}},
    /* comments and blank lines before the cap is reached do not count toward
     * it */
    {"cap_skips_comments",
     1,
     IN("# header\n\n# more\n" CR R_B " " M48 "\n"),
     1,
     0,
     0,
     {{R_B, KL_MASTER, M48}}},
    /* nor do CRLF blank lines: keylog_new(1) still reads the secret after
     * two of them */
    {"cap_skips_crlf_blank_lines",
     1,
     IN("\r\n\r\n" CR R_B " " M48 "\r\n"),
     1,
     0,
     0,
     {{R_B, KL_MASTER, M48}}},
    /* comments and blank lines past the cap are not key log lines lost:
     * none dropped */
    {"cap_comments_after",
     1,
     IN(CR R_B " " M48 "\n# comment\n\n\r\n# more\r\n"),
     1,
     0,
     0,
     {{R_B, KL_MASTER, M48}}},
    /* nor are lines past the cap that are not key log lines */
    {"cap_bad_lines_after",
     1,
     IN(CR R_B " " M48 "\nnonsense\n" CR R_A " " C_HS "\n"),
     1,
     0,
     0,
     {{R_B, KL_MASTER, M48}}},
    /* a key log line past the cap is dropped, whatever its label */
    {"cap_drops_other_labels",
     1,
     IN(CR R_B " " M48 "\n\nEXPORTER_SECRET " R_A " " C_HS "\n# end\n" GOOD_A),
     1,
     0,
     2,
     {{R_B, KL_MASTER, M48}, {R_A, ABSENT, NONE}}},
    /* exactly as many lines as the cap: none dropped */
    {"cap_exact", 4, IN(R_A_LOG), 4, 0, 0, {{R_A, KL_SERVER_TRAFFIC_0, S_AP}}},
    /* an empty log finds nothing, and keylog_find() passes bsearch() no NULL
     * array (the UBSan build stopped here) */
    {"empty_find", 10, IN(""), 0, 0, 0, {{R_A, ABSENT, NONE}}},
    /* a cap of zero reads nothing */
    {"cap_zero",
     0,
     IN(CR R_B " " M48 "\n" CHTS R_A " " C_HS "\n"),
     0,
     0,
     2,
     {{NULL, ABSENT, NONE}}},

    /* the same line twice: both taken (keylog_count() counts secrets taken),
     * and the secret is found */
    {"duplicate_line",
     10,
     IN(CHTS R_A " " C_HS "\n" CHTS R_A " " C_HS "\n"),
     2,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}, {R_A, KL_SERVER_HANDSHAKE, NONE}}},
    /* a whole handshake logged twice, the second time after another
     * handshake: still one entry with all four */
    {"duplicate_handshake",
     10,
     IN(R_A_LOG CR R_B " " M48 "\n" R_A_LOG),
     9,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS},
      {R_A, KL_SERVER_TRAFFIC_0, S_AP},
      {R_B, KL_MASTER, M48}}},

    /* two lines of one random and label with different secrets: the first
     * line in the file wins (as in Wireshark), not whichever the sort put
     * last */
    {"conflict_first_wins",
     10,
     IN(CHTS R_A " " C_HS "\n" CHTS R_A " " S_HS "\n"),
     2,
     0,
     0,
     {{R_A, KL_CLIENT_HANDSHAKE, C_HS}}},
    /* also with other lines of the same random and of others between them,
     * each label on its own */
    {"conflict_first_wins_apart",
     10,
     IN(SHTS R_A " " S_HS "\n" CR R_B " " M48 "\n" CHTS R_A " " C_HS "\n" SHTS R_A
                 " " S_AP "\n" CHTS R_B " " S48 "\n" CHTS R_A " " C_AP "\n"),
     6,
     0,
     0,
     {{R_A, KL_SERVER_HANDSHAKE, S_HS},
      {R_A, KL_CLIENT_HANDSHAKE, C_HS},
      {R_B, KL_CLIENT_HANDSHAKE, S48},
      {R_B, KL_MASTER, M48}}},
    /* a random never logged is not found */
    {"absent_random",
     10,
     IN(R_A_LOG),
     4,
     0,
     0,
     {{R_C, ABSENT, NONE}, {R_B, ABSENT, NONE}}},
    /* nor is one a single byte off a logged random */
    {"near_random",
     10,
     IN(CR R_B " " M48 "\n"),
     1,
     0,
     0,
     {{R_B_NEAR, ABSENT, NONE}, {R_B, KL_MASTER, M48}}},
};

/* ---- running a case ----------------------------------------------------------- */

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The table's lower-case hex; aborts on a broken table. */
static size_t hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s);
	if (n % 2 || n / 2 > max)
		abort();
	for (size_t i = 0; i < n; i += 2) {
		int hi = nibble(s[i]), lo = nibble(s[i + 1]);
		if (hi < 0 || lo < 0)
			abort();
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return n / 2;
}

static bool check_want(const struct keylog *kl, const struct want *w)
{
	uint8_t random[32], secret[KEYLOG_MAX_SECRET];
	CHECK_EQ(hex(w->random, random, sizeof(random)), 32);
	const struct keylog_entry *e = keylog_find(kl, random);
	if (w->label == ABSENT) {
		CHECK(e == NULL);
		return true;
	}
	CHECK(e != NULL);
	CHECK_MEM(e->client_random, 32, random, 32);
	if (!w->secret) {
		CHECK_EQ(e->s[w->label].len, 0);
		return true;
	}
	size_t n = hex(w->secret, secret, sizeof(secret));
	CHECK_MEM(e->s[w->label].v, e->s[w->label].len, secret, n);
	return true;
}

static bool run(const struct lcase *t)
{
	struct keylog *kl = keylog_new(t->max_lines);
	size_t bad = 0;
	bool ok = true;
	CHECK(kl != NULL);
	size_t taken = keylog_add_text(kl, t->text, t->len, &bad);
	keylog_finish(kl);
	if (taken != t->taken || bad != t->bad || keylog_dropped(kl) != t->dropped ||
	    keylog_count(kl) != t->taken) {
		check_failf(__LINE__,
		            "taken %zu, bad %zu, dropped %zu, count %zu; expected %zu, "
		            "%zu, %zu, %zu",
		            taken, bad, keylog_dropped(kl), keylog_count(kl), t->taken,
		            t->bad, t->dropped, t->taken);
		ok = false;
	}
	for (size_t i = 0; ok && i < MAX_WANTS && t->want[i].random; i++)
		ok = check_want(kl, &t->want[i]);
	keylog_free(kl);
	return ok;
}

/* ---- cases that are more than one call ------------------------------------------ */

/* Whether keylog_find() finds the random (hex). */
static bool found(const struct keylog *kl, const char *random_hex)
{
	uint8_t random[32];
	hex(random_hex, random, sizeof(random));
	return keylog_find(kl, random) != NULL;
}

/* keylog_find() finds nothing before keylog_finish(), and after more lines
 * are added, nothing new until keylog_finish() is called again; then old and
 * new entries are both found. */
static bool finish_after_adding(void)
{
	static const char first[] = CHTS R_A " " C_HS "\n";
	static const char second[] = CR R_B " " M48 "\n" SHTS R_A " " S_HS "\n";
	struct keylog *kl = keylog_new(10);
	bool ok;
	CHECK(kl != NULL);
	ok = keylog_add_text(kl, first, sizeof(first) - 1, NULL) == 1;
	ok = ok && !found(kl, R_A);
	keylog_finish(kl);
	ok = ok && check_want(kl, &(struct want){R_A, KL_CLIENT_HANDSHAKE, C_HS});
	ok = ok && keylog_add_text(kl, second, sizeof(second) - 1, NULL) == 2;
	ok = ok && !found(kl, R_B);
	keylog_finish(kl);
	ok = ok && check_want(kl, &(struct want){R_B, KL_MASTER, M48}) &&
	     check_want(kl, &(struct want){R_A, KL_CLIENT_HANDSHAKE, C_HS}) &&
	     check_want(kl, &(struct want){R_A, KL_SERVER_HANDSHAKE, S_HS}) &&
	     keylog_count(kl) == 3;
	/* a second finish with nothing added changes nothing */
	keylog_finish(kl);
	ok = ok && check_want(kl, &(struct want){R_A, KL_SERVER_HANDSHAKE, S_HS});
	keylog_free(kl);
	CHECK(ok);
	return true;
}

/* The cap holds across calls: keylog_new(3) takes two lines from the first
 * text and one from the second, dropping the second's last. */
static bool cap_across_calls(void)
{
	static const char a[] = CHTS R_A " " C_HS "\n" SHTS R_A " " S_HS "\n";
	static const char b[] = CTS0 R_A " " C_AP "\n" STS0 R_A " " S_AP "\n";
	struct keylog *kl = keylog_new(3);
	CHECK(kl != NULL);
	size_t ta = keylog_add_text(kl, a, sizeof(a) - 1, NULL);
	size_t da = keylog_dropped(kl);
	size_t tb = keylog_add_text(kl, b, sizeof(b) - 1, NULL);
	size_t db = keylog_dropped(kl), count = keylog_count(kl);
	keylog_finish(kl);
	bool found = check_want(kl, &(struct want){R_A, KL_CLIENT_TRAFFIC_0, C_AP}) &&
	             check_want(kl, &(struct want){R_A, KL_SERVER_TRAFFIC_0, NONE});
	keylog_free(kl);
	CHECK(found);
	CHECK_EQ(ta, 2);
	CHECK_EQ(da, 0);
	CHECK_EQ(tb, 1);
	CHECK_EQ(db, 1);
	CHECK_EQ(count, 3);
	return true;
}

/* The first line wins across calls too: a secret added after
 * keylog_finish() does not replace the one of an earlier line, nor does one
 * of a later text added before it. */
static bool conflict_across_calls(void)
{
	static const char a[] = CHTS R_A " " C_HS "\n";
	static const char b[] = CHTS R_A " " C_AP "\n" SHTS R_B " " S_HS "\n";
	static const char c[] = CHTS R_A " " S_AP "\n" SHTS R_B " " S_AP "\n";
	struct keylog *kl = keylog_new(10);
	CHECK(kl != NULL);
	keylog_add_text(kl, a, sizeof(a) - 1, NULL);
	keylog_finish(kl);
	keylog_add_text(kl, b, sizeof(b) - 1, NULL);
	keylog_add_text(kl, c, sizeof(c) - 1, NULL);
	keylog_finish(kl);
	bool ok = check_want(kl, &(struct want){R_A, KL_CLIENT_HANDSHAKE, C_HS}) &&
	          check_want(kl, &(struct want){R_B, KL_SERVER_HANDSHAKE, S_HS});
	keylog_free(kl);
	return ok;
}

/* Many randoms, each logged twice under one label with different secrets,
 * the second time in the other order: the first line wins for every one,
 * however the sort orders equal randoms. */
static bool conflict_many(void)
{
	enum { N = 300 };
	static char text[N * 2 * 200];
	size_t len = 0;
	struct keylog *kl = keylog_new(10 * N);
	bool ok = true;
	CHECK(kl != NULL);
	for (int pass = 0; pass < 2; pass++)
		for (int j = 0; j < N; j++) {
			/* random: 00 ... i; the secret's first byte says the pass */
			int i = pass ? N - 1 - j : j;
			int n = snprintf(text + len, sizeof(text) - len,
			                 CHTS "%060x%04x %02x%058x%04x\n", 0, i,
			                 pass ? 0x22 : 0x11, 0, i);
			CHECK(n > 0 && (size_t)n < sizeof(text) - len);
			len += (size_t)n;
		}
	size_t taken = keylog_add_text(kl, text, len, NULL);
	keylog_finish(kl);
	for (int i = 0; ok && i < N; i++) {
		uint8_t random[32] = {0};
		random[30] = (uint8_t)(i >> 8);
		random[31] = (uint8_t)i;
		const struct keylog_entry *e = keylog_find(kl, random);
		ok = e && e->s[KL_CLIENT_HANDSHAKE].len == 32 &&
		     e->s[KL_CLIENT_HANDSHAKE].v[0] == 0x11;
		if (!ok)
			check_failf(__LINE__, "random %d: %s", i,
			            e ? "the second line's secret" : "not found");
	}
	keylog_free(kl);
	if (!ok)
		return false;
	CHECK_EQ(taken, 2 * N);
	return true;
}

/* bad_lines is added to, not reset, and may be NULL. */
static bool bad_lines_accumulate(void)
{
	static const char text[] = "nonsense\n" CR R_B " " M48 "\nmore nonsense\n";
	struct keylog *kl = keylog_new(10);
	size_t bad = 5;
	CHECK(kl != NULL);
	size_t t1 = keylog_add_text(kl, text, sizeof(text) - 1, &bad);
	size_t t2 = keylog_add_text(kl, text, sizeof(text) - 1, NULL);
	size_t count = keylog_count(kl);
	keylog_free(kl);
	CHECK_EQ(bad, 7);
	CHECK_EQ(t1, 1);
	CHECK_EQ(t2, 1);
	CHECK_EQ(count, 2);
	return true;
}

/* An empty log: nothing taken, keylog_finish() does not crash (twice), and
 * count and dropped are zero. */
static bool empty_log(void)
{
	struct keylog *kl = keylog_new(10);
	size_t bad = 0;
	CHECK(kl != NULL);
	size_t taken = keylog_add_text(kl, "", 0, &bad);
	keylog_finish(kl);
	keylog_finish(kl);
	size_t count = keylog_count(kl), dropped = keylog_dropped(kl);
	keylog_free(kl);
	CHECK_EQ(taken, 0);
	CHECK_EQ(bad, 0);
	CHECK_EQ(count, 0);
	CHECK_EQ(dropped, 0);
	return true;
}

/* A log of only comments and blank lines is empty too. */
static bool only_comments(void)
{
	static const char text[] = "# SSL/TLS secrets log file\n\n#\n";
	struct keylog *kl = keylog_new(10);
	size_t bad = 0;
	CHECK(kl != NULL);
	size_t taken = keylog_add_text(kl, text, sizeof(text) - 1, &bad);
	keylog_finish(kl);
	size_t count = keylog_count(kl);
	keylog_free(kl);
	CHECK_EQ(taken, 0);
	CHECK_EQ(bad, 0);
	CHECK_EQ(count, 0);
	return true;
}

/* A NULL keylog: finish and free do nothing, find finds nothing, count and
 * dropped are zero. */
static bool null_keylog(void)
{
	uint8_t random[32] = {0};
	keylog_finish(NULL);
	CHECK(keylog_find(NULL, random) == NULL);
	CHECK_EQ(keylog_count(NULL), 0);
	CHECK_EQ(keylog_dropped(NULL), 0);
	keylog_free(NULL);
	return true;
}

/* Many handshakes, logged in descending order of random with their two
 * handshake secrets apart: every random is found with its own secrets after
 * the sort, and a random between two logged ones is not. */
static bool many_handshakes(void)
{
	enum { N = 300 };
	static char text[N * 2 * 200];
	size_t len = 0;
	struct keylog *kl = keylog_new(10 * N);
	bool ok = true;
	CHECK(kl != NULL);
	for (int pass = 0; pass < 2; pass++)
		for (int i = N - 1; i >= 0; i--) {
			/* random: 00 00 ... i/256 i%256, two apart; the secret is
			 * the random with its first byte 0x11 (client) or 0x22 */
			int n = snprintf(
			    text + len, sizeof(text) - len, "%s%060x%04x %02x%058x%04x\n",
			    pass ? SHTS : CHTS, 0, 2 * i, pass ? 0x22 : 0x11, 0, 2 * i);
			CHECK(n > 0 && (size_t)n < sizeof(text) - len);
			len += (size_t)n;
		}
	size_t taken = keylog_add_text(kl, text, len, NULL);
	keylog_finish(kl);
	for (int i = 0; ok && i < N; i++) {
		uint8_t random[32] = {0};
		random[30] = (uint8_t)((2 * i) >> 8);
		random[31] = (uint8_t)(2 * i);
		const struct keylog_entry *e = keylog_find(kl, random);
		ok = e && e->s[KL_CLIENT_HANDSHAKE].len == 32 &&
		     e->s[KL_SERVER_HANDSHAKE].len == 32 && e->s[KL_MASTER].len == 0 &&
		     e->s[KL_CLIENT_HANDSHAKE].v[0] == 0x11 &&
		     e->s[KL_SERVER_HANDSHAKE].v[0] == 0x22 &&
		     memcmp(e->s[KL_CLIENT_HANDSHAKE].v + 1, random + 1, 31) == 0 &&
		     memcmp(e->s[KL_SERVER_HANDSHAKE].v + 1, random + 1, 31) == 0;
		random[31]++; /* odd: never logged */
		ok = ok && keylog_find(kl, random) == NULL;
	}
	size_t count = keylog_count(kl);
	keylog_free(kl);
	CHECK(ok);
	CHECK_EQ(taken, 2 * N);
	CHECK_EQ(count, 2 * N);
	return true;
}

/* keylog_add_file() on a file of text written here; its result, and the
 * error it gives. */
static int add_file(struct keylog *kl, const char *text, char *err, size_t errlen)
{
	char path[] = "/tmp/certscope-test-keylog-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return -2;
	size_t n = strlen(text);
	bool written = write(fd, text, n) == (ssize_t)n;
	close(fd);
	int rc = written ? keylog_add_file(kl, path, err, errlen) : -2;
	unlink(path);
	return rc;
}

/* A key log file of only lines certscope does not use (a client that
 * logged its exporter secrets alone) is a key log, read with nothing taken;
 * a file of no key log line at all is refused as before. */
static bool file_of_other_labels(void)
{
	char err[256] = "";
	struct keylog *kl = keylog_new(10);
	CHECK(kl != NULL);
	int rc = add_file(kl, "EXPORTER_SECRET " R_A " " C_HS "\n", err, sizeof(err));
	int rc_bad = add_file(kl, "hello world\n", err, sizeof(err));
	size_t count = keylog_count(kl);
	keylog_free(kl);
	CHECK_EQ(rc, 0);
	CHECK_EQ(rc_bad, -1);
	CHECK(strstr(err, "no key log line") != NULL);
	CHECK_EQ(count, 0);
	return true;
}

static const struct {
	const char *name;
	bool (*fn)(void);
} seqs[] = {
    {"finish_after_adding", finish_after_adding},
    {"cap_across_calls", cap_across_calls},
    {"conflict_across_calls", conflict_across_calls},
    {"conflict_many", conflict_many},
    {"bad_lines_accumulate", bad_lines_accumulate},
    {"empty_log", empty_log},
    {"only_comments", only_comments},
    {"null_keylog", null_keylog},
    {"many_handshakes", many_handshakes},
    {"file_of_other_labels", file_of_other_labels},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(cases[i].name, run(&cases[i]));
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		check_case(seqs[i].name, seqs[i].fn());
	return check_summary();
}
