/* tests/unit/test_twolayer_gates.c — the quantities of num_twolayer_train that the ntk claims'
 * hypothesis check and convergence gates rest on, against a hand-written GD loop:
 * - move_max = max over the iterates run of ||Theta_k - Theta_0|| (absolute, Euclidean): the
 *   slides' hypothesis ||Theta^(k) - Theta|| <= 1 (004, "Exponential Convergence");
 * - c_half = min over k <= K/2 of m ||grad r_k||^2 / (n r_k) (c is the same over k <= K);
 * - kappa_q3, kappa_q4 = minus the OLS slopes of log r_k over [K/2, 3K/4] and [3K/4, K],
 *   by the textbook S_xy / S_xx (not gsl_fit_linear);
 * - with stop_at_target, move_max covers the iterates up to the stop only.
 * The network Phi(x) = sum_j theta2_j tanh(<theta1_j, [x; 1]>) is recomputed with libm tanh from
 * the documented layout (theta1 row-major n x (d+1), then theta2). Seed fixed (TC_TEST_SEED
 * overrides) and printed.
 */
#include "tc_test.h"

#include <string.h>

#include "numerics/ntk.h"
#include "numerics/rng.h"
#include "numerics/twolayer.h"

#define M 6
#define D 3
#define D1 (D + 1)
#define N 16
#define P (N * (D + 2))

typedef struct {
    gsl_rng *r;
    double Xt[M * D1], y[M];
    num_twolayer *t;
} fixture;

static void setup(fixture *f)
{
    double X[M * D];
    f->r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(f->r, (unsigned long)tc_test_seed(20261202u));
    num_rng_gaussian(f->r, 1.0 / sqrt((double)D), X, M * D);
    num_rng_gaussian(f->r, 1.0, f->y, M);
    assert_int_equal(num_ntk_augment(M, D, X, f->Xt), NUM_OK);
    f->t = num_twolayer_alloc(M, D1, N, NUM_ACT_TANH);
    assert_non_null(f->t);
}

static void teardown(fixture *f)
{
    num_twolayer_free(f->t);
    gsl_rng_free(f->r);
}

/* Risk and gradient at th, by the closed form of r = (1/m) |Phi - y|^2. */
static double hand_risk_grad(const double *th, const fixture *f, double *g)
{
    const double *th2 = th + N * D1;
    double r = 0.0;
    memset(g, 0, P * sizeof *g);
    for (size_t i = 0; i < M; i++) {
        double a[N], phi = 0.0;
        for (size_t j = 0; j < N; j++) {
            double z = 0.0;
            for (size_t k = 0; k < D1; k++)
                z += th[j * D1 + k] * f->Xt[i * D1 + k];
            a[j] = tanh(z);
            phi += th2[j] * a[j];
        }
        double e = phi - f->y[i];
        r += e * e / M;
        for (size_t j = 0; j < N; j++) {
            for (size_t k = 0; k < D1; k++)
                g[j * D1 + k] += 2.0 * e / M * th2[j] * (1.0 - a[j] * a[j]) * f->Xt[i * D1 + k];
            g[N * D1 + j] += 2.0 * e / M * a[j];
        }
    }
    return r;
}

/* What the hand loop records for K steps from th0 (or up to r <= target r0 when stop). */
typedef struct {
    double logr[4001];
    double move_max, c_half;
    size_t k_end;
} hand_run;

static void hand_gd(const fixture *f, const double *th0, double eta, size_t K, bool stop,
                    double target, hand_run *h)
{
    double th[P], g[P], r0 = 0.0, c = INFINITY;
    memcpy(th, th0, sizeof th);
    h->move_max = 0.0;
    h->k_end = K;
    for (size_t k = 0; k <= K; k++) {
        double r = hand_risk_grad(th, f, g), g2 = 0.0, dist = 0.0;
        for (size_t p = 0; p < P; p++) {
            g2 += g[p] * g[p];
            dist += (th[p] - th0[p]) * (th[p] - th0[p]);
        }
        r0 = k == 0 ? r : r0;
        h->logr[k] = log(r);
        h->move_max = fmax(h->move_max, sqrt(dist));
        c = fmin(c, g2 * M / (N * r));
        if (k <= K / 2)
            h->c_half = c;
        if (stop && r <= target * r0) {
            h->k_end = k;
            return;
        }
        for (size_t p = 0; k < K && p < P; p++)
            th[p] -= eta * g[p];
    }
}

