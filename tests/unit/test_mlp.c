/* tests/unit/test_mlp.c — numerics/mlp against independent computations.
 *
 * - activations: f' and f'' against central differences, no overflow at |z| up to 1e300;
 *   tails (|z| = 20, 50, 300) and small |z| against long-double closed forms (tanh, sigmoid,
 *   softplus, erf) to 16 eps relative;
 * - forward: against a naive per-sample loop built from num_act_eval;
 * - backward: the gradient of L = sum_ij C_ij out_ij against central differences of L, for
 *   every activation, depth 1..4, with and without bias;
 * - Jacobian: against central differences of the outputs, and J^T C = backward(C);
 * - positive homogeneity (003 eq. (1)): for ReLU / linear networks without bias, every layer
 *   k and every output, sum_ij W_k,ij d f / d W_k,ij = f(x); tanh must violate it (the test
 *   can fail).
 * - bit-for-bit: forward activations and the gradient equal (memcmp) a reference written as
 *   separate passes in the original operation order, for every activation, depth and bias
 *   setting (the element-wise fusions in mlp.c must not change a single result);
 * - the input copy kept by the workspace (num_mlp_act(w, 0)) survives overwriting X;
 * - non-finite pre-activations in any layer and position are reported (NUM_ENAN).
 * Seeds are fixed and printed on failure.
 */

#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/mlp.h"
#include "numerics/rng.h"

#define NACT 7
static const num_act all_acts[NACT] = {NUM_ACT_LINEAR, NUM_ACT_RELU, NUM_ACT_TANH,
                                       NUM_ACT_ERF, NUM_ACT_SOFTPLUS, NUM_ACT_SIGMOID,
                                       NUM_ACT_SMOOTH_RELU};
static const size_t base_widths[5] = {4, 6, 5, 7, 3};

typedef struct {
    num_mlp *net;
    num_mlp_work *w;
    double *theta, *X;
    size_t n;
} fixture;

static fixture make(size_t K, bool bias, num_act act, size_t n, uint64_t seed)
{
    fixture f;
    size_t widths[5];
    for (size_t k = 0; k < K; k++)
        widths[k] = base_widths[k];
    widths[K] = base_widths[4]; /* output width 3 */
    f.net = num_mlp_alloc(K, widths, bias, act);
    assert_non_null(f.net);
    f.w = num_mlp_work_alloc(f.net, n);
    assert_non_null(f.w);
    f.theta = malloc(f.net->nparams * sizeof(double));
    f.X = malloc(n * widths[0] * sizeof(double));
    f.n = n;
    gsl_rng *r = num_rng_alloc(seed);
    num_mlp_init_gaussian(f.net, f.theta, r, NULL);
    if (bias) /* non-zero biases so they are exercised */
        for (size_t k = 0; k < K; k++)
            num_rng_gaussian(r, 0.3, num_mlp_b(f.net, f.theta, k), widths[k + 1]);
    num_rng_gaussian(r, 1.0, f.X, n * widths[0]);
    gsl_rng_free(r);
    return f;
}

static void unmake(fixture *f)
{
    free(f->theta);
    free(f->X);
    num_mlp_work_free(f->w);
    num_mlp_free(f->net);
}

/* ---- activations ----------------------------------------------------------------------- */

