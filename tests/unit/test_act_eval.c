/* tests/unit/test_act_eval.c — num_act_eval computes only what it is asked for (the forward
 * pass wants f, the backward pass f', the Hessian all three), and each value must be the same
 * bits whichever others are asked for: records depend on it. For every activation, on points
 * from the tails to the origin (and NaN for the ReLU's propagation), every subset of
 * {f, f', f''} is compared with memcmp against the call that asks for all three. The erf
 * values are also checked against libm's erf and 2/sqrt(pi) exp(-z^2) written out here.
 */
#include "tc_test.h"

#include <math.h>
#include <string.h>

#include "numerics/mlp.h"

#define NACT 7
static const num_act acts[NACT] = {NUM_ACT_LINEAR,  NUM_ACT_RELU,    NUM_ACT_TANH,
                                   NUM_ACT_ERF,     NUM_ACT_SOFTPLUS, NUM_ACT_SIGMOID,
                                   NUM_ACT_SMOOTH_RELU};
static const double zs[] = {-800.0, -30.0, -2.5, -0.3, -1e-9, -0.0, 0.0,
                            1e-300, 1e-9,  0.7,  3.0,  40.0,   700.0};
#define NZ (sizeof zs / sizeof zs[0])

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void subset_matches(num_act a, double eps, double z)
{
    double f, d, dd;
    num_act_eval(a, eps, z, &f, &d, &dd);
    for (int mask = 1; mask < 8; mask++) {
        double g = -1.0, e = -1.0, ee = -1.0;
        num_act_eval(a, eps, z, mask & 1 ? &g : NULL, mask & 2 ? &e : NULL,
                     mask & 4 ? &ee : NULL);
        if ((mask & 1) && !same_bits(g, f))
            fail_msg("act %d z %g mask %d: f %.17g != %.17g", (int)a, z, mask, g, f);
        if ((mask & 2) && !same_bits(e, d))
            fail_msg("act %d z %g mask %d: f' %.17g != %.17g", (int)a, z, mask, e, d);
        if ((mask & 4) && !same_bits(ee, dd))
            fail_msg("act %d z %g mask %d: f'' %.17g != %.17g", (int)a, z, mask, ee, dd);
        /* what was not asked for is not written */
        if (!(mask & 1))
            assert_true(g == -1.0);
        if (!(mask & 2))
            assert_true(e == -1.0);
        if (!(mask & 4))
            assert_true(ee == -1.0);
    }
}

static void every_subset_same_bits(void **state)
{
    (void)state;
    for (int a = 0; a < NACT; a++)
        for (size_t i = 0; i < NZ; i++)
            subset_matches(acts[a], 0.1, zs[i]);
    subset_matches(NUM_ACT_RELU, 0.0, NAN);
}

static void erf_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < NZ; i++) {
        double z = zs[i], f, d;
        num_act_eval(NUM_ACT_ERF, 0.0, z, &f, NULL, NULL);
        assert_true(same_bits(f, erf(z)));
        num_act_eval(NUM_ACT_ERF, 0.0, z, NULL, &d, NULL);
        double ref = 1.12837916709551257390 * exp(-z * z); /* 2/sqrt(pi) to 21 digits */
        assert_true(fabs(d - ref) <= 4.0 * 2.220446049250313e-16 * ref);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_subset_same_bits),
        cmocka_unit_test(erf_values),
    };
    return cmocka_run_group_tests_name("numerics/act_eval", tests, NULL, NULL);
}
