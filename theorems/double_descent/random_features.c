/* theorems/double_descent/random_features.c — I' double_descent (000 Fig. 1, "The
 * double-descent phenomenon for highly overparametrized networks": "until reaching the
 * interpolation threshold ... a tendency to improve for a while, and then worsen due to
 * overfitting. If training proceeds after the interpolation point, the test error resumes its
 * descent and this time to a (much) lower error value"; the effect "as discovered in ref. 11",
 * Belkin, Hsu, Ma & Mandal 2019, PNAS 116(32), Fig. 2: minimum-norm random-features regression
 * against the number of features N, peak at N = n), and its control (Nakkiran, Venkat, Kakade &
 * Ma 2021, "Optimal regularization can mitigate double descent": with a ridge penalty tuned on
 * validation data the peak disappears).
 *
 * 000 Fig. 1 plots error against training time; the document's text and its ref. 11 describe
 * the same curve against model size, which is what is measured here (model size = N).
 *
 * measure: per seed, a data draw (a Gaussian mixture by default; --data double_descent=
 *          data/optdigits.csv resamples the digits) and one draw of N_max ReLU random features
 *          phi_j(x) = max(0, <w_j, x>), w_j ~ N(0, I/d); for each N on the grid (always N = n)
 *          the read-out on the first N features: minimum-norm least squares through the SVD
 *          (rank tolerance c max(n, N) eps s_max, condition number reported), or for the
 *          control the ridge read-out with lambda chosen on a validation set; test MSE to the
 *          one-hot targets and 0-1 error;
 * judge:   on the log test MSE (averaged over seeds: the peak's height is heavy-tailed): the
 *          curve's maximum after its first minimum sits at N = n; paired over seeds, the peak
 *          is above the first minimum and the largest model below it (one-sided t-bounds at
 *          family-wise level DD_ALPHA);
 * figure:  test MSE (log y) and test 0-1 error against N with the threshold N = n marked. */
#include "theorems/double_descent/double_descent.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "numerics/classifier_train.h"
#include "numerics/linalg.h"
#include "numerics/random_features.h"
#include "numerics/rng.h"
#include "numerics/stats.h"

/* Family-wise error level of the paired tests: a verdict flips for a run seed with probability
 * at most this (as PERT_ALPHA in family H: a 95% level would flip one run in twenty). */
#define DD_ALPHA 1e-6

typedef struct {
    bool ridge; /* the control: validation-tuned ridge read-out */
} rf_config;

static const rf_config cfg_min_norm = {.ridge = false};
static const rf_config cfg_ridge = {.ridge = true};

static const tc_param_spec params[] = {
    TC_P_INT("train", "60", "100", 4, 100000, "training points n"),
    TC_P_INT("val", "200", TC_SAME, 2, 100000, "validation points (the ridge control's tuning)"),
    TC_P_INT("test", "500", "1000", 2, 100000, "test points"),
    TC_P_INT("classes", "4", TC_SAME, 2, 100, "synthetic data: mixture classes C"),
    TC_P_INT("input_dim", "20", TC_SAME, 1, 10000, "synthetic data: input dimension d"),
    TC_P_REAL("separation", "1.5", TC_SAME, 0, 100,
              "synthetic data: RMS norm of the class centres (noise RMS norm 1)"),
    TC_P_LIST("ratios", "0.05,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1,1.1,1.25,1.5,2,3,4,6,8",
              TC_SAME, 1e-6, 1e4, "model sizes N / n on the grid (N = n is always added)"),
    TC_P_INT("seeds", "24", "48", 3, 10000, "independent data and feature draws"),
    TC_P_REAL("rank_factor", "1", TC_SAME, 1e-3, 1e6,
              "c in the rank tolerance c max(n, N) eps s_max of the minimum-norm solve"),
    TC_P_REAL("ridge_min", "1e-10", TC_SAME, 1e-16, 1e6, "smallest ridge lambda / s_max^2"),
    TC_P_REAL("ridge_max", "10", TC_SAME, 1e-16, 1e6, "largest ridge lambda / s_max^2"),
    TC_P_INT("ridge_points", "23", TC_SAME, 1, 1000, "ridge penalties tried (log-spaced)"),
    TC_P_END};

