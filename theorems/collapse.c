/* theorems/collapse.c — claim family 'collapse': neural collapse and ETF emergence
 * (CLAIMS.md section F).
 *
 * Sources: seed 004, "Neural Collapse" slides (Papyan, Han, Donoho 2020): the ETF definition
 * and the four phenomena "in the terminal phase of training"; seed 000 (Elad, Simon, Aberdam,
 * commentary): the four properties and the open question "does this behavior take place even
 * if we replace the cross-entropy by another loss function (say mean squared error)?".
 *
 * Claims:
 *   F0 etf_definition — the simplex ETF satisfies the slides' definition (unit norm, equal
 *      |inner products| = 1/(C-1), tight frame of its span), exactly.
 *   F1-F4 in the unconstrained-features model (UFM; numerics/ufm.h), where theory (Zhu et al.
 *      2021, Thm 3.1-3.2; Zhou et al. 2022 for MSE) says the regularised minimisers are
 *      exactly collapsed: neural_collapse_ufm (cross-entropy), neural_collapse_ufm_mse (000's
 *      open question in that model).
 *   Negative controls, in the same model: neural_collapse_frozen_features (the features stay
 *      at their random initialisation, only the classifier is trained) and
 *      neural_collapse_early_stop (training stops at the first epoch of 100% accuracy: no
 *      terminal phase).
 *   F1-F4 for a ReLU MLP trained by full-batch GD past 100% training accuracy on a Gaussian
 *      mixture (quick) or user data such as data/optdigits.csv (full), in two readings:
 *      neural_collapse_mlp (reading 1: near-collapsed, at 10% resolution, at the end of the
 *      terminal phase, every metric lower than at its start) and neural_collapse_mlp_decades
 *      (reading 2: "-> 0", every metric falls by an order of magnitude through the terminal
 *      phase); 000's open question: neural_collapse_mse (MSE with weight decay, as in Han,
 *      Papyan, Donoho 2022) and neural_collapse_mse_no_wd (MSE replacing cross-entropy in
 *      plain GD).
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
 * Randomness: data from tc_rng_stream(ctx, 1000 + s), initialisation from tc_rng_stream(ctx, s)
 * for seed s; everything is deterministic given the run seed.
 */
#include "theorems/registry.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/classifier_train.h"
#include "numerics/collapse.h"
#include "numerics/etf.h"
#include "numerics/mlp.h"
#include "numerics/rng.h"
#include "numerics/ufm.h"

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

/* ---- shared: trajectories -------------------------------------------------------------- */

enum { MODEL_UFM = 0, MODEL_MLP = 1 };

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
} model;

static num_status model_eval(model *m, double *loss, double *acc)
{
    if (m->kind == MODEL_UFM)
        return num_ufm_eval(m->ufm, m->y, &m->uo, loss, NULL, acc);
    return num_ctrain_eval(m->tr, m->net, m->theta, m->X, m->y, m->n, &m->mo, loss, acc);
}

static num_status model_update(model *m, double *gnorm)
{
    if (m->kind == MODEL_UFM)
        return num_ufm_update(m->ufm, &m->uo, gnorm);
    return num_ctrain_update(m->tr, m->net, m->theta, &m->mo, gnorm);
}

/* Features H (n x p), classifier W (C x p) and bias b at the last model_eval. */
static void model_view(model *m, const double **H, const double **W, const double **b)
{
    if (m->kind == MODEL_UFM) {
        *H = m->ufm->H;
        *W = m->ufm->W;
        *b = m->uo.bias ? m->ufm->b : NULL;
        return;
    }
    size_t K = m->net->nlayers;
    *H = num_mlp_act(num_ctrain_work(m->tr), K - 1);
    *W = num_mlp_w(m->net, m->theta, K - 1);
    *b = num_mlp_b(m->net, m->theta, K - 1);
}

#define TRAJ_NCOLS 11
static const char *const traj_cols[TRAJ_NCOLS] = {
    "epoch",          "loss",           "accuracy",
    "nc1",            "nc1_over_c",     "equinorm_means",
    "equinorm_weights", "equiangularity", "equiangularity_weights",
    "self_duality",   "ncc_mismatch"};

typedef struct {
    num_collapse_metrics init, at_t0, final;
    long t0;          /* first epoch with 100% training accuracy; -1 if never */
    long last;        /* last epoch evaluated */
    double final_loss, final_acc, final_gnorm;
    double gram_final; /* etf_gram_distance of the final centred means */
    double *means_final; /* C x p centred class means at the end (for the 2-D figure) */
} traj;

static void traj_free(traj *t)
{
    free(t->means_final);
    t->means_final = NULL;
}

static void series_row(tc_series *s, long e, double loss, double acc,
                       const num_collapse_metrics *m)
{
    if (!s)
        return;
    double row[TRAJ_NCOLS] = {(double)e,           loss,
                              acc,                 m->nc1,
                              m->nc1_over_c,       m->equinorm_means,
                              m->equinorm_weights, m->equiangularity,
                              m->equiangularity_weights, m->self_duality,
                              m->ncc_mismatch};
    tc_series_add(s, row);
}

/* Train for up to T epochs (GD steps), recording metrics on a logarithmic grid into `s`
 * (may be NULL). stop_at_t0: stop at the first epoch of 100% training accuracy (no terminal
 * phase). Returns NUM_OK or the first failing status (*where names the step). */
