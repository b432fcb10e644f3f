/* theorems/scattering/energy.c — N scattering_energy (004 "Scattering Transform": the
 * frame condition sum_lambda ||f * psi_lambda||^2 <= B ||f||^2 with B = 1; Mallat, "Group
 * invariant scattering", CPAM 65 (2012), Prop. 2.5 and Thm 2.6: with a tight (Littlewood-
 * Paley) wavelet frame, U = |W| preserves the norm, so the scattering energy over the paths of
 * depth <= M plus the energy left in depth M + 1 equals ||x||^2, and the latter tends to 0).
 *
 * measure: white-noise signals (one per seed, tc_stream); the energies sum_{|p|=m} ||S[p]x||^2
 *          and sum_{|p|=m+1} ||U[p]x||^2 over ALL paths up to `depth`, summed in the signal
 *          domain (numerics/scattering.h, num_scat_energy), and over the frequency-decreasing
 *          paths only;
 * judge:   for every depth M, | sum_{m<=M} ||S_m x||^2 + ||U_{M+1} x||^2 - ||x||^2 | / ||x||^2
 *          within the floating-point bound; the truncated energy ||U_{M+1} x||^2 / ||x||^2 is
 *          reported per depth (it is what a depth-M transform leaves out);
 * figure:  the energy captured per layer and the truncated energy against the depth.
 * scattering_energy_2d: the same for n x n images (numerics/scattering2d.h, L orientations;
 * 001 §IV's setting), all paths only. */
#include "theorems/scattering/scattering.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

#include "numerics/rng.h"
#include "numerics/scattering2d.h"

#define SC_DEPTH_MAX 4

typedef struct {
    int dims; /* 1: signals; 2: images (001 §IV's setting) */
} en_config;

static const en_config cfg_1d = {.dims = 1}, cfg_2d = {.dims = 2};

static const tc_param_spec params_2d[] = {
    TC_P_INT("log2_n", "5", "6", 3, 10, "image side n = 2^log2_n (n x n pixels)"),
    TC_P_INT("octaves", "2", "3", 1, 8, "wavelet scales J per layer; needs 2^J <= n / 4"),
    TC_P_INT("orientations", "4", "6", 1, 16, "wavelet orientations L over [0, pi)"),
    TC_P_INT("depth", "2", TC_SAME, 0, 3, "deepest layer M (all (J L)^M paths)"),
    TC_P_INT("seeds", "3", "5", 1, 100, "white-noise images, one per stream"),
    TC_P_BOOL("lp_normalise", "true", TC_SAME,
              "divide the filters by sqrt of their Littlewood-Paley sum (false: the raw bank)"),
    TC_P_END};

static const tc_param_spec params[] = {
    TC_P_INT("log2_n", "10", "12", 5, 16, "signal length n = 2^log2_n"),
    TC_P_INT("octaves", "6", "8", 1, 14, "wavelets per layer J (octaves); needs 2^J <= n / 4"),
    TC_P_INT("depth", "3", TC_SAME, 0, SC_DEPTH_MAX, "deepest layer M (all J^M paths)"),
    TC_P_INT("seeds", "3", "5", 1, 100, "white-noise signals, one per stream"),
    TC_P_BOOL("lp_normalise", "true", TC_SAME,
              "divide the filters by sqrt of their Littlewood-Paley sum (false: the raw Morlet "
              "bank, not a tight frame: the identity must then fail)"),
    TC_P_END};

typedef struct {
    size_t n, N; /* side, samples (n or n^2) */
    int J, L, dims, depth, seeds; /* L: orientations (1 in 1-D) */
    double err[SC_DEPTH_MAX + 1];    /* max over seeds of the identity's relative error */
    double trunc[SC_DEPTH_MAX + 1];  /* mean ||U_{M+1}||^2 / ||x||^2 */
    double layer[SC_DEPTH_MAX + 1];  /* mean ||S_m||^2 / ||x||^2, all paths */
    double layerd[SC_DEPTH_MAX + 1]; /* the same over frequency-decreasing paths */
} en_run;

/* Relative error bound of the identity at depth M: the FFTs along the deepest paths
 * (sc_fft_relerr at depth M + 1, the residual's level), plus the summation of positive terms:
 * 2n squares per path and one sum over the <= sum_{m<=M+1} J^m paths, each adding at most
 * (number of terms) u relative (Higham, Thm 4.2 / eq. (4.4), recursive summation). */
