/* numerics/stats.h — the significance tests and intervals the claims decide with.
 *
 * Thin, documented wrappers of GSL's distribution functions (GSL manual §"Random Number
 * Distributions", §"Statistics"), so that each claim states its test by name:
 *   num_stats_t          mean, standard error and two-sided 95% Student-t half-width;
 *   num_stats_binom_p2   exact two-sided binomial p-value (twice the smaller tail, <= 1);
 *   num_stats_chisq_p2   two-sided chi-square p-value (twice the smaller tail, <= 1);
 *   num_stats_t2         two-sided Student-t critical value at any level;
 *   num_stats_z2 / z1    Bonferroni normal critical values for ntests simultaneous tests at
 *                        family-wise level alpha (two- and one-sided);
 *   num_stats_clopper_pearson  exact interval of a binomial proportion (sweeps: the fraction
 *                        of seeds where a claim holds).
 * The two-sided p-value "twice the smaller tail" is the convention of e.g. Agresti,
 * Categorical Data Analysis (2nd ed.) §1.4.
 */
#ifndef NUM_STATS_H
#define NUM_STATS_H

#include <stddef.h>

typedef struct {
    double mean; /* sample mean */
    double se;   /* standard error s / sqrt(n) (NaN when n < 2) */
    double half; /* half-width of the two-sided 95% t-interval (NaN when n < 2) */
} num_stats_tint;

/* Mean, standard error and 95% t-interval half-width of v[0..n), n >= 1. */
num_stats_tint num_stats_t(const double *v, size_t n);

/* Two-sided exact binomial p-value of k successes in n trials of probability p. */
double num_stats_binom_p2(size_t k, size_t n, double p);

/* Two-sided p-value of x under a chi-square law with nu degrees of freedom. */
double num_stats_chisq_p2(double x, double nu);

/* Bonferroni critical values: z with P(|Z| > z) = alpha / ntests (two-sided) and
 * P(Z > z) = alpha / ntests (one-sided), Z standard normal. */
double num_stats_z2(double alpha, double ntests);
double num_stats_z1(double alpha, double ntests);

/* Student-t critical value with P(|T| > t) = alpha, T with dof degrees of freedom: the
 * half-width of a two-sided 1 - alpha interval is t * se. */
double num_stats_t2(double alpha, double dof);

/* Clopper-Pearson (exact) two-sided 1 - alpha interval [*lo, *hi] for a proportion with k
 * successes in n >= 1 trials: the beta quantiles B(alpha/2; k, n-k+1) and
 * B(1-alpha/2; k+1, n-k), with lo = 0 at k = 0 and hi = 1 at k = n (Clopper & Pearson 1934). */
void num_stats_clopper_pearson(size_t k, size_t n, double alpha, double *lo, double *hi);

#endif
