/* tests/unit/test_figformat.c — reports/figformat.c and the table of reports/docfigures.c:
 * --figure-format parsing, the files of each format, LaTeX escaping, the .tex fix-up, the
 * record's "figures" lists (only files that exist), and the document-figure table's shape.
 * No gnuplot needed; files live in a fresh mkdtemp directory. No randomness.
 */
#include "tc_test.h"
#include "tc_test_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic.h"
#include "reports/docfigures.h"
#include "reports/figformat.h"

static void test_parse(void **state)
{
    (void)state;
    unsigned f = 0;
    char err[300];
    assert_int_equal(rep_ff_parse("pdf", &f, err, sizeof err), 0);
    assert_int_equal(f, REP_FF_PDF);
    assert_int_equal(rep_ff_parse("pdf,svg,png,cairolatex", &f, err, sizeof err), 0);
    assert_int_equal(f, REP_FF_PDF | REP_FF_SVG | REP_FF_PNG | REP_FF_CAIROLATEX);
    assert_int_equal(rep_ff_parse("all", &f, err, sizeof err), 0);
    assert_int_equal(f, REP_FF_PDF | REP_FF_SVG | REP_FF_PNG | REP_FF_CAIROLATEX);
    assert_int_equal(rep_ff_parse("epslatex,png,png", &f, err, sizeof err), 0);
    assert_int_equal(f, REP_FF_EPSLATEX | REP_FF_PNG);
    const char *bad[] = {"", "jpeg", "pdf,", ",pdf", "pdf,,svg", "PDF", "cairolatex,epslatex",
                         "svg png"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        f = 77;
        err[0] = '\0';
        if (rep_ff_parse(bad[i], &f, err, sizeof err) != -1 || f != 77 || !*err) {
            print_error("'%s' accepted (or no message)\n", bad[i]);
            fail();
        }
    }
    assert_non_null(strstr((rep_ff_parse("jpeg", &f, err, sizeof err), err), "'jpeg'"));
}

static void test_files(void **state)
{
    (void)state;
    char *v[REP_FF_MAXFILES];
    size_t n = rep_ff_files(REP_FF_DEFAULT, "figures/x-gap", v);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "figures/x-gap.svg");
    assert_string_equal(v[1], "figures/x-gap.png");
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    n = rep_ff_files(REP_FF_PNG | REP_FF_PDF | REP_FF_SVG | REP_FF_CAIROLATEX, "figures/doc/a", v);
    const char *want[] = {"figures/doc/a.svg", "figures/doc/a.png", "figures/doc/a.pdf",
                          "figures/doc/latex/a.tex", "figures/doc/latex/a.pdf"};
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i], want[i]);
        free(v[i]);
    }
    n = rep_ff_files(REP_FF_EPSLATEX, "b", v);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "latex/b.tex");
    assert_string_equal(v[1], "latex/b.eps");
    free(v[0]);
    free(v[1]);
    assert_string_equal(rep_ff_file_label("figures/latex/a.tex"), "LaTeX");
    assert_string_equal(rep_ff_file_label("figures/a.pdf"), "pdf");
}

static void test_esc_latex(void **state)
{
    (void)state;
    cm_buf b = {0};
    rep_esc_latex(&b, "||w||_2 ^ 50% & #1 $x$ {a} ~ \\ <");
    assert_string_equal(cm_buf_str(&b),
                        "\\textbar{}\\textbar{}w\\textbar{}\\textbar{}\\_2 \\textasciicircum{} "
                        "50\\% \\& \\#1 \\$x\\$ \\{a\\} \\textasciitilde{} \\textbackslash{} "
                        "\\textless{}");
    cm_buf_free(&b);
}

