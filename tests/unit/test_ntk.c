/* tests/unit/test_ntk.c — numerics/ntk: random features, Gram matrices, extreme eigenvalues,
 * limit kernels and the flat-limit degree, each against an independent computation.
 *
 * References: naive loops (features, Gram), LAPACK dsyevd on the formed Gram matrix (extreme
 * eigenvalues, well-conditioned case), Monte Carlo with a 6-sigma bound (limit kernels), the
 * closed forms of numerics/kernels.h against Gauss–Hermite quadrature (erf), and the closed-form
 * erf kernel at small variance (flat limit). Seeds are fixed and printed.
 */

#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/kernels.h"
#include "numerics/linalg.h"
#include "numerics/ntk.h"
#include "numerics/rng.h"

/* TC_TEST_SEED overrides it (tc_test.h); the value is printed once. */
#define SEED ((unsigned)tc_test_seed(20240611u))

/* m inputs x ~ N(0, I/d), augmented. */
static double *make_inputs(gsl_rng *r, size_t m, size_t d)
{
    double *X = malloc(m * d * sizeof *X), *Xt = malloc(m * (d + 1) * sizeof *Xt);
    assert_non_null(X);
    assert_non_null(Xt);
    num_rng_gaussian(r, 1.0 / sqrt((double)d), X, m * d);
    assert_int_equal(num_ntk_augment(m, d, X, Xt), NUM_OK);
    free(X);
    return Xt;
}

static void test_augment(void **state)
{
    (void)state;
    double X[6] = {1, 2, 3, 4, 5, 6}, Xt[9];
    double want[9] = {1, 2, 1, 3, 4, 1, 5, 6, 1};
    assert_int_equal(num_ntk_augment(3, 2, X, Xt), NUM_OK);
    for (int i = 0; i < 9; i++)
        expect_close("augment", Xt[i], want[i], 0.0);
    assert_int_equal(num_ntk_augment(0, 2, X, Xt), NUM_EINVAL);
    assert_int_equal(num_ntk_augment(3, 2, NULL, Xt), NUM_EINVAL);
}

/* Features (one dgemm + rho) against a naive double loop. Error bound: the dot product of
 * length d1 carries gamma_{d1} |theta||x| (Higham §3.1) and rho is Lipschitz with constant
 * max|rho'| <= 1.13 (erf), so |dV| <= 2 d1 eps |theta||x| + eps |rho|. */
static void test_features_naive(void **state)
{
    (void)state;
    fprintf(stderr, "seed %u\n", SEED);
    gsl_rng *r = num_rng_alloc(SEED);
    size_t m = 7, d = 5, d1 = d + 1, n = 33;
    double *Xt = make_inputs(r, m, d);
    double *th = malloc(n * d1 * sizeof *th), *V = malloc(m * n * sizeof *V);
    num_rng_gaussian(r, 1.0, th, n * d1);
    num_act acts[] = {NUM_ACT_ERF, NUM_ACT_TANH, NUM_ACT_SOFTPLUS, NUM_ACT_SIGMOID,
                      NUM_ACT_RELU, NUM_ACT_LINEAR};
    for (size_t a = 0; a < sizeof acts / sizeof acts[0]; a++) {
        assert_int_equal(num_ntk_features(acts[a], 0.1, m, d1, Xt, n, th, V), NUM_OK);
        for (size_t i = 0; i < m; i++)
            for (size_t k = 0; k < n; k++) {
                double z = 0.0, nz = 0.0, f;
                for (size_t j = 0; j < d1; j++) {
                    z += th[k * d1 + j] * Xt[i * d1 + j];
                    nz += fabs(th[k * d1 + j] * Xt[i * d1 + j]);
                }
                num_act_eval(acts[a], 0.1, z, &f, NULL, NULL);
                expect_close("feature", V[i * n + k], f, 2.0 * (double)d1 * DBL_EPSILON * nz * 1.2 +
                                                  4.0 * DBL_EPSILON * fabs(f));
            }
    }
    /* A non-finite weight gives NUM_ENAN. */
    th[0] = NAN;
    assert_int_equal(num_ntk_features(NUM_ACT_ERF, 0.1, m, d1, Xt, n, th, V), NUM_ENAN);
    assert_int_equal(num_ntk_features(NUM_ACT_ERF, 0.1, 0, d1, Xt, n, th, V), NUM_EINVAL);
    free(Xt);
    free(th);
    free(V);
    gsl_rng_free(r);
}

