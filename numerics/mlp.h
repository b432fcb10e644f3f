/* numerics/mlp.h — fully connected networks: batched forward, backward, Jacobian.
 *
 * A network has K = nlayers weight layers and widths w_0 (input) .. w_K (output):
 *   H_0 = X (n x w_0),  Z_k = H_{k-1} W_k^T + 1 b_k^T,  H_k = act(Z_k) (k < K),  H_K = Z_K.
 * Row-major throughout: W_k is w_k x w_{k-1}, a batch is n rows. Every product goes through
 * one CBLAS dgemm per layer. The parameters live in one flat vector theta (layer 1 first; in
 * each layer W_k row-major, then b_k if `bias`), so optimisers, Jacobians and Hessians see one
 * vector of length P and per-layer views are pointers into it.
 *
 * Workload: training loops call forward/backward thousands of times on one allocation of the
 * workspace; nothing here allocates after num_mlp_work_alloc.
 */
#ifndef NUM_MLP_H
#define NUM_MLP_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/num.h"

typedef enum {
    NUM_ACT_LINEAR = 0,
    NUM_ACT_RELU,
    NUM_ACT_TANH,
    NUM_ACT_ERF,
    NUM_ACT_SOFTPLUS,
    NUM_ACT_SIGMOID,
    NUM_ACT_SMOOTH_RELU /* x / (1 + exp(-x / eps^2)), 003 §12.3; eps = act_eps */
} num_act;

/* Parse "relu", "linear", ... (NULL-safe); returns -1 for an unknown name. */
int num_act_parse(const char *name);
const char *num_act_name(num_act a);

/* f, f', f'' of the activation at z (any of the pointers may be NULL). ReLU uses f'(0) = 0,
 * f''= 0. Evaluated without overflow for any finite z. */
void num_act_eval(num_act a, double eps, double z, double *f, double *df, double *d2f);

/* True for positively homogeneous activations of degree 1 (linear, ReLU). */
bool num_act_homogeneous(num_act a);

typedef struct {
    size_t nlayers;   /* K >= 1 */
    size_t *widths;   /* K + 1 entries */
    bool bias;
    num_act act;      /* hidden activation; the output layer is linear */
    double act_eps;   /* NUM_ACT_SMOOTH_RELU parameter (default 0.1) */
    size_t nparams;   /* P */
    size_t *off_w;    /* K entries: offset of W_k in theta */
    size_t *off_b;    /* K entries: offset of b_k (== off_w + w_k w_{k-1}) if bias */
} num_mlp;

num_mlp *num_mlp_alloc(size_t nlayers, const size_t *widths, bool bias, num_act act);
void num_mlp_free(num_mlp *net);

/* Layer views (k = 0 .. K-1 for layers 1 .. K). */
double *num_mlp_w(const num_mlp *net, double *theta, size_t k);
double *num_mlp_b(const num_mlp *net, double *theta, size_t k); /* NULL without bias */

/* Gaussian initialisation: W_k entries ~ N(0, sigma_k^2) with sigma_k = layer_sigma[k], or
 * 1/sqrt(w_{k-1}) when layer_sigma is NULL; biases 0. */
void num_mlp_init_gaussian(const num_mlp *net, double *theta, gsl_rng *r,
                           const double *layer_sigma);

/* Frobenius norm of each W_k (biases excluded), norms[0..K). */
void num_mlp_layer_norms(const num_mlp *net, const double *theta, double *norms);

typedef struct num_mlp_work num_mlp_work; /* activations of a batch of at most n rows */

num_mlp_work *num_mlp_work_alloc(const num_mlp *net, size_t n);
void num_mlp_work_free(num_mlp_work *w);

/* Forward pass of n <= capacity rows of X (n x w_0); out (n x w_K) may be NULL, the output is
 * also kept in the workspace. Returns NUM_ENAN if a non-finite value appears. */
num_status num_mlp_forward(const num_mlp *net, const double *theta, const double *X, size_t n,
                           num_mlp_work *w, double *out);

/* After a forward pass: grad (P) = sum over rows of (dL/dout)^T d out / d theta, where dout is
 * n x w_K. grad is overwritten. */
num_status num_mlp_backward(const num_mlp *net, const double *theta, num_mlp_work *w,
                            const double *dout, double *grad);

/* After a forward pass: the Jacobian of all outputs w.r.t. theta, (n w_K) x P row-major,
 * row i*w_K + j = d out_ij / d theta. */
num_status num_mlp_jacobian(const num_mlp *net, const double *theta, num_mlp_work *w,
                            double *J);

/* After a forward pass: pre-activation Z_k and post-activation H_k of layer k (1-based,
 * k = 1..K; H_0 is the input), n x w_k row-major. */
const double *num_mlp_preact(const num_mlp_work *w, size_t k);
const double *num_mlp_act(const num_mlp_work *w, size_t k);

#endif /* NUM_MLP_H */
