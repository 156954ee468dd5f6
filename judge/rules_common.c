/* rules_common.c: what the rules share: the sides named and addressed. */
#include "rules.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
const char *side_word(int side)
{
	return side == SIDE_CLIENT ? "client" : "server";
}

void side_addr(const struct judging *j, int side, char *buf, size_t len)
{
	const struct endpoint *e = side == SIDE_CLIENT ? &j->hs->client : &j->hs->server;
	char a[ENDPOINT_ADDRSTRLEN];
	endpoint_addr_str(e, a, sizeof(a));
	/* by hand: every rule names the sides, most of them only in case */
	size_t n = strlen(a), o = 0;
	if (len < n + 10)
		return (void)snprintf(buf, len, "?");
	bool v6 = side == SIDE_SERVER && e->family == 6;
	if (v6)
		buf[o++] = '[';
	memcpy(buf + o, a, n);
	o += n;
	if (v6)
		buf[o++] = ']';
	if (side == SIDE_SERVER) {
		char digits[8];
		size_t k = 0;
		unsigned p = e->port;
		do
			digits[k++] = (char)('0' + p % 10);
		while ((p /= 10) && k < sizeof(digits));
		buf[o++] = ':';
		while (k)
			buf[o++] = digits[--k];
	}
	buf[o] = '\0';
}

const char *subject_of(const struct cert *c)
{
	if (c && c->subject && *c->subject)
		return c->subject;
	return c ? c->sha256 : "(none)";
}

const struct cert *leaf(const struct judging *j, int side)
{
	return j->v->chains[side].n ? j->v->chains[side].certs[0] : NULL;
}

int validator_of(int side)
{
	return !side;
}

size_t strongest_cause(const struct verdict *v, int side, uint8_t alert)
{
	size_t best = SIZE_MAX;
	int best_rank = 0;
	for (size_t i = 0; i < v->n_diags; i++) {
		int r = diag_cause_rank(v->diags[i].code, alert);
		if (v->diags[i].side == side && r >= 0 &&
		    (best == SIZE_MAX || r < best_rank)) {
			best = i;
			best_rank = r;
		}
	}
	return best;
}
