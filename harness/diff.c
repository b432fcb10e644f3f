/* harness/diff.c — `theorycheck diff OLD NEW` (see diff.h).
 *
 * The comparison builds one JSON document (schema theorycheck/diff/v1: kind, old, new, rtol,
 * compared, verdicts [...], metrics [...], only_old [...], only_new [...]); --format json
 * prints it, the table is rendered from it. Each entry names its claim ("claim": id) or its
 * sweep cell ("cell": the swept parameters). Sweep cells are matched through an index keyed
 * by their parameters' canonical JSON text, so a 10,000-cell diff stays linear.
 */
#include "harness/diff.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/atomic.h"
#include "common/buf.h"
#include "harness/cli.h"
#include "harness/exitcodes.h"
#include "harness/sweep.h"

typedef enum { DIFF_RUN, DIFF_SWEEP } diff_kind;

typedef struct {
    const char *old_dir, *new_dir;
    bool json;
    double rtol;
} diff_opts;

bool hx_diff_moved(double old, double new, double threshold, int ok_old, int ok_new,
                   double rtol)
{
    if (ok_old != ok_new)
        return true;
    if (isnan(old) || isnan(new))
        return isnan(old) != isnan(new);
    if (isinf(old) || isinf(new))
        return old != new;
    double delta = fabs(new - old);
    if (isfinite(threshold) && delta <= HX_DIFF_THRESHOLD_RES * fabs(threshold))
        return false;
    return delta > rtol * fmax(fabs(old), fabs(new));
}

static int diff_usage(const char *fmt, const char *a)
{
    return hx_cli_usage("theorycheck: diff", fmt, a);
}

enum { DIFF_FORMAT = 1000, DIFF_RTOL };

static const struct option diff_options[] = {
    {"format", required_argument, NULL, DIFF_FORMAT},
    {"rtol", required_argument, NULL, DIFF_RTOL},
    {NULL, 0, NULL, 0}};

static int diff_option(void *user, int opt, const char *v)
{
    diff_opts *d = user;
    if (opt == 1) {
        if (d->old_dir && d->new_dir)
            return diff_usage("unexpected argument '%s' (diff takes two directories)", v);
        *(d->old_dir ? &d->new_dir : &d->old_dir) = v;
        return 0;
    }
    if (opt == DIFF_FORMAT) {
        if (strcmp(v, "table") != 0 && strcmp(v, "json") != 0)
            return diff_usage("--format '%s' is not allowed: must be table or json", v);
        d->json = strcmp(v, "json") == 0;
        return 0;
    }
    char *end;
    errno = 0;
    d->rtol = strtod(v, &end);
    if (*end || end == v || errno || !(d->rtol >= 0 && d->rtol < 1))
        return diff_usage("--rtol '%s' is not allowed: must be a number in [0, 1)", v);
    return 0;
}

static int diff_args(diff_opts *d, int argc, char **argv)
{
    d->rtol = HX_DIFF_RTOL;
    static const hx_cli_text text = {"theorycheck: diff", "a value",
                                     HX_CLI_HINT};
    if (hx_cli_parse(argc, argv, 2, diff_options, diff_option, d, &text))
        return -1;
    if (!d->new_dir)
        return diff_usage("needs two directories, OLD and NEW%s", "");
    return 0;
}

/* DIR's record: sweep.json if present (a sweep directory), else results.json. NULL after a
 * message naming the file. */
static json_t *diff_load(const char *dir, diff_kind *kind)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    *kind = cm_file_nonempty(path) ? DIFF_SWEEP : DIFF_RUN;
    if (*kind == DIFF_RUN)
        snprintf(path, sizeof path, "%s/results.json", dir);
    if (!cm_file_nonempty(path)) {
        fprintf(stderr, "theorycheck: diff: %s holds neither sweep.json nor results.json\n", dir);
        return NULL;
    }
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    const char *schema = json_string_value(json_object_get(j, "schema"));
    const char *want = *kind == DIFF_SWEEP ? HX_SWEEP_SCHEMA : "theorycheck/results/v1";
    const char *list = *kind == DIFF_SWEEP ? "cells" : "claims";
    if (!j)
        fprintf(stderr, "theorycheck: diff: %s:%d: %s\n", path, jerr.line, jerr.text);
    else if (!schema || strcmp(schema, want) != 0 || !json_is_array(json_object_get(j, list)))
        fprintf(stderr, "theorycheck: diff: %s is not a %s record\n", path, want);
    else
        return j;
    json_decref(j);
    return NULL;
}

