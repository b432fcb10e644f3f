/* tests/unit/test_harness_csv.c — the CSV reader and dataset validation, good and bad files. */

#include "tc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/csv.h"

static char dir[] = "/tmp/tc_csv_XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_read_with_header_comments_crlf(void **state)
{
    (void)state;
    const char *p = write_file("a.csv", "x,y,label\r\n# note\n1, 2.5 ,1\r\n\n-3,4e-1,0\n");
    double *d;
    size_t r, c;
    char err[256];
    assert_int_equal(hx_csv_read(p, &d, &r, &c, err, sizeof err), 0);
    assert_int_equal(r, 2);
    assert_int_equal(c, 3);
    assert_true(d[1] == 2.5 && d[3] == -3.0 && d[4] == 0.4);
    free(d);
}

static void expect_error(const char *name, const char *text, tc_data_kind kind,
                         const char *part)
{
    const char *p = write_file(name, text);
    tc_dataset ds;
    char err[512];
    int rc = hx_dataset_load(&ds, p, kind, 1, err, sizeof err);
    if (rc != -1 || !strstr(err, part))
        print_error("%s: rc %d, message '%s', expected '%s'\n", name, rc, err, part);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, part));
}

static void test_errors_name_file_and_line(void **state)
{
    (void)state;
    expect_error("ragged.csv", "1,2,1\n3,4,1\n5,6\n", TC_DATA_BINARY, "ragged.csv:3: 2 fields");
    expect_error("text.csv", "1,2,1\n1,x,1\n", TC_DATA_BINARY, "text.csv:2: field 2 ('x')");
    expect_error("empty.csv", "", TC_DATA_BINARY, "no data rows");
    expect_error("header.csv", "a,b,c\n", TC_DATA_BINARY, "no data rows");
    expect_error("one.csv", "1,2,1\n3,4,1\n", TC_DATA_BINARY, "only one class");
    expect_error("mix.csv", "1,2,-1\n3,4,0\n5,6,1\n", TC_DATA_BINARY, "mix -1 with 0");
    expect_error("lab.csv", "1,2,2\n3,4,1\n", TC_DATA_BINARY, "not -1/+1 or 0/1");
    expect_error("cls.csv", "1,0\n2,2\n", TC_DATA_CLASSES, "class 1 has no sample");
    expect_error("frac.csv", "1,0\n2,1.5\n", TC_DATA_CLASSES, "not a class index");
    expect_error("single.csv", "1,0\n2,0\n", TC_DATA_CLASSES, "fewer than two classes");
    expect_error("narrow.csv", "1\n2\n", TC_DATA_BINARY, "need at least one feature");
    expect_error("inf.csv", "1,inf,1\n", TC_DATA_BINARY, "not a finite number");
}

static void test_binary_zero_one_mapped(void **state)
{
    (void)state;
    const char *p = write_file("b.csv", "1,2,0\n3,4,1\n");
    tc_dataset ds;
    char err[256];
    assert_int_equal(hx_dataset_load(&ds, p, TC_DATA_BINARY, 1, err, sizeof err), 0);
    assert_int_equal(ds.n, 2);
    assert_int_equal(ds.d, 2);
    assert_true(ds.y[0] == -1.0 && ds.y[1] == 1.0);
    hx_dataset_free(&ds);
}

static void test_targets_split(void **state)
{
    (void)state;
    const char *p = write_file("t.csv", "1,2,3,0.5,0.25\n4,5,6,1.5,2.5\n");
    tc_dataset ds;
    char err[256];
    assert_int_equal(hx_dataset_load(&ds, p, TC_DATA_TARGETS, 2, err, sizeof err), 0);
    assert_int_equal(ds.d, 3);
    assert_int_equal(ds.k, 2);
    assert_true(ds.y[3] == 2.5 && ds.x[5] == 6.0);
    hx_dataset_free(&ds);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_with_header_comments_crlf),
        cmocka_unit_test(test_errors_name_file_and_line),
        cmocka_unit_test(test_binary_zero_one_mapped),
        cmocka_unit_test(test_targets_split),
    };
    return cmocka_run_group_tests_name("harness/csv", tests, setup, teardown);
}