/* -S_xy / S_xx of logr[a..b] on k. */
static double hand_rate(const double *logr, size_t a, size_t b)
{
    double kb = 0.0, lb = 0.0, sxy = 0.0, sxx = 0.0, L = (double)(b - a + 1);
    for (size_t k = a; k <= b; k++) {
        kb += (double)k / L;
        lb += logr[k] / L;
    }
    for (size_t k = a; k <= b; k++) {
        sxy += ((double)k - kb) * (logr[k] - lb);
        sxx += ((double)k - kb) * ((double)k - kb);
    }
    return -sxy / sxx;
}

static void movement_c_half_and_window_rates(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    gsl_rng *start = gsl_rng_clone(f.r);
    num_twolayer_init(f.t, 1.0, start); /* the initialisation the run will draw */
    double th0[P], lmax;
    memcpy(th0, f.t->th0, sizeof th0);
    assert_int_equal(num_twolayer_ntk_lmax(f.t, f.Xt, &lmax), NUM_OK);
    const size_t K = 200;
    num_twolayer_gd gd = {.s1 = 1.0, .eta = 0.5 * M / lmax, .K = K, .diverge_factor = 1e4};
    num_twolayer_gd_out o;
    assert_int_equal(num_twolayer_train(f.t, f.Xt, f.y, f.r, &gd, NULL, 0, &o), NUM_OK);
    static hand_run h;
    hand_gd(&f, th0, gd.eta, K, false, 0.0, &h);
    assert_false(o.diverged);
    /* 200 steps of a contraction: the two loops differ by rounding only (BLAS vs loops,
     * ~1e-15 per step relative); 1e-9 leaves a wide margin. The window rates are differences
     * of log r of size ~1e-2 per step over 50 steps: 1e-7 relative. */
    expect_rel("move_max", o.move_max, h.move_max, 1e-9);
    expect_rel("c_half", o.c_half, h.c_half, 1e-9);
    assert_true(o.c <= o.c_half);
    size_t q = K / 2 + (K - K / 2) / 2;
    expect_rel("kappa_q3", o.kappa_q3, hand_rate(h.logr, K / 2, q), 1e-7);
    expect_rel("kappa_q4", o.kappa_q4, hand_rate(h.logr, q, K), 1e-7);
    /* move_max is a maximum over iterates: at least the final distance. */
    double n0 = 0.0;
    for (size_t p = 0; p < P; p++)
        n0 += th0[p] * th0[p];
    assert_true(o.move_max >= o.move * sqrt(n0) * (1.0 - 1e-12));
    gsl_rng_free(start);
    teardown(&f);
}

static void move_max_stops_at_the_target(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    gsl_rng *start = gsl_rng_clone(f.r);
    num_twolayer_init(f.t, 1.0, start);
    double th0[P], lmax;
    memcpy(th0, f.t->th0, sizeof th0);
    assert_int_equal(num_twolayer_ntk_lmax(f.t, f.Xt, &lmax), NUM_OK);
    num_twolayer_gd gd = {.s1 = 1.0, .eta = 0.5 * M / lmax, .K = 4000, .target = 0.3,
                          .stop_at_target = true, .diverge_factor = 1e4};
    num_twolayer_gd_out o;
    assert_int_equal(num_twolayer_train(f.t, f.Xt, f.y, f.r, &gd, NULL, 0, &o), NUM_OK);
    static hand_run h;
    hand_gd(&f, th0, gd.eta, gd.K, true, gd.target, &h);
    assert_true(o.reached);
    assert_int_equal(o.k_end, h.k_end);
    expect_rel("move_max at the target", o.move_max, h.move_max, 1e-9);
    /* a stopped run has no rate windows */
    assert_true(isnan(o.kappa_q3) && isnan(o.kappa_q4));
    gsl_rng_free(start);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(movement_c_half_and_window_rates),
        cmocka_unit_test(move_max_stops_at_the_target),
    };
    return cmocka_run_group_tests_name("numerics/twolayer_gates", tests, NULL, NULL);
}
