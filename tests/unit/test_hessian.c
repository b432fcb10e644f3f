/* tests/unit/test_hessian.c — numerics/hessian and numerics/zeroloss against independent
 * computations.
 *
 * - Hessian-vector products against central differences of the ANALYTIC gradient computed by
 *   numerics/mlp (an independent back-propagation), for every activation, depth 1..4, with and
 *   without bias, square and exponential loss, with and without weight decay;
 * - the full Hessian: symmetric to rounding; independent of the block size; unit-vector
 *   columns against central differences; the deliberate fault (one perturbed entry) is caught;
 * - the Gauss–Newton identity (003 eq. (28)): at a zero-loss point of the square loss
 *   H = J^T J with J from num_mlp_jacobian;
 * - one-layer f(w^T x) with exponential loss against the closed form of 003 eq. (44):
 *   H = sum_n exp(-y_n f_n) (f'^2 - y_n f'') x_n x_n^T;
 * - weight decay adds exactly 2 lambda_k I on the W_k blocks; exp_shift scales by exp(shift);
 * - zero-loss points: least-squares output layer, GD + Levenberg–Marquardt reach a residual at
 *   the rounding floor (recomputed independently);
 * - damped Newton on a regularised loss reaches a stationary point (gradient recomputed by
 *   numerics/mlp).
 * Seeds are fixed and printed on failure.
 */

#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/hessian.h"
#include "numerics/linalg.h"
#include "numerics/mlp.h"
#include "numerics/rng.h"
#include "numerics/zeroloss.h"

#define CHECK_LE(obs, bound, what, seed)                                                      \
    do {                                                                                      \
        double o_ = (obs), b_ = (bound);                                                      \
        if (!(o_ <= b_)) {                                                                    \
            print_message("%s (seed %llu): %.18g observed vs bound %.18g\n", (what),          \
                          (unsigned long long)(seed), o_, b_);                                \
            fail();                                                                           \
        }                                                                                     \
    } while (0)

#define NACT 7
static const num_act all_acts[NACT] = {NUM_ACT_LINEAR, NUM_ACT_RELU, NUM_ACT_TANH,
                                       NUM_ACT_ERF, NUM_ACT_SOFTPLUS, NUM_ACT_SIGMOID,
                                       NUM_ACT_SMOOTH_RELU};

typedef struct {
    num_mlp *net;
    num_mlp_work *w;
    double *theta, *X, *Y;
    size_t n, P;
} fixture;

/* Network with K layers, input 4, hidden widths 5,6,4, output dout; n samples; Gaussian
 * weights, biases N(0, 0.3^2) if bias; Y: Gaussian targets (square) or +-1 labels (dout 1). */
static fixture make(size_t K, size_t dout, bool bias, num_act act, size_t n, uint64_t seed,
                    bool labels)
{
    static const size_t hidden[3] = {5, 6, 4};
    size_t widths[5];
    widths[0] = 4;
    for (size_t k = 1; k < K; k++)
        widths[k] = hidden[k - 1];
    widths[K] = dout;
    fixture f;
    f.net = num_mlp_alloc(K, widths, bias, act);
    assert_non_null(f.net);
    f.w = num_mlp_work_alloc(f.net, n);
    assert_non_null(f.w);
    f.n = n;
    f.P = f.net->nparams;
    f.theta = malloc(f.P * sizeof(double));
    f.X = malloc(n * widths[0] * sizeof(double));
    f.Y = malloc(n * dout * sizeof(double));
    gsl_rng *r = num_rng_alloc(seed);
    num_mlp_init_gaussian(f.net, f.theta, r, NULL);
    if (bias)
        for (size_t k = 0; k < K; k++)
            num_rng_gaussian(r, 0.3, num_mlp_b(f.net, f.theta, k), widths[k + 1]);
    num_rng_gaussian(r, 1.0, f.X, n * widths[0]);
    num_rng_gaussian(r, 1.0, f.Y, n * dout);
    if (labels)
        for (size_t i = 0; i < n * dout; i++)
            f.Y[i] = f.Y[i] >= 0.0 ? 1.0 : -1.0;
    gsl_rng_free(r);
    return f;
}

