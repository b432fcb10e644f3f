/* harness/records.c — building and writing results.json, junit.xml and series CSV files.
 *
 * Non-finite numbers are not JSON: a NaN or infinite metric value is written as null (and the
 * result was already made an error by theorems/result.c). Reals are printed by jansson with
 * 17 significant digits, so the same numbers give the same bytes.
 */
#include "harness/records.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <cblas.h>
#include <gsl/gsl_version.h>

#include "common/atomic.h"
#include "common/buf.h"
#include "theorems/registry.h"

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static const char *op_name(tc_op op)
{
    static const char *names[] = {"<", "<=", ">", ">=", "==", "in", "info"};
    return names[op];
}

static json_t *metric_json(const tc_metric_rec *m)
{
    json_t *thr;
    if (m->op == TC_IN)
        thr = json_pack("[oo]", jnum(m->threshold), jnum(m->threshold_hi));
    else if (m->op == TC_INFO)
        thr = json_null();
    else
        thr = jnum(m->threshold);
    return json_pack("{s:s, s:o, s:s, s:o, s:o}", "name", m->name, "value", jnum(m->value),
                     "op", op_name(m->op), "threshold", thr, "ok",
                     m->ok < 0 ? json_null() : json_boolean(m->ok));
}

json_t *hx_param_json(const hx_value *v)
{
    switch (v->spec->type) {
    case TC_PARAM_INT: return json_integer(v->i);
    case TC_PARAM_REAL: return json_real(v->r);
    case TC_PARAM_BOOL: return json_boolean(v->b);
    case TC_PARAM_CHOICE: return json_string(v->choice);
    case TC_PARAM_LIST: {
        json_t *a = json_array();
        for (size_t i = 0; i < v->nlist; i++)
            json_array_append_new(a, json_real(v->list[i]));
        return a;
    }
    }
    return json_null();
}

static const char *style_name(tc_style s)
{
    static const char *names[] = {"lines", "points", "linespoints", "errorbars", "dashed"};
    return names[s];
}

/* "fmt" applied to a claim id and a name, as a new JSON string: record paths are built in
 * memory of any length (no fixed buffer can cut a long id or name short). */
static json_t *jpath(const char *fmt, const char *id, const char *name)
{
    cm_buf b = {0};
    cm_buf_printf(&b, fmt, id, name);
    json_t *s = b.oom ? NULL : json_string(cm_buf_str(&b));
    cm_buf_free(&b);
    return s;
}

static json_t *plot_json(const char *id, const tc_plot *p)
{
    json_t *curves = json_array();
    for (size_t i = 0; i < p->ncurves; i++) {
        const tc_curve *c = &p->curves[i];
        json_array_append_new(curves, json_pack("{s:o, s:s, s:s, s:o, s:s, s:s}", "data",
                                                jpath("data/%s-%s.csv", id, c->series),
                                                "x", c->x, "y", c->y, "yerr",
                                                c->yerr ? json_string(c->yerr) : json_null(),
                                                "label", c->label, "style",
                                                style_name(c->style)));
    }
    return json_pack("{s:s, s:o, s:s, s:s, s:s, s:b, s:b, s:o}", "name", p->name, "file",
                     jpath("figures/%s-%s", id, p->name), "title", p->title, "xlabel",
                     p->xlabel, "ylabel", p->ylabel, "logx", (p->flags & TC_PLOT_LOGX) != 0,
                     "logy", (p->flags & TC_PLOT_LOGY) != 0, "curves", curves);
}

