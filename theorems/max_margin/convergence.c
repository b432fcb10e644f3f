/* theorems/max_margin/convergence.c — claim max_margin: A1-A3 (003 eq. (4); Soudry et al. 2018
 * Thm 3) on the exponential and logistic losses, for the gradient flow (checked against the
 * expansion of max_margin.h) and for GD (checked against the flow, numerics/gd.h).
 *
 * Per loss: mm_flow_measure (flow and the state at every output time) -> mm_flow_figure
 * (series) -> mm_flow_judge (A1-A3 with their bands), then the same for GD. The series come
 * before the judgement so that a void-threshold error keeps the trajectory in the record. */
#include "theorems/max_margin/max_margin.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cblas.h>

#include "numerics/flow.h"
#include "numerics/gd.h"
#include "numerics/linalg.h"
#include "numerics/rng.h"
#include "numerics/separable.h"

/* What one loss needs besides the problem. */
typedef struct {
    double s_end, rtol, step;
    const gsl_odeiv2_step_type *stepper;
    unsigned long gd_iters;
} mm_loss_opts;

/* The measurements of one loss. */
typedef struct {
    num_margin_loss loss;
    const char *pf, *gpf;     /* metric prefixes of the flow and of GD */
    double beta, eta;         /* GD smoothness and step */
    size_t m, idx[3];         /* output times; positions of s_end / 2, s_end, GD's last time */
    double *grid;             /* m output times (log t) */
    mm_state *states;         /* the flow's state at each output time */
    mm_state half, end, atgd; /* at s_end / 2, s_end, and GD's last time */
    num_flow_stats fst;
    double d0;                /* |P_S w0 - w_tilde_S| */
    double *W;                /* m x d flow states */
    double gd_dev, gd_lerr;   /* |w_gd - w_flow| at GD's last step; its summed local error */
    num_gd_richardson rich;   /* GD with eta and eta/2 against the flow at GD's last time */
    mm_state *gd_states;      /* GD's state at each distinct output step */
    size_t gd_n;
    mm_state g;               /* GD's last state */
} mm_loss_run;

static const char *loss_name(num_margin_loss l)
{
    return l == NUM_LOSS_EXP ? "exp" : l == NUM_LOSS_LOGISTIC ? "logistic" : "square";
}

/* Metric name with a prefix ("" for the exponential-loss flow). */
static const char *mname(char *buf, size_t len, const char *prefix, const char *name)
{
    snprintf(buf, len, "%s%s", prefix, name);
    return buf;
}

/* ---- measure ------------------------------------------------------------------------------ */

/* The flow from w0 on the output grid (which includes s_end / 2, s_end and GD's last time) and
 * the state at every output time. */
static void mm_flow_measure(tc_ctx *ctx, const mm_problem *p, const double *w0,
                            const mm_loss_opts *o, mm_loss_run *r)
{
    size_t n = p->n, d = p->d;
    num_margin_loss loss = r->loss;
    /* GD step from the smoothness at w0 (numerics/gd.h): exp uses the Hessian at w0, logistic
     * the global bound lambda_max(X^T X)/4. */
    double bl = 0.0, bg = 0.0;
    num_status st = num_gd_smoothness(loss, n, d, p->X, p->y, w0, &bl, &bg);
    if (st != NUM_OK)
        tc_fail(ctx, "smoothness at w0 (%s loss): %s", loss_name(loss), num_strerror(st));
    r->beta = loss == NUM_LOSS_EXP ? bl : bg;
    r->eta = o->step / r->beta;
    double s_gd = log1p(r->eta * (double)o->gd_iters);

    double extra[3] = {0.5 * o->s_end, o->s_end, s_gd};
    r->grid = TC_NEW(ctx, double, MM_NOUT + 3);
    r->W = TC_NEW(ctx, double, (MM_NOUT + 3) * d);
    double *work = TC_NEW(ctx, double, n + 3 * d + n);
    r->m = num_ib_grid(MM_S_FIRST, o->s_end, MM_NOUT, extra, 3, r->grid, r->idx);
    num_flow_opts opts = {.stepper = o->stepper, .epsabs = MM_ATOL, .epsrel = o->rtol,
                          .h0 = 1e-3};
    st = num_flow_run(loss, n, d, p->X, p->y, w0, 0.0, r->m, r->grid, &opts, r->W, NULL, &r->fst);
    if (st != NUM_OK)
        tc_fail(ctx, "%s-loss flow failed at %lu steps: %s", loss_name(loss), r->fst.steps,
                num_strerror(st));
    r->d0 = num_ib_transient(p, w0, work);
    r->states = TC_NEW(ctx, mm_state, r->m);
    for (size_t k = 0; k < r->m; k++)
        num_ib_analyse(p, loss, r->W + k * d, r->grid[k], work, &r->states[k]);
    r->half = r->states[r->idx[0]];
    r->end = r->states[r->idx[1]];
    r->atgd = r->states[r->idx[2]];
}

