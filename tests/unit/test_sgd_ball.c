/* tests/unit/test_sgd_ball.c — numerics/sgd_ball against independent computations: the excess
 * and the gradient against the objective written out and central differences; noise-free runs
 * against their closed forms (Theta^(k) = min(k eta b, 1) e_1 on the linear objective); one
 * noisy step's mean against E[D] = grad r (Monte Carlo, 5 standard errors); ||D|| <= 1 and
 * the almost-sure excess range over many runs; the empirical Bernstein width against its
 * formula and its coverage; bad input refused. */
#include "tc_test.h"

#include <gsl/gsl_rng.h>

#include "numerics/rng.h"
#include "numerics/sgd_ball.h"

enum { P = 4 };

/* r(theta) written out from its definition (sgd_ball.h), independently of the kernel. */
static double r_direct(const num_sgd_problem *pb, const double *th)
{
    double n2 = 0;
    for (size_t i = 0; i < pb->p; i++)
        n2 += th[i] * th[i];
    return -pb->b * th[0] + 0.5 * pb->a * n2 + 0.5 * pb->h * (1 - cos(2 * M_PI * pb->m * th[0]));
}

static void excess_and_gradient(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(tc_test_seed(11u));
    const num_sgd_problem pb = {.p = P, .b = 0.3, .a = 0.1, .h = 0.05, .m = 2, .noise = 0.2};
    double th[P], g[P], e1[P] = {1, 0, 0, 0};
    double rstar = r_direct(&pb, e1);
    expect_close("r* = -b + a/2", rstar, -0.3 + 0.05, 1e-15);
    for (int t = 0; t < 20; t++) {
        num_rng_unit_vector(r, th, P);
        for (size_t i = 0; i < P; i++)
            th[i] *= 0.9 * gsl_rng_uniform(r);
        /* both sides are sums of a few terms of order 1: rounding ~1e-16 each */
        expect_close("excess = r - r*", num_sgd_ball_excess(&pb, th), r_direct(&pb, th) - rstar,
                     1e-14);
        num_sgd_ball_gradient(&pb, th, g);
        for (size_t i = 0; i < P; i++) {
            /* central difference: truncation r''' step^2 / 6 <= (2 pi m)^3 h * 1e-8 / 6 ~ 3e-8,
             * rounding 1e-16 / 1e-4 = 1e-12 */
            double hs = 1e-4, tp[P], tm[P];
            for (size_t j = 0; j < P; j++)
                tp[j] = tm[j] = th[j];
            tp[i] += hs, tm[i] -= hs;
            double fd = (r_direct(&pb, tp) - r_direct(&pb, tm)) / (2 * hs);
            expect_close("gradient vs central difference", g[i], fd, 1e-7);
        }
    }
    gsl_rng_free(r);
}

static void noise_free_closed_form(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(tc_test_seed(12u));
    double work[3 * P];
    num_sgd_out o;
    /* linear r = -theta_1 (b = 1, L = 1), eta = 1/sqrt(K), K = 64: Theta^(k) = (k/8) e_1 up to
     * k = 8, then e_1; mean theta_1 = (sum_{k<=8} k/8 + 56)/64 = (4.5 + 56)/64, excess_avg =
     * 1 - that = (sqrt K - 1)/(2K) = 7/128; the last iterate is e_1 (excess 0) */
    const num_sgd_problem lin = {.p = P, .b = 1, .a = 0, .h = 0, .m = 1, .noise = 0};
    assert_int_equal(num_sgd_ball_run(&lin, 64, 0.125, r, work, &o), NUM_OK);
    expect_close("linear: excess of the average", o.excess_avg, 7.0 / 128, 1e-15);
    expect_close("linear: last iterate", o.excess_last, 0.0, 1e-15);
    expect_close("linear: ||D|| = b", o.dnorm_max, 1.0, 0.0);
    /* least squares b = 0.5, a = 0.5, one step of 0.4 from 0: theta = 0.2 e_1, excess =
     * 0.5 * 0.8 - 0.25 * (1 - 0.04) = 0.16 */
    const num_sgd_problem ls = {.p = P, .b = 0.5, .a = 0.5, .h = 0, .m = 1, .noise = 0};
    assert_int_equal(num_sgd_ball_run(&ls, 1, 0.4, r, work, &o), NUM_OK);
    expect_close("least squares: one step", o.excess_last, 0.16, 1e-15);
    gsl_rng_free(r);
}

static void one_noisy_step_mean(void **state)
{
    (void)state;
    uint64_t seed = tc_test_seed(13u);
    gsl_rng *r = num_rng_alloc(seed);
    double work[3 * P];
    num_sgd_out o;
    /* one step of 0.5 on -0.5 theta_1 with noise 0.5: theta_1 = 0.25 - 0.25 u_1 (inside the
     * ball), excess = 0.5 (1 - theta_1); E u_1 = 0, Var u_1 = 1/p, so the mean excess is
     * 0.375 with standard deviation 0.125 / sqrt(p) per draw */
    const num_sgd_problem pb = {.p = P, .b = 0.5, .a = 0, .h = 0, .m = 1, .noise = 0.5};
    const size_t n = 20000;
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(num_sgd_ball_run(&pb, 1, 0.5, r, work, &o), NUM_OK);
        s += o.excess_last;
    }
    double se = 0.125 / sqrt((double)P * (double)n);
    expect_close("E[excess] after one step (5 standard errors)", s / (double)n, 0.375, 5 * se);
    gsl_rng_free(r);
}

