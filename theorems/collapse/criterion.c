/* theorems/collapse/criterion.c — the judge shared by the UFM and MLP claims: the worst case
 * over seeds of each quantity of the criterion (a)/(b) of collapse.h, and its verdict. */
#include "theorems/collapse/collapse.h"

#include <math.h>

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
    crit_metric(res, a, "self_duality_tpt_decades", w->dec[3], TC_GT, D);
    /* (b) the final geometry at relative resolution r (thresholds derived in collapse.h):
     * NC1 (C - 1) r^2, NC2 r, NC3 r^2, NC4 ncc_max. */
    crit_metric(res, b, "nc1_final", w->fin[0], TC_LE, (double)(C - 1) * r * r);
    tc_metric_info(res, "nc1_over_c_final", w->nc1_over_c);
    crit_metric(res, b, "equinorm_means_final", w->fin[1], TC_LE, r);
    crit_metric(res, b, "equiangularity_final", w->fin[2], TC_LE, r);
    crit_metric(res, b, "etf_gram_distance_final", w->gram, TC_LE, r);
    crit_metric(res, b, "self_duality_final", w->fin[3], TC_LE, r * r);
    crit_metric(res, b, "ncc_mismatch_final", w->ncc, TC_LE, cr->ncc_max);
    tc_metric_info(res, "equinorm_weights_final", w->equinorm_w);
    tc_metric_info(res, "equiangularity_weights_final", w->equiangle_w);
}
