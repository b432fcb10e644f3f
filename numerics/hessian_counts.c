/* numerics/hessian_counts.c — counts read off Hessian spectra (see hessian_counts.h). */
#include "numerics/hessian_counts.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/hessian.h"
#include "numerics/linalg.h"

/* max |G| and max |H - G| over P^2 entries into gn_rel. */
static double gauss_newton_rel(size_t P, const double *H, const double *G)
{
    double gmax = 0.0, dmax = 0.0;
    for (size_t i = 0; i < P * P; i++) {
        if (fabs(G[i]) > gmax)
            gmax = fabs(G[i]);
        if (fabs(H[i] - G[i]) > dmax)
            dmax = fabs(H[i] - G[i]);
    }
    return gmax > 0.0 ? dmax / gmax : 0.0;
}

/* Rank of the columns [off, off + cols) of J (m x P). */
static num_status block_rank(size_t m, size_t P, const double *J, size_t off, size_t cols,
                             double c, size_t *rank)
{
    double *Jb = malloc(m * cols * sizeof *Jb);
    if (!Jb)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    for (size_t i = 0; i < m; i++)
        memcpy(Jb + i * cols, J + i * P + off, cols * sizeof *Jb);
    num_status st = num_linalg_rank(m, cols, Jb, c, rank, NULL);
    free(Jb);
    return st;
}

/* The spectrum part of num_hessian_square_point: H (destroyed) to evals and the counts. */
static num_status square_spectrum(size_t P, double *H, double c, double floor_rel,
                                  double *evals, num_hessian_point *pt)
{
    num_status st = num_linalg_eigh(P, H, evals, NULL);
    if (st != NUM_OK)
        return st;
    /* H, G, the eigensolver's copy (P^2 each) and J. */
    pt->mem_mib = (3.0 * (double)P * (double)P + (double)pt->m * (double)P) * 8.0 / 1048576.0;
    if ((st = num_spectrum_zero_count(P, evals, c, &pt->z)) != NUM_OK)
        return st;
    return num_spectrum_largest_gap(P, evals, floor_rel, &pt->lg_zeros, &pt->lg_decades);
}

num_status num_hessian_square_point(const num_mlp *net, const double *theta, const double *X,
                                    const double *Y, size_t n, double c, size_t cond_k,
                                    size_t block, double floor_rel, double *evals,
                                    num_hessian_point *pt)
{
    if (!net || !theta || !X || !Y || !evals || !pt || n == 0 || cond_k > net->nlayers)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !net || !theta || !X || !Y || !evals "
                                     "|| !pt || n == 0 || cond_k > net->nlayers");
    size_t P = net->nparams, m = n * net->widths[net->nlayers];
    memset(pt, 0, sizeof *pt);
    pt->P = P;
    pt->m = m;
    num_status st = NUM_OK;
    num_hess_work *hw = num_hessian_work_alloc(net, n, block);
    num_mlp_work *mw = num_mlp_work_alloc(net, n);
    double *H = malloc(P * P * sizeof *H), *G = malloc(P * P * sizeof *G);
    double *J = malloc(m * P * sizeof *J);
    if (!hw || !mw || !H || !G || !J) {
        st = NUM_ERROR(NUM_ENOMEM, "allocation failed");
        goto done;
    }
    num_hess_opts o = {.loss = NUM_HESS_SQUARE};
    if ((st = num_hessian_full(hw, theta, X, Y, n, &o, 0, P, H, &pt->asym)) != NUM_OK ||
        (st = square_spectrum(P, H, c, floor_rel, evals, pt)) != NUM_OK ||
        (st = num_mlp_forward(net, theta, X, n, mw, NULL)) != NUM_OK ||
        (st = num_mlp_jacobian(net, theta, mw, J)) != NUM_OK ||
        (st = num_linalg_rank(m, P, J, c, &pt->rank_J, NULL)) != NUM_OK ||
        (st = num_linalg_gram(m, P, J, G)) != NUM_OK)
        goto done;
    pt->gn_rel = gauss_newton_rel(P, H, G);
    if (cond_k >= 1)
        st = block_rank(m, P, J, net->off_w[cond_k - 1],
                        net->widths[cond_k] * net->widths[cond_k - 1], c, &pt->block_rank);
