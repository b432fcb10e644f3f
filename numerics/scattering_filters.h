/* numerics/scattering_filters.h — the two pieces of the Morlet/Gabor filter banks that the 1-D
 * (scattering.c) and 2-D (scattering2d.c) transforms share: the frequency of an FFT bin and the
 * Gaussian periodised over the unit circle. */
#ifndef NUM_SCATTERING_FILTERS_H
#define NUM_SCATTERING_FILTERS_H

#include <math.h>
#include <stddef.h>

/* G(w; sigma) periodised over the unit circle (three terms: sigma <= 1/8 makes the others
 * below exp(-(1.5 / 0.125)^2 / 2) = 5e-32). */
static inline double num_scat_gauss_per(double w, double sigma)
{
    double t = 0;
    for (int r = -1; r <= 1; r++) {
        double z = (w + r) / sigma;
        t += exp(-0.5 * z * z);
    }
    return t;
}

/* The frequency of bin q of an n-point FFT, in cycles per sample, in [-1/2, 1/2). */
static inline double num_scat_freq(size_t q, size_t n)
{
    return q < n / 2 ? (double)q / n : ((double)q - n) / n;
}

#endif /* NUM_SCATTERING_FILTERS_H */
