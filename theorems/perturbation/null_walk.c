/* theorems/perturbation/null_walk.c — H perturbation_null_walk (003 §6 and Figure 4: "the
 * linear network in feature space ... polynomial with degree 39 ... 9 training points ... 100
 * test points ... Weights were perturbed ... and Gradient Descent was allowed to converge to
 * zero training error (up to machine precision) after each perturbation ... Gaussian noise with
 * mean 0 and standard deviation 0.45"), and its full-rank control.
 *
 * The features are the Chebyshev polynomials T_0 .. T_39 rather than the monomials x^0 .. x^39:
 * the same space of functions (each T_j is a combination of x^0 .. x^j and back), but a
 * well-conditioned feature matrix, so that "zero training error up to machine precision" is
 * reached; the null-space dimension P - rank X, the only property the prediction uses, is the
 * same in both bases.
 *
 * measure: per seed, GD from 0 to zero training error, then `rounds` times: w += N(0, s^2 I),
 *          GD back to zero training error; the null-space norm, the row-space part and the
 *          test error after each round;
 * judge:   training error back at zero (the convergence gate); the row-space part back at
 *          X^+ y; E||P_null w_k||^2 growing by s^2 (P - rank X) a round (fitted slope per seed,
 *          t-interval over seeds); the test error higher after the rounds (paired over seeds);
 * figure:  the mean squared null-space norm against the round with the prediction, and the
 *          test error. */
#include "theorems/perturbation/perturbation.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cblas.h>

#include "numerics/fit.h"
#include "numerics/linalg.h"
#include "numerics/lsq_gd.h"
#include "numerics/poly.h"
#include "numerics/rng.h"
#include "numerics/stats.h"

typedef struct {
    bool full_rank; /* the control: P = n features, no null space */
} pert_config;

static const pert_config cfg_walk = {.full_rank = false};
static const pert_config cfg_full = {.full_rank = true};

static const tc_param_spec params[] = {
    TC_P_INT("degree", "39", TC_SAME, 0, 500,
             "polynomial degree: P = degree + 1 features (the control uses P = train)"),
    TC_P_INT("train", "9", TC_SAME, 1, 500, "training points, at the Chebyshev nodes"),
    TC_P_INT("test", "100", TC_SAME, 2, 100000, "test points, equispaced on [-1, 1]"),
    TC_P_REAL("frequency", "4", TC_SAME, 0, 1000, "f in the target sin(2 pi f x)"),
    TC_P_REAL("step", "0.2", TC_SAME, 1e-3, 0.999, "GD step eta times s_1(Phi)^2"),
    TC_P_REAL("sigma", "0.45", TC_SAME, 0, 100, "standard deviation of each weight's noise"),
    TC_P_INT("rounds", "20", "40", 2, 10000, "perturbation rounds m"),
    TC_P_INT("seeds", "20", "30", 3, 10000, "independent repetitions (003: 29)"),
    TC_P_INT("max_iters", "200000", TC_SAME, 1, 100000000,
             "GD steps allowed per descent before the run is inconclusive"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6,
              "c in the zero-training-error level and the rank tolerance"),
    TC_P_END};

typedef struct {
    size_t n, nt, P, rank, S, R;
    double *Phi, *Phit, *y, *yt, *Vt, *wstar, s1, sr, eta, c, phif, ynorm;
    double *null_sq, *test; /* S x (R + 1): after round k (k = 0: the first descent) */
    double row_err, train_max, wmax;
    size_t steps_max;
    num_lsq_gd_work *work;
} pert_run;

static void release_work(void *w) { num_lsq_gd_work_free(w); }

/* ---- measure ---------------------------------------------------------------------------- */

