/* theorems/homogeneity/euler.c — J homogeneity and its controls (003 §3: "For RELU activations
 * the following positive homogeneity property holds sigma(z) = sigma'(z) z ... Lemma 2.1 of [10]
 * holds: sum_ij df(x)/d(W_k)_ij (W_k)_ij = f(x) (1)", and f(W; x) = prod_k rho_k f~(V; x) with
 * W_k = rho_k V_k).
 *
 * measure: a bias-free network f(W; x) = W_K s(W_{K-1} ... s(W_1 x)), its Jacobian in every
 *          weight at n inputs, and f after scaling one layer by rho;
 * judge:   Euler's identity per layer (eq. (1)) and f(rho W_k) = rho f(W), each relative to
 *          the size of the terms that make up the sum, to c P eps;
 * figure:  per layer, the Euler residual and the scaling residual against the bound. */
#include "theorems/homogeneity/homogeneity.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "numerics/mlp.h"
#include "numerics/rng.h"

typedef struct {
    const char *act; /* NULL: the `activation` parameter */
    bool bias;       /* biases drawn N(0, bias_scale^2) (the bias control) */
} homog_config;

static const homog_config cfg_euler = {.act = NULL, .bias = false};
static const homog_config cfg_bias = {.act = "relu", .bias = true};
static const homog_config cfg_tanh = {.act = "tanh", .bias = false};

static const tc_param_spec params[] = {
    TC_P_LIST("widths", "5,32,32,1", "10,128,128,128,1", 1, 4096,
              "layer widths, input first, one output last (the network has one fewer layers)"),
    TC_P_INT("samples", "20", "100", 1, 100000, "inputs x ~ N(0, I) at which f is checked"),
    TC_P_CHOICE("activation", "relu", TC_SAME, "relu|linear|tanh|softplus|sigmoid|erf",
                "hidden activation (homogeneous: relu, linear; the controls fix their own)"),
    TC_P_REAL("bias_scale", "0.5", TC_SAME, 0, 100, "std of the biases of the bias control"),
    TC_P_REAL("tol_factor", "10", TC_SAME, 1e-3, 1e6, "c in the bound c P eps"),
    TC_P_END};

typedef struct {
    num_mlp *net;
    num_mlp_work *work;
    size_t n, P, K;
    double *theta, *X, *f, *J;
    double euler[16], scale_err[16]; /* per layer: max over inputs, relative (K <= 16) */
} homog_run;

static void release_net(void *p) { num_mlp_free(p); }
static void release_work(void *p) { num_mlp_work_free(p); }

/* ---- measure ---------------------------------------------------------------------------- */

static void build(tc_ctx *ctx, homog_run *m)
{
    const homog_config *cfg = tc_config(ctx);
    size_t nw = 0;
    const double *wl = tc_param_list(ctx, "widths", &nw);
    if (nw < 2 || nw > 17 || wl[nw - 1] != 1)
        tc_fail(ctx, "widths: 2 to 17 widths with one output last, got %zu ending in %g", nw,
                wl[nw - 1]);
    size_t widths[17];
    for (size_t i = 0; i < nw; i++)
        widths[i] = (size_t)wl[i];
    const char *act = cfg->act ? cfg->act : tc_param_choice(ctx, "activation");
    m->K = nw - 1;
    m->n = (size_t)tc_param_int(ctx, "samples");
    m->net = tc_defer(ctx, release_net,
                      num_mlp_alloc(m->K, widths, cfg->bias, (num_act)num_act_parse(act)));
    m->work = tc_defer(ctx, release_work, num_mlp_work_alloc(m->net, m->n));
    m->P = m->net->nparams;
    m->theta = TC_NEW(ctx, double, m->P);
    gsl_rng *r = tc_rng(ctx);
    num_mlp_init_gaussian(m->net, m->theta, r, NULL);
    for (size_t k = 0; cfg->bias && k < m->K; k++)
        num_rng_gaussian(r, tc_param_real(ctx, "bias_scale"), num_mlp_b(m->net, m->theta, k),
                         widths[k + 1]);
    m->X = TC_NEW(ctx, double, m->n * widths[0]);
    num_rng_gaussian(tc_stream(ctx, 1), 1.0, m->X, m->n * widths[0]);
}