static void test_act_derivatives(void **state)
{
    (void)state;
    const double zs[] = {-3.1, -0.7, -0.013, 0.021, 0.4, 1.3, 2.9};
    for (int a = 0; a < NACT; a++) {
        double eps = 0.3;
        /* Central difference with step h: truncation h^2 |f'''| / 6 plus rounding
         * DBL_EPSILON |f| / h. For the smooth ReLU the scale is eps^2, so h is scaled by it
         * (derivatives grow like eps^{-2m}). h = 1e-5 * scale gives a total error below 1e-8
         * relative for every activation here; tolerance 1e-6. */
        double scale = all_acts[a] == NUM_ACT_SMOOTH_RELU ? eps * eps : 1.0;
        double h = 1e-5 * scale;
        for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++) {
            double z = zs[i], f, d, dd, fp, fm, dp, dm;
            num_act_eval(all_acts[a], eps, z, &f, &d, &dd);
            num_act_eval(all_acts[a], eps, z + h, &fp, &dp, NULL);
            num_act_eval(all_acts[a], eps, z - h, &fm, &dm, NULL);
            double fd1 = (fp - fm) / (2 * h), fd2 = (dp - dm) / (2 * h);
            double tol1 = 1e-6 * (1 + fabs(d)), tol2 = 1e-6 * (1 + fabs(dd)) / scale;
            if (fabs(fd1 - d) > tol1 || fabs(fd2 - dd) > tol2) {
                fprintf(stderr, "%s z=%g: f' %.18g observed vs %.18g expected; f'' %.18g vs %.18g\n",
                        num_act_name(all_acts[a]), z, d, fd1, dd, fd2);
                fail();
            }
        }
        /* No overflow: every value finite at extreme arguments. */
        const double big[] = {-1e300, -800.0, -50.0, 50.0, 800.0, 1e300};
        for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
            double f, d, dd;
            num_act_eval(all_acts[a], 0.1, big[i], &f, &d, &dd);
            if (!isfinite(f) || !isfinite(d) || !isfinite(dd)) {
                fprintf(stderr, "%s z=%g: non-finite f=%g f'=%g f''=%g\n",
                        num_act_name(all_acts[a]), big[i], f, d, dd);
                fail();
            }
        }
    }
    /* Reference values: smooth ReLU at z = eps^2 is eps^2 / (1 + e^{-1}); softplus(0) = ln 2;
     * tails: smooth ReLU(-800) = -800 exp(-800/eps^2) underflows to -0, softplus(800) = 800. */
    double f;
    num_act_eval(NUM_ACT_SMOOTH_RELU, 0.1, 0.01, &f, NULL, NULL);
    assert_true(fabs(f - 0.01 / (1 + exp(-1.0))) < 4 * DBL_EPSILON * f);
    num_act_eval(NUM_ACT_SOFTPLUS, 0.1, 0.0, &f, NULL, NULL);
    assert_true(fabs(f - log(2.0)) < 4 * DBL_EPSILON);
    num_act_eval(NUM_ACT_SOFTPLUS, 0.1, 800.0, &f, NULL, NULL);
    assert_true(f == 800.0);
    num_act_eval(NUM_ACT_SMOOTH_RELU, 0.1, -800.0, &f, NULL, NULL);
    assert_true(f == 0.0);
    num_act_eval(NUM_ACT_RELU, 0.1, 0.0, &f, &f, &f);
    assert_true(f == 0.0);
}

/* Tails of the activation derivatives against closed forms evaluated in long double (64-bit
 * significand, exponent range to 1e4932, so cosh(300)^2 ~ 1e260 and e^{-600} are exact to
 * ~1e-19 relative):
 *   tanh:     f' = 1 / cosh^2 z,            f'' = -2 tanh z / cosh^2 z;
 *   sigmoid:  f' = 1 / (4 cosh^2 (z/2)),    f'' = -f' tanh(z/2);
 *   softplus: f' = sigma(z),                f'' = 1 / (4 cosh^2 (z/2));
 *   erf:      f' = 2/sqrt(pi) e^{-z^2}.
 * At |z| = 20, 50, 300 the textbook 1 - tanh^2 is exactly 0 (or has no correct digit), and
 * near z = 0 sigma(-z) - sigma(z) cancels (relative error eps / |z|): both fail here. The
 * accurate forms have a few ulps of error (one exp, two or three roundings, one tanh):
 * tolerance 16 eps relative. */
static void test_act_tails(void **state)
{
    (void)state;
    const double zs[] = {20.0, 50.0, 300.0, -20.0, -50.0, -300.0, 1e-9, -1e-6, 1e-3, 0.7};
    const double tol = 16.0 * DBL_EPSILON;
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++) {
        long double z = zs[i], ch = coshl(z), ch2 = coshl(z / 2);
        long double t_d = 1.0L / (ch * ch), t_dd = -2.0L * tanhl(z) * t_d;
        long double s_d = 0.25L / (ch2 * ch2), s_dd = -s_d * tanhl(z / 2);
        long double sp_d = 1.0L / (1.0L + expl(-z));
        struct {
            num_act a;
            long double d, dd;
            int check_dd;
        } cases[3] = {{NUM_ACT_TANH, t_d, t_dd, 1},
                      {NUM_ACT_SIGMOID, s_d, s_dd, 1},
                      {NUM_ACT_SOFTPLUS, sp_d, s_d, 1}};
        for (int c = 0; c < 3; c++) {
            double d, dd;
            num_act_eval(cases[c].a, 0.1, zs[i], NULL, &d, &dd);
            double e1 = (double)fabsl((d - cases[c].d) / cases[c].d);
            double e2 = cases[c].dd != 0.0L ? (double)fabsl((dd - cases[c].dd) / cases[c].dd)
                                            : fabs(dd);
            if (!(e1 <= tol) || !(e2 <= tol)) {
                fprintf(stderr, "%s z=%g: f' %.18g observed vs %.18Lg expected (rel %.3g); "
                        "f'' %.18g vs %.18Lg (rel %.3g)\n", num_act_name(cases[c].a), zs[i],
                        d, cases[c].d, e1, dd, cases[c].dd, e2);
                fail();
            }
        }
    }
    /* erf: z^2 exact for these z, so only the exp rounding remains. */
    const double ze[] = {5.0, 20.0, -26.0};
    for (size_t i = 0; i < sizeof ze / sizeof ze[0]; i++) {
        long double z = ze[i], ref = 2.0L / sqrtl(3.141592653589793238462643383279503L) *
                                     expl(-z * z);
        double d;
        num_act_eval(NUM_ACT_ERF, 0.1, ze[i], NULL, &d, NULL);
        double e1 = (double)fabsl((d - ref) / ref);
        if (!(e1 <= tol)) {
            fprintf(stderr, "erf z=%g: f' %.18g observed vs %.18Lg expected\n", ze[i], d, ref);
            fail();
        }
    }
}