static void features(tc_ctx *ctx, pert_run *m)
{
    const pert_config *cfg = tc_config(ctx);
    m->n = (size_t)tc_param_int(ctx, "train");
    m->nt = (size_t)tc_param_int(ctx, "test");
    m->P = cfg->full_rank ? m->n : (size_t)tc_param_int(ctx, "degree") + 1;
    double f = tc_param_real(ctx, "frequency");
    m->Phi = TC_NEW(ctx, double, m->n * m->P), m->y = TC_NEW(ctx, double, m->n);
    m->Phit = TC_NEW(ctx, double, m->nt * m->P), m->yt = TC_NEW(ctx, double, m->nt);
    for (size_t i = 0; i < m->n; i++) {
        double x = cos((2.0 * (double)i + 1) * M_PI / (2.0 * (double)m->n));
        num_poly_row(NUM_POLY_CHEBYSHEV, x, m->P, m->Phi + i * m->P);
        m->y[i] = sin(2 * M_PI * f * x);
    }
    for (size_t i = 0; i < m->nt; i++) {
        double x = -1 + 2.0 * (double)i / (double)(m->nt - 1);
        num_poly_row(NUM_POLY_CHEBYSHEV, x, m->P, m->Phit + i * m->P);
        m->yt[i] = sin(2 * M_PI * f * x);
    }
    m->phif = num_linalg_norm_fro(m->n, m->P, m->Phi);
    m->ynorm = cblas_dnrm2((int)m->n, m->y, 1);
}

/* The SVD: the rank (the same at c/100 and 100c: across a gap), a row-space basis and X^+ y. */
static bool factor(tc_ctx *ctx, tc_result *res, pert_run *m)
{
    size_t k = m->n < m->P ? m->n : m->P, r[3];
    double *U = TC_NEW(ctx, double, m->n * k), *s = TC_NEW(ctx, double, k);
    m->Vt = TC_NEW(ctx, double, k * m->P);
    tc_check(ctx, num_linalg_svd(m->n, m->P, m->Phi, U, s, m->Vt), "the SVD of the features");
    /* the count must not move when the tolerance moves by 100 either way (as in min_norm) */
    if (!num_linalg_rank_across_gap(m->n, m->P, s, k, m->c, 100.0, r) || r[1] < m->n) {
        tc_result_error(res, "inconclusive: the feature matrix is not of full row rank across a "
                        "gap (ranks %zu, %zu, %zu of n = %zu): zero training error is not "
                        "reachable", r[0], r[1], r[2], m->n);
        return false;
    }
    m->rank = r[1], m->s1 = s[0], m->sr = s[m->rank - 1];
    m->wstar = TC_NEW(ctx, double, m->P);
    num_linalg_svd_solve(m->n, m->P, k, U, s, m->Vt, m->rank, m->y, m->wstar);
    return true;
}

/* "Zero training error (up to machine precision)": the residual of an exact interpolant
 * evaluated in floating point, entry by entry at most gamma_P |Phi||w| + u|y|, so in norm at
 * most c P u (||Phi||_F ||w|| + ||y||). */
static double zero_level_at(const pert_run *m, double wnorm)
{
    return m->c * (double)m->P * (DBL_EPSILON / 2) * (m->phif * wnorm + m->ynorm);
}

static double zero_level(const pert_run *m, const double *w)
{
    return zero_level_at(m, cblas_dnrm2((int)m->P, w, 1));
}

/* GD until the training residual is at zero_level; false (error verdict) if max_iters pass. */
static bool descend(tc_ctx *ctx, tc_result *res, pert_run *m, double *w)
{
    size_t maxit = (size_t)tc_param_int(ctx, "max_iters"), K = 0;
    num_lsq_gd_stats st;
    double *r = m->work->r;
    for (;;) {
        size_t chunk = maxit - K < 50 ? maxit - K : 50;
        tc_check(ctx, num_lsq_gd_steps(m->Phi, m->y, m->n, m->P, m->eta, chunk, w, m->work, &st),
                 "gradient descent");
        K += chunk;
        if (cblas_dnrm2((int)m->n, r, 1) <= zero_level(m, w))
            break;
        if (K >= maxit) {
            tc_result_error(res, "inconclusive: not converged after %zu GD steps: training "
                            "residual %.3g above the zero level %.3g", K,
                            cblas_dnrm2((int)m->n, r, 1), zero_level(m, w));
            return false;
        }
    }
    m->steps_max = K > m->steps_max ? K : m->steps_max;
    return true;
}

