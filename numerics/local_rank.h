/* numerics/local_rank.h — the exact local dimension of the image of a small ball under a
 * piecewise-linear (ReLU) map, decided across a spectral gap.
 *
 * Workload: the 'angle' family's intrinsic-dimension claim (001 §V-A). A "ball" is an anchor
 * point a and p points a + d_b, b = 1..p, whose offsets d_b span the tangent space of the data
 * manifold at a (k dimensions, p > k). Pushed through a random ReLU network whose activation
 * pattern is the same on every point of the ball, the network is one affine map there, so the
 * secants f(a + d_b) - f(a) = J d_b have rank <= k exactly: the image of the tangent vectors
 * under the Jacobian. Computed in double precision, the secant matrix has k singular values
 * of the size of the ball and the others at most the rounding bound of the forward pass
 * (num_local_rank_layer_error); the rank is the count above that bound, accepted only where
 * the count does not move when the bound is taken 10 times smaller or larger.
 *
 * Sources: Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., §3.5 (matrix
 * products: |fl(W h) - W h| <= gamma_n |W| |h|, gamma_n = n u / (1 - n u), any summation
 * order); Weyl's inequality for singular values (|s_i(A + E) - s_i(A)| <= ||E||_2); Golub &
 * Van Loan, 4th ed., §5.4.1 (numerical rank).
 */
#ifndef NUM_LOCAL_RANK_H
#define NUM_LOCAL_RANK_H

#include <stdbool.h>
#include <stddef.h>

#include "numerics/num.h"

/* Singular values of the secant matrix of a ball.
 *   H     (p + 1) x m, row-major: row 0 the anchor's image, rows 1..p the ball points' images
 *   work  p x m doubles (receives the secants H[b] - H[0])
 *   s     out: min(p, m) singular values, descending
 *   colmax out (may be NULL): the largest secant norm max_b ||H[b] - H[0]||
 * Returns NUM_EINVAL for bad sizes, NUM_ENAN for non-finite input, NUM_ELAPACK. */
num_status num_local_rank_secant_svals(const double *H, size_t p, size_t m, double *work,
                                       double *s, double *colmax);

/* Count of the singular values s[0..ns) (descending, >= 0) above tol > 0, and how far the
 * count is from moving: lo_dec = log10(s[c-1] / tol) (+inf if c = 0), the decades between the
 * smallest counted value and the tolerance; hi_dec = log10(tol / s[c]) (+inf if c = ns or
 * s[c] = 0), the decades between the tolerance and the largest uncounted value. The count is
 * the same for every tolerance in (tol 10^-hi_dec, tol 10^lo_dec). */
void num_local_rank_count(const double *s, size_t ns, double tol, size_t *count, double *lo_dec,
                          double *hi_dec);

/* Rounding bound of one layer h_out = relu(W h_in) computed with one dgemm (Higham §3.5), for
 * every row of a batch: if every input row is within e_in of its exact value and
 * ||h_in|| <= hmax for every computed input row, every computed pre-activation (and, relu
 * being 1-Lipschitz and exact, every output row) is within
 *   e_out = ||W||_2 e_in + gamma_din ||W||_F hmax      (||W||_F >= || |W| ||_2)
 * of the exact one. w_norm2 >= ||W||_2, w_fro = ||W||_F, din = columns of W. Returns +inf if
 * din u >= 1. */
double num_local_rank_layer_error(double e_in, double w_norm2, double w_fro, size_t din,
                                  double hmax);

/* Whether the p + 1 rows of the pre-activations Z ((p + 1) x m, row 0 the anchor) lie in one
 * linear region of the ReLU layer, certified against the rounding bound e: every entry has the
 * sign of the anchor's in its column and |z| > e (so the exact values have those signs too). */
bool num_local_rank_same_region(const double *Z, size_t p, size_t m, double e);

#endif /* NUM_LOCAL_RANK_H */
