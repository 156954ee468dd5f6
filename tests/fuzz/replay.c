/* replay.c: runs a fuzz target once on each file given (folders are read,
 * sorted by name), without libFuzzer, so `meson test` replays the seed
 * corpora and every regression input in every build, sanitized or not.
 * Prints each input, then "N passed, 0 failed"; an input that breaks the
 * target ends the process (abort, or a sanitizer report).  In a build with
 * -Dfail_alloc=true, CERTSCOPE_FAIL_SWEEP runs each input with each of a
 * plan of its allocations failing (below; tests/faults/fuzz_sweep.py). */
#include "failures.h"

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replayed;

/* With -Dfail_alloc=true (tests/faults/failalloc.c): the count of
 * allocations starts again with each input, so CERTSCOPE_FAIL_ALLOC=N fails
 * the Nth allocation of every input. */
void failalloc_input(void) __attribute__((weak));
unsigned long failalloc_count(int of_crypto) __attribute__((weak));
void failalloc_plan(int of_crypto, unsigned long fail_at, int from_on)
    __attribute__((weak));
const int failalloc_per_input = 1;

/* LeakSanitizer's, in a build with -Db_sanitize=address. */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* ---- the allocation-failure sweep (CERTSCOPE_FAIL_SWEEP) -----------------
 *
 * Each input is run once without failures (the reference, failures.h),
 * once more to count its allocations (and to write what the reference
 * wrote), then once for each allocation of a plan, failed alone (N) or
 * with every one after it (N+), of certscope's own code or, with a "c"
 * before it (cN, cN+), of libcrypto's:
 *
 *   spread   N = 1..30, then N growing by a fifth up to the count and the
 *            count itself; N+ at 1, 4, 16, 64 ... (CI)
 *   full     every N and every N+ up to the count
 *   crypto, crypto-full   likewise of libcrypto's allocations
 *   N,cM+,... those alone (a failure found by the others, again)
 *
 * A run that breaks a check ends the process as in a plain replay, first
 * saying which input and which allocation; LeakSanitizer looks for leaks
 * once the input's runs are done. */

static const char *sweep;
static bool sweep_crypto, sweep_full, sweep_list;
static long sweep_runs;

/* What is being run, for the death notes (written with write(2) alone). */
static char now_running[4200];

static void say_running(void)
{
	if (now_running[0] && write(2, now_running, strlen(now_running)) < 0)
		now_running[0] = 0;
}

static void on_abort(int sig)
{
	(void)sig;
	say_running();
}

static void sweep_init(void)
{
	const char *v = getenv("CERTSCOPE_FAIL_SWEEP");
	if (!v || !*v)
		return;
	if (!failalloc_plan) {
		fputs("CERTSCOPE_FAIL_SWEEP needs a build with -Dfail_alloc=true\n",
		      stderr);
		exit(2);
	}
	sweep = v;
	sweep_crypto = !strncmp(v, "crypto", 6);
	sweep_full = !strcmp(v, "full") || !strcmp(v, "crypto-full");
	sweep_list = !sweep_full && strcmp(v, "spread") && strcmp(v, "crypto");
	signal(SIGABRT, on_abort);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(say_running);
}

/* One failure planned: the allocation (0: none) of which counter. */
struct fail {
	bool crypto;
	unsigned long at;
	bool from_on;
};

/* One run of the input with f. */
static void run_once(const uint8_t *data, size_t len, const char *path,
                     enum fuzz_pass pass, struct fail f)
{
	if (f.at)
		snprintf(
		    now_running, sizeof(now_running),
		    "fuzz sweep: the run that broke: CERTSCOPE_FAIL_SWEEP=%s%lu%s %s\n",
		    f.crypto ? "c" : "", f.at, f.from_on ? "+" : "", path);
	else
		snprintf(now_running, sizeof(now_running),
		         "fuzz sweep: the run that broke: %s without failures\n", path);
	failalloc_plan(f.crypto, f.at, f.from_on);
	failalloc_input();
	fuzz_input_begin(pass);
	LLVMFuzzerTestOneInput(data, len);
	bool same = fuzz_input_end();
	sweep_runs++;
	failalloc_plan(f.crypto, 0, 0);
	if (!same)
		abort();
}

