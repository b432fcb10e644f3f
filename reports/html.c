/* reports/html.c — report.html: one self-contained page (inline CSS, figures as inline SVG, a
 * few lines of inline script, no external resources), so it can be mailed or archived as a
 * single file. The verdict table fits a 1,280-pixel window (fixed layout, long words wrap),
 * sorts by any column (click its header) and filters by verdict and family.
 *
 * Every string from the record goes through cm_esc_html. Figure SVGs are the files gnuplot
 * drew in this call, inlined by rep_figure_inline_svg (prolog removed, ids made unique).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/figformat.h"
#include "reports/report.h"

#define KEY_METRICS 4 /* checked metrics shown per claim in the verdict table */

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
    "sans-serif;max-width:1200px;margin:2em auto;padding:0 1.2em;color:#202124;line-height:1.45;"
    "overflow-wrap:anywhere}"
    "h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}"
    "h3{margin-bottom:.3em}.run,.env,.cmd{margin:.2em 0;color:#555}.cmd code{font-size:.9em}"
    "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}"
    "table{border-collapse:collapse;margin:.6em 0 1em}"
    "th,td{border:1px solid #dadce0;padding:.3em .6em;vertical-align:top;text-align:left}"
    "th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "table.verdicts{width:100%;table-layout:fixed}table.verdicts td:nth-child(5){font-size:.9em}"
    "table.verdicts th{cursor:pointer;user-select:none;overflow-wrap:normal;font-size:.92em}table.verdicts th:after{content:' \\2195';"
    "color:#aaa;font-weight:400}.filters select{margin:0 1em 0 .3em}"
    ".badge{display:inline-block;padding:.1em .55em;border-radius:.8em;font-weight:600;"
    "font-size:.85em;margin-right:.3em}"
    ".v-pass{background:#e6f4ea;color:#137333}.v-fail{background:#fce8e6;color:#c5221f}"
    ".v-xfail{background:#e0f2f1;color:#00695c}.v-xpass{background:#fef3e0;color:#b45309}"
    ".v-skip{background:#f1f3f4;color:#5f6368}.v-error{background:#f3e8fd;color:#8e24aa}"
    ".v-unknown{background:#eee;color:#333}td.v{font-weight:600;text-align:center}"
    ".bad{color:#c5221f;font-weight:600}.ok{color:#137333}.muted{color:#777}"
    ".statement{margin:.5em 0;padding:.4em .9em;border-left:4px solid #9aa0a6;background:#fafafa}"
    ".note{color:#8a4b00;background:#fff8e1;padding:.3em .7em;border-radius:4px}"
    "figure{margin:1em 0}figure svg{width:100%;max-width:800px;height:auto;display:block}"
    "figcaption{color:#555;font-size:.9em}"
    "section.claim{border-top:1px solid #eee;padding-top:.4em}"
    "footer{margin-top:2em;color:#777;font-size:.85em}";

static const char *verdict_class(const char *v)
{
    for (int i = 0; i < 6; i++)
        if (strcmp(v, rep_verdicts[i]) == 0)
            return rep_verdicts[i];
    return "unknown";
}

static void badge(cm_buf *b, const char *verdict, const char *text)
{
    cm_buf_printf(b, "<span class=\"badge v-%s\">", verdict_class(verdict));
    cm_esc_html(b, text);
    cm_buf_puts(b, "</span>");
}

static void plain(cm_buf *b, void (*fmt)(cm_buf *, const json_t *), const json_t *v)
{
    cm_buf t = {0};
    fmt(&t, v);
    cm_esc_html(b, cm_buf_str(&t));
    cm_buf_free(&t);
}

