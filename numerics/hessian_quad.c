/* numerics/hessian_quad.c — binary128 eigenvalue counts of the deep linear network's
 * exponential-loss Hessian (see hessian_quad.h). */
#include "numerics/hessian_quad.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Exact powers of two for the scalings (binary128 keeps them exactly). */
#define Q_2P600 ((num_quad)0x1p600)
#define Q_2M600 ((num_quad)0x1p-600)
#define Q_2P300 ((num_quad)0x1p300)
#define Q_2M300 ((num_quad)0x1p-300)

num_quad num_quad_sqrt(num_quad x)
{
    if (!(x >= 0))
        return (num_quad)NAN;
    if (x == 0 || x - x != 0) /* 0, infinity, NaN */
        return x;
    num_quad s = 1;
    while (x > Q_2P600) { /* sqrt(x) = 2^300 sqrt(x 2^-600), exactly */
        x *= Q_2M600;
        s *= Q_2P300;
    }
    while (x < Q_2M600) {
        x *= Q_2P600;
        s *= Q_2M300;
    }
    /* From 53 correct bits, each Newton step doubles them: 106, then > 113. */
    num_quad r = (num_quad)sqrt((double)x);
    r = 0.5 * (r + x / r);
    r = 0.5 * (r + x / r);
    return s * r;
}

/* ln 2 = 2 atanh(1/3) = 2 sum_k 3^-(2k+1) / (2k+1): each term is 9x smaller, 40 terms reach
 * 1e-38 relative. */
static num_quad quad_ln2(void)
{
    num_quad p = (num_quad)1 / 3, sum = 0;
    for (int k = 0; k < 40; k++) {
        sum += p / (2 * k + 1);
        p /= 9;
    }
    return 2 * sum;
}

num_quad num_quad_exp_neg(num_quad t)
{
    /* exp(-11500) < 2^-16590, below the smallest subnormal binary128 (2^-16494). */
    if (!(t >= 0))
        return (num_quad)NAN;
    if (t > 11500)
        return 0;
    num_quad ln2 = quad_ln2();
    double kd = floor((double)(t / ln2) + 0.5);
    num_quad r = t - (num_quad)kd * ln2; /* |r| <= ln2 / 2 + rounding */
    /* exp(-r) = sum_j (-r)^j / j!; |r|^j / j! < 1e-36 for j >= 30 when |r| <= 0.35. */
    num_quad term = 1, e = 1;
    for (int j = 1; j < 34; j++) {
        term *= -r / j;
        e += term;
    }
    long k = (long)kd;
    for (; k >= 64; k -= 64)
        e *= (num_quad)0x1p-64;
    for (; k > 0; k--)
        e *= 0.5;
    return e;
}

/* ---- Jacobi ----------------------------------------------------------------------------- */

static num_quad qabs(num_quad x) { return x < 0 ? -x : x; }

/* One rotation in the (p, q) plane that annihilates A[p][q] (Golub & Van Loan Alg. 8.5.1:
 * tau = (a_qq - a_pp) / (2 a_pq), t the smaller root of t^2 + 2 tau t - 1 = 0). Entries with
 * |a_pq| <= skip are left (threshold Jacobi): all of them together have Frobenius norm
 * <= n skip, which the caller keeps at eps ||A||_F, the accuracy already accepted. */
static void jacobi_rotate(size_t n, num_quad *A, size_t p, size_t q, num_quad skip)
{
    num_quad apq = A[p * n + q];
    if (qabs(apq) <= skip)
        return;
    num_quad tau = (A[q * n + q] - A[p * n + p]) / (2 * apq), t;
    /* For |tau| > 1e17, sqrt(1 + tau^2) = |tau| (1 + O(1e-35)): t = 1 / (2 tau). */
    if (qabs(tau) > (num_quad)1e17)
        t = 1 / (2 * tau);
    else
        t = (tau >= 0 ? 1 : -1) / (qabs(tau) + num_quad_sqrt(1 + tau * tau));
    num_quad c = 1 / num_quad_sqrt(1 + t * t), s = t * c;
    for (size_t k = 0; k < n; k++) { /* A <- A J (columns p, q) */
        num_quad akp = A[k * n + p], akq = A[k * n + q];
        A[k * n + p] = c * akp - s * akq;
        A[k * n + q] = s * akp + c * akq;
    }
    for (size_t k = 0; k < n; k++) { /* A <- J^T A (rows p, q) */
        num_quad apk = A[p * n + k], aqk = A[q * n + k];
        A[p * n + k] = c * apk - s * aqk;
        A[q * n + k] = s * apk + c * aqk;
    }
    A[p * n + q] = A[q * n + p] = 0;
}