static num_status train_record(model *m, long T, bool stop_at_t0, tc_series *s, traj *tr,
                               const char **where)
{
    num_collapse_work *cw = num_collapse_work_alloc(m->n, m->p, m->C);
    if (!cw) {
        *where = "allocation";
        return NUM_ENOMEM;
    }
    num_status st = NUM_OK;
    double ratio = pow(10.0, 1.0 / TRAJ_PER_DECADE), next = 1.0;
    num_collapse_metrics cur;
    tr->t0 = -1;
    tr->final_gnorm = NAN;
    for (long e = 0; e <= T; e++) {
        double loss, acc;
        st = model_eval(m, &loss, &acc);
        if (st != NUM_OK) {
            *where = "forward pass / loss";
            break;
        }
        bool first_tpt = (tr->t0 < 0 && acc >= 1.0);
        bool stop = (e == T) || (stop_at_t0 && first_tpt);
        bool on_grid = (e == 0) || ((double)e >= next);
        if (on_grid || first_tpt || stop) {
            const double *H, *W, *b;
            model_view(m, &H, &W, &b);
            st = num_collapse_measure(cw, H, m->y, m->n, m->p, m->C, W, b, &cur);
            if (st != NUM_OK) {
                *where = "collapse metrics";
                break;
            }
            if (e == 0)
                tr->init = cur;
            if (first_tpt) {
                tr->t0 = e;
                tr->at_t0 = cur;
            }
            if (e > 0)
                series_row(s, e, loss, acc, &cur);
            while ((double)e >= next)
                next *= ratio;
            if (stop) {
                tr->final = cur;
                tr->last = e;
                tr->final_loss = loss;
                tr->final_acc = acc;
                /* centred means for the figure and the ETF distance */
                size_t C = m->C, p = m->p;
                free(tr->means_final);
                tr->means_final = malloc(C * p * sizeof(double));
                double *g = malloc(p * sizeof(double));
                if (!tr->means_final || !g ||
                    num_collapse_means(H, m->y, m->n, p, C, tr->means_final, NULL, g) !=
                        NUM_OK) {
                    free(g);
                    st = NUM_ENOMEM;
                    *where = "final class means";
                    break;
                }
                for (size_t c = 0; c < C; c++)
                    for (size_t j = 0; j < p; j++)
                        tr->means_final[c * p + j] -= g[j];
                free(g);
                tr->gram_final = num_etf_gram_distance(tr->means_final, C, p);
                break;
            }
        }
        double gn;
        st = model_update(m, &gn);
        if (st != NUM_OK) {
            *where = "gradient step";
            break;
        }
        tr->final_gnorm = gn;
    }
    num_collapse_work_free(cw);
    return st;
}

