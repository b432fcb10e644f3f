/* tests/unit/test_classifier_train.c — the training-data helpers of numerics/classifier_train
 * against independent computations.
 *
 * - num_ctrain_standardize: each column against GSL's mean and fixed-mean variance of a copy
 *   of the original column (gsl_stats_mean, gsl_stats_variance_with_fixed_mean: divisor n),
 *   on columns with an offset of 1e3, a scale of 1e-3, and a constant column (must become 0
 *   exactly); then the standardised columns have mean 0 and population variance 1; bad input.
 * - num_ctrain_mixture: the exact draw order (C x d centres, then n x d noise, then centre
 *   y_i = i mod C added) rebuilt from a clone of the generator, and a deliberate fault (noise
 *   drawn before the centres) that the same comparison rejects; the scales by Monte Carlo: the
 *   mean squared centre norm is sep^2 and the mean squared noise norm 1, within 5 standard
 *   deviations of their chi-square averages; bad input.
 */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "numerics/classifier_train.h"
#include "numerics/rng.h"

/* Column j of X (n x d) with offset a_j and scale s_j; column `flat` constant. */
static void make_columns(gsl_rng *r, double *X, size_t n, size_t d, size_t flat)
{
    num_rng_gaussian(r, 1.0, X, n * d);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++) {
            double off = j == 1 ? 1e3 : 0.0, sc = j == 2 ? 1e-3 : 1.0 + (double)j;
            X[i * d + j] = j == flat ? 7.25 : off + sc * X[i * d + j];
        }
}

static void standardize_matches_gsl(void **state)
{
    (void)state;
    enum { n = 57, d = 5 };
    gsl_rng *r = num_rng_alloc(tc_test_seed(20260101u));
    assert_non_null(r);
    double X[n * d], col[n];
    make_columns(r, X, n, d, 3);
    double X0[n * d];
    memcpy(X0, X, sizeof X);
    assert_int_equal(num_ctrain_standardize(X, n, d), NUM_OK);
    for (size_t j = 0; j < d; j++) {
        for (size_t i = 0; i < n; i++)
            col[i] = X0[i * d + j];
        double mean = gsl_stats_mean(col, 1, n);
        double sd = sqrt(gsl_stats_variance_with_fixed_mean(col, 1, n, mean));
        for (size_t i = 0; i < n; i++) {
            if (j == 3) {
                /* a constant column has sd 0 and is set to 0 exactly */
                assert_true(X[i * d + j] == 0.0);
                continue;
            }
            /* both routes sum n terms: the mean carries ~n eps |offset| absolute error, which
             * divided by sd ~1 (column 1: offset 1e3) gives ~57 * 2.2e-16 * 1e3 ~ 1.3e-11;
             * 1e-9 leaves a margin of 100 and still rejects any wrong divisor (n vs n - 1:
             * relative 1/(2n) ~ 1e-2). */
            expect_close("standardised entry", X[i * d + j], (col[i] - mean) / sd, 1e-9);
        }
        if (j == 3)
            continue;
        for (size_t i = 0; i < n; i++)
            col[i] = X[i * d + j];
        /* entries O(1): sums of n of them are exact to ~n eps */
        expect_close("column mean", gsl_stats_mean(col, 1, n), 0.0, 100 * n * DBL_EPSILON);
        expect_close("column variance", gsl_stats_variance_with_fixed_mean(col, 1, n, 0.0), 1.0,
                     100 * n * DBL_EPSILON);
    }
    assert_int_equal(num_ctrain_standardize(NULL, n, d), NUM_EINVAL);
    assert_int_equal(num_ctrain_standardize(X, 0, d), NUM_EINVAL);
    assert_int_equal(num_ctrain_standardize(X, n, 0), NUM_EINVAL);
    gsl_rng_free(r);
}

/* The mixture rebuilt from its definition: centres, then noise, labels i mod C, centre added
 * (noise_first: the deliberate fault). Returns the largest entry difference to X. */
