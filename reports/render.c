/* reports/render.c — rep_render_all: figures first (so the documents know which exist), then
 * report.md and report.html, each written atomically.
 *
 * Only I/O failures on the documents themselves are errors. Anything that concerns figures
 * (gnuplot missing, a CSV missing, no drawable data) is recorded as a note in both documents,
 * because a report without a figure is still a useful report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, a, b);
    return -1;
}

/* Data problems (missing CSV or column, nothing drawable) are checked and noted even when no
 * figure is drawn, so the report shows them whatever the reason for not drawing. */
static void draw_all(const char *outdir, const json_t *results, int no_plots, rep_figset *fs)
{
    if (fs->n == 0)
        return;
    int draw = 0;
    if (no_plots) {
        fs->global_note = strdup("figures not drawn: plots disabled (--no-plots)");
    } else if (rep_gnuplot_probe(fs->gnuplot_version, sizeof fs->gnuplot_version) != 0) {
        fs->gnuplot_version[0] = '\0';
        fs->global_note = strdup("figures not drawn: gnuplot not found");
    } else {
        draw = 1;
    }
    /* Same traversal order as rep_figset_collect. */
    const json_t *claims = rep_jarr(results, "claims");
    size_t k = 0;
    for (size_t i = 0; i < json_array_size(claims); i++) {
        const json_t *plots = rep_claim_plots(json_array_get(claims, i));
        for (size_t j = 0; j < json_array_size(plots) && k < fs->n; j++, k++) {
            if (rep_figure_draw(outdir, json_array_get(plots, j), &fs->v[k], draw) == 1) {
                fs->gnuplot_version[0] = '\0';
                fs->global_note = strdup("figures not drawn: gnuplot not found");
                draw = 0;
            }
        }
    }
}

static int write_doc(const char *outdir, const char *name, const cm_buf *b, char *err,
                     size_t errlen)
{
    char *path = cm_join(outdir, name);
    if (!path)
        return fail(err, errlen, "%s%s: out of memory", "", name);
    int rc = 0;
    if (cm_write_atomic(path, cm_buf_str(b), b->len) != 0)
        rc = fail(err, errlen, "cannot write %s: %s", path, strerror(errno));
    free(path);
    return rc;
}

int rep_render_all(const char *outdir, const json_t *results, int no_plots, char *err,
                   size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!outdir || !*outdir)
        return fail(err, errlen, "%s%s", "report: no output directory", "");
    if (!json_is_object(results))
        return fail(err, errlen, "%s%s", "results.json: not a JSON object", "");
    const json_t *claims = json_object_get(results, "claims");
    if (claims && !json_is_array(claims))
        return fail(err, errlen, "%s%s", "results.json: \"claims\" is not an array", "");
    if (cm_mkdirs(outdir) != 0)
        return fail(err, errlen, "cannot create %s: %s", outdir, strerror(errno));

    rep_figset fs = {0};
    cm_buf md = {0}, html = {0};
    int rc = -1;
    if (rep_figset_collect(&fs, results) != 0) {
        fail(err, errlen, "%s%s", "report: out of memory", "");
        goto done;
    }
    draw_all(outdir, results, no_plots, &fs);
    if (rep_markdown_render(&md, results, &fs) != 0 ||
        rep_html_render(&html, outdir, results, &fs) != 0) {
        fail(err, errlen, "%s%s", "report: out of memory", "");
        goto done;
    }
    if (write_doc(outdir, "report.md", &md, err, errlen) != 0 ||
        write_doc(outdir, "report.html", &html, err, errlen) != 0)
        goto done;
    rc = 0;
done:
    cm_buf_free(&md);
    cm_buf_free(&html);
    rep_figset_free(&fs);
    return rc;
}
