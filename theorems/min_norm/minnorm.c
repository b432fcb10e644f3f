/* theorems/min_norm/minnorm.c — G min_norm and its control min_norm_any_init (003 §4 first
 * bullet: "In the case of square loss the limit for t -> inf is the minimum norm solution *if*
 * gradient descent starts with small weights"; §11.1 after eq. (14): "components of the weights
 * in the null space of the matrix of examples X^T are invariant to the dynamics. Thus w
 * converges to the minimum norm solution *if* the dynamical system starts from zero weights").
 *
 * measure: X (n x d) and y, their thin SVD (rank across a gap), X^+ y from it; GD from 0 and
 *          from a random w0 until the row-space error is provably below the rounding floor;
 * judge:   from 0, w_GD = X^+ y; from w0, the null-space part of w0 is kept and w_GD =
 *          X^+ y + (I - P_row) w0; each to a bound made of the measured a-posteriori row-space
 *          error and the rounding that accumulates in the null space;
 * figure:  the final weights against X^+ y, and the two runs' errors against the iteration. */
#include "theorems/min_norm/min_norm.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cblas.h>
#include "numerics/rng.h"

#include "numerics/linalg.h"
#include "numerics/lsq_gd.h"

typedef struct {
    bool any_init; /* the control: "from any initialisation" */
} mn_config;

static const mn_config cfg_min_norm = {.any_init = false};
static const mn_config cfg_any_init = {.any_init = true};

static const tc_param_spec params[] = {
    TC_P_INT("n", "20", "100", 1, 5000, "samples (synthetic; ignored with --data)"),
    TC_P_INT("d", "60", "400", 1, 20000, "features (synthetic; the theorem needs d > n)"),
    TC_P_REAL("step", "0.5", TC_SAME, 1e-3, 0.999,
              "GD step eta times s_1(X)^2; GD on ||y - Xw||^2 is stable below 1"),
    TC_P_INT("max_iters", "20000", "200000", 1, 10000000,
             "GD steps allowed before the run is inconclusive"),
    TC_P_REAL("init_scale", "1", TC_SAME, 1e-300, 1e6,
              "standard deviation of each entry of the nonzero start w0 (small: 003 §4's "
              "'starts with small weights')"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6,
              "c in the rank tolerance c max(n, d) eps s_1 and the solve error c max(n, d) eps kappa"),
    TC_P_END};

/* Everything measured, for judge and figure. */
typedef struct {
    size_t n, d, rank, iters[2];
    const double *X, *y;
    double *Vt;             /* rank x d: an orthonormal basis of the row space */
    double *wstar, *w[2];   /* X^+ y; GD's final iterate from 0 and from w0 */
    double *w0;
    double s1, sr, kappa, eta;
    double row_bound[2];    /* a-posteriori bound on ||P_row w - X^+ y|| at the end */
    double drift[2];        /* rounding bound on the null-space drift of each run */
    tc_series *traj[2];     /* per run: iteration, distance to X^+ y, null-space drift */
} mn_run;

/* ---- measure ---------------------------------------------------------------------------- */

static void load(tc_ctx *ctx, tc_result *res, mn_run *m)
{
    const tc_dataset *ds = tc_data(ctx);
    if (ds) {
        if (ds->k != 1)
            tc_fail(ctx, "--data: one target column expected, the file has %zu", ds->k);
        m->n = ds->n, m->d = ds->d, m->X = ds->x, m->y = ds->y;
        return;
    }
    (void)res;
    m->n = (size_t)tc_param_int(ctx, "n");
    m->d = (size_t)tc_param_int(ctx, "d");
    double *X = TC_NEW(ctx, double, m->n * m->d), *y = TC_NEW(ctx, double, m->n);
    gsl_rng *r = tc_rng(ctx);
    num_rng_gaussian(r, 1.0, X, m->n * m->d);
    num_rng_gaussian(r, 1.0, y, m->n);
    m->X = X, m->y = y;
}

/* The thin SVD, the rank across a gap, the row-space basis and X^+ y = V S^+ U^T y. Returns
 * false after a skip or error verdict. */
