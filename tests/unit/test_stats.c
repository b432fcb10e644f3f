/* tests/unit/test_stats.c — numerics/stats against independent computations.
 *
 * Binomial tails are summed from the pmf C(n,k) p^k (1-p)^(n-k) in the log domain (lgamma);
 * the chi-square law with 2 degrees of freedom is exponential, P(X <= x) = 1 - exp(-x/2);
 * the Student t law with 1 degree of freedom is Cauchy, quantile tan(pi (q - 1/2)); the normal
 * quantiles are the tabulated 1.959963984540054 (alpha 0.05 two-sided) and
 * 1.6448536269514722 (one-sided).
 */
#include "tc_test.h"

#include <float.h>

#include "numerics/stats.h"

static double binom_pmf(size_t k, size_t n, double p)
{
    return exp(lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + k * log(p) +
               (n - k) * log1p(-p));
}

static void binom_p2_matches_pmf_sums(void **state)
{
    (void)state;
    const size_t n = 20;
    const double p = 0.3;
    for (size_t k = 0; k <= n; k++) {
        double lo = 0.0, hi = 0.0;
        for (size_t j = 0; j <= k; j++)
            lo += binom_pmf(j, n, p);
        for (size_t j = k; j <= n; j++)
            hi += binom_pmf(j, n, p);
        double ref = fmin(1.0, 2.0 * fmin(lo, hi));
        expect_close("binomial p", num_stats_binom_p2(k, n, p), ref, 1e-12);
    }
    expect_close("p = 0, k = 0", num_stats_binom_p2(0, 5, 0.0), 1.0, 0.0);
    expect_close("p = 0, k = 1", num_stats_binom_p2(1, 5, 0.0), 0.0, 0.0);
    expect_close("p = 1, k = n", num_stats_binom_p2(5, 5, 1.0), 1.0, 0.0);
}

static void chisq_p2_is_exponential_for_two_dof(void **state)
{
    (void)state;
    const double xs[] = {0.01, 0.5, 1.3862943611198906 /* median 2 log 2 */, 3.0, 12.0};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        double P = -expm1(-xs[i] / 2.0), Q = exp(-xs[i] / 2.0);
        expect_close("chi-square p", num_stats_chisq_p2(xs[i], 2.0), fmin(1.0, 2 * fmin(P, Q)),
                     1e-14);
    }
}

static void t_interval_by_hand(void **state)
{
    (void)state;
    /* v = 1, 3: mean 2, s = sqrt(2), se = 1, t_{0.975, 1} = tan(0.475 pi) */
    const double v[] = {1.0, 3.0};
    num_stats_tint t = num_stats_t(v, 2);
    expect_close("mean", t.mean, 2.0, 4 * DBL_EPSILON);
    expect_close("se", t.se, 1.0, 4 * DBL_EPSILON);
    expect_rel("half", t.half, tan(0.475 * M_PI), 1e-10);
    num_stats_tint one = num_stats_t(v, 1);
    expect_close("mean of one", one.mean, 1.0, 0.0);
    assert_true(isnan(one.se) && isnan(one.half));
}

static void bonferroni_z(void **state)
{
    (void)state;
    expect_close("z two-sided", num_stats_z2(0.05, 1), 1.959963984540054, 1e-12);
    expect_close("z one-sided", num_stats_z1(0.05, 1), 1.6448536269514722, 1e-12);
    /* Bonferroni: 10 two-sided tests at 0.05 are one test at 0.005 */
    expect_close("z two-sided x10", num_stats_z2(0.05, 10), num_stats_z2(0.005, 1), 1e-12);
    expect_close("z one-sided = two-sided at 2 alpha", num_stats_z1(0.05, 1),
                 num_stats_z2(0.1, 1), 1e-12);
}

/* Closed forms: k = 0 gives hi = 1 - (alpha/2)^(1/n), k = n gives lo = (alpha/2)^(1/n); the
 * symmetric case k = n/2 is symmetric about 1/2; and the tabulated n = 10, k = 5 interval
 * [0.187086, 0.812914] (e.g. R's binom.test(5, 10)). */
/* Student t: one degree of freedom is the Cauchy law, P(|T| > t) = 1 - (2/pi) atan t, so
 * t = tan(pi (1 - alpha) / 2); with many degrees of freedom t tends to the normal quantile. */
static void t_critical(void **state)
{
    (void)state;
    expect_rel("Cauchy, alpha = 0.05", num_stats_t2(0.05, 1), tan(M_PI * 0.95 / 2), 1e-10);
    expect_rel("Cauchy, alpha = 1e-6", num_stats_t2(1e-6, 1), tan(M_PI * (1 - 1e-6) / 2), 1e-6);
    expect_rel("dof 1e7 -> normal", num_stats_t2(1e-6, 1e7), num_stats_z2(1e-6, 1), 1e-5);
}

static void clopper_pearson_known_values(void **state)
{
    (void)state;
    double lo, hi;
    num_stats_clopper_pearson(0, 10, 0.05, &lo, &hi);
    expect_close("k = 0 lo", lo, 0.0, 0.0);
    expect_close("k = 0 hi", hi, 1.0 - pow(0.025, 0.1), 1e-12);
    num_stats_clopper_pearson(10, 10, 0.05, &lo, &hi);
    expect_close("k = n lo", lo, pow(0.025, 0.1), 1e-12);
    expect_close("k = n hi", hi, 1.0, 0.0);
    num_stats_clopper_pearson(5, 10, 0.05, &lo, &hi);
    expect_close("k = 5 lo", lo, 0.187086, 5e-7);
    expect_close("k = 5 hi", hi, 0.812914, 5e-7);
    expect_close("symmetry", lo + hi, 1.0, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binom_p2_matches_pmf_sums),
        cmocka_unit_test(chisq_p2_is_exponential_for_two_dof),
        cmocka_unit_test(t_interval_by_hand),
        cmocka_unit_test(bonferroni_z),
        cmocka_unit_test(clopper_pearson_known_values),
        cmocka_unit_test(t_critical),
    };
    return TC_RUN("numerics/stats", tests);
}
