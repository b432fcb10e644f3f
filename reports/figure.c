/* reports/figure.c — one figure from its plot record: check the curves' data, run gnuplot,
 * publish figures/<name>.svg and .png atomically.
 *
 * A plot record (claims[i].plots[j]) names its output base ("file", e.g. figures/x-gap) and
 * its curves (CSV file and columns). Every problem that concerns one figure — a missing CSV
 * or column, a curve with no drawable point, a gnuplot error — becomes a note on the figure
 * and leaves the rest of the report intact. gnuplot writes to temporary names; both files are
 * fsync'ed and renamed only when both were drawn, so a half-drawn figure never appears.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/figformat.h"
#include "reports/report.h"

/* A figure of a few thousand points takes well under a second; a minute means gnuplot hangs. */
#define REP_GNUPLOT_TIMEOUT_S 60.0

static char *xstrdup(const char *s)
{
    return strdup(s ? s : "");
}

void rep_figset_free(rep_figset *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        rep_fig *f = &fs->v[i];
        free(f->name);
        free(f->title);
        free(f->svg);
        free(f->png);
        for (size_t k = 0; k < f->nfiles; k++)
            free(f->files[k]);
        free(f->note);
    }
    free(fs->v);
    free(fs->global_note);
    memset(fs, 0, sizeof *fs);
}

size_t rep_figset_ndrawn(const rep_figset *fs)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++)
        n += fs->v[i].drawn != 0;
    return n;
}

/* Output base for a plot: its "file" member when it is a safe relative path (an extension
 * .svg/.png is dropped), else figures/<claim>-<name>. */
char *rep_figure_base(const char *id, const json_t *plot, const char *name)
{
    const char *file = rep_jstr(plot, "file", NULL);
    cm_buf b = {0};
    if (file && rep_path_safe(file)) {
        size_t n = strlen(file);
        if (n > 4 && (strcmp(file + n - 4, ".svg") == 0 || strcmp(file + n - 4, ".png") == 0))
            n -= 4;
        cm_buf_putn(&b, file, n);
    } else {
        cm_buf_printf(&b, "figures/%s-%s", id, name);
    }
    if (b.oom) {
        cm_buf_free(&b);
        return NULL;
    }
    return b.s;
}

static char *with_ext(const char *base, const char *ext)
{
    size_t n = strlen(base) + strlen(ext) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", base, ext);
    return s;
}

int rep_figset_collect(rep_figset *fs, const json_t *results)
{
    const json_t *claims = rep_jarr(results, "claims");
    for (size_t i = 0; i < json_array_size(claims); i++) {
        const json_t *claim = json_array_get(claims, i);
        const char *id = rep_jstr(claim, "id", "claim");
        const json_t *plots = rep_claim_plots(claim);
        for (size_t j = 0; j < json_array_size(plots); j++) {
            const json_t *plot = json_array_get(plots, j);
            if (fs->n == fs->cap) {
                size_t cap = fs->cap ? 2 * fs->cap : 16;
                rep_fig *v = realloc(fs->v, cap * sizeof *v);
                if (!v)
                    return -1;
                fs->v = v;
                fs->cap = cap;
            }
            rep_fig *f = &fs->v[fs->n];
            memset(f, 0, sizeof *f);
            fs->n++;
            char fallback[32];
            snprintf(fallback, sizeof fallback, "plot%zu", j + 1);
            f->claim = (int)i;
            f->name = xstrdup(rep_jstr(plot, "name", fallback));
            f->title = xstrdup(rep_jstr(plot, "title", f->name ? f->name : ""));
            char *base = f->name ? rep_figure_base(id, plot, f->name) : NULL;
            unsigned fmts = rep_ff_get();
            f->nfiles = base ? rep_ff_files(fmts, base, f->files) : 0;
            f->svg = base && (fmts & REP_FF_SVG) ? with_ext(base, ".svg") : NULL;
            f->png = base && (fmts & REP_FF_PNG) ? with_ext(base, ".png") : NULL;
            free(base);
            if (!f->name || !f->title || f->nfiles == 0 || ((fmts & REP_FF_SVG) && !f->svg) ||
                ((fmts & REP_FF_PNG) && !f->png))
                return -1;
            if (!rep_path_safe(f->files[0]))
                f->note = xstrdup("not drawn: unsafe figure path in results.json");
        }
    }
    return 0;
}

/* Append "; " + printf text to *note. */
static void note_add(char **note, const char *fmt, ...)
{
    cm_buf b = {0};
    if (*note && **note)
        cm_buf_printf(&b, "%s; ", *note);
    va_list ap;
    va_start(ap, fmt);
    cm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.oom) {
        cm_buf_free(&b);
        return;
    }
    free(*note);
    *note = b.s;
}

