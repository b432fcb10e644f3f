/* numerics/homogeneous.c — training scalar-output networks and the reduced norm dynamics of
 * 003 §13-§14 (see homogeneous.h). */
#include "numerics/homogeneous.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_expint.h>

#include "numerics/losses.h"

struct num_hom_work {
    num_mlp_work *mw;
    size_t n, P;
    double *f;    /* n outputs */
    double *a;    /* n scratch (log weights / residuals) */
    double *dout; /* n: dL/df scaled */
    double *grad; /* P scratch for the flow right-hand side */
};

num_hom_work *num_hom_work_alloc(const num_hom_problem *pb)
{
    if (!pb || !pb->net || pb->n == 0)
        return NULL;
    num_hom_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->n = pb->n;
    w->P = pb->net->nparams;
    w->mw = num_mlp_work_alloc(pb->net, pb->n);
    w->f = malloc(pb->n * sizeof *w->f);
    w->a = malloc(pb->n * sizeof *w->a);
    w->dout = malloc(pb->n * sizeof *w->dout);
    w->grad = malloc(w->P * sizeof *w->grad);
    if (!w->mw || !w->f || !w->a || !w->dout || !w->grad) {
        num_hom_work_free(w);
        return NULL;
    }
    return w;
}

void num_hom_work_free(num_hom_work *w)
{
    if (!w)
        return;
    num_mlp_work_free(w->mw);
    free(w->f);
    free(w->a);
    free(w->dout);
    free(w->grad);
    free(w);
}

static bool problem_ok(const num_hom_problem *pb, const num_hom_work *w)
{
    return pb && pb->net && pb->X && pb->y && w && pb->n == w->n &&
           pb->net->widths[pb->net->nlayers] == 1 && pb->net->nparams == w->P;
}

