/* The blocking keys of stored records in kt_dupe_key, so the on-entry check looks candidates up
 * by index instead of reading the table. Kept in step lazily: kt_change numbers every write,
 * so the records changed since the last sync (by any door: save, archive, merge) are re-keyed
 * before a lookup. A changed rule re-keys the whole entity. (An import keeps the keys of what it
 * changes in memory instead and writes them once: overlay.c.) */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/store.h"
#include "record/history.h"

/* Keys of the active records the SELECT q yields (id, fields...). */
static kt_status key_rows(kt_store *s, const kt_dedupe_rule *r, kt_stmt *q, kt_error *err)
{
    const char *raw[64];
    kt_status st = KT_OK;
    int rc;
    while (!st && (rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        for (size_t f = 0; f < r->n && f < 64; f++)
            raw[f] = kt_stmt_text(q, (int)f + 1);
        uint64_t k[DD_MAX_KEYS];
        int nk = dd_record_keys(r, raw, k);
        if (nk < 0) st = kt_error_set(err, KT_NOMEM, "out of memory");
        if (!st) st = dd_keys_put(s, kt_stmt_int(q, 0), k, nk, err);
    }
    if (!st && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading records");
    return st;
}

static kt_status rebuild(kt_store *s, const kt_dedupe_rule *r, kt_error *err)
{
    kt_status st = dd_keys_drop_entity(s, r->entity, err);
    char *sql = NULL;
    if (!st) st = dd_rows_sql(r, KT_ROWS_ACTIVE, &sql, err);
    kt_stmt *q = NULL;
    if (!st) st = kt_record_rows_prepare(s, sql, "reading records", &q, err);
    if (!st) st = key_rows(s, r, q, err);
    kt_stmt_free(q);
    kt_free(sql);
    return st;
}

kt_status dd_keys_changed(kt_store *s, const kt_dedupe_rule *r, const char *changed_sql,
                          long long since, dd_keyed_fn fn, void *ud, kt_error *err)
{
    char *sql = NULL;
    kt_status st = changed_sql ? KT_OK : dd_rows_sql(r, KT_ROWS_CHANGED, &sql, err);
    kt_stmt *q = NULL;
    if (!st) st = kt_record_rows_prepare(s, changed_sql ? changed_sql : sql, NULL, &q, err);
    kt_free(sql);
    if (st) return st;
    kt_stmt_bind_int(q, 1, since);
    kt_stmt_bind_text(q, 2, r->entity);
    const char *raw[64];
    kt_id last = 0;
    int rc;
    while (!st && (rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        kt_id id = kt_stmt_int(q, 0);
        if (id == last) continue; /* a save's rows come together; fn may see an id twice else */
        last = id;
        int active = kt_stmt_int(q, 1);
        uint64_t k[DD_MAX_KEYS];
        int nk = 0;
        if (active) {
            for (size_t f = 0; f < r->n && f < 64; f++)
                raw[f] = kt_stmt_text(q, (int)f + 2);
            if ((nk = dd_record_keys(r, raw, k)) < 0)
                st = kt_error_set(err, KT_NOMEM, "out of memory");
        }
        if (!st) st = fn(ud, id, active ? raw : NULL, k, nk, err);
    }
    if (!st && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading history");
    kt_stmt_reset(q);
    return st;
}

static kt_status store_keys(void *ud, kt_id id, const char *const *raw, const uint64_t *k, int nk,
                            kt_error *err)
{
    kt_store *s = ud;
    (void)raw;
    kt_status st = dd_keys_drop(s, id, err);
    return st ? st : dd_keys_put(s, id, k, nk, err);
}

kt_status dd_keys_sync(kt_ws *ws, const kt_dedupe_rule *r, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    long long last, top;
    int same_rule;
    kt_status st = dd_keys_state(s, r, &same_rule, &last, err);
    if (!st) st = kt_history_top(ws, &top, err);
    if (st || (same_rule && last == top)) return st;
    /* inside a save already (the on-entry check): its transaction covers this, and a savepoint
     * of our own would make SQLite flush the search index's pending data every time */
    int own = kt_store_depth(s) == 0;
    if (own && (st = kt_store_begin(s, err))) return st;
    st = same_rule ? dd_keys_changed(s, r, NULL, last, store_keys, s, err) : rebuild(s, r, err);
    if (!st) st = dd_keys_set_state(s, r, top, err);
    if (st) {
        if (own) kt_store_rollback(s);
        return st;
    }
    return own ? kt_store_commit(s, err) : KT_OK;
}

kt_status kt_dedupe_forget(kt_ws *ws, kt_id id, kt_error *err)
{
    return dd_keys_drop(kt_ws_store(ws), id, err);
}
