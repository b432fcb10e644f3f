/* numerics/collapse.h — neural-collapse metrics of last-layer features and a linear classifier.
 *
 * Inputs: features H (n x p, row-major, one sample per row), labels y[i] in 0..C-1 (every class
 * present), optionally a classifier W (C x p, one class per row) and bias b (C).
 *
 * Conventions (those of the analysis code published with Papyan, Han and Donoho, "Prevalence of
 * neural collapse during the terminal phase of deep learning training", PNAS 117 (2020); the
 * notation of seed 004, "Neural Collapse" slides):
 *   mu_c   = mean of the features of class c (class mean, 004 "h_n");
 *   mu_G   = (1/C) sum_c mu_c, the mean of the class means (004 "h", global mean; equals the
 *            sample mean only for balanced classes);
 *   M      = centred class means mu_c - mu_G, C x p here (one per row; the paper's p x C matrix
 *            with the centred means as columns is its transpose);
 *   Sigma_W = (1/n) sum_i (h_i - mu_{y_i})(h_i - mu_{y_i})^T  (normalised by the sample count);
 *   Sigma_B = (1/C) sum_c (mu_c - mu_G)(mu_c - mu_G)^T        (normalised by the class count).
 * Metrics (each tends to 0 under neural collapse):
 *   nc1                 = Tr(Sigma_W Sigma_B^+)                        NC1, variability collapse
 *   nc1_over_c          = nc1 / C            (the variant used in later papers, reported beside)
 *   equinorm_means      = std_c ||mu_c - mu_G|| / mean_c ||mu_c - mu_G||            NC2 equinorm
 *   equinorm_weights    = std_c ||w_c|| / mean_c ||w_c||                            NC2 equinorm
 *                         (std is the unbiased one, divisor C - 1, as torch.std)
 *   equiangularity      = mean over c != c' of |cos(mu_c - mu_G, mu_c' - mu_G) + 1/(C-1)|  NC2
 *   equiangularity_weights = the same for the rows w_c (not centred, as in the paper's code)
 *   self_duality        = || W/||W||_F - M/||M||_F ||_F^2          NC3 (||W^T/.. - M^T/..|| in the
 *                         paper's column layout; identical value)
 *   ncc_mismatch        = fraction of samples whose nearest uncentred class mean (Euclidean)
 *                         differs from the classifier's prediction argmax_c (W h + b)_c     NC4
 * Sigma_B^+ is the Moore-Penrose pseudoinverse with the rank tolerance
 *   l > max(p, C) * DBL_EPSILON * l_max on the eigenvalues l of Sigma_B
 * (the absolute error of eigenvalues from a backward-stable solver, Golub and Van Loan §8.1.2);
 * Sigma_B has rank <= C - 1 because the centred means sum to zero, and the paper's code inverts
 * exactly the C - 1 leading eigenvalues, which is what this tolerance selects for
 * non-degenerate means.
 *
 * Undefined values are NaN: nc1 when Sigma_B = 0, equinorm when all norms vanish, a cosine of
 * a zero vector, self-duality with W = 0 or M = 0, and every weight-dependent metric when W is
 * NULL.
 *
 * Workload: called on a logarithmic grid of training epochs, n up to a few thousand, p up to a
 * few thousand, C up to a hundred. Cost O(n p C) through dgemm; Sigma_W (p x p) is never
 * formed: with M = U S V^T (thin SVD), Sigma_B^+ = sum_k (C / s_k^2) v_k v_k^T and
 * Tr(Sigma_W Sigma_B^+) = sum_k (C / s_k^2) (1/n) ||R v_k||^2, R the within-class residuals.
 * num_collapse_covariances and num_collapse_pinv_sym are the explicit p x p reference route.
 */
#ifndef NUM_COLLAPSE_H
#define NUM_COLLAPSE_H

#include <stddef.h>

#include "numerics/num.h"

typedef struct {
    size_t classes, samples, dim;  /* C, n, p */
    double nc1;                    /* Tr(Sigma_W Sigma_B^+), >= 0 */
    double nc1_over_c;             /* nc1 / C */
    double equinorm_means;         /* coefficient of variation, >= 0 */
    double equinorm_weights;       /* NaN without W */
    double equiangularity;         /* in [0, C/(C-1)] */
    double equiangularity_weights; /* NaN without W */
    double self_duality;           /* in [0, 4]; NaN without W */
    double ncc_mismatch;           /* in [0, 1]; NaN without W */
    /* further diagnostics (not part of the published set) */
    double max_equiangularity;     /* max over c != c' of |cos + 1/(C-1)| of centred means */
    double accuracy;               /* fraction with argmax(W h + b) == label; NaN without W */
    double ncc_accuracy;           /* fraction whose nearest class mean is its own class */
    double within_norm;            /* sqrt(Tr Sigma_W): RMS distance to the class mean */
    double between_norm;           /* sqrt(Tr Sigma_B): RMS norm of the centred means */
    size_t sb_rank;                /* numerical rank of Sigma_B (<= C - 1) */
} num_collapse_metrics;

