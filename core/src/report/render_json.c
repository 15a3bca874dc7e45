/* JSON: an array of row objects, keys in column order. Written by hand rather than with cJSON
 * so that decimals come out exactly as stored (29076700.00 is a JSON number with its two
 * places, never a binary float's 29076700 or 29076699.999999996). */
#include <math.h>
#include <stdio.h>

#include <utf8proc.h>

#include "report/report_int.h"

static kt_status put_string(kt_buf *out, const char *s, kt_error *err)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    kt_status st = kt_buf_putc(out, '"', err);
    while (*p && !st) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) { /* not UTF-8: the replacement character keeps the JSON valid */
            st = kt_buf_puts(out, "\\ufffd", err);
            p++;
            continue;
        }
        switch (cp) {
        case '"':
            st = kt_buf_puts(out, "\\\"", err);
            break;
        case '\\':
            st = kt_buf_puts(out, "\\\\", err);
            break;
        case '\n':
            st = kt_buf_puts(out, "\\n", err);
            break;
        case '\r':
            st = kt_buf_puts(out, "\\r", err);
            break;
        case '\t':
            st = kt_buf_puts(out, "\\t", err);
            break;
        default:
            if (cp < 0x20 || cp == 0x2028 || cp == 0x2029)
                st = kt_buf_printf(out, err, "\\u%04x", (unsigned)cp);
            else
                st = kt_buf_append(out, p, (size_t)n, err);
        }
        p += n;
    }
    return st ? st : kt_buf_putc(out, '"', err);
}

static kt_status put_cell(kt_buf *out, const kt_report_column *c, const kt_report_cell *cell,
                          kt_error *err)
{
    char buf[64];
    switch (cell->kind) {
    case KT_CELL_NULL:
        return kt_buf_puts(out, "null", err);
    case KT_CELL_TEXT:
        return put_string(out, cell->text, err);
    case KT_CELL_REAL:
        if (!isfinite(cell->r)) return kt_buf_puts(out, "null", err);
        /* full precision: a reader recomputing a class gets the same double */
        {
            kt_report_column plain = *c;
            plain.digits = -1;
            return kt_buf_puts(out, kt_report_cell_text(&plain, cell, buf, sizeof buf), err);
        }
    default:
        return kt_buf_puts(out, kt_report_cell_text(c, cell, buf, sizeof buf), err);
    }
}

kt_status report_render_json(const kt_report *r, kt_buf *out, kt_error *err)
{
    const kt_report_table *t = &r->table;
    size_t n = t->ncolumns;
    kt_status st = kt_buf_putc(out, '[', err);
    for (size_t i = 0; !st && i < t->nrows; i++) {
        st = kt_buf_puts(out, i ? ",\n  {" : "\n  {", err);
        for (size_t j = 0; !st && j < n; j++) {
            if (j) st = kt_buf_puts(out, ", ", err);
            if (!st) st = put_string(out, t->columns[j].name, err);
            if (!st) st = kt_buf_puts(out, ": ", err);
            if (!st) st = put_cell(out, &t->columns[j], &t->cells[i * n + j], err);
        }
        if (!st) st = kt_buf_putc(out, '}', err);
    }
    if (!st) st = kt_buf_puts(out, t->nrows ? "\n]\n" : "]\n", err);
    return st;
}
