/* theorems/perturbation/perturbation.h — family H (CLAIMS.md H; 003 §6 and Figure 4): gradient
 * descent on an overparametrised linear model in feature space, perturbed by Gaussian noise and
 * run back to zero training error, round after round. Private to the family. */
#ifndef TC_THEOREMS_PERTURBATION_H
#define TC_THEOREMS_PERTURBATION_H

#include "theorems/claim.h"
#include "theorems/result.h"

/* Family-wise error level of the statistical checks: a verdict flips for a seed with
 * probability at most this, so the verdict is the same for any seed in practice (a 95% level
 * would flip one run in twenty: a flaky check). */
#define PERT_ALPHA 1e-6

extern const tc_claim pert_claim_null_walk;
extern const tc_claim pert_claim_full_rank;
extern const tc_claim pert_claim_deep;          /* deep.c: H' */
extern const tc_claim pert_claim_deep_no_noise; /* its control */

#endif
