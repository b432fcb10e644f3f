/* harness/csv.c — numeric CSV reader and dataset validation (see csv.h). */
#include "harness/csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int field_number(const char *f, double *v)
{
    char *end;
    if (!*f)
        return -1;
    errno = 0;
    *v = strtod(f, &end);
    return (*end || errno == ERANGE || !isfinite(*v)) ? -1 : 0;
}

/* Split `line` in place on commas; returns the number of fields (at most max). */
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

/* Read one line of any length into *buf; 1 if a line was read, 0 at EOF, -1 on error. */
static int read_line(FILE *f, char **buf, size_t *cap)
{
    size_t n = 0;
    int c;
    while ((c = fgetc(f)) != EOF && c != '\n') {
        if (n + 1 >= *cap) {
            size_t nc = *cap ? 2 * *cap : 256;
            char *p = realloc(*buf, nc);
            if (!p)
                return -1;
            *buf = p;
            *cap = nc;
        }
        (*buf)[n++] = (char)c;
    }
    if (c == EOF && n == 0)
        return ferror(f) ? -1 : 0;
    if (!*buf && !(*buf = malloc(*cap = 1)))
        return -1;
    (*buf)[n] = '\0';
    if (n && (*buf)[n - 1] == '\r')
        (*buf)[n - 1] = '\0';
    return 1;
}

typedef struct {
    double *data;
    size_t rows, cols, cap;
} table;

static int append_row(table *t, const double *row)
{
    if ((t->rows + 1) * t->cols > t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 1024;
        while (nc < (t->rows + 1) * t->cols)
            nc *= 2;
        double *p = realloc(t->data, nc * sizeof *p);
        if (!p)
            return -1;
        t->data = p;
        t->cap = nc;
    }
    memcpy(t->data + t->rows * t->cols, row, t->cols * sizeof *row);
    t->rows++;
    return 0;
}

/* Parse one data line into t; returns 0, 1 (header line skipped), or -1 with a message. */
static int parse_line(table *t, char *line, size_t lineno, int first, const char *path,
                      char *err, size_t errlen)
{
    enum { MAXF = 20000 }; /* fields per row: enough for 128x128 images */
    static _Thread_local char *fields[MAXF];
    static _Thread_local double vals[MAXF];
    size_t n = split(line, fields, MAXF);
    if (n > MAXF) {
        snprintf(err, errlen, "%s:%zu: more than %d fields", path, lineno, MAXF);
        return -1;
    }
    size_t bad = n;
    int numeric = 0;
    for (size_t j = 0; j < n; j++) {
        if (field_number(fields[j], &vals[j]) == 0)
            numeric++;
        else if (bad == n)
            bad = j;
    }
    if (first && numeric == 0 && n > 0)
        return 1; /* a header: no field is a number */
    if (bad < n) {
        snprintf(err, errlen, "%s:%zu: field %zu ('%.40s') is not a finite number", path,
                 lineno, bad + 1, fields[bad]);
        return -1;
    }
    if (t->cols == 0)
        t->cols = n;
    if (n != t->cols) {
        snprintf(err, errlen, "%s:%zu: %zu fields, but earlier rows have %zu", path, lineno, n,
                 t->cols);
        return -1;
    }
    if (append_row(t, vals)) {
        snprintf(err, errlen, "%s:%zu: out of memory", path, lineno);
        return -1;
    }
    return 0;
}

int hx_csv_read(const char *path, double **data, size_t *rows, size_t *cols, char *err,
                size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    table t = {0};
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    int rc = 0, first = 1, r;
    while ((r = read_line(f, &line, &cap)) == 1) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        rc = parse_line(&t, s, lineno, first, path, err, errlen);
        first = 0;
        if (rc < 0)
            break;
        rc = 0;
    }
    if (r < 0 && rc == 0) {
        snprintf(err, errlen, "%s:%zu: read error", path, lineno + 1);
        rc = -1;
    }
    if (rc == 0 && t.rows == 0) {
        snprintf(err, errlen, "%s:%zu: no data rows", path, lineno);
        rc = -1;
    }
    free(line);
    fclose(f);
    if (rc) {
        free(t.data);
        return -1;
    }
    *data = t.data;
    *rows = t.rows;
    *cols = t.cols;
    return 0;
}