/* Per layer k: max over inputs of |sum_ij W_ij df/dW_ij - f| / S and of
 * |f(rho W_k) - rho f(W)| / (rho S), S = sum_ij |W_ij df/dW_ij| (the size of the terms). */
static void measure(tc_ctx *ctx, homog_run *m)
{
    build(ctx, m);
    m->f = TC_NEW(ctx, double, m->n);
    m->J = TC_NEW(ctx, double, m->n * m->P);
    tc_check(ctx, num_mlp_forward(m->net, m->theta, m->X, m->n, m->work, m->f), "forward pass");
    tc_check(ctx, num_mlp_jacobian(m->net, m->theta, m->work, m->J), "Jacobian");
    double *scaled = TC_NEW(ctx, double, m->P), *fs = TC_NEW(ctx, double, m->n);
    for (size_t k = 0; k < m->K; k++) {
        size_t off = m->net->off_w[k], len = m->net->widths[k + 1] * m->net->widths[k];
        double *S = TC_NEW(ctx, double, m->n);
        for (size_t i = 0; i < m->n; i++) {
            double sum = 0, mag = 0;
            for (size_t j = off; j < off + len; j++) {
                sum += m->theta[j] * m->J[i * m->P + j];
                mag += fabs(m->theta[j] * m->J[i * m->P + j]);
            }
            S[i] = mag > 0 ? mag : DBL_MIN;
            m->euler[k] = fmax(m->euler[k], fabs(sum - m->f[i]) / S[i]);
        }
        for (int q = 0; q < HOMOG_NRHO; q++) {
            double rho = homog_rhos[q];
            memcpy(scaled, m->theta, m->P * sizeof *scaled);
            for (size_t j = off; j < off + len; j++)
                scaled[j] *= rho;
            tc_check(ctx, num_mlp_forward(m->net, scaled, m->X, m->n, m->work, fs), "forward");
            for (size_t i = 0; i < m->n; i++)
                m->scale_err[k] = fmax(m->scale_err[k], fabs(fs[i] - rho * m->f[i]) / (rho * S[i]));
        }
    }
}

/* ---- judge and figure ------------------------------------------------------------------- */

/* The bound: both sides are sums over the network's P weights of products of computed
 * numbers; each computed term carries a relative error of at most ~(K + fan-in) u and the sum
 * of m terms adds gamma_m (Higham 2002, §3.1), so the difference is at most of order P u times
 * the magnitude S of the terms; c = tol_factor (10) covers the constants. */
static void judge(tc_ctx *ctx, tc_result *res, const homog_run *m)
{
    double bound = tc_param_real(ctx, "tol_factor") * (double)m->P * DBL_EPSILON;
    double e = 0, s = 0;
    for (size_t k = 0; k < m->K; k++)
        e = fmax(e, m->euler[k]), s = fmax(s, m->scale_err[k]);
    tc_metric(res, "max_euler_residual", e, TC_LE, bound);
    tc_metric(res, "max_scaling_residual", s, TC_LE, bound);
    tc_metric_info(res, "parameters", (double)m->P);
    tc_metric_info(res, "layers", (double)m->K);
}

static void figure(tc_ctx *ctx, tc_result *res, const homog_run *m)
{
    double bound = tc_param_real(ctx, "tol_factor") * (double)m->P * DBL_EPSILON;
    tc_series *s = tc_series_new(res, "layers", 4,
                                 (const char *[]){"layer", "euler_residual", "scaling_residual",
                                                  "bound"});
    /* a residual of exactly 0 (powers of two, ReLU) is drawn at the plot's floor */
    for (size_t k = 0; k < m->K; k++)
        tc_series_row(s, k + 1, fmax(m->euler[k], 1e-18), fmax(m->scale_err[k], 1e-18), bound);
    tc_plot *p = tc_plot_new(res, "residuals", "Euler's identity (eq. (1)) and layer scaling",
                             "layer k", "residual relative to sum |W df/dW|", TC_PLOT_LOGY);
    tc_plot_curve(p, "layers", "layer", "euler_residual", NULL,
                  "|sum W df/dW - f| / sum |W df/dW|", TC_STYLE_LINESPOINTS);
    tc_plot_curve(p, "layers", "layer", "scaling_residual", NULL,
                  "max_rho |f(rho W_k) - rho f| / (rho sum |W df/dW|)", TC_STYLE_LINESPOINTS);
    tc_plot_curve(p, "layers", "layer", "bound", NULL, "bound c P eps", TC_STYLE_DASHED);
}