/* Fill curve c from its record; on a problem add a note and return -1. */
static int curve_prepare(const char *outdir, const rep_plotspec *ps, const json_t *rec,
                         rep_curve *c, char **note)
{
    memset(c, 0, sizeof *c);
    c->ie = -1;
    c->label = rep_jstr(rec, "label", "");
    c->style = rep_jstr(rec, "style", "lines");
    c->x = rep_jstr(rec, "x", NULL);
    c->y = rep_jstr(rec, "y", NULL);
    c->yerr = strcmp(c->style, "errorbars") == 0 ? rep_jstr(rec, "yerr", NULL) : NULL;
    const char *data = rep_jstr(rec, "data", NULL);
    const char *who = *c->label ? c->label : (c->y ? c->y : "?");
    if (!data || !rep_path_safe(data) || !c->x || !c->y) {
        note_add(note, "curve '%s' left out: no valid data file or columns in the record", who);
        return -1;
    }
    if (strcmp(c->style, "errorbars") == 0 && !c->yerr) {
        note_add(note, "curve '%s': style errorbars without a yerr column, drawn as points", who);
        c->style = "points";
    }
    c->path = cm_join(outdir, data);
    char err[512];
    if (!c->path || cm_csv_read(c->path, CM_CSV_HEADER, &c->csv, err, sizeof err) != 0) {
        /* Name the file as the record does (data/x.csv), not with the output directory. */
        const char *at = c->path ? strstr(err, c->path) : NULL;
        if (!c->path)
            note_add(note, "curve '%s' left out: out of memory", who);
        else if (at)
            note_add(note, "curve '%s' left out: %.*s%s%s", who, (int)(at - err), err, data,
                     at + strlen(c->path));
        else
            note_add(note, "curve '%s' left out: %s", who, err);
        return -1;
    }
    const char *need[3] = {c->x, c->y, c->yerr};
    int *idx[3] = {&c->ix, &c->iy, &c->ie};
    for (int k = 0; k < 3; k++) {
        if (!need[k])
            continue;
        *idx[k] = cm_csv_col(&c->csv, need[k]);
        if (*idx[k] < 0) {
            note_add(note, "curve '%s' left out: no column '%s' in %s", who, need[k], data);
            return -1;
        }
    }
    double x, y;
    for (size_t i = 0; i < c->csv.nrows; i++)
        c->ndraw += (size_t)rep_point_drawable(ps, c, i, &x, &y);
    if (c->ndraw == 0) {
        note_add(note, "curve '%s' left out: no drawable point in %s (values not finite%s)", who,
                 data, ps->logx || ps->logy ? " or not positive on a log axis" : "");
        return -1;
    }
    return 0;
}

static void curve_free(rep_curve *c)
{
    cm_csv_free(&c->csv);
    free(c->path);
}

/* Temporary sibling of outdir/rel that keeps its extension (gnuplot's LaTeX terminals name
 * the graphic after the .tex): outdir/<rel without extension>.tmp.<pid>.<ext>. */
static char *tmp_name(const char *outdir, const char *rel)
{
    const char *dot = strrchr(rel, '.');
    const char *slash = strrchr(rel, '/');
    if (!dot || (slash && dot < slash))
        dot = rel + strlen(rel);
    cm_buf b = {0};
    cm_buf_printf(&b, "%s/%.*s.tmp.%ld%s", outdir, (int)(dot - rel), rel, (long)getpid(), dot);
    if (b.oom) {
        cm_buf_free(&b);
        return NULL;
    }
    return b.s;
}

/* Make the directory that will hold outdir/rel. */
static int make_parent(const char *outdir, const char *rel)
{
    char *full = cm_join(outdir, rel);
    if (!full)
        return -1;
    char *slash = strrchr(full, '/');
    *slash = '\0';
    int rc = cm_mkdirs(full);
    free(full);
    return rc;
}

/* The LaTeX text file's graphic is referred to by its final name (no directory). */
static int latex_fix(char *const *files, size_t nfiles, char *const *tmp)
{
    for (size_t k = 0; k < nfiles; k++) {
        size_t n = strlen(files[k]);
        if (n < 4 || strcmp(files[k] + n - 4, ".tex") != 0)
            continue;
        const char *slash = strrchr(files[k], '/');
        const char *name = slash ? slash + 1 : files[k];
        char stem[512];
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(name) - 4), name);
        return rep_ff_latex_fix(tmp[k], stem);
    }
    return 0;
}

/* Write every file or none: gnuplot draws to temporary names, which are renamed when all
 * were drawn. */
static int publish(char *const *files, size_t nfiles, char *const *tmp,
                   char *const *fin, char **note)
{
    for (size_t k = 0; k < nfiles; k++)
        if (!cm_file_nonempty(tmp[k])) {
            note_add(note, "not drawn: gnuplot produced an empty file (%s)", files[k]);
            return -1;
        }
    if (latex_fix(files, nfiles, tmp) != 0) {
        note_add(note, "not drawn: the LaTeX file names no graphic");
        return -1;
    }
    for (size_t k = 0; k < nfiles; k++)
        if (cm_fsync_path(tmp[k]) != 0) {
            note_add(note, "not drawn: cannot publish the figure: %s", strerror(errno));
            return -1;
        }
    for (size_t k = 0; k < nfiles; k++)
        if (rename(tmp[k], fin[k]) != 0) {
            note_add(note, "not drawn: cannot publish the figure: %s", strerror(errno));
            return -1;
        }
    return 0;
}

