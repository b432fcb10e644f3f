/* numerics/relu1d.h — one-hidden-layer ReLU networks on scalar inputs with a bias,
 *     f(x) = sum_{i<r} v_i relu(a_i x + b_i),     theta = [a (r), b (r), v (r)],
 * trained on the square loss, optionally with the positively homogeneous regulariser of
 * matching degree (Haeffele & Vidal, cited as [30] in 001 §III-D):
 *     L(theta) = 1/(2N) sum_n (y_n - f(x_n))^2 + lambda/2 sum_i (a_i^2 + b_i^2 + v_i^2).
 * Each unit is degree-2 positively homogeneous in (u_i = (a_i, b_i), v_i), as is its
 * regulariser; lambda = 0 gives the plain square loss (the spurious-minimum control).
 *
 * The spurious-minimum control of family L uses lambda = 0 and r = 1 (pattern_min below). */
#ifndef NUM_RELU1D_H
#define NUM_RELU1D_H

#include <stddef.h>

#include "numerics/num.h"

/* L at theta; grad (3r, or NULL) and the scaled residual z = (y - f)/N (N, or NULL). */
num_status num_relu1d_eval(size_t N, const double *x, const double *y, size_t r,
                           const double *theta, double lambda, double *loss, double *grad,
                           double *z);

/* Plain GD theta <- theta - eta grad L until ||grad L|| <= gtol or max_steps; *steps taken,
 * *gnorm and *loss at the end. work: 4r + N doubles. NUM_ENAN if an iterate is not finite. */
num_status num_relu1d_gd(size_t N, const double *x, const double *y, size_t r, double *theta,
                         double lambda, double eta, size_t max_steps, double gtol, double *work,
                         size_t *steps, double *gnorm, double *loss);

/* The certificate of a local minimum for one unit (r = 1, lambda = 0): at (a, b) the pattern
 * S = {n : a x_n + b > 0}; *pattern_min = the least-squares value 1/(2N)[sum_{S} (y - c x -
 * d)^2 + sum_{not S} y^2] over free (c, d) (the loss of every parameter with that pattern is
 * at least this); *margin = min_n |a x_n + b| / ||(a, b)|| (the pattern is the same in a
 * neighbourhood of the point when > 0); *active = |S|. */
num_status num_relu1d_pattern_min(size_t N, const double *x, const double *y, double a,
                                  double b, double *pattern_min, double *margin, size_t *active);

#endif /* NUM_RELU1D_H */
