/* The convenience layer over any reader: a keyless format's first row becomes the header
 * (unique, non-empty names), every row comes out with keys, values, raw cells and its line,
 * and failures become kt_error with the reader's own status where it is a built-in. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "read/read_int.h"

struct kt_reader {
    const kt_plugin_reader *r;
    void *h;
    char *path;
    int builtin, no_header, header_done;
    long records;
    rd_cells header;
    const char **vals;
    size_t vals_cap;
    kt_read_row row;
    kt_status final;
    kt_error final_err;
};

static int taken(const rd_cells *h, const char *name)
{
    for (size_t i = 0; i < h->count; i++)
        if (!strcmp(h->text.data + h->off[i], name)) return 1;
    return 0;
}

/* Adds a header name: trimmed; "colN" when empty; "name_2", "name_3" for repeats. */
static kt_status add_key(rd_cells *h, const char *s, kt_error *err)
{
    char tmp[64];
    size_t n = s ? strlen(s) : 0;
    if (h->count == 0 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) s += 3, n -= 3;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    kt_buf name = KT_BUF_INIT;
    kt_status st;
    if (n)
        st = kt_buf_append(&name, s, n, err);
    else
        st = kt_buf_printf(&name, err, "col%zu", h->count + 1);
    for (unsigned k = 2; !st && taken(h, kt_buf_str(&name)); k++) {
        snprintf(tmp, sizeof tmp, "_%u", k);
        kt_buf_reset(&name);
        if (n)
            st = kt_buf_append(&name, s, n, err);
        else
            st = kt_buf_printf(&name, err, "col%zu", h->count + 1);
        if (!st) st = kt_buf_puts(&name, tmp, err);
    }
    if (!st) st = rd_cells_add(h, name.data, name.len, err);
    kt_buf_free(&name);
    return st;
}

static kt_status fail(kt_reader *rd, kt_status code, const kt_error *e, kt_error *err)
{
    rd->final = code;
    rd->final_err = *e;
    rd->final_err.code = code;
    if (err) *err = rd->final_err;
    return code;
}

static kt_status from_plugin(kt_reader *rd, const char *msg, kt_error *err)
{
    kt_error e;
    kt_error_clear(&e);
    if (rd->builtin) {
        e = ((const rd_base *)rd->h)->err;
        return fail(rd, e.code ? e.code : KT_INVALID, &e, err);
    }
    kt_status code = strstr(msg, "raise max_") ? KT_LIMIT : KT_INVALID;
    kt_error_set(&e, code, "%s: %s", rd->path, msg);
    kt_error_where(&e, "reader %s", rd->r->name);
    return fail(rd, code, &e, err);
}

static kt_status keyless(kt_reader *rd, const kt_plugin_row *pr, kt_error *err)
{
    kt_error e;
    kt_error_clear(&e);
    kt_status st = KT_OK;
    while (!st && rd->header.count < pr->count)
        st = add_key(&rd->header, NULL, &e);
    if (!st) st = rd_cells_finish(&rd->header, &e);
    size_t n = rd->header.count;
    if (!st && n > rd->vals_cap) {
        const char **v = kt_realloc(rd->vals, n * sizeof *v);
        if (!v)
            st = kt_error_set(&e, KT_NOMEM, "out of memory for a row of %zu cells", n);
        else
            rd->vals = v, rd->vals_cap = n;
    }
    if (st) return fail(rd, st, &e, err);
    for (size_t i = 0; i < n; i++)
        rd->vals[i] = i < pr->count ? pr->values[i] : NULL;
    rd->row.count = n;
    rd->row.keys = rd->header.ptr;
    rd->row.values = rd->vals;
    return KT_OK;
}

