/* The blocking keys of stored records in kt_dupe_key, so the on-entry check looks candidates up
 * by index instead of reading the table. Kept in step lazily: kt_change numbers every write,
 * so the records changed since the last sync (by any door: save, archive, merge) are re-keyed
 * before a lookup. A changed rule re-keys the whole entity. */
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/buf.h"
#include "kartoteka/store.h"

static kt_status signature(const kt_dedupe_rule *r, kt_buf *b, kt_error *err)
{
    kt_status st = kt_buf_puts(b, "v1", err);
    for (size_t f = 0; !st && f < r->n; f++)
        st = kt_buf_printf(b, err, ";%s:%s", r->fields[f].field, r->fields[f].method);
    return st;
}

static kt_status exec(kt_store *s, const char *sql, kt_id id, const char *entity, kt_error *err)
{
    sqlite3_stmt *q;
    kt_status st = kt_store_prepare(s, sql, &q, err);
    if (st) return st;
    if (id) sqlite3_bind_int64(q, 1, id);
    if (entity) sqlite3_bind_text(q, 1, entity, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? KT_OK : kt_store_fail(s, err, "keeping duplicate keys");
}

/* Keys of the active records the SELECT q yields (id, fields...). */
static kt_status key_rows(kt_store *s, const kt_dedupe_rule *r, sqlite3_stmt *q, kt_error *err)
{
    sqlite3_stmt *ins;
    kt_status st =
        kt_store_prepare(s, "INSERT INTO kt_dupe_key(key, record) VALUES (?1, ?2)", &ins, err);
    if (st) return st;
    const char *raw[64];
    int rc;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (size_t f = 0; f < r->n && f < 64; f++)
            raw[f] = (const char *)sqlite3_column_text(q, (int)f + 1);
        uint64_t k[DD_MAX_KEYS];
        int nk = dd_record_keys(r, raw, k);
        if (nk < 0) st = kt_error_set(err, KT_NOMEM, "out of memory");
        for (int i = 0; !st && i < nk; i++) {
            sqlite3_bind_int64(ins, 1, (sqlite3_int64)k[i]);
            sqlite3_bind_int64(ins, 2, sqlite3_column_int64(q, 0));
            if (sqlite3_step(ins) != SQLITE_DONE) st = kt_store_fail(s, err, "storing keys");
            sqlite3_reset(ins);
        }
    }
    if (!st && rc != SQLITE_DONE) st = kt_store_fail(s, err, "reading records");
    return st;
}

static kt_status rebuild(kt_store *s, const kt_dedupe_rule *r, kt_error *err)
{
    kt_status st = exec(s,
                        "DELETE FROM kt_dupe_key WHERE record IN "
                        "(SELECT id FROM kt_record WHERE entity = ?1)",
                        0, r->entity, err);
    char *sql = NULL;
    if (!st) st = dd_select_sql(r, NULL, &sql, err);
    sqlite3_stmt *q = NULL;
    if (!st && sqlite3_prepare_v2(kt_store_db(s), sql, -1, &q, NULL) != SQLITE_OK)
        st = kt_store_fail(s, err, "reading records");
    if (!st) st = key_rows(s, r, q, err);
    sqlite3_finalize(q);
    kt_free(sql);
    return st;
}

static kt_status rekey(kt_store *s, const kt_dedupe_rule *r, long long since, kt_error *err)
{
    char *sql = NULL;
    kt_status st = dd_select_sql(r, " AND r.id = ?1", &sql, err);
    sqlite3_stmt *changed = NULL, *one = NULL;
    /* kt_change first, by its key: the few rows since the last sync, never a scan of the
     * entity's records */
    if (!st)
        st = kt_store_prepare(
            s,
            "SELECT DISTINCT c.record FROM kt_change c NOT INDEXED CROSS JOIN kt_record "
            "r ON r.id = c.record WHERE c.id > ?1 AND +r.entity = ?2",
            &changed, err);
    if (!st) st = kt_store_prepare(s, sql, &one, err);
    if (!st) {
        sqlite3_bind_int64(changed, 1, since);
        sqlite3_bind_text(changed, 2, r->entity, -1, SQLITE_STATIC);
    }
    while (!st && sqlite3_step(changed) == SQLITE_ROW) {
        kt_id id = sqlite3_column_int64(changed, 0);
        st = exec(s, "DELETE FROM kt_dupe_key WHERE record = ?1", id, NULL, err);
        if (st) break;
        sqlite3_reset(one);
        sqlite3_bind_int64(one, 1, id);
        st = key_rows(s, r, one, err);
    }
    if (changed) sqlite3_reset(changed);
    if (one) sqlite3_reset(one);
    kt_free(sql);
    return st;
}

kt_status dd_keys_sync(kt_ws *ws, const kt_dedupe_rule *r, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_buf sig = KT_BUF_INIT;
    kt_status st = signature(r, &sig, err);
    sqlite3_stmt *q;
    long long last = -1, top = 0;
    int same_rule = 0;
    if (!st)
        st = kt_store_prepare(s,
                              "SELECT rule, last_change FROM kt_dupe_key_state "
                              "WHERE entity = ?1",
                              &q, err);
    if (!st) {
        sqlite3_bind_text(q, 1, r->entity, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) {
            same_rule = strcmp((const char *)sqlite3_column_text(q, 0), kt_buf_str(&sig)) == 0;
            last = sqlite3_column_int64(q, 1);
        }
        sqlite3_reset(q);
    }
    if (!st) st = kt_store_prepare(s, "SELECT coalesce(max(id), 0) FROM kt_change", &q, err);
    if (!st) {
        if (sqlite3_step(q) == SQLITE_ROW) top = sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
    }
    if (!st && same_rule && last == top) {
        kt_buf_free(&sig);
        return KT_OK;
    }
    /* inside a save already (the on-entry check): its transaction covers this, and a savepoint
     * of our own would make SQLite flush the search index's pending data every time */
    int own = kt_store_depth(s) == 0;
    if (!st && own) st = kt_store_begin(s, err);
    if (st) {
        kt_buf_free(&sig);
        return st;
    }
    st = same_rule ? rekey(s, r, last, err) : rebuild(s, r, err);
    if (!st)
        st = kt_store_prepare(s,
                              "INSERT OR REPLACE INTO kt_dupe_key_state(entity, rule, "
                              "last_change) VALUES (?1, ?2, ?3)",
                              &q, err);
    if (!st) {
        sqlite3_bind_text(q, 1, r->entity, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, kt_buf_str(&sig), -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, top);
        if (sqlite3_step(q) != SQLITE_DONE) st = kt_store_fail(s, err, "keeping duplicate keys");
        sqlite3_reset(q);
    }
    kt_buf_free(&sig);
    if (st) {
        if (own) kt_store_rollback(s);
        return st;
    }
    return own ? kt_store_commit(s, err) : KT_OK;
}
