/* tests/unit/test_implicit_bias.c — the expansion of numerics/implicit_bias.h.
 *
 * Everything num_ib_setup derives is rebuilt here from the SVM's (w_hat, alpha) by other
 * routes: w_tilde_S must solve g_n.w = -log alpha_n on S and lie in span(G_S); P_S must be the
 * symmetric idempotent fixing every g_n of S with trace rank(G_S); P_null must annihilate X with
 * trace d - rank(X); kappa_S must be the smallest nonzero eigenvalue of the d x d matrix
 * H_S = sum_S alpha_n g_n g_n^T, computed with GSL's own symmetric eigensolver (the code uses
 * the n_S x n_S Gram form through LAPACK); m_2 and sum alpha log alpha by hand loops.
 * num_ib_analyse is checked at the state the theory predicts, w = w_hat s + w_tilde_S, where its
 * quantities have closed forms, and the grid and spread against their definitions.
 */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>

#include "numerics/implicit_bias.h"
#include "numerics/rng.h"
#include "numerics/separable.h"

#define RANK_C 10.0
#define ON_MARGIN 1e-8

/* Random separable data, solved and set up (non-degenerate for these seeds and sizes). */
static num_ib_problem *setup(size_t n, size_t d, uint64_t seed)
{
    gsl_rng *g = num_rng_alloc(seed);
    double *X = malloc(n * d * sizeof *X), *y = malloc(n * sizeof *y);
    assert_non_null(X);
    assert_non_null(y);
    assert_int_equal(num_separable_gen(g, n, d, 1.0, 0.2, X, y, NULL), NUM_OK);
    num_ib_problem *p = num_ib_alloc(n, d);
    assert_non_null(p);
    assert_int_equal(num_ib_setup(p, X, y, RANK_C, ON_MARGIN), NUM_OK);
    free(X);
    free(y);
    gsl_rng_free(g);
    return p;
}

/* Scale of the rounding in the derived quantities: the SVM's certificate is near 1e-13 (its
 * KKT target is 1e-10), and each derivation is a least-squares or projector computation on
 * O(1) data of condition below 1e3 (random Gaussian, n, d <= 12), so 1e-9 leaves a factor of
 * 100 or more. */
#define DERIVED_TOL 1e-9

