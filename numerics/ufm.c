/* numerics/ufm.c — unconstrained-features model, gradient descent (see ufm.h).
 *
 * Workload: up to ~10^5 steps of n x p features (n, p up to a few hundred) per claim; three
 * dgemm per step (logits, dF/dW, dF/dH).
 */
#include "numerics/ufm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/rng.h"

num_ufm *num_ufm_alloc(size_t n, size_t p, size_t C)
{
    if (n == 0 || p == 0 || C < 2)
        return NULL;
    num_ufm *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    size_t P = n * p + C * p + C;
    m->n = n;
    m->p = p;
    m->C = C;
    m->theta = calloc(P, sizeof(double));
    m->grad = calloc(P, sizeof(double));
    m->vel = calloc(P, sizeof(double));
    m->Z = malloc(n * C * sizeof(double));
    m->dZ = malloc(n * C * sizeof(double));
    if (!m->theta || !m->grad || !m->vel || !m->Z || !m->dZ) {
        num_ufm_free(m);
        return NULL;
    }
    m->H = m->theta;
    m->W = m->theta + n * p;
    m->b = m->W + C * p;
    return m;
}

void num_ufm_free(num_ufm *m)
{
    if (!m)
        return;
    free(m->theta);
    free(m->grad);
    free(m->vel);
    free(m->Z);
    free(m->dZ);
    free(m);
}

void num_ufm_init(num_ufm *m, gsl_rng *r, double sigma_h, double sigma_w)
{
    if (!m || !r)
        return;
    num_rng_gaussian(r, sigma_h, m->H, m->n * m->p);
    num_rng_gaussian(r, sigma_w, m->W, m->C * m->p);
    memset(m->b, 0, m->C * sizeof *m->b);
    memset(m->vel, 0, (m->n * m->p + m->C * m->p + m->C) * sizeof *m->vel);
    m->ready = 0;
}

static double sumsq(const double *x, size_t k)
{
    double s = cblas_dnrm2((int)k, x, 1);
    return s * s;
}

num_status num_ufm_eval(num_ufm *m, const size_t *y, const num_ufm_opts *o, double *loss,
                        double *objective, double *accuracy)
{
    if (!m || !y || !o || !loss)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !m || !y || !o || !loss");
    size_t n = m->n, p = m->p, C = m->C;
    m->ready = 0;
    for (size_t i = 0; i < n; i++)
        memcpy(m->Z + i * C, m->b, C * sizeof *m->Z);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)C, (int)p, 1.0, m->H,
                (int)p, m->W, (int)p, 1.0, m->Z, (int)C);
    num_status st = num_cls_loss_eval(o->loss, n, C, m->Z, y, loss, m->dZ);
    if (st != NUM_OK)
        return st;
    if (objective)
        *objective = *loss + 0.5 * o->lambda_w * sumsq(m->W, C * p) +
                     0.5 * o->lambda_h * sumsq(m->H, n * p) + 0.5 * o->lambda_b * sumsq(m->b, C);
    if (accuracy) {
        size_t ok = 0;
        for (size_t i = 0; i < n; i++) {
            const double *z = m->Z + i * C;
            size_t best = 0;
            for (size_t c = 1; c < C; c++)
                if (z[c] > z[best])
                    best = c;
            ok += best == y[i];
        }
        *accuracy = (double)ok / (double)n;
    }
    m->ready = 1;
    return NUM_OK;
}

num_status num_ufm_update(num_ufm *m, const num_ufm_opts *o, double *gnorm)
{
    if (!m || !o || !m->ready || !(o->lr > 0.0) || !(o->lr_h >= 0.0) || o->momentum < 0.0 ||
        o->momentum >= 1.0 || o->lambda_w < 0.0 || o->lambda_h < 0.0 || o->lambda_b < 0.0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed");
    m->ready = 0;
    size_t n = m->n, p = m->p, C = m->C, P = n * p + C * p + C;
    double *gH = m->grad, *gW = gH + n * p, *gb = gW + C * p;
    /* dF/dW = dZ^T H + lambda_W W */
    memcpy(gW, m->W, C * p * sizeof *gW);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)C, (int)p, (int)n, 1.0, m->dZ,
                (int)C, m->H, (int)p, o->lambda_w, gW, (int)p);
    /* dF/dH = dZ W + lambda_H H */
    memcpy(gH, m->H, n * p * sizeof *gH);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)p, (int)C, 1.0, m->dZ,
                (int)C, m->W, (int)p, o->lambda_h, gH, (int)p);
    /* dF/db = dZ^T 1 + lambda_b b */
    if (o->bias) {
        for (size_t c = 0; c < C; c++)
            gb[c] = o->lambda_b * m->b[c];
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < C; c++)
                gb[c] += m->dZ[i * C + c];
    } else {
        memset(gb, 0, C * sizeof *gb);
    }
    double g = cblas_dnrm2((int)P, m->grad, 1);
    if (!isfinite(g))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(g)");
    if (gnorm)
        *gnorm = g;
    double *step = m->grad;
    if (o->momentum > 0.0) {
        cblas_dscal((int)P, o->momentum, m->vel, 1);
        cblas_daxpy((int)P, 1.0, m->grad, 1, m->vel, 1);
        step = m->vel;
    }
    cblas_daxpy((int)(n * p), -o->lr_h, step, 1, m->H, 1);
    cblas_daxpy((int)(C * p + C), -o->lr, step + n * p, 1, m->W, 1);
    return NUM_OK;
}
