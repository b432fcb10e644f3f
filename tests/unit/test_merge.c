/* tests/unit/test_merge.c — the pure helpers of `merge` and `diff` (harness/merge.c,
 * harness/diff.c): the parameters of a missing cell rebuilt from sweep.json's axes agree with
 * the grid's own cell order (hx_grid_coords) for every cell of product and zip grids; the
 * header comparison names each field that makes two sweeps different, and so does the
 * comparison of record keys (fixed parameters, data); record paths cannot
 * leave the shard; and the "moved" rule of diff at its boundaries. */
#include "tc_test.h"

#include <math.h>
#include <string.h>

#include "harness/diff.h"
#include "harness/grid.h"
#include "harness/merge.h"

static const tc_param_spec spec[] = {
    TC_P_INT("n", "10", TC_SAME, 2, 1000, "samples"),
    TC_P_REAL("step", "1", TC_SAME, 0.01, 4.0, "step"),
    TC_P_CHOICE("loss", "exp", TC_SAME, "exp|logistic", "loss"),
    TC_P_END};
static void run_none(tc_ctx *c, tc_result *r) { (void)c; (void)r; }
static const tc_claim claim = {.id = "fixture", .params = spec, .run = run_none};

/* sweep.json's "axes" of grid g, each value kept as its text (what matters is the order). */
static json_t *axes_of(const hx_grid *g)
{
    json_t *axes = json_array();
    for (size_t a = 0; a < g->naxes; a++) {
        json_t *vals = json_array();
        for (size_t k = 0; k < g->axes[a].nvalues; k++)
            json_array_append_new(vals, json_string(g->axes[a].values[k]));
        json_array_append_new(axes, json_pack("{s:s, s:o, s:b}", "param", g->axes[a].spec->name,
                                              "values", vals, "log", 0));
    }
    return axes;
}

/* Every cell of the grid: the rebuilt params are the grid's own coordinates; one past the
 * last cell is refused. */
static void check_grid(const char *const *texts, size_t naxes, bool zip)
{
    hx_grid g = {.claim = &claim};
    char err[512];
    for (size_t a = 0; a < naxes; a++)
        assert_int_equal(hx_grid_add(&g, texts[a], err, sizeof err), 0);
    assert_int_equal(hx_grid_finish(&g, zip, HX_GRID_MAX_CELLS, err, sizeof err), 0);
    json_t *axes = axes_of(&g);
    for (size_t c = 0; c < g.ncells; c++) {
        size_t coord[64];
        hx_grid_coords(&g, c, coord);
        json_t *p = hx_merge_cell_params(axes, zip, c);
        assert_non_null(p);
        assert_int_equal(json_object_size(p), g.naxes);
        for (size_t a = 0; a < g.naxes; a++)
            assert_string_equal(json_string_value(json_object_get(p, g.axes[a].spec->name)),
                                g.axes[a].values[coord[a]]);
        json_decref(p);
    }
    assert_null(hx_merge_cell_params(axes, zip, g.ncells));
    json_decref(axes);
    hx_grid_free(&g);
}

static void missing_cell_params(void **state)
{
    (void)state;
    const char *one[] = {"step=0.5,1,1.5"};
    const char *two[] = {"n=10,20,30", "step=0.5:2:4"};
    const char *three[] = {"n=10,20", "step=0.5,1,2", "loss=exp,logistic"};
    const char *zip[] = {"n=10,20,30", "step=0.5,1,2"};
    check_grid(one, 1, false);
    check_grid(two, 2, false);
    check_grid(three, 3, false);
    check_grid(zip, 2, true);
    json_t *none = json_array();
    assert_null(hx_merge_cell_params(none, false, 0)); /* no axes */
    json_decref(none);
}

static json_t *header(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:[i, i], s:[{s:s, s:[i, i]}], s:b, s:i, "
                     "s:{s:i, s:i}}",
                     "schema", "theorycheck/sweep/v1", "version", "0.1.0", "claim", "max_margin",
                     "expect", "holds", "profile", "quick", "seed", 1, "seeds", 1, 2, "axes",
                     "param", "n", "values", 12, 20, "zip", 0, "ncells", 2, "shard", "k", 1, "n",
                     3);
}

static void header_fields(void **state)
{
    (void)state;
    json_t *a = header(), *b = header();
    assert_null(hx_merge_differs(a, b));
    json_object_set_new(json_object_get(b, "shard"), "k", json_integer(2));
    assert_null(hx_merge_differs(a, b)); /* another shard of the same sweep */
    json_object_set_new(b, "shard", json_null());
    assert_null(hx_merge_differs(a, b)); /* a merged directory matches any N */
    const char *fields[] = {"schema", "version", "claim", "expect", "profile",
                            "seed",   "seeds",   "axes",  "zip",    "ncells"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        json_t *c = header();
        json_object_set_new(c, fields[i], json_string("other"));
        assert_string_equal(hx_merge_differs(a, c), fields[i]);
        json_object_del(c, fields[i]);
        assert_string_equal(hx_merge_differs(a, c), fields[i]); /* absent is different too */
        json_decref(c);
    }
    json_decref(b);
    b = header();
    json_object_set_new(json_object_get(b, "shard"), "n", json_integer(4));
    assert_string_equal(hx_merge_differs(a, b), "shard.n");
    json_decref(a);
    json_decref(b);
}

