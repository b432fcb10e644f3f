/* numerics/zeroloss.h — zero-loss points of the square loss of a fully connected network.
 *
 * For an overparametrised network (numerics/mlp.h) and data X (n x N_0), Y (n x d'), points
 * theta with f(theta; X) = Y to machine precision (003 §12.1 Theorem 4 needs L(w*) = 0):
 *   - random hidden layers and the exact minimum-norm least-squares output layer
 *     (LAPACKE dgelsd): exact as soon as the last hidden representation H_{K-1} (n x N_{K-1})
 *     has rank n, generically when N_{K-1} >= n;
 *   - plain gradient descent on 1/2 ||f(X) - Y||_F^2, then
 *   - Levenberg–Marquardt on the residual r(theta) = vec(f(X) - Y) (n d' equations, P > n d'
 *     unknowns): the step d = -J^T (J J^T + mu I)^{-1} r is the minimum-norm regularised
 *     Gauss–Newton step; as mu -> 0 it becomes -J^+ r, which converges quadratically to a
 *     zero-residual point when J has full row rank (Nocedal & Wright, 2nd ed., §10.3;
 *     Yamashita & Fukushima 2001 for the underdetermined case).
 *
 * Workload: one call per zero-loss point; J is n d' x P (a few hundred rows, <= a few
 * thousand columns). The functions allocate their O(n d' P) scratch per call.
 */
#ifndef NUM_ZEROLOSS_H
#define NUM_ZEROLOSS_H

#include <stddef.h>

#include "numerics/mlp.h"
#include "numerics/num.h"

typedef struct {
    size_t iters;   /* accepted LM steps */
    size_t jacobians; /* Jacobian evaluations */
    double loss;    /* final 1/2 ||r||_2^2 */
    double res_max; /* final max_i |r_i| */
} num_zeroloss_stats;

/* Forward pass at theta and the residual r = f(X) - Y (n x d', may be NULL).
 *   res_max, loss  out (may be NULL): max |r_i| and 1/2 ||r||^2 */
num_status num_zeroloss_residual(const num_mlp *net, const double *theta, const double *X,
                                 const double *Y, size_t n, num_mlp_work *w, double *r,
                                 double *res_max, double *loss);

/* The scale of the output computation after a forward pass of n rows:
 *   S = max_{s,i} ( sum_j |H_{K-1}[s,j]| |W_K[i,j]| + |b_K[i]| ),
 * the absolute-value forward pass of the last layer. Rounding in the output is bounded by
 * gamma_{N_{K-1}+1} S (Higham, Accuracy and Stability, 2nd ed., §3.1, eq. (3.5)), which is
 * the floor a zero-loss residual can reach. */
double num_zeroloss_output_scale(const num_mlp *net, const double *theta,
                                 const num_mlp_work *w, size_t n);

/* Replace the output layer (W_K, and b_K if the net has biases) by the minimum-norm
 * least-squares fit of Y from the last hidden representation at theta (dgelsd, singular
 * values below max(n, N_{K-1}) eps s_max dropped).
 *   rank  out (may be NULL): numerical rank of [H_{K-1}, 1]; zero loss needs rank n.
 * Returns NUM_EINVAL, NUM_ENAN, NUM_ENOMEM, NUM_ELAPACK. */
num_status num_zeroloss_lstsq_output(const num_mlp *net, double *theta, const double *X,
                                     const double *Y, size_t n, num_mlp_work *w,
                                     size_t *rank);

/* `iters` steps of plain gradient descent theta -= lr grad(1/2 ||f(X) - Y||^2).
 *   loss  out (may be NULL): the loss at the final theta
 * Returns NUM_ENAN if the iteration diverges. */
num_status num_zeroloss_gd(const num_mlp *net, double *theta, const double *X, const double *Y,
                           size_t n, double lr, size_t iters, num_mlp_work *w, double *loss);

/* Levenberg–Marquardt on r(theta) until max |r_i| <= res_tol. mu starts at
 * 1e-3 max diag(J J^T), is divided by 10 after an accepted step (loss decreased) and
 * multiplied by 10 after a rejected one.
 *   st  out (may be NULL): iterations and final residual
 * Returns NUM_OK when max |r| <= res_tol; NUM_ENOCONV after max_iter Jacobians or 40
 * consecutive rejected steps (rounding floor reached above res_tol). */
num_status num_zeroloss_lm(const num_mlp *net, double *theta, const double *X, const double *Y,
                           size_t n, double res_tol, size_t max_iter, num_mlp_work *w,
                           num_zeroloss_stats *st);

#endif /* NUM_ZEROLOSS_H */
