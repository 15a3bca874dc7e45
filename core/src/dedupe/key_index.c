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

/* v2: keys begin with the fingerprint (keys.c) */
static kt_status signature(const kt_dedupe_rule *r, kt_buf *b, kt_error *err)
{
    kt_status st = kt_buf_puts(b, "v2", err);
    for (size_t f = 0; !st && f < r->n; f++)
        st = kt_buf_printf(b, err, ";%s:%s", r->fields[f].field, r->fields[f].method);
    for (size_t i = 0; !st && i < r->nblocking; i++) /* declared blocking makes other keys */
        st = kt_buf_printf(b, err, "%s%s", i ? " | " : ";blocking ", r->blocking[i].name);
    return st;
}

static kt_status exec(kt_store *s, const char *sql, kt_id id, const char *entity, kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(s, sql, &q, err);
    if (st) return st;
    if (id) kt_stmt_bind_int(q, 1, id);
    if (entity) kt_stmt_bind_text(q, 1, entity);
    int rc;
    while ((rc = kt_stmt_step(q)) == KT_STMT_ROW) {
    }
    kt_stmt_reset(q);
    return rc == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, "keeping duplicate keys");
}

kt_status dd_keys_put_record(kt_store *s, kt_id id, const uint64_t *k, int nk, kt_error *err)
{
    if (nk <= 0) return KT_OK;
    unsigned char b[DD_MAX_KEYS * 8];
    for (int i = 0; i < nk && i < DD_MAX_KEYS; i++)
        for (int j = 0; j < 8; j++)
            b[i * 8 + j] = (unsigned char)(k[i] >> (8 * j));
    kt_stmt *q;
    kt_status st = kt_store_prepare(
        s, "INSERT OR REPLACE INTO kt_dupe_rec(record, keys) VALUES (?1, ?2)", &q, err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, id);
    kt_stmt_bind_blob(q, 2, b, (size_t)((nk < DD_MAX_KEYS ? nk : DD_MAX_KEYS) * 8));
    int rc = kt_stmt_step(q);
    kt_stmt_reset(q);
    return rc == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, "storing keys");
}

static kt_status put_keys(kt_store *s, kt_id id, const uint64_t *k, int nk, kt_error *err)
{
    kt_stmt *ins;
    kt_status st =
        kt_store_prepare(s, "INSERT INTO kt_dupe_key(key, record) VALUES (?1, ?2)", &ins, err);
    for (int i = 0; !st && i < nk; i++) {
        kt_stmt_bind_int(ins, 1, (long long)k[i]);
        kt_stmt_bind_int(ins, 2, id);
        if (kt_stmt_step(ins) != KT_STMT_DONE) st = kt_store_fail(s, err, "storing keys");
        kt_stmt_reset(ins);
    }
    return st ? st : dd_keys_put_record(s, id, k, nk, err);
}

/* The i-th key of a kt_dupe_rec value: a BLOB, or (text not NULL) the migration's decimal
 * TEXT, read on from *text. Returns 0 past the last. */
static int nth_key(kt_stmt *q, const char **text, int i, long long *key)
{
    if (!*text) {
        size_t len;
        const unsigned char *b = kt_stmt_blob(q, 0, &len);
        if (!b || (size_t)(i + 1) * 8 > len) return 0;
        uint64_t v = 0;
        for (int j = 7; j >= 0; j--)
            v = v << 8 | b[i * 8 + j];
        *key = (long long)v;
        return 1;
    }
    char *end;
    while (**text == ' ')
        (*text)++;
    *key = strtoll(*text, &end, 10);
    if (end == *text) return 0;
    *text = end;
    return 1;
}

