/* harness/merge.c — `theorycheck merge DIR... --out DIR [--partial]` (see merge.h).
 *
 * Workload: a few to a few hundred shard directories of one sweep (a Slurm array), up to
 * --max-cells cells. Everything is read and checked before anything is written: the headers
 * agree, every cell is present (or --partial), every listed record loads. Then the records are
 * linked into OUT/cells (each cell's results.json last, as `sweep` writes them, so a merge
 * killed half-way leaves cells that `sweep` simply reruns) and OUT/sweep.json is written
 * atomically, last.
 */
#include "harness/merge.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic.h"
#include "common/buf.h"
#include "harness/cli.h"
#include "harness/exitcodes.h"
#include "harness/grid.h"
#include "harness/outdir.h"
#include "harness/sweep.h"
#include "reports/report.h"
#include "theorems/registry.h"

#define MERGE_MAX_CELLS 1000000 /* the largest --max-cells a sweep accepts */
#define MERGE_LIST_MAX 40       /* missing cells named in the message before "..." */

typedef struct {
    const char **dirs; /* the shard directories, in command-line order */
    size_t ndirs;
    const char *out;
    bool partial, no_plots;
} merge_opts;

typedef struct {
    const json_t *cell; /* the first shard's entry for this index, NULL: missing */
    const char *dir;    /* that shard's directory */
} merge_slot;

static int merge_usage(const char *fmt, const char *a)
{
    return hx_cli_usage("theorycheck: merge", fmt, a);
}

enum { MERGE_OUT = 1000, MERGE_PARTIAL, MERGE_NO_PLOTS };

static const struct option merge_options[] = {
    {"out", required_argument, NULL, MERGE_OUT},
    {"partial", no_argument, NULL, MERGE_PARTIAL},
    {"no-plots", no_argument, NULL, MERGE_NO_PLOTS},
    {NULL, 0, NULL, 0}};

static int merge_option(void *user, int opt, const char *arg)
{
    merge_opts *m = user;
    if (opt == 1)
        m->dirs[m->ndirs++] = arg;
    else if (opt == MERGE_OUT)
        m->out = arg;
    else if (opt == MERGE_PARTIAL)
        m->partial = true;
    else
        m->no_plots = true;
    return 0;
}

static int merge_args(merge_opts *m, int argc, char **argv)
{
    m->dirs = calloc((size_t)argc, sizeof *m->dirs);
    if (!m->dirs)
        return merge_usage("%sout of memory", "");
    static const hx_cli_text text = {"theorycheck: merge", "a value",
                                     HX_CLI_HINT};
    if (hx_cli_parse(argc, argv, 2, merge_options, merge_option, m, &text))
        return -1;
    if (m->ndirs == 0)
        return merge_usage("needs at least one sweep directory%s", "");
    if (!m->out || !*m->out)
        return merge_usage("needs --out DIR%s", "");
    return 0;
}

/* ---- pure helpers (unit-tested) ------------------------------------------------------- */

const char *hx_merge_differs(const json_t *a, const json_t *b)
{
    /* Everything that decides which cell-seeds a sweep runs and what they compute. */
    static const char *const fields[] = {"schema", "version", "claim", "expect", "profile",
                                         "seed",   "seeds",   "axes",  "zip",    "ncells"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const json_t *x = json_object_get(a, fields[i]), *y = json_object_get(b, fields[i]);
        if (!x || !y || !json_equal(x, y))
            return fields[i];
    }
    const json_t *sa = json_object_get(a, "shard"), *sb = json_object_get(b, "shard");
    if (json_is_object(sa) && json_is_object(sb) &&
        !json_equal(json_object_get(sa, "n"), json_object_get(sb, "n")))
        return "shard.n";
    return NULL;
}

json_t *hx_merge_cell_params(const json_t *axes, bool zip, size_t index)
{
    size_t naxes = json_array_size(axes), rest = index;
    if (naxes == 0)
        return NULL;
    json_t *params = json_object();
    /* Build last axis first (it varies fastest), then reinsert in axis order. */
    size_t coord[HX_GRID_MAX_AXES];
    if (naxes > HX_GRID_MAX_AXES) {
        json_decref(params);
        return NULL;
    }
    for (size_t a = naxes; a-- > 0;) {
        size_t len = json_array_size(json_object_get(json_array_get(axes, a), "values"));
        if (len == 0 || (zip && index >= len)) {
            json_decref(params);
            return NULL;
        }
        coord[a] = zip ? index : rest % len;
        rest = zip ? 0 : rest / len;
    }
    if (rest) {
        json_decref(params);
        return NULL;
    }
    for (size_t a = 0; a < naxes; a++) {
        const json_t *ax = json_array_get(axes, a);
        const char *name = json_string_value(json_object_get(ax, "param"));
        if (!name) {
            json_decref(params);
            return NULL;
        }
        json_object_set(params, name, json_array_get(json_object_get(ax, "values"), coord[a]));
    }
    return params;
}

