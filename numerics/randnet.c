/* numerics/randnet.c — random Gaussian layers on batches of pairs (see randnet.h). */
#include "numerics/randnet.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include <cblas.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>

#include "numerics/kernels.h"
#include "numerics/rng.h"

/* ---- pairs ----------------------------------------------------------------------------- */

/* cos and sin of an angle clamped to [0, pi], exact at both ends so that theta = pi gives
 * y = -x bit for bit (the sign statistics at theta = pi are then exactly degenerate). */
static void angle_cs(double theta, double *c, double *s)
{
    if (theta <= 0.0) {
        *c = 1.0;
        *s = 0.0;
    } else if (theta >= M_PI) {
        *c = -1.0;
        *s = 0.0;
    } else {
        *c = cos(theta);
        *s = sin(theta);
    }
}

num_status num_randnet_pairs_orthogonal(size_t npairs, const double *theta, double *X, size_t d)
{
    if (!theta || !X || npairs == 0 || d < 2 * npairs)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !theta || !X || npairs == 0 || d < 2 "
                                     "* npairs");
    for (size_t p = 0; p < npairs; p++)
        if (!isfinite(theta[p]))
            return NUM_ERROR(NUM_EINVAL, "argument check failed: !isfinite(theta[p])");
    memset(X, 0, sizeof(double) * 2 * npairs * d);
    for (size_t p = 0; p < npairs; p++) {
        double c, s;
        angle_cs(theta[p], &c, &s);
        double *x = X + 2 * p * d, *y = x + d;
        x[2 * p] = 1.0;
        y[2 * p] = c;
        y[2 * p + 1] = s;
    }
    return NUM_OK;
}

num_status num_randnet_pairs_random(gsl_rng *r, size_t npairs, const double *theta, double *X,
                                    size_t d)
{
    if (!r || !theta || !X || npairs == 0 || d < 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !r || !theta || !X || npairs == 0 || "
                                     "d < 2");
    for (size_t p = 0; p < npairs; p++)
        if (!isfinite(theta[p]))
            return NUM_ERROR(NUM_EINVAL, "argument check failed: !isfinite(theta[p])");
    for (size_t p = 0; p < npairs; p++) {
        double *x = X + 2 * p * d, *y = x + d, c, s;
        angle_cs(theta[p], &c, &s);
        num_rng_unit_vector(r, x, d);
        /* u: a Gaussian vector with its x-component removed, normalised. Its norm is
         * chi_{d-1}-distributed, so it is 0 with probability 0; redraw if it underflows. */
        double nu;
        do {
            num_rng_gaussian(r, 1.0, y, d);
            double px = cblas_ddot((int)d, y, 1, x, 1);
            cblas_daxpy((int)d, -px, x, 1, y, 1);
            nu = cblas_dnrm2((int)d, y, 1);
        } while (!(nu > 1e-8));
        for (size_t j = 0; j < d; j++)
            y[j] = c * x[j] + s * (y[j] / nu);
    }
    return NUM_OK;
}

/* ---- layers ---------------------------------------------------------------------------- */

num_status num_randnet_draw(gsl_rng *r, size_t m, size_t d, double sigma_w, double *W,
                            double sigma_b, double *b)
{
    if (!r || !W || m == 0 || d == 0 || !(sigma_w >= 0.0) || !isfinite(sigma_w))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !r || !W || m == 0 || d == 0 || "
                                     "!(sigma_w >= 0.0) || !isfinite(sigma_w)");
    if (b && (!(sigma_b >= 0.0) || !isfinite(sigma_b)))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: b && (!(sigma_b >= 0.0) || "
                                     "!isfinite(sigma_b))");
    num_rng_gaussian(r, sigma_w, W, m * d);
    if (b)
        num_rng_gaussian(r, sigma_b, b, m);
    return NUM_OK;
}

