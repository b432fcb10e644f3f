/* theorems/regularised_path/predict.c — the predicted path of the margin losses and its
 * judgement (GSL side: Lambert W and the fits; kept apart from the cblas files because
 * gsl_cblas.h and cblas.h declare the same names differently).
 *
 * Derivation (docs/claims/regularised_path.md §Derivation; 003 eq. (24) with the penalty
 * lambda ||w||^2): grad = 0 reads sum_n e^(ell - m_n) g_n = 2 w. Put w = s w_hat + rho + sigma
 * with rho _|_ w_hat, g_n.rho = -log alpha_n + kappa on S. On S, e^(ell - m_n) =
 * e^(ell - s - kappa) alpha_n e^(-g_n.sigma) = 2 s alpha_n e^(-g_n.sigma) once s e^s =
 * e^(ell - kappa) / 2, and sum_S alpha_n g_n = w_hat cancels 2 s w_hat. What is left,
 *   (s H_S + I) sigma = -rho + s sum_(n not in S) beta_n g_n + O(s |g.sigma|^2),
 *   beta_n = exp(kappa - (m_hat_n - 1) s - g_n.rho),
 * bounds the relative error of gap_pred = gap(s w_hat + rho, w_hat):
 *   tau = 2 [ 1 / (s kappa_S - 1) + s (sum_(not S) beta_n |g_n| + d_log sum_S alpha_n |g_n|) / |rho| ]
 * with d_log = e^(-min_n m_n) for the logistic loss (its -l'(m) = e^-m (1 - O(e^-m))), 0 for the
 * exponential. The factor 2 is explained at RP_TAU_MAX. */
#include "theorems/regularised_path/regularised_path.h"

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_sf_lambert.h>

#include "numerics/fit.h"

/* s with s e^s = e^x: GSL's W0 while e^x is finite; beyond, Newton on s + log s = x from the
 * asymptotic s = x - log x (error O(log x / x) -> quadratic convergence in 4 steps). */
static double lambert_s(double x)
{
    if (x < 700.0)
        return gsl_sf_lambert_W0(exp(x));
    double s = x - log(x);
    for (int k = 0; k < 6; k++)
        s -= (s + log(s) - x) / (1.0 + 1.0 / s);
    return s;
}

/* The direction gap of the predicted state: || (s w + rho) / |s w + rho| - w / |w| ||. */
static double gap_of_prediction(size_t d, const double *what, double nw, double s,
                                const double *rho)
{
    double q = 0.0, num = 0.0;
    for (size_t j = 0; j < d; j++)
        q += (s * what[j] + rho[j]) * (s * what[j] + rho[j]);
    q = sqrt(q);
    for (size_t j = 0; j < d; j++) {
        double t = (s * what[j] + rho[j]) / q - what[j] / nw;
        num += t * t;
    }
    return sqrt(num);
}

/* Relative error bound tau of gap_pred at s (see the file comment). */
static double tau_at(const rp_run *m, double s, double min_margin)
{
    const num_ib_problem *ib = m->ib;
    const num_svm *sv = ib->svm;
    size_t n = m->n, d = m->d;
    double x1 = s * ib->kappa_S > 1.0 ? 1.0 / (s * ib->kappa_S - 1.0) : INFINITY;
    double nons = 0.0, ons = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *g = ib->G + i * d;
        double gn = 0.0, gr = 0.0;
        for (size_t j = 0; j < d; j++) {
            gn += g[j] * g[j];
            gr += g[j] * m->rho[j];
        }
        gn = sqrt(gn);
        if (sv->alpha[i] > 0.0)
            ons += sv->alpha[i] * gn;
        else
            nons += exp(m->kappa - (sv->fmargin[i] - 1.0) * s - gr) * gn;
    }
    double dlog = m->loss == NUM_LOSS_LOGISTIC ? exp(-min_margin) : 0.0;
    return 2.0 * (x1 + s * (nons + dlog * ons) / m->rho_norm);
}

