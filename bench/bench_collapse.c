/* bench/bench_collapse.c — benchmarks of the 'collapse' kernels.
 *
 * Cost model: one full-batch GD epoch of the MLP (numerics/classifier_train.h) is one forward
 * dgemm per layer plus, backward, one dgemm per weight gradient and one per propagated delta:
 * num_ctrain_flops = 2 n sum_k w_k w_{k-1} (forward) + 2 n sum_k w_k w_{k-1} (weight
 * gradients) + 2 n sum_{k>=2} w_k w_{k-1} (deltas). Everything else (ReLU, softmax, momentum
 * update) is O(n sum w_k + P) and shows up as the gap to the dgemm rate. Sizes: the quick
 * profile's mixture (n = 128, 32-128-128-4) and the full profile's optdigits
 * (n = 1797, 64-128-128-10); a wider row shows the trend. The UFM epoch is three dgemms of
 * 2 n p C flops each. The NC metrics (numerics/collapse.h) cost ~4 n p C flops plus an SVD of
 * the C x p centred means and are timed per evaluation.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "numerics/classifier_train.h"
#include "numerics/collapse.h"
#include "numerics/rng.h"
#include "numerics/ufm.h"

typedef struct {
    num_mlp *net;
    num_ctrain *tr;
    double *theta, *X;
    size_t *y;
    size_t n;
    int epochs;
    num_ctrain_opts o;
    int failed;
} mlp_bench;

static int mlp_setup(mlp_bench *b, size_t n, size_t d, size_t width, size_t C, int epochs)
{
    size_t widths[4] = {d, width, width, C};
    b->n = n;
    b->epochs = epochs;
    b->net = num_mlp_alloc(3, widths, true, NUM_ACT_RELU);
    if (!b->net)
        return -1;
    b->tr = num_ctrain_alloc(b->net, n);
    b->theta = malloc(b->net->nparams * sizeof *b->theta);
    b->X = malloc(n * d * sizeof *b->X);
    b->y = malloc(n * sizeof *b->y);
    if (!b->tr || !b->theta || !b->X || !b->y)
        return -1;
    gsl_rng *r = num_rng_alloc(7);
    if (!r)
        return -1;
    num_mlp_init_gaussian(b->net, b->theta, r, NULL);
    num_rng_gaussian(r, 1.0, b->X, n * d);
    gsl_rng_free(r);
    for (size_t i = 0; i < n; i++)
        b->y[i] = i % C;
    b->o = (num_ctrain_opts){.loss = NUM_CLS_CE, .lr = 0.01, .momentum = 0.9,
                             .weight_decay = 5e-4};
    return 0;
}

static void mlp_teardown(mlp_bench *b)
{
    num_ctrain_free(b->tr);
    num_mlp_free(b->net);
    free(b->theta);
    free(b->X);
    free(b->y);
}

static void run_epochs(void *p)
{
    mlp_bench *b = p;
    for (int e = 0; e < b->epochs; e++) {
        double loss, acc;
        if (num_ctrain_eval(b->tr, b->net, b->theta, b->X, b->y, b->n, &b->o, &loss, &acc) ||
            num_ctrain_update(b->tr, b->net, b->theta, &b->o, NULL))
            b->failed = 1;
    }
}

typedef struct {
    num_ufm *u;
    size_t *y;
    num_ufm_opts o;
    int epochs;
    int failed;
} ufm_bench;

static void run_ufm(void *p)
{
    ufm_bench *b = p;
    for (int e = 0; e < b->epochs; e++) {
        double loss;
        if (num_ufm_eval(b->u, b->y, &b->o, &loss, NULL, NULL) ||
            num_ufm_update(b->u, &b->o, NULL))
            b->failed = 1;
    }
}

typedef struct {
    num_collapse_work *w;
    const double *H, *W, *b;
    const size_t *y;
    size_t n, p, C;
    int failed;
} metric_bench;

static void run_metrics(void *p)
{
    metric_bench *b = p;
    num_collapse_metrics m;
    if (num_collapse_measure(b->w, b->H, b->y, b->n, b->p, b->C, b->W, b->b, &m) != NUM_OK)
        b->failed = 1;
}

void bench_collapse(const bench_ctx *ctx)
{
    /* {n, d, width, C}: quick-profile mixture, full-profile optdigits, a wider net. */
    const size_t cfg[3][4] = {{128, 32, 128, 4}, {1797, 64, 128, 10}, {1797, 64, 512, 10}};
    int ncfg = ctx->quick ? 2 : 3;
    char size[96];
    for (int i = 0; i < ncfg; i++) {
        mlp_bench b = {0};
        size_t n = cfg[i][0], d = cfg[i][1], w = cfg[i][2], C = cfg[i][3];
        int epochs = n < 1000 ? 200 : 20;
        if (mlp_setup(&b, n, d, w, C, epochs) != 0) {
            fprintf(stderr, "bench_collapse: allocation failed (%zu x %zu)\n", n, w);
            mlp_teardown(&b);
            continue;
        }
        double s = bench_time(run_epochs, &b, ctx->quick ? 3 : 5) / epochs;
        double gf = num_ctrain_flops(b.net, n) / s * 1e-9;
        snprintf(size, sizeof size, "n=%zu, %zu-%zu-%zu-%zu", n, d, w, w, C);
        bench_row(ctx, "collapse: MLP GD epoch (CE, momentum, wd)", size, s, 1.0 / s,
                  "epochs/s", b.failed ? -1.0 : gf);
        if (b.failed)
            fprintf(stderr, "bench_collapse: training step failed at %s\n", size);

        /* NC metrics of the last hidden layer at the same size. */
        num_collapse_work *cw = num_collapse_work_alloc(n, w, C);
        if (cw) {
            metric_bench mb = {cw, num_mlp_act(num_ctrain_work(b.tr), 2),
                               num_mlp_w(b.net, b.theta, 2), num_mlp_b(b.net, b.theta, 2),
                               b.y, n, w, C, 0};
            double ms = bench_time(run_metrics, &mb, ctx->quick ? 3 : 5);
            bench_row(ctx, "collapse: NC1-NC4 metrics", size, ms, 1.0 / ms, "evals/s",
                      4.0 * (double)n * (double)w * (double)C / ms * 1e-9);
            num_collapse_work_free(cw);
        }
        mlp_teardown(&b);
    }
    /* The UFM epoch: quick sizes (n = 40, p = 16, C = 4) and full (n = 200, p = 32, C = 10). */
    const size_t ucfg[2][3] = {{40, 16, 4}, {200, 32, 10}};
    for (int i = 0; i < 2; i++) {
        size_t n = ucfg[i][0], p = ucfg[i][1], C = ucfg[i][2];
        ufm_bench b = {num_ufm_alloc(n, p, C), malloc(n * sizeof(size_t)),
                       {.loss = NUM_CLS_CE, .lr = 0.1, .lr_h = 0.1, .momentum = 0.9,
                        .lambda_w = 5e-4, .lambda_h = 5e-4, .lambda_b = 5e-4, .bias = true},
                       1000, 0};
        gsl_rng *r = num_rng_alloc(9);
        if (!b.u || !b.y || !r) {
            num_ufm_free(b.u);
            free(b.y);
            if (r)
                gsl_rng_free(r);
            continue;
        }
        for (size_t k = 0; k < n; k++)
            b.y[k] = k % C;
        num_ufm_init(b.u, r, 1.0, 0.25);
        gsl_rng_free(r);
        double s = bench_time(run_ufm, &b, ctx->quick ? 3 : 5) / b.epochs;
        snprintf(size, sizeof size, "n=%zu, p=%zu, C=%zu", n, p, C);
        bench_row(ctx, "collapse: UFM GD epoch (CE)", size, s, 1.0 / s, "epochs/s",
                  6.0 * (double)n * (double)p * (double)C / s * 1e-9);
        num_ufm_free(b.u);
        free(b.y);
    }
}
