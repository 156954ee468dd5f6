/* text.c: escaped text, RFC 3339 times and string lists (text.h). */
#include "text.h"

#include "endpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int string_list_add(struct string_list *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	l->v = v;
	v[l->n] = strdup(s);
	if (!v[l->n])
		return -1;
	l->n++;
	return 0;
}

void string_list_fini(struct string_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

char *escape_text(const uint8_t *p, size_t n)
{
	/* at most four output bytes per input byte */
	char *out = malloc(n * 4 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = p[i];
		if (b == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (b >= 0x20 && b < 0x7f) {
			out[o++] = (char)b;
		} else {
			o += (size_t)snprintf(out + o, 5, "\\x%02x", b);
		}
	}
	out[o] = '\0';
	return out;
}

void time_format(time_t t, char *buf, size_t len)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	if (len >= 21 && tm.tm_year >= -1900 && tm.tm_year <= 9999 - 1900) {
		rfc3339_digits(&tm, buf);
		buf[19] = 'Z';
		buf[20] = '\0';
		return;
	}
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
