/* theorems/registry.h — every claim, in catalogue order (CLAIMS.md sections A onwards).
 *
 * Each family file exports a NULL-terminated array `tc_family_<name>`; the registry
 * concatenates them. A new family: add its file and one line to families[] in registry.c.
 */
#ifndef TC_REGISTRY_H
#define TC_REGISTRY_H

#include <stddef.h>

#include "theorems/claim.h"

extern const tc_claim *const tc_family_max_margin[];  /* A: theorems/max_margin.c */
extern const tc_claim *const tc_family_norm_growth[]; /* B (+A5): theorems/norm_growth.c */
extern const tc_claim *const tc_family_hessian[];     /* C: theorems/hessian.c */
extern const tc_claim *const tc_family_angle[];       /* D: theorems/angle.c */
extern const tc_claim *const tc_family_ntk[];         /* E: theorems/ntk.c */
extern const tc_claim *const tc_family_collapse[];    /* F: theorems/collapse.c */

/* Number of registered claims; tc_registry_at(i) for i < tc_registry_count(). */
size_t tc_registry_count(void);
const tc_claim *tc_registry_at(size_t i);

/* The claim with this id, or NULL. */
const tc_claim *tc_registry_find(const char *id);

#endif /* TC_REGISTRY_H */
