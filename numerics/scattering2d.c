/* numerics/scattering2d.c — the 2-D scattering transform at full resolution (see
 * scattering2d.h). */
#include "numerics/scattering2d.h"
#include "numerics/scattering_filters.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_fft_complex.h>

#define S2_XI0 0.375
#define S2_SIGMA_RATIO 3.
#define S2_MAX_DEPTH 3

struct num_scat2d {
    size_t n, N, npaths; /* N = n^2 */
    int J, L, order;
    double *phi, *psi; /* N; J L x N */
    gsl_fft_complex_wavetable *wt;
    gsl_fft_complex_workspace *ws;
    double *X, *U1, *U2, *buf, *rbuf;
    double *spec[S2_MAX_DEPTH + 1];
};


static size_t mirror(size_t q, size_t n) { return ((n - q / n) % n) * n + (n - q % n) % n; }

static double *psi_of(const num_scat2d *s, int j, int l)
{
    return s->psi + ((size_t)j * s->L + l) * s->N;
}

/* One Morlet wavelet (separable periodised Gaussians, mean removed). */
static void morlet(const num_scat2d *s, int j, int l, double *out)
{
    size_t n = s->n;
    double xi = S2_XI0 * ldexp(1.0, -j), sg = xi / S2_SIGMA_RATIO, th = M_PI * l / s->L;
    double c1 = xi * cos(th), c2 = xi * sin(th);
    double g0 = num_scat_gauss_per(0, sg);
    double beta = num_scat_gauss_per(-c1, sg) * num_scat_gauss_per(-c2, sg) / (g0 * g0);
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            double w1 = num_scat_freq(a, n), w2 = num_scat_freq(b, n);
            out[a * n + b] = num_scat_gauss_per(w1 - c1, sg) * num_scat_gauss_per(w2 - c2, sg) -
                             beta * num_scat_gauss_per(w1, sg) * num_scat_gauss_per(w2, sg);
        }
}

static void build_filters(num_scat2d *s, bool raw)
{
    size_t n = s->n, N = s->N, JL = (size_t)s->J * s->L;
    double sphi = S2_XI0 * ldexp(1.0, 1 - s->J) / S2_SIGMA_RATIO, *A = s->rbuf;
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            s->phi[a * n + b] = num_scat_gauss_per(num_scat_freq(a, n), sphi) *
                                num_scat_gauss_per(num_scat_freq(b, n), sphi);
    for (int j = 0; j < s->J; j++)
        for (int l = 0; l < s->L; l++)
            morlet(s, j, l, psi_of(s, j, l));
    for (size_t q = 0; q < N; q++) {
        size_t qm = mirror(q, n);
        A[q] = s->phi[q] * s->phi[q];
        for (size_t k = 0; k < JL; k++) {
            const double *p = s->psi + k * N;
            A[q] += 0.5 * (p[q] * p[q] + p[qm] * p[qm]);
        }
    }
    for (size_t q = 0; q < N && !raw; q++) {
        double r = 1.0 / sqrt(A[q]);
        s->phi[q] *= r;
        for (size_t k = 0; k < JL; k++)
            s->psi[k * N + q] *= r;
    }
}

