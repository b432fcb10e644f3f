/* reports/figformat.c — figure formats: parsing `--figure-format`, the files each format
 * writes, the gnuplot terminals, the LaTeX forms' fix-up and the record's "figures" lists.
 * See figformat.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/atomic.h"
#include "reports/figformat.h"
#include "reports/report.h"

static unsigned g_formats = REP_FF_DEFAULT;

void rep_ff_set(unsigned formats)
{
    g_formats = formats ? formats : REP_FF_DEFAULT;
}

unsigned rep_ff_get(void)
{
    return g_formats;
}

static const struct {
    unsigned bit;
    const char *name;
} names[REP_FF_NFORMATS] = {{REP_FF_SVG, "svg"},
                            {REP_FF_PNG, "png"},
                            {REP_FF_PDF, "pdf"},
                            {REP_FF_CAIROLATEX, "cairolatex"},
                            {REP_FF_EPSLATEX, "epslatex"}};

const char *rep_ff_name(unsigned f)
{
    for (size_t i = 0; i < REP_FF_NFORMATS; i++)
        if (names[i].bit == f)
            return names[i].name;
    return "?";
}

int rep_ff_parse(const char *list, unsigned *out, char *err, size_t errlen)
{
    unsigned set = 0;
    const char *p = list ? list : "";
    if (!*p) {
        snprintf(err, errlen, "--figure-format '': no format given (e.g. pdf,svg,png)");
        return -1;
    }
    for (;;) { /* every comma-separated element, empty ones included */
        size_t n = strcspn(p, ",");
        unsigned bit = 0;
        if (n == 3 && strncmp(p, "all", 3) == 0)
            bit = REP_FF_SVG | REP_FF_PNG | REP_FF_PDF | REP_FF_CAIROLATEX;
        for (size_t i = 0; i < REP_FF_NFORMATS && !bit; i++)
            if (strlen(names[i].name) == n && strncmp(p, names[i].name, n) == 0)
                bit = names[i].bit;
        if (!bit) {
            snprintf(err, errlen,
                     "--figure-format '%s': unknown format '%.*s' (allowed: svg, png, pdf, "
                     "cairolatex, epslatex, all; comma-separated)",
                     list, (int)n, p);
            return -1;
        }
        set |= bit;
        if (!p[n])
            break;
        p += n + 1;
    }
    if ((set & REP_FF_LATEX) == REP_FF_LATEX) {
        snprintf(err, errlen,
                 "--figure-format '%s': cairolatex and epslatex both write "
                 "figures/latex/<name>.tex: choose one",
                 list);
        return -1;
    }
    *out = set;
    return 0;
}

static char *dup_printf(const char *a, const char *b, const char *c)
{
    cm_buf s = {0};
    cm_buf_printf(&s, "%s%s%s", a, b, c);
    if (s.oom) {
        cm_buf_free(&s);
        return NULL;
    }
    return s.s;
}

size_t rep_ff_files(unsigned formats, const char *base, char **out)
{
    size_t n = 0;
    int ok = 1;
    static const char *const plain[3][2] = {{"svg", ".svg"}, {"png", ".png"}, {"pdf", ".pdf"}};
    static const unsigned bits[3] = {REP_FF_SVG, REP_FF_PNG, REP_FF_PDF};
    for (size_t i = 0; i < 3; i++)
        if (formats & bits[i])
            ok &= (out[n++] = dup_printf(base, plain[i][1], "")) != NULL;
    if (formats & REP_FF_LATEX) {
        /* figures/x-gap -> figures/latex/x-gap.tex and its graphic beside it */
        const char *slash = strrchr(base, '/');
        cm_buf dir = {0};
        if (slash)
            cm_buf_putn(&dir, base, (size_t)(slash - base + 1));
        cm_buf_puts(&dir, "latex/");
        const char *name = slash ? slash + 1 : base;
        const char *gext = formats & REP_FF_CAIROLATEX ? ".pdf" : ".eps";
        if (dir.oom)
            ok = 0;
        else {
            char *stem = dup_printf(cm_buf_str(&dir), name, "");
            ok &= stem != NULL;
            if (stem) {
                ok &= (out[n++] = dup_printf(stem, ".tex", "")) != NULL;
                ok &= (out[n++] = dup_printf(stem, gext, "")) != NULL;
            }
            free(stem);
        }
        cm_buf_free(&dir);
    }
    if (!ok) {
        for (size_t i = 0; i < n; i++)
            free(out[i]);
        return 0;
    }
    return n;
}

