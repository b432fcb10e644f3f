/* tests/unit/test_misclass.c — numerics/misclass against independent computations: the
 * log-domain gradient and Hessian against central differences of f; Newton's minimiser against
 * GSL's BFGS on the plain (not log-domain) loss and against the 1-D closed form of 003 §14
 * eq. (62); GD on (61) reaching Newton's point with its a-posteriori bound holding; separable
 * data: no convergence, a positive certificate and ||grad f|| above it; bad input refused. */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>

#include "numerics/misclass.h"
#include "numerics/rng.h"
#include "numerics/separable.h"

enum { N = 40, D = 4 };

/* Non-separable data: Gaussian x, labels from a teacher with every fourth label flipped (10 of
 * 40 errors in 4 dimensions: separable with negligible probability; the test checks it). */
static void noisy(gsl_rng *r, double *Z)
{
    double X[N * D], y[N], u[D];
    num_rng_unit_vector(r, u, D);
    num_rng_gaussian(r, 1.0, X, N * D);
    for (size_t i = 0; i < N; i++) {
        double s = 0;
        for (size_t j = 0; j < D; j++)
            s += X[i * D + j] * u[j];
        y[i] = (s >= 0 ? 1.0 : -1.0) * (i % 4 == 0 ? -1.0 : 1.0);
    }
    assert_int_equal(num_misclass_signed(N, D, X, y, Z), NUM_OK);
}

static double f_at(const double *Z, const double *w)
{
    double work[N], f;
    assert_int_equal(num_misclass_eval(N, D, Z, w, &f, NULL, NULL, NULL, work), NUM_OK);
    return f;
}

static void derivatives_against_differences(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(11u));
    double Z[N * D], w[D], g[D], H[D * D], p[N], work[N], f, wp[D], wm[D];
    noisy(r, Z);
    num_rng_gaussian(r, 0.5, w, D);
    assert_int_equal(num_misclass_eval(N, D, Z, w, &f, g, H, p, work), NUM_OK);
    double R = num_misclass_rmax(N, D, Z), sum = 0;
    for (size_t i = 0; i < N; i++)
        sum += p[i];
    expect_close("sum of the weights", sum, 1.0, 4 * N * DBL_EPSILON);
    /* central differences: truncation h^2/6 |f'''| with |f'''| <= 2 R^3 (third cumulant of
     * z.e under p, |z.e| <= R), rounding 2 * 8u(1 + |f|) / (2h); gradient differences for the
     * Hessian likewise with |g''| <= 2 R^3 and rounding (N + D) u R / h */
    const double h = 1e-4, u = DBL_EPSILON / 2;
    double tg = h * h / 3 * R * R * R + 8 * u * (1 + fabs(f)) / h;
    double th = h * h / 3 * R * R * R + (N + D) * u * R / h;
    for (size_t j = 0; j < D; j++) {
        memcpy(wp, w, sizeof wp), memcpy(wm, w, sizeof wm);
        wp[j] += h, wm[j] -= h;
        expect_close("df/dw_j", g[j], (f_at(Z, wp) - f_at(Z, wm)) / (2 * h), tg);
        double gp[D], gm[D];
        assert_int_equal(num_misclass_eval(N, D, Z, wp, NULL, gp, NULL, NULL, work), NUM_OK);
        assert_int_equal(num_misclass_eval(N, D, Z, wm, NULL, gm, NULL, NULL, work), NUM_OK);
        for (size_t k = 0; k < D; k++)
            expect_close("d2f/dw_j dw_k", H[k * D + j], (gp[k] - gm[k]) / (2 * h), th);
    }
    gsl_rng_free(r);
}

/* The plain loss for GSL: L(w) = sum_n exp(-z_n.w) and its gradient, written out directly. */
static double plain_f(const gsl_vector *v, void *params)
{
    const double *Z = params;
    double L = 0;
    for (size_t i = 0; i < N; i++) {
        double m = 0;
        for (size_t j = 0; j < D; j++)
            m += Z[i * D + j] * gsl_vector_get(v, j);
        L += exp(-m);
    }
    return L;
}

