/* numerics/hessian.c — exact Hessian-vector products and Hessians of MLP losses (hessian.h).
 *
 * Workload: a claim assembles a handful of Hessians of size P <= 3000 for n <= a few hundred
 * samples; a Newton minimisation assembles a few dozen. The assembly is P/B blocked
 * R-operator passes, each a sequence of dgemms over (samples x directions); nothing here
 * allocates after num_hessian_work_alloc except num_hessian_minimise (its P x P matrices).
 *
 * Layout of the R-quantities: for layer k, RZ[k] and RH[k] hold n x (B N_k) doubles, entry
 * (s, b, i) at (s B + b) N_k + i. Seen as an (n B) x N_k matrix this is a stack of the
 * per-direction n x N_k matrices interleaved by sample, so that
 *   - products with W_k (shared by all directions) are one dgemm with n B rows;
 *   - products of the per-sample matrices H_{k-1}, G_k with the direction blocks V_k are one
 *     dgemm with B N_k (or B N_{k-1}) columns, once the V_k of the block are stacked
 *     vertically (Vc: (B N_k) x N_{k-1}) or horizontally (Vh: N_k x (B N_{k-1})).
 */
#include "numerics/hessian.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "numerics/linalg.h"

/* Largest argument of exp() that does not overflow (log(DBL_MAX) = 709.78). */
#define HESS_EXP_MAX 709.0

struct num_hess_work {
    const num_mlp *net;
    size_t K, P, cap_n, cap_b;
    size_t nmax;   /* max_k N_k (k = 0..K) */
    size_t wwmax;  /* max_k N_k N_{k-1} */
    num_mlp_work *mw;
    /* the prepared point */
    int ready;
    const double *theta, *X, *Y;
    size_t n;
    num_hess_loss loss;
    double *lam;   /* K decay coefficients (0 if none) */
    double **D1, **D2; /* [k], k = 1..K-1: sigma'(Z_k), sigma''(Z_k), n x N_k */
    double **G;        /* [k], k = 1..K: dL/dZ_k, n x N_k */
    double **dH;       /* [k], k = 1..K-1: dL/dH_k = G_{k+1} W_{k+1}, n x N_k */
    double *l2;        /* l''(out), n x N_K */
    /* R-quantities of a block */
    double **RZ, **RH; /* [k], k = 1..K (RH: k < K), n x (cap_b N_k) */
    double *RG, *RG2;  /* n x (cap_b nmax) */
    double *Vc, *Vh;   /* cap_b wwmax */
    double *buf1, *buf2; /* cap_b wwmax */
    double *Vblk, *HVblk; /* cap_b x P: unit vectors and their images in num_hessian_full */
};

static double *dalloc(size_t m)
{
    return calloc(m ? m : 1, sizeof(double));
}

void num_hessian_work_free(num_hess_work *hw)
{
    if (!hw)
        return;
    for (size_t k = 0; k <= hw->K; k++) {
        if (hw->D1)
            free(hw->D1[k]);
        if (hw->D2)
            free(hw->D2[k]);
        if (hw->G)
            free(hw->G[k]);
        if (hw->dH)
            free(hw->dH[k]);
        if (hw->RZ)
            free(hw->RZ[k]);
        if (hw->RH)
            free(hw->RH[k]);
    }
    free(hw->D1);
    free(hw->D2);
    free(hw->G);
    free(hw->dH);
    free(hw->RZ);
    free(hw->RH);
    free(hw->lam);
    free(hw->l2);
    free(hw->RG);
    free(hw->RG2);
    free(hw->Vc);
    free(hw->Vh);
    free(hw->buf1);
    free(hw->buf2);
    free(hw->Vblk);
    free(hw->HVblk);
    num_mlp_work_free(hw->mw);
    free(hw);
}