static void bounded_gradient_and_range(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(tc_test_seed(14u));
    double work[3 * P];
    num_sgd_out o;
    /* L + s = 0.5 + 0.1 + 0.4 = 1 exactly; b = a + s: theta_1 >= 0 and excess <= b a.s. */
    const num_sgd_problem pb = {.p = P, .b = 0.5, .a = 0.1, .h = 0, .m = 1, .noise = 0.4};
    expect_close("range M = b", num_sgd_ball_excess_range(&pb), 0.5, 0.0);
    double dmax = 0, emax = 0, emin = 1;
    for (int i = 0; i < 300; i++) {
        assert_int_equal(num_sgd_ball_run(&pb, 30, 0.9, r, work, &o), NUM_OK);
        dmax = fmax(dmax, o.dnorm_max);
        emax = fmax(emax, fmax(o.excess_avg, o.excess_last));
        emin = fmin(emin, fmin(o.excess_avg, o.excess_last));
    }
    /* ||D|| <= L + s = 1 up to the rounding of a sum of p squares and a sqrt */
    if (!(dmax <= 1 + 8e-16 && dmax > 0.8)) {
        print_error("max ||D|| %.18g observed vs <= 1 expected\n", dmax);
        fail();
    }
    if (!(emax <= 0.5 && emin >= -1e-15)) {
        print_error("excess range [%.18g, %.18g] observed vs [0, 0.5] expected\n", emin, emax);
        fail();
    }
    const num_sgd_problem wide = {.p = P, .b = 0.3, .a = 0, .h = 0, .m = 1, .noise = 0.5};
    expect_close("range M = 2b when the noise can reverse theta_1", num_sgd_ball_excess_range(&wide),
                 0.6, 0.0);
    gsl_rng_free(r);
}

static void ebernstein(void **state)
{
    (void)state;
    /* formula: v = 0.04, n = 101, M = 2, delta = 0.1: l = ln 20 */
    double l = log(20.0);
    expect_close("formula", num_sgd_ebernstein(0.04, 101, 2, 0.1),
                 sqrt(0.08 * l / 101) + 14 * l / 300, 1e-15);
    assert_true(isnan(num_sgd_ebernstein(0.04, 1, 2, 0.1)));
    /* coverage: uniform[0, 1] samples of n = 40, delta = 0.1; the bound is conservative, so
     * the mean 1/2 exceeds xbar + width in far fewer than 10% of 2000 repetitions */
    gsl_rng *r = num_rng_alloc(tc_test_seed(15u));
    int miss = 0;
    for (int t = 0; t < 2000; t++) {
        double x[40], m = 0, v = 0;
        for (int i = 0; i < 40; i++)
            m += (x[i] = gsl_rng_uniform(r)) / 40;
        for (int i = 0; i < 40; i++)
            v += (x[i] - m) * (x[i] - m) / 39;
        miss += 0.5 > m + num_sgd_ebernstein(v, 40, 1, 0.1);
    }
    if (miss > 200) {
        print_error("empirical Bernstein misses %d of 2000 vs <= 200 expected\n", miss);
        fail();
    }
    gsl_rng_free(r);
}

static void bad_input(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(1);
    double work[3 * P];
    num_sgd_out o;
    num_sgd_problem pb = {.p = P, .b = 0.5, .a = 0.1, .h = 0, .m = 1, .noise = 0.41};
    assert_int_equal(num_sgd_ball_check(&pb), NUM_EINVAL); /* L + s = 1.01 */
    pb.noise = 0.4;
    assert_int_equal(num_sgd_ball_check(&pb), NUM_OK);
    assert_int_equal(num_sgd_ball_run(&pb, 0, 0.1, r, work, &o), NUM_EINVAL);
    assert_int_equal(num_sgd_ball_run(&pb, 5, 0.0, r, work, &o), NUM_EINVAL);
    pb.m = 1.5;
    assert_int_equal(num_sgd_ball_check(&pb), NUM_EINVAL);
    pb.m = 1, pb.a = 0.6; /* b < a: the minimiser is inside the ball */
    assert_int_equal(num_sgd_ball_check(&pb), NUM_EINVAL);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(excess_and_gradient),     cmocka_unit_test(noise_free_closed_form),
        cmocka_unit_test(one_noisy_step_mean),     cmocka_unit_test(bounded_gradient_and_range),
        cmocka_unit_test(ebernstein),              cmocka_unit_test(bad_input),
    };
    return TC_RUN("numerics/sgd_ball", tests);
}