static void test_act_names(void **state)
{
    (void)state;
    for (int a = 0; a < NACT; a++)
        assert_int_equal(num_act_parse(num_act_name(all_acts[a])), (int)all_acts[a]);
    assert_int_equal(num_act_parse("nope"), -1);
    assert_int_equal(num_act_parse(NULL), -1);
    assert_true(num_act_homogeneous(NUM_ACT_RELU) && num_act_homogeneous(NUM_ACT_LINEAR));
    assert_false(num_act_homogeneous(NUM_ACT_TANH) || num_act_homogeneous(NUM_ACT_SMOOTH_RELU));
}

/* ---- layout ---------------------------------------------------------------------------- */

static void test_layout_and_norms(void **state)
{
    (void)state;
    size_t widths[4] = {3, 5, 2, 4};
    for (int bias = 0; bias <= 1; bias++) {
        num_mlp *net = num_mlp_alloc(3, widths, bias, NUM_ACT_RELU);
        assert_non_null(net);
        size_t P = 5 * 3 + 2 * 5 + 4 * 2 + (bias ? 5 + 2 + 4 : 0);
        assert_int_equal(net->nparams, P);
        double *theta = malloc(P * sizeof(double));
        for (size_t i = 0; i < P; i++)
            theta[i] = (double)i;
        /* views tile theta contiguously: W_1 b_1 W_2 b_2 W_3 b_3 */
        size_t off = 0;
        for (size_t k = 0; k < 3; k++) {
            assert_ptr_equal(num_mlp_w(net, theta, k), theta + off);
            off += widths[k] * widths[k + 1];
            if (bias) {
                assert_ptr_equal(num_mlp_b(net, theta, k), theta + off);
                off += widths[k + 1];
            } else {
                assert_null(num_mlp_b(net, theta, k));
            }
        }
        assert_int_equal(off, P);
        double norms[3];
        num_mlp_layer_norms(net, theta, norms);
        for (size_t k = 0; k < 3; k++) {
            const double *W = num_mlp_w(net, theta, k);
            double s = 0;
            for (size_t i = 0; i < widths[k] * widths[k + 1]; i++)
                s += W[i] * W[i];
            assert_true(fabs(norms[k] - sqrt(s)) <= 8 * DBL_EPSILON * sqrt(s));
        }
        free(theta);
        num_mlp_free(net);
    }
    size_t bad[3] = {3, 0, 2};
    assert_null(num_mlp_alloc(2, bad, false, NUM_ACT_RELU));
    assert_null(num_mlp_alloc(0, widths, false, NUM_ACT_RELU));
}

/* ---- forward vs naive ------------------------------------------------------------------ */

static void naive_forward(const num_mlp *net, const double *theta, const double *x, double *out)
{
    double a[16], b[16];
    size_t K = net->nlayers;
    memcpy(a, x, net->widths[0] * sizeof(double));
    for (size_t k = 0; k < K; k++) {
        size_t win = net->widths[k], wout = net->widths[k + 1];
        const double *W = theta + net->off_w[k];
        for (size_t i = 0; i < wout; i++) {
            double s = net->bias ? theta[net->off_b[k] + i] : 0.0;
            for (size_t j = 0; j < win; j++)
                s += W[i * win + j] * a[j];
            if (k + 1 < K)
                num_act_eval(net->act, net->act_eps, s, &b[i], NULL, NULL);
            else
                b[i] = s;
        }
        memcpy(a, b, wout * sizeof(double));
    }
    memcpy(out, a, net->widths[K] * sizeof(double));
}

static void test_forward_naive(void **state)
{
    (void)state;
    for (int a = 0; a < NACT; a++)
        for (size_t K = 1; K <= 4; K++)
            for (int bias = 0; bias <= 1; bias++) {
                uint64_t seed = 1000 + 100 * (uint64_t)a + 10 * K + (uint64_t)bias;
                fixture f = make(K, bias, all_acts[a], 9, seed);
                size_t wK = f.net->widths[K];
                double *out = malloc(f.n * wK * sizeof(double)), ref[16];
                assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, out), NUM_OK);
                for (size_t i = 0; i < f.n; i++) {
                    naive_forward(f.net, f.theta, f.X + i * f.net->widths[0], ref);
                    for (size_t j = 0; j < wK; j++) {
                        /* Same sums in a different order: rounding ~ (fan-in) * depth * eps
                         * relative to the magnitude of the summands (all O(1) here). */
                        double tol = 64 * DBL_EPSILON * (1 + fabs(ref[j]));
                        if (fabs(out[i * wK + j] - ref[j]) > tol) {
                            fprintf(stderr, "seed %llu %s K=%zu bias=%d: %.18g observed vs %.18g expected\n",
                                    (unsigned long long)seed, num_act_name(all_acts[a]), K, bias,
                                    out[i * wK + j], ref[j]);
                            fail();
                        }
                    }
                }
                /* The output is also kept in the workspace. */
                assert_memory_equal(num_mlp_act(f.w, K), out, f.n * wK * sizeof(double));
                free(out);
                unmake(&f);
            }
}

