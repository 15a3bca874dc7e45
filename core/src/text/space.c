#include "kartoteka/text.h"

#include <string.h>
#include <utf8proc.h>

#include "kartoteka/alloc.h"
#include "text/fold.h"
#include "text/scratch.h"
#include "text/utf8.h"

int kt_text_is_space(int32_t cp)
{
    if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
    if (cp == 0x85) return 1; /* NEL */
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS: /* NBSP, thin and ideographic spaces */
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return 1;
    default:
        return 0;
    }
}

kt_status kt_text_squeeze(const char *s, char **out, kt_error *err)
{
    *out = NULL;
    if (!s) return kt_error_set(err, KT_USAGE, "no text to squeeze");
    size_t len = strlen(s);
    if (!kt_text_valid_utf8(s, len))
        return kt_error_set(err, KT_INVALID, "text is not valid UTF-8");
    /* The result is never longer than the input, so one exact allocation does. */
    char *d = kt_malloc(len + 1);
    if (!d) return kt_error_set(err, KT_NOMEM, "out of memory squeezing text");
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    int pending = 0;
    while (i < len) {
        int32_t cp = 0;
        size_t n = kt_utf8_decode(p + i, len - i, &cp);
        if (kt_text_is_space(cp)) {
            pending = o > 0;
        } else {
            if (pending) d[o++] = ' ';
            pending = 0;
            memcpy(d + o, s + i, n);
            o += n;
        }
        i += n;
    }
    d[o] = '\0';
    *out = d;
    return KT_OK;
}
