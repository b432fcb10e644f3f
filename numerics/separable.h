/* numerics/separable.h — synthetic linearly separable binary data.
 *
 * Generator (a standard construction, e.g. the synthetic data of Soudry et al. 2018, §5, made
 * exact): a uniformly random unit direction u; points x_n ~ N(0, sigma^2 I_d); labels
 * alternate, y_n = +1 for even n and -1 for odd n, so both classes are present and balanced;
 * each point's component along u is replaced by y_n (|u.x_n| + gamma), i.e. pushed away from
 * the hyperplane u.x = 0 by gamma. Hence y_n u.x_n >= gamma for every n: the data are
 * separable through the origin with margin at least gamma (the SVM margin is >= gamma), and
 * the distribution orthogonal to u is still N(0, sigma^2 I_{d-1}).
 *
 * d > n is allowed (the square-loss control of 003 §11.1 needs it); then the points span an
 * n-dimensional subspace almost surely.
 */
#ifndef NUM_SEPARABLE_H
#define NUM_SEPARABLE_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/num.h"

/* Fill X (n x d row-major), y (n, +-1) and, if u != NULL, the direction u (d, unit norm).
 *   sigma > 0 the per-coordinate standard deviation, gamma >= 0 the pushed margin.
 * Returns NUM_EINVAL for n < 2, d < 1, sigma <= 0, gamma < 0 or a NULL pointer. */
num_status num_separable_gen(gsl_rng *r, size_t n, size_t d, double sigma, double gamma,
                             double *X, double *y, double *u);

/* Append a constant feature c to every row: Xb (n x (d+1)) = [X, c 1] (the bias as a
 * feature, CLAIMS.md A). Xb must not alias X. */
num_status num_separable_add_bias(size_t n, size_t d, const double *X, double c, double *Xb);

#endif /* NUM_SEPARABLE_H */
