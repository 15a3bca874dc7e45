/* kt_export: records through kt_list to CSV, JSON, NDJSON; vCard in vcard.c. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <string.h>

#include "export/export_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/csv_write.h"
#include "kartoteka/json.h"

int kt_export_format_parse(const char *name)
{
    static const char *const names[] = {"csv", "json", "ndjson", "vcf"};
    for (int i = 0; name && i < 4; i++)
        if (!strcmp(name, names[i])) return i;
    return -1;
}

static kt_status put(ex_state *x, const char *s, size_t n)
{
    if (x->st) return x->st;
    if (fwrite(s, 1, n, x->out) != n)
        x->st = kt_error_set(x->err, KT_IO, "writing the export: %s", strerror(errno));
    return x->st;
}

kt_status ex_put(ex_state *x, const char *s)
{
    return put(x, s, strlen(s));
}

/* A value as one text for CSV: a set's items joined by commas. Caller frees. */
static char *flat(const kt_value *v)
{
    if (!v || kt_value_empty(v)) return NULL;
    if (!v->is_set) return kt_strdup(v->text);
    kt_buf b = KT_BUF_INIT;
    for (size_t i = 0; i < v->nitems; i++) {
        if (i) kt_buf_putc(&b, ',', NULL);
        kt_buf_puts(&b, v->items[i], NULL);
    }
    return kt_buf_take(&b);
}

static void csv_header(ex_state *x)
{
    const kt_entity *e = x->e;
    kt_buf *b = &x->buf;
    kt_csv_write_cell(b, "id", ',', 0, x->err);
    for (size_t i = 0; i < e->nfields; i++) {
        kt_buf_putc(b, ',', x->err);
        kt_csv_write_cell(b, e->fields[i].name, ',', 0, x->err);
    }
    kt_buf_puts(b, "\r\n", x->err);
    x->header_done = 1;
}

static void csv_row(ex_state *x, const kt_record *r)
{
    const kt_entity *e = x->e;
    kt_buf *b = &x->buf;
    kt_buf_reset(b);
    if (!x->header_done) csv_header(x);
    char id[32];
    snprintf(id, sizeof id, "%lld", r->id);
    kt_csv_write_cell(b, id, ',', 0, x->err);
    for (size_t i = 0; i < e->nfields; i++) {
        char *t = flat(kt_record_get(r, e->fields[i].name));
        kt_buf_putc(b, ',', x->err);
        if (kt_csv_write_cell(b, t, ',', !x->raw, x->err)) x->st = x->err->code;
        kt_free(t);
    }
    kt_buf_puts(b, "\r\n", x->err);
    put(x, b->data, b->len);
}

static void json_row(ex_state *x, const kt_record *r)
{
    kt_json_record_opts jo = {1, x->uid};
    cJSON *j = kt_json_record(x->ws, r, &jo);
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!s) {
        x->st = kt_error_set(x->err, KT_NOMEM, "out of memory");
        return;
    }
    if (x->format == KT_EXPORT_JSON) ex_put(x, x->count ? ",\n" : "[\n");
    ex_put(x, s);
    if (x->format == KT_EXPORT_NDJSON) ex_put(x, "\n");
    cJSON_free(s);
}

static int on_record(void *ud, const kt_record *r)
{
    ex_state *x = ud;
    switch (x->format) {
    case KT_EXPORT_CSV:
        csv_row(x, r);
        break;
    case KT_EXPORT_JSON:
    case KT_EXPORT_NDJSON:
        json_row(x, r);
        break;
    case KT_EXPORT_VCF:
        ex_vcard(x, r);
        break;
    }
    x->count++;
    return x->st != KT_OK;
}

/* Lists the entities (every one once) into order so that the targets of an entity's
 * references come before it, cycles broken where they close. */
