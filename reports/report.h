/* reports/report.h — result records -> report.md, report.html and gnuplot figures.
 *
 * Everything here is rendered from the parsed results.json object and the series CSV files
 * under the output directory (data/<claim>-<series>.csv), so `theorycheck report DIR`
 * reproduces the reports of a run exactly. Workload: tens of claims, a few plots each, series of at most a few
 * thousand rows; one gnuplot process per figure.
 *
 * The functions above the "internal" banner are the public interface (called by the harness). The section
 * "internal" below is shared by the files of reports/ and by tests/unit/test_reports.c only.
 */
#ifndef TC_REPORT_H
#define TC_REPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "common/atomic.h"
#include "common/buf.h"
#include "common/csv.h"
#include "common/escape.h"

/* Render report.md, report.html and (unless no_plots) figures/<name>.svg and .png for every plot
 * of every claim in `results` (the parsed results.json object), reading the series CSV files under
 * `outdir`. Returns 0 on success; on failure returns -1 and writes a one-line message to err.
 * Figures that cannot be drawn because gnuplot is missing are not an error: the function notes
 * it in the reports ("figures not drawn: gnuplot not found") and returns 0.
 * A figure that cannot be drawn for another reason (missing CSV or column, no drawable point,
 * gnuplot failure) is noted in both reports and is not an error either. The gnuplot program is
 * `gnuplot` on PATH, or the program named by the environment variable THEORYCHECK_GNUPLOT. */
int rep_render_all(const char *outdir, const json_t *results, int no_plots, char *err, size_t errlen);
/* The family of a claim id (for junit.xml's classname), or NULL if unknown. */
typedef const char *(*rep_family_fn)(const char *id);
/* junit.xml of a record (malloc'd text, NULL when out of memory): one testcase per claim,
 * classname "theorycheck.<family_of(id)>"; fail and xpass are failures, error an error, skip
 * skipped. Rendered from the record alone, so `report DIR` rebuilds it. */
char *rep_junit_render(const json_t *record, rep_family_fn family_of);
/* How report.html names a claim's family, for its family filter (reports/ cannot see the
 * registry): the harness sets it once at start; unset, every claim's family is "" and the
 * filter offers "all" only. */
void rep_set_family_of(rep_family_fn family_of);
/* The terminal verdict table of a record: claim, expect, verdict, seconds, two key metrics,
 * the reason under any verdict other than pass and xfail, then the verdict counts. */
void rep_table_print(FILE *f, const json_t *record);

/* Render a sweep directory from `sweep` (the parsed DIR/sweep.json, schema
 * theorycheck/sweep/v1) and the cell records it names: DIR/sweep.md, DIR/sweep.html (the
 * verdict map, then a sortable table of cells with links to each cell-seed's record),
 * DIR/data/sweep_cells.csv and, unless no_plots, figures/verdict_map.{svg,png,pdf}. Like
 * rep_render_all, a figure that cannot be drawn (gnuplot missing, nothing drawable) is a note
 * in both documents, not an error. Returns 0; -1 with a one-line message in err when sweep is
 * not a sweep record (the caller's exit 2) or a document cannot be written. */
int rep_sweep_render(const char *dir, const json_t *sweep, int no_plots, char *err,
                     size_t errlen);
/* Is `sweep` a theorycheck/sweep/v1 object with the members the renderer needs? 1 if so;
 * otherwise 0 and the reason in err. */
int rep_sweep_valid(const json_t *sweep, char *err, size_t errlen);

/* ======================================================================================== */
/* Internal to reports/ (and its unit test). Not part of the public contract.              */
/* ======================================================================================== */

/* The inline script that sorts every table.sortable of a page by the clicked column
 * (sweepdoc.c; sweep.html and report.html). */
extern const char rep_sort_js[];

/* ---- number and metric formatting (format.c) ---------------------------------------------- */
/* Shortest %.Ng (N = 1..17) that reads back as v; "nan", "inf", "-inf" otherwise. */
void rep_fmt_exact(cm_buf *b, double v);
/* Significant digits (>= `digits`, <= 17) needed so that a metric's value and threshold do not
 * read the same when they compare differently (0.99999 < 1 must not print as "1 < 1"). */
