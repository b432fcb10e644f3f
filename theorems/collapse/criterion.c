/* theorems/collapse/criterion.c — the judge shared by the UFM and MLP claims: the worst case
 * over seeds of each quantity of the criterion (a)/(b) of collapse.h, and its verdict. */
#include "theorems/collapse/collapse.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

static double decades_of(double a, double b)
{
    return log10(fmax(a, DECADES_FLOOR) / fmax(b, DECADES_FLOOR));
}

void nc_worst_init(nc_worst *w)
{
    for (int i = 0; i < 4; i++) {
        w->dec[i] = INFINITY;
        w->fin[i] = -INFINITY;
    }
    w->ncc = w->gram = w->t0_max = w->gnorm_max = w->loss_max = -INFINITY;
    w->nc1_over_c = w->equinorm_w = w->equiangle_w = w->nc1_init = -INFINITY;
    w->acc_min = INFINITY;
    w->sdc_dec = w->offcos_min = INFINITY;
    w->sdc_fin = w->off_max = -INFINITY;
}

/* fmin/fmax that keep a NaN (undefined value) sticky */
static double nan_min(double a, double b)
{
    return (isnan(a) || isnan(b)) ? NAN : fmin(a, b);
}

static double nan_max(double a, double b)
{
    return (isnan(a) || isnan(b)) ? NAN : fmax(a, b);
}

void nc_worst_add(nc_worst *w, const nc_traj *t)
{
    const num_collapse_metrics *a = &t->at_t0, *f = &t->final;
    double va[4] = {a->nc1, a->equinorm_means, a->equiangularity, a->self_duality};
    double vf[4] = {f->nc1, f->equinorm_means, f->equiangularity, f->self_duality};
    /* fmin/fmax drop a NaN operand: keep an undefined value sticky so that it reaches
     * tc_metric (which turns it into an error) instead of being hidden by another seed. */
    for (int i = 0; i < 4; i++) {
        bool undef = isnan(va[i]) || isnan(vf[i]) || isnan(w->dec[i]);
        w->dec[i] = undef ? NAN : fmin(w->dec[i], decades_of(va[i], vf[i]));
        w->fin[i] = undef ? NAN : fmax(w->fin[i], vf[i]);
    }
    w->ncc = (isnan(w->ncc) || isnan(f->ncc_mismatch)) ? NAN : fmax(w->ncc, f->ncc_mismatch);
    w->gram = (isnan(w->gram) || isnan(t->gram_final)) ? NAN : fmax(w->gram, t->gram_final);
    w->t0_max = fmax(w->t0_max, (double)t->t0);
    w->acc_min = fmin(w->acc_min, t->final_acc);
    w->gnorm_max = fmax(w->gnorm_max, t->final_gnorm);
    w->loss_max = fmax(w->loss_max, t->final_loss);
    w->nc1_over_c = fmax(w->nc1_over_c, f->nc1_over_c);
    w->equinorm_w = fmax(w->equinorm_w, f->equinorm_weights);
    w->equiangle_w = fmax(w->equiangle_w, f->equiangularity_weights);
    w->nc1_init = fmax(w->nc1_init, t->init.nc1);
    w->sdc_dec = nan_min(w->sdc_dec, decades_of(t->pt_t0.v[NCV_SDC], t->pt_final.v[NCV_SDC]));
    w->sdc_fin = nan_max(w->sdc_fin, t->pt_final.v[NCV_SDC]);
    w->off_max = nan_max(w->off_max, t->pt_final.v[NCV_OFF]);
    w->offcos_min = nan_min(w->offcos_min, t->pt_final.v[NCV_OFFCOS]);
}

/* Record (a) as checked metrics when cr->check_decades, else as information; the same for
 * (b) with cr->check_finals. */
static void crit_metric(tc_result *res, bool checked, const char *name, double v, tc_op op,
                        double thr)
{
    if (checked)
        tc_metric(res, name, v, op, thr);
    else
        tc_metric_info_nan_ok(res, name, v);
}

