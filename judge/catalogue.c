/* catalogue.c: the diagnosis catalogue, the phrases its rules choose
 * between, and the renderer that fills templates (catalogue.h).
 *
 * Templates name their variables in braces: {sender}, {subject}, ...; the
 * renderer fills them from the variables each rule passes.  This is the one
 * file that holds certscope's wording of a diagnosis.
 */
#include "catalogue.h"

#include "../dissect/tls.h"
#include "truststore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct catalogue_entry {
	const char *code;
	enum severity severity;
	const char *message;
	const char *advice;
};

static const struct catalogue_entry catalogue[DIAG_COUNT] = {
    [DIAG_ALERT] = {"alert-", SEV_ERROR,
                    "The {sender} sent a {level} {alert} alert: {meaning}.{attribution}",
                    "{alert_advice}"},
    [DIAG_ISSUER_NOT_FOUND] =
        {"issuer-not-found", SEV_ERROR,
         "The issuer of {subject} ({issuer}{aki}) is neither sent by the {side} nor in "
         "the trust store {store}, so the {peer} cannot complete the chain.",
         "{issuer_advice}"},
    [DIAG_UNTRUSTED_ROOT] = {"untrusted-root", SEV_ERROR,
                             "The {side}'s chain ends at the root {subject}, which is "
                             "not in the trust store {store}.",
                             "Upload the root {subject} (SHA-256 {sha256}) to "
                             "{store_name} on the {peer} ({peer_addr})."},
    [DIAG_SELF_SIGNED_LEAF] =
        {"self-signed-leaf", SEV_ERROR,
         "The {side}'s certificate {subject} is self-signed and not in the trust store "
         "{store}.",
         "Upload {subject} (SHA-256 {sha256}) itself to {store_name} on the {peer} "
         "({peer_addr}), or give the {side} a CA-signed certificate."},
    [DIAG_EXPIRED] = {"expired", SEV_ERROR,
                      "The certificate {subject} {origin} expired on {date}, before the "
                      "handshake ({when}).",
                      "{expired_advice}"},
    [DIAG_NOT_YET_VALID] = {"not-yet-valid", SEV_ERROR,
                            "The certificate {subject} {origin} is valid only from "
                            "{date}, after the handshake ({when}).",
                            "{notyet_advice}"},
    [DIAG_EXPIRING_SOON] = {"expiring-soon", SEV_WARNING,
                            "The certificate {subject} sent by the {side} expires on "
                            "{date}, {days} days after the handshake.",
                            "Renew {subject} on the {side} ({addr}) before {date}."},
    [DIAG_EKU_MISSING_CLIENT_AUTH] =
        {"eku-missing-client-auth", SEV_ERROR,
         "The {side}'s certificate {subject} lacks TLS Web Client Authentication "
         "(clientAuth) in its extended key usage{why}.",
         "Reissue {subject} from a template with both TLS Web Server and TLS Web Client "
         "Authentication and install it on the {side} ({addr})."},
    [DIAG_EKU_MISSING_SERVER_AUTH] =
        {"eku-missing-server-auth", SEV_ERROR,
         "The {side}'s certificate {subject} lacks TLS Web Server Authentication "
         "(serverAuth) in its extended key usage{why}.",
         "Reissue {subject} from a template with both TLS Web Server and TLS Web Client "
         "Authentication and install it on the {side} ({addr})."},
    [DIAG_NAME_MISMATCH] =
        {"name-mismatch", SEV_ERROR,
         "The name {name} ({source}) is not among the names of the server's certificate "
         "{subject} ({names}).",
         "Reissue the server's certificate with {name} in its subject alternative names, "
         "or configure the {peer} to verify a name the certificate holds."},
    [DIAG_WILDCARD_NAME] =
        {"wildcard-name", SEV_WARNING,
         "The {side}'s certificate {subject} holds the wildcard name {name}; Expressway "
         "and VCS do not support wildcard certificates.",
         "Where this certificate is used on an Expressway or VCS, reissue it with each "
         "host name listed in the subject alternative names."},
    [DIAG_KEY_TOO_LARGE] = {"key-too-large", SEV_WARNING,
                            "The certificate {subject} has a {bits}-bit RSA key; "
                            "Expressway supports keys up to 4096 bits.",
                            "Reissue {subject} with a 2048, 3072 or 4096-bit key."},
    [DIAG_WEAK_KEY] = {"weak-key", SEV_WARNING,
                       "The certificate {subject} has a {bits}-bit {keytype} key, weaker "
                       "than current peers accept.{level_note}",
                       "Reissue {subject} with an RSA key of at least 2048 bits or an EC "
                       "key of at least 256 bits."},
    [DIAG_WEAK_SIGNATURE] = {"weak-signature", SEV_WARNING,
                             "The certificate {subject} is signed with {algorithm}, "
                             "which current peers refuse.{level_note}",
                             "Have the CA reissue {subject} with a SHA-256 signature."},
    [DIAG_SAN_TOO_LONG] =
        {"san-too-long", SEV_WARNING,
         "The subject alternative names of {subject} hold {chars} characters; Expressway "
         "ignores everything past 999.",
         "Reissue {subject} with fewer names, or split the names across certificates."},
    [DIAG_UNUSUAL_SUBJECT_ATTRIBUTE] =
        {"unusual-subject-attribute", SEV_WARNING,
         "The subject of {subject} holds the unusual attribute {attr}, which breaks "
         "services on Expressway and CUCM.",
         "Reissue {subject} with a subject made of the common attributes only (CN, O, "
         "OU, L, ST, C)."},
    [DIAG_CHAIN_ORDER] =
        {"chain-order", SEV_WARNING,
         "The {side}'s certificates are not in issuing order, or include an unrelated "
         "certificate.",
         "Configure the {side} to send its leaf first, then each issuer in turn."},
    [DIAG_INVALID_ISSUER] = {"invalid-issuer", SEV_ERROR, "{invalid_message}",
                             "{invalid_advice}"},
    [DIAG_TRUST_STORE_DUPLICATE_SUBJECT] =
        {"trust-store-duplicate-subject", SEV_WARNING,
         "The trust store {store} holds two different CA certificates with the subject "
         "{subject} (SHA-256 {sha256} and {other_sha256}); Expressway stops at the first "
         "it finds, so the feature that needs the other fails.",
         "Keep one certificate per subject in {store_name}: remove the one not needed, "
         "or reissue one of them with a distinct subject."},
    [DIAG_NO_CLIENT_CERTIFICATE] =
        {"no-client-certificate", SEV_WARNING,
         "The server asked for a client certificate and the client sent none.{listed}",
         "{nocert_advice}"},
    [DIAG_ABORTED_AFTER_CERTIFICATE] =
        {"aborted-after-certificate", SEV_ERROR,
         "The {closer} closed the connection ({how}) without an alert right after the "
         "{side} sent its certificate {subject}: the {closer} most likely refused it "
         "silently.",
         "Check that the trust store of the {closer} ({closer_addr}) holds the CA that "
         "issued {subject}, and read the {closer}'s logs for the reason."},
    [DIAG_TLS13_ENCRYPTED_CERTIFICATE] =
        {"tls13-encrypted-certificate", SEV_INFO,
         "TLS 1.3 was negotiated and {why}.{inference}",
         "To see them, capture again with a key log of this very capture (set "
         "SSLKEYLOGFILE on the client and pass the file with --keylog, or embed it in "
         "the pcapng with editcap --inject-secrets), or hold a lab peer to TLS 1.2."},
    [DIAG_TRUST_STORE_MISMATCH] = {"trust-store-mismatch", SEV_ERROR,
                                   "{mismatch_message}", "{mismatch_advice}"},
    [DIAG_CLIENT_CA_NOT_ACCEPTED] =
        {"client-ca-not-accepted", SEV_ERROR,
         "The server accepts client certificates from {cas} only, and no certificate of "
         "the client's chain is one of them or issued by one.",
         "Install on the client ({addr}) a certificate issued by a CA the server trusts, "
         "or upload the client's issuing CA to the server's trust store."},
    [DIAG_CAPTURE_ONE_SIDED] =
        {"capture-one-sided", SEV_INFO,
         "Only the {seen}'s packets are in the capture; what the {unseen} sent (its "
         "certificate, its alerts) cannot be seen.",
         "Capture where both directions pass: on one of the two hosts, or a SPAN session "
         "that mirrors both directions."},
    [DIAG_CAPTURE_GAP] =
        {"capture-gap", SEV_WARNING,
         "Bytes the {side} sent during the handshake are missing from the capture, so a "
         "message could not be read.{cut}",
         "Capture with -s 0 and a larger buffer, and check the SPAN port for drops."},
    [DIAG_MALFORMED_HANDSHAKE] =
        {"malformed-handshake", SEV_WARNING,
         "The {side}'s {what} could not be parsed: {problem}; what it held past that "
         "point was not read.",
         "Compare with tshark or Wireshark on the same capture; if the bytes are as "
         "captured, report the {side} ({addr}) to its vendor with the capture."},
    [DIAG_CERTIFICATE_UNDECODABLE] =
        {"certificate-undecodable", SEV_ERROR,
         "Certificate {position} of the {side}'s chain (SHA-256 {sha256}, "
         "{size} bytes) is not valid DER: {why}. The {peer} cannot decode it "
         "either and will refuse it.",
         "Install on the {side} ({addr}) the certificate exactly as its CA "
         "issued it (PEM, or DER unchanged); if it was converted or edited, "
         "convert it again with openssl x509 and check it with openssl x509 "
         "-noout -text."},
};

