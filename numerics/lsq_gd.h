/* numerics/lsq_gd.h — gradient descent on the square loss of a linear model,
 * L(w) = sum_n (y_n - w^T x_n)^2 = ||y - X w||^2 (003 §11.1 eq. (13)), gradient -2 X^T (y - X w)
 * (eq. (14)). The iterate only moves in the row space of X (the span of the examples): the
 * component of w in the null space of X is invariant, so GD from 0 tends to the minimum-norm
 * solution X^+ y and from w0 to X^+ y + (I - P_row) w0. Everything through CBLAS (dgemv).
 */
#ifndef NUM_LSQ_GD_H
#define NUM_LSQ_GD_H

#include <stddef.h>

#include "numerics/num.h"

typedef struct {
    size_t n, d;
    double *r; /* n: the residual y - X w */
    double *g; /* d: X^T r */
} num_lsq_gd_work;

num_lsq_gd_work *num_lsq_gd_work_alloc(size_t n, size_t d);
void num_lsq_gd_work_free(num_lsq_gd_work *w);

/* What a run of steps saw: the size of the last gradient and the largest iterate and residual
 * norms met (the rounding bounds of the claims scale with them). */
typedef struct {
    double grad_norm; /* ||X^T (y - X w)|| after the last step */
    double w_max;     /* max over the steps of ||w|| (including the start) */
    double r_max;     /* max over the steps of ||y - X w|| (including the start) */
} num_lsq_gd_stats;

/* `steps` GD steps w <- w + 2 eta X^T (y - X w) on X (n x d, row-major), y (n), in place.
 * NUM_EINVAL for bad sizes or eta <= 0, NUM_ENAN if an iterate stops being finite. */
num_status num_lsq_gd_steps(const double *X, const double *y, size_t n, size_t d, double eta,
                            size_t steps, double *w, num_lsq_gd_work *work,
                            num_lsq_gd_stats *stats);

#endif
