/* numerics/hessian.h — exact Hessian of the training loss of a fully connected network.
 *
 * The loss of a network f (numerics/mlp.h, K layers, widths N_0 .. N_K, d' = N_K outputs) on n
 * samples X (n x N_0), with targets Y (n x d'):
 *   square       L = 1/2 sum_{s,i} (f_i(x_s) - Y_si)^2            (003 §12.1 Theorem 4)
 *   exponential  L = sum_s exp(-Y_s f(x_s)),  d' = 1, Y_s = +-1    (003 §12.2 eq. (30))
 * plus, optionally, weight decay sum_k lambda_k ||W_k||_F^2 (003 eq. (29); biases are not
 * penalised), whose Hessian is 2 lambda_k I on the block of W_k.
 *
 * Hessian-vector products are exact: Pearlmutter's R-operator (Pearlmutter 1994, "Fast exact
 * multiplication by the Hessian", Neural Computation 6(1), §4), i.e. forward-mode
 * differentiation of back-propagation. With R{.} = d/dt (.)(theta + t v)|_{t=0}, V_k, c_k the
 * parts of v belonging to W_k, b_k, and D_k = sigma'(Z_k), S_k = sigma''(Z_k):
 *   forward    R{Z_k} = R{H_{k-1}} W_k^T + H_{k-1} V_k^T + 1 c_k^T,  R{H_k} = D_k . R{Z_k}
 *   backward   G_K = l'(out),  R{G_K} = l''(out) . R{Z_K}
 *              R{dW_k} = R{G_k}^T H_{k-1} + G_k^T R{H_{k-1}} + 2 lambda_k V_k
 *              R{db_k} = 1^T R{G_k}
 *              R{G_{k-1}} = D_{k-1} . (R{G_k} W_k + G_k V_k) + S_{k-1} . R{Z_{k-1}} . (G_k W_k)
 * where G_k = dL/dZ_k. A block of B directions is processed at once: every R-quantity of
 * layer k is stored as an n x (B N_k) matrix (sample, direction, unit), so each term above is
 * ONE dgemm over all samples and all B directions.
 *
 * Cost model: one block costs 2 n B sum_k t_k N_k N_{k-1} flops with t_1 = 2, t_k = 6 for
 * k >= 2 (dgemm terms per layer), i.e. at most 12 n B P; the full P x P Hessian (P/B blocks
 * of unit vectors) costs at most 12 n P^2 flops, O(n P^2), and memory P^2 doubles plus
 * O(n B sum_k N_k) for the R-quantities.
 *
 * Usage:
 *   num_hess_work *hw = num_hessian_work_alloc(net, n, 64);
 *   num_hessian_prepare(hw, theta, X, Y, n, &opts, &loss, grad);   // forward + backward
 *   num_hessian_hvp(hw, nb, V, HV);                                  // any number of times
 *   num_hessian_full(hw, theta, X, Y, n, &opts, 0, P, H, &asym);    // or the whole matrix
 * The workspace keeps pointers to theta, X and Y between prepare and hvp: do not change them.
 */
#ifndef NUM_HESSIAN_H
#define NUM_HESSIAN_H

#include <stddef.h>

#include "numerics/mlp.h"
#include "numerics/num.h"

typedef enum {
    NUM_HESS_SQUARE = 0, /* 1/2 ||f(X) - Y||_F^2 */
    NUM_HESS_EXP         /* sum_s exp(-y_s f(x_s)), one output */
} num_hess_loss;

typedef struct {
    num_hess_loss loss;
    const double *decay; /* NULL, or K penalties lambda_k >= 0 on ||W_k||_F^2 (layer order) */
    double exp_shift;    /* EXP only: the data term of the loss (and of its gradient and
                          * Hessian) is multiplied by exp(exp_shift), i.e. the sample weights
                          * are exp(-y_s f_s + exp_shift); the decay term is not scaled.
                          * Pass the smallest margin to keep large-margin Hessians in range
                          * (log domain). 0 = the plain loss. */
} num_hess_opts;

typedef struct num_hess_work num_hess_work;

/* Workspace for at most n samples and blocks of at most `block` directions (block >= 1).
 * Memory: ~ (2 n block + 3 n) sum_k N_k + 3 block max_k N_k N_{k-1} doubles. */
num_hess_work *num_hessian_work_alloc(const num_mlp *net, size_t n, size_t block);
void num_hessian_work_free(num_hess_work *hw);

