/* numerics/intrinsic_dim.h — intrinsic dimension of a point cloud by the maximum-likelihood
 * estimator of Levina & Bickel with the pooling of MacKay & Ghahramani.
 *
 * References:
 *   E. Levina and P. J. Bickel, "Maximum likelihood estimation of intrinsic dimension",
 *   Advances in NIPS 17 (2005), eqs. (8)-(10).
 *   D. J. C. MacKay and Z. Ghahramani, "Comments on 'Maximum likelihood estimation of
 *   intrinsic dimension' by E. Levina and P. Bickel" (2005): average the inverse of the local
 *   estimates (equivalently pool the log-distance ratios), which is the maximum-likelihood
 *   estimate for the pooled Poisson model and is much less biased for small k.
 *
 * Model: near x the points of an m-dimensional manifold sampled with a smooth density form a
 * Poisson process whose count in a ball of radius t grows like t^m. With T_j(x) the distance
 * from x to its j-th nearest neighbour, the k - 1 variables m log(T_k / T_j), j < k, behave
 * like a sample of Exp(1), so
 *   m^_k = [ (1 / (n (k - 1))) sum_i sum_{j=1}^{k-1} log(T_k(x_i) / T_j(x_i)) ]^{-1},
 * and the reported estimate is the mean of m^_k over k = k1 .. k2 (Levina & Bickel eq. (10)).
 *
 * Workload: n up to a few thousand points in dimension D up to a few thousand. The distances
 * come from one dsyrk of the centred data (O(n^2 D) flops); the k2 nearest distances of each
 * point are then recomputed directly from the coordinates, so rounding in the Gram-matrix
 * identity ||x - y||^2 = |x|^2 + |y|^2 - 2 x.y never reaches the logarithms.
 */
#ifndef NUM_INTRINSIC_DIM_H
#define NUM_INTRINSIC_DIM_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/num.h"

/* Number of doubles of workspace num_intrinsic_dim_mle needs for n points in dimension D. */
size_t num_intrinsic_dim_work_size(size_t n, size_t D, size_t k2);

/* Intrinsic dimension of the n points X (n x D, row-major).
 * Inputs: 2 <= k1 <= k2 < n, k2 <= 256; work of at least num_intrinsic_dim_work_size(n, D, k2) doubles.
 * Outputs: *dim = mean of m^_k over k1..k2; dim_k (may be NULL) gets the k2 - k1 + 1 values
 * m^_k1 .. m^_k2.
 * Returns NUM_EINVAL for bad sizes, NUM_EINFEASIBLE if some point has a duplicate (a nearest
 * distance of 0, where the likelihood is undefined), NUM_ENAN for non-finite input. */
num_status num_intrinsic_dim_mle(const double *X, size_t n, size_t D, size_t k1, size_t k2,
                                 double *work, size_t lwork, double *dim, double *dim_k);

/* ---- data of known dimension (validation of the estimator, the 'angle' family) --------- */

/* n points on a random k-dimensional subspace of R^D: X = F U^T (n x D, row-major) with
 * U (D x k, the frame) and F (n x k, the coefficients) i.i.d. N(0, 1), drawn from r in that
 * order into the caller's scratch U and F. Dimension exactly k (almost surely, k <= D). */
num_status num_intrinsic_dim_sample_subspace(gsl_rng *r, size_t n, size_t D, size_t k,
                                             double *X, double *F, double *U);

/* n points on a generic smooth closed curve of R^D (dimension 1):
 *   x(t) = sum_{a=1}^{J} (A_a cos(a t) + B_a sin(a t)) / a,  t uniform on [0, 2 pi),
 * with A_a, B_a i.i.d. N(0, I_D) drawn first from r (U, D x 2J: column 2a-2 = A_a, 2a-1 = B_a),
 * then t_1 .. t_n. X = F U^T (n x D) with the caller's scratch F (n x 2J). */
num_status num_intrinsic_dim_sample_curve(gsl_rng *r, size_t n, size_t D, size_t J, double *X,
                                          double *F, double *U);

#endif /* NUM_INTRINSIC_DIM_H */