static void dependency_order(const kt_registry *reg, const kt_entity *e, const kt_entity **order,
                             size_t *n, unsigned char *mark, size_t max)
{
    size_t me = 0;
    while (me < max && kt_registry_entity_at(reg, me) != e)
        me++;
    if (me == max || mark[me]) return;
    mark[me] = 1; /* visiting: a reference back to it closes a cycle and is ignored */
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_field *f = &e->fields[i];
        if (f->kind != KT_TYPE_REF || !f->ref) continue;
        char targets[256];
        snprintf(targets, sizeof targets, "%s", f->ref);
        for (char *p = targets, *t; (t = strsep(&p, "|"));) {
            const kt_entity *te = kt_registry_entity(reg, t);
            if (te) dependency_order(reg, te, order, n, mark, max);
        }
    }
    order[(*n)++] = e;
}

static kt_status finish(ex_state *x, kt_status st)
{
    if (!st && x->format == KT_EXPORT_JSON) ex_put(x, x->count ? "\n]\n" : "[]\n");
    if (!st && x->format == KT_EXPORT_CSV && !x->header_done) {
        csv_header(x);
        put(x, x->buf.data, x->buf.len);
    }
    if (!st) st = x->st;
    if (!st && fflush(x->out) != 0)
        st = kt_error_set(x->err, KT_IO, "writing the export: %s", strerror(errno));
    kt_buf_free(&x->buf);
    kt_buf_free(&x->fold);
    return st;
}

static kt_status start(ex_state *x, kt_ws *ws, const kt_export_opts *opts, FILE *out, kt_error *err)
{
    *x = (ex_state){ws, NULL, opts->format, opts->raw,   out, err, KT_OK,
                    0,  0,    KT_BUF_INIT,  KT_BUF_INIT, "",  NULL};
    if (x->format != KT_EXPORT_JSON && x->format != KT_EXPORT_NDJSON) return KT_OK;
    kt_status st = kt_export_uid(ws, x->uid_buf, err);
    x->uid = x->uid_buf;
    return st;
}

kt_status kt_export(kt_ws *ws, const char *entity, const kt_export_opts *opts, FILE *out,
                    long *count, kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), entity);
    if (!e) return kt_error_set(err, KT_NOTFOUND, "there is no entity '%s'", entity);
    ex_state x;
    kt_status st = start(&x, ws, opts, out, err);
    x.e = e;
    kt_list_opts none = {0};
    if (!st) st = kt_list(ws, entity, opts->list ? opts->list : &none, on_record, &x, err);
    st = finish(&x, st);
    if (count) *count = x.count;
    return st;
}

kt_status kt_export_all(kt_ws *ws, const kt_export_opts *opts, FILE *out, long *count,
                        kt_error *err)
{
    if (opts->format != KT_EXPORT_JSON && opts->format != KT_EXPORT_NDJSON)
        return kt_error_set(err, KT_USAGE, "every entity at once is written as json or ndjson");
    const kt_registry *reg = kt_ws_registry(ws);
    size_t ne = kt_registry_entity_count(reg), n = 0;
    const kt_entity **order = kt_calloc(ne + 1, sizeof *order);
    unsigned char *mark = kt_calloc(ne + 1, 1);
    ex_state x;
    kt_status st = order && mark ? start(&x, ws, opts, out, err)
                                 : kt_error_set(err, KT_NOMEM, "out of memory");
    if (!order || !mark) {
        kt_free(order);
        kt_free(mark);
        return st;
    }
    for (size_t i = 0; i < ne; i++)
        dependency_order(reg, kt_registry_entity_at(reg, i), order, &n, mark, ne);
    kt_list_opts every = {NULL, 0, 2, 0, 0};
    for (size_t i = 0; i < n && !st; i++) {
        x.e = order[i];
        st = kt_list(ws, order[i]->name, &every, on_record, &x, err);
    }
    st = finish(&x, st);
    kt_free(order);
    kt_free(mark);
    if (count) *count = x.count;
    return st;
}
