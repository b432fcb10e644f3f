/* reports/format.c — numbers and metric comparisons as text, shared by report.md and
 * report.html. Values are rounded for reading, but never so far that a failing comparison
 * reads like a passing one (see rep_metric_digits).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

static void fmt_g(cm_buf *b, double v, int digits)
{
    if (isnan(v))
        cm_buf_puts(b, "nan");
    else if (isinf(v))
        cm_buf_puts(b, v > 0 ? "inf" : "-inf");
    else
        cm_buf_printf(b, "%.*g", digits, v);
}

void rep_fmt_exact(cm_buf *b, double v)
{
    if (!isfinite(v)) {
        fmt_g(b, v, 17);
        return;
    }
    char s[40];
    for (int d = 1; d <= 17; d++) {
        snprintf(s, sizeof s, "%.*g", d, v);
        if (strtod(s, NULL) == v)
            break;
    }
    cm_buf_puts(b, s);
}

const char *rep_op_symbol(const char *op)
{
    static const char *const map[][2] = {{"<", "<"}, {"<=", "≤"}, {">", ">"}, {">=", "≥"},
                                         {"==", "="}, {"in", "∈"}, {"info", ""}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (op && strcmp(op, map[i][0]) == 0)
            return map[i][1];
    return op ? op : "";
}

/* Do v and t print the same at `digits` although they differ? */
static int collide(double v, double t, int digits)
{
    if (!isfinite(v) || !isfinite(t) || v == t)
        return 0;
    char a[40], c[40];
    snprintf(a, sizeof a, "%.*g", digits, v);
    snprintf(c, sizeof c, "%.*g", digits, t);
    return strcmp(a, c) == 0;
}

int rep_metric_digits(const json_t *metric, int digits)
{
    const json_t *val = json_object_get(metric, "value");
    const json_t *thr = json_object_get(metric, "threshold");
    if (!json_is_number(val))
        return digits;
    double v = json_number_value(val);
    double t[2] = {NAN, NAN};
    if (json_is_number(thr)) {
        t[0] = json_number_value(thr);
    } else if (json_is_array(thr) && json_array_size(thr) == 2) {
        t[0] = json_number_value(json_array_get(thr, 0)); /* 0.0 if not a number */
        t[1] = json_number_value(json_array_get(thr, 1));
    }
    int d = digits;
    while (d < 17 && (collide(v, t[0], d) || collide(v, t[1], d)))
        d++;
    return d;
}

void rep_fmt_value(cm_buf *b, const json_t *value, int digits)
{
    if (json_is_number(value))
        fmt_g(b, json_number_value(value), digits);
    else
        cm_buf_puts(b, "null");
}

void rep_fmt_threshold(cm_buf *b, const json_t *thr, int digits)
{
    if (json_is_number(thr)) {
        fmt_g(b, json_number_value(thr), digits);
    } else if (json_is_array(thr)) {
        cm_buf_puts(b, "[");
        for (size_t i = 0; i < json_array_size(thr); i++) {
            if (i)
                cm_buf_puts(b, ", ");
            rep_fmt_value(b, json_array_get(thr, i), digits);
        }
        cm_buf_puts(b, "]");
    } else if (!thr || json_is_null(thr)) {
        cm_buf_puts(b, "");
    } else {
        char *s = json_dumps(thr, JSON_COMPACT | JSON_ENCODE_ANY);
        cm_buf_puts(b, s ? s : "?");
        free(s);
    }
}

void rep_fmt_metric(cm_buf *b, const json_t *metric, int digits)
{
    const char *op = rep_jstr(metric, "op", "info");
    int d = rep_metric_digits(metric, digits);
    rep_fmt_value(b, json_object_get(metric, "value"), d);
    if (strcmp(op, "info") == 0)
        return;
    cm_buf_printf(b, " %s ", rep_op_symbol(op));
    rep_fmt_threshold(b, json_object_get(metric, "threshold"), d);
}
