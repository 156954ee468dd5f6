/* fixkit.c: fix kits (fixkit.h). */
#include "fixkit.h"

#include "../common/bytes.h"
#include "catalogue.h"
#include "findings.h"
#include "certificate.h"
#include "sites.h"

#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *side_word(int side)
{
	return side == SIDE_CLIENT ? "client" : "server";
}

static uint64_t text_hash(const char *s)
{
	uint64_t h = der_hash((const uint8_t *)s, strlen(s));
	return h ? h : 1;
}

/* Puts hash h into w once, with text (may be NULL) into its first few. */
static void who_put(struct fixkit_who *w, uint64_t h, const char *text)
{
	struct addr_set *s = &w->set;
	if (s->n * 2 >= s->cap && !s->full) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		uint64_t *nv =
		    cap <= 2 * (size_t)FIXKIT_MAX_WHO ? calloc(cap, sizeof(*nv)) : NULL;
		if (!nv)
			s->full = true;
		for (size_t i = 0; nv && i < s->cap; i++)
			if (s->slots[i]) {
				size_t k = s->slots[i] & (cap - 1);
				while (nv[k])
					k = (k + 1) & (cap - 1);
				nv[k] = s->slots[i];
			}
		if (nv) {
			free(s->slots);
			s->slots = nv;
			s->cap = cap;
		}
	}
	if (s->n * 2 >= s->cap)
		return; /* full: counted up to here, "at least" */
	size_t k = h & (s->cap - 1);
	while (s->slots[k]) {
		if (s->slots[k] == h)
			return;
		k = (k + 1) & (s->cap - 1);
	}
	s->slots[k] = h;
	s->n++;
	w->n++;
	if (text && w->first.n < FIXKIT_LIST_MAX)
		string_list_add(&w->first, text);
}

static void who_add(struct fixkit_who *w, const char *text)
{
	who_put(w, text_hash(text), text);
}

/* Every address of b into a. */
static void who_merge(struct fixkit_who *a, const struct fixkit_who *b)
{
	for (size_t i = 0; i < b->first.n; i++)
		who_add(a, b->first.v[i]);
	for (size_t i = 0; i < b->set.cap; i++)
		if (b->set.slots[i])
			who_put(a, b->set.slots[i], NULL);
}

static void who_fini(struct fixkit_who *w)
{
	string_list_fini(&w->first);
	free(w->set.slots);
	memset(w, 0, sizeof(*w));
}

#include "fixkit_walk.h"

struct fixkit *fixkit_new(const struct trust_set *trust, const struct trust_store *pool,
                          time_t today)
{
	struct fixkit *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->trust = trust;
	k->pool = pool;
	k->today = today;
	return k;
}

static void kit_fini(struct fix_kit *kit)
{
	free(kit->store);
	free(kit->upload);
	for (size_t i = 0; i < kit->n_findings; i++)
		free(kit->findings[i].code);
	free(kit->findings);
	who_fini(&kit->peers);
	who_fini(&kit->devices);
	for (size_t i = 0; i < kit->n_certs; i++) {
		free(kit->certs[i].der);
		free(kit->certs[i].subject);
		free(kit->certs[i].issuer);
	}
	free(kit->certs);
	for (size_t i = 0; i < kit->n_missing; i++) {
		free(kit->missing[i].subject);
		free(kit->missing[i].key_id);
		free(kit->missing[i].needed_by);
		free(kit->missing[i].unusable);
	}
	free(kit->missing);
}

void fixkit_free(struct fixkit *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n_presented; i++)
		X509_free(k->presented[i].x);
	free(k->presented);
	for (size_t i = 0; i < k->n_refusals; i++) {
		for (size_t j = 0; j < k->refusals[i].n_chain; j++)
			X509_free(k->refusals[i].chain[j]);
		free(k->refusals[i].chain);
		free(k->refusals[i].code);
		who_fini(&k->refusals[i].devices);
		who_fini(&k->refusals[i].owners);
	}
	free(k->refusals);
	for (size_t i = 0; i < k->n_kits; i++)
		kit_fini(&k->kits[i]);
	free(k->kits);
	free(k);
}

uint64_t fixkit_dropped(const struct fixkit *k)
{
	return k->dropped;
}

/* ---- gathering -------------------------------------------------------- */

