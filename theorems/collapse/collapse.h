/* theorems/collapse/collapse.h — private header of the claim family 'collapse': neural collapse
 * and ETF emergence (CLAIMS.md section F).
 *
 * Sources: seed 004, "Neural Collapse" slides (Papyan, Han, Donoho 2020): the ETF definition
 * and the four phenomena "in the terminal phase of training"; seed 000 (Elad, Simon, Aberdam,
 * commentary): the four properties and the open question "does this behavior take place even
 * if we replace the cross-entropy by another loss function (say mean squared error)?".
 *
 * Files:
 *   etf_definition.c  F0 etf_definition — the simplex ETF satisfies the slides' definition
 *                     (unit norm, equal |inner products| = 1/(C-1), tight frame of its span),
 *                     exactly.
 *   ufm.c             F1-F4 in the unconstrained-features model (UFM; numerics/ufm.h), where
 *                     theory (Zhu et al. 2021, Thm 3.1-3.2; Zhou et al. 2022 for MSE) says the
 *                     regularised minimisers are exactly collapsed: neural_collapse_ufm
 *                     (cross-entropy), neural_collapse_ufm_mse (000's open question in that
 *                     model); negative controls in the same model:
 *                     neural_collapse_frozen_features (the features stay at their random
 *                     initialisation, only the classifier is trained) and
 *                     neural_collapse_early_stop (training stops at the first epoch of 100%
 *                     accuracy: no terminal phase).
 *   mlp.c             F1-F4 for a ReLU MLP trained by minibatch SGD with step decays (Papyan et
 *                     al.; optimizer=gd: full-batch GD) past 100% training accuracy
 *                     on a Gaussian mixture (quick) or user data such as data/optdigits.csv
 *                     (full), in two readings: neural_collapse_mlp (reading 1: near-collapsed,
 *                     at 10% resolution, at the end of the terminal phase, every metric lower
 *                     than at its start) and neural_collapse_mlp_decades (reading 2: "-> 0",
 *                     every metric falls by an order of magnitude through the terminal phase);
 *                     000's open question: neural_collapse_mse (MSE with weight decay, as in
 *                     Han, Papyan, Donoho 2022) and neural_collapse_mse_no_wd (MSE replacing
 *                     cross-entropy in plain GD).
 *   trajectory.c      measure, shared by ufm.c and mlp.c: train and record the NC metrics on a
 *                     logarithmic epoch grid.
 *   criterion.c       judge, shared: the worst case over seeds and the criterion below.
 *   figures.c         figures, shared: the panels of Papyan, Han and Donoho and the simplex.
 *   family.c          the catalogue order and tc_family_collapse.
 *
 * The criterion ("what counts as collapse") on a trajectory with terminal phase [t0, T]
 * (t0 = first epoch with 100% training accuracy, T = last epoch):
 *   (a) decrease: log10(m(t0) / m(T)) > D for m in {nc1, equinorm_means, equiangularity,
 *       self_duality} (parameter `decades`);
 *   (b) final values at relative resolution r (parameter `resolution`): each metric is
 *       translated into a relative deviation of the collapsed geometry —
 *         equinorm_means <= r          (class-mean norms equal to within r),
 *         equiangularity <= r          (cosines within r of -1/(C-1) on average),
 *         etf_gram_distance <= r       (means a simplex ETF up to rotation and scale),
 *         self_duality <= r^2          (||W^ - M^||_F^2 <= r^2: classifier = means to within r),
 *         nc1 <= (C - 1) r^2           (Tr(Sigma_W Sigma_B^+) is a sum over the C - 1
 *                                       discriminant directions of within/between variance
 *                                       ratios: within-class spread r times the between-class
 *                                       spread in each);
 *       and ncc_mismatch <= ncc_max (parameter).
 * UFM: theory predicts exact collapse and GD converges to it, so D = 2 ("orders of magnitude")
 * and r = 1e-3 (three digits). MLP: no theory gives the limit values; reading 1 checks (a) with
 * D = 0 (strictly lower) and (b) with r = 0.1 (10%); reading 2 checks (a) with D = 1 (an order
 * of magnitude) and only reports (b).
 *
 * Randomness: data from stream 1000 + s, initialisation from stream s (tc_stream) for seed s;
 * everything is deterministic given the run seed.
 */
#ifndef TC_THEOREMS_COLLAPSE_H
#define TC_THEOREMS_COLLAPSE_H

