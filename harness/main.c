/* harness/main.c — the theorycheck command line (DESIGN.md "Command line", a public contract).
 *
 *   theorycheck list [--format table|json|markdown]
 *   theorycheck show CLAIM [--format table|json]
 *   theorycheck run [CLAIM ...] [options]
 *   theorycheck sweep CLAIM --grid PARAM=VALUES ... [run options]
 *   theorycheck merge DIR... --out DIR [--partial]
 *   theorycheck diff OLD NEW [--format table|json] [--rtol R]
 *   theorycheck report DIR [--no-plots]
 *   theorycheck measure collapse --features F.csv --labels L.csv [--weights W.csv]
 *   theorycheck --help | --version
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <jansson.h>

#include "harness/cli.h"
#include "harness/exitcodes.h"
#include "harness/listing.h"
#include "harness/diff.h"
#include "harness/measure_collapse.h"
#include "harness/merge.h"
#include "harness/options.h"
#include "harness/outdir.h"
#include "harness/plan.h"
#include "harness/records.h"
#include "harness/runner.h"
#include "harness/sweep.h"
#include "common/atomic.h"
#include "reports/docfigures.h"
#include "reports/figformat.h"
#include "reports/report.h"
#include "theorems/registry.h"

static const char usage[] =
    "theorycheck " TC_VERSION " — numerical checks of claims from deep-learning theory\n"
    "\n"
    "usage:\n"
    "  theorycheck list [--format table|json|markdown]\n"
    "  theorycheck show CLAIM [--format table|json]\n"
    "  theorycheck run [CLAIM ...] [--profile quick|full] [--seed N]\n"
    "                  [--set CLAIM.PARAM=VALUE]... [--config FILE.ini]\n"
    "                  [--data CLAIM=FILE.csv] [--out DIR] [--jobs N]\n"
    "                  [--format table|json|junit] [--no-plots] [--strict]\n"
    "                  [--figure-format LIST]\n"
    "  theorycheck sweep CLAIM --grid PARAM=VALUES [--grid ...] [--zip] [--seeds N]\n"
    "                  [--shard K/N] [--force] [--max-cells M] [--refine R] [run options]\n"
    "  theorycheck merge DIR... --out DIR [--partial]\n"
    "  theorycheck diff OLD NEW [--format table|json] [--rtol R]\n"
    "  theorycheck report DIR [--no-plots] [--figure-format LIST] [--doc-figures]\n"
    "  theorycheck measure collapse --features F.csv --labels L.csv [--weights W.csv]\n"
    "  theorycheck --help | --version\n"
    "\n"
    "run options:\n"
    "  --profile quick|full   parameter defaults: quick (CI, seconds) or full (papers); quick\n"
    "  --seed N               run seed; each claim draws from its own stream of (N, claim id);\n"
    "                         default 20180629\n"
    "  --set C.P=V            set parameter P of claim C (overrides --config)\n"
    "  --config FILE.ini      [claim] sections with 'param = value' lines\n"
    "  --data C=FILE.csv      the claim's data: numeric CSV, one row per sample, label last\n"
    "  --out DIR              output directory; default results/latest\n"
    "  --jobs N               claims run concurrently (BLAS uses one thread each); default:\n"
    "                         the number of processors\n"
    "  --format F             stdout: verdict table (default), the JSON record, or JUnit XML\n"
    "  --no-plots             write data and reports but draw no figures\n"
    "  --strict               a skip counts as a failure\n"
    "  --figure-format LIST   figure files: comma list of svg, png, pdf, cairolatex,\n"
    "                         epslatex (LaTeX sets the text), or all; default svg,png\n"
    "\n"
    "sweep options (and the run options above; --out defaults to results/sweep):\n"
    "  --grid P=VALUES        swept values of parameter P: a comma list, LO:HI:COUNT or\n"
    "                         LO:HI:COUNT:log; for a list parameter, lists separated by ';'\n"
    "  --zip                  take the axes in step instead of their Cartesian product\n"
    "  --seeds N              run seeds per cell (the first is --seed); default 1\n"
    "  --shard K/N            only cells with index mod N = K-1 (default: Slurm array vars)\n"
    "  --force                rerun cells already complete in --out\n"
    "  --max-cells M          refuse larger grids; default 10000\n"
    "  --refine R             R passes adding midpoints between neighbouring cells whose\n"
    "                         verdicts differ (numeric axes; not with --zip or --shard)\n"
    "\n"
    "merge: join the --shard directories of one sweep into --out (sweep.json as the unsharded\n"
    "run's; records hard-linked or copied). Shards of different sweeps: exit 2 naming the field;\n"
    "cells missing: exit 2 listing them, nothing written, unless --partial (cells marked\n"
    "\"missing\").\n"
    "diff: two run directories (results.json) or two sweep directories (sweep.json) of one claim:\n"
    "the claims or cells (matched by their parameters) whose verdict changed, and the checked\n"
    "metrics that moved: crossed their threshold, or changed by more than R (default 1e-9)\n"
    "times max(|old|, |new|) and by more than 1e-6 of their threshold. Exit 1 when a verdict\n"
    "changed, else 0; 2 bad input.\n"
    "\n"
    "exit codes: 0 every verdict pass, xfail or skip; 1 any fail, xpass or error (or skip\n"
    "with --strict); 2 usage or bad input (nothing written); 3 internal fault.\n"
    "report: redraw DIR's documents and figures from results.json and data/*.csv (in the\n"
    "--figure-format formats); with --doc-figures only the documents' figures that DIR's\n"
    "claims reproduce (docs/figures.md), as figures/doc/*: exit 1 when one is not drawn.\n"
    "output: DIR/results.json, junit.xml, report.md, report.html, data/*.csv, figures/*.svg|png\n";

static int cmd_usage_error(const char *msg, const char *arg)
{
    hx_cli_usage("theorycheck", msg, arg);
    return HX_EXIT_USAGE;
}

/* --format for list/show: returns 0 or exits through the usage error. */
/* The options of list, show and report: --format, --no-plots and at most one operand. */
typedef struct {
    bool markdown;          /* --format markdown allowed (list) */
    bool plots_option;      /* --no-plots allowed (report) */
    hx_format fmt;
    int no_plots;
    const char **positional; /* NULL: no operand allowed */
    unsigned figure_formats; /* report: --figure-format (0 = default) */
    int doc_figures;         /* report: --doc-figures */
} small_args;

