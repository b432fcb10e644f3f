/* tests/unit/test_random_features.c — numerics/random_features against independent
 * computations.
 *
 * - num_rf_relu_features: every entry against max(0, sum_j x_ij w_kj) summed by hand;
 * - num_rf_coef, lambda = 0, full rank: the minimum-norm solution from LAPACK's dgelsd
 *   (num_linalg_lstsq), in the under- (n > N), square and over-parametrised (n < N) cases;
 *   over-parametrised it interpolates (Phi B = Y) and lies in the row space (B = Phi^T A);
 * - num_rf_coef, lambda > 0: the normal equations (Phi^T Phi + lambda I) B = Phi^T Y
 *   residual, relative to ||Phi||^2 ||B||, at most a few hundred eps;
 * - num_rf_coef with a dropped triplet: B is orthogonal to the dropped right singular vector;
 * - num_rf_eval: a hand-computed 3 x 2 example (MSE and 0-1 error, argmax ties to the lowest
 *   index); num_rf_columns and num_rf_onehot by definition; bad input.
 */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include <cblas.h>

#include "numerics/linalg.h"
#include "numerics/random_features.h"
#include "numerics/rng.h"

static void features_by_hand(void **state)
{
    (void)state;
    enum { n = 7, d = 5, N = 9 };
    double X[n * d], W[N * d], Phi[n * N];
    gsl_rng *r = num_rng_alloc(tc_test_seed(20261203u));
    num_rng_gaussian(r, 1.0, X, n * d), num_rng_gaussian(r, 1.0, W, N * d);
    assert_int_equal(num_rf_relu_features(n, d, X, N, W, Phi), NUM_OK);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < N; k++) {
            double z = 0;
            for (size_t j = 0; j < d; j++)
                z += X[i * d + j] * W[k * d + j];
            expect_close("relu(<x_i, w_k>)", Phi[i * N + k], z > 0 ? z : 0, 8 * DBL_EPSILON * 10);
        }
    assert_int_equal(num_rf_relu_features(0, d, X, N, W, Phi), NUM_EINVAL);
    gsl_rng_free(r);
}

/* B from the SVD route, for Phi (n x N) and Y (n x C), lambda, keeping `drop` fewer triplets. */
static void coef_svd(size_t n, size_t N, size_t C, const double *Phi, const double *Y,
                     double lambda, size_t drop, double *B, double *Vt)
{
    size_t k = n < N ? n : N;
    double *U = malloc(n * k * sizeof *U), *s = malloc(k * sizeof *s);
    double *tmp = malloc(k * C * sizeof *tmp);
    assert_int_equal(num_linalg_svd(n, N, Phi, U, s, Vt), NUM_OK);
    assert_int_equal(num_rf_coef(n, N, k, U, s, Vt, k - drop, lambda, C, Y, B, tmp), NUM_OK);
    free(U), free(s), free(tmp);
}

static void min_norm_matches_dgelsd(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(tc_test_seed(20261204u));
    const size_t cases[3][2] = {{20, 8}, {12, 12}, {8, 30}};
    enum { C = 3 };
    for (int c = 0; c < 3; c++) {
        size_t n = cases[c][0], N = cases[c][1], k = n < N ? n : N;
        double *Phi = malloc(n * N * sizeof *Phi), *Y = malloc(n * C * sizeof *Y);
        double *B = malloc(N * C * sizeof *B), *B2 = malloc(N * C * sizeof *B2);
        double *Vt = malloc(k * N * sizeof *Vt), *P = malloc(n * C * sizeof *P);
        num_rng_gaussian(r, 1.0, Phi, n * N), num_rng_gaussian(r, 1.0, Y, n * C);
        coef_svd(n, N, C, Phi, Y, 0.0, 0, B, Vt);
        assert_int_equal(num_linalg_lstsq(n, N, C, Phi, Y, 1e-13, B2, NULL), NUM_OK);
        double sc = num_linalg_norm_fro(N, C, B2);
        for (size_t i = 0; i < N * C; i++) /* kappa u backward-stable solves; kappa < 1e3 */
            expect_close("B = dgelsd", B[i], B2[i], 1e-10 * sc);
        if (n < N) { /* interpolation */
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, C, (int)N, 1.0, Phi,
                        (int)N, B, C, 0.0, P, C);
            for (size_t i = 0; i < n * C; i++)
                expect_close("Phi B = Y", P[i], Y[i], 1e-10);
        }
        free(Phi), free(Y), free(B), free(B2), free(Vt), free(P);
    }
    gsl_rng_free(r);
}

