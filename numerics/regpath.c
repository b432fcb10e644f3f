/* numerics/regpath.c — one point of the regularisation path by damped Newton (see regpath.h). */
#include "numerics/regpath.h"

#include <float.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

/* Armijo backtracking constants (Boyd & Vandenberghe §9.2: alpha in (0, 1/2), beta in (0, 1)). */
#define RP_ALPHA 0.25
#define RP_BETA 0.5
/* Continuation: the Newton matrix 2 I + sum c2_n g_n g_n^T has condition ~ max c2_n, and its
 * rounding (~eps max c2) pollutes the directions where only 2 I acts. A start whose loss terms
 * exceed e^RP_JUMP (1e-16 * e^20 ~ 5e-8 relative pollution) is first solved on intermediate
 * ell, RP_JUMP / 2 apart, each to RP_STAGE_TOL. */
#define RP_JUMP 20.0
#define RP_STAGE_TOL 1e-6
#define RP_MAX_HALVINGS 80 /* 2^-80 ~ 1e-24: a step this short changes nothing in double */

struct num_rp_ws {
    size_t n, d;
    double *m, *c1, *c2; /* n: margins, exp(ell) l'(m), exp(ell) l''(m) */
    double *Gs;          /* (n + d) x d: [rows sqrt(c2_n / 2) g_n; I], then its QR */
    double *H;           /* d: Householder scalars (d x d allocated) */
    double *grad, *step, *trial; /* d */
};

num_rp_ws *num_rp_alloc(size_t n, size_t d)
{
    if (n == 0 || d == 0 || n + d > SIZE_MAX / d / sizeof(double))
        return NULL;
    num_rp_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->n = n;
    ws->d = d;
    ws->m = malloc(n * sizeof(double));
    ws->c1 = malloc(n * sizeof(double));
    ws->c2 = malloc(n * sizeof(double));
    ws->Gs = malloc((n + d) * d * sizeof(double));
    ws->H = malloc(d * d * sizeof(double));
    ws->grad = malloc(d * sizeof(double));
    ws->step = malloc(d * sizeof(double));
    ws->trial = malloc(d * sizeof(double));
    if (!ws->m || !ws->c1 || !ws->c2 || !ws->Gs || !ws->H || !ws->grad || !ws->step ||
        !ws->trial) {
        num_rp_free(ws);
        return NULL;
    }
    return ws;
}

void num_rp_free(num_rp_ws *ws)
{
    if (!ws)
        return;
    free(ws->m);
    free(ws->c1);
    free(ws->c2);
    free(ws->Gs);
    free(ws->H);
    free(ws->grad);
    free(ws->step);
    free(ws->trial);
    free(ws);
}

/* exp(ell) l(m): the exponential tail in the log domain, exp(ell + log l(m)). */
static double scaled_loss(num_margin_loss loss, double ell, double m)
{
    if (loss == NUM_LOSS_SQUARE)
        return exp(ell) * (1.0 - m) * (1.0 - m);
    return exp(ell + num_loss_log_ell(loss, m));
}

/* c1 = exp(ell) l'(m) and c2 = exp(ell) l''(m). */
static void scaled_derivs(num_margin_loss loss, double ell, double m, double *c1, double *c2)
{
    if (loss == NUM_LOSS_SQUARE) {
        *c1 = -2.0 * exp(ell) * (1.0 - m);
        *c2 = 2.0 * exp(ell);
    } else if (loss == NUM_LOSS_EXP) {
        *c1 = -exp(ell - m);
        *c2 = exp(ell - m);
    } else {
        *c1 = -exp(ell + num_loss_log_neg_dell(loss, m));
        *c2 = exp(ell - num_softplus(m) - num_softplus(-m));
    }
}

/* Phi at w (margins into ws->m); +inf when a term overflows (the line search backs off). */
static double phi_at(num_rp_ws *ws, num_margin_loss loss, const double *G, double ell,
                     const double *w)
{
    size_t n = ws->n, d = ws->d;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, 1.0, G, (int)d, w, 1, 0.0, ws->m, 1);
    double phi = cblas_ddot((int)d, w, 1, w, 1);
    for (size_t i = 0; i < n; i++)
        phi += scaled_loss(loss, ell, ws->m[i]);
    return phi;
}

/* Gradient at the point whose margins are in ws->m; returns the floating-point floor: the
 * summation error gamma_(n+d+2) (sum |c1_n| |g_n| + 2 |w|) plus the error that the margins'
 * own rounding (|dm_n| <= gamma_d |g_n| |w|) carries into c1_n (|dc1/dm| = c2), i.e.
 * sum c2_n gamma_d |g_n|^2 |w|: for the exponential tail it grows like the margins, ~ell. */
