/* config.c: the defaults of the options and caps. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ui = -1;
	cfg->max_flows = 262144;
	cfg->max_ooo_per_dir = 256 * 1024;
	cfg->max_ooo_total = 256u * 1024 * 1024;
	cfg->max_handshake_msg = 1024 * 1024;
	cfg->max_tls_buffered = 64u * 1024 * 1024;
	cfg->max_chain_certs = 32;
	cfg->max_cert_size = 256 * 1024;
	cfg->max_trust_files = 10000;
	cfg->max_keylog_lines = 1000000;
	cfg->max_findings = 10000;
	cfg->idle_timeout = 300;
}

/* The caps --cap NAME=VALUE sets: each its field, its unit and its range. */
enum cap_kind { CAP_COUNT, CAP_BYTES, CAP_SECONDS };

static const struct {
	const char *name;
	enum cap_kind kind;
	size_t offset; /* of a size_t, or of the uint32_t idle_timeout */
	unsigned long long max;
} caps[] = {
    {"flows", CAP_COUNT, offsetof(struct config, max_flows), 100000000},
    {"ooo-per-direction", CAP_BYTES, offsetof(struct config, max_ooo_per_dir),
     1ull << 30},
    {"ooo-total", CAP_BYTES, offsetof(struct config, max_ooo_total), 1ull << 40},
    /* a handshake message's length is 24 bits */
    {"handshake-message", CAP_BYTES, offsetof(struct config, max_handshake_msg),
     (1u << 24) - 1},
    {"tls-buffers", CAP_BYTES, offsetof(struct config, max_tls_buffered), 1ull << 40},
    {"chain-certs", CAP_COUNT, offsetof(struct config, max_chain_certs), 100000},
    {"cert-size", CAP_BYTES, offsetof(struct config, max_cert_size), (1u << 24) - 1},
    {"trust-files", CAP_COUNT, offsetof(struct config, max_trust_files), 100000000},
    {"keylog-lines", CAP_COUNT, offsetof(struct config, max_keylog_lines), 1000000000},
    {"findings", CAP_COUNT, offsetof(struct config, max_findings), 10000000},
    {"idle-timeout", CAP_SECONDS, offsetof(struct config, idle_timeout), 86400u * 365},
};

bool config_set_cap(struct config *cfg, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (strlen(caps[i].name) != n || strncmp(caps[i].name, arg, n) != 0)
			continue;
		if (!eq || !eq[1]) {
			snprintf(err, errlen, "--cap %s: expected %s=VALUE", caps[i].name,
			         caps[i].name);
			return false;
		}
		errno = 0;
		char *end;
		unsigned long long v = strtoull(eq + 1, &end, 10);
		unsigned long long mult = 1;
		if (caps[i].kind == CAP_BYTES && *end && !end[1]) {
			switch (*end) {
			case 'k':
			case 'K':
				mult = 1ull << 10;
				end++;
				break;
			case 'm':
			case 'M':
				mult = 1ull << 20;
				end++;
				break;
			case 'g':
			case 'G':
				mult = 1ull << 30;
				end++;
				break;
			default:
				break;
			}
		}
		if (errno || *end || eq[1] == '-' || v == 0 || v > caps[i].max / mult) {
			snprintf(err, errlen,
			         "--cap %s: expected a number from 1 to %llu%s, got %s",
			         caps[i].name, caps[i].max,
			         caps[i].kind == CAP_BYTES ? " (bytes; K, M, G)" : "",
			         eq + 1);
			return false;
		}
		v *= mult;
		char *field = (char *)cfg + caps[i].offset;
		if (caps[i].kind == CAP_SECONDS) {
			uint32_t t = (uint32_t)v;
			memcpy(field, &t, sizeof(t));
		} else {
			size_t z = (size_t)v;
			memcpy(field, &z, sizeof(z));
		}
		return true;
	}
	snprintf(err, errlen,
	         "--cap: unknown cap '%.*s' (flows, ooo-per-direction, ooo-total, "
	         "handshake-message, "
	         "tls-buffers, chain-certs, cert-size, trust-files, keylog-lines, "
	         "idle-timeout)",
	         (int)(n > 64 ? 64 : n), arg);
	return false;
}
