/* numerics/fit.h — straight-line and power-law least-squares fits with standard errors.
 *
 * Thin wrappers of GSL's gsl_fit_linear / gsl_fit_wlinear (GSL manual §"Linear regression",
 * the textbook formulas of e.g. Press et al., Numerical Recipes 3rd ed. §15.2):
 *   unweighted: y = c0 + c1 x; the covariance is scaled by the residual variance
 *               s^2 = sumsq / (n - 2), so the standard errors are the usual OLS ones;
 *   weighted:   weights w_i = 1 / sigma_i^2; the covariance is (X^T W X)^{-1}, i.e. it trusts
 *               the given sigma_i (chi^2 = sum w_i r_i^2 is returned to judge that).
 * A power law y = a x^p is fitted as log y = log a + p log x (x, y > 0).
 */
#ifndef NUM_FIT_H
#define NUM_FIT_H

#include <stddef.h>

#include "numerics/num.h"

typedef struct {
    double intercept, slope;        /* c0, c1 */
    double se_intercept, se_slope;  /* standard errors sqrt(cov00), sqrt(cov11) */
    double cov01;                   /* covariance of intercept and slope */
    double sumsq;                   /* residual sum of squares (weighted: chi^2) */
    double r2;                      /* coefficient of determination (unweighted: 1 - SSres/SStot) */
    size_t n;
} num_fit_line;

/* Fit y = c0 + c1 x to n >= 3 points (n >= 2 gives the line with NaN standard errors).
 * w (may be NULL): weights 1/sigma_i^2 (> 0). Returns NUM_EINVAL (n < 2, all x equal, bad
 * weights), NUM_ENAN (non-finite input). */
num_status num_fit_linear(size_t n, const double *x, const double *y, const double *w,
                          num_fit_line *out);

/* Fit y = a x^p: a line in (log x, log y). out->slope = p, out->intercept = log a, standard
 * errors in those terms. Returns NUM_EINVAL if some x or y <= 0. w: weights of log y. */
num_status num_fit_power(size_t n, const double *x, const double *y, const double *w,
                         num_fit_line *out);

/* Fit y = c0 + c1 x to the points i with key[i] in [lo, hi] (a window of a sampled
 * trajectory: key is typically the time, x and y functions of it; key may be x itself). The
 * points keep their order. Returns NUM_EINVAL when fewer than 3 points fall in the window (a
 * line through 2 points has no standard error), NUM_ENOMEM, else as num_fit_linear. */
num_status num_fit_linear_window(size_t n, const double *x, const double *y, const double *key,
                                 double lo, double hi, num_fit_line *out);

#endif /* NUM_FIT_H */
