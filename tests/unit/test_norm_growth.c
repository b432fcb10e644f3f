/* tests/unit/test_norm_growth.c — numerics/homogeneous against independent computations.
 *
 * - num_hom_loss_grad: gradient against central differences of the loss (exponential and
 *   square loss, linear/ReLU/tanh networks); the log_scale argument multiplies the gradient by
 *   e^{log_scale}; log L stays exact at margins where L underflows;
 * - num_hom_observe: the normalised margin is invariant under positive rescaling of a layer
 *   (003 eq. (1): f is homogeneous of degree 1 in each W_k for ReLU networks);
 * - num_hom_flow_logtime for K = 1 (a linear predictor) against numerics/flow.h, an
 *   independent implementation of the same flow;
 * - num_hom_gd against a naive loop; num_hom_gd_logtime converges to the flow at first order;
 * - num_rho_integrate against closed forms: eq. (55) with K = 1 (e^{f rho} = e^{f rho0} + f^2 t),
 *   the square model with K = 1 (exponential relaxation), eq. (48) with equal norms against
 *   eq. (55) at time t / K, eq. (57) for K = 2 against li(R) = 4 f t + li(R0);
 * - num_li_of_log / num_li_inverse_log against tabulated constants.
 * Seeds are fixed and printed on failure.
 */

#include "tc_test.h"

#include <gsl/gsl_errno.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/flow.h"
#include "numerics/homogeneous.h"
#include "numerics/mlp.h"
#include "numerics/rng.h"
#include "numerics/separable.h"

typedef struct {
    num_mlp *net;
    num_hom_problem pb;
    num_hom_work *w;
    double *X, *y, *theta;
} fx;

static fx make(size_t K, num_act act, num_hom_loss loss, size_t n, size_t d, uint64_t seed)
{
    fx f;
    size_t widths[8];
    widths[0] = d;
    for (size_t k = 1; k < K; k++)
        widths[k] = 6;
    widths[K] = 1;
    f.net = num_mlp_alloc(K, widths, false, act);
    assert_non_null(f.net);
    f.X = malloc(n * d * sizeof(double));
    f.y = malloc(n * sizeof(double));
    f.theta = malloc(f.net->nparams * sizeof(double));
    gsl_rng *r = num_rng_alloc(seed);
    assert_int_equal(num_separable_gen(r, n, d, 0.5, 0.1, f.X, f.y, NULL), NUM_OK);
    num_mlp_init_gaussian(f.net, f.theta, r, NULL);
    gsl_rng_free(r);
    f.pb = (num_hom_problem){f.net, f.X, f.y, n, loss};
    f.w = num_hom_work_alloc(&f.pb);
    assert_non_null(f.w);
    return f;
}

static void unmake(fx *f)
{
    num_hom_work_free(f->w);
    num_mlp_free(f->net);
    free(f->X);
    free(f->y);
    free(f->theta);
}

static double loss_at(fx *f, const double *theta)
{
    double lL;
    assert_int_equal(num_hom_loss_grad(&f->pb, theta, 0.0, f->w, &lL, NULL), NUM_OK);
    return exp(lL);
}

/* ---- loss and gradient -------------------------------------------------------------------- */

static void test_loss_grad_fd(void **state)
{
    (void)state;
    const num_act acts[3] = {NUM_ACT_LINEAR, NUM_ACT_RELU, NUM_ACT_TANH};
    for (int l = 0; l < 2; l++)
        for (int a = 0; a < 3; a++)
            for (size_t K = 1; K <= 3; K++) {
                uint64_t seed = 100 + 10 * (uint64_t)a + K + 50 * (uint64_t)l;
                fx f = make(K, acts[a], l ? NUM_HOM_LOSS_SQUARE : NUM_HOM_LOSS_EXP, 7, 4, seed);
                size_t P = f.net->nparams;
                double *g = malloc(P * sizeof(double)), *g2 = malloc(P * sizeof(double));
                double lL;
                assert_int_equal(num_hom_loss_grad(&f.pb, f.theta, 0.0, f.w, &lL, g), NUM_OK);
                /* log_scale multiplies the gradient by e^{log_scale} */
                assert_int_equal(num_hom_loss_grad(&f.pb, f.theta, 1.5, f.w, NULL, g2), NUM_OK);
                for (size_t p = 0; p < P; p++)
                    if (fabs(g2[p] - exp(1.5) * g[p]) > 1e-13 * (1 + fabs(g2[p]))) {
                        fprintf(stderr, "seed %llu scaled grad[%zu]: %.18g observed vs %.18g\n",
                                (unsigned long long)seed, p, g2[p], exp(1.5) * g[p]);
                        fail();
                    }
                /* central differences, h = 1e-6: truncation h^2 |L'''| ~ 1e-12, rounding
                 * eps L / h ~ 1e-10 L; tolerance 1e-6 (1 + |g|) */
                double h = 1e-6;
                for (size_t p = 0; p < P; p++) {
                    double t0 = f.theta[p];
                    f.theta[p] = t0 + h;
                    double Lp = loss_at(&f, f.theta);
                    f.theta[p] = t0 - h;
                    double Lm = loss_at(&f, f.theta);
                    f.theta[p] = t0;
                    double fd = (Lp - Lm) / (2 * h);
                    if (fabs(fd - g[p]) > 1e-6 * (1 + fabs(g[p]))) {
                        fprintf(stderr, "seed %llu loss %d %s K=%zu grad[%zu]: %.18g observed vs %.18g expected\n",
                                (unsigned long long)seed, l, num_act_name(acts[a]), K, p, g[p], fd);
                        fail();
                    }
                }
                free(g);
                free(g2);
                unmake(&f);
            }
}