static void keep_presented(struct fixkit *k, const struct cert *c)
{
	const size_t slots = sizeof(k->seen) / sizeof(k->seen[0]);
	uint64_t h = c->der_hash ? c->der_hash : 1;
	size_t i = h & (slots - 1);
	while (k->seen[i]) {
		if (k->seen[i] == h)
			return;
		i = (i + 1) & (slots - 1);
	}
	if (k->n_presented >= FIXKIT_MAX_CERTS) {
		k->dropped++;
		return;
	}
	if (k->n_presented == k->cap_presented) {
		size_t cap = k->cap_presented ? k->cap_presented * 2 : 32;
		struct source_cert *nv = realloc(k->presented, cap * sizeof(*nv));
		if (!nv)
			return;
		k->presented = nv;
		k->cap_presented = cap;
	}
	k->seen[i] = h;
	X509_up_ref(c->x509);
	k->presented[k->n_presented++] = (struct source_cert){c->x509, "the capture"};
}

/* The side whose chain a cause concerns, when its remedy is a CA added to
 * the other side's store; -1 otherwise. */
static int refused_chain(const struct diagnosis *d)
{
	if (d->severity != SEV_ERROR)
		return -1;
	switch ((enum diag_code)d->code) {
	case DIAG_ALERT:
		if ((d->alert_code == 48 || d->alert_code == 46) && d->refused_by >= 0)
			return !d->refused_by;
		return -1;
	case DIAG_ISSUER_NOT_FOUND:
	case DIAG_UNTRUSTED_ROOT:
	case DIAG_TRUST_STORE_MISMATCH:
		return d->side;
	case DIAG_CLIENT_CA_NOT_ACCEPTED:
		return SIDE_CLIENT;
	default:
		return -1;
	}
}

/* What makes refusals one: the finding, the side, the server port, the
 * store given for the device and the leaf refused. */
static uint64_t refusal_key(const char *id, int side, uint16_t port,
                            const struct trust_store *store, uint64_t leaf)
{
	unsigned char b[16 + 1 + 2 + sizeof(store) + 8];
	size_t o = 0;
	memcpy(b, id, 16);
	o += 16;
	b[o++] = (unsigned char)side;
	b[o++] = (unsigned char)(port >> 8);
	b[o++] = (unsigned char)port;
	memcpy(b + o, &store, sizeof(store));
	o += sizeof(store);
	memcpy(b + o, &leaf, 8);
	return der_hash(b, sizeof(b));
}

/* The store given for the device at dev (.port: the server port), or
 * NULL: the system's store is nobody's given store. */
static const struct trust_store *given_store(const struct fixkit *k,
                                             const struct endpoint *dev)
{
	struct endpoint judged = *dev;
	const struct trust_store *s = k->trust ? trust_for(k->trust, &judged) : NULL;
	return s && !s->device && !strcmp(s->label, "system") ? NULL : s;
}

static struct refusal *refusal_for(struct fixkit *k, const struct diagnosis *d,
                                   const struct handshake *hs, const struct verdict *v,
                                   int chain_side)
{
	const size_t slots = sizeof(k->index) / sizeof(k->index[0]);
	int side = !chain_side;
	struct endpoint dev = side == SIDE_CLIENT ? hs->client : hs->server;
	struct endpoint owner = side == SIDE_CLIENT ? hs->server : hs->client;
	dev.port = owner.port = hs->server.port;
	const struct trust_store *store = given_store(k, &dev);
	const struct chain *ch = &v->chains[chain_side];
	uint64_t key = refusal_key(d->finding, side, hs->server.port, store,
	                           ch->n ? ch->certs[0]->der_hash : 0);
	size_t i = key & (slots - 1);
	while (k->index[i]) {
		struct refusal *r = &k->refusals[k->index[i] - 1];
		if (r->key == key)
			return r;
		i = (i + 1) & (slots - 1);
	}
	if (k->n_refusals >= FIXKIT_MAX_CASES) {
		k->dropped++;
		return NULL;
	}
	if (k->n_refusals == k->cap_refusals) {
		size_t cap = k->cap_refusals ? k->cap_refusals * 2 : 64;
		struct refusal *nv = realloc(k->refusals, cap * sizeof(*nv));
		if (!nv)
			return NULL;
		k->refusals = nv;
		k->cap_refusals = cap;
	}
	struct refusal *r = &k->refusals[k->n_refusals];
	*r = (struct refusal){
	    .key = key, .device = dev, .owner = owner, .side = side, .store = store};
	memcpy(r->id, d->finding, sizeof(r->id));
	r->code = strdup(d->name);
	r->chain = calloc(ch->n ? ch->n : 1, sizeof(*r->chain));
	if (!r->code || !r->chain) {
		free(r->code);
		free(r->chain);
		return NULL;
	}
	for (size_t c = 0; c < ch->n; c++)
		if (ch->certs[c]->x509) {
			X509_up_ref(ch->certs[c]->x509);
			r->chain[r->n_chain++] = ch->certs[c]->x509;
		}
	k->index[i] = (uint32_t)++k->n_refusals;
	return r;
}