num_status num_hom_loss_grad(const num_hom_problem *pb, const double *theta, double log_scale,
                             num_hom_work *w, double *log_loss, double *grad)
{
    if (!problem_ok(pb, w) || !theta || !isfinite(log_scale))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !problem_ok(pb, w) || !theta || "
                                     "!isfinite(log_scale)");
    size_t n = pb->n;
    num_status st = num_mlp_forward(pb->net, theta, pb->X, n, w->mw, w->f);
    if (st != NUM_OK)
        return st;
    if (pb->loss == NUM_HOM_LOSS_EXP) {
        /* log l_n = -y_n f_n; the scaled gradient weight of sample n is
         * dL/df_n e^{log_scale} = -y_n exp(log_scale - y_n f_n). */
        for (size_t i = 0; i < n; i++)
            w->a[i] = -pb->y[i] * w->f[i];
        if (log_loss)
            *log_loss = num_logsumexp(n, w->a);
        for (size_t i = 0; i < n; i++)
            w->dout[i] = -pb->y[i] * exp(log_scale + w->a[i]);
    } else {
        double L = 0.0, sc = exp(log_scale);
        for (size_t i = 0; i < n; i++) {
            double r = w->f[i] - pb->y[i];
            L += r * r;
            w->dout[i] = 2.0 * r * sc;
        }
        if (log_loss)
            *log_loss = log(L);
    }
    for (size_t i = 0; i < n; i++)
        if (!isfinite(w->dout[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(w->dout[i])");
    if (grad)
        return num_mlp_backward(pb->net, theta, w->mw, w->dout, grad);
    return NUM_OK;
}

num_status num_hom_observe(const num_hom_problem *pb, const double *theta, num_hom_work *w,
                           double *norms, num_hom_obs *obs)
{
    if (!problem_ok(pb, w) || !theta || !obs)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !problem_ok(pb, w) || !theta || !obs");
    num_status st = num_hom_loss_grad(pb, theta, 0.0, w, &obs->log_loss, NULL);
    if (st != NUM_OK && st != NUM_ENAN)
        return st;
    if (st == NUM_ENAN) /* the loss weights overflowed; the outputs are still valid */
        obs->log_loss = num_logsumexp(pb->n, w->a);
    double mm = INFINITY;
    for (size_t i = 0; i < pb->n; i++) {
        double m = pb->y[i] * w->f[i];
        if (m < mm)
            mm = m;
    }
    size_t K = pb->net->nlayers;
    double prod = 1.0, nk[64], *nn = norms ? norms : (K <= 64 ? nk : NULL);
    if (!nn)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !nn");
    num_mlp_layer_norms(pb->net, theta, nn);
    for (size_t k = 0; k < K; k++)
        prod *= nn[k];
    obs->min_margin = mm;
    obs->prod_norms = prod;
    obs->norm_margin = prod > 0.0 ? mm / prod : NAN;
    if (!isfinite(obs->min_margin) || !isfinite(obs->prod_norms))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(obs->min_margin) || "
                                   "!isfinite(obs->prod_norms)");
    return NUM_OK;
}

num_status num_hom_gd(const num_hom_problem *pb, double *theta, double eta, size_t nsteps,
                      const size_t *at, size_t nat, num_hom_observer obs, void *arg,
                      num_hom_work *w)
{
    if (!problem_ok(pb, w) || !theta || !(eta > 0.0) || (nat && !at))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !problem_ok(pb, w) || !theta || !(eta "
                                     "> 0.0) || (nat && !at)");
    size_t next = 0, P = w->P;
    for (size_t step = 0;; step++) {
        while (next < nat && at[next] < step)
            next++;
        if (obs && next < nat && at[next] == step) {
            next++;
            if (obs(arg, eta * (double)step, theta))
                return NUM_OK;
        }
        if (step == nsteps)
            break;
        num_status st = num_hom_loss_grad(pb, theta, 0.0, w, NULL, w->grad);
        if (st != NUM_OK)
            return st;
        cblas_daxpy((int)P, -eta, w->grad, 1, theta, 1);
    }
    return NUM_OK;
}

/* ---- log-time gradient flow --------------------------------------------------------------- */

typedef struct {
    const num_hom_problem *pb;
    num_hom_work *w;
    num_status st;
} flow_params;

static int flow_rhs(double s, const double *theta, double *dtheta, void *params)
{
    flow_params *fp = params;
    num_status st = num_hom_loss_grad(fp->pb, theta, s, fp->w, NULL, dtheta);
    if (st != NUM_OK) {
        fp->st = st;
        return GSL_EBADFUNC;
    }
    size_t P = fp->w->P;
    for (size_t i = 0; i < P; i++)
        dtheta[i] = -dtheta[i];
    return GSL_SUCCESS;
}

num_status num_hom_flow_logtime(const num_hom_problem *pb, double *theta, double s0,
                                const double *s_at, size_t nat, double rtol, size_t max_steps,
                                num_hom_observer obs, void *arg, num_hom_work *w,
                                size_t *nsteps)
{
    if (!problem_ok(pb, w) || !theta || !s_at || nat == 0 || !(rtol > 0.0) ||
        !isfinite(s0) || !(s_at[0] > s0) || pb->loss != NUM_HOM_LOSS_EXP)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !problem_ok(pb, w) || !theta || !s_at "
                                     "|| nat == 0 || !(rtol > 0.0) || !isfinite(s0) || !(s_at[0] > "
                                     "s0) || pb->loss != NUM_HOM_LOSS_EXP");
    for (size_t i = 1; i < nat; i++)
        if (!(s_at[i] > s_at[i - 1]))
            return NUM_ERROR(NUM_EINVAL, "argument check failed: !(s_at[i] > s_at[i - 1])");
    size_t P = w->P;
    flow_params fp = {pb, w, NUM_OK};
    gsl_odeiv2_system sys = {flow_rhs, NULL, P, &fp};
    /* The driver only links stepper, control and evolve (msbdf-type steppers need it); the
     * stepping loop is ours so that the step count spans all checkpoints. */
    gsl_odeiv2_driver *d =
        gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, 1e-2, rtol, rtol);
    num_status ret = NUM_OK;
    size_t count = 0;
    if (!d)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    double s = s0, h = 1e-2;
    for (size_t i = 0; i < nat && ret == NUM_OK; i++) {
        while (s < s_at[i]) {
            int gs = gsl_odeiv2_evolve_apply(d->e, d->c, d->s, &sys, &s, s_at[i], &h, theta);
            if (gs != GSL_SUCCESS) {
                ret = fp.st != NUM_OK ? fp.st : NUM_EODE;
                break;
            }
            if (++count > max_steps) {
                ret = NUM_ENOCONV;
                break;
            }
        }
        if (ret == NUM_OK && obs && obs(arg, s, theta))
            break;
    }
    gsl_odeiv2_driver_free(d);
    if (nsteps)
        *nsteps = count;
    return ret;
}

