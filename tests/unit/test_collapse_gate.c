/* tests/unit/test_collapse_gate.c — the noise-aware convergence gate of the collapse claims'
 * step schedule (optimizer=sgd; theorems/collapse/criterion.c): window means compared against
 * their batch-means standard error.
 *
 * - nc_drift_of on a hand-computed case (means, the fitted drift per window, its standard
 *   error against gsl_fit_linear, the single-sample sd);
 * - nc_drift_k against the closed form of Student's t with 14 degrees of freedom (Abramowitz &
 *   Stegun 26.7.3, even nu): P(|T| > k) = 1 - sin theta sum_i c_i cos^{2i} theta,
 *   theta = atan(k / sqrt 14), must equal SGD_ALPHA;
 * - synthetic series: stationary white noise and AR(1) noise (coefficient 0.2: correlation
 *   time shorter than a batch) are accepted (drift ratio <= 1) in at least 199 (white) and
 *   198 (AR(1)) of 200 draws; the same noise plus a linear
 *   drift of 2.5 k se per window is refused in 200 of 200; a noiseless drift below r/12 is
 *   accepted, above it refused; undefined cases give NaN;
 * - the gate end to end (nc_gate_add on synthetic trajectories): converged and collapsed ->
 *   no unresolved check; a drift of nc1 at the full step -> nc1's two checks unresolved; a
 *   final value inside its noise band around the threshold -> unresolved; a stationary
 *   failure -> a resolved failure; a stationary NCC failure -> resolved but not deciding;
 *   windows outside the terminal phase -> all unresolved.
 * A stationary white-noise draw is refused with probability SGD_ALPHA = 1e-4; with AR(1)
 * coefficient 0.5 (correlation comparable to a batch of 4 samples) refusals become ~10x more
 * frequent: the batch means then understate the noise, the safe side of the gate. */
#include "tc_test.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_fit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "harness/context.h" /* the gate (tc_theorems) records through the harness's context */
#include "theorems/collapse/collapse.h"

enum { NS = SGD_WIN_SAMPLES, NB = SGD_BATCHES, DRAWS = 200 };

static void test_drift_hand(void **state)
{
    (void)state;
    /* one sample per batch (ns = nb = 8): y = 0,2,0,2,... in A and 1,3,1,3,... in B. Hand:
     * xbar = 7.5, S_xx = 340, S_xy = 8 (alternation) + 32 (step) = 40, beta = 2/17, drift per
     * window 8 beta = 16/17; the standard error from an independent fit (gsl_fit_linear). */
    double a[8], b[8], x[16], y[16], c0, c1, c00, c01, c11, ss;
    for (int i = 0; i < 8; i++) {
        a[i] = i % 2 ? 2.0 : 0.0;
        b[i] = a[i] + 1.0;
    }
    for (int j = 0; j < 16; j++) {
        x[j] = j;
        y[j] = j < 8 ? a[j] : b[j - 8];
    }
    gsl_fit_linear(x, 1, y, 1, 16, &c0, &c1, &c00, &c01, &c11, &ss);
    nc_drift d = nc_drift_of(a, b, 8, 8);
    expect_close("mean_a", d.mean_a, 1.0, 1e-15);
    expect_close("mean_b", d.mean_b, 2.0, 1e-15);
    expect_close("drift", d.drift, 16.0 / 17.0, 1e-14);
    expect_close("se", d.se, 8.0 * sqrt(c11), 1e-13);
    /* single samples of B: 8 values at distance 1 from 2, divisor 7 */
    expect_close("sd_b", d.sd_b, sqrt(8.0 / 7.0), 1e-15);
    assert_int_equal(d.nb, 8);
}

static void test_drift_k(void **state)
{
    (void)state;
    /* A&S 26.7.3, nu even: P(|T| <= t) = sin theta sum_{i=0}^{nu/2-1} c_i cos^{2i} theta,
     * c_0 = 1, c_i = c_{i-1} (2i - 1)/(2i) */
    double k = nc_drift_k(8), th = atan(k / sqrt(14.0)), c = cos(th), ci = 1.0, sum = 0.0;
    for (int i = 0; i < 7; i++) {
        if (i > 0)
            ci *= (2.0 * i - 1.0) / (2.0 * i);
        sum += ci * pow(c, 2 * i);
    }
    expect_rel("two-sided tail at k (nu = 14)", 1.0 - sin(th) * sum, SGD_ALPHA, 1e-6);
    assert_true(k > 5.0 && k < 6.0);
}

