/* theorems/hessian.c — claim family 'hessian': degeneracy of the Hessian of deep networks at
 * zero-loss points (CLAIMS.md section C; document 003, Poggio et al., CBMM Memo 90).
 *
 *   hessian_degeneracy              C1  003 §12.1 Theorem 4 (K. Takeuchi), eq. (28)
 *   hessian_degeneracy_underparam   C1 negative control (Theorem 4's condition violated)
 *   hessian_symmetry_zeros          the zero eigenvalues that remain there = the dimension of
 *                                   the continuous symmetry (ReLU: per-unit rescaling) plus
 *                                   the nullity the activation pattern implies
 *   hessian_weight_decay            C2  003 eq. (29), reading A: at a zero-loss point of the
 *                                   unregularised loss
 *   hessian_weight_decay_minimiser  C2  reading B: at a minimiser of the regularised loss
 *   hessian_exp_rank                C3  003 §12.3.2 eqs. (44)–(46)
 *
 * Conventions. Square loss L = 1/2 ||Y_hat - Y||_F^2 as in Theorem 4 (eq. (26) omits the 1/2:
 * every Hessian there is twice ours; counts and ranks are unaffected). Networks have no
 * biases, as in Theorem 4 (h_1 = W_1 X). Weight decay is lambda_k ||W_k||_F^2, whose Hessian
 * is 2 lambda_k I: the smallest eigenvalue bound reads 2 lambda (eq. (29) writes lambda_k I,
 * the convention of a penalty lambda_k/2 ||W_k||^2; the check is the same).
 *
 * Numerics: exact Hessians from R-operator Hessian-vector products (numerics/hessian.h,
 * O(n P^2)), dense eigenvalues by dsyevd (O(P^3)), zero counts with the tolerance
 * c P eps lambda_max and the spectral gap around it (numerics/spectrum.h), zero-loss points
 * to machine precision (numerics/zeroloss.h).
 */
#include "theorems/registry.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/hessian.h"
#include "numerics/linalg.h"
#include "numerics/mlp.h"
#include "numerics/rng.h"
#include "numerics/spectrum.h"
#include "numerics/zeroloss.h"

/* ---- named constants ------------------------------------------------------------------- */

/* Directions per R-operator block: 32 columns keep every dgemm of the assembly at a
 * BLAS-3-efficient shape for the widths used here without large R-buffers. */
#define HESS_BLOCK 32

/* A zero count is "visibly independent of the tolerance" if the spectral gap around the
 * tolerance spans at least this many decades (a factor 100) ... */
#define HESS_GAP_MIN_DECADES 2.0
/* ... and the tolerance sits at least one decade inside it on both sides, so that tolerances
 * 10x smaller or larger give the same count. */
#define HESS_STABLE_MIN_DECADES 1.0

/* Lower-side floor of the tolerance-free largest-gap count: moduli below sqrt(eps) lambda_max
 * are the only candidates for "zero" (anything larger is resolved to half the digits). */
#define HESS_LARGEST_GAP_FLOOR 1.4901161193847656e-08

/* Damped-Newton stationarity for reading B of C2: ||grad|| <= HESS_NEWTON_GTOL_REL * 2 lambda.
 * A gradient error dg moves theta by H^{-1} dg; along the soft directions (curvature ~ 2 lambda)
 * that is a move along the zero-loss manifold, which changes the soft eigenvalues by
 * O(lambda |dtheta|) = O(dg); along the stiff directions it changes the residual by
 * O(dg / sigma_min(J)) and the curvature term sum_n r_n grad^2 f_n by as much. So the smallest
 * eigenvalue is off by O(dg) = 1e-4 * 2 lambda: four decades below the quantity compared with
 * 2 lambda. The rounding floor of the gradient, |J| eps S sqrt(n d') ~ 1e-14, is below
 * 1e-4 * 2e-8 = 2e-12 for the smallest lambda used (1e-8). */
#define HESS_NEWTON_GTOL_REL 1e-4
#define HESS_NEWTON_MAX_ITER 500

#define HESS_MAX_ARCH 8
#define HESS_MAX_DEPTH 16

/* ---- small helpers --------------------------------------------------------------------- */

static const char *metric_name(char *buf, size_t len, const char *base, const char *suffix)
{
    snprintf(buf, len, "%s%s", base, suffix);
    return buf;
}

typedef struct {
    size_t nh;                  /* hidden layers H */
    size_t hidden[HESS_MAX_DEPTH]; /* N_1 .. N_H */
} hess_arch;

/* Hidden widths of several architectures from a list in which 0 separates architectures
 * ("40,0,16,16" = [40] and [16,16]). Returns the number of architectures (empty groups are
 * ignored; at most HESS_MAX_ARCH, each at most HESS_MAX_DEPTH deep). */
static size_t parse_archs(const double *list, size_t len, hess_arch *out)
{
    size_t na = 0;
    hess_arch cur = {0, {0}};
    for (size_t i = 0; i <= len; i++) {
        if (i == len || list[i] < 0.5) {
            if (cur.nh > 0 && na < HESS_MAX_ARCH)
                out[na++] = cur;
            cur.nh = 0;
            continue;
        }
        if (cur.nh < HESS_MAX_DEPTH)
            cur.hidden[cur.nh++] = (size_t)llround(list[i]);
    }
    return na;
}

/* widths = [d, N_1..N_H, d']; returns K = H + 1. */
static size_t arch_widths(const hess_arch *a, size_t d, size_t dout, size_t *widths)
{
    widths[0] = d;
    for (size_t k = 0; k < a->nh; k++)
        widths[k + 1] = a->hidden[k];
    widths[a->nh + 1] = dout;
    return a->nh + 1;
}

/* Theorem 4's overparametrisation condition: the first k in 1..H+1 with
 * N_k N_{k-1} > n min(N_k, ..., N_{H+1}) (N_0 = d, N_{H+1} = d'), or 0 if there is none. */
static size_t theorem4_condition(const size_t *widths, size_t K, size_t n, size_t *bound)
{
    for (size_t k = 1; k <= K; k++) {
        size_t mn = widths[k];
        for (size_t j = k; j <= K; j++)
            if (widths[j] < mn)
                mn = widths[j];
        if (widths[k] * widths[k - 1] > n * mn) {
            if (bound)
                *bound = n * mn;
            return k;
        }
    }
    return 0;
}

/* Rounding floor of a zero-loss residual (numerics/zeroloss.h): the last layer's inner
 * products of length N_{K-1} have error <= gamma_{N_{K-1}+1} S (Higham eq. (3.5)); errors of
 * the K-1 hidden layers reach the output through the same absolute-value bound, so
 *   res_tol = K (N_{K-1} + 1) eps max(S, 1). */
static double zero_loss_tol(const num_mlp *net, const double *theta, const double *X,
                            const double *Y, size_t n, num_mlp_work *w, double *res_max)
{
    if (num_zeroloss_residual(net, theta, X, Y, n, w, NULL, res_max, NULL) != NUM_OK)
        return NAN;
    double S = num_zeroloss_output_scale(net, theta, w, n);
    size_t K = net->nlayers;
    return (double)K * (double)(net->widths[K - 1] + 1) * DBL_EPSILON * (S > 1.0 ? S : 1.0);
}

/* Two rows of X equal but targets different: no function interpolates the data. */
static bool has_conflicting_duplicates(const double *X, const double *Y, size_t n, size_t d,
                                       size_t dout)
{
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++)
            if (memcmp(X + a * d, X + b * d, d * sizeof *X) == 0 &&
                memcmp(Y + a * dout, Y + b * dout, dout * sizeof *Y) != 0)
                return true;
    return false;
}

/* Everything measured at a zero-loss point of the square loss. */
typedef struct {
    size_t P, m;          /* parameters, n d' */
    num_spectrum_zeros z; /* zero count of the Hessian spectrum */
    size_t rank_J;        /* SVD rank of J (tolerance c max(m, P) eps sigma_max) */
    size_t lg_zeros;      /* tolerance-free largest-gap count */
    double lg_decades;
    double gn_rel;        /* max |H - J^T J| / max |J^T J| */
    double asym;          /* assembly asymmetry before symmetrisation */
    double mem_mib;
    double *evals;        /* P eigenvalues, ascending (owned) */
    size_t block_rank;    /* rank of the W_k columns of J for the condition layer k */
} hess_point;

static void point_free(hess_point *p)
{
    free(p->evals);
    p->evals = NULL;
}

/* Hessian of the square loss at theta, its spectrum, the Jacobian and its rank, the
 * Gauss–Newton comparison (003 eq. (28)). cond_k: a layer whose W_k block rank is measured
 * (0 = none). */
static num_status analyse_square_point(const num_mlp *net, const double *theta,
                                       const double *X, const double *Y, size_t n, double c,
                                       size_t cond_k, hess_point *pt)
{
    size_t P = net->nparams, m = n * net->widths[net->nlayers];
    memset(pt, 0, sizeof *pt);
    pt->P = P;
    pt->m = m;
    num_status st = NUM_ENOMEM;
    num_hess_work *hw = num_hessian_work_alloc(net, n, HESS_BLOCK);
    num_mlp_work *mw = num_mlp_work_alloc(net, n);
    double *H = malloc(P * P * sizeof *H), *G = malloc(P * P * sizeof *G);
    double *J = malloc(m * P * sizeof *J), *Jb = NULL;
    pt->evals = malloc(P * sizeof *pt->evals);
    if (!hw || !mw || !H || !G || !J || !pt->evals)
        goto done;
    num_hess_opts o = {.loss = NUM_HESS_SQUARE};
    st = num_hessian_full(hw, theta, X, Y, n, &o, 0, P, H, &pt->asym);
    if (st != NUM_OK)
        goto done;
    st = num_linalg_eigh(P, H, pt->evals, NULL);
    if (st != NUM_OK)
        goto done;
    /* H, G, the eigensolver's copy (P^2 each) and J. */
    pt->mem_mib = (3.0 * (double)P * (double)P + (double)m * (double)P) * 8.0 / 1048576.0;
    if ((st = num_spectrum_zero_count(P, pt->evals, c, &pt->z)) != NUM_OK)
        goto done;
    if ((st = num_spectrum_largest_gap(P, pt->evals, HESS_LARGEST_GAP_FLOOR, &pt->lg_zeros,
                                       &pt->lg_decades)) != NUM_OK)
        goto done;
    if ((st = num_mlp_forward(net, theta, X, n, mw, NULL)) != NUM_OK)
        goto done;
    if ((st = num_mlp_jacobian(net, theta, mw, J)) != NUM_OK)
        goto done;
    if ((st = num_linalg_rank(m, P, J, c, &pt->rank_J, NULL)) != NUM_OK)
        goto done;
    if ((st = num_linalg_gram(m, P, J, G)) != NUM_OK)
        goto done;
    double gmax = 0.0, dmax = 0.0;
    for (size_t i = 0; i < P * P; i++) {
        if (fabs(G[i]) > gmax)
            gmax = fabs(G[i]);
        if (fabs(H[i] - G[i]) > dmax)
            dmax = fabs(H[i] - G[i]);
    }
    pt->gn_rel = gmax > 0.0 ? dmax / gmax : 0.0;
    if (cond_k >= 1) {
        size_t off = net->off_w[cond_k - 1];
        size_t cols = net->widths[cond_k] * net->widths[cond_k - 1];
        Jb = malloc(m * cols * sizeof *Jb);
        if (!Jb) {
            st = NUM_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i < m; i++)
            memcpy(Jb + i * cols, J + i * P + off, cols * sizeof *Jb);
        st = num_linalg_rank(m, cols, Jb, c, &pt->block_rank, NULL);
    }
done:
    num_hessian_work_free(hw);
    num_mlp_work_free(mw);
    free(H);
    free(G);
    free(J);
    free(Jb);
    if (st != NUM_OK)
        point_free(pt);
    return st;
}

/* Floor of plotted relative eigenvalue moduli: four decades below the rounding level
 * (~1e-16), so computed zeros stay visible on a log axis and exact zeros do not stretch it. */
