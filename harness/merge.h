/* harness/merge.h — `theorycheck merge`: join the shard directories of one sweep.
 *
 *   theorycheck merge DIR... --out DIR [--partial]
 *
 * Each DIR is a sweep directory (sweep.json and cells/) made with --shard K/N, or an earlier
 * merge. The shards must belong to one sweep: the same claim, expectation, profile, seed,
 * seeds, axes, zip, number of cells, program version and shard count N, and (from their
 * records' key.txt) the same fixed parameters and --data; otherwise exit 2 naming the first
 * field that differs. Every cell is rebuilt from its records with
 * hx_sweep_cell_build, so OUT/sweep.json is the unsharded run's ("reused" aside: 0). With a
 * cell in no shard, nothing is written and the exit is 2 with the missing indices; --partial
 * writes the sweep anyway, a missing cell as {"index", "params", "missing": true} and
 * summary.missing counting them. The cell-seed records are hard-linked (or copied) into
 * OUT/cells, results.json last, so OUT is itself a sweep directory that `sweep` reuses.
 */
#ifndef HX_MERGE_H
#define HX_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* argv[1] is "merge". Returns the process exit code (0, 2 bad input, 3 internal). */
int hx_cmd_merge(int argc, char **argv);

/* NULL when the sweep.json headers a and b describe the same sweep, else the name of the
 * first field that differs ("claim", "axes", ..., "shard.n"; a shard of null, an unsharded
 * or merged directory, matches any N). */
const char *hx_merge_differs(const json_t *a, const json_t *b);

/* The "params" of cell `index` from the sweep.json "axes" (first axis slowest, or in step
 * with zip), as the sweep writes them. NULL when index is out of the grid or axes is bad. */
json_t *hx_merge_cell_params(const json_t *axes, bool zip, size_t index);

/* The fixed settings of two cell-seeds of a sweep differ: their key.txt texts (see sweep.c)
 * compared without the seed line and the swept parameters' lines (axes: sweep.json "axes").
 * sweep.json does not record --set, --config or --data; this is how merge tells shards run
 * with different ones apart. NULL when equal, else the first line that differs, as a field
 * name written into field ("data", "param gd_iters", ...). */
const char *hx_merge_key_differs(const char *key_a, const char *key_b, const json_t *axes,
                                 char *field, size_t len);

/* A record path as a sweep writes it: "cells/NAME/results.json", NAME one path component
 * (not "." or ".."): nothing a shard lists can make merge read or write outside it. */
bool hx_merge_record_path_ok(const char *rel);

#endif /* HX_MERGE_H */
