/* tests/unit/test_local_rank.c — exact local rank of a ball's image (numerics/local_rank.h).
 *
 * 1. Layer rounding bound: one random ReLU layer computed by num_randnet_apply (dgemm) from an
 *    input perturbed by a known vector of norm e_in stays within num_local_rank_layer_error of
 *    the exact layer of the unperturbed input, computed here in long double by direct sums.
 * 2. Secant spectrum: a ball whose secants are G M (rank k by construction) has k singular
 *    values counted above a rounding tolerance, a 2-decade gap below them; the squares of the
 *    singular values sum to the secants' squared Frobenius norm (independent sum); with p = 1
 *    the one singular value is the secant's norm. A full-rank ball (fault: independent noise
 *    on every point) counts p.
 * 3. The count and its decades on a hand-made spectrum; edge cases (none / all counted).
 * 4. The region certificate: equal signs and |z| > e, and each way it fails.
 */
#include "tc_test.h"

#include <float.h>

#include "numerics/linalg.h"
#include "numerics/local_rank.h"
#include "numerics/randnet.h"
#include "numerics/rng.h"

static void test_layer_error_bound(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(tc_test_seed(777u));
    const size_t m = 300, d = 200, n = 4;
    double *W = malloc(sizeof(double) * m * d), *X = malloc(sizeof(double) * n * d);
    double *Xp = malloc(sizeof(double) * n * d), *Z = malloc(sizeof(double) * n * m);
    double *H = malloc(sizeof(double) * n * m), dx[200];
    assert_int_equal(num_randnet_draw(r, m, d, 1.0 / sqrt((double)m), W, 0.0, NULL), NUM_OK);
    num_rng_gaussian(r, 1.0, X, n * d);
    /* The perturbation of the input: a random direction of norm e_in = 1e-9 ||x||. */
    double hmax = 0.0, e_in = 0.0;
    for (size_t i = 0; i < n; i++) {
        double xn = num_linalg_nrm2(d, X + i * d);
        num_rng_gaussian(r, 1.0, dx, d);
        double s = 1e-9 * xn / num_linalg_nrm2(d, dx);
        for (size_t c = 0; c < d; c++)
            Xp[i * d + c] = X[i * d + c] + s * dx[c];
        double en = 0.0;
        for (size_t c = 0; c < d; c++) {
            long double v = (long double)Xp[i * d + c] - (long double)X[i * d + c];
            en += (double)(v * v);
        }
        e_in = fmax(e_in, sqrt(en));
        hmax = fmax(hmax, num_linalg_nrm2(d, Xp + i * d));
    }
    assert_int_equal(num_randnet_apply(Xp, n, d, W, m, NULL, NUM_ACT_RELU, 0.1, Z, H), NUM_OK);
    double n2;
    assert_int_equal(num_linalg_norm_2(m, d, W, &n2), NUM_OK);
    double bound = num_local_rank_layer_error(e_in, n2 * (1.0 + 1e-9),
                                              num_linalg_norm_fro(m, d, W), d, hmax);
    for (size_t i = 0; i < n; i++) {
        long double err2 = 0.0L;
        for (size_t j = 0; j < m; j++) {
            long double z = 0.0L;
            for (size_t c = 0; c < d; c++)
                z += (long double)W[j * d + c] * (long double)X[i * d + c];
            long double h = z > 0.0L ? z : 0.0L, e = (long double)H[i * m + j] - h;
            err2 += e * e;
        }
        double err = sqrt((double)err2);
        if (!(err <= bound)) {
            print_error("%.18g observed vs bound %.18g\n", err, bound);
            fail();
        }
        /* The bound must not be vacuous: the perturbation alone moves the output by about
         * e_in / sqrt(2) (half the units active), and the bound is within 10^3 of e_in. */
        assert_true(bound < 1e3 * e_in);
    }
    free(W), free(X), free(Xp), free(Z), free(H);
    gsl_rng_free(r);
}

/* A ball of p points around c whose secants are G M (G p x k, M k x m), optionally with
 * independent noise of size `noise` on every ball point (the fault). */
static void make_ball(gsl_rng *r, size_t p, size_t k, size_t m, double scale, double noise,
                      double *H)
{
    double *G = malloc(sizeof(double) * p * k), *M = malloc(sizeof(double) * k * m);
    num_rng_gaussian(r, 1.0, H, m);
    num_rng_gaussian(r, 1.0, G, p * k);
    num_rng_gaussian(r, scale, M, k * m);
    for (size_t b = 0; b < p; b++)
        for (size_t j = 0; j < m; j++) {
            double v = 0.0, e;
            for (size_t q = 0; q < k; q++)
                v += G[b * k + q] * M[q * m + j];
            num_rng_gaussian(r, noise, &e, 1);
            H[(b + 1) * m + j] = H[j] + v + e;
        }
    free(G), free(M);
}

