/* reports/sweepdoc.c — sweep.md, sweep.html and data/sweep_cells.csv of a sweep directory.
 *
 * Both documents show the verdict map first, then one table row per cell: its parameters,
 * the verdict of each seed, holds/runs with the 95% Clopper-Pearson interval, seed dependence,
 * the theorem's hypothesis at the cell, the median key metrics, and links to each cell-seed
 * record (its report.md / report.html when `theorycheck report` has made one, else its
 * results.json). sweep.html stays one self-contained file: inline CSS, the map as inline SVG,
 * and a few lines of inline script that sort the table by the clicked column.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

/* Up to this many seeds the verdicts are listed one by one, beyond it counted. */
#define SWEEP_LIST_VERDICTS 4

/* Metric names of the table: the members of the first cell that has metrics. */
static const json_t *metric_names(const rep_sweep *sw)
{
    for (size_t i = 0; i < sw->ncells; i++) {
        const json_t *m = json_object_get(sw->cells[i].cell, "metrics");
        if (json_object_size(m))
            return m;
    }
    return NULL;
}

static void fmt_num(cm_buf *b, const json_t *v, int digits)
{
    if (!json_is_number(v)) {
        cm_buf_puts(b, "");
        return;
    }
    cm_buf_printf(b, "%.*g", digits, json_number_value(v));
}

static const char *vstr(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : "?";
}

/* "pass, pass, fail" for a few seeds; "pass ×18, fail ×2" beyond. */
static void fmt_verdicts(cm_buf *b, const json_t *verdicts)
{
    size_t n = json_array_size(verdicts);
    if (n <= SWEEP_LIST_VERDICTS) {
        for (size_t i = 0; i < n; i++)
            cm_buf_printf(b, "%s%s", i ? ", " : "",
                          vstr(json_array_get(verdicts, i)));
        return;
    }
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        const char *v = vstr(json_array_get(verdicts, i));
        size_t count = 0, seen = 0;
        for (size_t j = 0; j < n; j++) {
            const char *w = vstr(json_array_get(verdicts, j));
            count += strcmp(v, w) == 0;
            seen += j < i && strcmp(v, w) == 0;
        }
        if (seen)
            continue;
        cm_buf_printf(b, "%s%s ×%zu", first ? "" : ", ", v, count);
        first = 0;
    }
}

static void fmt_ci(cm_buf *b, const json_t *ci)
{
    if (json_array_size(ci) != 2)
        return;
    cm_buf_puts(b, "[");
    fmt_num(b, json_array_get(ci, 0), 3);
    cm_buf_puts(b, ", ");
    fmt_num(b, json_array_get(ci, 1), 3);
    cm_buf_puts(b, "]");
}

static const char *hyp_text(int hyp)
{
    return hyp == 1 ? "true" : hyp == 0 ? "false" : "—";
}

/* Link target of record `rel` (a results.json path): the report beside it when present. */
static char *record_link(const char *dir, const char *rel, const char *report)
{
    if (!rel || !rep_path_safe(rel))
        return NULL;
    const char *slash = strrchr(rel, '/');
    cm_buf b = {0};
    cm_buf_printf(&b, "%.*s%s", slash ? (int)(slash - rel + 1) : 0, rel, report);
    char *full = b.oom ? NULL : cm_join(dir, cm_buf_str(&b));
    int present = full && cm_file_nonempty(full);
    free(full);
    if (!present) {
        cm_buf_free(&b);
        return strdup(rel);
    }
    return b.s;
}

/* The line under the title: claim expectation, profile, seeds, version, shard, reuse. */
static void run_line(cm_buf *b, const rep_sweep *sw)
{
    const json_t *s = sw->sweep, *shard = json_object_get(s, "shard");
    cm_buf_printf(b, "expect %s · profile %s · %zu seed%s from seed %.0f · theorycheck %s · ",
                  rep_jstr(s, "expect", "?"), rep_jstr(s, "profile", "?"),
                  json_array_size(rep_jarr(s, "seeds")),
                  json_array_size(rep_jarr(s, "seeds")) == 1 ? "" : "s",
                  rep_jnum(s, "seed"), rep_jstr(s, "version", "?"));
    cm_buf_printf(b, "%zu cell%s", sw->ncells, sw->ncells == 1 ? "" : "s");
    if (json_is_object(shard))
        cm_buf_printf(b, " (shard %.0f/%.0f)", rep_jnum(shard, "k"), rep_jnum(shard, "n"));
    cm_buf_printf(b, " · %.0f reused", rep_jnum(s, "reused"));
    if (json_is_true(json_object_get(s, "zip")))
        cm_buf_puts(b, " · zipped axes");
}

