/* theorems/collapse/mlp.c — F1-F4 for a ReLU MLP trained by minibatch SGD with step decays
 * (Papyan, Han, Donoho 2020; optimizer=gd: full-batch GD) past 100% training accuracy
 * (numerics/classifier_train.h), on a Gaussian mixture (quick) or user data such as
 * data/optdigits.csv (full): neural_collapse_mlp (reading 1), neural_collapse_mlp_decades
 * (reading 2), and 000's open question neural_collapse_mse and neural_collapse_mse_no_wd.
 * One run function serves the four claims; the descriptor's config says which loss and which
 * part of the criterion decides.
 *
 * measure: per seed, draw (or standardise) the data, He-initialise the network, train it while
 *          recording the NC metrics of its last hidden layer (trajectory.c), worst case over
 *          seeds;
 * judge:   the criterion (a) and/or (b) of collapse.h (criterion.c);
 * figure:  the NC panels and the final means beside the simplex (figures.c). */
#include "theorems/collapse/collapse.h"

#include <math.h>
#include <string.h>

#define MLP_PARAMS(DATASET_FULL, DECADES, WD, WD_FULL, EPOCHS, EPOCHS_FULL, LR, LR_FULL, BATCH,  \
                   BATCH_FULL)                                                                 \
    TC_P_CHOICE("dataset", "mixture", DATASET_FULL, "mixture|optdigits",                       \
                "mixture: synthetic Gaussian mixture; optdigits: the data given with --data "  \
                "(the full profile feeds data/optdigits.csv)"),                                \
    TC_P_INT("classes", "4", TC_SAME, 2, 100, "mixture: number of classes C"),                 \
    TC_P_INT("per_class", "32", TC_SAME, 2, 10000, "mixture: samples per class"),              \
    TC_P_INT("input_dim", "32", TC_SAME, 1, 4096, "mixture: input dimension d"),               \
    TC_P_REAL("separation", "1", TC_SAME, 0, 100,                                              \
              "mixture: RMS norm of the class centres (within-class noise has RMS norm 1): "   \
              "the smaller, the less the inputs are clustered by class (input_nc1 reports it)"), \
    TC_P_INT("width", "64", TC_SAME, 1, 8192, "hidden width (= feature dim p)"),               \
    TC_P_INT("depth", "2", TC_SAME, 1, 16, "hidden ReLU layers"),                              \
    TC_P_CHOICE("optimizer", "sgd", TC_SAME, "sgd|gd",                                         \
                "sgd: minibatch SGD with the step divided by 10 at 1/3 and 2/3 of the epochs " \
                "(Papyan, Han, Donoho 2020); gd: full-batch GD at a constant step (the "       \
                "former default, with lr = 0.1 and 2000 epochs)"),                             \
    TC_P_INT("batch", BATCH, BATCH_FULL, 1, 100000,                                            \
             "sgd: minibatch size (Papyan et al.: 128)"),                                      \
    TC_P_INT("epochs", EPOCHS, EPOCHS_FULL, 1, 10000000,                                       \
             "epochs T (gd: steps; sgd: passes over the data, Papyan et al. trained 350); "    \
             "the terminal phase must last tau ln(1/r), tau = (1-mu)/(eta lambda) steps"),     \
    TC_P_REAL("lr", LR, LR_FULL, 1e-6, 10, "(initial) step size eta"),                         \
    TC_P_REAL("momentum", "0.9", TC_SAME, 0, 0.999,                                            \
              "heavy-ball momentum (0.9 as in Papyan et al.)"),                                \
    TC_P_REAL("weight_decay", WD, WD_FULL, 0, 1,                                               \
              "lambda on all parameters: F = L + lambda/2 ||theta||^2 (Papyan et al.: 5e-4)"), \
    TC_P_INT("seeds", "10", TC_SAME, 1, 100,                                                   \
             "independent runs (data and initialisation); every seed must meet the criterion, " \
             "each quantity's median and range are reported"),                                 \
    TC_P_REAL("decades", DECADES, TC_SAME, 0, 30,                                              \
              "criterion (a): each NC metric falls by more than this many decades in the TPT"), \
    TC_P_REAL("resolution", "0.1", TC_SAME, 1e-12, 1,                                          \
              "criterion (b): relative resolution r of the final geometry (10%)"),             \
    TC_P_REAL("ncc_max", "0.01", TC_SAME, 0, 1,                                                \
              "largest final NCC mismatch (1% of the training samples)")

