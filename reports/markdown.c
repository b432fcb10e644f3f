/* reports/markdown.c — report.md: run line, summary, verdict table, one section per claim.
 *
 * GitHub-flavoured Markdown, readable as plain text too. Free text from the record is escaped
 * (cm_esc_md) so it cannot format itself or break a table row; identifiers go in code spans.
 * Figures are linked (and shown as images) only when they were drawn in this call, so the
 * report never points at a missing or stale file; undrawn figures are listed with the reason.
 */
#include <math.h>
#include <string.h>

#include "reports/figformat.h"
#include "reports/report.h"

#define KEY_METRICS 4 /* checked metrics shown per claim in the verdict table */

/* Verdicts that need attention (fail, xpass, error) in bold capitals. */
static void verdict_md(cm_buf *b, const char *v)
{
    if (strcmp(v, "fail") == 0)
        cm_buf_puts(b, "**FAIL**");
    else if (strcmp(v, "xpass") == 0)
        cm_buf_puts(b, "**XPASS**");
    else if (strcmp(v, "error") == 0)
        cm_buf_puts(b, "**ERROR**");
    else
        cm_esc_md(b, v);
}

static void anchor(cm_buf *b, const char *id)
{
    cm_buf_puts(b, "<a name=\"claim-");
    cm_esc_html(b, id);
    cm_buf_puts(b, "\"></a>\n");
}

static void link(cm_buf *b, const char *text, const char *path)
{
    cm_buf_puts(b, "[");
    cm_esc_md(b, text);
    cm_buf_puts(b, "](");
    rep_url(b, path);
    cm_buf_puts(b, ")");
}

static void summary(cm_buf *b, const json_t *results)
{
    long c[6], total = 0;
    rep_summary_counts(results, c);
    for (int i = 0; i < 6; i++)
        total += c[i];
    cm_buf_printf(b, "**Summary:** %ld claim%s — ", total, total == 1 ? "" : "s");
    for (int i = 0; i < 6; i++)
        cm_buf_printf(b, "%s%ld %s", i ? ", " : "", c[i], rep_verdicts[i]);
    cm_buf_puts(b, "\n\n");
}

static void key_metrics_cell(cm_buf *b, const json_t *claim)
{
    const json_t *key[KEY_METRICS];
    size_t nchecked, n = rep_key_metrics(claim, key, KEY_METRICS, &nchecked);
    for (size_t i = 0; i < n; i++) {
        cm_buf t = {0};
        rep_fmt_metric(&t, key[i], 4);
        if (i)
            cm_buf_puts(b, "<br>");
        cm_esc_md_code(b, rep_jstr(key[i], "name", "?"));
        cm_buf_puts(b, " ");
        cm_esc_md(b, cm_buf_str(&t));
        if (rep_metric_failed(key[i]))
            cm_buf_puts(b, " ✗");
        cm_buf_free(&t);
    }
    if (nchecked > n)
        cm_buf_printf(b, "<br>(+%zu more)", nchecked - n);
}

static void verdict_table(cm_buf *b, const json_t *claims, const rep_figset *fs)
{
    cm_buf_puts(b, "## Verdicts\n\n"
                    "| Claim | Source | Expectation | Verdict | Key metrics (✗ = failed) | "
                    "Seconds | Figures |\n"
                    "|---|---|---|---|---|--:|---|\n");
    for (size_t i = 0; i < json_array_size(claims); i++) {
        const json_t *c = json_array_get(claims, i);
        const char *id = rep_jstr(c, "id", "?");
        cm_buf_puts(b, "| [");
        cm_esc_md_code(b, id);
        cm_buf_puts(b, "](#claim-");
        rep_url(b, id);
        cm_buf_puts(b, ") ");
        cm_esc_md(b, rep_jstr(c, "title", ""));
        cm_buf_puts(b, " | ");
        cm_esc_md(b, rep_jstr(c, "source", ""));
        cm_buf_puts(b, " | ");
        cm_esc_md(b, rep_jstr(c, "expect", ""));
        cm_buf_puts(b, " | ");
        verdict_md(b, rep_jstr(c, "verdict", "?"));
        cm_buf_puts(b, " | ");
        key_metrics_cell(b, c);
        cm_buf_puts(b, " | ");
        rep_fmt_seconds(b, rep_jnum(c, "seconds"));
        cm_buf_puts(b, " |");
        int first = 1;
        for (size_t k = 0; k < fs->n; k++) {
            if (fs->v[k].claim != (int)i || !fs->v[k].drawn)
                continue;
            cm_buf_puts(b, first ? " " : ", ");
            link(b, fs->v[k].name, fs->v[k].files[0]);
            first = 0;
        }
        cm_buf_puts(b, " |\n");
    }
    cm_buf_puts(b, "\n");
}