/* K = V V^T (dsyrk) against a naive triple loop; both triangles filled. */
static void test_gram_naive(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 1);
    size_t m = 9, n = 57;
    double *V = malloc(m * n * sizeof *V), *K = malloc(m * m * sizeof *K);
    num_rng_gaussian(r, 1.0, V, m * n);
    assert_int_equal(num_ntk_gram(m, n, V, K), NUM_OK);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++) {
            double s = 0.0, a = 0.0;
            for (size_t k = 0; k < n; k++) {
                s += V[i * n + k] * V[j * n + k];
                a += fabs(V[i * n + k] * V[j * n + k]);
            }
            expect_close("gram entry", K[i * m + j], s, 2.0 * (double)n * DBL_EPSILON * a);
            expect_close("gram symmetry", K[i * m + j], K[j * m + i], 0.0);
        }
    assert_int_equal(num_ntk_gram(m, n, NULL, K), NUM_EINVAL);
    free(V);
    free(K);
    gsl_rng_free(r);
}

/* Extreme eigenvalues from the SVD of V against dsyevd of the formed Gram matrix, on a
 * well-conditioned case (where both routes are accurate to ~ m n eps cond). */
static void test_extreme_eigs(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 2);
    size_t m = 12, n = 300;
    double *V = malloc(m * n * sizeof *V), *K = malloc(m * m * sizeof *K), ev[12];
    num_rng_gaussian(r, 1.0, V, m * n);
    assert_int_equal(num_ntk_gram(m, n, V, K), NUM_OK);
    assert_int_equal(num_linalg_eigh(m, K, ev, NULL), NUM_OK);
    double lo, hi, fl;
    assert_int_equal(num_ntk_gram_extreme_eigs(m, n, V, 1.0, &lo, &hi, &fl), NUM_OK);
    double tol = 8.0 * (double)(m * n) * DBL_EPSILON * ev[m - 1];
    expect_close("lambda_min: svd vs eigh", lo, ev[0], tol);
    expect_close("lambda_max: svd vs eigh", hi, ev[m - 1], tol);
    assert_true(lo > fl);
    /* The floor is (max(m,n) eps s_max)^2. */
    double t = (double)n * DBL_EPSILON * sqrt(hi);
    expect_close("floor", fl, t * t, 1e-12 * t * t);
    /* Rank-deficient V (row 3 = row 1 + row 2): lambda_min at the floor. */
    for (size_t k = 0; k < n; k++)
        V[3 * n + k] = V[1 * n + k] + V[2 * n + k];
    assert_int_equal(num_ntk_gram_extreme_eigs(m, n, V, 1.0, &lo, &hi, &fl), NUM_OK);
    if (!(lo <= fl)) {
        fprintf(stderr, "rank-deficient: %.18g observed lambda_min vs floor %.18g\n", lo, fl);
        fail();
    }
    /* n < m: K_bar has rank <= n, lambda_min = 0 exactly. */
    assert_int_equal(num_ntk_gram_extreme_eigs(m, 5, V, 1.0, &lo, &hi, NULL), NUM_OK);
    expect_close("n < m", lo, 0.0, 0.0);
    V[0] = INFINITY;
    assert_int_equal(num_ntk_gram_extreme_eigs(m, n, V, 1.0, &lo, &hi, NULL), NUM_ENAN);
    assert_int_equal(num_ntk_gram_extreme_eigs(m, n, V, 0.0, &lo, &hi, NULL), NUM_EINVAL);
    free(V);
    free(K);
    gsl_rng_free(r);
}

/* The SVD route resolves an ill-conditioned K_bar that the Gram route cannot: V with
 * s_min / s_max = 1e-9 (lambda ratio 1e-18, below the Gram route's eps). Built as
 * V = U diag(s) W^T with orthonormal U, W from QR-free construction: rows of a scaled
 * orthogonal basis (coordinate vectors). */
