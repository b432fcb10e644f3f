/* theorems/ntk/lazy.c — E5: lazy training (Chizat, Oyallon & Bach 2019 as quoted in 004): GD
 * reaches a small risk and the iterates stay near the initialisation, the relative movement
 * shrinking with the width; under the slides' 1/n variance and a width-independent N(0, 1)
 * one. */
#include "theorems/ntk/ntk.h"

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>

#include "numerics/stats.h"

/* What E5 measures. */
typedef struct {
    size_t S, W, steps;
    double target;        /* end of training: r <= target r(Theta_0) */
    const size_t *widths;
    train_out *out;       /* S x W runs */
    double *etas;         /* S: the step of each seed */
    size_t missed;        /* runs that missed the target within their budget */
    size_t miss_s, miss_w; /* the missed run that ended highest (seed, width index) */
    double worst;         /* max over runs of (r_end / r_0) / target: <= 1 iff all reached */
    double used;          /* max over runs of the steps to the target, in budget units */
    double *sl, *ic;      /* S: OLS slope and intercept of log movement on log n */
} e5_meas;

/* The convergence gate of E5. The decisive quantity is the movement at the end of training,
 * defined as the first iterate with r <= target r(Theta_0); a run that has not reached the
 * target has no end-of-training movement, and (i) ("converges ... if n is sufficiently
 * large") cannot be refuted by a finite budget. So every run of every width must reach the
 * target, else the claim is inconclusive (error), never decided: at the former quick budget
 * of 1500 steps lazy_training was refuted by one run ending at r/r0 = 0.0125 against 0.01, a
 * budget near-miss. Recorded: `final_risk_over_target_max` (<= 1 iff every run reached the
 * target) and `budget_used_max` (steps to the target over the budget, width-rescaled and in
 * steps of the un-halved eta; the gate is met iff every run ended within its budget). */
static void e5_gate(e5_meas *M)
{
    size_t S = M->S, W = M->W;
    for (size_t s = 0; s < S; s++)
        for (size_t w = 0; w < W; w++) {
            const train_out *o = &M->out[s * W + w];
            double f = o->gd.rK / o->gd.r0 / M->target;
            if (!o->gd.reached) {
                M->missed++;
                if (f > M->worst || M->missed == 1) {
                    M->miss_s = s;
                    M->miss_w = w;
                }
            }
            M->worst = fmax(M->worst, f);
            /* width n ran K = budget n_max / n steps, 2^h times more after h halvings */
            M->used = fmax(M->used, (double)o->gd.k_end / (double)o->gd.K);
        }
}

/* Per seed, the OLS slope of log movement on log n over all widths. */
static void e5_fit(tc_ctx *ctx, e5_meas *M)
{
    size_t S = M->S, W = M->W;
    double *logn = ntk_log_widths(ctx, M->widths, W), *ly = TC_NEW(ctx, double, W);
    M->sl = TC_NEW(ctx, double, S);
    M->ic = TC_NEW(ctx, double, S);
    for (size_t s = 0; s < S; s++) {
        for (size_t w = 0; w < W; w++)
            ly[w] = log(M->out[s * W + w].gd.move);
        ntk_ols(logn, ly, W, &M->sl[s], &M->ic[s]);
    }
}

static void e5_measure(tc_ctx *ctx, const ntk_data *D, const train_cfg *cfg, double ef,
                       e5_meas *M)
{
    M->out = TC_NEW(ctx, train_out, M->S * M->W);
    M->etas = TC_NEW(ctx, double, M->S);
    ntk_train_all(ctx, D, cfg, M->widths, M->W, M->S, M->steps, ef, M->target, M->out, NULL,
                  0, M->etas);
    e5_gate(M);
    e5_fit(ctx, M);
}

/* Metrics of E5 (decided only when the gate is met, see run_lazy). */
static void e5_judge(tc_result *res, const e5_meas *M, num_stats_tint *ts)
{
    size_t S = M->S, W = M->W;
    *ts = num_stats_t(M->sl, S);
    double mv_last = 0.0, mv_first = 0.0;
    for (size_t s = 0; s < S; s++) {
        mv_last += M->out[s * W + W - 1].gd.move / (double)S;
        mv_first += M->out[s * W].gd.move / (double)S;
    }
    /* Chizat et al. (ii): the iterates stay near the initialisation, the more so the wider
     * (NTK_LAZY_EXPONENT_MAX); (i), reaching the target, is the gate. */
    tc_metric_info(res, "runs_not_reaching_target", (double)M->missed);
    tc_metric_info(res, "final_risk_over_target_max", M->worst);
    tc_metric_info(res, "budget_used_max", M->used);
    if (M->missed == 0)
        tc_metric(res, "movement_width_exponent", ts->mean, TC_LE, NTK_LAZY_EXPONENT_MAX);
    else
        tc_metric_info(res, "movement_width_exponent", ts->mean);
    tc_metric_info(res, "movement_width_exponent_stderr", ts->se);
    tc_metric_info(res, "movement_width_exponent_ci_half_width", ts->half);
    tc_metric_info(res, "relative_movement_smallest_width", mv_first);
    tc_metric_info(res, "relative_movement_largest_width", mv_last);
    tc_metric_info(res, "eta", M->etas[0]);
    ntk_train_report(res, M->out, S, W);
}