/* ---- metrics -------------------------------------------------------------------------- */

static double num_or_nan(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int ok_flag(const json_t *m)
{
    const json_t *ok = json_object_get(m, "ok");
    return json_is_boolean(ok) ? json_is_true(ok) : -1;
}

static const json_t *metric_find(const json_t *ms, const char *name)
{
    size_t i;
    const json_t *m;
    json_array_foreach(ms, i, m) {
        const char *n = json_string_value(json_object_get(m, "name"));
        if (n && strcmp(n, name) == 0)
            return m;
    }
    return NULL;
}

static bool is_key_metric(const json_t *claim, const char *name)
{
    size_t i;
    const json_t *k;
    json_array_foreach(json_object_get(claim, "key_metrics"), i, k)
        if (json_string_value(k) && strcmp(json_string_value(k), name) == 0)
            return true;
    return false;
}

/* One metric of one claim or cell, on both sides. */
typedef struct {
    const char *name;
    const json_t *old, *new; /* the values (numbers, or null when non-finite) */
    const json_t *op;        /* "<=", ">=", ... or NULL */
    double threshold;        /* NAN: none */
    int ok_old, ok_new;      /* 1, 0, or -1 for not checked */
} metric_pair;

/* Append {claim or cell, metric, old, new, op, threshold, crossed} to out if it moved. */
static void metric_compare(json_t *out, const json_t *who, const metric_pair *p, double rtol)
{
    if (!hx_diff_moved(num_or_nan(p->old), num_or_nan(p->new), p->threshold, p->ok_old,
                       p->ok_new, rtol))
        return;
    json_t *e = json_deep_copy(who);
    json_object_set_new(e, "metric", json_string(p->name));
    json_object_set_new(e, "old", p->old ? json_deep_copy(p->old) : json_null());
    json_object_set_new(e, "new", p->new ? json_deep_copy(p->new) : json_null());
    json_object_set_new(e, "op", p->op ? json_deep_copy(p->op) : json_null());
    json_object_set_new(e, "threshold",
                        isnan(p->threshold) ? json_null() : json_real(p->threshold));
    json_object_set_new(e, "crossed", json_boolean(p->ok_old != p->ok_new));
    json_array_append_new(out, e);
}

/* A checked metric of a run record: its threshold is the new one (else the old one). */
static void record_metric_compare(json_t *out, const json_t *who, const char *name,
                                  const json_t *mo, const json_t *mn, double rtol)
{
    metric_pair p = {.name = name,
                     .old = json_object_get(mo, "value"),
                     .new = json_object_get(mn, "value"),
                     .op = json_object_get(mn, "op"),
                     .threshold = num_or_nan(json_object_get(mn, "threshold")),
                     .ok_old = ok_flag(mo),
                     .ok_new = ok_flag(mn)};
    if (isnan(p.threshold))
        p.threshold = num_or_nan(json_object_get(mo, "threshold"));
    metric_compare(out, who, &p, rtol);
}

/* ---- runs ----------------------------------------------------------------------------- */

static const json_t *claim_find(const json_t *rec, const char *id)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(rec, "claims"), i, c) {
        const char *cid = json_string_value(json_object_get(c, "id"));
        if (cid && strcmp(cid, id) == 0)
            return c;
    }
    return NULL;
}

