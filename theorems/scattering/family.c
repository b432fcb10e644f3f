/* theorems/scattering/family.c — the claim family 'scattering' (CLAIMS.md N): its claims in
 * catalogue order, and the helpers they share. */
#include "theorems/scattering/scattering.h"

#include <float.h>
#include <math.h>

#include "numerics/fit.h"
#include "theorems/registry.h"

#define CLAIMS(X) \
    X(sc_claim_energy) \
    X(sc_claim_translation) \
    X(sc_claim_deformation) \
    X(sc_claim_energy_2d) \
    X(sc_claim_translation_2d) \
    X(sc_claim_no_lowpass) \
    X(sc_claim_fourier_modulus)

static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL};

const tc_family tc_family_scattering = {
    .name = "scattering",
    .title = "N. Wavelet scattering: energy, translation invariance, deformation stability "
             "(001 §IV, 004)",
    .doc = "docs/claims/scattering.md",
    .claims = claims,
};

double sc_fft_relerr(size_t n, int m)
{
    return 2.0 * (2 * m + 2) * SC_FFT_C * log2((double)n) * (DBL_EPSILON / 2);
}

static void release(void *s) { num_scat_free(s); }

num_scat *sc_make(tc_ctx *ctx, size_t n, int J, int order, int os, bool raw)
{
    num_scat_opts o = {.n = n, .J = J, .order = order, .oversample = os, .raw = raw};
    num_scat *s = NULL;
    tc_check(ctx, num_scat_alloc(&o, &s), "the scattering filter bank");
    return tc_defer(ctx, release, s);
}

double sc_log_slope(tc_ctx *ctx, size_t k, const double *x, const double *y)
{
    num_fit_line f;
    tc_check(ctx, num_fit_power(k, x, y, NULL, &f), "a log-log slope");
    return f.slope;
}

double sc_sumsq(size_t n, const double *x)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i] * x[i];
    return s;
}
