/* derpool.c: recent certificates by their DER (derpool.h). */
#include "derpool.h"

#include <stdlib.h>
#include <string.h>

/* A power of two, and what one slot may hold: the pool bounds itself. */
#define POOL_SLOTS   512
#define POOL_MAX_DER (16u << 10)

struct der_pool {
	struct der_blob *slots[POOL_SLOTS];
};

struct der_pool *der_pool_new(void)
{
	return calloc(1, sizeof(struct der_pool));
}

void der_pool_free(struct der_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < POOL_SLOTS; i++)
		der_blob_unref(p->slots[i]);
	free(p);
}

struct der_blob *der_pool_get(struct der_pool *p, const uint8_t *der, size_t len)
{
	if (!p || len > POOL_MAX_DER)
		return der_blob_new(der, len);
	uint64_t h = der_hash(der, len);
	struct der_blob **slot = &p->slots[h & (POOL_SLOTS - 1)];
	struct der_blob *b = *slot;
	if (b && b->hash == h && b->len == len && memcmp(b->der, der, len) == 0)
		return der_blob_ref(b);
	b = der_blob_new(der, len);
	if (!b)
		return NULL;
	der_blob_unref(*slot);
	*slot = der_blob_ref(b);
	return b;
}