/* ---- gradient vs finite differences ---------------------------------------------------- */

static double loss_c(fixture *f, const double *theta, const double *C)
{
    size_t wK = f->net->widths[f->net->nlayers];
    double *out = malloc(f->n * wK * sizeof(double));
    assert_int_equal(num_mlp_forward(f->net, theta, f->X, f->n, f->w, out), NUM_OK);
    double L = 0;
    for (size_t i = 0; i < f->n * wK; i++)
        L += C[i] * out[i];
    free(out);
    return L;
}

static void test_gradient_fd(void **state)
{
    (void)state;
    for (int a = 0; a < NACT; a++)
        for (size_t K = 1; K <= 4; K++)
            for (int bias = 0; bias <= 1; bias++) {
                uint64_t seed = 2000 + 100 * (uint64_t)a + 10 * K + (uint64_t)bias;
                fixture f = make(K, bias, all_acts[a], 5, seed);
                size_t P = f.net->nparams, wK = f.net->widths[K];
                double *C = malloc(f.n * wK * sizeof(double));
                double *grad = malloc(P * sizeof(double));
                gsl_rng *r = num_rng_alloc(seed + 7);
                num_rng_gaussian(r, 1.0, C, f.n * wK);
                gsl_rng_free(r);
                assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_OK);
                assert_int_equal(num_mlp_backward(f.net, f.theta, f.w, C, grad), NUM_OK);
                /* Central differences, error h^2 |L'''| / 6 + DBL_EPSILON |L| / h; h = 1e-5
                 * (smooth ReLU eps = 0.1: h = 1e-5 eps^2 since L''' scales like eps^-4 near
                 * the kink). Both terms < 1e-8 (|L| = O(10)); tolerance 1e-6 (1 + |g|). For
                 * ReLU a kink inside [theta - h, theta + h] has probability O(h) per unit. */
                double h = all_acts[a] == NUM_ACT_SMOOTH_RELU ? 1e-7 : 1e-5;
                double maxerr = 0;
                size_t worst = 0;
                double gworst = 0, fdworst = 0;
                for (size_t p = 0; p < P; p++) {
                    double t0 = f.theta[p];
                    f.theta[p] = t0 + h;
                    double Lp = loss_c(&f, f.theta, C);
                    f.theta[p] = t0 - h;
                    double Lm = loss_c(&f, f.theta, C);
                    f.theta[p] = t0;
                    double fd = (Lp - Lm) / (2 * h);
                    double e = fabs(fd - grad[p]) / (1 + fabs(grad[p]));
                    if (e > maxerr) {
                        maxerr = e; worst = p; gworst = grad[p]; fdworst = fd;
                    }
                }
                if (maxerr > 1e-6) {
                    fprintf(stderr, "seed %llu %s K=%zu bias=%d param %zu: %.18g observed vs %.18g expected\n",
                            (unsigned long long)seed, num_act_name(all_acts[a]), K, bias, worst,
                            gworst, fdworst);
                    fail();
                }
                free(C);
                free(grad);
                unmake(&f);
            }
}

/* ---- Jacobian ------------------------------------------------------------------------- */

static void test_jacobian(void **state)
{
    (void)state;
    const num_act acts[3] = {NUM_ACT_RELU, NUM_ACT_TANH, NUM_ACT_SOFTPLUS};
    for (int a = 0; a < 3; a++)
        for (size_t K = 1; K <= 3; K++)
            for (int bias = 0; bias <= 1; bias++) {
                uint64_t seed = 3000 + 100 * (uint64_t)a + 10 * K + (uint64_t)bias;
                fixture f = make(K, bias, acts[a], 4, seed);
                size_t P = f.net->nparams, wK = f.net->widths[K], m = f.n * wK;
                double *J = malloc(m * P * sizeof(double));
                double *op = malloc(m * sizeof(double)), *om = malloc(m * sizeof(double));
                double *C = malloc(m * sizeof(double)), *grad = malloc(P * sizeof(double));
                assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_OK);
                assert_int_equal(num_mlp_jacobian(f.net, f.theta, f.w, J), NUM_OK);
                double h = 1e-5;
                for (size_t p = 0; p < P; p++) {
                    double t0 = f.theta[p];
                    f.theta[p] = t0 + h;
                    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, op), NUM_OK);
                    f.theta[p] = t0 - h;
                    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, om), NUM_OK);
                    f.theta[p] = t0;
                    for (size_t r = 0; r < m; r++) {
                        double fd = (op[r] - om[r]) / (2 * h), jv = J[r * P + p];
                        if (fabs(fd - jv) > 1e-6 * (1 + fabs(jv))) {
                            fprintf(stderr, "seed %llu %s K=%zu bias=%d J[%zu,%zu]: %.18g observed vs %.18g expected\n",
                                    (unsigned long long)seed, num_act_name(acts[a]), K, bias, r, p,
                                    jv, fd);
                            fail();
                        }
                    }
                }
                /* J^T C equals the batched backward pass with dout = C. */
                for (size_t r = 0; r < m; r++)
                    C[r] = cos(1.0 + (double)r);
                assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_OK);
                assert_int_equal(num_mlp_backward(f.net, f.theta, f.w, C, grad), NUM_OK);
                for (size_t p = 0; p < P; p++) {
                    double s = 0, sa = 0;
                    for (size_t r = 0; r < m; r++) {
                        s += C[r] * J[r * P + p];
                        sa += fabs(C[r] * J[r * P + p]);
                    }
                    if (fabs(s - grad[p]) > 16 * (double)m * DBL_EPSILON * (sa + 1e-300)) {
                        fprintf(stderr, "J^T C [%zu]: %.18g observed vs %.18g expected\n", p, s,
                                grad[p]);
                        fail();
                    }
                }
                free(J); free(op); free(om); free(C); free(grad);
                unmake(&f);
            }
}

