/* theorems/ntk/ntk.h — claim family 'ntk': the random-feature (NTK) Gram matrix of the "Lazy
 * Training" slides of 004 (Kutyniok, Lecture 3) and what the slides derive from it.
 *
 * Setting (004, "A Simple Learning Model"): Phi(x, theta) = sum_j theta2_j rho(<theta1_j, [x;1]>)
 * with a smooth, not affine rho; data (x_i, y_i), i = 1..m, x_i distinct; risk
 * r(theta) = (1/m) sum_i (Phi(x_i, theta) - y_i)^2; initialisation theta1_j ~ N(0, 1/n)^(d+1),
 * theta2_j ~ N(0, 1/n). The kernel ("Introducing A Peculiar Kernel") is
 * K_bar = sum_k v_k v_k^T, v_k = (rho(<theta1_k, [x_i;1]>))_i (numerics/ntk.h).
 *
 * Claims (CLAIMS.md section E):
 *   E1 ntk_min_eig, ntk_min_eig_unit_init — "for sufficiently large n, with high probability
 *      K_bar is positive definite with smallest eigenvalue scaling linearly with n"
 *      (004, "Controlling the Gradient", Key Property of the Kernel), under the slides' 1/n
 *      first-layer variance and under a width-independent N(0, 1) one.
 *   E2 ntk_limit_kernel — K_bar / n -> K_inf (closed forms),
 *      lambda_min(K_bar)/n -> lambda_min(K_inf).
 *   E3 ntk_gradient_bound — ||grad r||^2 >= 4/m^2 lambda_min(K_bar) ||residual||^2
 *      (004, "Controlling the Gradient").
 *   E4 ntk_exponential_convergence(_unit_init) — r(Theta_{K+1}) <= (1 - c eta n/m) r(Theta_K)
 *      with c from ||grad r||^2 >= (c n/m) r (004, "Exponential Convergence"), under the
 *      slides' hypothesis ||Theta_k - Theta_0|| <= 1, checked per width (convergence.c).
 *   E5 lazy_training(_unit_init) — Chizat, Oyallon & Bach (2019) as quoted in 004: GD reaches
 *      a small risk and the iterates stay near the initialisation (relative movement shrinks
 *      with the width).
 * Negative controls: a linear activation (K_bar has rank <= d+1 < m), a duplicated input
 * (K_inf and K_bar singular), and the gradient bound with the output-layer gradient removed.
 *
 * Randomness: the data (when not given with --data) and the targets come from tc_rng(ctx); seed
 * s of every statistical check draws its weights from tc_rng_stream(ctx, s). Everything is
 * deterministic given the run seed.
 *
 * Files: min_eig.c (E1), limit_kernel.c (E2), gradient_bound.c (E3), train.c (the GD runs of
 * E4 and E5 with step halving), convergence.c (E4), lazy.c (E5), common.c (data, widths,
 * fits), family.c (the catalogue). The two-layer network and its GD run are
 * numerics/twolayer.h. Each run reads as measure -> judge -> figure.
 */
#ifndef TC_THEOREMS_NTK_H
#define TC_THEOREMS_NTK_H

#include <stdbool.h>
#include <stddef.h>

#include "theorems/claim.h"
#include "numerics/mlp.h"
#include "numerics/twolayer.h"

/* ---- decision constants (each derived where it is defined) ------------------------------ */

/* Width exponents predicted by the theory are integers: lambda_min(K_bar) ~ n^{1 - p*} with p*
 * an integer (flat-limit analysis, numerics/ntk.h; 1 under a width-independent
 * initialisation); the convergence rate of E4 is predicted to scale like n^1 and its constant c
 * like n^0. The nearest alternatives differ by one, so an exponent is accepted within half of
 * that distance: [p - 1/2, p + 1/2]. */
#define NTK_EXPONENT_HALF_BAND 0.5

/* An exponent estimate is conclusive when the half-width of its 95% t-interval over seeds is
 * at most half of NTK_EXPONENT_HALF_BAND: then a mean lying at a predicted integer is more than
 * two interval half-widths from either decision boundary, and a different run seed cannot move
 * it across. Wider intervals give an error ("increase seeds"), never a verdict. */
