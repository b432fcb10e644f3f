/* tests/unit/test_randnet.c — random layers on batches of pairs (numerics/randnet.h).
 *
 * Each kernel is checked against an independent computation: pair geometry against num_angle
 * and exact identities, the batched layer against a naive triple loop, the quadrature moments
 * against Cho & Saul's closed forms J_0, J_1, J_2 and against an independent one-dimensional
 * integral, the exact variances and the delta-method standard errors against Monte Carlo with
 * stated bounds, and the row-unit standard error against an exact identity. Seeds are fixed and
 * printed on failure.
 */
#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_integration.h>

#include "numerics/kernels.h"
#include "numerics/randnet.h"
#include "numerics/rng.h"

/* TC_TEST_SEED overrides it (tc_test.h); the value is printed once. */
#define SEED ((unsigned)tc_test_seed(20240605u))

/* |obs - exp| <= tol, printing both on failure. */
static void check_in(double obs, double lo, double hi, const char *what)
{
    if (!(obs >= lo && obs <= hi)) {
        fprintf(stderr, "%s: %.18g observed vs expected in [%.6g, %.6g] (seed %u)\n", what, obs,
                lo, hi, SEED);
        fail();
    }
}

/* ---- pairs ----------------------------------------------------------------------------- */

static void test_pairs_orthogonal(void **state)
{
    (void)state;
    const size_t P = 7, d = 16;
    double theta[7] = {0.0, 1e-3, 0.5, M_PI / 2, 2.0, 3.0, M_PI};
    double X[14 * 16];
    assert_int_equal(num_randnet_pairs_orthogonal(P, theta, X, d), NUM_OK);
    for (size_t p = 0; p < P; p++) {
        const double *x = X + 2 * p * d, *y = x + d;
        /* acos amplifies the O(eps) rounding of the cosine by 1/sin(theta) */
        double st = sin(theta[p]);
        expect_close("pair angle", num_angle(x, y, d), theta[p], st > 0 ? 4 * DBL_EPSILON / st : 0.0);
        double nx = 0, ny = 0;
        for (size_t j = 0; j < d; j++)
            nx += x[j] * x[j], ny += y[j] * y[j];
        expect_close("|x|^2", nx, 1.0, 2 * DBL_EPSILON);
        expect_close("|y|^2", ny, 1.0, 2 * DBL_EPSILON);
        for (size_t q = 0; q < P; q++) /* different pairs: exactly orthogonal */
            if (q != p)
                for (size_t a = 0; a < 2; a++)
                    for (size_t b = 0; b < 2; b++) {
                        double s = 0;
                        for (size_t j = 0; j < d; j++)
                            s += X[(2 * p + a) * d + j] * X[(2 * q + b) * d + j];
                        assert_true(s == 0.0);
                    }
    }
    /* theta = pi: y = -x bit for bit */
    const double *x = X + 12 * d, *y = x + d;
    for (size_t j = 0; j < d; j++)
        assert_true(y[j] == -x[j]);
    assert_int_equal(num_randnet_pairs_orthogonal(P, theta, X, 13), NUM_EINVAL);
    double bad[1] = {NAN};
    assert_int_equal(num_randnet_pairs_orthogonal(1, bad, X, 2), NUM_EINVAL);
}

static void test_pairs_random(void **state)
{
    (void)state;
    const size_t P = 20, d = 9;
    double theta[20], X[40 * 9];
    for (size_t p = 0; p < P; p++)
        theta[p] = M_PI * (double)p / (double)(P - 1);
    gsl_rng *r = num_rng_alloc(SEED);
    assert_int_equal(num_randnet_pairs_random(r, P, theta, X, d), NUM_OK);
    for (size_t p = 0; p < P; p++) {
        const double *x = X + 2 * p * d, *y = x + d;
        double nx = 0, ny = 0;
        for (size_t j = 0; j < d; j++)
            nx += x[j] * x[j], ny += y[j] * y[j];
        expect_close("|x|^2", nx, 1.0, 8 * DBL_EPSILON);
        expect_close("|y|^2", ny, 1.0, 8 * DBL_EPSILON);
        /* acos is ill-conditioned near 0 and pi: an O(eps) cosine error gives O(sqrt(eps)) */
        expect_close("random pair angle", num_angle(x, y, d), theta[p], 1e-7);
    }
    gsl_rng_free(r);
}

