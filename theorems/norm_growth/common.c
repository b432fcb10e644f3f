/* theorems/norm_growth/common.c — grids, data and window fits shared by the norm_growth claims.
 */
#include "theorems/norm_growth/norm_growth.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include <cblas.h>

#include "numerics/separable.h"
#include "numerics/svm.h"

void ng_release_mlp(void *net)
{
    num_mlp_free(net);
}

void ng_release_svm(void *svm)
{
    num_svm_free(svm);
}

const char *ng_name(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return buf;
}

void ng_geom_grid(double lo, double hi, size_t m, double *out)
{
    for (size_t j = 0; j < m; j++)
        out[j] = m == 1 ? hi : lo * pow(hi / lo, (double)j / (double)(m - 1));
    out[m - 1] = hi;
}

size_t ng_ck_grid(double s_max, double *out)
{
    size_t m = 0;
    for (int i = 0; i < NG_CK_LINEAR; i++)
        out[m++] = -10.0 + (double)i;
    ng_geom_grid(1.0, s_max, NG_CK_GEOM, out + m);
    return m + NG_CK_GEOM;
}

num_status ng_make_data(gsl_rng *r, size_t n, size_t d, double gamma, double *X, double *y)
{
    num_status st = num_separable_gen(r, n, d, 1.0, gamma, X, y, NULL);
    if (st != NUM_OK)
        return st;
    double rmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        double v = cblas_dnrm2((int)d, X + i * d, 1);
        if (v > rmax)
            rmax = v;
    }
    cblas_dscal((int)(n * d), 1.0 / rmax, X, 1);
    return NUM_OK;
}

double ng_interp(const double *x, const double *y, size_t n, double x0)
{
    if (n == 0 || x0 < x[0] || x0 > x[n - 1])
        return NAN;
    size_t j = 1;
    while (j < n - 1 && x[j] < x0)
        j++;
    double w = (x0 - x[j - 1]) / (x[j] - x[j - 1]);
    return (1.0 - w) * y[j - 1] + w * y[j];
}

double ng_eq57_next_order_bias(double p, double lo, double d)
{
    return p * (p * fabs(1.0 - log(lo)) + fabs(d)) / lo;
}

bool ng_eq57_gate(tc_result *res, const char *label, double p, double lo, double hi, double d)
{
    char nm[96];
    double rel = p > 0.0 ? ng_eq57_next_order_bias(p, lo, d) / p : 0.0;
    tc_metric_info(res, ng_name(nm, sizeof nm, "%s_eq57_next_order_rel", label), rel);
    if (rel <= NG_ASYM_MAX)
        return true;
    tc_result_error(res, "inconclusive: not converged after log t = %g: %s: the next-order "
                    "term of eq. (57) at the window start log t = %g is %.3g of 2 - 2/K "
                    "(%s_eq57_next_order_rel, bound %g)", hi, label, lo, rel, label,
                    NG_ASYM_MAX);
    return false;
}
