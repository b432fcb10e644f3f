/* tests/unit/test_intrinsic_dim_data.c — data of known dimension (numerics/intrinsic_dim.h:
 * num_intrinsic_dim_sample_subspace, num_intrinsic_dim_sample_curve).
 *
 * 1. Replay: the same stream, read in the documented order (frame, then coefficients; or the
 *    Fourier coefficients, then the parameters t_i), rebuilds every point by direct sums
 *    written here (no BLAS).
 * 2. Dimension: the curve is 1-dimensional: the Levina-Bickel estimate of n = 1000 of its
 *    points in R^32 lies within 0.15 of 1. (The subspace points are F U^T with k columns, so
 *    their rank is k by construction once the replay in 1. holds.)
 * 3. Argument errors.
 */
#include "tc_test.h"

#include <float.h>

#include "numerics/intrinsic_dim.h"
#include "numerics/rng.h"

static void test_subspace_replay(void **state)
{
    (void)state;
    uint64_t seed = tc_test_seed(4242u);
    const size_t n = 50, D = 7, k = 3;
    double *X = malloc(sizeof(double) * n * D), *F = malloc(sizeof(double) * n * k);
    double *U = malloc(sizeof(double) * D * k), *F2 = malloc(sizeof(double) * n * k);
    double *U2 = malloc(sizeof(double) * D * k);
    gsl_rng *r = num_rng_alloc(seed);
    assert_int_equal(num_intrinsic_dim_sample_subspace(r, n, D, k, X, F, U), NUM_OK);
    gsl_rng_free(r);
    r = num_rng_alloc(seed);
    num_rng_gaussian(r, 1.0, U2, D * k);
    num_rng_gaussian(r, 1.0, F2, n * k);
    gsl_rng_free(r);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < D; c++) {
            double x = 0.0, mag = 0.0;
            for (size_t q = 0; q < k; q++) {
                x += F2[i * k + q] * U2[c * k + q];
                mag += fabs(F2[i * k + q] * U2[c * k + q]);
            }
            /* k products summed in some order: at most 2 k eps of the sum of magnitudes. */
            expect_close("subspace point", X[i * D + c], x, 2.0 * (double)k * DBL_EPSILON * mag);
        }
    free(X), free(F), free(U), free(F2), free(U2);
}

static void test_curve_replay(void **state)
{
    (void)state;
    uint64_t seed = tc_test_seed(4242u);
    const size_t n = 40, D = 5, J = 3;
    double *X = malloc(sizeof(double) * n * D), *F = malloc(sizeof(double) * n * 2 * J);
    double *U = malloc(sizeof(double) * D * 2 * J), *U2 = malloc(sizeof(double) * D * 2 * J);
    gsl_rng *r = num_rng_alloc(seed);
    assert_int_equal(num_intrinsic_dim_sample_curve(r, n, D, J, X, F, U), NUM_OK);
    gsl_rng_free(r);
    r = num_rng_alloc(seed);
    num_rng_gaussian(r, 1.0, U2, D * 2 * J);
    for (size_t i = 0; i < n; i++) {
        double t = 2.0 * M_PI * gsl_rng_uniform(r);
        for (size_t c = 0; c < D; c++) {
            double x = 0.0, mag = 0.0;
            for (size_t a = 1; a <= J; a++) {
                double A = U2[c * 2 * J + 2 * (a - 1)], B = U2[c * 2 * J + 2 * (a - 1) + 1];
                double term = (A * cos((double)a * t) + B * sin((double)a * t)) / (double)a;
                x += term;
                mag += (fabs(A) + fabs(B)) / (double)a;
            }
            /* 2J products and sums, cos/sin within 1 ulp: 8 J eps of the magnitudes. */
            expect_close("curve point", X[i * D + c], x, 8.0 * (double)J * DBL_EPSILON * mag);
        }
    }
    gsl_rng_free(r);
    free(X), free(F), free(U), free(U2);
}

static void test_curve_dimension(void **state)
{
    (void)state;
    const size_t n = 1000, D = 32, J = 3, k1 = 10, k2 = 20;
    double *X = malloc(sizeof(double) * n * D), *F = malloc(sizeof(double) * n * 2 * J);
    double *U = malloc(sizeof(double) * D * 2 * J);
    gsl_rng *r = num_rng_alloc(tc_test_seed(4242u));
    assert_int_equal(num_intrinsic_dim_sample_curve(r, n, D, J, X, F, U), NUM_OK);
    gsl_rng_free(r);
    size_t lw = num_intrinsic_dim_work_size(n, D, k2);
    double *w = malloc(sizeof(double) * lw), dim = NAN;
    assert_int_equal(num_intrinsic_dim_mle(X, n, D, k1, k2, w, lw, &dim, NULL), NUM_OK);
    /* Relative statistical SD ~ sqrt(k / (n (k - 1))) ~ 3.3% (test_intrinsic_dim.c); 15% is
     * about 4.5 of them and excludes dimension 2 by far. */
    expect_close("dimension of the curve", dim, 1.0, 0.15);
    free(X), free(F), free(U), free(w);
}

static void test_arguments(void **state)
{
    (void)state;
    double X[4], F[4], U[4];
    gsl_rng *r = num_rng_alloc(1);
    assert_int_equal(num_intrinsic_dim_sample_subspace(NULL, 1, 1, 1, X, F, U), NUM_EINVAL);
    assert_int_equal(num_intrinsic_dim_sample_subspace(r, 1, 1, 0, X, F, U), NUM_EINVAL);
    assert_int_equal(num_intrinsic_dim_sample_curve(r, 1, 1, 0, X, F, U), NUM_EINVAL);
    assert_int_equal(num_intrinsic_dim_sample_curve(r, 0, 1, 1, X, F, U), NUM_EINVAL);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subspace_replay),
        cmocka_unit_test(test_curve_replay),
        cmocka_unit_test(test_curve_dimension),
        cmocka_unit_test(test_arguments),
    };
    return TC_RUN("numerics/intrinsic_dim_data", tests);
}