/* ---- layers ---------------------------------------------------------------------------- */

static void test_apply_against_naive(void **state)
{
    (void)state;
    const size_t n = 13, d = 11, m = 17;
    double H[13 * 11], W[17 * 11], b[17], Z[13 * 17], Hout[13 * 17];
    gsl_rng *r = num_rng_alloc(SEED + 1);
    num_rng_gaussian(r, 1.0, H, n * d);
    assert_int_equal(num_randnet_draw(r, m, d, 0.3, W, 0.5, b), NUM_OK);
    const num_act acts[4] = {NUM_ACT_LINEAR, NUM_ACT_RELU, NUM_ACT_ERF, NUM_ACT_TANH};
    for (int a = 0; a < 4; a++)
        for (int withb = 0; withb < 2; withb++) {
            assert_int_equal(num_randnet_apply(H, n, d, W, m, withb ? b : NULL, acts[a], 0.1, Z,
                                               Hout),
                             NUM_OK);
            for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < m; k++) {
                    double z = withb ? b[k] : 0.0, sa = withb ? fabs(b[k]) : 0.0;
                    for (size_t j = 0; j < d; j++) {
                        z += H[i * d + j] * W[k * d + j];
                        sa += fabs(H[i * d + j] * W[k * d + j]);
                    }
                    /* Summation error bound: (d + 1) eps sum |terms| (Higham, Thm 3.1). */
                    expect_close("Z entry", Z[i * m + k], z, (double)(d + 1) * DBL_EPSILON * sa);
                    double f = acts[a] == NUM_ACT_LINEAR ? Z[i * m + k]
                               : acts[a] == NUM_ACT_RELU ? fmax(Z[i * m + k], 0.0)
                               : acts[a] == NUM_ACT_ERF  ? erf(Z[i * m + k])
                                                         : tanh(Z[i * m + k]);
                    expect_close("activation", Hout[i * m + k], f, 0.0);
                }
        }
    /* in place */
    double Z2[13 * 17];
    assert_int_equal(num_randnet_apply(H, n, d, W, m, b, NUM_ACT_RELU, 0.1, Z, Hout), NUM_OK);
    assert_int_equal(num_randnet_apply(H, n, d, W, m, b, NUM_ACT_RELU, 0.1, Z2, Z2), NUM_OK);
    for (size_t i = 0; i < n * m; i++)
        assert_true(Z2[i] == Hout[i]);
    /* non-finite input is reported */
    H[5] = NAN;
    assert_int_equal(num_randnet_apply(H, n, d, W, m, NULL, NUM_ACT_RELU, 0.1, Z, Hout),
                     NUM_ENAN);
    gsl_rng_free(r);
}

/* ---- moments --------------------------------------------------------------------------- */

static void test_moments_closed_forms(void **state)
{
    (void)state;
    for (int i = 0; i <= 20; i++) {
        double t = M_PI * i / 20.0, c = cos(t), s = sin(t);
        double J0 = M_PI - t, J1 = s + (M_PI - t) * c;
        double J2 = 3.0 * s * c + (M_PI - t) * (1.0 + 2.0 * c * c);
        double m00, m11, m22;
        assert_int_equal(num_randnet_relu_moment(0, 0, t, &m00), NUM_OK);
        assert_int_equal(num_randnet_relu_moment(1, 1, t, &m11), NUM_OK);
        assert_int_equal(num_randnet_relu_moment(2, 2, t, &m22), NUM_OK);
        /* Cho & Saul (2009) eq. (6)-(7): k_n = (1/pi) J_n, E[relu^n relu^n] = J_n / (2 pi);
         * tolerance: quadrature to rounding, a few ulps of the largest term (3 pi). */
        expect_close("M00 vs J0", m00, J0 / (2 * M_PI), 1e-14);
        expect_close("M11 vs J1", m11, J1 / (2 * M_PI), 1e-14);
        expect_close("M22 vs J2", m22, J2 / (2 * M_PI), 1e-14);
        /* symmetry M_pq(theta) = M_qp(theta) */
        double m31, m13;
        num_randnet_relu_moment(3, 1, t, &m31);
        num_randnet_relu_moment(1, 3, t, &m13);
        expect_close("M31 = M13", m31, m13, 1e-14);
    }
    double v;
    /* theta = pi/2: u, v independent: M31 = E relu(u)^3 E relu(v) = (2/sqrt(2pi))(1/sqrt(2pi)) */
    num_randnet_relu_moment(3, 1, M_PI / 2, &v);
    expect_close("M31(pi/2)", v, 1.0 / M_PI, 1e-15);
    num_randnet_relu_moment(4, 0, 0.0, &v);
    expect_close("M40(0) = E relu(u)^4", v, 1.5, 1e-14);
    assert_int_equal(num_randnet_relu_moment(9, 0, 0.3, &v), NUM_EINVAL);
    assert_int_equal(num_randnet_relu_moment(1, 1, 4.0, &v), NUM_EINVAL);
}

