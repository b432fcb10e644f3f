/* common/csv.c — see csv.h. The file is read whole (series are small; user data sets of
 * tens of megabytes fit easily), split into lines in place, and parsed row by row. */
#include "common/csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/atomic.h"
#include "common/number.h"

void cm_csv_free(cm_csv *csv)
{
    for (size_t i = 0; csv->cols && i < csv->ncols; i++)
        free(csv->cols[i]);
    free(csv->cols);
    free(csv->rows);
    free(csv->lines);
    memset(csv, 0, sizeof *csv);
}

int cm_csv_col(const cm_csv *csv, const char *name)
{
    for (size_t i = 0; csv->cols && i < csv->ncols; i++)
        if (strcmp(csv->cols[i], name) == 0)
            return (int)i;
    return -1;
}

/* Next line of *s (modified in place: the newline and a trailing CR become NUL). */
static char *next_line(char **s)
{
    if (!*s || !**s)
        return NULL;
    char *line = *s, *nl = strchr(line, '\n');
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

/* Split `line` in place on commas into trimmed fields; returns their number. fields has room
 * for `max`; a longer line only counts. */
static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line;;) {
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        if (n < max)
            fields[n] = trim(p);
        n++;
        if (!c)
            return n;
        p = c + 1;
    }
}

static size_t count_fields(const char *line)
{
    size_t n = 1;
    for (; *line; line++)
        n += *line == ',';
    return n;
}

/* A lenient value: strtod's nan/inf accepted, anything unparsable NAN. */
static double lenient_number(const char *f)
{
    char *end;
    double v = strtod(f, &end);
    return (end == f || *end) ? NAN : v;
}

typedef struct {
    const char *path;
    unsigned flags;
    char **fields; /* scratch, cap entries */
    size_t cap, rowcap;
    char *err;
    size_t errlen;
} reader;

static int oom(reader *r, size_t lineno)
{
    snprintf(r->err, r->errlen, "%s:%zu: out of memory", r->path, lineno);
    return -1;
}

static int take_header(reader *r, cm_csv *csv, size_t n, size_t lineno)
{
    csv->cols = calloc(n, sizeof *csv->cols);
    if (!csv->cols)
        return oom(r, lineno);
    csv->ncols = n;
    for (size_t j = 0; j < n; j++)
        if (!(csv->cols[j] = strdup(r->fields[j])))
            return oom(r, lineno);
    return 0;
}

static int grow_rows(reader *r, cm_csv *csv, size_t lineno)
{
    if (csv->nrows < r->rowcap)
        return 0;
    size_t cap = r->rowcap ? 2 * r->rowcap : 256;
    double *rows = realloc(csv->rows, cap * csv->ncols * sizeof *rows);
    if (rows)
        csv->rows = rows;
    size_t *lines = rows ? realloc(csv->lines, cap * sizeof *lines) : NULL;
    if (!lines)
        return oom(r, lineno);
    csv->lines = lines;
    r->rowcap = cap;
    return 0;
}

/* One data row (fields already split). */
static int take_row(reader *r, cm_csv *csv, size_t n, size_t lineno)
{
    if (csv->ncols == 0)
        csv->ncols = n;
    if (n != csv->ncols) {
        if (csv->cols)
            snprintf(r->err, r->errlen, "%s:%zu: %zu fields, header has %zu", r->path, lineno,
                     n, csv->ncols);
        else
            snprintf(r->err, r->errlen, "%s:%zu: %zu fields, but earlier rows have %zu",
                     r->path, lineno, n, csv->ncols);
        return -1;
    }
    if (grow_rows(r, csv, lineno))
        return -1;
    double *row = csv->rows + csv->nrows * csv->ncols;
    for (size_t j = 0; j < n; j++) {
        if (!(r->flags & CM_CSV_FINITE)) {
            row[j] = lenient_number(r->fields[j]);
        } else if (cm_number_finite(r->fields[j], &row[j])) {
            snprintf(r->err, r->errlen, "%s:%zu: field %zu ('%.40s') is not a finite number",
                     r->path, lineno, j + 1, r->fields[j]);
            return -1;
        }
    }
    csv->lines[csv->nrows++] = lineno;
    return 0;
}

/* Whether a first line is a header under CM_CSV_HEADER_DETECT: none of its fields is a number.
 * A number that is not finite (nan, inf, 1e400) is still a number: such a row is data, and bad
 * data under CM_CSV_FINITE, never a header dropped in silence. */
static int looks_like_header(char **fields, size_t n)
{
    double v;
    for (size_t j = 0; j < n; j++)
        if (cm_number_parse(fields[j], &v) == 0)
            return 0;
    return 1;
}

static int parse_lines(reader *r, cm_csv *csv, char *text)
{
    char *cursor = text, *line;
    size_t lineno = 0;
    int first = 1;
    while ((line = next_line(&cursor)) != NULL) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        size_t n = count_fields(s);
        if (n > r->cap) {
            char **f = realloc(r->fields, n * sizeof *f);
            if (!f)
                return oom(r, lineno);
            r->fields = f;
            r->cap = n;
        }
        split(s, r->fields, r->cap);
        int header = first && ((r->flags & CM_CSV_HEADER) ||
                               ((r->flags & CM_CSV_HEADER_DETECT) && looks_like_header(r->fields, n)));
        first = 0;
        if (header ? take_header(r, csv, n, lineno) : take_row(r, csv, n, lineno))
            return -1;
    }
    if ((r->flags & CM_CSV_HEADER) && !csv->cols) {
        snprintf(r->err, r->errlen, "%s: empty file (no header)", r->path);
        return -1;
    }
    csv->nlines = lineno;
    if ((r->flags & CM_CSV_NONEMPTY) && csv->nrows == 0) {
        snprintf(r->err, r->errlen, "%s:%zu: no data rows", r->path, lineno);
        return -1;
    }
    return 0;
}

/* A NUL byte would end a row early without a trace: refuse the file, naming its line. A UTF-8
 * byte order mark (which some editors write) is blanked out so the first field reads as written. */
static int text_ok(reader *r, char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        size_t line = 1;
        for (const char *c = text; c < nul; c++)
            line += *c == '\n';
        snprintf(r->err, r->errlen, "%s:%zu: the line holds a NUL byte (not a text file?)",
                 r->path, line);
        return -1;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        memset(text, ' ', 3); /* blanks are trimmed from fields and lines alike */
    return 0;
}

int cm_csv_read(const char *path, unsigned flags, cm_csv *csv, char *err, size_t errlen)
{
    memset(csv, 0, sizeof *csv);
    size_t len;
    char *text = cm_read_file(path, &len);
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    reader r = {.path = path, .flags = flags, .err = err, .errlen = errlen};
    int rc = text_ok(&r, text, len) ? -1 : parse_lines(&r, csv, text);
    free(r.fields);
    free(text);
    if (rc)
        cm_csv_free(csv);
    return rc;
}
