/* theorems/angle/angle.h — private header of the claim family 'angle': random Gaussian layers,
 * angles and distances (CLAIMS.md section D).
 *
 * Source: 001 (Vidal, Bruna, Giryes, Soatto, "Mathematics of Deep Learning") §V-A "Structure
 * of the data throughout a neural network", which summarises [56] Giryes, Sapiro & Bronstein,
 * "Deep neural networks with random Gaussian weights: a universal classification strategy?"
 * (IEEE TSP 64(13), 2016), and [64] Plan & Vershynin (2014) for the 1-bit view.
 *
 * Claims (one file per sub-claim, each run reads measure -> judge -> figure):
 *   D1 angle_linear                 random projections preserve distances, error ~ m^{-1/2}
 *                                   (linear.c)
 *   D2 angle_shrinkage              arc-cosine law for the output angle + distance law (D3)
 *   D3 angle_distance_law_he_init   the distance law read under N(0, 2/m) weights
 *                                   (both in shrinkage.c)
 *   D4 angle_depth                  iterated law, shrinkage with every layer (depth.c)
 *   D5 angle_shrinkage_small_angles(_absolute)   "the smaller the angle, the stronger the
 *                                   shrinkage of the distance", two readings (small_angles.c)
 *   D6 angle_sign_hamming           fraction of differing signs of Wx, Wy estimates theta/pi
 *                                   (hamming.c)
 *   D6 angle_intrinsic_dimension    low-dimensional data stay low-dimensional (intrinsic.c)
 * Negative controls: a ReLU layer does not preserve distances; the arc-cosine law fails for a
 * linear and for an erf layer (which follow cos theta and Williams' law); a linear network does
 * not shrink angles with depth; hyperplanes with offsets break the theta/pi law; per-layer
 * noise raises the intrinsic dimension. Each control shares its claim's run function and
 * differs only in the descriptor's .config.
 *
 * Monte Carlo design (numerics/randnet.h): P pairs of unit vectors sit in mutually orthogonal
 * coordinate planes, so their first-layer images are exactly independent and the m P (pair,
 * row) values are i.i.d. draws of a bivariate Gaussian; estimators pool them (ratio of sums).
 * Every batch goes through one dgemm per layer. Seed s of a check draws from tc_stream(s).
 *
 * Statistical decisions: every claim splits a family-wise false-alarm probability ANGLE_ALPHA
 * over all its tests (Bonferroni), so a true statement gets the same verdict for any run seed
 * except with probability about ANGLE_ALPHA (see the constant for the approximation made).
 */
#ifndef TC_THEOREMS_ANGLE_H
#define TC_THEOREMS_ANGLE_H

#include <math.h>
#include <stddef.h>

#include "numerics/fit.h"
#include "numerics/stats.h"
#include "theorems/claim.h"
#include "theorems/registry.h"

/* ---- decision constants (each derived where it is defined) ------------------------------ */

/* Family-wise false-alarm probability of one claim: its K tests each use level ANGLE_ALPHA / K
 * (Bonferroni; two-sided unless stated). z-tests use the normal approximation of means of
 * n >= 4096 i.i.d. terms whose skewness is at most about 3; by Cramer's large-deviation
 * correction exp(z^3 skew / (6 sqrt n)) the true tail at z ~ 5.8 is at most ~20 times the
 * normal one, so the real false-alarm probability is below 2e-5 per claim. Binomial and
 * chi-square tests are exact (or Satterthwaite-matched) and stay at ANGLE_ALPHA. */
#define ANGLE_ALPHA 1e-6

/* Standard errors are floored by this absolute amount before dividing. It only matters where
 * an estimator is exactly degenerate: at theta = pi, y = -x bit for bit, relu(u) relu(-u) = 0
 * exactly, so the pooled cosine is exactly 0 = the law and its variance is 0. Anywhere else the
 * standard errors are >= 1e-7, five orders of magnitude above the floor. */
#define SE_FLOOR 1e-12

/* Rate of the per-pair cosine error (D2). The per-pair estimate is a ratio of means of m
 * i.i.d. terms, so its mean squared error is (V/m)(1 + c2/m + O(m^-2)) (delta method with the
 * second-order term). Measured (tests of this file, 20 x 64 pairs per point, theta in
 * [0.1, 2.8]): m MSE / V = 1.13 .. 1.21 at m = 64 and <= 1.10 at m >= 256, i.e. c2 <= 13.4; we
 * take RATE_C2 = 16. Over widths m_min .. m_max this bends the fitted log-log slope by at most
 * (1/2) ln(1 + RATE_C2/m_min) / ln(m_max/m_min), which is added to the statistical tolerance. */
#define RATE_C2 16.0

