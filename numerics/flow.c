/* numerics/flow.c — gradient flows integrated with gsl_odeiv2 (see flow.h). */
#include "numerics/flow.h"
#include "numerics/flow_sys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <gsl/gsl_errno.h>

/* exp() of arguments above this overflows (log(DBL_MAX) = 709.78). */
#define EXP_ARG_MAX 709.0

static int labels_pm1(size_t n, const double *y)
{
    for (size_t i = 0; i < n; i++)
        if (y[i] != 1.0 && y[i] != -1.0)
            return 0;
    return 1;
}

/* f = sum_n y_n x_n exp(s + log(-l'(z_n))) (margin), or 2 X^T (y - X w) (square). The
 * coefficients stay in c (c_n = y_n exp(...) for the margin losses, y_n - x_n.w for square).
 * An overflow returns GSL_ERANGE, not GSL_EBADFUNC: gsl_odeiv2_evolve_apply then retries the
 * step with half the step size (GSL manual, "Evolution"), which is what a trial stage that
 * overshot needs (a large initial gradient, e.g. a misclassifying w0); if the state itself
 * overflows the step size shrinks until it cannot change t and the run fails (NUM_EODE). */
int num_flow_sys_rhs(num_flow_sys *p, double s, const double *w, double *f)
{
    size_t n = p->n, d = p->d;
    p->fevals++;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, 1.0, p->X, (int)d, w, 1, 0.0, p->c,
                1);
    if (p->loss == NUM_LOSS_SQUARE) {
        for (size_t i = 0; i < n; i++)
            p->c[i] = p->y[i] - p->c[i];
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, 2.0, p->X, (int)d, p->c, 1, 0.0,
                    f, 1);
    } else {
        for (size_t i = 0; i < n; i++) {
            double z = p->y[i] * p->c[i];
            double a = s + num_loss_log_neg_dell(p->loss, z);
            if (!(a <= EXP_ARG_MAX))
                return GSL_ERANGE;
            p->c[i] = p->y[i] * exp(a);
        }
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, 1.0, p->X, (int)d, p->c, 1, 0.0,
                    f, 1);
    }
    for (size_t j = 0; j < d; j++)
        if (!isfinite(f[j]))
            return GSL_ERANGE;
    return GSL_SUCCESS;
}

static int gsl_rhs(double s, const double w[], double f[], void *params)
{
    return num_flow_sys_rhs(params, s, w, f);
}

/* Jacobian for implicit steppers (GSL's msbdf, bsimp, ...; CVODE's Newton iterations).
 * Margin losses: with a_n = s + log(-l'(z_n)),
 * d/dw exp(a_n) = exp(a_n) (d log(-l')/dz) y_n x_n, where d log(-l')/dz = -1 (exp) and
 * -sigmoid(z) (logistic); so J = -sum_n k_n x_n x_n^T with k_n = exp(a_n) * {1, sigmoid(z_n)},
 * and df/ds = f (only the factor e^s depends on s). Square: J = -2 X^T X, df/dt = 0. */
int num_flow_sys_jac(num_flow_sys *p, double s, const double *w, double *J, double *dfdt)
{
    size_t n = p->n, d = p->d;
    p->jevals++;
    int st = num_flow_sys_rhs(p, s, w, dfdt);
    if (st != GSL_SUCCESS)
        return st;
    memset(J, 0, d * d * sizeof *J);
    for (size_t i = 0; i < n; i++) {
        double k;
        if (p->loss == NUM_LOSS_SQUARE) {
            k = 2.0;
        } else {
            double z = 0.0;
            for (size_t j = 0; j < d; j++)
                z += p->X[i * d + j] * w[j];
            z *= p->y[i];
            k = fabs(p->c[i]);
            if (p->loss == NUM_LOSS_LOGISTIC)
                k *= 1.0 / (1.0 + exp(-z));
        }
        cblas_dsyr(CblasRowMajor, CblasUpper, (int)d, -k, p->X + i * d, 1, J, (int)d);
    }
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < i; j++)
            J[i * d + j] = J[j * d + i];
    if (p->loss == NUM_LOSS_SQUARE)
        memset(dfdt, 0, d * sizeof *dfdt);
    return GSL_SUCCESS;
}

static int gsl_jac(double s, const double w[], double *J, double dfdt[], void *params)
{
    return num_flow_sys_jac(params, s, w, J, dfdt);
}