static void unmake(fixture *f)
{
    free(f->theta);
    free(f->X);
    free(f->Y);
    num_mlp_work_free(f->w);
    num_mlp_free(f->net);
}

/* Gradient of the loss of `o` by numerics/mlp's back-propagation (independent of hessian.c). */
static void mlp_gradient(const fixture *f, const double *theta, const num_hess_opts *o,
                         double *g)
{
    size_t K = f->net->nlayers, dout = f->net->widths[K];
    double *out = malloc(f->n * dout * sizeof *out);
    assert_int_equal(num_mlp_forward(f->net, theta, f->X, f->n, f->w, out), NUM_OK);
    for (size_t i = 0; i < f->n * dout; i++)
        out[i] = o->loss == NUM_HESS_SQUARE
                     ? out[i] - f->Y[i]
                     : -f->Y[i] * exp(-f->Y[i] * out[i] + o->exp_shift);
    assert_int_equal(num_mlp_backward(f->net, theta, f->w, out, g), NUM_OK);
    if (o->decay)
        for (size_t k = 0; k < K; k++)
            for (size_t q = 0; q < f->net->widths[k] * f->net->widths[k + 1]; q++)
                g[f->net->off_w[k] + q] += 2.0 * o->decay[k] * theta[f->net->off_w[k] + q];
    free(out);
}

/* Central difference of the gradient along v: (g(theta + h v) - g(theta - h v)) / 2h. */
static void fd_hvp(const fixture *f, const num_hess_opts *o, const double *v, double h,
                   double *out)
{
    double *tp = malloc(f->P * sizeof *tp), *gp = malloc(f->P * sizeof *gp);
    double *gm = malloc(f->P * sizeof *gm);
    for (size_t p = 0; p < f->P; p++)
        tp[p] = f->theta[p] + h * v[p];
    mlp_gradient(f, tp, o, gp);
    for (size_t p = 0; p < f->P; p++)
        tp[p] = f->theta[p] - h * v[p];
    mlp_gradient(f, tp, o, gm);
    for (size_t p = 0; p < f->P; p++)
        out[p] = (gp[p] - gm[p]) / (2.0 * h);
    free(tp);
    free(gp);
    free(gm);
}

/* Smallest |pre-activation| over the hidden layers (ReLU kinks must be far from the probe). */
static double min_abs_preact(const fixture *f)
{
    assert_int_equal(num_mlp_forward(f->net, f->theta, f->X, f->n, f->w, NULL), NUM_OK);
    double m = INFINITY;
    for (size_t k = 1; k < f->net->nlayers; k++) {
        const double *Z = num_mlp_preact(f->w, k);
        for (size_t i = 0; i < f->n * f->net->widths[k]; i++)
            if (fabs(Z[i]) < m)
                m = fabs(Z[i]);
    }
    return m;
}

static double max_abs(size_t m, const double *x)
{
    double a = 0.0;
    for (size_t i = 0; i < m; i++)
        if (fabs(x[i]) > a)
            a = fabs(x[i]);
    return a;
}

/* Central differences with h = 1e-4 and ||v||_2 = 1: truncation h^2 |D^3 L| / 6 ~ 2e-9 for
 * third derivatives of order 1e0..1e1 (unit-scale weights and data), rounding
 * eps |g| / h ~ 1e-12 |g|. The bound 1e-6 (1 + |Hv|_inf + |g|_inf) leaves two decades of
 * margin above both and is six decades below an O(1) error in any term of the R-operator. */
#define FD_H 1e-4
#define FD_TOL 1e-6

