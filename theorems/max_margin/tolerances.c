/* theorems/max_margin/tolerances.c — the thresholds derived at a state of the flow: the three
 * neglected terms of the expansion (integrator, non-support forcing, transient; see
 * max_margin.h) and what they imply for rho and the direction gap. */
#include "theorems/max_margin/max_margin.h"

#include <math.h>

mm_tol mm_tolerances(const mm_problem *p, num_margin_loss loss, const mm_state *o, double rtol,
                     double d0)
{
    mm_tol t;
    double integ = MM_INT_FACTOR * (rtol * o->norm + MM_ATOL);           /* integrator */
    double resp = MM_RESPONSE_FACTOR * o->fns / p->kappa_S;              /* non-SV forcing */
    double trans = d0 * exp(-p->kappa_S * o->s);                         /* S transient */
    /* logistic: e^s sigmoid(-z) = e^{-g.rho} / (1 + e^{-z}), e^{-z} = alpha e^{-s}(1 + ..) */
    double logi = loss == NUM_LOSS_LOGISTIC ? 2.0 * p->alpha_max * exp(-o->s) : 0.0;
    t.relerr = p->R * (integ + resp + trans) + logi;
    /* |g.delta| = |log(1 + r)| <= r / (1 - r); ||P_S delta|| <= that / sigma_min(G_S) */
    t.rho = t.relerr < 0.5 ? t.relerr / (1.0 - t.relerr) / p->sigma_S : INFINITY;
    /* ||u(a) - u(b)|| <= 2 ||a - b|| / ||a|| for unit vectors u(v) = v / ||v|| */
    t.gap = 2.0 * t.rho / o->norm;
    return t;
}
