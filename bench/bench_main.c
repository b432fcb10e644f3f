/* bench/bench_main.c — `make bench`: times the heavy kernels of every family and prints a
 * Markdown table (committed as bench/RESULTS.md). The machine's dgemm rate is measured first,
 * in the same run and with the same single BLAS thread the claims use, so each row can say
 * what fraction of it a kernel reaches. Usage: tc_bench [--quick]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include <cblas.h>
#include <gsl/gsl_errno.h>

#include "bench/bench.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_time(void (*fn)(void *), void *arg, int reps)
{
    double t[64];
    if (reps < 1)
        reps = 1;
    if (reps > 64)
        reps = 64;
    fn(arg); /* warm-up: page faults, caches, lazy allocations */
    for (int i = 0; i < reps; i++) {
        double t0 = now();
        fn(arg);
        t[i] = now() - t0;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    return t[reps / 2];
}

void bench_row(const bench_ctx *ctx, const char *kernel, const char *size, double seconds,
               double rate, const char *rate_unit, double gflops)
{
    char gf[64] = "–", frac[64] = "–";
    if (gflops >= 0) {
        snprintf(gf, sizeof gf, "%.2f", gflops);
        snprintf(frac, sizeof frac, "%.0f%%", 100.0 * gflops / ctx->dgemm_gflops);
    }
    printf("| %s | %s | %.4g | %.4g %s | %s | %s |\n", kernel, size, seconds, rate, rate_unit,
           gf, frac);
    fflush(stdout);
}

typedef struct {
    int n;
    double *a, *b, *c;
} gemm_arg;

static void gemm_once(void *p)
{
    gemm_arg *g = p;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g->n, g->n, g->n, 1.0, g->a, g->n,
                g->b, g->n, 0.0, g->c, g->n);
}

static double dgemm_rate(int n)
{
    gemm_arg g = {n, malloc(sizeof(double) * n * n), malloc(sizeof(double) * n * n),
                  malloc(sizeof(double) * n * n)};
    for (long i = 0; i < (long)n * n; i++) {
        g.a[i] = (double)(i % 7) - 3.0;
        g.b[i] = (double)(i % 5) - 2.0;
    }
    double s = bench_time(gemm_once, &g, 5);
    free(g.a);
    free(g.b);
    free(g.c);
    return 2.0 * n * (double)n * n / s * 1e-9;
}

int main(int argc, char **argv)
{
    bench_ctx ctx = {0};
    ctx.quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    openblas_set_num_threads(1); /* as in `theorycheck run`: one BLAS thread per claim */
    gsl_set_error_handler_off();  /* as in `theorycheck run`: statuses are checked */
    ctx.dgemm_gflops = dgemm_rate(1024);
    struct utsname u;
    uname(&u);
    time_t t = time(NULL);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d", gmtime(&t));
    printf("# theorycheck benchmarks\n\n");
    printf("Machine: %s %s, %s; BLAS: %s. Date: %s.\n\n", u.sysname, u.machine, u.release,
           openblas_get_config(), date);
    printf("Reference: dgemm 1024x1024x1024, 1 thread: **%.2f GFLOP/s** (median of 5). "
           "Every kernel below runs with the same single BLAS thread as `theorycheck run`.\n\n",
           ctx.dgemm_gflops);
    printf("| kernel | size | seconds (median) | rate | GFLOP/s | of dgemm |\n");
    printf("|---|---|---|---|---|---|\n");
    bench_row(&ctx, "dgemm (reference)", "1024^3", 2.0 * 1024.0 * 1024 * 1024 / ctx.dgemm_gflops * 1e-9,
              ctx.dgemm_gflops, "GFLOP/s", ctx.dgemm_gflops);
    bench_max_margin(&ctx);
    bench_norm_growth(&ctx);
    bench_hessian(&ctx);
    bench_angle(&ctx);
    bench_ntk(&ctx);
    bench_collapse(&ctx);
    bench_scattering(&ctx);
    return 0;
}
