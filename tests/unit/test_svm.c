/* tests/unit/test_svm.c — hard-margin SVM (LDP -> NNLS) and NNLS.
 *
 * References: closed-form SVMs of small symmetric configurations (derived in the comments);
 * KKT certificates on random separable data; weak duality against random directions;
 * Farkas certificates on non-separable data; NNLS against brute-force enumeration of active
 * sets. Seeds are fixed and printed.
 */

#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/linalg.h"
#include "numerics/rng.h"
#include "numerics/separable.h"
#include "numerics/svm.h"

/* TC_TEST_SEED overrides it (tc_test.h); the value is printed once. */
#define SEED ((unsigned)tc_test_seed(20240601u))
#define KKT_TOL 1e-10 /* the target of the solver's certificate (CLAIMS.md A "Needs") */

static num_svm *solve_ok(size_t n, size_t d, const double *X, const double *y)
{
    num_svm *s = num_svm_alloc(n, d);
    assert_non_null(s);
    num_status st = num_svm_solve(s, X, y);
    if (st != NUM_OK) {
        print_error("num_svm_solve: %s\n", num_strerror(st));
        fail();
    }
    return s;
}

/* Two points a = (1,1), y=+1 and b = (-1,1), y=-1: rows g = (1,1), (1,-1) are orthogonal with
 * |g|^2 = 2, so both constraints are active, G G^T alpha = 1 gives alpha = (1/2, 1/2) and
 * w = (1, 0); margin 1. */
static void test_two_points(void **state)
{
    (void)state;
    double X[] = {1, 1, -1, 1}, y[] = {1, -1};
    num_svm *s = solve_ok(2, 2, X, y);
    expect_close("w0", s->w[0], 1.0, 4 * DBL_EPSILON);
    expect_close("w1", s->w[1], 0.0, 4 * DBL_EPSILON);
    expect_close("alpha0", s->alpha[0], 0.5, 4 * DBL_EPSILON);
    expect_close("alpha1", s->alpha[1], 0.5, 4 * DBL_EPSILON);
    expect_close("margin", s->margin, 1.0, 4 * DBL_EPSILON);
    assert_int_equal(s->nsv, 2);
    assert_true(s->kkt.max <= KKT_TOL);
    num_svm_free(s);
}

/* One point x = (3,4), y = +1: w = x / |x|^2 = (0.12, 0.16), alpha = 1/|x|^2 = 0.04,
 * margin |x| = 5. */
static void test_one_point(void **state)
{
    (void)state;
    double X[] = {3, 4}, y[] = {1};
    num_svm *s = solve_ok(1, 2, X, y);
    expect_close("w0", s->w[0], 0.12, 4 * DBL_EPSILON);
    expect_close("w1", s->w[1], 0.16, 4 * DBL_EPSILON);
    expect_close("alpha", s->alpha[0], 0.04, 4 * DBL_EPSILON);
    expect_close("margin", s->margin, 5.0, 16 * DBL_EPSILON);
    num_svm_free(s);
}

/* Symmetric configuration: (2, +-1) labelled +1, (-2, +-1) labelled -1, plus two points far
 * from the boundary, (3, 0) (+1) and (-5, 2) (-1). By the symmetries x1 -> -x1 (with the label)
 * and x2 -> -x2, w = (c, 0); the active constraint 2c = 1 gives w = (1/2, 0), margin 2. The
 * rows g_n = y_n x_n are (2,1), (2,-1), (2,-1), (2,1): a degenerate case where alpha is not
 * unique; stationarity fixes the pair sums: 2 sum alpha = 1/2 and (a0 + a3) - (a1 + a2) = 0,
 * so a0 + a3 = a1 + a2 = 1/8. The far points have functional margins 3/2 and 5/2, alpha 0. */
static void test_symmetric(void **state)
{
    (void)state;
    double X[] = {2, 1, 2, -1, -2, 1, -2, -1, 3, 0, -5, 2};
    double y[] = {1, 1, -1, -1, 1, -1};
    num_svm *s = solve_ok(6, 2, X, y);
    expect_close("w0", s->w[0], 0.5, 8 * DBL_EPSILON);
    expect_close("w1", s->w[1], 0.0, 8 * DBL_EPSILON);
    expect_close("margin", s->margin, 2.0, 16 * DBL_EPSILON);
    expect_close("alpha0 + alpha3", s->alpha[0] + s->alpha[3], 1.0 / 8, 8 * DBL_EPSILON);
    expect_close("alpha1 + alpha2", s->alpha[1] + s->alpha[2], 1.0 / 8, 8 * DBL_EPSILON);
    expect_close("alpha far 1", s->alpha[4], 0.0, 0.0);
    expect_close("alpha far 2", s->alpha[5], 0.0, 0.0);
    expect_close("fmargin far 1", s->fmargin[4], 1.5, 8 * DBL_EPSILON);
    expect_close("fmargin far 2", s->fmargin[5], 2.5, 8 * DBL_EPSILON);
    assert_true(s->nsv >= 2 && s->nsv <= 4);
    assert_true(s->kkt.max <= KKT_TOL);
    num_svm_free(s);
}

