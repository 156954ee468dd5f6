/* slab.h: fixed-size objects carved from large chunks, for the structures
 * every open connection holds (its flow, session and handshake).  No
 * allocator header or rounding per object, and they sit together, not
 * scattered between the short-lived allocations made while judging: at a
 * million short connections that is megabytes of peak memory.
 *
 * Freed objects are kept for the next allocation of the same slab; the
 * chunks go back to malloc with slab_fini().  Under AddressSanitizer a freed
 * object is poisoned until it is handed out again, so a use after free is
 * still reported. */
#ifndef CERTSCOPE_SLAB_H
#define CERTSCOPE_SLAB_H

#include <stddef.h>
#include <stdint.h>

struct slab_chunk;

struct slab {
	size_t size; /* of an object, rounded up to 16 bytes */
	void *free;  /* freed objects, each holding the next */
	struct slab_chunk *chunks;
	uint8_t *next, *end; /* what the newest chunk has not handed out yet */
	size_t live;         /* objects handed out and not freed */
};

void slab_init(struct slab *s, size_t size);
/* A zeroed object; NULL when out of memory. */
void *slab_zalloc(struct slab *s);
/* p from slab_zalloc() on this slab, or NULL. */
void slab_free(struct slab *s, void *p);
/* Frees every chunk: every object of the slab is gone. */
void slab_fini(struct slab *s);

#endif
