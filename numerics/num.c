/* numerics/num.c — descriptions of status codes and the per-thread cause of the last failure. */
#include "numerics/num.h"

/* One record per thread: claims run in a worker pool, and a cause must never be read by
 * another claim. This is the only state numerics/ keeps (compare errno). */
static _Thread_local num_error_info last_error;

const char *num_strerror(num_status s)
{
    switch (s) {
    case NUM_OK: return "ok";
    case NUM_EINVAL: return "invalid argument";
    case NUM_ENOMEM: return "out of memory";
    case NUM_ENOCONV: return "did not converge";
    case NUM_EINFEASIBLE: return "infeasible";
    case NUM_ENAN: return "non-finite value";
    case NUM_ELAPACK: return "LAPACK failure";
    case NUM_EODE: return "ODE integrator failure";
    }
    return "unknown status";
}

num_status num_error_set(num_status s, const char *reason, const char *file, int line,
                         const char *func)
{
    last_error = (num_error_info){.status = s, .reason = reason, .file = file, .line = line,
                                  .func = func};
    return s;
}

const num_error_info *num_error_last(void)
{
    return &last_error;
}

void num_error_clear(void)
{
    last_error = (num_error_info){.status = NUM_OK};
}
