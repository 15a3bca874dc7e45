/* JSON: an array of row objects, keys in column order. Written by hand rather than with cJSON
 * so that decimals come out exactly as stored (29076700.00 is a JSON number with its two
 * places, never a binary float's 29076700 or 29076699.999999996). */
#include <math.h>
#include <stdio.h>

#include "report/report_int.h"
#include "text/json_string.h"

static kt_status put_cell(kt_buf *out, const kt_report_column *c, const kt_report_cell *cell,
                          kt_error *err)
{
    char buf[64];
    switch (cell->kind) {
    case KT_CELL_NULL:
        return kt_buf_puts(out, "null", err);
    case KT_CELL_TEXT:
        return kt_text_put_json_string(out, cell->text, NULL, err);
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
            if (!st) st = kt_text_put_json_string(out, t->columns[j].name, NULL, err);
            if (!st) st = kt_buf_puts(out, ": ", err);
            if (!st) st = put_cell(out, &t->columns[j], &t->cells[i * n + j], err);
        }
        if (!st) st = kt_buf_putc(out, '}', err);
    }
    if (!st) st = kt_buf_puts(out, t->nrows ? "\n]\n" : "]\n", err);
    return st;
}
