/* tests/unit/test_flow.c — gradient flows (gsl_odeiv2) and gradient descent against closed
 * forms.
 *
 * Closed forms used (derived here):
 *  (1) Exponential loss, one sample g = y x: w(t) = w0 + g phi(t) with
 *      dphi/dt = exp(-(z0 + b phi)), z0 = g.w0, b = |g|^2, phi(t0) = 0. With u = b phi:
 *      e^u du = b e^{-z0} dt, so  phi(t) = log(1 + b e^{-z0} (t - t0)) / b.
 *  (2) Logistic loss, one sample: z = g.w obeys dz/dt = b / (1 + e^z), so
 *      z + e^z = z0 + e^{z0} + b (t - t0) (solved for z by Newton's method), and
 *      w(t) = w0 + g (z(t) - z0) / b.
 *  (3) Square loss: dw/dt = 2 X^T (y - X w). With X^T X = V diag(lambda) V^T and
 *      r0 = 2 X^T (y - X w0) (in the row space), w(t) = w0 + V diag(phi_i) V^T r0,
 *      phi_i = (1 - exp(-2 lambda_i t)) / (2 lambda_i)  (= t when lambda_i = 0, where the
 *      component of r0 vanishes). For d > n and consistent y: w(inf) = P_null w0 + X^+ y.
 * Tolerances: the integrator keeps the local error below epsabs + epsrel |w|; the flows here
 * are contracting (convex losses), so the global error stays within a small multiple of the
 * local tolerance times the number of steps; we allow 1e-8 relative at epsrel = 1e-11.
 * Gradient descent is forward Euler on the flow: its error at fixed time is O(eta), so halving
 * eta halves it (ratio 2 +- 20% leaves room for the O(eta^2) term at these step sizes).
 */

#include "tc_test.h"
#include "tc_flow_closed_form.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "numerics/flow.h"
#include "numerics/gd.h"
#include "numerics/linalg.h"
#include "numerics/rng.h"
#include "numerics/separable.h"

/* TC_TEST_SEED overrides it (tc_test.h); the value is printed once. */
#define SEED ((unsigned)tc_test_seed(4242u))
#define REL_TOL 1e-8

static const num_flow_opts OPTS = {.stepper = NULL, .epsabs = 1e-12, .epsrel = 1e-11, .h0 = 1e-3};

static void one_sample(num_margin_loss loss, const gsl_odeiv2_step_type *T)
{
    tc_flow_one p = tc_flow_one_sample();
    const double s[] = {0.5, 1, 5, 20, 50, 100, 200};
    const size_t ns = sizeof s / sizeof *s;
    double W[7 * 3];
    unsigned long at[7];
    num_flow_stats stats;
    num_flow_opts o = OPTS;
    o.stepper = T;
    assert_int_equal(num_flow_run(loss, 1, 3, p.x, p.y, p.w0, 0.0, ns, s, &o, W, at, &stats),
                     NUM_OK);
    printf("# one-sample %s flow (%s) to s = 200: %lu steps, %lu rejected, %lu f-evals\n",
           loss == NUM_LOSS_EXP ? "exp" : "logistic", T->name, stats.steps, stats.failed,
           stats.fevals);
    assert_true(stats.steps < 2000);
    tc_flow_one_check(&p, loss, s, ns, W, REL_TOL, "one-sample flow vs closed form");
}

static void test_exp_one_sample(void **state)
{
    (void)state;
    one_sample(NUM_LOSS_EXP, gsl_odeiv2_step_rk8pd);
    one_sample(NUM_LOSS_EXP, gsl_odeiv2_step_msbdf);
}

static void test_logistic_one_sample(void **state)
{
    (void)state;
    one_sample(NUM_LOSS_LOGISTIC, gsl_odeiv2_step_rk8pd);
    one_sample(NUM_LOSS_LOGISTIC, gsl_odeiv2_step_msbdf);
}

/* Several samples: explicit (rk8pd, rkf45) and implicit (msbdf, with the exact Jacobian)
 * steppers agree; the null-space component of w (d > n) is invariant (003 §11.2 item 1). */
