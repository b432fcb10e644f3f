/* tests/unit/test_sweep_report.c — reports/sweep*.c: a sweep directory's documents and map.
 *
 * Each test builds a small sweep.json in memory (the schema harness/sweep.c writes) and, where
 * the threshold matters, one cell record on disk, in a fresh mkdtemp directory. The gnuplot
 * script is checked as text (box extents on a log axis recomputed here by hand, markers only
 * when some cell needs them, one panel per combination of the extra axes); the drawn files are
 * checked only where gnuplot is installed, and the "gnuplot not found" path everywhere by
 * pointing THEORYCHECK_GNUPLOT at a program that does not exist. No randomness is used.
 */
#include "tc_test.h"
#include "tc_test_dir.h"

#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/report.h"

/* A cell: params as JSON text, holds of runs, hypothesis (-1 null), one metric value. */
static json_t *cell(int index, const char *params, int holds, int runs, int hyp, double gap)
{
    json_t *c = json_pack("{s:i, s:o, s:i, s:i, s:[f,f], s:b, s:o, s:[s], s:{s:f, s:f}}",
                          "index", index, "params", json_loads(params, 0, NULL), "holds", holds,
                          "runs", runs, "ci", 0.1, 0.9, "seed_dependent",
                          holds > 0 && holds < runs, "hypothesis",
                          hyp < 0 ? json_null() : json_boolean(hyp), "records",
                          "cells/c0/results.json", "metrics", "gap", gap, "other", 1.0);
    json_t *v = json_array();
    for (int i = 0; i < runs; i++)
        json_array_append_new(v, json_string(i < holds ? "pass" : "fail"));
    json_object_set_new(c, "verdicts", v);
    return c;
}

static json_t *sweep_new(const char *axes)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:[i,i], s:o, s:b, s:n, s:[], s:i, s:{}}",
                     "schema", "theorycheck/sweep/v1", "version", "0.1.0", "claim",
                     "max_margin", "expect", "holds", "seed", 7, "seeds", 7, 8, "axes",
                     json_loads(axes, 0, NULL), "zip", 0, "shard", "cells", "reused", 0,
                     "summary");
}

static void add(json_t *sw, json_t *c)
{
    json_array_append_new(json_object_get(sw, "cells"), c);
}

/* Two axes: n on a log axis (1, 10, 100), widths list-valued (categorical). */
static json_t *sweep_2d(void)
{
    json_t *sw = sweep_new("[{\"param\":\"n\",\"values\":[1,10,100],\"log\":true},"
                           "{\"param\":\"widths\",\"values\":[[4,4],[8,8,8]],\"log\":false}]");
    int k = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++, k++) {
            char p[64];
            snprintf(p, sizeof p, "{\"n\":%d,\"widths\":%s}", i == 0 ? 1 : i == 1 ? 10 : 100,
                     j ? "[8,8,8]" : "[4,4]");
            add(sw, cell(k, p, k % 3, 2, k == 5 ? 0 : 1, 0.01 * (k + 1)));
        }
    return sw;
}

static void test_load(void **state)
{
    (void)state;
    char *dir = tc_dir_new("sweep-report");
    json_t *j = sweep_2d();
    rep_sweep sw;
    char err[256];
    assert_int_equal(rep_sweep_load(&sw, dir, j, err, sizeof err), 0);
    assert_int_equal(sw.naxes, 2);
    assert_int_equal(sw.ncells, 6);
    assert_true(sw.axes[0].numeric && sw.axes[0].log);
    assert_false(sw.axes[1].numeric);
    assert_int_equal(sw.axes[0].nu, 3);
    assert_int_equal(sw.axes[1].nu, 2);
    /* Coordinates: log10 of n; index of the list value. */
    expect_close("u(n=100)", sw.cells[4].x[0], 2.0, 1e-15);
    expect_close("u(widths=[8,8,8])", sw.cells[5].x[1], 1.0, 0);
    expect_close("frac cell 1", sw.cells[1].frac, 0.5, 0);
    assert_true(sw.cells[1].seed_dep);
    assert_int_equal(sw.cells[5].hyp, 0);
    assert_string_equal(sw.metric, "gap");
    expect_close("median gap cell 2", sw.cells[2].metric, 0.03, 1e-15);
    assert_true(isnan(sw.cells[0].thr_lo)); /* no record on disk */
    rep_sweep_free(&sw);
    json_decref(j);
    tc_dir_remove(dir);
}

