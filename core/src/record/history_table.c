/* kt_change's statements, in one place. History: one kt_change row per change, except a create,
 * which is one row whose new holds the record's fields as a JSON object (one row instead of one per
 * field is most of an import's history cost). Readers see a create as one entry per field either
 * way: rows written before, one per field, read as they always did. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "record/history.h"
#include "record/access.h"

kt_status kt_history_add(kt_ws *ws, kt_id id, const char *action, const char *field,
                         const char *old, const char *new_, const char *source, long long batch,
                         kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        s,
        "INSERT INTO kt_change(record, at, action, field, old, new, source, batch) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &st, err);
    if (rc) return rc;
    char now[32];
    kt_store_now(now);
    kt_stmt_bind_int(st, 1, id);
    kt_stmt_bind_text(st, 2, now);
    kt_stmt_bind_text(st, 3, action);
    if (field) kt_stmt_bind_text(st, 4, field);
    if (old) kt_stmt_bind_text(st, 5, old);
    if (new_) kt_stmt_bind_text(st, 6, new_);
    kt_stmt_bind_text(st, 7, source ? source : "api");
    if (batch) kt_stmt_bind_int(st, 8, batch);
    if (kt_stmt_step(st) != KT_STMT_DONE) return kt_store_fail(s, err, "recording history");
    return KT_OK;
}

/* A one-row create, as the create entry and one entry per field; returns cb's stop. A new
 * that is not a JSON object (a damaged row) is shown as it is rather than hidden. */
static int expand_create(const kt_change *row, kt_change_cb cb, void *ud)
{
    cJSON *o = cJSON_Parse(row->new_);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return cb(ud, row);
    }
    kt_change c = *row;
    c.new_ = NULL;
    int stop = cb(ud, &c);
    const cJSON *it;
    cJSON_ArrayForEach(it, o)
    {
        if (stop) break;
        if (!cJSON_IsString(it)) continue;
        c.field = it->string;
        c.new_ = it->valuestring;
        stop = cb(ud, &c);
    }
    cJSON_Delete(o);
    return stop;
}

