/* The import log (--log FILE): one line per source row — its line, its fate, the record it
 * created or was about, what matched it (a key's fields, or the duplicate score) and every
 * reason it was rejected. CSV, or NDJSON when the name ends in .ndjson, .jsonl or .json. The
 * lines of each fate add up to the summary's counts; a dry run writes the same log. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "import/import_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/csv_write.h"
#include "kartoteka/output.h"
#include "text/json_string.h"

struct imp_log {
    kt_output *out;
    char *path;
    int json;
    kt_buf buf;
};

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

kt_status imp_log_open(kt_ws *ws, const char *path, int replace, imp_log **out, kt_error *err)
{
    *out = NULL;
    imp_log *l = kt_calloc(1, sizeof *l);
    if (!l || !(l->path = kt_strdup(path))) {
        kt_free(l);
        return kt_error_set(err, KT_NOMEM, "out of memory");
    }
    l->json = ends_with(path, ".ndjson") || ends_with(path, ".jsonl") || ends_with(path, ".json");
    /* through the output writer, as the rejects: 0600, whole or not at all, never a workspace file
     */
    kt_status st = kt_output_open(ws, path, replace ? KT_OUTPUT_REPLACE : 0, &l->out, err);
    if (!st && !l->json) st = kt_buf_puts(&l->buf, "line,fate,record,matched_by,reasons\r\n", err);
    if (st) {
        imp_log_close(l, 0, NULL);
        return st;
    }
    *out = l;
    return KT_OK;
}

kt_status imp_reason_put(kt_buf *out, const kt_failure *f, kt_error *err)
{
    return kt_buf_printf(out, err, "%s%s%s", f->field ? f->field : "", f->field ? ": " : "",
                         f->message);
}

/* The row's reasons into to: joined with "; " (for a CSV cell), or as a JSON array. */
static kt_status put_reasons(kt_buf *to, int json, const kt_failures *why, kt_error *err)
{
    kt_buf one = KT_BUF_INIT;
    kt_status st = json ? kt_buf_putc(to, '[', err) : KT_OK;
    size_t n = 0;
    for (size_t i = 0; why && !st && i < why->n; i++) {
        if (why->items[i].severity != KT_SEVERITY_ERROR) continue;
        kt_buf_reset(&one);
        st = imp_reason_put(&one, &why->items[i], err);
        if (!st && n++) st = kt_buf_puts(to, json ? ", " : "; ", err);
        if (!st)
            st = json ? kt_text_put_json_string(to, kt_buf_str(&one), NULL, err)
                      : kt_buf_puts(to, kt_buf_str(&one), err);
    }
    kt_buf_free(&one);
    return st || !json ? st : kt_buf_putc(to, ']', err);
}

static kt_status put_csv(imp_log *l, const imp_log_entry *r, kt_error *err)
{
    kt_buf why = KT_BUF_INIT;
    kt_status st = kt_buf_printf(&l->buf, err, "%ld,%s,", r->line, r->fate);
    if (!st && r->record) st = kt_buf_printf(&l->buf, err, "%lld", (long long)r->record);
    if (!st) st = kt_buf_putc(&l->buf, ',', err);
    if (!st) st = kt_csv_write_cell(&l->buf, r->matched_by, ',', 0, err);
    if (!st) st = kt_buf_putc(&l->buf, ',', err);
    if (!st) st = put_reasons(&why, 0, r->why, err);
    if (!st) st = kt_csv_write_cell(&l->buf, kt_buf_str(&why), ',', 0, err);
    kt_buf_free(&why);
    return st ? st : kt_buf_puts(&l->buf, "\r\n", err);
}

static kt_status put_json(imp_log *l, const imp_log_entry *r, kt_error *err)
{
    kt_status st = kt_buf_printf(
        &l->buf, err, "{\"line\": %ld, \"fate\": \"%s\", \"record\": ", r->line, r->fate);
    if (!st)
        st = r->record ? kt_buf_printf(&l->buf, err, "\"%lld\"", (long long)r->record)
                       : kt_buf_puts(&l->buf, "null", err);
    if (!st) st = kt_buf_puts(&l->buf, ", \"matched_by\": ", err);
    if (!st)
        st = *r->matched_by ? kt_text_put_json_string(&l->buf, r->matched_by, NULL, err)
                            : kt_buf_puts(&l->buf, "null", err);
    if (!st) st = kt_buf_puts(&l->buf, ", \"reasons\": ", err);
    if (!st) st = put_reasons(&l->buf, 1, r->why, err);
    return st ? st : kt_buf_puts(&l->buf, "}\n", err);
}

kt_status imp_log_row(imp_log *l, const imp_log_entry *row, kt_error *err)
{
    kt_status st = l->json ? put_json(l, row, err) : put_csv(l, row, err);
    if (!st && fwrite(l->buf.data, 1, l->buf.len, kt_output_file(l->out)) != l->buf.len)
        st = kt_error_set(err, KT_IO, "writing %s: %s", l->path, strerror(errno));
    kt_buf_reset(&l->buf);
    return st;
}

kt_status imp_log_sync(imp_log *l, kt_error *err)
{
    return l ? kt_output_sync(l->out, err) : KT_OK;
}

kt_status imp_log_close(imp_log *l, int keep, kt_error *err)
{
    if (!l) return KT_OK;
    kt_status st = KT_OK;
    if (l->out && keep)
        st = kt_output_commit(l->out, err);
    else
        kt_output_abort(l->out);
    kt_buf_free(&l->buf);
    kt_free(l->path);
    kt_free(l);
    return st;
}
