/* numerics/scattering.h — the 1-D wavelet scattering transform (Mallat, "Group invariant
 * scattering", CPAM 65 (2012), §2-3; Bruna & Mallat, PAMI 35 (2013); Andén & Mallat, "Deep
 * scattering spectrum", IEEE TSP 62 (2014), §3), on periodic signals of length n = 2^k.
 *
 * Filters are built in the Fourier domain (frequency w in cycles per sample, [-1/2, 1/2)):
 *   psi_j(w) = G(w - xi_j; s_j) - beta_j G(w; s_j)  (Morlet: Gabor with its mean removed),
 *   xi_j = 3/8 2^-j, s_j = xi_j / 3, j = 0 .. J-1 (one wavelet per octave, analytic);
 *   phi(w)   = G(w; xi_{J-1} / 3)                   (Gaussian low-pass at scale 2^J),
 * every Gaussian periodised over the unit frequency circle. They are then Littlewood-Paley
 * normalised: with A(w) = |phi(w)|^2 + 1/2 sum_j (|psi_j(w)|^2 + |psi_j(-w)|^2), every filter
 * is divided by sqrt(A), so that for every w
 *   |phi(w)|^2 + 1/2 sum_j (|psi_j(w)|^2 + |psi_j(-w)|^2) = 1           (LP)
 * exactly (to rounding): for a real signal, ||x * phi||^2 + sum_j ||x * psi_j||^2 = ||x||^2,
 * the frame is tight with bound 1, and the modulus keeps energies (Mallat 2012, Prop. 2.5).
 *
 * U[j]x = |x * psi_j|, U[p] for a path p = (j1, .., jm) the cascade, S[p]x = U[p]x * phi.
 * The transform keeps the frequency-decreasing paths (j1 < j2; the others carry little
 * energy: Mallat 2012 §2.5, Andén & Mallat 2014 §3.2) up to order 2. With `oversample` o the
 * signal after |. * psi_j| is kept at resolution n / 2^max(0, j - o) and the averaged output
 * at n / 2^max(0, J - o) (the subsampling of Andén & Mallat and Kymatio); o >= J gives every
 * coefficient at full resolution (exactly translation covariant, used by the checks).
 * Downsampling is exact where it is done by folding a spectrum (y[m 2^k] is the inverse DFT of
 * the spectrum periodised to n / 2^k); the filters of a coarse level are the full ones
 * periodised the same way, so a coarse convolution is the Riemann sum of the full one. FFTs:
 * GSL mixed radix (real for real inputs), one wavetable and workspace per level, reused. */
#ifndef NUM_SCATTERING_H
#define NUM_SCATTERING_H

#include <stdbool.h>
#include <stddef.h>

#include "numerics/num.h"

typedef struct num_scat num_scat;

typedef struct {
    size_t n;       /* signal length: a power of 2, >= 8 */
    int J;          /* wavelets j = 0 .. J-1 and the low-pass at 2^J: 1 <= J, 2^J <= n / 4 */
    int order;      /* 0, 1 or 2 */
    int oversample; /* >= 0; >= J: full resolution everywhere */
    bool raw;       /* true: skip the LP normalisation (a control: the frame is not tight) */
} num_scat_opts;

num_status num_scat_alloc(const num_scat_opts *o, num_scat **out);
void num_scat_free(num_scat *s);

/* Paths kept: 1 + J (order 1) + J (J - 1) / 2 (order 2): order 0 first, then j1 = 0..J-1,
 * then (j1, j2) with j1 < j2, j1 major. */
size_t num_scat_npaths(const num_scat *s);
/* Samples per averaged output: n / 2^max(0, J - oversample). */
size_t num_scat_outlen(const num_scat *s);
/* The normalised filters at full resolution, length n, real (index q: frequency q/n for
 * q < n/2, (q - n)/n otherwise). */
const double *num_scat_phi_hat(const num_scat *s);
const double *num_scat_psi_hat(const num_scat *s, int j);

/* S x: out is npaths x outlen, row p the averaged path p (real). */
num_status num_scat_transform(num_scat *s, const double *x, double *out);

/* The control without the average: U[p]x for the same paths (row 0 is x itself), each at full
 * resolution; needs oversample >= J. out is npaths x n. */
num_status num_scat_modulus(num_scat *s, const double *x, double *out);

/* Energies over ALL paths (or only frequency-decreasing ones) up to `depth` (0..4), at full
 * resolution (needs oversample >= J), summed in the signal domain: s_energy[m] =
 * sum_{|p| = m} ||S[p]x||^2 and u_energy[m] = sum_{|p| = m+1} ||U[p]x||^2, m = 0..depth.
 * With all paths, (LP) gives ||x||^2 = sum_{m <= M} s_energy[m] + u_energy[M] for every M
 * (u_energy[M] is the energy the truncation to depth M leaves out). */
num_status num_scat_energy(num_scat *s, const double *x, int depth, bool decreasing,
                           double *s_energy, double *u_energy);

/* C_phi = 2^J max_w 2 pi |w| |phi(w)|: ||y * phi - (T_c y) * phi|| <= C_phi 2^-J |c| ||y|| for
 * every y, since |1 - exp(-2 pi i w c)| <= 2 pi |w| |c|. */
double num_scat_translation_constant(const num_scat *s);

/* FFTs of the full signal length one transform costs (each FFT of length m counted m/n; a
 * real FFT counted as one complex FFT): the cost model of bench_scattering. */
double num_scat_fft_count(const num_scat *s);

/* The Fourier modulus control: out[q] = |DFT(x)[q]| / sqrt(n), q = 0..n-1 (so ||out|| = ||x||);
 * n a power of 2. work: n doubles. Translation invariant, not stable to deformations. */
num_status num_fourier_modulus(size_t n, const double *x, double *work, double *out);

#endif
