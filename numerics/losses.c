/* numerics/losses.c — margin, square and multiclass losses (see losses.h). */
#include "numerics/losses.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

double num_logsumexp(size_t n, const double *a)
{
    double m = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (a[i] > m)
            m = a[i];
    if (!isfinite(m))
        return m; /* -inf (empty or all -inf), +inf, or NaN propagate */
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += exp(a[i] - m);
    return m + log(s);
}

double num_softplus(double x)
{
    return x > 0.0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/* Above this margin log(log1p(e^-z)) is replaced by its expansion -z - e^-z / 2, whose error
 * (5/24) e^{-2z} is below 1e-32 there; below it log1p(e^-z) >= 2e-16 is a normal number and
 * its logarithm is accurate. */
#define LOGISTIC_TAIL_Z 36.0

double num_loss_log_ell(num_margin_loss loss, double z)
{
    if (loss == NUM_LOSS_EXP)
        return -z;
    if (z > LOGISTIC_TAIL_Z)
        return -z - 0.5 * exp(-z);
    return log(num_softplus(-z));
}

double num_loss_log_neg_dell(num_margin_loss loss, double z)
{
    return loss == NUM_LOSS_EXP ? -z : -num_softplus(z);
}

double num_loss_d2ell(num_margin_loss loss, double z)
{
    if (loss == NUM_LOSS_EXP)
        return exp(-z);
    return exp(-num_softplus(z) - num_softplus(-z));
}

static int finite_vec(size_t n, const double *x)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

num_status num_loss_margins(size_t n, size_t d, const double *X, const double *y,
                            const double *w, double *z)
{
    if (n == 0 || d == 0 || !X || !y || !w || !z)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || d == 0 || !X || !y || !w || "
                                     "!z");
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, w, 1, 0.0, z, 1);
    for (size_t i = 0; i < n; i++)
        z[i] *= y[i];
    return NUM_OK;
}

num_status num_loss_margin(num_margin_loss loss, size_t n, size_t d, const double *X,
                           const double *y, const double *w, double *logL, double *grad,
                           double *ngrad, double *work)
{
    if (n == 0 || d == 0 || !X || !y || !w || !work ||
        (loss != NUM_LOSS_EXP && loss != NUM_LOSS_LOGISTIC))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || d == 0 || !X || !y || !w || "
                                     "!work || (loss != NUM_LOSS_EXP && loss != NUM_LOSS_LOGISTIC)");
    if (!finite_vec(d, w))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !finite_vec(d, w)");
    num_loss_margins(n, d, X, y, w, work);
    /* log L by a streaming log-sum-exp over log l(z_n). */
    double m = -INFINITY, s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = num_loss_log_ell(loss, work[i]);
        if (!isfinite(a))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(a)");
        if (a > m) {
            s = s * exp(m - a) + 1.0;
            m = a;
        } else {
            s += exp(a - m);
        }
    }
    double lL = m + log(s);
    if (logL)
        *logL = lL;
    if (!grad && !ngrad)
        return NUM_OK;
    /* Normalised coefficients: -l'(z_n) / L = exp(log(-l'(z_n)) - log L) <= 1. */
    for (size_t i = 0; i < n; i++)
        work[i] = -y[i] * exp(num_loss_log_neg_dell(loss, work[i]) - lL);
    double *g = ngrad ? ngrad : grad;
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, 1.0, X, (int)d, work, 1, 0.0, g, 1);
    if (grad) {
        double L = exp(lL);
        for (size_t j = 0; j < d; j++)
            grad[j] = L * g[j];
        if (!finite_vec(d, grad))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !finite_vec(d, grad)");
    }
    return NUM_OK;
}