void nc_judge(tc_result *res, const nc_worst *w, size_t C, const nc_criterion *cr, long T)
{
    double r = cr->resolution, D = cr->decades;
    bool a = cr->check_decades, b = cr->check_finals;
    tc_metric_info(res, "tpt_start_epoch", w->t0_max);
    tc_metric_info(res, "epochs", (double)T);
    tc_metric_info(res, "final_train_accuracy", w->acc_min);
    tc_metric_info(res, "final_loss", w->loss_max);
    tc_metric_info_nan_ok(res, "final_grad_norm", w->gnorm_max);
    tc_metric_info(res, "nc1_init", w->nc1_init);
    /* (a) 004 NC1-NC3 "-> 0" in the terminal phase: a fall by more than D decades. */
    crit_metric(res, a, "nc1_tpt_decades", w->dec[0], TC_GT, D);
    crit_metric(res, a, "equinorm_means_tpt_decades", w->dec[1], TC_GT, D);
    crit_metric(res, a, "equiangularity_tpt_decades", w->dec[2], TC_GT, D);
    /* NC3 under the MSE loss (cr->nc3_centred): the classifier rows centred, as the
     * least-squares classifier of Han, Papyan, Donoho 2022 (numerics/collapse.h); the
     * uncentred value is reported beside it. */
    bool c3 = cr->nc3_centred;
    crit_metric(res, a && !c3, "self_duality_tpt_decades", w->dec[3], TC_GT, D);
    if (c3)
        crit_metric(res, a, "self_duality_centred_tpt_decades", w->sdc_dec, TC_GT, D);
    /* (b) the final geometry at relative resolution r (thresholds derived in collapse.h):
     * NC1 (C - 1) r^2, NC2 r, NC3 r^2, NC4 ncc_max. */
    crit_metric(res, b, "nc1_final", w->fin[0], TC_LE, (double)(C - 1) * r * r);
    tc_metric_info(res, "nc1_over_c_final", w->nc1_over_c);
    crit_metric(res, b, "equinorm_means_final", w->fin[1], TC_LE, r);
    crit_metric(res, b, "equiangularity_final", w->fin[2], TC_LE, r);
    crit_metric(res, b, "etf_gram_distance_final", w->gram, TC_LE, r);
    crit_metric(res, b && !c3, "self_duality_final", w->fin[3], TC_LE, r * r);
    if (c3) {
        crit_metric(res, b, "self_duality_centred_final", w->sdc_fin, TC_LE, r * r);
        tc_metric_info_nan_ok(res, "classifier_offset_final", w->off_max);
        tc_metric_info_nan_ok(res, "classifier_offset_cos_final", w->offcos_min);
    }
    crit_metric(res, b, "ncc_mismatch_final", w->ncc, TC_LE, cr->ncc_max);
    tc_metric_info(res, "equinorm_weights_final", w->equinorm_w);
    tc_metric_info(res, "equiangularity_weights_final", w->equiangle_w);
}

/* ---- the convergence gate ---------------------------------------------------------------- */

void nc_gate_init(nc_gate *g)
{
    *g = (nc_gate){.first_seed = -1, .ph1_seed = -1};
}

/* One check of seed `seed`: quantity i against threshold thr (passes when m <= thr), read at
 * relative resolution r. The check is resolved when
 *   - it passes and the quantity cannot reach thr: neither the geometric tail of its last two
 *     windows (num_collapse_limit_interval; when it is not slowing down, no tail is assumed)
 *     nor the last window's change repeated for as long again as the run (k = T/W windows:
 *     doubling the training at the current rate) carries it across thr; a quantity
 *     moving away from thr (towards collapse) is resolved;
 *   - it fails, the same two extrapolations stay above thr, and the quantity is stationary at
 *     the claim's resolution: |m(T) - m(T - W)| <= (r / k) |m(T)|, so that
 *     doubling the training at the current rate moves it by less than r relative. A failing
 *     quantity still on its way (in either direction) is not a limit.
 * The stationarity bound is what lets a run stopped on purpose early (a quantity that falls
 * slowly at first and fast later, as nc1 in the UFM) end in `error` instead of `refuted`. */
