/* tests/unit/tc_test.h — what every unit test shares: cmocka, one comparison helper with one
 * argument order, and the test seed.
 *
 *   expect_close("gap", observed, expected, tol);   // |observed - expected| <= tol
 *   expect_rel("norm", observed, expected, rtol);   // |observed - expected| <= rtol |expected|
 *   uint64_t s = tc_test_seed(20240601u);           // TC_TEST_SEED overrides, printed once
 *
 * A failure prints "%.18g observed vs %.18g expected" so the numbers can be pasted into a
 * reproduction. Test names are hierarchical: "module/what", e.g. cmocka_unit_test names are
 * grouped by the suite name passed to TC_RUN("numerics/svm", tests).
 */
#ifndef TC_TEST_H
#define TC_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static inline void tc_expect_close_at(const char *what, double observed, double expected,
                                      double tol, const char *file, int line)
{
    if (!(fabs(observed - expected) <= tol)) {
        print_error("%s:%d: %s: %.18g observed vs %.18g expected (tol %.3g)\n", file, line,
                    what, observed, expected, tol);
        fail();
    }
}

static inline void tc_expect_rel_at(const char *what, double observed, double expected,
                                    double rtol, const char *file, int line)
{
    tc_expect_close_at(what, observed, expected, rtol * fabs(expected), file, line);
}

#define expect_close(what, observed, expected, tol)                                           \
    tc_expect_close_at((what), (observed), (expected), (tol), __FILE__, __LINE__)
#define expect_rel(what, observed, expected, rtol)                                            \
    tc_expect_rel_at((what), (observed), (expected), (rtol), __FILE__, __LINE__)

/* The seed of this test program: `fallback`, or the environment variable TC_TEST_SEED (a
 * decimal integer) to rerun a test with other numbers. Printed once to stderr. */
static inline uint64_t tc_test_seed(uint64_t fallback)
{
    static int printed;
    const char *env = getenv("TC_TEST_SEED");
    uint64_t seed = fallback;
    if (env && *env) {
        char *end;
        unsigned long long v = strtoull(env, &end, 10);
        if (!*end)
            seed = (uint64_t)v;
    }
    if (!printed) {
        fprintf(stderr, "test seed: %llu%s\n", (unsigned long long)seed,
                env && *env ? " (TC_TEST_SEED)" : " (set TC_TEST_SEED to change)");
        printed = 1;
    }
    return seed;
}

/* Run a suite under a hierarchical group name ("numerics/svm"). */
#define TC_RUN(group, tests) cmocka_run_group_tests_name((group), (tests), NULL, NULL)

#endif /* TC_TEST_H */
