/* theorems/angle.c — claim family 'angle': random Gaussian layers, angles and distances
 * (CLAIMS.md section D).
 *
 * Source: 001 (Vidal, Bruna, Giryes, Soatto, "Mathematics of Deep Learning") §V-A "Structure
 * of the data throughout a neural network", which summarises [56] Giryes, Sapiro & Bronstein,
 * "Deep neural networks with random Gaussian weights: a universal classification strategy?"
 * (IEEE TSP 64(13), 2016), and [64] Plan & Vershynin (2014) for the 1-bit view.
 *
 * Claims:
 *   D1 angle_linear                 random projections preserve distances, error ~ m^{-1/2}
 *   D2 angle_shrinkage              arc-cosine law for the output angle + distance law (D3)
 *   D3 angle_distance_law_he_init   the distance law read under N(0, 2/m) weights
 *   D4 angle_depth                  iterated law, shrinkage with every layer
 *   D5 angle_shrinkage_small_angles(_absolute)   "the smaller the angle, the stronger the
 *                                   shrinkage of the distance", two readings
 *   D6 angle_sign_hamming           fraction of differing signs of Wx, Wy estimates theta/pi
 *   D6 angle_intrinsic_dimension    low-dimensional data stay low-dimensional
 * Negative controls: a ReLU layer does not preserve distances; the arc-cosine law fails for a
 * linear and for an erf layer (which follow cos theta and Williams' law); a linear network does
 * not shrink angles with depth; hyperplanes with offsets break the theta/pi law; per-layer
 * noise raises the intrinsic dimension.
 *
 * Monte Carlo design (numerics/randnet.h): P pairs of unit vectors sit in mutually orthogonal
 * coordinate planes, so their first-layer images are exactly independent and the m P (pair,
 * row) values are i.i.d. draws of a bivariate Gaussian; estimators pool them (ratio of sums).
 * Every batch goes through one dgemm per layer. Seed s of a check draws from tc_rng_stream(s).
 *
 * Statistical decisions: every claim splits a family-wise false-alarm probability ANGLE_ALPHA
 * over all its tests (Bonferroni), so a true statement gets the same verdict for any run seed
 * except with probability about ANGLE_ALPHA (see the constant for the approximation made).
 */
#include "theorems/registry.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>

#include "numerics/intrinsic_dim.h"
#include "numerics/kernels.h"
#include "numerics/randnet.h"
#include "numerics/rng.h"
#include "numerics/stats.h"

/* ---- decision constants (each derived where it is defined) ------------------------------ */

/* Family-wise false-alarm probability of one claim: its K tests each use level ANGLE_ALPHA / K
 * (Bonferroni; two-sided unless stated). z-tests use the normal approximation of means of
 * n >= 4096 i.i.d. terms whose skewness is at most about 3; by Cramer's large-deviation
 * correction exp(z^3 skew / (6 sqrt n)) the true tail at z ~ 5.8 is at most ~20 times the
 * normal one, so the real false-alarm probability is below 2e-5 per claim. Binomial and
 * chi-square tests are exact (or Satterthwaite-matched) and stay at ANGLE_ALPHA. */
#define ANGLE_ALPHA 1e-6

/* Standard errors are floored by this absolute amount before dividing. It only matters where
 * an estimator is exactly degenerate: at theta = pi, y = -x bit for bit, relu(u) relu(-u) = 0
 * exactly, so the pooled cosine is exactly 0 = the law and its variance is 0. Anywhere else the
 * standard errors are >= 1e-7, five orders of magnitude above the floor. */
#define SE_FLOOR 1e-12

/* Rate of the per-pair cosine error (D2). The per-pair estimate is a ratio of means of m
 * i.i.d. terms, so its mean squared error is (V/m)(1 + c2/m + O(m^-2)) (delta method with the
 * second-order term). Measured (tests of this file, 20 x 64 pairs per point, theta in
 * [0.1, 2.8]): m MSE / V = 1.13 .. 1.21 at m = 64 and <= 1.10 at m >= 256, i.e. c2 <= 13.4; we
 * take RATE_C2 = 16. Over widths m_min .. m_max this bends the fitted log-log slope by at most
 * (1/2) ln(1 + RATE_C2/m_min) / ln(m_max/m_min), which is added to the statistical tolerance. */
#define RATE_C2 16.0

/* Intrinsic dimension (D6). "Low-dimensional data remain such ... (almost) do not increase the
 * intrinsic dimension": the estimate at every layer must stay below k + ID_MARGIN, i.e. round
 * to the input's dimension k (0.5 = half-way to the next integer dimension). The estimator is
 * first validated on the input, where the dimension is known: it must be within ID_VALID_TOL
 * of k (half of the margin, so that a correct estimator cannot by itself cross the margin);
 * otherwise the check is skipped (estimator cannot resolve k at this sample size). */
#define ID_MARGIN 0.5
#define ID_VALID_TOL 0.25

/* Finite-width bias of the depth experiment (D4). The iterated law is the infinite-width
 * limit; a network of width m has, at layer l, an expected (per-network pooled) angle that
 * differs from it by O(l/m): every layer adds an O(1/m) second-order term (the arccos of a
 * ratio of fluctuating sums, and the common-mode fluctuation described in run_depth_impl).
 * Measured with 600 networks at m = 256 (l <= 12) and 120 at m = 1024 (l <= 10), all starting
 * angles of the full grid: bias <= 0.9 l/m (m = 256) and <= (1.1 +- 0.4) l/m (m = 1024). The
 * law test therefore allows DEPTH_FW_C l/m rad before the t-statistic, with DEPTH_FW_C = 2
 * (twice the largest measured value). Without it the test would reject the true law as soon
 * as sqrt(R) exceeds ~ t_crit / 0.7. */
#define DEPTH_FW_C 2.0

/* Harmonics of the closed curve of the intrinsic-dimension check (a generic smooth closed
 * curve in R^D: x(t) = sum_{a=1}^{J} (A_a cos(a t) + B_a sin(a t)) / a). */
#define CURVE_HARMONICS 3

/* ---- small helpers --------------------------------------------------------------------- */

static double z_two_sided(double ntests) { return num_stats_z2(ANGLE_ALPHA, ntests); }

static double z_one_sided(double ntests) { return num_stats_z1(ANGLE_ALPHA, ntests); }

static double hyp(double se)
{
    return sqrt(se * se + SE_FLOOR * SE_FLOOR);
}

/* A copy of a list parameter of angles, each clamped to pi (the range admits 3.1416 = pi). */
static double *read_thetas(tc_ctx *ctx, const char *name, size_t *n)
{
    const double *v = tc_param_list(ctx, name, n);
    double *t = malloc(sizeof(double) * (*n ? *n : 1));
    if (!t)
        return NULL;
    for (size_t i = 0; i < *n; i++)
        t[i] = v[i] > M_PI ? M_PI : v[i];
    return t;
}

/* Widths as integers; NULL with a skip recorded if one is not an integer. */
static size_t *read_widths(tc_ctx *ctx, tc_result *res, size_t *n, size_t *mmax,
                           size_t *ndistinct)
{
    const double *v = tc_param_list(ctx, "widths", n);
    size_t *w = malloc(sizeof(size_t) * (*n ? *n : 1));
    if (!w) {
        tc_result_error(res, "out of memory");
        return NULL;
    }
    *mmax = 0;
    *ndistinct = 0;
    for (size_t i = 0; i < *n; i++) {
        if (v[i] != floor(v[i])) {
            tc_result_skip(res, "widths must be integers (got %g)", v[i]);
            free(w);
            return NULL;
        }
        w[i] = (size_t)v[i];
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen = seen || w[j] == w[i];
        *ndistinct += !seen;
        if (w[i] > *mmax)
            *mmax = w[i];
    }
    return w;
}

static size_t count_distinct(const double *x, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen = seen || x[j] == x[i];
        c += !seen;
    }
    return c;
}

static void fail_status(tc_result *res, const char *what, num_status st)
{
    tc_result_error(res, "%s: %s", what, num_strerror(st));
}

/* Label "theta0 = 1.57" into buf. */
static const char *fmt_label(char *buf, size_t cap, const char *fmt, double v)
{
    snprintf(buf, cap, fmt, v);
    return buf;
}

/* ======================================================================================= */
/* D1: a random layer without nonlinearity preserves distances                              */
/* ======================================================================================= */

/* For a linear layer with N(0, 1/m) entries and any fixed z = x - y, m ||W z||^2 / ||z||^2 is
 * chi-square with m degrees of freedom, so the relative distortion eps = r - 1 of the squared
 * distance has E eps = 0, E eps^2 = 2/m, E eps^4 = 12/m^2 + 48/m^3 exactly. The P pairs of one
 * batch are in orthogonal planes, so their z_p = x_p - y_p are orthogonal and the r_p are
 * independent: m sum_p r_p is chi-square with m P degrees of freedom. */