#define HESS_PLOT_FLOOR 1e-20

/* Series of |lambda_i| / lambda_max sorted decreasingly (index from 1), floored at
 * HESS_PLOT_FLOOR. */
static void add_sorted_spectrum(tc_result *res, const char *name, size_t P, const double *ev)
{
    double *a = malloc(P * sizeof *a);
    if (!a)
        return;
    num_spectrum_abs_sorted(P, ev, a);
    double amax = a[0] > 0.0 ? a[0] : 1.0;
    tc_series *s = tc_series_new(res, name, 2, (const char *[]){"index", "abs_eig_rel"});
    for (size_t i = 0; s && i < P; i++) {
        double v = a[i] / amax;
        tc_series_row(s, (double)(i + 1), v > HESS_PLOT_FLOOR ? v : HESS_PLOT_FLOOR);
    }
    free(a);
}

/* Zero count against tolerance/lambda_max over 1e-18 .. 1e-1 (4 points per decade). */
static void add_tolerance_sweep(tc_result *res, const char *name, size_t P, const double *ev,
                                double amax)
{
    tc_series *s = tc_series_new(res, name, 2, (const char *[]){"tol_rel", "zero_count"});
    for (int i = 0; s && i <= 68; i++) {
        double t = pow(10.0, -18.0 + 0.25 * i);
        tc_series_row(s, t, (double)num_spectrum_count_below(P, ev, t * amax));
    }
}

/* A vertical marker at x from y0 to y1 (two rows). */
static void add_vline(tc_result *res, const char *name, const char *xcol, const char *ycol,
                      double x, double y0, double y1)
{
    tc_series *s = tc_series_new(res, name, 2, (const char *[]){xcol, ycol});
    if (s) {
        tc_series_row(s, x, y0);
        tc_series_row(s, x, y1);
    }
}

/* Dataset of a claim: user data if given, else Gaussian X (n x d), Y (n x dout). The arrays
 * are owned by the caller (copies). */
typedef struct {
    size_t n, d, dout;
    double *X, *Y;
    bool user;
} hess_data;

static bool load_data(tc_ctx *ctx, size_t n, size_t d, size_t dout, uint64_t stream,
                      hess_data *D)
{
    const tc_dataset *ds = tc_data(ctx);
    memset(D, 0, sizeof *D);
    if (ds) {
        D->n = ds->n;
        D->d = ds->d;
        D->dout = ds->k;
        D->user = true;
    } else {
        D->n = n;
        D->d = d;
        D->dout = dout;
    }
    D->X = malloc(D->n * D->d * sizeof *D->X);
    D->Y = malloc(D->n * D->dout * sizeof *D->Y);
    if (!D->X || !D->Y)
        return false;
    if (ds) {
        memcpy(D->X, ds->x, D->n * D->d * sizeof *D->X);
        memcpy(D->Y, ds->y, D->n * D->dout * sizeof *D->Y);
    } else {
        gsl_rng *r = tc_rng_stream(ctx, stream);
        if (!r)
            return false;
        num_rng_gaussian(r, 1.0, D->X, n * d);
        num_rng_gaussian(r, 1.0, D->Y, n * dout);
        gsl_rng_free(r);
    }
    return true;
}

static void data_free(hess_data *D)
{
    free(D->X);
    free(D->Y);
}

/* Plain GD with a fixed step from the given initialisation, then Levenberg–Marquardt to the
 * rounding floor. The step starts at 1 / sigma_max(J_0)^2, the inverse of the largest
 * Gauss–Newton curvature at the start (stable for the quadratic model, 2 / lambda_max being the
 * limit); the curvature can grow during training (progressive sharpening), so a run whose loss
 * ends above its start or overflows is repeated from the same initialisation with half the
 * step (at most HESS_GD_HALVINGS times). Every run is plain GD with one fixed step.
 *   gd_loss, gd_lr  out: loss after GD and the step used; lm_steps: accepted LM steps */
#define HESS_GD_HALVINGS 8
static num_status gd_lm_point(const num_mlp *net, double *theta, const double *X,
                              const double *Y, size_t n, size_t gd_iters, size_t lm_iters,
                              num_mlp_work *mw, double *gd_loss, double *gd_lr,
                              size_t *lm_steps)
{
    size_t P = net->nparams, m = n * net->widths[net->nlayers];
    size_t k = m < P ? m : P;
    double *J = malloc(m * P * sizeof *J), *s = malloc(k * sizeof *s);
    double *init = malloc(P * sizeof *init);
    num_status st = NUM_ENOMEM;
    double L0 = 0.0;
    if (!J || !s || !init)
        goto done;
    memcpy(init, theta, P * sizeof *init);
    if ((st = num_zeroloss_residual(net, theta, X, Y, n, mw, NULL, NULL, &L0)) != NUM_OK ||
        (st = num_mlp_jacobian(net, theta, mw, J)) != NUM_OK ||
        (st = num_linalg_svd_values(m, P, J, s)) != NUM_OK)
        goto done;
    double lr = s[0] > 0.0 ? 1.0 / (s[0] * s[0]) : 1.0;
    for (int h = 0; h <= HESS_GD_HALVINGS; h++, lr *= 0.5) {
        memcpy(theta, init, P * sizeof *theta);
        st = num_zeroloss_gd(net, theta, X, Y, n, lr, gd_iters, mw, gd_loss);
        if (st == NUM_OK && *gd_loss <= L0)
            break;
        if (st != NUM_OK && st != NUM_ENAN)
            goto done;
        st = NUM_ENOCONV;
    }
    if (st != NUM_OK)
        goto done;
    *gd_lr = lr;
    double res = 0.0, tol = zero_loss_tol(net, theta, X, Y, n, mw, &res);
    num_zeroloss_stats zs;
    /* The tolerance depends on the output scale S, which LM changes a little: recompute it at
     * the end and iterate once more if needed. */
    for (int pass = 0; pass < 3; pass++) {
        st = num_zeroloss_lm(net, theta, X, Y, n, tol, lm_iters, mw, &zs);
        if (st != NUM_OK)
            goto done;
        *lm_steps = zs.iters;
        tol = zero_loss_tol(net, theta, X, Y, n, mw, &res);
        if (res <= tol)
            break;
    }
done:
    free(J);
    free(s);
    free(init);
    return st;
}

/* ---- C1: hessian_degeneracy -------------------------------------------------------------- */

static const tc_param_spec degeneracy_params[] = {
    TC_P_LIST("widths", "40,0,16,16,0,12,12,12", "250,0,44,44,0,32,32,32", 0, 4096,
              "hidden widths N_1..N_H of each architecture; 0 separates architectures (at most 8)"),
    TC_P_INT("samples", "20", "60", 2, 1000, "n, synthetic samples (ignored with --data)"),
    TC_P_INT("inputs", "6", "10", 1, 1000, "d, synthetic input dimension (ignored with --data)"),
    TC_P_INT("outputs", "2", "2", 1, 64,
              "d', synthetic outputs (with --data the `targets` columns are the outputs)"),
    TC_P_INT("targets", "1", "1", 1, 64,
              "number of target columns at the end of each --data row (d' for user data)"),
    TC_P_CHOICE("activation", "tanh", TC_SAME, "tanh|relu|erf|softplus|sigmoid|smooth_relu|linear",
              "hidden activation"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6,
              "c in the zero tolerance c*P*eps*lambda_max (dsyevd backward error ~ p(P) eps ||H||)"),
    TC_P_INT("gd_iters", "2000", "2000", 0, 10000000,
              "plain GD steps (step 1/sigma_max(J_0)^2) before the Levenberg-Marquardt finish"),
    TC_P_INT("lm_iters", "200", TC_SAME, 1, 100000, "Levenberg-Marquardt Jacobians"),
    TC_P_END};

/* Record the metrics of one analysed point; suffix "" for the primary point. */
static void record_point(tc_result *res, const char *sfx, const hess_point *pt, size_t n,
                         double res_max, double res_tol)
{
    char b[96];
    size_t P = pt->P, m = pt->m, rank_H = P - pt->z.zeros;
    size_t predicted = P > m ? P - m : 0;
    tc_metric_info(res, metric_name(b, sizeof b, "params", sfx), (double)P);
    tc_metric_info(res, metric_name(b, sizeof b, "n_times_outputs", sfx), (double)m);
    tc_metric_info(res, metric_name(b, sizeof b, "residual_max", sfx), res_max);
    tc_metric_info(res, metric_name(b, sizeof b, "residual_tol", sfx), res_tol);
    /* 003 Theorem 4: a zero eigenvalue exists; with eq. (28), rank(H) = rank(J) <= n d' and so
     * at least P - n d' eigenvalues vanish. */
    tc_metric(res, metric_name(b, sizeof b, "zero_eigenvalues", sfx), (double)pt->z.zeros,
              TC_GE, (double)(predicted > 1 ? predicted : 1));
    tc_metric(res, metric_name(b, sizeof b, "rank_jacobian", sfx), (double)pt->rank_J, TC_LE,
              (double)m);
    tc_metric(res, metric_name(b, sizeof b, "rank_hessian", sfx), (double)rank_H, TC_EQ,
              (double)pt->rank_J);
    /* The count does not depend on the tolerance: gap and margin (named constants above). */
    if (pt->z.zeros > 0 && pt->z.zeros < P) {
        tc_metric(res, metric_name(b, sizeof b, "spectral_gap_decades", sfx), pt->z.gap_decades,
                  TC_GE, HESS_GAP_MIN_DECADES);
        tc_metric(res, metric_name(b, sizeof b, "count_stable_decades", sfx),
                  pt->z.stable_decades, TC_GE, HESS_STABLE_MIN_DECADES);
    }
    tc_metric_info(res, metric_name(b, sizeof b, "zero_count_largest_gap", sfx),
                   (double)pt->lg_zeros);
    /* eq. (28): at E_n = 0 the Hessian is the Gauss–Newton matrix. Each entry of both is a sum
     * over n samples of chains of products through P parameters: rounding differences stay
     * below n P eps (relative to max |J^T J|); the residual term sum_n E_n grad^2 f_n is of
     * the order of the residual (~1e-15) times the second derivatives. */
    tc_metric(res, metric_name(b, sizeof b, "gauss_newton_rel_diff", sfx), pt->gn_rel, TC_LE,
              (double)n * (double)P * DBL_EPSILON);
    tc_metric_info(res, metric_name(b, sizeof b, "lambda_max", sfx), pt->z.abs_max);
    tc_metric_info(res, metric_name(b, sizeof b, "zero_tol", sfx), pt->z.tol);
    tc_metric_info(res, metric_name(b, sizeof b, "largest_zero_eig", sfx), pt->z.zero_max);
    tc_metric_info_nan_ok(res, metric_name(b, sizeof b, "smallest_nonzero_eig", sfx),
                          pt->z.nonzero_min);
    tc_metric_info(res, metric_name(b, sizeof b, "negative_eigenvalues", sfx),
                   (double)pt->z.negative);
    tc_metric_info(res, metric_name(b, sizeof b, "assembly_asymmetry", sfx), pt->asym);
    tc_metric_info(res, metric_name(b, sizeof b, "memory_mib", sfx), pt->mem_mib);
}

