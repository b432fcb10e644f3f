/* tests/fuzz/fuzz_csv.c — the CSV reader (common/csv.c) under every flag set the program uses.
 * Invariants: an accepted data set (CM_CSV_FINITE) holds only finite numbers, has rows and
 * columns as counted and strictly increasing line numbers; a refusal names the file. */
#include <stdint.h>
#include <unistd.h>

#include "common/csv.h"
#include "fuzz.h"

static void check(const char *path, unsigned flags)
{
    cm_csv c;
    char err[512] = "";
    if (cm_csv_read(path, flags, &c, err, sizeof err) != 0) {
        fuzz_require(strncmp(err, "cannot read", 11) == 0 || strstr(err, path) == err,
                     "a refusal names the file");
        return;
    }
    fuzz_require(c.ncols >= 1 || c.nrows == 0, "columns counted");
    if (flags & CM_CSV_NONEMPTY)
        fuzz_require(c.nrows >= 1, "a nonempty data set");
    for (size_t i = 0; i < c.nrows; i++) {
        fuzz_require(i == 0 || c.lines[i] > c.lines[i - 1], "line numbers increase");
        fuzz_require(c.lines[i] >= 1 && c.lines[i] <= c.nlines, "line numbers in the file");
        for (size_t j = 0; (flags & CM_CSV_FINITE) && j < c.ncols; j++)
            fuzz_require(isfinite(c.rows[i * c.ncols + j]), "every accepted value finite");
    }
    if (flags & CM_CSV_HEADER)
        fuzz_require(c.cols != NULL, "a header when one is required");
    cm_csv_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("in.csv", data, size);
    if (!path)
        return 0;
    check(path, CM_CSV_HEADER_DETECT | CM_CSV_FINITE | CM_CSV_NONEMPTY); /* --data */
    check(path, CM_CSV_HEADER_DETECT | CM_CSV_FINITE);                   /* measure collapse */
    check(path, CM_CSV_HEADER);                                          /* series (lenient) */
    unlink(path);
    return 0;
}
