/* bench/bench_ntk.c — benchmarks of the 'ntk' kernels (numerics/ntk.h).
 *
 * Cost model: the Gram matrix K_bar = V V^T (cblas_dsyrk) costs m (m + 1) n flops (m samples,
 * n features); it is the only level-3 kernel of the family and is compared with dgemm. The
 * features cost one dgemm (2 m n (d+1) flops, tiny for d + 1 = 5) plus m n activations, so they
 * are reported in features per second. The extreme eigenvalues come from dgesdd on the n x m
 * matrix V^T (values only: a QR reduction, ~2 n m^2 flops, then an m x m bidiagonal SVD).
 * The erf limit kernel is m (m + 1) / 2 closed-form entries (Williams' formula).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "numerics/ntk.h"
#include "numerics/rng.h"

typedef struct {
    size_t m, n, d1;
    double *Xt, *th, *V, *K;
    double lo, hi;
} ntk_bench;

static int setup(ntk_bench *b, size_t m, size_t n, size_t d)
{
    b->m = m;
    b->n = n;
    b->d1 = d + 1;
    double *X = malloc(m * d * sizeof *X);
    b->Xt = malloc(m * b->d1 * sizeof *b->Xt);
    b->th = malloc(n * b->d1 * sizeof *b->th);
    b->V = malloc(m * n * sizeof *b->V);
    b->K = malloc(m * m * sizeof *b->K);
    if (!X || !b->Xt || !b->th || !b->V || !b->K) {
        free(X);
        return -1;
    }
    gsl_rng *r = num_rng_alloc(2024);
    num_rng_gaussian(r, 1.0, X, m * d);
    num_rng_gaussian(r, 1.0, b->th, n * b->d1);
    gsl_rng_free(r);
    num_ntk_augment(m, d, X, b->Xt);
    free(X);
    return num_ntk_features(NUM_ACT_ERF, 0.1, m, b->d1, b->Xt, n, b->th, b->V) == NUM_OK ? 0
                                                                                        : -1;
}

static void teardown(ntk_bench *b)
{
    free(b->Xt);
    free(b->th);
    free(b->V);
    free(b->K);
}

static void run_gram(void *p)
{
    ntk_bench *b = p;
    num_ntk_gram(b->m, b->n, b->V, b->K);
}

static void run_features(void *p)
{
    ntk_bench *b = p;
    num_ntk_features(NUM_ACT_ERF, 0.1, b->m, b->d1, b->Xt, b->n, b->th, b->V);
}

static void run_eigs(void *p)
{
    ntk_bench *b = p;
    num_ntk_gram_extreme_eigs(b->m, b->n, b->V, 1.0, &b->lo, &b->hi, NULL);
}

static void run_limit(void *p)
{
    ntk_bench *b = p;
    num_ntk_limit_kernel(NUM_ACT_ERF, 0.1, b->m, b->d1, b->Xt, 1.0, 0, b->K);
}

void bench_ntk(const bench_ctx *ctx)
{
    /* (m, n): the claims use m = 10..20 and n up to 2^17; the Gram row uses a larger m so the
     * dsyrk is compute-bound and comparable with dgemm. */
    size_t gm[2][2] = {{256, 16384}, {512, 65536}};
    int ng = ctx->quick ? 1 : 2;
    char size[64];
    for (int i = 0; i < ng; i++) {
        ntk_bench b = {0};
        if (setup(&b, gm[i][0], gm[i][1], 4) != 0) {
            teardown(&b);
            continue;
        }
        double s = bench_time(run_gram, &b, ctx->quick ? 3 : 5);
        double flops = (double)b.m * (double)(b.m + 1) * (double)b.n;
        snprintf(size, sizeof size, "m=%zu, n=%zu", b.m, b.n);
        bench_row(ctx, "ntk: Gram K_bar = V V^T (dsyrk)", size, s, flops / s * 1e-9, "GFLOP/s",
                  flops / s * 1e-9);
        teardown(&b);
    }
    size_t fm[2][2] = {{20, 16384}, {20, 131072}};
    for (int i = 0; i < ng; i++) {
        ntk_bench b = {0};
        if (setup(&b, fm[i][0], fm[i][1], 4) != 0) {
            teardown(&b);
            continue;
        }
        snprintf(size, sizeof size, "m=%zu, n=%zu, d+1=5", b.m, b.n);
        double s = bench_time(run_features, &b, ctx->quick ? 3 : 5);
        bench_row(ctx, "ntk: features rho(Xt theta1^T) (erf)", size, s,
                  (double)b.m * (double)b.n / s * 1e-6, "Mfeatures/s", -1.0);
        s = bench_time(run_gram, &b, ctx->quick ? 3 : 5);
        double flops = (double)b.m * (double)(b.m + 1) * (double)b.n;
        bench_row(ctx, "ntk: Gram K_bar = V V^T (dsyrk)", size, s, flops / s * 1e-9, "GFLOP/s",
                  flops / s * 1e-9);
        s = bench_time(run_eigs, &b, ctx->quick ? 3 : 5);
        flops = 2.0 * (double)b.n * (double)b.m * (double)b.m;
        bench_row(ctx, "ntk: lambda_min/max of K_bar (dgesdd on V)", size, s,
                  flops / s * 1e-9, "GFLOP/s", flops / s * 1e-9);
        teardown(&b);
    }
    {
        ntk_bench b = {0};
        if (setup(&b, 256, 16, 4) == 0) {
            double s = bench_time(run_limit, &b, 3);
            bench_row(ctx, "ntk: limit kernel K_inf (erf, closed form)", "m=256, d+1=5", s,
                      256.0 * 257.0 / 2.0 / s * 1e-6, "Mentries/s", -1.0);
        }
        teardown(&b);
    }
}
