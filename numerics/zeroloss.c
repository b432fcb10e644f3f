/* numerics/zeroloss.c — zero-loss points of the square loss (see zeroloss.h). */
#include "numerics/zeroloss.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "numerics/linalg.h"

num_status num_zeroloss_residual(const num_mlp *net, const double *theta, const double *X,
                                 const double *Y, size_t n, num_mlp_work *w, double *r,
                                 double *res_max, double *loss)
{
    if (!net || !theta || !X || !Y || !w || n == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !net || !theta || !X || !Y || !w || n "
                                     "== 0");
    num_status st = num_mlp_forward(net, theta, X, n, w, NULL);
    if (st != NUM_OK)
        return st;
    const double *out = num_mlp_act(w, net->nlayers);
    size_t m = n * net->widths[net->nlayers];
    double rm = 0.0, L = 0.0;
    for (size_t i = 0; i < m; i++) {
        double e = out[i] - Y[i];
        if (r)
            r[i] = e;
        if (fabs(e) > rm)
            rm = fabs(e);
        L += 0.5 * e * e;
    }
    if (!isfinite(L))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(L)");
    if (res_max)
        *res_max = rm;
    if (loss)
        *loss = L;
    return NUM_OK;
}

double num_zeroloss_output_scale(const num_mlp *net, const double *theta,
                                 const num_mlp_work *w, size_t n)
{
    if (!net || !theta || !w)
        return NAN;
    size_t K = net->nlayers, Nin = net->widths[K - 1], dout = net->widths[K];
    const double *H = num_mlp_act(w, K - 1), *W = theta + net->off_w[K - 1];
    const double *b = net->bias ? theta + net->off_b[K - 1] : NULL;
    double S = 0.0;
    for (size_t s = 0; s < n; s++)
        for (size_t i = 0; i < dout; i++) {
            double a = b ? fabs(b[i]) : 0.0;
            for (size_t j = 0; j < Nin; j++)
                a += fabs(H[s * Nin + j]) * fabs(W[i * Nin + j]);
            if (a > S)
                S = a;
        }
    return S;
}

num_status num_zeroloss_lstsq_output(const num_mlp *net, double *theta, const double *X,
                                     const double *Y, size_t n, num_mlp_work *w,
                                     size_t *rank)
{
    if (!net || !theta || !X || !Y || !w || n == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !net || !theta || !X || !Y || !w || n "
                                     "== 0");
    size_t K = net->nlayers, Nin = net->widths[K - 1], dout = net->widths[K];
    size_t cols = Nin + (net->bias ? 1 : 0);
    num_status st = num_mlp_forward(net, theta, X, n, w, NULL);
    if (st != NUM_OK)
        return st;
    const double *H = num_mlp_act(w, K - 1);
    double *A = malloc(n * cols * sizeof *A), *S = malloc(cols * dout * sizeof *S);
    if (!A || !S) {
        free(A);
        free(S);
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    }
    for (size_t s = 0; s < n; s++) {
        memcpy(A + s * cols, H + s * Nin, Nin * sizeof *A);
        if (net->bias)
            A[s * cols + Nin] = 1.0;
    }
    size_t mx = n > cols ? n : cols;
    st = num_linalg_lstsq(n, cols, dout, A, Y, (double)mx * DBL_EPSILON, S, rank);
    if (st == NUM_OK) {
        double *W = theta + net->off_w[K - 1];
        for (size_t i = 0; i < dout; i++)
            for (size_t j = 0; j < Nin; j++)
                W[i * Nin + j] = S[j * dout + i];
        if (net->bias)
            for (size_t i = 0; i < dout; i++)
                theta[net->off_b[K - 1] + i] = S[Nin * dout + i];
    }
    free(A);
    free(S);
    return st;
}

