/* numerics/classifier_train.c — full-batch GD of an MLP classifier (see classifier_train.h).
 *
 * Workload: thousands of steps on one allocation; every layer product is a dgemm inside
 * num_mlp_forward / num_mlp_backward; the rest is O(P + n C) vector work.
 */
#include "numerics/classifier_train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/losses.h"
#include "numerics/rng.h"

struct num_ctrain {
    size_t n, C, P;
    num_mlp_work *work;
    double *dZ;   /* n x C: dL/dZ of the last evaluation */
    double *grad; /* P */
    double *vel;  /* P: momentum buffer */
    int ready;    /* 1 after a successful eval */
};

num_status num_cls_loss_eval(num_cls_loss loss, size_t n, size_t C, const double *Z,
                             const size_t *y, double *value, double *dZ)
{
    switch (loss) {
    case NUM_CLS_CE:
        return num_loss_softmax_xent(n, C, Z, y, value, dZ);
    case NUM_CLS_MSE:
        return num_loss_mse_onehot(n, C, Z, y, value, dZ);
    }
    return NUM_ERROR(NUM_EINVAL, "argument check failed");
}

num_ctrain *num_ctrain_alloc(const num_mlp *net, size_t n)
{
    if (!net || n == 0)
        return NULL;
    num_ctrain *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->n = n;
    t->C = net->widths[net->nlayers];
    t->P = net->nparams;
    t->work = num_mlp_work_alloc(net, n);
    t->dZ = malloc(n * t->C * sizeof *t->dZ);
    t->grad = malloc(t->P * sizeof *t->grad);
    t->vel = calloc(t->P, sizeof *t->vel);
    if (!t->work || !t->dZ || !t->grad || !t->vel) {
        num_ctrain_free(t);
        return NULL;
    }
    return t;
}

void num_ctrain_free(num_ctrain *t)
{
    if (!t)
        return;
    num_mlp_work_free(t->work);
    free(t->dZ);
    free(t->grad);
    free(t->vel);
    free(t);
}

num_mlp_work *num_ctrain_work(num_ctrain *t)
{
    return t ? t->work : NULL;
}

void num_ctrain_reset(num_ctrain *t)
{
    if (t)
        memset(t->vel, 0, t->P * sizeof *t->vel);
}

num_status num_ctrain_eval(num_ctrain *t, const num_mlp *net, const double *theta,
                           const double *X, const size_t *y, size_t n, const num_ctrain_opts *o,
                           double *loss, double *accuracy)
{
    if (!t || !net || !theta || !X || !y || !o || !loss || n == 0 || n > t->n ||
        net->nparams != t->P || net->widths[net->nlayers] != t->C)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !t || !net || !theta || !X || !y || "
                                     "!o || !loss || n == 0 || n > t->n || net->nparams != t->P || "
                                     "net->widths[net->nlayers] != t->C");
    t->ready = 0;
    num_status st = num_mlp_forward(net, theta, X, n, t->work, NULL);
    if (st != NUM_OK)
        return st;
    const double *Z = num_mlp_act(t->work, net->nlayers);
    st = num_cls_loss_eval(o->loss, n, t->C, Z, y, loss, t->dZ);
    if (st != NUM_OK)
        return st;
    if (accuracy) {
        size_t ok = 0;
        for (size_t i = 0; i < n; i++) {
            const double *z = Z + i * t->C;
            size_t best = 0;
            for (size_t c = 1; c < t->C; c++)
                if (z[c] > z[best])
                    best = c;
            ok += best == y[i];
        }
        *accuracy = (double)ok / (double)n;
    }
    t->ready = 1;
    return NUM_OK;
}