static void header(cm_buf *b, const json_t *results, const rep_figset *fs)
{
    const json_t *run = json_object_get(results, "run");
    cm_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>theorycheck report</title>\n<style>%s</style>\n</head>\n<body>\n",
                   css);
    cm_buf_puts(b, "<header>\n<h1>theorycheck report</h1>\n<p class=\"run\">");
    plain(b, rep_run_line, run);
    cm_buf_puts(b, "</p>\n<p class=\"env\">");
    plain(b, rep_env_line, run);
    cm_buf_puts(b, "</p>\n<p class=\"cmd\"><code>");
    plain(b, rep_argv_line, run);
    cm_buf_puts(b, "</code></p>\n</header>\n<p class=\"summary\">");
    long c[6], total = 0;
    rep_summary_counts(results, c);
    for (int i = 0; i < 6; i++)
        total += c[i];
    cm_buf_printf(b, "<strong>%ld claim%s:</strong> ", total, total == 1 ? "" : "s");
    for (int i = 0; i < 6; i++) {
        char text[64];
        snprintf(text, sizeof text, "%ld %s", c[i], rep_verdicts[i]);
        badge(b, c[i] ? rep_verdicts[i] : "none", text);
    }
    cm_buf_puts(b, "</p>\n");
    if (fs->global_note) {
        cm_buf_puts(b, "<p class=\"note\"><strong>Note:</strong> ");
        cm_esc_html(b, fs->global_note);
        cm_buf_puts(b, "</p>\n");
    }
}

static void key_metrics_cell(cm_buf *b, const json_t *claim)
{
    const json_t *key[KEY_METRICS];
    size_t nchecked, n = rep_key_metrics(claim, key, KEY_METRICS, &nchecked);
    for (size_t i = 0; i < n; i++) {
        cm_buf t = {0};
        rep_fmt_metric(&t, key[i], 4);
        int bad = rep_metric_failed(key[i]);
        cm_buf_puts(b, i ? "<br>" : "");
        cm_buf_puts(b, bad ? "<span class=\"bad\">" : "<span>");
        cm_buf_puts(b, "<code>");
        cm_esc_html(b, rep_jstr(key[i], "name", "?"));
        cm_buf_puts(b, "</code> ");
        cm_esc_html(b, cm_buf_str(&t));
        cm_buf_puts(b, bad ? " ✗</span>" : "</span>");
        cm_buf_free(&t);
    }
    if (nchecked > n)
        cm_buf_printf(b, "<br><span class=\"muted\">(+%zu more)</span>", nchecked - n);
}

static void fig_link(cm_buf *b, const char *text, const char *path)
{
    cm_buf_puts(b, "<a href=\"");
    rep_url(b, path);
    cm_buf_puts(b, "\">");
    cm_esc_html(b, text);
    cm_buf_puts(b, "</a>");
}

/* Links to every file of a figure ("svg · png · pdf"). */
static void fig_links(cm_buf *b, const rep_fig *f)
{
    for (size_t k = 0; k < f->nfiles; k++) {
        cm_buf_puts(b, k ? " · " : "");
        fig_link(b, rep_ff_file_label(f->files[k]), f->files[k]);
    }
}

static rep_family_fn html_family_of;

void rep_set_family_of(rep_family_fn family_of) { html_family_of = family_of; }

static const char *family_name(const json_t *c)
{
    const char *f = html_family_of ? html_family_of(rep_jstr(c, "id", "")) : NULL;
    return f ? f : "";
}

/* Filter by verdict and family (the rows carry data-verdict and data-family); sorting is
 * rep_sort_js on table.sortable. */
static const char filter_js[] =
    "(function(){var t=document.querySelector('table.verdicts'),fv=document.getElementById("
    "'fv'),ff=document.getElementById('ff');function f(){Array.from(t.tBodies[0].rows)."
    "forEach(function(r){r.hidden=(fv.value&&r.dataset.verdict!==fv.value)||(ff.value&&"
    "r.dataset.family!==ff.value);});}fv.addEventListener('change',f);ff.addEventListener("
    "'change',f);"
    "document.documentElement.dataset.scrollWidth=document.documentElement.scrollWidth;})();";

