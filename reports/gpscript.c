/* reports/gpscript.c — the gnuplot script for one plot: axes, styles, legend, data filters.
 *
 * Each script draws the same plot twice, to svg (800x560, for report.html) and to pngcairo
 * (1000x700, for slides and viewers), both to temporary names that figure.c renames. Data are
 * read by gnuplot straight from the series CSV by column name, through two filters:
 * fin(v) maps nan/inf to NaN (gnuplot skips such points) and pos(v) additionally drops
 * non-positive values, which a log axis cannot show. User text (titles, labels, legend
 * entries, column names, paths) is single-quoted and `noenhanced`, so quotes, underscores and
 * carets print as typed and cannot end the string.
 */
#include <math.h>
#include <string.h>

#include "reports/figformat.h"
#include "reports/report.h"

/* Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design"), in an
 * order whose neighbours differ in lightness too, so curves stay apart in greyscale. */
static const char *const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#000000", "#999999"};
/* Filled circle, square, triangle, diamond, then open versions (gnuplot point types). */
static const int point_types[] = {7, 5, 9, 13, 6, 4, 8, 12};
#define NSTYLE (sizeof palette / sizeof palette[0])

static double axis_coord(double v, int logaxis)
{
    return logaxis ? log10(v) : v;
}

int rep_point_drawable(const rep_plotspec *ps, const rep_curve *c, size_t row, double *x,
                       double *y)
{
    const double *r = c->csv.rows + row * c->csv.ncols;
    double xv = r[c->ix], yv = r[c->iy];
    if (!isfinite(xv) || !isfinite(yv))
        return 0;
    if ((ps->logx && xv <= 0) || (ps->logy && yv <= 0))
        return 0;
    if (c->ie >= 0 && !isfinite(r[c->ie]))
        return 0;
    *x = xv;
    *y = yv;
    return 1;
}

/* Widen [*lo, *hi] to include v (skipping values a log axis cannot show). */
static void widen(double *lo, double *hi, double v, int logaxis)
{
    if (!isfinite(v) || (logaxis && v <= 0))
        return;
    *lo = fmin(*lo, v);
    *hi = fmax(*hi, v);
}

void rep_plot_ranges(rep_plotspec *ps)
{
    ps->xmin = ps->ymin = INFINITY;
    ps->xmax = ps->ymax = -INFINITY;
    for (size_t k = 0; k < ps->ncurves; k++) {
        const rep_curve *c = &ps->curves[k];
        for (size_t i = 0; i < c->csv.nrows; i++) {
            double x, y;
            if (!rep_point_drawable(ps, c, i, &x, &y))
                continue;
            widen(&ps->xmin, &ps->xmax, x, ps->logx);
            widen(&ps->ymin, &ps->ymax, y, ps->logy);
            if (c->ie >= 0) { /* error bars must fit too */
                double e = fabs(c->csv.rows[i * c->csv.ncols + c->ie]);
                widen(&ps->ymin, &ps->ymax, y - e, ps->logy);
                widen(&ps->ymin, &ps->ymax, y + e, ps->logy);
            }
        }
    }
}

/* Position in [0,1] of v between lo and hi on a linear or log axis. */
static double unit(double v, double lo, double hi, int logaxis)
{
    double a = axis_coord(lo, logaxis), b = axis_coord(hi, logaxis);
    return b > a ? (axis_coord(v, logaxis) - a) / (b - a) : 0.5;
}

const char *rep_key_position(const rep_plotspec *ps)
{
    static const char *const names[4] = {"top right", "top left", "bottom left", "bottom right"};
    /* The key covers roughly a third of the width and a line per curve (about 6% of the
     * height each at these terminal sizes) plus its frame. */
    double w = 0.38, h = 0.06 * (double)ps->ncurves + 0.06;
    long count[4] = {0, 0, 0, 0};
    for (size_t k = 0; k < ps->ncurves; k++) {
        const rep_curve *c = &ps->curves[k];
        int joined = strcmp(c->style, "points") != 0 && strcmp(c->style, "errorbars") != 0;
        double px = NAN, py = NAN;
        for (size_t i = 0; i < c->csv.nrows; i++) {
            double x, y;
            if (!rep_point_drawable(ps, c, i, &x, &y))
                continue;
            double u = unit(x, ps->xmin, ps->xmax, ps->logx);
            double v = unit(y, ps->ymin, ps->ymax, ps->logy);
            /* Lines also cross corners between sparse points: sample each segment. */
            int steps = joined && !isnan(px) ? 8 : 1;
            for (int s = 1; s <= steps; s++) {
                double t = (double)s / steps;
                double uu = isnan(px) ? u : px + t * (u - px);
                double vv = isnan(py) ? v : py + t * (v - py);
                int right = uu >= 1 - w, left = uu <= w, top = vv >= 1 - h, bottom = vv <= h;
                count[0] += right && top;
                count[1] += left && top;
                count[2] += left && bottom;
                count[3] += right && bottom;
            }
            px = u;
            py = v;
        }
    }
    int best = 0;
    for (int i = 1; i < 4; i++)
        if (count[i] < count[best])
            best = i;
    return names[best];
}

