/* theorems/ntk/family.c — the catalogue of the 'ntk' family (claims E1-E5 of CLAIMS.md
 * section E, with their negative controls), in catalogue order. */
#include "theorems/ntk/ntk.h"

#include "theorems/registry.h"

static const tc_claim *const claims[] = {&ntk_claim_min_eig,
                                         &ntk_claim_min_eig_unit,
                                         &ntk_claim_min_eig_linear,
                                         &ntk_claim_min_eig_duplicate,
                                         &ntk_claim_limit_kernel,
                                         &ntk_claim_limit_kernel_duplicate,
                                         &ntk_claim_gradient_bound,
                                         &ntk_claim_gradient_bound_first_layer,
                                         &ntk_claim_convergence,
                                         &ntk_claim_convergence_unit,
                                         &ntk_claim_lazy,
                                         &ntk_claim_lazy_unit,
                                         NULL};

const tc_family tc_family_ntk = {
    .name = "ntk",
    .title = "E. NTK minimal eigenvalue and lazy training (004, Lazy Training)",
    .doc = "docs/claims/ntk.md",
    .claims = claims,
};
