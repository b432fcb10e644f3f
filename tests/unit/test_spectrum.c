/* tests/unit/test_spectrum.c — numerics/spectrum on spectra known in closed form.
 *
 * Matrices A = Q diag(lambda) Q^T with Q a random orthogonal matrix (Householder QR of a
 * Gaussian matrix, LAPACKE dgeqrf/dorgqr) and a prescribed lambda with exact zeros: the
 * computed zero count must equal the number of prescribed zeros, the gap must span the
 * decades between the rounding level (~ P eps max|lambda|) and the smallest prescribed nonzero
 * modulus, and every tolerance within the reported stable band must give the same count.
 * Distinct counts on prescribed multiplicities; the tolerance-free largest-gap count; the
 * rank of a Gram matrix J^T J against the SVD rank of J; degenerate inputs. A perturbed
 * "zero" eigenvalue must change the count (the test can fail). Seeds are fixed.
 */

#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "numerics/linalg.h"
#include "numerics/rng.h"
#include "numerics/spectrum.h"

/* A = Q diag(lam) Q^T, Q random orthogonal of order n. */
static void conjugate(size_t n, const double *lam, uint64_t seed, double *A)
{
    double *Q = malloc(n * n * sizeof *Q), *T = malloc(n * n * sizeof *T);
    double *tau = malloc(n * sizeof *tau);
    gsl_rng *r = num_rng_alloc(seed);
    num_rng_gaussian(r, 1.0, Q, n * n);
    gsl_rng_free(r);
    assert_int_equal(LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (int)n, (int)n, Q, (int)n, tau), 0);
    assert_int_equal(LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (int)n, (int)n, (int)n, Q, (int)n, tau),
                     0);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            T[i * n + j] = Q[i * n + j] * lam[j];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)n, 1.0, T, (int)n,
                Q, (int)n, 0.0, A, (int)n);
    for (size_t i = 0; i < n; i++) /* exact symmetry */
        for (size_t j = 0; j < i; j++)
            A[i * n + j] = A[j * n + i];
    free(Q);
    free(T);
    free(tau);
}

static void test_zero_count_and_gap(void **state)
{
    (void)state;
    const size_t sizes[3] = {12, 60, 200};
    for (int t = 0; t < 3; t++) {
        size_t n = sizes[t], r = n / 3;
        uint64_t seed = 1000 + (uint64_t)t;
        double *lam = calloc(n, sizeof *lam), *A = malloc(n * n * sizeof *A);
        double *ev = malloc(n * sizeof *ev);
        /* r nonzero eigenvalues, moduli log-spaced in [1e-3, 1e2], alternating signs. */
        for (size_t i = 0; i < r; i++)
            lam[i] = (i % 2 ? -1.0 : 1.0) * pow(10.0, -3.0 + 5.0 * (double)i / (double)(r - 1));
        conjugate(n, lam, seed, A);
        assert_int_equal(num_linalg_eigh(n, A, ev, NULL), NUM_OK);
        num_spectrum_zeros z;
        assert_int_equal(num_spectrum_zero_count(n, ev, 10.0, &z), NUM_OK);
        if (z.zeros != n - r) {
            print_message("n=%zu seed %llu: %zu observed vs %zu expected zeros\n", n,
                          (unsigned long long)seed, z.zeros, n - r);
            fail();
        }
        assert_int_equal(z.positive, (r + 1) / 2);
        assert_int_equal(z.negative, r / 2);
        /* Smallest nonzero modulus: 1e-3 (to rounding). */
        assert_true(fabs(z.nonzero_min - 1e-3) <= 1e3 * DBL_EPSILON * 1e2);
        /* The computed zeros are at the rounding level ~ n eps max|lambda| = n 2e-14: the gap
         * spans at least log10(1e-3 / (n * 1e2 * eps)) - 1 decades. */
        double expect_gap = log10(1e-3 / ((double)n * 1e2 * DBL_EPSILON)) - 1.0;
        if (!(z.gap_decades >= expect_gap)) {
            print_message("gap %.18g observed vs >= %.18g\n", z.gap_decades, expect_gap);
            fail();
        }
        /* Every tolerance within the stable band gives the same count; beyond the nonzero
         * edge it does not. */
        assert_true(z.stable_decades > 1.0);
        for (double s = -z.stable_decades + 0.01; s < z.stable_decades; s += 0.25)
            assert_int_equal(num_spectrum_count_below(n, ev, z.tol * pow(10.0, s)), n - r);
        assert_true(num_spectrum_count_below(n, ev, z.nonzero_min * 1.001) > n - r);
        /* Tolerance-free count: the largest gap below sqrt(eps) max|lambda|. */
        size_t lz = 0;
        double ld = 0.0;
        assert_int_equal(num_spectrum_largest_gap(n, ev, sqrt(DBL_EPSILON), &lz, &ld), NUM_OK);
        assert_int_equal(lz, n - r);
        assert_true(fabs(ld - z.gap_decades) < 1e-12);
        /* Fault injection: a "zero" eigenvalue of 1e-6 max|lambda| must be counted nonzero. */
        lam[n - 1] = 1e-4;
        conjugate(n, lam, seed, A);
        assert_int_equal(num_linalg_eigh(n, A, ev, NULL), NUM_OK);
        assert_int_equal(num_spectrum_zero_count(n, ev, 10.0, &z), NUM_OK);
        assert_int_equal(z.zeros, n - r - 1);
        free(lam);
        free(A);
        free(ev);
    }
}

