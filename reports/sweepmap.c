/* reports/sweepmap.c — the verdict map of a sweep: figures/verdict_map.{svg,png,pdf}.
 *
 * One axis: the median of the first key metric against the parameter, each point coloured by
 * the fraction of seeds where the claim holds, with the metric's threshold (a line, or a band
 * for an interval) from the cell records. Two axes: one box per cell, coloured by that
 * fraction; a cross marks seed-dependent cells and a heavy outline cells where the theorem's
 * hypotheses fail. More axes: the two-axis map once per combination of the other axes' values
 * (small multiples, one gnuplot multiplot). Boxes extend halfway to the neighbouring cells (in
 * log units on a log axis), so uneven and refined grids still tile the plane.
 *
 * The palette is viridis (perceptually uniform, readable by the common colour-vision
 * deficiencies and in greyscale, since its lightness grows monotonically). The cell data are
 * written into the script as datablocks: no temporary data file to clean up. The script
 * draws the same map three times (svg, pngcairo, pdfcairo) to temporary names, and the three
 * files are renamed into place only when all were drawn.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/report.h"

/* A map of a few thousand cells takes a second or two; a minute means gnuplot hangs. */
#define SWEEP_GNUPLOT_TIMEOUT_S 60.0
/* Above this many values an axis gets gnuplot's own tics instead of one per value. */
#define SWEEP_MAX_TICS 16
/* Small multiples per row. */
#define SWEEP_PANEL_COLS 3

static const char viridis[] = "set palette defined (0 '#440154', 0.25 '#3B528B', "
                              "0.5 '#21908C', 0.75 '#5DC863', 1 '#FDE725')\n";

static double from_u(const rep_swaxis *a, double u)
{
    return a->log ? pow(10, u) : u;
}

/* Half-open extent [lo, hi] (coordinate units) of the box of coordinate u on axis a. */
static void box_extent(const rep_swaxis *a, double u, double *lo, double *hi)
{
    size_t k = 0;
    while (k + 1 < a->nu && a->u[k] < u)
        k++;
    double half = a->log || !a->numeric ? (a->log ? 0.3 : 0.5) : u != 0 ? 0.25 * fabs(u) : 0.5;
    *lo = k > 0 ? 0.5 * (a->u[k - 1] + u) : a->nu > 1 ? u - 0.5 * (a->u[1] - u) : u - half;
    *hi = k + 1 < a->nu ? 0.5 * (u + a->u[k + 1])
                        : a->nu > 1 ? u + 0.5 * (u - a->u[k - 1]) : u + half;
}

static void num(cm_buf *b, double v)
{
    if (isfinite(v))
        cm_buf_printf(b, " %.17g", v);
    else
        cm_buf_puts(b, " NaN");
}

/* Title and common settings of every panel. */
static void gp_common(cm_buf *b)
{
    cm_buf_puts(b, "set encoding utf8\n");
    cm_buf_puts(b, viridis);
    cm_buf_puts(b, "set cbrange [0:1]\nset cbtics 0.25\n"
                   "set cblabel 'fraction of seeds where the claim holds' noenhanced\n"
                   "set colorbox vertical\n"
                   "set border lw 1.2 lc rgb '#404040'\n"
                   "set tics out scale 0.8,0.4 textcolor rgb '#202020' noenhanced\n"
                   "set key above horizontal noenhanced samplen 2\n");
}

/* Tic labels at the axis values (or gnuplot's own on a crowded numeric axis). */
static void axis_tics(cm_buf *b, char axis, const rep_swaxis *a)
{
    size_t n = json_array_size(a->values);
    if (a->numeric && n > SWEEP_MAX_TICS) {
        cm_buf_printf(b, "set format %c '%% h'\n", axis);
        return;
    }
    cm_buf_printf(b, "set %ctics (", axis);
    for (size_t j = 0; j < n; j++) {
        const json_t *v = json_array_get(a->values, j);
        cm_buf t = {0};
        if (a->numeric) /* four digits keep the labels of a geometric range apart */
            cm_buf_printf(&t, "%.4g", json_number_value(v));
        else
            rep_fmt_param(&t, v);
        cm_buf_puts(b, j ? ", " : "");
        cm_esc_gp(b, cm_buf_str(&t));
        cm_buf_free(&t);
        cm_buf_printf(b, " %.17g", a->numeric ? json_number_value(v) : (double)j);
    }
    cm_buf_puts(b, ")\n");
}

