/* How many terminal columns a text takes: utf8proc's East Asian width, combining marks zero. */
#include <utf8proc.h>

#include "report/report_int.h"

size_t report_text_width(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0;
    while (p && *p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            w++; /* shown as '?' */
            p++;
            continue;
        }
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            w++; /* shown as ' ' or '?' */
        else if (utf8proc_charwidth(cp) > 0)
            w += (size_t)utf8proc_charwidth(cp);
        p += n;
    }
    return w;
}
