/* numerics/stats.c — see stats.h. */
#include "numerics/stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

num_stats_tint num_stats_t(const double *v, size_t n)
{
    num_stats_tint t = {gsl_stats_mean(v, 1, n), NAN, NAN};
    if (n >= 2) {
        t.se = gsl_stats_sd(v, 1, n) / sqrt((double)n);
        t.half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * t.se;
    }
    return t;
}

double num_stats_binom_p2(size_t k, size_t n, double p)
{
    if (p <= 0.0)
        return k == 0 ? 1.0 : 0.0;
    if (p >= 1.0)
        return k == n ? 1.0 : 0.0;
    double lo = gsl_cdf_binomial_P((unsigned)k, p, (unsigned)n);
    double hi = k == 0 ? 1.0 : gsl_cdf_binomial_Q((unsigned)(k - 1), p, (unsigned)n);
    double v = 2.0 * (lo < hi ? lo : hi);
    return v > 1.0 ? 1.0 : v;
}

double num_stats_chisq_p2(double x, double nu)
{
    double lo = gsl_cdf_chisq_P(x, nu), hi = gsl_cdf_chisq_Q(x, nu);
    double v = 2.0 * (lo < hi ? lo : hi);
    return v > 1.0 ? 1.0 : v;
}

double num_stats_z2(double alpha, double ntests)
{
    return gsl_cdf_ugaussian_Qinv(alpha / (2.0 * ntests));
}

double num_stats_z1(double alpha, double ntests)
{
    return gsl_cdf_ugaussian_Qinv(alpha / ntests);
}

double num_stats_t2(double alpha, double dof)
{
    return gsl_cdf_tdist_Qinv(alpha / 2.0, dof);
}

void num_stats_clopper_pearson(size_t k, size_t n, double alpha, double *lo, double *hi)
{
    double a = (double)k, b = (double)(n - k);
    *lo = k == 0 ? 0.0 : gsl_cdf_beta_Pinv(alpha / 2.0, a, b + 1.0);
    *hi = k == n ? 1.0 : gsl_cdf_beta_Pinv(1.0 - alpha / 2.0, a + 1.0, b);
}
