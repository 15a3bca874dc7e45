#include "kartoteka/value.h"

#include <string.h>
#include <strings.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "value/value_util.h"

/* RFC 5322 atext: what an unquoted local part may hold besides letters and digits. Quoted local
 * parts are left out on purpose; nobody types them and many mail systems reject them. */
static int atext(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c < 0x80 && c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", (int)c) != NULL);
}

static kt_status check_local(const char *s, size_t len, const char *whole, kt_error *err)
{
    int wl = kt_vu_show_len(whole, strlen(whole));
    if (len == 0)
        return kt_error_set(err, KT_INVALID, "\"%.*s\" has nothing before the @", wl, whole);
    if (len > 64)
        return kt_error_set(err, KT_INVALID, "\"%.*s\" has more than 64 bytes before the @", wl,
                            whole);
    if (s[0] == '.' || s[len - 1] == '.')
        return kt_error_set(err, KT_INVALID,
                            "\"%.*s\" has a dot at the start or end of the part "
                            "before the @",
                            wl, whole);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = kt_vu_utf8_decode(s + i, len - i, &cp);
        if (k == 0) return kt_error_set(err, KT_INVALID, "\"%.*s\" is not valid UTF-8", wl, whole);
        if (cp == '.' && s[i + 1] == '.')
            return kt_error_set(err, KT_INVALID, "\"%.*s\" has two dots in a row", wl, whole);
        if (cp != '.' && !atext(cp) && !(cp >= 0x80 && kt_vu_idn_char(cp)))
            return kt_error_set(err, KT_INVALID,
                                "\"%.*s\" has a character not allowed before the @: \"%.*s\"", wl,
                                whole, (int)k, s + i);
        i += k;
    }
    return KT_OK;
}

kt_status kt_value_check_email(const char *in, char **out, kt_error *err)
{
    *out = NULL;
    const char *s;
    size_t len;
    kt_vu_trim(in, &s, &len);
    if (len >= 7 && strncasecmp(s, "mailto:", 7) == 0) s += 7, len -= 7;
    char *whole = kt_strndup(s, len);
    if (!whole) return kt_error_set(err, KT_NOMEM, "out of memory");
    kt_buf b = KT_BUF_INIT;
    kt_status st = KT_INVALID;
    int wl = kt_vu_show_len(whole, len);
    const char *at = memchr(whole, '@', len);
    if (len != strlen(whole) || len == 0) {
        kt_error_set(err, KT_INVALID, "\"%.*s\" is not an e-mail address", wl, whole);
        goto out;
    }
    for (size_t i = 0; i < len; i++) {
        if (kt_vu_space_len(whole + i, len - i) > 0 || (unsigned char)whole[i] < 0x20) {
            kt_error_set(err, KT_INVALID, "\"%.*s\" has a space in it", wl, whole);
            goto out;
        }
    }
    if (!at) {
        kt_error_set(err, KT_INVALID, "\"%.*s\" has no @", wl, whole);
        goto out;
    }
    if (memchr(at + 1, '@', len - (size_t)(at + 1 - whole))) {
        kt_error_set(err, KT_INVALID, "\"%.*s\" has more than one @", wl, whole);
        goto out;
    }
    if (len > 254) {
        kt_error_set(err, KT_INVALID, "\"%.*s\" is longer than 254 bytes", wl, whole);
        goto out;
    }
    size_t local_len = (size_t)(at - whole);
    if ((st = check_local(whole, local_len, whole, err)) != KT_OK) goto out;
    if ((st = kt_buf_append(&b, whole, local_len + 1, err)) != KT_OK) goto out;
    st = kt_vu_check_host(at + 1, len - local_len - 1, "domain", whole, 1, &b, err);
    if (st != KT_OK) goto out;
    *out = kt_buf_take(&b);
out:
    kt_buf_free(&b);
    kt_free(whole);
    return st;
}