static void test_steppers_agree_nullspace(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED);
    printf("# test_steppers_agree_nullspace seed %u\n", SEED);
    size_t n = 5, d = 8;
    double X[40], y[5], w0[8], Pn[64];
    num_separable_gen(r, n, d, 1.0, 0.2, X, y, NULL);
    num_rng_gaussian(r, 1.0, w0, d);
    assert_int_equal(num_linalg_null_projector(n, d, X, 1.0, Pn, NULL), NUM_OK);
    const double s[] = {10, 60, 150};
    const gsl_odeiv2_step_type *types[3] = {gsl_odeiv2_step_rk8pd, gsl_odeiv2_step_rkf45,
                                            gsl_odeiv2_step_msbdf};
    double W[3][3 * 8];
    for (int k = 0; k < 3; k++) {
        num_flow_opts o = OPTS;
        o.stepper = types[k];
        num_flow_stats st;
        assert_int_equal(num_flow_run(NUM_LOSS_EXP, n, d, X, y, w0, 0.0, 3, s, &o, W[k], NULL,
                                      &st),
                         NUM_OK);
        printf("# %s: %lu steps, %lu rejected, %lu f-evals to s = 150\n", types[k]->name,
               st.steps, st.failed, st.fevals);
    }
    for (int k = 1; k < 3; k++)
        for (size_t i = 0; i < 3 * d; i++)
            expect_close("steppers agree", W[k][i], W[0][i], 1e-6 * (1 + fabs(W[0][i])));
    /* null-space component */
    for (size_t i = 0; i < d; i++) {
        double p0 = 0, p1 = 0;
        for (size_t j = 0; j < d; j++) {
            p0 += Pn[i * d + j] * w0[j];
            p1 += Pn[i * d + j] * W[0][2 * d + j];
        }
        expect_close("null-space component invariant", p1, p0, 1e-9 * (1 + fabs(p0)));
    }
    gsl_rng_free(r);
}

static void test_square_closed_form(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 1);
    size_t n = 6, d = 10;
    double X[60], y[6], w0[10], A[100], lam[10], V[100], r0[10], res[6];
    num_rng_gaussian(r, 1.0, X, n * d);
    num_rng_gaussian(r, 1.0, y, n);
    num_rng_gaussian(r, 1.0, w0, d);
    num_linalg_gram(n, d, X, A);
    assert_int_equal(num_linalg_eigh(d, A, lam, V), NUM_OK);
    for (size_t i = 0; i < n; i++) {
        res[i] = y[i];
        for (size_t j = 0; j < d; j++)
            res[i] -= X[i * d + j] * w0[j];
    }
    for (size_t j = 0; j < d; j++) {
        r0[j] = 0;
        for (size_t i = 0; i < n; i++)
            r0[j] += 2 * X[i * d + j] * res[i];
    }
    const double ts[] = {0.01, 0.1, 1, 10, 100};
    double W[5 * 10];
    num_flow_stats st;
    num_flow_opts o = OPTS;
    o.stepper = gsl_odeiv2_step_msbdf; /* the square-loss flow is stiff: lambda ratio ~1e2 */
    assert_int_equal(
        num_flow_run(NUM_LOSS_SQUARE, n, d, X, y, w0, 0.0, 5, ts, &o, W, NULL, &st), NUM_OK);
    printf("# square flow to t = 100: %lu steps (msbdf)\n", st.steps);
    double lmax = lam[d - 1], tol_l = num_linalg_rank_tol(d, d, lmax, 1.0) * 1e3;
    for (size_t k = 0; k < 5; k++) {
        double t = ts[k], c[10];
        for (size_t i = 0; i < d; i++) {
            double vr = 0;
            for (size_t j = 0; j < d; j++)
                vr += V[j * d + i] * r0[j];
            double phi = lam[i] > tol_l ? -expm1(-2 * lam[i] * t) / (2 * lam[i]) : t;
            c[i] = phi * vr;
        }
        for (size_t j = 0; j < d; j++) {
            double ref = w0[j];
            for (size_t i = 0; i < d; i++)
                ref += V[j * d + i] * c[i];
            expect_close("square flow vs eigen closed form", W[k * d + j], ref,
                         1e-7 * (1 + fabs(ref)));
        }
    }
    /* t = 100 is converged (smallest nonzero lambda * t >> 1): compare with P_null w0 + X^+ y */
    double P[60], Pn[100], winf[10];
    num_linalg_pinv(n, d, X, 1.0, P, NULL);
    num_linalg_null_projector(n, d, X, 1.0, Pn, NULL);
    printf("# smallest nonzero eigenvalue of X^T X: %.3g\n", lam[d - n]);
    assert_true(2 * lam[d - n] * 100 > 40);
    for (size_t j = 0; j < d; j++) {
        winf[j] = 0;
        for (size_t i = 0; i < n; i++)
            winf[j] += P[j * n + i] * y[i];
        for (size_t i = 0; i < d; i++)
            winf[j] += Pn[j * d + i] * w0[i];
        expect_close("w(inf) = P_null w0 + X^+ y", W[4 * d + j], winf[j],
                     1e-7 * (1 + fabs(winf[j])));
    }
    gsl_rng_free(r);
}

