/* theorems/ntk/gradient_bound.c — E3: ||grad r||^2 >= 4/m^2 lambda_min(K_bar) ||residual||^2
 * at every GD iterate (004, "Controlling the Gradient"), and the negative control with the
 * output-layer gradient removed.
 *
 * No convergence gate (issue #12 audit): the statement is an inequality at every Theta and each
 * iterate's check is complete in itself; GD only supplies the points, and nothing is
 * extrapolated from where the run ends, so a shorter run checks fewer points, each as strictly. */
#include "theorems/ntk/ntk.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cblas.h>

#include "numerics/ntk.h"

typedef struct {
    bool first_layer_only; /* negative control: drop the output-layer gradient */
} e3_cfg;

/* 004 "Controlling the Gradient": ||grad r||^2 >= 4/m^2 lambda_min(K_bar) ||Phi - y||^2, exact
 * for every Theta because grad_theta2 r = (2/m) V^T e (V the m x n features at Theta) and
 * ||V^T e||^2 = e^T K_bar e >= lambda_min ||e||^2.
 *
 * Rounding allowance (the check is deterministic: any excess beyond it is a failure). With
 * u = DBL_EPSILON and gamma_k ~ k u (Higham, "Accuracy and Stability", §3.1):
 *  - the computed output-layer gradient (dot products of length m) has error
 *    <= gamma_m ||V||_F ||2e/m||, so its squared norm, e^T K_bar e (4/m^2), is off by
 *    <= (4/m^2) ||e||^2 ||V||_F^2 (2 gamma_m + gamma_n) (the sum of n squares adds gamma_n);
 *  - lambda_min = s_min(V)^2 from a backward-stable SVD: |ds_min| <= max(m, n) u s_max, so
 *    |d lambda_min| <= 2 max(m, n) u s_max^2 + (max(m, n) u s_max)^2 <= 3 max(m, n) u ||V||_F^2;
 *  - the first-layer part only adds to the left side; its sum and the total carry gamma_P of
 *    the left side.
 * allowance = (4/m^2) ||e||^2 ||V||_F^2 u (2m + n + 3 max(m, n)) + P u LHS, doubled for the
 * O(u^2) terms and the residual's own rounding (gamma_m). */
static double gradient_allowance(size_t m, size_t n, size_t P, double e2, double vf2,
                                 double lhs)
{
    double u = DBL_EPSILON, mx = (double)(m > n ? m : n);
    return 2.0 * ((4.0 / ((double)m * (double)m)) * e2 * vf2 * u *
                      (2.0 * (double)m + (double)n + 3.0 * mx) +
                  (double)P * u * lhs);
}

/* What E3 measures over all (init, seed, width) runs; curves are seed 0 only. */
typedef struct {
    int init_lo, init_hi;   /* initialisations run: 0 = slides (1/n), 1 = unit */
    size_t W, S, steps;
    const size_t *widths;
    double ef;              /* eta_factor */
    double worst;           /* max over iterates of (RHS - LHS) / allowance */
    double tight, tight_init[2]; /* min LHS / RHS, overall and per initialisation */
    size_t checked, violations;
    size_t nsamp, *ksamp;   /* log-spaced iterates of the figure */
    double *curves;         /* [curve][sample] LHS/RHS, seed 0 */
} e3_meas;

/* The bound at the current iterate of t: records the violation and the tightness; returns
 * LHS / RHS (NaN when RHS = 0). lo = lambda_min(K_bar) at the iterate, V its features. */
