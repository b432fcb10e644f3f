/* theorems/angle/depth.c — D4: angles through L random layers (angle_depth), and the negative
 * control without the ReLU (angle_depth_linear_control).
 *
 * The unit of independence is the network. Within one network, the pairs share every weight
 * matrix: beyond the first layer the ReLU features of all pairs share a large mean component
 * m, and w_i . m acts as a random bias common to all pairs, so the per-network angles fluctuate
 * together by O(sqrt(l/m)) however many pairs are pooled (measured: the spread over networks
 * at layer 6, m = 256, is 0.04 rad for 8, 32 and 128 pairs per angle alike). Hence: R
 * independent networks (tc_stream(r)), per network the pooled angle of k pairs per starting
 * angle, and Student t-statistics over the R networks.
 */
#include "theorems/angle/angle.h"

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "numerics/kernels.h"
#include "numerics/randnet.h"

typedef struct {
    num_act act; /* RELU for the claim, LINEAR for the control */
} depth_config;

static const depth_config cfg_relu = {NUM_ACT_RELU};
static const depth_config cfg_linear = {NUM_ACT_LINEAR};

typedef struct {
    size_t nt, m, L, R, k;
    const double *th0; /* nt starting angles */
    double *ang;       /* [(r nt + j)(L + 1) + l]: angle of network r, start j, at layer l */
    double *law;       /* [j (L + 1) + l]: the iterated law */
} depth_data;

typedef struct {
    const double *X; /* the 2 P x 2 P batch of orthogonal input pairs */
    double *W, *A, *B;
    size_t *idx;
} depth_ws;

/* The iterated law theta_{l+1} = arccos(cos-law(theta_l)) (001 §V-A; CLAIMS D4). */
static void depth_iterated_law(depth_data *dt)
{
    size_t L = dt->L;
    for (size_t j = 0; j < dt->nt; j++) {
        dt->law[j * (L + 1)] = dt->th0[j];
        for (size_t l = 1; l <= L; l++)
            dt->law[j * (L + 1) + l] =
                num_acos_clamped(num_relu_cos_law(dt->law[j * (L + 1) + l - 1]));
    }
}

/* One network r (weights from g): the pooled angle of each starting angle at every layer. */
static void depth_network(tc_ctx *ctx, const depth_config *cfg, depth_data *dt,
                          const depth_ws *ws, gsl_rng *g, size_t r)
{
    size_t nt = dt->nt, k = dt->k, m = dt->m, L = dt->L, P = nt * k;
    const double *in = ws->X;
    size_t din = 2 * P;
    for (size_t j = 0; j < nt; j++)
        dt->ang[(r * nt + j) * (L + 1)] = dt->th0[j];
    for (size_t l = 1; l <= L; l++) {
        double *out = (l % 2) ? ws->A : ws->B;
        tc_check(ctx, num_randnet_draw(g, m, din, 1.0 / sqrt((double)m), ws->W, 0.0, NULL),
                 "random network");
        tc_check(ctx, num_randnet_apply(in, 2 * P, din, ws->W, m, NULL, cfg->act, 0.1, out, out),
                 "random network");
        for (size_t j = 0; j < nt; j++) {
            for (size_t i = 0; i < k; i++)
                ws->idx[i] = j * k + i;
            double c;
            tc_check(ctx,
                     num_randnet_pooled_cos(out, m, ws->idx, k, NUM_RANDNET_UNIT_ROW, &c, NULL),
                     "random network");
            dt->ang[(r * nt + j) * (L + 1) + l] = num_acos_clamped(c);
        }
        in = out;
        din = m;
    }
}

/* Measure: R independent networks, k pairs per starting angle in each. */
static void depth_measure(tc_ctx *ctx, const depth_config *cfg, depth_data *dt)
{
    size_t nt = dt->nt, k = dt->k, m = dt->m, P = nt * k, d = 2 * P, dmax = d > m ? d : m;
    double *X = TC_NEW(ctx, double, 2 * P * d), *tp = TC_NEW(ctx, double, P);
    depth_ws ws = {.X = X, .W = TC_NEW(ctx, double, m * dmax),
                   .A = TC_NEW(ctx, double, 2 * P * m), .B = TC_NEW(ctx, double, 2 * P * m),
                   .idx = TC_NEW(ctx, size_t, k)};
    for (size_t j = 0; j < nt; j++)
        for (size_t i = 0; i < k; i++)
            tp[j * k + i] = dt->th0[j];
    tc_check(ctx, num_randnet_pairs_orthogonal(P, tp, X, d), "random network");
    for (size_t r = 0; r < dt->R; r++)
        depth_network(ctx, cfg, dt, &ws, tc_stream(ctx, r), r);
}

/* Mean over the R networks of v and its standard error. */
static void depth_mean_se(const double *v, size_t R, double *mu, double *se)
{
    *mu = gsl_stats_mean(v, 1, R);
    *se = gsl_stats_sd_m(v, 1, R, *mu) / sqrt((double)R);
}