/* Scale invariance: X -> c X gives w -> w / c, alpha -> alpha / c^2 and the same KKT
 * residuals (they are dimensionless). */
static void test_scale(void **state)
{
    (void)state;
    double X[] = {2, 1, 2, -1, -2, 1, -2, -1, 3, 0, -5, 2};
    double y[] = {1, 1, -1, -1, 1, -1};
    const double c = 1e6;
    for (int i = 0; i < 12; i++)
        X[i] *= c;
    num_svm *s = solve_ok(6, 2, X, y);
    expect_close("w0 * c", s->w[0] * c, 0.5, 8 * DBL_EPSILON);
    expect_close("(alpha0 + alpha3) c^2", (s->alpha[0] + s->alpha[3]) * c * c, 1.0 / 8,
                 8 * DBL_EPSILON);
    assert_true(s->kkt.max <= KKT_TOL);
    num_svm_free(s);
}

/* Random separable sets over a sweep of sizes and margins, including d > n: the certificate
 * must hold to KKT_TOL, and weak duality must hold against random unit directions v:
 * min_n y_n v.x_n <= 1 / |w_hat| (the SVM margin is the largest over all directions). */
static void test_random_separable(void **state)
{
    (void)state;
    const size_t ns[] = {3, 10, 50, 200}, ds[] = {2, 5, 20, 80};
    const double gammas[] = {1e-3, 0.1, 1.0};
    gsl_rng *r = num_rng_alloc(SEED);
    printf("# test_random_separable seed %u\n", SEED);
    double worst = 0.0;
    int cases = 0;
    for (size_t a = 0; a < 4; a++)
        for (size_t b = 0; b < 4; b++)
            for (size_t c = 0; c < 3; c++)
                for (int rep = 0; rep < 3; rep++) {
                    size_t n = ns[a], d = ds[b];
                    double *X = malloc(n * d * sizeof *X), *y = malloc(n * sizeof *y);
                    double *v = malloc(d * sizeof *v);
                    assert_int_equal(num_separable_gen(r, n, d, 1.0, gammas[c], X, y, NULL),
                                     NUM_OK);
                    num_svm *s = solve_ok(n, d, X, y);
                    if (!(s->kkt.max <= KKT_TOL)) {
                        print_error("n=%zu d=%zu gamma=%g rep=%d: kkt %.3g %.3g %.3g %.3g\n",
                                    n, d, gammas[c], rep, s->kkt.primal, s->kkt.dual,
                                    s->kkt.slack, s->kkt.station);
                        fail();
                    }
                    if (s->kkt.max > worst)
                        worst = s->kkt.max;
                    assert_true(s->margin >= gammas[c] * (1 - 1e-12)); /* generator's bound */
                    for (int k = 0; k < 20; k++) {
                        num_rng_unit_vector(r, v, d);
                        double mn = INFINITY;
                        for (size_t i = 0; i < n; i++) {
                            double z = 0;
                            for (size_t j = 0; j < d; j++)
                                z += v[j] * X[i * d + j];
                            mn = fmin(mn, y[i] * z);
                        }
                        assert_true(mn <= s->margin * (1 + 1e-12));
                    }
                    num_svm_free(s);
                    free(X);
                    free(y);
                    free(v);
                    cases++;
                }
    printf("# %d random separable sets, worst KKT residual %.3g\n", cases, worst);
    gsl_rng_free(r);
}

static void expect_infeasible(size_t n, size_t d, const double *X, const double *y)
{
    num_svm *s = num_svm_alloc(n, d);
    assert_non_null(s);
    num_status st = num_svm_solve(s, X, y);
    if (st != NUM_EINFEASIBLE) {
        print_error("expected NUM_EINFEASIBLE, got %s (margin %.3g)\n", num_strerror(st),
                    s->margin);
        fail();
    }
    /* The certificate: u >= 0, sum u = 1, |sum u_n y_n x_n| / R small. */
    double sum = 0, R = 0;
    double *g = calloc(d, sizeof *g);
    for (size_t i = 0; i < n; i++) {
        assert_true(s->cert[i] >= 0.0);
        sum += s->cert[i];
        for (size_t j = 0; j < d; j++)
            g[j] += s->cert[i] * y[i] * X[i * d + j];
        R = fmax(R, num_linalg_nrm2(d, X + i * d));
    }
    expect_close("certificate sum", sum, 1.0, 8 * (double)n * DBL_EPSILON);
    double res = R > 0 ? num_linalg_nrm2(d, g) / R : 0.0;
    if (!(res <= s->cert_tol)) {
        print_error("certificate residual %.18g observed vs <= %.3g\n", res, s->cert_tol);
        fail();
    }
    expect_close("reported residual", s->cert_residual, res, s->cert_tol);
    free(g);
    num_svm_free(s);
}