static void gate_check(nc_gate *g, const nc_traj *t, int i, double thr, double r,
                       const char *name, long seed)
{
    double a = t->pt_win[0].v[i], b = t->pt_win[1].v[i], c = t->pt_final.v[i];
    if (!isfinite(c) || !isfinite(thr))
        return; /* undefined values already make the result an error */
    g->checks++;
    double lo = -INFINITY, hi = INFINITY, d2 = c - b, k = (double)t->window_div;
    bool have = t->window > 0 && num_collapse_limit_interval(a, b, c, &lo, &hi) == NUM_OK;
    double rel = have ? (d2 == 0.0 ? 0.0 : fabs(d2) / fabs(c)) : INFINITY;
    g->rel_change_max = fmax(g->rel_change_max, rel);
    if (have) {
        /* not slowing down (an unbounded geometric tail): a stationary but noisy quantity
         * (minibatch SGD) shows no deceleration, so the linear extrapolation decides */
        if (isinf(hi))
            hi = c;
        if (isinf(lo))
            lo = c;
        hi = fmax(hi, c + k * fmax(d2, 0.0));
        lo = fmin(lo, c - k * fmax(-d2, 0.0));
    }
    bool pass = c <= thr;
    double stat_bound = r / k, margin = fabs(thr - c) / fmax(fabs(c), DBL_MIN);
    /* a failure decides the verdict alone (resolved_fail) only if, besides, the second half of
     * the run lies in the terminal phase and the quantity moved by at most r relative over it:
     * a run stopped early, still in its transient, has no such failure */
    double half = t->pt_half.v[i];
    bool settled = isfinite(half) && fabs(c - half) <= r * fabs(c) && 2 * t->t0 <= t->last;
    /* the NCC mismatch is a count of samples: piecewise constant, so a window without change
     * is no evidence of a limit; it never decides alone */
    settled = settled && i != NCV_NCC;
    if (have && !pass && lo > thr && rel <= stat_bound && settled) {
        g->resolved_fail++;
        return;
    }
    if (have && pass && hi <= thr)
        return;
    if (have && !pass && lo > thr && rel <= stat_bound)
        return; /* resolved, but not settled enough to decide alone */
    if (g->unresolved++ == 0) {
        g->first_seed = seed;
        g->first_name = name;
        g->first_change = rel;
        /* the largest last-window change that the linear extrapolation allows */
        g->first_bound = pass ? margin / k : fmin(stat_bound, margin / k);
    }
}

