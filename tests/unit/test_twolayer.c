/* tests/unit/test_twolayer.c — numerics/twolayer against independent computations.
 *
 * The network Phi(x) = sum_j theta2_j tanh(<theta1_j, [x; 1]>) is recomputed by hand with libm
 * tanh from the documented parameter layout (theta1 row-major n x (d+1), then theta2):
 * - risk and gradient: the closed-form gradient of r = (1/m) |Phi - y|^2,
 *     d r / d theta2_j   = (2/m) sum_i e_i tanh(z_ij),
 *     d r / d theta1_jk  = (2/m) sum_i e_i theta2_j (1 - tanh(z_ij)^2) xt_ik;
 * - NTK lambda_max: the Jacobian built from the same closed form, J J^T formed by hand, its
 *   largest eigenvalue by GSL's symmetric eigensolver (not the LAPACK route of the kernel);
 * - initialisation: th0 = th, and the sample variances of the two layers against s1^2 and 1/n
 *   within 6 standard deviations of the sample variance (sqrt(2/N) sigma^2, Gaussian entries);
 * - GD: a hand-written loop (theta -= eta g) reproduces r_0, r_K, the slides' constant
 *   c = min m |g|^2 / (n r), the movement and the tail rate kappa, the latter by the textbook
 *   OLS slope S_xy / S_xx (not gsl_fit_linear);
 * - a step far beyond the stability limit is reported as a divergence, and stopping at the
 *   target ends at the first r_k <= target r_0.
 * Seeds are fixed (TC_TEST_SEED overrides) and printed.
 */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>

#include "numerics/ntk.h"
#include "numerics/rng.h"
#include "numerics/twolayer.h"

#define M 6
#define D 3
#define D1 (D + 1)
#define N 16

typedef struct {
    gsl_rng *r;
    double Xt[M * D1], y[M];
    num_twolayer *t;
} fixture;

static void setup(fixture *f, double s1)
{
    double X[M * D];
    f->r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(f->r, (unsigned long)tc_test_seed(20240612u));
    num_rng_gaussian(f->r, 1.0 / sqrt((double)D), X, M * D);
    num_rng_gaussian(f->r, 1.0, f->y, M);
    assert_int_equal(num_ntk_augment(M, D, X, f->Xt), NUM_OK);
    f->t = num_twolayer_alloc(M, D1, N, NUM_ACT_TANH);
    assert_non_null(f->t);
    assert_int_equal(f->t->P, N * (D + 2));
    num_twolayer_init(f->t, s1, f->r);
}

static void teardown(fixture *f)
{
    num_twolayer_free(f->t);
    gsl_rng_free(f->r);
}

/* Pre-activation z_ij = <theta1_j, xt_i> from the documented layout. */
static double preact(const double *th, const double *Xt, size_t i, size_t j)
{
    double z = 0.0;
    for (size_t k = 0; k < D1; k++)
        z += th[j * D1 + k] * Xt[i * D1 + k];
    return z;
}

/* Residuals e_i = Phi(x_i) - y_i and the risk, by hand. */
static double hand_risk(const double *th, const double *Xt, const double *y, double *e)
{
    const double *th2 = th + N * D1;
    double r = 0.0;
    for (size_t i = 0; i < M; i++) {
        double phi = 0.0;
        for (size_t j = 0; j < N; j++)
            phi += th2[j] * tanh(preact(th, Xt, i, j));
        e[i] = phi - y[i];
        r += e[i] * e[i] / M;
    }
    return r;
}

/* Row i of J = d Phi(x_i) / d theta (P entries). */
static void hand_jacobian_row(const double *th, const double *Xt, size_t i, double *row)
{
    const double *th2 = th + N * D1;
    for (size_t j = 0; j < N; j++) {
        double a = tanh(preact(th, Xt, i, j));
        for (size_t k = 0; k < D1; k++)
            row[j * D1 + k] = th2[j] * (1.0 - a * a) * Xt[i * D1 + k];
        row[N * D1 + j] = a;
    }
}

static void risk_and_gradient_match_closed_form(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 1.0);
    double risk, e[M], g[N * (D + 2)] = {0}, row[N * (D + 2)];
    assert_int_equal(num_twolayer_risk_grad(f.t, f.Xt, f.y, &risk), NUM_OK);
    double want = hand_risk(f.t->th, f.Xt, f.y, e);
    for (size_t i = 0; i < M; i++) {
        hand_jacobian_row(f.t->th, f.Xt, i, row);
        for (size_t p = 0; p < f.t->P; p++)
            g[p] += 2.0 * e[i] / M * row[p];
    }
    /* Sums of at most N + D1 + M terms of size O(1) in a different order (BLAS vs loops):
     * rounding differences are a few (N + M) eps; 1e-13 leaves a factor ~20 of margin. */
    expect_rel("risk", risk, want, 1e-13);
    for (size_t i = 0; i < M; i++)
        expect_close("residual", f.t->e[i], e[i], 1e-13);
    for (size_t p = 0; p < f.t->P; p++)
        expect_close("gradient", f.t->g[p], g[p], 1e-13);
    teardown(&f);
}

