/* harness/config.c — INI configuration files (parsed with inih): sections name claims, keys
 * name parameters. Errors name the file and the line; the first error is the one reported.
 *
 * inih reads into a fixed line buffer (INI_MAX_LINE, 200 bytes in Debian's build) and splits a
 * longer line into pieces, each parsed as a line of its own: the tail of a long comment became a
 * setting. So the file is fed to inih line by line through ini_parse_stream, and a line that does
 * not fit is never handed to it: a long comment becomes an empty comment, a long `name = value`
 * line is parsed here (the same rules as inih: the first '=' or ':' splits, blanks around name
 * and value are dropped, " ;" starts an inline comment) and inih is fed an empty line in its
 * place, so that its line count stays the file's. A long line of any other kind is rejected with
 * its line number. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "harness/plan.h"
#include "theorems/registry.h"

typedef struct {
    hx_run_options *o;
    const char *path;
    int line;       /* the line inih (or the long-line path) is at */
    int err_line;   /* the line of the first error found here, 0 if none */
    char err[512];
} cfg_state;

/* The reader inih pulls lines from. */
typedef struct {
    FILE *f;
    cfg_state *st;
    char *buf;      /* getline's */
    size_t cap;
    char section[256];
} cfg_reader;

static void cfg_error(cfg_state *st, const char *msg)
{
    if (!st->err_line) { /* keep the first */
        st->err_line = st->line;
        snprintf(st->err, sizeof st->err, "%s", msg);
    }
}

/* inih calls this for every name = value; returning 0 stops with that line as the error.
 * (With INI_HANDLER_LINENO unset, the line is reported by ini_parse's return value.) */
static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    cfg_state *st = user;
    char msg[sizeof st->err];
    if (!section[0]) {
        snprintf(msg, sizeof msg, "'%.200s' is outside any [claim] section", name);
        cfg_error(st, msg);
        return 0;
    }
    const tc_claim *claim = tc_registry_find(section);
    if (!claim) {
        snprintf(msg, sizeof msg, "unknown claim [%.200s] (see 'theorycheck list')", section);
        cfg_error(st, msg);
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
        cfg_error(st, e);
        return 0;
    }
    hx_run_options *o = st->o;
    hx_override *p = realloc(o->sets, (o->nsets + 1) * sizeof *p);
    if (!p) {
        cfg_error(st, "out of memory");
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
        cfg_error(st, "out of memory");
        return 0;
    }
    return 1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && strchr(" \t\r\n", e[-1]))
        *--e = '\0';
    return s;
}

/* A line too long for inih's buffer: a comment is dropped, `name = value` is handed to the
 * entry handler here, anything else is an error. Returns 0 or -1 (error recorded). */
static int long_line(cfg_reader *r, char *line)
{
    char *s = trim(line);
    if (!*s || *s == ';' || *s == '#')
        return 0;
    char *eq = strpbrk(s, "=:");
    if (line[0] == ' ' || line[0] == '\t' || *s == '[' || !eq) {
        char msg[160];
        snprintf(msg, sizeof msg, "line longer than %d characters that is neither a comment nor "
                 "name = value", INI_MAX_LINE - 2);
        cfg_error(r->st, msg);
        return -1;
    }
    *eq = '\0';
    char *value = eq + 1;
    for (char *c = value; *c; c++) /* inline comment: ';' after a blank, as inih reads it */
        if (*c == ';' && (c == value || c[-1] == ' ' || c[-1] == '\t')) {
            *c = '\0';
            break;
        }
    return on_entry(r->st, r->section, trim(s), trim(value)) ? 0 : -1;
}

/* Remember the section a `[name]` line opens (for long lines, parsed here). */
static void track_section(cfg_reader *r, const char *line)
{
    const char *s = line;
    if (r->st->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* a UTF-8 BOM, which inih skips too */
    while (*s == ' ' || *s == '\t')
        s++;
    const char *end = *s == '[' ? strchr(s, ']') : NULL;
    if (end)
        snprintf(r->section, sizeof r->section, "%.*s", (int)(end - s - 1), s + 1);
}

/* ini_reader: one line of the file per call, never split. NULL ends the parse (end of file,
 * a read error or an error already found: the first error is the one reported). */
static char *read_line(char *str, int num, void *stream)
{
    cfg_reader *r = stream;
    if (r->st->err_line)
        return NULL;
    ssize_t n = getline(&r->buf, &r->cap, r->f);
    if (n < 0)
        return NULL;
    r->st->line++;
    if ((size_t)n != strlen(r->buf)) {
        cfg_error(r->st, "the line holds a NUL byte (not a text file?)");
        return NULL;
    }
    track_section(r, r->buf);
    if (n < num) {
        memcpy(str, r->buf, (size_t)n + 1);
        return str;
    }
    if (long_line(r, r->buf) != 0)
        return NULL;
    snprintf(str, (size_t)num, "\n");
    return str;
}

int hx_config_read(hx_run_options *o, const char *path)
{
    FILE *f = fopen(path, "r");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "theorycheck: --config %s: cannot open: %s\n", path,
                f ? "not a regular file" : strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    cfg_state st = {.o = o, .path = path};
    cfg_reader r = {.f = f, .st = &st};
    size_t before = o->nsets;
    int line = ini_parse_stream(read_line, &r, on_entry, &st);
    int read_error = ferror(f);
    free(r.buf);
    fclose(f);
    if (st.err_line && (line <= 0 || st.err_line <= line)) {
        fprintf(stderr, "theorycheck: %s:%d: %s\n", path, st.err_line, st.err);
        return -1;
    }
    if (line != 0 || read_error) {
        if (read_error)
            fprintf(stderr, "theorycheck: --config %s: read error\n", path);
        else
            fprintf(stderr, "theorycheck: %s:%d: syntax error (expected [claim] or name = value)\n",
                    path, line);
        return -1;
    }
    /* inih does not give the line of each entry; name the file and the entry instead. */
    for (size_t i = before; i < o->nsets; i++)
        snprintf(o->sets[i].origin, sizeof o->sets[i].origin, "%s: [%s] %s = %s", path,
                 o->sets[i].claim, o->sets[i].param, o->sets[i].value);
    return 0;
}
