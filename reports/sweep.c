/* reports/sweep.c — rep_sweep_render: a sweep directory's documents and verdict map, from
 * DIR/sweep.json and the cell records it names only, so `theorycheck report DIR` redraws them.
 *
 * Workload: up to ~10,000 cells (the sweep's --max-cells), a few seeds each. Only the first
 * record of every cell is opened, for the threshold of the first key metric (sweep.json
 * carries the median value but not the bound it was checked against); everything else comes
 * from sweep.json. The map is drawn first so that both documents know whether it exists.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

static int fail(char *err, size_t errlen, const char *fmt, const char *a)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, a);
    return -1;
}

/* Not a usable sweep record: the reason into err, 0 for rep_sweep_valid. */
static int invalid(char *err, size_t errlen, const char *fmt, const char *a)
{
    fail(err, errlen, fmt, a);
    return 0;
}

int rep_sweep_valid(const json_t *sweep, char *err, size_t errlen)
{
    const char *schema = rep_jstr(sweep, "schema", NULL);
    if (!json_is_object(sweep) || !schema || strcmp(schema, "theorycheck/sweep/v1") != 0)
        return invalid(err, errlen, "%s", "not a theorycheck/sweep/v1 record");
    if (!rep_jstr(sweep, "claim", NULL))
        return invalid(err, errlen, "%s", "sweep.json: \"claim\" is not a string");
    const json_t *axes = rep_jarr(sweep, "axes"), *cells = rep_jarr(sweep, "cells");
    if (!axes || !cells)
        return invalid(err, errlen, "sweep.json: \"%s\" is not an array",
                       axes ? "cells" : "axes");
    for (size_t i = 0; i < json_array_size(axes); i++) {
        const json_t *a = json_array_get(axes, i);
        if (!rep_jstr(a, "param", NULL) || !rep_jarr(a, "values"))
            return invalid(err, errlen, "%s", "sweep.json: an axis lacks \"param\" or \"values\"");
    }
    for (size_t i = 0; i < json_array_size(cells); i++)
        if (!json_is_object(json_object_get(json_array_get(cells, i), "params")))
            return invalid(err, errlen, "%s", "sweep.json: a cell lacks \"params\"");
    return 1;
}

/* Coordinate of value v on axis a: the number itself (log10 on a log axis), else the index
 * of an equal value among the axis values; NAN if neither. */
static double axis_coord(const rep_swaxis *a, const json_t *v)
{
    if (a->numeric && json_is_number(v)) {
        double x = json_number_value(v);
        return a->log ? log10(x) : x;
    }
    for (size_t j = 0; j < json_array_size(a->values); j++)
        if (json_equal((json_t *)json_array_get(a->values, j), (json_t *)v))
            return (double)j;
    return NAN;
}

static int cmp_double(const void *p, const void *q)
{
    double a = *(const double *)p, b = *(const double *)q;
    return (a > b) - (a < b);
}

static int axes_load(rep_sweep *sw)
{
    const json_t *axes = rep_jarr(sw->sweep, "axes");
    sw->naxes = json_array_size(axes);
    sw->axes = calloc(sw->naxes ? sw->naxes : 1, sizeof *sw->axes);
    if (!sw->axes)
        return -1;
    for (size_t i = 0; i < sw->naxes; i++) {
        const json_t *ax = json_array_get(axes, i);
        rep_swaxis *a = &sw->axes[i];
        a->param = rep_jstr(ax, "param", "?");
        a->values = rep_jarr(ax, "values");
        a->numeric = json_array_size(a->values) > 0;
        int positive = 1;
        for (size_t j = 0; j < json_array_size(a->values); j++) {
            const json_t *v = json_array_get(a->values, j);
            a->numeric &= json_is_number(v) && isfinite(json_number_value(v));
            positive &= json_is_number(v) && json_number_value(v) > 0;
        }
        a->log = a->numeric && positive && json_is_true(json_object_get(ax, "log"));
    }
    return 0;
}

