/* setup.c: what the command line names that is read before the first
 * packet: the key log's secrets and the CA pool of the fix kits.  A usage
 * error is said here, and main() exits 2. */
#include "setup.h"

#include <stdio.h>
#include <string.h>

#define EXIT_INPUT 2

/* Secrets: --keylog, and the Decryption Secrets Blocks of pcapng files.
 * NULL with *rc set when the key log cannot be read. */
struct keylog *load_keylog(const struct config *cfg, int *rc)
{
	struct keylog *keylog = keylog_new(cfg->max_keylog_lines);
	*rc = EXIT_INPUT;
	if (!keylog)
		return NULL;
	if (cfg->keylog) {
		char kerr[512];
		if (keylog_add_file(keylog, cfg->keylog, kerr, sizeof(kerr)) < 0) {
			fprintf(stderr,
			        "certscope: --keylog %s\nTry 'certscope --help' for more "
			        "information.\n",
			        kerr);
			keylog_free(keylog);
			return NULL;
		}
	}
	for (size_t i = 0; i < cfg->n_read_files; i++)
		if (strcmp(cfg->read_files[i], "-") != 0)
			keylog_add_pcapng(keylog, cfg->read_files[i]);
	keylog_finish(keylog);
	if (keylog_dropped(keylog) && !cfg->quiet)
		fprintf(
		    stderr,
		    "certscope: key log: %zu lines past the cap of %zu were not read\n",
		    keylog_dropped(keylog), cfg->max_keylog_lines);
	*rc = 0;
	return keylog;
}

/* --ca-pool: the CAs a fix kit may take, in a store of their own that
 * judges nothing.  -1 when a path holds no certificate (a usage error, as
 * for a trust store). */
int load_pool(const struct config *cfg, struct trust_store **out)
{
	*out = NULL;
	if (!cfg->n_ca_pool)
		return 0;
	char label[1024];
	size_t o = 0;
	label[0] = '\0';
	for (size_t i = 0; i < cfg->n_ca_pool && o < sizeof(label); i++) {
		int w = snprintf(label + o, sizeof(label) - o, "%s%s",
		                 i ? ", " : "--ca-pool ", cfg->ca_pool[i]);
		o = w < 0 ? sizeof(label) : o + (size_t)w;
	}
	struct trust_store *s = *out = trust_store_new(label, NULL);
	for (size_t i = 0; s && i < cfg->n_ca_pool; i++) {
		int before = trust_store_count(s);
		if (trust_store_add_path(s, cfg->ca_pool[i], stderr) < 0)
			return -1;
		if (trust_store_count(s) == before) {
			fprintf(stderr, "certscope: --ca-pool %s: no certificate in it\n",
			        cfg->ca_pool[i]);
			return -1;
		}
	}
	return s ? 0 : -1;
}