/* ---- positive homogeneity (003 eq. (1)) ------------------------------------------------- */

/* Returns the largest relative violation of sum_ij W_k,ij d out_r / d W_k,ij = out_r over all
 * layers k and outputs r, relative to |out_r| + sum_ij |W_k,ij d out_r / d W_k,ij|. */
static double homogeneity_violation(num_act act, size_t K, uint64_t seed)
{
    fixture f = make(K, false, act, 6, seed);
    size_t P = f.net->nparams, wK = f.net->widths[K], m = f.n * wK;
    double *J = malloc(m * P * sizeof(double)), *out = malloc(m * sizeof(double));
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, out), NUM_OK);
    assert_int_equal(num_mlp_jacobian(f.net, f.theta, f.w, J), NUM_OK);
    double worst = 0;
    for (size_t k = 0; k < K; k++) {
        size_t off = f.net->off_w[k], len = f.net->widths[k] * f.net->widths[k + 1];
        for (size_t r = 0; r < m; r++) {
            double s = 0, sa = 0;
            for (size_t q = 0; q < len; q++) {
                double t = f.theta[off + q] * J[r * P + off + q];
                s += t;
                sa += fabs(t);
            }
            double v = fabs(s - out[r]) / (fabs(out[r]) + sa);
            if (v > worst)
                worst = v;
        }
    }
    free(J);
    free(out);
    unmake(&f);
    return worst;
}

static void test_homogeneity(void **state)
{
    (void)state;
    /* Both sides are sums of O(P) products of O(1) terms computed in different orders:
     * rounding <= c P DBL_EPSILON with P <= 150 here, i.e. ~3e-14; tolerance 1e-12. */
    for (size_t K = 1; K <= 4; K++) {
        double vr = homogeneity_violation(NUM_ACT_RELU, K, 4000 + K);
        double vl = homogeneity_violation(NUM_ACT_LINEAR, K, 4100 + K);
        if (vr > 1e-12 || vl > 1e-12) {
            fprintf(stderr, "homogeneity K=%zu: relu %.3g linear %.3g observed vs <= 1e-12\n", K,
                    vr, vl);
            fail();
        }
    }
    /* Negative control: tanh is not homogeneous; for K >= 2 the identity fails at O(1). */
    for (size_t K = 2; K <= 4; K++) {
        double vt = homogeneity_violation(NUM_ACT_TANH, K, 4200 + K);
        if (!(vt > 1e-3)) {
            fprintf(stderr, "tanh K=%zu: violation %.3g observed vs > 1e-3 expected\n", K, vt);
            fail();
        }
    }
}

/* ---- bit-for-bit regression against the reference pass structure ----------------------- */

/* The forward and backward passes as they were written before the element-wise loops were
 * fused (one pass per operation, in this order): bias broadcast + dgemm with beta = 1, the
 * finiteness check, the activation from num_act_eval; backward: weight gradient dgemm, bias
 * gradient as row-ordered column sums, delta dgemm, then the derivative (ReLU: D = 0 where
 * !(Z > 0), an assignment, not D * 0). Every claim's numbers must stay byte-identical across
 * performance work, so the library must agree with this bit for bit (memcmp), not to a
 * tolerance. Z (K arrays n x w_k), H (K - 1 arrays) and grad (P) are outputs. */