static void test_invalid(void **state)
{
    (void)state;
    char err[256];
    json_t *j = json_pack("{s:s}", "schema", "theorycheck/results/v1");
    assert_int_equal(rep_sweep_valid(j, err, sizeof err), 0);
    assert_non_null(strstr(err, "theorycheck/sweep/v1"));
    json_decref(j);
    j = sweep_new("[{\"values\":[1]}]");
    assert_int_equal(rep_sweep_valid(j, err, sizeof err), 0);
    assert_non_null(strstr(err, "param"));
    char *dir = tc_dir_new("sweep-report");
    assert_int_equal(rep_sweep_render(dir, j, 1, err, sizeof err), -1);
    assert_false(tc_dir_nonempty(dir, "sweep.md")); /* nothing written on bad input */
    json_decref(j);
    tc_dir_remove(dir);
}

/* The first data line of datablock `name` in the script. */
static const char *block_line(const char *script, const char *name)
{
    const char *p = strstr(script, name);
    assert_non_null(p);
    p = strchr(p, '\n');
    assert_non_null(p);
    return p + 1;
}

static void test_script_2d(void **state)
{
    (void)state;
    char *dir = tc_dir_new("sweep-report");
    json_t *j = sweep_2d();
    rep_sweep sw;
    char err[256];
    assert_int_equal(rep_sweep_load(&sw, dir, j, err, sizeof err), 0);
    cm_buf b = {0};
    rep_sweep_gp_body(&b, &sw);
    const char *s = cm_buf_str(&b);
    assert_non_null(strstr(s, "set logscale x 10"));
    assert_null(strstr(s, "set logscale y"));
    assert_non_null(strstr(s, "'max_margin'.\"\\n\".'verdict map over n × widths (2 seeds per cell)'"));
    assert_non_null(strstr(s, "'fraction of seeds where the claim holds'"));
    assert_non_null(strstr(s, "'4,4' 0, '8,8,8' 1"));
    assert_non_null(strstr(s, "title 'hypothesis false'"));
    assert_non_null(strstr(s, "title 'seed-dependent'"));
    /* Cell 0: n = 1 is the first of 1, 10, 100 on a log axis: its box spans half a decade
     * either way (10^-0.5 .. 10^0.5); widths index 0 spans -0.5 .. 0.5. */
    double x, y, xlo, xhi, ylo, yhi, frac;
    int dep, hf, nr;
    assert_int_equal(sscanf(block_line(s, "$cells0 <<"), "%lf %lf %lf %lf %lf %lf %lf %d %d %d",
                            &x, &y, &xlo, &xhi, &ylo, &yhi, &frac, &dep, &hf, &nr),
                     10);
    expect_rel("xlo", xlo, pow(10, -0.5), 1e-14);
    expect_rel("xhi", xhi, pow(10, 0.5), 1e-14);
    expect_close("ylo", ylo, -0.5, 1e-15);
    expect_close("yhi", yhi, 0.5, 1e-15);
    expect_close("frac", frac, 0, 0);
    cm_buf_free(&b);
    /* No seed-dependent cell and no hypothesis known: no markers, no key entries. */
    for (size_t i = 0; i < sw.ncells; i++) {
        sw.cells[i].seed_dep = 0;
        sw.cells[i].hyp = -1;
    }
    rep_sweep_gp_body(&b, &sw);
    assert_null(strstr(cm_buf_str(&b), "hypothesis false"));
    assert_null(strstr(cm_buf_str(&b), "seed-dependent"));
    cm_buf_free(&b);
    rep_sweep_free(&sw);
    json_decref(j);
    tc_dir_remove(dir);
}

static void test_script_multi(void **state)
{
    (void)state;
    char *dir = tc_dir_new("sweep-report");
    json_t *j = sweep_new("[{\"param\":\"a\",\"values\":[1,2]},{\"param\":\"b\",\"values\":[1,2]},"
                          "{\"param\":\"c\",\"values\":[\"x\",\"y\"]},"
                          "{\"param\":\"d\",\"values\":[5,6]}]");
    int k = 0;
    for (int a = 1; a <= 2; a++)
        for (int b = 1; b <= 2; b++)
            for (int c = 0; c < 2; c++)
                for (int d = 5; d <= 6; d++, k++) {
                    char p[96];
                    snprintf(p, sizeof p, "{\"a\":%d,\"b\":%d,\"c\":\"%s\",\"d\":%d}", a, b,
                             c ? "y" : "x", d);
                    add(j, cell(k, p, 2, 2, -1, 1.0));
                }
    rep_sweep sw;
    char err[256];
    assert_int_equal(rep_sweep_load(&sw, dir, j, err, sizeof err), 0);
    cm_buf b = {0};
    rep_sweep_gp_body(&b, &sw);
    const char *s = cm_buf_str(&b);
    /* Four combinations of (c, d): four panels on two rows of three. */
    assert_non_null(strstr(s, "set multiplot layout 2,3"));
    assert_non_null(strstr(s, "$cells3 <<"));
    assert_null(strstr(s, "$cells4 <<"));
    assert_non_null(strstr(s, "'c = y, d = 6'"));
    cm_buf_free(&b);
    rep_sweep_free(&sw);
    json_decref(j);
    tc_dir_remove(dir);
}