int rep_metric_digits(const json_t *metric, int digits);
/* Plain text "value op threshold" ("0.0123 ≤ 0.05", "3 ∈ [1, 4]", "0.5" for info metrics),
 * unescaped: the caller escapes it for its document. */
void rep_fmt_metric(cm_buf *b, const json_t *metric, int digits);
/* Comparison symbol for a metric op ("<=" -> "≤", "in" -> "∈", "info" -> ""). */
const char *rep_op_symbol(const char *op);
/* A metric value (number or null -> "null") and a threshold (number, null, [lo, hi]) as text. */
void rep_fmt_value(cm_buf *b, const json_t *value, int digits);
void rep_fmt_threshold(cm_buf *b, const json_t *threshold, int digits);

/* ---- results.json accessors (record.c) ---------------------------------------------------- */
/* Member `key` of `obj` as a string, or `dflt` if absent or not a string. */
const char *rep_jstr(const json_t *obj, const char *key, const char *dflt);
/* Member `key` as a number; NAN if absent or not a number. */
double rep_jnum(const json_t *obj, const char *key);
/* Member `key` as an array, or NULL. */
const json_t *rep_jarr(const json_t *obj, const char *key);
/* A relative path inside the output directory: not empty, not absolute, no ".." component,
 * no control characters. 1 if safe. */
int rep_path_safe(const char *rel);
/* Metric is checked (op not "info" and ok not null). */
int rep_metric_checked(const json_t *metric);
/* Metric failed its check (ok == false). */
int rep_metric_failed(const json_t *metric);

/* ---- gnuplot (gnuplot.c) ------------------------------------------------------------------ */
/* Program to run: $THEORYCHECK_GNUPLOT if set and non-empty, else "gnuplot". */
const char *rep_gnuplot_program(void);
/* Run `gnuplot --version`. 0 and the first output line in ver (e.g. "gnuplot 5.4 patchlevel 4")
 * if it runs; -1 if the program cannot be started (not installed). */
int rep_gnuplot_probe(char *ver, size_t verlen);
/* Run `gnuplot script_path` (stdin /dev/null); its stdout and stderr go to `log_path`. Kills it
 * after `timeout_s` seconds. 0 if it exited with status 0; 1 if it could not be started
 * (not found); -1 otherwise with gnuplot's error message (last line of its output) in err. */
int rep_gnuplot_run(const char *script_path, const char *log_path, double timeout_s,
                    char *err, size_t errlen);

/* ---- one plot ready to draw (figure.c fills it, gpscript.c writes the script) -------------- */
typedef struct {
    const char *label;      /* legend entry ("" = none) */
    const char *style;      /* lines|points|linespoints|errorbars|dashed */
    char *path;             /* outdir/data: the CSV gnuplot reads */
    const char *x, *y, *yerr; /* column names; yerr NULL unless style is errorbars */
    cm_csv csv;            /* the loaded CSV */
    int ix, iy, ie;         /* column indices in csv; ie = -1 without error bars */
    size_t ndraw;           /* rows gnuplot will draw (finite; positive on log axes) */
} rep_curve;

typedef struct {
    const char *title, *xlabel, *ylabel;
    int logx, logy;
    size_t ncurves;
    rep_curve *curves;      /* only drawable curves */
    double xmin, xmax, ymin, ymax; /* over drawable points; set by rep_plot_ranges */
} rep_plotspec;

/* Is row `row` of curve c drawable on the axes of ps? Stores x and y when it is. */
int rep_point_drawable(const rep_plotspec *ps, const rep_curve *c, size_t row, double *x,
                       double *y);
/* Data ranges of ps over its drawable points. */
void rep_plot_ranges(rep_plotspec *ps);
/* Legend corner ("top right", "top left", "bottom left", "bottom right") where the fewest
 * points fall, so the key hides as little data as possible. */
const char *rep_key_position(const rep_plotspec *ps);
/* The gnuplot script drawing ps to svg_out, then png_out (paths as gnuplot sees them). */
void rep_gp_script(cm_buf *b, const rep_plotspec *ps, const char *svg_out, const char *png_out);
/* Its two halves: the settings (reset, labels, axes, key, styles) and the plot command; with
 * `latex` the text is escaped for a LaTeX terminal and the fonts are left to the document. */
