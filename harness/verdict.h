/* harness/verdict.h — verdicts (DESIGN.md): what the numbers say compared with what the
 * catalogue expects. */
#ifndef HX_VERDICT_H
#define HX_VERDICT_H

#include <stdbool.h>

#include "theorems/claim.h"

typedef enum { HX_PASS = 0, HX_FAIL, HX_XFAIL, HX_XPASS, HX_SKIP, HX_ERROR, HX_NVERDICTS } hx_verdict;

/* pass: holds as expected; fail: expected to hold, does not; xfail: recorded refuted and does
 * not hold; xpass: recorded refuted yet holds; skip: hypothesis not met; error: numerical or
 * internal failure (including a claim that set no outcome). */
hx_verdict hx_verdict_of(tc_outcome outcome, tc_expect expect);
const char *hx_verdict_name(hx_verdict v);

/* Does this verdict fail the run? (fail, xpass, error; skip too under --strict) */
bool hx_verdict_is_failure(hx_verdict v, bool strict);

const char *hx_expect_name(tc_expect e); /* "holds" or "refuted" */

#endif /* HX_VERDICT_H */