static void claim_compare(json_t *doc, const json_t *co, const json_t *cn, double rtol)
{
    const char *id = json_string_value(json_object_get(co, "id"));
    const json_t *vo = json_object_get(co, "verdict"), *vn = json_object_get(cn, "verdict");
    if (!json_equal(vo, vn))
        json_array_append_new(json_object_get(doc, "verdicts"),
                              json_pack("{s:s, s:O, s:O}", "claim", id, "old", vo, "new", vn));
    json_t *who = json_pack("{s:s}", "claim", id);
    size_t i;
    const json_t *mo;
    json_array_foreach(json_object_get(co, "metrics"), i, mo) {
        const char *name = json_string_value(json_object_get(mo, "name"));
        const json_t *mn = name ? metric_find(json_object_get(cn, "metrics"), name) : NULL;
        if (mn && (ok_flag(mo) >= 0 || ok_flag(mn) >= 0 || is_key_metric(co, name)))
            record_metric_compare(json_object_get(doc, "metrics"), who, name, mo, mn, rtol);
    }
    json_decref(who);
}

static void runs_compare(json_t *doc, const json_t *old, const json_t *new, double rtol)
{
    size_t i, n = 0;
    const json_t *c;
    json_array_foreach(json_object_get(old, "claims"), i, c) {
        const char *id = json_string_value(json_object_get(c, "id"));
        const json_t *cn = id ? claim_find(new, id) : NULL;
        if (!id)
            continue;
        if (cn) {
            claim_compare(doc, c, cn, rtol);
            n++;
        } else
            json_array_append_new(json_object_get(doc, "only_old"),
                                  json_pack("{s:s}", "claim", id));
    }
    json_array_foreach(json_object_get(new, "claims"), i, c) {
        const char *id = json_string_value(json_object_get(c, "id"));
        if (id && !claim_find(old, id))
            json_array_append_new(json_object_get(doc, "only_new"),
                                  json_pack("{s:s}", "claim", id));
    }
    json_object_set_new(doc, "compared", json_integer((json_int_t)n));
}

/* ---- sweeps --------------------------------------------------------------------------- */

/* {canonical params text: cell} of the cells present (not "missing"). */
static json_t *cell_index(const json_t *sweep)
{
    json_t *idx = json_object();
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(sweep, "cells"), i, c) {
        if (json_is_true(json_object_get(c, "missing")))
            continue;
        char *key = json_dumps(json_object_get(c, "params"),
                               JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(17) |
                                   JSON_ENCODE_ANY);
        if (key && !json_object_get(idx, key))
            json_object_set(idx, key, (json_t *)c);
        free(key);
    }
    return idx;
}

/* The checked metrics of the first record of a sweep cell in dir, or NULL: their
 * thresholds give the resolution of the cell's medians. */
static json_t *cell_record_metrics(const char *dir, const json_t *cell)
{
    const char *rel = json_string_value(json_array_get(json_object_get(cell, "records"), 0));
    if (!rel || strstr(rel, ".."))
        return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    json_t *root = json_load_file(path, 0, NULL);
    json_t *ms = json_object_get(json_array_get(json_object_get(root, "claims"), 0), "metrics");
    json_incref(ms);
    json_decref(root);
    return ms;
}

static void cell_compare(json_t *doc, const json_t *co, const json_t *cn, const diff_opts *d)
{
    json_t *params = json_object_get(co, "params");
    const json_t *vo = json_object_get(co, "verdicts"), *vn = json_object_get(cn, "verdicts");
    if (!json_equal(vo, vn))
        json_array_append_new(json_object_get(doc, "verdicts"),
                              json_pack("{s:O, s:O, s:O}", "cell", params, "old", vo, "new", vn));
    json_t *mo = json_object_get(co, "metrics"), *mn = json_object_get(cn, "metrics");
    json_t *who = json_pack("{s:O}", "cell", params), *recm = NULL;
    const char *name;
    json_t *v;
    /* Medians over seeds have no ok flag (the verdicts say whether the cell crossed); the
     * threshold, for the resolution, is read from the cell's first record in NEW. */
    json_object_foreach(mo, name, v) {
        metric_pair p = {.name = name, .old = v, .new = json_object_get(mn, name),
                         .threshold = NAN, .ok_old = -1, .ok_new = -1};
        if (!p.new || json_equal(p.old, p.new))
            continue;
        if (!recm)
            recm = cell_record_metrics(d->new_dir, cn);
        const json_t *m = metric_find(recm, name);
        p.op = json_object_get(m, "op");
        p.threshold = num_or_nan(json_object_get(m, "threshold"));
        metric_compare(json_object_get(doc, "metrics"), who, &p, d->rtol);
    }
    json_decref(recm);
    json_decref(who);
}

