/* theorems/linear_net_landscape/landscape.c — L linear_net_landscape (001 §III-B: "for
 * networks with a single hidden layer and linear activations, the squared loss has a unique
 * global minimum and all other critical points are saddle points", citing Baldi & Hornik 1989
 * [41], Fact 4 and Theorem 1 there: with Sigma = Syx Sxx^-1 Sxy of distinct eigenvalues, every
 * critical point is given by a set I of eigenvectors, the global minimum by the top p, every
 * other one is a saddle).
 *
 * measure: synthetic data Y = X A^T + noise with a chosen spectrum; Sigma's eigendecomposition;
 *          every critical point of every index set |I| <= p in closed form (with a random
 *          gauge C); at each the gradient, the exact Hessian and its inertia across a gap;
 *          GD from several random initialisations until its excess is resolved;
 * judge:   gradient zero at every closed-form point; negatives = 0 only at the global point
 *          (spurious_minima = 0); every GD run ends at the global value;
 * figure:  the critical points (value against negative-eigenvalue count), GD's excess. */
#include "theorems/linear_net_landscape/linnet_landscape.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "numerics/linalg.h"
#include "numerics/linnet.h"
#include "numerics/rng.h"

static const tc_param_spec params[] = {
    TC_P_INT("samples", "60", "200", 2, 100000, "samples"),
    TC_P_INT("n", "6", "10", 1, 64, "input dimension"),
    TC_P_INT("p", "2", "3", 1, 16, "hidden width (p <= min(n, m))"),
    TC_P_LIST("signal", "2,1.5,1,0.6,0.3", "2.5,2,1.6,1.2,0.9,0.6,0.4,0.2", 0, 1e3,
              "singular values of the true map A (m = their number, m <= n and m <= 12): "
              "Sigma's eigenvalues are about their squares"),
    TC_P_REAL("noise", "0.1", TC_SAME, 0, 1e3, "standard deviation of the output noise"),
    TC_P_INT("inits", "6", "32", 1, 10000, "GD runs from random initialisations"),
    TC_P_REAL("init_scale", "0.5", TC_SAME, 1e-6, 1e3, "std of the initial weights"),
    TC_P_REAL("step", "0.5", TC_SAME, 1e-4, 1.0,
              "GD step times 4 (lam_1 + lam_max(Sxx)) (a bound on the smoothness near the "
              "minimisers; a run that diverges is an error)"),
    TC_P_INT("max_iters", "20000", "100000", 1, 100000000,
             "GD steps allowed per run before the run is inconclusive"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6,
              "c in the zero tolerances c dim eps (kappa(Sxx) + lam_1/gap) scale"),
    TC_P_END};

typedef struct {
    size_t N, n, m, p, P, ncrit;
    num_linnet_problem pb;
    num_linnet_work *w;
    double *A, *lam, *U;
    double kappa, sxx_max, cond; /* kappa(Sxx), lam_max(Sxx), kappa + lam_1/min eigengap */
    double gap_min;              /* min_j lam_j - lam_j+1 */
    double Estar, Delta, mu;     /* global value, lam_p - lam_p+1, smallest positive H eig */
    double grad_ratio_max;       /* max over critical points of ||grad|| / its tolerance */
    size_t spurious, global_neg, global_zero, saddle_min_neg;
    double gd_excess_max;        /* max over GD runs of (E - E*) / Delta */
    size_t gd_iters_max;
    tc_series *crit, *traj;
} ln_run;

static void release_work(void *w) { num_linnet_work_free(w); }

static void make_data(tc_ctx *ctx, ln_run *r)
{
    size_t ns;
    const double *sig = tc_param_list(ctx, "signal", &ns);
    ln_make_data(ctx, r->N, r->n, sig, r->m, tc_param_real(ctx, "noise"), tc_rng(ctx), &r->pb);
}

