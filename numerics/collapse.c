/* numerics/collapse.c — neural-collapse metrics (see collapse.h for the conventions).
 *
 * Workload: evaluated at ~100 epochs of a training run on n x p features; every O(n p C) step
 * is a dgemm, the SVD is of the small C x p matrix of centred means.
 */
#include "numerics/collapse.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

struct num_collapse_work {
    size_t n, p, C;  /* capacities */
    double *means;   /* C x p class means */
    size_t *counts;  /* C */
    double *gmean;   /* p */
    double *Mc;      /* C x p centred means */
    double *A;       /* C x p scratch for the SVD (destroyed by dgesvd) */
    double *S;       /* min(C, p) singular values */
    double *Vt;      /* min(C, p) x p right singular vectors */
    double *sup;     /* min(C, p) dgesvd superdiagonal scratch */
    double *R;       /* n x p within-class residuals h_i - mu_{y_i} */
    double *Q;       /* n x C projections R V, then scores */
    double *Z;       /* n x C logits W h + b */
    double *norms;   /* C */
    double *Wn;      /* C x p scratch for normalised classifier rows */
};

num_collapse_work *num_collapse_work_alloc(size_t n, size_t p, size_t C)
{
    if (n == 0 || p == 0 || C < 2)
        return NULL;
    num_collapse_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t k = C < p ? C : p;
    w->n = n;
    w->p = p;
    w->C = C;
    w->means = malloc(C * p * sizeof(double));
    w->counts = malloc(C * sizeof(size_t));
    w->gmean = malloc(p * sizeof(double));
    w->Mc = malloc(C * p * sizeof(double));
    w->A = malloc(C * p * sizeof(double));
    w->S = malloc(k * sizeof(double));
    w->Vt = malloc(k * p * sizeof(double));
    w->sup = malloc(k * sizeof(double));
    w->R = malloc(n * p * sizeof(double));
    w->Q = malloc(n * C * sizeof(double));
    w->Z = malloc(n * C * sizeof(double));
    w->norms = malloc(C * sizeof(double));
    w->Wn = malloc(C * p * sizeof(double));
    if (!w->means || !w->counts || !w->gmean || !w->Mc || !w->A || !w->S || !w->Vt || !w->sup ||
        !w->R || !w->Q || !w->Z || !w->norms || !w->Wn) {
        num_collapse_work_free(w);
        return NULL;
    }
    return w;
}

void num_collapse_work_free(num_collapse_work *w)
{
    if (!w)
        return;
    free(w->means);
    free(w->counts);
    free(w->gmean);
    free(w->Mc);
    free(w->A);
    free(w->S);
    free(w->Vt);
    free(w->sup);
    free(w->R);
    free(w->Q);
    free(w->Z);
    free(w->norms);
    free(w->Wn);
    free(w);
}

num_status num_collapse_means(const double *H, const size_t *y, size_t n, size_t p, size_t C,
                              double *means, size_t *counts, double *gmean)
{
    if (!H || !y || !means || n == 0 || p == 0 || C < 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || !y || !means || n == 0 || p == "
                                     "0 || C < 2");
    size_t *cnt = counts ? counts : calloc(C, sizeof *cnt);
    if (!cnt)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    memset(cnt, 0, C * sizeof *cnt);
    memset(means, 0, C * p * sizeof *means);
    num_status st = NUM_OK;
    for (size_t i = 0; i < n; i++) {
        if (y[i] >= C) {
            st = NUM_EINVAL;
            goto done;
        }
        cnt[y[i]]++;
        cblas_daxpy((int)p, 1.0, H + i * p, 1, means + y[i] * p, 1);
    }
    for (size_t c = 0; c < C; c++) {
        if (cnt[c] == 0) {
            st = NUM_EINVAL;
            goto done;
        }
        cblas_dscal((int)p, 1.0 / (double)cnt[c], means + c * p, 1);
    }
    if (gmean) {
        memset(gmean, 0, p * sizeof *gmean);
        for (size_t c = 0; c < C; c++)
            cblas_daxpy((int)p, 1.0 / (double)C, means + c * p, 1, gmean, 1);
    }
done:
    if (!counts)
        free(cnt);
    return st;
}

/* Coefficient of variation std/mean of v[0..C) with the unbiased std (divisor C - 1). */
static double coeff_of_variation(const double *v, size_t C)
{
    double mean = 0.0, ss = 0.0;
    for (size_t c = 0; c < C; c++)
        mean += v[c];
    mean /= (double)C;
    for (size_t c = 0; c < C; c++)
        ss += (v[c] - mean) * (v[c] - mean);
    if (!(mean > 0.0))
        return NAN;
    return sqrt(ss / (double)(C - 1)) / mean;
}

