/* theorems/collapse/trajectory.c — the measurement shared by the UFM and MLP claims: train a
 * model by full-batch GD and record the neural-collapse metrics (numerics/collapse.h) at epochs
 * on a logarithmic grid, at the first epoch of 100% training accuracy (t0) and at the end. */
#include "theorems/collapse/collapse.h"

#include <math.h>

#include "numerics/etf.h"

const char *const nc_traj_cols[TRAJ_NCOLS] = {
    "epoch",          "loss",           "accuracy",
    "nc1",            "nc1_over_c",     "equinorm_means",
    "equinorm_weights", "equiangularity", "equiangularity_weights",
    "self_duality",   "ncc_mismatch"};

static num_status model_eval(nc_model *m, double *loss, double *acc)
{
    if (m->kind == MODEL_UFM)
        return num_ufm_eval(m->ufm, m->y, &m->uo, loss, NULL, acc);
    return num_ctrain_eval(m->tr, m->net, m->theta, m->X, m->y, m->n, &m->mo, loss, acc);
}

static num_status model_update(nc_model *m, double *gnorm)
{
    if (m->kind == MODEL_UFM)
        return num_ufm_update(m->ufm, &m->uo, gnorm);
    return num_ctrain_update(m->tr, m->net, m->theta, &m->mo, gnorm);
}

/* Features H (n x p), classifier W (C x p) and bias b at the last model_eval. */
static void model_view(nc_model *m, const double **H, const double **W, const double **b)
{
    if (m->kind == MODEL_UFM) {
        *H = m->ufm->H;
        *W = m->ufm->W;
        *b = m->uo.bias ? m->ufm->b : NULL;
        return;
    }
    size_t K = m->net->nlayers;
    *H = num_mlp_act(num_ctrain_work(m->tr), K - 1);
    *W = num_mlp_w(m->net, m->theta, K - 1);
    *b = num_mlp_b(m->net, m->theta, K - 1);
}

static void series_row(tc_series *s, long e, double loss, double acc,
                       const num_collapse_metrics *m)
{
    if (!s)
        return;
    tc_series_row(s, (double)e, loss, acc, m->nc1, m->nc1_over_c, m->equinorm_means,
                  m->equinorm_weights, m->equiangularity, m->equiangularity_weights,
                  m->self_duality, m->ncc_mismatch);
}

static void release_work(void *w)
{
    num_collapse_work_free(w);
}

_Noreturn static void seed_failed(tc_ctx *ctx, long seed, const char *where, num_status st)
{
    tc_fail(ctx, "seed %ld: %s failed: %s", seed, where, num_strerror(st));
}

/* The end state: the centred class means (for the figure) and their distance to a simplex
 * ETF. */
static void record_final(tc_ctx *ctx, const nc_model *m, const double *H, long seed,
                         nc_traj *tr)
{
    size_t C = m->C, p = m->p;
    tr->means_final = TC_NEW(ctx, double, C * p);
    double *g = TC_NEW(ctx, double, p);
    num_status st = num_collapse_means(H, m->y, m->n, p, C, tr->means_final, NULL, g);
    if (st != NUM_OK)
        seed_failed(ctx, seed, "final class means", st);
    for (size_t c = 0; c < C; c++)
        for (size_t j = 0; j < p; j++)
            tr->means_final[c * p + j] -= g[j];
    tr->gram_final = num_etf_gram_distance(tr->means_final, C, p);
}

void nc_train_record(tc_ctx *ctx, nc_model *m, long seed, long T, bool stop_at_t0,
                     tc_series *s, nc_traj *tr)
{
    num_collapse_work *cw = tc_defer(ctx, release_work,
                                     num_collapse_work_alloc(m->n, m->p, m->C));
    double ratio = pow(10.0, 1.0 / TRAJ_PER_DECADE), next = 1.0;
    num_collapse_metrics cur;
    tr->t0 = -1;
    tr->final_gnorm = NAN;
    for (long e = 0; e <= T; e++) {
        double loss, acc;
        num_status st = model_eval(m, &loss, &acc);
        if (st != NUM_OK)
            seed_failed(ctx, seed, "forward pass / loss", st);
        bool first_tpt = (tr->t0 < 0 && acc >= 1.0);
        bool stop = (e == T) || (stop_at_t0 && first_tpt);
        bool on_grid = (e == 0) || ((double)e >= next);
        if (on_grid || first_tpt || stop) {
            const double *H, *W, *b;
            model_view(m, &H, &W, &b);
            st = num_collapse_measure(cw, H, m->y, m->n, m->p, m->C, W, b, &cur);
            if (st != NUM_OK)
                seed_failed(ctx, seed, "collapse metrics", st);
            if (e == 0)
                tr->init = cur;
            if (first_tpt) {
                tr->t0 = e;
                tr->at_t0 = cur;
            }
            if (e > 0)
                series_row(s, e, loss, acc, &cur);
            while ((double)e >= next)
                next *= ratio;
            if (stop) {
                tr->final = cur;
                tr->last = e;
                tr->final_loss = loss;
                tr->final_acc = acc;
                record_final(ctx, m, H, seed, tr);
                return;
            }
        }
        double gn;
        st = model_update(m, &gn);
        if (st != NUM_OK)
            seed_failed(ctx, seed, "gradient step", st);
        tr->final_gnorm = gn;
    }
}
