/* numerics/implicit_bias.c — the expansion of numerics/implicit_bias.h: setup from the SVM,
 * analysis of one state, the output grid and the spread of directions. */
#include "numerics/implicit_bias.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/linalg.h"

num_ib_problem *num_ib_alloc(size_t n, size_t d)
{
    if (n == 0 || d == 0)
        return NULL;
    num_ib_problem *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->n = n;
    p->d = d;
    p->X = calloc(n * d, sizeof *p->X);
    p->y = calloc(n, sizeof *p->y);
    p->G = calloc(n * d, sizeof *p->G);
    p->svm = num_svm_alloc(n, d);
    p->GS = calloc(n * d, sizeof *p->GS);
    p->aS = calloc(n, sizeof *p->aS);
    p->wt = calloc(d, sizeof *p->wt);
    p->PS = calloc(d * d, sizeof *p->PS);
    p->Pnull = calloc(d * d, sizeof *p->Pnull);
    p->rhs = calloc(n, sizeof *p->rhs);
    p->M = calloc(n * n, sizeof *p->M);
    p->ev = calloc(n, sizeof *p->ev);
    p->sv = calloc(n < d ? n : d, sizeof *p->sv);
    if (!p->X || !p->y || !p->G || !p->svm || !p->GS || !p->aS || !p->wt || !p->PS || !p->Pnull ||
        !p->rhs || !p->M || !p->ev || !p->sv) {
        num_ib_free(p);
        return NULL;
    }
    return p;
}

void num_ib_free(num_ib_problem *p)
{
    if (!p)
        return;
    free(p->X);
    free(p->y);
    free(p->G);
    num_svm_free(p->svm);
    free(p->GS);
    free(p->aS);
    free(p->wt);
    free(p->PS);
    free(p->Pnull);
    free(p->rhs);
    free(p->M);
    free(p->ev);
    free(p->sv);
    free(p);
}

/* kappa_S, sigma_S and kappa from the support vectors (after ib_solve). */
static num_status ib_rates(num_ib_problem *p, double rank_c)
{
    size_t d = p->d, ns = p->nsu;
    double *M = p->M, *ev = p->ev, *sv = p->sv;
    num_status st;
    /* kappa_S: nonzero spectrum of H_S = G_S^T A G_S equals that of A^1/2 G_S G_S^T A^1/2
     * (a group of c equal samples with alpha_u / c each contributes alpha_u g g^T). */
    for (size_t a = 0; a < ns; a++)
        for (size_t b = 0; b < ns; b++)
            M[a * ns + b] = sqrt(p->aS[a] * p->aS[b]) *
                            cblas_ddot((int)d, p->GS + a * d, 1, p->GS + b * d, 1);
    if ((st = num_linalg_eigh(ns, M, ev, NULL)) != NUM_OK)
        return st;
    double tol = num_linalg_rank_tol(ns, ns, ev[ns - 1], rank_c);
    p->kappa_S = ev[ns - 1];
    for (size_t k = 0; k < ns; k++)
        if (ev[k] > tol) {
            p->kappa_S = ev[k];
            break;
        }
    if ((st = num_linalg_svd_values(ns, d, p->GS, sv)) != NUM_OK)
        return st;
    p->sigma_S = sv[0];
    for (size_t k = 0; k < (ns < d ? ns : d); k++)
        if (sv[k] > num_linalg_rank_tol(ns, d, sv[0], rank_c))
            p->sigma_S = sv[k];
    p->kappa = fmin(p->kappa_S, p->m2 - 1.0);
    return NUM_OK;
}

/* first[i]: the first sample whose g equals g_i bit for bit (i itself if none); returns the
 * number of distinct g's. Quadratic in n, comparing with the distinct rows only (a comparison
 * of random rows stops at the first entry). */
