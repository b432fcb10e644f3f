/* theorems/double_descent/double_descent.h — family I (CLAIMS.md I; 003 Figure 6 and §8): the
 * minimum-norm least-squares polynomial fit of sin(2 pi f x) as the number of parameters grows
 * past the number of training points. Private to the family. */
#ifndef TC_THEOREMS_DOUBLE_DESCENT_H
#define TC_THEOREMS_DOUBLE_DESCENT_H

#include "theorems/claim.h"
#include "theorems/result.h"

extern const tc_claim dd_claim_overfits;
extern const tc_claim dd_claim_no_overfit;
extern const tc_claim dd_claim_underparam;
extern const tc_claim dd_claim_random_features;       /* random_features.c: I' */
extern const tc_claim dd_claim_random_features_ridge; /* its control */

#endif
