/* theorems/sgd_rate/sgd_rate.h — family K (CLAIMS.md K; 004 "Stochastic Gradient Descent
 * (Continued)", Theorem of Nemirovski, Juditsky, Lan & Shapiro 2009 as on the slides): for r
 * convex and differentiable on the unit ball, Theta^(0) = 0, eta_k = K^(-1/2) and ||D^(k)|| <= 1
 * a.s., the averaged iterate satisfies E[r(mean Theta)] - r(theta*) <= 1/sqrt(K). Private to the
 * family.
 *
 * Decision constants (derived where they are used, in rate.c):
 * - SGD_ALPHA: the family-wise level of the one-sided bounds. The expectation at each of the nK
 *   budgets K is bounded above and below by an empirical Bernstein bound at level SGD_ALPHA/nK
 *   (Bonferroni), so all nK upper (or lower) bounds hold together with probability >= 0.95;
 * - the rate exponent's threshold -1/2 + 1/(2 (sqrt(K_min) - 1)) allows the finite-K transient
 *   (rate.c, rate_threshold), and its significance is judged at the one-sided level SGD_ALPHA. */
#ifndef TC_THEOREMS_SGD_RATE_H
#define TC_THEOREMS_SGD_RATE_H

#include "theorems/claim.h"
#include "theorems/result.h"

#define SGD_ALPHA 0.05

extern const tc_claim sgd_claim_rate;
extern const tc_claim sgd_claim_last_iterate;
extern const tc_claim sgd_claim_nonconvex;

#endif
