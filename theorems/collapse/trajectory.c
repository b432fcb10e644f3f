/* theorems/collapse/trajectory.c — the measurement shared by the UFM and MLP claims: train a
 * model (full-batch GD, or minibatch SGD with step decays for the MLP) and record the
 * neural-collapse metrics (numerics/collapse.h) at epochs on a logarithmic grid, at the first
 * epoch of 100% training accuracy (t0), at the end, and in the gate's windows. */
#include "theorems/collapse/collapse.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "numerics/etf.h"

const char *const nc_traj_cols[TRAJ_NCOLS] = {
    "epoch",          "loss",           "accuracy",
    "nc1",            "nc1_over_c",     "equinorm_means",
    "equinorm_weights", "equiangularity", "equiangularity_weights",
    "self_duality",   "ncc_mismatch"};

const char *const ncv_names[NCV_N] = {
    "nc1", "equinorm_means", "equiangularity", "self_duality", "self_duality_centred",
    "etf_gram_distance", "ncc_mismatch", "classifier_offset", "classifier_offset_cos"};

static num_status model_eval(nc_model *m, double *loss, double *acc)
{
    if (m->kind == MODEL_UFM)
        return num_ufm_eval(m->ufm, m->y, &m->uo, loss, NULL, acc);
    return num_ctrain_eval(m->tr, m->net, m->theta, m->X, m->y, m->n, &m->mo, loss, acc);
}

/* One epoch of minibatch SGD: a fresh permutation, ceil(n / batch) steps (the last batch
 * shorter); gnorm gets the last step's minibatch gradient norm. The full-batch evaluation
 * before it is overwritten (the caller evaluates again at the next epoch). */
static num_status sgd_epoch(nc_model *m, double *gnorm)
{
    gsl_ran_shuffle(m->shuffle, m->perm, m->n, sizeof *m->perm);
    size_t d = m->net->widths[0];
    for (size_t i0 = 0; i0 < m->n; i0 += m->batch) {
        size_t nb = m->n - i0 < m->batch ? m->n - i0 : m->batch;
        num_ctrain_gather(m->X, m->y, d, m->perm + i0, nb, m->Xb, m->yb);
        double loss;
        num_status st = num_ctrain_eval(m->tr, m->net, m->theta, m->Xb, m->yb, nb, &m->mo,
                                        &loss, NULL);
        if (st == NUM_OK)
            st = num_ctrain_update(m->tr, m->net, m->theta, &m->mo, gnorm);
        if (st != NUM_OK)
            return st;
    }
    return NUM_OK;
}

