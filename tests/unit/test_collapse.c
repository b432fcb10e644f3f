/* tests/unit/test_collapse.c — numerics/collapse against hand computations and a naive route.
 *
 * - a 2-class case computed by hand (values in the comments of test_hand_two_classes):
 *   nc1 = 2/13, equinorm 0, equiangularity 0, equiangularity of W = 1, self-duality
 *   2 + 1/sqrt(13), NCC mismatch 1/2, accuracy 1/2;
 * - a 3-class case with unequal norms and angles (one sample per class, so nc1 = 0):
 *   equinorm and equiangularity from their closed forms;
 * - an exact simplex ETF (features equal to their class means, W proportional to the centred
 *   means): every metric within c p eps of 0, sb_rank = C - 1;
 * - the fast SVD route of nc1 against Tr(Sigma_W Sigma_B^+) from the explicit p x p matrices
 *   and two pseudoinverses (eigen route, num_linalg_pinv), random data, several sizes
 *   including p < C - 1; relative agreement 1e-9 (condition numbers of Sigma_B below 1e3 for
 *   these draws, so the routes differ by ~cond * p * eps);
 * - invariances: nc1 and the NC2 metrics under H -> s H Q + t (Q orthogonal), self-duality
 *   under W -> a W; a deliberate change (one sample moved) changes nc1 (the test can fail);
 * - bad input: label >= C, empty class, NaN; without W the weight metrics are NaN;
 * - the training kernels: the UFM gradient (recovered from one plain GD step) and the MLP
 *   objective gradient L + (lambda/2)||theta||^2 (classifier_train) against central
 *   differences of the objective, cross-entropy and MSE (step 1e-5: truncation ~1e-10,
 *   rounding ~eps/1e-5 ~1e-11 relative, so agreement within 1e-6 of the largest entry can only
 *   fail on a wrong formula); the heavy-ball recursion over two steps; frozen layers and frozen
 *   features stay bit-identical.
 */

#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "numerics/classifier_train.h"
#include "numerics/collapse.h"
#include "numerics/etf.h"
#include "numerics/linalg.h"
#include "numerics/rng.h"
#include "numerics/ufm.h"

static num_collapse_metrics measure(const double *H, const size_t *y, size_t n, size_t p,
                                    size_t C, const double *W, const double *b)
{
    num_collapse_metrics m;
    num_collapse_work *w = num_collapse_work_alloc(n, p, C);
    assert_non_null(w);
    assert_int_equal(num_collapse_measure(w, H, y, n, p, C, W, b, &m), NUM_OK);
    num_collapse_work_free(w);
    return m;
}

static void test_hand_two_classes(void **state)
{
    (void)state;
    /* class 0: (0,1), (2,1) -> mu0 = (1,1); class 1: (-1,-1), (-1,-3) -> mu1 = (-1,-2).
     * mu_G = (0,-1/2); centred u = (1, 3/2) and -u; Sigma_B = u u^T, |u|^2 = 13/4.
     * residuals (-1,0), (1,0), (0,1), (0,-1): Sigma_W = I/2.
     * Sigma_B^+ = u u^T / |u|^4 -> Tr(Sigma_W Sigma_B^+) = (1/2)/|u|^2 = 2/13.
     * W = I, b = (0, 0.1): logits (0,1.1), (2,1.1), (-1,-0.9), (-1,-2.9) -> 1,0,1,0;
     * nearest means 0,0,1,1 -> mismatch 2/4; accuracy 2/4.
     * self-duality = 2 - 2 <W, M>/(|W| |M|) = 2 - 2 (1 - 3/2)/(sqrt2 sqrt(13/2)) = 2 + 1/sqrt13.
     * W rows orthogonal: |cos + 1/(C-1)| = 1. */
    const double H[8] = {0, 1, 2, 1, -1, -1, -1, -3};
    const size_t y[4] = {0, 0, 1, 1};
    const double W[4] = {1, 0, 0, 1}, b[2] = {0, 0.1};
    num_collapse_metrics m = measure(H, y, 4, 2, 2, W, b);
    double eps = 16 * DBL_EPSILON;
    expect_close("nc1", m.nc1, 2.0 / 13.0, eps);
    expect_close("nc1/C", m.nc1_over_c, 1.0 / 13.0, eps);
    expect_close("equinorm means", m.equinorm_means, 0.0, eps);
    expect_close("equiangularity", m.equiangularity, 0.0, eps);
    expect_close("equinorm weights", m.equinorm_weights, 0.0, eps);
    expect_close("equiangularity weights", m.equiangularity_weights, 1.0, eps);
    expect_close("self duality", m.self_duality, 2.0 + 1.0 / sqrt(13.0), eps);
    expect_close("ncc mismatch", m.ncc_mismatch, 0.5, 0.0);
    expect_close("accuracy", m.accuracy, 0.5, 0.0);
    expect_close("ncc accuracy", m.ncc_accuracy, 1.0, 0.0);
    expect_close("within", m.within_norm, sqrt(1.0), eps);
    expect_close("between", m.between_norm, sqrt(13.0 / 4.0), eps);
    assert_int_equal(m.sb_rank, 1);
    assert_int_equal(m.classes, 2);
    assert_int_equal(m.samples, 4);
    assert_int_equal(m.dim, 2);
}