static double bound(const en_run *r, int M)
{
    double paths = 0, p = 1;
    for (int m = 0; m <= M + 1; m++, p *= r->J * r->L)
        paths += p;
    /* a 2-D FFT is dims passes of length-n FFTs: the FFT term scales with dims */
    return r->dims * sc_fft_relerr(r->n, M + 1) + (2.0 * (double)r->N + paths) * (DBL_EPSILON / 2);
}

static void release2d(void *s) { num_scat2d_free(s); }

/* The energies of one signal: all paths (se, ue), frequency-decreasing (sd; 1-D only). */
static void energies(tc_ctx *ctx, en_run *r, void *s, const double *x, double *se, double *ue,
                     double *sd, double *ud)
{
    if (r->dims == 2) {
        tc_check(ctx, num_scat2d_energy(s, x, r->depth, se, ue), "2-D scattering energies");
        return;
    }
    tc_check(ctx, num_scat_energy(s, x, r->depth, false, se, ue), "scattering energies");
    tc_check(ctx, num_scat_energy(s, x, r->depth, true, sd, ud), "scattering energies");
}

static void *make(tc_ctx *ctx, const en_run *r)
{
    bool raw = !tc_param_bool(ctx, "lp_normalise");
    if (r->dims == 1)
        return sc_make(ctx, r->n, r->J, 2, r->J, raw);
    num_scat2d_opts o = {.n = r->n, .J = r->J, .L = r->L, .order = 2, .raw = raw};
    num_scat2d *s = NULL;
    tc_check(ctx, num_scat2d_alloc(&o, &s), "the 2-D scattering filter bank");
    return tc_defer(ctx, release2d, s);
}

static bool measure(tc_ctx *ctx, tc_result *res, en_run *r)
{
    r->dims = ((const en_config *)tc_config(ctx))->dims;
    r->n = (size_t)1 << tc_param_int(ctx, "log2_n");
    r->N = r->dims == 2 ? r->n * r->n : r->n;
    r->L = r->dims == 2 ? (int)tc_param_int(ctx, "orientations") : 1;
    r->J = (int)tc_param_int(ctx, "octaves");
    r->depth = (int)tc_param_int(ctx, "depth");
    r->seeds = (int)tc_param_int(ctx, "seeds");
    if (((size_t)1 << r->J) > r->n / 4) {
        tc_result_skip(res, "2^J = %zu > n / 4 = %zu: the low-pass at scale 2^J does not fit "
                       "the signal", (size_t)1 << r->J, r->n / 4);
        return false;
    }
    void *s = make(ctx, r);
    double *x = TC_NEW(ctx, double, r->N), se[SC_DEPTH_MAX + 1], ue[SC_DEPTH_MAX + 1];
    double sd[SC_DEPTH_MAX + 1] = {0}, ud[SC_DEPTH_MAX + 1];
    for (int k = 0; k < r->seeds; k++) {
        num_rng_gaussian(tc_stream(ctx, (uint64_t)k), 1.0, x, r->N);
        double xx = sc_sumsq(r->N, x), acc = 0;
        energies(ctx, r, s, x, se, ue, sd, ud);
        for (int m = 0; m <= r->depth; m++) {
            acc += se[m];
            r->err[m] = fmax(r->err[m], fabs(acc + ue[m] - xx) / xx);
            r->trunc[m] += ue[m] / xx / r->seeds;
            r->layer[m] += se[m] / xx / r->seeds;
            r->layerd[m] += sd[m] / xx / r->seeds;
        }
    }
    return true;
}

static void judge(tc_result *res, const en_run *r)
{
    char name[64];
    double all = 0, dec = 0;
    for (int m = 0; m <= r->depth; m++) {
        snprintf(name, sizeof name, "identity_relerr_depth%d", m);
        tc_metric(res, name, r->err[m], TC_LE, bound(r, m));
    }
    for (int m = 0; m <= r->depth; m++) {
        snprintf(name, sizeof name, "truncated_energy_depth%d", m);
        tc_metric_info(res, name, r->trunc[m]);
        all += r->layer[m], dec += r->layerd[m];
    }
    if (r->depth >= 1)
        tc_metric_info(res, "truncation_decay_last", r->trunc[r->depth] / r->trunc[r->depth - 1]);
    if (r->dims == 1)
        tc_metric_info(res, "decreasing_paths_share", dec / all);
}

