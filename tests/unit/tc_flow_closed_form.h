/* tests/unit/tc_flow_closed_form.h — the one-sample gradient flow in closed form, shared by
 * the GSL (test_flow.c) and CVODE (test_flow_cvode.c) flow tests. With one sample, g = y x,
 * b = |g|^2 and z0 = g.w0, the flow stays on w(t) = w0 + g phi(t), and the margin z = g.w obeys
 * dz/dt = b e^{-z} (exponential loss) or b / (1 + e^z) (logistic loss), from t = 1 (log time
 * s = 0). Separating the variables:
 * - exponential: e^z = e^{z0} + b (t - 1), so phi(t) = log(1 + b e^{-z0} (t - 1)) / b;
 * - logistic: z + e^z = z0 + e^{z0} + b (t - 1), solved for z by Newton to rounding,
 *   phi = (z - z0) / b. */
#ifndef TC_FLOW_CLOSED_FORM_H
#define TC_FLOW_CLOSED_FORM_H

#include <math.h>

#include "numerics/flow.h"
#include "tc_test.h"

static inline double tc_flow_closed_form_phi(num_margin_loss loss, double b, double z0,
                                             double t)
{
    if (loss == NUM_LOSS_EXP)
        return log1p(b * exp(-z0) * (t - 1.0)) / b;
    double c = z0 + exp(z0) + b * (t - 1.0), z = c > 1 ? log(c) : c;
    for (int it = 0; it < 100; it++) {
        double dz = (z + exp(z) - c) / (1 + exp(z));
        z -= dz;
        if (fabs(dz) <= 1e-16 * fabs(z))
            break;
    }
    return (z - z0) / b;
}

/* The one-sample problem of both tests: x, y = -1 and w0 fixed, with g, b and z0 as above. */
typedef struct {
    double x[3], y[1], w0[3], g[3], b, z0;
} tc_flow_one;

static inline tc_flow_one tc_flow_one_sample(void)
{
    tc_flow_one p = {.x = {0.6, -0.3, 1.1}, .y = {-1.0}, .w0 = {0.2, 0.5, -0.4}};
    for (int j = 0; j < 3; j++) {
        p.g[j] = p.y[0] * p.x[j];
        p.b += p.g[j] * p.g[j];
        p.z0 += p.g[j] * p.w0[j];
    }
    return p;
}

/* W (ns x 3, the states at log times s[k]) against w0 + g phi(e^{s_k}), each component to
 * rel_tol (1 + |ref|). */
static inline void tc_flow_one_check(const tc_flow_one *p, num_margin_loss loss,
                                     const double *s, size_t ns, const double *W,
                                     double rel_tol, const char *what)
{
    for (size_t k = 0; k < ns; k++) {
        double phi = tc_flow_closed_form_phi(loss, p->b, p->z0, exp(s[k]));
        for (int j = 0; j < 3; j++) {
            double ref = p->w0[j] + p->g[j] * phi;
            expect_close(what, W[k * 3 + j], ref, rel_tol * (1 + fabs(ref)));
        }
    }
}

#endif /* TC_FLOW_CLOSED_FORM_H */
