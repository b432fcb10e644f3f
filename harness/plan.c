/* harness/plan.c — resolving a run's claims, parameters and data (see plan.h). */
#include "harness/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/csv.h"
#include "theorems/registry.h"

static int fail(const char *msg)
{
    fprintf(stderr, "theorycheck: %s\n", msg);
    return -1;
}

static hx_job *find_job(hx_plan *plan, const char *id)
{
    for (size_t i = 0; i < plan->n; i++)
        if (strcmp(plan->jobs[i].claim->id, id) == 0)
            return &plan->jobs[i];
    return NULL;
}

static int add_job(hx_plan *plan, const tc_claim *c, const char *profile)
{
    if (find_job(plan, c->id))
        return 0; /* a claim named twice runs once */
    hx_job *j = &plan->jobs[plan->n];
    memset(j, 0, sizeof *j);
    j->claim = c;
    char err[512];
    if (hx_values_init(&j->vals, c, profile, err, sizeof err)) {
        fprintf(stderr, "theorycheck: internal fault: %s\n", err);
        return -1;
    }
    tc_result_init(&j->res);
    plan->n++;
    return 0;
}

static int select_claims(hx_plan *plan, const hx_run_options *o)
{
    size_t total = tc_registry_count();
    plan->jobs = calloc(total ? total : 1, sizeof *plan->jobs);
    if (!plan->jobs)
        return fail("out of memory");
    for (size_t i = 0; i < o->nclaims; i++) {
        const tc_claim *c = tc_registry_find(o->claims[i]);
        char msg[512];
        if (!c) {
            snprintf(msg, sizeof msg, "run: unknown claim '%s' (see 'theorycheck list')",
                     o->claims[i]);
            return fail(msg);
        }
        if (add_job(plan, c, o->profile))
            return -1;
    }
    for (size_t i = 0; o->nclaims == 0 && i < total; i++)
        if (add_job(plan, tc_registry_at(i), o->profile))
            return -1;
    return 0;
}

/* Config entries first, then the command line, so the command line wins. */
static int apply_overrides(hx_plan *plan, hx_run_options *o, int from_config)
{
    for (size_t i = 0; i < o->nsets; i++) {
        hx_override *ov = &o->sets[i];
        if (ov->from_config != from_config)
            continue;
        char msg[1536], err[768];
        const tc_claim *c = tc_registry_find(ov->claim);
        if (!c) {
            snprintf(msg, sizeof msg, "%s: unknown claim '%s' (see 'theorycheck list')",
                     ov->origin, ov->claim);
            return fail(msg);
        }
        hx_job *j = find_job(plan, ov->claim);
        hx_values tmp, *vals = j ? &j->vals : &tmp;
        if (!j && hx_values_init(&tmp, c, o->profile, err, sizeof err))
            return fail(err);
        int rc = hx_values_set(vals, ov->param, ov->value,
                               from_config ? HX_SRC_CONFIG : HX_SRC_CMDLINE, err, sizeof err);
        if (!j)
            hx_values_free(&tmp);
        if (rc) {
            snprintf(msg, sizeof msg, "%s: %s", ov->origin, err);
            return fail(msg);
        }
        ov->used = j != NULL;
        if (!j)
            fprintf(stderr, "theorycheck: note: %s is not used: claim %s is not run\n",
                    ov->origin, ov->claim);
    }
    return 0;
}

static size_t targets_of(hx_job *j)
{
    hx_value *v = hx_values_find(&j->vals, "targets");
    if (v && v->spec->type == TC_PARAM_INT) {
        v->used = true;
        return (size_t)v->i;
    }
    return 1;
}

static int load_data(hx_plan *plan, const hx_run_options *o)
{
    char msg[1024], err[768];
    for (size_t i = 0; i < o->ndata; i++) {
        const hx_data_opt *d = &o->data[i];
        const tc_claim *c = tc_registry_find(d->claim);
        if (!c) {
            snprintf(msg, sizeof msg, "--data %s=%s: unknown claim '%s'", d->claim, d->path,
                     d->claim);
            return fail(msg);
        }
        if (c->data == TC_DATA_NONE) {
            snprintf(msg, sizeof msg, "--data %s=%s: claim %s takes no data", d->claim,
                     d->path, d->claim);
            return fail(msg);
        }
        hx_job *j = find_job(plan, d->claim);
        if (!j) {
            fprintf(stderr, "theorycheck: note: --data %s=%s is not used: claim %s is not run\n",
                    d->claim, d->path, d->claim);
            continue;
        }
        if (j->has_data) {
            snprintf(msg, sizeof msg, "--data %s given twice", d->claim);
            return fail(msg);
        }
        if (hx_dataset_load(&j->data, d->path, c->data, targets_of(j), err, sizeof err)) {
            snprintf(msg, sizeof msg, "--data %s=%s: %s", d->claim, d->path, err);
            return fail(msg);
        }
        j->has_data = true;
    }
    return 0;
}

int hx_plan_build(hx_plan *plan, hx_run_options *o)
{
    memset(plan, 0, sizeof *plan);
    if (o->config && hx_config_read(o, o->config))
        return -1;
    if (select_claims(plan, o) || apply_overrides(plan, o, 1) || apply_overrides(plan, o, 0) ||
        load_data(plan, o))
        return -1;
    return 0;
}

void hx_plan_free(hx_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        hx_values_free(&plan->jobs[i].vals);
        if (plan->jobs[i].has_data)
            hx_dataset_free(&plan->jobs[i].data);
        tc_result_free(&plan->jobs[i].res);
    }
    free(plan->jobs);
    memset(plan, 0, sizeof *plan);
}