static void plain_df(const gsl_vector *v, void *params, gsl_vector *df)
{
    const double *Z = params;
    gsl_vector_set_zero(df);
    for (size_t i = 0; i < N; i++) {
        double m = 0;
        for (size_t j = 0; j < D; j++)
            m += Z[i * D + j] * gsl_vector_get(v, j);
        for (size_t j = 0; j < D; j++)
            gsl_vector_set(df, j, gsl_vector_get(df, j) - Z[i * D + j] * exp(-m));
    }
}

static void plain_fdf(const gsl_vector *v, void *params, double *f, gsl_vector *df)
{
    *f = plain_f(v, params);
    plain_df(v, params, df);
}

/* GSL's BFGS on the plain loss until ||grad L|| < 1e-11 L(w) or 2000 iterations; returns
 * ||grad L|| / L at its end. */
static double bfgs(double *Z, double *w)
{
    gsl_multimin_function_fdf fn = {plain_f, plain_df, plain_fdf, D, Z};
    gsl_vector *x = gsl_vector_calloc(D);
    gsl_multimin_fdfminimizer *s =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, D);
    gsl_multimin_fdfminimizer_set(s, &fn, x, 0.1, 0.1);
    for (int it = 0; it < 2000; it++) {
        if (gsl_multimin_fdfminimizer_iterate(s) ||
            gsl_blas_dnrm2(s->gradient) < 1e-11 * s->f)
            break;
    }
    for (size_t j = 0; j < D; j++)
        w[j] = gsl_vector_get(s->x, j);
    double gn = gsl_blas_dnrm2(s->gradient) / s->f;
    gsl_multimin_fdfminimizer_free(s);
    gsl_vector_free(x);
    return gn;
}

static void newton_against_bfgs_and_gd(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(12u));
    double Z[N * D], w[D] = {0}, wb[D], g[D], H[D * D], work[N], ev[D];
    noisy(r, Z);
    num_misclass_stats st;
    assert_int_equal(num_misclass_newton(N, D, Z, w, 100, &st), NUM_OK);
    assert_true(st.converged);
    assert_true(st.grad_norm <= st.grad_floor);
    /* mu: the smallest eigenvalue of hess f at Newton's point, from GSL's own symmetric
     * eigensolver (independent of the LAPACK path the claims use) */
    assert_int_equal(num_misclass_eval(N, D, Z, w, NULL, g, H, NULL, work), NUM_OK);
    gsl_matrix_view Hv = gsl_matrix_view_array(H, D, D);
    gsl_vector_view ev_v = gsl_vector_view_array(ev, D);
    gsl_eigen_symm_workspace *ew = gsl_eigen_symm_alloc(D);
    gsl_matrix *Hc = gsl_matrix_alloc(D, D);
    gsl_matrix_memcpy(Hc, &Hv.matrix);
    gsl_eigen_symm(Hc, &ev_v.vector, ew);
    gsl_eigen_symm_free(ew);
    gsl_matrix_free(Hc);
    double mu = ev[0];
    for (size_t j = 1; j < D; j++)
        mu = fmin(mu, ev[j]);
    assert_true(mu > 0);
    double R = num_misclass_rmax(N, D, Z);
    double rho = num_misclass_dist_bound(R, st.grad_norm + st.grad_floor, mu);
    double gb = bfgs(Z, wb);
    double rb = num_misclass_dist_bound(R, gb, mu);
    /* both within their distance bounds of the one minimiser (rounding of the BFGS gradient
     * itself, ~N u R, added to its norm) */
    double tol = rho + num_misclass_dist_bound(R, gb + 4 * N * DBL_EPSILON * R, mu);
    assert_true(rb < INFINITY);
    for (size_t j = 0; j < D; j++)
        expect_close("Newton against GSL BFGS", w[j], wb[j], tol);
    /* GD on (61) from 0 to a 1e-9 target: its bound holds against Newton's point */
    double wg[D] = {0};
    num_misclass_stats sg;
    assert_int_equal(num_misclass_gd(N, D, Z, wg, 1000000, mu * 0.999, 1e-9, NULL, NULL, &sg),
                     NUM_OK);
    assert_true(sg.converged);
    double dd = 0;
    for (size_t j = 0; j < D; j++)
        dd += (wg[j] - w[j]) * (wg[j] - w[j]);
    expect_close("GD's distance to Newton's w*, within GD's bound", sqrt(dd), 0.0,
                 sg.dist_bound + rho);
    gsl_rng_free(r);
}