/* A series of 2 NS samples: level + drift per sample + noise (AR(1) with coefficient phi). */
static void series(gsl_rng *r, double level, double slope, double sd, double phi, double *x)
{
    double e = gsl_ran_gaussian(r, sd);
    for (int i = 0; i < 2 * NS; i++) {
        e = phi * e + sqrt(1.0 - phi * phi) * gsl_ran_gaussian(r, sd);
        x[i] = level + slope * i + e;
    }
}

static double ratio_of(const double *x, double rel)
{
    nc_drift d = nc_drift_of(x, x + NS, NS, NB);
    return nc_drift_ratio(&d, nc_drift_k(NB), rel);
}

static void test_drift_synthetic(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(20261203u));
    double x[2 * NS], k = nc_drift_k(NB), rel = 1e-9;
    /* white noise of sd 0.1: batch means of 4 samples have sd 0.05; the drift per window
     * (NB times the slope over 2 NB batch means) has se = NB 0.05 / sqrt(S_xx) */
    double sxx = 2.0 * NB * (4.0 * NB * NB - 1.0) / 12.0, se = NB * 0.05 / sqrt(sxx);
    int refused_white = 0, refused_ar = 0;
    for (int t = 0; t < DRAWS; t++) {
        series(r, 1.0, 0.0, 0.1, 0.0, x);
        refused_white += !(ratio_of(x, rel) <= 1.0);
        series(r, 1.0, 0.0, 0.1, 0.2, x);
        refused_ar += !(ratio_of(x, rel) <= 1.0);
        /* a drift of 2.5 k se per window (NS samples): refused */
        series(r, 1.0, 2.5 * k * se / NS, 0.1, 0.0, x);
        double q = ratio_of(x, rel);
        if (!(q > 1.0))
            print_error("drift draw %d: ratio %.18g\n", t, q);
        assert_true(q > 1.0);
    }
    /* at level 1e-4, P(>= 2 of 200 refused) = 2e-4 for white noise; the AR(1) batch means are
     * slightly correlated (the safe side: more refusals), allowed up to 2 */
    if (refused_white > 1 || refused_ar > 2)
        print_error("stationary draws refused: white %d, AR(1) %d of %d\n", refused_white,
                    refused_ar, DRAWS);
    assert_true(refused_white <= 1 && refused_ar <= 2);
    /* noiseless: a drift of 1e-4 per sample (0.0032 per window, 0.3% of the level) against the
     * resolution bound r/12 = 0.0083 (r = 0.1): accepted; 1e-3 per sample (3%): refused */
    series(r, 1.0, 1e-4, 0.0, 0.0, x);
    expect_close("slow noiseless drift", ratio_of(x, 0.1 / 12) <= 1.0, 1.0, 0.0);
    series(r, 1.0, 1e-3, 0.0, 0.0, x);
    expect_close("fast noiseless drift", ratio_of(x, 0.1 / 12) > 1.0, 1.0, 0.0);
    /* a constant: ratio 0; undefined cases: NaN */
    series(r, 0.0, 0.0, 0.0, 0.0, x);
    expect_close("constant", ratio_of(x, rel), 0.0, 0.0);
    x[3] = NAN;
    assert_true(isnan(ratio_of(x, rel)));
    nc_drift none = {.nb = 0};
    assert_true(isnan(nc_drift_ratio(&none, k, rel)));
    gsl_rng_free(r);
}

/* A synthetic trajectory under the step schedule: every quantity stationary white noise of
 * relative sd `noise` around lev[q] in both phases, plus `slope` (relative, per sample) on nc1
 * at the full step. t0 = 0, nc1 at t0 = 10 (decades thresholds far). */
