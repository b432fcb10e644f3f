/* theorems/registry.c — the list of claim families (see registry.h). */
#include "theorems/registry.h"

#include <string.h>

static const tc_claim *const *const families[] = {
    tc_family_max_margin, tc_family_norm_growth, tc_family_hessian,
    tc_family_angle,      tc_family_ntk,         tc_family_collapse,
};

size_t tc_registry_count(void)
{
    size_t n = 0;
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const tc_claim *const *c = families[f]; *c; c++)
            n++;
    return n;
}

const tc_claim *tc_registry_at(size_t i)
{
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const tc_claim *const *c = families[f]; *c; c++)
            if (i-- == 0)
                return *c;
    return NULL;
}

const tc_claim *tc_registry_find(const char *id)
{
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const tc_claim *const *c = families[f]; *c; c++)
            if (strcmp((*c)->id, id) == 0)
                return *c;
    return NULL;
}
