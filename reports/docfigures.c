/* reports/docfigures.c — the documents' figures: the table and their composition as gnuplot
 * multiplots from the panels' CSV files (see docfigures.h; docs/figures.md).
 */
#include <stdlib.h>
#include <string.h>

#include "reports/docfigures.h"
#include "reports/figformat.h"

/* clang-format off */
const rep_docfig rep_docfigs[] = {
    {"003-fig4", "003 (Poggio et al., CBMM Memo 90) Figure 4, first pair of panels",
     "perturbation_null_walk", "null_walk,test_error", 1, 2,
     "data/perturbation_null_walk-rounds.csv", NULL,
     "Chebyshev features T_0..T_39 instead of the monomials x^0..x^39 (same function space and "
     "null-space dimension 31; with monomials zero training error to machine precision is not "
     "reachable in double precision); the x axis counts perturbation rounds (each followed by GD "
     "back to zero training error) instead of GD iterations; panel (a) shows the null-space "
     "part ||P_null w||^2 (mean over 30 seeds, with the random-walk prediction) instead of the "
     "L2 norm of the weights, panel (b) the test MSE; the document's second pair (degree 30, no "
     "perturbation) is not drawn",
     0},
    {"003-fig5", "003 (Poggio et al., CBMM Memo 90) Figure 5",
     "perturbation_deep", "error,loss,norm", 1, 3,
     "data/perturbation_deep-trajectory.csv", "perturbation_deep=data/optdigits.csv",
     "a fully connected ReLU network (2 hidden layers of 32 units in the full profile) on "
     "optdigits (100 training, 1000 test digits per seed, 32 seeds averaged) instead of the "
     "document's 5-layer CNN on CIFAR-10; full-batch GD on the cross-entropy; noise of 1/4 of "
     "each layer's weight standard deviation every 50 epochs, 20 times; the document's control "
     "row is drawn in the same panels (dashed) instead of a row of its own; the x axis counts "
     "epochs since zero training error",
     0},
    {"003-fig6", "003 (Poggio et al., CBMM Memo 90) Figure 6",
     "poly_min_norm", "errors", 1, 1,
     "data/poly_min_norm-errors.csv", NULL,
     "the Chebyshev-basis fits are drawn beside the document's monomials (the minimum-norm "
     "solution depends on the basis); otherwise the caption's setup: 76 Chebyshev nodes, 600 "
     "test points, sin(2 pi 4 x), p = 1..300",
     0},
    {"003-fig7", "003 (Poggio et al., CBMM Memo 90) Figure 7, left and right",
     "norm_growth_deep", "fig7_product,fig7_layer", 1, 2,
     "data/norm_growth_deep-fig7_K1.csv,data/norm_growth_deep-fig7_linear_K2.csv,"
     "data/norm_growth_deep-fig7_linear_K3.csv,data/norm_growth_deep-fig7_linear_K4.csv,"
     "data/norm_growth_deep-fig7_relu_K2.csv,data/norm_growth_deep-fig7_relu_K3.csv,"
     "data/norm_growth_deep-fig7_relu_K4.csv", NULL,
     "synthetic separable data (n = 60, d = 10, hidden width 20 in the full profile) and the "
     "gradient flow to log t = 1000; linear (solid) and ReLU (dashed) networks of depth 2..4 "
     "against the one-layer predictor",
     0},
    {"000-fig1", "000 (Elad et al.) Figure 1, as Belkin et al. (2019) draw it",
     "double_descent", "risk,error", 1, 2,
     "data/double_descent-curve.csv,data/double_descent-threshold.csv",
     "double_descent=data/optdigits.csv",
     "against model size (the number N of ReLU random features, minimum-norm read-out) where "
     "000's figure is against training time (its text and its ref. 11, Belkin et al. 2019, "
     "draw it against size); optdigits (n = 100 training, 1000 test digits, 48 seeds) instead "
     "of MNIST; test MSE on one-hot targets and the test 0-1 error, with the interpolation "
     "threshold N = n",
     0},
    {"soudry-fig1", "Soudry, Hoffer, Nacson, Gunasekar & Srebro (2018) Figure 1, panels B-E",
     "max_margin", "norm,loss,direction_gap,margin_gap", 1, 4,
     "data/max_margin-flow_exp.csv,data/max_margin-gd_exp.csv,data/max_margin-flow_logistic.csv,"
     "data/max_margin-gd_logistic.csv,data/max_margin-reference.csv",
     "max_margin=data/soudry_fig1.csv",
     "the data set is regenerated from its published description (data/soudry_fig1.csv); panel A "
     "(the points and separators) is not drawn; the x axes show log t (on a log scale) where "
     "the document's show t on a log scale, and the norm is not rescaled to 1 at the last "
     "iterate; the angle gap is drawn as the direction gap ||w/||w|| - w_hat/||w_hat||||; the "
     "loss panel plots log L against log t on linear axes (a log-log plot); gradient flow and GD "
     "for the exponential and logistic losses where the document shows GD and GD with momentum",
     0},
    {"giryes-angles", "Giryes, Sapiro & Bronstein (2016) angle map, as summarised in 001 §V-A",
     "angle_shrinkage", "theta_map,dist2_map", 1, 2,
     "data/angle_shrinkage-theta_law.csv,data/angle_shrinkage-theta_map.csv", NULL,
     "one random ReLU layer with Gaussian weights N(0, 1/width) (Giryes et al.'s normalisation); "
     "measured output angles and squared distances of unit inputs against the arc-cosine law",
     0},
    {"papyan-nc", "Papyan, Han & Donoho (2020) Figures 2-7 (the NC metric panels), 004 slides",
     "neural_collapse_mlp", "nc1,equinorm,equiangularity,self_duality,ncc_mismatch,loss", 2, 3,
     "data/neural_collapse_mlp-trajectory.csv", "neural_collapse_mlp=data/optdigits.csv",
     "an MLP on optdigits (the shipped 8x8 digits, 10 classes) trained by full-batch GD with "
     "momentum and weight decay instead of the paper's deep networks on MNIST, CIFAR10 and "
     "others; epochs are GD steps; the paper's max-angle panel is replaced by the training loss",
     0},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, 0}};
