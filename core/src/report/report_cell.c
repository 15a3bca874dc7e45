/* A report cell as text: decimals exactly from their scaled integers, floats as asked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "report/report_int.h"

const char *kt_report_decimal_text(long long units, int scale, char *buf, size_t size)
{
    /* unsigned arithmetic so LLONG_MIN has a magnitude too */
    unsigned long long mag =
        units < 0 ? 0ULL - (unsigned long long)units : (unsigned long long)units;
    unsigned long long div = 1;
    if (scale > 18) scale = 18;
    for (int i = 0; i < scale; i++)
        div *= 10;
    if (scale <= 0)
        snprintf(buf, size, "%s%llu", units < 0 ? "-" : "", mag);
    else
        snprintf(buf, size, "%s%llu.%0*llu", units < 0 ? "-" : "", mag / div, scale, mag % div);
    return buf;
}

/* The shortest %g that reads back as the same double. */
static const char *shortest(double v, char *buf, size_t size)
{
    for (int p = 15; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}

const char *kt_report_cell_text(const kt_report_column *c, const kt_report_cell *cell, char *buf,
                                size_t size)
{
    switch (cell->kind) {
    case KT_CELL_NULL:
        return "";
    case KT_CELL_TEXT:
        return cell->text;
    case KT_CELL_BOOL:
        return cell->i ? "true" : "false";
    case KT_CELL_INT:
        if (c && c->scale > 0) return kt_report_decimal_text(cell->i, c->scale, buf, size);
        snprintf(buf, size, "%lld", cell->i);
        return buf;
    case KT_CELL_REAL:
        if (!isfinite(cell->r)) return "";
        if (c && c->digits >= 0) {
            snprintf(buf, size, "%.*f", c->digits > 17 ? 17 : c->digits, cell->r);
            return buf;
        }
        return shortest(cell->r, buf, size);
    }
    return "";
}

int report_cell_numeric(const kt_report_cell *c)
{
    return c->kind == KT_CELL_INT || c->kind == KT_CELL_REAL;
}

int report_column_index(const kt_report_table *t, const char *name)
{
    for (size_t i = 0; name && i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0) return (int)i;
    return -1;
}

void report_table_clear(kt_report_table *t)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        kt_free(t->columns[i].name);
    for (size_t i = 0; t->cells && i < t->nrows * t->ncolumns; i++)
        kt_free(t->cells[i].text);
    kt_free(t->columns);
    kt_free(t->cells);
    memset(t, 0, sizeof *t);
}
