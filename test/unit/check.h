/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* check.h: the assertion macro the enclave's own unit tests share: report, count, exit non-zero at the end. */
#ifndef AETHER_TEST_CHECK_H
#define AETHER_TEST_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond)                                                                       \
        do {                                                                              \
                if (!(cond)) {                                                            \
                        fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
                        check_failures++;                                                 \
                }                                                                         \
        } while (0)

/* CHECK_MSG(cond, fmt, ...): CHECK with a printf-style message; fmt is the first variadic argument so
 * a message without arguments stays valid C11. */
#define CHECK_MSG(cond, ...)                                                                      \
        do {                                                                                      \
                if (!(cond)) {                                                                    \
                        fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);  \
                        fprintf(stderr, __VA_ARGS__);                                             \
                        fputc('\n', stderr);                                                      \
                        check_failures++;                                                         \
                }                                                                                 \
        } while (0)

/* The last statement of main(). */
static inline int check_summary(const char *suite) {
        printf("%s: %s (%d failed checks)\n", suite, check_failures ? "FAIL" : "PASS", check_failures);
        return check_failures ? 1 : 0;
}

#endif