static double e3_check(const e3_cfg *cfg, const num_twolayer *t, const double *V, double lo,
                       int init, e3_meas *M)
{
    size_t m = t->m, n = t->n;
    size_t nfirst = t->P - n; /* layer 1 occupies theta[0 .. n (d+1)) */
    double e2 = cblas_ddot((int)m, t->e, 1, t->e, 1);
    double vf2 = cblas_ddot((int)(m * n), V, 1, V, 1);
    double lhs = cfg->first_layer_only ? cblas_ddot((int)nfirst, t->g, 1, t->g, 1)
                                       : cblas_ddot((int)t->P, t->g, 1, t->g, 1);
    double rhs = 4.0 / ((double)m * (double)m) * lo * e2;
    double allow = gradient_allowance(m, n, t->P, e2, vf2, lhs);
    double viol = (rhs - lhs) / allow;
    M->checked++;
    M->violations += viol > 1.0;
    M->worst = fmax(M->worst, viol);
    if (rhs > 0.0) {
        M->tight = fmin(M->tight, lhs / rhs);
        M->tight_init[init] = fmin(M->tight_init[init], lhs / rhs);
    }
    return rhs > 0.0 ? lhs / rhs : NAN;
}

/* GD from one initialisation of width widths[w], checking the bound at every iterate. */
static void e3_run(tc_ctx *ctx, const e3_cfg *cfg, const ntk_data *D, num_act act, int init,
                   size_t s, size_t w, gsl_rng *r, e3_meas *M)
{
    size_t n = M->widths[w], m = D->m;
    double risk, lmax_ntk, lo, hi;
    num_twolayer *t = ntk_net(ctx, D, n, act);
    num_twolayer_init(t, init ? 1.0 : 1.0 / sqrt((double)n), r);
    num_status st = num_twolayer_ntk_lmax(t, D->Xt, &lmax_ntk);
    double eta = M->ef * (double)m / lmax_ntk;
    size_t is = 0;
    for (size_t k = 0; st == NUM_OK && k <= M->steps; k++) {
        st = num_twolayer_risk_grad(t, D->Xt, D->y, &risk);
        if (st != NUM_OK)
            break;
        const double *V = num_mlp_act(t->w, 1); /* m x n features at Theta_k */
        st = num_ntk_gram_extreme_eigs(m, n, V, NTK_RANK_C, &lo, &hi, NULL);
        if (st != NUM_OK)
            break;
        double ratio = e3_check(cfg, t, V, lo, init, M);
        if (s == 0 && is < M->nsamp && M->ksamp[is] == k) {
            size_t c = (size_t)(init - M->init_lo) * M->W + w;
            M->curves[c * M->nsamp + is] = ratio;
            is++;
        }
        if (k < M->steps)
            cblas_daxpy((int)t->P, -eta, t->g, 1, t->th, 1);
    }
    if (st != NUM_OK)
        tc_fail(ctx, "%s init, width %zu, seed %zu: %s", init ? "unit" : "slides", n, s,
                num_strerror(st));
}

static void e3_measure(tc_ctx *ctx, const e3_cfg *cfg, const ntk_data *D, num_act act,
                       e3_meas *M)
{
    size_t steps = M->steps, ncurves = (size_t)(M->init_hi - M->init_lo + 1) * M->W;
    M->worst = -INFINITY;
    M->tight = M->tight_init[0] = M->tight_init[1] = INFINITY;
    /* Log-spaced sample of iterates for the figure (all iterates are checked). */
    M->ksamp = TC_NEW(ctx, size_t, steps + 1);
    M->curves = TC_NEW(ctx, double, ncurves * (steps + 1));
    for (size_t k = 0; k <= steps; k++)
        if (k < 10 || k == steps || (size_t)floor(log((double)k) * 12.0) !=
                                        (size_t)floor(log((double)(k - 1)) * 12.0))
            M->ksamp[M->nsamp++] = k;
    for (int init = M->init_lo; init <= M->init_hi; init++)
        for (size_t s = 0; s < M->S; s++) {
            gsl_rng *r = tc_stream(ctx, s);
            for (size_t w = 0; w < M->W; w++)
                e3_run(ctx, cfg, D, act, init, s, w, r, M);
        }
}

/* The bound holds at every iterate up to the rounding allowance derived above
 * (gradient_allowance): a violation ratio above 1 is a failure. */
