/* numerics/spectrum.h — counting zero and distinct eigenvalues of a computed spectrum.
 *
 * A computed eigenvalue of a symmetric matrix A carries an absolute error of order
 * p(P) DBL_EPSILON ||A||_2 (dsyevd is backward stable: the computed spectrum is exact for
 * A + E with ||E||_2 <= p(P) eps ||A||_2, and eigenvalues are 1-Lipschitz in the 2-norm,
 * Weyl's inequality; LAPACK Users' Guide §4.7.1 and Golub & Van Loan 4th ed. Thm 8.1.5).
 * An eigenvalue whose modulus is below
 *     tol = c * P * DBL_EPSILON * max_i |lambda_i|
 * is therefore indistinguishable from zero, and is counted as zero. A count is only
 * meaningful if it does not depend on c: this module reports the spectral gap around tol
 * (log10 of smallest nonzero over largest zero modulus) and how many decades tol may move
 * either way without changing the count.
 *
 * Workload: spectra of a few thousand eigenvalues; sorting copies are the only allocations.
 */
#ifndef NUM_SPECTRUM_H
#define NUM_SPECTRUM_H

#include <stdbool.h>
#include <stddef.h>

#include "numerics/num.h"

typedef struct {
    size_t n;              /* eigenvalues analysed */
    double abs_max;        /* max_i |lambda_i| */
    double tol;            /* c * n * DBL_EPSILON * abs_max */
    size_t zeros;          /* #{i : |lambda_i| <= tol} */
    size_t positive;       /* #{i : lambda_i > tol} */
    size_t negative;       /* #{i : lambda_i < -tol} */
    double zero_max;       /* largest |lambda| counted as zero (0 if none) */
    double nonzero_min;    /* smallest |lambda| counted as nonzero (NAN if none) */
    double gap_decades;    /* log10(nonzero_min / max(zero_max, DBL_MIN)); NAN if either side
                            * is empty */
    double stable_decades; /* min(log10(tol / zero_max), log10(nonzero_min / tol)) (zero_max
                            * clamped to DBL_MIN; a missing side is ignored, NAN if both are):
                            * every tolerance within tol * 10^(+-stable_decades) gives the
                            * same count */
} num_spectrum_zeros;

/* Zero count of evals[0..n) with tol = c * n * DBL_EPSILON * max |lambda| (c > 0).
 * Returns NUM_EINVAL (n == 0, c <= 0), NUM_ENAN (a non-finite eigenvalue). */
num_status num_spectrum_zero_count(size_t n, const double *evals, double c,
                                   num_spectrum_zeros *out);

/* #{i : |lambda_i| <= tol}. */
size_t num_spectrum_count_below(size_t n, const double *evals, double tol);

/* Number of distinct eigenvalues: clusters of the sorted spectrum in which consecutive
 * eigenvalues differ by at most tol (single linkage). With skip_zero, eigenvalues with
 * |lambda| <= tol are left out (so the result counts distinct NONZERO eigenvalues).
 * Allocates n doubles. */
num_status num_spectrum_distinct(size_t n, const double *evals, double tol, bool skip_zero,
                                 size_t *count);

/* |lambda_i| sorted in decreasing order into out[0..n) (out may equal evals). */
void num_spectrum_abs_sorted(size_t n, const double *evals, double *out);

/* A tolerance-free zero count: the largest ratio between consecutive sorted moduli
 * a_(i+1) / a_(i), over the i whose lower modulus a_(i) <= floor_rel * max |lambda| (so the
 * gap separates small eigenvalues from the rest, not two nonzero groups).
 *   zeros    out: i + 1 for the largest such gap (0 if no modulus is below the floor)
 *   decades  out: log10 of that ratio (a_(i) clamped to DBL_MIN; NAN if zeros == 0)
 * Allocates n doubles. */
num_status num_spectrum_largest_gap(size_t n, const double *evals, double floor_rel,
                                    size_t *zeros, double *decades);

#endif /* NUM_SPECTRUM_H */
