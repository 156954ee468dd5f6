/* alloc.c: the wrappers of the allocating functions (alloc.h), linked in by
 * -Wl,--wrap; each failure is counted.  A test build (-Dfail_alloc=true)
 * defines failalloc_fails() to make chosen allocations fail
 * (tests/faults/failalloc.c). */
#include "alloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__real_fdopen(int fd, const char *mode);
FILE *__real_tmpfile(void);
FILE *__real_open_memstream(char **buf, size_t *len);
FILE *__real_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io);
DIR *__real_opendir(const char *path);
int __real_scandir(const char *dir, struct dirent ***list,
                   int (*filter)(const struct dirent *),
                   int (*cmp)(const struct dirent **, const struct dirent **));

/* Defined by the allocation-failure test build only: true when this
 * allocation (of certscope's own code, of libcrypto's) is to fail. */
int failalloc_fails(void) __attribute__((weak));
int failalloc_crypto_fails(void) __attribute__((weak));

static uint64_t failures;

uint64_t alloc_failures(void)
{
	return __atomic_load_n(&failures, __ATOMIC_RELAXED);
}

void alloc_failed(void)
{
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
}

/* True (with errno ENOMEM) when the test build fails this one. */
static int injected(void)
{
	if (!failalloc_fails || !failalloc_fails())
		return 0;
	errno = ENOMEM;
	return 1;
}

/* p, counting a failure: what a wrapper returns. */
static void *counted(void *p)
{
	if (!p && errno == ENOMEM)
		alloc_failed();
	return p;
}

void *__wrap_malloc(size_t n)
{
	return counted(injected() ? NULL : __real_malloc(n));
}

void *__wrap_calloc(size_t n, size_t size)
{
	return counted(injected() ? NULL : __real_calloc(n, size));
}

void *__wrap_realloc(void *p, size_t n)
{
	return counted(injected() ? NULL : __real_realloc(p, n));
}

char *__wrap_strdup(const char *s)
{
	return counted(injected() ? NULL : __real_strdup(s));
}

char *__wrap_strndup(const char *s, size_t n)
{
	return counted(injected() ? NULL : __real_strndup(s, n));
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
	return counted(injected() ? NULL : __real_fopen(path, mode));
}

FILE *__wrap_fdopen(int fd, const char *mode)
{
	return counted(injected() ? NULL : __real_fdopen(fd, mode));
}

FILE *__wrap_tmpfile(void)
{
	return counted(injected() ? NULL : __real_tmpfile());
}

FILE *__wrap_open_memstream(char **buf, size_t *len)
{
	return counted(injected() ? NULL : __real_open_memstream(buf, len));
}

FILE *__wrap_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io)
{
	return counted(injected() ? NULL : __real_fopencookie(cookie, mode, io));
}

DIR *__wrap_opendir(const char *path)
{
	return counted(injected() ? NULL : __real_opendir(path));
}

int __wrap_scandir(const char *dir, struct dirent ***list,
                   int (*filter)(const struct dirent *),
                   int (*cmp)(const struct dirent **, const struct dirent **))
{
	if (injected()) {
		alloc_failed();
		return -1;
	}
	int n = __real_scandir(dir, list, filter, cmp);
	if (n < 0 && errno == ENOMEM)
		alloc_failed();
	return n;
}

void *alloc_foreign(size_t n)
{
	if (failalloc_crypto_fails && failalloc_crypto_fails()) {
		errno = ENOMEM;
		return counted(NULL);
	}
	return counted(__real_malloc(n));
}

void *realloc_foreign(void *p, size_t n)
{
	if (failalloc_crypto_fails && failalloc_crypto_fails()) {
		errno = ENOMEM;
		return counted(NULL);
	}
	return counted(__real_realloc(p, n));
}
