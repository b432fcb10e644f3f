/* theorems/registry.h — every claim family and claim, in catalogue order (CLAIMS.md A onwards).
 *
 * Families register themselves with one line in theorems/families.def; the registry is the
 * only reader of that list. */
#ifndef TC_REGISTRY_H
#define TC_REGISTRY_H

#include <stddef.h>

#include "theorems/claim.h"

/* Number of registered families; tc_registry_family(i) for i < tc_registry_nfamilies(). */
size_t tc_registry_nfamilies(void);
const tc_family *tc_registry_family(size_t i);

/* The family with this name, or NULL. */
const tc_family *tc_registry_find_family(const char *name);

/* Number of registered claims; tc_registry_at(i) for i < tc_registry_count(). */
size_t tc_registry_count(void);
const tc_claim *tc_registry_at(size_t i);

/* The claim with this id, or NULL. */
const tc_claim *tc_registry_find(const char *id);

#endif /* TC_REGISTRY_H */
