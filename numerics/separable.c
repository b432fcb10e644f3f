/* numerics/separable.c — synthetic separable data (see separable.h). */
#include "numerics/separable.h"

#include <math.h>
#include <stdlib.h>

#include "numerics/rng.h"

num_status num_separable_gen(gsl_rng *r, size_t n, size_t d, double sigma, double gamma,
                             double *X, double *y, double *u)
{
    if (!r || n < 2 || d < 1 || !(sigma > 0.0) || !(gamma >= 0.0) || !isfinite(gamma) || !X ||
        !y)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !r || n < 2 || d < 1 || !(sigma > "
                                     "0.0) || !(gamma >= 0.0) || !isfinite(gamma) || !X || !y");
    double *dir = u ? u : malloc(d * sizeof *dir);
    if (!dir)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    num_rng_unit_vector(r, dir, d);
    for (size_t i = 0; i < n; i++) {
        double *x = X + i * d;
        num_rng_gaussian(r, sigma, x, d);
        double c = 0.0;
        for (size_t j = 0; j < d; j++)
            c += dir[j] * x[j];
        y[i] = (i % 2 == 0) ? 1.0 : -1.0;
        double target = y[i] * (fabs(c) + gamma);
        for (size_t j = 0; j < d; j++)
            x[j] += (target - c) * dir[j];
    }
    if (!u)
        free(dir);
    return NUM_OK;
}

num_status num_separable_add_bias(size_t n, size_t d, const double *X, double c, double *Xb)
{
    if (n == 0 || d == 0 || !X || !Xb || !isfinite(c))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || d == 0 || !X || !Xb || "
                                     "!isfinite(c)");
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < d; j++)
            Xb[i * (d + 1) + j] = X[i * d + j];
        Xb[i * (d + 1) + d] = c;
    }
    return NUM_OK;
}
