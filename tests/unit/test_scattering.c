/* tests/unit/test_scattering.c — numerics/scattering: the filters' Littlewood-Paley sum, the
 * scattering energy identity, and the transform against independent computations.
 *
 * - LP: |phi(w)|^2 + 1/2 sum_j (|psi_j(w)|^2 + |psi_j(-w)|^2) = 1 at every frequency, for
 *   n = 64..4096 and J = 1..log2(n) - 2; psi_j(0) = 0 (zero mean); phi(0) > 0;
 * - energy: for white noise, ||x||^2 = sum_{m <= M} ||S_m x||^2 + ||U_{M+1} x||^2 over all
 *   paths, M = 0..3 (each level a tight frame followed by the modulus); the frequency-
 *   decreasing paths carry less than all paths;
 * - |x * psi_j| from the transform equals a direct O(n^2) circular convolution with psi_j
 *   computed by a direct inverse DFT of its Fourier samples;
 * - full resolution: S(x(. - c)) = (S x)(. - c) for integer c (translation covariance);
 * - subsampled: the order-0 output at n / 2^K equals every 2^K-th full-resolution sample
 *   (folding a spectrum is exact subsampling); the subsampled order-2 transform stays within
 *   the aliasing of |x * psi| of the full one (measured, printed);
 * - the check can fail: the raw (unnormalised) Morlet bank breaks the energy identity;
 * - the Fourier-modulus control: against a direct DFT, shift invariant, Parseval;
 * - bad input: n not a power of 2, J too large.
 * Tolerances: an FFT of length n has normwise relative error <= c log2(n) u (Higham,
 * "Accuracy and Stability", 2nd ed., Thm 24.2, c a small constant for the twiddle errors);
 * along a path of depth M there are 2M + 2 FFTs, so energies carry a relative error
 * <= 2 (2M + 2) c log2(n) u; c = 8 below (GSL's twiddles are computed to a few ulps).
 */
#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "numerics/rng.h"
#include "numerics/scattering.h"

#define FFT_C 8.0

static num_scat *make(size_t n, int J, int order, int os)
{
    num_scat_opts o = {.n = n, .J = J, .order = order, .oversample = os};
    num_scat *s = NULL;
    assert_int_equal(num_scat_alloc(&o, &s), NUM_OK);
    assert_non_null(s);
    return s;
}

static double *noise(size_t n, uint64_t seed)
{
    gsl_rng *r = num_rng_alloc(seed);
    double *x = malloc(n * sizeof *x);
    assert_non_null(r);
    assert_non_null(x);
    num_rng_gaussian(r, 1.0, x, n);
    gsl_rng_free(r);
    return x;
}

static void test_littlewood_paley(void **state)
{
    (void)state;
    for (size_t n = 64; n <= 4096; n *= 4)
        for (int J = 1; ((size_t)1 << J) <= n / 4; J++) {
            num_scat *s = make(n, J, 2, J);
            const double *phi = num_scat_phi_hat(s);
            double worst = 0;
            for (size_t q = 0; q < n; q++) {
                double a = phi[q] * phi[q];
                for (int j = 0; j < J; j++) {
                    const double *p = num_scat_psi_hat(s, j);
                    a += 0.5 * (p[q] * p[q] + p[(n - q) % n] * p[(n - q) % n]);
                }
                worst = fmax(worst, fabs(a - 1));
            }
            /* J + 2 squares and sums, one division and one square root per term */
            expect_close("LP sum - 1", worst, 0.0, 4.0 * (J + 4) * DBL_EPSILON);
            for (int j = 0; j < J; j++)
                expect_close("psi_j(0)", num_scat_psi_hat(s, j)[0], 0.0, 8 * DBL_EPSILON);
            assert_true(phi[0] > 0.5);
            num_scat_free(s);
        }
}