static void check_hvp_fd(size_t K, bool bias, num_act act, num_hess_loss loss, bool decay,
                         uint64_t seed)
{
    fixture f = make(K, loss == NUM_HESS_EXP ? 1 : 3, bias, act, 7, seed, loss == NUM_HESS_EXP);
    /* The ReLU second derivative is 0 a.e.; the central difference is valid if no hidden
     * pre-activation crosses zero within h |v|_inf * (|x| + |theta|) ~ 1e-3. */
    if (act == NUM_ACT_RELU && min_abs_preact(&f) < 1e-2) {
        unmake(&f);
        check_hvp_fd(K, bias, act, loss, decay, seed + 1000);
        return;
    }
    double lam[4] = {0.3, 0.01, 0.2, 0.05};
    num_hess_opts o = {.loss = loss, .decay = decay ? lam : NULL, .exp_shift = 0.0};
    /* The smooth ReLU varies on the length scale eps^2 (its k-th derivative ~ eps^{-2(k-1)}):
     * the probe is scaled with it so the truncation error stays h^2 |D^3 L| / 6 ~ 1e-8. */
    double h = act == NUM_ACT_SMOOTH_RELU ? FD_H * f.net->act_eps * f.net->act_eps : FD_H;
    num_hess_work *hw = num_hessian_work_alloc(f.net, f.n, 4);
    assert_non_null(hw);
    double *V = malloc(3 * f.P * sizeof *V), *HV = malloc(3 * f.P * sizeof *HV);
    double *fd = malloc(f.P * sizeof *fd), *g = malloc(f.P * sizeof *g);
    double *g2 = malloc(f.P * sizeof *g2);
    gsl_rng *r = num_rng_alloc(seed ^ 0x5eedULL);
    for (size_t b = 0; b < 3; b++)
        num_rng_unit_vector(r, V + b * f.P, f.P);
    gsl_rng_free(r);
    double L = 0.0;
    assert_int_equal(num_hessian_prepare(hw, f.theta, f.X, f.Y, f.n, &o, &L, g), NUM_OK);
    /* The gradient of the prepare pass agrees with numerics/mlp's. */
    mlp_gradient(&f, f.theta, &o, g2);
    for (size_t p = 0; p < f.P; p++)
        CHECK_LE(fabs(g[p] - g2[p]), 1e-12 * (1.0 + max_abs(f.P, g2)), "gradient", seed);
    assert_int_equal(num_hessian_hvp(hw, 3, V, HV), NUM_OK);
    double gmax = max_abs(f.P, g2);
    for (size_t b = 0; b < 3; b++) {
        fd_hvp(&f, &o, V + b * f.P, h, fd);
        double err = 0.0;
        for (size_t p = 0; p < f.P; p++)
            if (fabs(HV[b * f.P + p] - fd[p]) > err)
                err = fabs(HV[b * f.P + p] - fd[p]);
        char what[160];
        snprintf(what, sizeof what, "Hv vs central differences K=%zu bias=%d act=%s loss=%d "
                 "decay=%d dir=%zu", K, (int)bias, num_act_name(act), (int)loss, (int)decay, b);
        CHECK_LE(err, FD_TOL * (1.0 + max_abs(f.P, HV + b * f.P) + gmax), what, seed);
    }
    free(V);
    free(HV);
    free(fd);
    free(g);
    free(g2);
    num_hessian_work_free(hw);
    unmake(&f);
}

static void test_hvp_square(void **state)
{
    (void)state;
    for (int a = 0; a < NACT; a++)
        for (size_t K = 1; K <= 4; K++)
            for (int bias = 0; bias <= 1; bias++)
                check_hvp_fd(K, bias, all_acts[a], NUM_HESS_SQUARE, K % 2 == 0,
                             100 + 10 * (uint64_t)a + K);
}

static void test_hvp_exp(void **state)
{
    (void)state;
    for (int a = 0; a < NACT; a++)
        for (size_t K = 1; K <= 4; K++)
            for (int bias = 0; bias <= 1; bias++)
                check_hvp_fd(K, bias, all_acts[a], NUM_HESS_EXP, K % 2 == 1,
                             300 + 10 * (uint64_t)a + K);
}

/* Full Hessian: symmetric to rounding, block size does not matter, columns match central
 * differences, and a deliberately perturbed entry is detected by the same comparison. */
