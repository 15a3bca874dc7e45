#include "value/value_util.h"

#include <string.h>
#include <utf8proc.h>

size_t kt_vu_space_len(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len >= 1 && (u[0] == ' ' || u[0] == '\t' || u[0] == '\r' || u[0] == '\n')) return 1;
    if (len >= 2 && u[0] == 0xC2 && u[1] == 0xA0) return 2;                 /* NBSP */
    if (len >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF) return 3; /* narrow NBSP */
    return 0;
}

void kt_vu_trim(const char *in, const char **start, size_t *len)
{
    size_t n = strlen(in);
    const char *s = in;
    size_t k;
    while (n > 0 && (k = kt_vu_space_len(s, n)) > 0) {
        s += k;
        n -= k;
    }
    /* Spreadsheets pad on the right too; peel white space off the end one character at a time. */
    for (;;) {
        if (n >= 1 && kt_vu_space_len(s + n - 1, 1) == 1)
            n -= 1;
        else if (n >= 2 && kt_vu_space_len(s + n - 2, 2) == 2)
            n -= 2;
        else if (n >= 3 && kt_vu_space_len(s + n - 3, 3) == 3)
            n -= 3;
        else
            break;
    }
    *start = s;
    *len = n;
}

int kt_vu_show_len(const char *s, size_t len)
{
    if (len <= 120) return (int)len;
    size_t n = 120;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

size_t kt_vu_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0) return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t n;
    uint32_t c, min;
    if ((u[0] & 0xE0) == 0xC0)
        n = 2, c = u[0] & 0x1F, min = 0x80;
    else if ((u[0] & 0xF0) == 0xE0)
        n = 3, c = u[0] & 0x0F, min = 0x800;
    else if ((u[0] & 0xF8) == 0xF0)
        n = 4, c = u[0] & 0x07, min = 0x10000;
    else
        return 0;
    if (len < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return n;
}

size_t kt_vu_utf8_encode(uint32_t cp, char *out)
{
    return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
}

/* Letters, combining marks and digits of any script, as IDNA allows in a label. */
int kt_vu_idn_char(uint32_t cp)
{
    if (cp == 0x200C) return 1; /* ZWNJ: Persian names need it */
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) || c == UTF8PROC_CATEGORY_ND;
}

static int is_letter(uint32_t cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME);
}

kt_status kt_vu_check_host(const char *s, size_t len, const char *noun, const char *whole,
                           int letter_tld, kt_buf *out, kt_error *err)
{
    int wl = kt_vu_show_len(whole, strlen(whole));
    if (len == 0) return kt_error_set(err, KT_INVALID, "\"%.*s\" has no %s", wl, whole, noun);
    if (len > 253)
        return kt_error_set(err, KT_INVALID, "\"%.*s\" has a %s longer than 253 bytes", wl, whole,
                            noun);
    size_t label_start = 0, dots = 0, i = 0;
    int tld_letters = 1;
    while (i <= len) {
        if (i == len || s[i] == '.') {
            size_t ll = i - label_start;
            if (ll == 0)
                return kt_error_set(err, KT_INVALID,
                                    "\"%.*s\" has an empty part in its %s (\"..\" "
                                    "or a dot at an end)",
                                    wl, whole, noun);
            if (ll > 63)
                return kt_error_set(err, KT_INVALID, "\"%.*s\" has a %s part longer than 63 bytes",
                                    wl, whole, noun);
            if (s[label_start] == '-' || s[i - 1] == '-')
                return kt_error_set(err, KT_INVALID,
                                    "\"%.*s\" has a %s part that starts or ends "
                                    "with a hyphen",
                                    wl, whole, noun);
            if (i == len) break;
            dots++;
            i++;
            label_start = i;
            tld_letters = 1;
            kt_status st = kt_buf_putc(out, '.', err);
            if (st != KT_OK) return st;
            continue;
        }
        uint32_t cp;
        size_t k = kt_vu_utf8_decode(s + i, len - i, &cp);
        if (k == 0) return kt_error_set(err, KT_INVALID, "\"%.*s\" is not valid UTF-8", wl, whole);
        int ok = (cp < 0x80) ? ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                                (cp >= '0' && cp <= '9') || cp == '-')
                             : kt_vu_idn_char(cp);
        if (!ok) {
            return kt_error_set(err, KT_INVALID,
                                "\"%.*s\" has a character its %s may not hold: "
                                "\"%.*s\"",
                                wl, whole, noun, (int)k, s + i);
        }
        if (!is_letter(cp)) tld_letters = 0;
        char enc[4];
        size_t el = kt_vu_utf8_encode((uint32_t)utf8proc_tolower((utf8proc_int32_t)cp), enc);
        kt_status st = kt_buf_append(out, enc, el, err);
        if (st != KT_OK) return st;
        i += k;
    }
    if (dots == 0) return kt_error_set(err, KT_INVALID, "\"%.*s\": %s has no dot", wl, whole, noun);
    if (letter_tld) {
        size_t tl = len - label_start;
        const char *t = s + label_start;
        int punycode = tl > 4 && (t[0] == 'x' || t[0] == 'X') && (t[1] == 'n' || t[1] == 'N') &&
                       t[2] == '-' && t[3] == '-';
        if (!punycode && (!tld_letters || tl < 2))
            return kt_error_set(err, KT_INVALID,
                                "\"%.*s\": the last part of the %s (\"%.*s\") "
                                "must be 2 or more letters",
                                wl, whole, noun, (int)tl, t);
    }
    return KT_OK;
}

static void put_digits(char *out, int v, int n)
{
    if (v < 0) v = 0;
    for (int i = n - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

void kt_vu_write_ymd(char *out, int y, int m, int d)
{
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

void kt_vu_write_hms(char *out, int h, int mi, int s)
{
    put_digits(out, h, 2);
    out[2] = ':';
    put_digits(out + 3, mi, 2);
    out[5] = ':';
    put_digits(out + 6, s, 2);
    out[8] = '\0';
}
