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

/* As hx_run_plan, and done(job, index, user) is called by the worker that ran each job as soon
 * as it is finished — concurrently with the other workers, so it must be thread-safe — which
 * lets a sweep write a cell's record while the next cells run instead of after all of them. */
typedef void (*hx_job_done_fn)(hx_job *job, size_t index, void *user);
int hx_run_plan_each(hx_plan *plan, const char *profile, uint64_t seed, int jobs,
                     hx_job_done_fn done, void *user);

/* Pin the BLAS library to `n` threads (idempotent). */
void hx_blas_threads(int n);

/* Report, on stderr, parameters that were set (config or command line) but never read by
 * their claim: a typo or a value that the claim's other settings make irrelevant. */
void hx_report_unused(const hx_plan *plan);

#endif /* HX_RUNNER_H */
