/* tests/unit/test_grid.c — sweep grids (harness/grid.c): lists, ranges, geometric ranges,
 * integer rounding and deduplication, lists of lists, zip, cell order, and every refusal. The
 * claim below is a fixture; its parameter rows are the same macros every claim uses. */
#include "tc_test.h"

#include <string.h>

#include "harness/grid.h"

static const tc_param_spec spec[] = {
    TC_P_INT("n", "10", TC_SAME, 2, 1000, "samples"),
    TC_P_REAL("step", "1", TC_SAME, 0.01, 4.0, "step"),
    TC_P_LIST("widths", "64", TC_SAME, 1, 4096, "widths"),
    TC_P_CHOICE("loss", "exp", TC_SAME, "exp|logistic", "loss"),
    TC_P_END};
static void run_none(tc_ctx *c, tc_result *r) { (void)c; (void)r; }
static const tc_claim claim = {.id = "fixture", .params = spec, .run = run_none};

static hx_grid grid_of(const char *a, const char *b, bool zip)
{
    hx_grid g = {.claim = &claim};
    char err[512];
    assert_int_equal(hx_grid_add(&g, a, err, sizeof err), 0);
    if (b)
        assert_int_equal(hx_grid_add(&g, b, err, sizeof err), 0);
    assert_int_equal(hx_grid_finish(&g, zip, HX_GRID_MAX_CELLS, err, sizeof err), 0);
    return g;
}

static void expect_values(const hx_axis *ax, const char *joined)
{
    char buf[512] = "";
    for (size_t i = 0; i < ax->nvalues; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? "|" : "", ax->values[i]);
    assert_string_equal(buf, joined);
}

static void lists_and_ranges(void **state)
{
    (void)state;
    hx_grid g = grid_of("n=10,20,20,30.4", "step=0.5:2:4", false);
    expect_values(&g.axes[0], "10|20|30"); /* rounded, deduplicated, order kept */
    expect_values(&g.axes[1], "0.5|1|1.5|2");
    assert_false(g.axes[1].log);
    assert_int_equal(g.ncells, 12);
    hx_grid_free(&g);
    g = grid_of("n=10:1000:3:log", NULL, false);
    expect_values(&g.axes[0], "10|100|1000");
    assert_true(g.axes[0].log);
    hx_grid_free(&g);
    g = grid_of("n=2:5:10", NULL, false); /* integers: 10 points collapse to 4 */
    expect_values(&g.axes[0], "2|3|4|5");
    hx_grid_free(&g);
    g = grid_of("widths=64,256;128;64,256", "loss=exp,logistic", false);
    expect_values(&g.axes[0], "64,256|128");
    expect_values(&g.axes[1], "exp|logistic");
    hx_grid_free(&g);
    g = grid_of("step=0.1", NULL, false); /* shortest text that reads back */
    expect_values(&g.axes[0], "0.1");
    hx_grid_free(&g);
    g = grid_of("step=0.1:3.9:20", NULL, false); /* range values: 15-digit decimals */
    assert_string_equal(g.axes[0].values[10], "2.1");
    hx_grid_free(&g);
}

/* The first axis varies slowest; zip walks the axes in step. */
static void cell_order_and_zip(void **state)
{
    (void)state;
    hx_grid g = grid_of("n=10,20", "step=1,2,3", false);
    size_t c[2];
    hx_grid_coords(&g, 0, c);
    assert_true(c[0] == 0 && c[1] == 0);
    hx_grid_coords(&g, 2, c);
    assert_true(c[0] == 0 && c[1] == 2);
    hx_grid_coords(&g, 3, c);
    assert_true(c[0] == 1 && c[1] == 0);
    hx_grid_free(&g);
    g = grid_of("n=10,20,30", "step=1,2,3", true);
    assert_int_equal(g.ncells, 3);
    hx_grid_coords(&g, 2, c);
    assert_true(c[0] == 2 && c[1] == 2);
    hx_grid_free(&g);
}

