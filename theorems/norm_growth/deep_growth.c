/* theorems/norm_growth/deep_growth.c — B2: growth of the layer norms of deep homogeneous
 * networks under the exponential loss (003 §12.2 item 5, §14, Figure 7), its strict reading
 * (norm_growth_deep_strict) and the square-loss control (norm_growth_deep_square).
 *
 * Measure: the one-layer reference (K = 1) and every (activation, depth) network on the same
 * data, with late-window fits of their trajectories (trajectory.c). Judge: layer exponents
 * against the one-layer exponent, growth of the product beyond the one-layer norm (or, strict
 * reading, the product's exponent against log t). Figure: Figure 7 of 003.
 */
#include "theorems/norm_growth/norm_growth.h"

#include <math.h>
#include <string.h>

typedef enum { B2_WEAK = 0, B2_STRICT, B2_SQUARE } b2_mode;

typedef struct {
    b2_mode mode;
} b2_config;

/* The one-layer reference and the fit window. */
typedef struct {
    num_hom_traj *ref;
    num_hom_traj_fits F1;
    double lo, hi;    /* fit window in s = log t */
} b2_reference;

/* One network measured against the reference. */
typedef struct {
    num_hom_traj *T;
    num_hom_traj_fits F;
    size_t a, b;          /* checkpoints closest to the window ends */
    double excess_growth; /* growth of prod_k ||W_k|| - ||w||_1 over the window, relative */
    double loss_excess;   /* growth of (-log L_K - s) - (-log L_1 - s) over the window */
    double dlogs;         /* log s_b - log s_a: Delta log log t of the window */
    double corr;          /* first-order correction of loss_excess / (p dlogs), see
                           * b2_predicted_size */
    double prod_vs_pred;  /* growth of prod_k ||W_k|| - ||w||_1 over p dlogs / gamma_K(s_b) */
} b2_network;

static void fig7_series(tc_result *res, const char *name, const num_hom_traj *T)
{
    const char *cols[3] = {"log_t", "product_norms", "layer1_norm"};
    tc_series *s = tc_series_new(res, name, 3, cols);
    if (!s)
        return;
    for (size_t i = 0; i < T->nck; i++)
        if (T->s[i] >= 0.5) /* the plots use logarithmic axes */
            tc_series_row(s, T->s[i], T->prod[i], T->norms[i * T->K]);
}

/* ---- measure ------------------------------------------------------------------------------ */

/* The one-layer reference (a linear predictor f = w.x, K = 1) on the same data. The square
 * loss is stiff in log time, so that control is trained by GD only, and all its windows are GD
 * windows [log(t_end)/4... ] expressed in s = log t. Returns false on a skip. */
static bool measure_reference(tc_ctx *ctx, tc_result *res, const ng_deep_cfg *c,
                              const ng_deep_data *D, bool gd_only, b2_reference *R)
{
    ng_method m1 = gd_only ? RUN_GD : RUN_FLOW;
    R->ref = ng_deep_train(ctx, res, c, D, 1, NUM_ACT_LINEAR, m1,
                           ng_deep_stream(1, NUM_ACT_LINEAR));
    if (!R->ref)
        return false;
    double s_end = R->ref->s[R->ref->nck - 1];
    R->lo = NG_WINDOW_FRAC * s_end;
    R->hi = s_end;
    if (gd_only) /* GD window: the last half of log t (t from ~e^3 to e^6): the square loss
                  * converges exponentially in t, and on the last two thirds (from t ~ e^2)
                  * 2 of 20 seeds had not converged (the one-layer reference, least squares by
                  * GD, moved by 1.7e-5 and 8e-6) */
        R->lo = s_end / 2.0;
    if (num_hom_traj_fit(R->ref, R->lo, R->hi, &R->F1) != NUM_OK)
        tc_fail(ctx, "fit of the one-layer reference failed");
    return true;
}