static void summary_line(cm_buf *b, const rep_sweep *sw)
{
    const json_t *sum = json_object_get(sw->sweep, "summary");
    cm_buf_printf(b, "holds everywhere %.0f · refuted everywhere %.0f · seed-dependent %.0f · "
                     "undecided %.0f",
                  rep_jnum(sum, "holds_everywhere"), rep_jnum(sum, "refuted_everywhere"),
                  rep_jnum(sum, "seed_dependent"), rep_jnum(sum, "undecided"));
    size_t disagree = 0, known = 0;
    for (size_t i = 0; i < sw->ncells; i++) {
        const rep_swcell *c = &sw->cells[i];
        if (c->hyp < 0 || isnan(c->frac))
            continue;
        known++;
        disagree += (c->hyp == 1) != (c->frac == 1.0);
    }
    if (known)
        cm_buf_printf(b, " · hypothesis and measured verdict disagree at %zu of %zu cells",
                      disagree, known);
}

/* ---- Markdown --------------------------------------------------------------------------- */

static void md_text(cm_buf *b, void (*fmt)(cm_buf *, const rep_sweep *), const rep_sweep *sw)
{
    cm_buf t = {0};
    fmt(&t, sw);
    cm_esc_md(b, cm_buf_str(&t));
    cm_buf_free(&t);
}

static void md_header_row(cm_buf *b, const rep_sweep *sw, const json_t *metrics)
{
    cm_buf_puts(b, "| # |");
    for (size_t a = 0; a < sw->naxes; a++) {
        cm_buf_puts(b, " ");
        cm_esc_md(b, sw->axes[a].param);
        cm_buf_puts(b, " |");
    }
    cm_buf_puts(b, " verdicts | holds/runs | 95% CI | seed-dependent | hypothesis |");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)metrics, key, v) {
        cm_buf_puts(b, " ");
        cm_esc_md(b, key);
        cm_buf_puts(b, " |");
    }
    cm_buf_puts(b, " records |\n|---|");
    for (size_t a = 0; a < sw->naxes + 5 + json_object_size(metrics) + 1; a++)
        cm_buf_puts(b, "---|");
    cm_buf_puts(b, "\n");
}

/* One cell's columns from params to metrics, each through `esc` (Markdown or HTML). */
typedef void (*cell_fn)(cm_buf *b, const char *text, double sortkey, void *ctx);

static void cell_columns(const rep_sweep *sw, const rep_swcell *c, const json_t *metrics,
                         cell_fn put, cm_buf *b, void *ctx)
{
    const json_t *params = json_object_get(c->cell, "params"), *cm = json_object_get(c->cell,
                                                                                     "metrics");
    cm_buf t = {0};
    for (size_t a = 0; a < sw->naxes; a++) {
        const json_t *v = json_object_get(params, sw->axes[a].param);
        rep_fmt_param(&t, v);
        put(b, cm_buf_str(&t), json_is_number(v) ? json_number_value(v) : NAN, ctx);
        cm_buf_free(&t);
    }
    fmt_verdicts(&t, json_object_get(c->cell, "verdicts"));
    put(b, cm_buf_str(&t), NAN, ctx);
    cm_buf_free(&t);
    cm_buf_printf(&t, "%.0f/%.0f", rep_jnum(c->cell, "holds"), rep_jnum(c->cell, "runs"));
    put(b, cm_buf_str(&t), c->frac, ctx);
    cm_buf_free(&t);
    const json_t *ci = json_object_get(c->cell, "ci");
    fmt_ci(&t, ci);
    put(b, cm_buf_str(&t), json_number_value(json_array_get(ci, 0)), ctx);
    cm_buf_free(&t);
    put(b, c->seed_dep ? "yes" : "no", c->seed_dep, ctx);
    put(b, hyp_text(c->hyp), c->hyp, ctx);
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)metrics, key, v) {
        const json_t *m = json_object_get(cm, key);
        fmt_num(&t, m, 4);
        put(b, cm_buf_str(&t), json_is_number(m) ? json_number_value(m) : NAN, ctx);
        cm_buf_free(&t);
    }
}

