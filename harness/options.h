/* harness/options.h — the options of `theorycheck run` (DESIGN.md "Command line"). */
#ifndef HX_OPTIONS_H
#define HX_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <getopt.h>

/* stdout formats: run takes table|json|junit, list table|json|markdown, show table|json. */
typedef enum { HX_FMT_TABLE = 0, HX_FMT_JSON, HX_FMT_JUNIT, HX_FMT_MARKDOWN } hx_format;

typedef struct {
    char *claim, *param, *value; /* parsed from CLAIM.PARAM=VALUE */
    char origin[320];            /* "--set" or "FILE:LINE", for messages */
    int from_config;
    bool used;                   /* applied to a claim that runs */
} hx_override;

typedef struct {
    char *claim;
    const char *path;
} hx_data_opt;

typedef struct {
    const char **claims;  /* positional claim ids (NULL-terminated); empty = all */
    size_t nclaims;
    const char *profile;  /* "quick" (default) or "full" */
    uint64_t seed;        /* default HX_DEFAULT_SEED */
    const char *config;   /* --config FILE.ini or NULL */
    const char *out;      /* default "results/latest" */
    int jobs;             /* default: online processors */
    hx_format format;
    bool no_plots, strict;
    unsigned figure_formats; /* --figure-format (reports/figformat.h); 0 = default svg,png */
    hx_override *sets;    /* --set (command line) then config entries */
    size_t nsets;
    hx_data_opt *data;
    size_t ndata;
    int argc;             /* for the record */
    char **argv;
} hx_run_options;

#define HX_DEFAULT_SEED 20180629u /* the date of CBMM Memo 90 (seed 003), fixed forever */

/* Parse `run` options from argv[first..argc). Returns 0, or -1 after printing one message to
 * stderr (usage error: the caller exits 2). */
int hx_run_options_parse(hx_run_options *o, int argc, char **argv, int first);

/* Options a subcommand adds to the run options (sweep): their `val`s start at
 * HX_EXTRA_OPTION_BASE and go to fn(user, val, arg), which returns 0 or -1 after one message;
 * `prog` prefixes the parser's own messages. */
#define HX_EXTRA_OPTION_BASE 2000
typedef struct {
    const struct option *opts; /* NULL-terminated, as for getopt_long */
    int (*fn)(void *user, int opt, const char *arg);
    void *user;
    const char *prog;
} hx_extra_options;

int hx_run_options_parse_ext(hx_run_options *o, int argc, char **argv, int first,
                             const hx_extra_options *extra);
void hx_run_options_free(hx_run_options *o);

/* Parse "a.b=c" into an override; -1 on malformed input. */
int hx_override_parse(hx_override *ov, const char *text);

/* Parse a --format value; -1 if not one of the allowed words. */
int hx_format_parse(const char *s, hx_format *out, bool allow_junit);

#endif /* HX_OPTIONS_H */
