/* numerics/scattering.c — the 1-D scattering transform (see scattering.h for the filters,
 * the normalisation and the sources). */
#include "numerics/scattering.h"
#include "numerics/scattering_filters.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_fft_complex.h>
#include <gsl/gsl_fft_halfcomplex.h>
#include <gsl/gsl_fft_real.h>

#define SC_XI0 0.375      /* centre of the finest wavelet, cycles per sample */
#define SC_SIGMA_RATIO 3. /* xi_j / s_j: constant relative bandwidth (one wavelet per octave) */
#define SC_MAX_DEPTH 4

struct num_scat {
    size_t n, npaths, outlen;
    int J, order, os, K; /* K: the coarsest level, outputs at n / 2^K */
    double **phik;       /* K+1 levels: phi periodised to n / 2^k */
    double **psik;       /* J x (K+1): psi_j periodised to n / 2^k (k <= min(j, K)), else NULL */
    gsl_fft_complex_wavetable **cwt;
    gsl_fft_complex_workspace **cws;
    gsl_fft_real_wavetable **rwt;
    gsl_fft_real_workspace **rws;
    double *X, *U1, *U2, *buf, *rbuf; /* spectra (2n), complex work (2n), real work (n) */
    double *spec[SC_MAX_DEPTH + 1];   /* num_scat_energy's spectra per depth */
};

static int level(const num_scat *s, int j)
{
    int k = j - s->os;
    return k < 0 ? 0 : (k > s->K ? s->K : k);
}


/* The raw filters, then division by sqrt(A) (LP in scattering.h). */
static void build_filters(num_scat *s, double *phi, double **psi, bool raw)
{
    size_t n = s->n;
    double *A = s->rbuf;
    double sphi = SC_XI0 * ldexp(1.0, 1 - s->J) / SC_SIGMA_RATIO;
    for (size_t q = 0; q < n; q++) {
        phi[q] = num_scat_gauss_per(num_scat_freq(q, n), sphi);
        A[q] = phi[q] * phi[q];
    }
    for (int j = 0; j < s->J; j++) {
        double xi = SC_XI0 * ldexp(1.0, -j), sg = xi / SC_SIGMA_RATIO;
        double beta = num_scat_gauss_per(-xi, sg) / num_scat_gauss_per(0, sg); /* psi_j(0) = 0 */
        for (size_t q = 0; q < n; q++) {
            double w = num_scat_freq(q, n);
            psi[j][q] = num_scat_gauss_per(w - xi, sg) - beta * num_scat_gauss_per(w, sg);
        }
    }
    for (size_t q = 0; q < n; q++) {
        size_t qm = (n - q) % n;
        for (int j = 0; j < s->J; j++)
            A[q] += 0.5 * (psi[j][q] * psi[j][q] + psi[j][qm] * psi[j][qm]);
    }
    for (size_t q = 0; q < n && !raw; q++) {
        double r = 1.0 / sqrt(A[q]);
        phi[q] *= r;
        for (int j = 0; j < s->J; j++)
            psi[j][q] *= r;
    }
}

/* f periodised from n to n / 2^k. */
static void periodise(const double *f, size_t n, int k, double *out)
{
    size_t m = n >> k;
    for (size_t q = 0; q < m; q++) {
        double t = 0;
        for (size_t r = 0; r < ((size_t)1 << k); r++)
            t += f[q + r * m];
        out[q] = t;
    }
}

static bool alloc_levels(num_scat *s)
{
    int L = s->K + 1;
    s->cwt = calloc((size_t)L, sizeof *s->cwt);
    s->cws = calloc((size_t)L, sizeof *s->cws);
    s->rwt = calloc((size_t)L, sizeof *s->rwt);
    s->rws = calloc((size_t)L, sizeof *s->rws);
    s->phik = calloc((size_t)L, sizeof *s->phik);
    s->psik = calloc((size_t)s->J * (size_t)L, sizeof *s->psik);
    if (!s->cwt || !s->cws || !s->rwt || !s->rws || !s->phik || !s->psik)
        return false;
    for (int k = 0; k < L; k++) {
        size_t m = s->n >> k;
        s->cwt[k] = gsl_fft_complex_wavetable_alloc(m);
        s->cws[k] = gsl_fft_complex_workspace_alloc(m);
        s->rwt[k] = gsl_fft_real_wavetable_alloc(m);
        s->rws[k] = gsl_fft_real_workspace_alloc(m);
        s->phik[k] = malloc(m * sizeof(double));
        if (!s->cwt[k] || !s->cws[k] || !s->rwt[k] || !s->rws[k] || !s->phik[k])
            return false;
        for (int j = 0; j < s->J; j++)
            if (k <= j && !(s->psik[(size_t)j * L + k] = malloc(m * sizeof(double))))
                return false;
    }
    return true;
}

