/* theorems/claim.h — the claim descriptor and the interface between a claim and the harness.
 *
 * A claim is a constant descriptor (compare gsl_multimin_fdfminimizer_type): identity, source,
 * statement, a parameter table, the expectation, and a run function. The run function receives
 * a context (parameters, random streams, user data) and fills a result (metrics, series, plots,
 * verdict inputs). It never prints, opens files or parses options: the harness owns all I/O.
 *
 * Writing a claim:
 *   static void run(tc_ctx *ctx, tc_result *res) {
 *       long n = tc_param_int(ctx, "n");
 *       gsl_rng *r = tc_rng(ctx);                 // the claim's own stream
 *       ...
 *       tc_metric(res, "direction_gap", gap, TC_LE, bound);   // bound derived, see comment
 *       tc_result_conclude(res);                  // holds = every checked metric ok
 *   }
 */
#ifndef TC_CLAIM_H
#define TC_CLAIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "theorems/result.h"

/* ---- parameters ------------------------------------------------------------------------ */

typedef enum {
    TC_PARAM_INT,    /* integer in [min, max] */
    TC_PARAM_REAL,   /* finite real in [min, max] */
    TC_PARAM_BOOL,   /* true/false, 1/0, yes/no, on/off */
    TC_PARAM_CHOICE, /* one of the words in `choices`, separated by '|' */
    TC_PARAM_LIST    /* comma-separated reals, each in [min, max], 1..TC_LIST_MAX entries */
} tc_param_type;

#define TC_LIST_MAX 64

typedef struct {
    const char *name;    /* snake_case, unique within the claim */
    tc_param_type type;
    const char *quick;   /* default in the quick profile, as text (parsed like user input) */
    const char *full;    /* default in the full profile; NULL = same as quick */
    double min, max;     /* valid range for INT, REAL and each LIST entry (inclusive) */
    const char *choices; /* CHOICE only: "exp|logistic|both" */
    const char *help;    /* one line: meaning, unit, why the default */
} tc_param_spec;

/* Parameter rows, written by name (the positional 8-field form is easy to get wrong):
 *   static const tc_param_spec params[] = {
 *       TC_P_INT("n", "40", "200", 4, 100000, "samples"),
 *       TC_P_CHOICE("loss", "both", TC_SAME, "exp|logistic|both", "loss function"),
 *       TC_P_END};
 * TC_SAME as the full-profile default means "the quick default". */
#define TC_SAME NULL
#define TC_P_INT(name_, quick_, full_, lo_, hi_, help_)                                       \
    {.name = (name_), .type = TC_PARAM_INT, .quick = (quick_), .full = (full_),              \
     .min = (lo_), .max = (hi_), .help = (help_)}
#define TC_P_REAL(name_, quick_, full_, lo_, hi_, help_)                                      \
    {.name = (name_), .type = TC_PARAM_REAL, .quick = (quick_), .full = (full_),             \
     .min = (lo_), .max = (hi_), .help = (help_)}
#define TC_P_LIST(name_, quick_, full_, lo_, hi_, help_)                                      \
    {.name = (name_), .type = TC_PARAM_LIST, .quick = (quick_), .full = (full_),             \
     .min = (lo_), .max = (hi_), .help = (help_)}
#define TC_P_BOOL(name_, quick_, full_, help_)                                                \
    {.name = (name_), .type = TC_PARAM_BOOL, .quick = (quick_), .full = (full_),             \
     .help = (help_)}
#define TC_P_CHOICE(name_, quick_, full_, choices_, help_)                                    \
    {.name = (name_), .type = TC_PARAM_CHOICE, .quick = (quick_), .full = (full_),           \
     .choices = (choices_), .help = (help_)}
#define TC_P_END {.name = NULL}

/* ---- user data ------------------------------------------------------------------------- */

/* What `--data CLAIM=FILE.csv` may give this claim. The harness parses and validates the file
 * before any claim runs (ragged rows, non-numeric fields, wrong labels: exit 2 with file and
 * line), so a claim only sees well-formed data. */
typedef enum {
    TC_DATA_NONE = 0, /* the claim takes no data */
    TC_DATA_BINARY,   /* last column a label in {-1,+1} or {0,1}; mapped to -1/+1; both present */
    TC_DATA_CLASSES,  /* last column an integer class label 0..C-1 (C >= 2, none empty) */
    TC_DATA_TARGETS,  /* last `targets` columns (parameter `targets`, default 1) are real targets */
    TC_DATA_FEATURES  /* last column ignored (any number); features only */
} tc_data_kind;

