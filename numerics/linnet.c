/* numerics/linnet.c — critical points, loss, gradient and exact Hessian of the one-hidden-layer
 * linear network (see linnet.h; Baldi & Hornik 1989). Sizes are small (P = p(n + m) up to a few
 * hundred): dense Hessians, LAPACK for the eigenproblems and the solves. */
#include "numerics/linnet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "numerics/linalg.h"

size_t num_linnet_nparams(size_t n, size_t m, size_t p) { return p * n + m * p; }

num_linnet_work *num_linnet_work_alloc(size_t n, size_t m, size_t p)
{
    if (!n || !m || !p || p > n || p > m || n > 4096 || m > 4096)
        return NULL;
    size_t P = num_linnet_nparams(n, m, p);
    num_linnet_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->n = n, w->m = m, w->p = p;
    w->M = calloc(m * n, sizeof *w->M);
    w->R = calloc(m * n, sizeof *w->R);
    w->T = calloc(m * n, sizeof *w->T);
    w->J = calloc(m * n * P, sizeof *w->J);
    w->KJ = calloc(m * n * P, sizeof *w->KJ);
    w->G = calloc(P, sizeof *w->G);
    w->Ci = calloc(p * p, sizeof *w->Ci);
    w->ipiv = calloc(p, sizeof *w->ipiv);
    if (!w->M || !w->R || !w->T || !w->J || !w->KJ || !w->G || !w->Ci || !w->ipiv) {
        num_linnet_work_free(w);
        return NULL;
    }
    return w;
}

void num_linnet_work_free(num_linnet_work *w)
{
    if (!w)
        return;
    free(w->M), free(w->R), free(w->T), free(w->J), free(w->KJ), free(w->G), free(w->Ci);
    free(w->ipiv);
    free(w);
}

static int fits(const num_linnet_problem *pb, const num_linnet_work *w)
{
    return pb && w && pb->Sxx && pb->Syx && pb->n == w->n && pb->m == w->m && pb->p == w->p;
}

num_status num_linnet_moments(size_t N, size_t n, size_t m, const double *X, const double *Y,
                              double *Sxx, double *Syx, double *tyy)
{
    if (!N || !n || !m || !X || !Y || !Sxx || !Syx || !tyy)
        return NUM_ERROR(NUM_EINVAL, "linnet moments: empty sizes or NULL arguments");
    double s = 1.0 / (double)N;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)N, s, X, (int)n, X,
                (int)n, 0.0, Sxx, (int)n);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)m, (int)n, (int)N, s, Y, (int)m, X,
                (int)n, 0.0, Syx, (int)n);
    double t = 0;
    for (size_t i = 0; i < N * m; i++)
        t += Y[i] * Y[i];
    *tyy = t * s;
    for (size_t i = 0; i < n * n; i++)
        if (!isfinite(Sxx[i]))
            return NUM_ERROR(NUM_ENAN, "linnet moments: non-finite data");
    return NUM_OK;
}

num_status num_linnet_spectrum(const num_linnet_problem *pb, double *A, double *lam, double *U)
{
    if (!pb || !pb->Sxx || !pb->Syx || !A || !lam || !U || !pb->n || !pb->m)
        return NUM_ERROR(NUM_EINVAL, "linnet spectrum: NULL argument");
    size_t n = pb->n, m = pb->m;
    double *L = malloc(n * n * sizeof *L), *S = malloc(m * m * sizeof *S);
    double *ev = malloc(m * sizeof *ev), *V = malloc(m * m * sizeof *V);
    double *At = malloc(n * m * sizeof *At);
    num_status st = NUM_OK;
    if (!L || !S || !ev || !V || !At) {
        st = NUM_ERROR(NUM_ENOMEM, "linnet spectrum: allocation failed");
        goto done;
    }
    memcpy(L, pb->Sxx, n * n * sizeof *L);
    if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)n, L, (lapack_int)n) != 0) {
        st = NUM_ERROR(NUM_EINVAL, "linnet spectrum: Sxx is not positive definite");
        goto done;
    }
    /* A^T = Sxx^-1 Syx^T: solve with the Cholesky factor, n x m right-hand sides */
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++)
            At[j * m + i] = pb->Syx[i * n + j];
    LAPACKE_dpotrs(LAPACK_ROW_MAJOR, 'L', (lapack_int)n, (lapack_int)m, L, (lapack_int)n, At,
                   (lapack_int)m);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++)
            A[i * n + j] = At[j * m + i];
    /* Sigma = A Syx^T, symmetrised (its antisymmetric part is rounding only) */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)m, (int)n, 1.0, A, (int)n,
                pb->Syx, (int)n, 0.0, S, (int)m);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < i; j++)
            S[i * m + j] = S[j * m + i] = 0.5 * (S[i * m + j] + S[j * m + i]);
    st = num_linalg_eigh(m, S, ev, V);
    if (st != NUM_OK)
        goto done;
    for (size_t j = 0; j < m; j++) { /* ascending -> descending */
        lam[j] = ev[m - 1 - j];
        for (size_t i = 0; i < m; i++)
            U[i * m + j] = V[i * m + (m - 1 - j)];
    }