/* GD on the exponential loss against the flow at the same time tau = eta k: the error is
 * O(eta) (forward Euler), so it halves with eta. */
static void test_gd_tracks_flow(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 2);
    size_t n = 12, d = 3;
    double X[36], y[12], w0[3] = {0.3, -0.2, 0.1};
    num_separable_gen(r, n, d, 1.0, 0.3, X, y, NULL);
    double bl, bg;
    assert_int_equal(num_gd_smoothness(NUM_LOSS_EXP, n, d, X, y, w0, &bl, &bg), NUM_OK);
    assert_true(bl <= bg * (1 + 1e-12)); /* local smoothness <= sublevel-set bound */
    const double tau = 50.0;
    double s_out = log(tau), Wf[3];
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, n, d, X, y, w0, 0.0, 1, &s_out, &OPTS, Wf,
                                  NULL, NULL),
                     NUM_OK);
    /* the flow starts at t0 = 1 (s = 0): GD from w0 runs for time tau - 1 */
    double err[3];
    for (int e = 0; e < 3; e++) {
        double eta = 0.05 / bg / (1 << e);
        unsigned long k = (unsigned long)llround((tau - 1.0) / eta);
        eta = (tau - 1.0) / (double)k;
        double Wg[3], lerr;
        assert_int_equal(num_gd_run(NUM_LOSS_EXP, n, d, X, y, w0, eta, 1, &k, Wg, NULL, &lerr),
                         NUM_OK);
        double e2 = 0;
        for (size_t j = 0; j < d; j++)
            e2 += (Wg[j] - Wf[j]) * (Wg[j] - Wf[j]);
        err[e] = sqrt(e2);
        printf("# eta = %.4g: |w_gd - w_flow| = %.4g, sum of local errors %.4g\n", eta, err[e],
               lerr);
        /* non-expansive flow: the global error is at most the sum of local errors (the
         * factor 2 covers sup vs start-of-step values, see gd.h) plus the flow's own error */
        assert_true(err[e] <= 2.0 * lerr + 1e-8);
    }
    for (int e = 1; e < 3; e++)
        assert_true(err[e - 1] / err[e] > 1.6 && err[e - 1] / err[e] < 2.4);
    gsl_rng_free(r);
}

/* All-zero columns of X are dropped before integrating (numerics/flow.c, live_columns):
 * (1) those components of w stay at w0 exactly; (2) the others are, bit for bit, the flow of
 * the compacted data (same stepper and tolerances, same step count); (3) X = 0 leaves w = w0
 * without a step. The compacted flows themselves are checked against closed forms above. */
