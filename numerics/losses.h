/* numerics/losses.h — training losses of linear predictors and of logits, with gradients.
 *
 * Margin losses (binary labels y_n = +-1, margins z_n = y_n w^T x_n, X is n x d row-major):
 *   exponential  l(z) = exp(-z)                 -l'(z) = exp(-z)           l''(z) = exp(-z)
 *   logistic     l(z) = log(1 + exp(-z))        -l'(z) = 1 / (1 + exp(z))  l''(z) = s(z) s(-z)
 *                       = softplus(-z)                 = exp(-softplus(z))  (s = sigmoid)
 * L(w) = sum_n l(z_n),  grad L(w) = sum_n l'(z_n) y_n x_n.
 * The loss is returned as log L, computed by log-sum-exp over log l(z_n), so it is finite for
 * every finite w (at ||w|| = 1e6 L itself under- or overflows; log L does not). The gradient
 * is returned both as is (it can overflow when L does) and normalised, grad L / L, which is
 * always finite because 0 < -l'(z) <= l(z) for both losses (for the logistic loss,
 * v/(1+v) <= log(1+v) for v = exp(-z) > 0).
 *
 * Square loss (003 §11.1 eq. (13)): L(w) = sum_n (y_n - w^T x_n)^2, grad L = -2 X^T (y - X w).
 *
 * Multiclass losses on logits Z (n x C row-major) with integer labels 0..C-1:
 *   softmax cross-entropy  L = (1/n) sum_n [logsumexp(Z_n) - Z_{n,y_n}],
 *                          dL/dZ = (softmax(Z) - onehot(y)) / n;
 *   mean squared error     L = (1/(2n)) sum_n ||Z_n - e_{y_n}||^2,  dL/dZ = (Z - onehot) / n
 *                          (the convention of Han, Papyan & Donoho 2022, "Neural collapse under
 *                          MSE loss", eq. (2), without weight decay).
 *
 * No allocation except where a function says so; `work` arguments have the stated length.
 */
#ifndef NUM_LOSSES_H
#define NUM_LOSSES_H

#include <stddef.h>

#include "numerics/num.h"

/* The loss kinds. NUM_LOSS_SQUARE is not a margin loss: only the flow and gradient-descent
 * drivers (flow.h, gd.h) accept it; num_loss_margin* return NUM_EINVAL for it. */
typedef enum { NUM_LOSS_EXP = 0, NUM_LOSS_LOGISTIC = 1, NUM_LOSS_SQUARE = 2 } num_margin_loss;

/* log(sum_i exp(a_i)), shifted by the maximum so it neither overflows nor underflows;
 * -inf for n == 0 or when every a_i is -inf. */
double num_logsumexp(size_t n, const double *a);

/* softplus(x) = log(1 + exp(x)), accurate and overflow-free for every finite x. */
double num_softplus(double x);

/* log l(z) for the margin loss (finite for finite z). */
double num_loss_log_ell(num_margin_loss loss, double z);

/* log(-l'(z)): the log of the weight of sample n in the negative gradient. */
double num_loss_log_neg_dell(num_margin_loss loss, double z);

/* l''(z) (may underflow to 0; never overflows for z >= -700). */
double num_loss_d2ell(num_margin_loss loss, double z);

/* z_n = y_n w^T x_n (one cblas_dgemv). z has n entries. */
num_status num_loss_margins(size_t n, size_t d, const double *X, const double *y,
                            const double *w, double *z);

/* Margin loss at w.
 *   logL  out (may be NULL): log L(w)
 *   grad  out (may be NULL): grad L(w), d entries; NUM_ENAN if it overflows (use ngrad)
 *   ngrad out (may be NULL): grad L(w) / L(w), d entries, always finite
 *   work  scratch of n doubles (on return: the margins z_n)
 * Returns NUM_EINVAL (bad argument), NUM_ENAN (non-finite input or overflowing grad). */
num_status num_loss_margin(num_margin_loss loss, size_t n, size_t d, const double *X,
                           const double *y, const double *w, double *logL, double *grad,
                           double *ngrad, double *work);

/* Hessian of the margin loss, H = sum_n l''(z_n) x_n x_n^T (d x d, full symmetric).
 * Allocates n*d + n doubles of scratch. */
num_status num_loss_margin_hessian(num_margin_loss loss, size_t n, size_t d, const double *X,
                                   const double *y, const double *w, double *H);

/* Square loss at w. L, grad may be NULL. work: n doubles (on return: residuals y - X w). */
num_status num_loss_square(size_t n, size_t d, const double *X, const double *y,
                           const double *w, double *L, double *grad, double *work);

/* Mean softmax cross-entropy of logits Z (n x C) and its gradient dZ (n x C, may be NULL).
 * labels[n] in 0..C-1 (NUM_EINVAL otherwise). C >= 2. */
num_status num_loss_softmax_xent(size_t n, size_t C, const double *Z, const size_t *labels,
                                 double *loss, double *dZ);

/* Mean squared error to one-hot targets (see the file comment) and its gradient dZ (may be
 * NULL). */
num_status num_loss_mse_onehot(size_t n, size_t C, const double *Z, const size_t *labels,
                               double *loss, double *dZ);

#endif /* NUM_LOSSES_H */
