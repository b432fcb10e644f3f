/* theorems/norm_growth/norm_growth.h — private header of the claim family 'norm_growth': the
 * family's decision constants (with their derivations) and what its files share: the helpers
 * for grids, data and window fits (common.c) and the deep-network training runs (trajectory.c).
 *
 * Files: linear.c (B1), deep_growth.c (B2), max_margin_deep.c (A5), ode.c (B3), family.c
 * (the catalogue). See docs/claims/norm_growth.md.
 */
#ifndef TC_THEOREMS_NORM_GROWTH_H
#define TC_THEOREMS_NORM_GROWTH_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/fit.h"
#include "numerics/homogeneous.h"
#include "numerics/homogeneous_traj.h"
#include "numerics/mlp.h"
#include "theorems/claim.h"

/* ---- named constants --------------------------------------------------------------------- */

#define NG_MAXK 8

/* Log-time flows start at s0 = -20 (t0 = 2e-9): the weights move by O(t0 |grad L|) ~ 1e-7
 * before that, far below anything measured. */
#define NG_S0 (-20.0)

/* Fit windows are [NG_WINDOW_FRAC * S, S] in log time s = log t (two octaves of s), S the
 * horizon: late enough that the transient (s = O(1)) is over, long enough for a fit. */
#define NG_WINDOW_FRAC 0.25

/* Relative growth below which a quantity "does not grow" over a window. A log-growing quantity
 * grows by log(S / (S/4)) / (S/4 + const) >= 0.3 % relative over the window for S <= 1e3; a
 * converged GD iteration or flow changes by rounding only (1e-16 relative per step, < 1e-11
 * over 1e5 steps). 1e-6 lies many decades from both. */
#define NG_GROWTH_FLOOR 1e-6

/* B1: relative tolerance of the window slope of ||w|| against log t. Soudry et al. (2018)
 * Thm 3: w(t) = w_hat log t + rho(t), rho bounded (convergent when the support vectors span
 * the data), so ||w|| = ||w_hat|| log t + c + O(1/log t) and the least-squares slope over
 * [S/4, S] deviates from ||w_hat|| by O(||rho|| / S): with ||rho|| = O(||w_hat|| log(1/gamma))
 * ~ 5 ||w_hat|| for these data and S/4 >= 50 that is < 2.5 %. 5 % leaves a factor 2; the
 * square loss (slope 0, relative error 1) is far outside. */
#define NG_B1_SLOPE_RTOL 0.05

/* B3: absolute tolerance on log R when two integrations of the same dynamics are compared
 * (eq. (55) against eq. (57), or against the li closed form). Both are msbdf runs with
 * relative local tolerance rtol on a contracting flow (relaxation rate -1 in log time, see
 * homogeneous.h), so the global error in log R = ftil rho^K is at most a few rtol * K * log R;
 * NG_ODE_TOL_FACTOR = 1e3 covers the step count and error accumulation with margin. */
#define NG_ODE_TOL_FACTOR 1e3

/* B3, K = 2: tolerance on li_slope_ratio. li(R) - ftil K^2 t is constant along eq. (57), so
 * the fitted slope equals ftil K^2 up to the integration error of li(R), whose relative error
 * is that of R, i.e. the absolute error of log R (see above): <= 1e3 rtol log R = 7e-5 at
 * rtol = 1e-10, log R <= 700. 1e-3 leaves a factor 10; the untied reading predicts 1/K. */
#define NG_LI_RTOL 1e-3

/* Reduced square-loss model: integrated in ordinary time only to t = e^100; it has converged
 * to machine precision by t = e^5 (relaxation time 1/(2 ftil^2 K^2) in t). */
#define NG_SQUARE_SMAX 100.0

/* Checkpoints of a deep-network trajectory: a linear part before s = 1, geometric after. */
#define NG_CK_LINEAR 11
#define NG_CK_GEOM 160
#define NG_CK_MAX (NG_CK_LINEAR + NG_CK_GEOM + 4)