/* Fraction of h_max below which a loss increase is attributed to a kink, not instability. */
#define HOM_EULER_KINK_FRAC (1.0 / 1024.0)

num_status num_hom_gd_logtime(const num_hom_problem *pb, double *theta, double s0,
                              double h_max, const double *s_at, size_t nat, size_t max_steps,
                              num_hom_observer obs, void *arg, num_hom_work *w,
                              size_t *nsteps)
{
    if (!problem_ok(pb, w) || !theta || !s_at || nat == 0 || !(h_max > 0.0) ||
        !isfinite(s0) || !(s_at[0] > s0) || pb->loss != NUM_HOM_LOSS_EXP)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !problem_ok(pb, w) || !theta || !s_at "
                                     "|| nat == 0 || !(h_max > 0.0) || !isfinite(s0) || !(s_at[0] "
                                     "> s0) || pb->loss != NUM_HOM_LOSS_EXP");
    for (size_t i = 1; i < nat; i++)
        if (!(s_at[i] > s_at[i - 1]))
            return NUM_ERROR(NUM_EINVAL, "argument check failed: !(s_at[i] > s_at[i - 1])");
    size_t P = w->P, count = 0;
    double *trial = malloc(P * sizeof *trial);
    if (!trial)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    num_status st;
    double s = s0, h = h_max, logL;
    /* grad at s, scaled by e^s: the log-time velocity is -w->grad. */
    st = num_hom_loss_grad(pb, theta, s, w, &logL, w->grad);
    for (size_t i = 0; i < nat && st == NUM_OK; i++) {
        while (s < s_at[i] && st == NUM_OK) {
            double hs = h < s_at[i] - s ? h : s_at[i] - s;
            bool landed = hs == s_at[i] - s;
            memcpy(trial, theta, P * sizeof *trial);
            cblas_daxpy((int)P, -hs, w->grad, 1, trial, 1);
            double logL_new;
            st = num_hom_loss_grad(pb, trial, landed ? s_at[i] : s + hs, w, &logL_new, NULL);
            /* Reject on overflow or on an increase of the loss beyond rounding (early on,
             * e^s h |grad L| is below the resolution of log L and the loss is unchanged). */
            bool increase = st == NUM_OK &&
                            !(logL_new <= logL + 8.0 * DBL_EPSILON * (1.0 + fabs(logL)));
            /* A step already 2^-10 h_max short that still increases the loss sits on a kink
             * (non-smooth f): it is accepted, as plain GD would (the increase is O(h)). */
            if (st == NUM_ENAN || (increase && hs > HOM_EULER_KINK_FRAC * h_max)) {
                st = NUM_OK;
                h = 0.5 * hs;
                if (h < 1e-12)
                    st = NUM_ENOCONV;
                continue;
            }
            if (st != NUM_OK)
                break;
            memcpy(theta, trial, P * sizeof *theta);
            s = landed ? s_at[i] : s + hs;
            if (++count > max_steps) {
                st = NUM_ENOCONV;
                break;
            }
            st = num_hom_loss_grad(pb, theta, s, w, &logL, w->grad);
            h = 1.25 * h < h_max ? 1.25 * h : h_max;
        }
        if (st == NUM_OK && obs && obs(arg, s, theta))
            break;
    }
    free(trial);
    if (nsteps)
        *nsteps = count;
    return st;
}

/* ---- reduced dynamics ---------------------------------------------------------------------- */

typedef struct {
    num_rho_model model;
    size_t K;
    double f;
} rho_params;

/* rho^m for integer m >= 0 (0^0 = 1). */
static double ipow(double x, size_t m)
{
    double r = 1.0;
    for (size_t i = 0; i < m; i++)
        r *= x;
    return r;
}

/* prod_{i != k} rho_i */
static double prod_except(const double *rho, size_t K, size_t k)
{
    double p = 1.0;
    for (size_t i = 0; i < K; i++)
        if (i != k)
            p *= rho[i];
    return p;
}