/* GD from w0 for gd_iters steps of r->eta, recorded at MM_NOUT log-spaced step counts, and its
 * deviation from the flow at the same time t = 1 + eta k. */
static void mm_gd_measure(tc_ctx *ctx, const mm_problem *p, const double *w0,
                          const mm_loss_opts *o, mm_loss_run *r)
{
    size_t n = p->n, d = p->d;
    unsigned long gd_iters = o->gd_iters, *kout = TC_NEW(ctx, unsigned long, MM_NOUT);
    double *Wg = TC_NEW(ctx, double, MM_NOUT * d), *lerr = TC_NEW(ctx, double, MM_NOUT);
    double *work = TC_NEW(ctx, double, n + 3 * d + n);
    for (size_t k = 0; k < MM_NOUT; k++)
        kout[k] = (unsigned long)llround(pow((double)gd_iters, (double)k / (MM_NOUT - 1)));
    kout[MM_NOUT - 1] = gd_iters;
    for (size_t k = 1; k < MM_NOUT; k++)
        if (kout[k] < kout[k - 1])
            kout[k] = kout[k - 1];
    num_status st = num_gd_run(r->loss, n, d, p->X, p->y, w0, r->eta, MM_NOUT, kout, Wg, NULL,
                               lerr);
    if (st != NUM_OK)
        tc_fail(ctx, "GD (%s loss, eta = %.3g = %.3g / beta) failed: %s", loss_name(r->loss),
                r->eta, o->step, num_strerror(st));
    r->gd_states = TC_NEW(ctx, mm_state, MM_NOUT);
    r->gd_n = 0;
    for (size_t k = 0; k < MM_NOUT; k++) {
        if (k > 0 && kout[k] == kout[k - 1])
            continue;
        num_ib_analyse(p, r->loss, Wg + k * d, log1p(r->eta * (double)kout[k]), work,
                   &r->gd_states[r->gd_n++]);
    }
    r->g = r->gd_states[r->gd_n - 1];
    double dev = 0.0;
    const double *wf = r->W + r->idx[2] * d, *wg = Wg + (MM_NOUT - 1) * d;
    for (size_t j = 0; j < d; j++)
        dev += (wg[j] - wf[j]) * (wg[j] - wf[j]);
    r->gd_dev = sqrt(dev);
    r->gd_lerr = lerr[MM_NOUT - 1];
    /* Richardson: the same time T = 1 + eta K with step eta/2 (2K steps) */
    unsigned long k2 = 2 * gd_iters;
    double *wh = TC_NEW(ctx, double, d);
    st = num_gd_run(r->loss, n, d, p->X, p->y, w0, 0.5 * r->eta, 1, &k2, wh, NULL, NULL);
    if (st == NUM_OK)
        st = num_gd_richardson_eval(d, wf, wg, wh, &r->rich);
    if (st != NUM_OK)
        tc_fail(ctx, "GD (%s loss, eta/2 = %.3g) failed: %s", loss_name(r->loss), 0.5 * r->eta,
                num_strerror(st));
}

/* ---- judge -------------------------------------------------------------------------------- */

/* A2, A1 and A3 of the flow at s_end (and s_end / 2), each against the band the expansion
 * derives (see max_margin.h). */
