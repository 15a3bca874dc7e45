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
    kt_status rc = kt_store_begin(s, err);
    if (rc) return rc;
    rc = imp_batch_row_add(s, source, now, pid, id, err);
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
    return imp_batch_row_finish(s, id, status, now, json, err);
}

kt_status imp_batch_forget(kt_ws *ws, long long id, kt_error *err)
{
    return imp_batch_row_delete(kt_ws_store(ws), id, err);
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

typedef struct listing {
    kt_ws *ws;
    kt_batch_cb cb;
    void *ud;
} listing;

static int list_one(void *ud, kt_batch_info *b)
{
    listing *l = ud;
    if (b->status && !strcmp(b->status, "running") && interrupted(l->ws, b->id))
        b->status = "interrupted";
    return l->cb(l->ud, b);
}

kt_status kt_import_list(kt_ws *ws, kt_batch_cb cb, void *ud, kt_error *err)
{
    listing l = {ws, cb, ud};
    return imp_batch_rows_each(kt_ws_store(ws), list_one, &l, err);
}
