/* theorems/hessian/hessian.h — private header of the claim family 'hessian': degeneracy of the
 * Hessian of deep networks at zero-loss points (CLAIMS.md section C; document 003, Poggio et
 * al., CBMM Memo 90).
 *
 *   hessian_degeneracy              C1  003 §12.1 Theorem 4 (K. Takeuchi), eq. (28)
 *                                       (degeneracy.c)
 *   hessian_degeneracy_underparam   C1 negative control (Theorem 4's condition violated)
 *   hessian_symmetry_zeros          the zero eigenvalues that remain there = the dimension of
 *                                   the continuous symmetry (ReLU: per-unit rescaling) plus
 *                                   the nullity the activation pattern implies (symmetry.c)
 *   hessian_weight_decay            C2  003 eq. (29), reading A: at a zero-loss point of the
 *                                   unregularised loss (weight_decay.c)
 *   hessian_weight_decay_nonzero_loss  its negative control: the same check at theta_0
 *   hessian_weight_decay_minimiser  C2  as 003 states it: positive definite at a minimiser of
 *                                   the regularised loss (weight_decay_minimiser.c)
 *   hessian_weight_decay_minimiser_2lambda  the strengthening lambda_min >= 2 lambda there
 *   hessian_exp_rank                C3  003 §12.3.2 eqs. (44)–(46) (exp_rank.c)
 *   hessian_exp_rank_linear         eq. (46), counted in binary128 (numerics/hessian_quad.h)
 *   hessian_exp_rank_linear_limit   eq. (46) read in the limit of large norm
 *
 * Conventions. Square loss L = 1/2 ||Y_hat - Y||_F^2 as in Theorem 4 (eq. (26) omits the 1/2:
 * every Hessian there is twice ours; counts and ranks are unaffected). Networks have no
 * biases, as in Theorem 4 (h_1 = W_1 X). Weight decay is lambda_k ||W_k||_F^2, whose Hessian
 * is 2 lambda_k I: the smallest eigenvalue bound reads 2 lambda (eq. (29) writes lambda_k I,
 * the convention of a penalty lambda_k/2 ||W_k||^2; the check is the same).
 *
 * Numerics: exact Hessians from R-operator Hessian-vector products (numerics/hessian.h,
 * O(n P^2)), dense eigenvalues by dsyevd (O(P^3)), zero counts with the tolerance
 * c P eps lambda_max and the spectral gap around it (numerics/spectrum.h), the analysis of a
 * point (numerics/hessian_counts.h), zero-loss points to machine precision
 * (numerics/zeroloss.h).
 */
#ifndef TC_THEOREMS_HESSIAN_H
#define TC_THEOREMS_HESSIAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "numerics/hessian.h"
#include "numerics/hessian_counts.h"
#include "numerics/mlp.h"
#include "numerics/zeroloss.h"
#include "theorems/claim.h"

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

#define HESS_MAX_ARCH 8
#define HESS_MAX_DEPTH 16

/* Floor of plotted relative eigenvalue moduli: four decades below the rounding level
 * (~1e-16), so computed zeros stay visible on a log axis and exact zeros do not stretch it. */
#define HESS_PLOT_FLOOR 1e-20

/* ---- shared by the claims (common.c) ---------------------------------------------------- */

typedef struct {
    size_t nh;                     /* hidden layers H */
    size_t hidden[HESS_MAX_DEPTH]; /* N_1 .. N_H */
} hess_arch;

/* Dataset of a claim: user data if given, else Gaussian X (n x d), Y (n x dout); the arrays
 * are copies owned by the claim context. */
typedef struct {
    size_t n, d, dout;
    double *X, *Y;
    bool user;
} hess_data;

/* base followed by suffix, in buf. */
const char *hess_metric_name(char *buf, size_t len, const char *base, const char *suffix);

/* Hidden widths of several architectures from a list in which 0 separates architectures
 * ("40,0,16,16" = [40] and [16,16]). Returns the number of architectures (empty groups are
 * ignored; at most HESS_MAX_ARCH, each at most HESS_MAX_DEPTH deep). */
size_t hess_parse_archs(const double *list, size_t len, hess_arch *out);

/* widths = [d, N_1..N_H, d']; returns K = H + 1. */
size_t hess_arch_widths(const hess_arch *a, size_t d, size_t dout, size_t *widths);

