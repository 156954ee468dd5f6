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

size_t u64_digits(uint64_t v, char out[20])
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
	                            "25262728293031323334353637383940414243444546474849"
	                            "50515253545556575859606162636465666768697071727374"
	                            "75767778798081828384858687888990919293949596979899";
	char tmp[20];
	size_t n = sizeof(tmp);
	while (v >= 100) {
		unsigned k = (unsigned)(v % 100) * 2;
		v /= 100;
		tmp[--n] = pairs[k + 1];
		tmp[--n] = pairs[k];
	}
	if (v >= 10) {
		tmp[--n] = pairs[v * 2 + 1];
		tmp[--n] = pairs[v * 2];
	} else {
		tmp[--n] = (char)('0' + v);
	}
	memcpy(out, tmp + n, sizeof(tmp) - n);
	return sizeof(tmp) - n;
}

void text_append(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
	if (!cap || *len >= cap - 1)
		return;
	if (n > cap - 1 - *len)
		n = cap - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}
