/* numerics/linnet.h — the loss landscape of a one-hidden-layer linear network with square loss
 * (Baldi & Hornik, "Neural networks and principal component analysis: learning from examples
 * without local minima", Neural Networks 2(1) 1989, cited as [41] in 001 §III-B).
 *
 * Model: y = W2 W1 x with W1 (p x n), W2 (m x p), p <= min(n, m). Loss in moment form
 *     E(W1, W2) = (1/N) ||Y - X W1^T W2^T||_F^2
 *               = tyy - 2 tr(M Syx^T) + tr(M Sxx M^T),      M = W2 W1 (m x n),
 * with X (N x n, samples as rows), Y (N x m), Sxx = X^T X / N, Syx = Y^T X / N, tyy = tr(Y^T Y)/N.
 * With R = M Sxx - Syx the gradient is dE/dW2 = 2 R W1^T, dE/dW1 = 2 W2^T R.
 *
 * Critical points (Baldi & Hornik 1989, Fact 4 and Theorem 1): let Sigma = Syx Sxx^-1 Syx^T
 * (m x m) have distinct eigenvalues lam_1 > ... > lam_m, unit eigenvectors U = [u_1 .. u_m],
 * and A = Syx Sxx^-1. For every index set I with |I| = k <= p and every invertible C (p x p),
 *     W2 = [U_I, 0] C,     W1 = C^-1 [U_I^T A ; 0]
 * is a critical point with E = tyy - sum_{i in I} lam_i; I = {1..p} gives the global minimum,
 * every other I a saddle (the theorem: no other local minima).
 *
 * Parameter vector (for the Hessian): theta = [W1 row-major (p n entries), W2 row-major (m p)].
 * Hessian (exact, second derivative of the quadratic-in-each-factor loss): for a direction
 * (A1, A2), with M1 = A2 W1 + W2 A1,
 *     d^2 E = 2 tr(M1 Sxx M1^T) + 4 tr(A2 A1 R^T),
 * i.e. H = 2 J^T (I_m (x) Sxx) J plus the cross block H[W2(i,k), W1(k,j)] = 2 R[i,j], where J
 * is the Jacobian of theta -> vec(M).
 *
 * Everything through CBLAS/LAPACKE; workspaces allocated from sizes, no I/O. */
#ifndef NUM_LINNET_H
#define NUM_LINNET_H

#include <stddef.h>

#include "numerics/num.h"

typedef struct {
    size_t n, m, p;     /* input dim, output dim, hidden width (1 <= p <= min(n, m)) */
    const double *Sxx;  /* n x n, X^T X / N, symmetric positive definite */
    const double *Syx;  /* m x n, Y^T X / N */
    double tyy;         /* tr(Y^T Y) / N */
} num_linnet_problem;

typedef struct {
    size_t n, m, p;
    double *M, *R, *T;  /* m x n each: W2 W1, M Sxx - Syx, scratch */
    double *J, *KJ;     /* (m n) x P each: Jacobian of vec(M) and (I (x) Sxx) J */
    double *G;          /* P: a gradient (GD) */
    double *Ci;         /* p x p: C^-1 */
    int *ipiv;          /* p */
} num_linnet_work;

/* Number of parameters P = p n + m p. */
size_t num_linnet_nparams(size_t n, size_t m, size_t p);

num_linnet_work *num_linnet_work_alloc(size_t n, size_t m, size_t p);
void num_linnet_work_free(num_linnet_work *w);

/* Moments of data X (N x n), Y (N x m): Sxx (n x n), Syx (m x n), *tyy. */
num_status num_linnet_moments(size_t N, size_t n, size_t m, const double *X, const double *Y,
                              double *Sxx, double *Syx, double *tyy);

/* A = Syx Sxx^-1 (m x n, by Cholesky of Sxx), the eigenvalues lam (m, DESCENDING) of
 * Sigma = A Syx^T and its unit eigenvectors U (m x m, column j belongs to lam[j]).
 * NUM_EINVAL if Sxx is not positive definite. */
num_status num_linnet_spectrum(const num_linnet_problem *pb, double *A, double *lam, double *U);

/* The critical point of the index set `mask` (bit j = eigenvector j in descending order, at
 * most p bits set; the set's members fill the first columns of W2 in increasing order) with
 * gauge C (p x p invertible, NULL = identity): W1 (p x n), W2 (m x p). NUM_EINVAL if more than
 * p bits are set or C is singular. */
num_status num_linnet_critical_point(const num_linnet_problem *pb, const double *A,
                                     const double *U, unsigned mask, const double *C,
                                     num_linnet_work *w, double *W1, double *W2);

/* E at (W1, W2); gradients G1 (p x n), G2 (m x p) if non-NULL. */
num_status num_linnet_eval(const num_linnet_problem *pb, const double *W1, const double *W2,
                           num_linnet_work *w, double *E, double *G1, double *G2);

/* The exact Hessian H (P x P, full symmetric, P = num_linnet_nparams) at (W1, W2). */
num_status num_linnet_hessian(const num_linnet_problem *pb, const double *W1, const double *W2,
                              num_linnet_work *w, double *H);

/* Inertia of a spectrum: counts[0] eigenvalues < -tol, counts[1] with |ev| <= tol, counts[2]
 * > tol. */
void num_linnet_inertia(size_t P, const double *evals, double tol, size_t counts[3]);

/* `steps` GD steps on E + lambda (||W1||_F^2 + ||W2||_F^2) (lambda >= 0: weight decay, the
 * degree-2 regulariser matching the degree-2 homogeneity of (W1, W2) -> W2 W1) in place; *E
 * (the unregularised loss) and *gnorm (norm of the full regularised gradient) after the last
 * step. NUM_ENAN if an iterate stops being finite. */
num_status num_linnet_gd(const num_linnet_problem *pb, double lambda, double eta, size_t steps,
                         double *W1, double *W2, num_linnet_work *w, double *E, double *gnorm);

#endif /* NUM_LINNET_H */