static void figure(tc_result *res, const en_run *r)
{
    tc_series *e = tc_series_new(res, "energy", 4,
                                 (const char *[]){"depth", "layer", "layer_decreasing", "truncated"});
    for (int m = 0; m <= r->depth; m++)
        tc_series_row(e, (double)m, r->layer[m], r->layerd[m], r->trunc[m]);
    tc_plot *p = tc_plot_new(res, "energy", r->dims == 2 ? "2-D scattering energy per layer "
                             "and left beyond it (white-noise images, mean over seeds)" :
                             "Scattering energy per layer and left beyond it (white noise, mean "
                             "over seeds)", "depth m", "energy / ||x||^2", TC_PLOT_LOGY);
    tc_plot_curve(p, "energy", "depth", "layer", NULL, "sum_{|p|=m} ||S[p]x||^2, all paths",
                  TC_STYLE_LINESPOINTS);
    if (r->dims == 1)
        tc_plot_curve(p, "energy", "depth", "layer_decreasing", NULL,
                      "the same, frequency-decreasing paths", TC_STYLE_DASHED);
    tc_plot_curve(p, "energy", "depth", "truncated", NULL,
                  "truncated: sum_{|p|=m+1} ||U[p]x||^2", TC_STYLE_LINESPOINTS);
}

static void run(tc_ctx *ctx, tc_result *res)
{
    en_run r = {0};
    if (!measure(ctx, res, &r))
        return;
    judge(res, &r);
    figure(res, &r);
    tc_result_conclude(res);
}

static int hypothesis(const tc_hyp_args *a, char *why, size_t whylen)
{
    long J = tc_hyp_int(a, "octaves"), l = tc_hyp_int(a, "log2_n");
    if (!tc_hyp_bool(a, "lp_normalise")) {
        snprintf(why, whylen, "lp_normalise = false: the filters are not a tight frame");
        return 0;
    }
    if (J > l - 2) {
        snprintf(why, whylen, "2^J > n / 4 (J = %ld, log2 n = %ld)", J, l);
        return 0;
    }
    return 1;
}

const tc_claim sc_claim_energy = {
    .id = "scattering_energy",
    .family = "scattering",
    .title = "Scattering conserves energy up to the truncation of depth",
    .source = "004 'Scattering Transform' (frame bound B_n <= 1); 001 §IV ([54] Mallat 2012, "
              "Prop. 2.5, Thm 2.6)",
    .statement = "With a Littlewood-Paley (tight, B = 1) wavelet frame, sum over the paths of "
                 "depth <= M of ||S[p]x||^2, plus the energy ||U_{M+1} x||^2 left in the next "
                 "layer, equals ||x||^2; the truncated energy decreases with M.",
    .hypotheses = "1-D periodic signals of length 2^k; Morlet wavelets, one per octave, and a "
                  "Gaussian low-pass at 2^J, normalised so that |phi|^2 + 1/2 sum_j "
                  "(|psi_j(w)|^2 + |psi_j(-w)|^2) = 1; all paths (j1, .., jm)",
    .expect = TC_EXPECT_HOLDS,
    .params = params,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "identity_relerr_depth0,truncated_energy_depth0",
    .config = &cfg_1d,
    .hypothesis = hypothesis,
};

const tc_claim sc_claim_energy_2d = {
    .id = "scattering_energy_2d",
    .family = "scattering",
    .title = "2-D scattering conserves energy up to the truncation of depth",
    .source = "004 'Scattering Transform' (psi_lambda in L^2(R^d), frame bound B_n <= 1); 001 "
              "§IV (images on [0, 1]^2, periodic) and [9] Bruna & Mallat 2013 §3",
    .statement = "For images, with a Littlewood-Paley wavelet frame (scales and orientations, "
                 "B = 1), sum over the paths of depth <= M of ||S[p]x||^2 plus the energy "
                 "||U_{M+1} x||^2 left in the next layer equals ||x||^2.",
    .hypotheses = "periodic n x n images; oriented Morlet wavelets (J scales, L orientations "
                  "over [0, pi)) and a Gaussian low-pass at 2^J, LP-normalised; all paths",
    .expect = TC_EXPECT_HOLDS,
    .params = params_2d,
    .data = TC_DATA_NONE,
    .run = run,
    .key_metrics = "identity_relerr_depth0,truncated_energy_depth0",
    .config = &cfg_2d,
    .hypothesis = hypothesis,
};