static bool factor(tc_ctx *ctx, tc_result *res, mn_run *m)
{
    size_t n = m->n, d = m->d, k = n < d ? n : d;
    double *U = TC_NEW(ctx, double, n * k), *s = TC_NEW(ctx, double, k);
    double *Vt = TC_NEW(ctx, double, k * d);
    tc_check(ctx, num_linalg_svd(n, d, m->X, U, s, Vt), "the SVD of X");
    size_t ranks[3];
    if (!num_linalg_rank_across_gap(n, d, s, k, tc_param_real(ctx, "tol_factor"), MN_GAP,
                                    ranks)) {
        tc_result_error(res, "inconclusive: no gap at this precision: rank of X is %zu, %zu, %zu "
                        "at tolerance factors c/%g, c, %g c", ranks[0], ranks[1], ranks[2],
                        MN_GAP, MN_GAP);
        return false;
    }
    m->rank = ranks[1];
    tc_metric_info(res, "rank", (double)m->rank);
    tc_metric_info(res, "null_dim", (double)(d - m->rank));
    if (m->rank == 0 || m->rank == d) {
        tc_result_skip(res, "X has %s (rank %zu of d = %zu): no null space to keep",
                       m->rank ? "full column rank" : "rank 0", m->rank, d);
        return false;
    }
    m->s1 = s[0], m->sr = s[m->rank - 1], m->kappa = m->s1 / m->sr;
    m->Vt = Vt;
    m->wstar = TC_NEW(ctx, double, d);
    num_linalg_svd_solve(n, d, k, U, s, Vt, m->rank, m->y, m->wstar);
    return true;
}

/* out = P_null v = v - V_r V_r^T v. */
static void null_part(const mn_run *m, const double *v, double *coef, double *out)
{
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m->rank, (int)m->d, 1.0, m->Vt, (int)m->d, v, 1,
                0.0, coef, 1);
    memcpy(out, v, m->d * sizeof *out);
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)m->rank, (int)m->d, -1.0, m->Vt, (int)m->d, coef,
                1, 1.0, out, 1);
}

/* Rounding bound on the null-space drift after K steps (derivation): one step computes
 * r = y - X w (inner products of length d), g = X^T r (length n) and w += 2 eta g. In the
 * probabilistic model (MN_LAMBDA) the computed update differs from the exact one by at most
 * lambda u (sqrt(d) ||X||_F ||w|| + ||y||) 2 eta ||X||_F  +  lambda u sqrt(n) ||X||_F ||r|| 2 eta
 * + u ||w|| (the addition). The exact update lies in the row space; the error's null-space part
 * is never contracted, so K independent errors add up to sqrt(K) times one. Projecting the end
 * point onto the null space (two products of length d) adds lambda sqrt(d) u ||w||. */
static double drift_bound(const mn_run *m, double xf, double ynorm, size_t K,
                          const num_lsq_gd_stats *st)
{
    const double u = DBL_EPSILON / 2, L = MN_LAMBDA;
    double step = L * u * 2 * m->eta * xf *
                      (sqrt((double)m->d) * xf * st->w_max + ynorm +
                       sqrt((double)m->n) * st->r_max) +
                  u * st->w_max;
    return sqrt((double)(K ? K : 1)) * step + 2 * L * sqrt((double)m->d) * u * st->w_max;
}

static double dist(const double *a, const double *b, size_t d)
{
    double s = 0;
    for (size_t i = 0; i < d; i++)
        s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s);
}

static void release_work(void *w) { num_lsq_gd_work_free(w); }

/* GD from m->w[run] (set to its start) until the row-space error is below the rounding
 * floor: ||P_row w - X^+ y|| <= ||X^T (y - X w)|| / s_r^2 (the gradient is X^T X (w* - w) in
 * the row space, whose smallest eigenvalue there is s_r^2). Returns false after an error. */
static bool descend(tc_ctx *ctx, tc_result *res, mn_run *m, int run)
{
    size_t maxit = (size_t)tc_param_int(ctx, "max_iters"), chunk = maxit / 200 ? maxit / 200 : 1;
    num_lsq_gd_work *work = tc_defer(ctx, release_work, num_lsq_gd_work_alloc(m->n, m->d));
    double xf = num_linalg_norm_fro(m->n, m->d, m->X), yn = cblas_dnrm2((int)m->n, m->y, 1);
    double *start = TC_NEW(ctx, double, m->d), *coef = TC_NEW(ctx, double, m->rank);
    double *nul = TC_NEW(ctx, double, m->d), *nul0 = TC_NEW(ctx, double, m->d);
    memcpy(start, m->w[run], m->d * sizeof *start);
    null_part(m, start, coef, nul0);
    num_lsq_gd_stats st = {0}, all = {0};
    size_t K = 0;
    for (;;) {
        tc_check(ctx, num_lsq_gd_steps(m->X, m->y, m->n, m->d, m->eta, chunk, m->w[run], work,
                                       &st), "gradient descent");
        K += chunk;
        all.w_max = fmax(all.w_max, st.w_max), all.r_max = fmax(all.r_max, st.r_max);
        m->row_bound[run] = st.grad_norm / (m->sr * m->sr);
        m->drift[run] = drift_bound(m, xf, yn, K, &all);
        null_part(m, m->w[run], coef, nul);
        tc_series_row(m->traj[run], (double)K, dist(m->w[run], m->wstar, m->d),
                      dist(nul, nul0, m->d));
        if (m->row_bound[run] <= m->drift[run] || K >= maxit)
            break;
    }
    m->iters[run] = K;
    if (m->row_bound[run] > m->drift[run]) {
        tc_result_error(res, "inconclusive: not converged after %zu GD steps from %s: the "
                        "row-space error may still be %.3g, above the rounding floor %.3g",
                        K, run ? "w0" : "zero", m->row_bound[run], m->drift[run]);
        return false;
    }
    return true;
}