/* The predicted size of the excess (003 §14, eq. (57)). With u = -log L, eq. (57) gives
 * e^u u^{-p} (1 + p/u + ...) = a t, p = 2 - 2/K, hence u - s = log a + p log u + O(1/u) and,
 * with log u = log s + (p log s + log a)/s + O(s^-2 log^2 s),
 *     u - s = log a + p log s + p (p log s + log a) / s + ...;
 * for K = 1 (p = 0) u - s -> log a exponentially fast. So over the window [s_a, s_b] the
 * excess (u_K - s) - (u_1 - s) grows by p dlogs (1 + corr), corr = Delta[(p log s + d)/s] /
 * dlogs with d the fitted intercept of u - s = d + c log s (it estimates log a). For the
 * product, P = min_n y_n f_n / gamma(t) and min_n y_n f_n = u + O(log n), so the excess of P
 * is p dlogs / gamma only once the network's normalised margin gamma(t) has settled at the
 * one-layer value; the ratio is reported. */
static void b2_predicted_size(const num_hom_traj *T, const num_hom_traj *ref, b2_network *N,
                              size_t a, size_t b, size_t a1, size_t b1, size_t K)
{
    double p = 2.0 - 2.0 / (double)K, sa = T->s[a], sb = T->s[b], d = N->F.loglog.intercept;
    double qK = (-T->log_loss[b] - sb) - (-T->log_loss[a] - sa);
    double q1 = (-ref->log_loss[b1] - ref->s[b1]) - (-ref->log_loss[a1] - ref->s[a1]);
    N->dlogs = log(sb) - log(sa);
    N->loss_excess = qK - q1;
    N->corr = ((p * log(sb) + d) / sb - (p * log(sa) + d) / sa) / N->dlogs;
    double gap_a = T->prod[a] - ref->prod[a1], gap_b = T->prod[b] - ref->prod[b1];
    N->prod_vs_pred = (gap_b - gap_a) / (p * N->dlogs / T->gamma[b]);
}

/* Train and fit one network; returns false on a skip. */
static bool measure_network(tc_ctx *ctx, tc_result *res, const ng_deep_cfg *c,
                            const ng_deep_data *D, const b2_reference *R, size_t K, num_act act,
                            bool gd_only, b2_network *N)
{
    N->T = ng_deep_train(ctx, res, c, D, K, act, gd_only ? RUN_GD : ng_flow_method(act),
                         ng_deep_stream(K, act));
    if (!N->T)
        return false;
    const num_hom_traj *T = N->T, *ref = R->ref;
    if (num_hom_traj_fit(T, R->lo, R->hi, &N->F) != NUM_OK)
        tc_fail(ctx, "fit failed for %s K=%zu", num_act_name(act), K);
    /* Growth of prod_k ||W_k|| minus the one-layer ||w|| over the window: "the product grows
     * faster than in the one-layer case" (003 §12.2 item 5, §14, Fig. 7 left). */
    size_t a = num_hom_traj_index(T->s, T->nck, R->lo);
    size_t b = num_hom_traj_index(T->s, T->nck, R->hi);
    size_t a1 = num_hom_traj_index(ref->s, ref->nck, R->lo);
    size_t b1 = num_hom_traj_index(ref->s, ref->nck, R->hi);
    double gap_a = T->prod[a] - ref->prod[a1], gap_b = T->prod[b] - ref->prod[b1];
    N->a = a;
    N->b = b;
    N->excess_growth = (gap_b - gap_a) / T->prod[b];
    b2_predicted_size(T, ref, N, a, b, a1, b1, K);
    return true;
}

/* GD cross-check (fixed step, t = eta k up to gd_steps): relative distance of the product
 * from the flow at the GD checkpoints inside the flow's range. */
static double gd_vs_flow(const num_hom_traj *G, const num_hom_traj *T)
{
    double dmax = 0.0;
    for (size_t i = 0; i < G->nck; i++) {
        double pf = ng_interp(T->s, T->prod, T->nck, G->s[i]);
        if (G->s[i] >= 1.0 && isfinite(pf)) { /* dense flow checkpoints */
            double dr = fabs(G->prod[i] - pf) / pf;
            if (dr > dmax)
                dmax = dr;
        }
    }
    return dmax;
}

/* ---- judge -------------------------------------------------------------------------------- */

static void judge_reference(tc_result *res, const b2_reference *R)
{
    tc_metric_info(res, "K1_norm_exponent", R->F1.prod_exp.slope);
    tc_metric_info(res, "K1_slope_vs_log_t", R->F1.prod_slope.slope);
    tc_metric_info(res, "K1_loglog_coefficient", R->F1.loglog.slope);
    tc_metric_info(res, "window_log_t_start", R->lo);
    tc_metric_info(res, "window_log_t_end", R->hi);
}