/* <select id=ID> with "all" and each distinct value of `key` among the claims, in order. */
static void filter_select(cm_buf *b, const char *id, const char *label, const json_t *claims,
                          const char *(*key)(const json_t *))
{
    cm_buf_printf(b, "<label for=\"%s\">%s</label><select id=\"%s\"><option value=\"\">all"
                     "</option>", id, label, id);
    for (size_t i = 0; i < json_array_size(claims); i++) {
        const char *v = key(json_array_get(claims, i));
        size_t j = 0;
        while (j < i && strcmp(key(json_array_get(claims, j)), v) != 0)
            j++;
        if (j < i || !*v)
            continue; /* shown already, or unknown */
        cm_buf_puts(b, "<option>");
        cm_esc_html(b, v);
        cm_buf_puts(b, "</option>");
    }
    cm_buf_puts(b, "</select>");
}

static const char *verdict_of(const json_t *c) { return rep_jstr(c, "verdict", "?"); }

/* A cell's sort key: data-v="text" (escaped). */
static void sort_key(cm_buf *b, const char *text)
{
    cm_buf_puts(b, "<td data-v=\"");
    cm_esc_html(b, text);
    cm_buf_puts(b, "\"");
}

static void verdict_table(cm_buf *b, const json_t *claims, const rep_figset *fs)
{
    cm_buf_puts(b, "<h2>Verdicts</h2>\n<p class=\"filters\">");
    filter_select(b, "fv", "Verdict", claims, verdict_of);
    filter_select(b, "ff", "Family", claims, family_name);
    cm_buf_puts(b, "<span class=\"muted\">Click a column to sort.</span></p>\n"
                   "<table class=\"verdicts sortable\">\n<colgroup><col style=\"width:21%\">"
                   "<col style=\"width:12%\"><col style=\"width:9%\"><col style=\"width:8%\">"
                   "<col style=\"width:27%\"><col style=\"width:8%\"><col style=\"width:15%\">"
                   "</colgroup>\n<thead><tr><th>Claim</th>"
                   "<th>Source</th><th>Expectation</th><th>Verdict</th><th>Key metrics</th>"
                   "<th>Seconds</th><th>Figures</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < json_array_size(claims); i++) {
        const json_t *c = json_array_get(claims, i);
        const char *id = rep_jstr(c, "id", "?"), *verdict = rep_jstr(c, "verdict", "?");
        cm_buf_puts(b, "<tr data-verdict=\"");
        cm_esc_html(b, verdict);
        cm_buf_puts(b, "\" data-family=\"");
        cm_esc_html(b, family_name(c));
        cm_buf_puts(b, "\">");
        sort_key(b, id);
        cm_buf_puts(b, "><a href=\"#claim-");
        cm_esc_html(b, id);
        cm_buf_puts(b, "\"><code>");
        cm_esc_html(b, id);
        cm_buf_puts(b, "</code></a><br>");
        cm_esc_html(b, rep_jstr(c, "title", ""));
        cm_buf_puts(b, "</td>");
        sort_key(b, rep_jstr(c, "source", ""));
        cm_buf_puts(b, ">");
        cm_esc_html(b, rep_jstr(c, "source", ""));
        cm_buf_puts(b, "</td>");
        sort_key(b, rep_jstr(c, "expect", ""));
        cm_buf_puts(b, ">");
        cm_esc_html(b, rep_jstr(c, "expect", ""));
        cm_buf_puts(b, "</td>");
        sort_key(b, verdict);
        cm_buf_printf(b, " class=\"v v-%s\">", verdict_class(verdict));
        cm_esc_html(b, verdict);
        cm_buf_puts(b, "</td><td data-v=\"\">");
        key_metrics_cell(b, c);
        cm_buf_printf(b, "</td><td class=\"num\" data-v=\"%.17g\">", rep_jnum(c, "seconds"));
        rep_fmt_seconds(b, rep_jnum(c, "seconds"));
        cm_buf_puts(b, "</td><td data-v=\"\">");
        int first = 1;
        for (size_t k = 0; k < fs->n; k++) {
            if (fs->v[k].claim != (int)i || !fs->v[k].drawn)
                continue;
            cm_buf_puts(b, first ? "" : "<br>");
            fig_link(b, fs->v[k].name, fs->v[k].files[0]);
            first = 0;
        }
        cm_buf_puts(b, "</td></tr>\n");
    }
    cm_buf_puts(b, "</tbody>\n</table>\n");
}