/* Defaults (measured in docs/claims/collapse.md, "The SGD protocol"): minibatch SGD with
 * momentum 0.9, the step divided by 10 at T/3 and 2T/3 (Papyan, Han, Donoho 2020).
 * Quick (mixture, n = 128): batch 16, step 0.2, weight decay 5e-3 (tau = (1 - mu)/(eta lambda)
 * = 100 steps = 12.5 epochs of 8 steps), 1200 epochs: the full step [0, 400] lasts 32 tau and
 * its windows [200, 400] lie past the slow transient of the geometry (equiangularity and
 * self-duality settle within ~10^4 steps); a step of 0.1 or a batch of 32 leaves them drifting
 * at 1200 epochs (the noise-aware gate refuses those runs). On optdigits (full, n = 1797) the
 * step 0.2 delays 100% training accuracy past T/3, so 0.1 with Papyan et al.'s batch of 128
 * (15 steps per epoch), weight decay 1e-3 (5e-3 keeps the network below 100% accuracy),
 * 1800 epochs (cheaper than the former 3000 GD epochs). The MSE run without weight decay
 * interpolates within ~10 epochs and stops moving: 600 epochs show its end state. */
static const tc_param_spec mlp_params[] = {
    MLP_PARAMS("optdigits", "0", "5e-3", "1e-3", "1200", "1800", "0.2", "0.1", "16", "128"),
    TC_P_END};
static const tc_param_spec mlp_decades_params[] = {
    MLP_PARAMS("optdigits", "1", "5e-3", "1e-3", "1200", "1800", "0.2", "0.1", "16", "128"),
    TC_P_END};
static const tc_param_spec mse_params[] = {
    MLP_PARAMS("mixture", "0", "5e-3", TC_SAME, "1200", TC_SAME, "0.2", TC_SAME, "16", TC_SAME),
    TC_P_END};
static const tc_param_spec mse_no_wd_params[] = {
    MLP_PARAMS("mixture", "0", "0", TC_SAME, "600", TC_SAME, "0.2", TC_SAME, "16", TC_SAME),
    TC_P_END};

typedef struct {
    num_cls_loss loss;
    bool check_decades, check_finals; /* which part of the criterion decides */
    const char *what;                 /* figure titles */
} mlp_config;

static const mlp_config cfg_ce_reading1 = {NUM_CLS_CE, true, true, "MLP, cross-entropy"};
static const mlp_config cfg_ce_reading2 = {NUM_CLS_CE, true, false, "MLP, cross-entropy"};
static const mlp_config cfg_mse = {NUM_CLS_MSE, true, true, "MLP, MSE"};

/* NC3 is decided with the classifier rows centred under the MSE loss (numerics/collapse.h,
 * num_collapse_offset; Han, Papyan, Donoho 2022), uncentred under cross-entropy (whose
 * logits are shift-invariant, so weight decay removes any common row: Papyan et al. 2020). */
static bool nc3_centred(const mlp_config *cfg)
{
    return cfg->loss == NUM_CLS_MSE;
}

typedef struct {
    double *X; /* n x d, row-major (owned by the context) */
    size_t *y; /* n labels in 0..C-1 */
    size_t n, d, C;
} mlp_dataset;

/* The training set: user data (standardised) or a Gaussian mixture drawn from `stream`.
 * Returns false after a skip. */