static bool measure(tc_ctx *ctx, tc_result *res, mn_run *m)
{
    load(ctx, res, m);
    if (!factor(ctx, res, m))
        return false;
    m->eta = tc_param_real(ctx, "step") / (m->s1 * m->s1);
    m->w[0] = TC_NEW(ctx, double, m->d);
    m->w[1] = TC_NEW(ctx, double, m->d);
    m->w0 = TC_NEW(ctx, double, m->d);
    gsl_rng *r = tc_stream(ctx, 1);
    double scale = tc_param_real(ctx, "init_scale");
    num_rng_gaussian(r, scale, m->w0, m->d);
    memcpy(m->w[1], m->w0, m->d * sizeof *m->w0);
    const char *cols[] = {"iteration", "dist_to_pinv", "null_drift"};
    m->traj[0] = tc_series_new(res, "trajectory_zero", 3, cols);
    m->traj[1] = tc_series_new(res, "trajectory_w0", 3, cols);
    return descend(ctx, res, m, 0) && descend(ctx, res, m, 1);
}

/* ---- judge ------------------------------------------------------------------------------ */

/* The error of X^+ y itself: computed from a backward-stable SVD, each row-space coordinate
 * carries a relative error of order max(n, d) u kappa (Higham, Accuracy and Stability, 2nd ed.,
 * §20.1 for the minimum-norm solution of a consistent underdetermined system); c as for the
 * rank. Relative to ||X^+ y||. */
static double solve_error(tc_ctx *ctx, const mn_run *m)
{
    double c = tc_param_real(ctx, "tol_factor"), dim = (double)(m->n > m->d ? m->n : m->d);
    return c * dim * (DBL_EPSILON / 2) * m->kappa;
}

static void judge(tc_ctx *ctx, tc_result *res, const mn_run *m)
{
    const mn_config *cfg = tc_config(ctx);
    size_t d = m->d;
    double *target = TC_NEW(ctx, double, d), *coef = TC_NEW(ctx, double, m->rank);
    double *nul0 = TC_NEW(ctx, double, d), *nul1 = TC_NEW(ctx, double, d);
    null_part(m, m->w0, coef, nul0);
    null_part(m, m->w[1], coef, nul1);
    for (size_t i = 0; i < d; i++)
        target[i] = m->wstar[i] + nul0[i];
    double ws = cblas_dnrm2((int)d, m->wstar, 1), n0 = cblas_dnrm2((int)d, nul0, 1);
    double tn = cblas_dnrm2((int)d, target, 1), se = solve_error(ctx, m);
    tc_metric_info(res, "kappa", m->kappa);
    tc_metric_info(res, "iterations_from_zero", (double)m->iters[0]);
    tc_metric_info(res, "iterations_from_w0", (double)m->iters[1]);
    tc_metric_info(res, "null_norm_w0_over_pinv_norm", n0 / ws);
    /* each bound: the measured row-space error bound plus the null-space rounding drift, over
     * the norm it is relative to, plus the pinv solve's own error */
    double b0 = (m->row_bound[0] + m->drift[0]) / ws + se;
    double b1 = (m->row_bound[1] + m->drift[1]) / ws + se;
    if (cfg->any_init) { /* the control: "from any initialisation, w_GD = X^+ y" */
        tc_metric(res, "any_init_relerr", dist(m->w[1], m->wstar, d) / ws, TC_LE, b1);
        tc_metric_info(res, "pinv_relerr", dist(m->w[0], m->wstar, d) / ws);
        return;
    }
    tc_metric(res, "pinv_relerr", dist(m->w[0], m->wstar, d) / ws, TC_LE, b0);
    tc_metric(res, "null_component_relerr", dist(nul1, nul0, d) / n0, TC_LE, m->drift[1] / n0);
    tc_metric(res, "limit_relerr", dist(m->w[1], target, d) / tn, TC_LE,
              (m->row_bound[1] + m->drift[1]) / tn + se * ws / tn);
}

