/* reports/svginline.c — a drawn SVG figure prepared for inlining in report.html.
 *
 * gnuplot's SVG starts with an XML prolog (and sometimes a DOCTYPE) that is invalid inside
 * HTML, and every file defines the same element ids (gnuplot_canvas, gpPt0, ...). HTML wants
 * ids unique across the document and a `#gpPt5` reference resolves to the first match, so
 * each figure's ids and references get a per-figure prefix. gnuplot already escapes the text
 * it writes (labels arrive as &lt; etc.), so the markup itself is kept as is.
 */
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

/* Patterns that introduce an id or a reference to one; the prefix goes right after them. */
static const char *const id_patterns[] = {"id='", "id=\"", "href='#", "href=\"#", "url(#"};

/* Has the id value at p (up to its closing quote) appeared before? Records it if not. */
typedef struct {
    const char **v; /* pointers into the svg text */
    size_t *len;
    size_t n, cap;
} seen_ids;

static int seen_before(seen_ids *ids, const char *p, size_t n)
{
    for (size_t i = 0; i < ids->n; i++)
        if (ids->len[i] == n && memcmp(ids->v[i], p, n) == 0)
            return 1;
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? 2 * ids->cap : 32;
        const char **v = realloc(ids->v, cap * sizeof *v);
        if (v)
            ids->v = v;
        size_t *len = realloc(ids->len, cap * sizeof *len);
        if (len)
            ids->len = len;
        if (!v || !len)
            return 0; /* out of memory: keep the duplicate, the page still renders */
        ids->cap = cap;
    }
    ids->v[ids->n] = p;
    ids->len[ids->n++] = n;
    return 0;
}

char *rep_figure_inline_svg(const char *outdir, const rep_fig *fig, const char *idprefix)
{
    char *path = cm_join(outdir, fig->svg);
    char *text = path ? cm_read_file(path, NULL) : NULL;
    free(path);
    if (!text)
        return NULL;
    const char *p = strstr(text, "<svg");
    if (!p) {
        free(text);
        return NULL;
    }
    cm_buf b = {0};
    seen_ids ids = {0};
    size_t ndup = 0;
    while (*p) {
        /* Replace gnuplot's generic document title by the plot's. */
        if (strncmp(p, "<title>Gnuplot</title>", 22) == 0) {
            cm_buf_puts(&b, "<title>");
            cm_esc_html(&b, fig->title);
            cm_buf_puts(&b, "</title>");
            p += 22;
            continue;
        }
        size_t k, n = sizeof id_patterns / sizeof id_patterns[0];
        for (k = 0; k < n; k++)
            if (strncmp(p, id_patterns[k], strlen(id_patterns[k])) == 0)
                break;
        int is_def = k < 2;
        if (k < n && (!is_def || p == text || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n')) {
            cm_buf_puts(&b, id_patterns[k]);
            cm_buf_puts(&b, idprefix);
            p += strlen(id_patterns[k]);
            /* gnuplot repeats some ids (the key of an opaque legend is drawn twice); later
             * copies get a suffix so ids stay unique, references keep pointing at the first. */
            if (is_def) {
                char quote = id_patterns[k][3];
                size_t len = strcspn(p, quote == '\'' ? "'" : "\"");
                cm_buf_putn(&b, p, len);
                if (seen_before(&ids, p, len))
                    cm_buf_printf(&b, "-dup%zu", ++ndup);
                p += len;
            }
            continue;
        }
        cm_buf_putn(&b, p, 1);
        p++;
    }
    free(ids.v);
    free(ids.len);
    free(text);
    if (b.oom) {
        cm_buf_free(&b);
        return NULL;
    }
    return b.s;
}