done:
    free(L), free(S), free(ev), free(V), free(At);
    return st;
}

/* w->Ci = C^-1 (identity for C == NULL). */
static num_status gauge_inverse(const double *C, num_linnet_work *w)
{
    size_t p = w->p;
    memset(w->Ci, 0, p * p * sizeof *w->Ci);
    if (!C) {
        for (size_t i = 0; i < p; i++)
            w->Ci[i * p + i] = 1.0;
        return NUM_OK;
    }
    memcpy(w->Ci, C, p * p * sizeof *w->Ci);
    lapack_int info = LAPACKE_dgetrf(LAPACK_ROW_MAJOR, (lapack_int)p, (lapack_int)p, w->Ci,
                                     (lapack_int)p, w->ipiv);
    if (info != 0)
        return NUM_ERROR(NUM_EINVAL, "linnet critical point: the gauge C is singular");
    if (LAPACKE_dgetri(LAPACK_ROW_MAJOR, (lapack_int)p, w->Ci, (lapack_int)p, w->ipiv) != 0)
        return NUM_ERROR(NUM_ELAPACK, "linnet critical point: dgetri failed");
    return NUM_OK;
}

num_status num_linnet_critical_point(const num_linnet_problem *pb, const double *A,
                                     const double *U, unsigned mask, const double *C,
                                     num_linnet_work *w, double *W1, double *W2)
{
    if (!fits(pb, w) || !A || !U || !W1 || !W2 || pb->m > 8 * sizeof mask)
        return NUM_ERROR(NUM_EINVAL, "linnet critical point: bad arguments");
    size_t n = pb->n, m = pb->m, p = pb->p, k = 0;
    if (mask >> m)
        return NUM_ERROR(NUM_EINVAL, "linnet critical point: mask names an index >= m");
    /* B2 = [U_I, 0] (m x p) and B1 = [U_I^T A; 0] (p x n) in w->T (m p) and W1 (scratch) */
    double *B2 = w->T, *B1 = W1;
    memset(B2, 0, m * p * sizeof *B2);
    memset(B1, 0, p * n * sizeof *B1);
    for (size_t j = 0; j < m; j++) {
        if (!(mask >> j & 1u))
            continue;
        if (k == p)
            return NUM_ERROR(NUM_EINVAL, "linnet critical point: more than p indices");
        for (size_t i = 0; i < m; i++)
            B2[i * p + k] = U[i * m + j];
        for (size_t c = 0; c < n; c++) {
            double s = 0;
            for (size_t i = 0; i < m; i++)
                s += U[i * m + j] * A[i * n + c];
            B1[k * n + c] = s;
        }
        k++;
    }
    num_status st = gauge_inverse(C, w);
    if (st != NUM_OK)
        return st;
    if (C)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)p, (int)p, 1.0, B2,
                    (int)p, C, (int)p, 0.0, W2, (int)p);
    else
        memcpy(W2, B2, m * p * sizeof *W2);
    /* W1 = C^-1 B1 (B1 lives in W1: copy it to the scratch first) */
    memcpy(w->R, B1, p * n * sizeof *B1);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)p, (int)n, (int)p, 1.0, w->Ci,
                (int)p, w->R, (int)n, 0.0, W1, (int)n);
    return NUM_OK;
}

/* w->M = W2 W1, w->R = M Sxx - Syx; returns E. */
static double residual(const num_linnet_problem *pb, const double *W1, const double *W2,
                       num_linnet_work *w)
{
    size_t n = pb->n, m = pb->m, p = pb->p;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)p, 1.0, W2,
                (int)p, W1, (int)n, 0.0, w->M, (int)n);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)n, 1.0, w->M,
                (int)n, pb->Sxx, (int)n, 0.0, w->R, (int)n);
    double quad = 0, lin = 0;
    for (size_t i = 0; i < m * n; i++) {
        quad += w->R[i] * w->M[i];
        lin += pb->Syx[i] * w->M[i];
        w->R[i] -= pb->Syx[i];
    }
    return pb->tyy - 2 * lin + quad;
}

