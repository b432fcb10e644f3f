/* numerics/kernels.c — closed-form Gaussian expectations (see kernels.h for sources). */
#include "numerics/kernels.h"

#include <math.h>

#include <cblas.h>

double num_acos_clamped(double c)
{
    if (!(c > -1.0)) /* also maps NaN to pi; callers check finiteness of inputs */
        return M_PI;
    if (c >= 1.0)
        return 0.0;
    return acos(c);
}

double num_angle(const double *x, const double *y, size_t d)
{
    double nx = cblas_dnrm2((int)d, x, 1), ny = cblas_dnrm2((int)d, y, 1);
    if (nx == 0.0 || ny == 0.0)
        return 0.0;
    return num_acos_clamped(cblas_ddot((int)d, x, 1, y, 1) / (nx * ny));
}

double num_relu_cos_law(double theta)
{
    return (sin(theta) + (M_PI - theta) * cos(theta)) / M_PI;
}

double num_relu_psi(double theta)
{
    return (sin(theta) - theta * cos(theta)) / M_PI;
}

double num_kernel_relu(const double *x, const double *y, size_t d, double sigma2)
{
    double nx = cblas_dnrm2((int)d, x, 1), ny = cblas_dnrm2((int)d, y, 1);
    double t = num_angle(x, y, d);
    return sigma2 * nx * ny * (sin(t) + (M_PI - t) * cos(t)) / (2.0 * M_PI);
}

double num_kernel_erf(const double *x, const double *y, size_t d, double sigma2)
{
    double xy = cblas_ddot((int)d, x, 1, y, 1);
    double xx = cblas_ddot((int)d, x, 1, x, 1), yy = cblas_ddot((int)d, y, 1, y, 1);
    double s = 2.0 * sigma2 * xy / sqrt((1.0 + 2.0 * sigma2 * xx) * (1.0 + 2.0 * sigma2 * yy));
    if (s > 1.0) s = 1.0;   /* rounding guard: |s| < 1 exactly */
    if (s < -1.0) s = -1.0;
    return 2.0 / M_PI * asin(s);
}
