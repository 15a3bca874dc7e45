/* The built-in "json" reader: a top-level array of flat objects, streamed one element at a
 * time. A small scanner finds where each element ends (strings, escapes, nesting), so only one
 * element is ever in memory, bounded by max_record; cJSON then parses that element. A file
 * holding one object instead of an array is read as a single row. */
#include <cjson/cJSON.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "read/read_int.h"

typedef struct json_rd {
    rd_base base;
    rd_limits lim;
    rd_decoder *dec;
    const char *data;
    size_t len, pos;
    kt_buf elem;
    rd_cells keys, vals;
    long line, elem_line;
    size_t depth;
    int state; /* 0 before '[', 1 between elements, 2 inside one, 3 after ']', 4 end */
    int single, str, esc, failed;
} json_rd;

static void json_close(void *h)
{
    json_rd *r = h;
    if (!r) return;
    rd_dec_close(r->dec);
    kt_buf_free(&r->elem);
    rd_cells_free(&r->keys);
    rd_cells_free(&r->vals);
    kt_free(r);
}

static void *json_open(void *ud, const char *path, const kt_plugin_reader_opts *opts, char *msg,
                       size_t msg_size)
{
    json_rd *r = kt_calloc(1, sizeof *r);
    if (!r) return rd_open_nomem(ud, path, msg, msg_size);
    r->base.magic = rd_magic;
    r->line = 1;
    rd_limits_resolve(&r->lim, opts, ud);
    r->elem.max = r->lim.max_record;
    if (rd_dec_open(path, r->lim.encoding, &r->dec, &r->base.err)) {
        rd_open_failed(&r->base, ud, msg, msg_size);
        json_close(r);
        return NULL;
    }
    r->base.dec = r->dec;
    return r;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static kt_status bad(json_rd *r, kt_status code, const char *what)
{
    return kt_error_set(&r->base.err, code, "%s: line %ld: %s", rd_dec_path(r->dec), r->line, what);
}

/* Feeds bytes to the scanner until an element is complete (1), the array ends (0) or a
 * failure. */
static kt_status scan(json_rd *r, int *got)
{
    *got = 0;
    kt_error *err = &r->base.err;
    for (;;) {
        if (r->pos == r->len) {
            kt_status st = rd_dec_read(r->dec, &r->data, &r->len, err);
            if (st) return st;
            r->pos = 0;
            if (!r->len) {
                if (r->state == 0) return bad(r, KT_INVALID, "empty file, expected a JSON array");
                if (r->state == 3 || (r->single && r->state == 1)) return r->state = 4, KT_OK;
                return bad(r, KT_INVALID, "the file ends inside the JSON array (a missing ] or })");
            }
        }
        char c = r->data[r->pos];
        if (c == '\n') r->line++;
        if (r->state == 2) {
            if (r->elem.len >= r->lim.max_record)
                return kt_error_set(err, KT_LIMIT,
                                    "%s: line %ld: an element longer than the "
                                    "limit of %zu bytes (raise max_record)",
                                    rd_dec_path(r->dec), r->elem_line, r->lim.max_record);
            kt_status st = kt_buf_putc(&r->elem, c, err);
            if (st) return st;
            r->pos++;
            if (r->str) {
                if (r->esc)
                    r->esc = 0;
                else if (c == '\\')
                    r->esc = 1;
                else if (c == '"')
                    r->str = 0;
            } else if (c == '"') {
                r->str = 1;
            } else if (c == '{' || c == '[') {
                if (++r->depth > r->lim.max_depth)
                    return bad(r, KT_LIMIT, "JSON nested deeper than the limit (raise max_depth)");
            } else if (c == '}' || c == ']') {
                if (--r->depth == 0) {
                    r->state = r->single ? 3 : 1;
                    return *got = 1, KT_OK;
                }
            }
            continue;
        }
        r->pos++;
        if (is_ws(c) || (c == ',' && r->state == 1 && !r->single)) continue;
        if (r->state == 0 && (c == '[' || c == '{')) {
            if (c == '[') {
                r->state = 1;
                continue;
            }
            r->single = 1;
        } else if (r->state == 1 && c == ']' && !r->single) {
            r->state = 3;
            continue;
        } else if (r->state != 1 || c != '{') {
            return bad(r, KT_INVALID,
                       r->state == 3 ? "text after the end of the JSON array"
                                     : "expected a JSON object, an array of "
                                       "objects");
        }
        r->state = 2;
        r->depth = 1;
        r->elem_line = r->line;
        kt_buf_reset(&r->elem);
        kt_status st = kt_buf_putc(&r->elem, '{', err);
        if (st) return st;
    }
}

static int json_next(void *h, kt_plugin_row *row, char *msg, size_t msg_size)
{
    json_rd *r = h;
    if (r->failed) return rd_fail(&r->base, msg, msg_size);
    if (r->state == 4) return 0;
    int got;
    kt_status st = scan(r, &got);
    if (st) goto fail;
    if (!got) return 0;
    long at;
    if (rd_json_no_nul(r->elem.data, r->elem.len, &at, &r->base.err)) {
        kt_error_prefix(&r->base.err, "%s: line %ld: ", rd_dec_path(r->dec), r->elem_line + at);
        goto fail;
    }
    cJSON *obj = cJSON_ParseWithLength(r->elem.data, r->elem.len);
    if (!obj) {
        kt_error_set(&r->base.err, KT_INVALID, "%s: line %ld: malformed JSON object",
                     rd_dec_path(r->dec), r->elem_line);
        goto fail;
    }
    st = rd_json_row(obj, &r->keys, &r->vals, r->lim.max_fields, r->lim.max_cell, &r->base.err);
    cJSON_Delete(obj);
    if (st) {
        kt_error_prefix(&r->base.err, "%s: line %ld: ", rd_dec_path(r->dec), r->elem_line);
        goto fail;
    }
    row->count = r->keys.count;
    row->keys = r->keys.ptr ? r->keys.ptr : rd_no_keys;
    row->values = r->vals.ptr;
    row->line = r->elem_line;
    return 1;
fail:
    r->failed = 1;
    return rd_fail(&r->base, msg, msg_size);
}

const kt_plugin_reader rd_json_reader = {"json", "json", json_open, json_next, json_close, NULL};
