/* tests/unit/test_linnet.c — numerics/linnet against independent computations:
 * - the loss in moment form against the direct residual (1/N) ||Y - X W1^T W2^T||^2;
 * - the gradient against central differences of the direct loss, the exact Hessian against
 *   central differences of the gradient (at a random point, R != 0, so the cross block counts);
 * - the spectrum: A Sxx = Syx and Sigma U = U diag(lam) reconstructed;
 * - every closed-form critical point (random gauge C): central differences of the DIRECT loss
 *   vanish there, its value is tyy - sum_{i in I} lam_i, and the Hessian's negative count equals
 *   the index predicted combinatorially (derivation at index_formula);
 * - a hand case (m = n = 2, p = 1, Sxx = I, Syx = diag(s1, s2)) with the Hessian's eigenvalues
 *   in closed form at the saddle I = {2};
 * - GD with weight decay against the first-order condition; bad input refused. */
#include "tc_test.h"

#include <float.h>
#include <string.h>

#include <cblas.h>
#include <gsl/gsl_rng.h>

#include "numerics/linalg.h"
#include "numerics/linnet.h"
#include "numerics/rng.h"

enum { NS = 40, N = 6, M = 5, MAXP = 3 };

typedef struct {
    double X[NS * N], Y[NS * M], Sxx[N * N], Syx[M * N];
    num_linnet_problem pb;
} problem;

static void make_problem(gsl_rng *r, size_t p, problem *q)
{
    num_rng_gaussian(r, 1.0, q->X, NS * N);
    num_rng_gaussian(r, 1.0, q->Y, NS * M);
    for (size_t s = 0; s < NS; s++) /* a signal so that Sigma's eigenvalues spread */
        for (size_t i = 0; i < M; i++)
            q->Y[s * M + i] += (double)(M - i) * q->X[s * N + i];
    q->pb = (num_linnet_problem){.n = N, .m = M, .p = p, .Sxx = q->Sxx, .Syx = q->Syx};
    assert_int_equal(num_linnet_moments(NS, N, M, q->X, q->Y, q->Sxx, q->Syx, &q->pb.tyy),
                     NUM_OK);
}

/* (1/N) ||Y - X W1^T W2^T||_F^2 computed from the data, not the moments. */
static double direct_loss(const problem *q, size_t p, const double *th)
{
    const double *W1 = th, *W2 = th + p * N;
    double e = 0;
    for (size_t s = 0; s < NS; s++)
        for (size_t i = 0; i < M; i++) {
            double f = 0;
            for (size_t k = 0; k < p; k++) {
                double h = 0;
                for (size_t j = 0; j < N; j++)
                    h += W1[k * N + j] * q->X[s * N + j];
                f += W2[i * p + k] * h;
            }
            e += (q->Y[s * M + i] - f) * (q->Y[s * M + i] - f);
        }
    return e / NS;
}

static void derivatives_against_differences(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(14u));
    const size_t p = 2, P = p * N + M * p;
    problem q;
    make_problem(r, p, &q);
    double th[P], G[P], Gp[P], Gm[P], H[P * P], E;
    num_rng_gaussian(r, 0.7, th, P);
    num_linnet_work *w = num_linnet_work_alloc(N, M, p);
    assert_non_null(w);
    assert_int_equal(num_linnet_eval(&q.pb, th, th + p * N, w, &E, G, G + p * N), NUM_OK);
    /* moment form vs direct: a few hundred roundings of numbers of size E */
    expect_rel("E, moments vs direct", E, direct_loss(&q, p, th), 1e-12);
    assert_int_equal(num_linnet_hessian(&q.pb, th, th + p * N, w, H), NUM_OK);
    const double h = 1e-5; /* central differences: error h^2 |f'''| ~ 1e-10 + eps E / h */
    for (size_t a = 0; a < P; a++) {
        double t[P];
        memcpy(t, th, sizeof t);
        t[a] += h;
        double ep = direct_loss(&q, p, t);
        assert_int_equal(num_linnet_eval(&q.pb, t, t + p * N, w, &E, Gp, Gp + p * N), NUM_OK);
        t[a] -= 2 * h;
        double em = direct_loss(&q, p, t);
        assert_int_equal(num_linnet_eval(&q.pb, t, t + p * N, w, &E, Gm, Gm + p * N), NUM_OK);
        expect_close("gradient vs central difference", G[a], (ep - em) / (2 * h), 1e-6);
        for (size_t b = 0; b < P; b++)
            expect_close("Hessian vs difference of gradients", H[b * P + a],
                         (Gp[b] - Gm[b]) / (2 * h), 1e-6);
    }
    num_linnet_work_free(w);
    gsl_rng_free(r);
}

