/* tests/unit/test_hessian_counts.c — the kernels that moved out of the hessian claims
 * (numerics/hessian_counts, num_zeroloss_tol, num_zeroloss_gd_lm, num_hessian_saddle_step),
 * each against a computation that does not use it:
 *
 * - the zero-loss floor against the residual and the absolute-value output pass recomputed
 *   from a forward pass by hand;
 * - GD + LM: the residual recomputed from a forward pass is below the floor, the step is
 *   1 / sigma_max(J_0)^2 times a power of 1/2, contradictory data does not converge;
 * - the saddle step at theta = 0 of a tanh network (stationary, indefinite Hessian): the loss
 *   recomputed by a forward pass decreases, the step is a power of 1/2 long; at a strict
 *   minimiser it refuses and leaves theta alone;
 * - the square-point analysis at a teacher point: eigenvalues sum to ||J||_F^2 (the trace of
 *   J^T J, summed by hand), P - n d' zeros, rank J = n d', the W_1 block rank;
 * - exponential-loss counts of the one-layer model against the n x n Gram form of eq. (44)
 *   (its nonzero eigenvalues are those of C^(1/2) X X^T C^(1/2), C the sample curvatures);
 * - the representable scale against a long-double closed form of tanh' and tanh'';
 * - the ReLU pattern nullity against P - rank J from the Jacobian (P - rank J = N + nullity),
 *   for a generic and a dead-unit teacher; genericity implies P - rank J = N.
 * Seeds are fixed; every tolerance is justified where it is used.
 */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include "numerics/hessian.h"
#include "numerics/hessian_counts.h"
#include "numerics/linalg.h"
#include "numerics/mlp.h"
#include "numerics/rng.h"
#include "numerics/zeroloss.h"

typedef struct {
    num_mlp *net;
    num_mlp_work *w;
    double *theta, *X, *Y;
    size_t n, P, d, dout;
} fixture;

/* A bias-free network with the given widths, Gaussian weights, X ~ N(0, 1); Y ~ N(0, 1), or
 * the teacher targets f(theta; X) if teacher. */
static fixture make(size_t K, const size_t *widths, num_act act, size_t n, uint64_t seed,
                    bool teacher)
{
    fixture f = {.n = n, .d = widths[0], .dout = widths[K]};
    f.net = num_mlp_alloc(K, widths, false, act);
    assert_non_null(f.net);
    f.w = num_mlp_work_alloc(f.net, n);
    assert_non_null(f.w);
    f.P = f.net->nparams;
    f.theta = malloc(f.P * sizeof *f.theta);
    f.X = malloc(n * f.d * sizeof *f.X);
    f.Y = malloc(n * f.dout * sizeof *f.Y);
    gsl_rng *r = num_rng_alloc(tc_test_seed(20261202u) + seed);
    num_mlp_init_gaussian(f.net, f.theta, r, NULL);
    num_rng_gaussian(r, 1.0, f.X, n * f.d);
    num_rng_gaussian(r, 1.0, f.Y, n * f.dout);
    gsl_rng_free(r);
    if (teacher)
        assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, n, f.w, f.Y), NUM_OK);
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

/* 1/2 ||f(X) - Y||^2 and max |f(X) - Y| from a forward pass (not num_zeroloss_residual). */
static double loss_by_hand(const fixture *f, const double *theta, double *rmax)
{
    double *out = malloc(f->n * f->dout * sizeof *out), L = 0.0, m = 0.0;
    assert_int_equal(num_mlp_forward(f->net, theta, f->X, f->n, f->w, out), NUM_OK);
    for (size_t i = 0; i < f->n * f->dout; i++) {
        double e = out[i] - f->Y[i];
        L += 0.5 * e * e;
        m = fabs(e) > m ? fabs(e) : m;
    }
    free(out);
    if (rmax)
        *rmax = m;
    return L;
}

