/* tests/unit/test_hessian_quad.c — binary128 kernels of numerics/hessian_quad against
 * independent computations: libm (sqrt, exp), prescribed spectra Q diag(lambda) Q^T, LAPACK's
 * dsyevd, and the R-operator Hessian of numerics/hessian (eq. (46) of 003 assembled by
 * forward-mode differentiation, not by its closed form). */
#include "tc_test.h"

#include <float.h>
#include <gsl/gsl_rng.h>
#include <string.h>

#include "numerics/hessian_counts.h"
#include "numerics/hessian_quad.h"
#include "numerics/linalg.h"
#include "numerics/mlp.h"
#include "numerics/rng.h"

static gsl_rng *new_rng(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, (unsigned long)tc_test_seed(20261202u));
    return r;
}

/* sqrt: r^2 = x to a few binary128 ulps (2 eps_q covers the rounding of r and of r*r);
 * exp: libm's exp to 2 double ulps (its own accuracy), and the identity
 * exp(-a) exp(-b) = exp(-(a+b)) to 1e-31 (each value ~1e-32 relative, three roundings). */
static void test_sqrt_exp(void **state)
{
    (void)state;
    const double xs[] = {2.0, 3e-7, 1e250, 7.5e-290};
    for (size_t i = 0; i < 4; i++) {
        num_quad x = xs[i], r = num_quad_sqrt(x);
        expect_close("sqrt^2 / x - 1", (double)((r * r - x) / x), 0.0, 4 * 1.93e-34);
        expect_rel("sqrt vs libm", (double)r, sqrt(xs[i]), 2 * DBL_EPSILON);
    }
    const double ts[] = {0.0, 0.1, 1.0, 10.0, 700.0};
    for (size_t i = 0; i < 5; i++)
        expect_rel("exp(-t) vs libm", (double)num_quad_exp_neg(ts[i]), exp(-ts[i]),
                   2 * DBL_EPSILON);
    num_quad a = 3.25, b = 41.0625;
    num_quad lhs = num_quad_exp_neg(a) * num_quad_exp_neg(b), rhs = num_quad_exp_neg(a + b);
    expect_close("exp identity (relative)", (double)((lhs - rhs) / rhs), 0.0, 1e-31);
}

/* A = Q diag(lam) Q^T with Q a product of Givens rotations exact to binary128 (s from c by
 * the binary128 square root). Jacobi's backward error is ~n eps_q ||A||_F (~1e-32 here):
 * every eigenvalue within 1e-30; the pair 1, 1 + 1e-25 (below double precision's resolution)
 * is resolved: 11 distinct nonzero of 12, one zero. */
static void test_jacobi_prescribed(void **state)
{
    (void)state;
    enum { N = 12 };
    num_quad lam[N] = {-3, -1, 0, 0.5, 1, 1, 2, 2.5, 3, 4, 5, 6};
    lam[5] += (num_quad)1e-25;
    num_quad A[N * N], ev[N];
    memset(A, 0, sizeof A);
    for (size_t i = 0; i < N; i++)
        A[i * N + i] = lam[i];
    gsl_rng *r = new_rng();
    for (int k = 0; k < 3 * N * N; k++) {
        size_t p = gsl_rng_uniform_int(r, N), q = gsl_rng_uniform_int(r, N);
        if (p == q)
            continue;
        num_quad c = cos(6.283185307179586 * gsl_rng_uniform(r)), s = num_quad_sqrt(1 - c * c);
        for (size_t j = 0; j < N; j++) { /* A <- G A G^T */
            num_quad x = A[p * N + j], y = A[q * N + j];
            A[p * N + j] = c * x - s * y;
            A[q * N + j] = s * x + c * y;
        }
        for (size_t j = 0; j < N; j++) {
            num_quad x = A[j * N + p], y = A[j * N + q];
            A[j * N + p] = c * x - s * y;
            A[j * N + q] = s * x + c * y;
        }
    }
    gsl_rng_free(r);
    assert_int_equal(num_quad_eigh(N, A, ev), NUM_OK);
    for (size_t i = 0; i < N; i++)
        expect_close("eigenvalue", (double)(ev[i] - lam[i]) * 1e20, 0.0, 1e-10);
    num_quad_count qc;
    assert_int_equal(num_quad_counts(N, ev, 10.0, &qc), NUM_OK);
    assert_int_equal(qc.nonzero, 11);
    assert_int_equal(qc.distinct, 10 + 1);
    assert_true(qc.distinct_stable >= 3.0); /* 1e-25 against tol ~ 2.5e-31 */
}

/* Against LAPACK dsyevd on a random symmetric double matrix: |difference| <= 1e-13 ||A||_2
 * (dsyevd's backward error p(n) eps ||A||, n = 20). */
