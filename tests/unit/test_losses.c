/* tests/unit/test_losses.c — losses against direct evaluation and gradients against central
 * finite differences.
 *
 * Central differences with step h have truncation error h^2 |f'''| / 6 and rounding error
 * ~ eps |f| / h; with h = 1e-5 (all quantities O(1) here) both are ~1e-10, so the tolerance
 * is 1e-7 relative to the gradient scale. The log-domain evaluation is checked at
 * ||w|| = 1e6, where L itself overflows. Seeds are fixed and printed.
 */

#include "tc_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numerics/losses.h"
#include "numerics/rng.h"

/* TC_TEST_SEED overrides it (tc_test.h); the value is printed once. */
#define SEED ((unsigned)tc_test_seed(99173u))
#define FD_H 1e-5
#define FD_TOL 1e-7

/* Direct (long double) reference of L(w) = sum l(y_n w.x_n). */
static long double direct_margin_loss(num_margin_loss loss, size_t n, size_t d,
                                      const double *X, const double *y, const double *w)
{
    long double L = 0;
    for (size_t i = 0; i < n; i++) {
        long double z = 0;
        for (size_t j = 0; j < d; j++)
            z += (long double)X[i * d + j] * w[j];
        z *= y[i];
        L += loss == NUM_LOSS_EXP ? expl(-z) : log1pl(expl(-z));
    }
    return L;
}

static void check_margin_loss(num_margin_loss loss)
{
    gsl_rng *r = num_rng_alloc(SEED + (unsigned)loss);
    printf("# margin loss %d seed %u\n", (int)loss, SEED + (unsigned)loss);
    size_t n = 17, d = 5;
    double *X = malloc(n * d * sizeof *X), y[17], w[5], g[5], ng[5], work[17], wp[5];
    num_rng_gaussian(r, 1.0, X, n * d);
    for (size_t i = 0; i < n; i++)
        y[i] = i % 3 ? 1.0 : -1.0;
    num_rng_gaussian(r, 0.5, w, d);
    double logL;
    assert_int_equal(num_loss_margin(loss, n, d, X, y, w, &logL, g, ng, work), NUM_OK);
    long double Lref = direct_margin_loss(loss, n, d, X, y, w);
    expect_close("log L", logL, (double)logl(Lref), 8 * (double)n * DBL_EPSILON);
    double gscale = 0;
    for (size_t j = 0; j < d; j++)
        gscale = fmax(gscale, fabs(g[j]));
    for (size_t j = 0; j < d; j++) {
        memcpy(wp, w, sizeof wp);
        wp[j] = w[j] + FD_H;
        double Lp = (double)direct_margin_loss(loss, n, d, X, y, wp);
        wp[j] = w[j] - FD_H;
        double Lm = (double)direct_margin_loss(loss, n, d, X, y, wp);
        expect_close("grad vs central difference", g[j], (Lp - Lm) / (2 * FD_H),
                     FD_TOL * (1 + gscale));
        expect_close("ngrad = grad / L", ng[j], g[j] / (double)Lref,
                     64 * DBL_EPSILON * (1 + fabs(ng[j])));
    }
    /* Hessian vs central differences of the gradient. */
    double H[25], gp[5], gm[5];
    assert_int_equal(num_loss_margin_hessian(loss, n, d, X, y, w, H), NUM_OK);
    for (size_t j = 0; j < d; j++) {
        memcpy(wp, w, sizeof wp);
        wp[j] = w[j] + FD_H;
        num_loss_margin(loss, n, d, X, y, wp, NULL, gp, NULL, work);
        wp[j] = w[j] - FD_H;
        num_loss_margin(loss, n, d, X, y, wp, NULL, gm, NULL, work);
        for (size_t i = 0; i < d; i++)
            expect_close("Hessian vs central difference", H[i * d + j],
                         (gp[i] - gm[i]) / (2 * FD_H), FD_TOL * (1 + fabs(H[i * d + j])));
    }
    /* Huge norms: ||w|| = 1e6. Scale w; log L must stay finite and equal the largest
     * -z_n-type term up to log(n) (log-sum-exp bounds: max a <= lse <= max a + log n). */
    double wn = 0;
    for (size_t j = 0; j < d; j++)
        wn += w[j] * w[j];
    for (size_t j = 0; j < d; j++)
        wp[j] = w[j] * 1e6 / sqrt(wn);
    double z[17], amax = -INFINITY;
    num_loss_margins(n, d, X, y, wp, z);
    for (size_t i = 0; i < n; i++)
        amax = fmax(amax, num_loss_log_ell(loss, z[i]));
    num_status st = num_loss_margin(loss, n, d, X, y, wp, &logL, g, ng, work);
    assert_true(isfinite(logL));
    assert_true(logL >= amax && logL <= amax + log((double)n) + 1e-12);
    if (loss == NUM_LOSS_EXP) {
        assert_true(amax > 1e4); /* a misclassified sample: L = e^{>1e4} overflows ... */
        assert_int_equal(st, NUM_ENAN); /* ... so the plain gradient overflows, reported */
        for (size_t j = 0; j < d; j++)
            assert_true(isfinite(ng[j]));
        /* ... and the normalised gradient is that of the dominant sample: at this norm every
         * other weight is below e^{-1e3}. */
        size_t imax = 0;
        for (size_t i = 0; i < n; i++)
            if (z[i] < z[imax])
                imax = i;
        for (size_t j = 0; j < d; j++)
            expect_close("ngrad at 1e6", ng[j], -y[imax] * X[imax * d + j], 1e-12);
    } else {
        /* logistic: L grows only linearly (~1e6), everything is finite */
        assert_int_equal(st, NUM_OK);
        double Lh = exp(logL);
        for (size_t j = 0; j < d; j++)
            expect_close("grad = L ngrad at 1e6", g[j], Lh * ng[j], 1e-12 * Lh);
    }
    /* All samples correctly classified at a huge norm: L underflows, log L does not. */
    double Xs[] = {1, 2, -1, 1}, ys[] = {1, -1}, ws[] = {3e5, 2e5}; /* z = 7e5, 1e5 */
    assert_int_equal(num_loss_margin(loss, 2, 2, Xs, ys, ws, &logL, g, ng, work), NUM_OK);
    expect_close("log L when L underflows", logL, -1e5, 1e-10);
    expect_close("grad underflows to 0", g[0], 0.0, 0.0);
    expect_close("ngrad of the dominant sample", ng[0], -ys[1] * Xs[2], 1e-12);
    free(X);
    gsl_rng_free(r);
}

