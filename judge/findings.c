/* findings.c: the findings table (findings.h). */
#include "findings.h"

#include "catalogue.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Addresses counted per finding before its totals become lower bounds. */
#define ADDR_SET_MAX 4096

struct findings {
	size_t max;
	struct finding **v; /* in the order first seen */
	size_t n, cap;
	struct finding **index; /* open addressing by id */
	size_t index_cap;
	struct finding **sorted;
	struct server_tally *servers;
	size_t n_servers, cap_servers;
	uint32_t server_index[2 * FINDINGS_MAX_SERVERS]; /* 1 + index, 0 empty */
	uint64_t handshakes;
	struct findings_stats stats;
};

struct findings *findings_new(size_t max)
{
	struct findings *f = calloc(1, sizeof(*f));
	if (f)
		f->max = max;
	return f;
}

static void finding_free(struct finding *x)
{
	free(x->code);
	string_list_fini(&x->devices);
	string_list_fini(&x->peers);
	free(x->device_set.slots);
	free(x->peer_set.slots);
	string_list_fini(&x->chain);
	string_list_fini(&x->chain_subjects);
	free(x->store);
	string_list_fini(&x->evidence);
	free(x->message);
	free(x->advice);
	free(x->example.file);
	ladder_fini(&x->example.ladder);
	free(x);
}

void findings_free(struct findings *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		finding_free(f->v[i]);
	free(f->v);
	free(f->index);
	free(f->sorted);
	free(f->servers);
	free(f);
}

struct findings_stats findings_stats(const struct findings *f)
{
	struct findings_stats s = f->stats;
	for (size_t i = 0; i < f->n; i++) {
		if (f->v[i]->severity == SEV_ERROR)
			s.errors++;
		else if (f->v[i]->severity == SEV_WARNING)
			s.warnings++;
		else
			s.infos++;
	}
	return s;
}

static uint64_t id_hash(const char *id)
{
	return der_hash((const uint8_t *)id, strlen(id));
}

/* True when s did not hold v yet (and now does, unless it is full). */
static bool addr_set_add(struct addr_set *s, uint64_t v)
{
	if (s->full)
		return false;
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		if (s->n >= ADDR_SET_MAX || !(cap > s->cap)) {
			s->full = true;
			return false;
		}
		uint64_t *slots = calloc(cap, sizeof(*slots));
		if (!slots) {
			s->full = true;
			return false;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slots[i])
				continue;
			size_t k = s->slots[i] & (cap - 1);
			while (slots[k])
				k = (k + 1) & (cap - 1);
			slots[k] = s->slots[i];
		}
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	v |= 1; /* 0 marks an empty slot */
	size_t k = v & (s->cap - 1);
	while (s->slots[k]) {
		if (s->slots[k] == v)
			return false;
		k = (k + 1) & (s->cap - 1);
	}
	s->slots[k] = v;
	s->n++;
	return true;
}

static void list_address(struct string_list *l, struct addr_set *s, const char *addr)
{
	if (addr_set_add(s, der_hash((const uint8_t *)addr, strlen(addr))) &&
	    l->n < FINDING_LIST_MAX)
		string_list_add(l, addr);
}

static bool index_put(struct findings *f, struct finding *x)
{
	if ((f->n + 1) * 2 > f->index_cap) {
		size_t cap = f->index_cap ? f->index_cap * 2 : 64;
		struct finding **ix = calloc(cap, sizeof(*ix));
		if (!ix)
			return false;
		for (size_t i = 0; i < f->n; i++) {
			size_t k = id_hash(f->v[i]->id) & (cap - 1);
			while (ix[k])
				k = (k + 1) & (cap - 1);
			ix[k] = f->v[i];
		}
		free(f->index);
		f->index = ix;
		f->index_cap = cap;
	}
	size_t k = id_hash(x->id) & (f->index_cap - 1);
	while (f->index[k])
		k = (k + 1) & (f->index_cap - 1);
	f->index[k] = x;
	return true;
}

struct finding *findings_lookup(const struct findings *f, const char *id)
{
	if (!f->index_cap)
		return NULL;
	size_t k = id_hash(id) & (f->index_cap - 1);
	while (f->index[k]) {
		if (strcmp(f->index[k]->id, id) == 0)
			return f->index[k];
		k = (k + 1) & (f->index_cap - 1);
	}
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A new finding named by cause d, with hs as its example. */
static struct finding *finding_new(struct findings *f, const struct handshake *hs,
                                   const struct verdict *v, const struct diagnosis *d,
                                   int refused_by, const char *file)
{
	if (f->n >= f->max)
		return NULL;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct finding **nv = realloc(f->v, cap * sizeof(*nv));
		if (!nv)
			return NULL;
		f->v = nv;
		f->cap = cap;
	}
	struct finding *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	memcpy(x->id, d->finding, sizeof(x->id));
	x->code = strdup(d->name);
	x->severity = d->severity;
	x->refused_by = refused_by;
	x->first_ts = x->last_ts = hs->ts;
	memcpy(x->certificate, d->cert_sha256, sizeof(x->certificate));
	if (d->side >= 0)
		for (size_t i = 0; i < v->chains[d->side].n; i++) {
			const struct cert *c = v->chains[d->side].certs[i];
			string_list_add(&x->chain, c->sha256);
			string_list_add(&x->chain_subjects,
			                c->subject ? c->subject : "?");
		}
	bool store = d->side >= 0 && diag_names_store(d->code);
	x->store = store ? dup_or_null(v->chain_store[d->side]) : NULL;
	x->message = strdup(d->message);
	x->advice = strdup(d->advice);
	x->example.ts = hs->ts;
	x->example.client = hs->client;
	x->example.server = hs->server;
	x->example.file = dup_or_null(file);
	x->example.frames = hs->frames;
	ladder_copy(&x->example.ladder, &hs->ladder);
	if (!x->code || !x->message || !x->advice || !index_put(f, x)) {
		finding_free(x);
		return NULL;
	}
	f->v[f->n++] = x;
	f->stats.findings++;
	return x;
}