static void test_full_hessian(void **state)
{
    (void)state;
    const uint64_t seed = 7;
    fixture f = make(3, 2, true, NUM_ACT_TANH, 9, seed, false);
    num_hess_opts o = {.loss = NUM_HESS_SQUARE};
    size_t P = f.P;
    double *H1 = malloc(P * P * sizeof *H1), *H7 = malloc(P * P * sizeof *H7);
    double *fd = malloc(P * sizeof *fd), *e = calloc(P, sizeof *e);
    num_hess_work *w1 = num_hessian_work_alloc(f.net, f.n, 1);
    num_hess_work *w7 = num_hessian_work_alloc(f.net, f.n, 7);
    double asym = 1.0;
    assert_int_equal(num_hessian_full(w1, f.theta, f.X, f.Y, f.n, &o, 0, P, H1, &asym), NUM_OK);
    /* Each entry is computed twice (H_ij from column j, H_ji from column i) along different
     * operation orders: they agree to a few hundred ulps of max |H|. */
    CHECK_LE(asym, 1e3 * DBL_EPSILON, "asymmetry", seed);
    assert_int_equal(num_hessian_full(w7, f.theta, f.X, f.Y, f.n, &o, 0, P, H7, NULL), NUM_OK);
    double hmax = max_abs(P * P, H1);
    for (size_t i = 0; i < P * P; i++)
        CHECK_LE(fabs(H1[i] - H7[i]), 1e3 * DBL_EPSILON * hmax, "block size 1 vs 7", seed);
    double err = 0.0;
    for (size_t j = 0; j < P; j++) {
        e[j] = 1.0;
        fd_hvp(&f, &o, e, FD_H, fd);
        e[j] = 0.0;
        for (size_t i = 0; i < P; i++)
            if (fabs(H1[i * P + j] - fd[i]) > err)
                err = fabs(H1[i * P + j] - fd[i]);
    }
    CHECK_LE(err, FD_TOL * (1.0 + hmax), "full Hessian vs central differences", seed);
    /* Injected fault: an error of 1e-4 relative in one entry must exceed the bound. */
    H1[3 * P + 5] += 1e-4 * (1.0 + hmax);
    e[5] = 1.0;
    fd_hvp(&f, &o, e, FD_H, fd);
    assert_true(fabs(H1[3 * P + 5] - fd[3]) > FD_TOL * (1.0 + hmax));
    /* A sub-block equals the corresponding part of the full matrix. */
    size_t p0 = f.net->off_w[1], p1 = f.net->off_w[2], m = p1 - p0;
    double *Hb = malloc(m * m * sizeof *Hb);
    assert_int_equal(num_hessian_full(w7, f.theta, f.X, f.Y, f.n, &o, p0, p1, Hb, NULL),
                     NUM_OK);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            CHECK_LE(fabs(Hb[i * m + j] - H7[(p0 + i) * P + p0 + j]), 1e3 * DBL_EPSILON * hmax,
                     "sub-block", seed);
    free(Hb);
    free(H1);
    free(H7);
    free(fd);
    free(e);
    num_hessian_work_free(w1);
    num_hessian_work_free(w7);
    unmake(&f);
}

/* 003 eq. (28): at a zero-loss point H = sum_n J_n^T J_n. Zero loss from random hidden layers
 * and the least-squares output layer (N_{K-1} = 12 >= n = 8). */
