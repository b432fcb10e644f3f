/* numerics/local_rank.c — exact local rank of the image of a ball (see local_rank.h). */
#include "numerics/local_rank.h"

#include <float.h>
#include <math.h>

#include "numerics/linalg.h"

num_status num_local_rank_secant_svals(const double *H, size_t p, size_t m, double *work,
                                       double *s, double *colmax)
{
    if (!H || !work || !s || p == 0 || m == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || !work || !s || p == 0 || "
                                     "m == 0");
    double cmax = 0.0;
    for (size_t b = 0; b < p; b++) {
        double ss = 0.0;
        for (size_t j = 0; j < m; j++) {
            double d = H[(b + 1) * m + j] - H[j];
            work[b * m + j] = d;
            ss += d * d;
        }
        if (!isfinite(ss))
            return NUM_ERROR(NUM_ENAN, "non-finite secant");
        if (sqrt(ss) > cmax)
            cmax = sqrt(ss);
    }
    if (colmax)
        *colmax = cmax;
    return num_linalg_svd_values(p, m, work, s);
}

void num_local_rank_count(const double *s, size_t ns, double tol, size_t *count, double *lo_dec,
                          double *hi_dec)
{
    size_t c = 0;
    while (c < ns && s[c] > tol)
        c++;
    *count = c;
    *lo_dec = c == 0 ? INFINITY : log10(s[c - 1] / tol);
    *hi_dec = (c == ns || s[c] <= 0.0) ? INFINITY : log10(tol / s[c]);
}

double num_local_rank_layer_error(double e_in, double w_norm2, double w_fro, size_t din,
                                  double hmax)
{
    double nu = (double)din * DBL_EPSILON / 2.0; /* n u, unit roundoff u = eps / 2 */
    if (nu >= 1.0)
        return INFINITY;
    return w_norm2 * e_in + nu / (1.0 - nu) * w_fro * hmax;
}

bool num_local_rank_same_region(const double *Z, size_t p, size_t m, double e)
{
    for (size_t j = 0; j < m; j++) {
        bool pos = Z[j] > 0.0;
        for (size_t b = 0; b <= p; b++) {
            double z = Z[b * m + j];
            if (!(fabs(z) > e) || (z > 0.0) != pos)
                return false;
        }
    }
    return true;
}
