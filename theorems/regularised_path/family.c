/* theorems/regularised_path/family.c — the claim family 'regularised_path' (CLAIMS.md M,
 * issue #14): its claims in catalogue order. */
#include "theorems/regularised_path/regularised_path.h"
#include "theorems/registry.h"

#define CLAIMS(X) \
    X(rp_claim_exp) \
    X(rp_claim_logistic) \
    X(rp_claim_square)

static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_regularised_path = {
    .name = "regularised_path",
    .title = "M. Regularisation path and the max-margin direction (003 §11.2 item 3; Rosset, "
             "Zhu & Hastie 2004)",
    .doc = "docs/claims/regularised_path.md",
    .claims = claims,
};
