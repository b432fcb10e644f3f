/* harness/runner.c — a small worker pool over the plan's jobs (see runner.h). */
#include "harness/runner.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "harness/context.h"

typedef struct {
    hx_plan *plan;
    const char *profile;
    uint64_t seed;
    size_t next, done;
    pthread_mutex_t lock;
    struct timespec start;
    int tty;
    hx_job_done_fn done_fn; /* may be NULL */
    void *user;
} pool;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

void hx_blas_threads(int n)
{
    openblas_set_num_threads(n);
}

static void run_job(pool *p, hx_job *j)
{
    tc_ctx ctx = {.claim = j->claim, .vals = &j->vals, .profile = p->profile,
                  .seed = j->has_seed ? j->seed : p->seed,
                  .data = j->has_data ? &j->data : NULL};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hx_ctx_run(&ctx, &j->res);
    j->seconds = since(&t0);
    if (j->res.outcome == TC_OUT_UNSET)
        tc_result_error(&j->res, "internal: the claim recorded no outcome");
    j->verdict = hx_verdict_of(j->res.outcome, j->claim->expect);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->plan->n)
            return NULL;
        hx_job *j = &p->plan->jobs[i];
        run_job(p, j);
        if (p->done_fn)
            p->done_fn(j, i, p->user);
        pthread_mutex_lock(&p->lock);
        p->done++;
        if (p->tty)
            fprintf(stderr, "\r\033[K[%zu/%zu %6.1fs] %-32s %s", p->done, p->plan->n,
                    since(&p->start), j->claim->id, hx_verdict_name(j->verdict));
        pthread_mutex_unlock(&p->lock);
    }
}

int hx_run_plan(hx_plan *plan, const char *profile, uint64_t seed, int jobs)
{
    return hx_run_plan_each(plan, profile, seed, jobs, NULL, NULL);
}

int hx_run_plan_each(hx_plan *plan, const char *profile, uint64_t seed, int jobs,
                     hx_job_done_fn done, void *user)
{
    pool p = {.plan = plan, .profile = profile, .seed = seed, .tty = isatty(2),
              .done_fn = done, .user = user};
    pthread_mutex_init(&p.lock, NULL);
    clock_gettime(CLOCK_MONOTONIC, &p.start);
    hx_blas_threads(1);
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > plan->n)
        jobs = plan->n ? (int)plan->n : 1;
    pthread_t tid[256];
    int started = 0;
    for (int k = 1; k < jobs; k++)
        if (pthread_create(&tid[started], NULL, worker, &p) == 0)
            started++;
    worker(&p); /* the main thread works too; with --jobs 1 it is the only worker */
    for (int k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    if (p.tty)
        fprintf(stderr, "\r\033[K");
    pthread_mutex_destroy(&p.lock);
    return 0;
}

void hx_report_unused(const hx_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        const hx_job *j = &plan->jobs[i];
        if (j->verdict == HX_SKIP || j->verdict == HX_ERROR)
            continue; /* the run stopped early; unread values say nothing */
        for (size_t k = 0; k < j->vals.n; k++) {
            const hx_value *v = &j->vals.v[k];
            if (v->source != HX_SRC_DEFAULT && !v->used)
                fprintf(stderr,
                        "theorycheck: note: %s.%s = %s (%s) was set but not used by the claim\n",
                        j->claim->id, v->spec->name, v->text, hx_source_name(v->source));
        }
    }
}
