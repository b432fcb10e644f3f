/* numerics/num.h — status codes shared by every numerical kernel.
 *
 * Kernels return a num_status (compare GSL's gsl_errno.h): arguments are checked first, then
 * the work is done. No kernel prints, opens files or keeps global state.
 */
#ifndef NUM_H
#define NUM_H

typedef enum {
    NUM_OK = 0,
    NUM_EINVAL,      /* invalid argument (size, NULL, out of range) */
    NUM_ENOMEM,      /* allocation failed */
    NUM_ENOCONV,     /* iteration did not converge within its budget */
    NUM_EINFEASIBLE, /* the problem has no solution (e.g. data not linearly separable) */
    NUM_ENAN,        /* a non-finite value appeared */
    NUM_ELAPACK,     /* LAPACK reported failure (info != 0) */
    NUM_EODE         /* the ODE integrator failed (step size underflow, ...) */
} num_status;

/* A short English description of a status, for messages. */
const char *num_strerror(num_status s);

#endif /* NUM_H */
