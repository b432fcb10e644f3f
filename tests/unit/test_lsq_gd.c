/* tests/unit/test_lsq_gd.c — numerics/lsq_gd: GD on ||y - X w||^2 against independent
 * computations: one step by hand; from zero, the limit against LAPACK's minimum-norm least
 * squares (dgelsd, num_linalg_lstsq); from w0, the null-space part of w0 (projector from
 * num_linalg_null_projector) kept and the limit X^+ y + P_null w0; bad input refused. */
#include "tc_test.h"

#include <string.h>

#include <gsl/gsl_rng.h>

#include "numerics/linalg.h"
#include "numerics/lsq_gd.h"
#include "numerics/rng.h"

enum { N = 6, D = 15 };

static void one_step_by_hand(void **state)
{
    (void)state;
    /* X = [[1, 2]], y = [3], w = 0: r = 3, g = X^T r = (3, 6), w = 2 eta g = (0.6, 1.2) at
     * eta = 0.1; then r = 3 - 0.6 - 2.4 = 0 and the gradient vanishes. */
    const double X[2] = {1, 2}, y[1] = {3};
    double w[2] = {0, 0};
    num_lsq_gd_work *k = num_lsq_gd_work_alloc(1, 2);
    num_lsq_gd_stats st;
    assert_int_equal(num_lsq_gd_steps(X, y, 1, 2, 0.1, 1, w, k, &st), NUM_OK);
    expect_close("w_1", w[0], 0.6, 1e-15); /* a handful of roundings of numbers of order 1 */
    expect_close("w_2", w[1], 1.2, 1e-15);
    expect_close("gradient after the step", st.grad_norm, 0.0, 1e-14);
    expect_close("largest residual (the start)", st.r_max, 3.0, 0.0);
    num_lsq_gd_work_free(k);
}

static void limits_against_lapack(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(7u));
    double X[N * D], y[N], w[D] = {0}, w0[D], ref[D], Pn[D * D], keep[D];
    num_rng_gaussian(r, 1.0, X, N * D);
    num_rng_gaussian(r, 1.0, y, N);
    num_rng_gaussian(r, 1.0, w0, D);
    size_t rank;
    assert_int_equal(num_linalg_lstsq(N, D, 1, X, y, 1e-12, ref, &rank), NUM_OK);
    assert_int_equal(rank, N);
    assert_int_equal(num_linalg_null_projector(N, D, X, 10.0, Pn, &rank), NUM_OK);
    double s[N], smax;
    assert_int_equal(num_linalg_svd_values(N, D, X, s), NUM_OK);
    smax = s[0];
    num_lsq_gd_work *k = num_lsq_gd_work_alloc(N, D);
    num_lsq_gd_stats st;
    /* eta = 0.5 / s_1^2: contraction 1 - s_N^2 / s_1^2 per step in the row space; 20000 steps
     * take any Gaussian 6 x 15 matrix (kappa^2 well below 1e3) far below rounding. The limit is
     * compared to 1e-11: kappa ~ 10 times 1e-15 rounding of each, with room. */
    assert_int_equal(num_lsq_gd_steps(X, y, N, D, 0.5 / (smax * smax), 20000, w, k, &st), NUM_OK);
    for (size_t i = 0; i < D; i++)
        expect_close("from zero: X^+ y (dgelsd)", w[i], ref[i], 1e-11);
    memcpy(w, w0, sizeof w);
    assert_int_equal(num_lsq_gd_steps(X, y, N, D, 0.5 / (smax * smax), 20000, w, k, &st), NUM_OK);
    for (size_t i = 0; i < D; i++) {
        keep[i] = 0;
        for (size_t j = 0; j < D; j++)
            keep[i] += Pn[i * D + j] * w0[j];
        expect_close("from w0: X^+ y + P_null w0", w[i], ref[i] + keep[i], 1e-11);
    }
    num_lsq_gd_work_free(k);
    gsl_rng_free(r);
}

static void bad_input(void **state)
{
    (void)state;
    const double X[2] = {1, 2}, y[1] = {3};
    double w[2] = {0, 0};
    num_lsq_gd_work *k = num_lsq_gd_work_alloc(1, 2);
    num_lsq_gd_stats st;
    assert_int_equal(num_lsq_gd_steps(X, y, 1, 2, 0.0, 1, w, k, &st), NUM_EINVAL);
    assert_int_equal(num_lsq_gd_steps(X, y, 1, 3, 0.1, 1, w, k, &st), NUM_EINVAL);
    /* eta = 10 on s_1^2 = 5: factor |1 - 2 * 10 * 5| = 99 per step, overflow within 200 */
    assert_int_equal(num_lsq_gd_steps(X, y, 1, 2, 10.0, 200, w, k, &st), NUM_ENAN);
    num_lsq_gd_work_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_step_by_hand),
        cmocka_unit_test(limits_against_lapack),
        cmocka_unit_test(bad_input),
    };
    return TC_RUN("numerics/lsq_gd", tests);
}