static void zero_columns_case(num_margin_loss loss, const gsl_odeiv2_step_type *T)
{
    enum { N = 12, D = 7, DK = 4, NS = 3 };
    const size_t live[DK] = {1, 2, 4, 6};
    double Xk[N * DK], X[N * D] = {0}, y[N], w0[D], w0k[DK];
    gsl_rng *r = num_rng_alloc(SEED + 1);
    num_separable_gen(r, N, DK, 1.0, 0.2, Xk, y, NULL);
    num_rng_gaussian(r, 0.3, w0, D);
    gsl_rng_free(r);
    for (size_t j = 0; j < DK; j++) {
        w0k[j] = w0[live[j]];
        for (size_t i = 0; i < N; i++)
            X[i * D + live[j]] = Xk[i * DK + j];
    }
    const double s[NS] = {5, 50, 200};
    double W[NS * D], Wk[NS * DK];
    unsigned long at[NS], atk[NS];
    num_flow_stats st, stk;
    num_flow_opts o = OPTS;
    o.stepper = T;
    assert_int_equal(num_flow_run(loss, N, D, X, y, w0, 0.0, NS, s, &o, W, at, &st), NUM_OK);
    assert_int_equal(num_flow_run(loss, N, DK, Xk, y, w0k, 0.0, NS, s, &o, Wk, atk, &stk),
                     NUM_OK);
    printf("# zero columns (%s, %s): %lu steps with, %lu without the zero columns\n",
           loss == NUM_LOSS_EXP ? "exp" : "square", T->name, st.steps, stk.steps);
    assert_int_equal(st.steps, stk.steps);
    assert_int_equal(st.fevals, stk.fevals);
    for (size_t k = 0; k < NS; k++) {
        assert_int_equal(at[k], atk[k]);
        for (size_t j = 0, l = 0; j < D; j++) {
            double expect = (l < DK && live[l] == j) ? Wk[k * DK + l++] : w0[j];
            if (memcmp(&W[k * D + j], &expect, sizeof expect) != 0)
                fail_msg("w[%zu] at s = %g: %.18g observed vs %.18g expected", j, s[k],
                         W[k * D + j], expect);
        }
    }
}

static void test_zero_columns(void **state)
{
    (void)state;
    zero_columns_case(NUM_LOSS_EXP, gsl_odeiv2_step_msbdf);
    zero_columns_case(NUM_LOSS_EXP, gsl_odeiv2_step_rk8pd);
    zero_columns_case(NUM_LOSS_SQUARE, gsl_odeiv2_step_msbdf);
    double X0[6] = {0}, y[3] = {1, -1, 1}, w0[2] = {0.5, -2}, s[2] = {1, 100}, W[4];
    unsigned long at[2] = {7, 7};
    num_flow_stats st;
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 3, 2, X0, y, w0, 0.0, 2, s, &OPTS, W, at, &st),
                     NUM_OK);
    for (int k = 0; k < 4; k++)
        assert_true(W[k] == w0[k % 2]);
    assert_true(at[0] == 0 && at[1] == 0 && st.steps == 0);
}

static void test_errors(void **state)
{
    (void)state;
    double x[2] = {1, 1}, y[1] = {1}, w0[2] = {-400, -400}; /* z0 = -800: e^{800} overflows */
    double s = 1.0, W[2];
    num_flow_stats st;
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 1, 2, x, y, w0, 0.0, 1, &s, &OPTS, W, NULL, &st),
                     NUM_EODE);
    double w1[2] = {0, 0};
    num_flow_opts o = OPTS;
    o.max_steps = 3; /* budget exhausted */
    s = 100.0;
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 1, 2, x, y, w1, 0.0, 1, &s, &o, W, NULL, &st),
                     NUM_EODE);
    double yb[1] = {0.5};
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 1, 2, x, yb, w1, 0.0, 1, &s, &OPTS, W, NULL, &st),
                     NUM_EINVAL);
    double sb[2] = {5, 4}, W2[4]; /* decreasing output times */
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 1, 2, x, y, w1, 0.0, 2, sb, &OPTS, W2, NULL, &st),
                     NUM_EINVAL);
    /* GD with a step far above 2 / beta diverges and says so */
    unsigned long k = 1000;
    double Xs[4] = {1, 0, 0, 1}, ys[2] = {1, 2};
    assert_int_equal(num_gd_run(NUM_LOSS_SQUARE, 2, 2, Xs, ys, w1, 10.0, 1, &k, W, NULL, NULL),
                     NUM_ENAN);
}

int main(void)
{
    gsl_set_error_handler_off(); /* statuses are checked; GSL must not abort the test */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exp_one_sample),
        cmocka_unit_test(test_logistic_one_sample),
        cmocka_unit_test(test_steppers_agree_nullspace),
        cmocka_unit_test(test_square_closed_form),
        cmocka_unit_test(test_gd_tracks_flow),
        cmocka_unit_test(test_zero_columns),
        cmocka_unit_test(test_errors),
    };
    return TC_RUN("numerics/flow", tests);
}
