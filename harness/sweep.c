/* harness/sweep.c — `theorycheck sweep CLAIM --grid PARAM=VALUES ...` (see sweep.h).
 *
 * A sweep is many ordinary runs of one claim: one per cell of the grid and run seed. Each
 * cell-seed is stored as an ordinary record directory, DIR/cells/<claim>-<hash>/ (results.json
 * and its data CSVs), named by a hash of everything that determines its numbers: the claim,
 * the profile, every effective parameter, the run seed, the bytes of the --data file and the
 * program version. key.txt beside the record holds that text itself, so a hash collision can
 * never reuse the wrong record. results.json is written last and atomically: a cell whose
 * results.json exists with a matching key.txt is complete and is reused (unless --force);
 * a sweep killed at any moment reruns only the cells it had not finished.
 *
 * Cells run in batches of a few per worker, so memory does not grow with the grid; sweep.json
 * is assembled from the records on disk at the end.
 */
#include "harness/sweep.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>

#include "common/atomic.h"
#include "common/buf.h"
#include "harness/cli.h"
#include "harness/exitcodes.h"
#include "harness/grid.h"
#include "harness/hypothesis.h"
#include "harness/outdir.h"
#include "harness/plan.h"
#include "harness/records.h"
#include "harness/runner.h"
#include "harness/seeds.h"
#include "harness/verdict.h"
#include "numerics/stats.h"
#include "reports/report.h"

#define SWEEP_MAX_SEEDS 1000
#define SWEEP_METRICS 8 /* key metrics summarised per cell */

typedef struct {
    hx_run_options o;    /* the run options (claim, --set, --config, --data, ...) */
    char **grids;        /* the --grid texts */
    size_t ngrids;
    bool zip, force, all;
    size_t seeds, max_cells, shard_k, shard_n, refine;
} sweep_opts;

static int usage(const char *fmt, const char *a)
{
    return hx_cli_usage("theorycheck: sweep", fmt, a);
}

static int parse_count(const char *v, size_t lo, size_t hi, size_t *out)
{
    uint64_t x;
    if (hx_cli_u64(v, &x) || x < lo || x > hi)
        return -1;
    *out = (size_t)x;
    return 0;
}

/* --shard K/N, or Slurm's array variables when --shard is absent. */
static int parse_shard(sweep_opts *s, const char *v)
{
    char k[32], n[32];
    if (!v || sscanf(v, "%31[0-9]/%31[0-9]", k, n) != 2 || parse_count(n, 1, 100000, &s->shard_n) ||
        parse_count(k, 1, s->shard_n, &s->shard_k) || strchr(v, '/')[strlen(n) + 1] != '\0')
        return usage("--shard '%s' is not allowed: must be K/N with 1 <= K <= N", v ? v : "");
    return 0;
}

static void shard_from_slurm(sweep_opts *s)
{
    const char *id = getenv("SLURM_ARRAY_TASK_ID"), *cnt = getenv("SLURM_ARRAY_TASK_COUNT");
    size_t k, n;
    if (s->shard_n || !id || !cnt || parse_count(cnt, 1, 100000, &n) ||
        parse_count(id, 0, n - 1, &k))
        return;
    /* Arrays submitted as --array=0-(N-1) (scripts/slurm/sweep.sbatch) */
    s->shard_k = k + 1;
    s->shard_n = n;
}

enum { SW_GRID = HX_EXTRA_OPTION_BASE, SW_SEEDS, SW_SHARD, SW_MAX_CELLS, SW_ZIP, SW_FORCE, SW_ALL,
       SW_REFINE };

static const struct option sweep_options[] = {
    {"grid", required_argument, NULL, SW_GRID},
    {"seeds", required_argument, NULL, SW_SEEDS},
    {"shard", required_argument, NULL, SW_SHARD},
    {"max-cells", required_argument, NULL, SW_MAX_CELLS},
    {"zip", no_argument, NULL, SW_ZIP},
    {"force", no_argument, NULL, SW_FORCE},
    {"all", no_argument, NULL, SW_ALL},
    {"refine", required_argument, NULL, SW_REFINE},
    {NULL, 0, NULL, 0}};

static int sweep_option(void *user, int opt, const char *v)
{
    sweep_opts *s = user;
    switch (opt) {
    case SW_GRID: s->grids[s->ngrids++] = (char *)v; return 0;
    case SW_SEEDS:
        return parse_count(v, 1, SWEEP_MAX_SEEDS, &s->seeds)
                   ? usage("--seeds '%s' is not allowed: must be an integer in [1, 1000]", v)
                   : 0;
    case SW_MAX_CELLS:
        return parse_count(v, 1, 1000000, &s->max_cells)
                   ? usage("--max-cells '%s' is not allowed: must be an integer in [1, 1000000]",
                           v)
                   : 0;
    case SW_SHARD: return parse_shard(s, v);
    case SW_REFINE:
        return parse_count(v, 0, 10, &s->refine)
                   ? usage("--refine '%s' is not allowed: must be an integer in [0, 10]", v)
                   : 0;
    case SW_ZIP: s->zip = true; return 0;
    case SW_FORCE: s->force = true; return 0;
    default: s->all = true; return 0;
    }
}

