/* CSV: a header of column names, then the rows; RFC 4180, CRLF. Unless raw, cells a spreadsheet
 * would run as formulas (= + - @ TAB CR first) get a leading apostrophe; plain numbers stay. */
#include "kartoteka/alloc.h"
#include "kartoteka/csv_write.h"
#include "report/report_int.h"

kt_status report_render_csv(const kt_report *r, const kt_report_render_opts *o, kt_buf *out,
                            kt_error *err)
{
    const kt_report_table *t = &r->table;
    int neutralise = !(o && o->raw);
    size_t n = t->ncolumns;
    const char **cells = kt_calloc(n ? n : 1, sizeof *cells);
    char(*bufs)[64] = kt_calloc(n ? n : 1, sizeof *bufs);
    kt_status st = KT_OK;
    if (!cells || !bufs) {
        st = kt_error_set(err, KT_NOMEM, "out of memory");
        goto out;
    }
    for (size_t j = 0; j < n; j++)
        cells[j] = t->columns[j].name;
    if (n) st = kt_csv_write_row(out, cells, n, ',', neutralise, err);
    for (size_t i = 0; !st && i < t->nrows; i++) {
        for (size_t j = 0; j < n; j++)
            cells[j] = kt_report_cell_text(&t->columns[j], &t->cells[i * n + j], bufs[j], 64);
        st = kt_csv_write_row(out, cells, n, ',', neutralise, err);
    }
out:
    kt_free(cells);
    kt_free(bufs);
    return st;
}
