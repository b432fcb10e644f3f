/* tests/fuzz/fuzz_grid.c — `sweep --grid PARAM=VALUES` (harness/grid.c): lists, ranges
 * LO:HI:COUNT[:log] and lists of lists, for a claim chosen by the first byte; several axes
 * separated by newlines. Invariants: an accepted grid has at most --max-cells cells, every
 * axis value is accepted by the parameter (inside its range), no axis is empty. */
#include <stdint.h>

#include "fuzz.h"
#include "harness/grid.h"
#include "theorems/registry.h"

#define FUZZ_MAX_CELLS 1000

static void check(const hx_grid *g)
{
    fuzz_require(g->ncells >= 1 && g->ncells <= FUZZ_MAX_CELLS, "cells within --max-cells");
    for (size_t a = 0; a < g->naxes; a++) {
        fuzz_require(g->axes[a].nvalues >= 1, "no empty axis");
        for (size_t k = 0; k < g->axes[a].nvalues; k++) {
            hx_value v;
            char err[512];
            memset(&v, 0, sizeof v);
            fuzz_require(hx_param_parse(g->axes[a].spec, g->axes[a].values[k], &v, err,
                                        sizeof err) == 0,
                         "every grid value parses as the parameter");
            fuzz_value_in_range(&v);
            free(v.text);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || memchr(data, '\0', size))
        return 0;
    hx_grid g;
    memset(&g, 0, sizeof g);
    g.claim = tc_registry_at(data[0] % tc_registry_count());
    char *text = strndup((const char *)data + 2, size - 2), *save = NULL, err[1024];
    int ok = text != NULL;
    for (char *axis = text ? strtok_r(text, "\n", &save) : NULL; ok && axis;
         axis = strtok_r(NULL, "\n", &save))
        ok = hx_grid_add(&g, axis, err, sizeof err) == 0;
    if (ok && g.naxes && hx_grid_finish(&g, data[1] & 1, FUZZ_MAX_CELLS, err, sizeof err) == 0)
        check(&g);
    hx_grid_free(&g);
    free(text);
    return 0;
}
