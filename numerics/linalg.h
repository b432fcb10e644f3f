/* numerics/linalg.h — thin, checked wrappers around LAPACKE/CBLAS for dense row-major matrices.
 *
 * What they are for: the small dense problems of the claims (d, n up to a few thousand):
 * spectra of Hessians and Gram matrices, singular values, minimum-norm least squares, ranks
 * and pseudoinverses. Every routine copies its input (LAPACK overwrites), so inputs are const;
 * the copies are the only allocations (O(m n) doubles per call) and are freed before return.
 *
 * Conventions: row-major storage, leading dimension = number of columns (packed). Eigenvalues
 * ascending, singular values descending (LAPACK's orders). Rank decisions use the tolerance
 *     tol = c * max(m, n) * DBL_EPSILON * s_max          (Golub & Van Loan, 4th ed., §5.4.1;
 * the NumPy/MATLAB default is c = 1), with c given explicitly by the caller.
 *
 * Sources: LAPACK Users' Guide, 3rd ed. (dsyevd: divide and conquer symmetric eigensolver;
 * dgesdd: divide and conquer SVD; dgelsd: SVD-based minimum-norm least squares).
 */
#ifndef NUM_LINALG_H
#define NUM_LINALG_H

#include <stdbool.h>
#include <stddef.h>

#include "numerics/num.h"

/* Symmetric eigendecomposition A = V diag(evals) V^T (LAPACK dsyevd, upper triangle read).
 *   n      order (>= 1)
 *   A      n x n symmetric (only the upper triangle is used), not modified
 *   evals  out: n eigenvalues in ascending order
 *   V      out (may be NULL: values only): n x n, column j is the unit eigenvector of evals[j],
 *          so that A V = V diag(evals)
 * Returns NUM_EINVAL, NUM_ENOMEM, NUM_ENAN (non-finite input), NUM_ELAPACK (no convergence). */
num_status num_linalg_eigh(size_t n, const double *A, double *evals, double *V);

/* Largest eigenvalue of a symmetric matrix (dsyevd, values only). */
num_status num_linalg_eigh_max(size_t n, const double *A, double *lmax);

/* Singular values of an m x n matrix (dgesdd, job 'N'), k = min(m, n) of them, descending. */
num_status num_linalg_svd_values(size_t m, size_t n, const double *A, double *s);

/* Thin SVD A = U diag(s) Vt (dgesdd, job 'S'); k = min(m, n).
 *   U  out: m x k (may be NULL together with Vt to get values only)
 *   s  out: k singular values, descending
 *   Vt out: k x n */
num_status num_linalg_svd(size_t m, size_t n, const double *A, double *U, double *s, double *Vt);

/* The rank tolerance c * max(m, n) * DBL_EPSILON * smax (see the file comment). */
double num_linalg_rank_tol(size_t m, size_t n, double smax, double c);

/* Numerical rank: the number of singular values > num_linalg_rank_tol(m, n, s_max, c).
 *   tol (may be NULL) out: the tolerance used. c > 0. A zero matrix has rank 0. */
num_status num_linalg_rank(size_t m, size_t n, const double *A, double c, size_t *rank,
                           double *tol);

/* A rank read across a spectral gap: ranks[1] is the number of the k descending singular values
 * s of an m x n matrix above num_linalg_rank_tol(m, n, s[0], c), ranks[0] and ranks[2] the
 * same at c / factor and c * factor. Returns whether the three agree (the count does not move
 * with the tolerance across `factor` either way); a zero matrix has rank 0 at every c. */
bool num_linalg_rank_across_gap(size_t m, size_t n, const double *s, size_t k, double c,
                                double factor, size_t ranks[3]);

/* x = V_r diag(1/s_i) U_r^T y from a thin SVD (U m x k, s, Vt k x n as num_linalg_svd gives
 * them), keeping the first `rank` singular triplets: the minimum-norm least-squares solution
 * of A x = y with the rank decided by the caller. x has n entries. */
void num_linalg_svd_solve(size_t m, size_t n, size_t k, const double *U, const double *s,
                          const double *Vt, size_t rank, const double *y, double *x);

/* Minimum-norm least-squares solution X = argmin ||A X - B||_F with the smallest ||X||_F
 * (dgelsd). Singular values s_i <= rcond * s_max are treated as zero; pass
 * rcond = c * max(m, n) * DBL_EPSILON for the usual rank tolerance (rcond must be > 0).
 *   A     m x n,    B  m x nrhs (row-major, not modified)
 *   X     out: n x nrhs
 *   rank  out (may be NULL): effective rank of A */
num_status num_linalg_lstsq(size_t m, size_t n, size_t nrhs, const double *A, const double *B,
                            double rcond, double *X, size_t *rank);

/* Moore–Penrose pseudoinverse P = A^+ (n x m) from the thin SVD, dropping singular values
 * <= num_linalg_rank_tol(m, n, s_max, c).   rank (may be NULL) out: the rank kept. */
num_status num_linalg_pinv(size_t m, size_t n, const double *A, double c, double *P,
                           size_t *rank);

/* Orthogonal projector onto the null space of A (m x n): Pn = I - A^+ A (n x n), with the rank
 * decided as in num_linalg_pinv. */
num_status num_linalg_null_projector(size_t m, size_t n, const double *A, double c, double *Pn,
                                     size_t *rank);

/* Matrix norms of an m x n matrix. Frobenius, 1 (max column sum), inf (max row sum) via
 * LAPACKE_dlange; the spectral norm (2) is the largest singular value and may fail. */
double num_linalg_norm_fro(size_t m, size_t n, const double *A);
double num_linalg_norm_1(size_t m, size_t n, const double *A);
double num_linalg_norm_inf(size_t m, size_t n, const double *A);
num_status num_linalg_norm_2(size_t m, size_t n, const double *A, double *norm);

/* Euclidean norm of a vector (cblas_dnrm2, overflow-safe scaling). */
double num_linalg_nrm2(size_t n, const double *x);

/* Gram matrix C = A^T A (n x n, full symmetric) of an m x n matrix A (cblas_dsyrk + mirror). */
num_status num_linalg_gram(size_t m, size_t n, const double *A, double *C);

#endif /* NUM_LINALG_H */
