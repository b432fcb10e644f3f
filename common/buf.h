/* common/buf.h — a growable NUL-terminated text buffer: reports, scripts, CSV and XML are
 * built in memory and written once (atomically). Shared by harness/ and reports/. */
#ifndef CM_BUF_H
#define CM_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *s;    /* NUL-terminated text, NULL until the first append */
    size_t len; /* bytes, excluding the NUL */
    size_t cap; /* allocated bytes */
    int oom;    /* 1 once an allocation failed: later appends are ignored */
} cm_buf;

void cm_buf_free(cm_buf *b);
void cm_buf_putn(cm_buf *b, const char *s, size_t n);
void cm_buf_puts(cm_buf *b, const char *s);
void cm_buf_printf(cm_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void cm_buf_vprintf(cm_buf *b, const char *fmt, va_list ap);
/* The text so far ("" if empty); valid until the next append. */
const char *cm_buf_str(const cm_buf *b);

#endif /* CM_BUF_H */
