/* theorems/hessian/family.c — the claim family 'hessian' (CLAIMS.md section C): its claims in
 * catalogue order. The claims live in the files named in hessian.h. */
#include "theorems/hessian/hessian.h"
#include "theorems/registry.h"

/* The claims in catalogue order; each descriptor is defined in its sub-claim file. A new
 * claim is one more entry here (declared by TC_CLAIM_EXTERN, listed by TC_CLAIM_REF). */
#define CLAIMS(X) \
    X(hess_claim_degeneracy) \
    X(hess_claim_underparam) \
    X(hess_claim_symmetry) \
    X(hess_claim_decay) \
    X(hess_claim_decay_control) \
    X(hess_claim_decay_min) \
    X(hess_claim_decay_min_2lambda) \
    X(hess_claim_exp) \
    X(hess_claim_exp_linear) \
    X(hess_claim_exp_linear_limit)

CLAIMS(TC_CLAIM_EXTERN)
static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_hessian = {
    .name = "hessian",
    .title = "C. Hessian degeneracy (003 §12.1 Theorem 4, §12.3)",
    .doc = "docs/claims/hessian.md",
    .claims = claims,
};
