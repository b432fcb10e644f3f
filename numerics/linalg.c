/* numerics/linalg.c — checked LAPACKE/CBLAS wrappers (see linalg.h). */
#include "numerics/linalg.h"

#include <float.h>
#include <stdint.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

static int all_finite(size_t len, const double *x)
{
    for (size_t i = 0; i < len; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

/* m * n overflows size_t or LAPACK's int? (lapack_int is 32-bit with the default ILP32 ABI) */
static int too_big(size_t m, size_t n)
{
    return m > (size_t)INT32_MAX || n > (size_t)INT32_MAX || (n && m > SIZE_MAX / n / 8);
}

/* malloc of at least one element, so that a zero size never returns NULL */
static double *alloc_d(size_t len)
{
    return malloc((len > 0 ? len : 1) * sizeof(double));
}

static double *dup_matrix(size_t m, size_t n, const double *A)
{
    double *c = alloc_d(m * n);
    if (c && m > 0 && n > 0)
        memcpy(c, A, m * n * sizeof *c);
    return c;
}

static bool exactly_symmetric(size_t n, const double *A)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (A[i * n + j] != A[j * n + i])
                return false;
    return true;
}

static void transpose_square(size_t n, double *A)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double t = A[i * n + j];
            A[i * n + j] = A[j * n + i];
            A[j * n + i] = t;
        }
}

num_status num_linalg_eigh(size_t n, const double *A, double *evals, double *V)
{
    if (n == 0 || !A || !evals || too_big(n, n))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || !A || !evals || too_big(n, "
                                     "n)");
    if (!all_finite(n * n, A))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !all_finite(n * n, A)");
    double *a = V ? V : malloc(n * n * sizeof *a);
    if (!a)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    if (a != A)
        memmove(a, A, n * n * sizeof *a);
    lapack_int info;
    if (exactly_symmetric(n, a)) {
        /* Read column-major, an exactly symmetric matrix is itself: LAPACK's 'U' path runs on
         * these bytes directly. LAPACKE's row-major call would transpose into a copy first and
         * compute the same bits (its result is transposed back the same way below); the copy
         * cost 7-23% of the time at P = 480..864 (bench/PEERS.md). */
        info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, V ? 'V' : 'N', 'U', (lapack_int)n, a,
                              (lapack_int)n, evals);
        if (V && info == 0)
            transpose_square(n, a);
    } else {
        info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, V ? 'V' : 'N', 'U', (lapack_int)n, a,
                              (lapack_int)n, evals);
    }
    if (!V)
        free(a);
    if (info < 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: info < 0");
    return info == 0 ? NUM_OK : NUM_ELAPACK;
}

num_status num_linalg_eigh_max(size_t n, const double *A, double *lmax)
{
    if (!lmax)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !lmax");
    double *ev = alloc_d(n);
    if (!ev)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    num_status st = num_linalg_eigh(n, A, ev, NULL);
    if (st == NUM_OK)
        *lmax = ev[n - 1];
    free(ev);
    return st;
}

num_status num_linalg_svd(size_t m, size_t n, const double *A, double *U, double *s, double *Vt)
{
    if (m == 0 || n == 0 || !A || !s || (!U) != (!Vt) || too_big(m, n))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: m == 0 || n == 0 || !A || !s || (!U) "
                                     "!= (!Vt) || too_big(m, n)");
    if (!all_finite(m * n, A))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !all_finite(m * n, A)");
    size_t k = m < n ? m : n;
    double *a = dup_matrix(m, n, A);
    if (!a)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    lapack_int info;
    if (U) {
        info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', (lapack_int)m, (lapack_int)n, a,
                              (lapack_int)n, s, U, (lapack_int)k, Vt, (lapack_int)n);
    } else {
        /* Values only: U and Vt are not referenced, but LAPACKE 3.11's row-major argument
         * check demands ldvt >= n even for job 'N', so pass n with a one-element dummy. */
        double du = 0.0, dv = 0.0;
        info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'N', (lapack_int)m, (lapack_int)n, a,
                              (lapack_int)n, s, &du, 1, &dv, (lapack_int)n);
    }
    free(a);
    if (info < 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: info < 0");
    return info == 0 ? NUM_OK : NUM_ELAPACK;
}

