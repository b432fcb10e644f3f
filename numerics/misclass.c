/* numerics/misclass.c — exponential loss on possibly non-separable data (see misclass.h). */
#include "numerics/misclass.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/linalg.h"
#include "numerics/losses.h"

num_status num_misclass_signed(size_t n, size_t d, const double *X, const double *y, double *Z)
{
    if (!n || !d || !X || !y || !Z)
        return NUM_ERROR(NUM_EINVAL, "n, d >= 1 and non-NULL X, y, Z required");
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 1.0 && y[i] != -1.0)
            return NUM_ERROR(NUM_EINVAL, "labels must be +-1");
        for (size_t j = 0; j < d; j++)
            Z[i * d + j] = y[i] * X[i * d + j];
    }
    return NUM_OK;
}

double num_misclass_rmax(size_t n, size_t d, const double *Z)
{
    double r = 0;
    for (size_t i = 0; i < n; i++)
        r = fmax(r, cblas_dnrm2((int)d, Z + i * d, 1));
    return r;
}

/* a = -Z w, f = logsumexp(a), p = exp(a - f). Returns f (NaN if non-finite). */
static double weights(size_t n, size_t d, const double *Z, const double *w, double *p)
{
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, -1.0, Z, (int)d, w, 1, 0.0, p, 1);
    double f = num_logsumexp(n, p);
    for (size_t i = 0; i < n; i++)
        p[i] = exp(p[i] - f);
    return f;
}

num_status num_misclass_eval(size_t n, size_t d, const double *Z, const double *w, double *f,
                             double *g, double *H, double *p, double *work)
{
    if (!n || !d || !Z || !w || !work)
        return NUM_ERROR(NUM_EINVAL, "n, d >= 1 and non-NULL Z, w, work required");
    double fv = weights(n, d, Z, w, work);
    if (!isfinite(fv))
        return NUM_ERROR(NUM_ENAN, "log L(w) is not finite (non-finite Z or w)");
    if (f)
        *f = fv;
    if (p)
        memcpy(p, work, n * sizeof *p);
    double *gg = g;
    if (H && !g)
        return NUM_ERROR(NUM_EINVAL, "the Hessian needs the gradient buffer g");
    if (gg) /* grad f = -Z^T p */
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, -1.0, Z, (int)d, work, 1, 0.0,
                    gg, 1);
    if (H) { /* sum_n p_n z_n z_n^T - g g^T, upper triangle by rank-1 updates, then mirrored */
        memset(H, 0, d * d * sizeof *H);
        for (size_t i = 0; i < n; i++)
            cblas_dsyr(CblasRowMajor, CblasUpper, (int)d, work[i], Z + i * d, 1, H, (int)d);
        cblas_dsyr(CblasRowMajor, CblasUpper, (int)d, -1.0, gg, 1, H, (int)d);
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < i; j++)
                H[i * d + j] = H[j * d + i];
    }
    return NUM_OK;
}

/* Rounding floor of ||grad f(w)|| (Higham, Accuracy and Stability, 2nd ed., §3.1: an inner
 * product of length m has absolute error <= gamma_m sum |terms|, gamma_m = m u / (1 - m u)):
 *  - a_n = -z_n.w: |error| <= gamma_d ||z_n|| ||w|| <= gamma_d R ||w|| (Cauchy-Schwarz);
 *  - f = logsumexp(a): error <= max_n |error of a_n| + 2u (a shifted sum of positive terms);
 *  - p_n = exp(a_n - f): relative error <= |err a_n| + |err f| + 2u <= 2 gamma_d R ||w|| + 4u;
 *  - g = -sum_n p_n z_n: each coordinate a sum of n terms, error <= gamma_n sum_n p_n |z_nj|,
 *    in norm <= gamma_n S with S = sum_n p_n ||z_n||; the p_n errors add (2 gamma_d R||w|| +
 *    4u) S.
 * Together (2 d R ||w|| + n + 4) u S / (1 - (n + d) u): the computed gradient cannot be
 * trusted below this, so a minimiser is "found" when ||g|| is at or under it. */
double num_misclass_grad_floor(size_t n, size_t d, const double *Z, const double *w,
                               const double *p)
{
    const double u = DBL_EPSILON / 2;
    double R = num_misclass_rmax(n, d, Z), S = 0, wn = cblas_dnrm2((int)d, w, 1);
    for (size_t i = 0; i < n; i++)
        S += p[i] * cblas_dnrm2((int)d, Z + i * d, 1);
    return (2.0 * (double)d * R * wn + (double)n + 4.0) * u * S / (1.0 - (double)(n + d) * u);
}