static double grad_at(num_rp_ws *ws, num_margin_loss loss, const double *G, double ell,
                      const double *w)
{
    size_t n = ws->n, d = ws->d;
    double wn = cblas_dnrm2((int)d, w, 1), mag = 2.0 * wn, marg = 0.0;
    for (size_t i = 0; i < n; i++) {
        double gn = cblas_dnrm2((int)d, G + i * d, 1);
        scaled_derivs(loss, ell, ws->m[i], &ws->c1[i], &ws->c2[i]);
        mag += fabs(ws->c1[i]) * gn;
        marg += ws->c2[i] * gn * gn * wn;
    }
    memcpy(ws->grad, w, d * sizeof(double));
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, 1.0, G, (int)d, ws->c1, 1, 2.0,
                ws->grad, 1);
    double k = (double)(n + d + 2) * DBL_EPSILON / 2.0, kd = (double)d * DBL_EPSILON / 2.0;
    return k / (1.0 - k) * mag + kd / (1.0 - kd) * marg; /* gamma_k, u = eps/2 */
}

static int finite_vec(size_t n, const double *x)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

/* Newton direction: (2 I + sum c2_n g_n g_n^T) step = -grad. With B the rows sqrt(c2_n / 2) g_n
 * the matrix is 2 (I + B^T B) = 2 R^T R, R from the QR factorisation of the stacked [B; I]
 * ((n + d) x d, full column rank through I): no breakdown when c2 spans many decades (a Cholesky
 * of the formed matrix loses the 2 I next to exp(ell) g g^T and fails). */
static num_status newton_step(num_rp_ws *ws, const double *G)
{
    size_t n = ws->n, d = ws->d;
    double *A = ws->Gs; /* (n + d) x d */
    for (size_t i = 0; i < n; i++) {
        double s = sqrt(ws->c2[i] / 2.0);
        for (size_t j = 0; j < d; j++)
            A[i * d + j] = s * G[i * d + j];
    }
    memset(A + n * d, 0, d * d * sizeof(double));
    for (size_t j = 0; j < d; j++) {
        A[(n + j) * d + j] = 1.0;
        ws->step[j] = -ws->grad[j] / 2.0;
    }
    if (!finite_vec(n * d, A))
        return NUM_ERROR(NUM_ENAN, "Newton system not finite (a margin term overflowed)");
    lapack_int m = (lapack_int)(n + d), dd = (lapack_int)d;
    if (LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, m, dd, A, dd, ws->H) != 0 ||
        LAPACKE_dtrtrs(LAPACK_ROW_MAJOR, 'U', 'T', 'N', dd, 1, A, dd, ws->step, 1) != 0 ||
        LAPACKE_dtrtrs(LAPACK_ROW_MAJOR, 'U', 'N', 'N', dd, 1, A, dd, ws->step, 1) != 0)
        return NUM_ERROR(NUM_ELAPACK, "QR solve of the Newton system failed");
    return NUM_OK;
}

/* Armijo backtracking from w along ws->step; updates w and *phi. Returns 0 if no decrease. */
static int line_search(num_rp_ws *ws, num_margin_loss loss, const double *G, double ell,
                       double *w, double *phi)
{
    size_t d = ws->d;
    double slope = cblas_ddot((int)d, ws->grad, 1, ws->step, 1); /* < 0: H is positive definite */
    double t = 1.0;
    /* Below the rounding of Phi (~(n + d) eps |Phi|) the Armijo test compares noise: a predicted
     * decrease -slope / 2 that small means the quadratic-convergence region of Newton (Boyd &
     * Vandenberghe §9.5.3, lambda^2 -> 0), where the full step is taken. */
    if (-slope <= 4.0 * (double)(ws->n + d) * DBL_EPSILON * fabs(*phi)) {
        for (size_t j = 0; j < d; j++)
            w[j] += ws->step[j];
        *phi = phi_at(ws, loss, G, ell, w);
        return 1;
    }
    for (int k = 0; k < RP_MAX_HALVINGS; k++, t *= RP_BETA) {
        for (size_t j = 0; j < d; j++)
            ws->trial[j] = w[j] + t * ws->step[j];
        double p = phi_at(ws, loss, G, ell, ws->trial);
        if (p <= *phi + RP_ALPHA * t * slope) {
            memcpy(w, ws->trial, d * sizeof(double));
            *phi = p;
            return 1;
        }
    }
    return 0;
}

static void fill_info(num_rp_info *info, size_t it, double phi, double gn, double floor,
                      double wn)
{
    info->iters = it;
    info->phi = phi;
    info->grad_norm = gn;
    info->floor = floor;
    /* ||w - w_opt|| <= |true gradient| / 2 <= (gn + floor) / 2 (2-strong convexity),
     * ||w_opt|| >= ||w|| - that */
    double e = (gn + floor) / 2.0, den = wn - e;
    info->rel_err = den > 0.0 ? e / den : INFINITY;
    info->dir_err = 2.0 * info->rel_err;
}

