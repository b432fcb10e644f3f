/* bench/peers/tc_peer.c — theorycheck's side of the peer benchmarks (bench/peers/run.sh).
 *
 * One kernel per subcommand, on inputs shared with the Python peer through raw float64 /
 * int64 files in a directory (little-endian, row-major, no header):
 *   tc_peer dgemm                                  dgemm 1024^3 GFLOP/s, 1 thread (median of 5)
 *   tc_peer mlp DIR n d width C epochs reps        writes DIR/{X,y,theta0}.bin (seed 7, as
 *          bench/bench_collapse.c), times `epochs` full-batch epochs (CE, lr 0.01, momentum 0.9,
 *          weight decay 5e-4) from theta0 (median of reps), writes DIR/theta_tc.bin; also
 *          times the epoch's eight dgemm calls alone (the BLAS ceiling at these shapes)
 *   tc_peer flow DIR n d stepper rtol atol s_end reps
 *          reads DIR/{X,y}.bin, integrates the log-time exponential-loss flow from w0 = 0 to
 *          s_end with num_flow_run (numerics/flow.h), writes DIR/w_<stepper>.bin; stepper is
 *          a GSL stepper (msbdf, rk8pd, ...) or cvode-bdf / cvode-adams with optional knobs
 *          ",qN,jN,sN" (numerics/flow_cvode.c; see flow_opts_parse)
 *   tc_peer eig DIR w0,...,wK reps                 the Hessian of a tanh MLP with these widths
 *          (bench/bench_hessian.c's setup) to DIR/A.bin, times num_linalg_eigh (eigenvalues
 *          only), writes DIR/ev_tc.bin
 * Each prints one line `key=value ...` for run.sh. Timings: CPU time of the process
 * (CLOCK_PROCESS_CPUTIME_ID; the peers use time.process_time, the same clock), median of reps
 * after one warm-up call. CPU time, not wall time: on a machine shared with other jobs a
 * descheduled process accrues none, so the ratios do not depend on the load (cache sharing
 * still does, a little). run.sh pins OpenBLAS to one thread (OPENBLAS_NUM_THREADS=1).
 *
 * LU factorisations: this program defines gsl_linalg_LU_decomp, which interposes the one in
 * libgsl.so (msbdf calls it through the PLT), counts the call and forwards it to the real one
 * (dlsym RTLD_NEXT). Only this benchmark tool does that; the library is unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>
#include <lapacke.h>

#include "numerics/classifier_train.h"
#include "numerics/flow.h"
#include "numerics/hessian.h"
#include "numerics/linalg.h"
#include "numerics/rng.h"

static unsigned long lu_count;

/* gsl_linalg.h is not included (its gsl_cblas.h clashes with OpenBLAS's cblas.h): the
 * arguments (gsl_matrix *, gsl_permutation *, int *) are passed through as pointers. */
int gsl_linalg_LU_decomp(void *A, void *p, int *signum);
int gsl_linalg_LU_decomp(void *A, void *p, int *signum)
{
    static int (*real)(void *, void *, int *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "gsl_linalg_LU_decomp");
    lu_count++;
    return real(A, p, signum);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median CPU time of reps calls of fn(arg) after one warm-up call. */
static double median_time(void (*fn)(void *), void *arg, int reps)
{
    double t[64];
    if (reps < 1)
        reps = 1;
    if (reps > 64)
        reps = 64;
    fn(arg);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        fn(arg);
        t[r] = now() - t0;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_d);
    return reps % 2 ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]);
}

static int write_bin(const char *dir, const char *name, const void *p, size_t bytes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, bytes, f) != bytes) {
        fprintf(stderr, "tc_peer: cannot write %s\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int read_bin(const char *dir, const char *name, void *p, size_t bytes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(p, 1, bytes, f) : 0;
    if (f)
        fclose(f);
    if (got != bytes) {
        fprintf(stderr, "tc_peer: %s: expected %zu bytes, read %zu\n", path, bytes, got);
        return -1;
    }
    return 0;
}

/* ---- dgemm reference ---------------------------------------------------------------- */
typedef struct {
    int n;
    double *a, *b, *c;
} gemm_job;

static void run_gemm(void *p)
{
    gemm_job *g = p;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g->n, g->n, g->n, 1.0, g->a, g->n,
                g->b, g->n, 0.0, g->c, g->n);
}

