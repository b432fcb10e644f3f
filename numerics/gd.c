/* numerics/gd.c — fixed-step gradient descent (see gd.h). */
#include "numerics/gd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/linalg.h"

/* Margins below this make exp(-z) overflow: the run has diverged. */
#define GD_Z_MIN (-700.0)

static int valid_loss(num_margin_loss loss)
{
    return loss == NUM_LOSS_EXP || loss == NUM_LOSS_LOGISTIC || loss == NUM_LOSS_SQUARE;
}

num_status num_gd_smoothness(num_margin_loss loss, size_t n, size_t d, const double *X,
                             const double *y, const double *w0, double *beta_local,
                             double *beta_global)
{
    if (n == 0 || d == 0 || !X || !y || !w0 || !valid_loss(loss))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || d == 0 || !X || !y || !w0 "
                                     "|| !valid_loss(loss)");
    double *H = malloc(d * d * sizeof *H);
    double *work = malloc(n * sizeof *work);
    num_status st = NUM_ENOMEM;
    if (!H || !work)
        goto done;
    double lxx;
    if ((st = num_linalg_gram(n, d, X, H)) != NUM_OK ||
        (st = num_linalg_eigh_max(d, H, &lxx)) != NUM_OK)
        goto done;
    double bl, bg;
    if (loss == NUM_LOSS_SQUARE) {
        bl = bg = 2.0 * lxx;
    } else {
        if ((st = num_loss_margin_hessian(loss, n, d, X, y, w0, H)) != NUM_OK ||
            (st = num_linalg_eigh_max(d, H, &bl)) != NUM_OK)
            goto done;
        if (loss == NUM_LOSS_LOGISTIC) {
            bg = 0.25 * lxx;
        } else {
            double logL;
            if ((st = num_loss_margin(loss, n, d, X, y, w0, &logL, NULL, NULL, work)) != NUM_OK)
                goto done;
            bg = lxx * exp(logL);
        }
    }
    if (beta_local)
        *beta_local = bl;
    if (beta_global)
        *beta_global = bg;
    st = (isfinite(bl) && isfinite(bg)) ? NUM_OK : NUM_ENAN;
done:
    free(H);
    free(work);
    return st;
}

static num_status record(num_margin_loss loss, size_t n, size_t d, const double *X,
                         const double *y, const double *w, double *Wrow, double *logL,
                         double *work)
{
    memcpy(Wrow, w, d * sizeof *w);
    if (!logL)
        return NUM_OK;
    if (loss == NUM_LOSS_SQUARE) {
        double L;
        num_status st = num_loss_square(n, d, X, y, w, &L, NULL, work);
        *logL = log(L);
        return st;
    }
    return num_loss_margin(loss, n, d, X, y, w, logL, NULL, NULL, work);
}

