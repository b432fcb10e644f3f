/* tests/unit/test_homogeneous_traj.c — numerics/homogeneous_traj against independent
 * computations:
 * - num_hom_traj_record on a two-layer linear network: the stored norms, product, margins,
 *   log-loss and normalised layers against a naive forward pass and naive Frobenius norms;
 *   t = 0 is skipped in GD time, a full trajectory stops the driver;
 * - num_hom_traj_fit on a synthetic trajectory with exact power laws (exponents recovered to
 *   rounding) and the slope against log t against the textbook OLS formula Sxy / Sxx;
 * - num_hom_traj_layer_move and num_hom_traj_index against hand-computed values.
 */
#include "tc_test.h"

#include <float.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "numerics/homogeneous_traj.h"

/* Naive f(x) = W2 (W1 x) of a linear network with widths {d, h, 1}. */
static double naive_f(const num_mlp *net, double *theta, const double *x)
{
    size_t d = net->widths[0], h = net->widths[1];
    const double *W1 = num_mlp_w(net, theta, 0), *W2 = num_mlp_w(net, theta, 1);
    double f = 0.0;
    for (size_t j = 0; j < h; j++) {
        double z = 0.0;
        for (size_t i = 0; i < d; i++)
            z += W1[j * d + i] * x[i];
        f += W2[j] * z;
    }
    return f;
}

static double naive_norm(const double *a, size_t len)
{
    double s = 0.0;
    for (size_t i = 0; i < len; i++)
        s += a[i] * a[i];
    return sqrt(s);
}

static void test_record(void **state)
{
    (void)state;
    enum { N = 6, D = 3, H = 4 };
    size_t widths[3] = {D, H, 1};
    num_mlp *net = num_mlp_alloc(2, widths, false, NUM_ACT_LINEAR);
    assert_non_null(net);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, (unsigned long)tc_test_seed(20261202u));
    double X[N * D], y[N], theta[64];
    assert_true(net->nparams <= 64);
    for (size_t i = 0; i < N * D; i++)
        X[i] = gsl_ran_gaussian(r, 1.0);
    for (size_t n = 0; n < N; n++)
        y[n] = n % 2 ? -1.0 : 1.0;
    num_mlp_init_gaussian(net, theta, r, NULL);
    num_hom_problem pb = {net, X, y, N, NUM_HOM_LOSS_EXP};
    num_hom_work *w = num_hom_work_alloc(&pb);
    num_hom_traj *T = num_hom_traj_alloc(2, net->nparams, 2);
    assert_non_null(w);
    assert_non_null(T);
    T->pb = &pb;
    T->w = w;
    T->gd_time = true;
    assert_int_equal(num_hom_traj_record(T, 0.0, theta), 0); /* t = 0: no log, skipped */
    assert_int_equal(T->nck, 0);
    assert_int_equal(num_hom_traj_record(T, 2.5, theta), 0);
    assert_int_equal(T->nck, 1);
    expect_close("s = log t", T->s[0], log(2.5), 0.0);

    /* Norms: naive sum of squares against BLAS dnrm2, a few rounding errors of a sum of <= 12
     * terms: 64 eps relative. Margins and loss: O(1) values from sums of 12 products in another
     * order, 1e-13 absolute (about 500 eps). */
    double n1 = naive_norm(num_mlp_w(net, theta, 0), D * H);
    double n2 = naive_norm(num_mlp_w(net, theta, 1), H);
    expect_rel("||W1||", T->norms[0], n1, 64 * DBL_EPSILON);
    expect_rel("||W2||", T->norms[1], n2, 64 * DBL_EPSILON);
    expect_rel("product", T->prod[0], n1 * n2, 64 * DBL_EPSILON);
    double minm = INFINITY, sum = 0.0;
    for (size_t n = 0; n < N; n++) {
        double m = y[n] * naive_f(net, theta, X + n * D);
        minm = m < minm ? m : minm;
        sum += exp(-m);
    }
    expect_close("min margin", T->min_margin[0], minm, 1e-13);
    expect_close("normalised margin", T->gamma[0], minm / (n1 * n2), 1e-13);
    expect_close("log loss", T->log_loss[0], log(sum), 1e-13);
    /* V = W_k / ||W_k||: one division by a norm equal to 64 eps */
    const double *V = T->V;
    for (size_t i = 0; i < D * H; i++)
        expect_close("V1", V[net->off_w[0] + i], num_mlp_w(net, theta, 0)[i] / n1,
                     64 * DBL_EPSILON);
    for (size_t i = 0; i < H; i++)
        expect_close("V2", V[net->off_w[1] + i], num_mlp_w(net, theta, 1)[i] / n2,
                     64 * DBL_EPSILON);
    /* capacity 2: the second checkpoint is stored, the third stops the driver */
    assert_int_equal(num_hom_traj_record(T, 5.0, theta), 0);
    assert_int_equal(num_hom_traj_record(T, 7.0, theta), 1);
    assert_int_equal(T->nck, 2);
    assert_int_equal(T->st, NUM_OK);
    num_hom_traj_free(T);
    num_hom_work_free(w);
    num_mlp_free(net);
    gsl_rng_free(r);
}