/* The index of the critical point of I (|I| = k <= p), derived independently of the Hessian
 * code: (i) each used unit that sits on eigenvector i can rotate toward any unused eigenvector
 * j with lam_j > lam_i, lowering E at second order (Baldi & Hornik's saddle directions): one
 * negative direction per such pair; (ii) each of the p - k unused units (a, b) enters E at
 * second order only through 4 b^T R a, R = -P_{I-perp} Syx of rank m - k: a block with
 * eigenvalues +-2 sigma_i(R), i.e. m - k negative directions per unused unit. */
static size_t index_formula(unsigned mask, size_t p)
{
    size_t k = (size_t)__builtin_popcount(mask), neg = (p - k) * (M - k);
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < i; j++)
            neg += (mask >> i & 1u) && !(mask >> j & 1u);
    return neg;
}

static void critical_points(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(14u) + 1);
    for (size_t p = 1; p <= MAXP; p++) {
        const size_t P = p * N + M * p;
        problem q;
        make_problem(r, p, &q);
        double A[M * N], lam[M], U[M * M], S[M * M], AS[M * N], th[P], H[P * P], ev[P], C[9];
        num_linnet_work *w = num_linnet_work_alloc(N, M, p);
        assert_int_equal(num_linnet_spectrum(&q.pb, A, lam, U), NUM_OK);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, N, 1.0, A, N, q.Sxx, N, 0.0,
                    AS, N);
        for (size_t i = 0; i < M * N; i++)
            expect_close("A Sxx = Syx", AS[i], q.Syx[i], 1e-12);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, M, N, 1.0, A, N, q.Syx, N, 0.0, S,
                    M);
        for (size_t i = 0; i < M; i++)
            for (size_t j = 0; j < M; j++) {
                double su = 0;
                for (size_t l = 0; l < M; l++)
                    su += S[i * M + l] * U[l * M + j];
                expect_close("Sigma U = U Lambda", su, U[i * M + j] * lam[j], 1e-11 * lam[0]);
            }
        for (unsigned mask = 0; mask < (1u << M); mask++) {
            if ((size_t)__builtin_popcount(mask) > p)
                continue;
            num_rng_gaussian(r, 0.3, C, p * p);
            for (size_t i = 0; i < p; i++)
                C[i * p + i] += 1.0;
            assert_int_equal(num_linnet_critical_point(&q.pb, A, U, mask, C, w, th, th + p * N),
                             NUM_OK);
            double Ei = q.pb.tyy, t[P];
            for (size_t j = 0; j < M; j++)
                Ei -= (mask >> j & 1u) ? lam[j] : 0;
            expect_rel("E at the critical point", direct_loss(&q, p, th), Ei, 1e-10);
            for (size_t a = 0; a < P; a++) { /* direct loss is stationary: differences vanish */
                memcpy(t, th, sizeof t);
                t[a] += 1e-5;
                double ep = direct_loss(&q, p, t);
                t[a] -= 2e-5;
                expect_close("direct gradient at a critical point",
                             (ep - direct_loss(&q, p, t)) / 2e-5, 0.0, 1e-6 * lam[0]);
            }
            assert_int_equal(num_linnet_hessian(&q.pb, th, th + p * N, w, H), NUM_OK);
            assert_int_equal(num_linalg_eigh(P, H, ev, NULL), NUM_OK);
            size_t cnt[3];
            num_linnet_inertia(P, ev, 1e-9 * fmax(fabs(ev[0]), ev[P - 1]), cnt);
            if (cnt[0] != index_formula(mask, p))
                print_error("p = %zu, mask %u: %zu negative eigenvalues, formula %zu\n", p, mask,
                            cnt[0], index_formula(mask, p));
            assert_int_equal(cnt[0], index_formula(mask, p));
        }
        num_linnet_work_free(w);
    }
    gsl_rng_free(r);
}

/* m = n = 2, p = 1, Sxx = I, Syx = diag(s1, s2): E = ||diag(s1, s2) - W2 W1||^2 + const. At
 * I = {2}: W2 = e2, W1 = s2 e2^T; with W1 = (s, s2 + u), W2 = (t, 1 + v) the second-order part
 * is -2 s1 t s + s2^2 t^2 + s^2 + (u + s2 v)^2 (by hand), so H = 2 blocks: [[s2^2, -s1],
 * [-s1, 1]] on (t, s) and [[1, s2], [s2, s2^2]] on (u, v). */