const char *diag_code_name(enum diag_code code)
{
	return code < DIAG_COUNT ? catalogue[code].code : "?";
}

enum severity diag_severity(enum diag_code code)
{
	return code < DIAG_COUNT ? catalogue[code].severity : SEV_ERROR;
}

static const char *const phrases[PH_COUNT] = {
    [PH_ATTRIBUTION_VERIFIES] =
        " Against the trust store {store} the {receiver}'s chain verifies, so the "
        "{sender}'s own trust store lacks {anchor} (SHA-256 {anchor_sha256}).",
    [PH_ATTRIBUTION_ISSUER] = " The {receiver}'s chain does not verify against {store} "
                              "either: its issuer {missing} is missing.",
    [PH_ATTRIBUTION_ROOT] = " The {receiver}'s chain does not verify against {store} "
                            "either: its root {anchor} is not trusted there.",
    [PH_ATTRIBUTION_OTHER] =
        " The {receiver}'s chain does not verify against {store} either ({reason}).",
    [PH_ADVICE_UPLOAD_ANCHOR] = "Upload {anchor} (SHA-256 {anchor_sha256}) to "
                                "{store_name} on the {sender} ({sender_addr}).",
    [PH_ADVICE_SEND_INTERMEDIATE] =
        "Configure the {side} ({addr}) to send its intermediate {issuer} with its "
        "certificate, or upload {issuer} and its root to {store_name} on the {peer} "
        "({peer_addr}).",
    [PH_ADVICE_UPLOAD_ISSUER] = "Upload the CA {issuer} (and any CA above it) to "
                                "{store_name} on the {peer} ({peer_addr}).",
    [PH_ADVICE_NOTYET_SENT] = "Check the clocks of the {side} and the {peer} (NTP), or "
                              "reissue {subject} with a correct start date.",
    [PH_ADVICE_NOTYET_ANCHOR] =
        "Check the clock of the device that judged the chain (NTP), or replace {subject} "
        "in the trust store {store} with a certificate valid at {when}.",
    [PH_ADVICE_RENEW_SENT] = "Renew {subject} on the {side} ({addr}) and install the new "
                             "certificate with its chain.",
    [PH_ADVICE_RENEW_ANCHOR] =
        "Replace the expired CA {subject} (SHA-256 {sha256}) in {store_name}: Expressway "
        "refuses a trust list that holds an expired certificate.",
    [PH_ORIGIN_SENT] = "sent by the {side}",
    [PH_GAP_HELLO_CUT] = " The capture holds {captured} of the {total} bytes of the "
                         "client's ClientHello (the snaplen cut it): its fields up to "
                         "there were read, the rest was not.",
    [PH_ORIGIN_STORE] = "in the trust store {store}",
    [PH_INFERENCE_ALERT] =
        " Inferred from the encrypted records: the {closer} sent a {len}-byte record, "
        "the size of an encrypted alert, {ms} ms after the {other}'s last record, then "
        "closed the connection ({how}); the {closer} most likely refused the {other}'s "
        "certificate.",
    [PH_INFERENCE_WENT_ON] =
        " Inferred from the encrypted records: both sides went on to exchange encrypted "
        "records, so the handshake most likely completed.",
    [PH_INFERENCE_CLOSE] =
        " Inferred from the encrypted records: the {closer} closed the connection first "
        "({how}), after {client_records} encrypted records from the client and "
        "{server_records} from the server.",
    [PH_EKU_WHY_DUAL] = ", which {service} needs on both sides",
    [PH_EKU_WHY_SERVER] = ", so clients refuse it as a server certificate",
    [PH_EKU_WHY_CLIENT] = ", so servers that check it refuse it as a client certificate",
    [PH_NAME_FROM_EXPECT] = "the name given with --expect-name",
    [PH_NAME_FROM_SNI] = "the SNI the client sent",
    [PH_NO_SAN] = "no subject alternative names; subject {subject}",
    [PH_MISMATCH_REFUSED] = "The {sender} refused the {side}'s chain with {alert}, yet "
                            "the trust store {store} given for the {sender} accepts that "
                            "chain and nothing else on it explains the refusal.",
    [PH_MISMATCH_REFUSED_ADVICE] =
        "The {sender} ({sender_addr}) does not use {store}: export its current trust "
        "list ({store_name}) again, from the very peer that refused (a stale export or "
        "another cluster peer), and look there for {anchor} (SHA-256 {anchor_sha256}).",
    [PH_MISMATCH_COMPLETED] =
        "The {peer} completed the handshake with the {side}'s chain, yet the trust store "
        "{store} given for the {peer} rejects that chain: {store_says}. So the {peer} "
        "does not judge with {store} (a stale export, another cluster peer, or another "
        "device's list).",
    [PH_MISMATCH_COMPLETED_ADVICE] =
        "Nothing needs to change for this handshake. To judge the {peer} ({peer_addr}) "
        "right, export the trust list it uses now ({store_name}) and give that instead "
        "of {store}.",
    [PH_STORE_SAYS_ISSUER] = "the issuer {issuer} of {subject} is not in it",
    [PH_STORE_SAYS_ROOT] = "the root {subject} is not in it",
    [PH_STORE_SAYS_SELF_SIGNED] = "the self-signed certificate {subject} is not in it",
    [PH_STORE_SAYS_EXPIRED] = "its CA {subject} expired on {date}",
    [PH_STORE_SAYS_NOTYET] = "its CA {subject} is valid only from {date}",
    [PH_MISMATCH_ITL_ADVICE] =
        "Nothing needs to change for this handshake: the phone ({peer_addr}) trusts "
        "{subject} through the ITL file it downloads from TFTP, not through a store. To "
        "judge the phone, give the cluster's TVS and TFTP certificates as its trust "
        "store.",
    [PH_ATTRIBUTION_EXPLAINED] = " The likely reason is {cause} (see that diagnosis), "
                                 "not the {sender}'s trust store.",
    [PH_ADVICE_ITL] =
        "The phone ({peer_addr}) trusts {subject} through the ITL file it downloads from "
        "TFTP, not through a store to upload to: if the TVS or TFTP certificate was "
        "regenerated, reset the phone's trust list (or use the cluster's ITL recovery) "
        "so it fetches the current ITL.",
    [PH_ANOMALY_SHORT] = "a length field runs past the end of the message",
    [PH_ANOMALY_TRAILING] = "bytes are left over after its last field",
    [PH_ANOMALY_INVALID] =
        "it holds a value the TLS specification does not allow (a repeated or misplaced "
        "extension, an empty name, a wrong message type)",
    [PH_ANOMALY_UNKNOWN] = "its message type is not one TLS defines",
    [PH_ANOMALY_OVERSIZED] =
        "it is larger than the cap on one handshake message (--cap handshake-msg raises "
        "it), so the rest of that flight was skipped",
    [PH_ANOMALY_ALERTS_CAP] = "it sent more alerts than certscope keeps (64)",
    [PH_ANOMALY_RESYNC] = "its bytes stopped lining up with TLS records, and reading "
                          "resumed at the next plausible record",
    [PH_KIT_SEND_STORE] = "the chain the {side} sends with its certificate",
    [PH_KIT_SEND_UPLOAD] =
        "Make the {side} send these intermediates after its own certificate, which fixes "
        "every peer at once.  On an Expressway: append intermediates.pem to its Trusted "
        "CA list (it sends the intermediates it finds there), or upload its server "
        "certificate with its chain at Maintenance > Security certificates > Server "
        "certificate.  On CUCM: Cisco Unified OS Administration > Security > Certificate "
        "Management > Upload Certificate/Certificate chain, the certificate with its "
        "chain.  Elsewhere: append intermediates.pem to the certificate file the "
        "service is configured with.",
    [PH_KIT_ADVICE] = " The certificates to upload, and where, are in {kits}.",
    [PH_ATTRIBUTION_HOLDS] =
        " The trust store {store} given for the {sender} holds {anchor} (SHA-256 "
        "{anchor_sha256}) and accepts the {receiver}'s chain, so the {sender} judged "
        "with another list than the one given, or refused for a reason the capture "
        "does not show.",
    [PH_ATTRIBUTION_NOT_STORE] = " The {receiver}'s chain verifies against {store}, "
                                 "which holds its root {anchor}, so a missing CA is "
                                 "not the reason.",
    [PH_INVALID_CA_FALSE] =
        "The certificate {subject} {origin} issued {child}, but its basic constraints "
        "say CA:FALSE, so it may not issue certificates (RFC 5280, section 4.2.1.9).",
    [PH_INVALID_NO_BASIC_CONSTRAINTS] =
        "The certificate {subject} {origin} issued {child}, but it has no basic "
        "constraints extension, so it is no CA and may not issue certificates (RFC "
        "5280, section 4.2.1.9).",
    [PH_INVALID_NO_CERTSIGN] =
        "The CA certificate {subject} {origin} issued {child}, but its key usage lacks "
        "keyCertSign, so it may not sign certificates (RFC 5280, section 4.2.1.3).",
    [PH_INVALID_PATH_LENGTH] =
        "The CA certificate {subject} {origin} allows at most {pathlen} CA "
        "certificates below it (pathLenConstraint, RFC 5280, section 4.2.1.9), and the "
        "chain has {below} between it and the {side}'s certificate.",
    [PH_INVALID_NAMES] =
        "The certificate {subject} {origin} holds a name outside the name constraints "
        "of {constrainer} ({why}; RFC 5280, section 4.2.1.10).",
    [PH_INVALID_PURPOSE] =
        "The CA certificate {subject} {origin} has an extended key usage without "
        "{purpose}, so it may not issue the {side}'s TLS certificate (RFC 5280, section "
        "4.2.1.12, as verifiers apply it to CAs).",
    [PH_INVALID_ADVICE_CA] =
        "Have the PKI reissue {subject} as a CA certificate (basic constraints CA:TRUE, "
        "key usage keyCertSign), reissue {child} from it and install the new chain on "
        "the {side} ({addr}); no trust store change fixes this.",
    [PH_INVALID_ADVICE_PATH_LENGTH] =
        "Have the PKI reissue {subject} with a path length constraint that allows the "
        "CAs below it, or issue the {side}'s certificate from a CA fewer levels down, "
        "and install the new chain on the {side} ({addr}); no trust store change "
        "fixes this.",
    [PH_INVALID_ADVICE_NAMES] =
        "Reissue {subject} with names inside what {constrainer} permits and install it "
        "on the {side} ({addr}), or have the PKI reissue {constrainer} with constraints "
        "that include them; no trust store change fixes this.",
    [PH_INVALID_ADVICE_PURPOSE] =
        "Have the PKI reissue {subject} with {purpose} in its extended key usage (or "
        "without the extension) and install the new chain on the {side} ({addr}); no "
        "trust store change fixes this.",
    [PH_LEVEL_REFUSES] = " A peer on OpenSSL at its default security level ({level}) "
                         "refuses it ({why}).",
    [PH_ADVICE_FOLLOW] = "Do what the {cause} diagnosis advises: it is the likely "
                         "reason for the alert.",
    [PH_NOCERT_ADVICE] =
        "If the server requires mutual TLS (an Expressway traversal zone, SIP over TLS "
        "to CUCM), install a certificate with clientAuth on the client ({addr}).",
    [PH_NOCERT_LISTED] =
        " Its CertificateRequest lists the CAs {cas}: a client with no certificate from "
        "one of them sends none (Java does), even when it has one from another CA.",
    [PH_NOCERT_ADVICE_LISTED] =
        "Install on the client ({addr}) a certificate with clientAuth issued by one of "
        "{cas}, or add the CA of the client's certificate to the server's trust store "
        "(the server lists the CAs of its store).",
    [PH_MEANING_REFUSED] = "the {sender} refused the {receiver}'s certificate",
    [PH_LEVEL_REASON] = "{why}, at OpenSSL's default security level {level}",
    [PH_ADVICE_EXPLAINED] = "Do what the {cause} diagnosis advises: that, not a CA "
                            "missing from the {sender}'s trust store, is the likely "
                            "reason for the alert.",
    [PH_ADVICE_STORE_HOLDS] =
        "Compare the trust list the {sender} ({sender_addr}) uses ({store_name}) with "
        "{store}, which holds {anchor} (SHA-256 {anchor_sha256}): if that list lacks "
        "{anchor}, upload it there; if it holds it, read the {sender}'s logs for the "
        "reason.",
};

