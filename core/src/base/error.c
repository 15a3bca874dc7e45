#include "kartoteka/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *kt_strerror(kt_status code)
{
    switch (code) {
    case KT_OK: return "ok";
    case KT_NOTFOUND: return "not found";
    case KT_INVALID: return "invalid";
    case KT_CONSTRAINT: return "constraint";
    case KT_LIMIT: return "limit reached";
    case KT_TIMEOUT: return "timeout";
    case KT_SCRIPT: return "script error";
    case KT_ABI: return "plugin ABI mismatch";
    case KT_DENIED: return "denied";
    case KT_IO: return "i/o error";
    case KT_BUSY: return "busy";
    case KT_NOMEM: return "out of memory";
    case KT_USAGE: return "usage";
    case KT_INTERNAL: return "internal error";
    case KT_EXISTS: return "already exists";
    }
    return "unknown status";
}

kt_status kt_error_set(kt_error *err, kt_status code, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void kt_error_where(kt_error *err, const char *fmt, ...)
{
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->where, sizeof err->where, fmt, ap);
    va_end(ap);
}

void kt_error_prefix(kt_error *err, const char *fmt, ...)
{
    if (!err) return;
    char prefix[KT_ERROR_WHERE_MAX];
    char old[KT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof old);
    size_t n = strlen(prefix);
    if (n >= sizeof err->message) n = sizeof err->message - 1;
    memcpy(err->message, prefix, n);
    size_t rest = strnlen(old, sizeof old - 1);
    if (rest > sizeof err->message - 1 - n) rest = sizeof err->message - 1 - n;
    memcpy(err->message + n, old, rest);
    err->message[n + rest] = '\0';
}

void kt_error_clear(kt_error *err)
{
    if (!err) return;
    err->code = KT_OK;
    err->message[0] = '\0';
    err->where[0] = '\0';
}