num_status num_scat2d_alloc(const num_scat2d_opts *o, num_scat2d **out)
{
    if (!o || !out)
        return NUM_ERROR(NUM_EINVAL, "NULL argument");
    *out = NULL;
    if (o->n < 8 || o->n > 4096 || (o->n & (o->n - 1)))
        return NUM_ERROR(NUM_EINVAL, "n must be a power of 2 in [8, 4096]");
    if (o->J < 1 || o->J > 12 || ((size_t)1 << o->J) > o->n / 4)
        return NUM_ERROR(NUM_EINVAL, "J must satisfy 1 <= J and 2^J <= n / 4");
    if (o->L < 1 || o->L > 16 || o->order < 0 || o->order > 2)
        return NUM_ERROR(NUM_EINVAL, "L must be in 1..16 and order 0, 1 or 2");
    num_scat2d *s = calloc(1, sizeof *s);
    if (!s)
        return NUM_ERROR(NUM_ENOMEM, "scattering object");
    size_t N = o->n * o->n, JL = (size_t)o->J * o->L;
    s->n = o->n, s->N = N, s->J = o->J, s->L = o->L, s->order = o->order;
    s->npaths = 1 + (o->order >= 1 ? JL : 0) +
                (o->order >= 2 ? (size_t)o->L * o->L * o->J * (o->J - 1) / 2 : 0);
    s->phi = malloc(N * sizeof(double));
    s->psi = malloc(JL * N * sizeof(double));
    s->wt = gsl_fft_complex_wavetable_alloc(o->n);
    s->ws = gsl_fft_complex_workspace_alloc(o->n);
    s->X = malloc(2 * N * sizeof(double)), s->U1 = malloc(2 * N * sizeof(double));
    s->U2 = malloc(2 * N * sizeof(double)), s->buf = malloc(2 * N * sizeof(double));
    s->rbuf = malloc(N * sizeof(double));
    if (!s->phi || !s->psi || !s->wt || !s->ws || !s->X || !s->U1 || !s->U2 || !s->buf ||
        !s->rbuf) {
        num_scat2d_free(s);
        return NUM_ERROR(NUM_ENOMEM, "scattering filters and buffers");
    }
    build_filters(s, o->raw);
    *out = s;
    return NUM_OK;
}

void num_scat2d_free(num_scat2d *s)
{
    if (!s)
        return;
    if (s->wt)
        gsl_fft_complex_wavetable_free(s->wt);
    if (s->ws)
        gsl_fft_complex_workspace_free(s->ws);
    free(s->phi), free(s->psi), free(s->X), free(s->U1), free(s->U2), free(s->buf), free(s->rbuf);
    for (int d = 0; d <= S2_MAX_DEPTH; d++)
        free(s->spec[d]);
    free(s);
}

size_t num_scat2d_npaths(const num_scat2d *s) { return s->npaths; }
const double *num_scat2d_phi_hat(const num_scat2d *s) { return s->phi; }
const double *num_scat2d_psi_hat(const num_scat2d *s, int j, int l)
{
    return j >= 0 && j < s->J && l >= 0 && l < s->L ? psi_of(s, j, l) : NULL;
}

/* In-place 2-D DFT of z (n x n complex): rows, then columns. */
static num_status fft2(num_scat2d *s, double *z, bool inverse)
{
    size_t n = s->n;
    for (size_t r = 0; r < n; r++)
        if ((inverse ? gsl_fft_complex_inverse : gsl_fft_complex_forward)(z + 2 * r * n, 1, n,
                                                                           s->wt, s->ws))
            return NUM_ERROR(NUM_EINVAL, "GSL complex FFT failed");
    for (size_t c = 0; c < n; c++)
        if ((inverse ? gsl_fft_complex_inverse : gsl_fft_complex_forward)(z + 2 * c, n, n,
                                                                           s->wt, s->ws))
            return NUM_ERROR(NUM_EINVAL, "GSL complex FFT failed");
    return NUM_OK;
}

#define TRY(e)                                                                                 \
    do {                                                                                       \
        num_status st_ = (e);                                                                  \
        if (st_ != NUM_OK)                                                                     \
            return st_;                                                                        \
    } while (0)

/* Z = spectrum of the real image in[N]. */
static num_status spectrum(num_scat2d *s, const double *in, double *Z)
{
    for (size_t i = 0; i < s->N; i++)
        Z[2 * i] = in[i], Z[2 * i + 1] = 0;
    return fft2(s, Z, false);
}

/* buf = inverse DFT of Y f. */
static num_status filter(num_scat2d *s, const double *Y, const double *f)
{
    for (size_t i = 0; i < s->N; i++)
        s->buf[2 * i] = Y[2 * i] * f[i], s->buf[2 * i + 1] = Y[2 * i + 1] * f[i];
    return fft2(s, s->buf, true);
}

static void modulus(num_scat2d *s)
{
    const double *b = s->buf;
    for (size_t i = 0; i < s->N; i++)
        s->rbuf[i] = sqrt(b[2 * i] * b[2 * i] + b[2 * i + 1] * b[2 * i + 1]);
}

static num_status average(num_scat2d *s, const double *Y, double *out)
{
    TRY(filter(s, Y, s->phi));
    for (size_t i = 0; i < s->N; i++)
        out[i] = s->buf[2 * i];
    return NUM_OK;
}