/* Log axis: range = data padded by 4% of the span on each side (no point sits on the border,
 * no near-empty decade is added as gnuplot's decade autoscaling would); decade labels
 * 10^k when the data span three decades or more (so at least three labelled tics), otherwise
 * explicit tics at 1, 2, 5 x 10^k (at most ~10 labels; 1..9 x 10^k on very short ranges). */
static void log_axis(cm_buf *b, char axis, double lo, double hi, int latex)
{
    cm_buf_printf(b, "set logscale %c 10\n", axis);
    if (!(lo > 0) || !isfinite(lo) || !isfinite(hi) || hi < lo) {
        cm_buf_printf(b, "set format %c '%% g'\n", axis);
        return;
    }
    double a = log10(lo), z = log10(hi);
    if (z - a < 1e-9) { /* one value: show a factor 2 either way */
        a -= log10(2.0);
        z += log10(2.0);
    }
    double pad = 0.04 * (z - a);
    a -= pad;
    z += pad;
    cm_buf_printf(b, "set %crange [%.6e:%.6e]\n", axis, pow(10, a), pow(10, z));
    if (z - a >= 3) {
        /* the powers need enhanced text even where the tics are set noenhanced (sweep maps);
         * a LaTeX terminal sets them in math mode instead */
        if (latex)
            cm_buf_printf(b, "set format %c '$10^{%%L}$'\nset m%ctics 10\n", axis, axis);
        else
            cm_buf_printf(b, "set format %c '10^{%%L}'\nset %ctics enhanced\nset m%ctics 10\n",
                          axis, axis, axis);
        return;
    }
    static const double m125[] = {1, 2, 5}, m19[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const double *m = m125;
    size_t nm = 3;
    int count = 0;
    for (int pass = 0; pass < 2; pass++) {
        count = 0;
        for (int e = (int)floor(a) - 1; e <= (int)ceil(z); e++)
            for (size_t i = 0; i < nm; i++) {
                double v = log10(m[i]) + e;
                count += v >= a && v <= z;
            }
        if (count >= 3 || pass == 1)
            break;
        m = m19;
        nm = 9;
    }
    cm_buf_printf(b, "set format %c '%% g'\nset %ctics (", axis, axis);
    int first = 1;
    for (int e = (int)floor(a) - 1; e <= (int)ceil(z); e++)
        for (size_t i = 0; i < nm; i++) {
            double v = log10(m[i]) + e;
            if (v < a || v > z)
                continue;
            cm_buf_printf(b, "%s%.6g", first ? "" : ", ", m[i] * pow(10, e));
            first = 0;
        }
    cm_buf_printf(b, ")\nunset m%ctics\n", axis);
}

static void axis_setup(cm_buf *b, char axis, int logaxis, double lo, double hi, int latex)
{
    if (logaxis) {
        log_axis(b, axis, lo, hi, latex);
        return;
    }
    cm_buf_printf(b, "set format %c '%% h'\n", axis);
    /* Linear axis: like the log axis, the data padded by 4% of the span on each side, so no
     * marker sits on (and is half hidden by) the border; gnuplot's own autoscale would stop
     * at the outermost tic, which may be the data's extreme. */
    if (isfinite(lo) && isfinite(hi) && hi > lo) {
        double pad = 0.04 * (hi - lo);
        cm_buf_printf(b, "set %crange [%.17g:%.17g]\n", axis, lo - pad, hi + pad);
    }
}

static void curve_style(cm_buf *b, size_t k, size_t ndashed, const rep_curve *c)
{
    const char *col = palette[k % NSTYLE];
    int pt = point_types[k % NSTYLE];
    /* Dashed curves cycle through dash patterns (dash, short dash, dash-dot, dash-dot-dot;
     * lengths in units of the line width) so two dashed curves differ in more than colour. */
    static const char *const dashes[] = {"(10,6)", "(3,4)", "(14,5,3,5)", "(14,5,3,5,3,5)"};
    const char *dt = strcmp(c->style, "dashed") == 0 ? dashes[ndashed % 4] : "solid";
    /* Dense point clouds need small markers; linespoints thin its markers out instead. */
    int cloud = strcmp(c->style, "points") == 0;
    double ps = cloud && c->ndraw > 400 ? 0.5 : cloud && c->ndraw > 100 ? 0.7 : 0.9;
    cm_buf_printf(b, "set style line %zu lc rgb '%s' lw 2 pt %d ps %.1f dt %s\n", k + 1, col, pt,
                   ps, dt);
}

/* User text as a gnuplot string: as typed, or escaped for LaTeX on a LaTeX terminal. */
static void text_gp(cm_buf *b, const char *s, int latex)
{
    if (!latex) {
        cm_esc_gp(b, s);
        return;
    }
    cm_buf t = {0};
    rep_esc_latex(&t, s);
    cm_esc_gp(b, t.oom ? "" : cm_buf_str(&t));
    cm_buf_free(&t);
}

static void curve_plot(cm_buf *b, const rep_plotspec *ps, size_t k, const rep_curve *c,
                       int latex)
{
    const char *fx = ps->logx ? "pos" : "fin", *fy = ps->logy ? "pos" : "fin";
    cm_esc_gp(b, c->path);
    cm_buf_printf(b, " using (%s(column(", fx);
    cm_esc_gp(b, c->x);
    cm_buf_printf(b, "))):(%s(column(", fy);
    cm_esc_gp(b, c->y);
    cm_buf_puts(b, ")))");
    if (c->ie >= 0) {
        cm_buf_puts(b, ":(fin(column(");
        cm_esc_gp(b, c->yerr);
        cm_buf_puts(b, ")))");
    }
    /* The line style goes first: gnuplot rejects `ls` after an explicit `lw`. */
    if (strcmp(c->style, "points") == 0)
        cm_buf_printf(b, " with points ls %zu", k + 1);
    else if (strcmp(c->style, "linespoints") == 0)
        /* A marker every ~20 points keeps dense trajectories readable. */
        cm_buf_printf(b, " with linespoints ls %zu pointinterval %zu", k + 1,
                       c->ndraw > 40 ? c->ndraw / 20 : (size_t)1);
    else if (strcmp(c->style, "errorbars") == 0)
        cm_buf_printf(b, " with yerrorbars ls %zu lw 1.5", k + 1);
    else
        cm_buf_printf(b, " with lines ls %zu", k + 1);
    if (c->label && *c->label) {
        cm_buf_puts(b, " title ");
        text_gp(b, c->label, latex);
        cm_buf_puts(b, " noenhanced");
    } else {
        cm_buf_puts(b, " notitle");
    }
}

void rep_gp_setup(cm_buf *b, const rep_plotspec *ps, int latex)
{
    cm_buf_puts(b,
                 "# theorycheck figure (reports/gpscript.c)\n"
                 "reset\nset encoding utf8\nset datafile separator ','\n"
                 "if (GPVAL_VERSION >= 5.4) set datafile columnheaders\n"
                 "fin(v) = (v == v && abs(v) <= 1.7976931348623157e308) ? v : NaN\n"
                 "pos(v) = (v == v && v > 0 && v <= 1.7976931348623157e308) ? v : NaN\n");
    cm_buf_puts(b, "set title ");
    text_gp(b, ps->title, latex);
    /* On a LaTeX terminal the document's fonts and sizes set the text. */
    cm_buf_puts(b, latex ? "\nset xlabel " : " noenhanced font ',15'\nset xlabel ");
    text_gp(b, ps->xlabel, latex);
    cm_buf_puts(b, " noenhanced\nset ylabel ");
    text_gp(b, ps->ylabel, latex);
    cm_buf_puts(b, " noenhanced\n");
    cm_buf_puts(b, "set border 3 lw 1.2 lc rgb '#404040'\n"
                    "set tics nomirror out scale 0.8,0.4 textcolor rgb '#202020'\n"
                    "set grid xtics ytics mxtics mytics lt 1 lw 0.8 lc rgb '#dcdcdc', "
                    "lt 1 lw 0.5 lc rgb '#f0f0f0'\n"
                    "set bars small\n");
    axis_setup(b, 'x', ps->logx, ps->xmin, ps->xmax, latex);
    axis_setup(b, 'y', ps->logy, ps->ymin, ps->ymax, latex);
    cm_buf_printf(b, "set key %s inside Left reverse opaque box lc rgb '#b0b0b0' samplen 3 spacing 1.2 "
                      "width 1\n",
                   rep_key_position(ps));
    for (size_t k = 0, ndashed = 0; k < ps->ncurves; k++) {
        curve_style(b, k, ndashed, &ps->curves[k]);
        ndashed += strcmp(ps->curves[k].style, "dashed") == 0;
    }
}

void rep_gp_plot(cm_buf *b, const rep_plotspec *ps, int latex)
{
    cm_buf_puts(b, "plot ");
    for (size_t k = 0; k < ps->ncurves; k++) {
        if (k)
            cm_buf_puts(b, ", \\\n     ");
        curve_plot(b, ps, k, &ps->curves[k], latex);
    }
    cm_buf_puts(b, "\n");
}

void rep_gp_script(cm_buf *b, const rep_plotspec *ps, const char *svg_out, const char *png_out)
{
    rep_gp_setup(b, ps, 0);
    cm_buf_puts(b, "set terminal svg size 800,560 dynamic enhanced font 'Sans,12' "
                    "background rgb 'white'\nset output ");
    cm_esc_gp(b, svg_out);
    cm_buf_puts(b, "\n");
    rep_gp_plot(b, ps, 0);
    cm_buf_puts(b, "set output\n"
                    "set terminal pngcairo size 1000,700 enhanced font 'Sans,11' "
                    "background rgb 'white'\nset output ");
    cm_esc_gp(b, png_out);
    cm_buf_puts(b, "\nreplot\nunset output\n");
}

void rep_gp_axis(cm_buf *b, char axis, int logaxis, double lo, double hi)
{
    axis_setup(b, axis, logaxis, lo, hi, 0);
}
