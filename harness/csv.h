/* harness/csv.h — reading numeric CSV files and turning them into claim datasets.
 *
 * Format: one row per sample, fields separated by commas, surrounding blanks ignored; blank
 * lines and lines starting with '#' are skipped; the first line may be a header if none of
 * its fields is a number. Every other field must be a finite number and every row must have
 * the same number of fields. Errors name the file and line: "FILE:LINE: message".
 */
#ifndef HX_CSV_H
#define HX_CSV_H

#include <stddef.h>

#include "common/csv.h"
#include "theorems/claim.h"

/* How user data is read (common/csv.h): an optional header, finite numbers only, at least
 * one row. */
#define HX_CSV_DATA (CM_CSV_HEADER_DETECT | CM_CSV_FINITE | CM_CSV_NONEMPTY)

/* Read `path` into a rows x cols row-major array (*data, malloc'd; the caller frees).
 * Returns 0, or -1 with "FILE:LINE: message" in err. An empty file is an error. */
int hx_csv_read(const char *path, double **data, size_t *rows, size_t *cols, char *err,
                size_t errlen);

/* Build a dataset of the given kind from `path`. `targets` is the number of target columns
 * for TC_DATA_TARGETS (ignored otherwise). Validates labels (binary: {-1,1} or {0,1} with both
 * present; classes: integers 0..C-1, C >= 2, none empty). Returns 0 or -1 with a message. */
int hx_dataset_load(tc_dataset *ds, const char *path, tc_data_kind kind, size_t targets,
                    char *err, size_t errlen);
void hx_dataset_free(tc_dataset *ds);

#endif /* HX_CSV_H */
