/* tests/unit/test_fit.c — line and power-law fits against hand-computed values.
 *
 * Reference (computed by hand, OLS textbook formulas, Numerical Recipes 3rd ed. §15.2):
 * x = 1,2,3,4; y = 2,3,5,4: xbar = 2.5, ybar = 3.5, Sxx = 5, Sxy = 4, slope = 0.8,
 * intercept = 1.5, residuals -0.3, -0.1, 1.1, -0.7, SSres = 1.8, s^2 = SSres/(n-2) = 0.9,
 * se(slope) = sqrt(s^2/Sxx) = sqrt(0.18), se(intercept) = sqrt(s^2 (1/n + xbar^2/Sxx))
 * = sqrt(1.35), SStot = 5, R^2 = 0.64. With unit weights the weighted fit gives the same line
 * and standard errors without the s^2 factor: sqrt(1/Sxx) = sqrt(0.2), sqrt(1.5).
 */

#include "tc_test.h"

#include <float.h>
#include <math.h>

#include "numerics/fit.h"

#define TOL (64 * DBL_EPSILON)

static void test_line_by_hand(void **state)
{
    (void)state;
    double x[] = {1, 2, 3, 4}, y[] = {2, 3, 5, 4}, w[] = {1, 1, 1, 1};
    num_fit_line f;
    assert_int_equal(num_fit_linear(4, x, y, NULL, &f), NUM_OK);
    expect_close("slope", f.slope, 0.8, TOL);
    expect_close("intercept", f.intercept, 1.5, TOL);
    expect_close("sumsq", f.sumsq, 1.8, TOL);
    expect_close("se slope", f.se_slope, sqrt(0.18), TOL);
    expect_close("se intercept", f.se_intercept, sqrt(1.35), TOL);
    expect_close("r2", f.r2, 0.64, TOL);
    assert_int_equal(num_fit_linear(4, x, y, w, &f), NUM_OK);
    expect_close("weighted slope", f.slope, 0.8, TOL);
    expect_close("weighted se slope", f.se_slope, sqrt(0.2), TOL);
    expect_close("weighted se intercept", f.se_intercept, sqrt(1.5), TOL);
    expect_close("chi2", f.sumsq, 1.8, TOL);
}

/* y = 3 x^-1.5 exactly: exponent -1.5, prefactor log 3, zero residual. */
static void test_power(void **state)
{
    (void)state;
    double x[10], y[10];
    for (int i = 0; i < 10; i++) {
        x[i] = i + 1;
        y[i] = 3.0 * pow(x[i], -1.5);
    }
    num_fit_line f;
    assert_int_equal(num_fit_power(10, x, y, NULL, &f), NUM_OK);
    expect_close("exponent", f.slope, -1.5, 1e-13);
    expect_close("log prefactor", f.intercept, log(3.0), 1e-13);
    assert_true(f.se_slope < 1e-12);
    y[3] = -1;
    assert_int_equal(num_fit_power(10, x, y, NULL, &f), NUM_EINVAL);
}

static void test_bad(void **state)
{
    (void)state;
    double x[] = {2, 2, 2}, y[] = {1, 2, 3};
    num_fit_line f;
    assert_int_equal(num_fit_linear(3, x, y, NULL, &f), NUM_EINVAL); /* vertical line */
    assert_int_equal(num_fit_linear(1, x, y, NULL, &f), NUM_EINVAL);
    double x2[] = {1, NAN, 3};
    assert_int_equal(num_fit_linear(3, x2, y, NULL, &f), NUM_ENAN);
    double x3[] = {1, 2}, y3[] = {1, 3};
    assert_int_equal(num_fit_linear(2, x3, y3, NULL, &f), NUM_OK);
    expect_close("two points", f.slope, 2.0, TOL);
    assert_true(isnan(f.se_slope));
}

/* The window fit selects by key and equals num_fit_linear on the selected points, computed
 * here by hand-picking them (independent of the selection loop); the window ends are
 * inclusive. Identical input to gsl_fit_linear in the same order gives bit-identical output,
 * hence tolerance 0. */
static void test_window(void **state)
{
    (void)state;
    double key[8], x[8], y[8];
    for (int i = 0; i < 8; i++) {
        key[i] = 0.5 * i;                      /* 0, 0.5, ..., 3.5 */
        x[i] = log(1.0 + i);
        y[i] = 2.0 - 0.3 * x[i] + 0.01 * (i % 3); /* not exactly a line */
    }
    num_fit_line fw, fr;
    /* window [1, 2.5]: indices 2..5 */
    assert_int_equal(num_fit_linear_window(8, x, y, key, 1.0, 2.5, &fw), NUM_OK);
    assert_int_equal(num_fit_linear(4, x + 2, y + 2, NULL, &fr), NUM_OK);
    assert_int_equal(fw.n, 4);
    expect_close("window slope", fw.slope, fr.slope, 0.0);
    expect_close("window intercept", fw.intercept, fr.intercept, 0.0);
    expect_close("window se slope", fw.se_slope, fr.se_slope, 0.0);
    /* the key may be x itself: window [x_1, x_6] inclusive holds 6 points */
    assert_int_equal(num_fit_linear_window(8, x, y, x, x[1], x[6], &fw), NUM_OK);
    assert_int_equal(fw.n, 6);
    /* fewer than 3 points in the window (and an empty one) */
    assert_int_equal(num_fit_linear_window(8, x, y, key, 1.0, 1.5, &fw), NUM_EINVAL);
    assert_int_equal(num_fit_linear_window(8, x, y, key, 10.0, 20.0, &fw), NUM_EINVAL);
    assert_int_equal(num_fit_linear_window(0, x, y, key, 0.0, 1.0, &fw), NUM_EINVAL);
    /* a non-finite value outside the window does not matter, inside it does */
    x[7] = NAN;
    assert_int_equal(num_fit_linear_window(8, x, y, key, 1.0, 2.5, &fw), NUM_OK);
    assert_int_equal(num_fit_linear_window(8, x, y, key, 1.0, 3.5, &fw), NUM_ENAN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_by_hand),
        cmocka_unit_test(test_power),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_window),
    };
    return TC_RUN("numerics/fit", tests);
}
