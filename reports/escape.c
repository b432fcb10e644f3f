/* reports/escape.c — escaping of untrusted text (claim statements, labels, reasons, parameter
 * values) for the three languages reports write: HTML, Markdown and gnuplot scripts.
 *
 * Text comes from results.json, which a user may edit before `theorycheck report DIR`, so every
 * string is treated as hostile: it must not inject markup, break a table row, or end a gnuplot
 * string literal and run a command (gnuplot has `system`).
 */
#include <string.h>

#include "reports/report.h"

/* Control characters other than tab are never meaningful in report text. */
static int is_ctrl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

void rep_esc_html(rep_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': rep_buf_puts(b, "&amp;"); break;
        case '<': rep_buf_puts(b, "&lt;"); break;
        case '>': rep_buf_puts(b, "&gt;"); break;
        case '"': rep_buf_puts(b, "&quot;"); break;
        case '\'': rep_buf_puts(b, "&#39;"); break;
        default:
            if (is_ctrl(*p) && *p != '\n')
                rep_buf_putn(b, " ", 1);
            else
                rep_buf_putn(b, (const char *)p, 1);
        }
    }
}

void rep_esc_md(rep_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (strchr("\\`*_[]<>|&", *p)) {
            char e[2] = {'\\', (char)*p};
            rep_buf_putn(b, e, 2);
        } else if (*p == '\r' && p[1] == '\n') {
            continue;
        } else if (is_ctrl(*p)) {
            rep_buf_putn(b, " ", 1);
        } else {
            rep_buf_putn(b, (const char *)p, 1);
        }
    }
}

void rep_esc_md_code(rep_buf *b, const char *s)
{
    rep_buf_putn(b, "`", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '`')
            rep_buf_putn(b, "'", 1);
        else if (*p == '|')
            rep_buf_putn(b, "\\|", 2); /* GFM splits table cells on | even inside code */
        else if (is_ctrl(*p))
            rep_buf_putn(b, " ", 1);
        else
            rep_buf_putn(b, (const char *)p, 1);
    }
    rep_buf_putn(b, "`", 1);
}

void rep_esc_gp(rep_buf *b, const char *s)
{
    /* In a single-quoted gnuplot string no escape is processed except '' for one quote. */
    rep_buf_putn(b, "'", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\'')
            rep_buf_putn(b, "''", 2);
        else if (is_ctrl(*p))
            rep_buf_putn(b, " ", 1);
        else
            rep_buf_putn(b, (const char *)p, 1);
    }
    rep_buf_putn(b, "'", 1);
}
