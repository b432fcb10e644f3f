/* theorems/ntk/family.c — the catalogue of the 'ntk' family (claims E1-E5 of CLAIMS.md
 * section E, with their negative controls), in catalogue order. */
#include "theorems/ntk/ntk.h"

#include "theorems/registry.h"

/* The claims in catalogue order; each descriptor is defined in its sub-claim file. A new
 * claim is one more entry here (declared by TC_CLAIM_EXTERN, listed by TC_CLAIM_REF). */
#define CLAIMS(X) \
    X(ntk_claim_min_eig) \
    X(ntk_claim_min_eig_unit) \
    X(ntk_claim_min_eig_linear) \
    X(ntk_claim_min_eig_duplicate) \
    X(ntk_claim_limit_kernel) \
    X(ntk_claim_limit_kernel_duplicate) \
    X(ntk_claim_gradient_bound) \
    X(ntk_claim_gradient_bound_first_layer) \
    X(ntk_claim_convergence) \
    X(ntk_claim_convergence_unit) \
    X(ntk_claim_lazy) \
    X(ntk_claim_lazy_unit)

CLAIMS(TC_CLAIM_EXTERN)
static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_ntk = {
    .name = "ntk",
    .title = "E. NTK minimal eigenvalue and lazy training (004, Lazy Training)",
    .doc = "docs/claims/ntk.md",
    .claims = claims,
};