/* Judge: t-tests over the networks of the law at every (angle, layer), of the layer shrinkage
 * at every (angle, layer) and of the total shrinkage per angle. */
static void depth_judge(tc_ctx *ctx, tc_result *res, const depth_data *dt)
{
    size_t nt = dt->nt, L = dt->L, R = dt->R;
    const double *ang = dt->ang;
    /* Tests: law at every (angle, layer), layer shrinkage at every (angle, layer), total
     * shrinkage per angle; all at the two-sided Bonferroni level. */
    double ntests = (double)(2 * nt * L + nt);
    double tc = gsl_cdf_tdist_Qinv(ANGLE_ALPHA / (2.0 * ntests), (double)(R - 1));
    double max_t_law = 0.0, min_t_layer = INFINITY, min_t_total = INFINITY, max_err = 0.0;
    double n_expand = 0.0, mu, se, *v = TC_NEW(ctx, double, R);
    for (size_t l = 1; l <= L; l++)
        for (size_t j = 0; j < nt; j++) {
            for (size_t r = 0; r < R; r++)
                v[r] = ang[(r * nt + j) * (L + 1) + l];
            depth_mean_se(v, R, &mu, &se);
            double lw = dt->law[j * (L + 1) + l];
            double excess = fabs(mu - lw) - DEPTH_FW_C * (double)l / (double)dt->m;
            double tl = (excess > 0.0 ? excess : 0.0) / angle_hyp(se);
            if (tl > max_t_law)
                max_t_law = tl;
            if (fabs(mu - lw) > max_err)
                max_err = fabs(mu - lw);
            for (size_t r = 0; r < R; r++)
                v[r] = ang[(r * nt + j) * (L + 1) + l - 1] - ang[(r * nt + j) * (L + 1) + l];
            depth_mean_se(v, R, &mu, &se);
            double tlay = mu / angle_hyp(se);
            if (tlay < min_t_layer)
                min_t_layer = tlay;
            if (mu <= 0.0)
                n_expand += 1.0;
            if (l == L) {
                for (size_t r = 0; r < R; r++)
                    v[r] = ang[(r * nt + j) * (L + 1)] - ang[(r * nt + j) * (L + 1) + L];
                depth_mean_se(v, R, &mu, &se);
                double tt = mu / angle_hyp(se);
                if (tt < min_t_total)
                    min_t_total = tt;
            }
        }
    /* 001 §V-A: "the deeper the network, the stronger the shrinkage achieved": the cumulative
     * shrinkage theta_0 - theta_L is significantly positive for every starting angle, no layer
     * significantly expands an angle, and the angles follow the iterated law (up to the
     * finite-width allowance DEPTH_FW_C l/m). */
    tc_metric(res, "max_abs_t_iterated_law", max_t_law, TC_LE, tc);
    tc_metric(res, "min_t_total_shrinkage", min_t_total, TC_GE, tc);
    tc_metric(res, "min_t_layer_shrinkage", min_t_layer, TC_GE, -tc);
    tc_metric_info(res, "max_abs_law_error_rad", max_err);
    tc_metric_info(res, "finite_width_allowance_rad_at_depth",
                   DEPTH_FW_C * (double)L / (double)dt->m);
    tc_metric_info(res, "layers_with_mean_expansion", n_expand);
    tc_metric_info(res, "t_critical", tc);
}

/* Figure: depth_map, one row per layer: mean angle over the networks, its SE and the law for
 * every starting angle; curves for the first 8 starting angles. */
static void depth_figure(tc_ctx *ctx, tc_result *res, const depth_data *dt)
{
    size_t nt = dt->nt, L = dt->L, R = dt->R, ncol = 1 + 3 * nt;
    const char **cols = TC_NEW(ctx, const char *, ncol);
    char(*names)[40] = tc_alloc(ctx, ncol, sizeof *names);
    double *row = TC_NEW(ctx, double, ncol), *v = TC_NEW(ctx, double, R);
    cols[0] = "layer";
    for (size_t j = 0; j < nt; j++) {
        snprintf(names[1 + 3 * j], 40, "theta_measured_%zu", j);
        snprintf(names[2 + 3 * j], 40, "theta_se_%zu", j);
        snprintf(names[3 + 3 * j], 40, "theta_law_%zu", j);
        for (int c = 1; c <= 3; c++)
            cols[c + 3 * j] = names[c + 3 * j];
    }
    tc_series *ser = tc_series_new(res, "depth_map", ncol, cols);
    for (size_t l = 0; l <= L; l++) {
        row[0] = (double)l;
        for (size_t j = 0; j < nt; j++) {
            for (size_t r = 0; r < R; r++)
                v[r] = dt->ang[(r * nt + j) * (L + 1) + l];
            depth_mean_se(v, R, &row[1 + 3 * j], &row[2 + 3 * j]);
            row[3 + 3 * j] = dt->law[j * (L + 1) + l];
        }
        tc_series_add(ser, row);
    }
    tc_plot *pl = tc_plot_new(res, "depth_map", "Angle between two inputs against depth",
                              "layer l", "angle theta_l (rad)", 0);
    char lab[96];
    for (size_t j = 0; j < nt && j < 8; j++) {
        tc_plot_curve(pl, "depth_map", "layer", names[1 + 3 * j], names[2 + 3 * j],
                      angle_label(lab, sizeof lab, "theta_0 = %.3g, measured (+-1 SE)",
                                  dt->th0[j]),
                      TC_STYLE_ERRORBARS);
        tc_plot_curve(pl, "depth_map", "layer", names[3 + 3 * j], NULL,
                      angle_label(lab, sizeof lab, "theta_0 = %.3g, iterated law", dt->th0[j]),
                      TC_STYLE_DASHED);
    }
}

