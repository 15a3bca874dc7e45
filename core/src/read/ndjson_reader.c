/* The built-in "ndjson" reader: one JSON object per line, streamed line by line. */
#include <cjson/cJSON.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "read/read_int.h"

typedef struct nd_rd {
    rd_base base;
    rd_limits lim;
    rd_lines lines;
    rd_cells keys, vals;
    int failed;
} nd_rd;

static void nd_close(void *h)
{
    nd_rd *r = h;
    if (!r) return;
    rd_dec_close(r->lines.dec);
    kt_buf_free(&r->lines.line);
    rd_cells_free(&r->keys);
    rd_cells_free(&r->vals);
    kt_free(r);
}

static void *nd_open(void *ud, const char *path, const kt_plugin_reader_opts *opts, char *msg,
                     size_t msg_size)
{
    nd_rd *r = kt_calloc(1, sizeof *r);
    if (!r) return rd_open_nomem(ud, path, msg, msg_size);
    r->base.magic = rd_magic;
    rd_limits_resolve(&r->lim, opts, ud);
    if (rd_dec_open(path, r->lim.encoding, &r->lines.dec, &r->base.err)) {
        rd_open_failed(&r->base, ud, msg, msg_size);
        nd_close(r);
        return NULL;
    }
    r->base.dec = r->lines.dec;
    return r;
}

static int nd_next(void *h, kt_plugin_row *row, char *msg, size_t msg_size)
{
    nd_rd *r = h;
    kt_error *err = &r->base.err;
    if (r->failed) return rd_fail(&r->base, msg, msg_size);
    for (;;) {
        kt_status st = rd_lines_next(&r->lines, r->lim.max_record, err);
        if (st == KT_NOTFOUND) return 0;
        if (st) goto fail;
        const char *s = kt_buf_str(&r->lines.line);
        size_t n = r->lines.line.len;
        if (r->lines.lineno == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) s += 3, n -= 3;
        if (strspn(s, " \t\r") == n) continue;
        long at;
        st = rd_json_depth(s, n, r->lim.max_depth, err);
        if (!st) st = rd_json_no_nul(s, n, &at, err);
        if (st) goto located;
        cJSON *obj = cJSON_ParseWithLength(s, n);
        if (!obj || !cJSON_IsObject(obj)) {
            cJSON_Delete(obj);
            kt_error_set(err, KT_INVALID, "not a JSON object (NDJSON has one object per line)");
            goto located;
        }
        st = rd_json_row(obj, &r->keys, &r->vals, r->lim.max_fields, r->lim.max_cell, err);
        cJSON_Delete(obj);
        if (st) goto located;
        row->count = r->keys.count;
        row->keys = r->keys.ptr ? r->keys.ptr : rd_no_keys;
        row->values = r->vals.ptr;
        row->line = r->lines.lineno;
        return 1;
    }
located:
    kt_error_prefix(err, "%s: line %ld: ", rd_dec_path(r->lines.dec), r->lines.lineno);
fail:
    r->failed = 1;
    return rd_fail(&r->base, msg, msg_size);
}

const kt_plugin_reader rd_ndjson_reader = {"ndjson", "ndjson,jsonl", nd_open,
                                           nd_next,  nd_close,       NULL};
