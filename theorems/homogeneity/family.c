/* theorems/homogeneity/family.c — the claim family 'homogeneity' (CLAIMS.md J): its claims in
 * catalogue order. */
#include "theorems/homogeneity/homogeneity.h"
#include "theorems/registry.h"

#define CLAIMS(X) \
    X(homog_claim_euler) \
    X(homog_claim_bias) \
    X(homog_claim_tanh)

static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_homogeneity = {
    .name = "homogeneity",
    .title = "J. Layer-wise homogeneity of ReLU networks (003 §3 eq. (1))",
    .doc = "docs/claims/homogeneity.md",
    .claims = claims,
};
