/* theorems/max_margin/analysis.c — one state w(s) against the asymptotic expansion of
 * max_margin.h, the tolerances derived at it, and the output grid of the trajectories. */
#include "theorems/max_margin/max_margin.h"

#include <math.h>
#include <string.h>

#include <cblas.h>

#include "numerics/linalg.h"

void mm_analyse(const mm_problem *p, num_margin_loss loss, const double *w, double s,
                double *work, mm_state *o)
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

mm_tol mm_tolerances(const mm_problem *p, num_margin_loss loss, const mm_state *o, double rtol,
                     double d0)
{
    mm_tol t;
    double integ = MM_INT_FACTOR * (rtol * o->norm + MM_ATOL);           /* integrator */
    double resp = MM_RESPONSE_FACTOR * o->fns / p->kappa_S;              /* non-SV forcing */
    double trans = d0 * exp(-p->kappa_S * o->s);                         /* S transient */
    /* logistic: e^s sigmoid(-z) = e^{-g.rho} / (1 + e^{-z}), e^{-z} = alpha e^{-s}(1 + ..) */
    double logi = loss == NUM_LOSS_LOGISTIC ? 2.0 * p->alpha_max * exp(-o->s) : 0.0;
    t.relerr = p->R * (integ + resp + trans) + logi;
    /* |g.delta| = |log(1 + r)| <= r / (1 - r); ||P_S delta|| <= that / sigma_min(G_S) */
    t.rho = t.relerr < 0.5 ? t.relerr / (1.0 - t.relerr) / p->sigma_S : INFINITY;
    /* ||u(a) - u(b)|| <= 2 ||a - b|| / ||a|| for unit vectors u(v) = v / ||v|| */
    t.gap = 2.0 * t.rho / o->norm;
    return t;
}

double mm_transient(const mm_problem *p, const double *w0, double *work)
{
    size_t d = p->d;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)d, (int)d, 1.0, p->PS, (int)d, w0, 1, 0.0, work,
                1);
    for (size_t j = 0; j < d; j++)
        work[j] -= p->wt[j];
    return num_linalg_nrm2(d, work);
}

size_t mm_grid(double s_end, const double *extra, size_t nextra, double *grid, size_t *idx)
{
    size_t m = 0;
    for (size_t k = 0; k < MM_NOUT; k++)
        grid[m++] = MM_S_FIRST * pow(s_end / MM_S_FIRST, (double)k / (MM_NOUT - 1));
    grid[MM_NOUT - 1] = s_end;
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