static void sweeps_compare(json_t *doc, const json_t *old, const json_t *new,
                           const diff_opts *d)
{
    json_t *io = cell_index(old), *in = cell_index(new);
    const char *key;
    json_t *c;
    size_t n = 0;
    json_object_foreach(io, key, c) {
        const json_t *cn = json_object_get(in, key);
        if (cn) {
            cell_compare(doc, c, cn, d);
            n++;
        } else
            json_array_append_new(json_object_get(doc, "only_old"),
                                  json_pack("{s:O}", "cell", json_object_get(c, "params")));
    }
    json_object_foreach(in, key, c)
        if (!json_object_get(io, key))
            json_array_append_new(json_object_get(doc, "only_new"),
                                  json_pack("{s:O}", "cell", json_object_get(c, "params")));
    json_object_set_new(doc, "compared", json_integer((json_int_t)n));
    json_decref(io);
    json_decref(in);
}

/* ---- output --------------------------------------------------------------------------- */

/* "max_margin" or "n=12 step=0.5": the claim or cell an entry is about. */
static void who_text(cm_buf *b, const json_t *e)
{
    const char *id = json_string_value(json_object_get(e, "claim"));
    if (id) {
        cm_buf_puts(b, id);
        return;
    }
    const char *k;
    json_t *v;
    size_t n = 0;
    json_object_foreach(json_object_get(e, "cell"), k, v) {
        char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
        cm_buf_printf(b, "%s%s=%s", n++ ? " " : "", k, t ? t : "?");
        free(t);
    }
}

static void value_text(cm_buf *b, const json_t *v)
{
    if (json_is_number(v))
        cm_buf_printf(b, "%.10g", json_number_value(v));
    else if (json_is_string(v))
        cm_buf_puts(b, json_string_value(v));
    else {
        char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        cm_buf_puts(b, t ? t : "?");
        free(t);
    }
}

static void table_verdicts(const json_t *doc)
{
    size_t i;
    const json_t *e;
    json_array_foreach(json_object_get(doc, "verdicts"), i, e) {
        cm_buf w = {0}, o = {0}, n = {0};
        who_text(&w, e);
        value_text(&o, json_object_get(e, "old"));
        value_text(&n, json_object_get(e, "new"));
        printf("  %-32s %s -> %s\n", cm_buf_str(&w), cm_buf_str(&o), cm_buf_str(&n));
        cm_buf_free(&w);
        cm_buf_free(&o);
        cm_buf_free(&n);
    }
}

static void table_metrics(const json_t *doc)
{
    size_t i;
    const json_t *e;
    printf("  %-32s %-28s %-18s %-18s %s\n", "claim/cell", "metric", "old", "new", "threshold");
    json_array_foreach(json_object_get(doc, "metrics"), i, e) {
        cm_buf w = {0}, o = {0}, n = {0}, t = {0};
        who_text(&w, e);
        value_text(&o, json_object_get(e, "old"));
        value_text(&n, json_object_get(e, "new"));
        if (json_is_number(json_object_get(e, "threshold"))) {
            value_text(&t, json_object_get(e, "op"));
            cm_buf_puts(&t, " ");
            value_text(&t, json_object_get(e, "threshold"));
        }
        printf("  %-32s %-28s %-18s %-18s %s%s\n", cm_buf_str(&w),
               json_string_value(json_object_get(e, "metric")), cm_buf_str(&o), cm_buf_str(&n),
               cm_buf_str(&t), json_is_true(json_object_get(e, "crossed")) ? "  crossed" : "");
        cm_buf_free(&w);
        cm_buf_free(&o);
        cm_buf_free(&n);
        cm_buf_free(&t);
    }
}

