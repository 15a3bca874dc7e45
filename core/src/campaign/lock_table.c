/* The campaign locks: kt_campaign_lock's statements, in one place. */
#include <unistd.h>

#include "campaign/campaign_int.h"
#include "kartoteka/store.h"

/* Who holds a busy lock, for the message only: the row its holder wrote after taking it. */
static kt_status busy(kt_store *s, const char *name, kt_error *err)
{
    kt_stmt *q;
    kt_status st;
    if (kt_store_prepare(s, "SELECT pid, since FROM kt_campaign_lock WHERE name = ?1", &q, err) ==
        KT_OK) {
        kt_stmt_bind_text(q, 1, name);
        if (kt_stmt_step(q) == KT_STMT_ROW && kt_stmt_int(q, 0) != (long long)getpid()) {
            st = kt_error_set(err, KT_BUSY, "%s is held by process %lld since %s", name,
                              kt_stmt_int(q, 0), kt_stmt_text(q, 1));
            kt_stmt_reset(q);
            return st;
        }
        kt_stmt_reset(q);
    }
    return kt_error_set(err, KT_BUSY, "%s is held by another process", name);
}

/* The lock itself is the workspace's (kt_ws_lock): the kernel releases it with its process. The
 * kt_campaign_lock row only names the holder for a message. */
kt_status kt_lock_take(kt_ws *ws, const char *name, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_status st = kt_ws_lock(ws, name, err);
    if (st == KT_BUSY) return busy(s, name, err);
    if (st) return st;
    char now[32];
    kt_store_now(now);
    if ((st = kt_store_begin(s, err))) goto fail;
    if ((st = kt_store_prepare(s,
                               "INSERT OR REPLACE INTO kt_campaign_lock(name, pid, since) "
                               "VALUES (?1, ?2, ?3)",
                               &q, err))) {
        kt_store_rollback(s);
        goto fail;
    }
    kt_stmt_bind_text(q, 1, name);
    kt_stmt_bind_int(q, 2, (long long)getpid());
    kt_stmt_bind_text(q, 3, now);
    if (kt_stmt_step(q) != KT_STMT_DONE) st = kt_store_fail(s, err, "taking a lock");
    kt_stmt_reset(q);
    if (st || (st = kt_store_commit(s, err))) {
        kt_store_rollback(s);
        goto fail;
    }
    return KT_OK;
fail:
    kt_ws_unlock(ws, name);
    return st;
}

void kt_lock_release(kt_ws *ws, const char *name)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_error err;
    if (!kt_store_prepare(s, "DELETE FROM kt_campaign_lock WHERE name = ?1 AND pid = ?2", &q,
                          &err)) {
        kt_stmt_bind_text(q, 1, name);
        kt_stmt_bind_int(q, 2, (long long)getpid());
        kt_stmt_step(q); /* autocommit; a row left behind names nobody once the lock is free */
        kt_stmt_reset(q);
    }
    kt_ws_unlock(ws, name);
}
