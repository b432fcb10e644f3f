/* tests/unit/test_harness_params.c — parameter parsing, ranges, precedence bookkeeping. */

#include "tc_test.h"

#include <string.h>

#include "harness/params.h"

static void dummy_run(tc_ctx *ctx, tc_result *res)
{
    (void)ctx;
    (void)res;
}

static const tc_param_spec specs[] = {
    {"n", TC_PARAM_INT, "40", "400", 4, 1000, NULL, "samples"},
    {"step", TC_PARAM_REAL, "0.5", NULL, 1e-6, 2, NULL, "step"},
    {"bias", TC_PARAM_BOOL, "false", NULL, 0, 0, NULL, "bias"},
    {"loss", TC_PARAM_CHOICE, "exp", NULL, 0, 0, "exp|logistic|both", "loss"},
    {"widths", TC_PARAM_LIST, "8,16,32", "8,16,32,64", 1, 1e6, NULL, "widths"},
    {NULL}};

static const tc_claim claim = {.id = "demo", .family = "demo", .title = "t", .source = "s",
                               .statement = "s", .params = specs, .run = dummy_run};

static void test_defaults_per_profile(void **state)
{
    (void)state;
    hx_values q, f;
    char err[256];
    assert_int_equal(hx_values_init(&q, &claim, "quick", err, sizeof err), 0);
    assert_int_equal(hx_values_init(&f, &claim, "full", err, sizeof err), 0);
    assert_int_equal(hx_values_find(&q, "n")->i, 40);
    assert_int_equal(hx_values_find(&f, "n")->i, 400);
    assert_int_equal(hx_values_find(&f, "widths")->nlist, 4);
    assert_true(hx_values_find(&f, "step")->r == 0.5); /* full NULL = quick */
    assert_int_equal(hx_values_find(&q, "n")->source, HX_SRC_DEFAULT);
    hx_values_free(&q);
    hx_values_free(&f);
}

static void test_set_and_source(void **state)
{
    (void)state;
    hx_values v;
    char err[512];
    assert_int_equal(hx_values_init(&v, &claim, "quick", err, sizeof err), 0);
    assert_int_equal(hx_values_set(&v, "n", "12", HX_SRC_CONFIG, err, sizeof err), 0);
    assert_int_equal(hx_values_set(&v, "n", "13", HX_SRC_CMDLINE, err, sizeof err), 0);
    assert_int_equal(hx_values_find(&v, "n")->i, 13);
    assert_string_equal(hx_source_name(hx_values_find(&v, "n")->source), "command line");
    assert_int_equal(hx_values_set(&v, "bias", "yes", HX_SRC_CMDLINE, err, sizeof err), 0);
    assert_true(hx_values_find(&v, "bias")->b);
    assert_int_equal(hx_values_set(&v, "loss", "both", HX_SRC_CMDLINE, err, sizeof err), 0);
    assert_string_equal(hx_values_find(&v, "loss")->choice, "both");
    assert_int_equal(hx_values_set(&v, "widths", " 1, 2.5,1e3", HX_SRC_CMDLINE, err, sizeof err), 0);
    assert_int_equal(hx_values_find(&v, "widths")->nlist, 3);
    assert_true(hx_values_find(&v, "widths")->list[2] == 1000.0);
    hx_values_free(&v);
}

static void expect_reject(const char *name, const char *text, const char *msg_part)
{
    hx_values v;
    char err[512];
    assert_int_equal(hx_values_init(&v, &claim, "quick", err, sizeof err), 0);
    int rc = hx_values_set(&v, name, text, HX_SRC_CMDLINE, err, sizeof err);
    if (rc != -1 || !strstr(err, msg_part))
        print_error("%s=%s: rc %d, message '%s' (expected '%s')\n", name, text, rc, err,
                    msg_part);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, msg_part));
    hx_values_free(&v);
}

static void test_rejections(void **state)
{
    (void)state;
    expect_reject("n", "abc", "must be an integer in [4, 1000]");
    expect_reject("n", "3", "value '3' is not allowed");
    expect_reject("n", "1001", "not allowed");
    expect_reject("n", "4.5", "integer");
    expect_reject("n", "", "not allowed");
    expect_reject("step", "nan", "real number in");
    expect_reject("step", "inf", "real number in");
    expect_reject("step", "0", "[1e-06, 2]");
    expect_reject("bias", "maybe", "true or false");
    expect_reject("loss", "square", "one of exp|logistic|both");
    expect_reject("loss", "ex", "one of");
    expect_reject("widths", "1,,2", "comma-separated");
    expect_reject("widths", "1,2,", "comma-separated");
    expect_reject("widths", "0.5", "comma-separated");
    expect_reject("nope", "1", "has no parameter 'nope' (parameters: n, step, bias, loss, widths)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_per_profile),
        cmocka_unit_test(test_set_and_source),
        cmocka_unit_test(test_rejections),
    };
    return cmocka_run_group_tests_name("harness/params", tests, NULL, NULL);
}