static void test_gauss_newton_identity(void **state)
{
    (void)state;
    const uint64_t seed = 11;
    const size_t widths[4] = {4, 10, 12, 2}, n = 8;
    num_act acts[3] = {NUM_ACT_TANH, NUM_ACT_RELU, NUM_ACT_SOFTPLUS};
    for (int a = 0; a < 3; a++) {
        num_mlp *net = num_mlp_alloc(3, widths, false, acts[a]);
        size_t P = net->nparams, m = n * widths[3];
        num_mlp_work *w = num_mlp_work_alloc(net, n);
        double *theta = malloc(P * sizeof *theta), *X = malloc(n * 4 * sizeof *X);
        double *Y = malloc(m * sizeof *Y);
        gsl_rng *r = num_rng_alloc(seed + (uint64_t)a);
        num_mlp_init_gaussian(net, theta, r, NULL);
        num_rng_gaussian(r, 1.0, X, n * 4);
        num_rng_gaussian(r, 1.0, Y, m);
        gsl_rng_free(r);
        size_t rank = 0;
        assert_int_equal(num_zeroloss_lstsq_output(net, theta, X, Y, n, w, &rank), NUM_OK);
        assert_int_equal(rank, n);
        double res = 1.0;
        assert_int_equal(num_zeroloss_residual(net, theta, X, Y, n, w, NULL, &res, NULL),
                         NUM_OK);
        double S = num_zeroloss_output_scale(net, theta, w, n);
        /* Rounding floor of the output: gamma_{N+1} S (Higham eq. (3.5)), N = 12, times 3
         * layers of propagated error: 3 * 13 eps S. */
        CHECK_LE(res, 3.0 * 13.0 * DBL_EPSILON * S, "least-squares zero loss", seed);
        double *J = malloc(m * P * sizeof *J), *G = malloc(P * P * sizeof *G);
        double *H = malloc(P * P * sizeof *H);
        assert_int_equal(num_mlp_forward(net, theta, X, n, w, NULL), NUM_OK);
        assert_int_equal(num_mlp_jacobian(net, theta, w, J), NUM_OK);
        assert_int_equal(num_linalg_gram(m, P, J, G), NUM_OK);
        num_hess_work *hw = num_hessian_work_alloc(net, n, 16);
        num_hess_opts o = {.loss = NUM_HESS_SQUARE};
        assert_int_equal(num_hessian_full(hw, theta, X, Y, n, &o, 0, P, H, NULL), NUM_OK);
        double gmax = max_abs(P * P, G), err = 0.0;
        for (size_t i = 0; i < P * P; i++)
            if (fabs(H[i] - G[i]) > err)
                err = fabs(H[i] - G[i]);
        /* Left: the residual term sum_n r_n grad^2 f_n, with |r| ~ 1e-15, plus rounding of
         * sums of n P products: n P eps max|H| ~ 3e-12 relative. */
        CHECK_LE(err, (double)(n * P) * DBL_EPSILON * gmax, "H - J^T J", seed);
        /* Away from zero loss the identity must fail (the test can fail). */
        for (size_t i = 0; i < m; i++)
            Y[i] += 0.5;
        assert_int_equal(num_hessian_full(hw, theta, X, Y, n, &o, 0, P, H, NULL), NUM_OK);
        err = 0.0;
        for (size_t i = 0; i < P * P; i++)
            if (fabs(H[i] - G[i]) > err)
                err = fabs(H[i] - G[i]);
        assert_true(err > 1e-6 * gmax);
        num_hessian_work_free(hw);
        free(J);
        free(G);
        free(H);
        free(theta);
        free(X);
        free(Y);
        num_mlp_work_free(w);
        num_mlp_free(net);
    }
}

/* 003 eq. (44): f = sigma(w^T x) (net d -> 1 -> 1 with W_2 = 1, Hessian block of W_1) under
 * the exponential loss: H = sum_n e^{-y_n f_n} (f'_n^2 - y_n f''_n) x_n x_n^T. */