static double rebuild_diff(gsl_rng *r, size_t C, size_t per, size_t d, double sep,
                           const double *X, bool noise_first)
{
    size_t n = C * per;
    double *mu = malloc(C * d * sizeof *mu), *Z = malloc(n * d * sizeof *Z);
    assert_non_null(mu);
    assert_non_null(Z);
    if (noise_first)
        num_rng_gaussian(r, 1.0 / sqrt((double)d), Z, n * d);
    num_rng_gaussian(r, sep / sqrt((double)d), mu, C * d);
    if (!noise_first)
        num_rng_gaussian(r, 1.0 / sqrt((double)d), Z, n * d);
    double diff = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            diff = fmax(diff, fabs(X[i * d + j] - (Z[i * d + j] + mu[(i % C) * d + j])));
    free(mu);
    free(Z);
    return diff;
}

static void mixture_draw_order(void **state)
{
    (void)state;
    const size_t C = 3, per = 5, d = 4, n = C * per;
    const double sep = 2.5;
    gsl_rng *r = num_rng_alloc(tc_test_seed(20260101u) + 1);
    assert_non_null(r);
    gsl_rng *r1 = gsl_rng_clone(r), *r2 = gsl_rng_clone(r);
    double mu[3 * 4], X[15 * 4];
    size_t y[15];
    assert_int_equal(num_ctrain_mixture(r, C, per, d, sep, mu, X, y), NUM_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(y[i], i % C);
    /* x + mu - mu rounds: one addition, |x| ~ 1 */
    expect_close("rebuilt mixture", rebuild_diff(r1, C, per, d, sep, X, false), 0.0,
                 4 * DBL_EPSILON * (1.0 + sep));
    assert_true(rebuild_diff(r2, C, per, d, sep, X, true) > 1e-3);
    assert_int_equal(num_ctrain_mixture(r, 0, per, d, sep, mu, X, y), NUM_EINVAL);
    assert_int_equal(num_ctrain_mixture(NULL, C, per, d, sep, mu, X, y), NUM_EINVAL);
    gsl_rng_free(r);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

static void mixture_scales(void **state)
{
    (void)state;
    const size_t C = 50, per = 80, d = 20, n = C * per;
    const double sep = 3.0;
    gsl_rng *r = num_rng_alloc(tc_test_seed(20260101u) + 2);
    double *mu = malloc(C * d * sizeof *mu), *X = malloc(n * d * sizeof *X);
    size_t *y = malloc(n * sizeof *y);
    assert_non_null(r);
    assert_non_null(mu);
    assert_non_null(X);
    assert_non_null(y);
    assert_int_equal(num_ctrain_mixture(r, C, per, d, sep, mu, X, y), NUM_OK);
    double m2 = 0.0, z2 = 0.0;
    for (size_t k = 0; k < C * d; k++)
        m2 += mu[k] * mu[k];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++) {
            double z = X[i * d + j] - mu[y[i] * d + j];
            z2 += z * z;
        }
    /* (1/C) sum_c ||mu_c||^2 = sep^2 chi2_{Cd}/(Cd): relative sd sqrt(2/(Cd)) = 0.045;
     * (1/n) sum_i ||z_i||^2 = chi2_{nd}/(nd): sd sqrt(2/(nd)) = 0.0035. Five sd each. */
    expect_rel("mean squared centre norm", m2 / (double)C, sep * sep,
               5.0 * sqrt(2.0 / (double)(C * d)));
    expect_close("mean squared noise norm", z2 / (double)n, 1.0,
                 5.0 * sqrt(2.0 / (double)(n * d)));
    free(mu);
    free(X);
    free(y);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standardize_matches_gsl),
        cmocka_unit_test(mixture_draw_order),
        cmocka_unit_test(mixture_scales),
    };
    return TC_RUN("numerics/classifier_train", tests);
}
