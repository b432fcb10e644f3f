/* theorems/angle/family.c — the claim family 'angle' (CLAIMS.md section D): its claims in
 * catalogue order. The descriptors live with their run functions (linear.c, shrinkage.c,
 * depth.c, small_angles.c, hamming.c, intrinsic.c); see angle.h for the family's design. */
#include "theorems/angle/angle.h"

/* The claims in catalogue order; each descriptor is defined in its sub-claim file. A new
 * claim is one more entry here (declared by TC_CLAIM_EXTERN, listed by TC_CLAIM_REF). */
#define CLAIMS(X) \
    X(angle_claim_linear) \
    X(angle_claim_linear_relu) \
    X(angle_claim_shrinkage) \
    X(angle_claim_distance_he) \
    X(angle_claim_shrinkage_linear) \
    X(angle_claim_shrinkage_erf) \
    X(angle_claim_depth) \
    X(angle_claim_depth_linear) \
    X(angle_claim_small) \
    X(angle_claim_small_abs) \
    X(angle_claim_hamming) \
    X(angle_claim_hamming_offsets) \
    X(angle_claim_intrinsic) \
    X(angle_claim_intrinsic_noise)

CLAIMS(TC_CLAIM_EXTERN)
static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_angle = {
    .name = "angle",
    .title = "D. Random ReLU networks shrink angles (001 §V-A)",
    .doc = "docs/claims/angle.md",
    .claims = claims,
};