/* Intrinsic dimension (D6), decided exactly (intrinsic.c): each tangent ball has
 * ID_BALL_EXTRA more offsets than the dimension of the tangent space, so a map that raised
 * the local dimension would show up to ID_BALL_EXTRA excess singular values (and the noisy
 * control does). The tolerance is a rigorous rounding bound (to first order), so a value
 * above it is certainly nonzero; a secant rank counts only if (i) the smallest counted singular
 * value is ID_RANK_MARGIN_DECADES above the bound (a bound 10x looser gives the same count;
 * the hessian family's HESS_STABLE_MIN_DECADES) and (ii) the spectrum splits there: the
 * smallest counted value is ID_RANK_GAP_DECADES above the largest uncounted one
 * (HESS_GAP_MIN_DECADES), so the count is the same for every tolerance across the gap. The
 * uncounted values are rounding, which sits close to its bound (at the input within a factor
 * ~15): a margin below the bound is not required. Balls draw from stream ID_BALL_STREAM + seed, disjoint
 * from the data streams 0..31. ID_SUBSPACE_MAX bounds subspace_dim (stack scratch). */
#define ID_BALL_EXTRA 4
#define ID_RANK_MARGIN_DECADES 1.0
#define ID_RANK_GAP_DECADES 2.0
#define ID_BALL_STREAM 1000
#define ID_SUBSPACE_MAX 8

/* Finite-width bias of the depth experiment (D4). The iterated law is the infinite-width
 * limit; a network of width m has, at layer l, an expected (per-network pooled) angle that
 * differs from it by O(l/m): every layer adds an O(1/m) second-order term (the arccos of a
 * ratio of fluctuating sums, and the common-mode fluctuation described in run_depth_impl).
 * Measured with 600 networks at m = 256 (l <= 12) and 120 at m = 1024 (l <= 10), all starting
 * angles of the full grid: bias <= 0.9 l/m (m = 256) and <= (1.1 +- 0.4) l/m (m = 1024). The
 * law test therefore allows DEPTH_FW_C l/m rad before the t-statistic, with DEPTH_FW_C = 2
 * (twice the largest measured value). Without it the test would reject the true law as soon
 * as sqrt(R) exceeds ~ t_crit / 0.7. */
#define DEPTH_FW_C 2.0

/* Harmonics of the closed curve of the intrinsic-dimension check (a generic smooth closed
 * curve in R^D: x(t) = sum_{a=1}^{J} (A_a cos(a t) + B_a sin(a t)) / a). */
#define CURVE_HARMONICS 3

/* ---- shared parameter text ------------------------------------------------------------- */

#define THETAS_GRID "0.1,0.3,0.6,1.0,1.5708,2.2,2.8,3.1416"
#define THETAS_GRID_FULL "0.05,0.1,0.2,0.3,0.45,0.6,0.8,1.0,1.25,1.5708,1.9,2.2,2.5,2.8,3.1416"
#define THETAS_HELP "input angles in radians, in (0, pi]; values above pi (up to 3.1416) are pi"
#define WIDTHS_HELP                                                                          \
    "layer widths m (integers >= 64: the rate tolerance assumes the ratio estimator's "      \
    "second-order term is small, see RATE_C2)"

#define SRC_VA "001 §V-A (Structure of the data throughout a neural network), citing [56] "     \
               "Giryes, Sapiro & Bronstein 2016"

/* ---- small helpers (common.c) ---------------------------------------------------------- */

/* Critical values of ntests z-tests sharing the family-wise level ANGLE_ALPHA. */
static inline double angle_z_two_sided(double ntests)
{
    return num_stats_z2(ANGLE_ALPHA, ntests);
}

static inline double angle_z_one_sided(double ntests)
{
    return num_stats_z1(ANGLE_ALPHA, ntests);
}

/* A standard error floored by SE_FLOOR (in quadrature) before it divides. */
static inline double angle_hyp(double se)
{
    return sqrt(se * se + SE_FLOOR * SE_FLOOR);
}

/* A context-owned copy of a list parameter of angles, each clamped to pi (the range admits
 * 3.1416 = pi). */
double *angle_read_thetas(tc_ctx *ctx, const char *name, size_t *n);

/* The "widths" parameter as context-owned integers, with the largest and the number of
 * distinct values; NULL with a skip recorded if one is not an integer. */
size_t *angle_read_widths(tc_ctx *ctx, tc_result *res, size_t *n, size_t *mmax,
                          size_t *ndistinct);

/* Number of distinct values among x[0..n). */
size_t angle_count_distinct(const double *x, size_t n);

/* The index of the (last) largest width. */
size_t angle_index_of_max(const size_t *widths, size_t nw, size_t mmax);

/* Label "theta0 = 1.57" into buf. */
const char *angle_label(char *buf, size_t cap, const char *fmt, double v);

/* ---- the claims (descriptors in their sub-claim files, listed in family.c) ------------- */

extern const tc_claim angle_claim_linear, angle_claim_linear_relu;
extern const tc_claim angle_claim_shrinkage, angle_claim_distance_he;
extern const tc_claim angle_claim_shrinkage_linear, angle_claim_shrinkage_erf;
extern const tc_claim angle_claim_depth, angle_claim_depth_linear;
extern const tc_claim angle_claim_small, angle_claim_small_abs;
extern const tc_claim angle_claim_hamming, angle_claim_hamming_offsets;
extern const tc_claim angle_claim_intrinsic, angle_claim_intrinsic_noise;

#endif /* TC_THEOREMS_ANGLE_H */