/* A map axis: the range covers every box; log scale when asked for. */
static void map_axis(cm_buf *b, char axis, const rep_swaxis *a)
{
    double lo, hi, t;
    box_extent(a, a->u[0], &lo, &t);
    box_extent(a, a->u[a->nu - 1], &t, &hi);
    if (a->log)
        cm_buf_printf(b, "set logscale %c 10\n", axis);
    cm_buf_printf(b, "set %crange [%.17g:%.17g]\n", axis, from_u(a, lo), from_u(a, hi));
    axis_tics(b, axis, a);
    cm_buf_printf(b, "set %clabel ", axis);
    cm_esc_gp(b, a->param);
    cm_buf_puts(b, " noenhanced\n");
}

/* Does cell c belong to the panel of cell rep (same values on the axes beyond two)? */
static int same_panel(const rep_sweep *sw, const rep_swcell *c, const rep_swcell *rep)
{
    for (size_t a = 2; a < sw->naxes; a++)
        if (!(c->x[a] == rep->x[a]))
            return 0;
    return 1;
}

/* Datablock $cells<k>: x y xlo xhi ylo yhi frac seed_dependent hypothesis_false no_run. */
static void map_block(cm_buf *b, const rep_sweep *sw, size_t k, const rep_swcell *rep,
                      int flags[3])
{
    const rep_swaxis *ax = &sw->axes[0], *ay = &sw->axes[1];
    cm_buf_printf(b, "$cells%zu << EOD\n", k);
    for (size_t i = 0; i < sw->ncells; i++) {
        const rep_swcell *c = &sw->cells[i];
        if (!isfinite(c->x[0]) || !isfinite(c->x[1]) || (rep && !same_panel(sw, c, rep)))
            continue;
        double xlo, xhi, ylo, yhi;
        box_extent(ax, c->x[0], &xlo, &xhi);
        box_extent(ay, c->x[1], &ylo, &yhi);
        num(b, from_u(ax, c->x[0]));
        num(b, from_u(ay, c->x[1]));
        num(b, from_u(ax, xlo));
        num(b, from_u(ax, xhi));
        num(b, from_u(ay, ylo));
        num(b, from_u(ay, yhi));
        num(b, isnan(c->frac) ? 0 : c->frac);
        cm_buf_printf(b, " %d %d %d\n", c->seed_dep, c->hyp == 0, isnan(c->frac));
        flags[0] |= c->seed_dep;
        flags[1] |= c->hyp == 0;
        flags[2] |= isnan(c->frac);
    }
    cm_buf_puts(b, "EOD\n");
}

/* One two-axis panel: boxes, then outlines, then crosses (on top). */
static void map_panel(cm_buf *b, const rep_sweep *sw, size_t k, const rep_swcell *rep)
{
    int flags[3] = {0, 0, 0};
    map_block(b, sw, k, rep, flags);
    map_axis(b, 'x', &sw->axes[0]);
    map_axis(b, 'y', &sw->axes[1]);
    /* Markers and outlines shrink with the grid so that dense maps stay readable: full size
     * up to 8 values per axis, then inversely with the number of values. */
    size_t dense = sw->axes[0].nu > sw->axes[1].nu ? sw->axes[0].nu : sw->axes[1].nu;
    double ps = fmax(0.4, fmin(2.2, 18.0 / (double)dense));
    cm_buf_puts(b, flags[0] || flags[1] || flags[2]
                       ? "set key above horizontal noenhanced samplen 2\n"
                       : "unset key\n");
    cm_buf_printf(b, "plot $cells%zu using 1:2:3:4:5:6:($10 > 0 ? NaN : $7) with boxxyerror "
                     "fs solid 1.0 %s lc palette notitle",
                  k, dense > 24 ? "noborder" : "border lc rgb 'white'");
    if (flags[2])
        cm_buf_printf(b, ", \\\n  $cells%zu using ($10 > 0 ? $1 : NaN):2:3:4:5:6 with "
                         "boxxyerror fs pattern 4 border lc rgb '#999999' lc rgb '#999999' "
                         "title 'undecided (skip, error or not run)'",
                      k);
    if (flags[1])
        cm_buf_printf(b, ", \\\n  $cells%zu using ($9 > 0 ? $1 : NaN):2:3:4:5:6 with "
                         "boxxyerror fs empty border lc rgb '#000000' lw %.1f "
                         "lc rgb '#000000' title 'hypothesis false'",
                      k, dense > 20 ? 1.5 : 3.5);
    if (flags[0])
        cm_buf_printf(b, ", \\\n  $cells%zu using ($8 > 0 ? $1 : NaN):2 with points pt 2 "
                         "ps %.2f lw %.1f lc rgb '#000000' title 'seed-dependent', \\\n"
                         "  $cells%zu using ($8 > 0 ? $1 : NaN):2 with points pt 2 ps %.2f "
                         "lw %.1f lc rgb '#FFFFFF' notitle",
                      k, ps, ps > 1 ? 5.0 : 3.0, k, ps, ps > 1 ? 2.0 : 1.0);
    cm_buf_puts(b, "\n");
}