/* clang-format on */

static const json_t *find_claim(const json_t *record, const char *id)
{
    const json_t *claims = rep_jarr(record, "claims");
    for (size_t i = 0; i < json_array_size(claims); i++)
        if (strcmp(rep_jstr(json_array_get(claims, i), "id", ""), id) == 0)
            return json_array_get(claims, i);
    return NULL;
}

static const json_t *find_plot(const json_t *claim, const char *name, size_t len)
{
    const json_t *plots = rep_claim_plots(claim);
    for (size_t j = 0; j < json_array_size(plots); j++) {
        const char *n = rep_jstr(json_array_get(plots, j), "name", "");
        if (strlen(n) == len && strncmp(n, name, len) == 0)
            return json_array_get(plots, j);
    }
    return NULL;
}

typedef struct {
    const rep_docfig *row;
    rep_plotspec ps[8];
    char *titles[8];
    size_t n;
} composition;

static void panels_script(cm_buf *b, const composition *m, int latex)
{
    cm_buf_printf(b, "set multiplot layout %d,%d\n", m->row->rows, m->row->cols);
    for (size_t i = 0; i < m->n; i++) {
        rep_gp_setup(b, &m->ps[i], latex);
        rep_gp_plot(b, &m->ps[i], latex);
    }
    cm_buf_puts(b, "unset multiplot\nset output\n");
}

static void multi_script(cm_buf *b, const void *user, char *const *tmp)
{
    const composition *m = user;
    static const unsigned plain[3] = {REP_FF_SVG, REP_FF_PNG, REP_FF_PDF};
    unsigned fmts = rep_ff_get();
    size_t k = 0;
    for (size_t i = 0; i < 3; i++) {
        if (!(fmts & plain[i]))
            continue;
        rep_ff_terminal(b, plain[i], m->row->cols, m->row->rows);
        cm_buf_puts(b, "set output ");
        cm_esc_gp(b, tmp[k++]);
        cm_buf_puts(b, "\n");
        panels_script(b, m, 0);
    }
    if (fmts & REP_FF_LATEX) {
        rep_ff_terminal(b, fmts & REP_FF_LATEX, m->row->cols, m->row->rows);
        cm_buf_puts(b, "set output ");
        cm_esc_gp(b, tmp[k]);
        cm_buf_puts(b, "\n");
        panels_script(b, m, 1);
    }
}

