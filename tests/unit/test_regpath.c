/* tests/unit/test_regpath.c — the regularised solution of numerics/regpath.h against independent
 * root-finders on its optimality condition.
 *
 * Optimality (grad Phi = 0): w = (1/2) sum_n b_n g_n with b_n = -exp(ell) l'(m_n), m = G w.
 * - one sample: w = c g, a scalar equation in c solved by GSL's Brent bracketing root-finder;
 * - n samples: the n equations in u = log b (margin losses) or b (square loss), m = (1/2) G G^T b,
 *   solved by GSL's hybrid Powell multiroot solver (hybridsj, its own Jacobian in u; nothing
 *   shared with the primal Newton of regpath.c);
 * - the strong-convexity certificate ||w - w*|| <= ||grad Phi(w)|| / 2 on truncated iterates;
 * - the gradient against central finite differences; budget and argument errors.
 * Seeds fixed and printed.
 */
#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_rng.h>

#include "numerics/losses.h"
#include "numerics/regpath.h"
#include "numerics/rng.h"

#define SEED ((unsigned)tc_test_seed(20261203u))
#define NEWTON_TOL 1e-12 /* ||grad|| <= tol ||w||: relative error of w <= 5e-13 (regpath.h) */

static const num_margin_loss LOSSES[] = {NUM_LOSS_EXP, NUM_LOSS_LOGISTIC, NUM_LOSS_SQUARE};