static void sweep_title(cm_buf *b, const rep_sweep *sw, const char *what)
{
    cm_buf t = {0};
    size_t seeds = json_array_size(rep_jarr(sw->sweep, "seeds"));
    /* two lines, the claim above what is shown: a long claim id and metric name in one line
     * ran past the canvas */
    cm_buf_printf(&t, "%s", what);
    for (size_t a = 0; a < sw->naxes && a < 2; a++)
        cm_buf_printf(&t, "%s%s", a ? " × " : " over ", sw->axes[a].param);
    if (seeds)
        cm_buf_printf(&t, " (%zu seed%s per cell)", seeds, seeds == 1 ? "" : "s");
    cm_esc_gp(b, sw->claim);
    cm_buf_puts(b, ".\"\\n\".");
    cm_esc_gp(b, cm_buf_str(&t));
    cm_buf_free(&t);
}

/* Panel title: the values of the axes beyond two ("depth = 3, width = 64"). */
static void panel_title(cm_buf *b, const rep_sweep *sw, const rep_swcell *rep)
{
    cm_buf t = {0};
    const json_t *params = json_object_get(rep->cell, "params");
    for (size_t a = 2; a < sw->naxes; a++) {
        cm_buf_printf(&t, "%s%s = ", a > 2 ? ", " : "", sw->axes[a].param);
        rep_fmt_param(&t, json_object_get(params, sw->axes[a].param));
    }
    cm_buf_puts(b, "set title ");
    cm_esc_gp(b, cm_buf_str(&t));
    cm_buf_puts(b, " noenhanced\n");
    cm_buf_free(&t);
}

/* The first cell of each combination of the values beyond the first two axes. */
static size_t panels(const rep_sweep *sw, size_t *first)
{
    size_t n = 0;
    for (size_t i = 0; i < sw->ncells; i++) {
        size_t k = 0;
        while (k < n && !same_panel(sw, &sw->cells[i], &sw->cells[first[k]]))
            k++;
        if (k == n)
            first[n++] = i;
    }
    return n;
}

static void map_multi(cm_buf *b, const rep_sweep *sw)
{
    size_t *first = malloc(sw->ncells * sizeof *first);
    if (!first) {
        b->oom = 1;
        return;
    }
    size_t n = panels(sw, first);
    size_t cols = n < SWEEP_PANEL_COLS ? n : SWEEP_PANEL_COLS, rows = (n + cols - 1) / cols;
    cm_buf_printf(b, "set multiplot layout %zu,%zu title ", rows, cols);
    sweep_title(b, sw, "verdict maps");
    cm_buf_puts(b, " noenhanced font ',15'\n");
    /* Equal margins give every panel the same plot area; the colour box (and its label)
     * only in the last panel of a row, where it cannot cover a neighbour's axis label. */
    cm_buf_puts(b, "set lmargin 10\nset rmargin 14\nset tmargin 5\n");
    for (size_t k = 0; k < n; k++) {
        int last = k % cols == cols - 1 || k == n - 1;
        cm_buf_puts(b, last ? "set colorbox\nset cblabel 'fraction of seeds where the claim "
                              "holds' noenhanced\n"
                            : "unset colorbox\nunset cblabel\n");
        panel_title(b, sw, &sw->cells[first[k]]);
        map_panel(b, sw, k, &sw->cells[first[k]]);
    }
    cm_buf_puts(b, "unset multiplot\n");
    free(first);
}

/* The key text of the threshold: "threshold: gap ≤ 0.01" when it is the same at every cell,
 * "threshold of gap (≤, per cell)" otherwise. */