num_status num_linalg_svd_values(size_t m, size_t n, const double *A, double *s)
{
    return num_linalg_svd(m, n, A, NULL, s, NULL);
}

double num_linalg_rank_tol(size_t m, size_t n, double smax, double c)
{
    return c * (double)(m > n ? m : n) * DBL_EPSILON * smax;
}

bool num_linalg_rank_across_gap(size_t m, size_t n, const double *s, size_t k, double c,
                                double factor, size_t ranks[3])
{
    const double scale[3] = {1.0 / factor, 1.0, factor};
    for (int t = 0; t < 3; t++) {
        double tol = num_linalg_rank_tol(m, n, k ? s[0] : 0.0, c * scale[t]);
        ranks[t] = 0;
        while (ranks[t] < k && s[ranks[t]] > tol)
            ranks[t]++;
    }
    return ranks[0] == ranks[1] && ranks[2] == ranks[1];
}

void num_linalg_svd_solve(size_t m, size_t n, size_t k, const double *U, const double *s,
                          const double *Vt, size_t rank, const double *y, double *x)
{
    memset(x, 0, n * sizeof *x);
    for (size_t i = 0; i < rank; i++)
        cblas_daxpy((int)n, cblas_ddot((int)m, U + i, (int)k, y, 1) / s[i], Vt + i * n, 1, x, 1);
}

num_status num_linalg_rank(size_t m, size_t n, const double *A, double c, size_t *rank,
                           double *tol)
{
    if (!rank || !(c > 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !rank || !(c > 0.0)");
    size_t k = m < n ? m : n;
    double *s = alloc_d(k);
    if (!s)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    num_status st = num_linalg_svd_values(m, n, A, s);
    if (st == NUM_OK) {
        double t = num_linalg_rank_tol(m, n, s[0], c);
        size_t r = 0;
        while (r < k && s[r] > t)
            r++;
        *rank = r;
        if (tol)
            *tol = t;
    }
    free(s);
    return st;
}

num_status num_linalg_lstsq(size_t m, size_t n, size_t nrhs, const double *A, const double *B,
                            double rcond, double *X, size_t *rank)
{
    if (m == 0 || n == 0 || nrhs == 0 || !A || !B || !X || !(rcond > 0.0) || too_big(m, n) ||
        too_big(m > n ? m : n, nrhs))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: m == 0 || n == 0 || nrhs == 0 || !A "
                                     "|| !B || !X || !(rcond > 0.0) || too_big(m, n) || too_big(m "
                                     "> n ? m : n, nrhs)");
    if (!all_finite(m * n, A) || !all_finite(m * nrhs, B))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !all_finite(m * n, A) || !all_finite(m * "
                                   "nrhs, B)");
    size_t mx = m > n ? m : n, k = m < n ? m : n;
    double *a = dup_matrix(m, n, A);
    double *b = calloc(mx * nrhs, sizeof *b);
    double *s = malloc(k * sizeof *s);
    num_status st = NUM_ENOMEM;
    if (!a || !b || !s)
        goto done;
    memcpy(b, B, m * nrhs * sizeof *b);
    lapack_int r = 0;
    lapack_int info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)n,
                                     (lapack_int)nrhs, a, (lapack_int)n, b, (lapack_int)nrhs, s,
                                     rcond, &r);
    if (info != 0) {
        st = info < 0 ? NUM_EINVAL : NUM_ELAPACK;
        goto done;
    }
    memcpy(X, b, n * nrhs * sizeof *X);
    if (rank)
        *rank = (size_t)r;
    st = NUM_OK;
done:
    free(a);
    free(b);
    free(s);
    return st;
}

/* The thin SVD A = U diag(s) Vt (U m x k, Vt k x n, k = min(m, n); allocated here, freed
 * by the caller even on failure) and the numerical rank r: the number of singular values
 * above num_linalg_rank_tol(m, n, s_max, c). Shared by the pseudoinverse and the null-space
 * projector so both count the rank the same way. */
