/* numerics/sgd_ball.h — projected stochastic gradient descent on the unit ball B_1(0) of R^p
 * (004 "Stochastic Gradient Descent", the theorem of Nemirovski, Juditsky, Lan & Shapiro 2009),
 * on one explicit family of objectives whose minimiser over the ball is known in closed form:
 *
 *   r(theta) = -b theta_1 + (a/2) ||theta||^2 + (h/2) (1 - cos(2 pi m theta_1)),
 *
 * with b >= a >= 0, h >= 0 and m >= 1 an integer. For h = 0 it is convex: a least-squares
 * objective (a/2) ||theta - c||^2 + const with c = (b/a) e_1 outside the ball (a > 0), or the
 * linear function -b theta_1 (a = 0, the worst case of the 1/sqrt(K) bound). For h > 0 the
 * ripple makes it non-convex, with spurious local minima along e_1 as soon as pi m h > b - a.
 * In every case theta* = e_1 and r* = -b + a/2 on the ball: -b t + (a/2) t^2 is non-increasing
 * on [-1, 1] (b >= a), ||theta||^2 >= theta_1^2 enters with a >= 0, the ripple is >= 0 and
 * vanishes at theta_1 = 1 (m integer).
 *
 * The stochastic gradient is D = grad r(theta) + s u with u uniform on the unit sphere S^{p-1}
 * (num_rng_unit_vector), drawn independently at every step: E[D | theta] = grad r(theta), and
 * ||D|| <= ||grad r(theta)|| + s <= L + s on the ball, where L = b + a + pi m h bounds the
 * gradient norm there (triangle inequality, |sin| <= 1). The kernel refuses L + s > 1, so
 * ||D|| <= 1 holds almost surely by construction (up to one rounding of a number of order 1;
 * the run reports the largest ||D|| it met).
 *
 * The projection: the slides state SGD without one, but r is only defined on B_1(0) and the
 * unprojected iterates reach ||Theta^(k)|| = k / sqrt(K) > 1; NJLS 2009 (robust SA, §2.3)
 * project onto the feasible set. Here Pi(v) = v / max(1, ||v||), the Euclidean projection
 * onto the ball.
 */
#ifndef NUM_SGD_BALL_H
#define NUM_SGD_BALL_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/num.h"

typedef struct {
    size_t p;     /* dimension >= 1 */
    double b;     /* tilt along e_1, b >= a */
    double a;     /* curvature (least squares), >= 0 */
    double h;     /* ripple height, >= 0 (0: convex) */
    double m;     /* ripples per unit length along e_1, a positive integer */
    double noise; /* s: radius of the gradient noise, >= 0 */
} num_sgd_problem;

/* What one run measured. */
typedef struct {
    double excess_avg;  /* r(mean of Theta^(1..K)) - r*: the slides' averaged iterate */
    double excess_last; /* r(Theta^(K)) - r* */
    double dnorm_max;   /* the largest ||D^(k)|| drawn */
} num_sgd_out;

/* NUM_OK if the problem is well formed and ||D|| <= 1 a.s. (L + s <= 1), else NUM_EINVAL. */
num_status num_sgd_ball_check(const num_sgd_problem *pb);

/* L = b + a + pi m h: a bound on ||grad r|| over the ball. */
double num_sgd_ball_lipschitz(const num_sgd_problem *pb);

/* r(theta) - r* for theta in the ball (theta has p entries). */
double num_sgd_ball_excess(const num_sgd_problem *pb, const double *theta);

/* g = grad r(theta) (p entries): a theta - b e_1 + pi m h sin(2 pi m theta_1) e_1. */
void num_sgd_ball_gradient(const num_sgd_problem *pb, const double *theta, double *g);

/* An almost-sure upper bound M on the excess of any iterate and of their averages:
 * if b >= a + s + pi m h, the e_1 component of grad r + s u is <= -(b - a - s - pi m h) <= 0
 * on the ball, so every step increases theta_1 and the projection (a positive scaling) keeps
 * its sign: theta_1 >= 0 for all iterates from Theta^(0) = 0 and for their means, and then
 * r - r* = b (1 - theta_1) - (a/2)(1 - ||theta||^2) + ripple <= b + h. Otherwise the range
 * over the whole ball: -b theta_1 <= b, ripple <= h, so M = 2b + h. */
double num_sgd_ball_excess_range(const num_sgd_problem *pb);

/* Doubles of workspace a run needs: 3p. */
size_t num_sgd_ball_work_size(size_t p);

/* K >= 1 steps of projected SGD from Theta^(0) = 0 with the constant step eta > 0:
 * Theta^(k) = Pi(Theta^(k-1) - eta D^(k)). work: num_sgd_ball_work_size(p) doubles.
 * NUM_EINVAL for a bad problem, K = 0 or eta <= 0; NUM_ENAN if an iterate is not finite. */
num_status num_sgd_ball_run(const num_sgd_problem *pb, size_t K, double eta, gsl_rng *r,
                            double *work, num_sgd_out *out);

/* Maurer & Pontil, "Empirical Bernstein bounds and sample variance penalization" (COLT 2009),
 * Theorem 4, scaled from [0, 1] to [0, M]: for n >= 2 i.i.d. X_i in [0, M] with sample mean
 * xbar and unbiased sample variance v, with probability >= 1 - delta
 *   E X <= xbar + sqrt(2 v ln(2/delta) / n) + 7 M ln(2/delta) / (3 (n - 1)).
 * Applied to M - X it gives the same width below. Returns that half-width (NaN for n < 2). */
double num_sgd_ebernstein(double var, size_t n, double M, double delta);

#endif /* NUM_SGD_BALL_H */
