/* numerics/intrinsic_dim.c — Levina-Bickel / MacKay-Ghahramani intrinsic dimension (see .h). */
#include "numerics/intrinsic_dim.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include <cblas.h>

#include "numerics/rng.h"

size_t num_intrinsic_dim_work_size(size_t n, size_t D, size_t k2)
{
    return n * n + n * D + n * k2 + D;
}

/* Insert value v with index j into the ascending list (dist, idx) of length *len <= cap. */
static void insert_sorted(double *dist, size_t *idx, size_t *len, size_t cap, double v, size_t j)
{
    size_t l = *len;
    if (l == cap) {
        if (!(v < dist[l - 1]))
            return;
        l--; /* drop the largest */
    }
    size_t pos = l;
    while (pos > 0 && dist[pos - 1] > v) {
        dist[pos] = dist[pos - 1];
        idx[pos] = idx[pos - 1];
        pos--;
    }
    dist[pos] = v;
    idx[pos] = j;
    *len = l + 1;
}

num_status num_intrinsic_dim_mle(const double *X, size_t n, size_t D, size_t k1, size_t k2,
                                 double *work, size_t lwork, double *dim, double *dim_k)
{
    if (!X || !work || !dim || D == 0 || k1 < 2 || k2 < k1 || k2 >= n)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !X || !work || !dim || D == 0 || k1 < "
                                     "2 || k2 < k1 || k2 >= n");
    if (lwork < num_intrinsic_dim_work_size(n, D, k2))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: lwork < "
                                     "num_intrinsic_dim_work_size(n, D, k2)");
    for (size_t i = 0; i < n * D; i++)
        if (!isfinite(X[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(X[i])");

    double *G = work;                 /* n x n Gram matrix of the centred data (upper) */
    double *Xc = G + n * n;           /* n x D centred data */
    double *nn = Xc + n * D;          /* n x k2 log squared neighbour distances, ascending */
    double *mean = nn + n * k2;       /* D */
    size_t idx_buf[256];              /* neighbour indices of one point (k2 <= 256) */
    double dist_buf[256];
    if (k2 > 256)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: k2 > 256");

    /* Centre: the Gram identity then works with norms of the size of the spread, not of the
     * offset (ReLU features have a large common mean). */
    memset(mean, 0, sizeof(double) * D);
    for (size_t i = 0; i < n; i++)
        cblas_daxpy((int)D, 1.0, X + i * D, 1, mean, 1);
    cblas_dscal((int)D, 1.0 / (double)n, mean, 1);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < D; j++)
            Xc[i * D + j] = X[i * D + j] - mean[j];
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)n, (int)D, 1.0, Xc, (int)D, 0.0,
                G, (int)n);

    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            double gij = j > i ? G[i * n + j] : G[j * n + i];
            double d2 = G[i * n + i] + G[j * n + j] - 2.0 * gij;
            insert_sorted(dist_buf, idx_buf, &len, k2, d2 > 0.0 ? d2 : 0.0, j);
        }
        /* Recompute the selected distances from coordinates (exact up to one rounding per
         * term) and sort them again: the selection may differ from the exact one only among
         * near-ties, which does not change the sorted distance values beyond rounding. */
        for (size_t a = 0; a < k2; a++) {
            const double *xi = Xc + i * D, *xj = Xc + idx_buf[a] * D;
            double s = 0.0;
            for (size_t t = 0; t < D; t++) {
                double e = xi[t] - xj[t];
                s += e * e;
            }
            dist_buf[a] = s;
        }
        for (size_t a = 1; a < k2; a++) { /* insertion sort of k2 values */
            double v = dist_buf[a];
            size_t b = a;
            while (b > 0 && dist_buf[b - 1] > v) {
                dist_buf[b] = dist_buf[b - 1];
                b--;
            }
            dist_buf[b] = v;
        }
        if (!(dist_buf[0] > 0.0))
            return NUM_ERROR(NUM_EINFEASIBLE, "no feasible point: !(dist_buf[0] > 0.0)"
                                              "no feasible point: !(dist_buf[0] > 0.0)"); /* a duplicate point: log(T_k / 0) */
        for (size_t a = 0; a < k2; a++)
            nn[i * k2 + a] = log(dist_buf[a]);
    }

    double acc = 0.0;
    for (size_t k = k1; k <= k2; k++) {
        /* S = sum_i sum_{j<k} log(T_k / T_j) = (1/2) sum of log squared-distance ratios. */
        double S = 0.0;
        for (size_t i = 0; i < n; i++) {
            const double *l = nn + i * k2;
            double lk = l[k - 1], s = 0.0;
            for (size_t j = 0; j + 1 < k; j++)
                s += lk - l[j];
            S += 0.5 * s;
        }
        if (!(S > 0.0))
            return NUM_ERROR(NUM_EINFEASIBLE, "no feasible point: !(S > 0.0)"
                                              "no feasible point: !(S > 0.0)"); /* all k nearest neighbours equidistant from every point */
        double mk = (double)n * (double)(k - 1) / S;
        if (dim_k)
            dim_k[k - k1] = mk;
        acc += mk;
    }
    *dim = acc / (double)(k2 - k1 + 1);
    return isfinite(*dim) ? NUM_OK : NUM_ENAN;
}

/* ---- data of known dimension ------------------------------------------------------------ */

num_status num_intrinsic_dim_sample_subspace(gsl_rng *r, size_t n, size_t D, size_t k,
                                             double *X, double *F, double *U)
{
    if (!r || !X || !F || !U || n == 0 || D == 0 || k == 0 || n > INT_MAX || D > INT_MAX ||
        k > INT_MAX)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !r || !X || !F || !U || n == 0 || "
                                     "D == 0 || k == 0 || a size > INT_MAX");
    num_rng_gaussian(r, 1.0, U, D * k);
    num_rng_gaussian(r, 1.0, F, n * k);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)D, (int)k, 1.0, F,
                (int)k, U, (int)k, 0.0, X, (int)D);
    return NUM_OK;
}

num_status num_intrinsic_dim_sample_curve(gsl_rng *r, size_t n, size_t D, size_t J, double *X,
                                          double *F, double *U)
{
    if (!r || !X || !F || !U || n == 0 || D == 0 || J == 0 || n > INT_MAX || D > INT_MAX ||
        J > INT_MAX / 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !r || !X || !F || !U || n == 0 || "
                                     "D == 0 || J == 0 || a size > INT_MAX");
    num_rng_gaussian(r, 1.0, U, D * 2 * J);
    for (size_t i = 0; i < n; i++) {
        double t = 2.0 * M_PI * gsl_rng_uniform(r);
        for (size_t a = 0; a < J; a++) {
            F[i * 2 * J + 2 * a] = cos((double)(a + 1) * t) / (double)(a + 1);
            F[i * 2 * J + 2 * a + 1] = sin((double)(a + 1) * t) / (double)(a + 1);
        }
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)D, (int)(2 * J), 1.0, F,
                (int)(2 * J), U, (int)(2 * J), 0.0, X, (int)D);
    return NUM_OK;
}
