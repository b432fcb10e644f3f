/* theorems/collapse/etf_definition.c — F0 etf_definition: the simplex ETF satisfies the
 * definition of an equiangular tight frame in the 004 slides, to rounding.
 *
 * measure: build the simplex ETF of C vectors in R^p (canonical and random orientations) and
 *          take every defect of the definition relative to its tolerance ETF_TOL_C max(C,p) eps;
 * judge:   each defect ratio <= 1, the span has dimension C - 1;
 * figure:  the largest defect per size against the tolerance. */
#include "theorems/collapse/collapse.h"

#include <math.h>

#include "numerics/etf.h"

static const tc_param_spec etf_params[] = {
    TC_P_LIST("classes", "2,3,4,10", "2,3,4,5,10,20,50,100", 2, 1000,
              "numbers of vectors C of the simplex ETFs built"),
    TC_P_LIST("extra_dims", "0,1,5", "0,1,5,50", 0, 1000,
              "ambient dimension p = C + extra (the construction needs p >= C)"),
    TC_P_INT("orientations", "3", "10", 1, 1000,
             "random orientations (Haar) per size, besides the canonical one"),
    TC_P_END};

/* The worst defect of each kind relative to its tolerance, over all sizes and orientations,
 * and one row per size (C, p, largest absolute defect, tolerance) for the figure. */
typedef struct {
    double norm, eq, sx, coh, welch, tight, rank, amb_min;
    size_t nrows;
    double *rows; /* nrows x 4 */
} etf_defects;

/* The defects of one size (C, p) over the canonical and `nor` random orientations. */
static void measure_size(tc_ctx *ctx, gsl_rng *r, size_t C, size_t p, long nor, double *M,
                         etf_defects *w)
{
    double worst_here = 0.0, tol = ETF_TOL_C * (double)(C > p ? C : p) * DBL_EPSILON;
    for (long o = 0; o <= nor; o++) {
        num_etf_report rep;
        num_status st = num_etf_simplex(C, p, o ? r : NULL, M);
        if (st == NUM_OK)
            st = num_etf_check(M, C, p, &rep);
        if (st != NUM_OK)
            tc_fail(ctx, "simplex ETF C = %zu, p = %zu: %s", C, p, num_strerror(st));
        double c_exp = 1.0 / (double)(C - 1);
        double d[6] = {rep.norm_dev, rep.equiangle_dev, rep.simplex_dev,
                       fabs(rep.coherence - c_exp), fabs(rep.welch - c_exp),
                       rep.tight_dev_span};
        w->norm = fmax(w->norm, d[0] / tol);
        w->eq = fmax(w->eq, d[1] / tol);
        w->sx = fmax(w->sx, d[2] / tol);
        w->coh = fmax(w->coh, d[3] / tol);
        w->welch = fmax(w->welch, d[4] / tol);
        w->tight = fmax(w->tight, d[5] / tol);
        w->rank = fmax(w->rank, fabs((double)rep.rank - (double)(C - 1)));
        w->amb_min = fmin(w->amb_min, rep.tight_dev_ambient);
        for (int k = 0; k < 6; k++)
            worst_here = fmax(worst_here, d[k]);
    }
    double *row = w->rows + 4 * w->nrows++;
    row[0] = (double)C;
    row[1] = (double)p;
    row[2] = fmax(worst_here, DBL_MIN);
    row[3] = tol;
}

static void etf_measure(tc_ctx *ctx, etf_defects *w)
{
    size_t nc, ne;
    const double *cs = tc_param_list(ctx, "classes", &nc);
    const double *es = tc_param_list(ctx, "extra_dims", &ne);
    long nor = tc_param_int(ctx, "orientations");
    gsl_rng *r = tc_rng(ctx);
    *w = (etf_defects){.amb_min = INFINITY, .rows = TC_NEW(ctx, double, 4 * nc * ne)};
    for (size_t i = 0; i < nc; i++)
        for (size_t j = 0; j < ne; j++) {
            size_t C = (size_t)llround(cs[i]), p = C + (size_t)llround(es[j]);
            measure_size(ctx, r, C, p, nor, TC_NEW(ctx, double, C * p), w);
        }
}