kt_status dd_keys_drop(kt_store *s, kt_id id, kt_error *err)
{
    kt_stmt *q, *del;
    kt_status st = kt_store_prepare(s, "SELECT keys FROM kt_dupe_rec WHERE record = ?1", &q, err);
    if (!st)
        st = kt_store_prepare(s, "DELETE FROM kt_dupe_key WHERE key = ?1 AND record = ?2", &del,
                              err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, id);
    int rc = kt_stmt_step(q);
    if (rc == KT_STMT_ROW) {
        const char *text = kt_stmt_kind(q, 0) == KT_COL_TEXT ? kt_stmt_text(q, 0) : NULL;
        long long key;
        for (int i = 0; !st && nth_key(q, &text, i, &key); i++) {
            kt_stmt_bind_int(del, 1, key);
            kt_stmt_bind_int(del, 2, id);
            if (kt_stmt_step(del) != KT_STMT_DONE) st = kt_store_fail(s, err, "removing keys");
            kt_stmt_reset(del);
        }
    } else if (rc != KT_STMT_DONE) {
        st = kt_store_fail(s, err, "reading keys");
    }
    kt_stmt_reset(q);
    return st || rc != KT_STMT_ROW
               ? st
               : exec(s, "DELETE FROM kt_dupe_rec WHERE record = ?1", id, NULL, err);
}

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
        if (!st) st = put_keys(s, kt_stmt_int(q, 0), k, nk, err);
    }
    if (!st && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading records");
    return st;
}

static kt_status rebuild(kt_store *s, const kt_dedupe_rule *r, kt_error *err)
{
    kt_status st = exec(s,
                        "DELETE FROM kt_dupe_key WHERE record IN "
                        "(SELECT id FROM kt_record WHERE entity = ?1)",
                        0, r->entity, err);
    if (!st)
        st = exec(s,
                  "DELETE FROM kt_dupe_rec WHERE record IN "
                  "(SELECT id FROM kt_record WHERE entity = ?1)",
                  0, r->entity, err);
    char *sql = NULL;
    if (!st) st = dd_select_sql(r, NULL, &sql, err);
    kt_stmt *q = NULL;
    if (!st) st = kt_store_prepare_new(s, sql, "reading records", &q, err);
    if (!st) st = key_rows(s, r, q, err);
    kt_stmt_free(q);
    kt_free(sql);
    return st;
}

kt_status dd_keys_changed(kt_store *s, const kt_dedupe_rule *r, const char *changed_sql,
                          long long since, dd_keyed_fn fn, void *ud, kt_error *err)
{
    char *sql = NULL;
    kt_status st = changed_sql ? KT_OK : dd_changed_sql(r, &sql, err);
    kt_stmt *q = NULL;
    if (!st) st = kt_store_prepare(s, changed_sql ? changed_sql : sql, &q, err);
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
    return st ? st : put_keys(s, id, k, nk, err);
}

kt_status dd_keys_state(kt_store *s, const kt_dedupe_rule *r, int *same_rule, long long *last,
                        kt_error *err)
{
    kt_buf sig = KT_BUF_INIT;
    kt_stmt *q;
    *same_rule = 0;
    *last = -1;
    kt_status st = signature(r, &sig, err);
    if (!st)
        st = kt_store_prepare(s,
                              "SELECT rule, last_change FROM kt_dupe_key_state "
                              "WHERE entity = ?1",
                              &q, err);
    if (!st) {
        kt_stmt_bind_text(q, 1, r->entity);
        int rc = kt_stmt_step(q);
        if (rc == KT_STMT_ROW) {
            const char *rule = kt_stmt_text(q, 0);
            *same_rule = rule && strcmp(rule, kt_buf_str(&sig)) == 0;
            *last = kt_stmt_int(q, 1);
        } else if (rc != KT_STMT_DONE) {
            st = kt_store_fail(s, err, "reading duplicate keys");
        }
        kt_stmt_reset(q);
    }
    kt_buf_free(&sig);
    return st;
}

kt_status dd_keys_set_state(kt_store *s, const kt_dedupe_rule *r, long long last, kt_error *err)
{
    kt_buf sig = KT_BUF_INIT;
    kt_stmt *q;
    kt_status st = signature(r, &sig, err);
    if (!st)
        st = kt_store_prepare(s,
                              "INSERT OR REPLACE INTO kt_dupe_key_state(entity, rule, "
                              "last_change) VALUES (?1, ?2, ?3)",
                              &q, err);
    if (!st) {
        kt_stmt_bind_text(q, 1, r->entity);
        kt_stmt_bind_text(q, 2, kt_buf_str(&sig));
        kt_stmt_bind_int(q, 3, last);
        if (kt_stmt_step(q) != KT_STMT_DONE) st = kt_store_fail(s, err, "keeping duplicate keys");
        kt_stmt_reset(q);
    }
    kt_buf_free(&sig);
    return st;
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