#include <float.h>
#include <stdbool.h>
#include <stddef.h>

#include "numerics/classifier_train.h"
#include "numerics/collapse.h"
#include "numerics/mlp.h"
#include "numerics/ufm.h"
#include "theorems/claim.h"

/* ---- decision constants ---------------------------------------------------------------- */

/* F0: the simplex ETF is built by one QR factorisation and a centring; each entry carries a
 * few rounding errors and every checked quantity is a length-p dot product or an eigenvalue of
 * a C x C Gram matrix (backward error ~ C eps ||G||), so c * max(C, p) * eps with c = 64
 * bounds them with a wide margin (the observed defects are ~1e-16). */
#define ETF_TOL_C 64.0

/* Trajectory sampling: metrics are recorded at epochs growing by 10^(1/20) (20 per decade),
 * plus t0 and T, which keeps the series below ~100 rows for 10^4 epochs. */
#define TRAJ_PER_DECADE 20.0

/* A metric that reaches exactly 0 (possible for ncc_mismatch, and for nc1 on an exactly
 * collapsed UFM) is floored at this value when its decades are computed, so that a fall to 0
 * counts as a (large) finite decrease: the smallest normal double. */
#define DECADES_FLOOR DBL_MIN

/* ---- the statements shared by the UFM and MLP descriptors ------------------------------ */

#define NC_STATEMENT                                                                            \
    "In the terminal phase of training (training continued after 100% training accuracy): "    \
    "(NC1) variability collapse, ||h_n^(k) - h_n|| -> 0; (NC2) the centred class means become " \
    "equinorm, ||h_n - h|| - ||h_m - h|| -> 0, and equiangular, cos angle(h_n - h, h_m - h) -> " \
    "-1/(N-1): a simplex ETF; (NC3) duality, ||h_n - h - C w_n|| -> 0 for some C; (NC4) the "   \
    "classifier behaves as the nearest-class-centre rule."

/* ---- measure: a model trained while its NC metrics are recorded (trajectory.c) --------- */

enum { MODEL_UFM = 0, MODEL_MLP = 1 };

/* The decisive quantities of one epoch (a point of the trajectory), indexed by NCV_*: the four
 * NC metrics of the criterion, the self-duality with the classifier rows centred, the ETF Gram
 * distance, the NCC mismatch, and the classifier's offset (num_collapse_offset). */
enum { NCV_NC1, NCV_EQN, NCV_EQA, NCV_SD, NCV_SDC, NCV_GRAM, NCV_NCC, NCV_OFF, NCV_OFFCOS,
       NCV_N };
extern const char *const ncv_names[NCV_N];
typedef struct {
    double v[NCV_N];
} nc_point;

/* The convergence gate's window: the last two windows of W = T / GATE_WINDOW_DIV epochs each
 * (constant step: the last sixth and the one before). Under the step schedule (drops at T/3
 * and 2T/3) the windows are the last two learning-rate phases themselves, W = T/3: inside the
 * last phase alone the step lr/100 freezes any state, so stationarity there says nothing; a
 * run has converged when going from lr/10 to lr/100 (and from lr to lr/10 before it) no longer
 * moves the metrics beyond the bounds of gate_check (criterion.c). */
#define GATE_WINDOW_DIV 6
#define GATE_WINDOW_DIV_DECAY 3

/* The noise-aware gate of the step schedule (optimizer=sgd; criterion.c, nc_drift_*): in the
 * full-step phase and in the last phase, the last half of the phase is cut into two windows A
 * and B of a quarter phase each; each decisive quantity is evaluated SGD_WIN_SAMPLES times per
 * window (evenly spaced epochs) and the samples are grouped into SGD_BATCHES consecutive batch
 * means, whose spread estimates the standard error of the window mean whatever the
 * autocorrelation shorter than a batch. SGD_ALPHA is the two-sided level of one stationarity
 * test (criterion.c gives the critical value and the family-wise bound). */
#define SGD_WIN_SAMPLES 32
#define SGD_BATCHES 8
#define SGD_ALPHA 1e-4
enum { PH_FULL = 0, PH_LAST = 1, PH_N = 2 };

/* The drift between two consecutive windows A, B of one quantity and its noise: the 2 nb
 * batch means of the two windows fitted by a line (least squares in the batch index); the
 * drift is the fitted change over one window, se its standard error from the residuals. */
