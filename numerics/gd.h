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

/* Richardson comparison of GD with the flow it discretises (max_margin, issue #12 finding 8).
 * GD is forward Euler for dw/dt = -grad L, a first-order method: at a fixed time T its
 * deviation from the flow is D(h) = a h + r(h) with |r(h)| <= C h^2. From two runs to the same
 * T with steps h and h/2:
 *   ratio = |D(h)| / |D(h/2)|            (2 at first order)
 *   q     = |D(h) - 2 D(h/2)| / |D(h)|   (the part of D(h) that Richardson extrapolation leaves:
 *                                         O(h) for a consistent method)
 * A GD whose step or gradient is off by a constant factor c != 1 (or whose time map t = 1 + h k
 * is wrong) converges as h -> 0 to the flow at another time, D(h) -> s(T) != 0, so q -> 1 and
 * ratio -> 1 however small h is. See docs/claims/max_margin.md for the threshold on q.
 *   w_flow      d: the flow at T
 *   w_gd        d: GD with step h after k steps (T = t0 + h k)
 *   w_gd_half   d: GD with step h/2 after 2k steps
 * Returns NUM_OK; NUM_EINVAL (NULL, d == 0); NUM_ENAN (non-finite input). dev == 0 gives
 * ratio and q NaN (GD equal to the flow: nothing to extrapolate). */
typedef struct {
    double dev;      /* |D(h)| */
    double dev_half; /* |D(h/2)| */
    double ratio;    /* dev / dev_half */
    double q;        /* |D(h) - 2 D(h/2)| / |D(h)| */
} num_gd_richardson;

num_status num_gd_richardson_eval(size_t d, const double *w_flow, const double *w_gd,
                                  const double *w_gd_half, num_gd_richardson *out);

#endif /* NUM_GD_H */