static void threshold_title(cm_buf *clause, const rep_sweep *sw, int constant)
{
    const rep_swcell *c0 = &sw->cells[0];
    cm_buf t = {0};
    if (!constant)
        cm_buf_printf(&t, "threshold of %s (%s, per cell)", sw->metric,
                      rep_op_symbol(sw->metric_op));
    else if (strcmp(sw->metric_op, "in") == 0)
        cm_buf_printf(&t, "threshold: %s ∈ [%.4g, %.4g]", sw->metric, c0->thr_lo, c0->thr_hi);
    else if (sw->ratio)
        cm_buf_printf(&t, "threshold: %s %s its bound (ratio 1)", sw->metric,
                      rep_op_symbol(sw->metric_op));
    else
        cm_buf_printf(&t, "threshold: %s %s %.4g", sw->metric, rep_op_symbol(sw->metric_op),
                      c0->thr_hi);
    cm_buf_puts(clause, " title ");
    cm_esc_gp(clause, cm_buf_str(&t));
    cm_buf_free(&t);
}

/* One axis: the threshold as a line or band when it is the same at every cell (settings into
 * b), else drawn per cell; the plot clauses (key entry or curves) go to clause. */
static void line_threshold(cm_buf *b, cm_buf *clause, const rep_sweep *sw)
{
    const rep_swcell *c0 = &sw->cells[0];
    if (!*sw->metric_op)
        return;
    int band = strcmp(sw->metric_op, "in") == 0;
    if (sw->thr_const && isfinite(c0->thr_lo)) {
        if (band)
            cm_buf_printf(b, "set object 1 rect from graph 0, first %.17g to graph 1, first "
                             "%.17g fc rgb '#D55E00' fs transparent solid 0.15 noborder behind\n",
                          c0->thr_lo, c0->thr_hi);
        cm_buf_printf(b, "set arrow 1 from graph 0, first %.17g to graph 1, first %.17g "
                         "nohead dt (10,6) lw 2 lc rgb '#D55E00' front\n",
                      c0->thr_hi, c0->thr_hi);
        if (band)
            cm_buf_printf(b, "set arrow 2 from graph 0, first %.17g to graph 1, first %.17g "
                             "nohead dt (10,6) lw 2 lc rgb '#D55E00' front\n",
                          c0->thr_lo, c0->thr_lo);
        /* The key entry of the constant threshold: an undrawn dashed sample. */
        cm_buf_puts(clause, ", \\\n  keyentry with lines dt (10,6) lw 2 lc rgb '#D55E00'");
        threshold_title(clause, sw, 1);
        return;
    }
    if (band)
        cm_buf_puts(clause, ", \\\n  $cells using 1:4:5 with filledcurves fc rgb '#D55E00' "
                            "fs transparent solid 0.15 notitle, \\\n"
                            "  $cells using 1:5 with lines dt (10,6) lw 2 lc rgb '#D55E00' "
                            "notitle");
    cm_buf_puts(clause, ", \\\n  $cells using 1:4 with lines dt (10,6) lw 2 lc rgb '#D55E00'");
    threshold_title(clause, sw, 0);
}

/* Datablock $cells: x y frac thr_lo thr_hi seed_dependent hypothesis_false; sets the y range
 * over the values and thresholds. */
static void line_block(cm_buf *b, const rep_sweep *sw, int metric, double *lo, double *hi)
{
    const rep_swaxis *ax = &sw->axes[0];
    *lo = INFINITY;
    *hi = -INFINITY;
    cm_buf_puts(b, "$cells << EOD\n");
    for (size_t i = 0; i < sw->ncells; i++) {
        const rep_swcell *c = &sw->cells[i];
        double y = metric ? c->metric : c->frac, v[3] = {y, c->thr_lo, c->thr_hi};
        for (int k = 0; k < (metric ? 3 : 1); k++)
            if (isfinite(v[k])) {
                *lo = fmin(*lo, v[k]);
                *hi = fmax(*hi, v[k]);
            }
        num(b, from_u(ax, c->x[0]));
        num(b, y);
        num(b, c->frac);
        num(b, c->thr_lo);
        num(b, c->thr_hi);
        cm_buf_printf(b, " %d %d\n", c->seed_dep, c->hyp == 0);
    }
    cm_buf_puts(b, "EOD\n");
}