static bool mlp_data(tc_ctx *ctx, tc_result *res, uint64_t stream, mlp_dataset *D)
{
    const tc_dataset *ds = tc_data(ctx);
    if (ds) {
        *D = (mlp_dataset){.n = ds->n, .d = ds->d, .C = ds->classes,
                           .X = TC_NEW(ctx, double, ds->n * ds->d),
                           .y = TC_NEW(ctx, size_t, ds->n)};
        memcpy(D->X, ds->x, ds->n * ds->d * sizeof *D->X);
        for (size_t i = 0; i < ds->n; i++)
            D->y[i] = (size_t)llround(ds->y[i * ds->k]);
        tc_check(ctx, num_ctrain_standardize(D->X, D->n, D->d), "standardising the data");
        return true;
    }
    if (strcmp(tc_param_choice(ctx, "dataset"), "optdigits") == 0) {
        tc_result_skip(res, "dataset = optdigits needs the data: run with --data "
                            "<claim>=data/optdigits.csv (the full profile passes it)");
        return false;
    }
    size_t C = (size_t)tc_param_int(ctx, "classes"), per = (size_t)tc_param_int(ctx, "per_class");
    size_t d = (size_t)tc_param_int(ctx, "input_dim");
    double sep = tc_param_real(ctx, "separation");
    *D = (mlp_dataset){.n = C * per, .d = d, .C = C, .X = TC_NEW(ctx, double, C * per * d),
                       .y = TC_NEW(ctx, size_t, C * per)};
    double *mu = TC_NEW(ctx, double, C * d);
    tc_check(ctx, num_ctrain_mixture(tc_stream(ctx, stream), C, per, d, sep, mu, D->X, D->y),
             "drawing the mixture");
    return true;
}

static void release_mlp(void *net)
{
    num_mlp_free(net);
}

static void release_ctrain(void *tr)
{
    num_ctrain_free(tr);
}

/* A He-initialised ReLU MLP d -> width^depth -> C (initialisation from `stream`) and its
 * trainer, as a model for nc_train_record. */
static nc_model mlp_model(tc_ctx *ctx, const mlp_config *cfg, const mlp_dataset *D,
                          uint64_t stream)
{
    size_t width = (size_t)tc_param_int(ctx, "width"), depth = (size_t)tc_param_int(ctx, "depth");
    size_t widths[18];
    widths[0] = D->d;
    for (size_t k = 1; k <= depth; k++)
        widths[k] = width;
    widths[depth + 1] = D->C;
    num_mlp *net = tc_defer(ctx, release_mlp,
                            num_mlp_alloc(depth + 1, widths, true, NUM_ACT_RELU));
    double *theta = TC_NEW(ctx, double, net->nparams);
    num_ctrain *tr = tc_defer(ctx, release_ctrain, num_ctrain_alloc(net, D->n));
    /* He initialisation N(0, 2/fan_in) on every layer, zero biases. */
    double sig[17];
    for (size_t k = 0; k <= depth; k++)
        sig[k] = sqrt(2.0 / (double)widths[k]);
    num_mlp_init_gaussian(net, theta, tc_stream(ctx, stream), sig);
    nc_model m = {.kind = MODEL_MLP, .n = D->n, .p = width, .C = D->C, .y = D->y, .net = net,
                  .theta = theta, .tr = tr, .X = D->X};
    m.mo = (num_ctrain_opts){.loss = cfg->loss,
                             .lr = tc_param_real(ctx, "lr"),
                             .momentum = tc_param_real(ctx, "momentum"),
                             .weight_decay = tc_param_real(ctx, "weight_decay"),
                             .first_trained = 0};
    if (strcmp(tc_param_choice(ctx, "optimizer"), "sgd") == 0) {
        size_t B = (size_t)tc_param_int(ctx, "batch");
        m.batch = B < D->n ? B : D->n;
        m.step_decay = true;
        m.lr0 = m.mo.lr;
        /* the minibatch order of seed s: stream 2000 + s */
        m.shuffle = tc_stream(ctx, 2000 + stream);
        m.perm = TC_NEW(ctx, size_t, D->n);
        for (size_t i = 0; i < D->n; i++)
            m.perm[i] = i;
        m.yb = TC_NEW(ctx, size_t, m.batch);
        m.Xb = TC_NEW(ctx, double, m.batch * D->d);
    }
    return m;
}

/* nc1 of the inputs themselves: how clustered by class the data is before any layer (the
 * smaller the mixture's separation, the larger); reported, not checked. */
