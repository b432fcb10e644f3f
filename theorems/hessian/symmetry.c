/* theorems/hessian/symmetry.c — outside Theorem 4's hypothesis (n d' > P):
 *   hessian_degeneracy_underparam  the negative control of C1: a tanh network at a teacher
 *                                  zero-loss point has a definite Hessian;
 *   hessian_symmetry_zeros         the zeros that remain are the continuous symmetries (ReLU:
 *                                  one rescaling per hidden unit, 003 eq. (1)) plus the
 *                                  nullity that the activation pattern implies.
 * Both measure the same thing, a teacher zero-loss point (Y = f(theta*; X)) and its Hessian. */
#include "theorems/hessian/hessian.h"

#include <stdio.h>

#include "numerics/mlp_quad.h"
#include "numerics/rng.h"

/* Teacher redraws allowed until the ReLU units are generic (probability of a bad draw is
 * well below 1/2 for the default sizes, so 100 redraws fail with probability < 2^-100). */
#define HESS_TEACHER_DRAWS 100

/* The parameters of both claims. */
typedef struct {
    size_t n, d, dout, K;
    size_t widths[HESS_MAX_DEPTH + 2];
    double c;
} sym_params;

/* What a teacher point gives. */
typedef struct {
    num_hessian_point pt;
    double *evals; /* P, ascending */
    size_t sym;    /* dimension of the continuous symmetry */
    size_t draws;  /* teachers drawn (1 + the redraws of non-generic ReLU teachers) */
    size_t pnull;  /* pattern nullity (ReLU, one hidden layer, one output; else 0) */
    const num_mlp *net; /* the teacher point itself, for a binary128 recount */
    const double *theta, *X;
    size_t n;
    num_quad_count quad; /* the binary128 recount (quad_done) */
    int quad_done;
} sym_point;

/* ---- measure --------------------------------------------------------------------------- */

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

/* Teacher and data from the stream, redrawn (deterministically) until the ReLU units are
 * generic (num_hessian_relu_generic); Y = f(theta*; X), so the residual is exactly 0. */
static num_status draw_teacher(gsl_rng *r, const num_mlp *net, num_mlp_work *mw, size_t n,
                               double *theta, double *X, double *Y, size_t *draws)
{
    size_t d = net->widths[0];
    num_status st = NUM_OK;
    for (int draw = 0; draw < HESS_TEACHER_DRAWS; draw++) {
        num_mlp_init_gaussian(net, theta, r, NULL);
        num_rng_gaussian(r, 1.0, X, n * d);
        *draws = (size_t)draw + 1;
        st = num_mlp_forward(net, theta, X, n, mw, Y); /* residual exactly 0 */
        bool generic = false;
        if (st != NUM_OK || net->act != NUM_ACT_RELU)
            break;
        if ((st = num_hessian_relu_generic(net, mw, n, &generic)) != NUM_OK || generic)
            break;
        st = NUM_ENOCONV;
    }
    return st;
}

/* Zero-loss point with realisable targets: a teacher of the same architecture on the claim's
 * stream `stream`; the pattern nullity when wanted (ReLU, one hidden layer, one output). */
static num_status measure_teacher(tc_ctx *ctx, uint64_t stream, num_act act,
                                  const sym_params *p, bool want_pnull, sym_point *out)
{
    const num_mlp *net = hess_net(ctx, p->K, p->widths, act);
    size_t n = p->n, dout = p->widths[p->K];
    num_mlp_work *mw = hess_mlp_work(ctx, net, n);
    double *theta = TC_NEW(ctx, double, net->nparams), *X = TC_NEW(ctx, double, n * p->d);
    double *Y = TC_NEW(ctx, double, n * dout);
    out->draws = 0;
    out->pnull = 0;
    num_status st = draw_teacher(tc_stream(ctx, stream), net, mw, n, theta, X, Y, &out->draws);
    if (st == NUM_OK && want_pnull && act == NUM_ACT_RELU && p->K == 2 && dout == 1)
        st = num_hessian_relu_pattern_nullity(net, mw, X, n, p->c, &out->pnull);
    if (st == NUM_OK)
        st = hess_square_point(ctx, net, theta, X, Y, n, p->c, 0, &out->pt, &out->evals);
    out->sym = symmetry_dimension(act, p->widths, p->K);
    out->net = net;
    out->theta = theta;
    out->X = X;
    out->n = n;
    return st;
}

/* Reads the parameters shared by both claims; false after a skip (one architecture). */
static bool read_params(tc_ctx *ctx, tc_result *res, bool with_act, num_act *act,
                        sym_params *p)
{
    size_t nlist = 0;
    const double *wl = tc_param_list(ctx, "widths", &nlist);
    p->n = (size_t)tc_param_int(ctx, "samples");
    p->d = (size_t)tc_param_int(ctx, "inputs");
    p->dout = (size_t)tc_param_int(ctx, "outputs");
    if (with_act)
        *act = (num_act)num_act_parse(tc_param_choice(ctx, "activation"));
    p->c = tc_param_real(ctx, "tol_factor");
    hess_arch a;
    if (hess_parse_archs(wl, nlist, &a) != 1) {
        tc_result_skip(res, "widths must describe one architecture");
        return false;
    }
    p->K = hess_arch_widths(&a, p->d, p->dout, p->widths);
    return true;
}

