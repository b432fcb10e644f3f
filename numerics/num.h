/* numerics/num.h — status codes shared by every numerical kernel, with a cause.
 *
 * Kernels return a num_status (compare GSL's gsl_errno.h): arguments are checked first, then
 * the work is done. No kernel prints, opens files or keeps global state beyond the calling
 * thread's last error record below.
 *
 * A failing kernel says why and where, as GSL_ERROR does: `return NUM_ERROR(NUM_EINVAL, "n must
 * be >= 1");` records the reason, file, line and function in the calling thread's last-error
 * record and returns the status. The claim that called the kernel reads it with num_error_last()
 * (tc_check does) and prints it in its `error` verdict.
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

/* The cause of the last failure recorded on this thread. */
typedef struct {
    num_status status;
    const char *reason; /* a string literal: "n must be >= 1" */
    const char *file;   /* "numerics/svm.c" */
    int line;
    const char *func;
} num_error_info;

/* A short English description of a status, for messages. */
const char *num_strerror(num_status s);

/* Record a failure's cause on this thread and return its status (use NUM_ERROR). */
num_status num_error_set(num_status s, const char *reason, const char *file, int line,
                         const char *func);

/* The last failure recorded on this thread (status NUM_OK and NULL strings if none). */
const num_error_info *num_error_last(void);

/* Forget the last failure (a claim does this before a call whose failure it handles). */
void num_error_clear(void);

#define NUM_ERROR(status, reason) num_error_set((status), (reason), __FILE__, __LINE__, __func__)

#endif /* NUM_H */
