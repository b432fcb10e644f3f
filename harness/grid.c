/* harness/grid.c — parsing and expanding sweep grids (see grid.h). */
#include "harness/grid.h"

#include "common/number.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/params.h"

static int fail(char *err, size_t errlen, const char *opt, const char *why)
{
    snprintf(err, errlen, "--grid '%s': %s", opt, why);
    return -1;
}

/* The shortest "%.*g" text of v that reads back to v exactly (15 digits usually do). */
static void real_text(double v, char *buf, size_t len)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, len, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static int push(hx_axis *ax, const char *text)
{
    char **v = realloc(ax->values, (ax->nvalues + 1) * sizeof *v);
    if (!v)
        return -1;
    ax->values = v;
    if (!(v[ax->nvalues] = strdup(text)))
        return -1;
    ax->nvalues++;
    return 0;
}

static bool seen(const hx_axis *ax, const char *text)
{
    for (size_t i = 0; i < ax->nvalues; i++)
        if (strcmp(ax->values[i], text) == 0)
            return true;
    return false;
}

/* A number of the range syntax; -1 if not a finite number. */
static int number(const char *s, double *v)
{
    return cm_number_finite(s, v);
}

/* "LO:HI:COUNT[:log]" -> the values as text. 1 if `vals` is not a range, 0 done, -1 error. */
static int expand_range(hx_axis *ax, const char *opt, const char *vals, char *err, size_t errlen)
{
    if (!strchr(vals, ':'))
        return 1;
    if (ax->spec->type != TC_PARAM_INT && ax->spec->type != TC_PARAM_REAL)
        return fail(err, errlen, opt, "a range LO:HI:COUNT needs an integer or real parameter");
    char buf[256], *f[5];
    size_t nf = 0;
    snprintf(buf, sizeof buf, "%s", vals);
    for (char *p = buf, *c; nf < 5; p = c + 1) {
        f[nf++] = p;
        if (!(c = strchr(p, ':')))
            break;
        *c = '\0';
    }
    double lo, hi, cnt;
    bool geo = nf == 4 && strcmp(f[3], "log") == 0;
    if ((nf != 3 && !geo) || number(f[0], &lo) || number(f[1], &hi) || number(f[2], &cnt) ||
        cnt != floor(cnt) || cnt < 1 || cnt > HX_GRID_MAX_CELLS)
        return fail(err, errlen, opt, "a range is LO:HI:COUNT or LO:HI:COUNT:log with COUNT "
                                      "an integer >= 1");
    if (geo && !(lo > 0 && hi > 0))
        return fail(err, errlen, opt, "a geometric range (:log) needs LO > 0 and HI > 0");
    ax->log = geo;
    size_t n = (size_t)cnt;
    for (size_t k = 0; k < n; k++) {
        double t = n == 1 ? 0.0 : (double)k / (double)(n - 1);
        double v = geo ? lo * pow(hi / lo, t) : lo + (hi - lo) * t;
        if (k == 0)
            v = lo; /* the end points exactly, not up to rounding (exp(log(1e-14)) is not) */
        else if (k == n - 1)
            v = hi;
        char text[64];
        /* A range's value is its 15-digit decimal: 0.1 + 10 x 0.2 is the 2.1 a reader
         * expects, not 2.0999999999999996 (the rounding is far below any tolerance). */
        snprintf(text, sizeof text, ax->spec->type == TC_PARAM_INT ? "%.0f" : "%.15g",
                 ax->spec->type == TC_PARAM_INT ? nearbyint(v) : v);
        if (!seen(ax, text) && push(ax, text))
            return fail(err, errlen, opt, "out of memory");
    }
    return 0;
}

