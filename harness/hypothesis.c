/* harness/hypothesis.c — hypothesis regions (see hypothesis.h). */
#include "harness/hypothesis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/exitcodes.h"
#include "harness/records.h"

typedef struct {
    const tc_claim *claim;
    const hx_values *vals;
} hyp_self;

/* As the claim's own accessors (harness/context.c): a wrong name or type is a programming
 * error in the hypothesis function, found by the first test that evaluates it. */
static const hx_value *lookup(void *self, const char *name, tc_param_type type)
{
    const hyp_self *s = self;
    const hx_value *v = hx_values_find((hx_values *)s->vals, name);
    if (!v || v->spec->type != type) {
        fprintf(stderr, "theorycheck: internal fault: the hypothesis of claim %s reads %s "
                        "parameter '%s'\n",
                s->claim->id, v ? "a mistyped" : "an undeclared", name);
        exit(HX_EXIT_INTERNAL);
    }
    return v;
}

static long get_int(void *self, const char *name)
{
    return lookup(self, name, TC_PARAM_INT)->i;
}

static double get_real(void *self, const char *name)
{
    return lookup(self, name, TC_PARAM_REAL)->r;
}

static bool get_bool(void *self, const char *name)
{
    return lookup(self, name, TC_PARAM_BOOL)->b;
}

static const char *get_choice(void *self, const char *name)
{
    return lookup(self, name, TC_PARAM_CHOICE)->choice;
}

static const double *get_list(void *self, const char *name, size_t *len)
{
    const hx_value *v = lookup(self, name, TC_PARAM_LIST);
    *len = v->nlist;
    return v->list;
}

int hx_hypothesis_eval(const tc_claim *c, const hx_values *vals, const tc_dataset *data,
                       char *why, size_t whylen)
{
    if (whylen)
        why[0] = '\0';
    if (!c->hypothesis)
        return -1;
    hyp_self self = {c, vals};
    tc_hyp_args a = {c, data, &self, get_int, get_real, get_bool, get_choice, get_list};
    int h = c->hypothesis(&a, why, whylen);
    if (h != 0 && h != 1) {
        if (whylen)
            why[0] = '\0';
        return -1;
    }
    if (h == 0 && whylen && why[0] == '\0')
        snprintf(why, whylen, "a hypothesis of the theorem is violated (no reason given)");
    return h;
}

/* ---- boundaries ------------------------------------------------------------------------- */

/* The value of axis x at index k as sweep.json types it. */
static json_t *axis_value(const hx_axis *x, size_t k)
{
    hx_value v = {0};
    char err[256];
    json_t *j = hx_param_parse(x->spec, x->values[k], &v, err, sizeof err)
                    ? json_string(x->values[k])
                    : hx_param_json(&v);
    free(v.text);
    return j;
}

/* Cell index stride of axis a in a Cartesian grid (first axis slowest). */
/* flip[k] = 1 when some pair of neighbours at indices k, k+1 of axis a has h 1 and 0. */
static size_t axis_flips(const hx_grid *g, size_t a, const signed char *h, unsigned char *flip)
{
    size_t stride = g->zip ? 1 : hx_grid_stride(g, a), coord[HX_GRID_MAX_AXES], nflip = 0;
    for (size_t c = 0; c < g->ncells; c++) {
        hx_grid_coords(g, c, coord);
        size_t k = coord[a];
        if (k + 1 >= g->axes[a].nvalues || c + stride >= g->ncells)
            continue;
        int p = h[c], q = h[c + stride];
        if (p >= 0 && q >= 0 && p != q && !flip[k]) {
            flip[k] = 1;
            nflip++;
        }
    }
    return nflip;
}

json_t *hx_hypothesis_boundaries(const hx_grid *g, const signed char *h)
{
    json_t *out = json_object();
    for (size_t a = 0; a < g->naxes; a++) {
        const hx_axis *x = &g->axes[a];
        unsigned char *flip = calloc(x->nvalues ? x->nvalues : 1, 1);
        if (!flip)
            continue;
        if (axis_flips(g, a, h, flip)) {
            json_t *iv = json_array();
            for (size_t k = 0; k + 1 < x->nvalues; k++)
                if (flip[k])
                    json_array_append_new(iv, json_pack("[o, o]", axis_value(x, k),
                                                        axis_value(x, k + 1)));
            json_object_set_new(out, x->spec->name, iv);
        }
        free(flip);
    }
    return out;
}
