/* check.h: the reporting shared by the unit tests.
 *
 * A case is a function returning bool; the CHECK macros below return false
 * from it at the first failed assertion, after recording why.  Each binary
 * runs its table of cases through check_case(), which prints "ok name" or
 * "FAIL name: why", and ends with check_summary(), which prints
 * "N passed, M failed" and returns the exit status.
 */
#ifndef CERTSCOPE_TEST_CHECK_H
#define CERTSCOPE_TEST_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;
static char check_why[1024];

static inline void check_failf(int line, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void check_failf(int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(check_why, sizeof(check_why), "line %d: ", line);
	if (n < 0 || (size_t)n >= sizeof(check_why))
		return;
	va_start(ap, fmt);
	vsnprintf(check_why + n, sizeof(check_why) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Reports one case; ok is what its function returned. */
static inline void check_case(const char *name, bool ok)
{
	if (ok) {
		check_passed++;
		printf("ok %s\n", name);
	} else {
		check_failed++;
		printf("FAIL %s: %s\n", name,
		       check_why[0] ? check_why : "(no reason recorded)");
	}
	check_why[0] = '\0';
	fflush(stdout);
}

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			check_failf(__LINE__, "%s", #cond);                              \
			return false;                                                    \
		}                                                                        \
	} while (0)

/* Integers of any width, compared and shown as unsigned long long. */
#define CHECK_EQ(got, want)                                                              \
	do {                                                                             \
		unsigned long long got_ = (unsigned long long)(got);                     \
		unsigned long long want_ = (unsigned long long)(want);                   \
		if (got_ != want_) {                                                     \
			check_failf(__LINE__,                                            \
			            "%s is %llu (0x%llx), expected %llu (0x%llx)", #got, \
			            got_, got_, want_, want_);                           \
			return false;                                                    \
		}                                                                        \
	} while (0)

/* Strings; NULL is shown as (null) and equals only NULL. */
#define CHECK_STR(got, want)                                                             \
	do {                                                                             \
		const char *got_ = (got), *want_ = (want);                               \
		if ((got_ == NULL) != (want_ == NULL) ||                                 \
		    (got_ && strcmp(got_, want_) != 0)) {                                \
			check_failf(__LINE__, "%s is \"%s\", expected \"%s\"", #got,     \
			            got_ ? got_ : "(null)", want_ ? want_ : "(null)");   \
			return false;                                                    \
		}                                                                        \
	} while (0)

/* Byte ranges. */
#define CHECK_MEM(got, got_len, want, want_len)                                          \
	do {                                                                             \
		size_t gl_ = (got_len), wl_ = (want_len);                                \
		if (gl_ != wl_ || (gl_ && memcmp((got), (want), gl_) != 0)) {            \
			check_failf(__LINE__,                                            \
			            "%s (%zu bytes) differs from %s (%zu bytes)", #got,  \
			            gl_, #want, wl_);                                    \
			return false;                                                    \
		}                                                                        \
	} while (0)

#endif
