/* theorems/double_descent/poly.c — I poly_min_norm (003 Figure 6: "The solution to the
 * over-parametrized system is the minimum norm solution ... The figure shows how eventually the
 * minimum norm solution overfits") and the reading of §8 ("the pseudoinverse solution is the
 * best, independently of overparametrization. It does not overfit in the ideal noiseless case
 * (up to numerical noise). Figure 6 shows an example"), with a control below the threshold.
 *
 * measure: for p = 1 .. max_params basis functions, the minimum-norm least-squares fit
 *          (LAPACK dgelsd) of sin(2 pi f x) at n Chebyshev nodes, in the document's monomial
 *          basis x^j and in the Chebyshev basis T_j (orthogonal at the nodes: the same fits up
 *          to p = n with no arithmetic amplification); train and test mean square errors;
 * judge:   "overfits" = the test error at the largest p exceeds its minimum over p by more than
 *          the numerical noise the fit itself shows, amplified by the Lebesgue constant;
 * figure:  test and train error against the number of parameters, both bases. */
#include "theorems/double_descent/double_descent.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "numerics/linalg.h"
#include "numerics/poly.h"

typedef struct {
    int reading; /* 0 "eventually overfits" (caption), 1 "does not overfit" (§8) */
    bool below;  /* the control: only p <= n */
} dd_config;

static const dd_config cfg_overfits = {.reading = 0, .below = false};
static const dd_config cfg_no_overfit = {.reading = 1, .below = false};
static const dd_config cfg_underparam = {.reading = 0, .below = true};

static const tc_param_spec params[] = {
    TC_P_INT("train", "76", TC_SAME, 2, 2000, "training points n, at the Chebyshev nodes"),
    TC_P_INT("test", "600", TC_SAME, 2, 100000, "test points, equispaced on [-1, 1]"),
    TC_P_REAL("frequency", "4", TC_SAME, 0, 1000, "f in the target sin(2 pi f x)"),
    TC_P_INT("max_params", "300", TC_SAME, 1, 2000,
             "largest number of basis functions p (degree p - 1)"),
    TC_P_INT("stride", "10", "1", 1, 1000,
             "fit every stride-th p (and always p = 1, n and max_params)"),
    TC_P_REAL("rcond_factor", "1", TC_SAME, 1e-3, 1e6,
              "c in dgelsd's cut-off c max(n, p) eps s_max (LAPACK's usual choice: c = 1)"),
    TC_P_END};

enum { DD_MONO = NUM_POLY_MONOMIAL, DD_CHEB = NUM_POLY_CHEBYSHEV };

typedef struct {
    size_t n, nt, pmax, np;
    size_t *ps;                           /* the p fitted, ascending: np of them */
    double *x, *y, *xt, *yt;
    double *test[2], *train[2], *rank[2]; /* per fitted p (index into ps), per basis */
} dd_run;

static double mse(int basis, const double *x, const double *y, size_t m, const double *w,
                  size_t p, double *row)
{
    double s = 0;
    for (size_t i = 0; i < m; i++) {
        num_poly_row((num_poly_basis)basis, x[i], p, row);
        double f = 0;
        for (size_t j = 0; j < p; j++)
            f += row[j] * w[j];
        s += (f - y[i]) * (f - y[i]);
    }
    return s / (double)m;
}

static void setup(tc_ctx *ctx, dd_run *m)
{
    const dd_config *cfg = tc_config(ctx);
    m->n = (size_t)tc_param_int(ctx, "train");
    m->nt = (size_t)tc_param_int(ctx, "test");
    m->pmax = (size_t)tc_param_int(ctx, "max_params");
    if (cfg->below && m->pmax > m->n)
        m->pmax = m->n; /* the control stays at or below the interpolation threshold */
    size_t stride = (size_t)tc_param_int(ctx, "stride");
    m->ps = TC_NEW(ctx, size_t, m->pmax);
    for (size_t p = 1; p <= m->pmax; p++)
        if (p == 1 || p % stride == 0 || p == m->n || p == m->pmax)
            m->ps[m->np++] = p;
    double f = tc_param_real(ctx, "frequency");
    m->x = TC_NEW(ctx, double, m->n), m->y = TC_NEW(ctx, double, m->n);
    m->xt = TC_NEW(ctx, double, m->nt), m->yt = TC_NEW(ctx, double, m->nt);
    for (size_t i = 0; i < m->n; i++) { /* Chebyshev nodes of the first kind */
        m->x[i] = cos((2.0 * (double)i + 1) * M_PI / (2.0 * (double)m->n));
        m->y[i] = sin(2 * M_PI * f * m->x[i]);
    }
    for (size_t i = 0; i < m->nt; i++) {
        m->xt[i] = -1 + 2.0 * (double)i / (double)(m->nt - 1);
        m->yt[i] = sin(2 * M_PI * f * m->xt[i]);
    }
}