static double mse(const double *A, const double *y, size_t rows, size_t P, const double *w,
                  double *tmp)
{
    cblas_dcopy((int)rows, y, 1, tmp, 1);
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)rows, (int)P, 1.0, A, (int)P, w, 1, -1.0, tmp,
                1);
    double s = cblas_dnrm2((int)rows, tmp, 1);
    return s * s / (double)rows;
}

/* After a descent: the squared null-space norm, the test error, and the row-space part's
 * distance to X^+ y (relative) and the training error, kept as maxima. */
static void record(pert_run *m, const double *w, size_t s, size_t k, double *coef, double *tmp)
{
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m->rank, (int)m->P, 1.0, m->Vt, (int)m->P, w,
                1, 0.0, coef, 1);
    double *row = tmp + (m->nt > m->n ? m->nt : m->n);
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)m->rank, (int)m->P, 1.0, m->Vt, (int)m->P, coef,
                1, 0.0, row, 1);
    double wn = cblas_dnrm2((int)m->P, w, 1), rn = cblas_dnrm2((int)m->rank, coef, 1);
    m->wmax = fmax(m->wmax, wn);
    m->null_sq[s * (m->R + 1) + k] = fmax(0.0, wn * wn - rn * rn);
    cblas_daxpy((int)m->P, -1.0, m->wstar, 1, row, 1);
    m->row_err = fmax(m->row_err, cblas_dnrm2((int)m->P, row, 1) /
                                      cblas_dnrm2((int)m->P, m->wstar, 1));
    m->test[s * (m->R + 1) + k] = mse(m->Phit, m->yt, m->nt, m->P, w, tmp);
    m->train_max = fmax(m->train_max, mse(m->Phi, m->y, m->n, m->P, w, tmp));
}

static bool measure(tc_ctx *ctx, tc_result *res, pert_run *m)
{
    m->c = tc_param_real(ctx, "tol_factor");
    features(ctx, m);
    if (!factor(ctx, res, m))
        return false;
    m->S = (size_t)tc_param_int(ctx, "seeds"), m->R = (size_t)tc_param_int(ctx, "rounds");
    m->eta = tc_param_real(ctx, "step") / (m->s1 * m->s1);
    m->work = tc_defer(ctx, release_work, num_lsq_gd_work_alloc(m->n, m->P));
    m->null_sq = TC_NEW(ctx, double, m->S * (m->R + 1));
    m->test = TC_NEW(ctx, double, m->S * (m->R + 1));
    double sigma = tc_param_real(ctx, "sigma");
    double *w = TC_NEW(ctx, double, m->P), *xi = TC_NEW(ctx, double, m->P);
    double *coef = TC_NEW(ctx, double, m->rank);
    double *tmp = TC_NEW(ctx, double, (m->nt > m->n ? m->nt : m->n) + m->P);
    for (size_t s = 0; s < m->S; s++) {
        gsl_rng *r = tc_stream(ctx, s + 1);
        memset(w, 0, m->P * sizeof *w);
        for (size_t k = 0; k <= m->R; k++) {
            if (k > 0) {
                num_rng_gaussian(r, sigma, xi, m->P);
                cblas_daxpy((int)m->P, 1.0, xi, 1, w, 1);
            }
            if (!descend(ctx, res, m, w))
                return false;
            record(m, w, s, k, coef, tmp);
        }
    }
    return true;
}

/* ---- judge ------------------------------------------------------------------------------ */

/* The null-space walk: each round adds xi ~ N(0, s^2 I) and GD removes only its row-space part,
 * so ||P_null w_k||^2 - ||P_null w_(k-1)||^2 = 2 <P_null w, xi> + ||P_null xi||^2 has mean
 * s^2 (P - rank X) whatever w is (003 §6: the weights in the null space "perform a random
 * walk"). The slope fitted to each seed's ||P_null w_k||^2 against k estimates it; the seeds are
 * independent, so their mean has a Student-t interval at level PERT_ALPHA. */