static void mm_flow_judge(tc_ctx *ctx, tc_result *res, const mm_problem *p, const mm_loss_run *r,
                          double rtol)
{
    const char *pf = r->pf;
    char nb[96];
    double wh = p->svm->norm_w, wh2 = wh * wh;
    const mm_state end = r->end, half = r->half;
    tc_metric_info(res, mname(nb, sizeof nb, pf, "flow_steps"), (double)r->fst.steps);
    tc_metric_info(res, mname(nb, sizeof nb, pf, "flow_rejected_steps"), (double)r->fst.failed);
    mm_tol te = mm_tolerances(p, r->loss, &end, rtol, r->d0);
    mm_tol th = mm_tolerances(p, r->loss, &half, rtol, r->d0);
    double neg = fmax(te.relerr, th.relerr);
    tc_metric_info(res, mname(nb, sizeof nb, pf, "flow_neglected_terms"), neg);
    if (!(neg < MM_CONV_BOUND) || !isfinite(te.rho) || !isfinite(th.rho))
        tc_fail(ctx,
                "inconclusive: not converged after %lu steps (%s-loss flow to log t = %.4g): "
                "the neglected terms of the expansion have relative size %.3g on the "
                "support-vector identity at log t = %.4g / 2 (bound %.3g); they decay like "
                "exp(-kappa log t), kappa = %.3g",
                r->fst.steps, loss_name(r->loss), end.s, neg, end.s, MM_CONV_BOUND, p->kappa);
    int a2 = !p->degenerate; /* A2's identity needs unique alpha (linearly independent SVs) */

    /* A2 (Soudry Thm 3; 003 §4): exp(-y_n x_n^T rho) = alpha_n on the support vectors. */
    if (a2)
        tc_metric(res, mname(nb, sizeof nb, pf, "residual_sv_relerr"), end.relerr, TC_LE,
                  te.relerr);
    else
        tc_metric_info(res, mname(nb, sizeof nb, pf, "residual_sv_relerr"), end.relerr);

    /* A1 (003 eq. (4)): the direction gap equals the theory's w_hat log t + rho_pred. */
    tc_metric(res, mname(nb, sizeof nb, pf, "direction_gap"), end.gap, TC_LE,
              end.gap_pred + te.gap);
    tc_metric_info(res, mname(nb, sizeof nb, pf, "direction_gap_predicted"), end.gap_pred);
    tc_metric_info(res, mname(nb, sizeof nb, pf, "margin_gap"), end.margin_gap);

    /* A3: gap * log t -> |rho_perp| / |w_hat| (bounded), checked against its prediction at
     * s_end, and as convergence: the ratio between s_end and s_end/2 is 1 up to the O(1/log t)
     * term of the expansion, tan(theta) = |rho_perp| / (|w_hat| s + rho_par), which changes
     * gap*s by the relative amount rho_par/(|w_hat| s) (1/s_half - 1/s_end = 1/s_end), doubled
     * for the neglected higher orders, plus the tolerances of the two gaps. */
    double gls = end.gap * end.s;
    tc_metric_in(res, mname(nb, sizeof nb, pf, "gap_log_t"), gls,
                 (end.gap_pred - te.gap) * end.s, (end.gap_pred + te.gap) * end.s);
    tc_metric_info(res, mname(nb, sizeof nb, pf, "gap_log_t_limit"), end.rho_perp / wh);
    double ratio = gls / (half.gap * half.s);
    double delta = 2.0 * fabs(end.rho_par) / (wh * end.s) +
                   (te.gap * end.s + th.gap * half.s) / (half.gap * half.s);
    tc_metric_in(res, mname(nb, sizeof nb, pf, "gap_log_t_ratio"), ratio, 1.0 - delta,
                 1.0 + delta);

    /* B1/A2: ||w|| / log t -> ||w_hat|| with the O(1/log t) term of the expansion:
     * ||w_hat s + rho|| lies in [W s + rho_par, W s + rho_par + rho_perp^2 / (2 (W s + rho_par))]
     * (W = ||w_hat||; the upper end from sqrt(a^2 + b^2) <= a + b^2 / (2a)), where
     * rho_par = -sum_S alpha_n log alpha_n / ||w_hat|| is predicted by the SVM alone (w_hat lies
     * in the span of the support vectors). The band is that interval divided by s, widened by
     * the tolerance on rho. */
    double nol = end.norm / end.s, base = wh * end.s + end.rho_par;
    double lo = (base - te.rho) / end.s,
           hi = (base + end.rho_perp * end.rho_perp / (2.0 * base) + te.rho) / end.s;
    tc_metric_in(res, mname(nb, sizeof nb, pf, "norm_over_log_t"), nol, lo, hi);
    tc_metric_info(res, mname(nb, sizeof nb, pf, "norm_over_log_t_limit"), wh);
    tc_metric_info(res, mname(nb, sizeof nb, pf, "rho_parallel_predicted"),
                   -p->alpha_log_alpha / wh);

    /* A3 loss rate: t L(t) = sum_n exp(s - z_n) = sum_S exp(-g.rho) + sum_{not S} ... ->
     * sum_S alpha_n = ||w_hat||^2 (multiply w_hat = sum alpha_n g_n by w_hat, g_n.w_hat = 1 on
     * S). Band: the SV terms within relerr, the others as predicted, logistic's
     * softplus(-z) = e^{-z}(1 - e^{-z}/2 + ..) correction alpha_max e^{-s}. */
    double tl = exp(end.logL + end.s) / wh2;
    double dl = te.relerr + end.tl_nonsv / wh2 +
                (r->loss == NUM_LOSS_LOGISTIC ? p->alpha_max * exp(-end.s) : 0.0);
    tc_metric_in(res, mname(nb, sizeof nb, pf, "loss_times_t"), tl * wh2, wh2 * (1.0 - dl),
                 wh2 * (1.0 + dl));
    tc_metric_info(res, mname(nb, sizeof nb, pf, "loss_times_t_limit"), wh2);
    tc_metric_info(res, mname(nb, sizeof nb, pf, "log_t_end"), end.s);
}

