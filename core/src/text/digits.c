#include "kartoteka/text.h"

#include <string.h>

#include "kartoteka/alloc.h"
#include "text/utf8.h"

/* Both digit sets are two bytes in UTF-8 and one as ASCII: the result never grows. */
kt_status kt_text_ascii_digits(const char *s, char **out, kt_error *err)
{
    *out = NULL;
    if (!s) return kt_error_set(err, KT_USAGE, "no text to convert");
    size_t len = strlen(s);
    if (!kt_text_valid_utf8(s, len))
        return kt_error_set(err, KT_INVALID, "text is not valid UTF-8");
    char *d = kt_malloc(len + 1);
    if (!d) return kt_error_set(err, KT_NOMEM, "out of memory converting digits");
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len) {
        int32_t cp = 0;
        size_t n = kt_utf8_decode(p + i, len - i, &cp);
        if (cp >= 0x0660 && cp <= 0x0669) {
            d[o++] = (char)('0' + (cp - 0x0660));
        } else if (cp >= 0x06F0 && cp <= 0x06F9) {
            d[o++] = (char)('0' + (cp - 0x06F0));
        } else {
            memcpy(d + o, s + i, n);
            o += n;
        }
        i += n;
    }
    d[o] = '\0';
    *out = d;
    return KT_OK;
}
