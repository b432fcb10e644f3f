/* numerics/ntk.c — random-feature Gram matrices and limit kernels (see ntk.h for the model,
 * the sources and why eigenvalues come from singular values). */
#include "numerics/ntk.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <gsl/gsl_integration.h>
#include <lapacke.h>

#include "numerics/kernels.h"
#include "numerics/linalg.h"

/* BLAS takes int dimensions. */
static int dims_ok(size_t a, size_t b)
{
    return a > 0 && b > 0 && a <= (size_t)INT32_MAX && b <= (size_t)INT32_MAX &&
           a <= SIZE_MAX / b / sizeof(double);
}

num_status num_ntk_augment(size_t m, size_t d, const double *X, double *Xt)
{
    if (m == 0 || !Xt || (d > 0 && !X))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: m == 0 || !Xt || (d > 0 && !X)");
    for (size_t i = 0; i < m; i++) {
        if (d > 0)
            memcpy(Xt + i * (d + 1), X + i * d, d * sizeof *Xt);
        Xt[i * (d + 1) + d] = 1.0;
    }
    return NUM_OK;
}

num_status num_ntk_features(num_act act, double act_eps, size_t m, size_t d1, const double *Xt,
                            size_t n, const double *theta1, double *V)
{
    if (!dims_ok(m, n) || !dims_ok(n, d1) || !Xt || !theta1 || !V || (int)act < 0 ||
        act > NUM_ACT_SMOOTH_RELU)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !dims_ok(m, n) || !dims_ok(n, d1) || "
                                     "!Xt || !theta1 || !V || (int)act < 0 || act > "
                                     "NUM_ACT_SMOOTH_RELU");
    /* Z = Xt theta1^T: (m x d1) (d1 x n). */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)n, (int)d1, 1.0, Xt,
                (int)d1, theta1, (int)d1, 0.0, V, (int)n);
    size_t len = m * n;
    int finite = 1;
    for (size_t i = 0; i < len; i++) {
        double f;
        num_act_eval(act, act_eps, V[i], &f, NULL, NULL);
        V[i] = f;
        finite &= isfinite(f);
    }
    return finite ? NUM_OK : NUM_ENAN;
}

num_status num_ntk_gram(size_t m, size_t n, const double *V, double *K)
{
    if (!dims_ok(m, n) || !dims_ok(m, m) || !V || !K)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !dims_ok(m, n) || !dims_ok(m, m) || "
                                     "!V || !K");
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)m, (int)n, 1.0, V, (int)n, 0.0, K,
                (int)m);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < i; j++)
            K[i * m + j] = K[j * m + i];
    return NUM_OK;
}

num_status num_ntk_gram_extreme_eigs(size_t m, size_t n, const double *V, double c,
                                     double *lmin, double *lmax, double *floor)
{
    if (!dims_ok(m, n) || !V || !lmin || !lmax || !(c > 0.0))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !dims_ok(m, n) || !V || !lmin || "
                                     "!lmax || !(c > 0.0)");
    size_t k = m < n ? m : n;
    double *s = malloc(k * sizeof *s), *a = malloc(m * n * sizeof *a);
    num_status st = NUM_ENOMEM;
    if (!s || !a)
        goto done;
    st = NUM_OK;
    for (size_t i = 0; i < m * n; i++)
        if (!isfinite(V[i])) {
            st = NUM_ENAN;
            goto done;
        }
    memcpy(a, V, m * n * sizeof *a);
    /* The row-major m x n array V is the column-major n x m matrix V^T (same singular values):
     * calling dgesdd column-major needs no transposition by LAPACKE. */
    double du = 0.0, dvt = 0.0;
    lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', (lapack_int)n, (lapack_int)m, a,
                                     (lapack_int)n, s, &du, 1, &dvt, 1);
    st = info == 0 ? NUM_OK : (info < 0 ? NUM_EINVAL : NUM_ELAPACK);
    if (st == NUM_OK) {
        *lmax = s[0] * s[0];
        /* n < m: K_bar = V V^T has rank <= n < m, so its m - n smallest eigenvalues are 0. */
        *lmin = n < m ? 0.0 : s[k - 1] * s[k - 1];
        if (floor) {
            double tol = num_linalg_rank_tol(m, n, s[0], c);
            *floor = tol * tol;
        }
    }
done:
    free(s);
    free(a);
    return st;
}

/* ---- limit kernels --------------------------------------------------------------------- */

int num_ntk_limit_closed_form(num_act act)
{
    return act == NUM_ACT_LINEAR || act == NUM_ACT_RELU || act == NUM_ACT_ERF;
}

/* Nodes z_i and weights w_i of the rule sum_i w_i f(z_i) ~ E f(Z), Z ~ N(0, 1): GSL's
 * Gauss–Hermite rule for the weight exp(-z^2/2) (a = 0, b = 1/2), weights divided by their
 * sum sqrt(2 pi). Returns the workspace (caller frees) or NULL. */
static gsl_integration_fixed_workspace *gh_rule(size_t nodes, const double **z,
                                                const double **w, double *wsum)
{
    gsl_integration_fixed_workspace *ws =
        gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, nodes, 0.0, 0.5, 0.0, 0.0);
    if (!ws)
        return NULL;
    *z = gsl_integration_fixed_nodes(ws);
    *w = gsl_integration_fixed_weights(ws);
    double s = 0.0;
    for (size_t i = 0; i < nodes; i++)
        s += (*w)[i];
    *wsum = s;
    return ws;
}

