/* tests/unit/test_svm_nnls_ws.c — the NNLS workspace of numerics/svm.h.
 *
 * One workspace serves many solves: each answer must be bit for bit the one of num_svm_nnls
 * (which allocates its own workspace per call), whatever the workspace served before (larger
 * and smaller problems, solves that used the round-off guard), and must satisfy the
 * Karush-Kuhn-Tucker conditions of NNLS, recomputed here by hand loops: x >= 0, the dual vector
 * w = E^T (f - E x) is <= 0 up to rounding, and w_j = 0 where x_j > 0 (these are sufficient for
 * the convex problem, Lawson & Hanson ch. 23 Theorem 23.4). Also: the size check (a too small
 * workspace is refused), and that a num_svm solved twice (its NNLS workspace reused) gives the
 * same bits as a fresh one.
 */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include "numerics/rng.h"
#include "numerics/separable.h"
#include "numerics/svm.h"

#define MMAX 9
#define NMAX 11

/* KKT of min ||E x - f||, x >= 0, by hand loops (independent of the BLAS calls of svm.c).
 * Rounding: w_j is a dot product of length m after a residual, both with terms bounded by
 * scale = max_j ||e_j|| (||f|| + max_j ||e_j|| ||x||_1); their error is about m eps scale, and
 * the stationarity of the passive least-squares solve adds cond(E_P) m eps scale. Random
 * Gaussian E_P of at most 11 columns have cond(E_P) below 1e3 except with tiny probability,
 * so the error stays near 2e-12 scale; 1e-9 scale leaves a factor 500. */
static void expect_nnls_kkt(size_t m, size_t n, const double *E, const double *f,
                            const double *x)
{
    double r[MMAX], fn = 0.0, colmax = 0.0, x1 = 0.0;
    for (size_t i = 0; i < m; i++) {
        double t = f[i];
        for (size_t j = 0; j < n; j++)
            t -= E[i * n + j] * x[j];
        r[i] = t;
        fn += f[i] * f[i];
    }
    for (size_t j = 0; j < n; j++) {
        double c = 0.0;
        for (size_t i = 0; i < m; i++)
            c += E[i * n + j] * E[i * n + j];
        colmax = fmax(colmax, sqrt(c));
        x1 += fabs(x[j]);
    }
    double tol = 1e-9 * colmax * (sqrt(fn) + colmax * x1);
    for (size_t j = 0; j < n; j++) {
        double w = 0.0;
        for (size_t i = 0; i < m; i++)
            w += E[i * n + j] * r[i];
        assert_true(x[j] >= 0.0);
        if (x[j] > 0.0)
            expect_close("dual component on the passive set", w, 0.0, tol);
        else
            assert_true(w <= tol);
    }
}

/* One workspace (MMAX x NMAX) for 200 random problems of all shapes up to that size, among them
 * wide ones (n > m, x not unique: only the residual is) and ones with a duplicated column (where
 * the round-off guard may block a column): the same bits as num_svm_nnls, and KKT. */
static void test_workspace_reuse(void **state)
{
    (void)state;
    gsl_rng *g = num_rng_alloc(tc_test_seed(20240601u));
    num_svm_nnls_workspace *w = num_svm_nnls_workspace_alloc(MMAX, NMAX);
    assert_non_null(w);
    double E[MMAX * NMAX], f[MMAX], x[NMAX], x_ref[NMAX];
    for (int rep = 0; rep < 200; rep++) {
        size_t m = 2 + (size_t)gsl_rng_uniform_int(g, MMAX - 1);
        size_t n = 1 + (size_t)gsl_rng_uniform_int(g, NMAX);
        num_rng_gaussian(g, 1.0, E, m * n);
        num_rng_gaussian(g, 1.0, f, m);
        if (rep % 5 == 0 && n >= 2)
            for (size_t i = 0; i < m; i++)
                E[i * n + n - 1] = E[i * n];
        double rn, rn_ref;
        size_t it, it_ref;
        memset(x, 0xff, sizeof x); /* stale values must not matter */
        assert_int_equal(num_svm_nnls_ws(w, m, n, E, f, x, &rn, &it), NUM_OK);
        assert_int_equal(num_svm_nnls(m, n, E, f, x_ref, &rn_ref, &it_ref), NUM_OK);
        assert_memory_equal(x, x_ref, n * sizeof *x);
        assert_memory_equal(&rn, &rn_ref, sizeof rn);
        assert_int_equal(it, it_ref);
        expect_nnls_kkt(m, n, E, f, x);
    }
    num_svm_nnls_workspace_free(w);
    gsl_rng_free(g);
}