/* Mean and max over pairs c != c' of |cos(x_c, x_c') + 1/(C-1)| for the rows of X (C x p),
 * given their norms. NaN if a row is zero. */
static void equiangularity(const double *X, const double *norms, size_t C, size_t p,
                           double *mean_dev, double *max_dev)
{
    double s = 0.0, mx = 0.0, shift = 1.0 / (double)(C - 1);
    for (size_t c = 0; c < C; c++)
        if (!(norms[c] > 0.0)) {
            *mean_dev = *max_dev = NAN;
            return;
        }
    for (size_t c = 0; c < C; c++)
        for (size_t d = c + 1; d < C; d++) {
            double cs = cblas_ddot((int)p, X + c * p, 1, X + d * p, 1) / (norms[c] * norms[d]);
            double e = fabs(cs + shift);
            s += e;
            mx = fmax(mx, e);
        }
    /* Each unordered pair stands for the two ordered pairs of the paper's C(C-1) mean. */
    *mean_dev = s / (0.5 * (double)C * (double)(C - 1));
    *max_dev = mx;
}

static size_t argmax_row(const double *z, size_t C)
{
    size_t best = 0;
    for (size_t c = 1; c < C; c++)
        if (z[c] > z[best])
            best = c;
    return best;
}

num_status num_collapse_measure(num_collapse_work *w, const double *H, const size_t *y,
                                size_t n, size_t p, size_t C, const double *W, const double *b,
                                num_collapse_metrics *m)
{
    if (!w || !H || !y || !m || n == 0 || n > w->n || p != w->p || C != w->C || C < 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !w || !H || !y || !m || n == 0 || n > "
                                     "w->n || p != w->p || C != w->C || C < 2");
    for (size_t i = 0; i < n * p; i++)
        if (!isfinite(H[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(H[i])");
    if (W)
        for (size_t i = 0; i < C * p; i++)
            if (!isfinite(W[i]) || (b && i < C && !isfinite(b[i])))
                return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(W[i]) || (b && i < C && "
                                           "!isfinite(b[i]))");
    num_status st = num_collapse_means(H, y, n, p, C, w->means, w->counts, w->gmean);
    if (st != NUM_OK)
        return st;

    m->classes = C;
    m->samples = n;
    m->dim = p;

    /* Centred means M (C x p) and their norms. */
    double Mfro2 = 0.0;
    for (size_t c = 0; c < C; c++) {
        double *mc = w->Mc + c * p;
        for (size_t j = 0; j < p; j++)
            mc[j] = w->means[c * p + j] - w->gmean[j];
        w->norms[c] = cblas_dnrm2((int)p, mc, 1);
        Mfro2 += w->norms[c] * w->norms[c];
    }
    m->equinorm_means = coeff_of_variation(w->norms, C);
    equiangularity(w->Mc, w->norms, C, p, &m->equiangularity, &m->max_equiangularity);
    m->between_norm = sqrt(Mfro2 / (double)C);

    /* Within-class residuals R = H - M[y] (uncentred means). */
    double wss = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *h = H + i * p, *mu = w->means + y[i] * p;
        double *r = w->R + i * p;
        for (size_t j = 0; j < p; j++) {
            r[j] = h[j] - mu[j];
            wss += r[j] * r[j];
        }
    }
    m->within_norm = sqrt(wss / (double)n);

    /* NC1 = sum_k (C / s_k^2) (1/n) ||R v_k||^2 over the kept singular triplets of M. */
    size_t k = C < p ? C : p;
    memcpy(w->A, w->Mc, C * p * sizeof *w->A);
    if (LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'N', 'S', (lapack_int)C, (lapack_int)p, w->A,
                       (lapack_int)p, w->S, NULL, 1, w->Vt, (lapack_int)p, w->sup))
        return NUM_ERROR(NUM_ELAPACK, "LAPACKE_dgesvd reported failure");
    double lmax = w->S[0] * w->S[0] / (double)C;
    double tol = (double)(p > C ? p : C) * DBL_EPSILON * lmax;
    size_t rank = 0;
    while (rank < k && w->S[rank] * w->S[rank] / (double)C > tol)
        rank++;
    m->sb_rank = rank;
    if (rank == 0 || !(lmax > 0.0)) {
        m->nc1 = NAN;
    } else {
        /* Q (n x rank) = R Vt[0:rank]^T */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)rank, (int)p, 1.0, w->R,
                    (int)p, w->Vt, (int)p, 0.0, w->Q, (int)rank);
        double nc1 = 0.0;
        for (size_t kk = 0; kk < rank; kk++) {
            double ss = 0.0;
            for (size_t i = 0; i < n; i++)
                ss += w->Q[i * rank + kk] * w->Q[i * rank + kk];
            nc1 += ((double)C / (w->S[kk] * w->S[kk])) * (ss / (double)n);
        }
        m->nc1 = nc1;
    }
    m->nc1_over_c = m->nc1 / (double)C;

    /* Nearest uncentred class mean: argmin_c ||h - mu_c||^2 = argmax_c (h.mu_c - ||mu_c||^2/2).
     * Q (n x C) = H means^T, then the shift. */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)C, (int)p, 1.0, H, (int)p,
                w->means, (int)p, 0.0, w->Q, (int)C);
    for (size_t c = 0; c < C; c++) {
        double h2 = cblas_ddot((int)p, w->means + c * p, 1, w->means + c * p, 1);
        for (size_t i = 0; i < n; i++)
            w->Q[i * C + c] -= 0.5 * h2;
    }
    size_t ncc_ok = 0;
    for (size_t i = 0; i < n; i++)
        ncc_ok += argmax_row(w->Q + i * C, C) == y[i];
    m->ncc_accuracy = (double)ncc_ok / (double)n;

    if (!W) {
        m->equinorm_weights = m->equiangularity_weights = m->self_duality = NAN;
        m->ncc_mismatch = m->accuracy = NAN;
        return NUM_OK;
    }

    /* Classifier rows: norms, equinorm, equiangularity (not centred). */
    double Wfro2 = 0.0, dummy;
    for (size_t c = 0; c < C; c++) {
        w->norms[c] = cblas_dnrm2((int)p, W + c * p, 1);
        Wfro2 += w->norms[c] * w->norms[c];
    }
    m->equinorm_weights = coeff_of_variation(w->norms, C);
    equiangularity(W, w->norms, C, p, &m->equiangularity_weights, &dummy);

    /* Self-duality || W/||W||_F - M/||M||_F ||_F^2. */
    if (Wfro2 > 0.0 && Mfro2 > 0.0) {
        double a = 1.0 / sqrt(Wfro2), bm = 1.0 / sqrt(Mfro2), sd = 0.0;
        for (size_t i = 0; i < C * p; i++) {
            double e = a * W[i] - bm * w->Mc[i];
            sd += e * e;
        }
        m->self_duality = sd;
    } else {
        m->self_duality = NAN;
    }

    /* Logits Z = H W^T + 1 b^T; NC4 and accuracy. */
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < C; c++)
            w->Z[i * C + c] = b ? b[c] : 0.0;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)C, (int)p, 1.0, H, (int)p,
                W, (int)p, 1.0, w->Z, (int)C);
    size_t mismatch = 0, correct = 0;
    for (size_t i = 0; i < n; i++) {
        size_t pred = argmax_row(w->Z + i * C, C);
        mismatch += pred != argmax_row(w->Q + i * C, C);
        correct += pred == y[i];
    }
    m->ncc_mismatch = (double)mismatch / (double)n;
    m->accuracy = (double)correct / (double)n;
    return NUM_OK;
}

