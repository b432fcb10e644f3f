/* tests/unit/test_poly.c — numerics/poly against closed forms: x^j by pow, T_j(x) by
 * cos(j arccos x) on [-1, 1] and by cosh(j arccosh x) outside; and the aliasing identity the
 * double_descent family's refuted reading rests on, T_{2n-k}(x_i) = -T_k(x_i) at the n
 * Chebyshev nodes x_i = cos((2i + 1) pi / (2n)). */
#include "tc_test.h"

#include <float.h>

#include "numerics/poly.h"

static void closed_forms(void **state)
{
    (void)state;
    double row[120];
    const double xs[] = {-1, -0.73, -0.1, 0, 0.5, 0.999, 1};
    for (size_t q = 0; q < sizeof xs / sizeof *xs; q++) {
        num_poly_row(NUM_POLY_MONOMIAL, xs[q], 40, row);
        for (size_t j = 0; j < 40; j++) /* j roundings of a product of j numbers <= 1 */
            expect_close("x^j", row[j], pow(xs[q], (double)j), 40 * DBL_EPSILON);
        num_poly_row(NUM_POLY_CHEBYSHEV, xs[q], 120, row);
        for (size_t j = 0; j < 120; j++) /* the recurrence's error grows at most like j^2 u */
            expect_close("T_j = cos(j acos x)", row[j], cos((double)j * acos(xs[q])),
                         120.0 * 120.0 * DBL_EPSILON);
    }
    num_poly_row(NUM_POLY_CHEBYSHEV, 1.5, 20, row);
    for (size_t j = 0; j < 20; j++)
        expect_rel("T_j = cosh(j acosh x)", row[j], cosh((double)j * acosh(1.5)), 1e-12);
}

static void aliasing_at_the_nodes(void **state)
{
    (void)state;
    enum { N = 76 };
    double row[2 * N];
    for (size_t i = 0; i < N; i++) {
        double x = cos((2.0 * (double)i + 1) * M_PI / (2.0 * N));
        num_poly_row(NUM_POLY_CHEBYSHEV, x, 2 * N, row);
        for (size_t k = 1; k < N; k++)
            expect_close("T_(2n-k) = -T_k at a node", row[2 * N - k], -row[k], 1e-10);
    }
}

/* The bound at n = 1 (a constant interpolant: Lambda_1 = 1 exactly) and its growth. */
static void lebesgue_bound(void **state)
{
    (void)state;
    expect_close("n = 1: 1 + (2/pi) log 2", num_poly_lebesgue_chebyshev(1), 1 + 2 / M_PI * log(2.0),
                 1e-15);
    assert_true(num_poly_lebesgue_chebyshev(1) >= 1.0);
    assert_true(num_poly_lebesgue_chebyshev(76) < num_poly_lebesgue_chebyshev(77));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closed_forms),
        cmocka_unit_test(aliasing_at_the_nodes),
        cmocka_unit_test(lebesgue_bound),
    };
    return TC_RUN("numerics/poly", tests);
}
