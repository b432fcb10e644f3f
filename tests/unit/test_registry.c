/* tests/unit/test_registry.c — every registered family and claim is well formed.
 *
 * What a contributor can get wrong in a descriptor, caught before any claim runs: ids unique
 * and snake_case (they name files and seed the RNG streams); title, source, statement and
 * hypotheses non-empty; the claim's family field equal to the family that lists it; a
 * `refuted` expectation carrying its reason; both profiles' defaults parsing against their
 * own specification; unique parameter names; every family with at least one negative control
 * (a claim titled "Negative control: ...", which the family's check must catch).
 */
#include "tc_test.h"

#include <string.h>

#include "harness/params.h"
#include "theorems/registry.h"

static int is_snake_case(const char *s)
{
    if (!s || !(*s >= 'a' && *s <= 'z'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return s[-1] != '_';
}

static int nonempty(const char *s) { return s && *s; }

static void fail_claim(const char *id, const char *what)
{
    print_error("claim %s: %s\n", id ? id : "(null)", what);
    fail();
}

static void ids_unique_and_snake_case(void **state)
{
    (void)state;
    size_t n = tc_registry_count();
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const char *id = tc_registry_at(i)->id;
        if (!is_snake_case(id))
            fail_claim(id, "id is not snake_case");
        for (size_t j = 0; j < i; j++)
            if (strcmp(id, tc_registry_at(j)->id) == 0)
                fail_claim(id, "id registered twice");
        if (tc_registry_find(id) != tc_registry_at(i))
            fail_claim(id, "tc_registry_find does not return it");
    }
    assert_null(tc_registry_find("no_such_claim"));
}

static void texts_present(void **state)
{
    (void)state;
    for (size_t i = 0; i < tc_registry_count(); i++) {
        const tc_claim *c = tc_registry_at(i);
        if (!nonempty(c->title) || !nonempty(c->source) || !nonempty(c->statement) ||
            !nonempty(c->hypotheses))
            fail_claim(c->id, "title, source, statement and hypotheses must be non-empty");
        if (!c->run)
            fail_claim(c->id, "no run function");
        if (c->expect == TC_EXPECT_REFUTED && !nonempty(c->refuted_reason))
            fail_claim(c->id, "expect refuted without a refuted_reason");
    }
}

/* Each profile's default of each parameter parses; names are unique within a claim. */
static void defaults_parse_in_both_profiles(void **state)
{
    (void)state;
    const char *profiles[] = {"quick", "full"};
    for (size_t i = 0; i < tc_registry_count(); i++) {
        const tc_claim *c = tc_registry_at(i);
        for (size_t k = 0; k < 2; k++) {
            hx_values v;
            char err[512];
            if (hx_values_init(&v, c, profiles[k], err, sizeof err)) {
                print_error("claim %s, %s profile: %s\n", c->id, profiles[k], err);
                fail();
            }
            hx_values_free(&v);
        }
        size_t np = hx_claim_nparams(c);
        for (size_t a = 0; a < np; a++) {
            /* "K" is the documents' own symbol for the number of layers (003 §14) */
            if (!is_snake_case(c->params[a].name) && strcmp(c->params[a].name, "K") != 0)
                fail_claim(c->id, "parameter name is not snake_case");
            if (!nonempty(c->params[a].help))
                fail_claim(c->id, "parameter without help text");
            for (size_t b = 0; b < a; b++)
                if (strcmp(c->params[a].name, c->params[b].name) == 0)
                    fail_claim(c->id, "parameter declared twice");
        }
    }
}

/* Families: named in snake_case, titled, documented, non-empty, their claims' family field
 * theirs, and together they list every registered claim exactly once. */
static void families_well_formed(void **state)
{
    (void)state;
    size_t total = 0;
    assert_true(tc_registry_nfamilies() > 0);
    for (size_t f = 0; f < tc_registry_nfamilies(); f++) {
        const tc_family *fam = tc_registry_family(f);
        if (!is_snake_case(fam->name) || !nonempty(fam->title) || !nonempty(fam->doc) ||
            !fam->claims || !fam->claims[0])
            fail_claim(fam->name, "family needs a snake_case name, a title, a doc and claims");
        if (tc_registry_find_family(fam->name) != fam)
            fail_claim(fam->name, "tc_registry_find_family does not return the family");
        size_t controls = 0;
        for (const tc_claim *const *c = fam->claims; *c; c++, total++) {
            if (strcmp((*c)->family, fam->name) != 0)
                fail_claim((*c)->id, "family field differs from the family that lists it");
            controls += strncmp((*c)->title, "Negative control", 16) == 0;
        }
        if (controls == 0)
            fail_claim(fam->name, "family without a negative control (title 'Negative control: ...')");
    }
    assert_int_equal(total, tc_registry_count());
}

/* The checks above must be able to fail: they reject what they are meant to reject. */
static void checks_reject_bad_names(void **state)
{
    (void)state;
    assert_true(is_snake_case("max_margin_deep2"));
    assert_false(is_snake_case("MaxMargin"));
    assert_false(is_snake_case("max-margin"));
    assert_false(is_snake_case("_max"));
    assert_false(is_snake_case("max_"));
    assert_false(is_snake_case("2max"));
    assert_false(is_snake_case(""));
    static const tc_param_spec bad = TC_P_INT("n", "0", TC_SAME, 4, 100, "samples");
    static const tc_param_spec spec[] = {bad, TC_P_END};
    static const tc_claim c = {.id = "x", .params = spec};
    hx_values v;
    char err[256];
    assert_int_equal(hx_values_init(&v, &c, "quick", err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ids_unique_and_snake_case),
        cmocka_unit_test(texts_present),
        cmocka_unit_test(defaults_parse_in_both_profiles),
        cmocka_unit_test(families_well_formed),
        cmocka_unit_test(checks_reject_bad_names),
    };
    return TC_RUN("theorems/registry", tests);
}