static void test_zeroloss_tol(void **state)
{
    (void)state;
    const size_t widths[4] = {3, 7, 5, 2};
    fixture f = make(3, widths, NUM_ACT_TANH, 9, 11, false);
    double rmax = 0.0, r_hand = 0.0;
    double tol = num_zeroloss_tol(f.net, f.theta, f.X, f.Y, f.n, f.w, &rmax);
    loss_by_hand(&f, f.theta, &r_hand);
    /* The same forward pass, the same subtraction: equal to the last bit. */
    expect_close("res_max", rmax, r_hand, 0.0);
    /* S = max_{s,i} sum_j |H_2[s,j]| |W_3[i,j]|, summed here in the same order. */
    const double *H = num_mlp_act(f.w, 2), *W = f.theta + f.net->off_w[2];
    double S = 0.0;
    for (size_t s = 0; s < f.n; s++)
        for (size_t i = 0; i < 2; i++) {
            double a = 0.0;
            for (size_t j = 0; j < 5; j++)
                a += fabs(H[s * 5 + j]) * fabs(W[i * 5 + j]);
            S = a > S ? a : S;
        }
    /* K (N_{K-1} + 1) eps max(S, 1) = 3 * 6 eps max(S, 1): one product of exact small
     * integers and eps (a power of 2), then one rounding: 1 eps relative. */
    expect_rel("tol", tol, 18.0 * DBL_EPSILON * (S > 1.0 ? S : 1.0), DBL_EPSILON);
    unmake(&f);
}

static void test_gd_lm(void **state)
{
    (void)state;
    const size_t widths[4] = {3, 8, 6, 1};
    fixture f = make(3, widths, NUM_ACT_TANH, 12, 41, false);
    double *J = malloc(12 * f.P * sizeof *J), s[12], *theta0 = malloc(f.P * sizeof *theta0);
    memcpy(theta0, f.theta, f.P * sizeof *theta0);
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, f.n, f.w, NULL), NUM_OK);
    assert_int_equal(num_mlp_jacobian(f.net, f.theta, f.w, J), NUM_OK);
    assert_int_equal(num_linalg_svd_values(12, f.P, J, s), NUM_OK);
    double L0 = loss_by_hand(&f, f.theta, NULL);
    num_zeroloss_path path = {0};
    assert_int_equal(num_zeroloss_gd_lm(f.net, f.theta, f.X, f.Y, f.n, 300, 200, f.w, &path),
                     NUM_OK);
    double rmax = 0.0;
    loss_by_hand(&f, f.theta, &rmax);
    expect_close("residual below the floor", fmax(rmax - num_zeroloss_tol(f.net, f.theta,
                 f.X, f.Y, f.n, f.w, NULL), 0.0), 0.0, 0.0);
    assert_true(path.gd_loss <= L0);
    /* The step is 1/s_max^2 halved h times, 0 <= h <= 8: log2 of the ratio is an integer
     * (halving is exact in binary, so the ratio is an exact power of 2). */
    double h = log2(1.0 / (s[0] * s[0]) / path.gd_lr);
    expect_close("step halvings", h, round(h), 0.0);
    assert_true(h >= 0.0 && h <= NUM_ZEROLOSS_GD_HALVINGS);
    /* Two equal inputs with different targets: no zero-loss point exists. */
    memcpy(f.theta, theta0, f.P * sizeof *theta0);
    memcpy(f.X + 3, f.X, 3 * sizeof *f.X);
    f.Y[1] = f.Y[0] + 1.0;
    assert_int_equal(num_zeroloss_gd_lm(f.net, f.theta, f.X, f.Y, f.n, 100, 30, f.w, &path),
                     NUM_ENOCONV);
    free(J);
    free(theta0);
    unmake(&f);
}

