/* harness/listing.c — printing claim descriptors (see listing.h). */
#include "harness/listing.h"

#include <stdlib.h>

#include <jansson.h>

#include "harness/params.h"
#include "harness/verdict.h"
#include "theorems/registry.h"

static const char *type_name(tc_param_type t)
{
    static const char *names[] = {"int", "real", "bool", "choice", "list"};
    return names[t];
}

static json_t *claim_json(const tc_claim *c, int with_params)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", c->id, "family",
                          c->family, "title", c->title, "source", c->source, "statement",
                          c->statement, "hypotheses", c->hypotheses ? c->hypotheses : "",
                          "expect", hx_expect_name(c->expect));
    if (c->expect == TC_EXPECT_REFUTED && c->refuted_reason)
        json_object_set_new(o, "refuted_reason", json_string(c->refuted_reason));
    if (!with_params)
        return o;
    json_t *ps = json_array();
    for (size_t i = 0; i < hx_claim_nparams(c); i++) {
        const tc_param_spec *p = &c->params[i];
        char allowed[256];
        hx_param_allowed(p, allowed, sizeof allowed);
        json_array_append_new(ps, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", p->name,
                                            "type", type_name(p->type), "quick", p->quick,
                                            "full", p->full ? p->full : p->quick, "allowed",
                                            allowed, "help", p->help ? p->help : ""));
    }
    json_object_set_new(o, "params", ps);
    static const char *kinds[] = {"none", "binary labels", "class labels", "targets",
                                  "features"};
    json_object_set_new(o, "data", json_string(kinds[c->data]));
    return o;
}

static void dump(FILE *f, json_t *o)
{
    char *s = json_dumps(o, JSON_INDENT(2));
    if (s)
        fprintf(f, "%s\n", s);
    free(s);
    json_decref(o);
}

/* Print `s` in a column of `width` characters (UTF-8 aware: a multi-byte character such as
 * '§' is never cut in half and counts as one column). */
static void print_col(FILE *f, const char *s, int width)
{
    int cols = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && cols < width) {
        int len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        fwrite(p, 1, (size_t)len, f);
        p += len;
        cols++;
    }
    for (; cols < width; cols++)
        fputc(' ', f);
}

/* A table cell: '|' would end the cell, so it is escaped (GitHub-flavoured markdown). */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

/* One block per family: its title and document, then a table of its claims. This is the
 * README's claims block, so the README cannot drift from the catalogue. */
static void list_markdown(FILE *f)
{
    for (size_t i = 0; i < tc_registry_nfamilies(); i++) {
        const tc_family *fam = tc_registry_family(i);
        fprintf(f, "%s**%s** — [%s](%s)\n\n", i ? "\n" : "", fam->title, fam->doc, fam->doc);
        fprintf(f, "| claim | expect | source | what |\n|---|---|---|---|\n");
        for (const tc_claim *const *c = fam->claims; *c; c++) {
            fprintf(f, "| `%s` | %s | ", (*c)->id, hx_expect_name((*c)->expect));
            md_cell(f, (*c)->source);
            fputs(" | ", f);
            md_cell(f, (*c)->title);
            fputs(" |\n", f);
        }
    }
}

void hx_list_print(FILE *f, hx_format fmt)
{
    size_t n = tc_registry_count();
    if (fmt == HX_FMT_MARKDOWN) {
        list_markdown(f);
        return;
    }
    if (fmt == HX_FMT_JSON) {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(a, claim_json(tc_registry_at(i), 0));
        dump(f, a);
        return;
    }
    fprintf(f, "%-32s %-8s %-28s %s\n", "claim", "expect", "source", "title");
    for (size_t i = 0; i < n; i++) {
        const tc_claim *c = tc_registry_at(i);
        fprintf(f, "%-32s %-8s ", c->id, hx_expect_name(c->expect));
        print_col(f, c->source, 28);
        fprintf(f, " %s\n", c->title);
    }
}

void hx_show_print(FILE *f, const tc_claim *c, hx_format fmt)
{
    if (fmt == HX_FMT_JSON) {
        dump(f, claim_json(c, 1));
        return;
    }
    fprintf(f, "%s — %s\n\nsource:     %s\nstatement:  %s\nhypotheses: %s\nexpect:     %s\n",
            c->id, c->title, c->source, c->statement, c->hypotheses ? c->hypotheses : "",
            hx_expect_name(c->expect));
    if (c->expect == TC_EXPECT_REFUTED && c->refuted_reason)
        fprintf(f, "refuted:    %s\n", c->refuted_reason);
    if (c->data != TC_DATA_NONE)
        fprintf(f, "data:       --data %s=FILE.csv (one row per sample, label/target last)\n",
                c->id);
    fprintf(f, "\nparameters (set with --set %s.NAME=VALUE or [%s] in --config):\n", c->id, c->id);
    for (size_t i = 0; i < hx_claim_nparams(c); i++) {
        const tc_param_spec *p = &c->params[i];
        char allowed[256];
        hx_param_allowed(p, allowed, sizeof allowed);
        fprintf(f, "  %-18s %-6s quick=%s full=%s\n  %-18s        %s; %s\n", p->name,
                type_name(p->type), p->quick, p->full ? p->full : p->quick, "",
                p->help ? p->help : "", allowed);
    }
}

void hx_help_params(FILE *f)
{
    fprintf(f, "Claims and their parameters (quick-profile defaults; 'show CLAIM' for more):\n");
    for (size_t i = 0; i < tc_registry_count(); i++) {
        const tc_claim *c = tc_registry_at(i);
        fprintf(f, "  %s:", c->id);
        for (size_t k = 0; k < hx_claim_nparams(c); k++)
            fprintf(f, " %s=%s", c->params[k].name, c->params[k].quick);
        fprintf(f, "\n");
    }
}