static void ntk_lmax_matches_formed_kernel(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 1.0);
    size_t P = f.t->P;
    double *J = malloc(M * P * sizeof *J), lmax;
    assert_non_null(J);
    for (size_t i = 0; i < M; i++)
        hand_jacobian_row(f.t->th, f.Xt, i, J + i * P);
    gsl_matrix *K = gsl_matrix_alloc(M, M);
    gsl_vector *ev = gsl_vector_alloc(M);
    gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(M);
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < M; j++) {
            double s = 0.0;
            for (size_t p = 0; p < P; p++)
                s += J[i * P + p] * J[j * P + p];
            gsl_matrix_set(K, i, j, s);
        }
    gsl_eigen_symm(K, ev, ws);
    assert_int_equal(num_twolayer_ntk_lmax(f.t, f.Xt, &lmax), NUM_OK);
    /* Both routes are backward stable: |d lambda| <= c M eps lambda_max plus the rounding of
     * the P-term products (P eps); 1e-12 relative is ~20x that. */
    expect_rel("lambda_max", lmax, gsl_vector_max(ev), 1e-12);
    gsl_eigen_symm_free(ws);
    gsl_vector_free(ev);
    gsl_matrix_free(K);
    free(J);
    teardown(&f);
}

static void init_has_stated_variances(void **state)
{
    (void)state;
    const size_t n = 4096;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, (unsigned long)tc_test_seed(20240612u));
    num_twolayer *t = num_twolayer_alloc(M, D1, n, NUM_ACT_TANH);
    assert_non_null(t);
    const double s1 = 0.7;
    num_twolayer_init(t, s1, r);
    assert_memory_equal(t->th, t->th0, t->P * sizeof *t->th);
    double v1 = 0.0, v2 = 0.0;
    for (size_t p = 0; p < n * D1; p++)
        v1 += t->th[p] * t->th[p] / (double)(n * D1);
    for (size_t j = 0; j < n; j++)
        v2 += t->th[n * D1 + j] * t->th[n * D1 + j] / (double)n;
    /* Mean of N squares of N(0, s^2): standard deviation sqrt(2/N) s^2; 6 of them. */
    expect_close("first-layer variance", v1, s1 * s1,
                 6.0 * sqrt(2.0 / (double)(n * D1)) * s1 * s1);
    expect_close("output-layer variance", v2, 1.0 / n, 6.0 * sqrt(2.0 / (double)n) / n);
    num_twolayer_free(t);
    gsl_rng_free(r);
}

/* The run of num_twolayer_train, by hand: risks r[0..K], c, movement. */
static void hand_gd(fixture *f, double eta, size_t K, double *r, double *c, double *move)
{
    size_t P = f->t->P;
    double *th = malloc(P * sizeof *th), *th0 = malloc(P * sizeof *th0), e[M];
    double *row = malloc(P * sizeof *row), *g = malloc(P * sizeof *g);
    assert_true(th && th0 && row && g);
    memcpy(th, f->t->th0, P * sizeof *th);
    memcpy(th0, th, P * sizeof *th);
    *c = INFINITY;
    for (size_t k = 0; k <= K; k++) {
        r[k] = hand_risk(th, f->Xt, f->y, e);
        memset(g, 0, P * sizeof *g);
        for (size_t i = 0; i < M; i++) {
            hand_jacobian_row(th, f->Xt, i, row);
            for (size_t p = 0; p < P; p++)
                g[p] += 2.0 * e[i] / M * row[p];
        }
        double g2 = 0.0;
        for (size_t p = 0; p < P; p++)
            g2 += g[p] * g[p];
        *c = fmin(*c, g2 * M / (N * r[k]));
        if (k < K)
            for (size_t p = 0; p < P; p++)
                th[p] -= eta * g[p];
    }
    double dn = 0.0, n0 = 0.0;
    for (size_t p = 0; p < P; p++) {
        dn += (th[p] - th0[p]) * (th[p] - th0[p]);
        n0 += th0[p] * th0[p];
    }
    *move = sqrt(dn / n0);
    free(th);
    free(th0);
    free(row);
    free(g);
}

