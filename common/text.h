/* text.h: text that every room writes: escaped bytes from the wire, times,
 * and a growable list of strings (caller storage: string_list_fini frees
 * what it holds). */
#ifndef CERTSCOPE_TEXT_H
#define CERTSCOPE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct string_list {
	char **v;
	size_t n;
};

/* Adds a copy of s; -1 when out of memory (the list is unchanged). */
int string_list_add(struct string_list *l, const char *s);
void string_list_fini(struct string_list *l);

/* Escape untrusted text for display: printable ASCII is kept, backslash
 * doubled, anything else written \xHH.  Returns a new string. */
char *escape_text(const uint8_t *p, size_t n);

/* v in decimal into out, not terminated; returns the digits written (the
 * writers format numbers by hand: snprintf is most of their cost). */
size_t u64_digits(uint64_t v, char out[20]);

/* Appends n bytes of s to buf (of cap bytes, *len used), always
 * terminated, cut when full. */
void text_append(char *buf, size_t cap, size_t *len, const char *s, size_t n);

/* RFC 3339 (seconds) in UTC. */
void time_format(time_t t, char *buf, size_t len);

#endif