enum { SMALL_FORMAT = 1000, SMALL_NO_PLOTS, SMALL_FIGURE_FORMAT, SMALL_DOC_FIGURES };

static int small_option(void *user, int opt, const char *v)
{
    small_args *a = user;
    if (opt == 1) {
        if (!a->positional || *a->positional)
            return cmd_usage_error("unexpected argument '%s'", v) != 0;
        *a->positional = v;
    } else if (opt == SMALL_NO_PLOTS && a->plots_option) {
        a->no_plots = 1;
    } else if (opt == SMALL_NO_PLOTS) {
        return cmd_usage_error("unexpected argument '%s'", "--no-plots") != 0;
    } else if (opt == SMALL_FIGURE_FORMAT || opt == SMALL_DOC_FIGURES) {
        char err[300];
        if (!a->plots_option)
            return cmd_usage_error("unexpected argument '%s'", opt == SMALL_DOC_FIGURES
                                                                   ? "--doc-figures"
                                                                   : "--figure-format") != 0;
        if (opt == SMALL_DOC_FIGURES)
            a->doc_figures = 1;
        else if (rep_ff_parse(v, &a->figure_formats, err, sizeof err))
            return cmd_usage_error("%s", err) != 0;
    } else if (a->markdown && strcmp(v, "markdown") == 0) {
        a->fmt = HX_FMT_MARKDOWN;
    } else if (hx_format_parse(v, &a->fmt, false)) {
        return cmd_usage_error(a->markdown ? "--format '%s' is not allowed: must be table, json "
                                             "or markdown"
                                           : "--format '%s' is not allowed: must be table or json",
                               v) != 0;
    }
    return 0;
}

static int parse_small(int argc, char **argv, small_args *a)
{
    static const struct option opts[] = {{"format", required_argument, NULL, SMALL_FORMAT},
                                         {"no-plots", no_argument, NULL, SMALL_NO_PLOTS},
                                         {"figure-format", required_argument, NULL,
                                          SMALL_FIGURE_FORMAT},
                                         {"doc-figures", no_argument, NULL, SMALL_DOC_FIGURES},
                                         {NULL, 0, NULL, 0}};
    static const hx_cli_text text = {"theorycheck", "a value", HX_CLI_HINT};
    return hx_cli_parse(argc, argv, 2, opts, small_option, a, &text);
}

/* --format for list/show: returns 0 or exits through the usage error. */
static int parse_list_format(int argc, char **argv, hx_format *fmt, const char **positional)
{
    /* `list` alone also prints markdown: the README's claims block (tests/harness/registry.sh) */
    small_args a = {.markdown = positional == NULL, .positional = positional};
    int rc = parse_small(argc, argv, &a);
    *fmt = a.fmt;
    return rc;
}

static int cmd_list(int argc, char **argv)
{
    hx_format fmt;
    if (parse_list_format(argc, argv, &fmt, NULL))
        return HX_EXIT_USAGE;
    hx_list_print(stdout, fmt);
    return HX_EXIT_OK;
}

