#include "kartoteka/value.h"

#include <stdio.h>
#include <string.h>

#include "value/value_util.h"

static int two(const char *s, size_t len, size_t *i, int min, long *out)
{
    int n = 0;
    long v = 0;
    while (*i < len && n < 2 && s[*i] >= '0' && s[*i] <= '9')
        v = v * 10 + (s[(*i)++] - '0'), n++;
    *out = v;
    return n >= min;
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

kt_status kt_value_parse_datetime(const char *in, char out[KT_DATETIME_SIZE], kt_error *err)
{
    const char *s;
    size_t len;
    kt_vu_trim(in, &s, &len);
    int sl = kt_vu_show_len(s, len);
    size_t cut = 0;
    /* The date ends at a space or at a T after a digit: the t of "yesterday" is no separator. */
    while (cut < len && s[cut] != ' ' &&
           !((s[cut] == 'T' || s[cut] == 't') && cut > 0 && digit(s[cut - 1])))
        cut++;
    char date_part[32];
    if (cut >= sizeof date_part)
        return kt_error_set(err, KT_INVALID,
                            "\"%.*s\" is not a date and time (write it as YYYY-MM-DD HH:MM)", sl,
                            s);
    memcpy(date_part, s, cut);
    date_part[cut] = '\0';
    char date[KT_DATE_SIZE];
    kt_status st = kt_value_parse_date(date_part, date, err);
    if (st != KT_OK && cut < len) {
        /* The date's own message quotes only the part before the time: name the whole value. */
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err->message);
        return kt_error_set(err, st, "\"%.*s\" is not a date and time: %s", sl, s, why);
    }
    if (st != KT_OK) return st;
    size_t i = cut;
    if (i < len && (s[i] == 'T' || s[i] == 't'))
        i++;
    else
        while (i < len && s[i] == ' ')
            i++;
    long h = 0, mi = 0, sec = 0;
    if (cut < len) {
        int ok = two(s, len, &i, 1, &h) && i < len && s[i++] == ':' && two(s, len, &i, 2, &mi);
        if (ok && i < len && s[i] == ':') i++, ok = two(s, len, &i, 2, &sec);
        if (ok && i < len && (s[i] == '.' || s[i] == ','))
            return kt_error_set(err, KT_INVALID,
                                "\"%.*s\" has fractions of a second; give whole seconds", sl, s);
        if (ok && i < len && (s[i] == 'Z' || s[i] == 'z' || s[i] == '+' || s[i] == '-'))
            return kt_error_set(err, KT_INVALID,
                                "\"%.*s\" has a time zone; give the local time without it", sl, s);
        if (!ok || i != len)
            return kt_error_set(err, KT_INVALID,
                                "\"%.*s\" has no valid time (write it as YYYY-MM-DD HH:MM[:SS])",
                                sl, s);
        if (h > 23 || mi > 59 || sec > 59)
            return kt_error_set(err, KT_INVALID,
                                "\"%.*s\" is not a real time of day (00:00:00 to 23:59:59)", sl, s);
    }
    memcpy(out, date, 10);
    out[10] = 'T';
    kt_vu_write_hms(out + 11, (int)h, (int)mi, (int)sec);
    return KT_OK;
}