num_status num_collapse_covariances(const double *H, const size_t *y, size_t n, size_t p,
                                    size_t C, double *Sw, double *Sb)
{
    if (!H || !y || !Sw || !Sb || n == 0 || p == 0 || C < 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || !y || !Sw || !Sb || n == 0 || p "
                                     "== 0 || C < 2");
    double *means = malloc(C * p * sizeof *means), *g = malloc(p * sizeof *g);
    double *R = malloc(p * sizeof *R);
    num_status st = NUM_ENOMEM;
    if (!means || !g || !R)
        goto done;
    st = num_collapse_means(H, y, n, p, C, means, NULL, g);
    if (st != NUM_OK)
        goto done;
    memset(Sw, 0, p * p * sizeof *Sw);
    memset(Sb, 0, p * p * sizeof *Sb);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p; j++)
            R[j] = H[i * p + j] - means[y[i] * p + j];
        cblas_dger(CblasRowMajor, (int)p, (int)p, 1.0 / (double)n, R, 1, R, 1, Sw, (int)p);
    }
    for (size_t c = 0; c < C; c++) {
        for (size_t j = 0; j < p; j++)
            R[j] = means[c * p + j] - g[j];
        cblas_dger(CblasRowMajor, (int)p, (int)p, 1.0 / (double)C, R, 1, R, 1, Sb, (int)p);
    }
