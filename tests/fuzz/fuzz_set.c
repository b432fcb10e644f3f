/* tests/fuzz/fuzz_set.c — a parameter value as --set gives it (harness/params.c), for every
 * parameter type: the input is "NAME=VALUE" for one of a few claims chosen by its first byte.
 * Invariants: an accepted value is inside its declared range; a refusal says why. */
#include <stdint.h>

#include "fuzz.h"
#include "theorems/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || memchr(data, '\0', size))
        return 0; /* argv strings hold no NUL */
    size_t nclaims = tc_registry_count();
    const tc_claim *claim = tc_registry_at(data[0] % nclaims);
    char *text = strndup((const char *)data + 1, size - 1);
    char *eq = text ? strchr(text, '=') : NULL;
    if (eq) {
        *eq = '\0';
        hx_values vals;
        char err[512] = "";
        fuzz_require(hx_values_init(&vals, claim, "quick", err, sizeof err) == 0, "defaults");
        if (hx_values_set(&vals, text, eq + 1, HX_SRC_CMDLINE, err, sizeof err) == 0)
            fuzz_value_in_range(hx_values_find(&vals, text));
        else
            fuzz_require(err[0] != '\0', "a refusal says why");
        hx_values_free(&vals);
    }
    free(text);
    return 0;
}
