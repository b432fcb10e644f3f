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
    size_t missed;        /* runs that missed the target */
    size_t missed_last;   /* of them at the largest width */
    size_t Wr;            /* widths at which every seed reached the target (the fit) */
    double *sl, *ic;      /* S: OLS slope and intercept of log movement on log n (Wr widths) */
} e5_meas;

/* "End of training" is the first iterate with r <= target r(Theta_0). A width at which
 * some seed misses the target within its budget is not "sufficiently large" for (i) and
 * its movement is not an end-of-training movement: it is left out of the fit. The widest
 * networks must reach the target (004: convergence "if the width n is sufficiently
 * large"; under the unit reading the rate grows like n, so they are the fastest). */
static void e5_fit(tc_ctx *ctx, e5_meas *M)
{
    size_t S = M->S, W = M->W;
    bool *allr = TC_NEW(ctx, bool, W);
    double *logn = TC_NEW(ctx, double, W), *ly = TC_NEW(ctx, double, W);
    M->sl = TC_NEW(ctx, double, S);
    M->ic = TC_NEW(ctx, double, S);
    for (size_t w = 0; w < W; w++) {
        allr[w] = true;
        for (size_t s = 0; s < S; s++)
            if (!M->out[s * W + w].gd.reached) {
                allr[w] = false;
                M->missed++;
                M->missed_last += w == W - 1;
            }
        if (allr[w])
            logn[M->Wr++] = log((double)M->widths[w]);
    }
    for (size_t s = 0; s < S; s++) {
        size_t j = 0;
        for (size_t w = 0; w < W; w++)
            if (allr[w])
                ly[j++] = log(M->out[s * W + w].gd.move);
        if (M->Wr >= 2)
            ntk_ols(logn, ly, M->Wr, &M->sl[s], &M->ic[s]);
        else
            M->sl[s] = M->ic[s] = NAN;
    }
}

static void e5_measure(tc_ctx *ctx, const ntk_data *D, const train_cfg *cfg, double ef,
                       e5_meas *M)
{
    M->out = TC_NEW(ctx, train_out, M->S * M->W);
    M->etas = TC_NEW(ctx, double, M->S);
    ntk_train_all(ctx, D, cfg, M->widths, M->W, M->S, M->steps, ef, M->target, M->out, NULL,
                  0, M->etas);
    e5_fit(ctx, M);
}

/* Metrics of E5; returns true when no verdict on the movement is possible: every run at the
 * largest width reached the target, but fewer than 3 widths did at every seed (a slope from
 * two points has no interval). */
static bool e5_judge(tc_result *res, const e5_meas *M)
{
    size_t S = M->S, W = M->W;
    num_stats_tint ts = num_stats_t(M->sl, S);
    double mv_last = 0.0, mv_first = 0.0;
    for (size_t s = 0; s < S; s++) {
        mv_last += M->out[s * W + W - 1].gd.move / (double)S;
        mv_first += M->out[s * W].gd.move / (double)S;
    }
    /* Chizat et al. (i): GD reaches the small risk target at the largest widths ... */
    tc_metric(res, "runs_not_reaching_target_largest_width", (double)M->missed_last, TC_EQ,
              0.0);
    tc_metric_info(res, "runs_not_reaching_target", (double)M->missed);
    tc_metric_info(res, "widths_in_fit", (double)M->Wr);
    /* ... and (ii): the iterates stay near the initialisation, the more so the wider. */
    bool fit_ok = M->missed_last == 0 && M->Wr >= 3;
    if (fit_ok)
        tc_metric(res, "movement_width_exponent", ts.mean, TC_LE, NTK_LAZY_EXPONENT_MAX);
    else
        tc_metric_info_nan_ok(res, "movement_width_exponent", ts.mean);
    tc_metric_info_nan_ok(res, "movement_width_exponent_stderr", ts.se);
    tc_metric_info(res, "relative_movement_smallest_width", mv_first);
    tc_metric_info(res, "relative_movement_largest_width", mv_last);
    tc_metric_info(res, "eta", M->etas[0]);
    ntk_train_report(res, M->out, S, W);
    return M->missed_last == 0 && M->Wr < 3;
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

/* A failure caused by missed targets at the largest width says so in the reason. */
static void e5_explain(tc_result *res, const e5_meas *M)
{
    size_t S = M->S, W = M->W;
    double worst = 0.0;
    for (size_t s = 0; s < S; s++)
        worst = fmax(worst, M->out[s * W + W - 1].gd.rK / M->out[s * W + W - 1].gd.r0);
    char why[512];
    snprintf(why, sizeof why, "%s", res->reason ? res->reason : "");
    tc_result_holds(res, false,
                    "%s: %zu of %zu runs at the largest width n = %zu end at r/r0 up to "
                    "%.3g > target %g after %zu steps (slow convergence at this width, or a "
                    "`steps` budget too small for these data)",
                    why, M->missed_last, S, M->widths[W - 1], worst, M->target, M->steps);
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
    bool inconclusive = e5_judge(res, &M);
    e5_figure(ctx, res, cfg, &M);
    if (inconclusive) {
        tc_result_error(res, "inconclusive: only %zu widths reached r <= %g r(Theta_0) at every "
                             "seed within the budget (need 3); increase steps", M.Wr, M.target);
        return;
    }
    tc_result_conclude(res);
    if (res->outcome == TC_OUT_NOT_HOLDS && M.missed_last > 0)
        e5_explain(res, &M);
}

static const tc_param_spec e5_params[] = {
    TC_P_INT("m", TRAIN_M, TC_SAME, 2, 500, "samples (ignored with --data)"),
    TC_P_INT("d", TRAIN_D, TC_SAME, 1, 1000, "input dimension (ignored with --data)"),
    TC_P_LIST("widths", TRAIN_WIDTHS_QUICK, TRAIN_WIDTHS_FULL, 1, 65536,
              "widths n (>= m); width n may run up to steps * n_max / n GD steps"),
    TC_P_INT("steps", "1500", "3000", 10, 1000000,
              "GD step budget at the largest width (training stops at the target)"),
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

