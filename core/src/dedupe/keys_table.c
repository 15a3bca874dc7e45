/* The statements of kt_dupe_key (a row per blocking key and record), kt_dupe_rec (each
 * record's keys, so they can be removed without recomputing them) and kt_dupe_key_state (what
 * the keys of an entity were made with and how far they reach), in one place. */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dd_int.h"
#include "kartoteka/buf.h"
#include "kartoteka/store.h"

/* Rows a multi-row INSERT of keys writes at once (a bulk write pays one step per 64 keys). */
#define INSERT_ROWS 64

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

kt_status dd_keys_put(kt_store *s, kt_id id, const uint64_t *k, int nk, kt_error *err)
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

static kt_status run(kt_store *s, kt_stmt *q, kt_error *err)
{
    int rc = kt_stmt_step(q);
    kt_stmt_reset(q);
    return rc == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, "storing keys");
}

kt_status dd_keys_put_pairs(kt_store *s, const int64_t (*kv)[2], size_t n, kt_error *err)
{
    kt_buf many = KT_BUF_INIT;
    kt_status st = kt_buf_puts(&many, "INSERT INTO kt_dupe_key(key, record) VALUES (?, ?)", err);
    for (int i = 1; !st && i < INSERT_ROWS; i++)
        st = kt_buf_puts(&many, ", (?, ?)", err);
    kt_stmt *one = NULL, *batch = NULL;
    if (!st) st = kt_store_prepare(s, kt_buf_str(&many), &batch, err);
    if (!st)
        st = kt_store_prepare(s, "INSERT INTO kt_dupe_key(key, record) VALUES (?1, ?2)", &one, err);
    size_t i = 0;
    for (; !st && i + INSERT_ROWS <= n; i += INSERT_ROWS) {
        for (int j = 0; j < INSERT_ROWS; j++) {
            kt_stmt_bind_int(batch, 2 * j + 1, kv[i + j][0]);
            kt_stmt_bind_int(batch, 2 * j + 2, kv[i + j][1]);
        }
        st = run(s, batch, err);
    }
    for (; !st && i < n; i++) {
        kt_stmt_bind_int(one, 1, kv[i][0]);
        kt_stmt_bind_int(one, 2, kv[i][1]);
        st = run(s, one, err);
    }
    kt_buf_free(&many);
    return st;
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
               : kt_store_run(s, "DELETE FROM kt_dupe_rec WHERE record = ?1",
                              "keeping duplicate keys", err, "i", (long long)id);
}

kt_status dd_keys_drop_entity(kt_store *s, const char *entity, kt_error *err)
{
    kt_status st = kt_store_run(s,
                                "DELETE FROM kt_dupe_key WHERE record IN "
                                "(SELECT id FROM kt_record WHERE entity = ?1)",
                                "keeping duplicate keys", err, "t", entity);
    if (!st)
        st = kt_store_run(s,
                          "DELETE FROM kt_dupe_rec WHERE record IN "
                          "(SELECT id FROM kt_record WHERE entity = ?1)",
                          "keeping duplicate keys", err, "t", entity);
    return st;
}

kt_status dd_keys_holders(kt_store *s, uint64_t key, dd_holder_fn fn, void *ud, kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(s, "SELECT record FROM kt_dupe_key WHERE key = ?1", &q, err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, (long long)key);
    int rc;
    while ((rc = kt_stmt_step(q)) == KT_STMT_ROW)
        if (fn(ud, kt_stmt_int(q, 0))) break;
    if (rc != KT_STMT_ROW && rc != KT_STMT_DONE)
        st = kt_store_fail(s, err, "looking up duplicates");
    kt_stmt_reset(q);
    return st;
}

kt_status dd_keys_each(kt_store *s, void (*fn)(void *ud, uint64_t key), void *ud, kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(s, "SELECT key FROM kt_dupe_key", &q, err);
    if (st) return st;
    int rc;
    while ((rc = kt_stmt_step(q)) == KT_STMT_ROW)
        fn(ud, (uint64_t)kt_stmt_int(q, 0));
    kt_stmt_reset(q);
    return rc == KT_STMT_DONE ? KT_OK : kt_store_fail(s, err, "reading keys");
}

kt_status dd_keys_records(kt_store *s, long long *n, kt_error *err)
{
    return kt_store_int(s, "SELECT count(*) FROM kt_dupe_rec", "reading keys", n, err);
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
    kt_status st = signature(r, &sig, err);
    if (!st)
        st = kt_store_run(s,
                          "INSERT OR REPLACE INTO kt_dupe_key_state(entity, rule, last_change) "
                          "VALUES (?1, ?2, ?3)",
                          "keeping duplicate keys", err, "tti", r->entity, kt_buf_str(&sig), last);
    kt_buf_free(&sig);
    return st;
}
