/* tests/unit/test_linalg.c — LAPACKE/CBLAS wrappers, checked by reconstruction identities:
 * A V = V Lambda with V orthogonal; U S V^T = A; the four Penrose conditions of the
 * pseudoinverse; minimum-norm least squares against the normal equations and the
 * pseudoinverse; ranks of matrices built with a known rank. Tolerances are c * N * eps * scale
 * (Golub & Van Loan 4th ed. §§5.4, 8.6: backward stable decompositions). Seeds printed. */

#include "tc_test.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "numerics/linalg.h"
#include "numerics/rng.h"

/* TC_TEST_SEED overrides it (tc_test.h); the value is printed once. */
#define SEED ((unsigned)tc_test_seed(7321u))

static void expect_le(const char *what, double obs, double bound)
{
    if (!(obs <= bound)) {
        print_error("%s: %.18g observed vs <= %.18g expected\n", what, obs, bound);
        fail();
    }
}

static double *randmat(gsl_rng *r, size_t m, size_t n)
{
    double *A = malloc(m * n * sizeof *A);
    num_rng_gaussian(r, 1.0, A, m * n);
    return A;
}

/* C = A B (m x k times k x n), plain loops: an independent reference for the identities. */
static void matmul(size_t m, size_t k, size_t n, const double *A, const double *B, double *C)
{
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            double s = 0;
            for (size_t l = 0; l < k; l++)
                s += A[i * k + l] * B[l * n + j];
            C[i * n + j] = s;
        }
}

static double maxdiff(size_t len, const double *a, const double *b)
{
    double m = 0;
    for (size_t i = 0; i < len; i++)
        m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

static void test_eigh(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED);
    printf("# test_eigh seed %u\n", SEED);
    const size_t ns[] = {1, 2, 7, 40};
    for (size_t t = 0; t < 4; t++) {
        size_t n = ns[t];
        double *B = randmat(r, n, n), *A = malloc(n * n * sizeof *A);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                A[i * n + j] = B[i * n + j] + B[j * n + i];
        double *ev = malloc(n * sizeof *ev), *ev2 = malloc(n * sizeof *ev2);
        double *V = malloc(n * n * sizeof *V), *AV = malloc(n * n * sizeof *AV);
        double *VtV = malloc(n * n * sizeof *VtV), *Vt = malloc(n * n * sizeof *Vt);
        assert_int_equal(num_linalg_eigh(n, A, ev, V), NUM_OK);
        assert_int_equal(num_linalg_eigh(n, A, ev2, NULL), NUM_OK);
        double anorm = num_linalg_norm_fro(n, n, A);
        double tol = 64.0 * (double)n * DBL_EPSILON * anorm;
        matmul(n, n, n, A, V, AV);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                AV[i * n + j] -= V[i * n + j] * ev[j];
        expect_le("|A V - V Lambda|", maxdiff(n * n, AV, (double[1600]){0}), tol);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                Vt[i * n + j] = V[j * n + i];
        matmul(n, n, n, Vt, V, VtV);
        for (size_t i = 0; i < n; i++)
            VtV[i * n + i] -= 1.0;
        expect_le("|V^T V - I|", maxdiff(n * n, VtV, (double[1600]){0}),
                  64.0 * (double)n * DBL_EPSILON);
        for (size_t i = 0; i + 1 < n; i++)
            assert_true(ev[i] <= ev[i + 1]);
        expect_le("values only vs with vectors", maxdiff(n, ev, ev2), tol);
        double lmax;
        assert_int_equal(num_linalg_eigh_max(n, A, &lmax), NUM_OK);
        expect_le("eigh_max", fabs(lmax - ev[n - 1]), tol);
        free(B), free(A), free(ev), free(ev2), free(V), free(AV), free(VtV), free(Vt);
    }
    gsl_rng_free(r);
}

