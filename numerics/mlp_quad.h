/* numerics/mlp_quad.h — the Jacobian of an MLP's outputs with respect to its parameters, and the
 * zero count of J^T J, in binary128 (__float128, numerics/hessian_quad.h).
 *
 * Why: at a teacher zero-loss point (targets Y = f(theta*; X), residual exactly 0) the Hessian
 * of the square loss is J^T J, and its zero eigenvalues are P - rank J. Some teacher draws put
 * singular values of J near sqrt(c P eps) of the largest, where the double count moves with
 * the tolerance (issue #12, the resolution rule). In binary128 the same J (the doubles of
 * theta and X taken exactly; the targets recomputed in binary128, so the residual is exactly 0
 * there too) is resolved to ~1e-31 of lambda_max.
 *
 * Activations: linear, relu, tanh, sigmoid (tanh and sigmoid from num_quad_exp_neg, relative
 * error ~1e-32); others give NUM_EINVAL. Biases as in num_mlp. Workload: n w_K rows of P, one
 * backward pass per output row, O(n w_K P) soft-float operations; the Gram J^T J O(n w_K P^2).
 */
#ifndef NUM_MLP_QUAD_H
#define NUM_MLP_QUAD_H

#include <stddef.h>

#include "numerics/hessian_quad.h"
#include "numerics/mlp.h"
#include "numerics/num.h"

/* J ((n w_K) x P, row i*w_K + j = d out_ij / d theta) at theta for the rows of X (n x w_0).
 * Returns NUM_EINVAL (activation not supported, n == 0), NUM_ENOMEM. */
num_status num_mlp_jacobian_quad(const num_mlp *net, const double *theta, const double *X,
                                 size_t n, num_quad *J);

/* The eigenvalues (ascending, P of them) of G = J^T J for J from num_mlp_jacobian_quad, by
 * binary128 Jacobi (num_quad_eigh). Returns as num_mlp_jacobian_quad, or NUM_ENOCONV. */
num_status num_mlp_gram_eigs_quad(const num_mlp *net, const double *theta, const double *X,
                                  size_t n, num_quad *evals);

#endif /* NUM_MLP_QUAD_H */
