/* theorems/angle/common.c — parameter readers and small helpers shared by the 'angle' claims. */
#include "theorems/angle/angle.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

double *angle_read_thetas(tc_ctx *ctx, const char *name, size_t *n)
{
    const double *v = tc_param_list(ctx, name, n);
    double *t = TC_NEW(ctx, double, *n);
    for (size_t i = 0; i < *n; i++)
        t[i] = v[i] > M_PI ? M_PI : v[i];
    return t;
}

size_t *angle_read_widths(tc_ctx *ctx, tc_result *res, size_t *n, size_t *mmax,
                          size_t *ndistinct)
{
    const double *v = tc_param_list(ctx, "widths", n);
    size_t *w = TC_NEW(ctx, size_t, *n);
    *mmax = 0;
    *ndistinct = 0;
    for (size_t i = 0; i < *n; i++) {
        if (v[i] != floor(v[i])) {
            tc_result_skip(res, "widths must be integers (got %g)", v[i]);
            return NULL;
        }
        w[i] = (size_t)v[i];
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen = seen || w[j] == w[i];
        *ndistinct += !seen;
        if (w[i] > *mmax)
            *mmax = w[i];
    }
    return w;
}

size_t angle_count_distinct(const double *x, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen = seen || x[j] == x[i];
        c += !seen;
    }
    return c;
}

size_t angle_index_of_max(const size_t *widths, size_t nw, size_t mmax)
{
    size_t wm = 0;
    for (size_t w = 0; w < nw; w++)
        if (widths[w] == mmax)
            wm = w;
    return wm;
}

const char *angle_label(char *buf, size_t cap, const char *fmt, double v)
{
    snprintf(buf, cap, fmt, v);
    return buf;
}