static void run_degeneracy(tc_ctx *ctx, tc_result *res)
{
    size_t nlist = 0;
    const double *wl = tc_param_list(ctx, "widths", &nlist);
    size_t n_syn = (size_t)tc_param_int(ctx, "samples");
    size_t d_syn = (size_t)tc_param_int(ctx, "inputs");
    size_t dout_syn = (size_t)tc_param_int(ctx, "outputs");
    (void)tc_param_int(ctx, "targets"); /* read by the harness to split --data columns */
    int act = num_act_parse(tc_param_choice(ctx, "activation"));
    double c = tc_param_real(ctx, "tol_factor");
    size_t gd_iters = (size_t)tc_param_int(ctx, "gd_iters");
    size_t lm_iters = (size_t)tc_param_int(ctx, "lm_iters");

    hess_arch archs[HESS_MAX_ARCH];
    size_t na = parse_archs(wl, nlist, archs);
    if (na == 0) {
        tc_result_skip(res, "no architecture in widths (0 only separates architectures)");
        return;
    }
    hess_data D;
    if (!load_data(ctx, n_syn, d_syn, dout_syn, 0, &D)) {
        data_free(&D);
        tc_result_error(res, "out of memory");
        return;
    }
    size_t n = D.n, d = D.d, dout = D.dout;
    if (has_conflicting_duplicates(D.X, D.Y, n, d, dout)) {
        tc_result_skip(res, "data cannot be interpolated: two equal inputs have different "
                            "targets (Theorem 4 needs a zero-loss point)");
        data_free(&D);
        return;
    }
    tc_plot *pspec = tc_plot_new(res, "spectrum",
                                 "Hessian spectrum at zero-loss points (square loss)",
                                 "index i (eigenvalues sorted by modulus)",
                                 "|lambda_i| / lambda_max", TC_PLOT_LOGY);
    tc_plot *psweep = tc_plot_new(res, "tolerance_sweep",
                                  "Zero-eigenvalue count against the tolerance",
                                  "tolerance / lambda_max", "eigenvalues with |lambda| <= tol",
                                  TC_PLOT_LOGX);
    add_vline(res, "boundary", "index", "abs_eig_rel", (double)(n * dout) + 0.5, HESS_PLOT_FLOOR, 1.0);
    char lbl[160];
    snprintf(lbl, sizeof lbl, "boundary n d' = %zu (predicted zeros beyond)", n * dout);
    tc_plot_curve(pspec, "boundary", "index", "abs_eig_rel", NULL, lbl, TC_STYLE_DASHED);

    size_t analysed = 0;
    for (size_t ia = 0; ia < na; ia++) {
        size_t widths[HESS_MAX_DEPTH + 2], bound = 0;
        size_t K = arch_widths(&archs[ia], d, dout, widths);
        char asfx[32], b[96];
        if (ia == 0)
            asfx[0] = '\0';
        else
            snprintf(asfx, sizeof asfx, "_a%zu", ia + 1);
        size_t ck = theorem4_condition(widths, K, n, &bound);
        tc_metric_info(res, metric_name(b, sizeof b, "condition_layer", asfx), (double)ck);
        if (ck == 0) /* Theorem 4 does not apply: not analysed here (see the negative control) */
            continue;
        num_mlp *net = num_mlp_alloc(K, widths, false, (num_act)act);
        num_mlp_work *mw = net ? num_mlp_work_alloc(net, n) : NULL;
        double *theta = net ? malloc(net->nparams * sizeof *theta) : NULL;
        if (!net || !mw || !theta) {
            free(theta);
            num_mlp_work_free(mw);
            num_mlp_free(net);
            tc_result_error(res, "out of memory");
            break;
        }
        tc_metric_info(res, metric_name(b, sizeof b, "layer_rank_bound", asfx), (double)bound);
        /* Methods: 0 = random hidden layers + least squares output (needs rank H_{K-1} = n),
         * 1 = GD + Levenberg–Marquardt. The first one that applies is the primary point. */
        bool primary_done = false;
        for (int method = 0; method < 2; method++) {
            gsl_rng *r = tc_rng_stream(ctx, 1 + 2 * ia + (uint64_t)method);
            num_mlp_init_gaussian(net, theta, r, NULL);
            gsl_rng_free(r);
            num_status st = NUM_OK;
            double gd_loss = NAN, gd_lr = NAN;
            size_t lm_steps = 0, rank = 0;
            if (method == 0) {
                if (widths[K - 1] < n)
                    continue;
                st = num_zeroloss_lstsq_output(net, theta, D.X, D.Y, n, mw, &rank);
                if (st == NUM_OK && rank < n)
                    continue; /* the representation cannot interpolate: GD + LM only */
            } else {
                st = gd_lm_point(net, theta, D.X, D.Y, n, gd_iters, lm_iters, mw, &gd_loss,
                                 &gd_lr, &lm_steps);
            }
            if (st != NUM_OK) {
                tc_result_error(res, "architecture %zu (%s): zero-loss point not reached: %s",
                                ia + 1, method ? "GD + Levenberg-Marquardt" : "least squares",
                                num_strerror(st));
                break;
            }
            double res_max = 0.0, res_tol = zero_loss_tol(net, theta, D.X, D.Y, n, mw, &res_max);
            if (!(res_max <= res_tol)) {
                tc_result_error(res, "architecture %zu: residual %.3g above the rounding floor "
                                "%.3g: not a zero-loss point", ia + 1, res_max, res_tol);
                break;
            }
            hess_point pt;
            st = analyse_square_point(net, theta, D.X, D.Y, n, c, ck, &pt);
            if (st != NUM_OK) {
                tc_result_error(res, "architecture %zu: Hessian analysis failed: %s", ia + 1,
                                num_strerror(st));
                break;
            }
            char sfx[48];
            snprintf(sfx, sizeof sfx, "%s%s", asfx, primary_done ? "_gd" : "");
            record_point(res, sfx, &pt, n, res_max, res_tol);
            tc_metric_info(res, metric_name(b, sizeof b, "method", sfx), (double)method);
            if (method == 1) {
                tc_metric_info(res, metric_name(b, sizeof b, "gd_loss", sfx), gd_loss);
                tc_metric_info(res, metric_name(b, sizeof b, "gd_step", sfx), gd_lr);
                tc_metric_info(res, metric_name(b, sizeof b, "lm_steps", sfx), (double)lm_steps);
            }
            /* The mechanism of the proof: the W_k columns of J have rank at most
             * n min(N_k..N_{H+1}) < N_k N_{k-1}, so they have a null vector. */
            size_t cols = widths[ck] * widths[ck - 1];
            tc_metric(res, metric_name(b, sizeof b, "layer_nullity", sfx),
                      (double)(cols - pt.block_rank), TC_GE, 1.0);
            if (!primary_done) {
                char sname[48], lab[160];
                snprintf(sname, sizeof sname, "spectrum_a%zu", ia + 1);
                add_sorted_spectrum(res, sname, pt.P, pt.evals);
                snprintf(lab, sizeof lab, "arch %zu: P = %zu, %zu zero eigenvalues", ia + 1, pt.P,
                         pt.z.zeros);
                tc_plot_curve(pspec, sname, "index", "abs_eig_rel", NULL, lab, TC_STYLE_LINES);
                snprintf(sname, sizeof sname, "sweep_a%zu", ia + 1);
                add_tolerance_sweep(res, sname, pt.P, pt.evals, pt.z.abs_max);
                snprintf(lab, sizeof lab, "arch %zu (P - n d' = %zu)", ia + 1,
                         pt.P > pt.m ? pt.P - pt.m : 0);
                tc_plot_curve(psweep, sname, "tol_rel", "zero_count", NULL, lab,
                              TC_STYLE_LINESPOINTS);
            }
            primary_done = true;
            analysed++;
            point_free(&pt);
        }
        free(theta);
        num_mlp_work_free(mw);
        num_mlp_free(net);
        if (res->outcome == TC_OUT_ERROR)
            break;
    }
    data_free(&D);
    if (res->outcome == TC_OUT_ERROR)
        return;
    if (analysed == 0) {
        tc_result_skip(res, "no architecture satisfies Theorem 4's condition "
                            "N_k N_{k-1} > n min(N_k..N_{H+1}) for n = %zu", n);
        return;
    }
    tc_result_conclude(res);
}

/* ---- C1 negative control and the symmetry count -------------------------------------- */

static const tc_param_spec underparam_params[] = {
    TC_P_LIST("widths", "4,3", TC_SAME, 1, 4096, "hidden widths N_1..N_H"),
    TC_P_INT("samples", "60", "200", 2, 10000, "n samples (n d' > P)"),
    TC_P_INT("inputs", "3", TC_SAME, 1, 1000, "d, input dimension"),
    TC_P_INT("outputs", "1", TC_SAME, 1, 64, "d', outputs"),
    TC_P_CHOICE("activation", "tanh", TC_SAME, "tanh|relu|erf|softplus|sigmoid|smooth_relu",
              "hidden activation"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6, "c in the zero tolerance c*P*eps*lambda_max"),
    TC_P_END};

/* Dimension of the continuous symmetry group acting on the parameters while fixing the
 * function, for networks without biases: ReLU (positively homogeneous) has one rescaling per
 * hidden unit, W_k[j,:] *= a, W_{k+1}[:,j] /= a (003 eq. (1)); smooth non-homogeneous
 * activations only have discrete symmetries (permutations, and sign flips for odd ones). */
static size_t symmetry_dimension(num_act act, const size_t *widths, size_t K)
{
    size_t s = 0;
    if (act == NUM_ACT_RELU)
        for (size_t k = 1; k < K; k++)
            s += widths[k];
    return s;
}

/* For ReLU networks without biases, conditions under which the null space of J is the
 * rescaling orbit alone: every hidden unit is active on more samples than its fan-in and
 * inactive on at least one (a unit active on fewer samples than its fan-in leaves its incoming
 * weights under-determined, a dead unit frees all its weights, two units active on every sample
 * act linearly and add a GL(2) symmetry); and the linear regions do not limit the rank: inside
 * one activation pattern the network is linear in x, so the Jacobian rows of the n_p samples
 * sharing pattern p are linear in x and span at most min(n_p, d) d' dimensions (none if the
 * last hidden layer is off). We require sum_p min(n_p, d) d' > P - sum_k N_k, so that the
 * count P - rank(J) can only come from the symmetry. The forward pass must have been run. */
static bool relu_units_generic(const num_mlp *net, const num_mlp_work *mw, size_t n)
{
    size_t K = net->nlayers, d = net->widths[0], nh = 0;
    for (size_t k = 1; k < K; k++)
        nh += net->widths[k];
    for (size_t k = 1; k < K; k++) {
        const double *Z = num_mlp_preact(mw, k);
        size_t Nk = net->widths[k];
        for (size_t j = 0; j < Nk; j++) {
            size_t a = 0;
            for (size_t s = 0; s < n; s++)
                a += Z[s * Nk + j] > 0.0;
            if (a <= net->widths[k - 1] || a == n)
                return false;
        }
    }
    /* Pattern of sample s: the signs of all hidden pre-activations. */
    bool *pat = malloc(n * nh * sizeof *pat), *seen = calloc(n, sizeof *seen);
    if (!pat || !seen) {
        free(pat);
        free(seen);
        return false;
    }
    for (size_t s = 0; s < n; s++) {
        size_t q = 0;
        for (size_t k = 1; k < K; k++)
            for (size_t j = 0; j < net->widths[k]; j++)
                pat[s * nh + q++] = num_mlp_preact(mw, k)[s * net->widths[k] + j] > 0.0;
    }
    size_t bound = 0, NH = net->widths[K - 1];
    for (size_t s = 0; s < n; s++) {
        if (seen[s])
            continue;
        size_t np = 0;
        for (size_t t = s; t < n; t++)
            if (!seen[t] && memcmp(pat + s * nh, pat + t * nh, nh * sizeof *pat) == 0) {
                seen[t] = true;
                np++;
            }
        bool reaches = false;
        for (size_t j = 0; j < NH; j++)
            reaches = reaches || pat[s * nh + nh - NH + j];
        if (reaches)
            bound += (np < d ? np : d) * net->widths[K];
    }
    free(pat);
    free(seen);
    return bound + nh > net->nparams;
}

/* Teacher redraws allowed until the ReLU units are generic (probability of a bad draw is
 * well below 1/2 for the default sizes, so 100 redraws fail with probability < 2^-100). */
#define HESS_TEACHER_DRAWS 100

