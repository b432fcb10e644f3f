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
} tc_claim;

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

/* The run's seed (for the record and messages). */
uint64_t tc_seed(const tc_ctx *ctx);

/* User data given with --data for this claim, or NULL. */
const tc_dataset *tc_data(const tc_ctx *ctx);

#endif /* TC_CLAIM_H */