num_hess_work *num_hessian_work_alloc(const num_mlp *net, size_t n, size_t block)
{
    if (!net || n == 0 || block == 0)
        return NULL;
    num_hess_work *hw = calloc(1, sizeof *hw);
    if (!hw)
        return NULL;
    size_t K = net->nlayers, B = block;
    hw->net = net;
    hw->K = K;
    hw->P = net->nparams;
    hw->cap_n = n;
    hw->cap_b = B;
    for (size_t k = 0; k <= K; k++) {
        if (net->widths[k] > hw->nmax)
            hw->nmax = net->widths[k];
        if (k >= 1 && net->widths[k] * net->widths[k - 1] > hw->wwmax)
            hw->wwmax = net->widths[k] * net->widths[k - 1];
    }
    hw->mw = num_mlp_work_alloc(net, n);
    hw->lam = dalloc(K);
    hw->D1 = calloc(K + 1, sizeof *hw->D1);
    hw->D2 = calloc(K + 1, sizeof *hw->D2);
    hw->G = calloc(K + 1, sizeof *hw->G);
    hw->dH = calloc(K + 1, sizeof *hw->dH);
    hw->RZ = calloc(K + 1, sizeof *hw->RZ);
    hw->RH = calloc(K + 1, sizeof *hw->RH);
    if (!hw->mw || !hw->lam || !hw->D1 || !hw->D2 || !hw->G || !hw->dH || !hw->RZ || !hw->RH)
        goto fail;
    for (size_t k = 1; k <= K; k++) {
        size_t Nk = net->widths[k];
        hw->G[k] = dalloc(n * Nk);
        hw->RZ[k] = dalloc(n * B * Nk);
        if (!hw->G[k] || !hw->RZ[k])
            goto fail;
        if (k < K) {
            hw->D1[k] = dalloc(n * Nk);
            hw->D2[k] = dalloc(n * Nk);
            hw->dH[k] = dalloc(n * Nk);
            hw->RH[k] = dalloc(n * B * Nk);
            if (!hw->D1[k] || !hw->D2[k] || !hw->dH[k] || !hw->RH[k])
                goto fail;
        }
    }
    hw->l2 = dalloc(n * net->widths[K]);
    hw->RG = dalloc(n * B * hw->nmax);
    hw->RG2 = dalloc(n * B * hw->nmax);
    hw->Vc = dalloc(B * hw->wwmax);
    hw->Vh = dalloc(B * hw->wwmax);
    hw->buf1 = dalloc(B * hw->wwmax);
    hw->buf2 = dalloc(B * hw->wwmax);
    hw->Vblk = dalloc(B * hw->P);
    hw->HVblk = dalloc(B * hw->P);
    if (!hw->l2 || !hw->RG || !hw->RG2 || !hw->Vc || !hw->Vh || !hw->buf1 || !hw->buf2 ||
        !hw->Vblk || !hw->HVblk)
        goto fail;
    return hw;
fail:
    num_hessian_work_free(hw);
    return NULL;
}

/* H_{k-1} of the prepared point (H_0 = X). */
static const double *layer_input(const num_hess_work *hw, size_t k)
{
    return k == 1 ? hw->X : num_mlp_act(hw->mw, k - 1);
}

