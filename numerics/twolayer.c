/* numerics/twolayer.c — the two-layer network of the NTK family and its GD run (see
 * twolayer.h). */
#include "numerics/twolayer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <gsl/gsl_fit.h>

#include "numerics/linalg.h"
#include "numerics/ntk.h"

num_twolayer *num_twolayer_alloc(size_t m, size_t d1, size_t n, num_act act)
{
    if (m == 0 || d1 == 0 || n == 0)
        return NULL;
    num_twolayer *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    size_t widths[3] = {d1, n, 1};
    t->m = m;
    t->n = n;
    t->net = num_mlp_alloc(2, widths, false, act);
    if (!t->net) {
        num_twolayer_free(t);
        return NULL;
    }
    t->P = t->net->nparams;
    t->w = num_mlp_work_alloc(t->net, m);
    t->th = malloc(t->P * sizeof *t->th);
    t->th0 = malloc(t->P * sizeof *t->th0);
    t->g = malloc(t->P * sizeof *t->g);
    t->e = malloc(m * sizeof *t->e);
    t->out = malloc(m * sizeof *t->out);
    t->dout = malloc(m * sizeof *t->dout);
    if (!t->w || !t->th || !t->th0 || !t->g || !t->e || !t->out || !t->dout) {
        num_twolayer_free(t);
        return NULL;
    }
    return t;
}

void num_twolayer_free(num_twolayer *t)
{
    if (!t)
        return;
    num_mlp_free(t->net);
    num_mlp_work_free(t->w);
    free(t->th);
    free(t->th0);
    free(t->g);
    free(t->e);
    free(t->out);
    free(t->dout);
    free(t);
}

void num_twolayer_init(num_twolayer *t, double s1, gsl_rng *r)
{
    double sig[2] = {s1, 1.0 / sqrt((double)t->n)};
    num_mlp_init_gaussian(t->net, t->th, r, sig);
    memcpy(t->th0, t->th, t->P * sizeof *t->th);
}

static bool all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

num_status num_twolayer_risk_grad(num_twolayer *t, const double *Xt, const double *y,
                                  double *risk)
{
    if (!t || !Xt || !y || !risk)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !t || !Xt || !y || !risk");
    num_status st = num_mlp_forward(t->net, t->th, Xt, t->m, t->w, t->out);
    if (st != NUM_OK)
        return st;
    double s = 0.0;
    for (size_t i = 0; i < t->m; i++) {
        t->e[i] = t->out[i] - y[i];
        s += t->e[i] * t->e[i];
        t->dout[i] = 2.0 * t->e[i] / (double)t->m;
    }
    *risk = s / (double)t->m;
    st = num_mlp_backward(t->net, t->th, t->w, t->dout, t->g);
    if (st == NUM_OK && !(isfinite(*risk) && all_finite(t->g, t->P)))
        st = NUM_ERROR(NUM_ENAN, "non-finite risk or gradient");
    return st;
}

num_status num_twolayer_ntk_lmax(num_twolayer *t, const double *Xt, double *lmax)
{
    if (!t || !Xt || !lmax)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !t || !Xt || !lmax");
    size_t m = t->m;
    double *J = malloc(m * t->P * sizeof *J), *K = malloc(m * m * sizeof *K);
    num_status st = NUM_OK;
    if (!J || !K)
        st = NUM_ERROR(NUM_ENOMEM, "Jacobian and NTK (m x P, m x m)");
    if (st == NUM_OK)
        st = num_mlp_forward(t->net, t->th, Xt, m, t->w, NULL);
    if (st == NUM_OK)
        st = num_mlp_jacobian(t->net, t->th, t->w, J);
    if (st == NUM_OK)
        st = num_ntk_gram(m, t->P, J, K);
    if (st == NUM_OK)
        st = num_linalg_eigh_max(m, K, lmax);
    free(J);
    free(K);
    return st;
}

/* ---- gradient descent ------------------------------------------------------------------ */

