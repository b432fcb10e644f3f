/* bench/bench_angle.c — benchmarks of the 'angle' kernels (numerics/randnet.h,
 * numerics/intrinsic_dim.h).
 *
 * Rows:
 *   - one random ReLU layer on a batch of pairs (one dgemm + the activation), hidden-layer
 *     shape m x m, as in angle_depth: pairs/s and GFLOP/s of the dgemm (2 n m^2 flops);
 *   - the same layer with the pooled cosine and its row-unit SE (the statistics pass);
 *   - the first layer of orthogonal pairs (d = 2 P), as in angle_shrinkage;
 *   - drawing the Gaussian weights of one m x m layer (the claims' real bottleneck);
 *   - the Levina-Bickel estimator on n points in R^m (dsyrk + neighbour selection).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "numerics/intrinsic_dim.h"
#include "numerics/randnet.h"
#include "numerics/rng.h"

typedef struct {
    size_t n, d, m, P;
    double *X, *W, *Z, *work;
    size_t lwork;
    gsl_rng *r;
    int stats;
} angle_arg;

static void layer_once(void *p)
{
    angle_arg *a = p;
    num_randnet_apply(a->X, a->n, a->d, a->W, a->m, NULL, NUM_ACT_RELU, 0.1, a->Z, a->Z);
    if (a->stats) {
        double c, se;
        num_randnet_pooled_cos(a->Z, a->m, NULL, a->P, NUM_RANDNET_UNIT_ROW, &c, &se);
    }
}

static void draw_once(void *p)
{
    angle_arg *a = p;
    num_randnet_draw(a->r, a->m, a->d, 1.0 / sqrt((double)a->m), a->W, 0.0, NULL);
}

static void id_once(void *p)
{
    angle_arg *a = p;
    double dim;
    num_intrinsic_dim_mle(a->Z, a->n, a->m, 10, 20, a->work, a->lwork, &dim, NULL);
}

static void bench_layer(const bench_ctx *ctx, size_t P, size_t m, int stats)
{
    angle_arg a = {2 * P, m, m, P, NULL, NULL, NULL, NULL, 0, num_rng_alloc(1), stats};
    a.X = malloc(sizeof(double) * a.n * m);
    a.W = malloc(sizeof(double) * m * m);
    a.Z = malloc(sizeof(double) * a.n * m);
    if (!a.X || !a.W || !a.Z || !a.r)
        goto done;
    num_rng_gaussian(a.r, 1.0, a.X, a.n * m);
    num_rng_gaussian(a.r, 1.0 / sqrt((double)m), a.W, m * m);
    double s = bench_time(layer_once, &a, ctx->quick ? 3 : 7);
    double flops = 2.0 * (double)a.n * (double)m * (double)m;
    char size[64];
    snprintf(size, sizeof size, "%zu pairs, m=%zu", P, m);
    bench_row(ctx, stats ? "ReLU layer + pooled cos/SE" : "ReLU layer (dgemm + relu)", size, s,
              (double)P / s, "pairs/s", flops / s * 1e-9);
done:
    free(a.X), free(a.W), free(a.Z);
    if (a.r)
        gsl_rng_free(a.r);
}

static void bench_first_layer(const bench_ctx *ctx, size_t P, size_t m)
{
    angle_arg a = {2 * P, 2 * P, m, P, NULL, NULL, NULL, NULL, 0, num_rng_alloc(2), 1};
    double *theta = malloc(sizeof(double) * P);
    a.X = malloc(sizeof(double) * a.n * a.d);
    a.W = malloc(sizeof(double) * m * a.d);
    a.Z = malloc(sizeof(double) * a.n * m);
    if (!theta || !a.X || !a.W || !a.Z || !a.r)
        goto done;
    for (size_t p = 0; p < P; p++)
        theta[p] = 1.0;
    num_randnet_pairs_orthogonal(P, theta, a.X, a.d);
    num_rng_gaussian(a.r, 1.0 / sqrt((double)m), a.W, m * a.d);
    double s = bench_time(layer_once, &a, ctx->quick ? 3 : 7);
    double flops = 2.0 * (double)a.n * (double)m * (double)a.d;
    char size[64];
    snprintf(size, sizeof size, "%zu orthogonal pairs, m=%zu", P, m);
    bench_row(ctx, "first layer + pooled cos/SE", size, s, (double)P / s, "pairs/s",
              flops / s * 1e-9);
done:
    free(theta), free(a.X), free(a.W), free(a.Z);
    if (a.r)
        gsl_rng_free(a.r);
}

static void bench_draw(const bench_ctx *ctx, size_t m)
{
    angle_arg a = {0, m, m, 0, NULL, NULL, NULL, NULL, 0, num_rng_alloc(3), 0};
    a.W = malloc(sizeof(double) * m * m);
    if (a.W && a.r) {
        double s = bench_time(draw_once, &a, ctx->quick ? 3 : 7);
        char size[64];
        snprintf(size, sizeof size, "%zu x %zu", m, m);
        bench_row(ctx, "draw Gaussian layer (GSL ziggurat)", size, s,
                  (double)(m * m) / s * 1e-6, "M draws/s", -1.0);
    }
    free(a.W);
    if (a.r)
        gsl_rng_free(a.r);
}

static void bench_id(const bench_ctx *ctx, size_t n, size_t m)
{
    angle_arg a = {n, m, m, 0, NULL, NULL, NULL, NULL, 0, num_rng_alloc(4), 0};
    a.lwork = num_intrinsic_dim_work_size(n, m, 20);
    a.Z = malloc(sizeof(double) * n * m);
    a.work = malloc(sizeof(double) * a.lwork);
    if (a.Z && a.work && a.r) {
        num_rng_gaussian(a.r, 1.0, a.Z, n * m);
        double s = bench_time(id_once, &a, ctx->quick ? 3 : 5);
        char size[64];
        snprintf(size, sizeof size, "n=%zu, D=%zu, k=10..20", n, m);
        /* dsyrk: n^2 D flops (half of the n x n x D product) */
        bench_row(ctx, "intrinsic dim (Levina-Bickel)", size, s, (double)n / s, "points/s",
                  (double)n * (double)n * (double)m / s * 1e-9);
    }
    free(a.Z), free(a.work);
    if (a.r)
        gsl_rng_free(a.r);
}

void bench_angle(const bench_ctx *ctx)
{
    if (ctx->quick) {
        bench_layer(ctx, 40, 256, 0);
        bench_layer(ctx, 40, 256, 1);
        bench_first_layer(ctx, 64, 1024);
        bench_draw(ctx, 256);
        bench_id(ctx, 500, 256);
        return;
    }
    bench_layer(ctx, 40, 256, 0);
    bench_layer(ctx, 40, 256, 1);
    bench_layer(ctx, 256, 1024, 0);
    bench_layer(ctx, 256, 1024, 1);
    bench_layer(ctx, 1024, 1024, 0);
    bench_first_layer(ctx, 64, 1024);
    bench_first_layer(ctx, 128, 4096);
    bench_draw(ctx, 256);
    bench_draw(ctx, 1024);
    bench_id(ctx, 500, 256);
    bench_id(ctx, 1000, 256);
}