static void test_log_domain(void **state)
{
    (void)state;
    /* K = 1, w = c u with a large c: L = sum exp(-c y_n u.x_n) underflows, log L must not. */
    fx f = make(1, NUM_ACT_LINEAR, NUM_HOM_LOSS_EXP, 10, 3, 7);
    double w[3] = {0.0, 0.0, 0.0};
    /* the exact max-margin direction is unknown here; any separating direction will do: use
     * the data's class-mean difference and check it separates */
    for (size_t i = 0; i < 10; i++)
        for (size_t j = 0; j < 3; j++)
            w[j] += f.y[i] * f.X[i * 3 + j];
    double mmin = INFINITY;
    for (size_t i = 0; i < 10; i++) {
        double m = f.y[i] * (w[0] * f.X[i * 3] + w[1] * f.X[i * 3 + 1] + w[2] * f.X[i * 3 + 2]);
        mmin = m < mmin ? m : mmin;
    }
    if (!(mmin > 0)) {
        unmake(&f);
        skip();
    }
    double c = 2000.0 / mmin; /* smallest margin 2000: exp(-2000) underflows */
    for (size_t j = 0; j < 3; j++)
        f.theta[j] = c * w[j];
    double lL, ref = -INFINITY, a[10];
    for (size_t i = 0; i < 10; i++) {
        a[i] = -f.y[i] * c * (w[0] * f.X[i * 3] + w[1] * f.X[i * 3 + 1] + w[2] * f.X[i * 3 + 2]);
        ref = a[i] > ref ? a[i] : ref;
    }
    double sum = 0;
    for (size_t i = 0; i < 10; i++)
        sum += exp(a[i] - ref);
    ref += log(sum);
    double g[3];
    assert_int_equal(num_hom_loss_grad(&f.pb, f.theta, 0.0, f.w, &lL, g), NUM_OK);
    if (!(fabs(lL - ref) <= 1e-12 * fabs(ref))) {
        fprintf(stderr, "log L %.18g observed vs %.18g expected\n", lL, ref);
        fail();
    }
    /* the log-time gradient at s = 2000 is O(1), not 0 */
    assert_int_equal(num_hom_loss_grad(&f.pb, f.theta, 2000.0, f.w, NULL, g), NUM_OK);
    assert_true(cblas_dnrm2(3, g, 1) > 1e-3);
    unmake(&f);
}

static void test_observe_homogeneity(void **state)
{
    (void)state;
    fx f = make(3, NUM_ACT_RELU, NUM_HOM_LOSS_EXP, 12, 4, 11);
    num_hom_obs o1, o2;
    double norms[3];
    assert_int_equal(num_hom_observe(&f.pb, f.theta, f.w, norms, &o1), NUM_OK);
    /* rescale layer 2 by 3.7: f and prod ||W_k|| scale by 3.7, the normalised margin does not */
    double *W2 = num_mlp_w(f.net, f.theta, 1);
    cblas_dscal((int)(6 * 6), 3.7, W2, 1);
    assert_int_equal(num_hom_observe(&f.pb, f.theta, f.w, NULL, &o2), NUM_OK);
    if (fabs(o2.norm_margin - o1.norm_margin) > 1e-13 * fabs(o1.norm_margin) ||
        fabs(o2.min_margin - 3.7 * o1.min_margin) > 1e-13 * fabs(o2.min_margin) ||
        fabs(o2.prod_norms - 3.7 * o1.prod_norms) > 1e-13 * o2.prod_norms) {
        fprintf(stderr, "normalised margin %.18g observed vs %.18g expected\n", o2.norm_margin,
                o1.norm_margin);
        fail();
    }
    assert_true(fabs(o1.prod_norms - norms[0] * norms[1] * norms[2]) <= 1e-14 * o1.prod_norms);
    unmake(&f);
}