/* Weak reading (exponential loss): the size of the excess and the log log coefficient, both
 * from eq. (57) (see b2_predicted_size). Excess: the measured growth over p dlogs must lie
 * within |corr| of 1 + corr (the dropped terms are O(corr^2) and O(s^-2 log^2 s), an order
 * below; the flow's tolerance 1e-10 and the ReLU Euler step's error in u - s, O(h / s) ~ 2e-4
 * at s >= 75, are two orders below |corr| ~ 1e-2 at the defaults). Coefficient: the fit of
 * u - s against log s over [lo, hi] is biased by about B = p (p |1 - log lo| + |d|) / lo (the
 * derivative of the next-order term p (p log s + d) / s, as judge_loglog of ode.c with the
 * fitted d for log a; ng_eq57_next_order_bias, without cancellation); tolerance 2 B plus 5
 * standard errors of the fit. */
static void judge_weak_size(tc_result *res, const b2_reference *R, const b2_network *N,
                            size_t K, const char *an)
{
    char nm[96];
    double p = 2.0 - 2.0 / (double)K, ratio = N->loss_excess / (p * N->dlogs);
    double c = N->corr, tc = fabs(c);
    /* Checked for linear networks. A ReLU network is one eq. (57) trajectory only once its
     * activation pattern has frozen: a late switch changes which samples carry the loss (the
     * constant a) inside the window, as for its margin (see judge_weak). Measured over 20 seeds:
     * ReLU K = 2 fell below the bound at 2 seeds (0.9675, 0.9672 against 0.972, 0.978), every
     * linear network within it. Reported for ReLU. */
    if (strcmp(an, "linear") == 0)
        tc_metric_in(res, ng_name(nm, sizeof nm, "%s_K%zu_loss_excess_vs_predicted", an, K),
                     ratio, 1.0 + c - tc, 1.0 + c + tc);
    else
        tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_loss_excess_vs_predicted", an, K),
                       ratio);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_loss_excess_correction", an, K), c);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_product_excess_vs_predicted", an, K),
                   N->prod_vs_pred);
    double B = ng_eq57_next_order_bias(p, R->lo, N->F.loglog.intercept);
    double tolc = 2.0 * B + 5.0 * N->F.loglog.se_slope;
    tc_metric_in(res, ng_name(nm, sizeof nm, "%s_K%zu_loglog_coefficient", an, K),
                 N->F.loglog.slope, p - tolc, p + tolc);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_loglog_coefficient_tolerance", an, K),
                   tolc);
}

/* Weak reading and square control. */
static void judge_weak(tc_result *res, const b2_reference *R, const b2_network *N, size_t K,
                       num_act act)
{
    char nm[96];
    const char *an = num_act_name(act);
    /* 003 §12.2 item 5 / §14: each layer diverges slower than in the one-layer case (Fig. 7
     * right): the fitted exponent of ||W_k|| against log t is below the one-layer exponent
     * measured on the same data in the same window. */
    tc_metric(res, ng_name(nm, sizeof nm, "%s_K%zu_layer_exponent_max", an, K),
              N->F.layer_exp_max, TC_LT, R->F1.prod_exp.slope);
    /* ... and the product faster: P_K - ||w||_1 keeps growing (relative growth over the
     * window above the no-growth floor). This comparison with the one-layer run assumes the
     * network's normalised margin gamma does not exceed the linear SVM margin (P_K ~ log t /
     * gamma against ||w|| ~ log t / gamma_svm): true for deep linear networks (||w_eff|| <=
     * prod ||W_k||), but a ReLU network can separate with a larger margin (seeds 23, 32: 0.053
     * and 0.050 against 0.046 and 0.040) and then P_K - ||w|| shrinks. So it is checked for
     * linear networks and reported for ReLU. */
    if (act == NUM_ACT_RELU)
        tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_product_excess_growth", an, K),
                       N->excess_growth);
    else
        tc_metric(res, ng_name(nm, sizeof nm, "%s_K%zu_product_excess_growth", an, K),
                  N->excess_growth, TC_GT, NG_GROWTH_FLOOR);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_product_exponent", an, K),
                   N->F.prod_exp.slope);
}