static double norm(size_t d, const double *v)
{
    double s = 0;
    for (size_t i = 0; i < d; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

static void solve_ok(num_margin_loss loss, size_t n, size_t d, const double *G, double ell,
                     double *w, num_rp_info *info)
{
    num_rp_ws *ws = num_rp_alloc(n, d);
    assert_non_null(ws);
    num_status st = num_rp_solve(ws, loss, G, ell, NEWTON_TOL, 500, w, info);
    if (st != NUM_OK) {
        print_error("num_rp_solve loss %d ell %g: %s (%s), grad %.3g floor %.3g\n", (int)loss,
                    ell, num_strerror(st), num_error_last()->reason, info->grad_norm,
                    info->floor);
        fail();
    }
    num_rp_free(ws);
}

/* ---- one sample: w = c g, 2 c = -exp(ell) l'(c q), q = |g|^2 ------------------------------ */
typedef struct {
    num_margin_loss loss;
    double ell, q;
} scalar_par;

/* Log form for the margin losses: log(2c) - ell - log(-l'(cq)) (increasing in c). */
static double scalar_f(double c, void *vp)
{
    const scalar_par *p = vp;
    if (p->loss == NUM_LOSS_SQUARE)
        return 2.0 * c - 2.0 * exp(p->ell) * (1.0 - c * p->q);
    return log(2.0 * c) - p->ell - num_loss_log_neg_dell(p->loss, c * p->q);
}

static double brent_root(scalar_par *p, double lo, double hi)
{
    gsl_function F = {scalar_f, p};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    assert_non_null(s);
    assert_int_equal(gsl_root_fsolver_set(s, &F, lo, hi), GSL_SUCCESS);
    double c = 0;
    for (int it = 0; it < 300; it++) {
        gsl_root_fsolver_iterate(s);
        c = gsl_root_fsolver_root(s);
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(a, b, 0.0, 4 * DBL_EPSILON) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return c;
}

static void test_one_sample(void **state)
{
    (void)state;
    const double g[2] = {3.0, 4.0}, ells[] = {0.0, 5.0, 50.0, 300.0};
    for (size_t li = 0; li < 3; li++)
        for (size_t e = 0; e < 4; e++) {
            if (LOSSES[li] == NUM_LOSS_SQUARE && ells[e] > 20.0)
                continue; /* square: condition number ~exp(ell) */
            scalar_par p = {LOSSES[li], ells[e], 25.0};
            /* bracket: f(1e-300) < 0 (log 2c -> -inf, or 2c - 2e^ell < 0); f(c) > 0 for
             * c q >= ell + 2 (log 2c >= log(2(ell+2)/25) and -l' <= e^-cq) or c >= 1/q. */
            double hi = p.loss == NUM_LOSS_SQUARE ? 1.0 / p.q : (p.ell + 50.0) / p.q;
            double c = brent_root(&p, 1e-300, hi);
            double w[2] = {0, 0};
            num_rp_info info;
            solve_ok(p.loss, 1, 2, g, p.ell, w, &info);
            expect_rel("w0 vs Brent", w[0], c * g[0], 1e-11);
            expect_rel("w1 vs Brent", w[1], c * g[1], 1e-11);
        }
}

/* ---- n samples: hybrid Powell on the optimality condition ---------------------------------- */
typedef struct {
    num_margin_loss loss;
    size_t n, d;
    const double *G;
    double ell;
    double *w, *m;
} multi_par;

/* b from the unknowns, w = (1/2) G^T b, m = G w. */
static void multi_state(const multi_par *p, const gsl_vector *u, double *b)
{
    for (size_t i = 0; i < p->n; i++) {
        double v = gsl_vector_get(u, i);
        b[i] = p->loss == NUM_LOSS_SQUARE ? v : exp(v);
    }
    for (size_t j = 0; j < p->d; j++) {
        p->w[j] = 0;
        for (size_t i = 0; i < p->n; i++)
            p->w[j] += 0.5 * b[i] * p->G[i * p->d + j];
    }
    for (size_t i = 0; i < p->n; i++) {
        p->m[i] = 0;
        for (size_t j = 0; j < p->d; j++)
            p->m[i] += p->G[i * p->d + j] * p->w[j];
    }
}

static int multi_f(const gsl_vector *u, void *vp, gsl_vector *f)
{
    const multi_par *p = vp;
    double b[16];
    multi_state(p, u, b);
    for (size_t i = 0; i < p->n; i++) {
        double r = p->loss == NUM_LOSS_SQUARE
                       ? b[i] - 2.0 * exp(p->ell) * (1.0 - p->m[i])
                       : gsl_vector_get(u, i) - p->ell - num_loss_log_neg_dell(p->loss, p->m[i]);
        gsl_vector_set(f, i, r);
    }
    return GSL_SUCCESS;
}

/* Jacobian of multi_f: dF/du = I + (1/2) diag(-dlog(-l')/dm or 2 e^ell) K diag(db/du). */
static int multi_df(const gsl_vector *u, void *vp, gsl_matrix *J)
{
    const multi_par *p = vp;
    double b[16];
    multi_state(p, u, b);
    for (size_t i = 0; i < p->n; i++) {
        double m = p->m[i], h; /* h = dF_i / dm_i */
        if (p->loss == NUM_LOSS_SQUARE)
            h = 2.0 * exp(p->ell);
        else if (p->loss == NUM_LOSS_EXP)
            h = 1.0;
        else
            h = 1.0 / (1.0 + exp(-m)); /* d softplus(m) / dm */
        for (size_t k = 0; k < p->n; k++) {
            double K = 0;
            for (size_t j = 0; j < p->d; j++)
                K += p->G[i * p->d + j] * p->G[k * p->d + j];
            double dbk = p->loss == NUM_LOSS_SQUARE ? 1.0 : b[k];
            gsl_matrix_set(J, i, k, (i == k ? 1.0 : 0.0) + 0.5 * h * K * dbk);
        }
    }
    return GSL_SUCCESS;
}

static int multi_fdf(const gsl_vector *u, void *vp, gsl_vector *f, gsl_matrix *J)
{
    multi_f(u, vp, f);
    return multi_df(u, vp, J);
}

static void multiroot(multi_par *p)
{
    gsl_multiroot_function_fdf F = {multi_f, multi_df, multi_fdf, p->n, p};
    gsl_vector *u = gsl_vector_alloc(p->n);
    /* start: b_n = 2 log(e^ell) / n, a w of the right order for the tail (m ~ ell) */
    gsl_vector_set_all(u, p->loss == NUM_LOSS_SQUARE ? 0.0 : log(1.0 + p->ell));
    gsl_multiroot_fdfsolver *s = gsl_multiroot_fdfsolver_alloc(gsl_multiroot_fdfsolver_hybridsj,
                                                               p->n);
    assert_non_null(s);
    gsl_multiroot_fdfsolver_set(s, &F, u);
    int status = GSL_CONTINUE;
    for (int it = 0; it < 2000 && status == GSL_CONTINUE; it++) {
        if (gsl_multiroot_fdfsolver_iterate(s))
            break;
        status = gsl_multiroot_test_residual(s->f, 1e-12);
    }
    if (status != GSL_SUCCESS) {
        print_error("hybridsj: status %d, |f| %.3g\n", status, gsl_blas_dnrm2(s->f));
        fail();
    }
    double b[16];
    multi_state(p, s->x, b);
    gsl_multiroot_fdfsolver_free(s);
    gsl_vector_free(u);
}

static void check_multi(gsl_rng *r, num_margin_loss loss, size_t n, size_t d, double ell)
{
    double G[16 * 8], wr[8], m[16], w[8] = {0};
    for (size_t i = 0; i < n * d; i++)
        G[i] = gsl_rng_uniform(r) - 0.5;
    for (size_t i = 0; i < n; i++) /* separable through e_0: g_n0 >= 0.2 */
        G[i * d] = 0.2 + gsl_rng_uniform(r);
    multi_par p = {loss, n, d, G, ell, wr, m};
    multiroot(&p);
    num_rp_info info;
    solve_ok(loss, n, d, G, ell, w, &info);
    for (size_t j = 0; j < d; j++) {
        char what[64];
        snprintf(what, sizeof what, "loss %d n %zu d %zu ell %g: w[%zu]", (int)loss, n, d, ell, j);
        expect_close(what, w[j], wr[j], 1e-9 * norm(d, wr));
    }
}

static void test_multiroot(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED);
    for (size_t li = 0; li < 3; li++) {
        check_multi(r, LOSSES[li], 6, 4, 2.0); /* n > d */
        check_multi(r, LOSSES[li], 4, 7, 3.0); /* d > n */
        if (LOSSES[li] != NUM_LOSS_SQUARE) {
            check_multi(r, LOSSES[li], 6, 4, 40.0); /* deep in the tail */
            check_multi(r, LOSSES[li], 5, 8, 200.0);
        }
    }
    gsl_rng_free(r);
}

/* ---- certificate on truncated iterates, gradient by finite differences --------------------- */
static void test_certificate(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED + 1);
    enum { N = 7, D = 5 };
    double G[N * D];
    for (size_t i = 0; i < N * D; i++)
        G[i] = gsl_rng_uniform(r) - 0.5;
    for (size_t i = 0; i < N; i++)
        G[i * D] = 0.3 + gsl_rng_uniform(r);
    num_rp_ws *ws = num_rp_alloc(N, D);
    assert_non_null(ws);
    for (size_t li = 0; li < 3; li++) {
        double ell = LOSSES[li] == NUM_LOSS_SQUARE ? 4.0 : 30.0, ws_[D] = {0}, w[D];
        num_rp_info info, ref;
        solve_ok(LOSSES[li], N, D, G, ell, ws_, &ref);
        for (size_t k = 1; k <= 3; k++) {
            memset(w, 0, sizeof w);
            num_status st = num_rp_solve(ws, LOSSES[li], G, ell, NEWTON_TOL, k, w, &info);
            /* 1-3 steps from 0 cannot reach 1e-12 on the margin losses (the square loss is a
             * quadratic: one Newton step is exact) */
            assert_int_equal(st, LOSSES[li] == NUM_LOSS_SQUARE ? NUM_OK : NUM_ENOCONV);
            double diff[D];
            for (size_t j = 0; j < D; j++)
                diff[j] = w[j] - ws_[j];
            assert_true(norm(D, diff) <= info.grad_norm / 2.0 * (1 + 1e-12) + 1e-12);
        }
        /* gradient vs central differences, h = 1e-5 (error O(h^2 Phi''') + eps Phi / h) */
        double phi, grad[D], wp[D];
        for (size_t j = 0; j < D; j++)
            w[j] = ws_[j] * 0.9 + 0.01;
        assert_int_equal(num_rp_objective(ws, LOSSES[li], G, ell, w, &phi, grad), NUM_OK);
        for (size_t j = 0; j < D; j++) {
            double fp, fm, h = 1e-5;
            memcpy(wp, w, sizeof w);
            wp[j] += h;
            num_rp_objective(ws, LOSSES[li], G, ell, wp, &fp, NULL);
            wp[j] -= 2 * h;
            num_rp_objective(ws, LOSSES[li], G, ell, wp, &fm, NULL);
            expect_close("gradient vs central difference", grad[j], (fp - fm) / (2 * h),
                         1e-6 * (1 + fabs(phi)));
        }
    }
    num_rp_free(ws);
    gsl_rng_free(r);
}

static void test_bad_input(void **state)
{
    (void)state;
    double G[4] = {1, 0.3, -0.2, 1.1}, w[2] = {0, 0};
    num_rp_info info;
    num_rp_ws *ws = num_rp_alloc(2, 2);
    assert_non_null(ws);
    assert_null(num_rp_alloc(0, 2));
    assert_int_equal(num_rp_solve(ws, NUM_LOSS_EXP, G, 1.0, 0.0, 10, w, &info), NUM_EINVAL);
    assert_int_equal(num_rp_solve(ws, NUM_LOSS_SQUARE, G, 800.0, 1e-10, 10, w, &info), NUM_EINVAL);
    assert_int_equal(num_rp_solve(ws, NUM_LOSS_EXP, G, 2e8, 1e-10, 10, w, &info), NUM_EINVAL);
    assert_int_equal(num_rp_solve(ws, NUM_LOSS_EXP, G, 1.0, 1e-10, 0, w, &info), NUM_EINVAL);
    assert_int_equal(num_rp_solve(ws, NUM_LOSS_EXP, NULL, 1.0, 1e-10, 10, w, &info), NUM_EINVAL);
    w[0] = NAN;
    assert_int_equal(num_rp_solve(ws, NUM_LOSS_EXP, G, 1.0, 1e-10, 10, w, &info), NUM_ENAN);
    w[0] = 0;
    /* a tol below the rounding floor stops at 4x the floor and certifies only that */
    assert_int_equal(num_rp_solve(ws, NUM_LOSS_EXP, G, 1.0, 1e-18, 100, w, &info), NUM_OK);
    assert_true(info.grad_norm <= 4.0 * info.floor && info.floor > 0.0);
    assert_true(info.rel_err >= info.floor / 2.0 / norm(2, w));
    num_rp_free(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_sample),
        cmocka_unit_test(test_multiroot),
        cmocka_unit_test(test_certificate),
        cmocka_unit_test(test_bad_input),
    };
    return TC_RUN("numerics/regpath", tests);
}