done:
    num_hessian_work_free(hw);
    num_mlp_work_free(mw);
    free(H);
    free(G);
    free(J);
    return st;
}

/* Counts of the spectrum evals[0..m): nonzero and distinct nonzero eigenvalues. */
static num_status exp_spectrum_counts(size_t m, const double *evals, double c,
                                      num_hessian_exp_count *out)
{
    num_spectrum_zeros z;
    num_status st = num_spectrum_zero_count(m, evals, c, &z);
    if (st != NUM_OK)
        return st;
    out->nonzero = m - z.zeros;
    out->amax = z.abs_max;
    return num_spectrum_distinct(m, evals, z.tol, true, &out->distinct);
}

num_status num_hessian_exp_counts(const num_mlp *net, const double *theta, const double *X,
                                  const double *y, size_t n, size_t p0, size_t p1, double c,
                                  size_t block, double *evals, num_hessian_exp_count *out,
                                  double *min_margin)
{
    if (!net || !theta || !X || !y || !evals || !out || !min_margin || n == 0 || p1 <= p0 ||
        p1 > net->nparams)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !net || !theta || !X || !y || !evals "
                                     "|| !out || !min_margin || n == 0 || p1 <= p0 || p1 > P");
    size_t m = p1 - p0;
    num_mlp_work *mw = num_mlp_work_alloc(net, n);
    num_hess_work *hw = num_hessian_work_alloc(net, n, block);
    double *H = malloc(m * m * sizeof *H), *f = malloc(n * sizeof *f);
    num_status st = NUM_OK;
    if (!mw || !hw || !H || !f) {
        st = NUM_ERROR(NUM_ENOMEM, "allocation failed");
        goto done;
    }
    if ((st = num_mlp_forward(net, theta, X, n, mw, f)) != NUM_OK)
        goto done;
    double mm = INFINITY;
    for (size_t s = 0; s < n; s++)
        if (y[s] * f[s] < mm)
            mm = y[s] * f[s];
    *min_margin = mm;
    if (!(mm > 0.0)) {
        st = NUM_ERROR(NUM_EINFEASIBLE, "not a separating point: min_s y_s f(x_s) <= 0");
        goto done;
    }
    num_hess_opts o = {.loss = NUM_HESS_EXP, .exp_shift = mm};
    if ((st = num_hessian_full(hw, theta, X, y, n, &o, p0, p1, H, NULL)) != NUM_OK ||
        (st = num_linalg_eigh(m, H, evals, NULL)) != NUM_OK)
        goto done;
    st = exp_spectrum_counts(m, evals, c, out);
done:
    num_mlp_work_free(mw);
    num_hessian_work_free(hw);
    free(H);
    free(f);
    return st;
}

/* The bisection of num_hessian_exp_scale_limit runs on [0, EXP_TAIL_ZMAX]. */
#define EXP_TAIL_ZMAX 1e6

/* Largest z >= 0 with g(sgn z) >= thr, g = f'^2 + |f''| (bisection on the monotone tail;
 * INFINITY if g stays above thr up to EXP_TAIL_ZMAX). */
