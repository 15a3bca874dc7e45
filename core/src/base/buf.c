#include "kartoteka/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"

static kt_status grow(kt_buf *b, size_t extra, kt_error *err)
{
    size_t max = b->max ? b->max : KT_BUF_DEFAULT_MAX;
    if (extra > max || b->len > max - extra)
        return kt_error_set(err, KT_LIMIT, "text longer than the limit of %zu bytes", max);
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return KT_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *d = kt_realloc(b->data, cap);
    if (!d) return kt_error_set(err, KT_NOMEM, "out of memory growing a buffer to %zu bytes", cap);
    b->data = d;
    b->cap = cap;
    return KT_OK;
}

kt_status kt_buf_append(kt_buf *b, const void *data, size_t n, kt_error *err)
{
    kt_status st = grow(b, n, err);
    if (st) return st;
    if (n) memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return KT_OK;
}

kt_status kt_buf_puts(kt_buf *b, const char *s, kt_error *err)
{
    return kt_buf_append(b, s, strlen(s), err);
}

kt_status kt_buf_putc(kt_buf *b, char c, kt_error *err)
{
    return kt_buf_append(b, &c, 1, err);
}

kt_status kt_buf_vprintf(kt_buf *b, kt_error *err, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) return kt_error_set(err, KT_INTERNAL, "bad format string");
    kt_status st = grow(b, (size_t)n, err);
    if (st) return st;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return KT_OK;
}

kt_status kt_buf_printf(kt_buf *b, kt_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kt_status st = kt_buf_vprintf(b, err, fmt, ap);
    va_end(ap);
    return st;
}

const char *kt_buf_str(const kt_buf *b)
{
    return b->data ? b->data : "";
}

char *kt_buf_take(kt_buf *b)
{
    char *d = b->data;
    if (!d) d = kt_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void kt_buf_reset(kt_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void kt_buf_free(kt_buf *b)
{
    kt_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
