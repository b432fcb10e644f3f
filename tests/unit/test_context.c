/* tests/unit/test_context.c — the claim context's memory (tc_alloc, tc_defer, tc_stream,
 * tc_fail, tc_check), typed series rows (tc_series_row) and numerics' error causes.
 *
 * Each test runs a small claim through hx_ctx_run, as the runner does, and checks the outcome
 * and that every deferred object was released exactly once (counted by the release function;
 * ASan in the sanitizer build checks the rest). */
#include "tc_test.h"

#include <stdint.h>
#include <string.h>

#include "harness/context.h"
#include "numerics/num.h"
#include "numerics/randnet.h"
#include "numerics/rng.h"
#include "theorems/result.h"

static int released;

static void count_release(void *p)
{
    released++;
    free(p);
}

static int run_claim(void (*run)(tc_ctx *, tc_result *), tc_result *res)
{
    static const tc_param_spec none[] = {TC_P_END};
    const tc_claim claim = {.id = "test_context", .family = "test", .params = none, .run = run};
    tc_ctx ctx = {.claim = &claim, .profile = "quick", .seed = 7};
    tc_result_init(res);
    released = 0;
    hx_ctx_run(&ctx, res);
    assert_null(ctx.deferred);
    return released;
}

static void run_allocates(tc_ctx *ctx, tc_result *res)
{
    double *x = TC_NEW(ctx, double, 100);
    for (int i = 0; i < 100; i++)
        assert_true(x[i] == 0.0); /* zeroed */
    tc_defer(ctx, count_release, malloc(16));
    tc_defer(ctx, count_release, malloc(16));
    tc_metric(res, "x", x[0], TC_LE, 1.0);
    tc_result_conclude(res);
}

static void test_alloc_released_after_run(void **state)
{
    (void)state;
    tc_result r;
    assert_int_equal(run_claim(run_allocates, &r), 2);
    assert_int_equal(r.outcome, TC_OUT_HOLDS);
    tc_result_free(&r);
}

static void run_overflows(tc_ctx *ctx, tc_result *res)
{
    tc_defer(ctx, count_release, malloc(8));
    (void)tc_alloc(ctx, SIZE_MAX / 2, 4); /* n * size overflows: unwinds */
    tc_result_holds(res, true, "unreachable");  /* never reached */
}

static void test_alloc_overflow_is_error_and_unwinds(void **state)
{
    (void)state;
    tc_result r;
    assert_int_equal(run_claim(run_overflows, &r), 1);
    assert_int_equal(r.outcome, TC_OUT_ERROR);
    assert_non_null(strstr(r.reason, "out of memory"));
    assert_non_null(strstr(r.reason, "overflows"));
    tc_result_free(&r);
}

static void run_defers_null(tc_ctx *ctx, tc_result *res)
{
    tc_defer(ctx, count_release, NULL); /* a failed library allocation */
    tc_result_holds(res, true, "unreachable");
}

static void test_defer_null_is_error(void **state)
{
    (void)state;
    tc_result r;
    run_claim(run_defers_null, &r);
    assert_int_equal(r.outcome, TC_OUT_ERROR);
    assert_non_null(strstr(r.reason, "out of memory"));
    tc_result_free(&r);
}

static num_status kernel_that_fails(size_t n)
{
    if (n < 1)
        return NUM_ERROR(NUM_EINVAL, "n must be >= 1");
    return NUM_OK;
}

static void run_checks(tc_ctx *ctx, tc_result *res)
{
    tc_check(ctx, kernel_that_fails(1), "first call");
    tc_check(ctx, kernel_that_fails(0), "the test kernel");
    tc_result_holds(res, true, "unreachable");
}

static void test_check_names_the_cause(void **state)
{
    (void)state;
    tc_result r;
    run_claim(run_checks, &r);
    assert_int_equal(r.outcome, TC_OUT_ERROR);
    assert_non_null(strstr(r.reason, "the test kernel: invalid argument (n must be >= 1"));
    assert_non_null(strstr(r.reason, "test_context.c:"));  /* where it was raised */
    assert_non_null(strstr(r.reason, "kernel_that_fails"));
    tc_result_free(&r);
}

static void run_fails(tc_ctx *ctx, tc_result *res)
{
    (void)res;
    tc_fail(ctx, "inconclusive: not converged after %d steps", 12);
}

static void test_fail_reason(void **state)
{
    (void)state;
    tc_result r;
    run_claim(run_fails, &r);
    assert_int_equal(r.outcome, TC_OUT_ERROR);
    assert_string_equal(r.reason, "inconclusive: not converged after 12 steps");
    tc_result_free(&r);
}

/* tc_stream(ctx, k) draws the same numbers as tc_rng_stream(ctx, k), and is owned. */
static void run_streams(tc_ctx *ctx, tc_result *res)
{
    gsl_rng *a = tc_stream(ctx, 3), *b = tc_rng_stream(ctx, 3);
    for (int i = 0; i < 10; i++)
        assert_true(gsl_rng_get(a) == gsl_rng_get(b));
    gsl_rng_free(b);
    tc_metric(res, "ok", 0, TC_LE, 1);
    tc_result_conclude(res);
}

static void test_stream_matches(void **state)
{
    (void)state;
    tc_result r;
    run_claim(run_streams, &r);
    assert_int_equal(r.outcome, TC_OUT_HOLDS);
    tc_result_free(&r);
}

/* Rows: an integer keeps its value (the varargs form read a size_t as garbage); a row of the
 * wrong length is an error naming the series, and is not written. */
static void test_series_row(void **state)
{
    (void)state;
    tc_result r;
    tc_result_init(&r);
    tc_series *s = tc_series_new(&r, "curve", 2, (const char *[]){"k", "v"});
    size_t k = 1;
    tc_series_row(s, k, 0.5);
    assert_int_equal(s->nrows, 1);
    expect_close("integer column", s->rows[0], 1.0, 0.0);
    expect_close("real column", s->rows[1], 0.5, 0.0);
    assert_int_equal(r.outcome, TC_OUT_UNSET);
    tc_series_row(s, 1.0, 2.0, 3.0);
    assert_int_equal(s->nrows, 1);
    assert_int_equal(r.outcome, TC_OUT_ERROR);
    assert_non_null(strstr(r.reason, "series 'curve'"));
    tc_result_free(&r);
}

/* A numerics kernel's failure records its reason and a location relative to the source tree
 * (so that no clone path reaches a record). */
static void test_kernel_cause_recorded(void **state)
{
    (void)state;
    num_error_clear();
    assert_int_equal(num_randnet_relu_cos_var(0.5, NULL), NUM_EINVAL);
    const num_error_info *e = num_error_last();
    assert_int_equal(e->status, NUM_EINVAL);
    assert_string_equal(e->reason, "argument check failed: !var");
    assert_string_equal(e->file, "numerics/randnet.c");
    assert_string_equal(e->func, "num_randnet_relu_cos_var");
    num_error_clear();
    assert_null(num_error_last()->reason);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_released_after_run),
        cmocka_unit_test(test_alloc_overflow_is_error_and_unwinds),
        cmocka_unit_test(test_defer_null_is_error),
        cmocka_unit_test(test_check_names_the_cause),
        cmocka_unit_test(test_fail_reason),
        cmocka_unit_test(test_stream_matches),
        cmocka_unit_test(test_series_row),
        cmocka_unit_test(test_kernel_cause_recorded),
    };
    return TC_RUN("harness/context", tests);
}
