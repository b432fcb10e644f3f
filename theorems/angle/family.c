/* theorems/angle/family.c — the claim family 'angle' (CLAIMS.md section D): its claims in
 * catalogue order. The descriptors live with their run functions (linear.c, shrinkage.c,
 * depth.c, small_angles.c, hamming.c, intrinsic.c); see angle.h for the family's design. */
#include "theorems/angle/angle.h"

static const tc_claim *const claims[] = {
    &angle_claim_linear,          &angle_claim_linear_relu,      &angle_claim_shrinkage,
    &angle_claim_distance_he,     &angle_claim_shrinkage_linear, &angle_claim_shrinkage_erf,
    &angle_claim_depth,           &angle_claim_depth_linear,     &angle_claim_small,
    &angle_claim_small_abs,       &angle_claim_hamming,          &angle_claim_hamming_offsets,
    &angle_claim_intrinsic,       &angle_claim_intrinsic_noise,  NULL};

const tc_family tc_family_angle = {
    .name = "angle",
    .title = "D. Random ReLU networks shrink angles (001 §V-A)",
    .doc = "docs/claims/angle.md",
    .claims = claims,
};