/* ---- training drivers -------------------------------------------------------------------- */

static void test_flow_vs_linear_flow(void **state)
{
    (void)state;
    /* K = 1 network f = w.x is the linear predictor of numerics/flow.h */
    fx f = make(1, NUM_ACT_LINEAR, NUM_HOM_LOSS_EXP, 20, 4, 21);
    double w0[4];
    memcpy(w0, f.theta, sizeof w0);
    double sat[3] = {0.0, 10.0, 60.0}, W[12];
    num_flow_opts opts = {.stepper = NULL, .epsabs = 1e-12, .epsrel = 1e-12, .h0 = 0.0};
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 20, 4, f.X, f.y, w0, -20.0, 3, sat, &opts, W,
                                  NULL, NULL),
                     NUM_OK);
    size_t steps;
    num_status st = num_hom_flow_logtime(&f.pb, f.theta, -20.0, sat, 3, 1e-12, 1000000, NULL,
                                         NULL, f.w, &steps);
    assert_int_equal(st, NUM_OK);
    assert_true(steps > 0);
    /* compare only the final state (theta holds it); both integrators keep the local error
     * below 1e-12 relative on a contracting flow: agreement to 1e-8 relative */
    double e = 0, nrm = 0;
    for (size_t j = 0; j < 4; j++) {
        e += (f.theta[j] - W[8 + j]) * (f.theta[j] - W[8 + j]);
        nrm += W[8 + j] * W[8 + j];
    }
    if (!(sqrt(e) <= 1e-8 * sqrt(nrm))) {
        fprintf(stderr, "flow at s=60: |diff| %.3g observed vs <= 1e-8 |w| = %.3g\n", sqrt(e),
                1e-8 * sqrt(nrm));
        fail();
    }
    unmake(&f);
}

typedef struct {
    size_t n;
    double t[8];
    double th[8][64];
    size_t P;
} rec_t;

static int recorder(void *arg, double time, const double *theta)
{
    rec_t *r = arg;
    if (r->n < 8) {
        r->t[r->n] = time;
        memcpy(r->th[r->n], theta, r->P * sizeof(double));
        r->n++;
    }
    return 0;
}

static double maxrel(const double *a, const double *b, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double e = fabs(a[i] - b[i]) / (1e-300 + fabs(b[i]));
        m = e > m ? e : m;
    }
    return m;
}

static void test_gd_naive(void **state)
{
    (void)state;
    fx f = make(2, NUM_ACT_RELU, NUM_HOM_LOSS_EXP, 9, 3, 31);
    size_t P = f.net->nparams;
    assert_true(P <= 64);
    double *naive = malloc(P * sizeof(double)), *g = malloc(P * sizeof(double));
    memcpy(naive, f.theta, P * sizeof(double));
    double eta = 0.01;
    size_t at[3] = {0, 5, 40};
    rec_t rec = {0, {0}, {{0}}, P};
    assert_int_equal(num_hom_gd(&f.pb, f.theta, eta, 40, at, 3, recorder, &rec, f.w), NUM_OK);
    assert_int_equal(rec.n, 3);
    for (size_t k = 0; k < 40; k++) {
        assert_int_equal(num_hom_loss_grad(&f.pb, naive, 0.0, f.w, NULL, g), NUM_OK);
        for (size_t p = 0; p < P; p++)
            naive[p] -= eta * g[p];
        if (k + 1 == 5)
            assert_true(maxrel(naive, rec.th[1], P) < 1e-13);
    }
    /* BLAS daxpy may fuse multiply-add: agreement to rounding accumulated over 40 steps of a
     * contracting iteration, not bit for bit */
    double e = maxrel(naive, f.theta, P);
    if (!(e < 1e-13)) {
        fprintf(stderr, "GD after 40 steps: max rel diff %.3g observed vs < 1e-13\n", e);
        fail();
    }
    assert_true(fabs(rec.t[2] - 40 * eta) < 1e-15);
    free(naive);
    free(g);
    unmake(&f);
}

