/* theorems/angle/intrinsic.c — D6: random ReLU networks (almost) do not increase the intrinsic
 * dimension (angle_intrinsic_dimension), and the negative control with per-layer noise
 * (angle_intrinsic_dimension_noise_control). One run function; .config adds the noise.
 *
 * Two data sets per seed: Gaussian points on a random k-dimensional subspace of R^D and points
 * on a generic smooth closed curve (dimension 1); the Levina-Bickel estimate
 * (numerics/intrinsic_dim.h) at the input and after every layer.
 */
#include "theorems/angle/angle.h"

#include <math.h>
#include <stdbool.h>

#include "numerics/intrinsic_dim.h"
#include "numerics/randnet.h"

typedef struct {
    bool noisy; /* every layer adds independent noise (the control) */
} intrinsic_config;

static const intrinsic_config cfg_clean = {false};
static const intrinsic_config cfg_noisy = {true};

typedef struct {
    size_t k, D, n, m, L, S, k1, k2;
    double noise; /* per-layer noise over the RMS feature coordinate (control only) */
    double *id;   /* [(set S + s)(L + 1) + l]: estimate for set 0 (subspace) / 1 (curve) */
} intrinsic_data;

typedef struct {
    double *X, *A, *B, *W, *F, *U, *work;
    size_t lwork;
} intrinsic_ws;

/* One data set (already in ws->X) through L random ReLU layers drawn from r: the estimate at
 * the input and after every layer into row[0..L]. Returns the first failing status (the
 * estimator's NUM_EINFEASIBLE, duplicate points, is a skip for the caller). */
static num_status intrinsic_network(const intrinsic_config *cfg, const intrinsic_data *dt,
                                    const intrinsic_ws *ws, gsl_rng *r, double *row)
{
    size_t n = dt->n, m = dt->m;
    num_status st = num_intrinsic_dim_mle(ws->X, n, dt->D, dt->k1, dt->k2, ws->work, ws->lwork,
                                          &row[0], NULL);
    const double *in = ws->X;
    size_t din = dt->D;
    for (size_t l = 1; l <= dt->L && st == NUM_OK; l++) {
        double *out = (l % 2) ? ws->A : ws->B;
        st = num_randnet_draw(r, m, din, 1.0 / sqrt((double)m), ws->W, 0.0, NULL);
        if (st == NUM_OK)
            st = num_randnet_apply(in, n, din, ws->W, m, NULL, NUM_ACT_RELU, 0.1, out, out);
        if (st == NUM_OK && cfg->noisy) /* control: noise x the RMS feature coordinate */
            st = num_randnet_add_relative_noise(r, dt->noise, out, n * m);
        if (st == NUM_OK)
            st = num_intrinsic_dim_mle(out, n, m, dt->k1, dt->k2, ws->work, ws->lwork, &row[l],
                                       NULL);
        in = out;
        din = m;
    }
    return st;
}

/* Measure: per seed, the subspace and the curve data sets through their own network. */
static num_status intrinsic_measure(tc_ctx *ctx, const intrinsic_config *cfg,
                                    intrinsic_data *dt)
{
    const size_t J = CURVE_HARMONICS;
    size_t n = dt->n, D = dt->D, m = dt->m, k = dt->k, S = dt->S, L = dt->L;
    size_t dmax = D > m ? D : m, fk = k > 2 * J ? k : 2 * J;
    intrinsic_ws ws = {.lwork = num_intrinsic_dim_work_size(n, dmax, dt->k2)};
    ws.X = TC_NEW(ctx, double, n * D);
    ws.A = TC_NEW(ctx, double, n * m), ws.B = TC_NEW(ctx, double, n * m);
    ws.W = TC_NEW(ctx, double, m * dmax);
    ws.F = TC_NEW(ctx, double, n * fk), ws.U = TC_NEW(ctx, double, D * fk);
    ws.work = TC_NEW(ctx, double, ws.lwork);
    num_status st = NUM_OK;
    for (size_t s = 0; s < S && st == NUM_OK; s++) {
        gsl_rng *r = tc_stream(ctx, s);
        for (size_t set = 0; set < 2 && st == NUM_OK; set++) {
            if (set == 0)
                tc_check(ctx, num_intrinsic_dim_sample_subspace(r, n, D, k, ws.X, ws.F, ws.U),
                         "subspace data");
            else
                tc_check(ctx, num_intrinsic_dim_sample_curve(r, n, D, J, ws.X, ws.F, ws.U),
                         "curve data");
            st = intrinsic_network(cfg, dt, &ws, r, dt->id + (set * S + s) * (L + 1));
        }
    }
    return st;
}

