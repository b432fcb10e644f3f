/* numerics/randnet.h — random Gaussian layers applied to batches of pairs of points.
 *
 * Workload: the 'angle' family (001 §V-A, after Giryes, Sapiro & Bronstein 2016) pushes a batch
 * of n points (row-major, n x d) through random layers Z = H W^T + 1 b^T, H' = act(Z), with
 * W (m x d) of i.i.d. N(0, sigma_w^2) entries. A whole batch goes through one CBLAS dgemm per
 * layer; nothing is ever computed one matrix-vector product per point.
 *
 * Pairs: a batch of P pairs is stored as 2P rows, row 2p = x_p and row 2p + 1 = y_p.
 * num_randnet_pairs_orthogonal puts pair p in the coordinate plane (e_2p, e_2p+1):
 *   x_p = e_2p,  y_p = cos(theta_p) e_2p + sin(theta_p) e_2p+1.
 * Because a Gaussian matrix is rotation invariant, W x_p, W y_p have the law of a pair at angle
 * theta_p in generic position, and the P pairs are mutually orthogonal, so the first-layer
 * images of different pairs are exactly independent: the m rows of the P pairs are m P i.i.d.
 * samples of one bivariate Gaussian (u, v) with corr(u, v) = cos theta. The Monte Carlo
 * standard errors of the family rest on this.
 *
 * Estimators (pooled over the pairs of one batch, ratio of sums, so their bias is O(1/(m P))):
 *   cosine   c^ = sum_{p,i} a b / sqrt(sum a^2 sum b^2), (a, b) = (h_x, h_y)_{p,i};
 *   distance D^ = (1/P) sum_p ||h_x - h_y||^2.
 * Standard errors come from the delta method (influence function of a ratio of means, e.g.
 * Cochran, "Sampling Techniques", 3rd ed., §6.4): for the cosine the influence of one sample is
 *   z = a b / sqrt(A B) - (c / 2) (a^2 / A + b^2 / B),  A = mean a^2, B = mean b^2,
 * and SE^2 = Var(z) / (number of independent units). The unit is either one (pair, row)
 * sample (first layer of orthogonal pairs) or one row summed over the pairs (any layer: given
 * its input, the rows of a layer are i.i.d.; this is valid whatever the dependence between
 * pairs).
 *
 * Exact moments for ReLU (standard bivariate normal (u, v), corr cos theta), in Cho & Saul's
 * convention (step function times power, so M_pq = E[relu(u)^p relu(v)^q] for p, q >= 1):
 *   M_pq(theta) = E[1{u > 0} u^p 1{v > 0} v^q]
 *               = (1/(2 pi)) E[r^(p+q)] int_{theta - pi/2}^{pi/2} cos^p(phi) cos^q(phi - theta) dphi
 * with (u, v) = r (cos phi, cos(phi - theta)) in polar coordinates and E[r^k] = 2^(k/2)
 * Gamma(1 + k/2) for the radius of a standard 2-D Gaussian. M_11 = J_1 / (2 pi) and
 * M_22 = J_2 / (2 pi) are Cho & Saul's (2009) arc-cosine kernels of orders 1 and 2.
 */
#ifndef NUM_RANDNET_H
#define NUM_RANDNET_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/mlp.h"
#include "numerics/num.h"

/* ---- pairs ----------------------------------------------------------------------------- */

/* Fill X (2 P x d, row-major, d >= 2 P) with P unit pairs in mutually orthogonal coordinate
 * planes, pair p at angle theta[p] (clamped to [0, pi]; theta = pi gives y = -x exactly).
 * Returns NUM_EINVAL if d < 2 P or an angle is not finite. */
num_status num_randnet_pairs_orthogonal(size_t npairs, const double *theta, double *X,
                                        size_t d);

/* Fill X (2 P x d) with P unit pairs in generic position: x_p uniform on the sphere S^{d-1},
 * y_p = cos(theta_p) x_p + sin(theta_p) u_p with u_p uniform on the unit sphere of x_p's
 * orthogonal complement. Pairs share no structure; d >= 2. */
num_status num_randnet_pairs_random(gsl_rng *r, size_t npairs, const double *theta,
                                    double *X, size_t d);

/* ---- layers ---------------------------------------------------------------------------- */

/* Draw W (m x d) with i.i.d. N(0, sigma_w^2) entries and, if b != NULL, b (m) with i.i.d.
 * N(0, sigma_b^2) entries, from r. */
num_status num_randnet_draw(gsl_rng *r, size_t m, size_t d, double sigma_w, double *W,
                            double sigma_b, double *b);

/* Apply one layer to a batch: Z = H W^T + 1 b^T (n x m; b may be NULL) with one dgemm, then
 * Hout = act(Z) elementwise (Hout may equal Z: in place; Hout may be NULL to keep only Z).
 * act is one of NUM_ACT_LINEAR, RELU, TANH, ERF, SOFTPLUS, SIGMOID, SMOOTH_RELU (eps =
 * act_eps). H (n x d) and Z must not overlap. Returns NUM_ENAN if a non-finite value appears. */
num_status num_randnet_apply(const double *H, size_t n, size_t d, const double *W, size_t m,
                             const double *b, num_act act, double act_eps, double *Z,
                             double *Hout);

/* ---- pair statistics ------------------------------------------------------------------- */