static void hand_saddle(void **state)
{
    (void)state;
    const double s1 = 2.0, s2 = 0.5, Sxx[4] = {1, 0, 0, 1}, Syx[4] = {s1, 0, 0, s2};
    num_linnet_problem pb = {.n = 2, .m = 2, .p = 1, .Sxx = Sxx, .Syx = Syx, .tyy = 10};
    num_linnet_work *w = num_linnet_work_alloc(2, 2, 1);
    double A[4], lam[2], U[4], th[4], H[16], ev[4];
    assert_int_equal(num_linnet_spectrum(&pb, A, lam, U), NUM_OK);
    expect_close("lam_1 = s1^2", lam[0], s1 * s1, 1e-14);
    expect_close("lam_2 = s2^2", lam[1], s2 * s2, 1e-14);
    assert_int_equal(num_linnet_critical_point(&pb, A, U, 2u, NULL, w, th, th + 2), NUM_OK);
    assert_int_equal(num_linnet_hessian(&pb, th, th + 2, w, H), NUM_OK);
    assert_int_equal(num_linalg_eigh(4, H, ev, NULL), NUM_OK);
    double a = s2 * s2, root = sqrt((a - 1) * (a - 1) + 4 * s1 * s1);
    double sorted[4] = {a + 1 - root, 0.0, 2 * (1 + a), a + 1 + root};
    if (sorted[2] > sorted[3]) {
        double tmp = sorted[2];
        sorted[2] = sorted[3], sorted[3] = tmp;
    }
    for (int i = 0; i < 4; i++)
        expect_close("Hessian eigenvalue at the saddle I = {2}", ev[i], sorted[i], 1e-13);
    num_linnet_work_free(w);
}

/* GD with weight decay ends where grad E = -2 lambda W, i.e. 2 R W1^T = -2 lambda W2. */
static void gd_weight_decay(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, tc_test_seed(14u) + 2);
    const size_t p = 2, P = p * N + M * p;
    problem q;
    make_problem(r, p, &q);
    double th[P], G[P], E, gn, lmax;
    num_rng_gaussian(r, 0.5, th, P);
    num_linnet_work *w = num_linnet_work_alloc(N, M, p);
    assert_int_equal(num_linalg_eigh_max(N, q.Sxx, &lmax), NUM_OK);
    double eta = 0.02 / (lmax * 25);
    assert_int_equal(num_linnet_gd(&q.pb, 0.3, eta, 200000, th, th + p * N, w, &E, &gn),
                     NUM_OK);
    assert_int_equal(num_linnet_eval(&q.pb, th, th + p * N, w, &E, G, G + p * N), NUM_OK);
    for (size_t a = 0; a < P; a++)
        expect_close("grad E + 2 lambda W = 0 at GD's end", G[a] + 0.6 * th[a], 0.0, 1e-8);
    num_linnet_work_free(w);
    gsl_rng_free(r);
}

static void bad_input(void **state)
{
    (void)state;
    assert_null(num_linnet_work_alloc(2, 2, 3));
    const double Sxx[4] = {1, 0, 0, -1}, Syx[4] = {1, 0, 0, 1};
    num_linnet_problem pb = {.n = 2, .m = 2, .p = 1, .Sxx = Sxx, .Syx = Syx, .tyy = 1};
    double A[4], lam[2], U[4], th[4] = {0};
    assert_int_equal(num_linnet_spectrum(&pb, A, lam, U), NUM_EINVAL); /* Sxx not PD */
    num_linnet_work *w = num_linnet_work_alloc(2, 2, 1);
    assert_int_equal(num_linnet_critical_point(&pb, A, U, 3u, NULL, w, th, th + 2), NUM_EINVAL);
    double E, gn;
    assert_int_equal(num_linnet_gd(&pb, 0.0, 0.0, 1, th, th + 2, w, &E, &gn), NUM_EINVAL);
    num_linnet_work_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(derivatives_against_differences),
        cmocka_unit_test(critical_points),
        cmocka_unit_test(hand_saddle),
        cmocka_unit_test(gd_weight_decay),
        cmocka_unit_test(bad_input),
    };
    return TC_RUN("numerics/linnet", tests);
}