num_status num_linnet_eval(const num_linnet_problem *pb, const double *W1, const double *W2,
                           num_linnet_work *w, double *E, double *G1, double *G2)
{
    if (!fits(pb, w) || !W1 || !W2 || !E)
        return NUM_ERROR(NUM_EINVAL, "linnet eval: bad arguments");
    size_t n = pb->n, m = pb->m, p = pb->p;
    *E = residual(pb, W1, W2, w);
    if (G2) /* 2 R W1^T */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)p, (int)n, 2.0, w->R,
                    (int)n, W1, (int)n, 0.0, G2, (int)p);
    if (G1) /* 2 W2^T R */
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)p, (int)n, (int)m, 2.0, W2,
                    (int)p, w->R, (int)n, 0.0, G1, (int)n);
    if (!isfinite(*E))
        return NUM_ERROR(NUM_ENAN, "linnet eval: non-finite loss");
    return NUM_OK;
}

num_status num_linnet_hessian(const num_linnet_problem *pb, const double *W1, const double *W2,
                              num_linnet_work *w, double *H)
{
    if (!fits(pb, w) || !W1 || !W2 || !H)
        return NUM_ERROR(NUM_EINVAL, "linnet hessian: bad arguments");
    size_t n = pb->n, m = pb->m, p = pb->p, P = num_linnet_nparams(n, m, p), o2 = p * n;
    (void)residual(pb, W1, W2, w);
    /* J: row (i, j) of vec(M) = W2 W1; column W1(k, j) gets W2[i][k], column W2(i, k) W1[k][j] */
    memset(w->J, 0, m * n * P * sizeof *w->J);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            double *row = w->J + (i * n + j) * P;
            for (size_t k = 0; k < p; k++) {
                row[k * n + j] = W2[i * p + k];
                row[o2 + i * p + k] = W1[k * n + j];
            }
        }
    /* KJ = (I_m (x) Sxx) J: block i of rows is Sxx times the rows (i, .) of J */
    for (size_t i = 0; i < m; i++)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)P, (int)n, 1.0,
                    pb->Sxx, (int)n, w->J + i * n * P, (int)P, 0.0, w->KJ + i * n * P, (int)P);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)P, (int)P, (int)(m * n), 2.0, w->J,
                (int)P, w->KJ, (int)P, 0.0, H, (int)P);
    /* the cross block 4 tr(A2 A1 R^T): H[W2(i,k), W1(k,j)] += 2 R[i][j], and its mirror */
    for (size_t i = 0; i < m; i++)
        for (size_t k = 0; k < p; k++)
            for (size_t j = 0; j < n; j++) {
                size_t a = o2 + i * p + k, b = k * n + j;
                H[a * P + b] += 2 * w->R[i * n + j];
                H[b * P + a] += 2 * w->R[i * n + j];
            }
    for (size_t i = 0; i < P * P; i++)
        if (!isfinite(H[i]))
            return NUM_ERROR(NUM_ENAN, "linnet hessian: non-finite entry");
    return NUM_OK;
}

void num_linnet_inertia(size_t P, const double *evals, double tol, size_t counts[3])
{
    counts[0] = counts[1] = counts[2] = 0;
    for (size_t i = 0; i < P; i++)
        counts[evals[i] < -tol ? 0 : evals[i] > tol ? 2 : 1]++;
}

/* E and the gradient of E + lambda (||W1||^2 + ||W2||^2) into w->G. */
static num_status eval_reg(const num_linnet_problem *pb, double lambda, const double *W1,
                           const double *W2, num_linnet_work *w, double *E)
{
    size_t o2 = pb->p * pb->n, P = num_linnet_nparams(pb->n, pb->m, pb->p);
    num_status st = num_linnet_eval(pb, W1, W2, w, E, w->G, w->G + o2);
    if (lambda > 0)
        for (size_t i = 0; i < P; i++)
            w->G[i] += 2 * lambda * (i < o2 ? W1[i] : W2[i - o2]);
    return st;
}

num_status num_linnet_gd(const num_linnet_problem *pb, double lambda, double eta, size_t steps,
                         double *W1, double *W2, num_linnet_work *w, double *E, double *gnorm)
{
    if (!fits(pb, w) || !W1 || !W2 || !E || !gnorm || !(eta > 0) || !(lambda >= 0))
        return NUM_ERROR(NUM_EINVAL, "linnet gd: bad arguments");
    size_t n = pb->n, m = pb->m, p = pb->p, o2 = p * n, P = num_linnet_nparams(n, m, p);
    num_status st = eval_reg(pb, lambda, W1, W2, w, E);
    for (size_t s = 0; s < steps && st == NUM_OK; s++) {
        for (size_t i = 0; i < o2; i++)
            W1[i] -= eta * w->G[i];
        for (size_t i = 0; i < m * p; i++)
            W2[i] -= eta * w->G[o2 + i];
        st = eval_reg(pb, lambda, W1, W2, w, E);
    }
    if (st != NUM_OK)
        return NUM_ERROR(NUM_ENAN, "linnet gd: the iterate stopped being finite");
    *gnorm = cblas_dnrm2((int)P, w->G, 1);
    return NUM_OK;
}