/* Independent route: E[relu(u)^p relu(v)^q] = int_0^inf u^p phi(u) E[relu(c u + s Z)^q] du for
 * q = 1 or 2, with E[relu(a + s Z)] = a Phi(a/s) + s phi(a/s) and
 * E[relu(a + s Z)^2] = (a^2 + s^2) Phi(a/s) + a s phi(a/s). */
typedef struct {
    int p, q;
    double c, s;
} mom1d;

static double mom1d_f(double u, void *arg)
{
    const mom1d *a = arg;
    double phi = exp(-0.5 * u * u) / sqrt(2 * M_PI), m = a->c * u, z = m / a->s;
    double Phi = 0.5 * erfc(-z / sqrt(2.0)), ph = exp(-0.5 * z * z) / sqrt(2 * M_PI);
    double e = a->q == 1 ? m * Phi + a->s * ph : (m * m + a->s * a->s) * Phi + m * a->s * ph;
    return pow(u, a->p) * phi * e;
}

static void test_moments_independent_integral(void **state)
{
    (void)state;
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
    double ts[5] = {0.2, 1.0, M_PI / 2, 2.3, 3.0};
    int pq[3][2] = {{3, 1}, {2, 2}, {1, 2}};
    for (int i = 0; i < 5; i++)
        for (int k = 0; k < 3; k++) {
            mom1d a = {pq[k][0], pq[k][1], cos(ts[i]), sin(ts[i])};
            gsl_function f = {mom1d_f, &a};
            double ref, err, v;
            gsl_integration_qagiu(&f, 0.0, 1e-14, 1e-12, 1000, ws, &ref, &err);
            num_randnet_relu_moment(a.p, a.q, ts[i], &v);
            expect_close("moment vs 1-D integral", v, ref, 1e-11);
        }
    gsl_integration_workspace_free(ws);
}

/* ---- variances and standard errors ----------------------------------------------------- */

static void test_variances_monte_carlo(void **state)
{
    (void)state;
    /* n i.i.d. standard bivariate samples at angle t. The sample variance of z has standard
     * error sqrt((mu4 - var^2)/n), estimated from the same samples; 6 SE bound (false failure
     * probability < 2e-9 under the normal approximation). */
    const size_t n = 200000;
    double ts[4] = {0.3, 1.0, M_PI / 2, 2.5};
    gsl_rng *r = num_rng_alloc(SEED + 2);
    double *u = malloc(sizeof(double) * n), *w = malloc(sizeof(double) * n);
    for (int i = 0; i < 4; i++) {
        double t = ts[i], c = cos(t), s = sin(t), g = num_relu_cos_law(t), Vc, Vd;
        num_randnet_relu_cos_var(t, &Vc);
        num_randnet_relu_dist2_var(t, &Vd);
        num_rng_gaussian(r, 1.0, u, n);
        num_rng_gaussian(r, 1.0, w, n);
        double sz = 0, sz2 = 0, sz4 = 0, sd = 0, sd2 = 0, sd4 = 0;
        for (size_t k = 0; k < n; k++) {
            double a = fmax(u[k], 0.0), b = fmax(c * u[k] + s * w[k], 0.0);
            double z = 2 * a * b - g * (a * a + b * b), e = (a - b) * (a - b);
            sz += z, sz2 += z * z, sz4 += z * z * z * z;
            sd += e, sd2 += e * e, sd4 += e * e * e * e;
        }
        /* E z = 0 exactly (g = 2 M_11), so Var z = E z^2: compare the sample second moment. */
        double mz = sz / n, ez2 = sz2 / n, md = sd / n, vd = sd2 / n - md * md;
        double sez = sqrt((sz4 / n - ez2 * ez2) / n);
        double sed = sqrt((sd4 / n - (sd2 / n) * (sd2 / n)) / n);
        expect_close("E z = 0", mz, 0.0, 6 * sqrt(ez2 / n));
        expect_close("Var z (cos influence)", ez2, Vc, 6 * sez);
        expect_close("Var (a-b)^2", vd, Vd, 6 * sed);
        expect_close("E (a-b)^2 = 1 - g", md, 1.0 - g, 6 * sqrt(vd / n));
    }
    free(u), free(w);
    gsl_rng_free(r);
}