static void check_setup(size_t n, size_t d, uint64_t seed)
{
    num_ib_problem *p = setup(n, d, seed);
    const num_svm *s = p->svm;
    assert_int_equal(p->degenerate, 0);
    assert_int_equal(p->ns, s->nsv);
    /* w_tilde_S: G_S w = -log alpha_S, and P_S w = w. */
    for (size_t k = 0; k < p->ns; k++) {
        size_t i = s->sv[k];
        double gw = 0.0;
        for (size_t j = 0; j < d; j++)
            gw += p->y[i] * p->X[i * d + j] * p->wt[j];
        expect_close("g_n.w_tilde + log alpha_n", gw, -log(s->alpha[i]), DERIVED_TOL);
    }
    double tr = 0.0, trn = 0.0;
    for (size_t a = 0; a < d; a++) {
        double pw = 0.0;
        for (size_t b = 0; b < d; b++) {
            double pab = p->PS[a * d + b], pp = 0.0;
            expect_close("P_S symmetric", pab, p->PS[b * d + a], DERIVED_TOL);
            for (size_t c = 0; c < d; c++)
                pp += p->PS[a * d + c] * p->PS[c * d + b];
            expect_close("P_S idempotent", pp, pab, DERIVED_TOL);
            pw += pab * p->wt[b];
        }
        expect_close("P_S w_tilde = w_tilde", pw, p->wt[a], DERIVED_TOL);
        tr += p->PS[a * d + a];
        trn += p->Pnull[a * d + a];
    }
    expect_close("trace P_S = rank G_S", tr, (double)p->rank_S, DERIVED_TOL);
    expect_close("trace P_null = d - rank X", trn, (double)(d - p->rank_X), DERIVED_TOL);
    assert_int_equal(p->rank_X, n < d ? n : d); /* random Gaussian data have full rank */
    for (size_t k = 0; k < p->ns; k++)
        for (size_t a = 0; a < d; a++) {
            const double *g = p->G + s->sv[k] * d;
            double pg = 0.0;
            for (size_t b = 0; b < d; b++)
                pg += p->PS[a * d + b] * g[b];
            expect_close("P_S g_n = g_n on S", pg, g[a], DERIVED_TOL);
        }
    for (size_t i = 0; i < n; i++)
        for (size_t a = 0; a < d; a++) {
            double xp = 0.0;
            for (size_t b = 0; b < d; b++)
                xp += p->X[i * d + b] * p->Pnull[b * d + a];
            expect_close("X P_null = 0", xp, 0.0, DERIVED_TOL);
        }
    /* kappa_S from the d x d form with GSL's eigensolver. */
    gsl_matrix *H = gsl_matrix_calloc(d, d);
    gsl_vector *ev = gsl_vector_alloc(d);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(d);
    for (size_t k = 0; k < p->ns; k++) {
        const double *g = p->G + s->sv[k] * d;
        for (size_t a = 0; a < d; a++)
            for (size_t b = 0; b < d; b++)
                *gsl_matrix_ptr(H, a, b) += s->alpha[s->sv[k]] * g[a] * g[b];
    }
    assert_int_equal(gsl_eigen_symm(H, ev, w), 0);
    double emax = gsl_vector_max(ev), kmin = INFINITY;
    for (size_t a = 0; a < d; a++)
        if (gsl_vector_get(ev, a) > 1e-8 * emax) /* the zero eigenvalues are ~1e-15 emax */
            kmin = fmin(kmin, gsl_vector_get(ev, a));
    expect_rel("kappa_S vs the d x d eigenproblem", p->kappa_S, kmin, DERIVED_TOL);
    gsl_eigen_symm_free(w);
    gsl_vector_free(ev);
    gsl_matrix_free(H);
    /* m_2, sum alpha log alpha, kappa. */
    double m2 = INFINITY, ala = 0.0;
    for (size_t i = 0; i < n; i++) {
        double z = 0.0;
        for (size_t j = 0; j < d; j++)
            z += p->G[i * d + j] * s->w[j];
        if (s->alpha[i] > 0.0)
            ala += s->alpha[i] * log(s->alpha[i]);
        else
            m2 = fmin(m2, z);
    }
    expect_close("m_2", p->m2, m2, DERIVED_TOL);
    expect_rel("sum alpha log alpha", p->alpha_log_alpha, ala, DERIVED_TOL);
    expect_close("kappa = min(kappa_S, m_2 - 1)", p->kappa, fmin(p->kappa_S, m2 - 1.0),
                 DERIVED_TOL);
    num_ib_free(p);
}

static void test_setup_tall(void **state)
{
    (void)state;
    check_setup(12, 5, tc_test_seed(20240601u));
}

static void test_setup_wide(void **state)
{
    (void)state;
    check_setup(6, 10, tc_test_seed(20240601u) + 7);
}

/* At w = w_hat s + w_tilde_S the state is the theory's own: rho = w_tilde_S (in span S, so
 * rho_pred = rho), exp(-g_n.rho) = alpha_n on S (relerr = 0 up to the certificate), the
 * predicted gap equals the gap, and the non-support forcing is sum g_n exp(-(m_n-1)s - g_n.rho).
 * Tolerances: DERIVED_TOL as above, relative to the O(1) to O(s) sizes of the quantities. */
static void test_analyse_predicted_state(void **state)
{
    (void)state;
    size_t n = 12, d = 5;
    num_ib_problem *p = setup(n, d, tc_test_seed(20240601u));
    const num_svm *s = p->svm;
    double sl = 3.0, w[5], work[NUM_IB_ANALYSE_WORK(12, 5)];
    for (size_t j = 0; j < d; j++)
        w[j] = s->w[j] * sl + p->wt[j];
    num_ib_state o;
    num_ib_analyse(p, NUM_LOSS_EXP, w, sl, work, &o);
    expect_close("relerr at the predicted state", o.relerr, 0.0, DERIVED_TOL);
    expect_close("gap_pred = gap", o.gap_pred, o.gap, DERIVED_TOL);
    double nw = 0.0, g2 = 0.0, par = 0.0, L = 0.0, tl = 0.0, F[5] = {0};
    for (size_t j = 0; j < d; j++)
        nw += w[j] * w[j];
    nw = sqrt(nw);
    for (size_t j = 0; j < d; j++) {
        double q = w[j] / nw - s->w[j] / s->norm_w;
        g2 += q * q;
        par += p->wt[j] * s->w[j] / s->norm_w;
        expect_close("rho_pred", j < 4 ? o.rho_pred[j] : p->wt[j], p->wt[j], DERIVED_TOL);
    }
    for (size_t i = 0; i < n; i++) {
        double z = 0.0, gr = 0.0;
        for (size_t j = 0; j < d; j++) {
            z += p->G[i * d + j] * w[j];
            gr += p->G[i * d + j] * p->wt[j];
        }
        L += exp(-z);
        if (s->alpha[i] > 0.0)
            continue;
        double e = exp(-(s->fmargin[i] - 1.0) * sl - gr);
        tl += e;
        for (size_t j = 0; j < d; j++)
            F[j] += e * p->G[i * d + j];
    }
    double fn = sqrt(F[0] * F[0] + F[1] * F[1] + F[2] * F[2] + F[3] * F[3] + F[4] * F[4]);
    expect_rel("norm", o.norm, nw, DERIVED_TOL);
    expect_close("gap", o.gap, sqrt(g2), DERIVED_TOL);
    expect_close("rho_par", o.rho_par, par, DERIVED_TOL);
    expect_rel("log L", o.logL, log(L), DERIVED_TOL);
    expect_close("tl_nonsv", o.tl_nonsv, tl, DERIVED_TOL * (1.0 + tl));
    expect_close("fns", o.fns, fn, DERIVED_TOL * (1.0 + fn));
    num_ib_free(p);
}

