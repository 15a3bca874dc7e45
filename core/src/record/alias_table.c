/* kt_alias's statements, in one place (schema/007_alias.sql). */
#include "record/alias_table.h"

kt_status kt_alias_row_get(kt_store *s, const char *entity, const char *value, kt_id *id,
                           kt_error *err)
{
    kt_stmt *st;
    *id = 0;
    kt_status rc = kt_store_prepare(
        s, "SELECT record FROM kt_alias WHERE entity = ?1 AND value = ?2", &st, err);
    if (rc) return rc;
    kt_stmt_bind_text(st, 1, entity);
    kt_stmt_bind_text(st, 2, value);
    int step = kt_stmt_step(st);
    if (step == KT_STMT_ROW) *id = kt_stmt_int(st, 0);
    kt_stmt_reset(st);
    if (step != KT_STMT_ROW && step != KT_STMT_DONE) return kt_store_fail(s, err, "external ids");
    return KT_OK;
}

kt_status kt_alias_row_put(kt_store *s, const char *entity, const char *value, kt_id record,
                           long long batch, kt_error *err)
{
    /* a row left by a record that is archived now: the id moves to the record that answers */
    return kt_store_run(s,
                        "INSERT OR REPLACE INTO kt_alias(entity, value, record, batch) "
                        "VALUES (?1, ?2, ?3, ?4)",
                        "keeping an external id", err, "ttiz", entity, value, (long long)record,
                        batch);
}

kt_status kt_alias_drop_batch(kt_ws *ws, long long batch, kt_error *err)
{
    return kt_store_run(kt_ws_store(ws), "DELETE FROM kt_alias WHERE batch = ?1",
                        "detaching external ids", err, "i", batch);
}

kt_status kt_alias_each(kt_ws *ws, kt_id record, kt_alias_cb cb, void *ud, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        s, "SELECT entity, value, batch FROM kt_alias WHERE record = ?1 ORDER BY value", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, record);
    int step, stop = 0;
    while (!stop && (step = kt_stmt_step(st)) == KT_STMT_ROW)
        stop = cb(ud, kt_stmt_text(st, 0), kt_stmt_text(st, 1), kt_stmt_int(st, 2));
    kt_stmt_reset(st);
    if (!stop && step != KT_STMT_DONE) return kt_store_fail(s, err, "reading external ids");
    return KT_OK;
}

kt_status kt_alias_drop_record(kt_ws *ws, kt_id record, kt_error *err)
{
    return kt_store_run(kt_ws_store(ws), "DELETE FROM kt_alias WHERE record = ?1",
                        "detaching external ids", err, "i", (long long)record);
}