static void test_extreme_eigs_ill_conditioned(void **state)
{
    (void)state;
    size_t m = 4, n = 16;
    double V[64] = {0};
    double s[4] = {1.0, 1e-3, 1e-6, 1e-9};
    /* Rotate coordinate rows by a fixed Givens rotation in the column space so the matrix is
     * not diagonal; singular values are unchanged. */
    double c = cos(0.3), sn = sin(0.3);
    for (size_t i = 0; i < m; i++) {
        V[i * n + 2 * i] = c * s[i];
        V[i * n + 2 * i + 1] = sn * s[i];
    }
    double lo, hi, fl;
    assert_int_equal(num_ntk_gram_extreme_eigs(m, n, V, 1.0, &lo, &hi, &fl), NUM_OK);
    expect_close("s_min of an ill-conditioned V", sqrt(lo), 1e-9, 1e-9 * 1e-6);
    expect_close("lambda_max", hi, 1.0, 4.0 * DBL_EPSILON);
    assert_true(lo > fl);
}

/* Monte Carlo check of the limit kernels: K_bar/n is a mean of n i.i.d. terms v_i v_j with
 * mean K_inf(i,j); |K_bar/n - K_inf| <= 6 sd/sqrt(n) entrywise with sd estimated from the same
 * samples (a 6-sigma bound: the chance of a false failure over the entries is < 1e-7). */
static void check_mc(num_act act, double sigma2, unsigned seed, const char *name)
{
    gsl_rng *r = num_rng_alloc(seed);
    size_t m = 5, d = 3, d1 = 4, n = 200000;
    double *Xt = make_inputs(r, m, d);
    double *th = malloc(n * d1 * sizeof *th), *V = malloc(m * n * sizeof *V);
    double Kinf[25];
    num_rng_gaussian(r, sqrt(sigma2), th, n * d1);
    assert_int_equal(num_ntk_features(act, 0.1, m, d1, Xt, n, th, V), NUM_OK);
    assert_int_equal(num_ntk_limit_kernel(act, 0.1, m, d1, Xt, sigma2, 128, Kinf), NUM_OK);
    for (size_t i = 0; i < m; i++)
        for (size_t j = i; j < m; j++) {
            double s = 0.0, q = 0.0;
            for (size_t k = 0; k < n; k++) {
                double p = V[i * n + k] * V[j * n + k];
                s += p;
                q += p * p;
            }
            double mean = s / (double)n, sd = sqrt(fmax(q / (double)n - mean * mean, 0.0));
            char what[96];
            snprintf(what, sizeof what, "%s K_inf(%zu,%zu) Monte Carlo", name, i, j);
            expect_close(what, mean, Kinf[i * m + j], 6.0 * sd / sqrt((double)n) + 1e-12);
        }
    free(Xt);
    free(th);
    free(V);
    gsl_rng_free(r);
}

static void test_limit_kernel_monte_carlo(void **state)
{
    (void)state;
    fprintf(stderr, "seeds %u..%u\n", SEED + 10, SEED + 14);
    check_mc(NUM_ACT_ERF, 1.0, SEED + 10, "erf");
    check_mc(NUM_ACT_RELU, 1.0, SEED + 11, "relu");
    check_mc(NUM_ACT_TANH, 2.0, SEED + 12, "tanh");
    check_mc(NUM_ACT_SOFTPLUS, 1.0, SEED + 13, "softplus");
    check_mc(NUM_ACT_SIGMOID, 0.5, SEED + 14, "sigmoid");
}

/* Gauss–Hermite quadrature against Williams' closed form for erf (entire function: the error
 * falls geometrically; measured at variance 4 |x|^2 ~ 9: 4e-5 with 64 nodes, 5e-8 with 128,
 * 1e-13 with 256) and against exact second moments for the linear activation (a polynomial of
 * degree 2 < nodes: exact up to rounding). */
