/* numerics/mlp_quad.c — binary128 Jacobian of an MLP and the spectrum of J^T J (see the header). */
#include "numerics/mlp_quad.h"

#include <stdlib.h>
#include <string.h>

/* Activation value and derivative in binary128. tanh z = s (1 - e) / (1 + e), e = exp(-2|z|);
 * sigmoid z = 1 / (1 + exp(-z)) for z >= 0 and e / (1 + e), e = exp(z), below: no cancellation
 * and no overflow on either side. */
static int act_quad(num_act a, num_quad z, num_quad *f, num_quad *df)
{
    num_quad az = z < 0 ? -z : z, e;
    switch (a) {
    case NUM_ACT_LINEAR:
        *f = z;
        *df = 1;
        return 0;
    case NUM_ACT_RELU:
        *f = z > 0 ? z : 0;
        *df = z > 0 ? 1 : 0;
        return 0;
    case NUM_ACT_TANH:
        e = num_quad_exp_neg(2 * az);
        *f = (1 - e) / (1 + e);
        if (z < 0)
            *f = -*f;
        *df = 1 - *f * *f;
        return 0;
    case NUM_ACT_SIGMOID:
        e = num_quad_exp_neg(az);
        *f = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        *df = *f * (1 - *f);
        return 0;
    default:
        return -1;
    }
}

typedef struct {
    num_quad *h;  /* sum_k w_k: activations h_0 .. h_K of one sample, layer k at off[k] */
    num_quad *dh; /* act'(z_k) for hidden layers, same layout */
    num_quad *delta, *next; /* max width: the backward vectors */
    size_t *off;
} quad_work;

/* Forward pass of one sample: h_0 = x, h_k = act(W_k h_{k-1} + b_k), the output linear. */
static num_status forward(const num_mlp *net, const double *theta, const double *x,
                          quad_work *w)
{
    size_t K = net->nlayers;
    for (size_t j = 0; j < net->widths[0]; j++)
        w->h[j] = x[j];
    for (size_t k = 0; k < K; k++) {
        size_t in = net->widths[k], out = net->widths[k + 1];
        const double *W = theta + net->off_w[k];
        num_quad *hi = w->h + w->off[k], *ho = w->h + w->off[k + 1], *d = w->dh + w->off[k + 1];
        for (size_t a = 0; a < out; a++) {
            num_quad z = net->bias ? (num_quad)theta[net->off_b[k] + a] : 0;
            for (size_t b = 0; b < in; b++)
                z += (num_quad)W[a * in + b] * hi[b];
            if (k + 1 == K) {
                ho[a] = z;
                d[a] = 1;
            } else if (act_quad(net->act, z, ho + a, d + a) != 0) {
                return NUM_ERROR(NUM_EINVAL, "activation not available in binary128");
            }
        }
    }
    return NUM_OK;
}

/* Row of J for output j of the sample in w (after forward): backpropagation of e_j. */
static void backward_row(const num_mlp *net, const double *theta, quad_work *w, size_t j,
                         num_quad *row)
{
    size_t K = net->nlayers, wK = net->widths[K];
    for (size_t a = 0; a < wK; a++)
        w->delta[a] = a == j ? 1 : 0;
    for (size_t k = K; k-- > 0;) {
        size_t in = net->widths[k], out = net->widths[k + 1];
        const double *W = theta + net->off_w[k];
        const num_quad *hi = w->h + w->off[k];
        for (size_t a = 0; a < out; a++) {
            for (size_t b = 0; b < in; b++)
                row[net->off_w[k] + a * in + b] = w->delta[a] * hi[b];
            if (net->bias)
                row[net->off_b[k] + a] = w->delta[a];
        }
        if (k == 0)
            break;
        const num_quad *d = w->dh + w->off[k];
        for (size_t b = 0; b < in; b++) {
            num_quad s = 0;
            for (size_t a = 0; a < out; a++)
                s += (num_quad)W[a * in + b] * w->delta[a];
            w->next[b] = s * d[b];
        }
        memcpy(w->delta, w->next, in * sizeof *w->delta);
    }
}

static void work_free(quad_work *w)
{
    free(w->h);
    free(w->dh);
    free(w->delta);
    free(w->next);
    free(w->off);
}

static int work_alloc(const num_mlp *net, quad_work *w)
{
    size_t K = net->nlayers, tot = 0, wmax = 0;
    w->off = malloc((K + 1) * sizeof *w->off);
    for (size_t k = 0; w->off && k <= K; k++) {
        w->off[k] = tot;
        tot += net->widths[k];
        wmax = net->widths[k] > wmax ? net->widths[k] : wmax;
    }
    w->h = calloc(tot, sizeof *w->h);
    w->dh = calloc(tot, sizeof *w->dh);
    w->delta = calloc(wmax, sizeof *w->delta);
    w->next = calloc(wmax, sizeof *w->next);
    return w->off && w->h && w->dh && w->delta && w->next ? 0 : -1;
}

num_status num_mlp_jacobian_quad(const num_mlp *net, const double *theta, const double *X,
                                 size_t n, num_quad *J)
{
    if (n == 0)
        return NUM_ERROR(NUM_EINVAL, "n must be >= 1");
    quad_work w = {0};
    if (work_alloc(net, &w) != 0) {
        work_free(&w);
        return NUM_ERROR(NUM_ENOMEM, "binary128 Jacobian workspace");
    }
    size_t d = net->widths[0], wK = net->widths[net->nlayers], P = net->nparams;
    num_status st = NUM_OK;
    for (size_t i = 0; i < n && st == NUM_OK; i++) {
        st = forward(net, theta, X + i * d, &w);
        for (size_t j = 0; j < wK && st == NUM_OK; j++) {
            num_quad *row = J + (i * wK + j) * P;
            memset(row, 0, P * sizeof *row);
            backward_row(net, theta, &w, j, row);
        }
    }
    work_free(&w);
    return st;
}

num_status num_mlp_gram_eigs_quad(const num_mlp *net, const double *theta, const double *X,
                                  size_t n, num_quad *evals)
{
    size_t m = n * net->widths[net->nlayers], P = net->nparams;
    num_quad *J = malloc(m * P * sizeof *J), *G = calloc(P * P, sizeof *G);
    if (!J || !G) {
        free(J);
        free(G);
        return NUM_ERROR(NUM_ENOMEM, "binary128 Gram matrix");
    }
    num_status st = num_mlp_jacobian_quad(net, theta, X, n, J);
    for (size_t r = 0; r < m && st == NUM_OK; r++) {
        const num_quad *row = J + r * P;
        for (size_t a = 0; a < P; a++)
            for (size_t b = 0; b <= a; b++)
                G[a * P + b] += row[a] * row[b];
    }
    for (size_t a = 0; a < P; a++)
        for (size_t b = 0; b < a; b++)
            G[b * P + a] = G[a * P + b];
    if (st == NUM_OK)
        st = num_quad_eigh(P, G, evals);
    free(J);
    free(G);
    return st;
}
