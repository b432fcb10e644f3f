/* harness/records.h — result records: results.json (schema theorycheck/results/v1, written
 * with jansson) and data/<claim>-<series>.csv for every series; junit.xml (rendered by
 * reports/ from the record) is written beside them. */
#ifndef HX_RECORDS_H
#define HX_RECORDS_H

#include <jansson.h>

#include "harness/options.h"
#include "harness/plan.h"

typedef struct {
    const hx_run_options *o;
    char started[32];  /* ISO 8601 UTC */
    double seconds;    /* wall time of the whole run */
    uint64_t seed;     /* the run seed, when seed_set (a sweep's cell-seed); else o->seed */
    bool seed_set;
} hx_run_info;

/* A parameter value as the record writes it (new reference). */
json_t *hx_param_json(const hx_value *v);

/* The whole record as a JSON object (new reference; NULL on OOM). */
json_t *hx_record_build(const hx_plan *plan, const hx_run_info *info);

/* One claim's record (new reference). */
json_t *hx_record_claim(const hx_job *j);

/* The family of a registered claim id, or NULL: junit.xml's classname (rep_junit_render). */
const char *hx_family_of(const char *id);

/* Write the series CSV files, results.json and junit.xml under outdir, each atomically.
 * 0, or -1 with a message in err. */
int hx_records_write(const char *outdir, const hx_plan *plan, const json_t *record,
                     const char *junit, char *err, size_t errlen);

/* A sweep cell's record: as hx_records_write without junit.xml and without an fsync per file
 * (an fsync per cell cost ~6 ms, five times the cell's other overhead). A kill at any moment
 * still leaves no half-written file under its name (cm_write_atomic_opt); the sweep syncs
 * once before it writes sweep.json, and a cell whose results.json does not parse is rerun. */
int hx_records_write_cell(const char *outdir, const hx_plan *plan, const json_t *record,
                          char *err, size_t errlen);

#endif /* HX_RECORDS_H */