static int rho_rhs(double s, const double *y, double *dy, void *params)
{
    const rho_params *rp = params;
    size_t K = rp->K;
    double f = rp->f;
    switch (rp->model) {
    case NUM_RHO_TIED_EQ55: /* e^s * eq. (55) */
        dy[0] = f * (double)K * ipow(y[0], K - 1) * exp(s - f * ipow(y[0], K));
        break;
    case NUM_RHO_UNTIED_EQ48: { /* e^s * eq. (48), N = 1 */
        double P = prod_except(y, K, K); /* all */
        double e = exp(s - f * P);
        for (size_t k = 0; k < K; k++)
            dy[k] = f * prod_except(y, K, k) * e;
        break;
    }
    case NUM_RHO_EQ57: /* e^s * (dR/dt) / R with R = e^u */
        dy[0] = pow(f, 2.0 / (double)K) * (double)(K * K) * pow(y[0], 2.0 - 2.0 / (double)K) *
                exp(s - y[0]);
        break;
    case NUM_RHO_TIED_SQUARE: /* ordinary time: s is t here */
        (void)s;
        dy[0] = 2.0 * f * (double)K * ipow(y[0], K - 1) * (1.0 - f * ipow(y[0], K));
        break;
    }
    for (size_t k = 0; k < (rp->model == NUM_RHO_UNTIED_EQ48 ? K : 1); k++)
        if (!isfinite(dy[k]))
            return GSL_EBADFUNC;
    return GSL_SUCCESS;
}

static int rho_jac(double s, const double *y, double *dfdy, double *dfdt, void *params)
{
    const rho_params *rp = params;
    size_t K = rp->K;
    double f = rp->f, Kd = (double)K;
    switch (rp->model) {
    case NUM_RHO_TIED_EQ55: {
        double r = y[0], rK1 = ipow(r, K - 1), e = exp(s - f * rK1 * r);
        double g = f * Kd * rK1 * e;
        /* d/drho [f K rho^{K-1} e^{s - f rho^K}] */
        double dg = f * Kd * ((K >= 2 ? (Kd - 1.0) * ipow(r, K - 2) : 0.0) - rK1 * f * Kd * rK1) * e;
        dfdy[0] = dg;
        dfdt[0] = g;
        break;
    }
    case NUM_RHO_UNTIED_EQ48: {
        double P = prod_except(y, K, K), e = exp(s - f * P);
        for (size_t k = 0; k < K; k++) {
            double pk = prod_except(y, K, k);
            dfdt[k] = f * pk * e;
            for (size_t j = 0; j < K; j++) {
                double pj = prod_except(y, K, j); /* dP/drho_j */
                double dpk = 0.0;                  /* d pk / d rho_j */
                if (j != k) {
                    dpk = 1.0;
                    for (size_t i = 0; i < K; i++)
                        if (i != k && i != j)
                            dpk *= y[i];
                }
                dfdy[k * K + j] = f * (dpk - pk * f * pj) * e;
            }
        }
        break;
    }
    case NUM_RHO_EQ57: {
        double u = y[0], p = 2.0 - 2.0 / (double)K, a = pow(f, 2.0 / (double)K) * Kd * Kd;
        double e = exp(s - u), up = pow(u, p);
        dfdt[0] = a * up * e;
        dfdy[0] = a * e * ((K >= 2 ? p * pow(u, p - 1.0) : 0.0) - up);
        break;
    }
    case NUM_RHO_TIED_SQUARE: { /* ordinary time: autonomous */
        double r = y[0], rK1 = ipow(r, K - 1);
        double dg = 2.0 * f * Kd *
                    ((K >= 2 ? (Kd - 1.0) * ipow(r, K - 2) : 0.0) * (1.0 - f * rK1 * r) -
                     rK1 * f * Kd * rK1);
        dfdy[0] = dg;
        dfdt[0] = 0.0;
        break;
    }
    }
    return GSL_SUCCESS;
}