num_status num_flow_rhs(num_margin_loss loss, size_t n, size_t d, const double *X,
                        const double *y, double s, const double *w, double *f, double *work)
{
    if (n == 0 || d == 0 || !X || !y || !w || !f || !work ||
        (loss != NUM_LOSS_EXP && loss != NUM_LOSS_LOGISTIC && loss != NUM_LOSS_SQUARE))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || d == 0 || !X || !y || !w || "
                                     "!f || !work || (loss != NUM_LOSS_EXP && loss != "
                                     "NUM_LOSS_LOGISTIC && loss != NUM_LOSS_SQUARE)");
    num_flow_sys p = {loss, n, d, X, y, work, 0, 0};
    return num_flow_sys_rhs(&p, s, w, f) == GSL_SUCCESS ? NUM_OK : NUM_ENAN;
}

/* Columns of X that are zero in every row (pixels that are off in every image, features
 * constant before centring): the flow never moves those components of w. With X_nj = 0 for
 * all n, f_j = sum_n c_n X_nj = 0 exactly (c_n finite, checked in rhs_eval), and row and
 * column j of the Jacobian vanish, so explicit stages add h * 0 and the Newton matrix
 * I - gamma J has the unit row e_j: w_j(t) = w0_j for every t, in exact and in floating-point
 * arithmetic. Integrating only the other columns is therefore the same flow in fewer
 * dimensions. keep[0..dk) receives the indices of the columns that are not all zero. */
static size_t live_columns(size_t n, size_t d, const double *X, size_t *keep)
{
    size_t dk = 0;
    for (size_t j = 0; j < d; j++) {
        size_t i = 0;
        while (i < n && X[i * d + j] == 0.0)
            i++;
        if (i < n)
            keep[dk++] = j;
    }
    return dk;
}

/* The flow of p (dimension p->d) from w at t0 through tout[0..nout); w_k is written to row k
 * of W (row length ld) at columns keep[0..p->d), or contiguously when keep is NULL. */
static num_status integrate_gsl(num_flow_sys *p, double *w, double t0, size_t nout,
                                const double *tout, const num_flow_opts *opts, double *W,
                                size_t ld, const size_t *keep, unsigned long *steps_at,
                                num_flow_stats *stats)
{
    size_t d = p->d;
    gsl_odeiv2_system sys = {gsl_rhs, gsl_jac, d, p};
    const gsl_odeiv2_step_type *T = opts->stepper ? opts->stepper : gsl_odeiv2_step_rk8pd;
    double h = opts->h0 > 0.0 ? opts->h0 : 1e-3;
    unsigned long budget = opts->max_steps ? opts->max_steps : 1000000ul;
    /* The driver only owns the step, control and evolve objects here (implicit steppers need
     * it); the stepping loop below is ours, so that steps and failures are counted. */
    gsl_odeiv2_driver *drv = gsl_odeiv2_driver_alloc_y_new(&sys, T, h, opts->epsabs, opts->epsrel);
    if (!drv)
        return NUM_ENOMEM;
    double t = t0;
    num_status st = NUM_OK;
    for (size_t k = 0; k < nout && st == NUM_OK; k++) {
        while (t < tout[k]) {
            if (drv->e->count + drv->e->failed_steps >= budget) {
                st = NUM_EODE;
                break;
            }
            double tprev = t;
            int gs = gsl_odeiv2_evolve_apply(drv->e, drv->c, drv->s, &sys, &t, tout[k], &h, w);
            if (gs != GSL_SUCCESS || !(t > tprev)) {
                st = NUM_EODE;
                break;
            }
        }
        for (size_t j = 0; j < d && st == NUM_OK; j++)
            if (!isfinite(w[j]))
                st = NUM_ENAN;
        if (st != NUM_OK)
            break;
        for (size_t j = 0; j < d; j++)
            W[k * ld + (keep ? keep[j] : j)] = w[j];
        if (steps_at)
            steps_at[k] = drv->e->count;
    }
    if (stats) {
        stats->steps = drv->e->count;
        stats->failed = drv->e->failed_steps;
        stats->fevals = p->fevals;
        stats->hlast = drv->e->last_step;
        stats->jevals = p->jevals;
    }
    gsl_odeiv2_driver_free(drv);
    return st;
}

