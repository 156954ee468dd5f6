/* fixkit_walk.h: what fixkit.c and fixkit_walk.c share: the refused
 * chains gathered, and the walk of one up to its root. */
#ifndef CERTSCOPE_FIXKIT_WALK_H
#define CERTSCOPE_FIXKIT_WALK_H

#include "fixkit.h"

/* A CA a bundle may take, and where it came from. */
struct source_cert {
	X509 *x;
	const char *source;
};

/* A refused chain whose remedy is a CA: one per finding, side, server port,
 * store and leaf, with every device that refused it and every owner that
 * sent it. */
struct refusal {
	char id[17];
	char *code;
	uint64_t key; /* der_hash of what makes it one */
	/* the first device and owner; .port: the server port, for both */
	struct endpoint device, owner;
	struct fixkit_who devices, owners;
	int side;     /* the devices': SIDE_ */
	X509 **chain; /* as its first handshake presented it */
	size_t n_chain;
	const struct trust_store *store; /* the store given for the device, or NULL */
	uint64_t handshakes;
};

struct fixkit {
	const struct trust_set *trust;
	const struct trust_store *pool;
	time_t today;
	struct source_cert *presented; /* the CAs the capture presented */
	size_t n_presented, cap_presented;
	uint64_t seen[2 * FIXKIT_MAX_CERTS]; /* their der_hash, open addressing */
	struct refusal *refusals;
	size_t n_refusals, cap_refusals;
	uint32_t index[2 * FIXKIT_MAX_CASES]; /* refusal + 1, open addressing */
	uint64_t dropped;
	struct fix_kit *kits;
	size_t n_kits, cap_kits;
	size_t *by_name; /* while building: kits by name (kit_for) */
	size_t name_slots;
	bool built;
};

/* Walks r's chain from its leaf to a root: what the device must add to its
 * store goes to kit, the intermediates its sender should send to sender
 * (may be NULL); true when the sender left out one that was found. */
bool fixkit_walk(const struct fixkit *k, const struct refusal *r, struct fix_kit *kit,
                 struct fix_kit *sender);

#endif
