/* tests/unit/test_scattering2d.c — numerics/scattering2d: the 2-D filters' Littlewood-Paley
 * sum, the energy identity over all paths, translation covariance at full resolution, the
 * raw bank failing the identity, and bad input.
 * Tolerances as in test_scattering.c: a 2-D FFT is two passes of length-n FFTs, normwise
 * relative error <= 2 c log2(n) u (Higham, "Accuracy and Stability", 2nd ed., Thm 24.2;
 * c = 8), 2M + 2 of them along a path of depth M, doubled for an energy.
 */
#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "numerics/rng.h"
#include "numerics/scattering2d.h"

static num_scat2d *make(size_t n, int J, int L, int order, bool raw)
{
    num_scat2d_opts o = {.n = n, .J = J, .L = L, .order = order, .raw = raw};
    num_scat2d *s = NULL;
    assert_int_equal(num_scat2d_alloc(&o, &s), NUM_OK);
    return s;
}

static double *noise(size_t N, uint64_t seed)
{
    gsl_rng *r = num_rng_alloc(seed);
    double *x = malloc(N * sizeof *x);
    assert_non_null(r);
    assert_non_null(x);
    num_rng_gaussian(r, 1.0, x, N);
    gsl_rng_free(r);
    return x;
}

static void test_littlewood_paley(void **state)
{
    (void)state;
    for (size_t n = 16; n <= 64; n *= 2)
        for (int J = 1; ((size_t)1 << J) <= n / 4; J++) {
            int L = 4;
            num_scat2d *s = make(n, J, L, 2, false);
            const double *phi = num_scat2d_phi_hat(s);
            double worst = 0;
            for (size_t q = 0; q < n * n; q++) {
                size_t qm = ((n - q / n) % n) * n + (n - q % n) % n;
                double a = phi[q] * phi[q];
                for (int j = 0; j < J; j++)
                    for (int l = 0; l < L; l++) {
                        const double *p = num_scat2d_psi_hat(s, j, l);
                        a += 0.5 * (p[q] * p[q] + p[qm] * p[qm]);
                    }
                worst = fmax(worst, fabs(a - 1));
            }
            expect_close("2-D LP sum - 1", worst, 0.0, 4.0 * (J * L + 4) * DBL_EPSILON);
            expect_close("psi(0)", num_scat2d_psi_hat(s, 0, 1)[0], 0.0, 8 * DBL_EPSILON);
            num_scat2d_free(s);
        }
}

static void test_energy_identity(void **state)
{
    (void)state;
    size_t n = 32, N = n * n;
    int M = 2;
    num_scat2d *s = make(n, 2, 4, 2, false), *raw = make(n, 2, 4, 2, true);
    double *x = noise(N, tc_test_seed(20261203u)), se[3], ue[3], xx = 0;
    for (size_t i = 0; i < N; i++)
        xx += x[i] * x[i];
    assert_int_equal(num_scat2d_energy(s, x, M, se, ue), NUM_OK);
    double acc = 0;
    for (int m = 0; m <= M; m++) {
        acc += se[m];
        double tol = 2 * (2 * m + 2) * 2 * 8 * log2((double)n) * DBL_EPSILON + 2 * N * DBL_EPSILON;
        expect_rel("2-D: sum ||S_m x||^2 + ||U_{M+1} x||^2", acc + ue[m], xx, tol);
    }
    fprintf(stderr, "2-D energy: truncated at M=0..2: %.4g %.4g %.4g\n", ue[0] / xx,
            ue[1] / xx, ue[2] / xx);
    assert_int_equal(num_scat2d_energy(raw, x, 0, se, ue), NUM_OK);
    assert_true(fabs(se[0] + ue[0] - xx) / xx > 1e-3); /* the raw bank is not tight */
    free(x);
    num_scat2d_free(s), num_scat2d_free(raw);
}

static void test_translation_covariance(void **state)
{
    (void)state;
    size_t n = 32, N = n * n;
    num_scat2d *s = make(n, 2, 4, 2, false);
    size_t P = num_scat2d_npaths(s), c1 = 3, c2 = 5;
    assert_int_equal(P, 1 + 8 + 16);
    double *x = noise(N, 7), *y = malloc(N * sizeof *y);
    double *Sx = malloc(P * N * sizeof *Sx), *Sy = malloc(P * N * sizeof *Sy);
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            y[((a + c1) % n) * n + (b + c2) % n] = x[a * n + b];
    assert_int_equal(num_scat2d_transform(s, x, Sx), NUM_OK);
    assert_int_equal(num_scat2d_transform(s, y, Sy), NUM_OK);
    for (size_t p = 0; p < P; p++)
        for (size_t a = 0; a < n; a++)
            for (size_t b = 0; b < n; b++)
                expect_close("2-D S(T_c x) - T_c S x", Sy[p * N + ((a + c1) % n) * n + (b + c2) % n],
                             Sx[p * N + a * n + b], 1e-12);
    assert_int_equal(num_scat2d_modulus(s, x, Sy), NUM_OK);
    for (size_t i = 0; i < N; i++) /* row 0 of the modulus is x */
        expect_close("U[empty] x", Sy[i], x[i], 0.0);
    free(x), free(y), free(Sx), free(Sy);
    num_scat2d_free(s);
}

static void test_bad_input(void **state)
{
    (void)state;
    num_scat2d *s = NULL;
    num_scat2d_opts o = {.n = 24, .J = 1, .L = 4, .order = 2};
    assert_int_equal(num_scat2d_alloc(&o, &s), NUM_EINVAL);
    o.n = 16, o.J = 3;
    assert_int_equal(num_scat2d_alloc(&o, &s), NUM_EINVAL);
    o.J = 2, o.L = 0;
    assert_int_equal(num_scat2d_alloc(&o, &s), NUM_EINVAL);
    assert_null(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_littlewood_paley),
        cmocka_unit_test(test_energy_identity),
        cmocka_unit_test(test_translation_covariance),
        cmocka_unit_test(test_bad_input),
    };
    return TC_RUN("numerics/scattering2d", tests);
}