static size_t ib_groups(const double *G, size_t n, size_t d, size_t *first)
{
    size_t nu = 0;
    for (size_t i = 0; i < n; i++) {
        first[i] = i;
        for (size_t j = 0; j < i; j++)
            if (first[j] == j && memcmp(G + i * d, G + j * d, d * sizeof *G) == 0) {
                first[i] = j;
                break;
            }
        nu += first[i] == i;
    }
    return nu;
}

/* The SVM of data with repeated g's: solved on the nu distinct samples, then written into p->svm
 * per sample (alpha and the certificate shared equally within a group), with the KKT residuals
 * of the per-sample (w, alpha) on the full data. */
static num_status ib_svm_merged(num_ib_problem *p, const size_t *first, size_t nu)
{
    size_t n = p->n, d = p->d;
    num_svm *s = p->svm, *m = num_svm_alloc(nu, d);
    double *Xu = malloc(nu * d * sizeof *Xu), *yu = malloc(nu * sizeof *yu);
    size_t *at = malloc(n * sizeof *at), *cnt = calloc(nu, sizeof *cnt);
    num_status st = NUM_ENOMEM;
    if (!m || !Xu || !yu || !at || !cnt)
        goto done;
    for (size_t i = 0, u = 0; i < n; i++) {
        if (first[i] == i) {
            memcpy(Xu + u * d, p->X + i * d, d * sizeof *Xu);
            yu[u] = p->y[i];
            at[i] = u++;
        } else {
            at[i] = at[first[i]];
        }
        cnt[at[i]]++;
    }
    st = num_svm_solve(m, Xu, yu);
    if (st != NUM_OK && st != NUM_EINFEASIBLE)
        goto done;
    memcpy(s->w, m->w, d * sizeof *s->w);
    s->norm_w = m->norm_w;
    s->margin = m->margin;
    s->scale = m->scale;
    s->iterations = m->iterations;
    s->cert_residual = m->cert_residual;
    s->cert_tol = m->cert_tol;
    s->nsv = 0;
    for (size_t i = 0; i < n; i++) {
        s->alpha[i] = m->alpha[at[i]] / (double)cnt[at[i]];
        s->fmargin[i] = m->fmargin[at[i]];
        s->cert[i] = m->cert[at[i]] / (double)cnt[at[i]];
        if (s->alpha[i] > 0.0)
            s->sv[s->nsv++] = i;
    }
    if (st == NUM_OK)
        st = num_svm_kkt_eval(n, d, p->X, p->y, s->w, s->alpha, &s->kkt);
done:
    num_svm_free(m);
    free(Xu);
    free(yu);
    free(at);
    free(cnt);
    return st;
}

/* The data, G, and the SVM with its support-vector statistics; repeated g's merged (see
 * num_ib_setup). GS holds the distinct support vectors, aS their merged duals, rhs the
 * per-sample -log alpha_n that w_tilde_S solves. */
static num_status ib_solve(num_ib_problem *p, const double *X, const double *y)
{
    size_t n = p->n, d = p->d;
    memcpy(p->X, X, n * d * sizeof *X);
    memcpy(p->y, y, n * sizeof *y);
    p->R = 0.0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < d; j++)
            p->G[i * d + j] = y[i] * X[i * d + j];
        p->R = fmax(p->R, num_linalg_nrm2(d, X + i * d));
    }
    size_t *first = malloc(n * sizeof *first);
    if (!first)
        return NUM_ENOMEM;
    size_t nu = ib_groups(p->G, n, d, first);
    p->merged = n - nu;
    num_status st = nu == n ? num_svm_solve(p->svm, X, y) : ib_svm_merged(p, first, nu);
    if (st != NUM_OK) {
        free(first);
        return st;
    }
    num_svm *s = p->svm;
    p->ns = s->nsv;
    p->nsu = 0;
    p->alpha_max = p->alpha_sum = p->alpha_log_alpha = 0.0;
    for (size_t k = 0; k < p->ns; k++) {
        size_t i = s->sv[k];
        double a = s->alpha[i];
        if (first[i] == i) {
            memcpy(p->GS + p->nsu * d, p->G + i * d, d * sizeof(double));
            p->rhs[p->nsu] = -log(a);
            p->aS[p->nsu++] = a;
        } else {
            for (size_t u = 0; u < p->nsu; u++) /* the group's row: add this sample's share */
                if (memcmp(p->GS + u * d, p->G + i * d, d * sizeof(double)) == 0)
                    p->aS[u] += a;
        }
        p->alpha_max = fmax(p->alpha_max, a);
        p->alpha_sum += a;
        p->alpha_log_alpha += a * log(a);
    }
    free(first);
    p->m2 = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (!(s->alpha[i] > 0.0))
            p->m2 = fmin(p->m2, s->fmargin[i]);
    return NUM_OK;
}

