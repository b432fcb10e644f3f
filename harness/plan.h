/* harness/plan.h — from options to a list of jobs: the selected claims with their resolved
 * parameters (defaults < config file < command line) and data. Every input error is found
 * here, before anything runs or is written. */
#ifndef HX_PLAN_H
#define HX_PLAN_H

#include <stdbool.h>

#include "harness/options.h"
#include "harness/params.h"
#include "harness/verdict.h"
#include "theorems/claim.h"

typedef struct {
    const tc_claim *claim;
    hx_values vals;
    tc_dataset data;
    bool has_data;
    tc_result res;   /* filled by the runner */
    double seconds;  /* wall time of the run function */
    hx_verdict verdict;
    uint64_t seed;   /* the job's own run seed when has_seed (sweeps), else the run's */
    bool has_seed;
} hx_job;

typedef struct {
    hx_job *jobs;
    size_t n;
} hx_plan;

/* Build the plan; on bad input print one message to stderr and return -1 (exit 2). Notes
 * about values that were set but will not be used go to stderr and do not fail. */
int hx_plan_build(hx_plan *plan, hx_run_options *o);
void hx_plan_free(hx_plan *plan);

/* Read an INI file into overrides appended to o->sets (config entries, marked from_config).
 * -1 after printing "FILE:LINE: message". */
int hx_config_read(hx_run_options *o, const char *path);

#endif /* HX_PLAN_H */