done:
    free(means);
    free(g);
    free(R);
    return st;
}

num_status num_collapse_pinv_sym(double *A, size_t p, size_t C_hint, size_t *rank)
{
    if (!A || p == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !A || p == 0");
    double *ev = malloc(p * sizeof *ev), *V = malloc(p * p * sizeof *V);
    num_status st = NUM_OK;
    if (!ev || !V) {
        st = NUM_ENOMEM;
        goto done;
    }
    memcpy(V, A, p * p * sizeof *V);
    if (LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int)p, V, (lapack_int)p, ev)) {
        st = NUM_ELAPACK;
        goto done;
    }
    double lmax = ev[p - 1];
    double tol = (double)(p > C_hint ? p : C_hint) * DBL_EPSILON * lmax;
    size_t r = 0;
    memset(A, 0, p * p * sizeof *A);
    /* A+ = sum_k v_k v_k^T / l_k over kept eigenvalues; V's columns are the eigenvectors. */
    for (size_t k = 0; k < p; k++) {
        if (!(ev[k] > tol))
            continue;
        r++;
        cblas_dger(CblasRowMajor, (int)p, (int)p, 1.0 / ev[k], V + k, (int)p, V + k, (int)p, A,
                   (int)p);
    }
    if (rank)
        *rank = r;
done:
    free(ev);
    free(V);
    return st;
}

size_t num_collapse_offset_wsize(size_t p, size_t C)
{
    return 2 * C * p + 2 * p;
}

num_status num_collapse_offset(const double *H, const size_t *y, size_t n, size_t p, size_t C,
                               const double *W, double *ws, double *sd_centred,
                               double *offset_frac, double *offset_cos)
{
    if (!H || !y || !W || !ws || n == 0 || p == 0 || C < 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !H || !y || !W || !ws || n == 0 || "
                                     "p == 0 || C < 2");
    double *M = ws, *Wc = ws + C * p, *g = ws + 2 * C * p, *wbar = g + p;
    num_status st = num_collapse_means(H, y, n, p, C, M, NULL, g);
    if (st != NUM_OK)
        return NUM_ERROR(st, "label >= C or empty class");
    memset(wbar, 0, p * sizeof *wbar);
    for (size_t c = 0; c < C; c++)
        cblas_daxpy((int)p, 1.0 / (double)C, W + c * p, 1, wbar, 1);
    double m2 = 0.0, wc2 = 0.0, w2 = 0.0;
    for (size_t c = 0; c < C; c++)
        for (size_t j = 0; j < p; j++) {
            M[c * p + j] -= g[j];
            Wc[c * p + j] = W[c * p + j] - wbar[j];
            m2 += M[c * p + j] * M[c * p + j];
            wc2 += Wc[c * p + j] * Wc[c * p + j];
            w2 += W[c * p + j] * W[c * p + j];
        }
    if (sd_centred) {
        double sd = NAN;
        if (m2 > 0.0 && wc2 > 0.0) {
            double a = 1.0 / sqrt(wc2), bm = 1.0 / sqrt(m2);
            sd = 0.0;
            for (size_t i = 0; i < C * p; i++)
                sd += (a * Wc[i] - bm * M[i]) * (a * Wc[i] - bm * M[i]);
        }
        *sd_centred = sd;
    }
    double nb = cblas_dnrm2((int)p, wbar, 1), ng = cblas_dnrm2((int)p, g, 1);
    if (offset_frac)
        *offset_frac = w2 > 0.0 ? sqrt((double)C) * nb / sqrt(w2) : NAN;
    if (offset_cos)
        *offset_cos = (nb > 0.0 && ng > 0.0) ? cblas_ddot((int)p, wbar, 1, g, 1) / (nb * ng)
                                             : NAN;
    return NUM_OK;
}

num_status num_collapse_limit_interval(double a, double b, double c, double *lo, double *hi)
{
    if (!lo || !hi || !isfinite(a) || !isfinite(b) || !isfinite(c))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !lo || !hi || non-finite input");
    double d1 = b - a, d2 = c - b;
    *lo = *hi = c;
    if (d2 == 0.0)
        return NUM_OK;
    if (d1 * d2 < 0.0) {
        double f = fmax(fabs(d1), fabs(d2));
        *lo = c - f;
        *hi = c + f;
        return NUM_OK;
    }
    double tail = INFINITY;
    if (fabs(d2) < fabs(d1)) {
        double q = d2 / d1;
        tail = fabs(d2) * q / (1.0 - q);
    }
    if (d2 > 0.0)
        *hi = c + tail;
    else
        *lo = c - tail;
    return NUM_OK;
}
