/* One campaign run for one day. Each record that the audience reaches acts in its own
 * transaction (BEGIN IMMEDIATE) which re-checks the ledger, runs the action (its outbox rows,
 * tasks and activities) and writes the ledger row: all or nothing per record, so a run killed
 * anywhere and run again completes the rest and repeats nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign/campaign_int.h"
#include "kartoteka/alloc.h"
#include "kartoteka/auth.h"
#include "kartoteka/date.h"
#include "kartoteka/query.h"

typedef struct run_state {
    kt_ws *ws;
    const kt_ext_campaign *d;
    const char *day;
    const kt_campaign_run_opts *o;
    kt_campaign_result *res;
    long long run_id;
    kt_run_clock clock; /* the whole run's time: setting campaign_time_ms */
} run_state;

/* A run's own budget on top of each call's: an audience that loops costs the per-call budget
 * for every record, which over 200 000 people would be days. */
#define CAMPAIGN_DEFAULT_TIME_MS 600000UL

#define SOURCE "campaign.source"

kt_status campaign_source_set(kt_ws *ws, const campaign_source *s, kt_error *err)
{
    return kt_ws_attach(ws, SOURCE, (void *)s, NULL, err);
}

static unsigned long run_budget_ms(kt_ws *ws)
{
    const char *v = kt_ws_setting(ws, "campaign_time_ms");
    char *end = NULL;
    unsigned long ms = v ? strtoul(v, &end, 10) : 0;
    return ms && end && !*end ? ms : CAMPAIGN_DEFAULT_TIME_MS;
}

int kt_run_clock_over(const kt_run_clock *clock)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    unsigned long ms = (unsigned long)((now.tv_sec - clock->started.tv_sec) * 1000L +
                                       (now.tv_nsec - clock->started.tv_nsec) / 1000000L);
    return ms > clock->budget_ms;
}

static void report(run_state *s, kt_campaign_ctx *c, const char *error)
{
    if (!s->o->on_step) return;
    char *m = c->messages ? cJSON_PrintUnformatted(c->messages) : NULL;
    char *t = c->tasks ? cJSON_PrintUnformatted(c->tasks) : NULL;
    char *k = c->skipped ? cJSON_PrintUnformatted(c->skipped) : NULL;
    kt_campaign_step step = {s->d->name,   s->day,       c->record, c->key,
                             m ? m : "[]", t ? t : "[]", error,     k ? k : "[]"};
    s->o->on_step(s->o->ud, &step);
    cJSON_free(m);
    cJSON_free(t);
    cJSON_free(k);
}

/* Runs the action inside its own transaction. KT_CONSTRAINT: the ledger already has it. */
static kt_status act(run_state *s, const kt_record *rec, kt_campaign_ctx *c, kt_error *err)
{
    kt_store *store = kt_ws_store(s->ws);
    kt_status st = kt_store_begin(store, err);
    if (st) return st;
    int has = 0;
    /* inside BEGIN IMMEDIATE: a concurrent run that acted first is seen here */
    if ((st = kt_ledger_has(s->ws, c->campaign, c->record, c->key, &has, err))) goto fail;
    if (has) {
        st = KT_CONSTRAINT;
        goto fail;
    }
    if ((st = s->d->act(s->d->ud, s->ws, rec, s->day, c, err))) goto fail;
    if (s->o->dry_run) {
        kt_store_rollback(store);
        return KT_OK;
    }
    if ((st = kt_ledger_add(s->ws, c, s->run_id, err))) goto fail;
    return kt_store_commit(store, err);
fail:
    kt_store_rollback(store);
    return st;
}

/* One record the audience reached (or whose audience failed: error): key, ledger, action.
 * Errors of the record's own scripts are counted and reported; only errors of the store stop
 * the run. */