static void test_saddle_step(void **state)
{
    (void)state;
    const size_t widths[3] = {3, 4, 1};
    fixture f = make(2, widths, NUM_ACT_TANH, 6, 21, false);
    /* theta = 0: f = 0 and every gradient vanishes (tanh(0) = 0, and dL/dW_1 carries the
     * factor W_2 = 0); the W_1-W_2 cross block -sum_s Y_s x_s is nonzero, so the Hessian is
     * indefinite: a saddle. */
    double *keep = malloc(f.P * sizeof *keep);
    memcpy(keep, f.theta, f.P * sizeof *keep);
    memset(f.theta, 0, f.P * sizeof *f.theta);
    double L0 = loss_by_hand(&f, f.theta, NULL);
    num_hess_work *hw = num_hessian_work_alloc(f.net, f.n, 4);
    num_hess_opts o = {.loss = NUM_HESS_SQUARE};
    assert_int_equal(num_hessian_saddle_step(hw, f.theta, f.X, f.Y, f.n, &o, 60), NUM_OK);
    assert_true(loss_by_hand(&f, f.theta, NULL) < L0);
    /* theta = +-a v with |v| = 1 and a = 2^-h: the norm is a up to the rounding of a unit
     * eigenvector's entries (P eps relative) and of the sum of squares. */
    double nrm = 0.0;
    for (size_t i = 0; i < f.P; i++)
        nrm += f.theta[i] * f.theta[i];
    double h = -log2(sqrt(nrm));
    expect_close("step length is a power of 1/2", h, round(h), 1e3 * DBL_EPSILON);
    /* A strict minimiser (weight decay, Newton from the random weights to a gradient of 1e-8,
     * far below the decay's curvature 2e-2): no negative curvature. */
    double lam[2] = {1e-2, 1e-2};
    o.decay = lam;
    memcpy(f.theta, keep, f.P * sizeof *keep);
    assert_int_equal(num_hessian_minimise(hw, f.theta, f.X, f.Y, f.n, &o, 1e-8, 500, NULL,
                                          NULL), NUM_OK);
    memcpy(keep, f.theta, f.P * sizeof *keep);
    assert_int_equal(num_hessian_saddle_step(hw, f.theta, f.X, f.Y, f.n, &o, 60), NUM_ENOCONV);
    assert_memory_equal(keep, f.theta, f.P * sizeof *keep);
    assert_int_equal(num_hessian_saddle_step(hw, f.theta, f.X, f.Y, f.n, &o, 0), NUM_EINVAL);
    free(keep);
    num_hessian_work_free(hw);
    unmake(&f);
}

static void test_square_point(void **state)
{
    (void)state;
    const size_t widths[3] = {3, 5, 1}, n = 4;
    fixture f = make(2, widths, NUM_ACT_TANH, n, 31, true);
    double *ev = malloc(f.P * sizeof *ev), *J = malloc(n * f.P * sizeof *J);
    num_hessian_point pt;
    assert_int_equal(num_hessian_square_point(f.net, f.theta, f.X, f.Y, n, 10.0, 1, 8, 1.5e-8,
                                              ev, &pt), NUM_OK);
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, n, f.w, NULL), NUM_OK);
    assert_int_equal(num_mlp_jacobian(f.net, f.theta, f.w, J), NUM_OK);
    /* At zero loss H = J^T J, whose trace is ||J||_F^2: sums of P terms of size up to
     * lambda_max, rounding ~ P eps lambda_max each side. */
    double tr = 0.0, fro = 0.0;
    for (size_t i = 0; i < f.P; i++)
        tr += ev[i];
    for (size_t i = 0; i < n * f.P; i++)
        fro += J[i] * J[i];
    expect_close("trace = ||J||_F^2", tr, fro, 4.0 * (double)f.P * DBL_EPSILON * ev[f.P - 1]);
    /* P = 20 > n d' = 4: generically rank J = 4 and exactly P - 4 zero eigenvalues; the W_1
     * block (15 columns) has rank 4 as well. */
    assert_int_equal(pt.P, 20);
    assert_int_equal(pt.m, 4);
    assert_int_equal(pt.rank_J, 4);
    assert_int_equal(pt.z.zeros, 16);
    assert_int_equal(pt.block_rank, 4);
    assert_int_equal(pt.lg_zeros, 16);
    expect_close("Gauss-Newton", pt.gn_rel, 0.0, (double)n * (double)f.P * DBL_EPSILON);
    expect_rel("memory", pt.mem_mib, (3.0 * 400.0 + 80.0) * 8.0 / 1048576.0, DBL_EPSILON);
    free(ev);
    free(J);
    unmake(&f);
}

