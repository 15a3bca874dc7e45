/* The terminal table: columns as wide as their widest cell, numbers aligned right, text cut
 * with an ellipsis when the table would not fit the terminal. Widths are display columns
 * (utf8proc), so Persian, Cyrillic, CJK and combining marks line up. Control characters never
 * reach the terminal. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kartoteka/alloc.h"
#include "report/report_int.h"

#define MIN_WIDTH 3

/* Appends s made safe for a terminal, cut to at most max display columns (0 = no cut).
 * Returns the columns written. */
static size_t put_safe(kt_buf *out, const char *s, size_t max, kt_status *st, kt_error *err)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t used = 0, full = report_text_width(s);
    int cut = max && full > max;
    while (*p && !*st) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            cp = '?';
            n = 1;
        }
        if (cp == '\n' || cp == '\r' || cp == '\t')
            cp = ' ';
        else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            cp = '?';
        int w = utf8proc_charwidth(cp);
        if (w < 0) w = 0;
        if (cut && used + (size_t)w > max - 1) break;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t len = utf8proc_encode_char(cp, enc);
        *st = kt_buf_append(out, enc, (size_t)len, err);
        used += (size_t)w;
        p += n;
    }
    if (cut && !*st) {
        *st = kt_buf_puts(out, "\xE2\x80\xA6", err);
        used++;
    }
    return used;
}

static kt_status pad(kt_buf *out, size_t n, kt_error *err)
{
    kt_status st = KT_OK;
    while (n-- && !st)
        st = kt_buf_putc(out, ' ', err);
    return st;
}

static kt_status put_cell(kt_buf *out, const char *text, size_t width, int right, int last,
                          kt_error *err)
{
    kt_status st = KT_OK;
    size_t w = report_text_width(text);
    if (right && w < width) st = pad(out, width - w, err);
    if (!st) w = put_safe(out, text, width, &st, err);
    if (!st && !right && !last && w < width) st = pad(out, width - w, err);
    return st;
}

/* Narrows the widest text columns until the table fits. */
static void fit(size_t *w, const int *numeric, size_t n, size_t limit)
{
    size_t total = 0;
    for (size_t j = 0; j < n; j++)
        total += w[j] + (j ? 2 : 0);
    while (total > limit) {
        size_t widest = n;
        for (size_t j = 0; j < n; j++)
            if (!numeric[j] && w[j] > MIN_WIDTH && (widest == n || w[j] > w[widest])) widest = j;
        if (widest == n) break;
        w[widest]--;
        total--;
    }
}

kt_status report_render_table(const kt_report *r, const kt_report_render_opts *o, kt_buf *out,
                              kt_error *err)
{
    const kt_report_table *t = &r->table;
    size_t n = t->ncolumns;
    size_t *w = kt_calloc(n ? n : 1, sizeof *w);
    int *numeric = kt_calloc(n ? n : 1, sizeof *numeric);
    kt_status st = KT_OK;
    if (!w || !numeric) {
        st = kt_error_set(err, KT_NOMEM, "out of memory");
        goto out;
    }
    char buf[64];
    for (size_t j = 0; j < n; j++) {
        w[j] = report_text_width(t->columns[j].name);
        numeric[j] = 1;
        int any = 0;
        for (size_t i = 0; i < t->nrows; i++) {
            const kt_report_cell *c = &t->cells[i * n + j];
            size_t cw = report_text_width(kt_report_cell_text(&t->columns[j], c, buf, sizeof buf));
            if (cw > w[j]) w[j] = cw;
            if (c->kind != KT_CELL_NULL) any = 1;
            if (c->kind != KT_CELL_NULL && !report_cell_numeric(c)) numeric[j] = 0;
        }
        if (!any) numeric[j] = 0;
    }
    if (o && o->width > 0) fit(w, numeric, n, (size_t)o->width);
    put_safe(out, r->title, o && o->width > 0 ? (size_t)o->width : 0, &st, err);
    if (!st) st = kt_buf_putc(out, '\n', err);
    for (size_t j = 0; !st && j < n; j++) {
        if (j) st = kt_buf_puts(out, "  ", err);
        if (!st) st = put_cell(out, t->columns[j].name, w[j], numeric[j], j + 1 == n, err);
    }
    if (!st && n) st = kt_buf_putc(out, '\n', err);
    for (size_t j = 0; !st && j < n; j++) {
        if (j) st = kt_buf_puts(out, "  ", err);
        for (size_t k = 0; !st && k < w[j]; k++)
            st = kt_buf_puts(out, "\xE2\x94\x80", err);
    }
    if (!st && n) st = kt_buf_putc(out, '\n', err);
    for (size_t i = 0; !st && i < t->nrows; i++) {
        for (size_t j = 0; !st && j < n; j++) {
            if (j) st = kt_buf_puts(out, "  ", err);
            const char *text =
                kt_report_cell_text(&t->columns[j], &t->cells[i * n + j], buf, sizeof buf);
            if (!st) st = put_cell(out, text, w[j], numeric[j], j + 1 == n, err);
        }
        if (!st) st = kt_buf_putc(out, '\n', err);
    }
    if (!st) st = kt_buf_printf(out, err, "(%zu row%s)\n", t->nrows, t->nrows == 1 ? "" : "s");
out:
    kt_free(w);
    kt_free(numeric);
    return st;
}
