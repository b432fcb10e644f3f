/* theorems/linear_net_landscape/family.c — the claim family 'linear_net_landscape'
 * (CLAIMS.md L and L'): its claims in catalogue order. */
#include "theorems/linear_net_landscape/linnet_landscape.h"
#include "theorems/registry.h"

#define CLAIMS(X) \
    X(ln_claim_landscape) \
    X(ln_claim_relu) \
    X(ln_claim_optimality) \
    X(ln_claim_optimality_narrow)

static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_linear_net_landscape = {
    .name = "linear_net_landscape",
    .title = "L. Landscape of one-hidden-layer networks (001 §III-B; Baldi & Hornik 1989; "
             "Haeffele & Vidal)",
    .doc = "docs/claims/linear_net_landscape.md",
    .claims = claims,
};