static double input_nc1(tc_ctx *ctx, const mlp_dataset *D)
{
    num_collapse_work *w = num_collapse_work_alloc(D->n, D->d, D->C);
    if (!w)
        tc_fail(ctx, "out of memory: input nc1 workspace");
    num_collapse_metrics m;
    num_status st = num_collapse_measure(w, D->X, D->y, D->n, D->d, D->C, NULL, NULL, &m);
    num_collapse_work_free(w);
    tc_check(ctx, st, "nc1 of the inputs");
    return m.nc1;
}

/* One seed s: data from stream 1000 + s, initialisation from stream s; the worst case goes to
 * `w`, seed 0's trajectory to `first` and to the series "trajectory", the number of classes to
 * *C. Returns false after a skip. */
typedef struct {
    nc_worst w;
    nc_gate gate;
    nc_stats stats;
    nc_criterion cr;
    double input_nc1_min;
    size_t n; /* samples */
} mlp_acc;

static bool mlp_seed(tc_ctx *ctx, tc_result *res, const mlp_config *cfg, long s, mlp_acc *acc,
                     nc_traj *first, size_t *C)
{
    long T = tc_param_int(ctx, "epochs");
    size_t width = (size_t)tc_param_int(ctx, "width");
    mlp_dataset D;
    if (!mlp_data(ctx, res, 1000 + (uint64_t)s, &D))
        return false;
    *C = D.C;
    acc->n = D.n;
    if (width + 1 < D.C) {
        tc_result_skip(res, "width %zu < C - 1 = %zu: the features cannot hold a simplex",
                       width, D.C - 1);
        return false;
    }
    nc_model m = mlp_model(ctx, cfg, &D, (uint64_t)s);
    nc_traj t = {0};
    tc_series *ser = s == 0 ? tc_series_new(res, "trajectory", TRAJ_NCOLS, nc_traj_cols) : NULL;
    nc_train_record(ctx, &m, s, T, false, ser, &t);
    if (t.t0 < 0) {
        tc_result_skip(res, "seed %ld: 100%% training accuracy never reached in %ld "
                            "epochs (final %.4f): the network is not trained past "
                            "interpolation, no terminal phase", s, T, t.final_acc);
        return false;
    }
    nc_worst_add(&acc->w, &t);
    nc_gate_add(&acc->gate, &t, D.C, &acc->cr, s);
    nc_stats_add(&acc->stats, &t, acc->cr.nc3_centred);
    acc->input_nc1_min = fmin(acc->input_nc1_min, input_nc1(ctx, &D));
    if (s == 0) {
        tc_metric_info(res, "samples", (double)D.n);
        tc_metric_info(res, "params_per_sample", (double)m.net->nparams / (double)D.n);
        *first = t;
    }
    return true;
}

/* The weight-decay time in epochs (nc_gate_budget): (1 - mu)/(eta lambda) steps, at the
 * full step, ceil(n / batch) steps per epoch under SGD; infinite without weight decay. */
static double decay_time(tc_ctx *ctx, size_t n)
{
    double lam = tc_param_real(ctx, "weight_decay"), eta = tc_param_real(ctx, "lr");
    double mu = tc_param_real(ctx, "momentum"), steps = 1.0;
    if (strcmp(tc_param_choice(ctx, "optimizer"), "sgd") == 0) {
        double B = (double)tc_param_int(ctx, "batch");
        steps = ceil((double)n / B);
    }
    return lam > 0.0 ? (1.0 - mu) / (eta * lam * steps) : INFINITY;
}