static void etf_judge(tc_result *res, const etf_defects *w)
{
    /* 004 Definition (1): ||x_i|| = 1. */
    tc_metric(res, "unit_norm_defect_over_tol", w->norm, TC_LE, 1.0);
    /* 004 Definition (2): |<x_i, x_j>| = c for all i != j. */
    tc_metric(res, "equal_abs_inner_product_defect_over_tol", w->eq, TC_LE, 1.0);
    /* 004 NC2: cos = -1/(N-1) (simplex), c = 1/(C-1). */
    tc_metric(res, "simplex_inner_product_defect_over_tol", w->sx, TC_LE, 1.0);
    tc_metric(res, "coherence_defect_over_tol", w->coh, TC_LE, 1.0);
    /* 004 Remark (optimal packing): an ETF attains the Welch bound; for the simplex it is
     * 1/(C-1) with r = C - 1. */
    tc_metric(res, "welch_bound_defect_over_tol", w->welch, TC_LE, 1.0);
    /* 004 Definition (3) with d = dim span = C - 1: (d/n) sum <x, x_i> x_i = x on the span. */
    tc_metric(res, "tight_frame_of_span_defect_over_tol", w->tight, TC_LE, 1.0);
    tc_metric(res, "span_dimension_minus_c_minus_1", w->rank, TC_EQ, 0.0);
    /* (3) read in the ambient R^p (p >= C > C - 1): never a tight frame — reported. */
    tc_metric_info(res, "ambient_tight_frame_defect_min", w->amb_min);
}

static void etf_figure(tc_result *res, const etf_defects *w)
{
    tc_series *s = tc_series_new(res, "defects", 4,
                                 (const char *[]){"classes", "dim", "max_defect", "tolerance"});
    for (size_t i = 0; i < w->nrows; i++)
        tc_series_add(s, w->rows + 4 * i);
    tc_plot *p = tc_plot_new(res, "defects", "Simplex ETF: largest defect of the definition",
                             "number of vectors C", "defect", TC_PLOT_LOGX | TC_PLOT_LOGY);
    tc_plot_curve(p, "defects", "classes", "max_defect", NULL, "largest defect (1)-(3)",
                  TC_STYLE_POINTS);
    tc_plot_curve(p, "defects", "classes", "tolerance", NULL, "tolerance 64 max(C,p) eps",
                  TC_STYLE_POINTS);
}

static void run_etf(tc_ctx *ctx, tc_result *res)
{
    etf_defects w;
    etf_measure(ctx, &w);
    etf_judge(res, &w);
    etf_figure(res, &w);
    tc_result_conclude(res);
}

const tc_claim collapse_etf_definition = {
    .id = "etf_definition",
    .family = "collapse",
    .title = "The simplex ETF satisfies the ETF definition (exact)",
    .source = "004 Neural Collapse slides: 'Definition' of an equiangular tight frame and NC2 "
              "(cos = -1/(N-1)); Remark (optimal packing: Welch bound)",
    .statement = "An equiangular tight frame is a family {x_i}_{i=1}^n in R^d with (1) "
                 "||x_i|| = 1, (2) |<x_i, x_j>| = c for all i != j, (3) (d/n) sum_i <x, x_i> x_i "
                 "= x for all x. The simplex ETF of C vectors, M = sqrt(C/(C-1)) (I - 11^T/C) "
                 "U^T, is such a family with <x_i, x_j> = -1/(C-1).",
    .hypotheses = "2 <= C <= p; U (p x C) with orthonormal columns (Haar or canonical). The "
                  "simplex spans C - 1 dimensions, so (3) is read with d = C - 1 on its span; "
                  "the ambient reading (d = p) is reported (it fails whenever p > C - 1).",
    .expect = TC_EXPECT_HOLDS,
    .params = etf_params,
    .data = TC_DATA_NONE,
    .run = run_etf};