/* Judge: the estimator is validated on the input (where the dimension is known), then the
 * largest excess over the known dimension at any layer must stay below ID_MARGIN. Returns
 * false with a skip recorded if the validation fails. */
static bool intrinsic_judge(tc_result *res, const intrinsic_data *dt)
{
    size_t S = dt->S, L = dt->L;
    const size_t truth[2] = {dt->k, 1};
    double worst_in = 0.0;
    for (size_t set = 0; set < 2; set++)
        for (size_t s = 0; s < S; s++) {
            double e = fabs(dt->id[(set * S + s) * (L + 1)] - (double)truth[set]);
            if (e > worst_in)
                worst_in = e;
        }
    if (worst_in > ID_VALID_TOL) {
        tc_result_skip(res,
                       "the estimator misses the known input dimension by %.3f > %.2f: it "
                       "cannot resolve dimension %zu with %zu points",
                       worst_in, ID_VALID_TOL, dt->k, dt->n);
        return false;
    }
    double excess[2] = {-INFINITY, -INFINITY}, mean_in[2] = {0, 0}, mean_out[2] = {0, 0};
    for (size_t l = 0; l <= L; l++)
        for (size_t set = 0; set < 2; set++) {
            double mu = 0.0;
            for (size_t s = 0; s < S; s++) {
                double v = dt->id[(set * S + s) * (L + 1) + l];
                mu += v / (double)S;
                if (v - (double)truth[set] > excess[set])
                    excess[set] = v - (double)truth[set];
            }
            if (l == 0)
                mean_in[set] = mu;
            if (l == L)
                mean_out[set] = mu;
        }
    /* 001 §V-A: "low-dimensional data at the input remain such throughout the entire network,
     * i.e., deep networks (almost) do not increase the intrinsic dimension of the data". */
    tc_metric(res, "max_id_excess_subspace", excess[0], TC_LT, ID_MARGIN);
    tc_metric(res, "max_id_excess_curve", excess[1], TC_LT, ID_MARGIN);
    tc_metric_info(res, "input_id_subspace", mean_in[0]);
    tc_metric_info(res, "input_id_curve", mean_in[1]);
    tc_metric_info(res, "last_layer_id_subspace", mean_out[0]);
    tc_metric_info(res, "last_layer_id_curve", mean_out[1]);
    tc_metric_info(res, "id_increase_per_layer_subspace", (mean_out[0] - mean_in[0]) / (double)L);
    tc_metric_info(res, "id_increase_per_layer_curve", (mean_out[1] - mean_in[1]) / (double)L);
    tc_metric_info(res, "ambient_dimension", (double)dt->m);
    return true;
}

