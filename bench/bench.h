/* bench/bench.h — the benchmark protocol: each family times its kernels and reports rows.
 *
 * Timings are wall-clock medians of repeated runs (bench_time); rates are compared with the
 * dgemm rate measured in the same run, so the table says what fraction of the machine's BLAS
 * peak a training loop reaches.
 */
#ifndef TC_BENCH_H
#define TC_BENCH_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
    double dgemm_gflops;  /* measured dgemm rate (1 BLAS thread) in this run */
    int quick;            /* 1 for a short run (CI), 0 for the full table */
} bench_ctx;

/* Print one table row. gflops < 0 means not applicable. */
void bench_row(const bench_ctx *ctx, const char *kernel, const char *size, double seconds,
               double rate, const char *rate_unit, double gflops);

/* Median wall time in seconds of `reps` calls of fn(arg) (after one warm-up call). */
double bench_time(void (*fn)(void *), void *arg, int reps);

/* Family benchmarks (bench/bench_<family>.c). */
void bench_max_margin(const bench_ctx *ctx);
void bench_norm_growth(const bench_ctx *ctx);
void bench_hessian(const bench_ctx *ctx);
void bench_angle(const bench_ctx *ctx);
void bench_ntk(const bench_ctx *ctx);
void bench_collapse(const bench_ctx *ctx);
void bench_scattering(const bench_ctx *ctx);

#endif /* TC_BENCH_H */