typedef struct {
    double mean_a, mean_b; /* window means */
    double drift;          /* slope x nb: the fitted change per window */
    double se;             /* standard error of `drift` (2 nb - 2 degrees of freedom) */
    double sd_b;           /* standard deviation of the single samples of window B */
    size_t nb;             /* batches per window; 0: no test (windows too short) */
} nc_drift;

/* The drift of ns samples per window (a: window A, b: window B, in epoch order) grouped into
 * nb batches (ns a multiple of nb, nb >= 2, ns <= SGD_WIN_SAMPLES). */
nc_drift nc_drift_of(const double *a, const double *b, size_t ns, size_t nb);
/* The critical value k of the drift's t-statistic at two-sided level SGD_ALPHA with 2 nb - 2
 * degrees of freedom. */
double nc_drift_k(size_t nb);
/* How far the drift is over the stationarity bound: |drift| / max(k se,
 * rel |mean_b|); <= 1 is stationary (k se: indistinguishable from the noise at the level;
 * rel |mean_b|: too slow to matter at the claim's resolution). NaN when undefined (no test,
 * NaN samples), capped at 1e6. */
double nc_drift_ratio(const nc_drift *d, double k, double rel);

typedef struct {
    int kind;
    size_t n, p, C;
    const size_t *y;
    /* UFM */
    num_ufm *ufm;
    num_ufm_opts uo;
    /* MLP */
    num_mlp *net;
    double *theta;
    num_ctrain *tr;
    num_ctrain_opts mo;
    const double *X;
    /* MLP, minibatch SGD (batch > 0; 0 = full-batch GD): per epoch a fresh permutation from
     * `shuffle`, ceil(n / batch) steps; with step_decay the step is lr0 until T/3, lr0/10 until
     * 2T/3 and lr0/100 after (Papyan, Han, Donoho 2020) */
    size_t batch;
    bool step_decay;
    double lr0;
    gsl_rng *shuffle;
    size_t *perm, *yb;
    double *Xb;
} nc_model;

#define TRAJ_NCOLS 11
extern const char *const nc_traj_cols[TRAJ_NCOLS];

typedef struct {
    num_collapse_metrics init, at_t0, final;
    long t0;          /* first epoch with 100% training accuracy; -1 if never */
    long last;        /* last epoch evaluated */
    double final_loss, final_acc, final_gnorm;
    double gram_final; /* etf_gram_distance of the final centred means */
    double *means_final; /* C x p centred class means at the end (for the 2-D figure; owned by
                          * the context) */
    nc_point pt_t0, pt_final; /* the decisive quantities at t0 and T */
    nc_point pt_win[2];       /* at T - 2W and T - W (convergence gate) */
    long window;              /* W; 0 = no window (T < 2, or stopped at t0) */
    long window_div;          /* T / W (the number of windows in the run) */
    nc_point pt_half;         /* at T/2 */
    bool step_decay;          /* the step schedule (optimizer=sgd): the noise-aware gate */
    long ph_start[PH_N];      /* first epoch of window A of each phase (-1: none) */
    long ph_len[PH_N];        /* window length (epochs) of each phase */
    nc_drift drift[PH_N][NCV_N]; /* the windows of the full-step and last phases */
    double input_nc1;         /* nc1 of the inputs themselves (MLP; NaN otherwise) */
} nc_traj;

/* Train seed `seed` for up to T epochs (GD steps), recording metrics on a logarithmic grid into
 * `s` (may be NULL). stop_at_t0: stop at the first epoch of 100% training accuracy (no terminal
 * phase). A failing kernel ends the run with `error` ("seed S: STEP failed: CAUSE"). */
void nc_train_record(tc_ctx *ctx, nc_model *m, long seed, long T, bool stop_at_t0,
                     tc_series *s, nc_traj *tr);

/* ---- judge: the worst case over seeds and the criterion (criterion.c) ------------------- */

typedef struct {
    double decades;    /* D */
    double resolution; /* r */
    double ncc_max;
    bool check_decades; /* (a) decides the verdict (else reported) */
    bool check_finals;  /* (b) decides the verdict (else reported) */
    bool nc3_centred;   /* NC3 decided on the classifier rows centred (MSE convention) */
} nc_criterion;

/* Worst case over seeds of the criterion's quantities. */
typedef struct {
    double dec[4];   /* nc1, equinorm_means, equiangularity, self_duality */
    double fin[4];
    double ncc, gram;
    double t0_max, acc_min, gnorm_max, loss_max;
    double nc1_over_c, equinorm_w, equiangle_w;
    double nc1_init;
    double sdc_dec, sdc_fin;   /* self-duality with the classifier rows centred */
    double off_max, offcos_min; /* classifier offset at T */
} nc_worst;