const char *rep_ff_file_label(const char *rel)
{
    const char *dot = strrchr(rel, '.');
    int latex = strstr(rel, "latex/") != NULL;
    if (!dot)
        return "file";
    if (latex)
        return strcmp(dot, ".tex") == 0 ? "LaTeX" : strcmp(dot, ".pdf") == 0 ? "LaTeX graphic (pdf)"
                                                                              : "LaTeX graphic (eps)";
    return dot + 1;
}

void rep_esc_latex(cm_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '\\': cm_buf_puts(b, "\\textbackslash{}"); break;
        case '^': cm_buf_puts(b, "\\textasciicircum{}"); break;
        case '~': cm_buf_puts(b, "\\textasciitilde{}"); break;
        case '<': cm_buf_puts(b, "\\textless{}"); break;
        case '>': cm_buf_puts(b, "\\textgreater{}"); break;
        case '|': cm_buf_puts(b, "\\textbar{}"); break;
        case '_': case '%': case '&': case '#': case '$': case '{': case '}':
            cm_buf_printf(b, "\\%c", *s);
            break;
        default: cm_buf_printf(b, "%c", *s);
        }
    }
}

/* ---- the gnuplot script -------------------------------------------------------------------- */

/* Sizes: svg and png as the reports always drew them; pdf and the LaTeX forms 5 x 3.5 in (a
 * one-column figure of a two-column paper is about 3.3 in, a full-width one 6.5 in), with the
 * PDF's fonts scaled like the svg's (12 pt on 800 px, title 15 pt). */
void rep_ff_terminal(cm_buf *b, unsigned f, int cols, int rows)
{
    double c = cols > 0 ? cols : 1, r = rows > 0 ? rows : 1;
    switch (f) {
    case REP_FF_SVG:
        cm_buf_printf(b, "set terminal svg size %.0f,%.0f dynamic enhanced font 'Sans,12' "
                         "background rgb 'white'\n", 800 * c, 560 * r);
        break;
    case REP_FF_PNG:
        cm_buf_printf(b, "set terminal pngcairo size %.0f,%.0f enhanced font 'Sans,11' "
                         "background rgb 'white'\n", 1000 * c, 700 * r);
        break;
    case REP_FF_PDF:
        cm_buf_printf(b, "set terminal pdfcairo size %gin,%gin enhanced font 'Sans,12' "
                         "fontscale 0.5 linewidth 0.6 background rgb 'white'\n", 5 * c, 3.5 * r);
        break;
    case REP_FF_CAIROLATEX:
        cm_buf_printf(b, "set terminal cairolatex pdf size %gin,%gin color linewidth 0.6\n",
                      5 * c, 3.5 * r);
        break;
    case REP_FF_EPSLATEX:
        cm_buf_printf(b, "set terminal epslatex size %gin,%gin color linewidth 0.6\n", 5 * c,
                      3.5 * r);
        break;
    }
}

void rep_ff_script(cm_buf *b, const rep_plotspec *ps, unsigned formats, char *const *tmp)
{
    static const unsigned plain[3] = {REP_FF_SVG, REP_FF_PNG, REP_FF_PDF};
    size_t k = 0;
    int plotted = 0;
    for (size_t i = 0; i < 3; i++) {
        if (!(formats & plain[i]))
            continue;
        if (!plotted)
            rep_gp_setup(b, ps, 0);
        rep_ff_terminal(b, plain[i], 1, 1);
        cm_buf_puts(b, "set output ");
        cm_esc_gp(b, tmp[k++]);
        cm_buf_puts(b, "\n");
        if (plotted)
            cm_buf_puts(b, "replot\n");
        else
            rep_gp_plot(b, ps, 0);
        cm_buf_puts(b, "set output\n");
        plotted = 1;
    }
    if (formats & REP_FF_LATEX) {
        /* The text is LaTeX now: labels and legend entries are set again, escaped. */
        rep_gp_setup(b, ps, 1);
        rep_ff_terminal(b, formats & REP_FF_LATEX, 1, 1);
        cm_buf_puts(b, "set output ");
        cm_esc_gp(b, tmp[k]);
        cm_buf_puts(b, "\n");
        rep_gp_plot(b, ps, 1);
        cm_buf_puts(b, "set output\n");
    }
}

