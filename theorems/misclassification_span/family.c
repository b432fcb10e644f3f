/* theorems/misclassification_span/family.c — the claim family 'misclassification_span'
 * (CLAIMS.md O, issue #14): its claims in catalogue order. */
#include "theorems/misclassification_span/misclass_span.h"
#include "theorems/registry.h"

#define CLAIMS(X) \
    X(ms_claim_finite) \
    X(ms_claim_in_span) \
    X(ms_claim_unregularised) \
    X(ms_claim_separable)

static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_misclassification_span = {
    .name = "misclassification_span",
    .title = "O. Non-separable data: a finite minimiser, and which components misclassification "
             "regularises (003 §14 eqs. (61)-(63))",
    .doc = "docs/claims/misclassification_span.md",
    .claims = claims,
};
