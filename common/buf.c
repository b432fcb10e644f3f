/* common/buf.c — growable NUL-terminated text buffer used to build reports and scripts.
 *
 * Documents are a few hundred kilobytes at most (inline SVGs dominate), so a doubling buffer
 * is plenty. An allocation failure sets `oom` and later appends are ignored; the caller checks
 * `oom` once when the document is complete instead of after every append.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

void cm_buf_free(cm_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

/* Make room for `extra` more bytes plus the NUL. 0 or -1 (and oom set). */
static int reserve(cm_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (extra > (size_t)-1 / 2 - b->len) {
        b->oom = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

void cm_buf_putn(cm_buf *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void cm_buf_puts(cm_buf *b, const char *s)
{
    cm_buf_putn(b, s, strlen(s));
}

void cm_buf_vprintf(cm_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if (reserve(b, (size_t)n) != 0)
        return;
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void cm_buf_printf(cm_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cm_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *cm_buf_str(const cm_buf *b)
{
    return b->s ? b->s : "";
}
