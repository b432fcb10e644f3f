/* harness/hypothesis.h — a claim's declared hypothesis region (tc_hypothesis_fn) evaluated at
 * resolved parameter values, without running the claim; and, over a sweep grid, where the
 * declared hypothesis flips along each axis.
 *
 * The accessors behind tc_hyp_int etc. read hx_values directly: they neither mark a value as
 * used (the claim did not read it) nor draw anything, so evaluating a cell costs microseconds
 * and never changes a record.
 */
#ifndef HX_HYPOTHESIS_H
#define HX_HYPOTHESIS_H

#include <stddef.h>

#include <jansson.h>

#include "harness/grid.h"
#include "harness/params.h"
#include "theorems/claim.h"

/* The claim's hypothesis at `vals` (values of c's parameters) with `data` (NULL without
 * --data): 1 holds; 0 violated, `why` says which (never empty); -1 cannot tell, or c declares
 * no hypothesis (`why` empty). A declared function returning anything else counts as -1. */
int hx_hypothesis_eval(const tc_claim *c, const hx_values *vals, const tc_dataset *data,
                       char *why, size_t whylen);

/* Where the declared hypothesis flips along each axis of g. h[i] (i < g->ncells) is the
 * hypothesis of cell i (1, 0 or -1). Two cells are neighbours along axis a when their value
 * indices on a differ by one and, for a Cartesian grid, agree on every other axis (with --zip
 * consecutive cells are neighbours along every axis). Returns an object keyed by parameter
 * name, for the axes where the hypothesis flips only: a list of the distinct intervals
 * [value i, value i+1] between neighbours with h = 1 on one side and 0 on the other, in axis
 * order (typed as the axis values in sweep.json; list-typed values as lists). */
json_t *hx_hypothesis_boundaries(const hx_grid *g, const signed char *h);

#endif /* HX_HYPOTHESIS_H */
