/* numerics/implicit_bias.h — the asymptotic expansion of gradient flow on separable data
 * around the hard-margin SVM (Soudry, Hoffer, Nacson, Gunasekar & Srebro 2018, "The implicit
 * bias of gradient descent on separable data", JMLR 19, Theorem 3; 003 §4 eq. (4)).
 *
 * For linearly separable data and the exponential loss the flow in log-time s = log t is
 *   w(s) = w_hat s + rho(s),    g_n = y_n x_n,   m_n = g_n.w_hat,
 *   d rho/ds = sum_{n in S} g_n (exp(-g_n.rho) - alpha_n) + sum_{n not in S} g_n
 *              exp(-(m_n - 1) s - g_n.rho),
 * with w_hat the hard-margin SVM, alpha its dual variables and S the support vectors. The
 * component of rho in span{g_n : n in S} converges to w_tilde_S, the minimum-norm solution of
 * g_n.w = -log alpha_n (n in S), at the rate kappa_S = smallest nonzero eigenvalue of
 * H_S = sum_S alpha_n g_n g_n^T; the other samples force it with terms decaying like
 * exp(-(m_n - 1) s); the rest of rho keeps its value. Hence the predicted state
 *   w_pred(s) = w_hat s + rho_pred,   rho_pred = w_tilde_S + (I - P_S) rho(s).
 *
 * num_ib_setup solves the SVM (numerics/svm.h) and derives w_tilde_S, P_S, the null-space
 * projector of X and the rates; num_ib_analyse compares one state w(s) with the prediction.
 * Workload: n up to ~10^4 samples, d up to ~10^3 (dense d x d projectors).
 */
#ifndef NUM_IMPLICIT_BIAS_H
#define NUM_IMPLICIT_BIAS_H

#include <stddef.h>

#include "numerics/losses.h"
#include "numerics/num.h"
#include "numerics/svm.h"

typedef struct {
    size_t n, d;
    double *X, *y;       /* data (copied) */
    double *G;           /* n x d, rows g_n = y_n x_n */
    num_svm *svm;
    size_t ns;           /* support vectors (alpha > 0), counted per sample */
    size_t nsu;          /* distinct support vectors g_n (duplicates merged, see below) */
    size_t merged;       /* samples whose g_n = y_n x_n repeats an earlier sample's */
    double *GS;          /* nsu x d: the distinct support vectors */
    double *aS;          /* nsu: their merged dual variables (sum of the group's alpha_n) */
    double *wt;          /* w_tilde_S (d) */
    double *PS;          /* d x d projector onto span{g_n : n in S} */
    double *Pnull;       /* d x d projector onto the null space of X */
    double kappa_S;      /* smallest nonzero eigenvalue of H_S */
    double sigma_S;      /* smallest nonzero singular value of G_S */
    double m2;           /* smallest functional margin off the support (INFINITY if none) */
    double kappa;        /* min(kappa_S, m2 - 1) */
    double R;            /* max_n ||x_n|| */
    double alpha_max, alpha_sum, alpha_log_alpha; /* sum alpha log alpha */
    size_t rank_X, rank_S;
    int degenerate;      /* support vectors linearly dependent (alpha not unique), or a sample
                          * on the margin with alpha = 0 */
    double *rhs, *M, *ev, *sv; /* scratch of num_ib_setup: n, n x n, n, min(n, d) */
} num_ib_problem;

/* A problem for n samples in dimension d (NULL on failure or n, d == 0); num_ib_setup may be
 * called on it repeatedly. */
num_ib_problem *num_ib_alloc(size_t n, size_t d);
void num_ib_free(num_ib_problem *p);

/* Solve the SVM for (X, y) (n x d row-major, labels +-1; copied) and derive w_tilde_S, the
 * projectors and the rates. Samples with the same g_n = y_n x_n (bit for bit) enter the loss as
 * one sample with multiplicity c (sum_n exp(-g_n.w) has c equal terms), so the SVM is solved on
 * the distinct g's and each sample of a group gets the equal share alpha_u / c of the group's
 * dual: the flow's terms are exp(-g.rho) = alpha_u / c per sample (Soudry et al.'s A2 per
 * sample), and the per-sample duals stay unique where the distinct support vectors are
 * independent. Data without repeats take the unmerged path unchanged.
 * rank_c: the constant c of the rank decisions (numerics/linalg.h: singular values above
 * c max(m, n) eps s_max count); on_margin_tol: a non-support sample with functional margin
 * within this of 1 counts as on the margin (degenerate). Returns NUM_OK, or
 * the SVM's status (NUM_EINFEASIBLE for non-separable data: p->svm keeps the certificate), or
 * a LAPACK failure of the derivations. */
num_status num_ib_setup(num_ib_problem *p, const double *X, const double *y, double rank_c,
                        double on_margin_tol);

typedef struct {
    double s, norm, logL;
    double gap, margin_gap;   /* direction gap, SVM margin minus normalised margin of w */
    double relerr;            /* max_S |exp(-g_n.rho)/alpha_n - 1| */
    double gap_pred;          /* direction gap of w_hat s + rho_pred */
    double rho_par, rho_perp; /* components of rho_pred along / across w_hat */
    double fns;               /* |sum_{not S} g_n exp(-(m_n - 1) s - g_n.rho_pred)| */
    double tl_nonsv;          /* sum_{not S} exp(-(m_n - 1) s - g_n.rho_pred) */
    double rho[4];            /* first components of rho(s) */
    double rho_pred[4];       /* first components of rho_pred */
} num_ib_state;

/* Work space of num_ib_analyse, in doubles. */
#define NUM_IB_ANALYSE_WORK(n, d) ((n) + 2 * (d) + ((n) > (d) ? (n) : (d)))

/* The quantities of the state w at log-time s (loss: the logarithm of the loss is reported for
 * the margin losses, 0 for NUM_LOSS_SQUARE); work: NUM_IB_ANALYSE_WORK(n, d) doubles. */
void num_ib_analyse(const num_ib_problem *p, num_margin_loss loss, const double *w, double s,
                    double *work, num_ib_state *o);

/* |P_S w0 - w_tilde_S|: the amplitude of the transient of the S-dynamics; work: d doubles. */
double num_ib_transient(const num_ib_problem *p, const double *w0, double *work);

/* Output grid: nout (>= 2) log-spaced times in [s_first, s_end] (0 < s_first < s_end) plus the
 * nextra extra times; sorted, duplicates removed. grid holds nout + nextra entries. Returns the
 * count; idx[k] receives the position of extra[k]. */
size_t num_ib_grid(double s_first, double s_end, size_t nout, const double *extra, size_t nextra,
                   double *grid, size_t *idx);

/* Largest pairwise distance of the unit vectors of the rows of W (K x d). */
double num_ib_spread(const double *W, size_t K, size_t d);

#endif /* NUM_IMPLICIT_BIAS_H */