static void test_one_layer_closed_form(void **state)
{
    (void)state;
    const uint64_t seed = 21;
    const size_t d = 5, n = 9, widths[3] = {5, 1, 1};
    num_act acts[3] = {NUM_ACT_TANH, NUM_ACT_ERF, NUM_ACT_SMOOTH_RELU};
    for (int a = 0; a < 3; a++) {
        num_mlp *net = num_mlp_alloc(2, widths, false, acts[a]);
        double theta[6], X[45], y[9], H[25], Hc[25] = {0};
        gsl_rng *r = num_rng_alloc(seed);
        num_rng_gaussian(r, 0.7, theta, d);
        theta[d] = 1.0;
        num_rng_gaussian(r, 1.0, X, n * d);
        num_rng_gaussian(r, 1.0, y, n);
        gsl_rng_free(r);
        for (size_t s = 0; s < n; s++)
            y[s] = y[s] >= 0 ? 1.0 : -1.0;
        for (size_t s = 0; s < n; s++) {
            double z = cblas_ddot((int)d, theta, 1, X + s * d, 1), f, df, d2f;
            num_act_eval(acts[a], net->act_eps, z, &f, &df, &d2f);
            double c = exp(-y[s] * f) * (df * df - y[s] * d2f);
            cblas_dsyr(CblasRowMajor, CblasUpper, (int)d, c, X + s * d, 1, Hc, (int)d);
        }
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < i; j++)
                Hc[i * d + j] = Hc[j * d + i];
        num_hess_work *hw = num_hessian_work_alloc(net, n, 3);
        num_hess_opts o = {.loss = NUM_HESS_EXP};
        assert_int_equal(num_hessian_full(hw, theta, X, y, n, &o, 0, d, H, NULL), NUM_OK);
        double hmax = max_abs(d * d, Hc);
        for (size_t i = 0; i < d * d; i++)
            CHECK_LE(fabs(H[i] - Hc[i]), 64.0 * (double)n * DBL_EPSILON * hmax,
                     "one-layer closed form (44)", seed);
        /* exp_shift multiplies the data term by exp(shift). */
        o.exp_shift = 3.0;
        double Hs[25];
        assert_int_equal(num_hessian_full(hw, theta, X, y, n, &o, 0, d, Hs, NULL), NUM_OK);
        for (size_t i = 0; i < d * d; i++)
            CHECK_LE(fabs(Hs[i] - exp(3.0) * H[i]), 64.0 * (double)n * DBL_EPSILON * 20.0 * hmax,
                     "exp_shift", seed);
        num_hessian_work_free(hw);
        num_mlp_free(net);
    }
}

/* eq. (44) deep in the saturated tail of tanh: every |w^T x_n| in [20, 60], where 1 - tanh^2
 * is exactly 0 and the Hessian used to underflow to 0. Closed form in long double with
 * sech^2 = 1/cosh^2: H = sum_n e^{-y_n f_n + m} (f'^2 - y_n f'') x_n x_n^T, m the smallest
 * margin (exp_shift). The dominant terms are e^{-40}..e^{-120}, far inside the normal range:
 * the R-operator Hessian must match to 64 n eps of its largest entry. */
static void test_one_layer_saturated(void **state)
{
    (void)state;
    const uint64_t seed = 33;
    const size_t d = 4, n = 6, widths[3] = {4, 1, 1};
    num_mlp *net = num_mlp_alloc(2, widths, false, NUM_ACT_TANH);
    double theta[5] = {1.0, 0.0, 0.0, 0.0, 1.0}, X[24], y[6], H[16];
    long double Hc[16] = {0};
    gsl_rng *r = num_rng_alloc(seed);
    num_rng_gaussian(r, 1.0, X, n * d);
    gsl_rng_free(r);
    double m = INFINITY;
    for (size_t s = 0; s < n; s++) { /* first coordinate in +-[20, 60]: z = x_0 */
        double u = fabs(X[s * d]);
        X[s * d] = (s % 2 ? -1.0 : 1.0) * (20.0 + 40.0 * (u - floor(u)));
        y[s] = s % 2 ? -1.0 : 1.0; /* correctly classified: margin tanh|z| */
        double mg = y[s] * tanh(X[s * d]);
        m = mg < m ? mg : m;
    }
    for (size_t s = 0; s < n; s++) {
        long double z = X[s * d], ch = coshl(z), fp = 1.0L / (ch * ch);
        long double fpp = -2.0L * tanhl(z) * fp;
        long double c = expl(-(long double)y[s] * tanhl(z) + m) * (fp * fp - y[s] * fpp);
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < d; j++)
                Hc[i * d + j] += c * X[s * d + i] * X[s * d + j];
    }
    num_hess_work *hw = num_hessian_work_alloc(net, n, 4);
    num_hess_opts o = {.loss = NUM_HESS_EXP, .exp_shift = m};
    assert_int_equal(num_hessian_full(hw, theta, X, y, n, &o, 0, d, H, NULL), NUM_OK);
    double hmax = 0.0;
    for (size_t i = 0; i < d * d; i++)
        hmax = fmax(hmax, (double)fabsl(Hc[i]));
    CHECK_LE(1e-300, hmax, "closed-form Hessian representable", seed);
    for (size_t i = 0; i < d * d; i++)
        CHECK_LE(fabs(H[i] - (double)Hc[i]), 64.0 * (double)n * DBL_EPSILON * hmax,
                 "saturated one-layer closed form (44)", seed);
    num_hessian_work_free(hw);
    num_mlp_free(net);
}