static bool alloc_buffers(num_scat *s)
{
    size_t n = s->n;
    s->X = malloc(2 * n * sizeof(double));
    s->U1 = malloc(2 * n * sizeof(double));
    s->U2 = malloc(2 * n * sizeof(double));
    s->buf = malloc(2 * n * sizeof(double));
    s->rbuf = malloc(n * sizeof(double));
    return s->X && s->U1 && s->U2 && s->buf && s->rbuf;
}

static double *psi_at(const num_scat *s, int j, int k)
{
    return s->psik[(size_t)j * (s->K + 1) + k];
}

num_status num_scat_alloc(const num_scat_opts *o, num_scat **out)
{
    if (!o || !out)
        return NUM_ERROR(NUM_EINVAL, "NULL argument");
    *out = NULL;
    if (o->n < 8 || (o->n & (o->n - 1)))
        return NUM_ERROR(NUM_EINVAL, "n must be a power of 2, >= 8");
    if (o->J < 1 || o->J > 40 || ((size_t)1 << o->J) > o->n / 4)
        return NUM_ERROR(NUM_EINVAL, "J must satisfy 1 <= J and 2^J <= n / 4");
    if (o->order < 0 || o->order > 2 || o->oversample < 0)
        return NUM_ERROR(NUM_EINVAL, "order must be 0, 1 or 2 and oversample >= 0");
    num_scat *s = calloc(1, sizeof *s);
    if (!s)
        return NUM_ERROR(NUM_ENOMEM, "scattering object");
    s->n = o->n, s->J = o->J, s->order = o->order, s->os = o->oversample;
    s->K = o->J - o->oversample > 0 ? o->J - o->oversample : 0;
    s->outlen = o->n >> s->K;
    s->npaths = 1 + (o->order >= 1 ? (size_t)o->J : 0) +
                (o->order >= 2 ? (size_t)o->J * (size_t)(o->J - 1) / 2 : 0);
    if (!alloc_buffers(s) || !alloc_levels(s)) {
        num_scat_free(s);
        return NUM_ERROR(NUM_ENOMEM, "scattering filters and FFT tables");
    }
    /* full-resolution filters into level 0, then the coarse levels by periodisation */
    double *psi0[64];
    for (int j = 0; j < s->J; j++)
        psi0[j] = psi_at(s, j, 0);
    build_filters(s, s->phik[0], psi0, o->raw);
    for (int k = 1; k <= s->K; k++) {
        periodise(s->phik[0], s->n, k, s->phik[k]);
        for (int j = k; j < s->J; j++)
            periodise(psi0[j], s->n, k, psi_at(s, j, k));
    }
    *out = s;
    return NUM_OK;
}

void num_scat_free(num_scat *s)
{
    if (!s)
        return;
    int L = s->K + 1;
    for (int k = 0; k < L; k++) {
        if (s->cwt && s->cwt[k])
            gsl_fft_complex_wavetable_free(s->cwt[k]);
        if (s->cws && s->cws[k])
            gsl_fft_complex_workspace_free(s->cws[k]);
        if (s->rwt && s->rwt[k])
            gsl_fft_real_wavetable_free(s->rwt[k]);
        if (s->rws && s->rws[k])
            gsl_fft_real_workspace_free(s->rws[k]);
        if (s->phik)
            free(s->phik[k]);
        for (int j = 0; s->psik && j < s->J; j++)
            free(s->psik[(size_t)j * L + k]);
    }
    free(s->cwt), free(s->cws), free(s->rwt), free(s->rws), free(s->phik), free(s->psik);
    free(s->X), free(s->U1), free(s->U2), free(s->buf), free(s->rbuf);
    for (int d = 0; d <= SC_MAX_DEPTH; d++)
        free(s->spec[d]);
    free(s);
}

size_t num_scat_npaths(const num_scat *s) { return s->npaths; }
size_t num_scat_outlen(const num_scat *s) { return s->outlen; }
const double *num_scat_phi_hat(const num_scat *s) { return s->phik[0]; }
const double *num_scat_psi_hat(const num_scat *s, int j)
{
    return j >= 0 && j < s->J ? psi_at(s, j, 0) : NULL;
}

/* The complex spectrum (2 m doubles, m = n / 2^k) of the real signal in[0..m). */
static num_status spectrum(num_scat *s, int k, const double *in, double *out)
{
    size_t m = s->n >> k;
    double *t = s->rbuf;
    if (t != in)
        memcpy(t, in, m * sizeof *t);
    if (gsl_fft_real_transform(t, 1, m, s->rwt[k], s->rws[k]) ||
        gsl_fft_halfcomplex_unpack(t, out, 1, m))
        return NUM_ERROR(NUM_EINVAL, "GSL real FFT failed");
    return NUM_OK;
}