/* ---- the noise-aware gate of the step schedule (optimizer=sgd) ---------------------------
 *
 * Minibatch SGD at a constant step does not converge to a point: at stationarity the
 * parameters, and every metric, fluctuate around a mean with an autocorrelation time of the
 * order of the weight-decay time. A change between two epochs is then no evidence of drift
 * (the GD gate above, which compares single epochs, refuses every SGD run for that reason);
 * what converges is the distribution. The gate compares window MEANS against their noise.
 *
 * Windows. In a phase of P epochs (the full step [0, T/3], the last step [2T/3, T]) the last
 * half is cut into two windows A, B of P/4 epochs; each quantity is sampled ns (<= 32) times
 * per window and the samples are grouped into nb = 8 consecutive batches per window. Batch
 * means of batches longer than the autocorrelation time are nearly independent (the method of
 * batch means, e.g. Flegal & Jones 2010); if the batches are shorter, the noise comes out too
 * small and the test errs towards "not converged", the safe side.
 *
 * Drift. The 2 nb batch means y_j are fitted by a line in the batch index j (least squares);
 * the drift is the fitted change over one window, delta = nb beta, with the standard error
 * se = nb s / sqrt(S_xx), s^2 = RSS / (2 nb - 2). Fitting the line matters: comparing the two
 * window means against the spread of the batch means inside each window cannot detect a
 * linear drift, because the drift itself spreads the batch means (a noiseless drift delta per
 * window gives a spread-based standard error of 0.15 delta, so k se > delta for any k > 6.5).
 *
 * Stationarity. For a stationary quantity with independent Gaussian batch means, delta / se is
 * Student-t distributed with 2 nb - 2 = 14 degrees of freedom, so
 *   |delta| <= k se,  k = t^{-1}_{14}(1 - alpha/2),  alpha = SGD_ALPHA = 1e-4  (k = 5.36)
 * rejects a stationary quantity with probability alpha; a claim run makes at most 4
 * full-step tests and 10 last-phase checks per seed, so with 10 seeds a converged run is
 * refused by noise with probability <= 140 alpha = 1.4%. A drift is detected once it exceeds
 * k se per window. A drift below r/12 relative is accepted whatever the noise: a window is
 * T/12 of the run, so the drift repeated over the whole run moves the quantity by less than
 * the resolution r (the GD gate's r/k). The rule: the drift ratio
 * |delta| / max(k se, (r/12)|m_B|) <= 1.
 *
 * The gate, per seed and per check of the criterion (quantity m, threshold theta): (i) m
 * reached stationarity at the full step, inside the terminal phase (t0 before window A): the
 * decays anneal the full step's stationary regime of m, not a transient; (ii) the decisive
 * value is read at T, the end of the last phase (step lr/100: its noise is ~10x smaller), which
 * is stationary in the same sense, and theta lies outside the noise band of the final value,
 * |m(T) - theta| > k sd_B + |delta| (sd_B: the single samples' spread over window B; stopping
 * at another epoch of the window moves m(T) by less than k sd_B at the level, and by the drift
 * of a window at most). A check meeting (i) and (ii) is resolved. (iii) As in the GD gate, the
 * verdict is a conjunction: one resolved failing check decides `refuted` (its quantity is
 * stationary at the full step, the analogue of the GD gate's "settled"; the NCC mismatch, a
 * piecewise-constant count, never decides alone); otherwise every check must be resolved. The full step's drift of each quantity is recorded whether or not it
 * decides. (iv) The budget counts the epochs of each phase (nc_gate_conclude). */

nc_drift nc_drift_of(const double *a, const double *b, size_t ns, size_t nb)
{
    nc_drift d = {.nb = nb};
    size_t m = ns / nb, n2 = 2 * nb;
    double y[2 * SGD_WIN_SAMPLES], xbar = (double)(n2 - 1) / 2.0, ybar = 0.0;
    for (size_t j = 0; j < n2; j++) {
        const double *x = j < nb ? a + j * m : b + (j - nb) * m;
        double s = 0.0;
        for (size_t i = 0; i < m; i++)
            s += x[i];
        y[j] = s / (double)m;
        ybar += y[j] / (double)n2;
        if (j < nb)
            d.mean_a += y[j] / (double)nb;
        else
            d.mean_b += y[j] / (double)nb;
    }
    double sxx = 0.0, sxy = 0.0, rss = 0.0, sd = 0.0;
    for (size_t j = 0; j < n2; j++) {
        sxx += ((double)j - xbar) * ((double)j - xbar);
        sxy += ((double)j - xbar) * (y[j] - ybar);
    }
    double beta = sxy / sxx;
    for (size_t j = 0; j < n2; j++) {
        double e = y[j] - ybar - beta * ((double)j - xbar);
        rss += e * e;
    }
    for (size_t i = 0; i < ns; i++)
        sd += (b[i] - d.mean_b) * (b[i] - d.mean_b) / (double)(ns - 1);
    d.drift = beta * (double)nb;
    d.se = (double)nb * sqrt(rss / (double)(n2 - 2) / sxx);
    d.sd_b = sqrt(sd);
    return d;
}