static void metrics_table(cm_buf *b, const json_t *metrics)
{
    if (json_array_size(metrics) == 0)
        return;
    cm_buf_puts(b, "| Metric | Value | | Threshold | OK |\n|---|--:|:-:|--:|:-:|\n");
    for (size_t i = 0; i < json_array_size(metrics); i++) {
        const json_t *m = json_array_get(metrics, i);
        const char *op = rep_jstr(m, "op", "info");
        int d = rep_metric_digits(m, 6);
        cm_buf t = {0};
        cm_buf_puts(b, "| ");
        cm_esc_md_code(b, rep_jstr(m, "name", "?"));
        cm_buf_puts(b, " | ");
        rep_fmt_value(&t, json_object_get(m, "value"), d);
        cm_esc_md(b, cm_buf_str(&t));
        cm_buf_puts(b, " | ");
        cm_esc_md(b, rep_op_symbol(op));
        cm_buf_puts(b, " | ");
        cm_buf_free(&t);
        if (strcmp(op, "info") != 0)
            rep_fmt_threshold(&t, json_object_get(m, "threshold"), d);
        cm_esc_md(b, cm_buf_str(&t));
        cm_buf_free(&t);
        const json_t *ok = json_object_get(m, "ok");
        cm_buf_puts(b, json_is_true(ok) ? " | ✓ |\n" : json_is_false(ok) ? " | **✗** |\n"
                                                                          : " | — |\n");
    }
    cm_buf_puts(b, "\n");
}

static void params_table(cm_buf *b, const json_t *claim)
{
    const json_t *params = json_object_get(claim, "params");
    const json_t *sources = json_object_get(claim, "param_sources");
    if (!json_is_object(params) || json_object_size(params) == 0)
        return;
    cm_buf_puts(b, "| Parameter | Value | Source |\n|---|---|---|\n");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)params, key, v) {
        cm_buf t = {0};
        rep_fmt_param(&t, v);
        cm_buf_puts(b, "| ");
        cm_esc_md_code(b, key);
        cm_buf_puts(b, " | ");
        cm_esc_md_code(b, cm_buf_str(&t));
        cm_buf_puts(b, " | ");
        cm_esc_md(b, rep_jstr(sources, key, ""));
        cm_buf_puts(b, " |\n");
        cm_buf_free(&t);
    }
    cm_buf_puts(b, "\n");
}

static void figures(cm_buf *b, size_t ci, const rep_figset *fs)
{
    for (size_t k = 0; k < fs->n; k++) {
        const rep_fig *f = &fs->v[k];
        if (f->claim != (int)ci)
            continue;
        if (f->drawn) {
            const char *image = f->svg ? f->svg : f->png; /* what a Markdown viewer shows */
            if (image) {
                cm_buf_puts(b, "![");
                cm_esc_md(b, f->title);
                cm_buf_puts(b, "](");
                rep_url(b, image);
                cm_buf_puts(b, ")\n\n");
            }
            cm_esc_md(b, f->title);
            cm_buf_puts(b, ": ");
            for (size_t j = 0; j < f->nfiles; j++) {
                cm_buf_puts(b, j ? " · " : "");
                link(b, rep_ff_file_label(f->files[j]), f->files[j]);
            }
            cm_buf_puts(b, "\n\n");
        }
        if (f->note) {
            cm_buf_puts(b, "*Figure ");
            cm_esc_md_code(b, f->name);
            cm_buf_puts(b, ": ");
            cm_esc_md(b, f->note);
            cm_buf_puts(b, "*\n\n");
        }
    }
}