/* The pooled estimators over many independent batches: their spread must match the exact
 * standard error Vc/(mP) (cosine) and Vd/(mP) (squared distance), and the estimators' means
 * must match the laws. R = 400 batches; the ratio of the sample SD to the predicted SE has a
 * standard error about 1/sqrt(2R) = 0.035 (times a kurtosis factor ~1.2): accept within 5 of
 * those, [0.79, 1.21]. */
static void test_pooled_estimators_monte_carlo(void **state)
{
    (void)state;
    const size_t P = 16, d = 32, m = 64, R = 400;
    const double t = 1.2;
    double theta[16], X[32 * 32], *W = malloc(sizeof(double) * m * d);
    double *H = malloc(sizeof(double) * 2 * P * m), *Z = malloc(sizeof(double) * 2 * P * m);
    for (size_t p = 0; p < P; p++)
        theta[p] = t;
    num_randnet_pairs_orthogonal(P, theta, X, d);
    double Vc, Vd, G = num_relu_cos_law(t);
    num_randnet_relu_cos_var(t, &Vc);
    num_randnet_relu_dist2_var(t, &Vd);
    double law_d = 0.5 * (2 - 2 * cos(t)) - num_relu_psi(t);
    gsl_rng *r = num_rng_alloc(SEED + 3);
    double sc = 0, sc2 = 0, sd = 0, sd2 = 0, mse_c = 0, mse_d = 0;
    for (size_t k = 0; k < R; k++) {
        num_randnet_draw(r, m, d, 1.0 / sqrt((double)m), W, 0.0, NULL);
        assert_int_equal(num_randnet_apply(X, 2 * P, d, W, m, NULL, NUM_ACT_RELU, 0.1, Z, H),
                         NUM_OK);
        double c, sec, d2, sed;
        assert_int_equal(num_randnet_pooled_cos(H, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &c, &sec),
                         NUM_OK);
        assert_int_equal(
            num_randnet_pooled_dist2(H, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &d2, &sed), NUM_OK);
        sc += c, sc2 += c * c, sd += d2, sd2 += d2 * d2;
        mse_c += sec * sec, mse_d += sed * sed;
    }
    double mc = sc / R, vc = sc2 / R - mc * mc, md = sd / R, vd = sd2 / R - md * md;
    double se_c = sqrt(Vc / (double)(m * P)), se_d = sqrt(Vd / (double)(m * P));
    check_in(sqrt(vc) / se_c, 0.79, 1.21, "spread of pooled cos / exact SE");
    check_in(sqrt(vd) / se_d, 0.79, 1.21, "spread of pooled dist2 / exact SE");
    check_in(sqrt(mse_c / R) / se_c, 0.9, 1.1, "empirical delta-method SE / exact SE (cos)");
    check_in(sqrt(mse_d / R) / se_d, 0.9, 1.1, "empirical SE / exact SE (dist2)");
    /* means: 6 SE of the mean over R batches (+ the O(1/(mP)) ratio bias for the cosine) */
    expect_close("mean pooled cos", mc, G, 6 * se_c / sqrt((double)R) + 2.0 / (double)(m * P));
    expect_close("mean pooled dist2 (exact under 1/m)", md, law_d, 6 * se_d / sqrt((double)R));
    free(W), free(H), free(Z);
    gsl_rng_free(r);
}

/* Identical pairs are perfectly correlated: the row unit must then give exactly
 * sqrt((mP - 1)/(m - 1)) times the sample-unit SE (every influence value repeats P times). */