/* Parameters of the architecture (without biases; the activation does not matter). */
static size_t count_params(tc_ctx *ctx, const sym_params *p)
{
    return hess_net(ctx, p->K, p->widths, NUM_ACT_TANH)->nparams;
}

/* ---- hessian_degeneracy_underparam --------------------------------------------------- */

static const tc_param_spec underparam_params[] = {
    TC_P_LIST("widths", "4,3", TC_SAME, 1, 4096, "hidden widths N_1..N_H"),
    TC_P_INT("samples", "60", "200", 2, 10000, "n samples (n d' > P)"),
    TC_P_INT("inputs", "3", TC_SAME, 1, 1000, "d, input dimension"),
    TC_P_INT("outputs", "1", TC_SAME, 1, 64, "d', outputs"),
    TC_P_CHOICE("activation", "tanh", TC_SAME, "tanh|relu|erf|softplus|sigmoid|smooth_relu",
              "hidden activation"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6, "c in the zero tolerance c*P*eps*lambda_max"),
    TC_P_END};

static void judge_underparam(tc_result *res, const sym_point *t)
{
    tc_metric_info(res, "params", (double)t->pt.P);
    tc_metric_info(res, "n_times_outputs", (double)t->pt.m);
    tc_metric_info(res, "rank_jacobian", (double)t->pt.rank_J);
    tc_metric_info(res, "symmetry_dimension", (double)t->sym);
    tc_metric_info(res, "lambda_max", t->pt.z.abs_max);
    tc_metric_info_nan_ok(res, "smallest_nonzero_eig", t->pt.z.nonzero_min);
    tc_metric_info_nan_ok(res, "count_stable_decades", t->pt.z.stable_decades);
    /* A count is decided only where it does not move with the tolerance (issue #12, the
     * resolution rule; HESS_STABLE_MIN_DECADES as for hessian_degeneracy): at some teacher
     * draws the smallest eigenvalues sit within a decade of c P eps lambda_max. There the
     * count is redone in binary128 (the Hessian at this zero-loss point is J^T J). */
    if (t->pt.z.stable_decades >= HESS_STABLE_MIN_DECADES) {
        /* The transplanted conclusion of Theorem 4: a zero eigenvalue exists. */
        tc_metric(res, "zero_eigenvalues", (double)t->pt.z.zeros, TC_GE, 1.0);
        return;
    }
    if (t->quad_done && t->quad.nonzero_stable >= HESS_STABLE_MIN_DECADES &&
        t->quad.nonzero_floor == t->quad.nonzero) {
        tc_metric_info(res, "count_stable_decades_binary128", t->quad.nonzero_stable);
        tc_metric(res, "zero_eigenvalues", (double)(t->pt.P - t->quad.nonzero), TC_GE, 1.0);
        return;
    }
    tc_result_error(res, "inconclusive: no gap at this precision: the zero count %zu moves "
                    "with the tolerance within %.2g decades (needs %.0f); smallest nonzero "
                    "eigenvalue %.3g of lambda_max %.3g%s", t->pt.z.zeros,
                    t->pt.z.stable_decades, HESS_STABLE_MIN_DECADES, t->pt.z.nonzero_min,
                    t->pt.z.abs_max, t->quad_done ? "; unresolved in binary128 too"
                                                  : " (no binary128 recount for this activation)");
}

/* The zero count of J^T J in binary128 at the teacher point (numerics/mlp_quad.h), at the
 * claim's tolerance factor; quad_done stays 0 where the activation has no binary128 form. */
static void recount_quad(tc_ctx *ctx, sym_point *t, double c)
{
    num_quad *ev = TC_NEW(ctx, num_quad, t->pt.P);
    num_status st = num_mlp_gram_eigs_quad(t->net, t->theta, t->X, t->n, ev);
    if (st == NUM_EINVAL)
        return;
    tc_check(ctx, st, "binary128 spectrum of J^T J");
    tc_check(ctx, num_quad_counts(t->pt.P, ev, c, &t->quad), "binary128 counts");
    t->quad_done = 1;
}

static void figure_underparam(tc_ctx *ctx, tc_result *res, const sym_point *t)
{
    hess_add_sorted_spectrum(ctx, res, "spectrum", t->pt.P, t->evals);
    tc_plot *p = tc_plot_new(res, "spectrum", "Hessian spectrum, Theorem 4's condition violated",
                             "index i", "|lambda_i| / lambda_max", TC_PLOT_LOGY);
    tc_plot_curve(p, "spectrum", "index", "abs_eig_rel", NULL, "teacher zero-loss point",
                  TC_STYLE_LINESPOINTS);
}

