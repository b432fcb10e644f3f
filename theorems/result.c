/* theorems/result.c — building a claim's result in memory (see result.h). No I/O.
 *
 * Allocation failures do not abort: they turn the outcome into TC_OUT_ERROR with a reason,
 * and later calls become no-ops where they cannot proceed.
 */
#include "theorems/result.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *vformat(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static void set_outcome(tc_result *res, tc_outcome out, char *reason)
{
    res->outcome = out;
    free(res->reason);
    res->reason = reason;
}

static void oom(tc_result *res)
{
    set_outcome(res, TC_OUT_ERROR, strdup("out of memory while recording results"));
}

/* Grow *arr (of *cap elements of size sz) to hold n + 1; 0 on success. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? 2 * *cap : 8;
    void *p = realloc(*arr, nc * sz);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

void tc_result_init(tc_result *res)
{
    memset(res, 0, sizeof *res);
}

static void series_free(tc_series *s)
{
    if (!s)
        return;
    free(s->name);
    for (size_t j = 0; j < s->ncols; j++)
        free(s->cols[j]);
    free(s->cols);
    free(s->rows);
    free(s);
}

static void plot_free(tc_plot *p)
{
    free(p->name);
    free(p->title);
    free(p->xlabel);
    free(p->ylabel);
    for (size_t i = 0; i < p->ncurves; i++) {
        tc_curve *c = &p->curves[i];
        free(c->series);
        free(c->x);
        free(c->y);
        free(c->yerr);
        free(c->label);
    }
    free(p->curves);
}

void tc_result_free(tc_result *res)
{
    for (size_t i = 0; i < res->nmetrics; i++)
        free(res->metrics[i].name);
    free(res->metrics);
    for (size_t i = 0; i < res->nseries; i++)
        series_free(res->series[i]);
    free(res->series);
    for (size_t i = 0; i < res->nplots; i++)
        plot_free(&res->plots[i]);
    free(res->plots);
    free(res->reason);
    memset(res, 0, sizeof *res);
}

static int check_op(double v, tc_op op, double t, double hi)
{
    if (!isfinite(v))
        return -1;
    switch (op) {
    case TC_LT: return v < t;
    case TC_LE: return v <= t;
    case TC_GT: return v > t;
    case TC_GE: return v >= t;
    case TC_EQ: return v == t;
    case TC_IN: return t <= v && v <= hi;
    case TC_INFO: return -1;
    }
    return -1;
}

static tc_metric_rec *push_metric(tc_result *res, const char *name, double value, tc_op op,
                                  double t, double hi)
{
    if (grow((void **)&res->metrics, &res->capm, res->nmetrics, sizeof *res->metrics)) {
        oom(res);
        return NULL;
    }
    tc_metric_rec *m = &res->metrics[res->nmetrics];
    m->name = (name ? strdup(name) : NULL);
    if (!m->name) {
        oom(res);
        return NULL;
    }
    m->value = value;
    m->op = op;
    m->threshold = t;
    m->threshold_hi = hi;
    m->ok = check_op(value, op, t, hi);
    res->nmetrics++;
    return m;
}

bool tc_metric(tc_result *res, const char *name, double value, tc_op op, double threshold)
{
    tc_metric_rec *m = push_metric(res, name, value, op, threshold, NAN);
    return m && m->ok == 1;
}

bool tc_metric_in(tc_result *res, const char *name, double value, double lo, double hi)
{
    tc_metric_rec *m = push_metric(res, name, value, TC_IN, lo, hi);
    return m && m->ok == 1;
}

void tc_metric_info(tc_result *res, const char *name, double value)
{
    push_metric(res, name, value, TC_INFO, NAN, NAN);
    if (!isfinite(value) && res->outcome != TC_OUT_ERROR) {
        char buf[256];
        snprintf(buf, sizeof buf, "metric %s is not finite", name);
        set_outcome(res, TC_OUT_ERROR, strdup(buf));
    }
}

void tc_metric_info_nan_ok(tc_result *res, const char *name, double value)
{
    push_metric(res, name, value, TC_INFO, NAN, NAN);
}

const tc_metric_rec *tc_result_metric(const tc_result *res, const char *name)
{
    for (size_t i = 0; i < res->nmetrics; i++)
        if (strcmp(res->metrics[i].name, name) == 0)
            return &res->metrics[i];
    return NULL;
}

tc_series *tc_series_new(tc_result *res, const char *name, size_t ncols,
                         const char *const *cols)
{
    if (grow((void **)&res->series, &res->caps, res->nseries, sizeof *res->series))
        goto fail;
    tc_series *s = calloc(1, sizeof *s);
    if (!s)
        goto fail;
    s->owner = res;
    s->name = (name ? strdup(name) : NULL);
    s->cols = calloc(ncols ? ncols : 1, sizeof *s->cols);
    if (!s->name || !s->cols) {
        series_free(s);
        goto fail;
    }
    s->ncols = ncols;
    for (size_t j = 0; j < ncols; j++)
        if (!(s->cols[j] = (cols[j] ? strdup(cols[j]) : NULL))) {
            series_free(s);
            goto fail;
        }
    res->series[res->nseries++] = s;
    return s;
fail:
    oom(res);
    return NULL;
}

void tc_series_add(tc_series *s, const double *row)
{
    if (!s)
        return;
    if (s->nrows == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 64;
        double *p = realloc(s->rows, nc * s->ncols * sizeof *p);
        if (!p) {
            if (s->owner)
                oom(s->owner); /* a short series would read as a measurement */
            return;
        }
        s->rows = p;
        s->cap = nc;
    }
    memcpy(s->rows + s->nrows * s->ncols, row, s->ncols * sizeof *row);
    s->nrows++;
}

