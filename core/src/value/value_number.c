#include <limits.h>
#include <string.h>

#include "kartoteka/value.h"
#include "value/value_util.h"

/* Bytes of a thousands separator at s: blanks, apostrophes, or the grouping dot or comma. */
static size_t group_sep_len(const char *s, size_t len, char dot_group)
{
    size_t k = kt_vu_space_len(s, len);
    if (k > 0 && s[0] != '\t' && s[0] != '\r' && s[0] != '\n') return k;
    if (len >= 1 && (s[0] == '\'' || (dot_group && s[0] == dot_group))) return 1;
    if (len >= 3 && memcmp(s, "\xE2\x80\x99", 3) == 0) return 3; /* right single quote */
    return 0;
}

static int add_digit(unsigned long long *mag, int digit)
{
    if (*mag > (ULLONG_MAX - (unsigned)digit) / 10) return 0;
    *mag = *mag * 10 + (unsigned)digit;
    return 1;
}

kt_status kt_vu_number(const char *in, int scale, int whole, long long *units, kt_error *err)
{
    if (scale < 0 || scale > KT_DECIMAL_MAX_SCALE)
        return kt_error_set(err, KT_USAGE, "a decimal scale of %d is outside 0 to %d", scale,
                            KT_DECIMAL_MAX_SCALE);
    const char *s;
    size_t len;
    kt_vu_trim(in, &s, &len);
    int sl = kt_vu_show_len(s, len);
    const char *kind = whole ? "whole number" : "number";
    size_t i = 0;
    int negative = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        negative = s[i++] == '-';
    else if (len >= 3 && memcmp(s, "\xE2\x88\x92", 3) == 0)
        negative = 1, i = 3; /* U+2212 */

    /* Whichever of '.' and ',' comes last is the decimal separator; the other may only group. */
    size_t last_dot = len, last_comma = len, n_dot = 0, n_comma = 0;
    for (size_t j = i; j < len; j++) {
        if (s[j] == '.') last_dot = j, n_dot++;
        if (s[j] == ',') last_comma = j, n_comma++;
    }
    size_t point = len;
    char dot_group = 0;
    if (n_dot && n_comma) {
        point = last_dot > last_comma ? last_dot : last_comma;
        dot_group = s[point] == '.' ? ',' : '.';
        if ((s[point] == '.' ? n_dot : n_comma) > 1)
            return kt_error_set(err, KT_INVALID, "\"%.*s\" has more than one decimal separator", sl,
                                s);
    } else if (n_dot + n_comma > 1) {
        return kt_error_set(err, KT_INVALID, "\"%.*s\" has more than one decimal separator", sl, s);
    } else if (n_dot + n_comma == 1) {
        point = n_dot ? last_dot : last_comma;
    }

    unsigned long long mag = 0;
    int fits = 1;
    size_t int_digits = 0, group = 0, groups = 0;
    const char *sep = NULL;
    size_t sep_len = 0;
    while (i < point) {
        size_t k;
        if (s[i] >= '0' && s[i] <= '9') {
            fits = fits && add_digit(&mag, s[i] - '0');
            int_digits++, group++, i++;
        } else if (group > 0 && (k = group_sep_len(s + i, point - i, dot_group)) > 0) {
            /* One kind of separator, groups of three after a first group of one to three. */
            if ((sep && (k != sep_len || memcmp(sep, s + i, k) != 0)) ||
                (groups == 0 ? group > 3 : group != 3))
                goto bad_grouping;
            sep = s + i, sep_len = k, groups++, group = 0, i += k;
        } else {
            goto not_number;
        }
    }
    if (groups > 0 && group != 3) goto bad_grouping;
    if (dot_group && groups == 0) goto bad_grouping;

    size_t frac_digits = 0;
    if (point < len) {
        for (size_t j = point + 1; j < len; j++) {
            if (s[j] < '0' || s[j] > '9') goto not_number;
            if (frac_digits < (size_t)scale)
                fits = fits && add_digit(&mag, s[j] - '0');
            else if (s[j] != '0') {
                if (whole)
                    return kt_error_set(err, KT_INVALID, "\"%.*s\" is not a whole number", sl, s);
                return kt_error_set(err, KT_INVALID, "\"%.*s\" has more than %d decimal place%s",
                                    sl, s, scale, scale == 1 ? "" : "s");
            }
            frac_digits++;
        }
    }
    if (int_digits + frac_digits == 0) goto not_number;
    for (size_t j = frac_digits; j < (size_t)scale; j++)
        fits = fits && add_digit(&mag, 0);
    if (!fits || mag > (unsigned long long)LLONG_MAX + (negative ? 1u : 0u)) {
        char limit[KT_DECIMAL_TEXT_SIZE];
        kt_value_format_decimal(negative ? LLONG_MIN : LLONG_MAX, scale, limit, sizeof limit);
        return kt_error_set(err, KT_INVALID, "\"%.*s\" is too %s (the limit is %s)", sl, s,
                            negative ? "small" : "large", limit);
    }
    if (!negative)
        *units = (long long)mag;
    else if (mag == (unsigned long long)LLONG_MAX + 1u)
        *units = LLONG_MIN;
    else
        *units = -(long long)mag;
    return KT_OK;

not_number:
    return kt_error_set(err, KT_INVALID, "\"%.*s\" is not a %s", sl, s, kind);
bad_grouping:
    return kt_error_set(err, KT_INVALID,
                        "\"%.*s\" is not a %s: thousands must be grouped by three with one kind "
                        "of separator (1 234 567)",
                        sl, s, kind);
}