static void test_exp_loss(void **state)
{
    (void)state;
    check_margin_loss(NUM_LOSS_EXP);
}

static void test_logistic_loss(void **state)
{
    (void)state;
    check_margin_loss(NUM_LOSS_LOGISTIC);
}

/* The logistic log-loss around its tail switch (z = 36) and at extreme margins, against
 * long double. */
static void test_logistic_tail(void **state)
{
    (void)state;
    const double zs[] = {-800, -50, -1, 0, 1, 20, 35.9, 36.0, 36.1, 100, 700, 800, 1e6};
    for (size_t i = 0; i < sizeof zs / sizeof *zs; i++) {
        double z = zs[i];
        long double ref = z > 700 ? -(long double)z : logl(log1pl(expl(-(long double)z)));
        double got = num_loss_log_ell(NUM_LOSS_LOGISTIC, z);
        expect_close("log softplus(-z)", got, (double)ref, 4 * DBL_EPSILON * fabs((double)ref) + 1e-300);
        long double sp = z > 0 ? z + log1pl(expl(-(long double)z)) : log1pl(expl(z));
        expect_close("softplus", num_softplus(z), (double)sp, 4 * DBL_EPSILON * (double)sp);
    }
    double a[] = {1e300, 1e300, -INFINITY};
    expect_close("logsumexp huge", num_logsumexp(3, a), 1e300, 1e284);
    double b[] = {-1e3, -1e3 + log(3.0)};
    expect_close("logsumexp", num_logsumexp(2, b), -1e3 + log(4.0), 1e-12);
    assert_true(num_logsumexp(0, b) == -INFINITY);
}