/* Sizes: a workspace refuses larger problems and bad arguments; allocation refuses empty sizes
 * and m n overflowing. */
static void test_workspace_sizes(void **state)
{
    (void)state;
    num_svm_nnls_workspace *w = num_svm_nnls_workspace_alloc(3, 2);
    assert_non_null(w);
    double E[12] = {1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, f[4] = {1, 2, 3, 4}, x[3];
    assert_int_equal(num_svm_nnls_ws(w, 4, 2, E, f, x, NULL, NULL), NUM_EINVAL);
    assert_int_equal(num_svm_nnls_ws(w, 3, 3, E, f, x, NULL, NULL), NUM_EINVAL);
    assert_int_equal(num_svm_nnls_ws(NULL, 3, 2, E, f, x, NULL, NULL), NUM_EINVAL);
    assert_int_equal(num_svm_nnls_ws(w, 3, 2, NULL, f, x, NULL, NULL), NUM_EINVAL);
    /* E = [1 0; 0 1; 1 1], f = (1, 2, 3): x = (1, 2) fits exactly. */
    double rn;
    assert_int_equal(num_svm_nnls_ws(w, 3, 2, E, f, x, &rn, NULL), NUM_OK);
    expect_close("x_1", x[0], 1.0, 8 * DBL_EPSILON);
    expect_close("x_2", x[1], 2.0, 8 * DBL_EPSILON);
    expect_close("residual", rn, 0.0, 16 * DBL_EPSILON);
    num_svm_nnls_workspace_free(w);
    num_svm_nnls_workspace_free(NULL);
    assert_null(num_svm_nnls_workspace_alloc(0, 2));
    assert_null(num_svm_nnls_workspace_alloc(2, 0));
    assert_null(num_svm_nnls_workspace_alloc(SIZE_MAX / 2, 4));
}

/* A num_svm keeps its NNLS workspace across solves: solving data A, then B, then A again gives
 * A's first answer bit for bit, and B's answer equals a fresh solver's. */
static void test_svm_solve_reuse(void **state)
{
    (void)state;
    const size_t n = 30, d = 5;
    gsl_rng *g = num_rng_alloc(tc_test_seed(20240601u) + 1);
    double XA[30 * 5], yA[30], XB[30 * 5], yB[30];
    num_separable_gen(g, n, d, 1.0, 0.2, XA, yA, NULL);
    num_separable_gen(g, n, d, 1.0, 0.05, XB, yB, NULL);
    num_svm *s = num_svm_alloc(n, d), *t = num_svm_alloc(n, d);
    assert_non_null(s);
    assert_non_null(t);
    double wA[5], aA[30];
    assert_int_equal(num_svm_solve(s, XA, yA), NUM_OK);
    memcpy(wA, s->w, sizeof wA);
    memcpy(aA, s->alpha, sizeof aA);
    assert_int_equal(num_svm_solve(s, XB, yB), NUM_OK);
    assert_int_equal(num_svm_solve(t, XB, yB), NUM_OK);
    assert_memory_equal(s->w, t->w, d * sizeof *s->w);
    assert_memory_equal(s->alpha, t->alpha, n * sizeof *s->alpha);
    assert_int_equal(s->iterations, t->iterations);
    assert_int_equal(num_svm_solve(s, XA, yA), NUM_OK);
    assert_memory_equal(s->w, wA, sizeof wA);
    assert_memory_equal(s->alpha, aA, sizeof aA);
    num_svm_free(s);
    num_svm_free(t);
    gsl_rng_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workspace_reuse),
        cmocka_unit_test(test_workspace_sizes),
        cmocka_unit_test(test_svm_solve_reuse),
    };
    return TC_RUN("numerics/svm_nnls_ws", tests);
}
