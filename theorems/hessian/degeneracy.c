/* theorems/hessian/degeneracy.c — C1 hessian_degeneracy: 003 §12.1 Theorem 4 (K. Takeuchi),
 * eq. (28). At zero-loss points of overparametrised networks (least squares output layer, or
 * plain GD finished by Levenberg–Marquardt) the Hessian of the square loss has at least
 * P - n d' zero eigenvalues, equals the Gauss–Newton matrix, and the W_k columns of the
 * Jacobian of the condition layer have a null vector. */
#include "theorems/hessian/hessian.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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

typedef struct {
    hess_arch archs[HESS_MAX_ARCH];
    size_t na;
    num_act act;
    double c;
    size_t gd_iters, lm_iters;
} degen_params;

/* One architecture: widths, the condition layer and the network. */
typedef struct {
    size_t ia, K, ck;
    size_t widths[HESS_MAX_DEPTH + 2];
    const num_mlp *net;
    num_mlp_work *mw;
    double *theta;
} degen_arch;

/* Everything measured at one zero-loss point. */
typedef struct {
    int method; /* 0 = random hidden layers + least squares output, 1 = GD + LM */
    double gd_loss, gd_lr, res_max, res_tol;
    size_t lm_steps;
    num_hessian_point pt;
    double *evals;
} degen_point;

/* ---- measure --------------------------------------------------------------------------- */

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

/* The zero-loss point of `method` from its own stream (1 + 2 ia + method) and its Hessian
 * analysis. Returns false if least squares does not apply (the last hidden representation
 * cannot interpolate: GD + LM only); a failure ends the run with `error`. */
static bool measure_point(tc_ctx *ctx, const degen_params *p, const hess_data *D,
                          const degen_arch *A, int method, degen_point *out)
{
    size_t n = D->n, rank = 0;
    num_mlp_init_gaussian(A->net, A->theta, tc_stream(ctx, 1 + 2 * A->ia + (uint64_t)method),
                          NULL);
    num_status st = NUM_OK;
    *out = (degen_point){.method = method, .gd_loss = NAN, .gd_lr = NAN};
    if (method == 0) {
        if (A->widths[A->K - 1] < n)
            return false;
        st = num_zeroloss_lstsq_output(A->net, A->theta, D->X, D->Y, n, A->mw, &rank);
        if (st == NUM_OK && rank < n)
            return false;
    } else {
        num_zeroloss_path path = {.gd_loss = NAN, .gd_lr = NAN};
        st = num_zeroloss_gd_lm(A->net, A->theta, D->X, D->Y, n, p->gd_iters, p->lm_iters,
                                A->mw, &path);
        out->gd_loss = path.gd_loss;
        out->gd_lr = path.gd_lr;
        out->lm_steps = path.lm_steps;
    }
    /* Convergence gate (issue #12): the decisive point must be a zero-loss point to the
     * rounding floor num_zeroloss_tol (derived in hessian.md, "zero-loss residual"). */
    out->res_tol = num_zeroloss_tol(A->net, A->theta, D->X, D->Y, n, A->mw, &out->res_max);
    if (st == NUM_ENOCONV || (st == NUM_OK && !(out->res_max <= out->res_tol)))
        tc_fail(ctx, "inconclusive: not converged after %zu GD steps and %zu LM steps "
                "(architecture %zu, %s): residual %.3g above the rounding floor %.3g",
                method ? p->gd_iters : 0, method ? p->lm_iters : 0, A->ia + 1,
                method ? "GD + Levenberg-Marquardt" : "least squares", out->res_max,
                out->res_tol);
    if (st != NUM_OK)
        tc_fail(ctx, "architecture %zu (%s): zero-loss point not reached: %s", A->ia + 1,
                method ? "GD + Levenberg-Marquardt" : "least squares", num_strerror(st));
    st = hess_square_point(ctx, A->net, A->theta, D->X, D->Y, n, p->c, A->ck, &out->pt,
                           &out->evals);
    if (st != NUM_OK)
        tc_fail(ctx, "architecture %zu: Hessian analysis failed: %s", A->ia + 1,
                num_strerror(st));
    return true;
}

/* ---- judge ----------------------------------------------------------------------------- */