static void ref_passes(const num_mlp *net, const double *theta, const double *X, size_t n,
                       const double *dout, double **Z, double **H, double *grad)
{
    size_t K = net->nlayers, wmax = 0;
    for (size_t k = 0; k <= K; k++)
        wmax = net->widths[k] > wmax ? net->widths[k] : wmax;
    const double *Hprev = X;
    for (size_t k = 1; k <= K; k++) {
        size_t win = net->widths[k - 1], wout = net->widths[k];
        double beta = 0.0;
        if (net->bias) {
            for (size_t i = 0; i < n; i++)
                memcpy(Z[k - 1] + i * wout, theta + net->off_b[k - 1], wout * sizeof(double));
            beta = 1.0;
        }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)wout, (int)win, 1.0,
                    Hprev, (int)win, theta + net->off_w[k - 1], (int)win, beta, Z[k - 1],
                    (int)wout);
        if (k < K) {
            for (size_t i = 0; i < n * wout; i++)
                num_act_eval(net->act, net->act_eps, Z[k - 1][i], &H[k - 1][i], NULL, NULL);
            Hprev = H[k - 1];
        }
    }
    double *D1 = malloc(n * wmax * sizeof(double)), *D2 = malloc(n * wmax * sizeof(double));
    const double *Dcur = dout;
    for (size_t k = K; k >= 1; k--) {
        size_t win = net->widths[k - 1], wout = net->widths[k];
        const double *Hp = k > 1 ? H[k - 2] : X;
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)wout, (int)win, (int)n, 1.0,
                    Dcur, (int)wout, Hp, (int)win, 0.0, grad + net->off_w[k - 1], (int)win);
        if (net->bias) {
            double *gb = grad + net->off_b[k - 1];
            memset(gb, 0, wout * sizeof(double));
            for (size_t i = 0; i < n; i++)
                for (size_t a = 0; a < wout; a++)
                    gb[a] += Dcur[i * wout + a];
        }
        if (k == 1)
            break;
        double *Dn = Dcur == D1 ? D2 : D1;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)win, (int)wout, 1.0,
                    Dcur, (int)wout, theta + net->off_w[k - 1], (int)win, 0.0, Dn, (int)win);
        const double *Zp = Z[k - 2];
        for (size_t i = 0; i < n * win; i++) {
            if (net->act == NUM_ACT_RELU) {
                if (!(Zp[i] > 0.0))
                    Dn[i] = 0.0;
            } else if (net->act != NUM_ACT_LINEAR) {
                double d;
                num_act_eval(net->act, net->act_eps, Zp[i], NULL, &d, NULL);
                Dn[i] *= d;
            }
        }
        Dcur = Dn;
    }
    free(D1);
    free(D2);
}

static void test_bitwise_reference(void **state)
{
    (void)state;
    /* Odd widths and n so the vectorised loops run their remainder iterations; exact zeros
     * and negative zeros in Z exercise the ReLU select (Z = -0.0 must give H = +0 and a
     * zeroed delta, as the reference does). */
    const size_t wl[5] = {7, 13, 9, 11, 5};
    const size_t n = 37;
    for (int a = 0; a < NACT; a++)
        for (size_t K = 1; K <= 4; K++)
            for (int bias = 0; bias <= 1; bias++) {
                uint64_t seed = 6000 + 100 * (uint64_t)a + 10 * K + (uint64_t)bias;
                size_t widths[5];
                for (size_t k = 0; k < K; k++)
                    widths[k] = wl[k];
                widths[K] = wl[4];
                num_mlp *net = num_mlp_alloc(K, widths, bias, all_acts[a]);
                num_mlp_work *w = num_mlp_work_alloc(net, n);
                assert_non_null(net);
                assert_non_null(w);
                size_t P = net->nparams, wK = widths[K];
                double *theta = malloc(P * sizeof(double)), *X = malloc(n * widths[0] * sizeof(double));
                double *dout = malloc(n * wK * sizeof(double)), *out = malloc(n * wK * sizeof(double));
                double *g = malloc(P * sizeof(double)), *gref = malloc(P * sizeof(double));
                double *Z[4], *H[4];
                for (size_t k = 0; k < K; k++) {
                    Z[k] = malloc(n * widths[k + 1] * sizeof(double));
                    H[k] = malloc(n * widths[k + 1] * sizeof(double));
                }
                gsl_rng *r = num_rng_alloc(seed);
                num_mlp_init_gaussian(net, theta, r, NULL);
                if (bias)
                    for (size_t k = 0; k < K; k++)
                        num_rng_gaussian(r, 0.3, num_mlp_b(net, theta, k), widths[k + 1]);
                num_rng_gaussian(r, 1.0, X, n * widths[0]);
                num_rng_gaussian(r, 1.0, dout, n * wK);
                gsl_rng_free(r);
                /* Row 0 of X all zero: without bias every Z of row 0 is exactly +-0. */
                memset(X, 0, widths[0] * sizeof(double));
                if (K > 1 && !bias) /* one exact negative zero in a pre-activation */
                    X[widths[0] + 0] = -0.0;
                assert_int_equal(num_mlp_forward(net, theta, X, n, w, out), NUM_OK);
                assert_int_equal(num_mlp_backward(net, theta, w, dout, g), NUM_OK);
                ref_passes(net, theta, X, n, dout, Z, H, gref);
                int ok = 1;
                for (size_t k = 1; k <= K; k++) {
                    size_t m = n * widths[k] * sizeof(double);
                    ok &= memcmp(num_mlp_preact(w, k), Z[k - 1], m) == 0;
                    if (k < K)
                        ok &= memcmp(num_mlp_act(w, k), H[k - 1], m) == 0;
                }
                ok &= memcmp(out, Z[K - 1], n * wK * sizeof(double)) == 0;
                ok &= memcmp(num_mlp_act(w, 0), X, n * widths[0] * sizeof(double)) == 0;
                if (!ok || memcmp(g, gref, P * sizeof(double)) != 0) {
                    for (size_t p = 0; p < P; p++)
                        if (memcmp(&g[p], &gref[p], sizeof(double)) != 0) {
                            fprintf(stderr, "seed %llu %s K=%zu bias=%d grad[%zu]: %.18g observed vs %.18g expected\n",
                                    (unsigned long long)seed, num_act_name(all_acts[a]), K, bias,
                                    p, g[p], gref[p]);
                            break;
                        }
                    fprintf(stderr, "seed %llu %s K=%zu bias=%d: activations bitwise equal: %d\n",
                            (unsigned long long)seed, num_act_name(all_acts[a]), K, bias, ok);
                    fail();
                }
                for (size_t k = 0; k < K; k++) {
                    free(Z[k]);
                    free(H[k]);
                }
                free(theta); free(X); free(dout); free(out); free(g); free(gref);
                num_mlp_work_free(w);
                num_mlp_free(net);
            }
}

