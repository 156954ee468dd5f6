/* failalloc.c: the allocation-failure mode (meson -Dfail_alloc=true), in the
 * manner of Suricata's fuzzing.  Each allocation of certscope's own code
 * passes through common/alloc.c's wrappers (-Wl,--wrap=malloc,...), which
 * ask failalloc_fails() here, and libcrypto's through alloc_foreign()
 * (CRYPTO_set_mem_functions(), judge/certificate.c), which asks
 * failalloc_crypto_fails().  Nothing fails unless asked:
 *
 *   CERTSCOPE_FAIL_ALLOC=N     the Nth allocation of certscope's own code
 *                              (1-based) returns NULL with errno ENOMEM;
 *                              N+ fails the Nth and every one after it
 *   CERTSCOPE_FAIL_CRYPTO=N    likewise for libcrypto's allocations
 *   CERTSCOPE_ALLOC_COUNT=FILE at exit, "own A crypto C failed F" to FILE:
 *                              the allocations made and those failed
 *   CERTSCOPE_FAIL_TRACE=1     the stack of each failed allocation on stderr
 *                              (in a build with -Db_sanitize=address)
 *
 * The fuzz replay targets call failalloc_input() before each input, so the
 * count starts again with each (tests/fuzz/replay.c); their sweep
 * (CERTSCOPE_FAIL_SWEEP) reads the count of an input with failalloc_count()
 * and chooses the allocation to fail with failalloc_plan().  libpcap, libarchive,
 * zlib and libzstd are shared libraries and allocate unseen; the functions
 * of the C library that allocate for certscope (fopen, fdopen, tmpfile,
 * open_memstream, fopencookie, opendir, scandir) count as allocations. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct counter {
	unsigned long fail_at; /* 0: never */
	int from_on;           /* every allocation from fail_at on */
	unsigned long n;
};

static struct counter own, crypto;
static unsigned long failed;
static const char *count_file;
static int trace;

/* ASan's, in a sanitized build: where the failed allocation was made. */
void __sanitizer_print_stack_trace(void) __attribute__((weak));

static void parse(struct counter *c, const char *v)
{
	char *end;
	if (!v || !*v)
		return;
	c->fail_at = strtoul(v, &end, 10);
	c->from_on = *end == '+';
}

/* Defined by tests/fuzz/replay.c: nothing fails before the first input
 * (the target's set-up is not what is tested). */
extern const int failalloc_per_input __attribute__((weak));
static int started;

/* True when this allocation is to fail. */
static int fails(struct counter *c)
{
	if (&failalloc_per_input && !started)
		return 0;
	unsigned long k = __atomic_add_fetch(&c->n, 1, __ATOMIC_RELAXED);
	if (!c->fail_at || k < c->fail_at || (k > c->fail_at && !c->from_on))
		return 0;
	__atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
	if (trace && __sanitizer_print_stack_trace)
		__sanitizer_print_stack_trace();
	return 1;
}

void failalloc_input(void)
{
	started = 1;
	__atomic_store_n(&own.n, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&crypto.n, 0, __ATOMIC_RELAXED);
}

unsigned long failalloc_count(int of_crypto)
{
	return __atomic_load_n(of_crypto ? &crypto.n : &own.n, __ATOMIC_RELAXED);
}

void failalloc_plan(int of_crypto, unsigned long fail_at, int from_on)
{
	struct counter *c = of_crypto ? &crypto : &own;
	c->fail_at = fail_at;
	c->from_on = from_on;
}

/* Called by common/alloc.c for each allocation of certscope's own code. */
int failalloc_fails(void)
{
	return fails(&own);
}

/* Likewise for libcrypto's (common/alloc.c's alloc_foreign()). */
int failalloc_crypto_fails(void)
{
	return fails(&crypto);
}

static void report(void)
{
	if (!count_file)
		return;
	int fd = open(count_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	char line[128];
	int n = snprintf(line, sizeof(line), "own %lu crypto %lu failed %lu\n", own.n,
	                 crypto.n, failed);
	if (write(fd, line, (size_t)n) < 0)
		n = 0;
	close(fd);
}

__attribute__((constructor)) static void failalloc_init(void)
{
	parse(&own, getenv("CERTSCOPE_FAIL_ALLOC"));
	parse(&crypto, getenv("CERTSCOPE_FAIL_CRYPTO"));
	count_file = getenv("CERTSCOPE_ALLOC_COUNT");
	trace = getenv("CERTSCOPE_FAIL_TRACE") != NULL;
	atexit(report);
}