static void md_put(cm_buf *b, const char *text, double sortkey, void *ctx)
{
    (void)sortkey;
    (void)ctx;
    cm_buf_puts(b, " ");
    cm_esc_md(b, text);
    cm_buf_puts(b, " |");
}

static void md_records(cm_buf *b, const char *dir, const rep_swcell *c)
{
    const json_t *recs = json_object_get(c->cell, "records");
    for (size_t j = 0; j < json_array_size(recs); j++) {
        char *link = record_link(dir, json_string_value(json_array_get(recs, j)), "report.md");
        if (!link)
            continue;
        cm_buf_printf(b, " [%zu](", j + 1);
        rep_url(b, link);
        cm_buf_puts(b, ")");
        free(link);
    }
    cm_buf_puts(b, " |\n");
}

int rep_sweep_markdown(cm_buf *b, const char *dir, const rep_sweep *sw, const char *fignote)
{
    cm_buf_puts(b, "# Sweep of ");
    cm_esc_md(b, sw->claim);
    cm_buf_puts(b, "\n\n");
    md_text(b, run_line, sw);
    cm_buf_puts(b, "\n\n**Cells:** ");
    md_text(b, summary_line, sw);
    cm_buf_puts(b, "\n\n## Verdict map\n\n");
    if (fignote) {
        cm_buf_puts(b, "> **Note:** ");
        cm_esc_md(b, fignote);
        cm_buf_puts(b, "\n\n");
    } else {
        cm_buf_puts(b, "![verdict map of ");
        cm_esc_md(b, sw->claim);
        cm_buf_puts(b, "](figures/verdict_map.png)\n\n"
                       "[svg](figures/verdict_map.svg) · [png](figures/verdict_map.png) · "
                       "[pdf](figures/verdict_map.pdf)\n\n");
    }
    cm_buf_puts(b, "## Cells\n\n");
    const json_t *metrics = metric_names(sw);
    md_header_row(b, sw, metrics);
    for (size_t i = 0; i < sw->ncells; i++) {
        const rep_swcell *c = &sw->cells[i];
        cm_buf_printf(b, "| %.0f |", rep_jnum(c->cell, "index"));
        cell_columns(sw, c, metrics, md_put, b, NULL);
        md_records(b, dir, c);
    }
    cm_buf_puts(b, "\nMetrics are medians over the seeds of a cell; records link each seed's "
                   "record in seed order. Data: [data/sweep_cells.csv](data/sweep_cells.csv). "
                   "Redraw with `theorycheck report DIR`.\n");
    return b->oom ? -1 : 0;
}

/* ---- HTML -------------------------------------------------------------------------------- */

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "max-width:1400px;margin:2em auto;padding:0 1.2em;color:#202124;line-height:1.45}"
    ".run{color:#555}.note{color:#8a4b00;background:#fff8e1;padding:.3em .7em;border-radius:4px}"
    "figure{margin:1em 0}figure svg{width:100%;max-width:1000px;height:auto;display:block}"
    "figcaption{color:#555;font-size:.9em}table{border-collapse:collapse;margin:.6em 0 1em}"
    "th,td{border:1px solid #dadce0;padding:.25em .55em;text-align:left}"
    "th{background:#f6f8fa;cursor:pointer;user-select:none}th:after{content:' \\2195';"
    "color:#aaa}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.dep td{background:#fff8e1}";

/* Sort a table.sortable by the clicked column: numbers by value (data-v), text otherwise
 * (report.html's verdict table uses it too). */
