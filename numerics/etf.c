/* numerics/etf.c — simplex ETF construction and checks of the ETF definition (see etf.h).
 *
 * Workload: small families (C <= a few hundred vectors), called once per claim; all products
 * through CBLAS, eigen- and singular-value problems through LAPACKE.
 */
#include "numerics/etf.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "numerics/rng.h"

/* U (p x C, row-major) with orthonormal columns: Haar via QR of a Gaussian matrix, or the
 * first C columns of I_p without a generator. */
static num_status orthonormal_columns(size_t p, size_t C, gsl_rng *r, double *U)
{
    if (!r) {
        memset(U, 0, p * C * sizeof *U);
        for (size_t c = 0; c < C; c++)
            U[c * C + c] = 1.0;
        return NUM_OK;
    }
    num_status st = NUM_OK;
    double *tau = malloc(C * sizeof *tau), *d = malloc(C * sizeof *d);
    if (!tau || !d) {
        st = NUM_ENOMEM;
        goto done;
    }
    num_rng_gaussian(r, 1.0, U, p * C);
    if (LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)p, (lapack_int)C, U, (lapack_int)C, tau)) {
        st = NUM_ELAPACK;
        goto done;
    }
    /* sign(diag R): multiplying column j of Q by it makes Q Haar-distributed (Mezzadri 2007,
     * "How to generate random matrices from the classical compact groups", §5). */
    for (size_t j = 0; j < C; j++)
        d[j] = U[j * C + j] < 0.0 ? -1.0 : 1.0;
    if (LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)p, (lapack_int)C, (lapack_int)C, U,
                       (lapack_int)C, tau)) {
        st = NUM_ELAPACK;
        goto done;
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < C; j++)
            U[i * C + j] *= d[j];
done:
    free(tau);
    free(d);
    return st;
}

num_status num_etf_simplex(size_t C, size_t p, gsl_rng *r, double *M)
{
    if (C < 2 || p < C || !M)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: C < 2 || p < C || !M");
    double *U = malloc(p * C * sizeof *U);
    if (!U)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    num_status st = orthonormal_columns(p, C, r, U);
    if (st == NUM_OK) {
        /* Row c of M = sqrt(C/(C-1)) (u_c - mean_c' u_c'), u_c = column c of U. */
        double s = sqrt((double)C / (double)(C - 1));
        for (size_t i = 0; i < p; i++) {
            double mean = 0.0;
            for (size_t c = 0; c < C; c++)
                mean += U[i * C + c];
            mean /= (double)C;
            for (size_t c = 0; c < C; c++)
                M[c * p + i] = s * (U[i * C + c] - mean);
        }
    }
    free(U);
    return st;
}

num_status num_etf_check(const double *X, size_t n, size_t d, num_etf_report *rep)
{
    if (!X || !rep || n < 2 || d < 1)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !X || !rep || n < 2 || d < 1");
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(X[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(X[i])");
    double *G = malloc(n * n * sizeof *G), *ev = malloc(n * sizeof *ev);
    num_status st = NUM_OK;
    if (!G || !ev) {
        st = NUM_ENOMEM;
        goto done;
    }
    /* Gram matrix G = X X^T (n x n): G_ii = ||x_i||^2, G_ij = <x_i, x_j>. */
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, 0.0, G,
                (int)n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            G[i * n + j] = G[j * n + i];

    double norm_dev = 0.0, csum = 0.0;
    for (size_t i = 0; i < n; i++)
        norm_dev = fmax(norm_dev, fabs(sqrt(G[i * n + i]) - 1.0));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (i != j)
                csum += fabs(G[i * n + j]);
    double c = csum / (double)(n * (n - 1)), eq_dev = 0.0, sx_dev = 0.0;
    double simplex_ip = -1.0 / (double)(n - 1);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (i != j) {
                eq_dev = fmax(eq_dev, fabs(fabs(G[i * n + j]) - c));
                sx_dev = fmax(sx_dev, fabs(G[i * n + j] - simplex_ip));
            }

    /* Nonzero spectrum of S = X^T X = nonzero spectrum of X X^T. */
    if (LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)n, G, (lapack_int)n, ev)) {
        st = NUM_ELAPACK;
        goto done;
    }
    double lmax = ev[n - 1];
    double tol = (double)(n > d ? n : d) * DBL_EPSILON * lmax;
    size_t rank = 0;
    for (size_t k = 0; k < n; k++)
        if (ev[k] > tol)
            rank++;
    double span_dev = 0.0, amb_dev = 0.0;
    for (size_t k = 0; k < n; k++) {
        double l = ev[k] > tol ? ev[k] : 0.0;
        if (l > 0.0)
            span_dev = fmax(span_dev, fabs(l * (double)rank / (double)n - 1.0));
        /* S has d eigenvalues: the n of the Gram matrix when n <= d, else its d largest. */
        if (n <= d || k >= n - d)
            amb_dev = fmax(amb_dev, fabs(l * (double)d / (double)n - 1.0));
    }
    if (d > n)
        amb_dev = fmax(amb_dev, 1.0); /* the d - n zero eigenvalues of S */
    rep->norm_dev = norm_dev;
    rep->coherence = c;
    rep->equiangle_dev = eq_dev;
    rep->simplex_dev = sx_dev;
    rep->rank = rank;
    rep->tight_dev_span = rank ? span_dev : 1.0;
    rep->tight_dev_ambient = amb_dev;
    rep->welch = rank ? sqrt((double)(n - (rank < n ? rank : n)) / ((double)rank * (double)(n - 1)))
                      : NAN;
done:
    free(G);
    free(ev);
    return st;
}

