/* bench/bench_hessian.c — benchmarks of the 'hessian' kernels.
 *
 * Cost model (docs/claims/hessian.md): the exact Hessian is assembled from P Hessian-vector
 * products in blocks of B = 32 directions, each block 2 (first layer) or 6 (deeper layers)
 * dgemms per layer over n samples: at most 12 n P^2 flops (num_hessian_flops), O(n P^2). The
 * dense symmetric eigensolver (dsyevd, values only) costs ~4/3 P^3 flops for the tridiagonal
 * reduction (LAPACK Users' Guide, Table 3.13), O(P^3). Also timed: one block of 32
 * Hessian-vector products, and the Levenberg–Marquardt finish to a zero-loss point.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "numerics/hessian.h"
#include "numerics/linalg.h"
#include "numerics/mlp.h"
#include "numerics/rng.h"
#include "numerics/zeroloss.h"

typedef struct {
    num_mlp *net;
    num_hess_work *hw;
    double *theta, *X, *Y, *H, *V, *HV, *ev;
    size_t n, P;
} hx_bench;

static int setup(hx_bench *b, size_t d, size_t nh, const size_t *hidden, size_t dout, size_t n)
{
    size_t widths[8];
    widths[0] = d;
    for (size_t k = 0; k < nh; k++)
        widths[k + 1] = hidden[k];
    widths[nh + 1] = dout;
    b->net = num_mlp_alloc(nh + 1, widths, false, NUM_ACT_TANH);
    if (!b->net)
        return -1;
    b->n = n;
    b->P = b->net->nparams;
    b->hw = num_hessian_work_alloc(b->net, n, 32);
    b->theta = malloc(b->P * sizeof *b->theta);
    b->X = malloc(n * d * sizeof *b->X);
    b->Y = malloc(n * dout * sizeof *b->Y);
    b->H = malloc(b->P * b->P * sizeof *b->H);
    b->V = malloc(32 * b->P * sizeof *b->V);
    b->HV = malloc(32 * b->P * sizeof *b->HV);
    b->ev = malloc(b->P * sizeof *b->ev);
    if (!b->hw || !b->theta || !b->X || !b->Y || !b->H || !b->V || !b->HV || !b->ev)
        return -1;
    gsl_rng *r = num_rng_alloc(2024);
    num_mlp_init_gaussian(b->net, b->theta, r, NULL);
    num_rng_gaussian(r, 1.0, b->X, n * d);
    num_rng_gaussian(r, 1.0, b->Y, n * dout);
    num_rng_gaussian(r, 1.0, b->V, 32 * b->P);
    gsl_rng_free(r);
    return 0;
}

static void teardown(hx_bench *b)
{
    num_hessian_work_free(b->hw);
    num_mlp_free(b->net);
    free(b->theta);
    free(b->X);
    free(b->Y);
    free(b->H);
    free(b->V);
    free(b->HV);
    free(b->ev);
}

static void run_assembly(void *p)
{
    hx_bench *b = p;
    num_hess_opts o = {.loss = NUM_HESS_SQUARE};
    num_hessian_full(b->hw, b->theta, b->X, b->Y, b->n, &o, 0, b->P, b->H, NULL);
}

static void run_hvp(void *p)
{
    hx_bench *b = p;
    num_hessian_hvp(b->hw, 32, b->V, b->HV);
}

static void run_eig(void *p)
{
    hx_bench *b = p;
    num_linalg_eigh(b->P, b->H, b->ev, NULL);
}

typedef struct {
    hx_bench *b;
    double *theta;
    num_mlp_work *mw;
} lm_arg;

static void run_lm(void *p)
{
    lm_arg *a = p;
    hx_bench *b = a->b;
    for (size_t i = 0; i < b->P; i++)
        a->theta[i] = b->theta[i];
    num_zeroloss_stats st;
    num_zeroloss_lm(b->net, a->theta, b->X, b->Y, b->n, 1e-12, 100, a->mw, &st);
}

static void bench_one(const bench_ctx *ctx, size_t d, size_t nh, const size_t *hidden,
                      size_t dout, size_t n, int reps)
{
    hx_bench b = {0};
    char size[128];
    if (setup(&b, d, nh, hidden, dout, n) != 0) {
        teardown(&b);
        return;
    }
    int off = snprintf(size, sizeof size, "P=%zu n=%zu [%zu", b.P, n, d);
    for (size_t k = 0; k < nh && off < (int)sizeof size; k++)
        off += snprintf(size + off, sizeof size - (size_t)off, ",%zu", hidden[k]);
    if (off < (int)sizeof size)
        snprintf(size + off, sizeof size - (size_t)off, ",%zu]", dout);

    num_hess_opts o = {.loss = NUM_HESS_SQUARE};
    num_hessian_prepare(b.hw, b.theta, b.X, b.Y, n, &o, NULL, NULL);
    double t = bench_time(run_hvp, &b, reps);
    double fl = num_hessian_flops(b.net, n) / (double)b.P * 32.0;
    bench_row(ctx, "hessian: 32 Hessian-vector products (R-operator)", size, t, 32.0 / t,
              "HVP/s", fl / t * 1e-9);

    t = bench_time(run_assembly, &b, reps);
    fl = num_hessian_flops(b.net, n);
    bench_row(ctx, "hessian: full assembly (<= 12 n P^2)", size, t, (double)b.P / t,
              "columns/s", fl / t * 1e-9);

    run_assembly(&b);
    t = bench_time(run_eig, &b, reps);
    fl = 4.0 / 3.0 * (double)b.P * (double)b.P * (double)b.P;
    bench_row(ctx, "hessian: eigenvalues dsyevd (4/3 P^3)", size, t, (double)b.P / t,
              "eigenvalues/s", fl / t * 1e-9);

    if (n * dout < b.P) {
        lm_arg a = {&b, malloc(b.P * sizeof(double)), num_mlp_work_alloc(b.net, n)};
        if (a.theta && a.mw) {
            t = bench_time(run_lm, &a, reps);
            bench_row(ctx, "zeroloss: Levenberg-Marquardt to 1e-12", size, t, 1.0 / t,
                      "solves/s", -1.0);
        }
        free(a.theta);
        num_mlp_work_free(a.mw);
    }
    teardown(&b);
}

void bench_hessian(const bench_ctx *ctx)
{
    static const size_t h1[1] = {40}, h2[2] = {24, 24}, h3[1] = {250}, h4[2] = {44, 44},
                        h5[3] = {32, 32, 32};
    bench_one(ctx, 10, 1, h1, 2, 50, 5);  /* P = 480 */
    bench_one(ctx, 10, 2, h2, 2, 50, 5);  /* P = 864 */
    if (ctx->quick)
        return;
    bench_one(ctx, 10, 1, h3, 2, 60, 3);  /* P = 3000 */
    bench_one(ctx, 10, 2, h4, 2, 60, 3);  /* P = 2464 */
    bench_one(ctx, 10, 3, h5, 2, 60, 3);  /* P = 2432 */
}