static void test_hand_three_classes(void **state)
{
    (void)state;
    /* means (1,0), (0,1), (0,0); mu_G = (1/3,1/3); centred (2,-1)/3, (-1,2)/3, (-1,-1)/3;
     * norms sqrt5/3, sqrt5/3, sqrt2/3; cosines -4/5, -1/sqrt10, -1/sqrt10. */
    const double H[6] = {1, 0, 0, 1, 0, 0};
    const size_t y[3] = {0, 1, 2};
    num_collapse_metrics m = measure(H, y, 3, 2, 3, NULL, NULL);
    double a = sqrt(5.0) / 3.0, c = sqrt(2.0) / 3.0, mean = (2 * a + c) / 3.0;
    double sd = sqrt(((a - mean) * (a - mean) * 2 + (c - mean) * (c - mean)) / 2.0);
    double eq = (fabs(-0.8 + 0.5) + 2 * fabs(-1.0 / sqrt(10.0) + 0.5)) / 3.0;
    double eps = 16 * DBL_EPSILON;
    expect_close("nc1 (no within variation)", m.nc1, 0.0, eps);
    expect_close("equinorm", m.equinorm_means, sd / mean, eps);
    expect_close("equiangularity", m.equiangularity, eq, eps);
    expect_close("max equiangularity", m.max_equiangularity, 0.3, eps);
    assert_int_equal(m.sb_rank, 2);
    assert_true(isnan(m.self_duality) && isnan(m.ncc_mismatch) && isnan(m.equinorm_weights) &&
                isnan(m.equiangularity_weights) && isnan(m.accuracy));
}

static void test_exact_etf(void **state)
{
    (void)state;
    for (size_t C = 2; C <= 10; C += 4) {
        size_t p = C + 3, per = 5, n = C * per;
        double *E = malloc(C * p * sizeof *E), *H = malloc(n * p * sizeof *H);
        double *W = malloc(C * p * sizeof *W), *b = calloc(C, sizeof *b);
        size_t *y = malloc(n * sizeof *y);
        gsl_rng *r = num_rng_alloc(40 + C);
        assert_int_equal(num_etf_simplex(C, p, r, E), NUM_OK);
        double offset[16];
        num_rng_gaussian(r, 1.0, offset, p);
        for (size_t i = 0; i < n; i++) {
            y[i] = i % C;
            for (size_t j = 0; j < p; j++)
                H[i * p + j] = 2.5 * E[y[i] * p + j] + offset[j];
        }
        for (size_t i = 0; i < C * p; i++)
            W[i] = 0.7 * E[i];
        /* the bias that cancels the global offset: logits 1.75 <e_c, e_y> */
        for (size_t c = 0; c < C; c++)
            b[c] = -cblas_ddot((int)p, W + c * p, 1, offset, 1);
        num_collapse_metrics m = measure(H, y, n, p, C, W, b);
        double tol = 64 * (double)p * DBL_EPSILON;
        char what[64];
        snprintf(what, sizeof what, "ETF C=%zu", C);
        expect_close(what, m.nc1, 0.0, tol);
        expect_close(what, m.equinorm_means, 0.0, tol);
        expect_close(what, m.equiangularity, 0.0, tol);
        expect_close(what, m.equinorm_weights, 0.0, tol);
        expect_close(what, m.equiangularity_weights, 0.0, tol);
        expect_close(what, m.self_duality, 0.0, tol);
        expect_close(what, m.ncc_mismatch, 0.0, 0.0);
        expect_close(what, m.accuracy, 1.0, 0.0);
        assert_int_equal(m.sb_rank, C - 1);
        gsl_rng_free(r);
        free(E);
        free(H);
        free(W);
        free(b);
        free(y);
    }
}

