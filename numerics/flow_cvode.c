/* numerics/flow_cvode.c — the gradient flows of numerics/flow.h integrated by SUNDIALS CVODE
 * (libsundials 6.x; Hindmarsh et al., "SUNDIALS: Suite of nonlinear and differential/algebraic
 * equation solvers", ACM TOMS 31(3), 2005; CVODE user guide v6.4, "Using CVODE for C
 * applications"). The right-hand side and the Jacobian are flow.c's (numerics/flow_sys.h).
 *
 * Stepping: CV_ONE_STEP calls, one internal step each, so that the step budget
 * (num_flow_opts.max_steps, accepted + rejected) is checked between steps as in flow.c's GSL
 * loop; the stop time is the last output time (no right-hand side is evaluated past it), and
 * w(tout[k]) is CVODE's interpolant of the step that reached tout[k] (CVodeGetDky, the
 * Nordsieck history of the current order q: its error is of the order of the local error). */
#include "numerics/flow_sys.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include <cblas.h>
#include <cvode/cvode.h>
#include <gsl/gsl_errno.h>
#include <lapacke.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_linearsolver.h>
#include <sunmatrix/sunmatrix_dense.h>

typedef struct {
    SUNContext sunctx;
    N_Vector y, yk; /* the state; the interpolated output */
    SUNMatrix A;
    SUNLinearSolver LS;
    void *mem;
} cv_objs;

/* CVRhsFn: 0 success, > 0 recoverable (CVODE retries with a smaller step: the overflow of a
 * trial stage that overshot, as GSL_ERANGE for gsl_odeiv2), < 0 unrecoverable. */
static int cv_rhs(sunrealtype s, N_Vector w, N_Vector f, void *user)
{
    int st = num_flow_sys_rhs(user, s, N_VGetArrayPointer(w), N_VGetArrayPointer(f));
    return st == GSL_SUCCESS ? 0 : 1;
}

/* CVLsJacFn: J is symmetric, so flow.c's row-major fill is also CVODE's column-major dense
 * layout (SUNDenseMatrix_Data: d x d contiguous, leading dimension d). df/ds goes to tmp1
 * (CVODE does not use it). */
static int cv_jac(sunrealtype s, N_Vector w, N_Vector fy, SUNMatrix J, void *user, N_Vector tmp1,
                  N_Vector tmp2, N_Vector tmp3)
{
    (void)fy, (void)tmp2, (void)tmp3;
    int st = num_flow_sys_jac(user, s, N_VGetArrayPointer(w), SUNDenseMatrix_Data(J),
                              N_VGetArrayPointer(tmp1));
    return st == GSL_SUCCESS ? 0 : 1;
}

/* The Newton matrix's linear solver: Cholesky through LAPACK, plugged into CVODE as a custom
 * SUNLinearSolver (SUNDIALS' documented interface for user linear solvers: a direct solver
 * needs gettype, setup, solve). CVODE's Newton matrix is M = I - gamma J with gamma = h l_0 > 0
 * (CVODE guide, "Nonlinear solve") and J = -sum_n k_n x_n x_n^T, k_n >= 0 (flow.c; square
 * loss: J = -2 X^T X), symmetric bit for bit (flow.c mirrors the upper triangle). Hence
 * M = I + gamma sum_n k_n x_n x_n^T is symmetric positive definite with every eigenvalue
 * >= 1: Cholesky needs no pivoting, is backward stable (Higham 2002, Thm 10.3) and costs half
 * an LU. SUNDIALS' own SUNLinSol_Dense (an unblocked column LU, not BLAS) was measured 2-4x
 * slower per factorisation and solve at d = 50 (bench/peers/notes.md). A factorisation that
 * fails (info > 0: M not numerically positive definite, e.g. a Jacobian poisoned by an
 * overflow) is reported as recoverable (SUNLS_PACKAGE_FAIL_REC): CVODE then re-evaluates the
 * Jacobian or cuts the step, as for a singular LU. M is factored in place (CVODE keeps its
 * own copy of J and rebuilds M from it at each setup). */
static SUNLinearSolver_Type chol_type(SUNLinearSolver LS)
{
    (void)LS;
    return SUNLINEARSOLVER_DIRECT;
}

static int chol_setup(SUNLinearSolver LS, SUNMatrix M)
{
    (void)LS;
    lapack_int d = (lapack_int)SUNDenseMatrix_Rows(M);
    /* _work: without LAPACKE's NaN scan of M (the Jacobian is checked finite by flow.c) */
    lapack_int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', d, SUNDenseMatrix_Data(M), d);
    return info == 0 ? SUNLS_SUCCESS : info > 0 ? SUNLS_PACKAGE_FAIL_REC : SUNLS_PACKAGE_FAIL_UNREC;
}