/* Hypothesis of 003 §5.3 Theorem 3 and §12.2: the dynamics is studied near a separating
 * network (y_n f(x_n) > 0 for all n, loss -> 0). A Gaussian initialisation of a narrow deep
 * ReLU network without biases can be dead (every unit of a layer inactive on every sample:
 * f = 0 and a zero gradient forever), which never separates anything: the claim says nothing
 * about it. Such a draw is replaced by the next independent draw, at most NG_INIT_DRAWS in
 * all; the number of replaced draws is recorded, and if none separates, the claim is skipped
 * with the reason. (Seen for ReLU, K = 4, hidden width 10: about 1 seed in 10.) */
#define NG_INIT_DRAWS 5

/* Convergence of the exponential-loss flows (003 §14, eq. (57)): with u = -log L and
 * p = 2 - 2/K, u - s = log a + p log s + p (p log s + log a) / s + O(s^-2 log^2 s), so a fit of
 * u - s against log s over [lo, hi] is biased by about the derivative of the next-order term at
 * lo, p |p (1 - log lo) - log a| / lo; we take B = p (p |1 - log lo| + |d|) / lo (d the fitted
 * intercept, for log a), which does not vanish by a cancellation of the two parts (the second
 * order does not cancel with them), and the window excess by the first-order term. The checks of
 * the deep and reduced-dynamics claims use that first-order term (2 B, |corr|) and drop the
 * next, which is about B / p times it. A window is in the asymptotic regime when
 * B / p <= NG_ASYM_MAX: the dropped term is then at most a quarter of the first-order one,
 * inside the factor-2 allowance the checks give it. Otherwise the run is too short to decide
 * (error "inconclusive: not converged ..."). */
#define NG_ASYM_MAX 0.25

/* B1 (Soudry et al. 2018 Thm 3): the slope tolerance NG_B1_SLOPE_RTOL rests on a fit window
 * starting at log t >= NG_B1_WINDOW_MIN (see its derivation); a shorter horizon is
 * inconclusive. */
#define NG_B1_WINDOW_MIN 50.0

/* ---- helpers (common.c) ------------------------------------------------------------------ */

/* B = p (p |1 - log lo| + |d|) / lo (see NG_ASYM_MAX). */
double ng_eq57_next_order_bias(double p, double lo, double d);

/* The gate of NG_ASYM_MAX for one trajectory (label names it in the metric
 * "<label>_eq57_next_order_rel" and the reason): true if B / p <= NG_ASYM_MAX (always for
 * p = 0), else the result becomes error "inconclusive: not converged after log t = hi ...". */
bool ng_eq57_gate(tc_result *res, const char *label, double p, double lo, double hi, double d);

/* printf into buf (a metric or series name); returns buf. */
const char *ng_name(char *buf, size_t len, const char *fmt, ...);

/* Destructors for tc_defer (typed ones wrapped to void(void *)). */
void ng_release_mlp(void *net);
void ng_release_svm(void *svm);

/* m points geometric in [lo, hi] (lo > 0). */
void ng_geom_grid(double lo, double hi, size_t m, double *out);

/* Checkpoints for trajectories: -10, -9, ..., 0 then geometric from 1 to s_max; returns the
 * count (<= NG_CK_MAX). */
size_t ng_ck_grid(double s_max, double *out);

/* Separable data (numerics/separable.h) with rows rescaled so that max_n ||x_n|| = 1: every
 * statement here is scale free, and the scale fixes the GD step of the smoothness bound. */
num_status ng_make_data(gsl_rng *r, size_t n, size_t d, double gamma, double *X, double *y);

/* Linear interpolation of y(x) at x0 (x ascending); NaN outside [x_0, x_{n-1}]. */
double ng_interp(const double *x, const double *y, size_t n, double x0);

/* ---- deep-network training runs (trajectory.c) -------------------------------------------- */

typedef enum { RUN_FLOW = 0, RUN_EULER, RUN_GD } ng_method;