typedef struct {
    size_t n, nv, nt, d, C, S, Q, Nmax;
    size_t *N;                          /* grid of model sizes, ascending, Q of them */
    double *ltest, *err, *ltrain, *cond; /* S x Q: log test/train MSE, 0-1 error, log10 cond */
    double *rank_def;                   /* S x Q: min(n, N) - numerical rank */
    double *lambda;                     /* S x Q: log10(ridge penalty chosen / s_max^2) */
    size_t no_gap;                      /* fits whose rank moved with the tolerance (x 100) */
    double margin;                      /* min log10(s_min / rank tolerance) over all fits */
} rf_run;

typedef struct {
    double *X; /* (n + nv + nt) x d: train, validation, test rows */
    size_t *y;
    double *W, *Phi[3], *sub[3], *U, *s, *Vt, *Y, *B, *tmp, *P;
} rf_work;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The grid: N = round(ratio n) >= 1 for each ratio, and n itself, sorted, duplicates removed. */
static void grid(tc_ctx *ctx, rf_run *m)
{
    size_t len;
    const double *r = tc_param_list(ctx, "ratios", &len);
    m->N = TC_NEW(ctx, size_t, len + 1);
    for (size_t i = 0; i < len; i++) {
        double v = round(r[i] * (double)m->n);
        m->N[i] = v < 1 ? 1 : (size_t)v;
    }
    m->N[len] = m->n;
    qsort(m->N, len + 1, sizeof *m->N, cmp_size);
    m->Q = 0;
    for (size_t i = 0; i <= len; i++)
        if (m->Q == 0 || m->N[i] != m->N[m->Q - 1])
            m->N[m->Q++] = m->N[i];
    m->Nmax = m->N[m->Q - 1];
}

/* Sizes, the grid and the workspaces; false after a skip (data too small). */
static bool setup(tc_ctx *ctx, tc_result *res, rf_run *m, rf_work *w)
{
    const tc_dataset *ds = tc_data(ctx);
    m->n = (size_t)tc_param_int(ctx, "train"), m->nv = (size_t)tc_param_int(ctx, "val");
    m->nt = (size_t)tc_param_int(ctx, "test"), m->S = (size_t)tc_param_int(ctx, "seeds");
    m->d = ds ? ds->d : (size_t)tc_param_int(ctx, "input_dim");
    m->C = ds ? ds->classes : (size_t)tc_param_int(ctx, "classes");
    size_t tot = m->n + m->nv + m->nt;
    if (ds && ds->n < tot) {
        tc_result_skip(res, "the data has %zu rows, fewer than train + val + test = %zu", ds->n,
                       tot);
        return false;
    }
    grid(ctx, m);
    m->margin = INFINITY;
    size_t SQ = m->S * m->Q, k = m->n < m->Nmax ? m->n : m->Nmax, rows[3] = {m->n, m->nv, m->nt};
    m->ltest = TC_NEW(ctx, double, SQ), m->err = TC_NEW(ctx, double, SQ);
    m->ltrain = TC_NEW(ctx, double, SQ), m->cond = TC_NEW(ctx, double, SQ);
    m->rank_def = TC_NEW(ctx, double, SQ), m->lambda = TC_NEW(ctx, double, SQ);
    w->X = TC_NEW(ctx, double, (tot + m->C) * m->d), w->y = TC_NEW(ctx, size_t, tot + m->C);
    w->W = TC_NEW(ctx, double, m->Nmax * m->d);
    for (int j = 0; j < 3; j++) {
        w->Phi[j] = TC_NEW(ctx, double, rows[j] * m->Nmax);
        w->sub[j] = TC_NEW(ctx, double, rows[j] * m->Nmax);
    }
    w->U = TC_NEW(ctx, double, m->n * k), w->s = TC_NEW(ctx, double, k);
    w->Vt = TC_NEW(ctx, double, k * m->Nmax), w->Y = TC_NEW(ctx, double, m->n * m->C);
    w->B = TC_NEW(ctx, double, m->Nmax * m->C), w->tmp = TC_NEW(ctx, double, k * m->C);
    size_t most = m->n > m->nv ? m->n : m->nv; /* predictions of the largest set */
    w->P = TC_NEW(ctx, double, (most > m->nt ? most : m->nt) * m->C);
    return true;
}