/* Sigma's spectrum; the theorem's hypothesis (distinct eigenvalues) decided against the
 * eigenvalue error: dsyevd is backward stable, |d lam| <= c m eps ||Sigma|| (Golub & Van Loan
 * §8.1 Weyl), and Sigma itself carries the Cholesky solve's c n eps kappa(Sxx) ||Sigma||.
 * Returns false after a skip. */
static bool spectrum(tc_ctx *ctx, tc_result *res, ln_run *r)
{
    size_t m = r->m, n = r->n;
    r->A = TC_NEW(ctx, double, m * n), r->lam = TC_NEW(ctx, double, m);
    r->U = TC_NEW(ctx, double, m * m);
    double *ev = TC_NEW(ctx, double, n);
    tc_check(ctx, num_linalg_eigh(n, r->pb.Sxx, ev, NULL), "the spectrum of Sxx");
    if (!(ev[0] > 0)) {
        tc_result_skip(res, "Sxx is singular (N = %zu, n = %zu): Baldi & Hornik assume it "
                       "invertible", r->N, n);
        return false;
    }
    r->kappa = ev[n - 1] / ev[0], r->sxx_max = ev[n - 1];
    tc_check(ctx, num_linnet_spectrum(&r->pb, r->A, r->lam, r->U), "the spectrum of Sigma");
    r->gap_min = INFINITY;
    for (size_t j = 0; j + 1 < m; j++)
        r->gap_min = fmin(r->gap_min, r->lam[j] - r->lam[j + 1]);
    double c = tc_param_real(ctx, "tol_factor");
    double err = c * (double)(m + n) * DBL_EPSILON * r->kappa * r->lam[0];
    tc_metric_info(res, "min_eigengap", r->gap_min);
    tc_metric_info(res, "kappa_Sxx", r->kappa);
    if (m > 1 && !(r->gap_min > LN_GAP * err)) {
        tc_result_skip(res, "the eigenvalues of Sigma are not resolved as distinct: smallest gap "
                       "%.3g <= %g x the eigenvalue error %.3g", r->gap_min, LN_GAP, err);
        return false;
    }
    r->cond = r->kappa + r->lam[0] / (m > 1 ? r->gap_min : r->lam[0]);
    r->Delta = r->p < m ? r->lam[r->p - 1] - r->lam[r->p] : r->lam[m - 1];
    r->Estar = r->pb.tyy;
    for (size_t j = 0; j < r->p; j++)
        r->Estar -= r->lam[j];
    return true;
}

/* A random gauge C (p x p): lower triangular with diagonal exp(0.3 g) and off-diagonal 0.3 g:
 * invertible by construction, condition number of order a few. */
static void gauge(gsl_rng *g, size_t p, double *C)
{
    num_rng_gaussian(g, 0.3, C, p * p);
    for (size_t i = 0; i < p; i++)
        for (size_t j = i; j < p; j++)
            C[i * p + j] = i == j ? exp(C[i * p + j]) : 0.0;
}

static double fro(const double *a, size_t n) { return cblas_dnrm2((int)n, a, 1); }

/* The inertia of H across a gap: tol = c P eps cond |H|_max, where cond covers the critical
 * point's own construction error (Sxx^-1 solve: kappa; eigenvectors: lam_1/gap, Davis-Kahan)
 * that the Hessian inherits linearly. The counts must agree at tol/LN_GAP and tol*LN_GAP. */
