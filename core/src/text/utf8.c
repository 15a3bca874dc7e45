#include "kartoteka/text.h"

#include "text/utf8.h"

int kt_text_valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) { /* most names are ASCII: skip the decoder */
            i++;
            continue;
        }
        int32_t cp;
        size_t n = kt_utf8_decode(p + i, len - i, &cp);
        if (!n) return 0;
        i += n;
    }
    return 1;
}

size_t kt_text_length(const char *s)
{
    size_t n = 0;
    if (!s) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}