/* -slope of the OLS line of logr[0..L) on k = half .. half + L - 1 (gsl_fit_linear). */
static num_status tail_rate(size_t half, size_t L, const double *logr, double *kappa)
{
    double *ks = malloc(L * sizeof *ks);
    if (!ks)
        return NUM_ERROR(NUM_ENOMEM, "abscissae of the rate fit");
    for (size_t i = 0; i < L; i++)
        ks[i] = (double)(half + i);
    double c0, c1, cov00, cov01, cov11, sumsq;
    gsl_fit_linear(ks, 1, logr, 1, L, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    *kappa = -c1;
    free(ks);
    return NUM_OK;
}

/* ||th - th0|| / ||th0||. */
static double movement(const num_twolayer *t)
{
    double dn = 0.0, n0 = 0.0;
    for (size_t i = 0; i < t->P; i++) {
        double dd = t->th[i] - t->th0[i];
        dn += dd * dd;
        n0 += t->th0[i] * t->th0[i];
    }
    return sqrt(dn / n0);
}

/* ||th - th0||, absolute. */
static double distance(const num_twolayer *t)
{
    double dn = 0.0;
    for (size_t i = 0; i < t->P; i++) {
        double dd = t->th[i] - t->th0[i];
        dn += dd * dd;
    }
    return sqrt(dn);
}

/* Per-iterate bookkeeping of the run at step k with risk `risk`: returns true when the run
 * ends here (divergence criterion (b), or the target reached). */
static bool gd_observe(const num_twolayer *t, const num_twolayer_gd *gd, size_t k, double risk,
                       double *logr, double *curve, size_t nc, size_t *ic,
                       num_twolayer_gd_out *o)
{
    size_t half = gd->K / 2;
    if (k == 0)
        o->r0 = risk;
    if (k > 0 && risk > gd->diverge_factor * o->r0) {
        o->diverged = true;
        o->k_div = k;
        o->rmax = risk / o->r0;
        return true;
    }
    if (o->r0 > 0.0)
        o->rmax = fmax(o->rmax, risk / o->r0);
    o->move_max = fmax(o->move_max, distance(t));
    double g2 = cblas_ddot((int)t->P, t->g, 1, t->g, 1);
    if (risk > 0.0)
        o->c = fmin(o->c, g2 * (double)t->m / ((double)t->n * risk));
    if (k <= half)
        o->c_half = o->c;
    if (logr && k >= half)
        logr[k - half] = log(risk);
    if (curve)
        while (*ic <= nc && (size_t)llround((double)gd->K * (double)*ic / (double)nc) == k)
            curve[(*ic)++] = risk / o->r0;
    o->rK = risk;
    if (gd->stop_at_target && !o->reached && risk <= gd->target * o->r0) {
        o->reached = true;
        o->k_end = k;
        return true;
    }
    return false;
}

/* The steps of the run; logr (may be NULL) receives log r_k for k >= K/2. */
static num_status gd_loop(num_twolayer *t, const double *Xt, const double *y,
                          const num_twolayer_gd *gd, double *logr, double *curve, size_t nc,
                          num_twolayer_gd_out *o)
{
    size_t ic = 0;
    for (size_t k = 0; k <= gd->K; k++) {
        double risk = 0.0;
        num_status st = num_twolayer_risk_grad(t, Xt, y, &risk);
        if (st == NUM_ENAN && k > 0) {
            o->diverged = o->nonfinite = true;
            o->k_div = k;
            return NUM_OK;
        }
        if (st != NUM_OK)
            return st;
        if (gd_observe(t, gd, k, risk, logr, curve, nc, &ic, o))
            return NUM_OK;
        if (k < gd->K)
            cblas_daxpy((int)t->P, -gd->eta, t->g, 1, t->th, 1);
    }
    return NUM_OK;
}

num_status num_twolayer_train(num_twolayer *t, const double *Xt, const double *y, gsl_rng *r,
                              const num_twolayer_gd *gd, double *curve, size_t nc,
                              num_twolayer_gd_out *o)
{
    if (!t || !Xt || !y || !r || !gd || !o)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !t || !Xt || !y || !r || !gd || !o");
    size_t K = gd->K, half = K / 2;
    bool stop = gd->stop_at_target;
    num_twolayer_init(t, gd->s1, r);
    memset(o, 0, sizeof *o);
    o->K = K;
    o->c = INFINITY;
    o->k_end = K;
    o->rmax = 1.0;
    double *logr = NULL;
    if (!stop) {
        logr = malloc((K - half + 1) * sizeof *logr);
        if (!logr)
            return NUM_ERROR(NUM_ENOMEM, "log-risk record of the run");
    }
    num_status st = gd_loop(t, Xt, y, gd, logr, curve, nc, o);
    if (st != NUM_OK || o->diverged)
        goto done;
    if (o->rK > o->r0) { /* criterion (c): the run never came back below its start */
        o->diverged = true;
        o->k_div = o->K;
        o->rmax = o->rK / o->r0;
        goto done;
    }
    if (!stop)
        o->reached = o->rK <= gd->target * o->r0;
    o->move = movement(t);
    o->kappa = o->kappa_q3 = o->kappa_q4 = NAN;
    if (logr && K - half >= 2)
        st = tail_rate(half, K - half + 1, logr, &o->kappa);
    /* The two halves of the window, [K/2, 3K/4] and [3K/4, K] (sharing the middle point),
     * each with at least 3 points: how much the rate still drifts inside its own window. */
    size_t q = half + (K - half) / 2;
    if (st == NUM_OK && logr && q - half >= 2 && K - q >= 2) {
        st = tail_rate(half, q - half + 1, logr, &o->kappa_q3);
        if (st == NUM_OK)
            st = tail_rate(q, K - q + 1, logr + (q - half), &o->kappa_q4);
    }
done:
    free(logr);
    return st;
}
