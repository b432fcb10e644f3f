/* reports/table.c — the verdict table `theorycheck run` prints, from the record alone. */
#include <stdio.h>
#include <string.h>

#include "reports/report.h"

/* Two checked metrics of a claim's record, compactly: chosen by the same rule as the reports'
 * tables (failing first, then the claim's key metrics). */
static void key_metrics(const json_t *claim, char *buf, size_t len)
{
    const json_t *key[2];
    size_t n = rep_key_metrics(claim, key, 2, NULL);
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s=%.3g%s", k ? " " : "",
                 rep_jstr(key[k], "name", "?"), rep_jnum(key[k], "value"),
                 rep_metric_failed(key[k]) ? "(!)" : "");
    }
}

void rep_table_print(FILE *f, const json_t *record)
{
    const json_t *claims = json_object_get(record, "claims");
    fprintf(f, "%-32s %-8s %-7s %8s  %s\n", "claim", "expect", "verdict", "seconds",
            "key metrics");
    for (size_t i = 0; i < json_array_size(claims); i++) {
        const json_t *c = json_array_get(claims, i);
        const char *verdict = rep_jstr(c, "verdict", "error");
        char km[256];
        key_metrics(c, km, sizeof km);
        fprintf(f, "%-32s %-8s %-7s %8.2f  %s\n", rep_jstr(c, "id", "?"),
                rep_jstr(c, "expect", "?"), verdict, rep_jnum(c, "seconds"), km);
        const char *reason = rep_jstr(c, "reason", NULL);
        if (strcmp(verdict, "pass") != 0 && strcmp(verdict, "xfail") != 0 && reason)
            fprintf(f, "%-32s   reason: %s\n", "", reason);
    }
    long counts[6];
    rep_summary_counts(record, counts);
    fprintf(f, "\nsummary:");
    for (int v = 0; v < 6; v++)
        fprintf(f, " %s %ld", rep_verdicts[v], counts[v]);
    fprintf(f, "\n");
}
