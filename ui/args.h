/* args.h: parsers of option values for ui/main.c; each returns what it
 * parsed in storage the caller frees. */
#ifndef CERTSCOPE_ARGS_H
#define CERTSCOPE_ARGS_H

#include "../common/config.h"

#include <stdbool.h>
#include <time.h>

/* RFC 3339 (2026-11-23T19:06:24Z, with optional fraction and offset), or
 * "now". */
bool parse_time(const char *s, time_t *out);
/* [ADDR[:PORT]=]NAME into e (e->addr and e->name are the caller's). */
bool parse_expect(const char *arg, struct expect_name *e);
/* ADDR, ADDR:PORT or [ADDR]:PORT into a copy of the address (the
 * caller's) and *port (0 when none); false when it is not one. */
bool parse_addr_port(const char *s, char **addr_out, int *port_out);
/* [ADDR[:PORT]=]PATH: 0, -1 when empty, -2 when ADDR is not an address. */
int parse_trust(const char *arg, bool is_dir, struct trust_spec *t);
/* A decimal option in [min, max]; false when it is not one. */
bool number_arg(const char *arg, long min, long max, int *out);
/* n words joined by spaces (NULL when out of memory). */
char *join_words(char **words, int n);

#endif
