/* theorems/norm_growth/family.c — the catalogue of the claim family 'norm_growth': growth of
 * the weight norms under exponential-type losses on separable data, and the max-margin
 * behaviour of deep homogeneous networks (CLAIMS.md sections B and A5; document 003, Poggio et
 * al., CBMM Memo 90).
 *
 *   norm_growth               B1  003 §4 (Soudry et al. Thm 3), §12.2 item 5: ||w||/log t ->
 *                                 ||w_hat|| for a linear predictor (gradient flow)   linear.c
 *   norm_growth_square        B1 negative control: the square loss (norm converges)  linear.c
 *   norm_growth_deep          B2  003 §12.2 item 5, §14, Figure 7: product of layer norms
 *                                 grows faster than the one-layer norm, each layer slower
 *                                                                               deep_growth.c
 *   norm_growth_deep_strict   B2, strict reading: prod_k ||W_k|| / log t -> infinity
 *   norm_growth_deep_square   B2 negative control: the square loss
 *   max_margin_deep           A5  003 Theorem 3, §13 Proposition 6: the normalised margin
 *                                 rises late in training and settles; normalised layers stop
 *                                                                           max_margin_deep.c
 *   max_margin_deep_tanh      A5 negative control: tanh (not homogeneous)
 *   norm_growth_ode           B3  003 §14 eqs. (55)-(57), li closed form for K = 2     ode.c
 *   norm_growth_ode_untied    B3, second reading: the untied dynamics of eq. (48)
 *   norm_growth_ode_square    B3 negative control: square-loss analogue of eq. (55)
 *
 * Conventions. Exponential loss L = sum_n exp(-y_n f(x_n)) (003 eq. (30)), square loss
 * L = sum_n (y_n - f(x_n))^2 (eq. (13)). Networks have no biases (003 §3: f is then positively
 * homogeneous of degree K in (W_1..W_K) for ReLU and linear activations, eq. (1)). Time t is
 * the gradient-flow time; GD with step eta at step k is at t = eta k. Flows of the exponential
 * loss are integrated in log time s = log t (natural log): everything is reported against s.
 *
 * Numerics: numerics/homogeneous.h (networks: log-time flow by Dormand-Prince 8(9); for ReLU,
 * whose flow is a Filippov system with a discontinuous right-hand side, the forward-Euler
 * discretisation in log time; reduced norm ODEs by msbdf with exact Jacobian), numerics/flow.h
 * (linear predictors), numerics/svm.h (w_hat with a KKT certificate), numerics/fit.h (least
 * squares with standard errors).
 */
#include "theorems/registry.h"

#include "theorems/norm_growth/norm_growth.h"

/* The claims in catalogue order; each descriptor is defined in its sub-claim file. A new
 * claim is one more entry here (declared by TC_CLAIM_EXTERN, listed by TC_CLAIM_REF). */
#define CLAIMS(X) \
    X(ng_claim_b1) \
    X(ng_claim_b1_square) \
    X(ng_claim_b2) \
    X(ng_claim_b2_strict) \
    X(ng_claim_b2_square) \
    X(ng_claim_a5) \
    X(ng_claim_a5_tanh) \
    X(ng_claim_b3) \
    X(ng_claim_b3_untied) \
    X(ng_claim_b3_square)

CLAIMS(TC_CLAIM_EXTERN)
static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_norm_growth = {
    .name = "norm_growth",
    .title = "B. Norm growth and deep max-margin (003 §4, §12.2, §13, §14)",
    .doc = "docs/claims/norm_growth.md",
    .claims = claims,
};
