/* numerics/svm.c — hard-margin SVM by LDP -> NNLS (Lawson & Hanson 1974, ch. 23), see svm.h. */
#include "numerics/svm.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/linalg.h"

/* ---- NNLS ------------------------------------------------------------------------------ */

/* Dual-feasibility tolerance of NNLS: w_j = e_j^T (f - E x) is computed with an absolute error
 * of about m eps ||e_j|| (||f|| + sum_j |x_j| ||e_j||) (one dot product of length m after a
 * residual whose terms are bounded by the bracket); a factor 10 covers the accumulation. */
#define NNLS_TOL_FACTOR 10.0

struct num_svm_nnls_workspace {
    size_t m, n;            /* the largest problem it serves */
    double *Ep;             /* m x n: the passive columns of E, packed */
    double *b;              /* max(m, n): the least-squares solution on the passive set */
    double *z;              /* n: the candidate x */
    double *wd;             /* n: the dual vector E^T (f - E x) */
    double *r;              /* m: the residual f - E x */
    size_t *P;              /* n: the passive set, in insertion order */
    unsigned char *inP;     /* n: membership in P */
    unsigned char *blocked; /* n: excluded by the round-off guard until x changes */
};

num_svm_nnls_workspace *num_svm_nnls_workspace_alloc(size_t m, size_t n)
{
    if (m == 0 || n == 0 || m > SIZE_MAX / n / sizeof(double))
        return NULL;
    num_svm_nnls_workspace *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t mx = m > n ? m : n;
    w->m = m;
    w->n = n;
    w->Ep = malloc(m * n * sizeof *w->Ep);
    w->b = malloc(mx * sizeof *w->b);
    w->z = malloc(n * sizeof *w->z);
    w->wd = malloc(n * sizeof *w->wd);
    w->r = malloc(m * sizeof *w->r);
    w->P = malloc(n * sizeof *w->P);
    w->inP = malloc(n);
    w->blocked = malloc(n);
    if (!w->Ep || !w->b || !w->z || !w->wd || !w->r || !w->P || !w->inP || !w->blocked) {
        num_svm_nnls_workspace_free(w);
        return NULL;
    }
    return w;
}

void num_svm_nnls_workspace_free(num_svm_nnls_workspace *w)
{
    if (!w)
        return;
    free(w->Ep);
    free(w->b);
    free(w->z);
    free(w->wd);
    free(w->r);
    free(w->P);
    free(w->inP);
    free(w->blocked);
    free(w);
}

num_status num_svm_nnls(size_t m, size_t n, const double *E, const double *f, double *x,
                        double *rnorm, size_t *iters)
{
    if (m == 0 || n == 0 || !E || !f || !x)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: m == 0 || n == 0 || !E || !f || !x");
    num_svm_nnls_workspace *w = num_svm_nnls_workspace_alloc(m, n);
    if (!w)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed: num_svm_nnls_workspace_alloc(m, n)");
    num_status st = num_svm_nnls_ws(w, m, n, E, f, x, rnorm, iters);
    num_svm_nnls_workspace_free(w);
    return st;
}