const char rep_sort_js[] =
    "document.querySelectorAll('table.sortable th').forEach(function(th,i){"
    "th.addEventListener('click',function(){var b=th.closest('table').tBodies[0],"
    "r=Array.from(b.rows),d=th.dataset.dir==='a'?-1:1;th.dataset.dir=d>0?'a':'d';"
    "r.sort(function(x,y){var p=x.cells[i].dataset.v,q=y.cells[i].dataset.v,"
    "a=parseFloat(p),c=parseFloat(q);return d*(isNaN(a)||isNaN(c)?p.localeCompare(q):a-c);});"
    "r.forEach(function(e){b.appendChild(e);});});});";

static void html_put(cm_buf *b, const char *text, double sortkey, void *ctx)
{
    (void)ctx;
    cm_buf_puts(b, isfinite(sortkey) ? "<td class=\"n\" data-v=\"" : "<td data-v=\"");
    if (isfinite(sortkey))
        cm_buf_printf(b, "%.17g", sortkey);
    else
        cm_esc_html(b, text);
    cm_buf_puts(b, "\">");
    cm_esc_html(b, text);
    cm_buf_puts(b, "</td>");
}

static void html_text(cm_buf *b, void (*fmt)(cm_buf *, const rep_sweep *), const rep_sweep *sw)
{
    cm_buf t = {0};
    fmt(&t, sw);
    cm_esc_html(b, cm_buf_str(&t));
    cm_buf_free(&t);
}

static void html_map(cm_buf *b, const char *dir, const rep_sweep *sw, const char *fignote)
{
    char *svg = NULL;
    if (!fignote) {
        rep_fig fig = {0};
        fig.svg = (char *)"figures/verdict_map.svg";
        fig.title = (char *)"verdict map";
        svg = rep_figure_inline_svg(dir, &fig, "vm-");
    }
    if (svg) {
        cm_buf_printf(b, "<figure>\n%s\n<figcaption>Verdict map of ", svg);
        cm_esc_html(b, sw->claim);
        cm_buf_puts(b, " — <a href=\"figures/verdict_map.svg\">svg</a> · "
                       "<a href=\"figures/verdict_map.png\">png</a> · "
                       "<a href=\"figures/verdict_map.pdf\">pdf</a></figcaption>\n</figure>\n");
        free(svg);
        return;
    }
    cm_buf_puts(b, "<p class=\"note\"><strong>Note:</strong> ");
    cm_esc_html(b, fignote ? fignote : "verdict map not readable");
    cm_buf_puts(b, "</p>\n");
}

static void html_head_row(cm_buf *b, const rep_sweep *sw, const json_t *metrics)
{
    cm_buf_puts(b, "<table class=\"sortable\">\n<thead><tr><th>#</th>");
    for (size_t a = 0; a < sw->naxes; a++) {
        cm_buf_puts(b, "<th>");
        cm_esc_html(b, sw->axes[a].param);
        cm_buf_puts(b, "</th>");
    }
    cm_buf_puts(b, "<th>verdicts</th><th>holds/runs</th><th>95% CI</th><th>seed-dependent</th>"
                   "<th>hypothesis</th>");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)metrics, key, v) {
        cm_buf_puts(b, "<th>");
        cm_esc_html(b, key);
        cm_buf_puts(b, "</th>");
    }
    cm_buf_puts(b, "<th>records</th></tr></thead>\n<tbody>\n");
}

static void html_records(cm_buf *b, const char *dir, const rep_swcell *c)
{
    const json_t *recs = json_object_get(c->cell, "records");
    cm_buf_puts(b, "<td data-v=\"\">");
    for (size_t j = 0; j < json_array_size(recs); j++) {
        char *link = record_link(dir, json_string_value(json_array_get(recs, j)), "report.html");
        if (!link)
            continue;
        cm_buf_puts(b, j ? " <a href=\"" : "<a href=\"");
        rep_url(b, link);
        cm_buf_printf(b, "\">%zu</a>", j + 1);
        free(link);
    }
    cm_buf_puts(b, "</td></tr>\n");
}

