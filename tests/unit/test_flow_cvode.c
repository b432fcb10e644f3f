/* tests/unit/test_flow_cvode.c — the CVODE backend of num_flow_run (numerics/flow_cvode.c)
 * against the closed forms of test_flow.c and against GSL's msbdf.
 *
 * Closed forms (derived in test_flow.c): exponential loss, one sample g = y x:
 *   w(t) = w0 + g log(1 + b e^{-z0} (t - t0)) / b,  z0 = g.w0, b = |g|^2;
 * logistic loss, one sample: z + e^z = z0 + e^{z0} + b (t - t0), w = w0 + g (z - z0) / b.
 *
 * Tolerances. Both backends keep every component's local error estimate below
 * epsabs + epsrel |w_i| (CVODE through tolerances divided by sqrt(dim), numerics/flow.h). The
 * flows are gradient flows of convex losses (time-changed by e^s in log time), hence
 * non-expansive: d/ds |w1 - w2|^2 = -2 e^s (w1 - w2).(grad L(w1) - grad L(w2)) <= 0, so a
 * local error is never amplified and each integrator's global error is at most the sum of its
 * local errors, |e|_2 <= N (sqrt(dim) epsabs + epsrel max_s |w|) after N steps; CVODE's output
 * between steps is its interpolant, whose error is of the order of one more local error. Two
 * integrators therefore differ by at most
 *   TOL = (N_1 + N_2 + 1) (sqrt(dim) epsabs + epsrel max_s |w|)   (agreement tests),
 * and for the closed forms we keep test_flow.c's 1e-8 relative at epsrel = 1e-11 (N <= 10^3
 * steps, |w| <= 10: N epsrel |w| <= 1e-7 absolute would be the bound; 1e-8 (1 + |w|) holds
 * for both backends with a margin, and is checked, not assumed: the step counts are printed).
 */

#include "tc_test.h"
#include "tc_flow_closed_form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "numerics/flow.h"
#include "numerics/rng.h"
#include "numerics/separable.h"

#define SEED ((unsigned)tc_test_seed(4243u))
#define REL_TOL 1e-8

static const num_flow_opts CV_BDF = {
    .epsabs = 1e-12, .epsrel = 1e-11, .h0 = 1e-3, .backend = NUM_FLOW_CVODE_BDF};

static const char *name(const num_flow_opts *o)
{
    return o->backend == NUM_FLOW_CVODE_BDF     ? "cvode-bdf"
           : o->backend == NUM_FLOW_CVODE_ADAMS ? "cvode-adams"
                                                : o->stepper->name;
}

static double norm2(const double *v, size_t d)
{
    double a = 0;
    for (size_t j = 0; j < d; j++)
        a += v[j] * v[j];
    return sqrt(a);
}

/* One sample, outputs at s = 0 (the start), between steps and at the end. */
static void one_sample(num_margin_loss loss, num_flow_backend be)
{
    tc_flow_one p = tc_flow_one_sample();
    const double s[] = {0, 0.5, 1, 5, 20, 50, 100, 200};
    const size_t ns = sizeof s / sizeof *s;
    double W[8 * 3];
    unsigned long at[8];
    num_flow_stats st;
    num_flow_opts o = CV_BDF;
    o.backend = be;
    assert_int_equal(num_flow_run(loss, 1, 3, p.x, p.y, p.w0, 0.0, ns, s, &o, W, at, &st),
                     NUM_OK);
    printf("# one-sample %s flow (%s) to s = 200: %lu steps, %lu rejected, %lu f-evals, "
           "%lu Jacobians, %lu LU\n",
           loss == NUM_LOSS_EXP ? "exp" : "logistic", name(&o), st.steps, st.failed, st.fevals,
           st.jevals, st.lu);
    assert_true(st.steps > 0 && st.steps < 2000 && st.lu > 0 && st.jevals > 0);
    assert_true(at[0] == 0 && at[ns - 1] == st.steps);
    for (size_t k = 1; k < ns; k++)
        assert_true(at[k] >= at[k - 1]);
    tc_flow_one_check(&p, loss, s, ns, W, REL_TOL, "one-sample CVODE flow vs closed form");
}