/* Tr(A B) for p x p row-major A, B. */
static double trace_prod(const double *A, const double *B, size_t p)
{
    double t = 0.0;
    for (size_t i = 0; i < p; i++)
        for (size_t k = 0; k < p; k++)
            t += A[i * p + k] * B[k * p + i];
    return t;
}

static void test_fast_vs_reference(void **state)
{
    (void)state;
    const size_t sizes[][3] = {{40, 5, 3}, {90, 12, 6}, {60, 3, 7}, {200, 30, 10}, {30, 6, 2}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s][0], p = sizes[s][1], C = sizes[s][2];
        uint64_t seed = 100 + s;
        double *H = malloc(n * p * sizeof *H), *Sw = malloc(p * p * sizeof *Sw);
        double *Sb = malloc(p * p * sizeof *Sb), *Sb2 = malloc(p * p * sizeof *Sb2);
        double *P = malloc(p * p * sizeof *P);
        size_t *y = malloc(n * sizeof *y);
        gsl_rng *r = num_rng_alloc(seed);
        num_rng_gaussian(r, 1.0, H, n * p);
        for (size_t i = 0; i < n; i++) {
            y[i] = i % C;
            H[i * p + y[i] % p] += 2.0; /* class-dependent shift */
        }
        num_collapse_metrics m = measure(H, y, n, p, C, NULL, NULL);
        assert_int_equal(num_collapse_covariances(H, y, n, p, C, Sw, Sb), NUM_OK);
        memcpy(Sb2, Sb, p * p * sizeof *Sb);
        size_t rank = 0, rank2 = 0;
        assert_int_equal(num_collapse_pinv_sym(Sb2, p, C, &rank), NUM_OK);
        double ref = trace_prod(Sw, Sb2, p);
        assert_int_equal(num_linalg_pinv(p, p, Sb, 1.0, P, &rank2), NUM_OK);
        double ref2 = trace_prod(Sw, P, p);
        size_t expect_rank = (C - 1 < p) ? C - 1 : p;
        if (m.sb_rank != expect_rank || rank != expect_rank || rank2 != expect_rank) {
            fprintf(stderr, "seed %llu: ranks %zu %zu %zu vs %zu\n", (unsigned long long)seed,
                    m.sb_rank, rank, rank2, expect_rank);
            fail();
        }
        char what[80];
        snprintf(what, sizeof what, "nc1 n=%zu p=%zu C=%zu seed=%llu", n, p, C,
                 (unsigned long long)seed);
        expect_close(what, m.nc1, ref, 1e-9 * ref);
        expect_close(what, m.nc1, ref2, 1e-9 * ref2);
        /* Trace identities: Tr Sigma_W = within^2, Tr Sigma_B = between^2. */
        double tw = 0.0, tb = 0.0;
        for (size_t j = 0; j < p; j++) {
            tw += Sw[j * p + j];
            tb += Sb[j * p + j];
        }
        expect_close("within", m.within_norm * m.within_norm, tw, 1e-12 * tw);
        expect_close("between", m.between_norm * m.between_norm, tb, 1e-12 * tb);
        /* A deliberate fault: moving one sample must change nc1. */
        H[0] += 1.0;
        num_collapse_metrics m2 = measure(H, y, n, p, C, NULL, NULL);
        assert_true(fabs(m2.nc1 - m.nc1) > 1e-6 * m.nc1);
        gsl_rng_free(r);
        free(H);
        free(Sw);
        free(Sb);
        free(Sb2);
        free(P);
        free(y);
    }
}

