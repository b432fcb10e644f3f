/* tests/unit/test_hypothesis.c — declared hypothesis regions (theorems/claim.h
 * tc_hypothesis_fn; harness/hypothesis.c): each declared function evaluated through the
 * harness's accessor over real parameter values (hx_values, as a sweep cell resolves them) on
 * both sides of its boundary, hand-computed below; the accessor with --data; and where the
 * declared hypothesis flips along the axes of a grid (Cartesian and zip). */
#include "tc_test.h"

#include <string.h>

#include "harness/grid.h"
#include "harness/hypothesis.h"
#include "harness/params.h"
#include "theorems/registry.h"

/* The hypothesis of claim `id` at its quick defaults with `sets` ("name=value", NULL-ended)
 * applied, and `data` (may be NULL). *why gets the reason. */
static int hyp_at(const char *id, const char *const *sets, const tc_dataset *data, char *why,
                  size_t whylen)
{
    const tc_claim *c = tc_registry_find(id);
    assert_non_null(c);
    hx_values vals;
    char err[512];
    assert_int_equal(hx_values_init(&vals, c, "quick", err, sizeof err), 0);
    for (size_t i = 0; sets && sets[i]; i++) {
        char name[64];
        const char *eq = strchr(sets[i], '=');
        assert_non_null(eq);
        snprintf(name, sizeof name, "%.*s", (int)(eq - sets[i]), sets[i]);
        if (hx_values_set(&vals, name, eq + 1, HX_SRC_CMDLINE, err, sizeof err) != 0)
            fail_msg("%s: %s", sets[i], err);
    }
    int h = hx_hypothesis_eval(c, &vals, data, why, whylen);
    hx_values_free(&vals);
    return h;
}

#define SETS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void expect_hyp(const char *id, const char *const *sets, const tc_dataset *data,
                       int expected, const char *why_has)
{
    char why[512];
    int h = hyp_at(id, sets, data, why, sizeof why);
    if (h != expected)
        fail_msg("%s: hypothesis %d observed vs %d expected (%s)", id, h, expected, why);
    if (expected == 0 && (why[0] == '\0' || (why_has && !strstr(why, why_has))))
        fail_msg("%s: why '%s' lacks '%s'", id, why, why_has ? why_has : "(any text)");
    if (expected != 0)
        assert_string_equal(why, "");
}

/* Theorem 4: some k in 1..H+1 with N_k N_{k-1} > n min(N_k..N_{H+1}), N_0 = d, N_{H+1} = d'. */
static void hessian_theorem4(void **state)
{
    (void)state;
    /* [6, 8, 2]: k=1: 48 > 2n iff n <= 23; k=2: 16 > 2n iff n <= 7. */
    const char *id = "hessian_degeneracy";
    expect_hyp(id, SETS("widths=8", "inputs=6", "outputs=2", "samples=23"), NULL, 1, NULL);
    expect_hyp(id, SETS("widths=8", "inputs=6", "outputs=2", "samples=24"), NULL, 0, "n = 24");
    /* [2, 4, 4, 1]: k=1: 8 > n; k=2: 16 > n; k=3: 4 > n: holds iff n <= 15. */
    expect_hyp(id, SETS("widths=4,4", "inputs=2", "outputs=1", "samples=15"), NULL, 1, NULL);
    expect_hyp(id, SETS("widths=4,4", "inputs=2", "outputs=1", "samples=16"), NULL, 0, "n = 16");
    /* Two architectures [4] and [40] with d = 2, d' = 1, n = 30: [2,4,1] fails (8, 4 <= 30),
     * [2,40,1] holds (80 > 30): the claim analyses it, so the cell's hypothesis holds. */
    expect_hyp(id, SETS("widths=4,0,40", "inputs=2", "outputs=1", "samples=30"), NULL, 1, NULL);
    expect_hyp(id, SETS("widths=4,0,5", "inputs=2", "outputs=1", "samples=30"), NULL, 0,
               "no architecture");
    /* The defaults (40 | 16,16 | 12,12,12 with n = 20, d = 6, d' = 2) satisfy it. */
    expect_hyp(id, NULL, NULL, 1, NULL);
    /* The negative control at its defaults: [3, 4, 3, 1], n = 60: 12, 12, 3 <= 60; with n = 11
     * k=1 gives 12 > 11 * min(4, 3, 1) = 11. */
    const char *ctl = "hessian_degeneracy_underparam";
    expect_hyp(ctl, NULL, NULL, 0, "n = 60");
    expect_hyp(ctl, SETS("samples=11"), NULL, 1, NULL);
    expect_hyp(ctl, SETS("samples=12"), NULL, 0, "n = 12");
}

