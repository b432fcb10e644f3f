/* theorems/collapse/ufm.c — F1-F4 in the unconstrained-features model (numerics/ufm.h):
 * neural_collapse_ufm (cross-entropy), neural_collapse_ufm_mse (000's open question in that
 * model) and the negative controls neural_collapse_frozen_features and
 * neural_collapse_early_stop. One run function serves the four claims; the descriptor's
 * config says which loss and which control.
 *
 * measure: train the free features and classifier from `seeds` random initialisations,
 *          recording the NC metrics (trajectory.c), and keep the worst case over seeds;
 * judge:   the criterion (a) with D = 2 decades and (b) at resolution r = 1e-3 (criterion.c);
 * figure:  the NC panels and the final means beside the simplex (figures.c). */
#include "theorems/collapse/collapse.h"

#include <math.h>

#define UFM_PARAMS(DIM_QUICK, DIM_FULL)                                                         \
    TC_P_INT("classes", "4", "10", 2, 200, "number of classes C"),                              \
    TC_P_INT("per_class", "10", "20", 1, 10000, "training samples per class"),                  \
    TC_P_INT("dim", DIM_QUICK, DIM_FULL, 1, 4096,                                               \
             "feature dimension p (Zhu et al. Thm 3.1 needs p >= C - 1)"),                      \
    TC_P_INT("epochs", "20000", "40000", 1, 10000000, "GD steps T"),                            \
    TC_P_REAL("lr", "0.1", TC_SAME, 1e-6, 10, "step size eta (features and classifier)"),       \
    TC_P_REAL("momentum", "0.9", TC_SAME, 0, 0.999, "heavy-ball momentum mu"),                  \
    TC_P_REAL("weight_decay", "5e-4", TC_SAME, 0, 1,                                            \
              "lambda_W = lambda_H = lambda_b (small, as in Zhu et al. 2021 and Papyan et al. " \
              "2020)"),                                                                         \
    TC_P_INT("seeds", "2", "5", 1, 1000, "independent initialisations (worst case)"),           \
    TC_P_REAL("decades", "2", TC_SAME, 0, 30,                                                   \
              "criterion (a): each NC metric falls by more than this many decades in the TPT"), \
    TC_P_REAL("resolution", "1e-3", TC_SAME, 1e-12, 1,                                          \
              "criterion (b): relative resolution r of the final collapsed geometry"),          \
    TC_P_REAL("ncc_max", "0", TC_SAME, 0, 1, "largest final NCC mismatch (exact collapse: none)")

static const tc_param_spec ufm_params[] = {UFM_PARAMS("16", "32"), TC_P_END};
/* Frozen random features must still be separable for a terminal phase to exist: n points in
 * general position in R^p are linearly separable (with a bias) for every labelling when
 * n <= p + 1 (Cover 1965, Thm 1). n = 40 (quick) and 200 (full) give p = 64 and 256. */
static const tc_param_spec ufm_frozen_params[] = {UFM_PARAMS("64", "256"), TC_P_END};

typedef struct {
    num_cls_loss loss;
    bool frozen;     /* negative control: features never move (eta_H = 0) */
    bool stop_at_t0; /* negative control: no terminal phase */
    const char *what; /* figure titles */
} ufm_config;

static const ufm_config cfg_ce = {NUM_CLS_CE, false, false, "UFM, cross-entropy"};
static const ufm_config cfg_mse = {NUM_CLS_MSE, false, false, "UFM, MSE"};
static const ufm_config cfg_frozen = {NUM_CLS_CE, true, false,
                                      "UFM, features frozen at random init"};
static const ufm_config cfg_early_stop = {NUM_CLS_CE, false, true,
                                          "UFM, stopped at 100% accuracy"};

static void release_ufm(void *u)
{
    num_ufm_free(u);
}