enum fixer diag_fixer(enum diag_code code)
{
	switch (code) {
	case DIAG_ALERT:
	case DIAG_ISSUER_NOT_FOUND:
	case DIAG_UNTRUSTED_ROOT:
	case DIAG_TRUST_STORE_DUPLICATE_SUBJECT:
	case DIAG_TRUST_STORE_MISMATCH:
		return FIX_VALIDATOR;
	case DIAG_ABORTED_AFTER_CERTIFICATE:
	case DIAG_TLS13_ENCRYPTED_CERTIFICATE:
	case DIAG_CAPTURE_ONE_SIDED:
	case DIAG_CAPTURE_GAP:
	case DIAG_MALFORMED_HANDSHAKE:
	case DIAG_COUNT:
		return FIX_NONE;
	default:
		return FIX_OWNER;
	}
}

bool diag_names_store(enum diag_code code)
{
	return diag_fixer(code) == FIX_VALIDATOR || code == DIAG_SELF_SIGNED_LEAF;
}

/* What each refusing alert most likely means, strongest first; the
 * general order after it.  A stack's alert is read from what the chain
 * shows: unknown_ca and certificate_unknown point at the stores,
 * certificate_expired at validity, unsupported_certificate at the purpose,
 * bad_certificate at names and signatures, handshake_failure at a missing
 * client certificate. */