/* Strict reading: prod / log t -> infinity, i.e. the exponent of the product against log t
 * exceeds 1 (by more than 2 standard errors of the fit). */
static void judge_strict(tc_result *res, const b2_network *N, size_t K, num_act act)
{
    char nm[96];
    const char *an = num_act_name(act);
    const num_hom_traj *T = N->T;
    tc_metric(res, ng_name(nm, sizeof nm, "%s_K%zu_product_exponent", an, K),
              N->F.prod_exp.slope - 2.0 * N->F.prod_exp.se_slope, TC_GT, 1.0);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_product_exponent_fit", an, K),
                   N->F.prod_exp.slope);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_product_over_log_t_change", an, K),
                   (T->prod[N->b] / T->s[N->b]) / (T->prod[N->a] / T->s[N->a]));
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_product_excess_growth", an, K),
                   N->excess_growth);
}

/* The fit details every reading reports. */
static void report_network(tc_result *res, const b2_network *N, size_t K, num_act act,
                           bool no_loglog)
{
    char nm[96];
    const char *an = num_act_name(act);
    const num_hom_traj *T = N->T;
    const num_hom_traj_fits *F = &N->F;
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_product_exponent_se", an, K),
                   F->prod_exp.se_slope);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_product_slope_vs_log_t", an, K),
                   F->prod_slope.slope);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_product_slope_se", an, K),
                   F->prod_slope.se_slope);
    for (size_t k = 0; k < K; k++)
        tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_layer%zu_exponent", an, K, k + 1),
                       F->layer_exp[k].slope);
    if (!no_loglog) /* (GD only: no log log regime; weak reading: checked in judge_weak_size) */
        /* the network analogue of eq. (57): -log L - log t ~ c log log t with c = 2 - 2/K
         * for the reduced dynamics */
        tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_loglog_coefficient", an, K),
                       F->loglog.slope);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_final_norm_margin", an, K),
                   T->gamma[T->nck - 1]);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_steps", an, K), (double)T->steps);
}

/* ---- figure ------------------------------------------------------------------------------- */

/* Figure 7 of 003: left, the product of layer norms; right, one layer's norm; against log t
 * for K = 1 and every depth (linear solid, ReLU dashed). */
static void figure7(tc_result *res, const num_act *acts, size_t nact, const double *dep,
                    size_t ndep)
{
    tc_plot *pl = tc_plot_new(res, "fig7_product",
                              "Product of layer norms under the exponential-loss flow", "log t",
                              "prod_k ||W_k||_F", TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot *pr = tc_plot_new(res, "fig7_layer", "Norm of the first layer", "log t",
                              "||W_1||_F", TC_PLOT_LOGX | TC_PLOT_LOGY);
    if (!pl || !pr)
        return;
    tc_plot_curve(pl, "fig7_K1", "log_t", "product_norms", NULL, "K = 1 (linear predictor)",
                  TC_STYLE_LINES);
    tc_plot_curve(pr, "fig7_K1", "log_t", "layer1_norm", NULL, "K = 1 (linear predictor)",
                  TC_STYLE_LINES);
    for (size_t ia = 0; ia < nact; ia++)
        for (size_t id = 0; id < ndep; id++) {
            size_t K = (size_t)llround(dep[id]);
            char sn[48], lab[64];
            const char *an = num_act_name(acts[ia]);
            ng_name(sn, sizeof sn, "fig7_%s_K%zu", an, K);
            ng_name(lab, sizeof lab, "K = %zu, %s", K, an);
            tc_style st = acts[ia] == NUM_ACT_RELU ? TC_STYLE_DASHED : TC_STYLE_LINES;
            tc_plot_curve(pl, sn, "log_t", "product_norms", NULL, lab, st);
            tc_plot_curve(pr, sn, "log_t", "layer1_norm", NULL, lab, st);
        }
}

/* ---- run ---------------------------------------------------------------------------------- */

/* Weak reading only: the same network by fixed-step GD against its flow. Returns false on a
 * skip. */
static bool gd_cross_check(tc_ctx *ctx, tc_result *res, const ng_deep_cfg *c,
                           const ng_deep_data *D, const num_hom_traj *T, size_t K, num_act act)
{
    char nm[96];
    const char *an = num_act_name(act);
    num_hom_traj *G = ng_deep_train(ctx, res, c, D, K, act, RUN_GD, ng_deep_stream(K, act));
    if (!G)
        return false;
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_gd_vs_flow_max_rel_diff", an, K),
                   gd_vs_flow(G, T));
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_K%zu_gd_log_t_end", an, K), G->s[G->nck - 1]);
    fig7_series(res, ng_name(nm, sizeof nm, "gd_%s_K%zu", an, K), G);
    return true;
}

