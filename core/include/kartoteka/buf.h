/* A growing byte buffer with a maximum size: a 2 GB cell is an error, not an out-of-memory. */
#ifndef KARTOTEKA_BUF_H
#define KARTOTEKA_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "kartoteka/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_buf {
    char *data;  /* owned; always NUL-terminated once anything was appended; may be NULL if empty */
    size_t len;  /* bytes used, without the NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* largest len allowed; 0 means KT_BUF_DEFAULT_MAX */
} kt_buf;

#define KT_BUF_DEFAULT_MAX ((size_t)256 * 1024 * 1024)
#define KT_BUF_INIT {NULL, 0, 0, 0}

kt_status kt_buf_append(kt_buf *b, const void *data, size_t n, kt_error *err);
kt_status kt_buf_puts(kt_buf *b, const char *s, kt_error *err);
kt_status kt_buf_putc(kt_buf *b, char c, kt_error *err);
kt_status kt_buf_printf(kt_buf *b, kt_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
kt_status kt_buf_vprintf(kt_buf *b, kt_error *err, const char *fmt, va_list ap);
/* The contents as a C string; "" when empty. Borrowed until the next change to b. */
const char *kt_buf_str(const kt_buf *b);
/* Hands the contents over to the caller (who frees with kt_free) and empties b. Never NULL. */
char *kt_buf_take(kt_buf *b);
void kt_buf_reset(kt_buf *b); /* len = 0, keeps the memory */
void kt_buf_free(kt_buf *b);  /* releases the memory; b may be reused after */

#ifdef __cplusplus
}
#endif
#endif