static double act_tail_limit(num_act act, double eps, double sgn, double thr)
{
    double lo = 0.0, hi = EXP_TAIL_ZMAX, d1, d2;
    num_act_eval(act, eps, sgn * hi, NULL, &d1, &d2);
    if (d1 * d1 + fabs(d2) >= thr)
        return INFINITY;
    for (int it = 0; it < 200 && hi - lo > 1e-12 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        num_act_eval(act, eps, sgn * mid, NULL, &d1, &d2);
        if (d1 * d1 + fabs(d2) >= thr)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

double num_hessian_exp_scale_limit(const num_mlp *net, const double *w0, const double *X,
                                   size_t n, double c)
{
    if (!net || !w0 || !X)
        return NAN;
    size_t d = net->widths[0];
    double zmin = INFINITY, sgn = 1.0;
    for (size_t s = 0; s < n; s++) {
        double z = cblas_ddot((int)d, w0, 1, X + s * d, 1);
        if (fabs(z) < zmin) {
            zmin = fabs(z);
            sgn = z >= 0.0 ? 1.0 : -1.0;
        }
    }
    double thr = DBL_MIN / (c * (double)d * DBL_EPSILON);
    double zl = act_tail_limit(net->act, net->act_eps, sgn, thr);
    return zmin > 0.0 ? zl / zmin : INFINITY;
}

/* Every hidden unit active on more samples than its fan-in and inactive on at least one. */
static bool relu_units_active(const num_mlp *net, const num_mlp_work *mw, size_t n)
{
    size_t K = net->nlayers;
    for (size_t k = 1; k < K; k++) {
        const double *Z = num_mlp_preact(mw, k);
        size_t Nk = net->widths[k];
        for (size_t j = 0; j < Nk; j++) {
            size_t a = 0;
            for (size_t s = 0; s < n; s++)
                a += Z[s * Nk + j] > 0.0;
            if (a <= net->widths[k - 1] || a == n)
                return false;
        }
    }
    return true;
}

/* sum over activation patterns p that reach the output of min(n_p, d) d' (pat: n x nh). */
static size_t pattern_rank_bound(const num_mlp *net, const bool *pat, bool *seen, size_t n,
                                 size_t nh)
{
    size_t K = net->nlayers, d = net->widths[0];
    size_t bound = 0, NH = net->widths[K - 1];
    for (size_t s = 0; s < n; s++) {
        if (seen[s])
            continue;
        size_t np = 0;
        for (size_t t = s; t < n; t++)
            if (!seen[t] && memcmp(pat + s * nh, pat + t * nh, nh * sizeof *pat) == 0) {
                seen[t] = true;
                np++;
            }
        bool reaches = false;
        for (size_t j = 0; j < NH; j++)
            reaches = reaches || pat[s * nh + nh - NH + j];
        if (reaches)
            bound += (np < d ? np : d) * net->widths[K];
    }
    return bound;
}

num_status num_hessian_relu_generic(const num_mlp *net, const num_mlp_work *mw, size_t n,
                                    bool *generic)
{
    if (!net || !mw || !generic || n == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !net || !mw || !generic || n == 0");
    size_t K = net->nlayers, nh = 0;
    for (size_t k = 1; k < K; k++)
        nh += net->widths[k];
    *generic = false;
    if (!relu_units_active(net, mw, n))
        return NUM_OK;
    /* Pattern of sample s: the signs of all hidden pre-activations. */
    bool *pat = malloc(n * nh * sizeof *pat), *seen = calloc(n, sizeof *seen);
    if (!pat || !seen) {
        free(pat);
        free(seen);
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    }
    for (size_t s = 0; s < n; s++) {
        size_t q = 0;
        for (size_t k = 1; k < K; k++)
            for (size_t j = 0; j < net->widths[k]; j++)
                pat[s * nh + q++] = num_mlp_preact(mw, k)[s * net->widths[k] + j] > 0.0;
    }
    size_t bound = pattern_rank_bound(net, pat, seen, n, nh);
    free(pat);
    free(seen);
    *generic = bound + nh > net->nparams;
    return NUM_OK;
}

num_status num_hessian_relu_pattern_nullity(const num_mlp *net, const num_mlp_work *mw,
                                            const double *X, size_t n, double c,
                                            size_t *nullity)
{
    if (!net || !mw || !X || !nullity || n == 0 || net->nlayers != 2)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !net || !mw || !X || !nullity || "
                                     "n == 0 || net->nlayers != 2");
    size_t d = net->widths[0], N = net->widths[1], m = N * d, r = 0;
    const double *Z = num_mlp_preact(mw, 1);
    double *C = malloc(n * m * sizeof *C);
    if (!C)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    for (size_t s = 0; s < n; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < d; i++)
                C[s * m + j * d + i] = Z[s * N + j] > 0.0 ? X[s * d + i] : 0.0;
    num_status st = num_linalg_rank(n, m, C, c, &r, NULL);
    free(C);
    if (st == NUM_OK)
        *nullity = m - r;
    return st;
}
