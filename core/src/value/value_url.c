#include "kartoteka/value.h"

#include <string.h>
#include <strings.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "value/value_util.h"

static kt_status check_port(const char *p, size_t n, const char *whole, kt_error *err)
{
    long port = 0;
    for (size_t i = 0; i < n && port <= 65535; i++) {
        if (p[i] < '0' || p[i] > '9')
            port = 65536;
        else
            port = port * 10 + (p[i] - '0');
    }
    if (n == 0 || port < 1 || port > 65535)
        return kt_error_set(err, KT_INVALID, "\"%.*s\" has a port that is not 1 to 65535",
                            kt_vu_show_len(whole, strlen(whole)), whole);
    return KT_OK;
}

kt_status kt_value_check_url(const char *in, char **out, kt_error *err)
{
    *out = NULL;
    const char *s;
    size_t len;
    kt_vu_trim(in, &s, &len);
    char *whole = kt_strndup(s, len);
    if (!whole) return kt_error_set(err, KT_NOMEM, "out of memory");
    int wl = kt_vu_show_len(whole, len);
    kt_buf b = KT_BUF_INIT;
    kt_status st = KT_INVALID;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)whole[i];
        if (kt_vu_space_len(whole + i, len - i) > 0 || c < 0x20 || c == 0x7F) {
            kt_error_set(err, KT_INVALID, "\"%.*s\" has a space in it", wl, whole);
            goto out;
        }
    }
    const char *p = whole;
    const char *scheme_end = strstr(whole, "://");
    const char *first_stop = whole + strcspn(whole, "/?#");
    if (scheme_end && scheme_end < first_stop) {
        size_t sn = (size_t)(scheme_end - whole);
        if (!((sn == 4 && strncasecmp(whole, "http", 4) == 0) ||
              (sn == 5 && strncasecmp(whole, "https", 5) == 0))) {
            kt_error_set(err, KT_INVALID, "\"%.*s\" is not a web address (only http and https)", wl,
                         whole);
            goto out;
        }
        st = kt_buf_puts(&b, sn == 4 ? "http://" : "https://", err);
        p = scheme_end + 3;
    } else {
        /* "mailto:x", "javascript:..." name a scheme without "//": never guess them into hosts. */
        size_t head = strcspn(whole, ":/?#");
        if (whole[head] == ':' && !memchr(whole, '.', head) &&
            strspn(whole + head + 1, "0123456789") == 0) {
            kt_error_set(err, KT_INVALID, "\"%.*s\" is not a web address (only http and https)", wl,
                         whole);
            goto out;
        }
        st = kt_buf_puts(&b, "https://", err);
    }
    if (st != KT_OK) goto out;
    st = KT_INVALID;
    size_t auth_len = strcspn(p, "/?#");
    const char *at = memchr(p, '@', auth_len);
    if (at) {
        kt_error_set(err, KT_INVALID, "\"%.*s\" has a user name or password in it", wl, whole);
        goto out;
    }
    const char *colon = memchr(p, ':', auth_len);
    size_t host_len = colon ? (size_t)(colon - p) : auth_len;
    if (host_len == 0) {
        kt_error_set(err, KT_INVALID, "\"%.*s\" has no host", wl, whole);
        goto out;
    }
    if ((st = kt_vu_check_host(p, host_len, "host", whole, 0, &b, err)) != KT_OK) goto out;
    if (colon) {
        if ((st = check_port(colon + 1, auth_len - host_len - 1, whole, err)) != KT_OK) goto out;
        st = kt_buf_append(&b, colon, auth_len - host_len, err);
        if (st != KT_OK) goto out;
    }
    if ((st = kt_buf_puts(&b, p + auth_len, err)) != KT_OK) goto out;
    *out = kt_buf_take(&b);
out:
    kt_buf_free(&b);
    kt_free(whole);
    return st;
}