#define NTK_EXPONENT_CI_MAX 0.25

/* E4: per-seed rate exponents scatter more (sd ~ 0.15 over widths 64..512, measured with 40
 * seeds: lambda_min of the narrowest networks fluctuates), so their interval may be as wide as
 * the acceptance band's half-width: with 6 seeds (t = 2.57) that is a standard error of 0.19,
 * and a mean at the predicted 1 is still 2.6 standard errors from either boundary. With the
 * measured sd the interval exceeds it with probability ~1e-10 (chi-square, 5 dof). */
#define NTK_RATE_CI_MAX 0.5

/* E4 convergence gate: the exponents fitted from the first half of the run (c: minimum over
 * k <= K/2; rate: window [K/2, 3K/4]) and from the whole (k <= K; [3K/4, K]) may differ by at
 * most this. If the drift per doubling of the run decays at least geometrically with ratio
 * 1/2 (the transients of GD decay exponentially in k), the change still to come is at most the
 * change seen, so an exponent that passes stays within 1/4 of NTK_EXPONENT_HALF_BAND of its
 * limit and a mean at a predicted integer cannot be carried across a decision boundary.
 * Measured under the unit variance (widths 512..2048, 20 run seeds): <= 0.084. */
#define NTK_E4_DRIFT_MAX (NTK_EXPONENT_HALF_BAND / 4.0)

/* E2: E ||K_bar/n - K_inf||_F^2 = (1/n) sum_ij Var(v_i v_j) exactly (K_bar/n is a mean of n
 * i.i.d. matrices with mean K_inf), so the error falls like n^{-1/2}. The alternatives are 0
 * (no convergence: a wrong limit) and -1; the band is [-3/4, -1/4]. */
#define NTK_FRO_RATE 0.5
#define NTK_FRO_RATE_HALF_BAND 0.25

/* E2: lambda_min(K_bar/n) - lambda_min(K_inf) is, to first order, u^T (K_bar/n - K_inf) u (u the
 * bottom eigenvector of K_inf), a mean of n i.i.d. centred terms: RMS ~ n^{-1/2}, with an O(1/n)
 * bias from second order. Convergence is accepted when the RMS falls at least like n^{-1/4},
 * half-way between the predicted -1/2 and no convergence (0). */
#define NTK_LAMBDA_RATE_MAX (-0.25)

/* E5: in the kernel regime of the unit initialisation the movement needed to fit the data is
 * ||Theta_K - Theta_0|| ~ n^{-1/2} (output-layer kernel ~ n K_inf) while ||Theta_0|| ~ n^{1/2},
 * so the relative movement falls like n^{-1}; "no shrinkage" is n^0. The midpoint decides. */
#define NTK_LAZY_EXPONENT_MAX (-0.5)

/* Rank tolerance constant of num_ntk_gram_extreme_eigs (c in c max(m, n) eps s_max). 1 is the
 * NumPy/MATLAB matrix_rank default; the SVD backward error is a modest multiple of eps s_max,
 * so c = 1 with the factor max(m, n) leaves a wide margin. */
#define NTK_RANK_C 1.0

/* ---- parameter texts shared by several claims ------------------------------------------ */

#define ACT_CHOICES "relu|erf|tanh|softplus|sigmoid"
#define ACT_HELP "activation rho; erf is smooth, not affine and has a closed-form limit kernel"
#define E1_WIDTHS_QUICK "256,512,1024,2048,4096,8192,16384"
#define E1_WIDTHS_FULL "256,512,1024,2048,4096,8192,16384,32768,65536,131072"
#define TRAIN_M "10"
#define TRAIN_D "6"
#define TRAIN_WIDTHS_QUICK "64,128,256,512"
#define TRAIN_WIDTHS_FULL "64,128,256,512,1024,2048"

/* ---- data and small helpers (common.c) ------------------------------------------------- */

typedef struct {
    size_t m, d, d1;
    double *X;  /* m x d */
    double *Xt; /* m x (d + 1): [x; 1] */
    double *y;  /* m targets (training claims) */
} ntk_data;

