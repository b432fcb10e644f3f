/* harness/listing.h — `list`, `show` and the parameter part of `--help`: everything a claim
 * declares, printed from its descriptor (one place documents itself). */
#ifndef HX_LISTING_H
#define HX_LISTING_H

#include <stdio.h>

#include "harness/options.h"
#include "theorems/claim.h"

void hx_list_print(FILE *f, hx_format fmt);
void hx_show_print(FILE *f, const tc_claim *c, hx_format fmt);
/* Compact per-claim parameter reference for --help. */
void hx_help_params(FILE *f);

#endif /* HX_LISTING_H */