static void test_invariances(void **state)
{
    (void)state;
    size_t n = 48, p = 6, C = 4;
    double H[48 * 6], H2[48 * 6], Q[36], W[24], W2[24], t[6];
    size_t y[48];
    gsl_rng *r = num_rng_alloc(77);
    num_rng_gaussian(r, 1.0, H, n * p);
    num_rng_gaussian(r, 1.0, W, C * p);
    for (size_t i = 0; i < n; i++) {
        y[i] = i % C;
        H[i * p + y[i]] += 1.5;
    }
    /* Orthogonal Q: the Householder reflection I - 2 v v^T of a random unit v. */
    double v[6];
    num_rng_unit_vector(r, v, p);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            Q[i * p + j] = (i == j ? 1.0 : 0.0) - 2.0 * v[i] * v[j];
    num_rng_gaussian(r, 5.0, t, p);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)p, (int)p, 3.0, H,
                (int)p, Q, (int)p, 0.0, H2, (int)p);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++)
            H2[i * p + j] += t[j];
    num_collapse_metrics a = measure(H, y, n, p, C, W, NULL);
    num_collapse_metrics b = measure(H2, y, n, p, C, NULL, NULL);
    expect_close("nc1 invariant", b.nc1, a.nc1, 1e-12 * a.nc1);
    expect_close("equinorm invariant", b.equinorm_means, a.equinorm_means, 1e-12);
    expect_close("equiangularity invariant", b.equiangularity, a.equiangularity, 1e-12);
    for (size_t i = 0; i < C * p; i++)
        W2[i] = 4.0 * W[i];
    num_collapse_metrics c = measure(H, y, n, p, C, W2, NULL);
    expect_close("self-duality scale invariant", c.self_duality, a.self_duality, 1e-14);
    expect_close("ncc mismatch scale invariant", c.ncc_mismatch, a.ncc_mismatch, 0.0);
    gsl_rng_free(r);
}

static void test_bad_input(void **state)
{
    (void)state;
    double H[8] = {0, 1, 2, 1, -1, -1, -1, -3};
    size_t y[4] = {0, 0, 1, 1};
    num_collapse_metrics m;
    num_collapse_work *w = num_collapse_work_alloc(4, 2, 3);
    assert_non_null(w);
    /* class 2 is empty */
    assert_int_equal(num_collapse_measure(w, H, y, 4, 2, 3, NULL, NULL, &m), NUM_EINVAL);
    y[3] = 3; /* label out of range */
    assert_int_equal(num_collapse_measure(w, H, y, 4, 2, 3, NULL, NULL, &m), NUM_EINVAL);
    y[3] = 2;
    assert_int_equal(num_collapse_measure(w, H, y, 4, 2, 3, NULL, NULL, &m), NUM_OK);
    H[5] = NAN;
    assert_int_equal(num_collapse_measure(w, H, y, 4, 2, 3, NULL, NULL, &m), NUM_ENAN);
    assert_int_equal(num_collapse_measure(w, H, y, 5, 2, 3, NULL, NULL, &m), NUM_EINVAL);
    num_collapse_work_free(w);
    assert_null(num_collapse_work_alloc(4, 2, 1));
    /* all class means equal: Sigma_B = 0, nc1 undefined */
    double Z[8] = {1, 0, -1, 0, 1, 0, -1, 0};
    size_t yz[4] = {0, 0, 1, 1};
    m = measure(Z, yz, 4, 2, 2, NULL, NULL);
    assert_true(isnan(m.nc1));
    assert_int_equal(m.sb_rank, 0);
}

/* ---- training kernels ---------------------------------------------------------------- */

static double ufm_objective(num_ufm *u, const size_t *y, const num_ufm_opts *o)
{
    double L, F;
    assert_int_equal(num_ufm_eval(u, y, o, &L, &F, NULL), NUM_OK);
    return F;
}

static void test_ufm_gradient(void **state)
{
    (void)state;
    size_t n = 9, p = 4, C = 3, P = n * p + C * p + C;
    size_t y[9];
    for (size_t i = 0; i < n; i++)
        y[i] = i % C;
    for (int loss = 0; loss < 2; loss++) {
        num_ufm *u = num_ufm_alloc(n, p, C);
        assert_non_null(u);
        gsl_rng *r = num_rng_alloc(300 + (uint64_t)loss);
        num_ufm_init(u, r, 1.0, 0.5);
        num_rng_gaussian(r, 0.3, u->b, C);
        gsl_rng_free(r);
        num_ufm_opts o = {.loss = (num_cls_loss)loss, .lr = 1e-3, .lr_h = 1e-3, .momentum = 0,
                          .lambda_w = 0.03, .lambda_h = 0.02, .lambda_b = 0.01, .bias = true};
        double *t0 = malloc(P * sizeof *t0), *g = malloc(P * sizeof *g);
        memcpy(t0, u->theta, P * sizeof *t0);
        double L;
        assert_int_equal(num_ufm_eval(u, y, &o, &L, NULL, NULL), NUM_OK);
        assert_int_equal(num_ufm_update(u, &o, NULL), NUM_OK);
        double gmax = 0.0;
        for (size_t k = 0; k < P; k++) {
            g[k] = (t0[k] - u->theta[k]) / o.lr;
            gmax = fmax(gmax, fabs(g[k]));
        }
        const double h = 1e-5;
        for (size_t k = 0; k < P; k++) {
            memcpy(u->theta, t0, P * sizeof *t0);
            u->theta[k] = t0[k] + h;
            double fp = ufm_objective(u, y, &o);
            u->theta[k] = t0[k] - h;
            double fm = ufm_objective(u, y, &o);
            char what[64];
            snprintf(what, sizeof what, "UFM dF/dtheta[%zu] loss %d", k, loss);
            expect_close(what, g[k], (fp - fm) / (2 * h), 1e-6 * gmax);
        }
        /* frozen features: eta_H = 0 leaves H bit-identical */
        memcpy(u->theta, t0, P * sizeof *t0);
        o.lr_h = 0.0;
        assert_int_equal(num_ufm_eval(u, y, &o, &L, NULL, NULL), NUM_OK);
        assert_int_equal(num_ufm_update(u, &o, NULL), NUM_OK);
        assert_memory_equal(u->H, t0, n * p * sizeof(double));
        assert_true(memcmp(u->W, t0 + n * p, C * p * sizeof(double)) != 0);
        free(t0);
        free(g);
        num_ufm_free(u);
    }
}

