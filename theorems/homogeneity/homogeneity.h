/* theorems/homogeneity/homogeneity.h — family J (CLAIMS.md J; 003 §3 eq. (1)): a network of
 * positively homogeneous activations (ReLU, linear) without biases is homogeneous of degree 1
 * in each layer's weights. Private to the family. */
#ifndef TC_THEOREMS_HOMOGENEITY_H
#define TC_THEOREMS_HOMOGENEITY_H

#include "theorems/claim.h"
#include "theorems/result.h"

/* The layer scalings rho checked in f(rho W_k) = rho f(W): powers of two (exact in binary
 * floating point, so for ReLU the identity holds bit for bit) and others (a rounding per
 * product). */
#define HOMOG_NRHO 4
static const double homog_rhos[HOMOG_NRHO] = {0.5, 3.0, 10.0, 1000.0};

extern const tc_claim homog_claim_euler;
extern const tc_claim homog_claim_bias;
extern const tc_claim homog_claim_tanh;

#endif