static int chol_solve(SUNLinearSolver LS, SUNMatrix M, N_Vector x, N_Vector b, sunrealtype tol)
{
    (void)LS, (void)tol;
    int d = (int)SUNDenseMatrix_Rows(M);
    const double *L = SUNDenseMatrix_Data(M);
    double *v = N_VGetArrayPointer(x);
    N_VScale(1.0, b, x);
    /* M = L L^T: L u = b, then L^T x = u (dpotrs for one right-hand side, as two dtrsv:
     * LAPACK's dpotrs goes through dtrsm, whose packing dominates at one column) */
    cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, d, L, d, v, 1);
    cblas_dtrsv(CblasColMajor, CblasLower, CblasTrans, CblasNonUnit, d, L, d, v, 1);
    return SUNLS_SUCCESS;
}

static SUNLinearSolver chol_new(SUNContext sunctx)
{
    SUNLinearSolver LS = SUNLinSolNewEmpty(sunctx);
    if (LS) {
        LS->ops->gettype = chol_type;
        LS->ops->setup = chol_setup;
        LS->ops->solve = chol_solve;
    }
    return LS;
}

/* CVODE's messages (errors and warnings, e.g. "t + h = t") are reported through num_status;
 * numerics/ prints nothing. */
static void cv_silent(int code, const char *module, const char *fn, char *msg, void *user)
{
    (void)code, (void)module, (void)fn, (void)msg, (void)user;
}

static void cv_free(cv_objs *o)
{
    if (o->mem)
        CVodeFree(&o->mem);
    if (o->LS)
        SUNLinSolFree(o->LS);
    if (o->A)
        SUNMatDestroy(o->A);
    if (o->y)
        N_VDestroy(o->y);
    if (o->yk)
        N_VDestroy(o->yk);
    if (o->sunctx)
        SUNContext_Free(&o->sunctx);
}

/* Creates and configures every CVODE object; on failure the caller frees what was made. The
 * tolerances are divided by sqrt(d): CVODE's weighted RMS test then bounds every component's
 * local error by epsabs + epsrel |w_i| (flow.h "Backends"). */
static num_status cv_setup(cv_objs *o, num_flow_sys *p, const double *w, double t0,
                           double tend, const num_flow_opts *opts)
{
    sunindextype d = (sunindextype)p->d;
    double sq = sqrt((double)p->d);
    if (SUNContext_Create(NULL, &o->sunctx) != 0 || !(o->y = N_VNew_Serial(d, o->sunctx)) ||
        !(o->yk = N_VNew_Serial(d, o->sunctx)) || !(o->A = SUNDenseMatrix(d, d, o->sunctx)) ||
        !(o->LS = chol_new(o->sunctx)) ||
        !(o->mem = CVodeCreate(opts->backend == NUM_FLOW_CVODE_ADAMS ? CV_ADAMS : CV_BDF,
                               o->sunctx)))
        return NUM_ENOMEM;
    memcpy(N_VGetArrayPointer(o->y), w, p->d * sizeof *w);
    /* Fused vector kernels: one pass for each of CVODE's linear combinations of the Nordsieck
     * history instead of one call per term (a few % at d = 50, bench/peers/notes.md) */
    int bad = N_VEnableFusedOps_Serial(o->y, SUNTRUE) != 0;
    bad |= CVodeSetErrHandlerFn(o->mem, cv_silent, NULL) != CV_SUCCESS;
    bad |= CVodeInit(o->mem, cv_rhs, t0, o->y) != CV_SUCCESS;
    bad |= CVodeSStolerances(o->mem, opts->epsrel / sq, opts->epsabs / sq) != CV_SUCCESS;
    bad |= CVodeSetUserData(o->mem, p) != CV_SUCCESS;
    bad |= CVodeSetLinearSolver(o->mem, o->LS, o->A) != CV_SUCCESS;
    bad |= CVodeSetJacFn(o->mem, cv_jac) != CV_SUCCESS;
    bad |= CVodeSetStopTime(o->mem, tend) != CV_SUCCESS;
    /* A trial step whose stage overflows (cv_rhs > 0: a large initial gradient, e.g. a
     * misclassifying w0 of norm 10 in max_margin_init) counts as a Newton convergence
     * failure, after which CVODE retries with h / 4; by default it gives up after 10 in one
     * step (h0 / 4^10), where GSL's evolve keeps halving. No cap here either: h / 4^k reaches
     * hmin = 0 after at most ~540 cuts from any normal h, where CVODE stops with
     * CV_CONV_FAILURE (NUM_EODE). The step budget is checked between steps. */
    bad |= CVodeSetMaxConvFails(o->mem, INT_MAX) != CV_SUCCESS;
    if (opts->h0 > 0.0)
        bad |= CVodeSetInitStep(o->mem, opts->h0) != CV_SUCCESS;
    if (opts->max_order > 0)
        bad |= CVodeSetMaxOrd(o->mem, opts->max_order) != CV_SUCCESS;
    if (opts->jac_every > 0)
        bad |= CVodeSetJacEvalFrequency(o->mem, opts->jac_every) != CV_SUCCESS;
    if (opts->lsetup_every > 0)
        bad |= CVodeSetLSetupFrequency(o->mem, opts->lsetup_every) != CV_SUCCESS;
    return bad ? NUM_ERROR(NUM_EINVAL, "CVODE rejected an option (max_order above the "
                                       "method's, or out of memory)")
               : NUM_OK;
}

