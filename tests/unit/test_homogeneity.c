/* tests/unit/test_homogeneity.c — what the homogeneity claims compute, against independent
 * computations: the Euler sum sum_ij W_ij df/dW_ij from num_mlp_jacobian equals the derivative
 * d/drho f(rho W_k) at rho = 1 by central differences (any activation: tanh here); for ReLU
 * without biases f(2 W_k) = 2 f(W) bit for bit (scaling by a power of two is exact and ReLU
 * commutes with it) and the Euler sum equals f. */
#include "tc_test.h"

#include <string.h>

#include <gsl/gsl_rng.h>

#include "numerics/mlp.h"

enum { N = 5, IN = 4, K = 3 };

static void setup(num_act act, num_mlp **net, num_mlp_work **w, double **theta, double *X)
{
    const size_t widths[K + 1] = {IN, 7, 6, 1};
    *net = num_mlp_alloc(K, widths, false, act);
    *w = num_mlp_work_alloc(*net, N);
    *theta = calloc((*net)->nparams, sizeof **theta);
    assert_non_null(*theta);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(11u));
    num_mlp_init_gaussian(*net, *theta, r, NULL);
    for (size_t i = 0; i < N * IN; i++)
        X[i] = gsl_rng_uniform(r) * 2 - 1;
    gsl_rng_free(r);
}

/* sum over layer k's weights of W df/dW for input i, from the Jacobian */
static double euler_sum(const num_mlp *net, const double *theta, const double *J, size_t i,
                        size_t k)
{
    double s = 0;
    size_t off = net->off_w[k], len = net->widths[k + 1] * net->widths[k];
    for (size_t j = off; j < off + len; j++)
        s += theta[j] * J[i * net->nparams + j];
    return s;
}

static void euler_sum_is_the_scaling_derivative(void **state)
{
    (void)state;
    num_mlp *net;
    num_mlp_work *w;
    double *theta, X[N * IN], f[N], fp[N], fm[N];
    setup(NUM_ACT_TANH, &net, &w, &theta, X);
    double *J = calloc(N * net->nparams, sizeof *J), *t = calloc(net->nparams, sizeof *t);
    assert_int_equal(num_mlp_forward(net, theta, X, N, w, f), NUM_OK);
    assert_int_equal(num_mlp_jacobian(net, theta, w, J), NUM_OK);
    const double h = 1e-4; /* central difference: error h^2 f'''/6 ~ 1e-9 for O(1) derivatives */
    for (size_t k = 0; k < K; k++) {
        size_t off = net->off_w[k], len = net->widths[k + 1] * net->widths[k];
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            memcpy(t, theta, net->nparams * sizeof *t);
            for (size_t j = off; j < off + len; j++)
                t[j] *= 1 + sgn * h;
            assert_int_equal(num_mlp_forward(net, t, X, N, w, sgn < 0 ? fm : fp), NUM_OK);
        }
        for (size_t i = 0; i < N; i++)
            expect_close("Euler sum against d/drho f(rho W_k)", euler_sum(net, theta, J, i, k),
                         (fp[i] - fm[i]) / (2 * h), 1e-7);
    }
    free(J), free(t), free(theta);
    num_mlp_work_free(w);
    num_mlp_free(net);
}

static void relu_is_homogeneous(void **state)
{
    (void)state;
    num_mlp *net;
    num_mlp_work *w;
    double *theta, X[N * IN], f[N], f2[N];
    setup(NUM_ACT_RELU, &net, &w, &theta, X);
    double *J = calloc(N * net->nparams, sizeof *J);
    assert_int_equal(num_mlp_forward(net, theta, X, N, w, f), NUM_OK);
    assert_int_equal(num_mlp_jacobian(net, theta, w, J), NUM_OK);
    for (size_t k = 0; k < K; k++) {
        for (size_t i = 0; i < N; i++) /* a sum of ~50 products of O(1) numbers */
            expect_close("Euler sum = f (ReLU)", euler_sum(net, theta, J, i, k), f[i], 1e-14);
        size_t off = net->off_w[k], len = net->widths[k + 1] * net->widths[k];
        for (size_t j = off; j < off + len; j++)
            theta[j] *= 2;
        assert_int_equal(num_mlp_forward(net, theta, X, N, w, f2), NUM_OK);
        for (size_t i = 0; i < N; i++)
            expect_close("f(2 W_k) = 2 f exactly", f2[i], 2 * f[i], 0.0);
        for (size_t j = off; j < off + len; j++)
            theta[j] /= 2;
    }
    free(J), free(theta);
    num_mlp_work_free(w);
    num_mlp_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(euler_sum_is_the_scaling_derivative),
        cmocka_unit_test(relu_is_homogeneous),
    };
    return TC_RUN("numerics/mlp homogeneity", tests);
}