void fixkit_add(struct fixkit *k, const struct handshake *hs, const struct verdict *v)
{
	if (!k || k->built)
		return;
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < v->chains[side].n; i++) {
			const struct cert *c = v->chains[side].certs[i];
			if (c->x509 && c->is_ca)
				keep_presented(k, c);
		}
	for (size_t i = 0; i < v->n_diags; i++) {
		const struct diagnosis *d = &v->diags[i];
		int chain_side = d->cause == i ? refused_chain(d) : -1;
		if (chain_side < 0 || !v->chains[chain_side].n)
			continue;
		struct refusal *r = refusal_for(k, d, hs, v, chain_side);
		if (!r)
			continue;
		r->handshakes++;
		/* the devices, and the owners (a server with its port) */
		const struct endpoint *dev =
		    r->side == SIDE_CLIENT ? &hs->client : &hs->server;
		const struct endpoint *own =
		    r->side == SIDE_CLIENT ? &hs->server : &hs->client;
		char text[ENDPOINT_ADDRSTRLEN + 8];
		endpoint_text(dev, r->side == SIDE_SERVER, text, sizeof(text));
		who_add(&r->devices, text);
		endpoint_text(own, r->side == SIDE_CLIENT, text, sizeof(text));
		who_add(&r->owners, text);
	}
}

static struct fix_kit *kit_for(struct fixkit *k, const struct endpoint *dev, int side,
                               bool send_chain)
{
	char a[ENDPOINT_ADDRSTRLEN], name[sizeof(k->kits->name)];
	endpoint_file_token(dev, a, sizeof(a));
	snprintf(name, sizeof(name), "%s_%u_%s%s", a, dev->port, side_word(side),
	         send_chain ? "_chain" : "");
	/* the kits by name: index + 1 in an open table (fixkit_build made it
	 * for every kit the refusals can ask for) */
	size_t h =
	    (size_t)der_hash((const uint8_t *)name, strlen(name)) & (k->name_slots - 1);
	for (; k->by_name[h]; h = (h + 1) & (k->name_slots - 1))
		if (!strcmp(k->kits[k->by_name[h] - 1].name, name))
			return &k->kits[k->by_name[h] - 1];
	if (k->n_kits == k->cap_kits) {
		size_t cap = k->cap_kits ? k->cap_kits * 2 : 16;
		struct fix_kit *nv = realloc(k->kits, cap * sizeof(*nv));
		if (!nv)
			return NULL;
		k->kits = nv;
		k->cap_kits = cap;
	}
	k->by_name[h] = k->n_kits + 1;
	struct fix_kit *kit = &k->kits[k->n_kits++];
	*kit = (struct fix_kit){.device = *dev, .side = side, .send_chain = send_chain};
	memcpy(kit->name, name, sizeof(name));

	struct vars vs = {0};
	var_set(&vs, "peer", side_word(side));
	var_set(&vs, "side", side_word(side));
	kit->store = render(
	    send_chain ? phrase(PH_KIT_SEND_STORE) : store_name(dev->port, side), &vs);
	kit->upload = render(
	    send_chain ? phrase(PH_KIT_SEND_UPLOAD) : store_upload(dev->port, side), &vs);
	return kit;
}

static void kit_count(struct fix_kit *kit, const struct refusal *r)
{
	kit->handshakes += r->handshakes;
	if (!kit->store_given && r->store && !kit->send_chain)
		kit->store_given = r->store->label;
	who_merge(&kit->devices, kit->send_chain ? &r->owners : &r->devices);
	who_merge(&kit->peers, kit->send_chain ? &r->devices : &r->owners);
	for (size_t i = 0; i < kit->n_findings; i++)
		if (!strcmp(kit->findings[i].id, r->id)) {
			kit->findings[i].handshakes += r->handshakes;
			return;
		}
	struct fixkit_finding *nv =
	    realloc(kit->findings, (kit->n_findings + 1) * sizeof(*nv));
	if (!nv)
		return;
	kit->findings = nv;
	struct fixkit_finding *f = &kit->findings[kit->n_findings++];
	memcpy(f->id, r->id, sizeof(f->id));
	f->code = strdup(r->code);
	f->handshakes = r->handshakes;
}

/* What makes two kits one: the same side, port, store and certificates
 * to add or ask for (a new string). */