static void judge_walk(tc_ctx *ctx, tc_result *res, const pert_run *m)
{
    double sigma = tc_param_real(ctx, "sigma"), pred = sigma * sigma * (double)(m->P - m->rank);
    double *slope = TC_NEW(ctx, double, m->S), *k = TC_NEW(ctx, double, m->R + 1);
    for (size_t j = 0; j <= m->R; j++)
        k[j] = (double)j;
    for (size_t s = 0; s < m->S; s++) {
        num_fit_line fit;
        tc_check(ctx, num_fit_linear(m->R + 1, k, m->null_sq + s * (m->R + 1), NULL, &fit),
                 "the slope of the null-space walk");
        slope[s] = fit.slope;
    }
    num_stats_tint t = num_stats_t(slope, m->S);
    double crit = num_stats_t2(PERT_ALPHA, (double)(m->S - 1));
    /* no null space (the control): every slope is exactly 0 like its prediction */
    double z = t.se > 0 ? fabs(t.mean - pred) / t.se : (t.mean == pred ? 0.0 : INFINITY);
    tc_metric_info(res, "null_walk_slope", t.mean);
    tc_metric_info(res, "null_walk_slope_predicted", pred);
    tc_metric_info(res, "null_dim", (double)(m->P - m->rank));
    tc_metric(res, "null_walk_slope_t", z, TC_LE, crit);
}

/* The test error after the last round against after the first descent, paired per seed: the
 * mean rise must exceed zero by the one-sided t-bound at level PERT_ALPHA, and exceed what the
 * descents' own inaccuracy can move a test MSE: after each descent w differs from an exact
 * zero-training-error point by at most dw = `back` ||X^+ y|| in the row space (judge), which
 * moves the test MSE by at most 2 sqrt(MSE) ||Phi_t||_F dw / sqrt(nt) + ||Phi_t||_F^2 dw^2 / nt
 * (expand ||e + Phi_t dw||^2 / nt), once for each of the two fits compared. */
static void judge_test(tc_ctx *ctx, tc_result *res, const pert_run *m, double back)
{
    double *rise = TC_NEW(ctx, double, m->S), mse_max = 0;
    for (size_t s = 0; s < m->S; s++) {
        rise[s] = m->test[s * (m->R + 1) + m->R] - m->test[s * (m->R + 1)];
        mse_max = fmax(mse_max, fmax(m->test[s * (m->R + 1) + m->R], m->test[s * (m->R + 1)]));
    }
    num_stats_tint t = num_stats_t(rise, m->S);
    double crit = num_stats_t2(2 * PERT_ALPHA, (double)(m->S - 1)); /* one-sided */
    double pt = num_linalg_norm_fro(m->nt, m->P, m->Phit) / sqrt((double)m->nt);
    double dw = back * cblas_dnrm2((int)m->P, m->wstar, 1);
    double noise = 2 * (2 * sqrt(mse_max) * pt * dw + pt * pt * dw * dw);
    tc_metric_info(res, "test_mse_first", num_stats_t(m->test, 1).mean);
    tc_metric_info(res, "test_rise_mean", t.mean);
    tc_metric(res, "test_rise_lower_bound", t.mean - crit * (t.se > 0 ? t.se : 0), TC_GT, noise);
}

static void judge(tc_ctx *ctx, tc_result *res, const pert_run *m)
{
    /* the row-space part returns: GD from any start converges to X^+ y + P_null(start), so
     * after each descent P_row w = X^+ y up to the descent's residual (||r|| / s_r, the
     * row-space error a residual r leaves) and rounding (c P u kappa) */
    double ws = cblas_dnrm2((int)m->P, m->wstar, 1);
    double back = zero_level_at(m, m->wmax) / (m->sr * ws) +
                  m->c * (double)m->P * (DBL_EPSILON / 2) * (m->s1 / m->sr) * m->wmax / ws;
    tc_metric(res, "max_row_return_relerr", m->row_err, TC_LE, back);
    tc_metric_info(res, "max_train_mse", m->train_max);
    tc_metric_info(res, "max_gd_steps_per_descent", (double)m->steps_max);
    judge_walk(ctx, res, m);
    judge_test(ctx, res, m, back);
}