num_status num_ib_setup(num_ib_problem *p, const double *X, const double *y, double rank_c,
                        double on_margin_tol)
{
    size_t n = p->n, d = p->d;
    num_status st = ib_solve(p, X, y);
    if (st != NUM_OK)
        return st;
    /* Strict complementarity fails when a sample lies on the margin with alpha = 0: its term
     * exp(-(m_n - 1) s) does not decay, alpha is not unique, and Soudry et al.'s expansion (for
     * almost every dataset) does not apply as stated. */
    int on_margin = p->m2 - 1.0 <= on_margin_tol;
    if ((st = num_linalg_rank(p->nsu, d, p->GS, rank_c, &p->rank_S, NULL)) != NUM_OK ||
        (st = num_linalg_rank(n, d, X, rank_c, &p->rank_X, NULL)) != NUM_OK)
        return st;
    p->degenerate = p->rank_S < p->nsu || on_margin;
    /* w_tilde_S: minimum-norm solution of G_S w = -log alpha_S (one row per distinct g). */
    if ((st = num_linalg_lstsq(p->nsu, d, 1, p->GS, p->rhs, rank_c * (double)(n > d ? n : d) *
                               DBL_EPSILON, p->wt, NULL)) != NUM_OK)
        return st;
    /* P_S = I - (projector onto the null space of G_S); P_null of X. */
    if ((st = num_linalg_null_projector(p->nsu, d, p->GS, rank_c, p->PS, NULL)) != NUM_OK ||
        (st = num_linalg_null_projector(n, d, X, rank_c, p->Pnull, NULL)) != NUM_OK)
        return st;
    for (size_t i = 0; i < d * d; i++)
        p->PS[i] = (i % (d + 1) == 0 ? 1.0 : 0.0) - p->PS[i];
    return ib_rates(p, rank_c);
}