static char *kit_signature(const struct fix_kit *kit)
{
	if (!kit->store || !kit->upload)
		return NULL; /* out of memory: a kit of its own */
	size_t len = 64 + strlen(kit->store) +
	             (kit->store_given ? strlen(kit->store_given) : 0) +
	             (kit->n_certs + kit->n_missing) * 66;
	char *s = malloc(len);
	if (!s)
		return NULL;
	size_t o = (size_t)snprintf(s, len, "%d|%u|%d|%s|%s|", kit->side,
	                            kit->device.port, kit->send_chain, kit->store,
	                            kit->store_given ? kit->store_given : "");
	for (size_t i = 0; i < kit->n_certs; i++)
		o += (size_t)snprintf(s + o, len - o, "%s,", kit->certs[i].sha256);
	for (size_t i = 0; i < kit->n_missing; i++)
		o += (size_t)snprintf(s + o, len - o, "%s;",
		                      kit->missing[i].needed_sha256);
	return s;
}

/* Folds kit b into a: its devices, findings, handshakes and peers. */
static void kit_merge(struct fix_kit *a, struct fix_kit *b)
{
	who_merge(&a->devices, &b->devices);
	who_merge(&a->peers, &b->peers);
	a->handshakes += b->handshakes;
	for (size_t i = 0; i < b->n_findings; i++) {
		size_t j = 0;
		while (j < a->n_findings && strcmp(a->findings[j].id, b->findings[i].id))
			j++;
		if (j < a->n_findings) {
			a->findings[j].handshakes += b->findings[i].handshakes;
			continue;
		}
		struct fixkit_finding *nv =
		    realloc(a->findings, (a->n_findings + 1) * sizeof(*nv));
		if (!nv)
			continue;
		a->findings = nv;
		a->findings[a->n_findings] = b->findings[i];
		b->findings[i].code = NULL; /* moved */
		a->n_findings++;
	}
	kit_fini(b);
}

/* Drops the kits with nothing to add or ask for, folds kits that say the
 * same into one, and names those after their first device and how many
 * more; map[i] is where kit i went (SIZE_MAX: dropped). */
static void kits_settle(struct fixkit *k, size_t *map)
{
	char **sig = calloc(k->n_kits ? k->n_kits : 1, sizeof(*sig));
	/* the kits kept so far, by their signature's hash: kept index + 1 */
	size_t slots = 64;
	while (slots < 2 * k->n_kits)
		slots *= 2;
	size_t *by_sig = calloc(slots, sizeof(*by_sig));
	size_t o = 0;
	for (size_t i = 0; i < k->n_kits; i++) {
		struct fix_kit *kit = &k->kits[i];
		map[i] = SIZE_MAX;
		if (!kit->n_certs && !kit->n_missing) {
			kit_fini(kit);
			continue;
		}
		char *s = sig && by_sig ? kit_signature(kit) : NULL;
		size_t h =
		    s ? (size_t)der_hash((const uint8_t *)s, strlen(s)) & (slots - 1) : 0;
		for (; s && by_sig[h]; h = (h + 1) & (slots - 1))
			if (!strcmp(sig[by_sig[h] - 1], s)) {
				kit_merge(&k->kits[by_sig[h] - 1], kit);
				map[i] = by_sig[h] - 1;
				break;
			}
		if (map[i] != SIZE_MAX) {
			free(s);
			continue;
		}
		if (s) {
			sig[o] = s;
			by_sig[h] = o + 1; /* the free slot the probe ended at */
		}
		map[i] = o;
		k->kits[o++] = *kit;
	}
	for (size_t i = 0; sig && i < o; i++)
		free(sig[i]);
	free(sig);
	free(by_sig);
	k->n_kits = o;
	for (size_t i = 0; i < o; i++) {
		struct fix_kit *kit = &k->kits[i];
		size_t len = strlen(kit->name);
		if (kit->devices.n > 1)
			snprintf(kit->name + len, sizeof(kit->name) - len,
			         "_and_%llu_more",
			         (unsigned long long)(kit->devices.n - 1));
	}
}