static void test_svd(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 1);
    const size_t shapes[][2] = {{1, 1}, {5, 3}, {3, 5}, {30, 30}, {40, 7}};
    for (size_t t = 0; t < 5; t++) {
        size_t m = shapes[t][0], n = shapes[t][1], k = m < n ? m : n;
        double *A = randmat(r, m, n), *U = malloc(m * k * sizeof *U);
        double *Vt = malloc(k * n * sizeof *Vt), *s = malloc(k * sizeof *s);
        double *s2 = malloc(k * sizeof *s2), *US = malloc(m * k * sizeof *US);
        double *R = malloc(m * n * sizeof *R);
        assert_int_equal(num_linalg_svd(m, n, A, U, s, Vt), NUM_OK);
        assert_int_equal(num_linalg_svd_values(m, n, A, s2), NUM_OK);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < k; j++)
                US[i * k + j] = U[i * k + j] * s[j];
        matmul(m, k, n, US, Vt, R);
        double tol = 64.0 * (double)(m > n ? m : n) * DBL_EPSILON * s[0];
        expect_le("|U S V^T - A|", maxdiff(m * n, R, A), tol);
        expect_le("values only", maxdiff(k, s, s2), tol);
        for (size_t i = 0; i + 1 < k; i++)
            assert_true(s[i] >= s[i + 1] && s[k - 1] >= 0);
        double n2;
        assert_int_equal(num_linalg_norm_2(m, n, A, &n2), NUM_OK);
        expect_le("norm_2 = s_max", fabs(n2 - s[0]), tol);
        /* Frobenius norm^2 = sum s_i^2 */
        double f2 = 0;
        for (size_t i = 0; i < k; i++)
            f2 += s[i] * s[i];
        expect_le("fro^2 = sum s^2", fabs(pow(num_linalg_norm_fro(m, n, A), 2) - f2),
                  64.0 * (double)(m * n) * DBL_EPSILON * f2);
        free(A), free(U), free(Vt), free(s), free(s2), free(US), free(R);
    }
    gsl_rng_free(r);
}

/* A = B C with B m x r, C r x n Gaussian: rank r almost surely. */
static double *lowrank(gsl_rng *r, size_t m, size_t n, size_t rk)
{
    double *B = randmat(r, m, rk), *C = randmat(r, rk, n), *A = malloc(m * n * sizeof *A);
    matmul(m, rk, n, B, C, A);
    free(B), free(C);
    return A;
}

static void test_rank(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 2);
    for (size_t rk = 1; rk <= 6; rk++) {
        double *A = lowrank(r, 12, 9, rk);
        /* The count must not depend on c over many orders: the spectral gap is ~1e16. */
        const double cs[] = {1.0, 1e2, 1e4, 1e6};
        for (int i = 0; i < 4; i++) {
            size_t got;
            double tol;
            assert_int_equal(num_linalg_rank(12, 9, A, cs[i], &got, &tol), NUM_OK);
            assert_int_equal(got, rk);
        }
        free(A);
    }
    double Z[6] = {0};
    size_t got = 99;
    assert_int_equal(num_linalg_rank(2, 3, Z, 1.0, &got, NULL), NUM_OK);
    assert_int_equal(got, 0);
    gsl_rng_free(r);
}

/* The four Penrose conditions (Golub & Van Loan §5.5.2) on full-rank and rank-deficient
 * matrices. */