static bool inertia(tc_ctx *ctx, tc_result *res, ln_run *r, const double *H, size_t cnt[3],
                    double *minpos, double *mineig)
{
    size_t P = r->P, lo[3], hi[3];
    double *ev = TC_NEW(ctx, double, P);
    tc_check(ctx, num_linalg_eigh(P, H, ev, NULL), "the Hessian's spectrum");
    double hmax = fmax(fabs(ev[0]), fabs(ev[P - 1]));
    double tol = tc_param_real(ctx, "tol_factor") * (double)P * DBL_EPSILON * r->cond * hmax;
    num_linnet_inertia(P, ev, tol, cnt);
    num_linnet_inertia(P, ev, tol / LN_GAP, lo);
    num_linnet_inertia(P, ev, tol * LN_GAP, hi);
    if (memcmp(lo, cnt, sizeof lo) || memcmp(hi, cnt, sizeof hi)) {
        tc_result_error(res, "inconclusive: no spectral gap: negative/zero/positive counts "
                        "%zu/%zu/%zu at tol %.3g but %zu/%zu/%zu and %zu/%zu/%zu at x1/%g, x%g",
                        cnt[0], cnt[1], cnt[2], tol, lo[0], lo[1], lo[2], hi[0], hi[1], hi[2],
                        LN_GAP, LN_GAP);
        return false;
    }
    *mineig = ev[0];
    *minpos = INFINITY;
    for (size_t i = 0; i < P; i++)
        if (ev[i] > tol)
            *minpos = fmin(*minpos, ev[i]);
    return true;
}

/* One closed-form critical point: gradient against its rounding tolerance, the inertia, the
 * bookkeeping. The gradient 2 R W1^T, 2 W2^T R is a difference of terms of size
 * 2 (||M Sxx|| + ||Syx||) ||W||, each computed from W with relative error c dim eps cond. */
static bool critical(tc_ctx *ctx, tc_result *res, ln_run *r, unsigned mask, gsl_rng *g)
{
    size_t n = r->n, m = r->m, p = r->p, k = (size_t)__builtin_popcount(mask), cnt[3];
    double *W1 = TC_NEW(ctx, double, p * n), *W2 = TC_NEW(ctx, double, m * p);
    double *G = TC_NEW(ctx, double, r->P), *H = TC_NEW(ctx, double, r->P * r->P), *C = NULL;
    if (mask != (1u << p) - 1u) /* the global point keeps C = I: mu below is read there */
        gauge(g, p, C = TC_NEW(ctx, double, p * p));
    tc_check(ctx, num_linnet_critical_point(&r->pb, r->A, r->U, mask, C, r->w, W1, W2),
             "a closed-form critical point");
    double E, lamI = 0, minpos, mineig;
    tc_check(ctx, num_linnet_eval(&r->pb, W1, W2, r->w, &E, G, G + p * n), "the loss");
    double wn = fro(W1, p * n) + fro(W2, m * p);
    double scale = 2 * (fro(r->w->R, m * n) + 2 * fro(r->pb.Syx, m * n)) * wn;
    double gtol = tc_param_real(ctx, "tol_factor") * (double)(n + m) * DBL_EPSILON * r->cond *
                  fmax(scale, r->lam[0]);
    r->grad_ratio_max = fmax(r->grad_ratio_max, fro(G, r->P) / gtol);
    tc_check(ctx, num_linnet_hessian(&r->pb, W1, W2, r->w, H), "the Hessian");
    if (!inertia(ctx, res, r, H, cnt, &minpos, &mineig))
        return false;
    for (size_t j = 0; j < m; j++)
        lamI += (mask >> j & 1u) ? r->lam[j] : 0.0;
    bool global = mask == (1u << p) - 1u;
    if (global)
        r->global_neg = cnt[0], r->global_zero = cnt[1], r->mu = minpos;
    else if (cnt[0] == 0)
        r->spurious++;
    else
        r->saddle_min_neg = r->saddle_min_neg < cnt[0] ? r->saddle_min_neg : cnt[0];
    tc_series_row(r->crit, (double)mask, (double)k, E - r->Estar, r->pb.tyy - lamI - r->Estar,
                  (double)cnt[0], (double)cnt[1], mineig);
    r->ncrit++;
    return true;
}