static void test_one_sample(void **state)
{
    (void)state;
    one_sample(NUM_LOSS_EXP, NUM_FLOW_CVODE_BDF);
    one_sample(NUM_LOSS_EXP, NUM_FLOW_CVODE_ADAMS);
    one_sample(NUM_LOSS_LOGISTIC, NUM_FLOW_CVODE_BDF);
    one_sample(NUM_LOSS_LOGISTIC, NUM_FLOW_CVODE_ADAMS);
}

/* Several samples, d > n, with an all-zero column: CVODE (BDF, Adams, and BDF with max order
 * 3 and frequent Jacobians) against msbdf within TOL (header). */
static void agree_case(num_margin_loss loss, const double *sout, size_t m, double t0)
{
    gsl_rng *r = num_rng_alloc(SEED);
    size_t n = 6, d = 9;
    double X[54], y[6], w0[9];
    num_separable_gen(r, n, d, 1.0, 0.2, X, y, NULL);
    for (size_t i = 0; i < n; i++)
        X[i * d + 4] = 0.0; /* a zero column: flow.c drops it for both backends */
    if (loss == NUM_LOSS_SQUARE)
        num_rng_gaussian(r, 1.0, y, n);
    num_rng_gaussian(r, 1.0, w0, d);
    num_flow_opts ref = CV_BDF;
    ref.backend = NUM_FLOW_GSL;
    ref.stepper = gsl_odeiv2_step_msbdf;
    num_flow_stats sr;
    double Wr[4 * 9], Wc[4 * 9];
    assert_int_equal(num_flow_run(loss, n, d, X, y, w0, t0, m, sout, &ref, Wr, NULL, &sr),
                     NUM_OK);
    double wmax = 0;
    for (size_t k = 0; k < m; k++)
        wmax = fmax(wmax, norm2(Wr + k * d, d));
    num_flow_opts cases[3] = {CV_BDF, CV_BDF, CV_BDF};
    cases[1].backend = NUM_FLOW_CVODE_ADAMS;
    cases[2].max_order = 3, cases[2].jac_every = 5, cases[2].lsetup_every = 3;
    for (int c = 0; c < 3; c++) {
        num_flow_stats sc;
        assert_int_equal(num_flow_run(loss, n, d, X, y, w0, t0, m, sout, &cases[c], Wc, NULL, &sc),
                         NUM_OK);
        double tol = (double)(sr.steps + sc.steps + 1) *
                     (sqrt((double)d) * CV_BDF.epsabs + CV_BDF.epsrel * wmax);
        printf("# loss %d, %s (max order %d): %lu steps, %lu f-evals, %lu LU; msbdf %lu steps, "
               "%lu f-evals; TOL %.3g\n",
               (int)loss, name(&cases[c]), cases[c].max_order, sc.steps, sc.fevals, sc.lu,
               sr.steps, sr.fevals, tol);
        for (size_t k = 0; k < m; k++) {
            double diff[9];
            for (size_t j = 0; j < d; j++)
                diff[j] = Wc[k * d + j] - Wr[k * d + j];
            expect_close("CVODE vs msbdf, |w_cvode - w_msbdf|_2", norm2(diff, d), 0.0,
                         tol);
            assert_true(Wc[k * d + 4] == w0[4]); /* the dropped column, exactly */
        }
    }
    gsl_rng_free(r);
}

static void test_agree_msbdf(void **state)
{
    (void)state;
    const double s[] = {2, 30, 150}, t[] = {0.5, 1.5, 4, 20};
    agree_case(NUM_LOSS_EXP, s, 3, 0.0);
    agree_case(NUM_LOSS_LOGISTIC, s, 3, 0.0);
    agree_case(NUM_LOSS_SQUARE, t, 4, 0.0);
}

