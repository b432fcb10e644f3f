/* numerics/ufm.h — the unconstrained-features (layer-peeled) model trained by gradient descent.
 *
 * The last-layer features h_i are free variables beside the classifier (Mixon, Parshall, Pi
 * 2020; Zhu et al. 2021, "A geometric analysis of neural collapse with unconstrained
 * features", NeurIPS, eq. (4)):
 *   F(H, W, b) = L(H W^T + 1 b^T, y) + (lambda_W/2) ||W||_F^2 + (lambda_H/2) ||H||_F^2
 *                + (lambda_b/2) ||b||^2 ,
 * H (n x p, one feature per row), W (C x p), b (C), L the mean cross-entropy or the mean
 * squared error to one-hot targets (numerics/losses.h). For cross-entropy with lambda's > 0
 * and p >= C - 1, every global minimiser is collapsed: h_i = mean of its class, the centred
 * class means and the rows of W form a simplex ETF up to scale, W proportional to the means
 * (Zhu et al. 2021, Theorem 3.1), and every other critical point is a strict saddle
 * (Theorem 3.2), so gradient descent reaches the collapsed configuration. For the MSE loss the
 * same holds for small enough regularisation (Zhou et al. 2022, "On the optimization
 * landscape of neural collapse under MSE loss", ICML, Theorem 3.1).
 *
 * Update (all blocks from the same iterate; heavy ball as in classifier_train.h):
 *   g = grad F,  v <- mu v + g,  (H, W, b) <- (H, W, b) - (eta_H, eta, eta) * v .
 * Gradients through dgemm: with G = dL/dZ (n x C),
 *   dF/dW = G^T H + lambda_W W,  dF/dH = G W + lambda_H H,  dF/db = G^T 1 + lambda_b b.
 * The step for H is a separate option (the mean loss gives each h_i only a 1/n share of the
 * gradient, so eta_H = n eta would move a feature as fast as a one-sample problem); eta_H = 0
 * freezes the features (negative control). The claims use eta_H = eta.
 */
#ifndef NUM_UFM_H
#define NUM_UFM_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/classifier_train.h"
#include "numerics/num.h"

typedef struct {
    num_cls_loss loss;
    double lr;        /* eta > 0, step of W and b */
    double lr_h;      /* eta_H >= 0, step of H (0: features frozen at their initial values) */
    double momentum;  /* mu in [0, 1) */
    double lambda_w, lambda_h, lambda_b; /* >= 0 */
    bool bias;        /* train b (else b stays 0) */
} num_ufm_opts;

typedef struct {
    size_t n, p, C;
    double *theta; /* n p + C p + C parameters: H, then W, then b */
    double *H;     /* view: n x p */
    double *W;     /* view: C x p */
    double *b;     /* view: C */
    double *grad, *vel; /* same layout as theta */
    double *Z, *dZ;     /* n x C logits and dL/dZ */
    int ready;
} num_ufm;

num_ufm *num_ufm_alloc(size_t n, size_t p, size_t C);
void num_ufm_free(num_ufm *m);

/* H entries ~ N(0, sigma_h^2), W entries ~ N(0, sigma_w^2), b = 0, velocity 0. */
void num_ufm_init(num_ufm *m, gsl_rng *r, double sigma_h, double sigma_w);

/* Logits at the current parameters, data loss (out), regularised objective F (out, may be
 * NULL), training accuracy (out, may be NULL); keeps dL/dZ for num_ufm_update. */
num_status num_ufm_eval(num_ufm *m, const size_t *y, const num_ufm_opts *o, double *loss,
                        double *objective, double *accuracy);

/* One step from the parameters of the last num_ufm_eval. gnorm (may be NULL): ||grad F||. */
num_status num_ufm_update(num_ufm *m, const num_ufm_opts *o, double *gnorm);

#endif /* NUM_UFM_H */