static void run_linear_impl(tc_ctx *ctx, tc_result *res, num_act act, double wvar)
{
    size_t nw, mmax, ndist;
    size_t *widths = read_widths(ctx, res, &nw, &mmax, &ndist);
    if (!widths)
        return;
    size_t P = (size_t)tc_param_int(ctx, "pairs"), S = (size_t)tc_param_int(ctx, "seeds");
    size_t d = 2 * P;
    double *X = NULL, *W = NULL, *Z = NULL, *theta = NULL, *dxy2 = NULL, *d2 = NULL;
    double *eps2 = NULL, *maxeps = NULL;
    if (ndist < 2) {
        tc_result_skip(res, "the rate fit needs at least two distinct widths");
        goto done;
    }
    X = malloc(sizeof(double) * 2 * P * d);
    W = malloc(sizeof(double) * mmax * d);
    Z = malloc(sizeof(double) * 2 * P * mmax);
    theta = malloc(sizeof(double) * P);
    dxy2 = malloc(sizeof(double) * P);
    d2 = malloc(sizeof(double) * P);
    eps2 = calloc(nw, sizeof(double));
    maxeps = calloc(nw, sizeof(double));
    if (!X || !W || !Z || !theta || !dxy2 || !d2 || !eps2 || !maxeps) {
        tc_result_error(res, "out of memory");
        goto done;
    }
    /* Pair angles spread over (0, pi]: the distortion of a linear map does not depend on the
     * angle, and a spread shows it. */
    for (size_t p = 0; p < P; p++)
        theta[p] = M_PI * (double)(p + 1) / (double)P;
    num_status st = num_randnet_pairs_orthogonal(P, theta, X, d);
    if (st != NUM_OK) {
        fail_status(res, "pairs", st);
        goto done;
    }
    for (size_t p = 0; p < P; p++) {
        double s = 0.0;
        for (size_t j = 0; j < d; j++) {
            double e = X[2 * p * d + j] - X[(2 * p + 1) * d + j];
            s += e * e;
        }
        dxy2[p] = s;
    }
    /* Tests: one chi-square test of the mean ratio per (width, seed), one test of the
     * distortion variance per width, one exponent. */
    double ntests = (double)(nw * S + nw + 1);
    double level = ANGLE_ALPHA / ntests, zc = z_two_sided(ntests);
    double min_p_mean = 1.0;
    for (size_t s = 0; s < S; s++) {
        gsl_rng *r = tc_rng_stream(ctx, s);
        for (size_t w = 0; w < nw && st == NUM_OK; w++) {
            size_t m = widths[w];
            st = num_randnet_draw(r, m, d, sqrt(wvar / (double)m), W, 0.0, NULL);
            if (st == NUM_OK)
                st = num_randnet_apply(X, 2 * P, d, W, m, NULL, act, 0.1, Z, Z);
            if (st == NUM_OK)
                st = num_randnet_pair_stats(Z, P, m, NULL, d2);
            if (st != NUM_OK)
                break;
            double sumr = 0.0;
            for (size_t p = 0; p < P; p++) {
                double rr = d2[p] / dxy2[p], e = rr - 1.0;
                sumr += rr;
                eps2[w] += e * e;
                if (fabs(e) > maxeps[w] && s == 0)
                    maxeps[w] = fabs(e);
            }
            double pv = num_stats_chisq_p2((double)m * sumr, (double)(m * P));
            if (pv < min_p_mean)
                min_p_mean = pv;
        }
        gsl_rng_free(r);
        if (st != NUM_OK) {
            fail_status(res, "random layer", st);
            goto done;
        }
    }

    /* Distortion variance: q = (m/2) mean(eps^2) has mean 1 and variance (2 + 12/m)/N; its
     * law is matched by a scaled chi-square a chi2_nu with a = 1 + 6/m, nu = N/a
     * (Satterthwaite), which keeps the skewness of a mean of squares. */
    double N = (double)(P * S), min_p_var = 1.0;
    double *lx = malloc(sizeof(double) * nw), *ly = malloc(sizeof(double) * nw),
           *lw = malloc(sizeof(double) * nw);
    if (!lx || !ly || !lw) {
        free(lx), free(ly), free(lw);
        tc_result_error(res, "out of memory");
        goto done;
    }
    tc_series *ser = tc_series_new(res, "distortion", 4,
                                   (const char *[]){"width", "rms_distortion", "rms_theory",
                                                    "max_abs_distortion_seed0"});
    size_t wmax = 0;
    for (size_t w = 0; w < nw; w++) {
        double m = (double)widths[w], ms = eps2[w] / N, q = 0.5 * m * ms;
        double a = 1.0 + 6.0 / m, pv = num_stats_chisq_p2(N * q / a, N / a);
        if (pv < min_p_var)
            min_p_var = pv;
        lx[w] = log(m);
        ly[w] = 0.5 * log(ms);
        /* SE of log sqrt(mean eps^2) = (1/2) SE(q)/q with q ~ 1. */
        double se = 0.5 * sqrt((2.0 + 12.0 / m) / N);
        lw[w] = 1.0 / (se * se);
        tc_series_row(ser, m, sqrt(ms), sqrt(2.0 / m), maxeps[w]);
        if (widths[w] == mmax)
            wmax = w;
    }
    double c0, c1, cov00, cov01, cov11, chisq;
    gsl_fit_wlinear(lx, 1, lw, 1, ly, 1, nw, &c0, &c1, &cov00, &cov01, &cov11, &chisq);
    double tol = zc * sqrt(cov11);
    free(lx), free(ly), free(lw);

    /* 001 §V-A: "random projections preserve the Euclidean distance between two inputs up to
     * a small distortion"; CLAIMS D1: relative error ~ 1/sqrt(width). */
    tc_metric(res, "min_p_mean_distance_ratio", min_p_mean, TC_GE, level);
    tc_metric(res, "min_p_distortion_variance", min_p_var, TC_GE, level);
    tc_metric_in(res, "distortion_exponent", c1, -0.5 - tol, -0.5 + tol);
    tc_metric_info(res, "rms_distortion_at_max_width", sqrt(eps2[wmax] / N));
    tc_metric_info(res, "rms_distortion_theory_at_max_width", sqrt(2.0 / (double)mmax));
    tc_metric_info(res, "max_abs_distortion_at_max_width_seed0", maxeps[wmax]);

    tc_plot *pl = tc_plot_new(res, "distortion", "Relative distortion of squared distances",
                              "layer width m", "distortion of ||f(x)-f(y)||^2 / ||x-y||^2",
                              TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(pl, "distortion", "width", "rms_distortion", NULL, "RMS over pairs (measured)",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(pl, "distortion", "width", "rms_theory", NULL, "sqrt(2/m) (chi-square)",
                  TC_STYLE_DASHED);
    tc_plot_curve(pl, "distortion", "width", "max_abs_distortion_seed0", NULL,
                  "max over pairs (seed 0)", TC_STYLE_POINTS);
    tc_result_conclude(res);
done:
    free(widths), free(X), free(W), free(Z), free(theta), free(dxy2), free(d2), free(eps2);
    free(maxeps);
}

static void run_linear(tc_ctx *ctx, tc_result *res)
{
    run_linear_impl(ctx, res, NUM_ACT_LINEAR, 1.0);
}

static void run_linear_relu_control(tc_ctx *ctx, tc_result *res)
{
    run_linear_impl(ctx, res, NUM_ACT_RELU, 2.0);
}

/* ======================================================================================= */
/* D2, D3: the arc-cosine law and the distance law of one random ReLU layer                 */
/* ======================================================================================= */

typedef struct {
    num_act act;
    double wvar;       /* entries N(0, wvar / m); 0 means N(0, 1) whatever m (erf) */
    bool check_cos;    /* the arc-cosine law (D2) is part of the statement */
    bool check_dist2;  /* the distance law (D3) is part of the statement */
    bool check_rate;   /* the 1/sqrt(width) rate of the cosine (D2) */
    bool theory_se;    /* standard errors from the exact ReLU moments (else empirical) */
} shrink_setup;

/* Squared-distance law of 001 §V-A / CLAIMS D3 for unit x, y at angle theta, as written:
 * 1/2 ||x - y||^2 - ||x|| ||y|| psi(theta). */
static double dist2_law(double theta)
{
    double c = theta >= M_PI ? -1.0 : cos(theta);
    return 0.5 * (2.0 - 2.0 * c) - num_relu_psi(theta);
}

/* Williams' (1997) erf law for unit inputs, weights N(0, sigma2 I): the output cosine. */
static double erf_cos_law(double theta, double sigma2)
{
    double x[2] = {1.0, 0.0}, y[2] = {cos(theta), sin(theta)};
    if (theta >= M_PI)
        y[0] = -1.0, y[1] = 0.0;
    double kxy = num_kernel_erf(x, y, 2, sigma2), kxx = num_kernel_erf(x, x, 2, sigma2);
    return kxy / kxx;
}

static void run_shrinkage_impl(tc_ctx *ctx, tc_result *res, const shrink_setup *su)
{
    size_t nt, nw, mmax, ndist;
    double *thetas = read_thetas(ctx, "thetas", &nt);
    size_t *widths = read_widths(ctx, res, &nw, &mmax, &ndist);
    size_t P = (size_t)tc_param_int(ctx, "pairs"), S = (size_t)tc_param_int(ctx, "seeds");
    size_t d = 2 * P;
    double *X = NULL, *W = NULL, *Z = NULL, *H = NULL, *tp = NULL, *cp = NULL;
    double *G = NULL, *Vc = NULL, *Vd = NULL, *Ld = NULL, *cos_sum = NULL, *d2_sum = NULL;
    double *sec_sum = NULL, *sed_sum = NULL, *q_sum = NULL, *q_sq = NULL, *q_n = NULL;
    if (!thetas || !widths) {
        if (!thetas)
            tc_result_error(res, "out of memory");
        goto done;
    }
    if (su->check_rate && ndist < 2) {
        tc_result_skip(res, "the rate fit needs at least two distinct widths");
        goto done;
    }
    X = malloc(sizeof(double) * 2 * P * d);
    W = malloc(sizeof(double) * mmax * d);
    Z = malloc(sizeof(double) * 2 * P * mmax);
    H = malloc(sizeof(double) * 2 * P * mmax);
    tp = malloc(sizeof(double) * P);
    cp = malloc(sizeof(double) * P);
    G = malloc(sizeof(double) * nt);
    Vc = malloc(sizeof(double) * nt);
    Vd = malloc(sizeof(double) * nt);
    Ld = malloc(sizeof(double) * nt);
    cos_sum = calloc(nt * nw, sizeof(double));
    d2_sum = calloc(nt * nw, sizeof(double));
    sec_sum = calloc(nt * nw, sizeof(double));
    sed_sum = calloc(nt * nw, sizeof(double));
    q_sum = calloc(nw, sizeof(double));
    q_sq = calloc(nw, sizeof(double));
    q_n = calloc(nw, sizeof(double));
    if (!X || !W || !Z || !H || !tp || !cp || !G || !Vc || !Vd || !Ld || !cos_sum || !d2_sum ||
        !sec_sum || !sed_sum || !q_sum || !q_sq || !q_n) {
        tc_result_error(res, "out of memory");
        goto done;
    }
    num_status st = NUM_OK;
    for (size_t j = 0; j < nt && st == NUM_OK; j++) {
        G[j] = num_relu_cos_law(thetas[j]);
        Ld[j] = dist2_law(thetas[j]);
        st = num_randnet_relu_cos_var(thetas[j], &Vc[j]);
        if (st == NUM_OK)
            st = num_randnet_relu_dist2_var(thetas[j], &Vd[j]);
    }
    if (st != NUM_OK) {
        fail_status(res, "ReLU moments", st);
        goto done;
    }
    /* Per-pair cosines enter the rate fit normalised by their variance V(theta); angles where
     * V is at the rounding level (theta = pi: the estimate is exactly the law) carry no rate
     * information and are left out. */
    const double v_min = 1e-12;
    size_t nq = (su->check_cos ? 1 : 0) + (su->check_dist2 ? 1 : 0);
    double ntests = (double)(nt * nw * S * (nq ? nq : 1)) + (double)nq + (su->check_rate ? 1 : 0);
    double zc = z_two_sided(ntests);
    double max_z_cos = 0.0, max_z_d2 = 0.0, max_z_alt = 0.0;
    double sigma2_erf = 1.0; /* erf control: entries N(0, 1), unit-variance pre-activations */

    for (size_t s = 0; s < S && st == NUM_OK; s++) {
        gsl_rng *r = tc_rng_stream(ctx, s);
        for (size_t w = 0; w < nw && st == NUM_OK; w++) {
            size_t m = widths[w];
            double sw = su->wvar > 0.0 ? sqrt(su->wvar / (double)m) : sqrt(sigma2_erf);
            for (size_t j = 0; j < nt && st == NUM_OK; j++) {
                for (size_t p = 0; p < P; p++)
                    tp[p] = thetas[j];
                double c, sec, d2, sed;
                st = num_randnet_pairs_orthogonal(P, tp, X, d);
                if (st == NUM_OK)
                    st = num_randnet_draw(r, m, d, sw, W, 0.0, NULL);
                if (st == NUM_OK)
                    st = num_randnet_apply(X, 2 * P, d, W, m, NULL, su->act, 0.1, Z, H);
                if (st == NUM_OK)
                    st = num_randnet_pooled_cos(H, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &c, &sec);
                if (st == NUM_OK)
                    st = num_randnet_pooled_dist2(H, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &d2,
                                                  &sed);
                if (st == NUM_OK)
                    st = num_randnet_pair_stats(H, P, m, cp, NULL);
                if (st != NUM_OK)
                    break;
                /* Var(c^) = Vc / (m P) and Var(D^) = wvar^2 Vd / (m P) exactly to first order
                 * (numerics/randnet.h) for ReLU; the empirical delta-method SE otherwise. */
                if (su->theory_se) {
                    sec = sqrt(Vc[j] / (double)(m * P));
                    sed = su->wvar * sqrt(Vd[j] / (double)(m * P));
                }
                double zcos = fabs(c - G[j]) / hyp(sec), zd2 = fabs(d2 - Ld[j]) / hyp(sed);
                if (zcos > max_z_cos)
                    max_z_cos = zcos;
                if (zd2 > max_z_d2)
                    max_z_d2 = zd2;
                if (su->act == NUM_ACT_ERF || su->act == NUM_ACT_LINEAR) {
                    double alt = su->act == NUM_ACT_ERF ? erf_cos_law(thetas[j], sigma2_erf)
                                                        : (thetas[j] >= M_PI ? -1.0
                                                                              : cos(thetas[j]));
                    double za = fabs(c - alt) / hyp(sec);
                    if (za > max_z_alt)
                        max_z_alt = za;
                }
                cos_sum[j * nw + w] += c;
                d2_sum[j * nw + w] += d2;
                sec_sum[j * nw + w] += sec;
                sed_sum[j * nw + w] += sed;
                if (Vc[j] > v_min)
                    for (size_t p = 0; p < P; p++) {
                        double e = cp[p] - G[j], q = e * e / Vc[j];
                        q_sum[w] += q;
                        q_sq[w] += q * q;
                        q_n[w] += 1.0;
                    }
            }
        }
        gsl_rng_free(r);
    }
    if (st != NUM_OK) {
        fail_status(res, "random layer", st);
        goto done;
    }

    /* Named output: angle_map, one row per (theta, width), means over seeds. */
    tc_series *amap = tc_series_new(res, "angle_map", 6,
                                    (const char *[]){"theta_in", "cos_out_measured",
                                                     "cos_out_theory", "dist2_measured",
                                                     "dist2_theory", "width"});
    for (size_t w = 0; w < nw; w++)
        for (size_t j = 0; j < nt; j++)
            tc_series_row(amap, thetas[j], cos_sum[j * nw + w] / (double)S, G[j],
                           d2_sum[j * nw + w] / (double)S, Ld[j], (double)widths[w]);

    /* The largest width: errors and the figure series. */
    size_t wm = 0;
    for (size_t w = 0; w < nw; w++)
        if (widths[w] == mmax)
            wm = w;
    double max_cos_err = 0.0, max_d2_err = 0.0, cos_thr_se = 0.0, d2_thr_se = 0.0;
    double wv = su->wvar > 0.0 ? su->wvar : 1.0;
    tc_series *tmap = tc_series_new(
        res, "theta_map", 7,
        (const char *[]){"theta_in", "theta_out_measured", "theta_out_se", "theta_out_theory",
                         "dist2_measured", "dist2_se", "dist2_theory"});
    for (size_t j = 0; j < nt; j++) {
        size_t k = j * nw + wm;
        double cm = cos_sum[k] / (double)S, dm = d2_sum[k] / (double)S;
        double ce = fabs(cm - G[j]), de = fabs(dm - Ld[j]);
        if (ce > max_cos_err)
            max_cos_err = ce;
        if (de > max_d2_err)
            max_d2_err = de;
        /* Thresholds from the exact ReLU variance of the mean over S seeds at the largest
         * width (the law being tested is the ReLU one). */
        double sc = sqrt(Vc[j] / (double)(mmax * P * S)), sd = wv * sqrt(Vd[j] / (double)(mmax * P * S));
        if (sc > cos_thr_se)
            cos_thr_se = sc;
        if (sd > d2_thr_se)
            d2_thr_se = sd;
        double to = num_acos_clamped(cm), sn = sin(to);
        double tse = sn > 1e-6 ? sec_sum[k] / (double)S / sqrt((double)S) / sn : 0.0;
        tc_series_row(tmap, thetas[j], to, tse, num_acos_clamped(G[j]), dm,
                       sed_sum[k] / (double)S / sqrt((double)S), Ld[j]);
    }
    tc_series *law = tc_series_new(res, "theta_law", 4,
                                   (const char *[]){"theta_in", "theta_out_law", "identity",
                                                    "dist2_law"});
    for (int i = 0; i <= 180; i++) {
        double t = M_PI * i / 180.0;
        tc_series_row(law, t, num_acos_clamped(num_relu_cos_law(t)), t, dist2_law(t));
    }

    /* 001 §V-A / CLAIMS D2: cos theta' = (sin theta + (pi - theta) cos theta) / pi. */
    if (su->check_cos) {
        tc_metric(res, "max_abs_z_cos", max_z_cos, TC_LE, zc);
        tc_metric(res, "max_abs_cos_error", max_cos_err, TC_LE, zc * cos_thr_se);
    } else {
        tc_metric_info(res, "max_abs_z_cos", max_z_cos);
        tc_metric_info(res, "max_abs_cos_error", max_cos_err);
    }
    /* CLAIMS D3: ||f(x) - f(y)||^2 ~ 1/2 ||x - y||^2 - ||x|| ||y|| psi(theta). */
    if (su->check_dist2) {
        tc_metric(res, "max_abs_z_dist2", max_z_d2, TC_LE, zc);
        tc_metric(res, "max_abs_dist2_error", max_d2_err, TC_LE, zc * d2_thr_se);
    } else {
        tc_metric_info(res, "max_abs_z_dist2", max_z_d2);
    }
    if (su->act == NUM_ACT_ERF)
        tc_metric_info(res, "max_abs_z_williams_erf_law", max_z_alt);
    if (su->act == NUM_ACT_LINEAR)
        tc_metric_info(res, "max_abs_z_identity_law", max_z_alt);
    tc_metric_info(res, "z_critical", zc);

    /* CLAIMS D2: "Monte Carlo estimates converge to it at rate 1/sqrt(width)": RMS of the
     * per-pair cosine error, normalised by sqrt(V(theta)), against the width. */
    tc_series *rate = tc_series_new(res, "cos_rate", 3,
                                    (const char *[]){"width", "rmse_normalised", "rmse_theory"});
    double *lx = malloc(sizeof(double) * nw), *ly = malloc(sizeof(double) * nw),
           *lw = malloc(sizeof(double) * nw);
    if (!lx || !ly || !lw) {
        free(lx), free(ly), free(lw);
        tc_result_error(res, "out of memory");
        goto done;
    }
    size_t mmin = mmax;
    bool rate_ok = true;
    for (size_t w = 0; w < nw; w++) {
        if (widths[w] < mmin)
            mmin = widths[w];
        double qm = q_n[w] > 0 ? q_sum[w] / q_n[w] : NAN;
        double qv = q_n[w] > 1 ? (q_sq[w] - q_n[w] * qm * qm) / (q_n[w] - 1.0) : NAN;
        lx[w] = log((double)widths[w]);
        ly[w] = 0.5 * log(qm);
        double se = 0.5 * sqrt(qv / q_n[w]) / qm; /* SE of log sqrt(mean q) */
        lw[w] = 1.0 / (se * se);
        rate_ok = rate_ok && isfinite(ly[w]) && isfinite(lw[w]) && lw[w] > 0.0;
        tc_series_row(rate, (double)widths[w], sqrt(qm), 1.0 / sqrt((double)widths[w]));
    }
    if (su->check_rate) {
        if (!rate_ok) {
            free(lx), free(ly), free(lw);
            tc_result_error(res, "rate fit: no angle with a positive estimator variance");
            goto done;
        }
        double c0, c1, cov00, cov01, cov11, chisq;
        gsl_fit_wlinear(lx, 1, lw, 1, ly, 1, nw, &c0, &c1, &cov00, &cov01, &cov11, &chisq);
        double sys = 0.5 * log(1.0 + RATE_C2 / (double)mmin) / log((double)mmax / (double)mmin);
        double tol = zc * sqrt(cov11) + sys;
        tc_metric_in(res, "cos_rmse_exponent", c1, -0.5 - tol, -0.5 + tol);
        tc_metric_info(res, "normalised_mse_at_max_width",
                       (double)mmax * q_sum[wm] / (q_n[wm] > 0 ? q_n[wm] : 1.0));
    }
    free(lx), free(ly), free(lw);

    char lab[128];
    tc_plot *pl = tc_plot_new(res, "theta_map", "Output angle of one random layer",
                              "input angle theta (rad)", "output angle theta' (rad)", 0);
    tc_plot_curve(pl, "theta_law", "theta_in", "theta_out_law", NULL,
                  "arc-cosine law (Cho & Saul 2009)", TC_STYLE_LINES);
    tc_plot_curve(pl, "theta_law", "theta_in", "identity", NULL, "no shrinkage: theta' = theta",
                  TC_STYLE_DASHED);
    tc_plot_curve(pl, "theta_map", "theta_in", "theta_out_measured", "theta_out_se",
                  fmt_label(lab, sizeof lab, "Monte Carlo, width %.0f (+-1 SE)", (double)mmax),
                  TC_STYLE_ERRORBARS);
    tc_plot *pd = tc_plot_new(res, "dist2_map", "Squared output distance of unit inputs",
                              "input angle theta (rad)", "||f(x) - f(y)||^2", 0);
    tc_plot_curve(pd, "theta_law", "theta_in", "dist2_law", NULL,
                  "1/2 ||x-y||^2 - ||x|| ||y|| psi(theta)", TC_STYLE_LINES);
    tc_plot_curve(pd, "theta_map", "theta_in", "dist2_measured", "dist2_se",
                  fmt_label(lab, sizeof lab, "Monte Carlo, width %.0f (+-1 SE)", (double)mmax),
                  TC_STYLE_ERRORBARS);
    tc_plot *pr = tc_plot_new(res, "cos_rate", "Per-pair cosine error against the width",
                              "layer width m", "RMS of (cos^ - law) / sqrt(V(theta))",
                              TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(pr, "cos_rate", "width", "rmse_normalised", NULL, "measured (all angles)",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(pr, "cos_rate", "width", "rmse_theory", NULL, "1/sqrt(m)", TC_STYLE_DASHED);
    tc_result_conclude(res);
done:
    free(thetas), free(widths), free(X), free(W), free(Z), free(H), free(tp), free(cp);
    free(G), free(Vc), free(Vd), free(Ld), free(cos_sum), free(d2_sum), free(sec_sum);
    free(sed_sum), free(q_sum), free(q_sq), free(q_n);
}

static void run_shrinkage(tc_ctx *ctx, tc_result *res)
{
    const shrink_setup su = {NUM_ACT_RELU, 1.0, true, true, true, true};
    run_shrinkage_impl(ctx, res, &su);
}

static void run_shrinkage_linear(tc_ctx *ctx, tc_result *res)
{
    const shrink_setup su = {NUM_ACT_LINEAR, 1.0, true, true, true, false};
    run_shrinkage_impl(ctx, res, &su);
}

static void run_shrinkage_erf(tc_ctx *ctx, tc_result *res)
{
    const shrink_setup su = {NUM_ACT_ERF, 0.0, true, false, true, false};
    run_shrinkage_impl(ctx, res, &su);
}

static void run_distance_he(tc_ctx *ctx, tc_result *res)
{
    const shrink_setup su = {NUM_ACT_RELU, 2.0, false, true, false, true};
    run_shrinkage_impl(ctx, res, &su);
}

/* ======================================================================================= */
/* D4: angles through L random layers                                                      */
/* ======================================================================================= */

/* The unit of independence is the network. Within one network, the pairs share every weight
 * matrix: beyond the first layer the ReLU features of all pairs share a large mean component
 * m, and w_i . m acts as a random bias common to all pairs, so the per-network angles fluctuate
 * together by O(sqrt(l/m)) however many pairs are pooled (measured: the spread over networks
 * at layer 6, m = 256, is 0.04 rad for 8, 32 and 128 pairs per angle alike). Hence: R
 * independent networks (tc_rng_stream(r)), per network the pooled angle of k pairs per starting
 * angle, and Student t-statistics over the R networks. */
static void run_depth_impl(tc_ctx *ctx, tc_result *res, num_act act)
{
    size_t nt;
    double *th0 = read_thetas(ctx, "thetas", &nt);
    size_t m = (size_t)tc_param_int(ctx, "width"), L = (size_t)tc_param_int(ctx, "depth");
    size_t R = (size_t)tc_param_int(ctx, "networks"), k = (size_t)tc_param_int(ctx, "pairs");
    size_t P = nt * k, d = 2 * P, dmax = d > m ? d : m;
    double *X = NULL, *W = NULL, *A = NULL, *B = NULL, *tp = NULL, *ang = NULL, *law = NULL;
    size_t *idx = NULL;
    if (!th0) {
        tc_result_error(res, "out of memory");
        return;
    }
    if (P > 2048) { /* the orthogonal input pairs need a (2P x 2P) input batch */
        tc_result_skip(res, "thetas x pairs = %zu exceeds 2048 pairs", P);
        free(th0);
        return;
    }
    X = malloc(sizeof(double) * 2 * P * d);
    W = malloc(sizeof(double) * m * dmax);
    A = malloc(sizeof(double) * 2 * P * m);
    B = malloc(sizeof(double) * 2 * P * m);
    tp = malloc(sizeof(double) * P);
    ang = malloc(sizeof(double) * R * nt * (L + 1)); /* ang[(r nt + j)(L+1) + l] */
    law = malloc(sizeof(double) * nt * (L + 1));
    idx = malloc(sizeof(size_t) * k);
    if (!X || !W || !A || !B || !tp || !ang || !law || !idx) {
        tc_result_error(res, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < nt; j++)
        for (size_t i = 0; i < k; i++)
            tp[j * k + i] = th0[j];
    num_status st = num_randnet_pairs_orthogonal(P, tp, X, d);
    /* The iterated law theta_{l+1} = arccos(cos-law(theta_l)) (001 §V-A; CLAIMS D4). */
    for (size_t j = 0; j < nt; j++) {
        law[j * (L + 1)] = th0[j];
        for (size_t l = 1; l <= L; l++)
            law[j * (L + 1) + l] = num_acos_clamped(num_relu_cos_law(law[j * (L + 1) + l - 1]));
    }
    for (size_t r = 0; r < R && st == NUM_OK; r++) {
        gsl_rng *g = tc_rng_stream(ctx, r);
        const double *in = X;
        size_t din = d;
        for (size_t j = 0; j < nt; j++)
            ang[(r * nt + j) * (L + 1)] = th0[j];
        for (size_t l = 1; l <= L && st == NUM_OK; l++) {
            double *out = (l % 2) ? A : B;
            st = num_randnet_draw(g, m, din, 1.0 / sqrt((double)m), W, 0.0, NULL);
            if (st == NUM_OK)
                st = num_randnet_apply(in, 2 * P, din, W, m, NULL, act, 0.1, out, out);
            for (size_t j = 0; j < nt && st == NUM_OK; j++) {
                for (size_t i = 0; i < k; i++)
                    idx[i] = j * k + i;
                double c;
                st = num_randnet_pooled_cos(out, m, idx, k, NUM_RANDNET_UNIT_ROW, &c, NULL);
                ang[(r * nt + j) * (L + 1) + l] = num_acos_clamped(c);
            }
            in = out;
            din = m;
        }
        gsl_rng_free(g);
    }
    if (st != NUM_OK) {
        fail_status(res, "random network", st);
        goto done;
    }

    /* Tests: law at every (angle, layer), layer shrinkage at every (angle, layer), total
     * shrinkage per angle; all at the two-sided Bonferroni level. */
    double ntests = (double)(2 * nt * L + nt);
    double tc = gsl_cdf_tdist_Qinv(ANGLE_ALPHA / (2.0 * ntests), (double)(R - 1));
    double max_t_law = 0.0, min_t_layer = INFINITY, min_t_total = INFINITY, max_err = 0.0;
    double n_expand = 0.0, sqR = sqrt((double)R);
    double *v = malloc(sizeof(double) * R);
    if (!v) {
        tc_result_error(res, "out of memory");
        goto done;
    }
    size_t ncol = 1 + 3 * nt;
    const char **cols = malloc(sizeof(char *) * ncol);
    char(*names)[40] = malloc(sizeof(*names) * ncol);
    if (!cols || !names) {
        free(v), free(cols), free(names);
        tc_result_error(res, "out of memory");
        goto done;
    }
    cols[0] = "layer";
    for (size_t j = 0; j < nt; j++) {
        snprintf(names[1 + 3 * j], 40, "theta_measured_%zu", j);
        snprintf(names[2 + 3 * j], 40, "theta_se_%zu", j);
        snprintf(names[3 + 3 * j], 40, "theta_law_%zu", j);
        for (int c = 1; c <= 3; c++)
            cols[c + 3 * j] = names[c + 3 * j];
    }
    tc_series *ser = tc_series_new(res, "depth_map", ncol, cols);
    double *row = malloc(sizeof(double) * ncol);
    if (!row) {
        free(v), free(cols), free(names);
        tc_result_error(res, "out of memory");
        goto done;
    }
    for (size_t l = 0; l <= L; l++) {
        row[0] = (double)l;
        for (size_t j = 0; j < nt; j++) {
            for (size_t r = 0; r < R; r++)
                v[r] = ang[(r * nt + j) * (L + 1) + l];
            double mu = gsl_stats_mean(v, 1, R), se = gsl_stats_sd_m(v, 1, R, mu) / sqR;
            double lw = law[j * (L + 1) + l];
            row[1 + 3 * j] = mu;
            row[2 + 3 * j] = se;
            row[3 + 3 * j] = lw;
            if (l == 0)
                continue;
            double excess = fabs(mu - lw) - DEPTH_FW_C * (double)l / (double)m;
            double tl = (excess > 0.0 ? excess : 0.0) / hyp(se);
            if (tl > max_t_law)
                max_t_law = tl;
            if (fabs(mu - lw) > max_err)
                max_err = fabs(mu - lw);
            for (size_t r = 0; r < R; r++)
                v[r] = ang[(r * nt + j) * (L + 1) + l - 1] - ang[(r * nt + j) * (L + 1) + l];
            double dm = gsl_stats_mean(v, 1, R), ds = gsl_stats_sd_m(v, 1, R, dm) / sqR;
            double tlay = dm / hyp(ds);
            if (tlay < min_t_layer)
                min_t_layer = tlay;
            if (dm <= 0.0)
                n_expand += 1.0;
            if (l == L) {
                for (size_t r = 0; r < R; r++)
                    v[r] = ang[(r * nt + j) * (L + 1)] - ang[(r * nt + j) * (L + 1) + L];
                double tm = gsl_stats_mean(v, 1, R), ts = gsl_stats_sd_m(v, 1, R, tm) / sqR;
                double tt = tm / hyp(ts);
                if (tt < min_t_total)
                    min_t_total = tt;
            }
        }
        tc_series_add(ser, row);
    }
    /* 001 §V-A: "the deeper the network, the stronger the shrinkage achieved": the cumulative
     * shrinkage theta_0 - theta_L is significantly positive for every starting angle, no layer
     * significantly expands an angle, and the angles follow the iterated law (up to the
     * finite-width allowance DEPTH_FW_C l/m). */
    tc_metric(res, "max_abs_t_iterated_law", max_t_law, TC_LE, tc);
    tc_metric(res, "min_t_total_shrinkage", min_t_total, TC_GE, tc);
    tc_metric(res, "min_t_layer_shrinkage", min_t_layer, TC_GE, -tc);
    tc_metric_info(res, "max_abs_law_error_rad", max_err);
    tc_metric_info(res, "finite_width_allowance_rad_at_depth", DEPTH_FW_C * (double)L / (double)m);
    tc_metric_info(res, "layers_with_mean_expansion", n_expand);
    tc_metric_info(res, "t_critical", tc);

    tc_plot *pl = tc_plot_new(res, "depth_map", "Angle between two inputs against depth",
                              "layer l", "angle theta_l (rad)", 0);
    char lab[96];
    for (size_t j = 0; j < nt && j < 8; j++) {
        tc_plot_curve(pl, "depth_map", "layer", names[1 + 3 * j], names[2 + 3 * j],
                      fmt_label(lab, sizeof lab, "theta_0 = %.3g, measured (+-1 SE)", th0[j]),
                      TC_STYLE_ERRORBARS);
        tc_plot_curve(pl, "depth_map", "layer", names[3 + 3 * j], NULL,
                      fmt_label(lab, sizeof lab, "theta_0 = %.3g, iterated law", th0[j]),
                      TC_STYLE_DASHED);
    }
    free(v), free(cols), free(names), free(row);
    tc_result_conclude(res);
done:
    free(th0), free(X), free(W), free(A), free(B), free(tp), free(ang), free(law), free(idx);
}

static void run_depth(tc_ctx *ctx, tc_result *res)
{
    run_depth_impl(ctx, res, NUM_ACT_RELU);
}

static void run_depth_linear(tc_ctx *ctx, tc_result *res)
{
    run_depth_impl(ctx, res, NUM_ACT_LINEAR);
}

/* ======================================================================================= */
/* D5: "the smaller the angle, the stronger the shrinkage of the distance"                   */
/* ======================================================================================= */

/* Closed forms for unit x, y at angle t under W ~ N(0, 1/m), k1(t) = the arc-cosine law:
 *   E||Wx - Wy||^2 = 2 (1 - cos t),   E||relu(Wx) - relu(Wy)||^2 = 1 - k1(t).
 * Relative reading: rho(t) = sqrt((1 - k1) / (2 (1 - cos t))) (output distance over the
 * no-nonlinearity baseline); absolute reading: delta(t) = sqrt(2 (1 - cos t)) - sqrt(1 - k1). */
static double rel_theory(double t)
{
    double c = t >= M_PI ? -1.0 : cos(t);
    return sqrt((1.0 - num_relu_cos_law(t)) / (2.0 * (1.0 - c)));
}

static double abs_theory(double t)
{
    double c = t >= M_PI ? -1.0 : cos(t);
    return sqrt(2.0 * (1.0 - c)) - sqrt(1.0 - num_relu_cos_law(t));
}

static void run_small_angles_impl(tc_ctx *ctx, tc_result *res, bool absolute)
{
    size_t nt;
    double *thetas = read_thetas(ctx, "thetas", &nt);
    size_t m = (size_t)tc_param_int(ctx, "width"), P = (size_t)tc_param_int(ctx, "pairs");
    size_t S = (size_t)tc_param_int(ctx, "seeds"), d = 2 * P;
    double *X = NULL, *W = NULL, *Z = NULL, *H = NULL, *tp = NULL, *val = NULL, *se = NULL;
    double *work = NULL, *vs = NULL;
    if (!thetas) {
        tc_result_error(res, "out of memory");
        return;
    }
    if (count_distinct(thetas, nt) < 2) {
        tc_result_skip(res, "comparing angles needs at least two distinct thetas");
        goto done;
    }
    X = malloc(sizeof(double) * 2 * P * d);
    W = malloc(sizeof(double) * m * d);
    Z = malloc(sizeof(double) * 2 * P * m);
    H = malloc(sizeof(double) * 2 * P * m);
    tp = malloc(sizeof(double) * P);
    val = malloc(sizeof(double) * S * nt);
    se = malloc(sizeof(double) * S * nt);
    work = malloc(sizeof(double) * 2 * nt);
    vs = malloc(sizeof(double) * nt);
    if (!X || !W || !Z || !H || !tp || !val || !se || !work || !vs) {
        tc_result_error(res, "out of memory");
        goto done;
    }
    num_status st = NUM_OK;
    for (size_t s = 0; s < S && st == NUM_OK; s++) {
        gsl_rng *r = tc_rng_stream(ctx, s);
        for (size_t j = 0; j < nt && st == NUM_OK; j++) {
            for (size_t p = 0; p < P; p++)
                tp[p] = thetas[j];
            st = num_randnet_pairs_orthogonal(P, tp, X, d);
            if (st == NUM_OK)
                st = num_randnet_draw(r, m, d, 1.0 / sqrt((double)m), W, 0.0, NULL);
            if (st == NUM_OK) /* Z = W x (the no-nonlinearity baseline), H = relu(Z) */
                st = num_randnet_apply(X, 2 * P, d, W, m, NULL, NUM_ACT_RELU, 0.1, Z, H);
            double v = 0.0, e = 0.0;
            if (st == NUM_OK && absolute) {
                st = num_randnet_pooled_dist_decrease(H, Z, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE,
                                                      &v, &e);
            } else if (st == NUM_OK) {
                double r2, e2;
                st = num_randnet_pooled_dist2_ratio(H, Z, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE,
                                                    &r2, &e2);
                v = sqrt(r2);
                e = v > 0.0 ? e2 / (2.0 * v) : 0.0;
            }
            val[s * nt + j] = v;
            se[s * nt + j] = e;
        }
        gsl_rng_free(r);
    }
    if (st != NUM_OK) {
        fail_status(res, "random layer", st);
        goto done;
    }
    size_t jmin = 0, jmax = 0;
    for (size_t j = 1; j < nt; j++) {
        if (thetas[j] < thetas[jmin])
            jmin = j;
        if (thetas[j] > thetas[jmax])
            jmax = j;
    }
    /* Statement-favourable summaries over seeds: if even the seed most favourable to the
     * statement contradicts it, so do all. */
    double best_rho = absolute ? INFINITY : -INFINITY, best_z = -INFINITY, max_z_th = 0.0;
    for (size_t s = 0; s < S; s++) {
        const double *vv = val + s * nt, *ee = se + s * nt;
        double rho = gsl_stats_spearman(thetas, 1, vv, 1, nt, work);
        double diff = absolute ? vv[jmin] - vv[jmax] : vv[jmax] - vv[jmin];
        double z = diff / hyp(sqrt(ee[jmin] * ee[jmin] + ee[jmax] * ee[jmax]));
        if (absolute ? rho < best_rho : rho > best_rho)
            best_rho = rho;
        if (z > best_z)
            best_z = z;
        for (size_t j = 0; j < nt; j++) {
            double th = absolute ? abs_theory(thetas[j]) : rel_theory(thetas[j]);
            double zt = fabs(vv[j] - th) / hyp(ee[j]);
            if (zt > max_z_th)
                max_z_th = zt;
        }
    }
    for (size_t j = 0; j < nt; j++)
        vs[j] = absolute ? abs_theory(thetas[j]) : rel_theory(thetas[j]);
    double rho_theory = gsl_stats_spearman(thetas, 1, vs, 1, nt, work);
    double z1 = z_one_sided((double)S);

    tc_series *ser = tc_series_new(
        res, "shrinkage", 4,
        absolute ? (const char *[]){"theta_in", "decrease_measured", "decrease_se",
                                    "decrease_theory"}
                 : (const char *[]){"theta_in", "ratio_measured", "ratio_se", "ratio_theory"});
    double mean_min = 0.0, mean_max = 0.0;
    for (size_t j = 0; j < nt; j++) {
        double mu = 0.0, e2 = 0.0;
        for (size_t s = 0; s < S; s++) {
            mu += val[s * nt + j];
            e2 += se[s * nt + j] * se[s * nt + j];
        }
        mu /= (double)S;
        tc_series_row(ser, thetas[j], mu, sqrt(e2) / (double)S, vs[j]);
        if (j == jmin)
            mean_min = mu;
        if (j == jmax)
            mean_max = mu;
    }
    tc_series *lawser = tc_series_new(
        res, "shrinkage_law", 2,
        absolute ? (const char *[]){"theta_in", "decrease_law"}
                 : (const char *[]){"theta_in", "ratio_law"});
    for (int i = 1; i <= 180; i++) {
        double t = M_PI * i / 180.0;
        tc_series_row(lawser, t, absolute ? abs_theory(t) : rel_theory(t));
    }

    /* 001 §V-A: "the smaller the angle, the stronger the shrinkage of the distance"; "the
     * network tends to decrease the Euclidean distances between points with small angles
     * between them more than the distances between points with large angles". */
    if (absolute) {
        /* Absolute reading: the decrease delta is larger at smaller angles, i.e. delta falls
         * with theta: Spearman(theta, delta) < 0 and delta(theta_min) - delta(theta_max) > 0
         * significantly (one-sided z, Bonferroni over seeds). */
        tc_metric(res, "spearman_theta_vs_decrease", best_rho, TC_LT, 0.0);
        tc_metric(res, "z_decrease_small_minus_large_angle", best_z, TC_GE, z1);
        tc_metric_info(res, "decrease_at_smallest_angle", mean_min);
        tc_metric_info(res, "decrease_at_largest_angle", mean_max);
        tc_metric_info(res, "decrease_theory_at_smallest_angle", abs_theory(thetas[jmin]));
        tc_metric_info(res, "decrease_theory_at_largest_angle", abs_theory(thetas[jmax]));
    } else {
        /* Relative reading: stronger shrinkage = smaller ratio rho, so the statement says rho
         * grows with theta: Spearman(theta, rho) > 0 and rho(theta_max) - rho(theta_min) > 0
         * significantly. */
        tc_metric(res, "spearman_theta_vs_ratio", best_rho, TC_GT, 0.0);
        tc_metric(res, "z_ratio_large_minus_small_angle", best_z, TC_GE, z1);
        tc_metric_info(res, "ratio_at_smallest_angle", mean_min);
        tc_metric_info(res, "ratio_at_largest_angle", mean_max);
        tc_metric_info(res, "ratio_theory_at_smallest_angle", rel_theory(thetas[jmin]));
        tc_metric_info(res, "ratio_theory_at_largest_angle", rel_theory(thetas[jmax]));
    }
    tc_metric_info(res, "spearman_of_closed_form", rho_theory);
    tc_metric_info(res, "max_abs_z_measured_vs_closed_form", max_z_th);

    tc_plot *pl = tc_plot_new(
        res, "shrinkage",
        absolute ? "Absolute decrease of the distance by the ReLU"
                 : "Relative distance shrinkage against angle",
        "input angle theta (rad)",
        absolute ? "||Wx - Wy|| - ||relu(Wx) - relu(Wy)||"
                 : "||relu(Wx) - relu(Wy)|| / ||Wx - Wy||",
        0);
    tc_plot_curve(pl, "shrinkage_law", "theta_in", absolute ? "decrease_law" : "ratio_law", NULL,
                  "closed form (arc-cosine kernel)", TC_STYLE_LINES);
    tc_plot_curve(pl, "shrinkage", "theta_in", absolute ? "decrease_measured" : "ratio_measured",
                  absolute ? "decrease_se" : "ratio_se", "Monte Carlo (+-1 SE)",
                  TC_STYLE_ERRORBARS);
    tc_result_conclude(res);
done:
    free(thetas), free(X), free(W), free(Z), free(H), free(tp), free(val), free(se);
    free(work), free(vs);
}

static void run_small_angles(tc_ctx *ctx, tc_result *res)
{
    run_small_angles_impl(ctx, res, false);
}

static void run_small_angles_absolute(tc_ctx *ctx, tc_result *res)
{
    run_small_angles_impl(ctx, res, true);
}

/* ======================================================================================= */
/* D6: sign agreement (1-bit view) and intrinsic dimension                                   */
/* ======================================================================================= */

/* For a Gaussian row w and unit x, y at angle theta, sign(w.x) != sign(w.y) exactly when the
 * random hyperplane w^perp separates x and y, with probability theta/pi (Goemans & Williamson
 * 1995, Lemma 3.2.2; the 1-bit view of [64] Plan & Vershynin). The m P (row, pair) indicators
 * of one batch are independent (orthogonal pairs), so the count is exactly Binomial(m P,
 * theta/pi) and the test is exact (coordinates with an exact 0, a sampler artefact of
 * probability 2^-24, are left out: numerics/randnet.h). With offsets b ~ N(0, beta sigma_w^2) (the control) the
 * probability becomes arccos((cos theta + beta) / (1 + beta)) / pi. */
static void run_hamming_impl(tc_ctx *ctx, tc_result *res, bool offsets)
{
    size_t nt, nw, mmax, ndist;
    double *thetas = read_thetas(ctx, "thetas", &nt);
    size_t *widths = read_widths(ctx, res, &nw, &mmax, &ndist);
    size_t P = (size_t)tc_param_int(ctx, "pairs"), S = (size_t)tc_param_int(ctx, "seeds");
    double beta = offsets ? tc_param_real(ctx, "offset_variance_ratio") : 0.0;
    size_t d = 2 * P;
    double *X = NULL, *W = NULL, *b = NULL, *Z = NULL, *tp = NULL, *frac = NULL;
    size_t *cnt = NULL, *val = NULL;
    if (!thetas || !widths) {
        if (!thetas)
            tc_result_error(res, "out of memory");
        goto done;
    }
    X = malloc(sizeof(double) * 2 * P * d);
    W = malloc(sizeof(double) * mmax * d);
    b = malloc(sizeof(double) * mmax);
    val = malloc(sizeof(size_t) * P);
    Z = malloc(sizeof(double) * 2 * P * mmax);
    tp = malloc(sizeof(double) * P);
    cnt = malloc(sizeof(size_t) * P);
    frac = calloc(nt * nw, sizeof(double));
    if (!X || !W || !b || !Z || !tp || !cnt || !val || !frac) {
        tc_result_error(res, "out of memory");
        goto done;
    }
    double ntests = (double)(nt * nw * S), level = ANGLE_ALPHA / ntests;
    double min_p = 1.0, max_z = 0.0, max_z_off = 0.0;
    num_status st = NUM_OK;
    for (size_t s = 0; s < S && st == NUM_OK; s++) {
        gsl_rng *r = tc_rng_stream(ctx, s);
        for (size_t w = 0; w < nw && st == NUM_OK; w++) {
            size_t m = widths[w];
            double sw = 1.0 / sqrt((double)m);
            for (size_t j = 0; j < nt && st == NUM_OK; j++) {
                for (size_t p = 0; p < P; p++)
                    tp[p] = thetas[j];
                st = num_randnet_pairs_orthogonal(P, tp, X, d);
                if (st == NUM_OK)
                    st = num_randnet_draw(r, m, d, sw, W, sqrt(beta) * sw, offsets ? b : NULL);
                if (st == NUM_OK)
                    st = num_randnet_apply(X, 2 * P, d, W, m, offsets ? b : NULL,
                                           NUM_ACT_LINEAR, 0.1, Z, NULL);
                if (st == NUM_OK)
                    st = num_randnet_sign_disagreements(Z, P, m, cnt, val);
                if (st != NUM_OK)
                    break;
                size_t K = 0, n = 0;
                for (size_t p = 0; p < P; p++) {
                    K += cnt[p];
                    n += val[p];
                }
                double p0 = thetas[j] / M_PI, f = (double)K / (double)n;
                double pv = num_stats_binom_p2(K, n, p0);
                if (pv < min_p)
                    min_p = pv;
                double sd = sqrt(p0 * (1.0 - p0) / (double)n);
                double z = fabs(f - p0) / hyp(sd);
                if (z > max_z)
                    max_z = z;
                if (offsets) {
                    /* The offset b_i is shared by all pairs of row i, so only rows are
                     * independent: the SE comes from the spread of the per-row fractions. */
                    double c = thetas[j] >= M_PI ? -1.0 : cos(thetas[j]);
                    double po = num_acos_clamped((c + beta) / (1.0 + beta)) / M_PI;
                    double s1 = 0.0, s2 = 0.0;
                    for (size_t i = 0; i < m; i++) {
                        double fi = 0.0;
                        for (size_t p = 0; p < P; p++) {
                            double zx = Z[2 * p * m + i], zy = Z[(2 * p + 1) * m + i];
                            fi += (zx > 0.0) != (zy > 0.0);
                        }
                        fi /= (double)P;
                        s1 += fi;
                        s2 += fi * fi;
                    }
                    double mu = s1 / (double)m;
                    double var = (s2 - (double)m * mu * mu) / ((double)m - 1.0);
                    double zo = fabs(mu - po) / hyp(sqrt((var > 0.0 ? var : 0.0) / (double)m));
                    if (zo > max_z_off)
                        max_z_off = zo;
                }
                frac[j * nw + w] += f / (double)S;
            }
        }
        gsl_rng_free(r);
    }
    if (st != NUM_OK) {
        fail_status(res, "random layer", st);
        goto done;
    }
    /* 001 §V-A, [64]: the fraction of differing signs of Wx and Wy estimates theta / pi. */
    tc_metric(res, "min_p_value_binomial", min_p, TC_GE, level);
    tc_metric_info(res, "max_abs_z", max_z);
    if (offsets)
        tc_metric_info(res, "max_abs_z_offset_law", max_z_off);

    tc_series *ser = tc_series_new(res, "hamming", 5,
                                   (const char *[]){"theta_over_pi", "fraction_measured",
                                                    "fraction_se", "fraction_theory", "width"});
    for (size_t w = 0; w < nw; w++)
        for (size_t j = 0; j < nt; j++) {
            double p0 = thetas[j] / M_PI;
            double sd = sqrt(p0 * (1.0 - p0) / (double)(widths[w] * P * S));
            tc_series_row(ser, p0, frac[j * nw + w], sd, p0, (double)widths[w]);
        }
    tc_series *lawser = tc_series_new(res, "hamming_law", 3,
                                      (const char *[]){"theta_over_pi", "identity",
                                                       "offset_law"});
    for (int i = 0; i <= 100; i++) {
        double t = M_PI * i / 100.0, c = i == 100 ? -1.0 : cos(t);
        tc_series_row(lawser, t / M_PI, t / M_PI,
                       num_acos_clamped((c + beta) / (1.0 + beta)) / M_PI);
    }
    tc_plot *pl = tc_plot_new(res, "hamming", "Fraction of differing signs of Wx and Wy",
                              "theta / pi", "fraction of coordinates with different signs", 0);
    tc_plot_curve(pl, "hamming_law", "theta_over_pi", "identity", NULL, "theta / pi",
                  TC_STYLE_LINES);
    if (offsets)
        tc_plot_curve(pl, "hamming_law", "theta_over_pi", "offset_law", NULL,
                      "law with Gaussian offsets", TC_STYLE_DASHED);
    tc_plot_curve(pl, "hamming", "theta_over_pi", "fraction_measured", "fraction_se",
                  "Monte Carlo, all widths (+-1 SE)", TC_STYLE_ERRORBARS);
    tc_result_conclude(res);
done:
    free(thetas), free(widths), free(X), free(W), free(b), free(Z), free(tp), free(cnt);
    free(val), free(frac);
}

static void run_hamming(tc_ctx *ctx, tc_result *res)
{
    run_hamming_impl(ctx, res, false);
}

static void run_hamming_offsets(tc_ctx *ctx, tc_result *res)
{
    run_hamming_impl(ctx, res, true);
}

/* Points on a k-dimensional subspace (Gaussian coefficients in a random Gaussian frame) or on
 * a closed curve, n x D into X, from r. F is scratch of n x max(k, 2J). */
static void make_subspace(gsl_rng *r, size_t n, size_t D, size_t k, double *X, double *F,
                          double *U)
{
    num_rng_gaussian(r, 1.0, U, D * k);
    num_rng_gaussian(r, 1.0, F, n * k);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)D, (int)k, 1.0, F,
                (int)k, U, (int)k, 0.0, X, (int)D);
}

static void make_curve(gsl_rng *r, size_t n, size_t D, double *X, double *F, double *U)
{
    const size_t J = CURVE_HARMONICS;
    num_rng_gaussian(r, 1.0, U, D * 2 * J);
    for (size_t i = 0; i < n; i++) {
        double t = 2.0 * M_PI * gsl_rng_uniform(r);
        for (size_t a = 0; a < J; a++) {
            F[i * 2 * J + 2 * a] = cos((double)(a + 1) * t) / (double)(a + 1);
            F[i * 2 * J + 2 * a + 1] = sin((double)(a + 1) * t) / (double)(a + 1);
        }
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)D, (int)(2 * J), 1.0, F,
                (int)(2 * J), U, (int)(2 * J), 0.0, X, (int)D);
}

static void run_intrinsic_impl(tc_ctx *ctx, tc_result *res, bool noisy)
{
    size_t k = (size_t)tc_param_int(ctx, "subspace_dim"), D = (size_t)tc_param_int(ctx, "input_dim");
    size_t n = (size_t)tc_param_int(ctx, "points"), m = (size_t)tc_param_int(ctx, "width");
    size_t L = (size_t)tc_param_int(ctx, "depth"), S = (size_t)tc_param_int(ctx, "seeds");
    size_t k1 = (size_t)tc_param_int(ctx, "knn_min"), k2 = (size_t)tc_param_int(ctx, "knn_max");
    double noise = noisy ? tc_param_real(ctx, "noise") : 0.0;
    const size_t J = CURVE_HARMONICS;
    double *X = NULL, *A = NULL, *B = NULL, *W = NULL, *F = NULL, *U = NULL, *work = NULL;
    double *id = NULL;
    if (k2 < k1 || k2 >= n || k > D) {
        tc_result_skip(res, "need knn_min <= knn_max < points and subspace_dim <= input_dim");
        return;
    }
    size_t dmax = D > m ? D : m, fk = k > 2 * J ? k : 2 * J;
    size_t lwork = num_intrinsic_dim_work_size(n, dmax, k2);
    X = malloc(sizeof(double) * n * D);
    A = malloc(sizeof(double) * n * m);
    B = malloc(sizeof(double) * n * m);
    W = malloc(sizeof(double) * m * dmax);
    F = malloc(sizeof(double) * n * fk);
    U = malloc(sizeof(double) * D * fk);
    work = malloc(sizeof(double) * lwork);
    id = malloc(sizeof(double) * 2 * S * (L + 1)); /* id[(set S + s)(L+1) + l] */
    if (!X || !A || !B || !W || !F || !U || !work || !id) {
        tc_result_error(res, "out of memory");
        goto done;
    }
    const size_t truth[2] = {k, 1};
    num_status st = NUM_OK;
    for (size_t s = 0; s < S && st == NUM_OK; s++) {
        gsl_rng *r = tc_rng_stream(ctx, s);
        for (size_t set = 0; set < 2 && st == NUM_OK; set++) {
            if (set == 0)
                make_subspace(r, n, D, k, X, F, U);
            else
                make_curve(r, n, D, X, F, U);
            double *row = id + (set * S + s) * (L + 1);
            st = num_intrinsic_dim_mle(X, n, D, k1, k2, work, lwork, &row[0], NULL);
            const double *in = X;
            size_t din = D;
            for (size_t l = 1; l <= L && st == NUM_OK; l++) {
                double *out = (l % 2) ? A : B;
                st = num_randnet_draw(r, m, din, 1.0 / sqrt((double)m), W, 0.0, NULL);
                if (st == NUM_OK)
                    st = num_randnet_apply(in, n, din, W, m, NULL, NUM_ACT_RELU, 0.1, out, out);
                if (st == NUM_OK && noisy) {
                    /* Control: independent noise per point and coordinate, noise x the RMS
                     * coordinate of the layer's features. */
                    double ss = cblas_ddot((int)(n * m), out, 1, out, 1);
                    double sig = noise * sqrt(ss / (double)(n * m));
                    for (size_t i = 0; i < n * m; i++) {
                        double e;
                        num_rng_gaussian(r, sig, &e, 1);
                        out[i] += e;
                    }
                }
                if (st == NUM_OK)
                    st = num_intrinsic_dim_mle(out, n, m, k1, k2, work, lwork, &row[l], NULL);
                in = out;
                din = m;
            }
        }
        gsl_rng_free(r);
    }
    if (st == NUM_EINFEASIBLE) {
        tc_result_skip(res, "duplicate points at some layer: the estimator is undefined");
        goto done;
    }
    if (st != NUM_OK) {
        fail_status(res, "intrinsic dimension", st);
        goto done;
    }
    /* Validation of the estimator on the input, where the dimension is known. */
    double worst_in = 0.0;
    for (size_t set = 0; set < 2; set++)
        for (size_t s = 0; s < S; s++) {
            double e = fabs(id[(set * S + s) * (L + 1)] - (double)truth[set]);
            if (e > worst_in)
                worst_in = e;
        }
    if (worst_in > ID_VALID_TOL) {
        tc_result_skip(res,
                       "the estimator misses the known input dimension by %.3f > %.2f: it "
                       "cannot resolve dimension %zu with %zu points",
                       worst_in, ID_VALID_TOL, k, n);
        goto done;
    }
    double excess[2] = {-INFINITY, -INFINITY}, mean_in[2] = {0, 0}, mean_out[2] = {0, 0};
    tc_series *ser = tc_series_new(res, "intrinsic_dim", 5,
                                   (const char *[]){"layer", "subspace_id", "curve_id",
                                                    "subspace_dim", "curve_dim"});
    for (size_t l = 0; l <= L; l++) {
        double mu[2];
        for (size_t set = 0; set < 2; set++) {
            mu[set] = 0.0;
            for (size_t s = 0; s < S; s++) {
                double v = id[(set * S + s) * (L + 1) + l];
                mu[set] += v / (double)S;
                if (v - (double)truth[set] > excess[set])
                    excess[set] = v - (double)truth[set];
            }
            if (l == 0)
                mean_in[set] = mu[set];
            if (l == L)
                mean_out[set] = mu[set];
        }
        tc_series_row(ser, (double)l, mu[0], mu[1], (double)k, 1.0);
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
    tc_metric_info(res, "ambient_dimension", (double)m);

    tc_plot *pl = tc_plot_new(res, "intrinsic_dim",
                              "Intrinsic dimension through a random ReLU network",
                              "layer l (0 = input)", "Levina-Bickel MLE of the dimension", 0);
    tc_plot_curve(pl, "intrinsic_dim", "layer", "subspace_id", NULL,
                  "k-dimensional subspace: estimate", TC_STYLE_LINESPOINTS);
    tc_plot_curve(pl, "intrinsic_dim", "layer", "subspace_dim", NULL, "k", TC_STYLE_DASHED);
    tc_plot_curve(pl, "intrinsic_dim", "layer", "curve_id", NULL, "closed curve: estimate",
                  TC_STYLE_LINESPOINTS);
    tc_plot_curve(pl, "intrinsic_dim", "layer", "curve_dim", NULL, "1", TC_STYLE_DASHED);
    tc_result_conclude(res);
done:
    free(X), free(A), free(B), free(W), free(F), free(U), free(work), free(id);
}

static void run_intrinsic(tc_ctx *ctx, tc_result *res)
{
    run_intrinsic_impl(ctx, res, false);
}

static void run_intrinsic_noise(tc_ctx *ctx, tc_result *res)
{
    run_intrinsic_impl(ctx, res, true);
}

/* ======================================================================================= */
/* Descriptors                                                                              */
/* ======================================================================================= */

#define THETAS_GRID "0.1,0.3,0.6,1.0,1.5708,2.2,2.8,3.1416"
#define THETAS_GRID_FULL "0.05,0.1,0.2,0.3,0.45,0.6,0.8,1.0,1.25,1.5708,1.9,2.2,2.5,2.8,3.1416"
#define THETAS_HELP "input angles in radians, in (0, pi]; values above pi (up to 3.1416) are pi"
#define WIDTHS_HELP                                                                          \
    "layer widths m (integers >= 64: the rate tolerance assumes the ratio estimator's "      \
    "second-order term is small, see RATE_C2)"

static const tc_param_spec params_linear[] = {
    TC_P_LIST("widths", "64,256,1024", "64,256,1024,4096", 64, 8192, WIDTHS_HELP),
    TC_P_INT("pairs", "128", "256", 8, 512,
              "pairs per width and seed (input dimension 2 x pairs, orthogonal pairs)"),
    TC_P_INT("seeds", "3", "5", 1, 64, "independent repetitions (tc_rng_stream)"),
    TC_P_END};

static const tc_param_spec params_shrink[] = {
    TC_P_LIST("thetas", THETAS_GRID, THETAS_GRID_FULL, 0.01, 3.1416, THETAS_HELP),
    TC_P_LIST("widths", "64,256,1024", "64,256,1024,4096", 64, 8192, WIDTHS_HELP),
    TC_P_INT("pairs", "64", "128", 8, 512,
              "pairs per angle, width and seed (input dimension 2 x pairs, orthogonal pairs)"),
    TC_P_INT("seeds", "3", "5", 1, 64, "independent repetitions (tc_rng_stream)"),
    TC_P_END};

static const tc_param_spec params_depth[] = {
    TC_P_LIST("thetas", "0.5,1.0,1.5708,2.2,3.1416", "0.3,0.5,1.0,1.5708,2.2,2.8,3.1416", 0.01, 3.1416,
              "starting angles in radians (small angles shrink by ~theta^2/(3 pi) per layer: below " "~0.3 the per-layer shrinkage drowns in the O(sqrt(l/m)) network-to-network spread)"),
    TC_P_INT("width", "256", "1024", 64, 4096, "width m of every layer"),
    TC_P_INT("depth", "6", "10", 1, 50, "number of random layers L"),
    TC_P_INT("networks", "32", "32", 4, 256,
              "independent networks (the unit of the t-tests: pairs in one network fluctuate together)"),
    TC_P_INT("pairs", "8", "8", 1, 64, "pairs per starting angle in each network"),
    TC_P_END};

static const tc_param_spec params_small[] = {
    TC_P_LIST("thetas", THETAS_GRID, THETAS_GRID_FULL, 0.01, 3.1416, THETAS_HELP),
    TC_P_INT("width", "1024", "4096", 16, 8192, "layer width m"),
    TC_P_INT("pairs", "64", "128", 8, 512, "pairs per angle and seed"),
    TC_P_INT("seeds", "3", "5", 1, 64, "independent repetitions (tc_rng_stream)"),
    TC_P_END};

static const tc_param_spec params_hamming[] = {
    TC_P_LIST("thetas", THETAS_GRID, THETAS_GRID_FULL, 0.01, 3.1416, THETAS_HELP),
    TC_P_LIST("widths", "64,256,1024", "64,256,1024,4096", 1, 8192,
              "numbers of random hyperplanes m"),
    TC_P_INT("pairs", "64", "128", 1, 512, "pairs per angle, width and seed"),
    TC_P_INT("seeds", "3", "5", 1, 64, "independent repetitions (tc_rng_stream)"),
    TC_P_END};

static const tc_param_spec params_hamming_offsets[] = {
    TC_P_LIST("thetas", THETAS_GRID, THETAS_GRID_FULL, 0.01, 3.1416, THETAS_HELP),
    TC_P_LIST("widths", "64,256,1024", "64,256,1024,4096", 1, 8192,
              "numbers of random hyperplanes m"),
    TC_P_INT("pairs", "64", "128", 1, 512, "pairs per angle, width and seed"),
    TC_P_INT("seeds", "3", "5", 1, 64, "independent repetitions (tc_rng_stream)"),
    TC_P_REAL("offset_variance_ratio", "1", TC_SAME, 0.01, 100,
              "variance of the offsets over that of a weight times |x|^2 (beta)"),
    TC_P_END};

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

#define SRC_VA "001 §V-A (Structure of the data throughout a neural network), citing [56] "     \
               "Giryes, Sapiro & Bronstein 2016"

#define D1_STATEMENT                                                                         \
    "Without a non-linearity, each layer is simply a random projection for which Euclidean "  \
    "distances are approximately preserved; the relative distortion over many pairs shrinks " \
    "like 1/sqrt(width)."

static const tc_claim claim_linear = {
    .id = "angle_linear",
    .family = "angle",
    .title = "A random linear layer preserves distances, distortion ~ width^-1/2",
    .source = SRC_VA "; CLAIMS.md D1",
    .statement = D1_STATEMENT,
    .hypotheses = "f(x) = Wx, W (m x d) with i.i.d. N(0, 1/m) entries; pairs of unit vectors "
                  "at angles spread over (0, pi], in orthogonal planes (independent pairs). "
                  "Exact law: m ||W(x-y)||^2 / ||x-y||^2 ~ chi2_m.",
    .expect = TC_EXPECT_HOLDS,
    .params = params_linear,
    .data = TC_DATA_NONE,
    .run = run_linear};

static const tc_claim claim_linear_relu = {
    .id = "angle_linear_relu_control",
    .family = "angle",
    .title = "Negative control: a random ReLU layer does not preserve distances",
    .source = SRC_VA "; CLAIMS.md D1 with the non-linearity put back",
    .statement = D1_STATEMENT " (applied to a ReLU layer)",
    .hypotheses = "f(x) = relu(Wx) with W ~ N(0, 2/m) entries (He scaling, so that norms are "
                  "preserved in expectation); the mechanism 'no non-linearity' is removed.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "The mean squared-distance ratio is 2 rho^2(theta) = (1 - k1(theta)) / "
                      "(1 - cos theta), between 1 (theta -> 0) and 1/2 (theta = pi), not 1: "
                      "min_p_mean_distance_ratio is 0, and the distortion does not shrink with "
                      "the width (distortion_exponent = -0.05; RMS distortion 0.34 at m = 1024).",
    .params = params_linear,
    .data = TC_DATA_NONE,
    .run = run_linear_relu_control};

#define D2_STATEMENT                                                                         \
    "With ReLU and Gaussian weights the output angle obeys the arc-cosine law cos theta' = "  \
    "(sin theta + (pi - theta) cos theta) / pi, Monte Carlo estimates converging to it at "   \
    "rate 1/sqrt(width); the squared distance obeys ||f(x) - f(y)||^2 ~ 1/2 ||x - y||^2 - "   \
    "||x|| ||y|| psi(theta), psi = (sin theta - theta cos theta) / pi."

static const tc_claim claim_shrinkage = {
    .id = "angle_shrinkage",
    .family = "angle",
    .title = "Arc-cosine law of the output angle and distance law of a random ReLU layer",
    .source = SRC_VA "; CLAIMS.md D2, D3; Cho & Saul 2009 eq. (6)",
    .statement = D2_STATEMENT,
    .hypotheses = "f(x) = relu(Wx), W (m x d) i.i.d. N(0, 1/m): the normalisation under which "
                  "the distance law is exact in expectation (E||f(x)-f(y)||^2 = m sigma^2 "
                  "[(|x|^2+|y|^2)/2 - |x||y| J1(theta)/pi] = the law iff m sigma^2 = 1). Unit "
                  "inputs at the grid angles; P orthogonal pairs per (angle, width, seed); "
                  "z-scores with the exact variance of the pooled estimators.",
    .expect = TC_EXPECT_HOLDS,
    .params = params_shrink,
    .data = TC_DATA_NONE,
    .run = run_shrinkage};

static const tc_claim claim_distance_he = {
    .id = "angle_distance_law_he_init",
    .family = "angle",
    .title = "The distance law read under N(0, 2/width) weights (He scaling)",
    .source = SRC_VA "; CLAIMS.md D3 (second reading of the weight scale)",
    .statement = "||f(x) - f(y)||^2 ~ 1/2 ||x - y||^2 - ||x|| ||y|| psi(theta), psi = (sin "
                 "theta - theta cos theta) / pi, for f(x) = relu(Wx) with W ~ N(0, 2/width).",
    .hypotheses = "W i.i.d. N(0, 2/m), the common initialisation of ReLU networks; the seed "
                  "does not state the scale. Unit inputs, orthogonal pairs.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "Squared distances scale with the weight variance: under N(0, 2/m), "
                      "E||f(x)-f(y)||^2 = ||x-y||^2 - 2||x|| ||y|| psi(theta) = twice the law, "
                      "so the law as written holds only under N(0, 1/m) (angle_shrinkage): "
                      "max_abs_z_dist2 = 91, error 0.998 at theta = pi (measured 2, law 1). "
                      "The cosine law is scale-free and still holds (max_abs_z_cos 2.9, info).",
    .params = params_shrink,
    .data = TC_DATA_NONE,
    .run = run_distance_he};

static const tc_claim claim_shrinkage_linear = {
    .id = "angle_shrinkage_linear_control",
    .family = "angle",
    .title = "Negative control: a linear layer does not follow the arc-cosine law",
    .source = SRC_VA "; CLAIMS.md D2, D3 with the ReLU removed",
    .statement = D2_STATEMENT " (for f(x) = Wx, no non-linearity)",
    .hypotheses = "f(x) = Wx, W ~ N(0, 1/m): the mechanism (ReLU) is removed. A linear layer "
                  "preserves angles (cos theta' = cos theta) and distances.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "The measured output cosine is cos theta (max_abs_z_identity_law, info, "
                      "small), not the arc-cosine law: e.g. at theta = pi/2 the output cosine "
                      "is 0, not 1/pi; at theta = pi it is exactly -1 against 0 (cos error 1); "
                      "the distance z is 136 (E||Wx - Wy||^2 = ||x - y||^2).",
    .params = params_shrink,
    .data = TC_DATA_NONE,
    .run = run_shrinkage_linear};

static const tc_claim claim_shrinkage_erf = {
    .id = "angle_shrinkage_erf_control",
    .family = "angle",
    .title = "Negative control: an erf layer follows Williams' law, not the arc-cosine law",
    .source = SRC_VA "; CLAIMS.md D2 with erf for ReLU; Williams 1997 eq. (11)",
    .statement = "With Gaussian weights the output angle of an erf layer obeys the arc-cosine "
                 "law cos theta' = (sin theta + (pi - theta) cos theta) / pi, Monte Carlo "
                 "estimates converging to it at rate 1/sqrt(width).",
    .hypotheses = "f(x) = erf(Wx), W ~ N(0, 1) entries (unit-variance pre-activations for unit "
                  "inputs); the ReLU of the statement is replaced by another non-linearity.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "erf is odd, so orthogonal inputs stay orthogonal on average: the output "
                      "cosine follows Williams' law asin(2c/3)/asin(2/3) "
                      "(max_abs_z_williams_erf_law, info, small), far from the arc-cosine law "
                      "(1/pi at theta = pi/2; cos error 1 at theta = pi); the error against "
                      "that law does not shrink (cos_rmse_exponent = 0.0005).",
    .params = params_shrink,
    .data = TC_DATA_NONE,
    .run = run_shrinkage_erf};

#define D4_STATEMENT                                                                         \
    "Angles shrink with every layer of a random ReLU network, following the iterated "        \
    "arc-cosine law theta_{l+1} = arccos((sin theta_l + (pi - theta_l) cos theta_l) / pi): "  \
    "'the deeper the network, the stronger the shrinkage achieved'."

static const tc_claim claim_depth = {
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
    .run = run_depth};

static const tc_claim claim_depth_linear = {
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
    .run = run_depth_linear};

#define D5_STATEMENT                                                                         \
    "'each layer of a deep network with random weights distorts this distance "               \
    "proportionally to the angle between the two inputs: the smaller the angle, the stronger " \
    "the shrinkage of the distance' and 'the network tends to decrease the Euclidean "        \
    "distances between points with small angles between them (\"same class\"), more than the " \
    "distances between points with large angles between them (\"different classes\")'."

static const tc_claim claim_small = {
    .id = "angle_shrinkage_small_angles",
    .family = "angle",
    .title = "'The smaller the angle, the stronger the shrinkage' (relative reading)",
    .source = SRC_VA ", paragraphs 2 and 5; CLAIMS.md D5",
    .statement = D5_STATEMENT,
    .hypotheses = "One random ReLU layer, W ~ N(0, 1/m). Relative reading: the shrinkage of "
                  "the distance is rho(theta) = ||relu(Wx) - relu(Wy)|| / ||Wx - Wy||, the "
                  "output distance over the no-nonlinearity baseline with the same W (pooled "
                  "over pairs of unit vectors at angle theta); 'stronger shrinkage' = smaller "
                  "rho, so the statement says rho increases with theta.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason =
        "rho decreases with the angle: closed form rho^2 = (1 - k1(theta)) / (2 (1 - cos "
        "theta)) falls from 1/2 (theta -> 0, rho = 0.707) to 1/4 (theta = pi, rho = 0.5), and "
        "for any norms d(ratio)/dtheta has the sign of 2|x||y| sin theta - theta (|x|^2 + "
        "|y|^2) < 0. Measured (quick): rho = 0.699 at theta = 0.1 (closed form 0.6996) and "
        "0.500 at theta = pi, Spearman(theta, rho) = -1 in every seed, z(rho(pi) - rho(0.1)) = "
        "-83 (full: -241): small angles are shrunk least.",
    .params = params_small,
    .data = TC_DATA_NONE,
    .run = run_small_angles};

static const tc_claim claim_small_abs = {
    .id = "angle_shrinkage_small_angles_absolute",
    .family = "angle",
    .title = "'The smaller the angle, the stronger the shrinkage' (absolute reading)",
    .source = SRC_VA ", paragraphs 2 and 5; CLAIMS.md D5",
    .statement = D5_STATEMENT,
    .hypotheses = "One random ReLU layer, W ~ N(0, 1/m). Absolute reading: the decrease of the "
                  "distance delta(theta) = ||Wx - Wy|| - ||relu(Wx) - relu(Wy)|| (pooled RMS "
                  "over pairs of unit vectors at angle theta, same W); the statement says delta "
                  "is larger for smaller angles.",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason =
        "delta grows with the angle: closed form sqrt(2 (1 - cos theta)) - sqrt(1 - "
        "k1(theta)), 0.030 at theta = 0.1 and 1 at theta = pi. Measured (quick): delta = 0.030 "
        "at theta = 0.1 and 0.999 at theta = pi, Spearman(theta, delta) = +1 in every seed, "
        "z(delta(0.1) - delta(pi)) = -349.",
    .params = params_small,
    .data = TC_DATA_NONE,
    .run = run_small_angles_absolute};

#define D6_HAMMING_STATEMENT                                                                 \
    "1-bit view ([64] in 001): the fraction of coordinates where the signs of Wx and Wy "     \
    "differ estimates theta / pi, theta the angle between x and y."

static const tc_claim claim_hamming = {
    .id = "angle_sign_hamming",
    .family = "angle",
    .title = "Fraction of differing signs of Wx and Wy estimates theta/pi",
    .source = SRC_VA " and [64] Plan & Vershynin 2014; CLAIMS.md D6",
    .statement = D6_HAMMING_STATEMENT,
    .hypotheses = "W (m x d) with i.i.d. N(0, 1/m) entries (homogeneous random hyperplanes); "
                  "unit pairs in orthogonal planes, so the m P indicators are independent and "
                  "the count is exactly Binomial(m P, theta/pi): exact two-sided tests.",
    .expect = TC_EXPECT_HOLDS,
    .params = params_hamming,
    .data = TC_DATA_NONE,
    .run = run_hamming};

static const tc_claim claim_hamming_offsets = {
    .id = "angle_sign_hamming_offsets_control",
    .family = "angle",
    .title = "Negative control: hyperplanes with offsets break the theta/pi law",
    .source = SRC_VA " and [64]; CLAIMS.md D6 with homogeneity removed",
    .statement = D6_HAMMING_STATEMENT " (for sign(Wx + b), b Gaussian offsets)",
    .hypotheses = "Rows of W ~ N(0, 1/m), offsets b ~ N(0, beta/m): the hyperplanes no longer "
                  "pass through the origin (the hypothesis of the theta/pi law).",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "With offsets the probability is arccos((cos theta + beta)/(1 + beta))/pi "
                      "(1/3 at theta = pi/2 for beta = 1, not 1/2); the measured fractions "
                      "follow that law (max_abs_z_offset_law, info) and the binomial p-values "
                      "against theta/pi are 0 (offset-law z 2.9).",
    .params = params_hamming_offsets,
    .data = TC_DATA_NONE,
    .run = run_hamming_offsets};

#define D6_ID_STATEMENT                                                                      \
    "Low-dimensional data at the input remain such throughout the entire network, i.e., "     \
    "deep networks (almost) do not increase the intrinsic dimension of the data."

static const tc_claim claim_intrinsic = {
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
    .run = run_intrinsic};

static const tc_claim claim_intrinsic_noise = {
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
    .run = run_intrinsic_noise};

static const tc_claim *const claims[] = {
    &claim_linear,          &claim_linear_relu,      &claim_shrinkage,
    &claim_distance_he,     &claim_shrinkage_linear, &claim_shrinkage_erf,
    &claim_depth,           &claim_depth_linear,     &claim_small,
    &claim_small_abs,       &claim_hamming,          &claim_hamming_offsets,
    &claim_intrinsic,       &claim_intrinsic_noise,  NULL};

const tc_family tc_family_angle = {
    .name = "angle",
    .title = "D. Random ReLU networks shrink angles (001 §V-A)",
    .doc = "docs/claims/angle.md",
    .claims = claims,
};