/* Inputs: the user's features (--data, TC_DATA_FEATURES) or m points x_i ~ N(0, I_d / d) (so
 * E|x|^2 = 1 and |[x;1]|^2 ~ 2), from tc_rng(ctx). Targets y_i ~ N(0, 1) from the same stream:
 * the slides' argument is for arbitrary data, so arbitrary (random) labels are the test.
 * duplicate: row 1 := row 0 (negative control). Otherwise the slides' hypothesis x_i != x_j is
 * checked and a violation skips the claim. Arrays are owned by the context. Returns false
 * after setting skip. */
bool ntk_data_setup(tc_ctx *ctx, tc_result *res, ntk_data *D, bool duplicate);

/* The widths of parameter `name`, sorted ascending, duplicates removed (context-owned). */
size_t *ntk_widths(tc_ctx *ctx, const char *name, size_t *count);

/* log of each width, W entries (context-owned). */
double *ntk_log_widths(tc_ctx *ctx, const size_t *widths, size_t W);

/* The parameter "activation". */
num_act ntk_act(tc_ctx *ctx);

/* OLS slope and intercept (may be NULL) of y on x (num_fit_linear); NaN when the fit is
 * undefined (fewer than two points, equal x, a non-finite value). */
void ntk_ols(const double *x, const double *y, size_t n, double *slope, double *icept);

/* A network of width n for the data D, released after the run. */
num_twolayer *ntk_net(tc_ctx *ctx, const ntk_data *D, size_t n, num_act act);

/* ---- E4 and E5: the training runs (train.c) -------------------------------------------- */

/* One GD run per (seed, width) at a step eta fixed across widths: eta = eta_factor * m /
 * lambda_max(NTK) at the largest width (the most restrictive), so "sufficiently small" holds
 * for every width. Width n runs K(n) = round(steps * n_max / n) steps: in the kernel regime
 * the dynamics depend on eta n k / m only, so every width is observed over the same rescaled
 * time and rates compare like with like.
 *
 * Divergence and step halving. The statements (004, "Exponential Convergence"; Chizat et al.)
 * are for a "sufficiently small" step: small enough that the descent lemma
 *     r(Theta_{k+1}) <= r(Theta_k) - eta (1 - eta L_k / 2) ||grad r(Theta_k)||^2
 * holds along the trajectory (L_k the curvature of r between Theta_k and Theta_{k+1}), so the
 * risk never increases (gradient flow, the eta -> 0 limit, has dr/dt = -||grad r||^2 <= 0).
 * The step is set from the curvature at the initialisation; when training is not lazy (the
 * slides' 1/n variance: the parameters move ~2x their norm) the curvature can grow along the
 * trajectory until eta L_k > 2 and GD diverges — a violation of the hypothesis, not evidence
 * about the claim. A run is declared divergent when the risk or the gradient becomes
 * non-finite, when r(Theta_k) > NTK_DIVERGE_FACTOR r(Theta_0), or when it ends above
 * r(Theta_0) (criteria at NTK_DIVERGE_FACTOR). Then every
 * width of that seed is rerun from the same initialisations with eta / 2 and twice the steps,
 * at most NTK_MAX_HALVINGS times; the number of halvings is reported (eta_halvings). Why this
 * is still a faithful test:
 *  - eta K is unchanged, so each width is observed over the same rescaled time eta n K / m as
 *    before, and the slides' bound after K steps, (1 - c eta n/m)^K, becomes
 *    (1 - c eta n/(2m))^{2K} = (1 - c eta n/m + (c eta n/m)^2 / 4)^K: the same bound to first
 *    order in eta and never stronger, i.e. the halved run is held to no stricter standard.
 *  - The whole seed is rerun, so one eta is still shared by all widths of the seed: the
 *    per-step rate kappa(n) ~ c eta n / m is scaled by the same 1/2 at every width and the
 *    per-seed width exponent (OLS of log kappa on log n) is unchanged; halving only the
 *    diverging width would mix steps inside one fit. Predictions use the seed's actual eta.
 *  - c = min_k m ||grad r_k||^2 / (n r_k) is a property of the trajectory, which tends to the
 *    gradient flow as eta -> 0: a smaller step moves it towards the object of the statement.
 *  - The descent-lemma check kappa >= (1 - eta_factor) predicted is only looser (the
 *    effective factor of the rerun is eta_factor / 2^h, and 1 - eta_factor / 2^h >=
 *    1 - eta_factor), and E5's end of training (r <= target r0) and movement do not refer to
 *    the step at all.
 *  - The initialisations are the same draws (the seed's stream is restored), so the rerun
 *    changes nothing but the step.
 * A run that still diverges at eta / 2^NTK_MAX_HALVINGS gives an error (no stable step was
 * found), never a verdict. */

