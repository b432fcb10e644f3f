/* numerics/homogeneous.h — training scalar-output networks on binary data, and the reduced
 * norm dynamics of 003 §13-§14.
 *
 * Network training (003 §12.2 eq. (30)-(31)): f(theta; x) is a num_mlp with one output,
 * labels y_n = +-1,
 *   exponential loss  L = sum_n exp(-y_n f_n),
 *   square loss       L = sum_n (y_n - f_n)^2           (003 §11.1 eq. (13), §12.1),
 * trained by gradient descent theta <- theta - eta grad L (time t = eta * step) or by the
 * gradient flow d theta/dt = -grad L. For the exponential loss the flow is integrated in log
 * time s = log t (d theta/ds = e^s (-grad L)), with every weight exp(s - y_n f_n) formed in
 * the log domain, so t = e^200 is reached in a few hundred adaptive steps (gsl_odeiv2,
 * Dormand-Prince 8(9)). The square-loss flow is stiff in log time; use GD for it.
 *
 * Reduced dynamics of the layer norms rho_k = ||W_k|| for one sample (N = 1) with normalised
 * output ftil > 0 (003 §14):
 *   eq. (48), untied:  d rho_k / dt = ftil prod_{i != k} rho_i exp(-ftil prod_i rho_i),
 *   eq. (55), tied:    d rho / dt   = ftil K rho^{K-1} exp(-ftil rho^K)
 *                      (the exponent "rho_k ftil" of eq. (55) read as rho^K ftil, the tied value
 *                      of prod_i rho_i, which is what eqs. (56)-(57) use),
 *   square-loss analogue (negative control, tied): d rho/dt = 2 ftil K rho^{K-1} (1 - ftil rho^K),
 *   eq. (57) for R = exp(ftil rho^K), integrated as u = log R (dR/dt = R du/dt).
 * They are integrated in log time with the implicit BDF stepper (gsl_odeiv2 msbdf) and the
 * analytic Jacobian, except the square-loss model, whose relaxation rate in log time grows
 * like e^s: it is integrated in ordinary time t = e^s (checkpoints are still given as s, at
 * most s = 100) with the implicit Bader-Deuflhard stepper (bsimp).
 *
 * Workload: thousands of loss/gradient evaluations per trajectory on one workspace; nothing
 * allocates after num_hom_work_alloc except the ODE drivers (once per call).
 */
#ifndef NUM_HOMOGENEOUS_H
#define NUM_HOMOGENEOUS_H

#include <stddef.h>

#include "numerics/mlp.h"
#include "numerics/num.h"

typedef enum { NUM_HOM_LOSS_EXP = 0, NUM_HOM_LOSS_SQUARE } num_hom_loss;

typedef struct {
    const num_mlp *net; /* scalar output: widths[nlayers] == 1 */
    const double *X;    /* n x widths[0], row-major */
    const double *y;    /* n labels +-1 */
    size_t n;
    num_hom_loss loss;
} num_hom_problem;

typedef struct num_hom_work num_hom_work;

num_hom_work *num_hom_work_alloc(const num_hom_problem *pb);
void num_hom_work_free(num_hom_work *w);

/* Loss and scaled gradient at theta.
 *   log_scale  in: the gradient is multiplied by e^{log_scale} (0 for the plain gradient;
 *              s = log t for the log-time flow). For the exponential loss the sample weights
 *              exp(log_scale - y_n f_n) are formed in the log domain.
 *   log_loss   out (may be NULL): log L (exp: log-sum-exp of -y_n f_n; square: log of the sum,
 *              -inf when the fit is exact)
 *   grad       out (may be NULL): e^{log_scale} grad L, P entries
 * Returns NUM_EINVAL, or NUM_ENAN if a non-finite value appears (e.g. weights overflow). */
num_status num_hom_loss_grad(const num_hom_problem *pb, const double *theta, double log_scale,
                             num_hom_work *w, double *log_loss, double *grad);

/* Observables of a state. */
typedef struct {
    double log_loss;    /* log L */
    double min_margin;  /* min_n y_n f_n */
    double prod_norms;  /* prod_k ||W_k||_F */
    double norm_margin; /* min_n y_n f_n / prod_k ||W_k||_F (003 Theorem 3, A5) */
} num_hom_obs;

/* Forward pass at theta; norms (K entries, may be NULL) receives ||W_k||_F. */
num_status num_hom_observe(const num_hom_problem *pb, const double *theta, num_hom_work *w,
                           double *norms, num_hom_obs *obs);

/* Called at every checkpoint with the time t (or s = log t for the log-time flow, as the
 * driver says) and the state; a non-zero return stops the driver with NUM_OK. */
typedef int (*num_hom_observer)(void *arg, double time, const double *theta);