static void test_pinv(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 3);
    const size_t cfg[][3] = {{6, 4, 4}, {4, 6, 4}, {8, 8, 3}, {5, 9, 2}};
    for (size_t t = 0; t < 4; t++) {
        size_t m = cfg[t][0], n = cfg[t][1], rk = cfg[t][2];
        double *A = lowrank(r, m, n, rk), *P = malloc(n * m * sizeof *P);
        double *AP = malloc(m * m * sizeof *AP), *PA = malloc(n * n * sizeof *PA);
        double *APA = malloc(m * n * sizeof *APA), *PAP = malloc(n * m * sizeof *PAP);
        size_t got;
        assert_int_equal(num_linalg_pinv(m, n, A, 1.0, P, &got), NUM_OK);
        assert_int_equal(got, rk);
        matmul(m, n, m, A, P, AP);
        matmul(n, m, n, P, A, PA);
        matmul(m, m, n, AP, A, APA);
        matmul(n, n, m, PA, P, PAP);
        double s[9];
        num_linalg_svd_values(m, n, A, s);
        double cond = s[0] / s[rk - 1], tol = 256.0 * (double)(m + n) * DBL_EPSILON * cond;
        expect_le("A P A = A", maxdiff(m * n, APA, A) / s[0], tol);
        expect_le("P A P = P", maxdiff(n * m, PAP, P) * s[rk - 1], tol);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < m; j++)
                expect_le("(AP)^T = AP", fabs(AP[i * m + j] - AP[j * m + i]), tol);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                expect_le("(PA)^T = PA", fabs(PA[i * n + j] - PA[j * n + i]), tol);
        /* null projector: A Pn = 0, Pn^2 = Pn, trace = n - rank */
        double *Pn = malloc(n * n * sizeof *Pn), *APn = malloc(m * n * sizeof *APn);
        double *Pn2 = malloc(n * n * sizeof *Pn2);
        assert_int_equal(num_linalg_null_projector(m, n, A, 1.0, Pn, &got), NUM_OK);
        matmul(m, n, n, A, Pn, APn);
        matmul(n, n, n, Pn, Pn, Pn2);
        expect_le("A Pn = 0", maxdiff(m * n, APn, (double[81]){0}) / s[0], tol);
        expect_le("Pn^2 = Pn", maxdiff(n * n, Pn2, Pn), tol);
        double tr = 0;
        for (size_t i = 0; i < n; i++)
            tr += Pn[i * n + i];
        expect_le("trace Pn = n - rank", fabs(tr - (double)(n - rk)), tol);
        free(A), free(P), free(AP), free(PA), free(APA), free(PAP), free(Pn), free(APn),
            free(Pn2);
    }
    gsl_rng_free(r);
}

static void test_lstsq(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 4);
    /* Overdetermined, full rank: the normal equations A^T (A x - b) = 0. */
    {
        size_t m = 20, n = 5;
        double *A = randmat(r, m, n), *b = randmat(r, m, 2), *x = malloc(n * 2 * sizeof *x);
        size_t rk;
        assert_int_equal(num_linalg_lstsq(m, n, 2, A, b, 1e-13, x, &rk), NUM_OK);
        assert_int_equal(rk, n);
        double res[40], g[10];
        matmul(m, n, 2, A, x, res);
        for (size_t i = 0; i < m * 2; i++)
            res[i] -= b[i];
        for (size_t j = 0; j < n; j++)
            for (size_t c = 0; c < 2; c++) {
                g[j * 2 + c] = 0;
                for (size_t i = 0; i < m; i++)
                    g[j * 2 + c] += A[i * n + j] * res[i * 2 + c];
            }
        expect_le("normal equations", maxdiff(n * 2, g, (double[10]){0}),
                  256.0 * (double)m * DBL_EPSILON * num_linalg_norm_fro(m, n, A) *
                      num_linalg_norm_fro(m, 2, b));
        free(A), free(b), free(x);
    }
    /* Underdetermined and rank deficient: x = A^+ b (minimum norm). */
    {
        size_t m = 6, n = 10, rk = 4;
        double *A = lowrank(r, m, n, rk), *b = randmat(r, m, 1), *x = malloc(n * sizeof *x);
        double *P = malloc(n * m * sizeof *P), *xp = malloc(n * sizeof *xp);
        size_t got;
        assert_int_equal(num_linalg_lstsq(m, n, 1, A, b, 1e-12, x, &got), NUM_OK);
        assert_int_equal(got, rk);
        num_linalg_pinv(m, n, A, 1.0, P, NULL);
        matmul(n, m, 1, P, b, xp);
        double s[6];
        num_linalg_svd_values(m, n, A, s);
        expect_le("lstsq = pinv b", maxdiff(n, x, xp) * s[rk - 1] / num_linalg_nrm2(m, b),
                  1024.0 * (double)n * DBL_EPSILON * s[0] / s[rk - 1]);
        free(A), free(b), free(x), free(P), free(xp);
    }
    gsl_rng_free(r);
}

