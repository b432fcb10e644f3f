/* tests/unit/test_mlp.c — numerics/mlp against independent computations.
 *
 * - activations: f' and f'' against central differences, no overflow at |z| up to 1e300;
 * - forward: against a naive per-sample loop built from num_act_eval;
 * - backward: the gradient of L = sum_ij C_ij out_ij against central differences of L, for
 *   every activation, depth 1..4, with and without bias;
 * - Jacobian: against central differences of the outputs, and J^T C = backward(C);
 * - positive homogeneity (003 eq. (1)): for ReLU / linear networks without bias, every layer
 *   k and every output, sum_ij W_k,ij d f / d W_k,ij = f(x); tanh must violate it (the test
 *   can fail).
 * Seeds are fixed and printed on failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        cmocka_unit_test(test_act_derivatives), cmocka_unit_test(test_act_names),
        cmocka_unit_test(test_layout_and_norms), cmocka_unit_test(test_forward_naive),
        cmocka_unit_test(test_gradient_fd),      cmocka_unit_test(test_jacobian),
        cmocka_unit_test(test_homogeneity),      cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
