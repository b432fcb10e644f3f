/* theorems/hessian/common.c — what the hessian claims share: architectures from a width list,
 * Theorem 4's condition, the data, context-owned networks and workspaces, and the spectrum
 * figures. */
#include "theorems/hessian/hessian.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "numerics/rng.h"

const char *hess_metric_name(char *buf, size_t len, const char *base, const char *suffix)
{
    snprintf(buf, len, "%s%s", base, suffix);
    return buf;
}

size_t hess_parse_archs(const double *list, size_t len, hess_arch *out)
{
    size_t na = 0;
    hess_arch cur = {0, {0}};
    for (size_t i = 0; i <= len; i++) {
        if (i == len || list[i] < 0.5) {
            if (cur.nh > 0 && na < HESS_MAX_ARCH)
                out[na++] = cur;
            cur.nh = 0;
            continue;
        }
        if (cur.nh < HESS_MAX_DEPTH)
            cur.hidden[cur.nh++] = (size_t)llround(list[i]);
    }
    return na;
}

size_t hess_arch_widths(const hess_arch *a, size_t d, size_t dout, size_t *widths)
{
    widths[0] = d;
    for (size_t k = 0; k < a->nh; k++)
        widths[k + 1] = a->hidden[k];
    widths[a->nh + 1] = dout;
    return a->nh + 1;
}

size_t hess_theorem4_condition(const size_t *widths, size_t K, size_t n, size_t *bound)
{
    for (size_t k = 1; k <= K; k++) {
        size_t mn = widths[k];
        for (size_t j = k; j <= K; j++)
            if (widths[j] < mn)
                mn = widths[j];
        if (widths[k] * widths[k - 1] > n * mn) {
            if (bound)
                *bound = n * mn;
            return k;
        }
    }
    return 0;
}

/* The claim analyses exactly the architectures that satisfy the condition (the others are
 * skipped), so its hypotheses hold at a cell when at least one does. */
int hess_theorem4_hypothesis(const tc_hyp_args *a, char *why, size_t whylen)
{
    size_t len = 0;
    const double *list = tc_hyp_list(a, "widths", &len);
    size_t n = a->data ? a->data->n : (size_t)tc_hyp_int(a, "samples");
    size_t d = a->data ? a->data->d : (size_t)tc_hyp_int(a, "inputs");
    size_t dout = a->data ? a->data->k : (size_t)tc_hyp_int(a, "outputs");
    hess_arch archs[HESS_MAX_ARCH];
    size_t na = hess_parse_archs(list, len, archs);
    for (size_t i = 0; i < na; i++) {
        size_t widths[HESS_MAX_DEPTH + 2];
        size_t K = hess_arch_widths(&archs[i], d, dout, widths);
        if (hess_theorem4_condition(widths, K, n, NULL) != 0)
            return 1;
    }
    snprintf(why, whylen,
             "%s satisfies Theorem 4's condition N_k N_{k-1} > n min(N_k..N_{H+1}) for n = %zu, "
             "d = %zu, d' = %zu",
             na == 1 ? "the architecture never" : "no architecture", n, d, dout);
    return 0;
}

void hess_load_data(tc_ctx *ctx, size_t n, size_t d, size_t dout, uint64_t stream,
                    hess_data *D)
{
    const tc_dataset *ds = tc_data(ctx);
    memset(D, 0, sizeof *D);
    if (ds) {
        D->n = ds->n;
        D->d = ds->d;
        D->dout = ds->k;
        D->user = true;
    } else {
        D->n = n;
        D->d = d;
        D->dout = dout;
    }
    D->X = TC_NEW(ctx, double, D->n * D->d);
    D->Y = TC_NEW(ctx, double, D->n * D->dout);
    if (ds) {
        memcpy(D->X, ds->x, D->n * D->d * sizeof *D->X);
        memcpy(D->Y, ds->y, D->n * D->dout * sizeof *D->Y);
    } else {
        gsl_rng *r = tc_stream(ctx, stream);
        num_rng_gaussian(r, 1.0, D->X, n * d);
        num_rng_gaussian(r, 1.0, D->Y, n * dout);
    }
}

static void release_net(void *p) { num_mlp_free(p); }
static void release_mlp_work(void *p) { num_mlp_work_free(p); }
static void release_hess_work(void *p) { num_hessian_work_free(p); }

num_mlp *hess_net(tc_ctx *ctx, size_t K, const size_t *widths, num_act act)
{
    return tc_defer(ctx, release_net, num_mlp_alloc(K, widths, false, act));
}

num_mlp_work *hess_mlp_work(tc_ctx *ctx, const num_mlp *net, size_t n)
{
    return tc_defer(ctx, release_mlp_work, num_mlp_work_alloc(net, n));
}

num_hess_work *hess_hess_work(tc_ctx *ctx, const num_mlp *net, size_t n)
{
    return tc_defer(ctx, release_hess_work, num_hessian_work_alloc(net, n, HESS_BLOCK));
}

num_status hess_square_point(tc_ctx *ctx, const num_mlp *net, const double *theta,
                             const double *X, const double *Y, size_t n, double c,
                             size_t cond_k, num_hessian_point *pt, double **evals)
{
    *evals = TC_NEW(ctx, double, net->nparams);
    return num_hessian_square_point(net, theta, X, Y, n, c, cond_k, HESS_BLOCK,
                                    HESS_LARGEST_GAP_FLOOR, *evals, pt);
}

void hess_add_sorted_spectrum(tc_ctx *ctx, tc_result *res, const char *name, size_t P,
                              const double *ev)
{
    double *a = TC_NEW(ctx, double, P);
    num_spectrum_abs_sorted(P, ev, a);
    double amax = a[0] > 0.0 ? a[0] : 1.0;
    tc_series *s = tc_series_new(res, name, 2, (const char *[]){"index", "abs_eig_rel"});
    for (size_t i = 0; s && i < P; i++) {
        double v = a[i] / amax;
        tc_series_row(s, (double)(i + 1), v > HESS_PLOT_FLOOR ? v : HESS_PLOT_FLOOR);
    }
}

void hess_add_tolerance_sweep(tc_result *res, const char *name, size_t P, const double *ev,
                              double amax)
{
    tc_series *s = tc_series_new(res, name, 2, (const char *[]){"tol_rel", "zero_count"});
    for (int i = 0; s && i <= 68; i++) {
        double t = pow(10.0, -18.0 + 0.25 * i);
        tc_series_row(s, t, (double)num_spectrum_count_below(P, ev, t * amax));
    }
}

void hess_add_vline(tc_result *res, const char *name, const char *xcol, const char *ycol,
                    double x, double y0, double y1)
{
    tc_series *s = tc_series_new(res, name, 2, (const char *[]){xcol, ycol});
    if (s) {
        tc_series_row(s, x, y0);
        tc_series_row(s, x, y1);
    }
}