/* The plan's runs of one input, as CERTSCOPE_FAIL_SWEEP lists them. */
static char plan_text[1 << 16];

static void planned(const uint8_t *data, size_t len, const char *path, struct fail f)
{
	size_t k = strlen(plan_text);
	if (k + 32 < sizeof(plan_text))
		snprintf(plan_text + k, sizeof(plan_text) - k, "%s%s%lu%s", k ? "," : "",
		         f.crypto ? "c" : "", f.at, f.from_on ? "+" : "");
	run_once(data, len, path, FUZZ_COMPARED, f);
}

/* LeakSanitizer, once an input's runs are done (after each run it would
 * cost more than the runs): a leak names the input and its plan, which
 * tests/faults/fuzz_sweep.py runs one allocation at a time to name the
 * run that leaked. */
static void leak_check(const char *path)
{
	if (!__lsan_do_recoverable_leak_check || !__lsan_do_recoverable_leak_check())
		return;
	fprintf(stderr, "fuzz sweep: a run leaked: CERTSCOPE_FAIL_SWEEP=%s %s\n",
	        plan_text[0] ? plan_text : "0", path);
	/* said once: not again by LeakSanitizer at exit, with this input's
	 * buffer beside it */
	fflush(stdout);
	_exit(1);
}

/* The runs CERTSCOPE_FAIL_SWEEP lists: N, N+, cN, cN+ separated by commas. */
static void listed(const uint8_t *data, size_t len, const char *path)
{
	for (const char *p = sweep; *p;) {
		struct fail f = {*p == 'c', 0, false};
		char *end;
		p += f.crypto;
		f.at = strtoul(p, &end, 10);
		if (end == p)
			break;
		f.from_on = *end == '+';
		if (f.at)
			planned(data, len, path, f);
		p = end + f.from_on;
		p += *p == ',';
	}
}

static void sweep_input(const uint8_t *data, size_t len, const char *path)
{
	plan_text[0] = 0;
	run_once(data, len, path, FUZZ_REFERENCE, (struct fail){0});
	run_once(data, len, path, FUZZ_COMPARED, (struct fail){0});
	unsigned long own = failalloc_count(0), crypto = failalloc_count(1);
	unsigned long count = sweep_crypto ? crypto : own;
	if (sweep_list)
		listed(data, len, path);
	for (unsigned long n = 1; n <= count && !sweep_list; n++) {
		planned(data, len, path, (struct fail){sweep_crypto, n, false});
		if (!sweep_full && n >= 30 && n < count) {
			unsigned long next = n + n / 5;
			n = (next < count ? next : count) - 1;
		}
	}
	for (unsigned long n = 1; n <= count && !sweep_list; n++) {
		planned(data, len, path, (struct fail){sweep_crypto, n, true});
		if (!sweep_full)
			n = 4 * n - 1;
	}
	leak_check(path);
	printf("  %lu allocations, %lu of libcrypto\n", own, crypto);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	uint8_t *data = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *v = realloc(data, cap);
			if (!v) {
				free(data);
				fclose(f);
				return -1;
			}
			data = v;
		}
		size_t n = fread(data + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	printf("replay %s (%zu bytes)\n", path, len);
	fflush(stdout);
	/* a copy of exactly len bytes, so ASan sees any read past the input */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(data);
		return -1;
	}
	memcpy(exact, data, len);
	free(data);
	if (sweep) {
		sweep_input(exact, len, path);
	} else {
		if (failalloc_input)
			failalloc_input();
		fuzz_input_begin(FUZZ_PLAIN);
		LLVMFuzzerTestOneInput(exact, len);
	}
	free(exact);
	replayed++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		/* dot files and the README that says what a folder holds */
		if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
			continue;
		char **v = realloc(names, (n + 1) * sizeof(*v));
		if (!v)
			break;
		names = v;
		if ((names[n] = strdup(e->d_name)))
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char full[4096];
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (run_path(full) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int failed = 0;
	sweep_init();
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i]) < 0)
			failed++;
	if (sweep)
		printf("%ld runs\n", sweep_runs);
	printf("%d passed, %d failed\n", replayed, failed);
	return failed ? 1 : 0;
}
