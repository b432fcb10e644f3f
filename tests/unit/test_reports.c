/* tests/unit/test_reports.c — reports/: report.md, report.html, gnuplot figures, atomic writes.
 *
 * Each rendering test builds a small results record in memory (two claims; one plot with two
 * curves on log axes and nan/inf/negative values in its CSV, one plot with error bars, one
 * plot whose CSV is missing, one with no drawable point), writes the CSVs to a fresh mkdtemp
 * directory and checks the documents. Figure assertions are skipped when gnuplot is not
 * installed; the "gnuplot not found" path is tested on every machine by pointing
 * THEORYCHECK_GNUPLOT at a program that does not exist. No randomness is used.
 */

#include "tc_test.h"
#include "tc_test_dir.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/report.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static int exists_rel(const char *dir, const char *rel)
{
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return stat(path, &st) == 0;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) {
        fprintf(stderr, "expected to find [%s]\n", needle);
        fail();
    }
}

static void assert_not_contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle)) {
        fprintf(stderr, "did not expect [%s]\n", needle);
        fail();
    }
}

/* Number of entries whose name contains ".tmp." in dir (not recursive). */
static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static int count_tmp_all(const char *dir)
{
    char sub[1024];
    int n = count_tmp(dir);
    snprintf(sub, sizeof sub, "%s/figures", dir);
    n += count_tmp(sub);
    snprintf(sub, sizeof sub, "%s/data", dir);
    return n + count_tmp(sub);
}

static void remove_tree(const char *dir)
{
    const char *subs[] = {"figures", "data", ""};
    for (size_t i = 0; i < 3; i++) {
        char path[1024], file[2048];
        snprintf(path, sizeof path, "%s/%s", dir, subs[i]);
        DIR *d = opendir(path);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            unlink(file);
        }
        closedir(d);
        rmdir(path);
    }
}

static int gnuplot_available(void)
{
    char ver[64];
    return rep_gnuplot_probe(ver, sizeof ver) == 0;
}

/* ---- the record used by the rendering tests ------------------------------------------------ */