static void measure(tc_ctx *ctx, dd_run *m)
{
    setup(ctx, m);
    double c = tc_param_real(ctx, "rcond_factor");
    double *A = TC_NEW(ctx, double, m->n * m->pmax), *w = TC_NEW(ctx, double, m->pmax);
    double *row = TC_NEW(ctx, double, m->pmax);
    for (int b = 0; b < 2; b++) {
        m->test[b] = TC_NEW(ctx, double, m->np);
        m->train[b] = TC_NEW(ctx, double, m->np);
        m->rank[b] = TC_NEW(ctx, double, m->np);
        for (size_t q = 0; q < m->np; q++) {
            size_t p = m->ps[q], rank = 0, big = m->n > p ? m->n : p;
            for (size_t i = 0; i < m->n; i++)
                num_poly_row((num_poly_basis)b, m->x[i], p, A + i * p);
            tc_check(ctx, num_linalg_lstsq(m->n, p, 1, A, m->y, c * (double)big * DBL_EPSILON, w,
                                           &rank), "the minimum-norm least-squares fit");
            m->test[b][q] = mse(b, m->xt, m->yt, m->nt, w, p, row);
            m->train[b][q] = mse(b, m->x, m->y, m->n, w, p, row);
            m->rank[b][q] = (double)rank;
        }
    }
}

/* The index of p = min(n, p_max) among the fitted p (it is always fitted). */
static size_t at_threshold(const dd_run *m)
{
    size_t q = 0, t = m->n < m->pmax ? m->n : m->pmax;
    while (m->ps[q] != t)
        q++;
    return q;
}

/* ---- judge ------------------------------------------------------------------------------ */

/* The numerical noise of the fits of one basis, as it shows on the training points: the
 * largest train MSE from p = n on (where the fit interpolates and would be exact in exact
 * arithmetic). On the test points it can be amplified: a residual r at the nodes makes an error
 * of at most Lambda_n max|r_i| <= Lambda_n sqrt(n MSE_train) between them, Lambda_n <=
 * (2/pi) log(n + 1) + 1 the Lebesgue constant of the Chebyshev nodes (Rivlin, "An Introduction
 * to the Approximation of Functions", Thm 4.5), so the allowance on a test MSE is
 * Lambda_n^2 n noise. */
static double allowance(const dd_run *m, int b)
{
    double noise = 0;
    for (size_t q = at_threshold(m); q < m->np; q++)
        noise = fmax(noise, m->train[b][q]);
    double lebesgue = num_poly_lebesgue_chebyshev(m->n);
    return lebesgue * lebesgue * (double)m->n * noise;
}

/* test(p_max) - min_p test(p): how much worse the last fit is than the best. */
static double overfit_excess(const dd_run *m, int b)
{
    double lo = m->test[b][0];
    for (size_t q = 0; q < m->np; q++)
        lo = fmin(lo, m->test[b][q]);
    return m->test[b][m->np - 1] - lo;
}

/* max over p >= n of test(p) - test(n): the rise past the interpolation threshold. */
static double rise_past_threshold(const dd_run *m, int b)
{
    size_t at = at_threshold(m);
    double hi = m->test[b][at];
    for (size_t q = at; q < m->np; q++)
        hi = fmax(hi, m->test[b][q]);
    return hi - m->test[b][at];
}

/* Where the monomial test error peaks after its first descent: the largest test error over
 * p from the best fit at or below the threshold up to 2n. The document's Figure 6 is read as a
 * peak at the threshold p = n; reported, not decided (docs/claims/double_descent.md). */
static double peak_parameters(const dd_run *m)
{
    size_t best = 0, t = at_threshold(m);
    for (size_t q = 0; q <= t; q++)
        if (m->test[DD_MONO][q] < m->test[DD_MONO][best])
            best = q;
    size_t at = best;
    for (size_t q = best; q < m->np && m->ps[q] <= 2 * m->n; q++)
        if (m->test[DD_MONO][q] > m->test[DD_MONO][at])
            at = q;
    return (double)m->ps[at];
}

static void judge(tc_ctx *ctx, tc_result *res, const dd_run *m)
{
    const dd_config *cfg = tc_config(ctx);
    double a[2] = {allowance(m, DD_MONO), allowance(m, DD_CHEB)};
    size_t last = m->np - 1;
    tc_metric_info(res, "test_mse_at_threshold_mono", m->test[DD_MONO][at_threshold(m)]);
    tc_metric_info(res, "test_mse_last_mono", m->test[DD_MONO][last]);
    tc_metric_info(res, "test_mse_last_cheb", m->test[DD_CHEB][last]);
    tc_metric_info(res, "numerical_rank_last_mono", m->rank[DD_MONO][last]);
    tc_metric_info(res, "peak_parameters", peak_parameters(m));
    if (cfg->reading == 0) { /* "eventually overfits", in the document's monomial basis */
        tc_metric(res, "overfit_excess_mono", overfit_excess(m, DD_MONO), TC_GT, a[DD_MONO]);
        tc_metric_info(res, "overfit_excess_cheb", overfit_excess(m, DD_CHEB));
        return;
    }
    /* "does not overfit (up to numerical noise)": in both bases, the Chebyshev one being the
     * same fits with the arithmetic's amplification removed */
    tc_metric(res, "rise_past_threshold_mono", rise_past_threshold(m, DD_MONO), TC_LE, a[DD_MONO]);
    tc_metric(res, "rise_past_threshold_cheb", rise_past_threshold(m, DD_CHEB), TC_LE, a[DD_CHEB]);
}

