/* The kt_batch row of an import: written and committed before the first row (so a process that
 * dies leaves "running" behind, shown as interrupted once that process is gone), finished in
 * the import's own transaction, forgotten when the import changed nothing (a malformed file).
 * The running import holds the batch's lock (kt_ws_lock) until it is over: the kernel releases
 * it with the process, so a batch whose lock is free is not running, whatever its row says. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "import/import_int.h"
#include "kartoteka/buf.h"

kt_status imp_batch_start(kt_ws *ws, const char *source, long long *id, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    char now[32], pid[64];
    kt_store_now(now);
    snprintf(pid, sizeof pid, "{\"pid\": %ld}", (long)getpid());
    kt_stmt *st;
    kt_status rc = kt_store_begin(s, err);
    if (rc) return rc;
    rc = kt_store_prepare(s,
                          "INSERT INTO kt_batch(kind, source, started_at, status, summary) "
                          "VALUES ('import', ?1, ?2, 'running', ?3)",
                          &st, err);
    if (!rc) {
        kt_stmt_bind_text(st, 1, source);
        kt_stmt_bind_text(st, 2, now);
        kt_stmt_bind_text(st, 3, pid);
        if (kt_stmt_step(st) != KT_STMT_DONE)
            rc = kt_store_fail(s, err, "starting a batch");
        else
            *id = kt_store_last_id(s);
    }
    if (rc || (rc = kt_store_commit(s, err))) kt_store_rollback(s); /* a failed commit too */
    if (!rc) {
        char name[64];
        snprintf(name, sizeof name, "import:%lld", *id);
        rc = kt_ws_lock(ws, name, err); /* a new id: only a bug could find it taken */
        if (rc) {
            kt_error e2;
            imp_batch_forget(ws, *id, &e2);
        }
    }
    return rc;
}

void imp_batch_release(kt_ws *ws, long long id)
{
    char name[64];
    snprintf(name, sizeof name, "import:%lld", id);
    if (id) kt_ws_unlock(ws, name);
}

kt_status imp_batch_finish(kt_ws *ws, long long id, const char *status,
                           const kt_import_summary *sum, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    char now[32], json[512];
    kt_store_now(now);
    snprintf(json, sizeof json,
             "{\"batch\": \"%lld\", \"rows\": %ld, \"created\": %ld, \"updated\": %ld, "
             "\"merged\": %ld, \"skipped\": %ld, \"rejected\": %ld}",
             id, sum->rows, sum->created, sum->updated, sum->merged, sum->skipped, sum->rejected);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s,
                                    "UPDATE kt_batch SET status = ?2, finished_at = ?3, "
                                    "summary = ?4 WHERE id = ?1",
                                    &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    kt_stmt_bind_text(st, 2, status);
    kt_stmt_bind_text(st, 3, now);
    kt_stmt_bind_text(st, 4, json);
    if (kt_stmt_step(st) != KT_STMT_DONE) return kt_store_fail(s, err, "finishing a batch");
    return KT_OK;
}

kt_status imp_batch_forget(kt_ws *ws, long long id, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s, "DELETE FROM kt_batch WHERE id = ?1", &st, err);
    if (rc) return rc;
    kt_stmt_bind_int(st, 1, id);
    if (kt_stmt_step(st) != KT_STMT_DONE) return kt_store_fail(s, err, "forgetting a batch");
    return KT_OK;
}

/* A "running" batch whose lock is free was interrupted: its process is gone. */
static int interrupted(kt_ws *ws, long long id)
{
    char name[64];
    int held = 1;
    kt_error err;
    snprintf(name, sizeof name, "import:%lld", id);
    return kt_ws_lock_held(ws, name, &held, &err) == KT_OK && !held;
}

kt_status kt_import_list(kt_ws *ws, kt_batch_cb cb, void *ud, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *st;
    kt_status rc = kt_store_prepare(s,
                                    "SELECT id, kind, source, started_at, finished_at, status, "
                                    "summary FROM kt_batch ORDER BY id",
                                    &st, err);
    if (rc) return rc;
    int r;
    while ((r = kt_stmt_step(st)) == KT_STMT_ROW) {
        kt_batch_info b = {
            kt_stmt_int(st, 0),  kt_stmt_text(st, 1), kt_stmt_text(st, 2), kt_stmt_text(st, 3),
            kt_stmt_text(st, 4), kt_stmt_text(st, 5), kt_stmt_text(st, 6),
        };
        if (b.status && !strcmp(b.status, "running") && interrupted(ws, b.id))
            b.status = "interrupted";
        if (cb(ud, &b)) break;
    }
    if (r != KT_STMT_ROW && r != KT_STMT_DONE) rc = kt_store_fail(s, err, "listing batches");
    kt_stmt_reset(st);
    return rc;
}
