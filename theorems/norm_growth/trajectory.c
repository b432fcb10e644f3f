/* theorems/norm_growth/trajectory.c — the training runs of the deep claims: deep homogeneous
 * networks trained on separable data by the flow, its log-time Euler discretisation or GD,
 * their trajectory recorded at checkpoints (numerics/homogeneous_traj.h), and the redraw of
 * initialisations that never separate the data. Shared by B2 (deep_growth.c) and A5
 * (max_margin_deep.c).
 */
#include "theorems/norm_growth/norm_growth.h"

#include <math.h>
#include <string.h>

const tc_param_spec ng_deep_params[] = {NG_DEEP_PARAMS("both", "20000", "200000", "0.1"),
                                        TC_P_END};

static void release_work(void *w)
{
    num_hom_work_free(w);
}

static void release_traj(void *T)
{
    num_hom_traj_free(T);
}

void ng_deep_widths(const ng_deep_cfg *c, size_t K, size_t *widths)
{
    widths[0] = c->d;
    for (size_t k = 1; k < K; k++)
        widths[k] = c->hidden;
    widths[K] = 1;
}

/* GD checkpoints: step indices geometric in [1, gd_steps], distinct; returns their number. */
static size_t gd_checkpoints(size_t gd_steps, size_t *at)
{
    size_t nat = 0;
    for (size_t j = 0; j < NG_CK_GEOM && nat < NG_CK_MAX; j++) {
        size_t k = (size_t)llround(pow((double)gd_steps, (double)j / (NG_CK_GEOM - 1)));
        if (nat == 0 || k > at[nat - 1])
            at[nat++] = k;
    }
    return nat;
}

/* Train one network (depth K, activation act) from a Gaussian initialisation drawn from the
 * stream `r` and record its trajectory (owned by the context); T->st reports numerical
 * failure. */
static num_hom_traj *deep_run(tc_ctx *ctx, const ng_deep_cfg *c, const ng_deep_data *D,
                              size_t K, num_act act, ng_method method, gsl_rng *r)
{
    size_t widths[NG_MAXK + 1];
    ng_deep_widths(c, K, widths);
    num_mlp *net = tc_defer(ctx, ng_release_mlp, num_mlp_alloc(K, widths, false, act));
    num_hom_traj *T = tc_defer(ctx, release_traj, num_hom_traj_alloc(K, net->nparams, NG_CK_MAX));
    double *theta = TC_NEW(ctx, double, T->P);
    num_hom_problem pb = {net, D->X, D->y, c->n, c->loss};
    num_hom_work *w = tc_defer(ctx, release_work, num_hom_work_alloc(&pb));
    num_mlp_init_gaussian(net, theta, r, NULL);
    T->pb = &pb;
    T->w = w;
    num_status st;
    if (method == RUN_GD) {
        /* Fixed step eta = gd_eta_scale / n, the same for every depth so that all runs cover
         * the same range of t: with max ||x_n|| = 1 and O(1) initial layer norms the initial
         * curvature of L is at most ~ n K e (L <= n e^{|f|}, |grad f|^2 ~ K), so the default
         * gd_eta = 0.1 keeps eta lambda_max < 2 up to K = 4; the curvature then decays with
         * L. */
        double eta = c->gd_eta_scale / (double)c->n;
        size_t at[NG_CK_MAX];
        size_t nat = gd_checkpoints(c->gd_steps, at);
        T->gd_time = true;
        st = num_hom_gd(&pb, theta, eta, c->gd_steps, at, nat, num_hom_traj_record, T, w);
        T->steps = c->gd_steps;
    } else {
        double sat[NG_CK_MAX];
        size_t nat = ng_ck_grid(c->s_max, sat);
        if (method == RUN_FLOW)
            st = num_hom_flow_logtime(&pb, theta, NG_S0, sat, nat, c->rtol, 2000000,
                                      num_hom_traj_record, T, w, &T->steps);
        else
            st = num_hom_gd_logtime(&pb, theta, NG_S0, c->euler_h, sat, nat, 5000000,
                                    num_hom_traj_record, T, w, &T->steps);
    }
    if (T->st == NUM_OK)
        T->st = st;
    T->pb = NULL;
    T->w = NULL;
    return T;
}

/* ---- configuration, data and the checked training run ------------------------------------- */

