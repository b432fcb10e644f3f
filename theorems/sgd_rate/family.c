/* theorems/sgd_rate/family.c — the claim family 'sgd_rate' (CLAIMS.md K): its claims in
 * catalogue order. */
#include "theorems/sgd_rate/sgd_rate.h"
#include "theorems/registry.h"

#define CLAIMS(X) \
    X(sgd_claim_rate) \
    X(sgd_claim_last_iterate) \
    X(sgd_claim_nonconvex)

static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_sgd_rate = {
    .name = "sgd_rate",
    .title = "K. The 1/sqrt(K) rate of averaged SGD on a convex r (004, Nemirovski et al. 2009)",
    .doc = "docs/claims/sgd_rate.md",
    .claims = claims,
};
