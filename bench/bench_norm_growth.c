/* bench/bench_norm_growth.c — benchmarks of the 'norm_growth' kernels.
 *
 * Cost model: one GD step of the exponential loss on a K-layer network with widths
 * w_0..w_K over n samples is one forward pass (K dgemms, 2 n sum_k w_k w_{k-1} flops) and one
 * backward pass (K weight-gradient dgemms and K-1 delta dgemms, 2 n w_k w_{k-1} flops each):
 * 6 n sum_k w_k w_{k-1} - 2 n w_1 w_0 flops, plus O(n sum_k w_k) element-wise work. Small
 * claim-sized networks are overhead-bound; the BLAS-sized ones show the achieved fraction of
 * the dgemm rate. Also timed: the log-time flow of a claim-sized network (Dormand-Prince
 * steps per second, 13 gradient evaluations each) and the reduced ODE of eq. (55).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "numerics/homogeneous.h"
#include "numerics/mlp.h"
#include "numerics/rng.h"
#include "numerics/separable.h"

typedef struct {
    num_mlp *net;
    num_hom_problem pb;
    num_hom_work *w;
    double *X, *y, *theta, *theta0;
    size_t nsteps;
    double flops_per_step;
} ng_bench;

static int setup(ng_bench *b, size_t n, size_t d, size_t hidden, size_t K, num_act act)
{
    size_t widths[9];
    widths[0] = d;
    for (size_t k = 1; k < K; k++)
        widths[k] = hidden;
    widths[K] = 1;
    b->net = num_mlp_alloc(K, widths, false, act);
    if (!b->net)
        return -1;
    b->X = malloc(n * d * sizeof *b->X);
    b->y = malloc(n * sizeof *b->y);
    b->theta = malloc(b->net->nparams * sizeof *b->theta);
    b->theta0 = malloc(b->net->nparams * sizeof *b->theta0);
    if (!b->X || !b->y || !b->theta || !b->theta0)
        return -1;
    gsl_rng *r = num_rng_alloc(2018);
    num_separable_gen(r, n, d, 1.0 / sqrt((double)d), 0.1, b->X, b->y, NULL);
    num_mlp_init_gaussian(b->net, b->theta0, r, NULL);
    gsl_rng_free(r);
    b->pb = (num_hom_problem){b->net, b->X, b->y, n, NUM_HOM_LOSS_EXP};
    b->w = num_hom_work_alloc(&b->pb);
    if (!b->w)
        return -1;
    double f = 0.0;
    for (size_t k = 1; k <= K; k++)
        f += 6.0 * (double)n * (double)widths[k] * (double)widths[k - 1];
    b->flops_per_step = f - 2.0 * (double)n * (double)widths[1] * (double)widths[0];
    return 0;
}

static void teardown(ng_bench *b)
{
    num_hom_work_free(b->w);
    num_mlp_free(b->net);
    free(b->X);
    free(b->y);
    free(b->theta);
    free(b->theta0);
}

static void run_gd(void *p)
{
    ng_bench *b = p;
    for (size_t i = 0; i < b->net->nparams; i++)
        b->theta[i] = b->theta0[i];
    num_hom_gd(&b->pb, b->theta, 1e-3, b->nsteps, NULL, 0, NULL, NULL, b->w);
}

static void run_flow(void *p)
{
    ng_bench *b = p;
    for (size_t i = 0; i < b->net->nparams; i++)
        b->theta[i] = b->theta0[i];
    double s_end = 100.0;
    size_t steps = 0;
    num_hom_flow_logtime(&b->pb, b->theta, -20.0, &s_end, 1, 1e-10, 10000000, NULL, NULL, b->w,
                         &steps);
    b->nsteps = steps;
}

static size_t ode_steps;

static void run_ode(void *p)
{
    (void)p;
    double rho0 = 1.0, s_at = 1e4, out;
    num_rho_integrate(NUM_RHO_TIED_EQ55, 3, 0.5, &rho0, -30.0, &s_at, 1, 1e-10, 10000000, &out,
                      &ode_steps);
}

void bench_norm_growth(const bench_ctx *ctx)
{
    struct {
        size_t n, d, hidden, K;
        num_act act;
        size_t steps;
    } cases[] = {
        {30, 5, 10, 3, NUM_ACT_RELU, 2000},    /* the claim's size */
        {256, 64, 256, 3, NUM_ACT_RELU, 20},   /* BLAS-sized */
        {512, 128, 512, 4, NUM_ACT_RELU, 5},
        {512, 128, 512, 4, NUM_ACT_LINEAR, 5},
    };
    size_t ncases = ctx->quick ? 2 : sizeof cases / sizeof cases[0];
    int reps = ctx->quick ? 3 : 7;
    char size[96];
    for (size_t c = 0; c < ncases; c++) {
        ng_bench b = {0};
        if (setup(&b, cases[c].n, cases[c].d, cases[c].hidden, cases[c].K, cases[c].act) != 0) {
            fprintf(stderr, "bench_norm_growth: allocation failed\n");
            teardown(&b);
            return;
        }
        b.nsteps = cases[c].steps;
        double t = bench_time(run_gd, &b, reps);
        snprintf(size, sizeof size, "n=%zu, %zu-%zu^%zu-1 %s, P=%zu", cases[c].n, cases[c].d,
                 cases[c].hidden, cases[c].K - 1, num_act_name(cases[c].act), b.net->nparams);
        double sps = (double)b.nsteps / t;
        bench_row(ctx, "norm_growth: deep exp-loss GD step (forward+backward)", size,
                  t / (double)b.nsteps, sps, "steps/s", sps * b.flops_per_step * 1e-9);
        teardown(&b);
    }
    {
        ng_bench b = {0};
        if (setup(&b, 30, 5, 10, 3, NUM_ACT_LINEAR) == 0) {
            double t = bench_time(run_flow, &b, reps);
            bench_row(ctx, "norm_growth: log-time flow rk8pd to t = e^100", "n=30, 5-10^2-1 linear",
                      t, (double)b.nsteps / t, "steps/s", -1.0);
        }
        teardown(&b);
    }
    double t = bench_time(run_ode, NULL, reps);
    bench_row(ctx, "norm_growth: eq. (55) msbdf to t = e^10000", "K=3", t,
              (double)ode_steps / t, "steps/s", -1.0);
}