static void refuse(const char *a, const char *b, bool zip, size_t max, const char *needle)
{
    hx_grid g = {.claim = &claim};
    char err[512] = "";
    int rc = hx_grid_add(&g, a, err, sizeof err);
    if (rc == 0 && b)
        rc = hx_grid_add(&g, b, err, sizeof err);
    if (rc == 0)
        rc = hx_grid_finish(&g, zip, max, err, sizeof err);
    if (rc != -1 || !strstr(err, needle)) {
        print_error("'%s' '%s': rc %d, message '%s', expected '%s'\n", a, b ? b : "", rc, err,
                    needle);
        fail();
    }
    hx_grid_free(&g);
}

static void bad_grids_refused(void **state)
{
    (void)state;
    refuse("nope=1,2", NULL, false, 100, "claim fixture has no parameter 'nope'");
    refuse("n", NULL, false, 100, "expected PARAM=VALUES");
    refuse("n=", NULL, false, 100, "expected PARAM=VALUES");
    refuse("n=1,5", NULL, false, 100, "value '1' is not allowed: must be an integer in [2, 1000]");
    refuse("n=5,,6", NULL, false, 100, "an empty value");
    refuse("step=0:1:0", NULL, false, 100, "COUNT an integer >= 1");
    refuse("step=0.1:1:3:lin", NULL, false, 100, "LO:HI:COUNT:log");
    refuse("step=0:1:3:log", NULL, false, 100, "needs LO > 0 and HI > 0");
    refuse("step=0.1:9:3", NULL, false, 100, "must be a real number in [0.01, 4]");
    refuse("loss=exp:sq:2", NULL, false, 100, "needs an integer or real parameter");
    refuse("loss=exp,square", NULL, false, 100, "value 'square' is not allowed");
    refuse("n=10,20", "n=30", false, 100, "already has a --grid");
    refuse("n=10,20", "step=1,2,3", true, 100, "--zip needs axes of equal length");
    refuse("n=2:1000:500", "step=0.1:4:500", false, 10000, "more than --max-cells 10000");
}

/* --refine: midpoints only between neighbours decided differently; geometric on a log axis;
 * integer axes stop at adjacent integers; a zip grid is left alone. */
static void refine_inserts_midpoints(void **state)
{
    (void)state;
    size_t added;
    hx_grid g = grid_of("n=10,20,30,31", NULL, false);
    const signed char c1[] = {1, 1, 0, 4}; /* flips between 20|30 and 30|31 (adjacent) */
    assert_int_equal(hx_grid_refine(&g, c1, &added), 0);
    expect_values(&g.axes[0], "10|20|25|30|31");
    assert_int_equal(added, 1);
    hx_grid_free(&g);
    g = grid_of("step=0.01:1:3:log", "n=10,20", false); /* 0.01, 0.1, 1 x 10, 20 */
    /* cells (step, n): (0.01,10) 0, (0.01,20) 0, (0.1,10) 0, (0.1,20) 1, (1,10) 6 (mixed
     * seeds: decided differently from 0), (1,20) -1 (no class: never separated). Step flips
     * 0.01|0.1 (at n = 20) and 0.1|1 (at n = 10); n flips 10|20 at step 0.1 only. */
    const signed char c2[] = {0, 0, 0, 1, 6, -1};
    assert_int_equal(hx_grid_refine(&g, c2, &added), 0);
    expect_values(&g.axes[0], "0.01|0.0316227766016838|0.1|0.316227766016838|1");
    expect_values(&g.axes[1], "10|15|20");
    assert_int_equal(added, 3);
    char err[128];
    assert_int_equal(hx_grid_finish(&g, false, HX_GRID_MAX_CELLS, err, sizeof err), 0);
    assert_int_equal(g.ncells, 15);
    hx_grid_free(&g);
    g = grid_of("n=10,20", "step=1,2", true);
    const signed char c3[] = {0, 1};
    assert_int_equal(hx_grid_refine(&g, c3, &added), 0);
    assert_int_equal(added, 0);
    hx_grid_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_and_ranges),
        cmocka_unit_test(cell_order_and_zip),
        cmocka_unit_test(bad_grids_refused),
        cmocka_unit_test(refine_inserts_midpoints),
    };
    return TC_RUN("harness/grid", tests);
}
