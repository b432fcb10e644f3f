/* theorems/max_margin/problem.c — the hard-margin SVM of the data and what the theory derives
 * from it (w_tilde_S, projectors, rates; see max_margin.h), the data, the SVM's certificate. */
#include "theorems/max_margin/max_margin.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <cblas.h>

#include "numerics/linalg.h"
#include "numerics/separable.h"

static void release_svm(void *s)
{
    num_svm_free(s);
}

mm_problem *mm_problem_new(tc_ctx *ctx, size_t n, size_t d)
{
    mm_problem *p = TC_NEW(ctx, mm_problem, 1);
    p->n = n;
    p->d = d;
    p->X = TC_NEW(ctx, double, n * d);
    p->y = TC_NEW(ctx, double, n);
    p->G = TC_NEW(ctx, double, n * d);
    p->svm = tc_defer(ctx, release_svm, num_svm_alloc(n, d));
    p->GS = TC_NEW(ctx, double, n * d);
    p->wt = TC_NEW(ctx, double, d);
    p->PS = TC_NEW(ctx, double, d * d);
    p->Pnull = TC_NEW(ctx, double, d * d);
    p->rhs = TC_NEW(ctx, double, n);
    p->M = TC_NEW(ctx, double, n * n);
    p->ev = TC_NEW(ctx, double, n);
    p->sv = TC_NEW(ctx, double, n < d ? n : d);
    return p;
}

/* kappa_S, sigma_S and kappa from the support vectors (after mm_setup's first part). */
static num_status mm_rates(mm_problem *p)
{
    size_t d = p->d, ns = p->ns;
    const num_svm *s = p->svm;
    double *M = p->M, *ev = p->ev, *sv = p->sv;
    num_status st;
    /* kappa_S: nonzero spectrum of H_S = G_S^T A G_S equals that of A^1/2 G_S G_S^T A^1/2. */
    for (size_t a = 0; a < ns; a++)
        for (size_t b = 0; b < ns; b++)
            M[a * ns + b] = sqrt(s->alpha[s->sv[a]] * s->alpha[s->sv[b]]) *
                            cblas_ddot((int)d, p->GS + a * d, 1, p->GS + b * d, 1);
    if ((st = num_linalg_eigh(ns, M, ev, NULL)) != NUM_OK)
        return st;
    double tol = num_linalg_rank_tol(ns, ns, ev[ns - 1], MM_RANK_C);
    p->kappa_S = ev[ns - 1];
    for (size_t k = 0; k < ns; k++)
        if (ev[k] > tol) {
            p->kappa_S = ev[k];
            break;
        }
    if ((st = num_linalg_svd_values(ns, d, p->GS, sv)) != NUM_OK)
        return st;
    p->sigma_S = sv[0];
    for (size_t k = 0; k < (ns < d ? ns : d); k++)
        if (sv[k] > num_linalg_rank_tol(ns, d, sv[0], MM_RANK_C))
            p->sigma_S = sv[k];
    p->kappa = fmin(p->kappa_S, p->m2 - 1.0);
    return NUM_OK;
}

/* The data, G, and the SVM with its support-vector statistics. */
static num_status mm_solve(mm_problem *p, const double *X, const double *y)
{
    size_t n = p->n, d = p->d;
    memcpy(p->X, X, n * d * sizeof *X);
    memcpy(p->y, y, n * sizeof *y);
    p->R = 0.0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < d; j++)
            p->G[i * d + j] = y[i] * X[i * d + j];
        p->R = fmax(p->R, num_linalg_nrm2(d, X + i * d));
    }
    num_status st = num_svm_solve(p->svm, X, y);
    if (st != NUM_OK)
        return st;
    num_svm *s = p->svm;
    p->ns = s->nsv;
    p->alpha_max = p->alpha_sum = p->alpha_log_alpha = 0.0;
    for (size_t k = 0; k < p->ns; k++) {
        size_t i = s->sv[k];
        double a = s->alpha[i];
        memcpy(p->GS + k * d, p->G + i * d, d * sizeof(double));
        p->rhs[k] = -log(a);
        p->alpha_max = fmax(p->alpha_max, a);
        p->alpha_sum += a;
        p->alpha_log_alpha += a * log(a);
    }
    p->m2 = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (!(s->alpha[i] > 0.0))
            p->m2 = fmin(p->m2, s->fmargin[i]);
    return NUM_OK;
}

