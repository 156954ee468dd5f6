/* fixkit.h: what to upload where, for every finding whose remedy is a CA
 * added to a device's trust store (CONTRACT.md, "Export").
 *
 * A fix kit builder is given each handshake with its verdict as it is
 * judged.  It keeps the certificates presented (the CAs among them may
 * complete another device's chain) and, for each refused chain whose cause
 * is a missing CA (unknown_ca and certificate_unknown alerts, issuer-not-
 * found, untrusted-root, client-ca-not-accepted, a refusing trust-store-
 * mismatch), the chain of its first handshake and how many handshakes it
 * was seen in.  At the end, fixkit_build() rebuilds each such chain up to
 * its root from the CAs the capture presented, the stores given (every
 * device's) and --ca-pool, each issuer checked by its signature, not by its
 * name alone, and none that is expired or not yet valid today; it says per
 * device (the address, the server port it judges on, its side) which CAs to
 * add, which are missing from every source, and, when an intermediate the
 * chain's sender should have sent was found, a kit for the sender too.
 * Everything is plain data once built: the writers render it without
 * OpenSSL.  One thread.
 */
#ifndef CERTSCOPE_FIXKIT_H
#define CERTSCOPE_FIXKIT_H

#include "../common/endpoint.h"
#include "../common/text.h"
#include "../dissect/tls.h"
#include "findings.h"
#include "truststore.h"
#include "verdict.h"

#include <time.h>

/* Refused chains (one per finding, side, port, store and leaf, with all
 * the devices that refused it) and presented CAs kept; the rest counted. */
#define FIXKIT_MAX_CASES 4096
#define FIXKIT_MAX_CERTS 8192
/* Devices and peers a kit names (with their total). */
#define FIXKIT_LIST_MAX 20
#define FIXKIT_NAME_MAX 128
#define FIXKIT_MAX_WHO  (1u << 20)

struct fixkit_cert {
	unsigned char *der;
	size_t der_len;
	char sha256[65];
	char *subject, *issuer; /* RFC 2253, control characters escaped */
	time_t not_after;
	bool root;            /* self-signed */
	const char *source;   /* "the capture", a store's label, or --ca-pool's */
	bool in_device_store; /* the store given for the device holds it already */
};

/* A CA that is needed and that no source holds: to ask the PKI's owner for. */
struct fixkit_missing {
	char *subject;   /* the issuer name of the certificate that needs it */
	char *key_id;    /* its authority key identifier, hex; "" when absent */
	char *needed_by; /* the subject of the certificate that needs it */
	char needed_sha256[65];
	/* a copy was found but left out: expired or not yet valid today */
	char *unusable;
};

struct fixkit_finding {
	char id[17];
	char *code;
	uint64_t handshakes;
};

/* Addresses, the first FIXKIT_LIST_MAX kept as text ("ADDR", "ADDR:PORT"
 * for a server), all counted (up to FIXKIT_MAX_WHO distinct: then "at
 * least"). */
struct fixkit_who {
	struct string_list first;
	uint64_t n;
	struct addr_set set;
};

/* A kit is one device's, or that of every device that needs the same: its
 * first device names it ("ADDR_PORT_SIDE", "..._and_N_more"). */
struct fix_kit {
	char name[FIXKIT_NAME_MAX]; /* the folder under fixes/ */
	struct endpoint device; /* the first device; .port: the service's server port */
	struct fixkit_who devices; /* every device it is for */
	int side;                  /* SIDE_ the devices are on that port */
	bool send_chain; /* the sender's kit: intermediates to send, not a store */
	char *store;     /* the product store, by name ("CallManager-trust on CUCM") */
	char *upload;    /* where in the product to add it (DOMAIN.md) */
	const char *store_given; /* the label of the store given for it, or NULL */
	struct fixkit_finding *findings;
	size_t n_findings;
	uint64_t handshakes;       /* of all its findings */
	struct fixkit_who peers;   /* the other sides */
	struct fixkit_cert *certs; /* to add (send_chain: to send), root last */
	size_t n_certs;
	struct fixkit_missing *missing;
	size_t n_missing;
	char other[FIXKIT_NAME_MAX]; /* the other side's kit, which may be the better
	                                remedy, or "" */
};

struct fixkit;

/* trust may be NULL; pool (--ca-pool) may be NULL: neither is copied.
 * today: validity of what goes into a bundle is judged as of today. */
struct fixkit *fixkit_new(const struct trust_set *trust, const struct trust_store *pool,
                          time_t today);
void fixkit_free(struct fixkit *k);
/* Takes what hs and its verdict hold for the kits. */
void fixkit_add(struct fixkit *k, const struct handshake *hs, const struct verdict *v);
/* Works out the kits (once; later calls return the same); NULL with *n 0
 * when none. */
const struct fix_kit *fixkit_build(struct fixkit *k, size_t *n);
/* Refused chains past FIXKIT_MAX_CASES, and presented certificates past
 * FIXKIT_MAX_CERTS, not kept. */
uint64_t fixkit_dropped(const struct fixkit *k);
/* The folder names of the kits (those written) a finding's remedy is in,
 * comma separated, or "". */
void fixkit_of_finding(const struct fixkit *k, const char *id, const bool *written,
                       char *buf, size_t len);
/* Kit i is to be written to the folder name (an earlier run's kit has its
 * own); the kits that name it as the other side's follow. */
void fixkit_rename(struct fixkit *k, size_t i, const char *name);
/* Appends to the advice of each finding a kit holds where its kits are,
 * under the export folder dir (after fixkit_build); written[i]: kit i is on
 * the disk (NULL: all are). */
void fixkit_advise(const struct fixkit *k, struct findings *f, const char *dir,
                   const bool *written);

#endif
