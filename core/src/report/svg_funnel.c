/* The funnel drawn as a funnel: the open stages stacked as trapezoids narrowing downwards (each
 * band as wide as its value at the top and as the next stage's at the bottom), every stage named
 * with its value and note; the closing stages (won, lost) drawn beside it as bars on the same
 * scale. */
#include <string.h>

#include "kartoteka/alloc.h"
#include "report/report_int.h"

#define WIDTH 960
#define CX 240
#define FUNNEL_MAX 400.0
#define BAND 56
#define TOP 60
#define LABEL_X 460
#define BESIDE_X 700
#define BESIDE_MAX 230.0
#define MIN_W 6.0

static int is_beside(const kt_report_chart *c, const char *label)
{
    for (size_t i = 0; i < c->nbeside; i++)
        if (strcmp(c->beside[i], label) == 0) return 1;
    return 0;
}

static const char *beside_colour(const char *label)
{
    if (strcmp(label, "won") == 0) return "#2e7d32";
    if (strcmp(label, "lost") == 0) return "#c62828";
    return "#757575";
}

static kt_status stage_text(kt_buf *out, const kt_report_chart *c, size_t row, int x, int y,
                            kt_error *err)
{
    char lb[64], vb[64], nb[64];
    kt_status st =
        kt_buf_printf(out, err, "<text x=\"%d\" y=\"%d\"><tspan font-weight=\"bold\">", x, y);
    if (!st) st = svg_text_cut(out, svg_row_text(c, c->label, row, lb, sizeof lb), 24, err);
    if (!st) st = kt_buf_puts(out, "</tspan> ", err);
    if (!st) st = svg_text_escaped(out, svg_row_text(c, c->value, row, vb, sizeof vb), err);
    if (!st && c->note) {
        st = kt_buf_puts(out, " \xC2\xB7 ", err);
        if (!st) st = svg_text_cut(out, c->note, 20, err);
        if (!st) st = kt_buf_putc(out, ' ', err);
        if (!st) st = svg_text_cut(out, svg_row_text(c, c->note, row, nb, sizeof nb), 24, err);
    }
    if (!st) st = kt_buf_puts(out, "</text>\n", err);
    return st;
}

kt_status svg_funnel(const kt_report_chart *c, kt_buf *out, kt_error *err)
{
    size_t n = c->data.nrows, nopen = 0, nbeside = 0;
    size_t *open = kt_calloc(n ? n : 1, sizeof *open), *side = kt_calloc(n ? n : 1, sizeof *side);
    if (!open || !side) {
        kt_free(open);
        kt_free(side);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    double max = 0;
    char lb[64];
    for (size_t i = 0; i < n; i++) {
        if (is_beside(c, svg_row_text(c, c->label, i, lb, sizeof lb)))
            side[nbeside++] = i;
        else
            open[nopen++] = i;
        if (svg_row_value(c, i) > max) max = svg_row_value(c, i);
    }
    int bottom = TOP + (int)nopen * BAND, side_bottom = TOP + 30 + (int)nbeside * 70;
    int height = (bottom > side_bottom ? bottom : side_bottom) + 30;
    kt_status st = svg_begin(out, WIDTH, height, c->title, err);
    for (size_t k = 0; !st && k < nopen; k++) {
        double top_w = max > 0 ? FUNNEL_MAX * svg_row_value(c, open[k]) / max : 0;
        if (top_w < MIN_W) top_w = MIN_W;
        double bot_w = top_w * 0.7;
        if (k + 1 < nopen) {
            bot_w = max > 0 ? FUNNEL_MAX * svg_row_value(c, open[k + 1]) / max : 0;
            if (bot_w < MIN_W) bot_w = MIN_W;
        }
        int y = TOP + (int)k * BAND;
        int shade = 0x2f + (int)(k * 0x60 / (nopen > 1 ? nopen - 1 : 1));
        st = kt_buf_printf(out, err,
                           "<polygon points=\"%.1f,%d %.1f,%d %.1f,%d %.1f,%d\" "
                           "fill=\"#%02x%02xc8\" stroke=\"#ffffff\" stroke-width=\"2\"/>\n",
                           CX - top_w / 2, y, CX + top_w / 2, y, CX + bot_w / 2, y + BAND,
                           CX - bot_w / 2, y + BAND, shade,
                           shade + 0x30 > 0xff ? 0xff : shade + 0x30);
        if (!st) st = stage_text(out, c, open[k], LABEL_X, y + BAND / 2 + 5, err);
    }
    if (!st && nbeside)
        st = kt_buf_printf(out, err,
                           "<text x=\"%d\" y=\"%d\" fill=\"#444\">closed</text>\n"
                           "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\"/>\n",
                           BESIDE_X, TOP + 4, BESIDE_X - 12, TOP - 10, BESIDE_X - 12, height - 20);
    for (size_t k = 0; !st && k < nbeside; k++) {
        double w = max > 0 ? BESIDE_MAX * svg_row_value(c, side[k]) / max : 0;
        if (w < MIN_W) w = MIN_W;
        int y = TOP + 30 + (int)k * 70;
        st = stage_text(out, c, side[k], BESIDE_X, y, err);
        if (!st)
            st = kt_buf_printf(
                out, err, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"28\" fill=\"%s\"/>\n",
                BESIDE_X, y + 8, w,
                beside_colour(svg_row_text(c, c->label, side[k], lb, sizeof lb)));
    }
    if (!st) st = svg_end(out, err);
    kt_free(open);
    kt_free(side);
    return st;
}
