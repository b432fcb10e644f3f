/* theorems/hessian/weight_decay_minimiser.c — C2 hessian_weight_decay_minimiser, 003 eq. (29)
 * reading B: at a minimiser w_lambda of L + lambda sum_k ||W_k||^2, found by damped Newton
 * from the zero-loss point with continuation from the largest lambda down. There
 * H_reg = J^T J + sum_n E_n grad^2 f_n + 2 lambda I with E = O(lambda) != 0: on null(J) the
 * middle term is O(lambda) of either sign, so lambda_min / (2 lambda) tends to a constant that
 * the statement claims is >= 1. */
#include "theorems/hessian/hessian.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
} min_arch;

/* What is measured at the minimiser for one lambda. */
typedef struct {
    double lambda, gn, rmax, loss, acc;
    size_t iters, escapes;
} min_point;

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* ---- measure --------------------------------------------------------------------------- */

/* Damped Newton from the current point to a minimiser of the loss with penalty lambda,
 * escaping saddles; A->ev receives the spectrum there. */
static void measure_minimiser(tc_ctx *ctx, const hess_decay_setup *S, min_arch *A,
                              double lambda, min_point *out)
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
                                             HESS_NEWTON_MAX_ITER, &it, &out->gn);
        out->iters += it;
        if (st != NUM_OK)
            tc_fail(ctx, "architecture %zu, lambda %g: Newton did not converge (%s, |grad| = "
                    "%.3g after %zu iterations)", A->ia + 1, lambda, num_strerror(st), out->gn,
                    out->iters);
        if ((st = hess_decay_spectrum(A->hw, A->net, A->theta, D, lambda, A->H, A->ev)) != NUM_OK)
            tc_fail(ctx, "Hessian failed: %s", num_strerror(st));
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
    num_status st = num_zeroloss_residual(A->net, A->theta, D->X, D->Y, D->n, A->mw, NULL,
                                          &out->rmax, &out->loss);
    if (st != NUM_OK)
        tc_fail(ctx, "Hessian failed: %s", num_strerror(st));
}

/* ---- judge ----------------------------------------------------------------------------- */

static void judge_minimiser(tc_result *res, size_t ia, size_t il, const min_point *m,
                            double min_eig)
{
    char b[96];
    double lambda = m->lambda;
    snprintf(b, sizeof b, "lambda_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, lambda);
    snprintf(b, sizeof b, "residual_max_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, m->rmax);
    snprintf(b, sizeof b, "newton_iters_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, (double)m->iters);
    snprintf(b, sizeof b, "saddle_escapes_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, (double)m->escapes);
    snprintf(b, sizeof b, "grad_over_2lambda_a%zu_l%zu", ia + 1, il + 1);
    tc_metric_info(res, b, m->gn / (2.0 * lambda));
    /* "definite for any lambda > 0" (003 eq. (29)), to the eigenvalue accuracy
     * c P eps lambda_max of the computed spectrum (numerics/spectrum.h). */
    snprintf(b, sizeof b, "min_eig_a%zu_l%zu", ia + 1, il + 1);
    tc_metric(res, b, min_eig, TC_GT, m->acc);
    /* "smallest eigenvalue >= 2 lambda", to the eigenvalue accuracy. */
    snprintf(b, sizeof b, "min_eig_over_2lambda_a%zu_l%zu", ia + 1, il + 1);
    tc_metric(res, b, min_eig / (2.0 * lambda), TC_GE, 1.0 - m->acc / (2.0 * lambda));
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
    tc_plot_curve(p, "bound", "lambda", "ratio", NULL, "claimed lower bound (2 lambda)",
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

static void run_arch(tc_ctx *ctx, tc_result *res, const hess_decay_setup *S,
                     const double *lam_sorted, tc_plot *p, size_t ia)
{
    min_arch A = {.ia = ia};
    num_mlp *net = NULL;
    num_status st = hess_decay_start(ctx, 1 + ia, &S->archs[ia], S->act, &S->D, &net,
                                     &A.theta);
    if (st != NUM_OK)
        tc_fail(ctx, "architecture %zu: zero-loss point not reached: %s", ia + 1,
                num_strerror(st));
    A.net = net;
    A.P = net->nparams;
    A.ev = TC_NEW(ctx, double, A.P);
    A.H = TC_NEW(ctx, double, A.P * A.P);
    A.hw = hess_hess_work(ctx, net, S->D.n);
    A.mw = hess_mlp_work(ctx, net, S->D.n);
    tc_series *s = figure_arch(res, p, ia, A.P);
    for (size_t il = 0; il < S->nl; il++) {
        min_point m;
        measure_minimiser(ctx, S, &A, lam_sorted[il], &m);
        judge_minimiser(res, ia, il, &m, A.ev[0]);
        if (s)
            tc_series_row(s, m.lambda, A.ev[0] / (2.0 * m.lambda));
    }
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
        run_arch(ctx, res, &S, lam_sorted, p, ia);
    tc_result_conclude(res);
}

const tc_claim hess_claim_decay_min = {
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
    .params = hess_decay_params,
    .data = TC_DATA_NONE,
    .run = run_decay_minimiser,
};