static void test_quadrature_vs_closed_form(void **state)
{
    (void)state;
    double x[3] = {0.3, -1.1, 1.0}, y[3] = {0.7, 0.4, 1.0};
    double a = 0.0, b = 0.0, c = 0.0;
    for (int i = 0; i < 3; i++) {
        a += x[i] * x[i];
        b += y[i] * y[i];
        c += x[i] * y[i];
    }
    double sig2[3] = {0.01, 1.0, 4.0};
    for (int s = 0; s < 3; s++) {
        double q, want = num_kernel_erf(x, y, 3, sig2[s]);
        assert_int_equal(num_ntk_gauss_expect(NUM_ACT_ERF, 0.1, sig2[s] * a, sig2[s] * b,
                                              sig2[s] * c, 256, &q),
                         NUM_OK);
        expect_close("erf: Gauss-Hermite (256 nodes) vs Williams", q, want, 1e-12);
        assert_int_equal(num_ntk_gauss_expect(NUM_ACT_LINEAR, 0.1, sig2[s] * a, sig2[s] * b,
                                              sig2[s] * c, 8, &q),
                         NUM_OK);
        expect_close("linear: E[u v] = c", q, sig2[s] * c, 64.0 * DBL_EPSILON * sig2[s] * sqrt(a * b));
    }
    /* Perfectly correlated: E[erf(u)^2] with v = u. */
    double q;
    assert_int_equal(num_ntk_gauss_expect(NUM_ACT_ERF, 0.1, a, a, a, 128, &q), NUM_OK);
    expect_close("erf diagonal", q, num_kernel_erf(x, x, 3, 1.0), 1e-10);
    /* Invalid: |c| > sqrt(a b). */
    assert_int_equal(num_ntk_gauss_expect(NUM_ACT_ERF, 0.1, 1.0, 1.0, 1.5, 64, &q),
                     NUM_EINVAL);
    /* The smooth quadrature kernels converge: at unit variance (|x|^2 ~ 2.3, the scale of the
     * claims) 128 and 256 nodes agree to 1e-9. (tanh has poles at +-i pi/2: at variance 4 the
     * 128-node rule is only good to ~3e-6, which is why the claims report the estimate.) */
    num_act acts[3] = {NUM_ACT_TANH, NUM_ACT_SOFTPLUS, NUM_ACT_SIGMOID};
    for (int i = 0; i < 3; i++) {
        double q1, q2;
        assert_int_equal(num_ntk_gauss_expect(acts[i], 0.1, a, b, c, 128, &q1), NUM_OK);
        assert_int_equal(num_ntk_gauss_expect(acts[i], 0.1, a, b, c, 256, &q2), NUM_OK);
        expect_close("quadrature convergence 128 vs 256 nodes", q1, q2, 1e-9);
    }
}

/* The relu and erf limit kernels are the closed forms of numerics/kernels.h applied to [x;1]. */
static void test_limit_kernel_closed_forms(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 3);
    size_t m = 6, d = 2, d1 = 3;
    double *Xt = make_inputs(r, m, d), K[36];
    assert_int_equal(num_ntk_limit_kernel(NUM_ACT_RELU, 0.1, m, d1, Xt, 2.0, 0, K), NUM_OK);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            expect_close("relu closed form", K[i * m + j], num_kernel_relu(Xt + i * d1, Xt + j * d1, d1, 2.0), 0.0);
    assert_int_equal(num_ntk_limit_kernel(NUM_ACT_ERF, 0.1, m, d1, Xt, 2.0, 0, K), NUM_OK);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            expect_close("erf closed form", K[i * m + j], num_kernel_erf(Xt + i * d1, Xt + j * d1, d1, 2.0), 0.0);
    /* Quadrature kernels: entry (i,j), j >= i, is num_ntk_gauss_expect on the entry's
     * covariance (the rule is not exactly symmetric in (a, b); the lower triangle mirrors). */
    assert_int_equal(num_ntk_limit_kernel(NUM_ACT_SIGMOID, 0.1, m, d1, Xt, 2.0, 64, K), NUM_OK);
    for (size_t i = 0; i < m; i++)
        for (size_t j = i; j < m; j++) {
            const double *xi = Xt + i * d1, *xj = Xt + j * d1;
            double q;
            assert_int_equal(num_ntk_gauss_expect(NUM_ACT_SIGMOID, 0.1,
                                                  2.0 * cblas_ddot((int)d1, xi, 1, xi, 1),
                                                  2.0 * cblas_ddot((int)d1, xj, 1, xj, 1),
                                                  2.0 * cblas_ddot((int)d1, xi, 1, xj, 1), 64,
                                                  &q),
                             NUM_OK);
            expect_close("sigmoid quadrature", K[i * m + j], q, 4.0 * DBL_EPSILON * fabs(q));
            expect_close("symmetry", K[j * m + i], K[i * m + j], 0.0);
        }
    assert_int_equal(num_ntk_limit_kernel(NUM_ACT_LINEAR, 0.1, m, d1, Xt, 2.0, 0, K), NUM_OK);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            expect_close("linear closed form", K[i * m + j], 2.0 * cblas_ddot((int)d1, Xt + i * d1, 1, Xt + j * d1, 1), 0.0);
    assert_int_equal(num_ntk_limit_kernel(NUM_ACT_TANH, 0.1, m, d1, Xt, 1.0, 0, K),
                     NUM_EINVAL); /* quadrature needs nodes */
    assert_int_equal(num_ntk_limit_kernel(NUM_ACT_ERF, 0.1, m, d1, Xt, -1.0, 0, K),
                     NUM_EINVAL);
    free(Xt);
    gsl_rng_free(r);
}