/* The device whose configuration the cause asks to change, and its peer. */
static void devices_of(struct finding *x, const struct handshake *hs,
                       const struct diagnosis *d)
{
	enum fixer fix = (enum fixer)d->fixer;
	if (d->side < 0 || fix == FIX_NONE)
		return;
	int dev = fix == FIX_OWNER ? d->side : !d->side;
	const struct endpoint *e = dev == SIDE_CLIENT ? &hs->client : &hs->server;
	const struct endpoint *p = dev == SIDE_CLIENT ? &hs->server : &hs->client;
	char a[ENDPOINT_ADDRSTRLEN + 8], b[ENDPOINT_ADDRSTRLEN + 8];
	endpoint_text(e, false, a, sizeof(a));
	endpoint_text(p, true, b, sizeof(b));
	list_address(&x->devices, &x->device_set, a);
	list_address(&x->peers, &x->peer_set, b);
}

static void add_evidence(struct finding *x, const char *code)
{
	for (size_t i = 0; i < x->evidence.n; i++)
		if (strcmp(x->evidence.v[i], code) == 0)
			return;
	if (x->evidence.n < FINDING_LIST_MAX && strcmp(x->code, code) != 0)
		string_list_add(&x->evidence, code);
}

const struct server_tally *findings_servers(const struct findings *f, size_t *n)
{
	*n = f->n_servers;
	return f->servers;
}

static uint64_t endpoint_hash(const struct endpoint *e)
{
	uint8_t key[19];
	key[0] = (uint8_t)e->family;
	memcpy(key + 1, e->addr, 16);
	key[17] = (uint8_t)(e->port >> 8);
	key[18] = (uint8_t)e->port;
	return der_hash(key, sizeof(key));
}

/* Past the cap, servers are counted only. */
static void tally(struct findings *f, const struct handshake *hs, const struct verdict *v)
{
	const size_t slots = sizeof(f->server_index) / sizeof(f->server_index[0]);
	size_t k = endpoint_hash(&hs->server) & (slots - 1);
	struct server_tally *t = NULL;
	while (f->server_index[k] && !t) {
		struct server_tally *c = &f->servers[f->server_index[k] - 1];
		if (endpoint_equal(&c->server, &hs->server))
			t = c;
		else
			k = (k + 1) & (slots - 1);
	}
	if (!t && f->n_servers >= FINDINGS_MAX_SERVERS) {
		f->stats.servers_over_cap++;
		return;
	}
	if (!t && f->n_servers == f->cap_servers) {
		size_t cap = f->cap_servers ? f->cap_servers * 2 : 16;
		struct server_tally *nv = realloc(f->servers, cap * sizeof(*nv));
		if (!nv)
			return;
		f->servers = nv;
		f->cap_servers = cap;
	}
	if (!t) {
		f->server_index[k] = (uint32_t)f->n_servers + 1;
		t = &f->servers[f->n_servers++];
		*t = (struct server_tally){hs->server, v->service, 0, 0, 0};
	}
	t->handshakes++;
	t->completed += hs->outcome == OUTCOME_COMPLETED;
	t->with_errors += verdict_worst(v) == SEV_ERROR;
}

void findings_add(struct findings *f, const struct handshake *hs, const struct verdict *v,
                  const char *file)
{
	uint64_t seen = ++f->handshakes;
	tally(f, hs, v);
	for (size_t i = 0; i < v->n_diags; i++) {
		const struct diagnosis *d = &v->diags[i];
		const struct diagnosis *cause = &v->diags[d->cause];
		struct finding *x = findings_lookup(f, d->finding);
		if (!x)
			x = finding_new(f, hs, v, cause, cause->refused_by, file);
		if (!x) {
			f->stats.dropped++;
			continue;
		}
		/* a refused handshake is an error whatever the store says */
		if (d->severity > x->severity)
			x->severity = d->severity;
		if (d != cause) {
			add_evidence(x, d->name);
			continue;
		}
		if (x->last_seen != seen) {
			x->last_seen = seen;
			x->count++;
			if (timercmp(&hs->ts, &x->first_ts, <))
				x->first_ts = hs->ts;
			if (timercmp(&hs->ts, &x->last_ts, >))
				x->last_ts = hs->ts;
		}
		devices_of(x, hs, d);
	}
}

static int by_weight(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Sorted anew at each call: a finding's severity and count move while
 * handshakes come (the live view asks as they do), and findings are few. */
const struct finding *const *findings_sorted(struct findings *f, size_t *n)
{
	*n = 0;
	if (!f->n)
		return NULL;
	struct finding **v = realloc(f->sorted, f->n * sizeof(*v));
	if (!v)
		return NULL;
	f->sorted = v;
	memcpy(v, f->v, f->n * sizeof(*v));
	qsort(v, f->n, sizeof(*v), by_weight);
	*n = f->n;
	return (const struct finding *const *)v;
}