/* prod = 3 s^1.2 = (2 s^0.5)(1.5 s^0.7), -log L = s + 0.8 log s + 0.1: every fit in log log t
 * is exact, so the exponents come back to rounding (1e-12: logs of O(1e2) values, sums of 40
 * terms). The slope of prod against s is compared with Sxy / Sxx computed here. */
static void test_fit(void **state)
{
    (void)state;
    enum { M = 60 };
    num_hom_traj *T = num_hom_traj_alloc(2, 2, M);
    assert_non_null(T);
    for (size_t i = 0; i < M; i++) {
        double s = i < 5 ? -5.0 + (double)i : pow(100.0, (double)(i - 5) / (M - 6));
        T->s[i] = s;
        double a = s > 0.0 ? 2.0 * pow(s, 0.5) : 1.0, b = s > 0.0 ? 1.5 * pow(s, 0.7) : 1.0;
        T->norms[2 * i] = a;
        T->norms[2 * i + 1] = b;
        T->prod[i] = a * b;
        T->log_loss[i] = s > 0.0 ? -(s + 0.8 * log(s) + 0.1) : 0.0;
    }
    T->nck = M;
    num_hom_traj_fits F;
    assert_int_equal(num_hom_traj_fit(T, 10.0, 100.0, &F), NUM_OK);
    expect_close("product exponent", F.prod_exp.slope, 1.2, 1e-12);
    expect_close("layer 1 exponent", F.layer_exp[0].slope, 0.5, 1e-12);
    expect_close("layer 2 exponent", F.layer_exp[1].slope, 0.7, 1e-12);
    expect_close("largest layer exponent", F.layer_exp_max, 0.7, 1e-12);
    expect_close("loglog coefficient", F.loglog.slope, 0.8, 1e-12);
    double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, cnt = 0.0;
    size_t ia = 0, ib = 0;
    for (size_t i = 0; i < M; i++) {
        if (fabs(T->s[i] - 10.0) < fabs(T->s[ia] - 10.0))
            ia = i;
        if (fabs(T->s[i] - 100.0) < fabs(T->s[ib] - 100.0))
            ib = i;
        if (T->s[i] < 10.0 || T->s[i] > 100.0)
            continue;
        sx += T->s[i];
        sy += T->prod[i];
        cnt += 1.0;
    }
    for (size_t i = 0; i < M; i++)
        if (T->s[i] >= 10.0 && T->s[i] <= 100.0) {
            sxx += (T->s[i] - sx / cnt) * (T->s[i] - sx / cnt);
            sxy += (T->s[i] - sx / cnt) * (T->prod[i] - sy / cnt);
        }
    /* slope ~ 4.5, from sums of ~25 terms of size 1e3..1e5: 1e-10 relative */
    expect_rel("slope against log t", F.prod_slope.slope, sxy / sxx, 1e-10);
    expect_close("product growth", F.prod_growth, T->prod[ib] / T->prod[ia] - 1.0, 0.0);
    /* too few points, too many layers */
    assert_int_equal(num_hom_traj_fit(T, 200.0, 300.0, &F), NUM_EINVAL);
    num_hom_traj_free(T);
    T = num_hom_traj_alloc(NUM_HOM_TRAJ_MAXK + 1, 16, 4);
    assert_non_null(T);
    T->nck = 4;
    assert_int_equal(num_hom_traj_fit(T, 0.0, 1.0, &F), NUM_EINVAL);
    num_hom_traj_free(T);
    assert_null(num_hom_traj_alloc(0, 1, 1));
}

/* Layer moves by hand: layer 1 moves by (3, 4, 0, 0) -> 5, layer 2 by (0, 1) -> 1. */
static void test_move_and_index(void **state)
{
    (void)state;
    size_t widths[3] = {2, 2, 1};
    num_mlp *net = num_mlp_alloc(2, widths, false, NUM_ACT_LINEAR);
    num_hom_traj *T = num_hom_traj_alloc(2, net->nparams, 2);
    assert_non_null(T);
    for (size_t i = 0; i < 2 * net->nparams; i++)
        T->V[i] = 0.0;
    double *b = T->V + net->nparams;
    b[net->off_w[0]] = 3.0;
    b[net->off_w[0] + 1] = 4.0;
    b[net->off_w[1] + 1] = 1.0;
    T->nck = 2;
    expect_close("layer move", num_hom_traj_layer_move(T, net, 0, 1), 5.0, 0.0);
    expect_close("no move", num_hom_traj_layer_move(T, net, 1, 1), 0.0, 0.0);
    double s[4] = {0.0, 1.0, 2.0, 3.0};
    assert_int_equal(num_hom_traj_index(s, 4, 1.4), 1);
    assert_int_equal(num_hom_traj_index(s, 4, 1.5), 1); /* first of equals */
    assert_int_equal(num_hom_traj_index(s, 4, 2.6), 3);
    assert_int_equal(num_hom_traj_index(s, 4, -7.0), 0);
    num_hom_traj_free(T);
    num_mlp_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_move_and_index),
    };
    return TC_RUN("numerics/homogeneous_traj", tests);
}
