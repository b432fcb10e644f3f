/* numerics/hessian_quad.h — exact-enough eigenvalue counts of the Hessian of the exponential
 * loss of the deep linear network f(x) = w2^T W1 x (003 §12.3.2 eq. (46)) in __float128
 * (IEEE binary128, eps = 2^-112 ~ 1.9e-34; arithmetic in libgcc's soft float, no libquadmath:
 * the square root and the exponential are computed here).
 *
 * Why: at separating points of growing norm (W1, a w2) the sample weights
 * e_n = exp(-(m_n - m_min)) fall like exp(-a Delta_n), and the eigenvalue splittings they
 * produce fall below double precision's resolution c P eps lambda_max (~1e-12): the double
 * count of distinct eigenvalues then measures the precision, not the Hessian (issue #12,
 * finding 4). In binary128 the resolution is ~1e-31: the count is decided where a spectral gap
 * separates it at that precision, and reported as unresolved elsewhere.
 *
 * Reduction. With g_n = grad f(x_n) = (w2 (x) x_n, W1 x_n) and sum_n e_n y_n grad^2 f(x_n) =
 * S(v), the symmetric cross block I (x) v between W1 and w2, v = sum_n e_n y_n x_n, the Hessian
 * of L = sum_n e_n ... is H = sum_n e_n g_n g_n^T - S(v) (eq. (46)). Its range lies in the span
 * of the orthonormal vectors
 *   (e_i (x) v^, 0), i = 1..N1;   (0, e_i), i = 1..N1;   (w2^ (x) u_j, 0), j = 1..n-1,
 * with v^ = v/|v|, w2^ = w2/|w2|, and u_j an orthonormal basis of span{x_n} minus v^ (d >= n):
 * g_n has coordinates ((v^.x_n) w2, W1 x_n, |w2| (u_j.x_n)_j) and S(v) is |v| times the
 * identity between the first two groups. So the P - r other eigenvalues of H are exactly 0
 * and the r = 2 N1 + n - 1 others are those of the r x r matrix M, assembled and diagonalised
 * (cyclic Jacobi) in binary128.
 *
 * Workload: one call per point; r ~ 30 (quick) to ~100 (full); O(r^3) soft-float operations
 * per Jacobi sweep (~1 ms at r = 31, ~0.2 s at r = 103).
 */
#ifndef NUM_HESSIAN_QUAD_H
#define NUM_HESSIAN_QUAD_H

#include <stdbool.h>
#include <stddef.h>

#include "numerics/num.h"

typedef __float128 num_quad;

/* binary128 machine epsilon 2^-112. */
#define NUM_QUAD_EPS ((num_quad)0x1p-112)

/* sqrt(x) (x >= 0; NAN for x < 0), correctly rounded to within 1 ulp: two Newton steps from
 * the double square root after an exact power-of-4 scaling into double range. */
num_quad num_quad_sqrt(num_quad x);

/* exp(-t) for t >= 0 (0 beyond the binary128 range), relative error ~1e-32: t = k ln 2 + r,
 * |r| <= ln 2 / 2, Taylor series of exp(-r) to 1e-36, exact scaling by 2^-k. */
num_quad num_quad_exp_neg(num_quad t);

/* Eigenvalues of the symmetric n x n matrix A (row-major; destroyed) by the cyclic Jacobi
 * method (Golub & Van Loan 4th ed. Alg. 8.5.2/8.5.3), into evals ascending. Stops when the
 * off-diagonal Frobenius norm is <= eps ||A||_F (then every eigenvalue is within
 * ~n eps ||A||_F of a diagonal entry). Returns NUM_EINVAL, NUM_ENOCONV after 60 sweeps. */
num_status num_quad_eigh(size_t n, num_quad *A, num_quad *evals);

/* Counts of a binary128 spectrum at the tolerance tol = c r eps_q max |mu| and their
 * resolution: how many decades tol may move either way without changing the count. */
typedef struct {
    size_t r;               /* eigenvalues analysed (the reduced dimension) */
    size_t nonzero;         /* |mu| > tol */
    size_t distinct;        /* clusters of nonzero mu whose consecutive gaps exceed tol */
    double amax;            /* max |mu| (as a double) */
    double nonzero_stable;  /* min(log10(tol / largest zero), log10(smallest nonzero / tol));
                             * a missing side is ignored; 99 if both are */
    double distinct_stable; /* the same for the consecutive gaps of the nonzero mu around tol
                             * (within a cluster / between clusters) */
    double min_gap_rel;     /* smallest gap between distinct nonzero eigenvalues / amax */
    size_t nonzero_floor;   /* the counts at the accuracy floor r eps_q max |mu| (c = 1): a */
    size_t distinct_floor;  /* count at c > 1 that differs from these moved with the tolerance */
} num_quad_count;

/* The counts of evals[0..r) (ascending), tolerance factor c > 0. */
num_status num_quad_counts(size_t r, const num_quad *evals, double c, num_quad_count *out);

/* The reduced Hessian of the exponential loss of f(x) = w2^T W1 x at (W1, w2), labels y = +-1,
 * with the weights shifted by the smallest margin (as num_hess_opts.exp_shift), in binary128:
 *   X n x d, W1 N1 x d, w2 N1 (row-major doubles, taken exactly); d >= n
 *   limit     only the smallest-margin sample n* (weight 1), i.e. the a -> infinity limit of
 *             the shifted Hessian along (W1, a w2)
 *   M         out: r x r, r = 2 N1 + n - 1 (see the header)
 *   second    out (may be NULL): the largest weight of another sample, exp(-(m - m_min))
 *   min_margin out (may be NULL): m_min = min_n y_n f(x_n) (as a double)
 * Returns NUM_EINVAL (bad sizes, d < n), NUM_EINFEASIBLE (not separating, or v = 0, or
 * span{v, x_m : m != n*} deficient), NUM_ENOMEM. */
num_status num_hessian_linexp_quad(size_t n, size_t d, size_t N1, const double *X,
                                   const double *y, const double *W1, const double *w2,
                                   bool limit, num_quad *M, double *second, double *min_margin);

#endif /* NUM_HESSIAN_QUAD_H */
