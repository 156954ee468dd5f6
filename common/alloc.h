/* alloc.h: allocations that failed, counted.
 *
 * Every program built from these rooms is linked with -Wl,--wrap=malloc,...
 * (meson.build), so each allocation of certscope's own code passes through
 * alloc.c, which counts the ones that fail; libcrypto's pass through it too
 * (judge/certificate.c gives it alloc_foreign()).  A verdict made while an
 * allocation failed is left out, and main() says so at the end and exits 2:
 * the run is incomplete, however well each caller coped.
 * Safe from any thread. */
#ifndef CERTSCOPE_ALLOC_H
#define CERTSCOPE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

/* libcrypto's allocations, for CRYPTO_set_mem_functions() (judge/
 * certificate.c): counted as they fail, apart from certscope's own. */
void *alloc_foreign(size_t n);
void *realloc_foreign(void *p, size_t n);

/* The allocations that failed so far. */
uint64_t alloc_failures(void);
/* One more failed (for one certscope did not make itself: libcrypto's). */
void alloc_failed(void);

#endif
