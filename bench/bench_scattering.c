/* bench/bench_scattering.c — benchmarks of numerics/scattering (issue #14: a signal of length
 * 2^16 with J = 8 and 2 layers in <= 50 ms, against its FFT cost).
 *
 * Cost model: the transform is a sequence of FFTs (num_scat_fft_count: one of length n for x,
 * two per kept |x * psi_j1| at n / 2^max(0, j1 - o), two per kept |U1 * psi_j2| at
 * n / 2^max(0, j2 - o), one short inverse per averaged output), plus O(n) products and folds.
 * The row "one complex FFT" times a GSL mixed-radix FFT of length n, so the ratio
 * transform / (count x FFT) says how much of the time is FFT. Rows: the subsampled transform
 * (oversample 0: Kymatio's default) and the full-resolution one (every coefficient at n: what
 * the checks use, and what an implementation without subsampling pays).
 */
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_fft_complex.h>

#include "bench/bench.h"
#include "numerics/rng.h"
#include "numerics/scattering.h"

typedef struct {
    num_scat *s;
    const double *x;
    double *out;
    int failed;
} scat_bench;

static void run_transform(void *p)
{
    scat_bench *b = p;
    if (num_scat_transform(b->s, b->x, b->out) != NUM_OK)
        b->failed = 1;
}

typedef struct {
    double *z;
    size_t n;
    gsl_fft_complex_wavetable *wt;
    gsl_fft_complex_workspace *ws;
} fft_bench;

static void run_fft(void *p)
{
    fft_bench *b = p;
    gsl_fft_complex_forward(b->z, 1, b->n, b->wt, b->ws);
    for (size_t i = 0; i < 2 * b->n; i++) /* keep the values bounded between repetitions */
        b->z[i] *= 1.0 / (double)b->n;
}

static double time_fft(size_t n, int reps)
{
    fft_bench b = {malloc(2 * n * sizeof(double)), n, gsl_fft_complex_wavetable_alloc(n),
                   gsl_fft_complex_workspace_alloc(n)};
    double t = -1;
    if (b.z && b.wt && b.ws) {
        for (size_t i = 0; i < 2 * n; i++)
            b.z[i] = (double)(i % 7) - 3.0;
        t = bench_time(run_fft, &b, reps);
    }
    free(b.z);
    if (b.wt)
        gsl_fft_complex_wavetable_free(b.wt);
    if (b.ws)
        gsl_fft_complex_workspace_free(b.ws);
    return t;
}

static void row(const bench_ctx *ctx, size_t n, int J, int os, double t_fft, int reps)
{
    num_scat_opts o = {.n = n, .J = J, .order = 2, .oversample = os};
    scat_bench b = {0};
    char size[128];
    if (num_scat_alloc(&o, &b.s) != NUM_OK)
        return;
    double *x = malloc(n * sizeof *x);
    b.out = malloc(num_scat_npaths(b.s) * num_scat_outlen(b.s) * sizeof *b.out);
    gsl_rng *r = num_rng_alloc(3);
    if (x && b.out && r) {
        num_rng_gaussian(r, 1.0, x, n);
        b.x = x;
        double t = bench_time(run_transform, &b, reps), c = num_scat_fft_count(b.s);
        snprintf(size, sizeof size, "n=%zu J=%d order 2 %s%d (%zu paths, %.1f FFTs of n = "
                 "%.3g s; time / FFT cost %.2f)", n, J, os >= J ? "full resolution, oversample "
                 : "subsampled, oversample ", os, num_scat_npaths(b.s), c, c * t_fft,
                 t / (c * t_fft));
        bench_row(ctx, "scattering: transform (GSL FFT)", size, t, 1.0 / t, "signals/s", -1.0);
        if (b.failed)
            fprintf(stderr, "bench_scattering: transform failed at %s\n", size);
    }
    if (r)
        gsl_rng_free(r);
    free(x);
    free(b.out);
    num_scat_free(b.s);
}

void bench_scattering(const bench_ctx *ctx)
{
    size_t n = (size_t)1 << 16;
    int reps = ctx->quick ? 3 : 7;
    double t_fft = time_fft(n, reps * 3);
    char size[64];
    snprintf(size, sizeof size, "n=%zu", n);
    /* 5 n log2 n flops per complex FFT (the usual count) */
    bench_row(ctx, "scattering: one complex FFT (GSL mixed radix)", size, t_fft, 1.0 / t_fft,
              "FFTs/s", 5.0 * (double)n * 16.0 / t_fft * 1e-9);
    row(ctx, n, 8, 0, t_fft, reps);
    row(ctx, n, 8, 1, t_fft, reps);
    if (!ctx->quick)
        row(ctx, n, 8, 8, t_fft, 3);
}