kt_status kt_reader_next(kt_reader *rd, const kt_read_row **row, kt_error *err)
{
    *row = NULL;
    if (rd->final) {
        if (err) *err = rd->final_err;
        return rd->final;
    }
    char msg[KT_ERROR_MESSAGE_MAX] = "";
    kt_plugin_row pr;
    for (;;) {
        memset(&pr, 0, sizeof pr);
        int k = rd->r->next(rd->h, &pr, msg, sizeof msg);
        if (k < 0) return from_plugin(rd, msg, err);
        if (k == 0) {
            kt_error e;
            kt_error_set(&e, KT_NOTFOUND, "%s: no more rows", rd->path);
            return fail(rd, KT_NOTFOUND, &e, err);
        }
        if (pr.keys || rd->header_done || rd->no_header) break;
        kt_error e;
        kt_error_clear(&e);
        kt_status st = KT_OK;
        for (size_t i = 0; !st && i < pr.count; i++)
            st = add_key(&rd->header, pr.values[i], &e);
        if (!st) st = rd_cells_finish(&rd->header, &e);
        if (st) return fail(rd, st, &e, err);
        rd->header_done = 1;
        rd->records++;
    }
    if (pr.keys) {
        rd->row.count = pr.count;
        rd->row.keys = pr.keys;
        rd->row.values = pr.values;
    } else {
        kt_status st = keyless(rd, &pr, err);
        if (st) return st;
    }
    rd->row.raw_count = pr.count;
    rd->row.raw = pr.values;
    rd->row.line = pr.line;
    rd->row.record = ++rd->records;
    *row = &rd->row;
    return KT_OK;
}

kt_status kt_reader_open_with(const kt_plugin_reader *r, const char *path, const kt_read_opts *opts,
                              kt_reader **out, kt_error *err)
{
    *out = NULL;
    static const kt_read_opts none;
    if (!opts) opts = &none;
    kt_reader *rd = kt_calloc(1, sizeof *rd);
    if (!rd || !(rd->path = kt_strdup(path))) {
        kt_free(rd);
        return kt_error_set(err, KT_NOMEM, "out of memory opening %s", path);
    }
    rd->r = r;
    rd->builtin = rd_is_builtin(r);
    rd->no_header = opts->no_header;
    rd_limits lim;
    rd_limits_resolve(&lim, NULL, &(rd_open_ctx){opts, NULL});
    kt_plugin_reader_opts popts = {lim.encoding, lim.sheet, lim.max_cell, lim.max_fields,
                                   lim.max_total};
    char msg[KT_ERROR_MESSAGE_MAX] = "";
    kt_error e;
    kt_error_clear(&e);
    rd_open_ctx ctx = {opts, &e};
    rd->h = r->open(rd->builtin ? &ctx : r->ud, path, &popts, msg, sizeof msg);
    if (!rd->h) {
        if (!rd->builtin || !e.code) {
            kt_error_set(&e, strstr(msg, "raise max_") ? KT_LIMIT : KT_INVALID, "%s: %s", path,
                         msg[0] ? msg : "cannot be opened");
            kt_error_where(&e, "reader %s", r->name);
        }
        if (err) *err = e;
        kt_reader_close(rd);
        return e.code;
    }
    *out = rd;
    return KT_OK;
}

const char *const *kt_reader_header(const kt_reader *rd, size_t *count)
{
    if (count) *count = rd->header_done ? rd->header.count : 0;
    return rd->header_done ? rd->header.ptr : NULL;
}

const char *kt_reader_format(const kt_reader *rd)
{
    return rd->r->name;
}

const char *kt_reader_encoding(const kt_reader *rd)
{
    const rd_base *b = rd->builtin ? rd->h : NULL;
    return b && b->dec ? rd_dec_encoding(b->dec) : NULL;
}

double kt_reader_encoding_confidence(const kt_reader *rd, int *detected)
{
    const rd_base *b = rd->builtin ? rd->h : NULL;
    if (detected) *detected = 0;
    return b && b->dec ? rd_dec_confidence(b->dec, detected) : 1;
}

void kt_reader_close(kt_reader *rd)
{
    if (!rd) return;
    if (rd->h) rd->r->close(rd->h);
    rd_cells_free(&rd->header);
    kt_free(rd->vals);
    kt_free(rd->path);
    kt_free(rd);
}