typedef struct {
    num_mlp *net;
    num_ctrain *tr;
    double *theta, *X;
    size_t y[10], n;
} mlp_fix;

static mlp_fix mlp_make(uint64_t seed)
{
    mlp_fix f;
    size_t widths[4] = {3, 5, 4, 3};
    f.n = 10;
    f.net = num_mlp_alloc(3, widths, true, NUM_ACT_TANH); /* smooth: exact central differences */
    assert_non_null(f.net);
    f.tr = num_ctrain_alloc(f.net, f.n);
    f.theta = malloc(f.net->nparams * sizeof(double));
    f.X = malloc(f.n * 3 * sizeof(double));
    gsl_rng *r = num_rng_alloc(seed);
    num_mlp_init_gaussian(f.net, f.theta, r, NULL);
    num_rng_gaussian(r, 0.2, f.theta, f.net->nparams); /* non-zero biases too */
    num_rng_gaussian(r, 1.0, f.X, f.n * 3);
    gsl_rng_free(r);
    for (size_t i = 0; i < f.n; i++)
        f.y[i] = i % 3;
    return f;
}

static void mlp_unmake(mlp_fix *f)
{
    num_ctrain_free(f->tr);
    num_mlp_free(f->net);
    free(f->theta);
    free(f->X);
}

static double mlp_objective(mlp_fix *f, const num_ctrain_opts *o)
{
    double L;
    assert_int_equal(num_ctrain_eval(f->tr, f->net, f->theta, f->X, f->y, f->n, o, &L, NULL),
                     NUM_OK);
    double t2 = cblas_ddot((int)f->net->nparams, f->theta, 1, f->theta, 1);
    return L + 0.5 * o->weight_decay * t2;
}