static void table_only(const json_t *doc, const char *field, const char *dir)
{
    const json_t *l = json_object_get(doc, field);
    size_t i;
    const json_t *e;
    if (json_array_size(l) == 0)
        return;
    printf("only in %s:\n", dir);
    json_array_foreach(l, i, e) {
        cm_buf w = {0};
        who_text(&w, e);
        printf("  %s\n", cm_buf_str(&w));
        cm_buf_free(&w);
    }
}

static void table_print(const json_t *doc, const diff_opts *d)
{
    bool sweep = strcmp(json_string_value(json_object_get(doc, "kind")), "sweep") == 0;
    size_t nv = json_array_size(json_object_get(doc, "verdicts"));
    size_t nm = json_array_size(json_object_get(doc, "metrics"));
    printf("diff %s %s: %lld %s compared; %zu verdict%s changed, %zu metric%s moved (rtol %g)\n",
           d->old_dir, d->new_dir, (long long)json_integer_value(json_object_get(doc, "compared")),
           sweep ? "cells" : "claims", nv, nv == 1 ? "" : "s", nm, nm == 1 ? "" : "s", d->rtol);
    if (nv) {
        printf("verdict changed:\n");
        table_verdicts(doc);
    }
    if (nm) {
        printf("metrics moved:\n");
        table_metrics(doc);
    }
    table_only(doc, "only_old", d->old_dir);
    table_only(doc, "only_new", d->new_dir);
}

/* ---- the command ---------------------------------------------------------------------- */

static json_t *diff_build(const diff_opts *d, const json_t *old, const json_t *new,
                          diff_kind kind)
{
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:f, s:i, s:[], s:[], s:[], s:[]}", "schema",
                            "theorycheck/diff/v1", "kind", kind == DIFF_SWEEP ? "sweep" : "run",
                            "old", d->old_dir, "new", d->new_dir, "rtol", d->rtol, "compared",
                            0, "verdicts", "metrics", "only_old", "only_new");
    if (!doc)
        return NULL;
    if (kind == DIFF_SWEEP) {
        json_object_set(doc, "claim", json_object_get(new, "claim"));
        sweeps_compare(doc, old, new, d);
    } else
        runs_compare(doc, old, new, d->rtol);
    return doc;
}

static int diff_check_kinds(const diff_opts *d, const json_t *old, const json_t *new,
                            diff_kind ko, diff_kind kn)
{
    if (ko != kn) {
        fprintf(stderr,
                "theorycheck: diff: OLD %s is a %s directory and NEW %s a %s directory; diff "
                "compares two runs or two sweeps\n",
                d->old_dir, ko == DIFF_SWEEP ? "sweep" : "run", d->new_dir,
                kn == DIFF_SWEEP ? "sweep" : "run");
        return -1;
    }
    if (ko == DIFF_SWEEP &&
        !json_equal(json_object_get(old, "claim"), json_object_get(new, "claim"))) {
        fprintf(stderr, "theorycheck: diff: the sweeps are of different claims (%s: %s, %s: %s)\n",
                d->old_dir, json_string_value(json_object_get(old, "claim")), d->new_dir,
                json_string_value(json_object_get(new, "claim")));
        return -1;
    }
    return 0;
}

int hx_cmd_diff(int argc, char **argv)
{
    diff_opts d = {0};
    diff_kind ko, kn;
    json_t *old = NULL, *new = NULL, *doc = NULL;
    int rc = HX_EXIT_USAGE;
    if (diff_args(&d, argc, argv) || !(old = diff_load(d.old_dir, &ko)) ||
        !(new = diff_load(d.new_dir, &kn)) || diff_check_kinds(&d, old, new, ko, kn))
        goto done;
    if (!(doc = diff_build(&d, old, new, ko))) {
        fprintf(stderr, "theorycheck: diff: out of memory\n");
        rc = HX_EXIT_INTERNAL;
        goto done;
    }
    if (d.json) {
        char *s = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        printf("%s\n", s ? s : "null");
        free(s);
    } else
        table_print(doc, &d);
    rc = json_array_size(json_object_get(doc, "verdicts")) ? HX_EXIT_FAIL : HX_EXIT_OK;
done:
    json_decref(old);
    json_decref(new);
    json_decref(doc);
    return rc;
}