void hx_dataset_free(tc_dataset *ds)
{
    free(ds->x);
    free(ds->y);
    memset(ds, 0, sizeof *ds);
}

/* Validate and map binary labels to -1/+1. */
static int labels_binary(tc_dataset *ds, char *err, size_t errlen)
{
    int zero_one = 0, neg = 0, pos = 0;
    for (size_t i = 0; i < ds->n; i++) {
        double l = ds->y[i];
        if (l == 0.0)
            zero_one = 1;
        if (!(l == 1.0 || l == -1.0 || l == 0.0)) {
            snprintf(err, errlen, "%s: sample %zu: label %g is not -1/+1 or 0/1", ds->path, i + 1,
                     l);
            return -1;
        }
    }
    for (size_t i = 0; i < ds->n; i++) {
        if (zero_one && ds->y[i] == -1.0) {
            snprintf(err, errlen, "%s: sample %zu: labels mix -1 with 0 (use -1/+1 or 0/1)",
                     ds->path, i + 1);
            return -1;
        }
        if (ds->y[i] == 0.0)
            ds->y[i] = -1.0;
        if (ds->y[i] > 0)
            pos++;
        else
            neg++;
    }
    if (!pos || !neg) {
        snprintf(err, errlen, "%s: only one class is present (%d positive, %d negative)",
                 ds->path, pos, neg);
        return -1;
    }
    ds->classes = 2;
    return 0;
}

static int labels_classes(tc_dataset *ds, char *err, size_t errlen)
{
    size_t c = 0;
    for (size_t i = 0; i < ds->n; i++) {
        double l = ds->y[i];
        if (l < 0 || l != floor(l) || l > 1e6) {
            snprintf(err, errlen, "%s: sample %zu: label %g is not a class index 0, 1, 2, ...",
                     ds->path, i + 1, l);
            return -1;
        }
        if ((size_t)l + 1 > c)
            c = (size_t)l + 1;
    }
    if (c < 2) {
        snprintf(err, errlen, "%s: fewer than two classes", ds->path);
        return -1;
    }
    size_t *count = calloc(c, sizeof *count);
    if (!count) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < ds->n; i++)
        count[(size_t)ds->y[i]]++;
    int rc = 0;
    for (size_t k = 0; k < c && !rc; k++)
        if (!count[k]) {
            snprintf(err, errlen, "%s: class %zu has no sample (labels must be 0..%zu)",
                     ds->path, k, c - 1);
            rc = -1;
        }
    free(count);
    ds->classes = c;
    return rc;
}

int hx_dataset_load(tc_dataset *ds, const char *path, tc_data_kind kind, size_t targets,
                    char *err, size_t errlen)
{
    memset(ds, 0, sizeof *ds);
    double *t;
    size_t rows, cols;
    if (hx_csv_read(path, &t, &rows, &cols, err, errlen))
        return -1;
    size_t k = kind == TC_DATA_TARGETS ? targets : 1;
    if (cols < k + 1) {
        snprintf(err, errlen, "%s:1: %zu columns; need at least one feature and %zu %s column%s",
                 path, cols, k, kind == TC_DATA_TARGETS ? "target" : "label", k > 1 ? "s" : "");
        free(t);
        return -1;
    }
    ds->path = path;
    ds->n = rows;
    ds->d = cols - k;
    ds->k = k;
    ds->x = malloc(rows * ds->d * sizeof *ds->x);
    ds->y = malloc(rows * k * sizeof *ds->y);
    if (!ds->x || !ds->y) {
        free(t);
        hx_dataset_free(ds);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < rows; i++) {
        memcpy(ds->x + i * ds->d, t + i * cols, ds->d * sizeof *t);
        memcpy(ds->y + i * k, t + i * cols + ds->d, k * sizeof *t);
    }
    free(t);
    int rc = 0;
    if (kind == TC_DATA_BINARY)
        rc = labels_binary(ds, err, errlen);
    else if (kind == TC_DATA_CLASSES)
        rc = labels_classes(ds, err, errlen);
    if (rc)
        hx_dataset_free(ds);
    return rc;
}