static void test_infeasible(void **state)
{
    (void)state;
    /* XOR: (+-1, +-1) with y = x1 x2. Certificate u = 1/4 each: sum u_n y_n x_n = 0. */
    double Xx[] = {1, 1, -1, -1, 1, -1, -1, 1}, yx[] = {1, 1, -1, -1};
    expect_infeasible(4, 2, Xx, yx);
    /* The same point with opposite labels, among separable others. */
    double Xd[] = {1, 2, 3, 1, 1, 2, -2, -1}, yd[] = {1, 1, -1, -1};
    expect_infeasible(4, 2, Xd, yd);
    /* A zero row (the constraint 0 >= 1). */
    double Xz[] = {1, 2, 0, 0, -1, -1}, yz[] = {1, 1, -1};
    expect_infeasible(3, 2, Xz, yz);
    /* Points on both sides through the origin in 1-D: x = 1 (+1) and x = 2 (-1). */
    double X1[] = {1, 2}, y1[] = {1, -1};
    expect_infeasible(2, 1, X1, y1);
    /* Random labels on Gaussian points (n >> d): not separable with overwhelming
     * probability (Cover 1965: P(separable) = 2^{1-n} sum_{k<d} C(n-1,k) ~ 1e-11 here). */
    gsl_rng *r = num_rng_alloc(SEED + 1);
    for (int rep = 0; rep < 5; rep++) {
        size_t n = 60, d = 3;
        double *X = malloc(n * d * sizeof *X), *y = malloc(n * sizeof *y);
        num_rng_gaussian(r, 1.0, X, n * d);
        for (size_t i = 0; i < n; i++)
            y[i] = gsl_rng_uniform(r) < 0.5 ? -1.0 : 1.0;
        expect_infeasible(n, d, X, y);
        free(X);
        free(y);
    }
    gsl_rng_free(r);
}

static void test_bad_input(void **state)
{
    (void)state;
    double X[] = {1, 2, 3, 4}, y[] = {1, 0};
    num_svm *s = num_svm_alloc(2, 2);
    assert_int_equal(num_svm_solve(s, X, y), NUM_EINVAL);
    y[1] = -1;
    X[2] = NAN;
    assert_int_equal(num_svm_solve(s, X, y), NUM_ENAN);
    assert_int_equal(num_svm_solve(s, NULL, y), NUM_EINVAL);
    num_svm_free(s);
    assert_null(num_svm_alloc(0, 2));
}

/* NNLS against brute force: for every subset P solve the unconstrained least squares on P;
 * the NNLS optimum is the feasible (x_P > 0) candidate of smallest residual. */
static void test_nnls_bruteforce(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 2);
    for (int rep = 0; rep < 50; rep++) {
        size_t m = 3 + (size_t)rep % 4, n = 2 + (size_t)rep % 5;
        double *E = malloc(m * n * sizeof *E), *f = malloc(m * sizeof *f);
        double *x = malloc(n * sizeof *x), *z = malloc(n * sizeof *z);
        double *Ep = malloc(m * n * sizeof *Ep);
        num_rng_gaussian(r, 1.0, E, m * n);
        num_rng_gaussian(r, 1.0, f, m);
        double rn;
        assert_int_equal(num_svm_nnls(m, n, E, f, x, &rn, NULL), NUM_OK);
        double best = sqrt(cblas_ddot((int)m, f, 1, f, 1)); /* x = 0 */
        for (unsigned mask = 1; mask < (1u << n); mask++) {
            size_t p = 0, idx[8];
            for (size_t j = 0; j < n; j++)
                if (mask & (1u << j))
                    idx[p++] = j;
            for (size_t i = 0; i < m; i++)
                for (size_t k = 0; k < p; k++)
                    Ep[i * p + k] = E[i * n + idx[k]];
            if (num_linalg_lstsq(m, p, 1, Ep, f, 1e-12, z, NULL) != NUM_OK)
                continue;
            int feas = 1;
            for (size_t k = 0; k < p; k++)
                feas &= z[k] >= 0;
            if (!feas)
                continue;
            double res = 0;
            for (size_t i = 0; i < m; i++) {
                double t = -f[i];
                for (size_t k = 0; k < p; k++)
                    t += Ep[i * p + k] * z[k];
                res += t * t;
            }
            best = fmin(best, sqrt(res));
        }
        for (size_t j = 0; j < n; j++)
            assert_true(x[j] >= 0.0);
        expect_close("nnls residual vs brute force", rn, best, 1e-12 * (1 + best));
        free(E);
        free(f);
        free(x);
        free(z);
        free(Ep);
    }
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_points),      cmocka_unit_test(test_one_point),
        cmocka_unit_test(test_symmetric),       cmocka_unit_test(test_scale),
        cmocka_unit_test(test_random_separable), cmocka_unit_test(test_infeasible),
        cmocka_unit_test(test_bad_input),       cmocka_unit_test(test_nnls_bruteforce),
    };
    return TC_RUN("numerics/svm", tests);
}
