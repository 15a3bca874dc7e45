#include "kartoteka/query.h"

kt_status kt_history_add(kt_ws *ws, kt_id id, const char *action, const char *field,
                         const char *old, const char *new_, const char *source, long long batch,
                         kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    sqlite3_stmt *st;
    kt_status rc = kt_store_prepare(
        s, "INSERT INTO kt_change(record, at, action, field, old, new, source, batch) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &st, err);
    if (rc) return rc;
    char now[32];
    kt_store_now(now);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
    if (field) sqlite3_bind_text(st, 4, field, -1, SQLITE_STATIC);
    if (old) sqlite3_bind_text(st, 5, old, -1, SQLITE_STATIC);
    if (new_) sqlite3_bind_text(st, 6, new_, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, source ? source : "api", -1, SQLITE_STATIC);
    if (batch) sqlite3_bind_int64(st, 8, batch);
    if (sqlite3_step(st) != SQLITE_DONE) return kt_store_fail(s, err, "recording history");
    return KT_OK;
}

kt_status kt_history(kt_ws *ws, kt_id id, kt_change_cb cb, void *ud, kt_error *err)
{
    char entity[64];
    kt_status rc = kt_ws_entity_of(ws, id, entity, sizeof entity, err);
    if (rc) return rc;
    sqlite3_stmt *st;
    rc = kt_store_prepare(kt_ws_store(ws),
                          "SELECT id, record, at, action, field, old, new, source, batch "
                          "FROM kt_change WHERE record = ?1 ORDER BY id",
                          &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        kt_change c = {sqlite3_column_int64(st, 0),
                       sqlite3_column_int64(st, 1),
                       (const char *)sqlite3_column_text(st, 2),
                       (const char *)sqlite3_column_text(st, 3),
                       (const char *)sqlite3_column_text(st, 4),
                       (const char *)sqlite3_column_text(st, 5),
                       (const char *)sqlite3_column_text(st, 6),
                       (const char *)sqlite3_column_text(st, 7),
                       sqlite3_column_int64(st, 8)};
        if (cb(ud, &c)) break;
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return kt_store_fail(kt_ws_store(ws), err, "reading history");
    return KT_OK;
}