static void test_jacobi_vs_lapack(void **state)
{
    (void)state;
    enum { N = 20 };
    double A[N * N], ev[N];
    num_quad Aq[N * N], evq[N];
    gsl_rng *r = new_rng();
    num_rng_gaussian(r, 1.0, A, N * N);
    gsl_rng_free(r);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++)
            A[j * N + i] = A[i * N + j];
    for (size_t i = 0; i < N * N; i++)
        Aq[i] = A[i];
    assert_int_equal(num_linalg_eigh(N, A, ev, NULL), NUM_OK);
    assert_int_equal(num_quad_eigh(N, Aq, evq), NUM_OK);
    double amax = fmax(fabs(ev[0]), fabs(ev[N - 1]));
    for (size_t i = 0; i < N; i++)
        expect_close("eigenvalue vs dsyevd", (double)evq[i], ev[i], 1e-13 * amax);
}

/* The linear network d -> N1 -> 1 at a random separating point (labels sign f): the r
 * eigenvalues of the binary128 reduction equal the r largest-modulus eigenvalues of the
 * R-operator Hessian (double, num_hessian_exp_counts, same margin shift), the other P - r
 * being rounding-level zeros; tolerance 1e-12 lambda_max (the double spectrum's accuracy
 * c P eps lambda_max ~ 7e-14 for P = 186). In the limit mode: 2 N1 nonzero, 4 distinct. */
static void test_linexp_vs_roperator(void **state)
{
    (void)state;
    enum { n = 6, d = 9, N1 = 5, R = 2 * N1 + n - 1 };
    size_t widths[3] = {d, N1, 1};
    num_mlp *net = num_mlp_alloc(2, widths, false, NUM_ACT_LINEAR);
    size_t P = net->nparams;
    double X[n * d], y[n], f[n], *th = calloc(P, sizeof *th), *ev = calloc(P, sizeof *ev);
    num_quad Mq[R * R], evq[R];
    gsl_rng *r = new_rng();
    num_rng_gaussian(r, 1.0, X, n * d);
    num_mlp_init_gaussian(net, th, r, NULL);
    gsl_rng_free(r);
    num_mlp_work *mw = num_mlp_work_alloc(net, n);
    assert_int_equal(num_mlp_forward(net, th, X, n, mw, f), NUM_OK);
    for (size_t s = 0; s < n; s++)
        y[s] = f[s] >= 0 ? 1.0 : -1.0;
    num_hessian_exp_count dc;
    double mm = 0, mq = 0, second = 0;
    assert_int_equal(num_hessian_exp_counts(net, th, X, y, n, 0, P, 10.0, 32, ev, &dc, &mm),
                     NUM_OK);
    assert_int_equal(num_hessian_linexp_quad(n, d, N1, X, y, th, th + net->off_w[1], false, Mq,
                                             &second, &mq), NUM_OK);
    expect_rel("min margin", mq, mm, 1e-14);
    assert_int_equal(num_quad_eigh(R, Mq, evq), NUM_OK);
    /* ev ascending: the P - R entries of smallest modulus are the zeros; drop them. */
    /* NaN out the P - R smallest moduli (the zeros), keep the rest in ascending order. */
    double kept[P];
    size_t k = 0;
    for (size_t i = 0; i < P - R; i++) {
        size_t m = 0;
        double best = INFINITY;
        for (size_t j = 0; j < P; j++)
            if (ev[j] == ev[j] && fabs(ev[j]) < best) {
                best = fabs(ev[j]);
                m = j;
            }
        ev[m] = NAN;
    }
    for (size_t i = 0; i < P; i++)
        if (ev[i] == ev[i])
            kept[k++] = ev[i];
    assert_int_equal(k, R);
    for (size_t i = 0; i < R; i++)
        expect_close("reduced vs R-operator eigenvalue", (double)evq[i], kept[i],
                     1e-12 * dc.amax);
    assert_int_equal(num_hessian_linexp_quad(n, d, N1, X, y, th, th + net->off_w[1], true, Mq,
                                             NULL, NULL), NUM_OK);
    assert_int_equal(num_quad_eigh(R, Mq, evq), NUM_OK);
    num_quad_count qc;
    assert_int_equal(num_quad_counts(R, evq, 10.0, &qc), NUM_OK);
    assert_int_equal(qc.nonzero, 2 * N1);
    assert_int_equal(qc.distinct, 4);
    num_mlp_work_free(mw);
    num_mlp_free(net);
    free(th);
    free(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqrt_exp),
        cmocka_unit_test(test_jacobi_prescribed),
        cmocka_unit_test(test_jacobi_vs_lapack),
        cmocka_unit_test(test_linexp_vs_roperator),
    };
    return TC_RUN("numerics/hessian_quad", tests);
}