num_status num_svm_nnls_ws(num_svm_nnls_workspace *w, size_t m, size_t n, const double *E,
                           const double *f, double *x, double *rnorm, size_t *iters)
{
    if (!w || m == 0 || n == 0 || !E || !f || !x)
        return NUM_ERROR(NUM_EINVAL,
                         "argument check failed: !w || m == 0 || n == 0 || !E || !f || !x");
    if (m > w->m || n > w->n)
        return NUM_ERROR(NUM_EINVAL, "workspace too small: m > w->m || n > w->n");
    for (size_t i = 0; i < m * n; i++)
        if (!isfinite(E[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(E[i])");
    for (size_t i = 0; i < m; i++)
        if (!isfinite(f[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(f[i])");

    size_t mx = m > n ? m : n;
    double *Ep = w->Ep, *b = w->b, *z = w->z, *wd = w->wd, *r = w->r;
    size_t *P = w->P; /* passive set, insertion order */
    unsigned char *inP = w->inP, *blocked = w->blocked;
    memset(inP, 0, n);
    memset(blocked, 0, n);
    num_status st;

    double colmax = 0.0, fnorm = cblas_dnrm2((int)m, f, 1);
    for (size_t j = 0; j < n; j++) {
        double c = cblas_dnrm2((int)m, E + j, (int)n);
        if (c > colmax)
            colmax = c;
    }
    memset(x, 0, n * sizeof *x);
    size_t np = 0, it = 0;
    st = NUM_OK;
    for (;;) {
        /* Step 2: dual vector w = E^T (f - E x). */
        memcpy(r, f, m * sizeof *r);
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m, (int)n, -1.0, E, (int)n, x, 1, 1.0, r,
                    1);
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)m, (int)n, 1.0, E, (int)n, r, 1, 0.0, wd, 1);
        double x1 = 0.0;
        for (size_t j = 0; j < n; j++)
            x1 += fabs(x[j]);
        double tol = NNLS_TOL_FACTOR * (double)m * DBL_EPSILON * colmax * (fnorm + colmax * x1);
        /* Steps 3-4: the most violated dual constraint outside P. */
        size_t t = n;
        double best = tol;
        for (size_t j = 0; j < n; j++)
            if (!inP[j] && !blocked[j] && wd[j] > best) {
                best = wd[j];
                t = j;
            }
        if (t == n)
            break;
        if (++it > 3 * n) {
            return NUM_ENOCONV;
        }
        P[np++] = t;
        inP[t] = 1;
        int just_added = 1;
        /* Steps 6-11: least squares on P, stepping back while some z_j <= 0. */
        for (;;) {
            for (size_t i = 0; i < m; i++)
                for (size_t k = 0; k < np; k++)
                    Ep[i * np + k] = E[i * n + P[k]];
            size_t rk;
            double *zp = b; /* the np entries of the least-squares solution */
            st = num_linalg_lstsq(m, np, 1, Ep, f, 10.0 * (double)mx * DBL_EPSILON, zp, &rk);
            if (st != NUM_OK)
                return st;
            for (size_t k = 0; k < np; k++)
                z[P[k]] = zp[k];
            if (just_added && z[t] <= 0.0) {
                /* Lawson & Hanson's guard: round-off made the new column useless; drop it and
                 * exclude it until x changes. */
                np--;
                inP[t] = 0;
                blocked[t] = 1;
                break;
            }
            just_added = 0;
            int allpos = 1;
            for (size_t k = 0; k < np; k++)
                if (z[P[k]] <= 0.0)
                    allpos = 0;
            if (allpos) {
                for (size_t k = 0; k < np; k++)
                    x[P[k]] = z[P[k]];
                memset(blocked, 0, n);
                break;
            }
            /* Step back to the boundary: largest a in [0, 1] keeping x + a (z - x) >= 0. */
            double a = 1.0;
            size_t kmin = np;
            for (size_t k = 0; k < np; k++) {
                size_t j = P[k];
                if (z[j] <= 0.0) {
                    double q = x[j] / (x[j] - z[j]);
                    if (q < a || kmin == np) {
                        a = q;
                        kmin = k;
                    }
                }
            }
            for (size_t k = 0; k < np; k++) {
                size_t j = P[k];
                x[j] += a * (z[j] - x[j]);
            }
            x[P[kmin]] = 0.0;
            size_t q = 0;
            for (size_t k = 0; k < np; k++) {
                size_t j = P[k];
                if (x[j] <= 0.0) {
                    x[j] = 0.0;
                    inP[j] = 0;
                } else {
                    P[q++] = j;
                }
            }
            np = q;
            memset(blocked, 0, n);
            if (np == 0)
                break;
        }
    }
    if (rnorm) {
        memcpy(r, f, m * sizeof *r);
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m, (int)n, 1.0, E, (int)n, x, 1, -1.0, r,
                    1);
        *rnorm = cblas_dnrm2((int)m, r, 1);
    }
    if (iters)
        *iters = it;
    return st;
}

/* ---- SVM ------------------------------------------------------------------------------- */

struct num_svm_ws {
    double *G;     /* n x d: y_n x_n / R */
    double *E;     /* (d+1) x n */
    double *f;     /* d+1 */
    double *u;     /* n */
    double *w2;    /* d: second candidate */
    double *a2;    /* n */
    double *A;     /* max(n, d) x max(n, d) scratch for the polish */
    double *rhs;   /* max(n, d) */
    double *sol;   /* max(n, d) */
    size_t *S;     /* n */
    num_svm_nnls_workspace *nnls; /* (d+1) x n: the NNLS of every solve */
};

num_svm *num_svm_alloc(size_t n, size_t d)
{
    if (n == 0 || d == 0)
        return NULL;
    num_svm *s = calloc(1, sizeof *s);
    num_svm_ws *ws = calloc(1, sizeof *ws);
    if (!s || !ws) {
        free(s);
        free(ws);
        return NULL;
    }
    s->n = n;
    s->d = d;
    s->ws = ws;
    size_t mx = n > d ? n : d;
    s->w = calloc(d, sizeof *s->w);
    s->alpha = calloc(n, sizeof *s->alpha);
    s->fmargin = calloc(n, sizeof *s->fmargin);
    s->sv = calloc(n, sizeof *s->sv);
    s->cert = calloc(n, sizeof *s->cert);
    ws->G = malloc(n * d * sizeof *ws->G);
    ws->E = malloc((d + 1) * n * sizeof *ws->E);
    ws->f = calloc(d + 1, sizeof *ws->f);
    ws->u = malloc(n * sizeof *ws->u);
    ws->w2 = malloc(d * sizeof *ws->w2);
    ws->a2 = malloc(n * sizeof *ws->a2);
    ws->A = malloc(n * d * sizeof *ws->A);
    ws->rhs = malloc(mx * sizeof *ws->rhs);
    ws->sol = malloc(mx * sizeof *ws->sol);
    ws->S = malloc(n * sizeof *ws->S);
    ws->nnls = num_svm_nnls_workspace_alloc(d + 1, n);
    if (!s->w || !s->alpha || !s->fmargin || !s->sv || !s->cert || !ws->G || !ws->E ||
        !ws->f || !ws->u || !ws->w2 || !ws->a2 || !ws->A || !ws->rhs || !ws->sol || !ws->S ||
        !ws->nnls) {
        num_svm_free(s);
        return NULL;
    }
    return s;
}

void num_svm_free(num_svm *s)
{
    if (!s)
        return;
    num_svm_ws *ws = s->ws;
    if (ws) {
        free(ws->G);
        free(ws->E);
        free(ws->f);
        free(ws->u);
        free(ws->w2);
        free(ws->a2);
        free(ws->A);
        free(ws->rhs);
        free(ws->sol);
        free(ws->S);
        num_svm_nnls_workspace_free(ws->nnls);
        free(ws);
    }
    free(s->w);
    free(s->alpha);
    free(s->fmargin);
    free(s->sv);
    free(s->cert);
    free(s);
}

num_status num_svm_kkt_eval(size_t n, size_t d, const double *X, const double *y,
                            const double *w, const double *alpha, num_svm_kkt *out)
{
    if (n == 0 || d == 0 || !X || !y || !w || !alpha || !out)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: n == 0 || d == 0 || !X || !y || !w || "
                                     "!alpha || !out");
    double *v = malloc((n > d ? n : d) * sizeof *v);
    if (!v)
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    double fmin = INFINITY, amin = INFINITY, asum = 0.0, cs = 0.0;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, w, 1, 0.0, v, 1);
    for (size_t i = 0; i < n; i++) {
        double fm = y[i] * v[i];
        if (fm < fmin)
            fmin = fm;
        if (alpha[i] < amin)
            amin = alpha[i];
        asum += fabs(alpha[i]);
        double c = fabs(alpha[i] * (fm - 1.0));
        if (c > cs)
            cs = c;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = alpha[i] * y[i];
    double *g = malloc(d * sizeof *g);
    if (!g) {
        free(v);
        return NUM_ERROR(NUM_ENOMEM, "allocation failed");
    }
    memcpy(g, w, d * sizeof *g);
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, -1.0, X, (int)d, v, 1, 1.0, g, 1);
    double wn = cblas_dnrm2((int)d, w, 1);
    out->primal = fmax(0.0, 1.0 - fmin);
    out->dual = asum > 0.0 ? fmax(0.0, -amin) / asum : (amin < 0.0 ? INFINITY : 0.0);
    out->slack = asum > 0.0 ? cs / asum : cs;
    out->station = wn > 0.0 ? cblas_dnrm2((int)d, g, 1) / wn : INFINITY;
    out->max = fmax(fmax(out->primal, out->dual), fmax(out->slack, out->station));
    if (!isfinite(fmin) || !isfinite(asum))
        out->max = INFINITY;
    free(v);
    free(g);
    return NUM_OK;
}