const struct fix_kit *fixkit_build(struct fixkit *k, size_t *n)
{
	if (!k->built) {
		k->built = true;
		/* per refusal: its device's kit and its sender's, by index */
		size_t *mine = calloc(k->n_refusals + 1, sizeof(*mine));
		size_t *theirs = calloc(k->n_refusals + 1, sizeof(*theirs));
		/* at most two kits a refusal: the device's and its sender's */
		for (k->name_slots = 64; k->name_slots < 4 * k->n_refusals;)
			k->name_slots *= 2;
		k->by_name = calloc(k->name_slots, sizeof(*k->by_name));
		for (size_t i = 0; mine && theirs && i < k->n_refusals; i++)
			mine[i] = theirs[i] = SIZE_MAX;
		for (size_t i = 0; mine && theirs && k->by_name && i < k->n_refusals;
		     i++) {
			const struct refusal *r = &k->refusals[i];
			struct fix_kit *kit = kit_for(k, &r->device, r->side, false);
			if (!kit)
				continue;
			size_t at = (size_t)(kit - k->kits);
			struct fix_kit *sender = kit_for(k, &r->owner, !r->side, true);
			kit = &k->kits[at]; /* kit_for may move the kits */
			bool unsent = fixkit_walk(k, r, kit, sender);
			kit_count(kit, r);
			mine[i] = at;
			if (sender && unsent) {
				kit_count(sender, r);
				theirs[i] = (size_t)(sender - k->kits);
			}
		}
		size_t *map = calloc(k->n_kits + 1, sizeof(*map));
		if (map && mine && theirs) {
			kits_settle(k, map);
			for (size_t i = 0; i < k->n_refusals; i++) {
				if (mine[i] == SIZE_MAX || theirs[i] == SIZE_MAX)
					continue;
				size_t a = map[mine[i]], b = map[theirs[i]];
				if (a == SIZE_MAX || b == SIZE_MAX)
					continue;
				if (!*k->kits[a].other)
					memcpy(k->kits[a].other, k->kits[b].name,
					       sizeof(k->kits[a].other));
				if (!*k->kits[b].other)
					memcpy(k->kits[b].other, k->kits[a].name,
					       sizeof(k->kits[b].other));
			}
		}
		free(map);
		free(mine);
		free(theirs);
		free(k->by_name);
		k->by_name = NULL;
	}
	*n = k->n_kits;
	return k->n_kits ? k->kits : NULL;
}

void fixkit_of_finding(const struct fixkit *k, const char *id, const bool *written,
                       char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < k->n_kits; i++)
		for (size_t j = 0; (!written || written[i]) && j < k->kits[i].n_findings;
		     j++)
			if (!strcmp(k->kits[i].findings[j].id, id)) {
				int w = snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
				                 k->kits[i].name);
				if (w < 0 || (size_t)w >= len - o) {
					buf[o] = '\0'; /* whole names only */
					return;
				}
				o += (size_t)w;
				break;
			}
}

void fixkit_rename(struct fixkit *k, size_t i, const char *name)
{
	if (i >= k->n_kits || !*name || !strcmp(k->kits[i].name, name))
		return;
	for (size_t j = 0; j < k->n_kits; j++)
		if (!strcmp(k->kits[j].other, k->kits[i].name))
			snprintf(k->kits[j].other, sizeof(k->kits[j].other), "%s", name);
	snprintf(k->kits[i].name, sizeof(k->kits[i].name), "%s", name);
}

void fixkit_advise(const struct fixkit *k, struct findings *f, const char *dir,
                   const bool *written)
{
	for (size_t i = 0; i < k->n_kits; i++)
		for (size_t j = 0; j < k->kits[i].n_findings; j++) {
			struct finding *x = findings_lookup(f, k->kits[i].findings[j].id);
			char names[512], kits[2048];
			if (!x || x->kits_named || (written && !written[i]))
				continue; /* named once, with all its kits */
			x->kits_named = true;
			fixkit_of_finding(k, x->id, written, names, sizeof(names));
			size_t o = 0;
			for (char *p = names, *end; *p; p = end + (*end ? 2 : 0)) {
				end = strchr(p, ',');
				if (!end)
					end = p + strlen(p);
				int w = snprintf(kits + o, sizeof(kits) - o,
				                 "%s%s/fixes/%.*s/", o ? " and " : "",
				                 dir, (int)(end - p), p);
				if (w < 0 || (size_t)w >= sizeof(kits) - o) {
					kits[o] = '\0'; /* whole paths only */
					break;
				}
				o += (size_t)w;
			}
			struct vars vs = {0};
			var_set(&vs, "kits", kits);
			char *more = render(phrase(PH_KIT_ADVICE), &vs);
			size_t a = strlen(x->advice), m = more ? strlen(more) : 0;
			char *nv = more ? realloc(x->advice, a + m + 1) : NULL;
			if (nv) {
				memcpy(nv + a, more, m + 1);
				x->advice = nv;
			}
			free(more);
		}
}
