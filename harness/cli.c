/* harness/cli.c — see cli.h. */
#include "harness/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The option getopt_long could not use, named as the user wrote it. */
static int cli_error(int c, char **args, int failed_at, const hx_cli_text *t)
{
    const char *a = args[failed_at];
    if (c == ':')
        fprintf(stderr, "%s: option %.*s needs %s\n%s", t->prog, (int)strcspn(a, "="), a,
                t->value_word, t->hint);
    else
        fprintf(stderr, "%s: unknown option '%s'\n%s", t->prog, a, t->hint);
    return -1;
}

int hx_cli_parse(int argc, char **argv, int first, const struct option *opts, hx_cli_fn fn,
                 void *user, const hx_cli_text *text)
{
    /* args[0] stands for the program name, which getopt skips. "-" first in the option
     * string returns operands in order as option 1; ":" reports a missing value as ':'
     * instead of printing getopt's own message. */
    int nargs = argc - first + 1;
    char **args = calloc((size_t)nargs + 1, sizeof *args);
    if (!args) {
        fprintf(stderr, "%s: out of memory\n", text->prog);
        return -1;
    }
    for (int i = 0; i < nargs; i++)
        args[i] = argv[first - 1 + i];
    opterr = 0;
    optind = 0; /* 0: glibc reinitialises its state (another subcommand may have parsed) */
    int c, rc = 0, prev;
    while (rc == 0) {
        prev = optind ? optind : 1;
        if ((c = getopt_long(nargs, args, "-:", opts, NULL)) == -1)
            break;
        if (c == '?' || c == ':')
            rc = cli_error(c, args, prev < nargs ? prev : nargs - 1, text);
        else
            rc = fn(user, c, optarg) ? -1 : 0;
    }
    free(args);
    return rc;
}

int hx_cli_usage(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputs("\n" HX_CLI_HINT, stderr);
    va_end(ap);
    return -1;
}

int hx_cli_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno)
        return -1;
    *out = (uint64_t)v;
    return 0;
}