static void claim_section(cm_buf *b, size_t i, const json_t *c, const rep_figset *fs)
{
    const char *id = rep_jstr(c, "id", "?");
    anchor(b, id);
    cm_buf_puts(b, "### ");
    cm_esc_md_code(b, id);
    cm_buf_puts(b, " — ");
    cm_esc_md(b, rep_jstr(c, "title", ""));
    cm_buf_puts(b, "\n\n**Verdict:** ");
    verdict_md(b, rep_jstr(c, "verdict", "?"));
    cm_buf_puts(b, " (expected: ");
    cm_esc_md(b, rep_jstr(c, "expect", "?"));
    const json_t *holds = json_object_get(c, "holds");
    cm_buf_puts(b, json_is_true(holds) ? "; the numbers say it holds"
                    : json_is_false(holds) ? "; the numbers say it does not hold"
                                           : "; no conclusion");
    cm_buf_puts(b, ") · ");
    rep_fmt_seconds(b, rep_jnum(c, "seconds"));
    cm_buf_puts(b, " s  \n**Source:** ");
    cm_esc_md(b, rep_jstr(c, "source", ""));
    cm_buf_puts(b, "\n\n**Statement.** ");
    cm_esc_md(b, rep_jstr(c, "statement", ""));
    /* Optional members the harness adds: shown when present. */
    static const char *const extra[][2] = {{"hypotheses", "Hypotheses."},
                                           {"refuted_reason", "Why it is expected to fail."},
                                           {"data", "User data:"},
                                           {"reason", "Reason."}};
    for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++) {
        const char *text = rep_jstr(c, extra[k][0], "");
        if (!*text)
            continue;
        cm_buf_printf(b, "\n\n**%s** ", extra[k][1]);
        cm_esc_md(b, text);
    }
    cm_buf_puts(b, "\n\n");
    metrics_table(b, rep_jarr(c, "metrics"));
    params_table(b, c);
    figures(b, i, fs);
}

int rep_markdown_render(cm_buf *b, const json_t *results, const rep_figset *fs)
{
    const json_t *run = json_object_get(results, "run");
    const json_t *claims = rep_jarr(results, "claims");
    cm_buf t = {0};
    cm_buf_puts(b, "# theorycheck report\n\n");
    rep_run_line(&t, run);
    cm_esc_md(b, cm_buf_str(&t));
    cm_buf_puts(b, "  \n");
    cm_buf_free(&t);
    rep_env_line(&t, run);
    if (t.len) {
        cm_esc_md(b, cm_buf_str(&t));
        cm_buf_puts(b, "  \n");
    }
    cm_buf_free(&t);
    rep_argv_line(&t, run);
    if (t.len) {
        cm_buf_puts(b, "Command: ");
        cm_esc_md_code(b, cm_buf_str(&t));
        cm_buf_puts(b, "\n");
    }
    cm_buf_free(&t);
    cm_buf_puts(b, "\n");
    summary(b, results);
    if (fs->global_note) {
        cm_buf_puts(b, "> **Note:** ");
        cm_esc_md(b, fs->global_note);
        cm_buf_puts(b, "\n\n");
    }
    verdict_table(b, claims, fs);
    cm_buf_puts(b, "## Claims\n\n");
    for (size_t i = 0; i < json_array_size(claims); i++)
        claim_section(b, i, json_array_get(claims, i), fs);
    if (*fs->gnuplot_version && rep_figset_ndrawn(fs) > 0) {
        cm_buf_puts(b, "---\n\nFigures drawn with ");
        cm_esc_md(b, fs->gnuplot_version);
        cm_buf_puts(b, ".\n");
    }
    return b->oom ? -1 : 0;
}