/* GD against the flow at the same time t = 1 + eta k by Richardson (halving eta halves the
 * deviation at first order, MM_GD_RICHARDSON_Q); the rigorous local-error bound (gd.h:
 * non-expansive flow) is reported. GD's asymptotic regime is out of reach of plain iteration:
 * its A1-A3 quantities are reported beside the flow's at the same time and checked through the
 * flow, which reaches the regime. */
static void mm_gd_judge(tc_result *res, const mm_problem *p, const mm_loss_run *r, double rtol)
{
    const char *gpf = r->gpf;
    char nb[96];
    const mm_state g = r->g, f = r->atgd;
    double flow_err = MM_INT_FACTOR * (rtol * f.norm + MM_ATOL) * sqrt((double)p->d);
    double dev_bound = MM_GD_FACTOR * r->gd_lerr + flow_err;
    tc_metric(res, mname(nb, sizeof nb, gpf, "richardson_q"), r->rich.q, TC_LE,
              MM_GD_RICHARDSON_Q);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "richardson_ratio"), r->rich.ratio);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "flow_deviation"), r->gd_dev);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "flow_deviation_half_step"), r->rich.dev_half);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "local_error_bound"), dev_bound);
    /* GD's own A3 quantity beside the flow's at the same time: reported, not checked (a band
     * from the rigorous bound, 2 s dev_bound / |w|, is ~0.5 wide and could not fail; one from
     * the measured deviation would follow any fault of GD) */
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "gap_log_t"), g.gap * g.s);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "flow_gap_log_t"), f.gap * f.s);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "step"), r->eta);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "smoothness_beta"), r->beta);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "log_t_end"), g.s);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "direction_gap"), g.gap);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "residual_sv_relerr"), g.relerr);
    tc_metric_info(res, mname(nb, sizeof nb, gpf, "loss_times_t"), exp(g.logL + g.s));
}

/* ---- figure ------------------------------------------------------------------------------- */

static const char *const TRAJ_COLS[] = {"log_t", "norm", "log_loss", "direction_gap",
                                        "margin_gap", "gap_log_t", "norm_over_log_t",
                                        "loss_times_t", "sv_relerr"};
#define TRAJ_NCOLS 9

/* A trajectory series "<prefix>_<loss>" from its states (s > 0 only). */
static void mm_traj_series(tc_result *res, const char *prefix, num_margin_loss loss,
                           const mm_state *st, size_t m)
{
    char sname[64];
    snprintf(sname, sizeof sname, "%s_%s", prefix, loss_name(loss));
    tc_series *ser = tc_series_new(res, sname, TRAJ_NCOLS, TRAJ_COLS);
    for (size_t k = 0; k < m; k++) {
        const mm_state *o = &st[k];
        if (!ser || !(o->s > 0.0))
            continue;
        tc_series_row(ser, o->s, o->norm, o->logL, o->gap, o->margin_gap, o->gap * o->s,
                      o->norm / o->s, exp(o->logL + o->s), o->relerr);
    }
}

/* The flow's trajectory and, for the exponential loss, rho(t) with the theory's limit. */
static void mm_flow_figure(tc_result *res, const mm_problem *p, const mm_loss_run *r,
                           int want_rho_series)
{
    mm_traj_series(res, "flow", r->loss, r->states, r->m);
    if (!want_rho_series)
        return;
    size_t nr = p->d < 4 ? p->d : 4;
    const char *rcols[5] = {"log_t", "rho_1", "rho_2", "rho_3", "rho_4"};
    tc_series *rser = tc_series_new(res, "rho_exp", nr + 1, rcols);
    for (size_t k = 0; k < r->m; k++) {
        const mm_state *o = &r->states[k];
        double row[5] = {o->s, o->rho[0], o->rho[1], o->rho[2], o->rho[3]};
        tc_series_addn(rser, row, nr + 1);
    }
    /* the theory's limit of rho: w_tilde_S + (I - P_S) rho (dashed lines) */
    tc_series *lser = tc_series_new(res, "rho_limit", nr + 1, rcols);
    for (int k = 0; k < 2; k++) {
        const mm_state *e = &r->end;
        double row[5] = {k ? e->s : MM_S_FIRST, e->rho_pred[0], e->rho_pred[1], e->rho_pred[2],
                         e->rho_pred[3]};
        tc_series_addn(lser, row, nr + 1);
    }
}