/* Forward and backward pass at theta for n samples (n <= capacity); keeps what the
 * Hessian-vector products need.
 *   loss  out (may be NULL): the loss (times exp(exp_shift) for EXP), decay included
 *   grad  out (may be NULL): its gradient, P entries
 * Returns NUM_EINVAL (bad argument, EXP with more than one output), NUM_ENAN (non-finite
 * activations, or an exponential weight that overflows: raise exp_shift). */
num_status num_hessian_prepare(num_hess_work *hw, const double *theta, const double *X,
                               const double *Y, size_t n, const num_hess_opts *opts,
                               double *loss, double *grad);

/* HV = H V for nb <= block directions after num_hessian_prepare. V and HV are nb x P,
 * row-major (one direction per row); they must not overlap. */
num_status num_hessian_hvp(num_hess_work *hw, size_t nb, const double *V, double *HV);

/* The block of the Hessian with rows and columns p0 <= p < p1 (p1 - p0 = m), assembled from
 * exact Hessian-vector products with unit vectors, m x m row-major, then symmetrised.
 *   asym  out (may be NULL): max_ij |H_ij - H_ji| / max_ij |H_ij| before symmetrisation
 *         (a rounding-level diagnostic of the assembly; 0 for a zero matrix)
 * (p0, p1) = (0, P) gives the full Hessian; a layer's block is (off_w[k], off_w[k+1]). */
num_status num_hessian_full(num_hess_work *hw, const double *theta, const double *X,
                            const double *Y, size_t n, const num_hess_opts *opts, size_t p0,
                            size_t p1, double *H, double *asym);

/* Floating-point operations of num_hessian_full over all P directions (the dgemm terms of the
 * cost model above; the O(n B sum_k N_k) element-wise work is not counted). */
double num_hessian_flops(const num_mlp *net, size_t n);

/* Damped Newton minimisation of the loss of `opts` with the exact Hessian (a
 * Levenberg–Marquardt-regularised Newton method): the step solves (H + mu I) d = -g by
 * Cholesky (a failed factorisation, H + mu I not positive definite, counts as a rejection);
 * with rho = actual / predicted decrease of the quadratic model, a step is accepted if
 * rho > 0 and then mu *= max(1/3, 1 - (2 rho - 1)^3), else mu *= nu, nu *= 2 (Nielsen 1999,
 * "Damping parameter in Marquardt's method", IMM-REP-1999-05, eq. (2.6); Nocedal & Wright
 * 2nd ed. §4.1). mu starts at 1e-3 max_i |H_ii|. At the rounding floor of the loss (change
 * within 8 eps |L|) a step is accepted if it reduces ||grad||. Stops when ||grad||_2 <= gtol.
 *   theta   in/out: start, then the final point
 *   iters   out (may be NULL): Hessian assemblies (Newton iterations)
 *   gnorm   out (may be NULL): final ||grad||_2
 * Returns NUM_OK on ||grad|| <= gtol, NUM_ENOCONV if max_iter is reached or 40 consecutive
 * steps are rejected, NUM_ENAN/NUM_ENOMEM/NUM_ELAPACK on failures. Allocates 2 P^2 + O(P).
 * The workspace is left prepared at an unspecified point. */
num_status num_hessian_minimise(num_hess_work *hw, double *theta, const double *X,
                                const double *Y, size_t n, const num_hess_opts *opts,
                                double gtol, size_t max_iter, size_t *iters, double *gnorm);

/* A step out of a saddle of the loss of `opts` (compare Nocedal & Wright 2nd ed. §4.3, "the
 * hard case": a direction of negative curvature). At a stationary point theta whose smallest
 * Hessian eigenvalue lambda_min is negative, along its unit eigenvector v
 *   L(theta + a v) = L(theta) + a^2 lambda_min / 2 + O(a^3) < L(theta)
 * for small a: of the signed steps +-a, a = 1, 1/2, 1/4, ... (at most `halvings` values of a),
 * the largest a at which a sign decreases L is taken (the sign with the lower loss if both do).
 *   theta  in/out: the stationary point, then the point after the step (unchanged on failure)
 * Returns NUM_OK after a step, NUM_ENOCONV if lambda_min >= 0 or no step decreases the loss,
 * or the failure of a kernel. Allocates 2 P^2 + O(P) doubles; the workspace is left prepared at
 * an unspecified point. */
num_status num_hessian_saddle_step(num_hess_work *hw, double *theta, const double *X,
                                   const double *Y, size_t n, const num_hess_opts *opts,
                                   int halvings);

#endif /* NUM_HESSIAN_H */