num_status mm_setup(mm_problem *p, const double *X, const double *y)
{
    size_t n = p->n, d = p->d;
    num_status st = mm_solve(p, X, y);
    if (st != NUM_OK)
        return st;
    /* Strict complementarity fails when a sample lies on the margin with alpha = 0: its term
     * exp(-(m_n - 1) s) does not decay, alpha is not unique, and Soudry et al.'s expansion (for
     * almost every dataset) does not apply as stated. */
    int on_margin = p->m2 - 1.0 <= MM_MARGIN_DEGENERATE;
    if ((st = num_linalg_rank(p->ns, d, p->GS, MM_RANK_C, &p->rank_S, NULL)) != NUM_OK ||
        (st = num_linalg_rank(n, d, X, MM_RANK_C, &p->rank_X, NULL)) != NUM_OK)
        return st;
    p->degenerate = p->rank_S < p->ns || on_margin;
    /* w_tilde_S: minimum-norm solution of G_S w = -log alpha_S. */
    if ((st = num_linalg_lstsq(p->ns, d, 1, p->GS, p->rhs, MM_RANK_C * (double)(n > d ? n : d) *
                               DBL_EPSILON, p->wt, NULL)) != NUM_OK)
        return st;
    /* P_S = I - (projector onto the null space of G_S); P_null of X. */
    if ((st = num_linalg_null_projector(p->ns, d, p->GS, MM_RANK_C, p->PS, NULL)) != NUM_OK ||
        (st = num_linalg_null_projector(n, d, X, MM_RANK_C, p->Pnull, NULL)) != NUM_OK)
        return st;
    for (size_t i = 0; i < d * d; i++)
        p->PS[i] = (i % (d + 1) == 0 ? 1.0 : 0.0) - p->PS[i];
    return mm_rates(p);
}

double mm_horizon(const mm_problem *p, double horizon)
{
    double need = p->kappa > 0.0 ? 2.0 * log(1.0 / MM_EPS_ASYM) / p->kappa : MM_S_CAP;
    return fmin(MM_S_CAP, fmax(horizon, need));
}

void mm_svm_metrics(tc_ctx *ctx, tc_result *res, const mm_problem *p)
{
    const num_svm *s = p->svm;
    tc_metric_info(res, "svm_margin", s->margin);
    tc_metric_info(res, "svm_support_vectors", (double)s->nsv);
    tc_metric(res, "svm_kkt_primal", s->kkt.primal, TC_LE, MM_KKT_TOL);
    tc_metric(res, "svm_kkt_dual", s->kkt.dual, TC_LE, MM_KKT_TOL);
    tc_metric(res, "svm_kkt_slack", s->kkt.slack, TC_LE, MM_KKT_TOL);
    tc_metric(res, "svm_kkt_stationarity", s->kkt.station, TC_LE, MM_KKT_TOL);
    tc_metric_info(res, "samples", (double)p->n);
    tc_metric_info(res, "features", (double)p->d);
    tc_metric_info(res, "sv_span_deficit", (double)(p->rank_X - p->rank_S));
    tc_metric_info(res, "sv_degenerate", (double)p->degenerate);
    tc_metric_info_nan_ok(res, "nonsv_margin_gap", p->m2 - 1.0);
    tc_metric_info(res, "sv_hessian_min_eig", p->kappa_S);
    if (!(s->kkt.max <= MM_KKT_TOL))
        tc_fail(ctx, "hard-margin SVM certificate too large: KKT residual %.3g > %.3g",
                s->kkt.max, MM_KKT_TOL);
}

/* The stepper. In log-time the flow is mildly stiff (Jacobian -sum_S alpha_n g_n g_n^T near the
 * limit, eigenvalues up to ~ alpha_max R^2) and tends to w_hat s + const, a polynomial that BDF
 * formulas integrate exactly: GSL's msbdf (variable order 1-5, exact Jacobian from flow.c)
 * takes 1-2 thousand steps where rk8pd needs up to 10^5 on the long horizons (measured, see
 * docs/claims/max_margin.md). rk8pd stays available as an independent check. */
const gsl_odeiv2_step_type *mm_stepper(tc_ctx *ctx)
{
    return strcmp(tc_param_choice(ctx, "stepper"), "rk8pd") == 0 ? gsl_odeiv2_step_rk8pd
                                                                 : gsl_odeiv2_step_msbdf;
}
