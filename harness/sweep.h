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

/* argv[1] is "sweep". Returns the process exit code (0, 2 bad input, 3 internal). */
int hx_cmd_sweep(int argc, char **argv);

#endif /* HX_SWEEP_H */