static void closed_form_1d(void **state)
{
    (void)state;
    /* 003 §14 eq. (62): z_1 = -x1 (misclassified), z_2 = x2: w* = log(x2/x1)/(x1+x2) */
    const double xs[3][2] = {{1, 2}, {0.3, 5}, {2, 2}};
    for (int c = 0; c < 3; c++) {
        double Z[2] = {-xs[c][0], xs[c][1]}, w = 0;
        num_misclass_stats st;
        assert_int_equal(num_misclass_newton(2, 1, Z, &w, 100, &st), NUM_OK);
        assert_true(st.converged);
        double ref = log(xs[c][1] / xs[c][0]) / (xs[c][0] + xs[c][1]);
        /* Newton's distance (<= floor / mu, mu = p1 p2 (x1 + x2)^2 >= ~0.05 here) + the closed
         * form's few roundings */
        expect_close("1-D minimiser", w, ref, 1e-14);
    }
}

static void separable_has_no_minimiser(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(13u));
    double X[N * D], y[N], u[D], Z[N * D], w[D] = {0}, g[D], work[N];
    assert_int_equal(num_separable_gen(r, N, D, 1.0, 0.5, X, y, u), NUM_OK);
    assert_int_equal(num_misclass_signed(N, D, X, y, Z), NUM_OK);
    /* the generator's direction certifies margin >= 0.5 */
    assert_true(num_misclass_certificate(N, D, Z, u) >= 0.5 * (1 - 1e-12));
    num_misclass_stats st;
    assert_int_equal(num_misclass_newton(N, D, Z, w, 50, &st), NUM_OK);
    assert_false(st.converged);
    double gam = num_misclass_certificate(N, D, Z, w);
    assert_true(gam > 0);
    assert_int_equal(num_misclass_eval(N, D, Z, w, NULL, g, NULL, NULL, work), NUM_OK);
    double gn = 0;
    for (size_t j = 0; j < D; j++)
        gn += g[j] * g[j];
    assert_true(sqrt(gn) >= gam * (1 - 1e-12)); /* ||grad f|| >= margin, everywhere */
    gsl_rng_free(r);
}

static void bad_input(void **state)
{
    (void)state;
    double X[2] = {1, 2}, y[2] = {1, 0.5}, Z[2], w[1] = {NAN}, work[2], f;
    num_misclass_stats st;
    assert_int_equal(num_misclass_signed(2, 1, X, y, Z), NUM_EINVAL);
    Z[0] = -1, Z[1] = 2;
    assert_int_equal(num_misclass_eval(2, 1, Z, w, &f, NULL, NULL, NULL, work), NUM_ENAN);
    w[0] = 0;
    assert_int_equal(num_misclass_gd(2, 1, Z, w, 10, 0.0, 1e-3, NULL, NULL, &st), NUM_EINVAL);
    assert_int_equal(num_misclass_newton(0, 1, Z, w, 10, &st), NUM_EINVAL);
    assert_true(isinf(num_misclass_dist_bound(1.0, 1.0, 1.0))); /* x = 2 >= 1: no bound */
    expect_close("certificate of v = 0", num_misclass_certificate(2, 1, Z, (double[]){0}), 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(derivatives_against_differences),
        cmocka_unit_test(newton_against_bfgs_and_gd),
        cmocka_unit_test(closed_form_1d),
        cmocka_unit_test(separable_has_no_minimiser),
        cmocka_unit_test(bad_input),
    };
    return TC_RUN("numerics/misclass", tests);
}
