/* harness/context.h — the context a claim runs in: its parameters, random streams, data, and
 * the memory it allocated.
 *
 * Implements the tc_param_* / tc_rng* / tc_data / tc_alloc accessors declared in
 * theorems/claim.h. A claim's run is entered through hx_ctx_run, which owns the unwind point
 * that tc_alloc, tc_defer, tc_fail and tc_check jump to.
 */
#ifndef HX_CONTEXT_H
#define HX_CONTEXT_H

#include <setjmp.h>
#include <stdint.h>

#include "harness/params.h"
#include "theorems/claim.h"

/* Something to release after the run (an allocation, a GSL object, a stream). */
typedef struct hx_deferred {
    struct hx_deferred *next;
    void (*release)(void *);
    void *obj;
} hx_deferred;

struct tc_ctx {
    const tc_claim *claim;
    hx_values *vals;        /* resolved parameter values (marked used when read) */
    const char *profile;    /* "quick" or "full" */
    uint64_t seed;          /* the run seed */
    gsl_rng *rng;           /* stream 0 of this claim, allocated lazily */
    const tc_dataset *data; /* NULL without --data for this claim */
    tc_result *res;         /* the result being filled (set by hx_ctx_run) */
    hx_deferred *deferred;  /* released after the run, last first */
    jmp_buf unwind;         /* where a failed allocation or tc_fail leaves the run */
};

/* Run the claim's run function in ctx, filling res; release everything the run allocated or
 * deferred, whether it returned or unwound. */
void hx_ctx_run(tc_ctx *ctx, tc_result *res);

/* Release what the context allocated (the main stream and every deferred object). */
void hx_ctx_release(tc_ctx *ctx);

#endif /* HX_CONTEXT_H */
