/* Tombstones into an entity's row (see field_erase.h). */
#include "record/field_erase.h"
#include "kartoteka/buf.h"
#include "kartoteka/store.h"
#include "record/field_value.h"
#include "record/record_table.h"

kt_status kt_record_overwrite(kt_ws *ws, const kt_record *change, kt_error *err)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(ws), change->entity);
    if (!e) return kt_error_set(err, KT_NOTFOUND, "no entity \"%s\"", change->entity);
    if (!change->n) return KT_OK;
    kt_store *s = kt_ws_store(ws);
    kt_buf sql = KT_BUF_INIT;
    char q[80];
    kt_sql_ident(e->name, q, sizeof q);
    kt_status rc = kt_buf_printf(&sql, err, "UPDATE %s SET ", q);
    for (size_t i = 0; !rc && i < change->n; i++) {
        if (!kt_registry_field(kt_ws_registry(ws), e->name, change->names[i]))
            rc =
                kt_error_set(err, KT_NOTFOUND, "%s has no field \"%s\"", e->name, change->names[i]);
        kt_sql_ident(change->names[i], q, sizeof q);
        if (!rc) rc = kt_buf_printf(&sql, err, "%s%s = ?%zu", i ? ", " : "", q, i + 2);
    }
    if (!rc) rc = kt_buf_puts(&sql, " WHERE id = ?1", err);
    kt_stmt *st = NULL;
    if (!rc) rc = kt_store_prepare_new(s, kt_buf_str(&sql), "erasing values", &st, err);
    kt_buf_free(&sql);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, change->id);
    for (size_t i = 0; !rc && i < change->n; i++) {
        const kt_field *f = kt_registry_field(kt_ws_registry(ws), e->name, change->names[i]);
        if (!kt_value_empty(&change->values[i]))
            rc = kt_field_bind(st, (int)i + 2, f, &change->values[i], err);
    }
    if (!rc && kt_stmt_step(st) != KT_STMT_DONE) rc = kt_store_fail(s, err, "erasing values");
    kt_stmt_free(st);
    char now[32];
    kt_store_now(now);
    return rc ? rc : kt_record_row_touch(s, change->id, now, err);
}