void ng_deep_cfg_read(tc_ctx *ctx, ng_deep_cfg *c, num_hom_loss loss)
{
    c->n = (size_t)tc_param_int(ctx, "n");
    c->d = (size_t)tc_param_int(ctx, "d");
    c->hidden = (size_t)tc_param_int(ctx, "hidden");
    c->gamma = tc_param_real(ctx, "gamma");
    c->s_max = tc_param_real(ctx, "s_max");
    c->rtol = tc_param_real(ctx, "rtol");
    c->euler_h = tc_param_real(ctx, "euler_step");
    c->gd_steps = (size_t)tc_param_int(ctx, "gd_steps");
    c->gd_eta_scale = tc_param_real(ctx, "gd_eta");
    c->loss = loss;
}

size_t ng_deep_acts(tc_ctx *ctx, num_act *acts)
{
    const char *a = tc_param_choice(ctx, "acts");
    size_t m = 0;
    if (strcmp(a, "linear") == 0 || strcmp(a, "both") == 0)
        acts[m++] = NUM_ACT_LINEAR;
    if (strcmp(a, "relu") == 0 || strcmp(a, "both") == 0)
        acts[m++] = NUM_ACT_RELU;
    return m;
}

void ng_deep_data_make(tc_ctx *ctx, const ng_deep_cfg *c, ng_deep_data *D)
{
    D->X = TC_NEW(ctx, double, c->n * c->d);
    D->y = TC_NEW(ctx, double, c->n);
    num_status st = ng_make_data(tc_rng(ctx), c->n, c->d, c->gamma, D->X, D->y);
    if (st != NUM_OK)
        tc_fail(ctx, "data generation: %s", num_strerror(st));
}

ng_method ng_flow_method(num_act act)
{
    return act == NUM_ACT_RELU ? RUN_EULER : RUN_FLOW;
}

uint64_t ng_deep_stream(size_t K, num_act act)
{
    return 16 * (uint64_t)K + (uint64_t)act;
}

/* A draw that stalls the log-time integrator while it still does not separate the data (min
 * margin <= 0 at the last checkpoint) is a dead initialisation as well: a sample on which
 * every unit of some layer is inactive keeps f = 0 and loss weight e^s; once a step
 * re-activates a unit on it with y f < 0, the log-time velocity grows like e^{s - y f} and no
 * step h >= 1e-12 is stable (seen for ReLU, K = 4, quick seeds 23 and 35: min margin exactly 0
 * from s ~ 12 resp. s ~ 233 on). It is outside the hypothesis of Theorem 3 like the draws of
 * NG_INIT_DRAWS; a stall of a separating network is still an error. */
static bool dead_draw(const ng_deep_cfg *c, const num_hom_traj *T, ng_method m)
{
    return c->loss == NUM_HOM_LOSS_EXP && T->st == NUM_ENOCONV && m != RUN_GD &&
           (T->nck == 0 || T->min_margin[T->nck - 1] <= 0.0);
}

num_hom_traj *ng_deep_train(tc_ctx *ctx, tc_result *res, const ng_deep_cfg *c,
                            const ng_deep_data *D, size_t K, num_act act, ng_method m,
                            uint64_t stream)
{
    num_hom_traj *T = NULL;
    for (int draw = 0; draw < NG_INIT_DRAWS; draw++) {
        /* draw 0 is the claim's usual stream; replacements are far from every deep_stream */
        gsl_rng *r = tc_stream(ctx, stream + 1024 * (uint64_t)draw);
        T = deep_run(ctx, c, D, K, act, m, r);
        bool dead = dead_draw(c, T, m);
        if (T->st != NUM_OK && !dead)
            tc_fail(ctx, "%s K=%zu %s: %s after %zu steps (checkpoint %zu)", num_act_name(act),
                    K, m == RUN_GD ? "GD" : "flow", num_strerror(T->st), T->steps, T->nck);
        bool separates = T->nck > 0 && T->min_margin[T->nck - 1] > 0.0;
        if (!dead && (c->loss != NUM_HOM_LOSS_EXP || separates)) {
            if (draw > 0) {
                char nm[96];
                ng_name(nm, sizeof nm, "%s_K%zu_%s_init_redraws", num_act_name(act), K,
                        m == RUN_GD ? "gd" : "flow");
                tc_metric_info(res, nm, (double)draw);
            }
            return T;
        }
    }
    tc_result_skip(res, "the %s K=%zu network did not separate the data from %d independent "
                   "initialisations (final min margin %.3g): Theorem 3 (003 §5.3) assumes a "
                   "separating network", num_act_name(act), K, NG_INIT_DRAWS,
                   T->nck ? T->min_margin[T->nck - 1] : 0.0);
    return NULL;
}