static int cmp_quad(const void *a, const void *b)
{
    num_quad x = *(const num_quad *)a, y = *(const num_quad *)b;
    return (x > y) - (x < y);
}

num_status num_quad_eigh(size_t n, num_quad *A, num_quad *evals)
{
    if (n == 0 || !A || !evals)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || !A || !evals");
    num_quad fro = 0;
    for (size_t i = 0; i < n * n; i++)
        fro += A[i] * A[i];
    num_quad thr = NUM_QUAD_EPS * NUM_QUAD_EPS * fro;
    num_quad skip = NUM_QUAD_EPS * num_quad_sqrt(fro) / (num_quad)n;
    bool conv = false;
    for (int sweep = 0; sweep < 60 && !conv; sweep++) {
        num_quad off = 0;
        for (size_t p = 0; p < n; p++)
            for (size_t q = p + 1; q < n; q++)
                off += 2 * A[p * n + q] * A[p * n + q];
        if (off <= thr) {
            conv = true;
            break;
        }
        for (size_t p = 0; p < n; p++)
            for (size_t q = p + 1; q < n; q++)
                jacobi_rotate(n, A, p, q, skip);
    }
    if (!conv)
        return NUM_ERROR(NUM_ENOCONV, "Jacobi did not converge in 60 sweeps");
    for (size_t i = 0; i < n; i++)
        evals[i] = A[i * n + i];
    qsort(evals, n, sizeof *evals, cmp_quad);
    return NUM_OK;
}

/* ---- counts ----------------------------------------------------------------------------- */

/* log10 of a positive binary128 ratio (clamped to [1e-300, 1e300] as a double). */
static double qlog10(num_quad x)
{
    double d = (double)x;
    return log10(d < 1e-300 ? 1e-300 : d > 1e300 ? 1e300 : d);
}

/* min(log10(tol / below), log10(above / tol)), a missing side ignored, 99 if both are. */
static double stable_decades(num_quad tol, num_quad below, bool has_below, num_quad above,
                             bool has_above)
{
    double s = 99.0;
    if (has_below)
        s = fmin(s, below > 0 ? qlog10(tol / below) : 99.0);
    if (has_above)
        s = fmin(s, qlog10(above / tol));
    return s;
}

/* The counts of evals[0..r) (ascending) at tolerance tol, their stability, the smallest gap
 * between distinct values; amax = max |mu|. */
static void counts_at(size_t r, const num_quad *evals, num_quad tol, num_quad amax,
                      num_quad_count *out)
{
    num_quad zmax = 0, nzmin = 0, prev = 0, gin = 0, gout = 0;
    bool hz = false, hnz = false, hprev = false, hin = false, hout = false;
    out->nonzero = out->distinct = 0;
    for (size_t i = 0; i < r; i++) { /* ascending: consecutive nonzero values */
        num_quad a = qabs(evals[i]);
        if (a <= tol) {
            zmax = hz && zmax > a ? zmax : a;
            hz = true;
            continue;
        }
        nzmin = hnz && nzmin < a ? nzmin : a;
        hnz = true;
        out->nonzero++;
        if (hprev) {
            num_quad g = evals[i] - prev;
            if (g <= tol) {
                gin = hin && gin > g ? gin : g;
                hin = true;
            } else {
                gout = hout && gout < g ? gout : g;
                hout = true;
                out->distinct++;
            }
        } else {
            out->distinct = 1;
        }
        prev = evals[i];
        hprev = true;
    }
    out->nonzero_stable = stable_decades(tol, zmax, hz, nzmin, hnz);
    out->distinct_stable = stable_decades(tol, gin, hin, gout, hout);
    out->min_gap_rel = hout && amax > 0 ? (double)(gout / amax) : NAN;
}