/* Weight decay lambda_k ||W_k||^2 adds exactly 2 lambda_k I on the W_k blocks (biases not
 * penalised). */
static void test_decay_shift(void **state)
{
    (void)state;
    const uint64_t seed = 31;
    fixture f = make(3, 2, true, NUM_ACT_SIGMOID, 6, seed, false);
    size_t P = f.P;
    double lam[3] = {1e-2, 1e-5, 1e-8};
    num_hess_opts o0 = {.loss = NUM_HESS_SQUARE}, o1 = {.loss = NUM_HESS_SQUARE, .decay = lam};
    double *H0 = malloc(P * P * sizeof *H0), *H1 = malloc(P * P * sizeof *H1);
    num_hess_work *hw = num_hessian_work_alloc(f.net, f.n, 5);
    assert_int_equal(num_hessian_full(hw, f.theta, f.X, f.Y, f.n, &o0, 0, P, H0, NULL), NUM_OK);
    assert_int_equal(num_hessian_full(hw, f.theta, f.X, f.Y, f.n, &o1, 0, P, H1, NULL), NUM_OK);
    double hmax = max_abs(P * P, H0);
    for (size_t i = 0; i < P; i++)
        for (size_t j = 0; j < P; j++) {
            double expect = 0.0;
            if (i == j)
                for (size_t k = 0; k < 3; k++)
                    if (i >= f.net->off_w[k] && i < f.net->off_b[k])
                        expect = 2.0 * lam[k];
            CHECK_LE(fabs(H1[i * P + j] - H0[i * P + j] - expect), 4.0 * DBL_EPSILON * hmax,
                     "decay adds 2 lambda I", seed);
        }
    free(H0);
    free(H1);
    num_hessian_work_free(hw);
    unmake(&f);
}

/* GD then Levenberg–Marquardt to the rounding floor, on a network whose last hidden layer is
 * narrower than n (the least-squares construction does not apply). */
static void test_gd_lm(void **state)
{
    (void)state;
    const uint64_t seed = 41;
    const size_t widths[4] = {3, 8, 6, 1}, n = 12;
    num_mlp *net = num_mlp_alloc(3, widths, false, NUM_ACT_TANH);
    size_t P = net->nparams;
    num_mlp_work *w = num_mlp_work_alloc(net, n);
    double *theta = malloc(P * sizeof *theta), X[36], Y[12];
    gsl_rng *r = num_rng_alloc(seed);
    num_mlp_init_gaussian(net, theta, r, NULL);
    num_rng_gaussian(r, 1.0, X, 36);
    num_rng_gaussian(r, 1.0, Y, 12);
    gsl_rng_free(r);
    double L0 = 0.0, L1 = 0.0;
    assert_int_equal(num_zeroloss_residual(net, theta, X, Y, n, w, NULL, NULL, &L0), NUM_OK);
    assert_int_equal(num_zeroloss_gd(net, theta, X, Y, n, 0.02, 300, w, &L1), NUM_OK);
    CHECK_LE(L1, L0, "GD decreases the loss", seed);
    num_zeroloss_stats st;
    assert_int_equal(num_zeroloss_residual(net, theta, X, Y, n, w, NULL, NULL, NULL), NUM_OK);
    double S = num_zeroloss_output_scale(net, theta, w, n);
    double tol = 3.0 * 7.0 * DBL_EPSILON * (S > 1.0 ? S : 1.0);
    assert_int_equal(num_zeroloss_lm(net, theta, X, Y, n, tol, 200, w, &st), NUM_OK);
    /* Independent recomputation of the residual. */
    double out[12], rmax = 0.0;
    assert_int_equal(num_mlp_forward(net, theta, X, n, w, out), NUM_OK);
    for (size_t i = 0; i < n; i++)
        if (fabs(out[i] - Y[i]) > rmax)
            rmax = fabs(out[i] - Y[i]);
    CHECK_LE(rmax, tol, "LM residual", seed);
    assert_true(st.iters >= 1 && st.iters <= 200);
    /* An impossible target (two equal inputs, different targets) must not converge. */
    memcpy(X + 3, X, 3 * sizeof *X);
    Y[1] = Y[0] + 1.0;
    assert_int_equal(num_zeroloss_lm(net, theta, X, Y, n, tol, 30, w, &st), NUM_ENOCONV);
    free(theta);
    num_mlp_work_free(w);
    num_mlp_free(net);
}