bool hx_merge_record_path_ok(const char *rel)
{
    static const char pre[] = "cells/", post[] = "/results.json";
    size_t n = rel ? strlen(rel) : 0, lp = sizeof pre - 1, lq = sizeof post - 1;
    if (n <= lp + lq || strncmp(rel, pre, lp) != 0 || strcmp(rel + n - lq, post) != 0)
        return false;
    size_t ln = n - lp - lq;
    const char *name = rel + lp;
    if (memchr(name, '/', ln) || (ln == 1 && name[0] == '.') ||
        (ln == 2 && name[0] == '.' && name[1] == '.'))
        return false;
    return true;
}

/* Is line (length n) one that varies within a sweep: the seed, or a swept parameter? */
static bool key_line_varies(const char *line, size_t n, const json_t *axes)
{
    if (n >= 5 && strncmp(line, "seed=", 5) == 0)
        return true;
    size_t i;
    const json_t *ax;
    json_array_foreach(axes, i, ax) {
        const char *p = json_string_value(json_object_get(ax, "param"));
        size_t lp = p ? strlen(p) : 0;
        if (p && n > 6 + lp && strncmp(line, "param ", 6) == 0 &&
            strncmp(line + 6, p, lp) == 0 && line[6 + lp] == '=')
            return true;
    }
    return false;
}

/* The next line of *s that does not vary within a sweep; its length in *n. NULL at the end. */
static const char *key_next(const char **s, size_t *n, const json_t *axes)
{
    while (**s) {
        const char *line = *s;
        *n = strcspn(line, "\n");
        *s = line + *n + (line[*n] == '\n');
        if (!key_line_varies(line, *n, axes))
            return line;
    }
    return NULL;
}

const char *hx_merge_key_differs(const char *key_a, const char *key_b, const json_t *axes,
                                 char *field, size_t len)
{
    const char *a = key_a, *b = key_b;
    for (;;) {
        size_t na = 0, nb = 0;
        const char *la = key_next(&a, &na, axes), *lb = key_next(&b, &nb, axes);
        if (!la && !lb)
            return NULL;
        if (la && lb && na == nb && memcmp(la, lb, na) == 0)
            continue;
        const char *l = la ? la : lb;
        size_t n = la ? na : nb, name = strcspn(l, "=");
        snprintf(field, len, "%.*s", (int)(name < n ? name : n), l);
        return field;
    }
}

/* ---- reading the shards --------------------------------------------------------------- */

static json_t *merge_load(const char *dir)
{
    char path[4096];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    json_t *j = json_load_file(path, 0, &jerr);
    const char *schema = json_string_value(json_object_get(j, "schema"));
    if (!j)
        fprintf(stderr, "theorycheck: merge: %s: %s\n", path, jerr.text);
    else if (!schema || strcmp(schema, HX_SWEEP_SCHEMA) != 0 ||
             !json_is_array(json_object_get(j, "cells")) ||
             !json_is_integer(json_object_get(j, "ncells")))
        fprintf(stderr, "theorycheck: merge: %s is not a %s record\n", path, HX_SWEEP_SCHEMA);
    else
        return j;
    json_decref(j);
    return NULL;
}

/* Load every shard and check they are one sweep. 0, or -1 after one message. */
static int merge_load_all(const merge_opts *m, json_t **sweeps)
{
    for (size_t i = 0; i < m->ndirs; i++) {
        if (!(sweeps[i] = merge_load(m->dirs[i])))
            return -1;
        const char *field = i ? hx_merge_differs(sweeps[0], sweeps[i]) : NULL;
        if (field) {
            fprintf(stderr,
                    "theorycheck: merge: %s and %s belong to different sweeps: field '%s' "
                    "differs\n",
                    m->dirs[0], m->dirs[i], field);
            return -1;
        }
    }
    json_int_t n = json_integer_value(json_object_get(sweeps[0], "ncells"));
    if (n < 1 || n > MERGE_MAX_CELLS) {
        fprintf(stderr, "theorycheck: merge: %s/sweep.json: ncells %lld out of range\n",
                m->dirs[0], (long long)n);
        return -1;
    }
    return 0;
}

