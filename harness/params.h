/* harness/params.h — parameter values: parsing, validation, provenance, use tracking.
 *
 * Every claim declares its parameters once (tc_param_spec). A value starts as the profile's
 * default, may be replaced by a config file, then by the command line (PETSc-style
 * precedence); each value remembers where it came from, and whether the claim read it, so
 * that a value set but never used can be reported.
 */
#ifndef HX_PARAMS_H
#define HX_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "theorems/claim.h"

typedef enum { HX_SRC_DEFAULT = 0, HX_SRC_CONFIG, HX_SRC_CMDLINE } hx_source;

const char *hx_source_name(hx_source s); /* "default", "config", "command line" */

typedef struct {
    const tc_param_spec *spec;
    char *text;        /* the effective value as given */
    hx_source source;
    long i;            /* TC_PARAM_INT */
    double r;          /* TC_PARAM_REAL */
    bool b;            /* TC_PARAM_BOOL */
    const char *choice;/* TC_PARAM_CHOICE: points into text */
    double list[TC_LIST_MAX];
    size_t nlist;      /* TC_PARAM_LIST */
    bool used;         /* read by the claim during its run */
} hx_value;

typedef struct {
    const tc_claim *claim;
    size_t n;
    hx_value *v;       /* one per declared parameter, in declaration order */
} hx_values;

/* Parse `text` for `spec` into `out` (text is copied). On failure returns -1 and writes a
 * message naming what is allowed, e.g. "must be an integer in [4, 100000]". */
int hx_param_parse(const tc_param_spec *spec, const char *text, hx_value *out, char *err,
                   size_t errlen);

/* Describe the allowed values of a spec ("integer in [4, 100000]", "one of exp|logistic"). */
void hx_param_allowed(const tc_param_spec *spec, char *buf, size_t len);

/* Fill defaults for `profile` ("quick" or "full"). -1 with a message if a declared default is
 * itself invalid (a programming error in the descriptor); then nothing stays allocated and
 * hx_values_free is still safe. */
int hx_values_init(hx_values *vals, const tc_claim *claim, const char *profile, char *err,
                   size_t errlen);
void hx_values_free(hx_values *vals);

/* The value of parameter `name`, or NULL if the claim declares none by that name. */
hx_value *hx_values_find(hx_values *vals, const char *name);

/* Set `name` = `text` from `source`. Returns 0, or -1 with a message (unknown parameter,
 * invalid value) that names the parameter, the value and what is allowed. */
int hx_values_set(hx_values *vals, const char *name, const char *text, hx_source source,
                  char *err, size_t errlen);

/* Number of declared parameters of a claim. */
size_t hx_claim_nparams(const tc_claim *claim);

#endif /* HX_PARAMS_H */