typedef enum {
    NUM_RANDNET_UNIT_SAMPLE = 0, /* every (pair, row) is an independent sample */
    NUM_RANDNET_UNIT_ROW         /* only rows are independent: sum over the pairs per row */
} num_randnet_unit;

/* Pooled cosine of the pairs pairs[0..k) of H (2 P x m rows as above; pairs == NULL means
 * pairs 0..k-1), and its delta-method standard error with the given independent unit.
 * *cos is 0 and *se 0 if a pooled norm is 0. se may be NULL. */
num_status num_randnet_pooled_cos(const double *H, size_t m, const size_t *pairs, size_t k,
                                  num_randnet_unit unit, double *cos, double *se);

/* Pooled squared distance D^ = (1/k) sum ||h_x - h_y||^2 over the chosen pairs, with its
 * standard error for the given unit (se may be NULL). */
num_status num_randnet_pooled_dist2(const double *H, size_t m, const size_t *pairs, size_t k,
                                    num_randnet_unit unit, double *dist2, double *se);

/* Ratio of pooled squared distances, rho2 = sum ||h_x - h_y||^2 / sum ||g_x - g_y||^2, of two
 * batches of images of the same pairs (e.g. a ReLU layer H and its pre-activation G), with its
 * delta-method standard error (se may be NULL). NUM_EINFEASIBLE if the denominator is 0. */
num_status num_randnet_pooled_dist2_ratio(const double *H, const double *G, size_t m,
                                          const size_t *pairs, size_t k, num_randnet_unit unit,
                                          double *rho2, double *se);

/* Decrease of the pooled distance from G to H: delta = sqrt(D_G) - sqrt(D_H) with
 * D = (1/k) sum ||x-image - y-image||^2 over the chosen pairs (e.g. G = pre-activation, H = its
 * ReLU), and its delta-method standard error (se may be NULL). */
num_status num_randnet_pooled_dist_decrease(const double *H, const double *G, size_t m,
                                            const size_t *pairs, size_t k,
                                            num_randnet_unit unit, double *delta, double *se);

/* Per-pair statistics of H (2 P x m): any output pointer may be NULL.
 * cos[p] (0 if a norm is 0), dist2[p] = ||h_x - h_y||^2. */
num_status num_randnet_pair_stats(const double *H, size_t npairs, size_t m, double *cos,
                                  double *dist2);

/* For each pair of Z (2 P x m): count[p] = number of coordinates i with sign(z_x,i) !=
 * sign(z_y,i) among the valid[p] coordinates where neither value is exactly 0 (a sign is
 * undefined there). Zeros have probability 0 for Gaussian weights, but a sampler can return an
 * exact 0 (GSL's ziggurat does, with probability 2^-24 per draw), and at theta = pi, where
 * every valid coordinate differs, one such tie would otherwise read as a sign agreement.
 * valid may be NULL. */
num_status num_randnet_sign_disagreements(const double *Z, size_t npairs, size_t m,
                                          size_t *count, size_t *valid);

/* Per-row fractions of differing signs: f_i = (1/P) #{p : (z_x,i > 0) != (z_y,i > 0)} for the
 * m rows of Z (2 P x m, pairs as above; an exact 0 counts as not positive), and their mean
 * and unbiased sample variance over the rows, (sum f_i^2 - m mean^2) / (m - 1) (0 when
 * m = 1). When the rows are independent but the pairs of one row are not (hyperplanes with
 * offsets shared by all pairs), sqrt(var / m) is the standard error of the mean. */
num_status num_randnet_row_sign_fractions(const double *Z, size_t npairs, size_t m,
                                          double *mean, double *var);

/* Add independent N(0, sigma^2) noise to each of the len entries of H, sigma = rel x the RMS
 * entry of H (computed before the noise is added), one draw per entry from r in order. */
num_status num_randnet_add_relative_noise(gsl_rng *r, double rel, double *H, size_t len);

/* ---- exact ReLU moments and estimator variances ---------------------------------------- */

/* M_pq(theta) = E[1{u>0} u^p 1{v>0} v^q] (= E[relu(u)^p relu(v)^q] for p, q >= 1), (u, v)
 * standard bivariate normal with correlation cos(theta), theta in [0, pi], 0 <= p, q <= 8
 * (Gauss-Legendre quadrature of a trigonometric polynomial; accurate to a few ulps).
 * M_00 = (pi - theta) / (2 pi), M_11 = J_1 / (2 pi), M_22 = J_2 / (2 pi) (Cho & Saul 2009). */
num_status num_randnet_relu_moment(int p, int q, double theta, double *out);

/* Per-sample variance of the cosine influence z = 2 a b - g (a^2 + b^2) of a ReLU layer at
 * input angle theta (a = relu(u), b = relu(v); g = the arc-cosine law):
 *   Var z = 4 M_22 - 8 g M_31 + g^2 (3 + 2 M_22).
 * SE of the pooled cosine over n i.i.d. samples = sqrt(Var z / n). */
num_status num_randnet_relu_cos_var(double theta, double *var);

/* Per-sample variance of (a - b)^2 for unit inputs at angle theta:
 *   Var = 3 - 8 M_31 + 6 M_22 - (1 - g)^2.
 * Under W ~ N(0, 1/m) entries, Var(D^) = Var / (m P) for P orthogonal pairs. */
num_status num_randnet_relu_dist2_var(double theta, double *var);

#endif /* NUM_RANDNET_H */