/* Infeasibility threshold on the certificate residual ||G^T u|| / (R sum u): the NNLS solve is
 * backward stable (Lawson & Hanson ch. 23; dgelsd subproblems), so the computed u is exact for
 * data perturbed relatively by O((n + d) eps) per update. A relative margin gamma / R below
 * CERT_FACTOR (n + d) eps cannot be told from zero in double precision; such data are reported
 * as not separable. For separable data every convex combination has ||G^T u|| >= gamma / R. */
#define CERT_FACTOR 1e4

static void polish(num_svm *s, size_t ns)
{
    /* minimum-norm w with g_n^T w = 1 on S (scaled units), then alpha_S from G_S^T a = w. */
    num_svm_ws *ws = s->ws;
    size_t n = s->n, d = s->d, mx = ns > d ? ns : d;
    for (size_t k = 0; k < ns; k++) {
        memcpy(ws->A + k * d, ws->G + ws->S[k] * d, d * sizeof(double));
        ws->rhs[k] = 1.0;
    }
    if (num_linalg_lstsq(ns, d, 1, ws->A, ws->rhs, 10.0 * (double)mx * DBL_EPSILON, ws->w2,
                         NULL) != NUM_OK)
        goto fail;
    for (size_t i = 0; i < d; i++)
        for (size_t k = 0; k < ns; k++)
            ws->A[i * ns + k] = ws->G[ws->S[k] * d + i];
    if (num_linalg_lstsq(d, ns, 1, ws->A, ws->w2, 10.0 * (double)mx * DBL_EPSILON, ws->sol,
                         NULL) != NUM_OK)
        goto fail;
    memset(ws->a2, 0, n * sizeof(double));
    for (size_t k = 0; k < ns; k++)
        ws->a2[ws->S[k]] = ws->sol[k];
    return;
fail:
    for (size_t i = 0; i < d; i++)
        ws->w2[i] = NAN;
}