/* Every cell's first present entry across the shards, in slots[0 .. ncells). */
static int merge_collect(const merge_opts *m, json_t **sweeps, merge_slot *slots, size_t ncells)
{
    for (size_t i = 0; i < m->ndirs; i++) {
        const json_t *cells = json_object_get(sweeps[i], "cells"), *c;
        size_t k;
        json_array_foreach(cells, k, c) {
            json_int_t idx = json_integer_value(json_object_get(c, "index"));
            if (!json_is_integer(json_object_get(c, "index")) || idx < 0 ||
                (size_t)idx >= ncells) {
                fprintf(stderr, "theorycheck: merge: %s/sweep.json: cell %zu has a bad index\n",
                        m->dirs[i], k);
                return -1;
            }
            if (!json_is_true(json_object_get(c, "missing")) && !slots[idx].cell) {
                slots[idx].cell = c;
                slots[idx].dir = m->dirs[i];
            }
        }
    }
    return 0;
}

/* key.txt of the first record of the first cell of shard i, or NULL (no cells). */
static char *merge_first_key(const char *dir, const json_t *sweep)
{
    const json_t *cells = json_object_get(sweep, "cells"), *c;
    size_t k;
    json_array_foreach(cells, k, c) {
        const char *rel = json_string_value(json_array_get(json_object_get(c, "records"), 0));
        if (json_is_true(json_object_get(c, "missing")) || !hx_merge_record_path_ok(rel))
            continue;
        char path[4096];
        size_t len;
        snprintf(path, sizeof path, "%s/%.*s/key.txt", dir,
                 (int)(strlen(rel) - strlen("/results.json")), rel);
        return cm_read_file(path, &len);
    }
    return NULL;
}

/* Shards run with different --set, --config or --data have the same sweep.json header; their
 * records' keys tell them apart. 0, or -1 after a message naming the field. */
static int merge_check_keys(const merge_opts *m, json_t **sweeps)
{
    char *first = NULL, field[256];
    size_t from = 0;
    int rc = 0;
    const json_t *axes = json_object_get(sweeps[0], "axes");
    for (size_t i = 0; i < m->ndirs && rc == 0; i++) {
        char *key = merge_first_key(m->dirs[i], sweeps[i]);
        if (!first) {
            first = key;
            from = i;
            continue;
        }
        if (key && hx_merge_key_differs(first, key, axes, field, sizeof field)) {
            fprintf(stderr,
                    "theorycheck: merge: %s and %s belong to different sweeps: field '%s' "
                    "differs (--set, --config or --data)\n",
                    m->dirs[from], m->dirs[i], field);
            rc = -1;
        }
        free(key);
    }
    free(first);
    return rc;
}

/* The missing indices, "1, 4, 7" (the first MERGE_LIST_MAX), and their count. */
static size_t merge_missing(const merge_slot *slots, size_t ncells, cm_buf *list)
{
    size_t n = 0;
    for (size_t c = 0; c < ncells; c++) {
        if (slots[c].cell)
            continue;
        if (n < MERGE_LIST_MAX)
            cm_buf_printf(list, "%s%zu", n ? ", " : "", c);
        else if (n == MERGE_LIST_MAX)
            cm_buf_puts(list, ", ...");
        n++;
    }
    return n;
}

/* ---- the merged sweep.json ------------------------------------------------------------ */

/* Cell c rebuilt from the records its shard lists. */
static json_t *merge_cell(const tc_claim *claim, const merge_slot *s, size_t c, json_t *summary,
                          char *err, size_t errlen)
{
    const json_t *recs = json_object_get(s->cell, "records");
    size_t n = json_array_size(recs);
    const char **paths = calloc(n ? n : 1, sizeof *paths);
    if (!paths) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        paths[k] = json_string_value(json_array_get(recs, k));
        if (!hx_merge_record_path_ok(paths[k])) {
            snprintf(err, errlen, "%.900s/sweep.json: cell %zu lists a bad record path", s->dir,
                     c);
            free(paths);
            return NULL;
        }
    }
    /* The declared hypothesis as the shard evaluated it (at its own resolved values). */
    const json_t *h = json_object_get(s->cell, "hypothesis");
    const char *why = json_string_value(json_object_get(s->cell, "hypothesis_why"));
    json_t *cj = hx_sweep_cell_build(claim, c, json_object_get(s->cell, "params"),
                                     json_is_boolean(h) ? json_is_true(h) : -1, why ? why : "",
                                     s->dir, paths, n, summary, err, errlen);
    free(paths);
    return cj;
}

