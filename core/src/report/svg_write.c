/* SVG charts written by Kartoteka itself: a standalone file any browser or viewer opens, text
 * escaped for XML (characters XML 1.0 forbids are dropped, broken UTF-8 replaced). */
#include <string.h>

#include <utf8proc.h>

#include "kartoteka/text.h"
#include "report/report_int.h"

kt_status svg_text_escaped(kt_buf *out, const char *s, kt_error *err)
{
    return kt_text_xml_escaped(out, s, err);
}

kt_status svg_begin(kt_buf *out, int width, int height, const char *title, kt_error *err)
{
    kt_status st = kt_buf_printf(
        out, err,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"13\">\n"
        "<title>",
        width, height, width, height);
    if (!st) st = svg_text_escaped(out, title, err);
    if (!st)
        st = kt_buf_printf(out, err,
                           "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
                           "<text x=\"%d\" y=\"28\" text-anchor=\"middle\" font-size=\"18\" "
                           "font-weight=\"bold\">",
                           width, height, width / 2);
    if (!st) st = svg_text_escaped(out, title, err);
    if (!st) st = kt_buf_puts(out, "</text>\n", err);
    return st;
}

kt_status svg_end(kt_buf *out, kt_error *err)
{
    return kt_buf_puts(out, "</svg>\n", err);
}

/* Chart data columns are label, value, note in that order (see report_chart.c). */
double svg_row_value(const kt_report_chart *c, size_t row)
{
    const kt_report_table *t = &c->data;
    if (t->ncolumns < 2 || row >= t->nrows) return 0;
    const kt_report_cell *cell = &t->cells[row * t->ncolumns + 1];
    double v = cell->kind == KT_CELL_INT    ? (double)cell->i
               : cell->kind == KT_CELL_REAL ? cell->r
                                            : 0;
    for (int s = 0; s < t->columns[1].scale; s++)
        v /= 10;
    return v > 0 ? v : 0;
}

const char *svg_row_text(const kt_report_chart *c, const char *column, size_t row, char *buf,
                         size_t size)
{
    const kt_report_table *t = &c->data;
    int j = report_column_index(t, column);
    if (j < 0 || row >= t->nrows) return "";
    return kt_report_cell_text(&t->columns[j], &t->cells[row * t->ncolumns + (size_t)j], buf, size);
}

kt_status report_render_svg(const kt_report *r, kt_buf *out, kt_error *err)
{
    if (!r->chart)
        return kt_error_set(err, KT_INVALID,
                            "report %s draws no chart: use --format table, csv or json", r->name);
    if (strcmp(r->chart->kind, "funnel") == 0) return svg_funnel(r->chart, out, err);
    return svg_bar(r->chart, out, err);
}

kt_status svg_text_cut(kt_buf *out, const char *s, size_t max, kt_error *err)
{
    if (report_text_width(s) <= max) return svg_text_escaped(out, s, err);
    char cut[1024];
    size_t len = 0, w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) n = 1, cp = '?';
        int cw = utf8proc_charwidth(cp);
        if (w + (size_t)(cw > 0 ? cw : 0) > max - 1 || len + (size_t)n + 4 > sizeof cut) break;
        memcpy(cut + len, p, (size_t)n);
        len += (size_t)n;
        w += (size_t)(cw > 0 ? cw : 0);
        p += n;
    }
    memcpy(cut + len, "\xE2\x80\xA6", 4);
    return svg_text_escaped(out, cut, err);
}
