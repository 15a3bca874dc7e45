#include "kartoteka/value.h"

#include <string.h>

#include "value/value_util.h"

kt_status kt_value_parse_decimal(const char *in, int scale, long long *units, kt_error *err)
{
    return kt_vu_number(in, scale, 0, units, err);
}

void kt_value_format_decimal(long long units, int scale, char *out, size_t out_size)
{
    if (!out || out_size == 0) return;
    if (scale < 0 || scale > KT_DECIMAL_MAX_SCALE) scale = 0;
    /* Through unsigned so that LLONG_MIN has a magnitude. */
    unsigned long long mag =
        units < 0 ? 0ull - (unsigned long long)units : (unsigned long long)units;
    char digits[32];
    int n = 0;
    do {
        digits[n++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag > 0);
    while (n < scale + 1)
        digits[n++] = '0';
    char text[KT_DECIMAL_TEXT_SIZE];
    size_t t = 0;
    if (units < 0) text[t++] = '-';
    while (n > scale)
        text[t++] = digits[--n];
    if (scale > 0) text[t++] = '.';
    while (n > 0)
        text[t++] = digits[--n];
    text[t] = '\0';
    size_t copy = t < out_size - 1 ? t : out_size - 1;
    memcpy(out, text, copy);
    out[copy] = '\0';
}