/* Square-loss control (GD): its verdict (no excess growth) is read only off converged runs:
 * the product, and the one-layer reference's norm, must change by at most NG_GROWTH_FLOOR
 * (relative) over the window, as a converged GD iteration does (rounding only, see NG_GROWTH_FLOOR); else inconclusive. */
static bool b2_square_gate(tc_result *res, const b2_network *N, const char *label,
                           const b2_reference *R)
{
    char nm[96];
    const num_hom_traj *T = N->T, *ref = R->ref;
    size_t a1 = num_hom_traj_index(ref->s, ref->nck, R->lo);
    size_t b1 = num_hom_traj_index(ref->s, ref->nck, R->hi);
    double ch = fmax(fabs(T->prod[N->b] - T->prod[N->a]) / T->prod[N->b],
                     fabs(ref->prod[b1] - ref->prod[a1]) / ref->prod[b1]);
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_product_change_window", label), ch);
    if (ch <= NG_GROWTH_FLOOR)
        return true;
    tc_result_error(res, "inconclusive: not converged after t = e^%.3g: %s: the product of the "
                    "layer norms (or the reference's norm) changed by %.3g (relative) over the "
                    "window [e^%.3g, e^%.3g] "
                    "(%s_product_change_window, bound %g)", R->hi, label, ch, R->lo, R->hi,
                    label, NG_GROWTH_FLOOR);
    return false;
}

/* One (activation, depth) network: measure, gate (NG_ASYM_MAX, exponential loss), judge,
 * figure. Returns false on a skip or an inconclusive run. */
static bool run_network(tc_ctx *ctx, tc_result *res, b2_mode mode, const ng_deep_cfg *c,
                        const ng_deep_data *D, const b2_reference *R, size_t K, num_act act)
{
    bool gd_only = mode == B2_SQUARE;
    b2_network N;
    if (!measure_network(ctx, res, c, D, R, K, act, gd_only, &N))
        return false;
    char lab[48];
    ng_name(lab, sizeof lab, "%s_K%zu", num_act_name(act), K);
    if (gd_only ? !b2_square_gate(res, &N, lab, R)
                : !ng_eq57_gate(res, lab, 2.0 - 2.0 / (double)K, R->lo, R->hi,
                                N.F.loglog.intercept))
        return false;
    if (mode == B2_WEAK || mode == B2_SQUARE)
        judge_weak(res, R, &N, K, act);
    else
        judge_strict(res, &N, K, act);
    if (mode == B2_WEAK)
        judge_weak_size(res, R, &N, K, num_act_name(act));
    report_network(res, &N, K, act, gd_only || mode == B2_WEAK);
    if (mode != B2_WEAK)
        return true;
    char nm[96];
    fig7_series(res, ng_name(nm, sizeof nm, "fig7_%s_K%zu", num_act_name(act), K), N.T);
    return gd_cross_check(ctx, res, c, D, N.T, K, act);
}

static void run_b2(tc_ctx *ctx, tc_result *res)
{
    const b2_config *cfg = tc_config(ctx);
    ng_deep_cfg c;
    ng_deep_cfg_read(ctx, &c, cfg->mode == B2_SQUARE ? NUM_HOM_LOSS_SQUARE : NUM_HOM_LOSS_EXP);
    size_t ndep;
    const double *dep = tc_param_list(ctx, "depths", &ndep);
    num_act acts[2];
    size_t nact = ng_deep_acts(ctx, acts);
    ng_deep_data D;
    ng_deep_data_make(ctx, &c, &D);

    b2_reference R;
    if (!measure_reference(ctx, res, &c, &D, cfg->mode == B2_SQUARE, &R))
        return;
    judge_reference(res, &R);
    if (cfg->mode == B2_WEAK)
        fig7_series(res, "fig7_K1", R.ref);
    for (size_t ia = 0; ia < nact; ia++)
        for (size_t id = 0; id < ndep; id++)
            if (!run_network(ctx, res, cfg->mode, &c, &D, &R, (size_t)llround(dep[id]),
                             acts[ia]))
                return;
    if (cfg->mode == B2_WEAK)
        figure7(res, acts, nact, dep, ndep);
    tc_result_conclude(res);
}

