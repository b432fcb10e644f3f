/* tests/unit/test_ib_merge.c — samples with equal y_n x_n merged in num_ib_setup (issue #12
 * finding 1). Soudry et al.'s Figure 1 set: support vectors x1 = (0.5, 1.5), x2 = (1.5, 0.5)
 * (y = 1) and x3 = -x1, x4 = -x2 (y = -1), so y_n x_n repeat; closed form w_hat = (0.5, 0.5)
 * (margin sqrt 2), merged duals 1/4 each (w_hat = a (g1 + g2) = a (2, 2)), 1/8 per sample.
 * Random data with a block of repeated samples must give the SVM of the data without repeats
 * with the duals shared equally. Tolerances: the SVM's certificate is ~1e-15 on these O(1)
 * data (KKT target 1e-10); 1e-12 leaves a factor 1000. */
#include "tc_test.h"

#include <string.h>

#include "numerics/implicit_bias.h"
#include "numerics/rng.h"
#include "numerics/separable.h"

#define TOL 1e-12

static void test_figure1(void **state)
{
    (void)state;
    const double X[] = {0.5, 1.5, 1.5, 0.5, -0.5, -1.5, -1.5, -0.5, 3.0, 2.0, -2.5, -2.0};
    const double y[] = {1, 1, -1, -1, 1, -1};
    num_ib_problem *p = num_ib_alloc(6, 2);
    assert_non_null(p);
    assert_int_equal(num_ib_setup(p, X, y, 10.0, 1e-8), NUM_OK);
    assert_int_equal(p->merged, 2);
    assert_int_equal(p->ns, 4);
    assert_int_equal(p->nsu, 2);
    assert_int_equal(p->degenerate, 0);
    expect_close("w_1", p->svm->w[0], 0.5, TOL);
    expect_close("w_2", p->svm->w[1], 0.5, TOL);
    for (size_t i = 0; i < 4; i++)
        expect_close("alpha per sample", p->svm->alpha[i], 0.125, TOL);
    expect_close("alpha off the margin", p->svm->alpha[4] + p->svm->alpha[5], 0.0, 0.0);
    expect_close("merged alpha", p->aS[0], 0.25, TOL);
    assert_true(p->svm->kkt.max <= TOL);
    /* w_tilde solves g.w = -log(1/8) on both distinct support vectors */
    expect_close("g1.w_tilde", 0.5 * p->wt[0] + 1.5 * p->wt[1], log(8.0), TOL);
    num_ib_free(p);
}

/* Random data plus copies of its first k samples (some with negated x and y): the same w_hat,
 * kappa_S and w_tilde as without copies; each copy and its original share the original's alpha. */
static void test_random_repeats(void **state)
{
    (void)state;
    uint64_t seed = tc_test_seed(20261203u);
    const size_t n = 30, d = 4, k = 30;
    gsl_rng *r = num_rng_alloc(seed);
    double X[60 * 4], y[60];
    assert_int_equal(num_separable_gen(r, n, d, 1.0, 0.2, X, y, NULL), NUM_OK);
    gsl_rng_free(r);
    for (size_t i = 0; i < k; i++) {
        double c = i % 2 ? -1.0 : 1.0;
        for (size_t j = 0; j < d; j++)
            X[(n + i) * d + j] = c * X[i * d + j];
        y[n + i] = c * y[i];
    }
    num_ib_problem *a = num_ib_alloc(n, d), *b = num_ib_alloc(n + k, d);
    assert_int_equal(num_ib_setup(a, X, y, 10.0, 1e-8), NUM_OK);
    assert_int_equal(num_ib_setup(b, X, y, 10.0, 1e-8), NUM_OK);
    assert_int_equal(b->merged, k);
    assert_int_equal(b->degenerate, a->degenerate);
    assert_int_equal(b->nsu, a->ns);
    for (size_t j = 0; j < d; j++) {
        expect_close("w_hat", b->svm->w[j], a->svm->w[j], TOL);
        expect_close("w_tilde", b->wt[j], a->wt[j] + (a->svm->w[j] * log(2.0)), 1e-9);
    }
    expect_rel("kappa_S", b->kappa_S, a->kappa_S, 1e-9);
    for (size_t i = 0; i < k; i++) {
        expect_close("alpha shared", b->svm->alpha[i], 0.5 * a->svm->alpha[i], TOL);
        expect_close("copy's alpha", b->svm->alpha[n + i], 0.5 * a->svm->alpha[i], TOL);
    }
    assert_true(b->svm->kkt.max <= 1e-10);
    num_ib_free(a);
    num_ib_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figure1),
        cmocka_unit_test(test_random_repeats),
    };
    return TC_RUN("numerics/ib_merge", tests);
}
