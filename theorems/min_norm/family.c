/* theorems/min_norm/family.c — the claim family 'min_norm' (CLAIMS.md G): its claims in
 * catalogue order. */
#include "theorems/min_norm/min_norm.h"
#include "theorems/registry.h"

#define CLAIMS(X) \
    X(mn_claim_min_norm) \
    X(mn_claim_any_init)

static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_min_norm = {
    .name = "min_norm",
    .title = "G. Minimum-norm solutions of square-loss GD (003 §4, §11.1 eqs. (13)-(14))",
    .doc = "docs/claims/min_norm.md",
    .claims = claims,
};
