/* theorems/collapse/figures.c — the figures shared by the UFM and MLP claims: the panels of
 * Papyan, Han and Donoho (Figs. 2-7 of the PNAS paper) drawn from the series "trajectory", and
 * the final class means beside the nearest simplex ETF. */
#include "theorems/collapse/collapse.h"

#include <stdio.h>

#include "numerics/etf.h"

/* One log-log panel with a solid and (when `col2` is not NULL) a dashed curve. */
static void panel(tc_result *res, const char *name, const char *title, const char *xlabel,
                  const char *ylabel, int flags, const char *col1, const char *label1,
                  const char *col2, const char *label2)
{
    tc_plot *p = tc_plot_new(res, name, title, xlabel, ylabel, flags);
    tc_plot_curve(p, "trajectory", "epoch", col1, NULL, label1, TC_STYLE_LINESPOINTS);
    if (col2)
        tc_plot_curve(p, "trajectory", "epoch", col2, NULL, label2, TC_STYLE_DASHED);
}

/* The five panels of Papyan, Han and Donoho and the loss; the epoch axis counts GD steps or,
 * under the step schedule, passes of minibatch SGD over the data. */
static void add_panels(tc_result *res, const char *what, bool sgd)
{
    char title[160];
    const char *x = sgd ? "epoch (passes of minibatch SGD)" : "epoch (GD steps)";
    const int loglog = TC_PLOT_LOGX | TC_PLOT_LOGY;
    snprintf(title, sizeof title, "NC1 variability collapse (%s)", what);
    panel(res, "nc1", title, x, "Tr(Sigma_W Sigma_B^+)", loglog, "nc1", "Tr(Sigma_W Sigma_B^+)",
          "nc1_over_c", "Tr(Sigma_W Sigma_B^+)/C");
    snprintf(title, sizeof title, "NC2 equinorm (%s)", what);
    panel(res, "equinorm", title, x, "std/mean of norms", loglog, "equinorm_means",
          "centred class means", "equinorm_weights", "classifier rows");
    snprintf(title, sizeof title, "NC2 equiangularity (%s)", what);
    panel(res, "equiangularity", title, x, "mean |cos + 1/(C-1)|", loglog, "equiangularity",
          "centred class means", "equiangularity_weights", "classifier rows");
    snprintf(title, sizeof title, "NC3 self-duality (%s)", what);
    panel(res, "self_duality", title, x, "||W/||W|| - M/||M|| ||_F^2", loglog, "self_duality",
          "classifier vs means", NULL, NULL);
    snprintf(title, sizeof title, "NC4 nearest-class-centre mismatch (%s)", what);
    panel(res, "ncc_mismatch", title, x, "fraction of training samples", TC_PLOT_LOGX,
          "ncc_mismatch", "NCC vs classifier", "accuracy", "training accuracy");
    snprintf(title, sizeof title, "Training loss (%s)", what);
    tc_plot *p = tc_plot_new(res, "loss", title, x, "mean training loss", loglog);
    tc_plot_curve(p, "trajectory", "epoch", "loss", NULL, "data loss (no weight decay term)",
                  TC_STYLE_LINES);
}

/* 2-D projection of the final centred class means beside the nearest scaled simplex ETF. */
static void add_simplex_figure(tc_ctx *ctx, tc_result *res, const nc_traj *tr, size_t C,
                               size_t p)
{
    if (!tr->means_final || p < C || p < 2)
        return;
    double *E = TC_NEW(ctx, double, C * p), *x2 = TC_NEW(ctx, double, 2 * C),
           *e2 = TC_NEW(ctx, double, 2 * C);
    if (num_etf_nearest(tr->means_final, C, p, E) != NUM_OK ||
        num_etf_project2(tr->means_final, E, C, p, x2, e2) != NUM_OK)
        return; /* a figure only: the verdict does not rest on it */
    tc_series *sm = tc_series_new(res, "means_2d", 3, (const char *[]){"class", "x", "y"});
    tc_series *se = tc_series_new(res, "simplex_2d", 3, (const char *[]){"class", "x", "y"});
    for (size_t c = 0; c < C; c++) {
        tc_series_row(sm, c, x2[2 * c], x2[2 * c + 1]);
        tc_series_row(se, c, e2[2 * c], e2[2 * c + 1]);
    }
    tc_plot *pl = tc_plot_new(res, "simplex", "Final centred class means vs simplex ETF "
                                              "(plane of the two leading principal axes)",
                              "principal axis 1", "principal axis 2", 0);
    tc_plot_curve(pl, "means_2d", "x", "y", NULL, "centred class means", TC_STYLE_POINTS);
    tc_plot_curve(pl, "simplex_2d", "x", "y", NULL, "nearest scaled simplex ETF",
                  TC_STYLE_POINTS);
}

void nc_figures(tc_ctx *ctx, tc_result *res, const char *what, const nc_traj *first, size_t C,
                size_t p)
{
    add_panels(res, what, first->step_decay);
    add_simplex_figure(ctx, res, first, C, p);
}