/* ---- descriptors -------------------------------------------------------------------------- */

/* Square-loss control: trained by GD only (stiff in log time). Its curvature is
 * 2 sum_n |grad f_n|^2 ~ 2 n K at initialisation, so gd_eta = 0.25 keeps eta lambda < 2 up to
 * K = 4. Linear networks by default: ReLU networks converge under the square loss on a much
 * longer time scale than the GD budget (their norms still drift at t ~ 10^3, where the
 * comparison would then be with a transient, not with the converged norms). */
static const tc_param_spec deep_square_params[] = {
    NG_DEEP_PARAMS("linear", "50000", "200000", "0.25"), TC_P_END};

static const b2_config cfg_weak = {B2_WEAK}, cfg_strict = {B2_STRICT},
                       cfg_square = {B2_SQUARE};

const tc_claim ng_claim_b2 = {
    .id = "norm_growth_deep",
    .family = "norm_growth",
    .title = "Deep homogeneous nets: product of layer norms outgrows log t, layers grow slower",
    .source = "003 §12.2 item 5 (after eq. (41)), §14, Figure 7",
    .statement = "For K-layer ReLU or linear networks without bias trained with the "
                 "exponential loss on separable data, the product of the layer norms diverges "
                 "faster than the one-layer norm (which grows like log t) while each layer "
                 "diverges slower than in the one-layer case. Measured against the one-layer "
                 "predictor trained on the same data: the exponent of each ||W_k|| against "
                 "log t is below the one-layer exponent, and prod_k ||W_k|| - ||w||_1 grows.",
    .hypotheses = "separable data; homogeneous activations; no bias; exponential loss; "
                  "gradient flow (ReLU: log-time Euler) and fixed-step GD",
    .expect = TC_EXPECT_HOLDS,
    .params = ng_deep_params,
    .data = TC_DATA_NONE,
    .run = run_b2,
    .config = &cfg_weak,
};

const tc_claim ng_claim_b2_strict = {
    .id = "norm_growth_deep_strict",
    .family = "norm_growth",
    .title = "Strict reading: prod_k ||W_k|| / log t -> infinity",
    .source = "003 §12.2 item 5, §14 (\"diverges faster than logarithmically\")",
    .statement = "The product of the layer norms of a deep homogeneous network trained with the "
                 "exponential loss grows faster than any multiple of log t: its fitted exponent "
                 "against log t exceeds 1.",
    .hypotheses = "as norm_growth_deep",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "analytically false: eq. (57) gives u = -log L = log t + (2 - 2/K) "
                      "log log t + O(1), and u = gamma(t) prod_k ||W_k|| + O(log n), so "
                      "prod / log t -> 1 / gamma, a constant (for the reduced model, "
                      "ftil rho^K / log t -> 1); only the additive log log t excess is faster. "
                      "Measured: the product's fitted exponent against log t "
                      "(*_product_exponent) is below 1 and prod / log t falls over the window "
                      "(*_product_over_log_t_change < 1), as the margin gamma(t) still rises",
    .params = ng_deep_params,
    .data = TC_DATA_NONE,
    .run = run_b2,
    .config = &cfg_strict,
};

const tc_claim ng_claim_b2_square = {
    .id = "norm_growth_deep_square",
    .family = "norm_growth",
    .title = "Negative control: deep networks under the square loss",
    .source = "003 §12.1 (transplanted B2)",
    .statement = "The same statement as norm_growth_deep for GD on the square loss.",
    .hypotheses = "violated: the square loss has finite minimisers, the norms converge",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "all norms converge: product_excess_growth is at the rounding floor",
    .params = deep_square_params,
    .data = TC_DATA_NONE,
    .run = run_b2,
    .config = &cfg_square,
};