kt_status kt_history_range(kt_ws *ws, kt_id id, long long after, long long upto, kt_change_cb cb,
                           void *ud, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(kt_ws_store(ws),
                                    "SELECT id, record, at, action, field, old, new, source, batch "
                                    "FROM kt_change WHERE record = ?1 AND id > ?2 AND id <= ?3 "
                                    "ORDER BY id",
                                    &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    kt_stmt_bind_int(st, 2, after);
    kt_stmt_bind_int(st, 3, upto ? upto : INT64_MAX);
    int step = KT_STMT_DONE, stop = 0;
    while (!stop && (step = kt_stmt_step(st)) == KT_STMT_ROW) {
        kt_change c = {kt_stmt_int(st, 0),  kt_stmt_int(st, 1),  kt_stmt_text(st, 2),
                       kt_stmt_text(st, 3), kt_stmt_text(st, 4), kt_stmt_text(st, 5),
                       kt_stmt_text(st, 6), kt_stmt_text(st, 7), kt_stmt_int(st, 8)};
        if (!c.field && c.new_ && !strcmp(c.action, "create"))
            stop = expand_create(&c, cb, ud);
        else
            stop = cb(ud, &c);
    }
    kt_stmt_reset(st);
    if (!stop && step != KT_STMT_DONE)
        return kt_store_fail(kt_ws_store(ws), err, "reading history");
    return KT_OK;
}

kt_status kt_history(kt_ws *ws, kt_id id, kt_change_cb cb, void *ud, kt_error *err)
{
    char entity[64];
    kt_status rc = kt_ws_entity_of(ws, id, entity, sizeof entity, err);
    if (!rc && kt_access_ruled(ws, 0)) { /* a record's history shows what the record holds */
        kt_record *rec = NULL;
        rc = kt_get(ws, id, &rec, err);
        kt_record_free(rec);
    }
    kt_access_history mask;
    void *mud;
    kt_change_cb mcb = kt_access_history_cb(ws, entity, cb, ud, &mask, &mud);
    return rc ? rc : kt_history_range(ws, id, 0, 0, mcb, mud, err);
}

kt_status kt_history_top(kt_ws *ws, long long *top, kt_error *err)
{
    return kt_store_int(kt_ws_store(ws), "SELECT coalesce(max(id), 0) FROM kt_change",
                        "reading history", top, err);
}

kt_status kt_record_version(kt_ws *ws, kt_id id, long long *version, kt_error *err)
{
    char entity[64];
    kt_status rc = kt_ws_entity_of(ws, id, entity, sizeof entity, err);
    if (rc) return rc;
    kt_stmt *st;
    if ((rc = kt_store_prepare(kt_ws_store(ws),
                               "SELECT coalesce(max(id), 0) FROM kt_change WHERE record = ?1", &st,
                               err)))
        return rc;
    kt_stmt_bind_int(st, 1, id);
    if (kt_stmt_step(st) == KT_STMT_ROW)
        *version = kt_stmt_int(st, 0);
    else
        rc = kt_store_fail(kt_ws_store(ws), err, "reading a record's version");
    kt_stmt_reset(st);
    return rc;
}

kt_status kt_history_rename_field(kt_ws *ws, const char *entity, const char *name,
                                  const char *new_name, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    /* rows of one field, then creates written as one row: their JSON key is renamed in place
     * (names are checked identifiers, so '$.name' needs no quoting) */
    static const char *const sql[] = {
        "UPDATE kt_change SET field = ?3 WHERE field = ?2 AND record IN "
        "(SELECT id FROM kt_record WHERE entity = ?1)",
        "UPDATE kt_change SET new = json_set(json_remove(new, '$.' || ?2), '$.' || ?3, "
        "new -> ('$.' || ?2)) WHERE action = 'create' AND field IS NULL AND json_valid(new) "
        "AND json_type(new, '$.' || ?2) IS NOT NULL AND record IN "
        "(SELECT id FROM kt_record WHERE entity = ?1)"};
    for (size_t i = 0; i < 2; i++) {
        kt_status rc = kt_store_prepare(s, sql[i], &st, err);
        if (rc) return rc;
        kt_stmt_bind_text(st, 1, entity);
        kt_stmt_bind_text(st, 2, name);
        kt_stmt_bind_text(st, 3, new_name);
        int step = kt_stmt_step(st);
        kt_stmt_reset(st);
        if (step != KT_STMT_DONE) return kt_store_fail(s, err, "renaming a field in history");
    }
    return KT_OK;
}

kt_status kt_history_erase_field(kt_ws *ws, kt_id id, const char *field, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_status rc = kt_store_run(s,
                                "UPDATE kt_change SET old = NULL, new = NULL "
                                "WHERE record = ?1 AND field = ?2",
                                "erasing history", err, "it", (long long)id, field);
    if (rc) return rc;
    /* a one-row create keeps its other fields; names are checked identifiers */
    return kt_store_run(s,
                        "UPDATE kt_change SET new = json_remove(new, '$.' || ?2) "
                        "WHERE record = ?1 AND action = 'create' AND field IS NULL "
                        "AND json_valid(new) AND json_type(new, '$.' || ?2) IS NOT NULL",
                        "erasing history", err, "it", (long long)id, field);
}

kt_status kt_history_scrub(kt_ws *ws, kt_id id, const char *value, const char *with, kt_error *err)
{
    return kt_store_run(kt_ws_store(ws),
                        "UPDATE kt_change SET old = replace(old, ?2, ?3), new = replace(new, ?2, "
                        "?3) WHERE record = ?1 AND (instr(old, ?2) > 0 OR instr(new, ?2) > 0)",
                        "erasing history", err, "itt", (long long)id, value, with);
}

kt_status kt_history_has_action(kt_ws *ws, kt_id id, const char *action, int *has, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        kt_ws_store(ws), "SELECT 1 FROM kt_change WHERE record = ?1 AND action = ?2 LIMIT 1", &st,
        err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    kt_stmt_bind_text(st, 2, action);
    int step = kt_stmt_step(st);
    *has = step == KT_STMT_ROW;
    kt_stmt_reset(st);
    if (step != KT_STMT_ROW && step != KT_STMT_DONE)
        return kt_store_fail(kt_ws_store(ws), err, "reading history");
    return KT_OK;
}

kt_status kt_history_batch_counts(kt_ws *ws, long long batch, long long *created,
                                  long long *updates, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    char sql[200];
    /* the batch id is our own integer, never user text */
    snprintf(sql, sizeof sql,
             "SELECT count(DISTINCT record) FROM kt_change WHERE batch = %lld AND action = "
             "'create'",
             batch);
    kt_status st = kt_store_int(s, sql, "checking the import's counts", created, err);
    if (st) return st;
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM kt_change WHERE batch = %lld AND action = 'update'", batch);
    return kt_store_int(s, sql, "checking the import's counts", updates, err);
}

kt_status kt_history_update_after(kt_ws *ws, kt_id record, long long after, long long batch,
                                  const char *field, kt_change_cb cb, void *ud, kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        kt_ws_store(ws),
        "SELECT field, source, at FROM kt_change WHERE record = ?1 AND id > ?2 AND action = "
        "'update' AND (batch IS NULL OR batch <> ?3) AND (?4 IS NULL OR field = ?4) LIMIT 1",
        &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, record);
    kt_stmt_bind_int(st, 2, after);
    kt_stmt_bind_int(st, 3, batch);
    if (field) kt_stmt_bind_text_copy(st, 4, field, (size_t)-1);
    if (kt_stmt_step(st) == KT_STMT_ROW) {
        kt_change c = {.record = record,
                       .action = "update",
                       .field = kt_stmt_text(st, 0),
                       .source = kt_stmt_text(st, 1),
                       .at = kt_stmt_text(st, 2)};
        cb(ud, &c);
    }
    kt_stmt_reset(st);
    return KT_OK;
}

kt_status kt_history_batch_updates(kt_ws *ws, long long batch, kt_change_cb cb, void *ud,
                                   kt_error *err)
{
    kt_stmt *st;
    kt_status rc = kt_store_prepare(
        kt_ws_store(ws),
        "SELECT c.record, c.field, c.old, c.id FROM kt_change c JOIN kt_record r ON r.id = "
        "c.record WHERE c.batch = ?1 AND c.action = 'update' AND c.field IS NOT NULL AND "
        "(r.batch IS NULL OR r.batch <> ?1) ORDER BY c.record, c.field, c.id",
        &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, batch);
    while (kt_stmt_step(st) == KT_STMT_ROW) {
        kt_change c = {.seq = kt_stmt_int(st, 3),
                       .record = kt_stmt_int(st, 0),
                       .action = "update",
                       .field = kt_stmt_text(st, 1),
                       .old = kt_stmt_text(st, 2),
                       .batch = batch};
        if (cb(ud, &c)) break;
    }
    kt_stmt_reset(st);
    return KT_OK;
}