num_status num_svm_solve(num_svm *s, const double *X, const double *y)
{
    if (!s || !X || !y)
        return NUM_ERROR(NUM_EINVAL, "argument check failed: !s || !X || !y");
    size_t n = s->n, d = s->d;
    num_svm_ws *ws = s->ws;
    for (size_t i = 0; i < n; i++)
        if (y[i] != 1.0 && y[i] != -1.0)
            return NUM_ERROR(NUM_EINVAL, "argument check failed: y[i] != 1.0 && y[i] != -1.0");
    for (size_t i = 0; i < n * d; i++)
        if (!isfinite(X[i]))
            return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(X[i])");
    memset(s->w, 0, d * sizeof *s->w);
    memset(s->alpha, 0, n * sizeof *s->alpha);
    memset(s->fmargin, 0, n * sizeof *s->fmargin);
    memset(s->cert, 0, n * sizeof *s->cert);
    s->nsv = 0;
    s->norm_w = s->margin = 0.0;
    s->iterations = 0;
    s->cert_residual = NAN;
    s->cert_tol = CERT_FACTOR * (double)(n + d) * DBL_EPSILON;
    s->kkt = (num_svm_kkt){INFINITY, INFINITY, INFINITY, INFINITY, INFINITY};

    /* Scale, and the trivial certificate of a zero row (the constraint 0 >= 1). */
    double R = 0.0;
    for (size_t i = 0; i < n; i++) {
        double r = cblas_dnrm2((int)d, X + i * d, 1);
        if (r == 0.0) {
            s->cert[i] = 1.0;
            s->cert_residual = 0.0;
            s->scale = R;
            return NUM_ERROR(NUM_EINFEASIBLE, "no feasible point");
        }
        if (r > R)
            R = r;
    }
    s->scale = R;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++) {
            double g = y[i] * X[i * d + j] / R;
            ws->G[i * d + j] = g;
            ws->E[j * n + i] = g;
        }
    for (size_t i = 0; i < n; i++)
        ws->E[d * n + i] = 1.0;
    memset(ws->f, 0, (d + 1) * sizeof *ws->f);
    ws->f[d] = 1.0;

    num_status st = num_svm_nnls_ws(ws->nnls, d + 1, n, ws->E, ws->f, ws->u, NULL,
                                    &s->iterations);
    if (st != NUM_OK)
        return st;
    double usum = 0.0;
    for (size_t i = 0; i < n; i++)
        usum += ws->u[i];
    /* G^T u into w2 (scaled units). */
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, 1.0, ws->G, (int)d, ws->u, 1, 0.0,
                ws->w2, 1);
    double gtu = cblas_dnrm2((int)d, ws->w2, 1);
    s->cert_residual = usum > 0.0 ? gtu / usum : INFINITY;
    if (usum > 0.0 && s->cert_residual <= s->cert_tol) {
        for (size_t i = 0; i < n; i++)
            s->cert[i] = ws->u[i] / usum;
        return NUM_ERROR(NUM_EINFEASIBLE, "no feasible point");
    }
    double slack = 1.0 - usum; /* = 1 / (1 + ||w||^2) > 0 at the LDP solution */
    if (!(slack > 0.0))
        return NUM_ERROR(NUM_ENOCONV, "iteration budget exhausted: !(slack > 0.0)");

    /* Candidate 1: the LDP solution w = G^T u / (1 - sum u), alpha = u / (1 - sum u). */
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        s->alpha[i] = ws->u[i] / slack / (R * R);
        if (ws->u[i] > 0.0)
            ws->S[ns++] = i;
    }
    for (size_t j = 0; j < d; j++)
        s->w[j] = ws->w2[j] / slack / R;
    num_svm_kkt k1;
    num_svm_kkt_eval(n, d, X, y, s->w, s->alpha, &k1);
    s->kkt = k1;

    /* Candidate 2: the polish on the support set. */
    if (ns > 0) {
        polish(s, ns);
        for (size_t j = 0; j < d; j++)
            ws->w2[j] /= R;
        for (size_t i = 0; i < n; i++)
            ws->a2[i] /= R * R;
        num_svm_kkt k2;
        if (isfinite(ws->w2[0]) &&
            num_svm_kkt_eval(n, d, X, y, ws->w2, ws->a2, &k2) == NUM_OK && k2.max < k1.max) {
            memcpy(s->w, ws->w2, d * sizeof *s->w);
            memcpy(s->alpha, ws->a2, n * sizeof *s->alpha);
            s->kkt = k2;
        }
    }
    if (!isfinite(s->kkt.max))
        return NUM_ERROR(NUM_ENAN, "non-finite value: !isfinite(s->kkt.max)");

    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, s->w, 1, 0.0,
                s->fmargin, 1);
    for (size_t i = 0; i < n; i++) {
        s->fmargin[i] *= y[i];
        if (s->alpha[i] > 0.0)
            s->sv[s->nsv++] = i;
    }
    s->norm_w = cblas_dnrm2((int)d, s->w, 1);
    s->margin = 1.0 / s->norm_w;
    return NUM_OK;
}
