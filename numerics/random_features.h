/* numerics/random_features.h — random-features regression (Rahimi & Recht 2007; the model of
 * Belkin, Hsu, Ma & Mandal 2019, "Reconciling modern machine-learning practice and the
 * classical bias-variance trade-off", PNAS 116(32), Fig. 2 and §"Random Fourier features"):
 * a fixed random first layer phi_j(x) = max(0, <w_j, x>) (ReLU random features, as in Mei &
 * Montanari 2019) and a linear read-out fitted by least squares to one-hot targets.
 *
 * The read-out is computed from a thin SVD Phi = U diag(s) V^T of the n x N feature matrix
 * (numerics/linalg.h num_linalg_svd), so that one factorisation serves both the minimum-norm
 * interpolant (Belkin et al.: "the minimum norm solution", lambda = 0) and every ridge
 * penalty lambda > 0:
 *     B = V_r diag(g(s_i)) U_r^T Y,   g(s) = 1/s (lambda = 0),  g(s) = s / (s^2 + lambda).
 * Row-major throughout. No allocation: callers pass workspaces of the stated sizes.
 */
#ifndef NUM_RANDOM_FEATURES_H
#define NUM_RANDOM_FEATURES_H

#include <stddef.h>

#include "numerics/num.h"

/* Phi (n x N) = max(0, X W^T): X n x d, W N x d (one dgemm, then the ReLU). */
num_status num_rf_relu_features(size_t n, size_t d, const double *X, size_t N, const double *W,
                                double *Phi);

/* B (n x N) = the first N columns of A (n x Nmax): the nested models of one feature draw. */
void num_rf_columns(size_t n, size_t Nmax, const double *A, size_t N, double *B);

/* Y (n x C) = one-hot rows of the labels y[i] in 0..C-1. */
void num_rf_onehot(size_t n, size_t C, const size_t *y, double *Y);

/* The read-out B (N x C) from the thin SVD of Phi (U n x k, s[k] descending, Vt k x N,
 * k = min(n, N)) keeping the first `rank` <= k triplets, for targets Y (n x C); lambda = 0 is
 * the minimum-norm least-squares solution Phi^+ Y (with the caller's rank), lambda > 0 the
 * ridge solution (Phi^T Phi + lambda I)^{-1} Phi^T Y (then rank = k: no triplet dropped).
 * tmp: k x C workspace. */
num_status num_rf_coef(size_t n, size_t N, size_t k, const double *U, const double *s,
                       const double *Vt, size_t rank, double lambda, size_t C, const double *Y,
                       double *B, double *tmp);

/* Predictions P = Phi B (m x C; workspace, overwritten), their mean square error to the one-hot
 * targets, mse = (1/m) sum_i ||P_i - e_(y_i)||^2, and the 0-1 error, the fraction of rows whose
 * argmax (the lowest index among ties) is not y_i. Either output may be NULL. */
num_status num_rf_eval(size_t m, size_t N, size_t C, const double *Phi, const double *B,
                       const size_t *y, double *P, double *mse, double *err);

#endif /* NUM_RANDOM_FEATURES_H */
