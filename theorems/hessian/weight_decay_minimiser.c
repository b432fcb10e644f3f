/* theorems/hessian/weight_decay_minimiser.c — C2 at a minimiser w_lambda of
 * L + lambda sum_k ||W_k||^2 (003 §12.1 item 3, eq. (29), "at this new finite equilibrium the
 * Hessian is now positive definite for any lambda > 0", §12.2 item 4), found by damped Newton
 * from the zero-loss point with continuation from the largest lambda down. Two readings:
 *   hessian_weight_decay_minimiser         the document's: the Hessian is positive definite
 *   hessian_weight_decay_minimiser_2lambda  the catalogue's strengthening: lambda_min >= 2 lambda
 * At w_lambda, H_reg = J^T J + sum_n E_n grad^2 f_n + 2 lambda I with residuals E = O(lambda)
 * that no longer vanish (J^T E = -2 lambda w): on null(J) the middle term is O(lambda) and
 * indefinite, so lambda_min / (2 lambda) tends to a constant that need not be >= 1, while
 * definiteness holds at every strict local minimiser.
 *
 * Convergence gate (issue #12): the decisive quantity is lambda_min(H_reg) at the exact
 * minimiser. Newton must reach ||grad|| <= HESS_NEWTON_GTOL_REL * 2 lambda within `newton_iters`
 * iterations, else `error` ("inconclusive: not converged ..."). Then one undamped Newton step
 * delta = -H^{-1} grad is taken from the stopping point and lambda_min recomputed there: near a
 * nondegenerate minimiser Newton converges quadratically, so the remaining distance to w_lambda
 * after that step is below the step itself and, lambda_min being Lipschitz in theta,
 * |lambda_min(stop) - lambda_min(w_lambda)| <= |Delta| + |Delta| = 2 |Delta|, with Delta the
 * change of lambda_min over the step. Every comparison uses the uncertainty
 * u = c P eps lambda_max (eigenvalue accuracy) + 2 |Delta|; a comparison whose threshold lies
 * within u of the measured value is `error` ("inconclusive: ...", not resolved). */
#include "theorems/hessian/hessian.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numerics/linalg.h"

/* Which reading of eq. (29) a descriptor checks. */
typedef struct {
    bool two_lambda; /* lambda_min >= 2 lambda (else: lambda_min > 0, the document's) */
} min_config;

static const min_config min_config_definite = {.two_lambda = false};
static const min_config min_config_2lambda = {.two_lambda = true};

/* The parameters of reading A plus the Newton budget of the convergence gate. */
static const tc_param_spec min_params[] = {
    TC_P_LIST("widths", "16,0,8,8", "64,0,24,24", 0, 4096,
              "hidden widths of each architecture; 0 separates architectures"),
    TC_P_INT("samples", "10", "30", 2, 1000, "n samples"),
    TC_P_INT("inputs", "5", "8", 1, 1000, "d, input dimension"),
    TC_P_CHOICE("activation", "tanh", TC_SAME, "tanh|relu|erf|softplus|sigmoid|smooth_relu|linear",
              "hidden activation"),
    /* Without 1e-8: there lambda_min ~ 0.004..0.4 x 2 lambda ~ 1e-10 sits at the eigenvalue
     * accuracy c P eps lambda_max (1.3e-10 at the full profile's P = 576) plus the Newton step's
     * change, so definiteness is not resolved in double precision at every seed (seed 14 of
     * the quick profile: uncertainty 1.67 x 2 lambda — error, as it should be; a default must
     * decide at every seed). */
    TC_P_LIST("lambdas", "1e-2,1e-4,1e-6", TC_SAME, 1e-12, 1e3,
              "weight decay coefficients lambda (the same on every layer), penalty "
              "lambda ||W_k||^2"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6,
              "c in the eigenvalue accuracy c*P*eps*lambda_max"),
    TC_P_INT("newton_iters", "500", TC_SAME, 1, 100000,
             "damped-Newton iterations per lambda before the run is inconclusive"),
    TC_P_END};