static double gh_expect(num_act act, double act_eps, double a, double b, double c, size_t nodes,
                        const double *z, const double *w, double wsum)
{
    double sa = sqrt(a), beta = c / sa, r = b - c * c / a;
    double gamma = r > 0.0 ? sqrt(r) : 0.0; /* c^2 = a b up to rounding: v is a multiple of u */
    double acc = 0.0;
    for (size_t i = 0; i < nodes; i++) {
        double fu, inner = 0.0;
        num_act_eval(act, act_eps, sa * z[i], &fu, NULL, NULL);
        for (size_t j = 0; j < nodes; j++) {
            double fv;
            num_act_eval(act, act_eps, beta * z[i] + gamma * z[j], &fv, NULL, NULL);
            inner += w[j] * fv;
        }
        acc += w[i] * fu * inner;
    }
    return acc / (wsum * wsum);
}

num_status num_ntk_gauss_expect(num_act act, double act_eps, double a, double b, double c,
                                size_t nodes, double *value)
{
    if (!value || !(a > 0.0) || !(b > 0.0) || !isfinite(a) || !isfinite(b) || !isfinite(c) ||
        c * c > a * b * (1.0 + 4.0 * DBL_EPSILON) || nodes < 1 || nodes > 4096 ||
        (int)act < 0 || act > NUM_ACT_SMOOTH_RELU)
        return NUM_ERROR(NUM_EINVAL, "argument check failed");
    const double *z, *w;
    double wsum;
    gsl_integration_fixed_workspace *ws = gh_rule(nodes, &z, &w, &wsum);
    if (!ws)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    *value = gh_expect(act, act_eps, a, b, c, nodes, z, w, wsum);
    gsl_integration_fixed_free(ws);
    return isfinite(*value) ? NUM_OK : NUM_ENAN;
}

num_status num_ntk_limit_kernel(num_act act, double act_eps, size_t m, size_t d1,
                                const double *Xt, double sigma2, size_t nodes, double *K)
{
    if (!dims_ok(m, d1) || !dims_ok(m, m) || !Xt || !K || !(sigma2 > 0.0) ||
        !isfinite(sigma2) || (int)act < 0 || act > NUM_ACT_SMOOTH_RELU)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !dims_ok(m, d1) || !dims_ok(m, m) || "
                                     "!Xt || !K || !(sigma2 > 0.0) || !isfinite(sigma2) || "
                                     "(int)act < 0 || act > NUM_ACT_SMOOTH_RELU");
    int closed = num_ntk_limit_closed_form(act);
    if (!closed && (nodes < 1 || nodes > 4096))
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !closed && (nodes < 1 || nodes > "
                                     "4096)");
    const double *z = NULL, *w = NULL;
    double wsum = 1.0;
    gsl_integration_fixed_workspace *ws = NULL;
    if (!closed && !(ws = gh_rule(nodes, &z, &w, &wsum)))
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    int finite = 1;
    for (size_t i = 0; i < m; i++) {
        const double *xi = Xt + i * d1;
        for (size_t j = i; j < m; j++) {
            const double *xj = Xt + j * d1;
            double v;
            switch (act) {
            case NUM_ACT_LINEAR:
                v = sigma2 * cblas_ddot((int)d1, xi, 1, xj, 1);
                break;
            case NUM_ACT_RELU:
                v = num_kernel_relu(xi, xj, d1, sigma2);
                break;
            case NUM_ACT_ERF:
                v = num_kernel_erf(xi, xj, d1, sigma2);
                break;
            default: {
                double a = sigma2 * cblas_ddot((int)d1, xi, 1, xi, 1);
                double b = sigma2 * cblas_ddot((int)d1, xj, 1, xj, 1);
                double c = sigma2 * cblas_ddot((int)d1, xi, 1, xj, 1);
                v = gh_expect(act, act_eps, a, b, c, nodes, z, w, wsum);
                break;
            }
            }
            finite &= isfinite(v);
            K[i * m + j] = K[j * m + i] = v;
        }
    }
    if (ws)
        gsl_integration_fixed_free(ws);
    return finite ? NUM_OK : NUM_ENAN;
}

/* ---- flat limit ------------------------------------------------------------------------ */

/* Is the Taylor coefficient of degree q of rho at 0 nonzero? (see ntk.h) */
static int taylor_support(num_act act, int q)
{
    switch (act) {
    case NUM_ACT_ERF:
    case NUM_ACT_TANH:
        return q % 2 == 1;
    case NUM_ACT_SIGMOID:
        return q == 0 || q % 2 == 1;
    case NUM_ACT_SOFTPLUS:
        return q <= 1 || q % 2 == 0;
    case NUM_ACT_SMOOTH_RELU:
        return q == 1 || (q >= 2 && q % 2 == 0);
    default:
        return 0;
    }
}

int num_ntk_flat_limit_degree(num_act act, size_t m, size_t d)
{
    if (m == 0)
        return -1;
    if (act == NUM_ACT_RELU)
        return 1;
    if (act == NUM_ACT_LINEAR)
        return m <= d + 1 ? 1 : -1;
    /* dim(q) = C(d + q, q), the polynomials of degree <= q in d variables. */
    double dim = 1.0;
    for (int q = 0; q <= 200; q++) {
        if (q > 0)
            dim = dim * (double)(d + (size_t)q) / (double)q;
        if (taylor_support(act, q) && dim >= (double)m)
            return q;
    }
    return -1;
}
