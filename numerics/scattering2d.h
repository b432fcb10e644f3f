/* numerics/scattering2d.h — the 2-D wavelet scattering transform of periodic n x n images
 * (Bruna & Mallat, "Invariant scattering convolution networks", PAMI 35 (2013), §3; 001 §IV's
 * setting: images as functions on [0, 1]^2 with periodic boundary conditions, footnote to
 * eq. (5)), at full resolution (no subsampling: exactly translation covariant).
 *
 * Filters in the Fourier domain (w = (w1, w2) in cycles per sample, row-major index q1 n + q2,
 * w1 the row frequency): Morlet wavelets psi_{j,l}(w) = G(w - xi_j e_l; s_j) - beta G(w; s_j)
 * with xi_j = 3/8 2^-j, s_j = xi_j / 3, e_l = (cos(pi l / L), sin(pi l / L)), l = 0..L-1
 * (analytic in the direction e_l), and the low-pass phi(w) = G(w; xi_{J-1} / 3); isotropic
 * Gaussians periodised over the frequency torus. As in 1-D (numerics/scattering.h), every
 * filter is divided by sqrt(A), A(w) = |phi(w)|^2 + 1/2 sum_{j,l} (|psi_{j,l}(w)|^2 +
 * |psi_{j,l}(-w)|^2), so the Littlewood-Paley sum is exactly 1 and, for real images, each
 * layer is a tight frame with bound 1. 2-D FFTs: GSL complex FFTs of the rows then of the
 * columns (stride n), one wavetable and workspace, reused. */
#ifndef NUM_SCATTERING2D_H
#define NUM_SCATTERING2D_H

#include <stdbool.h>
#include <stddef.h>

#include "numerics/num.h"

typedef struct num_scat2d num_scat2d;

typedef struct {
    size_t n;  /* image side: a power of 2, >= 8 */
    int J;     /* scales j = 0..J-1, low-pass at 2^J: 1 <= J, 2^J <= n / 4 */
    int L;     /* orientations over [0, pi): 1..16 */
    int order; /* 0, 1 or 2 */
    bool raw;  /* true: skip the LP normalisation */
} num_scat2d_opts;

num_status num_scat2d_alloc(const num_scat2d_opts *o, num_scat2d **out);
void num_scat2d_free(num_scat2d *s);

/* Paths: order 0, then (j1, l1) j1-major, then (j1, l1, j2, l2) with j1 < j2:
 * 1 + J L + L^2 J (J - 1) / 2. */
size_t num_scat2d_npaths(const num_scat2d *s);
/* The normalised filters (n^2 reals). */
const double *num_scat2d_phi_hat(const num_scat2d *s);
const double *num_scat2d_psi_hat(const num_scat2d *s, int j, int l);

/* S x for an n x n image x (row-major): out is npaths x n^2. */
num_status num_scat2d_transform(num_scat2d *s, const double *x, double *out);
/* U[p]x for the same paths (row 0: x itself): npaths x n^2. */
num_status num_scat2d_modulus(num_scat2d *s, const double *x, double *out);
/* Energies over all paths to `depth` (0..3), as num_scat_energy. */
num_status num_scat2d_energy(num_scat2d *s, const double *x, int depth, double *s_energy,
                             double *u_energy);
/* C_phi = 2^J max_w 2 pi |w| |phi(w)|: ||y * phi - (T_c y) * phi|| <= C_phi 2^-J |c| ||y||
 * (|c| Euclidean, |1 - exp(-2 pi i w.c)| <= 2 pi |w| |c|). */
double num_scat2d_translation_constant(const num_scat2d *s);

#endif
