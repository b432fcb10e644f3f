/* harness/csv.c — numeric CSV reader and dataset validation (see csv.h). */
#include "harness/csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hx_csv_read(const char *path, double **data, size_t *rows, size_t *cols, char *err,
                size_t errlen)
{
    cm_csv csv;
    if (cm_csv_read(path, HX_CSV_DATA, &csv, err, errlen))
        return -1;
    *data = csv.rows; /* handed over to the caller */
    *rows = csv.nrows;
    *cols = csv.ncols;
    csv.rows = NULL;
    cm_csv_free(&csv);
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
