/* reports/junit.c — junit.xml from a results.json record (so `report DIR` rebuilds it too).
 *
 * One <testsuite> per run, one <testcase> per claim, classname "theorycheck.<family>". The
 * record does not name families, so the caller supplies the lookup (the harness asks its
 * registry; an unknown id gets the bare classname "theorycheck"). Verdicts map to JUnit as CI
 * systems expect: fail and xpass are <failure>, error is <error>, skip is <skipped>; pass and
 * xfail are plain test cases.
 */
#include <string.h>

#include "reports/report.h"

/* The JUnit element of a verdict, or NULL for a plain (passing) test case. */
static const char *junit_tag(const char *verdict)
{
    if (strcmp(verdict, "skip") == 0)
        return "skipped";
    if (strcmp(verdict, "error") == 0)
        return "error";
    if (strcmp(verdict, "fail") == 0 || strcmp(verdict, "xpass") == 0)
        return "failure";
    return NULL;
}

static void junit_case(cm_buf *b, const json_t *c, rep_family_fn family_of)
{
    const char *id = rep_jstr(c, "id", "?"), *verdict = rep_jstr(c, "verdict", "error");
    const char *family = family_of ? family_of(id) : NULL;
    cm_buf_puts(b, "    <testcase classname=\"theorycheck");
    if (family) {
        cm_buf_puts(b, ".");
        cm_esc_xml(b, family);
    }
    cm_buf_puts(b, "\" name=\"");
    cm_esc_xml(b, id);
    cm_buf_printf(b, "\" time=\"%.3f\">", rep_jnum(c, "seconds"));
    const char *tag = junit_tag(verdict);
    if (tag) {
        cm_buf_printf(b, "\n      <%s message=\"%s: ", tag, verdict);
        cm_esc_xml(b, rep_jstr(c, "reason", ""));
        cm_buf_puts(b, "\"/>\n    ");
    }
    cm_buf_puts(b, "</testcase>\n");
}

char *rep_junit_render(const json_t *record, rep_family_fn family_of)
{
    const json_t *claims = json_object_get(record, "claims"), *run = json_object_get(record, "run");
    size_t n = json_array_size(claims);
    long failures = 0, errors = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        const char *tag = junit_tag(rep_jstr(json_array_get(claims, i), "verdict", "error"));
        failures += tag && strcmp(tag, "failure") == 0;
        errors += tag && strcmp(tag, "error") == 0;
        skipped += tag && strcmp(tag, "skipped") == 0;
    }
    double seconds = rep_jnum(run, "seconds");
    cm_buf b = {0};
    cm_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites name=\"theorycheck\" tests=\"%zu\" failures=\"%ld\" "
                       "errors=\"%ld\" skipped=\"%ld\" time=\"%.3f\">\n",
                   n, failures, errors, skipped, seconds);
    cm_buf_puts(&b, "  <testsuite name=\"theorycheck.");
    cm_esc_xml(&b, rep_jstr(run, "profile", "quick"));
    cm_buf_printf(&b, "\" tests=\"%zu\" failures=\"%ld\" errors=\"%ld\" skipped=\"%ld\" "
                       "time=\"%.3f\" timestamp=\"",
                   n, failures, errors, skipped, seconds);
    cm_esc_xml(&b, rep_jstr(run, "started", ""));
    cm_buf_puts(&b, "\">\n");
    for (size_t i = 0; i < n; i++)
        junit_case(&b, json_array_get(claims, i), family_of);
    cm_buf_puts(&b, "  </testsuite>\n</testsuites>\n");
    if (b.oom) {
        cm_buf_free(&b);
        return NULL;
    }
    return b.s;
}