static void test_row_unit_identity(void **state)
{
    (void)state;
    const size_t P = 5, m = 40;
    double *H = malloc(sizeof(double) * 2 * P * m), *G = malloc(sizeof(double) * 2 * P * m);
    gsl_rng *r = num_rng_alloc(SEED + 4);
    num_rng_gaussian(r, 1.0, H, 2 * m);
    num_rng_gaussian(r, 1.0, G, 2 * m);
    for (size_t i = 0; i < 2 * m; i++)
        H[i] = fabs(H[i]) + 0.1 * G[i] * G[i]; /* positive, like ReLU features */
    for (size_t p = 1; p < P; p++) {
        memcpy(H + 2 * p * m, H, sizeof(double) * 2 * m);
        memcpy(G + 2 * p * m, G, sizeof(double) * 2 * m);
    }
    double expect = sqrt(((double)(m * P) - 1.0) / ((double)m - 1.0));
    double c1, s1, c2, s2;
    num_randnet_pooled_cos(H, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &c1, &s1);
    num_randnet_pooled_cos(H, m, NULL, P, NUM_RANDNET_UNIT_ROW, &c2, &s2);
    expect_close("same estimate", c1, c2, 0.0);
    expect_close("row/sample SE ratio (cos)", s2 / s1, expect, 1e-12);
    num_randnet_pooled_dist2_ratio(H, G, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &c1, &s1);
    num_randnet_pooled_dist2_ratio(H, G, m, NULL, P, NUM_RANDNET_UNIT_ROW, &c2, &s2);
    expect_close("row/sample SE ratio (ratio)", s2 / s1, expect, 1e-12);
    num_randnet_pooled_dist_decrease(H, G, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &c1, &s1);
    num_randnet_pooled_dist_decrease(H, G, m, NULL, P, NUM_RANDNET_UNIT_ROW, &c2, &s2);
    expect_close("row/sample SE ratio (decrease)", s2 / s1, expect, 1e-12);
    /* the dist2 estimator scales its SE by m in both units: (m P - 1)/(m - 1) identity too */
    num_randnet_pooled_dist2(H, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &c1, &s1);
    num_randnet_pooled_dist2(H, m, NULL, P, NUM_RANDNET_UNIT_ROW, &c2, &s2);
    expect_close("row/sample SE ratio (dist2)", s2 / s1, expect, 1e-12);
    free(H), free(G);
    gsl_rng_free(r);
}

/* Pooled quantities against direct per-pair computations, and a pair subset. */
static void test_pooled_identities(void **state)
{
    (void)state;
    const size_t P = 6, m = 30;
    double *H = malloc(sizeof(double) * 2 * P * m), *G = malloc(sizeof(double) * 2 * P * m);
    gsl_rng *r = num_rng_alloc(SEED + 5);
    num_rng_gaussian(r, 1.0, G, 2 * P * m);
    for (size_t i = 0; i < 2 * P * m; i++)
        H[i] = fmax(G[i], 0.0);
    double cp[6], dp[6];
    assert_int_equal(num_randnet_pair_stats(H, P, m, cp, dp), NUM_OK);
    size_t sub[3] = {4, 1, 3};
    double dist2, T = 0, A = 0, B = 0, D = 0, DG = 0;
    for (size_t j = 0; j < 3; j++) {
        const double *hx = H + 2 * sub[j] * m, *hy = hx + m, *gx = G + 2 * sub[j] * m,
                     *gy = gx + m;
        for (size_t i = 0; i < m; i++) {
            T += hx[i] * hy[i], A += hx[i] * hx[i], B += hy[i] * hy[i];
            D += (hx[i] - hy[i]) * (hx[i] - hy[i]);
            DG += (gx[i] - gy[i]) * (gx[i] - gy[i]);
        }
    }
    double c, rho2, delta;
    num_randnet_pooled_cos(H, m, sub, 3, NUM_RANDNET_UNIT_SAMPLE, &c, NULL);
    expect_close("pooled cos", c, T / sqrt(A * B), 1e-14);
    num_randnet_pooled_dist2(H, m, sub, 3, NUM_RANDNET_UNIT_ROW, &dist2, NULL);
    expect_close("pooled dist2 = mean of pairs", dist2, (dp[4] + dp[1] + dp[3]) / 3.0, 1e-13);
    num_randnet_pooled_dist2_ratio(H, G, m, sub, 3, NUM_RANDNET_UNIT_SAMPLE, &rho2, NULL);
    expect_close("ratio", rho2, D / DG, 1e-14);
    num_randnet_pooled_dist_decrease(H, G, m, sub, 3, NUM_RANDNET_UNIT_SAMPLE, &delta, NULL);
    expect_close("decrease", delta, sqrt(DG / 3) - sqrt(D / 3), 1e-13);
    for (size_t p = 0; p < P; p++) {
        const double *hx = H + 2 * p * m, *hy = hx + m;
        double t = 0, a = 0, b = 0, e = 0;
        for (size_t i = 0; i < m; i++)
            t += hx[i] * hy[i], a += hx[i] * hx[i], b += hy[i] * hy[i],
                e += (hx[i] - hy[i]) * (hx[i] - hy[i]);
        expect_close("per-pair cos", cp[p], t / sqrt(a * b), 1e-14);
        expect_close("per-pair dist2", dp[p], e, 1e-13);
    }
    free(H), free(G);
    gsl_rng_free(r);
}

