/* reports/record.c — tolerant accessors for the parsed results.json.
 *
 * `theorycheck report DIR` may be given a record that a user edited or that an older version
 * wrote, so every member is optional here: a missing or mistyped member renders as empty text
 * rather than crashing. Paths taken from the record are checked before they are opened.
 */
#include <math.h>
#include <string.h>

#include "reports/report.h"

const char *rep_jstr(const json_t *obj, const char *key, const char *dflt)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

double rep_jnum(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

const json_t *rep_jarr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_array(v) ? v : NULL;
}

int rep_path_safe(const char *rel)
{
    if (!rel || !*rel || rel[0] == '/')
        return 0;
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            return 0;
    /* Reject any ".." component. */
    const char *p = rel;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 0;
        p += n;
        while (*p == '/')
            p++;
    }
    return 1;
}

int rep_metric_checked(const json_t *m)
{
    const char *op = rep_jstr(m, "op", "info");
    return strcmp(op, "info") != 0 && json_is_boolean(json_object_get(m, "ok"));
}

int rep_metric_failed(const json_t *m)
{
    return json_is_false(json_object_get(m, "ok")) && strcmp(rep_jstr(m, "op", "info"), "info");
}

const json_t *rep_claim_plots(const json_t *claim)
{
    return rep_jarr(claim, "plots");
}