static void run_underparam(tc_ctx *ctx, tc_result *res)
{
    sym_params p;
    num_act act = NUM_ACT_TANH;
    if (!read_params(ctx, res, true, &act, &p))
        return;
    if (hess_theorem4_condition(p.widths, p.K, p.n, NULL) != 0) {
        tc_result_skip(res, "Theorem 4's condition holds for these widths: not a negative "
                            "control (use hessian_degeneracy)");
        return;
    }
    size_t P = count_params(ctx, &p);
    if (P >= p.n * p.dout) {
        tc_result_skip(res, "P = %zu >= n d' = %zu: zero eigenvalues are forced by counting "
                            "(rank J <= n d') even though Theorem 4's condition fails; the "
                            "negative control needs n d' > P", P, p.n * p.dout);
        return;
    }
    sym_point t = {0};
    num_status st = measure_teacher(ctx, 0, act, &p, false, &t);
    if (st != NUM_OK)
        tc_fail(ctx, "Hessian analysis failed: %s", num_strerror(st));
    if (!(t.pt.z.stable_decades >= HESS_STABLE_MIN_DECADES))
        recount_quad(ctx, &t, p.c);
    judge_underparam(res, &t);
    figure_underparam(ctx, res, &t);
    tc_result_conclude(res);
}

const tc_claim hess_claim_underparam = {
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
    .hypothesis = hess_theorem4_hypothesis,
};

/* ---- hessian_symmetry_zeros ------------------------------------------------------------ */

static const tc_param_spec symmetry_params[] = {
    TC_P_LIST("widths", "5", TC_SAME, 1, 4096,
              "hidden widths N_1..N_H (one hidden layer: see docs/claims/hessian.md for deeper nets)"),
    TC_P_INT("samples", "60", "200", 2, 10000, "n samples (n d' > P)"),
    TC_P_INT("inputs", "3", TC_SAME, 1, 1000, "d, input dimension"),
    TC_P_INT("outputs", "1", TC_SAME, 1, 64, "d', outputs"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6, "c in the zero tolerance c*P*eps*lambda_max"),
    TC_P_END};

static void judge_symmetry(tc_result *res, const char *name, bool relu, const sym_point *t)
{
    char b[64];
    snprintf(b, sizeof b, "symmetry_dimension_%s", name);
    tc_metric_info(res, b, (double)t->sym);
    snprintf(b, sizeof b, "rank_jacobian_%s", name);
    tc_metric_info(res, b, (double)t->pt.rank_J);
    snprintf(b, sizeof b, "teacher_draws_%s", name);
    tc_metric_info(res, b, (double)t->draws);
    if (relu) {
        /* Data-dependent flat directions implied by the activation pattern (computed from
         * the pattern and X, not from the Hessian; num_hessian_relu_pattern_nullity). */
        snprintf(b, sizeof b, "pattern_nullity_%s", name);
        tc_metric_info(res, b, (double)t->pnull);
    }
    /* zero eigenvalues = dimension of the continuous symmetry orbit through the point plus
     * the pattern nullity (0 for tanh, and for ReLU at a non-degenerate pattern):
     * P - rank J = N + (N d - rank C) exactly (num_hessian_relu_pattern_nullity). */
    snprintf(b, sizeof b, "zero_eigenvalues_%s", name);
    tc_metric(res, b, (double)t->pt.z.zeros, TC_EQ, (double)(t->sym + t->pnull));
    if (t->pt.z.zeros > 0 && t->pt.z.zeros < t->pt.P) {
        snprintf(b, sizeof b, "spectral_gap_decades_%s", name);
        tc_metric(res, b, t->pt.z.gap_decades, TC_GE, HESS_GAP_MIN_DECADES);
    }
    snprintf(b, sizeof b, "count_stable_decades_%s", name);
    tc_metric(res, b, t->pt.z.stable_decades, TC_GE, HESS_STABLE_MIN_DECADES);
}

static void run_symmetry(tc_ctx *ctx, tc_result *res)
{
    sym_params p;
    if (!read_params(ctx, res, false, NULL, &p))
        return;
    if (p.K != 2 || p.dout != 1) {
        tc_result_skip(res, "the zero count is predicted exactly (rescalings + the nullity "
                            "that the activation pattern implies) for one hidden layer and one "
                            "output only; deeper ReLU networks have data-dependent hidden "
                            "symmetries (docs/claims/hessian.md)");
        return;
    }
    size_t P = count_params(ctx, &p);
    if (P >= p.n * p.dout) {
        tc_result_skip(res, "P = %zu >= n d' = %zu: the counting bound already forces zero "
                            "eigenvalues; the symmetry count needs n d' > P", P, p.n * p.dout);
        return;
    }
    const num_act acts[2] = {NUM_ACT_RELU, NUM_ACT_TANH};
    const char *names[2] = {"relu", "tanh"};
    for (int i = 0; i < 2; i++) {
        sym_point t;
        num_status st = measure_teacher(ctx, (uint64_t)i, acts[i], &p, true, &t);
        if (st != NUM_OK)
            tc_fail(ctx, "%s: Hessian analysis failed: %s", names[i], num_strerror(st));
        judge_symmetry(res, names[i], acts[i] == NUM_ACT_RELU, &t);
        if (i == 0)
            tc_metric_info(res, "params", (double)t.pt.P);
    }
    tc_result_conclude(res);
}

const tc_claim hess_claim_symmetry = {
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