static void map_line(cm_buf *b, const rep_sweep *sw)
{
    const rep_swaxis *ax = &sw->axes[0];
    int metric = sw->metric != NULL;
    double lo, hi;
    line_block(b, sw, metric, &lo, &hi);
    cm_buf_puts(b, "set title ");
    cm_buf what = {0};
    cm_buf_printf(&what, sw->ratio ? "median %s / bound" : "median %s",
                  metric ? sw->metric : "verdicts");
    sweep_title(b, sw, metric ? cm_buf_str(&what) : "fraction of seeds holding");
    cm_buf_free(&what);
    cm_buf_puts(b, " noenhanced font ',15'\nset ylabel ");
    if (metric) {
        cm_buf t = {0};
        cm_buf_printf(&t, sw->ratio ? "%s / its bound (median over seeds; each seed's bound)"
                                    : "median %s over seeds",
                      sw->metric);
        cm_esc_gp(b, cm_buf_str(&t));
        cm_buf_free(&t);
    } else {
        cm_esc_gp(b, "fraction of seeds where the claim holds");
    }
    cm_buf_puts(b, " noenhanced\nset grid lw 0.8 lc rgb '#dcdcdc'\n");
    /* A positive metric spanning two decades or more reads better on a log axis. */
    int logy = metric && lo > 0 && isfinite(hi) && hi / lo >= 100;
    rep_gp_axis(b, 'y', logy, lo, hi);
    double xlo = from_u(ax, ax->u[0]), xhi = from_u(ax, ax->u[ax->nu - 1]);
    if (ax->numeric)
        rep_gp_axis(b, 'x', ax->log, xlo, xhi);
    else
        cm_buf_printf(b, "set xrange [-0.5:%.17g]\n", (double)json_array_size(ax->values) - 0.5);
    axis_tics(b, 'x', ax);
    cm_buf_puts(b, "set xlabel ");
    cm_esc_gp(b, ax->param);
    cm_buf_puts(b, " noenhanced\n");
    cm_buf thr = {0};
    if (metric)
        line_threshold(b, &thr, sw);
    int seed_dep = 0, hyp_false = 0;
    for (size_t i = 0; i < sw->ncells; i++) {
        seed_dep |= sw->cells[i].seed_dep;
        hyp_false |= sw->cells[i].hyp == 0;
    }
    cm_buf_puts(b, "plot $cells using 1:2 with lines lw 1 lc rgb '#9a9a9a' notitle, \\\n"
                   "  $cells using 1:2:3 with points pt 7 ps 1.8 lc palette title "
                   "'cells (colour: fraction of seeds holding)'");
    if (seed_dep)
        cm_buf_puts(b, ", \\\n  $cells using ($6 > 0 ? $1 : NaN):2 with points pt 2 ps 2.4 "
                       "lw 2.5 lc rgb '#000000' title 'seed-dependent'");
    if (hyp_false)
        cm_buf_puts(b, ", \\\n  $cells using ($7 > 0 ? $1 : NaN):2 with points pt 6 ps 3 lw 2 "
                       "lc rgb '#000000' title 'hypothesis false'");
    cm_buf_printf(b, "%s\n", cm_buf_str(&thr));
    b->oom |= thr.oom;
    cm_buf_free(&thr);
}

void rep_sweep_gp_body(cm_buf *b, const rep_sweep *sw)
{
    cm_buf_puts(b, "reset\n");
    gp_common(b);
    if (sw->naxes == 1) {
        map_line(b, sw);
    } else if (sw->naxes == 2) {
        cm_buf_puts(b, "set title ");
        sweep_title(b, sw, "verdict map");
        cm_buf_puts(b, " noenhanced font ',15'\n");
        map_panel(b, sw, 0, NULL);
    } else if (sw->naxes > 2) {
        map_multi(b, sw);
    }
}

/* Terminal size in svg pixels: one panel 800x560, small multiples 460x380 each. */
static void map_size(const rep_sweep *sw, int *w, int *h)
{
    *w = 800;
    *h = 560;
    if (sw->naxes <= 2)
        return;
    size_t *first = malloc(sw->ncells * sizeof *first);
    size_t n = first ? panels(sw, first) : 1;
    free(first);
    size_t cols = n < SWEEP_PANEL_COLS ? n : SWEEP_PANEL_COLS, rows = (n + cols - 1) / cols;
    *w = (int)(460 * cols);
    *h = (int)(380 * rows + 60);
}