num_status num_zeroloss_gd(const num_mlp *net, double *theta, const double *X, const double *Y,
                           size_t n, double lr, size_t iters, num_mlp_work *w, double *loss)
{
    if (!net || !theta || !X || !Y || !w || n == 0 || !(lr > 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !net || !theta || !X || !Y || !w || n "
                                     "== 0 || !(lr > 0.0)");
    size_t P = net->nparams, m = n * net->widths[net->nlayers];
    double *r = malloc(m * sizeof *r), *g = malloc(P * sizeof *g), L = NAN;
    num_status st = NUM_ENOMEM;
    if (!r || !g)
        goto done;
    for (size_t t = 0; t < iters; t++) {
        st = num_zeroloss_residual(net, theta, X, Y, n, w, r, NULL, &L);
        if (st != NUM_OK)
            goto done;
        st = num_mlp_backward(net, theta, w, r, g);
        if (st != NUM_OK)
            goto done;
        cblas_daxpy((int)P, -lr, g, 1, theta, 1);
    }
    st = num_zeroloss_residual(net, theta, X, Y, n, w, NULL, NULL, &L);
done:
    if (loss)
        *loss = L;
    free(r);
    free(g);
    return st;
}

num_status num_zeroloss_lm(const num_mlp *net, double *theta, const double *X, const double *Y,
                           size_t n, double res_tol, size_t max_iter, num_mlp_work *w,
                           num_zeroloss_stats *out)
{
    if (!net || !theta || !X || !Y || !w || n == 0 || !(res_tol >= 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !net || !theta || !X || !Y || !w || n "
                                     "== 0 || !(res_tol >= 0.0)");
    /* 40 rejections raise mu by 1e40 over its last accepted value: the step is then far
     * below the rounding of theta. */
    const size_t max_rejects = 40;
    size_t P = net->nparams, m = n * net->widths[net->nlayers];
    double *J = malloc(m * P * sizeof *J), *A = malloc(m * m * sizeof *A);
    double *A2 = malloc(m * m * sizeof *A2), *r = malloc(m * sizeof *r);
    double *a = malloc(m * sizeof *a), *d = malloc(P * sizeof *d);
    double *trial = malloc(P * sizeof *trial), *rt = malloc(m * sizeof *rt);
    num_zeroloss_stats s = {0, 0, NAN, NAN};
    num_status st = NUM_ENOMEM;
    double mu = -1.0, ft = 0.0, rmt = 0.0;
    size_t rejects = 0;
    if (!J || !A || !A2 || !r || !a || !d || !trial || !rt)
        goto done;
    st = num_zeroloss_residual(net, theta, X, Y, n, w, r, &s.res_max, &s.loss);
    if (st != NUM_OK)
        goto done;
    while (s.res_max > res_tol) {
        if (s.jacobians >= max_iter) {
            st = NUM_ENOCONV;
            goto done;
        }
        /* The workspace holds the forward pass of theta (the last accepted point). */
        st = num_zeroloss_residual(net, theta, X, Y, n, w, NULL, NULL, NULL);
        if (st == NUM_OK)
            st = num_mlp_jacobian(net, theta, w, J);
        if (st != NUM_OK)
            goto done;
        s.jacobians++;
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)m, (int)P, 1.0, J, (int)P,
                    0.0, A, (int)m);
        if (mu < 0.0) {
            double dmax = 0.0;
            for (size_t i = 0; i < m; i++)
                if (A[i * m + i] > dmax)
                    dmax = A[i * m + i];
            mu = 1e-3 * (dmax > 0.0 ? dmax : 1.0);
        }
        for (;;) {
            memcpy(A2, A, m * m * sizeof *A2);
            memcpy(a, r, m * sizeof *a);
            for (size_t i = 0; i < m; i++)
                A2[i * m + i] += mu;
            lapack_int info = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', (lapack_int)m, 1, A2,
                                            (lapack_int)m, a, 1);
            if (info < 0) {
                st = NUM_ELAPACK;
                goto done;
            }
            int accepted = 0;
            if (info == 0) {
                /* d = -J^T a. */
                cblas_dgemv(CblasRowMajor, CblasTrans, (int)m, (int)P, -1.0, J, (int)P, a, 1,
                            0.0, d, 1);
                for (size_t i = 0; i < P; i++)
                    trial[i] = theta[i] + d[i];
                num_status s2 = num_zeroloss_residual(net, trial, X, Y, n, w, rt, &rmt, &ft);
                if (s2 == NUM_OK && ft < s.loss) {
                    memcpy(theta, trial, P * sizeof *theta);
                    memcpy(r, rt, m * sizeof *r);
                    s.loss = ft;
                    s.res_max = rmt;
                    s.iters++;
                    accepted = 1;
                }
            }
            if (accepted) {
                mu *= 0.1;
                rejects = 0;
                break;
            }
            mu = mu > 0.0 ? 10.0 * mu : DBL_MIN;
            if (++rejects >= max_rejects) {
                st = s.res_max <= res_tol ? NUM_OK : NUM_ENOCONV;
                goto done;
            }
        }
    }
    st = NUM_OK;