/* The delta-method SE of the ratio and of the decrease against their spread over batches. */
static void test_ratio_se_monte_carlo(void **state)
{
    (void)state;
    const size_t P = 16, d = 32, m = 64, R = 400;
    double theta[16], X[32 * 32], *W = malloc(sizeof(double) * m * d);
    double *H = malloc(sizeof(double) * 2 * P * m), *Z = malloc(sizeof(double) * 2 * P * m);
    for (size_t p = 0; p < P; p++)
        theta[p] = 0.7;
    num_randnet_pairs_orthogonal(P, theta, X, d);
    gsl_rng *r = num_rng_alloc(SEED + 6);
    double s1 = 0, s2 = 0, e2 = 0, t1 = 0, t2 = 0, f2 = 0;
    for (size_t k = 0; k < R; k++) {
        num_randnet_draw(r, m, d, 1.0 / sqrt((double)m), W, 0.0, NULL);
        num_randnet_apply(X, 2 * P, d, W, m, NULL, NUM_ACT_RELU, 0.1, Z, H);
        double v, se, dl, sedl;
        num_randnet_pooled_dist2_ratio(H, Z, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &v, &se);
        num_randnet_pooled_dist_decrease(H, Z, m, NULL, P, NUM_RANDNET_UNIT_SAMPLE, &dl, &sedl);
        s1 += v, s2 += v * v, e2 += se * se;
        t1 += dl, t2 += dl * dl, f2 += sedl * sedl;
    }
    double sdv = sqrt(s2 / R - (s1 / R) * (s1 / R)), sdd = sqrt(t2 / R - (t1 / R) * (t1 / R));
    check_in(sdv / sqrt(e2 / R), 0.79, 1.21, "ratio: spread / delta-method SE");
    check_in(sdd / sqrt(f2 / R), 0.79, 1.21, "decrease: spread / delta-method SE");
    free(W), free(H), free(Z);
    gsl_rng_free(r);
}

static void test_sign_disagreements(void **state)
{
    (void)state;
    /* two pairs, m = 5: pair 0 differs at 1, 3; pair 1 has zeros at 0 (x) and 4 (y) */
    double Z[4 * 5] = {1, -1, 2, -3, 0.5, 1, 2, 3, 4, -1, 0, 1, -1, 1, 2, 5, 1, 1, -1, 0};
    size_t cnt[2], val[2];
    assert_int_equal(num_randnet_sign_disagreements(Z, 2, 5, cnt, val), NUM_OK);
    /* pair 0: x = (1,-1,2,-3,0.5), y = (1,2,3,4,-1): differ at 1, 3, 4 */
    assert_int_equal(cnt[0], 3);
    assert_int_equal(val[0], 5);
    /* pair 1: x = (0,1,-1,1,2), y = (5,1,1,-1,0): coordinates 0 and 4 hold a zero and are
     * left out; differ at 2, 3 */
    assert_int_equal(val[1], 3);
    assert_int_equal(cnt[1], 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairs_orthogonal),
        cmocka_unit_test(test_pairs_random),
        cmocka_unit_test(test_apply_against_naive),
        cmocka_unit_test(test_moments_closed_forms),
        cmocka_unit_test(test_moments_independent_integral),
        cmocka_unit_test(test_variances_monte_carlo),
        cmocka_unit_test(test_pooled_estimators_monte_carlo),
        cmocka_unit_test(test_row_unit_identity),
        cmocka_unit_test(test_pooled_identities),
        cmocka_unit_test(test_ratio_se_monte_carlo),
        cmocka_unit_test(test_sign_disagreements),
    };
    return TC_RUN("numerics/randnet", tests);
}