/* Load the panels of a row; the titles get the document's panel letters. 0, or -1 with the
 * reason in *note. */
static int load_panels(const char *outdir, const json_t *claim, composition *m, char **note)
{
    const char *p = m->row->panels;
    while (*p && m->n < 8) {
        size_t len = strcspn(p, ",");
        const json_t *plot = find_plot(claim, p, len);
        char *why = NULL;
        rep_plotspec *ps = &m->ps[m->n];
        if (!plot || rep_plotspec_load(outdir, plot, "", ps, &why) == 0) {
            cm_buf b = {0};
            cm_buf_printf(&b, "panel '%.*s': %s", (int)len, p,
                          plot ? (why ? why : "no drawable data") : "no such plot in the record");
            *note = b.oom ? NULL : b.s;
            free(why);
            if (plot)
                rep_plotspec_free(ps);
            return -1;
        }
        free(why); /* curves left out are noted in the claim's own report */
        cm_buf t = {0};
        cm_buf_printf(&t, "(%c) %s", (int)('a' + m->n), ps->title);
        m->titles[m->n] = t.oom ? NULL : t.s;
        if (m->titles[m->n])
            ps->title = m->titles[m->n];
        m->n++;
        p += len + (p[len] == ',');
    }
    return 0;
}

static void composition_free(composition *m)
{
    for (size_t i = 0; i < m->n; i++) {
        rep_plotspec_free(&m->ps[i]);
        free(m->titles[i]);
    }
}

/* Draw one row; 0 drawn, 1 gnuplot missing, -1 not drawn (reason in *note). */
static int draw_row(const char *outdir, const rep_docfig *row, const json_t *claim,
                    char **files, size_t nfiles, char **note)
{
    composition m = {.row = row};
    int rc = load_panels(outdir, claim, &m, note);
    if (rc == 0)
        rc = rep_draw_script(outdir, files, nfiles, multi_script, &m, note);
    composition_free(&m);
    return rc;
}

static int render_row(const char *outdir, const rep_docfig *row, const json_t *record,
                      int no_plots, rep_family_fn registered, FILE *out)
{
    const json_t *claim = find_claim(record, row->claim);
    fprintf(out, "%s %s ", row->id, row->claim);
    if (!claim) {
        int known = !registered || registered(row->claim) != NULL;
        fprintf(out, "skipped: %s\n",
                known ? "claim not in this record"
                      : row->pending ? "claim not in this build (written on another branch)"
                                     : "claim not in this build");
        return 0;
    }
    if (no_plots) {
        fprintf(out, "skipped: plots disabled (--no-plots)\n");
        return 0;
    }
    char base[256], *files[REP_FF_MAXFILES], *note = NULL;
    snprintf(base, sizeof base, "figures/doc/%s", row->id);
    size_t n = rep_ff_files(rep_ff_get(), base, files);
    int rc = n ? draw_row(outdir, row, claim, files, n, &note) : -1;
    if (rc == 0) {
        fputs("drawn", out);
        for (size_t k = 0; k < n; k++)
            fprintf(out, " %s", files[k]);
        fputs("\n", out);
    } else {
        fprintf(out, "not drawn: %s\n",
                rc == 1 ? "gnuplot not found" : note ? note : "out of memory");
    }
    for (size_t k = 0; k < n; k++)
        free(files[k]);
    free(note);
    return rc;
}

int rep_docfig_render(const char *outdir, const json_t *record, int no_plots,
                      rep_family_fn registered, FILE *out)
{
    int failed = 0;
    for (const rep_docfig *row = rep_docfigs; row->id; row++) {
        int rc = render_row(outdir, row, record, no_plots, registered, out);
        if (rc == 1)
            return -1;
        failed += rc != 0;
    }
    return failed;
}