/* Derivation of the bound. Let w* minimise f, mu = lambda_min(hess f(w*)) > 0, and w = w* +
 * rho e (||e|| = 1). Along the segment, p_n(w* + s e) / p_n(w*) = exp(-s z_n.e) L(w*) / L(w* +
 * s e) lies in [exp(-2 R s), exp(2 R s)], and hess f = min_c sum_n p_n (z_n - c)(z_n - c)^T
 * (a covariance), so hess f(w* + s e) >= exp(-2 R s) mu. Hence
 *   ||grad f(w)|| >= e.grad f(w) = int_0^rho e^T hess f(w* + s e) e ds
 *                 >= mu (1 - exp(-2 R rho)) / (2 R),
 * and when x = 2 R ||grad f(w)|| / mu < 1 this gives rho <= -log(1 - x) / (2 R) (~ ||g|| / mu
 * for small x). */
double num_misclass_dist_bound(double R, double gnorm, double mu)
{
    if (!(mu > 0) || !(R > 0))
        return INFINITY;
    double x = 2.0 * R * gnorm / mu;
    return x < 1.0 ? -log1p(-x) / (2.0 * R) : INFINITY;
}

double num_misclass_certificate(size_t n, size_t d, const double *Z, const double *v)
{
    double vn = cblas_dnrm2((int)d, v, 1), m = INFINITY;
    if (!(vn > 0))
        return 0.0;
    for (size_t i = 0; i < n; i++)
        m = fmin(m, cblas_ddot((int)d, Z + i * d, 1, v, 1) / vn);
    return m;
}

typedef struct {
    double *g, *H, *p, *work, *dir, *trial;
} newton_ws;

/* Armijo backtracking along dir from w: w <- w + t dir with f(w + t dir) <= f + t gd / 4.
 * The test is only meaningful while the decrease it asks for, t |gd| / 4, exceeds the rounding
 * of f (8 u (1 + |f|): logsumexp of a sum of positive terms, a few roundings); below that a
 * step that changes nothing would pass. Returns 0 when no such step decreases f. */
static int line_search(size_t n, size_t d, const double *Z, double *w, double *f, double gd,
                       newton_ws *ws)
{
    const double fround = 8.0 * (DBL_EPSILON / 2) * (1.0 + fabs(*f));
    for (double t = 1.0; 0.25 * t * fabs(gd) > fround; t *= 0.5) {
        for (size_t j = 0; j < d; j++)
            ws->trial[j] = w[j] + t * ws->dir[j];
        double ft = weights(n, d, Z, ws->trial, ws->work);
        if (isfinite(ft) && ft <= *f + 0.25 * t * gd) {
            memcpy(w, ws->trial, d * sizeof *w);
            *f = ft;
            return 1;
        }
    }
    return 0;
}

/* Near the minimiser the decrease of f, |g.dir| ~ ||g||^2 / mu, falls below the rounding of f
 * itself long before ||g|| reaches its floor, and Armijo's test can no longer see it. There
 * the step t dir (t = 1, 1/2, ..., 2^-10) is taken that first decreases the gradient's norm
 * (f is convex: along the Newton direction ||grad f|| falls near the minimiser). Returns 0 if
 * none does. */
static int norm_step(size_t n, size_t d, const double *Z, double *w, double gnorm,
                     newton_ws *ws)
{
    double *gt = ws->trial + d; /* d spare doubles after trial */
    for (double t = 1.0; t >= 0x1p-10; t *= 0.5) {
        for (size_t j = 0; j < d; j++)
            ws->trial[j] = w[j] + t * ws->dir[j];
        if (num_misclass_eval(n, d, Z, ws->trial, NULL, gt, NULL, NULL, ws->work) == NUM_OK &&
            cblas_dnrm2((int)d, gt, 1) < gnorm) {
            memcpy(w, ws->trial, d * sizeof *w);
            return 1;
        }
    }
    return 0;
}