void rep_gp_setup(cm_buf *b, const rep_plotspec *ps, int latex);
void rep_gp_plot(cm_buf *b, const rep_plotspec *ps, int latex);
/* Load a plot record's drawable curves into ps (ranges set); problems are added to *note
 * ("; "-separated). Returns the number of drawable curves (0: nothing to draw). */
size_t rep_plotspec_load(const char *outdir, const json_t *plot, const char *name,
                         rep_plotspec *ps, char **note);
void rep_plotspec_free(rep_plotspec *ps);

/* ---- figures (figure.c) ------------------------------------------------------------------- */
typedef struct {
    int claim;      /* index in results.claims */
    char *name;     /* plot name */
    char *title;    /* plot title (for captions) */
    char *svg;      /* path relative to outdir, e.g. figures/max_margin-gap.svg; NULL when
                     * svg is not among the figure formats (figformat.h) */
    char *png;      /* same, .png */
    char *files[10]; /* every file drawn for the chosen formats (REP_FF_MAXFILES) */
    size_t nfiles;
    int drawn;      /* 1 if all its files were drawn in this call */
    char *note;     /* why it was not drawn, or curves that were left out; NULL if none */
} rep_fig;

typedef struct {
    rep_fig *v;
    size_t n, cap;
    char *global_note; /* e.g. "figures not drawn: gnuplot not found"; NULL if none */
    char gnuplot_version[64];
} rep_figset;

void rep_figset_free(rep_figset *fs);
/* Output base of a plot (malloc'd, NULL on OOM): its "file" member when it is a safe relative
 * path (a .svg/.png extension dropped), else figures/<id>-<name>. */
char *rep_figure_base(const char *id, const json_t *plot, const char *name);
/* Number of figures drawn in this call. */
size_t rep_figset_ndrawn(const rep_figset *fs);
/* Collect the plots of every claim (no drawing). -1 only on OOM. */
int rep_figset_collect(rep_figset *fs, const json_t *results);
/* Check one figure's data (CSV files, columns, drawable points) and, if `draw`, draw it (svg
 * and png) into outdir; sets fig->drawn, and fig->note for every problem found. Returns 1 if
 * gnuplot could not be started (the caller stops drawing), else 0. */
int rep_figure_draw(const char *outdir, const json_t *plot, rep_fig *fig, int draw);
/* The svg file of a drawn figure prepared for inlining in HTML: XML prolog and doctype
 * removed, ids prefixed with `idprefix` so several figures can share one document, and the
 * <title> replaced by the plot title. NULL if the file cannot be read. */
char *rep_figure_inline_svg(const char *outdir, const rep_fig *fig, const char *idprefix);
/* The plot objects of a claim (the "plots" extension) or NULL. */
const json_t *rep_claim_plots(const json_t *claim);

/* Draw with one gnuplot script the files outdir/files[0..nfiles) (rep_ff_files order): build
 * writes the script for the temporary names tmp[]; every file is published or none. 0 drawn;
 * 1 gnuplot not found; -1 with the reason added to *note. */
typedef void (*rep_script_fn)(cm_buf *b, const void *user, char *const *tmp);
int rep_draw_script(const char *outdir, char *const *files, size_t nfiles, rep_script_fn build,
                    const void *user, char **note);

/* ---- claim pieces shown by both documents (claimtext.c) ------------------------------------ */
/* A parameter value as the user would type it ("0.1", "64,256,1024", "both", "true"). */
void rep_fmt_param(cm_buf *b, const json_t *v);
/* Up to `max` checked metrics of a claim for the verdict table, failing ones first; returns
 * how many were stored and sets *nchecked to the number of checked metrics. */
size_t rep_key_metrics(const json_t *claim, const json_t **out, size_t max, size_t *nchecked);
/* Percent-encode a relative path for a link target (keeps A-Z a-z 0-9 - . _ ~ /). */
void rep_url(cm_buf *b, const char *path);
/* Seconds with two decimals ("" if not finite). */
void rep_fmt_seconds(cm_buf *b, double s);
/* "theorycheck 0.1.0 (git abc) · profile quick · seed 42 · started ... · 12.30 s total". */
void rep_run_line(cm_buf *b, const json_t *run);
/* "BLAS ... · GSL ... · host ..." (members that are present). */
void rep_env_line(cm_buf *b, const json_t *run);
/* run.argv as a shell command line, quoted where needed. Unescaped plain text. */
void rep_argv_line(cm_buf *b, const json_t *run);

