/* harness/seeds.c — see seeds.h. One plan is built once (every input error before any work)
 * and run once per seed; each seed's record is written as soon as it is complete. */
#include "harness/seeds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/atomic.h"
#include "harness/exitcodes.h"
#include "harness/plan.h"
#include "harness/records.h"
#include "harness/runner.h"
#include "numerics/rng.h"

uint64_t hx_run_seed(uint64_t seed, size_t k)
{
    return k == 0 ? seed : num_rng_derive(seed, "sweep", (uint64_t)k) & (uint64_t)INT64_MAX;
}

/* Run the plan under seed k and write o->out/seed-<k>/results.json. */
static int run_one_seed(hx_plan *plan, hx_run_options *o, uint64_t seed, size_t k,
                        json_t *verdicts)
{
    for (size_t i = 0; i < plan->n; i++) {
        tc_result_free(&plan->jobs[i].res);
        tc_result_init(&plan->jobs[i].res);
        plan->jobs[i].seed = seed;
        plan->jobs[i].has_seed = true;
    }
    hx_run_info info = {.o = o, .seed = seed, .seed_set = true};
    time_t now = time(NULL);
    strftime(info.started, sizeof info.started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    hx_run_plan(plan, o->profile, seed, o->jobs);
    for (size_t i = 0; i < plan->n; i++) {
        info.seconds += plan->jobs[i].seconds;
        json_array_append_new(json_array_get(verdicts, i),
                              json_string(hx_verdict_name(plan->jobs[i].verdict)));
    }
    char dir[4096], err[1024];
    snprintf(dir, sizeof dir, "%s/seed-%zu", o->out, k);
    json_t *record = hx_record_build(plan, &info);
    int rc = record && cm_mkdirs(dir) == 0 ? hx_records_write(dir, plan, record, NULL, err,
                                                              sizeof err)
                                           : -1;
    if (rc)
        fprintf(stderr, "theorycheck: sweep --all: cannot write %s: %s\n", dir,
                record ? strerror(errno) : "out of memory");
    json_decref(record);
    return rc;
}

/* seeds.json and the list on stdout; returns how many claims depend on the seed. */
static size_t summarise(const hx_plan *plan, const hx_run_options *o, json_t *seeds,
                        json_t *verdicts, int *io_fail)
{
    json_t *claims = json_array(), *dependent = json_array();
    for (size_t i = 0; i < plan->n; i++) {
        json_t *v = json_array_get(verdicts, i);
        bool same = true;
        for (size_t k = 1; k < json_array_size(v); k++)
            same = same && json_equal(json_array_get(v, k), json_array_get(v, 0));
        const char *id = plan->jobs[i].claim->id;
        json_array_append_new(claims, json_pack("{s:s, s:O, s:b}", "id", id, "verdicts", v,
                                                "seed_dependent", !same));
        if (!same) {
            json_array_append_new(dependent, json_string(id));
            printf("seed-dependent: %-32s", id);
            for (size_t k = 0; k < json_array_size(v); k++)
                printf(" %s", json_string_value(json_array_get(v, k)));
            printf("\n");
        }
    }
    size_t n = json_array_size(dependent);
    json_t *root = json_pack("{s:s, s:s, s:I, s:O, s:o, s:o}", "schema", "theorycheck/seeds/v1",
                             "profile", o->profile, "seed", (json_int_t)o->seed, "seeds", seeds,
                             "claims", claims, "seed_dependent", dependent);
    char *text = root ? json_dumps(root, JSON_INDENT(2)) : NULL, path[4096];
    snprintf(path, sizeof path, "%s/seeds.json", o->out);
    *io_fail = !text || cm_write_atomic(path, text, strlen(text)) != 0;
    if (*io_fail)
        fprintf(stderr, "theorycheck: sweep --all: cannot write %s\n", path);
    printf("%zu claims x %zu seeds: %zu depend on the seed; summary: %s\n", plan->n,
           json_array_size(seeds), n, path);
    free(text);
    json_decref(root);
    return n;
}

int hx_seeds_run(hx_run_options *o, size_t nseeds)
{
    hx_plan plan;
    if (hx_plan_build(&plan, o)) { /* it printed the message */
        hx_plan_free(&plan);
        return HX_EXIT_USAGE;
    }
    if (cm_mkdirs(o->out)) {
        fprintf(stderr, "theorycheck: --out %s: cannot create the directory: %s\n", o->out,
                strerror(errno));
        hx_plan_free(&plan);
        return HX_EXIT_USAGE;
    }
    json_t *seeds = json_array(), *verdicts = json_array();
    for (size_t i = 0; i < plan.n; i++)
        json_array_append_new(verdicts, json_array());
    int rc = 0;
    for (size_t k = 0; k < nseeds && rc == 0; k++) {
        uint64_t seed = hx_run_seed(o->seed, k);
        json_array_append_new(seeds, json_integer((json_int_t)seed));
        rc = run_one_seed(&plan, o, seed, k, verdicts);
    }
    int io_fail = rc != 0;
    size_t dependent = rc == 0 ? summarise(&plan, o, seeds, verdicts, &io_fail) : 0;
    json_decref(seeds);
    json_decref(verdicts);
    hx_plan_free(&plan);
    return io_fail ? HX_EXIT_INTERNAL : dependent ? HX_EXIT_FAIL : HX_EXIT_OK;
}
