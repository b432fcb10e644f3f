/* harness/config.c — INI configuration files (parsed with inih): sections name claims, keys
 * name parameters. Errors name the file and the line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "harness/plan.h"
#include "theorems/registry.h"

typedef struct {
    hx_run_options *o;
    const char *path;
    char err[512];
} cfg_state;

/* inih calls this for every name = value; returning 0 stops with that line as the error.
 * (With INI_HANDLER_LINENO unset, the line is reported by ini_parse's return value.) */
static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    cfg_state *st = user;
    if (!section[0]) {
        snprintf(st->err, sizeof st->err, "'%s' is outside any [claim] section", name);
        return 0;
    }
    const tc_claim *claim = tc_registry_find(section);
    if (!claim) {
        snprintf(st->err, sizeof st->err, "unknown claim [%s] (see 'theorycheck list')",
                 section);
        return 0;
    }
    /* Validate here, where inih still knows the line: an unknown parameter or a bad value
     * is reported as FILE:LINE. */
    hx_values tmp;
    char e[480];
    int bad = hx_values_init(&tmp, claim, "quick", e, sizeof e) ||
              hx_values_set(&tmp, name, value, HX_SRC_CONFIG, e, sizeof e);
    hx_values_free(&tmp);
    if (bad) {
        snprintf(st->err, sizeof st->err, "%s", e);
        return 0;
    }
    hx_run_options *o = st->o;
    hx_override *p = realloc(o->sets, (o->nsets + 1) * sizeof *p);
    if (!p) {
        snprintf(st->err, sizeof st->err, "out of memory");
        return 0;
    }
    o->sets = p;
    hx_override *ov = &p[o->nsets];
    memset(ov, 0, sizeof *ov);
    ov->claim = strdup(section);
    ov->param = strdup(name);
    ov->value = strdup(value);
    ov->from_config = 1;
    o->nsets++;
    if (!ov->claim || !ov->param || !ov->value) {
        snprintf(st->err, sizeof st->err, "out of memory");
        return 0;
    }
    return 1;
}

int hx_config_read(hx_run_options *o, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "theorycheck: --config %s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    cfg_state st = {.o = o, .path = path};
    size_t before = o->nsets;
    int line = ini_parse_file(f, on_entry, &st);
    fclose(f);
    if (line != 0) {
        fprintf(stderr, "theorycheck: %s:%d: %s\n", path, line,
                st.err[0] ? st.err : "syntax error (expected [claim] or name = value)");
        return -1;
    }
    /* inih does not give the line of each entry; name the file and the entry instead. */
    for (size_t i = before; i < o->nsets; i++)
        snprintf(o->sets[i].origin, sizeof o->sets[i].origin, "%s: [%s] %s = %s", path,
                 o->sets[i].claim, o->sets[i].param, o->sets[i].value);
    return 0;
}