typedef struct num_collapse_work num_collapse_work;

/* Workspace for up to n samples of dimension p and C classes (O(n p + n C + C p) doubles). */
num_collapse_work *num_collapse_work_alloc(size_t n, size_t p, size_t C);
void num_collapse_work_free(num_collapse_work *w);

/* All metrics of (H, y) and, if W != NULL, of the classifier (W, b); b may be NULL (zero bias).
 * n, p, C must fit the workspace; C >= 2. Returns NUM_EINVAL for bad sizes, a label >= C or an
 * empty class, NUM_ENAN for non-finite input, NUM_ELAPACK if the SVD fails. */
num_status num_collapse_measure(num_collapse_work *w, const double *H, const size_t *y,
                                size_t n, size_t p, size_t C, const double *W, const double *b,
                                num_collapse_metrics *m);

/* Class means (C x p), class counts (C) and the global mean (p) = mean of the class means.
 * counts and gmean may be NULL. NUM_EINVAL for a label >= C or an empty class. */
num_status num_collapse_means(const double *H, const size_t *y, size_t n, size_t p, size_t C,
                              double *means, size_t *counts, double *gmean);

/* The explicit scatter matrices Sigma_W and Sigma_B (each p x p, row-major), conventions
 * above. O(n p^2): for tests and small p. */
num_status num_collapse_covariances(const double *H, const size_t *y, size_t n, size_t p,
                                    size_t C, double *Sw, double *Sb);

/* Replace the symmetric positive semi-definite A (p x p) by its pseudoinverse, eigenvalues
 * below max(p, C_hint) * DBL_EPSILON * l_max treated as zero (C_hint = 0: use p alone);
 * *rank receives the number kept. LAPACKE_dsyev. */
num_status num_collapse_pinv_sym(double *A, size_t p, size_t C_hint, size_t *rank);

/* The classifier's offset and self-duality with the classifier rows centred (NC3 under the
 * MSE loss). With one-hot targets of mean 1/C, weight decay on (W, b) lets part of the target
 * offset be carried by a common row wbar = (1/C) sum_c w_c of W along the features' global
 * mean, which the centred means M (rows summing to zero) cannot match. The least-squares
 * classifier of Han, Papyan and Donoho (2022, "Neural collapse under MSE loss: proximity to and
 * dynamics on the central path", the decomposition of the MSE loss) has rows summing to zero,
 * the offset being carried by the bias. Outputs (each may be NULL):
 *   sd_centred  = || Wc/||Wc||_F - M/||M||_F ||_F^2, Wc = W - 1 wbar^T (rows centred);
 *   offset_frac = sqrt(C) ||wbar|| / ||W||_F in [0, 1] (||W||^2 = ||Wc||^2 + C ||wbar||^2);
 *   offset_cos  = cos(wbar, mu_G), mu_G the mean of the class means (NaN if either is 0).
 * ws: workspace of num_collapse_offset_wsize(p, C) doubles. NUM_EINVAL for bad sizes, a label
 * >= C or an empty class; sd_centred is NaN when Wc = 0 or M = 0. */
size_t num_collapse_offset_wsize(size_t p, size_t C);
num_status num_collapse_offset(const double *H, const size_t *y, size_t n, size_t p, size_t C,
                               const double *W, double *ws, double *sd_centred,
                               double *offset_frac, double *offset_cos);

/* Where a quantity sampled at the ends of two consecutive windows of a training run,
 * a = m(T - 2W), b = m(T - W), c = m(T), can still go (the convergence gate of the collapse
 * claims). With d1 = b - a and d2 = c - b:
 *   d2 = 0                                  -> [c, c] (stationary over the last window);
 *   d1 d2 > 0 and |d2| < |d1| (decelerating) -> a geometric tail: per window the change
 *       shrinks by q = d2/d1 (linear convergence, m(t) = m_inf + A rho^t, gives exactly this),
 *       so the remaining change is d2 (q + q^2 + ...) = d2 q/(1 - q), on the side of the
 *       motion: [c, c + tail] rising, [c - tail, c] falling;
 *   d1 d2 < 0 (fluctuating)                  -> c -/+ max(|d1|, |d2|), the size of the
 *       fluctuation;
 *   otherwise (not slowing down)             -> unbounded on the side of the motion.
 * lo <= c <= hi always. NUM_EINVAL for a non-finite input or NULL outputs. */
num_status num_collapse_limit_interval(double a, double b, double c, double *lo, double *hi);

#endif /* NUM_COLLAPSE_H */