static const struct {
	uint8_t alert;
	enum diag_code first[5];
} alert_causes[] = {
    {48,
     {DIAG_INVALID_ISSUER, DIAG_ISSUER_NOT_FOUND, DIAG_UNTRUSTED_ROOT,
      DIAG_SELF_SIGNED_LEAF, DIAG_CLIENT_CA_NOT_ACCEPTED}},
    {46,
     {DIAG_INVALID_ISSUER, DIAG_ISSUER_NOT_FOUND, DIAG_UNTRUSTED_ROOT,
      DIAG_SELF_SIGNED_LEAF, DIAG_CLIENT_CA_NOT_ACCEPTED}},
    {45, {DIAG_EXPIRED, DIAG_NOT_YET_VALID, DIAG_COUNT, DIAG_COUNT, DIAG_COUNT}},
    {43,
     {DIAG_EKU_MISSING_SERVER_AUTH, DIAG_EKU_MISSING_CLIENT_AUTH, DIAG_INVALID_ISSUER,
      DIAG_COUNT, DIAG_COUNT}},
    {42,
     {DIAG_CERTIFICATE_UNDECODABLE, DIAG_INVALID_ISSUER, DIAG_NAME_MISMATCH,
      DIAG_WEAK_SIGNATURE, DIAG_WEAK_KEY}},
    {50, {DIAG_CERTIFICATE_UNDECODABLE, DIAG_COUNT, DIAG_COUNT, DIAG_COUNT, DIAG_COUNT}},
    {40,
     {DIAG_NO_CLIENT_CERTIFICATE, DIAG_CLIENT_CA_NOT_ACCEPTED, DIAG_COUNT, DIAG_COUNT,
      DIAG_COUNT}},
    {116, {DIAG_NO_CLIENT_CERTIFICATE, DIAG_COUNT, DIAG_COUNT, DIAG_COUNT, DIAG_COUNT}},
};