/* Damped Newton on the weight-decayed square loss reaches a stationary point: the gradient is
 * recomputed by numerics/mlp. */
static void test_minimise(void **state)
{
    (void)state;
    const uint64_t seed = 51;
    fixture f = make(2, 1, false, NUM_ACT_TANH, 4, seed, false);
    double lam[2] = {1e-3, 1e-3};
    num_hess_opts o = {.loss = NUM_HESS_SQUARE, .decay = lam};
    num_hess_work *hw = num_hessian_work_alloc(f.net, f.n, 8);
    size_t it = 0;
    double gn = 1.0, *g = malloc(f.P * sizeof *g);
    assert_int_equal(num_hessian_minimise(hw, f.theta, f.X, f.Y, f.n, &o, 1e-12, 200, &it, &gn),
                     NUM_OK);
    mlp_gradient(&f, f.theta, &o, g);
    CHECK_LE(cblas_dnrm2((int)f.P, g, 1), 1e-11, "gradient at the Newton minimiser", seed);
    double *H = malloc(f.P * f.P * sizeof *H), *ev = malloc(f.P * sizeof *ev);
    assert_int_equal(num_hessian_full(hw, f.theta, f.X, f.Y, f.n, &o, 0, f.P, H, NULL), NUM_OK);
    assert_int_equal(num_linalg_eigh(f.P, H, ev, NULL), NUM_OK);
    assert_true(ev[0] > 0.0); /* a strict local minimiser */
    free(H);
    free(ev);
    free(g);
    num_hessian_work_free(hw);
    unmake(&f);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    fixture f = make(2, 2, false, NUM_ACT_TANH, 3, 61, false);
    num_hess_work *hw = num_hessian_work_alloc(f.net, f.n, 2);
    num_hess_opts o = {.loss = NUM_HESS_EXP};
    /* Exponential loss needs one output. */
    assert_int_equal(num_hessian_prepare(hw, f.theta, f.X, f.Y, f.n, &o, NULL, NULL),
                     NUM_EINVAL);
    o.loss = NUM_HESS_SQUARE;
    assert_int_equal(num_hessian_prepare(hw, f.theta, f.X, f.Y, f.n + 1, &o, NULL, NULL),
                     NUM_EINVAL);
    double lam[2] = {-1.0, 0.0};
    o.decay = lam;
    assert_int_equal(num_hessian_prepare(hw, f.theta, f.X, f.Y, f.n, &o, NULL, NULL),
                     NUM_EINVAL);
    assert_null(num_hessian_work_alloc(f.net, 0, 2));
    num_hessian_work_free(hw);
    unmake(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hvp_square),
        cmocka_unit_test(test_hvp_exp),
        cmocka_unit_test(test_full_hessian),
        cmocka_unit_test(test_gauss_newton_identity),
        cmocka_unit_test(test_one_layer_closed_form),
        cmocka_unit_test(test_one_layer_saturated),
        cmocka_unit_test(test_decay_shift),
        cmocka_unit_test(test_gd_lm),
        cmocka_unit_test(test_minimise),
        cmocka_unit_test(test_bad_arguments),
    };
    return TC_RUN("numerics/hessian", tests);
}
