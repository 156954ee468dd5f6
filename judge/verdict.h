/* verdict.h: what judge_run() says of one handshake, as plain data.
 *
 * The writers in ui/ render a verdict beside the handshake it judged and
 * call nothing of OpenSSL to do so: every certificate is decoded, every
 * sentence written, before judge_run() returns.  A verdict is caller
 * storage: verdict_fini() frees what it holds.
 */
#ifndef CERTSCOPE_VERDICT_H
#define CERTSCOPE_VERDICT_H

#include "certificate.h"
#include "chain.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

struct diagnosis {
	int code;   /* enum diag_code, see catalogue.h */
	char *name; /* the stable code string, e.g. "alert-unknown-ca" */
	enum severity severity;
	char cert_sha256[65]; /* empty when it concerns no certificate */
	char *message;
	char *advice;
	int side; /* SIDE_ whose certificate or chain it concerns, -1 for none */
	uint8_t alert_code; /* DIAG_ALERT: the alert's code */
	int refused_by;     /* the side that refused that chain, or -1 */
	int fixer;          /* enum fixer (catalogue.h): whose configuration to change */
	/* the finding it belongs to (CONTRACT.md): its id, and the diagnosis of
	 * this handshake that names it (its own index when it is the cause) */
	char finding[17];
	size_t cause;
};

struct verdict {
	const char *service;    /* the sites table's label of the server port, or NULL */
	struct chain chains[2]; /* the presented chains, decoded; by SIDE_ */
	struct string_list ca_names;  /* CertificateRequest's CA names, RFC 2253 */
	struct chain_check *check[2]; /* by SIDE_; NULL where not judged */
	const char *chain_store[2];   /* the label of the store that judged, or NULL */
	struct diagnosis *diags;
	size_t n_diags;
};

void verdict_fini(struct verdict *v);
const char *severity_name(enum severity s);
/* The highest severity of its diagnoses; SEV_INFO with none. */
enum severity verdict_worst(const struct verdict *v);

#endif