int diag_cause_rank(enum diag_code code, uint8_t alert)
{
	/* what the chain shows first, then what the store says, then the
	 * softer findings a stricter peer refuses */
	static const enum diag_code order[] = {
	    DIAG_CERTIFICATE_UNDECODABLE,
	    DIAG_EXPIRED,
	    DIAG_NOT_YET_VALID,
	    DIAG_INVALID_ISSUER,
	    DIAG_NAME_MISMATCH,
	    DIAG_EKU_MISSING_SERVER_AUTH,
	    DIAG_EKU_MISSING_CLIENT_AUTH,
	    DIAG_ISSUER_NOT_FOUND,
	    DIAG_UNTRUSTED_ROOT,
	    DIAG_SELF_SIGNED_LEAF,
	    DIAG_CLIENT_CA_NOT_ACCEPTED,
	    DIAG_NO_CLIENT_CERTIFICATE,
	    DIAG_TRUST_STORE_MISMATCH,
	    DIAG_WEAK_SIGNATURE,
	    DIAG_WEAK_KEY,
	    DIAG_KEY_TOO_LARGE,
	};
	for (size_t i = 0; i < sizeof(alert_causes) / sizeof(alert_causes[0]); i++) {
		if (alert_causes[i].alert != alert)
			continue;
		for (int k = 0; k < 5; k++)
			if (alert_causes[i].first[k] == code)
				return k;
	}
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] == code)
			return 5 + (int)i;
	return -1;
}

