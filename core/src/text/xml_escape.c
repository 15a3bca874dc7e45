/* Text for XML and HTML: the SVG charts and the person export's page. Markup characters become
 * entities, characters XML 1.0 forbids are dropped, line breaks and tabs become spaces, broken
 * UTF-8 becomes U+FFFD. */
#include <utf8proc.h>

#include "kartoteka/buf.h"
#include "kartoteka/text.h"

kt_status kt_text_xml_escaped(kt_buf *out, const char *s, kt_error *err)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(s ? s : "");
    kt_status st = KT_OK;
    while (*p && !st) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            st = kt_buf_puts(out, "\xEF\xBF\xBD", err);
            p++;
            continue;
        }
        switch (cp) {
        case '<':
            st = kt_buf_puts(out, "&lt;", err);
            break;
        case '>':
            st = kt_buf_puts(out, "&gt;", err);
            break;
        case '&':
            st = kt_buf_puts(out, "&amp;", err);
            break;
        case '"':
            st = kt_buf_puts(out, "&quot;", err);
            break;
        case '\'':
            st = kt_buf_puts(out, "&apos;", err);
            break;
        case '\n':
        case '\r':
        case '\t':
            st = kt_buf_putc(out, ' ', err);
            break;
        default:
            if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) break; /* not allowed in XML */
            st = kt_buf_append(out, p, (size_t)n, err);
        }
        p += n;
    }
    return st;
}