static const char *record_json =
    "{\"schema\": \"theorycheck/results/v1\","
    " \"run\": {\"version\": \"0.1.0\", \"git\": \"abc1234\", \"profile\": \"quick\", \"seed\": 7,"
    "   \"started\": \"2025-01-01T00:00:00Z\", \"seconds\": 3.5, \"blas\": \"OpenBLAS\","
    "   \"gsl\": \"2.7\", \"host\": \"test\", \"argv\": [\"theorycheck\", \"run\"]},"
    " \"claims\": ["
    "  {\"id\": \"alpha\", \"title\": \"Alpha converges\", \"source\": \"003 §4 eq. (4)\","
    "   \"statement\": \"gap <b>&</b> w_t | O(1/log t)\", \"expect\": \"holds\","
    "   \"hypotheses\": \"separable data\","
    "   \"verdict\": \"pass\", \"holds\": true, \"reason\": \"all checked metrics ok\","
    "   \"seconds\": 1.25, \"params\": {\"n\": 40, \"lr\": 0.1, \"widths\": [64, 256]},"
    "   \"param_sources\": {\"n\": \"default\", \"lr\": \"command line\", \"widths\": \"config\"},"
    "   \"metrics\": ["
    "     {\"name\": \"final_gap\", \"value\": 0.01, \"op\": \"<=\", \"threshold\": 0.05, \"ok\": true},"
    "     {\"name\": \"rate\", \"value\": -1.0, \"op\": \"in\", \"threshold\": [-1.2, -0.8], \"ok\": true},"
    "     {\"name\": \"iterations\", \"value\": 1000, \"op\": \"info\", \"threshold\": null, \"ok\": null}],"
    "   \"series\": [{\"name\": \"traj\", \"file\": \"data/alpha-traj.csv\"}],"
    "   \"figures\": [\"figures/alpha-gap.svg\", \"figures/alpha-empty.svg\"],"
    "   \"plots\": ["
    "    {\"name\": \"gap\", \"file\": \"figures/alpha-gap\", \"title\": \"Gap 'quoted' a_b^c\","
    "     \"xlabel\": \"t\", \"ylabel\": \"gap\", \"logx\": true, \"logy\": true,"
    "     \"curves\": ["
    "      {\"data\": \"data/alpha-traj.csv\", \"x\": \"t\", \"y\": \"gap\", \"yerr\": null,"
    "       \"label\": \"exponential loss\", \"style\": \"lines\"},"
    "      {\"data\": \"data/alpha-traj.csv\", \"x\": \"t\", \"y\": \"gap2\", \"yerr\": null,"
    "       \"label\": \"it's logistic\", \"style\": \"dashed\"}]},"
    "    {\"name\": \"empty\", \"file\": \"figures/alpha-empty\", \"title\": \"Empty\","
    "     \"xlabel\": \"t\", \"ylabel\": \"y\", \"logx\": false, \"logy\": true,"
    "     \"curves\": ["
    "      {\"data\": \"data/alpha-traj.csv\", \"x\": \"t\", \"y\": \"neg\", \"yerr\": null,"
    "       \"label\": \"negative\", \"style\": \"lines\"}]}]},"
    "  {\"id\": \"beta\", \"title\": \"Beta shrinks\", \"source\": \"005 Thm 2\","
    "   \"statement\": \"deviation = O(1/sqrt(m))\", \"expect\": \"holds\", \"verdict\": \"fail\","
    "   \"holds\": false, \"reason\": \"slope -0.3 outside [-0.6, -0.4]\", \"seconds\": 0.5,"
    "   \"params\": {}, \"param_sources\": {},"
    "   \"metrics\": ["
    "     {\"name\": \"slope\", \"value\": -0.3, \"op\": \"in\", \"threshold\": [-0.6, -0.4], \"ok\": false},"
    "     {\"name\": \"margin\", \"value\": 0.99999, \"op\": \">=\", \"threshold\": 1, \"ok\": false}],"
    "   \"series\": [{\"name\": \"sweep\", \"file\": \"data/beta-sweep.csv\"}],"
    "   \"figures\": [\"figures/beta-dev.svg\", \"figures/beta-missing.svg\"],"
    "   \"plots\": ["
    "    {\"name\": \"dev\", \"file\": \"figures/beta-dev\", \"title\": \"Deviation vs width\","
    "     \"xlabel\": \"width m\", \"ylabel\": \"deviation\", \"logx\": true, \"logy\": true,"
    "     \"curves\": ["
    "      {\"data\": \"data/beta-sweep.csv\", \"x\": \"width\", \"y\": \"dev\", \"yerr\": \"err\","
    "       \"label\": \"measured\", \"style\": \"errorbars\"},"
    "      {\"data\": \"data/beta-sweep.csv\", \"x\": \"width\", \"y\": \"bound\", \"yerr\": null,"
    "       \"label\": \"bound\", \"style\": \"linespoints\"}]},"
    "    {\"name\": \"missing\", \"file\": \"figures/beta-missing\", \"title\": \"Missing\","
    "     \"xlabel\": \"x\", \"ylabel\": \"y\", \"logx\": false, \"logy\": false,"
    "     \"curves\": ["
    "      {\"data\": \"data/nope.csv\", \"x\": \"a\", \"y\": \"b\", \"yerr\": null,"
    "       \"label\": \"nothing\", \"style\": \"lines\"}]}]}],"
    " \"summary\": {\"pass\": 1, \"fail\": 1, \"xfail\": 0, \"xpass\": 0, \"skip\": 0, \"error\": 0}}";

/* A trajectory over t = 1..1e4 with a nan, an inf and a negative gap (dropped on log axes). */
static void write_traj(const char *dir)
{
    cm_buf b = {0};
    cm_buf_puts(&b, "t,gap,gap2,neg\n");
    for (int i = 0; i <= 40; i++) {
        double t = pow(10.0, i / 10.0);
        double gap = 1.0 / log(t + M_E), gap2 = 1.3 * gap;
        if (i == 5)
            cm_buf_printf(&b, "%.17g,nan,%.17g,-1\n", t, gap2);
        else if (i == 6)
            cm_buf_printf(&b, "%.17g,inf,%.17g,-1\n", t, gap2);
        else if (i == 7)
            cm_buf_printf(&b, "%.17g,-0.5,%.17g,-1\n", t, gap2);
        else
            cm_buf_printf(&b, "%.17g,%.17g,%.17g,%d\n", t, gap, gap2, -i);
    }
    tc_dir_put(dir, "data/alpha-traj.csv", cm_buf_str(&b));
    cm_buf_free(&b);
}

