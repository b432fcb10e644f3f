/* theorems/double_descent/family.c — the claim family 'double_descent' (CLAIMS.md I): its
 * claims in catalogue order. */
#include "theorems/double_descent/double_descent.h"
#include "theorems/registry.h"

#define CLAIMS(X) \
    X(dd_claim_overfits) \
    X(dd_claim_no_overfit) \
    X(dd_claim_underparam) \
    X(dd_claim_random_features) \
    X(dd_claim_random_features_ridge)

static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_double_descent = {
    .name = "double_descent",
    .title = "I. Minimum-norm fits past interpolation (003 Figure 6, §8; 000 Fig. 1)",
    .doc = "docs/claims/double_descent.md",
    .claims = claims,
};