/* The rows of seed s: train, validation and test, standardised together (a label-free
 * preprocessing). User data: a random subset without replacement (stream 100 + s); synthetic:
 * a fresh mixture (stream 100 + s), classes balanced (label i mod C). */
static void draw_data(tc_ctx *ctx, const rf_run *m, rf_work *w, size_t s)
{
    const tc_dataset *ds = tc_data(ctx);
    gsl_rng *r = tc_stream(ctx, 100 + s);
    size_t tot = m->n + m->nv + m->nt;
    if (ds) {
        size_t *idx = TC_NEW(ctx, size_t, ds->n);
        for (size_t i = 0; i < ds->n; i++)
            idx[i] = i;
        gsl_ran_shuffle(r, idx, ds->n, sizeof *idx);
        for (size_t i = 0; i < tot; i++) {
            memcpy(w->X + i * m->d, ds->x + idx[i] * ds->d, m->d * sizeof *w->X);
            w->y[i] = (size_t)llround(ds->y[idx[i] * ds->k]);
        }
    } else {
        size_t per = (tot + m->C - 1) / m->C;
        double *mu = TC_NEW(ctx, double, m->C * m->d), *X = TC_NEW(ctx, double, per * m->C * m->d);
        size_t *y = TC_NEW(ctx, size_t, per * m->C);
        tc_check(ctx, num_ctrain_mixture(r, m->C, per, m->d, tc_param_real(ctx, "separation"),
                                         mu, X, y), "drawing the mixture");
        memcpy(w->X, X, tot * m->d * sizeof *X), memcpy(w->y, y, tot * sizeof *y);
    }
    tc_check(ctx, num_ctrain_standardize(w->X, tot, m->d), "standardising the data");
}

/* The features of seed s (stream 200 + s): W ~ N(0, I/d), N_max x d, on all three sets. */
static void draw_features(tc_ctx *ctx, const rf_run *m, rf_work *w, size_t s)
{
    num_rng_gaussian(tc_stream(ctx, 200 + s), 1.0 / sqrt((double)m->d), w->W, m->Nmax * m->d);
    const double *X[3] = {w->X, w->X + m->n * m->d, w->X + (m->n + m->nv) * m->d};
    size_t rows[3] = {m->n, m->nv, m->nt};
    for (int j = 0; j < 3; j++)
        tc_check(ctx, num_rf_relu_features(rows[j], m->d, X[j], m->Nmax, w->W, w->Phi[j]),
                 "the random features");
    num_rf_onehot(m->n, m->C, w->y, w->Y);
}

/* The validation-tuned ridge read-out (control): lambda = s_max^2 10^t over the log grid, the
 * one with the smallest validation MSE (the smallest lambda among ties); returns lambda/s_max^2. */
static double tune_ridge(tc_ctx *ctx, const rf_run *m, rf_work *w, size_t N, size_t k)
{
    double lo = log10(tc_param_real(ctx, "ridge_min")), hi = log10(tc_param_real(ctx, "ridge_max"));
    size_t L = (size_t)tc_param_int(ctx, "ridge_points");
    const size_t *yv = w->y + m->n;
    double best = INFINITY, arg = 0;
    for (size_t j = 0; j < L; j++) {
        double t = L > 1 ? lo + (hi - lo) * (double)j / (double)(L - 1) : lo, v;
        double lam = w->s[0] * w->s[0] * pow(10.0, t);
        tc_check(ctx, num_rf_coef(m->n, N, k, w->U, w->s, w->Vt, k, lam, m->C, w->Y, w->B, w->tmp),
                 "the ridge read-out");
        tc_check(ctx, num_rf_eval(m->nv, N, m->C, w->sub[1], w->B, yv, w->P, &v, NULL),
                 "the validation error");
        if (v < best)
            best = v, arg = pow(10.0, t);
    }
    tc_check(ctx, num_rf_coef(m->n, N, k, w->U, w->s, w->Vt, k, w->s[0] * w->s[0] * arg, m->C,
                              w->Y, w->B, w->tmp), "the ridge read-out");
    return arg;
}