static void write_sweep(const char *dir)
{
    cm_buf b = {0};
    cm_buf_puts(&b, "width,dev,err,bound\n");
    for (int m = 16; m <= 2048; m *= 2)
        cm_buf_printf(&b, "%d,%.17g,%.17g,%.17g\n", m, 2 / sqrt(m), 0.3 / sqrt(m), 3 / sqrt(m));
    tc_dir_put(dir, "data/beta-sweep.csv", cm_buf_str(&b));
    cm_buf_free(&b);
}

static json_t *load_record(void)
{
    json_error_t e;
    json_t *r = json_loads(record_json, 0, &e);
    if (!r)
        fprintf(stderr, "record_json: line %d: %s\n", e.line, e.text);
    assert_non_null(r);
    return r;
}

/* ---- rendering ----------------------------------------------------------------------------- */

static void test_render_full(void **state)
{
    (void)state;
    char *dir = tc_dir_new("reports");
    write_traj(dir);
    write_sweep(dir);
    json_t *rec = load_record();
    char err[256] = "unset";
    int rc = rep_render_all(dir, rec, 0, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "rep_render_all: %s\n", err);
    assert_int_equal(rc, 0);

    char *md = tc_dir_read(dir, "report.md");
    assert_non_null(md);
    /* Title, run line and summary. */
    assert_contains(md, "# theorycheck report");
    assert_contains(md, "seed 7");
    assert_contains(md, "1 pass, 1 fail, 0 xfail");
    /* Table rows: claim link, source, expectation, verdict, key metrics, seconds. */
    assert_contains(md, "| [`alpha`](#claim-alpha) Alpha converges | 003 §4 eq. (4) | holds | pass | "
                        "`final_gap` 0.01 ≤ 0.05<br>`rate` -1 ∈ \\[-1.2, -0.8\\] | 1.25 |");
    assert_contains(md, "| [`beta`](#claim-beta) Beta shrinks | 005 Thm 2 | holds | **FAIL** | ");
    /* Failing metrics are marked, and printed with enough digits to differ from the bound. */
    assert_contains(md, "`slope` -0.3 ∈ \\[-0.6, -0.4\\] ✗");
    assert_contains(md, "`margin` 0.99999 ≥ 1 ✗");
    /* Per-claim section: escaped statement, parameters with sources, metrics table. */
    assert_contains(md, "gap \\<b\\>\\&\\</b\\> w\\_t \\| O(1/log t)");
    assert_contains(md, "**Hypotheses.** separable data");
    assert_contains(md, "| `lr` | `0.1` | command line |");
    assert_contains(md, "| `widths` | `64,256` | config |");
    assert_contains(md, "| `iterations` | 1000 |  |  | — |");
    /* Missing CSV and undrawable data are noted, not fatal. */
    assert_contains(md, "cannot read data/nope.csv");
    assert_contains(md, "*Figure `empty`: not drawn: no drawable data");

    char *html = tc_dir_read(dir, "report.html");
    assert_non_null(html);
    assert_contains(html, "<!DOCTYPE html>");
    assert_contains(html, "</html>");
    assert_contains(html, "gap &lt;b&gt;&amp;&lt;/b&gt; w_t | O(1/log t)");
    assert_not_contains(html, "<b>&</b>");
    assert_contains(html, "class=\"v v-fail\"");
    assert_contains(html, "class=\"v v-pass\"");
    assert_not_contains(html, "<link");
    /* self-contained: the one inline script (sorting and filtering the verdict table, issue
     * #13) and nothing loaded from elsewhere */
    assert_not_contains(html, "<script src");
    assert_contains(html, "<script>(function(){");
    assert_not_contains(strstr(html, "<script>") + 1, "<script");
    assert_not_contains(html, "<?xml");
    assert_int_equal(count_tmp_all(dir), 0);
    assert_false(exists_rel(dir, "figures/beta-missing.svg"));
    assert_false(exists_rel(dir, "figures/alpha-empty.svg"));

    if (!gnuplot_available()) {
        free(md);
        free(html);
        json_decref(rec);
        remove_tree(dir);
        free(dir);
        skip(); /* figure assertions need gnuplot */
    }
    assert_true(tc_dir_nonempty(dir, "figures/alpha-gap.svg"));
    assert_true(tc_dir_nonempty(dir, "figures/alpha-gap.png"));
    assert_true(tc_dir_nonempty(dir, "figures/beta-dev.svg"));
    assert_true(tc_dir_nonempty(dir, "figures/beta-dev.png"));
    char *svg = tc_dir_read(dir, "figures/alpha-gap.svg");
    assert_non_null(svg);
    /* Labels are printed literally: the quote survives, no enhanced-text subscript. */
    assert_contains(svg, "it's logistic");
    free(svg);
    assert_contains(md, "[gap](figures/alpha-gap.svg)");
    assert_contains(md, "![Gap 'quoted' a\\_b^c](figures/alpha-gap.svg)");
    assert_contains(html, "<svg");
    assert_contains(html, "id='f0-gpPt0'"); /* ids made unique per figure */
    assert_contains(html, "id='f2-gpPt0'");
    assert_contains(html, "<a href=\"figures/beta-dev.png\">png</a>");
    assert_contains(md, "Figures drawn with gnuplot");

    free(md);
    free(html);
    json_decref(rec);
    remove_tree(dir);
    free(dir);
}