static void record_paths(void **state)
{
    (void)state;
    assert_true(hx_merge_record_path_ok("cells/max_margin-0123456789abcdef/results.json"));
    assert_true(hx_merge_record_path_ok("cells/x/results.json"));
    const char *bad[] = {NULL,
                         "",
                         "cells/results.json",
                         "cells//results.json",
                         "cells/../results.json",
                         "cells/./results.json",
                         "cells/a/b/results.json",
                         "cells/../../etc/results.json",
                         "/cells/a/results.json",
                         "cell/a/results.json",
                         "cells/a/results.jso",
                         "cells/a/report.md"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(hx_merge_record_path_ok(bad[i]));
}

static void record_keys(void **state)
{
    (void)state;
    json_t *axes = json_pack("[{s:s}, {s:s}]", "param", "n", "param", "step");
    char f[64];
    const char *a = "theorycheck/cell/v1\nversion=0.1.0\nclaim=c\nseed=1\ndata=none\n"
                    "param n=12\nparam nn=3\nparam step=0.5\n";
    /* Another cell, another seed: the same sweep. */
    const char *same = "theorycheck/cell/v1\nversion=0.1.0\nclaim=c\nseed=99\ndata=none\n"
                       "param n=20\nparam nn=3\nparam step=1\n";
    assert_null(hx_merge_key_differs(a, same, axes, f, sizeof f));
    /* "nn" is not swept even though "n" is: a prefix of a name is not the name. */
    const char *nn = "theorycheck/cell/v1\nversion=0.1.0\nclaim=c\nseed=1\ndata=none\n"
                     "param n=12\nparam nn=4\nparam step=0.5\n";
    assert_string_equal(hx_merge_key_differs(a, nn, axes, f, sizeof f), "param nn");
    const char *data = "theorycheck/cell/v1\nversion=0.1.0\nclaim=c\nseed=1\ndata=0123\n"
                       "param n=12\nparam nn=3\nparam step=0.5\n";
    assert_string_equal(hx_merge_key_differs(a, data, axes, f, sizeof f), "data");
    const char *shorter = "theorycheck/cell/v1\nversion=0.1.0\nclaim=c\nseed=1\ndata=none\n"
                          "param n=12\nparam step=0.5\n";
    assert_string_equal(hx_merge_key_differs(a, shorter, axes, f, sizeof f), "param nn");
    assert_string_equal(hx_merge_key_differs(shorter, a, axes, f, sizeof f), "param nn");
    json_decref(axes);
}

static void diff_moved_rule(void **state)
{
    (void)state;
    const double r = HX_DIFF_RTOL, t = 1e-9;
    /* Identical values never move; a crossed threshold always does, however small the step. */
    assert_false(hx_diff_moved(0.5, 0.5, 1.0, 1, 1, r));
    assert_true(hx_diff_moved(1e-9, 1.0000001e-9, t, 1, 0, r));
    /* Relative change just above and below rtol (no threshold). */
    assert_true(hx_diff_moved(1.0, 1.0 + 3 * r, NAN, -1, -1, r));
    assert_false(hx_diff_moved(1.0, 1.0 + 0.5 * r, NAN, -1, -1, r));
    /* Far below its threshold a metric moving by rounding is not a move (the threshold's
     * resolution, 1e-4 * 1e-9), even though its relative change is large; beyond it, it is. */
    assert_false(hx_diff_moved(1.9e-15, 2.0e-15, t, 1, 1, r));
    assert_false(hx_diff_moved(1.7763568394002505e-15, 4.440892098500626e-16, t, 1, 1, r));
    assert_true(hx_diff_moved(1e-15, 1e-12, t, 1, 1, r));
    /* Non-finite values: becoming NAN is a move, NAN to NAN is not, inf to inf is not. */
    assert_true(hx_diff_moved(1.0, NAN, NAN, -1, -1, r));
    assert_true(hx_diff_moved(NAN, 1.0, NAN, -1, -1, r));
    assert_false(hx_diff_moved(NAN, NAN, t, -1, -1, r));
    assert_false(hx_diff_moved(INFINITY, INFINITY, NAN, -1, -1, r));
    assert_true(hx_diff_moved(INFINITY, -INFINITY, NAN, -1, -1, r));
    /* rtol 0: any change beyond the threshold resolution. */
    assert_true(hx_diff_moved(1.0, nextafter(1.0, 2.0), NAN, -1, -1, 0.0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_cell_params),
        cmocka_unit_test(header_fields),
        cmocka_unit_test(record_paths),
        cmocka_unit_test(record_keys),
        cmocka_unit_test(diff_moved_rule),
    };
    return TC_RUN("harness/merge", tests);
}