/* One axis; the threshold of the first metric comes from the cell's record. */
static json_t *sweep_1d(const char *dir)
{
    json_t *j = sweep_new("[{\"param\":\"step\",\"values\":[0.1,1],\"log\":true}]");
    add(j, cell(0, "{\"step\":0.1}", 2, 2, 1, 0.001));
    add(j, cell(1, "{\"step\":1}", 0, 2, 0, 0.5));
    char *path = cm_join(dir, "cells/c0");
    assert_int_equal(cm_mkdirs(path), 0);
    free(path);
    const char *rec = "{\"schema\":\"theorycheck/results/v1\",\"claims\":[{\"id\":\"max_margin\","
                      "\"metrics\":[{\"name\":\"other\",\"value\":1,\"op\":\"info\"},"
                      "{\"name\":\"gap\",\"value\":0.001,\"op\":\"<=\",\"threshold\":0.01,"
                      "\"ok\":true}]}]}";
    path = cm_join(dir, "cells/c0/results.json");
    assert_int_equal(cm_write_atomic(path, rec, strlen(rec)), 0);
    free(path);
    return j;
}

static void test_script_1d(void **state)
{
    (void)state;
    char *dir = tc_dir_new("sweep-report");
    json_t *j = sweep_1d(dir);
    rep_sweep sw;
    char err[256];
    assert_int_equal(rep_sweep_load(&sw, dir, j, err, sizeof err), 0);
    expect_close("threshold", sw.cells[1].thr_hi, 0.01, 0);
    assert_string_equal(sw.metric_op, "<=");
    assert_true(sw.thr_const);
    cm_buf b = {0};
    rep_sweep_gp_body(&b, &sw);
    const char *s = cm_buf_str(&b);
    assert_non_null(strstr(s, "set logscale x 10"));
    assert_non_null(strstr(s, "set logscale y 10")); /* 0.001 .. 0.5 spans over two decades */
    assert_non_null(strstr(s, "set arrow 1 from graph 0, first 0.01 to graph 1, first 0.01"));
    assert_non_null(strstr(s, "'max_margin'.\"\\n\".'median gap over step (2 seeds per cell)'"));
    assert_non_null(strstr(s, "title 'hypothesis false'"));
    cm_buf_free(&b);
    rep_sweep_free(&sw);
    json_decref(j);
    tc_dir_remove(dir);
}

/* One axis whose threshold is an interval that moves from cell to cell: drawn as a band
 * through the cells, and gnuplot accepts the script. */
static void test_script_1d_band(void **state)
{
    (void)state;
    char *dir = tc_dir_new("sweep-report");
    json_t *j = sweep_new("[{\"param\":\"step\",\"values\":[0.5,1],\"log\":false}]");
    for (int k = 0; k < 2; k++) {
        char p[64], rel[64], rec[512];
        snprintf(p, sizeof p, "{\"step\":%s}", k ? "1" : "0.5");
        json_t *c = cell(k, p, 1 + k, 2, -1, 0.5 + k);
        snprintf(rel, sizeof rel, "cells/c%d/results.json", k);
        json_object_set_new(c, "records", json_pack("[s]", rel));
        add(j, c);
        snprintf(rec, sizeof rec, "{\"claims\":[{\"metrics\":[{\"name\":\"gap\",\"op\":\"in\","
                                  "\"threshold\":[%d,%d]}]}]}", k, k + 2);
        char *d = cm_join(dir, k ? "cells/c1" : "cells/c0"), *f = cm_join(dir, rel);
        assert_int_equal(cm_mkdirs(d), 0);
        assert_int_equal(cm_write_atomic(f, rec, strlen(rec)), 0);
        free(d);
        free(f);
    }
    rep_sweep sw;
    char err[256];
    assert_int_equal(rep_sweep_load(&sw, dir, j, err, sizeof err), 0);
    assert_false(sw.thr_const);
    expect_close("lo of cell 1", sw.cells[1].thr_lo, 1, 0);
    expect_close("hi of cell 1", sw.cells[1].thr_hi, 3, 0);
    cm_buf b = {0};
    rep_sweep_gp_body(&b, &sw);
    assert_non_null(strstr(cm_buf_str(&b), "using 1:4:5 with filledcurves"));
    assert_non_null(strstr(cm_buf_str(&b), "title 'threshold of gap (∈, per cell)'"));
    assert_null(strstr(cm_buf_str(&b), "set arrow"));
    cm_buf_free(&b);
    char ver[64];
    if (rep_gnuplot_probe(ver, sizeof ver) == 0)
        assert_int_equal(rep_sweep_map_draw(dir, &sw, err, sizeof err), 0);
    rep_sweep_free(&sw);
    json_decref(j);
    tc_dir_remove(dir);
}