static int cmd_dgemm(void)
{
    gemm_job g = {1024, NULL, NULL, NULL};
    size_t m = (size_t)g.n * (size_t)g.n;
    g.a = malloc(m * sizeof(double));
    g.b = malloc(m * sizeof(double));
    g.c = malloc(m * sizeof(double));
    if (!g.a || !g.b || !g.c)
        return 1;
    for (size_t i = 0; i < m; i++) {
        g.a[i] = (double)(i % 7) - 3.0;
        g.b[i] = (double)(i % 5) - 2.0;
    }
    double t = median_time(run_gemm, &g, 5);
    printf("dgemm n=%d seconds=%.6g gflops=%.4g\n", g.n, t, 2.0 * 1024.0 * 1024.0 * 1024.0 / t *
                                                                 1e-9);
    free(g.a);
    free(g.b);
    free(g.c);
    return 0;
}

/* ---- MLP epoch ------------------------------------------------------------------------ */
typedef struct {
    num_mlp *net;
    num_ctrain *tr;
    double *theta, *theta0, *X;
    size_t *y;
    size_t n;
    int epochs, failed;
    num_ctrain_opts o;
} mlp_job;

/* `epochs` epochs from theta0 with a zero velocity (the state is reset outside the epochs
 * proper, a P-element copy). */
static void run_mlp(void *p)
{
    mlp_job *b = p;
    memcpy(b->theta, b->theta0, b->net->nparams * sizeof *b->theta);
    num_ctrain_reset(b->tr);
    for (int e = 0; e < b->epochs; e++) {
        double loss;
        if (num_ctrain_eval(b->tr, b->net, b->theta, b->X, b->y, b->n, &b->o, &loss, NULL) ||
            num_ctrain_update(b->tr, b->net, b->theta, &b->o, NULL))
            b->failed = 1;
    }
}

/* The epoch's eight dgemm calls alone, same shapes and transposes as the forward and backward
 * pass of numerics/mlp.c (forward Z_k = H_{k-1} W_k^T; backward dW_k = dZ_k^T H_{k-1} and
 * dH_{k-1} = dZ_k W_k for k >= 2), without bias, ReLU, softmax or the update: the rate that
 * BLAS itself reaches on these skinny shapes, i.e. the ceiling of the epoch's GFLOP/s. */
typedef struct {
    size_t n, w[4];
    double *H[4], *D[4], *W[3], *G[3];
} gemm_epoch;

static void run_gemm_epoch(void *p)
{
    gemm_epoch *g = p;
    int n = (int)g->n;
    for (int k = 1; k <= 3; k++) {
        int o = (int)g->w[k], i = (int)g->w[k - 1];
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, o, i, 1.0, g->H[k - 1], i,
                    g->W[k - 1], i, 0.0, g->H[k], o);
    }
    for (int k = 3; k >= 1; k--) {
        int o = (int)g->w[k], i = (int)g->w[k - 1];
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, o, i, n, 1.0, g->D[k], o,
                    g->H[k - 1], i, 0.0, g->G[k - 1], i);
        if (k >= 2)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, i, o, 1.0, g->D[k], o,
                        g->W[k - 1], i, 0.0, g->D[k - 1], i);
    }
}

static double gemm_epoch_time(const size_t *widths, size_t n, int reps)
{
    gemm_epoch g = {.n = n};
    memcpy(g.w, widths, sizeof g.w);
    int ok = 1;
    for (int k = 0; k < 4; k++) {
        ok &= !!(g.H[k] = calloc(n * widths[k], sizeof(double)));
        ok &= !!(g.D[k] = calloc(n * widths[k], sizeof(double)));
        if (k < 3) {
            ok &= !!(g.W[k] = calloc(widths[k] * widths[k + 1], sizeof(double)));
            ok &= !!(g.G[k] = calloc(widths[k] * widths[k + 1], sizeof(double)));
        }
    }
    double t = ok ? median_time(run_gemm_epoch, &g, reps) : -1.0;
    for (int k = 0; k < 4; k++) {
        free(g.H[k]);
        free(g.D[k]);
        if (k < 3) {
            free(g.W[k]);
            free(g.G[k]);
        }
    }
    return t;
}