/* The model of the claim: C balanced classes of `per_class` free features in R^p. */
static nc_model ufm_model(tc_ctx *ctx, const ufm_config *cfg, size_t C, size_t n, size_t p)
{
    double lam = tc_param_real(ctx, "weight_decay");
    size_t *y = TC_NEW(ctx, size_t, n);
    for (size_t i = 0; i < n; i++)
        y[i] = i % C;
    nc_model m = {.kind = MODEL_UFM, .n = n, .p = p, .C = C, .y = y,
                  .ufm = tc_defer(ctx, release_ufm, num_ufm_alloc(n, p, C))};
    m.uo = (num_ufm_opts){.loss = cfg->loss,
                          .lr = tc_param_real(ctx, "lr"),
                          .lr_h = cfg->frozen ? 0.0 : tc_param_real(ctx, "lr"),
                          .momentum = tc_param_real(ctx, "momentum"),
                          .lambda_w = lam,
                          .lambda_h = lam,
                          .lambda_b = lam,
                          .bias = true};
    return m;
}

/* Train every seed; the worst case goes to `w`, seed 0's trajectory to `first` and to the
 * series "trajectory". Returns false after a skip (no terminal phase). */
static bool ufm_measure(tc_ctx *ctx, tc_result *res, const ufm_config *cfg, nc_model *m,
                        nc_worst *w, nc_gate *g, const nc_criterion *cr, nc_traj *first)
{
    long T = tc_param_int(ctx, "epochs"), seeds = tc_param_int(ctx, "seeds");
    nc_worst_init(w);
    nc_gate_init(g);
    for (long s = 0; s < seeds; s++) {
        /* Features ~ N(0, 1) per entry, classifier ~ N(0, 1/p): logits O(1) at the start. */
        num_ufm_init(m->ufm, tc_stream(ctx, (uint64_t)s), 1.0, 1.0 / sqrt((double)m->p));
        nc_traj t = {0};
        tc_series *ser = s == 0 ? tc_series_new(res, "trajectory", TRAJ_NCOLS, nc_traj_cols)
                                : NULL;
        nc_train_record(ctx, m, s, T, cfg->stop_at_t0, ser, &t);
        if (t.t0 < 0) {
            tc_result_skip(res, "seed %ld: 100%% training accuracy never reached in %ld epochs "
                                "(final accuracy %.4f): no terminal phase",
                           s, T, t.final_acc);
            return false;
        }
        nc_worst_add(w, &t);
        nc_gate_add(g, &t, m->C, cr, s);
        if (s == 0)
            *first = t;
    }
    return true;
}

static void run_ufm(tc_ctx *ctx, tc_result *res)
{
    const ufm_config *cfg = tc_config(ctx);
    size_t C = (size_t)tc_param_int(ctx, "classes"), nc = (size_t)tc_param_int(ctx, "per_class");
    size_t p = (size_t)tc_param_int(ctx, "dim"), n = C * nc;
    if (p + 1 < C) {
        tc_result_skip(res, "dim = %zu < C - 1 = %zu: a simplex ETF of C vectors does not fit "
                            "(hypothesis of Zhu et al. 2021, Thm 3.1)", p, C - 1);
        return;
    }
    nc_model m = ufm_model(ctx, cfg, C, n, p);
    nc_worst w;
    nc_gate g;
    nc_traj first = {0};
    /* exact collapse is the UFM's minimiser: D = 2, r = 1e-3 by default (collapse.h) */
    nc_criterion cr = {tc_param_real(ctx, "decades"), tc_param_real(ctx, "resolution"),
                       tc_param_real(ctx, "ncc_max"), true, true, false};
    if (ufm_measure(ctx, res, cfg, &m, &w, &g, &cr, &first)) {
        long T = tc_param_int(ctx, "epochs");
        nc_judge(res, &w, C, &cr, cfg->stop_at_t0 ? (long)w.t0_max : T);
        /* The early-stop control measures the state at t0 by construction (its statement is
         * about stopping there), not a limit: no convergence gate. */
        if (!cfg->stop_at_t0) {
            double lam = tc_param_real(ctx, "weight_decay");
            double tau = lam > 0.0 ? (1.0 - tc_param_real(ctx, "momentum")) /
                                         (tc_param_real(ctx, "lr") * lam)
                                   : INFINITY;
            nc_gate_budget(&g, tau, cr.resolution, w.t0_max);
            nc_gate_conclude(res, &g, T);
        }
        nc_figures(ctx, res, cfg->what, &first, C, p);
    }
    tc_result_conclude(res);
}

