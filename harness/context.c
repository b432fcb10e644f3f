/* harness/context.c — parameter and stream accessors for claims (see context.h).
 *
 * Asking for an undeclared parameter, or with the wrong type, is a bug in a claim: it is
 * reported with the claim and parameter names and the process exits with code 3 (internal
 * fault), so the first test run finds it.
 */
#include "harness/context.h"

#include <stdio.h>
#include <stdlib.h>

#include "harness/exitcodes.h"
#include "numerics/rng.h"

static hx_value *lookup(tc_ctx *ctx, const char *name, tc_param_type type)
{
    hx_value *v = hx_values_find(ctx->vals, name);
    if (!v || v->spec->type != type) {
        fprintf(stderr, "theorycheck: internal fault: claim %s reads %s parameter '%s'\n",
                ctx->claim->id, v ? "a mistyped" : "an undeclared", name);
        exit(HX_EXIT_INTERNAL);
    }
    v->used = true;
    return v;
}

long tc_param_int(tc_ctx *ctx, const char *name)
{
    return lookup(ctx, name, TC_PARAM_INT)->i;
}

double tc_param_real(tc_ctx *ctx, const char *name)
{
    return lookup(ctx, name, TC_PARAM_REAL)->r;
}

bool tc_param_bool(tc_ctx *ctx, const char *name)
{
    return lookup(ctx, name, TC_PARAM_BOOL)->b;
}

const char *tc_param_choice(tc_ctx *ctx, const char *name)
{
    return lookup(ctx, name, TC_PARAM_CHOICE)->choice;
}

const double *tc_param_list(tc_ctx *ctx, const char *name, size_t *len)
{
    hx_value *v = lookup(ctx, name, TC_PARAM_LIST);
    *len = v->nlist;
    return v->list;
}

const char *tc_profile(const tc_ctx *ctx)
{
    return ctx->profile;
}

static gsl_rng *stream(const tc_ctx *ctx, uint64_t k)
{
    gsl_rng *r = num_rng_alloc(num_rng_derive(ctx->seed, ctx->claim->id, k));
    if (!r) {
        fprintf(stderr, "theorycheck: out of memory allocating a random stream\n");
        exit(HX_EXIT_INTERNAL);
    }
    return r;
}

gsl_rng *tc_rng(tc_ctx *ctx)
{
    if (!ctx->rng)
        ctx->rng = stream(ctx, 0);
    return ctx->rng;
}

/* Stream 0 is the main stream; stream k of a claim is derived with index k + 1. */
gsl_rng *tc_rng_stream(tc_ctx *ctx, uint64_t k)
{
    return stream(ctx, k + 1);
}

uint64_t tc_seed(const tc_ctx *ctx)
{
    return ctx->seed;
}

const tc_dataset *tc_data(const tc_ctx *ctx)
{
    return ctx->data;
}

void hx_ctx_release(tc_ctx *ctx)
{
    if (ctx->rng)
        gsl_rng_free(ctx->rng);
    ctx->rng = NULL;
}