static void test_render_no_plots(void **state)
{
    (void)state;
    char *dir = tc_dir_new("reports");
    write_traj(dir);
    write_sweep(dir);
    json_t *rec = load_record();
    char err[256];
    assert_int_equal(rep_render_all(dir, rec, 1, err, sizeof err), 0);
    assert_false(exists_rel(dir, "figures"));
    char *md = tc_dir_read(dir, "report.md");
    char *html = tc_dir_read(dir, "report.html");
    assert_non_null(md);
    assert_non_null(html);
    assert_contains(md, "figures not drawn: plots disabled");
    assert_not_contains(md, "](figures/");
    assert_not_contains(html, "<svg");
    assert_int_equal(count_tmp_all(dir), 0);
    free(md);
    free(html);
    json_decref(rec);
    remove_tree(dir);
    free(dir);
}

static void test_render_gnuplot_missing(void **state)
{
    (void)state;
    char *dir = tc_dir_new("reports");
    write_traj(dir);
    write_sweep(dir);
    json_t *rec = load_record();
    char err[256];
    assert_int_equal(setenv("THEORYCHECK_GNUPLOT", "/nonexistent/tc-no-gnuplot", 1), 0);
    int rc = rep_render_all(dir, rec, 0, err, sizeof err);
    unsetenv("THEORYCHECK_GNUPLOT");
    assert_int_equal(rc, 0);
    char *md = tc_dir_read(dir, "report.md");
    char *html = tc_dir_read(dir, "report.html");
    assert_non_null(md);
    assert_non_null(html);
    assert_contains(md, "figures not drawn: gnuplot not found");
    assert_contains(html, "figures not drawn: gnuplot not found");
    assert_false(exists_rel(dir, "figures/alpha-gap.svg"));
    assert_int_equal(count_tmp_all(dir), 0);
    free(md);
    free(html);
    json_decref(rec);
    remove_tree(dir);
    free(dir);
}