/* Split `vals` on `sep` into the axis' values (integers rounded, duplicates dropped). */
static int expand_list(hx_axis *ax, const char *opt, const char *vals, char sep, char *err,
                       size_t errlen)
{
    const char *p = vals;
    for (;;) {
        const char *e = strchr(p, sep);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char text[1024];
        if (n == 0 || n >= sizeof text)
            return fail(err, errlen, opt, n ? "a value is too long" : "an empty value");
        memcpy(text, p, n);
        text[n] = '\0';
        double v;
        if (ax->spec->type == TC_PARAM_INT && number(text, &v) == 0)
            snprintf(text, sizeof text, "%.0f", nearbyint(v));
        else if (ax->spec->type == TC_PARAM_REAL && number(text, &v) == 0)
            real_text(v, text, sizeof text);
        if (!seen(ax, text) && push(ax, text))
            return fail(err, errlen, opt, "out of memory");
        if (!e)
            return 0;
        p = e + 1;
    }
}

/* Every value checked as --set would check it. */
static int check_values(const hx_axis *ax, const char *opt, char *err, size_t errlen)
{
    for (size_t i = 0; i < ax->nvalues; i++) {
        hx_value v = {0};
        char why[512];
        int bad = hx_param_parse(ax->spec, ax->values[i], &v, why, sizeof why);
        free(v.text);
        if (bad)
            return fail(err, errlen, opt, why);
    }
    return 0;
}

static const tc_param_spec *find_spec(const tc_claim *c, const char *name, size_t len)
{
    for (const tc_param_spec *p = c->params; p && p->name; p++)
        if (strlen(p->name) == len && strncmp(p->name, name, len) == 0)
            return p;
    return NULL;
}

static int parse_axis(hx_grid *g, hx_axis *ax, const char *text, char *err, size_t errlen)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || !eq[1])
        return fail(err, errlen, text, "expected PARAM=VALUES");
    ax->spec = find_spec(g->claim, text, (size_t)(eq - text));
    if (!ax->spec) {
        char why[256];
        snprintf(why, sizeof why, "claim %s has no parameter '%.*s' (see 'theorycheck show %s')",
                 g->claim->id, (int)(eq - text), text, g->claim->id);
        return fail(err, errlen, text, why);
    }
    for (size_t a = 0; a < g->naxes; a++)
        if (g->axes[a].spec == ax->spec)
            return fail(err, errlen, text, "this parameter already has a --grid");
    if (g->naxes >= HX_GRID_MAX_AXES)
        return fail(err, errlen, text, "too many --grid axes");
    const char *vals = eq + 1;
    int rc = ax->spec->type == TC_PARAM_LIST ? expand_list(ax, text, vals, ';', err, errlen)
                                             : expand_range(ax, text, vals, err, errlen);
    if (rc == 1)
        rc = expand_list(ax, text, vals, ',', err, errlen);
    return rc ? rc : check_values(ax, text, err, errlen);
}

static void axis_free(hx_axis *ax)
{
    for (size_t i = 0; i < ax->nvalues; i++)
        free(ax->values[i]);
    free(ax->values);
    memset(ax, 0, sizeof *ax);
}

int hx_grid_add(hx_grid *g, const char *text, char *err, size_t errlen)
{
    hx_axis ax = {0};
    if (parse_axis(g, &ax, text, err, errlen)) {
        axis_free(&ax);
        return -1;
    }
    hx_axis *axes = realloc(g->axes, (g->naxes + 1) * sizeof *axes);
    if (!axes) {
        axis_free(&ax);
        return fail(err, errlen, text, "out of memory");
    }
    g->axes = axes;
    g->axes[g->naxes++] = ax;
    return 0;
}