double nc_drift_k(size_t nb)
{
    return gsl_cdf_tdist_Qinv(SGD_ALPHA / 2.0, (double)(2 * nb - 2));
}

double nc_drift_ratio(const nc_drift *d, double k, double rel)
{
    double drift = fabs(d->drift);
    if (d->nb == 0 || !isfinite(drift) || !isfinite(d->se))
        return NAN;
    if (drift == 0.0)
        return 0.0;
    double bound = fmax(k * d->se, rel * fabs(d->mean_b));
    return bound > 0.0 ? fmin(drift / bound, 1e6) : 1e6;
}

/* (i) The full step of quantity i: its drift ratio over the full step's windows, NaN when
 * they are too short or not in the terminal phase (t0 after window A's start). */
static double sgd_full_ratio(nc_gate *g, const nc_traj *t, int i, double r, long seed)
{
    const nc_drift *d = &t->drift[PH_FULL][i];
    bool in_tpt = t->ph_start[PH_FULL] >= 0 && t->t0 <= t->ph_start[PH_FULL];
    double ratio = in_tpt ? nc_drift_ratio(d, g->drift_k, r / 12.0) : NAN;
    g->ph1_checks++;
    if (isfinite(ratio))
        g->ph1_ratio_max = fmax(g->ph1_ratio_max, ratio);
    if (ratio <= 1.0 || g->ph1_unresolved++ > 0)
        return ratio;
    g->ph1_seed = seed;
    g->ph1_name = ncv_names[i];
    g->ph1_ratio = ratio;
    g->ph1_drift = d->drift;
    g->ph1_se = d->se;
    g->ph1_rel = fabs(d->drift) / fabs(d->mean_b);
    g->ph1_from = t->ph_start[PH_FULL];
    g->ph1_len = t->ph_len[PH_FULL];
    return ratio;
}

/* (ii) One check: quantity i of seed `seed` against threshold thr, with the full-step drift
 * ratio `full` of the same quantity. */
static void sgd_check(nc_gate *g, const nc_traj *t, int i, double thr, double full, double r,
                      const char *name, long seed)
{
    double c = t->pt_final.v[i];
    if (!isfinite(c) || !isfinite(thr))
        return; /* undefined values already make the result an error */
    g->checks++;
    const nc_drift *d = &t->drift[PH_LAST][i];
    double ratio = nc_drift_ratio(d, g->drift_k, r / 12.0);
    double band = g->drift_k * d->sd_b + fabs(d->drift), margin = fabs(c - thr);
    if (isfinite(ratio))
        g->last_ratio_max = fmax(g->last_ratio_max, ratio);
    if (full <= 1.0 && ratio <= 1.0 && margin > band) {
        /* the NCC mismatch, a piecewise-constant count, never decides alone (as in gate_check) */
        if (c > thr && i != NCV_NCC)
            g->resolved_fail++;
        return;
    }
    if (g->unresolved++ == 0) {
        g->first_seed = seed;
        g->first_name = name;
        g->first_full = full;
        g->first_change = ratio;
        g->first_bound = band;
        g->first_margin = margin;
    }
}

/* The checks both gates make: the four decisive quantities (NC3 on the centred classifier
 * under the MSE convention), their names as decade checks, and the final-value thresholds
 * ((C - 1) r^2 for nc1, r for NC2, r^2 for self-duality). */
static const char *const gate_dec_names[] = {"nc1 (decades)", "equinorm_means (decades)",
                                             "equiangularity (decades)",
                                             "self_duality (decades)",
                                             "self_duality_centred (decades)"};