/* The five panels of Papyan, Han and Donoho (Figs. 2-7 of the PNAS paper) and the loss. */
static void add_panels(tc_result *res, const char *what)
{
    char title[160];
    tc_plot *p;
    snprintf(title, sizeof title, "NC1 variability collapse (%s)", what);
    p = tc_plot_new(res, "nc1", title, "epoch (GD steps)", "Tr(Sigma_W Sigma_B^+)",
                    TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(p, "trajectory", "epoch", "nc1", NULL, "Tr(Sigma_W Sigma_B^+)",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(p, "trajectory", "epoch", "nc1_over_c", NULL, "Tr(Sigma_W Sigma_B^+)/C",
                  TC_STYLE_DASHED);
    snprintf(title, sizeof title, "NC2 equinorm (%s)", what);
    p = tc_plot_new(res, "equinorm", title, "epoch (GD steps)", "std/mean of norms",
                    TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(p, "trajectory", "epoch", "equinorm_means", NULL, "centred class means",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(p, "trajectory", "epoch", "equinorm_weights", NULL, "classifier rows",
                  TC_STYLE_DASHED);
    snprintf(title, sizeof title, "NC2 equiangularity (%s)", what);
    p = tc_plot_new(res, "equiangularity", title, "epoch (GD steps)",
                    "mean |cos + 1/(C-1)|", TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(p, "trajectory", "epoch", "equiangularity", NULL, "centred class means",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(p, "trajectory", "epoch", "equiangularity_weights", NULL, "classifier rows",
                  TC_STYLE_DASHED);
    snprintf(title, sizeof title, "NC3 self-duality (%s)", what);
    p = tc_plot_new(res, "self_duality", title, "epoch (GD steps)",
                    "||W/||W|| - M/||M|| ||_F^2", TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(p, "trajectory", "epoch", "self_duality", NULL, "classifier vs means",
                  TC_STYLE_LINESPOINTS);
    snprintf(title, sizeof title, "NC4 nearest-class-centre mismatch (%s)", what);
    p = tc_plot_new(res, "ncc_mismatch", title, "epoch (GD steps)",
                    "fraction of training samples", TC_PLOT_LOGX);
    tc_plot_curve(p, "trajectory", "epoch", "ncc_mismatch", NULL, "NCC vs classifier",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(p, "trajectory", "epoch", "accuracy", NULL, "training accuracy",
                  TC_STYLE_DASHED);
    snprintf(title, sizeof title, "Training loss (%s)", what);
    p = tc_plot_new(res, "loss", title, "epoch (GD steps)", "mean training loss",
                    TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(p, "trajectory", "epoch", "loss", NULL, "data loss (no weight decay term)",
                  TC_STYLE_LINES);
}

/* 2-D projection of the final centred class means beside the nearest scaled simplex ETF. */
static void add_simplex_figure(tc_result *res, const traj *tr, size_t C, size_t p)
{
    if (!tr->means_final || p < C || p < 2)
        return;
    double *E = malloc(C * p * sizeof *E), *x2 = malloc(2 * C * sizeof *x2),
           *e2 = malloc(2 * C * sizeof *e2);
    if (E && x2 && e2 && num_etf_nearest(tr->means_final, C, p, E) == NUM_OK &&
        num_etf_project2(tr->means_final, E, C, p, x2, e2) == NUM_OK) {
        tc_series *sm = tc_series_new(res, "means_2d", 3, (const char *[]){"class", "x", "y"});
        tc_series *se = tc_series_new(res, "simplex_2d", 3, (const char *[]){"class", "x", "y"});
        for (size_t c = 0; c < C; c++) {
            tc_series_addv(sm, (double)c, x2[2 * c], x2[2 * c + 1]);
            tc_series_addv(se, (double)c, e2[2 * c], e2[2 * c + 1]);
        }
        tc_plot *pl = tc_plot_new(res, "simplex", "Final centred class means vs simplex ETF "
                                                  "(plane of the two leading principal axes)",
                                  "principal axis 1", "principal axis 2", 0);
        tc_plot_curve(pl, "means_2d", "x", "y", NULL, "centred class means", TC_STYLE_POINTS);
        tc_plot_curve(pl, "simplex_2d", "x", "y", NULL, "nearest scaled simplex ETF",
                      TC_STYLE_POINTS);
    }
    free(E);
    free(x2);
    free(e2);
}

typedef struct {
    double decades;    /* D */
    double resolution; /* r */
    double ncc_max;
    bool check_decades; /* (a) decides the verdict (else reported) */
    bool check_finals;  /* (b) decides the verdict (else reported) */
} criterion;

static double decades_of(double a, double b)
{
    return log10(fmax(a, DECADES_FLOOR) / fmax(b, DECADES_FLOOR));
}

/* Worst case over seeds of the criterion's quantities. */
typedef struct {
    double dec[4];   /* nc1, equinorm_means, equiangularity, self_duality */
    double fin[4];
    double ncc, gram;
    double t0_max, acc_min, gnorm_max, loss_max;
    double nc1_over_c, equinorm_w, equiangle_w;
    double nc1_init;
} worst;

static void worst_init(worst *w)
{
    for (int i = 0; i < 4; i++) {
        w->dec[i] = INFINITY;
        w->fin[i] = -INFINITY;
    }
    w->ncc = w->gram = w->t0_max = w->gnorm_max = w->loss_max = -INFINITY;
    w->nc1_over_c = w->equinorm_w = w->equiangle_w = w->nc1_init = -INFINITY;
    w->acc_min = INFINITY;
}

static void worst_add(worst *w, const traj *t)
{
    const num_collapse_metrics *a = &t->at_t0, *f = &t->final;
    double va[4] = {a->nc1, a->equinorm_means, a->equiangularity, a->self_duality};
    double vf[4] = {f->nc1, f->equinorm_means, f->equiangularity, f->self_duality};
    /* fmin/fmax drop a NaN operand: keep an undefined value sticky so that it reaches
     * tc_metric (which turns it into an error) instead of being hidden by another seed. */
    for (int i = 0; i < 4; i++) {
        bool undef = isnan(va[i]) || isnan(vf[i]) || isnan(w->dec[i]);
        w->dec[i] = undef ? NAN : fmin(w->dec[i], decades_of(va[i], vf[i]));
        w->fin[i] = undef ? NAN : fmax(w->fin[i], vf[i]);
    }
    w->ncc = (isnan(w->ncc) || isnan(f->ncc_mismatch)) ? NAN : fmax(w->ncc, f->ncc_mismatch);
    w->gram = (isnan(w->gram) || isnan(t->gram_final)) ? NAN : fmax(w->gram, t->gram_final);
    w->t0_max = fmax(w->t0_max, (double)t->t0);
    w->acc_min = fmin(w->acc_min, t->final_acc);
    w->gnorm_max = fmax(w->gnorm_max, t->final_gnorm);
    w->loss_max = fmax(w->loss_max, t->final_loss);
    w->nc1_over_c = fmax(w->nc1_over_c, f->nc1_over_c);
    w->equinorm_w = fmax(w->equinorm_w, f->equinorm_weights);
    w->equiangle_w = fmax(w->equiangle_w, f->equiangularity_weights);
    w->nc1_init = fmax(w->nc1_init, t->init.nc1);
}

/* Record (a) as checked metrics when cr->check_decades, else as information; the same for
 * (b) with cr->check_finals. */
static void crit_metric(tc_result *res, bool checked, const char *name, double v, tc_op op,
                        double thr)
{
    if (checked)
        tc_metric(res, name, v, op, thr);
    else
        tc_metric_info_nan_ok(res, name, v);
}

static void record_criterion(tc_result *res, const worst *w, size_t C, const criterion *cr,
                             long T)
{
    double r = cr->resolution, D = cr->decades;
    bool a = cr->check_decades, b = cr->check_finals;
    tc_metric_info(res, "tpt_start_epoch", w->t0_max);
    tc_metric_info(res, "epochs", (double)T);
    tc_metric_info(res, "final_train_accuracy", w->acc_min);
    tc_metric_info(res, "final_loss", w->loss_max);
    tc_metric_info_nan_ok(res, "final_grad_norm", w->gnorm_max);
    tc_metric_info(res, "nc1_init", w->nc1_init);
    crit_metric(res, a, "nc1_tpt_decades", w->dec[0], TC_GT, D);
    crit_metric(res, a, "equinorm_means_tpt_decades", w->dec[1], TC_GT, D);
    crit_metric(res, a, "equiangularity_tpt_decades", w->dec[2], TC_GT, D);
    crit_metric(res, a, "self_duality_tpt_decades", w->dec[3], TC_GT, D);
    crit_metric(res, b, "nc1_final", w->fin[0], TC_LE, (double)(C - 1) * r * r);
    tc_metric_info(res, "nc1_over_c_final", w->nc1_over_c);
    crit_metric(res, b, "equinorm_means_final", w->fin[1], TC_LE, r);
    crit_metric(res, b, "equiangularity_final", w->fin[2], TC_LE, r);
    crit_metric(res, b, "etf_gram_distance_final", w->gram, TC_LE, r);
    crit_metric(res, b, "self_duality_final", w->fin[3], TC_LE, r * r);
    crit_metric(res, b, "ncc_mismatch_final", w->ncc, TC_LE, cr->ncc_max);
    tc_metric_info(res, "equinorm_weights_final", w->equinorm_w);
    tc_metric_info(res, "equiangularity_weights_final", w->equiangle_w);
}

/* ---- F0: the ETF definition ------------------------------------------------------------ */

static const tc_param_spec etf_params[] = {
    {"classes", TC_PARAM_LIST, "2,3,4,10", "2,3,4,5,10,20,50,100", 2, 1000, NULL,
     "numbers of vectors C of the simplex ETFs built"},
    {"extra_dims", TC_PARAM_LIST, "0,1,5", "0,1,5,50", 0, 1000, NULL,
     "ambient dimension p = C + extra (the construction needs p >= C)"},
    {"orientations", TC_PARAM_INT, "3", "10", 1, 1000, NULL,
     "random orientations (Haar) per size, besides the canonical one"},
    {NULL}};

static void run_etf(tc_ctx *ctx, tc_result *res)
{
    size_t nc, ne;
    const double *cs = tc_param_list(ctx, "classes", &nc);
    const double *es = tc_param_list(ctx, "extra_dims", &ne);
    long nor = tc_param_int(ctx, "orientations");
    /* the worst defect of each kind relative to its tolerance ETF_TOL_C max(C, p) eps */
    double w_norm = 0, w_eq = 0, w_sx = 0, w_coh = 0, w_welch = 0, w_tight = 0, w_rank = 0,
           amb_min = INFINITY;
    gsl_rng *r = tc_rng(ctx);
    tc_series *s = tc_series_new(res, "defects", 4,
                                 (const char *[]){"classes", "dim", "max_defect", "tolerance"});
    for (size_t i = 0; i < nc; i++)
        for (size_t j = 0; j < ne; j++) {
            size_t C = (size_t)llround(cs[i]), p = C + (size_t)llround(es[j]);
            double *M = malloc(C * p * sizeof *M);
            if (!M) {
                tc_result_error(res, "out of memory (C = %zu, p = %zu)", C, p);
                return;
            }
            double worst_here = 0.0, tol = ETF_TOL_C * (double)(C > p ? C : p) * DBL_EPSILON;
            for (long o = 0; o <= nor; o++) {
                num_etf_report rep;
                num_status st = num_etf_simplex(C, p, o ? r : NULL, M);
                if (st == NUM_OK)
                    st = num_etf_check(M, C, p, &rep);
                if (st != NUM_OK) {
                    free(M);
                    tc_result_error(res, "simplex ETF C = %zu, p = %zu: %s", C, p,
                                    num_strerror(st));
                    return;
                }
                double c_exp = 1.0 / (double)(C - 1);
                double d[6] = {rep.norm_dev, rep.equiangle_dev, rep.simplex_dev,
                               fabs(rep.coherence - c_exp), fabs(rep.welch - c_exp),
                               rep.tight_dev_span};
                w_norm = fmax(w_norm, d[0] / tol);
                w_eq = fmax(w_eq, d[1] / tol);
                w_sx = fmax(w_sx, d[2] / tol);
                w_coh = fmax(w_coh, d[3] / tol);
                w_welch = fmax(w_welch, d[4] / tol);
                w_tight = fmax(w_tight, d[5] / tol);
                w_rank = fmax(w_rank, fabs((double)rep.rank - (double)(C - 1)));
                amb_min = fmin(amb_min, rep.tight_dev_ambient);
                for (int k = 0; k < 6; k++)
                    worst_here = fmax(worst_here, d[k]);
            }
            tc_series_addv(s, (double)C, (double)p, fmax(worst_here, DBL_MIN), tol);
            free(M);
        }
    /* 004 Definition (1): ||x_i|| = 1. */
    tc_metric(res, "unit_norm_defect_over_tol", w_norm, TC_LE, 1.0);
    /* 004 Definition (2): |<x_i, x_j>| = c for all i != j. */
    tc_metric(res, "equal_abs_inner_product_defect_over_tol", w_eq, TC_LE, 1.0);
    /* 004 NC2: cos = -1/(N-1) (simplex), c = 1/(C-1). */
    tc_metric(res, "simplex_inner_product_defect_over_tol", w_sx, TC_LE, 1.0);
    tc_metric(res, "coherence_defect_over_tol", w_coh, TC_LE, 1.0);
    /* 004 Remark (optimal packing): an ETF attains the Welch bound; for the simplex it is
     * 1/(C-1) with r = C - 1. */
    tc_metric(res, "welch_bound_defect_over_tol", w_welch, TC_LE, 1.0);
    /* 004 Definition (3) with d = dim span = C - 1: (d/n) sum <x, x_i> x_i = x on the span. */
    tc_metric(res, "tight_frame_of_span_defect_over_tol", w_tight, TC_LE, 1.0);
    tc_metric(res, "span_dimension_minus_c_minus_1", w_rank, TC_EQ, 0.0);
    /* (3) read in the ambient R^p (p >= C > C - 1): never a tight frame — reported. */
    tc_metric_info(res, "ambient_tight_frame_defect_min", amb_min);
    tc_plot *p = tc_plot_new(res, "defects", "Simplex ETF: largest defect of the definition",
                             "number of vectors C", "defect", TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(p, "defects", "classes", "max_defect", NULL, "largest defect (1)-(3)",
                  TC_STYLE_POINTS);
    tc_plot_curve(p, "defects", "classes", "tolerance", NULL, "tolerance 64 max(C,p) eps",
                  TC_STYLE_POINTS);
    tc_result_conclude(res);
}

/* ---- UFM ------------------------------------------------------------------------------- */

#define UFM_PARAMS(DIM_QUICK, DIM_FULL)                                                         \
    {"classes", TC_PARAM_INT, "4", "10", 2, 200, NULL, "number of classes C"},                   \
    {"per_class", TC_PARAM_INT, "10", "20", 1, 10000, NULL, "training samples per class"},       \
    {"dim", TC_PARAM_INT, DIM_QUICK, DIM_FULL, 1, 4096, NULL,                                    \
     "feature dimension p (Zhu et al. Thm 3.1 needs p >= C - 1)"},                             \
    {"epochs", TC_PARAM_INT, "20000", "40000", 1, 10000000, NULL, "GD steps T"},                 \
    {"lr", TC_PARAM_REAL, "0.1", NULL, 1e-6, 10, NULL,                                           \
     "step size eta (features and classifier)"},                                               \
    {"momentum", TC_PARAM_REAL, "0.9", NULL, 0, 0.999, NULL, "heavy-ball momentum mu"},          \
    {"weight_decay", TC_PARAM_REAL, "5e-4", NULL, 0, 1, NULL,                                    \
     "lambda_W = lambda_H = lambda_b (small, as in Zhu et al. 2021 and Papyan et al. 2020)"},  \
    {"seeds", TC_PARAM_INT, "2", "5", 1, 1000, NULL,                                             \
     "independent initialisations (worst case)"},                                              \
    {"decades", TC_PARAM_REAL, "2", NULL, 0, 30, NULL,                                           \
     "criterion (a): each NC metric falls by more than this many decades in the TPT"},         \
    {"resolution", TC_PARAM_REAL, "1e-3", NULL, 1e-12, 1, NULL,                                  \
     "criterion (b): relative resolution r of the final collapsed geometry"},                  \
    {"ncc_max", TC_PARAM_REAL, "0", NULL, 0, 1, NULL,                                            \
     "largest final NCC mismatch (exact collapse: none)"}

static const tc_param_spec ufm_params[] = {UFM_PARAMS("16", "32"), {NULL}};
/* Frozen random features must still be separable for a terminal phase to exist: n points in
 * general position in R^p are linearly separable (with a bias) for every labelling when
 * n <= p + 1 (Cover 1965, Thm 1). n = 40 (quick) and 200 (full) give p = 64 and 256. */
static const tc_param_spec ufm_frozen_params[] = {UFM_PARAMS("64", "256"), {NULL}};

typedef struct {
    num_cls_loss loss;
    bool frozen;     /* negative control: features never move (eta_H = 0) */
    bool stop_at_t0; /* negative control: no terminal phase */
    const char *what;
} ufm_variant;

static void run_ufm_impl(tc_ctx *ctx, tc_result *res, const ufm_variant *v)
{
    size_t C = (size_t)tc_param_int(ctx, "classes"), nc = (size_t)tc_param_int(ctx, "per_class");
    size_t p = (size_t)tc_param_int(ctx, "dim"), n = C * nc;
    long T = tc_param_int(ctx, "epochs"), seeds = tc_param_int(ctx, "seeds");
    double lam = tc_param_real(ctx, "weight_decay");
    criterion cr = {tc_param_real(ctx, "decades"), tc_param_real(ctx, "resolution"),
                    tc_param_real(ctx, "ncc_max"), true, true};
    if (p + 1 < C) {
        tc_result_skip(res, "dim = %zu < C - 1 = %zu: a simplex ETF of C vectors does not fit "
                            "(hypothesis of Zhu et al. 2021, Thm 3.1)", p, C - 1);
        return;
    }
    size_t *y = malloc(n * sizeof *y);
    num_ufm *u = num_ufm_alloc(n, p, C);
    if (!y || !u) {
        free(y);
        num_ufm_free(u);
        tc_result_error(res, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++)
        y[i] = i % C;
    model m = {.kind = MODEL_UFM, .n = n, .p = p, .C = C, .y = y, .ufm = u};
    m.uo = (num_ufm_opts){.loss = v->loss,
                          .lr = tc_param_real(ctx, "lr"),
                          .lr_h = v->frozen ? 0.0 : tc_param_real(ctx, "lr"),
                          .momentum = tc_param_real(ctx, "momentum"),
                          .lambda_w = lam,
                          .lambda_h = lam,
                          .lambda_b = lam,
                          .bias = true};
    worst w;
    worst_init(&w);
    traj first = {0};
    for (long s = 0; s < seeds; s++) {
        gsl_rng *r = tc_rng_stream(ctx, (uint64_t)s);
        if (!r) {
            tc_result_error(res, "out of memory");
            break;
        }
        /* Features ~ N(0, 1) per entry, classifier ~ N(0, 1/p): logits O(1) at the start. */
        num_ufm_init(u, r, 1.0, 1.0 / sqrt((double)p));
        gsl_rng_free(r);
        traj t = {0};
        tc_series *ser = s == 0 ? tc_series_new(res, "trajectory", TRAJ_NCOLS, traj_cols)
                                : NULL;
        const char *where = "";
        num_status st = train_record(&m, T, v->stop_at_t0, ser, &t, &where);
        if (st != NUM_OK) {
            tc_result_error(res, "seed %ld: %s failed: %s", s, where, num_strerror(st));
            traj_free(&t);
            break;
        }
        if (t.t0 < 0) {
            tc_result_skip(res, "seed %ld: 100%% training accuracy never reached in %ld epochs "
                                "(final accuracy %.4f): no terminal phase",
                           s, T, t.final_acc);
            traj_free(&t);
            break;
        }
        worst_add(&w, &t);
        if (s == 0)
            first = t;
        else
            traj_free(&t);
    }
    if (res->outcome == TC_OUT_UNSET) {
        record_criterion(res, &w, C, &cr, v->stop_at_t0 ? (long)w.t0_max : T);
        add_panels(res, v->what);
        add_simplex_figure(res, &first, C, p);
    }
    traj_free(&first);
    num_ufm_free(u);
    free(y);
    tc_result_conclude(res);
}

static void run_ufm_ce(tc_ctx *ctx, tc_result *res)
{
    ufm_variant v = {NUM_CLS_CE, false, false, "UFM, cross-entropy"};
    run_ufm_impl(ctx, res, &v);
}

static void run_ufm_mse(tc_ctx *ctx, tc_result *res)
{
    ufm_variant v = {NUM_CLS_MSE, false, false, "UFM, MSE"};
    run_ufm_impl(ctx, res, &v);
}

static void run_ufm_frozen(tc_ctx *ctx, tc_result *res)
{
    ufm_variant v = {NUM_CLS_CE, true, false, "UFM, features frozen at random init"};
    run_ufm_impl(ctx, res, &v);
}

static void run_ufm_early_stop(tc_ctx *ctx, tc_result *res)
{
    ufm_variant v = {NUM_CLS_CE, false, true, "UFM, stopped at 100% accuracy"};
    run_ufm_impl(ctx, res, &v);
}

/* ---- MLP ------------------------------------------------------------------------------- */

#define MLP_PARAMS(DATASET_FULL, DECADES, WD, WD_FULL, EPOCHS, SEEDS)                          \
    {"dataset", TC_PARAM_CHOICE, "mixture", DATASET_FULL, 0, 0, "mixture|optdigits",             \
     "mixture: synthetic Gaussian mixture; optdigits: the data given with --data (the full "     \
     "profile feeds data/optdigits.csv)"},                                                     \
    {"classes", TC_PARAM_INT, "4", NULL, 2, 100, NULL, "mixture: number of classes C"},          \
    {"per_class", TC_PARAM_INT, "32", NULL, 2, 10000, NULL, "mixture: samples per class"},      \
    {"input_dim", TC_PARAM_INT, "32", NULL, 1, 4096, NULL, "mixture: input dimension d"},       \
    {"separation", TC_PARAM_REAL, "2", NULL, 0, 100, NULL,                                       \
     "mixture: RMS norm of the class centres (within-class noise has RMS norm 1)"},            \
    {"width", TC_PARAM_INT, "128", NULL, 1, 8192, NULL, "hidden width (= feature dim p)"},      \
    {"depth", TC_PARAM_INT, "2", NULL, 1, 16, NULL, "hidden ReLU layers"},                       \
    {"epochs", TC_PARAM_INT, EPOCHS, NULL, 1, 10000000, NULL,                                    \
     "full-batch GD steps T (2000 = 5 weight-decay time constants (1-mu)/(eta lambda) at "     \
     "lambda = 5e-3)"},                                                                        \
    {"lr", TC_PARAM_REAL, "0.05", NULL, 1e-6, 10, NULL, "step size eta"},                        \
    {"momentum", TC_PARAM_REAL, "0.9", NULL, 0, 0.999, NULL,                                     \
     "heavy-ball momentum (0.9 as in Papyan et al.)"},                                         \
    {"weight_decay", TC_PARAM_REAL, WD, WD_FULL, 0, 1, NULL,                                     \
     "lambda on all parameters: F = L + lambda/2 ||theta||^2"},                                \
    {"seeds", TC_PARAM_INT, SEEDS, NULL, 1, 100, NULL, "independent runs (worst case)"},        \
    {"decades", TC_PARAM_REAL, DECADES, NULL, 0, 30, NULL,                                       \
     "criterion (a): each NC metric falls by more than this many decades in the TPT"},         \
    {"resolution", TC_PARAM_REAL, "0.1", NULL, 1e-12, 1, NULL,                                   \
     "criterion (b): relative resolution r of the final geometry (10%)"},                      \
    {"ncc_max", TC_PARAM_REAL, "0.01", NULL, 0, 1, NULL,                                         \
     "largest final NCC mismatch (1% of the training samples)"}

/* Reading 1 of the cross-entropy claim decides on final values that lie within ~30% of their
 * thresholds for single runs, so it takes the worst of two independent runs (data and
 * initialisation); the other claims are decided by margins of 2x or more with one run. The MSE
 * run without weight decay interpolates within ~100 epochs and then stops moving, so 1000
 * epochs show its end state. */
static const tc_param_spec mlp_params[] = {
    MLP_PARAMS("optdigits", "0", "5e-3", "1e-3", "2000", "2"), {NULL}};
static const tc_param_spec mlp_decades_params[] = {
    MLP_PARAMS("optdigits", "1", "5e-3", "1e-3", "2000", "1"), {NULL}};
static const tc_param_spec mse_params[] = {
    MLP_PARAMS("mixture", "0", "5e-3", NULL, "2000", "1"), {NULL}};
static const tc_param_spec mse_no_wd_params[] = {
    MLP_PARAMS("mixture", "0", "0", NULL, "1000", "1"), {NULL}};

typedef struct {
    num_cls_loss loss;
    bool check_decades, check_finals;
    const char *what; /* figure titles */
} mlp_variant;

/* The training set: user data (standardised) or a Gaussian mixture. Returns 0, or -1 after
 * setting the result (skip/error). */
static int mlp_data(tc_ctx *ctx, tc_result *res, uint64_t stream, double **X, size_t **y,
                    size_t *n, size_t *d, size_t *C)
{
    const tc_dataset *ds = tc_data(ctx);
    if (ds) {
        *n = ds->n;
        *d = ds->d;
        *C = ds->classes;
        *X = malloc(ds->n * ds->d * sizeof **X);
        *y = malloc(ds->n * sizeof **y);
        if (!*X || !*y)
            goto oom;
        memcpy(*X, ds->x, ds->n * ds->d * sizeof **X);
        for (size_t i = 0; i < ds->n; i++)
            (*y)[i] = (size_t)llround(ds->y[i * ds->k]);
        /* z-score every column (constant columns become 0): the inputs of optdigits are pixel
         * counts 0..16; standardising keeps the He initialisation's O(1) pre-activations. */
        for (size_t j = 0; j < *d; j++) {
            double mean = 0.0, var = 0.0;
            for (size_t i = 0; i < *n; i++)
                mean += (*X)[i * *d + j];
            mean /= (double)*n;
            for (size_t i = 0; i < *n; i++)
                var += ((*X)[i * *d + j] - mean) * ((*X)[i * *d + j] - mean);
            double sd = sqrt(var / (double)*n);
            for (size_t i = 0; i < *n; i++)
                (*X)[i * *d + j] = sd > 0.0 ? ((*X)[i * *d + j] - mean) / sd : 0.0;
        }
        return 0;
    }
    if (strcmp(tc_param_choice(ctx, "dataset"), "optdigits") == 0) {
        tc_result_skip(res, "dataset = optdigits needs the data: run with --data "
                            "<claim>=data/optdigits.csv (the full profile passes it)");
        return -1;
    }
    /* Gaussian mixture: centres mu_c ~ N(0, (sep^2/d) I), samples mu_c + N(0, I/d). */
    *C = (size_t)tc_param_int(ctx, "classes");
    size_t per = (size_t)tc_param_int(ctx, "per_class");
    *d = (size_t)tc_param_int(ctx, "input_dim");
    *n = *C * per;
    double sep = tc_param_real(ctx, "separation");
    *X = malloc(*n * *d * sizeof **X);
    *y = malloc(*n * sizeof **y);
    double *mu = malloc(*C * *d * sizeof *mu);
    gsl_rng *r = tc_rng_stream(ctx, stream);
    if (!*X || !*y || !mu || !r) {
        free(mu);
        if (r)
            gsl_rng_free(r);
        goto oom;
    }
    num_rng_gaussian(r, sep / sqrt((double)*d), mu, *C * *d);
    num_rng_gaussian(r, 1.0 / sqrt((double)*d), *X, *n * *d);
    for (size_t i = 0; i < *n; i++) {
        (*y)[i] = i % *C;
        cblas_daxpy((int)*d, 1.0, mu + (*y)[i] * *d, 1, *X + i * *d, 1);
    }
    free(mu);
    gsl_rng_free(r);
    return 0;
oom:
    free(*X);
    free(*y);
    *X = NULL;
    *y = NULL;
    tc_result_error(res, "out of memory");
    return -1;
}

static void run_mlp_impl(tc_ctx *ctx, tc_result *res, const mlp_variant *v)
{
    long T = tc_param_int(ctx, "epochs"), seeds = tc_param_int(ctx, "seeds");
    size_t width = (size_t)tc_param_int(ctx, "width"), depth = (size_t)tc_param_int(ctx, "depth");
    criterion cr = {tc_param_real(ctx, "decades"), tc_param_real(ctx, "resolution"),
                    tc_param_real(ctx, "ncc_max"), v->check_decades, v->check_finals};
    worst w;
    worst_init(&w);
    traj first = {0};
    size_t C = 0;
    for (long s = 0; s < seeds && res->outcome == TC_OUT_UNSET; s++) {
        double *X = NULL, *theta = NULL;
        size_t *y = NULL, n, d;
        num_mlp *net = NULL;
        num_ctrain *tr = NULL;
        if (mlp_data(ctx, res, 1000 + (uint64_t)s, &X, &y, &n, &d, &C) != 0)
            break;
        if (width + 1 < C) {
            tc_result_skip(res, "width %zu < C - 1 = %zu: the features cannot hold a simplex",
                           width, C - 1);
            free(X);
            free(y);
            break;
        }
        size_t widths[18];
        widths[0] = d;
        for (size_t k = 1; k <= depth; k++)
            widths[k] = width;
        widths[depth + 1] = C;
        net = num_mlp_alloc(depth + 1, widths, true, NUM_ACT_RELU);
        theta = net ? malloc(net->nparams * sizeof *theta) : NULL;
        tr = net ? num_ctrain_alloc(net, n) : NULL;
        gsl_rng *r = tc_rng_stream(ctx, (uint64_t)s);
        if (!net || !theta || !tr || !r) {
            tc_result_error(res, "out of memory");
        } else {
            /* He initialisation N(0, 2/fan_in) on every layer, zero biases. */
            double sig[17];
            for (size_t k = 0; k <= depth; k++)
                sig[k] = sqrt(2.0 / (double)widths[k]);
            num_mlp_init_gaussian(net, theta, r, sig);
            model m = {.kind = MODEL_MLP, .n = n, .p = width, .C = C, .y = y, .net = net,
                       .theta = theta, .tr = tr, .X = X};
            m.mo = (num_ctrain_opts){.loss = v->loss,
                                     .lr = tc_param_real(ctx, "lr"),
                                     .momentum = tc_param_real(ctx, "momentum"),
                                     .weight_decay = tc_param_real(ctx, "weight_decay"),
                                     .first_trained = 0};
            traj t = {0};
            tc_series *ser = s == 0 ? tc_series_new(res, "trajectory", TRAJ_NCOLS, traj_cols)
                                    : NULL;
            const char *where = "";
            num_status st = train_record(&m, T, false, ser, &t, &where);
            if (st != NUM_OK) {
                tc_result_error(res, "seed %ld: %s failed: %s", s, where, num_strerror(st));
                traj_free(&t);
            } else if (t.t0 < 0) {
                tc_result_skip(res, "seed %ld: 100%% training accuracy never reached in %ld "
                                    "epochs (final %.4f): the network is not trained past "
                                    "interpolation, no terminal phase", s, T, t.final_acc);
                traj_free(&t);
            } else {
                worst_add(&w, &t);
                if (s == 0) {
                    tc_metric_info(res, "samples", (double)n);
                    tc_metric_info(res, "params_per_sample", (double)net->nparams / (double)n);
                    first = t;
                } else {
                    traj_free(&t);
                }
            }
        }
        if (r)
            gsl_rng_free(r);
        num_ctrain_free(tr);
        num_mlp_free(net);
        free(theta);
        free(X);
        free(y);
    }
    if (res->outcome == TC_OUT_UNSET) {
        record_criterion(res, &w, C, &cr, T);
        add_panels(res, v->what);
        add_simplex_figure(res, &first, C, width);
    }
    traj_free(&first);
    tc_result_conclude(res);
}

static void run_mlp(tc_ctx *ctx, tc_result *res)
{
    mlp_variant v = {NUM_CLS_CE, true, true, "MLP, cross-entropy"};
    run_mlp_impl(ctx, res, &v);
}

static void run_mlp_decades(tc_ctx *ctx, tc_result *res)
{
    mlp_variant v = {NUM_CLS_CE, true, false, "MLP, cross-entropy"};
    run_mlp_impl(ctx, res, &v);
}

static void run_mse(tc_ctx *ctx, tc_result *res)
{
    mlp_variant v = {NUM_CLS_MSE, true, true, "MLP, MSE"};
    run_mlp_impl(ctx, res, &v);
}

/* ---- descriptors ----------------------------------------------------------------------- */

#define NC_STATEMENT                                                                            \
    "In the terminal phase of training (training continued after 100% training accuracy): "    \
    "(NC1) variability collapse, ||h_n^(k) - h_n|| -> 0; (NC2) the centred class means become " \
    "equinorm, ||h_n - h|| - ||h_m - h|| -> 0, and equiangular, cos angle(h_n - h, h_m - h) -> " \
    "-1/(N-1): a simplex ETF; (NC3) duality, ||h_n - h - C w_n|| -> 0 for some C; (NC4) the "   \
    "classifier behaves as the nearest-class-centre rule."

#define NC_CRITERION_UFM                                                                       \
    " Criterion: nc1, equinorm_means, equiangularity and self_duality each fall by more than " \
    "2 decades from the first epoch of 100% accuracy to the end, and end at resolution 1e-3 " \
    "(nc1 <= (C-1) 1e-6, equinorm and equiangularity <= 1e-3, self-duality <= 1e-6, ETF Gram " \
    "distance <= 1e-3), NCC mismatch 0."

#define NC_CRITERION_MLP1                                                                      \
    " Reading 1 (near-collapse at 10%): each of nc1, equinorm_means, equiangularity, "         \
    "self_duality is lower at the end than at the first epoch of 100% accuracy, and the end "  \
    "values are at resolution 0.1 (nc1 <= (C-1) 0.01, equinorm, equiangularity, ETF Gram "     \
    "distance <= 0.1, self-duality <= 0.01), NCC mismatch <= 1%."

#define NC_CRITERION_MLP2                                                                      \
    " Reading 2 ('-> 0'): each of nc1, equinorm_means, equiangularity, self_duality falls by " \
    "more than one decade from the first epoch of 100% accuracy to the end."

#define MLP_HYP                                                                                \
    "ReLU MLP (2 hidden layers of 128, He initialisation, biases), full-batch GD with "        \
    "momentum 0.9 and weight decay on all parameters, trained past 100% training accuracy; "   \
    "features = last hidden layer, classifier = output layer. Data: Gaussian mixture (quick) " \
    "or --data (full profile: data/optdigits.csv, standardised)."

static const tc_claim claim_etf = {
    .id = "etf_definition",
    .family = "collapse",
    .title = "The simplex ETF satisfies the ETF definition (exact)",
    .source = "004 Neural Collapse slides: 'Definition' of an equiangular tight frame and NC2 "
              "(cos = -1/(N-1)); Remark (optimal packing: Welch bound)",
    .statement = "An equiangular tight frame is a family {x_i}_{i=1}^n in R^d with (1) "
                 "||x_i|| = 1, (2) |<x_i, x_j>| = c for all i != j, (3) (d/n) sum_i <x, x_i> x_i "
                 "= x for all x. The simplex ETF of C vectors, M = sqrt(C/(C-1)) (I - 11^T/C) "
                 "U^T, is such a family with <x_i, x_j> = -1/(C-1).",
    .hypotheses = "2 <= C <= p; U (p x C) with orthonormal columns (Haar or canonical). The "
                  "simplex spans C - 1 dimensions, so (3) is read with d = C - 1 on its span; "
                  "the ambient reading (d = p) is reported (it fails whenever p > C - 1).",
    .expect = TC_EXPECT_HOLDS,
    .params = etf_params,
    .data = TC_DATA_NONE,
    .run = run_etf};

#define UFM_HYP                                                                                \
    "Free features H (n x p) and classifier (W, b) trained by full-batch GD with momentum 0.9 " \
    "on the mean loss + (lambda/2)(||W||^2 + ||H||^2 + ||b||^2), lambda = 5e-4 (Zhu et al. "    \
    "2021, eq. (4)); balanced classes; p >= C - 1."

static const tc_claim claim_ufm = {
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
    .run = run_ufm_ce};

static const tc_claim claim_ufm_mse = {
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
    .run = run_ufm_mse};

static const tc_claim claim_frozen = {
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
    .run = run_ufm_frozen};

static const tc_claim claim_early_stop = {
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
    .run = run_ufm_early_stop};

static const tc_claim claim_mlp = {
    .id = "neural_collapse_mlp",
    .family = "collapse",
    .title = "NC1-NC4 for an MLP trained past 100% accuracy (reading 1: near-collapse at 10%)",
    .source = "004 Neural Collapse slides (Papyan, Han, Donoho 2020), NC1-NC4; 000 properties "
              "1)-4)",
    .statement = NC_STATEMENT NC_CRITERION_MLP1,
    .hypotheses = MLP_HYP " Cross-entropy, weight decay 5e-3 (full: 1e-3).",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "Narrowly, at the 10% resolution: NC2 and NC4 reach it (equinorm and "
                      "equiangularity 0.02-0.07, NCC mismatch 0) but in each of 10 quick runs "
                      "either nc1_final (0.025-0.040 vs (C-1) 0.01 = 0.03) or self_duality_final "
                      "(0.006-0.020 vs 0.01) misses it, at a stationary point of the regularised "
                      "objective (final_grad_norm ~1.5e-3); the claim takes the worst of 2 runs. "
                      "On optdigits (full) nc1 stays above 1.",
    .params = mlp_params,
    .data = TC_DATA_CLASSES,
    .run = run_mlp};

static const tc_claim claim_mlp_decades = {
    .id = "neural_collapse_mlp_decades",
    .family = "collapse",
    .title = "NC1-NC4 for an MLP (reading 2: every metric falls by a decade in the TPT)",
    .source = "004 Neural Collapse slides, NC1-NC4 ('-> 0'); CLAIMS.md F",
    .statement = NC_STATEMENT NC_CRITERION_MLP2,
    .hypotheses = MLP_HYP " Cross-entropy, weight decay 5e-3 (full: 1e-3).",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "Only self-duality falls by more than a decade (1.7-2.3); in 10 quick "
                      "runs nc1 falls by 0.50-0.78 decade, equinorm by 0.28-0.78 and "
                      "equiangularity by 0.39-0.90 before plateauing at the stationary point "
                      "reached by GD (final_grad_norm ~1.5e-3): the features of a finite MLP "
                      "cannot move freely, unlike in the unconstrained-features model (cf. "
                      "Tirer, Huang, Niles-Weed 2023, 'Perturbation analysis of neural "
                      "collapse').",
    .params = mlp_decades_params,
    .data = TC_DATA_CLASSES,
    .run = run_mlp_decades};

static const tc_claim claim_mse = {
    .id = "neural_collapse_mse",
    .family = "collapse",
    .title = "Open question of 000: NC1-NC4 for an MLP trained with the MSE loss",
    .source = "000 'Discussion and Thoughts: Open Questions' ('Does this behavior take place "
              "even if we replace the cross-entropy by another loss function (say mean squared "
              "error)?'); 004 NC1-NC4",
    .statement = NC_STATEMENT " With the mean squared error to one-hot targets replacing the "
        "cross-entropy." NC_CRITERION_MLP1,
    .hypotheses = MLP_HYP " L = (1/(2n)) ||Z - Y||_F^2, weight decay 5e-3 (the setting of "
                  "Han, Papyan, Donoho 2022).",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "NC1 does better than with cross-entropy (nc1_final 0.008-0.014 <= 0.03, "
                      "falling by 1.0-1.2 decades) but NC3 does not reach 10%: "
                      "self_duality_final 0.026-0.052 > 0.01 in every quick run seed tried "
                      "(1-5).",
    .params = mse_params,
    .data = TC_DATA_CLASSES,
    .run = run_mse};

static const tc_claim claim_mse_no_wd = {
    .id = "neural_collapse_mse_no_wd",
    .family = "collapse",
    .title = "Open question of 000, second reading: MSE in plain GD (no weight decay)",
    .source = "000 'Open Questions' (MSE replacing cross-entropy, nothing else added); 004 "
              "NC1-NC4",
    .statement = NC_STATEMENT " With the mean squared error replacing the cross-entropy in "
        "plain full-batch GD." NC_CRITERION_MLP1,
    .hypotheses = MLP_HYP " MSE, no weight decay: once the outputs interpolate the one-hot "
                  "targets the gradient vanishes and nothing drives the features further.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "Without weight decay GD stops at an interpolating point: "
                      "self_duality_final stays at 1.2-1.3 (the classifier is not aligned with "
                      "the means) and nc1_final at 0.05-0.09 > (C-1) 0.01.",
    .params = mse_no_wd_params,
    .data = TC_DATA_CLASSES,
    .run = run_mse};

static const tc_claim *const claims[] = {
    &claim_etf,   &claim_ufm,         &claim_ufm_mse, &claim_frozen,    &claim_early_stop,
    &claim_mlp,   &claim_mlp_decades, &claim_mse,     &claim_mse_no_wd, NULL};

const tc_family tc_family_collapse = {
    .name = "collapse",
    .title = "F. Neural collapse (004; 000)",
    .doc = "docs/claims/collapse.md",
    .claims = claims,
};
