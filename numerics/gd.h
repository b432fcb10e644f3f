/* numerics/gd.h — full-batch gradient descent with a fixed step on linear predictors.
 *
 *     w_{k+1} = w_k - eta grad L(w_k)
 * for the exponential and logistic losses (L = sum_n l(y_n w^T x_n), losses.h) and the square
 * loss L = sum_n (y_n - w^T x_n)^2 (003 §11.1 eq. (13)). The step is chosen by the caller from
 * the smoothness at the start (Soudry et al. 2018, Thm 3: eta < 2 / beta with beta the
 * smoothness of L on the region the iterates visit):
 *   exponential  local beta = lambda_max(Hessian at w0); on the sublevel set {L <= L(w0)}
 *                the Hessian sum_n e^{-z_n} x_n x_n^T <= L(w0) X^T X, so
 *                beta_sub = lambda_max(X^T X) L(w0) bounds it along a descending run;
 *   logistic     l'' <= 1/4 everywhere: beta = lambda_max(X^T X) / 4;
 *   square       beta = 2 lambda_max(X^T X).
 *
 * Workload: up to ~10^7 iterations of two n x d dgemv each; nothing is allocated per step.
 */
#ifndef NUM_GD_H
#define NUM_GD_H

#include <stddef.h>

#include "numerics/losses.h"
#include "numerics/num.h"

/* Smoothness constants at w0 (see the file comment).
 *   beta_local  out (may be NULL): lambda_max of the Hessian of L at w0
 *   beta_global out (may be NULL): the bound valid on the iterates' region (exp: sublevel set
 *               of L(w0); logistic and square: global) */
num_status num_gd_smoothness(num_margin_loss loss, size_t n, size_t d, const double *X,
                             const double *y, const double *w0, double *beta_local,
                             double *beta_global);

/* Run gradient descent from w0 with step eta, recording iterates.
 *   kout  nout iteration counts, non-decreasing (0 records w0); the run stops at kout[nout-1]
 *   W     out: nout x d, W[j] = w_{kout[j]}
 *   logL  out (may be NULL): nout values of log L(w_{kout[j]}) (square loss: log of L)
 *   lerr  out (may be NULL): nout values of E_j = sum_{k < kout[j]} (eta^2 / 2) |H_k g_k|,
 *         H_k, g_k the Hessian and gradient at w_k. GD is the forward Euler method for the
 *         flow dw/dt = -grad L; one step differs from the exact flow over time eta by
 *         int_0^eta (grad L(w_k) - grad L(phi_u(w_k))) du, of norm <= (eta^2/2) sup |H grad L|
 *         along the step; since the flow of a convex L is non-expansive
 *         (d/dt |a - b|^2 = -2 (a - b).(grad L(a) - grad L(b)) <= 0), local errors add up
 *         without amplification: |w_k - w_flow(t0 + k eta)| <= sum of local errors. E_j uses
 *         the value at the start of each step in place of the sup (a caller's safety factor
 *         covers the difference). Costs two extra matrix-vector products per step.
 * Returns NUM_OK; NUM_EINVAL; NUM_ENAN (non-finite data, or the iterates diverge: a margin
 * below -700, an overflowing gradient or a non-finite weight, i.e. eta too large). */
num_status num_gd_run(num_margin_loss loss, size_t n, size_t d, const double *X,
                      const double *y, const double *w0, double eta, size_t nout,
                      const unsigned long *kout, double *W, double *logL, double *lerr);

#endif /* NUM_GD_H */
