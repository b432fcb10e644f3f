/* tests/unit/test_etf.c — numerics/etf: the simplex ETF and the checks of the ETF definition.
 *
 * - simplex ETF, C = 2..9, p = C..C+4, canonical and Haar orientations (seeds 1..3): unit
 *   norms, <x_i, x_j> = -1/(C-1), coherence = Welch bound 1/(C-1), rank C-1, tight frame of
 *   the span; not a tight frame of R^p (defect max(1, |p/(C-1) - 1|) since p > C - 1);
 * - a non-simplex ETF with a closed form: the 6 diagonals of the icosahedron in R^3
 *   (coherence 1/sqrt(5) = Welch bound sqrt((6-3)/(3*5)), tight: (3/6) sum x x^T = I);
 *   an orthonormal basis (coherence 0, tight frame of R^d);
 * - the checks can fail: random unit vectors violate (2) and (3); a stretched simplex
 *   violates (1);
 * - the Gram distance is 0 for s E Q and positive otherwise; num_etf_nearest returns X itself
 *   when X is a scaled rotated ETF and is no farther from a perturbed X than any other
 *   scaled simplex ETF tried; num_etf_project2 preserves the distances of a C = 3 simplex.
 * Tolerances are c * p * DBL_EPSILON with c = 64 (a handful of rounding errors per entry of a
 * length-p dot product, plus the QR and eigen-solver backward errors of the same order).
 */

#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/etf.h"
#include "numerics/rng.h"

#define TOL_C 64.0

static void expect_le(const char *what, double observed, double bound)
{
    if (!(observed <= bound)) {
        fprintf(stderr, "%s: %.18g observed vs bound %.18g\n", what, observed, bound);
        fail();
    }
}

static void test_simplex_sizes(void **state)
{
    (void)state;
    for (size_t C = 2; C <= 9; C++)
        for (size_t p = C; p <= C + 4; p++)
            for (uint64_t seed = 0; seed <= 3; seed++) {
                double *M = malloc(C * p * sizeof *M);
                gsl_rng *r = seed ? num_rng_alloc(seed) : NULL;
                assert_int_equal(num_etf_simplex(C, p, r, M), NUM_OK);
                num_etf_report rep;
                assert_int_equal(num_etf_check(M, C, p, &rep), NUM_OK);
                double tol = TOL_C * (double)p * DBL_EPSILON;
                char what[96];
                snprintf(what, sizeof what, "C=%zu p=%zu seed=%llu", C, p,
                         (unsigned long long)seed);
                expect_le(what, rep.norm_dev, tol);
                expect_le(what, rep.simplex_dev, tol);
                expect_le(what, rep.equiangle_dev, tol);
                expect_close(what, rep.coherence, 1.0 / (double)(C - 1), tol);
                expect_close(what, rep.welch, 1.0 / (double)(C - 1), tol);
                assert_int_equal(rep.rank, C - 1);
                expect_le(what, rep.tight_dev_span, tol);
                /* S = (C/(C-1)) P_span: eigenvalues 0 (defect 1) and C/(C-1) (defect
                 * |p/(C-1) - 1|) */
                expect_close(what, rep.tight_dev_ambient,
                             fmax(1.0, fabs((double)p / (double)(C - 1) - 1.0)), tol);
                /* the rows sum to zero */
                for (size_t j = 0; j < p; j++) {
                    double s = 0.0;
                    for (size_t c = 0; c < C; c++)
                        s += M[c * p + j];
                    expect_le(what, fabs(s), tol);
                }
                if (r)
                    gsl_rng_free(r);
                free(M);
            }
}

