/* numerics/flow_sys.h — internal to numerics/flow.c and numerics/flow_cvode.c: the flow's
 * system (right-hand side and Jacobian, defined once in flow.c) shared by the GSL and the
 * SUNDIALS CVODE integrators. Not a public kernel: use num_flow_run (numerics/flow.h). */
#ifndef NUM_FLOW_SYS_H
#define NUM_FLOW_SYS_H

#include <stddef.h>

#include "numerics/flow.h"

typedef struct {
    num_margin_loss loss;
    size_t n, d;
    const double *X, *y;
    double *c;             /* n: per-sample coefficients */
    unsigned long fevals;  /* right-hand-side evaluations (including those of the Jacobian) */
    unsigned long jevals;  /* Jacobian evaluations */
} num_flow_sys;

/* f = dw/ds (dw/dt for the square loss) at w; GSL_SUCCESS, or GSL_ERANGE when an exponent
 * or f overflows (a trial step that overshot: the integrator retries with a smaller step). */
int num_flow_sys_rhs(num_flow_sys *p, double s, const double *w, double *f);

/* J = df/dw (d x d, symmetric: the same array row- or column-major) and dfdt = df/ds at w;
 * GSL_SUCCESS or GSL_ERANGE as num_flow_sys_rhs. */
int num_flow_sys_jac(num_flow_sys *p, double s, const double *w, double *J, double *dfdt);

/* The CVODE integration of p (dimension p->d) from w at t0 through tout[0..nout), with the
 * output contract of flow.c's GSL loop: w(tout[k]) to row k of W (row length ld) at columns
 * keep[0..p->d), or contiguously when keep is NULL; steps_at, stats as num_flow_run. */
num_status num_flow_cvode_integrate(num_flow_sys *p, double *w, double t0, size_t nout,
                                    const double *tout, const num_flow_opts *opts, double *W,
                                    size_t ld, const size_t *keep, unsigned long *steps_at,
                                    num_flow_stats *stats);

#endif /* NUM_FLOW_SYS_H */
