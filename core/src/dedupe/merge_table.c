/* The statements of kt_merge (a merge: winner, loser, when, undone when) and kt_merge_item
 * (each change a merge made, so unmerge can put it back), in one place. */
#include <string.h>

#include "dedupe/merge_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/query.h"
#include "kartoteka/store.h"

kt_status dd_merge_add(kt_store *s, kt_id winner, kt_id loser, const char *at, const char *source,
                       long long *id, kt_error *err)
{
    kt_status st = kt_store_run(s,
                                "INSERT INTO kt_merge(winner, loser, at, source) VALUES "
                                "(?1, ?2, ?3, ?4)",
                                "logging a merge", err, "iitt", (long long)winner, (long long)loser,
                                at, source);
    *id = kt_store_last_id(s);
    return st;
}

kt_status dd_merge_item_add(kt_store *s, long long merge, const char *kind, kt_id record,
                            const char *field, const char *old, const char *new_, kt_error *err)
{
    return kt_store_run(s,
                        "INSERT INTO kt_merge_item(merge, kind, record, field, old, new) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        "logging a merge", err, "itittt", merge, kind, (long long)record, field,
                        old, new_);
}

kt_status dd_merge_items_each(kt_store *s, long long merge, dd_merge_item_fn fn, void *ud,
                              kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(s,
                                    "SELECT kind, record, field, old, new FROM "
                                    "kt_merge_item WHERE merge = ?1 ORDER BY rowid",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, merge);
    while (!st && kt_stmt_step(q) == KT_STMT_ROW)
        st = fn(ud, kt_stmt_text(q, 0), kt_stmt_int(q, 1), kt_stmt_text(q, 2), kt_stmt_text(q, 3),
                kt_stmt_text(q, 4), err);
    kt_stmt_reset(q);
    return st;
}

kt_status dd_merge_last(kt_store *s, kt_id loser, long long *merge, kt_id *winner, kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(s,
                                    "SELECT id, winner FROM kt_merge WHERE loser = ?1 AND "
                                    "undone_at IS NULL ORDER BY id DESC LIMIT 1",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, loser);
    *merge = 0;
    if (kt_stmt_step(q) == KT_STMT_ROW) {
        *merge = kt_stmt_int(q, 0);
        *winner = kt_stmt_int(q, 1);
    }
    kt_stmt_reset(q);
    return KT_OK;
}

kt_status dd_merge_undone(kt_store *s, long long merge, const char *at, kt_error *err)
{
    return kt_store_run(s, "UPDATE kt_merge SET undone_at = ?2 WHERE id = ?1", "logging an unmerge",
                        err, "it", merge, at);
}

kt_status dd_merge_rename_field(kt_ws *ws, const char *entity, const char *name,
                                const char *new_name, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    /* an item names a field of its record: the winner's filled field or a repointed ref */
    kt_status st = kt_store_prepare(s,
                                    "UPDATE kt_merge_item SET field = ?3 WHERE field = ?2 AND "
                                    "record IN (SELECT id FROM kt_record WHERE entity = ?1)",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, entity);
    kt_stmt_bind_text(q, 2, name);
    kt_stmt_bind_text(q, 3, new_name);
    int rc = kt_stmt_step(q);
    kt_stmt_reset(q);
    return rc == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, "renaming a field in the merge log");
}

kt_status kt_merge_each(kt_ws *ws, kt_id id, kt_merge_cb cb, void *ud, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_status st = kt_store_prepare(s,
                                    "SELECT id, winner, loser, at, source, undone_at FROM kt_merge "
                                    "WHERE winner = ?1 OR loser = ?1 ORDER BY id",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, id);
    int rc, stop = 0;
    while (!stop && (rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        kt_merge_row m = {kt_stmt_int(q, 0),  kt_stmt_int(q, 1),  kt_stmt_int(q, 2),
                          kt_stmt_text(q, 3), kt_stmt_text(q, 4), kt_stmt_text(q, 5)};
        stop = cb(ud, &m);
    }
    kt_stmt_reset(q);
    if (!stop && rc != KT_STMT_DONE) return kt_store_fail(s, err, "reading the merge log");
    return KT_OK;
}

kt_status kt_merge_erase_field(kt_ws *ws, kt_id id, const char *field, kt_error *err)
{
    /* an unmerge then restores nothing of the field: the value is gone for good */
    return kt_store_run(kt_ws_store(ws),
                        "UPDATE kt_merge_item SET old = NULL, new = NULL WHERE field = ?2 AND "
                        "merge IN (SELECT id FROM kt_merge WHERE winner = ?1 OR loser = ?1)",
                        "erasing the merge log", err, "it", (long long)id, field);
}
