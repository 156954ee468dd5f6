/* export_kits.c: the fix kits as files (CONTRACT.md, "Export"): for each,
 * fixes/<kit>/ca-bundle.pem (intermediates.pem for a sender's kit), the CA
 * certificates to add, root last, each after comment lines; and README.txt
 * saying which device and store, where to upload, what it fixes and what
 * no source held. */
#include "output.h"

#include "../common/text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define README_WIDTH 76

static const char *bundle_name(const struct fix_kit *kit)
{
	return kit->send_chain ? "intermediates.pem" : "ca-bundle.pem";
}

static bool put_bundle(FILE *f, const void *arg)
{
	const struct fix_kit *kit = arg;
	bool ok = true;
	fprintf(f, "# certscope fix kit %s: %s, root last\n", kit->name,
	        kit->send_chain ? "the intermediates to send"
	                        : "the CA certificates to add");
	for (size_t i = 0; i < kit->n_certs && ok; i++) {
		const struct fixkit_cert *c = &kit->certs[i];
		char note[256];
		snprintf(note, sizeof(note), "%s, from %s",
		         c->root ? "a root" : "an intermediate", c->source);
		pem_comment(f, i, kit->n_certs, c->subject, c->issuer, c->not_after,
		            c->sha256, note);
		ok = pem_write_der(f, c->der, c->der_len);
	}
	return ok;
}