/* ---- figure ----------------------------------------------------------------------------- */

static void figure(tc_result *res, const mn_run *m)
{
    tc_series *w = tc_series_new(res, "weights", 3, (const char *[]){"index", "w_gd", "w_pinv"});
    for (size_t i = 0; i < m->d; i++)
        tc_series_row(w, i, m->w[0][i], m->wstar[i]);
    tc_plot *p = tc_plot_new(res, "weights", "GD from zero against the pseudoinverse solution",
                             "coordinate i", "w_i", 0);
    tc_plot_curve(p, "weights", "index", "w_pinv", NULL, "X^+ y", TC_STYLE_LINES);
    tc_plot_curve(p, "weights", "index", "w_gd", NULL, "GD from w0 = 0", TC_STYLE_POINTS);
    p = tc_plot_new(res, "trajectory", "Distance to X^+ y and drift of the null-space part",
                    "GD step", "Euclidean norm", TC_PLOT_LOGY);
    tc_plot_curve(p, "trajectory_zero", "iteration", "dist_to_pinv", NULL,
                  "||w - X^+ y||, from 0", TC_STYLE_LINES);
    tc_plot_curve(p, "trajectory_w0", "iteration", "dist_to_pinv", NULL,
                  "||w - X^+ y||, from w0 (tends to ||P_null w0||)", TC_STYLE_LINES);
    tc_plot_curve(p, "trajectory_w0", "iteration", "null_drift", NULL,
                  "||P_null (w - w0)||, from w0 (rounding only)", TC_STYLE_LINES);
}

static void run(tc_ctx *ctx, tc_result *res)
{
    mn_run m = {0};
    if (!measure(ctx, res, &m))
        return;
    judge(ctx, res, &m);
    figure(res, &m);
    tc_result_conclude(res);
}

/* Declared region: a null space needs d > rank X; with d > n it exists for any X. */
static int hypothesis(const tc_hyp_args *a, char *why, size_t whylen)
{
    long n = a->data ? (long)a->data->n : tc_hyp_int(a, "n");
    long d = a->data ? (long)a->data->d : tc_hyp_int(a, "d");
    if (d > n)
        return 1;
    snprintf(why, whylen, "d = %ld <= n = %ld: X has a null space only if it is rank-deficient",
             d, n);
    return 0;
}

#define MN_SOURCE "003 §4 first bullet; §11.1 eqs. (13)-(14) and the text after (14)"
#define MN_HYP                                                                                 \
    "square loss of a linear model, d > n (a null space: checked as rank X < d across a gap); " \
    "GD step below 1/s_1(X)^2; run until the row-space error is below the rounding floor"

const tc_claim mn_claim_min_norm = {
    .id = "min_norm",
    .family = "min_norm",
    .title = "Square-loss GD keeps the null-space part of its start (min-norm from zero)",
    .source = MN_SOURCE,
    .statement = "For L(w) = sum_n (y_n - w^T x_n)^2 with d > n, gradient descent changes only "
                 "the component of w in the span of the examples: from w0 = 0 it converges to "
                 "the minimum-norm solution X^+ y, from w0 to X^+ y + (I - P_row) w0.",
    .hypotheses = MN_HYP,
    .expect = TC_EXPECT_HOLDS,
    .params = params,
    .data = TC_DATA_TARGETS,
    .run = run,
    .key_metrics = "pinv_relerr,null_component_relerr",
    .config = &cfg_min_norm,
    .hypothesis = hypothesis,
};

const tc_claim mn_claim_any_init = {
    .id = "min_norm_any_init",
    .family = "min_norm",
    .title = "Negative control: square-loss GD reaches the min-norm solution from any start",
    .source = MN_SOURCE,
    .statement = "(Transplanted from the exponential loss, where 003 §4 second bullet says the "
                 "limit is independent of the initial conditions.) GD on the square loss with "
                 "d > n reaches X^+ y from any initialisation w0.",
    .hypotheses = MN_HYP,
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "the null-space part of w0 is invariant under GD (min_norm's "
                      "null_component_relerr is at rounding level), so w_GD - X^+ y = P_null w0 "
                      "and any_init_relerr equals ||P_null w0|| / ||X^+ y|| (see "
                      "null_norm_w0_over_pinv_norm), of order 1, far above its rounding bound",
    .params = params,
    .data = TC_DATA_TARGETS,
    .run = run,
    .key_metrics = "any_init_relerr",
    .config = &cfg_any_init,
    .hypothesis = hypothesis,
};
