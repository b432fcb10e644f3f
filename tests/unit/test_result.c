/* tests/unit/test_result.c — metric checks and outcome rules of theorems/result.c, and the
 * verdict table of DESIGN.md. */

#include "tc_test.h"

#include <math.h>
#include <string.h>

#include "harness/verdict.h"
#include "theorems/result.h"

static void test_ops(void **state)
{
    (void)state;
    tc_result r;
    tc_result_init(&r);
    assert_true(tc_metric(&r, "a", 1.0, TC_LE, 1.0));
    assert_false(tc_metric(&r, "b", 1.0, TC_LT, 1.0));
    assert_true(tc_metric(&r, "c", 2.0, TC_GT, 1.0));
    assert_true(tc_metric_in(&r, "d", 0.5, 0.0, 1.0));
    assert_false(tc_metric_in(&r, "e", 1.5, 0.0, 1.0));
    tc_result_conclude(&r);
    assert_int_equal(r.outcome, TC_OUT_NOT_HOLDS);
    assert_non_null(strstr(r.reason, "b = 1"));
    assert_non_null(strstr(r.reason, "e = 1.5"));
    assert_null(strstr(r.reason, "a = "));
    tc_result_free(&r);
}

static void test_nan_is_error_never_pass(void **state)
{
    (void)state;
    tc_result r;
    tc_result_init(&r);
    tc_metric(&r, "ok", 0.0, TC_LE, 1.0);
    tc_metric(&r, "bad", NAN, TC_LE, 1.0);
    tc_result_conclude(&r);
    assert_int_equal(r.outcome, TC_OUT_ERROR);
    tc_result_free(&r);

    tc_result_init(&r);
    tc_metric(&r, "ok", 0.0, TC_LE, 1.0);
    tc_metric_info(&r, "info", INFINITY);
    tc_result_conclude(&r);
    assert_int_equal(r.outcome, TC_OUT_ERROR);
    tc_result_free(&r);
}

static void test_no_checked_metric_is_error(void **state)
{
    (void)state;
    tc_result r;
    tc_result_init(&r);
    tc_metric_info(&r, "x", 1.0);
    tc_result_conclude(&r);
    assert_int_equal(r.outcome, TC_OUT_ERROR);
    tc_result_free(&r);
}

static void test_skip_kept(void **state)
{
    (void)state;
    tc_result r;
    tc_result_init(&r);
    tc_result_skip(&r, "data not separable (%d)", 3);
    tc_metric(&r, "x", 1.0, TC_LE, 2.0);
    tc_result_conclude(&r);
    assert_int_equal(r.outcome, TC_OUT_SKIP);
    assert_string_equal(r.reason, "data not separable (3)");
    tc_result_free(&r);
}

static void test_series_and_plots(void **state)
{
    (void)state;
    tc_result r;
    tc_result_init(&r);
    tc_series *s = tc_series_new(&r, "traj", 3, (const char *[]){"t", "a", "b"});
    for (int i = 0; i < 1000; i++)
        tc_series_row(s, i, 2.0 * i, -1.0 * i); /* an int converts by assignment */
    assert_int_equal(s->nrows, 1000);
    assert_true(s->rows[999 * 3 + 1] == 1998.0);
    tc_plot *p = tc_plot_new(&r, "p", "title", "x", "y", TC_PLOT_LOGX);
    tc_plot_curve(p, "traj", "t", "a", NULL, NULL, TC_STYLE_LINES);
    assert_string_equal(p->curves[0].label, "a");
    tc_result_free(&r);
}

static void test_verdicts(void **state)
{
    (void)state;
    assert_int_equal(hx_verdict_of(TC_OUT_HOLDS, TC_EXPECT_HOLDS), HX_PASS);
    assert_int_equal(hx_verdict_of(TC_OUT_NOT_HOLDS, TC_EXPECT_HOLDS), HX_FAIL);
    assert_int_equal(hx_verdict_of(TC_OUT_NOT_HOLDS, TC_EXPECT_REFUTED), HX_XFAIL);
    assert_int_equal(hx_verdict_of(TC_OUT_HOLDS, TC_EXPECT_REFUTED), HX_XPASS);
    assert_int_equal(hx_verdict_of(TC_OUT_SKIP, TC_EXPECT_HOLDS), HX_SKIP);
    assert_int_equal(hx_verdict_of(TC_OUT_ERROR, TC_EXPECT_REFUTED), HX_ERROR);
    assert_int_equal(hx_verdict_of(TC_OUT_UNSET, TC_EXPECT_HOLDS), HX_ERROR);
    assert_false(hx_verdict_is_failure(HX_SKIP, false));
    assert_true(hx_verdict_is_failure(HX_SKIP, true));
    assert_true(hx_verdict_is_failure(HX_XPASS, false));
    assert_false(hx_verdict_is_failure(HX_XFAIL, true));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ops),
        cmocka_unit_test(test_nan_is_error_never_pass),
        cmocka_unit_test(test_no_checked_metric_is_error),
        cmocka_unit_test(test_skip_kept),
        cmocka_unit_test(test_series_and_plots),
        cmocka_unit_test(test_verdicts),
    };
    return cmocka_run_group_tests_name("theorems/result", tests, NULL, NULL);
}