void rp_predict(rp_run *m)
{
    const num_ib_problem *ib = m->ib;
    m->kappa = ib->alpha_log_alpha / ib->alpha_sum;
    m->C = m->rho_norm / m->what_norm;
    for (size_t k = 0; k < m->npts; k++) {
        m->s[k] = lambert_s(m->ell[k] - m->kappa - log(2.0));
        m->gap_pred[k] = gap_of_prediction(m->d, ib->svm->w, m->what_norm, m->s[k], m->rho);
        /* + the certified Newton error: |measured gap - exact gap| <= dir_err (triangle
         * inequality), i.e. relative dir_err / gap; doubled for the product with the theory's */
        m->tau[k] = tau_at(m, m->s[k], m->min_margin[k]) + 2.0 * m->dir_err[k] / m->gap[k];
        m->ratio[k] = m->gap[k] / m->gap_pred[k];
    }
}

/* Least-squares slope of y on x over the window, and the bound on its error when each y_i is
 * off by at most e_i: the slope is sum c_i y_i with c_i = (x_i - xbar) / Sxx, so the error is
 * at most sum |c_i| e_i (exact propagation, no statistics). */
static double slope_err(size_t k, const double *x, const double *e)
{
    double xb = 0.0, sxx = 0.0, err = 0.0;
    for (size_t i = 0; i < k; i++)
        xb += x[i] / (double)k;
    for (size_t i = 0; i < k; i++)
        sxx += (x[i] - xb) * (x[i] - xb);
    for (size_t i = 0; i < k; i++)
        err += fabs(x[i] - xb) / sxx * e[i];
    return err;
}

static double fit_slope(tc_ctx *ctx, size_t k, const double *x, const double *y)
{
    num_fit_line f;
    tc_check(ctx, num_fit_linear(k, x, y, NULL, &f), "least-squares exponent");
    return f.slope;
}

void rp_judge_margin(tc_ctx *ctx, tc_result *res, rp_run *m)
{
    size_t P = m->npts, k = 0, e = P - 1;
    double *lx = TC_NEW(ctx, double, P), *ls = TC_NEW(ctx, double, P);
    double *lg = TC_NEW(ctx, double, P), *lp = TC_NEW(ctx, double, P);
    double *err = TC_NEW(ctx, double, P), dev = 0.0;
    for (size_t i = 0; i < P; i++) {
        if (!(m->tau[i] <= RP_TAU_MAX))
            continue;
        lx[k] = log(m->ell[i]);
        ls[k] = log(m->s[i]);
        lg[k] = log(m->gap[i]);
        lp[k] = log(m->gap_pred[i]);
        err[k] = -log1p(-m->tau[i]); /* |log ratio| <= -log(1 - tau) when |ratio - 1| <= tau */
        dev = fmax(dev, fabs(m->ratio[i] - 1.0) / m->tau[i]);
        k++;
    }
    m->nwin = k;
    tc_metric_info(res, "C_pred", m->C);
    tc_metric_info(res, "kappa_S", m->ib->kappa_S);
    tc_metric_info_nan_ok(res, "nonsv_margin_gap", m->ib->m2 - 1.0); /* inf: all are SVs */
    tc_metric_info(res, "gap_at_ell_max", m->gap[e]);
    tc_metric_info(res, "gap_times_s_over_C_at_ell_max", m->gap[e] * m->s[e] / m->C);
    tc_metric_info(res, "tau_at_ell_max", m->tau[e]);
    tc_metric_info(res, "window_points", (double)k);
    if (k < RP_MIN_WINDOW)
        tc_fail(ctx, "inconclusive: only %zu of %zu path points in the asymptotic regime "
                     "(tau <= %.2g, need %d); tau at ell_max = %g is %.3g: extend ell_max",
                k, P, RP_TAU_MAX, RP_MIN_WINDOW, m->ell[e], m->tau[e]);
    tc_metric(res, "gap_ratio_dev_over_tau", dev, TC_LE, 1.0);
    double p = fit_slope(ctx, k, lx, lg), pp = fit_slope(ctx, k, lx, lp);
    double dp = slope_err(k, lx, err);
    tc_metric_in(res, "rate_exponent", p, pp - dp, pp + dp);
    tc_metric_info(res, "rate_exponent_pred", pp);
    tc_metric_info(res, "rate_exponent_vs_s", fit_slope(ctx, k, ls, lg));
}
