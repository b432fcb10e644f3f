/* reports/docfigures.h — the documents' figures that the suite reproduces (issue #13).
 *
 * Each row names a figure of a source document, the claim whose run draws it, the claim's
 * plots that are its panels (in the document's order and layout), the CSV files they are
 * drawn from, the `--data` the claim needs, and what differs from the document and why.
 * `theorycheck report DIR --doc-figures` composes each row whose claim is in DIR's record
 * into figures/doc/<id>.<format> (the figure formats of figformat.h), one gnuplot multiplot
 * from the CSVs only, so a figure can be restyled without rerunning. docs/figures.md is the
 * human-readable form of this table; tests/harness/figures.sh checks the two agree.
 */
#ifndef TC_DOCFIGURES_H
#define TC_DOCFIGURES_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "reports/report.h"

typedef struct {
    const char *id;       /* output name: figures/doc/<id>.* */
    const char *document; /* "003 (Poggio et al., CBMM Memo 90) Figure 4, first two panels" */
    const char *claim;    /* the claim whose record holds the panels */
    const char *panels;   /* its plot names, comma-separated, in the document's order */
    int rows, cols;       /* the document's panel layout */
    const char *csvs;     /* data files under DIR the panels read, comma-separated */
    const char *data;     /* the --data argument the claim takes in `make figures`, or NULL */
    const char *differs;  /* what differs from the document, with the reason */
    int pending;          /* 1: the claim is written on another branch; the row is skipped
                           * while `theorycheck list` does not have it */
} rep_docfig;

/* The table (NULL-id terminated). */
extern const rep_docfig rep_docfigs[];

/* Compose every row whose claim is in `record` (unless no_plots), in the formats of
 * rep_ff_get(); one line per row on `out`: "<id> <claim> drawn <files...>",
 * "<id> <claim> skipped: <why>" or "<id> <claim> not drawn: <why>". `registered` tells a
 * claim of this build (NULL: every claim is). Returns the number of rows whose claim is in the
 * record and that were not drawn (0 when all were); -1 when gnuplot is missing. */
int rep_docfig_render(const char *outdir, const json_t *record, int no_plots,
                      rep_family_fn registered, FILE *out);

#endif /* TC_DOCFIGURES_H */
