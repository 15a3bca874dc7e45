/* The built-in "csv" reader: libcsv over the decoder, fed one physical line at a time so each
 * row knows the line it starts on, and so a cell over the limit is caught while it grows.
 * Completed rows wait in a small queue (one row, except for files with bare CR line ends). */
#include <csv.h>
#include <string.h>

#include "kartoteka/alloc.h"
#include "read/read_int.h"

typedef struct slot {
    rd_cells cells;
    long line;
} slot;

typedef struct csv_rd {
    rd_base base;
    rd_limits lim;
    rd_decoder *dec;
    struct csv_parser p;
    int p_ready, delim_known, in_row, eof, failed, returned;
    slot *q;
    size_t qhead, qlen, qcap; /* q[qlen] is the row being read */
    long line, row_start;
    size_t row_bytes;
    const char *pending;
    size_t pending_len;
} csv_rd;

static int no_space(unsigned char c)
{
    (void)c;
    return 0; /* keep cells byte for byte: trimming is the import script's choice */
}

static kt_status grow_queue(csv_rd *r)
{
    if (r->qlen + 1 < r->qcap) return KT_OK;
    size_t cap = r->qcap ? r->qcap * 2 : 4;
    slot *q = kt_realloc(r->q, cap * sizeof *q);
    if (!q) return kt_error_set(&r->base.err, KT_NOMEM, "out of memory for the row queue");
    memset(q + r->qcap, 0, (cap - r->qcap) * sizeof *q);
    r->q = q;
    r->qcap = cap;
    return KT_OK;
}

static void on_cell(void *s, size_t len, void *data)
{
    csv_rd *r = data;
    if (r->failed) return;
    if (!r->in_row) r->in_row = 1, r->row_start = r->line;
    rd_cells *c = &r->q[r->qlen].cells;
    if (c->count >= r->lim.max_fields) {
        kt_error_set(&r->base.err, KT_LIMIT,
                     "%s: line %ld: more than %zu cells in a row (raise max_fields)",
                     rd_dec_path(r->dec), r->row_start, r->lim.max_fields);
        r->failed = 1;
        return;
    }
    if (len > r->lim.max_cell) {
        kt_error_set(&r->base.err, KT_LIMIT,
                     "%s: line %ld: a cell longer than the limit of %zu bytes (raise max_cell)",
                     rd_dec_path(r->dec), r->row_start, r->lim.max_cell);
        r->failed = 1;
        return;
    }
    if (rd_cells_add(c, s ? s : "", len, &r->base.err)) r->failed = 1;
}

static void on_row(int term, void *data)
{
    csv_rd *r = data;
    (void)term;
    if (r->failed) return;
    slot *sl = &r->q[r->qlen];
    sl->line = r->row_start;
    rd_cells_finish(&sl->cells, &r->base.err);
    r->qlen++;
    r->in_row = 0;
    r->row_bytes = 0;
    if (grow_queue(r))
        r->failed = 1;
    else
        rd_cells_reset(&r->q[r->qlen].cells);
}

static char detect_delimiter(const char *s, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ',')
            comma++;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab) return ';';
    if (tab > comma && tab > semi) return '\t';
    return ',';
}

static kt_status fail(csv_rd *r, kt_status code, const char *what)
{
    r->failed = 1;
    return kt_error_set(&r->base.err, code, "%s: line %ld: %s", rd_dec_path(r->dec), r->line, what);
}

