/* harness/options.c — parsing the options of `theorycheck run`. Messages name the option, the
 * value and what is allowed; on any error nothing has been written. */
#include "harness/options.h"

#include "harness/cli.h"
#include "reports/figformat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int usage_error(const char *fmt, const char *a, const char *b)
{
    return hx_cli_usage("theorycheck run", fmt, a, b);
}

int hx_format_parse(const char *s, hx_format *out, bool allow_junit)
{
    if (strcmp(s, "table") == 0) *out = HX_FMT_TABLE;
    else if (strcmp(s, "json") == 0) *out = HX_FMT_JSON;
    else if (allow_junit && strcmp(s, "junit") == 0) *out = HX_FMT_JUNIT;
    else return -1;
    return 0;
}

int hx_override_parse(hx_override *ov, const char *text)
{
    const char *dot = strchr(text, '.'), *eq = strchr(text, '=');
    if (!dot || !eq || dot > eq || dot == text || eq == dot + 1)
        return -1;
    ov->claim = strndup(text, (size_t)(dot - text));
    ov->param = strndup(dot + 1, (size_t)(eq - dot - 1));
    ov->value = strndup(eq + 1, strlen(eq + 1));
    return (ov->claim && ov->param && ov->value) ? 0 : -1;
}

static int push_set(hx_run_options *o, const char *text)
{
    hx_override *p = realloc(o->sets, (o->nsets + 1) * sizeof *p);
    if (!p)
        return -1;
    o->sets = p;
    memset(&p[o->nsets], 0, sizeof *p);
    if (hx_override_parse(&p[o->nsets], text))
        return usage_error("--set '%s' is malformed: expected CLAIM.PARAM=VALUE%s", text, "");
    snprintf(p[o->nsets].origin, sizeof p[o->nsets].origin, "--set %s", text);
    o->nsets++;
    return 0;
}

static int push_data(hx_run_options *o, const char *text)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || !eq[1])
        return usage_error("--data '%s' is malformed: expected CLAIM=FILE.csv%s", text, "");
    hx_data_opt *p = realloc(o->data, (o->ndata + 1) * sizeof *p);
    if (!p)
        return -1;
    o->data = p;
    p[o->ndata].claim = strndup(text, (size_t)(eq - text));
    p[o->ndata].path = eq + 1;
    o->ndata++;
    return 0;
}

enum { OPT_PROFILE = 1000, OPT_SEED, OPT_SET, OPT_CONFIG, OPT_DATA, OPT_OUT, OPT_JOBS,
       OPT_FORMAT, OPT_NO_PLOTS, OPT_STRICT, OPT_FIGURE_FORMAT };

static const struct option run_options[] = {
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"set", required_argument, NULL, OPT_SET},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"data", required_argument, NULL, OPT_DATA},
    {"out", required_argument, NULL, OPT_OUT},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"no-plots", no_argument, NULL, OPT_NO_PLOTS},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"figure-format", required_argument, NULL, OPT_FIGURE_FORMAT},
    {NULL, 0, NULL, 0}};

static int apply_option(hx_run_options *o, int opt, const char *v)
{
    switch (opt) {
    case OPT_NO_PLOTS: o->no_plots = true; return 0;
    case OPT_STRICT: o->strict = true; return 0;
    case OPT_PROFILE:
        if (strcmp(v, "quick") && strcmp(v, "full"))
            return usage_error("--profile '%s' is not allowed: must be quick or full%s", v, "");
        o->profile = v;
        return 0;
    case OPT_SEED:
        /* The record stores the seed as a JSON integer (signed 64-bit). */
        if (hx_cli_u64(v, &o->seed) || o->seed > (uint64_t)INT64_MAX)
            return usage_error("--seed '%s' is not allowed: must be an integer in [0, 2^63)%s", v, "");
        return 0;
    case OPT_SET: return push_set(o, v);
    case OPT_CONFIG: o->config = v; return 0;
    case OPT_DATA: return push_data(o, v);
    case OPT_OUT:
        if (!*v)
            return usage_error("--out '%s' is not allowed: must be a directory path%s", v, "");
        o->out = v;
        return 0;
    case OPT_JOBS: {
        uint64_t j;
        if (hx_cli_u64(v, &j) || j < 1 || j > 256)
            return usage_error("--jobs '%s' is not allowed: must be an integer in [1, 256]%s", v, "");
        o->jobs = (int)j;
        return 0;
    }
    case OPT_FIGURE_FORMAT: {
        char err[300];
        if (rep_ff_parse(v, &o->figure_formats, err, sizeof err))
            return usage_error("%s%s", err, "");
        return 0;
    }
    case OPT_FORMAT:
        if (hx_format_parse(v, &o->format, true))
            return usage_error("--format '%s' is not allowed: must be table, json or junit%s", v, "");
        return 0;
    }
    return -1;
}

typedef struct {
    hx_run_options *o;
    const hx_extra_options *extra;
} parse_state;

static int apply_cb(void *user, int opt, const char *arg)
{
    parse_state *p = user;
    if (opt == 1) {
        p->o->claims[p->o->nclaims++] = arg;
        return 0;
    }
    if (opt >= HX_EXTRA_OPTION_BASE)
        return p->extra->fn(p->extra->user, opt, arg);
    return apply_option(p->o, opt, arg);
}

int hx_run_options_parse(hx_run_options *o, int argc, char **argv, int first)
{
    return hx_run_options_parse_ext(o, argc, argv, first, NULL);
}

int hx_run_options_parse_ext(hx_run_options *o, int argc, char **argv, int first,
                             const hx_extra_options *extra)
{
    memset(o, 0, sizeof *o);
    o->profile = "quick";
    o->seed = HX_DEFAULT_SEED;
    o->out = "results/latest";
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = ncpu > 0 ? (int)ncpu : 1;
    o->argc = argc;
    o->argv = argv;
    o->claims = calloc((size_t)argc + 1, sizeof *o->claims);
    if (!o->claims)
        return -1;
    size_t nrun = sizeof run_options / sizeof *run_options - 1, nextra = 0;
    while (extra && extra->opts[nextra].name)
        nextra++;
    struct option *all = calloc(nrun + nextra + 1, sizeof *all);
    if (!all)
        return -1;
    memcpy(all, run_options, nrun * sizeof *all);
    if (nextra)
        memcpy(all + nrun, extra->opts, nextra * sizeof *all);
    hx_cli_text text = {extra ? extra->prog : "theorycheck run", "a value",
                        HX_CLI_HINT};
    parse_state st = {o, extra};
    int rc = hx_cli_parse(argc, argv, first, all, apply_cb, &st, &text);
    free(all);
    return rc;
}

void hx_run_options_free(hx_run_options *o)
{
    for (size_t i = 0; i < o->nsets; i++) {
        free(o->sets[i].claim);
        free(o->sets[i].param);
        free(o->sets[i].value);
    }
    free(o->sets);
    for (size_t i = 0; i < o->ndata; i++)
        free(o->data[i].claim);
    free(o->data);
    free(o->claims);
    memset(o, 0, sizeof *o);
}
