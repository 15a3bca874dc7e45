/* How a shipped plugin's value function answers (header only, like kt_chars.h): a failure with a
 * message for people, or a value copied into the host's buffer. */
#ifndef KT_PLUGINS_REPLY_H
#define KT_PLUGINS_REPLY_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <kartoteka/plugin.h>

static inline int ktc_fail(char *msg, size_t msg_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline int ktc_fail(char *msg, size_t msg_size, const char *fmt, ...)
{
    if (msg && msg_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msg_size, fmt, ap);
        va_end(ap);
    }
    return KT_PLUGIN_FAIL;
}

/* Copies s into out, or fails when it does not fit. */
static inline int ktc_put(char *out, size_t out_size, char *msg, size_t msg_size, const char *s)
{
    size_t n = strlen(s);
    if (n >= out_size)
        return ktc_fail(msg, msg_size, "the value does not fit in %zu bytes", out_size);
    memcpy(out, s, n + 1);
    return KT_PLUGIN_OK;
}

#endif