num_status num_hessian_prepare(num_hess_work *hw, const double *theta, const double *X,
                               const double *Y, size_t n, const num_hess_opts *opts,
                               double *loss, double *grad)
{
    if (!hw || !theta || !X || !Y || !opts || n == 0 || n > hw->cap_n)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !hw || !theta || !X || !Y || !opts || "
                                     "n == 0 || n > hw->cap_n");
    const num_mlp *net = hw->net;
    size_t K = hw->K, dout = net->widths[K];
    if (opts->loss != NUM_HESS_SQUARE && opts->loss != NUM_HESS_EXP)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: opts->loss != NUM_HESS_SQUARE && "
                                     "opts->loss != NUM_HESS_EXP");
    if (opts->loss == NUM_HESS_EXP && (dout != 1 || !isfinite(opts->exp_shift)))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: opts->loss == NUM_HESS_EXP && (dout "
                                     "!= 1 || !isfinite(opts->exp_shift))");
    for (size_t k = 0; k < K; k++) {
        hw->lam[k] = opts->decay ? opts->decay[k] : 0.0;
        if (!(hw->lam[k] >= 0.0) || !isfinite(hw->lam[k]))
            return NUM_ERROR(NUM_EINVAL, "argument check failed: !(hw->lam[k] >= 0.0) || "
                                         "!isfinite(hw->lam[k])");
    }
    hw->ready = 0;
    num_status st = num_mlp_forward(net, theta, X, n, hw->mw, NULL);
    if (st != NUM_OK)
        return st;
    hw->theta = theta;
    hw->X = X;
    hw->Y = Y;
    hw->n = n;
    hw->loss = opts->loss;

    for (size_t k = 1; k < K; k++) {
        const double *Z = num_mlp_preact(hw->mw, k);
        for (size_t i = 0; i < n * net->widths[k]; i++)
            num_act_eval(net->act, net->act_eps, Z[i], NULL, hw->D1[k] + i, hw->D2[k] + i);
    }

    /* Output layer: G_K = l'(out), l2 = l''(out). */
    const double *out = num_mlp_preact(hw->mw, K);
    double L = 0.0;
    if (opts->loss == NUM_HESS_SQUARE) {
        for (size_t i = 0; i < n * dout; i++) {
            double e = out[i] - Y[i];
            hw->G[K][i] = e;
            hw->l2[i] = 1.0;
            L += 0.5 * e * e;
        }
    } else {
        for (size_t s = 0; s < n; s++) {
            double t = -Y[s] * out[s] + opts->exp_shift;
            if (!(t <= HESS_EXP_MAX))
                return NUM_ERROR(NUM_ENAN, "non-finite value: !(t <= HESS_EXP_MAX)");
            double e = exp(t);
            hw->G[K][s] = -Y[s] * e;
            hw->l2[s] = Y[s] * Y[s] * e;
            L += e;
        }
    }

    /* Backward: dH_{k-1} = G_k W_k, G_{k-1} = sigma'(Z_{k-1}) . dH_{k-1}. */
    for (size_t k = K; k >= 2; k--) {
        size_t Nin = net->widths[k - 1], Nout = net->widths[k];
        const double *W = theta + net->off_w[k - 1];
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)Nin, (int)Nout, 1.0,
                    hw->G[k], (int)Nout, W, (int)Nin, 0.0, hw->dH[k - 1], (int)Nin);
        for (size_t i = 0; i < n * Nin; i++)
            hw->G[k - 1][i] = hw->D1[k - 1][i] * hw->dH[k - 1][i];
    }

    for (size_t k = 1; k <= K; k++) {
        size_t ww = net->widths[k] * net->widths[k - 1];
        const double *W = theta + net->off_w[k - 1];
        if (hw->lam[k - 1] > 0.0)
            for (size_t i = 0; i < ww; i++)
                L += hw->lam[k - 1] * W[i] * W[i];
    }
    if (grad) {
        for (size_t k = 1; k <= K; k++) {
            size_t Nin = net->widths[k - 1], Nout = net->widths[k];
            double *gw = grad + net->off_w[k - 1];
            const double *W = theta + net->off_w[k - 1];
            /* dL/dW_k = G_k^T H_{k-1} + 2 lambda_k W_k. */
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)Nout, (int)Nin, (int)n,
                        1.0, hw->G[k], (int)Nout, layer_input(hw, k), (int)Nin, 0.0, gw,
                        (int)Nin);
            if (hw->lam[k - 1] > 0.0)
                cblas_daxpy((int)(Nout * Nin), 2.0 * hw->lam[k - 1], W, 1, gw, 1);
            if (net->bias) {
                double *gb = grad + net->off_b[k - 1];
                memset(gb, 0, Nout * sizeof *gb);
                for (size_t s = 0; s < n; s++)
                    for (size_t i = 0; i < Nout; i++)
                        gb[i] += hw->G[k][s * Nout + i];
            }
        }
        for (size_t p = 0; p < hw->P; p++)
            if (!isfinite(grad[p]))
                return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(grad[p])");
    }
    if (!isfinite(L))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(L)");
    if (loss)
        *loss = L;
    hw->ready = 1;
    return NUM_OK;
}

