/* numerics/regpath.h — the regularised solution of a linear classifier, one point of the
 * regularisation path (003 §11.2 item 3 eq. (24); Rosset, Zhu & Hastie 2004, "Margin maximizing
 * loss functions", NIPS 16, Theorem 2.1).
 *
 * With g_n = y_n x_n (rows of G, n x d) and margins m_n = g_n.w, the penalised loss
 *   sum_n l(m_n) + lambda ||w||^2,    lambda = exp(-ell),
 * is minimised in the equivalent scaled form (divided by lambda, so its values stay O(||w||^2)
 * however small lambda is: the log domain of the exponential tail)
 *   Phi(w) = sum_n exp(ell + log l(m_n)) + ||w||^2,
 *   grad Phi = sum_n exp(ell) l'(m_n) g_n + 2 w,   Hess Phi = sum_n exp(ell) l''(m_n) g_n g_n^T + 2 I,
 * for l the exponential loss exp(-m), the logistic loss log(1 + exp(-m)) or the square loss
 * (1 - m)^2 = (y_n - w.x_n)^2 (y_n = +-1). Phi is 2-strongly convex (Hess >= 2 I), so the minimiser
 * w_opt is unique and, for any w,
 *   ||w - w_opt|| <= ||grad Phi(w)|| / 2                                       (strong convexity)
 * which is the convergence certificate: the kernel stops when ||grad Phi(w)|| <= tol ||w||, so the
 * returned w has relative error ||w - w_opt|| / ||w_opt|| <= tol / (2 - tol) and the direction error
 * || w/||w|| - w_opt/||w_opt|| || <= 2 ||w - w_opt|| / ||w_opt|| <= tol / (1 - tol/2)  (reported as dir_err).
 *
 * Method: Newton's method with Armijo backtracking (Boyd & Vandenberghe, "Convex Optimization",
 * §9.5, alpha = 1/4, beta = 1/2); the Newton system by the QR factorisation of [sqrt(c2 / 2) G; I] (LAPACK dgeqrf, dtrtrs). Starting from the
 * solution at a neighbouring ell (continuation along the path) it takes a few to ~|delta ell|
 * damped steps (each full Newton step on the exponential tail moves margins by ~1).
 * A cold start (loss terms above e^20 relative to ||w||^2) first walks up the path itself.
 * Floating-point floor of the gradient (Higham, "Accuracy and Stability", §3.1, inner products):
 * |fl(grad) - grad| <= gamma_{n+d+2} (sum_n |c_n| ||g_n|| + 2 ||w||) + gamma_d sum_n c2_n ||g_n||^2 ||w||
 * (c_n = exp(ell) l'(m_n); the second term is the margins' rounding carried through l'); the
 * kernel also stops once ||grad Phi|| <= 4x this floor (no further progress is certifiable) and
 * reports the accuracy reached: dir_err and rel_err are computed from ||grad Phi|| + floor (a bound
 * on the exact gradient), so the caller judges with the accuracy actually certified.
 */
#ifndef NUM_REGPATH_H
#define NUM_REGPATH_H

#include <stddef.h>

#include "numerics/losses.h"
#include "numerics/num.h"

typedef struct num_rp_ws num_rp_ws;

/* Workspace for n samples in dimension d (NULL on failure or n, d == 0). */
num_rp_ws *num_rp_alloc(size_t n, size_t d);
void num_rp_free(num_rp_ws *ws);

typedef struct {
    size_t iters;     /* Newton iterations taken (all continuation stages) */
    double phi;       /* Phi(w) at return */
    double grad_norm; /* ||grad Phi(w)|| at return */
    double floor;     /* floating-point floor of ||grad Phi|| (see above) */
    double dir_err;   /* certified bound on || w/||w|| - w_opt/||w_opt|| || */
    double rel_err;   /* certified bound on ||w - w_opt|| / ||w_opt|| */
} num_rp_info;

/* Minimise Phi at ell (lambda = exp(-ell)) for loss `loss` and G (n x d row-major, rows
 * g_n = y_n x_n). w: in, the start (any finite vector: warm start along the path); out, the
 * minimiser. tol in (0, 1): the criterion ||grad Phi(w)|| <= max(tol ||w||, 4 floor). max_iter >= 1.
 * Returns NUM_OK (info->dir_err: the certified accuracy); NUM_ENOCONV if the criterion is not met
 * within max_iter iterations (w and info hold the last iterate); NUM_EINVAL (sizes, NULL,
 * tol, ell > 700 for the square loss where exp(ell) overflows, |ell| > 1e8 otherwise);
 * NUM_ENAN (non-finite data or iterate); NUM_ELAPACK. */
num_status num_rp_solve(num_rp_ws *ws, num_margin_loss loss, const double *G, double ell,
                        double tol, size_t max_iter, double *w, num_rp_info *info);

/* Phi(w) and grad Phi(w) (grad may be NULL) at ell, for tests. */
num_status num_rp_objective(num_rp_ws *ws, num_margin_loss loss, const double *G, double ell,
                            const double *w, double *phi, double *grad);

#endif /* NUM_REGPATH_H */
