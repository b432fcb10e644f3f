/* theorems/max_margin/family.c — the claim family 'max_margin' (CLAIMS.md section A): its
 * claims in catalogue order (descriptors in convergence.c and inits.c). */
#include "theorems/max_margin/max_margin.h"

#include "theorems/registry.h"

static const tc_claim *const claims[] = {&tc_claim_max_margin, &tc_claim_max_margin_init,
                                         &tc_claim_max_margin_square, NULL};

const tc_family tc_family_max_margin = {
    .name = "max_margin",
    .title = "A. Max-margin convergence (003 §4, §11.2; Soudry et al. 2018)",
    .doc = "docs/claims/max_margin.md",
    .claims = claims,
};