num_status num_loss_margin_hessian(num_margin_loss loss, size_t n, size_t d, const double *X,
                                   const double *y, const double *w, double *H)
{
    if (n == 0 || d == 0 || !X || !y || !w || !H ||
        (loss != NUM_LOSS_EXP && loss != NUM_LOSS_LOGISTIC))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || d == 0 || !X || !y || !w || "
                                     "!H || (loss != NUM_LOSS_EXP && loss != NUM_LOSS_LOGISTIC)");
    double *B = malloc(n * d * sizeof *B);
    double *z = malloc(n * sizeof *z);
    num_status st = NUM_ENOMEM;
    if (!B || !z)
        goto done;
    num_loss_margins(n, d, X, y, w, z);
    for (size_t i = 0; i < n; i++) {
        double c = sqrt(num_loss_d2ell(loss, z[i]));
        for (size_t j = 0; j < d; j++)
            B[i * d + j] = c * X[i * d + j];
    }
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)d, (int)n, 1.0, B, (int)d, 0.0, H,
                (int)d);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < i; j++)
            H[i * d + j] = H[j * d + i];
    st = finite_vec(d * d, H) ? NUM_OK : NUM_ENAN;
done:
    free(B);
    free(z);
    return st;
}

num_status num_loss_square(size_t n, size_t d, const double *X, const double *y,
                           const double *w, double *L, double *grad, double *work)
{
    if (n == 0 || d == 0 || !X || !y || !w || !work)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || d == 0 || !X || !y || !w || "
                                     "!work");
    memcpy(work, y, n * sizeof *work);
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, -1.0, X, (int)d, w, 1, 1.0, work,
                1);
    if (L)
        *L = cblas_ddot((int)n, work, 1, work, 1);
    if (grad)
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, -2.0, X, (int)d, work, 1, 0.0,
                    grad, 1);
    if ((L && !isfinite(*L)) || (grad && !finite_vec(d, grad)))
        return NUM_ERROR(NUM_ENAN, "non-finite value: (L && !isfinite(*L)) || (grad && "
                                   "!finite_vec(d, grad))");
    return NUM_OK;
}

static int labels_ok(size_t n, size_t C, const size_t *labels)
{
    for (size_t i = 0; i < n; i++)
        if (labels[i] >= C)
            return 0;
    return 1;
}

num_status num_loss_softmax_xent(size_t n, size_t C, const double *Z, const size_t *labels,
                                 double *loss, double *dZ)
{
    if (n == 0 || C < 2 || !Z || !labels || !loss || !labels_ok(n, C, labels))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || C < 2 || !Z || !labels || "
                                     "!loss || !labels_ok(n, C, labels)");
    if (!finite_vec(n * C, Z))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !finite_vec(n * C, Z)");
    double total = 0.0, inv_n = 1.0 / (double)n;
    for (size_t i = 0; i < n; i++) {
        const double *z = Z + i * C;
        double lse = num_logsumexp(C, z);
        total += lse - z[labels[i]];
        if (dZ) {
            for (size_t c = 0; c < C; c++)
                dZ[i * C + c] = exp(z[c] - lse) * inv_n;
            dZ[i * C + labels[i]] -= inv_n;
        }
    }
    *loss = total * inv_n;
    return NUM_OK;
}

num_status num_loss_mse_onehot(size_t n, size_t C, const double *Z, const size_t *labels,
                               double *loss, double *dZ)
{
    if (n == 0 || C < 1 || !Z || !labels || !loss || !labels_ok(n, C, labels))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || C < 1 || !Z || !labels || "
                                     "!loss || !labels_ok(n, C, labels)");
    if (!finite_vec(n * C, Z))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !finite_vec(n * C, Z)");
    double total = 0.0, inv_n = 1.0 / (double)n;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < C; c++) {
            double r = Z[i * C + c] - (c == labels[i] ? 1.0 : 0.0);
            total += r * r;
            if (dZ)
                dZ[i * C + c] = r * inv_n;
        }
    *loss = 0.5 * total * inv_n;
    return isfinite(*loss) ? NUM_OK : NUM_ENAN;
}