static void test_norms_gram(void **state)
{
    (void)state;
    double A[] = {1, -2, 3, -4, 5, -6}; /* 2 x 3 */
    assert_true(num_linalg_norm_1(2, 3, A) == 9.0);   /* max column sum |3|+|-6| */
    assert_true(num_linalg_norm_inf(2, 3, A) == 15.0); /* max row sum 4+5+6 */
    expect_le("fro", fabs(num_linalg_norm_fro(2, 3, A) - sqrt(91.0)), 4 * DBL_EPSILON * 10);
    double C[9], R[9], At[6];
    assert_int_equal(num_linalg_gram(2, 3, A, C), NUM_OK);
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 3; j++)
            At[j * 2 + i] = A[i * 3 + j];
    matmul(3, 2, 3, At, A, R);
    expect_le("gram", maxdiff(9, C, R), 0.0);
    expect_le("nrm2", fabs(num_linalg_nrm2(6, A) - sqrt(91.0)), 4 * DBL_EPSILON * 10);
}

static void test_bad_input(void **state)
{
    (void)state;
    double A[4] = {1, NAN, 0, 1}, ev[2], s[2], x[2];
    assert_int_equal(num_linalg_eigh(2, A, ev, NULL), NUM_ENAN);
    assert_int_equal(num_linalg_svd_values(2, 2, A, s), NUM_ENAN);
    assert_int_equal(num_linalg_eigh(0, A, ev, NULL), NUM_EINVAL);
    A[1] = 0;
    assert_int_equal(num_linalg_lstsq(2, 2, 1, A, A, 0.0, x, NULL), NUM_EINVAL); /* rcond 0 */
    assert_int_equal(num_linalg_rank(2, 2, A, 0.0, (size_t[1]){0}, NULL), NUM_EINVAL);
}

/* Rank across a gap: singular values 1, 0.5, 1e-9, 1e-18 of a 4 x 4 matrix have rank_tol
 * 4 eps c = 8.9e-16 c. At c = 10 the tolerance moves over 8.9e-17 .. 8.9e-13 (factor 100 either
 * way), all between 1e-18 and 1e-9: the count is 3 throughout. At c = 1e5 it moves over
 * 8.9e-13 .. 8.9e-9, across 1e-9: 3 at c / 100, 2 at 100 c — no gap. */
static void test_rank_across_gap(void **state)
{
    (void)state;
    const double s[4] = {1, 0.5, 1e-9, 1e-18};
    size_t r[3];
    assert_true(num_linalg_rank_across_gap(4, 4, s, 4, 10.0, 100.0, r));
    assert_int_equal(r[1], 3);
    assert_false(num_linalg_rank_across_gap(4, 4, s, 4, 1e5, 100.0, r));
    assert_int_equal(r[0], 3);
    assert_int_equal(r[2], 2);
    const double z[2] = {0, 0};
    assert_true(num_linalg_rank_across_gap(2, 3, z, 2, 10.0, 100.0, r));
    assert_int_equal(r[1], 0);
}

/* The SVD solve against LAPACK's minimum-norm least squares (dgelsd) on a random 5 x 9
 * system (full row rank): both are the pseudoinverse solution; kappa ~ 10 times rounding. */
static void test_svd_solve(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(5u));
    double A[45], y[5], U[25], sv[5], Vt[45], x[9], ref[9];
    num_rng_gaussian(r, 1.0, A, 45);
    num_rng_gaussian(r, 1.0, y, 5);
    assert_int_equal(num_linalg_svd(5, 9, A, U, sv, Vt), NUM_OK);
    num_linalg_svd_solve(5, 9, 5, U, sv, Vt, 5, y, x);
    size_t rank;
    assert_int_equal(num_linalg_lstsq(5, 9, 1, A, y, 1e-12, ref, &rank), NUM_OK);
    for (int i = 0; i < 9; i++)
        expect_close("V S^-1 U^T y = dgelsd", x[i], ref[i], 1e-12);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eigh),  cmocka_unit_test(test_svd),
        cmocka_unit_test(test_rank),  cmocka_unit_test(test_pinv),
        cmocka_unit_test(test_lstsq), cmocka_unit_test(test_norms_gram),
        cmocka_unit_test(test_bad_input),  cmocka_unit_test(test_rank_across_gap),
        cmocka_unit_test(test_svd_solve),
    };
    return TC_RUN("numerics/linalg", tests);
}