/* One loss: flow (checked) and GD (checked against the flow). */
static void mm_run_loss(tc_ctx *ctx, tc_result *res, const mm_problem *p, num_margin_loss loss,
                        const double *w0, const mm_loss_opts *o, int want_rho_series)
{
    mm_loss_run *r = TC_NEW(ctx, mm_loss_run, 1);
    r->loss = loss;
    r->pf = loss == NUM_LOSS_EXP ? "" : "logistic_";
    r->gpf = loss == NUM_LOSS_EXP ? "gd_" : "gd_logistic_";
    mm_flow_measure(ctx, p, w0, o, r);
    mm_flow_figure(res, p, r, want_rho_series);
    mm_flow_judge(ctx, res, p, r, o->rtol);
    mm_gd_measure(ctx, p, w0, o, r);
    mm_traj_series(res, "gd", loss, r->gd_states, r->gd_n);
    mm_gd_judge(res, p, r, o->rtol);
}

/* The theory's reference curves (exponential loss if run): w_hat s + rho_pred, with rho_pred
 * taken at s_end of the flow (it is constant in s). */
static void mm_reference_series(tc_result *res, const mm_problem *p, int has_exp, double s_end)
{
    const tc_metric_rec *par = tc_result_metric(
        res, has_exp ? "rho_parallel_predicted" : "logistic_rho_parallel_predicted");
    const tc_metric_rec *lim =
        tc_result_metric(res, has_exp ? "gap_log_t_limit" : "logistic_gap_log_t_limit");
    double wh = p->svm->norm_w, rp = par ? par->value : 0.0, c = lim ? lim->value : 0.0;
    const char *cols[] = {"log_t", "norm", "log_loss", "direction_gap", "loss_times_t"};
    tc_series *ref = tc_series_new(res, "reference", 5, cols);
    for (int k = 0; k < 60; k++) {
        double s = 1.0 * pow(s_end, (double)k / 59);
        tc_series_row(ref, s, wh * s + rp, log(wh * wh) - s, c / s, wh * wh);
    }
}

static void mm_plots(tc_result *res, int has_exp, int has_log)
{
    const char *series[4] = {"flow_exp", "gd_exp", "flow_logistic", "gd_logistic"};
    const char *labels[4] = {"gradient flow, exponential loss", "GD, exponential loss",
                             "gradient flow, logistic loss", "GD, logistic loss"};
    const int on[4] = {has_exp, has_exp, has_log, has_log};
    const tc_style sty[4] = {TC_STYLE_LINES, TC_STYLE_POINTS, TC_STYLE_DASHED, TC_STYLE_POINTS};
    struct {
        const char *name, *title, *ylabel, *col, *ref;
        unsigned flags;
        const char *reflabel;
    } panels[] = {
        {"norm", "Weight norm against log t (Soudry et al. Fig. 1, panel 1)", "||w(t)||", "norm",
         "norm", TC_PLOT_LOGX | TC_PLOT_LOGY, "theory: ||w_hat|| log t + rho_par"},
        {"loss", "Training loss against t (log-log)", "log L(t)", "log_loss", "log_loss", 0,
         "theory: L = ||w_hat||^2 / t"},
        {"direction_gap", "Direction gap ||w/||w|| - w_hat/||w_hat|| || against log t",
         "direction gap", "direction_gap", "direction_gap", TC_PLOT_LOGX | TC_PLOT_LOGY,
         "theory: |rho_perp| / (||w_hat|| log t)"},
        {"loss_times_t", "A3: t L(t) against log t (the loss decays like 1/t)", "t L(t)",
         "loss_times_t", "loss_times_t", TC_PLOT_LOGX, "theory: limit sum alpha_n = ||w_hat||^2"},
        {"margin_gap", "Margin gap: SVM margin minus min_n y_n w.x_n / ||w||", "margin gap",
         "margin_gap", NULL, TC_PLOT_LOGX | TC_PLOT_LOGY, NULL},
        {"sv_identity", "A2: max over support vectors of |exp(-y_n x_n.rho)/alpha_n - 1|",
         "relative error", "sv_relerr", NULL, TC_PLOT_LOGX | TC_PLOT_LOGY, NULL},
    };
    for (size_t k = 0; k < sizeof panels / sizeof *panels; k++) {
        tc_plot *pl = tc_plot_new(res, panels[k].name, panels[k].title, "log t (natural log)",
                                  panels[k].ylabel, panels[k].flags);
        for (int c = 0; c < 4; c++)
            if (on[c])
                tc_plot_curve(pl, series[c], "log_t", panels[k].col, NULL, labels[c], sty[c]);
        if (panels[k].ref)
            tc_plot_curve(pl, "reference", "log_t", panels[k].ref, NULL, panels[k].reflabel,
                          TC_STYLE_DASHED);
    }
}

