/* common/escape.h — escaping of untrusted text (claim statements, labels, reasons, parameter
 * values, paths) for each output language. */
#ifndef CM_ESCAPE_H
#define CM_ESCAPE_H

#include "common/buf.h"

/* HTML text and attribute values: & < > " ' escaped; control characters become spaces. */
void cm_esc_html(cm_buf *b, const char *s);
/* Markdown inline text (paragraphs and table cells): backslash-escapes \ ` * _ [ ] < > | & and
 * turns newlines into spaces, so the text can neither format itself nor break a table row. */
void cm_esc_md(cm_buf *b, const char *s);
/* Markdown code span `s` (a backtick inside becomes '), safe in a table cell. */
void cm_esc_md_code(cm_buf *b, const char *s);
/* gnuplot single-quoted string literal, quotes included: ' doubled, newlines and control
 * characters become spaces. Used with `noenhanced`, so _ ^ @ & { } are printed literally. */
void cm_esc_gp(cm_buf *b, const char *s);
/* XML attribute text (junit.xml): & < > " escaped; control characters other than tab and
 * newline (which XML 1.0 forbids) become spaces. */
void cm_esc_xml(cm_buf *b, const char *s);

#endif /* CM_ESCAPE_H */