int hx_grid_finish(hx_grid *g, bool zip, size_t max_cells, char *err, size_t errlen)
{
    g->zip = zip;
    if (g->naxes == 0) {
        snprintf(err, errlen, "sweep needs at least one --grid PARAM=VALUES");
        return -1;
    }
    size_t n = zip ? g->axes[0].nvalues : 1;
    for (size_t a = 0; a < g->naxes; a++) {
        size_t k = g->axes[a].nvalues;
        if (zip && k != n) {
            snprintf(err, errlen, "--zip needs axes of equal length: %s has %zu values, %s has "
                                  "%zu", g->axes[0].spec->name, n, g->axes[a].spec->name, k);
            return -1;
        }
        if (!zip && n > max_cells / k + 1) /* overflow guard; the exact test follows */
            n = max_cells + 1;
        else if (!zip)
            n *= k;
    }
    if (n > max_cells) {
        snprintf(err, errlen, "the grid has %s%zu cells, more than --max-cells %zu",
                 n == max_cells + 1 ? "over " : "", n == max_cells + 1 ? max_cells : n, max_cells);
        return -1;
    }
    g->ncells = n;
    return 0;
}

void hx_grid_coords(const hx_grid *g, size_t index, size_t *coord)
{
    for (size_t a = g->naxes; a-- > 0;) {
        size_t k = g->axes[a].nvalues;
        coord[a] = g->zip ? index : index % k;
        if (!g->zip)
            index /= k;
    }
}

void hx_grid_free(hx_grid *g)
{
    for (size_t a = 0; a < g->naxes; a++)
        axis_free(&g->axes[a]);
    free(g->axes);
    g->axes = NULL;
    g->naxes = g->ncells = 0;
}

/* The midpoint text between two values of a numeric axis, or 0 when none lies strictly
 * between them (adjacent integers). Log axes take the geometric mean. */
static int midpoint(const hx_axis *ax, const char *a, const char *b, char *text, size_t len)
{
    double x = strtod(a, NULL), y = strtod(b, NULL);
    double m = ax->log && x > 0 && y > 0 ? sqrt(x * y) : 0.5 * (x + y);
    if (ax->spec->type == TC_PARAM_INT) {
        m = floor(m);
        if (!(m > fmin(x, y) && m < fmax(x, y)))
            return 0;
        snprintf(text, len, "%.0f", m);
        return 1;
    }
    snprintf(text, len, "%.15g", m);
    return strtod(text, NULL) != x && strtod(text, NULL) != y;
}

size_t hx_grid_stride(const hx_grid *g, size_t a)
{
    size_t s = 1;
    for (size_t b = a + 1; b < g->naxes; b++)
        s *= g->axes[b].nvalues;
    return s;
}

/* Insert into axis a the midpoints after the value indices flagged in gap[]. */
static int insert_midpoints(hx_axis *ax, const bool *gap, size_t *added)
{
    size_t n = ax->nvalues, m = 0;
    char **v = calloc(2 * n, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++) {
        v[m++] = ax->values[i];
        char text[64];
        if (i + 1 < n && gap[i] && midpoint(ax, ax->values[i], ax->values[i + 1], text,
                                            sizeof text)) {
            if (!(v[m++] = strdup(text))) {
                free(v);
                return -1;
            }
            (*added)++;
        }
    }
    free(ax->values);
    ax->values = v;
    ax->nvalues = m;
    return 0;
}

int hx_grid_refine(hx_grid *g, const signed char *cls, size_t *added)
{
    *added = 0;
    if (g->zip)
        return 0;
    for (size_t a = 0; a < g->naxes; a++) {
        hx_axis *ax = &g->axes[a];
        if (ax->spec->type != TC_PARAM_INT && ax->spec->type != TC_PARAM_REAL)
            continue;
        bool *gap = calloc(ax->nvalues, sizeof *gap);
        if (!gap)
            return -1;
        size_t st = hx_grid_stride(g, a), coord[HX_GRID_MAX_AXES];
        for (size_t c = 0; c < g->ncells; c++) {
            hx_grid_coords(g, c, coord);
            size_t i = coord[a];
            if (i + 1 < ax->nvalues && cls[c] >= 0 && cls[c + st] >= 0 && cls[c] != cls[c + st])
                gap[i] = true;
        }
        int rc = insert_midpoints(ax, gap, added);
        free(gap);
        if (rc)
            return -1;
    }
    return 0;
}