static void run(tc_ctx *ctx, tc_result *res)
{
    homog_run m = {0};
    measure(ctx, &m);
    judge(ctx, res, &m);
    figure(ctx, res, &m);
    tc_result_conclude(res);
}

/* Declared region: positively homogeneous activation of degree 1 and no biases. */
static int hypothesis(const tc_hyp_args *a, char *why, size_t whylen)
{
    const homog_config *cfg = a->claim->config;
    const char *act = cfg->act ? cfg->act : tc_hyp_choice(a, "activation");
    if (cfg->bias) {
        snprintf(why, whylen, "the network has biases");
        return 0;
    }
    if (strcmp(act, "relu") != 0 && strcmp(act, "linear") != 0) {
        snprintf(why, whylen, "%s is not positively homogeneous", act);
        return 0;
    }
    return 1;
}

#define HOMOG_SOURCE "003 §3 eq. (1) (Lemma 2.1 of its ref. [10]) and f = prod_k rho_k f~(V)"
#define HOMOG_STATEMENT                                                                        \
    "For a network f(W; x) = W_K s(W_{K-1} ... s(W_1 x)) with ReLU (or linear) s and no "       \
    "biases, sum_ij (W_k)_ij df(x)/d(W_k)_ij = f(x) for every layer k (eq. (1)), and "          \
    "f(rho W_k) = rho f(W) for every layer and rho > 0."

const tc_claim homog_claim_euler = {
    .id = "homogeneity",
    .family = "homogeneity",
    .title = "ReLU networks without biases are homogeneous in each layer (Euler, eq. (1))",
    .source = HOMOG_SOURCE,
    .statement = HOMOG_STATEMENT,
    .hypotheses = "activation with s(z) = s'(z) z (ReLU, linear); no biases",
    .expect = TC_EXPECT_HOLDS,
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "max_euler_residual,max_scaling_residual",
    .config = &cfg_euler,
    .hypothesis = hypothesis,
};

const tc_claim homog_claim_bias = {
    .id = "homogeneity_bias",
    .family = "homogeneity",
    .title = "Negative control: eq. (1) for a ReLU network with biases",
    .source = HOMOG_SOURCE,
    .statement = HOMOG_STATEMENT " (Checked on a network with biases, outside the hypothesis.)",
    .hypotheses = "violated on purpose: biases N(0, bias_scale^2) in every layer",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "a bias is a weight on a constant input that eq. (1) leaves out: the "
                      "biases of layers k and above add to f without entering sum W df/dW, so "
                      "max_euler_residual and max_scaling_residual are of order 1, not c P eps",
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "max_euler_residual,max_scaling_residual",
    .config = &cfg_bias,
    .hypothesis = hypothesis,
};

const tc_claim homog_claim_tanh = {
    .id = "homogeneity_tanh",
    .family = "homogeneity",
    .title = "Negative control: eq. (1) for a tanh network",
    .source = HOMOG_SOURCE,
    .statement = HOMOG_STATEMENT " (Checked with tanh, outside the hypothesis.)",
    .hypotheses = "violated on purpose: tanh(z) != tanh'(z) z",
    .expect = TC_EXPECT_REFUTED,
    .refuted_reason = "tanh(z) - tanh'(z) z is of order z^3 at the pre-activations of order 1 "
                      "that a 1/sqrt(fan-in) initialisation gives, so the residuals of eq. (1) "
                      "and of the layer scaling (max_euler_residual, max_scaling_residual) are "
                      "of order 1",
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "max_euler_residual,max_scaling_residual",
    .config = &cfg_tanh,
    .hypothesis = hypothesis,
};