/* Gradient descent theta <- theta - eta grad L for nsteps steps. obs (may be NULL) is called
 * with t = eta * step at the steps listed in at[0..nat) (ascending; 0 = the initial state).
 * Returns NUM_ENAN if the iteration diverges. */
num_status num_hom_gd(const num_hom_problem *pb, double *theta, double eta, size_t nsteps,
                      const size_t *at, size_t nat, num_hom_observer obs, void *arg,
                      num_hom_work *w);

/* Gradient flow of the exponential loss in log time s = log t, from theta at s0 (theta is the
 * state at t = e^{s0}; with s0 <= -20 this is the flow from t = 0 to within 2e-9 in time)
 * through the checkpoints s_at[0..nat) (ascending, > s0), calling obs(arg, s, theta) at each.
 * rtol: relative (and absolute) local error tolerance of the Dormand-Prince 8(9) stepper.
 * max_steps bounds the total number of accepted steps (NUM_ENOCONV when exceeded).
 * On return theta holds the last state reached; nsteps (may be NULL) the number of steps.
 * NUM_EODE if the integrator fails (step size underflow), NUM_ENAN on overflow. */
num_status num_hom_flow_logtime(const num_hom_problem *pb, double *theta, double s0,
                                const double *s_at, size_t nat, double rtol, size_t max_steps,
                                num_hom_observer obs, void *arg, num_hom_work *w,
                                size_t *nsteps);

/* Forward-Euler discretisation of the exponential-loss flow in log time (gradient descent with
 * a step proportional to t): theta <- theta - h e^s grad L, s <- s + h, i.e. GD with learning
 * rate eta_j = h_j e^{s_j}. Used for ReLU networks, whose flow has a discontinuous right-hand
 * side (the Filippov sliding on kinks stalls adaptive high-order integrators). The step is
 * h_j <= h_max; a step that increases the loss (beyond rounding) is rejected and retried with
 * h / 2 unless h is already below h_max / 1024 (then the increase comes from a ReLU kink and
 * the step is accepted, as plain GD would), and
 * after an accepted step h grows by 5/4 back toward h_max (backtracking, so the early phase,
 * where e^s times the curvature is large, stays stable). The iteration starts at s0 and calls
 * obs(arg, s, theta) when s first reaches each checkpoint s_at[i] (the last step is shortened
 * to land on it). nsteps (may be NULL): accepted steps. NUM_ENOCONV past max_steps, or when
 * the step falls below 1e-12 (no decrease possible). */
num_status num_hom_gd_logtime(const num_hom_problem *pb, double *theta, double s0,
                              double h_max, const double *s_at, size_t nat, size_t max_steps,
                              num_hom_observer obs, void *arg, num_hom_work *w,
                              size_t *nsteps);

/* ---- reduced norm dynamics (003 §14) ----------------------------------------------------- */

typedef enum {
    NUM_RHO_TIED_EQ55 = 0, /* eq. (55): one state rho */
    NUM_RHO_UNTIED_EQ48,   /* eq. (48) with N = 1: K states rho_k */
    NUM_RHO_TIED_SQUARE,   /* square-loss analogue of eq. (55) (negative control) */
    NUM_RHO_EQ57           /* eq. (57) for u = log R: du/dt = ftil^{2/K} K^2 u^{2-2/K} e^{-u};
                            * one state u (rho0 = u(0) = log R(0) > 0) */
} num_rho_model;

/* Integrate the reduced model in log time s = log t from s0 (state rho0: 1 entry for the tied
 * models, K for eq. (48)) through the checkpoints s_at[0..nat) (ascending, > s0). rho_out
 * (nat x dim, dim = 1 or K) receives the states. rtol: relative tolerance of the msbdf stepper
 * (absolute tolerance rtol as well). nsteps (may be NULL): accepted steps.
 * Returns NUM_EINVAL, NUM_EODE, NUM_ENOCONV (more than max_steps steps). */
num_status num_rho_integrate(num_rho_model model, size_t K, double ftil, const double *rho0,
                             double s0, const double *s_at, size_t nat, double rtol,
                             size_t max_steps, double *rho_out, size_t *nsteps);

/* li(x) = Ei(ln x), the logarithmic integral (x > 0, x != 1), via gsl_sf_expint_Ei; ln x is
 * passed directly so that x = e^700 and beyond stay representable. Returns NaN past the
 * overflow of Ei (ln x > ~709). */
double num_li_of_log(double log_x);

/* Inverse of li on (1, inf): the log of the unique x > 1 with li(x) = v, by a bracketing
 * GSL root finder (Brent) on ln x. v may be any real (li maps (1, inf) onto R). Returns NaN
 * when li^{-1}(v) overflows the Ei range. */
double num_li_inverse_log(double v);

#endif /* NUM_HOMOGENEOUS_H */
