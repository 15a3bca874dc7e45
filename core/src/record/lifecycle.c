/* Archive and restore: a record's state changes, with history; nothing is ever deleted. */
#include <stdio.h>
#include <string.h>

#include "kartoteka/query.h"
#include "kartoteka/save.h"
#include "record/access.h"
#include "record/lifecycle.h"
#include "record/record_table.h"
#include "record/rollup_table.h"

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
    char state[16];
    kt_id winner = 0;
    if ((rc = kt_record_state_get(s, id, state, &winner, err))) goto out;
    if (strcmp(state, to) == 0) goto out; /* already there: nothing to do, nothing to record */
    if (strcmp(state, from) != 0) {
        if (!strcmp(state, "merged"))
            rc = kt_error_set(err, KT_CONSTRAINT, "record %lld was merged into %lld", id, winner);
        else
            rc = kt_error_set(err, KT_CONSTRAINT, "record %lld is %s, not %s", id, state, from);
        goto out;
    }
    if ((rc = kt_record_state_set(s, id, to, 0, err))) goto out;
    rc = kt_history_add(ws, id, action, "state", from, to, source, opts ? opts->batch : 0, err);
    char entity[64];
    if (!rc) rc = kt_ws_entity_of(ws, id, entity, sizeof entity, err);
    if (!rc) rc = kt_rollup_sale(ws, entity, id, strcmp(to, "active") == 0 ? 1 : -1, err);
    if (!rc) {
        kt_event ev = {entity, id, !strcmp(to, "archived") ? "archived" : "restored", NULL, NULL};
        rc = kt_ws_event(ws, &ev, err);
    }
out:
    if (rc)
        kt_store_rollback(s);
    else
        rc = kt_store_commit(s, err);
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

kt_status kt_record_merge_state(kt_ws *ws, kt_id id, const char *from, const char *to,
                                kt_id merged_into, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    char state[16], entity[64];
    kt_id winner = 0;
    kt_status rc = kt_record_state_get(s, id, state, &winner, err);
    if (!rc && strcmp(state, from) != 0) {
        if (!strcmp(state, "merged"))
            return kt_error_set(err, KT_CONSTRAINT, "record %lld was merged into %lld", id, winner);
        return kt_error_set(err, KT_CONSTRAINT, "record %lld is %s, not %s", id, state, from);
    }
    if (!rc) rc = kt_ws_entity_of(ws, id, entity, sizeof entity, err);
    if (!rc) rc = kt_record_state_set(s, id, to, merged_into, err);
    if (!rc) rc = kt_rollup_sale(ws, entity, id, strcmp(to, "active") == 0 ? 1 : -1, err);
    return rc;
}