const char *phrase(enum phrase p)
{
	return p < PH_COUNT && phrases[p] ? phrases[p] : "";
}

/* ---- alerts ------------------------------------------------------------- */

struct alert_words {
	uint8_t code;
	bool certificate; /* sent by a side that refused the peer's certificate */
	const char *meaning;
};

/* RFC 8446 section 6, plus the codes earlier versions defined: what the
 * sender of each alert objects to. */
static const struct alert_words alerts[] = {
    {0, false, "the {sender} is closing the connection normally"},
    {10, false, "the {sender} received a message it did not expect at this point"},
    {20, false, "a record failed its integrity check"},
    {21, false, "a record could not be decrypted"},
    {22, false, "a record was longer than allowed"},
    {30, false, "a record could not be decompressed"},
    {40, false,
     "the {sender} found no acceptable set of parameters (versions, cipher suites, "
     "signature algorithms or a required client certificate)"},
    {41, true, "the {sender} has no certificate to send (SSL 3.0)"},
    {42, true,
     "the {sender} refused the {receiver}'s certificate (OpenSSL: as corrupt or with a "
     "signature that does not verify; GnuTLS also for an issuer it cannot find or a "
     "CA's constraints broken)"},
    {43, true,
     "the {sender} refused the {receiver}'s certificate as of an unsupported type or "
     "purpose (often a missing extended key usage)"},
    {44, true,
     "the {sender} refused the {receiver}'s certificate because its issuer revoked it"},
    {45, true,
     "the {sender} refused the {receiver}'s certificate because it has expired or is not "
     "yet valid by the {sender}'s clock"},
    {46, true,
     "the {sender} refused the {receiver}'s certificate (Java stacks such as CUCM tomcat "
     "say this when the chain does not reach a CA in their trust store, OpenSSL when a "
     "name constraint is broken)"},
    {47, false, "a field of a message was out of range or inconsistent"},
    {48, true,
     "the {sender} could not tie the {receiver}'s certificate chain to a CA in its own "
     "trust store"},
    {49, true,
     "the {sender} denies the {receiver} access (by policy; a GnuTLS server also sends "
     "it, then bad_certificate, when it refuses a client's certificate)"},
    {50, false, "a message could not be decoded"},
    {51, false, "a handshake signature or the Finished message did not verify"},
    {60, false, "an export-restricted parameter was refused"},
    {70, false,
     "the {sender} does not support the protocol version the {receiver} offered"},
    {71, false,
     "the {receiver} offered only parameters weaker than the {sender} requires"},
    {80, false, "the {sender} failed for an internal reason"},
    {86, false, "the {receiver} retried with a lower version than both support"},
    {90, false, "the {sender}'s user cancelled the handshake"},
    {100, false, "the {sender} refuses to renegotiate"},
    {109, false, "a required extension was missing"},
    {110, false, "the {receiver} sent an extension it may not send here"},
    {111, true, "the {sender} could not fetch a certificate from a URL"},
    {112, false, "the {sender} has no service for the name in the SNI"},
    {113, true, "the {sender} refused the OCSP status the {receiver} stapled"},
    {114, false, "a certificate hash did not match"},
    {115, false, "the {sender} does not know the offered PSK identity"},
    {116, true, "the {sender} requires a client certificate and none was sent"},
    {120, false, "no ALPN protocol offered is supported by the {sender}"},
};