/* The integrator chosen by opts->backend (GSL, the default, or CVODE: numerics/flow_cvode.c). */
static num_status integrate(num_flow_sys *p, double *w, double t0, size_t nout, const double *tout,
                            const num_flow_opts *opts, double *W, size_t ld, const size_t *keep,
                            unsigned long *steps_at, num_flow_stats *stats)
{
    if (opts->backend == NUM_FLOW_GSL)
        return integrate_gsl(p, w, t0, nout, tout, opts, W, ld, keep, steps_at, stats);
    return num_flow_cvode_integrate(p, w, t0, nout, tout, opts, W, ld, keep, steps_at, stats);
}

static num_status check_args(num_margin_loss loss, size_t n, size_t d, const double *X,
                             const double *y, const double *w0, double t0, size_t nout,
                             const double *tout, const num_flow_opts *opts, const double *W)
{
    if (n == 0 || d == 0 || !X || !y || !w0 || !tout || !W || !opts || nout == 0 ||
        (loss != NUM_LOSS_EXP && loss != NUM_LOSS_LOGISTIC && loss != NUM_LOSS_SQUARE) ||
        !(opts->epsabs >= 0.0) || !(opts->epsrel >= 0.0) ||
        (opts->epsabs == 0.0 && opts->epsrel == 0.0) || !(opts->h0 >= 0.0) || !isfinite(t0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed");
    if ((opts->backend != NUM_FLOW_GSL && opts->backend != NUM_FLOW_CVODE_BDF &&
         opts->backend != NUM_FLOW_CVODE_ADAMS) ||
        opts->max_order < 0 || opts->jac_every < 0 || opts->lsetup_every < 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: unknown backend or negative "
                                     "max_order, jac_every, lsetup_every");
    if (loss != NUM_LOSS_SQUARE && !labels_pm1(n, y))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: loss != NUM_LOSS_SQUARE && "
                                     "!labels_pm1(n, y)");
    for (size_t k = 0; k < nout; k++)
        if (!isfinite(tout[k]) || tout[k] < (k ? tout[k - 1] : t0))
            return NUM_ERROR(NUM_EINVAL, "argument check failed: !isfinite(tout[k]) || tout[k] < "
                                         "(k ? tout[k - 1] : t0)");
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(X[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(X[i])");
    for (size_t j = 0; j < d; j++)
        if (!isfinite(w0[j]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(w0[j])");
    return NUM_OK;
}

/* All-zero columns of X are dropped before integrating (live_columns): their components stay
 * at w0 exactly. Without such columns the integration is the one on X itself, bit for bit.
 * With them, the dropped components are still exact; the others differ within the
 * tolerance, because msbdf's Newton and order tests use RMS norms |v|_2 / sqrt(dim) (GSL
 * ode-initval2/msbdf.c) and dim shrinks (the tests become stricter, never looser). */
num_status num_flow_run(num_margin_loss loss, size_t n, size_t d, const double *X,
                        const double *y, const double *w0, double t0, size_t nout,
                        const double *tout, const num_flow_opts *opts, double *W,
                        unsigned long *steps_at, num_flow_stats *stats)
{
    num_status st = check_args(loss, n, d, X, y, w0, t0, nout, tout, opts, W);
    if (st != NUM_OK)
        return st;
    size_t *keep = malloc(d * sizeof *keep);
    double *w = malloc(d * sizeof *w), *Xk = NULL;
    num_flow_sys p = {loss, n, d, X, y, malloc(n * sizeof(double)), 0, 0};
    st = NUM_ENOMEM;
    if (!keep || !w || !p.c)
        goto done;
    size_t dk = live_columns(n, d, X, keep);
    for (size_t k = 0; k < nout; k++)
        memcpy(W + k * d, w0, d * sizeof *w0);
    if (stats)
        *stats = (num_flow_stats){0, 0, 0, 0.0, 0, 0};
    if (dk == d) {
        memcpy(w, w0, d * sizeof *w);
        st = integrate(&p, w, t0, nout, tout, opts, W, d, NULL, steps_at, stats);
    } else if (dk == 0) { /* X = 0: nothing moves */
        if (steps_at)
            memset(steps_at, 0, nout * sizeof *steps_at);
        st = NUM_OK;
    } else {
        if (!(Xk = malloc(n * dk * sizeof *Xk)))
            goto done;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < dk; j++)
                Xk[i * dk + j] = X[i * d + keep[j]];
        for (size_t j = 0; j < dk; j++)
            w[j] = w0[keep[j]];
        p.d = dk;
        p.X = Xk;
        st = integrate(&p, w, t0, nout, tout, opts, W, d, keep, steps_at, stats);
    }
done:
    free(keep);
    free(w);
    free(Xk);
    free(p.c);
    return st;
}
