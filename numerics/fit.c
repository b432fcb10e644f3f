/* numerics/fit.c — line and power-law fits via gsl_fit (see fit.h). */
#include "numerics/fit.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_fit.h>

num_status num_fit_linear(size_t n, const double *x, const double *y, const double *w,
                          num_fit_line *out)
{
    if (n < 2 || !x || !y || !out)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n < 2 || !x || !y || !out");
    int distinct = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || (w && !isfinite(w[i])))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(x[i]) || !isfinite(y[i]) || (w "
                                       "&& !isfinite(w[i]))");
        if (w && !(w[i] > 0.0))
            return NUM_ERROR(NUM_EINVAL, "argument check failed: w && !(w[i] > 0.0)");
        if (x[i] != x[0])
            distinct = 1;
    }
    if (!distinct)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !distinct");
    double c0, c1, c00, c01, c11, ss;
    int gs = w ? gsl_fit_wlinear(x, 1, w, 1, y, 1, n, &c0, &c1, &c00, &c01, &c11, &ss)
               : gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &c00, &c01, &c11, &ss);
    if (gs != 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: gs != 0");
    out->intercept = c0;
    out->slope = c1;
    out->cov01 = c01;
    out->sumsq = ss;
    out->n = n;
    /* With two points the residual variance has no degrees of freedom (GSL divides by 0). */
    out->se_intercept = (n > 2 || w) ? sqrt(c00) : NAN;
    out->se_slope = (n > 2 || w) ? sqrt(c11) : NAN;
    double ym = 0.0, sw = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        ym += wi * y[i];
        sw += wi;
    }
    ym /= sw;
    double sst = 0.0, ssr = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0, r = y[i] - (c0 + c1 * x[i]);
        sst += wi * (y[i] - ym) * (y[i] - ym);
        ssr += wi * r * r;
    }
    out->r2 = sst > 0.0 ? 1.0 - ssr / sst : 1.0;
    return NUM_OK;
}

num_status num_fit_power(size_t n, const double *x, const double *y, const double *w,
                         num_fit_line *out)
{
    if (n < 2 || !x || !y || !out)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n < 2 || !x || !y || !out");
    double *lx = malloc(n * sizeof *lx), *ly = malloc(n * sizeof *ly);
    num_status st = NUM_ENOMEM;
    if (!lx || !ly)
        goto done;
    st = NUM_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 0.0) || !(y[i] > 0.0))
            goto done;
        lx[i] = log(x[i]);
        ly[i] = log(y[i]);
    }
    st = num_fit_linear(n, lx, ly, w, out);
done:
    free(lx);
    free(ly);
    return st;
}

num_status num_fit_linear_window(size_t n, const double *x, const double *y, const double *key,
                                 double lo, double hi, num_fit_line *out)
{
    if (!x || !y || !key || !out)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !x || !y || !key || !out");
    double *xs = malloc((n ? n : 1) * sizeof *xs), *ys = malloc((n ? n : 1) * sizeof *ys);
    num_status st;
    if (!xs || !ys) {
        st = NUM_ERROR(NUM_ENOMEM, "window buffers");
        goto done;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (key[i] >= lo && key[i] <= hi) {
            xs[m] = x[i];
            ys[m] = y[i];
            m++;
        }
    if (m < 3)
        st = NUM_ERROR(NUM_EINVAL, "fewer than 3 points in the window");
    else
        st = num_fit_linear(m, xs, ys, NULL, out);
done:
    free(xs);
    free(ys);
    return st;
}
