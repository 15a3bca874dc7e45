/* Delivery: hands pending outbox messages to their channels. A message is marked sent only
 * after its channel accepted it, in a transaction of its own that also marks the person's
 * activity done. The one window where a crash repeats a message: between the channel's
 * acceptance and that commit; the next delivery sends it again (once). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/save.h"
#include "kartoteka/store.h"

typedef struct pending {
    kt_id id;
    char *channel, *to, *subject, *body, *next;
    long attempts;
    kt_id activity;
} pending;

static void pending_free(pending *p)
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

static kt_status load(kt_store *s, kt_id id, pending *p, int *found, kt_error *err)
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

static kt_status pending_ids(kt_store *s, kt_ids *ids, kt_error *err)
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

/* now + 5 minutes * 2^(attempts-1), at most a day later: a broken server is not hammered. */
static void next_attempt(const char *now, long attempts, char out[32])
{
    struct tm tm = {0};
    sscanf(now, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
           &tm.tm_min, &tm.tm_sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    long delay = 300;
    for (long i = 1; i < attempts && delay < 86400; i++)
        delay *= 2;
    if (delay > 86400) delay = 86400;
    time_t t = timegm(&tm) + delay;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static kt_status mark(kt_ws *ws, const pending *p, int ok, const char *error, const char *now,
                      kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    char next[32];
    kt_status st = kt_store_begin(s, err);
    if (st) return st;
    if ((st = kt_store_prepare(s,
                               "UPDATE kt_outbox SET status = ?2, attempts = attempts + 1, "
                               "last_error = ?3, next_attempt = ?4, sent_at = ?5 WHERE id = ?1",
                               &q, err)))
        goto fail;
    kt_stmt_bind_int(q, 1, p->id);
    kt_stmt_bind_text(q, 2, ok ? "sent" : "failed");
    if (!ok) {
        next_attempt(now, p->attempts + 1, next);
        kt_stmt_bind_text(q, 3, error);
        kt_stmt_bind_text(q, 4, next);
    } else {
        kt_stmt_bind_text(q, 5, now);
    }
    if (kt_stmt_step(q) != KT_STMT_DONE) st = kt_store_fail(s, err, "updating the outbox");
    kt_stmt_reset(q);
    if (!st && ok && p->activity) st = kt_outbox_activity(ws, p->activity, "done", now, err);
    if (st) goto fail;
    return kt_store_commit(s, err);
fail:
    kt_store_rollback(s);
    return st;
}

static kt_status deliver_one(kt_ws *ws, const pending *p, const char *now, kt_outbox_result *res,
                             kt_error *err)
{
    const char *resolved = kt_channel_resolve(ws, p->channel);
    kt_error why;
    const kt_plugin_channel *ch = kt_channel_find(ws, resolved, &why);
    char msg[1024] = "", id[32];
    int ok = 0;
    snprintf(id, sizeof id, "%lld", p->id);
    if (!ch) {
        snprintf(msg, sizeof msg, "%.1000s", why.message);
    } else {
        /* a webhook's secret is named by its declaration, not by the channel's settings */
        char *settings = strcmp(p->channel, "webhook")
                             ? kt_channel_settings(ws, p->channel, resolved)
                             : kt_webhook_settings(ws, resolved, p->subject, p->to);
        if (!settings) return kt_error_set(err, KT_NOMEM, "out of memory");
        kt_plugin_message m = {id, p->to, p->subject, p->body, settings};
        ok = ch->deliver(ch->ud, &m, msg, sizeof msg) == KT_PLUGIN_OK;
        kt_free(settings);
        if (!ok && !msg[0])
            snprintf(msg, sizeof msg, "the %s channel refused the message", resolved);
    }
    /* a crash from here to mark()'s commit is the one window that repeats a message */
    kt_status st = mark(ws, p, ok, msg, now, err);
    if (!st) {
        if (ok)
            res->sent++;
        else
            res->failed++;
    }
    return st;
}

kt_status kt_outbox_deliver(kt_ws *ws, kt_outbox_result *res, kt_error *err)
{
    kt_outbox_result local;
    if (!res) res = &local;
    memset(res, 0, sizeof *res);
    kt_status st = kt_auth_allow(ws, KT_ACT_CAMPAIGN, NULL, err);
    if (st || (st = kt_channels_register(ws, err))) return st;
    if ((st = kt_lock_take(ws, "outbox", err))) return st;
    kt_store *s = kt_ws_store(ws);
    kt_ids ids;
    char now[32];
    kt_store_now(now);
    st = pending_ids(s, &ids, err);
    for (size_t i = 0; !st && i < ids.n; i++) {
        pending p;
        int found = 0;
        st = load(s, ids.v[i], &p, &found, err);
        if (!st && found) {
            if (p.next && strcmp(p.next, now) > 0)
                res->waiting++;
            else
                st = deliver_one(ws, &p, now, res, err);
        }
        pending_free(&p);
    }
    kt_ids_free(&ids);
    kt_lock_release(ws, "outbox");
    return st;
}
