/* numerics/misclass.h — the exponential loss of a linear model on data that need not be
 * separable (003 §14 "Non separable case", eqs. (61)–(63)).
 *
 * With signed examples z_n = y_n x_n (rows of Z, n x d) the loss is L(w) = sum_n exp(-z_n.w)
 * and the dynamics (61) is  dw/dt = -grad L(w) = sum_n z_n exp(-z_n.w).  Everything here works
 * on f(w) = log L(w) = logsumexp(-Z w), in the log domain, which is convex with the same
 * minimisers and the same gradient-flow paths (-grad L = -L grad f: a change of time only):
 *   p_n   = exp(-z_n.w - f(w))                 (softmax weights, sum 1, never overflow)
 *   grad f = -sum_n p_n z_n                    (= grad L / L, the normalised gradient)
 *   hess f = sum_n p_n z_n z_n^T - grad f grad f^T   (the covariance of z under p, PSD)
 * A finite minimiser exists iff there is no v != 0 with z_n.v >= 0 for every n (Stiemke's
 * lemma: iff sum_n lambda_n z_n = 0 for some lambda > 0 and, for uniqueness, the z_n span R^d).
 * On strictly separable data (some v with min_n z_n.v / ||v|| = gamma > 0) no minimiser exists
 * and ||grad f(w)|| >= v.(sum_n p_n z_n)/||v|| >= gamma for EVERY w: the normalised gradient
 * never vanishes (num_misclass_certificate computes gamma for a given v).
 *
 * No I/O, no globals; no allocation except where a function says so.
 */
#ifndef NUM_MISCLASS_H
#define NUM_MISCLASS_H

#include <stddef.h>

#include "numerics/num.h"

/* What a solver reports about its last iterate. */
typedef struct {
    size_t iters;      /* Newton or GD steps taken */
    double f;          /* log L(w) */
    double grad_norm;  /* ||grad f(w)|| = ||grad L|| / L */
    double grad_floor; /* rounding floor of grad_norm at w (num_misclass_grad_floor) */
    double w_norm;     /* ||w|| */
    int converged;     /* Newton: grad_norm <= grad_floor; GD: dist bound <= target */
    double dist_bound; /* GD: the a-posteriori bound on ||w - w*|| at the end (else 0) */
} num_misclass_stats;

/* Z = diag(y) X: z_n = y_n x_n (n x d). y must be +-1 (NUM_EINVAL otherwise). */
num_status num_misclass_signed(size_t n, size_t d, const double *X, const double *y, double *Z);

/* f(w), grad f (d, may be NULL), hess f (d x d, may be NULL) and, in p (n, may be NULL), the
 * weights p_n. work: n doubles. NUM_ENAN for non-finite input. */
num_status num_misclass_eval(size_t n, size_t d, const double *Z, const double *w, double *f,
                             double *g, double *H, double *p, double *work);

/* Rounding floor of ||grad f(w)|| (a worst-case bound, derivation in misclass.c):
 *   (2 d R ||w|| + n + 4) u S / (1 - (n + d) u),   S = sum_n p_n ||z_n||,  R = max_n ||z_n||. */
double num_misclass_grad_floor(size_t n, size_t d, const double *Z, const double *w,
                               const double *p);

/* Damped Newton on f from w (in: start, out: last iterate), at most max_iter steps, stopping
 * when ||grad f|| <= its rounding floor (converged), when the Armijo line search and the
 * gradient-norm steps can no longer make progress, or when the floor exceeds sqrt(u) times its
 * scale (the iterate has run off to ||w|| ~ 1e8 / (d R), as on separable data: unconverged). The Newton system is solved in the least-squares sense (dgelsd), so
 * a singular Hessian (data not spanning R^d) leaves the orthogonal complement of the data's span
 * untouched. Allocates O(d^2 + n) doubles. Returns NUM_OK whether or not it converged (see
 * st->converged); NUM_EINVAL, NUM_ENOMEM, NUM_ENAN on failure. */
num_status num_misclass_newton(size_t n, size_t d, const double *Z, double *w, size_t max_iter,
                               num_misclass_stats *st);

/* Gradient descent on the dynamics (61), w <- w + eta_k sum_n z_n exp(-z_n.w) with the step
 * eta_k = 1 / (L(w_k) beta), beta = max_n ||z_n||^2: that is GD on f with the fixed step
 * 1/beta, stable because hess f <= sum p z z^T <= beta I (derivation in misclass.c).
 * Runs until the a-posteriori bound on the distance to the minimiser,
 *   num_misclass_dist_bound(R, ||grad f(w)|| + its rounding floor, mu),
 * is <= target (converged), or max_steps. mu > 0 is a lower bound on the smallest eigenvalue of
 * hess f at the minimiser (from Newton). If traj != NULL, traj_cb(traj, k, w, log_t) is
 * called at steps 0, 1, 2, 4, ... (powers of two) and at the last step, with log_t the log of
 * the time of the flow (61) elapsed, t_k = sum_{j<k} eta_j (-inf at k = 0): the steps follow
 * the flow's path and t is its clock. Allocates O(n) doubles. */
typedef void (*num_misclass_traj_fn)(void *traj, size_t step, const double *w, double log_t);
num_status num_misclass_gd(size_t n, size_t d, const double *Z, double *w, size_t max_steps,
                           double mu, double target, num_misclass_traj_fn traj_cb, void *traj,
                           num_misclass_stats *st);

/* The a-posteriori distance bound used by num_misclass_gd (derivation in misclass.c): with
 * x = 2 R gnorm / mu, ||w - w*|| <= -log(1 - x) / (2 R) when x < 1, +inf otherwise. R is
 * max_n ||z_n||, gnorm = ||grad f(w)||, mu the smallest eigenvalue of hess f at w*. */
double num_misclass_dist_bound(double R, double gnorm, double mu);

/* max_n ||z_n|| */
double num_misclass_rmax(size_t n, size_t d, const double *Z);

/* min_n z_n.v / ||v||: > 0 certifies that the data are strictly separable along v, so that
 * ||grad f(w)|| >= it for every w (no finite minimiser). 0 for v = 0. */
double num_misclass_certificate(size_t n, size_t d, const double *Z, const double *v);

#endif /* NUM_MISCLASS_H */