/* Divergence criteria (num_twolayer_train, diverge_factor). With a sufficiently small step r is
 * non-increasing, but under the slides' 1/n variance GD learns features, the curvature rises
 * along the trajectory (progressive sharpening) and transient spikes that self-stabilise are
 * part of the measured dynamics (catapult / edge-of-stability behaviour: Lewkowycz et al. 2020,
 * Cohen et al. 2021); halving the step does not remove them in general (the curvature then
 * rises towards the new 2/eta: run seed 19 still spikes to 21 r_0 at eta/2), so "r_k <= r_0 for
 * all k" cannot be demanded without the reruns risking never to end. What is detected is a run
 * that does not come back:
 *  (a) a non-finite risk or gradient;
 *  (b) r(Theta_k) > NTK_DIVERGE_FACTOR r(Theta_0): geometric growth, stopped before it
 *      overflows. The largest transient excursion of the runs that are kept was 21 r_0
 *      (quick profile, 41 run seeds x 6 seeds x 4 widths, slides' variance; the unit variance
 *      never exceeds r_0), so 1e4 (a residual 100x the initial one, predictions two orders of
 *      magnitude beyond the targets) only fires on runs in runaway growth. A false alarm costs
 *      one halving (a more conservative run), never a verdict;
 *  (c) r(Theta_K) > r(Theta_0) at the end of the run: GD with a sufficiently small step ends
 *      below its start, so a run that ends above it has not come back from an instability
 *      (this also catches growth too slow to reach (b) within the budget). */
#define NTK_DIVERGE_FACTOR 1e4

/* At most this many halvings: eta / 8 with 8x the steps, i.e. 8x the time of the seed (the cost
 * bound of the quick profile). Measured need: one halving (run seed 19 of the quick profile,
 * the only one of 41 run seeds that diverged). A run that still diverges at eta / 8 has a
 * curvature that outgrows any step tried: an error (no stable step found), not a verdict. */
#define NTK_MAX_HALVINGS 3

typedef struct {
    num_twolayer_gd_out gd; /* the run */
    unsigned halvings;      /* eta of this run = eta at init / 2^halvings */
} train_out;

typedef struct {
    bool unit;
    bool stop_at_target; /* E5: stop when r <= target r0 */
} train_cfg;

/* All (seed, width) runs of a training claim. out is S x W. curves (seed 0): W x (nc + 1).
 * etas[s]: the step used for seed s (eta at init / 2^out[s * W + w].halvings, same for all w).
 * A divergence reruns the seed with eta / 2 and twice the steps (see above); a kernel failure
 * or no stable step found ends the run with `error`. */
void ntk_train_all(tc_ctx *ctx, const ntk_data *D, const train_cfg *cfg, const size_t *widths,
                   size_t W, size_t S, size_t steps, double ef, double target, train_out *out,
                   double *curves, size_t nc, double *etas);

/* Halvings over all seeds (sum and max) and the largest r_k / r_0 seen in the kept runs. */
void ntk_train_report(tc_result *res, const train_out *out, size_t S, size_t W);

/* ---- the claims (catalogue order in family.c) ------------------------------------------ */

extern const tc_claim ntk_claim_min_eig, ntk_claim_min_eig_unit, ntk_claim_min_eig_linear,
    ntk_claim_min_eig_duplicate;
extern const tc_claim ntk_claim_limit_kernel, ntk_claim_limit_kernel_duplicate;
extern const tc_claim ntk_claim_gradient_bound, ntk_claim_gradient_bound_first_layer;
extern const tc_claim ntk_claim_convergence, ntk_claim_convergence_unit;
extern const tc_claim ntk_claim_lazy, ntk_claim_lazy_unit;

#endif /* TC_THEOREMS_NTK_H */
