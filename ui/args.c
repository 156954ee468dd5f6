/* args.c: the values of certscope's options (CONTRACT.md, "Command line"):
 * times, [ADDR[:PORT]=]NAME and [ADDR[:PORT]=]PATH. */
#include "args.h"

#include "../judge/judge.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* RFC 3339: 2026-11-23T19:06:24Z, with optional fraction and offset; a
 * date alone (midnight UTC); or "now". */
bool parse_time(const char *s, time_t *out)
{
	struct tm tm;
	if (strcmp(s, "now") == 0) {
		*out = judge_today(); /* SOURCE_DATE_EPOCH when set */
		return true;
	}
	memset(&tm, 0, sizeof(tm));
	/* a date alone is its midnight, UTC */
	const char *d = strptime(s, "%Y-%m-%d", &tm);
	if (d && !*d) {
		*out = timegm(&tm);
		return true;
	}
	memset(&tm, 0, sizeof(tm));
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (!p)
		return false;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	long offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int hh, mm;
		if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2)
			return false;
		offset = (hh * 60L + mm) * 60 * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	*out = timegm(&tm) - offset;
	return true;
}

/* [ADDR[:PORT]=]NAME */
bool parse_expect(const char *arg, struct expect_name *e)
{
	memset(e, 0, sizeof(*e));
	const char *eq = strrchr(arg, '=');
	if (!eq) {
		e->name = strdup(arg);
		return e->name && *arg;
	}
	char *addr = strndup(arg, (size_t)(eq - arg));
	if (!addr)
		return false;
	e->name = strdup(eq + 1);
	struct endpoint ep;
	char *port = NULL;
	if (addr[0] == '[') {
		char *close = strchr(addr, ']');
		if (!close)
			goto bad;
		*close = '\0';
		port = close[1] == ':' ? close + 2 : NULL;
		memmove(addr, addr + 1, strlen(addr + 1) + 1);
	} else if (strchr(addr, ':') == strrchr(addr, ':') && strchr(addr, ':')) {
		port = strchr(addr, ':');
		*port++ = '\0';
	}
	if (!endpoint_parse_addr(addr, &ep) || !e->name || !*e->name)
		goto bad;
	if (port) {
		char *end;
		long v = strtol(port, &end, 10);
		if (*end || v <= 0 || v > 65535)
			goto bad;
		e->port = (int)v;
	}
	e->addr = addr;
	return true;
bad:
	free(addr);
	free(e->name);
	e->name = NULL;
	return false;
}

/* ADDR, ADDR:PORT or [ADDR]:PORT into a copy of the address and *port (0
 * when none); false when it is not one. */
bool parse_addr_port(const char *s, char **addr_out, int *port_out)
{
	char *addr = strdup(s), *port = NULL;
	struct endpoint ep;
	*port_out = 0;
	if (!addr)
		return false;
	if (addr[0] == '[') {
		char *close = strchr(addr, ']');
		if (!close || (close[1] && close[1] != ':'))
			goto bad;
		*close = '\0';
		port = close[1] == ':' ? close + 2 : NULL;
		memmove(addr, addr + 1, strlen(addr + 1) + 1);
	} else if (strchr(addr, ':') && strchr(addr, ':') == strrchr(addr, ':')) {
		port = strchr(addr, ':');
		*port++ = '\0';
	}
	if (!endpoint_parse_addr(addr, &ep))
		goto bad;
	if (port) {
		char *end;
		long v = strtol(port, &end, 10);
		if (!*port || *end || v <= 0 || v > 65535)
			goto bad;
		*port_out = (int)v;
	}
	*addr_out = addr;
	return true;
bad:
	free(addr);
	return false;
}

/* [ADDR[:PORT]=]PATH: a path that exists is a path, '=' and all; else the
 * part before the first '=' must be an IP address.  0, -1 when the
 * argument is empty, -2 when ADDR is not an address. */
int parse_trust(const char *arg, bool is_dir, struct trust_spec *t)
{
	memset(t, 0, sizeof(*t));
	t->is_dir = is_dir;
	const char *eq = strchr(arg, '=');
	if (eq && access(arg, F_OK) != 0) {
		char *pre = strndup(arg, (size_t)(eq - arg));
		bool ok = pre && parse_addr_port(pre, &t->addr, &t->port);
		free(pre);
		if (!ok)
			return -2;
		t->path = strdup(eq + 1);
		return t->path && *t->path ? 0 : -1;
	}
	t->path = strdup(arg);
	return t->path && *arg ? 0 : -1;
}

/* A decimal option in [min, max]; false when it is not one. */
bool number_arg(const char *arg, long min, long max, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (!*arg || *end || v < min || v > max)
		return false;
	*out = (int)v;
	return true;
}

/* The trailing words, one string: the BPF filter. */
char *join_words(char **words, int n)
{
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	char *s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, words[i]);
	}
	return s;
}
