/* numerics/lsq_gd.c — see lsq_gd.h. */
#include "numerics/lsq_gd.h"

#include <math.h>
#include <stdlib.h>

#include <cblas.h>

num_lsq_gd_work *num_lsq_gd_work_alloc(size_t n, size_t d)
{
    num_lsq_gd_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->n = n;
    w->d = d;
    w->r = calloc(n ? n : 1, sizeof *w->r);
    w->g = calloc(d ? d : 1, sizeof *w->g);
    if (!w->r || !w->g) {
        num_lsq_gd_work_free(w);
        return NULL;
    }
    return w;
}

void num_lsq_gd_work_free(num_lsq_gd_work *w)
{
    if (!w)
        return;
    free(w->r);
    free(w->g);
    free(w);
}

/* r = y - X w, g = X^T r; returns ||r||. */
static double residual_gradient(const double *X, const double *y, size_t n, size_t d,
                                const double *w, num_lsq_gd_work *k)
{
    cblas_dcopy((int)n, y, 1, k->r, 1);
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, -1.0, X, (int)d, w, 1, 1.0, k->r, 1);
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, 1.0, X, (int)d, k->r, 1, 0.0, k->g, 1);
    return cblas_dnrm2((int)n, k->r, 1);
}

num_status num_lsq_gd_steps(const double *X, const double *y, size_t n, size_t d, double eta,
                            size_t steps, double *w, num_lsq_gd_work *work,
                            num_lsq_gd_stats *stats)
{
    if (!X || !y || !w || !work || !stats || n == 0 || d == 0 || work->n != n || work->d != d)
        return NUM_ERROR(NUM_EINVAL, "sizes, pointers or workspace do not match");
    if (!(eta > 0) || !isfinite(eta))
        return NUM_ERROR(NUM_EINVAL, "the step must be a positive finite number");
    stats->w_max = cblas_dnrm2((int)d, w, 1);
    stats->r_max = residual_gradient(X, y, n, d, w, work);
    for (size_t k = 0; k < steps; k++) {
        cblas_daxpy((int)d, 2.0 * eta, work->g, 1, w, 1);
        double wn = cblas_dnrm2((int)d, w, 1);
        double rn = residual_gradient(X, y, n, d, w, work);
        if (!isfinite(wn) || !isfinite(rn))
            return NUM_ERROR(NUM_ENAN, "the iterate is no longer finite (step too large?)");
        stats->w_max = fmax(stats->w_max, wn);
        stats->r_max = fmax(stats->r_max, rn);
    }
    stats->grad_norm = cblas_dnrm2((int)d, work->g, 1);
    return NUM_OK;
}