/* Every index set with at most p members (Baldi & Hornik's enumeration). */
static bool enumerate(tc_ctx *ctx, tc_result *res, ln_run *r)
{
    gsl_rng *g = tc_stream(ctx, 0);
    r->saddle_min_neg = (size_t)-1;
    r->crit = tc_series_new(res, "critical_points", 7,
                            (const char *[]){"mask", "k", "excess", "excess_closed_form",
                                             "negative", "zero", "min_eig"});
    for (unsigned mask = 0; mask < (1u << r->m); mask++)
        if ((size_t)__builtin_popcount(mask) <= r->p && !critical(ctx, res, r, mask, g))
            return false;
    return true;
}

/* GD from random starts. Stop when ||grad|| <= gtol = sqrt(2 mu Delta / LN_RESOLVE^2): near
 * the global minimum the loss satisfies E - E* <= ||grad||^2 / (2 mu) (Polyak-Lojasiewicz
 * with mu the smallest positive Hessian eigenvalue there; the zero ones are the GL(p) gauge
 * orbit along which E is constant), so a stopped run's excess is known to Delta / LN_RESOLVE^2,
 * far below the separation Delta = lam_p - lam_p+1 from the nearest other critical value. */
static bool descend(tc_ctx *ctx, tc_result *res, ln_run *r)
{
    size_t n = r->n, m = r->m, p = r->p, runs = (size_t)tc_param_int(ctx, "inits");
    size_t maxit = (size_t)tc_param_int(ctx, "max_iters");
    double eta = tc_param_real(ctx, "step") / (4 * (r->lam[0] + r->sxx_max));
    double gtol = sqrt(2 * r->mu * r->Delta) / LN_RESOLVE, sc = tc_param_real(ctx, "init_scale");
    double *W1 = TC_NEW(ctx, double, p * n), *W2 = TC_NEW(ctx, double, m * p), E = 0, gn = 0;
    r->traj = tc_series_new(res, "gd", 3, (const char *[]){"run", "iteration", "excess"});
    for (size_t k = 0; k < runs; k++) {
        gsl_rng *g = tc_stream(ctx, 1 + k);
        num_rng_gaussian(g, sc, W1, p * n);
        num_rng_gaussian(g, sc, W2, m * p);
        size_t it = 0, chunk = 1; /* chunks 1, 2, 4, ..., 256: a log-spaced trajectory */
        for (gn = INFINITY; gn > gtol && it < maxit; it += chunk, chunk = chunk < 256 ? 2 * chunk : chunk) {
            tc_check(ctx, num_linnet_gd(&r->pb, 0.0, eta, chunk, W1, W2, r->w, &E, &gn), "GD");
            /* E - E* may round to <= 0 at the end: shown at the rounding level of E* */
            tc_series_row(r->traj, (double)k, (double)(it + chunk),
                          fmax(E - r->Estar, DBL_EPSILON * r->Estar));
        }
        if (gn > gtol) {
            tc_result_error(res, "inconclusive: not converged after %zu GD steps (run %zu): "
                            "||grad|| = %.3g > %.3g, the bound that resolves the value",
                            it, k, gn, gtol);
            return false;
        }
        r->gd_iters_max = it > r->gd_iters_max ? it : r->gd_iters_max;
        r->gd_excess_max = fmax(r->gd_excess_max, (E - r->Estar) / r->Delta);
    }
    tc_series *lv = tc_series_new(res, "levels", 2, (const char *[]){"iteration", "delta"});
    tc_series_row(lv, 1.0, r->Delta);
    tc_series_row(lv, (double)r->gd_iters_max, r->Delta);
    return true;
}

