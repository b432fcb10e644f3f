/* harness/cli.h — the one command-line parser: getopt_long over argv[first..argc), with the
 * house messages. Every subcommand's options go through it.
 *
 * getopt_long permutes the array it is given, so it gets a copy: argv stays in the user's
 * order (the record keeps it). Operands (claim ids, directories) come back in order as
 * opt == 1. A missing value prints "PROG: option --x needs VALUE_WORD" (e.g. "a value",
 * "a file name"), an unknown option "PROG: unknown option '-x'", both followed by `hint`. */
#ifndef HX_CLI_H
#define HX_CLI_H

#include <stdint.h>

#include <getopt.h>

/* Called for each option (its `val` from the table, its argument or NULL) and each operand
 * (opt == 1). Returns 0 to go on, nonzero to stop (it has printed its own message). */
typedef int (*hx_cli_fn)(void *user, int opt, const char *arg);

typedef struct {
    const char *prog;       /* message prefix: "theorycheck run" */
    const char *value_word; /* "a value" */
    const char *hint;       /* printed after a message, e.g. "(see 'theorycheck --help')\n" */
} hx_cli_text;

#define HX_CLI_HINT "(see 'theorycheck --help')\n"

/* 0 when every option was accepted, -1 after one message on stderr. */
int hx_cli_parse(int argc, char **argv, int first, const struct option *opts, hx_cli_fn fn,
                 void *user, const hx_cli_text *text);

/* The house usage message: "PROG: <fmt, ...>" and HX_CLI_HINT on stderr. Returns -1. */
int hx_cli_usage(const char *prog, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* An unsigned decimal with nothing around it: no sign, no blank (strtoull would read " -1" as
 * 2^64 - 1), no trailing text, no overflow. 0 or -1. */
int hx_cli_u64(const char *s, uint64_t *out);

#endif /* HX_CLI_H */
