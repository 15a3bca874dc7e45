/* kt_export: records through kt_list to CSV, JSON, NDJSON; vCard in vcard.c. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <string.h>

#include "export/export_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/csv_write.h"

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

cJSON *ex_record_json(const kt_entity *e, const kt_record *r)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", r->id);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", id);
    cJSON_AddStringToObject(j, "entity", r->entity);
    cJSON_AddStringToObject(j, "state", r->state);
    for (size_t i = 0; i < e->nfields; i++) {
        const kt_value *v = kt_record_get(r, e->fields[i].name);
        if (!v || kt_value_empty(v)) continue;
        if (v->is_set) {
            cJSON *a = cJSON_AddArrayToObject(j, e->fields[i].name);
            for (size_t k = 0; k < v->nitems; k++)
                cJSON_AddItemToArray(a, cJSON_CreateString(v->items[k]));
        } else {
            cJSON_AddStringToObject(j, e->fields[i].name, v->text);
        }
    }
    return j;
}

static void json_row(ex_state *x, const kt_record *r)
{
    cJSON *j = ex_record_json(x->e, r);
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

kt_status kt_export(kt_ws *ws, const char *entity, const kt_export_opts *opts, FILE *out,
                    long *count, kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), entity);
    if (!e) return kt_error_set(err, KT_NOTFOUND, "there is no entity '%s'", entity);
    ex_state x = {ws, e, opts->format, opts->raw, out, err, KT_OK, 0, 0, KT_BUF_INIT};
    kt_list_opts none = {0};
    kt_status st = kt_list(ws, entity, opts->list ? opts->list : &none, on_record, &x, err);
    if (!st && x.format == KT_EXPORT_JSON) ex_put(&x, x.count ? "\n]\n" : "[]\n");
    if (!st && x.format == KT_EXPORT_CSV && !x.header_done) {
        csv_header(&x);
        put(&x, x.buf.data, x.buf.len);
    }
    if (!st) st = x.st;
    if (!st && fflush(out) != 0)
        st = kt_error_set(err, KT_IO, "writing the export: %s", strerror(errno));
    kt_buf_free(&x.buf);
    if (count) *count = x.count;
    return st;
}