static bool measure(tc_ctx *ctx, tc_result *res, ln_run *r)
{
    size_t ns;
    (void)tc_param_list(ctx, "signal", &ns);
    r->N = (size_t)tc_param_int(ctx, "samples"), r->n = (size_t)tc_param_int(ctx, "n");
    r->p = (size_t)tc_param_int(ctx, "p"), r->m = ns;
    if (r->m > 12 || r->m > r->n || r->p > r->m || r->N < r->n) {
        tc_result_skip(res, "sizes outside the setting: need p <= m <= n <= N and m <= 12 (p = "
                       "%zu, m = %zu, n = %zu, N = %zu)", r->p, r->m, r->n, r->N);
        return false;
    }
    r->pb.n = r->n, r->pb.m = r->m, r->pb.p = r->p;
    r->P = num_linnet_nparams(r->n, r->m, r->p);
    r->w = tc_defer(ctx, release_work, num_linnet_work_alloc(r->n, r->m, r->p));
    make_data(ctx, r);
    return spectrum(ctx, res, r) && enumerate(ctx, res, r) && descend(ctx, res, r);
}

/* ---- judge and figure ------------------------------------------------------------------- */

static void judge(tc_result *res, const ln_run *r)
{
    tc_metric_info(res, "critical_points", (double)r->ncrit);
    tc_metric(res, "grad_ratio_max", r->grad_ratio_max, TC_LE, 1.0);
    tc_metric(res, "spurious_minima", (double)r->spurious, TC_EQ, 0.0);
    tc_metric(res, "global_negative_eigs", (double)r->global_neg, TC_EQ, 0.0);
    /* the GL(p) orbit W2 C, C^-1 W1 through the minimum: p^2 flat directions, no more */
    tc_metric_info(res, "global_zero_eigs", (double)r->global_zero);
    tc_metric(res, "saddle_min_negative_eigs", (double)r->saddle_min_neg, TC_GE, 1.0);
    tc_metric(res, "gd_excess_over_gap_max", r->gd_excess_max, TC_LE, 1.0 / LN_RESOLVE);
    tc_metric_info(res, "gd_iters_max", (double)r->gd_iters_max);
    tc_metric_info(res, "eigengap_p", r->Delta);
}

static void figure(tc_result *res)
{
    tc_plot *q = tc_plot_new(res, "critical_points",
                             "Closed-form critical points: index against value",
                             "E - E* at the critical point", "negative Hessian eigenvalues", 0);
    tc_plot_curve(q, "critical_points", "excess", "negative", NULL,
                  "subsets I of eigenvectors, |I| <= p", TC_STYLE_POINTS);
    q = tc_plot_new(res, "gd", "GD from random starts reaches the global value",
                    "GD step", "E - E*", TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(q, "gd", "iteration", "excess", NULL, "all runs", TC_STYLE_POINTS);
    tc_plot_curve(q, "levels", "iteration", "delta", NULL,
                  "nearest saddle value lam_p - lam_p+1", TC_STYLE_DASHED);
}

static void run(tc_ctx *ctx, tc_result *res)
{
    ln_run r = {0};
    if (!measure(ctx, res, &r))
        return;
    judge(res, &r);
    figure(res);
    tc_result_conclude(res);
}

const tc_claim ln_claim_landscape = {
    .id = "linear_net_landscape",
    .family = "linear_net_landscape",
    .title = "Linear one-hidden-layer networks: every local minimum is global, the rest saddles",
    .source = "001 §III-B, citing Baldi & Hornik 1989 [41] (Fact 4, Theorem 1)",
    .statement = "For y = W2 W1 x with square loss and Sigma = Syx Sxx^-1 Sxy of distinct "
                 "eigenvalues, the critical points are the subsets of Sigma's eigenvectors; the "
                 "global minimum (top p) is the only local minimum, every other critical point "
                 "is a saddle; GD from random initialisations reaches the global value.",
    .hypotheses = "one hidden layer of width p <= m <= n, linear activations, square loss; Sxx "
                  "invertible; Sigma's eigenvalues distinct (decided against their rounding "
                  "error, else skip)",
    .expect = TC_EXPECT_HOLDS,
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "spurious_minima,grad_ratio_max,gd_excess_over_gap_max",
};
