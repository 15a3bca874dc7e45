/* The outbox table: messages written by kt.send inside a campaign's transaction, listed by
 * `kt outbox list`, handed to their channels by delivery (deliver.c). Owns kt_outbox's
 * statements. */
#include <stdio.h>
#include <string.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/save.h"
#include "kartoteka/store.h"

kt_status kt_outbox_put(kt_ws *ws, const kt_outbox_row *row, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    char now[32];
    kt_store_now(now);
    kt_status st = kt_store_prepare(
        s,
        "INSERT INTO kt_outbox(campaign, record, key, seq, channel, recipient, subject, body, "
        "activity, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, row->source);
    kt_stmt_bind_int(q, 2, row->record);
    kt_stmt_bind_text(q, 3, row->key);
    kt_stmt_bind_int(q, 4, row->seq);
    kt_stmt_bind_text(q, 5, row->channel);
    kt_stmt_bind_text(q, 6, row->to);
    if (row->subject) kt_stmt_bind_text(q, 7, row->subject);
    kt_stmt_bind_text(q, 8, row->body);
    if (row->activity) kt_stmt_bind_int(q, 9, row->activity);
    kt_stmt_bind_text(q, 10, now);
    int rc = kt_stmt_step(q);
    /* the row of this event is there already: it was queued once, and once is enough */
    if (rc != KT_STMT_DONE && row->once && kt_store_failed_on_constraint(s))
        st = KT_OK;
    else if (rc != KT_STMT_DONE)
        st = kt_store_fail(s, err, "writing the outbox");
    kt_stmt_reset(q);
    return st;
}

kt_status kt_outbox_add(kt_ws *ws, kt_campaign_ctx *c, const char *channel, const char *to,
                        const char *subject, const char *body, kt_id activity, kt_error *err)
{
    kt_outbox_row row = {c->campaign, c->record, c->key, c->seq,   channel,
                         to,          subject,   body,   activity, 0};
    return kt_outbox_put(ws, &row, err);
}

/* The status of message id, copied into out; KT_NOTFOUND when there is none. */
static kt_status message_status(kt_store *s, kt_id id, char *out, size_t size, kt_error *err)
{
    kt_stmt *q;
    kt_status st = kt_store_prepare(s, "SELECT status FROM kt_outbox WHERE id = ?1", &q, err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, id);
    int rc = kt_stmt_step(q);
    if (rc == KT_STMT_ROW)
        snprintf(out, size, "%s", kt_stmt_text(q, 0));
    else if (rc == KT_STMT_DONE)
        st = kt_error_set(err, KT_NOTFOUND, "there is no message %lld in the outbox", id);
    else
        st = kt_store_fail(s, err, "reading the outbox");
    kt_stmt_reset(q);
    return st;
}

kt_status kt_outbox_retry(kt_ws *ws, kt_id id, const char *campaign, long *n, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    *n = 0;
    char status[16];
    kt_status st = id ? message_status(s, id, status, sizeof status, err) : KT_OK;
    if (st) return st;
    if (id && strcmp(status, "failed") != 0)
        return kt_error_set(err, KT_INVALID,
                            "message %lld is %s: only a failed message is retried%s", id, status,
                            strcmp(status, "queued") ? ""
                                                     : " (a queued one goes with the next "
                                                       "kt outbox deliver)");
    kt_stmt *q;
    if ((st = kt_store_prepare(s,
                               "UPDATE kt_outbox SET next_attempt = NULL WHERE status = 'failed' "
                               "AND (?1 = 0 OR id = ?1) AND (?2 IS NULL OR campaign = ?2)",
                               &q, err)))
        return st;
    kt_stmt_bind_int(q, 1, id);
    if (campaign) kt_stmt_bind_text(q, 2, campaign);
    if (kt_stmt_step(q) != KT_STMT_DONE)
        st = kt_store_fail(s, err, "retrying the outbox");
    else
        *n = (long)kt_store_changes(s);
    kt_stmt_reset(q);
    return st;
}

kt_status kt_outbox_activity(kt_ws *ws, kt_id activity, const char *status, const char *now,
                             kt_error *err)
{
    kt_record *a = kt_record_new("activity");
    char at[32];
    snprintf(at, sizeof at, "%.19s", now);
    kt_save_opts o = {.source = "outbox", .allow_duplicate = 1};
    kt_status st;
    if (a) a->id = activity;
    if (!a)
        st = kt_error_set(err, KT_NOMEM, "out of memory");
    else if (!(st = kt_record_set(a, "status", status, err)) &&
             !(st = kt_record_set(a, "at", at, err)))
        st = kt_save(ws, a, &o, NULL, err);
    kt_record_free(a);
    return st == KT_NOTFOUND ? KT_OK
                             : st; /* the activity was removed by hand: the message stands */
}

/* The activities of the messages a cancel takes: queued or failed ones of id or campaign. */
static kt_status cancel_activities(kt_store *s, kt_id id, const char *campaign, kt_ids *out,
                                   long *n, kt_error *err)
{
    kt_stmt *q;
    *n = 0;
    memset(out, 0, sizeof *out);
    kt_status st = kt_store_prepare(s,
                                    "SELECT activity FROM kt_outbox WHERE status IN ('queued', "
                                    "'failed') AND (?1 = 0 OR id = ?1) AND (?2 IS NULL OR "
                                    "campaign = ?2) ORDER BY id",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, id);
    if (campaign) kt_stmt_bind_text(q, 2, campaign);
    int rc;
    while (!st && (rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        (*n)++;
        if (!kt_stmt_is_null(q, 0)) st = kt_ids_add(out, kt_stmt_int(q, 0), err);
    }
    if (!st && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading the outbox");
    kt_stmt_reset(q);
    return st;
}

kt_status kt_outbox_cancel(kt_ws *ws, kt_id id, const char *campaign, int dry_run, long *n,
                           kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    *n = 0;
    char status[16];
    kt_status st = kt_auth_allow(ws, KT_ACT_CAMPAIGN, NULL, err);
    if (!st && id) st = message_status(s, id, status, sizeof status, err);
    if (st) return st;
    if (id && (!strcmp(status, "sent") || !strcmp(status, "cancelled")))
        return kt_error_set(err, KT_INVALID,
                            "message %lld is %s: only a queued or failed message "
                            "is cancelled",
                            id, status);
    /* a delivery running now could otherwise mark a message it had loaded after the cancel */
    if ((st = kt_lock_take(ws, "outbox", err))) return st;
    kt_ids acts;
    char now[32];
    kt_store_now(now);
    if ((st = kt_store_begin(s, err))) goto unlock;
    st = cancel_activities(s, id, campaign, &acts, n, err);
    if (!st && !dry_run && *n) {
        kt_stmt *q;
        if (!(st = kt_store_prepare(s,
                                    "UPDATE kt_outbox SET status = 'cancelled', next_attempt = "
                                    "NULL WHERE status IN ('queued', 'failed') AND (?1 = 0 OR "
                                    "id = ?1) AND (?2 IS NULL OR campaign = ?2)",
                                    &q, err))) {
            kt_stmt_bind_int(q, 1, id);
            if (campaign) kt_stmt_bind_text(q, 2, campaign);
            if (kt_stmt_step(q) != KT_STMT_DONE) st = kt_store_fail(s, err, "cancelling messages");
            kt_stmt_reset(q);
        }
        /* the person's activity for the message was planned: it is cancelled too */
        for (size_t i = 0; !st && i < acts.n; i++)
            st = kt_outbox_activity(ws, acts.v[i], "cancelled", now, err);
    }
    kt_ids_free(&acts);
    if (st || dry_run)
        kt_store_rollback(s);
    else
        st = kt_store_commit(s, err);
unlock:
    kt_lock_release(ws, "outbox");
    return st;
}

static const char *col(kt_stmt *q, int i)
{
    return kt_stmt_text(q, i);
}

kt_status kt_outbox_list(kt_ws *ws, const char *status, kt_outbox_cb cb, void *ud, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_status st = kt_store_prepare(
        s,
        "SELECT id, campaign, record, key, channel, recipient, subject, body, status, attempts, "
        "last_error, next_attempt, created_at, sent_at FROM kt_outbox "
        "WHERE ?1 IS NULL OR status = ?1 ORDER BY id",
        &q, err);
    if (st) return st;
    if (status) kt_stmt_bind_text(q, 1, status);
    int rc;
    while ((rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        kt_outbox_msg m = {
            kt_stmt_int(q, 0), col(q, 1),  kt_stmt_int(q, 2), col(q, 3), col(q, 4),
            col(q, 5),         col(q, 6),  col(q, 7),         col(q, 8), (long)kt_stmt_int(q, 9),
            col(q, 10),        col(q, 11), col(q, 12),        col(q, 13)};
        if (cb(ud, &m)) break;
    }
    if (rc != KT_STMT_ROW && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading the outbox");
    kt_stmt_reset(q);
    return st;
}

kt_status kt_outbox_erase_record(kt_ws *ws, kt_id record, long *n, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    /* what was not sent yet never will be: the address is gone */
    kt_status st = kt_store_run(s,
                                "UPDATE kt_outbox SET recipient = '[erased]', subject = NULL, "
                                "body = '[erased]', last_error = NULL, next_attempt = NULL, "
                                "status = CASE WHEN status = 'sent' THEN 'sent' ELSE 'cancelled' "
                                "END WHERE record = ?1",
                                "erasing the outbox", err, "i", (long long)record);
    if (!st && n) *n = (long)kt_store_changes(s);
    return st;
}

kt_status kt_outbox_rekey(kt_ws *ws, kt_id record, const char *value, const char *with,
                          kt_error *err)
{
    return kt_store_run(kt_ws_store(ws),
                        "UPDATE kt_outbox SET key = replace(key, ?2, ?3) "
                        "WHERE record = ?1 AND instr(key, ?2) > 0",
                        "erasing the outbox", err, "itt", (long long)record, value, with);
}

void kt_outbox_pending_free(kt_outbox_pending *p)
{
    kt_free(p->channel);
    kt_free(p->to);
    kt_free(p->subject);
    kt_free(p->body);
    kt_free(p->next);
}

static char *dup_col(kt_stmt *q, int i)
{
    const char *t = kt_stmt_text(q, i);
    return t ? kt_strdup(t) : NULL;
}

kt_status kt_outbox_pending_get(kt_store *s, kt_id id, kt_outbox_pending *p, int *found,
                                kt_error *err)
{
    kt_stmt *q;
    memset(p, 0, sizeof *p);
    kt_status st = kt_store_prepare(s,
                                    "SELECT channel, recipient, subject, body, next_attempt, "
                                    "attempts, activity FROM kt_outbox WHERE id = ?1 AND "
                                    "status IN ('queued', 'failed')",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, id);
    int rc = kt_stmt_step(q);
    *found = rc == KT_STMT_ROW;
    if (*found) {
        p->id = id;
        p->channel = dup_col(q, 0);
        p->to = dup_col(q, 1);
        p->subject = dup_col(q, 2);
        p->body = dup_col(q, 3);
        p->next = dup_col(q, 4);
        p->attempts = (long)kt_stmt_int(q, 5);
        p->activity = kt_stmt_int(q, 6);
        if (!p->channel || !p->to || !p->body) st = kt_error_set(err, KT_NOMEM, "out of memory");
    } else if (rc != KT_STMT_DONE) {
        st = kt_store_fail(s, err, "reading the outbox");
    }
    kt_stmt_reset(q);
    return st;
}

kt_status kt_outbox_pending_ids(kt_store *s, kt_ids *ids, kt_error *err)
{
    kt_stmt *q;
    memset(ids, 0, sizeof *ids);
    kt_status st = kt_store_prepare(s,
                                    "SELECT id FROM kt_outbox WHERE status IN ('queued', "
                                    "'failed') ORDER BY id",
                                    &q, err);
    if (st) return st;
    int rc;
    while (!st && (rc = kt_stmt_step(q)) == KT_STMT_ROW)
        st = kt_ids_add(ids, kt_stmt_int(q, 0), err);
    kt_stmt_reset(q);
    return st;
}

kt_status kt_outbox_mark(kt_store *s, kt_id id, int ok, const char *error, const char *next,
                         const char *now, kt_error *err)
{
    return kt_store_run(s,
                        "UPDATE kt_outbox SET status = ?2, attempts = attempts + 1, "
                        "last_error = ?3, next_attempt = ?4, sent_at = ?5 WHERE id = ?1",
                        "updating the outbox", err, "itttt", (long long)id, ok ? "sent" : "failed",
                        ok ? NULL : error, ok ? NULL : next, ok ? now : NULL);
}