static void test_square_loss(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 5);
    size_t n = 9, d = 4;
    double X[36], y[9], w[4], g[4], work[9], wp[4], L, Lp, Lm;
    num_rng_gaussian(r, 1.0, X, n * d);
    num_rng_gaussian(r, 1.0, y, n);
    num_rng_gaussian(r, 1.0, w, d);
    assert_int_equal(num_loss_square(n, d, X, y, w, &L, g, work), NUM_OK);
    double ref = 0;
    for (size_t i = 0; i < n; i++) {
        double e = y[i];
        for (size_t j = 0; j < d; j++)
            e -= X[i * d + j] * w[j];
        ref += e * e;
    }
    expect_close("square loss", L, ref, 16 * DBL_EPSILON * ref);
    for (size_t j = 0; j < d; j++) {
        memcpy(wp, w, sizeof wp);
        wp[j] += FD_H;
        num_loss_square(n, d, X, y, wp, &Lp, NULL, work);
        wp[j] -= 2 * FD_H;
        num_loss_square(n, d, X, y, wp, &Lm, NULL, work);
        /* quadratic: the central difference is exact up to rounding eps L / h */
        expect_close("square grad vs central difference", g[j], (Lp - Lm) / (2 * FD_H),
                     FD_TOL * (1 + ref));
    }
    gsl_rng_free(r);
}

static void test_multiclass(void **state)
{
    (void)state;
    gsl_rng *r = num_rng_alloc(SEED + 6);
    size_t n = 6, C = 4, lab[6] = {0, 1, 2, 3, 1, 2};
    double Z[24], dZ[24], Zp[24], loss, lp, lm;
    num_rng_gaussian(r, 2.0, Z, n * C);
    assert_int_equal(num_loss_softmax_xent(n, C, Z, lab, &loss, dZ), NUM_OK);
    double ref = 0;
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t c = 0; c < C; c++)
            s += exp(Z[i * C + c]);
        ref += log(s) - Z[i * C + lab[i]];
    }
    ref /= (double)n;
    expect_close("cross-entropy", loss, ref, 64 * DBL_EPSILON * (1 + ref));
    for (size_t k = 0; k < n * C; k++) {
        memcpy(Zp, Z, sizeof Zp);
        Zp[k] += FD_H;
        num_loss_softmax_xent(n, C, Zp, lab, &lp, NULL);
        Zp[k] -= 2 * FD_H;
        num_loss_softmax_xent(n, C, Zp, lab, &lm, NULL);
        expect_close("xent grad vs central difference", dZ[k], (lp - lm) / (2 * FD_H), FD_TOL);
    }
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t c = 0; c < C; c++)
            s += dZ[i * C + c];
        expect_close("softmax rows of dZ sum to 0", s, 0.0, 8 * DBL_EPSILON);
    }
    /* Huge logits: finite loss. Row 0 logits (1e4, 0, 0, 0) with label 1 -> loss 1e4 / n. */
    double Zh[8] = {1e4, 0, 0, 0, 0, 0, 0, 1e4};
    size_t lh[2] = {1, 3};
    assert_int_equal(num_loss_softmax_xent(2, 4, Zh, lh, &loss, dZ), NUM_OK);
    expect_close("huge logits", loss, 1e4 / 2, 1e-9);
    /* MSE to one-hot. */
    assert_int_equal(num_loss_mse_onehot(n, C, Z, lab, &loss, dZ), NUM_OK);
    ref = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < C; c++) {
            double e = Z[i * C + c] - (c == lab[i]);
            ref += e * e;
        }
    ref /= 2.0 * (double)n;
    expect_close("mse", loss, ref, 64 * DBL_EPSILON * ref);
    for (size_t k = 0; k < n * C; k++) {
        memcpy(Zp, Z, sizeof Zp);
        Zp[k] += FD_H;
        num_loss_mse_onehot(n, C, Zp, lab, &lp, NULL);
        Zp[k] -= 2 * FD_H;
        num_loss_mse_onehot(n, C, Zp, lab, &lm, NULL);
        expect_close("mse grad vs central difference", dZ[k], (lp - lm) / (2 * FD_H), FD_TOL);
    }
    lab[2] = 4; /* out of range */
    assert_int_equal(num_loss_softmax_xent(n, C, Z, lab, &loss, NULL), NUM_EINVAL);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exp_loss),     cmocka_unit_test(test_logistic_loss),
        cmocka_unit_test(test_logistic_tail), cmocka_unit_test(test_square_loss),
        cmocka_unit_test(test_multiclass),
    };
    return TC_RUN("numerics/losses", tests);
}