num_status num_rho_integrate(num_rho_model model, size_t K, double ftil, const double *rho0,
                             double s0, const double *s_at, size_t nat, double rtol,
                             size_t max_steps, double *rho_out, size_t *nsteps)
{
    if (K < 1 || K > 64 || !(ftil > 0.0) || !rho0 || !s_at || nat == 0 || !rho_out ||
        !(rtol > 0.0) || !isfinite(s0) || !(s_at[0] > s0) || (int)model < 0 ||
        model > NUM_RHO_EQ57)
        return NUM_ERROR(NUM_EINVAL, "argument check failed");
    for (size_t i = 1; i < nat; i++)
        if (!(s_at[i] > s_at[i - 1]))
            return NUM_ERROR(NUM_EINVAL, "argument check failed: !(s_at[i] > s_at[i - 1])");
    size_t dim = model == NUM_RHO_UNTIED_EQ48 ? K : 1;
    double y[64];
    for (size_t k = 0; k < dim; k++) {
        if (!(rho0[k] > 0.0) || !isfinite(rho0[k]))
            return NUM_ERROR(NUM_EINVAL, "argument check failed: !(rho0[k] > 0.0) || "
                                         "!isfinite(rho0[k])");
        y[k] = rho0[k];
    }
    rho_params rp = {model, K, ftil};
    gsl_odeiv2_system sys = {rho_rhs, rho_jac, dim, &rp};
    /* Bader-Deuflhard (bsimp) for the square-loss model: after convergence its steps grow
     * geometrically with t, where msbdf's order/step control failed in tests past t ~ e^40. */
    const gsl_odeiv2_step_type *stepper =
        model == NUM_RHO_TIED_SQUARE ? gsl_odeiv2_step_bsimp : gsl_odeiv2_step_msbdf;
    gsl_odeiv2_driver *d =
        gsl_odeiv2_driver_alloc_y_new(&sys, stepper, 1e-3, rtol, rtol);
    num_status ret = NUM_OK;
    size_t count = 0;
    if (!d)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    /* The square-loss model relaxes at a rate ~ e^s in log time (stiff beyond any stepper once
     * converged, where e^s multiplies a residual at the rounding level), so it is integrated
     * in ordinary time t = e^s, where it is autonomous and mildly stiff. */
    bool ordinary = model == NUM_RHO_TIED_SQUARE;
    double s = ordinary ? exp(s0) : s0, h = 1e-3;
    for (size_t i = 0; i < nat && ret == NUM_OK; i++) {
        double target = ordinary ? exp(s_at[i]) : s_at[i];
        if (!isfinite(target)) {
            ret = NUM_EINVAL;
            break;
        }
        while (s < target) {
            int gs = gsl_odeiv2_evolve_apply(d->e, d->c, d->s, &sys, &s, target, &h, y);
            if (gs != GSL_SUCCESS) {
                ret = NUM_EODE;
                break;
            }
            if (++count > max_steps) {
                ret = NUM_ENOCONV;
                break;
            }
        }
        for (size_t k = 0; k < dim; k++)
            rho_out[i * dim + k] = y[k];
    }
    gsl_odeiv2_driver_free(d);
    if (nsteps)
        *nsteps = count;
    return ret;
}

/* ---- logarithmic integral ------------------------------------------------------------------ */

/* Ei overflows a double past this argument (Ei(x) ~ e^x / x). */
#define LI_LOG_MAX 700.0

double num_li_of_log(double log_x)
{
    if (!(log_x != 0.0) || !isfinite(log_x) || log_x > LI_LOG_MAX)
        return NAN;
    gsl_sf_result r;
    int st = gsl_sf_expint_Ei_e(log_x, &r);
    return st == GSL_SUCCESS ? r.val : NAN;
}

static double li_root_fn(double u, void *p)
{
    return num_li_of_log(u) - *(const double *)p;
}

double num_li_inverse_log(double v)
{
    if (!isfinite(v))
        return NAN;
    /* li is increasing from -inf (x -> 1+, u = ln x -> 0+) to +inf: bracket u in (0, 700]. */
    double lo = 1.0, hi = 1.0;
    while (num_li_of_log(lo) > v) {
        lo *= 0.5;
        if (lo < 1e-300)
            return NAN;
    }
    while (num_li_of_log(hi) < v) {
        hi *= 2.0;
        if (hi > LI_LOG_MAX) {
            hi = LI_LOG_MAX;
            if (num_li_of_log(hi) < v)
                return NAN;
            break;
        }
    }
    if (lo == hi)
        return lo;
    gsl_function F = {li_root_fn, &v};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return NAN;
    gsl_root_fsolver_set(s, &F, lo, hi);
    double u = NAN;
    for (int it = 0; it < 200; it++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            break;
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        u = gsl_root_fsolver_root(s);
        /* u is a log: an absolute width of 4 eps u is full double precision of x = e^u. */
        if (gsl_root_test_interval(a, b, 0.0, 4.0 * 2.220446049250313e-16) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return u;
}