/* The sorted distinct coordinates of the cells on each axis (cells added between grid
 * values, e.g. by refinement, get their own column). */
static int axes_coords(rep_sweep *sw)
{
    for (size_t i = 0; i < sw->naxes; i++) {
        rep_swaxis *a = &sw->axes[i];
        a->u = malloc((sw->ncells ? sw->ncells : 1) * sizeof *a->u);
        if (!a->u)
            return -1;
        for (size_t c = 0; c < sw->ncells; c++)
            if (isfinite(sw->cells[c].x[i]))
                a->u[a->nu++] = sw->cells[c].x[i];
        qsort(a->u, a->nu, sizeof *a->u, cmp_double);
        size_t n = 0;
        for (size_t k = 0; k < a->nu; k++)
            if (n == 0 || a->u[k] != a->u[n - 1])
                a->u[n++] = a->u[k];
        a->nu = n;
    }
    return 0;
}

/* The metric object `name` of the first claim of the record at dir/rel, or NULL. The
 * returned object is owned by *rec (the caller decrefs it). */
static const json_t *record_metric(const char *dir, const char *rel, const char *name,
                                   json_t **rec)
{
    *rec = NULL;
    if (!rel || !rep_path_safe(rel))
        return NULL;
    char *path = cm_join(dir, rel);
    *rec = path ? json_load_file(path, 0, NULL) : NULL;
    free(path);
    const json_t *claim = json_array_get(rep_jarr(*rec, "claims"), 0);
    const json_t *ms = rep_jarr(claim, "metrics");
    for (size_t i = 0; i < json_array_size(ms); i++)
        if (strcmp(rep_jstr(json_array_get(ms, i), "name", ""), name) == 0)
            return json_array_get(ms, i);
    return NULL;
}

/* The median over the cell's seeds of value / threshold of the first key metric (a scalar
 * threshold only); flags sw->thr_per_seed when the seeds' thresholds differ (a threshold
 * derived from each seed's own data), where a median value against one seed's bound would
 * mislead. */
static void cell_ratio(rep_sweep *sw, const char *dir, rep_swcell *c)
{
    const json_t *recs = rep_jarr(c->cell, "records");
    size_t n = json_array_size(recs), m = 0;
    double *r = calloc(n ? n : 1, sizeof *r), first = NAN;
    for (size_t k = 0; r && k < n; k++) {
        json_t *rec;
        const json_t *mt = record_metric(dir, json_string_value(json_array_get(recs, k)),
                                         sw->metric, &rec);
        const json_t *t = json_object_get(mt, "threshold"), *v = json_object_get(mt, "value");
        if (json_is_number(t) && json_is_number(v) && json_number_value(t) != 0.0) {
            double tv = json_number_value(t);
            if (k > 0 && tv != first)
                sw->thr_per_seed = 1;
            first = k == 0 ? tv : first;
            r[m++] = json_number_value(v) / tv;
        }
        json_decref(rec);
    }
    c->ratio = NAN;
    if (m) {
        qsort(r, m, sizeof *r, cmp_double);
        c->ratio = m % 2 ? r[m / 2] : 0.5 * (r[m / 2 - 1] + r[m / 2]);
    }
    free(r);
}