/* The grid: strictly increasing, from s_first to s_end exactly, every extra at its index, the
 * log-spaced points at ratio (s_end/s_first)^(1/(nout-1)) (relative rounding of pow: 4 eps). */
static void test_grid(void **state)
{
    (void)state;
    double grid[105], extra[3] = {50.0, 100.0, 7.25};
    size_t idx[3];
    size_t m = num_ib_grid(0.05, 100.0, 100, extra, 3, grid, idx);
    assert_int_equal(m, 102); /* s_end is both the last log point and an extra */
    assert_true(grid[0] == 0.05);
    assert_true(grid[m - 1] == 100.0);
    for (size_t i = 1; i < m; i++)
        assert_true(grid[i] > grid[i - 1]);
    for (size_t k = 0; k < 3; k++)
        assert_true(grid[idx[k]] == extra[k]);
    double q = pow(100.0 / 0.05, 1.0 / 99.0);
    size_t found = 0;
    for (size_t i = 0; i < m; i++) {
        double kk = log(grid[i] / 0.05) / log(q);
        if (fabs(kk - round(kk)) < 1e-9)
            found++;
    }
    assert_true(found >= 100);
}

/* Spread: the largest distance between the unit vectors of the rows, against
 * ||u - v|| = sqrt(2 - 2 cos(u, v)) (rounding: sqrt of a difference near 0 loses half the
 * digits, hence 1e-7 for near-parallel rows; exact configurations to 4 eps). */
static void test_spread(void **state)
{
    (void)state;
    double W[6] = {1.0, 0.0, 0.0, 2.0, -3.0, 0.0};
    expect_close("opposite rows", num_ib_spread(W, 3, 2), 2.0, 4 * DBL_EPSILON);
    expect_close("orthogonal rows", num_ib_spread(W, 2, 2), sqrt(2.0), 4 * DBL_EPSILON);
    gsl_rng *g = num_rng_alloc(tc_test_seed(20240601u) + 3);
    double R[5 * 4];
    num_rng_gaussian(g, 1.0, R, 20);
    double best = 0.0;
    for (size_t a = 0; a < 5; a++)
        for (size_t b = a + 1; b < 5; b++) {
            double ab = 0.0, aa = 0.0, bb = 0.0;
            for (size_t j = 0; j < 4; j++) {
                ab += R[a * 4 + j] * R[b * 4 + j];
                aa += R[a * 4 + j] * R[a * 4 + j];
                bb += R[b * 4 + j] * R[b * 4 + j];
            }
            best = fmax(best, sqrt(fmax(0.0, 2.0 - 2.0 * ab / sqrt(aa * bb))));
        }
    expect_close("random rows", num_ib_spread(R, 5, 4), best, 1e-7);
    gsl_rng_free(g);
}

static void test_bad_sizes(void **state)
{
    (void)state;
    assert_null(num_ib_alloc(0, 3));
    assert_null(num_ib_alloc(3, 0));
    num_ib_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setup_tall),  cmocka_unit_test(test_setup_wide),
        cmocka_unit_test(test_analyse_predicted_state), cmocka_unit_test(test_grid),
        cmocka_unit_test(test_spread),      cmocka_unit_test(test_bad_sizes),
    };
    return TC_RUN("numerics/implicit_bias", tests);
}
