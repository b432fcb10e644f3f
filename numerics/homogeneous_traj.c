/* numerics/homogeneous_traj.c — recording and fitting network trajectories (see
 * homogeneous_traj.h). */
#include "numerics/homogeneous_traj.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

num_hom_traj *num_hom_traj_alloc(size_t K, size_t P, size_t cap)
{
    if (K == 0 || P == 0 || cap == 0)
        return NULL;
    num_hom_traj *T = calloc(1, sizeof *T);
    if (!T)
        return NULL;
    T->K = K;
    T->P = P;
    T->cap = cap;
    T->s = malloc(5 * cap * sizeof *T->s);
    T->norms = malloc(cap * K * sizeof *T->norms);
    T->V = malloc(cap * P * sizeof *T->V);
    if (!T->s || !T->norms || !T->V) {
        num_hom_traj_free(T);
        return NULL;
    }
    T->log_loss = T->s + cap;
    T->min_margin = T->s + 2 * cap;
    T->prod = T->s + 3 * cap;
    T->gamma = T->s + 4 * cap;
    T->st = NUM_OK;
    return T;
}

void num_hom_traj_free(num_hom_traj *T)
{
    if (!T)
        return;
    free(T->s);
    free(T->norms);
    free(T->V);
    free(T);
}

int num_hom_traj_record(void *arg, double time, const double *theta)
{
    num_hom_traj *T = arg;
    if (T->nck >= T->cap)
        return 1;
    double s = time;
    if (T->gd_time) {
        if (!(time > 0.0))
            return 0; /* t = 0 has no log */
        s = log(time);
    }
    size_t i = T->nck, K = T->K;
    num_hom_obs o;
    num_status st = num_hom_observe(T->pb, theta, T->w, T->norms + i * K, &o);
    if (st != NUM_OK) {
        T->st = st;
        return 1;
    }
    T->s[i] = s;
    T->log_loss[i] = o.log_loss;
    T->min_margin[i] = o.min_margin;
    T->prod[i] = o.prod_norms;
    T->gamma[i] = o.norm_margin;
    double *v = T->V + i * T->P;
    memcpy(v, theta, T->P * sizeof *v);
    for (size_t k = 0; k < K; k++) {
        double *Wk = num_mlp_w(T->pb->net, v, k);
        size_t len = T->pb->net->widths[k] * T->pb->net->widths[k + 1];
        double nk = T->norms[i * K + k];
        if (nk > 0.0)
            cblas_dscal((int)len, 1.0 / nk, Wk, 1);
    }
    T->nck++;
    return 0;
}

size_t num_hom_traj_index(const double *s, size_t n, double target)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (fabs(s[i] - target) < fabs(s[best] - target))
            best = i;
    return best;
}

num_status num_hom_traj_fit(const num_hom_traj *T, double lo, double hi, num_hom_traj_fits *F)
{
    if (!T || !F || T->K > NUM_HOM_TRAJ_MAXK || T->nck == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: no trajectory, K too large or empty");
    size_t n = T->nck, K = T->K;
    double *ls = malloc(3 * n * sizeof *ls);
    if (!ls)
        return NUM_ERROR(NUM_ENOMEM, "fit buffers");
    double *lq = ls + n, *q = ls + 2 * n;
    for (size_t i = 0; i < n; i++) {
        ls[i] = T->s[i] > 0.0 ? log(T->s[i]) : -INFINITY;
        lq[i] = log(T->prod[i]);
        q[i] = -T->log_loss[i] - T->s[i];
    }
    num_status st = num_fit_linear_window(n, ls, lq, T->s, lo, hi, &F->prod_exp);
    if (st == NUM_OK)
        st = num_fit_linear_window(n, T->s, T->prod, T->s, lo, hi, &F->prod_slope);
    if (st == NUM_OK)
        st = num_fit_linear_window(n, ls, q, T->s, lo, hi, &F->loglog);
    F->layer_exp_max = -INFINITY;
    for (size_t k = 0; k < K && st == NUM_OK; k++) {
        for (size_t i = 0; i < n; i++)
            lq[i] = log(T->norms[i * K + k]);
        st = num_fit_linear_window(n, ls, lq, T->s, lo, hi, &F->layer_exp[k]);
        if (F->layer_exp[k].slope > F->layer_exp_max)
            F->layer_exp_max = F->layer_exp[k].slope;
    }
    free(ls);
    size_t a = num_hom_traj_index(T->s, n, lo), b = num_hom_traj_index(T->s, n, hi);
    F->prod_growth = T->prod[b] / T->prod[a] - 1.0;
    return st;
}

double num_hom_traj_layer_move(const num_hom_traj *T, const num_mlp *net, size_t ia, size_t ib)
{
    double worst = 0.0;
    for (size_t k = 0; k < T->K; k++) {
        size_t off = net->off_w[k], len = net->widths[k] * net->widths[k + 1];
        const double *va = T->V + ia * T->P + off, *vb = T->V + ib * T->P + off;
        double s = 0.0;
        for (size_t i = 0; i < len; i++)
            s += (va[i] - vb[i]) * (va[i] - vb[i]);
        if (sqrt(s) > worst)
            worst = sqrt(s);
    }
    return worst;
}