static void run_mlp(tc_ctx *ctx, tc_result *res)
{
    const mlp_config *cfg = tc_config(ctx);
    long seeds = tc_param_int(ctx, "seeds"), T = tc_param_int(ctx, "epochs");
    mlp_acc acc = {.input_nc1_min = INFINITY};
    /* no theory gives the MLP's limit values: the parameters set D and r per reading */
    acc.cr = (nc_criterion){tc_param_real(ctx, "decades"), tc_param_real(ctx, "resolution"),
                            tc_param_real(ctx, "ncc_max"), cfg->check_decades,
                            cfg->check_finals, nc3_centred(cfg)};
    nc_worst_init(&acc.w);
    nc_gate_init(&acc.gate);
    nc_stats_init(ctx, &acc.stats, (size_t)seeds);
    nc_traj first = {0};
    size_t C = 0;
    for (long s = 0; s < seeds && res->outcome == TC_OUT_UNSET; s++)
        if (!mlp_seed(ctx, res, cfg, s, &acc, &first, &C))
            break;
    if (res->outcome == TC_OUT_UNSET) {
        tc_metric_info(res, "seeds", (double)seeds);
        tc_metric_info_nan_ok(res, "input_nc1", acc.input_nc1_min);
        nc_judge(res, &acc.w, C, &acc.cr, T);
        nc_stats_report(res, &acc.stats);
        nc_gate_budget(&acc.gate, decay_time(ctx, acc.n), acc.cr.resolution,
                       acc.w.t0_max);
        nc_gate_conclude(res, &acc.gate, T);
        nc_figures(ctx, res, cfg->what, &first, C, (size_t)tc_param_int(ctx, "width"));
    }
    tc_result_conclude(res);
}

/* ---- descriptors ----------------------------------------------------------------------- */

#define NC_CRITERION_MLP1                                                                      \
    " Reading 1 (near-collapse at 10%): each of nc1, equinorm_means, equiangularity, "         \
    "self_duality is lower at the end than at the first epoch of 100% accuracy, and the end "  \
    "values are at resolution 0.1 (nc1 <= (C-1) 0.01, equinorm, equiangularity, ETF Gram "     \
    "distance <= 0.1, self-duality <= 0.01), NCC mismatch <= 1%."

#define NC_CRITERION_MLP2                                                                      \
    " Reading 2 ('-> 0'): each of nc1, equinorm_means, equiangularity, self_duality falls by " \
    "more than one decade from the first epoch of 100% accuracy to the end."

#define MLP_HYP                                                                                \
    "ReLU MLP (depth hidden layers of width, He initialisation, biases), minibatch SGD with "  \
    "the step divided by 10 at 1/3 and 2/3 of the epochs (Papyan et al. 2020; optimizer=gd: "  \
    "full-batch GD at a constant step) with momentum 0.9 and weight decay on all parameters, " \
    "trained past 100% training accuracy until converged: the terminal phase lasts tau "        \
    "ln(1/r), tau = (1-mu)/(eta lambda), and each decisive metric is stationary at the full "  \
    "step and in the last phase, window means against their standard error (else error); "    \
    "features = last hidden layer, classifier = output layer. Data: Gaussian mixture "         \
    "(quick; inputs not clustered: separation 1) or --data (full profile: "                    \
    "data/optdigits.csv, standardised). Verdict decided on every one of `seeds` runs."

const tc_claim collapse_mlp = {
    .id = "neural_collapse_mlp",
    .family = "collapse",
    .title = "NC1-NC4 for an MLP trained past 100% accuracy (reading 1: near-collapse at 10%)",
    .source = "004 Neural Collapse slides (Papyan, Han, Donoho 2020), NC1-NC4; 000 properties "
              "1)-4)",
    .statement = NC_STATEMENT NC_CRITERION_MLP1,
    .hypotheses = MLP_HYP " Cross-entropy, weight decay 5e-3 (full, optdigits: 1e-3).",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "NC1 does not reach 10% at convergence: in every seed nc1_final "
                      "settles 3-5x above (C-1) r^2 (distribution in nc1_final_median/_min/_max; "
                      "failures stationary at the full step and clear of the last phase's noise: "
                      "convergence_resolved_failures) at a near-stationary point of the "
                      "regularised objective (final_grad_norm), while NC2 and NC4 reach it and NC3 "
                      "comes within 2x (self_duality_final_median): a finite MLP on inputs that "
                      "are not clustered (input_nc1) does not collapse its features within "
                      "classes (cf. Tirer, Huang, Niles-Weed 2023). Measured region and depth "
                      "map: docs/claims/collapse.md.",
    .params = mlp_params,
    .data = TC_DATA_CLASSES,
    .run = run_mlp,
    .config = &cfg_ce_reading1};