/* The n x n form of eq. (44): with c_s = exp(-y_s f_s + m) (f'(z_s)^2 - y_s f''(z_s)), the
 * nonzero eigenvalues of sum_s c_s x_s x_s^T are those of G_ij = sqrt(c_i c_j) x_i . x_j. */
static void exp_gram(const fixture *f, const double *y, double mm, double *G)
{
    size_t n = f->n, d = f->d;
    double c[8];
    for (size_t s = 0; s < n; s++) {
        double z = 0.0, fz, d1, d2;
        for (size_t i = 0; i < d; i++)
            z += f->theta[i] * f->X[s * d + i];
        num_act_eval(NUM_ACT_TANH, 0.0, z, &fz, &d1, &d2);
        c[s] = exp(-y[s] * fz + mm) * (d1 * d1 - y[s] * d2);
    }
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            double g = 0.0;
            for (size_t i = 0; i < d; i++)
                g += f->X[a * d + i] * f->X[b * d + i];
            G[a * n + b] = sqrt(c[a] * c[b]) * g;
        }
}

static void test_exp_counts(void **state)
{
    (void)state;
    const size_t widths[3] = {8, 1, 1}, n = 3;
    fixture f = make(2, widths, NUM_ACT_TANH, n, 71, true);
    f.theta[8] = 1.0; /* W_2 = 1: f = tanh(w . x) */
    double y[3], ev[8], G[9], gev[3], mm = 0.0, mm_hand = INFINITY;
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, n, f.w, f.Y), NUM_OK);
    for (size_t s = 0; s < n; s++) {
        y[s] = f.Y[s] >= 0.0 ? 1.0 : -1.0;
        mm_hand = fmin(mm_hand, y[s] * f.Y[s]);
    }
    num_hessian_exp_count cnt;
    assert_int_equal(num_hessian_exp_counts(f.net, f.theta, f.X, y, n, 0, 8, 10.0, 4, ev, &cnt,
                                            &mm), NUM_OK);
    expect_close("min margin", mm, mm_hand, 0.0);
    assert_int_equal(cnt.nonzero, 3);
    assert_int_equal(cnt.distinct, 3);
    exp_gram(&f, y, mm, G);
    assert_int_equal(num_linalg_eigh(n, G, gev, NULL), NUM_OK);
    /* Two routes to the same three eigenvalues: each is backward stable, error ~ d eps
     * lambda_max; 100 eps lambda_max covers both with the curvature sums. */
    for (size_t i = 0; i < n; i++)
        expect_close("eq. (44) eigenvalue", ev[8 - n + i], gev[i], 100.0 * DBL_EPSILON * gev[2]);
    expect_close("lambda_max", cnt.amax, fabs(ev[7]), 0.0);
    /* A label against the sign of f: not a separating point. */
    y[0] = -y[0];
    assert_int_equal(num_hessian_exp_counts(f.net, f.theta, f.X, y, n, 0, 8, 10.0, 4, ev, &cnt,
                                            &mm), NUM_EINFEASIBLE);
    unmake(&f);
}

/* g = tanh'^2 + |tanh''| in long double: sech^2 = 1 / cosh^2, tanh'' = -2 tanh sech^2. */
static long double tanh_curvature(long double z)
{
    long double c = coshl(z), s2 = 1.0L / (c * c);
    return s2 * s2 + fabsl(2.0L * tanhl(z) * s2);
}

