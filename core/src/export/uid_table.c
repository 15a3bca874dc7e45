/* The statements of kt_workspace_uid (the workspace's one export uid) and kt_record_key
 * (schema/008: the keys records came in under from another workspace's export). */
#include <string.h>

#include "export/export_int.h"
#include "kartoteka/store.h"

kt_status ex_uid_read(kt_store *s, char uid[KT_EXPORT_UID_SIZE], kt_error *err)
{
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

kt_status ex_record_key_find(kt_store *s, const char *key, kt_id *id, kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(s, "SELECT record FROM kt_record_key WHERE key = ?1", &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, key);
    int rc = kt_stmt_step(q);
    if (rc == KT_STMT_ROW)
        *id = kt_stmt_int(q, 0);
    else if (rc != KT_STMT_DONE)
        st = kt_store_fail(s, err, "looking up an export key");
    kt_stmt_reset(q);
    return st;
}

kt_status ex_record_key_put(kt_store *s, const char *key, kt_id id, kt_error *err)
{
    return kt_store_run(s, "INSERT OR REPLACE INTO kt_record_key(key, record) VALUES (?1, ?2)",
                        "keeping an export key", err, "ti", key, (long long)id);
}
