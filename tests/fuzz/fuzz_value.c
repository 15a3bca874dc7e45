/* libFuzzer target: every value parser on one NUL-terminated input. Besides not crashing, the
 * parsers must keep their promises: canonical output that parses again to itself. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/date.h"
#include "kartoteka/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(kt_status (*fn)(const char *, char **, kt_error *), const char *s)
{
    char *out = NULL, *again = NULL;
    kt_error err;
    if (fn(s, &out, &err) == KT_OK) {
        if (fn(out, &again, &err) != KT_OK || strcmp(out, again) != 0) abort();
    } else if (out) {
        abort();
    }
    kt_free(out);
    kt_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    kt_error err;

    char date[KT_DATE_SIZE], date2[KT_DATE_SIZE], dt[KT_DATETIME_SIZE];
    if (kt_value_parse_date(s, date, &err) == KT_OK) {
        long days;
        if (kt_date_days(date, &days, &err) != KT_OK) abort();
        kt_date_from_days(days, date2);
        if (strcmp(date, date2) != 0) abort();
        (void)kt_date_add_months(date, (long)size - 50, date2, &err);
        (void)kt_date_anniversary(date, "2024-02-28");
    }
    /* The first bytes up to a '|' can serve as a format for the rest. */
    char *bar = strchr(s, '|');
    if (bar) {
        *bar = '\0';
        (void)kt_value_parse_date_format(bar + 1, s, date, &err);
        *bar = '|';
    }
    if (kt_value_parse_datetime(s, dt, &err) == KT_OK && strlen(dt) != 19) abort();

    long long v;
    char text[KT_DECIMAL_TEXT_SIZE];
    (void)kt_value_parse_integer(s, &v, &err);
    for (int scale = 0; scale <= KT_DECIMAL_MAX_SCALE; scale += 3) {
        if (kt_value_parse_decimal(s, scale, &v, &err) != KT_OK) continue;
        long long back;
        kt_value_format_decimal(v, scale, text, sizeof text);
        if (kt_value_parse_decimal(text, scale, &back, &err) != KT_OK || back != v) abort();
    }
    int b;
    (void)kt_value_parse_bool(s, &b, &err);
    check_text(kt_value_check_email, s);
    check_text(kt_value_check_url, s);
    free(s);
    return 0;
}