void nc_worst_init(nc_worst *w);
void nc_worst_add(nc_worst *w, const nc_traj *t);

/* Record the criterion (a) and (b) on the worst case `w` of C classes after T epochs. */
void nc_judge(tc_result *res, const nc_worst *w, size_t C, const nc_criterion *cr, long T);

/* The convergence gate (criterion.c): a verdict is decided only when, for every seed and every
 * check of the criterion (a) and (b) that decides it, the limit of the checked quantity,
 * extrapolated from its last two windows by num_collapse_limit_interval (a geometric tail:
 * linear convergence), lies on the same side of the check's threshold as its final value; a
 * check that is still moving towards its threshold faster than a geometric tail can stop
 * before it is unresolved (criterion.c, gate_check, gives the rule and its derivation). The
 * verdict is decided when no pair is unresolved, or when some failing pair is resolved (the
 * verdict is a conjunction: it is then `refuted` whatever the others do); otherwise the claim
 * ends in `error` ("inconclusive: not converged ..."). */
typedef struct {
    long checks, unresolved;   /* (seed, check) pairs examined, unresolved */
    long resolved_fail;        /* failing pairs that are resolved (they decide `refuted`) */
    /* step schedule: quantities still drifting at the full step (see nc_gate_add) */
    bool step_decay;
    double drift_k;            /* the critical value k (nc_drift_k) */
    long ph1_checks, ph1_unresolved, ph1_seed;
    const char *ph1_name;
    double ph1_ratio_max, ph1_ratio, ph1_drift, ph1_se, ph1_rel;
    long ph1_from, ph1_len;
    double last_ratio_max;     /* the last phase's drift ratio, max over seeds and checks */
    double tau, budget_needed, t0_max; /* nc_gate_budget */
    double rel_change_max;     /* max over seeds and checks of |m(T) - m(T-W)| / |m(T)| */
    long window;               /* W (the largest over seeds) */
    long first_seed;           /* the first unresolved pair, for the reason */
    const char *first_name;
    double first_change, first_bound;
    double first_margin;       /* step schedule: |m(T) - threshold| of the first unresolved */
    double first_full;         /* step schedule: its full-step drift ratio */
} nc_gate;

void nc_gate_init(nc_gate *g);
/* The weight-decay time tau (epochs; 0 or infinite = none) and the latest t0 over seeds:
 * the terminal phase must last tau ln(1/r) (criterion.c). */
void nc_gate_budget(nc_gate *g, double tau_epochs, double r, double t0_max);
void nc_gate_add(nc_gate *g, const nc_traj *t, size_t C, const nc_criterion *cr, long seed);
/* Record the gate's metrics; when a pair is unresolved, end with `error`. */
void nc_gate_conclude(tc_result *res, const nc_gate *g, long T);

/* The distribution over seeds of the decisive quantities (MLP claims): each final value and
 * decade count per seed, reported as NAME_median, NAME_min, NAME_max. */
#define NC_STATS_MAX 10
typedef struct {
    size_t nseeds, cap, nq;
    const char *names[NC_STATS_MAX];
    double *v; /* cap x NC_STATS_MAX */
} nc_stats;

void nc_stats_init(tc_ctx *ctx, nc_stats *st, size_t seeds);
void nc_stats_add(nc_stats *st, const nc_traj *t, bool nc3_centred);
void nc_stats_report(tc_result *res, const nc_stats *st);

/* ---- figures (figures.c) ---------------------------------------------------------------- */

/* The five panels of Papyan, Han and Donoho and the loss, titled with `what`, from the series
 * "trajectory"; then the final centred class means of `first` (C x p) beside the nearest
 * scaled simplex ETF. */
void nc_figures(tc_ctx *ctx, tc_result *res, const char *what, const nc_traj *first, size_t C,
                size_t p);

/* ---- the descriptors (family.c lists them) ---------------------------------------------- */

extern const tc_claim collapse_etf_definition;
extern const tc_claim collapse_ufm, collapse_ufm_mse, collapse_frozen, collapse_early_stop;
extern const tc_claim collapse_mlp, collapse_mlp_decades, collapse_mse, collapse_mse_no_wd;

#endif /* TC_THEOREMS_COLLAPSE_H */