/* num_mlp_act(w, 0) is the workspace's own copy of the input: the caller may overwrite or
 * free X between forward and backward, and the gradient does not change. */
static void test_input_copied(void **state)
{
    (void)state;
    fixture f = make(3, true, NUM_ACT_RELU, 6, 7000);
    size_t P = f.net->nparams, m = f.n * f.net->widths[0];
    double *g1 = malloc(P * sizeof(double)), *g2 = malloc(P * sizeof(double));
    double *dout = malloc(f.n * 3 * sizeof(double)), *X0 = malloc(m * sizeof(double));
    for (size_t i = 0; i < f.n * 3; i++)
        dout[i] = sin(1.0 + (double)i);
    memcpy(X0, f.X, m * sizeof(double));
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_OK);
    assert_int_equal(num_mlp_backward(f.net, f.theta, f.w, dout, g1), NUM_OK);
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_OK);
    assert_ptr_not_equal(num_mlp_act(f.w, 0), f.X);
    for (size_t i = 0; i < m; i++)
        f.X[i] = NAN;
    assert_memory_equal(num_mlp_act(f.w, 0), X0, m * sizeof(double));
    assert_int_equal(num_mlp_backward(f.net, f.theta, f.w, dout, g2), NUM_OK);
    assert_memory_equal(g1, g2, P * sizeof(double));
    free(g1); free(g2); free(dout); free(X0);
    unmake(&f);
}

/* A non-finite pre-activation in a hidden layer or the output layer is reported for every
 * activation, wherever it sits in the array (first / last column: the head and the remainder
 * of the vectorised check), including -Inf, which ReLU, softplus, sigmoid ... map to a
 * finite value. Afterwards backward refuses (no valid pass) and a clean pass works again. */
static void test_nonfinite_hidden(void **state)
{
    (void)state;
    const double bad[3] = {INFINITY, -INFINITY, NAN};
    for (int a = 0; a < NACT; a++) {
        fixture f = make(3, true, all_acts[a], 5, 8000 + (uint64_t)a);
        double g[512], dout[15] = {0};
        assert_true(f.net->nparams <= 512);
        for (size_t layer = 1; layer <= 3; layer++)
            for (int v = 0; v < 3; v++)
                for (int col = 0; col < 2; col++) {
                    double *b = num_mlp_b(f.net, f.theta, layer - 1);
                    size_t j = col ? f.net->widths[layer] - 1 : 0;
                    double keep = b[j];
                    b[j] = bad[v];
                    num_status st = num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL);
                    if (st != NUM_ENAN) {
                        fprintf(stderr, "%s layer %zu value %g column %zu: status %d observed vs NUM_ENAN\n",
                                num_act_name(all_acts[a]), layer, bad[v], j, (int)st);
                        fail();
                    }
                    assert_int_equal(num_mlp_backward(f.net, f.theta, f.w, dout, g), NUM_EINVAL);
                    b[j] = keep;
                    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_OK);
                }
        unmake(&f);
    }
}

/* A non-finite gradient is reported by num_mlp_backward (NUM_ENAN) wherever it comes from: an
 * Inf or NaN in any single entry of dout (every position, so the bad value reaches every lane
 * and the remainder of the partial-sum check), and a finite dout large enough that the
 * gradient overflows. A clean dout afterwards gives NUM_OK. */