static num_status svd_rank(size_t m, size_t n, const double *A, double c, double **U,
                           double **s, double **Vt, size_t *r)
{
    size_t k = m < n ? m : n;
    *U = alloc_d(m * k);
    *Vt = alloc_d(k * n);
    *s = alloc_d(k);
    if (!*U || !*Vt || !*s)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    num_status st = num_linalg_svd(m, n, A, *U, *s, *Vt);
    if (st != NUM_OK)
        return st;
    double tol = num_linalg_rank_tol(m, n, (*s)[0], c);
    *r = 0;
    while (*r < k && (*s)[*r] > tol)
        (*r)++;
    return NUM_OK;
}

num_status num_linalg_pinv(size_t m, size_t n, const double *A, double c, double *P,
                           size_t *rank)
{
    if (!P || !(c > 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !P || !(c > 0.0)");
    size_t k = m < n ? m : n, r = 0;
    double *U = NULL, *Vt = NULL, *s = NULL;
    num_status st = svd_rank(m, n, A, c, &U, &s, &Vt, &r);
    if (st != NUM_OK)
        goto done;
    /* P = V_r diag(1/s_r) U_r^T: scale the first r rows of Vt, then P = Vt_r^T U_r^T. */
    for (size_t i = 0; i < r; i++)
        cblas_dscal((int)n, 1.0 / s[i], Vt + i * n, 1);
    memset(P, 0, n * m * sizeof *P);
    if (r > 0)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasTrans, (int)n, (int)m, (int)r, 1.0, Vt,
                    (int)n, U, (int)k, 0.0, P, (int)m);
    if (rank)
        *rank = r;
done:
    free(U);
    free(Vt);
    free(s);
    return st;
}

num_status num_linalg_null_projector(size_t m, size_t n, const double *A, double c, double *Pn,
                                     size_t *rank)
{
    if (!Pn || !(c > 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !Pn || !(c > 0.0)");
    size_t r = 0;
    double *U = NULL, *Vt = NULL, *s = NULL;
    num_status st = svd_rank(m, n, A, c, &U, &s, &Vt, &r);
    if (st != NUM_OK)
        goto done;
    /* I - V_r V_r^T: the complement of the row space. */
    memset(Pn, 0, n * n * sizeof *Pn);
    for (size_t i = 0; i < n; i++)
        Pn[i * n + i] = 1.0;
    if (r > 0)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)r, -1.0, Vt,
                    (int)n, Vt, (int)n, 1.0, Pn, (int)n);
    if (rank)
        *rank = r;
done:
    free(U);
    free(Vt);
    free(s);
    return st;
}

static double lange(char norm, size_t m, size_t n, const double *A)
{
    if (m == 0 || n == 0 || !A)
        return 0.0;
    return LAPACKE_dlange(LAPACK_ROW_MAJOR, norm, (lapack_int)m, (lapack_int)n, A,
                          (lapack_int)n);
}

double num_linalg_norm_fro(size_t m, size_t n, const double *A) { return lange('F', m, n, A); }
double num_linalg_norm_1(size_t m, size_t n, const double *A) { return lange('1', m, n, A); }
double num_linalg_norm_inf(size_t m, size_t n, const double *A) { return lange('I', m, n, A); }

num_status num_linalg_norm_2(size_t m, size_t n, const double *A, double *norm)
{
    if (!norm || m == 0 || n == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !norm || m == 0 || n == 0");
    size_t k = m < n ? m : n;
    double *s = malloc(k * sizeof *s);
    if (!s)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    num_status st = num_linalg_svd_values(m, n, A, s);
    if (st == NUM_OK)
        *norm = s[0];
    free(s);
    return st;
}

double num_linalg_nrm2(size_t n, const double *x)
{
    return n ? cblas_dnrm2((int)n, x, 1) : 0.0;
}

num_status num_linalg_gram(size_t m, size_t n, const double *A, double *C)
{
    if (m == 0 || n == 0 || !A || !C || too_big(m, n))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: m == 0 || n == 0 || !A || !C || "
                                     "too_big(m, n)");
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)m, 1.0, A, (int)n, 0.0, C,
                (int)n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            C[i * n + j] = C[j * n + i];
    return NUM_OK;
}
