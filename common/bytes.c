/* bytes.c: der_hash and counted DER blobs (bytes.h). */
#include "bytes.h"

#include <stdlib.h>
#include <string.h>

uint64_t der_hash(const uint8_t *p, size_t len)
{
	/* 64-bit FNV-1a over eight bytes at a time, then a final mix */
	uint64_t h = 0xcbf29ce484222325u ^ len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, &p[i], 8);
		h = (h ^ w) * 0x100000001b3u;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

struct der_blob *der_blob_new(const uint8_t *der, size_t len)
{
	struct der_blob *b = malloc(sizeof(*b) + (len ? len : 1));
	if (!b)
		return NULL;
	b->refs = 1;
	b->len = len;
	memcpy(b->der, der, len);
	b->hash = der_hash(b->der, len);
	return b;
}

struct der_blob *der_blob_ref(struct der_blob *b)
{
	b->refs++;
	return b;
}

void der_blob_unref(struct der_blob *b)
{
	if (b && --b->refs == 0)
		free(b);
}