/* Model size N = m->N[q] of seed s: the read-out, its train and test errors. */
static void fit_one(tc_ctx *ctx, rf_run *m, rf_work *w, size_t s, size_t q)
{
    const rf_config *cfg = tc_config(ctx);
    size_t N = m->N[q], k = m->n < N ? m->n : N, rows[3] = {m->n, m->nv, m->nt}, at = s * m->Q + q;
    for (int j = 0; j < 3; j++)
        num_rf_columns(rows[j], m->Nmax, w->Phi[j], N, w->sub[j]);
    tc_check(ctx, num_linalg_svd(m->n, N, w->sub[0], w->U, w->s, w->Vt), "the SVD of the features");
    /* the rank at c and, to be read across a gap, the same at c / 100 and 100 c */
    double c = tc_param_real(ctx, "rank_factor"), tol = num_linalg_rank_tol(m->n, N, w->s[0], c);
    size_t r3[3];
    if (!num_linalg_rank_across_gap(m->n, N, w->s, k, c, 100.0, r3))
        m->no_gap++;
    size_t rank = r3[1];
    m->margin = fmin(m->margin, log10(w->s[k - 1] / tol));
    m->cond[at] = w->s[k - 1] > 0 ? log10(w->s[0] / w->s[k - 1]) : INFINITY;
    m->rank_def[at] = (double)(k - rank);
    if (cfg->ridge)
        m->lambda[at] = log10(tune_ridge(ctx, m, w, N, k));
    else
        tc_check(ctx, num_rf_coef(m->n, N, k, w->U, w->s, w->Vt, rank, 0.0, m->C, w->Y, w->B,
                                  w->tmp), "the minimum-norm read-out");
    double tr, te;
    tc_check(ctx, num_rf_eval(m->n, N, m->C, w->sub[0], w->B, w->y, w->P, &tr, NULL), "train MSE");
    tc_check(ctx, num_rf_eval(m->nt, N, m->C, w->sub[2], w->B, w->y + m->n + m->nv, w->P, &te,
                              &m->err[at]), "test MSE");
    m->ltrain[at] = log(fmax(tr, 1e-300)), m->ltest[at] = log(te);
}

static bool measure(tc_ctx *ctx, tc_result *res, rf_run *m)
{
    rf_work w = {0};
    if (!setup(ctx, res, m, &w))
        return false;
    for (size_t s = 0; s < m->S; s++) {
        draw_data(ctx, m, &w, s);
        draw_features(ctx, m, &w, s);
        for (size_t q = 0; q < m->Q; q++)
            fit_one(ctx, m, &w, s, q);
    }
    return true;
}

/* ---- judge ------------------------------------------------------------------------------ */

static double col_mean(const rf_run *m, const double *v, size_t q)
{
    double a = 0;
    for (size_t s = 0; s < m->S; s++)
        a += v[s * m->Q + q];
    return a / (double)m->S;
}

static double col_max(const rf_run *m, const double *v, size_t q)
{
    double a = -INFINITY;
    for (size_t s = 0; s < m->S; s++)
        a = fmax(a, v[s * m->Q + q]);
    return a;
}

/* One-sided lower confidence bound at level DD_ALPHA of the mean over seeds of
 * ltest[., a] - ltest[., b] (paired: the same data and features at both sizes). */
static double paired_lower(tc_ctx *ctx, const rf_run *m, size_t a, size_t b)
{
    double *d = TC_NEW(ctx, double, m->S);
    for (size_t s = 0; s < m->S; s++)
        d[s] = m->ltest[s * m->Q + a] - m->ltest[s * m->Q + b];
    num_stats_tint t = num_stats_t(d, m->S);
    return t.mean - num_stats_t2(2 * DD_ALPHA, (double)(m->S - 1)) * t.se;
}