static void e3_judge(tc_result *res, const e3_meas *M)
{
    tc_metric(res, "max_violation_over_allowance", M->worst, TC_LE, 1.0);
    tc_metric_info(res, "iterates_checked", (double)M->checked);
    tc_metric_info(res, "iterates_violating", (double)M->violations);
    tc_metric_info(res, "min_lhs_over_rhs", M->tight);
    if (M->init_lo == 0)
        tc_metric_info(res, "min_lhs_over_rhs_slides_init", M->tight_init[0]);
    if (M->init_hi == 1)
        tc_metric_info(res, "min_lhs_over_rhs_unit_init", M->tight_init[1]);
}

/* Figure: LHS / RHS along GD for each width and initialisation (seed 0). */
static void e3_figure(tc_ctx *ctx, tc_result *res, const e3_cfg *cfg, const e3_meas *M)
{
    size_t W = M->W, ncurves = (size_t)(M->init_hi - M->init_lo + 1) * W, nc = 1 + ncurves;
    char(*names)[40] = tc_alloc(ctx, nc, sizeof *names);
    const char **cols = TC_NEW(ctx, const char *, nc);
    double *row = TC_NEW(ctx, double, nc);
    snprintf(names[0], sizeof names[0], "step");
    for (int init = M->init_lo; init <= M->init_hi; init++)
        for (size_t w = 0; w < W; w++)
            snprintf(names[1 + (size_t)(init - M->init_lo) * W + w], sizeof names[0],
                     "%s_n%zu", init ? "unit" : "slides", M->widths[w]);
    for (size_t c = 0; c < nc; c++)
        cols[c] = names[c];
    tc_series *ser = tc_series_new(res, "tightness", nc, cols);
    for (size_t i = 0; i < M->nsamp; i++) {
        row[0] = (double)M->ksamp[i];
        for (size_t c = 0; c < ncurves; c++)
            row[1 + c] = M->curves[c * M->nsamp + i];
        tc_series_add(ser, row);
    }
    tc_plot *p = tc_plot_new(
        res, "tightness",
        cfg->first_layer_only ? "||grad_theta1 r||^2 / (4/m^2 lambda_min(K_bar) ||e||^2)"
                              : "||grad r||^2 / (4/m^2 lambda_min(K_bar) ||e||^2) along GD",
        "GD step k", "ratio (>= 1 is the bound)", TC_PLOT_LOGY);
    for (int init = M->init_lo; init <= M->init_hi; init++)
        for (size_t w = 0; w < W; w++) {
            char lab[96];
            snprintf(lab, sizeof lab, "%s, n = %zu",
                     init ? "theta1 ~ N(0,1)" : "theta1 ~ N(0,1/n)", M->widths[w]);
            tc_plot_curve(p, "tightness", "step", names[1 + (size_t)(init - M->init_lo) * W + w],
                          NULL, lab, TC_STYLE_LINES);
        }
}

static void run_gradient_bound(tc_ctx *ctx, tc_result *res)
{
    const e3_cfg *cfg = tc_config(ctx);
    ntk_data D;
    if (!ntk_data_setup(ctx, res, &D, false))
        return;
    num_act act = ntk_act(ctx);
    const char *ichoice = tc_param_choice(ctx, "init");
    e3_meas M = {.S = (size_t)tc_param_int(ctx, "seeds"),
                 .steps = (size_t)tc_param_int(ctx, "steps"),
                 .ef = tc_param_real(ctx, "eta_factor"),
                 .init_lo = strcmp(ichoice, "unit") == 0 ? 1 : 0,
                 .init_hi = strcmp(ichoice, "slides") == 0 ? 0 : 1};
    M.widths = ntk_widths(ctx, "widths", &M.W);
    if (M.widths[0] < D.m) {
        tc_result_skip(res, "widths must be >= m = %zu (K_bar is singular for n < m)", D.m);
        return;
    }
    e3_measure(ctx, cfg, &D, act, &M);
    e3_judge(res, &M);
    e3_figure(ctx, res, cfg, &M);
    tc_result_conclude(res);
}