/* The sweep's options and the run options, in one getopt_long pass (harness/cli.h). */
static int split_args(sweep_opts *s, int argc, char **argv)
{
    s->grids = calloc((size_t)argc + 1, sizeof *s->grids);
    if (!s->grids)
        return usage("%sout of memory", "");
    s->seeds = 1;
    s->max_cells = HX_GRID_MAX_CELLS;
    const hx_extra_options extra = {sweep_options, sweep_option, s, "theorycheck: sweep"};
    if (hx_run_options_parse_ext(&s->o, argc, argv, 2, &extra))
        return -1;
    if (s->all) {
        if (s->ngrids || s->shard_n) /* claims named: those only (default: all) */
            return usage("--all takes no --grid or --shard%s", "");
        if (strcmp(s->o.out, "results/latest") == 0)
            s->o.out = "results/seeds";
        return 0;
    }
    if (s->o.nclaims != 1)
        return usage("needs exactly one claim (got %s)", s->o.nclaims ? "several" : "none");
    if (s->refine && (s->zip || s->shard_n || getenv("SLURM_ARRAY_TASK_ID")))
        return usage("--refine needs the whole grid in one run (no --zip, no --shard)%s", "");
    if (strcmp(s->o.out, "results/latest") == 0)
        s->o.out = "results/sweep";
    shard_from_slurm(s);
    return 0;
}

/* ---- cell-seeds ----------------------------------------------------------------------- */

typedef struct {
    const tc_claim *claim;
    const hx_job *base;   /* resolved --set/--config values and data */
    hx_grid grid;
    uint64_t *seeds;
    char data_hash[20];   /* of the --data file's bytes, or "none" */
} sweep;

uint64_t hx_sweep_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull; /* the FNV-1a 64 offset basis */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The values of cell `cell`: the claim's defaults, the user's --set/--config, the cell. */
static int cell_values(const sweep *sw, size_t cell, const char *profile, hx_values *vals,
                       char *err, size_t errlen)
{
    if (hx_values_init(vals, sw->claim, profile, err, errlen))
        return -1;
    for (size_t k = 0; k < sw->base->vals.n; k++) {
        const hx_value *b = &sw->base->vals.v[k];
        if (b->source != HX_SRC_DEFAULT &&
            hx_values_set(vals, b->spec->name, b->text, b->source, err, errlen))
            return -1;
    }
    size_t coord[HX_GRID_MAX_AXES];
    hx_grid_coords(&sw->grid, cell, coord);
    for (size_t a = 0; a < sw->grid.naxes; a++)
        if (hx_values_set(vals, sw->grid.axes[a].spec->name, sw->grid.axes[a].values[coord[a]],
                          HX_SRC_CMDLINE, err, errlen))
            return -1;
    return 0;
}

/* The key text of a cell-seed and its directory name "<claim>-<16 hex digits>". */
static void cell_key(const sweep *sw, const hx_values *vals, const char *profile, uint64_t seed,
                     cm_buf *key, char *name, size_t namelen)
{
    cm_buf_printf(key, "theorycheck/cell/v1\nversion=%s\nclaim=%s\nprofile=%s\nseed=%llu\n"
                       "data=%s\n",
                  TC_VERSION, sw->claim->id, profile, (unsigned long long)seed, sw->data_hash);
    for (size_t k = 0; k < vals->n; k++)
        cm_buf_printf(key, "param %s=%s\n", vals->v[k].spec->name, vals->v[k].text);
    snprintf(name, namelen, "%s-%016llx", sw->claim->id,
             (unsigned long long)hx_sweep_hash(cm_buf_str(key), key->len));
}

/* A complete cell-seed: results.json present and key.txt equal to `key`. */
static bool cell_done(const char *dir, const cm_buf *key)
{
    char path[4096];
    snprintf(path, sizeof path, "%.4000s/results.json", dir);
    json_t *rec = cm_file_nonempty(path) ? json_load_file(path, 0, NULL) : NULL;
    bool whole = json_array_size(json_object_get(rec, "claims")) == 1; /* not torn */
    json_decref(rec);
    if (!whole)
        return false;
    snprintf(path, sizeof path, "%.4000s/key.txt", dir);
    size_t len;
    char *text = cm_read_file(path, &len);
    bool same = text && len == key->len && memcmp(text, cm_buf_str(key), len) == 0;
    free(text);
    return same;
}