static void test_distinct(void **state)
{
    (void)state;
    const double lam[10] = {5.0, 5.0, 5.0, 2.0, 2.0, -1.0, 0.0, 0.0, 0.0, 0.0};
    double A[100], ev[10];
    conjugate(10, lam, 77, A);
    assert_int_equal(num_linalg_eigh(10, A, ev, NULL), NUM_OK);
    num_spectrum_zeros z;
    assert_int_equal(num_spectrum_zero_count(10, ev, 10.0, &z), NUM_OK);
    size_t all = 0, nonzero = 0;
    assert_int_equal(num_spectrum_distinct(10, ev, z.tol, false, &all), NUM_OK);
    assert_int_equal(num_spectrum_distinct(10, ev, z.tol, true, &nonzero), NUM_OK);
    assert_int_equal(all, 4);
    assert_int_equal(nonzero, 3);
    /* Split multiplicities (5 -> 5, 5 + 1e-6) are distinct at a rounding tolerance. */
    double lam2[10];
    memcpy(lam2, lam, sizeof lam2);
    lam2[1] += 1e-6;
    conjugate(10, lam2, 78, A);
    assert_int_equal(num_linalg_eigh(10, A, ev, NULL), NUM_OK);
    assert_int_equal(num_spectrum_distinct(10, ev, z.tol, true, &nonzero), NUM_OK);
    assert_int_equal(nonzero, 4);
    double sorted[10];
    num_spectrum_abs_sorted(10, ev, sorted);
    for (size_t i = 1; i < 10; i++)
        assert_true(sorted[i] <= sorted[i - 1]);
    assert_true(fabs(sorted[0] - (5.0 + 1e-6)) < 1e-12);
}

/* rank(J^T J) from the eigenvalue count equals rank(J) from the SVD when J is well
 * conditioned (cond(J)^2 below 1 / (c P eps)). */
static void test_gram_rank(void **state)
{
    (void)state;
    const size_t m = 15, P = 40;
    double *J = malloc(m * P * sizeof *J), *G = malloc(P * P * sizeof *G);
    double *ev = malloc(P * sizeof *ev);
    gsl_rng *r = num_rng_alloc(99);
    num_rng_gaussian(r, 1.0, J, m * P);
    gsl_rng_free(r);
    /* Make row 14 a combination of rows 0 and 1: rank 14. */
    for (size_t j = 0; j < P; j++)
        J[14 * P + j] = 0.3 * J[j] - 2.0 * J[P + j];
    size_t rank = 0;
    assert_int_equal(num_linalg_rank(m, P, J, 10.0, &rank, NULL), NUM_OK);
    assert_int_equal(rank, 14);
    assert_int_equal(num_linalg_gram(m, P, J, G), NUM_OK);
    assert_int_equal(num_linalg_eigh(P, G, ev, NULL), NUM_OK);
    num_spectrum_zeros z;
    assert_int_equal(num_spectrum_zero_count(P, ev, 10.0, &z), NUM_OK);
    assert_int_equal(P - z.zeros, 14);
    free(J);
    free(G);
    free(ev);
}

static void test_degenerate(void **state)
{
    (void)state;
    double zero[4] = {0, 0, 0, 0}, pos[3] = {1.0, 2.0, 4.0};
    num_spectrum_zeros z;
    assert_int_equal(num_spectrum_zero_count(4, zero, 10.0, &z), NUM_OK);
    assert_int_equal(z.zeros, 4);
    assert_true(isnan(z.gap_decades));
    assert_int_equal(num_spectrum_zero_count(3, pos, 10.0, &z), NUM_OK);
    assert_int_equal(z.zeros, 0);
    assert_true(isnan(z.gap_decades));
    /* Only the nonzero side: log10(1 / (10 * 3 * eps * 4)). */
    assert_true(fabs(z.stable_decades - log10(1.0 / (120.0 * DBL_EPSILON))) < 1e-12);
    double bad[2] = {1.0, NAN};
    assert_int_equal(num_spectrum_zero_count(2, bad, 10.0, &z), NUM_ENAN);
    assert_int_equal(num_spectrum_zero_count(0, pos, 10.0, &z), NUM_EINVAL);
    assert_int_equal(num_spectrum_zero_count(3, pos, 0.0, &z), NUM_EINVAL);
    size_t lz = 7;
    double ld = 0.0;
    assert_int_equal(num_spectrum_largest_gap(3, pos, 1e-8, &lz, &ld), NUM_OK);
    assert_int_equal(lz, 0);
    assert_true(isnan(ld));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_count_and_gap),
        cmocka_unit_test(test_distinct),
        cmocka_unit_test(test_gram_rank),
        cmocka_unit_test(test_degenerate),
    };
    return TC_RUN("numerics/spectrum", tests);
}