static json_t *merge_json(const json_t *head, const merge_slot *slots, size_t ncells,
                          char *err, size_t errlen)
{
    const char *id = json_string_value(json_object_get(head, "claim"));
    const tc_claim *claim = id ? tc_registry_find(id) : NULL;
    if (!claim) {
        snprintf(err, errlen, "unknown claim '%.200s' in sweep.json", id ? id : "");
        return NULL;
    }
    json_t *cells = json_array(), *summary = hx_sweep_summary_new();
    size_t missing = 0;
    for (size_t c = 0; c < ncells; c++) {
        json_t *cj = NULL;
        if (slots[c].cell)
            cj = merge_cell(claim, &slots[c], c, summary, err, errlen);
        else if ((cj = hx_merge_cell_params(json_object_get(head, "axes"),
                                            json_is_true(json_object_get(head, "zip")), c)))
            cj = json_pack("{s:I, s:o, s:b}", "index", (json_int_t)c, "params", cj, "missing", 1);
        else
            snprintf(err, errlen, "sweep.json: cell %zu is outside its axes", c);
        missing += !slots[c].cell;
        if (!cj || json_array_append_new(cells, cj)) {
            json_decref(cells);
            json_decref(summary);
            return NULL;
        }
    }
    json_object_set_new(summary, "cells", json_integer((json_int_t)(ncells - missing)));
    /* The declared boundary is computed over the whole grid by every shard: take it as is.
     * A claim without a hypothesis has a null count (no cell added to it). */
    const json_t *hsum = json_object_get(head, "summary");
    if (!json_object_get(summary, "hypothesis_disagree"))
        json_object_set_new(summary, "hypothesis_disagree", json_null());
    const json_t *boundary = json_object_get(hsum, "hypothesis_boundary");
    json_object_set_new(summary, "hypothesis_boundary",
                        boundary ? json_deep_copy(boundary) : json_null());
    if (missing)
        json_object_set_new(summary, "missing", json_integer((json_int_t)missing));
    json_t *out = json_deep_copy(head);
    json_object_set_new(out, "shard", json_null());
    json_object_set_new(out, "cells", cells);
    json_object_set_new(out, "reused", json_integer(0));
    json_object_set_new(out, "summary", summary);
    return out;
}

/* ---- copying the records -------------------------------------------------------------- */

/* dst becomes src's content: a hard link when the file system allows, else a copy; through a
 * temporary name and rename, so dst is never half-written. Already the same file: nothing. */
