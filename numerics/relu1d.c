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

static int cmp_double(const void *p, const void *q)
{
    double a = *(const double *)p, b = *(const double *)q;
    return (a > b) - (a < b);
}

/* sum_n z_n relu(u . x~_n) at angle phi, and the active-set sum g = sum_{active} z_n x~_n. */
static double atom(size_t N, const double *x, const double *z, double phi, double g[2])
{
    double c = cos(phi), s = sin(phi), val = 0;
    g[0] = g[1] = 0;
    for (size_t n = 0; n < N; n++) {
        double t = c * x[n] + s;
        if (t > 0)
            val += z[n] * t, g[0] += z[n] * x[n], g[1] += z[n];
    }
    return val;
}

/* Is angle t in the arc [lo, hi] (0 <= lo < 2 pi, lo <= hi <= lo + 2 pi) modulo 2 pi? */
static int in_arc(double t, double lo, double hi)
{
    t = fmod(t, 2 * M_PI);
    if (t < 0)
        t += 2 * M_PI;
    return (t >= lo && t <= hi) || (t + 2 * M_PI >= lo && t + 2 * M_PI <= hi);
}

num_status num_relu1d_polar(size_t N, const double *x, const double *z, double *work,
                            double *value, double *u, double *sign)
{
    if (!N || !x || !z || !work || !value)
        return NUM_ERROR(NUM_EINVAL, "relu1d polar: bad arguments");
    double *br = work; /* 2N breakpoints and the first one again, 2 pi later */
    size_t nb = 0;
    for (size_t n = 0; n < N; n++) { /* u . (x_n, 1) = 0 at alpha_n +- pi/2 */
        double al = atan2(1.0, x[n]);
        for (int k = -1; k <= 1; k += 2) {
            double t = fmod(al + k * M_PI / 2 + 2 * M_PI, 2 * M_PI);
            br[nb++] = t;
        }
    }
    qsort(br, nb, sizeof *br, cmp_double);
    br[nb] = br[0] + 2 * M_PI;
    double best = -1, bphi = 0, bs = 1, g[2];
    for (size_t k = 0; k < nb; k++) {
        double lo = br[k], hi = br[k + 1];
        if (!(hi > lo))
            continue;
        (void)atom(N, x, z, 0.5 * (lo + hi), g); /* the arc's fixed pattern */
        double gn = hypot(g[0], g[1]), cand[4] = {lo, hi, atan2(g[1], g[0]),
                                                  atan2(-g[1], -g[0])};
        for (int c = 0; c < 4; c++) {
            if (c >= 2 && !in_arc(cand[c], lo, hi))
                continue;
            double val = c == 2 ? gn : c == 3 ? -gn : cos(cand[c]) * g[0] + sin(cand[c]) * g[1];
            if (fabs(val) > best)
                best = fabs(val), bphi = cand[c], bs = val >= 0 ? 1 : -1;
        }
    }
    *value = best;
    if (u)
        u[0] = cos(bphi), u[1] = sin(bphi);
    if (sign)
        *sign = bs;
    if (!isfinite(best))
        return NUM_ERROR(NUM_ENAN, "relu1d polar: non-finite value");
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