/* Saddle escape. Damped Newton stops on a gradient test, so it can stop at a saddle of the
 * regularised loss (a stationary point with lambda_min < 0), and which stationary point it
 * reaches depends on rounding (seen for 1 seed in 60 once the activation derivatives changed
 * in the last bits). num_hessian_saddle_step takes the largest of the signed steps
 * a = 1, 1/2, 1/4, ... (at most HESS_ESCAPE_HALVINGS) along the eigenvector of lambda_min that
 * decreases L, then Newton runs again with a gradient tolerance HESS_ESCAPE_GTOL_FACTOR times
 * smaller: the stop was a pass close to the saddle (gradient below the test while still
 * moving), and the escape step alone leaves a gradient ~ |lambda_min| a that the old test
 * accepts at once (seed 31: lambda_min = -8.7e-7, a ~ 5e-4, tolerance 2e-8). The tighter
 * tolerance is kept >= HESS_ESCAPE_GTOL_FLOOR, ten times the gradient's rounding floor ~1e-14
 * (see HESS_NEWTON_GTOL_REL). At most HESS_MAX_ESCAPES times per lambda, else an error; the
 * count is recorded (seeds 1-60: one escape, seed 31 only). Deterministic for a given seed. */
#define HESS_MAX_ESCAPES 3
#define HESS_ESCAPE_GTOL_FACTOR 1e-2
#define HESS_ESCAPE_GTOL_FLOOR 1e-13
#define HESS_ESCAPE_HALVINGS 60

/* One architecture at its current point (continuation over lambda). */
typedef struct {
    size_t ia, P;
    const num_mlp *net;
    double *theta;
    num_hess_work *hw;
    num_mlp_work *mw;
    double *H, *ev; /* P^2 scratch; P eigenvalues, ascending */
    double *th2, *g, *ev2; /* the final Newton step's point, gradient, spectrum there */
} min_arch;

/* What is measured at the minimiser for one lambda. */
typedef struct {
    double lambda, gn, rmax, loss, acc;
    double min_eig, dmin; /* lambda_min at the stop, its change over one more Newton step */
    size_t iters, escapes;
} min_point;

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* ---- measure --------------------------------------------------------------------------- */

/* The change of lambda_min over one undamped Newton step from the stopping point
 * (see the header): A->H holds the Hessian there on entry (hess_decay_spectrum does not
 * overwrite it). The step solves H delta = -grad by minimum-norm least squares (H is definite
 * here, so it is the Newton step). */
static void measure_last_step(tc_ctx *ctx, const hess_decay_setup *S, min_arch *A,
                              const num_hess_opts *o, double lambda, min_point *out)
{
    size_t P = A->P;
    const hess_data *D = &S->D;
    tc_check(ctx, num_hessian_prepare(A->hw, A->theta, D->X, D->Y, D->n, o, NULL, A->g),
             "gradient at the minimiser");
    for (size_t q = 0; q < P; q++)
        A->g[q] = -A->g[q];
    tc_check(ctx, num_linalg_lstsq(P, P, 1, A->H, A->g, (double)P * DBL_EPSILON, A->th2, NULL),
             "Newton step");
    for (size_t q = 0; q < P; q++)
        A->th2[q] += A->theta[q];
    tc_check(ctx, hess_decay_spectrum(A->hw, A->net, A->th2, D, lambda, A->H, A->ev2),
             "Hessian after the final Newton step");
    out->min_eig = A->ev[0];
    out->dmin = A->ev2[0] - A->ev[0];
}

/* Damped Newton from the current point to a minimiser of the loss with penalty lambda,
 * escaping saddles; A->ev receives the spectrum there. False (with `error` recorded) if
 * Newton did not meet its gradient bound within the budget. */
