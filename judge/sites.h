/* sites.h: what a server port says about the devices on it, the one place
 * certscope keeps port and product knowledge for judging: the service's
 * label, the product trust store that judges each side's chain (DOMAIN.md,
 * "Trust stores on CUCM" and "Where each fix is made"), and the rules that
 * hold there. */
#ifndef CERTSCOPE_SITES_H
#define CERTSCOPE_SITES_H

#include <stdbool.h>
#include <stdint.h>

struct site {
	uint16_t port;
	const char *service; /* CONTRACT.md's service label */
	/* the store of the device that validates, as a template that may name
	 * {peer}: the server judging the client's chain, the client judging
	 * the server's; NULL: "the trust store of the {peer}" */
	const char *server_store, *client_store;
	bool dual_use; /* certificates serve as server and client: both EKUs needed */
	bool collaboration; /* Expressway/VCS rules hold (no wildcards) */
	bool
	    client_itl; /* the client trusts the server through an ITL (phones and TVS) */
	/* where each of those stores takes an upload (fixes/README.txt), as a
	 * template that may name {peer}; NULL: the TLS stack's CA file */
	const char *server_upload, *client_upload;
};

/* The row of a server port, or NULL. */
const struct site *site_for(uint16_t port);
/* The service label of a server port, or NULL. */
const char *service_name(uint16_t port);
/* The service label in at most nine columns ("traversal" for
 * expressway-traversal), or NULL. */
const char *service_short(uint16_t port);
/* The store that judges what the validator (SIDE_CLIENT or SIDE_SERVER)
 * receives on this server port, as a template. */
const char *store_name(uint16_t port, int validator);
/* Where that store takes an upload of ca-bundle.pem, as a template. */
const char *store_upload(uint16_t port, int validator);

#endif