/* A gnuplot that runs but fails (or draws nothing) leaves a note per figure and no file. */
static void test_render_gnuplot_fails(void **state)
{
    (void)state;
    static const char *const fakes[][2] = {
        {"#!/bin/sh\n[ \"$1\" = --version ] && { echo 'gnuplot 0.0 fake'; exit 0; }\n"
         "echo '         line 3: fake failure' >&2\nexit 1\n",
         "not drawn: gnuplot: line 3: fake failure"},
        {"#!/bin/sh\n[ \"$1\" = --version ] && { echo 'gnuplot 0.0 fake'; exit 0; }\nexit 0\n",
         "not drawn: gnuplot produced an empty file"}};
    for (size_t i = 0; i < 2; i++) {
        char *dir = tc_dir_new("reports");
        write_traj(dir);
        write_sweep(dir);
        tc_dir_put(dir, "fake-gnuplot", fakes[i][0]);
        char prog[1024];
        snprintf(prog, sizeof prog, "%s/fake-gnuplot", dir);
        assert_int_equal(chmod(prog, 0755), 0);
        json_t *rec = load_record();
        char err[256];
        assert_int_equal(setenv("THEORYCHECK_GNUPLOT", prog, 1), 0);
        int rc = rep_render_all(dir, rec, 0, err, sizeof err);
        unsetenv("THEORYCHECK_GNUPLOT");
        assert_int_equal(rc, 0);
        char *md = tc_dir_read(dir, "report.md");
        assert_non_null(md);
        assert_contains(md, fakes[i][1]);
        assert_not_contains(md, "Figures drawn with");
        assert_false(exists_rel(dir, "figures/alpha-gap.svg"));
        assert_false(exists_rel(dir, "figures/alpha-gap.png"));
        assert_int_equal(count_tmp_all(dir), 0);
        free(md);
        json_decref(rec);
        unlink(prog);
        remove_tree(dir);
        free(dir);
    }
}

/* Hostile paths in the record never escape the output directory. */
static void test_render_unsafe_paths(void **state)
{
    (void)state;
    char *dir = tc_dir_new("reports");
    write_traj(dir);
    json_t *rec = load_record();
    json_t *plot = json_array_get(json_object_get(json_array_get(json_object_get(rec, "claims"), 0),
                                                  "plots"), 0);
    json_object_set_new(plot, "file", json_string("../escaped"));
    json_t *curve = json_array_get(json_object_get(plot, "curves"), 1);
    json_object_set_new(curve, "data", json_string("/etc/passwd"));
    char err[256];
    assert_int_equal(rep_render_all(dir, rec, 0, err, sizeof err), 0);
    char *md = tc_dir_read(dir, "report.md");
    assert_non_null(md);
    assert_contains(md, "curve 'it's logistic' left out: no valid data file");
    char parent[1100];
    snprintf(parent, sizeof parent, "%s/../escaped.svg", dir);
    assert_int_not_equal(access(parent, F_OK), 0);
    if (gnuplot_available())
        assert_true(tc_dir_nonempty(dir, "figures/alpha-gap.svg")); /* fell back to the default name */
    free(md);
    json_decref(rec);
    remove_tree(dir);
    free(dir);
}