static nc_traj traj(gsl_rng *r, const double lev[NCV_N], double noise, double slope)
{
    nc_traj t = {.t0 = 0, .step_decay = true, .ph_start = {100, 500}, .ph_len = {50, 50}};
    double x[2 * NS];
    for (int ph = 0; ph < PH_N; ph++)
        for (int q = 0; q < NCV_N; q++) {
            double s = (ph == PH_FULL && q == NCV_NC1) ? slope * lev[q] : 0.0;
            series(r, lev[q], s, noise * lev[q], 0.0, x);
            t.drift[ph][q] = nc_drift_of(x, x + NS, NS, NB);
            if (ph == PH_LAST)
                t.pt_final.v[q] = x[2 * NS - 1];
            t.pt_t0.v[q] = 10.0;
        }
    return t;
}

static nc_gate gate_of(const nc_traj *t)
{
    nc_criterion cr = {.decades = 0, .resolution = 0.1, .ncc_max = 0.01, .check_decades = true,
                       .check_finals = true, .nc3_centred = false};
    nc_gate g;
    nc_gate_init(&g);
    nc_gate_add(&g, t, 4, &cr, 0);
    return g;
}

static void test_gate_synthetic(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(20261203u) + 1);
    /* collapsed at 10% (thresholds: nc1 0.03, NC2 and Gram 0.1, self-duality 0.01, NCC 0.01) */
    double lev[NCV_N] = {[NCV_NC1] = 0.01, [NCV_EQN] = 0.05, [NCV_EQA] = 0.05,
                         [NCV_SD] = 0.003, [NCV_SDC] = 0.003, [NCV_GRAM] = 0.05,
                         [NCV_NCC] = 1e-3, [NCV_OFF] = 0.1, [NCV_OFFCOS] = 0.9};
    nc_traj t = traj(r, lev, 0.01, 0.0);
    nc_gate g = gate_of(&t);
    assert_int_equal(g.ph1_unresolved, 0);
    assert_int_equal(g.unresolved, 0);
    assert_int_equal(g.resolved_fail, 0);
    assert_int_equal(g.checks, 10);
    /* nc1 drifting at the full step by 10% of its level per window: refused */
    t = traj(r, lev, 0.01, 0.1 / NS);
    g = gate_of(&t);
    assert_int_equal(g.ph1_unresolved, 1);
    assert_string_equal(g.ph1_name, "nc1");
    assert_int_equal(g.unresolved, 2); /* its decrease and its final value */
    assert_int_equal(g.resolved_fail, 0);
    /* nc1 at its threshold 0.03 with 1% noise: inside the band, unresolved */
    lev[NCV_NC1] = 0.03;
    t = traj(r, lev, 0.01, 0.0);
    g = gate_of(&t);
    assert_int_equal(g.ph1_unresolved, 0);
    assert_int_equal(g.unresolved, 1);
    assert_int_equal(g.resolved_fail, 0);
    /* nc1 stationary at 0.1, 3x its threshold: a resolved failure */
    lev[NCV_NC1] = 0.1;
    t = traj(r, lev, 0.01, 0.0);
    g = gate_of(&t);
    assert_int_equal(g.unresolved, 0);
    assert_int_equal(g.resolved_fail, 1);
    /* the NCC mismatch stationary at 5% (> 1%): resolved, but a count never decides alone */
    lev[NCV_NC1] = 0.01;
    lev[NCV_NCC] = 0.05;
    nc_traj tn = traj(r, lev, 0.01, 0.0);
    g = gate_of(&tn);
    assert_int_equal(g.unresolved, 0);
    assert_int_equal(g.resolved_fail, 0);
    /* t0 after the full step's windows: they are not in the terminal phase, refused */
    t.t0 = 101;
    g = gate_of(&t);
    assert_int_equal(g.ph1_unresolved, 6);
    assert_int_equal(g.unresolved, 10);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drift_hand),
        cmocka_unit_test(test_drift_k),
        cmocka_unit_test(test_drift_synthetic),
        cmocka_unit_test(test_gate_synthetic),
    };
    return TC_RUN("theorems/collapse_gate", tests);
}
