/* Export keys: "<workspace uid>:<id>" names a record in every export of its workspace, and the
 * kt_record_key table (schema/008) remembers the keys records came in under from another
 * workspace's export. This file owns both tables. */
#include <stdlib.h>
#include <string.h>

#include "kartoteka/export.h"
#include "kartoteka/store.h"

kt_status kt_export_uid(kt_ws *ws, char uid[KT_EXPORT_UID_SIZE], kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_status st = kt_store_prepare(s, "SELECT uid FROM kt_workspace_uid LIMIT 1", &q, err);
    if (st) return st;
    int rc = kt_stmt_step(q);
    const char *t = rc == KT_STMT_ROW ? kt_stmt_text(q, 0) : NULL;
    if (!t || strlen(t) != KT_EXPORT_UID_SIZE - 1) {
        st = rc == KT_STMT_ROW || rc == KT_STMT_DONE
                 ? kt_error_set(err, KT_INTERNAL, "the workspace has no export uid")
                 : kt_store_fail(s, err, "reading the workspace's uid");
    } else {
        memcpy(uid, t, KT_EXPORT_UID_SIZE);
    }
    kt_stmt_reset(q);
    return st;
}

int kt_export_key_parse(const char *text, char uid[KT_EXPORT_UID_SIZE], kt_id *id)
{
    if (!text || strspn(text, "0123456789abcdef") != KT_EXPORT_UID_SIZE - 1 ||
        text[KT_EXPORT_UID_SIZE - 1] != ':')
        return 0;
    const char *num = text + KT_EXPORT_UID_SIZE;
    size_t n = strspn(num, "0123456789");
    if (n == 0 || n > 18 || num[n] != '\0') return 0;
    memcpy(uid, text, KT_EXPORT_UID_SIZE - 1);
    uid[KT_EXPORT_UID_SIZE - 1] = '\0';
    *id = strtoll(num, NULL, 10);
    return *id > 0;
}

kt_status kt_export_key_find(kt_ws *ws, const char *key, kt_id *id, kt_error *err)
{
    char uid[KT_EXPORT_UID_SIZE], own[KT_EXPORT_UID_SIZE];
    kt_id n;
    *id = 0;
    if (!kt_export_key_parse(key, uid, &n)) return KT_OK;
    kt_status st = kt_export_uid(ws, own, err);
    if (st) return st;
    kt_store *s = kt_ws_store(ws);
    int mine = strcmp(uid, own) == 0;
    kt_stmt *q;
    /* our own export read back: the key is the id itself */
    st = kt_store_prepare(s,
                          mine ? "SELECT id FROM kt_record WHERE id = ?2"
                               : "SELECT record FROM kt_record_key WHERE key = ?1",
                          &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, key);
    kt_stmt_bind_int(q, 2, n);
    int rc = kt_stmt_step(q);
    if (rc == KT_STMT_ROW)
        *id = kt_stmt_int(q, 0);
    else if (rc != KT_STMT_DONE)
        st = kt_store_fail(s, err, "looking up an export key");
    kt_stmt_reset(q);
    return st;
}

kt_status kt_export_key_keep(kt_ws *ws, const char *key, kt_id id, kt_error *err)
{
    char uid[KT_EXPORT_UID_SIZE], own[KT_EXPORT_UID_SIZE];
    kt_id n;
    if (!kt_export_key_parse(key, uid, &n)) return KT_OK;
    kt_status st = kt_export_uid(ws, own, err);
    if (st || strcmp(uid, own) == 0) return st;
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    st = kt_store_prepare(s, "INSERT OR REPLACE INTO kt_record_key(key, record) VALUES (?1, ?2)",
                          &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, key);
    kt_stmt_bind_int(q, 2, id);
    if (kt_stmt_step(q) != KT_STMT_DONE) st = kt_store_fail(s, err, "keeping an export key");
    kt_stmt_reset(q);
    return st;
}