static void gd_run_matches_hand_loop(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 1.0);
    double lmax;
    assert_int_equal(num_twolayer_ntk_lmax(f.t, f.Xt, &lmax), NUM_OK);
    const size_t K = 60, nc = 6;
    double curve[7], r[61], c, move;
    /* Redraw the same initialisation: the run initialises from the stream itself. */
    gsl_rng *start = gsl_rng_clone(f.r);
    num_twolayer_gd gd = {.s1 = 1.0, .eta = 0.5 * M / lmax, .K = K, .target = 0.0,
                          .stop_at_target = false, .diverge_factor = 1e4};
    num_twolayer_gd_out o;
    assert_int_equal(num_twolayer_train(f.t, f.Xt, f.y, f.r, &gd, curve, nc, &o), NUM_OK);
    hand_gd(&f, gd.eta, K, r, &c, &move);
    assert_false(o.diverged);
    assert_int_equal(o.K, K);
    /* 60 steps of a contraction: per-step rounding differences (BLAS daxpy may fuse) stay at
     * the 1e-13 level relative; 1e-10 leaves a wide margin. */
    expect_rel("r0", o.r0, r[0], 1e-10);
    expect_rel("rK", o.rK, r[K], 1e-10);
    expect_rel("c", o.c, c, 1e-10);
    expect_rel("movement", o.move, move, 1e-10);
    for (size_t i = 0; i <= nc; i++)
        expect_rel("curve", curve[i], r[(size_t)llround((double)K * i / nc)] / r[0], 1e-10);
    /* kappa = -S_xy / S_xx over k = K/2 .. K. */
    double kb = 0.0, lb = 0.0, sxy = 0.0, sxx = 0.0;
    for (size_t k = K / 2; k <= K; k++) {
        kb += (double)k / (K - K / 2 + 1);
        lb += log(r[k]) / (K - K / 2 + 1);
    }
    for (size_t k = K / 2; k <= K; k++) {
        sxy += ((double)k - kb) * (log(r[k]) - lb);
        sxx += ((double)k - kb) * ((double)k - kb);
    }
    expect_rel("kappa", o.kappa, -sxy / sxx, 1e-8);
    assert_true(o.rK < o.r0);
    /* The initialisation drawn by the run is the one the stream gives. */
    num_twolayer_init(f.t, 1.0, start);
    assert_memory_equal(f.t->th, f.t->th0, f.t->P * sizeof *f.t->th);
    gsl_rng_free(start);
    teardown(&f);
}

static void divergence_and_target(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 1.0);
    double lmax;
    assert_int_equal(num_twolayer_ntk_lmax(f.t, f.Xt, &lmax), NUM_OK);
    gsl_rng *start = gsl_rng_clone(f.r);
    num_twolayer_gd_out o;
    /* eta 50x beyond the stability limit m / lambda_max: the risk explodes. */
    num_twolayer_gd big = {.s1 = 1.0, .eta = 50.0 * M / lmax, .K = 2000,
                           .diverge_factor = 1e4};
    assert_int_equal(num_twolayer_train(f.t, f.Xt, f.y, f.r, &big, NULL, 0, &o), NUM_OK);
    assert_true(o.diverged);
    assert_true(o.k_div > 0 && o.k_div <= big.K);
    /* A stable step with a target: stops at the first r_k <= target r_0. */
    gsl_rng_memcpy(f.r, start);
    num_twolayer_gd stop = {.s1 = 1.0, .eta = 0.5 * M / lmax, .K = 100000, .target = 0.5,
                            .stop_at_target = true, .diverge_factor = 1e4};
    assert_int_equal(num_twolayer_train(f.t, f.Xt, f.y, f.r, &stop, NULL, 0, &o), NUM_OK);
    assert_true(o.reached);
    assert_true(o.rK <= 0.5 * o.r0);
    assert_true(o.k_end < stop.K);
    assert_true(isnan(o.kappa));
    double c, move;
    if (o.k_end >= 1) { /* the previous iterate was still above the target */
        double *rr = malloc((o.k_end + 1) * sizeof *rr);
        assert_non_null(rr);
        hand_gd(&f, stop.eta, o.k_end, rr, &c, &move);
        assert_true(rr[o.k_end - 1] > 0.5 * rr[0]);
        expect_rel("movement at the target", o.move, move, 1e-10);
        free(rr);
    }
    gsl_rng_free(start);
    teardown(&f);
}

static void arguments_are_checked(void **state)
{
    (void)state;
    assert_null(num_twolayer_alloc(0, D1, N, NUM_ACT_TANH));
    assert_null(num_twolayer_alloc(M, D1, 0, NUM_ACT_TANH));
    num_twolayer_free(NULL);
    double risk;
    assert_int_equal(num_twolayer_risk_grad(NULL, NULL, NULL, &risk), NUM_EINVAL);
    num_twolayer_gd_out o;
    assert_int_equal(num_twolayer_train(NULL, NULL, NULL, NULL, NULL, NULL, 0, &o), NUM_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(risk_and_gradient_match_closed_form),
        cmocka_unit_test(ntk_lmax_matches_formed_kernel),
        cmocka_unit_test(init_has_stated_variances),
        cmocka_unit_test(gd_run_matches_hand_loop),
        cmocka_unit_test(divergence_and_target),
        cmocka_unit_test(arguments_are_checked),
    };
    return TC_RUN("numerics/twolayer", tests);
}