/* ---- documents (markdown.c, html.c) -------------------------------------------------------- */
int rep_markdown_render(cm_buf *out, const json_t *results, const rep_figset *fs);
int rep_html_render(cm_buf *out, const char *outdir, const json_t *results, const rep_figset *fs);

/* Shared by both documents (summary.c): verdict counts in the fixed order pass, fail, xfail,
 * xpass, skip, error, from results.summary or, if absent, counted from the claims. */
extern const char *const rep_verdicts[6];
void rep_summary_counts(const json_t *results, long counts[6]);

/* ---- sweeps (sweep.c loads, sweepmap.c draws, sweepdoc.c writes the documents) ----------- */
typedef struct {
    const char *param;     /* parameter name */
    const json_t *values;  /* the axis values from sweep.json */
    int numeric;           /* every value is a number: coordinates are the values */
    int log;               /* "log": true and every value positive: log scale */
    size_t nu;             /* distinct coordinates of the cells on this axis */
    double *u;             /* sorted; in log10 units on a log axis */
} rep_swaxis;

typedef struct {
    const json_t *cell;    /* the cell object of sweep.json */
    double frac;           /* holds / runs in [0, 1]; NAN when the cell has no run */
    double metric;         /* median of the first key metric; NAN if absent */
    double ratio;          /* median over seeds of value / threshold (scalar thresholds) */
    double thr_lo, thr_hi; /* that metric's threshold in the cell's first record (lo == hi
                            * for a bound, [lo, hi] for "in"); NAN if none */
    int seed_dep;          /* 1 if the seeds disagree */
    int hyp;               /* theorem's hypotheses at the cell: 1 true, 0 false, -1 unknown */
    double *x;             /* coordinate on each axis: value, or index of the value */
} rep_swcell;

typedef struct {
    const json_t *sweep;
    const char *claim;
    size_t naxes, ncells;
    rep_swaxis *axes;
    rep_swcell *cells;
    const char *metric;    /* first key metric (member of cells[].metrics) or NULL */
    char metric_op[8];     /* its op in the records ("<=", "in", ...); "" if unknown */
    int thr_const;         /* the threshold is the same at every cell */
    int thr_per_seed;      /* the threshold differs between the seeds of a cell */
    int ratio;             /* cells' metric is the median of value / threshold (bound at 1) */
} rep_sweep;

/* Read the cells of `sweep` and the first record of each cell (for the threshold). -1 with a
 * message when the sweep object is malformed. */
int rep_sweep_load(rep_sweep *sw, const char *dir, const json_t *sweep, char *err,
                   size_t errlen);
void rep_sweep_free(rep_sweep *sw);
/* The gnuplot commands drawing the verdict map on the current terminal (no terminal or
 * output set): one axis, two axes or small multiples over the axes beyond two. */
void rep_sweep_gp_body(cm_buf *b, const rep_sweep *sw);
/* Draw figures/verdict_map.{svg,png,pdf} under dir (published together, atomically).
 * 0 if drawn; 1 if gnuplot was not found; -1 with the reason in note otherwise. */
int rep_sweep_map_draw(const char *dir, const rep_sweep *sw, char *note, size_t notelen);
/* The documents and the CSV; `fignote` is NULL when the map was drawn. */
int rep_sweep_markdown(cm_buf *b, const char *dir, const rep_sweep *sw, const char *fignote);
int rep_sweep_html(cm_buf *b, const char *dir, const rep_sweep *sw, const char *fignote);
int rep_sweep_csv(cm_buf *b, const rep_sweep *sw);
/* Axis set-up shared by the figures (gpscript.c): log or linear scale, padded data range,
 * readable tics. */
void rep_gp_axis(cm_buf *b, char axis, int logaxis, double lo, double hi);

#endif /* TC_REPORT_H */