/* ---- figure and descriptors ------------------------------------------------------------- */

static void figure(tc_result *res, const dd_run *m)
{
    tc_series *s = tc_series_new(res, "errors", 7,
                                 (const char *[]){"parameters", "test_mono", "train_mono",
                                                  "rank_mono", "test_cheb", "train_cheb",
                                                  "rank_cheb"});
    /* a zero error (an exact fit) is drawn at the plot's floor */
    for (size_t q = 0; q < m->np; q++)
        tc_series_row(s, m->ps[q], fmax(m->test[0][q], 1e-32), fmax(m->train[0][q], 1e-32),
                      m->rank[0][q], fmax(m->test[1][q], 1e-32), fmax(m->train[1][q], 1e-32),
                      m->rank[1][q]);
    tc_plot *p = tc_plot_new(res, "errors", "Minimum-norm polynomial fits of sin(2 pi f x)",
                             "number of parameters p (monomials up to degree p - 1)",
                             "mean square error", TC_PLOT_LOGY);
    tc_plot_curve(p, "errors", "parameters", "test_mono", NULL, "test, monomials (003 Fig. 6)",
                  TC_STYLE_LINES);
    tc_plot_curve(p, "errors", "parameters", "train_mono", NULL, "train, monomials",
                  TC_STYLE_DASHED);
    tc_plot_curve(p, "errors", "parameters", "test_cheb", NULL, "test, Chebyshev basis",
                  TC_STYLE_LINES);
    tc_plot_curve(p, "errors", "parameters", "train_cheb", NULL, "train, Chebyshev basis",
                  TC_STYLE_DASHED);
}

static void run(tc_ctx *ctx, tc_result *res)
{
    dd_run m = {0};
    measure(ctx, &m);
    judge(ctx, res, &m);
    figure(res, &m);
    tc_result_conclude(res);
}

#define DD_HYP                                                                                \
    "noiseless targets sin(2 pi f x) at n Chebyshev nodes; minimum-norm least squares (dgelsd, " \
    "cut-off c max(n, p) eps s_max) for p = 1 .. max_params; test points equispaced"

const tc_claim dd_claim_overfits = {
    .id = "poly_min_norm",
    .family = "double_descent",
    .title = "The minimum-norm polynomial fit eventually overfits (003 Figure 6 caption)",
    .source = "003 Figure 6 and its caption",
    .statement = "Fitting sin(2 pi 4 x) at 76 Chebyshev nodes with the minimum-norm solution in "
                 "monomials of increasing degree (1 to 300 parameters), the test error "
                 "eventually rises: 'the figure shows how eventually the minimum norm solution "
                 "overfits'.",
    .hypotheses = DD_HYP,
    .expect = TC_EXPECT_HOLDS,
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "overfit_excess_mono,peak_parameters",
    .config = &cfg_overfits,
};

const tc_claim dd_claim_no_overfit = {
    .id = "poly_min_norm_no_overfit",
    .family = "double_descent",
    .title = "The pseudoinverse solution does not overfit up to numerical noise (003 §8)",
    .source = "003 §8 (the paragraph before Figure 6) and Figure 6",
    .statement = "The pseudoinverse solution is the best independently of overparametrization: "
                 "it does not overfit in the ideal noiseless case (up to numerical noise); "
                 "Figure 6 shows an example. Read as: past the interpolation threshold p = n "
                 "the test error does not rise by more than the numerical noise of the fit.",
    .hypotheses = DD_HYP,
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "in the Chebyshev basis the fits interpolate to ~1e-29 (no numerical "
                      "noise to speak of) and still rise_past_threshold_cheb is of order 0.1: at "
                      "the n Chebyshev nodes T_(2n-k) = -T_k, so once p > 2n - k for the "
                      "target's significant degrees k the minimum-norm coefficients split between "
                      "T_k and its alias, which differ between the nodes (aliasing). In "
                      "monomials (rise_past_threshold_mono) the rise is of the same order. The "
                      "overfitting is the minimum norm's, not the arithmetic's",
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "rise_past_threshold_cheb,rise_past_threshold_mono",
    .config = &cfg_no_overfit,
};

const tc_claim dd_claim_underparam = {
    .id = "poly_min_norm_underparam",
    .family = "double_descent",
    .title = "Negative control: 'eventually overfits' below the interpolation threshold",
    .source = "003 Figure 6 caption, checked with p <= n only",
    .statement = "The caption's statement checked on fits with at most n parameters (below the "
                 "interpolation threshold), where least squares of a smooth target only improves "
                 "with p.",
    .hypotheses = DD_HYP " (max_params capped at n)",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "below the threshold the test error falls with p (the least-squares "
                      "approximations of an analytic function converge): overfit_excess_mono is "
                      "at the noise allowance, not above it",
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "overfit_excess_mono",
    .config = &cfg_underparam,
};