static void test_latex_fix(void **state)
{
    (void)state;
    char *d = tc_dir_new("figformat");
    char tex[600];
    snprintf(tex, sizeof tex, "%s/x.tmp.9.tex", d);
    cm_buf b = {0};
    cm_buf_printf(&b, "\\put(0,0){\\includegraphics[width={360.00bp}]{%s/x.tmp.9}}%%\n", d);
    tc_dir_put(d, "x.tmp.9.tex", cm_buf_str(&b));
    assert_int_equal(rep_ff_latex_fix(tex, "x"), 0);
    char *text = cm_read_file(tex, NULL);
    assert_string_equal(text, "\\put(0,0){\\includegraphics[width={360.00bp}]{x}}%\n");
    free(text);
    /* no reference to the graphic: an error, the file is left alone */
    tc_dir_put(d, "y.tmp.9.tex", "no graphic here\n");
    snprintf(tex, sizeof tex, "%s/y.tmp.9.tex", d);
    assert_int_equal(rep_ff_latex_fix(tex, "y"), -1);
    cm_buf_free(&b);
    tc_dir_remove(d);
}

/* The record lists only the files that exist in the chosen formats, and results.json is
 * rewritten with them. */
static void test_fix_record(void **state)
{
    (void)state;
    char *d = tc_dir_new("figformat");
    json_t *rec = json_pack("{s:s, s:[{s:s, s:[s], s:[{s:s, s:s}, {s:s, s:s}]}]}", "schema",
                            "theorycheck/results/v1", "claims", "id", "c", "figures",
                            "figures/c-a.svg", "plots", "name", "a", "file", "figures/c-a",
                            "name", "b", "file", "figures/c-b");
    assert_non_null(rec);
    tc_dir_put(d, "figures/c-a.pdf", "%PDF");
    tc_dir_put(d, "figures/c-a.svg", "<svg/>");
    tc_dir_put(d, "figures/c-b.pdf", "%PDF");
    tc_dir_put(d, "figures/c-b.png", ""); /* empty: not a written figure */
    rep_ff_set(REP_FF_PDF | REP_FF_PNG);
    char err[300] = "";
    assert_int_equal(rep_ff_fix_record(d, rec, err, sizeof err), 0);
    rep_ff_set(0); /* back to the default */
    assert_int_equal(rep_ff_get(), REP_FF_DEFAULT);
    char *list = json_dumps(json_object_get(json_array_get(json_object_get(rec, "claims"), 0),
                                            "figures"),
                            JSON_COMPACT);
    assert_string_equal(list, "[\"figures/c-a.pdf\",\"figures/c-b.pdf\"]");
    free(list);
    char path[600];
    snprintf(path, sizeof path, "%s/results.json", d);
    json_t *back = json_load_file(path, 0, NULL);
    assert_non_null(back);
    assert_true(json_equal(back, rec));
    json_decref(back);
    json_decref(rec);
    tc_dir_remove(d);
}

/* Every row is complete: an id usable as a file name, panels that fit the layout. */
static void test_docfig_table(void **state)
{
    (void)state;
    size_t n = 0;
    for (const rep_docfig *r = rep_docfigs; r->id; r++, n++) {
        assert_true(rep_path_safe(r->id) && !strchr(r->id, '/'));
        assert_non_null(r->document);
        assert_non_null(r->claim);
        assert_non_null(r->csvs);
        assert_non_null(r->differs);
        size_t panels = 1;
        for (const char *p = r->panels; *p; p++)
            panels += *p == ',';
        assert_true(r->rows >= 1 && r->cols >= 1);
        if (panels > (size_t)(r->rows * r->cols) || panels > 8) {
            print_error("%s: %zu panels in a %dx%d layout\n", r->id, panels, r->rows, r->cols);
            fail();
        }
        for (const rep_docfig *q = rep_docfigs; q != r; q++)
            assert_true(strcmp(q->id, r->id) != 0);
    }
    assert_true(n >= 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),     cmocka_unit_test(test_files),
        cmocka_unit_test(test_esc_latex), cmocka_unit_test(test_latex_fix),
        cmocka_unit_test(test_fix_record), cmocka_unit_test(test_docfig_table),
    };
    return TC_RUN("reports/figformat", tests);
}