/* The metrics of one analysed point; suffix "" for the primary point. */
static void judge_point(tc_result *res, const char *sfx, const degen_point *dp, size_t n)
{
    char b[96];
    const num_hessian_point *pt = &dp->pt;
    size_t P = pt->P, m = pt->m, rank_H = P - pt->z.zeros;
    size_t predicted = P > m ? P - m : 0;
    tc_metric_info(res, hess_metric_name(b, sizeof b, "params", sfx), (double)P);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "n_times_outputs", sfx), (double)m);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "residual_max", sfx), dp->res_max);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "residual_tol", sfx), dp->res_tol);
    /* 003 Theorem 4: a zero eigenvalue exists; with eq. (28), rank(H) = rank(J) <= n d' and so
     * at least P - n d' eigenvalues vanish. */
    tc_metric(res, hess_metric_name(b, sizeof b, "zero_eigenvalues", sfx), (double)pt->z.zeros,
              TC_GE, (double)(predicted > 1 ? predicted : 1));
    tc_metric(res, hess_metric_name(b, sizeof b, "rank_jacobian", sfx), (double)pt->rank_J,
              TC_LE, (double)m);
    tc_metric(res, hess_metric_name(b, sizeof b, "rank_hessian", sfx), (double)rank_H, TC_EQ,
              (double)pt->rank_J);
    /* The count does not depend on the tolerance: gap and margin (HESS_GAP_MIN_DECADES,
     * HESS_STABLE_MIN_DECADES in hessian.h). */
    if (pt->z.zeros > 0 && pt->z.zeros < P) {
        tc_metric(res, hess_metric_name(b, sizeof b, "spectral_gap_decades", sfx),
                  pt->z.gap_decades, TC_GE, HESS_GAP_MIN_DECADES);
        tc_metric(res, hess_metric_name(b, sizeof b, "count_stable_decades", sfx),
                  pt->z.stable_decades, TC_GE, HESS_STABLE_MIN_DECADES);
    }
    tc_metric_info(res, hess_metric_name(b, sizeof b, "zero_count_largest_gap", sfx),
                   (double)pt->lg_zeros);
    /* eq. (28): at E_n = 0 the Hessian is the Gauss–Newton matrix. Each entry of both is a sum
     * over n samples of chains of products through P parameters: rounding differences stay
     * below n P eps (relative to max |J^T J|); the residual term sum_n E_n grad^2 f_n is of
     * the order of the residual (~1e-15) times the second derivatives. */
    tc_metric(res, hess_metric_name(b, sizeof b, "gauss_newton_rel_diff", sfx), pt->gn_rel,
              TC_LE, (double)n * (double)P * DBL_EPSILON);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "lambda_max", sfx), pt->z.abs_max);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "zero_tol", sfx), pt->z.tol);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "largest_zero_eig", sfx), pt->z.zero_max);
    tc_metric_info_nan_ok(res, hess_metric_name(b, sizeof b, "smallest_nonzero_eig", sfx),
                          pt->z.nonzero_min);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "negative_eigenvalues", sfx),
                   (double)pt->z.negative);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "assembly_asymmetry", sfx), pt->asym);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "memory_mib", sfx), pt->mem_mib);
}

/* The metrics of the method and the mechanism of the proof at the condition layer. */
static void judge_method(tc_result *res, const char *sfx, const degen_point *dp,
                         const degen_arch *A)
{
    char b[96];
    tc_metric_info(res, hess_metric_name(b, sizeof b, "method", sfx), (double)dp->method);
    if (dp->method == 1) {
        tc_metric_info(res, hess_metric_name(b, sizeof b, "gd_loss", sfx), dp->gd_loss);
        tc_metric_info(res, hess_metric_name(b, sizeof b, "gd_step", sfx), dp->gd_lr);
        tc_metric_info(res, hess_metric_name(b, sizeof b, "lm_steps", sfx),
                       (double)dp->lm_steps);
    }
    /* The mechanism of the proof: the W_k columns of J have rank at most
     * n min(N_k..N_{H+1}) < N_k N_{k-1}, so they have a null vector. */
    size_t cols = A->widths[A->ck] * A->widths[A->ck - 1];
    tc_metric(res, hess_metric_name(b, sizeof b, "layer_nullity", sfx),
              (double)(cols - dp->pt.block_rank), TC_GE, 1.0);
}

/* ---- figure ---------------------------------------------------------------------------- */

typedef struct {
    tc_plot *spectrum, *sweep;
} degen_plots;

static degen_plots figure_begin(tc_result *res, size_t m)
{
    degen_plots F;
    F.spectrum = tc_plot_new(res, "spectrum", "Hessian spectrum at zero-loss points (square loss)",
                             "index i (eigenvalues sorted by modulus)", "|lambda_i| / lambda_max",
                             TC_PLOT_LOGY);
    F.sweep = tc_plot_new(res, "tolerance_sweep", "Zero-eigenvalue count against the tolerance",
                          "tolerance / lambda_max", "eigenvalues with |lambda| <= tol",
                          TC_PLOT_LOGX);
    hess_add_vline(res, "boundary", "index", "abs_eig_rel", (double)m + 0.5, HESS_PLOT_FLOOR,
                   1.0);
    char lbl[160];
    snprintf(lbl, sizeof lbl, "boundary n d' = %zu (predicted zeros beyond)", m);
    tc_plot_curve(F.spectrum, "boundary", "index", "abs_eig_rel", NULL, lbl, TC_STYLE_DASHED);
    return F;
}

