/* bench/bench_max_margin.c — benchmarks of the 'max_margin' kernels (svm, flow, gd).
 *
 * Cost model:
 *  - SVM (LDP -> NNLS, numerics/svm.h): each NNLS outer iteration costs two dgemv on the
 *    (d+1) x n matrix E (4 n (d+1) flops) and one dgelsd on (d+1) x |P| (~ 4 (d+1) |P|^2 with
 *    the SVD); the number of iterations is about the number of support vectors. Reported as
 *    solves per second; the flop count is data dependent, so no GFLOP/s.
 *  - Flow (numerics/flow.h): every right-hand-side evaluation is two n x d dgemv
 *    (4 n d flops) plus n exponentials; rk8pd uses 13 evaluations per step, msbdf (the claims'
 *    stepper) a few plus Jacobians (n rank-1 updates, 2 n d^2 flops, not counted). Reported
 *    as accepted steps per second and GFLOP/s of the right-hand-side dgemv work.
 *  - GD (numerics/gd.h): two n x d dgemv (4 n d flops) and n exponentials per iteration.
 * Data: synthetic separable Gaussian data (numerics/separable.h), margin 0.2, seed 2024.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "numerics/flow.h"
#include "numerics/gd.h"
#include "numerics/rng.h"
#include "numerics/separable.h"
#include "numerics/svm.h"

typedef struct {
    size_t n, d;
    double *X, *y, *w0, *W;
    num_svm *svm;
    double s_end;
    const gsl_odeiv2_step_type *stepper;
    num_flow_stats fst;
    unsigned long iters;
    int status;
} mm_bench;

static int setup(mm_bench *b, size_t n, size_t d)
{
    b->n = n;
    b->d = d;
    b->X = malloc(n * d * sizeof *b->X);
    b->y = malloc(n * sizeof *b->y);
    b->w0 = calloc(d, sizeof *b->w0);
    b->W = malloc(d * sizeof *b->W);
    b->svm = num_svm_alloc(n, d);
    if (!b->X || !b->y || !b->w0 || !b->W || !b->svm)
        return -1;
    gsl_rng *r = num_rng_alloc(2024);
    num_separable_gen(r, n, d, 1.0, 0.2, b->X, b->y, NULL);
    gsl_rng_free(r);
    return 0;
}

static void teardown(mm_bench *b)
{
    free(b->X);
    free(b->y);
    free(b->w0);
    free(b->W);
    num_svm_free(b->svm);
}

static void run_svm(void *p)
{
    mm_bench *b = p;
    b->status = num_svm_solve(b->svm, b->X, b->y);
}

static void run_flow(void *p)
{
    mm_bench *b = p;
    num_flow_opts o = {.stepper = b->stepper, .epsabs = 1e-12, .epsrel = 1e-10, .h0 = 1e-3};
    b->status = num_flow_run(NUM_LOSS_EXP, b->n, b->d, b->X, b->y, b->w0, 0.0, 1, &b->s_end, &o,
                             b->W, NULL, &b->fst);
}

static void run_gd(void *p)
{
    mm_bench *b = p;
    /* a conservative fixed step: 1/(n max|x|^2) >= 1/lambda_max(X^T X) */
    b->status = num_gd_run(NUM_LOSS_EXP, b->n, b->d, b->X, b->y, b->w0, 1e-3 / (double)b->n, 1,
                           &b->iters, b->W, NULL, NULL);
}

void bench_max_margin(const bench_ctx *ctx)
{
    const size_t svm_sizes[][2] = {{100, 2}, {1000, 10}, {2000, 50}, {10000, 100}};
    const size_t flow_sizes[][2] = {{40, 2}, {1000, 20}, {2000, 50}};
    size_t nsvm = ctx->quick ? 3 : 4, nflow = ctx->quick ? 2 : 3;
    char size[64];
    for (size_t k = 0; k < nsvm; k++) {
        mm_bench b = {0};
        if (setup(&b, svm_sizes[k][0], svm_sizes[k][1]) == 0) {
            double t = bench_time(run_svm, &b, ctx->quick ? 3 : 5);
            snprintf(size, sizeof size, "n=%zu d=%zu nsv=%zu", b.n, b.d, b.svm->nsv);
            bench_row(ctx, b.status == NUM_OK ? "svm_solve (LDP/NNLS)" : "svm_solve (FAILED)",
                      size, t, 1.0 / t, "solves/s", -1.0);
        }
        teardown(&b);
    }
    for (size_t k = 0; k < nflow; k++) {
        mm_bench b = {0};
        if (setup(&b, flow_sizes[k][0], flow_sizes[k][1]) == 0) {
            const gsl_odeiv2_step_type *types[2] = {gsl_odeiv2_step_rk8pd, gsl_odeiv2_step_msbdf};
            for (int T = 0; T < 2; T++) {
                b.s_end = 200.0;
                b.stepper = types[T];
                double t = bench_time(run_flow, &b, 3);
                double flops = 4.0 * (double)b.n * (double)b.d * (double)b.fst.fevals;
                snprintf(size, sizeof size, "n=%zu d=%zu to log t=200 (%lu steps)", b.n, b.d,
                         b.fst.steps);
                char kern[64];
                snprintf(kern, sizeof kern, "flow exp %s%s", types[T]->name,
                         b.status == NUM_OK ? "" : " (FAILED)");
                bench_row(ctx, kern, size, t, (double)b.fst.steps / t, "steps/s",
                          flops / t * 1e-9);
            }
            b.iters = ctx->quick ? 20000ul : 100000ul;
            double t = bench_time(run_gd, &b, 3);
            double flops = 4.0 * (double)b.n * (double)b.d * (double)b.iters;
            snprintf(size, sizeof size, "n=%zu d=%zu, %lu iterations", b.n, b.d, b.iters);
            bench_row(ctx, b.status == NUM_OK ? "gd exp" : "gd exp (FAILED)", size, t,
                      (double)b.iters / t, "iters/s", flops / t * 1e-9);
        }
        teardown(&b);
    }
}