num_status num_ctrain_update(num_ctrain *t, const num_mlp *net, double *theta,
                             const num_ctrain_opts *o, double *gnorm)
{
    if (!t || !net || !theta || !o || !t->ready || !(o->lr > 0.0) || o->momentum < 0.0 ||
        o->momentum >= 1.0 || o->weight_decay < 0.0 || o->first_trained >= net->nlayers)
        return NUM_ERROR(NUM_EINVAL, "argument check failed");
    t->ready = 0;
    num_status st = num_mlp_backward(net, theta, t->work, t->dZ, t->grad);
    if (st != NUM_OK)
        return st;
    size_t P = t->P;
    if (o->weight_decay > 0.0)
        cblas_daxpy((int)P, o->weight_decay, theta, 1, t->grad, 1);
    /* Frozen layers: parameters [0, off_w[first_trained]) keep their values. */
    size_t start = o->first_trained ? net->off_w[o->first_trained] : 0;
    memset(t->grad, 0, start * sizeof *t->grad);
    double g2 = cblas_dnrm2((int)P, t->grad, 1);
    if (!isfinite(g2))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(g2)");
    if (gnorm)
        *gnorm = g2;
    /* v <- mu v + g ; theta <- theta - eta v */
    if (o->momentum > 0.0) {
        cblas_dscal((int)P, o->momentum, t->vel, 1);
        cblas_daxpy((int)P, 1.0, t->grad, 1, t->vel, 1);
        cblas_daxpy((int)P, -o->lr, t->vel, 1, theta, 1);
    } else {
        cblas_daxpy((int)P, -o->lr, t->grad, 1, theta, 1);
    }
    return NUM_OK;
}

num_status num_ctrain_grad_norm(num_ctrain *t, const num_mlp *net, const double *theta,
                                const num_ctrain_opts *o, double *gnorm)
{
    if (!t || !net || !theta || !o || !gnorm || !t->ready || o->weight_decay < 0.0 ||
        o->first_trained >= net->nlayers)
        return NUM_ERROR(NUM_EINVAL, "argument check failed");
    t->ready = 0;
    num_status st = num_mlp_backward(net, theta, t->work, t->dZ, t->grad);
    if (st != NUM_OK)
        return st;
    if (o->weight_decay > 0.0)
        cblas_daxpy((int)t->P, o->weight_decay, theta, 1, t->grad, 1);
    size_t start = o->first_trained ? net->off_w[o->first_trained] : 0;
    memset(t->grad, 0, start * sizeof *t->grad);
    *gnorm = cblas_dnrm2((int)t->P, t->grad, 1);
    if (!isfinite(*gnorm))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(gnorm)");
    return NUM_OK;
}

void num_ctrain_gather(const double *X, const size_t *y, size_t d, const size_t *idx, size_t m,
                       double *Xb, size_t *yb)
{
    for (size_t i = 0; i < m; i++) {
        memcpy(Xb + i * d, X + idx[i] * d, d * sizeof *Xb);
        yb[i] = y[idx[i]];
    }
}

double num_ctrain_flops(const num_mlp *net, size_t n)
{
    if (!net)
        return 0.0;
    double f = 0.0;
    for (size_t k = 1; k <= net->nlayers; k++) {
        double mk = (double)net->widths[k] * (double)net->widths[k - 1];
        f += 2.0 * (double)n * mk;            /* forward Z_k = H_{k-1} W_k^T */
        f += 2.0 * (double)n * mk;            /* weight gradient D_k^T H_{k-1} */
        if (k > 1)
            f += 2.0 * (double)n * mk;        /* delta D_k W_k */
    }
    return f;
}

/* ---- training data --------------------------------------------------------------------- */

num_status num_ctrain_standardize(double *X, size_t n, size_t d)
{
    if (!X || n == 0 || d == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !X || n == 0 || d == 0");
    for (size_t j = 0; j < d; j++) {
        double mean = 0.0, var = 0.0;
        for (size_t i = 0; i < n; i++)
            mean += X[i * d + j];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++)
            var += (X[i * d + j] - mean) * (X[i * d + j] - mean);
        double sd = sqrt(var / (double)n);
        for (size_t i = 0; i < n; i++)
            X[i * d + j] = sd > 0.0 ? (X[i * d + j] - mean) / sd : 0.0;
    }
    return NUM_OK;
}

num_status num_ctrain_mixture(gsl_rng *r, size_t C, size_t per, size_t d, double sep,
                              double *mu, double *X, size_t *y)
{
    if (!r || !mu || !X || !y || C == 0 || per == 0 || d == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !r || !mu || !X || !y || C == 0 || "
                                     "per == 0 || d == 0");
    size_t n = C * per;
    num_rng_gaussian(r, sep / sqrt((double)d), mu, C * d);
    num_rng_gaussian(r, 1.0 / sqrt((double)d), X, n * d);
    for (size_t i = 0; i < n; i++) {
        y[i] = i % C;
        cblas_daxpy((int)d, 1.0, mu + y[i] * d, 1, X + i * d, 1);
    }
    return NUM_OK;
}
