/* theorems/misclassification_span/misclass_span.h — family O (CLAIMS.md O, issue #14; 003 §14
 * remark "Non separable case", eqs. (61)-(63)): the exponential loss of a linear model on data
 * that are not separable has a finite minimiser w* (a hyperbolic equilibrium of (61)), and
 * "misclassification errors do not regularize all components of w but only the ones in the
 * span of the misclassified examples". Private to the family.
 *
 * Decision constants (each derived where it is used, in span.c):
 * - a minimiser is found when ||grad L|| / L is at or below its rounding floor
 *   (num_misclass_grad_floor) — then f = log L is at a stationary point to working precision;
 * - its distance to the exact minimiser is bounded a posteriori (num_misclass_dist_bound);
 * - ranks (of the Hessian: hyperbolicity; of the misclassified examples: their span) are read
 *   across a spectral gap: the same at tolerance factors c / MS_GAP, c, c * MS_GAP;
 * - an example counts as misclassified only if its margin z_n.w* is farther from 0 than its
 *   error bound. */
#ifndef TC_THEOREMS_MISCLASS_SPAN_H
#define TC_THEOREMS_MISCLASS_SPAN_H

#include "theorems/claim.h"
#include "theorems/result.h"

/* Synthetic draws tried before a claim on non-separable data gives up (skip). With the quick
 * defaults about one draw in ten is separable, so 20 draws all separable has probability
 * ~1e-20; with flips = 0 every draw is (the teacher separates them). */
#define MS_MAX_DRAWS 20

/* The ratio by which a rank tolerance is moved both ways to show a gap. */
#define MS_GAP 100.0

extern const tc_claim ms_claim_finite;
extern const tc_claim ms_claim_in_span;
extern const tc_claim ms_claim_unregularised;
extern const tc_claim ms_claim_separable;

#endif