num_status num_randnet_apply(const double *H, size_t n, size_t d, const double *W, size_t m,
                             const double *b, num_act act, double act_eps, double *Z,
                             double *Hout)
{
    if (!H || !W || !Z || n == 0 || d == 0 || m == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || !W || !Z || n == 0 || d == 0 || "
                                     "m == 0");
    if ((int)act < NUM_ACT_LINEAR || (int)act > NUM_ACT_SMOOTH_RELU)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: (int)act < NUM_ACT_LINEAR || (int)act "
                                     "> NUM_ACT_SMOOTH_RELU");
    double beta = 0.0;
    if (b) {
        for (size_t i = 0; i < n; i++)
            memcpy(Z + i * m, b, sizeof(double) * m);
        beta = 1.0;
    }
    /* Z (n x m) = H (n x d) W^T (d x m): one dgemm for the whole batch. */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)m, (int)d, 1.0, H,
                (int)d, W, (int)d, beta, Z, (int)m);
    size_t nz = n * m;
    double *out = Hout ? Hout : Z;
    switch (act) {
    case NUM_ACT_LINEAR:
        if (Hout && Hout != Z)
            memcpy(Hout, Z, sizeof(double) * nz);
        break;
    case NUM_ACT_RELU:
        if (Hout)
            for (size_t i = 0; i < nz; i++)
                Hout[i] = Z[i] > 0.0 ? Z[i] : 0.0;
        break;
    case NUM_ACT_ERF:
        if (Hout)
            for (size_t i = 0; i < nz; i++)
                Hout[i] = erf(Z[i]);
        break;
    case NUM_ACT_TANH:
        if (Hout)
            for (size_t i = 0; i < nz; i++)
                Hout[i] = tanh(Z[i]);
        break;
    default:
        if (Hout)
            for (size_t i = 0; i < nz; i++)
                num_act_eval(act, act_eps, Z[i], &Hout[i], NULL, NULL);
        break;
    }
    for (size_t i = 0; i < nz; i++)
        if (!isfinite(out[i]) || !isfinite(Z[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(out[i]) || !isfinite(Z[i])");
    return NUM_OK;
}

/* ---- pair statistics ------------------------------------------------------------------- */

static size_t pair_index(const size_t *pairs, size_t j)
{
    return pairs ? pairs[j] : j;
}

num_status num_randnet_pooled_cos(const double *H, size_t m, const size_t *pairs, size_t k,
                                  num_randnet_unit unit, double *cos, double *se)
{
    if (!H || !cos || m == 0 || k == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || !cos || m == 0 || k == 0");
    if (unit == NUM_RANDNET_UNIT_ROW && m < 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: unit == NUM_RANDNET_UNIT_ROW && m < 2"
                                     "argument check failed: unit == NUM_RANDNET_UNIT_ROW && m < 2");
    if (unit == NUM_RANDNET_UNIT_SAMPLE && k * m < 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: unit == NUM_RANDNET_UNIT_SAMPLE && k "
                                     "* m < 2");
    double T = 0.0, A = 0.0, B = 0.0;
    for (size_t j = 0; j < k; j++) {
        const double *hx = H + 2 * pair_index(pairs, j) * m, *hy = hx + m;
        T += cblas_ddot((int)m, hx, 1, hy, 1);
        A += cblas_ddot((int)m, hx, 1, hx, 1);
        B += cblas_ddot((int)m, hy, 1, hy, 1);
    }
    double n = (double)(k * m);
    if (!(A > 0.0) || !(B > 0.0)) {
        *cos = 0.0;
        if (se)
            *se = 0.0;
        return isfinite(A) && isfinite(B) && isfinite(T) ? NUM_OK : NUM_ENAN;
    }
    double Am = A / n, Bm = B / n, sab = sqrt(Am * Bm), c = T / sqrt(A * B);
    *cos = c;
    if (!isfinite(c))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(c)");
    if (!se)
        return NUM_OK;
    double ss = 0.0;
    if (unit == NUM_RANDNET_UNIT_SAMPLE) {
        for (size_t j = 0; j < k; j++) {
            const double *hx = H + 2 * pair_index(pairs, j) * m, *hy = hx + m;
            for (size_t i = 0; i < m; i++) {
                double a = hx[i], bb = hy[i];
                double z = a * bb / sab - 0.5 * c * (a * a / Am + bb * bb / Bm);
                ss += z * z;
            }
        }
        *se = sqrt(ss / (n - 1.0) / n);
    } else {
        for (size_t i = 0; i < m; i++) {
            double s = 0.0;
            for (size_t j = 0; j < k; j++) {
                const double *hx = H + 2 * pair_index(pairs, j) * m, *hy = hx + m;
                double a = hx[i], bb = hy[i];
                s += a * bb / sab - 0.5 * c * (a * a / Am + bb * bb / Bm);
            }
            s /= (double)k;
            ss += s * s;
        }
        *se = sqrt(ss / ((double)m - 1.0) / (double)m);
    }
    return isfinite(*se) ? NUM_OK : NUM_ENAN;
}

num_status num_randnet_pooled_dist2(const double *H, size_t m, const size_t *pairs, size_t k,
                                    num_randnet_unit unit, double *dist2, double *se)
{
    if (!H || !dist2 || m == 0 || k == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || !dist2 || m == 0 || k == 0");
    if ((unit == NUM_RANDNET_UNIT_ROW && m < 2) || (unit == NUM_RANDNET_UNIT_SAMPLE && k * m < 2))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: (unit == NUM_RANDNET_UNIT_ROW && m < "
                                     "2) || (unit == NUM_RANDNET_UNIT_SAMPLE && k * m < 2)");
    double S = 0.0;
    for (size_t j = 0; j < k; j++) {
        const double *hx = H + 2 * pair_index(pairs, j) * m, *hy = hx + m;
        for (size_t i = 0; i < m; i++) {
            double t = hx[i] - hy[i];
            S += t * t;
        }
    }
    double n = (double)(k * m), mean = S / n; /* mean per sample; D^ = m * mean */
    *dist2 = S / (double)k;
    if (!isfinite(*dist2))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(*dist2)");
    if (!se)
        return NUM_OK;
    double ss = 0.0;
    if (unit == NUM_RANDNET_UNIT_SAMPLE) {
        for (size_t j = 0; j < k; j++) {
            const double *hx = H + 2 * pair_index(pairs, j) * m, *hy = hx + m;
            for (size_t i = 0; i < m; i++) {
                double t = hx[i] - hy[i], z = t * t - mean;
                ss += z * z;
            }
        }
        /* D^ = m * mean of n i.i.d. samples. */
        *se = (double)m * sqrt(ss / (n - 1.0) / n);
    } else {
        double rowmean = S / (double)k / (double)m; /* mean of the row sums s_i */
        for (size_t i = 0; i < m; i++) {
            double s = 0.0;
            for (size_t j = 0; j < k; j++) {
                const double *hx = H + 2 * pair_index(pairs, j) * m, *hy = hx + m;
                double t = hx[i] - hy[i];
                s += t * t;
            }
            s = s / (double)k - rowmean;
            ss += s * s;
        }
        /* D^ = sum of m i.i.d. row values. */
        *se = sqrt((double)m * ss / ((double)m - 1.0));
    }
    return isfinite(*se) ? NUM_OK : NUM_ENAN;
}

/* Sums over the k pairs of the squared output distances: SN of the ReLU layer's outputs H,
 * SD of the linear baseline's outputs G (same W). Shared by the ratio and the decrease
 * estimators so both pool the pairs in the same order. */
static void pooled_sq_dists(const double *H, const double *G, size_t m, const size_t *pairs,
                            size_t k, double *SN, double *SD)
{
    double sn = 0.0, sd = 0.0;
    for (size_t j = 0; j < k; j++) {
        size_t p = pair_index(pairs, j);
        const double *hx = H + 2 * p * m, *hy = hx + m, *gx = G + 2 * p * m, *gy = gx + m;
        for (size_t i = 0; i < m; i++) {
            double t = hx[i] - hy[i], l = gx[i] - gy[i];
            sn += t * t;
            sd += l * l;
        }
    }
    *SN = sn;
    *SD = sd;
}

num_status num_randnet_pooled_dist2_ratio(const double *H, const double *G, size_t m,
                                          const size_t *pairs, size_t k, num_randnet_unit unit,
                                          double *rho2, double *se)
{
    if (!H || !G || !rho2 || m == 0 || k == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || !G || !rho2 || m == 0 || k == 0"
                                     "argument check failed: !H || !G || !rho2 || m == 0 || k == 0");
    if ((unit == NUM_RANDNET_UNIT_ROW && m < 2) || (unit == NUM_RANDNET_UNIT_SAMPLE && k * m < 2))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: (unit == NUM_RANDNET_UNIT_ROW && m < "
                                     "2) || (unit == NUM_RANDNET_UNIT_SAMPLE && k * m < 2)");
    double SN, SD;
    pooled_sq_dists(H, G, m, pairs, k, &SN, &SD);
    if (!(SD > 0.0))
        return isfinite(SD) ? NUM_EINFEASIBLE : NUM_ENAN;
    double r2 = SN / SD, n = (double)(k * m), lbar = SD / n;
    *rho2 = r2;
    if (!isfinite(r2))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(r2)");
    if (!se)
        return NUM_OK;
    /* Influence of one sample on SN/SD: (t^2 - rho2 l^2) / mean(l^2), mean zero. */
    double ss = 0.0;
    if (unit == NUM_RANDNET_UNIT_SAMPLE) {
        for (size_t j = 0; j < k; j++) {
            size_t p = pair_index(pairs, j);
            const double *hx = H + 2 * p * m, *hy = hx + m, *gx = G + 2 * p * m, *gy = gx + m;
            for (size_t i = 0; i < m; i++) {
                double t = hx[i] - hy[i], l = gx[i] - gy[i];
                double z = (t * t - r2 * l * l) / lbar;
                ss += z * z;
            }
        }
        *se = sqrt(ss / (n - 1.0) / n);
    } else {
        for (size_t i = 0; i < m; i++) {
            double s = 0.0;
            for (size_t j = 0; j < k; j++) {
                size_t p = pair_index(pairs, j);
                const double *hx = H + 2 * p * m, *hy = hx + m, *gx = G + 2 * p * m,
                             *gy = gx + m;
                double t = hx[i] - hy[i], l = gx[i] - gy[i];
                s += (t * t - r2 * l * l) / lbar;
            }
            s /= (double)k;
            ss += s * s;
        }
        *se = sqrt(ss / ((double)m - 1.0) / (double)m);
    }
    return isfinite(*se) ? NUM_OK : NUM_ENAN;
}

num_status num_randnet_pooled_dist_decrease(const double *H, const double *G, size_t m,
                                            const size_t *pairs, size_t k,
                                            num_randnet_unit unit, double *delta, double *se)
{
    if (!H || !G || !delta || m == 0 || k == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || !G || !delta || m == 0 || k == "
                                     "0");
    if ((unit == NUM_RANDNET_UNIT_ROW && m < 2) || (unit == NUM_RANDNET_UNIT_SAMPLE && k * m < 2))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: (unit == NUM_RANDNET_UNIT_ROW && m < "
                                     "2) || (unit == NUM_RANDNET_UNIT_SAMPLE && k * m < 2)");
    double SN, SD;
    pooled_sq_dists(H, G, m, pairs, k, &SN, &SD);
    double DH = SN / (double)k, DG = SD / (double)k;
    *delta = sqrt(DG) - sqrt(DH);
    if (!isfinite(*delta))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(*delta)");
    if (!se)
        return NUM_OK;
    if (!(DH > 0.0) || !(DG > 0.0)) {
        *se = 0.0;
        return NUM_OK;
    }
    /* D = m * (mean of the k m per-sample squares); d sqrt(D) = dD / (2 sqrt(D)). The
     * influence of one sample on delta is m (l^2 - mean l^2) / (2 sqrt(DG)) minus the same
     * for H; the mean of the influences is 0. */
    double n = (double)(k * m), mt = SN / n, ml = SD / n;
    double cg = (double)m / (2.0 * sqrt(DG)), ch = (double)m / (2.0 * sqrt(DH)), ss = 0.0;
    if (unit == NUM_RANDNET_UNIT_SAMPLE) {
        for (size_t j = 0; j < k; j++) {
            size_t p = pair_index(pairs, j);
            const double *hx = H + 2 * p * m, *hy = hx + m, *gx = G + 2 * p * m, *gy = gx + m;
            for (size_t i = 0; i < m; i++) {
                double t = hx[i] - hy[i], l = gx[i] - gy[i];
                double z = cg * (l * l - ml) - ch * (t * t - mt);
                ss += z * z;
            }
        }
        *se = sqrt(ss / (n - 1.0) / n);
    } else {
        for (size_t i = 0; i < m; i++) {
            double s = 0.0;
            for (size_t j = 0; j < k; j++) {
                size_t p = pair_index(pairs, j);
                const double *hx = H + 2 * p * m, *hy = hx + m, *gx = G + 2 * p * m,
                             *gy = gx + m;
                double t = hx[i] - hy[i], l = gx[i] - gy[i];
                s += cg * (l * l - ml) - ch * (t * t - mt);
            }
            s /= (double)k;
            ss += s * s;
        }
        *se = sqrt(ss / ((double)m - 1.0) / (double)m);
    }
    return isfinite(*se) ? NUM_OK : NUM_ENAN;
}

num_status num_randnet_pair_stats(const double *H, size_t npairs, size_t m, double *cos,
                                  double *dist2)
{
    if (!H || npairs == 0 || m == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || npairs == 0 || m == 0");
    for (size_t p = 0; p < npairs; p++) {
        const double *hx = H + 2 * p * m, *hy = hx + m;
        if (cos) {
            double nx = cblas_dnrm2((int)m, hx, 1), ny = cblas_dnrm2((int)m, hy, 1);
            cos[p] = (nx > 0.0 && ny > 0.0) ? cblas_ddot((int)m, hx, 1, hy, 1) / (nx * ny) : 0.0;
            if (!isfinite(cos[p]))
                return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(cos[p])");
        }
        if (dist2) {
            double s = 0.0;
            for (size_t i = 0; i < m; i++) {
                double t = hx[i] - hy[i];
                s += t * t;
            }
            dist2[p] = s;
            if (!isfinite(s))
                return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(s)");
        }
    }
    return NUM_OK;
}

num_status num_randnet_sign_disagreements(const double *Z, size_t npairs, size_t m,
                                          size_t *count, size_t *valid)
{
    if (!Z || !count || npairs == 0 || m == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !Z || !count || npairs == 0 || m == 0"
                                     "argument check failed: !Z || !count || npairs == 0 || m == 0");
    for (size_t p = 0; p < npairs; p++) {
        const double *zx = Z + 2 * p * m, *zy = zx + m;
        size_t c = 0, v = 0;
        for (size_t i = 0; i < m; i++) {
            if (zx[i] == 0.0 || zy[i] == 0.0)
                continue;
            v++;
            c += (zx[i] > 0.0) != (zy[i] > 0.0);
        }
        count[p] = c;
        if (valid)
            valid[p] = v;
    }
    return NUM_OK;
}

num_status num_randnet_row_sign_fractions(const double *Z, size_t npairs, size_t m,
                                          double *mean, double *var)
{
    if (!Z || !mean || !var || npairs == 0 || m == 0)
        return NUM_ERROR(NUM_EINVAL,
                         "argument check failed: !Z || !mean || !var || npairs == 0 || m == 0");
    double s1 = 0.0, s2 = 0.0;
    for (size_t i = 0; i < m; i++) {
        double fi = 0.0;
        for (size_t p = 0; p < npairs; p++) {
            double zx = Z[2 * p * m + i], zy = Z[(2 * p + 1) * m + i];
            fi += (zx > 0.0) != (zy > 0.0);
        }
        fi /= (double)npairs;
        s1 += fi;
        s2 += fi * fi;
    }
    double mu = s1 / (double)m;
    *mean = mu;
    *var = m > 1 ? (s2 - (double)m * mu * mu) / ((double)m - 1.0) : 0.0;
    return NUM_OK;
}

num_status num_randnet_add_relative_noise(gsl_rng *r, double rel, double *H, size_t len)
{
    if (!r || !H || len == 0 || len > (size_t)INT_MAX || !(rel >= 0.0) || !isfinite(rel))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !r || !H || len == 0 || len > "
                                     "INT_MAX || !(rel >= 0.0) || !isfinite(rel)");
    double ss = cblas_ddot((int)len, H, 1, H, 1);
    double sig = rel * sqrt(ss / (double)len);
    for (size_t i = 0; i < len; i++) {
        double e;
        num_rng_gaussian(r, sig, &e, 1);
        H[i] += e;
    }
    return NUM_OK;
}

/* ---- exact ReLU moments ---------------------------------------------------------------- */

typedef struct {
    int p, q;
    double theta;
} moment_arg;

static double moment_integrand(double phi, void *arg)
{
    const moment_arg *a = arg;
    return gsl_pow_int(cos(phi), a->p) * gsl_pow_int(cos(phi - a->theta), a->q);
}

/* Gauss-Legendre nodes for the moment integrals. The integrand is a trigonometric polynomial
 * of degree p + q <= 16 on an interval of length pi - theta <= pi; 64 nodes integrate it to
 * rounding error (the Gauss-Legendre error for an entire function of this frequency decays
 * like (e L f / (4 n))^(2n), far below 1e-16 at n = 64). */
#define MOMENT_NODES 64

num_status num_randnet_relu_moment(int p, int q, double theta, double *out)
{
    if (!out || p < 0 || q < 0 || p > 8 || q > 8 || !(theta >= 0.0 && theta <= M_PI))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !out || p < 0 || q < 0 || p > 8 || q "
                                     "> 8 || !(theta >= 0.0 && theta <= M_PI)");
    if (theta >= M_PI) { /* v = -u: the quadrant {u > 0, v > 0} is empty */
        *out = 0.0;
        return NUM_OK;
    }
    gsl_integration_glfixed_table *t = gsl_integration_glfixed_table_alloc(MOMENT_NODES);
    if (!t)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    moment_arg a = {p, q, theta};
    gsl_function f = {moment_integrand, &a};
    double integral = gsl_integration_glfixed(&f, theta - M_PI / 2.0, M_PI / 2.0, t);
    gsl_integration_glfixed_table_free(t);
    double k = (double)(p + q);
    double Er = pow(2.0, k / 2.0) * gsl_sf_gamma(1.0 + k / 2.0);
    *out = Er * integral / (2.0 * M_PI);
    return isfinite(*out) ? NUM_OK : NUM_ENAN;
}

num_status num_randnet_relu_cos_var(double theta, double *var)
{
    if (!var)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !var");
    double m22 = 0.0, m31 = 0.0; /* set by the calls below when st == NUM_OK */
    num_status st = num_randnet_relu_moment(2, 2, theta, &m22);
    if (st == NUM_OK)
        st = num_randnet_relu_moment(3, 1, theta, &m31);
    if (st != NUM_OK)
        return st;
    double g = num_relu_cos_law(theta);
    double v = 4.0 * m22 - 8.0 * g * m31 + g * g * (3.0 + 2.0 * m22);
    *var = v > 0.0 ? v : 0.0; /* exact value is >= 0; rounding near theta = 0 */
    return NUM_OK;
}

num_status num_randnet_relu_dist2_var(double theta, double *var)
{
    if (!var)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !var");
    double m22 = 0.0, m31 = 0.0; /* set by the calls below when st == NUM_OK */
    num_status st = num_randnet_relu_moment(2, 2, theta, &m22);
    if (st == NUM_OK)
        st = num_randnet_relu_moment(3, 1, theta, &m31);
    if (st != NUM_OK)
        return st;
    double g = num_relu_cos_law(theta);
    double v = 3.0 - 8.0 * m31 + 6.0 * m22 - (1.0 - g) * (1.0 - g);
    *var = v > 0.0 ? v : 0.0;
    return NUM_OK;
}
