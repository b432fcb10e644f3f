/* numerics/ntk.h — random-feature Gram matrices of two-layer networks and their limit kernels.
 *
 * The model of 004 ("Lazy Training" slides, "A Simple Learning Model"):
 *     Phi(x, theta) = sum_{j=1..n} theta2_j rho(<theta1_j, [x; 1]>),   theta1_j in R^{d+1},
 * and the kernel of its output-layer gradient ("Introducing A Peculiar Kernel"):
 *     K_bar = sum_{k=1..n} v_k v_k^T,   v_k = (rho(<theta1_k, [x_i; 1]>))_{i=1..m}.
 * Here the features are stored as V (m x n, row i = sample i, column k = neuron k), so
 * K_bar = V V^T (m x m). With theta1_k i.i.d. N(0, sigma2 I_{d+1}), K_bar / n is an average of
 * n i.i.d. rank-one matrices whose mean is the limit kernel
 *     K_inf(i, j) = E_{theta ~ N(0, sigma2 I)} rho(<theta, xt_i>) rho(<theta, xt_j>),
 * xt = [x; 1] (closed forms below; other activations by Gauss–Hermite quadrature).
 *
 * Workload: m (samples) up to a few hundred, n (width) up to 2^17; one dgemm builds the
 * pre-activations, one dsyrk the Gram matrix (m^2 n flops), one dgesdd its extreme eigenvalues.
 *
 * Why eigenvalues of K_bar are taken from the singular values of V: lambda_i(K_bar) =
 * s_i(V)^2, and a backward-stable SVD perturbs s_min by at most p(m, n) eps s_max, i.e. lambda_min
 * by ~ 2 p eps s_max s_min, whereas eigenvalues of the formed product V V^T carry an absolute
 * error ~ p eps s_max^2 (the Gram matrix squares the condition number; Golub & Van Loan, 4th
 * ed., §8.6 and §5.3.7). Under the 1/n initialisation lambda_min / lambda_max falls like
 * n^{-p} (flat limit, see num_ntk_flat_limit_degree), below the Gram route's resolution at the
 * widths of the claims, so the SVD route is the one that can answer.
 */
#ifndef NUM_NTK_H
#define NUM_NTK_H

#include <stddef.h>

#include "numerics/mlp.h"
#include "numerics/num.h"

/* Augmented inputs Xt = [X, 1]: Xt is m x (d+1), row i = (x_i, 1). */
num_status num_ntk_augment(size_t m, size_t d, const double *X, double *Xt);

/* Random features V (m x n), V[i n + k] = rho(<theta1_k, xt_i>).
 *   act, act_eps  the activation (numerics/mlp.h; act_eps only for NUM_ACT_SMOOTH_RELU)
 *   Xt            m x d1 augmented inputs (d1 = d + 1)
 *   theta1        n x d1, row k = theta1_k
 *   V             out: m x n
 * One cblas_dgemm (Z = Xt theta1^T) into V, then rho in place. Returns NUM_ENAN if a
 * non-finite feature appears. */
num_status num_ntk_features(num_act act, double act_eps, size_t m, size_t d1, const double *Xt,
                            size_t n, const double *theta1, double *V);

/* K = V V^T (m x m, both triangles filled) by cblas_dsyrk on the upper triangle. */
num_status num_ntk_gram(size_t m, size_t n, const double *V, double *K);

/* Extreme eigenvalues of K_bar = V V^T from the singular values of V (dgesdd, values only).
 *   lmin, lmax  out: s_min(V)^2 and s_max(V)^2 (lmin = 0 when n < m: K_bar has rank <= n)
 *   floor       out (may be NULL): the resolution of lmin, tol^2 with the rank tolerance
 *               tol = c max(m, n) eps s_max (numerics/linalg.h): lmin <= floor means K_bar is
 *               numerically singular (s_min is not distinguishable from rounding).
 *   c           constant of the rank tolerance (> 0; 1 is the NumPy/MATLAB default).
 * Allocates one m x n copy (LAPACK overwrites its input). */
num_status num_ntk_gram_extreme_eigs(size_t m, size_t n, const double *V, double c,
                                     double *lmin, double *lmax, double *floor);

/* E[rho(u) rho(v)] for (u, v) centred Gaussian with Var u = a, Var v = b, Cov(u, v) = c
 * (a, b > 0, c^2 <= a b), by the product Gauss–Hermite rule with `nodes` nodes per dimension
 * (GSL gsl_integration_fixed_hermite, weight exp(-z^2/2)) on u = sqrt(a) z1,
 * v = (c / sqrt(a)) z1 + sqrt(b - c^2/a) z2. Exact for polynomial rho of degree < nodes;
 * for rho analytic in a strip the error falls geometrically in sqrt(nodes). */
num_status num_ntk_gauss_expect(num_act act, double act_eps, double a, double b, double c,
                                size_t nodes, double *value);

/* Limit kernel K_inf (m x m) on the augmented inputs Xt (m x d1), theta ~ N(0, sigma2 I_d1):
 *   linear: sigma2 <xt_i, xt_j>;
 *   relu:   the arc-cosine kernel of order 1 (Cho & Saul 2009; numerics/kernels.h);
 *   erf:    Williams' formula (Williams 1997; numerics/kernels.h);
 *   tanh, softplus, sigmoid, smooth_relu: num_ntk_gauss_expect with `nodes` nodes.
 * `nodes` is ignored by the closed forms. */
num_status num_ntk_limit_kernel(num_act act, double act_eps, size_t m, size_t d1,
                                const double *Xt, double sigma2, size_t nodes, double *K);

/* 1 if num_ntk_limit_kernel uses a closed form for this activation, 0 if quadrature. */
int num_ntk_limit_closed_form(num_act act);

/* Flat-limit degree p* of the 1/n initialisation (theta1 ~ N(0, sigma2 I), sigma2 = 1/n):
 * for inputs in general position, lambda_min(K_bar) ~ n sigma2^{p*} = n^{1 - p*}.
 *
 * Derivation (the flat limit of kernel matrices: Fornberg, Wright & Larsson 2004; Barthelme &
 * Usevich, SIAM J. Matrix Anal. Appl. 42 (2021)): with theta1_k = sigma u_k, u_k ~ N(0, I),
 * and rho(z) = sum_q a_q z^q, v_k = sum_q a_q sigma^q (Xt u_k)^q (power taken entrywise).
 * The degree-q term spans the polynomials of degree <= q in x evaluated at the m inputs
 * (xt = [x; 1] homogenises them), a space of dimension C(d + q, q). The Gram matrix is graded:
 * the directions first reached at degree q carry eigenvalues ~ n sigma^{2q}. So
 *   p* = the smallest q with a_q != 0 and C(d + q, q) >= m.
 * The Taylor supports: erf, tanh: odd q; sigmoid: q = 0 and odd q (sigmoid - 1/2 is odd);
 * softplus: q = 0, 1 and even q (softplus(z) - z/2 = log(2 cosh(z/2)) is even, all of its even
 * coefficients nonzero); smooth_relu: q = 1 and even q >= 2; relu and linear are positively
 * homogeneous of degree 1, so K_bar(sigma) = sigma^2 K_bar(1) and p* = 1 exactly (linear only
 * if m <= d + 1).
 * Returns p* >= 0, or -1 if K_bar is singular for every n (linear with m > d + 1). */
int num_ntk_flat_limit_degree(num_act act, size_t m, size_t d);

#endif /* NUM_NTK_H */
