/* numerics/flow.h — gradient flows dw/dt = -grad L(w) of linear predictors, integrated with an
 * adaptive GSL ODE stepper (gsl_odeiv2; default rk8pd, Prince & Dormand 1981, with
 * gsl_odeiv2_control_y_new: the local error of each component is kept below
 * epsabs + epsrel |w_i|).
 *
 * Margin losses (003 §11.2 eq. (21); Soudry et al. 2018): the norm of w grows like log t, so
 * the flow is integrated in log-time s = log t, where it reads
 *     dw/ds = t dw/dt = sum_n y_n x_n exp(s + log(-l'(z_n))),   z_n = y_n w^T x_n,
 * i.e. exp(s - z_n) for the exponential loss and exp(s - softplus(z_n)) for the logistic
 * loss, evaluated in the log domain. Along the max-margin solution w ~ w_hat s + rho the
 * support-vector terms stay O(1) and the others decay like exp(-(m_n - 1) s), so the
 * right-hand side stays bounded and smooth: s = 200 (t = e^200) takes a few thousand steps.
 * Square loss (003 §11.1 eq. (14)): dw/dt = 2 X^T (y - X w), integrated in ordinary time t.
 *
 * Backends (num_flow_opts.backend): GSL's gsl_odeiv2 (the default, above), or SUNDIALS CVODE
 * (Hindmarsh et al. 2005, ACM TOMS 31(3); libsundials 6.x, numerics/flow_cvode.c): variable-
 * order BDF or Adams-Moulton with Newton iterations on a dense LU of I - gamma J (the exact
 * Jacobian below), which reuses J and the factorisation across steps. CVODE's error test is
 * a weighted RMS norm, sqrt(mean_i (e_i / (epsrel |w_i| + epsabs))^2) <= 1; it is given
 * epsabs / sqrt(dim) and epsrel / sqrt(dim), which makes every component's local error
 * estimate <= epsabs + epsrel |w_i| (each of the dim squared terms is <= their sum), the
 * contract of the GSL control: the two backends answer to the same tolerances.
 *
 * Workload: one call integrates one trajectory; it allocates O(n d + d^2) once.
 */
#ifndef NUM_FLOW_H
#define NUM_FLOW_H

#include <stddef.h>

#include <gsl/gsl_odeiv2.h>

#include "numerics/losses.h"
#include "numerics/num.h"

typedef enum {
    NUM_FLOW_GSL = 0,     /* gsl_odeiv2 with `stepper` */
    NUM_FLOW_CVODE_BDF,   /* CVODE, BDF orders 1..5 (stiff), dense Newton, exact Jacobian */
    NUM_FLOW_CVODE_ADAMS  /* CVODE, Adams-Moulton orders 1..12, dense Newton, exact Jacobian */
} num_flow_backend;

typedef struct {
    const gsl_odeiv2_step_type *stepper; /* NULL: gsl_odeiv2_step_rk8pd. Implicit steppers
                                           (msbdf, bsimp, rk4imp, ...) get the exact Jacobian */
    double epsabs, epsrel; /* local error control (>= 0, not both 0) */
    double h0;             /* first trial step (> 0; 0 selects 1e-3, or CVODE's own estimate) */
    unsigned long max_steps; /* budget of accepted + rejected steps over the whole run;
                                0 selects 10^6 */
    num_flow_backend backend; /* 0: GSL (stepper above); CVODE ignores `stepper` */
    /* CVODE only (0 = the library's default): */
    int max_order;     /* highest order (CVodeSetMaxOrd; default 5 BDF, 12 Adams) */
    long jac_every;    /* Jacobian re-evaluated at least every this many steps
                          (CVodeSetJacEvalFrequency; default 51) */
    long lsetup_every; /* Newton matrix refactorised at least every this many steps
                          (CVodeSetLSetupFrequency; default 20) */
} num_flow_opts;

typedef struct {
    unsigned long steps;   /* accepted steps */
    unsigned long failed;  /* rejected trial steps */
    unsigned long fevals;  /* right-hand-side evaluations (with the one in each Jacobian) */
    double hlast;          /* last step size (in s, or t for the square loss) */
    unsigned long jevals;  /* Jacobian evaluations */
    unsigned long lu;      /* LU factorisations of the Newton matrix (CVODE; 0 for GSL, which
                              does not report them) */
} num_flow_stats;

/* Integrate the gradient flow of `loss` from w0 at time t0 and record w at each output time.
 *   loss     NUM_LOSS_EXP or NUM_LOSS_LOGISTIC (time variable s = log t) or NUM_LOSS_SQUARE
 *            (time variable t)
 *   X, y     n x d data (row-major), labels +-1 (margin losses) or real targets (square)
 *   w0       d initial weights at time t0 (s0 = log t0 for the margin losses)
 *   tout     nout output times, non-decreasing, each >= t0
 *   W        out: nout x d, W[k] = w(tout[k])
 *   steps_at out (may be NULL): cumulative accepted steps when tout[k] was reached
 *   stats    out (may be NULL): totals
 * Returns NUM_OK; NUM_EINVAL (arguments, labels); NUM_ENAN (non-finite data or state);
 * NUM_EODE (the stepper failed, the step size underflowed, the right-hand side overflowed,
 * or the step budget ran out; stats say how far it got); NUM_ENOMEM. */
num_status num_flow_run(num_margin_loss loss, size_t n, size_t d, const double *X,
                        const double *y, const double *w0, double t0, size_t nout,
                        const double *tout, const num_flow_opts *opts, double *W,
                        unsigned long *steps_at, num_flow_stats *stats);

/* The right-hand side alone (for tests and diagnostics): f = dw/ds (margin losses, at log-time
 * s) or dw/dt (square loss; s ignored). work: n doubles. Returns NUM_ENAN on overflow. */
num_status num_flow_rhs(num_margin_loss loss, size_t n, size_t d, const double *X,
                        const double *y, double s, const double *w, double *f, double *work);

#endif /* NUM_FLOW_H */
