/* reports/csv.c — read the series CSV files the harness writes (data/<claim>-<series>.csv).
 *
 * Format: one header line of comma-separated column names, then rows of numbers printed with
 * %.17g; fields may be nan, inf or -inf. The figures need the header (to check that the
 * columns a plot names exist) and the values (to count drawable points, pick axis formats and
 * place the legend). Series are at most a few thousand rows, so the file is read whole.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

void rep_csv_free(rep_csv *csv)
{
    for (size_t i = 0; i < csv->ncols; i++)
        free(csv->cols[i]);
    free(csv->cols);
    free(csv->rows);
    memset(csv, 0, sizeof *csv);
}

int rep_csv_col(const rep_csv *csv, const char *name)
{
    for (size_t i = 0; i < csv->ncols; i++)
        if (strcmp(csv->cols[i], name) == 0)
            return (int)i;
    return -1;
}

/* Next line of s (modified in place: the newline and a trailing CR become NUL). */
static char *next_line(char **s)
{
    if (!*s || !**s)
        return NULL;
    char *line = *s;
    char *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *s = nl + 1;
    } else {
        *s = line + strlen(line);
    }
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[n - 1] = '\0';
    return line;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static size_t count_fields(const char *line)
{
    size_t n = 1;
    for (; *line; line++)
        n += *line == ',';
    return n;
}

/* A field as a double: strtod accepts nan, inf, -inf; anything else unparsable is NAN. */
static double field_value(char *f)
{
    f = trim(f);
    char *end;
    errno = 0;
    double v = strtod(f, &end);
    if (end == f || *trim(end) != '\0')
        return NAN;
    return v;
}

static int parse_header(char *line, rep_csv *csv)
{
    size_t n = count_fields(line);
    csv->cols = calloc(n, sizeof *csv->cols);
    if (!csv->cols)
        return -1;
    char *p = line;
    for (size_t i = 0; i < n; i++) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        csv->cols[i] = strdup(trim(p));
        if (!csv->cols[i])
            return -1;
        csv->ncols = i + 1;
        p = comma ? comma + 1 : p + strlen(p);
    }
    return 0;
}

int rep_csv_load(const char *path, rep_csv *csv, char *err, size_t errlen)
{
    memset(csv, 0, sizeof *csv);
    size_t len;
    char *text = rep_read_file(path, &len);
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    char *cursor = text, *line = next_line(&cursor);
    int rc = -1;
    if (!line || !*trim(line)) {
        snprintf(err, errlen, "%s: empty file (no header)", path);
        goto done;
    }
    if (parse_header(line, csv) != 0) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto done;
    }
    size_t cap = 0, lineno = 1;
    while ((line = next_line(&cursor)) != NULL) {
        lineno++;
        if (!*trim(line))
            continue;
        if (count_fields(line) != csv->ncols) {
            snprintf(err, errlen, "%s:%zu: %zu fields, header has %zu", path, lineno,
                     count_fields(line), csv->ncols);
            goto done;
        }
        if (csv->nrows == cap) {
            cap = cap ? 2 * cap : 256;
            double *r = realloc(csv->rows, cap * csv->ncols * sizeof *r);
            if (!r) {
                snprintf(err, errlen, "%s: out of memory", path);
                goto done;
            }
            csv->rows = r;
        }
        double *row = csv->rows + csv->nrows * csv->ncols;
        char *p = line;
        for (size_t j = 0; j < csv->ncols; j++) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            row[j] = field_value(p);
            p = comma ? comma + 1 : p + strlen(p);
        }
        csv->nrows++;
    }
    rc = 0;
done:
    free(text);
    if (rc != 0)
        rep_csv_free(csv);
    return rc;
}
