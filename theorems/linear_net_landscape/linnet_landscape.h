/* theorems/linear_net_landscape/linnet_landscape.h — family L (CLAIMS.md L; 001 §III-B with
 * Baldi & Hornik 1989 [41], and L' with Haeffele & Vidal [30] / Bengio et al. [45]): the loss
 * landscape of one-hidden-layer networks. Private to the family.
 *
 * Decision constants (each derived where it is used):
 * - LN_GAP: a count of negative/zero Hessian eigenvalues is read off only when it is the same
 *   at tol/LN_GAP, tol and tol*LN_GAP (a spectral gap of LN_GAP^2 around tol);
 * - LN_RESOLVE: a GD run is classified by its value only when its a-posteriori excess bound
 *   is LN_RESOLVE times below the separation of the critical values it must distinguish. */
#ifndef TC_THEOREMS_LINNET_LANDSCAPE_H
#define TC_THEOREMS_LINNET_LANDSCAPE_H

#include "theorems/claim.h"
#include "theorems/result.h"

#include <gsl/gsl_rng.h>

#include "numerics/linnet.h"

#define LN_GAP 100.0
#define LN_RESOLVE 1e3

/* Synthetic regression data for the linear network (data.c): X (N x n) Gaussian,
 * Y = X A^T + noise (std `noise`), A = Q diag(sig) [I_m 0] with Q a random orthogonal m x m
 * matrix, so that Sigma's eigenvalues are about sig_j^2; fills pb's moments (context-owned)
 * and pb->n, pb->m. */
void ln_make_data(tc_ctx *ctx, size_t N, size_t n, const double *sig, size_t m, double noise,
                  gsl_rng *g, num_linnet_problem *pb);

extern const tc_claim ln_claim_landscape;
extern const tc_claim ln_claim_relu;
extern const tc_claim ln_claim_optimality;
extern const tc_claim ln_claim_optimality_narrow;

#endif