/* outdir/figures/verdict_map.<ext>, or its temporary sibling when tmp. */
static char *map_path(const char *dir, const char *ext, int tmp)
{
    cm_buf b = {0};
    cm_buf_printf(&b, "%s/figures/verdict_map.%s", dir, ext);
    if (tmp)
        cm_buf_printf(&b, ".part.%ld", (long)getpid());
    if (b.oom) {
        cm_buf_free(&b);
        return NULL;
    }
    return b.s;
}

static const char *const map_ext[3] = {"svg", "png", "pdf"};

/* The script: the body once per terminal, each to its temporary file. */
static void map_script(cm_buf *b, const rep_sweep *sw, char *const tmp[3])
{
    int w, h;
    map_size(sw, &w, &h);
    cm_buf_puts(b, "# theorycheck verdict map (reports/sweepmap.c)\n");
    for (int k = 0; k < 3; k++) {
        if (k == 0)
            cm_buf_printf(b, "set terminal svg size %d,%d dynamic enhanced font 'Sans,12' "
                             "background rgb 'white'\n", w, h);
        else if (k == 1)
            cm_buf_printf(b, "set terminal pngcairo size %d,%d enhanced font 'Sans,11' "
                             "background rgb 'white'\n", w * 5 / 4, h * 5 / 4);
        else
            cm_buf_printf(b, "set terminal pdfcairo size %.2fin,%.2fin enhanced "
                             "font 'Sans,10' background rgb 'white'\n", w / 100.0, h / 100.0);
        cm_buf_puts(b, "set output ");
        cm_esc_gp(b, tmp[k]);
        cm_buf_puts(b, "\n");
        rep_sweep_gp_body(b, sw);
        cm_buf_puts(b, "unset output\n");
    }
}

/* Publish the three temporary files together (all drawn, all synced, then renamed). */
static int map_publish(char *const tmp[3], char *const out[3], char *note, size_t notelen)
{
    for (int k = 0; k < 3; k++)
        if (!cm_file_nonempty(tmp[k]) || cm_fsync_path(tmp[k]) != 0) {
            snprintf(note, notelen, "verdict map not drawn: gnuplot produced no %s file",
                     map_ext[k]);
            return -1;
        }
    for (int k = 0; k < 3; k++)
        if (rename(tmp[k], out[k]) != 0) {
            snprintf(note, notelen, "verdict map not drawn: cannot publish %s: %s", out[k],
                     strerror(errno));
            return -1;
        }
    return 0;
}

int rep_sweep_map_draw(const char *dir, const rep_sweep *sw, char *note, size_t notelen)
{
    char *tmp[3], *out[3];
    for (int k = 0; k < 3; k++) {
        tmp[k] = map_path(dir, map_ext[k], 1);
        out[k] = map_path(dir, map_ext[k], 0);
    }
    char *script = map_path(dir, "gp", 1), *log = map_path(dir, "log", 1);
    char *figdir = cm_join(dir, "figures");
    cm_buf b = {0};
    int rc = -1;
    snprintf(note, notelen, "verdict map not drawn: out of memory");
    if (!tmp[0] || !tmp[1] || !tmp[2] || !out[0] || !out[1] || !out[2] || !script || !log ||
        !figdir)
        goto done;
    if (cm_mkdirs(figdir) != 0) {
        snprintf(note, notelen, "verdict map not drawn: cannot create %s: %s", figdir,
                 strerror(errno));
        goto done;
    }
    map_script(&b, sw, tmp);
    if (b.oom || cm_write_atomic(script, cm_buf_str(&b), b.len) != 0) {
        snprintf(note, notelen, "verdict map not drawn: cannot write the gnuplot script");
        goto done;
    }
    char err[256];
    int g = rep_gnuplot_run(script, log, SWEEP_GNUPLOT_TIMEOUT_S, err, sizeof err);
    if (g != 0) {
        snprintf(note, notelen, "verdict map not drawn: %s", err);
        rc = g == 1 ? 1 : -1;
        goto done;
    }
    rc = map_publish(tmp, out, note, notelen);
done:
    for (int k = 0; k < 3; k++) {
        if (tmp[k])
            unlink(tmp[k]);
        free(tmp[k]);
        free(out[k]);
    }
    if (script)
        unlink(script);
    if (log)
        unlink(log);
    free(script);
    free(log);
    free(figdir);
    cm_buf_free(&b);
    return rc;
}