#define NC_CRITERION_UFM                                                                       \
    " Criterion: nc1, equinorm_means, equiangularity and self_duality each fall by more than " \
    "2 decades from the first epoch of 100% accuracy to the end, and end at resolution 1e-3 " \
    "(nc1 <= (C-1) 1e-6, equinorm and equiangularity <= 1e-3, self-duality <= 1e-6, ETF Gram " \
    "distance <= 1e-3), NCC mismatch 0."

#define UFM_HYP                                                                                \
    "Free features H (n x p) and classifier (W, b) trained by full-batch GD with momentum 0.9 " \
    "on the mean loss + (lambda/2)(||W||^2 + ||H||^2 + ||b||^2), lambda = 5e-4 (Zhu et al. "    \
    "2021, eq. (4)); balanced classes; p >= C - 1."

const tc_claim collapse_ufm = {
    .id = "neural_collapse_ufm",
    .family = "collapse",
    .title = "NC1-NC4 in the unconstrained-features model (cross-entropy, weight decay)",
    .source = "004 Neural Collapse slides (Papyan, Han, Donoho 2020), NC1-NC4; model of Zhu et "
              "al. 2021, eq. (4), Thm 3.1-3.2",
    .statement = NC_STATEMENT NC_CRITERION_UFM,
    .hypotheses = UFM_HYP " Cross-entropy.",
    .expect = TC_EXPECT_HOLDS,
    .params = ufm_params,
    .data = TC_DATA_NONE,
    .run = run_ufm,
    .config = &cfg_ce};

const tc_claim collapse_ufm_mse = {
    .id = "neural_collapse_ufm_mse",
    .family = "collapse",
    .title = "Open question of 000 in the unconstrained-features model: NC with the MSE loss",
    .source = "000 'Discussion and Thoughts: Open Questions' (mean squared error); 004 NC1-NC4; "
              "Zhou et al. 2022, Thm 3.1",
    .statement = NC_STATEMENT " With the mean squared error replacing the cross-entropy."
        NC_CRITERION_UFM,
    .hypotheses = UFM_HYP " L = (1/(2n)) ||H W^T + 1 b^T - Y||_F^2, Y one-hot (weight decay "
                  "small enough that the minimisers are not 0).",
    .expect = TC_EXPECT_HOLDS,
    .params = ufm_params,
    .data = TC_DATA_NONE,
    .run = run_ufm,
    .config = &cfg_mse};

const tc_claim collapse_frozen = {
    .id = "neural_collapse_frozen_features",
    .family = "collapse",
    .title = "Negative control: features frozen at a random initialisation do not collapse",
    .source = "004 Neural Collapse slides NC1-NC4 (mechanism removed: the features are not "
              "trained)",
    .statement = NC_STATEMENT NC_CRITERION_UFM,
    .hypotheses = UFM_HYP " Cross-entropy; the features keep their random N(0, 1) values "
                  "(step 0), only (W, b) is trained; p = 64 >= n so they are separable (Cover "
                  "1965) and a terminal phase exists.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "The features never move: nc1, equinorm_means and equiangularity take "
                      "identical values at the start and the end of the terminal phase (0 "
                      "decades) and nc1 stays at its random-feature value (~2), 6 decades above "
                      "(C-1) 1e-6.",
    .params = ufm_frozen_params,
    .data = TC_DATA_NONE,
    .run = run_ufm,
    .config = &cfg_frozen};

const tc_claim collapse_early_stop = {
    .id = "neural_collapse_early_stop",
    .family = "collapse",
    .title = "Negative control: stopping at 100% accuracy (no terminal phase) leaves NC1 high",
    .source = "004 Neural Collapse slides ('in the terminal phase of training'; hypothesis "
              "removed)",
    .statement = NC_STATEMENT NC_CRITERION_UFM,
    .hypotheses = UFM_HYP " Cross-entropy; training stops at the first epoch of 100% training "
                  "accuracy.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "Without a terminal phase nothing has fallen (0 decades) and at the "
                      "interpolation threshold (epoch ~40) nc1 (3.6-6.2), equinorm (0.09-0.24) "
                      "and self-duality (0.2-0.3) are orders of magnitude above their collapsed "
                      "values.",
    .params = ufm_params,
    .data = TC_DATA_NONE,
    .run = run_ufm,
    .config = &cfg_early_stop};
