/* tests/unit/test_common_csv.c — the one CSV reader (common/csv.c): the rules of csv.h, each
 * against a hand-written file whose expected rows, lines and messages are read off by eye. */
#include "tc_test.h"

#include <string.h>
#include <unistd.h>

#include "common/csv.h"

static char path[64];

static void write_file(const char *text)
{
    snprintf(path, sizeof path, "/tmp/tc_csv_%ld.csv", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void data_with_detected_header_comments_and_crlf(void **state)
{
    (void)state;
    write_file("# comment\r\n a , b \r\n\r\n1, 2\n# more\n3,4.5\n");
    cm_csv c;
    char err[256];
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER_DETECT | CM_CSV_FINITE, &c, err, sizeof err), 0);
    assert_int_equal(c.ncols, 2);
    assert_int_equal(c.nrows, 2);
    assert_string_equal(c.cols[1], "b");
    expect_close("row 2, col 2", c.rows[3], 4.5, 0.0);
    assert_int_equal(c.lines[0], 4);
    assert_int_equal(c.lines[1], 6);
    assert_int_equal(c.nlines, 6);
    assert_int_equal(cm_csv_col(&c, "a"), 0);
    cm_csv_free(&c);
    /* a first line with a number is data, not a header */
    write_file("x,1\n2,3\n");
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER_DETECT | CM_CSV_FINITE, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: field 1 ('x') is not a finite number"));
    unlink(path);
}

static void errors_name_file_line_and_field(void **state)
{
    (void)state;
    cm_csv c;
    char err[256];
    write_file("1,2\n3\n");
    assert_int_equal(cm_csv_read(path, CM_CSV_FINITE, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2: 1 fields, but earlier rows have 2"));
    write_file("a,b\n1,2,3\n");
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2: 3 fields, header has 2"));
    write_file("1,1e999\n");
    assert_int_equal(cm_csv_read(path, CM_CSV_FINITE, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: field 2 ('1e999') is not a finite number"));
    write_file("a,b\n\n");
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER_DETECT | CM_CSV_NONEMPTY, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2: no data rows"));
    write_file("");
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "empty file (no header)"));
    unlink(path);
    assert_int_equal(cm_csv_read(path, 0, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot read"));
    assert_null(c.rows);
}

static void lenient_values_for_series(void **state)
{
    (void)state;
    write_file("x,y\n1,nan\n2,-inf\n3,bogus\n");
    cm_csv c;
    char err[256];
    assert_int_equal(cm_csv_read(path, CM_CSV_HEADER, &c, err, sizeof err), 0);
    assert_int_equal(c.nrows, 3);
    assert_true(isnan(c.rows[1]));
    assert_true(isinf(c.rows[3]) && c.rows[3] < 0);
    assert_true(isnan(c.rows[5]));
    cm_csv_free(&c);
    unlink(path);
}

/* issue #15: non-finite first rows are data (bad data), a NUL is refused, a BOM is skipped. */
static void first_row_nul_and_bom(void **state)
{
    (void)state;
    cm_csv c;
    char err[256];
    const unsigned f = CM_CSV_HEADER_DETECT | CM_CSV_FINITE;
    write_file("nan,inf\n1,2\n");
    assert_int_equal(cm_csv_read(path, f, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: field 1 ('nan') is not a finite number"));
    write_file("1e400,1\n1,2\n");
    assert_int_equal(cm_csv_read(path, f, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: field 1 ('1e400')"));
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite("1,2\n3,4\0\n", 1, 9, fp);
    fclose(fp);
    assert_int_equal(cm_csv_read(path, f, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2: the line holds a NUL byte"));
    write_file("\xEF\xBB\xBF" "a,b\n1,2e-310\n");
    assert_int_equal(cm_csv_read(path, f, &c, err, sizeof err), 0);
    assert_string_equal(c.cols[0], "a");
    expect_close("a subnormal value is finite", c.rows[1], 2e-310, 0.0);
    cm_csv_free(&c);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(data_with_detected_header_comments_and_crlf),
        cmocka_unit_test(errors_name_file_line_and_field),
        cmocka_unit_test(lenient_values_for_series),
        cmocka_unit_test(first_row_nul_and_bom),
    };
    return TC_RUN("common/csv", tests);
}
