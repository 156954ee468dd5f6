/* config.c: the defaults of the options and caps. */
#include "config.h"

#include <string.h>

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ui = -1;
	cfg->max_flows = 262144;
	cfg->max_ooo_per_dir = 256 * 1024;
	cfg->max_ooo_total = 256u * 1024 * 1024;
	cfg->max_handshake_msg = 1024 * 1024;
	cfg->max_chain_certs = 32;
	cfg->max_cert_size = 256 * 1024;
	cfg->max_trust_files = 10000;
	cfg->max_keylog_lines = 1000000;
	cfg->idle_timeout = 300;
}
