/* theorems/linear_net_landscape/data.c — the synthetic regression data of the linear-network
 * claims (see ln_make_data in linnet_landscape.h). */
#include "theorems/linear_net_landscape/linnet_landscape.h"

#include <cblas.h>
#include <lapacke.h>

#include "numerics/rng.h"

/* A random orthogonal m x m matrix (Q of the QR of a Gaussian matrix). */
static void orthogonal(tc_ctx *ctx, gsl_rng *r, size_t m, double *Q)
{
    double *tau = TC_NEW(ctx, double, m);
    num_rng_gaussian(r, 1.0, Q, m * m);
    if (LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)m, Q, (lapack_int)m, tau) ||
        LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)m, (lapack_int)m, Q,
                       (lapack_int)m, tau))
        tc_fail(ctx, "QR of a Gaussian matrix failed");
}

void ln_make_data(tc_ctx *ctx, size_t N, size_t n, const double *sig, size_t m, double noise,
                  gsl_rng *g, num_linnet_problem *pb)
{
    double *X = TC_NEW(ctx, double, N * n), *Y = TC_NEW(ctx, double, N * m);
    double *Q = TC_NEW(ctx, double, m * m), *At = TC_NEW(ctx, double, m * n);
    num_rng_gaussian(g, 1.0, X, N * n);
    num_rng_gaussian(g, noise, Y, N * m);
    orthogonal(ctx, g, m, Q);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            At[i * n + j] = Q[i * m + j] * sig[j];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N, (int)m, (int)n, 1.0, X, (int)n,
                At, (int)n, 1.0, Y, (int)m);
    double *Sxx = TC_NEW(ctx, double, n * n), *Syx = TC_NEW(ctx, double, m * n);
    tc_check(ctx, num_linnet_moments(N, n, m, X, Y, Sxx, Syx, &pb->tyy), "the moments");
    pb->Sxx = Sxx, pb->Syx = Syx, pb->n = n, pb->m = m;
}