static void metrics_table(cm_buf *b, const json_t *metrics)
{
    if (json_array_size(metrics) == 0)
        return;
    cm_buf_puts(b, "<table class=\"metrics\">\n<thead><tr><th>Metric</th><th>Value</th><th></th>"
                    "<th>Threshold</th><th>OK</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < json_array_size(metrics); i++) {
        const json_t *m = json_array_get(metrics, i);
        const char *op = rep_jstr(m, "op", "info");
        int d = rep_metric_digits(m, 6);
        cm_buf t = {0};
        cm_buf_puts(b, rep_metric_failed(m) ? "<tr class=\"bad\"><td><code>" : "<tr><td><code>");
        cm_esc_html(b, rep_jstr(m, "name", "?"));
        cm_buf_puts(b, "</code></td><td class=\"num\">");
        rep_fmt_value(&t, json_object_get(m, "value"), d);
        cm_esc_html(b, cm_buf_str(&t));
        cm_buf_free(&t);
        cm_buf_puts(b, "</td><td>");
        cm_esc_html(b, rep_op_symbol(op));
        cm_buf_puts(b, "</td><td class=\"num\">");
        if (strcmp(op, "info") != 0)
            rep_fmt_threshold(&t, json_object_get(m, "threshold"), d);
        cm_esc_html(b, cm_buf_str(&t));
        cm_buf_free(&t);
        const json_t *ok = json_object_get(m, "ok");
        cm_buf_puts(b, json_is_true(ok)    ? "</td><td class=\"ok\">✓</td></tr>\n"
                        : json_is_false(ok) ? "</td><td class=\"bad\">✗</td></tr>\n"
                                            : "</td><td class=\"muted\">info</td></tr>\n");
    }
    cm_buf_puts(b, "</tbody>\n</table>\n");
}

static void params_table(cm_buf *b, const json_t *claim)
{
    const json_t *params = json_object_get(claim, "params");
    const json_t *sources = json_object_get(claim, "param_sources");
    if (!json_is_object(params) || json_object_size(params) == 0)
        return;
    cm_buf_printf(b, "<details><summary>Parameters (%zu)</summary>\n<table class=\"params\">\n"
                      "<thead><tr><th>Parameter</th><th>Value</th><th>Source</th></tr></thead>\n"
                      "<tbody>\n",
                   json_object_size(params));
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)params, key, v) {
        const char *src = rep_jstr(sources, key, "");
        cm_buf_puts(b, "<tr><td><code>");
        cm_esc_html(b, key);
        cm_buf_puts(b, "</code></td><td><code>");
        plain(b, rep_fmt_param, v);
        /* A value the user changed is what a reader looks for first. */
        cm_buf_puts(b, strcmp(src, "default") && *src ? "</code></td><td><strong>"
                                                       : "</code></td><td>");
        cm_esc_html(b, src);
        cm_buf_puts(b, strcmp(src, "default") && *src ? "</strong></td></tr>\n"
                                                       : "</td></tr>\n");
    }
    cm_buf_puts(b, "</tbody>\n</table>\n</details>\n");
}

static void figures(cm_buf *b, const char *outdir, size_t ci, const rep_figset *fs)
{
    for (size_t k = 0; k < fs->n; k++) {
        const rep_fig *f = &fs->v[k];
        if (f->claim != (int)ci)
            continue;
        char *svg = NULL;
        if (f->drawn && f->svg) { /* inlined only when svg is a figure format */
            char prefix[32];
            snprintf(prefix, sizeof prefix, "f%zu-", k);
            svg = rep_figure_inline_svg(outdir, f, prefix);
        }
        if (svg) {
            cm_buf_puts(b, "<figure>\n");
            cm_buf_puts(b, svg);
            cm_buf_puts(b, "\n<figcaption>");
            cm_esc_html(b, f->title);
            cm_buf_puts(b, " — ");
            fig_links(b, f);
            cm_buf_puts(b, "</figcaption>\n</figure>\n");
            free(svg);
        } else if (f->drawn) {
            cm_buf_puts(b, "<p class=\"note\">Figure <code>");
            cm_esc_html(b, f->name);
            cm_buf_puts(b, f->svg ? "</code>: drawn but cannot be read for inlining: "
                                  : "</code> (no svg among the figure formats): ");
            fig_links(b, f);
            cm_buf_puts(b, "</p>\n");
        }
        if (f->note) {
            cm_buf_puts(b, "<p class=\"note\">Figure <code>");
            cm_esc_html(b, f->name);
            cm_buf_puts(b, "</code>: ");
            cm_esc_html(b, f->note);
            cm_buf_puts(b, "</p>\n");
        }
    }
}