int rep_draw_script(const char *outdir, char *const *files, size_t nfiles, rep_script_fn build,
                    const void *user, char **note)
{
    char *tmp[REP_FF_MAXFILES] = {0}, *fin[REP_FF_MAXFILES] = {0};
    char *script = nfiles ? tmp_name(outdir, files[0]) : NULL;
    char *log = script ? strdup(script) : NULL;
    cm_buf b = {0};
    int rc = -1, ok = script && log && nfiles <= REP_FF_MAXFILES;
    char err[256] = "";
    if (script && log) { /* x.tmp.pid.svg -> x.tmp.pid.gp and .log */
        strcpy(strrchr(script, '.'), ".gp");
        strcpy(strrchr(log, '.'), ".log");
    }
    for (size_t k = 0; ok && k < nfiles; k++) {
        ok &= (tmp[k] = tmp_name(outdir, files[k])) != NULL;
        ok &= (fin[k] = cm_join(outdir, files[k])) != NULL;
    }
    if (!ok) {
        note_add(note, "not drawn: out of memory");
        goto done;
    }
    for (size_t k = 0; k < nfiles; k++)
        if (make_parent(outdir, files[k]) != 0) {
            note_add(note, "not drawn: cannot create the figure directory: %s",
                     strerror(errno));
            goto done;
        }
    build(&b, user, tmp);
    if (b.oom || cm_write_atomic(script, cm_buf_str(&b), b.len) != 0) {
        note_add(note, "not drawn: cannot write the gnuplot script");
        goto done;
    }
    int g = rep_gnuplot_run(script, log, REP_GNUPLOT_TIMEOUT_S, err, sizeof err);
    if (g == 1) {
        rc = 1;
        goto done;
    }
    if (g != 0)
        note_add(note, "not drawn: %s", err);
    else if (publish(files, nfiles, tmp, fin, note) == 0)
        rc = 0;
done:
    for (size_t k = 0; k < nfiles && k < REP_FF_MAXFILES; k++) {
        if (tmp[k])
            unlink(tmp[k]);
        free(tmp[k]);
        free(fin[k]);
    }
    if (script)
        unlink(script);
    if (log)
        unlink(log);
    free(script);
    free(log);
    cm_buf_free(&b);
    return rc;
}

static void one_plot_script(cm_buf *b, const void *ps, char *const *tmp)
{
    rep_ff_script(b, ps, rep_ff_get(), tmp);
}

/* 1 = gnuplot not found, 0 otherwise (fig->drawn, or a note). */
static int draw_files(const char *outdir, const rep_plotspec *ps, rep_fig *fig)
{
    int rc = rep_draw_script(outdir, fig->files, fig->nfiles, one_plot_script, ps, &fig->note);
    fig->drawn = rc == 0;
    return rc == 1;
}

void rep_plotspec_free(rep_plotspec *ps)
{
    for (size_t k = 0; k < ps->ncurves; k++)
        curve_free(&ps->curves[k]);
    free(ps->curves);
    memset(ps, 0, sizeof *ps);
}

size_t rep_plotspec_load(const char *outdir, const json_t *plot, const char *name,
                         rep_plotspec *ps, char **note)
{
    memset(ps, 0, sizeof *ps);
    ps->title = rep_jstr(plot, "title", name);
    ps->xlabel = rep_jstr(plot, "xlabel", "");
    ps->ylabel = rep_jstr(plot, "ylabel", "");
    ps->logx = json_is_true(json_object_get(plot, "logx"));
    ps->logy = json_is_true(json_object_get(plot, "logy"));
    const json_t *curves = rep_jarr(plot, "curves");
    size_t n = json_array_size(curves);
    ps->curves = calloc(n ? n : 1, sizeof *ps->curves);
    if (!ps->curves) {
        note_add(note, "not drawn: out of memory");
        return 0;
    }
    for (size_t k = 0; k < n; k++) {
        rep_curve *c = &ps->curves[ps->ncurves];
        if (curve_prepare(outdir, ps, json_array_get(curves, k), c, note) == 0)
            ps->ncurves++;
        else
            curve_free(c);
    }
    if (ps->ncurves)
        rep_plot_ranges(ps);
    return ps->ncurves;
}

int rep_figure_draw(const char *outdir, const json_t *plot, rep_fig *fig, int draw)
{
    if (fig->note)
        return 0; /* already rejected when collected */
    rep_plotspec ps;
    int rc = 0;
    if (rep_plotspec_load(outdir, plot, fig->name, &ps, &fig->note) == 0) {
        if (!ps.curves) {
            /* out of memory: noted */
        } else if (fig->note) {
            char *why = fig->note;
            fig->note = NULL;
            note_add(&fig->note, "not drawn: no drawable data (%s)", why);
            free(why);
        } else {
            note_add(&fig->note, "not drawn: the plot has no curves");
        }
    } else if (draw) {
        rc = draw_files(outdir, &ps, fig);
    }
    rep_plotspec_free(&ps);
    return rc;
}
