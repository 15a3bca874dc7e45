/* A horizontal bar chart: one bar per row, its label on the left, its value (and note) at the
 * end of the bar, a zero axis. Horizontal so long labels (names, sources) stay readable. */
#include "report/report_int.h"

#define WIDTH 900
#define LABEL_RIGHT 260
#define BAR_LEFT 270
#define BAR_MAX 440
#define ROW 26
#define TOP 50
#define MAX_ROWS 500

kt_status svg_bar(const kt_report_chart *c, kt_buf *out, kt_error *err)
{
    size_t n = c->data.nrows > MAX_ROWS ? MAX_ROWS : c->data.nrows;
    int height = TOP + (int)n * ROW + 40;
    double max = 0;
    for (size_t i = 0; i < n; i++)
        if (svg_row_value(c, i) > max) max = svg_row_value(c, i);
    kt_status st = svg_begin(out, WIDTH, height, c->title, err);
    if (!st)
        st = kt_buf_printf(
            out, err,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n"
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">0</text>\n",
            BAR_LEFT, TOP - 6, BAR_LEFT, TOP + (int)n * ROW + 4, BAR_LEFT, TOP + (int)n * ROW + 20);
    for (size_t i = 0; !st && i < n; i++) {
        char lb[64], vb[64], nb[64];
        int y = TOP + (int)i * ROW;
        double v = svg_row_value(c, i);
        double w = max > 0 ? BAR_MAX * v / max : 0;
        st = kt_buf_printf(out, err, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_RIGHT,
                           y + 17);
        if (!st) st = svg_text_cut(out, svg_row_text(c, c->label, i, lb, sizeof lb), 36, err);
        if (!st)
            st = kt_buf_printf(out, err,
                               "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                               "fill=\"#3f6fb5\"/>\n<text x=\"%.1f\" y=\"%d\">",
                               BAR_LEFT, y + 4, w, ROW - 8, BAR_LEFT + w + 6, y + 17);
        if (!st) st = svg_text_escaped(out, svg_row_text(c, c->value, i, vb, sizeof vb), err);
        if (!st && c->note) {
            st = kt_buf_puts(out, " \xC2\xB7 ", err);
            if (!st) st = svg_text_cut(out, c->note, 20, err);
            if (!st) st = kt_buf_putc(out, ' ', err);
            if (!st) st = svg_text_cut(out, svg_row_text(c, c->note, i, nb, sizeof nb), 30, err);
        }
        if (!st) st = kt_buf_puts(out, "</text>\n", err);
    }
    if (!st && c->data.nrows > n)
        st =
            kt_buf_printf(out, err, "<text x=\"%d\" y=\"%d\" fill=\"#444\">… and %zu more</text>\n",
                          BAR_LEFT, height - 8, c->data.nrows - n);
    if (!st) st = svg_end(out, err);
    return st;
}
