/* harness/measure_collapse.c — `theorycheck measure collapse`: the neural-collapse metrics of a
 * user's own last-layer features, labels and (optionally) classifier weights, as one JSON
 * object on stdout.
 *
 *   theorycheck measure collapse --features F.csv --labels L.csv [--weights W.csv]
 *
 * F.csv: one row per sample, p numeric columns (the features h_i). L.csv: one integer label
 * per row, 0..C-1, every class present (C = largest label + 1). W.csv: C rows of p numbers
 * (the classifier rows w_c). The metrics and their conventions are those of numerics/collapse.h
 * (Papyan, Han, Donoho 2020); without --weights the weight-dependent ones are null, and a
 * metric that is undefined for the data (e.g. nc1 when all class means coincide) is null too.
 * NCC mismatch compares with argmax_c <w_c, h> (no bias).
 *
 * Bad input (unreadable, ragged or non-numeric files, label counts that do not match, labels
 * that are not non-negative integers, fewer than two classes, a class with no sample, weights
 * of the wrong shape) exits with status 2 and one message naming the file and line; nothing is
 * printed on stdout then.
 */
#include "harness/measure_collapse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/cli.h"
#include "harness/csv.h"
#include "harness/exitcodes.h"
#include "numerics/collapse.h"

#define PROG "theorycheck measure collapse"

static const char *const usage =
    "usage: theorycheck measure collapse --features F.csv --labels L.csv [--weights W.csv]\n"
    "  F.csv  last-layer features, one row per sample (p numeric columns)\n"
    "  L.csv  one integer class label 0..C-1 per row, same number of rows as F.csv\n"
    "  W.csv  optional classifier, C rows of p numbers (one row per class)\n"
    "prints one JSON object: nc1, nc1_over_c, equinorm_means, equinorm_weights,\n"
    "equiangularity, equiangularity_weights, self_duality, ncc_mismatch, classes, samples, dim\n";

static int bad_input(const char *fmt, const char *a, size_t b, const char *c)
{
    fprintf(stderr, PROG ": ");
    fprintf(stderr, fmt, a, b, c);
    fputc('\n', stderr);
    return HX_EXIT_USAGE;
}

/* The line of label row i for messages: its own line, or for a row past the end of the file
 * (features with more rows than labels) the line it would have. */
static size_t label_line(const cm_csv *L, size_t i)
{
    return i < L->nrows ? L->lines[i] : L->nlines + (i - L->nrows) + 1;
}

static json_t *real_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

typedef struct {
    const char *feat, *lab, *wts;
    int help;
} mc_args;

enum { MC_FEATURES = 1000, MC_LABELS, MC_WEIGHTS, MC_HELP };

/* Every metric is invariant under a positive scaling of the features, and of the weights, each
 * on its own: ratios of covariances, coefficients of variation, cosines, normalised distances,
 * argmax. Their squares and sums of squares overflow from ~1e154 on, so each matrix is brought
 * to a largest entry in [0.5, 1) first, by a power of two — exact, so the numbers are the same
 * at any scale. */
static void scale_unit(double *a, size_t n)
{
    double big = 0;
    for (size_t i = 0; i < n; i++)
        big = fmax(big, fabs(a[i]));
    if (big == 0)
        return;
    int e;
    frexp(big, &e);
    for (size_t i = 0; i < n; i++)
        a[i] = ldexp(a[i], -e);
}

static const struct option mc_options[] = {
    {"features", required_argument, NULL, MC_FEATURES},
    {"labels", required_argument, NULL, MC_LABELS},
    {"weights", required_argument, NULL, MC_WEIGHTS},
    {"help", no_argument, NULL, MC_HELP},
    {NULL, 0, NULL, 0}};

