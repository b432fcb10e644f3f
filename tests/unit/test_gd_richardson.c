/* tests/unit/test_gd_richardson.c — the GD check of claim max_margin (issue #12 finding 8):
 * Richardson's q = |D(eta) - 2 D(eta/2)| / |D(eta)|, D the deviation of GD from the flow at the
 * same time, against MM_GD_RICHARDSON_Q, with a fault injected into GD (its step off by a
 * factor c while the time map still reads t = 1 + eta k). The previous check, |D(eta)| <= 2 E +
 * flow error (E the summed local Euler errors), accepted a doubled step at step 1.9 / beta:
 * the doubled step also doubles E. Data and start as the claim's quick defaults (n = 40, d = 2,
 * margin 0.2, |w0| = 1), 2 x 10^4 steps. */
#include "tc_test.h"

#include <math.h>

#include "numerics/flow.h"
#include "numerics/gd.h"
#include "numerics/rng.h"
#include "numerics/separable.h"
#include "theorems/max_margin/max_margin.h"

#define N 40
#define D 2
#define K 20000UL

typedef struct {
    double X[N * D], y[N], w0[D], eta, wf[D];
} problem;

/* Data, w0, eta = step / beta (beta the local smoothness at w0, as the claim) and the flow at
 * T = 1 + eta K (msbdf at rtol 1e-11: its error ~1e-10 |w| is far below |D| ~ 1e-5). */
static void setup(problem *p, num_margin_loss loss, double step, uint64_t seed)
{
    gsl_rng *r = num_rng_alloc(seed);
    assert_int_equal(num_separable_gen(r, N, D, 1.0, 0.2, p->X, p->y, NULL), NUM_OK);
    num_rng_unit_vector(r, p->w0, D);
    gsl_rng_free(r);
    double bl, bg;
    assert_int_equal(num_gd_smoothness(loss, N, D, p->X, p->y, p->w0, &bl, &bg), NUM_OK);
    p->eta = step / (loss == NUM_LOSS_EXP ? bl : bg);
    double s = log1p(p->eta * (double)K);
    num_flow_opts o = {.stepper = gsl_odeiv2_step_msbdf, .epsabs = 1e-12,
                       .epsrel = 1e-11, .h0 = 1e-3};
    assert_int_equal(num_flow_run(loss, N, D, p->X, p->y, p->w0, 0.0, 1, &s, &o, p->wf, NULL,
                                  NULL),
                     NUM_OK);
}

/* GD with steps c eta and c eta / 2 (c = 1: correct; else the injected fault), compared with
 * the flow at 1 + eta K; also the previous check's verdict on it. */
static num_gd_richardson richardson(const problem *p, num_margin_loss loss, double c,
                                    int *old_check_accepts)
{
    double wg[D], wh[D], lerr;
    unsigned long k = K, k2 = 2 * K;
    assert_int_equal(num_gd_run(loss, N, D, p->X, p->y, p->w0, c * p->eta, 1, &k, wg, NULL,
                                &lerr),
                     NUM_OK);
    assert_int_equal(num_gd_run(loss, N, D, p->X, p->y, p->w0, 0.5 * c * p->eta, 1, &k2, wh,
                                NULL, NULL),
                     NUM_OK);
    num_gd_richardson rc;
    assert_int_equal(num_gd_richardson_eval(D, p->wf, wg, wh, &rc), NUM_OK);
    *old_check_accepts = rc.dev <= MM_GD_FACTOR * lerr + 1e-8;
    printf("# loss %d, fault c = %.2f: |D| = %.4g, |D/2| = %.4g, ratio %.4f, q %.4g, old bound "
           "%.4g (%s)\n",
           (int)loss, c, rc.dev, rc.dev_half, rc.ratio, rc.q, MM_GD_FACTOR * lerr,
           *old_check_accepts ? "accepts" : "rejects");
    return rc;
}

/* Correct GD passes at steps 1 and 1.9 (of 1/beta), both losses, three seeds. */
static void test_correct_gd_passes(void **state)
{
    (void)state;
    uint64_t seed = tc_test_seed(20261202u);
    const num_margin_loss losses[2] = {NUM_LOSS_EXP, NUM_LOSS_LOGISTIC};
    const double steps[2] = {1.0, 1.9};
    for (int l = 0; l < 2; l++)
        for (int s = 0; s < 2; s++)
            for (uint64_t k = 0; k < 3; k++) {
                problem p;
                int old;
                setup(&p, losses[l], steps[s], seed + k);
                num_gd_richardson rc = richardson(&p, losses[l], 1.0, &old);
                /* q <= 1/2 implies ratio in [2/(1+q), 2/(1-q)] within [4/3, 4] */
                expect_close("Richardson q", rc.q, 0.0, MM_GD_RICHARDSON_Q);
                expect_close("ratio", rc.ratio, 2.0, 2.0 / (1.0 - rc.q) - 2.0);
                assert_true(old); /* the rigorous bound holds for correct GD */
            }
}

/* The injected fault: step doubled (c = 2) and off by 10 % (c = 1.1), at step 1.9 where the
 * previous check accepted the doubling. Richardson's q is ~1 (the fault moves GD to the flow at
 * another time, which does not extrapolate away). */
static void test_step_fault_caught(void **state)
{
    (void)state;
    uint64_t seed = tc_test_seed(20261202u);
    const double faults[2] = {2.0, 1.1};
    int old_accepted_doubling = 0;
    for (int f = 0; f < 2; f++)
        for (uint64_t k = 0; k < 3; k++) {
            problem p;
            int old;
            setup(&p, NUM_LOSS_EXP, 1.9, seed + k);
            num_gd_richardson rc = richardson(&p, NUM_LOSS_EXP, faults[f], &old);
            if (!(rc.q > MM_GD_RICHARDSON_Q)) {
                print_error("fault c = %.2f not caught: q = %.18g <= %.3g\n", faults[f], rc.q,
                            MM_GD_RICHARDSON_Q);
                fail();
            }
            if (f == 0 && old)
                old_accepted_doubling = 1;
        }
    /* the reason for the new check: the previous one let the doubled step through */
    assert_true(old_accepted_doubling);
}

static void test_bad_input(void **state)
{
    (void)state;
    double a[2] = {1, 2}, b[2] = {NAN, 0};
    num_gd_richardson rc;
    assert_int_equal(num_gd_richardson_eval(0, a, a, a, &rc), NUM_EINVAL);
    assert_int_equal(num_gd_richardson_eval(2, a, a, a, NULL), NUM_EINVAL);
    assert_int_equal(num_gd_richardson_eval(2, a, b, a, &rc), NUM_ENAN);
    assert_int_equal(num_gd_richardson_eval(2, a, a, a, &rc), NUM_OK);
    assert_true(isnan(rc.q) && isnan(rc.ratio)); /* GD equal to the flow: nothing to judge */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_correct_gd_passes),
        cmocka_unit_test(test_step_fault_caught),
        cmocka_unit_test(test_bad_input),
    };
    return TC_RUN("numerics/gd_richardson", tests);
}