/* Stack the W_k-parts of the nb directions: Vc = vertical ((b,i) rows of N_{k-1}),
 * Vh = horizontal (row i = [V_1[i,:] ... V_nb[i,:]]). */
static void stack_directions(const num_hess_work *hw, size_t k, size_t nb, const double *V,
                             int vertical)
{
    const num_mlp *net = hw->net;
    size_t Nin = net->widths[k - 1], Nout = net->widths[k], P = hw->P, off = net->off_w[k - 1];
    for (size_t b = 0; b < nb; b++) {
        const double *vb = V + b * P + off;
        if (vertical)
            memcpy(hw->Vc + b * Nout * Nin, vb, Nout * Nin * sizeof *vb);
        else
            for (size_t i = 0; i < Nout; i++)
                memcpy(hw->Vh + i * nb * Nin + b * Nin, vb + i * Nin, Nin * sizeof *vb);
    }
}

num_status num_hessian_hvp(num_hess_work *hw, size_t nb, const double *V, double *HV)
{
    if (!hw || !V || !HV || nb == 0 || nb > hw->cap_b || !hw->ready)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !hw || !V || !HV || nb == 0 || nb > "
                                     "hw->cap_b || !hw->ready");
    const num_mlp *net = hw->net;
    size_t K = hw->K, P = hw->P, n = hw->n, B = nb;
    const double *theta = hw->theta;

    /* R-forward. */
    for (size_t k = 1; k <= K; k++) {
        size_t Nin = net->widths[k - 1], Nout = net->widths[k];
        const double *W = theta + net->off_w[k - 1];
        double *RZ = hw->RZ[k];
        stack_directions(hw, k, B, V, 1);
        /* R{Z_k}[s,b,:] = H_{k-1}[s,:] V_b^T: (n x Nin)(Nin x B Nout). */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)(B * Nout), (int)Nin,
                    1.0, layer_input(hw, k), (int)Nin, hw->Vc, (int)Nin, 0.0, RZ,
                    (int)(B * Nout));
        if (k > 1) /* += R{H_{k-1}} W_k^T: (n B x Nin)(Nin x Nout). */
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(n * B), (int)Nout,
                        (int)Nin, 1.0, hw->RH[k - 1], (int)Nin, W, (int)Nin, 1.0, RZ,
                        (int)Nout);
        if (net->bias)
            for (size_t s = 0; s < n; s++)
                for (size_t b = 0; b < B; b++) {
                    const double *c = V + b * P + net->off_b[k - 1];
                    double *rz = RZ + (s * B + b) * Nout;
                    for (size_t i = 0; i < Nout; i++)
                        rz[i] += c[i];
                }
        if (k < K) {
            const double *D = hw->D1[k];
            double *RH = hw->RH[k];
            for (size_t s = 0; s < n; s++)
                for (size_t b = 0; b < B; b++)
                    for (size_t i = 0; i < Nout; i++)
                        RH[(s * B + b) * Nout + i] =
                            D[s * Nout + i] * RZ[(s * B + b) * Nout + i];
        }
    }

    /* R-backward: R{G_K} = l''(out) . R{Z_K}. */
    size_t dout = net->widths[K];
    double *RG = hw->RG, *RG2 = hw->RG2;
    for (size_t s = 0; s < n; s++)
        for (size_t b = 0; b < B; b++)
            for (size_t i = 0; i < dout; i++)
                RG[(s * B + b) * dout + i] = hw->l2[s * dout + i] * hw->RZ[K][(s * B + b) * dout + i];

    for (size_t k = K; k >= 1; k--) {
        size_t Nin = net->widths[k - 1], Nout = net->widths[k], offw = net->off_w[k - 1];
        const double *W = theta + offw;
        double two_lam = 2.0 * hw->lam[k - 1];
        /* R{dW_k}[b] = R{G_k}[b]^T H_{k-1}: (B Nout x n)(n x Nin), rows (b, i). */
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)(B * Nout), (int)Nin, (int)n,
                    1.0, RG, (int)(B * Nout), layer_input(hw, k), (int)Nin, 0.0, hw->buf1,
                    (int)Nin);
        for (size_t b = 0; b < B; b++) {
            double *hv = HV + b * P + offw;
            const double *v = V + b * P + offw, *src = hw->buf1 + b * Nout * Nin;
            for (size_t q = 0; q < Nout * Nin; q++)
                hv[q] = src[q] + two_lam * v[q];
        }
        if (k > 1) {
            /* + G_k^T R{H_{k-1}}[b]: (Nout x n)(n x B Nin), layout (i, b, j). */
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)Nout, (int)(B * Nin),
                        (int)n, 1.0, hw->G[k], (int)Nout, hw->RH[k - 1], (int)(B * Nin), 0.0,
                        hw->buf2, (int)(B * Nin));
            for (size_t b = 0; b < B; b++)
                for (size_t i = 0; i < Nout; i++) {
                    double *hv = HV + b * P + offw + i * Nin;
                    const double *src = hw->buf2 + i * B * Nin + b * Nin;
                    for (size_t j = 0; j < Nin; j++)
                        hv[j] += src[j];
                }
        }
        if (net->bias)
            for (size_t b = 0; b < B; b++) {
                double *hb = HV + b * P + net->off_b[k - 1];
                memset(hb, 0, Nout * sizeof *hb);
                for (size_t s = 0; s < n; s++)
                    for (size_t i = 0; i < Nout; i++)
                        hb[i] += RG[(s * B + b) * Nout + i];
            }
        if (k == 1)
            break;
        /* R{dH_{k-1}} = R{G_k} W_k + G_k V_k. */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)(n * B), (int)Nin,
                    (int)Nout, 1.0, RG, (int)Nout, W, (int)Nin, 0.0, RG2, (int)Nin);
        stack_directions(hw, k, B, V, 0);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)(B * Nin),
                    (int)Nout, 1.0, hw->G[k], (int)Nout, hw->Vh, (int)(B * Nin), 1.0, RG2,
                    (int)(B * Nin));
        /* R{G_{k-1}} = sigma' . R{dH_{k-1}} + sigma'' . R{Z_{k-1}} . dH_{k-1}. */
        const double *D1 = hw->D1[k - 1], *D2 = hw->D2[k - 1], *dH = hw->dH[k - 1];
        const double *RZ = hw->RZ[k - 1];
        for (size_t s = 0; s < n; s++)
            for (size_t b = 0; b < B; b++)
                for (size_t j = 0; j < Nin; j++) {
                    size_t q = (s * B + b) * Nin + j, e = s * Nin + j;
                    RG2[q] = D1[e] * RG2[q] + D2[e] * RZ[q] * dH[e];
                }
        double *t = RG;
        RG = RG2;
        RG2 = t;
    }
    for (size_t q = 0; q < nb * P; q++)
        if (!isfinite(HV[q]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(HV[q])");
    return NUM_OK;
}

num_status num_hessian_full(num_hess_work *hw, const double *theta, const double *X,
                            const double *Y, size_t n, const num_hess_opts *opts, size_t p0,
                            size_t p1, double *H, double *asym)
{
    if (!hw || !H || p1 <= p0 || p1 > hw->P)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !hw || !H || p1 <= p0 || p1 > hw->P");
    num_status st = num_hessian_prepare(hw, theta, X, Y, n, opts, NULL, NULL);
    if (st != NUM_OK)
        return st;
    size_t P = hw->P, m = p1 - p0;
    for (size_t q = p0; q < p1; q += hw->cap_b) {
        size_t nb = p1 - q < hw->cap_b ? p1 - q : hw->cap_b;
        memset(hw->Vblk, 0, nb * P * sizeof *hw->Vblk);
        for (size_t b = 0; b < nb; b++)
            hw->Vblk[b * P + q + b] = 1.0;
        st = num_hessian_hvp(hw, nb, hw->Vblk, hw->HVblk);
        if (st != NUM_OK)
            return st;
        for (size_t b = 0; b < nb; b++)
            memcpy(H + (q - p0 + b) * m, hw->HVblk + b * P + p0, m * sizeof *H);
    }
    double amax = 0.0, dmax = 0.0;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++) {
            double a = fabs(H[i * m + j]);
            if (a > amax)
                amax = a;
            if (j > i) {
                double d = fabs(H[i * m + j] - H[j * m + i]);
                if (d > dmax)
                    dmax = d;
                double s = 0.5 * (H[i * m + j] + H[j * m + i]);
                H[i * m + j] = H[j * m + i] = s;
            }
        }
    if (asym)
        *asym = amax > 0.0 ? dmax / amax : 0.0;
    return NUM_OK;
}