const tc_claim collapse_mlp_decades = {
    .id = "neural_collapse_mlp_decades",
    .family = "collapse",
    .title = "NC1-NC4 for an MLP (reading 2: every metric falls by a decade in the TPT)",
    .source = "004 Neural Collapse slides, NC1-NC4 ('-> 0'); CLAIMS.md F",
    .statement = NC_STATEMENT NC_CRITERION_MLP2,
    .hypotheses = MLP_HYP " Cross-entropy, weight decay 5e-3 (full, optdigits: 1e-3).",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "At convergence nc1, equinorm_means and equiangularity have fallen "
                      "by less than one decade in the terminal phase (nc1_tpt_decades_max, "
                      "equinorm_means_tpt_decades_min, equiangularity_tpt_decades_min); only "
                      "self-duality falls by more (self_duality_tpt_decades_min): the metrics "
                      "plateau at a near-stationary point of the regularised objective "
                      "(final_grad_norm; failures stationary at the full step: "
                      "convergence_resolved_failures), unlike in the unconstrained-features "
                      "model.",
    .params = mlp_decades_params,
    .data = TC_DATA_CLASSES,
    .run = run_mlp,
    .config = &cfg_ce_reading2};

const tc_claim collapse_mse = {
    .id = "neural_collapse_mse",
    .family = "collapse",
    .title = "Open question of 000: NC1-NC4 for an MLP trained with the MSE loss",
    .source = "000 'Discussion and Thoughts: Open Questions' ('Does this behavior take place "
              "even if we replace the cross-entropy by another loss function (say mean squared "
              "error)?'); 004 NC1-NC4",
    .statement = NC_STATEMENT " With the mean squared error to one-hot targets replacing the "
        "cross-entropy." NC_CRITERION_MLP1,
    .hypotheses = MLP_HYP " L = (1/(2n)) ||Z - Y||_F^2, weight decay 5e-3; NC3 with the "
                  "classifier rows centred (the least-squares classifier of Han, Papyan, Donoho "
                  "2022, 'Neural collapse under MSE loss', has rows summing to zero).",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "NC3 in the MSE convention (classifier rows centred, Han, Papyan, "
                      "Donoho 2022) misses 10%: self_duality_centred_final > r^2 (distribution in "
                      "self_duality_centred_final_median/_min/_max) after the offset that weight "
                      "decay routes through the classifier (classifier_offset_final, aligned "
                      "with the feature mean: classifier_offset_cos_final) is removed, and NC2 "
                      "does not improve in the terminal phase of every seed "
                      "(equinorm_means_tpt_decades_min, equiangularity_tpt_decades_min < 0); nc1 "
                      "comes closer than with cross-entropy (nc1_final_median, around (C-1) r^2) "
                      "and falls by more (nc1_tpt_decades_min).",
    .params = mse_params,
    .data = TC_DATA_CLASSES,
    .run = run_mlp,
    .config = &cfg_mse};

const tc_claim collapse_mse_no_wd = {
    .id = "neural_collapse_mse_no_wd",
    .family = "collapse",
    .title = "Open question of 000, second reading: MSE without weight decay",
    .source = "000 'Open Questions' (MSE replacing cross-entropy, nothing else added); 004 "
              "NC1-NC4",
    .statement = NC_STATEMENT " With the mean squared error replacing the cross-entropy in "
        "plain training (no weight decay)." NC_CRITERION_MLP1,
    .hypotheses = MLP_HYP " MSE, no weight decay: once the outputs interpolate the one-hot "
                  "targets the gradient vanishes and nothing drives the features further.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "Without weight decay the training stops at an interpolating point "
                      "(final_grad_norm): the classifier is not aligned with the class means "
                      "even with its rows centred (self_duality_centred_final near 1), its offset is unrelated to "
                      "the feature mean (classifier_offset_cos_final), and nc1_final stays above "
                      "(C-1) r^2: nothing drives the features further.",
    .params = mse_no_wd_params,
    .data = TC_DATA_CLASSES,
    .run = run_mlp,
    .config = &cfg_mse};