static int mlp_inputs(mlp_job *b, const char *dir, size_t d, size_t C)
{
    size_t n = b->n, P = b->net->nparams;
    gsl_rng *r = num_rng_alloc(7);
    if (!r)
        return -1;
    num_mlp_init_gaussian(b->net, b->theta0, r, NULL);
    num_rng_gaussian(r, 1.0, b->X, n * d);
    gsl_rng_free(r);
    long long *yl = malloc(n * sizeof *yl);
    if (!yl)
        return -1;
    for (size_t i = 0; i < n; i++) {
        b->y[i] = i % C;
        yl[i] = (long long)(i % C);
    }
    int rc = write_bin(dir, "X.bin", b->X, n * d * sizeof(double)) ||
             write_bin(dir, "y.bin", yl, n * sizeof *yl) ||
             write_bin(dir, "theta0.bin", b->theta0, P * sizeof(double));
    free(yl);
    return rc ? -1 : 0;
}

static int cmd_mlp(const char *dir, size_t n, size_t d, size_t width, size_t C, int epochs,
                   int reps)
{
    size_t widths[4] = {d, width, width, C};
    mlp_job b = {0};
    b.n = n;
    b.epochs = epochs;
    b.o = (num_ctrain_opts){.loss = NUM_CLS_CE, .lr = 0.01, .momentum = 0.9,
                            .weight_decay = 5e-4};
    b.net = num_mlp_alloc(3, widths, true, NUM_ACT_RELU);
    int rc = 1;
    if (!b.net)
        return 1;
    size_t P = b.net->nparams;
    b.tr = num_ctrain_alloc(b.net, n);
    b.theta = malloc(P * sizeof *b.theta);
    b.theta0 = malloc(P * sizeof *b.theta0);
    b.X = malloc(n * d * sizeof *b.X);
    b.y = malloc(n * sizeof *b.y);
    if (b.tr && b.theta && b.theta0 && b.X && b.y && mlp_inputs(&b, dir, d, C) == 0) {
        double t = median_time(run_mlp, &b, reps) / epochs;
        double gf = num_ctrain_flops(b.net, n) / t * 1e-9;
        double tg = gemm_epoch_time(widths, n, reps * epochs);
        if (!b.failed && write_bin(dir, "theta_tc.bin", b.theta, P * sizeof(double)) == 0) {
            printf("mlp n=%zu sizes=%zu-%zu-%zu-%zu P=%zu epochs=%d sec_per_epoch=%.6g "
                   "gflops=%.4g flops_per_epoch=%.6g gemm_only_sec=%.6g gemm_only_gflops=%.4g\n",
                   n, d, width, width, C, P, epochs, t, gf, num_ctrain_flops(b.net, n), tg,
                   num_ctrain_flops(b.net, n) / tg * 1e-9);
            rc = 0;
        }
    }
    num_ctrain_free(b.tr);
    num_mlp_free(b.net);
    free(b.theta);
    free(b.theta0);
    free(b.X);
    free(b.y);
    return rc;
}

/* ---- log-time flow -------------------------------------------------------------------- */
typedef struct {
    size_t n, d;
    double *X, *y, *w0, *w;
    num_flow_opts o;
    double s_end;
    num_flow_stats st;
    unsigned long lu;
    num_status status;
} flow_job;

static void run_flow(void *p)
{
    flow_job *f = p;
    unsigned long lu0 = lu_count;
    f->status = num_flow_run(NUM_LOSS_EXP, f->n, f->d, f->X, f->y, f->w0, 0.0, 1, &f->s_end,
                             &f->o, f->w, NULL, &f->st);
    f->lu = lu_count - lu0;
}

/* Stepper names: the GSL steppers by name, or cvode-bdf / cvode-adams (numerics/flow_cvode.c)
 * with optional CVODE knobs appended as ",qN" (max order), ",jN" (Jacobian at least every N
 * steps), ",sN" (Newton matrix at least every N steps), e.g. cvode-bdf,q5,j100,s50. */