static void test_render_bad_input(void **state)
{
    (void)state;
    char err[256] = "";
    json_t *arr = json_array();
    assert_int_equal(rep_render_all("/tmp", arr, 1, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    json_decref(arr);
    json_t *obj = json_pack("{s:s}", "claims", "nope");
    err[0] = '\0';
    assert_int_equal(rep_render_all("/tmp", obj, 1, err, sizeof err), -1);
    assert_contains(err, "claims");
    json_decref(obj);
    /* An output directory that cannot be created: -1 and a message naming it. */
    json_t *empty = json_pack("{s:[]}", "claims");
    err[0] = '\0';
    assert_int_equal(rep_render_all("/proc/tc-no-such-dir/x", empty, 1, err, sizeof err), -1);
    assert_contains(err, "/proc/tc-no-such-dir");
    json_decref(empty);
}

/* ---- atomic writer ------------------------------------------------------------------------- */

static void test_write_atomic(void **state)
{
    (void)state;
    char *dir = tc_dir_new("reports");
    char path[1024];
    snprintf(path, sizeof path, "%s/report.md", dir);
    assert_int_equal(cm_write_atomic(path, "first", 5), 0);
    assert_int_equal(cm_write_atomic(path, "second version", 14), 0);
    size_t len = 0;
    char *s = cm_read_file(path, &len);
    assert_non_null(s);
    assert_int_equal(len, 14);
    assert_string_equal(s, "second version");
    free(s);
    assert_int_equal(cm_write_atomic(path, "", 0), 0);
    assert_false(cm_file_nonempty(path));
    assert_int_equal(count_tmp(dir), 0);
    /* A missing directory: -1 with errno set, and nothing left behind. */
    snprintf(path, sizeof path, "%s/missing/report.md", dir);
    errno = 0;
    assert_int_equal(cm_write_atomic(path, "x", 1), -1);
    assert_int_equal(errno, ENOENT);
    /* A directory in the way of the rename: -1, and the temporary file is removed. */
    snprintf(path, sizeof path, "%s/adir", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    char inside[1100];
    snprintf(inside, sizeof inside, "%s/keep", path);
    FILE *f = fopen(inside, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(cm_write_atomic(path, "x", 1), -1);
    assert_int_equal(count_tmp(dir), 0);
    unlink(inside);
    rmdir(path);
    remove_tree(dir);
    free(dir);
}

/* ---- pieces -------------------------------------------------------------------------------- */

static void test_escape(void **state)
{
    (void)state;
    cm_buf b = {0};
    cm_esc_gp(&b, "it's a_b\nnext");
    assert_string_equal(cm_buf_str(&b), "'it''s a_b next'");
    cm_buf_free(&b);
    cm_esc_md(&b, "a|b_c*<x>`y`");
    assert_string_equal(cm_buf_str(&b), "a\\|b\\_c\\*\\<x\\>\\`y\\`");
    cm_buf_free(&b);
    cm_esc_md_code(&b, "a`b|c");
    assert_string_equal(cm_buf_str(&b), "`a'b\\|c`");
    cm_buf_free(&b);
    cm_esc_html(&b, "<a href=\"x\">'&'</a>");
    assert_string_equal(cm_buf_str(&b),
                        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    cm_buf_free(&b);
    rep_url(&b, "figures/a b(1).svg");
    assert_string_equal(cm_buf_str(&b), "figures/a%20b%281%29.svg");
    cm_buf_free(&b);
}

static void test_format(void **state)
{
    (void)state;
    cm_buf b = {0};
    json_t *m = json_pack("{s:s,s:f,s:s,s:i,s:b}", "name", "margin", "value", 0.99999, "op", ">=",
                          "threshold", 1, "ok", 0);
    rep_fmt_metric(&b, m, 4);
    assert_string_equal(cm_buf_str(&b), "0.99999 ≥ 1");
    cm_buf_free(&b);
    json_decref(m);
    m = json_pack("{s:s,s:f,s:s,s:[f,f],s:b}", "name", "r", "value", 0.5, "op", "in", "threshold",
                  0.25, 0.75, "ok", 1);
    rep_fmt_metric(&b, m, 4);
    assert_string_equal(cm_buf_str(&b), "0.5 ∈ [0.25, 0.75]");
    cm_buf_free(&b);
    json_decref(m);
    m = json_pack("{s:s,s:n,s:s,s:n,s:n}", "name", "i", "value", "op", "info", "threshold", "ok");
    rep_fmt_metric(&b, m, 4);
    assert_string_equal(cm_buf_str(&b), "null");
    cm_buf_free(&b);
    json_decref(m);
    /* Shortest round-trip formatting for parameters. */
    rep_fmt_exact(&b, 0.1);
    cm_buf_puts(&b, " ");
    rep_fmt_exact(&b, 1.0 / 3.0);
    cm_buf_puts(&b, " ");
    rep_fmt_exact(&b, -INFINITY);
    assert_string_equal(cm_buf_str(&b), "0.1 0.3333333333333333 -inf");
    cm_buf_free(&b);
}

static void test_csv(void **state)
{
    (void)state;
    char *dir = tc_dir_new("reports");
    tc_dir_put(dir, "data/a.csv", "x, y\r\n1,nan\n2,inf\n3,-inf\n\n4,bogus\n");
    tc_dir_put(dir, "data/ragged.csv", "x,y\n1,2\n3\n");
    tc_dir_put(dir, "data/empty.csv", "");
    char path[1024], err[256];
    cm_csv c;
    snprintf(path, sizeof path, "%s/data/a.csv", dir);
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER, &c, err, sizeof err), 0);
    assert_int_equal(c.ncols, 2);
    assert_int_equal(c.nrows, 4);
    assert_int_equal(cm_csv_col(&c, "y"), 1);
    assert_int_equal(cm_csv_col(&c, "z"), -1);
    assert_true(isnan(c.rows[1]));
    assert_true(isinf(c.rows[3]) && c.rows[3] > 0);
    assert_true(isinf(c.rows[5]) && c.rows[5] < 0);
    assert_true(isnan(c.rows[7]));
    cm_csv_free(&c);
    snprintf(path, sizeof path, "%s/data/ragged.csv", dir);
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER, &c, err, sizeof err), -1);
    assert_contains(err, ":3:");
    snprintf(path, sizeof path, "%s/data/empty.csv", dir);
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER, &c, err, sizeof err), -1);
    assert_contains(err, "empty");
    snprintf(path, sizeof path, "%s/data/none.csv", dir);
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER, &c, err, sizeof err), -1);
    assert_contains(err, "cannot read");
    remove_tree(dir);
    free(dir);
}

