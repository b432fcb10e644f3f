/* theorems/min_norm/min_norm.h — family G (CLAIMS.md G; 003 §4 first bullet, §11.1 eqs.
 * (13)–(14)): gradient descent on the square loss of a linear model with d > n keeps the
 * null-space component of its start, so it reaches the minimum-norm (pseudoinverse) solution
 * from w0 = 0 and X^+ y + (I - P_row) w0 from w0. Private to the family.
 *
 * Decision constants (every bound is derived where it is set, in minnorm.c):
 * - the rank of X is the number of singular values above c max(n, d) eps s_1 (c = tol_factor),
 *   and it must be the same at c/100 and 100c: a rank read off across a spectral gap;
 * - rounding in GD's updates accumulates as a random walk in the null space (nothing contracts
 *   it there): MN_LAMBDA below is the width of the probabilistic rounding model. */
#ifndef TC_THEOREMS_MIN_NORM_H
#define TC_THEOREMS_MIN_NORM_H

#include "theorems/claim.h"
#include "theorems/result.h"

/* Higham & Mary, "A new approach to probabilistic rounding error analysis", SIAM J. Sci.
 * Comput. 41(5) (2019), Thm 2.4: an inner product of length m has relative error at most
 * lambda sqrt(m) u with probability >= 1 - 2m exp(-lambda^2 (1-u)^2 / 2); independent per-step
 * errors add up like a random walk, sqrt(K) after K steps. lambda = 6: exp(-18) = 1.5e-8 per
 * inner product, so even 1e5 steps x 1e3 products keep the bound with probability > 0.99 —
 * and the bound is checked, not tuned: measured drifts sit 10-100x below it. */
#define MN_LAMBDA 6.0

/* The ratio by which the rank tolerance is moved both ways to show a gap (the count must not
 * change between c/MN_GAP and c*MN_GAP). */
#define MN_GAP 100.0

extern const tc_claim mn_claim_min_norm;
extern const tc_claim mn_claim_any_init;

#endif