/* Zero eigenvalues that the activation pattern implies at a zero-loss point of a bias-free
 * ReLU network with one hidden layer (N units) and one output, f(x) = sum_j a_j relu(w_j.x).
 * With delta_sj = [w_j.x_s > 0], row s of J is (a_j delta_sj x_s^T)_j for the incoming
 * weights and (delta_sj w_j.x_s)_j for the output weights. The output column of unit j is
 * (1/a_j) sum_i w_ji times its incoming columns (the tangent of the rescaling, 003 eq. (1)),
 * so for a_j != 0 (probability 1) rank J = rank C, C = [D_1 X, ..., D_N X] (n x N d,
 * D_j = diag(delta_.j)), and
 *     P - rank J = N + (N d - rank C)
 * exactly: N rescalings plus the nullity of C. C is built from the activation pattern and the
 * data only (not from the Hessian). Its nullity is zero for a non-degenerate pattern and
 * positive on sets of teachers of positive probability: e.g. two units whose patterns differ
 * on m < d samples have null vectors v_j = -v_k with v orthogonal to those m samples (d - m
 * extra zeros); a dead unit adds d, a unit active on fewer than d samples d - (active count).
 * These are data-dependent flat directions (moving along them changes f off the training
 * set), not symmetries. Rank tolerance as for J: c max(n, N d) eps sigma_max. */
static num_status relu_pattern_nullity(const num_mlp *net, const num_mlp_work *mw,
                                       const double *X, size_t n, double c, size_t *nullity)
{
    size_t d = net->widths[0], N = net->widths[1], m = N * d, r = 0;
    const double *Z = num_mlp_preact(mw, 1);
    double *C = malloc(n * m * sizeof *C);
    if (!C)
        return NUM_ENOMEM;
    for (size_t s = 0; s < n; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < d; i++)
                C[s * m + j * d + i] = Z[s * N + j] > 0.0 ? X[s * d + i] : 0.0;
    num_status st = num_linalg_rank(n, m, C, c, &r, NULL);
    free(C);
    if (st == NUM_OK)
        *nullity = m - r;
    return st;
}

/* Zero-loss point with realisable targets: a teacher of the same architecture, Y = f(theta*).
 * Fills pt and returns the status; *draws (may be NULL) receives the number of teachers drawn
 * (1 + the deterministic redraws of non-generic ReLU teachers); *pnull (may be NULL) the
 * pattern nullity of relu_pattern_nullity (ReLU, one hidden layer, one output; else 0). */
static num_status teacher_point(tc_ctx *ctx, uint64_t stream, num_act act, const size_t *widths,
                                size_t K, size_t n, double c, hess_point *pt, size_t *sym,
                                size_t *draws, size_t *pnull)
{
    num_mlp *net = num_mlp_alloc(K, widths, false, act);
    if (!net)
        return NUM_ENOMEM;
    size_t d = widths[0], dout = widths[K], P = net->nparams;
    num_mlp_work *mw = num_mlp_work_alloc(net, n);
    double *theta = malloc(P * sizeof *theta), *X = malloc(n * d * sizeof *X);
    double *Y = malloc(n * dout * sizeof *Y);
    gsl_rng *r = tc_rng_stream(ctx, stream);
    num_status st = NUM_ENOMEM;
    if (draws)
        *draws = 0;
    if (pnull)
        *pnull = 0;
    if (mw && theta && X && Y && r) {
        for (int draw = 0; draw < HESS_TEACHER_DRAWS; draw++) {
            num_mlp_init_gaussian(net, theta, r, NULL);
            num_rng_gaussian(r, 1.0, X, n * d);
            if (draws)
                *draws = (size_t)draw + 1;
            st = num_mlp_forward(net, theta, X, n, mw, Y); /* residual exactly 0 */
            if (st != NUM_OK || act != NUM_ACT_RELU || relu_units_generic(net, mw, n))
                break;
            st = NUM_ENOCONV;
        }
        if (st == NUM_OK && pnull && act == NUM_ACT_RELU && K == 2 && dout == 1)
            st = relu_pattern_nullity(net, mw, X, n, c, pnull);
        if (st == NUM_OK)
            st = analyse_square_point(net, theta, X, Y, n, c, 0, pt);
    }
    *sym = symmetry_dimension(act, widths, K);
    if (r)
        gsl_rng_free(r);
    free(theta);
    free(X);
    free(Y);
    num_mlp_work_free(mw);
    num_mlp_free(net);
    return st;
}

static void run_underparam(tc_ctx *ctx, tc_result *res)
{
    size_t nlist = 0;
    const double *wl = tc_param_list(ctx, "widths", &nlist);
    size_t n = (size_t)tc_param_int(ctx, "samples"), d = (size_t)tc_param_int(ctx, "inputs");
    size_t dout = (size_t)tc_param_int(ctx, "outputs");
    int act = num_act_parse(tc_param_choice(ctx, "activation"));
    double c = tc_param_real(ctx, "tol_factor");
    hess_arch a;
    if (parse_archs(wl, nlist, &a) != 1) {
        tc_result_skip(res, "widths must describe one architecture");
        return;
    }
    size_t widths[HESS_MAX_DEPTH + 2], K = arch_widths(&a, d, dout, widths);
    if (theorem4_condition(widths, K, n, NULL) != 0) {
        tc_result_skip(res, "Theorem 4's condition holds for these widths: not a negative "
                            "control (use hessian_degeneracy)");
        return;
    }
    num_mlp *probe = num_mlp_alloc(K, widths, false, NUM_ACT_TANH);
    size_t P = probe ? probe->nparams : 0;
    num_mlp_free(probe);
    if (P >= n * dout) {
        tc_result_skip(res, "P = %zu >= n d' = %zu: zero eigenvalues are forced by counting "
                            "(rank J <= n d') even though Theorem 4's condition fails; the "
                            "negative control needs n d' > P", P, n * dout);
        return;
    }
    hess_point pt;
    size_t sym = 0;
    num_status st = teacher_point(ctx, 0, (num_act)act, widths, K, n, c, &pt, &sym, NULL, NULL);
    if (st != NUM_OK) {
        tc_result_error(res, "Hessian analysis failed: %s", num_strerror(st));
        return;
    }
    tc_metric_info(res, "params", (double)pt.P);
    tc_metric_info(res, "n_times_outputs", (double)pt.m);
    tc_metric_info(res, "rank_jacobian", (double)pt.rank_J);
    tc_metric_info(res, "symmetry_dimension", (double)sym);
    tc_metric_info(res, "lambda_max", pt.z.abs_max);
    tc_metric_info_nan_ok(res, "smallest_nonzero_eig", pt.z.nonzero_min);
    tc_metric_info_nan_ok(res, "count_stable_decades", pt.z.stable_decades);
    /* The transplanted conclusion of Theorem 4: a zero eigenvalue exists. */
    tc_metric(res, "zero_eigenvalues", (double)pt.z.zeros, TC_GE, 1.0);
    add_sorted_spectrum(res, "spectrum", pt.P, pt.evals);
    tc_plot *p = tc_plot_new(res, "spectrum", "Hessian spectrum, Theorem 4's condition violated",
                             "index i", "|lambda_i| / lambda_max", TC_PLOT_LOGY);
    tc_plot_curve(p, "spectrum", "index", "abs_eig_rel", NULL, "teacher zero-loss point",
                  TC_STYLE_LINESPOINTS);
    point_free(&pt);
    tc_result_conclude(res);
}

static const tc_param_spec symmetry_params[] = {
    TC_P_LIST("widths", "5", TC_SAME, 1, 4096,
              "hidden widths N_1..N_H (one hidden layer: see docs/claims/hessian.md for deeper nets)"),
    TC_P_INT("samples", "60", "200", 2, 10000, "n samples (n d' > P)"),
    TC_P_INT("inputs", "3", TC_SAME, 1, 1000, "d, input dimension"),
    TC_P_INT("outputs", "1", TC_SAME, 1, 64, "d', outputs"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6, "c in the zero tolerance c*P*eps*lambda_max"),
    TC_P_END};

static void run_symmetry(tc_ctx *ctx, tc_result *res)
{
    size_t nlist = 0;
    const double *wl = tc_param_list(ctx, "widths", &nlist);
    size_t n = (size_t)tc_param_int(ctx, "samples"), d = (size_t)tc_param_int(ctx, "inputs");
    size_t dout = (size_t)tc_param_int(ctx, "outputs");
    double c = tc_param_real(ctx, "tol_factor");
    hess_arch a;
    if (parse_archs(wl, nlist, &a) != 1) {
        tc_result_skip(res, "widths must describe one architecture");
        return;
    }
    size_t widths[HESS_MAX_DEPTH + 2], K = arch_widths(&a, d, dout, widths);
    if (K != 2 || dout != 1) {
        tc_result_skip(res, "the zero count is predicted exactly (rescalings + the nullity "
                            "that the activation pattern implies) for one hidden layer and one "
                            "output only; deeper ReLU networks have data-dependent hidden "
                            "symmetries (docs/claims/hessian.md)");
        return;
    }
    num_mlp *probe = num_mlp_alloc(K, widths, false, NUM_ACT_TANH);
    size_t P = probe ? probe->nparams : 0;
    num_mlp_free(probe);
    if (P >= n * dout) {
        tc_result_skip(res, "P = %zu >= n d' = %zu: the counting bound already forces zero "
                            "eigenvalues; the symmetry count needs n d' > P", P, n * dout);
        return;
    }
    const num_act acts[2] = {NUM_ACT_RELU, NUM_ACT_TANH};
    const char *names[2] = {"relu", "tanh"};
    for (int i = 0; i < 2; i++) {
        hess_point pt;
        size_t sym = 0, draws = 0, pnull = 0;
        num_status st = teacher_point(ctx, (uint64_t)i, acts[i], widths, K, n, c, &pt, &sym,
                                      &draws, &pnull);
        if (st != NUM_OK) {
            tc_result_error(res, "%s: Hessian analysis failed: %s", names[i], num_strerror(st));
            return;
        }
        char b[64];
        snprintf(b, sizeof b, "symmetry_dimension_%s", names[i]);
        tc_metric_info(res, b, (double)sym);
        snprintf(b, sizeof b, "rank_jacobian_%s", names[i]);
        tc_metric_info(res, b, (double)pt.rank_J);
        snprintf(b, sizeof b, "teacher_draws_%s", names[i]);
        tc_metric_info(res, b, (double)draws);
        if (acts[i] == NUM_ACT_RELU) {
            /* Data-dependent flat directions implied by the activation pattern (computed
             * from the pattern and X, not from the Hessian; relu_pattern_nullity). */
            snprintf(b, sizeof b, "pattern_nullity_%s", names[i]);
            tc_metric_info(res, b, (double)pnull);
        }
        /* zero eigenvalues = dimension of the continuous symmetry orbit through the point
         * plus the pattern nullity (0 for tanh, and for ReLU at a non-degenerate pattern):
         * P - rank J = N + (N d - rank C) exactly (relu_pattern_nullity). */
        snprintf(b, sizeof b, "zero_eigenvalues_%s", names[i]);
        tc_metric(res, b, (double)pt.z.zeros, TC_EQ, (double)(sym + pnull));
        if (pt.z.zeros > 0 && pt.z.zeros < pt.P) {
            snprintf(b, sizeof b, "spectral_gap_decades_%s", names[i]);
            tc_metric(res, b, pt.z.gap_decades, TC_GE, HESS_GAP_MIN_DECADES);
        }
        snprintf(b, sizeof b, "count_stable_decades_%s", names[i]);
        tc_metric(res, b, pt.z.stable_decades, TC_GE, HESS_STABLE_MIN_DECADES);
        if (i == 0)
            tc_metric_info(res, "params", (double)pt.P);
        point_free(&pt);
    }
    tc_result_conclude(res);
}

/* ---- C2: weight decay ---------------------------------------------------------------- */

static const tc_param_spec decay_params[] = {
    TC_P_LIST("widths", "16,0,8,8", "64,0,24,24", 0, 4096,
              "hidden widths of each architecture; 0 separates architectures"),
    TC_P_INT("samples", "10", "30", 2, 1000, "n samples"),
    TC_P_INT("inputs", "5", "8", 1, 1000, "d, input dimension"),
    TC_P_CHOICE("activation", "tanh", TC_SAME, "tanh|relu|erf|softplus|sigmoid|smooth_relu|linear",
              "hidden activation"),
    TC_P_LIST("lambdas", "1e-2,1e-4,1e-6,1e-8", TC_SAME, 1e-12, 1e3,
              "weight decay coefficients lambda (the same on every layer), penalty lambda ||W_k||^2"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6,
              "c in the eigenvalue accuracy c*P*eps*lambda_max"),
    TC_P_END};