static int cmd_show(int argc, char **argv)
{
    hx_format fmt;
    const char *id = NULL;
    if (parse_list_format(argc, argv, &fmt, &id))
        return HX_EXIT_USAGE;
    if (!id)
        return cmd_usage_error("show needs a claim id%s", "");
    const tc_claim *c = tc_registry_find(id);
    if (!c)
        return cmd_usage_error("show: unknown claim '%s' (see 'theorycheck list')", id);
    hx_show_print(stdout, c, fmt);
    return HX_EXIT_OK;
}

static double wall_seconds(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static int exit_code(const hx_plan *plan, bool strict)
{
    for (size_t i = 0; i < plan->n; i++)
        if (hx_verdict_is_failure(plan->jobs[i].verdict, strict))
            return HX_EXIT_FAIL;
    return HX_EXIT_OK;
}

/* What the record writer needs (hx_outdir_publish runs it in a child process). */
typedef struct {
    const hx_run_options *o;
    const hx_plan *plan;
    const json_t *record;
    const char *junit;
} record_job;

/* The whole record into dir (the staging directory): data, results.json, junit.xml, figures,
 * report.md and report.html. */
static int write_record(const char *dir, void *arg, char *err, size_t errlen)
{
    const record_job *r = arg;
    if (hx_records_write(dir, r->plan, r->record, r->junit, err, errlen) != 0 ||
        rep_render_all(dir, r->record, r->o->no_plots, err, errlen) != 0 ||
        rep_ff_fix_record(dir, (json_t *)r->record, err, errlen) != 0)
        return -1;
    return 0;
}

/* Write the records and reports through od (whole or not at all); print the chosen format on
 * stdout, except after an interruption. */
static int publish(const hx_run_options *o, const hx_plan *plan, const hx_run_info *info,
                   hx_outdir *od)
{
    int rc = HX_EXIT_OK;
    json_t *record = hx_record_build(plan, info);
    char *junit = record ? rep_junit_render(record, hx_family_of) : NULL;
    if (!record || !junit) {
        fprintf(stderr, "theorycheck: out of memory building the record\n");
        rc = HX_EXIT_INTERNAL;
    } else {
        record_job job = {o, plan, record, junit};
        rc = hx_outdir_publish(od, write_record, &job);
    }
    if (rc > HX_EXIT_INTERNAL) { /* interrupted: the message is the only output */
    } else if (record && o->format == HX_FMT_JSON) {
        char *s = json_dumps(record, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        if (s)
            printf("%s\n", s);
        free(s);
    } else if (junit && o->format == HX_FMT_JUNIT) {
        fputs(junit, stdout);
    } else if (record) {
        rep_table_print(stdout, record);
        if (rc == HX_EXIT_OK)
            printf("records: %s/results.json, report: %s/report.md\n", o->out, o->out);
    }
    free(junit);
    json_decref(record);
    return rc;
}

static int cmd_run(int argc, char **argv)
{
    hx_run_options o;
    hx_plan plan;
    hx_outdir od;
    int rc;
    if (hx_run_options_parse(&o, argc, argv, 2)) {
        hx_run_options_free(&o);
        return HX_EXIT_USAGE;
    }
    rep_ff_set(o.figure_formats);
    if (hx_plan_build(&plan, &o)) {
        hx_plan_free(&plan);
        hx_run_options_free(&o);
        return HX_EXIT_USAGE;
    }
    /* Everything about --out is bad input too: checked, locked and staged before any work. */
    if (hx_outdir_open(&od, o.out) != 0) {
        hx_outdir_close(&od);
        hx_plan_free(&plan);
        hx_run_options_free(&o);
        return HX_EXIT_USAGE;
    }
    hx_run_info info = {.o = &o};
    time_t now = time(NULL);
    strftime(info.started, sizeof info.started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hx_run_plan(&plan, o.profile, o.seed, o.jobs);
    info.seconds = wall_seconds(&t0);
    rc = publish(&o, &plan, &info, &od);
    hx_outdir_close(&od);
    if (rc <= HX_EXIT_INTERNAL)
        hx_report_unused(&plan);
    if (rc == HX_EXIT_OK)
        rc = exit_code(&plan, o.strict);
    hx_plan_free(&plan);
    hx_run_options_free(&o);
    return rc;
}

/* DIR/junit.xml from the record, atomically. 0, or -1 with a message in err. */
static int write_junit(const char *dir, const json_t *record, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/junit.xml", dir);
    char *junit = rep_junit_render(record, hx_family_of);
    int rc = junit ? cm_write_atomic(path, junit, strlen(junit)) : -1;
    if (rc)
        snprintf(err, errlen, "cannot write %.900s: %s", path,
                 junit ? strerror(errno) : "out of memory");
    free(junit);
    return rc;
}

/* `report DIR` on a sweep directory (sweep.json, no results.json): redraw its documents and
 * verdict map from sweep.json and the cell records. */
static int report_sweep(const char *dir, const char *path, int no_plots)
{
    json_error_t jerr;
    char err[1024];
    json_t *sweep = json_load_file(path, 0, &jerr);
    if (!sweep) {
        fprintf(stderr, "theorycheck: report: %s:%d: %s\n", path, jerr.line, jerr.text);
        return HX_EXIT_USAGE;
    }
    if (!rep_sweep_valid(sweep, err, sizeof err)) {
        fprintf(stderr, "theorycheck: report: %s: %s\n", path, err);
        json_decref(sweep);
        return HX_EXIT_USAGE;
    }
    int rc = rep_sweep_render(dir, sweep, no_plots, err, sizeof err);
    if (rc)
        fprintf(stderr, "theorycheck: report: %s\n", err);
    else
        printf("report: %s/sweep.md, %s/sweep.html\n", dir, dir);
    json_decref(sweep);
    return rc ? HX_EXIT_INTERNAL : HX_EXIT_OK;
}

static int cmd_report(int argc, char **argv)
{
    const char *dir = NULL;
    small_args a = {.plots_option = true, .positional = &dir};
    if (parse_small(argc, argv, &a) || a.fmt != HX_FMT_TABLE)
        return a.fmt != HX_FMT_TABLE ? cmd_usage_error("report takes no --format%s", "")
                                     : HX_EXIT_USAGE;
    int no_plots = a.no_plots;
    rep_ff_set(a.figure_formats);
    if (!dir)
        return cmd_usage_error("report needs a results directory%s", "");
    char path[4096], err[1024];
    snprintf(path, sizeof path, "%s/results.json", dir);
    if (access(path, F_OK) != 0) {
        snprintf(path, sizeof path, "%s/sweep.json", dir);
        if (access(path, F_OK) == 0)
            return report_sweep(dir, path, no_plots);
        snprintf(path, sizeof path, "%s/results.json", dir);
    }
    json_error_t jerr;
    json_t *record = json_load_file(path, 0, &jerr);
    if (!record) {
        fprintf(stderr, "theorycheck: report: %s:%d: %s\n", path, jerr.line, jerr.text);
        return HX_EXIT_USAGE;
    }
    const char *schema = json_string_value(json_object_get(record, "schema"));
    if (!schema || strcmp(schema, "theorycheck/results/v1") != 0 ||
        !json_is_array(json_object_get(record, "claims"))) {
        fprintf(stderr, "theorycheck: report: %s is not a theorycheck/results/v1 record\n",
                path);
        json_decref(record);
        return HX_EXIT_USAGE;
    }
    if (a.doc_figures) { /* only the documents' figures (docs/figures.md): exit 1 when one
                          * whose claim is in the record was not drawn */
        int failed = rep_docfig_render(dir, record, no_plots, hx_family_of, stdout);
        json_decref(record);
        return failed ? HX_EXIT_FAIL : HX_EXIT_OK;
    }
    int rc = write_junit(dir, record, err, sizeof err) ||
             rep_render_all(dir, record, no_plots, err, sizeof err) ||
             rep_ff_fix_record(dir, record, err, sizeof err);
    if (rc)
        fprintf(stderr, "theorycheck: report: %s\n", err);
    else
        printf("report: %s/report.md, %s/report.html, %s/junit.xml\n", dir, dir, dir);
    json_decref(record);
    return rc ? HX_EXIT_INTERNAL : HX_EXIT_OK;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts the process on any error. Kernels check every GSL status
     * and turn failures into NUM_* codes (a claim's `error` verdict), so switch it off once,
     * here, before any thread starts: numerics/ never touches this global. */
    gsl_set_error_handler_off();
    rep_set_family_of(hx_family_of); /* report.html's family filter */
    if (argc < 2) {
        fputs(usage, stderr);
        return HX_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        printf("\n");
        hx_help_params(stdout);
        return HX_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("theorycheck %s (%s)\n", TC_VERSION, TC_GIT);
        return HX_EXIT_OK;
    }
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc, argv);
    if (strcmp(cmd, "show") == 0)
        return cmd_show(argc, argv);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc, argv);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc, argv);
    if (strcmp(cmd, "sweep") == 0)
        return hx_cmd_sweep(argc, argv);
    if (strcmp(cmd, "merge") == 0)
        return hx_cmd_merge(argc, argv);
    if (strcmp(cmd, "diff") == 0)
        return hx_cmd_diff(argc, argv);
    if (strcmp(cmd, "measure") == 0) {
        if (argc < 3 || strcmp(argv[2], "collapse") != 0)
            return cmd_usage_error("measure: unknown measurement '%s' (available: collapse)",
                                   argc < 3 ? "" : argv[2]);
        return hx_measure_collapse(argc - 2, argv + 2);
    }
    return cmd_usage_error("unknown command '%s'", cmd);
}