/* rho(t) of the exponential-loss flow with the theory's limit (dashed). */
static void mm_rho_plot(tc_result *res, size_t d, int has_exp)
{
    tc_plot *pr = tc_plot_new(res, "rho", "Residual rho(t) = w(t) - w_hat log t (exp. loss flow)",
                              "log t (natural log)", "rho components", TC_PLOT_LOGX);
    for (size_t k = 0; k < (d < 4 ? d : 4); k++) {
        char col[16], lab[48];
        snprintf(col, sizeof col, "rho_%zu", k + 1);
        snprintf(lab, sizeof lab, "rho_%zu", k + 1);
        if (has_exp) {
            tc_plot_curve(pr, "rho_exp", "log_t", col, NULL, lab, TC_STYLE_LINES);
            snprintf(lab, sizeof lab, "theory: limit of rho_%zu", k + 1);
            tc_plot_curve(pr, "rho_limit", "log_t", col, NULL, lab, TC_STYLE_DASHED);
        }
    }
}

/* ---- data --------------------------------------------------------------------------------- */

/* Synthetic data (numerics/separable.h) or the user's; with `bias`, a constant feature 1. Returns
 * the problem, or NULL after recording a skip (not separable). */
static mm_problem *mm_data(tc_ctx *ctx, tc_result *res, size_t n, size_t d, double margin,
                           bool bias)
{
    const tc_dataset *ds = tc_data(ctx);
    if (ds) {
        n = ds->n;
        d = ds->d;
    }
    double *X = TC_NEW(ctx, double, n * d), *y = TC_NEW(ctx, double, n);
    if (ds) {
        memcpy(X, ds->x, n * d * sizeof *X);
        memcpy(y, ds->y, n * sizeof *y); /* k = 1 label column, already +-1 */
    } else {
        num_separable_gen(tc_rng(ctx), n, d, 1.0, margin, X, y, NULL);
    }
    if (bias) {
        double *Xb = TC_NEW(ctx, double, n * (d + 1));
        num_separable_add_bias(n, d, X, 1.0, Xb);
        X = Xb;
        d += 1;
    }
    mm_problem *p = mm_problem_new(ctx, n, d);
    num_status st = mm_setup(p, X, y);
    if (st == NUM_EINFEASIBLE) {
        tc_result_skip(res,
                       "data are not linearly separable%s: the hard-margin SVM is infeasible "
                       "(Farkas certificate u >= 0, sum u = 1, |sum u_n y_n x_n| / max|x_n| = "
                       "%.3g <= %.3g)",
                       bias ? " (with the bias feature)" : "", p->svm->cert_residual,
                       p->svm->cert_tol);
        return NULL;
    }
    if (st != NUM_OK)
        tc_fail(ctx, "hard-margin SVM failed: %s", num_strerror(st));
    return p;
}

/* ---- claim: max_margin -------------------------------------------------------------------- */

static const tc_param_spec params_mm[] = {
    TC_P_INT("n", "40", "100", 2, 20000, "samples of the synthetic data (ignored with --data)"),
    TC_P_INT("d", "2", TC_SAME, 1, 2000,
             "dimension of the synthetic data (2 as in Soudry et al.'s Fig. 1)"),
    TC_P_REAL("margin", "0.2", TC_SAME, 0, 10,
              "each synthetic point is pushed this far from a random hyperplane (separable, "
              "margin >= this; x ~ N(0, I))"),
    TC_P_REAL("step", "1", TC_SAME, 1e-6, 3.9,
              "GD step as a fraction of 1/beta (beta: smoothness at w0; Soudry Thm 3 needs < 2)"),
    TC_P_REAL("horizon", "100", "200", 10, 1e6,
              "minimum log t of the flow (extended until the asymptotic regime, see the claim "
              "doc)"),
    TC_P_INT("gd_iters", "100000", "1000000", 10, 100000000, "GD iterations"),
    TC_P_REAL("max_log_t", "1e6", TC_SAME, 1, 1e6,
              "cap on the extended horizon (log t); a run stopped before the asymptotic regime "
              "gives error (inconclusive: not converged)"),
    TC_P_CHOICE("loss", "both", TC_SAME, "exp|logistic|both",
                "exponential loss, logistic loss, or both"),
    TC_P_BOOL("bias", "false", TC_SAME, "append a constant feature 1 (a bias as a feature)"),
    TC_P_REAL("init_norm", "1", TC_SAME, 0, 100, "norm of the random initial w(0)"),
    TC_P_REAL("rtol", "1e-10", "1e-11", 1e-14, 1e-4,
              "relative tolerance of the adaptive integrator"),
    TC_P_CHOICE("stepper", "msbdf", TC_SAME, "msbdf|rk8pd",
                "GSL stepper of the flow: msbdf (implicit BDF, exact Jacobian) or rk8pd "
                "(explicit)"),
    TC_P_END};

