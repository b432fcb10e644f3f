/* tests/unit/test_kernels.c — closed-form Gaussian expectations (numerics/kernels.h).
 *
 * Special angles and exact identities for the angle helpers and the arc-cosine law; the ReLU
 * and erf kernels against Monte Carlo over N = 400000 Gaussian weight vectors with a bound of
 * 6 standard errors of the sample mean (SE estimated from the same samples; false-failure
 * probability about 2e-9 per comparison under the normal approximation), and against exact
 * homogeneity and limit cases. Seeds are fixed and printed on failure.
 */
#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "numerics/kernels.h"
#include "numerics/rng.h"

/* TC_TEST_SEED overrides it (tc_test.h); the value is printed once. */
#define SEED ((unsigned)tc_test_seed(99173u))

static void test_acos_clamped(void **state)
{
    (void)state;
    expect_close("acos(1)", num_acos_clamped(1.0), 0.0, 0.0);
    expect_close("acos(1 + 1e-12) clamps to 0", num_acos_clamped(1.0 + 1e-12), 0.0, 0.0);
    expect_close("acos(-1)", num_acos_clamped(-1.0), M_PI, 0.0);
    expect_close("acos(-1 - 1e-12) clamps to pi", num_acos_clamped(-1.0 - 1e-12), M_PI, 0.0);
    expect_close("acos(1/2) = pi/3", num_acos_clamped(0.5), M_PI / 3.0, 2 * DBL_EPSILON);
    expect_close("acos(0) = pi/2", num_acos_clamped(0.0), M_PI / 2.0, 2 * DBL_EPSILON);
}

static void test_angle(void **state)
{
    (void)state;
    double e1[3] = {1, 0, 0}, e2[3] = {0, 2, 0}, x[3] = {1, 2, 3}, y[3] = {3, 6, 9},
           z[3] = {-2, -4, -6}, o[3] = {0, 0, 0}, d[3] = {1, 1, 0};
    expect_close("orthogonal", num_angle(e1, e2, 3), M_PI / 2, 2 * DBL_EPSILON);
    expect_close("parallel (acos near 1: sqrt(eps) accuracy)", num_angle(x, y, 3), 0.0, 1e-7);
    expect_close("antiparallel", num_angle(x, z, 3), M_PI, 1e-7);
    expect_close("zero vector gives 0", num_angle(x, o, 3), 0.0, 0.0);
    expect_close("45 degrees", num_angle(e1, d, 3), M_PI / 4, 4 * DBL_EPSILON);
    expect_close("symmetric", num_angle(d, e1, 3), num_angle(e1, d, 3), 0.0);
}

static void test_cos_law_special_angles(void **state)
{
    (void)state;
    /* (sin t + (pi - t) cos t) / pi: t = 0 -> 1, pi/2 -> 1/pi, pi -> 0 */
    expect_close("law(0)", num_relu_cos_law(0.0), 1.0, 2 * DBL_EPSILON);
    expect_close("law(pi/2) = 1/pi", num_relu_cos_law(M_PI / 2), 1.0 / M_PI, 2 * DBL_EPSILON);
    expect_close("law(pi) = 0", num_relu_cos_law(M_PI), 0.0, 2 * DBL_EPSILON);
    /* psi: 0 at 0, 1/pi at pi/2, 1 at pi */
    expect_close("psi(0)", num_relu_psi(0.0), 0.0, 0.0);
    expect_close("psi(pi/2)", num_relu_psi(M_PI / 2), 1.0 / M_PI, 2 * DBL_EPSILON);
    expect_close("psi(pi)", num_relu_psi(M_PI), 1.0, 2 * DBL_EPSILON);
    double prev = 2.0;
    for (int i = 0; i <= 100; i++) {
        double t = M_PI * i / 100.0, g = num_relu_cos_law(t);
        /* identity of 001 §V-A: cos-law = cos t + psi(t) (distance law <=> angle law) */
        expect_close("law = cos + psi", g, cos(t) + num_relu_psi(t), 8 * DBL_EPSILON);
        /* shrinkage: the output cosine is never below the input cosine, and decreasing */
        if (!(g >= cos(t) - 4 * DBL_EPSILON && g < prev + 4 * DBL_EPSILON)) {
            fprintf(stderr, "law(%g) = %.18g vs cos %.18g, previous %.18g\n", t, g, cos(t), prev);
            fail();
        }
        prev = g;
    }
    /* small angles: 1 - law = t^2/2 - t^3/(3 pi) + O(t^4) */
    double t = 1e-3;
    expect_close("small-angle expansion", 1.0 - num_relu_cos_law(t), t * t / 2 - t * t * t / (3 * M_PI), 1e-12);
}

