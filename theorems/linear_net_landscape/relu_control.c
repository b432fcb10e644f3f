/* theorems/linear_net_landscape/relu_control.c — the negative control linear_net_landscape_relu:
 * the statement of L ("every local minimum is global") transplanted to a ReLU hidden unit,
 * outside its hypothesis of linear activations. 001 §III-B itself says that "when the
 * activations are nonlinear, [42] gives examples of networks where the backpropagation
 * algorithm fails"; Swirszcz, Czarnecki & Pascanu, "Local minima in training of neural
 * networks" (arXiv:1611.06310, 2016) construct small data sets whose ReLU networks have bad
 * local minima, the mechanism being a unit whose activation pattern on the data is locked
 * (units "dead" on some or all points). This check uses that mechanism on a one-unit network
 * f(x) = v relu(a x + b), on 1-D data with y = left_scale |x| left of 0 and y = x right of 0.
 *
 * Why a point is a local minimum (the certificate): at (a, b, v) with no data point on the
 * kink (margin > 0), every nearby parameter has the same activation pattern S, and on S the
 * network is the affine map c x + d with (c, d) = v (a, b); so the loss there is at least the
 * least-squares value of the pattern, pattern_min. A point whose loss equals pattern_min is a
 * local minimum. It is spurious when another point has a lower loss.
 *
 * measure: GD from `inits` random starts (a, b, v ~ N(0, 1)) to ||grad|| <= gtol;
 * judge:   certify each end point (converged, margin > 0, loss = pattern_min to a resolved
 *          tolerance), count those above the best value reached: spurious_minima;
 * figure:  end-point loss per run, with the pattern values of the three kinds of minima. */
#include "theorems/linear_net_landscape/linnet_landscape.h"

#include <float.h>
#include <math.h>

#include "numerics/relu1d.h"
#include "numerics/rng.h"

static const tc_param_spec params[] = {
    TC_P_REAL("left_scale", "1", TC_SAME, 0, 1e3, "slope of the target left of 0 (y = s |x|)"),
    TC_P_INT("inits", "12", "48", 1, 10000, "GD runs from random initialisations"),
    TC_P_REAL("step", "0.05", TC_SAME, 1e-6, 1, "GD step"),
    TC_P_INT("max_iters", "200000", "1000000", 1, 100000000, "GD steps allowed per run"),
    TC_P_REAL("gtol", "1e-10", TC_SAME, 1e-15, 1, "GD stops at ||grad|| <= gtol"),
    TC_P_END};

/* The data: integer points, none at 0 (where every kink between -1 and 1 keeps a margin). */
static const double xs[] = {-3, -2, -1, 1, 2, 3, 4};
#define NX (sizeof xs / sizeof xs[0])

typedef struct {
    double loss, pmin, margin;
    size_t active, steps;
    double v, gnorm;
    bool converged, certified;
} relu_end;

/* GD from one random start. A run that has not met gtol is kept only for its loss (an
 * achieved value bounds the global minimum from above), never certified: typically its kink
 * is sliding onto a data point, where the pattern argument does not apply. */
static void one_run(tc_ctx *ctx, const double *y, size_t k, relu_end *e)
{
    double th[3], work[4 + NX], gn;
    num_rng_gaussian(tc_stream(ctx, 1 + k), 1.0, th, 3);
    size_t maxit = (size_t)tc_param_int(ctx, "max_iters");
    double gtol = tc_param_real(ctx, "gtol");
    tc_check(ctx, num_relu1d_gd(NX, xs, y, 1, th, 0.0, tc_param_real(ctx, "step"), maxit, gtol,
                                work, &e->steps, &gn, &e->loss), "GD on the ReLU unit");
    e->v = th[2];
    e->converged = gn <= gtol && hypot(th[0], th[1]) > 0;
    e->gnorm = gn;
    if (e->converged)
        tc_check(ctx, num_relu1d_pattern_min(NX, xs, y, th[0], th[1], &e->pmin, &e->margin,
                                             &e->active), "the pattern certificate");
}

/* The certificate, with rounding in mind: the kink must sit clear of the data (the margin,
 * a distance in units of x, must exceed the rounding of a x + b, a few eps max|x|: required
 * >= 1e6 eps max|x|), an active unit must have v != 0 (otherwise (c, d) = v (a, b) cannot move
 * freely), and the loss must equal pattern_min: loss >= pattern_min always, and the distance
 * is GD's remaining error, required LN_RESOLVE times below the excess it must resolve. */
