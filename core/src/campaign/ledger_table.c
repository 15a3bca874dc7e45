/* The ledger and the runs: what makes a campaign act exactly once. Owns the statements of
 * kt_campaign_ledger and kt_campaign_run (the locks' are lock_table.c's). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "campaign/campaign_int.h"
#include "kartoteka/store.h"

static int step(kt_store *s, kt_stmt *st, kt_error *err, const char *doing, kt_status *out)
{
    int rc = kt_stmt_step(st);
    if (rc != KT_STMT_ROW && rc != KT_STMT_DONE) *out = kt_store_fail(s, err, doing);
    return rc;
}

kt_status kt_run_start(kt_ws *ws, const char *campaign, const char *day, int scheduled,
                       long long *run_id, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    char now[32];
    kt_store_now(now);
    kt_status st =
        kt_store_prepare(s,
                         "INSERT INTO kt_campaign_run(campaign, day, trigger, status, started_at) "
                         "VALUES (?1, ?2, ?3, 'running', ?4)",
                         &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, campaign);
    kt_stmt_bind_text(q, 2, day);
    kt_stmt_bind_text(q, 3, scheduled ? "due" : "manual");
    kt_stmt_bind_text(q, 4, now);
    step(s, q, err, "recording a run", &st);
    kt_stmt_reset(q);
    *run_id = kt_store_last_id(s);
    return st;
}

kt_status kt_run_finish(kt_ws *ws, long long run_id, const kt_campaign_result *r, const char *error,
                        kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    char now[32];
    kt_store_now(now);
    kt_status st = kt_store_prepare(
        s,
        "UPDATE kt_campaign_run SET status = ?2, finished_at = ?3, reached = ?4, acted = ?5, "
        "failed = ?6, error = ?7 WHERE id = ?1",
        &q, err);
    if (st) return st;
    kt_stmt_bind_int(q, 1, run_id);
    kt_stmt_bind_text(q, 2, error || r->failed ? "failed" : "done");
    kt_stmt_bind_text(q, 3, now);
    kt_stmt_bind_int(q, 4, r->reached);
    kt_stmt_bind_int(q, 5, r->acted);
    kt_stmt_bind_int(q, 6, r->failed);
    if (error) kt_stmt_bind_text(q, 7, error);
    step(s, q, err, "finishing a run", &st);
    kt_stmt_reset(q);
    return st;
}

kt_status kt_run_last_day(kt_ws *ws, const char *campaign, char out[16], kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    out[0] = '\0';
    kt_status st = kt_store_prepare(s,
                                    "SELECT max(day) FROM kt_campaign_run WHERE campaign = ?1 "
                                    "AND trigger = 'due' AND status = 'done'",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, campaign);
    if (step(s, q, err, "reading runs", &st) == KT_STMT_ROW && kt_stmt_text(q, 0))
        snprintf(out, 16, "%s", kt_stmt_text(q, 0));
    kt_stmt_reset(q);
    return st;
}

kt_status kt_ledger_has(kt_ws *ws, const char *campaign, kt_id record, const char *key, int *has,
                        kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_status st = kt_store_prepare(s,
                                    "SELECT 1 FROM kt_campaign_ledger WHERE campaign = ?1 AND "
                                    "record = ?2 AND key = ?3",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, campaign);
    kt_stmt_bind_int(q, 2, record);
    kt_stmt_bind_text(q, 3, key);
    *has = step(s, q, err, "reading the ledger", &st) == KT_STMT_ROW;
    kt_stmt_reset(q);
    return st;
}

kt_status kt_ledger_add(kt_ws *ws, const kt_campaign_ctx *c, long long run_id, kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    char now[32];
    kt_store_now(now);
    kt_status st = kt_store_prepare(s,
                                    "INSERT INTO kt_campaign_ledger(campaign, record, key, day, "
                                    "run, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, c->campaign);
    kt_stmt_bind_int(q, 2, c->record);
    kt_stmt_bind_text(q, 3, c->key);
    kt_stmt_bind_text(q, 4, c->day);
    if (run_id) kt_stmt_bind_int(q, 5, run_id);
    kt_stmt_bind_text(q, 6, now);
    int rc = kt_stmt_step(q);
    if (rc != KT_STMT_DONE && kt_store_failed_on_constraint(s))
        st = kt_error_set(err, KT_CONSTRAINT, "%s: record %lld already acted for key %s",
                          c->campaign, c->record, c->key);
    else if (rc != KT_STMT_DONE)
        st = kt_store_fail(s, err, "writing the ledger");
    kt_stmt_reset(q);
    return st;
}

typedef struct declared_name {
    const char *name;
    int found;
} declared_name;

static int is_declared(void *ud, const kt_campaign_info *c)
{
    declared_name *d = ud;
    d->found = !strcmp(c->name, d->name);
    return d->found;
}

static const char *text_col(kt_stmt *q, int i)
{
    const char *t = kt_stmt_text(q, i);
    return t ? t : "";
}

kt_status kt_campaign_ledger(kt_ws *ws, const char *campaign, kt_ledger_cb cb, void *ud,
                             kt_error *err)
{
    kt_store *s = kt_ws_store(ws);
    kt_stmt *q;
    kt_status st = kt_store_prepare(s,
                                    "SELECT record, key, day, run, at FROM kt_campaign_ledger "
                                    "WHERE campaign = ?1 ORDER BY at, record, key",
                                    &q, err);
    if (st) return st;
    kt_stmt_bind_text(q, 1, campaign);
    long rows = 0;
    int rc;
    while ((rc = kt_stmt_step(q)) == KT_STMT_ROW) {
        kt_ledger_row r = {campaign,       kt_stmt_int(q, 0), text_col(q, 1),
                           text_col(q, 2), kt_stmt_int(q, 3), text_col(q, 4)};
        rows++;
        if (cb(ud, &r)) break;
    }
    if (rc != KT_STMT_ROW && rc != KT_STMT_DONE) st = kt_store_fail(s, err, "reading the ledger");
    kt_stmt_reset(q);
    if (st || rows) return st;
    /* an empty ledger of a declared campaign is an answer; of a misspelt name, an error */
    declared_name want = {campaign, 0};
    if ((st = kt_campaign_list(ws, is_declared, &want, err))) return st;
    if (!want.found)
        st = kt_error_set(err, KT_NOTFOUND, "no campaign \"%s\" in kartoteka.lua or its ledger",
                          campaign);
    return st;
}

kt_status kt_ledger_rekey(kt_ws *ws, kt_id record, const char *value, const char *with,
                          kt_error *err)
{
    return kt_store_run(kt_ws_store(ws),
                        "UPDATE kt_campaign_ledger SET key = replace(key, ?2, ?3) "
                        "WHERE record = ?1 AND instr(key, ?2) > 0",
                        "erasing the ledger", err, "itt", (long long)record, value, with);
}