static int flow_opts_parse(const char *stepper, num_flow_opts *o)
{
    size_t len = strcspn(stepper, ",");
    const char *knobs = stepper + len;
    if (len == 9 && !strncmp(stepper, "cvode-bdf", len))
        o->backend = NUM_FLOW_CVODE_BDF;
    else if (len == 11 && !strncmp(stepper, "cvode-adams", len))
        o->backend = NUM_FLOW_CVODE_ADAMS;
    else if (*knobs)
        return -1;
    else
        o->stepper = !strcmp(stepper, "msbdf")     ? gsl_odeiv2_step_msbdf
                     : !strcmp(stepper, "rk8pd")   ? gsl_odeiv2_step_rk8pd
                     : !strcmp(stepper, "bsimp")   ? gsl_odeiv2_step_bsimp
                     : !strcmp(stepper, "msadams") ? gsl_odeiv2_step_msadams
                     : !strcmp(stepper, "rk4imp")  ? gsl_odeiv2_step_rk4imp
                     : !strcmp(stepper, "rkf45")   ? gsl_odeiv2_step_rkf45
                                                   : NULL;
    if (o->backend == NUM_FLOW_GSL && !o->stepper)
        return -1;
    while (*knobs == ',') {
        char k = knobs[1], *end;
        long v = strtol(knobs + 2, &end, 10);
        if (end == knobs + 2 || v < 0 || (k != 'q' && k != 'j' && k != 's'))
            return -1;
        if (k == 'q')
            o->max_order = (int)v;
        else if (k == 'j')
            o->jac_every = v;
        else
            o->lsetup_every = v;
        knobs = end;
    }
    return *knobs ? -1 : 0;
}

static int cmd_flow(const char *dir, size_t n, size_t d, const char *stepper, double rtol,
                    double atol, double s_end, int reps)
{
    flow_job f = {.n = n, .d = d, .s_end = s_end};
    f.o = (num_flow_opts){.epsabs = atol, .epsrel = rtol, .h0 = 1e-3};
    if (flow_opts_parse(stepper, &f.o)) {
        fprintf(stderr, "tc_peer flow: unknown stepper %s\n", stepper);
        return 2;
    }
    f.X = malloc(n * d * sizeof *f.X);
    f.y = malloc(n * sizeof *f.y);
    f.w0 = calloc(d, sizeof *f.w0);
    f.w = malloc(d * sizeof *f.w);
    int rc = 1;
    if (f.X && f.y && f.w0 && f.w && !read_bin(dir, "X.bin", f.X, n * d * sizeof(double)) &&
        !read_bin(dir, "y.bin", f.y, n * sizeof(double))) {
        run_flow(&f); /* a failing stepper (rk8pd on a stiff set: 10^6 steps) is not timed */
        double t = f.status == NUM_OK ? median_time(run_flow, &f, reps) : 0.0;
        char name[64];
        snprintf(name, sizeof name, "w_%s.bin", stepper);
        if (f.status != NUM_OK)
            fprintf(stderr, "tc_peer flow: %s\n", num_strerror(f.status));
        else if (write_bin(dir, name, f.w, d * sizeof(double)) == 0) {
                /* LU: GSL's through the interposed gsl_linalg_LU_decomp, CVODE's from its own
             * count of linear-solver setups (one dense LU each). */
            printf("flow stepper=%s n=%zu d=%zu seconds=%.6g steps=%lu failed=%lu fevals=%lu "
                   "jevals=%lu lu=%lu\n",
                   stepper, n, d, t, f.st.steps, f.st.failed, f.st.fevals, f.st.jevals,
                   f.o.backend == NUM_FLOW_GSL ? f.lu : f.st.lu);
            rc = 0;
        }
    }
    free(f.X);
    free(f.y);
    free(f.w0);
    free(f.w);
    return rc;
}

/* ---- symmetric eigenvalues ------------------------------------------------------------ */
/* The Hessian spectrum kernel: the full Hessian of the square loss of a tanh MLP without
 * biases (widths w_0-...-w_K, n = 50 Gaussian samples and targets, seed 2024: the setup of
 * bench/bench_hessian.c), assembled by num_hessian_full, then all eigenvalues by
 * num_linalg_eigh (numerics/linalg.c: a copy, then, for an exactly symmetric matrix,
 * LAPACKE_dsyevd column-major 'U' on it). Also timed: that LAPACK call alone, straight on the
 * row-major bytes (H is exactly symmetric: num_hessian_full symmetrises it), without the
 * copy and the checks; `same_bits` says whether the eigenvalues agree bit for bit. */
typedef struct {
    size_t P;
    const double *H;
    double *B, *ev;
    int direct, info;
} eig_job;

static void run_eig(void *p)
{
    eig_job *e = p;
    if (!e->direct) {
        e->info = num_linalg_eigh(e->P, e->H, e->ev, NULL) != NUM_OK;
        return;
    }
    memcpy(e->B, e->H, e->P * e->P * sizeof *e->B);
    e->info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'N', 'U', (lapack_int)e->P, e->B,
                             (lapack_int)e->P, e->ev) != 0;
}

