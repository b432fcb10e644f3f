/* numerics/twolayer.h — the two-layer network of the NTK family and its gradient-descent run.
 *
 * The model of 004 ("Lazy Training" slides, "A Simple Learning Model"):
 *     Phi(x, theta) = sum_{j=1..n} theta2_j rho(<theta1_j, [x; 1]>),
 * stored as a num_mlp with widths (d+1, n, 1), no biases, on the augmented inputs
 * xt = [x; 1] (num_ntk_augment): W_1 = theta1 (n x (d+1)), W_2 = theta2 (1 x n), so the
 * parameter vector is theta = (theta1 row-major, theta2) with P = n (d + 2) entries and
 * layer 1 occupies theta[0 .. n (d+1)). The risk is r(theta) = (1/m) sum_i (Phi(x_i) - y_i)^2.
 *
 * Workload: m up to a few hundred samples, widths up to 2^16, a few thousand GD steps; one
 * forward and one backward pass per step (num_mlp), no allocation inside the step loop.
 */
#ifndef NUM_TWOLAYER_H
#define NUM_TWOLAYER_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/mlp.h"
#include "numerics/num.h"

typedef struct {
    size_t m;            /* samples the workspace holds */
    size_t n;            /* width (hidden neurons) */
    size_t P;            /* parameters, n (d + 2) */
    num_mlp *net;        /* widths (d+1, n, 1), no biases */
    num_mlp_work *w;     /* activations of the m samples */
    double *th, *th0;    /* P: current parameters and the initialisation */
    double *g;           /* P: grad r at th (after num_twolayer_risk_grad) */
    double *e;           /* m: residual Phi(x_i) - y_i */
    double *out, *dout;  /* m: outputs and d r / d out = 2 e / m */
} num_twolayer;

/* A network of width n for m samples of d1 = d + 1 augmented inputs; NULL if an allocation
 * fails (or a size is 0). Free with num_twolayer_free (NULL is allowed). */
num_twolayer *num_twolayer_alloc(size_t m, size_t d1, size_t n, num_act act);
void num_twolayer_free(num_twolayer *t);

/* The slides' initialisation with first-layer standard deviation s1 (1/sqrt(n) as stated, or
 * 1 for the width-independent reading); theta2_j ~ N(0, 1/n) in both. th0 := th. Draws from r
 * in num_mlp_init_gaussian's order. */
void num_twolayer_init(num_twolayer *t, double s1, gsl_rng *r);

/* Forward + backward at t->th on Xt (m x (d+1)) and targets y (m): residual e = Phi - y,
 * risk r = |e|^2 / m, gradient grad r = sum_i (2 e_i / m) grad Phi(x_i) in t->g.
 * Returns NUM_ENAN if the risk or the gradient is not finite. */
num_status num_twolayer_risk_grad(num_twolayer *t, const double *Xt, const double *y,
                                  double *risk);

/* Largest eigenvalue of the full NTK J J^T (m x m, J = d Phi / d theta at the m inputs) at
 * t->th. The Gauss–Newton part of the Hessian of r is (2/m) J^T J, so GD is stable for
 * eta < m / lambda_max(J J^T) in the kernel regime. Allocates J (m x P) and J J^T. */
num_status num_twolayer_ntk_lmax(num_twolayer *t, const double *Xt, double *lmax);

/* One gradient-descent run from a fresh initialisation. */
typedef struct {
    double s1;             /* first-layer standard deviation of the initialisation */
    double eta;            /* step */
    size_t K;              /* step budget */
    double target;         /* stop_at_target: stop at the first r_k <= target r_0 */
    bool stop_at_target;
    double diverge_factor; /* r_k > diverge_factor r_0 (k > 0) abandons the run */
} num_twolayer_gd;

typedef struct {
    size_t K;          /* steps run */
    double r0, rK;     /* risk at start and end */
    double rmax;       /* max_k r_k / r_0 */
    double kappa;      /* -slope of log r_k over k in [K/2, K] (OLS); NaN when stopping at
                        * the target or with fewer than 3 points */
    double c;          /* min_k m ||grad r_k||^2 / (n r_k), the slides' constant */
    double c_half;     /* the same minimum over k <= K/2 only (how much c still fell) */
    double kappa_q3;   /* -slope of log r_k over k in [K/2, 3K/4] and over [3K/4, K] (the */
    double kappa_q4;   /* two halves of kappa's window); NaN as kappa or with < 3 points */
    double move;       /* ||Theta_end - Theta_0|| / ||Theta_0|| */
    double move_max;   /* max over the iterates run of ||Theta_k - Theta_0|| (absolute) */
    size_t k_end;      /* step at which r <= target r0 (or K) */
    bool reached;      /* r <= target r0 within K steps */
    bool diverged;     /* a non-finite risk or gradient after step 0, r_k > diverge_factor r_0,
                        * or r_K > r_0 at the end (the run is abandoned) */
    bool nonfinite;    /* the divergence was a non-finite risk or gradient */
    size_t k_div;      /* step at which the divergence was detected */
} num_twolayer_gd_out;

/* Initialise t with num_twolayer_init(t, gd->s1, r), then run gd->K steps of
 * theta <- theta - eta grad r (or up to the target). curve (may be NULL): nc + 1 samples of
 * r_k / r_0 at k = round(K i / nc). A divergence (o->diverged) returns NUM_OK with the run
 * abandoned; a non-finite value at the initialisation is an error (NUM_ENAN). */
num_status num_twolayer_train(num_twolayer *t, const double *Xt, const double *y, gsl_rng *r,
                              const num_twolayer_gd *gd, double *curve, size_t nc,
                              num_twolayer_gd_out *o);

#endif /* NUM_TWOLAYER_H */