/* Why the data are degenerate (after merging repeated samples, numerics/implicit_bias.h). */
static const char *mm_degenerate_why(const mm_problem *p)
{
    return p->rank_S < p->nsu ? "the distinct support vectors are linearly dependent (alpha is "
                                "not unique)"
                              : "a sample lies on the margin with alpha = 0 in the solver's dual";
}

/* Degenerate data: Soudry et al.'s expansion (A2's w_tilde, the rates of A3) is stated for
 * almost every dataset, but A1 holds for every linearly separable dataset (Soudry et al. 2018
 * Thm 3 as proved for general data; Ji & Telgarsky 2019). A1 is checked on the flow of one loss:
 * the direction gap must fall over the last doubling of log t by more than the integrator can
 * move it (2 x 10 (rtol |w| + atol) / |w| at each end, the unit-vector bound of tolerances.c),
 * or already lie below that resolution at the end; a direction that does not converge keeps
 * its gap (the square loss: ratio 1.000). Returns
 * whether the check holds; A2/A3 quantities are reported only. */
static int mm_run_degenerate(tc_ctx *ctx, tc_result *res, const mm_problem *p,
                             num_margin_loss loss, const double *w0, const mm_loss_opts *o)
{
    mm_loss_run *r = TC_NEW(ctx, mm_loss_run, 1);
    r->loss = loss;
    r->pf = loss == NUM_LOSS_EXP ? "" : "logistic_";
    mm_flow_measure(ctx, p, w0, o, r);
    mm_traj_series(res, "flow", loss, r->states, r->m);
    char nb[96];
    const mm_state e = r->end, h = r->half;
    double te = 2.0 * MM_INT_FACTOR * (o->rtol * e.norm + MM_ATOL) / e.norm,
           tol = te + 2.0 * MM_INT_FACTOR * (o->rtol * h.norm + MM_ATOL) / h.norm;
    int ok;
    /* a gap already below what the integrator resolves has converged as far as it can be
     * measured (symmetric data: rho_perp = 0, the gap falls exponentially to ~1e-19) */
    if (e.gap <= te) {
        ok = tc_metric(res, mname(nb, sizeof nb, r->pf, "direction_gap"), e.gap, TC_LE, te);
        tc_metric_info(res, mname(nb, sizeof nb, r->pf, "direction_gap_decrease"), h.gap - e.gap);
    } else {
        ok = tc_metric(res, mname(nb, sizeof nb, r->pf, "direction_gap_decrease"), h.gap - e.gap,
                       TC_GE, tol);
        tc_metric_info(res, mname(nb, sizeof nb, r->pf, "direction_gap"), e.gap);
    }
    tc_metric_info(res, mname(nb, sizeof nb, r->pf, "direction_gap_half"), h.gap);
    tc_metric_info(res, mname(nb, sizeof nb, r->pf, "gap_log_t"), e.gap * e.s);
    tc_metric_info(res, mname(nb, sizeof nb, r->pf, "gap_log_t_over_log_log_t"),
                   e.gap * e.s / log(e.s));
    tc_metric_info(res, mname(nb, sizeof nb, r->pf, "residual_sv_relerr"), e.relerr);
    tc_metric_info(res, mname(nb, sizeof nb, r->pf, "loss_times_t"), exp(e.logL + e.s));
    tc_metric_info(res, mname(nb, sizeof nb, r->pf, "log_t_end"), e.s);
    return ok && isfinite(h.gap - e.gap);
}

