/* tests/unit/test_weight_noise.c — numerics/weight_noise against independent computations.
 *
 * - num_wnoise_layer_std: each layer against GSL's population standard deviation
 *   (gsl_stats_sd_m with the mean, divisor n - 1 rescaled to n);
 * - num_wnoise_perturb: the exact draw order rebuilt from a clone of the generator (layer 1
 *   first, entries row-major, std frac * std_k); biases untouched; frac = 0 changes nothing
 *   and draws nothing; by Monte Carlo, the added noise of a 200 x 200 layer has variance
 *   (frac std)^2 within 6 standard deviations of the chi-square average (sd of a sample
 *   variance of m normal draws: sigma^2 sqrt(2 / m));
 * - num_wnoise_weight_norm: sqrt of the sum of squared layer Frobenius norms
 *   (num_mlp_layer_norms); bad input.
 */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>

#include "numerics/mlp.h"
#include "numerics/rng.h"
#include "numerics/weight_noise.h"

static num_mlp *net3(void)
{
    size_t widths[4] = {5, 7, 6, 3};
    return num_mlp_alloc(3, widths, true, NUM_ACT_RELU);
}

static void layer_std_matches_gsl(void **state)
{
    (void)state;
    num_mlp *net = net3();
    double *th = malloc(net->nparams * sizeof *th), std[3];
    gsl_rng *r = num_rng_alloc(tc_test_seed(20261207u));
    num_rng_gaussian(r, 0.7, th, net->nparams);
    assert_int_equal(num_wnoise_layer_std(net, th, std), NUM_OK);
    for (size_t k = 0; k < 3; k++) {
        size_t m = net->widths[k] * net->widths[k + 1];
        const double *w = th + net->off_w[k];
        double mean = gsl_stats_mean(w, 1, m);
        double sd = gsl_stats_sd_m(w, 1, m, mean) * sqrt((double)(m - 1) / (double)m);
        expect_close("layer std", std[k], sd, 1e-14);
    }
    assert_int_equal(num_wnoise_layer_std(NULL, th, std), NUM_EINVAL);
    gsl_rng_free(r), free(th), num_mlp_free(net);
}

static void perturb_draw_order(void **state)
{
    (void)state;
    num_mlp *net = net3();
    size_t P = net->nparams;
    double *th = malloc(P * sizeof *th), *ref = malloc(P * sizeof *ref), std[3], std2[3];
    gsl_rng *r = num_rng_alloc(tc_test_seed(20261208u));
    num_rng_gaussian(r, 1.0, th, P);
    memcpy(ref, th, P * sizeof *th);
    assert_int_equal(num_wnoise_layer_std(net, th, std2), NUM_OK);
    gsl_rng *c = gsl_rng_clone(r);
    assert_int_equal(num_wnoise_perturb(net, th, r, 0.25, std), NUM_OK);
    for (size_t k = 0; k < 3; k++) {
        expect_close("std reported before the noise", std[k], std2[k], 0);
        size_t m = net->widths[k] * net->widths[k + 1];
        for (size_t i = 0; i < m; i++)
            ref[net->off_w[k] + i] += gsl_ran_gaussian_ziggurat(c, 0.25 * std2[k]);
        for (size_t i = 0; i < net->widths[k + 1]; i++) /* biases untouched */
            expect_close("bias", th[net->off_b[k] + i], ref[net->off_b[k] + i], 0);
    }
    for (size_t i = 0; i < P; i++)
        expect_close("same draws", th[i], ref[i], 0);
    /* frac = 0: nothing changes, nothing drawn */
    gsl_rng *c2 = gsl_rng_clone(r);
    unsigned long before = gsl_rng_get(c2);
    gsl_rng_free(c2);
    assert_int_equal(num_wnoise_perturb(net, th, r, 0.0, NULL), NUM_OK);
    for (size_t i = 0; i < P; i++)
        expect_close("frac 0", th[i], ref[i], 0);
    assert_true(gsl_rng_get(r) == before);
    assert_int_equal(num_wnoise_perturb(net, th, r, -1.0, NULL), NUM_EINVAL);
    gsl_rng_free(r), gsl_rng_free(c), free(th), free(ref), num_mlp_free(net);
}

static void perturb_variance(void **state)
{
    (void)state;
    size_t widths[2] = {200, 200};
    num_mlp *net = num_mlp_alloc(1, widths, false, NUM_ACT_LINEAR);
    size_t m = 200 * 200;
    double *th = malloc(m * sizeof *th), *th0 = malloc(m * sizeof *th0), std;
    gsl_rng *r = num_rng_alloc(tc_test_seed(20261209u));
    num_rng_gaussian(r, 2.0, th, m);
    memcpy(th0, th, m * sizeof *th);
    assert_int_equal(num_wnoise_perturb(net, th, r, 0.25, &std), NUM_OK);
    double v = 0;
    for (size_t i = 0; i < m; i++)
        v += (th[i] - th0[i]) * (th[i] - th0[i]);
    v /= (double)m;
    double s2 = 0.0625 * std * std;
    expect_close("noise variance", v, s2, 6 * s2 * sqrt(2.0 / (double)m));
    gsl_rng_free(r), free(th), free(th0), num_mlp_free(net);
}

static void weight_norm(void **state)
{
    (void)state;
    num_mlp *net = net3();
    double *th = malloc(net->nparams * sizeof *th), norms[3];
    gsl_rng *r = num_rng_alloc(tc_test_seed(20261210u));
    num_rng_gaussian(r, 1.0, th, net->nparams);
    num_mlp_layer_norms(net, th, norms);
    expect_rel("weight norm", num_wnoise_weight_norm(net, th),
               sqrt(norms[0] * norms[0] + norms[1] * norms[1] + norms[2] * norms[2]), 1e-14);
    gsl_rng_free(r), free(th), num_mlp_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layer_std_matches_gsl),
        cmocka_unit_test(perturb_draw_order),
        cmocka_unit_test(perturb_variance),
        cmocka_unit_test(weight_norm),
    };
    return TC_RUN("numerics/weight_noise", tests);
}