static void test_energy_identity(void **state)
{
    (void)state;
    uint64_t seed = tc_test_seed(20261203u);
    size_t n = 256;
    int J = 4, M = 3;
    num_scat *s = make(n, J, 2, J);
    double *x = noise(n, seed), se[4], ue[4], sd[4], ud[4], xx = 0;
    for (size_t i = 0; i < n; i++)
        xx += x[i] * x[i];
    assert_int_equal(num_scat_energy(s, x, M, false, se, ue), NUM_OK);
    assert_int_equal(num_scat_energy(s, x, M, true, sd, ud), NUM_OK);
    double acc = 0;
    for (int m = 0; m <= M; m++) {
        acc += se[m];
        double tol = 2 * (2 * m + 2) * FFT_C * log2((double)n) * DBL_EPSILON;
        expect_rel("sum_{<=M} ||S_m x||^2 + ||U_{M+1} x||^2", acc + ue[m], xx, tol);
        assert_true(sd[m] <= se[m] * (1 + tol));
        if (m > 0)
            assert_true(ue[m] < ue[m - 1]); /* the truncated energy decreases with depth */
    }
    fprintf(stderr, "energy: ||x||^2 %.6g, truncated at M=0..3: %.4g %.4g %.4g %.4g\n", xx,
            ue[0] / xx, ue[1] / xx, ue[2] / xx, ue[3] / xx);
    free(x);
    num_scat_free(s);
}

/* Direct |x * psi_j| at full resolution: psi_j(t) = (1/n) sum_q psi_hat(q) e^{2 pi i q t/n}. */
static void test_direct_convolution(void **state)
{
    (void)state;
    size_t n = 64;
    int J = 3;
    num_scat *s = make(n, J, 1, J);
    double *x = noise(n, 5), *U = malloc((1 + J) * n * sizeof *U);
    double *pr = malloc(n * sizeof *pr), *pi = malloc(n * sizeof *pi);
    assert_int_equal(num_scat_modulus(s, x, U), NUM_OK);
    for (int j = 0; j < J; j++) {
        const double *ph = num_scat_psi_hat(s, j);
        for (size_t t = 0; t < n; t++) {
            pr[t] = pi[t] = 0;
            for (size_t q = 0; q < n; q++) {
                double a = 2 * M_PI * (double)((q * t) % n) / (double)n;
                pr[t] += ph[q] * cos(a) / (double)n, pi[t] += ph[q] * sin(a) / (double)n;
            }
        }
        for (size_t t = 0; t < n; t++) {
            double re = 0, im = 0;
            for (size_t u = 0; u < n; u++)
                re += x[u] * pr[(t + n - u) % n], im += x[u] * pi[(t + n - u) % n];
            expect_close("|x * psi_j|", U[(1 + j) * n + t], hypot(re, im), 1e-12);
        }
    }
    free(x), free(U), free(pr), free(pi);
    num_scat_free(s);
}

static void test_translation_covariance(void **state)
{
    (void)state;
    size_t n = 512;
    int J = 5;
    num_scat *s = make(n, J, 2, J);
    size_t P = num_scat_npaths(s);
    assert_int_equal(P, 1 + 5 + 10);
    double *x = noise(n, 7), *y = malloc(n * sizeof *y);
    double *Sx = malloc(P * n * sizeof *Sx), *Sy = malloc(P * n * sizeof *Sy);
    size_t c = 13;
    for (size_t i = 0; i < n; i++)
        y[(i + c) % n] = x[i];
    assert_int_equal(num_scat_transform(s, x, Sx), NUM_OK);
    assert_int_equal(num_scat_transform(s, y, Sy), NUM_OK);
    for (size_t p = 0; p < P; p++)
        for (size_t i = 0; i < n; i++)
            expect_close("S(T_c x) - T_c S x", Sy[p * n + (i + c) % n], Sx[p * n + i], 1e-12);
    free(x), free(y), free(Sx), free(Sy);
    num_scat_free(s);
}

static void test_subsampled(void **state)
{
    (void)state;
    size_t n = 4096;
    int J = 6;
    num_scat *full = make(n, J, 2, J), *fast = make(n, J, 2, 0);
    size_t P = num_scat_npaths(full), L = num_scat_outlen(fast), d = n / L;
    assert_int_equal(L, n >> J);
    double *x = noise(n, 11), *A = malloc(P * n * sizeof *A), *B = malloc(P * L * sizeof *B);
    assert_int_equal(num_scat_transform(full, x, A), NUM_OK);
    assert_int_equal(num_scat_transform(fast, x, B), NUM_OK);
    for (size_t i = 0; i < L; i++) /* order 0: folding is exact subsampling */
        expect_close("order 0 subsampled", B[i], A[i * d], 1e-12);
    double num = 0, den = 0;
    for (size_t p = 1; p < P; p++)
        for (size_t i = 0; i < L; i++) {
            double e = B[p * L + i] - A[p * n + i * d];
            num += e * e, den += A[p * n + i * d] * A[p * n + i * d];
        }
    fprintf(stderr, "subsampled vs full resolution, orders 1-2: relative error %.3g\n",
            sqrt(num / den));
    /* |x * psi_j| is kept at n / 2^j while its spectrum reaches 2 xi_j + 3 s_j... ~ a third of
     * that band folds: the error is the aliasing of the modulus, of order 1e-2; 0.1 flags a
     * wrong filter or fold (which give errors of order 1) */
    assert_true(sqrt(num / den) < 0.1);
    free(x), free(A), free(B);
    num_scat_free(full), num_scat_free(fast);
}

