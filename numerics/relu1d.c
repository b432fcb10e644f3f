/* numerics/relu1d.c — scalar-input one-hidden-layer ReLU networks: loss and gradient, GD, the
 * exact polar of the ReLU atoms, the pattern certificate of a one-unit local minimum (see
 * relu1d.h). Workload: N up to a few hundred points, r up to a few dozen units. */
#include "numerics/relu1d.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double relu(double s) { return s > 0 ? s : 0; }

num_status num_relu1d_eval(size_t N, const double *x, const double *y, size_t r,
                           const double *theta, double lambda, double *loss, double *grad,
                           double *z)
{
    if (!N || !r || !x || !y || !theta || !loss || !(lambda >= 0))
        return NUM_ERROR(NUM_EINVAL, "relu1d eval: bad arguments");
    const double *a = theta, *b = theta + r, *v = theta + 2 * r;
    double data = 0, reg = 0;
    if (grad)
        memset(grad, 0, 3 * r * sizeof *grad);
    for (size_t n = 0; n < N; n++) {
        double f = 0;
        for (size_t i = 0; i < r; i++)
            f += v[i] * relu(a[i] * x[n] + b[i]);
        double zn = (y[n] - f) / (double)N;
        data += (y[n] - f) * (y[n] - f);
        if (z)
            z[n] = zn;
        if (!grad)
            continue;
        for (size_t i = 0; i < r; i++) {
            double s = a[i] * x[n] + b[i];
            if (s <= 0)
                continue;
            grad[i] -= zn * v[i] * x[n];
            grad[r + i] -= zn * v[i];
            grad[2 * r + i] -= zn * s;
        }
    }
    for (size_t i = 0; i < 3 * r; i++) {
        reg += theta[i] * theta[i];
        if (grad)
            grad[i] += lambda * theta[i];
    }
    *loss = data / (2.0 * (double)N) + 0.5 * lambda * reg;
    if (!isfinite(*loss))
        return NUM_ERROR(NUM_ENAN, "relu1d eval: non-finite loss");
    return NUM_OK;
}

static double norm(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

num_status num_relu1d_gd(size_t N, const double *x, const double *y, size_t r, double *theta,
                         double lambda, double eta, size_t max_steps, double gtol, double *work,
                         size_t *steps, double *gnorm, double *loss)
{
    if (!work || !steps || !gnorm || !(eta > 0) || !(gtol >= 0))
        return NUM_ERROR(NUM_EINVAL, "relu1d gd: bad arguments");
    double *g = work;
    size_t k = 0;
    num_status st = num_relu1d_eval(N, x, y, r, theta, lambda, loss, g, NULL);
    for (; st == NUM_OK; k++) {
        *gnorm = norm(g, 3 * r);
        if (*gnorm <= gtol || k == max_steps)
            break;
        for (size_t i = 0; i < 3 * r; i++)
            theta[i] -= eta * g[i];
        st = num_relu1d_eval(N, x, y, r, theta, lambda, loss, g, NULL);
    }
    *steps = k;
    if (st != NUM_OK || !isfinite(*gnorm))
        return NUM_ERROR(NUM_ENAN, "relu1d gd: the iterate stopped being finite");
    return NUM_OK;
}

num_status num_relu1d_pattern_min(size_t N, const double *x, const double *y, double a,
                                  double b, double *pattern_min, double *margin, size_t *active)
{
    if (!N || !x || !y || !pattern_min || !margin || !active || !(hypot(a, b) > 0))
        return NUM_ERROR(NUM_EINVAL, "relu1d pattern: bad arguments");
    double un = hypot(a, b), sx = 0, sy = 0, sxx = 0, sxy = 0, k = 0, out = 0;
    *margin = INFINITY;
    for (size_t n = 0; n < N; n++) {
        double s = a * x[n] + b;
        *margin = fmin(*margin, fabs(s) / un);
        if (s > 0)
            k++, sx += x[n], sy += y[n], sxx += x[n] * x[n], sxy += x[n] * y[n];
        else
            out += y[n] * y[n];
    }
    *active = (size_t)k;
    double res = 0;
    if (k > 0) { /* centred normal equations of y ~ c x + d on the active points */
        double mx = sx / k, my = sy / k, vxx = sxx - k * mx * mx, vxy = sxy - k * mx * my;
        double c = vxx > 0 ? vxy / vxx : 0, d = my - c * mx;
        for (size_t n = 0; n < N; n++)
            if (a * x[n] + b > 0)
                res += (y[n] - c * x[n] - d) * (y[n] - c * x[n] - d);
    }
    *pattern_min = (res + out) / (2.0 * (double)N);
    return NUM_OK;
}