static void gate_targets(const nc_criterion *cr, size_t C, int idx[4], double fin_thr[4])
{
    double r = cr->resolution;
    idx[0] = NCV_NC1;
    idx[1] = NCV_EQN;
    idx[2] = NCV_EQA;
    idx[3] = cr->nc3_centred ? NCV_SDC : NCV_SD;
    fin_thr[0] = (double)(C - 1) * r * r;
    fin_thr[1] = r;
    fin_thr[2] = r;
    fin_thr[3] = r * r;
}

static void sgd_gate_add(nc_gate *g, const nc_traj *t, size_t C, const nc_criterion *cr,
                         long seed)
{
    double r = cr->resolution, fin_thr[4];
    int idx[4];
    gate_targets(cr, C, idx, fin_thr);
    g->step_decay = true;
    g->drift_k = nc_drift_k(SGD_BATCHES);
    for (int k = 0; k < 4; k++) {
        int i = idx[k];
        double full = sgd_full_ratio(g, t, i, r, seed);
        if (cr->check_decades)
            sgd_check(g, t, i, fmax(t->pt_t0.v[i], DECADES_FLOOR) * pow(10.0, -cr->decades),
                      full, r, gate_dec_names[i == NCV_SDC ? 4 : k], seed);
        if (cr->check_finals)
            sgd_check(g, t, i, fin_thr[k], full, r, ncv_names[i], seed);
    }
    if (cr->check_finals) {
        sgd_check(g, t, NCV_GRAM, r, sgd_full_ratio(g, t, NCV_GRAM, r, seed), r,
                  ncv_names[NCV_GRAM], seed);
        sgd_check(g, t, NCV_NCC, cr->ncc_max, sgd_full_ratio(g, t, NCV_NCC, r, seed), r,
                  ncv_names[NCV_NCC], seed);
    }
}

void nc_gate_add(nc_gate *g, const nc_traj *t, size_t C, const nc_criterion *cr, long seed)
{
    double r = cr->resolution, fin_thr[4];
    int idx[4];
    gate_targets(cr, C, idx, fin_thr);
    g->window = t->window > g->window ? t->window : g->window;
    if (t->step_decay) {
        sgd_gate_add(g, t, C, cr, seed);
        return;
    }
    for (int k = 0; k < 4; k++) {
        int i = idx[k];
        if (cr->check_decades) /* log10(m(t0)/m) > D  <=>  m < m(t0) 10^-D */
            gate_check(g, t, i, fmax(t->pt_t0.v[i], DECADES_FLOOR) * pow(10.0, -cr->decades),
                       r, gate_dec_names[i == NCV_SDC ? 4 : k], seed);
        if (cr->check_finals)
            gate_check(g, t, i, fin_thr[k], r, ncv_names[i], seed);
    }
    if (cr->check_finals) {
        gate_check(g, t, NCV_GRAM, r, r, ncv_names[NCV_GRAM], seed);
        gate_check(g, t, NCV_NCC, cr->ncc_max, r, ncv_names[NCV_NCC], seed);
    }
}

/* The budget: with weight decay lambda, heavy-ball momentum mu and step eta, the parameters
 * forget their initialisation as exp(-t / tau), tau = (1 - mu)/(eta lambda) steps (the
 * contraction theta -> (1 - eta lambda/(1 - mu)) theta of the decay term, per step at the
 * momentum's stationary velocity). The final geometry is read at relative resolution r, so
 * the terminal phase must last T - t0 >= tau ln(1/r) for the remembered part to fall below
 * r. Without weight decay there is no such time (tau infinite) and the windows decide. */
void nc_gate_budget(nc_gate *g, double tau_epochs, double r, double t0_max)
{
    g->tau = tau_epochs;
    g->budget_needed = tau_epochs * log(1.0 / r);
    g->t0_max = t0_max;
}

/* The terminal phase in full-step epochs: under the step schedule the decay term contracts
 * the parameters 10x (100x) more slowly in the second (last) phase, so its epochs count 1/10
 * (1/100) towards tau ln(1/r); at a constant step it is T - t0. */