static int mc_option(void *user, int opt, const char *val)
{
    mc_args *a = user;
    static const char *const names[] = {"--features", "--labels", "--weights"};
    if (opt == MC_HELP) {
        a->help = 1;
        return 0;
    }
    if (opt == 1) {
        fprintf(stderr, PROG ": unexpected argument '%s'\n%s", val, usage);
        return -1;
    }
    const char **dst = opt == MC_FEATURES ? &a->feat : opt == MC_LABELS ? &a->lab : &a->wts;
    const char *name = names[opt - MC_FEATURES];
    if (!*val) {
        fprintf(stderr, PROG ": option '%s' has an empty file name\n", name);
        return -1;
    }
    if (*dst) {
        fprintf(stderr, PROG ": option '%s' given twice ('%s' and '%s')\n", name, *dst, val);
        return -1;
    }
    *dst = val;
    return 0;
}

/* Parse the options; returns 0 or an exit code (usage printed). */
static int parse_args(int argc, char **argv, mc_args *a)
{
    memset(a, 0, sizeof *a);
    if (argc < 1 || strcmp(argv[0], "collapse") != 0) {
        fprintf(stderr, "theorycheck measure: unknown measurement '%s' (available: collapse)\n",
                argc >= 1 ? argv[0] : "");
        return HX_EXIT_USAGE;
    }
    const hx_cli_text text = {PROG, "a file name", usage};
    if (hx_cli_parse(argc, argv, 1, mc_options, mc_option, a, &text))
        return HX_EXIT_USAGE;
    if (!a->help && (!a->feat || !a->lab)) {
        fprintf(stderr, PROG ": %s is required\n%s", !a->feat ? "--features" : "--labels", usage);
        return HX_EXIT_USAGE;
    }
    return 0;
}