done:
    if (out)
        *out = s;
    free(J);
    free(A);
    free(A2);
    free(r);
    free(a);
    free(d);
    free(trial);
    free(rt);
    return st;
}

double num_zeroloss_tol(const num_mlp *net, const double *theta, const double *X,
                        const double *Y, size_t n, num_mlp_work *w, double *res_max)
{
    if (num_zeroloss_residual(net, theta, X, Y, n, w, NULL, res_max, NULL) != NUM_OK)
        return NAN;
    double S = num_zeroloss_output_scale(net, theta, w, n);
    size_t K = net->nlayers;
    return (double)K * (double)(net->widths[K - 1] + 1) * DBL_EPSILON * (S > 1.0 ? S : 1.0);
}

/* GD from init with the step lr0, halved until the loss ends at most at its start L0. */
static num_status gd_halving(const num_mlp *net, double *theta, const double *init,
                             const double *X, const double *Y, size_t n, double lr0, double L0,
                             size_t gd_iters, num_mlp_work *w, num_zeroloss_path *path)
{
    size_t P = net->nparams;
    double lr = lr0;
    num_status st = NUM_OK;
    for (int h = 0; h <= NUM_ZEROLOSS_GD_HALVINGS; h++, lr *= 0.5) {
        memcpy(theta, init, P * sizeof *theta);
        st = num_zeroloss_gd(net, theta, X, Y, n, lr, gd_iters, w, &path->gd_loss);
        if (st == NUM_OK && path->gd_loss <= L0)
            break;
        if (st != NUM_OK && st != NUM_ENAN)
            return st;
        st = NUM_ENOCONV;
    }
    if (st != NUM_OK)
        return NUM_ERROR(NUM_ENOCONV, "GD diverged or ended above its start at every step");
    path->gd_lr = lr;
    return NUM_OK;
}

num_status num_zeroloss_gd_lm(const num_mlp *net, double *theta, const double *X,
                              const double *Y, size_t n, size_t gd_iters, size_t lm_iters,
                              num_mlp_work *w, num_zeroloss_path *path)
{
    if (!net || !theta || !X || !Y || !w || !path || n == 0)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !net || !theta || !X || !Y || !w || "
                                     "!path || n == 0");
    size_t P = net->nparams, m = n * net->widths[net->nlayers];
    size_t k = m < P ? m : P;
    double *J = malloc(m * P * sizeof *J), *s = malloc(k * sizeof *s);
    double *init = malloc(P * sizeof *init);
    num_status st = NUM_OK;
    double L0 = 0.0;
    if (!J || !s || !init) {
        st = NUM_ERROR(NUM_ENOMEM, "allocation failed");
        goto done;
    }
    memcpy(init, theta, P * sizeof *init);
    if ((st = num_zeroloss_residual(net, theta, X, Y, n, w, NULL, NULL, &L0)) != NUM_OK ||
        (st = num_mlp_jacobian(net, theta, w, J)) != NUM_OK ||
        (st = num_linalg_svd_values(m, P, J, s)) != NUM_OK)
        goto done;
    double lr = s[0] > 0.0 ? 1.0 / (s[0] * s[0]) : 1.0;
    if ((st = gd_halving(net, theta, init, X, Y, n, lr, L0, gd_iters, w, path)) != NUM_OK)
        goto done;
    double res = 0.0, tol = num_zeroloss_tol(net, theta, X, Y, n, w, &res);
    num_zeroloss_stats zs;
    for (int pass = 0; pass < 3; pass++) {
        st = num_zeroloss_lm(net, theta, X, Y, n, tol, lm_iters, w, &zs);
        if (st != NUM_OK)
            goto done;
        path->lm_steps = zs.iters;
        tol = num_zeroloss_tol(net, theta, X, Y, n, w, &res);
        if (res <= tol)
            break;
    }
done:
    free(J);
    free(s);
    free(init);
    return st;
}