/* The legend goes to the corner the data leave empty. */
static void test_key_position(void **state)
{
    (void)state;
    rep_curve c = {.style = "lines", .ix = 0, .iy = 1, .ie = -1};
    double rows[2 * 50];
    c.csv.ncols = 2;
    c.csv.nrows = 50;
    c.csv.rows = rows;
    rep_plotspec ps = {.ncurves = 1, .curves = &c};
    for (int i = 0; i < 50; i++) { /* decreasing: top left to bottom right */
        rows[2 * i] = i;
        rows[2 * i + 1] = 50 - i;
    }
    rep_plot_ranges(&ps);
    assert_string_equal(rep_key_position(&ps), "top right");
    for (int i = 0; i < 50; i++) /* increasing: bottom left to top right */
        rows[2 * i + 1] = i;
    rep_plot_ranges(&ps);
    assert_string_equal(rep_key_position(&ps), "top left");
    for (int i = 0; i < 50; i++) /* a narrow peak in the middle, low at both ends */
        rows[2 * i + 1] = exp(-(i - 25.0) * (i - 25.0) / 16.0);
    rep_plot_ranges(&ps);
    assert_string_equal(rep_key_position(&ps), "top right");
    for (int i = 0; i < 50; i++) /* a narrow dip: flat along the top, both top corners full */
        rows[2 * i + 1] = 1 - exp(-(i - 25.0) * (i - 25.0) / 16.0);
    rep_plot_ranges(&ps);
    assert_string_equal(rep_key_position(&ps), "bottom left");
}

/* User strings cannot break out of their gnuplot string literal. */
static void test_gp_script(void **state)
{
    (void)state;
    rep_curve c = {.label = "it's\nsystem('x')", .style = "errorbars", .path = (char *)"d/a'.csv",
                   .x = "t", .y = "g'", .yerr = "e", .ix = 0, .iy = 1, .ie = 2, .ndraw = 2};
    double rows[] = {1, 0.5, 0.1, 10, 0.05, 0.01};
    c.csv.ncols = 3;
    c.csv.nrows = 2;
    c.csv.rows = rows;
    rep_plotspec ps = {.title = "T'", .xlabel = "x_1", .ylabel = "y^2", .logx = 1, .logy = 1,
                       .ncurves = 1, .curves = &c};
    rep_plot_ranges(&ps);
    cm_buf b = {0};
    rep_gp_script(&b, &ps, "o.svg", "o.png");
    const char *s = cm_buf_str(&b);
    assert_contains(s, "set title 'T''' noenhanced");
    assert_contains(s, "set xlabel 'x_1' noenhanced");
    assert_contains(s, "'d/a''.csv' using (pos(column('t'))):(pos(column('g''')))"
                       ":(fin(column('e'))) with yerrorbars");
    assert_contains(s, "title 'it''s system(''x'')' noenhanced");
    assert_contains(s, "set logscale x 10");
    assert_contains(s, "set output 'o.svg'");
    assert_contains(s, "set output 'o.png'");
    cm_buf_free(&b);
}

