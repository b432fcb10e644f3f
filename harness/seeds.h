/* harness/seeds.h — seed robustness of the catalogue: `theorycheck sweep --all --seeds N`.
 *
 * Every selected claim (all by default) runs at its parameters under N run seeds; a claim
 * whose verdict differs between seeds is listed, and the command exits 1 if there is one. A
 * flaky check is a bug (docs/DESIGN.md): this is how one is found before CI finds it. */
#ifndef HX_SEEDS_H
#define HX_SEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "harness/options.h"

/* Run seed k of a run with --seed `seed`: `seed` itself for k = 0, then streams derived from
 * it (below 2^63, the record's JSON integer). Sweeps use the same seeds, and a cell's
 * parameters never enter them, so neighbouring cells are paired. */
uint64_t hx_run_seed(uint64_t seed, size_t k);

/* Run o's claims under `nseeds` seeds; records under o->out/seed-<k>/, the summary in
 * o->out/seeds.json. Returns the exit code: 0 no claim depends on the seed, 1 some does,
 * 2 bad input, 3 an I/O fault. */
int hx_seeds_run(hx_run_options *o, size_t nseeds);

#endif /* HX_SEEDS_H */