typedef struct {
    size_t thr, min1, peak, last;
} rf_marks;

/* The threshold N = n, the first minimum (smallest mean log test MSE below n), the peak (largest
 * from the first minimum on) and the largest model. */
static rf_marks marks(const rf_run *m)
{
    rf_marks k = {0, 0, 0, m->Q - 1};
    while (m->N[k.thr] != m->n)
        k.thr++;
    for (size_t q = 0; q < k.thr; q++)
        if (col_mean(m, m->ltest, q) < col_mean(m, m->ltest, k.min1))
            k.min1 = q;
    k.peak = k.min1;
    for (size_t q = k.min1; q < m->Q; q++)
        if (col_mean(m, m->ltest, q) > col_mean(m, m->ltest, k.peak))
            k.peak = q;
    return k;
}

static void judge(tc_ctx *ctx, tc_result *res, const rf_run *m, rf_marks k)
{
    const rf_config *cfg = tc_config(ctx);
    if (k.thr == 0) {
        tc_result_error(res, "no model size below the threshold n = %zu on the grid", m->n);
        return;
    }
    if (m->no_gap > 0) { /* a rank that moves with the tolerance is not a measurement */
        tc_result_error(res, "inconclusive: the rank of %zu feature matrices moved when the "
                        "tolerance moved by 100 (no spectral gap): min log10(s_min / tol) = "
                        "%.3g", m->no_gap, m->margin);
        return;
    }
    tc_metric_info(res, "first_min_features", (double)m->N[k.min1]);
    tc_metric_info(res, "test_mse_first_min", exp(col_mean(m, m->ltest, k.min1)));
    tc_metric_info(res, "test_mse_at_threshold", exp(col_mean(m, m->ltest, k.thr)));
    tc_metric_info(res, "test_mse_largest", exp(col_mean(m, m->ltest, k.last)));
    tc_metric_info(res, "test_error_first_min", col_mean(m, m->err, k.min1));
    tc_metric_info(res, "test_error_at_threshold", col_mean(m, m->err, k.thr));
    tc_metric_info(res, "test_error_largest", col_mean(m, m->err, k.last));
    tc_metric_info(res, "threshold_cond_log10_mean", col_mean(m, m->cond, k.thr));
    tc_metric_info(res, "threshold_cond_log10_max", col_max(m, m->cond, k.thr));
    tc_metric_info(res, "threshold_rank_deficit_max", col_max(m, m->rank_def, k.thr));
    tc_metric_info(res, "rank_margin_log10_min", m->margin);
    double tr = -INFINITY;
    for (size_t q = k.thr; q < m->Q; q++)
        tr = fmax(tr, col_max(m, m->ltrain, q));
    tc_metric_info(res, "train_mse_max_past_threshold", exp(tr));
    if (cfg->ridge)
        tc_metric_info(res, "ridge_lambda_log10_at_threshold", col_mean(m, m->lambda, k.thr));
    /* the grid resolves the location: the maximum must be the grid point N = n itself */
    tc_metric_in(res, "peak_features_over_train", (double)m->N[k.peak] / (double)m->n, 1.0, 1.0);
    tc_metric(res, "peak_rise_lower_bound", paired_lower(ctx, m, k.thr, k.min1), TC_GT, 0.0);
    tc_metric(res, "second_descent_lower_bound", paired_lower(ctx, m, k.min1, k.last), TC_GT, 0.0);
}

/* ---- figure and descriptors ------------------------------------------------------------- */