static void test_nonfinite_gradient(void **state)
{
    (void)state;
    const double bad[3] = {INFINITY, -INFINITY, NAN};
    for (int a = 0; a < NACT; a++) {
        fixture f = make(3, true, all_acts[a], 5, 8100 + (uint64_t)a);
        size_t m = f.n * f.net->widths[3];
        double g[512], dout[15];
        assert_true(f.net->nparams <= 512 && m == 15);
        assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_OK);
        for (size_t i = 0; i < m; i++)
            for (int v = 0; v < 3; v++) {
                for (size_t j = 0; j < m; j++)
                    dout[j] = 0.1 * (double)j - 0.5;
                dout[i] = bad[v];
                num_status st = num_mlp_backward(f.net, f.theta, f.w, dout, g);
                if (st != NUM_ENAN) {
                    fprintf(stderr, "%s dout[%zu] = %g: status %d observed vs NUM_ENAN\n",
                            num_act_name(all_acts[a]), i, bad[v], (int)st);
                    fail();
                }
            }
        for (size_t j = 0; j < m; j++)
            dout[j] = 1e308;
        assert_int_equal(num_mlp_backward(f.net, f.theta, f.w, dout, g), NUM_ENAN);
        for (size_t j = 0; j < m; j++)
            dout[j] = 0.1 * (double)j - 0.5;
        assert_int_equal(num_mlp_backward(f.net, f.theta, f.w, dout, g), NUM_OK);
        unmake(&f);
    }
}

/* One non-finite pre-activation, alone, at every position of a layer of n x w = 3 x 7 (five
 * groups of the four partial sums of the finiteness check and a remainder of one): the single
 * overflow Z1[i][j] = 1e308 * 2 = Inf while every other entry is 0 or 1e308 * 0.5. K = 1 puts
 * it in the output layer, K = 2 in a hidden layer; NUM_ENAN for every position. */
static void test_nonfinite_single(void **state)
{
    (void)state;
    const size_t n = 3, w1 = 7;
    const num_act acts[3] = {NUM_ACT_LINEAR, NUM_ACT_RELU, NUM_ACT_TANH};
    for (size_t K = 1; K <= 2; K++)
        for (int a = 0; a < 3; a++) {
            size_t widths[3] = {2, w1, 2};
            num_mlp *net = num_mlp_alloc(K, widths, false, acts[a]);
            num_mlp_work *w = num_mlp_work_alloc(net, n);
            assert_non_null(net);
            assert_non_null(w);
            double *theta = calloc(net->nparams, sizeof(double)), X[6];
            assert_non_null(theta);
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < w1; j++) {
                    for (size_t q = 0; q < w1; q++) /* W1[q][0] */
                        theta[q * 2] = q == j ? 2.0 : 0.5;
                    memset(X, 0, sizeof X);
                    X[i * 2] = 1e308;
                    num_status st = num_mlp_forward(net, theta, X, n, w, NULL);
                    if (st != NUM_ENAN) {
                        fprintf(stderr, "K=%zu %s Inf at Z1[%zu][%zu]: status %d observed "
                                        "vs NUM_ENAN\n",
                                K, num_act_name(acts[a]), i, j, (int)st);
                        fail();
                    }
                }
            memset(X, 0, sizeof X); /* the same network on finite data: NUM_OK */
            X[0] = 1.0;
            assert_int_equal(num_mlp_forward(net, theta, X, n, w, NULL), NUM_OK);
            free(theta);
            num_mlp_work_free(w);
            num_mlp_free(net);
        }
}

/* ---- failure modes -------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    fixture f = make(3, true, NUM_ACT_RELU, 4, 5000);
    double g[512];
    assert_true(f.net->nparams <= 512);
    /* backward before any forward pass */
    double dout[12] = {0};
    assert_int_equal(num_mlp_backward(f.net, f.theta, f.w, dout, g), NUM_EINVAL);
    /* too many rows */
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, 5, f.w, NULL), NUM_EINVAL);
    /* NaN in the first layer is reported even though ReLU would map it to 0 */
    f.theta[0] = NAN;
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_ENAN);
    f.theta[0] = 1e308;
    f.X[0] = 1e308;
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_ENAN);
    unmake(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_act_derivatives), cmocka_unit_test(test_act_tails),
        cmocka_unit_test(test_act_names),
        cmocka_unit_test(test_layout_and_norms), cmocka_unit_test(test_forward_naive),
        cmocka_unit_test(test_gradient_fd),      cmocka_unit_test(test_jacobian),
        cmocka_unit_test(test_homogeneity),      cmocka_unit_test(test_errors),
        cmocka_unit_test(test_bitwise_reference), cmocka_unit_test(test_input_copied),
        cmocka_unit_test(test_nonfinite_hidden), cmocka_unit_test(test_nonfinite_gradient),
        cmocka_unit_test(test_nonfinite_single),
    };
    return TC_RUN("numerics/mlp", tests);
}