json_t *hx_record_claim(const hx_job *j)
{
    const tc_claim *c = j->claim;
    const tc_result *r = &j->res;
    json_t *params = json_object(), *sources = json_object();
    for (size_t k = 0; k < j->vals.n; k++) {
        const hx_value *v = &j->vals.v[k];
        json_object_set_new(params, v->spec->name, hx_param_json(v));
        json_object_set_new(sources, v->spec->name, json_string(hx_source_name(v->source)));
    }
    json_t *metrics = json_array(), *series = json_array(), *figures = json_array(),
           *plots = json_array();
    for (size_t k = 0; k < r->nmetrics; k++)
        json_array_append_new(metrics, metric_json(&r->metrics[k]));
    for (size_t k = 0; k < r->nseries; k++)
        json_array_append_new(series, json_pack("{s:s, s:o}", "name", r->series[k]->name,
                                                "file", jpath("data/%s-%s.csv", c->id,
                                                              r->series[k]->name)));
    /* "figures" names the files actually written: empty here (a sweep cell draws none);
     * after drawing, rep_ff_fix_record (reports/figformat.c) lists them in the chosen formats. */
    for (size_t k = 0; k < r->nplots; k++)
        json_array_append_new(plots, plot_json(c->id, &r->plots[k]));
    json_t *holds = r->outcome == TC_OUT_HOLDS       ? json_true()
                    : r->outcome == TC_OUT_NOT_HOLDS ? json_false()
                                                     : json_null();
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:f, s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", c->id, "title", c->title, "source", c->source, "statement", c->statement,
        "hypotheses", c->hypotheses ? c->hypotheses : "", "expect", hx_expect_name(c->expect),
        "verdict", hx_verdict_name(j->verdict), "holds", holds, "reason",
        r->reason ? r->reason : "", "seconds", j->seconds, "params", params, "param_sources",
        sources, "metrics", metrics, "series", series, "figures", figures, "plots", plots);
    if (o && c->expect == TC_EXPECT_REFUTED && c->refuted_reason)
        json_object_set_new(o, "refuted_reason", json_string(c->refuted_reason));
    if (o && c->key_metrics) {
        json_t *keys = json_array();
        const char *p = c->key_metrics;
        while (*p) {
            size_t n = strcspn(p, ",");
            json_array_append_new(keys, json_stringn(p, n));
            p += n + (p[n] == ',');
        }
        json_object_set_new(o, "key_metrics", keys);
    }
    if (o && j->has_data)
        json_object_set_new(o, "data", json_string(j->data.path));
    return o;
}

static json_t *run_json(const hx_run_info *info)
{
    const hx_run_options *o = info->o;
    struct utsname u;
    char host[300] = "unknown";
    if (uname(&u) == 0)
        snprintf(host, sizeof host, "%s %s %s", u.nodename, u.sysname, u.machine);
    json_t *argv = json_array();
    for (int i = 0; i < o->argc; i++)
        json_array_append_new(argv, json_string(o->argv[i]));
    const char *blas = openblas_get_config();
    return json_pack("{s:s, s:s, s:s, s:I, s:s, s:f, s:s, s:s, s:s, s:o}", "version",
                     TC_VERSION, "git", TC_GIT, "profile", o->profile, "seed",
                     (json_int_t)(info->seed_set ? info->seed : o->seed), "started", info->started, "seconds", info->seconds,
                     "blas", blas ? blas : "unknown", "gsl", GSL_VERSION, "host", host, "argv",
                     argv);
}

json_t *hx_record_build(const hx_plan *plan, const hx_run_info *info)
{
    json_t *claims = json_array();
    long count[HX_NVERDICTS] = {0};
    for (size_t i = 0; i < plan->n; i++) {
        json_array_append_new(claims, hx_record_claim(&plan->jobs[i]));
        count[plan->jobs[i].verdict]++;
    }
    json_t *summary = json_object();
    for (int v = 0; v < HX_NVERDICTS; v++)
        json_object_set_new(summary, hx_verdict_name((hx_verdict)v), json_integer(count[v]));
    return json_pack("{s:s, s:o, s:o, s:o}", "schema", "theorycheck/results/v1", "run",
                     run_json(info), "claims", claims, "summary", summary);
}

