/* numerics/etf.h — equiangular tight frames: the simplex ETF and the checks of the definition.
 *
 * Definition (seed 004, "Neural Collapse" slides, Definition): a family {x_i}_{i=1..n} in R^d
 * is an equiangular tight frame if
 *   (1) ||x_i|| = 1 for all i,
 *   (2) |<x_i, x_j>| = c for all i != j and some constant c,
 *   (3) (d/n) sum_i <x, x_i> x_i = x for all x in R^d  (the frame operator S = sum x_i x_i^T
 *       equals (n/d) I).
 * The simplex ETF of C vectors is the ETF with <x_i, x_j> = -1/(C-1) for all i != j (004,
 * NC2: cos angle(h_n - h, h_m - h) -> -1/(N-1)). Its vectors sum to zero, so they span a
 * (C-1)-dimensional subspace: they are a tight frame of that span (d = C-1 in (3)), and of the
 * ambient R^p only when p = C-1. The checks below report both readings of (3).
 *
 * An ETF of n unit vectors spanning R^r attains the Welch bound on the coherence,
 * c = sqrt((n - r) / (r (n - 1)))  (Welch 1974; Strohmer and Heath 2003, Theorem 2.3); for the
 * simplex (n = C, r = C-1) this is 1/(C-1), an independent check of (2).
 *
 * Layout: a family of n vectors of R^d is an n x d row-major array (one vector per row).
 */
#ifndef NUM_ETF_H
#define NUM_ETF_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/num.h"

/* The simplex ETF of C unit vectors in R^p, 2 <= C <= p, as the rows of M (C x p):
 *   M = sqrt(C/(C-1)) (I_C - 1 1^T / C) U^T,
 * with U (p x C) having orthonormal columns. With r != NULL, U is Haar-distributed (QR of a
 * Gaussian p x C matrix with the signs of diag(R) absorbed, Mezzadri 2007, so every
 * orientation is equally likely); with r == NULL, U = the first C columns of I_p.
 * Returns NUM_EINVAL for bad sizes, NUM_ENOMEM, NUM_ELAPACK. */
num_status num_etf_simplex(size_t C, size_t p, gsl_rng *r, double *M);

/* Deviations of a family X (n x d, n >= 2) from the ETF definition. */
typedef struct {
    double norm_dev;          /* max_i | ||x_i|| - 1 |                                   (1) */
    double coherence;         /* c = mean over i != j of |<x_i, x_j>|                    (2) */
    double equiangle_dev;     /* max over i != j of | |<x_i, x_j>| - c |                  (2) */
    double simplex_dev;       /* max over i != j of | <x_i, x_j> + 1/(n-1) |       simplex ETF */
    size_t rank;              /* dimension r of the span (eigenvalues of S above tolerance) */
    double tight_dev_span;    /* max over the r nonzero eigenvalues l of S of |l r/n - 1|: (3)
                               * with d = r, i.e. tight frame of the span                  */
    double tight_dev_ambient; /* max over all d eigenvalues of S of |l d/n - 1|: (3) in R^d;
                               * equals 1 whenever r < d                                   */
    double welch;             /* Welch bound sqrt((n - r)/(r (n - 1))) for n vectors in R^r */
} num_etf_report;

/* Fill rep for X (n x d). The eigenvalues of the frame operator S = X^T X are those of the
 * Gram matrix X X^T (LAPACKE_dsyev, n x n) plus d - n zeros when d > n. The rank tolerance is
 * max(n, d) * DBL_EPSILON * l_max: eigenvalues computed by a backward-stable symmetric
 * eigensolver carry absolute errors of that order (Golub and Van Loan, 4th ed., §8.1.2 and
 * Weyl's inequality), so anything below it is indistinguishable from zero.
 * Returns NUM_EINVAL (n < 2, d < 1, NULL), NUM_ENOMEM, NUM_ELAPACK, NUM_ENAN. */
num_status num_etf_check(const double *X, size_t n, size_t d, num_etf_report *rep);

/* Rotation- and scale-invariant distance of X (C x p, rows = vectors) from a simplex ETF:
 *   || X X^T / ||X||_F^2 - (I - 1 1^T / C) / (C - 1) ||_F ,
 * zero iff X = s E Q for a simplex ETF E, a scale s > 0 and an orthogonal Q (the Gram matrix
 * determines a family up to an orthogonal map). Returns NaN if X = 0 or C < 2. */
double num_etf_gram_distance(const double *X, size_t C, size_t p);

/* The scaled simplex ETF nearest to X (C x p) in Frobenius norm: E* = s Psi R with Psi the
 * canonical simplex ETF in R^C (rows of sqrt(C/(C-1))(I - 1 1^T/C)), R (C x p) with
 * orthonormal rows solving the orthogonal Procrustes problem min ||X - s Psi R||_F
 * (R = A B^T from the SVD Psi^T X = A Sigma B^T; Schoenemann 1966; Golub and Van Loan §6.4.1)
 * and s = tr(Sigma) / ||Psi||_F^2. Output E (C x p). Requires 2 <= C <= p. */
num_status num_etf_nearest(const double *X, size_t C, size_t p, double *E);

/* Coordinates of the rows of X and of Y (both C x p) in the plane of the two leading right
 * singular vectors of X (principal axes of the rows of X, not re-centred): x2 and y2 are
 * C x 2. Y may be NULL. Requires C >= 2, p >= 2. */
num_status num_etf_project2(const double *X, const double *Y, size_t C, size_t p, double *x2,
                            double *y2);

#endif /* NUM_ETF_H */
