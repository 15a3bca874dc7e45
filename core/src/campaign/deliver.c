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

static kt_status mark(kt_ws *ws, const kt_outbox_pending *p, int ok, const char *error,
                      const char *now, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    char next[32];
    kt_status st = kt_store_begin(s, err);
    if (st) return st;
    if (!ok) next_attempt(now, p->attempts + 1, next);
    st = kt_outbox_mark(s, p->id, ok, error, ok ? NULL : next, now, err);
    if (!st && ok && p->activity) st = kt_outbox_activity(ws, p->activity, "done", now, err);
    if (st) goto fail;
    return kt_store_commit(s, err);
fail:
    kt_store_rollback(s);
    return st;
}

static kt_status deliver_one(kt_ws *ws, const kt_outbox_pending *p, const char *now,
                             kt_outbox_result *res, kt_error *err)
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
    st = kt_outbox_pending_ids(s, &ids, err);
    for (size_t i = 0; !st && i < ids.n; i++) {
        kt_outbox_pending p;
        int found = 0;
        st = kt_outbox_pending_get(s, ids.v[i], &p, &found, err);
        if (!st && found) {
            if (p.next && strcmp(p.next, now) > 0)
                res->waiting++;
            else
                st = deliver_one(ws, &p, now, res, err);
        }
        kt_outbox_pending_free(&p);
    }
    kt_ids_free(&ids);
    kt_lock_release(ws, "outbox");
    return st;
}