static void intrinsic_figure(tc_result *res, const intrinsic_data *dt)
{
    size_t S = dt->S, L = dt->L;
    tc_series *ser = tc_series_new(res, "intrinsic_dim", 5,
                                   (const char *[]){"layer", "subspace_id", "curve_id",
                                                    "subspace_dim", "curve_dim"});
    for (size_t l = 0; l <= L; l++) {
        double mu[2] = {0.0, 0.0};
        for (size_t set = 0; set < 2; set++)
            for (size_t s = 0; s < S; s++)
                mu[set] += dt->id[(set * S + s) * (L + 1) + l] / (double)S;
        tc_series_row(ser, (double)l, mu[0], mu[1], (double)dt->k, 1.0);
    }
    tc_plot *pl = tc_plot_new(res, "intrinsic_dim",
                              "Intrinsic dimension through a random ReLU network",
                              "layer l (0 = input)", "Levina-Bickel MLE of the dimension", 0);
    tc_plot_curve(pl, "intrinsic_dim", "layer", "subspace_id", NULL,
                  "k-dimensional subspace: estimate", TC_STYLE_LINESPOINTS);
    tc_plot_curve(pl, "intrinsic_dim", "layer", "subspace_dim", NULL, "k", TC_STYLE_DASHED);
    tc_plot_curve(pl, "intrinsic_dim", "layer", "curve_id", NULL, "closed curve: estimate",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(pl, "intrinsic_dim", "layer", "curve_dim", NULL, "1", TC_STYLE_DASHED);
}

static void run_intrinsic(tc_ctx *ctx, tc_result *res)
{
    const intrinsic_config *cfg = tc_config(ctx);
    intrinsic_data dt = {0};
    dt.k = (size_t)tc_param_int(ctx, "subspace_dim");
    dt.D = (size_t)tc_param_int(ctx, "input_dim");
    dt.n = (size_t)tc_param_int(ctx, "points");
    dt.m = (size_t)tc_param_int(ctx, "width");
    dt.L = (size_t)tc_param_int(ctx, "depth");
    dt.S = (size_t)tc_param_int(ctx, "seeds");
    dt.k1 = (size_t)tc_param_int(ctx, "knn_min");
    dt.k2 = (size_t)tc_param_int(ctx, "knn_max");
    dt.noise = cfg->noisy ? tc_param_real(ctx, "noise") : 0.0;
    if (dt.k2 < dt.k1 || dt.k2 >= dt.n || dt.k > dt.D) {
        tc_result_skip(res, "need knn_min <= knn_max < points and subspace_dim <= input_dim");
        return;
    }
    dt.id = TC_NEW(ctx, double, 2 * dt.S * (dt.L + 1));
    num_status st = intrinsic_measure(ctx, cfg, &dt);
    if (st == NUM_EINFEASIBLE) {
        tc_result_skip(res, "duplicate points at some layer: the estimator is undefined");
        return;
    }
    tc_check(ctx, st, "intrinsic dimension");
    if (!intrinsic_judge(res, &dt))
        return;
    intrinsic_figure(res, &dt);
    tc_result_conclude(res);
}

#define ID_PARAMS_COMMON                                                                     \
    TC_P_INT("subspace_dim", "2", TC_SAME, 1, 8,                                             \
             "dimension k of the input subspace (the curve has dimension 1)"),               \
    TC_P_INT("input_dim", "32", TC_SAME, 2, 512, "ambient input dimension D"),               \
    TC_P_INT("points", "500", "1000", 100, 2000, "points per data set"),                     \
    TC_P_INT("width", "256", TC_SAME, 16, 2048, "width m of every layer"),                   \
    TC_P_INT("depth", "6", TC_SAME, 1, 30, "number of random ReLU layers"),                  \
    TC_P_INT("seeds", "3", "5", 1, 32, "independent data sets and networks"),                \
    TC_P_INT("knn_min", "10", TC_SAME, 2, 200,                                               \
             "smallest neighbour count k1 of the Levina-Bickel average"),                    \
    TC_P_INT("knn_max", "20", TC_SAME, 2, 256,                                               \
             "largest neighbour count k2 (Levina & Bickel use 10..20)")

static const tc_param_spec params_id[] = {ID_PARAMS_COMMON, TC_P_END};
static const tc_param_spec params_id_noise[] = {
    ID_PARAMS_COMMON,
    TC_P_REAL("noise", "0.05", TC_SAME, 0.0, 10.0,
              "per-layer noise standard deviation over the RMS feature coordinate"),
    TC_P_END};

#define D6_ID_STATEMENT                                                                      \
    "Low-dimensional data at the input remain such throughout the entire network, i.e., "     \
    "deep networks (almost) do not increase the intrinsic dimension of the data."

const tc_claim angle_claim_intrinsic = {
    .id = "angle_intrinsic_dimension",
    .family = "angle",
    .title = "Random ReLU networks (almost) do not increase the intrinsic dimension",
    .source = SRC_VA ", paragraph 5; CLAIMS.md D6",
    .statement = D6_ID_STATEMENT,
    .hypotheses = "Data: Gaussian points on a random k-dimensional subspace of R^D and points "
                  "on a closed curve (dimension 1); L random ReLU layers of width m, W ~ N(0, "
                  "1/m). Estimator: Levina-Bickel MLE pooled as MacKay-Ghahramani, averaged "
                  "over k1..k2 neighbours, validated on the input (within 0.25 of the known "
                  "dimension, else skip). '(almost) do not increase': the estimate stays "
                  "below k + 0.5 at every layer.",
    .expect = TC_EXPECT_HOLDS,
    .params = params_id,
    .data = TC_DATA_NONE,
    .run = run_intrinsic,
    .config = &cfg_clean};

const tc_claim angle_claim_intrinsic_noise = {
    .id = "angle_intrinsic_dimension_noise_control",
    .family = "angle",
    .title = "Negative control: per-layer noise raises the intrinsic dimension",
    .source = SRC_VA ", paragraph 5; CLAIMS.md D6 with determinism removed",
    .statement = D6_ID_STATEMENT " (for a network that adds independent noise at each layer)",
    .hypotheses = "Each layer adds i.i.d. N(0, (noise x RMS coordinate)^2) noise to every "
                  "feature of every point: the map is no longer a deterministic (Lipschitz) "
                  "function of the input.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "Noise fills the ambient directions at the scale of nearest-neighbour "
                      "distances: the estimated dimension rises well above k + 0.5 after the "
                      "first layer: max excess 3.0 (subspace, k = 2) and 6.6 (curve) against "
                      "the margin 0.5; last-layer estimates 4.9 and 7.1.",
    .params = params_id_noise,
    .data = TC_DATA_NONE,
    .run = run_intrinsic,
    .config = &cfg_noisy};