static const struct alert_words *alert_find(uint8_t code)
{
	for (size_t i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
		if (alerts[i].code == code)
			return &alerts[i];
	return NULL;
}

bool alert_is_certificate(uint8_t code)
{
	const struct alert_words *e = alert_find(code);
	return e && e->certificate;
}

const char *alert_meaning(uint8_t code)
{
	const struct alert_words *e = alert_find(code);
	return e ? e->meaning : "the alert code is not one certscope knows";
}

/* What to do about an alert; {sender} refused what {receiver} sent. */
static const struct {
	uint8_t code;
	const char *advice;
} alert_advices[] = {
    {45, "Renew the {receiver}'s certificate {receiver_subject}, or correct the clock of "
         "the {sender} ({sender_addr})."},
    {43, "Reissue the {receiver}'s certificate {receiver_subject} with the key usage the "
         "{sender} needs (TLS Web Server and Client Authentication)."},
    {42, "Check the {receiver}'s certificate {receiver_subject} and its signature "
         "algorithm; reissue it if the {sender} cannot parse or verify it."},
    {44, "The {receiver}'s certificate {receiver_subject} was revoked: issue and install "
         "a new one."},
    {116, "Install a client certificate on the {receiver} ({receiver_addr})."},
    {40,
     "Compare the TLS versions and cipher suites both sides allow; if the server asked "
     "for a client certificate, check that the client ({client_addr}) has one."},
    {70, "Enable a TLS version both sides support."},
    {71, "Allow stronger cipher suites on the {receiver}."},
    {112, "Configure the server with a certificate or virtual host for the name the "
          "client sent."},
};

const char *alert_advice(uint8_t code, bool receiver_sent_chain, bool sent_intermediates,
                         bool sent_root)
{
	if (code == 48 || code == 46) { /* unknown_ca, certificate_unknown */
		if (!receiver_sent_chain)
			return "The {sender} could not verify the {receiver}: check that "
			       "the {receiver} ({receiver_addr}) sends a certificate and "
			       "its chain.";
		/* a chain sent up to its root lacks nothing but the sender's trust */
		if (sent_root)
			return "Add the root {sent_root} that the {receiver} sent to "
			       "{store_name} on the {sender} ({sender_addr}), if the "
			       "{sender} is to trust it. The alert does not mean the "
			       "{receiver} lacks a CA.";
		/* a chain sent with its intermediates lacks only what is above them */
		if (sent_intermediates)
			return "Add the root CA above the chain the {receiver} sent to "
			       "{store_name} on the {sender} ({sender_addr}). The alert "
			       "does "
			       "not mean the {receiver} lacks a CA.";
		return "Add the CA that issued {receiver_subject} (its intermediate and "
		       "root) to {store_name} on the {sender} ({sender_addr}), or have "
		       "the {receiver} send its full chain. The alert does not mean the "
		       "{receiver} lacks a CA.";
	}
	for (size_t i = 0; i < sizeof(alert_advices) / sizeof(alert_advices[0]); i++)
		if (alert_advices[i].code == code)
			return alert_advices[i].advice;
	return "Read the {sender}'s logs ({sender_addr}) for the reason it ended the "
	       "handshake.";
}

/* Why a TLS 1.3 handshake could not be read, and what of it was not. */
#define UNREAD                                                                           \
	", so the certificates and any later alerts are encrypted and were not checked"
static const char *const decryption_whys[] = {
    [DECRYPT_NONE] = "no key log was given" UNREAD,
    [DECRYPT_NO_KEYLOG] = "no key log was given" UNREAD,
    [DECRYPT_NO_SECRETS] =
        "the key log holds no secrets for this connection's ClientHello" UNREAD,
    [DECRYPT_PENDING] =
        "no encrypted record followed the ServerHello in the capture" UNREAD,
    [DECRYPT_OK] = "",
    [DECRYPT_FAILED] =
        "the key log's secrets for this connection did not decrypt it (a record failed "
        "authentication: the key log belongs to another session, or is damaged)" UNREAD,
    [DECRYPT_NO_CLIENT_SECRET] =
        "the key log holds SERVER_HANDSHAKE_TRAFFIC_SECRET but not "
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET for this connection, so the server's flight was "
        "read and its certificates checked, but not the client's encrypted records (its "
        "certificate, its Finished, any alert it sent encrypted; the server's own key "
        "log holds both secrets)",
    [DECRYPT_NO_SERVER_SECRET] =
        "the key log holds CLIENT_HANDSHAKE_TRAFFIC_SECRET but not "
        "SERVER_HANDSHAKE_TRAFFIC_SECRET for this connection, so the client's records "
        "were read but not the server's flight: its certificates and any alert it sent "
        "encrypted were not checked",
};
#undef UNREAD

const char *decryption_why(int decryption)
{
	if (decryption < 0 ||
	    (size_t)decryption >= sizeof(decryption_whys) / sizeof(decryption_whys[0]) ||
	    !decryption_whys[decryption])
		return "";
	return decryption_whys[decryption];
}

/* What the summary calls a trust store's own housekeeping. */
const char *store_finding_code(enum store_finding_kind kind)
{
	return kind == STORE_EXPIRED_ANCHOR ? "expired" : "trust-store-duplicate-subject";
}

const char *store_finding_text(enum store_finding_kind kind)
{
	return kind == STORE_EXPIRED_ANCHOR ? "expired CA certificate"
	                                    : "two CA certificates share the subject";
}

/* ---- rendering ---------------------------------------------------------- */

static const char *var_get(const struct vars *vs, const char *name, size_t len)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strlen(vs->v[i].name) == len && memcmp(vs->v[i].name, name, len) == 0)
			return vs->v[i].value;
	return NULL;
}

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* The variables whose values are templates of this file.  Every other value
 * (a subject, a SAN, the SNI, a path) is text from outside, copied as it is:
 * expanded, a subject holding "{subject}" would repeat itself at each level
 * (k names make k^3 copies) and could make a sentence say anything. */