static void test_ctrain_gradient_and_momentum(void **state)
{
    (void)state;
    for (int loss = 0; loss < 2; loss++) {
        mlp_fix f = mlp_make(500 + (uint64_t)loss);
        size_t P = f.net->nparams;
        num_ctrain_opts o = {.loss = (num_cls_loss)loss, .lr = 1e-3, .momentum = 0.0,
                             .weight_decay = 0.05};
        double *t0 = malloc(P * sizeof *t0), *g = malloc(P * sizeof *g);
        memcpy(t0, f.theta, P * sizeof *t0);
        double L, acc, gn;
        assert_int_equal(num_ctrain_eval(f.tr, f.net, f.theta, f.X, f.y, f.n, &o, &L, &acc),
                         NUM_OK);
        assert_int_equal(num_ctrain_update(f.tr, f.net, f.theta, &o, &gn), NUM_OK);
        double gmax = 0.0, g2 = 0.0;
        for (size_t k = 0; k < P; k++) {
            g[k] = (t0[k] - f.theta[k]) / o.lr;
            gmax = fmax(gmax, fabs(g[k]));
            g2 += g[k] * g[k];
        }
        expect_close("gradient norm", gn, sqrt(g2), 1e-9 * gn);
        const double h = 1e-5;
        for (size_t k = 0; k < P; k++) {
            memcpy(f.theta, t0, P * sizeof *t0);
            f.theta[k] = t0[k] + h;
            double fp = mlp_objective(&f, &o);
            f.theta[k] = t0[k] - h;
            double fm = mlp_objective(&f, &o);
            char what[64];
            snprintf(what, sizeof what, "MLP dF/dtheta[%zu] loss %d", k, loss);
            expect_close(what, g[k], (fp - fm) / (2 * h), 1e-6 * gmax);
        }
        /* Heavy ball over two steps: theta2 = theta1 - eta (mu g0 + g1). */
        memcpy(f.theta, t0, P * sizeof *t0);
        num_ctrain_reset(f.tr);
        o.momentum = 0.9;
        double *g1 = malloc(P * sizeof *g1), *t1 = malloc(P * sizeof *t1);
        assert_int_equal(num_ctrain_eval(f.tr, f.net, f.theta, f.X, f.y, f.n, &o, &L, NULL),
                         NUM_OK);
        assert_int_equal(num_ctrain_update(f.tr, f.net, f.theta, &o, NULL), NUM_OK);
        memcpy(t1, f.theta, P * sizeof *t1);
        /* g1 from a momentum-free step at theta1 on a second trainer */
        num_ctrain *tr2 = num_ctrain_alloc(f.net, f.n);
        num_ctrain_opts o0 = o;
        o0.momentum = 0.0;
        assert_int_equal(num_ctrain_eval(tr2, f.net, t1, f.X, f.y, f.n, &o0, &L, NULL), NUM_OK);
        double *t1b = malloc(P * sizeof *t1b);
        memcpy(t1b, t1, P * sizeof *t1b);
        assert_int_equal(num_ctrain_update(tr2, f.net, t1b, &o0, NULL), NUM_OK);
        for (size_t k = 0; k < P; k++)
            g1[k] = (t1[k] - t1b[k]) / o.lr;
        assert_int_equal(num_ctrain_eval(f.tr, f.net, f.theta, f.X, f.y, f.n, &o, &L, NULL),
                         NUM_OK);
        assert_int_equal(num_ctrain_update(f.tr, f.net, f.theta, &o, NULL), NUM_OK);
        for (size_t k = 0; k < P; k++)
            expect_close("heavy ball", f.theta[k], t1[k] - o.lr * (0.9 * g[k] + g1[k]),
                         1e-12 * (1.0 + fabs(t1[k])));
        num_ctrain_free(tr2);
        free(t1b);
        /* Frozen layers 1..2: only the output layer moves. */
        memcpy(f.theta, t0, P * sizeof *t0);
        num_ctrain_reset(f.tr);
        num_ctrain_opts of = {.loss = (num_cls_loss)loss, .lr = 0.1, .momentum = 0.5,
                              .weight_decay = 0.05, .first_trained = 2};
        for (int step = 0; step < 3; step++) {
            assert_int_equal(num_ctrain_eval(f.tr, f.net, f.theta, f.X, f.y, f.n, &of, &L, NULL),
                             NUM_OK);
            assert_int_equal(num_ctrain_update(f.tr, f.net, f.theta, &of, NULL), NUM_OK);
        }
        size_t off = f.net->off_w[2];
        assert_memory_equal(f.theta, t0, off * sizeof(double));
        assert_true(memcmp(f.theta + off, t0 + off, (P - off) * sizeof(double)) != 0);
        /* bad options */
        of.first_trained = 3;
        assert_int_equal(num_ctrain_eval(f.tr, f.net, f.theta, f.X, f.y, f.n, &of, &L, NULL),
                         NUM_OK);
        assert_int_equal(num_ctrain_update(f.tr, f.net, f.theta, &of, NULL), NUM_EINVAL);
        /* a rejected call has no side effect; an update needs a fresh evaluation */
        assert_int_equal(num_ctrain_update(f.tr, f.net, f.theta, &o, NULL), NUM_OK);
        assert_int_equal(num_ctrain_update(f.tr, f.net, f.theta, &o, NULL), NUM_EINVAL);
        free(t0);
        free(g);
        free(g1);
        free(t1);
        mlp_unmake(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_two_classes),  cmocka_unit_test(test_hand_three_classes),
        cmocka_unit_test(test_exact_etf),         cmocka_unit_test(test_fast_vs_reference),
        cmocka_unit_test(test_invariances),       cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_ufm_gradient),
        cmocka_unit_test(test_ctrain_gradient_and_momentum),
    };
    return TC_RUN("numerics/collapse", tests);
}
