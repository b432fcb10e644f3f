/* numerics/num.c — descriptions of status codes. */
#include "numerics/num.h"

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