int rep_ff_latex_fix(const char *tex_tmp, const char *final_stem)
{
    size_t n = 0;
    char *text = cm_read_file(tex_tmp, &n);
    if (!text)
        return -1;
    /* gnuplot names the graphic by the output name without ".tex" */
    cm_buf from = {0}, out = {0};
    size_t tl = strlen(tex_tmp);
    cm_buf_puts(&from, "{");
    cm_buf_putn(&from, tex_tmp, tl > 4 ? tl - 4 : tl);
    cm_buf_puts(&from, "}");
    const char *p = text, *hit;
    int found = 0;
    while (!from.oom && (hit = strstr(p, cm_buf_str(&from))) != NULL) {
        cm_buf_putn(&out, p, (size_t)(hit - p));
        cm_buf_printf(&out, "{%s}", final_stem);
        p = hit + from.len;
        found = 1;
    }
    cm_buf_puts(&out, p);
    int rc = found && !out.oom ? cm_write_atomic(tex_tmp, cm_buf_str(&out), out.len) : -1;
    free(text);
    cm_buf_free(&from);
    cm_buf_free(&out);
    return rc;
}

/* ---- the record's figures lists ---------------------------------------------------------- */

/* The new "figures" array of one claim: the files that exist. NULL on OOM. */
static json_t *claim_figures(const char *outdir, const json_t *claim)
{
    json_t *list = json_array();
    const json_t *plots = rep_claim_plots(claim);
    const char *id = rep_jstr(claim, "id", "claim");
    for (size_t j = 0; list && j < json_array_size(plots); j++) {
        const json_t *plot = json_array_get(plots, j);
        char fallback[32]; /* as rep_figset_collect names a plot without a name */
        snprintf(fallback, sizeof fallback, "plot%zu", j + 1);
        char *base = rep_figure_base(id, plot, rep_jstr(plot, "name", fallback));
        char *files[REP_FF_MAXFILES];
        size_t n = base ? rep_ff_files(g_formats, base, files) : 0;
        for (size_t k = 0; k < n; k++) {
            char *full = cm_join(outdir, files[k]);
            if (full && rep_path_safe(files[k]) && cm_file_nonempty(full))
                json_array_append_new(list, json_string(files[k]));
            free(full);
            free(files[k]);
        }
        free(base);
    }
    return list;
}

int rep_ff_fix_record(const char *outdir, json_t *record, char *err, size_t errlen)
{
    json_t *claims = json_object_get(record, "claims");
    int changed = 0;
    for (size_t i = 0; i < json_array_size(claims); i++) {
        json_t *claim = json_array_get(claims, i);
        json_t *list = claim_figures(outdir, claim);
        if (!list) {
            snprintf(err, errlen, "report: out of memory");
            return -1;
        }
        if (!json_equal(list, json_object_get(claim, "figures"))) {
            json_object_set(claim, "figures", list);
            changed = 1;
        }
        json_decref(list);
    }
    if (!changed)
        return 0;
    /* The serialisation of harness/records.c (records_write). */
    char *text = json_dumps(record, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    char *path = cm_join(outdir, "results.json");
    int rc = text && path ? cm_write_atomic(path, text, strlen(text)) : -1;
    if (rc)
        snprintf(err, errlen, "cannot write %s/results.json: %s", outdir,
                 text && path ? strerror(errno) : "out of memory");
    free(text);
    free(path);
    return rc;
}
