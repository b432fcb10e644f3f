/* harness/diff.h — `theorycheck diff OLD NEW`: what a change did to the verdicts.
 *
 *   theorycheck diff OLD NEW [--format table|json] [--rtol R]
 *
 * OLD and NEW are two run directories (results.json) or two sweep directories of one claim
 * (sweep.json). Claims are matched by id, sweep cells by their swept parameters (cells marked
 * "missing" by a partial merge count as absent). Reported:
 *   - every claim or cell whose verdict changed (for a cell: its list of per-seed verdicts);
 *   - every metric that moved (hx_diff_moved): in runs the checked metrics (those with an ok
 *     flag) and the claim's key metrics; in sweeps each cell's median key metrics;
 *   - the claims or cells found on one side only.
 * Exit 1 when a verdict changed, else 0; 2 on bad input (a directory holding neither file,
 * a run against a sweep, sweeps of different claims, a bad option).
 */
#ifndef HX_DIFF_H
#define HX_DIFF_H

#include <stdbool.h>

#define HX_DIFF_RTOL 1e-9          /* default --rtol: see hx_diff_moved */
#define HX_DIFF_THRESHOLD_RES 1e-4 /* a threshold's resolution, relative: see hx_diff_moved */

/* argv[1] is "diff". Returns the process exit code. */
int hx_cmd_diff(int argc, char **argv);

/* Whether a metric moved between two records. ok_old/ok_new: the recorded ok flags, 1 true,
 * 0 false, -1 null (not checked); threshold NAN when there is none; a NAN value is a null
 * (non-finite) one. A metric moved when
 *   - its ok flag changed (it crossed its threshold: this alone can flip a verdict), or
 *   - it became, or stopped being, non-finite, or
 *   - |new - old| > rtol * max(|old|, |new|) (beyond rounding: the default rtol 1e-9 is above
 *     the scatter a different summation order leaves, below any tolerance a verdict rests
 *     on), and, for a checked metric, |new - old| > HX_DIFF_THRESHOLD_RES * |threshold|.
 * The second bound is the resolution the threshold implies: thresholds are stated to a few
 * significant digits (1e-9, 0.5, 1e-6), so a move below a ten-thousandth of the threshold is
 * invisible on the scale that decides the verdict — a KKT defect of 1.8e-15 against a bound of
 * 1e-9 moving to 4.4e-16 is rounding (a few ulps of the O(1) quantities it is computed from),
 * not a change. (A millionth, 1e-15 there, sat inside that rounding: such a pair was listed.)
 * --rtol 0 shows every move above it. */
bool hx_diff_moved(double old, double new, double threshold, int ok_old, int ok_new,
                   double rtol);

#endif /* HX_DIFF_H */
