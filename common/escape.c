/* common/escape.c — escaping of untrusted text (claim statements, labels, reasons, parameter
 * values) for the three languages reports write: HTML, Markdown and gnuplot scripts.
 *
 * Text comes from results.json, which a user may edit before `theorycheck report DIR`, so every
 * string is treated as hostile: it must not inject markup, break a table row, or end a gnuplot
 * string literal and run a command (gnuplot has `system`).
 */
#include <string.h>

#include "common/escape.h"

/* Control characters other than tab are never meaningful in report text. */
static int is_ctrl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

void cm_esc_html(cm_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': cm_buf_puts(b, "&amp;"); break;
        case '<': cm_buf_puts(b, "&lt;"); break;
        case '>': cm_buf_puts(b, "&gt;"); break;
        case '"': cm_buf_puts(b, "&quot;"); break;
        case '\'': cm_buf_puts(b, "&#39;"); break;
        default:
            if (is_ctrl(*p) && *p != '\n')
                cm_buf_putn(b, " ", 1);
            else
                cm_buf_putn(b, (const char *)p, 1);
        }
    }
}

void cm_esc_md(cm_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (strchr("\\`*_[]<>|&", *p)) {
            char e[2] = {'\\', (char)*p};
            cm_buf_putn(b, e, 2);
        } else if (*p == '\r' && p[1] == '\n') {
            continue;
        } else if (is_ctrl(*p)) {
            cm_buf_putn(b, " ", 1);
        } else {
            cm_buf_putn(b, (const char *)p, 1);
        }
    }
}

void cm_esc_md_code(cm_buf *b, const char *s)
{
    cm_buf_putn(b, "`", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '`')
            cm_buf_putn(b, "'", 1);
        else if (*p == '|')
            cm_buf_putn(b, "\\|", 2); /* GFM splits table cells on | even inside code */
        else if (is_ctrl(*p))
            cm_buf_putn(b, " ", 1);
        else
            cm_buf_putn(b, (const char *)p, 1);
    }
    cm_buf_putn(b, "`", 1);
}

void cm_esc_gp(cm_buf *b, const char *s)
{
    /* In a single-quoted gnuplot string no escape is processed except '' for one quote. */
    cm_buf_putn(b, "'", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\'')
            cm_buf_putn(b, "''", 2);
        else if (is_ctrl(*p))
            cm_buf_putn(b, " ", 1);
        else
            cm_buf_putn(b, (const char *)p, 1);
    }
    cm_buf_putn(b, "'", 1);
}

void cm_esc_xml(cm_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': cm_buf_puts(b, "&amp;"); break;
        case '<': cm_buf_puts(b, "&lt;"); break;
        case '>': cm_buf_puts(b, "&gt;"); break;
        case '"': cm_buf_puts(b, "&quot;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                cm_buf_puts(b, " ");
            else
                cm_buf_putn(b, s, 1);
        }
    }
}