static void cv_stats(void *mem, const num_flow_sys *p, num_flow_stats *stats)
{
    long nst = 0, netf = 0, ncfn = 0, nsetups = 0;
    sunrealtype hlast = 0.0;
    CVodeGetNumSteps(mem, &nst);
    CVodeGetNumErrTestFails(mem, &netf);
    CVodeGetNumStepSolveFails(mem, &ncfn);
    CVodeGetNumLinSolvSetups(mem, &nsetups);
    CVodeGetLastStep(mem, &hlast);
    *stats = (num_flow_stats){(unsigned long)nst, (unsigned long)(netf + ncfn), p->fevals, hlast,
                              p->jevals, (unsigned long)nsetups};
}

/* Accepted + rejected steps so far. */
static unsigned long cv_tried(void *mem)
{
    long nst = 0, netf = 0, ncfn = 0;
    CVodeGetNumSteps(mem, &nst);
    CVodeGetNumErrTestFails(mem, &netf);
    CVodeGetNumStepSolveFails(mem, &ncfn);
    return (unsigned long)(nst + netf + ncfn);
}

/* Steps until t >= tout (each call one step), within the budget of accepted + rejected steps. */
static num_status cv_advance(void *mem, N_Vector y, double *t, double tout, unsigned long budget)
{
    while (*t < tout) {
        if (cv_tried(mem) >= budget)
            return NUM_EODE;
        double tprev = *t;
        sunrealtype tret = *t;
        if (CVode(mem, tout, y, &tret, CV_ONE_STEP) < 0 || !(tret > tprev))
            return NUM_EODE;
        *t = tret;
    }
    return NUM_OK;
}

num_status num_flow_cvode_integrate(num_flow_sys *p, double *w, double t0, size_t nout,
                                    const double *tout, const num_flow_opts *opts, double *W,
                                    size_t ld, const size_t *keep, unsigned long *steps_at,
                                    num_flow_stats *stats)
{
    size_t d = p->d;
    unsigned long budget = opts->max_steps ? opts->max_steps : 1000000ul;
    cv_objs o = {0};
    num_status st = cv_setup(&o, p, w, t0, tout[nout - 1], opts);
    double t = t0;
    for (size_t k = 0; k < nout && st == NUM_OK; k++) {
        st = cv_advance(o.mem, o.y, &t, tout[k], budget);
        if (st != NUM_OK)
            break;
        long nst = 0;
        CVodeGetNumSteps(o.mem, &nst);
        const double *wk = w; /* no step yet: tout[k] == t0 */
        if (nst > 0) {
            if (CVodeGetDky(o.mem, tout[k], 0, o.yk) != CV_SUCCESS) {
                st = NUM_EODE;
                break;
            }
            wk = N_VGetArrayPointer(o.yk);
        }
        for (size_t j = 0; j < d && st == NUM_OK; j++)
            if (!isfinite(wk[j]))
                st = NUM_ENAN;
        if (st != NUM_OK)
            break;
        for (size_t j = 0; j < d; j++)
            W[k * ld + (keep ? keep[j] : j)] = wk[j];
        if (steps_at)
            steps_at[k] = (unsigned long)nst;
    }
    if (o.mem && stats)
        cv_stats(o.mem, p, stats);
    cv_free(&o);
    return st;
}