/* key.txt, then the data CSVs, then results.json (last: it marks the cell complete). */
static int cell_write(const char *dir, const cm_buf *key, hx_job *j, const hx_run_options *o,
                      char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%.4000s/key.txt", dir);
    /* What is there is incomplete (or --force): an interrupted writer may have left partial
     * files, so the cell starts from nothing (no writer can be live: the lock is held). */
    if (cm_remove_tree(dir) != 0 || cm_mkdirs(dir) ||
        cm_write_atomic_opt(path, cm_buf_str(key), key->len, 0)) {
        snprintf(err, errlen, "cannot write %.900s: %s", path, strerror(errno));
        return -1;
    }
    hx_plan one = {.jobs = j, .n = 1};
    hx_run_info info = {.o = o, .seconds = j->seconds, .seed = j->seed, .seed_set = true};
    time_t now = time(NULL);
    struct tm tm; /* gmtime_r: cells are written by several workers at once */
    strftime(info.started, sizeof info.started, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    json_t *record = hx_record_build(&one, &info);
    int rc = record ? hx_records_write_cell(dir, &one, record, err, errlen) : -1;
    if (!record)
        snprintf(err, errlen, "out of memory building a cell record");
    json_decref(record);
    return rc;
}

/* ---- running ---------------------------------------------------------------------------- */

typedef struct {
    hx_plan plan;        /* the batch's jobs (values owned, data borrowed from the base) */
    cm_buf *keys;
    char (*names)[200];
    size_t cap;
    const sweep_opts *s;
    pthread_mutex_t lock; /* guards rc and err, which the workers set */
    int rc;
    char *err;
    size_t errlen;
} batch;

/* hx_job_done_fn: write cell i's record as soon as its worker has run it (the other workers
 * go on meanwhile), then release what the job held. The first failure is kept. */
static void batch_cell_done(hx_job *j, size_t i, void *user)
{
    batch *b = user;
    char dir[4096], err[1024];
    snprintf(dir, sizeof dir, "%s/cells/%s", b->s->o.out, b->names[i]);
    pthread_mutex_lock(&b->lock);
    int failed = b->rc;
    pthread_mutex_unlock(&b->lock);
    int rc = failed ? 0 : cell_write(dir, &b->keys[i], j, &b->s->o, err, sizeof err);
    pthread_mutex_lock(&b->lock);
    if (rc && !b->rc) {
        b->rc = rc;
        snprintf(b->err, b->errlen, "%s", err);
    }
    pthread_mutex_unlock(&b->lock);
}

/* Run the batch (unless `run` is false: an earlier error); its cells are written as they
 * finish. */
static int batch_flush(batch *b, bool run)
{
    if (!run)
        b->rc = -1;
    if (run && b->plan.n)
        hx_run_plan_each(&b->plan, b->s->o.profile, b->s->o.seed, b->s->o.jobs,
                         batch_cell_done, b);
    for (size_t i = 0; i < b->plan.n; i++) {
        hx_values_free(&b->plan.jobs[i].vals);
        tc_result_free(&b->plan.jobs[i].res);
        cm_buf_free(&b->keys[i]);
    }
    b->plan.n = 0;
    return b->rc;
}

/* Add cell-seed (cell, k) to the batch, or count it as reused. */
static int batch_add(batch *b, const sweep *sw, const sweep_opts *s, size_t cell, size_t k,
                     size_t *reused, char *err, size_t errlen)
{
    hx_job *j = &b->plan.jobs[b->plan.n];
    memset(j, 0, sizeof *j);
    if (cell_values(sw, cell, s->o.profile, &j->vals, err, errlen)) {
        hx_values_free(&j->vals);
        return -1;
    }
    cm_buf *key = &b->keys[b->plan.n];
    memset(key, 0, sizeof *key);
    cell_key(sw, &j->vals, s->o.profile, sw->seeds[k], key, b->names[b->plan.n],
             sizeof b->names[0]);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/cells/%s", s->o.out, b->names[b->plan.n]);
    int oom = key->oom; /* read before cm_buf_free clears it */
    if (oom || (!s->force && cell_done(dir, key))) {
        *reused += !oom;
        hx_values_free(&j->vals);
        cm_buf_free(key);
        if (oom)
            snprintf(err, errlen, "out of memory");
        return oom ? -1 : 0;
    }
    j->claim = sw->claim;
    j->data = sw->base->data;
    j->has_data = sw->base->has_data;
    j->seed = sw->seeds[k];
    j->has_seed = true;
    tc_result_init(&j->res);
    b->plan.n++;
    return b->plan.n == b->cap ? batch_flush(b, true) : 0;
}

bool hx_sweep_in_shard(size_t cell, size_t k, size_t n)
{
    return n == 0 || cell % n == k - 1;
}

static bool in_shard(const sweep_opts *s, size_t cell)
{
    return hx_sweep_in_shard(cell, s->shard_k, s->shard_n);
}

/* Cells run in batches of HX_SWEEP_BATCH per worker: memory stays bounded by the batch, and
 * the workers wait for each other only once per batch (a larger batch loses less to the
 * unequal lengths of its last cells). */
#define HX_SWEEP_BATCH 16

static int run_cells(const sweep *sw, const sweep_opts *s, size_t *reused, char *err,
                     size_t errlen)
{
    batch b = {.cap = HX_SWEEP_BATCH * (size_t)s->o.jobs, .s = s, .err = err, .errlen = errlen};
    pthread_mutex_init(&b.lock, NULL);
    b.plan.jobs = calloc(b.cap, sizeof *b.plan.jobs);
    b.keys = calloc(b.cap, sizeof *b.keys);
    b.names = calloc(b.cap, sizeof *b.names);
    int rc = b.plan.jobs && b.keys && b.names ? 0 : -1;
    if (rc)
        snprintf(err, errlen, "out of memory");
    for (size_t c = 0; rc == 0 && c < sw->grid.ncells; c++)
        for (size_t k = 0; rc == 0 && k < s->seeds && in_shard(s, c); k++)
            rc = batch_add(&b, sw, s, c, k, reused, err, errlen);
    if (b.plan.jobs && b.keys && b.names)
        rc = batch_flush(&b, rc == 0) || rc;
    free(b.plan.jobs);
    free(b.keys);
    free(b.names);
    pthread_mutex_destroy(&b.lock);
    return rc;
}

/* ---- sweep.json ------------------------------------------------------------------------- */

/* A parameter text as the record would write it (typed JSON). */
static json_t *typed(const tc_param_spec *spec, const char *text)
{
    hx_value v = {0};
    char err[256];
    json_t *j = hx_param_parse(spec, text, &v, err, sizeof err) ? json_string(text)
                                                                  : hx_param_json(&v);
    free(v.text);
    return j;
}

static json_t *axes_json(const hx_grid *g)
{
    json_t *a = json_array();
    for (size_t i = 0; i < g->naxes; i++) {
        json_t *vals = json_array();
        for (size_t k = 0; k < g->axes[i].nvalues; k++)
            json_array_append_new(vals, typed(g->axes[i].spec, g->axes[i].values[k]));
        json_array_append_new(a, json_pack("{s:s, s:o, s:b}", "param", g->axes[i].spec->name,
                                           "values", vals, "log", g->axes[i].log));
    }
    return a;
}

/* The names of the metrics summarised per cell: the claim's key metrics, else the first
 * checked metrics of the first record. */
static size_t metric_names(const tc_claim *c, const json_t *rec, char names[][64], size_t max)
{
    size_t n = 0;
    for (const char *p = c->key_metrics; p && *p && n < max;) {
        size_t l = strcspn(p, ",");
        snprintf(names[n++], 64, "%.*s", (int)(l < 63 ? l : 63), p);
        p += l + (p[l] == ',');
    }
    const json_t *ms = json_object_get(rec, "metrics");
    for (size_t i = 0; n == 0 && i < json_array_size(ms) && i < max; i++) {
        const json_t *m = json_array_get(ms, i);
        if (!json_is_null(json_object_get(m, "ok")))
            snprintf(names[n++], 64, "%s", json_string_value(json_object_get(m, "name")));
    }
    return n;
}

static double metric_value(const json_t *rec, const char *name)
{
    const json_t *ms = json_object_get(rec, "metrics");
    for (size_t i = 0; i < json_array_size(ms); i++) {
        const json_t *m = json_array_get(ms, i);
        if (strcmp(json_string_value(json_object_get(m, "name")), name) == 0)
            return json_is_number(json_object_get(m, "value"))
                       ? json_number_value(json_object_get(m, "value"))
                       : NAN;
    }
    return NAN;
}

typedef struct {
    size_t runs, holds, refuted, undecided;
    json_t *verdicts, *records;
    char names[SWEEP_METRICS][64];
    size_t nmetrics;
    double values[SWEEP_METRICS][SWEEP_MAX_SEEDS];
} cell_acc;

/* Add the cell-seed record DIR/rel (a results.json) to the accumulator. */
static int cell_read(const tc_claim *claim, const char *dir, const char *rel, cell_acc *a,
                     char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    json_t *root = json_load_file(path, 0, NULL);
    const json_t *rec = json_array_get(json_object_get(root, "claims"), 0);
    if (!rec || a->runs >= SWEEP_MAX_SEEDS) {
        json_decref(root);
        snprintf(err, errlen, "%.900s is missing or unreadable (or over %d seeds)", path,
                 SWEEP_MAX_SEEDS);
        return -1;
    }
    const json_t *holds = json_object_get(rec, "holds");
    a->holds += json_is_true(holds);
    a->refuted += json_is_false(holds);
    a->undecided += !json_is_boolean(holds);
    json_array_append(a->verdicts, json_object_get(rec, "verdict"));
    json_array_append_new(a->records, json_string(rel));
    if (a->runs == 0)
        a->nmetrics = metric_names(claim, rec, a->names, SWEEP_METRICS);
    for (size_t m = 0; m < a->nmetrics; m++)
        a->values[m][a->runs] = metric_value(rec, a->names[m]);
    a->runs++;
    json_decref(root);
    return 0;
}

static json_t *median_json(double *v, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            v[m++] = v[i];
    if (m == 0)
        return json_null();
    gsl_sort(v, 1, m);
    return json_real(gsl_stats_median_from_sorted_data(v, 1, m));
}

/* ---- hypothesis regions (harness/hypothesis.h) ------------------------------------------ */

/* Cell "hypothesis" (true, false, null) and "hypothesis_why"; summary "hypothesis_disagree"
 * counts the cells where the declared region and the measured verdicts disagree outright:
 * the hypothesis holds and the claim is refuted at every seed, or it fails and the claim
 * holds at every seed (skipped or errored seeds never count as either). */
static void hypothesis_cell(const tc_claim *claim, int h, const char *why, const cell_acc *a,
                            json_t *out, json_t *summary)
{
    json_object_set_new(out, "hypothesis", h < 0 ? json_null() : json_boolean(h));
    if (h == 0)
        json_object_set_new(out, "hypothesis_why", json_string(why));
    bool disagree = a->runs > 0 && ((h == 1 && a->refuted == a->runs) ||
                                    (h == 0 && a->holds == a->runs));
    json_int_t n = json_integer_value(json_object_get(summary, "hypothesis_disagree"));
    if (claim->hypothesis)
        json_object_set_new(summary, "hypothesis_disagree", json_integer(n + disagree));
}

/* See sweep.h. The one place a cell of sweep.json is made: `sweep` and `merge` both call it. */
json_t *hx_sweep_cell_build(const tc_claim *claim, size_t cell, const json_t *params,
                            int hypothesis, const char *why, const char *dir,
                            const char *const *records, size_t n, json_t *summary, char *err,
                            size_t errlen)
{
    cell_acc *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->verdicts = json_array();
    a->records = json_array();
    json_t *metrics = json_object(), *out = NULL;
    int rc = n ? 0 : (snprintf(err, errlen, "cell %zu has no records", cell), -1);
    for (size_t k = 0; k < n && rc == 0; k++)
        rc = cell_read(claim, dir, records[k], a, err, errlen);
    if (rc == 0) {
        for (size_t m = 0; m < a->nmetrics; m++)
            json_object_set_new(metrics, a->names[m], median_json(a->values[m], a->runs));
        double lo, hi;
        num_stats_clopper_pearson(a->holds, a->runs, 0.05, &lo, &hi);
        bool dependent = a->holds && a->refuted;
        out = json_pack("{s:I, s:O, s:O, s:I, s:I, s:[f, f], s:b, s:n, s:O, s:O}", "index",
                        (json_int_t)cell, "params", (json_t *)params, "verdicts", a->verdicts,
                        "holds", (json_int_t)a->holds, "runs", (json_int_t)a->runs, "ci", lo, hi,
                        "seed_dependent", dependent, "hypothesis", "records", a->records,
                        "metrics", metrics);
        hypothesis_cell(claim, hypothesis, why, a, out, summary);
        const char *count = a->holds == a->runs     ? "holds_everywhere"
                            : a->refuted == a->runs ? "refuted_everywhere"
                            : dependent             ? "seed_dependent"
                                                    : "undecided";
        json_object_set_new(summary, count,
                            json_integer(json_integer_value(json_object_get(summary, count)) + 1));
    }
    json_decref(metrics);
    json_decref(a->verdicts);
    json_decref(a->records);
    free(a);
    return out;
}

/* The claim's declared hypothesis at resolved values (with the sweep's --data): 1, 0 with
 * `why`, -1 (none declared, or cannot tell). Pure: no record is read or changed. */
static int hypothesis_at(const sweep *sw, const hx_values *vals, char *why, size_t whylen)
{
    why[0] = '\0';
    if (!sw->claim->hypothesis)
        return -1;
    return hx_hypothesis_eval(sw->claim, vals, sw->base->has_data ? &sw->base->data : NULL, why,
                              whylen);
}

/* The declared hypothesis at cell `cell` of this sweep's grid. */
static int hypothesis_of(const sweep *sw, const sweep_opts *s, size_t cell, char *why,
                         size_t whylen)
{
    hx_values vals;
    char err[1024];
    int h = cell_values(sw, cell, s->o.profile, &vals, err, sizeof err) == 0
                ? hypothesis_at(sw, &vals, why, whylen)
                : (why[0] = '\0', -1);
    hx_values_free(&vals);
    return h;
}

/* Cell `cell` of this sweep: its swept values and the records of its seeds. */
static json_t *cell_json(const sweep *sw, const sweep_opts *s, size_t cell, json_t *summary,
                         char *err, size_t errlen)
{
    json_t *params = json_object(), *out = NULL;
    size_t coord[HX_GRID_MAX_AXES];
    hx_grid_coords(&sw->grid, cell, coord);
    for (size_t i = 0; i < sw->grid.naxes; i++)
        json_object_set_new(params, sw->grid.axes[i].spec->name,
                            typed(sw->grid.axes[i].spec, sw->grid.axes[i].values[coord[i]]));
    char (*names)[224] = calloc(s->seeds, sizeof *names), why[512] = "";
    const char **recs = calloc(s->seeds, sizeof *recs);
    hx_values vals; /* the same at every seed: only the key's seed line differs */
    int rc = names && recs ? cell_values(sw, cell, s->o.profile, &vals, err, errlen)
                           : (snprintf(err, errlen, "out of memory"), -1);
    int h = rc == 0 ? hypothesis_at(sw, &vals, why, sizeof why) : -1;
    for (size_t k = 0; k < s->seeds && rc == 0; k++) {
        cm_buf key = {0};
        char name[200];
        cell_key(sw, &vals, s->o.profile, sw->seeds[k], &key, name, sizeof name);
        cm_buf_free(&key);
        snprintf(names[k], sizeof names[k], "cells/%s/results.json", name);
        recs[k] = names[k];
    }
    if (rc == 0)
        out = hx_sweep_cell_build(sw->claim, cell, params, h, why, s->o.out, recs, s->seeds,
                                  summary, err, errlen);
    if (names && recs)
        hx_values_free(&vals);
    json_decref(params);
    free(names);
    free(recs);
    return out;
}

/* See sweep.h. */
json_t *hx_sweep_summary_new(void)
{
    return json_pack("{s:i, s:i, s:i, s:i}", "holds_everywhere", 0, "refuted_everywhere", 0,
                     "seed_dependent", 0, "undecided", 0);
}

/* Summary "hypothesis_disagree" (null when the claim declares no hypothesis) and
 * "hypothesis_boundary": per axis, the neighbouring axis values between which the declared
 * hypothesis flips, over the whole grid (so every shard reports the same). */
static void hypothesis_summary(const sweep *sw, const sweep_opts *s, json_t *summary)
{
    signed char *h = sw->claim->hypothesis ? calloc(sw->grid.ncells, 1) : NULL;
    if (!h) {
        json_object_set_new(summary, "hypothesis_disagree", json_null());
        json_object_set_new(summary, "hypothesis_boundary", json_null());
        return;
    }
    char why[512];
    for (size_t c = 0; c < sw->grid.ncells; c++)
        h[c] = (signed char)hypothesis_of(sw, s, c, why, sizeof why);
    json_int_t n = json_integer_value(json_object_get(summary, "hypothesis_disagree"));
    json_object_set_new(summary, "hypothesis_disagree", json_integer(n));
    json_object_set_new(summary, "hypothesis_boundary", hx_hypothesis_boundaries(&sw->grid, h));
    free(h);
}

/* A cell's measured class (from its sweep.json entry): the verdict all its seeds share, as an
 * hx_verdict, or HX_NVERDICTS when they differ. Neighbours of different classes are where
 * --refine adds cells and where summary.measured_boundary puts the flip. */
static signed char cell_class(const json_t *cell)
{
    const json_t *vs = json_object_get(cell, "verdicts");
    int common = HX_NVERDICTS;
    for (size_t k = 0; k < json_array_size(vs); k++) {
        const char *v = json_string_value(json_array_get(vs, k));
        int code = HX_NVERDICTS;
        for (int i = 0; i < HX_NVERDICTS; i++)
            code = v && strcmp(v, hx_verdict_name((hx_verdict)i)) == 0 ? i : code;
        common = k == 0 || common == code ? code : HX_NVERDICTS;
    }
    return (signed char)common;
}

/* The class of every cell of the grid (read from the records). NULL after a message in err. */
static signed char *cell_classes(const sweep *sw, const sweep_opts *s, char *err, size_t errlen)
{
    signed char *cls = calloc(sw->grid.ncells ? sw->grid.ncells : 1, 1);
    json_t *scratch = hx_sweep_summary_new();
    for (size_t c = 0; cls && c < sw->grid.ncells; c++) {
        json_t *cj = cell_json(sw, s, c, scratch, err, errlen);
        if (!cj) {
            free(cls);
            cls = NULL;
            break;
        }
        cls[c] = cell_class(cj);
        json_decref(cj);
    }
    json_decref(scratch);
    return cls;
}

/* The run options that are not axes but change what every cell computes: the parameters set
 * by --set or --config (name -> value as given) and the claim's --data file (its path as given
 * and the hash that enters every cell's key), so that sweep.json alone says how to rerun it. */
static void fixed_json(const sweep *sw, const sweep_opts *s, json_t *out)
{
    json_t *set = json_object();
    for (size_t i = 0; i < sw->base->vals.n; i++) {
        const hx_value *v = &sw->base->vals.v[i];
        if (v->source != HX_SRC_DEFAULT)
            json_object_set_new(set, v->spec->name, json_string(v->text));
    }
    json_object_set_new(out, "set", set);
    json_t *data = json_null();
    for (size_t i = 0; i < s->o.ndata; i++)
        if (strcmp(s->o.data[i].claim, sw->claim->id) == 0) {
            json_decref(data);
            data = json_pack("{s:s, s:s}", "path", s->o.data[i].path, "fnv1a", sw->data_hash);
        }
    json_object_set_new(out, "data", data);
}

static json_t *sweep_json(const sweep *sw, const sweep_opts *s, size_t reused, char *err,
                          size_t errlen)
{
    json_t *seeds = json_array(), *cells = json_array();
    json_t *summary = hx_sweep_summary_new();
    for (size_t k = 0; k < s->seeds; k++)
        json_array_append_new(seeds, json_integer((json_int_t)sw->seeds[k]));
    for (size_t c = 0; c < sw->grid.ncells; c++) {
        if (!in_shard(s, c))
            continue;
        json_t *cj = cell_json(sw, s, c, summary, err, errlen);
        if (!cj) {
            json_decref(seeds);
            json_decref(cells);
            json_decref(summary);
            return NULL;
        }
        json_array_append_new(cells, cj);
    }
    json_object_set_new(summary, "cells", json_integer((json_int_t)json_array_size(cells)));
    hypothesis_summary(sw, s, summary);
    if (s->refine) { /* the measured counterpart of hypothesis_boundary (whole grid: no shard,
                        * so cells[c] is cell c) */
        signed char *cls = calloc(sw->grid.ncells ? sw->grid.ncells : 1, 1);
        for (size_t c = 0; cls && c < sw->grid.ncells; c++)
            cls[c] = cell_class(json_array_get(cells, c));
        json_object_set_new(summary, "measured_boundary",
                            cls ? hx_hypothesis_boundaries(&sw->grid, cls) : json_null());
        free(cls);
    }
    json_t *shard = s->shard_n ? json_pack("{s:I, s:I}", "k", (json_int_t)s->shard_k, "n",
                                           (json_int_t)s->shard_n)
                               : json_null();
    json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:b}", "schema",
                            HX_SWEEP_SCHEMA, "version", TC_VERSION, "claim", sw->claim->id,
                            "expect", sw->claim->expect == TC_EXPECT_REFUTED ? "refuted" : "holds",
                            "profile", s->o.profile, "seed", (json_int_t)s->o.seed, "seeds", seeds,
                            "axes", axes_json(&sw->grid), "zip", s->zip);
    fixed_json(sw, s, out);
    json_object_set_new(out, "ncells", json_integer((json_int_t)sw->grid.ncells));
    json_object_set_new(out, "shard", shard);
    json_object_set_new(out, "cells", cells);
    json_object_set_new(out, "reused", json_integer((json_int_t)reused));
    json_object_set_new(out, "summary", summary);
    return out;
}

