/* theorems/max_margin/problem.c — the problem of numerics/implicit_bias.h (the hard-margin SVM
 * of the data and what the theory derives from it) with this family's constants, the horizon,
 * the SVM's certificate and the stepper. */
#include "theorems/max_margin/max_margin.h"

#include <math.h>
#include <string.h>

static void release_problem(void *p)
{
    num_ib_free(p);
}

mm_problem *mm_problem_new(tc_ctx *ctx, size_t n, size_t d)
{
    return tc_defer(ctx, release_problem, num_ib_alloc(n, d));
}

num_status mm_setup(mm_problem *p, const double *X, const double *y)
{
    return num_ib_setup(p, X, y, MM_RANK_C, MM_MARGIN_DEGENERATE);
}

double mm_horizon(const mm_problem *p, double horizon, double cap)
{
    cap = fmin(cap, MM_S_CAP);
    double need = p->kappa > 0.0 ? 2.0 * log(1.0 / MM_EPS_ASYM) / p->kappa : cap;
    return fmin(cap, fmax(horizon, need));
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