static bool measure_minimiser(tc_ctx *ctx, tc_result *res, const hess_decay_setup *S,
                              min_arch *A, double lambda, size_t max_iter, min_point *out)
{
    double lam[HESS_MAX_DEPTH + 1];
    for (size_t k = 0; k < A->net->nlayers; k++)
        lam[k] = lambda;
    num_hess_opts o = {.loss = NUM_HESS_SQUARE, .decay = lam};
    const hess_data *D = &S->D;
    *out = (min_point){.lambda = lambda};
    double gtol = HESS_NEWTON_GTOL_REL * 2.0 * lambda;
    for (;;) {
        size_t it = 0;
        num_status st = num_hessian_minimise(A->hw, A->theta, D->X, D->Y, D->n, &o, gtol,
                                             max_iter, &it, &out->gn);
        out->iters += it;
        if (st == NUM_ENOCONV) {
            tc_result_error(res, "inconclusive: not converged after %zu Newton iterations "
                            "(architecture %zu, lambda %g): ||grad|| = %.3g (bound %.3g = "
                            "1e-4 * 2 lambda)", out->iters, A->ia + 1, lambda, out->gn, gtol);
            return false;
        }
        tc_check(ctx, st, "damped Newton on the regularised loss");
        tc_check(ctx, hess_decay_spectrum(A->hw, A->net, A->theta, D, lambda, A->H, A->ev),
                 "Hessian at the minimiser");
        out->acc = S->c * (double)A->P * DBL_EPSILON * fabs(A->ev[A->P - 1]);
        if (A->ev[0] >= -out->acc)
            break;
        /* A saddle: escape along the negative-curvature direction, Newton again. */
        if (out->escapes >= HESS_MAX_ESCAPES ||
            num_hessian_saddle_step(A->hw, A->theta, D->X, D->Y, D->n, &o,
                                    HESS_ESCAPE_HALVINGS) != NUM_OK)
            tc_fail(ctx, "architecture %zu, lambda %g: Newton stopped at a saddle (lambda_min = "
                    "%.3g) after %zu escapes, not a minimiser", A->ia + 1, lambda, A->ev[0],
                    out->escapes);
        out->escapes++;
        gtol = fmax(gtol * HESS_ESCAPE_GTOL_FACTOR, HESS_ESCAPE_GTOL_FLOOR);
    }
    measure_last_step(ctx, S, A, &o, lambda, out);
    tc_check(ctx, num_zeroloss_residual(A->net, A->theta, D->X, D->Y, D->n, A->mw, NULL,
                                        &out->rmax, &out->loss), "residual at the minimiser");
    return true;
}

/* ---- judge ----------------------------------------------------------------------------- */

/* The decision of one reading at one lambda: value against threshold, resolved only if the
 * threshold lies outside value +- unc (see the header). False (with `error`) if not. */
static bool judge_resolved(tc_result *res, const char *name, double value, tc_op op,
                           double thr, double unc, size_t ia, double lambda)
{
    if (!(fabs(value - thr) > unc)) {
        tc_result_error(res, "inconclusive: %s = %.6g is within its uncertainty %.3g of %.6g "
                        "(architecture %zu, lambda %g: eigenvalue accuracy plus twice the change "
                        "of lambda_min over a final Newton step)", name, value, unc, thr, ia + 1,
                        lambda);
        return false;
    }
    tc_metric(res, name, value, op, thr);
    return true;
}