/* ---- the command ------------------------------------------------------------------------ */

/* The FNV-1a hash of the claim's --data file, as 16 hex digits, or "none". */
static int data_hash(const sweep_opts *s, const char *id, char *out, size_t len)
{
    snprintf(out, len, "none");
    for (size_t i = 0; i < s->o.ndata; i++) {
        if (strcmp(s->o.data[i].claim, id) != 0)
            continue;
        size_t n;
        char *bytes = cm_read_file(s->o.data[i].path, &n);
        if (!bytes)
            return -1;
        snprintf(out, len, "%016llx", (unsigned long long)hx_sweep_hash(bytes, n));
        free(bytes);
    }
    return 0;
}

/* Everything checked before anything is written: the grid, its values, and that no swept
 * parameter is also fixed by --set or --config (which would silently lose). */
static int sweep_setup(sweep *sw, sweep_opts *s, hx_plan *base)
{
    char err[1024];
    if (hx_plan_build(base, &s->o))
        return -1;
    sw->base = &base->jobs[0];
    sw->claim = sw->base->claim;
    sw->grid.claim = sw->claim;
    for (size_t i = 0; i < s->ngrids; i++)
        if (hx_grid_add(&sw->grid, s->grids[i], err, sizeof err))
            return usage("%s", err);
    if (hx_grid_finish(&sw->grid, s->zip, s->max_cells, err, sizeof err))
        return usage("%s", err);
    for (size_t a = 0; a < sw->grid.naxes; a++) {
        const hx_value *v = hx_values_find((hx_values *)&sw->base->vals,
                                           sw->grid.axes[a].spec->name);
        if (v && v->source != HX_SRC_DEFAULT)
            return usage("parameter '%s' is both swept (--grid) and set (--set or --config)",
                         sw->grid.axes[a].spec->name);
    }
    sw->seeds = calloc(s->seeds, sizeof *sw->seeds);
    if (!sw->seeds)
        return usage("%sout of memory", "");
    for (size_t k = 0; k < s->seeds; k++)
        sw->seeds[k] = hx_run_seed(s->o.seed, k);
    if (data_hash(s, sw->claim->id, sw->data_hash, sizeof sw->data_hash))
        return usage("cannot read the --data file: %s", strerror(errno));
    return 0;
}