/* Threshold of the first key metric at one cell, from its first record. */
static void cell_threshold(rep_sweep *sw, const char *dir, rep_swcell *c)
{
    c->thr_lo = c->thr_hi = c->ratio = NAN;
    if (!sw->metric)
        return;
    cell_ratio(sw, dir, c);
    json_t *rec;
    const json_t *recs = rep_jarr(c->cell, "records");
    const json_t *m = record_metric(dir, json_string_value(json_array_get(recs, 0)),
                                    sw->metric, &rec);
    const json_t *t = json_object_get(m, "threshold");
    if (json_is_number(t)) {
        c->thr_lo = c->thr_hi = json_number_value(t);
    } else if (json_array_size(t) == 2 && json_is_number(json_array_get(t, 0)) &&
               json_is_number(json_array_get(t, 1))) {
        c->thr_lo = json_number_value(json_array_get(t, 0));
        c->thr_hi = json_number_value(json_array_get(t, 1));
    }
    const char *op = rep_jstr(m, "op", NULL);
    if (op && !*sw->metric_op && isfinite(c->thr_lo)) /* a copy: the record is freed */
        snprintf(sw->metric_op, sizeof sw->metric_op, "%s", op);
    json_decref(rec);
}

static double num_or_nan(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int cell_load(rep_sweep *sw, const char *dir, size_t i)
{
    rep_swcell *c = &sw->cells[i];
    c->cell = json_array_get(rep_jarr(sw->sweep, "cells"), i);
    /* The fraction among the seeds that decided (pass, fail, xfail, xpass): a skip (a
     * hypothesis not met) or an error says nothing about whether the claim holds, and a cell
     * with no deciding seed is drawn as undecided, not as refuted. */
    double holds = num_or_nan(json_object_get(c->cell, "holds")), decided = 0;
    const json_t *vs = json_object_get(c->cell, "verdicts");
    for (size_t k = 0; k < json_array_size(vs); k++) {
        const char *v = json_string_value(json_array_get(vs, k));
        decided += v && strcmp(v, "skip") != 0 && strcmp(v, "error") != 0;
    }
    c->frac = decided > 0 && holds >= 0 && holds <= decided ? holds / decided : NAN;
    c->seed_dep = json_is_true(json_object_get(c->cell, "seed_dependent"));
    const json_t *h = json_object_get(c->cell, "hypothesis");
    c->hyp = json_is_boolean(h) ? json_is_true(h) : -1;
    c->metric = sw->metric ? num_or_nan(json_object_get(json_object_get(c->cell, "metrics"),
                                                         sw->metric))
                           : NAN;
    c->x = malloc((sw->naxes ? sw->naxes : 1) * sizeof *c->x);
    if (!c->x)
        return -1;
    const json_t *params = json_object_get(c->cell, "params");
    for (size_t a = 0; a < sw->naxes; a++)
        c->x[a] = axis_coord(&sw->axes[a], json_object_get(params, sw->axes[a].param));
    cell_threshold(sw, dir, c);
    return 0;
}

/* The first metric named in any cell's "metrics" (cells of a sweep share their names). */
static const char *first_metric(const json_t *cells)
{
    for (size_t i = 0; i < json_array_size(cells); i++) {
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)json_object_get(json_array_get(cells, i), "metrics"), key,
                            v) return key;
    }
    return NULL;
}

int rep_sweep_load(rep_sweep *sw, const char *dir, const json_t *sweep, char *err,
                   size_t errlen)
{
    memset(sw, 0, sizeof *sw);
    if (!rep_sweep_valid(sweep, err, errlen))
        return -1;
    sw->sweep = sweep;
    sw->claim = rep_jstr(sweep, "claim", "?");
    const json_t *cells = rep_jarr(sweep, "cells");
    sw->metric = first_metric(cells);
    sw->ncells = json_array_size(cells);
    sw->cells = calloc(sw->ncells ? sw->ncells : 1, sizeof *sw->cells);
    if (!sw->cells || axes_load(sw) != 0)
        return fail(err, errlen, "%s", "sweep report: out of memory");
    for (size_t i = 0; i < sw->ncells; i++)
        if (cell_load(sw, dir, i) != 0)
            return fail(err, errlen, "%s", "sweep report: out of memory");
    if (axes_coords(sw) != 0)
        return fail(err, errlen, "%s", "sweep report: out of memory");
    /* Thresholds derived per seed: plot value / threshold against the bound 1. */
    sw->ratio = sw->thr_per_seed && strcmp(sw->metric_op, "in") != 0;
    for (size_t i = 0; sw->ratio && i < sw->ncells; i++) {
        sw->cells[i].metric = sw->cells[i].ratio;
        sw->cells[i].thr_lo = sw->cells[i].thr_hi = 1.0;
    }
    sw->thr_const = 1;
    for (size_t i = 1; i < sw->ncells; i++) {
        const rep_swcell *a = &sw->cells[0], *b = &sw->cells[i];
        sw->thr_const &= (a->thr_lo == b->thr_lo || (isnan(a->thr_lo) && isnan(b->thr_lo))) &&
                         (a->thr_hi == b->thr_hi || (isnan(a->thr_hi) && isnan(b->thr_hi)));
    }
    return 0;
}