/* buf = inverse DFT at level kout of (Y f) folded from level kin: the convolution with f of
 * the signal whose spectrum is Y, sampled every 2^(kout - kin) points of level kin. */
static num_status filter_down(num_scat *s, const double *Y, int kin, const double *f, int kout)
{
    size_t min = s->n >> kin, mout = s->n >> kout, d = min / mout;
    double *b = s->buf;
    for (size_t q = 0; q < mout; q++) {
        double re = 0, im = 0;
        for (size_t r = 0; r < d; r++) {
            size_t i = q + r * mout;
            re += Y[2 * i] * f[i], im += Y[2 * i + 1] * f[i];
        }
        b[2 * q] = re / (double)d, b[2 * q + 1] = im / (double)d;
    }
    if (gsl_fft_complex_inverse(b, 1, mout, s->cwt[kout], s->cws[kout]))
        return NUM_ERROR(NUM_EINVAL, "GSL complex FFT failed");
    return NUM_OK;
}

/* rbuf = |buf| over m = n / 2^k samples. sqrt(re^2 + im^2) rather than hypot (hypot took a
 * third of the subsampled transform's time: 2^16, J = 8, 11.5 -> 8 ms): the squares overflow only for |z| > 1e154 and
 * underflow below 1e-154, far from any signal these checks build (num_scat_transform rejects
 * non-finite output). */
static void modulus(num_scat *s, int k)
{
    size_t m = s->n >> k;
    const double *b = s->buf;
    for (size_t i = 0; i < m; i++)
        s->rbuf[i] = sqrt(b[2 * i] * b[2 * i] + b[2 * i + 1] * b[2 * i + 1]);
}

/* out[0..outlen) = real part of (signal of spectrum Y at level k) * phi, at level K. */
static num_status average(num_scat *s, const double *Y, int k, double *out)
{
    num_status st = filter_down(s, Y, k, s->phik[k], s->K);
    for (size_t i = 0; st == NUM_OK && i < s->outlen; i++)
        out[i] = s->buf[2 * i];
    return st;
}

#define TRY(e)                                                                                 \
    do {                                                                                       \
        num_status st_ = (e);                                                                  \
        if (st_ != NUM_OK)                                                                     \
            return st_;                                                                        \
    } while (0)

/* The wavelet modulus U = |Y * psi_j| from level kin down to level(j); its spectrum in Z. */
static num_status wavelet_modulus(num_scat *s, const double *Y, int kin, int j, double *Z,
                                  int *kout)
{
    int k = level(s, j);
    if (k < kin)
        k = kin;
    TRY(filter_down(s, Y, kin, psi_at(s, j, kin), k));
    modulus(s, k);
    *kout = k;
    return spectrum(s, k, s->rbuf, Z);
}