num_status num_gd_run(num_margin_loss loss, size_t n, size_t d, const double *X,
                      const double *y, const double *w0, double eta, size_t nout,
                      const unsigned long *kout, double *W, double *logL, double *lerr)
{
    if (n == 0 || d == 0 || !X || !y || !w0 || !kout || !W || nout == 0 || !valid_loss(loss) ||
        !(eta > 0.0) || !isfinite(eta))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || d == 0 || !X || !y || !w0 "
                                     "|| !kout || !W || nout == 0 || !valid_loss(loss) || !(eta > "
                                     "0.0) || !isfinite(eta)");
    for (size_t k = 1; k < nout; k++)
        if (kout[k] < kout[k - 1])
            return NUM_ERROR(NUM_EINVAL, "argument check failed: kout[k] < kout[k - 1]");
    if (loss != NUM_LOSS_SQUARE)
        for (size_t i = 0; i < n; i++)
            if (y[i] != 1.0 && y[i] != -1.0)
                return NUM_ERROR(NUM_EINVAL, "argument check failed: y[i] != 1.0 && y[i] != -1.0");
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(X[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(X[i])");
    double *w = malloc(d * sizeof *w), *c = malloc(n * sizeof *c);
    double *h2 = lerr ? malloc(n * sizeof *h2) : NULL, *g = lerr ? malloc(d * sizeof *g) : NULL;
    double *u = lerr ? malloc(n * sizeof *u) : NULL;
    num_status st = NUM_ENOMEM;
    if (!w || !c || (lerr && (!h2 || !g || !u)))
        goto done;
    memcpy(w, w0, d * sizeof *w);
    st = NUM_OK;
    size_t j = 0;
    double esum = 0.0;
    for (unsigned long k = 0;; k++) {
        while (j < nout && kout[j] == k) {
            if ((st = record(loss, n, d, X, y, w, W + j * d, logL ? logL + j : NULL, c)) !=
                NUM_OK)
                goto done;
            if (lerr)
                lerr[j] = esum;
            j++;
        }
        if (j == nout)
            break;
        /* c = -eta * dL/d(X w): then w += X^T c is the step. */
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, w, 1, 0.0, c,
                    1);
        if (loss == NUM_LOSS_SQUARE) {
            for (size_t i = 0; i < n; i++)
                c[i] = 2.0 * eta * (y[i] - c[i]);
        } else {
            for (size_t i = 0; i < n; i++) {
                double z = y[i] * c[i];
                if (!(z >= GD_Z_MIN)) {
                    st = NUM_ENAN;
                    goto done;
                }
                c[i] = eta * y[i] *
                       (loss == NUM_LOSS_EXP ? exp(-z) : 1.0 / (1.0 + exp(z)));
                if (lerr)
                    h2[i] = num_loss_d2ell(loss, z);
            }
        }
        if (lerr) {
            /* g = -grad L = X^T c / eta; H g = X^T (l'' .* (X g)) (margin), 2 X^T X g (square) */
            cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, 1.0 / eta, X, (int)d, c, 1,
                        0.0, g, 1);
            cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, g, 1, 0.0,
                        u, 1);
            for (size_t i = 0; i < n; i++)
                u[i] *= loss == NUM_LOSS_SQUARE ? 2.0 : h2[i];
            double hg = 0.0;
            for (size_t jj = 0; jj < d; jj++) {
                double v = cblas_ddot((int)n, X + jj, (int)d, u, 1);
                hg += v * v;
            }
            esum += 0.5 * eta * eta * sqrt(hg);
        }
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, 1.0, X, (int)d, c, 1, 1.0, w, 1);
        double sum = 0.0; /* non-finite iff some entry is (or the weights are astronomically
                             large, which is divergence too) */
        for (size_t i = 0; i < d; i++)
            sum += w[i];
        if (!isfinite(sum)) {
            st = NUM_ENAN;
            goto done;
        }
    }
    for (size_t i = 0; i < nout * d; i++)
        if (!isfinite(W[i])) {
            st = NUM_ENAN;
            break;
        }
done:
    free(w);
    free(c);
    free(h2);
    free(g);
    free(u);
    return st;
}

num_status num_gd_richardson_eval(size_t d, const double *w_flow, const double *w_gd,
                                  const double *w_gd_half, num_gd_richardson *out)
{
    if (d == 0 || !w_flow || !w_gd || !w_gd_half || !out)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: d == 0 || !w_flow || !w_gd || "
                                     "!w_gd_half || !out");
    double a = 0.0, b = 0.0, e = 0.0;
    for (size_t j = 0; j < d; j++) {
        double d1 = w_gd[j] - w_flow[j], d2 = w_gd_half[j] - w_flow[j];
        a += d1 * d1;
        b += d2 * d2;
        e += (d1 - 2.0 * d2) * (d1 - 2.0 * d2);
    }
    if (!isfinite(a + b + e))
        return NUM_ERROR(NUM_ENAN, "non-finite value: a GD iterate or the flow state");
    out->dev = sqrt(a);
    out->dev_half = sqrt(b);
    out->ratio = out->dev / out->dev_half;
    out->q = sqrt(e) / out->dev;
    if (!(out->dev > 0.0))
        out->ratio = out->q = NAN;
    return NUM_OK;
}
