/* tests/unit/test_randnet_rows.c — per-row sign fractions and relative noise
 * (numerics/randnet.h: num_randnet_row_sign_fractions, num_randnet_add_relative_noise).
 *
 * 1. Row fractions on a hand-made batch (P = 2 pairs, m = 3 rows, fractions 0, 1/2, 1: mean
 *    1/2, variance 1/4 exactly), and on random batches against a naive two-pass computation
 *    written here (explicit per-row counts, then mean and sum of squared deviations).
 * 2. Relative noise: replaying the same stream reproduces every added value; the RMS of the
 *    added noise over 2e5 entries is rel x the RMS of the input within 5 standard errors.
 * 3. Argument errors.
 */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include "numerics/randnet.h"
#include "numerics/rng.h"

static void test_rows_by_hand(void **state)
{
    (void)state;
    /* Pair 0: rows (+,+), (+,-), (-,+) -> differ 0,1,1; pair 1: (+,+), (-,-), (+,-) -> 0,0,1.
     * Row fractions (0 + 0)/2 = 0, (1 + 0)/2 = 1/2, (1 + 1)/2 = 1. A zero counts as not
     * positive: row 1 of pair 1 is (0, -1), no difference. */
    const double Z[4 * 3] = {1, 2, -3, /* x_0 */ 4, -5, 6, /* y_0 */
                             1, 0, 7,  /* x_1 */ 2, -1, -8 /* y_1 */};
    double mean, var;
    assert_int_equal(num_randnet_row_sign_fractions(Z, 2, 3, &mean, &var), NUM_OK);
    /* Every quantity is a dyadic rational computed exactly in binary: tolerance 0. */
    expect_close("mean", mean, 0.5, 0.0);
    expect_close("variance", var, 0.25, 0.0);
    assert_int_equal(num_randnet_row_sign_fractions(Z, 2, 1, &mean, &var), NUM_OK);
    expect_close("one row: variance defined as 0", var, 0.0, 0.0);
}

static void test_rows_against_naive(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(tc_test_seed(31337u));
    const size_t sizes[][2] = {{1, 2}, {5, 17}, {64, 256}, {3, 1000}};
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        size_t P = sizes[c][0], m = sizes[c][1];
        double *Z = malloc(sizeof(double) * 2 * P * m), *f = calloc(m, sizeof(double));
        num_rng_gaussian(r, 1.0, Z, 2 * P * m);
        for (size_t p = 0; p < P; p++)
            for (size_t i = 0; i < m; i++) {
                int sx = Z[2 * p * m + i] > 0.0, sy = Z[(2 * p + 1) * m + i] > 0.0;
                if (sx != sy)
                    f[i] += 1.0 / (double)P;
            }
        double mu = 0.0, ss = 0.0;
        for (size_t i = 0; i < m; i++)
            mu += f[i] / (double)m;
        for (size_t i = 0; i < m; i++)
            ss += (f[i] - mu) * (f[i] - mu);
        double mean, var;
        assert_int_equal(num_randnet_row_sign_fractions(Z, P, m, &mean, &var), NUM_OK);
        /* Values in [0, 1], m terms: each sum is off by at most m eps in either computation;
         * the one-pass variance loses at most m eps x (sum f^2 <= m) / (m - 1) more. */
        double tol = 8.0 * (double)m * DBL_EPSILON;
        expect_close("mean of the row fractions", mean, mu, tol);
        expect_close("variance of the row fractions", var, ss / ((double)m - 1.0),
                     tol * (double)m);
        free(Z), free(f);
    }
    gsl_rng_free(r);
}

static void test_noise(void **state)
{
    (void)state;
    uint64_t seed = tc_test_seed(31337u);
    const size_t n = 200000;
    const double rel = 0.3;
    double *H = malloc(sizeof(double) * n), *H0 = malloc(sizeof(double) * n);
    gsl_rng *r = num_rng_alloc(seed);
    for (size_t i = 0; i < n; i++)
        H[i] = H0[i] = 2.0 + sin((double)i); /* a non-centred input: RMS from |H|, not spread */
    assert_int_equal(num_randnet_add_relative_noise(r, rel, H, n), NUM_OK);
    gsl_rng_free(r);
    double ss = 0.0;
    for (size_t i = 0; i < n; i++)
        ss += H0[i] * H0[i];
    double sig = rel * sqrt(ss / (double)n);
    /* Replay: the same stream gives the same standard-normal draws, one per entry in order. */
    r = num_rng_alloc(seed);
    double se2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e;
        num_rng_gaussian(r, sig, &e, 1);
        /* The kernel's sum of squares (a dot product, summed in another order) differs from
         * this one by a relative n eps at most, so its sigma by n eps / 2 (+ 2 eps for the
         * sqrt and the product); the addition to an entry of size |H| rounds by eps |H|. A
         * draw out of order would differ by O(sig) = O(1). */
        double tol = fabs(e) * (0.5 * (double)n + 4.0) * DBL_EPSILON +
                     4.0 * DBL_EPSILON * fabs(H[i]);
        expect_close("replayed noise", H[i] - H0[i], e, tol);
        se2 += (H[i] - H0[i]) * (H[i] - H0[i]);
    }
    gsl_rng_free(r);
    /* Mean of n squared N(0, sig^2) draws: relative SD sqrt(2/n) = 0.0032; 5 of them. */
    expect_rel("noise variance", se2 / (double)n, sig * sig, 5.0 * sqrt(2.0 / (double)n));
    free(H), free(H0);
}

static void test_arguments(void **state)
{
    (void)state;
    double Z[4] = {1, 2, 3, 4}, mean, var;
    assert_int_equal(num_randnet_row_sign_fractions(NULL, 1, 2, &mean, &var), NUM_EINVAL);
    assert_int_equal(num_randnet_row_sign_fractions(Z, 0, 2, &mean, &var), NUM_EINVAL);
    assert_int_equal(num_randnet_row_sign_fractions(Z, 1, 0, &mean, &var), NUM_EINVAL);
    gsl_rng *r = num_rng_alloc(1);
    assert_int_equal(num_randnet_add_relative_noise(r, -1.0, Z, 4), NUM_EINVAL);
    assert_int_equal(num_randnet_add_relative_noise(r, NAN, Z, 4), NUM_EINVAL);
    assert_int_equal(num_randnet_add_relative_noise(r, 1.0, Z, 0), NUM_EINVAL);
    assert_int_equal(num_randnet_add_relative_noise(NULL, 1.0, Z, 4), NUM_EINVAL);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_by_hand),
        cmocka_unit_test(test_rows_against_naive),
        cmocka_unit_test(test_noise),
        cmocka_unit_test(test_arguments),
    };
    return TC_RUN("numerics/randnet_rows", tests);
}