/* ---- figure and descriptors ------------------------------------------------------------- */

static void figure(tc_ctx *ctx, tc_result *res, const pert_run *m)
{
    double sigma = tc_param_real(ctx, "sigma"), pred = sigma * sigma * (double)(m->P - m->rank);
    tc_series *s = tc_series_new(res, "rounds", 4,
                                 (const char *[]){"round", "null_sq_mean", "null_sq_predicted",
                                                  "test_mse_mean"});
    for (size_t k = 0; k <= m->R; k++) {
        double ns = 0, te = 0;
        for (size_t j = 0; j < m->S; j++)
            ns += m->null_sq[j * (m->R + 1) + k], te += m->test[j * (m->R + 1) + k];
        tc_series_row(s, k, ns / (double)m->S, pred * (double)k, te / (double)m->S);
    }
    tc_plot *p = tc_plot_new(res, "null_walk", "Null-space norm under perturbation and GD",
                             "perturbation round k", "mean over seeds of ||P_null w_k||^2", 0);
    tc_plot_curve(p, "rounds", "round", "null_sq_mean", NULL, "measured", TC_STYLE_LINESPOINTS);
    tc_plot_curve(p, "rounds", "round", "null_sq_predicted", NULL,
                  "predicted sigma^2 (P - rank X) k", TC_STYLE_DASHED);
    p = tc_plot_new(res, "test_error", "Test error after each return to zero training error",
                    "perturbation round k", "mean test MSE over seeds", 0);
    tc_plot_curve(p, "rounds", "round", "test_mse_mean", NULL, "test MSE", TC_STYLE_LINESPOINTS);
}

static void run(tc_ctx *ctx, tc_result *res)
{
    pert_run m = {0};
    if (!measure(ctx, res, &m))
        return;
    judge(ctx, res, &m);
    figure(ctx, res, &m);
    tc_result_conclude(res);
}

#define PERT_SOURCE "003 §6 and Figure 4 (first pair of panels) with its caption"
#define PERT_STATEMENT                                                                        \
    "Linear network in feature space (polynomial features of degree 39, 9 training points at " \
    "the Chebyshev nodes, target sin(2 pi 4 x)): after GD reaches zero training error, each "   \
    "round of Gaussian noise (std 0.45) on the weights followed by GD back to zero training "  \
    "error leaves the training error at zero and the component in the span of the data "       \
    "unchanged, while the null-space component performs a random walk (E||P_null w_k||^2 "     \
    "grows by sigma^2 (P - rank X) per round) and the test error rises."

const tc_claim pert_claim_null_walk = {
    .id = "perturbation_null_walk",
    .family = "perturbation",
    .title = "Perturbations random-walk the null space; the test error rises (003 Fig. 4)",
    .source = PERT_SOURCE,
    .statement = PERT_STATEMENT,
    .hypotheses = "square loss, P > n features of full row rank (a null space; checked across "
                  "a gap); GD step below 1/s_1^2; each descent run to zero training error "
                  "(c P u of the data: else inconclusive)",
    .expect = TC_EXPECT_HOLDS,
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "null_walk_slope_t,test_rise_lower_bound",
    .config = &cfg_walk,
};

const tc_claim pert_claim_full_rank = {
    .id = "perturbation_null_walk_full_rank",
    .family = "perturbation",
    .title = "Negative control: the same perturbations without a null space (P = n)",
    .source = PERT_SOURCE,
    .statement = PERT_STATEMENT " (Checked with P = n features: no null space.)",
    .hypotheses = "violated on purpose: P = n, the interpolant is unique",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "with P = n the interpolant is unique: every descent returns to it, the "
                      "null-space walk has dimension 0 and the test error does not rise "
                      "(test_rise_lower_bound is not above the numerical noise)",
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "test_rise_lower_bound",
    .config = &cfg_full,
};
