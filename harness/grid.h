/* harness/grid.h — the parameter grid of `theorycheck sweep` (DESIGN.md "Sweeps").
 *
 *   --grid PARAM=VALUES   VALUES of a scalar parameter: a comma list "1,2,4", or a range
 *                         "LO:HI:COUNT" (evenly spaced) or "LO:HI:COUNT:log" (geometric);
 *                         integer parameters are rounded and deduplicated. For a list-typed
 *                         parameter (e.g. widths) each value is a list: "64,256;128,512".
 * Every value is checked as --set would check it before anything runs. The cells are the
 * Cartesian product of the axes, the first --grid varying slowest, or with --zip the axes
 * taken in step (equal lengths). Each value is kept as the text --set would be given, written
 * so that it reads back to the same number (shortest round-trip form).
 */
#ifndef HX_GRID_H
#define HX_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "theorems/claim.h"

typedef struct {
    const tc_param_spec *spec;
    char **values;  /* nvalues texts, in order */
    size_t nvalues;
    bool log;       /* the values came from a geometric range: a log axis */
} hx_axis;

typedef struct {
    const tc_claim *claim;
    hx_axis *axes;
    size_t naxes;
    bool zip;
    size_t ncells;  /* set by hx_grid_finish */
} hx_grid;

#define HX_GRID_MAX_CELLS 10000 /* default of --max-cells */
#define HX_GRID_MAX_AXES 32     /* callers size coordinate arrays by it */

/* Add the axis "PARAM=VALUES" of g->claim. 0, or -1 with one message in err naming the
 * option and what is allowed (unknown parameter, bad range, a value out of range, an axis
 * given twice, an empty list). */
int hx_grid_add(hx_grid *g, const char *text, char *err, size_t errlen);

/* Close the grid: count the cells (zip: the axes must have equal lengths) and refuse more
 * than max_cells. 0 or -1 with a message. */
int hx_grid_finish(hx_grid *g, bool zip, size_t max_cells, char *err, size_t errlen);

/* The value index on every axis of cell `index` (< ncells): coord[a] for axis a. */
void hx_grid_coords(const hx_grid *g, size_t index, size_t *coord);

/* How far apart in the cell index two neighbours along axis a are (Cartesian grids): the
 * product of the later axes' lengths. */
size_t hx_grid_stride(const hx_grid *g, size_t a);

/* --refine: cls[c] is cell c's measured class (1 holds at every seed, 0 refuted at every seed,
 * -1 undecided or mixed). Where two neighbouring cells of a numeric axis are decided
 * differently, the midpoint of their values is inserted into that axis (geometric on a log
 * axis; integer axes stop at adjacent integers), so the next pass resolves where the verdict
 * flips. *added counts the new values; g->ncells is stale until hx_grid_finish. A --zip grid
 * is left alone. 0, or -1 when out of memory. */
int hx_grid_refine(hx_grid *g, const signed char *cls, size_t *added);

void hx_grid_free(hx_grid *g);

#endif /* HX_GRID_H */
