/* harness/context.h — the context a claim runs in: its parameters, random streams, data.
 *
 * Implements the tc_param_* / tc_rng* / tc_data accessors declared in theorems/claim.h.
 */
#ifndef HX_CONTEXT_H
#define HX_CONTEXT_H

#include <stdint.h>

#include "harness/params.h"
#include "theorems/claim.h"

struct tc_ctx {
    const tc_claim *claim;
    hx_values *vals;        /* resolved parameter values (marked used when read) */
    const char *profile;    /* "quick" or "full" */
    uint64_t seed;          /* the run seed */
    gsl_rng *rng;           /* stream 0 of this claim, allocated lazily */
    const tc_dataset *data; /* NULL without --data for this claim */
};

/* Release what the context allocated (the main stream). */
void hx_ctx_release(tc_ctx *ctx);

#endif /* HX_CONTEXT_H */
