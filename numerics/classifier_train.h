/* numerics/classifier_train.h — full-batch gradient descent of an MLP classifier.
 *
 * Objective (num_mlp network f_theta with C outputs = logits, labels y_i in 0..C-1):
 *   F(theta) = L(f_theta(X), y) + (lambda / 2) ||theta||^2 ,
 * L the mean softmax cross-entropy or the mean squared error to one-hot targets
 * (numerics/losses.h), the weight decay lambda applied to every parameter (weights and
 * biases, as PyTorch's SGD weight_decay in the experiments of Papyan, Han and Donoho 2020).
 * Update (heavy ball in PyTorch's form; momentum 0 is plain GD):
 *   g = grad F(theta),  v <- mu v + g,  theta <- theta - eta v .
 * Layers 1 .. first_trained are frozen when first_trained > 0 (their gradient and velocity are
 * zero): with first_trained = K - 1 only the classifier is trained on fixed random features.
 *
 * One step = one forward pass (dgemm per layer), the loss, one backward pass (two dgemm per
 * layer). Nothing allocates after num_ctrain_alloc.
 */
#ifndef NUM_CLASSIFIER_TRAIN_H
#define NUM_CLASSIFIER_TRAIN_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/mlp.h"
#include "numerics/num.h"

typedef enum { NUM_CLS_CE = 0, NUM_CLS_MSE = 1 } num_cls_loss;

/* Apply a loss to logits Z (n x C): mean loss and dL/dZ (may be NULL). */
num_status num_cls_loss_eval(num_cls_loss loss, size_t n, size_t C, const double *Z,
                             const size_t *y, double *value, double *dZ);

typedef struct {
    num_cls_loss loss;
    double lr;            /* step size eta > 0 */
    double momentum;      /* mu in [0, 1) */
    double weight_decay;  /* lambda >= 0 */
    size_t first_trained; /* 0 = train all layers; k = freeze layers 1..k */
} num_ctrain_opts;

typedef struct num_ctrain num_ctrain;

/* Trainer for `net` on batches of up to n rows (velocity, gradient, logits gradient and the
 * MLP workspace). */
num_ctrain *num_ctrain_alloc(const num_mlp *net, size_t n);
void num_ctrain_free(num_ctrain *t);

/* The MLP workspace: after num_ctrain_eval it holds the activations of theta (features of the
 * last hidden layer: num_mlp_act(work, K - 1); logits: num_mlp_act(work, K)). */
num_mlp_work *num_ctrain_work(num_ctrain *t);

/* Forward pass at theta, data loss L (out), training accuracy (fraction of argmax = label,
 * out, may be NULL) and dL/dZ kept for the next num_ctrain_update. */
num_status num_ctrain_eval(num_ctrain *t, const num_mlp *net, const double *theta,
                           const double *X, const size_t *y, size_t n, const num_ctrain_opts *o,
                           double *loss, double *accuracy);

/* One update of theta (after num_ctrain_eval at the same theta). gnorm (out, may be NULL):
 * ||grad F(theta)||. NUM_ENAN if the gradient is not finite. */
num_status num_ctrain_update(num_ctrain *t, const num_mlp *net, double *theta,
                             const num_ctrain_opts *o, double *gnorm);

/* Reset the momentum buffer to zero. */
void num_ctrain_reset(num_ctrain *t);

/* Floating-point operations of one eval + update (multiply-adds counted as 2): forward
 * 2 n sum_k w_k w_{k-1}, backward 2 n w_k w_{k-1} for every weight gradient and for every
 * propagated delta (layers 2..K). */
double num_ctrain_flops(const num_mlp *net, size_t n);

/* ||grad F(theta)|| after num_ctrain_eval at theta, without a step (the velocity is kept):
 * the full-batch gradient norm of a minibatch-trained network at the end of training. */
num_status num_ctrain_grad_norm(num_ctrain *t, const num_mlp *net, const double *theta,
                                const num_ctrain_opts *o, double *gnorm);

/* Rows idx[0..m) of X (n x d) and their labels into Xb (m x d) and yb (m): a minibatch. */
void num_ctrain_gather(const double *X, const size_t *y, size_t d, const size_t *idx, size_t m,
                       double *Xb, size_t *yb);

/* ---- training data --------------------------------------------------------------------- */

/* z-score every column of X (n x d, row-major) in place: subtract the column mean and divide
 * by the population standard deviation (two passes: mean, then the mean of squared
 * deviations); a constant column becomes 0. Inputs such as pixel counts 0..16 then give a He
 * initialisation its O(1) pre-activations. NUM_EINVAL for n = 0, d = 0 or X NULL. */
num_status num_ctrain_standardize(double *X, size_t n, size_t d);

/* A Gaussian mixture of C classes with `per` samples each in R^d (n = C per): centres
 * mu_c ~ N(0, (sep^2/d) I) are drawn first (C x d, into mu), then the noise N(0, I/d) of all
 * samples (n x d, into X, row-major), and sample i gets label y_i = i mod C and centre
 * mu_{y_i} added. The centres have RMS norm sep, the noise RMS norm 1. */
num_status num_ctrain_mixture(gsl_rng *r, size_t C, size_t per, size_t d, double sep,
                              double *mu, double *X, size_t *y);

#endif /* NUM_CLASSIFIER_TRAIN_H */