/* A line of certificate text, escaped. */
static void put_escaped(FILE *f, const char *lead, const char *s)
{
	char *e = s ? escape_text((const uint8_t *)s, strlen(s)) : NULL;
	fprintf(f, "%s%s\n", lead, e ? e : "?");
	free(e);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void put_list(FILE *f, const struct string_list *l, uint64_t total)
{
	for (size_t i = 0; i < l->n; i++)
		fprintf(f, "%s%s", i ? ", " : "", l->v[i]);
	if (total > l->n)
		fprintf(f, " ... (%" PRIu64 " in all)", total);
	fputc('\n', f);
}

static void put_device(FILE *f, const struct fix_kit *kit)
{
	const char *role = kit->side == SIDE_SERVER ? "server" : "client";
	if (kit->devices.n > 1)
		fprintf(f, "Device: %" PRIu64 " %ss %s port %u, each the same: ",
		        kit->devices.n, role,
		        kit->side == SIDE_SERVER ? "on" : "connecting to servers on",
		        kit->device.port);
	else if (kit->side == SIDE_SERVER)
		fprintf(f, "Device: the server on port %u: ", kit->device.port);
	else
		fprintf(f, "Device: the client connecting to servers on port %u: ",
		        kit->device.port);
	put_list(f, &kit->devices.first, kit->devices.n);
	fprintf(f, "Peers:  ");
	put_list(f, &kit->peers.first, kit->peers.n);
	if (kit->send_chain)
		fprintf(f, "What:   %s\n", kit->store ? kit->store : "?");
	else {
		fprintf(f, "Store:  %s\n", kit->store ? kit->store : "?");
		if (kit->store_given) {
			char *g = escape_text((const uint8_t *)kit->store_given,
			                      strlen(kit->store_given));
			fprintf(f, "        (judged here with the store given: %s)\n",
			        g ? g : "?");
			free(g);
		} else
			fprintf(f, "        (no store was given for this device)\n");
	}
	fprintf(f, "Fixes:  %zu %s, %" PRIu64 " %s:\n", kit->n_findings,
	        plural(kit->n_findings, "finding", "findings"), kit->handshakes,
	        plural(kit->handshakes, "handshake", "handshakes"));
	for (size_t i = 0; i < kit->n_findings; i++)
		fprintf(f, "          %s (finding %s), %" PRIu64 " %s\n",
		        kit->findings[i].code, kit->findings[i].id,
		        kit->findings[i].handshakes,
		        plural(kit->findings[i].handshakes, "handshake", "handshakes"));
}

static void put_certs(FILE *f, const struct fix_kit *kit)
{
	if (!kit->n_certs) {
		fprintf(f,
		        "\nNo source held a CA this device needs: %s is not written.\n",
		        bundle_name(kit));
		return;
	}
	fprintf(f, "\n%s holds %zu %s, %s:\n", bundle_name(kit), kit->n_certs,
	        plural(kit->n_certs, "certificate", "certificates"),
	        kit->n_certs > 1 ? "root last" : "the only one");
	for (size_t i = 0; i < kit->n_certs; i++) {
		const struct fixkit_cert *c = &kit->certs[i];
		char when[32], lead[32];
		time_format(c->not_after, when, sizeof(when));
		snprintf(lead, sizeof(lead), "  %zu. ", i + 1);
		put_escaped(f, lead, c->subject);
		fprintf(f, "     SHA-256 %s, %s, valid until %s\n", c->sha256,
		        c->root ? "root" : "intermediate", when);
		put_escaped(f, "     from ", c->source);
		if (c->in_device_store)
			fprintf(f,
			        "     The store given for this device holds it already: "
			        "upload it where the device's own list lacks it.\n");
	}
}

static void put_missing(FILE *f, const struct fix_kit *kit)
{
	if (!kit->n_missing)
		return;
	fprintf(f,
	        "\nNeeded, and held by no source given (the capture, the stores, "
	        "--ca-pool):\nask the PKI's owner for %s.\n",
	        plural(kit->n_missing, "this CA", "these CAs"));
	for (size_t i = 0; i < kit->n_missing; i++) {
		const struct fixkit_missing *m = &kit->missing[i];
		put_escaped(f, "  - ", m->subject);
		fprintf(f, "    key id %s\n",
		        m->key_id && *m->key_id ? m->key_id : "(none)");
		put_escaped(f, "    needed by ", m->needed_by);
		fprintf(f, "      (SHA-256 %s)\n", m->needed_sha256);
		if (m->unusable)
			fprintf(f, "    %s, so it was left out.\n", m->unusable);
	}
}

static bool put_readme(FILE *f, const void *arg)
{
	const struct fix_kit *kit = arg;
	fprintf(f, "certscope fix kit: %s\n\n", kit->name);
	put_device(f, kit);
	fputc('\n', f);
	put_wrapped(f, "Where:  ", kit->upload ? kit->upload : "?", README_WIDTH, 8);
	put_certs(f, kit);
	put_missing(f, kit);
	if (*kit->other && !kit->send_chain)
		fprintf(f,
		        "\nThe better remedy may be on the other side: its sender leaves "
		        "out an\n"
		        "intermediate found here; see ../%s/.\n",
		        kit->other);
	if (*kit->other && kit->send_chain)
		fprintf(
		    f,
		    "\nEach peer could instead add them to its own store: see ../%s/.\n",
		    kit->other);
	if (kit->n_certs && !kit->n_missing && !kit->send_chain)
		fprintf(f, "\nCheck: openssl verify -CAfile ca-bundle.pem -untrusted "
		           "<intermediates sent> <leaf>\n(the chain as sent is in "
		           "../../chains/).\n");
	return !ferror(f);
}

void export_kit_folder(struct exporter *x, const char *name, char out[FIXKIT_NAME_MAX])
{
	char sub[FIXKIT_NAME_MAX + 16];
	snprintf(out, FIXKIT_NAME_MAX, "%s", name);
	/* a kit of an earlier run in the same folder is left as it is */
	for (int k = 1; k < 100; k++) {
		snprintf(sub, sizeof(sub), "fixes/%s", out);
		if (!export_exists(x, sub))
			return;
		snprintf(out, FIXKIT_NAME_MAX, "%.*s.%d", FIXKIT_NAME_MAX - 8, name, k);
	}
}

int export_kits(struct exporter *x, const struct fix_kit *kits, size_t n,
                bool *written_out)
{
	int written = 0;
	for (size_t i = 0; i < n; i++) {
		char sub[FIXKIT_NAME_MAX + 16];
		snprintf(sub, sizeof(sub), "fixes/%s", kits[i].name);
		int r = kits[i].n_certs ? export_file(x, sub, bundle_name(&kits[i]),
		                                      put_bundle, &kits[i])
		                        : 1;
		if (r > 0)
			r = export_file(x, sub, "README.txt", put_readme, &kits[i]);
		if (r > 0)
			written++;
		if (written_out)
			written_out[i] = r > 0;
	}
	exporter_kits_written(x, (uint64_t)written);
	return written;
}
