/* numerics/svm.h — exact hard-margin SVM without bias, with a KKT certificate, and NNLS.
 *
 * Problem (003 §4, the w~ of eq. (4)):   minimise ||w||^2  subject to  y_n w^T x_n >= 1.
 * Dual: w = sum_n alpha_n y_n x_n with alpha >= 0, alpha_n (y_n w^T x_n - 1) = 0, and
 * sum_n alpha_n = ||w||^2 (multiply stationarity by w and use complementary slackness).
 *
 * Method: least-distance programming (LDP) reduced to non-negative least squares,
 * Lawson & Hanson, "Solving Least Squares Problems" (1974), ch. 23, §§3–4: with G the n x d
 * matrix of rows g_n = y_n x_n / R (R = max_n ||x_n||, so the problem is scale free) and
 * h = 1, solve NNLS  min ||E u - f||, u >= 0,  E = [G^T; 1^T] ((d+1) x n),  f = e_{d+1}.
 * With r = E u - f:  r = 0 means the constraints are infeasible (the data are not linearly
 * separable) and u / sum(u) is a Farkas certificate (u >= 0, sum u = 1, G^T u = 0); otherwise
 * w = -r_{1:d} / r_{d+1} solves the LDP and alpha = u / (1 - sum u). At the NNLS optimum
 * ||r||^2 = 1 - sum u = 1 / (1 + ||w||^2), and for separable data every u >= 0 with sum 1 has
 * ||G^T u|| >= gamma / R (gamma the SVM margin), so the certificate residual separates the two
 * cases. NNLS is Lawson & Hanson's active-set algorithm (ch. 23, Algorithm NNLS, with the
 * guard of their step 6 against round-off loops); each subproblem is a LAPACK dgelsd solve.
 *
 * Polish: on the support set S (u_n > 0) w is recomputed as the minimum-norm solution of
 * g_n^T w = 1 (n in S) and alpha_S by least squares from G_S^T alpha_S = w; the candidate with
 * the smaller KKT residual is kept.
 *
 * Workload: n up to ~10^4, d up to ~10^3; cost O(iterations * (n d + d |S|^2)).
 */
#ifndef NUM_SVM_H
#define NUM_SVM_H

#include <stddef.h>

#include "numerics/num.h"

/* KKT residuals of (w, alpha), each dimensionless (invariant under x -> c x):
 *   primal   max(0, 1 - min_n y_n w.x_n)               primal infeasibility
 *   dual     max(0, -min_n alpha_n) / sum_n |alpha_n|   dual infeasibility
 *   slack    max_n |alpha_n (y_n w.x_n - 1)| / sum |alpha|   complementary slackness
 *   station  ||w - sum_n alpha_n y_n x_n|| / ||w||       stationarity
 *   max      the largest of the four */
typedef struct {
    double primal, dual, slack, station, max;
} num_svm_kkt;

typedef struct num_svm_ws num_svm_ws;

typedef struct {
    size_t n, d;           /* problem size the object was allocated for */
    /* --- results of num_svm_solve --------------------------------------------------- */
    double *w;             /* d: the SVM weight vector w_hat (unscaled units) */
    double *alpha;         /* n: dual variables, >= 0, zero off the support set */
    double *fmargin;       /* n: functional margins y_n w_hat.x_n (1 on support vectors) */
    size_t *sv;            /* nsv indices of the support vectors (alpha_n > 0), ascending */
    size_t nsv;
    double norm_w;         /* ||w_hat|| */
    double margin;         /* geometric margin 1 / ||w_hat|| (units of x) */
    num_svm_kkt kkt;       /* certificate of the returned (w, alpha) */
    double scale;          /* R = max_n ||x_n|| */
    size_t iterations;     /* NNLS outer iterations */
    /* --- when not separable (NUM_EINFEASIBLE) ----------------------------------------- */
    double *cert;          /* n: u >= 0, sum u = 1, with sum u_n y_n x_n ~ 0 */
    double cert_residual;  /* ||sum u_n y_n x_n|| / R; <= cert_tol when infeasible */
    double cert_tol;       /* decision threshold used (see svm.c) */
    num_svm_ws *ws;        /* private workspace */
} num_svm;

/* Allocate a solver for up to n samples in dimension d (NULL on failure or n, d == 0). */
num_svm *num_svm_alloc(size_t n, size_t d);
void num_svm_free(num_svm *s);

/* Solve the hard-margin SVM for X (n x d row-major, n and d as allocated) and labels y = +-1.
 * Returns NUM_OK (results filled, kkt certifies them), NUM_EINFEASIBLE (not linearly
 * separable, including a zero row x_n = 0: cert and cert_residual filled, w and alpha zero),
 * NUM_EINVAL (sizes, labels not +-1), NUM_ENAN (non-finite data), NUM_ENOCONV (NNLS iteration
 * budget 3n exceeded), NUM_ELAPACK, NUM_ENOMEM. */
num_status num_svm_solve(num_svm *s, const double *X, const double *y);

/* KKT residuals (see num_svm_kkt) of any (w, alpha) for data X, y. */
num_status num_svm_kkt_eval(size_t n, size_t d, const double *X, const double *y,
                            const double *w, const double *alpha, num_svm_kkt *out);

/* Non-negative least squares min ||E x - f||_2 s.t. x >= 0 (Lawson & Hanson ch. 23).
 *   E  m x n row-major, f m-vector (not modified)
 *   x  out: n entries
 *   rnorm out (may be NULL): ||E x - f||
 *   iters out (may be NULL): outer iterations
 * Returns NUM_OK, NUM_ENOCONV (3n outer iterations exceeded), NUM_EINVAL, NUM_ENAN, NUM_ENOMEM,
 * NUM_ELAPACK. Allocates a workspace for the call (num_svm_nnls_workspace_alloc); a caller that
 * solves repeatedly keeps one and calls num_svm_nnls_ws (the same numbers, bit for bit). */
num_status num_svm_nnls(size_t m, size_t n, const double *E, const double *f, double *x,
                        double *rnorm, size_t *iters);

/* Scratch of NNLS for problems up to m x n (the packed passive columns, m n doubles, and
 * O(m + n) vectors), allocated from the sizes alone and reused across solves (compare
 * gsl_multifit_linear_alloc). NULL on failure, m or n == 0, or m n overflowing. */
typedef struct num_svm_nnls_workspace num_svm_nnls_workspace;
num_svm_nnls_workspace *num_svm_nnls_workspace_alloc(size_t m, size_t n);
void num_svm_nnls_workspace_free(num_svm_nnls_workspace *w);

/* num_svm_nnls in the workspace w, which must have been allocated for at least m rows and n
 * columns (NUM_EINVAL otherwise, as GSL's GSL_EBADLEN). Nothing is allocated here except inside
 * the LAPACK least-squares solves. */
num_status num_svm_nnls_ws(num_svm_nnls_workspace *w, size_t m, size_t n, const double *E,
                           const double *f, double *x, double *rnorm, size_t *iters);

#endif /* NUM_SVM_H */
