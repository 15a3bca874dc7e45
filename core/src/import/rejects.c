/* The rejects file: one CSV row per rejected source row — its line (what an editor shows), its
 * row (the record's ordinal, header = 1: what a spreadsheet shows), every reason, then the
 * original cells exactly as read (not neutralised: the file is meant to be fixed and imported
 * again). Created 0600: it holds personal data. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/csv_write.h"
#include "kartoteka/output.h"

struct imp_rejects {
    kt_output *out;
    char *path;
    int header_done;
    kt_buf buf;
};

kt_status imp_rejects_open(kt_ws *ws, const char *path, int replace, imp_rejects **out,
                           kt_error *err)
{
    *out = NULL;
    imp_rejects *r = kt_calloc(1, sizeof *r);
    if (!r || !(r->path = kt_strdup(path))) {
        kt_free(r);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    kt_status st = kt_output_open(ws, path, replace ? KT_OUTPUT_REPLACE : 0, &r->out, err);
    if (st) {
        kt_free(r->path);
        kt_free(r);
        return st;
    }
    *out = r;
    return KT_OK;
}

static kt_status flush(imp_rejects *r, kt_error *err)
{
    if (fwrite(r->buf.data, 1, r->buf.len, kt_output_file(r->out)) != r->buf.len)
        return kt_error_set(err, KT_IO, "writing %s: %s", r->path, strerror(errno));
    kt_buf_reset(&r->buf);
    return KT_OK;
}

kt_status imp_rejects_write(imp_rejects *r, const char *const *header, size_t nheader,
                            const kt_read_row *row, const char *reasons, kt_error *err)
{
    kt_status st = KT_OK;
    if (!r->header_done) {
        st = kt_buf_puts(&r->buf, "line,row,reasons", err);
        for (size_t i = 0; !st && header && i < nheader; i++) {
            if (!(st = kt_buf_putc(&r->buf, ',', err)))
                st = kt_csv_write_cell(&r->buf, header[i], ',', 0, err);
        }
        if (!st) st = kt_buf_puts(&r->buf, "\r\n", err);
        r->header_done = 1;
    }
    if (!st) st = kt_buf_printf(&r->buf, err, "%ld,%ld,", row->line, row->record);
    if (!st) st = kt_csv_write_cell(&r->buf, reasons, ',', 0, err);
    for (size_t i = 0; !st && i < row->raw_count; i++) {
        if (!(st = kt_buf_putc(&r->buf, ',', err)))
            st = kt_csv_write_cell(&r->buf, row->raw[i], ',', 0, err);
    }
    if (!st) st = kt_buf_puts(&r->buf, "\r\n", err);
    return st ? st : flush(r, err);
}

kt_status imp_rejects_sync(imp_rejects *r, kt_error *err)
{
    return r ? kt_output_sync(r->out, err) : KT_OK;
}

kt_status imp_rejects_close(imp_rejects *r, int keep, kt_error *err)
{
    if (!r) return KT_OK;
    kt_status st = KT_OK;
    if (keep)
        st = kt_output_commit(r->out, err);
    else
        kt_output_abort(r->out);
    kt_buf_free(&r->buf);
    kt_free(r->path);
    kt_free(r);
    return st;
}