static void test_simplex_orientation(void **state)
{
    (void)state;
    /* Two seeds give different orientations of the same Gram matrix; the canonical one lives
     * in the first C coordinates. */
    size_t C = 4, p = 7;
    double A[28], B[28], E[28];
    gsl_rng *r1 = num_rng_alloc(11), *r2 = num_rng_alloc(12);
    assert_int_equal(num_etf_simplex(C, p, r1, A), NUM_OK);
    assert_int_equal(num_etf_simplex(C, p, r2, B), NUM_OK);
    assert_int_equal(num_etf_simplex(C, p, NULL, E), NUM_OK);
    double diff = 0.0;
    for (size_t i = 0; i < C * p; i++)
        diff = fmax(diff, fabs(A[i] - B[i]));
    if (!(diff > 0.1)) {
        fprintf(stderr, "orientations too close: %.18g observed vs > 0.1 expected\n", diff);
        fail();
    }
    for (size_t c = 0; c < C; c++)
        for (size_t j = C; j < p; j++)
            assert_true(E[c * p + j] == 0.0);
    expect_close("canonical diagonal", E[0], sqrt(4.0 / 3.0) * 0.75, 1e-15);
    expect_le("gram distance A", num_etf_gram_distance(A, C, p), 1e-14);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
    assert_int_equal(num_etf_simplex(1, 3, NULL, E), NUM_EINVAL);
    assert_int_equal(num_etf_simplex(4, 3, NULL, E), NUM_EINVAL);
}

static void test_icosahedron(void **state)
{
    (void)state;
    const double phi = (1.0 + sqrt(5.0)) / 2.0, s = 1.0 / sqrt(1.0 + phi * phi);
    double X[18] = {0, 1, phi, 0, 1, -phi, 1, phi, 0, -1, phi, 0, phi, 0, 1, phi, 0, -1};
    for (int i = 0; i < 18; i++)
        X[i] *= s;
    num_etf_report rep;
    assert_int_equal(num_etf_check(X, 6, 3, &rep), NUM_OK);
    double tol = TOL_C * 6 * DBL_EPSILON;
    expect_le("ico norm", rep.norm_dev, tol);
    expect_close("ico coherence", rep.coherence, 1.0 / sqrt(5.0), tol);
    expect_le("ico equiangle", rep.equiangle_dev, tol);
    assert_int_equal(rep.rank, 3);
    expect_le("ico tight span", rep.tight_dev_span, tol);
    expect_le("ico tight ambient", rep.tight_dev_ambient, tol);
    expect_close("ico welch", rep.welch, sqrt(3.0 / 15.0), tol);
    /* not a simplex: <x_i, x_j> = +-1/sqrt5 != -1/5 */
    assert_true(rep.simplex_dev > 0.1);
}

static void test_orthonormal_basis(void **state)
{
    (void)state;
    double Id[16] = {0};
    for (int i = 0; i < 4; i++)
        Id[i * 4 + i] = 1.0;
    num_etf_report rep;
    assert_int_equal(num_etf_check(Id, 4, 4, &rep), NUM_OK);
    expect_le("onb coherence", rep.coherence, 0.0);
    expect_le("onb tight ambient", rep.tight_dev_ambient, 4 * DBL_EPSILON);
    expect_le("onb welch", rep.welch, 0.0);
    assert_int_equal(rep.rank, 4);
}

static void test_checks_can_fail(void **state)
{
    (void)state;
    /* Random unit vectors: unequal angles, not tight. */
    size_t n = 6, d = 4;
    double X[24];
    gsl_rng *r = num_rng_alloc(5);
    for (size_t i = 0; i < n; i++)
        num_rng_unit_vector(r, X + i * d, d);
    num_etf_report rep;
    assert_int_equal(num_etf_check(X, n, d, &rep), NUM_OK);
    expect_le("random norm", rep.norm_dev, 1e-14);
    assert_true(rep.equiangle_dev > 0.05);
    assert_true(rep.tight_dev_span > 0.05);
    assert_true(rep.coherence > rep.welch);
    /* A simplex with one stretched vector violates (1) and the simplex condition. */
    double M[12];
    assert_int_equal(num_etf_simplex(3, 4, r, M), NUM_OK);
    for (int j = 0; j < 4; j++)
        M[j] *= 1.1;
    assert_int_equal(num_etf_check(M, 3, 4, &rep), NUM_OK);
    expect_close("stretched norm", rep.norm_dev, 0.1, 1e-14);
    assert_true(rep.simplex_dev > 0.04);
    assert_true(num_etf_gram_distance(M, 3, 4) > 1e-3);
    gsl_rng_free(r);
    X[3] = NAN;
    assert_int_equal(num_etf_check(X, n, d, &rep), NUM_ENAN);
    assert_int_equal(num_etf_check(X, 1, d, &rep), NUM_EINVAL);
}

