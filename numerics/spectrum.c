/* numerics/spectrum.c — zero and distinct eigenvalue counts (see spectrum.h). */
#include "numerics/spectrum.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

num_status num_spectrum_zero_count(size_t n, const double *evals, double c,
                                   num_spectrum_zeros *out)
{
    if (n == 0 || !evals || !out || !(c > 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || !evals || !out || !(c > "
                                     "0.0)");
    double amax = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(evals[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(evals[i])");
        if (fabs(evals[i]) > amax)
            amax = fabs(evals[i]);
    }
    num_spectrum_zeros z = {.n = n, .abs_max = amax, .zero_max = 0.0, .nonzero_min = NAN};
    z.tol = c * (double)n * DBL_EPSILON * amax;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(evals[i]);
        if (a <= z.tol) {
            z.zeros++;
            if (a > z.zero_max)
                z.zero_max = a;
        } else {
            if (evals[i] > 0.0)
                z.positive++;
            else
                z.negative++;
            if (!(a >= z.nonzero_min))
                z.nonzero_min = a;
        }
    }
    double lo = z.zero_max > DBL_MIN ? z.zero_max : DBL_MIN;
    bool has_zero = z.zeros > 0, has_nonzero = z.zeros < n;
    z.gap_decades = (has_zero && has_nonzero) ? log10(z.nonzero_min / lo) : NAN;
    /* tol can be 0 for the zero matrix: then only the nonzero side exists (none) or none. */
    double below = (has_zero && z.tol > 0.0) ? log10(z.tol / lo) : NAN;
    double above = (has_nonzero && z.tol > 0.0) ? log10(z.nonzero_min / z.tol) : NAN;
    if (isnan(below))
        z.stable_decades = above;
    else if (isnan(above))
        z.stable_decades = below;
    else
        z.stable_decades = below < above ? below : above;
    *out = z;
    return NUM_OK;
}

size_t num_spectrum_count_below(size_t n, const double *evals, double tol)
{
    size_t c = 0;
    for (size_t i = 0; evals && i < n; i++)
        if (fabs(evals[i]) <= tol)
            c++;
    return c;
}

num_status num_spectrum_distinct(size_t n, const double *evals, double tol, bool skip_zero,
                                 size_t *count)
{
    if (!evals || !count || !(tol >= 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !evals || !count || !(tol >= 0.0)");
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(evals[i])) {
            free(s);
            return NUM_ERROR(NUM_ENAN, "non-finite value");
        }
        if (!skip_zero || fabs(evals[i]) > tol)
            s[m++] = evals[i];
    }
    qsort(s, m, sizeof *s, cmp_double);
    size_t c = m ? 1 : 0;
    for (size_t i = 1; i < m; i++)
        if (s[i] - s[i - 1] > tol)
            c++;
    free(s);
    *count = c;
    return NUM_OK;
}

void num_spectrum_abs_sorted(size_t n, const double *evals, double *out)
{
    if (!evals || !out)
        return;
    for (size_t i = 0; i < n; i++)
        out[i] = -fabs(evals[i]);
    qsort(out, n, sizeof *out, cmp_double);
    for (size_t i = 0; i < n; i++)
        out[i] = -out[i];
}

num_status num_spectrum_largest_gap(size_t n, const double *evals, double floor_rel,
                                    size_t *zeros, double *decades)
{
    if (n == 0 || !evals || !zeros || !decades || !(floor_rel >= 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || !evals || !zeros || "
                                     "!decades || !(floor_rel >= 0.0)");
    double *a = malloc(n * sizeof *a);
    if (!a)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(evals[i])) {
            free(a);
            return NUM_ERROR(NUM_ENAN, "non-finite value");
        }
        a[i] = fabs(evals[i]);
    }
    qsort(a, n, sizeof *a, cmp_double);
    double floor_abs = floor_rel * a[n - 1], best = -INFINITY;
    size_t bz = 0;
    for (size_t i = 0; i + 1 < n && a[i] <= floor_abs; i++) {
        double lo = a[i] > DBL_MIN ? a[i] : DBL_MIN;
        double g = log10((a[i + 1] > DBL_MIN ? a[i + 1] : DBL_MIN) / lo);
        if (g > best) {
            best = g;
            bz = i + 1;
        }
    }
    free(a);
    *zeros = bz;
    *decades = bz ? best : NAN;
    return NUM_OK;
}