static void figure(tc_result *res, const rf_run *m)
{
    tc_series *s = tc_series_new(res, "curve", 5,
                                 (const char *[]){"features", "test_mse", "test_error",
                                                  "train_mse", "cond"});
    double lo = INFINITY, hi = 0;
    for (size_t q = 0; q < m->Q; q++) {
        double te = exp(col_mean(m, m->ltest, q));
        lo = fmin(lo, te), hi = fmax(hi, te);
        tc_series_row(s, m->N[q], te, col_mean(m, m->err, q),
                      fmax(exp(col_mean(m, m->ltrain, q)), 1e-32),
                      pow(10.0, col_mean(m, m->cond, q)));
    }
    tc_series *t = tc_series_new(res, "threshold", 3,
                                 (const char *[]){"features", "risk", "error"});
    tc_series_row(t, m->n, lo, 0.0);
    tc_series_row(t, m->n, hi, 1.0);
    tc_plot *p = tc_plot_new(res, "risk", "Random-features regression: test MSE against size",
                             "number of random features N", "test MSE (one-hot targets)",
                             TC_PLOT_LOGY);
    tc_plot_curve(p, "curve", "features", "test_mse", NULL, "test MSE (geometric mean over seeds)",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(p, "threshold", "features", "risk", NULL, "interpolation threshold N = n",
                  TC_STYLE_DASHED);
    p = tc_plot_new(res, "error", "Random-features regression: test 0-1 error against size",
                    "number of random features N", "test 0-1 error (mean over seeds)", 0);
    tc_plot_curve(p, "curve", "features", "test_error", NULL, "test 0-1 error",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(p, "threshold", "features", "error", NULL, "interpolation threshold N = n",
                  TC_STYLE_DASHED);
}

static void run(tc_ctx *ctx, tc_result *res)
{
    rf_run m = {0};
    if (!measure(ctx, res, &m))
        return;
    judge(ctx, res, &m, marks(&m));
    figure(res, &m);
    tc_result_conclude(res);
}

#define RF_STATEMENT                                                                          \
    "Test error against model size for minimum-norm random-features regression: it falls, "  \
    "then peaks at the interpolation threshold (N = n features for n training points), then " \
    "descends a second time, the largest models below the first minimum (000 Fig. 1 and its " \
    "text; Belkin et al. 2019)."
#define RF_HYP                                                                                \
    "ReLU random features w ~ N(0, I/d) on standardised inputs, one-hot targets; a Gaussian " \
    "mixture by default, --data double_descent=data/optdigits.csv for the digits; n train, "  \
    "val and test points drawn afresh for every seed"

const tc_claim dd_claim_random_features = {
    .id = "double_descent",
    .family = "double_descent",
    .title = "Double descent of minimum-norm random-features regression (000 Fig. 1)",
    .source = "000 Fig. 1 and the paragraph citing ref. 11 (Belkin et al. 2019, Fig. 2)",
    .statement = RF_STATEMENT,
    .hypotheses = RF_HYP "; minimum-norm read-out by SVD (rank tolerance c max(n, N) eps s_max)",
    .expect = TC_EXPECT_HOLDS,
    .params = params,
    .data = TC_DATA_CLASSES,
    .run = run,
    .key_metrics = "peak_features_over_train,peak_rise_lower_bound,second_descent_lower_bound",
    .config = &cfg_min_norm,
};

const tc_claim dd_claim_random_features_ridge = {
    .id = "double_descent_ridge",
    .family = "double_descent",
    .title = "Negative control: the same curve with a validation-tuned ridge penalty",
    .source = "000 Fig. 1; Nakkiran et al. 2021 (optimal regularisation mitigates double descent)",
    .statement = RF_STATEMENT " (Checked with the ridge read-out, lambda chosen on validation "
                              "data for every N.)",
    .hypotheses = RF_HYP "; violated on purpose: ridge read-out, lambda / s_max^2 on a log grid "
                         "chosen by validation MSE",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "a tuned ridge penalty removes the variance that diverges at N = n (the "
                      "smallest singular value of the n x n feature matrix): the test MSE at "
                      "the threshold is not above the first minimum (peak_rise_lower_bound <= "
                      "0) and the curve's maximum is not at N = n (peak_features_over_train)",
    .params = params,
    .data = TC_DATA_CLASSES,
    .run = run,
    .key_metrics = "peak_rise_lower_bound,peak_features_over_train",
    .config = &cfg_ridge,
};
