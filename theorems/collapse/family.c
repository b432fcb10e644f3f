/* theorems/collapse/family.c — the claim family 'collapse' (CLAIMS.md section F) in catalogue
 * order; the claims themselves are in etf_definition.c, ufm.c and mlp.c (see collapse.h). */
#include "theorems/collapse/collapse.h"
#include "theorems/registry.h"

/* The claims in catalogue order; each descriptor is defined in its sub-claim file. A new
 * claim is one more entry here (declared by TC_CLAIM_EXTERN, listed by TC_CLAIM_REF). */
#define CLAIMS(X) \
    X(collapse_etf_definition) \
    X(collapse_ufm) \
    X(collapse_ufm_mse) \
    X(collapse_frozen) \
    X(collapse_early_stop) \
    X(collapse_mlp) \
    X(collapse_mlp_decades) \
    X(collapse_mse) \
    X(collapse_mse_no_wd)

CLAIMS(TC_CLAIM_EXTERN)
static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_collapse = {
    .name = "collapse",
    .title = "F. Neural collapse (004; 000)",
    .doc = "docs/claims/collapse.md",
    .claims = claims,
};