static bool judge_minimiser(tc_result *res, bool two_lambda, size_t ia, size_t il,
                            const min_point *m)
{
    char b[96];
    double lambda = m->lambda, unc = m->acc + 2.0 * fabs(m->dmin);
    snprintf(b, sizeof b, "lambda_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, lambda);
    snprintf(b, sizeof b, "residual_max_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, m->rmax);
    snprintf(b, sizeof b, "newton_iters_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, (double)m->iters);
    snprintf(b, sizeof b, "saddle_escapes_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, (double)m->escapes);
    /* The convergence criteria: the gradient (bound HESS_NEWTON_GTOL_REL) and the change of
     * lambda_min over a final Newton step, both relative to 2 lambda. */
    snprintf(b, sizeof b, "grad_over_2lambda_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, m->gn / (2.0 * lambda));
    snprintf(b, sizeof b, "min_eig_change_over_2lambda_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, m->dmin / (2.0 * lambda));
    snprintf(b, sizeof b, "min_eig_uncertainty_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, unc);
    char be[96], br[96];
    snprintf(be, sizeof be, "min_eig_a%zu_l%zu", ia + 1, il + 1);
    snprintf(br, sizeof br, "min_eig_over_2lambda_a%zu_l%zu", ia + 1, il + 1);
    if (!two_lambda) {
        /* 003 eq. (29), §12.2 item 4: "positive definite for any lambda > 0". */
        tc_metric_info(res, br, m->min_eig / (2.0 * lambda));
        return judge_resolved(res, be, m->min_eig, TC_GT, 0.0, unc, ia, lambda);
    }
    /* The strengthening "smallest eigenvalue >= 2 lambda". */
    tc_metric_info(res, be, m->min_eig);
    return judge_resolved(res, br, m->min_eig / (2.0 * lambda), TC_GE, 1.0, unc / (2.0 * lambda),
                          ia, lambda);
}

/* ---- figure ---------------------------------------------------------------------------- */

static tc_plot *figure_begin(tc_result *res, const double *lam_sorted, size_t nl)
{
    tc_plot *p = tc_plot_new(res, "ratio", "Smallest Hessian eigenvalue at the regularised "
                             "minimiser, relative to 2 lambda", "lambda",
                             "lambda_min / (2 lambda)", TC_PLOT_LOGX);
    tc_series *sb = tc_series_new(res, "bound", 2, (const char *[]){"lambda", "ratio"});
    if (sb && nl > 0) {
        tc_series_row(sb, lam_sorted[nl - 1], 1.0);
        tc_series_row(sb, lam_sorted[0], 1.0);
    }
    tc_plot_curve(p, "bound", "lambda", "ratio", NULL, "2 lambda (the strengthened reading)",
                  TC_STYLE_DASHED);
    return p;
}

static tc_series *figure_arch(tc_result *res, tc_plot *p, size_t ia, size_t P)
{
    char sname[32], slab[64];
    snprintf(sname, sizeof sname, "ratio_a%zu", ia + 1);
    snprintf(slab, sizeof slab, "architecture %zu (P = %zu)", ia + 1, P);
    tc_series *s = tc_series_new(res, sname, 2, (const char *[]){"lambda", "ratio"});
    tc_plot_curve(p, sname, "lambda", "ratio", NULL, slab, TC_STYLE_LINESPOINTS);
    return s;
}

/* ---- run ------------------------------------------------------------------------------- */

static bool run_arch(tc_ctx *ctx, tc_result *res, const hess_decay_setup *S,
                     const double *lam_sorted, tc_plot *p, size_t ia)
{
    const min_config *cfg = tc_config(ctx);
    size_t max_iter = (size_t)tc_param_int(ctx, "newton_iters");
    min_arch A = {.ia = ia};
    num_mlp *net = NULL;
    num_status st = hess_decay_start(ctx, 1 + ia, &S->archs[ia], S->act, &S->D, &net,
                                     &A.theta);
    if (st == NUM_ENOCONV) /* the start of the continuation: the zero-loss floor */
        tc_fail(ctx, "inconclusive: architecture %zu: GD + LM did not reach the zero-loss "
                "floor (num_zeroloss_tol) of the starting point", ia + 1);
    tc_check(ctx, st, "zero-loss starting point");
    A.net = net;
    A.P = net->nparams;
    A.ev = TC_NEW(ctx, double, A.P);
    A.ev2 = TC_NEW(ctx, double, A.P);
    A.th2 = TC_NEW(ctx, double, A.P);
    A.g = TC_NEW(ctx, double, A.P);
    A.H = TC_NEW(ctx, double, A.P * A.P);
    A.hw = hess_hess_work(ctx, net, S->D.n);
    A.mw = hess_mlp_work(ctx, net, S->D.n);
    tc_series *s = figure_arch(res, p, ia, A.P);
    for (size_t il = 0; il < S->nl; il++) {
        min_point m;
        if (!measure_minimiser(ctx, res, S, &A, lam_sorted[il], max_iter, &m)) {
            char b[96]; /* the convergence criterion that was not met, for the record */
            snprintf(b, sizeof b, "grad_over_2lambda_a%zu_l%zu", ia + 1, il + 1);
            tc_metric_info(res, b, m.gn / (2.0 * m.lambda));
            return false;
        }
        if (!judge_minimiser(res, cfg->two_lambda, ia, il, &m))
            return false;
        if (s)
            tc_series_row(s, m.lambda, m.min_eig / (2.0 * m.lambda));
    }
    return true;
}

static void run_decay_minimiser(tc_ctx *ctx, tc_result *res)
{
    hess_decay_setup S;
    if (!hess_decay_setup_read(ctx, res, &S))
        return;
    double lam_sorted[TC_LIST_MAX];
    memcpy(lam_sorted, S.lambdas, S.nl * sizeof *lam_sorted);
    qsort(lam_sorted, S.nl, sizeof *lam_sorted, cmp_desc);
    tc_plot *p = figure_begin(res, lam_sorted, S.nl);
    for (size_t ia = 0; ia < S.na; ia++)
        if (!run_arch(ctx, res, &S, lam_sorted, p, ia))
            break;
    tc_result_conclude(res);
}

const tc_claim hess_claim_decay_min = {
    .id = "hessian_weight_decay_minimiser",
    .family = "hessian",
    .title = "Weight decay: the Hessian is positive definite at the regularised minimiser",
    .source = "003 §12.1 item 3, eq. (29); §12.2 item 4",
    .statement = "With lambda sum_k ||W_k||^2 added to the square loss, the Hessian at the new "
                 "finite equilibrium (a minimiser of the regularised loss) is positive definite "
                 "for any lambda > 0.",
    .hypotheses = "local minimiser of the regularised square loss, reached by damped Newton to "
                  "||grad|| <= 1e-4 * 2 lambda within newton_iters iterations (else error); "
                  "lambda_min resolved against 0 by the eigenvalue accuracy plus twice its change "
                  "over a final Newton step",
    .expect = TC_EXPECT_HOLDS,
    .params = min_params,
    .data = TC_DATA_NONE,
    .run = run_decay_minimiser,
    .config = &min_config_definite,
};

const tc_claim hess_claim_decay_min_2lambda = {
    .id = "hessian_weight_decay_minimiser_2lambda",
    .family = "hessian",
    .title = "Weight decay: smallest Hessian eigenvalue >= 2 lambda at the regularised minimiser",
    .source = "003 §12.1 item 3, eq. (29) (the catalogue's strengthening, not the document's "
              "statement)",
    .statement = "At a minimiser of L + lambda sum_k ||W_k||^2 the smallest Hessian eigenvalue "
                 "is >= 2 lambda (the bound that holds at a zero-loss point, "
                 "hessian_weight_decay, carried over to the regularised minimiser).",
    .hypotheses = "as hessian_weight_decay_minimiser",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "min_eig_over_2lambda (in the record, per architecture and lambda) is "
                      "below 1 beyond its uncertainty and constant as lambda -> 0. At the "
                      "minimiser the residuals E = O(lambda) do not vanish (J^T E = -2 lambda w) "
                      "and the term sum_n E_n grad^2 f_n of eq. (28), O(lambda) and indefinite "
                      "on the null space of J, adds to 2 lambda I there, so lambda_min / "
                      "(2 lambda) tends to a constant that is not bounded below by 1",
    .params = min_params,
    .data = TC_DATA_NONE,
    .run = run_decay_minimiser,
    .config = &min_config_2lambda,
};
