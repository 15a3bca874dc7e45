#include "text/json_string.h"

#include <stdio.h>
#include <string.h>

#include "text/utf8.h"

/* The escape for an ASCII byte, or NULL when it goes out as it is. */
static const char *ascii_escape(unsigned char c, char *hex)
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    default:
        if (c >= 0x20) return NULL;
        snprintf(hex, 8, "\\u%04x", (unsigned)c);
        return hex;
    }
}

kt_status kt_text_put_json_string(kt_buf *out, const char *s, size_t *replaced, kt_error *err)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), run = 0, i = 0; /* p[run..i) is waiting to be copied as it is */
    kt_status st = kt_buf_putc(out, '"', err);
    while (i < len && !st) {
        char hex[8];
        const char *esc = NULL;
        size_t n = 1;
        if (p[i] < 0x80) {
            esc = ascii_escape(p[i], hex);
        } else {
            int32_t cp;
            n = kt_utf8_decode(p + i, len - i, &cp);
            if (n == 0) {
                esc = "\\ufffd";
                n = 1;
                if (replaced) ++*replaced;
            } else if (cp == 0x2028 || cp == 0x2029) {
                snprintf(hex, sizeof hex, "\\u%04x", (unsigned)cp);
                esc = hex;
            }
        }
        if (esc) {
            st = kt_buf_append(out, p + run, i - run, err);
            if (!st) st = kt_buf_puts(out, esc, err);
            run = i + n;
        }
        i += n;
    }
    if (!st) st = kt_buf_append(out, p + run, i - run, err);
    return st ? st : kt_buf_putc(out, '"', err);
}
