/* common/csv.h — the project's one CSV reader: user data (--data, `measure collapse`) and the
 * series files the harness writes (data/<claim>-<series>.csv, read back by the figures).
 *
 * Format: fields separated by commas, blanks around a field ignored, CRLF accepted; blank
 * lines and lines starting with '#' are skipped. A header line names the columns: required
 * (CM_CSV_HEADER), or recognised when none of its fields is a finite number
 * (CM_CSV_HEADER_DETECT). Every row must have as many fields as the header (or as the first
 * row). Values: with CM_CSV_FINITE every field must be a finite number (an error names the
 * file, line and field); otherwise strtod's nan/inf are accepted and an unparsable field
 * reads as NAN (a series may hold non-finite values; the figures skip them).
 * Errors are one line, "FILE:LINE: message" where a line is at fault.
 */
#ifndef CM_CSV_H
#define CM_CSV_H

#include <stddef.h>

enum {
    CM_CSV_HEADER = 1u << 0,        /* the first line is a header */
    CM_CSV_HEADER_DETECT = 1u << 1, /* ... if none of its fields is a finite number */
    CM_CSV_FINITE = 1u << 2,        /* every field a finite number, else an error */
    CM_CSV_NONEMPTY = 1u << 3,      /* no data row is an error */
};

typedef struct {
    size_t ncols, nrows;
    char **cols;   /* header names, trimmed; NULL without a header */
    double *rows;  /* nrows x ncols, row-major */
    size_t *lines; /* 1-based line number of each row in the file (for messages) */
    size_t nlines; /* lines in the file */
} cm_csv;

/* Read `path` (flags: CM_CSV_*). 0, or -1 with a one-line message in err (and *csv empty). */
int cm_csv_read(const char *path, unsigned flags, cm_csv *csv, char *err, size_t errlen);
void cm_csv_free(cm_csv *csv);
/* Column index of header name `name`, or -1. */
int cm_csv_col(const cm_csv *csv, const char *name);

#endif /* CM_CSV_H */