static void csv_cell(cm_buf *b, double v)
{
    if (isnan(v))
        cm_buf_puts(b, "nan");
    else if (isinf(v))
        cm_buf_puts(b, v > 0 ? "inf" : "-inf");
    else
        cm_buf_printf(b, "%.17g", v);
}

/* outdir/rel as a new string: paths are allocated, never cut to a fixed buffer. Sets an
 * "out of memory" message in err and returns NULL on failure. */
static char *out_path(const char *outdir, const char *rel, char *err, size_t errlen)
{
    char *p = cm_join(outdir, rel);
    if (!p)
        snprintf(err, errlen, "out of memory joining a path under %s", outdir);
    return p;
}

static int write_series(const char *outdir, const char *id, const tc_series *s, int durable,
                        char *err, size_t errlen)
{
    cm_buf b = {0}, path = {0};
    for (size_t j = 0; j < s->ncols; j++)
        cm_buf_printf(&b, "%s%s", j ? "," : "", s->cols[j]);
    cm_buf_puts(&b, "\n");
    for (size_t i = 0; i < s->nrows; i++) {
        for (size_t j = 0; j < s->ncols; j++) {
            if (j)
                cm_buf_puts(&b, ",");
            csv_cell(&b, s->rows[i * s->ncols + j]);
        }
        cm_buf_puts(&b, "\n");
    }
    cm_buf_printf(&path, "%s/data/%s-%s.csv", outdir, id, s->name);
    int oom = b.oom || path.oom;
    int rc = oom ? -1 : cm_write_atomic_opt(path.s, cm_buf_str(&b), b.len, durable);
    if (rc)
        snprintf(err, errlen, "cannot write %s: %s", oom ? "a series" : path.s,
                 oom ? "out of memory" : strerror(errno));
    cm_buf_free(&b);
    cm_buf_free(&path);
    return rc;
}

/* Write `text` (NULL: out of memory) to outdir/name atomically; 0 or -1 with err. */
static int write_doc(const char *outdir, const char *name, const char *text, int durable,
                     char *err, size_t errlen)
{
    char *path = out_path(outdir, name, err, errlen);
    if (!path)
        return -1;
    int rc = text ? cm_write_atomic_opt(path, text, strlen(text), durable) : -1;
    if (rc)
        snprintf(err, errlen, "cannot write %s: %s", path,
                 text ? strerror(errno) : "out of memory");
    free(path);
    return rc;
}

static int records_write(const char *outdir, const hx_plan *plan, const json_t *record,
                         const char *junit, int durable, char *err, size_t errlen)
{
    char *data = out_path(outdir, "data", err, errlen);
    if (!data)
        return -1;
    int rc = cm_mkdirs(data);
    if (rc)
        snprintf(err, errlen, "cannot create %s: %s", data, strerror(errno));
    free(data);
    for (size_t i = 0; rc == 0 && i < plan->n; i++)
        for (size_t k = 0; rc == 0 && k < plan->jobs[i].res.nseries; k++)
            rc = write_series(outdir, plan->jobs[i].claim->id, plan->jobs[i].res.series[k],
                              durable, err, errlen);
    if (rc)
        return -1;
    char *text = json_dumps(record, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    rc = write_doc(outdir, "results.json", text, durable, err, errlen);
    if (rc == 0 && junit) /* a sweep's cell records have no junit.xml */
        rc = write_doc(outdir, "junit.xml", junit, 1, err, errlen);
    free(text);
    return rc;
}

const char *hx_family_of(const char *id)
{
    const tc_claim *c = tc_registry_find(id);
    return c ? c->family : NULL;
}

int hx_records_write(const char *outdir, const hx_plan *plan, const json_t *record,
                     const char *junit, char *err, size_t errlen)
{
    return records_write(outdir, plan, record, junit, 1, err, errlen);
}

int hx_records_write_cell(const char *outdir, const hx_plan *plan, const json_t *record,
                          char *err, size_t errlen)
{
    return records_write(outdir, plan, record, NULL, 0, err, errlen);
}
