/* tests/unit/test_relu1d.c — numerics/relu1d against independent computations: the gradient
 * (with weight decay) against central differences away from the kinks; the pattern certificate
 * on a hand case; GD started in the left-fit basin of the control's data ends at the hand-
 * computed spurious minimum (loss 30/14: the right points' squares left unfitted) and the
 * certificate confirms it; bad input refused. */
#include "tc_test.h"

#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "numerics/relu1d.h"
#include "numerics/rng.h"

static void gradient_against_differences(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(16u));
    enum { NP = 9, R = 4 };
    double x[NP], y[NP], th[3 * R], g[3 * R], t[3 * R], L, Lp, Lm;
    for (size_t n = 0; n < NP; n++)
        x[n] = -2.0 + 0.5 * (double)n + 0.1, y[n] = gsl_ran_gaussian(r, 1.0);
    num_rng_gaussian(r, 1.0, th, 3 * R);
    assert_int_equal(num_relu1d_eval(NP, x, y, R, th, 0.3, &L, g, NULL), NUM_OK);
    const double h = 1e-6; /* small enough not to cross a kink (checked: |a x + b| > 1e-4) */
    for (size_t i = 0; i < R; i++)
        for (size_t n = 0; n < NP; n++)
            assert_true(fabs(th[i] * x[n] + th[R + i]) > 1e-4 * (1 + fabs(x[n])));
    for (size_t a = 0; a < 3 * R; a++) {
        memcpy(t, th, sizeof t);
        t[a] += h;
        assert_int_equal(num_relu1d_eval(NP, x, y, R, t, 0.3, &Lp, NULL, NULL), NUM_OK);
        t[a] -= 2 * h;
        assert_int_equal(num_relu1d_eval(NP, x, y, R, t, 0.3, &Lm, NULL, NULL), NUM_OK);
        expect_close("gradient vs central difference", g[a], (Lp - Lm) / (2 * h), 1e-7);
    }
    gsl_rng_free(r);
}

static void pattern_by_hand(void **state)
{
    (void)state;
    /* x = (-1, 1, 2), y = (1, 1, 2), (a, b) = (1, 0): active {1, 2}, the line y = x fits them
     * exactly, the inactive point leaves 1^2: pattern_min = 1 / (2 * 3); margin = 1. */
    const double x[3] = {-1, 1, 2}, y[3] = {1, 1, 2};
    double pm, mg;
    size_t act;
    assert_int_equal(num_relu1d_pattern_min(3, x, y, 1.0, 0.0, &pm, &mg, &act), NUM_OK);
    expect_close("pattern_min", pm, 1.0 / 6.0, 1e-15);
    expect_close("margin", mg, 1.0, 1e-15);
    assert_int_equal(act, 2);
    /* a dead unit: nothing active, pattern_min = sum y^2 / 6 = 1 */
    assert_int_equal(num_relu1d_pattern_min(3, x, y, -1.0, -5.0, &pm, &mg, &act), NUM_OK);
    expect_close("dead pattern_min", pm, 1.0, 1e-15);
    assert_int_equal(act, 0);
}

static void left_fit_is_a_local_minimum(void **state)
{
    (void)state;
    const double x[7] = {-3, -2, -1, 1, 2, 3, 4}, y[7] = {3, 2, 1, 1, 2, 3, 4};
    double th[3] = {-0.8, 0.1, 1.3}, work[11], gn, L, pm, mg; /* kink near 0, facing left */
    size_t steps, act;
    assert_int_equal(num_relu1d_gd(7, x, y, 1, th, 0.0, 0.05, 200000, 1e-12, work, &steps, &gn,
                                   &L), NUM_OK);
    assert_true(gn <= 1e-12);
    /* the left points are fitted exactly (y = -x), the right ones not at all: 30 / 14 */
    expect_close("spurious value", L, 30.0 / 14.0, 1e-12);
    assert_int_equal(num_relu1d_pattern_min(7, x, y, th[0], th[1], &pm, &mg, &act), NUM_OK);
    assert_int_equal(act, 3);
    assert_true(mg > 0.1);
    expect_close("loss equals the pattern's least squares", L, pm, 1e-12);
}

static void bad_input(void **state)
{
    (void)state;
    const double x[1] = {1}, y[1] = {1};
    double th[3] = {1, 0, 1}, L, pm, mg, work[5], gn;
    size_t act, steps;
    assert_int_equal(num_relu1d_eval(1, x, y, 1, th, -1.0, &L, NULL, NULL), NUM_EINVAL);
    assert_int_equal(num_relu1d_pattern_min(1, x, y, 0.0, 0.0, &pm, &mg, &act), NUM_EINVAL);
    assert_int_equal(num_relu1d_gd(1, x, y, 1, th, 0.0, 0.0, 1, 0, work, &steps, &gn, &L),
                     NUM_EINVAL);
    double big[3] = {1e200, 1e200, 1e200}; /* the loss overflows */
    assert_int_equal(num_relu1d_eval(1, x, y, 1, big, 0.0, &L, NULL, NULL), NUM_ENAN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gradient_against_differences),
        cmocka_unit_test(pattern_by_hand),
        cmocka_unit_test(left_fit_is_a_local_minimum),
        cmocka_unit_test(bad_input),
    };
    return TC_RUN("numerics/relu1d", tests);
}