/* With --data, n, d and d' are the data's rows, features and target columns; the parameters
 * samples/inputs/outputs are ignored, as by the claim. */
static void hessian_with_data(void **state)
{
    (void)state;
    tc_dataset D = {.path = "fixture.csv", .n = 24, .d = 6, .k = 2};
    const char *id = "hessian_degeneracy";
    expect_hyp(id, SETS("widths=8", "samples=2", "inputs=1", "outputs=1"), &D, 0, "n = 24");
    D.n = 23;
    expect_hyp(id, SETS("widths=8", "samples=1000", "inputs=1", "outputs=1"), &D, 1, NULL);
}

/* Soudry et al. Thm 3: eta < 2 / beta with eta = step / beta: step < 2. The parameter's range
 * stops at 1.99, so the other side is reached by editing the resolved value directly. */
static void max_margin_step(void **state)
{
    (void)state;
    const tc_claim *c = tc_registry_find("max_margin");
    assert_non_null(c);
    hx_values vals;
    char err[512], why[512];
    assert_int_equal(hx_values_init(&vals, c, "quick", err, sizeof err), 0);
    hx_value *step = hx_values_find(&vals, "step");
    const double cases[][2] = {{1.0, 1}, {1.99, 1}, {1.999999, 1}, {2.0, 0}, {3.9, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        step->r = cases[i][0];
        int h = hx_hypothesis_eval(c, &vals, NULL, why, sizeof why);
        if (h != (int)cases[i][1])
            fail_msg("step %.17g: %d observed vs %d expected", cases[i][0], h, (int)cases[i][1]);
        if (h == 0)
            assert_non_null(strstr(why, "2 / beta"));
    }
    assert_false(step->used); /* evaluating is not the claim reading it */
    hx_values_free(&vals);
}

/* E1: the width-independent reading, a smooth non-affine rho, distinct inputs, n >= m. */
static void ntk_initialisation_reading(void **state)
{
    (void)state;
    expect_hyp("ntk_min_eig", NULL, NULL, 0, "N(0, 1/n)");
    expect_hyp("ntk_min_eig", SETS("activation=tanh"), NULL, 0, "N(0, 1/n)");
    const char *u = "ntk_min_eig_unit_init";
    expect_hyp(u, NULL, NULL, 1, NULL); /* erf, widths 256..16384 >= m = 20 */
    expect_hyp(u, SETS("activation=relu"), NULL, 0, "relu");
    expect_hyp(u, SETS("widths=20,200,2000"), NULL, 1, NULL); /* n = m: rank m possible */
    expect_hyp(u, SETS("widths=19,200,2000"), NULL, 0, "n = 19 < m = 20");
    expect_hyp(u, SETS("m=300"), NULL, 0, "n = 256 < m = 300");
    tc_dataset D = {.path = "fixture.csv", .n = 300, .d = 4, .k = 1};
    expect_hyp(u, NULL, &D, 0, "m = 300"); /* m: the data's rows, not the parameter */
    D.n = 256;
    expect_hyp(u, SETS("m=1000"), &D, 1, NULL);
    expect_hyp("ntk_min_eig_linear", NULL, NULL, 0, "affine");
    expect_hyp("ntk_min_eig_duplicate_inputs", NULL, NULL, 0, "distinct");
}

/* D2/D3: relu with weights N(0, 1/m); the scale and the activation come from the claim. */
static void angle_activation_and_scale(void **state)
{
    (void)state;
    expect_hyp("angle_shrinkage", NULL, NULL, 1, NULL);
    expect_hyp("angle_shrinkage", SETS("widths=64", "thetas=3.1416"), NULL, 1, NULL);
    expect_hyp("angle_distance_law_he_init", NULL, NULL, 0, "N(0, 2/m)");
    expect_hyp("angle_shrinkage_linear_control", NULL, NULL, 0, "linear");
    expect_hyp("angle_shrinkage_erf_control", NULL, NULL, 0, "erf");
}

static void undeclared_is_null(void **state)
{
    (void)state;
    expect_hyp("etf_definition", NULL, NULL, -1, NULL);
}

/* ---- boundaries over a grid --------------------------------------------------------------- */

static const tc_param_spec spec[] = {
    TC_P_INT("n", "10", TC_SAME, 2, 1000, "samples"),
    TC_P_REAL("step", "1", TC_SAME, 0.01, 4.0, "step"), TC_P_END};
static void run_none(tc_ctx *c, tc_result *r) { (void)c; (void)r; }
static const tc_claim fixture = {.id = "fixture", .params = spec, .run = run_none};

static hx_grid grid_of(const char *a, const char *b, bool zip)
{
    hx_grid g = {.claim = &fixture};
    char err[512];
    assert_int_equal(hx_grid_add(&g, a, err, sizeof err), 0);
    assert_int_equal(hx_grid_add(&g, b, err, sizeof err), 0);
    assert_int_equal(hx_grid_finish(&g, zip, HX_GRID_MAX_CELLS, err, sizeof err), 0);
    return g;
}

static void expect_json(json_t *j, const char *text)
{
    char *s = json_dumps(j, JSON_COMPACT);
    if (strcmp(s, text) != 0)
        fail_msg("%s observed vs %s expected", s, text);
    free(s);
    json_decref(j);
}

static void boundaries(void **state)
{
    (void)state;
    /* n = 10, 20, 30 (slow) x step = 0.5, 1 (fast): cell = 2 i_n + i_step. */
    hx_grid g = grid_of("n=10,20,30", "step=0.5,1", false);
    const signed char flip_n[] = {1, 1, 1, 1, 0, 0};
    expect_json(hx_hypothesis_boundaries(&g, flip_n), "{\"n\":[[20,30]]}");
    const signed char flip_step[] = {1, 0, 1, 0, 1, 0};
    expect_json(hx_hypothesis_boundaries(&g, flip_step), "{\"step\":[[0.5,1.0]]}");
    /* Unknown cells (-1) never make a boundary; one row flipping is enough. */
    const signed char partial[] = {1, -1, 0, -1, 0, -1};
    expect_json(hx_hypothesis_boundaries(&g, partial), "{\"n\":[[10,20]]}");
    const signed char none[] = {1, 1, 1, 1, 1, 1};
    expect_json(hx_hypothesis_boundaries(&g, none), "{}");
    const signed char both[] = {1, 0, 0, 1, 1, 1};
    expect_json(hx_hypothesis_boundaries(&g, both),
                "{\"n\":[[10,20],[20,30]],\"step\":[[0.5,1.0]]}");
    hx_grid_free(&g);
    /* zip: consecutive cells are neighbours on every axis. */
    g = grid_of("n=10,20,30", "step=0.5,1,1.5", true);
    const signed char zip[] = {1, 1, 0};
    expect_json(hx_hypothesis_boundaries(&g, zip), "{\"n\":[[20,30]],\"step\":[[1.0,1.5]]}");
    hx_grid_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hessian_theorem4),
        cmocka_unit_test(hessian_with_data),
        cmocka_unit_test(max_margin_step),
        cmocka_unit_test(ntk_initialisation_reading),
        cmocka_unit_test(angle_activation_and_scale),
        cmocka_unit_test(undeclared_is_null),
        cmocka_unit_test(boundaries),
    };
    return TC_RUN("harness/hypothesis", tests);
}
