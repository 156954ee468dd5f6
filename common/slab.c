/* slab.c: fixed-size objects carved from large chunks (slab.h). */
#include "slab.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n)   ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* 64 KiB a chunk: a few hundred objects, one allocation. */
#define CHUNK_BYTES (64u << 10)

struct slab_chunk {
	struct slab_chunk *next;
	size_t bytes;        /* of objects */
	max_align_t align[]; /* the objects */
};

void slab_init(struct slab *s, size_t size)
{
	memset(s, 0, sizeof(*s));
	if (size < sizeof(void *))
		size = sizeof(void *);
	s->size = (size + 15) & ~(size_t)15;
}

void *slab_zalloc(struct slab *s)
{
	void *p = s->free;
	if (p) {
		UNPOISON(p, s->size);
		memcpy(&s->free, p, sizeof(void *));
	} else {
		if ((size_t)(s->end - s->next) < s->size) {
			size_t n = CHUNK_BYTES / s->size;
			size_t bytes = (n ? n : 1) * s->size;
			struct slab_chunk *c = malloc(sizeof(*c) + bytes);
			if (!c)
				return NULL;
			c->next = s->chunks;
			c->bytes = bytes;
			s->chunks = c;
			s->next = (uint8_t *)c->align;
			s->end = s->next + bytes;
			POISON(s->next, (size_t)(s->end - s->next));
		}
		p = s->next;
		s->next += s->size;
		UNPOISON(p, s->size);
	}
	s->live++;
	return memset(p, 0, s->size);
}

void slab_free(struct slab *s, void *p)
{
	if (!p)
		return;
	memcpy(p, &s->free, sizeof(void *));
	s->free = p;
	s->live--;
	/* the link stays readable: only the rest of the object is poisoned */
	POISON((uint8_t *)p + sizeof(void *), s->size - sizeof(void *));
}

void slab_fini(struct slab *s)
{
	for (struct slab_chunk *c = s->chunks, *next; c; c = next) {
		next = c->next;
		UNPOISON(c->align, c->bytes);
		free(c);
	}
	memset(s, 0, sizeof(*s));
}