static double tpt_effective(const nc_gate *g, long T)
{
    double t0 = g->t0_max, Td = (double)T;
    if (!g->step_decay)
        return Td - t0;
    double e1 = Td / 3.0, e2 = 2.0 * Td / 3.0;
    return fmax(0.0, e1 - t0) + fmax(0.0, e2 - fmax(e1, t0)) / 10.0 +
           fmax(0.0, Td - fmax(e2, t0)) / 100.0;
}

/* The noise-aware gate's records and its error (step schedule). */
static void sgd_conclude(tc_result *res, const nc_gate *g, long T)
{
    tc_metric_info(res, "convergence_drift_k", g->drift_k);
    tc_metric_info(res, "convergence_full_step_drift_ratio", g->ph1_ratio_max);
    tc_metric_info(res, "convergence_full_step_drifting", (double)g->ph1_unresolved);
    tc_metric_info(res, "convergence_last_phase_drift_ratio", g->last_ratio_max);
    tc_metric_info(res, "convergence_unresolved", (double)g->unresolved);
    tc_metric_info(res, "convergence_resolved_failures", (double)g->resolved_fail);
    if (g->unresolved == 0 || g->resolved_fail > 0)
        return;
    if (g->ph1_unresolved > 0 && isnan(g->ph1_ratio))
        tc_result_error(res,
                        "inconclusive: not converged after %ld epochs: the full step's windows "
                        "of %ld epochs (seed %ld, %s) are shorter than the %d epochs the "
                        "drift test needs, begin before t0 or hold undefined (NaN) values: no "
                        "evidence that the full step reached stationarity; %ld of %ld checks "
                        "unresolved",
                        T, g->ph1_len, g->ph1_seed, g->ph1_name, 2 * SGD_BATCHES,
                        g->unresolved, g->checks);
    else if (g->ph1_unresolved > 0)
        tc_result_error(res,
                        "inconclusive: not converged after %ld epochs: at the full step %s of "
                        "seed %ld drifted by %.3g (%.3g relative) per window of %ld epochs "
                        "(from epoch %ld), drift ratio %.3g > 1 (bound max(k se, r/12 |m|), "
                        "k = %.3g, se = %.3g): the step decays froze a transient; %ld of %ld "
                        "quantities "
                        "drifting, %ld of %ld checks unresolved",
                        T, g->ph1_name, g->ph1_seed, g->ph1_drift, g->ph1_rel, g->ph1_len,
                        g->ph1_from, g->ph1_ratio, g->drift_k, g->ph1_se, g->ph1_unresolved,
                        g->ph1_checks, g->unresolved, g->checks);
    else
        tc_result_error(res,
                        "inconclusive: not converged after %ld epochs: %s of seed %ld has drift "
                        "ratio %.3g in the last phase (bound 1) and lies %.3g from its "
                        "threshold against a noise band of %.3g; %ld of %ld checks unresolved",
                        T, g->first_name, g->first_seed, g->first_change, g->first_margin,
                        g->first_bound, g->unresolved, g->checks);
}

