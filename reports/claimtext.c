/* reports/claimtext.c — pieces of a claim that both documents show the same way: parameter
 * values as text, the key (checked) metrics of the verdict table, link targets, run line.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

void rep_fmt_param(cm_buf *b, const json_t *v)
{
    if (json_is_string(v)) {
        cm_buf_puts(b, json_string_value(v));
    } else if (json_is_integer(v)) {
        cm_buf_printf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        rep_fmt_exact(b, json_real_value(v));
    } else if (json_is_boolean(v)) {
        cm_buf_puts(b, json_is_true(v) ? "true" : "false");
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                cm_buf_puts(b, ",");
            rep_fmt_param(b, json_array_get(v, i));
        }
    } else if (json_is_null(v) || !v) {
        cm_buf_puts(b, "null");
    } else {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        cm_buf_puts(b, s ? s : "?");
        free(s);
    }
}

/* Is `name` in the array of strings `keys` (NULL: no)? */
static int is_key(const json_t *keys, const char *name)
{
    for (size_t i = 0; i < json_array_size(keys); i++)
        if (strcmp(json_string_value(json_array_get(keys, i)) ? json_string_value(json_array_get(keys, i)) : "", name) == 0)
            return 1;
    return 0;
}

size_t rep_key_metrics(const json_t *claim, const json_t **out, size_t max, size_t *nchecked)
{
    const json_t *metrics = rep_jarr(claim, "metrics"), *keys = rep_jarr(claim, "key_metrics");
    size_t n = 0, checked = 0;
    /* Failing metrics first (they explain the verdict), then the claim's declared key metrics
     * (the "key_metrics" extension of the record), then the others in record order. */
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < json_array_size(metrics); i++) {
            const json_t *m = json_array_get(metrics, i);
            if (!rep_metric_checked(m) || rep_metric_failed(m) != (pass == 0))
                continue;
            if (pass > 0 && (pass == 1) != is_key(keys, rep_jstr(m, "name", "")))
                continue;
            checked++;
            if (n < max)
                out[n++] = m;
        }
    }
    if (nchecked)
        *nchecked = checked;
    return n;
}

void rep_url(cm_buf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            cm_buf_putn(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            cm_buf_putn(b, e, 3);
        }
    }
}

void rep_fmt_seconds(cm_buf *b, double s)
{
    if (isfinite(s))
        cm_buf_printf(b, "%.2f", s);
}

void rep_run_line(cm_buf *b, const json_t *run)
{
    cm_buf_printf(b, "theorycheck %s", rep_jstr(run, "version", "?"));
    const char *git = rep_jstr(run, "git", NULL);
    if (git && *git)
        cm_buf_printf(b, " (git %s)", git);
    cm_buf_printf(b, " · profile %s", rep_jstr(run, "profile", "?"));
    const json_t *seed = json_object_get(run, "seed");
    if (json_is_integer(seed))
        cm_buf_printf(b, " · seed %lld", (long long)json_integer_value(seed));
    const char *started = rep_jstr(run, "started", NULL);
    if (started && *started)
        cm_buf_printf(b, " · started %s", started);
    double s = rep_jnum(run, "seconds");
    if (isfinite(s))
        cm_buf_printf(b, " · %.2f s total", s);
}

void rep_env_line(cm_buf *b, const json_t *run)
{
    static const char *const keys[][2] = {{"blas", "BLAS"}, {"gsl", "GSL"}, {"host", "host"}};
    int first = 1;
    for (size_t i = 0; i < 3; i++) {
        const char *v = rep_jstr(run, keys[i][0], NULL);
        if (!v || !*v)
            continue;
        cm_buf_printf(b, "%s%s %s", first ? "" : " · ", keys[i][1], v);
        first = 0;
    }
}

void rep_argv_line(cm_buf *b, const json_t *run)
{
    const json_t *argv = rep_jarr(run, "argv");
    for (size_t i = 0; i < json_array_size(argv); i++) {
        const char *a = json_string_value(json_array_get(argv, i));
        if (!a)
            continue;
        if (i)
            cm_buf_puts(b, " ");
        /* Quote arguments a shell would split, so the line can be pasted back. */
        if (*a && strcspn(a, " \t\n'\"\\$`*?[]{}()<>|&;#~") == strlen(a)) {
            cm_buf_puts(b, a);
        } else {
            cm_buf_puts(b, "'");
            for (const char *p = a; *p; p++)
                cm_buf_puts(b, *p == '\'' ? "'\\''" : (char[2]){*p, 0});
            cm_buf_puts(b, "'");
        }
    }
}
