/* theorems/regularised_path/regularised_path.h — family M (CLAIMS.md M; issue #14): the
 * regularisation path of a linear classifier, 003 §11.2 item 3 (eq. (24) and the text after
 * it: "In the limit of lambda -> 0 the equilibrium converges to a maximum margin solution for
 * w/||w||"), Rosset, Zhu & Hastie 2004 ("Margin maximizing loss functions", NIPS 16, Thm 2.1).
 * Private to the family.
 *
 * Penalised loss sum_n l(y_n w.x_n) + lambda ||w||^2, ell = log(1/lambda), solved per ell by
 * numerics/regpath.h. Predicted rate (derived in docs/claims/regularised_path.md §Derivation):
 * with w_hat the hard-margin SVM, alpha its duals, S the support vectors, g_n = y_n x_n,
 *   w_lambda = s w_hat + rho + sigma,   rho _|_ w_hat,  g_n.rho = -log alpha_n + kappa (n in S),
 *   kappa = sum_S alpha log alpha / sum_S alpha,   s e^s = e^(ell - kappa) / 2 (s = W0(.)),
 *   ||sigma|| <= ||rho|| / (s kappa_S - 1)  (kappa_S = min eig of H_S = sum_S alpha_n g_n g_n^T),
 * so the direction gap is gap_pred(ell) = gap(s w_hat + rho, w_hat) ~ C / s, C = ||rho|| / ||w_hat||,
 * and s = ell - log ell + O(1): gap ~ C / log(1/lambda). The logistic loss has the same
 * expansion: -l'(m) = e^-m (1 + O(e^-m)) and e^-m ~ 2 s alpha lambda on S.
 */
#ifndef TC_THEOREMS_REGULARISED_PATH_H
#define TC_THEOREMS_REGULARISED_PATH_H

#include <stddef.h>

#include "numerics/implicit_bias.h"
#include "numerics/losses.h"
#include "theorems/claim.h"
#include "theorems/result.h"

/* SVM certificate: the KKT residual the solver reaches (numerics/svm.h, ~1e-12 measured); as
 * family A (max_margin MM_KKT_TOL) a residual above it is a solver failure. */
#define RP_KKT_TOL 1e-9
/* Rank decisions of num_ib_setup (c in c max(n, d) eps s_max) and the margin within which a
 * non-support sample counts as on the margin (as family A: MM_RANK_C, MM_MARGIN_DEGENERATE). */
#define RP_RANK_C 10.0
#define RP_ON_MARGIN 1e-8
/* Asymptotic window: a path point enters the fits when the derived relative error bound tau of
 * gap_pred is <= 1/4 (tau = 2 x first-order bound; the factor 2 covers the geometric tail
 * x / (1 - x) <= 8x/7 of (s H_S + I)^-1 and the quadratic remainder of exp(-g.sigma), together
 * < 2x once x <= 1/8). Fewer than RP_MIN_WINDOW points there: inconclusive. */
#define RP_TAU_MAX 0.25
#define RP_MIN_WINDOW 4
/* Newton criterion ||grad Phi|| <= max(tol ||w||, 4 floor) (regpath.h); the direction error it
 * certifies, dir_err, enters tau as 2 dir_err / gap. The gaps reach ~1e-5 at ell = 1e5 and tau
 * ~1e-3 there, so dir_err ~1e-10 costs ~1e-5 of tau. The floor grows like the margins
 * (d eps R^2 ||w|| ~ 1e-10 ||w|| at ell ~ 1e5, ~1e-9 at 1e6): where it binds, the reported
 * dir_err (and hence tau) grows with it — measured, never assumed. */
#define RP_NEWTON_TOL 1e-10
/* The square loss: its gap to the SVM is O(0.1) and the path converges like e^-ell / s_min^2:
 * 1e-7 suffices; its rounding floor grows like e^ell (n + d) eps R^2 (the Hessian's condition
 * number), which is why its ell range stops at ell_square_max. */
#define RP_NEWTON_TOL_SQUARE 1e-7

typedef struct {
    num_margin_loss loss;
} rp_config;

/* Everything measured, for judge and figure. */
typedef struct {
    size_t n, d, npts, nwin;
    num_margin_loss loss;
    num_ib_problem *ib;          /* SVM, w_tilde_S, kappa_S, m2 */
    double *ell, *gap, *norm, *dir_err, *min_margin; /* per path point */
    double *s, *gap_pred, *tau, *ratio;              /* prediction (margin losses) */
    double *gap_mn;              /* square: gap to the minimum-norm interpolant */
    double *rho;                 /* d: rho = P_perp w_tilde_S */
    double rho_norm, what_norm, C, kappa, nonsv_mass;
    size_t iters;                /* Newton iterations along the path */
    double sigma_min;            /* square: smallest singular value of G */
    double mn_bound_end;         /* square: 2 e^-ell / sigma_min^2 + dir_err at the end */
} rp_run;

/* path.c: data, SVM, the path (cblas/lapacke side). Returns 0 when the run ended (skip). */
int rp_measure(tc_ctx *ctx, tc_result *res, rp_run *m);

/* predict.c: the prediction (GSL Lambert W) and the judgement of the margin losses. */
void rp_predict(rp_run *m);
void rp_judge_margin(tc_ctx *ctx, tc_result *res, rp_run *m);

extern const tc_claim rp_claim_exp;
extern const tc_claim rp_claim_logistic;
extern const tc_claim rp_claim_square;

#endif