/* One output (d' = 1); zero-loss point by least squares when the last hidden width >= n,
 * else by GD + LM. Returns NUM_OK and fills net, theta (owned by caller). */
static num_status decay_start(tc_ctx *ctx, uint64_t stream, const hess_arch *a, num_act act,
                              const hess_data *D, num_mlp **pnet, double **ptheta)
{
    size_t widths[HESS_MAX_DEPTH + 2], K = arch_widths(a, D->d, 1, widths);
    num_mlp *net = num_mlp_alloc(K, widths, false, act);
    if (!net)
        return NUM_ENOMEM;
    num_mlp_work *mw = num_mlp_work_alloc(net, D->n);
    double *theta = malloc(net->nparams * sizeof *theta);
    gsl_rng *r = tc_rng_stream(ctx, stream);
    num_status st = NUM_ENOMEM;
    if (mw && theta && r) {
        num_mlp_init_gaussian(net, theta, r, NULL);
        size_t rank = 0, steps = 0;
        double gl = 0.0, glr = 0.0, rm = 0.0;
        st = NUM_EINFEASIBLE;
        if (widths[K - 1] >= D->n)
            st = num_zeroloss_lstsq_output(net, theta, D->X, D->Y, D->n, mw, &rank);
        if (st != NUM_OK || rank < D->n)
            st = gd_lm_point(net, theta, D->X, D->Y, D->n, 2000, 200, mw, &gl, &glr, &steps);
        if (st == NUM_OK) {
            double tol = zero_loss_tol(net, theta, D->X, D->Y, D->n, mw, &rm);
            if (!(rm <= tol))
                st = NUM_ENOCONV;
        }
    }
    if (r)
        gsl_rng_free(r);
    num_mlp_work_free(mw);
    if (st != NUM_OK) {
        free(theta);
        num_mlp_free(net);
        return st;
    }
    *pnet = net;
    *ptheta = theta;
    return NUM_OK;
}

/* Smallest eigenvalue and spectrum of the Hessian of the regularised square loss. */
static num_status decay_spectrum(const num_mlp *net, const double *theta, const hess_data *D,
                                 double lambda, double *evals)
{
    size_t P = net->nparams, K = net->nlayers;
    double lam[HESS_MAX_DEPTH + 1];
    for (size_t k = 0; k < K; k++)
        lam[k] = lambda;
    num_hess_opts o = {.loss = NUM_HESS_SQUARE, .decay = lambda > 0.0 ? lam : NULL};
    num_hess_work *hw = num_hessian_work_alloc(net, D->n, HESS_BLOCK);
    double *H = malloc(P * P * sizeof *H);
    num_status st = NUM_ENOMEM;
    if (hw && H) {
        st = num_hessian_full(hw, theta, D->X, D->Y, D->n, &o, 0, P, H, NULL);
        if (st == NUM_OK)
            st = num_linalg_eigh(P, H, evals, NULL);
    }
    free(H);
    num_hessian_work_free(hw);
    return st;
}

static bool decay_common(tc_ctx *ctx, tc_result *res, hess_arch *archs, size_t *na,
                         const double **lambdas, size_t *nl, int *act, double *c, hess_data *D)
{
    size_t nlist = 0;
    const double *wl = tc_param_list(ctx, "widths", &nlist);
    size_t n = (size_t)tc_param_int(ctx, "samples"), d = (size_t)tc_param_int(ctx, "inputs");
    *act = num_act_parse(tc_param_choice(ctx, "activation"));
    *lambdas = tc_param_list(ctx, "lambdas", nl);
    *c = tc_param_real(ctx, "tol_factor");
    *na = parse_archs(wl, nlist, archs);
    if (*na == 0) {
        tc_result_skip(res, "no architecture in widths");
        return false;
    }
    if (!load_data(ctx, n, d, 1, 0, D)) {
        data_free(D);
        tc_result_error(res, "out of memory");
        return false;
    }
    return true;
}

/* Reading A: at a zero-loss point w* of the unregularised loss, H_reg = H(w*) + 2 lambda I
 * exactly, H(w*) = J^T J is PSD with P - rank(J) zero eigenvalues: lambda_min(H_reg) = 2 lambda. */