int hx_sweep_summary_write(const char *dir, void *arg, char *err, size_t errlen)
{
    const hx_sweep_summary *job = arg;
    char *path = cm_join(dir, "sweep.json");
    char *text = json_dumps(job->sweep, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    int rc = path && text ? cm_write_atomic(path, text, strlen(text)) : -1;
    if (rc != 0)
        snprintf(err, errlen, "cannot write sweep.json: %s",
                 path && text ? strerror(errno) : "out of memory");
    free(text);
    free(path);
    if (rc == 0)
        rc = rep_sweep_render(dir, job->sweep, job->no_plots, err, errlen);
    return rc;
}

static void summary_print(const sweep *sw, const sweep_opts *s, size_t reused, const json_t *j)
{
    const json_t *sum = json_object_get(j, "summary");
    printf("sweep %s: %lld cells x %zu seeds (%zu reused): holds everywhere %lld, refuted "
           "everywhere %lld, seed-dependent %lld, undecided %lld\nrecord: %s/sweep.json\n"
           "report: %s/sweep.md, %s/sweep.html\n",
           sw->claim->id, (long long)json_integer_value(json_object_get(sum, "cells")), s->seeds,
           reused, (long long)json_integer_value(json_object_get(sum, "holds_everywhere")),
           (long long)json_integer_value(json_object_get(sum, "refuted_everywhere")),
           (long long)json_integer_value(json_object_get(sum, "seed_dependent")),
           (long long)json_integer_value(json_object_get(sum, "undecided")), s->o.out, s->o.out,
           s->o.out);
}

/* sweep.json from the cells on disk, then the summary published as a set (outdir.h). */
static int sweep_publish(const sweep *sw, const sweep_opts *s, size_t reused, hx_outdir *od)
{
    char err[1024];
    sync(); /* the cells were written without an fsync each: make them durable at once */
    json_t *j = sweep_json(sw, s, reused, err, sizeof err);
    if (!j) {
        fprintf(stderr, "theorycheck: sweep: %s\n", err);
        return HX_EXIT_INTERNAL;
    }
    hx_sweep_summary job = {.sweep = j, .no_plots = s->o.no_plots};
    int rc = hx_outdir_publish(od, hx_sweep_summary_write, &job);
    if (rc == 0)
        summary_print(sw, s, reused, j);
    json_decref(j);
    return rc;
}

/* ---- --refine ---------------------------------------------------------------------------- */

/* Up to --refine passes: midpoints between neighbouring cells decided differently, then the
 * new cells (the old ones are reused through their keys). 0, or an exit code. */
static int refine_cells(sweep *sw, const sweep_opts *s)
{
    char err[1024];
    size_t reused = 0; /* "reused" reports the first pass: these are this run's own cells */
    for (size_t r = 0; r < s->refine; r++) {
        signed char *cls = cell_classes(sw, s, err, sizeof err);
        size_t added = 0;
        int rc = cls ? hx_grid_refine(&sw->grid, cls, &added) : -1;
        free(cls);
        if (rc || added == 0) {
            if (rc)
                fprintf(stderr, "theorycheck: sweep: --refine: %s\n", cls ? "out of memory" : err);
            return rc ? HX_EXIT_INTERNAL : 0;
        }
        if (hx_grid_finish(&sw->grid, false, s->max_cells, err, sizeof err)) {
            fprintf(stderr, "theorycheck: sweep: --refine pass %zu: %s (the cells so far are "
                            "kept; rerun with a larger --max-cells to go on)\n", r + 1, err);
            return HX_EXIT_USAGE;
        }
        if (run_cells(sw, s, &reused, err, sizeof err)) {
            fprintf(stderr, "theorycheck: sweep: %s\n", err);
            return HX_EXIT_INTERNAL;
        }
    }
    return 0;
}

/* The cells, the --refine passes, then the summary; the --out lock held throughout. */
static int sweep_run(sweep *sw, const sweep_opts *s)
{
    hx_outdir od;
    if (hx_outdir_open_sweep(&od, s->o.out) != 0) {
        hx_outdir_close(&od);
        return HX_EXIT_USAGE;
    }
    char err[1024];
    size_t reused = 0;
    int rc;
    if (run_cells(sw, s, &reused, err, sizeof err)) {
        fprintf(stderr, "theorycheck: sweep: %s\n", err);
        rc = HX_EXIT_INTERNAL;
    } else if ((rc = refine_cells(sw, s)) == 0) {
        rc = sweep_publish(sw, s, reused, &od);
    }
    hx_outdir_close(&od);
    return rc;
}

int hx_cmd_sweep(int argc, char **argv)
{
    sweep_opts s = {0};
    sweep sw = {0};
    hx_plan base = {0};
    int rc = HX_EXIT_USAGE;
    int parsed = split_args(&s, argc, argv);
    if (parsed == 0 && s.all)
        rc = hx_seeds_run(&s.o, s.seeds);
    else if (parsed == 0 && sweep_setup(&sw, &s, &base) == 0)
        rc = sweep_run(&sw, &s);
    hx_grid_free(&sw.grid);
    free(sw.seeds);
    hx_plan_free(&base);
    hx_run_options_free(&s.o);
    free(s.grids);
    return rc;
}
