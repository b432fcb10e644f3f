/* reports/render.c — rep_render_all: figures first (so the documents know which exist), then
 * report.md and report.html, each written atomically.
 *
 * Only I/O failures on the documents themselves are errors. Anything that concerns figures
 * (gnuplot missing, a CSV missing, no drawable data) is recorded as a note in both documents,
 * because a report without a figure is still a useful report.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/report.h"

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, a, b);
    return -1;
}

/* The figures are independent gnuplot processes writing their own files (temporary names
 * derived from each figure's own name), so they are drawn by a few threads at once: drawing
 * is ~5% of `make figures` and ran on one core while the others idled. Each thread takes the
 * next figure under the lock; results land in the figure's own slot, so the documents do not
 * depend on the order in which figures finish. */
typedef struct {
    const char *outdir;
    const json_t **plots; /* plots[k] is the plot of fs->v[k] */
    rep_figset *fs;
    size_t next;
    int draw; /* cleared (for every later figure) when gnuplot turns out to be missing */
    pthread_mutex_t lock;
} draw_pool;

static void *draw_worker(void *arg)
{
    draw_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t k = p->next++;
        int draw = p->draw;
        pthread_mutex_unlock(&p->lock);
        if (k >= p->fs->n)
            return NULL;
        if (p->plots[k] && rep_figure_draw(p->outdir, p->plots[k], &p->fs->v[k], draw) == 1) {
            pthread_mutex_lock(&p->lock);
            p->draw = 0;
            pthread_mutex_unlock(&p->lock);
        }
    }
}

/* Threads for drawing: the online cores, at most REP_DRAW_THREADS_MAX (gnuplot is one
 * process per figure; more threads than cores only add switching). */
#define REP_DRAW_THREADS_MAX 8
static int draw_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > REP_DRAW_THREADS_MAX ? REP_DRAW_THREADS_MAX : (int)n;
}

static void draw_run(draw_pool *p)
{
    pthread_t tid[REP_DRAW_THREADS_MAX];
    int started = 0, want = draw_threads();
    pthread_mutex_init(&p->lock, NULL);
    for (int k = 1; k < want; k++)
        if (pthread_create(&tid[started], NULL, draw_worker, p) == 0)
            started++;
    draw_worker(p); /* the calling thread draws too */
    for (int k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    pthread_mutex_destroy(&p->lock);
}

/* Data problems (missing CSV or column, nothing drawable) are checked and noted even when no
 * figure is drawn, so the report shows them whatever the reason for not drawing. */
static void draw_all(const char *outdir, const json_t *results, int no_plots, rep_figset *fs)
{
    if (fs->n == 0)
        return;
    draw_pool p = {.outdir = outdir, .fs = fs, .draw = 0};
    if (no_plots) {
        fs->global_note = strdup("figures not drawn: plots disabled (--no-plots)");
    } else if (rep_gnuplot_probe(fs->gnuplot_version, sizeof fs->gnuplot_version) != 0) {
        fs->gnuplot_version[0] = '\0';
        fs->global_note = strdup("figures not drawn: gnuplot not found");
    } else {
        p.draw = 1;
    }
    p.plots = calloc(fs->n, sizeof *p.plots);
    if (!p.plots) {
        for (size_t k = 0; k < fs->n; k++)
            if (!fs->v[k].note)
                fs->v[k].note = strdup("not drawn: out of memory");
        return;
    }
    /* Same traversal order as rep_figset_collect. */
    const json_t *claims = rep_jarr(results, "claims");
    size_t k = 0;
    for (size_t i = 0; i < json_array_size(claims); i++) {
        const json_t *plots = rep_claim_plots(json_array_get(claims, i));
        for (size_t j = 0; j < json_array_size(plots) && k < fs->n; j++, k++)
            p.plots[k] = json_array_get(plots, j);
    }
    int drawing = p.draw;
    draw_run(&p);
    if (drawing && !p.draw) {
        fs->gnuplot_version[0] = '\0';
        fs->global_note = strdup("figures not drawn: gnuplot not found");
    }
    free(p.plots);
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