/* Theorem 4's overparametrisation condition: the first k in 1..H+1 with
 * N_k N_{k-1} > n min(N_k, ..., N_{H+1}) (N_0 = d, N_{H+1} = d'), or 0 if there is none. */
size_t hess_theorem4_condition(const size_t *widths, size_t K, size_t n, size_t *bound);

/* Hypothesis region (tc_hypothesis_fn) of hessian_degeneracy and its negative control: 1 when
 * some architecture of `widths` satisfies Theorem 4's condition for n samples, d inputs and d'
 * outputs (parameters samples, inputs, outputs; the rows, features and target columns of
 * --data when given), 0 when none does. */
int hess_theorem4_hypothesis(const tc_hyp_args *a, char *why, size_t whylen);

/* The data of a claim (see hess_data); synthetic data from the claim's stream `stream`. */
void hess_load_data(tc_ctx *ctx, size_t n, size_t d, size_t dout, uint64_t stream,
                    hess_data *D);

/* Library objects owned by the context (tc_defer). */
num_mlp *hess_net(tc_ctx *ctx, size_t K, const size_t *widths, num_act act);
num_mlp_work *hess_mlp_work(tc_ctx *ctx, const num_mlp *net, size_t n);
num_hess_work *hess_hess_work(tc_ctx *ctx, const num_mlp *net, size_t n);

/* The Hessian analysis of a square-loss zero-loss point with this family's constants
 * (num_hessian_square_point); evals: P eigenvalues, owned by the context. */
num_status hess_square_point(tc_ctx *ctx, const num_mlp *net, const double *theta,
                             const double *X, const double *Y, size_t n, double c,
                             size_t cond_k, num_hessian_point *pt, double **evals);

/* Figures: |lambda_i| / lambda_max sorted decreasingly (index from 1, floored at
 * HESS_PLOT_FLOOR); the zero count against tolerance / lambda_max over 1e-18 .. 1e-1 (4 points
 * per decade); a vertical marker at x from y0 to y1. */
void hess_add_sorted_spectrum(tc_ctx *ctx, tc_result *res, const char *name, size_t P,
                              const double *ev);
void hess_add_tolerance_sweep(tc_result *res, const char *name, size_t P, const double *ev,
                              double amax);
void hess_add_vline(tc_result *res, const char *name, const char *xcol, const char *ycol,
                    double x, double y0, double y1);

/* ---- shared by the weight-decay claims (weight_decay.c) --------------------------------- */

/* The parameters common to both readings of C2. */
typedef struct {
    hess_arch archs[HESS_MAX_ARCH];
    size_t na, nl;
    const double *lambdas;
    num_act act;
    double c;
    hess_data D;
} hess_decay_setup;

extern const tc_param_spec hess_decay_params[];

/* Reads the parameters and loads the data; false after a skip. */
bool hess_decay_setup_read(tc_ctx *ctx, tc_result *res, hess_decay_setup *S);

/* One output (d' = 1); zero-loss point by least squares when the last hidden width >= n,
 * else by GD + LM. Fills net and theta (owned by the context). */
num_status hess_decay_start(tc_ctx *ctx, uint64_t stream, const hess_arch *a, num_act act,
                            const hess_data *D, num_mlp **pnet, double **ptheta);

/* The network and its Gaussian starting point theta_0 (stream `stream`, as hess_decay_start
 * draws it), untrained (owned by the context). */
void hess_decay_initial(tc_ctx *ctx, uint64_t stream, const hess_arch *a, num_act act,
                        const hess_data *D, num_mlp **pnet, double **ptheta);

/* Spectrum (ascending, P values) of the Hessian of the regularised square loss, penalty
 * lambda on every layer; H is P^2 scratch. */
num_status hess_decay_spectrum(num_hess_work *hw, const num_mlp *net, const double *theta,
                               const hess_data *D, double lambda, double *H, double *evals);

/* ---- the claims ------------------------------------------------------------------------- */

extern const tc_claim hess_claim_degeneracy;
extern const tc_claim hess_claim_underparam;
extern const tc_claim hess_claim_symmetry;
extern const tc_claim hess_claim_decay;
extern const tc_claim hess_claim_decay_control;
extern const tc_claim hess_claim_decay_min;
extern const tc_claim hess_claim_decay_min_2lambda;
extern const tc_claim hess_claim_exp;
extern const tc_claim hess_claim_exp_linear;
extern const tc_claim hess_claim_exp_linear_limit;

#endif /* TC_THEOREMS_HESSIAN_H */