int rep_sweep_html(cm_buf *b, const char *dir, const rep_sweep *sw, const char *fignote)
{
    cm_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<title>theorycheck sweep</title>\n<style>%s</style>\n</head>\n<body>\n"
                     "<h1>Sweep of <code>",
                  css);
    cm_esc_html(b, sw->claim);
    cm_buf_puts(b, "</code></h1>\n<p class=\"run\">");
    html_text(b, run_line, sw);
    cm_buf_puts(b, "</p>\n<p><strong>Cells:</strong> ");
    html_text(b, summary_line, sw);
    cm_buf_puts(b, "</p>\n<h2>Verdict map</h2>\n");
    html_map(b, dir, sw, fignote);
    cm_buf_puts(b, "<h2>Cells</h2>\n<p class=\"run\">Click a column to sort. Metrics are medians "
                   "over the seeds of a cell; records link each seed's record in seed order. "
                   "Data: <a href=\"data/sweep_cells.csv\">data/sweep_cells.csv</a>.</p>\n");
    const json_t *metrics = metric_names(sw);
    html_head_row(b, sw, metrics);
    for (size_t i = 0; i < sw->ncells; i++) {
        const rep_swcell *c = &sw->cells[i];
        double index = rep_jnum(c->cell, "index");
        cm_buf_printf(b, "<tr%s><td class=\"n\" data-v=\"%.0f\">%.0f</td>",
                      c->seed_dep ? " class=\"dep\"" : "", index, index);
        cell_columns(sw, c, metrics, html_put, b, NULL);
        html_records(b, dir, c);
    }
    cm_buf_printf(b, "</tbody>\n</table>\n<script>%s</script>\n</body>\n</html>\n", rep_sort_js);
    return b->oom ? -1 : 0;
}

/* ---- CSV --------------------------------------------------------------------------------- */

/* A CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
static void csv_field(cm_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        cm_buf_puts(b, s);
        return;
    }
    cm_buf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"')
            cm_buf_puts(b, "\""); /* a quote is doubled */
        cm_buf_putn(b, s, 1);
    }
    cm_buf_puts(b, "\"");
}

static void csv_num(cm_buf *b, const json_t *v)
{
    cm_buf_puts(b, ",");
    if (json_is_number(v))
        rep_fmt_exact(b, json_number_value(v));
    else
        cm_buf_puts(b, "nan");
}

int rep_sweep_csv(cm_buf *b, const rep_sweep *sw)
{
    const json_t *metrics = metric_names(sw);
    const char *key;
    const json_t *v;
    cm_buf_puts(b, "index");
    for (size_t a = 0; a < sw->naxes; a++) {
        cm_buf_puts(b, ",");
        csv_field(b, sw->axes[a].param);
    }
    cm_buf_puts(b, ",holds,runs,ci_lo,ci_hi,seed_dependent,hypothesis");
    json_object_foreach((json_t *)metrics, key, v) {
        cm_buf_puts(b, ",");
        csv_field(b, key);
    }
    cm_buf_puts(b, "\n");
    for (size_t i = 0; i < sw->ncells; i++) {
        const json_t *cell = sw->cells[i].cell, *params = json_object_get(cell, "params");
        const json_t *ci = json_object_get(cell, "ci"), *cm = json_object_get(cell, "metrics");
        cm_buf_printf(b, "%.0f", rep_jnum(cell, "index"));
        for (size_t a = 0; a < sw->naxes; a++) {
            cm_buf t = {0};
            rep_fmt_param(&t, json_object_get(params, sw->axes[a].param));
            cm_buf_puts(b, ",");
            csv_field(b, cm_buf_str(&t));
            cm_buf_free(&t);
        }
        csv_num(b, json_object_get(cell, "holds"));
        csv_num(b, json_object_get(cell, "runs"));
        csv_num(b, json_array_get(ci, 0));
        csv_num(b, json_array_get(ci, 1));
        cm_buf_printf(b, ",%d,%s", sw->cells[i].seed_dep,
                      sw->cells[i].hyp < 0 ? "nan" : sw->cells[i].hyp ? "1" : "0");
        json_object_foreach((json_t *)metrics, key, v)
            csv_num(b, json_object_get(cm, key));
        cm_buf_puts(b, "\n");
    }
    return b->oom ? -1 : 0;
}