double num_hessian_flops(const num_mlp *net, size_t n)
{
    if (!net)
        return 0.0;
    /* Per direction and layer k, dgemm terms of 2 n N_k N_{k-1} flops each: layer 1 has two
     * (H_0 V_1^T forward, R{G_1}^T H_0 backward), every deeper layer six (two forward, four
     * backward). */
    double f = 0.0;
    for (size_t k = 1; k <= net->nlayers; k++)
        f += (k == 1 ? 2.0 : 6.0) * 2.0 * (double)n * (double)net->widths[k] *
             (double)net->widths[k - 1];
    return f * (double)net->nparams;
}

num_status num_hessian_minimise(num_hess_work *hw, double *theta, const double *X,
                                const double *Y, size_t n, const num_hess_opts *opts,
                                double gtol, size_t max_iter, size_t *iters, double *gnorm)
{
    if (!hw || !theta || !X || !Y || !opts || !(gtol >= 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !hw || !theta || !X || !Y || !opts || "
                                     "!(gtol >= 0.0)");
    size_t P = hw->P, it = 0, rejects = 0;
    /* 40 consecutive rejections multiply mu by 1e40: beyond that the step is below rounding
     * of theta and no progress is possible. */
    const size_t max_rejects = 40;
    double *H = malloc(P * P * sizeof *H), *A = malloc(P * P * sizeof *A);
    double *g = malloc(P * sizeof *g), *gt = malloc(P * sizeof *gt);
    double *d = malloc(P * sizeof *d), *trial = malloc(P * sizeof *trial);
    num_status st = NUM_ENOMEM;
    double f = 0.0, ft = 0.0, gn = NAN, mu = -1.0, nu = 2.0;
    if (!H || !A || !g || !gt || !d || !trial)
        goto done;
    st = num_hessian_prepare(hw, theta, X, Y, n, opts, &f, g);
    if (st != NUM_OK)
        goto done;
    gn = cblas_dnrm2((int)P, g, 1);
    while (gn > gtol) {
        if (it >= max_iter) {
            st = NUM_ENOCONV;
            goto done;
        }
        st = num_hessian_full(hw, theta, X, Y, n, opts, 0, P, H, NULL);
        if (st != NUM_OK)
            goto done;
        it++;
        if (mu < 0.0) {
            double hmax = 0.0;
            for (size_t i = 0; i < P; i++)
                if (fabs(H[i * P + i]) > hmax)
                    hmax = fabs(H[i * P + i]);
            mu = 1e-3 * (hmax > 0.0 ? hmax : 1.0);
        }
        for (;;) {
            memcpy(A, H, P * P * sizeof *A);
            for (size_t i = 0; i < P; i++) {
                A[i * P + i] += mu;
                d[i] = -g[i];
            }
            lapack_int info = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', (lapack_int)P, 1, A,
                                            (lapack_int)P, d, 1);
            double rho = -1.0;
            if (info < 0) {
                st = NUM_ELAPACK;
                goto done;
            }
            if (info == 0) {
                /* Predicted decrease of the quadratic model: -(g.d + d.H d / 2). */
                cblas_dsymv(CblasRowMajor, CblasUpper, (int)P, 1.0, H, (int)P, d, 1, 0.0, gt,
                            1);
                double pred = -(cblas_ddot((int)P, g, 1, d, 1) +
                                0.5 * cblas_ddot((int)P, d, 1, gt, 1));
                for (size_t i = 0; i < P; i++)
                    trial[i] = theta[i] + d[i];
                num_status s2 = num_hessian_prepare(hw, trial, X, Y, n, opts, &ft, gt);
                if (s2 == NUM_OK && ft < f && pred > 0.0)
                    rho = (f - ft) / pred;
                /* At the rounding floor of the loss (changes within 8 eps |f|) the loss can no
                 * longer rank the points: accept a step that reduces the gradient instead. */
                else if (s2 == NUM_OK && ft - f <= 8.0 * DBL_EPSILON * fabs(f) &&
                         cblas_dnrm2((int)P, gt, 1) < gn)
                    rho = 1e-3;
            }
            if (rho > 0.0) {
                memcpy(theta, trial, P * sizeof *theta);
                memcpy(g, gt, P * sizeof *g);
                f = ft;
                double t = 2.0 * rho - 1.0, fac = 1.0 - t * t * t;
                mu *= fac > 1.0 / 3.0 ? fac : 1.0 / 3.0;
                nu = 2.0;
                rejects = 0;
                break;
            }
            mu = mu > 0.0 ? nu * mu : DBL_MIN;
            nu *= 2.0;
            if (++rejects >= max_rejects) {
                st = NUM_ENOCONV;
                goto done;
            }
        }
        gn = cblas_dnrm2((int)P, g, 1);
        if (!isfinite(gn)) {
            st = NUM_ENAN;
            goto done;
        }
    }
    st = NUM_OK;
done:
    if (iters)
        *iters = it;
    if (gnorm)
        *gnorm = gn;
    free(H);
    free(A);
    free(g);
    free(gt);
    free(d);
    free(trial);
    return st;
}