static void test_nearest_and_projection(void **state)
{
    (void)state;
    size_t C = 5, p = 8;
    double E[40], X[40], N[40], F[40];
    gsl_rng *r = num_rng_alloc(21);
    assert_int_equal(num_etf_simplex(C, p, r, E), NUM_OK);
    for (size_t i = 0; i < C * p; i++)
        X[i] = 3.0 * E[i];
    assert_int_equal(num_etf_nearest(X, C, p, N), NUM_OK);
    double err = 0.0;
    for (size_t i = 0; i < C * p; i++)
        err = fmax(err, fabs(N[i] - X[i]));
    expect_le("nearest of an ETF is itself", err, TOL_C * p * DBL_EPSILON * 3.0);
    /* Perturb, then compare with other scaled simplex ETFs. */
    num_rng_gaussian(r, 0.2, N, C * p);
    for (size_t i = 0; i < C * p; i++)
        X[i] += N[i];
    assert_int_equal(num_etf_nearest(X, C, p, N), NUM_OK);
    expect_le("nearest is an ETF", num_etf_gram_distance(N, C, p), 1e-13);
    double best = 0.0;
    for (size_t i = 0; i < C * p; i++)
        best += (X[i] - N[i]) * (X[i] - N[i]);
    for (int trial = 0; trial < 200; trial++) {
        assert_int_equal(num_etf_simplex(C, p, r, F), NUM_OK);
        double other = 0.0;
        for (size_t i = 0; i < C * p; i++)
            other += (X[i] - 3.0 * F[i]) * (X[i] - 3.0 * F[i]);
        expect_le("Procrustes optimality", best, other);
    }
    double trueE = 0.0;
    for (size_t i = 0; i < C * p; i++)
        trueE += (X[i] - 3.0 * E[i]) * (X[i] - 3.0 * E[i]);
    expect_le("no farther than the generating ETF", best, trueE);
    /* 2-D projection of a C = 3 simplex keeps all distances (it spans a plane). */
    double T[3 * 6], t2[6], u2[6];
    assert_int_equal(num_etf_simplex(3, 6, r, T), NUM_OK);
    assert_int_equal(num_etf_project2(T, T, 3, 6, t2, u2), NUM_OK);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double d6 = 0.0, d2 = 0.0;
            for (int k = 0; k < 6; k++)
                d6 += (T[i * 6 + k] - T[j * 6 + k]) * (T[i * 6 + k] - T[j * 6 + k]);
            for (int k = 0; k < 2; k++)
                d2 += (t2[i * 2 + k] - t2[j * 2 + k]) * (t2[i * 2 + k] - t2[j * 2 + k]);
            expect_close("projected distance", sqrt(d2), sqrt(d6), 1e-13);
            expect_close("same projection", u2[i * 2 + j % 2], t2[i * 2 + j % 2], 0.0);
        }
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simplex_sizes),
        cmocka_unit_test(test_simplex_orientation),
        cmocka_unit_test(test_icosahedron),
        cmocka_unit_test(test_orthonormal_basis),
        cmocka_unit_test(test_checks_can_fail),
        cmocka_unit_test(test_nearest_and_projection),
    };
    return TC_RUN("numerics/etf", tests);
}
