/* tests/fuzz/fuzz_ini.c — --config files (harness/config.c over inih) with their validation.
 * Invariants: every setting an accepted file makes names a registered claim and one of its
 * parameters, and its value parses again to a value inside the declared range. */
#include <stdint.h>

#include "fuzz.h"
#include "harness/options.h"
#include "harness/plan.h"
#include "theorems/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("in.ini", data, size);
    if (!path)
        return 0;
    hx_run_options o;
    memset(&o, 0, sizeof o);
    if (hx_config_read(&o, path) == 0) {
        for (size_t i = 0; i < o.nsets; i++) {
            const tc_claim *claim = tc_registry_find(o.sets[i].claim);
            fuzz_require(claim, "a setting names a registered claim");
            hx_values vals;
            char err[512];
            fuzz_require(hx_values_init(&vals, claim, "quick", err, sizeof err) == 0,
                         "the claim's defaults parse");
            fuzz_require(hx_values_set(&vals, o.sets[i].param, o.sets[i].value, HX_SRC_CONFIG,
                                       err, sizeof err) == 0,
                         "an accepted setting is accepted again");
            fuzz_value_in_range(hx_values_find(&vals, o.sets[i].param));
            hx_values_free(&vals);
        }
    }
    hx_run_options_free(&o);
    unlink(path);
    return 0;
}