static num_status model_update(nc_model *m, long e, long T, double *gnorm)
{
    if (m->kind == MODEL_UFM)
        return num_ufm_update(m->ufm, &m->uo, gnorm);
    if (m->step_decay) /* Papyan, Han, Donoho 2020: the step divided by 10 at T/3 and 2T/3 */
        m->mo.lr = m->lr0 * (3 * e >= 2 * T ? 0.01 : 3 * e >= T ? 0.1 : 1.0);
    if (m->batch > 0)
        return sgd_epoch(m, gnorm);
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

/* The decisive quantities of the current epoch (cur measured on H, W). */
static nc_point point_of(tc_ctx *ctx, const nc_model *m, const double *H, const double *W,
                         const num_collapse_metrics *cur, double *ws, double *means, long seed)
{
    size_t C = m->C, p = m->p;
    nc_point pt = {.v = {[NCV_NC1] = cur->nc1, [NCV_EQN] = cur->equinorm_means,
                         [NCV_EQA] = cur->equiangularity, [NCV_SD] = cur->self_duality,
                         [NCV_NCC] = cur->ncc_mismatch}};
    num_status st = num_collapse_offset(H, m->y, m->n, p, C, W, ws, &pt.v[NCV_SDC],
                                        &pt.v[NCV_OFF], &pt.v[NCV_OFFCOS]);
    if (st == NUM_OK)
        st = num_collapse_means(H, m->y, m->n, p, C, means, NULL, ws);
    if (st != NUM_OK)
        seed_failed(ctx, seed, "classifier offset / class means", st);
    for (size_t c = 0; c < C; c++)
        for (size_t j = 0; j < p; j++)
            means[c * p + j] -= ws[j];
    pt.v[NCV_GRAM] = num_etf_gram_distance(means, C, p);
    return pt;
}

/* The sampled windows of the noise-aware gate (step schedule): window w of phase ph starts at
 * epoch `start`, lasts `len` epochs and is sampled ns times, at start + floor(j len / ns). */
typedef struct {
    long start, len;
    size_t ns, next;
    double *x; /* ns x NCV_N */
} samp_win;

/* Training state for nc_train_record: the metric workspaces and the gate's window. */
typedef struct {
    num_collapse_work *cw;
    double *ws, *means;
    long w1, w2; /* epochs T - 2W and T - W */
    long half;   /* T/2 */
    samp_win sw[PH_N][2];
} rec_state;

/* The step schedule's windows (the derivation is in criterion.c): the state after the last
 * update at the full step is epoch p1 = floor((T - 1)/3) + 1 (updates e with 3e < T); the
 * last phase's updates start at e3 = ceil(2T/3), its states are e3 + 1 .. T. Each phase's last
 * half is cut into the windows A and B of a quarter phase. */
static void sgd_windows(tc_ctx *ctx, rec_state *r, long T, nc_traj *tr)
{
    long p1 = (T - 1) / 3 + 1, e3 = (2 * T + 2) / 3;
    long end[PH_N] = {p1, T}, len[PH_N] = {p1 / 4, (T - e3) / 4};
    for (int ph = 0; ph < PH_N; ph++) {
        long L = len[ph];
        size_t ns = (size_t)(L < SGD_WIN_SAMPLES ? L : SGD_WIN_SAMPLES);
        ns -= ns % SGD_BATCHES;
        if (ns < 2 * SGD_BATCHES)
            ns = 0; /* too short for a test: the gate leaves the phase unresolved */
        tr->ph_start[ph] = ns ? end[ph] - 2 * L + 1 : -1;
        tr->ph_len[ph] = L;
        for (int w = 0; w < 2; w++)
            r->sw[ph][w] = (samp_win){.start = end[ph] - (2 - w) * L + 1, .len = L, .ns = ns,
                                      .x = ns ? TC_NEW(ctx, double, ns * NCV_N) : NULL};
    }
}

static bool sgd_sample_due(const rec_state *r, long e)
{
    for (int ph = 0; ph < PH_N; ph++)
        for (int w = 0; w < 2; w++) {
            const samp_win *s = &r->sw[ph][w];
            if (s->next < s->ns && e == s->start + (long)s->next * s->len / (long)s->ns)
                return true;
        }
    return false;
}

static void sgd_sample(rec_state *r, long e, const nc_point *pt)
{
    for (int ph = 0; ph < PH_N; ph++)
        for (int w = 0; w < 2; w++) {
            samp_win *s = &r->sw[ph][w];
            if (s->next < s->ns && e == s->start + (long)s->next * s->len / (long)s->ns)
                memcpy(s->x + NCV_N * s->next++, pt->v, sizeof pt->v);
        }
}

static void sgd_drifts(const rec_state *r, nc_traj *tr)
{
    double a[SGD_WIN_SAMPLES], b[SGD_WIN_SAMPLES];
    for (int ph = 0; ph < PH_N; ph++) {
        const samp_win *A = &r->sw[ph][0], *B = &r->sw[ph][1];
        for (int q = 0; q < NCV_N; q++) {
            tr->drift[ph][q] = (nc_drift){.mean_a = NAN, .mean_b = NAN, .se = NAN,
                                          .sd_b = NAN};
            if (A->ns == 0 || A->next < A->ns || B->next < B->ns)
                continue;
            for (size_t j = 0; j < A->ns; j++) {
                a[j] = A->x[j * NCV_N + q];
                b[j] = B->x[j * NCV_N + q];
            }
            tr->drift[ph][q] = nc_drift_of(a, b, A->ns, SGD_BATCHES);
        }
    }
}

static rec_state rec_begin(tc_ctx *ctx, nc_model *m, long T, bool stop_at_t0, nc_traj *tr)
{
    rec_state r = {.cw = tc_defer(ctx, release_work, num_collapse_work_alloc(m->n, m->p, m->C)),
                   .ws = TC_NEW(ctx, double, num_collapse_offset_wsize(m->p, m->C)),
                   .means = TC_NEW(ctx, double, m->C * m->p), .w1 = -1, .w2 = -1};
    tr->t0 = -1;
    tr->final_gnorm = NAN;
    tr->input_nc1 = NAN;
    tr->window_div = m->step_decay ? GATE_WINDOW_DIV_DECAY : GATE_WINDOW_DIV;
    tr->window = stop_at_t0 ? 0 : T / tr->window_div;
    if (tr->window == 0 && !stop_at_t0 && T >= 2)
        tr->window = 1;
    if (tr->window > 0) {
        r.w1 = T - 2 * tr->window;
        r.w2 = T - tr->window;
    }
    r.half = stop_at_t0 ? -1 : T / 2;
    tr->step_decay = m->step_decay && !stop_at_t0;
    if (tr->step_decay)
        sgd_windows(ctx, &r, T, tr);
    return r;
}

/* The end of the run (epoch e): the final metrics, the gate's drifts and, under SGD, the
 * full-batch gradient (SGD's own norms are minibatch ones). */
static void record_stop(tc_ctx *ctx, nc_model *m, const rec_state *rs, const double *H, long seed,
                        long e, double loss, double acc, const num_collapse_metrics *cur,
                        nc_traj *tr)
{
    tr->final = *cur;
    tr->last = e;
    tr->final_loss = loss;
    tr->final_acc = acc;
    record_final(ctx, m, H, seed, tr);
    if (tr->step_decay)
        sgd_drifts(rs, tr);
    if (m->kind == MODEL_MLP && m->batch > 0) {
        double gn;
        num_status st = num_ctrain_grad_norm(m->tr, m->net, m->theta, &m->mo, &gn);
        if (st != NUM_OK)
            seed_failed(ctx, seed, "final gradient", st);
        tr->final_gnorm = gn;
    }
}

void nc_train_record(tc_ctx *ctx, nc_model *m, long seed, long T, bool stop_at_t0,
                     tc_series *s, nc_traj *tr)
{
    rec_state rs = rec_begin(ctx, m, T, stop_at_t0, tr);
    num_collapse_work *cw = rs.cw;
    double ratio = pow(10.0, 1.0 / TRAJ_PER_DECADE), next = 1.0;
    num_collapse_metrics cur;
    for (long e = 0; e <= T; e++) {
        bool on_grid = (e == 0) || ((double)e >= next);
        bool at_win = (e == rs.w1 || e == rs.w2 || e == rs.half);
        at_win = at_win || (tr->step_decay && sgd_sample_due(&rs, e));
        /* Minibatch SGD evaluates its own minibatches: the full-batch evaluation serves only
         * to find t0 and to measure, so after t0 it is skipped between measured epochs (it
         * changes no state: the records are the same) */
        if (m->batch > 0 && tr->t0 >= 0 && e < T && !on_grid && !at_win)
            goto step;
        double loss, acc;
        num_status st = model_eval(m, &loss, &acc);
        if (st != NUM_OK)
            seed_failed(ctx, seed, "forward pass / loss", st);
        bool first_tpt = (tr->t0 < 0 && acc >= 1.0);
        bool stop = (e == T) || (stop_at_t0 && first_tpt);
        if (on_grid || first_tpt || stop || at_win) {
            const double *H, *W, *b;
            model_view(m, &H, &W, &b);
            st = num_collapse_measure(cw, H, m->y, m->n, m->p, m->C, W, b, &cur);
            if (st != NUM_OK)
                seed_failed(ctx, seed, "collapse metrics", st);
            bool need_pt = first_tpt || stop || at_win;
            nc_point pt = need_pt ? point_of(ctx, m, H, W, &cur, rs.ws, rs.means, seed)
                                  : (nc_point){{0}};
            if (e == rs.w1 || e == rs.w2)
                tr->pt_win[e == rs.w2] = pt;
            if (tr->step_decay)
                sgd_sample(&rs, e, &pt);
            if (e == rs.half)
                tr->pt_half = pt;
            if (e == 0)
                tr->init = cur;
            if (first_tpt) {
                tr->t0 = e;
                tr->at_t0 = cur;
                tr->pt_t0 = pt;
            }
            if (stop)
                tr->pt_final = pt;
            if (!(on_grid || first_tpt || stop))
                goto step; /* a window point only: not in the series */
            if (e > 0)
                series_row(s, e, loss, acc, &cur);
            while ((double)e >= next)
                next *= ratio;
            if (stop) {
                record_stop(ctx, m, &rs, H, seed, e, loss, acc, &cur, tr);
                return;
            }
        }
    step:;
        double gn;
        st = model_update(m, e, T, &gn);
        if (st != NUM_OK)
            seed_failed(ctx, seed, "gradient step", st);
        tr->final_gnorm = gn;
    }
}
