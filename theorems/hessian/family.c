/* theorems/hessian/family.c — the claim family 'hessian' (CLAIMS.md section C): its claims in
 * catalogue order. The claims live in the files named in hessian.h. */
#include "theorems/hessian/hessian.h"
#include "theorems/registry.h"

static const tc_claim *const claims[] = {
    &hess_claim_degeneracy, &hess_claim_underparam, &hess_claim_symmetry, &hess_claim_decay,
    &hess_claim_decay_min,  &hess_claim_exp,        &hess_claim_exp_linear, NULL};

const tc_family tc_family_hessian = {
    .name = "hessian",
    .title = "C. Hessian degeneracy (003 §12.1 Theorem 4, §12.3)",
    .doc = "docs/claims/hessian.md",
    .claims = claims,
};