/* The cascade; averaged (S) or not (U, row 0 = x). */
static num_status cascade(num_scat2d *s, const double *x, double *out, bool avg)
{
    size_t N = s->N, p = 1 + (s->order >= 1 ? (size_t)s->J * s->L : 0), q = 1;
    TRY(spectrum(s, x, s->X));
    if (avg)
        TRY(average(s, s->X, out));
    else
        memcpy(out, x, N * sizeof *out);
    for (int j1 = 0; s->order >= 1 && j1 < s->J; j1++)
        for (int l1 = 0; l1 < s->L; l1++, q++) {
            TRY(filter(s, s->X, psi_of(s, j1, l1)));
            modulus(s);
            if (!avg)
                memcpy(out + q * N, s->rbuf, N * sizeof *out);
            TRY(spectrum(s, s->rbuf, s->U1));
            if (avg)
                TRY(average(s, s->U1, out + q * N));
            for (int j2 = j1 + 1; s->order >= 2 && j2 < s->J; j2++)
                for (int l2 = 0; l2 < s->L; l2++, p++) {
                    TRY(filter(s, s->U1, psi_of(s, j2, l2)));
                    modulus(s);
                    if (!avg) {
                        memcpy(out + p * N, s->rbuf, N * sizeof *out);
                        continue;
                    }
                    TRY(spectrum(s, s->rbuf, s->U2));
                    TRY(average(s, s->U2, out + p * N));
                }
        }
    for (size_t i = 0; i < s->npaths * N; i++)
        if (!isfinite(out[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite scattering coefficient");
    return NUM_OK;
}

num_status num_scat2d_transform(num_scat2d *s, const double *x, double *out)
{
    if (!s || !x || !out)
        return NUM_ERROR(NUM_EINVAL, "NULL argument");
    return cascade(s, x, out, true);
}

num_status num_scat2d_modulus(num_scat2d *s, const double *x, double *out)
{
    if (!s || !x || !out)
        return NUM_ERROR(NUM_EINVAL, "NULL argument");
    return cascade(s, x, out, false);
}

static double energy_buf(const num_scat2d *s)
{
    double e = 0;
    for (size_t i = 0; i < 2 * s->N; i++)
        e += s->buf[i] * s->buf[i];
    return e;
}

static num_status energy_rec(num_scat2d *s, int m, int depth, double *se, double *ue)
{
    const double *Y = s->spec[m];
    TRY(filter(s, Y, s->phi));
    se[m] += energy_buf(s);
    for (int j = 0; j < s->J; j++)
        for (int l = 0; l < s->L; l++) {
            TRY(filter(s, Y, psi_of(s, j, l)));
            ue[m] += energy_buf(s);
            if (m < depth) {
                modulus(s);
                TRY(spectrum(s, s->rbuf, s->spec[m + 1]));
                TRY(energy_rec(s, m + 1, depth, se, ue));
            }
        }
    return NUM_OK;
}

num_status num_scat2d_energy(num_scat2d *s, const double *x, int depth, double *s_energy,
                             double *u_energy)
{
    if (!s || !x || !s_energy || !u_energy)
        return NUM_ERROR(NUM_EINVAL, "NULL argument");
    if (depth < 0 || depth > S2_MAX_DEPTH)
        return NUM_ERROR(NUM_EINVAL, "depth must be in 0..3");
    for (int d = 0; d <= depth; d++) {
        if (!s->spec[d] && !(s->spec[d] = malloc(2 * s->N * sizeof(double))))
            return NUM_ERROR(NUM_ENOMEM, "energy spectra");
        s_energy[d] = u_energy[d] = 0;
    }
    TRY(spectrum(s, x, s->spec[0]));
    TRY(energy_rec(s, 0, depth, s_energy, u_energy));
    for (int d = 0; d <= depth; d++)
        if (!isfinite(s_energy[d]) || !isfinite(u_energy[d]))
            return NUM_ERROR(NUM_ENAN, "non-finite scattering energy");
    return NUM_OK;
}

double num_scat2d_translation_constant(const num_scat2d *s)
{
    double c = 0;
    size_t n = s->n;
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            double w = hypot(num_scat_freq(a, n), num_scat_freq(b, n));
            c = fmax(c, 2 * M_PI * w * fabs(s->phi[a * n + b]));
        }
    return ldexp(c, s->J);
}