static void run_decay_zero_loss(tc_ctx *ctx, tc_result *res)
{
    hess_arch archs[HESS_MAX_ARCH];
    size_t na = 0, nl = 0;
    const double *lambdas = NULL;
    int act = 0;
    double c = 0.0;
    hess_data D;
    if (!decay_common(ctx, res, archs, &na, &lambdas, &nl, &act, &c, &D))
        return;
    tc_plot *p = tc_plot_new(res, "spectrum", "Hessian spectrum as weight decay grows "
                             "(architecture 1)", "index i (ascending)", "lambda_i",
                             TC_PLOT_LOGY);
    for (size_t ia = 0; ia < na && res->outcome != TC_OUT_ERROR; ia++) {
        num_mlp *net = NULL;
        double *theta = NULL;
        num_status st = decay_start(ctx, 1 + ia, &archs[ia], (num_act)act, &D, &net, &theta);
        if (st != NUM_OK) {
            tc_result_error(res, "architecture %zu: zero-loss point not reached: %s", ia + 1,
                            num_strerror(st));
            break;
        }
        size_t P = net->nparams;
        double *ev = malloc(P * sizeof *ev), *ev0 = malloc(P * sizeof *ev0);
        double *all = malloc(nl * P * sizeof *all);
        if (!ev || !ev0 || !all) {
            tc_result_error(res, "out of memory");
        } else if ((st = decay_spectrum(net, theta, &D, 0.0, ev0)) != NUM_OK) {
            tc_result_error(res, "Hessian failed: %s", num_strerror(st));
        } else {
            /* For the plot, lambda = 0 by modulus (its zeros carry either sign). */
            double *abs0 = malloc(P * sizeof *abs0);
            if (abs0) {
                num_spectrum_abs_sorted(P, ev0, abs0);
                for (size_t i = 0; i < P / 2; i++) {
                    double t = abs0[i];
                    abs0[i] = abs0[P - 1 - i];
                    abs0[P - 1 - i] = t;
                }
            }
            char b[96], asfx[32];
            snprintf(asfx, sizeof asfx, "_a%zu", ia + 1);
            num_spectrum_zeros z0;
            num_spectrum_zero_count(P, ev0, c, &z0);
            tc_metric_info(res, metric_name(b, sizeof b, "params", asfx), (double)P);
            tc_metric_info(res, metric_name(b, sizeof b, "zero_eigenvalues_unregularised", asfx),
                           (double)z0.zeros);
            for (size_t il = 0; il < nl; il++) {
                if ((st = decay_spectrum(net, theta, &D, lambdas[il], ev)) != NUM_OK) {
                    tc_result_error(res, "Hessian failed: %s", num_strerror(st));
                    break;
                }
                memcpy(all + il * P, ev, P * sizeof *ev);
                /* 003 eq. (29): lambda_min >= 2 lambda, up to the eigenvalue accuracy
                 * c P eps lambda_max of the computed spectrum (numerics/spectrum.h). */
                double acc = c * (double)P * DBL_EPSILON * fabs(ev[P - 1]);
                snprintf(b, sizeof b, "lambda%s_l%zu", asfx, il + 1);
                tc_metric_info(res, b, lambdas[il]);
                snprintf(b, sizeof b, "min_eig_over_2lambda%s_l%zu", asfx, il + 1);
                tc_metric(res, b, ev[0] / (2.0 * lambdas[il]), TC_GE,
                          1.0 - acc / (2.0 * lambdas[il]));
            }
            if (ia == 0 && res->outcome != TC_OUT_ERROR) {
                const char *cols[HESS_MAX_ARCH + 2 + 64];
                char names[64][32];
                size_t ncol = nl + 2 <= 66 ? nl + 2 : 66;
                cols[0] = "index";
                cols[1] = "lambda_0";
                for (size_t il = 0; il + 2 < ncol; il++) {
                    snprintf(names[il], sizeof names[il], "lambda_%zu", il + 1);
                    cols[il + 2] = names[il];
                }
                tc_series *s = tc_series_new(res, "spectrum", ncol, cols);
                double row[66];
                for (size_t i = 0; s && i < P; i++) {
                    row[0] = (double)(i + 1);
                    double a0 = abs0 ? abs0[i] : fabs(ev0[i]);
                    row[1] = a0 > HESS_PLOT_FLOOR ? a0 : HESS_PLOT_FLOOR;
                    for (size_t il = 0; il + 2 < ncol; il++)
                        row[il + 2] = all[il * P + i];
                    tc_series_add(s, row);
                }
                tc_plot_curve(p, "spectrum", "index", "lambda_0", NULL,
                              "lambda = 0 (|lambda_i|)", TC_STYLE_LINES);
                for (size_t il = 0; il + 2 < ncol; il++) {
                    char lab[64];
                    snprintf(lab, sizeof lab, "lambda = %g", lambdas[il]);
                    tc_plot_curve(p, "spectrum", "index", cols[il + 2], NULL, lab,
                                  TC_STYLE_LINES);
                }
            }
            free(abs0);
        }
        free(ev);
        free(ev0);
        free(all);
        free(theta);
        num_mlp_free(net);
    }
    data_free(&D);
    tc_result_conclude(res);
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Reading B: at a minimiser w_lambda of L + lambda sum_k ||W_k||^2, found by damped Newton
 * from the zero-loss point with continuation from the largest lambda down. There
 * H_reg = J^T J + sum_n E_n grad^2 f_n + 2 lambda I with E = O(lambda) != 0: on null(J) the
 * middle term is O(lambda) of either sign, so lambda_min / (2 lambda) tends to a constant that
 * the statement claims is >= 1. */
/* Saddle escape for reading B. Damped Newton stops on a gradient test, so it can stop at a
 * saddle of the regularised loss (a stationary point with lambda_min < 0), and which
 * stationary point it reaches depends on rounding (seen for 1 seed in 60 once the
 * activation derivatives changed in the last bits). At a stationary point, along the unit
 * eigenvector v of lambda_min < 0, L(theta + a v) = L(theta) + a^2 lambda_min / 2 + O(a^3) <
 * L(theta) for small a: take the largest of the signed steps a = 1, 1/2, 1/4, ... (at most
 * HESS_ESCAPE_HALVINGS) that decreases L, then Newton again with a gradient tolerance
 * HESS_ESCAPE_GTOL_FACTOR times smaller: the stop was a pass close to the saddle (gradient
 * below the test while still moving), and the escape step alone leaves a gradient
 * ~ |lambda_min| a that the old test accepts at once (seed 31: lambda_min = -8.7e-7, a ~ 5e-4,
 * tolerance 2e-8). The tighter tolerance is kept >= HESS_ESCAPE_GTOL_FLOOR, ten times the
 * gradient's rounding floor ~1e-14 (see HESS_NEWTON_GTOL_REL). At most HESS_MAX_ESCAPES times per
 * lambda, else an error; the count is recorded (seeds 1-60: one escape, seed 31 only).
 * Deterministic for a given seed. */
#define HESS_MAX_ESCAPES 3
#define HESS_ESCAPE_GTOL_FACTOR 1e-2
#define HESS_ESCAPE_GTOL_FLOOR 1e-13
#define HESS_ESCAPE_HALVINGS 60
static num_status saddle_step(num_hess_work *hw, double *theta, const hess_data *D,
                              const num_hess_opts *o, size_t P)
{
    double *H = malloc(P * P * sizeof *H), *V = malloc(P * P * sizeof *V);
    double *ev = malloc(P * sizeof *ev), *trial = malloc(P * sizeof *trial);
    double *best = malloc(P * sizeof *best);
    num_status st = NUM_ENOMEM;
    double f0 = 0.0;
    if (!H || !V || !ev || !trial || !best)
        goto done;
    if ((st = num_hessian_full(hw, theta, D->X, D->Y, D->n, o, 0, P, H, NULL)) != NUM_OK ||
        (st = num_linalg_eigh(P, H, ev, V)) != NUM_OK ||
        (st = num_hessian_prepare(hw, theta, D->X, D->Y, D->n, o, &f0, NULL)) != NUM_OK)
        goto done;
    st = NUM_ENOCONV;
    if (!(ev[0] < 0.0))
        goto done;
    double a = 1.0;
    for (int h = 0; h < HESS_ESCAPE_HALVINGS && st != NUM_OK; h++, a *= 0.5) {
        double fbest = f0;
        for (int sg = -1; sg <= 1; sg += 2) {
            for (size_t i = 0; i < P; i++)
                trial[i] = theta[i] + sg * a * V[i * P]; /* column 0: eigenvector of ev[0] */
            double ft = 0.0;
            if (num_hessian_prepare(hw, trial, D->X, D->Y, D->n, o, &ft, NULL) == NUM_OK &&
                ft < fbest) {
                fbest = ft;
                memcpy(best, trial, P * sizeof *best);
                st = NUM_OK;
            }
        }
    }
    if (st == NUM_OK)
        memcpy(theta, best, P * sizeof *theta);
done:
    free(H);
    free(V);
    free(ev);
    free(trial);
    free(best);
    return st;
}

static void run_decay_minimiser(tc_ctx *ctx, tc_result *res)
{
    hess_arch archs[HESS_MAX_ARCH];
    size_t na = 0, nl = 0;
    const double *lambdas = NULL;
    int act = 0;
    double c = 0.0;
    hess_data D;
    if (!decay_common(ctx, res, archs, &na, &lambdas, &nl, &act, &c, &D))
        return;
    double lam_sorted[TC_LIST_MAX];
    memcpy(lam_sorted, lambdas, nl * sizeof *lam_sorted);
    qsort(lam_sorted, nl, sizeof *lam_sorted, cmp_desc);
    tc_plot *p = tc_plot_new(res, "ratio", "Smallest Hessian eigenvalue at the regularised "
                             "minimiser, relative to 2 lambda", "lambda",
                             "lambda_min / (2 lambda)", TC_PLOT_LOGX);
    tc_series *sb = tc_series_new(res, "bound", 2, (const char *[]){"lambda", "ratio"});
    if (sb && nl > 0) {
        tc_series_row(sb, lam_sorted[nl - 1], 1.0);
        tc_series_row(sb, lam_sorted[0], 1.0);
    }
    tc_plot_curve(p, "bound", "lambda", "ratio", NULL, "claimed lower bound (2 lambda)",
                  TC_STYLE_DASHED);
    for (size_t ia = 0; ia < na && res->outcome != TC_OUT_ERROR; ia++) {
        num_mlp *net = NULL;
        double *theta = NULL;
        num_status st = decay_start(ctx, 1 + ia, &archs[ia], (num_act)act, &D, &net, &theta);
        if (st != NUM_OK) {
            tc_result_error(res, "architecture %zu: zero-loss point not reached: %s", ia + 1,
                            num_strerror(st));
            break;
        }
        size_t P = net->nparams, K = net->nlayers;
        double *ev = malloc(P * sizeof *ev);
        num_hess_work *hw = num_hessian_work_alloc(net, D.n, HESS_BLOCK);
        num_mlp_work *mw = num_mlp_work_alloc(net, D.n);
        if (!ev || !hw || !mw)
            tc_result_error(res, "out of memory");
        char sname[32], slab[64];
        snprintf(sname, sizeof sname, "ratio_a%zu", ia + 1);
        snprintf(slab, sizeof slab, "architecture %zu (P = %zu)", ia + 1, P);
        tc_series *s = tc_series_new(res, sname, 2, (const char *[]){"lambda", "ratio"});
        tc_plot_curve(p, sname, "lambda", "ratio", NULL, slab, TC_STYLE_LINESPOINTS);
        for (size_t il = 0; il < nl && res->outcome != TC_OUT_ERROR; il++) {
            double lambda = lam_sorted[il], lam[HESS_MAX_DEPTH + 1];
            for (size_t k = 0; k < K; k++)
                lam[k] = lambda;
            num_hess_opts o = {.loss = NUM_HESS_SQUARE, .decay = lam};
            size_t iters = 0, escapes = 0;
            double gn = 0.0, rmax = 0.0, loss = 0.0, acc = 0.0;
            double gtol = HESS_NEWTON_GTOL_REL * 2.0 * lambda;
            for (;;) {
                size_t it = 0;
                st = num_hessian_minimise(hw, theta, D.X, D.Y, D.n, &o, gtol,
                                          HESS_NEWTON_MAX_ITER, &it, &gn);
                iters += it;
                if (st != NUM_OK) {
                    tc_result_error(res, "architecture %zu, lambda %g: Newton did not converge "
                                    "(%s, |grad| = %.3g after %zu iterations)", ia + 1, lambda,
                                    num_strerror(st), gn, iters);
                    break;
                }
                if ((st = decay_spectrum(net, theta, &D, lambda, ev)) != NUM_OK) {
                    tc_result_error(res, "Hessian failed: %s", num_strerror(st));
                    break;
                }
                acc = c * (double)P * DBL_EPSILON * fabs(ev[P - 1]);
                if (ev[0] >= -acc)
                    break;
                /* A saddle: escape along the negative-curvature direction, Newton again. */
                if (escapes >= HESS_MAX_ESCAPES ||
                    saddle_step(hw, theta, &D, &o, P) != NUM_OK) {
                    tc_result_error(res, "architecture %zu, lambda %g: Newton stopped at a "
                                    "saddle (lambda_min = %.3g) after %zu escapes, not a "
                                    "minimiser", ia + 1, lambda, ev[0], escapes);
                    st = NUM_ENOCONV;
                    break;
                }
                escapes++;
                gtol = fmax(gtol * HESS_ESCAPE_GTOL_FACTOR, HESS_ESCAPE_GTOL_FLOOR);
            }
            if (st != NUM_OK)
                break;
            if ((st = num_zeroloss_residual(net, theta, D.X, D.Y, D.n, mw, NULL, &rmax,
                                            &loss)) != NUM_OK) {
                tc_result_error(res, "Hessian failed: %s", num_strerror(st));
                break;
            }
            char b[96];
            snprintf(b, sizeof b, "lambda_a%zu_l%zu", ia + 1, il + 1);
            tc_metric_info(res, b, lambda);
            snprintf(b, sizeof b, "residual_max_a%zu_l%zu", ia + 1, il + 1);
            tc_metric_info(res, b, rmax);
            snprintf(b, sizeof b, "newton_iters_a%zu_l%zu", ia + 1, il + 1);
            tc_metric_info(res, b, (double)iters);
            snprintf(b, sizeof b, "saddle_escapes_a%zu_l%zu", ia + 1, il + 1);
            tc_metric_info(res, b, (double)escapes);
            snprintf(b, sizeof b, "grad_over_2lambda_a%zu_l%zu", ia + 1, il + 1);
            tc_metric_info(res, b, gn / (2.0 * lambda));
            /* "definite for any lambda > 0" (003 eq. (29)). */
            snprintf(b, sizeof b, "min_eig_a%zu_l%zu", ia + 1, il + 1);
            tc_metric(res, b, ev[0], TC_GT, acc);
            /* "smallest eigenvalue >= 2 lambda", to the eigenvalue accuracy. */
            snprintf(b, sizeof b, "min_eig_over_2lambda_a%zu_l%zu", ia + 1, il + 1);
            tc_metric(res, b, ev[0] / (2.0 * lambda), TC_GE, 1.0 - acc / (2.0 * lambda));
            if (s)
                tc_series_row(s, lambda, ev[0] / (2.0 * lambda));
        }
        free(ev);
        num_hessian_work_free(hw);
        num_mlp_work_free(mw);
        free(theta);
        num_mlp_free(net);
    }
    data_free(&D);
    tc_result_conclude(res);
}

/* ---- C3: exponential loss ------------------------------------------------------------- */

static const tc_param_spec exp_params[] = {
    TC_P_INT("samples", "12", "24", 2, 1000, "n samples (labels +-1)"),
    TC_P_INT("inputs", "30", "60", 2, 1000,
              "d > n, so that the one-layer bound (n nonzero eigenvalues of a d x d Hessian) can bind"),
    TC_P_INT("hidden", "10", "40", 1, 1000, "N_1 of the two-layer networks"),
    TC_P_CHOICE("activation", "tanh", TC_SAME, "tanh|erf|smooth_relu",
              "smooth activation, odd-signed so that f(w^T x) separates both labels"),
    TC_P_LIST("scales", "1,4,16,64", TC_SAME, 1e-3, 1e6,
              "norm scale a of the separating points (one layer: a w0; two layers: (W1, a W2)); " "bounded by the metric scale_limit_one_layer (tanh: ~340 / min_n |w0^T x_n|), beyond which " "the one-layer Hessian underflows"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6,
              "c in the tolerance c*P*eps*lambda_max for zero and for distinct eigenvalues"),
    TC_P_END};

typedef struct {
    size_t nonzero, distinct;
    double amax;
} hess_count;

/* Hessian (block [p0, p1)) of the exponential loss at theta for labels y, weights shifted by
 * the smallest margin; counts of nonzero and distinct nonzero eigenvalues. */
static num_status exp_counts(const num_mlp *net, const double *theta, const double *X,
                             const double *y, size_t n, size_t p0, size_t p1, double c,
                             double *evals, hess_count *out, double *min_margin)
{
    size_t m = p1 - p0;
    num_mlp_work *mw = num_mlp_work_alloc(net, n);
    num_hess_work *hw = num_hessian_work_alloc(net, n, HESS_BLOCK);
    double *H = malloc(m * m * sizeof *H), *f = malloc(n * sizeof *f);
    num_status st = NUM_ENOMEM;
    if (!mw || !hw || !H || !f)
        goto done;
    if ((st = num_mlp_forward(net, theta, X, n, mw, f)) != NUM_OK)
        goto done;
    double mm = INFINITY;
    for (size_t s = 0; s < n; s++)
        if (y[s] * f[s] < mm)
            mm = y[s] * f[s];
    *min_margin = mm;
    if (!(mm > 0.0)) {
        st = NUM_EINFEASIBLE; /* not a separating point */
        goto done;
    }
    num_hess_opts o = {.loss = NUM_HESS_EXP, .exp_shift = mm};
    if ((st = num_hessian_full(hw, theta, X, y, n, &o, p0, p1, H, NULL)) != NUM_OK)
        goto done;
    if ((st = num_linalg_eigh(m, H, evals, NULL)) != NUM_OK)
        goto done;
    num_spectrum_zeros z;
    if ((st = num_spectrum_zero_count(m, evals, c, &z)) != NUM_OK)
        goto done;
    out->nonzero = m - z.zeros;
    out->amax = z.abs_max;
    st = num_spectrum_distinct(m, evals, z.tol, true, &out->distinct);
done:
    num_mlp_work_free(mw);
    num_hessian_work_free(hw);
    free(H);
    free(f);
    return st;
}

/* Representable range of the one-layer Hessian (eq. (44)) as the norm scale a grows.
 * H = sum_n e_n g_n x_n x_n^T with e_n = exp(-y_n f_n + m_min) and, for an odd increasing
 * activation (tanh, erf: f'' = -2 t f' or -2 z f', so -y f'' = |f''| when y = sign f),
 * g_n = f'(z_n)^2 + |f''(z_n)| >= 0, z_n = a w_0^T x_n. The smallest-margin sample n* is the
 * one with the smallest |z_n| (the margin |f(z)| increases with |z|), e_{n*} = 1, and every
 * term is positive semidefinite, so lambda_max >= g(z_{n*}) |x_{n*}|^2. The zero tolerance
 * c P eps lambda_max is therefore a normal number (every eigenvalue counted as nonzero and
 * every term that can reach the tolerance is computed without gradual underflow) as long as
 * g(z_{n*}) >= DBL_MIN / (c P eps) and |x_{n*}| >= 1. With the accurate sech^2 of
 * numerics/mlp.c this allows |z_{n*}| up to ~340 for tanh (g ~ 8 e^{-2|z|}) and ~26 for erf
 * (g ~ 2.3 |z| e^{-z^2}); the former 1 - tanh^2 was exactly 0 beyond |z| = 19.1. */

/* Largest z >= 0 with g(sgn z) >= thr, g = f'^2 + |f''| (bisection on the monotone tail;
 * INFINITY if g stays above thr up to HESS_TAIL_ZMAX, e.g. smooth ReLU for z > 0). */
#define HESS_TAIL_ZMAX 1e6
static double act_tail_limit(num_act act, double eps, double sgn, double thr)
{
    double lo = 0.0, hi = HESS_TAIL_ZMAX, d1, d2;
    num_act_eval(act, eps, sgn * hi, NULL, &d1, &d2);
    if (d1 * d1 + fabs(d2) >= thr)
        return INFINITY;
    for (int it = 0; it < 200 && hi - lo > 1e-12 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        num_act_eval(act, eps, sgn * mid, NULL, &d1, &d2);
        if (d1 * d1 + fabs(d2) >= thr)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Largest scale a at which the one-layer Hessian is guaranteed representable (see above):
 * z_lim / |w_0^T x_{n*}|, n* = argmin_n |w_0^T x_n|. */
static double one_layer_scale_limit(const num_mlp *net, const double *w0, const double *X,
                                    size_t n, double c)
{
    size_t d = net->widths[0];
    double zmin = INFINITY, sgn = 1.0;
    for (size_t s = 0; s < n; s++) {
        double z = cblas_ddot((int)d, w0, 1, X + s * d, 1);
        if (fabs(z) < zmin) {
            zmin = fabs(z);
            sgn = z >= 0.0 ? 1.0 : -1.0;
        }
    }
    double thr = DBL_MIN / (c * (double)d * DBL_EPSILON);
    double zl = act_tail_limit(net->act, net->act_eps, sgn, thr);
    return zmin > 0.0 ? zl / zmin : INFINITY;
}

/* Models of C3. ONE: sigma(w^T x) = net d -> 1 -> 1 with W_2 = 1 fixed, Hessian block of W_1
 * only (eq. (44)); TWO: W_2 sigma(W_1 x) (eq. (45)); LIN: W_2 W_1 x (eq. (46)). Labels
 * y = sign f(theta_0; x), so theta_0 separates. Points of growing norm: ONE a w_0 (the margins
 * y sigma(a w_0^T x) grow with a); TWO, LIN (W_1, a W_2), so that f = a f_0 and every margin
 * grows linearly (the output layer only: for non-homogeneous sigma, scaling W_1 too could
 * change the signs of f). */
enum { HESS_ONE = 0, HESS_TWO, HESS_LIN, HESS_NMODELS };
static const char *const hess_model_name[HESS_NMODELS] = {"one_layer", "two_layer",
                                                       "linear_two_layer"};

static void exp_rank_run(tc_ctx *ctx, tc_result *res, bool linear)
{
    size_t n = (size_t)tc_param_int(ctx, "samples"), d = (size_t)tc_param_int(ctx, "inputs");
    size_t N1 = (size_t)tc_param_int(ctx, "hidden"), ns = 0;
    int act = linear ? NUM_ACT_LINEAR : num_act_parse(tc_param_choice(ctx, "activation"));
    const double *scales = tc_param_list(ctx, "scales", &ns);
    double c = tc_param_real(ctx, "tol_factor");
    int models[2], nm = 0;
    if (linear) {
        models[nm++] = HESS_LIN;
    } else {
        models[nm++] = HESS_ONE;
        models[nm++] = HESS_TWO;
    }
    size_t w1[3] = {d, 1, 1}, w2[3] = {d, N1, 1};
    num_mlp *nets[HESS_NMODELS] = {NULL, NULL, NULL};
    double *y[HESS_NMODELS] = {NULL, NULL, NULL}, *th0[HESS_NMODELS] = {NULL, NULL, NULL};
    double *X = malloc(n * d * sizeof *X), *th = NULL, *ev = NULL;
    gsl_rng *r = tc_rng_stream(ctx, 0);
    tc_series *sc = linear ? tc_series_new(res, "counts", 3,
                                           (const char *[]){"scale", "nonzero", "distinct"})
                           : tc_series_new(res, "counts", 3,
                                           (const char *[]){"scale", "one_layer", "two_layer"});
    size_t Pmax = 0;
    if (!X || !r)
        goto oom;
    num_rng_gaussian(r, 1.0, X, n * d);
    for (int i = 0; i < nm; i++) {
        int mdl = models[i];
        nets[mdl] = num_mlp_alloc(2, mdl == HESS_ONE ? w1 : w2, false, (num_act)act);
        if (!nets[mdl])
            goto oom;
        size_t P = nets[mdl]->nparams;
        Pmax = P > Pmax ? P : Pmax;
        th0[mdl] = malloc(P * sizeof *th0[mdl]);
        y[mdl] = malloc(n * sizeof *y[mdl]);
        num_mlp_work *mw = num_mlp_work_alloc(nets[mdl], n);
        if (!th0[mdl] || !y[mdl] || !mw) {
            num_mlp_work_free(mw);
            goto oom;
        }
        num_mlp_init_gaussian(nets[mdl], th0[mdl], r, NULL);
        if (mdl == HESS_ONE)
            th0[mdl][d] = 1.0;
        num_status st = num_mlp_forward(nets[mdl], th0[mdl], X, n, mw, y[mdl]);
        num_mlp_work_free(mw);
        if (st != NUM_OK) {
            tc_result_error(res, "forward pass failed: %s", num_strerror(st));
            goto done;
        }
        for (size_t s = 0; s < n; s++)
            y[mdl][s] = y[mdl][s] >= 0.0 ? 1.0 : -1.0;
    }
    th = malloc(Pmax * sizeof *th);
    ev = malloc(Pmax * sizeof *ev);
    if (!th || !ev)
        goto oom;
    double a_lim = INFINITY;
    if (!linear) {
        a_lim = one_layer_scale_limit(nets[HESS_ONE], th0[HESS_ONE], X, n, c);
        tc_metric_info_nan_ok(res, "scale_limit_one_layer", a_lim);
    }
    for (size_t is = 0; is < ns; is++) {
        double a = scales[is], row[3] = {a, 0.0, 0.0};
        for (int i = 0; i < nm; i++) {
            int mdl = models[i];
            const num_mlp *net = nets[mdl];
            size_t P = net->nparams, p1 = mdl == HESS_ONE ? d : P;
            memcpy(th, th0[mdl], P * sizeof *th);
            if (mdl == HESS_ONE)
                for (size_t q = 0; q < d; q++)
                    th[q] *= a;
            else
                for (size_t q = net->off_w[1]; q < P; q++)
                    th[q] *= a;
            if (mdl == HESS_ONE && !(a <= a_lim)) {
                tc_result_error(res, "one_layer at scale %g: beyond the double-precision limit "
                                "a <= %.4g (the smallest pre-activation's curvature f'^2 + "
                                "|f''| falls below DBL_MIN / (c P eps), so the Hessian "
                                "underflows): choose smaller scales", a, a_lim);
                goto done;
            }
            hess_count cnt;
            double mm = 0.0;
            num_status st = exp_counts(net, th, X, y[mdl], n, 0, p1, c, ev, &cnt, &mm);
            if (st != NUM_OK) {
                tc_result_error(res, "%s at scale %g: %s", hess_model_name[mdl], a,
                                num_strerror(st));
                goto done;
            }
            /* The tolerance c P eps lambda_max must be a normal number, else the counts
             * depend on gradual underflow (see one_layer_scale_limit). */
            if (!(c * (double)p1 * DBL_EPSILON * cnt.amax >= DBL_MIN)) {
                tc_result_error(res, "%s at scale %g: the Hessian underflows (lambda_max = %g, "
                                "saturated activation): choose smaller scales",
                                hess_model_name[mdl], a, cnt.amax);
                goto done;
            }
            char b[96];
            /* eq. (44): one layer, a sum of n outer products: at most n nonzero (and at most
             * n distinct nonzero) eigenvalues. eqs. (45)-(46): for two layers "this bound is
             * generically broken": more than n. */
            tc_op op = mdl == HESS_ONE ? TC_LE : TC_GT;
            snprintf(b, sizeof b, "nonzero_%s_s%zu", hess_model_name[mdl], is + 1);
            tc_metric(res, b, (double)cnt.nonzero, op, (double)n);
            snprintf(b, sizeof b, "distinct_%s_s%zu", hess_model_name[mdl], is + 1);
            tc_metric(res, b, (double)cnt.distinct, op, (double)n);
            snprintf(b, sizeof b, "min_margin_%s_s%zu", hess_model_name[mdl], is + 1);
            tc_metric_info(res, b, mm);
            if (is == 0) {
                snprintf(b, sizeof b, "params_%s", hess_model_name[mdl]);
                tc_metric_info(res, b, (double)p1);
            }
            if (linear) {
                row[1] = (double)cnt.nonzero;
                row[2] = (double)cnt.distinct;
            } else {
                row[1 + i] = (double)cnt.nonzero;
            }
            if (is == 0 && !linear)
                add_sorted_spectrum(res, mdl == HESS_ONE ? "spectrum_exp_one_layer"
                                                       : "spectrum_exp_two_layer", p1, ev);
            if (is + 1 == ns && linear)
                add_sorted_spectrum(res, "spectrum_exp_largest_scale", p1, ev);
        }
        if (sc)
            tc_series_add(sc, row);
    }
    tc_metric_info(res, "samples", (double)n);
    if (!linear) {
        /* Square loss at the same two-layer point (scale 1): targets Y = f(theta_0), a
         * zero-loss point by construction, so H = J^T J has at most n d' = n nonzero
         * eigenvalues (003 eq. (28), §12.3.1). */
        size_t P = nets[HESS_TWO]->nparams;
        double *Y = malloc(n * sizeof *Y);
        num_mlp_work *mw = num_mlp_work_alloc(nets[HESS_TWO], n);
        hess_point pt;
        num_status st = (Y && mw) ? num_mlp_forward(nets[HESS_TWO], th0[HESS_TWO], X, n, mw, Y)
                                  : NUM_ENOMEM;
        if (st == NUM_OK)
            st = analyse_square_point(nets[HESS_TWO], th0[HESS_TWO], X, Y, n, c, 0, &pt);
        free(Y);
        num_mlp_work_free(mw);
        if (st != NUM_OK) {
            tc_result_error(res, "square-loss Hessian failed: %s", num_strerror(st));
            goto done;
        }
        tc_metric(res, "nonzero_square_two_layer", (double)(P - pt.z.zeros), TC_LE, (double)n);
        add_sorted_spectrum(res, "spectrum_square_two_layer", P, pt.evals);
        point_free(&pt);
        add_vline(res, "boundary", "index", "abs_eig_rel", (double)n + 0.5, HESS_PLOT_FLOOR, 1.0);
        tc_plot *p = tc_plot_new(res, "spectrum", "Square vs exponential loss: sorted Hessian "
                                 "spectrum at the same separating point (scale 1)", "index i",
                                 "|lambda_i| / lambda_max", TC_PLOT_LOGY);
        tc_plot_curve(p, "spectrum_square_two_layer", "index", "abs_eig_rel", NULL,
                      "two layers, square loss (zero-loss point)", TC_STYLE_LINES);
        tc_plot_curve(p, "spectrum_exp_two_layer", "index", "abs_eig_rel", NULL,
                      "two layers, exponential loss", TC_STYLE_LINES);
        tc_plot_curve(p, "spectrum_exp_one_layer", "index", "abs_eig_rel", NULL,
                      "one layer f(w^T x), exponential loss", TC_STYLE_LINESPOINTS);
        char lab[96];
        snprintf(lab, sizeof lab, "boundary n = n d' = %zu", n);
        tc_plot_curve(p, "boundary", "index", "abs_eig_rel", NULL, lab, TC_STYLE_DASHED);
    } else {
        tc_plot *p = tc_plot_new(res, "spectrum", "Deep linear network, exponential loss: "
                                 "sorted spectrum at the largest scale", "index i",
                                 "|lambda_i| / lambda_max", TC_PLOT_LOGY);
        tc_plot_curve(p, "spectrum_exp_largest_scale", "index", "abs_eig_rel", NULL,
                      "W2 W1 x, exponential loss", TC_STYLE_LINESPOINTS);
    }
    tc_plot *pc = tc_plot_new(res, "counts", linear ? "Deep linear network: nonzero and "
                              "distinct Hessian eigenvalues against the norm scale"
                              : "Nonzero Hessian eigenvalues (exponential loss) against the "
                              "norm scale", "scale a", "eigenvalues", TC_PLOT_LOGX);
    if (linear) {
        tc_plot_curve(pc, "counts", "scale", "nonzero", NULL, "nonzero", TC_STYLE_LINESPOINTS);
        tc_plot_curve(pc, "counts", "scale", "distinct", NULL, "distinct nonzero",
                      TC_STYLE_LINESPOINTS);
    } else {
        tc_plot_curve(pc, "counts", "scale", "one_layer", NULL, "one layer f(w^T x)",
                      TC_STYLE_LINESPOINTS);
        tc_plot_curve(pc, "counts", "scale", "two_layer", NULL, "two layers W2 sigma(W1 x)",
                      TC_STYLE_LINESPOINTS);
    }
    tc_series *sn = tc_series_new(res, "n_line", 2, (const char *[]){"scale", "n"});
    if (sn && ns > 0) {
        double lo = scales[0], hi = scales[0];
        for (size_t is = 1; is < ns; is++) {
            lo = scales[is] < lo ? scales[is] : lo;
            hi = scales[is] > hi ? scales[is] : hi;
        }
        tc_series_row(sn, lo, (double)n);
        tc_series_row(sn, hi, (double)n);
    }
    tc_plot_curve(pc, "n_line", "scale", "n", NULL, "n (bound of eq. (44))", TC_STYLE_DASHED);
    tc_result_conclude(res);
    goto done;
oom:
    tc_result_error(res, "out of memory");
done:
    for (int mdl = 0; mdl < HESS_NMODELS; mdl++) {
        free(th0[mdl]);
        free(y[mdl]);
        num_mlp_free(nets[mdl]);
    }
    if (r)
        gsl_rng_free(r);
    free(X);
    free(th);
    free(ev);
}

static void run_exp_rank(tc_ctx *ctx, tc_result *res)
{
    exp_rank_run(ctx, res, false);
}

static void run_exp_rank_linear(tc_ctx *ctx, tc_result *res)
{
    exp_rank_run(ctx, res, true);
}

static const tc_param_spec exp_linear_params[] = {
    TC_P_INT("samples", "12", "24", 2, 1000, "n samples (labels +-1)"),
    TC_P_INT("inputs", "30", "60", 2, 1000, "d > n"),
    TC_P_INT("hidden", "10", "40", 1, 1000, "N_1 of W2 W1 x"),
    TC_P_LIST("scales", "1,4,16,64,256,1024", TC_SAME, 1e-3, 1e6,
              "norm scale a of the separating points (W1, a W2): margins a y f_0"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6,
              "c in the tolerance c*P*eps*lambda_max for zero and for distinct eigenvalues"),
    TC_P_END};

/* ---- descriptors ----------------------------------------------------------------------- */

static const tc_claim claim_degeneracy = {
    .id = "hessian_degeneracy",
    .family = "hessian",
    .title = "Degenerate Hessian at zero-loss points of overparametrised networks",
    .source = "003 §12.1 Theorem 4 (K. Takeuchi), eq. (28); Figure 3",
    .statement = "At a twice differentiable zero-loss point of L = 1/2 ||Y_hat - Y||_F^2 of an "
                 "H-hidden-layer network, if N_k N_{k-1} > n min(N_k, ..., N_{H+1}) for some k, "
                 "the Hessian has a zero eigenvalue; since there it equals the Gauss-Newton "
                 "matrix sum_n J_n^T J_n (eq. (28)), rank(H) = rank(J) <= n d' and at least "
                 "P - n d' eigenvalues vanish. Checked at points from least squares and from "
                 "plain GD finished by Levenberg-Marquardt.",
    .hypotheses = "Theorem 4's overparametrisation condition for the architecture; a zero-loss "
                  "point reached to the rounding floor; no biases",
    .expect = TC_EXPECT_HOLDS,
    .params = degeneracy_params,
    .data = TC_DATA_TARGETS,
    .run = run_degeneracy,
};

static const tc_claim claim_underparam = {
    .id = "hessian_degeneracy_underparam",
    .family = "hessian",
    .title = "Negative control: Theorem 4's condition violated (n d' > P)",
    .source = "003 §12.1 Theorem 4 (transplanted outside its hypothesis)",
    .statement = "At a zero-loss point of the square loss the Hessian has a zero eigenvalue, "
                 "for an architecture with N_k N_{k-1} <= n min(N_k..N_{H+1}) for every k "
                 "(teacher targets so that zero loss is attainable).",
    .hypotheses = "none of Theorem 4's conditions holds; smooth non-homogeneous activation "
                  "(no continuous symmetry)",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "tanh, widths 4,3, d = 3, n = 60 (quick): P = 27 < n d' = 60 and "
                      "rank(J) = P = 27, so H = J^T J is definite: zero_eigenvalues = 0; the "
                      "smallest eigenvalue is 1.2e-10 lambda_max, 3.3 decades above the "
                      "tolerance (1e-12 lambda_max); 0 zeros for every seed tried (1-10)",
    .params = underparam_params,
    .data = TC_DATA_NONE,
    .run = run_underparam,
};

static const tc_claim claim_symmetry = {
    .id = "hessian_symmetry_zeros",
    .family = "hessian",
    .title = "Zero eigenvalues left when Theorem 4 does not apply = continuous symmetries",
    .source = "003 eq. (1) (positive homogeneity) applied to §12.1 eq. (28)",
    .statement = "When n d' > P (Theorem 4's condition violated), the zero eigenvalues of the "
                 "Hessian at a zero-loss point are exactly the directions of the continuous "
                 "symmetry orbit: one per hidden unit for ReLU networks (rescaling "
                 "W_k[j,:] *= a, W_{k+1}[:,j] /= a), none for tanh; plus, for ReLU, the "
                 "data-dependent flat directions that the activation pattern implies "
                 "(N d - rank [D_1 X ... D_N X], zero for a non-degenerate pattern).",
    .hypotheses = "n d' > P; one hidden layer, one output, no biases; teacher targets; random "
                  "Gaussian teacher, redrawn (deterministically, at most 100 times, count "
                  "recorded) until every ReLU unit is active on more samples than its fan-in "
                  "and inactive on at least one",
    .expect = TC_EXPECT_HOLDS,
    .params = symmetry_params,
    .data = TC_DATA_NONE,
    .run = run_symmetry,
};

static const tc_claim claim_decay = {
    .id = "hessian_weight_decay",
    .family = "hessian",
    .title = "Weight decay makes the Hessian definite (at a zero-loss point)",
    .source = "003 §12.1 item 3, eq. (29)",
    .statement = "With lambda ||W_k||^2 added to the loss, the Hessian at a zero-loss point of "
                 "the unregularised loss is sum_n grad f_n grad f_n^T + 2 lambda I, definite "
                 "for any lambda > 0, with smallest eigenvalue >= 2 lambda (reading A: the point "
                 "of eq. (28), E_n = 0).",
    .hypotheses = "zero-loss point of the unregularised square loss; penalty lambda ||W_k||_F^2 "
                  "on every layer (Hessian 2 lambda I; the document's lambda_k I corresponds to "
                  "lambda/2 ||W_k||^2)",
    .expect = TC_EXPECT_HOLDS,
    .params = decay_params,
    .data = TC_DATA_NONE,
    .run = run_decay_zero_loss,
};

static const tc_claim claim_decay_min = {
    .id = "hessian_weight_decay_minimiser",
    .family = "hessian",
    .title = "Weight decay: smallest Hessian eigenvalue >= 2 lambda at the regularised minimiser",
    .source = "003 §12.1 item 3, eq. (29) (reading B)",
    .statement = "At a minimiser of L + lambda sum_k ||W_k||^2 the Hessian is definite for any "
                 "lambda > 0 with smallest eigenvalue >= 2 lambda.",
    .hypotheses = "local minimiser of the regularised square loss (damped Newton to "
                  "||grad|| <= 1e-4 * 2 lambda, positive semidefinite Hessian verified)",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "the Hessian is definite (min_eig > 0) but its smallest eigenvalue is "
                      "below 2 lambda: min_eig / (2 lambda) = 0.002-0.31 over 10 seeds and two "
                      "tanh architectures, constant in lambda from 1e-4 to 1e-8. At the "
                      "minimiser the residual E = O(lambda) does not vanish and the term "
                      "sum_n E_n grad^2 f_n of eq. (28), O(lambda) and indefinite, adds to "
                      "2 lambda I on the null space of J",
    .params = decay_params,
    .data = TC_DATA_NONE,
    .run = run_decay_minimiser,
};

static const tc_claim claim_exp = {
    .id = "hessian_exp_rank",
    .family = "hessian",
    .title = "Exponential loss: at most n nonzero eigenvalues for one layer, more for two",
    .source = "003 §12.3.2 eqs. (44)-(45)",
    .statement = "Under the exponential loss at a separating point, the Hessian of a one-layer "
                 "network f(w^T x) is a sum of n outer products and has at most n nonzero "
                 "(and distinct) eigenvalues (eq. (44)); for two layers W2 sigma(W1 x) "
                 "(eq. (45)) this bound is generically broken. Checked at separating points of "
                 "growing norm.",
    .hypotheses = "labels y = sign f(theta_0) (theta_0 separates); d > n; smooth activation",
    .expect = TC_EXPECT_HOLDS,
    .params = exp_params,
    .data = TC_DATA_NONE,
    .run = run_exp_rank,
};

static const tc_claim claim_exp_linear = {
    .id = "hessian_exp_rank_linear",
    .family = "hessian",
    .title = "Exponential loss, deep linear network: more than n distinct eigenvalues",
    .source = "003 §12.3.2 eq. (46)",
    .statement = "For a deep linear network W2 W1 x under the exponential loss the Hessian "
                 "(eq. (46)) cannot be written as a sum of outer products of n vectors and "
                 "generically has more than n distinct eigenvalues, at separating points of "
                 "growing norm (the regime of gradient descent).",
    .hypotheses = "labels y = sign f(theta_0); d > n; points (W1, a W2)",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "holds at moderate norm (a = 1..16: 31 distinct nonzero eigenvalues "
                      "> n = 12) but not as the norm grows: at a = 1024 only 3-5 distinct "
                      "nonzero eigenvalues remain (< n for every seed tried, 1-10; nonzero "
                      "count 20-21 > n). The normalised Hessian tends to that of the smallest-"
                      "margin sample, g g^T - y B, whose cross-layer block B has the singular "
                      "value |x| repeated N_1 times: 4 distinct nonzero eigenvalues",
    .params = exp_linear_params,
    .data = TC_DATA_NONE,
    .run = run_exp_rank_linear,
};

static const tc_claim *const claims[] = {
    &claim_degeneracy, &claim_underparam, &claim_symmetry,    &claim_decay,
    &claim_decay_min,  &claim_exp,        &claim_exp_linear, NULL};

const tc_family tc_family_hessian = {
    .name = "hessian",
    .title = "C. Hessian degeneracy (003 §12.1 Theorem 4, §12.3)",
    .doc = "docs/claims/hessian.md",
    .claims = claims,
};
