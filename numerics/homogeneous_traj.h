/* numerics/homogeneous_traj.h — the trajectory of a scalar-output network trained by one of the
 * drivers of numerics/homogeneous.h, recorded at its checkpoints, and the late-window fits of
 * such a trajectory (the measurements of 003 §12.2 item 5, §13-§14 on a real network).
 *
 * At each checkpoint the recorder stores log t, log L, the min margin, the layer norms
 * ||W_k||_F, their product, the normalised margin (num_hom_observe) and the normalised
 * parameters V (every W_k divided by ||W_k||_F, the directions of 003 §13 Proposition 6).
 * The fits are least-squares lines on the window lo <= log t <= hi (numerics/fit.h):
 *   log prod_k ||W_k||  against log log t   (exponent of the product against log t),
 *   log ||W_k||         against log log t   (exponent of each layer),
 *   prod_k ||W_k||      against log t       (slope against log t),
 *   -log L - log t      against log log t   (the coefficient of eq. (57)'s log log t term).
 *
 * Workload: a few hundred checkpoints of a few thousand parameters; one allocation per
 * trajectory, none per checkpoint.
 */
#ifndef NUM_HOMOGENEOUS_TRAJ_H
#define NUM_HOMOGENEOUS_TRAJ_H

#include <stdbool.h>
#include <stddef.h>

#include "numerics/fit.h"
#include "numerics/homogeneous.h"
#include "numerics/mlp.h"
#include "numerics/num.h"

#define NUM_HOM_TRAJ_MAXK 8 /* most layers a trajectory's fits cover */

typedef struct {
    size_t K, P;            /* layers, parameters of the network */
    size_t cap, nck;        /* capacity, checkpoints recorded so far */
    double *s;              /* [cap] log t of each checkpoint */
    double *log_loss;       /* [cap] log L */
    double *min_margin;     /* [cap] min_n y_n f_n */
    double *prod;           /* [cap] prod_k ||W_k||_F */
    double *gamma;          /* [cap] normalised margin min_n y_n f_n / prod_k ||W_k||_F */
    double *norms;          /* [cap x K] ||W_k||_F, row per checkpoint */
    double *V;              /* [cap x P] theta with each W_k / ||W_k||_F (unchanged if 0) */
    size_t steps;           /* the driver's step count (set by the caller) */
    num_status st;          /* NUM_OK, or the failure of num_hom_observe that stopped it */
    /* set by the caller for the duration of the driver call: */
    const num_hom_problem *pb;
    num_hom_work *w;
    bool gd_time;           /* the driver passes t (num_hom_gd), not s = log t; t = 0 is
                             * skipped (no log) */
} num_hom_traj;

/* A trajectory for cap checkpoints of a K-layer network with P parameters (K <= P). NULL if
 * the allocation fails or an argument is 0. */
num_hom_traj *num_hom_traj_alloc(size_t K, size_t P, size_t cap);
void num_hom_traj_free(num_hom_traj *T);

/* The num_hom_observer that records a checkpoint: arg is the num_hom_traj (with pb and w set).
 * Returns 1 (stop the driver) when the trajectory is full or num_hom_observe fails (T->st). */
int num_hom_traj_record(void *arg, double time, const double *theta);

/* Late-window fits of a trajectory. */
typedef struct {
    num_fit_line prod_exp;   /* log prod against log s */
    num_fit_line layer_exp[NUM_HOM_TRAJ_MAXK];
    double layer_exp_max;    /* largest layer_exp[k].slope */
    num_fit_line prod_slope; /* prod against s */
    num_fit_line loglog;     /* (-log L) - s against log s */
    double prod_growth;      /* prod at the checkpoint nearest hi / at the one nearest lo, - 1 */
} num_hom_traj_fits;

/* The fits above on the window [lo, hi] of s = log t (lo > 0). Returns NUM_EINVAL (K >
 * NUM_HOM_TRAJ_MAXK, no checkpoints, fewer than 3 in the window), NUM_ENOMEM, or the first
 * failing fit's status (the fits before it are filled). */
num_status num_hom_traj_fit(const num_hom_traj *T, double lo, double hi, num_hom_traj_fits *F);

/* Index of the checkpoint whose s is closest to target (the first of equals; 0 if n == 0). */
size_t num_hom_traj_index(const double *s, size_t n, double target);

/* Largest over layers of ||V_k(ib) - V_k(ia)||_F between checkpoints ia and ib; net gives the
 * layer layout (the network the trajectory was recorded from). */
double num_hom_traj_layer_move(const num_hom_traj *T, const num_mlp *net, size_t ia, size_t ib);

#endif /* NUM_HOMOGENEOUS_TRAJ_H */
