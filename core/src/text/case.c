/* Case mapping per code point with utf8proc's simple mappings: a name keeps its length in code
 * points, and no locale is consulted (Turkish dotless i is not special-cased). */
#include "kartoteka/text.h"

#include <string.h>
#include <utf8proc.h>

#include "text/scratch.h"
#include "text/utf8.h"

enum mode { LOWER, UPPER, TITLE };

/* Letters, marks and digits continue a word; anything else (space, hyphen, apostrophe) ends
 * it, so "nowak-kowalski" and "o'brien" become "Nowak-Kowalski" and "O'Brien". */
static int in_word(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

static kt_status map_case(const char *s, char **out, enum mode mode, kt_error *err)
{
    *out = NULL;
    if (!s) return kt_error_set(err, KT_USAGE, "no text to change case");
    size_t len = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    kt_scratch sc;
    kt_scratch_init(&sc);
    kt_status rc = KT_OK;
    int word = 0;
    size_t i = 0;
    while (i < len) {
        int32_t cp, m;
        size_t n = kt_utf8_decode(p + i, len - i, &cp);
        if (!n) {
            rc = kt_error_set(err, KT_INVALID, "text is not valid UTF-8 (byte %zu)", i + 1);
            goto out;
        }
        i += n;
        if (mode == LOWER) {
            m = utf8proc_tolower(cp);
        } else if (mode == UPPER) {
            m = utf8proc_toupper(cp);
        } else {
            m = word ? utf8proc_tolower(cp) : utf8proc_totitle(cp);
            word = in_word(cp);
        }
        if ((rc = kt_scratch_reserve(&sc, 4, err))) goto out;
        sc.len += kt_utf8_encode(m, sc.data + sc.len);
    }
    sc.data[sc.len] = '\0';
    *out = kt_scratch_dup(&sc);
    if (!*out) rc = kt_error_set(err, KT_NOMEM, "out of memory changing case");
out:
    kt_scratch_free(&sc);
    return rc;
}

kt_status kt_text_lower(const char *s, char **out, kt_error *err)
{
    return map_case(s, out, LOWER, err);
}

kt_status kt_text_upper(const char *s, char **out, kt_error *err)
{
    return map_case(s, out, UPPER, err);
}

kt_status kt_text_title(const char *s, char **out, kt_error *err)
{
    return map_case(s, out, TITLE, err);
}