static num_status newton_loop(size_t n, size_t d, const double *Z, double *w, size_t max_iter,
                              newton_ws *ws, num_misclass_stats *st)
{
    /* the Newton system H dir = -g in the least-squares sense: dgelsd with the usual rank
     * tolerance 10 d eps (a singular direction of H is one the data do not reach) */
    const double rcond = 10.0 * (double)d * DBL_EPSILON;
    double f;
    for (st->iters = 0;; st->iters++) {
        num_status s = num_misclass_eval(n, d, Z, w, &f, ws->g, ws->H, ws->p, ws->work);
        if (s != NUM_OK)
            return s;
        st->f = f;
        st->grad_norm = cblas_dnrm2((int)d, ws->g, 1);
        st->grad_floor = num_misclass_grad_floor(n, d, Z, w, ws->p);
        /* The floor relative to its scale S is (2 d R ||w|| + n + 4) u: once it exceeds
         * sqrt(u) (||w|| beyond ~1e8 / (d R)), the gradient is resolved to fewer than half the
         * digits and a small ||grad f|| means nothing: the iterate has run off (separable data
         * do that), and the search stops unconverged. */
        double rel = (2.0 * (double)d * num_misclass_rmax(n, d, Z) * cblas_dnrm2((int)d, w, 1) +
                      (double)n + 4.0) * (DBL_EPSILON / 2);
        if (rel > sqrt(DBL_EPSILON / 2))
            break;
        st->converged = st->grad_norm <= st->grad_floor;
        if (st->converged || st->iters >= max_iter)
            break;
        for (size_t j = 0; j < d; j++)
            ws->g[j] = -ws->g[j];
        s = num_linalg_lstsq(d, d, 1, ws->H, ws->g, rcond, ws->dir, NULL);
        if (s != NUM_OK)
            return s;
        double gd = -cblas_ddot((int)d, ws->g, 1, ws->dir, 1); /* g was negated */
        if (!(gd < 0))
            break; /* no descent direction left at this precision */
        if (!line_search(n, d, Z, w, &f, gd, ws) && !norm_step(n, d, Z, w, st->grad_norm, ws))
            break;
    }
    st->w_norm = cblas_dnrm2((int)d, w, 1);
    return NUM_OK;
}

num_status num_misclass_newton(size_t n, size_t d, const double *Z, double *w, size_t max_iter,
                               num_misclass_stats *st)
{
    if (!n || !d || !Z || !w || !st)
        return NUM_ERROR(NUM_EINVAL, "n, d >= 1 and non-NULL Z, w, st required");
    memset(st, 0, sizeof *st);
    double *buf = malloc((d * d + 4 * d + 2 * n) * sizeof *buf);
    if (!buf)
        return NUM_ERROR(NUM_ENOMEM, "Newton workspace");
    newton_ws ws = {.H = buf, .g = buf + d * d, .dir = buf + d * d + d,
                    .trial = buf + d * d + 2 * d, .p = buf + d * d + 4 * d,
                    .work = buf + d * d + 4 * d + n};
    num_status s = newton_loop(n, d, Z, w, max_iter, &ws, st);
    free(buf);
    return s;
}

static int is_log_step(size_t k) { return k == 0 || (k & (k - 1)) == 0; }

/* Stability of the step: hess f = sum p z z^T - g g^T <= sum_n p_n ||z_n||^2 I <= beta I, so f
 * is beta-smooth on all of R^d and GD with step 1/beta decreases f at every step (descent
 * lemma); near w* it contracts at the rate 1 - mu/beta. */
num_status num_misclass_gd(size_t n, size_t d, const double *Z, double *w, size_t max_steps,
                           double mu, double target, num_misclass_traj_fn traj_cb, void *traj,
                           num_misclass_stats *st)
{
    if (!n || !d || !Z || !w || !st || !(mu > 0) || !(target > 0))
        return NUM_ERROR(NUM_EINVAL, "n, d >= 1, mu > 0, target > 0 and non-NULL Z, w, st");
    memset(st, 0, sizeof *st);
    double *buf = malloc((2 * n + d) * sizeof *buf), f = 0;
    if (!buf)
        return NUM_ERROR(NUM_ENOMEM, "GD workspace");
    double *p = buf, *work = buf + n, *g = buf + 2 * n, R = num_misclass_rmax(n, d, Z);
    double eta = 1.0 / (R * R), log_t = -INFINITY;
    num_status s = NUM_OK;
    for (size_t k = 0;; k++) {
        s = num_misclass_eval(n, d, Z, w, &f, g, NULL, p, work);
        if (s != NUM_OK)
            break;
        st->iters = k, st->f = f, st->grad_norm = cblas_dnrm2((int)d, g, 1);
        st->dist_bound = num_misclass_dist_bound(R, st->grad_norm, mu);
        if (st->dist_bound <= target) { /* the computed norm may be low by its rounding floor */
            st->grad_floor = num_misclass_grad_floor(n, d, Z, w, p);
            st->dist_bound = num_misclass_dist_bound(R, st->grad_norm + st->grad_floor, mu);
        }
        st->converged = st->dist_bound <= target;
        int last = st->converged || k >= max_steps;
        if (traj_cb && (is_log_step(k) || last))
            traj_cb(traj, k, w, log_t);
        if (last)
            break;
        cblas_daxpy((int)d, -eta, g, 1, w, 1);
        /* the step on L is eta / L(w_k): t += exp(-f - 2 log R), accumulated in logs */
        double a = -f - 2.0 * log(R), hi = fmax(log_t, a);
        log_t = hi + log1p(exp(fmin(log_t, a) - hi));
    }
    if (s == NUM_OK) {
        st->grad_floor = num_misclass_grad_floor(n, d, Z, w, p);
        st->w_norm = cblas_dnrm2((int)d, w, 1);
    }
    free(buf);
    return s;
}