static int hessian_of(const char *spec, size_t n, num_mlp **net, double **H)
{
    size_t widths[8], K = 0;
    for (const char *q = spec; *q && K < 8; K++) {
        char *end;
        widths[K] = strtoul(q, &end, 10);
        q = *end == ',' ? end + 1 : end;
    }
    if (K < 2 || !(*net = num_mlp_alloc(K - 1, widths, false, NUM_ACT_TANH)))
        return -1;
    size_t P = (*net)->nparams, d = widths[0], dout = widths[K - 1];
    num_hess_work *hw = num_hessian_work_alloc(*net, n, 32);
    double *theta = malloc(P * sizeof *theta), *X = malloc(n * d * sizeof *X),
           *Y = malloc(n * dout * sizeof *Y);
    *H = malloc(P * P * sizeof **H);
    gsl_rng *r = num_rng_alloc(2024);
    int rc = -1;
    if (hw && theta && X && Y && *H && r) {
        num_mlp_init_gaussian(*net, theta, r, NULL);
        num_rng_gaussian(r, 1.0, X, n * d);
        num_rng_gaussian(r, 1.0, Y, n * dout);
        num_hess_opts o = {.loss = NUM_HESS_SQUARE};
        rc = num_hessian_full(hw, theta, X, Y, n, &o, 0, P, *H, NULL) == NUM_OK ? 0 : -1;
    }
    if (r)
        gsl_rng_free(r);
    num_hessian_work_free(hw);
    free(theta);
    free(X);
    free(Y);
    return rc;
}

static int cmd_eig(const char *dir, const char *spec, int reps)
{
    num_mlp *net = NULL;
    double *H = NULL;
    int rc = 1;
    if (hessian_of(spec, 50, &net, &H) == 0) {
        size_t P = net->nparams;
        eig_job e = {P, H, malloc(P * P * sizeof(double)), malloc(P * sizeof(double)), 1, 0};
        if (e.B && e.ev) {
            double tc = median_time(run_eig, &e, reps);
            int info = e.info;
            double *ev_direct = malloc(P * sizeof *ev_direct);
            if (ev_direct)
                memcpy(ev_direct, e.ev, P * sizeof *ev_direct);
            e.direct = 0;
            double t = median_time(run_eig, &e, reps);
            if (!info && !e.info && !write_bin(dir, "A.bin", H, P * P * sizeof(double)) &&
                !write_bin(dir, "ev_tc.bin", e.ev, P * sizeof(double))) {
                printf("eig widths=%s P=%zu seconds=%.6g gflops=%.4g seconds_colmajor=%.6g "
                       "same_bits=%d\n",
                       spec, P, t, 4.0 / 3.0 * (double)P * P * P / t * 1e-9, tc,
                       ev_direct && !memcmp(ev_direct, e.ev, P * sizeof *ev_direct));
                rc = 0;
            }
            free(ev_direct);
        }
        free(e.B);
        free(e.ev);
    }
    num_mlp_free(net);
    free(H);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "dgemm"))
        return cmd_dgemm();
    if (argc == 9 && !strcmp(argv[1], "mlp"))
        return cmd_mlp(argv[2], strtoul(argv[3], NULL, 10), strtoul(argv[4], NULL, 10),
                       strtoul(argv[5], NULL, 10), strtoul(argv[6], NULL, 10), atoi(argv[7]),
                       atoi(argv[8]));
    if (argc == 10 && !strcmp(argv[1], "flow"))
        return cmd_flow(argv[2], strtoul(argv[3], NULL, 10), strtoul(argv[4], NULL, 10), argv[5],
                        atof(argv[6]), atof(argv[7]), atof(argv[8]), atoi(argv[9]));
    if (argc == 5 && !strcmp(argv[1], "eig"))
        return cmd_eig(argv[2], argv[3], atoi(argv[4]));
    fprintf(stderr, "usage: tc_peer dgemm | mlp DIR n d width C epochs reps | "
                    "flow DIR n d msbdf|rk8pd|bsimp|msadams|rk4imp|rkf45|cvode-bdf[,qN,jN,sN]|"
                    "cvode-adams[,...] rtol atol s_end reps | "
                    "eig DIR w0,w1,...,wK reps\n");
    return 2;
}