/* A first trial step that overflows the right-hand side: w0 = (-40, 100) misclassifies sample
 * 1 (z_1 = -40, |f(w0)| = e^40 = 2.4e17), and the first trial step h0 = 1e-3 moves w_1 by
 * ~2e14, so z_2 = -w_1 + w_2 / 2 and exp(-z_2) overflows until h <= ~700 / 2.4e17 = 3e-15:
 * 19 quarterings of h, more than CVODE's default of 10 failures per step. GSL's msbdf gets
 * through by halving; so must the CVODE backend, and both must agree within TOL. */
static void test_overflowing_first_step(void **state)
{
    (void)state;
    double X[4] = {1, 0, -1, 0.5}, y[2] = {1, 1}, w0[2] = {-40, 100}, s[2] = {1, 20};
    double Wr[4], Wc[4];
    num_flow_opts ref = CV_BDF;
    ref.backend = NUM_FLOW_GSL;
    ref.stepper = gsl_odeiv2_step_msbdf;
    num_flow_stats sr, sc;
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 2, 2, X, y, w0, 0.0, 2, s, &ref, Wr, NULL, &sr),
                     NUM_OK);
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 2, 2, X, y, w0, 0.0, 2, s, &CV_BDF, Wc, NULL, &sc),
                     NUM_OK);
    printf("# overflowing first step: CVODE %lu steps, %lu rejected; msbdf %lu steps, %lu "
           "rejected\n", sc.steps, sc.failed, sr.steps, sr.failed);
    assert_true(sc.failed > 10);
    double wmax = fmax(norm2(Wr, 2), fmax(norm2(Wr + 2, 2), norm2(w0, 2)));
    double tol = (double)(sr.steps + sc.steps + 1) *
                 (sqrt(2.0) * CV_BDF.epsabs + CV_BDF.epsrel * wmax);
    for (int k = 0; k < 2; k++) {
        double diff[2] = {Wc[2 * k] - Wr[2 * k], Wc[2 * k + 1] - Wr[2 * k + 1]};
        expect_close("CVODE vs msbdf after an overflowing first step", norm2(diff, 2), 0.0, tol);
    }
}

/* Every failure path returns its status (and, under ASan, frees every CVODE object). */
static void test_errors(void **state)
{
    (void)state;
    double x[2] = {1, 1}, y[1] = {1}, w0[2] = {-400, -400}; /* z0 = -800: e^{800} overflows */
    double s = 1.0, W[2];
    num_flow_stats st;
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 1, 2, x, y, w0, 0.0, 1, &s, &CV_BDF, W, NULL, &st),
                     NUM_EODE);
    double w1[2] = {0, 0};
    num_flow_opts o = CV_BDF;
    o.max_steps = 3; /* budget exhausted: at most 3 accepted + rejected steps */
    s = 100.0;
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 1, 2, x, y, w1, 0.0, 1, &s, &o, W, NULL, &st),
                     NUM_EODE);
    assert_true(st.steps <= 3 && st.steps + st.failed >= 3);
    o = CV_BDF;
    o.max_order = 6; /* BDF stops at order 5: CVODE rejects it */
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 1, 2, x, y, w1, 0.0, 1, &s, &o, W, NULL, &st),
                     NUM_EINVAL);
    o = CV_BDF;
    o.backend = (num_flow_backend)7;
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 1, 2, x, y, w1, 0.0, 1, &s, &o, W, NULL, &st),
                     NUM_EINVAL);
    o = CV_BDF;
    o.jac_every = -1;
    assert_int_equal(num_flow_run(NUM_LOSS_EXP, 1, 2, x, y, w1, 0.0, 1, &s, &o, W, NULL, &st),
                     NUM_EINVAL);
}

int main(void)
{
    gsl_set_error_handler_off();
    printf("# seed %u\n", SEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_sample),
        cmocka_unit_test(test_agree_msbdf),
        cmocka_unit_test(test_overflowing_first_step),
        cmocka_unit_test(test_errors),
    };
    return TC_RUN("numerics/flow_cvode", tests);
}