/* Monte Carlo mean of f(w.x, w.y) over w ~ N(0, sigma2 I_d) and its standard error. */
static void mc_kernel(gsl_rng *r, const double *x, const double *y, size_t d, double sigma2,
                      int erf_kernel, double *mean, double *se)
{
    const size_t N = 400000;
    double w[8], s1 = 0, s2 = 0;
    for (size_t k = 0; k < N; k++) {
        num_rng_gaussian(r, sqrt(sigma2), w, d);
        double a = 0, b = 0;
        for (size_t j = 0; j < d; j++)
            a += w[j] * x[j], b += w[j] * y[j];
        double f = erf_kernel ? erf(a) * erf(b) : fmax(a, 0.0) * fmax(b, 0.0);
        s1 += f, s2 += f * f;
    }
    *mean = s1 / N;
    *se = sqrt((s2 / N - *mean * *mean) / N);
}

static void test_kernels_monte_carlo(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED);
    double x[5] = {0.3, -1.2, 0.5, 0.0, 0.8}, y[5] = {1.0, 0.4, -0.3, 0.7, 0.2};
    double yneg[5], m, se;
    for (int j = 0; j < 5; j++)
        yneg[j] = -0.5 * x[j] + 0.1 * y[j]; /* an obtuse pair */
    const double sig[2] = {0.7, 2.0};
    for (int a = 0; a < 2; a++) {
        mc_kernel(r, x, y, 5, sig[a], 0, &m, &se);
        expect_close("ReLU kernel vs Monte Carlo", num_kernel_relu(x, y, 5, sig[a]), m, 6 * se);
        mc_kernel(r, x, yneg, 5, sig[a], 0, &m, &se);
        expect_close("ReLU kernel, obtuse", num_kernel_relu(x, yneg, 5, sig[a]), m, 6 * se);
        mc_kernel(r, x, y, 5, sig[a], 1, &m, &se);
        expect_close("erf kernel vs Monte Carlo", num_kernel_erf(x, y, 5, sig[a]), m, 6 * se);
        mc_kernel(r, x, yneg, 5, sig[a], 1, &m, &se);
        expect_close("erf kernel, obtuse", num_kernel_erf(x, yneg, 5, sig[a]), m, 6 * se);
    }
    gsl_rng_free(r);
}

static void test_kernel_identities(void **state)
{
    (void)state;
    double x[3] = {1.0, 2.0, -0.5}, y[3] = {0.3, -0.1, 2.0}, o[3] = {-2.0, 1.0, 0.0};
    double x2[3], y3[3];
    for (int j = 0; j < 3; j++)
        x2[j] = 2.5 * x[j], y3[j] = 0.25 * y[j];
    /* positive homogeneity of degree 1 in each argument */
    expect_close("ReLU kernel homogeneity", num_kernel_relu(x2, y3, 3, 1.3), 2.5 * 0.25 * num_kernel_relu(x, y, 3, 1.3), 1e-14);
    /* x = y: E relu(w.x)^2 = sigma2 |x|^2 / 2 */
    expect_close("ReLU kernel diagonal", num_kernel_relu(x, x, 3, 1.3), 1.3 * 5.25 / 2, 1e-14);
    /* orthogonal x, o: sigma2 |x||o| / (2 pi) */
    expect_close("ReLU kernel at pi/2", num_kernel_relu(x, o, 3, 1.0), sqrt(5.25) * sqrt(5.0) / (2 * M_PI), 1e-14);
    /* erf: orthogonal inputs give 0 (odd function); x = y gives the diagonal formula */
    expect_close("erf kernel at pi/2", num_kernel_erf(x, o, 3, 0.8), 0.0, 1e-16);
    double s = 2 * 0.8 * 5.25;
    expect_close("erf kernel diagonal", num_kernel_erf(x, x, 3, 0.8), 2 / M_PI * asin(s / (1 + s)), 1e-15);
    /* symmetry */
    expect_close("erf sym", num_kernel_erf(x, y, 3, 0.8), num_kernel_erf(y, x, 3, 0.8), 1e-16);
    expect_close("relu sym", num_kernel_relu(x, y, 3, 0.8), num_kernel_relu(y, x, 3, 0.8), 1e-16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acos_clamped),
        cmocka_unit_test(test_angle),
        cmocka_unit_test(test_cos_law_special_angles),
        cmocka_unit_test(test_kernels_monte_carlo),
        cmocka_unit_test(test_kernel_identities),
    };
    return TC_RUN("numerics/kernels", tests);
}