static bool certify(const relu_end *e, double best)
{
    if (!e->converged || !(e->margin >= 1e6 * DBL_EPSILON * 4.0))
        return false;
    if (e->active > 0 && e->v == 0)
        return false;
    return e->loss - e->pmin <= fmax(e->loss - best, 0) / LN_RESOLVE + 8 * DBL_EPSILON * e->loss;
}

static void run(tc_ctx *ctx, tc_result *res)
{
    double s = tc_param_real(ctx, "left_scale"), y[NX];
    for (size_t i = 0; i < NX; i++)
        y[i] = xs[i] < 0 ? -s * xs[i] : xs[i];
    size_t K = (size_t)tc_param_int(ctx, "inits"), spurious = 0, active = 0, dead = 0, cert = 0;
    size_t conv = 0, worst = 0;
    relu_end *e = TC_NEW(ctx, relu_end, K);
    double best = INFINITY, worst_err = 0;
    for (size_t k = 0; k < K; k++) {
        one_run(ctx, y, k, &e[k]);
        best = fmin(best, e[k].loss);
        conv += e[k].converged;
        worst = e[k].gnorm > e[worst].gnorm ? k : worst;
    }
    /* a majority of the runs must have converged, else the GD budget is too short to say
     * anything (a run made too short on purpose is an error, not a verdict) */
    if (2 * conv <= K) {
        tc_result_error(res, "inconclusive: not converged after %zu GD steps in %zu of %zu runs "
                        "(run %zu: ||grad|| = %.3g > gtol = %.3g)", e[worst].steps, K - conv, K,
                        worst, e[worst].gnorm, tc_param_real(ctx, "gtol"));
        return;
    }
    tc_series *ser = tc_series_new(res, "runs", 4,
                                   (const char *[]){"run", "loss", "active", "certified"});
    for (size_t k = 0; k < K; k++) {
        e[k].certified = certify(&e[k], best);
        cert += e[k].certified;
        if (e[k].converged)
            worst_err = fmax(worst_err, e[k].loss - e[k].pmin);
        /* spurious: a certified local minimum whose loss exceeds the best value reached by
         * more than LN_RESOLVE times the larger of the two runs' GD errors */
        if (e[k].certified && e[k].loss - best > LN_RESOLVE * fmax(e[k].loss - e[k].pmin,
                                                                 8 * DBL_EPSILON * best)) {
            spurious++;
            e[k].active ? active++ : dead++;
        }
        tc_series_row(ser, (double)k, e[k].loss, (double)e[k].active, (double)e[k].certified);
    }
    tc_metric_info(res, "best_loss", best);
    tc_metric_info(res, "converged_runs", (double)conv);
    tc_metric_info(res, "certified_minima", (double)cert);
    tc_metric_info(res, "spurious_active", (double)active);
    tc_metric_info(res, "spurious_dead", (double)dead);
    tc_metric_info(res, "gd_error_max", worst_err);
    tc_metric(res, "spurious_minima", (double)spurious, TC_EQ, 0.0);
    tc_plot *p = tc_plot_new(res, "runs", "End points of GD on one ReLU unit", "run",
                             "loss at the end point", 0);
    tc_plot_curve(p, "runs", "run", "loss", NULL, "GD end points", TC_STYLE_POINTS);
    tc_result_conclude(res);
}

const tc_claim ln_claim_relu = {
    .id = "linear_net_landscape_relu",
    .family = "linear_net_landscape",
    .title = "Negative control: a ReLU unit's square loss has no spurious local minima",
    .source = "001 §III-B (transplanted outside [41]'s linear activations; the mechanism of "
              "Swirszcz, Czarnecki & Pascanu 2016, arXiv:1611.06310)",
    .statement = "(L transplanted to a nonlinear activation.) For f(x) = v relu(a x + b) with "
                 "square loss, every local minimum is global (spurious_minima = 0).",
    .hypotheses = "violated on purpose: the activation is ReLU, not linear",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "GD ends at certified local minima (kink clear of the data, loss equal to "
                      "the least-squares value of the locked activation pattern) whose loss "
                      "exceeds the best value reached: spurious_minima > 0 — the unit fitting "
                      "only the left points (spurious_active) and units dead on every point "
                      "(spurious_dead)",
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "spurious_minima,spurious_active,spurious_dead",
};
