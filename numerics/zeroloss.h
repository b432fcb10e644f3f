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

/* Rounding floor of a zero-loss residual at theta: the last layer's inner products of length
 * N_{K-1} have error <= gamma_{N_{K-1}+1} S (Higham eq. (3.5)); errors of the K-1 hidden
 * layers reach the output through the same absolute-value bound, so
 *   tol = K (N_{K-1} + 1) eps max(S, 1),  S = num_zeroloss_output_scale.
 *   res_max  out (may be NULL): max |f(X) - Y| at theta
 * Returns the tolerance, NAN if the forward pass fails (so that `res_max <= tol` is false). */
double num_zeroloss_tol(const num_mlp *net, const double *theta, const double *X,
                        const double *Y, size_t n, num_mlp_work *w, double *res_max);

/* What num_zeroloss_gd_lm did. */
typedef struct {
    double gd_loss;  /* loss after the GD phase */
    double gd_lr;    /* the fixed GD step that was used */
    size_t lm_steps; /* accepted Levenberg–Marquardt steps of the last pass */
} num_zeroloss_path;

/* Halvings of the GD step allowed in num_zeroloss_gd_lm. */
#define NUM_ZEROLOSS_GD_HALVINGS 8

/* A zero-loss point from the initialisation theta: plain GD with a fixed step, then
 * Levenberg–Marquardt to the rounding floor (num_zeroloss_tol). The step starts at
 * 1 / sigma_max(J_0)^2, the inverse of the largest Gauss–Newton curvature at the start (stable
 * for the quadratic model, 2 / lambda_max being the limit); the curvature can grow during
 * training (progressive sharpening), so a run whose loss ends above its start or overflows is
 * repeated from the same initialisation with half the step (at most NUM_ZEROLOSS_GD_HALVINGS
 * times). Every run is plain GD with one fixed step. The tolerance depends on the output scale
 * S, which LM changes a little: it is recomputed after LM, which runs again (at most 3 passes)
 * while the residual is above it.
 *   theta  in/out: initialisation, then the point reached
 *   path   out: GD loss and step, LM steps
 * Returns NUM_OK (the residual may still be above the floor after 3 passes: check it),
 * NUM_ENOCONV (GD diverged at every step size), or the failure of a kernel. Allocates
 * n d' P + O(P) doubles. */
num_status num_zeroloss_gd_lm(const num_mlp *net, double *theta, const double *X,
                              const double *Y, size_t n, size_t gd_iters, size_t lm_iters,
                              num_mlp_work *w, num_zeroloss_path *path);

#endif /* NUM_ZEROLOSS_H */