/* The best of the steps theta +- a v (v: column 0 of V, P x P row-major) with a loss below
 * f0 into best; returns whether there was one. */
static bool saddle_try(num_hess_work *hw, const double *theta, const double *X,
                       const double *Y, size_t n, const num_hess_opts *opts, const double *V,
                       double a, double f0, double *trial, double *best)
{
    size_t P = hw->P;
    double fbest = f0;
    bool found = false;
    for (int sg = -1; sg <= 1; sg += 2) {
        for (size_t i = 0; i < P; i++)
            trial[i] = theta[i] + sg * a * V[i * P]; /* column 0: eigenvector of ev[0] */
        double ft = 0.0;
        if (num_hessian_prepare(hw, trial, X, Y, n, opts, &ft, NULL) == NUM_OK && ft < fbest) {
            fbest = ft;
            memcpy(best, trial, P * sizeof *best);
            found = true;
        }
    }
    return found;
}

num_status num_hessian_saddle_step(num_hess_work *hw, double *theta, const double *X,
                                   const double *Y, size_t n, const num_hess_opts *opts,
                                   int halvings)
{
    if (!hw || !theta || !X || !Y || !opts || halvings < 1)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !hw || !theta || !X || !Y || !opts || "
                                     "halvings < 1");
    size_t P = hw->P;
    double *H = malloc(P * P * sizeof *H), *V = malloc(P * P * sizeof *V);
    double *ev = malloc(P * sizeof *ev), *trial = malloc(P * sizeof *trial);
    double *best = malloc(P * sizeof *best);
    num_status st = NUM_OK;
    double f0 = 0.0;
    if (!H || !V || !ev || !trial || !best) {
        st = NUM_ERROR(NUM_ENOMEM, "allocation failed");
        goto done;
    }
    if ((st = num_hessian_full(hw, theta, X, Y, n, opts, 0, P, H, NULL)) != NUM_OK ||
        (st = num_linalg_eigh(P, H, ev, V)) != NUM_OK ||
        (st = num_hessian_prepare(hw, theta, X, Y, n, opts, &f0, NULL)) != NUM_OK)
        goto done;
    st = NUM_ENOCONV;
    if (!(ev[0] < 0.0))
        goto done;
    double a = 1.0;
    for (int h = 0; h < halvings && st != NUM_OK; h++, a *= 0.5)
        if (saddle_try(hw, theta, X, Y, n, opts, V, a, f0, trial, best))
            st = NUM_OK;
    if (st == NUM_OK)
        memcpy(theta, best, P * sizeof *theta);
done:
    free(H);
    free(V);
    free(ev);
    free(trial);
    free(best);
    return st;
}
