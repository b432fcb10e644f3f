/* harness/context.c — parameter and stream accessors for claims (see context.h).
 *
 * Asking for an undeclared parameter, or with the wrong type, is a bug in a claim: it is
 * reported with the claim and parameter names and the process exits with code 3 (internal
 * fault), so the first test run finds it.
 */
#include "harness/context.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness/exitcodes.h"
#include "numerics/num.h"
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

static void release_rng(void *r)
{
    gsl_rng_free(r);
}

gsl_rng *tc_stream(tc_ctx *ctx, uint64_t k)
{
    return tc_defer(ctx, release_rng, tc_rng_stream(ctx, k));
}

const void *tc_config(const tc_ctx *ctx)
{
    return ctx->claim->config;
}

/* ---- memory owned by the context ---------------------------------------------------------- */

_Noreturn static void unwind_oom(tc_ctx *ctx, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        tc_result_error(ctx->res, "out of memory: %zu x %zu bytes overflows the address space",
                        n, size);
    else
        tc_result_error(ctx->res, "out of memory: %zu bytes could not be allocated", n * size);
    longjmp(ctx->unwind, 1);
}

void *tc_defer(tc_ctx *ctx, void (*release)(void *), void *obj)
{
    if (!obj) {
        tc_result_error(ctx->res, "out of memory: a library object could not be allocated");
        longjmp(ctx->unwind, 1);
    }
    hx_deferred *d = malloc(sizeof *d);
    if (!d) {
        release(obj);
        unwind_oom(ctx, 1, sizeof *d);
    }
    *d = (hx_deferred){.next = ctx->deferred, .release = release, .obj = obj};
    ctx->deferred = d;
    return obj;
}

void *tc_alloc(tc_ctx *ctx, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        unwind_oom(ctx, n, size);
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        unwind_oom(ctx, n, size);
    return tc_defer(ctx, free, p);
}

_Noreturn void tc_fail(tc_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tc_result_verror(ctx->res, fmt, ap);
    va_end(ap);
    longjmp(ctx->unwind, 1);
}

void tc_check(tc_ctx *ctx, int status, const char *what)
{
    if (status == NUM_OK)
        return;
    const num_error_info *e = num_error_last();
    if (e->status == (num_status)status && e->reason)
        tc_fail(ctx, "%s: %s (%s, at %s:%d in %s)", what, num_strerror((num_status)status),
                e->reason, e->file, e->line, e->func);
    tc_fail(ctx, "%s: %s", what, num_strerror((num_status)status));
}

void hx_ctx_run(tc_ctx *ctx, tc_result *res)
{
    ctx->res = res;
    num_error_clear();
    /* volatile: nothing here is modified between setjmp and a longjmp, but keep the compiler
     * from caching ctx in a register across the jump. */
    tc_ctx *volatile c = ctx;
    if (setjmp(c->unwind) == 0)
        c->claim->run(c, res);
    hx_ctx_release(c);
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
    while (ctx->deferred) {
        hx_deferred *d = ctx->deferred;
        ctx->deferred = d->next;
        d->release(d->obj);
        free(d);
    }
    if (ctx->rng)
        gsl_rng_free(ctx->rng);
    ctx->rng = NULL;
}