int hx_measure_collapse(int argc, char **argv)
{
    mc_args args;
    int rc = parse_args(argc, argv, &args);
    const char *fpath = args.feat, *lpath = args.lab, *wpath = args.wts;
    if (rc)
        return rc;
    if (args.help) {
        fputs(usage, stdout);
        return HX_EXIT_OK;
    }
    char err[512];
    double *H = NULL, *L = NULL, *W = NULL;
    size_t *y = NULL, *count = NULL;
    size_t n, p, nl, lc, wr = 0, wc = 0, C = 0;
    cm_csv feats = {0}, labels = {0}, weights = {0};
    num_collapse_work *work = NULL;
    rc = HX_EXIT_USAGE;

    if (cm_csv_read(fpath, HX_CSV_DATA, &feats, err, sizeof err) != 0 ||
        cm_csv_read(lpath, HX_CSV_DATA, &labels, err, sizeof err) != 0 ||
        (wpath && cm_csv_read(wpath, HX_CSV_DATA, &weights, err, sizeof err) != 0)) {
        fprintf(stderr, PROG ": %s\n", err);
        goto done;
    }
    H = feats.rows, n = feats.nrows, p = feats.ncols;
    L = labels.rows, nl = labels.nrows, lc = labels.ncols;
    if (wpath)
        W = weights.rows, wr = weights.nrows, wc = weights.ncols;
    y = malloc(nl * sizeof *y);
    if (!y) {
        fprintf(stderr, PROG ": out of memory\n");
        rc = HX_EXIT_INTERNAL;
        goto done;
    }
    if (lc != 1) {
        rc = bad_input("%s:%zu: %s", lpath, label_line(&labels, 0),
                       "expected one label per row, found more than one column");
        goto done;
    }
    if (nl != n) {
        char msg[160];
        if (nl < n)
            snprintf(msg, sizeof msg, "the labels end after %zu rows but %s has %zu rows", nl,
                     fpath, n);
        else
            snprintf(msg, sizeof msg, "label row %zu has no feature row (%s has %zu rows)",
                     n + 1, fpath, n);
        rc = bad_input("%s:%zu: %s", lpath, label_line(&labels, nl < n ? nl : n), msg);
        goto done;
    }
    /* Labels: non-negative integers; C = max + 1 <= n (else some class is empty). */
    for (size_t i = 0; i < n; i++) {
        double l = L[i];
        if (!(l >= 0.0) || l != floor(l) || l >= (double)n) {
            char msg[120];
            if (l >= 0.0 && l == floor(l))
                snprintf(msg, sizeof msg, "label %.17g leaves classes without a sample "
                                          "(labels must be 0..C-1, %zu samples)", l, n);
            else
                snprintf(msg, sizeof msg, "label %.17g is not a non-negative integer", l);
            rc = bad_input("%s:%zu: %s", lpath, label_line(&labels, i), msg);
            goto done;
        }
        y[i] = (size_t)l;
        if (y[i] + 1 > C)
            C = y[i] + 1;
    }
    if (C < 2) {
        rc = bad_input("%s:%zu: %s", lpath, label_line(&labels, 0),
                       "every label is 0: at least two classes are needed");
        goto done;
    }
    count = calloc(C, sizeof *count);
    if (!count) {
        fprintf(stderr, PROG ": out of memory\n");
        rc = HX_EXIT_INTERNAL;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        count[y[i]]++;
    for (size_t c = 0; c < C; c++)
        if (count[c] == 0) {
            char msg[120];
            snprintf(msg, sizeof msg, "class %zu has no sample (labels must cover 0..%zu)", c,
                     C - 1);
            rc = bad_input("%s:%zu: %s", lpath, label_line(&labels, n - 1), msg);
            goto done;
        }
    if (W && (wr != C || wc != p)) {
        char msg[160];
        snprintf(msg, sizeof msg, "the weights are %zu x %zu, expected C x p = %zu x %zu (one "
                                  "row per class, as many columns as %s)", wr, wc, C, p, fpath);
        rc = bad_input("%s:%zu: %s", wpath, weights.lines[wr > C ? C : 0], msg);
        goto done;
    }

    scale_unit(H, n * p);
    if (W)
        scale_unit(W, wr * wc);
    work = num_collapse_work_alloc(n, p, C);
    num_collapse_metrics m;
    num_status st = work ? num_collapse_measure(work, H, y, n, p, C, W, NULL, &m) : NUM_ENOMEM;
    if (st != NUM_OK) {
        fprintf(stderr, PROG ": computing the metrics failed: %s\n", num_strerror(st));
        rc = st == NUM_ENOMEM || st == NUM_ELAPACK ? HX_EXIT_INTERNAL : HX_EXIT_USAGE;
        goto done;
    }
    json_t *o = json_object();
    json_object_set_new(o, "nc1", real_or_null(m.nc1));
    json_object_set_new(o, "nc1_over_c", real_or_null(m.nc1_over_c));
    json_object_set_new(o, "equinorm_means", real_or_null(m.equinorm_means));
    json_object_set_new(o, "equinorm_weights", real_or_null(m.equinorm_weights));
    json_object_set_new(o, "equiangularity", real_or_null(m.equiangularity));
    json_object_set_new(o, "equiangularity_weights", real_or_null(m.equiangularity_weights));
    json_object_set_new(o, "self_duality", real_or_null(m.self_duality));
    json_object_set_new(o, "ncc_mismatch", real_or_null(m.ncc_mismatch));
    json_object_set_new(o, "classes", json_integer((json_int_t)C));
    json_object_set_new(o, "samples", json_integer((json_int_t)n));
    json_object_set_new(o, "dim", json_integer((json_int_t)p));
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!text) {
        fprintf(stderr, PROG ": out of memory\n");
        rc = HX_EXIT_INTERNAL;
        goto done;
    }
    puts(text);
    free(text);
    rc = fflush(stdout) == 0 ? HX_EXIT_OK : HX_EXIT_INTERNAL;
done:
    num_collapse_work_free(work);
    cm_csv_free(&feats);
    cm_csv_free(&labels);
    cm_csv_free(&weights);
    free(y);
    free(count);
    return rc;
}