num_status num_scat_transform(num_scat *s, const double *x, double *out)
{
    if (!s || !x || !out)
        return NUM_ERROR(NUM_EINVAL, "NULL argument");
    size_t L = s->outlen, p = 1;
    TRY(spectrum(s, 0, x, s->X));
    TRY(average(s, s->X, 0, out));
    for (int j1 = 0; s->order >= 1 && j1 < s->J; j1++) {
        int k1, k2;
        TRY(wavelet_modulus(s, s->X, 0, j1, s->U1, &k1));
        TRY(average(s, s->U1, k1, out + (1 + (size_t)j1) * L));
        for (int j2 = j1 + 1; s->order >= 2 && j2 < s->J; j2++) {
            TRY(wavelet_modulus(s, s->U1, k1, j2, s->U2, &k2));
            TRY(average(s, s->U2, k2, out + (1 + (size_t)s->J + p - 1) * L));
            p++;
        }
    }
    for (size_t i = 0; i < s->npaths * L; i++)
        if (!isfinite(out[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite scattering coefficient");
    return NUM_OK;
}

num_status num_scat_modulus(num_scat *s, const double *x, double *out)
{
    if (!s || !x || !out)
        return NUM_ERROR(NUM_EINVAL, "NULL argument");
    if (s->K != 0)
        return NUM_ERROR(NUM_EINVAL, "the unaveraged modulus needs full resolution");
    size_t n = s->n, p = 1;
    memcpy(out, x, n * sizeof *out);
    TRY(spectrum(s, 0, x, s->X));
    for (int j1 = 0; s->order >= 1 && j1 < s->J; j1++) {
        TRY(filter_down(s, s->X, 0, psi_at(s, j1, 0), 0));
        modulus(s, 0);
        memcpy(out + (1 + (size_t)j1) * n, s->rbuf, n * sizeof *out);
        TRY(spectrum(s, 0, s->rbuf, s->U1)); /* overwrites rbuf */
        for (int j2 = j1 + 1; s->order >= 2 && j2 < s->J; j2++) {
            TRY(filter_down(s, s->U1, 0, psi_at(s, j2, 0), 0));
            modulus(s, 0);
            memcpy(out + (s->J + p++) * n, s->rbuf, n * sizeof *out);
        }
    }
    return NUM_OK;
}

static double energy_buf(const num_scat *s)
{
    double e = 0;
    for (size_t i = 0; i < 2 * s->n; i++)
        e += s->buf[i] * s->buf[i];
    return e;
}

static num_status energy_rec(num_scat *s, int m, int jprev, int depth, bool decreasing,
                             double *se, double *ue)
{
    const double *Y = s->spec[m];
    TRY(filter_down(s, Y, 0, s->phik[0], 0));
    se[m] += energy_buf(s);
    for (int j = decreasing ? jprev + 1 : 0; j < s->J; j++) {
        TRY(filter_down(s, Y, 0, psi_at(s, j, 0), 0));
        ue[m] += energy_buf(s);
        if (m < depth) {
            modulus(s, 0);
            TRY(spectrum(s, 0, s->rbuf, s->spec[m + 1]));
            TRY(energy_rec(s, m + 1, j, depth, decreasing, se, ue));
        }
    }
    return NUM_OK;
}

num_status num_scat_energy(num_scat *s, const double *x, int depth, bool decreasing,
                           double *s_energy, double *u_energy)
{
    if (!s || !x || !s_energy || !u_energy)
        return NUM_ERROR(NUM_EINVAL, "NULL argument");
    if (s->K != 0 || depth < 0 || depth > SC_MAX_DEPTH)
        return NUM_ERROR(NUM_EINVAL, "energies need full resolution and 0 <= depth <= 4");
    for (int d = 0; d <= depth; d++) {
        if (!s->spec[d] && !(s->spec[d] = malloc(2 * s->n * sizeof(double))))
            return NUM_ERROR(NUM_ENOMEM, "energy spectra");
        s_energy[d] = u_energy[d] = 0;
    }
    TRY(spectrum(s, 0, x, s->spec[0]));
    TRY(energy_rec(s, 0, -1, depth, decreasing, s_energy, u_energy));
    for (int d = 0; d <= depth; d++)
        if (!isfinite(s_energy[d]) || !isfinite(u_energy[d]))
            return NUM_ERROR(NUM_ENAN, "non-finite scattering energy");
    return NUM_OK;
}

double num_scat_translation_constant(const num_scat *s)
{
    double c = 0;
    for (size_t q = 0; q < s->n; q++)
        c = fmax(c, 2 * M_PI * fabs(num_scat_freq(q, s->n)) * fabs(s->phik[0][q]));
    return ldexp(c, s->J);
}

double num_scat_fft_count(const num_scat *s)
{
    double n = (double)s->n, c = 1 + (double)(s->n >> s->K) / n; /* x; its average */
    for (int j1 = 0; s->order >= 1 && j1 < s->J; j1++) {
        int k1 = level(s, j1);
        c += 2 * ldexp(1.0, -k1) + (double)s->outlen / n;
        for (int j2 = j1 + 1; s->order >= 2 && j2 < s->J; j2++) {
            int k2 = level(s, j2) > k1 ? level(s, j2) : k1;
            c += 2 * ldexp(1.0, -k2) + (double)s->outlen / n;
        }
    }
    return c;
}

num_status num_fourier_modulus(size_t n, const double *x, double *work, double *out)
{
    if (!x || !work || !out)
        return NUM_ERROR(NUM_EINVAL, "NULL argument");
    if (n < 2 || (n & (n - 1)))
        return NUM_ERROR(NUM_EINVAL, "n must be a power of 2, >= 2");
    memcpy(work, x, n * sizeof *work);
    if (gsl_fft_real_radix2_transform(work, 1, n))
        return NUM_ERROR(NUM_EINVAL, "GSL real FFT failed");
    double r = 1.0 / sqrt((double)n);
    out[0] = fabs(work[0]) * r, out[n / 2] = fabs(work[n / 2]) * r;
    for (size_t q = 1; q < n / 2; q++) /* halfcomplex: Re at q, Im at n - q */
        out[q] = out[n - q] = hypot(work[q], work[n - q]) * r;
    return NUM_OK;
}