static void test_flat_limit_degree(void **state)
{
    (void)state;
    /* erf: odd degrees; C(d+1,1) = d+1, C(d+3,3). */
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_ERF, 20, 4), 3);
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_ERF, 5, 4), 1);
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_ERF, 36, 4), 5); /* C(7,3) = 35 */
    /* softplus: 0, 1 and even degrees; C(5,2) = 10, C(7,4) = 35 for d = 3. */
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_SOFTPLUS, 1, 3), 0);
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_SOFTPLUS, 10, 3), 2);
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_SOFTPLUS, 11, 3), 4);
    /* sigmoid: 0 and odd. */
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_SIGMOID, 1, 3), 0);
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_SIGMOID, 2, 3), 1);
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_SIGMOID, 5, 3), 3);
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_RELU, 100, 3), 1);
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_LINEAR, 5, 4), 1);
    assert_int_equal(num_ntk_flat_limit_degree(NUM_ACT_LINEAR, 6, 4), -1);
}

/* The flat limit, independently of the random features: lambda_min of the closed-form erf
 * kernel K_inf(sigma2) on m = 20 generic inputs in d = 4 must scale like sigma2^{p*}, p* = 3,
 * i.e. the n K_inf(1/n) ~ n^{1-p*} of ntk_min_eig. Between sigma2 = 1e-2 and 1e-3 the ratio is
 * 10^{p*} up to O(sigma2) corrections: log10 ratio within 1/2 of p* (the integer alternatives
 * are 1/2 further away). For softplus (quadrature) with m = 10, d = 3: p* = 2. */
static void flat_limit_check(num_act act, size_t m, size_t d, unsigned seed, int pstar)
{
    gsl_rng *r = num_rng_alloc(seed);
    double *Xt = make_inputs(r, m, d), *K = malloc(m * m * sizeof *K), ev1[64], ev2[64];
    assert_int_equal(num_ntk_limit_kernel(act, 0.1, m, d + 1, Xt, 1e-2, 128, K), NUM_OK);
    assert_int_equal(num_linalg_eigh(m, K, ev1, NULL), NUM_OK);
    assert_int_equal(num_ntk_limit_kernel(act, 0.1, m, d + 1, Xt, 1e-3, 128, K), NUM_OK);
    assert_int_equal(num_linalg_eigh(m, K, ev2, NULL), NUM_OK);
    double lr = log10(ev1[0] / ev2[0]);
    assert_int_equal(num_ntk_flat_limit_degree(act, m, d), pstar);
    expect_close("flat limit: log10 lambda_min ratio per decade", lr, (double)pstar, 0.5);
    free(Xt);
    free(K);
    gsl_rng_free(r);
}

static void test_flat_limit_numerics(void **state)
{
    (void)state;
    flat_limit_check(NUM_ACT_ERF, 20, 4, SEED + 20, 3);
    flat_limit_check(NUM_ACT_SOFTPLUS, 10, 3, SEED + 21, 2);
    flat_limit_check(NUM_ACT_ERF, 4, 4, SEED + 22, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_augment),
        cmocka_unit_test(test_features_naive),
        cmocka_unit_test(test_gram_naive),
        cmocka_unit_test(test_extreme_eigs),
        cmocka_unit_test(test_extreme_eigs_ill_conditioned),
        cmocka_unit_test(test_limit_kernel_monte_carlo),
        cmocka_unit_test(test_quadrature_vs_closed_form),
        cmocka_unit_test(test_limit_kernel_closed_forms),
        cmocka_unit_test(test_flat_limit_degree),
        cmocka_unit_test(test_flat_limit_numerics),
    };
    return TC_RUN("numerics/ntk", tests);
}