static void run_max_margin(tc_ctx *ctx, tc_result *res)
{
    const char *lc = tc_param_choice(ctx, "loss");
    int has_exp = strcmp(lc, "logistic") != 0, has_log = strcmp(lc, "exp") != 0;
    mm_problem *p = mm_data(ctx, res, (size_t)tc_param_int(ctx, "n"),
                            (size_t)tc_param_int(ctx, "d"), tc_param_real(ctx, "margin"),
                            tc_param_bool(ctx, "bias"));
    if (!p)
        return;
    mm_svm_metrics(ctx, res, p);
    if (p->merged > 0)
        tc_metric_info(res, "samples_merged", (double)p->merged);
    double *w0 = TC_NEW(ctx, double, p->d);
    num_rng_unit_vector(tc_rng(ctx), w0, p->d);
    cblas_dscal((int)p->d, tc_param_real(ctx, "init_norm"), w0, 1);
    mm_loss_opts o = {mm_horizon(p, tc_param_real(ctx, "horizon"), tc_param_real(ctx, "max_log_t")),
                      tc_param_real(ctx, "rtol"),
                      tc_param_real(ctx, "step"), mm_stepper(ctx),
                      (unsigned long)tc_param_int(ctx, "gd_iters")};
    if (p->degenerate) {
        int ok = 1;
        if (has_exp)
            ok &= mm_run_degenerate(ctx, res, p, NUM_LOSS_EXP, w0, &o);
        if (has_log)
            ok &= mm_run_degenerate(ctx, res, p, NUM_LOSS_LOGISTIC, w0, &o);
        tc_result_holds(res, ok,
                        "degenerate data (%s): A1 %s (the direction gap falls over the last "
                        "doubling of log t, direction_gap_decrease, or is below the integrator's "
                        "resolution, direction_gap); A2 and A3 not applicable: "
                        "Soudry et al.'s Theorem 3 states them for almost every dataset "
                        "(linearly independent support vectors, alpha_n > 0 on every margin "
                        "sample); their quantities are reported",
                        mm_degenerate_why(p), ok ? "holds" : "does not hold");
        return;
    }
    tc_metric_info(res, "asymptotic_rate_kappa", p->kappa);
    if (has_exp)
        mm_run_loss(ctx, res, p, NUM_LOSS_EXP, w0, &o, 1);
    if (has_log)
        mm_run_loss(ctx, res, p, NUM_LOSS_LOGISTIC, w0, &o, 0);
    mm_reference_series(res, p, has_exp, o.s_end);
    mm_plots(res, has_exp, has_log);
    mm_rho_plot(res, p->d, has_exp);
    tc_result_conclude(res);
}

/* Hypothesis region: Soudry et al. (2018), Theorem 3, needs a GD step eta < 2 / beta, beta the
 * smoothness of L. The claim takes eta = step / beta with beta computed from its own data at
 * w(0) (numerics/gd.h: logistic, the global bound lambda_max(X^T X)/4, so this is Theorem 3's
 * condition exactly; exponential, the Hessian at w(0), the smoothness where GD starts), so in
 * its parameters the condition is step < 2 for every dataset: no data need be drawn. The flow
 * has no step, so the condition concerns GD only. */
static int mm_hypothesis(const tc_hyp_args *a, char *why, size_t whylen)
{
    double step = tc_hyp_real(a, "step");
    if (step < 2.0)
        return 1;
    snprintf(why, whylen,
             "GD step eta = %.6g / beta is not below 2 / beta (Soudry et al. 2018, Theorem 3)",
             step);
    return 0;
}

const tc_claim tc_claim_max_margin = {
    .id = "max_margin",
    .family = "max_margin",
    .title = "Exponential-tail losses: GD/flow converge to the max-margin direction",
    .source = "003 §4 eq. (4), §11.2; Soudry et al. 2018 Thm 3",
    .statement =
        "For linearly separable data and the exponential (or logistic) loss, gradient descent "
        "with a small fixed step and the gradient flow give w(t) = w_hat log t + rho(t) with "
        "rho bounded and w(t)/||w(t)|| -> w_hat/||w_hat||, w_hat the hard-margin SVM "
        "(min ||w||^2 s.t. y_n w^T x_n >= 1), from any initialisation; when the support "
        "vectors span the data rho -> w_tilde with exp(-y_n x_n^T w_tilde) = alpha_n/eta; the "
        "direction gap decays like 1/log t and the loss like 1/t.",
    .hypotheses = "linearly separable data (checked: exact SVM with KKT certificate); linear "
                  "predictor without bias (a bias is a constant feature); GD step < 2/beta",
    .expect = TC_EXPECT_HOLDS,
    .params = params_mm,
    .data = TC_DATA_BINARY,
    .run = run_max_margin,
    .key_metrics = "direction_gap,gap_log_t,residual_sv_relerr,loss_times_t,norm_over_log_t",
    .hypothesis = mm_hypothesis,
};