void num_ib_analyse(const num_ib_problem *p, num_margin_loss loss, const double *w, double s,
                double *work, num_ib_state *o)
{
    size_t n = p->n, d = p->d;
    const num_svm *svm = p->svm;
    double *z = work, *rho = work + n, *rp = work + n + d, *v = work + n + 2 * d;
    double wh = svm->norm_w;
    memset(o, 0, sizeof *o);
    o->s = s;
    o->norm = num_linalg_nrm2(d, w);
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)d, 1.0, p->G, (int)d, w, 1, 0.0, z, 1);
    double zmin = INFINITY, g2 = 0.0;
    for (size_t i = 0; i < n; i++)
        zmin = fmin(zmin, z[i]);
    for (size_t j = 0; j < d; j++) {
        double q = w[j] / o->norm - svm->w[j] / wh;
        g2 += q * q;
        rho[j] = w[j] - svm->w[j] * s;
    }
    o->gap = sqrt(g2);
    o->margin_gap = svm->margin - zmin / o->norm;
    for (size_t k = 0; k < 4 && k < d; k++)
        o->rho[k] = rho[k];
    if (loss != NUM_LOSS_SQUARE)
        num_loss_margin(loss, n, d, p->X, p->y, w, &o->logL, NULL, NULL, v);
    /* g_n.rho = z_n - s m_n with m_n = g_n.w_hat (= 1 on S up to the certificate) */
    for (size_t k = 0; k < p->ns; k++) {
        size_t i = svm->sv[k];
        double gr = z[i] - s * svm->fmargin[i];
        o->relerr = fmax(o->relerr, fabs(expm1(-gr - log(svm->alpha[i]))));
    }
    /* rho_pred = w_tilde_S + (I - P_S) rho */
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)d, (int)d, -1.0, p->PS, (int)d, rho, 1, 0.0,
                rp, 1);
    for (size_t j = 0; j < d; j++)
        rp[j] += rho[j] + p->wt[j];
    double par = cblas_ddot((int)d, rp, 1, svm->w, 1) / wh, perp2 = 0.0, vn2 = 0.0;
    for (size_t j = 0; j < d; j++) {
        double q = rp[j] - par * svm->w[j] / wh;
        perp2 += q * q;
        v[j] = svm->w[j] * s + rp[j];
        vn2 += v[j] * v[j];
    }
    o->rho_par = par;
    o->rho_perp = sqrt(perp2);
    for (size_t k = 0; k < 4 && k < d; k++)
        o->rho_pred[k] = rp[k];
    double gp2 = 0.0;
    for (size_t j = 0; j < d; j++) {
        double q = v[j] / sqrt(vn2) - svm->w[j] / wh;
        gp2 += q * q;
    }
    o->gap_pred = sqrt(gp2);
    /* predicted non-support forcing at s */
    double *F = v; /* reuse */
    memset(F, 0, d * sizeof *F);
    for (size_t i = 0; i < n; i++) {
        if (svm->alpha[i] > 0.0)
            continue;
        double e = exp(-(svm->fmargin[i] - 1.0) * s - cblas_ddot((int)d, p->G + i * d, 1, rp, 1));
        o->tl_nonsv += e;
        cblas_daxpy((int)d, e, p->G + i * d, 1, F, 1);
    }
    o->fns = num_linalg_nrm2(d, F);
}

double num_ib_transient(const num_ib_problem *p, const double *w0, double *work)
{
    size_t d = p->d;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)d, (int)d, 1.0, p->PS, (int)d, w0, 1, 0.0, work,
                1);
    for (size_t j = 0; j < d; j++)
        work[j] -= p->wt[j];
    return num_linalg_nrm2(d, work);
}

size_t num_ib_grid(double s_first, double s_end, size_t nout, const double *extra, size_t nextra,
                   double *grid, size_t *idx)
{
    size_t m = 0;
    for (size_t k = 0; k < nout; k++)
        grid[m++] = s_first * pow(s_end / s_first, (double)k / (nout - 1));
    grid[nout - 1] = s_end;
    for (size_t k = 0; k < nextra; k++)
        grid[m++] = extra[k];
    /* insertion sort (small) */
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && grid[j - 1] > grid[j]; j--) {
            double t = grid[j];
            grid[j] = grid[j - 1];
            grid[j - 1] = t;
        }
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || grid[i] != grid[u - 1])
            grid[u++] = grid[i];
    for (size_t k = 0; k < nextra; k++)
        for (size_t i = 0; i < u; i++)
            if (grid[i] == extra[k])
                idx[k] = i;
    return u;
}

/* Largest pairwise distance of the unit vectors of the rows of W (K x d). */
double num_ib_spread(const double *W, size_t K, size_t d)
{
    double best = 0.0;
    for (size_t a = 0; a < K; a++)
        for (size_t b = a + 1; b < K; b++) {
            double na = num_linalg_nrm2(d, W + a * d), nb = num_linalg_nrm2(d, W + b * d), s = 0;
            for (size_t j = 0; j < d; j++) {
                double q = W[a * d + j] / na - W[b * d + j] / nb;
                s += q * q;
            }
            best = fmax(best, sqrt(s));
        }
    return best;
}