static kt_status feed(csv_rd *r)
{
    kt_error *err = &r->base.err;
    if (!r->pending_len) {
        kt_status st = rd_dec_read(r->dec, &r->pending, &r->pending_len, err);
        if (st) return r->failed = 1, st;
        if (!r->pending_len) {
            r->eof = 1;
            if (csv_fini(&r->p, on_cell, on_row, r) != 0 && !r->failed) {
                r->failed = 1;
                return kt_error_set(err, KT_INVALID,
                                    "%s: line %ld: a quoted cell is never closed (a missing "
                                    "closing \")",
                                    rd_dec_path(r->dec), r->row_start);
            }
            return r->failed ? err->code : KT_OK;
        }
        if (!r->delim_known) {
            char d =
                r->lim.delimiter ? r->lim.delimiter : detect_delimiter(r->pending, r->pending_len);
            csv_set_delim(&r->p, (unsigned char)d);
            r->delim_known = 1;
        }
    }
    const char *p = r->pending;
    const char *nl = memchr(p, '\n', r->pending_len);
    size_t seg = nl ? (size_t)(nl - p) + 1 : r->pending_len;
    if (!r->in_row)
        for (size_t i = 0; i < seg; i++)
            if (p[i] != '\r' && p[i] != '\n') {
                r->in_row = 1;
                r->row_start = r->line;
                break;
            }
    if (r->in_row) {
        r->row_bytes += seg;
        if (r->row_bytes > r->lim.max_record) {
            r->failed = 1;
            return kt_error_set(err, KT_LIMIT,
                                "%s: line %ld: a row longer than the limit of %zu bytes (raise "
                                "max_record)",
                                rd_dec_path(r->dec), r->row_start, r->lim.max_record);
        }
    }
    size_t done = csv_parse(&r->p, p, seg, on_cell, on_row, r);
    if (r->failed) return err->code;
    if (done != seg) {
        int e = csv_error(&r->p);
        if (e == CSV_ENOMEM) return fail(r, KT_NOMEM, "out of memory");
        if (e == CSV_ETOOBIG) return fail(r, KT_LIMIT, "a cell too big");
        return fail(r, KT_INVALID,
                    "malformed quoting (a \" inside a cell must be doubled and "
                    "the cell quoted)");
    }
    if (r->p.entry_pos > r->lim.max_cell) {
        r->failed = 1;
        return kt_error_set(err, KT_LIMIT,
                            "%s: line %ld: a cell longer than the limit of %zu bytes (raise "
                            "max_cell)",
                            rd_dec_path(r->dec), r->row_start, r->lim.max_cell);
    }
    /* libcsv grows its cell buffer by a fixed block; make the growth geometric. */
    if (r->p.entry_size > 4096) csv_set_blk_size(&r->p, r->p.entry_size);
    if (nl) r->line++;
    r->pending += seg;
    r->pending_len -= seg;
    return KT_OK;
}

static void csv_close(void *h)
{
    csv_rd *r = h;
    if (!r) return;
    if (r->p_ready) csv_free(&r->p);
    for (size_t i = 0; i < r->qcap; i++)
        rd_cells_free(&r->q[i].cells);
    kt_free(r->q);
    rd_dec_close(r->dec);
    r->base.magic = NULL;
    kt_free(r);
}

static void *csv_open(void *ud, const char *path, const kt_plugin_reader_opts *opts, char *msg,
                      size_t msg_size)
{
    csv_rd *r = kt_calloc(1, sizeof *r);
    if (!r) return rd_open_nomem(ud, path, msg, msg_size);
    r->base.magic = rd_magic;
    r->line = 1;
    rd_limits_resolve(&r->lim, opts, ud);
    if (rd_dec_open(path, r->lim.encoding, &r->dec, &r->base.err) || grow_queue(r)) goto fail;
    unsigned char o = CSV_STRICT_FINI | (r->lim.lenient ? 0 : CSV_STRICT);
    if (csv_init(&r->p, o) != 0) {
        kt_error_set(&r->base.err, KT_NOMEM, "out of memory opening %s", path);
        goto fail;
    }
    r->p_ready = 1;
    csv_set_space_func(&r->p, no_space);
    csv_set_realloc_func(&r->p, kt_realloc);
    csv_set_free_func(&r->p, kt_free);
    r->base.dec = r->dec;
    return r;
fail:
    rd_open_failed(&r->base, ud, msg, msg_size);
    csv_close(r);
    return NULL;
}

static int csv_next(void *h, kt_plugin_row *row, char *msg, size_t msg_size)
{
    csv_rd *r = h;
    if (r->returned) {
        r->returned = 0;
        if (++r->qhead == r->qlen) {
            /* Keep the row being read (q[qlen]) by moving it to the front. */
            slot tmp = r->q[0];
            r->q[0] = r->q[r->qlen];
            r->q[r->qlen] = tmp;
            r->qhead = r->qlen = 0;
        }
    }
    while (r->qhead == r->qlen) {
        if (r->failed) return rd_fail(&r->base, msg, msg_size);
        if (r->eof) return 0;
        if (feed(r)) return rd_fail(&r->base, msg, msg_size);
    }
    slot *sl = &r->q[r->qhead];
    row->count = sl->cells.count;
    row->keys = NULL;
    row->values = sl->cells.ptr;
    row->line = sl->line;
    r->returned = 1;
    return 1;
}

const kt_plugin_reader rd_csv_reader = {"csv", "csv,tsv,txt", csv_open, csv_next, csv_close, NULL};