static void test_exp_scale_limit(void **state)
{
    (void)state;
    const size_t widths[3] = {8, 1, 1}, n = 5;
    fixture f = make(2, widths, NUM_ACT_TANH, n, 81, false);
    double a = num_hessian_exp_scale_limit(f.net, f.theta, f.X, n, 10.0), zmin = INFINITY;
    for (size_t s = 0; s < n; s++) {
        double z = 0.0;
        for (size_t i = 0; i < 8; i++)
            z += f.theta[i] * f.X[s * 8 + i];
        zmin = fmin(zmin, fabs(z));
    }
    long double thr = (long double)DBL_MIN / (10.0L * 8.0L * (long double)DBL_EPSILON);
    /* The bisection stops at 1e-12 relative; 1e-9 away on either side g is on the other side
     * of the threshold (g ~ e^{-2z}, z ~ 340: a relative move of 1e-9 changes g by ~7e-7). */
    assert_true(tanh_curvature((long double)(a * zmin) * (1.0L - 1e-9L)) >= thr);
    assert_true(tanh_curvature((long double)(a * zmin) * (1.0L + 1e-9L)) < thr);
    num_mlp *lin = num_mlp_alloc(2, widths, false, NUM_ACT_LINEAR);
    assert_true(isinf(num_hessian_exp_scale_limit(lin, f.theta, f.X, n, 10.0)));
    num_mlp_free(lin);
    unmake(&f);
}

/* P - rank J from the Jacobian at the teacher point (tolerance as the kernel's). */
static size_t jacobian_nullity(const fixture *f)
{
    double *J = malloc(f->n * f->P * sizeof *J);
    size_t r = 0;
    assert_int_equal(num_mlp_forward(f->net, f->theta, f->X, f->n, f->w, NULL), NUM_OK);
    assert_int_equal(num_mlp_jacobian(f->net, f->theta, f->w, J), NUM_OK);
    assert_int_equal(num_linalg_rank(f->n, f->P, J, 10.0, &r, NULL), NUM_OK);
    free(J);
    return f->P - r;
}

static void test_relu_pattern(void **state)
{
    (void)state;
    const size_t widths[3] = {3, 5, 1}, n = 60, N = 5, d = 3;
    fixture f = make(2, widths, NUM_ACT_RELU, n, 91, true);
    size_t nullity = 99;
    bool generic = false;
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, n, f.w, NULL), NUM_OK);
    assert_int_equal(num_hessian_relu_pattern_nullity(f.net, f.w, f.X, n, 10.0, &nullity),
                     NUM_OK);
    assert_int_equal(num_hessian_relu_generic(f.net, f.w, n, &generic), NUM_OK);
    assert_int_equal(jacobian_nullity(&f), N + nullity);
    if (generic) /* the null space of J is the rescaling orbit alone */
        assert_int_equal(jacobian_nullity(&f), N);
    /* Unit 2 dead (incoming weights 0): its d incoming weights and the pattern add d. */
    memset(f.theta + 2 * d, 0, d * sizeof *f.theta);
    assert_int_equal(num_mlp_forward(f.net, f.theta, f.X, n, f.w, NULL), NUM_OK);
    assert_int_equal(num_hessian_relu_pattern_nullity(f.net, f.w, f.X, n, 10.0, &nullity),
                     NUM_OK);
    assert_int_equal(nullity, d);
    assert_int_equal(num_hessian_relu_generic(f.net, f.w, n, &generic), NUM_OK);
    assert_false(generic);
    assert_int_equal(jacobian_nullity(&f), N + nullity);
    unmake(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroloss_tol),      cmocka_unit_test(test_gd_lm),
        cmocka_unit_test(test_saddle_step),       cmocka_unit_test(test_square_point),
        cmocka_unit_test(test_exp_counts),        cmocka_unit_test(test_exp_scale_limit),
        cmocka_unit_test(test_relu_pattern),
    };
    return TC_RUN("numerics/hessian_counts", tests);
}