static void test_euler_first_order(void **state)
{
    (void)state;
    /* log-time Euler with step h against the Dormand-Prince flow (linear K = 2 network):
     * first order, so halving h halves the error (ratio in [1.6, 2.4]) */
    double err[2];
    for (int i = 0; i < 2; i++) {
        fx a = make(2, NUM_ACT_LINEAR, NUM_HOM_LOSS_EXP, 10, 3, 41);
        fx b = make(2, NUM_ACT_LINEAR, NUM_HOM_LOSS_EXP, 10, 3, 41);
        double s_end = 8.0;
        assert_int_equal(num_hom_flow_logtime(&a.pb, a.theta, -20.0, &s_end, 1, 1e-12, 1000000,
                                              NULL, NULL, a.w, NULL),
                         NUM_OK);
        double h = i == 0 ? 0.02 : 0.01;
        size_t steps = 0;
        assert_int_equal(num_hom_gd_logtime(&b.pb, b.theta, -20.0, h, &s_end, 1, 10000000, NULL,
                                            NULL, b.w, &steps),
                         NUM_OK);
        /* no step longer than h: at least (s_end - s0) / h steps */
        assert_true((double)steps >= (s_end + 20.0) / h - 1.0);
        double e = 0;
        for (size_t p = 0; p < a.net->nparams; p++)
            e += (a.theta[p] - b.theta[p]) * (a.theta[p] - b.theta[p]);
        err[i] = sqrt(e);
        unmake(&a);
        unmake(&b);
    }
    double ratio = err[0] / err[1];
    if (!(ratio > 1.6 && ratio < 2.4)) {
        fprintf(stderr, "Euler error ratio %.6g observed vs 2 expected (errors %.3g, %.3g)\n",
                ratio, err[0], err[1]);
        fail();
    }
}

/* ---- reduced dynamics -------------------------------------------------------------------- */

static void test_rho_closed_forms(void **state)
{
    (void)state;
    double f = 0.7, rho0 = 0.9, sat[4] = {-2.0, 1.0, 10.0, 100.0}, out[4 * 4];
    size_t steps;
    /* eq. (55), K = 1: d rho/dt = f e^{-f rho} => e^{f rho} = e^{f rho0} + f^2 t, i.e.
     * log R = log(e^{f rho0} + f^2 t) (for large t computed as s + log(f^2 + e^{f rho0 - s})) */
    assert_int_equal(num_rho_integrate(NUM_RHO_TIED_EQ55, 1, f, &rho0, -30.0, sat, 4, 1e-12,
                                       1000000, out, &steps),
                     NUM_OK);
    for (int j = 0; j < 4; j++) {
        double ref = sat[j] + log(f * f + exp(f * rho0 - sat[j]));
        double got = f * out[j];
        if (fabs(got - ref) > 1e-8 * fabs(ref)) {
            fprintf(stderr, "eq55 K=1 s=%g: log R %.18g observed vs %.18g expected\n", sat[j], got,
                    ref);
            fail();
        }
    }
    /* square model, K = 1: rho = 1/f + (rho0 - 1/f) exp(-2 f^2 t) */
    double sq[3] = {-3.0, 0.0, 1.0}, osq[3];
    assert_int_equal(num_rho_integrate(NUM_RHO_TIED_SQUARE, 1, f, &rho0, -30.0, sq, 3, 1e-12,
                                       1000000, osq, NULL),
                     NUM_OK);
    for (int j = 0; j < 3; j++) {
        double ref = 1 / f + (rho0 - 1 / f) * exp(-2 * f * f * (exp(sq[j]) - exp(-30.0)));
        if (fabs(osq[j] - ref) > 1e-9) {
            fprintf(stderr, "square K=1 s=%g: %.18g observed vs %.18g expected\n", sq[j], osq[j],
                    ref);
            fail();
        }
    }
    /* eq. (48) with equal norms equals eq. (55) at time t / K (eq. (55) = K x eq. (48)) */
    for (size_t K = 2; K <= 4; K++) {
        double r0[4] = {rho0, rho0, rho0, rho0}, s48[2] = {3.0, 50.0}, s55[2];
        double o48[8], o55[2];
        for (int j = 0; j < 2; j++)
            s55[j] = s48[j] - log((double)K);
        assert_int_equal(num_rho_integrate(NUM_RHO_UNTIED_EQ48, K, f, r0, -30.0, s48, 2, 1e-12,
                                           1000000, o48, NULL),
                         NUM_OK);
        assert_int_equal(num_rho_integrate(NUM_RHO_TIED_EQ55, K, f, r0, -30.0 - log((double)K),
                                           s55, 2, 1e-12, 1000000, o55, NULL),
                         NUM_OK);
        for (int j = 0; j < 2; j++)
            for (size_t k = 0; k < K; k++)
                if (fabs(o48[j * K + k] - o55[j]) > 1e-8 * o55[j]) {
                    fprintf(stderr, "K=%zu eq48 rho_%zu %.18g observed vs eq55(t/K) %.18g\n", K,
                            k, o48[j * K + k], o55[j]);
                    fail();
                }
    }
    /* eq. (57), K = 2: li(R(t)) = f K^2 t + li(R0) exactly */
    double u0 = 1.3, s57[3] = {0.0, 5.0, 300.0}, o57[3];
    assert_int_equal(num_rho_integrate(NUM_RHO_EQ57, 2, f, &u0, -30.0, s57, 3, 1e-12, 1000000,
                                       o57, NULL),
                     NUM_OK);
    for (int j = 0; j < 3; j++) {
        double ref = num_li_inverse_log(4 * f * exp(s57[j]) + num_li_of_log(u0));
        if (fabs(o57[j] - ref) > 1e-8 * ref) {
            fprintf(stderr, "eq57 K=2 s=%g: log R %.18g observed vs %.18g expected\n", s57[j],
                    o57[j], ref);
            fail();
        }
    }
}