/* Figure: the relative movement against the width with the fitted line. */
static void e5_figure(tc_ctx *ctx, tc_result *res, const train_cfg *cfg, const e5_meas *M)
{
    size_t S = M->S, W = M->W;
    num_stats_tint ts = num_stats_t(M->sl, S), ti = num_stats_t(M->ic, S);
    double *logn = ntk_log_widths(ctx, M->widths, W);
    tc_series *ser = tc_series_new(res, "movement", 5,
                                   (const char *[]){"n", "movement", "movement_err", "fit",
                                                    "steps_to_target"});
    double tq = gsl_cdf_tdist_Pinv(0.975, (double)(S - 1));
    for (size_t w = 0; w < W; w++) {
        double mu = 0.0, q = 0.0, ks = 0.0;
        for (size_t s = 0; s < S; s++) {
            mu += M->out[s * W + w].gd.move / (double)S;
            /* in steps of the un-halved eta (same rescaled time for every seed) */
            ks += ldexp((double)M->out[s * W + w].gd.k_end, -(int)M->out[s * W + w].halvings) /
                  (double)S;
        }
        for (size_t s = 0; s < S; s++)
            q += (M->out[s * W + w].gd.move - mu) * (M->out[s * W + w].gd.move - mu);
        tc_series_row(ser, (double)M->widths[w], mu, tq * sqrt(q / (double)(S - 1) / (double)S),
                      exp(ti.mean + ts.mean * logn[w]), ks);
    }
    tc_plot *p = tc_plot_new(res, "movement",
                             cfg->unit ? "Relative parameter movement at the end of training, "
                                         "theta1 ~ N(0,1)"
                                       : "Relative parameter movement at the end of training, "
                                         "theta1 ~ N(0,1/n)",
                             "width n", "||Theta_end - Theta_0|| / ||Theta_0||",
                             TC_PLOT_LOGX | TC_PLOT_LOGY);
    char lab[96];
    snprintf(lab, sizeof lab, "mean of %zu seeds", S);
    tc_plot_curve(p, "movement", "n", "movement", "movement_err", lab, TC_STYLE_ERRORBARS);
    snprintf(lab, sizeof lab, "fit: slope %.2f +- %.2f", ts.mean, ts.half);
    tc_plot_curve(p, "movement", "n", "fit", NULL, lab, TC_STYLE_DASHED);
}

/* The outcome of E5 once measured: the gate, then the verdict with the mechanism in the
 * reason. The exponent's decision is robust without an interval rule: over 20 run seeds the
 * slides' exponent lies in [-0.02, +0.11] and the unit one in [-1.12, -0.92], both > 0.4 from
 * the boundary -1/2 (docs/claims/ntk.md), while a 95% t-interval from the 3 default seeds
 * (t = 4.3) is wide enough (up to +-0.58 for the unit reading) to straddle it by chance. */
static void e5_conclude(tc_result *res, const e5_meas *M, const num_stats_tint *ts)
{
    size_t W = M->W;
    if (M->missed > 0) {
        const train_out *o = &M->out[M->miss_s * W + M->miss_w];
        tc_result_error(res, "inconclusive: not converged after %zu steps (width n runs "
                             "steps n_max / n): %zu of %zu runs did not reach r <= %g r(Theta_0), "
                             "the worst (n = %zu, seed %zu) ending at r/r0 = %.3g "
                             "(final_risk_over_target_max %.3g, bound 1); increase steps",
                        M->steps, M->missed, M->S * W, M->target, M->widths[M->miss_w],
                        M->miss_s, o->gd.rK / o->gd.r0, M->worst);
        return;
    }
    tc_result_conclude(res);
    if (res->outcome != TC_OUT_NOT_HOLDS)
        return;
    const tc_metric_rec *a = tc_result_metric(res, "relative_movement_smallest_width");
    const tc_metric_rec *b = tc_result_metric(res, "relative_movement_largest_width");
    tc_result_holds(res, false,
                    "not lazy: every run reached r <= %g r(Theta_0), but at the end of training "
                    "the parameters have moved ||Theta_end - Theta_0|| / ||Theta_0|| = %.3g "
                    "(n = %zu) to %.3g (n = %zu), movement_width_exponent %.3g +- %.3g > %g: "
                    "the movement does not shrink with the width (the first layer learns "
                    "features instead of staying near the initialisation)",
                    M->target, a->value, M->widths[0], b->value, M->widths[W - 1], ts->mean,
                    ts->half, NTK_LAZY_EXPONENT_MAX);
}

