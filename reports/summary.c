/* reports/summary.c — verdict counts, shared by report.md and report.html. */
#include <string.h>

#include "reports/report.h"

const char *const rep_verdicts[6] = {"pass", "fail", "xfail", "xpass", "skip", "error"};

void rep_summary_counts(const json_t *results, long counts[6])
{
    const json_t *summary = json_object_get(results, "summary");
    for (int i = 0; i < 6; i++)
        counts[i] = 0;
    if (json_is_object(summary)) {
        for (int i = 0; i < 6; i++) {
            const json_t *c = json_object_get(summary, rep_verdicts[i]);
            counts[i] = json_is_integer(c) ? (long)json_integer_value(c) : 0;
        }
        return;
    }
    const json_t *claims = rep_jarr(results, "claims");
    for (size_t k = 0; k < json_array_size(claims); k++) {
        const char *v = rep_jstr(json_array_get(claims, k), "verdict", "");
        for (int i = 0; i < 6; i++)
            if (strcmp(v, rep_verdicts[i]) == 0)
                counts[i]++;
    }
}
