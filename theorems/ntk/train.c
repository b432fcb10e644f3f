/* theorems/ntk/train.c — the gradient-descent runs of E4 and E5: one run per (seed, width) at
 * a step shared by the widths of a seed, halved and rerun on a divergence (ntk.h explains why
 * this is still a faithful test). The run itself is num_twolayer_train. */
#include "theorems/ntk/ntk.h"

#include <math.h>
#include <stdio.h>

/* The arguments every run of one claim shares. */
typedef struct {
    const ntk_data *D;
    const train_cfg *cfg;
    num_act act;
    const size_t *widths;
    size_t W, steps;
    double ef, target;
    double *curves; /* seed 0: W x (nc + 1), or NULL */
    size_t nc;
} train_job;

/* The step of a seed: eta_factor * m / lambda_max(NTK) at the initialisation of the largest
 * width (the most restrictive), drawn from r and then undone (r := start) so that the run
 * redraws the same initialisation. */
static num_status train_eta(num_twolayer *t, const train_job *J, gsl_rng *r,
                            const gsl_rng *start, double *eta)
{
    double lmax;
    num_twolayer_init(t, J->cfg->unit ? 1.0 : 1.0 / sqrt((double)t->n), r);
    num_status st = num_twolayer_ntk_lmax(t, J->D->Xt, &lmax);
    gsl_rng_memcpy(r, start);
    *eta = J->ef * (double)J->D->m / lmax;
    if (st == NUM_OK && !(isfinite(*eta) && *eta > 0.0))
        st = NUM_ENAN;
    return st;
}

/* All widths of seed s with step eta0 / 2^h (h = 0 measures eta0 first), largest width first;
 * stops at the first divergent run and returns its index, or W if none diverged. */
static size_t train_widths(tc_ctx *ctx, const train_job *J, size_t s, unsigned h, gsl_rng *r,
                           const gsl_rng *start, double *eta0, train_out *out)
{
    size_t W = J->W, nmax = J->widths[W - 1];
    double eta = ldexp(*eta0, -(int)h);
    for (size_t wi = W; wi-- > 0;) {
        size_t n = J->widths[wi];
        size_t K = (size_t)llround((double)J->steps * (double)nmax / (double)n) << h;
        num_twolayer *t = ntk_net(ctx, J->D, n, J->act);
        num_status st = NUM_OK;
        if (wi == W - 1 && h == 0) {
            st = train_eta(t, J, r, start, &eta);
            *eta0 = eta;
        }
        num_twolayer_gd gd = {.s1 = J->cfg->unit ? 1.0 : 1.0 / sqrt((double)n),
                              .eta = eta,
                              .K = K,
                              .target = J->target,
                              .stop_at_target = J->cfg->stop_at_target,
                              .diverge_factor = NTK_DIVERGE_FACTOR};
        double *curve = s == 0 && J->curves ? J->curves + wi * (J->nc + 1) : NULL;
        if (st == NUM_OK)
            st = num_twolayer_train(t, J->D->Xt, J->D->y, r, &gd, curve, J->nc,
                                    &out[s * W + wi].gd);
        if (st != NUM_OK)
            tc_fail(ctx, "width %zu, seed %zu: %s", n, s, num_strerror(st));
        out[s * W + wi].halvings = h;
        if (out[s * W + wi].gd.diverged)
            return wi; /* this eta is too large for the seed: rerun all widths */
    }
    return W;
}

static void release_rng(void *r)
{
    gsl_rng_free(r);
}

/* Seed s: runs at eta0, eta0 / 2, ... until no width diverges (NTK_MAX_HALVINGS). */
static void train_seed(tc_ctx *ctx, const train_job *J, size_t s, train_out *out,
                       double *etas)
{
    gsl_rng *r = tc_stream(ctx, s);
    /* the seed's state: reruns redraw the same inits */
    gsl_rng *start = tc_defer(ctx, release_rng, gsl_rng_clone(r));
    double eta0 = 0.0;
    for (unsigned h = 0;; h++) {
        gsl_rng_memcpy(r, start);
        size_t wd = train_widths(ctx, J, s, h, r, start, &eta0, out);
        if (wd == J->W) {
            etas[s] = ldexp(eta0, -(int)h);
            return;
        }
        if (h == NTK_MAX_HALVINGS) {
            const num_twolayer_gd_out *div = &out[s * J->W + wd].gd;
            char what[96];
            if (div->nonfinite)
                snprintf(what, sizeof what, "a non-finite risk or gradient");
            else
                snprintf(what, sizeof what, "r = %.3g r(Theta_0)", div->rmax);
            tc_fail(ctx, "width %zu, seed %zu: GD diverged (%s at step %zu of %zu) even with "
                         "the step halved %d times (eta = %.4g, initial %.4g); no stable step "
                         "found",
                    J->widths[wd], s, what, div->k_div, div->K, NTK_MAX_HALVINGS,
                    ldexp(eta0, -(int)h), eta0);
        }
    }
}

void ntk_train_all(tc_ctx *ctx, const ntk_data *D, const train_cfg *cfg, const size_t *widths,
                   size_t W, size_t S, size_t steps, double ef, double target, train_out *out,
                   double *curves, size_t nc, double *etas)
{
    train_job J = {.D = D, .cfg = cfg, .act = ntk_act(ctx), .widths = widths, .W = W,
                   .steps = steps, .ef = ef, .target = target, .curves = curves, .nc = nc};
    for (size_t s = 0; s < S; s++)
        train_seed(ctx, &J, s, out, etas);
}

void ntk_train_report(tc_result *res, const train_out *out, size_t S, size_t W)
{
    double tot = 0.0, mx = 0.0, rmax = 0.0;
    for (size_t s = 0; s < S; s++) {
        tot += (double)out[s * W].halvings;
        mx = fmax(mx, (double)out[s * W].halvings);
        for (size_t w = 0; w < W; w++)
            rmax = fmax(rmax, out[s * W + w].gd.rmax);
    }
    tc_metric_info(res, "eta_halvings", tot);
    tc_metric_info(res, "eta_halvings_max", mx);
    tc_metric_info(res, "max_risk_over_initial", rmax);
}