static void test_documents(void **state)
{
    (void)state;
    char *dir = tc_dir_new("sweep-report");
    json_t *j = sweep_2d();
    char err[256];
    assert_int_equal(rep_sweep_render(dir, j, 1, err, sizeof err), 0);
    char *md = tc_dir_read(dir, "sweep.md"), *html = tc_dir_read(dir, "sweep.html");
    char *csv = tc_dir_read(dir, "data/sweep_cells.csv");
    assert_non_null(md);
    assert_non_null(html);
    assert_non_null(csv);
    assert_non_null(strstr(md, "figures not drawn: plots disabled (--no-plots)"));
    assert_non_null(strstr(html, "figures not drawn: plots disabled (--no-plots)"));
    assert_non_null(
        strstr(md, "| 5 | 100 | 8,8,8 | pass, pass | 2/2 | \\[0.1, 0.9\\] | no | false | "
                   "0.06 | 1 |"));
    assert_non_null(strstr(md, "[1](cells/c0/results.json)")); /* no report.md beside it */
    assert_non_null(strstr(html, "<table class=\"sortable\">"));
    assert_non_null(strstr(html, "<script>"));
    assert_null(strstr(html, "src=")); /* no external assets */
    assert_non_null(strstr(csv, "index,n,widths,holds,runs,ci_lo,ci_hi,seed_dependent,"
                                "hypothesis,gap,other\n"));
    assert_non_null(strstr(csv, "\n5,100,\"8,8,8\",2,2,0.1,0.9,0,0,0.06,1\n"));
    assert_false(tc_dir_nonempty(dir, "figures/verdict_map.svg"));
    free(md);
    free(html);
    free(csv);
    json_decref(j);
    tc_dir_remove(dir);
}

static void test_gnuplot_missing(void **state)
{
    (void)state;
    char *dir = tc_dir_new("sweep-report");
    json_t *j = sweep_2d();
    char err[256];
    setenv("THEORYCHECK_GNUPLOT", "/nonexistent/gnuplot", 1);
    assert_int_equal(rep_sweep_render(dir, j, 0, err, sizeof err), 0);
    unsetenv("THEORYCHECK_GNUPLOT");
    char *md = tc_dir_read(dir, "sweep.md");
    assert_non_null(strstr(md, "figures not drawn: gnuplot not found"));
    free(md);
    json_decref(j);
    tc_dir_remove(dir);
}

static void test_drawn(void **state)
{
    (void)state;
    char ver[64];
    if (rep_gnuplot_probe(ver, sizeof ver) != 0)
        skip();
    char *dir = tc_dir_new("sweep-report");
    json_t *j = sweep_1d(dir);
    char err[256];
    assert_int_equal(rep_sweep_render(dir, j, 0, err, sizeof err), 0);
    assert_true(tc_dir_nonempty(dir, "figures/verdict_map.svg"));
    assert_true(tc_dir_nonempty(dir, "figures/verdict_map.png"));
    assert_true(tc_dir_nonempty(dir, "figures/verdict_map.pdf"));
    char *svg = tc_dir_read(dir, "figures/verdict_map.svg"), *html = tc_dir_read(dir, "sweep.html");
    assert_non_null(strstr(svg, ">max_margin<")); /* the title's two lines */
    assert_non_null(strstr(svg, "median gap over step (2 seeds per cell)"));
    assert_non_null(strstr(html, "<figure>\n<svg"));
    assert_non_null(strstr(html, "id=\"vm-gnuplot_canvas\""));
    free(svg);
    free(html);
    json_decref(j);
    tc_dir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load),          cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_script_2d),     cmocka_unit_test(test_script_multi),
        cmocka_unit_test(test_script_1d),     cmocka_unit_test(test_script_1d_band),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_gnuplot_missing), cmocka_unit_test(test_drawn),
    };
    return TC_RUN("reports/sweep", tests);
}
