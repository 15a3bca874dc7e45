/* Archive and restore: a record's state changes, with history; nothing is ever deleted. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "record/access.h"

static kt_status set_state(kt_ws *ws, kt_id id, const char *from, const char *to,
                           const char *action, const kt_save_opts *opts, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_save_opts o = opts ? *opts : (kt_save_opts){0};
    char who[KT_ACCESS_SOURCE_MAX];
    kt_status rc = kt_access_write(ws, KT_ACT_ARCHIVE, NULL, &o, who, err);
    if (rc) return rc;
    const char *source = o.source ? o.source : "api";
    rc = kt_store_begin(s, err);
    if (rc) return rc;
    if ((rc = kt_access_change_id(ws, id, err))) goto out;
    sqlite3_stmt *st;
    if ((rc = kt_store_prepare(s, "SELECT state, merged_into FROM kt_record WHERE id = ?1", &st, err)))
        goto out;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = kt_error_set(err, KT_NOTFOUND, "no record with id %lld", id);
        goto out;
    }
    char state[16];
    snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(st, 0));
    long long winner = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    if (strcmp(state, to) == 0) goto out; /* already there: nothing to do, nothing to record */
    if (strcmp(state, from) != 0) {
        if (!strcmp(state, "merged"))
            rc = kt_error_set(err, KT_CONSTRAINT, "record %lld was merged into %lld", id, winner);
        else
            rc = kt_error_set(err, KT_CONSTRAINT, "record %lld is %s, not %s", id, state, from);
        goto out;
    }
    char now[32];
    kt_store_now(now);
    if ((rc = kt_store_prepare(s, "UPDATE kt_record SET state = ?2, updated_at = ?3 WHERE id = ?1",
                               &st, err)))
        goto out;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = kt_store_fail(s, err, "changing a record's state");
        goto out;
    }
    rc = kt_history_add(ws, id, action, "state", from, to, source, opts ? opts->batch : 0, err);
    char entity[64];
    if (!rc) rc = kt_ws_entity_of(ws, id, entity, sizeof entity, err);
    if (!rc) {
        kt_event ev = {entity, id, !strcmp(to, "archived") ? "archived" : "restored", NULL, NULL};
        rc = kt_ws_event(ws, &ev, err);
    }
out:
    if (rc) kt_store_rollback(s);
    else rc = kt_store_commit(s, err);
    return rc;
}

kt_status kt_archive(kt_ws *ws, kt_id id, const kt_save_opts *opts, kt_error *err)
{
    return set_state(ws, id, "active", "archived", "archive", opts, err);
}

kt_status kt_restore(kt_ws *ws, kt_id id, const kt_save_opts *opts, kt_error *err)
{
    return set_state(ws, id, "archived", "active", "restore", opts, err);
}