static const tc_param_spec e3_params[] = {
    TC_P_INT("m", TRAIN_M, TC_SAME, 2, 500, "samples (ignored with --data)"),
    TC_P_INT("d", TRAIN_D, TC_SAME, 1, 1000, "input dimension (ignored with --data)"),
    TC_P_LIST("widths", "128,512,2048", "128,512,2048,8192", 1, 65536, "widths n (>= m)"),
    TC_P_INT("steps", "150", "500", 1, 100000, "GD steps; every iterate is checked"),
    TC_P_INT("seeds", "2", "4", 1, 100, "initialisations per width"),
    TC_P_REAL("eta_factor", "0.5", TC_SAME, 1e-6, 1.9,
              "step eta = eta_factor * m / lambda_max(NTK at init) (stable below 2)"),
    TC_P_CHOICE("init", "both", TC_SAME, "both|slides|unit",
              "first-layer variance 1/n (slides), 1, or both (the bound holds for every Theta)"),
    TC_P_CHOICE("activation", "erf", TC_SAME, ACT_CHOICES, ACT_HELP),
    TC_P_END};

static const tc_param_spec e3_params_control[] = {
    TC_P_INT("m", TRAIN_M, TC_SAME, 2, 500, "samples (ignored with --data)"),
    TC_P_INT("d", TRAIN_D, TC_SAME, 1, 1000, "input dimension (ignored with --data)"),
    TC_P_LIST("widths", "128,512,2048", TC_SAME, 1, 65536, "widths n (>= m)"),
    TC_P_INT("steps", "50", TC_SAME, 1, 100000, "GD steps; every iterate is checked"),
    TC_P_INT("seeds", "1", TC_SAME, 1, 100, "initialisations per width"),
    TC_P_REAL("eta_factor", "0.5", TC_SAME, 1e-6, 1.9,
              "step eta = eta_factor * m / lambda_max(NTK at init)"),
    TC_P_CHOICE("init", "unit", TC_SAME, "both|slides|unit",
              "first-layer variance (unit: where the output layer dominates the gradient)"),
    TC_P_CHOICE("activation", "erf", TC_SAME, ACT_CHOICES, ACT_HELP),
    TC_P_END};

const tc_claim ntk_claim_gradient_bound = {
    .id = "ntk_gradient_bound",
    .family = "ntk",
    .title = "||grad r||^2 >= 4/m^2 lambda_min(K_bar) ||residual||^2 at every GD iterate",
    .source = "004 Lecture 3, Lazy Training: 'Introducing A Peculiar Kernel' and 'Controlling "
              "the Gradient' (first inequality)",
    .statement = "||grad_theta r(Theta)||^2 >= (4/m^2) lambda_min(K_bar_Theta) "
                 "||(Phi(x_i, Theta) - y_i)_i||^2, r = (1/m) sum_i (Phi(x_i) - y_i)^2.",
    .hypotheses = "Deterministic for every Theta; checked at every iterate of GD from both "
                  "initialisations, with a derived floating-point allowance.",
    .expect = TC_EXPECT_HOLDS,
    .params = e3_params,
    .data = TC_DATA_FEATURES,
    .run = run_gradient_bound,
    .config = &(const e3_cfg){.first_layer_only = false}};

const tc_claim ntk_claim_gradient_bound_first_layer = {
    .id = "ntk_gradient_bound_first_layer_only",
    .family = "ntk",
    .title = "Negative control: the gradient bound without the output-layer gradient",
    .source = "004 Lecture 3, Lazy Training: 'Controlling the Gradient' (mechanism removed)",
    .statement = "||grad_theta1 r(Theta)||^2 >= (4/m^2) lambda_min(K_bar_Theta) ||Phi - y||^2 "
                 "(the bound with only the first-layer gradient on the left).",
    .hypotheses = "The bound comes from the output-layer gradient (2/m) V^T e; the first-layer "
                  "gradient alone has no such lower bound.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "Under theta1 ~ N(0, 1) the first-layer gradient is O(1/n) of the "
                      "output-layer one: max_violation_over_allowance >> 1.",
    .params = e3_params_control,
    .data = TC_DATA_FEATURES,
    .run = run_gradient_bound,
    .config = &(const e3_cfg){.first_layer_only = true}};

