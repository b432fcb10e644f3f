/* numerics/random_features.c — random-features regression (see random_features.h). */
#include "numerics/random_features.h"

#include <math.h>
#include <string.h>

#include <cblas.h>

num_status num_rf_relu_features(size_t n, size_t d, const double *X, size_t N, const double *W,
                                double *Phi)
{
    if (!X || !W || !Phi || n == 0 || d == 0 || N == 0)
        return NUM_ERROR(NUM_EINVAL, "n, d, N must be >= 1 and X, W, Phi not NULL");
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)N, (int)d, 1.0, X, (int)d,
                W, (int)d, 0.0, Phi, (int)N);
    for (size_t i = 0; i < n * N; i++) {
        if (!isfinite(Phi[i]))
            return NUM_ERROR(NUM_ENAN, "a feature is not finite");
        Phi[i] = Phi[i] > 0 ? Phi[i] : 0.0;
    }
    return NUM_OK;
}

void num_rf_columns(size_t n, size_t Nmax, const double *A, size_t N, double *B)
{
    for (size_t i = 0; i < n; i++)
        memcpy(B + i * N, A + i * Nmax, N * sizeof *B);
}

void num_rf_onehot(size_t n, size_t C, const size_t *y, double *Y)
{
    memset(Y, 0, n * C * sizeof *Y);
    for (size_t i = 0; i < n; i++)
        Y[i * C + y[i]] = 1.0;
}

num_status num_rf_coef(size_t n, size_t N, size_t k, const double *U, const double *s,
                       const double *Vt, size_t rank, double lambda, size_t C, const double *Y,
                       double *B, double *tmp)
{
    if (!U || !s || !Vt || !Y || !B || !tmp || C == 0 || k == 0 || rank > k)
        return NUM_ERROR(NUM_EINVAL, "bad sizes or NULL arguments");
    if (!(lambda >= 0) || !isfinite(lambda))
        return NUM_ERROR(NUM_EINVAL, "lambda must be finite and >= 0");
    /* tmp = diag(g(s)) U^T Y over the kept triplets (rows beyond rank are zero) */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)C, (int)n, 1.0, U, (int)k,
                Y, (int)C, 0.0, tmp, (int)C);
    for (size_t i = 0; i < k; i++) {
        double g = i >= rank ? 0.0 : lambda == 0 ? 1.0 / s[i] : s[i] / (s[i] * s[i] + lambda);
        for (size_t c = 0; c < C; c++)
            tmp[i * C + c] *= g;
    }
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)N, (int)C, (int)k, 1.0, Vt, (int)N,
                tmp, (int)C, 0.0, B, (int)C);
    for (size_t i = 0; i < N * C; i++)
        if (!isfinite(B[i]))
            return NUM_ERROR(NUM_ENAN, "a read-out coefficient is not finite");
    return NUM_OK;
}

num_status num_rf_eval(size_t m, size_t N, size_t C, const double *Phi, const double *B,
                       const size_t *y, double *P, double *mse, double *err)
{
    if (!Phi || !B || !y || !P || m == 0 || N == 0 || C == 0)
        return NUM_ERROR(NUM_EINVAL, "bad sizes or NULL arguments");
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)C, (int)N, 1.0, Phi,
                (int)N, B, (int)C, 0.0, P, (int)C);
    double ss = 0;
    size_t wrong = 0;
    for (size_t i = 0; i < m; i++) {
        const double *p = P + i * C;
        size_t arg = 0;
        for (size_t c = 0; c < C; c++) {
            double e = p[c] - (c == y[i] ? 1.0 : 0.0);
            ss += e * e;
            if (p[c] > p[arg])
                arg = c;
        }
        wrong += arg != y[i];
    }
    if (!isfinite(ss))
        return NUM_ERROR(NUM_ENAN, "a prediction is not finite");
    if (mse)
        *mse = ss / (double)m;
    if (err)
        *err = (double)wrong / (double)m;
    return NUM_OK;
}