/* The spectrum and the tolerance sweep of an architecture's primary point. */
static void figure_point(tc_ctx *ctx, tc_result *res, const degen_plots *F, size_t ia,
                         const degen_point *dp)
{
    const num_hessian_point *pt = &dp->pt;
    char sname[48], lab[160];
    snprintf(sname, sizeof sname, "spectrum_a%zu", ia + 1);
    hess_add_sorted_spectrum(ctx, res, sname, pt->P, dp->evals);
    snprintf(lab, sizeof lab, "arch %zu: P = %zu, %zu zero eigenvalues", ia + 1, pt->P,
             pt->z.zeros);
    tc_plot_curve(F->spectrum, sname, "index", "abs_eig_rel", NULL, lab, TC_STYLE_LINES);
    snprintf(sname, sizeof sname, "sweep_a%zu", ia + 1);
    hess_add_tolerance_sweep(res, sname, pt->P, dp->evals, pt->z.abs_max);
    snprintf(lab, sizeof lab, "arch %zu (P - n d' = %zu)", ia + 1, pt->P > pt->m ? pt->P - pt->m : 0);
    tc_plot_curve(F->sweep, sname, "tol_rel", "zero_count", NULL, lab, TC_STYLE_LINESPOINTS);
}

/* ---- run ------------------------------------------------------------------------------- */

/* Architecture ia: its condition layer; if Theorem 4 applies, every method's point. Returns
 * the number of points analysed. */
static size_t run_arch(tc_ctx *ctx, tc_result *res, const degen_params *p, const hess_data *D,
                       const degen_plots *F, size_t ia)
{
    degen_arch A = {.ia = ia};
    size_t bound = 0, analysed = 0;
    A.K = hess_arch_widths(&p->archs[ia], D->d, D->dout, A.widths);
    char asfx[32], b[96];
    if (ia == 0)
        asfx[0] = '\0';
    else
        snprintf(asfx, sizeof asfx, "_a%zu", ia + 1);
    A.ck = hess_theorem4_condition(A.widths, A.K, D->n, &bound);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "condition_layer", asfx), (double)A.ck);
    if (A.ck == 0) /* Theorem 4 does not apply: not analysed here (see the negative control) */
        return 0;
    A.net = hess_net(ctx, A.K, A.widths, p->act);
    A.mw = hess_mlp_work(ctx, A.net, D->n);
    A.theta = TC_NEW(ctx, double, A.net->nparams);
    tc_metric_info(res, hess_metric_name(b, sizeof b, "layer_rank_bound", asfx), (double)bound);
    /* The first method that applies gives the primary point. */
    for (int method = 0; method < 2; method++) {
        degen_point dp;
        if (!measure_point(ctx, p, D, &A, method, &dp))
            continue;
        char sfx[48];
        snprintf(sfx, sizeof sfx, "%s%s", asfx, analysed ? "_gd" : "");
        judge_point(res, sfx, &dp, D->n);
        judge_method(res, sfx, &dp, &A);
        if (analysed == 0)
            figure_point(ctx, res, F, ia, &dp);
        analysed++;
    }
    return analysed;
}

static void run_degeneracy(tc_ctx *ctx, tc_result *res)
{
    degen_params p;
    size_t nlist = 0;
    const double *wl = tc_param_list(ctx, "widths", &nlist);
    size_t n_syn = (size_t)tc_param_int(ctx, "samples");
    size_t d_syn = (size_t)tc_param_int(ctx, "inputs");
    size_t dout_syn = (size_t)tc_param_int(ctx, "outputs");
    (void)tc_param_int(ctx, "targets"); /* read by the harness to split --data columns */
    p.act = (num_act)num_act_parse(tc_param_choice(ctx, "activation"));
    p.c = tc_param_real(ctx, "tol_factor");
    p.gd_iters = (size_t)tc_param_int(ctx, "gd_iters");
    p.lm_iters = (size_t)tc_param_int(ctx, "lm_iters");
    p.na = hess_parse_archs(wl, nlist, p.archs);
    if (p.na == 0) {
        tc_result_skip(res, "no architecture in widths (0 only separates architectures)");
        return;
    }
    hess_data D;
    hess_load_data(ctx, n_syn, d_syn, dout_syn, 0, &D);
    if (has_conflicting_duplicates(D.X, D.Y, D.n, D.d, D.dout)) {
        tc_result_skip(res, "data cannot be interpolated: two equal inputs have different "
                            "targets (Theorem 4 needs a zero-loss point)");
        return;
    }
    degen_plots F = figure_begin(res, D.n * D.dout);
    size_t analysed = 0;
    for (size_t ia = 0; ia < p.na; ia++)
        analysed += run_arch(ctx, res, &p, &D, &F, ia);
    if (analysed == 0) {
        tc_result_skip(res, "no architecture satisfies Theorem 4's condition "
                            "N_k N_{k-1} > n min(N_k..N_{H+1}) for n = %zu", D.n);
        return;
    }
    tc_result_conclude(res);
}

const tc_claim hess_claim_degeneracy = {
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
    .hypothesis = hess_theorem4_hypothesis,
};
