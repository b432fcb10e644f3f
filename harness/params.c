/* harness/params.c — parsing and validating parameter values (see params.h). */
#include "harness/params.h"

#include "common/number.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *hx_source_name(hx_source s)
{
    switch (s) {
    case HX_SRC_DEFAULT: return "default";
    case HX_SRC_CONFIG: return "config";
    case HX_SRC_CMDLINE: return "command line";
    }
    return "default";
}

size_t hx_claim_nparams(const tc_claim *claim)
{
    size_t n = 0;
    while (claim->params && claim->params[n].name)
        n++;
    return n;
}

void hx_param_allowed(const tc_param_spec *spec, char *buf, size_t len)
{
    switch (spec->type) {
    case TC_PARAM_INT:
        snprintf(buf, len, "an integer in [%.15g, %.15g]", spec->min, spec->max);
        break;
    case TC_PARAM_REAL:
        snprintf(buf, len, "a real number in [%.15g, %.15g]", spec->min, spec->max);
        break;
    case TC_PARAM_BOOL:
        snprintf(buf, len, "true or false");
        break;
    case TC_PARAM_CHOICE:
        snprintf(buf, len, "one of %s", spec->choices ? spec->choices : "(none)");
        break;
    case TC_PARAM_LIST:
        snprintf(buf, len, "a comma-separated list of 1 to %d numbers in [%.15g, %.15g]",
                 TC_LIST_MAX, spec->min, spec->max);
        break;
    }
}

/* A finite real, blanks around it allowed (as --set and INI values come). */
static int parse_real(const char *s, double *out)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *text = strndup(s, n);
    int rc = text ? cm_number_finite(text, out) : -1;
    free(text);
    return rc;
}

static int parse_bool(const char *s, bool *out)
{
    static const char *yes[] = {"true", "1", "yes", "on"}, *no[] = {"false", "0", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) { *out = true; return 0; }
        if (strcasecmp(s, no[i]) == 0) { *out = false; return 0; }
    }
    return -1;
}

/* Is `s` one of the '|'-separated words of `choices`? */
static int in_choices(const char *choices, const char *s)
{
    size_t n = strlen(s);
    for (const char *p = choices; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t m = bar ? (size_t)(bar - p) : strlen(p);
        if (m == n && n > 0 && strncmp(p, s, n) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

static int parse_list(const tc_param_spec *spec, const char *s, hx_value *out)
{
    out->nlist = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t m = comma ? (size_t)(comma - p) : strlen(p);
        char item[64];
        if (m == 0 || m >= sizeof item || out->nlist == TC_LIST_MAX)
            return -1;
        memcpy(item, p, m);
        item[m] = '\0';
        double v;
        if (parse_real(item, &v) || v < spec->min || v > spec->max)
            return -1;
        out->list[out->nlist++] = v;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

int hx_param_parse(const tc_param_spec *spec, const char *text, hx_value *out, char *err,
                   size_t errlen)
{
    char allowed[256];
    hx_param_allowed(spec, allowed, sizeof allowed);
    hx_value v = *out;
    v.spec = spec;
    int bad = 0;
    double r = 0;
    switch (spec->type) {
    case TC_PARAM_INT:
        bad = parse_real(text, &r) || r != floor(r) || r < spec->min || r > spec->max;
        v.i = bad ? 0 : (long)r;
        break;
    case TC_PARAM_REAL:
        bad = parse_real(text, &r) || r < spec->min || r > spec->max;
        v.r = r;
        break;
    case TC_PARAM_BOOL:
        bad = parse_bool(text, &v.b);
        break;
    case TC_PARAM_CHOICE:
        bad = !in_choices(spec->choices, text);
        break;
    case TC_PARAM_LIST:
        bad = parse_list(spec, text, &v);
        break;
    }
    if (bad) {
        snprintf(err, errlen, "value '%s' is not allowed: must be %s", text, allowed);
        return -1;
    }
    char *copy = malloc(strlen(text) + 1);
    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    strcpy(copy, text);
    free(out->text);
    v.text = copy;
    v.choice = spec->type == TC_PARAM_CHOICE ? copy : NULL;
    *out = v;
    return 0;
}

int hx_values_init(hx_values *vals, const tc_claim *claim, const char *profile, char *err,
                   size_t errlen)
{
    vals->claim = claim;
    vals->n = hx_claim_nparams(claim);
    vals->v = calloc(vals->n ? vals->n : 1, sizeof *vals->v);
    if (!vals->v) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int full = strcmp(profile, "full") == 0;
    for (size_t i = 0; i < vals->n; i++) {
        const tc_param_spec *s = &claim->params[i];
        const char *def = (full && s->full) ? s->full : s->quick;
        char e[300];
        if (!def || hx_param_parse(s, def, &vals->v[i], e, sizeof e)) {
            snprintf(err, errlen, "claim %s: default of parameter %s: %s", claim->id, s->name,
                     def ? e : "missing");
            hx_values_free(vals); /* nothing left to the caller (freeing again is harmless) */
            return -1;
        }
        vals->v[i].source = HX_SRC_DEFAULT;
    }
    return 0;
}

void hx_values_free(hx_values *vals)
{
    for (size_t i = 0; vals->v && i < vals->n; i++)
        free(vals->v[i].text);
    free(vals->v);
    vals->v = NULL;
    vals->n = 0;
}

hx_value *hx_values_find(hx_values *vals, const char *name)
{
    for (size_t i = 0; i < vals->n; i++)
        if (strcmp(vals->v[i].spec->name, name) == 0)
            return &vals->v[i];
    return NULL;
}

int hx_values_set(hx_values *vals, const char *name, const char *text, hx_source source,
                  char *err, size_t errlen)
{
    hx_value *v = hx_values_find(vals, name);
    if (!v) {
        char names[1024] = "";
        for (size_t i = 0; i < vals->n; i++) {
            size_t k = strlen(names);
            snprintf(names + k, sizeof names - k, "%s%s", i ? ", " : "",
                     vals->v[i].spec->name);
        }
        snprintf(err, errlen, "claim %s has no parameter '%s' (parameters: %s)",
                 vals->claim->id, name, vals->n ? names : "none");
        return -1;
    }
    char e[400];
    if (hx_param_parse(v->spec, text, v, e, sizeof e)) {
        snprintf(err, errlen, "%s.%s: %s", vals->claim->id, name, e);
        return -1;
    }
    v->source = source;
    return 0;
}