static void run_depth(tc_ctx *ctx, tc_result *res)
{
    const depth_config *cfg = tc_config(ctx);
    depth_data dt = {0};
    dt.th0 = angle_read_thetas(ctx, "thetas", &dt.nt);
    dt.m = (size_t)tc_param_int(ctx, "width");
    dt.L = (size_t)tc_param_int(ctx, "depth");
    dt.R = (size_t)tc_param_int(ctx, "networks");
    dt.k = (size_t)tc_param_int(ctx, "pairs");
    size_t P = dt.nt * dt.k;
    if (P > 2048) { /* the orthogonal input pairs need a (2P x 2P) input batch */
        tc_result_skip(res, "thetas x pairs = %zu exceeds 2048 pairs", P);
        return;
    }
    dt.ang = TC_NEW(ctx, double, dt.R * dt.nt * (dt.L + 1));
    dt.law = TC_NEW(ctx, double, dt.nt * (dt.L + 1));
    depth_iterated_law(&dt);
    depth_measure(ctx, cfg, &dt);
    depth_judge(ctx, res, &dt);
    depth_figure(ctx, res, &dt);
    tc_result_conclude(res);
}

static const tc_param_spec params_depth[] = {
    TC_P_LIST("thetas", "0.5,1.0,1.5708,2.2,3.1416", "0.3,0.5,1.0,1.5708,2.2,2.8,3.1416", 0.01,
              3.1416,
              "starting angles in radians (small angles shrink by ~theta^2/(3 pi) per layer: "
              "below ~0.3 the per-layer shrinkage drowns in the O(sqrt(l/m)) network-to-network "
              "spread)"),
    TC_P_INT("width", "256", "1024", 64, 4096, "width m of every layer"),
    TC_P_INT("depth", "6", "10", 1, 50, "number of random layers L"),
    TC_P_INT("networks", "32", "32", 4, 256,
             "independent networks (the unit of the t-tests: pairs in one network fluctuate "
             "together)"),
    TC_P_INT("pairs", "8", "8", 1, 64, "pairs per starting angle in each network"),
    TC_P_END};

#define D4_STATEMENT                                                                         \
    "Angles shrink with every layer of a random ReLU network, following the iterated "        \
    "arc-cosine law theta_{l+1} = arccos((sin theta_l + (pi - theta_l) cos theta_l) / pi): "  \
    "'the deeper the network, the stronger the shrinkage achieved'."

const tc_claim angle_claim_depth = {
    .id = "angle_depth",
    .family = "angle",
    .title = "Angles through L random ReLU layers: iterated law, shrinkage at every layer",
    .source = SRC_VA " ('Therefore, the deeper the network, the stronger the shrinkage "
                     "achieved'); CLAIMS.md D4",
    .statement = D4_STATEMENT,
    .hypotheses = "L layers relu(W_l h), W_l i.i.d. N(0, 1/m), width m; R independent networks "
                  "(the law holds up to O(l/m) at finite width: allowance 2 l/m rad) "
                  "(t-tests over networks, Bonferroni); per network the pooled angle of k "
                  "pairs per starting angle.",
    .expect = TC_EXPECT_HOLDS,
    .params = params_depth,
    .data = TC_DATA_NONE,
    .run = run_depth,
    .config = &cfg_relu};

const tc_claim angle_claim_depth_linear = {
    .id = "angle_depth_linear_control",
    .family = "angle",
    .title = "Negative control: a deep linear random network does not shrink angles",
    .source = SRC_VA "; CLAIMS.md D4 with the ReLU removed",
    .statement = D4_STATEMENT " (for a network without non-linearity)",
    .hypotheses = "L layers W_l h, W_l ~ N(0, 1/m): the mechanism (ReLU) is removed.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "Linear layers preserve angles up to O(m^-1/2) noise: the total "
                      "shrinkage is not significant (min_t_total_shrinkage = -2.0, t_crit 7.6) and "
                      "the angles do not follow the iterated law (error 2.4 rad at theta_0 = "
                      "pi).",
    .params = params_depth,
    .data = TC_DATA_NONE,
    .run = run_depth,
    .config = &cfg_linear};