/* The raw (unnormalised) bank is not a tight frame: the LP sum moves away from 1, so the
 * energy identity the claim checks can fail. */
static void test_raw_bank_not_tight(void **state)
{
    (void)state;
    num_scat_opts o = {.n = 256, .J = 4, .order = 2, .oversample = 4, .raw = true};
    num_scat *s = NULL;
    assert_int_equal(num_scat_alloc(&o, &s), NUM_OK);
    double *x = noise(256, 13), se[2], ue[2], xx = 0;
    for (size_t i = 0; i < 256; i++)
        xx += x[i] * x[i];
    assert_int_equal(num_scat_energy(s, x, 1, false, se, ue), NUM_OK);
    double err = fabs(se[0] + ue[0] - xx) / xx;
    fprintf(stderr, "raw bank: energy identity off by %.3g\n", err);
    assert_true(err > 1e-3);
    free(x);
    num_scat_free(s);
}

/* |DFT x| / sqrt(n): norm ||x|| (Parseval), invariant to circular shifts, and against a direct
 * DFT. */
static void test_fourier_modulus(void **state)
{
    (void)state;
    size_t n = 128;
    double *x = noise(n, 17), *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w);
    double *A = malloc(n * sizeof *A), *B = malloc(n * sizeof *B);
    for (size_t i = 0; i < n; i++)
        y[(i + 5) % n] = x[i];
    assert_int_equal(num_fourier_modulus(n, x, w, A), NUM_OK);
    assert_int_equal(num_fourier_modulus(n, y, w, B), NUM_OK);
    double xx = 0, aa = 0;
    for (size_t q = 0; q < n; q++) {
        double re = 0, im = 0;
        for (size_t t = 0; t < n; t++) {
            double a = 2 * M_PI * (double)((q * t) % n) / (double)n;
            re += x[t] * cos(a), im -= x[t] * sin(a);
        }
        expect_close("|DFT x| / sqrt(n)", A[q], hypot(re, im) / sqrt((double)n), 1e-12);
        expect_close("shift invariance", B[q], A[q], 1e-12);
        xx += x[q] * x[q], aa += A[q] * A[q];
    }
    expect_rel("Parseval", aa, xx, 64 * DBL_EPSILON * log2((double)n));
    assert_int_equal(num_fourier_modulus(100, x, w, A), NUM_EINVAL);
    free(x), free(y), free(w), free(A), free(B);
}

static void test_bad_input(void **state)
{
    (void)state;
    num_scat *s = NULL;
    num_scat_opts o = {.n = 100, .J = 2, .order = 2, .oversample = 2};
    assert_int_equal(num_scat_alloc(&o, &s), NUM_EINVAL);
    o.n = 64, o.J = 5;
    assert_int_equal(num_scat_alloc(&o, &s), NUM_EINVAL);
    o.J = 3, o.order = 3;
    assert_int_equal(num_scat_alloc(&o, &s), NUM_EINVAL);
    assert_null(s);
    s = make(64, 3, 2, 0);
    double x[64] = {0}, se[2], ue[2];
    assert_int_equal(num_scat_energy(s, x, 1, false, se, ue), NUM_EINVAL); /* subsampled */
    num_scat_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_littlewood_paley),   cmocka_unit_test(test_energy_identity),
        cmocka_unit_test(test_direct_convolution), cmocka_unit_test(test_translation_covariance),
        cmocka_unit_test(test_subsampled),         cmocka_unit_test(test_raw_bank_not_tight),
        cmocka_unit_test(test_fourier_modulus),    cmocka_unit_test(test_bad_input),
    };
    return TC_RUN("numerics/scattering", tests);
}