static void claim_section(cm_buf *b, const char *outdir, size_t i, const json_t *c,
                          const rep_figset *fs)
{
    const char *id = rep_jstr(c, "id", "?"), *verdict = rep_jstr(c, "verdict", "?");
    cm_buf_puts(b, "<section class=\"claim\" id=\"claim-");
    cm_esc_html(b, id);
    cm_buf_puts(b, "\">\n<h3><code>");
    cm_esc_html(b, id);
    cm_buf_puts(b, "</code> — ");
    cm_esc_html(b, rep_jstr(c, "title", ""));
    cm_buf_puts(b, " ");
    badge(b, verdict, verdict);
    cm_buf_puts(b, "</h3>\n<p class=\"meta\">Source: ");
    cm_esc_html(b, rep_jstr(c, "source", ""));
    cm_buf_puts(b, " · expected: ");
    cm_esc_html(b, rep_jstr(c, "expect", "?"));
    const json_t *holds = json_object_get(c, "holds");
    cm_buf_puts(b, json_is_true(holds)    ? " · the numbers say it holds"
                    : json_is_false(holds) ? " · the numbers say it does not hold"
                                           : " · no conclusion");
    cm_buf_puts(b, " · ");
    rep_fmt_seconds(b, rep_jnum(c, "seconds"));
    cm_buf_puts(b, " s</p>\n<blockquote class=\"statement\">");
    cm_esc_html(b, rep_jstr(c, "statement", ""));
    cm_buf_puts(b, "</blockquote>\n");
    /* Optional members the harness adds: shown when present. */
    static const char *const extra[][2] = {{"hypotheses", "Hypotheses."},
                                           {"refuted_reason", "Why it is expected to fail."},
                                           {"data", "User data:"},
                                           {"reason", "Reason."}};
    for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++) {
        const char *text = rep_jstr(c, extra[k][0], "");
        if (!*text)
            continue;
        cm_buf_printf(b, "<p class=\"%s\"><strong>%s</strong> ", extra[k][0], extra[k][1]);
        cm_esc_html(b, text);
        cm_buf_puts(b, "</p>\n");
    }
    metrics_table(b, rep_jarr(c, "metrics"));
    params_table(b, c);
    figures(b, outdir, i, fs);
    cm_buf_puts(b, "</section>\n");
}

int rep_html_render(cm_buf *b, const char *outdir, const json_t *results, const rep_figset *fs)
{
    const json_t *claims = rep_jarr(results, "claims");
    header(b, results, fs);
    verdict_table(b, claims, fs);
    cm_buf_puts(b, "<h2>Claims</h2>\n");
    for (size_t i = 0; i < json_array_size(claims); i++)
        claim_section(b, outdir, i, json_array_get(claims, i), fs);
    cm_buf_puts(b, "<footer>Generated by theorycheck from results.json and data/*.csv");
    if (*fs->gnuplot_version && rep_figset_ndrawn(fs) > 0) {
        cm_buf_puts(b, "; figures drawn with ");
        cm_esc_html(b, fs->gnuplot_version);
    }
    cm_buf_printf(b, ".</footer>\n<script>%s%s</script>\n</body>\n</html>\n", filter_js,
                  rep_sort_js);
    return b->oom ? -1 : 0;
}
