#include "kartoteka/value.h"

#include <string.h>

#include "kartoteka/date.h"
#include "value/value_util.h"

static const char *const month_names[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};

/* The one place that says what a real date is, so both parsers refuse in the same words. */
static kt_status finish(const char *s, size_t len, long y, long m, long d, char out[KT_DATE_SIZE],
                        kt_error *err)
{
    int sl = kt_vu_show_len(s, len);
    if (y < 1 || y > 9999)
        return kt_error_set(err, KT_INVALID, "\"%.*s\" has year %ld; years run from 1 to 9999", sl,
                            s, y);
    if (m < 1 || m > 12)
        return kt_error_set(err, KT_INVALID, "\"%.*s\" has month %ld; months run from 1 to 12", sl,
                            s, m);
    int last = kt_date_days_in_month((int)y, (int)m);
    if (d < 1 || d > last)
        return kt_error_set(err, KT_INVALID,
                            "\"%.*s\" is not a real calendar date (%s %ld has %d days)", sl, s,
                            month_names[m - 1], y, last);
    kt_vu_write_ymd(out, (int)y, (int)m, (int)d);
    return KT_OK;
}

static kt_status not_a_date(const char *s, size_t len, kt_error *err)
{
    return kt_error_set(err, KT_INVALID,
                        "\"%.*s\" is not a date (write it as YYYY-MM-DD, e.g. 2024-03-05)",
                        kt_vu_show_len(s, len), s);
}

kt_status kt_value_parse_date(const char *in, char out[KT_DATE_SIZE], kt_error *err)
{
    const char *s;
    size_t len;
    kt_vu_trim(in, &s, &len);
    if (len >= 2 && s[0] == '-' && s[1] == '-')
        return kt_error_set(err, KT_INVALID,
                            "\"%.*s\" has no year (a birthday given as day and month only): "
                            "a date needs the year",
                            kt_vu_show_len(s, len), s);
    long num[3];
    size_t width[3];
    char sep = 0;
    size_t i = 0;
    for (int k = 0; k < 3; k++) {
        num[k] = 0;
        width[k] = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && width[k] < 5)
            num[k] = num[k] * 10 + (s[i++] - '0'), width[k]++;
        if (width[k] == 0 || width[k] > 4) return not_a_date(s, len, err);
        if (k == 2) break;
        if (i >= len || (s[i] != '-' && s[i] != '.' && s[i] != '/')) return not_a_date(s, len, err);
        if (sep && s[i] != sep) return not_a_date(s, len, err);
        sep = s[i++];
    }
    if (i != len) return not_a_date(s, len, err);
    int sl = kt_vu_show_len(s, len);
    if (width[0] == 4 && width[1] <= 2 && width[2] <= 2)
        return finish(s, len, num[0], num[1], num[2], out, err);
    if (width[0] > 2 || width[1] > 2) return not_a_date(s, len, err);
    if (width[2] != 4)
        return kt_error_set(err, KT_INVALID,
                            "\"%.*s\": write the year with 4 digits (or as YYYY-MM-DD)", sl, s);
    if (sep == '.') return finish(s, len, num[2], num[1], num[0], out, err);
    /* With '/' or '-' the day may come first (Europe) or second (US): take the order only when
     * the numbers themselves decide it, never guess. */
    long a = num[0], b = num[1];
    if (a == b || (a > 12 && b <= 12)) return finish(s, len, num[2], b, a, out, err);
    if (b > 12 && a <= 12) return finish(s, len, num[2], a, b, out, err);
    if (a > 12 && b > 12) return finish(s, len, num[2], b, a, out, err);
    return kt_error_set(err, KT_INVALID,
                        "\"%.*s\" is ambiguous (day/month or month/day?): write it as "
                        "YYYY-MM-DD or give the format",
                        sl, s);
}

static int is_token(char c)
{
    return c == 'Y' || c == 'M' || c == 'D';
}

/* Reads between min and max digits. */
static int read_num(const char *s, size_t len, size_t *i, int min, int max, long *out)
{
    int n = 0;
    long v = 0;
    while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9')
        v = v * 10 + (s[(*i)++] - '0'), n++;
    *out = v;
    return n >= min;
}

kt_status kt_value_parse_date_format(const char *in, const char *fmt, char out[KT_DATE_SIZE],
                                     kt_error *err)
{
    if (!fmt) return kt_error_set(err, KT_USAGE, "no date format given");
    const char *s;
    size_t len, i = 0;
    kt_vu_trim(in, &s, &len);
    long y = -1, m = -1, d = -1;
    int short_year = 0, seen_y = 0, seen_m = 0, seen_d = 0, matched = 1;
    for (const char *f = fmt; *f;) {
        int ok;
        if (strncmp(f, "YYYY", 4) == 0) {
            ok = read_num(s, len, &i, 4, 4, &y), seen_y++, f += 4;
        } else if (strncmp(f, "YY", 2) == 0) {
            ok = read_num(s, len, &i, 2, 2, &y), seen_y++, short_year = 1, f += 2;
        } else if (*f == 'M' || *f == 'D') {
            long *v = *f == 'M' ? &m : &d;
            int *seen = *f == 'M' ? &seen_m : &seen_d;
            int twice = f[1] == f[0];
            f += twice ? 2 : 1;
            /* "DDMMYYYY" has nothing to end a number but its width. */
            int min = twice && is_token(*f) ? 2 : 1;
            ok = read_num(s, len, &i, min, 2, v), (*seen)++;
        } else if (*f == 'Y') {
            return kt_error_set(err, KT_USAGE, "date format \"%.80s\": a year is YYYY or YY", fmt);
        } else {
            ok = i < len && s[i] == *f;
            i++, f++;
        }
        if (!ok) matched = 0;
    }
    if (seen_y != 1 || seen_m != 1 || seen_d != 1)
        return kt_error_set(err, KT_USAGE,
                            "date format \"%.80s\" needs one year (YYYY or YY), one month (MM or "
                            "M) and one day (DD or D)",
                            fmt);
    if (!matched || i != len)
        return kt_error_set(err, KT_INVALID, "\"%.*s\" does not match the date format \"%.80s\"",
                            kt_vu_show_len(s, len), s, fmt);
    if (short_year) {
        char today[KT_DATE_SIZE];
        kt_status st = kt_date_today(NULL, today, err);
        if (st != KT_OK) return st;
        long now_yy = (today[2] - '0') * 10 + (today[3] - '0');
        y += y > now_yy ? 1900 : 2000;
    }
    return finish(s, len, y, m, d, out, err);
}
