#include <string.h>

#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/text.h"
#include "query/record_sql.h"
#include "record/access.h"
#include "record/field_value.h"

static const char *op_sql(kt_filter_op op)
{
    switch (op) {
    case KT_OP_NE: return "<>";
    case KT_OP_LT: return "<";
    case KT_OP_LE: return "<=";
    case KT_OP_GT: return ">";
    case KT_OP_GE: return ">=";
    default: return "=";
    }
}

/* A filter's value in the field's canonical form, so "01.02.1990" finds 1990-02-01. */
static kt_status filter_value(kt_ws *ws, const kt_field *f, const kt_filter *flt, kt_value *out,
                              kt_error *err)
{
    kt_value in = {flt->value, NULL, 0, 0};
    kt_failures fails;
    kt_failures_init(&fails);
    int ok = 1;
    kt_field f1 = *f;
    f1.kind = f->kind == KT_TYPE_SET ? KT_TYPE_ENUM : f->kind; /* one option of a set */
    kt_status st = kt_field_normalise(ws, &f1, NULL, &in, out, &fails, &ok, err);
    if (!st && !ok) {
        st = kt_error_set(err, KT_INVALID, "filter %s: %s", flt->field,
                          fails.n ? fails.items[0].message : "invalid value");
        kt_value_clear(out);
    }
    kt_failures_free(&fails);
    return st;
}

static kt_status add_filter(kt_ws *ws, const kt_entity *e, const kt_filter *flt, kt_buf *sql,
                            int *nbind, kt_value *binds, const kt_field **bfields, kt_error *err)
{
    const kt_field *f = kt_registry_field(kt_ws_registry(ws), e->name, flt->field);
    if (!f && strcmp(flt->field, "id") != 0)
        return kt_error_set(err, KT_NOTFOUND, "filter: %s has no field '%s'", e->name, flt->field);
    char q[80];
    kt_sql_ident(f ? f->name : "id", q, sizeof q);
    if (!f) { /* by id */
        binds[*nbind].text = kt_strdup(flt->value);
        bfields[*nbind] = NULL;
        return kt_buf_printf(sql, err, " AND t.id %s ?%d", op_sql(flt->op), ++*nbind);
    }
    if (flt->value[0] == '\0' && (flt->op == KT_OP_EQ || flt->op == KT_OP_NE))
        return kt_buf_printf(sql, err, flt->op == KT_OP_EQ ? " AND (t.%s IS NULL OR t.%s = '')"
                                                           : " AND (t.%s IS NOT NULL AND t.%s <> '')",
                             q, q);
    if (flt->op == KT_OP_CONTAINS) {
        char *folded = NULL;
        kt_status st = kt_text_fold(flt->value, &folded, err);
        if (st) return st;
        binds[*nbind].text = folded;
        bfields[*nbind] = NULL;
        return kt_buf_printf(sql, err, " AND instr(kt_fold(t.%s), ?%d) > 0", q, ++*nbind);
    }
    kt_status st = filter_value(ws, f, flt, &binds[*nbind], err);
    if (st) return st;
    bfields[*nbind] = f->kind == KT_TYPE_SET ? NULL : f;
    if (f->kind == KT_TYPE_SET)
        return kt_buf_printf(sql, err, " AND %sEXISTS (SELECT 1 FROM json_each(t.%s) WHERE value = ?%d)",
                             flt->op == KT_OP_NE ? "NOT " : "", q, ++*nbind);
    return kt_buf_printf(sql, err, " AND t.%s %s ?%d", q, op_sql(flt->op), ++*nbind);
}

kt_status kt_list(kt_ws *ws, const char *entity, const kt_list_opts *opts, kt_record_cb cb,
                  void *ud, kt_error *err)
{
    return kt_list_after(ws, entity, opts, 0, cb, ud, err);
}

kt_status kt_list_after(kt_ws *ws, const char *entity, const kt_list_opts *opts, kt_id after,
                        kt_record_cb cb, void *ud, kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), entity);
    if (!e) return kt_error_set(err, KT_NOTFOUND, "there is no entity '%s'", entity);
    kt_list_opts o = opts ? *opts : (kt_list_opts){0};
    kt_buf sql = KT_BUF_INIT;
    size_t nb = o.nfilters;
    kt_value *binds = kt_calloc(nb + 1, sizeof *binds);
    const kt_field **bfields = kt_calloc(nb + 1, sizeof *bfields);
    int nbind = 0;
    kt_status rc = binds && bfields ? KT_OK : kt_error_set(err, KT_NOMEM, "out of memory");
    if (!rc) rc = kt_record_select_sql(e, &sql, err);
    if (!rc) rc = kt_buf_puts(&sql, o.archived == 2   ? " WHERE r.state IN ('active', 'archived', 'merged')"
                                    : o.archived == 1 ? " WHERE r.state = 'archived'"
                                                      : " WHERE r.state = 'active'",
                              err);
    for (size_t i = 0; !rc && i < o.nfilters; i++)
        rc = add_filter(ws, e, &o.filters[i], &sql, &nbind, binds, bfields, err);
    if (!rc && after > 0) rc = kt_buf_printf(&sql, err, " AND r.id > %lld", after);
    if (!rc) rc = kt_buf_puts(&sql, " ORDER BY r.id", err);
    if (!rc && (o.limit > 0 || o.offset > 0))
        rc = kt_buf_printf(&sql, err, " LIMIT %ld OFFSET %ld", o.limit > 0 ? o.limit : -1L, o.offset);
    sqlite3_stmt *st = NULL;
    /* Not the cache: a callback may list again while this one is being read. */
    if (!rc && sqlite3_prepare_v2(kt_store_db(kt_ws_store(ws)), kt_buf_str(&sql), -1, &st, NULL))
        rc = kt_store_fail(kt_ws_store(ws), err, "listing records");
    for (int i = 0; !rc && i < nbind; i++) {
        if (bfields[i]) rc = kt_field_bind(st, i + 1, bfields[i], &binds[i], err);
        else sqlite3_bind_text(st, i + 1, binds[i].text, -1, SQLITE_STATIC);
    }
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        kt_record *r = NULL;
        if ((rc = kt_record_from_row(st, e, &r, err)) || (rc = kt_access_mask(ws, r, err))) {
            kt_record_free(r);
            break;
        }
        int stop = cb(ud, r);
        kt_record_free(r);
        if (stop) break;
    }
    if (!rc && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = kt_store_fail(kt_ws_store(ws), err, "listing records");
    sqlite3_finalize(st);
    for (int i = 0; binds && i < nbind; i++) kt_value_clear(&binds[i]);
    kt_free(binds);
    kt_free(bfields);
    kt_buf_free(&sql);
    return rc;
}