typedef struct {
    size_t n, d, hidden;
    double gamma;            /* pushed data margin */
    double s_max;            /* horizon of the flows */
    double rtol;             /* flow tolerance */
    double euler_h;          /* log-time Euler step (ReLU) */
    size_t gd_steps;         /* GD steps */
    double gd_eta_scale;     /* eta = gd_eta_scale / n */
    num_hom_loss loss;
} ng_deep_cfg;

typedef struct {
    double *X, *y;
} ng_deep_data;

/* The parameter rows shared by the deep claims (B2, A5). */
#define NG_DEEP_PARAMS(ACTS, GDQ, GDF, GDETA)                                                \
    TC_P_INT("n", "30", "60", 4, 2000, "training samples"),                                  \
    TC_P_INT("d", "5", "10", 2, 500, "input dimension"),                                     \
    TC_P_INT("hidden", "10", "20", 1, 512, "width of every hidden layer"),                   \
    TC_P_REAL("gamma", "0.1", TC_SAME, 0.0, 10.0,                                            \
             "margin the generator pushes the points off the teacher plane (before scaling)"), \
    TC_P_LIST("depths", "2,3,4", TC_SAME, 2, 8, "network depths K (layers)"),                \
    TC_P_CHOICE("acts", ACTS, TC_SAME, "linear|relu|both",                                   \
             "hidden activations (homogeneous)"),                                            \
    TC_P_REAL("s_max", "300", "1000", 20, 5000,                                              \
             "horizon log t of the flows; fits use [s_max/4, s_max]"),                       \
    TC_P_REAL("rtol", "1e-10", TC_SAME, 1e-14, 1e-4,                                         \
             "local tolerance of the Dormand-Prince flow (linear networks)"),                \
    TC_P_REAL("euler_step", "0.05", "0.02", 1e-4, 0.5,                                       \
             "max log-time step of the Euler discretisation (ReLU networks)"),               \
    TC_P_INT("gd_steps", GDQ, GDF, 100, 100000000,                                           \
             "steps of fixed-step gradient descent"),                                        \
    TC_P_REAL("gd_eta", GDETA, TC_SAME, 1e-6, 2.0, "GD step eta = gd_eta / n")

/* The default deep parameter table (B2, its strict reading, A5 and its control). */
extern const tc_param_spec ng_deep_params[];

void ng_deep_cfg_read(tc_ctx *ctx, ng_deep_cfg *c, num_hom_loss loss);

/* Activations selected by the 'acts' parameter (at most 2); returns their number. */
size_t ng_deep_acts(tc_ctx *ctx, num_act *acts);

/* The data set of the deep claims, from the claim's own stream (owned by the context). */
void ng_deep_data_make(tc_ctx *ctx, const ng_deep_cfg *c, ng_deep_data *D);

/* Widths d, hidden, ..., hidden, 1 of a depth-K network (widths has K + 1 entries). */
void ng_deep_widths(const ng_deep_cfg *c, size_t K, size_t *widths);

/* The method that integrates the flow of an activation: Dormand-Prince for smooth right-hand
 * sides, log-time Euler for ReLU (Filippov system). */
ng_method ng_flow_method(num_act act);

/* Same initialisation for the same (K, act) in every claim run: stream index from both. */
uint64_t ng_deep_stream(size_t K, num_act act);

/* Train a depth-K network (initialisation redrawn while it does not separate, see
 * NG_INIT_DRAWS) and return its trajectory, owned by the context. A numerical failure ends the
 * run with `error`; a network that never separates the data sets a skip and returns NULL. */
num_hom_traj *ng_deep_train(tc_ctx *ctx, tc_result *res, const ng_deep_cfg *c,
                            const ng_deep_data *D, size_t K, num_act act, ng_method m,
                            uint64_t stream);

/* ---- the claims (one file per group) ------------------------------------------------------ */

extern const tc_claim ng_claim_b1, ng_claim_b1_square;
extern const tc_claim ng_claim_b2, ng_claim_b2_strict, ng_claim_b2_square;
extern const tc_claim ng_claim_a5, ng_claim_a5_tanh;
extern const tc_claim ng_claim_b3, ng_claim_b3_untied, ng_claim_b3_square;

#endif /* TC_THEOREMS_NORM_GROWTH_H */