static kt_status one(run_state *s, kt_id id, const char *error, kt_error *err)
{
    kt_record *rec = NULL;
    kt_campaign_ctx c = {s->ws,           s->d->name, s->d->entity, s->day, id,   NULL,
                         s->d->marketing, 0,          NULL,         NULL,   NULL, s->d->purpose};
    char key[512];
    kt_error e2;
    kt_status st;
    if (error) {
        st = kt_error_set(&e2, KT_SCRIPT, "%s", error);
        goto script_error;
    }
    st = kt_get(s->ws, id, &rec, err);
    if (st == KT_NOTFOUND) return KT_OK; /* gone since the audience was judged */
    if (st) return st;
    snprintf(key, sizeof key, "%s", s->day);
    if (s->d->key && (st = s->d->key(s->d->ud, s->ws, rec, s->day, key, sizeof key, &e2)))
        goto script_error;
    c.key = key;
    int has = 0;
    if ((st = kt_ledger_has(s->ws, s->d->name, id, key, &has, err))) goto out;
    if (has) {
        s->res->done_before++;
        goto done;
    }
    c.messages = cJSON_CreateArray();
    c.tasks = cJSON_CreateArray();
    c.skipped = cJSON_CreateArray();
    if (!c.messages || !c.tasks || !c.skipped) {
        st = kt_error_set(err, KT_NOMEM, "out of memory");
        goto out;
    }
    st = act(s, rec, &c, &e2);
    if (st == KT_CONSTRAINT) {
        s->res->done_before++;
        st = KT_OK;
        goto done;
    }
    if (st == KT_BUSY || st == KT_NOMEM || st == KT_INTERNAL || st == KT_IO) {
        *err = e2;
        goto out;
    }
    if (st) goto script_error;
    s->res->reached++;
    if (!s->o->dry_run) s->res->acted++;
    s->res->messages += cJSON_GetArraySize(c.messages);
    s->res->tasks += cJSON_GetArraySize(c.tasks);
    s->res->skipped_consent += cJSON_GetArraySize(c.skipped);
    report(s, &c, NULL);
    goto done;
script_error:
    s->res->failed++;
    if (!c.key) c.key = "";
    report(s, &c, e2.message);
    st = KT_OK;
    if (err) *err = e2; /* the last script error, for the run's summary */
    goto out;
done:
    st = KT_OK;
out:
    cJSON_Delete(c.messages);
    cJSON_Delete(c.tasks);
    cJSON_Delete(c.skipped);
    kt_record_free(rec);
    return st;
}

kt_status kt_campaign_run(kt_ws *ws, const char *name, const kt_campaign_run_opts *o,
                          kt_campaign_result *res, kt_error *err)
{
    static const kt_campaign_run_opts none = {0};
    kt_campaign_result local;
    if (!o) o = &none;
    if (!res) res = &local;
    memset(res, 0, sizeof *res);
    kt_status st = kt_auth_allow(ws, KT_ACT_CAMPAIGN, NULL, err);
    if (st) return st;
    st = kt_channels_register(ws, err);
    if (st) return st;
    const kt_ext_campaign *d = NULL;
    char day[KT_DATE_SIZE], lock[200];
    long dn;
    if (o->day)
        snprintf(day, sizeof day, "%s", o->day);
    else if ((st = kt_date_today(kt_ws_setting(ws, "timezone"), day, err)))
        return st;
    if ((st = kt_date_days(day, &dn, err))) return st;
    if ((st = kt_campaign_find(ws, name, &d, err))) return st;
    run_state s = {ws, d, day, o, res, 0, {{0, 0}, run_budget_ms(ws)}};
    clock_gettime(CLOCK_MONOTONIC, &s.clock.started);
    snprintf(lock, sizeof lock, "campaign:%s", d->name);
    if (!o->dry_run && (st = kt_lock_take(ws, lock, err))) return st;
    const campaign_source *src = kt_ws_attachment(ws, SOURCE);
    char *old_source = src ? src->get(ws) : NULL;
    char source[200];
    snprintf(source, sizeof source, "campaign %s", d->name);
    if (src) src->set(ws, source);
    if (!o->dry_run) st = kt_run_start(ws, d->name, day, o->scheduled, &s.run_id, err);
    kt_audience a = {0};
    if (!st) st = kt_audience_collect(ws, d, day, &s.clock, &a, err);
    res->candidates = a.candidates;
    kt_error last;
    kt_error_clear(&last);
    for (size_t i = 0; !st && i < a.n; i++) {
        kt_error e;
        kt_error_clear(&e);
        if (kt_run_clock_over(&s.clock)) {
            /* what is left acts at the next run: the ledger remembers what is done */
            st = kt_error_set(err, KT_TIMEOUT,
                              "campaign \"%s\" ran longer than %lu ms in all and stopped with %zu "
                              "of %zu record(s) left for the next run (setting campaign_time_ms)",
                              d->name, s.clock.budget_ms, a.n - i, a.n);
            break;
        }
        kt_ws_progress(ws, "records", (long)i, (long)a.n);
        st = one(&s, a.v[i].id, a.v[i].error, &e);
        if (st)
            *err = e;
        else if (e.code)
            last = e;
    }
    kt_audience_free(&a);
    if (!st && res->failed)
        st = kt_error_set(err, KT_SCRIPT, "%ld record(s) failed; last: %s", res->failed,
                          last.message);
    if (s.run_id) {
        kt_error e;
        kt_run_finish(ws, s.run_id, res, st ? err->message : NULL, &e);
    }
    if (src) src->set(ws, old_source ? old_source : "script");
    kt_free(old_source);
    if (!o->dry_run) kt_lock_release(ws, lock);
    return st;
}