typedef struct {
    const char *path; /* as given by the user, for messages */
    size_t n;         /* samples (rows) */
    size_t d;         /* feature columns */
    size_t k;         /* target columns (1 except TC_DATA_TARGETS) */
    double *x;        /* n x d, row-major */
    double *y;        /* n x k, row-major: labels (+-1, or class index) or targets */
    size_t classes;   /* TC_DATA_CLASSES: number of classes; TC_DATA_BINARY: 2 */
} tc_dataset;

/* ---- the descriptor -------------------------------------------------------------------- */

typedef enum { TC_EXPECT_HOLDS = 0, TC_EXPECT_REFUTED } tc_expect;

typedef struct tc_ctx tc_ctx; /* opaque; implemented by the harness */

/* ---- hypothesis regions ---------------------------------------------------------------- */

/* What a hypothesis function may read: the resolved parameter values of one cell (through
 * accessors the harness implements over its own values: no tc_ctx, no random stream, nothing is
 * run) and the user's data for the claim, if any. The accessors behave like tc_param_*: an
 * undeclared name or a wrong type is a programming error (exit 3); reading a value here does
 * not count as the claim using it. Call them through tc_hyp_int etc. below. */
typedef struct tc_hyp_args {
    const struct tc_claim *claim; /* the claim evaluated (its id, its config) */
    const tc_dataset *data;       /* --data for this claim, or NULL (synthetic data) */
    void *self;                   /* the harness's state for the accessors */
    long (*get_int)(void *self, const char *name);
    double (*get_real)(void *self, const char *name);
    bool (*get_bool)(void *self, const char *name);
    const char *(*get_choice)(void *self, const char *name);
    const double *(*get_list)(void *self, const char *name, size_t *len);
} tc_hyp_args;

/* Whether the hypotheses of the claim's theorem hold at these parameters (and data): 1 they
 * hold; 0 violated, with `why` (NUL-terminated, at most whylen bytes) naming the hypothesis
 * and the numbers that violate it; -1 cannot tell from parameters and data alone. Pure: no
 * I/O, no randomness, no allocation through a context; cheap (it is called for every cell of
 * a sweep grid). The declared region is what `theorycheck sweep` sets beside the measured
 * verdicts (cell "hypothesis"), so that where the theorem's region and the measured one
 * disagree becomes a count. */
typedef int (*tc_hypothesis_fn)(const tc_hyp_args *a, char *why, size_t whylen);

static inline long tc_hyp_int(const tc_hyp_args *a, const char *name)
{
    return a->get_int(a->self, name);
}
static inline double tc_hyp_real(const tc_hyp_args *a, const char *name)
{
    return a->get_real(a->self, name);
}
static inline bool tc_hyp_bool(const tc_hyp_args *a, const char *name)
{
    return a->get_bool(a->self, name);
}
static inline const char *tc_hyp_choice(const tc_hyp_args *a, const char *name)
{
    return a->get_choice(a->self, name);
}
static inline const double *tc_hyp_list(const tc_hyp_args *a, const char *name, size_t *len)
{
    return a->get_list(a->self, name, len);
}

typedef struct tc_claim {
    const char *id;         /* snake_case, stable: it names files and seeds the RNG stream */
    const char *family;     /* e.g. "max_margin" */
    const char *title;      /* short human title */
    const char *source;     /* document, section, equation/theorem: "003 §4 eq. (4)" */
    const char *statement;  /* the claim as the document states it */
    const char *hypotheses; /* what must hold for the statement to apply */
    tc_expect expect;
    const char *refuted_reason; /* TC_EXPECT_REFUTED: the numbers that refute it */
    const tc_param_spec *params; /* terminated by an entry with name == NULL */
    tc_data_kind data;
    void (*run)(tc_ctx *ctx, tc_result *res);
    const char *key_metrics; /* optional: comma-separated metric names that the verdict tables
                              * show first (after failing ones); NULL = record order */
    const void *config;      /* optional: the configuration this claim's run reads through
                              * tc_config() (compare gsl_function.params), so that one run
                              * function serves several claims without one-line wrappers */
    tc_hypothesis_fn hypothesis; /* optional: where the theorem's hypotheses hold, as a
                                  * function of the parameters (and data); NULL = not
                                  * declared (a sweep cell's "hypothesis" is then null) */
} tc_claim;

