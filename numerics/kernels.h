/* numerics/kernels.h — closed-form expectations over Gaussian weights (infinite-width kernels).
 *
 * For w ~ N(0, sigma2 I):
 *   ReLU: E[relu(w.x) relu(w.y)] = sigma2 |x| |y| (sin t + (pi - t) cos t) / (2 pi),
 *         t = angle(x, y)  (arc-cosine kernel of order 1, Cho & Saul 2009, eq. (6)).
 *   erf:  E[erf(w.x) erf(w.y)] = (2/pi) asin(2 sigma2 x.y / sqrt((1 + 2 sigma2 |x|^2)
 *         (1 + 2 sigma2 |y|^2)))  (Williams 1997, "Computing with infinite networks", eq. (11)).
 * The angle is computed from a clamped cosine so rounding never leaves [0, pi].
 */
#ifndef NUM_KERNELS_H
#define NUM_KERNELS_H

#include <stddef.h>

/* Angle between x and y in [0, pi], from the clamped cosine; 0 if either is zero. */
double num_angle(const double *x, const double *y, size_t d);

/* arccos(clamp(c, -1, 1)). */
double num_acos_clamped(double c);

/* The normalised arc-cosine law: cosine of the output angle of a random ReLU layer for input
 * angle theta in [0, pi]: (sin theta + (pi - theta) cos theta) / pi. */
double num_relu_cos_law(double theta);

/* psi(theta) = (sin theta - theta cos theta) / pi, from the distance law of 001 §V-A. */
double num_relu_psi(double theta);

/* E[relu(w.x) relu(w.y)], w ~ N(0, sigma2 I_d). */
double num_kernel_relu(const double *x, const double *y, size_t d, double sigma2);

/* E[erf(w.x) erf(w.y)], w ~ N(0, sigma2 I_d). */
double num_kernel_erf(const double *x, const double *y, size_t d, double sigma2);

#endif /* NUM_KERNELS_H */
