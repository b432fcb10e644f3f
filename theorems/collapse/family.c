/* theorems/collapse/family.c — the claim family 'collapse' (CLAIMS.md section F) in catalogue
 * order; the claims themselves are in etf_definition.c, ufm.c and mlp.c (see collapse.h). */
#include "theorems/collapse/collapse.h"
#include "theorems/registry.h"

static const tc_claim *const claims[] = {
    &collapse_etf_definition, &collapse_ufm,   &collapse_ufm_mse,
    &collapse_frozen,         &collapse_early_stop, &collapse_mlp,
    &collapse_mlp_decades,    &collapse_mse,   &collapse_mse_no_wd,
    NULL};

const tc_family tc_family_collapse = {
    .name = "collapse",
    .title = "F. Neural collapse (004; 000)",
    .doc = "docs/claims/collapse.md",
    .claims = claims,
};