/* The square loss multiplies by exp(ell) itself (finite up to ell ~ 709); the margin losses only
 * ever form exp(ell + log l(m)) with m ~ ell at the solution, so ell may be large (RP_ELL_MAX
 * keeps margins ~ell resolved: eps * 1e8 ~ 1e-8 absolute in the exponents). */
#define RP_ELL_MAX 1e8
static int ell_ok(num_margin_loss loss, double ell)
{
    return loss == NUM_LOSS_SQUARE ? ell <= 700.0 : fabs(ell) <= RP_ELL_MAX;
}

/* How far the loss terms dominate: max_n log(exp(ell) l(m_n)) - log(1 + ||w||^2). Near the
 * minimiser it is O(log ||w||) or below (the terms balance 2 ||w||^2 through grad Phi = 0). */
static double excess(num_rp_ws *ws, num_margin_loss loss, const double *G, double ell,
                     const double *w)
{
    phi_at(ws, loss, G, ell, w);
    double mx = -INFINITY;
    for (size_t i = 0; i < ws->n; i++) {
        double m = ws->m[i];
        double t = loss == NUM_LOSS_SQUARE ? 2.0 * log(fabs(1.0 - m)) : num_loss_log_ell(loss, m);
        mx = fmax(mx, ell + t);
    }
    return mx - log1p(cblas_ddot((int)ws->d, w, 1, w, 1));
}

static num_status newton(num_rp_ws *ws, num_margin_loss loss, const double *G, double ell,
                         double tol, size_t max_iter, double *w, num_rp_info *info)
{
    size_t d = ws->d;
    double phi = phi_at(ws, loss, G, ell, w);
    for (size_t it = 0;; it++) {
        double floor = grad_at(ws, loss, G, ell, w);
        double gn = cblas_dnrm2((int)d, ws->grad, 1), wn = cblas_dnrm2((int)d, w, 1);
        fill_info(info, it, phi, gn, floor, wn);
        if (!isfinite(gn) || !isfinite(phi))
            return NUM_ERROR(NUM_ENAN, "non-finite objective or gradient");
        if (gn <= tol * wn || gn <= 4.0 * floor) /* converged, or at the rounding floor */
            return NUM_OK;
        if (it == max_iter)
            return NUM_ERROR(NUM_ENOCONV, "Newton iteration budget exhausted");
        num_status st = newton_step(ws, G);
        if (st != NUM_OK)
            return st;
        if (!line_search(ws, loss, G, ell, w, &phi)) {
            phi = phi_at(ws, loss, G, ell, w); /* restore margins of w */
            grad_at(ws, loss, G, ell, w);
            return NUM_ERROR(NUM_ENOCONV, "line search found no decrease (rounding floor)");
        }
    }
}

num_status num_rp_solve(num_rp_ws *ws, num_margin_loss loss, const double *G, double ell,
                        double tol, size_t max_iter, double *w, num_rp_info *info)
{
    if (!ws || !G || !w || !info || max_iter == 0 || !(tol > 0.0 && tol < 1.0) ||
        !ell_ok(loss, ell) || loss < NUM_LOSS_EXP || loss > NUM_LOSS_SQUARE)
        return NUM_ERROR(NUM_EINVAL, "argument check failed (NULL, max_iter, tol, ell, loss)");
    if (!finite_vec(ws->n * ws->d, G) || !finite_vec(ws->d, w) || !isfinite(ell))
        return NUM_ERROR(NUM_ENAN, "non-finite data, start or ell");
    size_t total = 0;
    double ex = excess(ws, loss, G, ell, w);
    if (ex > RP_JUMP) /* cold start: walk up the path from where the terms are ~e^RP_JUMP */
        for (double e = ell - (ex - RP_JUMP); e < ell; e += RP_JUMP / 2.0) {
            num_status st = newton(ws, loss, G, e, RP_STAGE_TOL, max_iter, w, info);
            total += info->iters;
            if (st != NUM_OK)
                return st;
        }
    num_status st = newton(ws, loss, G, ell, tol, max_iter, w, info);
    info->iters += total;
    return st;
}

num_status num_rp_objective(num_rp_ws *ws, num_margin_loss loss, const double *G, double ell,
                            const double *w, double *phi, double *grad)
{
    if (!ws || !G || !w || !phi || !ell_ok(loss, ell))
        return NUM_ERROR(NUM_EINVAL, "argument check failed (NULL or ell out of range)");
    *phi = phi_at(ws, loss, G, ell, w);
    grad_at(ws, loss, G, ell, w);
    if (grad)
        memcpy(grad, ws->grad, ws->d * sizeof(double));
    return isfinite(*phi) ? NUM_OK : NUM_ERROR(NUM_ENAN, "objective not finite");
}