static int merge_copy_file(const char *src, const char *dst, char *err, size_t errlen)
{
    struct stat a, b;
    if (stat(src, &a) == 0 && stat(dst, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return 0;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", dst, (long)getpid());
    unlink(tmp);
    int rc = link(src, tmp) == 0 ? rename(tmp, dst) : -1;
    if (rc) {
        unlink(tmp);
        size_t len;
        char *bytes = cm_read_file(src, &len);
        rc = bytes ? cm_write_atomic(dst, bytes, len) : -1;
        free(bytes);
    }
    if (rc)
        snprintf(err, errlen, "cannot copy %.900s to %.900s: %s", src, dst, strerror(errno));
    return rc;
}

/* Copy the directory tree src to dst; at each level results.json goes last. */
static int merge_copy_tree(const char *src, const char *dst, char *err, size_t errlen)
{
    DIR *d = cm_mkdirs(dst) == 0 ? opendir(src) : NULL;
    if (!d) {
        snprintf(err, errlen, "cannot copy %.900s to %.900s: %s", src, dst, strerror(errno));
        return -1;
    }
    int rc = 0;
    bool has_results = false;
    struct dirent *e;
    char s[4096], t[4096];
    while (rc == 0 && (e = readdir(d))) {
        struct stat st;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(s, sizeof s, "%.2000s/%.1000s", src, e->d_name);
        snprintf(t, sizeof t, "%.2000s/%.1000s", dst, e->d_name);
        if (lstat(s, &st) != 0 || strstr(e->d_name, ".tmp."))
            continue; /* vanished, or an interrupted writer's temporary */
        if (strcmp(e->d_name, "results.json") == 0)
            has_results = true;
        else if (S_ISDIR(st.st_mode))
            rc = merge_copy_tree(s, t, err, errlen);
        else if (S_ISREG(st.st_mode))
            rc = merge_copy_file(s, t, err, errlen);
    }
    closedir(d);
    if (rc == 0 && has_results) {
        snprintf(s, sizeof s, "%.2000s/results.json", src);
        snprintf(t, sizeof t, "%.2000s/results.json", dst);
        rc = merge_copy_file(s, t, err, errlen);
    }
    return rc;
}

/* Every record listed by the merged cells, from the shard that listed it into OUT/cells. */
static int merge_copy_records(const merge_opts *m, const merge_slot *slots, size_t ncells,
                              char *err, size_t errlen)
{
    for (size_t c = 0; c < ncells; c++) {
        const json_t *recs = json_object_get(slots[c].cell, "records");
        for (size_t k = 0; k < json_array_size(recs); k++) {
            const char *rel = json_string_value(json_array_get(recs, k));
            /* rel is "cells/NAME/results.json" (checked): its directory is the cell-seed. */
            size_t dl = strlen(rel) - strlen("/results.json");
            char src[4096], dst[4096];
            snprintf(src, sizeof src, "%.2000s/%.*s", slots[c].dir, (int)dl, rel);
            snprintf(dst, sizeof dst, "%.2000s/%.*s", m->out, (int)dl, rel);
            if (merge_copy_tree(src, dst, err, errlen))
                return -1;
        }
    }
    return 0;
}

/* ---- the command ---------------------------------------------------------------------- */

/* The cells into --out (each whole or absent: results.json last), then the summary
 * published as a set (harness/outdir.h), all under the --out lock. */
static int merge_write(const merge_opts *m, const merge_slot *slots, size_t ncells,
                       const json_t *merged)
{
    char err[2048];
    hx_outdir od;
    if (hx_outdir_open_sweep(&od, m->out) != 0) {
        hx_outdir_close(&od);
        return HX_EXIT_USAGE;
    }
    int rc = merge_copy_records(m, slots, ncells, err, sizeof err);
    if (rc)
        fprintf(stderr, "theorycheck: merge: %s\n", err);
    hx_sweep_summary job = {.sweep = merged, .no_plots = m->no_plots};
    rc = rc ? HX_EXIT_INTERNAL : hx_outdir_publish(&od, hx_sweep_summary_write, &job);
    hx_outdir_close(&od);
    if (rc)
        return rc;
    const json_t *sum = json_object_get(merged, "summary");
    printf("merge %s: %zu directories, %lld of %zu cells: holds everywhere %lld, refuted "
           "everywhere %lld, seed-dependent %lld, undecided %lld\nrecord: %s/sweep.json\n",
           json_string_value(json_object_get(merged, "claim")), m->ndirs,
           (long long)json_integer_value(json_object_get(sum, "cells")), ncells,
           (long long)json_integer_value(json_object_get(sum, "holds_everywhere")),
           (long long)json_integer_value(json_object_get(sum, "refuted_everywhere")),
           (long long)json_integer_value(json_object_get(sum, "seed_dependent")),
           (long long)json_integer_value(json_object_get(sum, "undecided")), m->out);
    return HX_EXIT_OK;
}

/* Checked shards -> merged sweep.json (or the reason not), then the files. */
static int merge_run(const merge_opts *m, json_t **sweeps)
{
    size_t ncells = (size_t)json_integer_value(json_object_get(sweeps[0], "ncells"));
    merge_slot *slots = calloc(ncells, sizeof *slots);
    cm_buf list = {0};
    char err[2048];
    int rc = HX_EXIT_USAGE;
    json_t *merged = NULL;
    if (!slots || merge_check_keys(m, sweeps) || merge_collect(m, sweeps, slots, ncells))
        goto done;
    size_t missing = merge_missing(slots, ncells, &list);
    if (missing && !m->partial) {
        fprintf(stderr,
                "theorycheck: merge: %zu of %zu cells missing (no shard has them): %s\n"
                "nothing written; add the missing shards, or --partial to write the map with "
                "holes\n",
                missing, ncells, cm_buf_str(&list));
        goto done;
    }
    if (missing)
        fprintf(stderr, "theorycheck: merge: --partial: %zu of %zu cells missing: %s\n", missing,
                ncells, cm_buf_str(&list));
    if (!(merged = merge_json(sweeps[0], slots, ncells, err, sizeof err))) {
        fprintf(stderr, "theorycheck: merge: %s\n", err);
        goto done;
    }
    rc = merge_write(m, slots, ncells, merged);
done:
    json_decref(merged);
    cm_buf_free(&list);
    free(slots);
    return rc;
}

int hx_cmd_merge(int argc, char **argv)
{
    merge_opts m = {0};
    json_t **sweeps = NULL;
    int rc = HX_EXIT_USAGE;
    if (merge_args(&m, argc, argv) == 0 && (sweeps = calloc(m.ndirs, sizeof *sweeps)) &&
        merge_load_all(&m, sweeps) == 0)
        rc = merge_run(&m, sweeps);
    for (size_t i = 0; sweeps && i < m.ndirs; i++)
        json_decref(sweeps[i]);
    free(sweeps);
    free(m.dirs);
    return rc;
}