void rep_sweep_free(rep_sweep *sw)
{
    for (size_t i = 0; sw->cells && i < sw->ncells; i++)
        free(sw->cells[i].x);
    for (size_t i = 0; sw->axes && i < sw->naxes; i++)
        free(sw->axes[i].u);
    free(sw->cells);
    free(sw->axes);
    memset(sw, 0, sizeof *sw);
}

static int write_rel(const char *dir, const char *rel, const cm_buf *b, char *err,
                     size_t errlen)
{
    char *path = cm_join(dir, rel);
    int rc = path && !b->oom ? cm_write_atomic(path, cm_buf_str(b), b->len) : -1;
    if (rc != 0)
        snprintf(err, errlen, "cannot write %s/%s: %s", dir, rel,
                 path && !b->oom ? strerror(errno) : "out of memory");
    free(path);
    return rc;
}

/* Draw the map unless told not to; the note says why there is no map (NULL: drawn). */
static const char *map_draw(const char *dir, const rep_sweep *sw, int no_plots, char *note,
                            size_t notelen)
{
    if (no_plots)
        return "figures not drawn: plots disabled (--no-plots)";
    if (sw->ncells == 0)
        return "figures not drawn: the sweep has no cells";
    char ver[64];
    if (rep_gnuplot_probe(ver, sizeof ver) != 0)
        return "figures not drawn: gnuplot not found";
    int rc = rep_sweep_map_draw(dir, sw, note, notelen);
    if (rc == 1)
        return "figures not drawn: gnuplot not found";
    return rc == 0 ? NULL : note;
}

int rep_sweep_render(const char *dir, const json_t *sweep, int no_plots, char *err,
                     size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!dir || !*dir)
        return fail(err, errlen, "%s", "sweep report: no directory");
    rep_sweep sw;
    if (rep_sweep_load(&sw, dir, sweep, err, errlen) != 0) {
        rep_sweep_free(&sw);
        return -1;
    }
    char *data = cm_join(dir, "data");
    int rc = -1;
    if (!data || cm_mkdirs(data) != 0) {
        fail(err, errlen, "cannot create the data directory under %s", dir);
        free(data);
        rep_sweep_free(&sw);
        return -1;
    }
    free(data);
    char note[512];
    const char *fignote = map_draw(dir, &sw, no_plots, note, sizeof note);
    cm_buf csv = {0}, md = {0}, html = {0};
    if (rep_sweep_csv(&csv, &sw) != 0 || rep_sweep_markdown(&md, dir, &sw, fignote) != 0 ||
        rep_sweep_html(&html, dir, &sw, fignote) != 0)
        fail(err, errlen, "%s", "sweep report: out of memory");
    else if (write_rel(dir, "data/sweep_cells.csv", &csv, err, errlen) == 0 &&
             write_rel(dir, "sweep.md", &md, err, errlen) == 0 &&
             write_rel(dir, "sweep.html", &html, err, errlen) == 0)
        rc = 0;
    cm_buf_free(&csv);
    cm_buf_free(&md);
    cm_buf_free(&html);
    rep_sweep_free(&sw);
    return rc;
}