static void run_lazy(tc_ctx *ctx, tc_result *res)
{
    const train_cfg *cfg = tc_config(ctx);
    ntk_data D;
    if (!ntk_data_setup(ctx, res, &D, false))
        return;
    e5_meas M = {.S = (size_t)tc_param_int(ctx, "seeds"),
                 .steps = (size_t)tc_param_int(ctx, "steps")};
    double ef = tc_param_real(ctx, "eta_factor");
    M.target = tc_param_real(ctx, "target");
    M.widths = ntk_widths(ctx, "widths", &M.W);
    if (M.W < 3 || M.widths[0] < D.m) {
        tc_result_skip(res, "need >= 3 widths, all >= m = %zu", D.m);
        return;
    }
    e5_measure(ctx, &D, cfg, ef, &M);
    num_stats_tint ts;
    e5_judge(res, &M, &ts);
    e5_figure(ctx, res, cfg, &M);
    e5_conclude(res, &M, &ts);
}

static const tc_param_spec e5_params[] = {
    TC_P_INT("m", TRAIN_M, TC_SAME, 2, 500, "samples (ignored with --data)"),
    TC_P_INT("d", TRAIN_D, TC_SAME, 1, 1000, "input dimension (ignored with --data)"),
    TC_P_LIST("widths", TRAIN_WIDTHS_QUICK, TRAIN_WIDTHS_FULL, 1, 65536,
              "widths n (>= m); width n may run up to steps * n_max / n GD steps"),
    /* Budget: the slides' reading needs up to 3,090 steps (at n_max) to reach the target over
     * 20 run seeds of the quick profile (budget_used_max); 10,000 leaves a factor 3. It costs
     * nothing when the target is reached (training stops there); full: see ntk.md. */
    TC_P_INT("steps", "10000", "40000", 10, 1000000,
              "GD step budget at the largest width (training stops at the target; a run that "
              "misses it makes the claim inconclusive)"),
    TC_P_REAL("target", "0.01", TC_SAME, 1e-12, 0.5,
              "end of training: r(Theta_k) <= target * r(Theta_0)"),
    TC_P_INT("seeds", "3", "8", 2, 100, "initialisations per width"),
    TC_P_REAL("eta_factor", "0.5", TC_SAME, 1e-6, 1.0,
              "eta = eta_factor * m / lambda_max(NTK at init, largest width), fixed across widths"),
    TC_P_CHOICE("activation", "erf", TC_SAME, ACT_CHOICES, ACT_HELP),
    TC_P_END};

#define E5_STATEMENT                                                                         \
    "(i) Gradient descent converges with an exponential rate to an arbitrarily small "         \
    "empirical risk if the width n is sufficiently large; (ii) the iterates stay in a small "  \
    "fixed neighbourhood of the initialisation during training (relative movement "            \
    "||Theta_end - Theta_0|| / ||Theta_0|| shrinking as n grows)."

const tc_claim ntk_claim_lazy = {
    .id = "lazy_training",
    .family = "ntk",
    .title = "Lazy training: GD fits the data while barely moving (slides' initialisation)",
    .source = "004 Lecture 3, Lazy Training: Theorem (Chizat, Oyallon, Bach; 2019) and 'A "
              "Strange Effect'",
    .statement = E5_STATEMENT,
    .hypotheses = "theta1 ~ N(0, 1/n), theta2 ~ N(0, 1/n) as on the slides; eta fixed across "
                  "widths; end of training at r <= target r(Theta_0) within the step budget.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason =
        "Under theta1 ~ N(0, 1/n) the kernel degenerates with n (ntk_min_eig): runs at the "
        "largest width miss r <= 0.01 r0 within the budget (1 of 3 at n = 512 quick, 4 of 12 "
        "at n = 2048 full), and where the target is reached the parameters move about twice "
        "their initial norm at every width (movement_width_exponent +0.11 quick, +0.08 full).",
    .params = e5_params,
    .data = TC_DATA_FEATURES,
    .run = run_lazy,
    .config = &(const train_cfg){.unit = false, .stop_at_target = true}};

const tc_claim ntk_claim_lazy_unit = {
    .id = "lazy_training_unit_init",
    .family = "ntk",
    .title = "Lazy training: GD fits the data while barely moving (N(0,1) initialisation)",
    .source = "004 Lecture 3, Lazy Training: Theorem (Chizat, Oyallon, Bach; 2019) (second "
              "reading of the initialisation)",
    .statement = E5_STATEMENT,
    .hypotheses = "theta1 ~ N(0, 1), theta2 ~ N(0, 1/n); eta fixed across widths; end of "
                  "training at r <= target r(Theta_0).",
    .expect = TC_EXPECT_HOLDS,
    .params = e5_params,
    .data = TC_DATA_FEATURES,
    .run = run_lazy,
    .config = &(const train_cfg){.unit = true, .stop_at_target = true}};

