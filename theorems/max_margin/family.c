/* theorems/max_margin/family.c — the claim family 'max_margin' (CLAIMS.md section A): its
 * claims in catalogue order (descriptors in convergence.c and inits.c). */
#include "theorems/max_margin/max_margin.h"

#include "theorems/registry.h"

/* The claims in catalogue order; each descriptor is defined in its sub-claim file. A new
 * claim is one more entry here (declared by TC_CLAIM_EXTERN, listed by TC_CLAIM_REF). */
#define CLAIMS(X) \
    X(tc_claim_max_margin) \
    X(tc_claim_max_margin_init) \
    X(tc_claim_max_margin_square) \
    X(tc_claim_max_margin_degenerate_rate) \
    X(tc_claim_max_margin_degenerate_rate_off)

CLAIMS(TC_CLAIM_EXTERN)
static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_max_margin = {
    .name = "max_margin",
    .title = "A. Max-margin convergence (003 §4, §11.2; Soudry et al. 2018)",
    .doc = "docs/claims/max_margin.md",
    .claims = claims,
};