num_status num_quad_counts(size_t r, const num_quad *evals, double c, num_quad_count *out)
{
    if (r == 0 || !evals || !out || !(c > 0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: r == 0 || !evals || !out || c <= 0");
    num_quad amax = 0;
    for (size_t i = 0; i < r; i++)
        amax = qabs(evals[i]) > amax ? qabs(evals[i]) : amax;
    *out = (num_quad_count){.r = r, .amax = (double)amax};
    num_quad_count fl = *out;
    num_quad tol = (num_quad)c * (num_quad)r * NUM_QUAD_EPS * amax;
    counts_at(r, evals, (num_quad)r * NUM_QUAD_EPS * amax, amax, &fl);
    counts_at(r, evals, tol, amax, out);
    out->nonzero_floor = fl.nonzero;
    out->distinct_floor = fl.distinct;
    return NUM_OK;
}

/* ---- the reduced Hessian of eq. (46) ------------------------------------------------------ */

static num_quad qdot(size_t d, const num_quad *a, const num_quad *b)
{
    num_quad s = 0;
    for (size_t j = 0; j < d; j++)
        s += a[j] * b[j];
    return s;
}

/* Margins m_n = y_n w2^T W1 x_n and the hidden values h_n = W1 x_n (n x N1), in binary128
 * from the exact double inputs; the index of the smallest margin. */
static size_t linexp_margins(size_t n, size_t d, size_t N1, const num_quad *Xq, const double *y,
                             const double *W1, const double *w2, num_quad *h, num_quad *m)
{
    size_t nstar = 0;
    for (size_t s = 0; s < n; s++) {
        num_quad f = 0;
        for (size_t i = 0; i < N1; i++) {
            num_quad a = 0;
            for (size_t j = 0; j < d; j++)
                a += (num_quad)W1[i * d + j] * Xq[s * d + j];
            h[s * N1 + i] = a;
            f += (num_quad)w2[i] * a;
        }
        m[s] = (num_quad)y[s] * f;
        if (m[s] < m[nstar])
            nstar = s;
    }
    return nstar;
}

/* Orthonormal u_1..u_{n-1} spanning span{x_m : m != n*} minus vh (modified Gram–Schmidt,
 * twice). A residual below 1e-8 of |x_m| means the data are numerically dependent at double
 * precision already (the inputs are doubles): infeasible. */
static bool linexp_basis(size_t n, size_t d, const num_quad *Xq, size_t nstar,
                         const num_quad *vh, num_quad *U)
{
    size_t k = 0;
    for (size_t s = 0; s < n; s++) {
        if (s == nstar)
            continue;
        num_quad *u = U + k * d;
        memcpy(u, Xq + s * d, d * sizeof *u);
        num_quad nx = num_quad_sqrt(qdot(d, u, u));
        for (int pass = 0; pass < 2; pass++) {
            num_quad a = qdot(d, u, vh);
            for (size_t j = 0; j < d; j++)
                u[j] -= a * vh[j];
            for (size_t l = 0; l < k; l++) {
                num_quad b = qdot(d, u, U + l * d);
                for (size_t j = 0; j < d; j++)
                    u[j] -= b * U[l * d + j];
            }
        }
        num_quad nu = num_quad_sqrt(qdot(d, u, u));
        if (!(nu > (num_quad)1e-8 * nx))
            return false;
        for (size_t j = 0; j < d; j++)
            u[j] /= nu;
        k++;
    }
    return true;
}

/* M = sum_n e_n c_n c_n^T - |v| (identity between groups 1 and 2); c_n as in the header. */
static void linexp_assemble(size_t n, size_t d, size_t N1, const num_quad *Xq, const double *w2,
                            const num_quad *h, const num_quad *e, const num_quad *vh,
                            num_quad vn, const num_quad *U, num_quad *M, num_quad *c)
{
    size_t r = 2 * N1 + n - 1;
    num_quad w2n = 0;
    for (size_t i = 0; i < N1; i++)
        w2n += (num_quad)w2[i] * (num_quad)w2[i];
    w2n = num_quad_sqrt(w2n);
    memset(M, 0, r * r * sizeof *M);
    for (size_t s = 0; s < n; s++) {
        if (e[s] == 0)
            continue;
        const num_quad *x = Xq + s * d;
        num_quad xv = qdot(d, x, vh);
        for (size_t i = 0; i < N1; i++) {
            c[i] = xv * (num_quad)w2[i];
            c[N1 + i] = h[s * N1 + i];
        }
        for (size_t j = 0; j + 1 < n; j++)
            c[2 * N1 + j] = w2n * qdot(d, x, U + j * d);
        for (size_t p = 0; p < r; p++)
            for (size_t q = 0; q < r; q++)
                M[p * r + q] += e[s] * c[p] * c[q];
    }
    for (size_t i = 0; i < N1; i++) {
        M[i * r + N1 + i] -= vn;
        M[(N1 + i) * r + i] -= vn;
    }
}

num_status num_hessian_linexp_quad(size_t n, size_t d, size_t N1, const double *X,
                                   const double *y, const double *W1, const double *w2,
                                   bool limit, num_quad *M, double *second, double *min_margin)
{
    if (n < 2 || d < n || N1 == 0 || !X || !y || !W1 || !w2 || !M)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n < 2 || d < n || N1 == 0 || NULL");
    size_t r = 2 * N1 + n - 1;
    num_quad *Xq = malloc(n * d * sizeof *Xq), *h = malloc(n * N1 * sizeof *h);
    num_quad *m = malloc(n * sizeof *m), *e = malloc(n * sizeof *e), *vh = malloc(d * sizeof *vh);
    num_quad *U = malloc((n - 1) * d * sizeof *U), *c = malloc(r * sizeof *c);
    num_status st = NUM_OK;
    if (!Xq || !h || !m || !e || !vh || !U || !c) {
        st = NUM_ERROR(NUM_ENOMEM, "allocation failed");
        goto done;
    }
    for (size_t i = 0; i < n * d; i++)
        Xq[i] = X[i];
    size_t nstar = linexp_margins(n, d, N1, Xq, y, W1, w2, h, m);
    if (min_margin)
        *min_margin = (double)m[nstar];
    if (!(m[nstar] > 0)) {
        st = NUM_ERROR(NUM_EINFEASIBLE, "not a separating point: min_n y_n f(x_n) <= 0");
        goto done;
    }
    num_quad sec = 0;
    memset(vh, 0, d * sizeof *vh);
    for (size_t s = 0; s < n; s++) {
        num_quad w = num_quad_exp_neg(m[s] - m[nstar]);
        if (s != nstar && w > sec)
            sec = w;
        e[s] = limit && s != nstar ? 0 : w;
        for (size_t j = 0; j < d; j++)
            vh[j] += e[s] * (num_quad)y[s] * Xq[s * d + j];
    }
    if (second)
        *second = (double)sec;
    num_quad vn = num_quad_sqrt(qdot(d, vh, vh));
    if (!(vn > 0)) {
        st = NUM_ERROR(NUM_EINFEASIBLE, "v = sum_n e_n y_n x_n vanishes");
        goto done;
    }
    for (size_t j = 0; j < d; j++)
        vh[j] /= vn;
    if (!linexp_basis(n, d, Xq, nstar, vh, U)) {
        st = NUM_ERROR(NUM_EINFEASIBLE, "the inputs are numerically dependent");
        goto done;
    }
    linexp_assemble(n, d, N1, Xq, w2, h, e, vh, vn, U, M, c);
done:
    free(Xq);
    free(h);
    free(m);
    free(e);
    free(vh);
    free(U);
    free(c);
    return st;
}
