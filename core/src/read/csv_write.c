/* The mirror of the CSV reader: cells out, quoted per RFC 4180, formulas defused on request. */
#include "kartoteka/csv_write.h"

#include <string.h>

static int plain_number(const char *s)
{
    if (*s == '+' || *s == '-') s++;
    size_t a = strspn(s, "0123456789");
    if (!a) return 0;
    s += a;
    if (*s == '.' || *s == ',') {
        size_t b = strspn(s + 1, "0123456789");
        if (!b) return 0;
        s += 1 + b;
    }
    return *s == '\0';
}

int kt_csv_is_dangerous(const char *v)
{
    return v && v[0] && strchr("=+-@\t\r", v[0]) && !plain_number(v);
}

kt_status kt_csv_write_cell(kt_buf *out, const char *value, char delimiter, int neutralise,
                            kt_error *err)
{
    const char *v = value ? value : "";
    size_t start = out->len;
    int quote =
        strchr(v, '"') || strchr(v, '\r') || strchr(v, '\n') || (delimiter && strchr(v, delimiter));
    kt_status st = KT_OK;
    if (quote) st = kt_buf_putc(out, '"', err);
    if (!st && neutralise && kt_csv_is_dangerous(v)) st = kt_buf_putc(out, '\'', err);
    for (const char *p = v; !st && *p;) {
        const char *q = strchr(p, '"');
        size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
        st = kt_buf_append(out, p, n, err);
        if (!st && q) st = kt_buf_putc(out, '"', err);
        p += n;
    }
    if (!st && quote) st = kt_buf_putc(out, '"', err);
    if (st && out->data) out->data[out->len = start] = '\0';
    return st;
}

kt_status kt_csv_write_row(kt_buf *out, const char *const *values, size_t count, char delimiter,
                           int neutralise, kt_error *err)
{
    size_t start = out->len;
    kt_status st = KT_OK;
    for (size_t i = 0; i < count && !st; i++) {
        if (i) st = kt_buf_putc(out, delimiter, err);
        if (!st) st = kt_csv_write_cell(out, values[i], delimiter, neutralise, err);
    }
    if (!st) st = kt_buf_puts(out, "\r\n", err);
    if (st && out->data) out->data[out->len = start] = '\0';
    return st;
}