static void test_secant_rank(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(tc_test_seed(778u));
    const size_t m = 64, k = 3, p = 7;
    double *H = malloc(sizeof(double) * (p + 1) * m), *work = malloc(sizeof(double) * p * m);
    double s[7], cmax, lo, hi;
    size_t count;
    make_ball(r, p, k, m, 1e-5, 0.0, H);
    assert_int_equal(num_local_rank_secant_svals(H, p, m, work, s, &cmax), NUM_OK);
    /* Rows near norm sqrt(m) = 8: each secant entry is rounded once in the sum c + v (u |c|)
     * and once in the difference: the secant matrix is off by at most sqrt(p m) 2 eps 4 |c|max;
     * we count against 10 times the generic bound sqrt(p m) eps max|H|. */
    double hmx = 0.0;
    for (size_t i = 0; i < (p + 1) * m; i++)
        hmx = fmax(hmx, fabs(H[i]));
    double tol = 10.0 * sqrt((double)(p * m)) * DBL_EPSILON * hmx;
    num_local_rank_count(s, p, tol, &count, &lo, &hi);
    assert_int_equal(count, k);
    assert_true(lo + hi >= 2.0);
    double fro2 = 0.0, ss = 0.0;
    for (size_t i = 0; i < p * m; i++)
        fro2 += work[i] * work[i];
    for (size_t i = 0; i < p; i++)
        ss += s[i] * s[i];
    expect_rel("sum of squared singular values", ss, fro2, 1e-12);
    /* p = 1: the singular value is the secant's norm. */
    double s1;
    assert_int_equal(num_local_rank_secant_svals(H, 1, m, work, &s1, &cmax), NUM_OK);
    double d2 = 0.0;
    for (size_t j = 0; j < m; j++)
        d2 += (H[m + j] - H[j]) * (H[m + j] - H[j]);
    expect_rel("one secant", s1, sqrt(d2), 1e-14);
    expect_rel("column max", cmax, sqrt(d2), 1e-14);
    /* Fault: independent noise 1e-8 on every point (far above rounding) fills all p. */
    make_ball(r, p, k, m, 1e-5, 1e-8, H);
    assert_int_equal(num_local_rank_secant_svals(H, p, m, work, s, NULL), NUM_OK);
    num_local_rank_count(s, p, tol, &count, &lo, &hi);
    assert_int_equal(count, p);
    free(H), free(work);
    gsl_rng_free(r);
}

static void test_count(void **state)
{
    (void)state;
    const double s[4] = {10.0, 1.0, 1e-9, 1e-14};
    size_t c;
    double lo, hi;
    num_local_rank_count(s, 4, 1e-11, &c, &lo, &hi);
    assert_int_equal(c, 3);
    expect_close("lo", lo, 2.0, 1e-12);
    expect_close("hi", hi, 3.0, 1e-12);
    num_local_rank_count(s, 4, 100.0, &c, &lo, &hi);
    assert_int_equal(c, 0);
    assert_true(isinf(lo));
    expect_close("hi (none counted)", hi, 1.0, 1e-12);
    num_local_rank_count(s, 4, 1e-15, &c, &lo, &hi);
    assert_int_equal(c, 4);
    assert_true(isinf(hi));
    const double z[2] = {1.0, 0.0};
    num_local_rank_count(z, 2, 1e-3, &c, &lo, &hi);
    assert_int_equal(c, 1);
    assert_true(isinf(hi));
}

static void test_same_region(void **state)
{
    (void)state;
    double Z[6] = {1.0, -2.0, 1.5, -1.0, 0.5, -3.0}; /* 3 rows x 2 columns, p = 2 */
    assert_true(num_local_rank_same_region(Z, 2, 2, 0.1));
    assert_false(num_local_rank_same_region(Z, 2, 2, 0.6)); /* |0.5| <= e */
    Z[4] = -0.5;                                           /* a sign flips */
    assert_false(num_local_rank_same_region(Z, 2, 2, 0.1));
}

static void test_arguments(void **state)
{
    (void)state;
    double H[4] = {0}, w[2], s[1];
    assert_int_equal(num_local_rank_secant_svals(NULL, 1, 2, w, s, NULL), NUM_EINVAL);
    assert_int_equal(num_local_rank_secant_svals(H, 0, 2, w, s, NULL), NUM_EINVAL);
    assert_true(isinf(num_local_rank_layer_error(0.0, 1.0, 1.0, (size_t)1 << 53, 1.0)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layer_error_bound), cmocka_unit_test(test_secant_rank),
        cmocka_unit_test(test_count), cmocka_unit_test(test_same_region),
        cmocka_unit_test(test_arguments)};
    return TC_RUN("numerics/local_rank", tests);
}