double num_etf_gram_distance(const double *X, size_t C, size_t p)
{
    if (!X || C < 2 || p < 1)
        return NAN;
    double *G = malloc(C * C * sizeof *G);
    if (!G)
        return NAN;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)C, (int)C, (int)p, 1.0, X, (int)p,
                X, (int)p, 0.0, G, (int)C);
    double tr = 0.0;
    for (size_t c = 0; c < C; c++)
        tr += G[c * C + c];
    double dist = NAN;
    if (tr > 0.0 && isfinite(tr)) {
        double s = 0.0, inv = 1.0 / (double)(C - 1);
        for (size_t i = 0; i < C; i++)
            for (size_t j = 0; j < C; j++) {
                double ideal = ((i == j ? 1.0 : 0.0) - 1.0 / (double)C) * inv;
                double e = G[i * C + j] / tr - ideal;
                s += e * e;
            }
        dist = sqrt(s);
    }
    free(G);
    return dist;
}

num_status num_etf_nearest(const double *X, size_t C, size_t p, double *E)
{
    if (!X || !E || C < 2 || p < C)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !X || !E || C < 2 || p < C");
    num_status st = NUM_OK;
    double *Psi = malloc(C * C * sizeof *Psi), *A = malloc(C * p * sizeof *A);
    double *S = malloc(C * sizeof *S), *U = malloc(C * C * sizeof *U);
    double *Vt = malloc(C * p * sizeof *Vt), *sup = malloc(C * sizeof *sup);
    double *R = malloc(C * p * sizeof *R);
    if (!Psi || !A || !S || !U || !Vt || !sup || !R) {
        st = NUM_ENOMEM;
        goto done;
    }
    double sc = sqrt((double)C / (double)(C - 1));
    for (size_t i = 0; i < C; i++)
        for (size_t j = 0; j < C; j++)
            Psi[i * C + j] = sc * ((i == j ? 1.0 : 0.0) - 1.0 / (double)C);
    /* A = Psi^T X (Psi is symmetric). */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)C, (int)p, (int)C, 1.0, Psi,
                (int)C, X, (int)p, 0.0, A, (int)p);
    if (LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'S', 'S', (lapack_int)C, (lapack_int)p, A, (lapack_int)p,
                       S, U, (lapack_int)C, Vt, (lapack_int)p, sup)) {
        st = NUM_ELAPACK;
        goto done;
    }
    double trS = 0.0;
    for (size_t k = 0; k < C; k++)
        trS += S[k];
    double s = trS / (double)C; /* ||Psi||_F^2 = C */
    /* R = U V^T (C x p), then E = s Psi R. */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)C, (int)p, (int)C, 1.0, U,
                (int)C, Vt, (int)p, 0.0, R, (int)p);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)C, (int)p, (int)C, s, Psi,
                (int)C, R, (int)p, 0.0, E, (int)p);
done:
    free(Psi);
    free(A);
    free(S);
    free(U);
    free(Vt);
    free(sup);
    free(R);
    return st;
}

num_status num_etf_project2(const double *X, const double *Y, size_t C, size_t p, double *x2,
                            double *y2)
{
    if (!X || !x2 || (Y && !y2) || C < 2 || p < 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !X || !x2 || (Y && !y2) || C < 2 || p "
                                     "< 2");
    size_t k = C < p ? C : p;
    num_status st = NUM_OK;
    double *A = malloc(C * p * sizeof *A), *S = malloc(k * sizeof *S);
    double *Vt = malloc(k * p * sizeof *Vt), *sup = malloc(k * sizeof *sup);
    if (!A || !S || !Vt || !sup) {
        st = NUM_ENOMEM;
        goto done;
    }
    memcpy(A, X, C * p * sizeof *A);
    if (LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'N', 'S', (lapack_int)C, (lapack_int)p, A, (lapack_int)p,
                       S, NULL, 1, Vt, (lapack_int)p, sup)) {
        st = NUM_ELAPACK;
        goto done;
    }
    /* x2 = X V[:, 0:2]; the first two rows of Vt are the leading right singular vectors. */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)C, 2, (int)p, 1.0, X, (int)p, Vt,
                (int)p, 0.0, x2, 2);
    if (Y)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)C, 2, (int)p, 1.0, Y, (int)p,
                    Vt, (int)p, 0.0, y2, 2);
done:
    free(A);
    free(S);
    free(Vt);
    free(sup);
    return st;
}