static void test_inline_svg(void **state)
{
    (void)state;
    char *dir = tc_dir_new("reports");
    tc_dir_put(dir, "figures/f.svg",
               "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg viewBox=\"0 0 8 5\">\n"
               "<title>Gnuplot</title>\n<defs><path id='gpPt0' d='M0,0'/></defs>\n"
               "<g id=\"g1\"><use xlink:href='#gpPt0'/></g>\n<g id=\"g1\"></g>\n"
               "<rect style=\"clip-path:url(#clip1)\"/></svg>\n");
    rep_fig f = {.svg = (char *)"figures/f.svg", .title = (char *)"A <b> title"};
    char *s = rep_figure_inline_svg(dir, &f, "f3-");
    assert_non_null(s);
    assert_true(strncmp(s, "<svg", 4) == 0);
    assert_contains(s, "<title>A &lt;b&gt; title</title>");
    assert_contains(s, "id='f3-gpPt0'");
    assert_contains(s, "href='#f3-gpPt0'");
    assert_contains(s, "id=\"f3-g1\"");
    assert_contains(s, "id=\"f3-g1-dup1\"");
    assert_contains(s, "url(#f3-clip1)");
    free(s);
    remove_tree(dir);
    free(dir);
}

static const char *family_of_test(const char *id)
{
    return strcmp(id, "a_claim") == 0 ? "fam<1>" : NULL;
}

/* junit.xml from a record: counts by verdict class, classname from the lookup (bare when
 * unknown), markup escaped, a message only on failure, error and skip. */
static void test_junit(void **state)
{
    (void)state;
    json_error_t jerr;
    json_t *rec = json_loads(
        "{\"run\": {\"profile\": \"quick\", \"started\": \"2026-01-01T00:00:00Z\", \"seconds\": 2.5},"
        " \"claims\": ["
        "  {\"id\": \"a_claim\", \"verdict\": \"pass\", \"seconds\": 1.25, \"reason\": \"ok\"},"
        "  {\"id\": \"b\", \"verdict\": \"xpass\", \"seconds\": 0.5, \"reason\": \"x < \\\"y\\\" & z\"},"
        "  {\"id\": \"c\", \"verdict\": \"error\", \"seconds\": 0, \"reason\": \"NaN\"},"
        "  {\"id\": \"d\", \"verdict\": \"skip\", \"seconds\": 0, \"reason\": \"no data\"},"
        "  {\"id\": \"e\", \"verdict\": \"xfail\", \"seconds\": 0, \"reason\": \"refuted\"}]}",
        0, &jerr);
    assert_non_null(rec);
    char *x = rep_junit_render(rec, family_of_test);
    assert_non_null(x);
    assert_non_null(strstr(x, "<testsuites name=\"theorycheck\" tests=\"5\" failures=\"1\" "
                              "errors=\"1\" skipped=\"1\" time=\"2.500\">"));
    assert_non_null(strstr(x, "timestamp=\"2026-01-01T00:00:00Z\""));
    assert_non_null(strstr(x, "<testcase classname=\"theorycheck.fam&lt;1&gt;\" name=\"a_claim\" "
                              "time=\"1.250\"></testcase>"));
    assert_non_null(strstr(x, "<failure message=\"xpass: x &lt; &quot;y&quot; &amp; z\"/>"));
    assert_non_null(strstr(x, "<testcase classname=\"theorycheck\" name=\"c\""));
    assert_non_null(strstr(x, "<error message=\"error: NaN\"/>"));
    assert_non_null(strstr(x, "<skipped message=\"skip: no data\"/>"));
    assert_null(strstr(x, "refuted"));
    free(x);
    json_decref(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_full),
        cmocka_unit_test(test_render_no_plots),
        cmocka_unit_test(test_render_gnuplot_missing),
        cmocka_unit_test(test_render_gnuplot_fails),
        cmocka_unit_test(test_render_unsafe_paths),
        cmocka_unit_test(test_render_bad_input),
        cmocka_unit_test(test_write_atomic),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_key_position),
        cmocka_unit_test(test_gp_script),
        cmocka_unit_test(test_inline_svg),
        cmocka_unit_test(test_junit),
    };
    return TC_RUN("reports", tests);
}