static void ridge_normal_equations(void **state)
{
    (void)state;
    enum { n = 15, N = 25, C = 2 };
    double Phi[n * N], Y[n * C], B[N * C], Vt[n * N], G[N * N], R[N * C];
    gsl_rng *r = num_rng_alloc(tc_test_seed(20261205u));
    num_rng_gaussian(r, 1.0, Phi, n * N), num_rng_gaussian(r, 1.0, Y, n * C);
    double lambdas[3] = {1e-3, 1.0, 50.0};
    for (int j = 0; j < 3; j++) {
        coef_svd(n, N, C, Phi, Y, lambdas[j], 0, B, Vt);
        /* R = (Phi^T Phi + lambda I) B - Phi^T Y */
        assert_int_equal(num_linalg_gram(n, N, Phi, G), NUM_OK);
        for (size_t i = 0; i < N; i++)
            G[i * N + i] += lambdas[j];
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, C, N, 1.0, G, N, B, C, 0.0, R, C);
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, N, C, n, -1.0, Phi, N, Y, C, 1.0, R, C);
        double scale = (num_linalg_norm_fro(N, N, G)) * num_linalg_norm_fro(N, C, B);
        expect_close("normal equations residual", num_linalg_norm_fro(N, C, R), 0.0,
                     200 * DBL_EPSILON * scale);
    }
    gsl_rng_free(r);
}

static void dropped_triplet(void **state)
{
    (void)state;
    enum { n = 6, N = 10, C = 2 };
    double Phi[n * N], Y[n * C], B[N * C], Vt[n * N];
    gsl_rng *r = num_rng_alloc(tc_test_seed(20261206u));
    num_rng_gaussian(r, 1.0, Phi, n * N), num_rng_gaussian(r, 1.0, Y, n * C);
    coef_svd(n, N, C, Phi, Y, 0.0, 1, B, Vt);
    for (size_t c = 0; c < C; c++) { /* <v_last, B_c> = 0 */
        double dot = 0, nb = 0;
        for (size_t j = 0; j < N; j++)
            dot += Vt[(n - 1) * N + j] * B[j * C + c], nb += B[j * C + c] * B[j * C + c];
        expect_close("dropped direction", dot, 0.0, 1e-12 * sqrt(nb));
    }
    gsl_rng_free(r);
}

static void eval_by_hand(void **state)
{
    (void)state;
    /* Phi = I_2 stacked with (1, 1): predictions are the rows of B and their sum */
    const double Phi[3 * 2] = {1, 0, 0, 1, 1, 1};
    const double B[2 * 2] = {0.5, 0.25, 0.5, 0.5};
    const size_t y[3] = {0, 0, 1};
    double P[3 * 2], mse, err;
    assert_int_equal(num_rf_eval(3, 2, 2, Phi, B, y, P, &mse, &err), NUM_OK);
    /* rows (0.5, 0.25) y=0: 0.25 + 0.0625; (0.5, 0.5) y=0 tie -> class 0, right: 0.25 + 0.25;
     * (1, 0.75) y=1: argmax 0, wrong: 1 + 0.0625 */
    expect_close("mse", mse, (0.3125 + 0.5 + 1.0625) / 3, 1e-15);
    expect_close("0-1 error", err, 1.0 / 3, 1e-15);
    double A[2 * 3] = {1, 2, 3, 4, 5, 6}, S[2 * 2], Y[3 * 2];
    num_rf_columns(2, 3, A, 2, S);
    expect_close("columns", S[2], 4, 0), expect_close("columns", S[3], 5, 0);
    num_rf_onehot(3, 2, y, Y);
    expect_close("one-hot", Y[0] + Y[2] + Y[5], 3, 0), expect_close("one-hot", Y[1] + Y[3] + Y[4], 0, 0);
    assert_int_equal(num_rf_eval(0, 2, 2, Phi, B, y, P, &mse, &err), NUM_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(features_by_hand),
        cmocka_unit_test(min_norm_matches_dgelsd),
        cmocka_unit_test(ridge_normal_equations),
        cmocka_unit_test(dropped_triplet),
        cmocka_unit_test(eval_by_hand),
    };
    return TC_RUN("numerics/random_features", tests);
}
