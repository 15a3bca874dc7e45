/* Small pieces every built-in reader shares: limits, the cell row, line splitting. */
#include <stdint.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "read/read_int.h"

const char rd_magic[] = "kt-builtin-reader";

static size_t pick(size_t a, size_t b, size_t dflt)
{
    return a ? a : b ? b : dflt;
}

void rd_limits_resolve(rd_limits *l, const kt_plugin_reader_opts *popts, const void *ud)
{
    static const kt_plugin_reader_opts no_popts;
    static const kt_read_opts no_opts;
    const rd_open_ctx *ctx = ud;
    const kt_read_opts *opts = ctx && ctx->opts ? ctx->opts : &no_opts;
    if (!popts) popts = &no_popts;
    l->max_cell = pick(opts->max_cell, popts->max_cell, KT_READ_MAX_CELL);
    l->max_fields = pick(opts->max_fields, popts->max_fields, KT_READ_MAX_FIELDS);
    l->max_total = pick(opts->max_total, popts->max_total, KT_READ_MAX_TOTAL);
    l->max_record = pick(opts->max_record, 0, KT_READ_MAX_RECORD);
    l->max_depth = pick(opts->max_depth, 0, KT_READ_MAX_DEPTH);
    l->max_entries = pick(opts->max_entries, 0, KT_READ_MAX_ENTRIES);
    l->encoding = opts->encoding ? opts->encoding : popts->encoding;
    l->sheet = opts->sheet ? opts->sheet : popts->sheet;
    l->delimiter = opts->delimiter;
    l->lenient = opts->lenient;
}

int rd_fail(rd_base *b, char *msg, size_t msg_size)
{
    if (msg && msg_size) snprintf(msg, msg_size, "%s", b->err.message);
    return -1;
}

void rd_open_failed(rd_base *b, const void *ud, char *msg, size_t msg_size)
{
    const rd_open_ctx *ctx = ud;
    if (ctx && ctx->err) *ctx->err = b->err;
    rd_fail(b, msg, msg_size);
}

void *rd_open_nomem(const void *ud, const char *path, char *msg, size_t msg_size)
{
    const rd_open_ctx *ctx = ud;
    if (ctx && ctx->err) kt_error_set(ctx->err, KT_NOMEM, "out of memory opening %s", path);
    if (msg && msg_size) snprintf(msg, msg_size, "out of memory opening %s", path);
    return NULL;
}

kt_status rd_cells_add(rd_cells *c, const char *s, size_t n, kt_error *err)
{
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        size_t *off = kt_realloc(c->off, cap * sizeof *off);
        if (!off) return kt_error_set(err, KT_NOMEM, "out of memory for a row of %zu cells", cap);
        c->off = off;
        const char **ptr = kt_realloc(c->ptr, cap * sizeof *ptr);
        if (!ptr) return kt_error_set(err, KT_NOMEM, "out of memory for a row of %zu cells", cap);
        c->ptr = ptr;
        c->cap = cap;
    }
    /* The limits are enforced by the readers; the buffer only guards against overflow. */
    c->text.max = SIZE_MAX / 2;
    if (!s) {
        c->off[c->count++] = SIZE_MAX;
        return KT_OK;
    }
    size_t at = c->text.len;
    kt_status st = kt_buf_append(&c->text, s, n, err);
    if (!st) st = kt_buf_putc(&c->text, '\0', err);
    if (st) return st;
    c->off[c->count++] = at;
    return KT_OK;
}

void rd_cells_reset(rd_cells *c)
{
    kt_buf_reset(&c->text);
    c->count = 0;
}

kt_status rd_cells_finish(rd_cells *c, kt_error *err)
{
    (void)err;
    for (size_t i = 0; i < c->count; i++)
        c->ptr[i] = c->off[i] == SIZE_MAX ? NULL : c->text.data + c->off[i];
    return KT_OK;
}

void rd_cells_free(rd_cells *c)
{
    kt_buf_free(&c->text);
    kt_free(c->off);
    kt_free(c->ptr);
    memset(c, 0, sizeof *c);
}

kt_status rd_lines_next(rd_lines *l, size_t max, kt_error *err)
{
    kt_buf_reset(&l->line);
    l->line.max = SIZE_MAX / 2;
    if (l->eof) return KT_NOTFOUND;
    int any = 0;
    for (;;) {
        if (l->pos == l->len) {
            kt_status st = rd_dec_read(l->dec, &l->data, &l->len, err);
            if (st) return st;
            l->pos = 0;
            if (l->len == 0) {
                l->eof = 1;
                if (!any) return KT_NOTFOUND;
                l->lineno++;
                break;
            }
        }
        any = 1;
        const char *p = l->data + l->pos;
        size_t avail = l->len - l->pos;
        const char *nl = memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) : avail;
        if (l->line.len + take > max)
            return kt_error_set(err, KT_LIMIT,
                                "%s: line %ld is longer than the limit of %zu bytes "
                                "(raise max_record)",
                                rd_dec_path(l->dec), l->lineno + 1, max);
        kt_status st = kt_buf_append(&l->line, p, take, err);
        if (st) return st;
        l->pos += take;
        if (nl) {
            l->pos++;
            l->lineno++;
            break;
        }
    }
    if (l->line.len && l->line.data[l->line.len - 1] == '\r') l->line.data[--l->line.len] = '\0';
    return KT_OK;
}