void nc_gate_conclude(tc_result *res, const nc_gate *g, long T)
{
    if (g->tau > 0.0 && isfinite(g->tau)) {
        tc_metric_info(res, "convergence_tau_epochs", g->tau);
        tc_metric_info(res, "convergence_tpt_needed", g->budget_needed);
        double tpt = tpt_effective(g, T);
        if (g->step_decay)
            tc_metric_info(res, "convergence_tpt_effective", tpt);
        if (tpt < g->budget_needed) {
            tc_metric_info(res, "convergence_window", (double)g->window);
            tc_result_error(res,
                            "inconclusive: not converged after %ld epochs: the terminal phase "
                            "lasted %.0f %sepochs, below tau ln(1/r) = %.0f (weight-decay time "
                            "tau = %.3g epochs: the initialisation is not yet forgotten at the "
                            "resolution r)",
                            T, tpt, g->step_decay ? "full-step-equivalent " : "",
                            g->budget_needed, g->tau);
            return;
        }
    }
    tc_metric_info(res, "convergence_window", (double)g->window);
    if (g->step_decay) {
        sgd_conclude(res, g, T);
        return;
    }
    tc_metric_info_nan_ok(res, "convergence_rel_change", g->rel_change_max);
    tc_metric_info(res, "convergence_unresolved", (double)g->unresolved);
    tc_metric_info(res, "convergence_resolved_failures", (double)g->resolved_fail);
    /* The verdict is the conjunction of the checks over every seed: one failing check that is
     * resolved decides it (refuted) whatever the unresolved ones do; otherwise every check must
     * be resolved. */
    if (g->unresolved > 0 && g->resolved_fail == 0)
        tc_result_error(res,
                        "inconclusive: not converged after %ld epochs: %s of seed %ld changed "
                        "by %.3g (relative) over the last %ld epochs (bound %.3g); %ld of %ld "
                        "checks unresolved",
                        T, g->first_name, g->first_seed, g->first_change, g->window,
                        g->first_bound, g->unresolved, g->checks);
}

/* ---- the distribution over seeds ---------------------------------------------------------- */

void nc_stats_init(tc_ctx *ctx, nc_stats *st, size_t seeds)
{
    *st = (nc_stats){.cap = seeds, .v = TC_NEW(ctx, double, seeds * NC_STATS_MAX)};
}

void nc_stats_add(nc_stats *st, const nc_traj *t, bool nc3_centred)
{
    int sd = nc3_centred ? NCV_SDC : NCV_SD;
    static const char *const fin[] = {"nc1_final", "equinorm_means_final",
                                      "equiangularity_final", "self_duality_final",
                                      "self_duality_centred_final"};
    static const char *const dec[] = {"nc1_tpt_decades", "equinorm_means_tpt_decades",
                                      "equiangularity_tpt_decades", "self_duality_tpt_decades",
                                      "self_duality_centred_tpt_decades"};
    int idx[4] = {NCV_NC1, NCV_EQN, NCV_EQA, sd};
    if (st->nseeds >= st->cap)
        return;
    double *row = st->v + st->nseeds * NC_STATS_MAX;
    size_t q = 0;
    for (int k = 0; k < 4; k++) {
        st->names[q] = fin[idx[k] == NCV_SDC ? 4 : k];
        row[q++] = t->pt_final.v[idx[k]];
    }
    st->names[q] = "etf_gram_distance_final";
    row[q++] = t->pt_final.v[NCV_GRAM];
    st->names[q] = "ncc_mismatch_final";
    row[q++] = t->pt_final.v[NCV_NCC];
    for (int k = 0; k < 4; k++) {
        st->names[q] = dec[idx[k] == NCV_SDC ? 4 : k];
        row[q++] = decades_of(t->pt_t0.v[idx[k]], t->pt_final.v[idx[k]]);
    }
    st->nq = q;
    st->nseeds++;
}

void nc_stats_report(tc_result *res, const nc_stats *st)
{
    double col[100];
    size_t n = st->nseeds < 100 ? st->nseeds : 100;
    if (n == 0)
        return;
    for (size_t q = 0; q < st->nq; q++) {
        for (size_t s = 0; s < n; s++)
            col[s] = st->v[s * NC_STATS_MAX + q];
        gsl_sort(col, 1, n);
        char name[80];
        snprintf(name, sizeof name, "%s_median", st->names[q]);
        tc_metric_info_nan_ok(res, name, gsl_stats_median_from_sorted_data(col, 1, n));
        snprintf(name, sizeof name, "%s_min", st->names[q]);
        tc_metric_info_nan_ok(res, name, col[0]);
        snprintf(name, sizeof name, "%s_max", st->names[q]);
        tc_metric_info_nan_ok(res, name, col[n - 1]);
    }
}
