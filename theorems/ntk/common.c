/* theorems/ntk/common.c — what every claim of the family shares: the data, the widths, the
 * activation parameter, the line fit and the two-layer network owned by the context. */
#include "theorems/ntk/ntk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numerics/fit.h"

#include "numerics/ntk.h"
#include "numerics/rng.h"

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

size_t *ntk_widths(tc_ctx *ctx, const char *name, size_t *count)
{
    size_t len;
    const double *v = tc_param_list(ctx, name, &len);
    size_t *w = TC_NEW(ctx, size_t, len ? len : 1);
    for (size_t i = 0; i < len; i++)
        w[i] = (size_t)llround(v[i]);
    qsort(w, len, sizeof *w, cmp_size);
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (k == 0 || w[i] != w[k - 1])
            w[k++] = w[i];
    *count = k;
    return w;
}

double *ntk_log_widths(tc_ctx *ctx, const size_t *widths, size_t W)
{
    double *logn = TC_NEW(ctx, double, W);
    for (size_t w = 0; w < W; w++)
        logn[w] = log((double)widths[w]);
    return logn;
}

num_act ntk_act(tc_ctx *ctx)
{
    int a = num_act_parse(tc_param_choice(ctx, "activation"));
    return a < 0 ? NUM_ACT_ERF : (num_act)a;
}

void ntk_ols(const double *x, const double *y, size_t n, double *slope, double *icept)
{
    num_fit_line f;
    bool ok = num_fit_linear(n, x, y, NULL, &f) == NUM_OK; /* NaN when undefined: judged so */
    *slope = ok ? f.slope : NAN;
    if (icept)
        *icept = ok ? f.intercept : NAN;
}

static void release_net(void *t)
{
    num_twolayer_free(t);
}

num_twolayer *ntk_net(tc_ctx *ctx, const ntk_data *D, size_t n, num_act act)
{
    return tc_defer(ctx, release_net, num_twolayer_alloc(D->m, D->d1, n, act));
}

/* The first pair of equal rows (i > j), or false. */
static bool equal_rows(const ntk_data *D, size_t *ri, size_t *rj)
{
    for (size_t i = 0; i < D->m; i++)
        for (size_t j = 0; j < i; j++)
            if (memcmp(D->X + i * D->d, D->X + j * D->d, D->d * sizeof *D->X) == 0) {
                *ri = i;
                *rj = j;
                return true;
            }
    return false;
}

bool ntk_data_setup(tc_ctx *ctx, tc_result *res, ntk_data *D, bool duplicate)
{
    memset(D, 0, sizeof *D);
    const tc_dataset *ds = tc_data(ctx);
    gsl_rng *r = tc_rng(ctx);
    D->m = ds ? ds->n : (size_t)tc_param_int(ctx, "m");
    D->d = ds ? ds->d : (size_t)tc_param_int(ctx, "d");
    D->d1 = D->d + 1;
    if (D->m < 2 || D->d < 1) {
        tc_result_skip(res, "need at least 2 samples and 1 feature (have m = %zu, d = %zu)",
                       D->m, D->d);
        return false;
    }
    D->X = TC_NEW(ctx, double, D->m * D->d);
    D->Xt = TC_NEW(ctx, double, D->m * D->d1);
    D->y = TC_NEW(ctx, double, D->m);
    if (ds)
        memcpy(D->X, ds->x, D->m * D->d * sizeof *D->X);
    else
        num_rng_gaussian(r, 1.0 / sqrt((double)D->d), D->X, D->m * D->d);
    num_rng_gaussian(r, 1.0, D->y, D->m);
    size_t i, j;
    if (duplicate) {
        memcpy(D->X + D->d, D->X, D->d * sizeof *D->X);
    } else if (equal_rows(D, &i, &j)) {
        tc_result_skip(res, "hypothesis x_i != x_j violated: rows %zu and %zu of "
                            "the data are equal", j + 1, i + 1);
        return false;
    }
    num_ntk_augment(D->m, D->d, D->X, D->Xt);
    return true;
}
