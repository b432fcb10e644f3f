/* theorems/scattering/scattering.h — family N (CLAIMS.md N; 001 §IV, 004 "Scattering
 * Transform", Mallat, "Group invariant scattering", CPAM 65 (2012)): energy conservation,
 * translation invariance and deformation stability of the 1-D wavelet scattering transform
 * (numerics/scattering.h), with two controls: the wavelet modulus without the low-pass average
 * (not translation invariant) and the Fourier modulus (invariant, not stable to deformations).
 * Private to the family.
 *
 * Decision constants (derived where they are used):
 * - SC_FFT_C: an FFT of length n has normwise relative error <= c log2(n) u (Higham,
 *   "Accuracy and Stability of Numerical Algorithms", 2nd ed., Thm 24.2; c covers the twiddle
 *   factors' own errors, a few ulps in GSL); c = 8;
 * - the slope thresholds of the deformation claims are midpoints between two theories'
 *   predictions (deformation.c). */
#ifndef TC_THEOREMS_SCATTERING_H
#define TC_THEOREMS_SCATTERING_H

#include "numerics/scattering.h"
#include "theorems/claim.h"
#include "theorems/result.h"

#define SC_FFT_C 8.0

/* Relative error bound of an energy (or a norm squared) computed along a path of depth m:
 * 2m + 2 FFTs (forward and inverse per level, the last inverse for the average), each adding
 * SC_FFT_C log2(n) u to the norm, doubled for a square. */
double sc_fft_relerr(size_t n, int m);

/* A scattering object owned by the context (freed with it); full resolution unless os < J;
 * raw: without the LP normalisation. */
num_scat *sc_make(tc_ctx *ctx, size_t n, int J, int order, int os, bool raw);

/* Least-squares slope of log y against log x over k points (k >= 2, all positive). */
double sc_log_slope(tc_ctx *ctx, size_t k, const double *x, const double *y);

/* sum of squares */
double sc_sumsq(size_t n, const double *x);

extern const tc_claim sc_claim_energy;
extern const tc_claim sc_claim_translation;
extern const tc_claim sc_claim_no_lowpass;
extern const tc_claim sc_claim_deformation;
extern const tc_claim sc_claim_fourier_modulus;
extern const tc_claim sc_claim_energy_2d;
extern const tc_claim sc_claim_translation_2d;

#endif