static bool template_var(const char *name, size_t len)
{
	static const char *const names[] = {
	    "meaning",          "alert_advice",    "attribution",     "store_name",
	    "origin",           "expired_advice",  "issuer_advice",   "notyet_advice",
	    "mismatch_message", "mismatch_advice", "invalid_message", "invalid_advice",
	    "listed",           "nocert_advice",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return true;
	return false;
}

/* A value may itself hold {names} (the alert advice holds {store_name},
 * which may hold {peer}), so template values are expanded again, a few
 * levels deep. */
static char *render_depth(const char *tmpl, const struct vars *vs, int depth)
{
	struct sbuf b = {0};
	sb_add(&b, "", 0);
	for (const char *p = tmpl; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const char *val =
		    close ? var_get(vs, p + 1, (size_t)(close - p - 1)) : NULL;
		if (val) {
			if (depth > 0 && template_var(p + 1, (size_t)(close - p - 1)) &&
			    strchr(val, '{')) {
				char *inner = render_depth(val, vs, depth - 1);
				if (inner)
					sb_add(&b, inner, strlen(inner));
				free(inner);
			} else {
				sb_add(&b, val, strlen(val));
			}
			p = close + 1;
		} else {
			/* literal text up to the next brace, in one piece */
			size_t n = 1;
			while (p[n] && p[n] != '{')
				n++;
			sb_add(&b, p, n);
			p += n;
		}
	}
	return b.p;
}

char *render(const char *tmpl, const struct vars *vs)
{
	return render_depth(tmpl, vs, 3);
}

void diag_add(struct verdict *v, int side, enum diag_code code, const char *alert,
              enum severity sev, const char *sha256, const struct vars *vs)
{
	struct diagnosis *dv = realloc(v->diags, (v->n_diags + 1) * sizeof(*dv));
	if (!dv)
		return;
	v->diags = dv;
	struct diagnosis *d = &dv[v->n_diags];
	memset(d, 0, sizeof(*d));
	d->code = code;
	d->side = side;
	d->cause = v->n_diags;
	d->fixer = diag_fixer(code);
	if (code == DIAG_ALERT) {
		size_t n = strlen("alert-") + strlen(alert) + 1;
		d->name = malloc(n);
		if (d->name) {
			snprintf(d->name, n, "alert-%s", alert);
			for (char *q = d->name; *q; q++)
				if (*q == '_')
					*q = '-';
		}
	} else {
		d->name = strdup(diag_code_name(code));
	}
	d->severity = sev;
	if (sha256)
		snprintf(d->cert_sha256, sizeof(d->cert_sha256), "%s", sha256);
	d->message = render(catalogue[code].message, vs);
	d->advice = render(catalogue[code].advice, vs);
	if (!d->name || !d->message || !d->advice) {
		free(d->name);
		free(d->message);
		free(d->advice);
		return;
	}
	v->n_diags++;
}
