/* theorems/result.h — what a claim measured: metrics, series, plot specifications, outcome.
 *
 * Filled by a claim's run function, read by the harness (records) and reports (tables,
 * figures). Pure memory: no I/O here. All strings are copied. Allocation failure marks the
 * result as an error (outcome TC_OUT_ERROR) instead of crashing, so a claim can keep calling.
 */
#ifndef TC_RESULT_H
#define TC_RESULT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    TC_LT, TC_LE, TC_GT, TC_GE, TC_EQ, /* value OP threshold */
    TC_IN,                             /* threshold <= value <= threshold_hi */
    TC_INFO                            /* reported, not checked */
} tc_op;

typedef struct {
    char *name;
    double value;        /* NaN is recorded as null and makes the result an error */
    tc_op op;
    double threshold;    /* lower bound for TC_IN */
    double threshold_hi; /* TC_IN only */
    int ok;              /* 1 ok, 0 not ok, -1 not checked (info) or value not finite */
} tc_metric_rec;

typedef struct tc_series {
    struct tc_result *owner; /* the result it belongs to: a malformed row marks it `error` */
    char *name;     /* snake_case; the harness writes it to data/<claim>-<name>.csv */
    size_t ncols;
    char **cols;    /* column names (CSV header) */
    size_t nrows, cap;
    double *rows;   /* nrows x ncols, row-major */
} tc_series;

typedef enum { TC_STYLE_LINES = 0, TC_STYLE_POINTS, TC_STYLE_LINESPOINTS, TC_STYLE_ERRORBARS,
               TC_STYLE_DASHED } tc_style;

typedef struct {
    char *series;   /* name of a series of the same result */
    char *x, *y;    /* column names */
    char *yerr;     /* TC_STYLE_ERRORBARS: column of half-widths; else NULL */
    char *label;    /* legend entry */
    tc_style style;
} tc_curve;

enum { TC_PLOT_LOGX = 1u, TC_PLOT_LOGY = 2u };

typedef struct {
    char *name;     /* the figure is figures/<claim>-<name>.svg and .png */
    char *title, *xlabel, *ylabel;
    unsigned flags; /* TC_PLOT_LOGX | TC_PLOT_LOGY */
    size_t ncurves;
    tc_curve *curves;
} tc_plot;

typedef enum {
    TC_OUT_UNSET = 0, /* the claim set nothing: the harness reports an internal error */
    TC_OUT_HOLDS,     /* the numbers say the claim holds */
    TC_OUT_NOT_HOLDS, /* the numbers say it does not */
    TC_OUT_SKIP,      /* a hypothesis is not met (reason says which) */
    TC_OUT_ERROR      /* NaN, non-convergence, allocation failure, ... */
} tc_outcome;

typedef struct tc_result {
    tc_outcome outcome;
    char *reason;
    size_t nmetrics, capm;
    tc_metric_rec *metrics;
    size_t nseries, caps;
    tc_series **series;
    size_t nplots, capp;
    tc_plot *plots;
} tc_result;

void tc_result_init(tc_result *res);
void tc_result_free(tc_result *res);

/* Record a checked metric: ok = (value OP threshold). Returns ok (false if not finite). */
bool tc_metric(tc_result *res, const char *name, double value, tc_op op, double threshold);
/* Record a checked range metric: ok = lo <= value <= hi. */
bool tc_metric_in(tc_result *res, const char *name, double value, double lo, double hi);
/* Record an unchecked measurement. A non-finite value still turns the result into an error
 * unless `tc_metric_info_nan_ok` is used (for quantities that are legitimately undefined). */
void tc_metric_info(tc_result *res, const char *name, double value);
void tc_metric_info_nan_ok(tc_result *res, const char *name, double value);

/* Find a recorded metric by name (NULL if absent). */
const tc_metric_rec *tc_result_metric(const tc_result *res, const char *name);

/* A new series with the given column names; rows are appended with tc_series_add. */
tc_series *tc_series_new(tc_result *res, const char *name, size_t ncols,
                         const char *const *cols);
void tc_series_add(tc_series *s, const double *row);
/* Append a row of n values; n must equal the series' column count, otherwise the result
 * becomes `error` naming the series (a row is never written short or padded). */
void tc_series_addn(tc_series *s, const double *row, size_t n);
/* tc_series_row(s, a, b, c): one row from its values. Each value converts to double as by
 * assignment (an integer such as a size_t keeps its value; a pointer does not compile) and the
 * count is taken from the list itself, so a row can have neither the wrong type nor, unnoticed,
 * the wrong length. */
#define tc_series_row(s, ...)                                                                 \
    tc_series_addn((s), (const double[]){__VA_ARGS__},                                        \
                   sizeof((const double[]){__VA_ARGS__}) / sizeof(double))

/* A new plot; add curves with tc_plot_curve. */
tc_plot *tc_plot_new(tc_result *res, const char *name, const char *title, const char *xlabel,
                     const char *ylabel, unsigned flags);
void tc_plot_curve(tc_plot *p, const char *series, const char *x, const char *y,
                   const char *yerr, const char *label, tc_style style);

/* Outcomes. The reason is printf-formatted and should point at the numbers. */
void tc_result_holds(tc_result *res, bool holds, const char *fmt, ...);
void tc_result_skip(tc_result *res, const char *fmt, ...);
void tc_result_error(tc_result *res, const char *fmt, ...);
void tc_result_verror(tc_result *res, const char *fmt, va_list ap);

/* holds = every checked metric is ok; the reason lists the metrics that are not. Any
 * non-finite checked value makes the outcome an error. Keeps an earlier skip or error. */
void tc_result_conclude(tc_result *res);

#endif /* TC_RESULT_H */
