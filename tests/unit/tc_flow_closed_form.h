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

#endif /* TC_FLOW_CLOSED_FORM_H */
