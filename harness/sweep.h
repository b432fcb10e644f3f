/* harness/sweep.h — `theorycheck sweep`: one claim over a grid of its parameters and several
 * run seeds; every cell-seed an ordinary record, reused when already complete; sweep.json
 * (schema theorycheck/sweep/v1) summarises each cell: verdicts, how many seeds hold, the
 * Clopper-Pearson interval of that fraction, seed dependence, median key metrics.
 *
 *   theorycheck sweep CLAIM --grid PARAM=VALUES [--grid ...] [--zip] [--seeds N]
 *                     [--shard K/N] [--force] [--max-cells M] [run options]
 */
#ifndef HX_SWEEP_H
#define HX_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "theorems/claim.h"

#define HX_SWEEP_SCHEMA "theorycheck/sweep/v1"

/* argv[1] is "sweep". Returns the process exit code (0, 2 bad input, 3 internal). */
int hx_cmd_sweep(int argc, char **argv);

/* The sweep.json summary before any cell: {"holds_everywhere": 0, "refuted_everywhere": 0,
 * "seed_dependent": 0, "undecided": 0}; the caller adds "cells" at the end. */
json_t *hx_sweep_summary_new(void);

/* The sweep.json entry of cell `cell` of a sweep of `claim`, assembled from its cell-seed
 * records: `records` are n (>= 1) paths of results.json files relative to the sweep
 * directory `dir` ("cells/<claim>-<hash>/results.json"), in seed order; `params` the cell's
 * swept values (typed JSON, copied); `hypothesis` the claim's declared hypothesis there (1,
 * 0 with `why`, -1 none or unknown: sweep evaluates it, merge takes the shard's). Counts the
 * cell in `summary`. Used by `sweep` and by
 * `merge` (which rebuilds every cell from the shards' records), so that a merged sweep.json
 * is the unsharded one. Returns a new object, or NULL with a message in err (a record
 * missing or unreadable). */
json_t *hx_sweep_cell_build(const tc_claim *claim, size_t cell, const json_t *params,
                            int hypothesis, const char *why, const char *dir,
                            const char *const *records, size_t n, json_t *summary, char *err,
                            size_t errlen);

/* What a sweep's (or a merge's) summary writer needs; it runs in a child process. */
typedef struct {
    const json_t *sweep; /* sweep.json's content */
    int no_plots;
} hx_sweep_summary;

/* An hx_outdir_write_fn (harness/outdir.h), arg an hx_sweep_summary: writes sweep.json and
 * draws the documents and the map into `dir` (the staging directory, whose `cells` links to
 * the sweep's cells), exactly as `theorycheck report DIR` redraws them. 0, or -1 with err. */
int hx_sweep_summary_write(const char *dir, void *arg, char *err, size_t errlen);

/* FNV-1a (64 bits) of n bytes: the name of a cell-seed directory is the hash of its key. */
uint64_t hx_sweep_hash(const char *s, size_t n);

/* Whether shard K of N (1-based; N = 0: no sharding) runs cell `cell`: cell mod N = K - 1. */
bool hx_sweep_in_shard(size_t cell, size_t k, size_t n);

#endif /* HX_SWEEP_H */
