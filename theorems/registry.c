/* theorems/registry.c — the list of claim families (see registry.h and families.def). */
#include "theorems/registry.h"

#include <string.h>

#define TC_FAMILY(name) extern const tc_family tc_family_##name;
#include "theorems/families.def"
#undef TC_FAMILY

static const tc_family *const families[] = {
#define TC_FAMILY(name) &tc_family_##name,
#include "theorems/families.def"
#undef TC_FAMILY
};

enum { NFAMILIES = sizeof families / sizeof families[0] };

size_t tc_registry_nfamilies(void)
{
    return NFAMILIES;
}

const tc_family *tc_registry_family(size_t i)
{
    return i < NFAMILIES ? families[i] : NULL;
}

const tc_family *tc_registry_find_family(const char *name)
{
    for (size_t f = 0; f < NFAMILIES; f++)
        if (strcmp(families[f]->name, name) == 0)
            return families[f];
    return NULL;
}

size_t tc_registry_count(void)
{
    size_t n = 0;
    for (size_t f = 0; f < NFAMILIES; f++)
        for (const tc_claim *const *c = families[f]->claims; *c; c++)
            n++;
    return n;
}

const tc_claim *tc_registry_at(size_t i)
{
    for (size_t f = 0; f < NFAMILIES; f++)
        for (const tc_claim *const *c = families[f]->claims; *c; c++)
            if (i-- == 0)
                return *c;
    return NULL;
}

const tc_claim *tc_registry_find(const char *id)
{
    for (size_t f = 0; f < NFAMILIES; f++)
        for (const tc_claim *const *c = families[f]->claims; *c; c++)
            if (strcmp((*c)->id, id) == 0)
                return *c;
    return NULL;
}
