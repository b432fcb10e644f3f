/* theorems/perturbation/family.c — the claim family 'perturbation' (CLAIMS.md H): its claims
 * in catalogue order. */
#include "theorems/perturbation/perturbation.h"
#include "theorems/registry.h"

#define CLAIMS(X) \
    X(pert_claim_null_walk) \
    X(pert_claim_full_rank) \
    X(pert_claim_deep) \
    X(pert_claim_deep_no_noise)

static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_perturbation = {
    .name = "perturbation",
    .title = "H. Perturbations around degenerate minima (003 §6, Figures 4 and 5)",
    .doc = "docs/claims/perturbation.md",
    .claims = claims,
};
