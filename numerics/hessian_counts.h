/* numerics/hessian_counts.h — counts read off Hessian spectra at the special points of the
 * hessian claims (003 §12.1 Theorem 4 and §12.3.2): zero-loss points of the square loss,
 * separating points of the exponential loss, and the flat directions that the activation
 * pattern of a bias-free ReLU network implies.
 *
 * Workload: one call per point; P up to a few thousand parameters, n up to a few hundred
 * samples. Every function allocates its O(P^2) (or O(n P)) scratch per call and frees it.
 */
#ifndef NUM_HESSIAN_COUNTS_H
#define NUM_HESSIAN_COUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "numerics/mlp.h"
#include "numerics/num.h"
#include "numerics/spectrum.h"

/* Everything measured at a zero-loss point of the square loss 1/2 ||f(X) - Y||_F^2. */
typedef struct {
    size_t P, m;          /* parameters, n d' */
    num_spectrum_zeros z; /* zero count of the Hessian spectrum */
    size_t rank_J;        /* SVD rank of J (tolerance c max(m, P) eps sigma_max) */
    size_t lg_zeros;      /* tolerance-free largest-gap count (num_spectrum_largest_gap) */
    double lg_decades;
    double gn_rel;        /* max |H - J^T J| / max |J^T J| (0 if J^T J = 0) */
    double asym;          /* assembly asymmetry before symmetrisation (num_hessian_full) */
    double mem_mib;       /* H, J^T J, the eigensolver's copy and J, in MiB */
    size_t block_rank;    /* rank of the W_k columns of J for the layer cond_k (0 if none) */
} num_hessian_point;

/* The Hessian of the square loss at theta (exact, num_hessian_full with blocks of `block`
 * directions), its eigenvalues (ascending, into evals[0..P)), their zero count with tolerance
 * c P eps lambda_max and their largest-gap count above floor_rel; the Jacobian J (n d' x P),
 * its rank, and the Gauss–Newton comparison of 003 eq. (28) (H = J^T J at zero loss).
 * cond_k >= 1: the rank of the columns of J belonging to W_{cond_k} as well.
 * Returns NUM_EINVAL, NUM_ENOMEM, or the failure of a kernel. Allocates 3 P^2 + n d' P
 * doubles. */
num_status num_hessian_square_point(const num_mlp *net, const double *theta, const double *X,
                                    const double *Y, size_t n, double c, size_t cond_k,
                                    size_t block, double floor_rel, double *evals,
                                    num_hessian_point *pt);

/* Counts of the Hessian of the exponential loss. */
typedef struct {
    size_t nonzero;  /* eigenvalues above the tolerance c m eps lambda_max */
    size_t distinct; /* distinct nonzero eigenvalues at that tolerance */
    double amax;     /* max |lambda| */
} num_hessian_exp_count;

/* The block [p0, p1) (m = p1 - p0) of the Hessian of the exponential loss at theta for labels
 * y = +-1 (one output), with the sample weights shifted by the smallest margin
 * (num_hess_opts.exp_shift), its eigenvalues into evals[0..m), and their counts.
 *   min_margin  out: min_s y_s f(x_s)
 * Returns NUM_EINFEASIBLE if theta does not separate (min_margin <= 0), else as the kernels.
 * Allocates m^2 + n doubles and the workspaces. */
num_status num_hessian_exp_counts(const num_mlp *net, const double *theta, const double *X,
                                  const double *y, size_t n, size_t p0, size_t p1, double c,
                                  size_t block, double *evals, num_hessian_exp_count *out,
                                  double *min_margin);

/* Largest norm scale a at which the Hessian of the exponential loss of the one-layer model
 * sigma(a w0^T x) (eq. (44) of 003) stays representable: the smallest-margin sample n* has the
 * smallest |z_n| = |w0^T x_n| (the margin |sigma(z)| increases with |z| for an odd increasing
 * sigma), its weight is 1 after the margin shift, and every term is positive semidefinite, so
 * lambda_max >= g(z_{n*}) |x_{n*}|^2 with g = sigma'^2 + |sigma''|. The zero tolerance
 * c d eps lambda_max is a normal number as long as g(a z_{n*}) >= DBL_MIN / (c d eps) (and
 * |x_{n*}| >= 1). Returns z_lim / |w0^T x_{n*}|, where z_lim is the largest z with g(z) above
 * that threshold (bisection on the monotone tail; INFINITY if g stays above it up to 1e6, as
 * for smooth ReLU on z > 0, or if some w0^T x_n = 0). net->widths[0] = d; X is n x d. */
double num_hessian_exp_scale_limit(const num_mlp *net, const double *w0, const double *X,
                                   size_t n, double c);

/* Whether the null space of J of a bias-free ReLU network at the point of the last forward
 * pass (mw) can only come from the per-unit rescalings: every hidden unit is active on more
 * samples than its fan-in and inactive on at least one (a unit active on fewer samples than its
 * fan-in leaves its incoming weights under-determined, a dead unit frees all its weights, two
 * units active on every sample act linearly and add a GL(2) symmetry); and the linear regions
 * do not limit the rank: inside one activation pattern the network is linear in x, so the
 * Jacobian rows of the n_p samples sharing pattern p span at most min(n_p, d) d' dimensions
 * (none if the last hidden layer is off). Requires sum_p min(n_p, d) d' > P - sum_k N_k.
 *   generic  out: the answer
 * Returns NUM_EINVAL or NUM_ENOMEM. Allocates n (sum_k N_k + 1) bytes. */
num_status num_hessian_relu_generic(const num_mlp *net, const num_mlp_work *mw, size_t n,
                                    bool *generic);

/* Zero eigenvalues that the activation pattern implies at a zero-loss point of a bias-free
 * ReLU network with one hidden layer (N units) and one output, f(x) = sum_j a_j relu(w_j.x).
 * With delta_sj = [w_j.x_s > 0] (the pre-activations of the last forward pass, mw), row s of J
 * is (a_j delta_sj x_s^T)_j for the incoming weights and (delta_sj w_j.x_s)_j for the output
 * weights. The output column of unit j is (1/a_j) sum_i w_ji times its incoming columns (the
 * tangent of the rescaling, 003 eq. (1)), so for a_j != 0 rank J = rank C with
 * C = [D_1 X, ..., D_N X] (n x N d, D_j = diag(delta_.j)), and
 *     P - rank J = N + (N d - rank C)
 * exactly: N rescalings plus the nullity of C, computed here from the pattern and X only
 * (rank tolerance c max(n, N d) eps sigma_max, num_linalg_rank). The nullity is zero for a
 * non-degenerate pattern; e.g. two units whose patterns differ on m < d samples add d - m, a
 * dead unit adds d, a unit active on fewer than d samples d - (active count).
 * Returns NUM_EINVAL (not one hidden layer), NUM_ENOMEM, or the failure of the SVD. */
num_status num_hessian_relu_pattern_nullity(const num_mlp *net, const num_mlp_work *mw,
                                            const double *X, size_t n, double c,
                                            size_t *nullity);

#endif /* NUM_HESSIAN_COUNTS_H */