/* A claim family: one exported descriptor per family, registered by one line in
 * theorems/families.def. */
typedef struct tc_family {
    const char *name;               /* snake_case; every claim's `family` field equals it */
    const char *title;              /* "A. Max-margin convergence (003 §4, §11.2; ...)" */
    const char *doc;                /* the family's document: "docs/claims/max_margin.md" */
    const tc_claim *const *claims;  /* catalogue order, NULL-terminated */
} tc_family;

/* A family's claim list in its family.c, one entry per claim (the descriptor itself lives in
 * the sub-claim's file):
 *   #define CLAIMS(X) X(ntk_claim_min_eig) X(ntk_claim_lazy)
 *   CLAIMS(TC_CLAIM_EXTERN)
 *   static const tc_claim *const claims[] = {CLAIMS(TC_CLAIM_REF) NULL}; */
#define TC_CLAIM_EXTERN(sym) extern const tc_claim sym;
#define TC_CLAIM_REF(sym) &sym,

/* ---- what a claim may ask of its context ----------------------------------------------- */

/* Parameter accessors. Asking for an undeclared name or the wrong type is a programming error:
 * the harness aborts with a message (exit 3), so it is found by the first test run. */
long tc_param_int(tc_ctx *ctx, const char *name);
double tc_param_real(tc_ctx *ctx, const char *name);
bool tc_param_bool(tc_ctx *ctx, const char *name);
const char *tc_param_choice(tc_ctx *ctx, const char *name);
const double *tc_param_list(tc_ctx *ctx, const char *name, size_t *len);

/* "quick" or "full". Claims should prefer parameters; this is for documentation only. */
const char *tc_profile(const tc_ctx *ctx);

/* The claim's own random stream, derived from (seed, claim id): adding or reordering claims
 * never changes another claim's numbers. Owned by the context. */
gsl_rng *tc_rng(tc_ctx *ctx);

/* An independent stream k of this claim (for repeated seeds of a statistical check), derived
 * from (seed, claim id, k). The caller frees it with gsl_rng_free. */
gsl_rng *tc_rng_stream(tc_ctx *ctx, uint64_t k);

/* The same stream k as tc_rng_stream, owned by the context (released after the run). */
gsl_rng *tc_stream(tc_ctx *ctx, uint64_t k);

/* The claim descriptor's `config` pointer (NULL when it has none). */
const void *tc_config(const tc_ctx *ctx);

/* ---- memory owned by the context ------------------------------------------------------- */

/* n objects of `size` bytes, zeroed, released after the run. Never returns NULL: when n * size
 * overflows or the allocation fails, the claim's result becomes `error` ("out of memory: N
 * bytes ...") and the run function is left at once (the context unwinds to the harness, which
 * releases everything allocated or deferred so far). Compare SQLite's sqlite3_malloc plus the
 * longjmp of its parser: callers need no NULL checks and no clean-up labels. */
void *tc_alloc(tc_ctx *ctx, size_t n, size_t size);

/* Typed shorthand: TC_NEW(ctx, double, n) is a zeroed double[n] owned by the context. */
#define TC_NEW(ctx, type, n) ((type *)tc_alloc((ctx), (n), sizeof(type)))

/* Release `obj` with `release(obj)` after the run, in reverse order of deferral. A NULL `obj`
 * is taken as a failed library allocation: the claim ends with `error` as for tc_alloc.
 * Returns obj. `release` must have exactly the signature void(void *): wrap typed
 * destructors in a one-line function, e.g.
 *   static void release_ws(void *w) { num_svm_ws_free(w); } */
void *tc_defer(tc_ctx *ctx, void (*release)(void *), void *obj);

/* End the run now with `error`: the reason is printf-formatted (as tc_result_error). Used
 * where a kernel failed and nothing more can be measured; never returns. */
_Noreturn void tc_fail(tc_ctx *ctx, const char *fmt, ...);

/* A numerics/ status that is not NUM_OK ends the run with `error`, naming `what` and the
 * kernel's reason and location (num_error_last); NUM_OK returns. */
void tc_check(tc_ctx *ctx, int status, const char *what);

/* The run's seed (for the record and messages). */
uint64_t tc_seed(const tc_ctx *ctx);

/* User data given with --data for this claim, or NULL. */
const tc_dataset *tc_data(const tc_ctx *ctx);

#endif /* TC_CLAIM_H */
