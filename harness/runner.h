/* harness/runner.h — running the jobs of a plan, concurrently with --jobs N.
 *
 * OpenBLAS is pinned to one thread for the whole process: claims run in parallel instead,
 * which never oversubscribes the cores, and every claim's floating-point reductions are the
 * same whatever N is, so results are byte-identical across --jobs values.
 */
#ifndef HX_RUNNER_H
#define HX_RUNNER_H

#include "harness/plan.h"

/* Run every job; fills res, seconds and verdict. Progress goes to stderr when it is a
 * terminal. Returns 0 (claims that fail are verdicts, not runner errors). */
int hx_run_plan(hx_plan *plan, const char *profile, uint64_t seed, int jobs);

/* Pin the BLAS library to `n` threads (idempotent). */
void hx_blas_threads(int n);

/* Report, on stderr, parameters that were set (config or command line) but never read by
 * their claim: a typo or a value that the claim's other settings make irrelevant. */
void hx_report_unused(const hx_plan *plan);

#endif /* HX_RUNNER_H */