static void test_li(void **state)
{
    (void)state;
    /* li(2) = 1.04516378011749278484... (Abramowitz & Stegun 5.1; OEIS A069284);
     * li(e) = Ei(1) = 1.89511781635593675547 (A&S Table 5.1); the Ramanujan-Soldner constant
     * mu = 1.45136923488338105028 (OEIS A070769) is the zero of li. */
    double l2 = num_li_of_log(log(2.0));
    assert_true(fabs(l2 - 1.04516378011749278484) < 1e-14);
    assert_true(fabs(num_li_of_log(1.0) - 1.89511781635593675547) < 1e-14);
    double u = num_li_inverse_log(0.0);
    if (fabs(u - log(1.45136923488338105028)) > 1e-14) {
        fprintf(stderr, "li^-1(0): %.18g observed vs %.18g expected\n", u,
                log(1.45136923488338105028));
        fail();
    }
    /* round trips across the range, including li of huge arguments (log x = 650) */
    const double us[] = {1e-3, 0.2, 1.0, 3.0, 40.0, 650.0};
    for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
        double v = num_li_of_log(us[i]), back = num_li_inverse_log(v);
        if (fabs(back - us[i]) > 1e-13 * us[i] + 1e-300) {
            fprintf(stderr, "li round trip at u=%g: %.18g observed\n", us[i], back);
            fail();
        }
    }
    assert_true(isnan(num_li_of_log(0.0)));
    assert_true(isnan(num_li_of_log(800.0)));
    assert_true(isnan(num_li_inverse_log(1e305)));
}

static void test_errors(void **state)
{
    (void)state;
    fx f = make(2, NUM_ACT_RELU, NUM_HOM_LOSS_EXP, 6, 3, 51);
    double s_bad[2] = {1.0, 0.5};
    assert_int_equal(num_hom_flow_logtime(&f.pb, f.theta, -20.0, s_bad, 2, 1e-8, 100, NULL, NULL,
                                          f.w, NULL),
                     NUM_EINVAL);
    double big = 1e6;
    /* budget exhausted */
    assert_int_equal(num_hom_gd_logtime(&f.pb, f.theta, -20.0, 0.05, &big, 1, 10, NULL, NULL,
                                        f.w, NULL),
                     NUM_ENOCONV);
    double r0 = 1.0, o;
    assert_int_equal(num_rho_integrate(NUM_RHO_TIED_EQ55, 2, -1.0, &r0, 0.0, &big, 1, 1e-8, 10,
                                       &o, NULL),
                     NUM_EINVAL);
    unmake(&f);
}

int main(void)
{
    gsl_set_error_handler_off(); /* as in the harness: statuses are checked, GSL must not abort */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loss_grad_fd),        cmocka_unit_test(test_log_domain),
        cmocka_unit_test(test_observe_homogeneity), cmocka_unit_test(test_flow_vs_linear_flow),
        cmocka_unit_test(test_gd_naive),            cmocka_unit_test(test_euler_first_order),
        cmocka_unit_test(test_rho_closed_forms),    cmocka_unit_test(test_li),
        cmocka_unit_test(test_errors),
    };
    return TC_RUN("numerics/homogeneous", tests);
}