void tc_series_addn(tc_series *s, const double *row, size_t n)
{
    if (!s)
        return;
    if (n != s->ncols) {
        if (s->owner)
            tc_result_error(s->owner, "internal: a row of series '%s' has %zu values, expected %zu",
                            s->name, n, s->ncols);
        return;
    }
    tc_series_add(s, row);
}

tc_plot *tc_plot_new(tc_result *res, const char *name, const char *title, const char *xlabel,
                     const char *ylabel, unsigned flags)
{
    if (grow((void **)&res->plots, &res->capp, res->nplots, sizeof *res->plots)) {
        oom(res);
        return NULL;
    }
    tc_plot *p = &res->plots[res->nplots];
    memset(p, 0, sizeof *p);
    p->name = (name ? strdup(name) : NULL);
    p->title = (title ? strdup(title) : NULL);
    p->xlabel = (xlabel ? strdup(xlabel) : NULL);
    p->ylabel = (ylabel ? strdup(ylabel) : NULL);
    p->flags = flags;
    if (!p->name || !p->title || !p->xlabel || !p->ylabel) {
        plot_free(p);
        oom(res);
        return NULL;
    }
    res->nplots++;
    return p;
}

void tc_plot_curve(tc_plot *p, const char *series, const char *x, const char *y,
                   const char *yerr, const char *label, tc_style style)
{
    if (!p)
        return;
    tc_curve *c = realloc(p->curves, (p->ncurves + 1) * sizeof *c);
    if (!c)
        return;
    p->curves = c;
    c = &p->curves[p->ncurves];
    c->series = (series ? strdup(series) : NULL);
    c->x = (x ? strdup(x) : NULL);
    c->y = (y ? strdup(y) : NULL);
    c->yerr = (yerr ? strdup(yerr) : NULL);
    c->label = (label || y) ? strdup(label ? label : y) : NULL;
    c->style = style;
    p->ncurves++;
}

void tc_result_holds(tc_result *res, bool holds, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_outcome(res, holds ? TC_OUT_HOLDS : TC_OUT_NOT_HOLDS, vformat(fmt, ap));
    va_end(ap);
}

void tc_result_skip(tc_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_outcome(res, TC_OUT_SKIP, vformat(fmt, ap));
    va_end(ap);
}

void tc_result_error(tc_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tc_result_verror(res, fmt, ap);
    va_end(ap);
}

void tc_result_verror(tc_result *res, const char *fmt, va_list ap)
{
    set_outcome(res, TC_OUT_ERROR, vformat(fmt, ap));
}

static void append(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 < cap)
        snprintf(buf + n, cap - n, "%s", s);
}

void tc_result_conclude(tc_result *res)
{
    if (res->outcome == TC_OUT_SKIP || res->outcome == TC_OUT_ERROR)
        return;
    char bad[2048] = "", nan[1024] = "";
    size_t checked = 0;
    for (size_t i = 0; i < res->nmetrics; i++) {
        const tc_metric_rec *m = &res->metrics[i];
        if (m->op == TC_INFO)
            continue;
        checked++;
        if (!isfinite(m->value)) {
            append(nan, sizeof nan, nan[0] ? ", " : "");
            append(nan, sizeof nan, m->name);
        } else if (m->ok != 1) {
            char item[256];
            snprintf(item, sizeof item, "%s%s = %.6g", bad[0] ? ", " : "", m->name, m->value);
            append(bad, sizeof bad, item);
        }
    }
    if (nan[0])
        tc_result_error(res, "non-finite value in: %s", nan);
    else if (checked == 0)
        tc_result_error(res, "no checked metric was recorded");
    else if (bad[0])
        tc_result_holds(res, false, "not within bounds: %s", bad);
    else
        tc_result_holds(res, true, "all %zu checked metrics within their bounds", checked);
}
